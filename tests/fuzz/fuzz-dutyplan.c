/*
 * fuzz-dutyplan: a duty plan file, as ccc-duty plan load reads it
 * (lib/duty/duty-store.c duty_plan_read: shift, rotation, role and policy
 * records, one a line), into a store of site "lyon" made at start-up in a
 * temporary directory; then the plan it leaves is read back (duty_plan_load)
 * and asked who is on duty and whether two days are covered, as ccc-duty
 * on and coverage do (lib/duty/duty.c). Each input's transaction is rolled
 * back, so each meets the same empty plan.
 */
#include <err.h>
#include <fcntl.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jv.h>

#include "ccc/duty-store.h"
#include "ccc/duty.h"
#include "ccc/store.h"

static struct store *st;
static char dir[4096];
static int fd = -1;

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	if (st)
		store_close(st);
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	const char *tmp = getenv("TMPDIR");
	char path[4200], key[4200];
	snprintf(dir, sizeof dir, "%s/fuzz-dutyplan.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		err(1, "fuzz-dutyplan: cannot create a temporary directory");
	atexit(cleanup);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_STATE_HOME", dir, 1);
	snprintf(path, sizeof path, "%s/lyon.db", dir);
	snprintf(key, sizeof key, "%s/lyon.key", dir);
	if (store_init(path, "lyon", key, 0) || store_open(path, STORE_WRITE, key, &st))
		errx(1, "fuzz-dutyplan: cannot make the store");
	if ((fd = memfd_create("plan", MFD_CLOEXEC)) < 0)
		err(1, "fuzz-dutyplan: memfd_create");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long count;
	if (size > 4096)
		return 0;
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET))
		abort();
	if (store_begin(st))
		abort();
	if (duty_plan_read(st, fd, "plan", 1u << 16, &count) == 0) {
		struct duty_plan *p;
		if (duty_plan_load(st, &p))
			abort();
		/* a Sunday night of the spring clock change in Europe */
		time_t t = 1774738800; /* 2026-03-28T23:00:00Z */
		struct duty_need need = {{0}};
		jv on, gaps, people, sites;
		long covered;
		if (duty_on_at(p, t, &on) || jv_get_kind(on) != JV_KIND_ARRAY)
			abort();
		jv_free(on);
		if (duty_target_at(p, t, "supervisor", &people, &sites))
			abort();
		jv_free(people);
		jv_free(sites);
		need.need[3] = 2;
		if (duty_coverage(p, t - 86400, t + 86400, &need, &gaps, &covered) || covered < 0 ||
		    covered > 2 * 1440)
			abort();
		jv_free(gaps);
		duty_plan_free(p);
	}
	store_rollback(st);
	return 0;
}
