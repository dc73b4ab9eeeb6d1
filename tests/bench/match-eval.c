/*
 * match-eval.c: recall and precision of person_name_score on published name pairs.
 *
 *   match-eval [-t THRESHOLD] [-v] [-Q] DATA_DIR
 *
 * DATA_DIR holds name-variants/ (watchman_cross_script_pairs.csv,
 * nomenklatura_putin_names.txt, netransliteration/wd_{arabic,russian}_20.tsv),
 * un-sc-consolidated/derived_individual_name_pairs.tsv and ofac-sdn/{sdn,alt}.csv;
 * a missing file skips its data set. Positives are the true pairs; negatives pair
 * each query with the variant of another, randomly chosen identity (fixed seed), as
 * many negatives as positives. For each data set the table gives recall and
 * precision at THRESHOLD (default PERSON_MATCH_THRESHOLD), and the best recall
 * reachable with precision >= 0.95 and the threshold that gives it.
 *
 * OFAC: every alias of an individual (alt.csv) is queried against all individuals'
 * primary names (sdn.csv) through the blocking keys, as ccc-check would: the
 * candidates are the entries sharing a key; "top 3" is the share of aliases whose own
 * entry ranks in the first three. -v prints every miss, except those of the held-out
 * pairs (pairs-heldout.tsv, UN held out): they are only ever counted, never looked
 * at one by one, so that nothing is tuned on them. -Q prints those alias
 * queries as NDJSON for ccc-check instead (tests/bench/match.sh runs them).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccc/names.h"
#include "ccc/personmatch.h"

struct pairset {
	char **a, **b;
	long *ida, *idb; /* identities: a negative pairs different ones */
	size_t n, cap;
};

static struct name_normalizer *nn;
static double threshold = PERSON_MATCH_THRESHOLD;
static int verbose;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("match-eval");
		exit(70);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d) {
		perror("match-eval");
		exit(70);
	}
	return d;
}

static void add_pair(struct pairset *s, const char *a, const char *b, long ida, long idb)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->a = xrealloc(s->a, s->cap * sizeof *s->a);
		s->b = xrealloc(s->b, s->cap * sizeof *s->b);
		s->ida = xrealloc(s->ida, s->cap * sizeof *s->ida);
		s->idb = xrealloc(s->idb, s->cap * sizeof *s->idb);
	}
	s->a[s->n] = xstrdup(a);
	s->b[s->n] = xstrdup(b);
	s->ida[s->n] = ida;
	s->idb[s->n] = idb;
	s->n++;
}

static void free_pairs(struct pairset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->a[i]);
		free(s->b[i]);
	}
	free(s->a);
	free(s->b);
	free(s->ida);
	free(s->idb);
	memset(s, 0, sizeof *s);
}

/* The best score over the readings of either name, as ccc-check scores them. */
static double score(const char *a, const char *b)
{
	return person_name_score_readings(nn, a, strlen(a), b, strlen(b));
}

static int cmp_double_desc(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? 1 : a > b ? -1 : 0;
}

static int tables; /* -T: a precision-recall table under each row */

/* Print one row: recall and precision at the threshold, the best recall with
 * precision >= 0.95 and the threshold that gives it; with -T, the table of
 * thresholds. */
