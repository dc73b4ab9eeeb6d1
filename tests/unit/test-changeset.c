/*
 * test-changeset.c: changeset_find_table, the guard import and verify put
 * before SQLite reads an entry's changeset: the first table no entry may
 * change, and changesets that are not well formed (cut short, a table name
 * without its NUL, an unknown value type, a patchset). And
 * entity_keys_possible, which lets an import skip the entity index's SQL
 * for a message: never for one that SQL finds a key in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/changeset.h"
#include "ccc/entity-keys.h"
#include "ccc/json.h"
#include "ccc/store.h"
#include "tap.h"

/* The changeset that sql makes on a database with a state table and the
 * local table (caller frees with sqlite3_free). */
static void *changeset_of(const char *sql, int *n)
{
	sqlite3 *db;
	sqlite3_session *ses;
	void *cs = NULL;
	sqlite3_open(":memory:", &db);
	sqlite3_exec(db,
		     "CREATE TABLE messages(n INTEGER PRIMARY KEY, id TEXT);"
		     "CREATE TABLE local(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
		     NULL, NULL, NULL);
	sqlite3session_create(db, "main", &ses);
	sqlite3session_attach(ses, NULL);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3session_changeset(ses, n, &cs);
	sqlite3session_delete(ses);
	sqlite3_close(db);
	return cs;
}

/* On a queue-like table, the session's changeset of sql, after setup
 * (not recorded), into *n bytes (caller frees with sqlite3_free); *cols, a
 * statement SELECT * FROM q of the database *db left open. */
static void *session_of(const char *setup, const char *sql, int *n, sqlite3 **db,
			sqlite3_stmt **cols)
{
	sqlite3_session *ses;
	void *cs = NULL;
	sqlite3_open(":memory:", db);
	sqlite3_exec(*db,
		     "CREATE TABLE q(n INTEGER PRIMARY KEY, id TEXT NOT NULL, who TEXT,"
		     " tries INTEGER NOT NULL DEFAULT 0, note TEXT)",
		     NULL, NULL, NULL);
	sqlite3_exec(*db, setup, NULL, NULL, NULL);
	sqlite3session_create(*db, "main", &ses);
	sqlite3session_attach(ses, NULL);
	sqlite3_exec(*db, sql, NULL, NULL, NULL);
	sqlite3session_changeset(ses, n, &cs);
	sqlite3session_delete(ses);
	sqlite3_prepare_v2(*db, "SELECT * FROM q LIMIT 0", -1, cols, NULL);
	return cs;
}

