/*
 * rejoin.h: a former primary comes back as a standby of the new one.
 *
 * It fetches the new primary's journal, finds the fork point (the last seq
 * both stores hold with the same hash: the chain hash makes the whole prefix
 * equal), writes each of its own entries after the fork to an orphans NDJSON
 * file (`orphan` records: the entry, and its changes decoded row by row, for
 * reconciliation), rewinds them (their changesets inverted, newest first, in
 * one transaction, after the orphans file is safely on disk), then imports
 * the new primary's entries as any standby does. Nothing is dropped silently.
 */
#ifndef CCC_REJOIN_H
#define CCC_REJOIN_H

#include <stdint.h>

#include <jv.h>

#include "ccc/store.h"

struct rejoin_result {
	int64_t fork;     /* the last seq held in common */
	long orphans;     /* entries of this store after the fork, written and rewound */
	long imported;    /* entries of the new primary applied */
	int64_t position; /* this store's last seq afterwards */
};

/* Rejoin through via (a command reaching the new primary's ccc-failover);
 * orphans go to orphans_fd. Opened with STORE_IMPORT. 0 or an exit code. */
int rejoin(struct store *s, const char *via, int orphans_fd, struct rejoin_result *res);

/*
 * rejoin with the orphans appended to file (NULL: STORE.orphans.ndjson;
 * created with mode 0600); *rec gets the record of what was done: {"type":
 * "rejoin","id","site","fork","orphans","orphans_file","imported",
 * "position"}. 73 when the file cannot be opened, 74 when it cannot be
 * written, or rejoin's exit code.
 */
int rejoin_to_file(struct store *s, const char *via, const char *file, struct rejoin_result *res,
		   jv *rec);

#endif
