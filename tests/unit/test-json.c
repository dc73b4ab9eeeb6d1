/*
 * The strict JSON validator, the jv writer, UTF-8 validation (RFC 3629
 * section 10 examples and the classic malformed sequences), RFC 3339 times,
 * and the JSONTestSuite parsing files through ndjson_parse.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/json.h"
#include "ccc/lang.h"
#include "ccc/ndjson.h"
#include "ccc/utf8.h"
#include "tap.h"

#define SUITE "tests/fixtures/jsontestsuite/test_parsing"

static void test_utf8(void)
{
	static const struct {
		const char *s;
		int valid;
		const char *name;
	} v[] = {
	    {"\x41\xE2\x89\xA2\xCE\x91\x2E", 1, "RFC 3629 example A<NOT IDENTICAL TO><ALPHA>."},
	    {"\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4", 1, "RFC 3629 example Korean"},
	    {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 1, "RFC 3629 example Japanese"},
	    {"\xEF\xBB\xBF\xF0\xA3\x8E\xB4", 1, "RFC 3629 example BOM and U+233B4"},
	    {"\xD8\xAC\xD9\x88\xD8\xA7\xD8\xB2", 1, "Arabic"},
	    {"\xC0\xAF", 0, "overlong '/'"},
	    {"\xE0\x80\xAF", 0, "overlong 3-byte '/'"},
	    {"\xED\xA0\x80", 0, "UTF-16 surrogate U+D800"},
	    {"\xF4\x90\x80\x80", 0, "above U+10FFFF"},
	    {"\x80", 0, "lone continuation byte"},
	    {"\xC3", 0, "truncated sequence"},
	    {"\xFE\xFF", 0, "bytes FE FF"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		ok(utf8_valid(v[i].s, strlen(v[i].s)) == v[i].valid, "utf8: %s is %s", v[i].name,
		   v[i].valid ? "valid" : "invalid");
}

static void test_write(void)
{
	struct buf b = {0};
	jv v =
	    jv_parse("{\"b\":\"q\\\"\\\\\\n\\u0001\",\"a\":[1,2.5,-0.1,1e300,true,null],\"c\":{}}");
	json_write(&b, v);
	buf_addc(&b, '\0');
	is_str(b.p, "{\"b\":\"q\\\"\\\\\\n\\u0001\",\"a\":[1,2.5,-0.1,1e+300,true,null],\"c\":{}}",
	       "json_write keeps key order, escapes, shortest numbers");
	jv_free(v);
	b.len = 0;
	json_write_str(&b, "\xD8\xAC\t", 3);
	buf_addc(&b, '\0');
	is_str(b.p, "\"\xD8\xAC\\t\"", "json_write_str leaves UTF-8 as is");
	/* RFC 8259 section 7: every escape, and a surrogate pair */
	static const char lit[] = "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00z\"";
	b.len = 0;
	json_string_decode(&b, lit, sizeof lit - 1);
	buf_addc(&b, '\0');
	is_str(b.p, "a\"\\/\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80z",
	       "json_string_decode decodes every escape");
	buf_free(&b);
}

/* json_with_field writes what json_write writes for the parsed object with
 * the field set, or refuses a text json_write would not have written. */
