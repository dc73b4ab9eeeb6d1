/*
 * fuzz-json: the strict JSON validator (lib/base/json.c). A text it accepts must
 * parse with libjq too, and write back as JSON that it accepts again; a
 * string json_plain_string finds in it is the object's member, byte for byte.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why, *p = (const char *)data;
	size_t at;
	if (size > 1u << 20 || json_validate(p, size, &why, &at) < 0)
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
