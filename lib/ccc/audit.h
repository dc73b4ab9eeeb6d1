/*
 * audit.h: the audit chain of a site that is not the primary (audit.c).
 *
 * A standby or field kit answers checks from its own copy, but never writes
 * the replicated tables: a transaction of a program that allows it
 * (store_allow_audit) becomes one entry of this site's own chain, in the
 * site-local table audit_local: its body (the consultations and rejects the
 * transaction inserted, as JSON), hash chained (journal.h, "ccc-audit-1")
 * and signed with this site's key. The primary imports each site's chain
 * (ccc-failover ship, audit-import), checks chain and signature with the
 * site's trusted key, and merges the rows into its consultation log, with
 * their site and audit seq; the entries themselves are kept in site_audits,
 * which replicates, so every site can verify every chain.
 */
#ifndef CCC_AUDIT_H
#define CCC_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>
#include <sqlite3.h>

#include "ccc/digest.h"

struct store;

/* Migration 16: audit_local, site_audits, consultations.site and
 * .audit_seq, sites.kind, .revoked_at and .revoked_seq, field_journal. */
extern const char audit_schema[];

/* The body of an audit entry for a transaction's changeset cs[0..n): its
 * inserts into consultations and rejects, as JSON text (*out, malloc'd).
 * Any other change is refused: 75, said on stderr. */
int audit_body(struct store *s, const void *cs, int n, char **out);
/* Append body as the next entry of this site's chain, signed; in the open
 * transaction. */
int audit_append(struct store *s, const char *body, int64_t *seq_out);
/* Both: the store_audit_fn a program gives store_allow_audit. */
int audit_write(struct store *s, const void *cs, int n, int64_t *seq_out);

/* This site's own entries after since, as `audit` records (each given to
 * emit, which takes it; nonzero from emit stops with 74). */
int audit_export_each(struct store *s, int64_t since, int (*emit)(jv, void *), void *ctx);

/* The last entry of site's chain as imported here (0 for none, -1 on
 * error), and its hash (zeros for none) when hash is not NULL. */
int64_t audit_site_head(struct store *s, const char *site, uint8_t hash[SHA256_LEN]);
/* 1 when site was revoked: the last entry kept in *kept, when in at. */
int audit_revoked(struct store *s, const char *site, int64_t *kept, char *at, size_t atlen);

/*
 * Check one `audit` record and merge it, in the caller's transaction (at
 * the primary): 0 merged; 1 already imported (the same entry); -1 refused,
 * the reason in why (an untrusted or revoked site, a gap, a fork, a bad hash
 * or signature, a body that is not consultations and rejects); or an exit
 * code > 1 when the store fails.
 */
int audit_import_record(struct store *s, jv rec, char *why, size_t whylen);

/* Verify this site's own chain (own_pub: its key; NULL: none) and every
 * chain in site_audits (with the sites table's keys): problem is called
 * with each first bad entry; *entries counts the entries read. 0, or -1
 * when the tables cannot be read. */
typedef void audit_problem_fn(void *ctx, const char *what);
int audit_verify(struct store *s, sqlite3 *db, const uint8_t *own_pub, audit_problem_fn *problem,
		 void *ctx, long long *entries);

#endif
