/*
 * similarity.c: Jaro-Winkler and Metaphone, by code point.
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

/* Decode s into b (b->p is malloc'd, even when empty), upper-cased with the full
 * Unicode case mapping (root locale, "ß" -> "SS") and, with nfkd, replaced by its
 * compatibility decomposition. Returns 0, or -1 on failure. */
static int decode(const char *s, struct u32buf *b, int nfkd)
{
	size_t len = strlen(s);
	UErrorCode err = U_ZERO_ERROR;
	UChar *u = NULL, *v = NULL;
	int32_t un = 0, vn;

	b->n = 0;
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

double jaro_winkler_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
			int long_tolerance)
{
	return jaro_core(a, na, b, nb, long_tolerance ? 2 : 1);
}

/* --- phonetic codes ------------------------------------------------------- */

static int is_vowel(uint32_t c)
{
	return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
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
	if (!*s || decode(s, &v, 1) < 0)
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