static void test_with_field(void)
{
	static const struct {
		const char *s;
		int canonical;
	} v[] = {
	    {"{}", 1},
	    {"{\"a\":1}", 1},
	    {"{\"triage\":{\"p\":\"P1\"},\"b\":[1,-2,[],{}]}", 1},
	    {"{\"b\":[1,2],\"triage\":null}", 1},
	    {"{\"a\":\"q\\\"\\\\\\n\\t\\r\\b\\f\\u0001\\u001f\xD8\xAC\",\"b\":null,\"c\":true,"
	     "\"d\":false}",
	     1},
	    {"{\"x\":{\"triage\":1},\"n\":123456789012345}", 1},
	    {"{ \"a\":1}", 0},
	    {"{\"a\":1} ", 0},
	    {"{\"a\":1.0}", 0},
	    {"{\"a\":1e2}", 0},
	    {"{\"a\":-0}", 0},
	    {"{\"a\":1234567890123456}", 0},
	    {"{\"a\":\"\\/\"}", 0},
	    {"{\"a\":\"\\u0041\"}", 0},
	    {"{\"a\":\"\\u000a\"}", 0},
	    {"{\"a\":\"\\u001F\"}", 0},
	    {"{\"tri\\u0061ge\":1}", 0},
	    {"{\"a\":[1, 2]}", 0},
	};
	jv value = jv_parse("{\"priority\":\"P2\",\"reasons\":[\"x\\ty\"]}");
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct buf got = {0}, want = {0};
		jv o = jv_object_set(jv_parse(v[i].s), jv_string("triage"), jv_copy(value));
		json_write(&want, o);
		jv_free(o);
		int rc = json_with_field(&got, v[i].s, strlen(v[i].s), "triage", value);
		is_int(rc, v[i].canonical ? 0 : -1, "json_with_field %s '%s'",
		       v[i].canonical ? "writes" : "refuses", v[i].s);
		if (rc == 0)
			ok(got.len == want.len && !memcmp(got.p, want.p, got.len),
			   "json_with_field as json_write: '%s'", v[i].s);
		else
			is_int((int)got.len, 0, "nothing written for '%s'", v[i].s);
		buf_free(&got);
		buf_free(&want);
	}
	jv_free(value);
}

/* json_plain_string finds a top-level string without escapes, as written,
 * and nothing else. */
static void test_plain_string(void)
{
	static const struct {
		const char *s, *want; /* NULL: refused */
	} v[] = {
	    {"{\"changeset\":\"QUJD+/==\"}", "QUJD+/=="},
	    {"{\"type\":\"entry\",\"changeset\":\"\",\"hash\":\"ab\"}", ""},
	    {"{\"a\":{\"changeset\":\"x\"},\"changeset\":\"y\"}", "y"},
	    {"{\"a\":{\"changeset\":\"x\"}}", NULL},
	    {"{\"changeset\":\"a\\nb\"}", NULL},
	    {"{\"changeset\":1}", NULL},
	    {"{\"changeset\":[\"x\"]}", NULL},
	    {"{ \"changeset\":\"x\"}", NULL},
	    {"{\"changese\":\"x\"}", NULL},
	    {"{\"changesets\":\"x\"}", NULL},
	    {"{}", NULL},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		size_t from = 0, to = 0;
		int rc = json_plain_string(v[i].s, strlen(v[i].s), "changeset", &from, &to);
		if (!v[i].want) {
			is_int(rc, -1, "json_plain_string refuses '%s'", v[i].s);
			continue;
		}
		ok(rc == 0 && to - from == strlen(v[i].want) &&
		       !memcmp(v[i].s + from, v[i].want, to - from),
		   "json_plain_string finds '%s' in '%s'", v[i].want, v[i].s);
	}
}

/* json_parse_checked gives what jv_parse_sized gives, key order included,
 * for every y_ file of JSONTestSuite json_check accepts, and a few more. */
