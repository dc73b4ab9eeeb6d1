/*
 * changeset.h: SQLite session changesets as JSON, for people to read
 * (ccc-store log, the orphans of ccc-failover rejoin).
 */
#ifndef CCC_CHANGESET_H
#define CCC_CHANGESET_H

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

#endif
