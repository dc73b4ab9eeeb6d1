/*
 * fuzz-un: the UN Security Council Consolidated List loader
 * (un_consolidated_parse in lib/formats/sanctions.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jv.h>

#include "ccc/sanctions.h"

static int record(jv rec, size_t line, void *ctx)
{
	jv_free(rec);
	++*(unsigned long *)ctx;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long n = 0;
	char *err = NULL;
	if (un_consolidated_parse((const char *)data, size, record, &n, &err) < 0 && !err)
		abort();
	free(err);
	return 0;
}
