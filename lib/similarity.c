/*
 * similarity.c: Jaro, Jaro-Winkler, edit distances and phonetic codes, by code point.
 *
 * Behaviour matches jellyfish's reference implementation (see similarity.h); the
 * comments name the places where a rule is jellyfish's own choice.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

#include "ccc/similarity.h"
#include "ccc/utf8.h"

/* A growable code-point array. */
struct u32buf {
	uint32_t *p;
	size_t n, cap;
};

static int u32_push(struct u32buf *b, uint32_t c)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		uint32_t *p = realloc(b->p, cap * sizeof *p);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	b->p[b->n++] = c;
	return 0;
}

size_t utf8_to_u32(const char *a, size_t n, uint32_t *out, size_t max)
{
	const char *p = a, *end = a + n;
	size_t count = 0;

	while (p < end) {
		uint32_t c;
		if (utf8_valid_prefix(p, (size_t)(end - p), 1)) {
			c = utf8_next(&p);
		} else {
			c = 0xFFFD;
			p++;
		}
		if (out && count < max)
			out[count] = c;
		count++;
	}
	return count;
}

/* Decode s into b (b->p is malloc'd, even when empty); with fold, upper-case it
 * with the full Unicode case mapping (root locale, "ß" -> "SS") and, with nfkd,
 * replace it by its compatibility decomposition. Returns 0, or -1 on failure. */
