/*
 * test-changeset-filter.c: changeset_filter, which keeps a field kit's
 * tables of a changeset (fieldkit.h), on changesets that a real SQLite
 * session makes: inserts, updates (with undefined unchanged columns),
 * deletes, every value type, several tables in any order and changesets
 * concatenated; the result applies to a copy as the whole changeset's
 * part does, and a malformed changeset is refused with nothing written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/changeset.h"
#include "ccc/json.h"
#include "tap.h"

static const char schema[] =
    "CREATE TABLE messages(n INTEGER PRIMARY KEY, subject TEXT);"
    "CREATE TABLE documents(number TEXT NOT NULL, country TEXT NOT NULL, status TEXT,"
    " score REAL, photo BLOB, PRIMARY KEY (number, country)) WITHOUT ROWID;"
    "CREATE TABLE cases(id TEXT PRIMARY KEY, title TEXT);"
    "CREATE TABLE persons(id TEXT PRIMARY KEY, names TEXT, dob TEXT);";

static int keep_reference(const char *table)
{
	return !strcmp(table, "documents") || !strcmp(table, "persons");
}

/* The changeset sql makes on db (caller frees with sqlite3_free). */
static void *changeset_of(sqlite3 *db, const char *sql, int *n)
{
	sqlite3_session *ses;
	void *cs = NULL;
	sqlite3session_create(db, "main", &ses);
	sqlite3session_attach(ses, NULL);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		printf("# %s\n", sqlite3_errmsg(db));
	sqlite3session_changeset(ses, n, &cs);
	sqlite3session_delete(ses);
	return cs;
}

/* "table op" for each change, joined by ", ". */
static void describe(const void *cs, size_t n, char *out, size_t len)
{
	sqlite3_changeset_iter *it;
	out[0] = '\0';
	if (sqlite3changeset_start(&it, (int)n, (void *)cs) != SQLITE_OK) {
		snprintf(out, len, "(unreadable)");
		return;
	}
	while (sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *t;
		int ncol, op, ind;
		sqlite3changeset_op(it, &t, &ncol, &op, &ind);
		size_t k = strlen(out);
		snprintf(out + k, len - k, "%s%s %s", k ? ", " : "", t,
			 op == SQLITE_INSERT   ? "insert"
			 : op == SQLITE_DELETE ? "delete"
					       : "update");
	}
	sqlite3changeset_finalize(it);
}

static char *dump(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	struct buf b = {0};
	sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *v = sqlite3_column_text(st, i);
			buf_adds(&b, v ? (const char *)v : "NULL");
			buf_addc(&b, '|');
		}
		buf_addc(&b, ';');
	}
	sqlite3_finalize(st);
	buf_addc(&b, '\0');
	return b.p;
}

