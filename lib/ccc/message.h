/*
 * message.h: the `message` record: normalising what a channel delivers, and
 * storing it once.
 *
 * A message's id is derived from its de-duplication key, so the same message
 * taken in twice gets the same id and is stored once:
 *   (source, external_id) when the message has an external id, else
 *   (source, origin_country, sent_at, subject, body), hashed.
 */
#ifndef CCC_MESSAGE_H
#define CCC_MESSAGE_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/clock.h"
#include "ccc/json.h"
#include "ccc/store.h"

struct message_defaults {
	const char *source;          /* --source, for input that does not name its own */
	const char *origin_country;  /* --country */
	const char *language;        /* --language: skip detection */
	time_t now;                  /* received_at when the input has none */
};

/* A normalised message: its JSON text and the columns it is stored under. */
struct message {
	struct buf json;
	char id[32];
	char received_at[RFC3339_LEN];
	jv source, external_id; /* strings, or null */
};

/*
 * Turn an input object into a message record written as JSON text into
 * m->json, with its fields in their canonical order (type, v, id, source,
 * external_id, origin_country, received_at, sent_at, language, subject, body,
 * refs, then every other field as it came). Consumes in. Returns 0, or -1 on
 * a bad field with "field 'NAME': reason" written to reason. m is reused
 * from call to call; message_free releases it.
 */
int message_normalize(jv in, const struct message_defaults *d, struct message *m, char *reason,
		      size_t rlen);
void message_free(struct message *m);

/* Store m unless a message with its id is stored already (*inserted = 0).
 * Inside a transaction. Returns 0 or an exit code. */
int message_store(struct store *s, const struct message *m, int *inserted);

#endif
