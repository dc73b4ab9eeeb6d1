/*
 * fuzz-json: the strict JSON validator (lib/base/json.c). A text it accepts must
 * parse with libjq too, and write back as JSON that it accepts again. A text
 * json_check accepts must parse with json_parse_checked into what libjq
 * makes of it, and an object with a field set without parsing
 * (json_with_field) must be what json_write writes for the parsed object
 * with that field set. A string json_plain_string finds in it is the
 * object's member, byte for byte.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/json.h"

static int same_text(jv a, jv b)
{
	struct buf x = {0}, y = {0};
	json_write(&x, a);
	json_write(&y, b);
	int same = x.len == y.len && !memcmp(x.p, y.p, x.len);
	buf_free(&x);
	buf_free(&y);
	return same;
}

static void checked(const char *p, size_t size)
{
	const char *why;
	size_t at;
	char detail[256];
	if (json_check(p, size, &why, &at, detail, sizeof detail) < 0)
		return;
	jv want = jv_parse_sized(p, (int)size), got = json_parse_checked(p, size);
	if (!jv_is_valid(want) || !jv_is_valid(got) || !same_text(want, got))
		abort();
	if (jv_get_kind(want) == JV_KIND_OBJECT) {
		jv value = jv_number(3);
		struct buf b = {0}, w = {0};
		if (json_with_field(&b, p, size, "triage", value) == 0) {
			jv set = jv_object_set(jv_copy(want), jv_string("triage"), jv_copy(value));
			json_write(&w, set);
			jv_free(set);
			if (w.len != b.len || memcmp(w.p, b.p, w.len))
				abort();
		} else if (b.len) {
			abort();
		}
		buf_free(&b);
		buf_free(&w);
		jv_free(value);
	}
	jv_free(want);
	jv_free(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why, *p = (const char *)data;
	size_t at;
	if (size > 1u << 20)
		return 0;
	checked(p, size);
	if (json_validate(p, size, &why, &at) < 0)
		return 0;
	jv v = jv_parse_sized(p, (int)size);
	if (!jv_is_valid(v))
		abort();
	size_t from, to;
	if (json_plain_string(p, size, "a", &from, &to) == 0) {
		jv a = jv_get_kind(v) == JV_KIND_OBJECT ? jv_object_get(jv_copy(v), jv_string("a"))
							: jv_invalid();
		if (from > to || to >= size || jv_get_kind(a) != JV_KIND_STRING ||
		    (size_t)jv_string_length_bytes(jv_copy(a)) != to - from ||
		    memcmp(jv_string_value(a), p + from, to - from))
			abort();
		jv_free(a);
	}
	struct buf b = {0};
	json_write(&b, v);
	if (json_validate(b.p, b.len, &why, &at) < 0)
		abort();
	buf_free(&b);
	jv_free(v);
	return 0;
}
