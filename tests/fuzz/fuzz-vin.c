/*
 * fuzz-vin: vehicle identification numbers (lib/formats/vin.c): normalisation,
 * the alphabet and the check digit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/vin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vin v;
	enum vin_status st = vin_validate((const char *)data, size, &v);
	if (strlen(v.vin) > VIN_LEN || !vin_status_name(st))
		abort();
	if (st >= 0 && (strlen(v.vin) != VIN_LEN || vin_check_digit(v.vin) != v.check_digit))
		abort();
	return 0;
}
