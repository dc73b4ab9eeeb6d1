/*
 * escalation.h: the escalation policy of the work queue (queue.h).
 *
 * An item (open or taken) past its due time goes up one priority (P4 to
 * P3 ... P2 to P1; a P1 stays P1 and is paged again), is due again after
 * the time of its new priority, counts one more escalation, and its
 * message's triage gains the reason ("escalated: overdue since T at P3, now
 * P2"). A message triaged again keeps the priority escalation raised it to,
 * with those reasons, when the new assessment is lower.
 */
#ifndef CCC_ESCALATION_H
#define CCC_ESCALATION_H

#include <jv.h>

#include "ccc/json.h"
#include "ccc/store.h"
#include "ccc/triage.h"

/*
 * Escalate every overdue item now, inside the caller's transaction: each
 * message record changed is appended to out as one NDJSON line, most urgent
 * first. tc gives the time to act per priority. Returns 0 or an exit code.
 */
int escalation_run(struct store *s, const struct triage_config *tc, struct buf *out);

/*
 * The triage to store for a message triaged again: triage (consumed) as it
 * is, unless item (its queue item, queue_item(); not consumed) was
 * escalated to a higher priority than triage gives: then that priority and
 * due time, with the "escalated:" reasons of stored_triage (the triage
 * stored before; not consumed) added.
 */
jv escalation_keep(jv triage, jv item, jv stored_triage);

#endif
