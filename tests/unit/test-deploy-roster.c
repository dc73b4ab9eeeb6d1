/*
 * test-deploy-roster: staff records checked and normalised (the forms a CSV
 * cell or a hand-written record use), dates, and the official languages.
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/deploy-languages.h"
#include "ccc/deploy-roster.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "tap.h"

static char *normalized(const char *text, char *reason, size_t rlen)
{
	char why[256];
	jv rec = ndjson_parse(text, strlen(text), why, sizeof why);
	if (!jv_is_valid(rec))
		return NULL;
	rec = deploy_staff_normalize(rec, reason, rlen);
	if (!jv_is_valid(rec))
		return NULL;
	struct buf b = {0};
	json_write(&b, rec);
	jv_free(rec);
	buf_addc(&b, '\0');
	return b.p;
}

static void refused(const char *text, const char *want, const char *name)
{
	char reason[256] = "";
	char *s = normalized(text, reason, sizeof reason);
	ok(!s, "%s: refused", name);
	is_str(reason, want, "%s: reason", name);
	free(s);
}

/* A change as staff update makes it: a language or course given replaces
 * the one of the same code, unavailability is added to. */
static void change(void)
{
	char reason[256];
	jv rec = jv_parse("{\"type\":\"staff\",\"v\":1,\"id\":\"s-9\",\"name\":\"X\","
			  "\"site\":\"lyon\",\"languages\":[{\"lang\":\"ar\",\"level\":"
			  "\"native\"},{\"lang\":\"fr\",\"level\":\"B1\"}],\"unavailable\":[{"
			  "\"from\":\"2026-12-01\",\"to\":\"2026-12-02\"}]}");
	struct deploy_staff_change c = {.langs = "fr:C1,en:B2",
					.unavailable = "2027-01-02/2027-01-09"};
	rec = deploy_staff_normalize(deploy_staff_change(rec, &c, 1), reason, sizeof reason);
	jv langs = jv_object_get(jv_copy(rec), jv_string("languages"));
	struct buf b = {0};
	json_write(&b, langs);
	jv_free(langs);
	buf_addc(&b, '\0');
	is_str(b.p,
	       "[{\"lang\":\"ar\",\"level\":\"native\"},{\"lang\":\"fr\",\"level\":\"C1\"},"
	       "{\"lang\":\"en\",\"level\":\"B2\"}]",
	       "update: fr replaced, ar kept, en added");
	buf_free(&b);
	jv away = jv_object_get(jv_copy(rec), jv_string("unavailable"));
	is_int(jv_array_length(away), 2, "update: the period away is added");
	c.unavailable = NULL;
	c.langs = "es:native";
	rec = deploy_staff_normalize(deploy_staff_change(rec, &c, 0), reason, sizeof reason);
	langs = jv_object_get(rec, jv_string("languages"));
	is_int(jv_array_length(langs), 1, "add: the list given is the whole list");
}

