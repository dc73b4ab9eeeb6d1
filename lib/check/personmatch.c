/*
 * personmatch.c: person similarity from names, dates of birth and nationalities.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/personmatch.h"
#include "ccc/similarity.h"

#define UNITS_MAX (NAME_TOKENS_MAX * 2)
#define TEXT_MAX  96

/* A token, or two adjacent tokens written as one, as compared. */
struct unit {
	unsigned first, count; /* tokens first .. first+count-1 */
	unsigned flags;
	uint32_t text[TEXT_MAX], skel[TEXT_MAX];
	size_t ntext, nskel;
	unsigned char htext[37], hskel[37]; /* how often each of a-z, 0-9, other occurs */
	uint64_t utext, uskel;              /* the buckets used */
	char scratch[TEXT_MAX + 1];
};

/* The histogram of an ASCII token's letters and digits (any other character in
 * the last bucket), and the set of buckets used. */
static uint64_t histogram(const uint32_t *s, size_t n, unsigned char h[37])
{
	uint64_t used = 0;
	memset(h, 0, 37);
	for (size_t i = 0; i < n; i++) {
		uint32_t c = s[i];
		int k = c >= 'a' && c <= 'z'   ? (int)(c - 'a')
			: c >= '0' && c <= '9' ? (int)(c - '0') + 26
					       : 36;
		if (h[k] < 255)
			h[k]++;
		used |= 1ull << k;
	}
	return used;
}

/*
 * An upper bound of jaro_winkler_u32(a, b) from what it cannot exceed: the
 * characters in common are at most those the histograms share (any two
 * characters outside a-z, 0-9 counted as alike), transpositions cost nothing,
 * and the Winkler bonus is that of the agreeing prefix. Lets unit_sim skip the
 * pairs that could never reach the pair floor.
 */
static double jaro_winkler_bound(const uint32_t *a, size_t na, const unsigned char *ha, uint64_t ua,
				 const uint32_t *b, size_t nb, const unsigned char *hb, uint64_t ub)
{
	unsigned m = 0;
	if (!na || !nb)
		return 0.0;
	for (uint64_t both = ua & ub; both; both &= both - 1) {
		int k = __builtin_ctzll(both);
		m += ha[k] < hb[k] ? ha[k] : hb[k];
	}
	size_t minlen = na < nb ? na : nb, p = 0, pmax = minlen < 4 ? minlen : 4;
	if (m > minlen)
		m = (unsigned)minlen;
	double j = ((double)m / (double)na + (double)m / (double)nb + 1.0) / 3.0;
	while (p < pmax && a[p] == b[p])
		p++;
	return j + (double)p * 0.1 * (1.0 - j);
}

static size_t ascii_u32(const char *s, uint32_t *out, size_t max)
{
	size_t n = 0;
	while (n < max && s[n]) {
		out[n] = (unsigned char)s[n];
		n++;
	}
	return n;
}

static unsigned make_units(const struct name_tokens *t, struct unit *u)
{
	unsigned n = 0;

	for (unsigned i = 0; i < t->n; i++) {
		struct unit *x = &u[n++];
		x->first = i;
		x->count = 1;
		x->flags = t->tok[i].flags;
		x->ntext = ascii_u32(t->tok[i].text, x->text, TEXT_MAX);
		x->nskel = ascii_u32(t->tok[i].skel, x->skel, TEXT_MAX);
		x->utext = histogram(x->text, x->ntext, x->htext);
		x->uskel = histogram(x->skel, x->nskel, x->hskel);
	}
	for (unsigned i = 0; i + 1 < t->n; i++) {
		const struct name_token *a = &t->tok[i], *b = &t->tok[i + 1];
		char joined[TEXT_MAX], skel[NAME_KEY_MAX * 2];
		if ((a->flags | b->flags) & NAME_INITIAL || a->len + b->len + 1 > TEXT_MAX)
			continue;
		struct unit *x = &u[n++];
		memcpy(joined, a->text, a->len);
		memcpy(joined + a->len, b->text, b->len + 1);
		name_skeleton(joined, skel, sizeof skel);
		x->first = i;
		x->count = 2;
		x->flags = a->flags & b->flags;
		x->ntext = ascii_u32(joined, x->text, TEXT_MAX);
		x->nskel = ascii_u32(skel, x->skel, TEXT_MAX);
		x->utext = histogram(x->text, x->ntext, x->htext);
		x->uskel = histogram(x->skel, x->nskel, x->hskel);
	}
	return n;
}

