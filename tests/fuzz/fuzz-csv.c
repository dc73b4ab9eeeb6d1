/*
 * fuzz-csv: the RFC 4180 reader (lib/formats/csv.c), its first record taken as a
 * header for the others as the reference-database loaders do.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jv.h>

#include "ccc/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader *r = csv_open((const char *)data, size);
	jv fields, header = jv_invalid();
	size_t line;
	char *err;
	int k;
	if (!r)
		abort();
	while ((k = csv_next(r, &fields, &line, &err)) != 0) {
		if (k < 0) {
			if (!err || jv_is_valid(fields))
				abort();
			free(err);
			jv_free(fields);
		} else if (!jv_is_valid(header)) {
			header = fields;
		} else {
			jv_free(csv_header_record(jv_copy(header), fields));
		}
	}
	jv_free(header);
	csv_close(r);
	return 0;
}
