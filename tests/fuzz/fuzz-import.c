/*
 * fuzz-import: `ccc-failover import` (lib/failover/ship.c). The input is read with
 * the NDJSON reader and paired into entry/checkpoint records as
 * bin/ccc-failover.c does, and the pairs are applied in one batch to an
 * empty standby store made at start-up in a temporary directory, which trusts
 * the key of site "lyon". Every batch is rolled back, so each input meets the
 * same store.
 *
 * The seed corpus is a real export of a small store of site "lyon" whose
 * public key is LYON_KEY (made with ccc-store init --site lyon, two messages
 * given to ccc-intake, then ccc-failover export, run in the store's
 * directory so that the journaled command names no directory); so the
 * fuzzer starts from entries that are accepted and mutates them. New seeds
 * from another store need its key here.
 */
#include <err.h>
#include <ftw.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jv.h>

#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/ship.h"
#include "ccc/store.h"

#define LYON_KEY "ed25519:0bxyKgAlVH0gT0xU8F9XpYhOCRCOF/JCMp1rXh7/8wo="

static struct store *standby;
static char dir[4096];
static int fd = -1;

/* Remove the temporary directory and what the store left in it. */
static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	if (standby)
		store_close(standby);
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS); /* the stores, keys, anchors, witnesses */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char path[4200], key[4200];
	snprintf(dir, sizeof dir, "%s/fuzz-import.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		err(1, "fuzz-import: cannot create a temporary directory");
	atexit(cleanup);
	/* trust anchors and witnesses go in the temporary folder too */
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_STATE_HOME", dir, 1);
	snprintf(path, sizeof path, "%s/standby.db", dir);
	snprintf(key, sizeof key, "%s/standby.key", dir);
	if (store_init(path, "standby", key, 1) || store_open(path, STORE_IMPORT, key, &standby) ||
	    store_trust_anchor(standby, "lyon", LYON_KEY, 1))
		errx(1, "fuzz-import: cannot make the standby store");
	if ((fd = memfd_create("import", MFD_CLOEXEC)) < 0)
		err(1, "fuzz-import: memfd_create");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET))
		abort();
	struct ndjson_reader *r = ndjson_open(fd, "fuzz", 1u << 20);
	struct ndjson_line ln;
	jv entry = jv_invalid();
	int rc = ship_begin(standby);
	if (rc)
		abort();
	while (!rc && ndjson_next(r, &ln, -1) == NDJSON_LINE) {
		const char *type = jv_is_valid(ln.value) ? jv_get_str(ln.value, "type") : NULL;
		if (!type) {
			rc = 1;
		} else if (!strcmp(type, "entry")) {
			jv_free(entry);
			entry = ln.value;
			ln.value = jv_invalid();
		} else if (!strcmp(type, "checkpoint") && jv_is_valid(entry)) {
			char why[512];
			jv ack;
			rc = ship_apply(standby, entry, ln.value, &ack, why, sizeof why);
			if (!rc)
				jv_free(ack);
			entry = jv_invalid();
			ln.value = jv_invalid();
		} else {
			rc = 1;
		}
		jv_free(ln.value);
	}
	jv_free(entry);
	ndjson_close(r);
	ship_end(standby, 0);
	return 0;
}