static int decode(const char *s, struct u32buf *b, int fold, int nfkd)
{
	size_t len = strlen(s);
	UErrorCode err = U_ZERO_ERROR;
	UChar *u = NULL, *v = NULL;
	int32_t un = 0, vn;

	b->n = 0;
	if (!fold) {
		size_t n = utf8_to_u32(s, len, NULL, 0);
		b->cap = n ? n : 1;
		b->p = malloc(b->cap * sizeof *b->p);
		if (!b->p)
			return -1;
		b->n = utf8_to_u32(s, len, b->p, n);
		return 0;
	}
	if (len > INT32_MAX / 4)
		return -1;
	b->p = NULL;
	/* UTF-16 is never longer in units than UTF-8 in bytes; upper-casing can
	 * triple it, NFKD can grow it up to 18 times, so both are sized by preflight */
	u = malloc((len + 1) * sizeof *u);
	if (!u)
		return -1;
	u_strFromUTF8WithSub(u, (int32_t)len + 1, &un, s, (int32_t)len, 0xFFFD, NULL, &err);
	if (U_FAILURE(err))
		goto fail;
	vn = u_strToUpper(NULL, 0, u, un, "", &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		goto fail;
	err = U_ZERO_ERROR;
	v = malloc(((size_t)vn + 1) * sizeof *v);
	if (!v)
		goto fail;
	vn = u_strToUpper(v, vn + 1, u, un, "", &err);
	if (U_FAILURE(err))
		goto fail;
	free(u);
	u = v;
	un = vn;
	v = NULL;
	if (nfkd) {
		const UNormalizer2 *kd = unorm2_getNFKDInstance(&err);
		if (U_FAILURE(err))
			goto fail;
		vn = unorm2_normalize(kd, u, un, NULL, 0, &err);
		if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
			goto fail;
		err = U_ZERO_ERROR;
		v = malloc(((size_t)vn + 1) * sizeof *v);
		if (!v)
			goto fail;
		vn = unorm2_normalize(kd, u, un, v, vn + 1, &err);
		if (U_FAILURE(err))
			goto fail;
		free(u);
		u = v;
		un = vn;
		v = NULL;
	}
	b->cap = un ? (size_t)un : 1;
	b->p = malloc(b->cap * sizeof *b->p);
	if (!b->p)
		goto fail;
	for (int32_t k = 0; k < un;) {
		UChar32 c;
		U16_NEXT(u, k, un, c);
		b->p[b->n++] = (uint32_t)c;
	}
	free(u);
	return 0;
fail:
	free(u);
	free(v);
	return -1;
}

static size_t utf8_width(uint32_t c)
{
	return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/* Encode cp[0..n) as UTF-8 into out[outsz], whole code points only; returns the
 * length of the full encoding. */
static size_t encode(const uint32_t *cp, size_t n, char *out, size_t outsz)
{
	size_t len = 0, written = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t c = cp[i];
		size_t k = utf8_width(c);
		if (outsz && written == len && len + k < outsz) {
			char *u = out + len;
			if (k == 1) {
				u[0] = (char)c;
			} else if (k == 2) {
				u[0] = (char)(0xC0 | c >> 6);
				u[1] = (char)(0x80 | (c & 0x3F));
			} else if (k == 3) {
				u[0] = (char)(0xE0 | c >> 12);
				u[1] = (char)(0x80 | (c >> 6 & 0x3F));
				u[2] = (char)(0x80 | (c & 0x3F));
			} else {
				u[0] = (char)(0xF0 | c >> 18);
				u[1] = (char)(0x80 | (c >> 12 & 0x3F));
				u[2] = (char)(0x80 | (c >> 6 & 0x3F));
				u[3] = (char)(0x80 | (c & 0x3F));
			}
			written += k;
		}
		len += k;
	}
	if (outsz)
		out[written] = '\0';
	return len;
}

/* --- Jaro and Jaro-Winkler ------------------------------------------------ */

/* Jaro with jellyfish's Winkler and long-tolerance options (winkler: 0 none, 1
 * Winkler, 2 Winkler with long tolerance). */
static double jaro_core(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, int winkler)
{
	unsigned char fa_stack[64], fb_stack[64];
	unsigned char *fa = fa_stack, *fb = fb_stack;
	size_t common = 0, trans = 0, range, minlen;
	double w;

	if (!na || !nb)
		return 0.0;
	minlen = na < nb ? na : nb;
	range = (na > nb ? na : nb) / 2;
	range = range ? range - 1 : 0;
	if (na > sizeof fa_stack || nb > sizeof fb_stack) {
		fa = calloc(na, 1);
		fb = calloc(nb, 1);
		if (!fa || !fb) {
			free(fa);
			free(fb);
			return 0.0;
		}
	} else {
		memset(fa, 0, na);
		memset(fb, 0, nb);
	}
	for (size_t i = 0; i < na; i++) {
		size_t lo = i > range ? i - range : 0;
		size_t hi = i + range < nb - 1 ? i + range : nb - 1;
		for (size_t j = lo; j <= hi; j++) {
			if (!fb[j] && b[j] == a[i]) {
				fa[i] = fb[j] = 1;
				common++;
				break;
			}
		}
	}
	if (common) {
		size_t k = 0;
		for (size_t i = 0; i < na; i++) {
			if (!fa[i])
				continue;
			size_t j = k;
			while (j < nb && !fb[j])
				j++;
			k = j + 1;
			if (j < nb && a[i] != b[j])
				trans++;
		}
	}
	if (fa != fa_stack) {
		free(fa);
		free(fb);
	}
	if (!common)
		return 0.0;
	trans /= 2;
	double c = (double)common;
	w = (c / (double)na + c / (double)nb + (c - (double)trans) / c) / 3.0;
	if (winkler && w > 0.7) {
		size_t i = 0, j = minlen < 4 ? minlen : 4;
		while (i < j && a[i] == b[i])
			i++;
		if (i)
			w += (double)i * 0.1 * (1.0 - w);
		/* jellyfish: after the agreeing prefix at least two more must agree and
		 * the agreed ones be more than half of the rest */
		if (winkler == 2 && minlen > 4 && common > i + 1 && 2 * common >= minlen + i)
			w += (1.0 - w) * (c - (double)i - 1.0) /
			     ((double)na + (double)nb - (double)i * 2.0 + 2.0);
	}
	return w;
}

double jaro_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return jaro_core(a, na, b, nb, 0);
}

