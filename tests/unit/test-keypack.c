/*
 * test-keypack.c: the packed person index (keypack.h, store migrations 25 and 26).
 * A chunk's entries read back as written; the packs of a random index hold
 * its entries in its order, through long ids, entries without a signature
 * and keys of many chunks; a commit that changes a key's entries (an
 * insert, a delete, a signature updated) marks it unpacked and leaves the
 * others packed; a key changed after it was packed is packed again from
 * its packs and the ids that changed, as packing the index makes it;
 * keypack_check finds a pack or an index row altered behind their back; and a name check made in
 * the transaction that loaded a person finds it though every key of its name was packed before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/changeset.h"
#include "ccc/json.h"
#include "ccc/keypack.h"
#include "ccc/names.h"
#include "ccc/refdb.h"
#include "ccc/store.h"
#include "scratch.h"
#include "tap.h"

static void decode_vectors(void)
{
	static const uint8_t chunk[] = {
	    1,    2,    3,   4,   5,   6, 7, 8, 'P', '1', 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 'P', '2', '2', 0, 0, 0, 0,   0,   0, 0,    0,    1,    'P',  '3'};
	struct keypack_cursor c = {chunk, chunk + sizeof chunk};
	const char *id;
	uint64_t sig;
	ok(keypack_next(&c, &id, &sig) && !strcmp(id, "P1") && sig == 0x0102030405060708ull,
	   "an entry: its signature big-endian, then its id");
	ok(keypack_next(&c, &id, &sig) && !strcmp(id, "P22") && sig == ~0ull,
	   "an entry without a signature reads as sharing every key");
	ok(!keypack_next(&c, &id, &sig), "an entry cut short (no NUL) ends the chunk");
	struct keypack_cursor e = {chunk, chunk + 8};
	ok(!keypack_next(&e, &id, &sig), "fewer bytes than a signature and a NUL: no entry");
}

/* A transaction of sql, with its key counts kept as store_commit keeps them. */
static void commit(sqlite3 *db, const char *sql)
{
	sqlite3_session *ses;
	void *cs = NULL;
	int n = 0;
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	sqlite3session_create(db, "main", &ses);
	sqlite3session_attach(ses, "person_keys");
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "# %s\n", sqlite3_errmsg(db));
	sqlite3session_changeset(ses, &n, &cs);
	sqlite3session_delete(ses);
	if (changeset_count_keys(db, cs, n) != SQLITE_OK)
		fprintf(stderr, "# count: %s\n", sqlite3_errmsg(db));
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_free(cs);
}

static char *text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *out = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		out = strdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
							: "");
	sqlite3_finalize(st);
	return out ? out : strdup("(error)");
}

static int number(sqlite3 *db, const char *sql)
{
	char *t = text(db, sql);
	int n = atoi(t);
	free(t);
	return n;
}

/* Every packed key's chunks, decoded, against its index rows in order:
 * the keys that differ, and the chunks over KEYPACK_BYTES with more than
 * one entry. */
