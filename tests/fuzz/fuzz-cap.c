/*
 * fuzz-cap: a CAP 1.1 / 1.2 alert (lib/formats/cap.c): the safe XML parse, schema
 * validation and the rules of the specification the schema cannot express.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jv.h>

#include "ccc/cap.h"
#include "ccc/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	char *err = NULL;
	(void)feed_sniff(p, size);
	jv a = cap_parse(p, size, &err);
	if (!jv_is_valid(a) && !err)
		abort();
	jv_free(a);
	free(err);
	return 0;
}
