/*
 * fuzz-json: the strict JSON validator (lib/base/json.c). A text it accepts must
 * parse with libjq too, and write back as JSON that it accepts again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

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
	struct buf b = {0};
	json_write(&b, v);
	if (json_validate(b.p, b.len, &why, &at) < 0)
		abort();
	buf_free(&b);
	jv_free(v);
	return 0;
}
