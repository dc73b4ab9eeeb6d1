/*
 * test-similarity.c: every row of jellyfish's expected-value tables
 * (tests/fixtures/names/jellyfish, see SOURCE.txt) against lib/similarity.c,
 * plus a few properties the tables do not cover.
 *
 * Deliberately not checked: the 4th column of wagner_fischer.csv, jellyfish's
 * internal edit-trace notation (not an algorithm output ccc offers); its distance
 * column is checked against levenshtein_distance.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/similarity.h"
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

static int check_size(size_t got, const char *want, int line, const char *file, const char *a,
		      const char *b)
{
	long w = strtol(want, NULL, 10);
	int good = ok((long)got == w, "%s:%d '%s' '%s' -> %ld", file, line, a, b, w);
	if (!good)
		printf("#   got %zu\n", got);
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

static int row_jaro(char **c, int n, int line, const char *f)
{
	return n >= 3 && check_float(jaro_similarity(c[0], c[1]), c[2], line, f, c[0], c[1]);
}

static int row_jw(char **c, int n, int line, const char *f)
{
	return n >= 3 &&
	       check_float(jaro_winkler_similarity(c[0], c[1]), c[2], line, f, c[0], c[1]);
}

static int row_jwlt(char **c, int n, int line, const char *f)
{
	return n >= 3 &&
	       check_float(jaro_winkler_similarity_longtol(c[0], c[1]), c[2], line, f, c[0], c[1]);
}

static int row_lev(char **c, int n, int line, const char *f)
{
	return n >= 3 && check_size(levenshtein_distance(c[0], c[1]), c[2], line, f, c[0], c[1]);
}

static int row_dl(char **c, int n, int line, const char *f)
{
	return n >= 3 &&
	       check_size(damerau_levenshtein_distance(c[0], c[1]), c[2], line, f, c[0], c[1]);
}

static int row_ham(char **c, int n, int line, const char *f)
{
	return n >= 3 && check_size(hamming_distance(c[0], c[1]), c[2], line, f, c[0], c[1]);
}

static int row_jaccard(char **c, int n, int line, const char *f)
{
	size_t ngram = n >= 4 && *c[3] ? (size_t)strtoul(c[3], NULL, 10) : 0;
	return n >= 3 &&
	       check_float(jaccard_similarity(c[0], c[1], ngram), c[2], line, f, c[0], c[1]);
}

static int row_soundex(char **c, int n, int line, const char *f)
{
	return check_code(soundex, c, n, line, f);
}

static int row_nysiis(char **c, int n, int line, const char *f)
{
	return check_code(nysiis, c, n, line, f);
}

static int row_metaphone(char **c, int n, int line, const char *f)
{
	return check_code(metaphone, c, n, line, f);
}

static int row_mra_codex(char **c, int n, int line, const char *f)
{
	return check_code(match_rating_codex, c, n, line, f);
}

static int row_mra_cmp(char **c, int n, int line, const char *f)
{
	if (n < 3)
		return ok(0, "%s:%d has 3 columns", f, line);
	int want = !strcmp(c[2], "True") ? 1 : !strcmp(c[2], "False") ? 0 : -1;
	int got = match_rating_comparison(c[0], c[1]);
	int good = ok(got == want, "%s:%d '%s' '%s' -> %s", f, line, c[0], c[1], c[2]);
	if (!good)
		printf("#   got %d\n", got);
	return good;
}

int main(void)
{
	static const struct {
		const char *file;
		row_fn fn;
		int rows; /* the row count the fixture must have */
	} tables[] = {
	    {"damerau_levenshtein.csv", row_dl, 9},
	    {"hamming.csv", row_ham, 8},
	    {"jaccard.csv", row_jaccard, 16},
	    {"jaro_distance.csv", row_jaro, 5},
	    {"jaro_winkler.csv", row_jw, 17},
	    {"jaro_winkler_longtol.csv", row_jwlt, 10},
	    {"levenshtein.csv", row_lev, 6},
	    {"match_rating_codex.csv", row_mra_codex, 12},
	    {"match_rating_comparison.csv", row_mra_cmp, 7},
	    {"metaphone.csv", row_metaphone, 33},
	    {"nysiis.csv", row_nysiis, 36},
	    {"soundex.csv", row_soundex, 11},
	    {"wagner_fischer.csv", row_lev, 6},
	};
	char buf[8];

	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		struct tally t = each_row(tables[i].file, tables[i].fn);
		is_int(t.rows, tables[i].rows, "%s has %d rows", tables[i].file, tables[i].rows);
	}

	/* code points, not bytes */
	is_int(levenshtein_distance("Müller", "Muller"), 1, "levenshtein counts ü as one edit");
	is_int(levenshtein_distance("محمد", "محمود"), 1, "levenshtein on Arabic script");
	ok(jaro_winkler_similarity("Иванов", "Иванова") > 0.95, "jaro-winkler on Cyrillic");
	is_int(damerau_levenshtein_distance("ca", "abc"), 2,
	       "unrestricted damerau: ca -> abc is 2");
	ok(jaro_similarity("abc", "abc") == 1.0, "jaro of equal strings is 1");
	ok(jaro_winkler_similarity("a", "b") == 0.0, "jaro-winkler of disjoint strings is 0");
	/* truncation keeps whole code points and reports the full length */
	is_int(match_rating_codex("Frédéric", buf, 4), 8, "codex length without room");
	is_str(buf, "FR", "codex truncated before a 2-byte code point");
	is_int(soundex("Robert", buf, sizeof buf), 4, "soundex length");
	is_str(buf, "R163", "soundex Robert");
	soundex("Rupert", buf, sizeof buf);
	is_str(buf, "R163", "soundex Rupert");
	return tap_done();
}