static void report(const char *name, const double *pos, size_t n, const double *neg, size_t nneg,
		   double secs)
{
	size_t tp = 0, fp = 0;
	for (size_t i = 0; i < n; i++)
		tp += pos[i] >= threshold;
	for (size_t i = 0; i < nneg; i++)
		fp += neg[i] >= threshold;
	/* best recall with precision >= 0.95: sweep thresholds over the scores seen */
	double *all = xrealloc(NULL, (n + nneg + 1) * sizeof *all);
	memcpy(all, pos, n * sizeof *all);
	memcpy(all + n, neg, nneg * sizeof *all);
	qsort(all, n + nneg, sizeof *all, cmp_double_desc);
	double best_r = 0, best_t = 1;
	for (size_t k = 0; k < n + nneg; k++) {
		double t = all[k];
		if (k + 1 < n + nneg && all[k + 1] == t)
			continue;
		size_t p = 0, f = 0;
		for (size_t i = 0; i < n; i++)
			p += pos[i] >= t;
		for (size_t i = 0; i < nneg; i++)
			f += neg[i] >= t;
		if (p + f && (double)p / (double)(p + f) >= 0.95 &&
		    (double)p / (double)n > best_r) {
			best_r = (double)p / (double)n;
			best_t = t;
		}
	}
	free(all);
	printf("%-34s %6zu %6zu   %.3f  %.3f      %.3f  (t=%.3f)  %6.1f\n", name, n, nneg,
	       n ? (double)tp / (double)n : 0, tp + fp ? (double)tp / (double)(tp + fp) : 1.0,
	       best_r, best_t, n + nneg ? 1e6 * secs / (double)(n + nneg) : 0);
	if (!tables)
		return;
	printf("    threshold");
	for (int k = 0; k <= 10; k++)
		printf(" %5.2f", 0.50 + 0.05 * k);
	printf("\n    recall   ");
	for (int k = 0; k <= 10; k++) {
		size_t p = 0;
		for (size_t i = 0; i < n; i++)
			p += pos[i] >= 0.50 + 0.05 * k - 1e-9;
		printf(" %5.3f", n ? (double)p / (double)n : 0);
	}
	printf("\n    precision");
	for (int k = 0; k <= 10; k++) {
		size_t p = 0, f = 0;
		for (size_t i = 0; i < n; i++)
			p += pos[i] >= 0.50 + 0.05 * k - 1e-9;
		for (size_t i = 0; i < nneg; i++)
			f += neg[i] >= 0.50 + 0.05 * k - 1e-9;
		printf(" %5.3f", p + f ? (double)p / (double)(p + f) : 1.0);
	}
	printf("\n");
}

/* Score positives and negatives (each query against another identity's name),
 * print one table row. */
static void evaluate_corrected(const char *name, struct pairset *s, const unsigned char *wrong);

static void evaluate(const char *name, struct pairset *s)
{
	evaluate_corrected(name, s, NULL);
}

/* As evaluate; with wrong (wrong[i] set for the positives that a note beside the
 * fixture says are two different names), a second row with those pairs counted
 * as the negatives they are, from the same scores and the same negatives. */
static void evaluate_corrected(const char *name, struct pairset *s, const unsigned char *wrong)
{
	size_t n = s->n, nneg = 0;
	double *pos = xrealloc(NULL, (n + 1) * sizeof *pos);
	double *neg = xrealloc(NULL, (2 * n + 1) * sizeof *neg);
	clock_t t0 = clock();

	if (!n) {
		printf("%-34s (no data)\n", name);
		free(pos);
		free(neg);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		pos[i] = score(s->a[i], s->b[i]);
		if (pos[i] < threshold && verbose)
			printf("#  miss %.3f  %s  |  %s\n", pos[i], s->a[i], s->b[i]);
		/* a negative: the same query against another identity's variant */
		for (int tries = 0; tries < 50; tries++) {
			size_t j = (size_t)(next_rand() % n);
			if (s->idb[j] == s->ida[i] || !strcmp(s->b[j], s->b[i]))
				continue;
			neg[nneg] = score(s->a[i], s->b[j]);
			if (neg[nneg] >= threshold && verbose)
				printf("#  false %.3f  %s  |  %s\n", neg[nneg], s->a[i], s->b[j]);
			nneg++;
			break;
		}
	}
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	report(name, pos, n, neg, nneg, secs);
	size_t nwrong = 0;
	for (size_t i = 0; wrong && i < n; i++)
		nwrong += wrong[i];
	if (nwrong) {
		char label[96];
		size_t np = 0;
		for (size_t i = 0; i < n; i++)
			if (wrong[i])
				neg[nneg++] = pos[i];
			else
				pos[np++] = pos[i];
		snprintf(label, sizeof label, "  labels corrected (%zu pairs)", nwrong);
		report(label, pos, np, neg, nneg, secs);
	}
	free(pos);
	free(neg);
}

