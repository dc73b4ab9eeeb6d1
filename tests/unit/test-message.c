/*
 * test-message.c: a message record that would pass the record limit keeps
 * its long values apart (message_normalize with max_record); a line read
 * without libjq (message_normalize_line) makes the same record, key and
 * digest as the same line parsed, or is left to message_normalize.
 */
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/digest.h"
#include "ccc/message.h"
#include "ccc/ndjson.h"
#include "tap.h"

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* The record m->rest describes, parsed (its leading '{' added). */
static jv record(const struct message *m)
{
	struct buf b = {0};
	buf_adds(&b, "{\"id\":\"msg-t-1\"");
	buf_add(&b, m->rest.p, m->rest.len);
	jv v = jv_parse_sized(b.p, (int)b.len);
	buf_free(&b);
	return v;
}

static const char *sha(const char *s, size_t n)
{
	static char hex[2 * SHA256_LEN + 1];
	uint8_t sum[SHA256_LEN];
	digest_sha256(s, n, sum);
	hex_encode(sum, SHA256_LEN, hex);
	return hex;
}

/* Each line: taken by message_normalize_line (1) or left (0); when taken,
 * the same record, key and digest as message_normalize makes. */
static void test_line(void)
{
	static const struct {
		const char *line;
		int taken;
	} v[] = {
	    {"{\"source\":\"s\",\"external_id\":\"e1\",\"body\":\"b\"}", 1},
	    {"{\"subject\":\"caf\\u00e9 \\/ \\\"q\\\" \\\\ "
	     "\\n\\t\",\"body\":\"l1\\r\\n\\u0001\\u001F\"}",
	     1},
	    {"{\"body\":\"\\ud83d\\ude00\",\"refs\":\"R-\\/1\"}", 1},
	    {"{\"body\":\"x\",\"refs\":[ \"a\" , \"b\\u0041\" "
	     "],\"n\":-0,\"z\":0,\"big\":123456789012345}",
	     1},
	    {" { \"body\" : \"x\" , \"o\" : { \"a\" : [ 1 , { } , [ ] , null , true ] , "
	     "\"k\\u0065\" : \"\\/\" } } ",
	     1},
	    {"{\"id\":\"raw-1\",\"body\":\"an input's own id is its external id\"}", 1},
	    {"{\"external_id\":null,\"id\":\"raw-2\",\"body\":\"x\",\"entities\":[1],\"triage\":{}"
	     "}",
	     1},
	    {"{\"source\":\"\",\"origin_country\":\"fr\",\"language\":\"und\",\"body\":\"x\"}", 1},
	    {"{\"sent_at\":\"2026-11-02T01:01:00+02:00\",\"received_at\":\"2026-11-02T01:01:00."
	     "5Z\",\"body\":\"x\"}",
	     1},
	    {"{\"subject\":null,\"body\":\"x\",\"refs\":null,\"sent_at\":null,\"language\":null,"
	     "\"truncated\":[1]}",
	     1},
	    {"{\"body\":\"Passport P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<< "
	     "L898902C36UTO7408122F1204159ZE184226B<<<<<10 VIN 1M8GDM9AXKP042788\"}",
	     1},
	    /* strings read past with memchr (skip_string): escapes at either
	     * end, an escaped quote or backslash before the closing quote,
	     * brackets and quotes inside strings of nested values */
	    {"{\"body\":\"\\\"\",\"subject\":\"\\\\\"}", 1},
	    {"{\"body\":\"a\\\"b\\\\\\\"c\\\\\",\"refs\":\"\\\\\\\\\"}", 1},
	    {"{\"body\":\"\\n\\n\\n\\t\\\"\\n\",\"o\":{\"a\":\"}]\\\"[{\",\"b\":[\"]\",\"\\\\\",\"{"
	     "\"]},"
	     "\"p\":\"x\"}",
	     1},
	    {"{\"o\":[\"\\\"]\",{\"k\":\"\\\\\"}],\"body\":\"Le suspect recherch\u00e9 \\\"vol\\\" "
	     "\u0627\u0644\u0645\\n\"}",
	     1},
	    /* left to message_normalize */
	    {"{\"type\":\"message\",\"body\":\"x\"}", 0},
	    {"{\"v\":1,\"body\":\"x\"}", 0},
	    {"{\"external_id\":12,\"body\":\"x\"}", 0},
	    {"{\"body\":\"x\",\"n\":1.0}", 0},
	    {"{\"body\":\"x\",\"n\":[1e2]}", 0},
	    {"{\"b\\u006fdy\":\"x\"}", 0},
	    {"{\"body\":\"x\",\"refs\":[\"a\",1]}", 0},
	    {"{\"body\":\"x\",\"origin_country\":\"FRA\"}", 0},
	    {"{\"body\":\"x\",\"sent_at\":\"yesterday\"}", 0},
	    {"{\"body\":\"x\",\"language\":\"EN\"}", 0},
	    {"{\"subject\":\"\",\"body\":null}", 0},
	    {"{\"source\":\"s\\u0031\",\"body\":\"x\"}", 0},
	};
	struct message_defaults d = {.source = "t", .now = 1764547200, .max_record = 48 * 1024};
	struct message a = {0}, b = {0};
	char reason[256];
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		const char *line = v[i].line;
		int taken = message_normalize_line(line, strlen(line), &d, &b);
		is_int(taken, v[i].taken, "line %zu: %s", i, taken ? "taken" : "left");
		if (!taken)
			continue;
		jv in = ndjson_parse(line, strlen(line), reason, sizeof reason);
		is_int(message_normalize(in, &d, &a, reason, sizeof reason), 0, "line %zu parsed",
		       i);
		buf_addc(&a.rest, '\0');
		buf_addc(&b.rest, '\0');
		is_str(b.rest.p, a.rest.p, "line %zu: the same record", i);
		ok(a.dkey.len == b.dkey.len && !memcmp(a.dkey.p, b.dkey.p, a.dkey.len) &&
		       !strcmp(a.digest, b.digest) && a.versioned == b.versioned,
		   "line %zu: the same key", i);
	}
	message_free(&a);
	message_free(&b);
}

