/*
 * sitelocal.h: this site's own settings (the local table), sealed with its key.
 *
 * The local table holds what belongs to one site only and is never journaled
 * nor shipped: the site's name ('site'), its role ('role' = standby), the
 * newest epoch it has seen another site start ('seen-epoch'), the primary
 * lease ('lease:deadline', 'lease:boot'), how each other site is reached
 * ('via:SITE'), which standbys writers wait for ('ack-via:SITE') and what
 * each acknowledged ('ack:SITE', written by sites.c), and at a standby what
 * it last heard of its primary's head ('primary-head', 'caught-up',
 * 'last-import', below). No journal entry may
 * change it (ship.c refuses one that does). It also holds the floors of the
 * ids a rejoin rewound ('id-floor:TABLE', store.c). Trust
 * anchors are kept outside the store (anchor.h). Every row but the seal is
 * sealed: the row 'seal' holds an Ed25519 signature by the site's key over a
 * canonical encoding of the others, made again by every write through this
 * module. A seal that is missing or does not verify means the settings were
 * changed outside ccc: writers and importers refuse (75, "fenced: ..."), and
 * 'ccc-store verify' reports it. Functions that fail warn and return an exit
 * code from exit.h; 0 is success.
 *
 * The module sits below the store and knows nothing else of it: the store
 * (which fences with these settings) embeds a struct sitelocal for its
 * connection and hands it out with store_local(s).
 */
#ifndef CCC_SITELOCAL_H
#define CCC_SITELOCAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "ccc/sign.h"

/* The settings of one store's connection. path, site, key and pub point at
 * the store's own fields (the site is known, and the key loaded, only after
 * the connection is open); statements are prepared on first use. */
struct sitelocal {
	sqlite3 *db;
	const char *path;            /* the store's file, for messages */
	char *const *site;           /* the site's name (NULL until known) */
	struct sign_key *const *key; /* the site's key (NULL: cannot seal) */
	const uint8_t *pub;          /* its public half, when *key is set */
	sqlite3_stmt *stmt[4];       /* get, put, delete, the sealed rows */
	int stmt_rc;                 /* a statement that could not be prepared: its result code */
};
/* Finalize the statements (the store closes its connection after). */
void sitelocal_close(struct sitelocal *l);

/* Check the seal with this site's key (the store's writer or importer key):
 * 0, 75 (fenced, warned) when it is missing or wrong, 78 without a key. */
int sitelocal_check(struct sitelocal *l);
/* Check the seal against the public key pub: 0, or -1 with the reason in why. */
int sitelocal_verify(struct sitelocal *l, const uint8_t pub[32], char *why, size_t whylen);
/* Seal the settings as they are (a new store, or the migration of a store
 * made before settings were sealed). Inside a transaction or not. */
int sitelocal_seal(struct sitelocal *l);

/* A setting's value (caller frees), or NULL when it is not set. */
char *sitelocal_get(struct sitelocal *l, const char *key);
/* Set a setting (value NULL: remove it): checks the seal, writes, seals. */
int sitelocal_put(struct sitelocal *l, const char *key, const char *value);
/* Call each(key, value, ctx) for every setting whose key starts with prefix,
 * in key order, until it returns non-zero; returns that or 0. */
int sitelocal_each(struct sitelocal *l, const char *prefix,
		   int (*each)(const char *key, const char *value, void *ctx), void *ctx);

/* The site's name (caller frees), or NULL. */
char *sitelocal_site(struct sitelocal *l);
/* 1 when the site was made a standby (ccc-store init --standby). */
int sitelocal_is_standby(struct sitelocal *l);
/* The newest epoch this site has seen another site start, 0 when none;
 * by gets that site's name (n bytes) when not NULL. */
int64_t sitelocal_seen_epoch(struct sitelocal *l, char *by, size_t n);
/* Remember that origin started epoch (kept only when newer than the one
 * seen before). */
int sitelocal_note_epoch(struct sitelocal *l, int64_t epoch, const char *origin);
/* The primary lease: 1 with its deadline and boot id (n bytes) when one is
 * recorded, else 0. */
int sitelocal_lease(struct sitelocal *l, int64_t *deadline_ns, char *boot, size_t n);
/* Record the lease (deadline_ns < 0: forget it). */
int sitelocal_set_lease(struct sitelocal *l, int64_t deadline_ns, const char *boot);
/* The command that reaches site (caller frees), or NULL; and set it (NULL removes). */
char *sitelocal_via(struct sitelocal *l, const char *site);
int sitelocal_set_via(struct sitelocal *l, const char *site, const char *cmd);
/* The command writers wait on for site's acknowledgement (caller frees), or
 * NULL when writers do not wait for it; and set it (NULL: do not wait). */
char *sitelocal_ack_via(struct sitelocal *l, const char *site);
int sitelocal_set_ack_via(struct sitelocal *l, const char *site, const char *cmd);

/*
 * A standby's lag (lag.h): the head its primary last reported in an export
 * ('primary-head': "SEQ EPOCH SITE HEARD", HEARD the standby's time of the
 * import that brought it), the time it last held everything its primary
 * had ('caught-up') and the time of its last successful import
 * ('last-import'); times are RFC 3339.
 */
struct sitelocal_head {
	int64_t seq, epoch; /* the primary's last seq and its epoch, as reported */
	char site[128];     /* the primary that reported it */
	time_t heard;       /* when this site heard it */
};
/* 1 with *h filled when a head is recorded, else 0 (*h zeroed). */
int sitelocal_primary_head(struct sitelocal *l, struct sitelocal_head *h);
int sitelocal_set_primary_head(struct sitelocal *l, const struct sitelocal_head *h);
/* The time recorded, 0 when none; and record one. */
time_t sitelocal_caught_up(struct sitelocal *l);
int sitelocal_set_caught_up(struct sitelocal *l, time_t t);
time_t sitelocal_last_import(struct sitelocal *l);
int sitelocal_set_last_import(struct sitelocal *l, time_t t);

#endif
