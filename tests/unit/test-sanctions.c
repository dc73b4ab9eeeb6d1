/*
 * test-sanctions.c: reference records from extracts of the real UN Security
 * Council Consolidated List and OFAC SDN files (tests/fixtures/sanctions, see
 * SOURCE.txt), checked field by field, and the parsers' handling of bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/sanctions.h"
#include "tap.h"

#define FIXTURES "tests/fixtures/sanctions/"

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(b = malloc((size_t)len + 1)) || fread(b, 1, (size_t)len, f) != (size_t)len) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	b[len] = '\0';
	*n = (size_t)len;
	return b;
}

/* What the callback saw: records by id (each with "_line"), bad ones in order. */
struct seen {
	jv by_id, bad, order;
	int stop_after; /* return 9 after this many records (0: never) */
	int n;
};

static int collect(jv rec, size_t line, void *ctx)
{
	struct seen *s = ctx;
	if (!jv_is_valid(rec)) {
		jv msg = jv_invalid_get_msg(rec);
		s->bad = jv_array_append(
		    s->bad,
		    jv_string_fmt("%zu: %s", line,
				  jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "?"));
		jv_free(msg);
		return 0;
	}
	jv id = jv_object_get(jv_copy(rec), jv_string("id"));
	rec = jv_object_set(rec, jv_string("_line"), jv_number((double)line));
	s->order = jv_array_append(s->order, jv_copy(id));
	s->by_id = jv_object_set(s->by_id, id, rec);
	return ++s->n == s->stop_after ? 9 : 0;
}

static void seen_init(struct seen *s)
{
	*s = (struct seen){jv_object(), jv_array(), jv_array(), 0, 0};
}

static void seen_free(struct seen *s)
{
	jv_free(s->by_id);
	jv_free(s->bad);
	jv_free(s->order);
}

/* A value by path "id.field.index.field" (numbers index arrays), or invalid. */
static jv get(const struct seen *s, const char *path)
{
	char buf[256], *save = NULL;
	jv v = jv_copy(s->by_id);

	snprintf(buf, sizeof buf, "%s", path);
	/* the id itself contains dots and a colon: it runs up to the first '/' */
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	v = jv_object_get(v, jv_string(buf));
	if (!slash)
		return v;
	for (char *t = strtok_r(slash + 1, "/", &save); t && jv_is_valid(v);
	     t = strtok_r(NULL, "/", &save)) {
		if (jv_get_kind(v) == JV_KIND_ARRAY)
			v = jv_array_get(v, atoi(t));
		else if (jv_get_kind(v) == JV_KIND_OBJECT)
			v = jv_object_get(v, jv_string(t));
		else {
			jv_free(v);
			return jv_invalid();
		}
	}
	return v;
}

/* The value at path as text: strings as they are, other values as JSON. */
static const char *str(const struct seen *s, const char *path)
{
	static char out[8][512];
	static int k;
	char *o = out[k++ % 8];
	jv v = get(s, path);

	if (!jv_is_valid(v)) {
		jv_free(v);
		return NULL;
	}
	if (jv_get_kind(v) == JV_KIND_STRING) {
		snprintf(o, 512, "%s", jv_string_value(v));
		jv_free(v);
	} else {
		jv d = jv_dump_string(v, 0);
		snprintf(o, 512, "%s", jv_string_value(d));
		jv_free(d);
	}
	return o;
}

static int array_len(const struct seen *s, const char *path)
{
	jv v = get(s, path);
	int n = jv_get_kind(v) == JV_KIND_ARRAY ? jv_array_length(v) : (jv_free(v), -1);
	return n;
}

