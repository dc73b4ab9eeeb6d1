/*
 * textfold.c: folding for matching, by hand on UTF-8 code points (see textfold.h).
 *
 * One pass, no allocation, no locale: a table for ASCII, a table for
 * U+00C0–U+017F, and range tests for the rest.
 */
#include <stdint.h>

#include "ccc/textfold.h"

enum { DROP = -1 };

/* ASCII: lowercase; white space and control characters → ' '; '-' '_' → ' '. */
/* clang-format off */
static const unsigned char ascii_fold[128] = {
	' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	' ', '!', '"', '#', '$', '%', '&', '\'', '(', ')', '*', '+', ',', ' ', '.', '/',
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
	'@', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '[', '\\', ']', '^', ' ',
	'`', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '{', '|', '}', '~', ' ',
};

/* U+00C0–U+017F: the base letter, lowercase, at most two bytes. */
static const char latin_fold[0x180 - 0xC0][3] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", /* U+00C0 */
	"d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss", /* U+00D0 */
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", /* U+00E0 */
	"d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y", /* U+00F0 */
	"a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d", /* U+0100 */
	"d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g", /* U+0110 */
	"g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i", /* U+0120 */
	"i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l", /* U+0130 */
	"l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o", /* U+0140 */
	"o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s", /* U+0150 */
	"s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u", /* U+0160 */
	"u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s", /* U+0170 */
};
/* clang-format on */

/*
 * Decode one code point at p (end at e). Returns it and sets *len; an invalid
 * or truncated sequence gives U+FFFD with *len = 1.
 */
