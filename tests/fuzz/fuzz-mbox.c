/*
 * fuzz-mbox: an mbox file split into messages (lib/formats/mbox.c), each message
 * parsed as ccc-intake does.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jv.h>

#include "ccc/mail.h"
#include "ccc/mbox.h"

static int one(const char *msg, size_t n, size_t line, void *ctx)
{
	char *err = NULL;
	if (line == 0)
		abort();
	jv m = mail_parse(msg, n, &err);
	jv_free(m);
	free(err);
	++*(unsigned long *)ctx;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long n = 0;
	if (mbox_split((const char *)data, size, one, &n) != 0)
		abort();
	return 0;
}
