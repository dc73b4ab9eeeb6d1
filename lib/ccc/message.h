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

#include "ccc/store.h"

struct message_defaults {
	const char *source;          /* --source, for input that does not name its own */
	const char *origin_country;  /* --country */
	const char *language;        /* --language: skip detection */
	time_t now;                  /* received_at when the input has none */
};

/*
 * Turn an input object into a message record with its fields in their
 * canonical order (type, v, id, source, external_id, origin_country,
 * received_at, sent_at, language, subject, body, refs, then every other
 * field as it came). Consumes in. On a bad field returns jv_invalid() and
 * writes "field 'NAME': reason".
 */
jv message_normalize(jv in, const struct message_defaults *d, char *reason, size_t rlen);

/* Store rec (its JSON text is json[0..n)) unless a message with its id is
 * stored already (*inserted = 0). Inside a transaction. Returns 0 or an exit code. */
int message_store(struct store *s, jv rec, const char *json, size_t n, int *inserted);

#endif
