/*
 * deploy-lifecycle.h: plans and deployments in the store.
 *
 * A plan (plan-SITE-N) is stored as proposed; approving it re-checks every
 * member against the store as it is then, makes a deployment (dep-SITE-N,
 * status approved) and books its members for its period. start makes it
 * active; extend moves its end (re-checking every member for the added
 * time); end and recall close it and cut the members' bookings at that
 * moment. Nobody is ever booked on two deployments whose periods overlap.
 *
 * Every function runs inside a store transaction that the caller opened,
 * prints the reason of a refusal, and returns 0 or an exit code: 65 when the
 * request conflicts with the store (a member booked, unavailable or no longer
 * qualified; a deployment in the wrong state), 66 when there is no such plan
 * or deployment.
 */
#ifndef CCC_DEPLOY_LIFECYCLE_H
#define CCC_DEPLOY_LIFECYCLE_H

#include <time.h>

#include <jv.h>

#include "ccc/deploy-plan.h"
#include "ccc/rerun.h"
#include "ccc/store.h"

/*
 * Propose the best team for rq (deploy-plan.h) and store the plan, in one
 * transaction; *out gets the plan record, *team the search's figures. When
 * no team is possible, nothing is stored, *impossible gets the constraint
 * that could not be met (caller frees) and the return is 1 (*out is still
 * set); else *impossible is NULL. Otherwise 0 or an exit code.
 */
int deploy_propose(struct store *s, const struct deploy_request *rq, jv *out, char **impossible,
		   struct deploy_team *team);
/* action (approve, start, extend, end or recall) on plan or deployment id,
 * in one transaction, as deploy_approve or deploy_act say. */
int deploy_change(struct store *s, const char *action, const char *id, time_t to,
		  const char *reason, jv *out, struct rerun *again);
/* Store plan (consumed) as proposed; *out gets it with its id, status and
 * created_at. */
int deploy_plan_save(struct store *s, jv plan, jv *out);
/* The stored plan id. */
int deploy_plan_get(struct store *s, const char *id, jv *plan);
/* Approve plan id: *out gets the deployment record. A plan approved
 * already is a rerun (rerun.h): *out gets its deployment as it is now. */
int deploy_approve(struct store *s, const char *plan_id, jv *out, struct rerun *again);
/*
 * start, extend (to the new end), end or recall deployment id (reason may be
 * NULL): *out gets the deployment record as it is afterwards. A rerun
 * changes nothing and sets again (rerun.h): start of an active deployment,
 * end of an ended one, recall of a recalled one (a reason other than the
 * one it has: 65), extend to the end it has.
 */
int deploy_act(struct store *s, const char *id, const char *action, time_t to, const char *reason,
	       jv *out, struct rerun *again);
/* The deployment id, with its log ("log": [{"at","by","action","detail"}]). */
int deploy_get(struct store *s, const char *id, jv *out);
/* The deployments, in order of their start: approved and active ones, or
 * all of them. *out gets an array. */
int deploy_list(struct store *s, int all, jv *out);

#endif