/* The labelled pairs of tests/bench/match-pairs.c (LABEL SOURCE QUERY NAME), whose
 * SOURCE begins with prefix (all when prefix is ""). */
static void evaluate_labelled(const char *name, const char *path, const char *prefix, int heldout)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	size_t n = 0, nneg = 0, cap = 0;
	double *pos = NULL, *neg = NULL;
	if (!f) {
		printf("%-34s (no data: %s)\n", name, path);
		return;
	}
	clock_t t0 = clock();
	while (fgets(line, sizeof line, f)) {
		char *col[4];
		int k = 0;
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		for (char *p = line; k < 4;) {
			col[k++] = p;
			if (!(p = strchr(p, '\t')))
				break;
			*p++ = '\0';
		}
		if (k < 4 || strncmp(col[1], prefix, strlen(prefix)))
			continue;
		if (n == cap || nneg == cap) {
			cap = cap ? cap * 2 : 1024;
			pos = xrealloc(pos, cap * sizeof *pos);
			neg = xrealloc(neg, cap * sizeof *neg);
		}
		double sc = score(col[2], col[3]);
		if (col[0][0] == '1') {
			pos[n++] = sc;
			if (verbose && !heldout && sc < threshold)
				printf("#  miss %.3f  %s  |  %s\n", sc, col[2], col[3]);
		} else {
			neg[nneg++] = sc;
			if (verbose && !heldout && sc >= threshold)
				printf("#  false %.3f  %s  |  %s\n", sc, col[2], col[3]);
		}
	}
	fclose(f);
	report(name, pos, n, neg, nneg, (double)(clock() - t0) / CLOCKS_PER_SEC);
	free(pos);
	free(neg);
}

static FILE *open_data(const char *dir, const char *rel)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "match-eval: cannot open '%s'; skipped\n", path);
	return f;
}

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static void load_watchman(const char *dir, const char *rel, struct pairset *s)
{
	FILE *f = open_data(dir, rel);
	char line[1024];
	long id = 0;
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		chomp(line);
		if (line[0] == '#' || !line[0])
			continue;
		char *q = strtok(line, ","), *e = strtok(NULL, ",");
		if (q && e) {
			add_pair(s, q, e, id, id);
			id++;
		}
	}
	fclose(f);
}

/* latin <TAB> space-separated script letters <TAB> count */
static void load_netrans(const char *dir, const char *rel, struct pairset *s)
{
	FILE *f = open_data(dir, rel);
	char line[1024], word[1024];
	long id = 0;
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		chomp(line);
		char *latin = strtok(line, "\t"), *script = strtok(NULL, "\t");
		if (!latin || !script)
			continue;
		size_t o = 0;
		for (char *p = script; *p && o + 1 < sizeof word; p++)
			if (*p != ' ')
				word[o++] = *p;
		word[o] = '\0';
		/* the script side is the query, as an operator types it */
		add_pair(s, word, latin, id, id);
		id++;
	}
	fclose(f);
}

/*
 * The pairs of a transliteration fixture that are two different names (a
 * misaligned Wikidata label: جورج "taseer"), from the note beside it: LATIN TAB
 * SCRIPT (as in the fixture) TAB REASON, # comments. Returns wrong[s->n] with
 * wrong[i] set for those pairs (NULL when there is no note); the fixture itself
 * is frozen and stays as it is.
 */