static int same(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return na == nb && !memcmp(a, b, na * sizeof *a);
}

/*
 * The units of the first name, remembered: a query is scored against many
 * candidates in turn, and its units are the same each time. One memory per
 * thread, so the functions stay thread-safe.
 */
static _Thread_local struct {
	struct name_tokens t; /* n, flags and the tokens below n are set */
	struct unit u[UNITS_MAX];
	unsigned n;
} memo;

/* The same tokens, flags and skeletons: all that the units are made of. */
static int same_tokens(const struct name_tokens *a, const struct name_tokens *b)
{
	if (a->n != b->n || a->flags != b->flags)
		return 0;
	for (unsigned i = 0; i < a->n; i++)
		if (a->tok[i].flags != b->tok[i].flags || strcmp(a->tok[i].text, b->tok[i].text) ||
		    strcmp(a->tok[i].skel, b->tok[i].skel))
			return 0;
	return 1;
}

static const struct unit *first_units(const struct name_tokens *t, unsigned *n)
{
	if (!memo.t.n || !same_tokens(&memo.t, t)) {
		memo.t.n = t->n;
		memo.t.flags = t->flags;
		for (unsigned i = 0; i < t->n; i++)
			memo.t.tok[i] = t->tok[i];
		memo.n = make_units(t, memo.u);
	}
	*n = memo.n;
	return memo.u;
}

/* Similarity of two units; abjad: one side lost its short vowels. Below floor, 0
 * may be returned instead of the similarity. */
static double unit_sim(const struct unit *a, const struct unit *b, int abjad, double floor)
{
	if (same(a->text, a->ntext, b->text, b->ntext))
		return 1.0;
	if ((a->flags | b->flags) & NAME_INITIAL) {
		if (a->count > 1 || b->count > 1)
			return 0.0;
		return a->text[0] == b->text[0] ? 0.9 : 0.0;
	}
	/* the margin keeps rounding on the safe side */
	if (jaro_winkler_bound(a->text, a->ntext, a->htext, a->utext, b->text, b->ntext, b->htext,
			       b->utext) < floor - 1e-9 &&
	    (!a->nskel || !b->nskel ||
	     jaro_winkler_bound(a->skel, a->nskel, a->hskel, a->uskel, b->skel, b->nskel, b->hskel,
				b->uskel) *
		     (abjad ? 0.95 : 0.9) <
		 floor - 1e-9))
		return 0.0;
	double jw = jaro_winkler_u32(a->text, a->ntext, b->text, b->ntext, 0);
	double sk = 0.0;
	if (a->nskel && b->nskel)
		sk = same(a->skel, a->nskel, b->skel, b->nskel)
			 ? 1.0
			 : jaro_winkler_u32(a->skel, a->nskel, b->skel, b->nskel, 0);
	sk *= abjad ? 0.95 : 0.9;
	return jw > sk ? jw : sk;
}

static double token_weight(unsigned flags)
{
	return flags & NAME_PARTICLE ? 0.2 : flags & NAME_INITIAL ? 0.4 : 1.0;
}

#define PAIR_FLOOR 0.75 /* a pair below this is no match at all */

struct pair {
	double sim;
	unsigned ua, ub;
};

static int by_sim_desc(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	if (a->sim != b->sim)
		return a->sim < b->sim ? 1 : -1;
	/* ties: single tokens before joined ones, then by position: deterministic */
	if (a->ua != b->ua)
		return a->ua < b->ua ? -1 : 1;
	return a->ub < b->ub ? -1 : a->ub > b->ub;
}

/* The name score from the best pairing of units, chosen greedily, best pairs first;
 * when accepted is not NULL, the pairs taken go there and their count to
 * *naccepted. */
