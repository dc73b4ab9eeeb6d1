/*
 * utf8.c: UTF-8 validation after the table in RFC 3629 section 4, and the
 * width of text on a terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

size_t utf8_valid_prefix(const char *s, size_t n, size_t max_chars)
{
	if (n == 0)
		return 0; /* s may be NULL */
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *start = p;
	size_t chars = 0;
	while (p < end && (!max_chars || chars < max_chars)) {
		unsigned c = *p;
		if (c < 0x80) {
			p++;
		} else if (c >= 0xC2 && c <= 0xDF) {
			if (end - p < 2 || (p[1] & 0xC0) != 0x80)
				break;
			p += 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
				break;
			if (c == 0xE0 && p[1] < 0xA0)
				break; /* overlong */
			if (c == 0xED && p[1] > 0x9F)
				break; /* surrogate */
			p += 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
			    (p[3] & 0xC0) != 0x80)
				break;
			if (c == 0xF0 && p[1] < 0x90)
				break; /* overlong */
			if (c == 0xF4 && p[1] > 0x8F)
				break; /* above U+10FFFF */
			p += 4;
		} else {
			break;
		}
		chars++;
	}
	return (size_t)(p - start);
}

int utf8_valid(const char *p, size_t n)
{
	return utf8_valid_prefix(p, n, 0) == n;
}

uint32_t utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t c = *p;
	int extra = 0;
	if (c >= 0xF0) {
		c &= 0x07;
		extra = 3;
	} else if (c >= 0xE0) {
		c &= 0x0F;
		extra = 2;
	} else if (c >= 0xC0) {
		c &= 0x1F;
		extra = 1;
	}
	p++;
	while (extra--)
		c = c << 6 | (*p++ & 0x3F);
	*s = (const char *)p;
	return c;
}

/* Is the character at s[0..n) one a terminal would act on? *len is its
 * length, *cp the code point, or -1 for a byte that is not valid UTF-8. */
static int control_at(const char *s, size_t n, int keep, size_t *len, long *cp)
{
	unsigned char c = (unsigned char)s[0];
	if (c < 0x80) {
		*len = 1;
		*cp = c;
		return (c < 0x20 && !(c == '\t' && (keep & UTF8_KEEP_TAB)) &&
			!(c == '\n' && (keep & UTF8_KEEP_NEWLINE))) ||
		       c == 0x7f;
	}
	if (!(*len = utf8_valid_prefix(s, n, 1))) {
		*len = 1;
		*cp = -1;
		return 1;
	}
	const char *p = s;
	uint32_t u = utf8_next(&p);
	*cp = (long)u;
	return (u >= 0x80 && u <= 0x9f) || u == 0x2028 || u == 0x2029 ||
	       (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069);
}

size_t utf8_escape_controls(char *out, const char *s, size_t n, int keep)
{
	static const char hexd[] = "0123456789abcdef";
	size_t i = 0, o = 0, len;
	long cp;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			out[o++] = s[i++];
			continue;
		}
		if (!control_at(s + i, n - i, keep, &len, &cp)) {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		out[o++] = '\\';
		if (cp < 0) {
			out[o++] = 'x';
			out[o++] = hexd[c >> 4];
			out[o++] = hexd[c & 15];
		} else {
			out[o++] = 'u';
			for (int shift = 12; shift >= 0; shift -= 4)
				out[o++] = hexd[(cp >> shift) & 15];
		}
		i += len;
	}
	return o;
}

int utf8_has_controls(const char *s, size_t n, int keep)
{
	size_t len;
	long cp;
	for (size_t i = 0; i < n; i += len) {
		unsigned char c = (unsigned char)s[i];
		len = 1;
		if ((c < 0x20 || c >= 0x7f) && control_at(s + i, n - i, keep, &len, &cp))
			return 1;
	}
	return 0;
}

char *utf8_printable(const char *s)
{
	size_t n = strlen(s ? s : "");
	char *out = xmalloc(6 * n + 1);
	out[utf8_escape_controls(out, s ? s : "", n, 0)] = '\0';
	return out;
}
