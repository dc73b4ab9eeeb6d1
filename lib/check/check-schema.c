/*
 * check-schema.c: the tables of ccc-check (store migrations 3, 7, 15, 17, 22, 25 and 26).
 *
 * Every reference record keeps its owner (the NCB that supplied it), the
 * countries it may or may not be shown to (comma lists), its review date and
 * its whole record as JSON. consultations is the audit: one row per check,
 * who asked, for which country and deployment, what, and which records
 * answered.
 */
const char check_schema[] =
    "CREATE TABLE documents(number TEXT NOT NULL, country TEXT NOT NULL, status TEXT NOT NULL,"
    " owner TEXT NOT NULL, allow TEXT, deny TEXT, review_by TEXT, record TEXT NOT NULL,"
    " PRIMARY KEY (number, country)) WITHOUT ROWID;"
    "CREATE TABLE persons(id TEXT PRIMARY KEY, owner TEXT NOT NULL, allow TEXT, deny TEXT,"
    " review_by TEXT, notice TEXT, names TEXT NOT NULL, dob TEXT, countries TEXT,"
    " record TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE person_keys(key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (key, id))"
    " WITHOUT ROWID;"
    "CREATE TABLE items(db TEXT NOT NULL, key TEXT NOT NULL, status TEXT, owner TEXT NOT NULL,"
    " allow TEXT, deny TEXT, review_by TEXT, record TEXT NOT NULL, PRIMARY KEY (db, key))"
    " WITHOUT ROWID;"
    "CREATE TABLE consultations(c INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL,"
    " ncb TEXT, deployment TEXT, db TEXT NOT NULL, query TEXT NOT NULL, hits TEXT NOT NULL);"
    "CREATE INDEX consultations_by_deployment ON consultations(deployment, ts);";

/*
 * Migration 7: every person index entry carries the signature of the names
 * it was made from (refdb.c), and derived_key_counts says how many persons
 * each key names. The counts are derived: every site keeps them, whether
 * the entries come from a load or from a shipped changeset, so they are not
 * journaled (store_is_state_table) and verify checks them against the
 * index. Entries indexed before this migration have no signature. The
 * triggers made here counted one index row at a time; migration 18 drops
 * them, and the counts are kept once per transaction from its changeset
 * (changeset_count_keys, lib/store/changeset.c).
 */
const char person_index_schema[] =
    "ALTER TABLE person_keys ADD COLUMN sig INTEGER;"
    "CREATE TABLE derived_key_counts(key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO derived_key_counts SELECT key, count(*) FROM person_keys GROUP BY key;"
    "CREATE TRIGGER person_key_counted AFTER INSERT ON person_keys BEGIN"
    " INSERT INTO derived_key_counts(key, n) VALUES (new.key, 1)"
    " ON CONFLICT (key) DO UPDATE SET n = n + 1; END;"
    "CREATE TRIGGER person_key_uncounted AFTER DELETE ON person_keys BEGIN"
    " UPDATE derived_key_counts SET n = n - 1 WHERE key = old.key;"
    " DELETE FROM derived_key_counts WHERE key = old.key AND n <= 0; END;";

/*
 * Migration 15: each reference record keeps a hash of the text it was loaded
 * from (refdb.c: SHA-256 of the database, the owner and the record as read,
 * its first 16 bytes), so that loading the same record again finds it
 * unchanged without building its stored form, and writes nothing. Records
 * loaded before this migration have none: they are compared by their text.
 */
const char source_hash_schema[] = "ALTER TABLE documents ADD COLUMN source_hash BLOB;"
				  "ALTER TABLE persons ADD COLUMN source_hash BLOB;"
				  "ALTER TABLE items ADD COLUMN source_hash BLOB;";

/*
 * Migration 17: the checks made outside a deployment (the commonest: every
 * check of a filter) are left out of the deployment index, which is read
 * only for one deployment (deploy-report.c): one B-tree insert less a check.
 */
const char deployment_index_schema[] =
    "DROP INDEX consultations_by_deployment;"
    "CREATE INDEX consultations_by_deployment ON consultations(deployment, ts)"
    " WHERE deployment IS NOT NULL;";

/*
 * Migration 22: what a name check reads of each candidate before its names,
 * to bound its score and to know who may see it, in an index of its own. A
 * person's row holds its whole record (hundreds of bytes, often more); these
 * few fields are a few dozen, so the candidates of a check are read from
 * pages that stay in the cache longer, and the row itself only for the few
 * whose bound reaches the threshold or that the asking country may not see
 * (refdb_check_person). The index is SQLite's to keep: it is neither
 * journaled nor shipped, and every site builds it.
 */
const char person_facts_schema[] =
    "CREATE INDEX persons_facts ON persons(id, dob, countries, owner, allow, deny);";

/*
 * Migration 25: the person index, packed (keypack.h): a key's entries in a
 * few rows that a name check reads in one step each, not one cursor step an
 * entry. derived_key_counts.packed says whether they are exact; the index
 * lists the keys to pack. The counts of the keys already there are kept;
 * their packs are made by the next load or import (keypack_pending).
 */
const char person_packs_schema[] =
    "ALTER TABLE derived_key_counts ADD COLUMN packed INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE derived_key_packs(key TEXT NOT NULL, chunk INTEGER NOT NULL,"
    " entries BLOB NOT NULL, PRIMARY KEY (key, chunk)) WITHOUT ROWID;"
    "CREATE INDEX derived_key_unpacked ON derived_key_counts(key) WHERE packed = 0 AND n >= 32;";

/*
 * Migration 26: a packed key whose entries change is packed again from its
 * packs and the ids that changed, listed in derived_key_dirty by the commit
 * that changes them (changeset_count_keys), not from the whole index:
 * derived_key_counts.packed 2 or more says so (1 and how many are listed).
 * The keys that wait, packed <> 1, are listed with what says how to pack
 * them.
 */
const char person_pack_merge_schema[] =
    "CREATE TABLE derived_key_dirty(key TEXT NOT NULL, id TEXT NOT NULL,"
    " PRIMARY KEY (key, id)) WITHOUT ROWID;"
    "DROP INDEX derived_key_unpacked;"
    "CREATE INDEX derived_key_unpacked ON derived_key_counts(key, packed)"
    " WHERE packed <> 1 AND n >= 32;";
