/*
 * xmalloc.h: memory that does not fail. Out of memory, each prints
 * "PROG: out of memory" on stderr (warnx) and aborts: the one way lib/ and bin/
 * handle it (there is nothing sensible to roll back to in a program that
 * cannot allocate; the store's transaction is rolled back by SQLite when
 * the process dies).
 */
#ifndef CCC_XMALLOC_H
#define CCC_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Out of memory, for an allocator of another library (OpenSSL, jq, libxml2)
 * that returned NULL: prints the message and aborts. */
_Noreturn void xmalloc_failed(void);

#endif