static void written_as_the_session_writes(void)
{
	sqlite3 *db;
	sqlite3_stmt *cols;
	struct buf b = {0};
	int n;
	void *cs = session_of("", "INSERT INTO q(n, id, note) VALUES (7, 'msg-lyon-7', 'é\"x')", &n,
			      &db, &cols);
	/* the values by name, not in the table's order, the defaults given */
	const struct change_value v[] = {
	    {"note", "é\"x", 0, 0}, {"n", NULL, 7, 1},     {"id", "msg-lyon-7", 0, 0},
	    {"who", NULL, 0, 0},    {"tries", NULL, 0, 1},
	};
	is_int(changeset_put_row(&b, "q", cols, v, 5), 0, "an inserted row: written");
	ok(b.len == (size_t)n && !memcmp(b.p, cs, b.len),
	   "an inserted row is the session's change byte for byte (%zu and %d bytes)", b.len, n);
	b.len = 0;
	is_int(changeset_put_row(&b, "q", cols, v + 1, 4), -1,
	       "a column with no value (note): not written, the caller lets the session do it");
	is_int((int)b.len, 0, "and nothing is written");
	sqlite3_free(cs);
	sqlite3_finalize(cols);
	sqlite3_close(db);

	cs = session_of("INSERT INTO q(n, id) VALUES (-3, 'x')",
			"UPDATE q SET note = 'first' WHERE n = -3", &n, &db, &cols);
	b.len = 0;
	changeset_put_update(&b, "q", 5, -3, 4, NULL, 0, "first", 5);
	ok(b.len == (size_t)n && !memcmp(b.p, cs, b.len),
	   "a column set from NULL is the session's update byte for byte");
	sqlite3_free(cs);
	sqlite3_finalize(cols);
	sqlite3_close(db);

	char long_text[300];
	memset(long_text, 'a', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	char setup[400], sql[400];
	snprintf(setup, sizeof setup, "INSERT INTO q(n, id, note) VALUES (1, 'x', 'before')");
	snprintf(sql, sizeof sql, "UPDATE q SET note = '%s' WHERE n = 1", long_text);
	cs = session_of(setup, sql, &n, &db, &cols);
	b.len = 0;
	changeset_put_update(&b, "q", 5, 1, 4, "before", 6, long_text, strlen(long_text));
	ok(b.len == (size_t)n && !memcmp(b.p, cs, b.len),
	   "a text changed to one of %zu bytes (a two-byte length) is the session's update",
	   strlen(long_text));
	sqlite3_free(cs);
	sqlite3_finalize(cols);
	sqlite3_close(db);
	buf_free(&b);
}

/* Messages an import may receive, and whether the entity index's SQL
 * (MESSAGE_ROW_KEYS_SQL) may be skipped for them: never when it writes a key;
 * a record SQLite cannot read is never skipped either (the SQL refuses it). */
static void test_keys_possible(void)
{
	static const struct {
		const char *rec;
		int possible; /* entity_keys_possible(rec, len, 1) */
	} cases[] = {
	    {"{\"id\":\"m1\",\"entities\":[],\"checks\":[]}", 0},
	    {"{\"id\":\"m1\",\"body\":\"no entity here\"}", 0},
	    {"{\"id\":\"m1\",\"body\":\"entities\",\"x\":\"checks\"}", 0}, /* words, not members */
	    {"{\"id\":\"m1\",\"entities\":[{\"kind\":\"document\",\"number\":\"x1\"}]}", 1},
	    {"{\"id\":\"m1\",\"checks\":[{\"db\":\"persons\",\"hits\":[{\"id\":\"P1\"}]}]}", 1},
	    {"{\"id\":\"m1\",\"entit\\u0069es\":[{\"kind\":\"vin\",\"vin\":\"1HGCM82633A004352\"}]"
	     "}",
	     1},
	    {"{\"id\":\"m1\",\"ent\\/ities\":[]}", 1},    /* an escape in a key */
	    {"{\"id\":\"m\\u0031\",\"entities\":[]}", 1}, /* \u anywhere */
	    {"{\"id\":\"m1\",\"entities\": []}", 1},      /* not written [] */
	    {"{\"id\":\"m1\",\"entities\":[ ]}", 1},
	    {"{\"id\":\"m1\",\"entities\":{\"a\":{\"kind\":\"vin\",\"vin\":\"1HGCM82633A004352\"}}"
	     "}",
	     1},
	    {"{\"id\":\"m1\",\"x\":{\"entities\":[1]}}", 1}, /* any depth */
	    {"{\"id\":\"m1\",\"entities\":[]", 1},           /* not JSON */
	    {"{\"id\":\"m1\",\"body\":\"\xff\"}", 1},        /* not UTF-8 */
	    {"{\"id\":\"m1\",\"entities\":[],\"entities\":[{\"kind\":\"document\",\"number\":"
	     "\"D2\"}]}",
	     1},
	};
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	sqlite3_open(":memory:", &db);
	sqlite3_exec(db,
		     "CREATE TABLE messages(n INTEGER PRIMARY KEY, id TEXT, record TEXT);"
		     "CREATE TABLE derived_entities(key TEXT, item TEXT, at TEXT,"
		     " PRIMARY KEY (key, item));",
		     NULL, NULL, NULL);
	int wrong = 0, unsafe = 0, keyed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *rec = cases[i].rec;
		int possible = entity_keys_possible(rec, strlen(rec), 1);
		if (possible != cases[i].possible) {
			printf("# case %zu: %d, not %d: %s\n", i, possible, cases[i].possible, rec);
			wrong++;
		}
		/* what the SQL itself finds */
		sqlite3_exec(db, "DELETE FROM messages; DELETE FROM derived_entities", NULL, NULL,
			     NULL);
		sqlite3_prepare_v2(db, "INSERT INTO messages VALUES (1, 'm1', ?1)", -1, &st, NULL);
		sqlite3_bind_text(st, 1, rec, -1, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_finalize(st);
		sqlite3_prepare_v2(db, MESSAGE_ROW_KEYS_SQL, -1, &st, NULL);
		sqlite3_bind_int64(st, 1, 1);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		sqlite3_prepare_v2(db, "SELECT count(*) FROM derived_entities", -1, &st, NULL);
		sqlite3_step(st);
		int keys = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		keyed += keys > 0;
		if (!possible && (keys || rc != SQLITE_DONE)) {
			printf("# case %zu skipped, but the SQL %s: %s\n", i,
			       keys ? "writes a key" : "refuses it", rec);
			unsafe++;
		}
	}
	sqlite3_close(db);
	ok(!wrong, "entity_keys_possible: each record as expected");
	ok(!unsafe && keyed >= 3, /* a document, a person, a VIN in an object */
	   "no record it skips is one the SQL writes a key for or refuses (%d of the records have "
	   "keys)",
	   keyed);
	const char *const names[] = {"entities", "checks"};
	is_int(json_validate_names("{\"a\":1}", 7, names, 2), 0, "json_validate_names: none");
	is_int(json_validate_names("{\"checks\":[1]}", 14, names, 2), 1,
	       "json_validate_names: one, not empty");
	is_int(json_validate_names("{\"checks\":[1]", 13, names, 2), -1,
	       "json_validate_names: not JSON");
}

int main(void)
{
	char table[128];
	int n;
	test_keys_possible();
	void *cs = changeset_of(
	    "INSERT INTO messages VALUES (1, 'a'), (2, 'b');"
	    "UPDATE messages SET id = 'c' WHERE n = 1; DELETE FROM messages WHERE n = 2",
	    &n);
	is_int(changeset_find_table(cs, n, store_is_replicated_table, table, sizeof table), 0,
	       "inserts, updates and deletes of a state table are allowed");
	/* every shorter prefix is cut short, but the table header alone (no
	 * change): refused, never read past its end */
	int header = 1 + 1 + 2 + (int)sizeof "messages", cut = 0;
	for (int i = 1; i < n; i++)
		cut += changeset_find_table(cs, i, store_is_replicated_table, table,
					    sizeof table) == (i == header ? 0 : -1);
	is_int(cut, n - 1,
	       "each of the %d shorter prefixes is refused (the table header alone is empty)",
	       n - 1);
	unsigned char *bad = malloc((size_t)n);
	memcpy(bad, cs, (size_t)n);
	bad[0] = 'P';
	is_int(changeset_find_table(bad, n, store_is_replicated_table, table, sizeof table), -1,
	       "a patchset is not a changeset");
	free(bad);
	sqlite3_free(cs);

	cs = changeset_of("INSERT INTO messages VALUES (3, 'x');"
			  "INSERT INTO local VALUES ('via:singapore', 'touch /tmp/pwned')",
			  &n);
	table[0] = '\0';
	is_int(changeset_find_table(cs, n, store_is_replicated_table, table, sizeof table), 1,
	       "a change to the local table is found");
	is_str(table, "local", "and the table is named");
	sqlite3_free(cs);

	static const struct {
		const char *name, *bytes;
		int n;
	} malformed[] = {
	    /* found by fuzz-import-forged: SQLite 3.40 loops for ever on it */
	    {"a table name without its NUL",
	     "T\x05\x01\x00\x00\x00\x00primary_site = 'mallory\x03\x06"
	     "europ@e",
	     38},
	    {"a table of no columns", "T\x00t\x00", 4},
	    {"a change before any table", "\x12\x00\x05", 3},
	    {"an unknown operation", "T\x01\x01t\x00\x07\x00\x05", 8},
	    {"an unknown value type", "T\x01\x01t\x00\x12\x00\x09", 8},
	    {"a text longer than what is left",
	     "T\x01\x01t\x00\x12\x00\x03\x7f"
	     "abc",
	     12},
	    {"an integer cut short", "T\x01\x01t\x00\x12\x00\x01\x00\x00\x00", 11},
	    {"an empty table name", "T\x01\x01\x00\x12\x00\x05", 7},
	    /* found by fuzz-import-forged: SQLite 3.40's apply reads a NULL value */
	    {"an update whose old primary key is undefined",
	     "T\x05\x01\x00\x00\x00\x00sites\x00\x17\x00\x00\x03\x04oln\x00\x00\x00\x05"
	     "\x00\x00\x00\x00\x03\x06europe",
	     37},
	    {"an insert with an undefined value", "T\x01\x01t\x00\x12\x00\x00", 8},
	    {"a delete with an undefined value", "T\x01\x01t\x00\x09\x00\x00", 8},
	};
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
		is_int(changeset_find_table(malformed[i].bytes, malformed[i].n,
					    store_is_replicated_table, table, sizeof table),
		       -1, "not well formed: %s", malformed[i].name);
	is_int(changeset_find_table("T\x01\x01t\x00\x12\x00\x05", 8, store_is_replicated_table,
				    table, sizeof table),
	       1, "a well-formed insert of a NULL into table 't' (not a migrated table)");
	is_int(changeset_find_table("", 0, store_is_replicated_table, table, sizeof table), 0,
	       "an empty changeset changes nothing");
	written_as_the_session_writes();
	return tap_done();
}
