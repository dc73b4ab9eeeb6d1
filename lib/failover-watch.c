/* TEMPORARY placeholder until the etcd watcher lands: replaced wholesale. */
#include <err.h>

#include "ccc/exit.h"
#include "ccc/failover-watch.h"

int failover_watch(struct store *s, const struct watch_opts *o)
{
	warnx("watch: not built yet");
	return CCC_EX_SOFTWARE;
}
