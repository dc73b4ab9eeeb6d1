/*
 * message.h: the `message` record: normalising what a channel delivers, and
 * storing it once.
 *
 * A message is stored once under its de-duplication key:
 *   identity, digest             when the message has an external id, else
 *   sender, a digest of its content alone.
 * The identity is the sender and the external id: for an e-mail, its From
 * address and its Message-ID (normalised: no angle brackets, the domain in
 * lower case), whatever --source says; for other input, the message's source
 * (its own field, else --source) and external_id. The digest is a hash of
 * what the message says (origin_country, sent_at, subject, body). The same
 * identity saying something else is a new version: stored with "version" (2,
 * 3 ...) and "supersedes" (the id of the version before it); saying the same
 * again is a duplicate. A store written before identities keeps its keys:
 * (source, external_id as given) or (source, #digest); a message found
 * under its key of before is compared with what that stored record says.
 * Its id, "msg-SITE-N", is given when it is first stored: N is the row's
 * number in the messages table, so ids are short, readable, increase with
 * time, and a lookup by id is a rowid lookup. The de-duplication index is in
 * key order, so a bureau's increasing reference numbers append to it.
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
	const char *source;         /* --source, for input that does not name its own */
	const char *origin_country; /* --country */
	const char *language;       /* --language: skip detection */
	const char *identity;       /* the sender, when the channel knows it (mail:ADDRESS) */
	int message_id;             /* the external id is a Message-ID: normalise it */
	time_t now;                 /* received_at when the input has none */
	size_t max_record;          /* longest record to write (ccc_record_budget); 0: any */
};

/*
 * Kept apart: a subject longer than MESSAGE_SUBJECT_MAX bytes, and, when the
 * record would be longer than max_record, the body (cut to at most
 * MESSAGE_BODY_KEEP bytes) and then the largest other fields (removed), are
 * stored whole in the attachments table under their SHA-256 and described in
 * the record's "truncated" array. A cut text ends in U+2026.
 */
#define MESSAGE_SUBJECT_MAX 998   /* bytes: the longest line RFC 5322 allows */
#define MESSAGE_BODY_KEEP   65536 /* bytes of a cut body kept in the record */
#define MESSAGE_PARTS_MAX   8     /* values kept apart per message */

struct message_part {
	char field[64];           /* "subject", "body", or another field's name */
	char sha256[65];          /* of data, in hex */
	const char *content_type; /* "text/plain; charset=utf-8" or "application/json" */
	size_t kept;              /* bytes of it left in the record */
	struct buf data;          /* the whole value: the text, or a field's JSON */
};

/* A normalised message: its JSON text and the key it is stored under. */
struct message {
	struct buf rest;     /* the record's fields after "id", from ',' to '}' */
	struct buf dkey;     /* the de-duplication key */
	struct buf legacy;   /* the key it had before identities, when another */
	size_t identity_len; /* its identity: dkey.p[0..identity_len) */
	int versioned;       /* it has an identity (an external id) */
	char digest[33];     /* of its content */
	int version;         /* once stored: 1, or 2... for a new version */
	char supersedes[96]; /* the version before it */
	char dup_of[96];     /* not stored: the stored message that says the same */
	struct buf json;     /* the whole record, once stored */
	char id[96];         /* its id, once stored */
	int64_t next_n;      /* the next row number, valid in transaction tx */
	uint64_t tx;
	struct message_part part[MESSAGE_PARTS_MAX]; /* kept apart, part[0..nparts) */
	size_t nparts;
	struct buf subject_text, body_text; /* message_normalize_line's, when decoded */
	int named;                          /* its entities are not an empty list */
};

/*
 * Turn an input object into a message record (without its id, which
 * message_store gives) written as JSON text into m->rest, with its fields in their canonical order
 * (type, v, id, source, external_id, origin_country, received_at, sent_at, language, subject, body,
 * refs, entities, truncated, then every other field as it came). Consumes in.
 * Returns 0, or -1 on a bad field with "field 'NAME': reason" written to
 * reason (or a record that cannot be made to fit in d->max_record). m is reused
 * from call to call; message_free releases it.
 */
int message_normalize(jv in, const struct message_defaults *d, struct message *m, char *reason,
		      size_t rlen);
/*
 * The same from the text p[0..n) of an NDJSON line json_check has passed,
 * without a jv object, for a line of the usual shape; returns 1 with the
 * same record message_normalize would make, or 0 when the line is left to
 * message_normalize (a record type or version, a field of another kind, a
 * record that must be cut, an input with a channel identity).
 */
int message_normalize_line(const char *p, size_t n, const struct message_defaults *d,
			   struct message *m);
void message_free(struct message *m);

/* Store m unless a message with its key is stored already (*inserted = 0,
 * m->dup_of its id); when stored, m->json is the record, m->id its id and
 * m->version its version (m->supersedes the version before), and the values
 * it keeps apart are in the attachments table. Inside a transaction.
 * Returns 0 or an exit code. */
int message_store(struct store *s, struct message *m, int *inserted);

/* Append Message-ID id to out as an identity: without white space around or
 * angle brackets, the part after the last '@' in lower case. */
void message_id_normalize(const char *id, struct buf *out);

/*
 * The fields in which a message record that came down a pipe (piped) differs
 * from its stored copy (stored), leaving out the fields the stages own
 * (triage, checks, queue): their names, quoted and comma separated, written
 * to out[0..n) (cut short when long), and their number (0: the same). Does
 * not consume its arguments; both are objects.
 */
int message_differs(jv piped, jv stored, char *out, size_t n);

#endif