/* How many names of record id have type (and quality, when not NULL). */
static int names_of(const struct seen *s, const char *id, const char *type, const char *quality)
{
	char path[64];
	int n = 0;

	snprintf(path, sizeof path, "%s/names", id);
	jv names = get(s, path);
	if (jv_get_kind(names) != JV_KIND_ARRAY) {
		jv_free(names);
		return -1;
	}
	jv_array_foreach (names, i, nm) {
		jv t = jv_object_get(jv_copy(nm), jv_string("type"));
		jv q = jv_object_get(nm, jv_string("quality"));
		if (jv_get_kind(t) == JV_KIND_STRING && !strcmp(jv_string_value(t), type) &&
		    (!quality ||
		     (jv_get_kind(q) == JV_KIND_STRING && !strcmp(jv_string_value(q), quality))))
			n++;
		jv_free(t);
		jv_free(q);
	}
	jv_free(names);
	return n;
}

/* Records of each kind, as "individual=20 entity=5 ...". */
static const char *kinds(const struct seen *s)
{
	static char out[128];
	int n[4] = {0};
	static const char *const k[] = {"individual", "entity", "vessel", "aircraft"};

	jv_object_foreach (s->by_id, id, rec) {
		jv kind = jv_object_get(rec, jv_string("kind"));
		for (int i = 0; i < 4; i++)
			if (jv_get_kind(kind) == JV_KIND_STRING &&
			    !strcmp(jv_string_value(kind), k[i]))
				n[i]++;
		jv_free(kind);
		jv_free(id);
	}
	snprintf(out, sizeof out, "individual=%d entity=%d vessel=%d aircraft=%d", n[0], n[1], n[2],
		 n[3]);
	return out;
}