static void test_parse_checked(void)
{
	static const char *const extra[] = {
	    "{\"a\":\"\\u0000\\ud83d\\ude00\\/\\\"\",\"b\":[-0,1.5e3,-2.25E-2,0.1],\"c\":{}}",
	    " [ true , false , null , { \"k\" : [ ] } ] ",
	    "{\"z\":1,\"a\":2,\"m\":{\"y\":\"\xD8\xAC\",\"b\":\"\\t\"}}",
	    "\"\\u00e9t\\u00e9\"",
	    "123456789012345678",
	};
	int same = 0, tried = 0;
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
		const char *why;
		size_t at;
		char detail[128];
		if (json_check(extra[i], strlen(extra[i]), &why, &at, detail, sizeof detail) < 0)
			continue;
		jv a = json_parse_checked(extra[i], strlen(extra[i]));
		jv b = jv_parse_sized(extra[i], (int)strlen(extra[i]));
		struct buf wa = {0}, wb = {0};
		json_write(&wa, a);
		json_write(&wb, b);
		ok(wa.len == wb.len && !memcmp(wa.p, wb.p, wa.len) && jv_equal(a, b),
		   "json_parse_checked as jv_parse_sized: '%s'", extra[i]);
		buf_free(&wa);
		buf_free(&wb);
	}
	DIR *d = opendir(SUITE);
	if (!d) {
		ok(1, "# SKIP no %s", SUITE);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] != 'y' && de->d_name[0] != 'i')
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", SUITE, de->d_name);
		FILE *fp = fopen(path, "rb");
		if (!fp)
			continue;
		char *text = malloc(1 << 16);
		size_t n = fread(text, 1, (1 << 16) - 1, fp);
		fclose(fp);
		const char *why;
		size_t at;
		char detail[128];
		if (json_check(text, n, &why, &at, detail, sizeof detail) == 0) {
			tried++;
			jv a = json_parse_checked(text, n);
			jv b = jv_parse_sized(text, (int)n);
			struct buf wa = {0}, wb = {0};
			json_write(&wa, a);
			json_write(&wb, b);
			if (wa.len == wb.len && !memcmp(wa.p, wb.p, wa.len) && jv_equal(a, b))
				same++;
			else
				printf("# json_parse_checked differs: %s\n", de->d_name);
			buf_free(&wa);
			buf_free(&wb);
		}
		free(text);
	}
	closedir(d);
	is_int(same, tried, "json_parse_checked as jv_parse_sized on %d JSONTestSuite files",
	       tried);
}

/* jv_get_str keeps the keys it was asked for: a buffer asked again with
 * other text in it finds the new key, not the cached one. */
static void test_get_str(void)
{
	jv o = jv_parse("{\"id\":\"msg-1\",\"ix\":\"other\",\"n\":1}");
	char key[8];
	strcpy(key, "id");
	is_str(jv_get_str(o, key), "msg-1", "jv_get_str id");
	strcpy(key, "ix");
	is_str(jv_get_str(o, key), "other", "jv_get_str: the same buffer, another key");
	strcpy(key, "id");
	is_str(jv_get_str(o, key), "msg-1", "jv_get_str: the first key again");
	ok(jv_get_str(o, "n") == NULL && jv_get_str(o, "none") == NULL,
	   "jv_get_str: a number or no field is NULL");
	for (int i = 0; i < 100; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%d", i);
		jv_get_str(o, k);
	}
	is_str(jv_get_str(o, "id"), "msg-1", "jv_get_str after many keys");
	jv_free(o);
}

static void test_validate(void)
{
	static const struct {
		const char *s;
		int valid;
	} v[] = {
	    {"{}", 1},
	    {"{\"a\":[1,{\"b\":null}]}", 1},
	    {" {\"a\":-0.5e-3} ", 1},
	    {"{\"a\":\"\\ud83d\\ude00\"}", 1},
	    {"{\"a\":01}", 0},
	    {"{\"a\":NaN}", 0},
	    {"{\"a\":1,}", 0},
	    {"{} {}", 0},
	    {"{\"a\":\"\\ud83d\"}", 0},
	    {"{\"a\":+1}", 0},
	    {"{\"a\":.5}", 0},
	    {"{\"a\":1.}", 0},
	    {"{'a':1}", 0},
	    {"", 0},
	};
	const char *why;
	size_t at;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		ok((json_validate(v[i].s, strlen(v[i].s), &why, &at) == 0) == v[i].valid,
		   "json_validate %s: %s", v[i].valid ? "accepts" : "refuses", v[i].s);
	char deep[2 * JSON_MAX_DEPTH + 10];
	memset(deep, '[', JSON_MAX_DEPTH + 1);
	memset(deep + JSON_MAX_DEPTH + 1, ']', JSON_MAX_DEPTH + 1);
	ok(json_validate(deep, 2 * JSON_MAX_DEPTH + 2, &why, &at) < 0 &&
	       !strcmp(why, "nested too deeply"),
	   "json_validate refuses nesting deeper than %d", JSON_MAX_DEPTH);
}

/* I-JSON (RFC 7493): numbers that would change, and duplicate keys, refused
 * with the field's path; numbers that come back the same, kept. */
