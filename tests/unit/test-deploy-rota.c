/*
 * test-deploy-rota: working hours in the sites' own time zones, in UTC;
 * the watch and its handovers across the daylight-saving changes of
 * Europe/Paris (2026-03-29 and 2026-10-25); gaps; overnight hours.
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/deploy-rota.h"
#include "tap.h"

static time_t at(const char *s)
{
	time_t t = 0;
	clock_parse(s, &t);
	return t;
}

static const char *fmt(time_t t)
{
	static char buf[4][RFC3339_LEN];
	static int k;
	k = (k + 1) % 4;
	clock_format(t, buf[k]);
	return buf[k];
}

int main(void)
{
	struct rota_site sites[ROTA_NSITES];
	struct rota_day d;
	char why[128];

	if (rota_zone_check("Europe/Paris") < 0) {
		printf("1..0 # SKIP the time zone database is missing (apt-get install tzdata)\n");
		return 0;
	}
	setenv("TZ", "America/New_York", 1);
	rota_default_sites(sites);

	/* the UTC offsets the tz database gives */
	is_int(rota_local_to_utc("Europe/Paris", 2026, 3, 28, 8 * 60), at("2026-03-28T07:00:00Z"),
	       "Lyon 08:00 on 28 March 2026 is 07:00Z (CET)");
	is_int(rota_local_to_utc("Europe/Paris", 2026, 3, 29, 8 * 60), at("2026-03-29T06:00:00Z"),
	       "Lyon 08:00 on 29 March 2026 is 06:00Z (CEST, the clocks went forward)");
	is_int(rota_local_to_utc("Europe/Paris", 2026, 10, 25, 8 * 60), at("2026-10-25T07:00:00Z"),
	       "Lyon 08:00 on 25 October 2026 is 07:00Z again (CET)");
	is_int(rota_local_to_utc("America/Argentina/Buenos_Aires", 2026, 3, 29, 8 * 60),
	       at("2026-03-29T11:00:00Z"), "Buenos Aires 08:00 is 11:00Z (no daylight saving)");
	is_int(rota_local_to_utc("Asia/Singapore", 2026, 3, 29, 17 * 60),
	       at("2026-03-29T09:00:00Z"), "Singapore 17:00 is 09:00Z");
	is_str(getenv("TZ"), "America/New_York", "TZ is restored after a conversion");

	/* the day before the change */
	rota_plan_day(sites, ROTA_NSITES, at("2026-03-28T00:00:00Z"), &d);
	is_int(d.nshift[0], 1, "Lyon has one watch on 28 March");
	is_str(fmt(d.shift[0][0].from), "2026-03-28T07:00:00Z", "Lyon takes over at 07:00Z");
	is_str(fmt(d.shift[0][0].to), "2026-03-28T16:00:00Z", "and hands over at 16:00Z");
	/* the day of the change: Lyon's watch moves an hour earlier in UTC */
	rota_plan_day(sites, ROTA_NSITES, at("2026-03-29T00:00:00Z"), &d);
	is_str(fmt(d.shift[0][0].from), "2026-03-29T06:00:00Z",
	       "on 29 March Lyon takes over at 06:00Z");
	is_str(fmt(d.shift[0][0].to), "2026-03-29T15:00:00Z", "and hands over at 15:00Z");
	is_int(d.nseg, 6, "six segments on 29 March");
	is_str(fmt(d.seg[0].to), "2026-03-29T06:00:00Z", "Singapore alone until 06:00Z");
	is_int(d.seg[0].sites, 4, "segment 1: singapore");
	is_int(d.seg[1].sites, 5, "06:00Z-09:00Z: Lyon and Singapore overlap");
	is_int(d.seg[2].sites, 1, "09:00Z-11:00Z: Lyon alone");
	is_int(d.seg[3].sites, 3, "11:00Z-15:00Z: Lyon and Buenos Aires");
	is_int(d.seg[4].sites, 2, "15:00Z-20:00Z: Buenos Aires alone");
	is_int(d.seg[5].sites, 0, "20:00Z-24:00Z: a gap");
	is_str(fmt(d.seg[5].from), "2026-03-29T20:00:00Z", "the gap begins at 20:00Z");
	is_str(fmt(d.seg[5].to), "2026-03-30T00:00:00Z", "and lasts to the end of the day");

	/* on duty at a given time, across the change */
	ok(!rota_on_duty(&sites[0], at("2026-03-28T06:30:00Z")),
	   "28 March 06:30Z: Lyon is not on duty (07:30 CET)");
	ok(rota_on_duty(&sites[0], at("2026-03-29T06:30:00Z")),
	   "29 March 06:30Z: Lyon is on duty (08:30 CEST)");
	ok(rota_on_duty(&sites[0], at("2026-10-24T06:30:00Z")),
	   "24 October 06:30Z: on duty (08:30 CEST)");
	ok(!rota_on_duty(&sites[0], at("2026-10-25T06:30:00Z")),
	   "25 October 06:30Z: not yet (07:30 CET)");
	ok(rota_on_duty(&sites[0], at("2026-10-25T15:30:00Z")),
	   "25 October 15:30Z: still on duty (16:30 CET)");
	ok(rota_on_duty(&sites[2], at("2026-03-29T00:00:00Z")),
	   "Singapore is on duty at 00:00Z (08:00 SGT)");
	ok(!rota_on_duty(&sites[2], at("2026-03-29T09:00:00Z")), "and off at 09:00Z (17:00 SGT)");

	/* autumn: back to CET */
	rota_plan_day(sites, ROTA_NSITES, at("2026-10-25T00:00:00Z"), &d);
	is_str(fmt(d.shift[0][0].from), "2026-10-25T07:00:00Z", "25 October: Lyon from 07:00Z");
	is_str(fmt(d.shift[0][0].to), "2026-10-25T16:00:00Z", "to 16:00Z");

	/* hours of one's own, overnight ones included */
	is_int(rota_set_hours(sites, ROTA_NSITES, "buenos-aires=08:00-21:00,lyon=20:00-08:00", why,
			      sizeof why),
	       0, "--hours parses");
	rota_plan_day(sites, ROTA_NSITES, at("2026-01-15T00:00:00Z"), &d);
	is_int(d.nshift[0], 2, "an overnight watch falls in two parts of the UTC day");
	is_str(fmt(d.shift[0][0].from), "2026-01-15T00:00:00Z",
	       "Lyon's night watch from the previous evening");
	is_str(fmt(d.shift[0][0].to), "2026-01-15T07:00:00Z", "ends at 08:00 CET, 07:00Z");
	is_str(fmt(d.shift[0][1].from), "2026-01-15T19:00:00Z",
	       "and starts again at 20:00 CET, 19:00Z");
	int gaps = 0, g = -1;
	for (int k = 0; k < d.nseg; k++)
		if (d.seg[k].sites == 0) {
			gaps++;
			g = k;
		}
	is_int(gaps, 1, "with these hours the day has one gap");
	ok(g >= 0 && d.seg[g].from == at("2026-01-15T09:00:00Z") &&
	       d.seg[g].to == at("2026-01-15T11:00:00Z"),
	   "from Singapore's end (09:00Z) to Buenos Aires' start (11:00Z)");
	ok(rota_on_duty(&sites[0], at("2026-01-15T23:30:00Z")),
	   "Lyon is on its night watch at 23:30Z");
	ok(rota_set_hours(sites, ROTA_NSITES, "tokyo=08:00-17:00", why, sizeof why) < 0,
	   "an unknown site is refused");
	is_str(why, "'tokyo' is not a site (lyon, buenos-aires, singapore)", "with a reason");
	ok(rota_set_hours(sites, ROTA_NSITES, "lyon=8-17", why, sizeof why) < 0,
	   "bad hours are refused");
	return tap_done();
}
