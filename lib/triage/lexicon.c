/*
 * lexicon.c: Aho–Corasick over folded phrases, with word-boundary checks.
 *
 * The trie is built on byte classes (every byte that occurs in some phrase has
 * its own class, all other bytes share class 0), then turned into a complete
 * DFA, whose bytes that lead everywhere alike are then merged into one class
 * (most bytes of a script only ever follow their own lead bytes). With up to
 * 32,767 states, dfa16[state × nclass + class] is the next state with the
 * top bit set when that state ends some phrase: half the memory, so more of
 * it stays in cache. A larger automaton keeps 32-bit rows, dfa[row + class]
 * the next row (state × nclass) with the top bit as the flag. Outputs of a
 * state include those of its failure chain, flattened, so a hit is a plain
 * array walk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/json.h"
#include "ccc/lexicon.h"
#include "ccc/textfold.h"

#define HAS_OUT    0x80000000u
#define HAS_OUT16  0x8000u
#define PHRASE_MAX 255

struct lexicon {
	struct buf text;            /* folded phrases, back to back */
	unsigned *off;              /* per phrase: offset in text */
	unsigned char *len, *flags; /* per phrase */
	int *value;
	size_t nphrase, cap;

	int built;
	unsigned char cls[256]; /* byte → class */
	unsigned nclass;
	uint32_t *dfa;   /* nstate × nclass, rows (when dfa16 is NULL) */
	uint16_t *dfa16; /* nstate × nclass, states (up to 32,767 of them) */
	size_t nstate;
	unsigned *out_start, *out_len; /* per state: slice of outs */
	unsigned *outs;                /* phrase indexes */
};

/*
 * Arabic clitics. A word of the text is a phrase when taking off one of
 * these proclitics (conjunctions و ف, prepositions ب ك ل, the article ال,
 * and their combinations) and one of the suffixes leaves exactly the phrase:
 * the whole word is read, never a piece of it.
 */
static const char *const ar_prefixes[] = {
    "و",   "ف",  "ب",  "ل",  "ك",  "ال", "وال", "فال",  "بال",  "كال",  "لل",   "ولل",
    "فلل", "وب", "ول", "فب", "فل", "وك", "فك",  "وبال", "فبال", "وكال", "فكال",
};
/* The future prefix س (and وس، فس) only on a verb in the imperfect, which
 * starts with ي ت ن or ا: سيغادر is "will leave", but سفر is "travel", not س + فر. */
static const char *const ar_future[] = {"س", "وس", "فس"};
static const char *const ar_imperfect[] = {"ي", "ت", "ن", "ا"};
static const char *const ar_suffixes[] = {
    "ه",  "ها", "هم", "هما", "هن", "ي",  "يه",  "ين",  "يين", "يون", "ون",  "ان",
    "ات", "وا", "ك",  "كم",  "نا", "ته", "تها", "تهم", "يا",  "تين", "تان", "ا",
};

struct lexicon *lexicon_new(void)
{
	return calloc(1, sizeof(struct lexicon));
}

int lexicon_add(struct lexicon *lx, const char *phrase, unsigned flags, int value)
{
	size_t n = strlen(phrase), at = lx->text.len;
	size_t k;

	if (lx->built)
		return -1;
	textfold_buf(&lx->text, phrase, n);
	/* trim the spaces folding may leave at either end */
	k = lx->text.len;
	while (k > at && lx->text.p[k - 1] == ' ')
		k--;
	while (at < k && lx->text.p[at] == ' ')
		memmove(lx->text.p + at, lx->text.p + at + 1, --k - at);
	lx->text.len = k;
	if (k == at || k - at > PHRASE_MAX) {
		lx->text.len = at;
		return -1;
	}
	if (lx->nphrase == lx->cap) {
		size_t cap = lx->cap ? lx->cap * 2 : 256;
		unsigned *off = realloc(lx->off, cap * sizeof *off);
		if (off)
			lx->off = off;
		unsigned char *len = realloc(lx->len, cap);
		if (len)
			lx->len = len;
		unsigned char *fl = realloc(lx->flags, cap);
		if (fl)
			lx->flags = fl;
		int *val = realloc(lx->value, cap * sizeof *val);
		if (val)
			lx->value = val;
		if (!off || !len || !fl || !val)
			return -1;
		lx->cap = cap;
	}
	lx->off[lx->nphrase] = (unsigned)at;
	lx->len[lx->nphrase] = (unsigned char)(k - at);
	lx->flags[lx->nphrase] = (unsigned char)flags;
	lx->value[lx->nphrase] = value;
	lx->nphrase++;
	return 0;
}

