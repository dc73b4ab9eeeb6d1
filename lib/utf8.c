/*
 * utf8.c: UTF-8 validation after the table in RFC 3629 section 4, and the
 * width of text on a terminal.
 */
#include <unicode/uchar.h>

#include "ccc/utf8.h"

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

size_t utf8_display_width(const char *s)
{
	size_t w = 0;
	while (*s) {
		UChar32 c = (UChar32)utf8_next(&s);
		int8_t t = u_charType(c);
		if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_FORMAT_CHAR ||
		    t == U_CONTROL_CHAR)
			continue;
		int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
		w += ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
	}
	return w;
}