static double name_score_detail(const struct name_tokens *a, const struct name_tokens *b,
				struct pair *accepted, unsigned *naccepted)
{
	struct unit ub[UNITS_MAX];
	const struct unit *ua;
	struct pair pairs[UNITS_MAX * UNITS_MAX];
	unsigned na, nb, np = 0, used_a = 0, used_b = 0;
	double sa[NAME_TOKENS_MAX] = {0}, sb[NAME_TOKENS_MAX] = {0};
	int abjad = (a->flags ^ b->flags) & NAME_ABJAD;

	*naccepted = 0;
	if (!a->n || !b->n)
		return 0.0;
	ua = first_units(a, &na);
	nb = make_units(b, ub);
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nb; j++) {
			if (ua[i].count > 1 && ub[j].count > 1)
				continue;
			int joined = ua[i].count > 1 || ub[j].count > 1;
			double s = unit_sim(&ua[i], &ub[j], abjad,
					    joined ? PAIR_FLOOR / 0.98 : PAIR_FLOOR);
			if (joined)
				s *= 0.98; /* prefer the plain reading on a tie */
			if (s >= PAIR_FLOOR)
				pairs[np++] = (struct pair){s, i, j};
		}
	qsort(pairs, np, sizeof *pairs, by_sim_desc);
	for (unsigned k = 0; k < np; k++) {
		const struct unit *x = &ua[pairs[k].ua], *y = &ub[pairs[k].ub];
		unsigned ma = ((1u << x->count) - 1) << x->first;
		unsigned mb = ((1u << y->count) - 1) << y->first;
		if ((used_a & ma) || (used_b & mb))
			continue;
		used_a |= ma;
		used_b |= mb;
		for (unsigned t = 0; t < x->count; t++)
			sa[x->first + t] = pairs[k].sim;
		for (unsigned t = 0; t < y->count; t++)
			sb[y->first + t] = pairs[k].sim;
		if (accepted)
			accepted[(*naccepted)++] = pairs[k];
	}
	double wa = 0, wb = 0, ma = 0, mb = 0;
	for (unsigned i = 0; i < a->n; i++) {
		double w = token_weight(a->tok[i].flags);
		wa += w;
		ma += w * sa[i];
	}
	for (unsigned j = 0; j < b->n; j++) {
		double w = token_weight(b->tok[j].flags);
		wb += w;
		mb += w * sb[j];
	}
	double ca = ma / wa, cb = mb / wb;
	/* the shorter name must be covered; extra tokens in the longer one cost a little */
	double cshort = wa <= wb ? ca : cb, clong = wa <= wb ? cb : ca;
	return 0.8 * cshort + 0.2 * clong;
}

double person_name_score(const struct name_tokens *a, const struct name_tokens *b)
{
	unsigned n;
	return name_score_detail(a, b, NULL, &n);
}

double person_name_score_readings(struct name_normalizer *nn, const char *a, size_t alen,
				  const char *b, size_t blen)
{
	struct name_tokens ta[3], tb[3];
	int na = names_readings(nn, a, alen, ta, 3), nb = names_readings(nn, b, blen, tb, 3);
	double best = 0;
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++) {
			double s = person_name_score(&ta[i], &tb[j]);
			if (s > best)
				best = s;
		}
	return best;
}

/* --- dates of birth ------------------------------------------------------- */

struct ymd {
	int y, m, d; /* 0 when unknown */
};

/* Parse "YYYY", "YYYY-MM", "YYYY-MM-DD" from s[0..n); 0 on success. */
static int parse_ymd(const char *s, size_t n, struct ymd *out)
{
	int v[3] = {0, 0, 0}, k = 0;
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (; k < 3; k++) {
		size_t start = i;
		int x = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4)
			x = x * 10 + (s[i++] - '0');
		if ((k == 0 && i - start != 4) || (k > 0 && i - start != 2))
			return -1;
		v[k] = x;
		if (i >= n || s[i] != '-')
			break;
		i++;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i != n || v[0] < 1000 || v[1] > 12 || v[2] > 31 || (k >= 1 && !v[1]) ||
	    (k >= 2 && !v[2]))
		return -1;
	out->y = v[0];
	out->m = v[1];
	out->d = v[2];
	return 0;
}

