/*
 * fuzz-mrz: machine readable zones (lib/formats/mrz.c): line splitting, the formats,
 * check digits, dates and the record object.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/mrz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct mrz m;
	memset(&m, 0x55, sizeof m); /* no field may be left unset */
	int rc = mrz_parse_year(p, size, 2026, &m);
	if (rc == 0) {
		if (m.valid != (m.errors == 0))
			abort();
		jv_free(mrz_to_jv(&m));
	} else if (rc != MRZ_ELINES && rc != MRZ_ELENGTH) {
		abort();
	}
	int d = mrz_check_digit(p, size);
	if (d < -1 || d > 9)
		abort();
	if (size <= 3)
		(void)mrz_state_country(p, size);
	return 0;
}
