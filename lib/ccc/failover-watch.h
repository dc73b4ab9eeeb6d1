/*
 * failover-watch.h: automatic failover on etcd (DESIGN.md section 7).
 *
 * 'ccc-failover watch' campaigns for the primary key in a three-member etcd
 * cluster, reached through etcd's HTTP/JSON gateway (etcd.h). The key is
 * held under a lease; the epoch is the key's create revision (the fencing
 * token). While this site holds the key, the lease deadline is recorded in
 * the store (store_set_lease) so that every writer stops before the lease
 * can lapse; when it loses the key, or cannot renew in time, the deadline is
 * cleared and writers are fenced. When the primary's lease lapses, a waiting
 * site takes the key and promotes its store to the new epoch.
 */
#ifndef CCC_FAILOVER_WATCH_H
#define CCC_FAILOVER_WATCH_H

#include "ccc/store.h"

struct watch_opts {
	const char *endpoints; /* comma-separated etcd client URLs */
	const char *key;       /* the primary key (default "/ccc/primary") */
	long ttl_s;            /* the lease's time to live, seconds (default 5) */
	long run_s;            /* stop after this many seconds; 0: until SIGINT/SIGTERM */
};

/* Watch until signalled or run_s passes; either way the key is given up and
 * the site's writers fenced. Returns 0 (run_s passed), 130/143 (SIGINT,
 * SIGTERM), 78 when this store could never promote (an empty standby, its
 * own key untrusted, an etcd cluster younger than its epochs), or another
 * exit code. etcd out of reach is not an error: the watcher says so and
 * waits. */
int failover_watch(struct store *s, const struct watch_opts *o);

#endif
