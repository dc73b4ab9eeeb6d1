/*
 * test-checkpointer.c: a writer's WAL is copied into the database file by a
 * thread of its own (store.c, checkpointer): none is started by a writer
 * that commits little; once a commit leaves 16 MiB of WAL the thread copies
 * it while the writer goes on; the WAL stays bounded over a long stream (it
 * starts again from its beginning); every row is there after, and the file
 * passes SQLite's integrity check. A store opened to read has no thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ccc/store.h"
#include "scratch.h"
#include "tap.h"

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* One transaction of n messages of about 10 KiB each, numbered from *next. */
static int batch(struct store *s, int n, long *next)
{
	static char body[10240];
	if (!body[0])
		for (size_t i = 0; i + 1 < sizeof body; i++)
			body[i] = (char)('a' + (i * 7 + i / 13) % 26);
	if (store_begin(s))
		return -1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(
		store_db(s),
		"INSERT INTO messages(n, id, dkey, record) VALUES (?1, 'msg-lyon-' || ?1,"
		" 'test' || char(31) || ?1, json_object('body', ?2 || ?1))",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	for (int i = 0; i < n; i++, (*next)++) {
		sqlite3_bind_int64(st, 1, *next);
		sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	int64_t seq;
	return store_commit(s, &seq) ? -1 : 0;
}

int main(void)
{
	struct scratch sx;
	char wal[140];
	struct store *s = scratch_open(&sx, "checkpointer", 0);
	snprintf(wal, sizeof wal, "%s-wal", sx.path);
	if (!ok(s != NULL, "a store opened to write"))
		return tap_done();

	long next = 1;
	ok(batch(s, 10, &next) == 0 && store_background_checkpoints(s) == 0,
	   "a commit of 100 KiB: no checkpoint by the thread (%ld)",
	   store_background_checkpoints(s));
	long long db0 = file_size(sx.path);

	/* some 20 MiB of messages (the journal doubles them) in commits of 1 MiB */
	int ok_batches = 1;
	while (next < 2000 && ok_batches)
		ok_batches = batch(s, 100, &next) == 0;
	ok(ok_batches, "2,000 messages of 10 KiB committed");
	long runs = 0;
	for (int i = 0; i < 200 && (runs = store_background_checkpoints(s)) < 1; i++)
		usleep(50 * 1000);
	long long db1 = file_size(sx.path);
	ok(runs >= 1 && db1 > db0 + (8LL << 20),
	   "the thread copied the WAL into the database while the store was open"
	   " (%ld checkpoints; the file grew from %lld to %lld bytes)",
	   runs, db0, db1);

	/* a long stream: 200 MiB more; the WAL starts again from its
	 * beginning, so it never holds much more than 64 MiB */
	long long wal_max = 0;
	while (next < 22000 && ok_batches) {
		ok_batches = batch(s, 100, &next) == 0;
		long long w = file_size(wal);
		if (w > wal_max)
			wal_max = w;
	}
	ok(ok_batches && wal_max > 0 && wal_max < (96LL << 20),
	   "22,000 messages, some 400 MiB of WAL written: the WAL was %lld bytes at most", wal_max);
	ok(store_background_checkpoints(s) > runs, "the thread went on copying (%ld checkpoints)",
	   store_background_checkpoints(s));
	store_close(s);

	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long rows = -1;
	char check[64] = "";
	if (sqlite3_open_v2(sx.path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM messages", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		rows = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(check, sizeof check, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	is_int((int)rows, (int)(next - 1), "every message is there after the close");
	is_str(check, "ok", "and the database passes the integrity check");

	struct store *r = NULL;
	ok(!store_open_opts(sx.path, STORE_READ, sx.key, NULL, &r) &&
	       store_background_checkpoints(r) == -1,
	   "a store opened to read has no checkpointer");
	store_close(r);

	scratch_remove(&sx);
	return tap_done();
}
