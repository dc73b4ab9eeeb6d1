/*
 * triage-filter.h: the ccc-triage filter over a stream (stream.h).
 *
 * A `message` record is replaced by its stored copy (queue_stored_copy),
 * assessed by the default rules (triage.h) and, when there are any, the
 * user's jq rules (rules.h; run in batches of 64 messages or 1 MiB in their
 * worker, the batch finished before each commit), keeps a priority that
 * escalation raised (escalation.h), is stored and queued (queue_triaged)
 * and written with its "triage". Other records pass through in order; a
 * record with no type, or a message with no id or not stored, is a reject.
 */
#ifndef CCC_TRIAGE_FILTER_H
#define CCC_TRIAGE_FILTER_H

#include "ccc/rules.h"
#include "ccc/stream.h"
#include "ccc/triage.h"

struct triage_filter;

/* tc: the times to act (copied); rules: the user's, or NULL (not owned);
 * explain: each message's priority and evidence on stderr; quiet: no
 * warning that a piped message differs from its stored copy. */
struct triage_filter *triage_filter_new(const struct triage_config *tc, struct rules *rules,
					int explain, int quiet);
/* Group messages that correlate and come within seconds of each other into
 * one queue item (grouping.h); 0: never. Default GROUPING_WINDOW_S. */
void triage_filter_group(struct triage_filter *f, long seconds);
void triage_filter_free(struct triage_filter *f);

/* The stream's record and before_commit callbacks; ctx is the filter. */
int triage_filter_record(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx);
int triage_filter_flush(struct stream *st, void *ctx);

#endif
