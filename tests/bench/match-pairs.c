/*
 * match-pairs.c: the labelled name pairs of the matching evaluation, from the
 * real lists.
 *
 *   match-pairs DATA_DIR OUT_DIR
 *
 * Reads DATA_DIR/ofac-sdn/{sdn,alt}.csv (OFAC SDN: US government work, public
 * domain), DATA_DIR/name-variants/netransliteration/wd_{arabic,russian}_20.tsv
 * (Wikidata names, CC0) and DATA_DIR/un-sc-consolidated/
 * derived_individual_name_pairs.tsv (UN Security Council list, whose terms do not
 * allow copying it into the project). Writes OUT_DIR/pairs-tune.tsv and
 * OUT_DIR/pairs-heldout.tsv from OFAC and Wikidata, OUT_DIR/un-tune.tsv and
 * OUT_DIR/un-heldout.tsv from the UN list. Each line:
 *
 *   LABEL <TAB> SOURCE <TAB> QUERY <TAB> NAME
 *
 * LABEL 1 (positive): two names of one entry: an alias and the entry's primary
 * name, a name in Arabic or Cyrillic script and its Latin spelling. An alias in
 * Latin letters counts only when more than half of the tokens of the shorter name
 * (tokens of three letters or more that are not particles: al, bin, abu, de ...)
 * have a token of the other with the same spelling or Soundex code: the others
 * are noms de guerre ("AIGLE BLANC" for "FRANK KAKOLELE BWAMBALE") or another name
 * altogether that share a given name at most, which no spelling can link. Names in
 * another script always count. An alias with a Latin part and the same name in
 * Arabic or Cyrillic letters beside it is read by its Latin part, and typographic
 * quotes are no script (see is_latin; until December 2026 both were taken for
 * another script, which let in about 50 UN aliases that share no name with their
 * entry; the OFAC and Wikidata pairs do not change).
 *
 * LABEL 0 (hard negative): the same query against a name of another entry that
 * shares a token or a token's Soundex code with it (for a query in another script,
 * with its entry's Latin name), one per positive, chosen at random (fixed seed)
 * among those of the same part. The Wikidata names are single words, and two words
 * with one Soundex code are mostly one name (ahmed, ahmet): there the other entry
 * shares the first three characters of the Soundex code and not the whole code,
 * nor a spelling in either script (darwin D650, dardis D632: negatives; ahmed
 * A530, ahmet A530: neither).
 *
 * The parts: an entry is held out when the FNV-1a hash of "SOURCE:ID" is 0-3
 * modulo 10 (four entries in ten); a pair belongs to its query's entry's part.
 * The held-out part is committed (tests/fixtures/names/pairs-heldout.tsv) and
 * never tuned on; the tuning part is regenerated at will.
 *
 * Soundex is the one given in Knuth, The Art of Computer Programming vol. 3
 * (letters outside a-z ignored). It is independent of the matcher on purpose: a
 * change to the matcher does not move the pairs.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXNAMES 64
#define KEYLEN   48

struct entry {
	const char *source;
	long id;
	int held;
	char *latin; /* the primary name, in Latin letters */
	char *names[MAXNAMES];
	int script[MAXNAMES]; /* 1 when names[i] is not in Latin letters */
	int n;
};

struct ents {
	struct entry *e;
	size_t n, cap;
};

struct keyref {
	char key[KEYLEN];
	size_t entry;
	int name;
};

static uint64_t rng = 0x2545F4914F6CDD1Dull;
/* Keys of one-token names (Wikidata): the first three characters of the Soundex
 * code, the whole code differing (see write_pairs). */
static int prefix_keys;

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
		perror("match-pairs");
		exit(70);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d) {
		perror("match-pairs");
		exit(70);
	}
	return d;
}

static int held_out(const char *source, long id)
{
	char buf[128];
	uint64_t h = 0xcbf29ce484222325ull;
	snprintf(buf, sizeof buf, "%s:%ld", source, id);
	for (const char *p = buf; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 0x100000001b3ull;
	}
	return h % 10 < 4;
}

static struct entry *new_entry(struct ents *s, const char *source, long id, const char *latin)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->e = xrealloc(s->e, s->cap * sizeof *s->e);
	}
	struct entry *e = &s->e[s->n++];
	memset(e, 0, sizeof *e);
	e->source = source;
	e->id = id;
	e->held = held_out(source, id);
	e->latin = xstrdup(latin);
	return e;
}