/* Compile the trie, failure links and outputs into the DFA. */
/*
 * Merge the classes whose next states are the same from every state: the
 * table go (nstate × lx->nclass) is rewritten in place with fewer columns and
 * lx->cls maps each byte to its merged class. Returns 0 or -1.
 */
static int merge_classes(struct lexicon *lx, uint32_t *go, size_t nstate)
{
	size_t nc = lx->nclass, kept = 0;
	uint64_t *h = calloc(nc, sizeof *h);
	unsigned *to = calloc(nc, sizeof *to), *rep = calloc(nc, sizeof *rep);
	int rc = -1;

	if (!h || !to || !rep)
		goto out;
	for (size_t c = 0; c < nc; c++) {
		uint64_t x = 1469598103934665603ULL;
		for (size_t s = 0; s < nstate; s++)
			x = (x ^ go[s * nc + c]) * 1099511628211ULL;
		h[c] = x;
	}
	for (size_t c = 0; c < nc; c++) {
		size_t k = 0;
		for (; k < kept; k++) {
			size_t r = rep[k], s = 0;
			if (h[r] != h[c])
				continue;
			while (s < nstate && go[s * nc + r] == go[s * nc + c])
				s++;
			if (s == nstate)
				break;
		}
		if (k == kept)
			rep[kept++] = (unsigned)c;
		to[c] = (unsigned)k;
	}
	/* rows only move down (kept ≤ nc), each to before where it was read */
	for (size_t s = 0; s < nstate; s++)
		for (size_t k = 0; k < kept; k++)
			go[s * kept + k] = go[s * nc + rep[k]];
	for (size_t b = 0; b < 256; b++)
		lx->cls[b] = (unsigned char)to[lx->cls[b]];
	lx->nclass = (unsigned)kept;
	rc = 0;
out:
	free(h);
	free(to);
	free(rep);
	return rc;
}