static void test_ijson(void)
{
	static const struct {
		const char *s, *detail; /* NULL: accepted */
	} v[] = {
	    {"{\"n\":12345678901234567890}",
	     "field 'n': number 12345678901234567890 has more digits than a double keeps"},
	    {"{\"n\":1e999999}", "field 'n': number 1e999999 is out of a double's range"},
	    {"{\"n\":1e-400}", "field 'n': number 1e-400 cannot be kept exactly (as a double "
			       "it becomes 0)"},
	    {"{\"n\":9007199254740993}", "field 'n': number 9007199254740993 cannot be kept "
					 "exactly (as a double it becomes 9007199254740992)"},
	    {"{\"a\":{\"b\":[0,{\"c\":0.10000000000000001}]}}",
	     "field 'a.b[1].c': number 0.10000000000000001 cannot be kept exactly"},
	    {"{\"a\":1,\"a\":2}", "field 'a': duplicate key"},
	    {"{\"x\":{\"k\":1,\"\\u006b\":2}}", "field 'x.k': duplicate key"},
	    {"{\"x\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,"
	     "\"e\":10}}",
	     "field 'x.e': duplicate key"},
	    {"[{\"a\":1},{\"a\":1}]", NULL},
	    {"{\"a\":{\"k\":1},\"b\":{\"k\":1}}", NULL},
	    {"{\"n\":9007199254740992}", NULL},
	    {"{\"n\":[1.50,1e2,0.1,-0,0e99999,1E22,123.456e78,-1.0e+28,3.141592653589793]}", NULL},
	    {"{\"n\":[1.7976931348623157e308,100000000000000000000,2.2250738585072014e-308]}",
	     NULL},
	};
	const char *why;
	size_t at;
	char detail[256];
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		int rc = json_check(v[i].s, strlen(v[i].s), &why, &at, detail, sizeof detail);
		if (!v[i].detail)
			ok(rc == 0, "I-JSON accepts %s", v[i].s);
		else
			ok(rc == -2 && !strncmp(detail, v[i].detail, strlen(v[i].detail)),
			   "I-JSON refuses %s: %s", v[i].s, detail);
	}
	ok(json_validate("{\"a\":1,\"a\":1}", 13, &why, &at) < 0 &&
	       !strcmp(why, "duplicate object key"),
	   "json_validate refuses a duplicate key too");
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)len + 1);
	*n = fread(p, 1, (size_t)len, f);
	fclose(f);
	return p;
}

static void test_suite(void)
{
	DIR *d = opendir(SUITE);
	struct dirent *de;
	int y = 0, y_ok = 0, n = 0, n_ok = 0, i = 0, i_num = 0, i_num_refused = 0;
	if (!ok(d != NULL, "JSONTestSuite fixtures at %s", SUITE))
		return;
	while ((de = readdir(d))) {
		char path[512], reason[256];
		size_t len = 0;
		if (de->d_name[0] == '.' || !strstr(de->d_name, ".json"))
			continue;
		snprintf(path, sizeof path, "%s/%s", SUITE, de->d_name);
		char *text = slurp(path, &len);
		if (!text)
			continue;
		jv v = ndjson_parse(text, len, reason, sizeof reason);
		int valid = jv_is_valid(v);
		if (de->d_name[0] == 'y') {
			y++;
			/* accepted as JSON: an object, or refused only for not being one,
			 * or for a duplicate key (RFC 8259 allows them; I-JSON, RFC 7493
			 * section 2.3, which ccc reads, does not) */
			if (valid || !strncmp(reason, "not a JSON object", 17) ||
			    (!strncmp(de->d_name, "y_object_duplicated_key", 23) &&
			     strstr(reason, "duplicate key")))
				y_ok++;
			else
				printf("# y_ refused: %s: %s\n", de->d_name, reason);
		} else if (de->d_name[0] == 'n') {
			n++;
			if (!valid && reason[0] && strncmp(reason, "not a JSON object", 17) != 0)
				n_ok++;
			else
				printf("# n_ accepted: %s\n", de->d_name);
		} else {
			i++;
			/* numbers a double cannot keep: refused by I-JSON (RFC 7493 2.2);
			 * 100000000000000000000 is 1e20 exactly, and kept */
			if (!strncmp(de->d_name, "i_number_", 9) &&
			    strcmp(de->d_name, "i_number_too_big_pos_int.json") != 0) {
				i_num++;
				if (!valid && !strncmp(reason, "field '", 7) &&
				    strstr(reason, ": number "))
					i_num_refused++;
				else
					printf("# i_number_ kept: %s\n", de->d_name);
			}
		}
		jv_free(v);
		free(text);
	}
	closedir(d);
	is_int(y_ok, y, "every y_ file is accepted as JSON (%d files)", y);
	is_int(n_ok, n, "every n_ file is refused with a reason (%d files)", n);
	ok(i > 0, "every i_ file parsed without a crash (%d files)", i);
	is_int(i_num_refused, i_num, "every i_number_ file refused: a double cannot keep it");
}

