/*
 * fuzz-caseitem: how an officer or a stream names an item a case links
 * (lib/case/case-link.c): KIND:ID as ccc-case link takes it on its command
 * line, and each record of the NDJSON stream ccc-case link CASE reads in
 * filter mode (case_record_item: a consultation number, or an id such as
 * msg-SITE-N). The input is read as NDJSON lines; each line is also given
 * to case_item_parse as text; a line is read as the stream reads it
 * (ndjson_parse). What is accepted names a known kind and an id
 * that is not empty and fits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/case.h"
#include "ccc/ndjson.h"

static void check(const char *kind, const char *id)
{
	int known = 0;
	for (int i = 0; case_kinds[i]; i++)
		known |= !strcmp(kind, case_kinds[i]);
	if (!known || !*id || strlen(id) >= 512)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[4096], kind[32], id[512], err[512];
	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *save = NULL, *ln = strtok_r(text, "\n", &save); ln;
	     ln = strtok_r(NULL, "\n", &save)) {
		err[0] = '\0';
		if (case_item_parse(ln, kind, sizeof kind, id, sizeof id, err, sizeof err) == 0)
			check(kind, id);
		else if (!err[0])
			abort();
		char why[256];
		jv rec = ndjson_parse(ln, strlen(ln), why, sizeof why); /* as the stream reads it */
		if (jv_is_valid(rec) && case_record_item(rec, kind, sizeof kind, id, sizeof id))
			check(kind, id);
		jv_free(rec);
	}
	return 0;
}
