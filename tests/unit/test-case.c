/*
 * test-case: how an officer names an item a case links, which records of a
 * stream are items, titles, distributions and who they let see a case, and
 * the sitrep's dates in each language.
 */
#include <string.h>

#include "ccc/case-report.h"
#include "ccc/case.h"
#include "tap.h"

/* case_item_parse of text: "KIND ID", or "error". */
static const char *parse(const char *text)
{
	static char out[600];
	char kind[32], id[512], err[512];
	if (case_item_parse(text, kind, sizeof kind, id, sizeof id, err, sizeof err) < 0)
		return "error";
	snprintf(out, sizeof out, "%s %s", kind, id);
	return out;
}

static const char *record_item(const char *json)
{
	static char out[600];
	char kind[32], id[512];
	jv rec = jv_parse(json);
	int yes = case_record_item(rec, kind, sizeof kind, id, sizeof id);
	jv_free(rec);
	if (!yes)
		return "none";
	snprintf(out, sizeof out, "%s %s", kind, id);
	return out;
}

int main(void)
{
	const char *why;
	char err[256], t[64];

	is_str(parse("msg-lyon-12"), "message msg-lyon-12", "a message by its id");
	is_str(parse("msg-buenos-aires-3"), "message msg-buenos-aires-3", "a site with a dash");
	is_str(parse("notice-lyon-3"), "notice notice-lyon-3", "a notice by its id");
	is_str(parse("plan-lyon-1"), "plan plan-lyon-1", "a plan");
	is_str(parse("dep-lyon-1"), "deployment dep-lyon-1", "a deployment");
	is_str(parse("case-lyon-2"), "case case-lyon-2", "a case");
	is_str(parse("check:7"), "check 7", "a check by its consultation number");
	is_str(parse("consultation:7"), "check 7", "consultation: is check:");
	is_str(parse("check:0"), "error", "no consultation 0");
	is_str(parse("check:7x"), "error", "a consultation number is digits");
	is_str(parse("notice:A-12/2026"), "notice A-12/2026", "a notice by its control number");
	is_str(parse("person:EG-2026-0042"), "person EG-2026-0042", "a person");
	is_str(parse("persons:EG-2026-0042"), "person EG-2026-0042",
	       "persons: as ccc-check names it");
	is_str(parse("document:FR:19AB45872"), "document FR:19AB45872", "a document");
	is_str(parse("doc:FR:19AB45872"), "document FR:19AB45872", "doc: as ccc-check names a hit");
	is_str(parse("document:FRA:1"), "error", "a document's country is two letters");
	is_str(parse("document:FR:"), "error", "a document needs its number");
	is_str(parse("message:"), "error", "a kind needs an id");
	is_str(parse("msg-lyon-"), "error", "an id needs its number");
	is_str(parse("msg-lyon-1a"), "error", "an id's number is digits");
	is_str(parse("rej-abc"), "error", "a reject is no item");
	is_str(parse("banana:1"), "error", "an unknown kind");

	is_str(record_item("{\"type\":\"message\",\"id\":\"msg-lyon-1\"}"), "message msg-lyon-1",
	       "a message record");
	is_str(record_item("{\"consultation\":12,\"db\":\"documents\"}"), "check 12",
	       "a consultation log entry");
	is_str(record_item("{\"type\":\"query\",\"id\":\"q-1700000000000\"}"), "none",
	       "a query is no item");
	is_str(record_item("{\"type\":\"x\",\"id\":\"person:EG-1\"}"), "none",
	       "a record's id is its own, not a KIND:ID");
	is_str(record_item("[1,2]"), "none", "not an object");
	/* cast to long long, 1e300 was undefined behaviour (fuzz-caseitem) */
	is_str(record_item("{\"consultation\":1e300}"), "none", "a consultation number too big");
	is_str(record_item("{\"consultation\":7.5}"), "none", "a consultation number not whole");

	ok(case_text_ok("Bomb threat, Lyon Part-Dieu", &why), "a title");
	ok(case_text_ok("تهديد بقنبلة", &why), "an Arabic title");
	ok(!case_text_ok("a\x1b[31mred", &why) && !strcmp(why, "it holds a control character"),
	   "an escape sequence");
	ok(!case_text_ok("line\nbreak", &why), "a newline");
	ok(!case_text_ok("bad \xff", &why) && !strcmp(why, "it is not valid UTF-8"),
	   "invalid UTF-8");
	ok(!case_text_ok("", &why) && !strcmp(why, "it is empty"), "empty");
	ok(!case_text_ok("a\u202eb", &why), "a bidirectional override");

	jv d = case_distribution("FR,MA,FR", "europe", err, sizeof err);
	ok(jv_is_valid(d), "a distribution");
	jv c = jv_object_get(jv_copy(d), jv_string("countries"));
	is_int(jv_array_length(c), 2, "a country named twice is kept once");
	ok(case_visible_to(d, "MA"), "a named country sees the case");
	ok(case_visible_to(d, "DE"), "a country of a named region sees it");
	ok(!case_visible_to(d, "US"), "another does not");
	ok(!case_visible_to(d, NULL), "nobody does not");
	jv_free(d);
	d = case_distribution("FR,XX", NULL, err, sizeof err);
	ok(!jv_is_valid(d) && strstr(err, "'XX'"), "an unknown country: %s", err);
	jv_free(d);
	d = case_distribution(NULL, "europe,,mena", err, sizeof err);
	ok(!jv_is_valid(d), "an empty item in a list: %s", err);
	jv_free(d);
	d = case_distribution(NULL, NULL, err, sizeof err);
	ok(!case_visible_to(d, "FR"), "no distribution: no country");
	jv_free(d);

	case_sitrep_time("2026-11-20T14:05:00Z", "en", t, sizeof t);
	is_str(t, "20 Nov 2026 14:05 UTC", "en");
	case_sitrep_time("2026-11-20T14:05:00Z", "fr", t, sizeof t);
	is_str(t, "20 nov. 2026 14h05 UTC", "fr: the hour with h");
	case_sitrep_time("2026-08-01T09:00:00+02:00", "fr", t, sizeof t);
	is_str(t, "1 août 2026 07h00 UTC", "fr: an offset is taken to UTC");
	case_sitrep_time("2026-01-02T00:00:00Z", "es", t, sizeof t);
	is_str(t, "2 ene 2026 00:00 UTC", "es");
	case_sitrep_time("2026-03-05T18:30:00Z", "ar", t, sizeof t);
	is_str(t, "5 مارس 2026 18:30 UTC", "ar: the month's Arabic name, Western digits");
	case_sitrep_time("soon", "en", t, sizeof t);
	is_str(t, "soon", "no time: the text itself");
	return tap_done();
}
