/*
 * htmltext.c: the text of an HTML mail body, by a single pass over the bytes.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ccc/htmltext.h"
#include "ccc/mime.h"
#include "ccc/utf8.h"

/* Names of U+00A0 … U+00FF, in order (HTML 4 Latin-1 entities). */
static const char *const latin1_names[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
    "sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
    "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
    "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
    "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
    "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
    "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

static const struct {
	const char *name;
	uint32_t cp;
} other_entities[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"OElig", 0x152},   {"oelig", 0x153},   {"Scaron", 0x160},
    {"scaron", 0x161},  {"Yuml", 0x178},    {"fnof", 0x192},    {"circ", 0x2C6},
    {"tilde", 0x2DC},   {"ensp", 0x2002},   {"emsp", 0x2003},   {"thinsp", 0x2009},
    {"zwnj", 0x200C},   {"zwj", 0x200D},    {"lrm", 0x200E},    {"rlm", 0x200F},
    {"ndash", 0x2013},  {"mdash", 0x2014},  {"lsquo", 0x2018},  {"rsquo", 0x2019},
    {"sbquo", 0x201A},  {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"bdquo", 0x201E},
    {"dagger", 0x2020}, {"Dagger", 0x2021}, {"bull", 0x2022},   {"hellip", 0x2026},
    {"permil", 0x2030}, {"prime", 0x2032},  {"lsaquo", 0x2039}, {"rsaquo", 0x203A},
    {"euro", 0x20AC},   {"trade", 0x2122},  {"larr", 0x2190},   {"rarr", 0x2192},
};

/* What numeric references to 0x80-0x9F mean (windows-1252), as in HTML5. */
static const uint16_t c1_cp1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

struct text_out {
	struct buf *out;
	size_t start; /* where this text begins in out */
	int space;    /* white space seen since the last character */
	int pre;      /* inside <pre> */
};

static int at_line_start(const struct text_out *t)
{
	return t->out->len == t->start || t->out->p[t->out->len - 1] == '\n';
}

static void put_text(struct text_out *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (t->pre) {
			if (c != '\r')
				buf_addc(t->out, c);
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			t->space = 1;
		} else {
			if (t->space && !at_line_start(t))
				buf_addc(t->out, ' ');
			t->space = 0;
			buf_addc(t->out, c);
		}
	}
}

/* End the current line and make sure `lines` line breaks end the text so far. */
static void put_break(struct text_out *t, int lines)
{
	struct buf *o = t->out;
	int have = 0;

	t->space = 0;
	while (o->len > t->start && o->p[o->len - 1] == ' ')
		o->len--;
	if (o->len == t->start)
		return;
	while (have < lines && o->len - have > t->start && o->p[o->len - 1 - have] == '\n')
		have++;
	for (; have < lines; have++)
		buf_addc(o, '\n');
}

static void put_codepoint(struct text_out *t, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp == 0xA0)
		cp = ' ';
	if (cp >= 0x80 && cp < 0xA0)
		cp = c1_cp1252[cp - 0x80];
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	put_text(t, u, n);
}

/* Decode the character reference at s[0] == '&'; returns the bytes used, or 0. */
static size_t put_reference(struct text_out *t, const char *s, size_t n)
{
	size_t i = 1;
	uint32_t cp = 0;

	if (i < n && s[i] == '#') {
		int hex = i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X');
		size_t digits = 0;
		for (i += 1 + hex; i < n && digits < 8; i++, digits++) {
			int d = isdigit((unsigned char)s[i]) ? s[i] - '0'
				: hex && isxdigit((unsigned char)s[i])
				    ? tolower((unsigned char)s[i]) - 'a' + 10
				    : -1;
			if (d < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (uint32_t)d;
		}
		if (!digits)
			return 0;
		put_codepoint(t, cp);
		return i < n && s[i] == ';' ? i + 1 : i;
	}
	while (i < n && i < 34 && isalnum((unsigned char)s[i]))
		i++;
	if (i == 1 || i >= n || s[i] != ';')
		return 0;
	for (size_t k = 0; k < 96; k++)
		if (strlen(latin1_names[k]) == i - 1 && !strncmp(latin1_names[k], s + 1, i - 1)) {
			put_codepoint(t, 0xA0 + (uint32_t)k);
			return i + 1;
		}
	for (size_t k = 0; k < sizeof other_entities / sizeof other_entities[0]; k++)
		if (strlen(other_entities[k].name) == i - 1 &&
		    !strncmp(other_entities[k].name, s + 1, i - 1)) {
			put_codepoint(t, other_entities[k].cp);
			return i + 1;
		}
	return 0;
}

static int name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return 1;
	return 0;
}

