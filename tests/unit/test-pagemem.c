/*
 * test-pagemem.c: SQLite's page cache lines from the huge-page mapping
 * (pagemem.h): a line-sized allocation comes from the mapping and is reused
 * once freed, every other size from malloc; sqlite3_msize and
 * sqlite3_realloc keep what the memory held, into and out of a line; and a
 * database of 16 KiB pages, larger than its cache, reads back what it wrote
 * with its cache in the mapping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ccc/pagemem.h"
#include "tap.h"

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed);
}

static int same(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 7 + seed))
			return 0;
	return 1;
}

static void allocations(void)
{
	unsigned char *a = sqlite3_malloc(PAGEMEM_PAGE + 300),
		      *b = sqlite3_malloc(PAGEMEM_PAGE + 300);
	ok(a && pagemem_owns(a) && b && pagemem_owns(b) && a != b,
	   "a page and its header: two lines of the mapping");
	ok(sqlite3_msize(a) >= PAGEMEM_PAGE + 300, "its size covers the request (%d)",
	   (int)sqlite3_msize(a));
	fill(a, PAGEMEM_PAGE + 300, 1);
	fill(b, PAGEMEM_PAGE + 300, 2);
	ok(same(a, PAGEMEM_PAGE + 300, 1) && same(b, PAGEMEM_PAGE + 300, 2),
	   "two lines do not overlap");
	size_t touched = pagemem_lines_touched();
	sqlite3_free(a);
	unsigned char *c = sqlite3_malloc(PAGEMEM_PAGE + 100);
	ok(c == a, "a freed line is given again");
	is_int(pagemem_lines_touched(), touched, "and no new line is touched for it");

	unsigned char *small = sqlite3_malloc(100), *page = sqlite3_malloc(PAGEMEM_PAGE),
		      *big = sqlite3_malloc(PAGEMEM_LINE + 1);
	ok(small && !pagemem_owns(small), "100 bytes: malloc's");
	ok(page && !pagemem_owns(page), "a bare page (the pager's own buffers): malloc's");
	ok(big && !pagemem_owns(big), "more than a line: malloc's");
	sqlite3_free(small);
	sqlite3_free(page);
	sqlite3_free(big);

	fill(c, PAGEMEM_PAGE + 100, 3);
	unsigned char *d = sqlite3_realloc(c, PAGEMEM_PAGE + 900);
	ok(d == c, "grown within its line: stays");
	unsigned char *e = sqlite3_realloc(d, 2 * PAGEMEM_LINE);
	ok(e && !pagemem_owns(e) && same(e, PAGEMEM_PAGE + 100, 3),
	   "grown beyond its line: moved to malloc, its bytes kept");
	unsigned char *f = sqlite3_malloc(PAGEMEM_PAGE + 100);
	ok(f == c, "the line it left is given again");
	fill(f, 64, 4);
	unsigned char *g = sqlite3_realloc(f, 64);
	ok(g && !pagemem_owns(g) && same(g, 64, 4),
	   "shrunk below a page: malloc's, its bytes kept");
	unsigned char *h = sqlite3_realloc(g, PAGEMEM_PAGE + 10);
	ok(h && !pagemem_owns(h) && same(h, 64, 4),
	   "grown from malloc's: stays malloc's, bytes kept");
	sqlite3_free(e);
	sqlite3_free(h);
	sqlite3_free(b);
}

static void database(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *err = NULL;
	size_t before = pagemem_lines_touched();
	int rc = sqlite3_open(":memory:", &db);
	rc = rc ? rc
		: sqlite3_exec(db,
			       "PRAGMA page_size=16384; PRAGMA cache_size=-1024;"
			       "CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;"
			       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
			       " WHERE i < 20000) INSERT INTO t SELECT printf('k%06d', i),"
			       " printf('%.*c', 200, 'x') || i FROM n;",
			       NULL, NULL, &err);
	is_int(rc, SQLITE_OK, "a database of 16 KiB pages: written (%s)", err ? err : "");
	sqlite3_free(err);
	ok(pagemem_lines_touched() > before, "its cache in the mapping (%zu lines)",
	   pagemem_lines_touched() - before);
	rc =
	    sqlite3_prepare_v2(db, "SELECT count(*), sum(length(v)), max(k) FROM t", -1, &st, NULL);
	ok(rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	       sqlite3_column_int(st, 0) == 20000 &&
	       sqlite3_column_int64(st, 1) == 20000LL * 200 + 88894 &&
	       !strcmp((const char *)sqlite3_column_text(st, 2), "k020000"),
	   "read back whole");
	sqlite3_finalize(st);
	rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
	ok(rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	       !strcmp((const char *)sqlite3_column_text(st, 0), "ok"),
	   "and intact");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int main(void)
{
	is_int(pagemem_setup(), 0, "installed before SQLite's first use");
	is_int(pagemem_setup(), 0, "twice: still installed");
	allocations();
	database();
	return tap_done();
}
