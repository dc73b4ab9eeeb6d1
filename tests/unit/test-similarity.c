/*
 * test-similarity.c: every row of jellyfish's expected-value tables for
 * Jaro-Winkler and Metaphone (tests/fixtures/names/jellyfish, see SOURCE.txt)
 * against lib/check/similarity.c, plus a few properties the tables do not cover.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/similarity.h"
#include "ccc/utf8.h"
#include "tap.h"

#define FIXTURES  "tests/fixtures/names/jellyfish/"
#define MAXCOL    4
#define TOLERANCE 1e-3

/* Split one CSV record (RFC 4180 quoting) into at most MAXCOL fields, in place. */
static int csv_split(char *line, char *col[MAXCOL])
{
	int n = 0;
	char *r = line, *w = line;

	for (;;) {
		if (n == MAXCOL)
			return n;
		col[n++] = w;
		if (*r == '"') {
			r++;
			for (;;) {
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"' || !*r) {
					if (*r)
						r++;
					break;
				} else {
					*w++ = *r++;
				}
			}
		}
		while (*r && *r != ',')
			*w++ = *r++;
		if (!*r) {
			*w = '\0';
			return n;
		}
		*w++ = '\0';
		r++;
	}
}

struct tally {
	int rows, passed;
};

typedef int (*row_fn)(char **col, int ncol, int line, const char *file);

/* Run fn over every row of a fixture; returns the pass tally. */
static struct tally each_row(const char *name, row_fn fn)
{
	char path[256], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	struct tally t = {0, 0};
	int lineno = 0;

	snprintf(path, sizeof path, FIXTURES "%s", name);
	FILE *f = fopen(path, "r");
	if (!ok(f != NULL, "open %s", path))
		return t;
	while ((len = getline(&line, &cap, f)) > 0) {
		char *col[MAXCOL];
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		int ncol = csv_split(line, col);
		t.rows++;
		t.passed += fn(col, ncol, lineno, name);
	}
	free(line);
	fclose(f);
	printf("# %s: %d of %d rows pass\n", name, t.passed, t.rows);
	return t;
}

static int check_float(double got, const char *want, int line, const char *file, const char *a,
		       const char *b)
{
	double w = strtod(want, NULL);
	int good = ok(fabs(got - w) < TOLERANCE, "%s:%d '%s' '%s' -> %s", file, line, a, b, want);
	if (!good)
		printf("#   got %.6f\n", got);
	return good;
}

static int check_code(size_t (*fn)(const char *, char *, size_t), char **col, int ncol, int line,
		      const char *file)
{
	char out[128];
	const char *want = ncol > 1 ? col[1] : "";
	size_t n = fn(col[0], out, sizeof out);
	int good = ok(strcmp(out, want) == 0 && n == strlen(want), "%s:%d '%s' -> '%s'", file, line,
		      col[0], want);
	if (!good)
		printf("#   got '%s' (%zu)\n", out, n);
	return good;
}

/* Jaro-Winkler of two UTF-8 strings, by code point (valid UTF-8 only). */
static double jw(const char *a, const char *b, int long_tolerance)
{
	uint32_t ua[256], ub[256];
	size_t na = 0, nb = 0;
	for (const char *p = a; *p && na < 256;)
		ua[na++] = utf8_next(&p);
	for (const char *p = b; *p && nb < 256;)
		ub[nb++] = utf8_next(&p);
	return jaro_winkler_u32(ua, na, ub, nb, long_tolerance);
}

static int row_jw(char **c, int n, int line, const char *f)
{
	return n >= 3 && check_float(jw(c[0], c[1], 0), c[2], line, f, c[0], c[1]);
}

static int row_jwlt(char **c, int n, int line, const char *f)
{
	return n >= 3 && check_float(jw(c[0], c[1], 1), c[2], line, f, c[0], c[1]);
}

static int row_metaphone(char **c, int n, int line, const char *f)
{
	return check_code(metaphone, c, n, line, f);
}

int main(void)
{
	static const struct {
		const char *file;
		row_fn fn;
		int rows; /* the row count the fixture must have */
	} tables[] = {
	    {"jaro_winkler.csv", row_jw, 17},
	    {"jaro_winkler_longtol.csv", row_jwlt, 10},
	    {"metaphone.csv", row_metaphone, 33},
	};
	char buf[8];

	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		struct tally t = each_row(tables[i].file, tables[i].fn);
		is_int(t.rows, tables[i].rows, "%s has %d rows", tables[i].file, tables[i].rows);
	}

	/* code points, not bytes */
	ok(jw("Иванов", "Иванова", 0) > 0.95, "jaro-winkler on Cyrillic");
	ok(jw("محمد", "محمود", 0) > 0.9, "jaro-winkler on Arabic script");
	ok(jw("abc", "abc", 0) == 1.0, "jaro-winkler of equal strings is 1");
	ok(jw("a", "b", 0) == 0.0, "jaro-winkler of disjoint strings is 0");
	ok(jw("", "abc", 0) == 0.0, "jaro-winkler with an empty string is 0");
	/* truncation keeps whole code points and reports the full length */
	is_int(metaphone("Thompson", buf, sizeof buf), 5, "metaphone length");
	is_str(buf, "0MPSN", "metaphone Thompson (TH is theta)");
	is_int(metaphone("Thompson", buf, 3), 5, "metaphone length without room");
	is_str(buf, "0M", "metaphone truncated");
	return tap_done();
}
