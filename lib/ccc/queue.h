/*
 * queue.h: the operations room's work queue of triaged messages.
 *
 * Each triaged message has a queue item: priority, category, due time,
 * status (open, taken, closed), assignee and the number of escalations; every
 * action on it is a row of queue_log (who, when, what). The message record
 * itself, with its "triage" field, stays in the messages table. All writes
 * happen inside a store transaction, so they are journaled.
 */
#ifndef CCC_QUEUE_H
#define CCC_QUEUE_H

#include <stdint.h>

#include <jv.h>

#include "ccc/rerun.h"
#include "ccc/store.h"
#include "ccc/stream.h"

/* The row number of a message id "msg-SITE-N" (or a bare N), or -1. */
int64_t queue_parse_id(const char *id);

/*
 * The stored record of message id: 0 and *record (a jv object) and *n;
 * CCC_EX_USAGE when id is not a message id, CCC_EX_NOINPUT when no such
 * message is in the store (warned with context unless quiet).
 */
int queue_message(struct store *s, const char *id, int64_t *n, jv *record, int quiet);

/*
 * A filter (ccc-triage, ccc-check) works on the stored copy of a message
 * record that came down the pipe, never on the record itself: *rec (with
 * its "id") is consumed and replaced by the stored copy, *n is its row, and
 * the fields in which the piped record differed are named on stderr unless
 * quiet. Returns 1 then; 0 when it has no id or no such message is stored,
 * after keeping the
 * record as a reject (*rc the stream's code, *rec freed).
 */
int queue_stored_copy(struct stream *st, const struct ndjson_line *ln, jv *rec, int64_t *n,
		      int quiet, int *rc);
/* The same, and *same: whether the line is the stored record byte for byte
 * (then ln->text is the stored text of *rec). */
int queue_stored_copy_same(struct stream *st, const struct ndjson_line *ln, jv *rec, int64_t *n,
			   int quiet, int *rc, int *same);

/*
 * The one way a filter writes back a stored message record: replace the
 * record of message n with json[0..len) when it differs (*changed, unless
 * NULL, tells whether it did). Inside a transaction. Returns 0 or an exit
 * code.
 */
int queue_set_record(struct store *s, int64_t n, const char *json, size_t len, int *changed);

/*
 * A message's triage is kept beside its record (messages.triage, as JSON
 * text), not in it: triaging a message again writes and journals a few
 * hundred bytes, not its whole record twice (before and after), and leaves
 * the entity index of the record alone. Whoever reads the record whole
 * reads it with its triage: queue_message and the stored copies do, and
 * SQL reads QUEUE_RECORD(alias) (a store from before migration 21 may
 * still have a triage inside the record; the one beside it wins).
 */
#define QUEUE_RECORD(m)                                                                            \
	"CASE WHEN " m ".triage IS NULL THEN " m ".record ELSE json_set(" m ".record, '$.triage'," \
	" json(" m ".triage)) END"

/* Set the triage of message n (the object triage) when it differs
 * (*changed, unless NULL, tells whether it did). 0 or an exit code. */
int queue_set_triage(struct store *s, int64_t n, jv triage, int *changed);

/*
 * Record the triage of message n: the triage kept beside its record is
 * replaced when it differs, and the queue item is created (open) or, unless
 * closed, updated. *changed tells whether anything was written. Returns 0
 * or an exit code.
 */
int queue_triaged(struct store *s, int64_t n, const char *id, jv triage, int *changed);

/* queue_triaged for message n known to have no queue item (queue_item gave
 * none in the same transaction): the same, without looking for one; text
 * (len bytes) is triage as json_write writes it, or NULL. With grouped
 * set, the item is queued "grouped": the message joins a group
 * (grouping_join), and its item is never open. */
int queue_triaged_new(struct store *s, int64_t n, const char *id, jv triage, const char *text,
		      size_t len, int grouped, int *changed);

/* take, steal, assign, note, close, reopen: the action on item n, by actor;
 * detail is the assignee (assign), the note text (note) or the reason
 * (close). take of an item another officer holds is refused (75, naming
 * them); steal takes it over and logs "steal" "from NAME" (a plain take
 * when nobody else held it). A rerun changes nothing and sets again
 * (rerun.h): take or assign of an item taken by that person, close of a
 * closed item (a reason other than the one it was closed for: 65), reopen
 * of an open one. */
int queue_act(struct store *s, int64_t n, const char *action, const char *detail,
	      struct rerun *again);

/* Append a row to queue_log. queue_log_new: the same, with the session off
 * and the row journaled by hand (store_tx_add_first): a new row is its own
 * change, and the session would read it back at the commit. */
int queue_log(struct store *s, int64_t n, const char *action, const char *detail);
int queue_log_new(struct store *s, int64_t n, const char *action, const char *detail);

/* The queue item of n as {"status","assignee","escalations","updated_at",
 * "priority","due_at"}, or
 * jv_null() when the message has none. */
jv queue_item(struct store *s, int64_t n);

/* Which items queue_list gives. */
struct queue_filter {
	int all;                /* closed items too */
	const char *priorities; /* "P1,P2", or NULL for every one */
	const char *categories; /* "drugs,fugitive", or NULL */
	int overdue;            /* only items past their due time */
	long limit;             /* at most this many; -1: all */
};

/*
 * The queue, most urgent first (closed items last): each item's message
 * record with "queue": {"status", "assignee", "escalations", "time_left_s",
 * "overdue"} handed to each, which consumes it. Returns 0 or an exit code.
 */
int queue_list(struct store *s, const struct queue_filter *f, void (*each)(jv rec, void *ctx),
	       void *ctx);

/* The queue as a table for a terminal: a new table, and the row of a queue
 * item's message (with "queue"; not consumed), its time left counted to now. */
struct table;
struct table *queue_table_new(void);
void queue_table_add(struct table *t, jv rec, time_t now);

#endif