int lexicon_build(struct lexicon *lx)
{
	const unsigned char *t = (const unsigned char *)lx->text.p;
	size_t maxstate = 1, nstate = 1, nc;
	uint32_t *go = NULL, *fail = NULL, *queue = NULL, *own = NULL, *next_own = NULL;
	int rc = -1;

	if (lx->built)
		return -1;
	memset(lx->cls, 0, sizeof lx->cls);
	lx->nclass = 1;
	for (size_t i = 0; i < lx->text.len; i++)
		if (!lx->cls[t[i]])
			lx->cls[t[i]] = (unsigned char)lx->nclass++;
	nc = lx->nclass;
	for (size_t p = 0; p < lx->nphrase; p++)
		maxstate += lx->len[p];
	if (maxstate * nc >= HAS_OUT)
		return -1; /* rows would not fit beside the flag bit */

	/* go[s*nc + c] is the trie child (0: none; the root is never a child) */
	go = calloc(maxstate * nc, sizeof *go);
	fail = calloc(maxstate, sizeof *fail);
	queue = calloc(maxstate, sizeof *queue);
	own = calloc(maxstate, sizeof *own); /* first phrase ending here, + 1 */
	next_own = calloc(lx->nphrase + 1, sizeof *next_own);
	if (!go || !fail || !queue || !own || !next_own)
		goto out;

	for (size_t p = 0; p < lx->nphrase; p++) {
		uint32_t s = 0;
		for (unsigned i = 0; i < lx->len[p]; i++) {
			size_t slot = (size_t)s * nc + lx->cls[t[lx->off[p] + i]];
			if (!go[slot])
				go[slot] = (uint32_t)nstate++;
			s = go[slot];
		}
		next_own[p + 1] = own[s];
		own[s] = (uint32_t)p + 1;
	}

	/* breadth first: failure links, and missing edges filled from the failure state */
	size_t head = 0, tail = 0;
	for (size_t c = 0; c < nc; c++)
		if (go[c]) {
			fail[go[c]] = 0;
			queue[tail++] = go[c];
		}
	while (head < tail) {
		uint32_t s = queue[head++];
		for (size_t c = 0; c < nc; c++) {
			uint32_t u = go[(size_t)s * nc + c];
			if (u) {
				fail[u] = go[(size_t)fail[s] * nc + c];
				queue[tail++] = u;
			} else {
				go[(size_t)s * nc + c] = go[(size_t)fail[s] * nc + c];
			}
		}
	}

	/* outputs: own phrases, then those of the failure state (done earlier in BFS) */
	size_t total = 0, cap = nstate;
	lx->out_start = calloc(nstate, sizeof *lx->out_start);
	lx->out_len = calloc(nstate, sizeof *lx->out_len);
	lx->outs = malloc(cap * sizeof *lx->outs);
	if (!lx->out_start || !lx->out_len || !lx->outs)
		goto out;
	for (size_t i = 0; i <= tail; i++) {
		uint32_t s = i == 0 ? 0 : queue[i - 1];
		size_t n = 0, need;
		for (uint32_t q = own[s]; q; q = next_own[q])
			n++;
		need = n + (s ? lx->out_len[fail[s]] : 0);
		if (total + need > cap) {
			while (total + need > cap)
				cap *= 2;
			unsigned *o = realloc(lx->outs, cap * sizeof *o);
			if (!o)
				goto out;
			lx->outs = o;
		}
		lx->out_start[s] = (unsigned)total;
		for (uint32_t q = own[s]; q; q = next_own[q])
			lx->outs[total++] = q - 1;
		if (s && lx->out_len[fail[s]]) {
			memcpy(lx->outs + total, lx->outs + lx->out_start[fail[s]],
			       lx->out_len[fail[s]] * sizeof *lx->outs);
			total += lx->out_len[fail[s]];
		}
		lx->out_len[s] = (unsigned)(total - lx->out_start[s]);
	}

	/* one class for the classes whose columns are alike in every state */
	if (merge_classes(lx, go, nstate) < 0)
		goto out;
	nc = lx->nclass;
	if (nstate <= HAS_OUT16 - 1) {
		if (!(lx->dfa16 = malloc(nstate * nc * sizeof *lx->dfa16)))
			goto out;
		for (size_t i = 0; i < nstate * nc; i++) {
			uint32_t u = go[i];
			lx->dfa16[i] = (uint16_t)(u | (lx->out_len[u] ? HAS_OUT16 : 0));
		}
	} else {
		/* rows pre-multiplied by nc; flag the rows that end a phrase */
		for (size_t i = 0; i < nstate * nc; i++) {
			uint32_t u = go[i];
			go[i] = (uint32_t)(u * nc) | (lx->out_len[u] ? HAS_OUT : 0);
		}
		uint32_t *shrunk = realloc(go, nstate * nc * sizeof *go);
		lx->dfa = shrunk ? shrunk : go;
		go = NULL;
	}
	lx->nstate = nstate;
	lx->built = 1;
	rc = 0;
out:
	free(go);
	free(fail);
	free(queue);
	free(own);
	free(next_own);
	return rc;
}

/* 1 when t[a..b) is one of the n strings in set. */
static int in_set(const char *t, size_t a, size_t b, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(set[i]) == b - a && memcmp(set[i], t + a, b - a) == 0)
			return 1;
	return 0;
}

/* 1 when s[0..len) starts with one of the n strings in set. */
static int starts_with_any(const unsigned char *s, size_t len, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(set[i]) <= len && memcmp(s, set[i], strlen(set[i])) == 0)
			return 1;
	return 0;
}

/*
 * Check the boundaries of phrase p found at text[start..end). Returns the end
 * of the match (with its plural or suffix), or 0 when it is not a match.
 */