static unsigned char *load_mislabelled(const char *dir, const char *rel, const struct pairset *s)
{
	char path[4096], line[1024], word[1024];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	unsigned char *wrong = xrealloc(NULL, s->n + 1);
	memset(wrong, 0, s->n + 1);
	while (fgets(line, sizeof line, f)) {
		chomp(line);
		if (line[0] == '#' || !line[0])
			continue;
		char *latin = strtok(line, "\t"), *script = strtok(NULL, "\t");
		if (!latin || !script)
			continue;
		size_t o = 0, found = 0;
		for (char *p = script; *p && o + 1 < sizeof word; p++)
			if (*p != ' ')
				word[o++] = *p;
		word[o] = '\0';
		for (size_t i = 0; i < s->n; i++)
			if (!strcmp(s->a[i], word) && !strcmp(s->b[i], latin))
				wrong[i] = 1, found++;
		if (!found)
			fprintf(stderr, "match-eval: %s: no pair '%s' '%s' in the fixture\n", path,
				latin, script);
	}
	fclose(f);
	return wrong;
}

static void load_putin(const char *dir, struct pairset *s, const struct pairset *others)
{
	FILE *f = open_data(dir, "name-variants/nomenklatura_putin_names.txt");
	char line[1024];
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		chomp(line);
		if (line[0])
			add_pair(s, line, "Vladimir Vladimirovich Putin", 1, 1);
	}
	fclose(f);
	/* negatives come from other people: UN primary names join as identity 0 pairs
	 * that are never scored as positives (see evaluate: only idb differs) */
	(void)others;
}

