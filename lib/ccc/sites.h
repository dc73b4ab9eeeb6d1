/*
 * sites.h: the sites a store knows, their keys, heartbeats and positions.
 *
 * The sites table (journaled, so every site learns every key) holds each
 * site's name, Ed25519 public key, time zone and region. A primary's
 * heartbeat is a journaled row (site, time, seq, epoch) that reaches its
 * standbys with the journal; the seq each standby acknowledged is kept in
 * the local table (ack:SITE), never journaled. Functions that write run
 * inside a transaction (store_begin) and return 0 or an exit code.
 */
#ifndef CCC_SITES_H
#define CCC_SITES_H

#include <stdint.h>

#include <jv.h>

#include "ccc/rerun.h"
#include "ccc/store.h"

/* Trust site name with key ("ed25519:BASE64"); tz and region may be NULL.
 * A different key for a known site needs replace; this site's own key is
 * never replaced. where prefixes error messages. A site trusted already
 * with this key (and the tz and region given) is a rerun: nothing changes
 * and again is set (rerun.h). */
int sites_trust(struct store *s, const char *name, const char *key, const char *tz,
		const char *region, int replace, const char *where, struct rerun *again);
/* Remove a site; refuses this site and the current epoch's primary. */
int sites_remove(struct store *s, const char *name);
/* A `site` record: name, its public key (32 bytes), added_at (may be NULL). */
jv sites_record(const char *name, const void *pub, const char *added_at);
/* An array of `site` records (all, or only the one named), in name order. */
int sites_list(struct store *s, const char *only, jv *out);
/* Record this site's heartbeat (its position and epoch, now). */
int sites_heartbeat(struct store *s);
/* Remember that site acknowledged every entry up to seq (outside a transaction). */
int sites_record_ack(struct store *s, const char *site, int64_t seq);
/* The seq site last acknowledged here, 0 when none. */
int64_t sites_acked(struct store *s, const char *site);
/* An array of `site-status` records: each known site's role, epoch, last
 * seq, lag and last heartbeat, as far as this store knows them. */
int sites_status(struct store *s, jv *out);

#endif