/* 1 when s is in Latin letters (ASCII, Latin-1 supplement, Latin extended-A), or
 * has a Latin part beside Arabic or Cyrillic letters ("Djaafar Abou Mohamed (جعفر
 * ابو محمد)"), whose Latin tokens then decide whether it counts (see
 * write_pairs). Typographic punctuation (the quotes ‘ ’ “ ” of “The Butcher”) is
 * no script. */
static int is_latin(const char *s)
{
	int ascii = 0, other = 0, arabic_cyrillic = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x80)
			ascii |= (*p | 0x20) >= 'a' && (*p | 0x20) <= 'z';
		else if (*p == 0xE2 && (p[1] == 0x80 || p[1] == 0x81) && p[2])
			p += 2; /* U+2000-U+207F, general punctuation */
		else if (*p >= 0x80 && *p < 0xC0)
			continue;
		else if (*p == 0xC3 || *p == 0xC4 || *p == 0xC5)
			continue; /* Latin-1 supplement, Latin extended-A */
		else if (*p >= 0xC0) {
			other = 1;
			arabic_cyrillic |= (*p >= 0xD0 && *p <= 0xD4) || (*p >= 0xD8 && *p <= 0xDB);
		}
	return !other || (ascii && arabic_cyrillic);
}

static void add_name(struct entry *e, const char *name)
{
	if (e->n < MAXNAMES) {
		e->script[e->n] = !is_latin(name);
		e->names[e->n++] = xstrdup(name);
	}
}

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == 0x1a))
		s[--n] = '\0';
}

static FILE *open_data(const char *dir, const char *rel)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "match-pairs: cannot open '%s'; skipped\n", path);
	return f;
}

/* Particles and articles: sharing one of them does not make a hard negative. */
static int stopword(const char *t)
{
	static const char *const w[] = {
	    "al",    "el",    "bin",   "ibn",    "ben",   "bint",   "abu",    "abou", "abd",
	    "abdul", "abdel", "umm",   "de",     "del",   "la",     "le",     "van",  "von",
	    "der",   "den",   "da",    "di",     "dos",   "das",    "the",    "aka",  "and",
	    "ould",  "haji",  "hajji", "mullah", "mulla", "sheikh", "shaykh", NULL};
	for (int i = 0; w[i]; i++)
		if (!strcmp(t, w[i]))
			return 1;
	return 0;
}

static void soundex(const char *t, char out[5])
{
	/*                        abcdefghijklmnopqrstuvwxyz */
	static const char code[] = "01230120022455012623010202";
	size_t o = 0;
	char last = 0;
	for (const char *p = t; *p && o < 4; p++) {
		if (*p < 'a' || *p > 'z')
			continue;
		char c = code[*p - 'a'];
		if (!o) {
			out[o++] = (char)toupper((unsigned char)*p);
			last = c;
			continue;
		}
		if (*p == 'h' || *p == 'w')
			continue;
		if (c != '0' && c != last)
			out[o++] = c;
		last = c;
	}
	while (o < 4)
		out[o++] = '0';
	out[4] = '\0';
}

/* The keys of a Latin name: its tokens (lower case, a-z, three letters or more,
 * not stop words) and their Soundex codes. Returns the count. */
static int name_keys(const char *name, char keys[][KEYLEN], int max)
{
	int n = 0;
	char tok[40];
	size_t o = 0;
	for (const char *p = name;; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalpha(c) && c < 0x80) {
			if (o + 1 < sizeof tok)
				tok[o++] = (char)tolower(c);
			continue;
		}
		if (c >= 0x80)
			continue; /* an accented letter: left out of the token */
		tok[o] = '\0';
		if (o >= 3 && !stopword(tok) && n + 2 <= max) {
			char sx[5];
			soundex(tok, sx);
			if (prefix_keys) {
				snprintf(keys[n++], KEYLEN, "p:%.3s", sx);
			} else {
				snprintf(keys[n++], KEYLEN, "t:%s", tok);
				snprintf(keys[n++], KEYLEN, "s:%s", sx);
			}
		}
		o = 0;
		if (!c)
			break;
	}
	return n;
}

/* 1 when more than half of the keyed tokens of the shorter name have a token of
 * the other with the same spelling or Soundex code. */