static void compare_packs(sqlite3 *db, int *differ, int *oversize)
{
	sqlite3_stmt *keys, *rows, *chunks;
	*differ = *oversize = 0;
	sqlite3_prepare_v2(db, "SELECT key FROM derived_key_counts WHERE packed = 1", -1, &keys,
			   NULL);
	sqlite3_prepare_v2(db,
			   "SELECT id, ifnull(sig, -1) FROM person_keys WHERE key = ?1"
			   " ORDER BY id",
			   -1, &rows, NULL);
	sqlite3_prepare_v2(db,
			   "SELECT entries FROM derived_key_packs WHERE key = ?1 ORDER BY chunk",
			   -1, &chunks, NULL);
	while (sqlite3_step(keys) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(keys, 0);
		sqlite3_bind_text(rows, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(chunks, 1, key, -1, SQLITE_TRANSIENT);
		int bad = 0;
		struct keypack_cursor c = {0};
		const char *id;
		uint64_t sig;
		while (!bad) {
			int more;
			while (!(more = keypack_next(&c, &id, &sig))) {
				if (sqlite3_step(chunks) != SQLITE_ROW)
					break;
				c.p = sqlite3_column_blob(chunks, 0);
				c.end = c.p + sqlite3_column_bytes(chunks, 0);
				if (sqlite3_column_bytes(chunks, 0) > KEYPACK_BYTES &&
				    c.p + 8 + strlen((const char *)c.p + 8) + 1 < c.end)
					(*oversize)++;
			}
			int row = sqlite3_step(rows) == SQLITE_ROW;
			if (!more && !row)
				break;
			bad = more != row ||
			      strcmp(id, (const char *)sqlite3_column_text(rows, 0)) ||
			      sig != (uint64_t)sqlite3_column_int64(rows, 1);
		}
		*differ += bad;
		sqlite3_reset(rows);
		sqlite3_reset(chunks);
	}
	sqlite3_finalize(keys);
	sqlite3_finalize(rows);
	sqlite3_finalize(chunks);
}

/* Take the first entry out of a chunk, as an insider with the file could. */
static void drop_first_entry(sqlite3 *db, const char *key, int chunk)
{
	sqlite3_stmt *get, *put;
	sqlite3_prepare_v2(db,
			   "SELECT entries FROM derived_key_packs WHERE key = ?1 AND chunk = ?2",
			   -1, &get, NULL);
	sqlite3_prepare_v2(
	    db, "UPDATE derived_key_packs SET entries = ?3 WHERE key = ?1 AND chunk = ?2", -1, &put,
	    NULL);
	sqlite3_bind_text(get, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int(get, 2, chunk);
	if (sqlite3_step(get) == SQLITE_ROW) {
		const char *p = sqlite3_column_blob(get, 0);
		size_t n = (size_t)sqlite3_column_bytes(get, 0), first = 8 + strlen(p + 8) + 1;
		sqlite3_bind_text(put, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_int(put, 2, chunk);
		sqlite3_bind_blob(put, 3, p + first, (int)(n - first), SQLITE_TRANSIENT);
		sqlite3_step(put);
	}
	sqlite3_finalize(get);
	sqlite3_finalize(put);
}

/* Change the first signature of a key's first chunk, as an insider could. */
static void flip_first_sig(sqlite3 *db, const char *key)
{
	sqlite3_stmt *get, *put;
	sqlite3_prepare_v2(db, "SELECT entries FROM derived_key_packs WHERE key = ?1 AND chunk = 0",
			   -1, &get, NULL);
	sqlite3_prepare_v2(db,
			   "UPDATE derived_key_packs SET entries = ?2 WHERE key = ?1 AND chunk = 0",
			   -1, &put, NULL);
	sqlite3_bind_text(get, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(get) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(get, 0);
		uint8_t *p = malloc(n);
		memcpy(p, sqlite3_column_blob(get, 0), n);
		p[0] ^= 0xff;
		sqlite3_bind_text(put, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_blob(put, 2, p, (int)n, free);
		sqlite3_step(put);
	}
	sqlite3_finalize(get);
	sqlite3_finalize(put);
}

static void random_index(void)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	ok(store_migrate(db, "(test)") == 0, "a scratch database with the store's schema");
	/* 12 keys: k0 names 2,000 persons (many chunks), k1..k10 between 0
	 * and 99, k11 three; ids of 1 to 30 letters, one of 5,000, a tenth
	 * without a signature */
	srand(7);
	struct buf sql = {0};
	char line[6000];
	for (int k = 0; k < 12; k++) {
		int n = k == 0 ? 2000 : k == 11 ? 3 : rand() % 100;
		for (int i = 0; i < n; i++) {
			char id[5001];
			int len = k == 1 && i == 0 ? 5000 : 1 + rand() % 30;
			for (int j = 0; j < len; j++)
				id[j] = (char)('A' + rand() % 26);
			id[len] = '\0';
			if (rand() % 10)
				snprintf(
				    line, sizeof line,
				    "INSERT OR IGNORE INTO person_keys VALUES ('k%d', '%s', %lld);",
				    k, id, (long long)rand() * rand());
			else
				snprintf(
				    line, sizeof line,
				    "INSERT OR IGNORE INTO person_keys VALUES ('k%d', '%s', NULL);",
				    k, id);
			buf_add(&sql, line, strlen(line));
		}
	}
	buf_add(&sql, "", 1);
	commit(db, sql.p);
	buf_free(&sql);
	int big = number(db, "SELECT count(*) FROM derived_key_counts WHERE n >= 32");
	ok(number(db, "SELECT count(*) FROM derived_key_counts WHERE packed = 1") == 0,
	   "a commit leaves its keys unpacked");
	size_t nk = 0, ne = 0;
	int packed = keypack_pending(db, &nk, &ne, NULL, NULL);
	ok(packed == SQLITE_OK, "keypack_pending packs");
	ok((int)nk == big && big >= 5, "every key of 32 entries or more is packed (%zu of %d)", nk,
	   big);
	ok((int)ne == number(db, "SELECT sum(n) FROM derived_key_counts WHERE n >= 32"),
	   "their entries counted");
	ok(number(db, "SELECT count(*) FROM derived_key_counts WHERE packed = 1 AND n < 32") == 0,
	   "no key of fewer entries is packed");
	ok(number(db, "SELECT count(*) FROM derived_key_packs WHERE key = 'k0'") > 5,
	   "a key of 2,000 entries is packed in chunks");
	int differ, oversize;
	compare_packs(db, &differ, &oversize);
	ok(!differ, "each packed key holds its index rows, in order (%d differ)", differ);
	ok(!oversize, "no chunk of more than one entry passes KEYPACK_BYTES");
	char bad[64] = "";
	ok(keypack_check(db, bad, sizeof bad) == 0, "keypack_check finds them exact");
	ok(keypack_pending(db, &nk, &ne, NULL, NULL) == SQLITE_OK && nk == 0,
	   "packing again finds nothing to pack");

	/* a commit that inserts into k0, deletes from k2, updates a signature
	 * of k3 and leaves the others */
	char *k2 = text(db, "SELECT id FROM person_keys WHERE key = 'k2' LIMIT 1");
	char *k3 = text(db, "SELECT id FROM person_keys WHERE key = 'k3' LIMIT 1");
	snprintf(line, sizeof line,
		 "INSERT INTO person_keys VALUES ('k0', 'ZZZ', 5);"
		 "DELETE FROM person_keys WHERE key = 'k2' AND id = '%s';"
		 "UPDATE person_keys SET sig = 12345 WHERE key = 'k3' AND id = '%s';",
		 k2, k3);
	int packed_before = number(db, "SELECT count(*) FROM derived_key_counts WHERE packed = 1");
	int k2big = number(db, "SELECT n >= 32 FROM derived_key_counts WHERE key = 'k2'");
	int k3big = number(db, "SELECT n >= 32 FROM derived_key_counts WHERE key = 'k3'");
	commit(db, line);
	char *unpacked =
	    text(db, "SELECT group_concat(key) FROM (SELECT key FROM derived_key_counts"
		     " WHERE packed <> 1 AND key IN ('k0', 'k2', 'k3') ORDER BY key)");
	is_str(unpacked, "k0,k2,k3",
	       "an insert, a delete and a signature updated each mark their key unpacked");
	free(unpacked);
	ok(number(db, "SELECT count(*) FROM derived_key_counts WHERE packed = 1") ==
	       packed_before - 1 - k2big - k3big,
	   "the keys the commit did not change stay packed");
	ok(keypack_check(db, bad, sizeof bad) == 0, "stale packs of an unpacked key are not read");
	packed = keypack_pending(db, &nk, &ne, NULL, NULL);
	ok(packed == SQLITE_OK && (int)nk == 1 + k2big + k3big,
	   "packing again packs those keys alone (%zu)", nk);
	compare_packs(db, &differ, &oversize);
	ok(!differ && keypack_check(db, bad, sizeof bad) == 0, "and they hold the index again");

	/* behind their back */
	drop_first_entry(db, "k0", 1);
	ok(keypack_check(db, bad, sizeof bad) == 1 && !strcmp(bad, "k0"),
	   "an entry taken out of a pack (a person hidden from checks): keypack_check names its "
	   "key");
	keypack_pending(db, NULL, NULL, NULL, NULL);
	sqlite3_exec(db, "UPDATE derived_key_counts SET packed = 0 WHERE key = 'k0'", NULL, NULL,
		     NULL);
	keypack_pending(db, NULL, NULL, NULL, NULL);
	ok(keypack_check(db, bad, sizeof bad) == 0, "packed again, exact");
	sqlite3_exec(db, "DELETE FROM person_keys WHERE key = 'k0' AND id = 'ZZZ'", NULL, NULL,
		     NULL);
	ok(keypack_check(db, bad, sizeof bad) == 1 && !strcmp(bad, "k0"),
	   "an index row deleted without its count: keypack_check names its key");
	sqlite3_exec(db,
		     "INSERT INTO person_keys VALUES ('k0', 'ZZZ', 5);"
		     "DELETE FROM derived_key_packs WHERE key = 'k0'",
		     NULL, NULL, NULL);
	ok(keypack_check(db, bad, sizeof bad) == 1 && !strcmp(bad, "k0"),
	   "a key marked packed with no packs: keypack_check names it");
	free(k2);
	free(k3);
	sqlite3_close(db);
}

/* A random id of 1 to 12 letters; now and then one that sorts before or
 * after every other. */
static void random_id(char *id)
{
	int r = rand() % 20;
	if (r == 0) {
		snprintf(id, 16, "%c", 'A' + rand() % 3);
		return;
	}
	int len = 1 + rand() % 12;
	for (int j = 0; j < len; j++)
		id[j] = (char)('A' + rand() % 26);
	id[len] = '\0';
	if (r == 1)
		id[0] = '~';
}

/*
 * Keys packed, then changed by commits (inserts, deletes, the first and the
 * last entries among them, signatures set and taken away) and packed again
 * from their packs and the ids that changed, forty rounds: each time the
 * packs are byte for byte what packing the index whole makes.
 */
static void merged_rounds(void)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	store_migrate(db, "(test)");
	srand(11);
	struct buf sql = {0};
	char line[256], id[16];
	const char *keys[] = {"m", "n", "s"};
	const int sizes[] = {1500, 40, 33};
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < sizes[k]; i++) {
			random_id(id);
			snprintf(line, sizeof line,
				 "INSERT OR IGNORE INTO person_keys VALUES ('%s', '%s', %d);",
				 keys[k], id, rand());
			buf_add(&sql, line, strlen(line));
		}
	buf_add(&sql, "", 1);
	commit(db, sql.p);
	keypack_pending(db, NULL, NULL, NULL, NULL);
	int exact = 0, listed = 0, cleaned = 0, marked = 0;
	for (int round = 0; round < 40; round++) {
		for (int c = 0; c < 2; c++) { /* two commits a round */
			sql.len = 0;
			for (int op = 0; op < 12; op++) {
				const char *key = keys[rand() % 3];
				int what = rand() % 6;
				char sig[16] = "NULL";
				if (rand() % 3)
					snprintf(sig, sizeof sig, "%d", rand() % 1000);
				random_id(id);
				if (what < 2)
					snprintf(line, sizeof line,
						 "INSERT OR IGNORE INTO person_keys VALUES "
						 "('%s', '%s', %s);",
						 key, id, what ? "NULL" : "7");
				else if (what == 2)
					snprintf(
					    line, sizeof line,
					    "DELETE FROM person_keys WHERE key = '%s' AND id = "
					    "(SELECT min(id) FROM person_keys WHERE key = '%s');",
					    key, key);
				else if (what == 3)
					snprintf(
					    line, sizeof line,
					    "DELETE FROM person_keys WHERE key = '%s' AND id = "
					    "(SELECT max(id) FROM person_keys WHERE key = '%s');",
					    key, key);
				else if (what == 4)
					snprintf(
					    line, sizeof line,
					    "DELETE FROM person_keys WHERE key = '%s' AND id = "
					    "(SELECT id FROM person_keys WHERE key = '%s' ORDER BY "
					    "id LIMIT 1 OFFSET %d %% max(1, (SELECT count(*) FROM "
					    "person_keys WHERE key = '%s')));",
					    key, key, rand(), key);
				else
					snprintf(
					    line, sizeof line,
					    "UPDATE person_keys SET sig = %s WHERE key = '%s' AND "
					    "id = (SELECT id FROM person_keys WHERE key = '%s' "
					    "ORDER BY id LIMIT 1 OFFSET %d %% max(1, (SELECT "
					    "count(*) FROM person_keys WHERE key = '%s')));",
					    sig, key, key, rand(), key);
				buf_add(&sql, line, strlen(line));
			}
			buf_add(&sql, "", 1);
			commit(db, sql.p);
		}
		marked += number(db, "SELECT count(*) FROM derived_key_counts WHERE key = 'm'"
				     " AND packed > 1") == 1;
		listed += number(db, "SELECT count(*) FROM derived_key_dirty WHERE key = 'm'") > 0;
		keypack_pending(db, NULL, NULL, NULL, NULL);
		cleaned +=
		    number(db, "SELECT count(*) FROM derived_key_dirty WHERE key IN"
			       " (SELECT key FROM derived_key_counts WHERE packed = 1)") == 0;
		char bad[64] = "";
		int differ, oversize;
		compare_packs(db, &differ, &oversize);
		exact += keypack_check(db, bad, sizeof bad) == 0 && !differ && !oversize &&
			 number(db, "SELECT count(*) FROM derived_key_counts WHERE n >= 32 AND "
				    "packed <> 1") == 0;
	}
	ok(marked == 40 && listed == 40,
	   "a packed key that a commit changes waits with its packs kept and the ids that changed "
	   "listed (%d, %d of 40)",
	   marked, listed);
	ok(exact == 40,
	   "packed again from its packs and those ids, it is what packing the index "
	   "makes, byte for byte (%d of 40 rounds)",
	   exact);
	ok(cleaned == 40, "a key packed again has no ids listed (%d of 40)", cleaned);

	/* the ids listed are counted, until they pass one in 32 of the key's
	 * entries: then it is packed from the index */
	commit(db, "INSERT INTO person_keys VALUES ('m', '~a', 1)");
	commit(db, "INSERT INTO person_keys VALUES ('m', '~b', 1), ('m', '~c', 1);"
		   "DELETE FROM person_keys WHERE key = 'm' AND id = '~a'");
	int counted = number(db, "SELECT packed FROM derived_key_counts WHERE key = 'm'");
	int m = number(db, "SELECT n FROM derived_key_counts WHERE key = 'm'");
	int listed_too = 0, whole = 0;
	for (int step = 0; step < 2; step++) { /* one in 64 of its entries more, then one in 16 */
		sql.len = 0;
		for (int i = 0; i < (step ? m / 16 : m / 64); i++) {
			snprintf(line, sizeof line,
				 "INSERT INTO person_keys VALUES ('m', '~d%d%04d', 1);", step, i);
			buf_add(&sql, line, strlen(line));
		}
		buf_add(&sql, "", 1);
		commit(db, sql.p);
		int p = number(db, "SELECT packed FROM derived_key_counts WHERE key = 'm'");
		if (step)
			whole = p;
		else
			listed_too = p;
	}
	keypack_pending(db, NULL, NULL, NULL, NULL);
	char bad1[64] = "";
	ok(counted == 1 + 4 && listed_too == counted + m / 64 && whole == 0 &&
	       keypack_check(db, bad1, sizeof bad1) == 0 &&
	       number(db, "SELECT count(*) FROM derived_key_dirty WHERE key = 'm'") == 0,
	   "a key's changed ids are counted (%d: four changes listed; %d with one in 64 of its %d "
	   "entries more) until they pass one in 32 of its entries (%d: packed from the index)",
	   counted, listed_too, m, whole);

	/* an id that sorts after every other writes the last chunk alone; one
	 * that sorts first, every chunk (each starts an entry later) */
	sqlite3_exec(db,
		     "CREATE TEMP TABLE writes(n INTEGER);"
		     "CREATE TEMP TRIGGER packs_in AFTER INSERT ON main.derived_key_packs"
		     " BEGIN INSERT INTO writes VALUES (1); END;"
		     "CREATE TEMP TRIGGER packs_up AFTER UPDATE ON main.derived_key_packs"
		     " BEGIN INSERT INTO writes VALUES (1); END;",
		     NULL, NULL, NULL);
	int chunks = number(db, "SELECT count(*) FROM derived_key_packs WHERE key = 'm'");
	commit(db, "INSERT INTO person_keys VALUES ('m', '~~~~~~~~', 3)");
	keypack_pending(db, NULL, NULL, NULL, NULL);
	int last = number(db, "SELECT count(*) FROM temp.writes");
	sqlite3_exec(db, "DELETE FROM temp.writes", NULL, NULL, NULL);
	commit(db, "INSERT INTO person_keys VALUES ('m', '', 3)");
	keypack_pending(db, NULL, NULL, NULL, NULL);
	int all = number(db, "SELECT count(*) FROM temp.writes");
	char bad0[64] = "";
	ok(chunks > 4 && last == 1 && all >= 1 && keypack_check(db, bad0, sizeof bad0) == 0,
	   "an id after every other rewrites the last of %d chunks (%d), one before every other "
	   "the first and those it pushes entries into (%d), and both are exact",
	   chunks, last, all);
	sqlite3_exec(
	    db, "DROP TRIGGER temp.packs_in; DROP TRIGGER temp.packs_up; DROP TABLE temp.writes",
	    NULL, NULL, NULL);

	/* a pack that lost an entry behind its back: the merge does not make
	 * the key's count, and the key is packed from the index */
	drop_first_entry(db, "m", 2);
	commit(db, "INSERT INTO person_keys VALUES ('m', 'ZZZZZZZ', 1)");
	keypack_pending(db, NULL, NULL, NULL, NULL);
	char bad[64] = "";
	ok(keypack_check(db, bad, sizeof bad) == 0,
	   "a pack short of an entry is not merged: the key is packed from the index");
	/* a signature changed in a pack behind its back is merged as it is,
	 * and verify names the key (as it does before any merge) */
	flip_first_sig(db, "m");
	commit(db, "INSERT INTO person_keys VALUES ('m', 'ZZZZZZZY', 1)");
	keypack_pending(db, NULL, NULL, NULL, NULL);
	int named = keypack_check(db, bad, sizeof bad);
	ok(named == 1 && !strcmp(bad, "m"),
	   "a signature altered in a pack: keypack_check names its key after a merge (%d, %s)",
	   named, bad);
	buf_free(&sql);
	sqlite3_close(db);
}

/* The ids of a check's hits, comma-separated. */
static char *hit_ids(jv chk)
{
	struct buf b = {0};
	jv hits = jv_object_get(jv_copy(chk), jv_string("hits"));
	jv_array_foreach (hits, i, h) {
		jv id = jv_object_get(h, jv_string("id"));
		if (jv_get_kind(id) == JV_KIND_STRING) {
			if (b.len)
				buf_add(&b, ",", 1);
			buf_add(&b, jv_string_value(id), strlen(jv_string_value(id)));
		}
		jv_free(id);
	}
	jv_free(hits);
	buf_add(&b, "", 1);
	return b.p;
}

static void load(struct refdb_ctx *c, int from, int to)
{
	for (int i = from; i <= to; i++) {
		char rec[128], reason[256];
		snprintf(rec, sizeof rec,
			 "{\"id\":\"P%02d\",\"name\":\"Ivan Kozlov\",\"dob\":\"%s\"}", i,
			 i ? "1950-01-01" : "1970-01-01");
		if (refdb_load(c, REFDB_PERSONS, jv_parse(rec), 0, reason, sizeof reason) != 0)
			fprintf(stderr, "# load P%02d: %s\n", i, reason);
	}
}

static void check_in_load(void)
{
	struct scratch x;
	struct store *s = scratch_open(&x, "keypack", 1);
	ok(s != NULL, "a scratch store");
	if (!s)
		return;
	struct refdb_ctx c = {.store = s, .owner = "FR", .ncb = "FR", .threshold = 0.8, .top = 100};
	load(&c, 1, 40);
	int64_t seq;
	ok(store_commit(s, &seq) == 0, "40 persons named Ivan Kozlov loaded");
	ok(keypack_store(s) == 0, "and their keys packed");
	sqlite3 *db = store_db(s);
	ok(number(db, "SELECT count(*) FROM derived_key_counts WHERE packed = 1 AND n = 40") >= 2,
	   "each key of the name names the 40, packed");
	ok(store_begin(s) == 0, "a transaction");
	load(&c, 0, 0); /* first in the index: the first a check would take */
	jv chk = refdb_check_person(&c, "Ivan Kozlov", "1970-01-01", NULL);
	char *ids = hit_ids(chk);
	ok(!strcmp(ids, "P00"),
	   "a check in the transaction that loaded a person finds it, though the packs of "
	   "every key of its name are older");
	free(ids);
	jv_free(chk);
	ok(store_commit(s, &seq) == 0 && keypack_store(s) == 0, "committed and packed again");
	store_begin(s);
	ok(number(db, "SELECT count(*) FROM derived_key_counts WHERE packed = 1 AND n = 41") >= 2,
	   "each key of the name names the 41, packed");
	chk = refdb_check_person(&c, "Ivan Kozlov", "1970-01-01", NULL);
	ids = hit_ids(chk);
	ok(!strcmp(ids, "P00"), "and by a check in the next, from the packs");
	free(ids);
	jv_free(chk);
	store_rollback(s);
	names_close(c.names);
	store_close(s);
	scratch_remove(&x);
}

int main(void)
{
	decode_vectors();
	random_index();
	merged_rounds();
	check_in_load();
	return tap_done();
}
