/*
 * silence.h: silences hold back the escalation pages of the queue items
 * they match, until their end, as an alert manager's silences do.
 *
 * A silence is a match, an end time, who set it and why. The match is a
 * comma list of FIELD=VALUE terms that must all hold; a VALUE may give
 * alternatives separated by '|':
 *   category=terrorism     the message's triage category
 *   priority=P3|P4         the priority the item is escalated to
 *   country=FR             the message's origin_country
 *   text=exercise          a substring of the subject or the body, ASCII
 *                          letters compared without case
 * An item a silence matches is still escalated (priority, due time, log)
 * but its page is not written; its log says "silenced" with the silence's
 * id. Silences are state rows: set and expired in journaled transactions,
 * replicated like the queue. Ids are "silence-SITE-N".
 */
#ifndef CCC_SILENCE_H
#define CCC_SILENCE_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/rerun.h"
#include "ccc/store.h"

/* The match text as an object {FIELD: [VALUE...]}, or jv_invalid() with
 * the reason in why[whysz]. */
jv silence_match_parse(const char *text, char *why, size_t whysz);

/* Set a silence of match (its text, checked) until until with reason (may
 * be NULL), inside the caller's transaction; *out gets its record. Returns
 * 0 or an exit code. */
int silence_add(struct store *s, const char *match, time_t until, const char *reason, jv *out);

/* The silences, newest first: active only unless all; each record
 * {"type": "silence", "id", "match", "starts_at", "ends_at", "created_by",
 * "reason", "status": active|expired, "expired_at", "expired_by"} handed to
 * each (which consumes it). Returns 0 or an exit code. */
int silence_list(struct store *s, int all, time_t now, void (*each)(jv rec, void *ctx), void *ctx);

/* End silence id now. An expired one is a rerun (again). *out gets its
 * record. Returns 0 or an exit code (66 for an unknown id). */
int silence_expire(struct store *s, const char *id, struct rerun *again, jv *out);

/* The first silence active at now that matches message rec (not consumed)
 * at priority: 1 and its id in id[idsz]; 0 when none. */
int silence_holds(struct store *s, jv rec, const char *priority, time_t now, char *id, size_t idsz);

#endif