/* dataid relation primary variant dob nationality */
static void load_un(const char *dir, const char *relation, struct pairset *s)
{
	FILE *f = open_data(dir, "un-sc-consolidated/derived_individual_name_pairs.tsv");
	char line[4096];
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		chomp(line);
		char *col[7];
		int k = 0;
		for (char *p = line; k < 7;) {
			col[k++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (k < 5 || strcmp(col[2], relation))
			continue;
		long id = strtol(col[0], NULL, 10);
		add_pair(s, col[4], col[3], id, id);
	}
	fclose(f);
}

/* Split an OFAC CSV line ("quoted", -0- empty) into fields; returns the count. */
static int ofac_fields(char *line, char **col, int max)
{
	int n = 0;
	char *p = line;
	while (*p && n < max) {
		while (*p == ' ')
			p++;
		if (*p == '"') {
			col[n++] = ++p;
			while (*p && *p != '"')
				p++;
			if (*p)
				*p++ = '\0';
			while (*p && *p != ',')
				p++;
		} else {
			col[n++] = p;
			while (*p && *p != ',')
				p++;
		}
		if (*p == ',')
			*p++ = '\0';
	}
	return n;
}

struct entry {
	long id;
	char *name;
	struct name_tokens tok;
	char keys[32][PERSON_KEY_MAX];
	size_t nkeys;
};

static int cmp_key(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The individuals of sdn.csv, their ids and primary names (ne of them), or NULL. */
static struct entry *ofac_individuals(const char *dir, size_t *ne)
{
	FILE *f = open_data(dir, "ofac-sdn/sdn.csv");
	char line[8192];
	struct entry *e = NULL;
	size_t cap = 0;
	*ne = 0;
	if (!f)
		return NULL;
	while (fgets(line, sizeof line, f)) {
		char *col[4];
		chomp(line);
		if (ofac_fields(line, col, 4) < 3 || strcmp(col[2], "individual"))
			continue;
		if (*ne == cap) {
			cap = cap ? cap * 2 : 1024;
			e = xrealloc(e, cap * sizeof *e);
		}
		e[*ne].id = strtol(col[0], NULL, 10);
		e[(*ne)++].name = xstrdup(col[1]);
	}
	fclose(f);
	return e;
}

/* The next alias in alt.csv (f) of one of the individuals e[0..ne): its entry's
 * index, the alias in *alias (within line[linesz]); ne at the end of the file. */
static size_t next_alias(FILE *f, char *line, int linesz, const struct entry *e, size_t ne,
			 const char **alias)
{
	while (fgets(line, linesz, f)) {
		char *col[5];
		chomp(line);
		if (ofac_fields(line, col, 5) < 4)
			continue;
		long id = strtol(col[0], NULL, 10);
		for (size_t i = 0; i < ne; i++)
			if (e[i].id == id) {
				*alias = col[3];
				return i;
			}
		/* not an individual */
	}
	return ne;
}

/* OFAC: aliases against all primary names, top 3 through the blocking keys. */
static void eval_ofac(const char *dir, struct pairset *s)
{
	size_t ne = 0;
	struct entry *e = ofac_individuals(dir, &ne);
	char line[8192];
	FILE *f;
	if (!e)
		return;
	for (size_t i = 0; i < ne; i++) {
		names_normalize(nn, e[i].name, strlen(e[i].name), &e[i].tok);
		e[i].nkeys = person_blocking_keys(&e[i].tok, e[i].keys, 32);
	}
	/* the index: (key, entry) sorted by key */
	size_t nidx = 0;
	for (size_t i = 0; i < ne; i++)
		nidx += e[i].nkeys;
	char **idx = xrealloc(NULL, (nidx + 1) * sizeof *idx);
	nidx = 0;
	for (size_t i = 0; i < ne; i++)
		for (size_t k = 0; k < e[i].nkeys; k++)
			idx[nidx++] = e[i].keys[k];
	qsort(idx, nidx, sizeof *idx, cmp_key);

	f = open_data(dir, "ofac-sdn/alt.csv");
	if (!f)
		goto out;
	size_t queries = 0, top1 = 0, top3 = 0, blocked = 0, cands = 0;
	double *best = xrealloc(NULL, ne * sizeof *best);
	unsigned char *seen = xrealloc(NULL, ne);
	clock_t t0 = clock();
	const char *alias;
	for (size_t own; (own = next_alias(f, line, sizeof line, e, ne, &alias)) < ne;) {
		long id = e[own].id;
		add_pair(s, alias, e[own].name, id, id);
		struct name_tokens q;
		char qk[32][PERSON_KEY_MAX];
		names_normalize(nn, alias, strlen(alias), &q);
		size_t nq = person_blocking_keys(&q, qk, 32);
		memset(seen, 0, ne);
		/* candidates: entries sharing a key (binary search on the sorted index) */
		for (size_t k = 0; k < nq; k++) {
			size_t lo = 0, hi = nidx;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (strcmp(idx[mid], qk[k]) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < nidx && !strcmp(idx[lo], qk[k]); lo++) {
				/* recover the entry from the key's address */
				size_t i =
				    (size_t)((const char *)idx[lo] - (const char *)e) / sizeof *e;
				seen[i] = 1;
			}
		}
		size_t rank = 0, nc = 0;
		double own_score = -1;
		if (seen[own])
			own_score = person_name_score(&q, &e[own].tok);
		for (size_t i = 0; i < ne; i++) {
			if (!seen[i])
				continue;
			nc++;
			if (i == own)
				continue;
			double sc = person_name_score(&q, &e[i].tok);
			if (own_score >= 0 && sc > own_score)
				rank++;
		}
		queries++;
		cands += nc;
		if (seen[own]) {
			blocked++;
			top1 += rank == 0;
			top3 += rank < 3;
		}
		if (verbose && (!seen[own] || rank >= 3))
			printf("#  ofac miss (rank %zu%s) %s | %s\n", rank,
			       seen[own] ? "" : ", not a candidate", alias, e[own].name);
	}
	fclose(f);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	printf("OFAC aliases vs %zu individuals: %zu queries; own entry a candidate %.3f; "
	       "top 1 %.3f; top 3 %.3f; %.0f candidates/query; %.0f us/query\n",
	       ne, queries, (double)blocked / (double)queries, (double)top1 / (double)queries,
	       (double)top3 / (double)queries, (double)cands / (double)queries,
	       1e6 * secs / (double)queries);
	free(best);
	free(seen);
out:
	free(idx);
	for (size_t i = 0; i < ne; i++)
		free(e[i].name);
	free(e);
}

/* -Q: every alias of an OFAC individual as a ccc-check query (NDJSON), its
 * id the entry's ("ofac:ENT_NUM"), for the bench through ccc-check. */
static int print_ofac_queries(const char *dir)
{
	size_t ni = 0;
	struct entry *ind = ofac_individuals(dir, &ni);
	char line[8192];
	FILE *f;
	if (!ind)
		return 66;
	if (!(f = open_data(dir, "ofac-sdn/alt.csv"))) {
		for (size_t i = 0; i < ni; i++)
			free(ind[i].name);
		free(ind);
		return 66;
	}
	const char *alias;
	for (size_t i; (i = next_alias(f, line, sizeof line, ind, ni, &alias)) < ni;) {
		printf("{\"type\":\"query\",\"id\":\"ofac:%ld\",\"name\":\"", ind[i].id);
		for (const char *p = alias; *p; p++)
			if (*p == '"' || *p == '\\')
				printf("\\%c", *p);
			else if ((unsigned char)*p >= 0x20)
				putchar(*p);
		printf("\"}\n");
	}
	fclose(f);
	for (size_t i = 0; i < ni; i++)
		free(ind[i].name);
	free(ind);
	return 0;
}

int main(int argc, char **argv)
{
	char err[256];
	int opt;
	struct pairset s = {0};

	int queries = 0;
	const char *fixtures = NULL, *pairs = NULL;
	while ((opt = getopt(argc, argv, "t:vQTF:L:")) != -1) {
		if (opt == 'Q')
			queries = 1;
		else if (opt == 't')
			threshold = strtod(optarg, NULL);
		else if (opt == 'v')
			verbose = 1;
		else if (opt == 'T')
			tables = 1;
		else if (opt == 'F')
			fixtures = optarg;
		else if (opt == 'L')
			pairs = optarg;
		else
			goto usage;
	}
	if (optind + 1 < argc || (optind == argc && !fixtures && !pairs))
		goto usage;
	const char *dir = optind < argc ? argv[optind] : NULL;
	if (queries)
		return dir ? print_ofac_queries(dir) : 64;
	nn = names_open(err, sizeof err);
	if (!nn) {
		fprintf(stderr, "match-eval: %s\n", err);
		return 70;
	}
	printf("threshold %.3f\n", threshold);
	printf("%-34s %6s %6s   %-6s %-9s  %s\n", "data set", "pos", "neg", "recall", "precision",
	       "recall@P>=0.95   us/pair");
	if (fixtures) {
		char path[4096];
		printf("# the frozen held-out pairs (hard negatives) and the fixtures (negatives: "
		       "another identity's name)\n");
		snprintf(path, sizeof path, "%s/pairs-heldout.tsv", fixtures);
		evaluate_labelled("held out, all", path, "", 1);
		evaluate_labelled("held out, OFAC aliases", path, "ofac", 1);
		evaluate_labelled("held out, Wikidata Arabic", path, "wd-arabic", 1);
		evaluate_labelled("held out, Wikidata Russian", path, "wd-russian", 1);
		load_watchman(fixtures, "watchman_cross_script_pairs.csv", &s);
		evaluate("watchman cross-script", &s);
		free_pairs(&s);
		static const char *const translit[][3] = {
		    {"arabic", "netransliteration/wd_arabic_200.tsv",
		     "netransliteration/wd_arabic_200.mislabelled.tsv"},
		    {"russian", "netransliteration/wd_russian_200.tsv",
		     "netransliteration/wd_russian_200.mislabelled.tsv"},
		};
		for (size_t k = 0; k < sizeof translit / sizeof *translit; k++) {
			char label[64];
			load_netrans(fixtures, translit[k][1], &s);
			unsigned char *wrong = load_mislabelled(fixtures, translit[k][2], &s);
			snprintf(label, sizeof label, "transliteration %s (%zu)", translit[k][0],
				 s.n);
			evaluate_corrected(label, &s, wrong);
			free(wrong);
			free_pairs(&s);
		}
	}
	if (pairs) {
		char path[4096];
		printf("# generated by match-pairs (hard negatives)\n");
		snprintf(path, sizeof path, "%s/pairs-tune.tsv", pairs);
		evaluate_labelled("tuning, all", path, "", 0);
		evaluate_labelled("tuning, OFAC aliases", path, "ofac", 0);
		evaluate_labelled("tuning, Wikidata Arabic", path, "wd-arabic", 0);
		evaluate_labelled("tuning, Wikidata Russian", path, "wd-russian", 0);
		snprintf(path, sizeof path, "%s/un-heldout.tsv", pairs);
		evaluate_labelled("UN held out", path, "", 1);
		snprintf(path, sizeof path, "%s/un-tune.tsv", pairs);
		evaluate_labelled("UN tuning", path, "", 0);
	}
	if (!dir) {
		names_close(nn);
		return 0;
	}
	printf("# %s (negatives: another identity's name)\n", dir);
	load_watchman(dir, "name-variants/watchman_cross_script_pairs.csv", &s);
	evaluate("watchman cross-script", &s);
	free_pairs(&s);

	load_netrans(dir, "name-variants/netransliteration/wd_arabic_20.tsv", &s);
	evaluate("netransliteration arabic tokens", &s);
	free_pairs(&s);

	load_netrans(dir, "name-variants/netransliteration/wd_russian_20.tsv", &s);
	evaluate("netransliteration russian tokens", &s);
	free_pairs(&s);

	static const char *const rel[] = {"original_script", "alias_good", "alias_low"};
	for (int r = 0; r < 3; r++) {
		char label[64];
		load_un(dir, rel[r], &s);
		snprintf(label, sizeof label, "UN %s", rel[r]);
		evaluate(label, &s);
		free_pairs(&s);
	}

	/* Putin: 80 spellings against the canonical name; negatives against UN names */
	struct pairset un = {0};
	load_un(dir, "original_script", &un);
	load_putin(dir, &s, &un);
	for (size_t i = 0; i < un.n; i++)
		add_pair(&s, un.b[i], un.b[i], 0, 0);
	{
		/* the UN rows only serve as negative candidates */
		size_t n = s.n, tp = 0, fp = 0, np = 0, nn_ = 0;
		for (size_t i = 0; i < n; i++) {
			if (s.ida[i] != 1)
				continue;
			double sc = score(s.a[i], s.b[i]);
			np++;
			tp += sc >= threshold;
			if (sc < threshold && verbose)
				printf("#  miss %.3f  %s\n", sc, s.a[i]);
			size_t j = n - un.n + (size_t)(next_rand() % (un.n ? un.n : 1));
			if (un.n) {
				double ng = score(s.a[i], s.b[j]);
				nn_++;
				fp += ng >= threshold;
			}
		}
		printf("%-34s %6zu %6zu   %.3f  %.3f\n", "nomenklatura putin spellings", np, nn_,
		       np ? (double)tp / (double)np : 0,
		       tp + fp ? (double)tp / (double)(tp + fp) : 1);
	}
	free_pairs(&s);
	free_pairs(&un);

	eval_ofac(dir, &s);
	evaluate("OFAC alias vs own primary name", &s);
	free_pairs(&s);
	names_close(nn);
	return 0;
usage:
	fprintf(stderr, "usage: match-eval [-t THRESHOLD] [-vT] [-F FIXTURES] [-L PAIRS] "
			"[DATA_DIR]\n       match-eval -Q DATA_DIR\n");
	return 64;
}