double jaro_winkler_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
			int long_tolerance)
{
	return jaro_core(a, na, b, nb, long_tolerance ? 2 : 1);
}

static double jaro_str(const char *a, const char *b, int winkler)
{
	struct u32buf ua, ub;
	double r = 0.0;

	if (decode(a, &ua, 0, 0) < 0)
		return 0.0;
	if (decode(b, &ub, 0, 0) == 0) {
		r = jaro_core(ua.p, ua.n, ub.p, ub.n, winkler);
		free(ub.p);
	}
	free(ua.p);
	return r;
}

double jaro_similarity(const char *a, const char *b)
{
	return jaro_str(a, b, 0);
}

double jaro_winkler_similarity(const char *a, const char *b)
{
	return jaro_str(a, b, 1);
}

double jaro_winkler_similarity_longtol(const char *a, const char *b)
{
	return jaro_str(a, b, 2);
}

/* --- edit distances ------------------------------------------------------- */

size_t levenshtein_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t stack[65], *row = stack;

	if (!na)
		return nb;
	if (!nb)
		return na;
	if (nb + 1 > sizeof stack / sizeof stack[0]) {
		row = malloc((nb + 1) * sizeof *row);
		if (!row)
			return na > nb ? na : nb;
	}
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[nb];
	if (row != stack)
		free(row);
	return d;
}

/* Lowrance-Wagner: the full Damerau-Levenshtein distance, with a table of the last
 * row in which each code point of a was seen. */
size_t damerau_levenshtein_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t inf = na + nb, w = nb + 2, d;
	size_t *h = malloc((na + 2) * w * sizeof *h);
	uint32_t *seen_cp = malloc((na + 1) * sizeof *seen_cp);
	size_t *seen_row = malloc((na + 1) * sizeof *seen_row), nseen = 0;

	if (!h || !seen_cp || !seen_row) {
		free(h);
		free(seen_cp);
		free(seen_row);
		return inf;
	}
#define H(i, j) h[(i)*w + (j)]
	H(0, 0) = inf;
	for (size_t i = 0; i <= na; i++) {
		H(i + 1, 0) = inf;
		H(i + 1, 1) = i;
	}
	for (size_t j = 0; j <= nb; j++) {
		H(0, j + 1) = inf;
		H(1, j + 1) = j;
	}
	for (size_t i = 1; i <= na; i++) {
		size_t db = 0;
		for (size_t j = 1; j <= nb; j++) {
			size_t i1 = 0, j1 = db, cost = 1;
			for (size_t k = 0; k < nseen; k++)
				if (seen_cp[k] == b[j - 1]) {
					i1 = seen_row[k];
					break;
				}
			if (a[i - 1] == b[j - 1]) {
				cost = 0;
				db = j;
			}
			size_t best = H(i, j) + cost;
			if (H(i + 1, j) + 1 < best)
				best = H(i + 1, j) + 1;
			if (H(i, j + 1) + 1 < best)
				best = H(i, j + 1) + 1;
			size_t tr = H(i1, j1) + (i - i1 - 1) + 1 + (j - j1 - 1);
			if (tr < best)
				best = tr;
			H(i + 1, j + 1) = best;
		}
		size_t k = 0;
		while (k < nseen && seen_cp[k] != a[i - 1])
			k++;
		if (k == nseen) {
			seen_cp[nseen] = a[i - 1];
			nseen++;
		}
		seen_row[k] = i;
	}
	d = H(na + 1, nb + 1);
#undef H
	free(h);
	free(seen_cp);
	free(seen_row);
	return d;
}

static size_t distance_str(const char *a, const char *b,
			   size_t (*fn)(const uint32_t *, size_t, const uint32_t *, size_t))
{
	struct u32buf ua, ub;
	size_t r = 0;

	if (decode(a, &ua, 0, 0) < 0)
		return (size_t)-1;
	if (decode(b, &ub, 0, 0) == 0) {
		r = fn(ua.p, ua.n, ub.p, ub.n);
		free(ub.p);
	} else {
		r = (size_t)-1;
	}
	free(ua.p);
	return r;
}