static void test_un(void)
{
	size_t n;
	char *xml = slurp(FIXTURES "un-consolidated.xml", &n), *err = NULL;
	struct seen s;

	seen_init(&s);
	is_int(un_consolidated_parse(xml, n, collect, &s, &err), 0, "un: the extract parses");
	is_str(kinds(&s), "individual=20 entity=5 vessel=0 aircraft=0",
	       "un: 20 individuals, 5 entities");
	is_int(jv_array_length(jv_copy(s.bad)), 0, "un: no bad record");

	/* QDi.001: four name parts, Arabic original script, 2 good and 3 low aliases. */
	is_str(str(&s, "un:QDi.001/_line"), "4", "QDi.001 starts on line 4");
	is_str(str(&s, "un:QDi.001/kind"), "individual", "QDi.001 kind");
	is_str(str(&s, "un:QDi.001/reference"), "QDi.001", "QDi.001 reference");
	is_str(str(&s, "un:QDi.001/list"), "UN SC", "QDi.001 list");
	is_str(str(&s, "un:QDi.001/names/0/name"), "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE",
	       "QDi.001 primary name from FIRST..FOURTH_NAME");
	is_str(str(&s, "un:QDi.001/names/0/type"), "primary", "QDi.001 names[0] is primary");
	is_str(str(&s, "un:QDi.001/names/0/script"), "Latn", "QDi.001 primary is Latin");
	is_str(str(&s, "un:QDi.001/names/1/name"), "محمد صلاح الدين عبدالحليم زيدان",
	       "QDi.001 name in Arabic script");
	is_str(str(&s, "un:QDi.001/names/1/type"), "original_script",
	       "QDi.001 original script type");
	is_str(str(&s, "un:QDi.001/names/1/script"), "Arab", "QDi.001 original script is Arab");
	is_int(names_of(&s, "un:QDi.001", "aka", "good"), 2, "QDi.001: 2 good aliases");
	is_int(names_of(&s, "un:QDi.001", "aka", "low"), 3, "QDi.001: 3 low aliases");
	is_str(str(&s, "un:QDi.001/names/2/name"), "Sayf-Al Adl", "QDi.001 first alias");
	is_str(str(&s, "un:QDi.001/dob"), "[\"1963-04-11\",\"1960-04-11\"]",
	       "QDi.001 two full DOBs");
	is_str(str(&s, "un:QDi.001/nationalities"), "[\"EG\"]", "QDi.001 Egypt -> EG");
	is_str(str(&s, "un:QDi.001/listed_on"), "2001-01-25", "QDi.001 listed_on");
	is_str(str(&s, "un:QDi.001/programs"), "[\"Al-Qaida\"]", "QDi.001 program");
	is_str(str(&s, "un:QDi.001/places_of_birth/0/country"), "EG", "QDi.001 place of birth");
	ok(str(&s, "un:QDi.001/comments") &&
	       !strncmp(str(&s, "un:QDi.001/comments"), "Responsible for Usama", 21),
	   "QDi.001 comments are COMMENTS1");

	is_str(str(&s, "un:IQi.001/names/1/name"), "صدام حسين التكريتي", "IQi.001 Arabic name");
	is_str(str(&s, "un:IQi.001/dob"), "[\"1937-04-28\"]", "IQi.001 DATE");
	is_str(str(&s, "un:IQi.001/nationalities"), "[\"IQ\"]", "IQi.001 Iraq -> IQ");

	/* The forms of a date of birth. */
	is_str(str(&s, "un:CDi.004/dob"), "[\"1973-11\"]", "CDi.004 DOB only in a note: Nov. 1973");
	ok(!str(&s, "un:CDi.004/nationalities"), "CDi.004 has no nationality");
	is_str(str(&s, "un:CDi.014/dob"), "[\"1962-03-17\",\"1966\"]",
	       "CDi.014 an EXACT DATE and an APPROXIMATELY YEAR");
	is_str(str(&s, "un:CDi.030/dob"), "[\"1973\",\"1974\"]", "CDi.030 BETWEEN 1973 and 1974");
	is_str(str(&s, "un:TAi.079/dob"), "[\"1966\",\"1967\"]", "TAi.079 BETWEEN with a note");
	is_str(str(&s, "un:CFi.009/dob"),
	       "[\"1959\",\"1960\",\"1961\",\"1963\",\"1964-09-18\",\"1965\",\"1961-08\","
	       "\"1961-07\",\"1961-01-01\",\"1963-04\"]",
	       "CFi.009 ten dates of birth: years, a date, months from notes");
	is_str(str(&s, "un:KPi.016/dob"), "[\"1958-02-22\",\"1957-04-15\"]",
	       "KPi.016 an alias's date of birth counts");
	is_str(str(&s, "un:KPi.016/names/2/dob"), "[\"1958-02-22\"]",
	       "KPi.016 the alias keeps its date of birth");

	/* Nationalities and documents. */
	is_str(str(&s, "un:CFi.001/nationalities"), "[\"CF\",\"SS\"]", "CFi.001 two nationalities");
	is_str(str(&s, "un:CFi.001/names/0/name"), "FRANÇOIS YANGOUVONDA BOZIZÉ",
	       "CFi.001 accents kept");
	is_int(array_len(&s, "un:CFi.001/documents"), 2, "CFi.001 two documents");
	is_str(str(&s, "un:CFi.001/documents/0/type"), "passport", "CFi.001 passport");
	is_str(str(&s, "un:CFi.001/documents/0/number"), "D00002264", "CFi.001 passport number");
	is_str(str(&s, "un:CFi.001/documents/1/type"), "national_id", "CFi.001 national id");
	is_str(str(&s, "un:QDi.058/nationalities"), "[\"DZ\",\"PS\"]",
	       "QDi.058 State of Palestine -> PS");
	is_str(str(&s, "un:QDi.261/nationalities"), "[\"TR\"]", "QDi.261 Türkiye -> TR");
	is_str(str(&s, "un:QDi.261/documents/0/country"), "TR", "QDi.261 document issued by TR");
	is_str(str(&s, "un:QDi.261/documents/0/number"), "TR-P 614 166", "QDi.261 document number");
	is_str(str(&s, "un:QDi.261/addresses/0/postal_code"), "63225", "QDi.261 address ZIP_CODE");
	ok(!str(&s, "un:SDi.001/nationalities") && !str(&s, "un:SDi.001/nationality_names"),
	   "SDi.001 nationality 'na' (not available) is dropped");
	is_str(str(&s, "un:QDi.290/nationalities"), "[\"RU\"]", "QDi.290 Russian Federation -> RU");
	is_str(str(&s, "un:QDi.290/nationality_names"), "[\"former Soviet Union\"]",
	       "QDi.290 an unknown nationality is kept as written");

	/* Cyrillic, presentation forms, white space inside a name. */
	is_str(str(&s, "un:QDi.290/names/1/name"), "Умаров Доку Хаматович",
	       "QDi.290 Cyrillic name");
	is_str(str(&s, "un:QDi.290/names/1/script"), "Cyrl", "QDi.290 script Cyrl");
	is_str(str(&s, "un:QDi.363/names/1/script"), "Cyrl", "QDi.363 script Cyrl");
	is_str(str(&s, "un:TAi.149/names/1/script"), "Arab",
	       "TAi.149 Arabic presentation forms are Arabic script");
	is_str(str(&s, "un:QDe.134/names/1/name"), "حركة التوحيد والجهاد في غرب إفريقيا",
	       "QDe.134 a line break inside the original-script name is one space");

	/* Entities. */
	is_str(str(&s, "un:QDe.004/kind"), "entity", "QDe.004 is an entity");
	is_str(str(&s, "un:QDe.004/_line"), "1361", "QDe.004 starts on line 1361");
	is_str(str(&s, "un:QDe.004/names/0/name"), "AL-QAIDA", "QDe.004 name");
	is_str(str(&s, "un:QDe.004/names/1/name"), "القاعدة", "QDe.004 Arabic name");
	is_int(names_of(&s, "un:QDe.004", "aka", NULL), 10, "QDe.004 ten a.k.a.");
	is_str(str(&s, "un:QDe.168/names/1/script"), "Cyrl", "QDe.168 Cyrillic original script");
	is_int(names_of(&s, "un:QDe.168", "fka", NULL), 1, "QDe.168 one f.k.a.");
	is_int(names_of(&s, "un:CDe.001", "fka", NULL), 3, "CDe.001 three f.k.a.");
	is_str(str(&s, "un:KPe.002/addresses/0/country"), "KP", "KPe.002 address in KP");
	seen_free(&s);

	/* The callback stops the parse. */
	seen_init(&s);
	s.stop_after = 3;
	is_int(un_consolidated_parse(xml, n, collect, &s, &err), 9, "un: a callback's 9 stops it");
	is_int(s.n, 3, "un: after 3 records");
	seen_free(&s);
	free(xml);

	/* Bad input. */
	static const char notxml[] = "<CONSOLIDATED_LIST><INDIVIDUALS>";
	static const char other[] = "<rss version=\"2.0\"/>";
	static const char xxe[] =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "
	    "\"file:///etc/passwd\">]>\n<CONSOLIDATED_LIST>&e;</CONSOLIDATED_LIST>";
	static const char noref[] =
	    "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>"
	    "<FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>\n<INDIVIDUAL>"
	    "<FIRST_NAME>B</FIRST_NAME><REFERENCE_NUMBER>XXi.1"
	    "</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
	seen_init(&s);
	is_int(un_consolidated_parse(notxml, sizeof notxml - 1, collect, &s, &err), -1,
	       "un: truncated XML fails");
	ok(err && strstr(err, "line 1"), "un: the reason has a line (%s)", err ? err : "");
	free(err);
	is_int(un_consolidated_parse(other, sizeof other - 1, collect, &s, &err), -1,
	       "un: another document fails");
	is_str(err, "not a UN consolidated list: the root element is not CONSOLIDATED_LIST",
	       "un: the reason names the root element");
	free(err);
	is_int(un_consolidated_parse(xxe, sizeof xxe - 1, collect, &s, &err), -1,
	       "un: an entity declaration is refused");
	ok(err && strstr(err, "entity"), "un: the reason says entity (%s)", err ? err : "");
	free(err);
	is_int(un_consolidated_parse(noref, sizeof noref - 1, collect, &s, &err), 0,
	       "un: a record without reference does not stop the parse");
	is_str(str(&s, "un:XXi.1/names/0/name"), "B", "un: the next record is read");
	is_str(str(&s, "un:XXi.1/_line"), "4", "un: on line 4");
	jv b = jv_array_get(jv_copy(s.bad), 0);
	is_str(jv_get_kind(b) == JV_KIND_STRING ? jv_string_value(b) : NULL,
	       "3: INDIVIDUAL without REFERENCE_NUMBER", "un: the bad record with its line");
	jv_free(b);
	seen_free(&s);
}