int main(void)
{
	sqlite3 *db, *copy;
	char what[1024];
	int n1, n2;
	sqlite3_open(":memory:", &db);
	sqlite3_open(":memory:", &copy);
	sqlite3_exec(db, schema, NULL, NULL, NULL);
	sqlite3_exec(copy, schema, NULL, NULL, NULL);

	void *cs1 = changeset_of(
	    db,
	    "INSERT INTO messages VALUES (1, 'ZEBRA secret subject');"
	    "INSERT INTO documents VALUES ('19AB45872', 'FR', 'stolen', 0.5, x'00ff10'),"
	    " ('X1', 'BE', NULL, NULL, NULL);"
	    "INSERT INTO cases VALUES ('case-1', 'Operation Harbour');"
	    "INSERT INTO persons VALUES ('p1', 'Ivan Petrov', '1980-03-14');",
	    &n1);
	struct buf out = {0};
	is_int(changeset_filter(cs1, (size_t)n1, keep_reference, &out), 0,
	       "a changeset of four tables filters");
	describe(out.p, out.len, what, sizeof what);
	is_str(what, "documents insert, documents insert, persons insert",
	       "only the documents and persons changes are kept, in their order");
	ok(out.len < (size_t)n1 && !memmem(out.p, out.len, "ZEBRA", 5) &&
	       !memmem(out.p, out.len, "Harbour", 7),
	   "nothing of the messages or cases is in the bytes kept");
	ok(sqlite3changeset_apply(copy, (int)out.len, out.p, NULL, NULL, NULL) == SQLITE_OK,
	   "the filtered changeset applies to an empty copy");
	char *a = dump(copy, "SELECT * FROM documents ORDER BY 1, 2");
	char *b = dump(db, "SELECT * FROM documents ORDER BY 1, 2");
	is_str(a, b, "the copy's documents are the database's (text, real, blob and NULL values)");
	free(a);
	free(b);
	a = dump(copy, "SELECT count(*) FROM messages UNION ALL SELECT count(*) FROM cases");
	is_str(a, "0|;0|;", "and it has no messages or cases");
	free(a);

	/* an update (unchanged columns undefined) and a delete, then a second
	 * changeset concatenated after the first, as a field batch holds them */
	void *cs2 = changeset_of(db,
				 "UPDATE documents SET status = 'recovered' WHERE number = 'X1';"
				 "UPDATE messages SET subject = 'ZEBRA again' WHERE n = 1;"
				 "DELETE FROM persons WHERE id = 'p1';"
				 "DELETE FROM cases;",
				 &n2);
	struct buf two = {0};
	is_int(changeset_filter(cs2, (size_t)n2, keep_reference, &two), 0,
	       "updates and deletes filter");
	describe(two.p, two.len, what, sizeof what);
	is_str(what, "documents update, persons delete", "the update and the delete are kept");
	ok(sqlite3changeset_apply(copy, (int)two.len, two.p, NULL, NULL, NULL) == SQLITE_OK,
	   "they apply after the first");
	a = dump(copy, "SELECT * FROM documents ORDER BY 1, 2; ");
	b = dump(db, "SELECT * FROM documents ORDER BY 1, 2");
	is_str(a, b, "the update reached the copy");
	free(a);
	free(b);
	a = dump(copy, "SELECT count(*) FROM persons");
	is_str(a, "0|;", "the delete reached the copy");
	free(a);

	/* concatenated: the filter of the concatenation is the concatenation of the filters */
	struct buf both = {0}, joined = {0};
	buf_add(&both, cs1, (size_t)n1);
	buf_add(&both, cs2, (size_t)n2);
	is_int(changeset_filter(both.p, both.len, keep_reference, &joined), 0,
	       "two changesets concatenated filter");
	ok(joined.len == out.len + two.len && !memcmp(joined.p, out.p, out.len) &&
	       !memcmp(joined.p + out.len, two.p, two.len),
	   "as each one's filter, one after the other");

	/* nothing kept: an empty changeset */
	struct buf none = {0};
	void *cs3 = changeset_of(db, "INSERT INTO messages VALUES (2, 'x')", &n1);
	is_int(changeset_filter(cs3, (size_t)n1, keep_reference, &none), 0,
	       "a changeset of other tables only filters");
	is_int((long long)none.len, 0, "to nothing");
	is_int(changeset_filter("", 0, keep_reference, &none), 0, "an empty changeset filters");

	/* malformed: cut short at every length, nothing written */
	int refused = 0, untouched = 0;
	for (int i = 1; i < (int)both.len; i++) {
		struct buf o = {0};
		int rc = changeset_filter(both.p, (size_t)i, keep_reference, &o);
		refused += rc == -1;
		untouched += rc == -1 && o.len == 0;
		buf_free(&o);
	}
	/* a cut exactly between two changes, or after a table header, is well formed */
	ok(refused > (int)both.len / 2 && refused == untouched,
	   "prefixes cut inside a change are refused (%d of %zu), and nothing is written", refused,
	   both.len - 1);
	is_int(changeset_filter("T\x01\x01t\x00\x12\x00\x07", 8, keep_reference, &none), -1,
	       "an unknown value type is refused");
	is_int(changeset_filter("P\x01\x01t\x00", 5, keep_reference, &none), -1,
	       "a patchset is refused");

	sqlite3_free(cs1);
	sqlite3_free(cs2);
	sqlite3_free(cs3);
	buf_free(&out);
	buf_free(&two);
	buf_free(&both);
	buf_free(&joined);
	sqlite3_close(db);
	sqlite3_close(copy);
	return tap_done();
}