static uint32_t decode(const unsigned char *p, const unsigned char *e, int *len)
{
	uint32_t c = p[0];
	ptrdiff_t left = e - p;

	if (c >= 0xC2 && c <= 0xDF && left >= 2 && (p[1] & 0xC0) == 0x80) {
		*len = 2;
		return (c & 0x1F) << 6 | (p[1] & 0x3F);
	}
	if (c >= 0xE0 && c <= 0xEF && left >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		c = (c & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
		if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
			*len = 3;
			return c;
		}
	} else if (c >= 0xF0 && c <= 0xF4 && left >= 4 && (p[1] & 0xC0) == 0x80 &&
		   (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
		c = (c & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
		    (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
		if (c >= 0x10000 && c <= 0x10FFFF) {
			*len = 4;
			return c;
		}
	}
	*len = 1;
	return 0xFFFD;
}

/*
 * What code point c (outside ASCII and U+00C0–U+017F) folds to: itself,
 * another code point, an ASCII character, ' ', or DROP.
 */
static int32_t fold_cp(uint32_t c)
{
	if (c < 0xC0) { /* C1 controls and Latin-1 punctuation and symbols */
		switch (c) {
		case 0xAB:
		case 0xBB: return '"';
		case 0xA1: return '!';
		case 0xBF: return '?';
		case 0xAA: return 'a';
		case 0xBA: return 'o';
		case 0xAD: return DROP; /* soft hyphen */
		case 0xB2: return '2';
		case 0xB3: return '3';
		case 0xB9: return '1';
		default: return ' ';
		}
	}
	if (c < 0x0300) {
		if (c == 0x218 || c == 0x219)
			return 's';
		if (c == 0x21A || c == 0x21B)
			return 't';
		return (int32_t)c;
	}
	if (c <= 0x036F)
		return DROP;
	if (c < 0x0600) {
		if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
			return (int32_t)c + 0x20;
		if (c >= 0x410 && c <= 0x42F)
			return (int32_t)c + 0x20;
		if (c >= 0x400 && c <= 0x40F)
			return (int32_t)c + 0x50;
		return (int32_t)c;
	}
	if (c <= 0x06FF) {
		switch (c) {
		case 0x0622:
		case 0x0623:
		case 0x0625:
		case 0x0671: return 0x0627;
		case 0x0649:
		case 0x06CC: return 0x064A;
		case 0x0629: return 0x0647;
		case 0x06A9: return 0x0643;
		case 0x0640:
		case 0x0670: return DROP;
		case 0x060C:
		case 0x066C: return ',';
		case 0x061B: return ';';
		case 0x061F: return '?';
		case 0x066A: return '%';
		case 0x066B:
		case 0x06D4: return '.';
		}
		if (c >= 0x064B && c <= 0x065F)
			return DROP;
		if (c >= 0x06D6 && c <= 0x06ED)
			return DROP;
		if (c >= 0x0660 && c <= 0x0669)
			return '0' + (int32_t)(c - 0x0660);
		if (c >= 0x06F0 && c <= 0x06F9)
			return '0' + (int32_t)(c - 0x06F0);
		return (int32_t)c;
	}
	if (c >= 0x2000 && c <= 0x2BFF) {
		if ((c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064))
			return DROP;
		if (c >= 0x2018 && c <= 0x201B)
			return '\'';
		if (c >= 0x201C && c <= 0x201F)
			return '"';
		if (c == 0x2039 || c == 0x203A)
			return '"';
		if (c == 0x2026)
			return '.';
		return ' '; /* spaces, dashes, bullets, currency, symbols */
	}
	if (c == 0xFEFF)
		return DROP;
	if (c >= 0xFF01 && c <= 0xFF5E)
		return (int32_t)c - 0xFEE0; /* fullwidth ASCII */
	if (c == 0x3000)
		return ' ';
	if (c >= 0x1F000 && c <= 0x1FAFF)
		return ' '; /* emoji and pictographs */
	return (int32_t)c;
}

static unsigned char *put_cp(unsigned char *o, uint32_t c)
{
	if (c < 0x800) {
		*o++ = (unsigned char)(0xC0 | c >> 6);
		*o++ = (unsigned char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*o++ = (unsigned char)(0xE0 | c >> 12);
		*o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		*o++ = (unsigned char)(0x80 | (c & 0x3F));
	} else {
		*o++ = (unsigned char)(0xF0 | c >> 18);
		*o++ = (unsigned char)(0x80 | (c >> 12 & 0x3F));
		*o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		*o++ = (unsigned char)(0x80 | (c & 0x3F));
	}
	return o;
}

/*
 * Fold in[0..n) to out; space says whether the text before out ended in a
 * space (so that a leading run collapses into it). Returns the bytes written.
 */
static size_t fold_into(const char *in, size_t n, char *out, int space)
{
	const unsigned char *p = (const unsigned char *)in, *e = p + n;
	unsigned char *o = (unsigned char *)out;

	while (p < e) {
		uint32_t c = *p;
		int32_t f;
		int len;

		if (c < 0x80) {
			unsigned char a = ascii_fold[c];
			p++;
			if (a == ' ') {
				if (!space)
					*o++ = ' ';
				space = 1;
			} else {
				*o++ = a;
				space = 0;
			}
			continue;
		}
		c = decode(p, e, &len);
		p += len;
		if (c >= 0xC0 && c < 0x180) {
			const char *l = latin_fold[c - 0xC0];
			if (l[0] == ' ') {
				if (!space)
					*o++ = ' ';
				space = 1;
				continue;
			}
			*o++ = (unsigned char)l[0];
			if (l[1])
				*o++ = (unsigned char)l[1];
			space = 0;
			continue;
		}
		f = c == 0xFFFD && len == 1 ? ' ' : fold_cp(c);
		if (f == DROP)
			continue;
		if (f < 0x80)
			f = ascii_fold[f];
		if (f == ' ') {
			if (!space)
				*o++ = ' ';
			space = 1;
		} else if (f < 0x80) {
			*o++ = (unsigned char)f;
			space = 0;
		} else {
			o = put_cp(o, (uint32_t)f);
			space = 0;
		}
	}
	*o = '\0';
	return (size_t)(o - (unsigned char *)out);
}

size_t textfold(const char *in, size_t n, char *out)
{
	return fold_into(in, n, out, 0);
}

void textfold_buf(struct buf *b, const char *in, size_t n)
{
	int space = b->len > 0 && b->p[b->len - 1] == ' ';

	buf_grow(b, n + 1);
	b->len += fold_into(in, n, b->p + b->len, space);
}