static int share_key(const char *a, const char *b)
{
	char ka[32][KEYLEN], kb[32][KEYLEN];
	int na = name_keys(a, ka, 32), nb = name_keys(b, kb, 32);
	if (nb < na) {
		const char *t = a;
		a = b;
		b = t;
		na = name_keys(a, ka, 32);
		nb = name_keys(b, kb, 32);
	}
	int shared = 0;
	for (int i = 0; i < na; i += 2) { /* a token, then its Soundex code */
		int hit = 0;
		for (int j = 0; j < nb && !hit; j++)
			hit = !strcmp(ka[i], kb[j]) || !strcmp(ka[i + 1], kb[j]);
		shared += hit;
	}
	return na && shared * 2 > na / 2;
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

static int cmp_id(const void *x, const void *y)
{
	long a = ((const struct entry *)x)->id, b = ((const struct entry *)y)->id;
	return a < b ? -1 : a > b;
}

static void load_ofac(const char *dir, struct ents *s)
{
	FILE *f = open_data(dir, "ofac-sdn/sdn.csv");
	char line[8192];
	if (!f)
		return;
	size_t first = s->n;
	while (fgets(line, sizeof line, f)) {
		char *col[4];
		chomp(line);
		if (ofac_fields(line, col, 4) < 3 || strcmp(col[2], "individual"))
			continue;
		struct entry *e = new_entry(s, "ofac", strtol(col[0], NULL, 10), col[1]);
		add_name(e, col[1]);
	}
	fclose(f);
	qsort(s->e + first, s->n - first, sizeof *s->e, cmp_id);
	if (!(f = open_data(dir, "ofac-sdn/alt.csv")))
		return;
	while (fgets(line, sizeof line, f)) {
		char *col[5];
		chomp(line);
		if (ofac_fields(line, col, 5) < 4)
			continue;
		struct entry key = {.id = strtol(col[0], NULL, 10)};
		struct entry *e = bsearch(&key, s->e + first, s->n - first, sizeof *s->e, cmp_id);
		if (e)
			add_name(e, col[3]);
	}
	fclose(f);
}

/* latin <TAB> space-separated letters <TAB> count: every step-th row. */
static void load_netrans(const char *dir, const char *rel, const char *source, int step,
			 struct ents *s)
{
	FILE *f = open_data(dir, rel);
	char line[1024], word[1024];
	long row = 0;
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		chomp(line);
		if (row++ % step)
			continue;
		char *latin = strtok(line, "\t"), *script = strtok(NULL, "\t");
		if (!latin || !script)
			continue;
		size_t o = 0;
		for (char *p = script; *p && o + 1 < sizeof word; p++)
			if (*p != ' ')
				word[o++] = *p;
		word[o] = '\0';
		struct entry *e = new_entry(s, source, row, latin);
		add_name(e, latin);
		add_name(e, word);
	}
	fclose(f);
}

/* dataid reference relation primary variant dob nationality */
static void load_un(const char *dir, struct ents *s)
{
	FILE *f = open_data(dir, "un-sc-consolidated/derived_individual_name_pairs.tsv");
	char line[4096];
	struct entry *e = NULL;
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
		if (k < 5 || !strcmp(col[0], "dataid"))
			continue;
		long id = strtol(col[0], NULL, 10);
		if (!e || e->id != id) {
			e = new_entry(s, "un", id, col[3]);
			add_name(e, col[3]);
		}
		add_name(e, col[4]);
	}
	fclose(f);
}

static int cmp_keyref(const void *x, const void *y)
{
	return strcmp(((const struct keyref *)x)->key, ((const struct keyref *)y)->key);
}

static int same_text(const char *a, const char *b)
{
	return !strcasecmp(a, b);
}

/* For one-token names: 1 when e and o may be one name (the same word in either
 * script, or the same Soundex code), so o cannot serve as e's negative. */
static int one_name(const struct entry *e, const struct entry *o)
{
	char a[5], b[5];
	for (int i = 0; i < e->n; i++)
		for (int j = 0; j < o->n; j++)
			if (same_text(e->names[i], o->names[j]))
				return 1;
	soundex(e->latin, a);
	soundex(o->latin, b);
	return !strcmp(a, b);
}

