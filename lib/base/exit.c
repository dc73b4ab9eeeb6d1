/*
 * exit.c: what each exit status means, once, and the --help paragraph built
 * from it.
 */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ccc/exit.h"
#include "ccc/xmalloc.h"

static const struct {
	int status;
	const char *meaning;
} meanings[] = {
    {CCC_EX_OK, "success"},
    {CCC_EX_NEGATIVE, "a negative answer"},
    {CCC_EX_USAGE, "usage"},
    {CCC_EX_DATAERR, "some input was rejected"},
    {CCC_EX_NOINPUT, "no input, or no store"},
    {CCC_EX_UNAVAILABLE, "a service is unavailable"},
    {CCC_EX_SOFTWARE, "internal error"},
    {CCC_EX_CANTCREAT, "cannot create"},
    {CCC_EX_IOERR, "I/O error, including a write error on stdout"},
    {CCC_EX_TEMPFAIL, "the store was busy past its timeout, or this site is fenced"},
    {CCC_EX_NOPERM, "permission: the key file is readable by others"},
    {CCC_EX_CONFIG, "configuration"},
    {CCC_EX_SIGINT, "stopped by SIGINT after committing the batch in hand"},
    {CCC_EX_SIGTERM, "stopped by SIGTERM after committing the batch in hand"},
};

int ccc_exit_sqlite(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return CCC_EX_TEMPFAIL;
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN: return CCC_EX_CANTCREAT;
	case SQLITE_PERM:
	case SQLITE_AUTH: return CCC_EX_NOPERM;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: return CCC_EX_IOERR;
	default: return CCC_EX_SOFTWARE;
	}
}

const char *ccc_exit_meaning(int status)
{
	for (size_t i = 0; i < sizeof meanings / sizeof *meanings; i++)
		if (meanings[i].status == status)
			return meanings[i].meaning;
	return NULL;
}

/* Write text to f wrapped at width columns, each line after the first
 * starting with indent spaces; col is the column f's last line is at. */
static void put_wrapped(FILE *f, const char *text, size_t col, size_t indent, size_t width)
{
	const char *p = text;
	while (*p) {
		size_t word = strcspn(p, " ");
		if (col > indent && col + 1 + word > width) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, word, f);
		col += word;
		p += word;
		p += strspn(p, " ");
	}
}

char *ccc_exit_paragraph(const struct ccc_exit_use *list, int width)
{
	enum { INDENT = 7 }; /* "  143  " */
	char *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);
	if (f) {
		fputs("Exit status:\n", f);
		for (; list->status >= 0; list++) {
			const char *m =
			    list->meaning ? list->meaning : ccc_exit_meaning(list->status);
			int n = fprintf(f, "  %-3d  ", list->status);
			put_wrapped(f, m ? m : "", (size_t)n, INDENT,
				    width > INDENT + 20 ? (size_t)width : 79);
			fputc('\n', f);
		}
	}
	if (!f || fclose(f) != 0 || !p)
		xmalloc_failed();
	return p;
}

char *ccc_exit_help_filter(int key, const char *text, void *input)
{
	const struct ccc_exit_use *list = input;
	if (key != ARGP_KEY_HELP_POST_DOC || !list)
		return (char *)text;
	char *para = ccc_exit_paragraph(list, 78);
	const char *ex = NULL;
	if (text)
		for (const char *p = strstr(text, "EXAMPLES\n"); p && !ex;
		     p = strstr(p + 1, "EXAMPLES\n"))
			if (p == text || p[-1] == '\n')
				ex = p;
	char *out;
	if (!text)
		out = para, para = NULL;
	else if (ex && asprintf(&out, "%.*s%s\n%s", (int)(ex - text), text, para, ex) >= 0)
		;
	else if (!ex && asprintf(&out, "%s%s%s", text, *text ? "\n\n" : "", para) >= 0)
		;
	else
		out = NULL;
	free(para);
	return out ? out : (char *)text;
}
