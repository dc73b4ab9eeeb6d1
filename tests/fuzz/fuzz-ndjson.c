/*
 * fuzz-ndjson: the NDJSON reader (lib/stream/ndjson.c) over a whole input, as a
 * program reads a file: line splitting, the length limit (a small one, so
 * long lines are exercised), UTF-8 and JSON validation, record versions.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jv.h>

#include "ccc/ndjson.h"

#define MAX_LINE 4096

static int fd = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0 && (fd = memfd_create("fuzz-ndjson", MFD_CLOEXEC)) < 0)
		abort();
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET))
		abort();
	struct ndjson_reader *r = ndjson_open(fd, "fuzz", MAX_LINE);
	struct ndjson_line ln;
	uint8_t sha[SHA256_LEN];
	int k;
	while ((k = ndjson_next(r, &ln, -1)) == NDJSON_LINE) {
		if (ln.len > MAX_LINE || ln.len > ln.full_len)
			abort();
		ndjson_line_sha256(r, &ln, sha);
		jv_free(ln.value);
	}
	if (k != NDJSON_EOF)
		abort();
	ndjson_close(r);
	return 0;
}