static void test_clock(void)
{
	time_t t;
	char out[RFC3339_LEN];
	ok(clock_parse("2026-11-28T10:00:00Z", &t) == 0 && t == 1795860000, "RFC 3339 Z");
	ok(clock_parse("2026-11-28T11:30:00+01:30", &t) == 0 && t == 1795860000, "RFC 3339 offset");
	ok(clock_parse("2026-11-28t10:00:00.999z", &t) == 0 && t == 1795860000,
	   "RFC 3339 fraction, lowercase");
	ok(clock_parse("2024-02-29T00:00:00Z", &t) == 0, "leap day");
	ok(clock_parse("2026-02-29T00:00:00Z", &t) < 0, "no 29 February in 2026");
	ok(clock_parse("2026-11-28 10:00", &t) < 0, "no seconds, no zone: refused");
	ok(clock_parse("2026-11-28T10:00:00", &t) < 0, "no zone: refused");
	clock_format(1795860000, out);
	is_str(out, "2026-11-28T10:00:00Z", "clock_format");
	clock_format_ms(1795860000123LL, out);
	is_str(out, "2026-11-28T10:00:00.123Z", "clock_format_ms");
}

static void test_lang(void)
{
	static const struct {
		const char *text, *want;
	} v[] = {
	    {"طلب معلومات عن طفلة مفقودة شوهدت آخر مرة بالقرب من المحطة", "ar"},
	    {"Request for information on a missing child last seen near the station", "en"},
	    {"Demande d'information sur une enfant disparue près de la gare", "fr"},
	    {"Solicitud de información sobre una niña desaparecida cerca de la estación", "es"},
	    {"¿Dónde está el niño?", "es"},
	    {"AB123456 / X", "und"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		is_str(lang_detect(v[i].text, strlen(v[i].text)), v[i].want,
		       "language of '%.30s...'", v[i].text);
}

/* The parser's key strings and jv_string_cached hand out copies of strings
 * they keep: what comes back is what jv_parse_sized and jv_string give,
 * whatever was kept before (keys that share a place, long keys, escapes, a
 * buffer that held another text). */
static void test_cached_strings(void)
{
	char text[4096], key[64];
	int same = 1;
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 600; i += 7) {
			size_t n = 0;
			n += (size_t)snprintf(text + n, sizeof text - n, "{");
			for (int k = 0; k < 12; k++)
				n += (size_t)snprintf(text + n, sizeof text - n, "%s\"%.*s%d\":%d",
						      k ? "," : "", (i + k) % 40,
						      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN",
						      i + k, k);
			n += (size_t)snprintf(
			    text + n, sizeof text - n,
			    ",\"esc\\u0061ped\":1,\"type\":\"t\",\"refs\":[{\"type\":2}]}");
			jv a = json_parse_checked(text, n);
			jv b = jv_parse_sized(text, (int)n);
			struct buf wa = {0}, wb = {0};
			json_write(&wa, a);
			json_write(&wb, b);
			if (!jv_equal(a, b) || wa.len != wb.len || memcmp(wa.p, wb.p, wa.len))
				same = 0;
			buf_free(&wa);
			buf_free(&wb);
		}
	ok(same, "json_parse_checked with kept keys as jv_parse_sized over 258 objects");

	const char *lit = "priority";
	jv x = jv_string_cached(lit), y = jv_string_cached(lit);
	ok(jv_equal(jv_copy(x), jv_copy(y)) && !strcmp(jv_string_value(x), "priority"),
	   "jv_string_cached: the same string twice");
	jv_free(x);
	jv_free(y);
	int right = 1;
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "key-%d", i % 700);
		jv k = jv_string_cached(key); /* one buffer, another text each time */
		right &= !strcmp(jv_string_value(k), key);
		jv_free(k);
	}
	ok(right, "jv_string_cached: a buffer rewritten gives its new text");

	/* duplicates among more than eight names: refused, and the name the
	 * sorted order meets first is the one named */
	static const char dup[] = "{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,"
				  "\"k7\":7,\"b\":8,\"a\":9,\"b\":10,\"a\":11}";
	static const char uniq[] =
	    "{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,"
	    "\"k7\":7,\"b\":8,\"a\":9,\"\":10,\"ab\":11}";
	const char *why = NULL;
	size_t at;
	char detail[200] = "";
	int r = json_check(dup, strlen(dup), &why, &at, detail, sizeof detail);
	ok(r < 0 && why && !strcmp(why, "duplicate object key") && strstr(detail, "field 'a'"),
	   "12 names, two duplicated: refused naming 'a' (%s)", detail);
	ok(json_check(uniq, strlen(uniq), &why, &at, detail, sizeof detail) == 0,
	   "12 distinct names, one empty: accepted");
}

