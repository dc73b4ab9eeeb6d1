/* xmalloc.c: allocation that aborts with a message when memory runs out. */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/xmalloc.h"

_Noreturn void xmalloc_failed(void)
{
	/* stderr may itself allocate (out_guard_stderr): should that fail too,
	 * the second call aborts without a message instead of recursing */
	static volatile sig_atomic_t failing;
	if (!failing++)
		warnx("out of memory");
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		xmalloc_failed();
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		xmalloc_failed();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		xmalloc_failed();
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		xmalloc_failed();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		xmalloc_failed();
	return p;
}
