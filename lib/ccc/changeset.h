/*
 * changeset.h: SQLite session changesets as JSON, for people to read
 * (ccc-store log, the orphans of ccc-failover rejoin), and the person key
 * counts they change.
 */
#ifndef CCC_CHANGESET_H
#define CCC_CHANGESET_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>
#include <sqlite3.h>

/* A value of a change: a number, a string (UTF-8 text), "base64:..." for a
 * blob or text that is not UTF-8, or null. */
jv changeset_value_jv(sqlite3_value *v);

/*
 * The changes of a changeset: [{table, op, key}] with op insert, update or
 * delete and key the primary-key values. With db (whose tables name the
 * columns), each change also carries its rows: "new" (insert, update) and
 * "old" (update, delete), objects keyed by column name.
 */
jv changeset_changes_jv(sqlite3 *db, const void *cs, int n);

/*
 * The first table a changeset changes for which allowed(name) is 0: 1 with
 * its name copied to table (len bytes), 0 when every change is to an
 * allowed table, -1 when the changeset is not well formed (checked before
 * SQLite reads it: some malformed changesets make SQLite 3.40 loop for ever).
 */
int changeset_find_table(const void *cs, int n, int (*allowed)(const char *), char *table,
			 size_t len);

/*
 * Append to out the changes of changeset cs (n bytes) to the tables for
 * which keep(name) is 1, each with its table header, in their order: a
 * changeset of those tables alone (SQLite 3.40 has no
 * sqlite3changegroup_add_change). The format is walked as
 * sqlite3session.h describes it ("Changeset Format"): a table header 'T',
 * nCol (varint), nCol primary-key flags, the NUL-terminated name; each
 * change an operation byte (18 insert, 9 delete, 23 update), the indirect
 * flag, then its old record (delete, update) and new record (insert,
 * update), each value a type byte (0 undefined, 1 integer and 2 float with
 * 8 bytes, 3 text and 4 blob with a varint length and the bytes, 5 NULL).
 * Returns 0, or -1 (out unchanged) when cs is not well formed.
 */
struct buf;
struct sqlite3_changeset_iter;
int changeset_filter(const void *cs, size_t n, int (*keep)(const char *), struct buf *out);

/*
 * derived_key_counts, kept per changeset (store migration 18): each
 * person_keys row changeset cs (n bytes) inserts adds one to its key's
 * count, each it deletes takes one away, and a count that falls to 0 is
 * removed. Its keys are counted in key order, once each. The changeset is
 * the transaction's net change, so the counts are those of person_keys at
 * every site that applies it whole: the commit that makes it
 * (store_commit), and every site that applies it (with
 * changeset_apply_counted), in the same transaction. Returns an SQLite
 * result code.
 */
int changeset_count_keys(sqlite3 *db, const void *cs, int n);

struct buf;

/*
 * Changes written as the session writes them (the format above), for rows
 * a program wrote with the session off and journals itself
 * (store_tx_add_changes, store_tx_add_first): the session records an
 * inserted row's key and reads the whole row back at the commit, and keeps
 * an updated row's every column before and after; the caller has the
 * values at hand already.
 *
 * changeset_put_text: a text value of n bytes, or NULL when t is.
 * changeset_put_row: the row inserted into table whose columns are those of
 *   cols (a statement of SELECT * FROM table, the first column its integer
 *   key), each valued from v (nv values) by its name; 0, or -1 (b
 *   unchanged) when a column of the table has no value in v (a column
 *   this program does not know: the caller lets the session record it).
 * changeset_put_update: column col of table (ncol columns, the first its
 *   integer key) of row key changed from old (oldlen bytes) to new (newlen),
 *   each text or NULL, after its table's header.
 */
struct change_value {
	const char *column;
	const char *text; /* the value: text, or an integer when NULL and */
	int64_t i;        /* is_int is set, else NULL */
	int is_int;
};
void changeset_put_text(struct buf *b, const char *t, size_t n);
int changeset_put_row(struct buf *b, const char *table, sqlite3_stmt *cols,
		      const struct change_value *v, int nv);
void changeset_put_update(struct buf *b, const char *table, int ncol, int64_t key, int col,
			  const char *old, size_t oldlen, const char *new, size_t newlen);

/*
 * 0 when the message record rec (len bytes) names no key of the entity index
 * (derived_entities): its "entities" and "checks" empty lists, and no \u
 * escape that could spell them otherwise. A record this program wrote is
 * looked at as text, the words wherever they are; with check_json (a record
 * from elsewhere) it is validated as well, and the members so named looked
 * at on the way (json_validate_names). 1 when it may, or is not valid JSON:
 * SQLite must look.
 */
int entity_keys_possible(const char *rec, size_t len, int check_json);

/* sqlite3changeset_apply, then changeset_count_keys for it (unless filter
 * leaves person_keys out). Every changeset applied to a store goes through it.
 * Inside a transaction, the changes are not wrapped in a savepoint of their
 * own: when it fails, what it applied stays in the transaction, and the
 * caller rolls it back (or, replaying, stops there). */
int changeset_apply_counted(sqlite3 *db, int n, void *cs,
			    int (*filter)(void *ctx, const char *table),
			    int (*conflict)(void *ctx, int kind, struct sqlite3_changeset_iter *it),
			    void *ctx);

#endif
