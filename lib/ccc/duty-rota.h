/*
 * duty-rota.h: the watch of one UTC day as the stored duty plan (ccc-duty)
 * makes it, for ccc-deploy rota: each site's shifts in its own time zone
 * and in UTC, the day cut where the people on duty change, the gaps as
 * duty_coverage finds them, and who is on duty at a moment: the people on
 * the shifts at work, less those of the roster who are away or deployed.
 */
#ifndef CCC_DUTY_ROTA_H
#define CCC_DUTY_ROTA_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/deploy-roster.h"
#include "ccc/duty.h"

/*
 * The record of the UTC day that begins at day (00:00 UTC), with who is on
 * duty at at:
 *   {"type":"rota","v":1,"id":"rota-DAY","date","source":"plan",
 *    "sites":[{"site","time_zone","utc_offset","hours","shifts","watch"}],
 *    "segments":[{"from","to","sites","on":[{"shift","site","people"}]}],
 *    "handovers":[{"at","from","to"}], "gaps":[duty_coverage's gaps],
 *    "covered":MINUTES,
 *    "on_duty":{"at","sites":[{"site","local_time","shifts","staff","away"}],
 *               "next":[{"shift","site","from","people"}]}}
 * A person of a shift whose staff id (people[].id) is away or deployed at
 * at is listed under "away" with the reason, not under "staff". *ngaps
 * gets the number of gaps. Each minute needs one person (duty_coverage).
 */
jv duty_rota_record(struct duty_plan *p, time_t day, time_t at, const struct deploy_person *people,
		    size_t npeople, int *ngaps);

/* The record as text for a terminal (rec not consumed). */
void duty_rota_table(jv rec);

#endif
