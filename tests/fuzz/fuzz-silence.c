/*
 * fuzz-silence: the match of a silence (lib/triage/silence.c), as an officer
 * gives it to ccc-triage silence add --match and as silence_holds reads it
 * back from the store: FIELD=VALUE terms separated by commas, alternatives
 * by '|'. What it accepts has known fields only, each once, and each with
 * at least one alternative, none of them empty; what it refuses says why.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/silence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fields[] = {"category", "priority", "country", "text"};
	char text[2048], why[256];
	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	why[0] = '\0';
	jv m = silence_match_parse(text, why, sizeof why);
	if (!jv_is_valid(m)) {
		if (!why[0] || !memchr(why, 0, sizeof why))
			abort();
		jv_free(m);
		return 0;
	}
	if (jv_get_kind(m) != JV_KIND_OBJECT || jv_object_length(jv_copy(m)) < 1)
		abort();
	jv_object_foreach (m, k, alts) {
		int known = 0;
		for (int i = 0; i < 4; i++)
			known |= !strcmp(jv_string_value(k), fields[i]);
		if (!known || jv_get_kind(alts) != JV_KIND_ARRAY ||
		    jv_array_length(jv_copy(alts)) < 1)
			abort();
		jv_array_foreach (alts, i, a) {
			if (jv_get_kind(a) != JV_KIND_STRING || !jv_string_length_bytes(jv_copy(a)))
				abort();
			jv_free(a);
		}
		jv_free(k);
		jv_free(alts);
	}
	jv_free(m);
	return 0;
}
