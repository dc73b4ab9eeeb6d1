/*
 * etcd.h: a small etcd v3 client over the HTTP/JSON gateway (etcd 3.4),
 * with libcurl: leases, a conditional create, reads.
 *
 * Keys and values travel base64-encoded and 64-bit integers as JSON strings;
 * the gateway leaves out fields whose value is zero. An etcd handle holds the
 * cluster's client URLs and tries the next one when a member cannot be reached
 * (connect timeout 500 ms, 1 s a request), so a dead member does not stall the
 * lease. Calls return 0 or an exit code (69 unreachable or refused, 70 a reply
 * that makes no sense) and leave the reason, "etcd: URL: reason", in
 * etcd_error(); they print nothing, so that a caller polling an unreachable
 * cluster can say so once.
 */
#ifndef CCC_ETCD_H
#define CCC_ETCD_H

#include <stdint.h>

#include <jv.h>

#include "ccc/json.h"

struct etcd;

/* A key as the cluster holds it; found is 0 when the key does not exist. */
struct etcd_kv {
	int found;
	char value[256]; /* the value, NUL-terminated (cut at 255 bytes) */
	int64_t create_revision, mod_revision, lease;
};

/* Open a handle on the comma-separated client URLs (http://HOST:PORT, at most
 * 16). Returns 0, or 78 with a message printed for an unusable list. */
int etcd_open(const char *endpoints, struct etcd **out);
void etcd_close(struct etcd *e);
/* The reason the last call failed: "etcd: URL: reason". */
const char *etcd_error(const struct etcd *e);

/* Grant a lease of ttl_s seconds: its id and the TTL granted. */
int etcd_lease_grant(struct etcd *e, long ttl_s, int64_t *id, long *ttl);
/* Renew a lease once: *ttl gets its new TTL, or 0 when the lease is gone. */
int etcd_lease_keepalive(struct etcd *e, int64_t id, long *ttl);
/* Revoke a lease (deleting the keys attached); a lease already gone is fine. */
int etcd_lease_revoke(struct etcd *e, int64_t id);

/* Read one key. */
int etcd_get(struct etcd *e, const char *key, struct etcd_kv *kv);

/*
 * Create key = value under lease, in one transaction, if the key does not
 * exist and guard (when not NULL) was last written before revision below;
 * the guard key is then written with value too (without a lease), so that it
 * remembers which revision created the key last. *created tells whether it
 * did; kv gets the key as it stands (the new key, or the one that exists),
 * guard_kv (may be NULL) the guard key.
 */
int etcd_create(struct etcd *e, const char *key, const char *value, int64_t lease,
		const char *guard, int64_t below, int *created, struct etcd_kv *kv,
		struct etcd_kv *guard_kv);

/* Pure helpers, for the tests. */

/* Append the JSON body of etcd_create's transaction to b. */
void etcd_create_body(struct buf *b, const char *key, const char *value, int64_t lease,
		      const char *guard, int64_t below);
/* An int64 field of a gateway reply (a JSON string or number); absent or
 * null: 0. Consumes nothing. Returns 0, or -1 when it is not an integer. */
int etcd_int64(jv obj, const char *field, int64_t *out);
/* Fill kv from one element of a range reply's "kvs" (consumes nothing).
 * Returns 0, or -1 when it is malformed. */
int etcd_parse_kv(jv item, struct etcd_kv *kv);

#endif
