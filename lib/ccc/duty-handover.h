/*
 * duty-handover.h: the brief the outgoing shift hands to the incoming one,
 * kept in the store as it was given, and the incoming officer's
 * acknowledgement.
 */
#ifndef CCC_DUTY_HANDOVER_H
#define CCC_DUTY_HANDOVER_H

#include <time.h>

#include <jv.h>

#include "ccc/store.h"

/*
 * Write the brief at now (inside a transaction): from_site the outgoing
 * site and to_site the incoming one (NULL: unknown), since the start of
 * the outgoing shift. *out:
 *   {"type":"handover","v":1,"id":"handover-N","n","at","since","from_site",
 *    "to_site","by",
 *    "open":[queue items not closed and not yet due, by due time],
 *    "overdue":[queue items not closed and past due, by due time],
 *    "cases":[open cases with their next task deadline, soonest first],
 *    "teams":[deployments approved or active, with their members],
 *    "sites":[{"site","time_zone","role","epoch","heartbeat"}],
 *    "silences":[rows of the silences table in force] (only when the store has one),
 *    "notices":[notices published since],
 *    "acked_by":null,"acked_at":null}
 * 0, or an exit status.
 */
int duty_handover_write(struct store *s, const char *from_site, const char *to_site, time_t since,
			time_t now, jv *out);

/* The incoming officer acknowledges handover id (inside a transaction):
 * 77 when it is the officer who gave it, 66 when there is none; *done when
 * it was acknowledged already. *out: the brief as it stands. */
int duty_handover_ack(struct store *s, const char *id, int *done, jv *out);

#endif