static const char *const paragraph_tags[] = {"p",  "h1", "h2", "h3",    "h4",         "h5", "h6",
					     "ul", "ol", "dl", "table", "blockquote", "hr", NULL};
static const char *const line_tags[] = {
    "div",    "li",         "tr",   "dd",      "dt",       "section", "article",
    "header", "footer",     "nav",  "aside",   "address",  "form",    "center",
    "figure", "figcaption", "main", "caption", "fieldset", "legend",  NULL};
static const char *const raw_text_tags[] = {"script", "style", "title", "template", NULL};

/* Where "</name" begins at or after s[i], case-insensitively, or n. */
static size_t find_end_tag(const char *s, size_t n, size_t i, const char *name)
{
	size_t len = strlen(name);

	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		if (!lt)
			return n;
		i = (size_t)(lt - s);
		if (i + 2 + len <= n && s[i + 1] == '/' && !strncasecmp(s + i + 2, name, len))
			return i;
		i++;
	}
	return n;
}

/* Handle the markup at s[0] == '<'; returns the bytes used, or 0 when the '<' is text. */
static size_t put_markup(struct text_out *t, const char *s, size_t n)
{
	char name[16];
	size_t i = 1, k = 0;
	int closing = 0, self_closing = 0;
	char quote = 0;

	if (n >= 4 && !strncmp(s, "<!--", 4)) {
		const char *end = memmem(s + 4, n - 4, "-->", 3);
		return end ? (size_t)(end - s) + 3 : n;
	}
	if (n >= 2 && (s[1] == '!' || s[1] == '?')) {
		const char *end = memchr(s, '>', n);
		return end ? (size_t)(end - s) + 1 : n;
	}
	if (i < n && s[i] == '/') {
		closing = 1;
		i++;
	}
	if (i >= n || !isalpha((unsigned char)s[i]))
		return 0;
	while (i < n && isalnum((unsigned char)s[i])) {
		if (k < sizeof name - 1)
			name[k++] = (char)tolower((unsigned char)s[i]);
		i++;
	}
	name[k] = '\0';
	for (; i < n; i++) {
		if (quote) {
			if (s[i] == quote)
				quote = 0;
		} else if (s[i] == '>') {
			break;
		} else if ((s[i] == '"' || s[i] == '\'') && s[i - 1] == '=') {
			quote = s[i];
		}
	}
	self_closing = i < n && s[i - 1] == '/';
	i = i < n ? i + 1 : n;

	if (!strcmp(name, "br")) {
		put_break(t, 1);
	} else if (name_in(name, paragraph_tags)) {
		put_break(t, 2);
	} else if (name_in(name, line_tags)) {
		put_break(t, 1);
	} else if (!strcmp(name, "td") || !strcmp(name, "th")) {
		t->space = 1;
	} else if (!strcmp(name, "pre")) {
		put_break(t, 2);
		t->pre = closing ? 0 : 1;
	} else if (!closing && !self_closing && name_in(name, raw_text_tags)) {
		i = find_end_tag(s, n, i, name);
	}
	return i;
}

void html_to_text(const char *s, size_t n, struct buf *out)
{
	struct text_out t = {out, out->len, 0, 0};
	size_t i = 0;

	if (!utf8_valid(s, n)) {
		struct buf clean = {0};
		utf8_append_sanitized(&clean, s, n);
		html_to_text(clean.p ? clean.p : "", clean.len, out);
		buf_free(&clean);
		return;
	}
	while (i < n) {
		size_t j = i, used = 0;
		while (j < n && s[j] != '<' && s[j] != '&')
			j++;
		put_text(&t, s + i, j - i);
		if (j == n)
			break;
		used = s[j] == '<' ? put_markup(&t, s + j, n - j) : put_reference(&t, s + j, n - j);
		if (!used) {
			put_text(&t, s + j, 1);
			used = 1;
		}
		i = j + used;
	}
	while (out->len > t.start && isspace((unsigned char)out->p[out->len - 1]))
		out->len--;
}
