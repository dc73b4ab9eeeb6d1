/*
 * failover-sites.h: the sites as 'ccc-failover site' and 'heartbeat' change
 * them: trusting a site together with how it is reached and whether writers
 * here wait for its acknowledgements (site-local, sitelocal.h), forgetting
 * one and all this site knew of it, the list with how each is reached, and
 * the primary's heartbeat. Each runs its own transaction.
 */
#ifndef CCC_FAILOVER_SITES_H
#define CCC_FAILOVER_SITES_H

#include <jv.h>

#include "ccc/rerun.h"
#include "ccc/store.h"

enum site_ack { SITE_ACK_KEEP, SITE_ACK_WAIT, SITE_ACK_STOP };

struct site_add {
	const char *name, *key;  /* key: ed25519:BASE64 */
	const char *tz, *region; /* NULL: not given */
	const char *via;         /* how it is reached; NULL: as it was */
	enum site_ack ack;       /* WAIT needs via */
	int replace;             /* a new key for a site already trusted */
	int field;               /* a field kit (field-ship.h), never a standby before */
};

/* Trust a site as a says; a rerun with nothing to change sets again->done.
 * Returns 0 or an exit code (warned). */
int failover_site_add(struct store *s, const struct site_add *a, struct rerun *again);
/* Forget site name: its row, how it is reached, its acknowledgements. */
int failover_site_remove(struct store *s, const char *name);
/* Revoke site name (a lost field kit): from then on every site refuses its
 * audit entries after the last one merged here, its acknowledgements and
 * any journal entry it signs; nothing is shipped to it. Its audit up to now
 * is kept. Journaled, so it reaches every site. A site revoked already sets
 * again->done. 0, 64 (this site), 66 (unknown) or another exit code. */
int failover_site_revoke(struct store *s, const char *name, struct rerun *again);
/* Every site record (sites_list) with "via" (when known), "ack" (bool) and
 * "kind" ("site" or "field"). */
int failover_site_list(struct store *s, jv *out);
/* The primary signs a heartbeat; another site has nothing to sign (*signed_
 * 0: cron runs the same line at every site). Returns 0 or an exit code. */
int failover_heartbeat(struct store *s, int *signed_);

#endif
