/*
 * schema.h: the store's whole schema (tables, indexes, triggers, views, FTS
 * shadows) against the one the migrations create.
 *
 * A trigger, view or index added behind the programs' backs changes what a
 * write does (a trigger that deletes the audit row a check just wrote) or
 * what a read returns, without touching any journaled row: verify reports it
 * and writers refuse the store.
 *
 * The module knows nothing of the store: the caller hands it the function
 * that makes the expected schema (store_migrate), so the store, which
 * checks its schema when opened, sits above it.
 */
#ifndef CCC_SCHEMA_H
#define CCC_SCHEMA_H

#include <sqlite3.h>

/* One difference: what is "extra", "missing" or "changed"; type is the
 * sqlite_master type (table, index, trigger, view). */
typedef void schema_diff_fn(void *ctx, const char *what, const char *type, const char *name);

/* Make the expected schema on the empty database db: 0, or else an error
 * (path names db in messages). store_migrate is one. */
typedef int schema_build_fn(sqlite3 *db, const char *path);

/*
 * Compare the schema of db (sqlite_master: type, name, tbl_name, sql) with
 * the one build creates on an empty database (computed once per process). SQLite's statistics
 * tables (sqlite_stat*) are left out. Calls fn for each difference when fn is not NULL. Returns the
 * number of differences, or -1 when a schema cannot be read (warned).
 */
int schema_diff(sqlite3 *db, schema_build_fn *build, schema_diff_fn *fn, void *ctx);

/* The digest of db's schema (the rows schema_diff compares), as hex: 0, or
 * -1 when it cannot be read. */
int schema_digest(sqlite3 *db, char hex[65]);

/* Writers: 0 when the schema is the expected one (the digest computed at
 * build time, else build's), else 65 with the first difference named
 * ("store 'P': trigger 'T' is not part of ccc's schema"). */
int schema_check(sqlite3 *db, const char *path, schema_build_fn *build);

#endif
