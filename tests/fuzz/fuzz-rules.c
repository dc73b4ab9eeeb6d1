/*
 * fuzz-rules: triage rule compilation (rules_load in lib/triage/rules.c): the
 * rules file as NDJSON or a JSON array, each rule's fields, and its jq
 * expression compiled alone and in the one program of all rules. The rules
 * are not run: an expression may rightly loop for ever.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ccc/rules.h"

static int fd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		if ((fd = memfd_create("rules", MFD_CLOEXEC)) < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	struct rules *r = rules_load(path);
	if (r)
		rules_free(r);
	return 0;
}
