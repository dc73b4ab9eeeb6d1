/*
 * audit.c: every site's own audit chain (the checks it answered while
 * another site was primary), and the schema of site audits, field kits and
 * revocation (migration 16).
 */
#include "ccc/audit.h"

/*
 * Migration 16.
 *
 * audit_local is this site's own chain, written by a site that is not the
 * primary (a standby or a field kit) when it answers a check: one entry per
 * transaction, hash chained and signed with this site's key. It is site-local
 * (store_is_state_table says no): never in a changeset, never replicated.
 *
 * site_audits holds, at the primary and everywhere the journal goes, every
 * site's chain as the primary imported and verified it; the consultations it
 * carried are merged into the consultation log with their site and audit seq.
 *
 * sites.kind is 'site' or 'field' (a field kit: reference databases and
 * notices only); a revoked site keeps its audit up to revoked_seq and nothing
 * after. field_journal is a field kit's own record of the signed batches it
 * applied (site-local), so that verify there can replay them.
 */
const char audit_schema[] =
    "CREATE TABLE audit_local(seq INTEGER PRIMARY KEY, site TEXT NOT NULL, ts TEXT NOT NULL,"
    " body TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL,"
    " signature BLOB NOT NULL);"
    "CREATE TABLE site_audits(site TEXT NOT NULL, seq INTEGER NOT NULL, ts TEXT NOT NULL,"
    " body TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL,"
    " signature BLOB NOT NULL, imported_at TEXT NOT NULL, PRIMARY KEY (site, seq))"
    " WITHOUT ROWID;"
    "ALTER TABLE consultations ADD COLUMN site TEXT;"
    "ALTER TABLE consultations ADD COLUMN audit_seq INTEGER;"
    "ALTER TABLE sites ADD COLUMN kind TEXT NOT NULL DEFAULT 'site';"
    "ALTER TABLE sites ADD COLUMN revoked_at TEXT;"
    "ALTER TABLE sites ADD COLUMN revoked_seq INTEGER;"
    "CREATE TABLE field_journal(seq INTEGER PRIMARY KEY, from_seq INTEGER NOT NULL,"
    " to_seq INTEGER NOT NULL, to_hash BLOB NOT NULL, signer TEXT NOT NULL,"
    " changeset BLOB NOT NULL, signature BLOB NOT NULL, applied_at TEXT NOT NULL);";
