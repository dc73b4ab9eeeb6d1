/*
 * store-open.c: how a program opens its store (store.h: store_open,
 * store_init). The store itself takes its options in struct store_opts and
 * knows nothing of replication; this file, above it, is the one place the
 * programs' opens go through: it fills struct store_opts from the command
 * line (ccc_opts, opts.h) and installs on a writer's store the post-commit
 * step of failover (ship_wait_acks_install), so that no writer forgets it.
 */
#include "ccc/opts.h"
#include "ccc/ship.h"
#include "ccc/store.h"

static struct store_opts from_command_line(void)
{
	return (struct store_opts){.busy_timeout = ccc_opts.busy_timeout,
				   .site = ccc_opts.site,
				   .actor = ccc_opts.actor,
				   .command = ccc_opts.command,
				   .key = ccc_opts.key,
				   .verbose = ccc_opts.verbose,
				   .quiet = ccc_opts.quiet};
}

int store_init(const char *path, const char *site, const char *keypath, int standby)
{
	struct store_opts o = from_command_line();
	return store_init_opts(path, site, keypath, standby, &o);
}

int store_open(const char *path, enum store_mode mode, const char *keypath, struct store **out)
{
	struct store_opts o = from_command_line();
	int rc = store_open_opts(path, mode, keypath, &o, out);
	if (!rc && mode == STORE_WRITE)
		ship_wait_acks_install(*out);
	return rc;
}