static size_t accept(const struct lexicon *lx, unsigned p, const char *text, size_t n, size_t start,
		     size_t end)
{
	const unsigned char *t = (const unsigned char *)text;
	const unsigned char *ph = (const unsigned char *)lx->text.p + lx->off[p];
	unsigned fl = lx->flags[p];

	if (start > 0 && textfold_word_byte(ph[0]) && textfold_word_byte(t[start - 1])) {
		size_t ws = start;
		if (!(fl & LEXICON_AR_PREFIX))
			return 0;
		while (ws > 0 && textfold_word_byte(t[ws - 1]))
			ws--;
		if (!in_set(text, ws, start, ar_prefixes,
			    sizeof ar_prefixes / sizeof *ar_prefixes) &&
		    !(in_set(text, ws, start, ar_future, sizeof ar_future / sizeof *ar_future) &&
		      starts_with_any(ph, lx->len[p], ar_imperfect,
				      sizeof ar_imperfect / sizeof *ar_imperfect)))
			return 0;
	}
	if (end == n || !textfold_word_byte(ph[lx->len[p] - 1]) || !textfold_word_byte(t[end]))
		return end;
	if (fl & LEXICON_PLURAL) {
		if (t[end] == 's' && (end + 1 == n || !textfold_word_byte(t[end + 1])))
			return end + 1;
		if (t[end] == 'e' && end + 1 < n && t[end + 1] == 's' &&
		    (end + 2 == n || !textfold_word_byte(t[end + 2])))
			return end + 2;
	}
	if (fl & LEXICON_AR_SUFFIX) {
		size_t we = end;
		while (we < n && textfold_word_byte(t[we]))
			we++;
		if (in_set(text, end, we, ar_suffixes, sizeof ar_suffixes / sizeof *ar_suffixes))
			return we;
	}
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct lexicon_match *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return (x->value > y->value) - (x->value < y->value);
}

/* Add the phrases state s ends at text[i] to out (found so far); returns found. */
static size_t hits(const struct lexicon *lx, size_t s, const char *text, size_t n, size_t i,
		   struct lexicon_match *out, size_t max, size_t found)
{
	for (unsigned k = 0; k < lx->out_len[s]; k++) {
		unsigned p = lx->outs[lx->out_start[s] + k];
		size_t start = i + 1 - lx->len[p], end;
		if (!(end = accept(lx, p, text, n, start, i + 1)))
			continue;
		if (found < max)
			out[found++] =
			    (struct lexicon_match){(unsigned)start, (unsigned)end, lx->value[p]};
	}
	return found;
}

size_t lexicon_scan(const struct lexicon *lx, const char *text, size_t n, struct lexicon_match *out,
		    size_t max)
{
	const unsigned char *t = (const unsigned char *)text;
	const uint32_t *dfa = lx->dfa;
	const uint16_t *dfa16 = lx->dfa16;
	const unsigned char *cls = lx->cls;
	size_t found = 0, kept = 0, nc = lx->nclass;
	uint32_t row = 0;

	if (!lx->built || max == 0)
		return 0;
	if (dfa16) {
		for (size_t i = 0; i < n; i++) {
			unsigned u = dfa16[row + cls[t[i]]];
			row = (uint32_t)((u & (HAS_OUT16 - 1)) * nc);
			if (u & HAS_OUT16)
				found = hits(lx, u & (HAS_OUT16 - 1), text, n, i, out, max, found);
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			uint32_t u = dfa[row + cls[t[i]]];
			row = u & ~HAS_OUT;
			if (u & HAS_OUT)
				found = hits(lx, row / nc, text, n, i, out, max, found);
		}
	}
	/* insertion sort: matches come ordered by end, so nearly ordered by start */
	for (size_t i = 1; i < found; i++) {
		struct lexicon_match x = out[i];
		size_t j = i;
		while (j > 0 && by_start(&out[j - 1], &x) > 0) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = x;
	}

	/* drop matches inside a longer one (sorted by start, longest first) */
	unsigned maxend = 0, maxend_start = 0;
	for (size_t i = 0; i < found; i++) {
		struct lexicon_match m = out[i];
		if (i > 0 && (m.end < maxend || (m.end == maxend && maxend_start < m.start)))
			continue;
		if (i == 0 || m.end > maxend) {
			maxend = m.end;
			maxend_start = m.start;
		}
		out[kept++] = m;
	}
	return kept;
}

size_t lexicon_phrases(const struct lexicon *lx)
{
	return lx->nphrase;
}

size_t lexicon_states(const struct lexicon *lx)
{
	return lx->nstate;
}

void lexicon_free(struct lexicon *lx)
{
	if (!lx)
		return;
	buf_free(&lx->text);
	free(lx->off);
	free(lx->len);
	free(lx->flags);
	free(lx->value);
	free(lx->dfa);
	free(lx->dfa16);
	free(lx->out_start);
	free(lx->out_len);
	free(lx->outs);
	free(lx);
}
