/*
 * test-case-export.c: who sees what of a case (its distribution by country
 * and region, each linked record's own restriction), name-based UUIDs
 * against RFC 9562's vector, and whole exports of a store filled here: a
 * restricted record leaves no trace, a country outside the distribution is
 * refused, and a rerun gives the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ccc/case-export.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/refdb.h"
#include "ccc/store.h"
#include "tap.h"

static jv parse(const char *s)
{
	jv v = jv_parse(s);
	if (!jv_is_valid(v)) {
		fprintf(stderr, "bad test JSON: %s\n", s);
		abort();
	}
	return v;
}

/* The compact text of v (consumed), malloc'd. */
static char *text(jv v)
{
	jv s = jv_dump_string(v, 0);
	char *p = strdup(jv_string_value(s));
	jv_free(s);
	return p;
}

static void test_uuid(void)
{
	/* RFC 9562 appendix A.4: UUIDv5 of the DNS name space and "www.example.com" */
	static const uint8_t dns[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
					0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
	char u[37];
	case_export_uuid5(dns, "www.example.com", u);
	is_str(u, "2ed6657d-e927-568b-95e1-2665a8aea6a2", "UUIDv5 of RFC 9562's example");
	/* the export's name space is uuid5(URL, "urn:x-ccc:case-export") (Python's
	 * uuid.uuid5 gives the same) */
	case_export_item_uuid("case-lyon-1", NULL, NULL, u);
	is_str(u, "f128d559-dfc9-5492-88e9-674fb589ca00", "a case's UUID is stable");
	char v[37];
	case_export_item_uuid("case-lyon-1", "message", "msg-lyon-1", v);
	ok(strcmp(u, v) != 0 && v[14] == '5' && strchr("89ab", v[19]),
	   "an item's is version 5, RFC variant");
	char w[37];
	case_export_item_uuid("case-lyon-2", "message", "msg-lyon-1", w);
	ok(strcmp(v, w) != 0, "the same item in another case has another UUID");
}

static void test_distribution(void)
{
	jv d = parse("{\"countries\":[\"FR\",\"ES\",\"FR\"],\"regions\":[\"mena\",\"atlantis\"]}");
	char *s = text(case_export_countries(jv_copy(d)));
	is_str(
	    s,
	    "[\"AE\",\"BH\",\"DZ\",\"EG\",\"ES\",\"FR\",\"IQ\",\"JO\",\"KW\",\"LB\",\"LY\",\"MA\","
	    "\"OM\",\"PS\",\"QA\",\"SA\",\"SY\",\"TN\",\"YE\"]",
	    "the countries of a distribution: named and its regions', sorted, each once");
	free(s);
	jv_free(d);

	jv c = parse("{\"id\":\"case-lyon-1\",\"owner\":\"duty\",\"distribution\":{\"countries\":"
		     "[\"FR\",\"ES\"],\"regions\":[\"mena\"]}}");
	ok(case_export_case_visible(c, "FR"), "a named country sees the case");
	ok(case_export_case_visible(c, "MA"), "a country of a named region sees the case");
	ok(!case_export_case_visible(c, "DE"), "a country outside the distribution does not");
	ok(!case_export_case_visible(c, NULL), "no country sees nothing");
	jv_free(c);
	c = parse("{\"id\":\"case-lyon-2\",\"owner\":\"FR\"}");
	ok(!case_export_case_visible(c, "FR"),
	   "a case without a distribution is shared with nobody");
	jv_free(c);
}

static void test_records(void)
{
	/* reference records: the one rule of ccc-check */
	ok(refdb_visible("MA", "MA", "MA", NULL), "the owner sees its own record");
	ok(!refdb_visible("FR", "MA", "MA,ES", NULL), "allow: another country does not");
	ok(refdb_visible("ES", "MA", "MA,ES", NULL), "allow: a listed country does");
	ok(!refdb_visible("FR", "MA", NULL, "FR,DE"), "deny: a listed country does not");
	ok(refdb_visible("ES", "MA", NULL, "FR,DE"), "deny: another country does");
	ok(!refdb_visible(NULL, "MA", NULL, "FR"), "deny: an unknown country does not");
	ok(refdb_visible("FR", "MA", NULL, NULL), "no restriction: every country does");

	struct {
		const char *rec, *cc;
		int want;
		const char *name;
	} m[] = {
	    {"{\"origin_country\":\"FR\"}", "DE", 1, "a message without restriction"},
	    {"{\"origin_country\":\"fr\",\"restrict\":{\"allow\":[\"ES\"]}}", "FR", 1,
	     "its origin country (any case) sees its message"},
	    {"{\"origin_country\":\"FR\",\"restrict\":{\"allow\":[\"ES\"]}}", "ES", 1,
	     "restrict allow: a listed country"},
	    {"{\"origin_country\":\"FR\",\"restrict\":{\"allow\":[\"ES\"]}}", "DE", 0,
	     "restrict allow: another country"},
	    {"{\"origin_country\":\"FR\",\"restrict\":{\"allow\":[]}}", "ES", 0,
	     "restrict allow []: only the origin"},
	    {"{\"origin_country\":\"FR\",\"restrict\":{\"deny\":[\"DE\"]}}", "DE", 0,
	     "restrict deny: a listed country"},
	    {"{\"origin_country\":\"FR\",\"restrict\":{\"deny\":[\"DE\"]}}", "ES", 1,
	     "restrict deny: another country"},
	    {"{\"origin_country\":\"FR\",\"restrict\":\"secret\"}", "ES", 0,
	     "a restriction that cannot be read keeps the message back"},
	    {"{\"origin_country\":\"FR\",\"restrict\":{\"allow\":\"ES\"}}", "ES", 0,
	     "an allow that is not a list keeps it back"},
	    {"{\"origin_country\":\"FR\",\"cap\":{\"scope\":\"Restricted\"}}", "ES", 0,
	     "a CAP alert of scope Restricted: only its origin"},
	    {"{\"origin_country\":\"FR\",\"cap\":{\"scope\":\"Public\"}}", "ES", 1,
	     "a public CAP alert"},
	    {"{\"restrict\":{\"allow\":[\"ES\"]}}", "ES", 1, "no origin: the allow list decides"},
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		jv r = parse(m[i].rec);
		is_int(case_export_message_visible(r, m[i].cc), m[i].want, "%s", m[i].name);
		jv_free(r);
	}

	jv n = parse("{\"id\":\"notice-lyon-1\",\"status\":\"draft\"}");
	ok(!case_export_notice_visible(n, 1), "a notice never published is not exported");
	jv_free(n);
	n = parse("{\"id\":\"notice-lyon-1\",\"status\":\"cancelled\",\"published_at\":"
		  "\"2026-11-28T10:00:00Z\"}");
	ok(case_export_notice_visible(n, 1), "a published notice the country reads is");
	ok(!case_export_notice_visible(n, 0), "one it may not read is not");
	jv_free(n);
}

/* ---- a store filled here ---- */

static const char FILL[] =
    "INSERT INTO cases VALUES('case-lyon-1', 1, 'incident', 'open', 'Bomb threat, Lyon',"
    " 'duty', '{\"type\":\"case\",\"v\":1,\"id\":\"case-lyon-1\",\"kind\":\"incident\","
    "\"status\":\"open\",\"title\":\"Bomb threat, Lyon\",\"lead\":\"a.martin\","
    "\"owner\":\"duty\",\"distribution\":{\"countries\":[\"FR\",\"ES\"],\"regions\":[\"mena\"]},"
    "\"opened_at\":\"2026-11-28T09:00:00Z\",\"updated_at\":\"2026-11-28T09:30:00Z\"}',"
    " '2026-11-28T09:30:00Z');"
    "INSERT INTO cases VALUES('case-lyon-2', 2, 'operation', 'open', 'Other op', 'duty',"
    " '{\"distribution\":{\"countries\":[\"DE\"]},\"opened_at\":\"2026-11-28T09:00:00Z\"}',"
    " '2026-11-28T09:00:00Z');"
    "INSERT INTO case_log(case_id, ts, actor, action, detail) VALUES"
    " ('case-lyon-1', '2026-11-28T09:00:00Z', 'duty', 'open', NULL),"
    " ('case-lyon-1', '2026-11-28T09:30:00Z', 'duty', 'link', NULL),"
    " ('case-lyon-1', '2026-11-28T11:00:00Z', 'duty', 'export', 'FR');"
    "INSERT INTO messages(n, id, dkey, record) VALUES (1, 'msg-lyon-1', 'k1',"
    " '{\"type\":\"message\",\"v\":1,\"id\":\"msg-lyon-1\",\"origin_country\":\"FR\","
    "\"received_at\":\"2026-11-28T08:00:00Z\",\"subject\":\"Passeport vole\","
    "\"body\":\"Le passeport 19AB45872 a ete vole.\",\"entities\":[{\"kind\":\"document\","
    "\"number\":\"19AB45872\",\"label\":\"passport\",\"country\":\"FR\"},{\"kind\":\"vin\","
    "\"vin\":\"1HGCM82633A004352\",\"valid\":true}],\"checks\":[{\"db\":\"documents\","
    "\"hits\":[{\"id\":\"doc:FR:19AB45872\",\"record\":{\"secret\":\"CHECKS-NOT-EXPORTED\"}}]}]}'),"
    " (2, 'msg-lyon-2', 'k2', '{\"type\":\"message\",\"v\":1,\"id\":\"msg-lyon-2\","
    "\"origin_country\":\"MA\",\"subject\":\"HIDDEN-MESSAGE\",\"restrict\":{\"allow\":[\"MA\"]}}');"
    "INSERT INTO documents(number, country, status, owner, allow, deny, review_by, record)"
    " VALUES ('19AB45872', 'FR', 'stolen', 'FR', NULL, NULL, NULL,"
    " '{\"number\":\"19AB45872\",\"country\":\"FR\",\"status\":\"stolen\",\"owner\":\"FR\"}'),"
    " ('MA7777777', 'MA', 'stolen', 'MA', 'MA', NULL, NULL,"
    " '{\"number\":\"MA7777777\",\"country\":\"MA\",\"status\":\"stolen\",\"owner\":\"MA\"}');"
    "INSERT INTO persons(id, owner, allow, deny, names, record) VALUES"
    " ('P-MA-1', 'MA', 'MA,ES', NULL, 'x', '{\"id\":\"P-MA-1\",\"name\":\"Karim Benali\"}'),"
    " ('P-FR-1', 'FR', NULL, NULL, 'y', '{\"id\":\"P-FR-1\",\"name\":\"Jean Dupont\","
    "\"dob\":\"1970-01-02\",\"nationalities\":[\"FR\"],\"owner\":\"FR\"}');"
    "INSERT INTO consultations(c, ts, actor, ncb, db, query, hits) VALUES"
    " (1, '2026-11-28T08:05:00Z', 'duty', 'FR', 'documents',"
    " '{\"number\":\"19AB45872\",\"country\":\"FR\"}',"
    " '[{\"id\":\"doc:FR:19AB45872\",\"owner\":\"FR\",\"restricted\":false}]'),"
    " (2, '2026-11-28T08:06:00Z', 'duty', 'MA', 'documents',"
    " '{\"number\":\"MA7777777\",\"country\":\"MA\"}',"
    " '[{\"id\":\"doc:MA:MA7777777\",\"owner\":\"MA\",\"restricted\":false}]');"
    "INSERT INTO case_links(case_id, kind, item, linked_at, actor) VALUES"
    " ('case-lyon-1', 'message', 'msg-lyon-1', '2026-11-28T09:30:00Z', 'duty'),"
    " ('case-lyon-1', 'message', 'msg-lyon-2', '2026-11-28T09:30:00Z', 'duty'),"
    " ('case-lyon-1', 'document', 'FR:19AB45872', '2026-11-28T09:30:00Z', 'duty'),"
    " ('case-lyon-1', 'document', 'MA:MA7777777', '2026-11-28T09:30:00Z', 'duty'),"
    " ('case-lyon-1', 'person', 'P-MA-1', '2026-11-28T09:30:00Z', 'duty'),"
    " ('case-lyon-1', 'person', 'P-FR-1', '2026-11-28T09:30:00Z', 'duty'),"
    " ('case-lyon-1', 'check', '1', '2026-11-28T09:30:00Z', 'duty'),"
    " ('case-lyon-1', 'check', '2', '2026-11-28T09:30:00Z', 'duty'),"
    " ('case-lyon-1', 'case', 'case-lyon-2', '2026-11-28T09:30:00Z', 'duty');";

static struct store *filled_store(const char *dir)
{
	char path[512], key[512];
	struct store *s = NULL;
	snprintf(path, sizeof path, "%s/lyon.db", dir);
	snprintf(key, sizeof key, "%s/lyon.pem", dir);
	if (store_init_opts(path, "lyon", key, 0, NULL) ||
	    store_open_opts(path, STORE_WRITE, key, NULL, &s) || store_begin(s))
		return NULL;
	char *err = NULL;
	if (sqlite3_exec(store_db(s), FILL, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "fill: %s\n", err);
		return NULL;
	}
	int64_t seq;
	if (store_commit(s, &seq))
		return NULL;
	return s;
}

/* The export of case id for cc in format as text (malloc'd), or NULL with
 * *rc and *why. */
static char *export(struct store *s, const char *id, const char *cc, const char *format, int *rc,
		    char **why)
{
	jv out = jv_null();
	*rc = case_export(s, id, cc, format, &out, why);
	if (*rc) {
		jv_free(out);
		return NULL;
	}
	return text(out);
}

/* The jq-like value at path (dot separated keys of objects) of text t. */
static char *at(const char *t, const char *path)
{
	jv v = jv_parse(t);
	char *p = strdup(path), *save = NULL;
	for (char *k = strtok_r(p, ".", &save); k; k = strtok_r(NULL, ".", &save))
		v = jv_get_kind(v) == JV_KIND_ARRAY ? jv_array_get(v, atoi(k))
						    : jv_object_get(v, jv_string(k));
	free(p);
	if (jv_get_kind(v) == JV_KIND_STRING) {
		char *r = strdup(jv_string_value(v));
		jv_free(v);
		return r;
	}
	return text(v);
}

static void test_store(void)
{
	char dir[] = "/tmp/test-case-export-XXXXXX";
	if (!mkdtemp(dir)) {
		ok(0, "a scratch directory");
		return;
	}
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_DATA_HOME", dir, 1);
	setenv("XDG_STATE_HOME", dir, 1);
	setenv("CCC_NOW", "2026-11-28T12:00:00Z", 1);
	struct store *s = filled_store(dir);
	if (!ok(s != NULL, "a store filled with a case and what it links"))
		return;
	int rc;
	char *why = NULL;

	char *misp = export(s, "case-lyon-1", "FR", "misp", &rc, &why);
	is_int(rc, 0, "FR is in the distribution: exported");
	if (misp) {
		char *v;
		is_str(v = at(misp, "Event.uuid"), "f128d559-dfc9-5492-88e9-674fb589ca00",
		       "the event's UUID is the case's");
		free(v);
		is_str(v = at(misp, "Event.info"), "Bomb threat, Lyon (incident case-lyon-1)",
		       "info: title, kind and id");
		free(v);
		is_str(v = at(misp, "Event.distribution"), "4", "distribution 4: a sharing group");
		free(v);
		is_str(v = at(misp, "Event.date"), "2026-11-28", "date: when it was opened");
		free(v);
		is_str(v = at(misp, "Event.timestamp"), "1795858200",
		       "timestamp: its last change, not the export logged after it");
		free(v);
		is_str(v = at(misp, "Event.SharingGroup.SharingGroupOrg.0.Organisation.name"),
		       "NCB AE",
		       "the sharing group: the distribution's countries, regions expanded");
		free(v);
		ok(strstr(misp, "\"passport-number\"") && strstr(misp, "\"19AB45872\""),
		   "the passport named in a message is a passport-number attribute");
		ok(strstr(misp, "\"Jean Dupont\"") != NULL,
		   "a person FR may see is a person object");
		ok(strstr(misp, "Other op") == NULL, "a linked case FR may not see is left out");
		static const char *const never[] = {"MA7777777",  "P-MA-1",
						    "Karim",      "HIDDEN-MESSAGE",
						    "msg-lyon-2", "CHECKS-NOT-EXPORTED"};
		for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
			ok(strstr(misp, never[i]) == NULL, "MISP for FR: no trace of '%s'",
			   never[i]);
		char *again = export(s, "case-lyon-1", "FR", "misp", &rc, &why);
		is_str(again, misp, "a rerun gives the same bytes");
		free(again);
	}

	char *stix = export(s, "case-lyon-1", "ES", "stix", &rc, &why);
	is_int(rc, 0, "ES is in the distribution: a STIX bundle");
	if (stix) {
		char *v;
		is_str(v = at(stix, "type"), "bundle", "a bundle");
		free(v);
		is_str(v = at(stix, "objects.0.type"), "identity", "first the exporting site");
		free(v);
		is_str(v = at(stix, "objects.1.id"), "report--f128d559-dfc9-5492-88e9-674fb589ca00",
		       "then the case's report, with the MISP event's UUID");
		free(v);
		is_str(v = at(stix, "objects.1.published"), "2026-11-28T09:30:00.000Z",
		       "published: the last change, to the millisecond");
		free(v);
		ok(strstr(stix, "[x-ccc-document:number = '19AB45872' AND "
				"x-ccc-document:issuing_country = 'FR']") != NULL,
		   "the stolen document is an indicator");
		/* ES may see MA's person (allow MA,ES) but not MA's document */
		ok(strstr(stix, "Karim Benali") != NULL,
		   "a person allowed to ES is exported to ES");
		ok(strstr(stix, "MA7777777") == NULL, "a document allowed to MA only is not");
		free(stix);
	}

	char *none = export(s, "case-lyon-1", "DE", "misp", &rc, &why);
	is_int(rc, CCC_EX_NOPERM, "DE is outside the distribution: 77");
	ok(none == NULL, "and nothing is exported");
	is_str(why,
	       "case 'case-lyon-1' is not shared with DE: the country is not in its distribution",
	       "the reason says so");
	free(why);
	why = NULL;
	export(s, "case-lyon-9", "FR", "misp", &rc, &why);
	is_int(rc, CCC_EX_DATAERR, "an unknown case: 65");
	is_str(why, "no case 'case-lyon-9'", "named");
	free(why);
	why = NULL;
	export(s, "case-lyon-1", "FR", "csv", &rc, &why);
	is_int(rc, CCC_EX_DATAERR, "an unknown format: 65");
	is_str(why, "unknown export format 'csv' (misp or stix)", "named");
	free(why);
	why = NULL;
	export(s, "case-lyon-1", "XX", "misp", &rc, &why);
	is_int(rc, CCC_EX_DATAERR, "an unknown country: 65");
	free(why);
	free(misp);
	store_close(s);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		ok(0, "scratch directory removed");
}

int main(void)
{
	test_uuid();
	test_distribution();
	test_records();
	test_store();
	return tap_done();
}