/* Write the pairs of the entries s->e[0..n) into tune and held. */
static void write_pairs(struct ents *s, FILE *tune, FILE *held, size_t *counts)
{
	/* the index: every Latin name's keys */
	size_t nidx = 0, cap = 0;
	struct keyref *idx = NULL;
	for (size_t i = 0; i < s->n; i++)
		for (int j = 0; j < s->e[i].n; j++) {
			if (s->e[i].script[j])
				continue;
			char k[32][KEYLEN];
			int nk = name_keys(s->e[i].names[j], k, 32);
			for (int m = 0; m < nk; m++) {
				if (nidx == cap) {
					cap = cap ? cap * 2 : 4096;
					idx = xrealloc(idx, cap * sizeof *idx);
				}
				memcpy(idx[nidx].key, k[m], KEYLEN);
				idx[nidx].entry = i;
				idx[nidx++].name = j;
			}
		}
	qsort(idx, nidx, sizeof *idx, cmp_keyref);

	for (size_t i = 0; i < s->n; i++) {
		struct entry *e = &s->e[i];
		FILE *out = e->held ? held : tune;
		for (int j = 1; j < e->n; j++) {
			const char *q = e->names[j], *p = e->names[0];
			if (same_text(q, p))
				continue;
			int dup = 0;
			for (int k = 1; k < j; k++)
				dup |= same_text(e->names[k], q);
			if (dup)
				continue;
			if (!e->script[j] && !share_key(q, p))
				continue; /* a nom de guerre */
			fprintf(out, "1\t%s\t%s\t%s\n", e->source, q, p);
			counts[e->held * 2]++;
			/* the hard negative: another entry of the same part sharing a key */
			char k[32][KEYLEN];
			int nk = name_keys(e->script[j] ? e->latin : q, k, 32);
			size_t cand[512], nc = 0;
			int cname[512];
			for (int m = 0; m < nk; m++) {
				struct keyref key;
				memcpy(key.key, k[m], KEYLEN);
				struct keyref *hit =
				    bsearch(&key, idx, nidx, sizeof *idx, cmp_keyref);
				if (!hit)
					continue;
				while (hit > idx && !strcmp(hit[-1].key, key.key))
					hit--;
				for (; hit < idx + nidx && !strcmp(hit->key, key.key) && nc < 512;
				     hit++)
					if (hit->entry != i && s->e[hit->entry].held == e->held &&
					    !same_text(s->e[hit->entry].names[hit->name], q) &&
					    !(prefix_keys && one_name(e, &s->e[hit->entry]))) {
						cand[nc] = hit->entry;
						cname[nc++] = hit->name;
					}
			}
			if (!nc)
				continue;
			size_t c = (size_t)(next_rand() % nc);
			const struct entry *o = &s->e[cand[c]];
			const char *n = o->names[cname[c]];
			fprintf(out, "0\t%s\t%s\t%s\n", e->source, q, n);
			counts[e->held * 2 + 1]++;
		}
	}
	free(idx);
}

static void free_ents(struct ents *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].latin);
		for (int j = 0; j < s->e[i].n; j++)
			free(s->e[i].names[j]);
	}
	free(s->e);
	memset(s, 0, sizeof *s);
}

static FILE *create(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(73);
	}
	fprintf(f, "# label\tsource\tquery\tname (tests/bench/match-pairs.c)\n");
	return f;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: match-pairs DATA_DIR OUT_DIR\n");
		return 64;
	}
	struct ents s = {0};
	size_t c[4] = {0}, u[4] = {0};
	FILE *tune = create(argv[2], "pairs-tune.tsv"),
	     *held = create(argv[2], "pairs-heldout.tsv");
	load_ofac(argv[1], &s);
	write_pairs(&s, tune, held, c);
	free_ents(&s);
	/* Wikidata: the name in Arabic or Cyrillic letters is the query */
	load_netrans(argv[1], "name-variants/netransliteration/wd_arabic_20.tsv", "wd-arabic", 6,
		     &s);
	prefix_keys = 1;
	write_pairs(&s, tune, held, c);
	free_ents(&s);
	load_netrans(argv[1], "name-variants/netransliteration/wd_russian_20.tsv", "wd-russian", 15,
		     &s);
	write_pairs(&s, tune, held, c);
	free_ents(&s);
	prefix_keys = 0;
	fclose(tune);
	fclose(held);
	tune = create(argv[2], "un-tune.tsv");
	held = create(argv[2], "un-heldout.tsv");
	load_un(argv[1], &s);
	write_pairs(&s, tune, held, u);
	free_ents(&s);
	fclose(tune);
	fclose(held);
	printf("OFAC and Wikidata: tuning %zu positives %zu negatives; held out %zu positives %zu "
	       "negatives\n",
	       c[0], c[1], c[2], c[3]);
	printf("UN: tuning %zu positives %zu negatives; held out %zu positives %zu negatives\n",
	       u[0], u[1], u[2], u[3]);
	return 0;
}
