/*
 * fuzz-normalize: an NDJSON line of ccc-intake read from its text
 * (message_normalize_line, lib/intake/message.c) must make the record, the
 * de-duplication key and the digest that the same line parsed by libjq makes
 * (message_normalize), or be left to message_normalize.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/json.h"
#include "ccc/message.h"
#include "ccc/ndjson.h"

static int same(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->p, b->p, a->len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct message a, b;
	const char *why, *p = (const char *)data;
	size_t at;
	char detail[256], reason[256];
	if (size > 1u << 16 || json_check(p, size, &why, &at, detail, sizeof detail) < 0)
		return 0;
	struct message_defaults d = {.source = "t", .now = 1764547200, .max_record = 4096};
	if (size % 2) /* other defaults for half the inputs */
		d.source = "", d.origin_country = "FR", d.language = "en";
	if (!message_normalize_line(p, size, &d, &b))
		return 0;
	jv in = ndjson_parse(p, size, reason, sizeof reason);
	if (!jv_is_valid(in) || message_normalize(in, &d, &a, reason, sizeof reason) != 0)
		abort();
	if (!same(&a.rest, &b.rest) || !same(&a.dkey, &b.dkey) || strcmp(a.digest, b.digest) ||
	    a.versioned != b.versioned)
		abort();
	return 0;
}