static void test_ofac(void)
{
	size_t ns, na, nd;
	char *sdn = slurp(FIXTURES "ofac-sdn.csv", &ns), *err = NULL;
	char *alt = slurp(FIXTURES "ofac-alt.csv", &na);
	char *add = slurp(FIXTURES "ofac-add.csv", &nd);
	struct seen s;

	seen_init(&s);
	is_int(ofac_sdn_parse(sdn, ns, alt, na, add, nd, collect, &s, &err), 0,
	       "ofac: the extract parses");
	is_str(kinds(&s), "individual=20 entity=5 vessel=5 aircraft=1", "ofac: kinds");
	is_int(jv_array_length(jv_copy(s.bad)), 0, "ofac: no bad row (the final ^Z is the end)");

	/* An individual: name reordered, kept as listed, four DOBs, two programs. */
	is_str(str(&s, "ofac:2686/_line"), "4", "2686 on line 4");
	is_str(str(&s, "ofac:2686/kind"), "individual", "2686 kind");
	is_str(str(&s, "ofac:2686/list"), "OFAC SDN", "2686 list");
	is_str(str(&s, "ofac:2686/names/0/name"), "Hasan NASRALLAH", "2686 First LAST");
	is_str(str(&s, "ofac:2686/names/0/listed_as"), "NASRALLAH, Hasan", "2686 as listed");
	is_str(str(&s, "ofac:2686/names/0/type"), "primary", "2686 primary");
	is_str(str(&s, "ofac:2686/names/1/name"), "Hasan Abd-al-Karim NASRALLAH",
	       "2686 alias from alt.csv, reordered");
	is_str(str(&s, "ofac:2686/names/1/type"), "aka", "2686 alias type aka");
	is_str(str(&s, "ofac:2686/dob"),
	       "[\"1960-08-31\",\"1953-08-31\",\"1955-08-31\",\"1958-08-31\"]",
	       "2686 DOB and three alt. DOB");
	is_str(str(&s, "ofac:2686/programs"), "[\"SDGT\",\"SYRIA\"]", "2686 programs split");
	is_str(str(&s, "ofac:2686/titles/0"), "Secretary General of Hizballah", "2686 title");
	is_str(str(&s, "ofac:2686/addresses/0/country"), "LB", "2686 address in Lebanon");

	/* Dates of birth in their forms. */
	is_str(str(&s, "ofac:11748/dob"), "[\"1979\",\"1980\",\"1981\",\"1982\"]",
	       "11748 DOB circa 1979-1982 and alt. DOB 1982");
	is_str(str(&s, "ofac:11748/nationalities"), "[\"SO\"]", "11748 nationality Somalia");
	is_str(str(&s, "ofac:7846/dob"), "[\"1957\"]", "7846 DOB circa 1957");
	is_str(str(&s, "ofac:12057/dob"),
	       "[\"1951\",\"1952\",\"1953\",\"1960\",\"1961\",\"1962\",\"1961-04\"]",
	       "12057 1951 to 1953, 1960 to 1962, Apr 1961");
	is_str(str(&s, "ofac:16540/dob"),
	       "[\"1977\",\"1978\",\"1979\",\"1980\",\"1981\",\"1982\",\"1983\",\"1984\",\"1985\"]",
	       "16540 01 Jan 1977 to 31 Dec 1985: every year");
	is_str(str(&s, "ofac:6862/dob"), "[\"1938-09\"]", "6862 DOB Sep 1938. (last remark)");
	is_int(names_of(&s, "ofac:6862", "aka", NULL), 29, "6862 29 aliases");
	is_str(str(&s, "ofac:7928/nationalities"), "[\"ID\"]",
	       "7928 nationality and citizen Indonesia, once");
	is_str(str(&s, "ofac:28264/nationalities"), "[\"CN\"]", "28264 nationality China");
	is_str(str(&s, "ofac:28264/programs"), "[\"DPRK3\",\"CYBER2\"]", "28264 programs");

	/* Entities: names as written. */
	is_str(str(&s, "ofac:306/kind"), "entity", "306 entity");
	is_str(str(&s, "ofac:306/names/0/name"), "BANCO NACIONAL DE CUBA", "306 name");
	is_str(str(&s, "ofac:306/names/1/name"), "NATIONAL BANK OF CUBA", "306 alias");
	is_int(array_len(&s, "ofac:306/addresses"), 4, "306 four addresses");
	is_str(str(&s, "ofac:306/addresses/0/street"), "Zweierstrasse 35", "306 street");
	is_str(str(&s, "ofac:306/addresses/0/city"), "Zurich CH-8022", "306 city/postal");
	is_str(str(&s, "ofac:306/addresses/0/country"), "CH", "306 Switzerland -> CH");
	is_str(str(&s, "ofac:173/names/0/name"), "ANGLO-CARIBBEAN CO., LTD.",
	       "173 an entity's comma is not a LAST, First");
	ok(!str(&s, "ofac:173/names/0/listed_as"), "173 no listed_as");

	/* Vessels. */
	is_str(str(&s, "ofac:15041/kind"), "vessel", "15041 vessel");
	is_str(str(&s, "ofac:15041/name"), "BANEH", "15041 name");
	is_str(str(&s, "ofac:15041/imo"), "8508462", "15041 IMO from the remarks");
	is_str(str(&s, "ofac:15041/mmsi"), "422141000", "15041 MMSI");
	is_str(str(&s, "ofac:15041/flag"), "IR", "15041 flag Iran -> IR");
	is_str(str(&s, "ofac:15041/call_sign"), "EQKF", "15041 call sign");
	is_str(str(&s, "ofac:15041/vessel_type"), "Landing Craft", "15041 type");
	is_str(str(&s, "ofac:4234/flag"), "CU", "4234 flag Cuba");
	is_str(str(&s, "ofac:4234/owner"), "Compania Navegacion Golfo S.A.", "4234 owner");
	ok(!str(&s, "ofac:4234/imo"), "4234 has no IMO");
	ok(!str(&s, "ofac:4234/remarks"), "4234 -0- remarks are empty");
	is_str(str(&s, "ofac:15431/kind"), "aircraft", "15431 aircraft passed on as such");
	seen_free(&s);

	/* Without the side files. */
	seen_init(&s);
	is_int(ofac_sdn_parse(sdn, ns, NULL, 0, NULL, 0, collect, &s, &err), 0,
	       "ofac: sdn.csv alone");
	is_int(array_len(&s, "ofac:2686/names"), 1, "ofac: no aliases without alt.csv");
	ok(!str(&s, "ofac:306/addresses"), "ofac: no addresses without add.csv");
	seen_free(&s);
	free(sdn);
	free(alt);
	free(add);

	/* Bad rows are reported with their line; the rest is read. */
	static const char rows[] =
	    "1,\"DOE, John\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
	    "\"DOB 12 Jan 1960; alt. DOB circa 1955; alt. DOB February 1961; DOB 1950 to 1975; "
	    "DOB sometime; nationality Korea, North; citizen Atlantis; Gender Male.\"\r\n"
	    "2,\"SHORT\"\r\n"
	    "3,\"BAD \xC3\x28\",\"individual\",\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
	    "4,\"SHIP\",\"vessel\",\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,\"Panama\",-0- ,"
	    "\"Vessel Registration Identification IMO 8508463.\"\r\n"
	    "5,\"LAST\",\"individual\",\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
	static const char alts[] = "1,10,\"aka\",\"ROE, Richard\",-0- \r\n1,11\r\n";
	seen_init(&s);
	is_int(ofac_sdn_parse(rows, sizeof rows - 1, alts, sizeof alts - 1, NULL, 0, collect, &s,
			      &err),
	       0, "ofac: bad rows do not stop the parse");
	is_str(str(&s, "ofac:1/dob"), "[\"1960-01-12\",\"1955\",\"1961-02\",\"1950\",\"1975\"]",
	       "ofac: DOB forms; a range over ten years gives its ends");
	is_str(str(&s, "ofac:1/unparsed"), "[\"DOB sometime\",\"citizen Atlantis\"]",
	       "ofac: what could not be read is listed");
	is_str(str(&s, "ofac:1/nationalities"), "[\"KP\"]", "ofac: Korea, North -> KP");
	is_str(str(&s, "ofac:1/names/1/name"), "Richard ROE", "ofac: the good alt row is used");
	ok(!str(&s, "ofac:4/imo"), "ofac: an IMO number with a wrong check digit is not taken");
	is_str(str(&s, "ofac:4/unparsed/0"), "Vessel Registration Identification IMO 8508463",
	       "ofac: and is listed as unparsed");
	is_str(str(&s, "ofac:4/flag"), "PA", "ofac: flag Panama");
	is_str(str(&s, "ofac:5/_line"), "5", "ofac: the last row is on line 5");
	jv bad = jv_dump_string(jv_copy(s.bad), 0);
	is_str(jv_string_value(bad),
	       "[\"2: alt.csv: 2 fields, not 5\",\"2: 2 fields, not the 12 of sdn.csv\","
	       "\"3: invalid UTF-8 in field 2\"]",
	       "ofac: the bad rows with their lines and files");
	jv_free(bad);
	seen_free(&s);
}