int dob_valid(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct ymd v;
	size_t n = s ? strlen(s) : 0;
	if (!n || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    parse_ymd(s, n, &v) < 0)
		return 0;
	if (!v.d)
		return 1;
	int leap = (v.y % 4 == 0 && v.y % 100 != 0) || v.y % 400 == 0;
	return v.d <= days[v.m - 1] + (v.m == 2 && leap);
}

static enum dob_match ymd_compare(struct ymd a, struct ymd b)
{
	if (a.y == b.y) {
		if (a.m && b.m && a.m != b.m) {
			if (a.d && b.d && a.m == b.d && a.d == b.m)
				return DOB_SWAPPED;
			return DOB_DIFFERENT;
		}
		if (a.d && b.d && a.d != b.d)
			return DOB_DIFFERENT;
		return a.m && b.m && a.d && b.d ? DOB_EXACT : DOB_PARTIAL;
	}
	if (a.y - b.y == 1 || b.y - a.y == 1) {
		if ((a.m && b.m && a.m != b.m) || (a.d && b.d && a.d != b.d))
			return DOB_DIFFERENT;
		return DOB_YEAR_OFF;
	}
	return DOB_DIFFERENT;
}

/* Rank of an outcome: the best over the alternatives wins. */
static int dob_rank(enum dob_match m)
{
	static const int rank[] = {[DOB_UNKNOWN] = 0, [DOB_DIFFERENT] = 1, [DOB_YEAR_OFF] = 2,
				   [DOB_SWAPPED] = 3, [DOB_PARTIAL] = 4,   [DOB_EXACT] = 5};
	return rank[m];
}

enum dob_match dob_compare(const char *a, const char *b)
{
	enum dob_match best = DOB_UNKNOWN;

	if (!a || !b)
		return DOB_UNKNOWN;
	for (const char *p = a; *p;) {
		size_t n = strcspn(p, "|");
		struct ymd x;
		if (!parse_ymd(p, n, &x)) {
			for (const char *q = b; *q;) {
				size_t m = strcspn(q, "|");
				struct ymd y;
				if (!parse_ymd(q, m, &y)) {
					enum dob_match r = ymd_compare(x, y);
					if (dob_rank(r) > dob_rank(best))
						best = r;
				}
				q += m + (q[m] == '|');
			}
		}
		p += n + (p[n] == '|');
	}
	return best;
}

/* 1 shared country, 0 none shared, -1 unknown. */
static int countries_shared(const char *a, const char *b, char *which)
{
	int known = 0;

	if (!a || !b || !*a || !*b)
		return -1;
	for (const char *p = a; *p;) {
		size_t n = strcspn(p, ",|");
		if (n == 2) {
			for (const char *q = b; *q;) {
				size_t m = strcspn(q, ",|");
				if (m == 2) {
					known = 1;
					if ((p[0] | 0x20) == (q[0] | 0x20) &&
					    (p[1] | 0x20) == (q[1] | 0x20)) {
						which[0] = (char)(p[0] | 0x20);
						which[1] = (char)(p[1] | 0x20);
						which[2] = '\0';
						return 1;
					}
				}
				q += m + (q[m] != '\0');
			}
		}
		p += n + (p[n] != '\0');
	}
	return known ? 0 : -1;
}

/* snprintf at out+o that never runs past outsz; returns the new length. */
static size_t append(char *out, size_t outsz, size_t o, const char *fmt, ...)
{
	va_list ap;
	if (o + 1 >= outsz)
		return o;
	va_start(ap, fmt);
	int k = vsnprintf(out + o, outsz - o, fmt, ap);
	va_end(ap);
	if (k < 0)
		return o;
	return (size_t)k < outsz - o ? o + (size_t)k : outsz - 1;
}

/* A unit's text as a C string, kept in the unit. */
static const char *unit_text(struct unit *u)
{
	for (size_t t = 0; t < u->ntext; t++)
		u->scratch[t] = (char)u->text[t];
	u->scratch[u->ntext] = '\0';
	return u->scratch;
}

