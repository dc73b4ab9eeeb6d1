/*
 * test-duty: the values ccc-duty parses (local times, days, periods, steps,
 * dates, requirements by hour) and local times across the clock changes of
 * Europe/Paris in 2027 (28 March and 31 October).
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/duty.h"
#include "ccc/tzcountry.h"
#include "tap.h"

int main(void)
{
	int m;
	unsigned mask;
	long v;
	char buf[64], target[32];

	ok(duty_parse_hhmm("07:00", &m) == 0 && m == 420, "07:00 is minute 420");
	ok(duty_parse_hhmm("24:00", &m) == 0 && m == 1440, "24:00 is the end of the day");
	ok(duty_parse_hhmm("24:01", &m) < 0, "24:01 is refused");
	ok(duty_parse_hhmm("7:00", &m) < 0, "7:00 is refused (HH:MM)");
	ok(duty_parse_hhmm("07:60", &m) < 0, "07:60 is refused");

	ok(duty_parse_days("mon-sun", &mask) == 0 && mask == 0x7f, "mon-sun is every day");
	ok(duty_parse_days("mon-fri,sun", &mask) == 0 && mask == 0x5f, "mon-fri,sun");
	ok(duty_parse_days("fri-mon", &mask) == 0 && mask == 0x71, "fri-mon wraps");
	ok(duty_parse_days("weekdays", &mask) < 0, "weekdays is refused");
	ok(duty_parse_days("", &mask) < 0, "nothing is refused");
	duty_format_days(0x5f, buf, sizeof buf);
	is_str(buf, "mon-fri,sun", "the mask as text");
	duty_format_days(0x70, buf, sizeof buf);
	is_str(buf, "fri-sun", "three days in a row as a range");
	duty_format_days(0x7f, buf, sizeof buf);
	is_str(buf, "mon-sun", "every day");

	ok(duty_parse_every("1w", &m) == 0 && m == 7, "1w is 7 days");
	ok(duty_parse_every("3d", &m) == 0 && m == 3, "3d is 3 days");
	ok(duty_parse_every("0d", &m) < 0, "0d is refused");
	ok(duty_parse_every("1y", &m) < 0, "1y is refused");

	ok(duty_parse_step("5m:supervisor", &v, target, sizeof target) == 0 && v == 300 &&
	       !strcmp(target, "supervisor"),
	   "5m:supervisor");
	ok(duty_parse_step("2h:site-lead", &v, target, sizeof target) == 0 && v == 7200,
	   "2h:site-lead");
	ok(duty_parse_step("5:duty", &v, target, sizeof target) < 0, "a delay needs its unit");
	ok(duty_parse_step("5m:", &v, target, sizeof target) < 0, "a step needs a target");
	ok(duty_parse_step("5m:Duty", &v, target, sizeof target) < 0, "targets are lowercase");

	/* days since the epoch (published values of days_from_civil) */
	is_int(duty_days_from_civil(1970, 1, 1), 0, "1970-01-01 is day 0");
	is_int(duty_days_from_civil(2000, 1, 1), 10957, "2000-01-01 is day 10957");
	is_int(duty_days_from_civil(2038, 1, 19), 24855, "2038-01-19 is day 24855");
	ok(duty_parse_day("2027-02-29", &v) < 0, "2027-02-29 does not exist");
	ok(duty_parse_day("2028-02-29", &v) == 0 && v == duty_days_from_civil(2028, 2, 29),
	   "2028-02-29 does");

	struct duty_need need = {{0}};
	ok(duty_need_parse(&need, "22-06:2") == 0 && need.need[23] == 2 && need.need[5] == 2 &&
	       need.need[6] == 0 && need.need[21] == 0,
	   "22-06:2 wraps midnight, its end excluded");
	ok(duty_need_parse(&need, "08-08:2") < 0, "an empty span is refused");
	/* what sscanf took and should not have (found by fuzz-duty) */
	ok(duty_parse_day("2620-\v5-29", &v) < 0, "a date with a space in it is refused");
	ok(duty_parse_day("2026-+1-01", &v) < 0, "a date with a sign in it is refused");
	ok(duty_parse_day(" 2026-1-01", &v) < 0, "a date of other widths is refused");
	struct duty_need none = {{0}};
	ok(duty_need_parse(&none, "22-06:4294967297") < 0,
	   "a number of people that overflows an int is refused, not read as 1");
	ok(duty_need_parse(&none, " 1-2:3") < 0 && duty_need_parse(&none, "+1-2:3") < 0 &&
	       duty_need_parse(&none, "1-2:-0") < 0 && duty_need_parse(&none, "1-2:") < 0 &&
	       duty_need_parse(&none, "") < 0 && duty_need_parse(&none, "1-") < 0,
	   "spaces, signs and missing parts are refused");
	ok(duty_need_parse(&none, "6-9:1") == 0 && none.need[6] == 1 && none.need[9] == 0,
	   "one-digit hours are read");

	if (!tz_zone_known("Europe/Paris")) {
		printf("# SKIP local times: the time zone database is missing\n");
		return tap_done();
	}
	setenv("TZ", "America/New_York", 1);
	duty_local_text("Europe/Paris", 1837645200, buf, sizeof buf); /* 2028-03-26T01:00:00Z */
	is_str(buf, "2028-03-26 03:00+02:00", "01:00Z on 26 March 2028 is 03:00 in Lyon (CEST)");
	duty_local_text("Europe/Paris", 1806192000, buf, sizeof buf); /* 2027-03-28T00:00:00Z */
	is_str(buf, "2027-03-28 01:00+01:00", "midnight UTC on 28 March 2027 is 01:00 CET");
	duty_local_text("Asia/Singapore", 1806192000, buf, sizeof buf);
	is_str(buf, "2027-03-28 08:00+08:00", "and 08:00 in Singapore");
	duty_local_text("America/Argentina/Buenos_Aires", 1806192000, buf, sizeof buf);
	is_str(buf, "2027-03-27 21:00-03:00", "and 21:00 the day before in Buenos Aires");
	is_str(getenv("TZ"), "America/New_York", "TZ is restored");
	is_str(duty_default_zone("buenos-aires"), "America/Argentina/Buenos_Aires",
	       "the shipped zone of Buenos Aires");
	ok(duty_default_zone("nairobi") == NULL, "no shipped zone for another site");
	return tap_done();
}
