/*
 * fuzz-ofac: the OFAC SDN legacy CSV loader (ofac_sdn_parse in
 * lib/formats/sanctions.c). The input is sdn.csv, then alt.csv and add.csv, each
 * after a NUL byte; a file that is not there is passed as NULL.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	const char *part[3] = {(const char *)data, NULL, NULL};
	size_t len[3] = {size, 0, 0};
	for (int i = 0; i < 2 && part[i]; i++) {
		const char *nul = memchr(part[i], '\0', len[i]);
		if (!nul)
			break;
		part[i + 1] = nul + 1;
		len[i + 1] = len[i] - (size_t)(nul + 1 - part[i]);
		len[i] = (size_t)(nul - part[i]);
	}
	unsigned long n = 0;
	char *err = NULL;
	if (ofac_sdn_parse(part[0], len[0], part[1], len[1], part[2], len[2], record, &n, &err) <
		0 &&
	    !err)
		abort();
	free(err);
	return 0;
}
