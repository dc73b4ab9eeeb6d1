/*
 * pagemem.c: SQLite's page cache lines from one mapping in huge pages
 * (pagemem.h). The rest of SQLite's memory goes to the allocator it had.
 */
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include <sqlite3.h>

#include "ccc/pagemem.h"

static sqlite3_mem_methods base; /* SQLite's own, for all but lines */
static char *arena, *top;        /* the mapping, and its first line never given */
static void *free_lines;         /* lines given back, linked through their first bytes */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* A request served by a line: more than a page, no more than a line. */
static int line_sized(int n)
{
	return n > PAGEMEM_PAGE && n <= PAGEMEM_LINE;
}

int pagemem_owns(const void *p)
{
	const char *c = p;
	return arena && c >= arena && c < arena + PAGEMEM_BYTES;
}

size_t pagemem_lines_touched(void)
{
	return arena ? (size_t)(top - arena) / PAGEMEM_LINE : 0;
}

static void *line_take(void)
{
	void *p = NULL;
	pthread_mutex_lock(&lock);
	if (free_lines) {
		p = free_lines;
		memcpy(&free_lines, p, sizeof free_lines);
	} else if (top + PAGEMEM_LINE <= arena + PAGEMEM_BYTES) {
		p = top;
		top += PAGEMEM_LINE;
	}
	pthread_mutex_unlock(&lock);
	return p;
}

static void line_give(void *p)
{
	pthread_mutex_lock(&lock);
	memcpy(p, &free_lines, sizeof free_lines);
	free_lines = p;
	pthread_mutex_unlock(&lock);
}

static void *mem_malloc(int n)
{
	void *p = line_sized(n) ? line_take() : NULL;
	return p ? p : base.xMalloc(n);
}

static void mem_free(void *p)
{
	if (pagemem_owns(p))
		line_give(p);
	else
		base.xFree(p);
}

static int mem_size(void *p)
{
	return pagemem_owns(p) ? PAGEMEM_LINE : base.xSize(p);
}

static void *mem_realloc(void *p, int n)
{
	if (!pagemem_owns(p))
		return base.xRealloc(p, n);
	if (line_sized(n))
		return p;
	void *q = base.xMalloc(n);
	if (q) {
		memcpy(q, p, (size_t)(n < PAGEMEM_LINE ? n : PAGEMEM_LINE));
		line_give(p);
	}
	return q;
}

int pagemem_setup(void)
{
	if (arena)
		return 0;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &base) != SQLITE_OK)
		return -1;
	void *m = mmap(NULL, PAGEMEM_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	(void)madvise(m, PAGEMEM_BYTES, MADV_HUGEPAGE); /* none to give: 4 KiB pages */
	/* SQLite's own but for the four calls that know a line */
	static sqlite3_mem_methods mine;
	mine = base;
	mine.xMalloc = mem_malloc;
	mine.xFree = mem_free;
	mine.xRealloc = mem_realloc;
	mine.xSize = mem_size;
	arena = top = m;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK) {
		arena = top = NULL;
		munmap(m, PAGEMEM_BYTES);
		return -1;
	}
	return 0;
}