static void test_helpers(void)
{
	static const struct {
		const char *name, *code;
	} cc[] = {
	    {"Iran (Islamic Republic of)", "IR"},
	    {"Korea, North", "KP"},
	    {"korea, south", "KR"},
	    {"Democratic People\xE2\x80\x99s Republic of Korea", "KP"},
	    {"Congo, Democratic Republic of the.", "CD"},
	    {"Congo", "CG"},
	    {"The Gambia", "GM"},
	    {"United Kingdom of Great Britain and Northern Ireland", "GB"},
	    {"Viet Nam", "VN"},
	    {"Burma", "MM"},
	    {"  Russia ", "RU"},
	    {"China, Hong Kong Special Administrative Region", "HK"},
	    {"Virgin Islands, British", "VG"},
	    {"Kosovo", "XK"},
	    {"Côte d'Ivoire", "CI"},
	    {"FR", "FR"},
	    {"Atlantis", NULL},
	    {"XX", NULL},
	    {"", NULL},
	};
	for (size_t i = 0; i < sizeof cc / sizeof cc[0]; i++)
		is_str(sanctions_country_code(cc[i].name, strlen(cc[i].name)), cc[i].code,
		       "country '%s'", cc[i].name);

	static const struct {
		const char *text, *script;
	} sc[] = {
	    {"Abdul", "Latn"},  {"محمد", "Arab"},        {"Путин", "Cyrl"},
	    {"习近平", "Hani"}, {"\"123\" Ali", "Latn"}, {"123 -", "Zyyy"},
	    {"김정은", "Hang"}, {"Ελένη", "Grek"},       {"ﺻﺍﻠﺡ", "Arab"},
	};
	for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
		is_str(sanctions_script(sc[i].text, strlen(sc[i].text)), sc[i].script,
		       "script of '%s'", sc[i].text);
}

int main(void)
{
	test_un();
	test_ofac();
	test_helpers();
	return tap_done();
}