static const struct {
	double adjust;
	const char *label;
} dob_effect[] = {
    [DOB_UNKNOWN] = {0.0, NULL},
    [DOB_EXACT] = {0.08, "dob exact"},
    [DOB_PARTIAL] = {0.04, "dob agrees as far as known"},
    [DOB_SWAPPED] = {0.04, "dob day and month swapped"},
    [DOB_YEAR_OFF] = {0.0, "dob one year off"},
    [DOB_DIFFERENT] = {-0.25, "dob differs"},
};

double person_score(const struct person *q, const struct person *c, char *why, size_t whysz)
{
	struct pair acc[NAME_TOKENS_MAX];
	unsigned nacc = 0;
	double name = name_score_detail(q->name, c->name, acc, &nacc);
	enum dob_match dm = dob_compare(q->dob, c->dob);
	char country[3] = "";
	int cs = countries_shared(q->countries, c->countries, country);
	double s = name;

	if (name > 0) {
		s += dob_effect[dm].adjust;
		s += cs == 1 ? 0.03 : cs == 0 ? -0.05 : 0.0;
	}
	s = s < 0 ? 0 : s > 1 ? 1 : s;
	if (why && whysz) {
		struct unit ua[UNITS_MAX], ub[UNITS_MAX];
		size_t o = 0;
		make_units(q->name, ua);
		make_units(c->name, ub);
		o = append(why, whysz, o, "name %.2f (", name);
		for (unsigned i = 0; i < nacc; i++)
			o = append(why, whysz, o, "%s%s=%s %.2f", i ? ", " : "",
				   unit_text(&ua[acc[i].ua]), unit_text(&ub[acc[i].ub]),
				   acc[i].sim);
		o = append(why, whysz, o, ")");
		if (dob_effect[dm].label)
			o = append(why, whysz, o, "; %s", dob_effect[dm].label);
		if (cs == 1)
			append(why, whysz, o, "; nationality %s", country);
		else if (cs == 0)
			append(why, whysz, o, "; nationality differs");
	}
	return s;
}

/* --- blocking keys -------------------------------------------------------- */

static size_t add_key(char keys[][PERSON_KEY_MAX], unsigned *tokens, size_t n, size_t max,
		      const char *k, unsigned mask)
{
	char key[PERSON_KEY_MAX];
	size_t l = strlen(k);

	if (n >= max || !l)
		return n;
	if (l > 4)
		l = 4;
	memcpy(key, k, l);
	key[l] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], key)) {
			if (tokens)
				tokens[i] |= mask;
			return n;
		}
	memcpy(keys[n], key, l + 1);
	if (tokens)
		tokens[n] = mask;
	return n + 1;
}

size_t person_blocking_keys_tokens(const struct name_tokens *t, char keys[][PERSON_KEY_MAX],
				   unsigned *tokens, size_t max)
{
	size_t n = 0;

	for (unsigned i = 0; i < t->n; i++) {
		const struct name_token *x = &t->tok[i];
		if (x->flags & (NAME_PARTICLE | NAME_INITIAL))
			continue;
		n = add_key(keys, tokens, n, max, x->skel[0] ? x->skel : x->text, 1u << i);
	}
	for (unsigned i = 0; i + 1 < t->n; i++) {
		const struct name_token *x = &t->tok[i], *y = &t->tok[i + 1];
		char joined[2 * NAME_KEY_MAX + 1], skel[NAME_KEY_MAX];
		if ((x->flags | y->flags) & (NAME_PARTICLE | NAME_INITIAL))
			continue;
		snprintf(joined, sizeof joined, "%.*s%.*s", NAME_KEY_MAX - 1, x->text,
			 NAME_KEY_MAX - 1, y->text);
		name_skeleton(joined, skel, sizeof skel);
		n = add_key(keys, tokens, n, max, skel[0] ? skel : joined, 3u << i);
	}
	return n;
}

size_t person_blocking_keys(const struct name_tokens *t, char keys[][PERSON_KEY_MAX], size_t max)
{
	return person_blocking_keys_tokens(t, keys, NULL, max);
}