int main(void)
{
	test_line();
	struct message m = {0};
	struct message_defaults d = {.source = "t", .max_record = 48 * 1024};
	char reason[256] = "";

	/* short: nothing kept apart */
	jv in = jv_parse("{\"subject\":\"s\",\"body\":\"b\"}");
	is_int(message_normalize(in, &d, &m, reason, sizeof reason), 0, "a short message");
	is_int(m.nparts, 0, "short: nothing kept apart");
	jv r = record(&m);
	ok(!jv_object_has(jv_copy(r), jv_string("truncated")), "short: no \"truncated\"");
	jv_free(r);

	/* a long subject, however large the budget */
	char *subj = repeat('s', 5000);
	in = jv_object_set(jv_parse("{\"body\":\"b\"}"), jv_string("subject"), jv_string(subj));
	d.max_record = 0;
	is_int(message_normalize(in, &d, &m, reason, sizeof reason), 0, "a 5000-byte subject");
	r = record(&m);
	jv sj = jv_object_get(jv_copy(r), jv_string("subject"));
	const char *s = jv_string_value(sj);
	is_int(strlen(s), MESSAGE_SUBJECT_MAX, "subject: cut to 998 bytes, marker included");
	ok(!strcmp(s + strlen(s) - 3, "\xE2\x80\xA6"), "subject: the cut is marked with U+2026");
	jv_free(sj);
	is_int(m.nparts, 1, "subject: one part kept apart");
	is_str(m.part[0].field, "subject", "subject: the part is the subject");
	is_int(m.part[0].data.len, 5000, "subject: kept whole");
	is_str(m.part[0].sha256, sha(subj, 5000), "subject: under its SHA-256");
	jv_free(r);

	/* a cut never splits a character: 2-byte characters over the limit */
	char *ar = malloc(2 * 600 + 1);
	for (int i = 0; i < 600; i++)
		memcpy(ar + 2 * i, "\xD8\xAC", 2);
	ar[1200] = '\0';
	in = jv_object_set(jv_parse("{\"body\":\"b\"}"), jv_string("subject"), jv_string(ar));
	is_int(message_normalize(in, &d, &m, reason, sizeof reason), 0, "an Arabic subject");
	is_int(m.part[0].kept, 994, "Arabic subject: cut between two characters");

	/* a long body and a long field, with a budget */
	char *body = repeat('b', 200000), *extra = repeat('x', 30000);
	in = jv_object_set(jv_parse("{\"subject\":\"s\",\"small\":1}"), jv_string("body"),
			   jv_string(body));
	in = jv_object_set(in, jv_string("extra"), jv_string(extra));
	d.max_record = 48 * 1024;
	is_int(message_normalize(in, &d, &m, reason, sizeof reason), 0, "a 200 KB body");
	ok(m.rest.len + 192 <= d.max_record, "body: the record fits (%zu bytes)", m.rest.len);
	is_int(m.nparts, 2, "body: body and extra kept apart");
	is_str(m.part[0].field, "body", "body: first the body");
	is_str(m.part[1].field, "extra", "body: then the largest other field");
	is_str(m.part[1].content_type, "application/json", "a field is kept as JSON");
	is_int(m.part[1].data.len, 30002, "the field's JSON, whole");
	r = record(&m);
	ok(!jv_object_has(jv_copy(r), jv_string("extra")), "the field kept apart is left out");
	ok(jv_object_has(jv_copy(r), jv_string("small")), "a small field stays");
	jv t = jv_object_get(jv_copy(r), jv_string("truncated"));
	is_int(jv_array_length(jv_copy(t)), 2, "\"truncated\" lists both");
	jv e = jv_array_get(jv_copy(t), 0);
	is_int(jv_number_value(jv_object_get(jv_copy(e), jv_string("size"))), 200000,
	       "truncated[0].size is the whole body's");
	jv sum = jv_object_get(jv_copy(e), jv_string("sha256"));
	is_str(jv_string_value(sum), sha(body, 200000), "truncated[0].sha256 is the whole body's");
	jv_free(sum);
	jv_free(e);
	jv_free(t);
	jv_free(r);

	/* too many small fields to fit: refused with the reason */
	in = jv_parse("{\"body\":\"b\"}");
	for (int i = 0; i < 4000; i++) {
		char k[16];
		snprintf(k, sizeof k, "f%d", i);
		in = jv_object_set(in, jv_string(k), jv_string("0123456789"));
	}
	is_int(message_normalize(in, &d, &m, reason, sizeof reason), -1,
	       "4000 small fields: refused");
	ok(strstr(reason, "longer than the 49152 bytes a record may have") != NULL, "reason: %s",
	   reason);

	/* the input's own "truncated" array is kept, ours added */
	in = jv_object_set(jv_parse("{\"truncated\":[{\"field\":\"theirs\"}]}"), jv_string("body"),
			   jv_string(body));
	is_int(message_normalize(in, &d, &m, reason, sizeof reason), 0, "own truncated");
	r = record(&m);
	is_int(jv_array_length(jv_object_get(jv_copy(r), jv_string("truncated"))), 2,
	       "own truncated: theirs and ours");
	jv_free(r);
	in = jv_object_set(jv_parse("{\"truncated\":7}"), jv_string("body"), jv_string(body));
	is_int(message_normalize(in, &d, &m, reason, sizeof reason), -1, "own truncated: a number");
	is_str(reason, "field 'truncated': expected an array, got a number", "reason: %s", reason);

	message_free(&m);
	free(subj);
	free(ar);
	free(body);
	free(extra);
	return tap_done();
}
