/*
 * test-schema.c: the schema comparison (schema.c) and the witness file
 * (witness.c): what differs is named, a damaged witness is told from none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ccc/schema.h"
#include "ccc/store.h"
#include "ccc/witness.h"
#include "tap.h"

struct seen {
	char what[8][16], type[8][16], name[8][64];
	int n;
};

static void note(void *ctx, const char *what, const char *type, const char *name)
{
	struct seen *s = ctx;
	if (s->n == 8)
		return;
	snprintf(s->what[s->n], sizeof s->what[0], "%s", what);
	snprintf(s->type[s->n], sizeof s->type[0], "%s", type);
	snprintf(s->name[s->n], sizeof s->name[0], "%s", name);
	s->n++;
}

static int diff(sqlite3 *db, struct seen *s)
{
	memset(s, 0, sizeof *s);
	return schema_diff(db, store_migrate, note, s);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

int main(void)
{
	sqlite3 *db;
	struct seen s;
	char a[65], b[65];

	sqlite3_open(":memory:", &db);
	is_int(store_migrate(db, "test"), 0, "migrations apply");
	is_int(diff(db, &s), 0, "a migrated database has the expected schema");
	ok(schema_digest(db, a) == 0 && strlen(a) == 64, "digest of the schema");

	sqlite3_exec(db,
		     "CREATE TRIGGER no_audit AFTER INSERT ON consultations BEGIN"
		     " DELETE FROM consultations WHERE c = new.c; END",
		     NULL, NULL, NULL);
	is_int(diff(db, &s), 1, "one trigger added: one difference");
	is_str(s.what[0], "extra", "it is extra");
	is_str(s.type[0], "trigger", "a trigger");
	is_str(s.name[0], "no_audit", "named");
	schema_digest(db, b);
	ok(strcmp(a, b) != 0, "the digest changes with it");
	sqlite3_exec(db, "DROP TRIGGER no_audit", NULL, NULL, NULL);
	schema_digest(db, b);
	is_str(b, a, "and comes back without it");

	sqlite3_exec(db, "DROP INDEX queue_by_urgency; CREATE VIEW v AS SELECT 1", NULL, NULL,
		     NULL);
	is_int(diff(db, &s), 2, "an index dropped, a view added");
	is_str(s.what[0], "missing", "the index is missing");
	is_str(s.name[0], "queue_by_urgency", "named");
	is_str(s.what[1], "extra", "the view is extra");
	sqlite3_exec(db, "DROP VIEW v; CREATE INDEX queue_by_urgency ON queue(status)", NULL, NULL,
		     NULL);
	is_int(diff(db, &s), 1, "an index made differently");
	is_str(s.what[0], "changed", "is changed");
	sqlite3_exec(db, "ANALYZE", NULL, NULL, NULL);
	is_int(diff(db, &s), 1, "SQLite's statistics tables are left out");
	sqlite3_close(db);

	struct witness w;
	char path[] = "/tmp/test-witness-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	write_file(path, "ccc-witness 1\nstore /x.db\nhead 7 2 "
			 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"
			 "ack buenos-aires 5 "
			 "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100\n");
	is_int(witness_read(path, &w), 0, "a witness reads");
	is_int(w.seq, 7, "its head seq");
	is_int(w.epoch, 2, "its epoch");
	is_int(w.hash[1], 0x11, "its hash");
	is_int(w.nacks, 1, "one ack");
	is_str(w.acks[0].site, "buenos-aires", "the standby");
	is_int(w.acks[0].seq, 5, "its seq");
	write_file(path, "ccc-witness 1\nhead 7 2 0011\n");
	is_int(witness_read(path, &w), 1, "a damaged witness is told (warned)");
	write_file(path, "");
	is_int(witness_read(path, &w), 1, "an emptied one too");
	unlink(path);
	is_int(witness_read(path, &w), -1, "no witness is not a damaged one");
	return tap_done();
}
