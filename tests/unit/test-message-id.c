/*
 * Message identities and the comparison of a piped record with its stored
 * copy (issue 13, items 18 and 19).
 */
#include <stdio.h>
#include <string.h>

#include "ccc/json.h"
#include "ccc/message.h"
#include "ccc/ndjson.h"
#include "tap.h"

static void test_message_id(void)
{
	static const struct {
		const char *in, *want, *name;
	} v[] = {
	    {"abc@Example.COM", "abc@example.com", "the domain in lower case"},
	    {"<ABC@Example.COM>", "ABC@example.com", "angle brackets, local part kept"},
	    {"  <x.y@Z.fr>\t", "x.y@z.fr", "white space around"},
	    {"a@b@C.D", "a@b@c.d", "the part after the last @"},
	    {"NoDomain", "NoDomain", "no @: as given"},
	    {"<>", "", "empty"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct buf b = {0};
		message_id_normalize(v[i].in, &b);
		buf_addc(&b, '\0');
		is_str(b.p, v[i].want, "message id: %s", v[i].name);
		buf_free(&b);
	}
}

static jv parse(const char *s)
{
	char reason[128];
	return ndjson_parse(s, strlen(s), reason, sizeof reason);
}

static void test_differs(void)
{
	static const struct {
		const char *piped, *stored, *want;
		int n;
	} v[] = {
	    {"{\"id\":\"m\",\"subject\":\"a\"}", "{\"id\":\"m\",\"subject\":\"a\"}", "", 0},
	    {"{\"id\":\"m\",\"subject\":\"b\"}", "{\"id\":\"m\",\"subject\":\"a\"}", "'subject'",
	     1},
	    {"{\"id\":\"m\",\"subject\":\"a\",\"triage\":{\"priority\":\"P1\"},\"checks\":[],"
	     "\"queue\":{}}",
	     "{\"id\":\"m\",\"subject\":\"a\",\"triage\":{\"priority\":\"P4\"}}", "", 0},
	    {"{\"id\":\"m\",\"extra\":1}", "{\"id\":\"m\",\"body\":\"x\"}", "'extra', 'body'", 2},
	    {"{\"id\":\"m\",\"refs\":[\"a\"]}", "{\"id\":\"m\",\"refs\":[\"a\",\"b\"]}", "'refs'",
	     1},
	    {"{\"id\":\"m\",\"n\":1}", "{\"id\":\"m\",\"n\":1.0}", "", 0},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char out[200];
		jv p = parse(v[i].piped), s = parse(v[i].stored);
		int n = message_differs(p, s, out, sizeof out);
		is_int(n, v[i].n, "differs %zu: count", i);
		is_str(out, v[i].want, "differs %zu: names", i);
		jv_free(p);
		jv_free(s);
	}
	/* a long list is cut, never overrun */
	struct buf big = {0};
	buf_adds(&big, "{\"id\":\"m\"");
	for (int i = 0; i < 60; i++) {
		char f[48];
		snprintf(f, sizeof f, ",\"field_number_%02d\":%d", i, i);
		buf_adds(&big, f);
	}
	buf_adds(&big, "}");
	buf_addc(&big, '\0');
	char out[64];
	jv p = parse(big.p), s = parse("{\"id\":\"m\"}");
	is_int(message_differs(p, s, out, sizeof out), 60, "differs: every field counted");
	ok(strlen(out) < sizeof out, "differs: the names cut to the buffer");
	jv_free(p);
	jv_free(s);
	buf_free(&big);
}

int main(void)
{
	test_message_id();
	test_differs();
	return tap_done();
}
