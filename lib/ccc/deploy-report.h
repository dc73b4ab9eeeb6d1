/*
 * deploy-report.h: what a deployment's team did in the field: the checks
 * made with `ccc-check --deployment ID` (the consultations table), counted
 * per day (UTC), per database and per member (the actor of each check), and
 * the deployment's duration.
 */
#ifndef CCC_DEPLOY_REPORT_H
#define CCC_DEPLOY_REPORT_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/store.h"

struct deploy_tally {
	char key[64]; /* a day "YYYY-MM-DD", a database, a member */
	long checks, hits;
};

struct deploy_report {
	long checks, hits;
	size_t ndays, ndbs, nmembers;
	struct deploy_tally *days, *dbs, *members;
};

/* Count one check made at ts (RFC 3339) against db by actor, with hits hits. */
void deploy_report_add(struct deploy_report *r, const char *ts, const char *db, const char *actor,
		       long hits);
/* Make sure member appears (with 0 checks when it made none). */
void deploy_report_member(struct deploy_report *r, const char *member);
/* The tallies as {"checks","hits","by_day":[{"day","checks","hits"}],
 * "by_db":[{"db",...}],"by_member":[{"member",...}]}, each list sorted by
 * its key. */
jv deploy_report_json(const struct deploy_report *r);
void deploy_report_free(struct deploy_report *r);

/* Add every consultation of deployment id in store s to r. Returns 0 or an
 * exit code. */
int deploy_report_load(struct store *s, const char *id, struct deploy_report *r);

/*
 * The report record of deployment id, dep (not consumed), from the tallies r
 * (each member of dep added to them): {"type":"report","id","deployment",
 * "status","duration":{"from","to","seconds","text":"3d 00h 00m",
 * "started","ongoing"}} and the fields of deploy_report_json. The duration
 * runs from the start (or the planned start) to the end, now while active,
 * or the planned end.
 */
jv deploy_report_record(const char *id, jv dep, struct deploy_report *r, time_t now);

#endif
