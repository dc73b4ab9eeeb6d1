/*
 * deploy-tables.h: ccc-deploy's records as the tables a person reads on a
 * terminal (table.h): the roster, a plan, deployments, a field-check report
 * and the rota. On a pipe the same records are written as NDJSON instead;
 * each function here prints through lib/out and consumes nothing.
 */
#ifndef CCC_DEPLOY_TABLES_H
#define CCC_DEPLOY_TABLES_H

#include <time.h>

#include <jv.h>

#include "ccc/deploy-roster.h"
#include "ccc/table.h"

/* The roster's table: ID NAME SITE LEAD LANGUAGES IRT IMEST NOW. */
struct table *deploy_staff_table(void);
/* p's row in it, with its state at now (ready, deployed ID, away: WHY). */
void deploy_staff_row(struct table *t, const struct deploy_person *p, time_t now);
/* For one member: flush t, then the skills of rec on a line of their own. */
void deploy_staff_detail(struct table *t, jv rec);

/* A plan record: its heading line, its members, its unmet needs. */
void deploy_plan_table(jv rec);
/* An array of deployment records: ID STATUS KIND FOR CC PERIOD MEMBERS. */
void deploy_deployments_table(jv list);
/* A report record: the duration, the totals, per day, database and member. */
void deploy_report_table(jv rec);
/* A rota record: each site's hours and watch, the segments of the day and
 * the gaps, who is on duty at its time. */
void deploy_rota_table(jv rec);

/* Training sessions (an array, consumed) as a table, a row per attendee. */
void deploy_sessions_table(jv list);

#endif
