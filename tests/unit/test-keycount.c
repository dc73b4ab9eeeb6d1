/*
 * test-keycount.c: changeset_count_keys and changeset_apply_counted, which
 * keep derived_key_counts (store migration 18): the counts a primary keeps
 * from a transaction's changeset, and those a standby keeps by applying it,
 * equal what the index holds, through inserts, deletes, signature updates,
 * a row inserted and deleted in one transaction, and a rewind (the inverse).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/changeset.h"
#include "tap.h"

static const char *const SCHEMA =
    "CREATE TABLE persons(id TEXT PRIMARY KEY, names TEXT) WITHOUT ROWID;"
    "CREATE TABLE person_keys(key TEXT NOT NULL, id TEXT NOT NULL, sig INTEGER,"
    " PRIMARY KEY (key, id)) WITHOUT ROWID;"
    "CREATE TABLE derived_key_counts(key TEXT PRIMARY KEY, n INTEGER NOT NULL,"
    " packed INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;";

static sqlite3 *store(void)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	sqlite3_exec(db, SCHEMA, NULL, NULL, NULL);
	return db;
}

/* A transaction of sql on db, its counts kept as store_commit keeps them;
 * its changeset (caller frees with sqlite3_free). */
static void *commit(sqlite3 *db, const char *sql, int *n)
{
	sqlite3_session *ses;
	void *cs = NULL;
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	sqlite3session_create(db, "main", &ses);
	sqlite3session_attach(ses, "persons");
	sqlite3session_attach(ses, "person_keys");
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3session_changeset(ses, n, &cs);
	sqlite3session_delete(ses);
	int rc = changeset_count_keys(db, cs, *n);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "# count: %s\n", sqlite3_errstr(rc));
	return cs;
}

static int abort_on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	return SQLITE_CHANGESET_ABORT;
}

static char *query(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *r = NULL;
	sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		r = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return r ? r : strdup("");
}

static const char *const COUNTS =
    "SELECT group_concat(key || '=' || n, ' ') FROM (SELECT * FROM derived_key_counts"
    " ORDER BY key)";
static const char *const INDEX =
    "SELECT group_concat(key || '=' || n, ' ') FROM (SELECT key, count(*) n FROM person_keys"
    " GROUP BY key ORDER BY key)";

static void same(sqlite3 *db, const char *want, const char *what)
{
	char *c = query(db, COUNTS), *i = query(db, INDEX);
	is_str(c, want, "%s: the counts", what);
	is_str(i, c, "%s: and they are the index's", what);
	free(c);
	free(i);
}

int main(void)
{
	sqlite3 *primary = store(), *standby = store();
	void *cs[2];
	int len[2];
	cs[0] = commit(primary,
		       "INSERT INTO persons VALUES ('P1', 'a'), ('P2', 'b'), ('P3', 'c');"
		       "INSERT INTO person_keys VALUES ('btrf', 'P1', 1), ('btrf', 'P2', 2),"
		       " ('fldm', 'P1', 1), ('lk', 'P3', 4), ('btrf', 'P3', 4);",
		       &len[0]);
	same(primary, "btrf=3 fldm=1 lk=1", "three persons loaded");
	/* a renamed person (a key kept with a new signature, one dropped, one
	 * added), a removed one, a key inserted and deleted again */
	cs[1] =
	    commit(primary,
		   "UPDATE person_keys SET sig = 3 WHERE key = 'btrf' AND id = 'P1';"
		   "DELETE FROM person_keys WHERE key = 'fldm' AND id = 'P1';"
		   "INSERT INTO person_keys VALUES ('ljfn', 'P1', 3);"
		   "DELETE FROM person_keys WHERE id = 'P3'; DELETE FROM persons WHERE id = 'P3';"
		   "INSERT INTO person_keys VALUES ('tmp', 'P2', 2);"
		   "DELETE FROM person_keys WHERE key = 'tmp';",
		   &len[1]);
	same(primary, "btrf=2 ljfn=1", "renamed, removed, a key come and gone");
	for (int i = 0; i < 2; i++)
		is_int(
		    changeset_apply_counted(standby, len[i], cs[i], NULL, abort_on_conflict, NULL),
		    SQLITE_OK, "the standby applies transaction %d", i + 1);
	char *p = query(primary, COUNTS), *s = query(standby, COUNTS);
	is_str(s, p, "the standby's counts are the primary's");
	free(p);
	free(s);
	same(standby, "btrf=2 ljfn=1", "at the standby");
	/* a rewind: the second transaction's inverse */
	void *inv;
	int ninv;
	sqlite3changeset_invert(len[1], cs[1], &ninv, &inv);
	is_int(changeset_apply_counted(standby, ninv, inv, NULL, abort_on_conflict, NULL),
	       SQLITE_OK, "the second transaction rewound");
	same(standby, "btrf=3 fldm=1 lk=1", "rewound");
	sqlite3_free(inv);
	/* a changeset that conflicts is not applied, and counts nothing */
	is_int(changeset_apply_counted(standby, len[0], cs[0], NULL, abort_on_conflict, NULL),
	       SQLITE_ABORT, "the first transaction again conflicts");
	same(standby, "btrf=3 fldm=1 lk=1", "after the conflict");
	is_int(changeset_count_keys(standby, "T\x03\x01", 3), SQLITE_CORRUPT,
	       "a changeset cut short is refused");
	is_int(changeset_count_keys(standby, "", 0), SQLITE_OK, "an empty one counts nothing");
	for (int i = 0; i < 2; i++)
		sqlite3_free(cs[i]);
	sqlite3_close(primary);
	sqlite3_close(standby);
	return tap_done();
}