size_t levenshtein_distance(const char *a, const char *b)
{
	return distance_str(a, b, levenshtein_u32);
}

size_t damerau_levenshtein_distance(const char *a, const char *b)
{
	return distance_str(a, b, damerau_levenshtein_u32);
}

static size_t hamming_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb, d = na > nb ? na - nb : nb - na;
	for (size_t i = 0; i < n; i++)
		d += a[i] != b[i];
	return d;
}

size_t hamming_distance(const char *a, const char *b)
{
	return distance_str(a, b, hamming_u32);
}

/* --- phonetic codes ------------------------------------------------------- */

static int is_vowel(uint32_t c)
{
	return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

static char soundex_digit(uint32_t c)
{
	switch (c) {
	case 'B':
	case 'F':
	case 'P':
	case 'V': return '1';
	case 'C':
	case 'G':
	case 'J':
	case 'K':
	case 'Q':
	case 'S':
	case 'X':
	case 'Z': return '2';
	case 'D':
	case 'T': return '3';
	case 'L': return '4';
	case 'M':
	case 'N': return '5';
	case 'R': return '6';
	default: return 0;
	}
}

size_t soundex(const char *s, char *out, size_t outsz)
{
	struct u32buf v;
	uint32_t code[4];
	size_t n = 1;

	if (outsz)
		*out = '\0';
	if (!*s || decode(s, &v, 1, 1) < 0)
		return 0;
	if (!v.n) {
		free(v.p);
		return 0;
	}
	code[0] = v.p[0];
	char last = soundex_digit(v.p[0]);
	for (size_t i = 1; i < v.n && n < 4; i++) {
		char d = soundex_digit(v.p[i]);
		if (d) {
			if (d != last)
				code[n++] = (uint32_t)d;
			last = d;
		} else if (v.p[i] != 'H' && v.p[i] != 'W') {
			last = 0; /* H and W do not separate equal codes; vowels do */
		}
	}
	while (n < 4)
		code[n++] = '0';
	free(v.p);
	return encode(code, 4, out, outsz);
}

size_t nysiis(const char *s, char *out, size_t outsz)
{
	struct u32buf v, key = {0};
	size_t r;

	if (outsz)
		*out = '\0';
	if (!*s || decode(s, &v, 1, 0) < 0)
		return 0;
	uint32_t *p = v.p;
	size_t n = v.n;
	uint32_t last2[2] = {0, 0};
	if (n >= 2) {
		last2[0] = p[n - 2];
		last2[1] = p[n - 1];
	}
#define AT(i, c) ((i) < n && p[i] == (uint32_t)(c))
	/* step 1: prefixes */
	if (AT(0, 'M') && AT(1, 'A') && AT(2, 'C')) {
		p[1] = 'C';
	} else if (AT(0, 'K') && AT(1, 'N')) {
		memmove(p, p + 1, --n * sizeof *p);
	} else if (AT(0, 'K')) {
		p[0] = 'C';
	} else if (AT(0, 'P') && (AT(1, 'H') || AT(1, 'F'))) {
		p[0] = p[1] = 'F';
	} else if (AT(0, 'S') && AT(1, 'C') && AT(2, 'H')) {
		p[1] = p[2] = 'S';
	}
	/* step 2: suffixes, judged on the input before step 1 as jellyfish does */
	if (v.n >= 2 && n >= 2) {
		uint32_t x = last2[0], y = last2[1];
		if ((x == 'I' || x == 'E') && y == 'E') {
			n -= 2;
			p[n++] = 'Y';
		} else if (((x == 'D' || x == 'R' || x == 'N') && y == 'T') ||
			   ((x == 'R' || x == 'N') && y == 'D')) {
			n -= 2;
			p[n++] = 'D';
		}
	}
	if (!n)
		goto done;
	/* step 3: the key starts with the first letter; step 4: translate the rest */
	if (u32_push(&key, p[0]) < 0)
		goto done;
	for (size_t i = 1; i < n; i++) {
		uint32_t ch[2];
		size_t nch = 1;
		uint32_t c = p[i];
		if (c == 'E' && AT(i + 1, 'V')) {
			ch[0] = 'A';
			ch[1] = 'F';
			nch = 2;
			i++;
		} else if (is_vowel(c)) {
			ch[0] = 'A';
		} else if (c == 'Q') {
			ch[0] = 'G';
		} else if (c == 'Z') {
			ch[0] = 'S';
		} else if (c == 'M') {
			ch[0] = 'N';
		} else if (c == 'K') {
			ch[0] = AT(i + 1, 'N') ? 'N' : 'C';
		} else if (c == 'S' && AT(i + 1, 'C') && AT(i + 2, 'H')) {
			ch[0] = ch[1] = 'S';
			nch = 2;
			i += 2;
		} else if (c == 'P' && AT(i + 1, 'H')) {
			ch[0] = 'F';
			i++;
		} else if (c == 'H' && (!is_vowel(p[i - 1]) || (i + 1 < n && !is_vowel(p[i + 1])) ||
					i + 1 == n)) {
			ch[0] = is_vowel(p[i - 1]) ? 'A' : p[i - 1];
		} else if (c == 'W' && is_vowel(p[i - 1])) {
			ch[0] = p[i - 1];
		} else {
			ch[0] = c;
		}
		if (ch[nch - 1] != key.p[key.n - 1])
			for (size_t k = 0; k < nch; k++)
				if (u32_push(&key, ch[k]) < 0)
					goto done;
	}
#undef AT
	/* steps 5-7: drop a trailing S, turn a final AY into Y, drop a trailing A */
	if (key.n > 1 && key.p[key.n - 1] == 'S')
		key.n--;
	if (key.n >= 2 && key.p[key.n - 2] == 'A' && key.p[key.n - 1] == 'Y') {
		key.p[key.n - 2] = 'Y';
		key.n--;
	}
	if (key.n > 1 && key.p[key.n - 1] == 'A')
		key.n--;
done:
	r = encode(key.p, key.n, out, outsz);
	free(key.p);
	free(v.p);
	return r;
}

static int is_iey(uint32_t c)
{
	return c == 'I' || c == 'E' || c == 'Y';
}

size_t metaphone(const char *s, char *out, size_t outsz)
{
	struct u32buf v, r = {0};
	size_t len;

	if (outsz)
		*out = '\0';
	if (!*s || decode(s, &v, 1, 1) < 0)
		return 0;
	uint32_t *p = v.p;
	size_t n = v.n;
	if (n >= 2 && ((p[0] == 'K' && p[1] == 'N') || (p[0] == 'G' && p[1] == 'N') ||
		       (p[0] == 'P' && p[1] == 'N') || (p[0] == 'W' && p[1] == 'R') ||
		       (p[0] == 'A' && p[1] == 'E'))) {
		p++;
		n--;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t c = p[i];
		uint32_t next = i + 1 < n ? p[i + 1] : 0;
		uint32_t next2 = i + 2 < n ? p[i + 2] : 0;
		uint32_t prev = i ? p[i - 1] : 0;
		uint32_t o[2];
		size_t no = 0;

		if (c == next && c != 'C')
			continue; /* doubled letters count once, except CC */
		switch (c) {
		case 'A':
		case 'E':
		case 'I':
		case 'O':
		case 'U':
			if (i == 0 || prev == ' ')
				o[no++] = c;
			break;
		case 'B':
			if (prev != 'M' || next)
				o[no++] = 'B';
			break;
		case 'C':
			if ((next == 'I' && next2 == 'A') || next == 'H') {
				i++;
				o[no++] = 'X';
			} else if (is_iey(next)) {
				i++;
				o[no++] = 'S';
			} else {
				o[no++] = 'K';
			}
			break;
		case 'D':
			if (next == 'G' && is_iey(next2)) {
				i += 2;
				o[no++] = 'J';
			} else {
				o[no++] = 'T';
			}
			break;
		case 'F':
		case 'J':
		case 'L':
		case 'M':
		case 'N':
		case 'R': o[no++] = c; break;
		case 'G':
			if (is_iey(next))
				o[no++] = 'J';
			else if ((next == 'H' && next2 && !is_vowel(next2)) ||
				 (next == 'N' && !next2))
				i++;
			else
				o[no++] = 'K';
			break;
		case 'H':
			if (i == 0 || is_vowel(next) || !is_vowel(prev))
				o[no++] = 'H';
			break;
		case 'K':
			if (prev != 'C')
				o[no++] = 'K';
			break;
		case 'P':
			if (next == 'H') {
				i++;
				o[no++] = 'F';
			} else {
				o[no++] = 'P';
			}
			break;
		case 'Q': o[no++] = 'K'; break;
		case 'S':
			if (next == 'H') {
				i++;
				o[no++] = 'X';
			} else if (next == 'I' && (next2 == 'O' || next2 == 'A')) {
				i += 2;
				o[no++] = 'X';
			} else {
				o[no++] = 'S';
			}
			break;
		case 'T':
			if (next == 'I' && (next2 == 'O' || next2 == 'A')) {
				o[no++] = 'X';
			} else if (next == 'H') {
				i++;
				o[no++] = '0';
			} else if (next != 'C' || next2 != 'H') {
				o[no++] = 'T';
			}
			break;
		case 'V': o[no++] = 'F'; break;
		case 'W':
			if (i == 0 && next == 'H') {
				i++;
				o[no++] = 'W';
			} else if (is_vowel(next)) {
				o[no++] = 'W';
			}
			break;
		case 'X':
			if (i == 0) {
				o[no++] =
				    next == 'H' || (next == 'I' && (next2 == 'O' || next2 == 'A'))
					? 'X'
					: 'S';
			} else {
				o[no++] = 'K';
				o[no++] = 'S';
			}
			break;
		case 'Y':
			if (is_vowel(next))
				o[no++] = 'Y';
			break;
		case 'Z': o[no++] = 'S'; break;
		case ' ':
			if (r.n && r.p[r.n - 1] != ' ')
				o[no++] = ' ';
			break;
		default: break; /* digits, marks, other scripts */
		}
		for (size_t k = 0; k < no; k++)
			if (u32_push(&r, o[k]) < 0)
				goto done;
	}
done:
	len = encode(r.p, r.n, out, outsz);
	free(r.p);
	free(v.p);
	return len;
}

/* The codex as code points into c[0..6]; returns its length. Spaces are ignored
 * (the Python jellyfish rule); the first letter is kept, then every consonant that
 * does not repeat the previous letter; longer codices keep 3 + last 3. */
static size_t mra_codex(const char *s, uint32_t c[6])
{
	struct u32buf v, k = {0};
	size_t n = 0;
	uint32_t prev = 0;
	int first = 1;

	if (decode(s, &v, 1, 0) < 0)
		return 0;
	for (size_t i = 0; i < v.n; i++) {
		uint32_t x = v.p[i];
		if (x == ' ')
			continue;
		if ((first || (!is_vowel(x) && x != prev)) && u32_push(&k, x) < 0)
			break;
		prev = x;
		first = 0;
	}
	if (k.n > 6) {
		memcpy(c, k.p, 3 * sizeof *c);
		memcpy(c + 3, k.p + k.n - 3, 3 * sizeof *c);
		n = 6;
	} else {
		if (k.n)
			memcpy(c, k.p, k.n * sizeof *c);
		n = k.n;
	}
	free(k.p);
	free(v.p);
	return n;
}

size_t match_rating_codex(const char *s, char *out, size_t outsz)
{
	uint32_t c[6];
	size_t n = mra_codex(s, c);
	return encode(c, n, out, outsz);
}

int match_rating_comparison(const char *a, const char *b)
{
	uint32_t c1[6], c2[6], r1[6], r2[6];
	size_t n1 = mra_codex(a, c1), n2 = mra_codex(b, c2), m1 = 0, m2 = 0;
	size_t u1 = 0, u2 = 0, sum = n1 + n2, min_rating;

	if ((n1 > n2 ? n1 - n2 : n2 - n1) >= 3)
		return -1;
	min_rating = sum <= 4 ? 5 : sum <= 7 ? 4 : sum <= 11 ? 3 : 2;
	/* drop the code points that agree position by position from the left */
	for (size_t i = 0; i < n1 || i < n2; i++) {
		if (i < n1 && i < n2 && c1[i] == c2[i])
			continue;
		if (i < n1)
			r1[m1++] = c1[i];
		if (i < n2)
			r2[m2++] = c2[i];
	}
	/* then count what still disagrees from the right */
	for (size_t i = 0; i < m1 || i < m2; i++) {
		int h1 = i < m1, h2 = i < m2;
		if (h1 && h2 && r1[m1 - 1 - i] == r2[m2 - 1 - i])
			continue;
		u1 += h1;
		u2 += h2;
	}
	return 6 - (u1 > u2 ? u1 : u2) >= min_rating;
}

/* --- token sets ----------------------------------------------------------- */

/* The distinct grams of cp[0..n): non-overlapping chunks of ngram code points, or
 * white-space separated words when ngram is 0. Each gram is (start, length). */
static size_t grams(const uint32_t *cp, size_t n, size_t ngram, size_t (*g)[2])
{
	size_t count = 0;

	for (size_t i = 0; i < n;) {
		size_t start = i, len;
		if (ngram) {
			len = n - i < ngram ? n - i : ngram;
			i += len;
		} else {
			while (i < n && u_isUWhiteSpace((UChar32)cp[i]))
				i++;
			start = i;
			while (i < n && !u_isUWhiteSpace((UChar32)cp[i]))
				i++;
			len = i - start;
			if (!len)
				break;
		}
		size_t k = 0;
		for (; k < count; k++)
			if (g[k][1] == len && !memcmp(cp + g[k][0], cp + start, len * sizeof *cp))
				break;
		if (k == count) {
			g[count][0] = start;
			g[count][1] = len;
			count++;
		}
	}
	return count;
}

double jaccard_similarity(const char *a, const char *b, size_t ngram)
{
	struct u32buf ua, ub;
	size_t(*ga)[2] = NULL, (*gb)[2] = NULL, na, nb, common = 0;
	double r = 0.0;

	if (decode(a, &ua, 0, 0) < 0)
		return 0.0;
	if (decode(b, &ub, 0, 0) < 0) {
		free(ua.p);
		return 0.0;
	}
	ga = malloc((ua.n + 1) * sizeof *ga);
	gb = malloc((ub.n + 1) * sizeof *gb);
	if (ga && gb) {
		na = grams(ua.p, ua.n, ngram, ga);
		nb = grams(ub.p, ub.n, ngram, gb);
		for (size_t i = 0; i < na; i++)
			for (size_t j = 0; j < nb; j++)
				if (ga[i][1] == gb[j][1] &&
				    !memcmp(ua.p + ga[i][0], ub.p + gb[j][0],
					    ga[i][1] * sizeof(uint32_t))) {
					common++;
					break;
				}
		if (na + nb - common)
			r = (double)common / (double)(na + nb - common);
	}
	free(ga);
	free(gb);
	free(ua.p);
	free(ub.p);
	return r;
}
