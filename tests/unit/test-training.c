/*
 * test-training: the catalogue's names, spans and kinds, and readiness over
 * the shipped catalogue: valid today and through the next deployment.
 */
#include <string.h>

#include "ccc/deploy-roster.h"
#include "ccc/training-catalog.h"
#include "ccc/training-session.h"
#include "tap.h"

static time_t day(const char *d)
{
	time_t t = 0;
	deploy_parse_when(d, 0, &t);
	return t;
}

static void names(void)
{
	ok(training_valid_name("refresher_2026"), "refresher_2026 is a name");
	ok(training_valid_name("irt_readiness"), "irt_readiness is a name");
	ok(!training_valid_name("Refresher"), "no capitals");
	ok(!training_valid_name("2026_refresher"), "starts with a letter");
	ok(!training_valid_name("first-aid"), "no '-'");
	ok(!training_valid_name(""), "not empty");
	ok(!training_valid_name("a234567890123456789012345678901234567890"), "at most 39 bytes");
	is_int(training_course_slot("irt_readiness"), 0, "shipped: irt_readiness at slot 0");
	is_int(training_course_slot("first_aid"), 3, "shipped: first_aid at slot 3");
	is_int(training_skill_slot("team_lead"), 9, "shipped: team_lead at slot 9");
	is_int(training_course_slot("refresher_2026"), -1, "not in the shipped catalogue");
	is_str(training_course_name(1), "imest_readiness", "slot 1");
	is_str(training_course_name(31), "?", "a free slot");
	is_int((int)training_courses_for("irt"), 1, "irt teams need irt_readiness");
	is_int((int)training_courses_for("imest"), 2, "imest teams need imest_readiness");
}

static void spans(void)
{
	is_int(training_parse_months("24m"), 24, "24m");
	is_int(training_parse_months("2y"), 24, "2y");
	is_int(training_parse_months("18"), 18, "18: months");
	is_int(training_parse_months("0m"), -1, "0m");
	is_int(training_parse_months("3w"), -1, "3w");
	is_int(training_parse_months("m"), -1, "m");
	is_int(training_parse_months("51y"), -1, "more than 600 months");
	ok(training_parse_span("60d") == 60 * 86400LL, "60d");
	ok(training_parse_span("90") == 90 * 86400LL, "90: days");
	ok(training_parse_span("2w") == 14 * 86400LL, "2w");
	ok(training_parse_span("3m") == 90 * 86400LL, "3m: 90 days");
	ok(training_parse_span("soon") == -1, "soon");
	ok(training_parse_span("-1d") == -1, "-1d");
	char k[32];
	ok(training_parse_kinds("irt,imest", k, sizeof k) == 0 && !strcmp(k, "imest,irt"),
	   "kinds sorted");
	ok(training_parse_kinds("irt", k, sizeof k) == 0 && !strcmp(k, "irt"), "irt");
	ok(training_parse_kinds("", k, sizeof k) == 0 && !strcmp(k, ""), "none");
	ok(training_parse_kinds("irt,police", k, sizeof k) == -1, "police is no kind");
}

static void readiness(void)
{
	struct deploy_person p;
	char why[160];
	time_t now = day("2026-11-20");
	memset(&p, 0, sizeof p);
	deploy_parse_when("2027-06-30", 1, &p.training_until[TRAINING_IRT]);
	deploy_parse_when("2026-11-01", 1, &p.training_until[TRAINING_IMEST]);
	is_int((int)deploy_ready_kinds(&p, now, why, sizeof why), 1, "irt only");
	is_str(why, "imest_readiness expired 2026-11-01", "the reason");
	p.training_until[TRAINING_IMEST] = 0;
	deploy_ready_kinds(&p, now, why, sizeof why);
	is_str(why, "no imest_readiness on record", "no course");
	/* the next deployment ends after the IRT course */
	p.nbooked = 1;
	p.booked[0].from = day("2027-06-20");
	p.booked[0].to = day("2027-07-05");
	snprintf(p.booked[0].what, sizeof p.booked[0].what, "dep-lyon-4");
	is_int((int)deploy_ready_kinds(&p, now, why, sizeof why), 0, "not ready through it");
	is_str(why, "irt_readiness expires 2027-06-30, before dep-lyon-4 ends", "why");
	p.booked[0].to = day("2027-06-30");
	is_int((int)deploy_ready_kinds(&p, now, why, sizeof why), 1, "ready when it ends before");
	/* expiry is through the whole day */
	p.nbooked = 0;
	is_int((int)deploy_ready_kinds(&p, day("2027-06-30") + 86399, why, sizeof why), 1,
	       "valid on its last day");
	is_int((int)deploy_ready_kinds(&p, day("2027-07-01"), why, sizeof why), 0,
	       "expired the day after");
}

int main(void)
{
	names();
	spans();
	readiness();
	return tap_done();
}
