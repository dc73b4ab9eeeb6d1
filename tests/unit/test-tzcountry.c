/*
 * test-tzcountry: countries' zones, and clock times in them as UTC: across
 * midnight and both clock changes of the European and Chilean calendars.
 */
#include <stdlib.h>

#include "ccc/clock.h"
#include "ccc/tzcountry.h"
#include "tap.h"

static const char *utc(time_t t)
{
	static char s[RFC3339_LEN];
	clock_format(t, s);
	return s;
}

static time_t at(const char *s)
{
	time_t t = 0;
	clock_parse(s, &t);
	return t;
}

static const char *next(const char *zone, const char *after, int h, int m)
{
	time_t t;
	if (tz_next_local(zone, at(after), h * 60 + m, &t) < 0)
		return "(error)";
	return utc(t);
}

int main(void)
{
	is_str(tz_country_zone("FR"), "Europe/Paris", "FR");
	is_str(tz_country_zone("ma"), "Africa/Casablanca", "either case");
	is_str(tz_country_zone("US"), "America/New_York", "US: the capital's zone");
	is_str(tz_country_zone("AR"), "America/Argentina/Buenos_Aires", "AR: the capital's zone");
	is_str(tz_country_zone("RU"), "Europe/Moscow", "RU: the capital's zone");
	is_str(tz_country_zone("AU"), "Australia/Sydney", "AU: Canberra's zone");
	is_str(tz_country_zone("SG"), "Asia/Singapore", "SG");
	ok(tz_country_zone("XX") == NULL && tz_country_zone("FRA") == NULL, "unknown codes");
	ok(tz_zone_known("Europe/Paris") && !tz_zone_known("Nowhere/City") &&
	       !tz_zone_known("../../etc/passwd"),
	   "zones the tz database has, and only those");
	ok(!tz_zone_known("Europe") && !tz_zone_known("Europe/") && !tz_zone_known("zone.tab") &&
	       !tz_zone_known(""),
	   "a folder or a table of the database is no zone (TZ would read it as UTC)");

	is_str(next("Europe/Paris", "2026-12-04T12:00:00Z", 14, 30), "2026-12-04T13:30:00Z",
	       "avant 14h30, sent at 13:00 in Paris (winter): 13:30Z");
	is_str(next("Europe/Paris", "2026-07-04T12:00:00Z", 14, 30), "2026-07-04T12:30:00Z",
	       "the same in summer: 12:30Z");
	is_str(next("Europe/Paris", "2026-12-04T22:30:00Z", 1, 0), "2026-12-05T00:00:00Z",
	       "before 01:00, sent at 23:30 in Paris: across midnight");
	is_str(next("Europe/London", "2026-12-04T10:00:00Z", 10, 0), "2026-12-04T10:00:00Z",
	       "a time that is now is now");
	is_str(next("Europe/Paris", "2026-03-29T00:30:00Z", 2, 30), "2026-03-29T01:30:00Z",
	       "02:30 on the spring-forward night (does not exist): 03:30 CEST");
	is_str(next("Europe/Paris", "2026-10-24T23:00:00Z", 2, 30), "2026-10-25T00:30:00Z",
	       "02:30 on the fall-back night (twice): the first, 02:30 CEST");
	is_str(next("America/Argentina/Buenos_Aires", "2026-12-04T20:00:00Z", 18, 0),
	       "2026-12-04T21:00:00Z", "antes de las 18:00, sent at 17:00 in Buenos Aires");
	is_str(next("Africa/Casablanca", "2026-12-04T10:00:00Z", 10, 0), "2026-12-05T09:00:00Z",
	       "10:00 in Casablanca (UTC+1), sent at 11:00 there: tomorrow's");
	is_str(next(NULL, "2026-12-04T20:00:00Z", 21, 40), "2026-12-04T21:40:00Z", "UTC");
	is_str(next("Nowhere/City", "2026-12-04T20:00:00Z", 21, 40), "(error)", "unknown zone");
	is_str(next("Asia/Singapore", "2026-12-04T00:00:00Z", 9, 0), "2026-12-04T01:00:00Z",
	       "Singapore is UTC+8");
	ok(getenv("TZ") == NULL, "TZ is put back as it was");
	return tap_done();
}
