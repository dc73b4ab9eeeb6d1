/*
 * scratch.h: a store of site lyon in a directory of its own under /tmp
 * (its XDG homes too), for the unit tests that need one.
 *
 *   struct scratch x;
 *   struct store *s = scratch_open(&x, "correlate", 1);   (1: a transaction begun)
 *   ...
 *   store_close(s);
 *   scratch_remove(&x);
 */
#ifndef CCC_SCRATCH_H
#define CCC_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>

#include "ccc/store.h"

struct scratch {
	char dir[64], path[128], key[128];
};

/* The store, opened to write (and a transaction begun when begin is set),
 * or NULL. */
static inline struct store *scratch_open(struct scratch *x, const char *name, int begin)
{
	struct store *s = NULL;
	snprintf(x->dir, sizeof x->dir, "/tmp/test-%s-XXXXXX", name);
	if (!mkdtemp(x->dir))
		return NULL;
	setenv("XDG_CONFIG_HOME", x->dir, 1);
	setenv("XDG_DATA_HOME", x->dir, 1);
	setenv("XDG_STATE_HOME", x->dir, 1);
	snprintf(x->path, sizeof x->path, "%s/lyon.db", x->dir);
	snprintf(x->key, sizeof x->key, "%s/lyon.pem", x->dir);
	struct store_opts o = {.busy_timeout = STORE_BUSY_TIMEOUT_DEFAULT, .actor = "test"};
	if (store_init_opts(x->path, "lyon", x->key, 0, NULL) ||
	    store_open_opts(x->path, STORE_WRITE, x->key, &o, &s))
		return NULL;
	if (begin && store_begin(s)) {
		store_close(s);
		return NULL;
	}
	return s;
}

/* Remove the directory and all in it. */
static inline void scratch_remove(const struct scratch *x)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", x->dir);
}

#endif
