/*
 * fuzz-mail: one RFC 5322 message with its MIME structure (lib/formats/mail.c,
 * lib/formats/mime.c): headers, RFC 2047 words, charsets, transfer encodings,
 * multipart nesting, HTML bodies.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jv.h>

#include "ccc/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	char *err = NULL;
	(void)mail_looks_like(p, size);
	jv m = mail_parse(p, size, &err);
	if (!jv_is_valid(m) && !err)
		abort();
	jv_free(m);
	free(err);
	return 0;
}
