/*
 * store-open.c: how a program opens its store (store.h: store_open,
 * store_init). The store itself takes its options in struct store_opts and
 * knows nothing of replication; this file, above it, is the one place the
 * programs' opens go through: it fills struct store_opts from the command
 * line (ccc_opts, opts.h) and installs on a writer's store the post-commit
 * step of failover (ship_wait_acks_install), so that no writer forgets it.
 * It is also where a writer at a standby is sent to the primary instead
 * (forward.h), so that no writer is left out of that either.
 */
#include <errno.h>
#include <string.h>

#include "ccc/forward.h"
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

/* The programs whose writes at a standby are not forwarded: replication and
 * the store's plumbing act on this site's own store, and checks answer here. */
static const char *const local_writers[] = {"ccc-check", "ccc-failover", "ccc-store"};

static int forwards(const char *program)
{
	for (size_t i = 0; i < sizeof local_writers / sizeof local_writers[0]; i++)
		if (!strcmp(program, local_writers[i]))
			return 0;
	return 1;
}

/* A writer at a standby: sent to the primary (forward.h); 0 when it stays. */
static int forward_if_standby(struct store *s)
{
	const char *program = program_invocation_short_name;
	if (!forwards(program) || !ccc_opts.argv)
		return 0;
	struct forward f = {.program = program,
			    .argc = ccc_opts.argc,
			    .argv = ccc_opts.argv,
			    .drop = ccc_opts.local_args,
			    .ndrop = ccc_opts.nlocal_args,
			    .actor = ccc_opts.actor,
			    .quiet = ccc_opts.quiet,
			    .verbose = ccc_opts.verbose,
			    .refuse = ccc_opts.no_forward};
	return forward_write(s, &f);
}

static int open_writer(const char *path, enum store_mode mode, const char *keypath,
		       struct store **out, int here)
{
	struct store_opts o = from_command_line();
	int rc = store_open_opts(path, mode, keypath, &o, out);
	if (!rc && mode == STORE_WRITE) {
		if (!here && (rc = forward_if_standby(*out))) {
			*out = NULL;
			return rc;
		}
		ship_wait_acks_install(*out);
	}
	return rc;
}

int store_open(const char *path, enum store_mode mode, const char *keypath, struct store **out)
{
	return open_writer(path, mode, keypath, out, 0);
}

int store_open_here(const char *path, const char *keypath, struct store **out)
{
	return open_writer(path, STORE_WRITE, keypath, out, 1);
}