int main(void)
{
	char reason[256];
	change();
	char *s = normalized(
	    "{\"id\":\"s-1\",\"name\":\"Amina Haddad\",\"site\":\"lyon\","
	    "\"languages\":\"ar:native;fr:C1\",\"skills\":\"team_lead;forensics\","
	    "\"trainings\":\"irt_readiness:2027-05-01\",\"passport_expires\":\"2031-02-28\","
	    "\"unavailable\":\"2026-12-24/2026-12-31\",\"badge\":\"A-17\"}",
	    reason, sizeof reason);
	is_str(
	    s,
	    "{\"id\":\"s-1\",\"name\":\"Amina "
	    "Haddad\",\"site\":\"lyon\",\"languages\":[{\"lang\":\"ar\","
	    "\"level\":\"native\"},{\"lang\":\"fr\",\"level\":\"C1\"}],\"skills\":[\"forensics\","
	    "\"team_lead\"],\"trainings\":[{\"course\":\"irt_readiness\",\"expires\":\"2027-05-"
	    "01\"}],"
	    "\"passport_expires\":\"2031-02-28\",\"unavailable\":[{\"from\":\"2026-12-24\",\"to\":"
	    "\"2026-12-31\"}],\"badge\":\"A-17\",\"type\":\"staff\",\"v\":1}",
	    "lists given as CSV cells are normalised; unknown fields are kept");
	free(s);
	s = normalized(
	    "{\"type\":\"staff\",\"id\":\"s-2\",\"name\":\"Li Wei\",\"site\":\"singapore\","
	    "\"languages\":{\"zh\":\"native\",\"en\":\"C2\"},\"trainings\":{\"first_aid\":"
	    "\"2026-06-30\",\"irt_readiness\":\"2027-01-31\"},\"unavailable\":[{\"from\":"
	    "\"2026-12-01\",\"to\":\"2026-12-02\",\"reason\":\"course\"}]}",
	    reason, sizeof reason);
	ok(s && strstr(s, "\"languages\":[{\"lang\":\"zh\",\"level\":\"native\"},{\"lang\":\"en\","
			  "\"level\":\"C2\"}]"),
	   "languages as an object");
	ok(s &&
	       strstr(s, "\"trainings\":[{\"course\":\"irt_readiness\",\"expires\":\"2027-01-31\"},"
			 "{\"course\":\"first_aid\",\"expires\":\"2026-06-30\"}]"),
	   "trainings as an object, in the order of the courses");
	ok(s && strstr(s, "\"reason\":\"course\""), "an unavailability keeps its reason");
	free(s);

	refused("{\"id\":\"s-3\",\"name\":\"X\",\"site\":\"paris\"}",
		"field 'site': 'paris' is not lyon, buenos-aires or singapore", "unknown site");
	refused("{\"id\":\"s 3\",\"name\":\"X\",\"site\":\"lyon\"}",
		"field 'id': 's 3' is not an id (letters, digits, '-', '_', '.'; at most 63)",
		"bad id");
	refused("{\"id\":\"s-3\",\"site\":\"lyon\"}", "field 'name': missing", "no name");
	refused(
	    "{\"id\":\"s-3\",\"name\":\"X\",\"site\":\"lyon\",\"skills\":[\"juggling\"]}",
	    "field 'skills': 'juggling' is not a skill (disaster_victim_identification, forensics, "
	    "counter_terrorism, fugitive_investigation, cybercrime, database_support, firearms, "
	    "crisis_management, liaison, team_lead)",
	    "unknown skill");
	refused("{\"id\":\"s-3\",\"name\":\"X\",\"site\":\"lyon\",\"languages\":\"fr:fluent\"}",
		"field 'languages': 'fr': level 'fluent' is not A1, A2, B1, B2, C1, C2 or native",
		"bad level");
	refused("{\"id\":\"s-3\",\"name\":\"X\",\"site\":\"lyon\",\"languages\":\"french:C1\"}",
		"field 'languages': item 1: give an ISO 639-1 code and a level, e.g. fr:C1",
		"bad language");
	refused("{\"id\":\"s-3\",\"name\":\"X\",\"site\":\"lyon\",\"trainings\":\"irt_readiness:"
		"2027-02-30\"}",
		"field 'trainings': irt_readiness: expiry '2027-02-30' is not a date (YYYY-MM-DD)",
		"bad date");
	refused("{\"id\":\"s-3\",\"name\":\"X\",\"site\":\"lyon\",\"unavailable\":\"2026-12-05/"
		"2026-12-01\"}",
		"field 'unavailable': item 1: '2026-12-01' is before '2026-12-05'",
		"window backwards");
	refused("{\"type\":\"plan\",\"id\":\"s-3\",\"name\":\"X\",\"site\":\"lyon\"}",
		"type 'plan' is not staff", "another type");

	time_t t;
	ok(deploy_parse_when("2026-12-10", 1, &t) == 0 && t == 1796860800 + 86400,
	   "a date as an end is the start of the next day");
	is_int(deploy_add_months(1796860800 /* 2026-12-10 */, 6), 1812585600,
	       "2026-12-10 + 6 months = 2027-06-10");
	ok(deploy_parse_when("2026-08-31", 0, &t) == 0 && deploy_add_months(t, 6) == 1803772800,
	   "2026-08-31 + 6 months = 2027-02-28 (clamped)");
	is_str(deploy_official_languages("MA"), "ar", "Morocco: Arabic");
	is_str(deploy_official_languages("CA"), "en,fr", "Canada: English and French");
	is_str(deploy_official_languages("SG"), "en,ms,zh,ta", "Singapore: four");
	ok(deploy_official_languages("XX") == NULL, "an unknown country has none");
	static const char *const required[] = {"FR", "ES", "AR", "MA", "EG", "SG", "BR", "US", "GB",
					       "DE", "IT", "NG", "KE", "ZA", "MX", "CO", "AE", "SA",
					       "JO", "LB", "TN", "DZ", "CA", "BE", "CH", NULL};
	int missing = 0;
	for (int i = 0; required[i]; i++)
		missing += deploy_official_languages(required[i]) == NULL;
	is_int(missing, 0, "every country of the table's list is present");
	return tap_done();
}