/* Every byte at every place of a string of 16 ASCII letters (json_validate
 * reads plain ASCII four bytes at a time): valid only where a string may
 * hold the byte as it is; then characters of two to four bytes (those of two
 * are read without a call) at every place, and cut short. */
static void test_validate_bytes(void)
{
	const char *why;
	size_t at;
	int wrong = 0;
	for (int b = 0; b < 256; b++)
		for (int i = 0; i < 16; i++) {
			char s[19];
			memset(s, 'a', sizeof s);
			s[0] = s[17] = '"';
			s[1 + i] = (char)b;
			int valid = b >= 0x20 && b < 0x80 && b != '"' && b != '\\';
			if ((json_validate(s, 18, &why, &at) == 0) != valid) {
				if (!wrong++)
					printf("# byte 0x%02x at %d: %s\n", b, i,
					       valid ? "refused" : "accepted");
			}
		}
	ok(!wrong, "json_validate: each byte at each place of a string, as the table says");
	struct {
		const char *c;
		int valid;
	} two[] = {{"\xc3\xa9", 1},
		   {"\xd8\xa7", 1},
		   {"\xd0\x96", 1},
		   {"\xc3"
		    "a",
		    0},
		   {"\xc0\x80", 0},
		   {"\xc1\xbf", 0},
		   {"\xe2\x80\x99", 1},
		   {"\xed\xa0\x80", 0},
		   {"\xf0\x9f\x98\x80", 1},
		   {"\x80", 0},
		   {"\xbf", 0},
		   {"\xf5\x80\x80\x80", 0}};
	wrong = 0;
	for (size_t k = 0; k < sizeof two / sizeof two[0]; k++)
		for (int i = 0; i < 16; i++) {
			char s[40];
			size_t n = strlen(two[k].c), len = 0;
			s[len++] = '"';
			for (int j = 0; j < i; j++)
				s[len++] = 'a';
			memcpy(s + len, two[k].c, n);
			len += n;
			memcpy(s + len,
			       "\xd9\x85"
			       "bc\"",
			       5); /* and an Arabic letter after it */
			len += 5;
			if ((json_validate(s, len, &why, &at) == 0) != two[k].valid && !wrong++)
				printf("# sequence %zu at %d: %s\n", k, i,
				       two[k].valid ? "refused" : "accepted");
			/* cut short at the end of the text */
			if (n > 1 && json_validate(s, (size_t)(1 + i) + n - 1, &why, &at) == 0 &&
			    !wrong++)
				printf("# sequence %zu cut at %d: accepted\n", k, i);
		}
	ok(!wrong, "json_validate: characters of two to four bytes at each place, and cut short");
}

int main(void)
{
	test_utf8();
	test_write();
	test_with_field();
	test_plain_string();
	test_parse_checked();
	test_cached_strings();
	test_get_str();
	test_validate();
	test_validate_bytes();
	test_ijson();
	test_suite();
	test_clock();
	test_lang();
	return tap_done();
}
