/*
 * story.h: what became of a message, and how the room served the bureaus.
 *
 * A message's story is the message as stored (with its triage and its
 * checks), its queue item, every action on it (taken, noted, escalated,
 * closed: the queue log) and the replies to it with their delivery logs.
 *
 * The service report counts, per priority, per bureau (origin_country) and
 * per language, the messages received in a period, how many were answered
 * (a reply sent) and how many of those by their due time, the median and
 * 95th percentile of the time to the first reply (from sent_at, else
 * received_at), and those still unanswered past their due time.
 */
#ifndef CCC_STORY_H
#define CCC_STORY_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/store.h"
#include "ccc/table.h"

/* The story of message id: the stored record with "queue", "log" and
 * "replies" added. 0, or an exit status (66: no such message). */
int story_of(struct store *s, const char *id, jv *out);

/* The report of messages received in [since, until) (0: no bound), as of
 * now: an array of rows {"by", "key", "requests", "answered", "in_time",
 * "median_reply_s", "p95_reply_s", "overdue"}, by "all", then "priority",
 * "bureau" and "language". 0, or an exit status. */
int story_report(struct store *s, time_t since, time_t until, time_t now, jv *out);

/* The story as text for a terminal: the message, its triage and reasons,
 * its checks, its queue item and log, its replies and their delivery. */
struct buf;
void story_text(jv story, struct buf *out);

/* Print a story (consumed): its text on a terminal (or f OUT_TABLE), else
 * one NDJSON record. */
void story_print(jv story, enum out_format f);
/* Print the report's rows (consumed): a table, or NDJSON. */
void story_report_print(jv rows, enum out_format f);

#endif
