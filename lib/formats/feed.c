/*
 * feed.c: RSS and Atom feeds, item by item: the sniffer, the tree walk, dates,
 * and HTML reduced to text.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include "ccc/clock.h"
#include "ccc/digest.h"
#include "ccc/feed.h"
#include "ccc/xmlsafe.h"

#define ATOM_NS    "http://www.w3.org/2005/Atom"
#define RDF_NS     "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RSS1_NS    "http://purl.org/rss/1.0/"
#define RSS090_NS  "http://my.netscape.com/rdf/simple/0.9/"
#define DC_NS      "http://purl.org/dc/elements/1.1/"
#define CONTENT_NS "http://purl.org/rss/1.0/modules/content/"

/* --- sniffing ----------------------------------------------------------- */

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *find(const char *p, const char *end, const char *needle)
{
	size_t k = strlen(needle);
	const char *r = (size_t)(end - p) >= k ? memmem(p, (size_t)(end - p), needle, k) : NULL;
	return r ? r + k : NULL;
}

/* Past the end of a DOCTYPE declaration starting at p ("<!"), skipping its
 * internal subset and quoted strings; NULL when it does not end. */
static const char *skip_doctype(const char *p, const char *end)
{
	int depth = 0;
	char quote = 0;
	for (p += 2; p < end; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '[') {
			depth++;
		} else if (*p == ']') {
			depth--;
		} else if (*p == '>' && depth <= 0) {
			return p + 1;
		}
	}
	return NULL;
}

static int span_is(const char *b, const char *e, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(e - b) == n && !memcmp(b, s, n);
}

/* The root element's name and namespace, from its start tag, in p[0..end). */
static enum feed_kind sniff_root(const char *p, const char *end)
{
	const char *qname, *colon = NULL, *local, *ns = NULL, *ns_end = NULL;

	for (;;) {
		while (p < end && is_space(*p))
			p++;
		if (p >= end || *p != '<')
			return FEED_NONE;
		if (end - p >= 4 && !memcmp(p, "<!--", 4))
			p = find(p + 4, end, "-->");
		else if (end - p >= 2 && p[1] == '?')
			p = find(p + 2, end, "?>");
		else if (end - p >= 2 && p[1] == '!')
			p = skip_doctype(p, end);
		else
			break;
		if (!p)
			return FEED_NONE;
	}
	qname = ++p;
	while (p < end && !is_space(*p) && *p != '/' && *p != '>') {
		if (*p == ':' && !colon)
			colon = p;
		p++;
	}
	local = colon ? colon + 1 : qname;
	const char *qend = p;

	/* The namespace declaration of the root's prefix among its attributes. */
	while (p < end && *p != '>' && *p != '/') {
		const char *an, *ae, *v, *ve;
		while (p < end && is_space(*p))
			p++;
		if (p >= end || *p == '>' || *p == '/')
			break;
		an = p;
		while (p < end && !is_space(*p) && *p != '=' && *p != '>')
			p++;
		ae = p;
		while (p < end && is_space(*p))
			p++;
		if (p >= end || *p != '=')
			return FEED_NONE;
		p++;
		while (p < end && is_space(*p))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			return FEED_NONE;
		v = p + 1;
		ve = memchr(v, *p, (size_t)(end - v));
		if (!ve)
			return FEED_NONE;
		p = ve + 1;
		if (colon ? ((size_t)(ae - an) == 6 + (size_t)(colon - qname) &&
			     !memcmp(an, "xmlns:", 6) &&
			     !memcmp(an + 6, qname, (size_t)(colon - qname)))
			  : span_is(an, ae, "xmlns")) {
			ns = v;
			ns_end = ve;
		}
	}
	if (span_is(local, qend, "rss"))
		return FEED_RSS;
	if (!ns)
		return FEED_NONE;
	if (span_is(local, qend, "RDF") && span_is(ns, ns_end, RDF_NS))
		return FEED_RSS;
	if (span_is(local, qend, "feed") && span_is(ns, ns_end, ATOM_NS))
		return FEED_ATOM;
	if (span_is(local, qend, "alert") &&
	    ((ns_end - ns > 33 && !memcmp(ns, "urn:oasis:names:tc:emergency:cap:", 33)) ||
	     span_is(ns, ns_end, "http://www.incident.com/cap/1.0")))
		return FEED_CAP;
	return FEED_NONE;
}

enum feed_kind feed_sniff(const char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)buf;
	char ascii[8192];
	size_t k = 0;
	int le;

	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return sniff_root(buf + 3, buf + len);
	if (len < 2 || !((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
			 (u[0] == '<' && u[1] == 0) || (u[0] == 0 && u[1] == '<')))
		return sniff_root(buf, buf + len);
	/* UTF-16: the markup we look at is ASCII; anything else becomes DEL. */
	le = u[0] == 0xFF || u[0] == '<';
	for (size_t i = (u[0] == 0xFF || u[0] == 0xFE) ? 2 : 0; i + 1 < len && k < sizeof ascii;
	     i += 2) {
		unsigned lo = le ? u[i] : u[i + 1], hi = le ? u[i + 1] : u[i];
		ascii[k++] = hi || lo > 0x7E ? 0x7F : (char)lo;
	}
	return sniff_root(ascii, ascii + k);
}

/* --- dates -------------------------------------------------------------- */

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* Up to max digits at *p (at least min) as a number, or -1. */
static int digits(const char **p, int min, int max)
{
	int v = 0, n = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (*(*p)++ - '0');
		n++;
	}
	return n >= min ? v : -1;
}

static void skip_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n')
		(*p)++;
}

/* RFC 822 / 2822 zone names and their offsets in minutes. */
static int named_zone(const char *z, size_t n, int *off)
{
	static const struct {
		const char *name;
		int off;
	} zones[] = {{"UT", 0},     {"UTC", 0},    {"GMT", 0},    {"Z", 0},
		     {"EST", -300}, {"EDT", -240}, {"CST", -360}, {"CDT", -300},
		     {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420}};
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (strlen(zones[i].name) == n && !strncasecmp(z, zones[i].name, n)) {
			*off = zones[i].off;
			return 0;
		}
	/* Military zones: RFC 2822 4.3 says to take them as -0000. */
	if (n == 1 && ((*z >= 'A' && *z <= 'I') || (*z >= 'K' && *z <= 'Z') ||
		       (*z >= 'a' && *z <= 'i') || (*z >= 'k' && *z <= 'z'))) {
		*off = 0;
		return 0;
	}
	return -1;
}

/* "[Day,] DD Mon YYYY hh:mm[:ss] zone [(comment)]" */
static int rfc822_date(const char *p, struct tm *tm, int *off)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	const char *m;
	int day, mon, year, h, min, sec = 0;

	skip_ws(&p);
	if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') {
		while ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')
			p++;
		skip_ws(&p);
		if (*p == ',')
			p++;
		skip_ws(&p);
	}
	if ((day = digits(&p, 1, 2)) < 1)
		return -1;
	skip_ws(&p);
	if (*p == '-')
		p++;
	char mn[4] = {0};
	/* never past the NUL: "1 J" ends where a month's name would go on */
	for (int i = 0; i < 3; i++) {
		if (!p[i])
			return -1;
		mn[i] = (char)(p[i] | 0x20);
	}
	if (!(m = strstr(months, mn)) || (m - months) % 3)
		return -1;
	mon = (int)(m - months) / 3 + 1;
	p += 3;
	while ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') /* "September" */
		p++;
	skip_ws(&p);
	if (*p == '-')
		p++;
	const char *y = p;
	if ((year = digits(&p, 2, 4)) < 0)
		return -1;
	if (p - y == 2)
		year += year < 50 ? 2000 : 1900;
	else if (p - y == 3)
		year += 1900;
	skip_ws(&p);
	if ((h = digits(&p, 1, 2)) < 0 || *p++ != ':' || (min = digits(&p, 2, 2)) < 0)
		return -1;
	if (*p == ':') {
		p++;
		if ((sec = digits(&p, 2, 2)) < 0)
			return -1;
	}
	skip_ws(&p);
	if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, zh, zm;
		if ((zh = digits(&p, 2, 2)) < 0)
			return -1;
		if (*p == ':')
			p++;
		if ((zm = digits(&p, 2, 2)) < 0 || zh > 23 || zm > 59)
			return -1;
		*off = sign * (zh * 60 + zm);
	} else {
		const char *z = p;
		while ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')
			p++;
		if (p == z || named_zone(z, (size_t)(p - z), off) < 0)
			return -1;
	}
	skip_ws(&p);
	if (*p == '(' && strchr(p, ')'))
		p = strchr(p, ')') + 1;
	skip_ws(&p);
	if (*p || mon < 1 || day > days_in_month(year, mon) || h > 23 || min > 59 || sec > 60)
		return -1;
	*tm = (struct tm){.tm_year = year - 1900,
			  .tm_mon = mon - 1,
			  .tm_mday = day,
			  .tm_hour = h,
			  .tm_min = min,
			  .tm_sec = sec == 60 ? 59 : sec};
	return 0;
}

int feed_date(const char *s, char out[RFC3339_LEN])
{
	struct tm tm;
	int off = 0;
	time_t t;
	char full[128];
	size_t n;

	skip_ws(&s);
	n = strlen(s);
	while (n && is_space(s[n - 1]))
		n--;
	if (n >= sizeof full)
		return -1;
	if (n >= 10 && s[4] == '-' && s[7] == '-') {
		/* W3C-DTF: complete the date-only and the no-seconds forms. */
		if (n == 10)
			snprintf(full, sizeof full, "%.10sT00:00:00Z", s);
		else if (n >= 17 && s[13] == ':' && s[16] != ':')
			snprintf(full, sizeof full, "%.16s:00%.*s", s, (int)(n - 16), s + 16);
		else
			snprintf(full, sizeof full, "%.*s", (int)n, s);
		if (clock_parse(full, &t) < 0)
			return -1;
	} else {
		snprintf(full, sizeof full, "%.*s", (int)n, s);
		if (rfc822_date(full, &tm, &off) < 0)
			return -1;
		t = timegm(&tm) - (time_t)off * 60;
	}
	clock_format(t, out);
	return 0;
}

/* --- text --------------------------------------------------------------- */

/* A growing byte buffer, reused from field to field. */
struct text {
	char *p;
	size_t n, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->n + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 1024;
		while (t->n + n + 1 > cap)
			cap *= 2;
		char *p = realloc(t->p, cap);
		if (!p)
			return; /* out of memory: the field is cut short */
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = '\0';
}

/* Text written with white space collapsed: pending is the strongest white
 * space seen since the last visible byte (1 a space, 2 a line break), and is
 * written only between visible bytes, so both ends come out trimmed. */
struct emitter {
	struct text *t;
	int pending;
	int one_line; /* breaks become spaces (titles) */
};

static void ws(struct emitter *e, int level)
{
	if (level > e->pending)
		e->pending = level;
}

static void visible(struct emitter *e, const char *s, size_t n)
{
	if (e->pending && e->t->n)
		put(e->t, e->pending == 2 && !e->one_line ? "\n" : " ", 1);
	e->pending = 0;
	put(e->t, s, n);
}

/* UTF-8 of code point c (U+FFFD for what is not a character) into u. */
static size_t utf8_encode(uint32_t c, char u[4])
{
	if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		c = 0xFFFD;
	if (c < 0x80) {
		u[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	u[0] = (char)(0xF0 | c >> 18);
	u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	u[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static void code_point(struct emitter *e, uint32_t c)
{
	if (c == 0xA0) {
		ws(e, 1);
	} else {
		char u[4];
		size_t k = utf8_encode(c, u);
		visible(e, u, k);
	}
}

/* Text without markup. html: every white space is a space (HTML rendering);
 * else a line break in the text is kept as one. U+00A0 is white space. */
static void plain(struct emitter *e, const char *s, size_t n, int html)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\f') {
			ws(e, 1);
			i++;
		} else if (c == '\n' || c == '\r') {
			ws(e, html ? 1 : 2);
			i++;
		} else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
			ws(e, 1);
			i += 2;
		} else {
			size_t j = i + 1;
			while (j < n && !strchr(" \t\f\n\r\xC2", s[j]))
				j++;
			if (c == 0xC2 && j < n && j == i + 1)
				j++;
			visible(e, s + i, j - i);
			i = j;
		}
	}
}

/* The value of c as a digit in base 10 or 16, or -1. */
static int digit_value(char c, int base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* The code point of an HTML character reference at s ('&'), and its length;
 * 0 when s does not start one. */
static size_t char_ref(const char *s, size_t n, uint32_t *cp)
{
	size_t i = 1;
	if (i < n && s[i] == '#') {
		uint32_t v = 0;
		int hex = ++i < n && (s[i] == 'x' || s[i] == 'X'), nd = 0;
		if (hex)
			i++;
		for (; i < n && nd < 8; i++, nd++) {
			int d = digit_value(s[i], hex ? 16 : 10);
			if (d < 0)
				break;
			v = v * (hex ? 16 : 10) + (uint32_t)d;
		}
		if (!nd || i >= n || s[i] != ';')
			return 0;
		*cp = v;
		return i + 1;
	}
	char name[33];
	size_t k = 0;
	while (i < n && k < sizeof name - 1 &&
	       (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') || (s[i] >= '0' && s[i] <= '9')))
		name[k++] = s[i++];
	name[k] = '\0';
	if (!k || i >= n || s[i] != ';')
		return 0;
	if (!strcmp(name, "apos")) {
		*cp = '\'';
		return i + 1;
	}
	const htmlEntityDesc *d = htmlEntityLookup((const xmlChar *)name);
	if (!d)
		return 0;
	*cp = d->value;
	return i + 1;
}

static int block_element(const char *name, size_t n)
{
	static const char *const blocks[] = {
	    "address", "article",    "aside",  "blockquote", "br", "dd", "div", "dl",
	    "dt",      "figcaption", "figure", "footer",     "h1", "h2", "h3",  "h4",
	    "h5",      "h6",         "header", "hr",         "li", "ol", "p",   "pre",
	    "section", "table",      "tr",     "ul",         NULL};
	for (int i = 0; blocks[i]; i++)
		if (strlen(blocks[i]) == n && !strncasecmp(blocks[i], name, n))
			return 1;
	return 0;
}

/* Past the end of the element whose content is raw text (script, style). */
static size_t skip_raw(const char *s, size_t n, size_t i, const char *name, size_t k)
{
	for (; i + 2 + k <= n; i++)
		if (s[i] == '<' && s[i + 1] == '/' && !strncasecmp(s + i + 2, name, k)) {
			const char *gt = memchr(s + i, '>', n - i);
			return gt ? (size_t)(gt - s) + 1 : n;
		}
	return n;
}

static void html(struct emitter *e, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] == '<') {
			size_t k = i + 1, name, nlen;
			int close = k < n && s[k] == '/';
			if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
				const char *end = memmem(s + i + 4, n - i - 4, "-->", 3);
				i = end ? (size_t)(end - s) + 3 : n;
				continue;
			}
			if (k < n && (s[k] == '!' || s[k] == '?')) {
				const char *gt = memchr(s + k, '>', n - k);
				i = gt ? (size_t)(gt - s) + 1 : n;
				continue;
			}
			k += close;
			if (k >= n || !((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z')) {
				visible(e, "<", 1); /* "a < b" */
				i++;
				continue;
			}
			name = k;
			while (k < n && (((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z') ||
					 (s[k] >= '0' && s[k] <= '9')))
				k++;
			nlen = k - name;
			for (char q = 0; k < n; k++) { /* to the '>' outside quotes */
				if (q) {
					if (s[k] == q)
						q = 0;
				} else if (s[k] == '"' || s[k] == '\'') {
					q = s[k];
				} else if (s[k] == '>') {
					break;
				}
			}
			i = k < n ? k + 1 : n;
			if (!close && ((nlen == 6 && !strncasecmp(s + name, "script", 6)) ||
				       (nlen == 5 && !strncasecmp(s + name, "style", 5)))) {
				i = skip_raw(s, n, i, s + name, nlen);
				ws(e, 1);
			} else if (block_element(s + name, nlen)) {
				ws(e, 2);
			} else if ((nlen == 2 && !strncasecmp(s + name, "td", 2)) ||
				   (nlen == 2 && !strncasecmp(s + name, "th", 2))) {
				ws(e, 1);
			}
		} else if (s[i] == '&') {
			uint32_t cp;
			size_t k = char_ref(s + i, n - i, &cp);
			if (k) {
				code_point(e, cp);
				i += k;
			} else {
				visible(e, "&", 1);
				i++;
			}
		} else {
			size_t j = i + 1;
			while (j < n && s[j] != '<' && s[j] != '&')
				j++;
			plain(e, s + i, j - i, 1);
			i = j;
		}
	}
}

jv feed_html_text(const char *s, size_t n)
{
	struct text t = {0};
	struct emitter e = {.t = &t};
	html(&e, s, n);
	jv r = jv_string_sized(t.p ? t.p : "", (int)t.n);
	free(t.p);
	return r;
}

/* --- the tree ----------------------------------------------------------- */

/* Set *err to a formatted reason; returns -1. */
static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
	return -1;
}

struct feed_state {
	struct text raw, out; /* reused for every field */
	const char *format;   /* "rss", "rdf", "atom" */
	int atom;             /* Atom rather than an RSS */
	jv feed;              /* {"title","link","format"} */
	jv feed_author;       /* Atom feed's author name, or null */
	jv channel_lang;      /* RSS channel's language code, or null */
	int (*cb)(jv, void *);
	void *ctx;
};

static const char *attr(const xmlNode *n, const char *name, const char *ns)
{
	xmlAttrPtr a = xmlHasNsProp(n, (const xmlChar *)name, (const xmlChar *)ns);
	if (!a || a->type != XML_ATTRIBUTE_NODE || !a->children || !a->children->content)
		return NULL;
	return (const char *)a->children->content;
}

/* The raw text of el into st->raw: text nodes, and references to entities
 * that only an external DTD declares (the HTML 4 set of RSS 0.91's DTD). */
static void gather(struct feed_state *st, const xmlNode *el)
{
	st->raw.n = 0;
	put(&st->raw, "", 0);
	for (const xmlNode *c = el->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			put(&st->raw, (const char *)c->content, strlen((const char *)c->content));
		} else if (c->type == XML_ENTITY_REF_NODE) {
			const htmlEntityDesc *d = htmlEntityLookup(c->name);
			if (d) {
				char u[4];
				size_t k = utf8_encode(d->value, u);
				put(&st->raw, u, k);
			}
		}
	}
}

/* XHTML content: its text, with block elements as line breaks. */
static void xhtml(struct emitter *e, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			plain(e, (const char *)c->content, strlen((const char *)c->content), 1);
		} else if (c->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)c->name;
			if (!strcasecmp(name, "script") || !strcasecmp(name, "style"))
				continue;
			int block = block_element(name, strlen(name));
			if (block)
				ws(e, 2);
			xhtml(e, c);
			if (block)
				ws(e, 2);
		}
	}
}

enum text_kind { TEXT_PLAIN, TEXT_HTML, TEXT_XHTML, TEXT_NONE };

/* The kind of an Atom text construct or content element. */
static enum text_kind atom_kind(const xmlNode *el)
{
	const char *type = attr(el, "type", NULL);
	if (attr(el, "src", NULL))
		return TEXT_NONE; /* out-of-line content */
	if (!type || !strcmp(type, "text") || !strncmp(type, "text/", 5))
		return !type || strcmp(type, "text/html") ? TEXT_PLAIN : TEXT_HTML;
	if (!strcmp(type, "html"))
		return TEXT_HTML;
	if (!strcmp(type, "xhtml"))
		return TEXT_XHTML;
	size_t n = strlen(type);
	if ((n > 4 && !strcmp(type + n - 4, "+xml")) || (n > 4 && !strcmp(type + n - 4, "/xml")))
		return TEXT_XHTML;
	return TEXT_NONE; /* base64 of another media type */
}

/* The text of a field as a jv string. */
static jv field_text(struct feed_state *st, const xmlNode *el, enum text_kind kind, int one_line)
{
	struct emitter e = {.t = &st->out, .one_line = one_line};
	st->out.n = 0;
	put(&st->out, "", 0);
	if (el && kind == TEXT_XHTML) {
		xhtml(&e, el);
	} else if (el && kind != TEXT_NONE) {
		gather(st, el);
		if (kind == TEXT_HTML)
			html(&e, st->raw.p, st->raw.n);
		else
			plain(&e, st->raw.p, st->raw.n, 0);
	}
	return jv_string_sized(st->out.p, (int)st->out.n);
}

/* ISO 639-1 code of a language tag ("en-US" -> "en"), or null. */
static jv language_code(const char *tag)
{
	char c[3];
	if (!tag)
		return jv_null();
	while (is_space(*tag))
		tag++;
	if (!((tag[0] | 0x20) >= 'a' && (tag[0] | 0x20) <= 'z') ||
	    !((tag[1] | 0x20) >= 'a' && (tag[1] | 0x20) <= 'z') ||
	    (tag[2] && tag[2] != '-' && tag[2] != '_' && !is_space(tag[2])))
		return jv_null();
	c[0] = (char)(tag[0] | 0x20);
	c[1] = (char)(tag[1] | 0x20);
	c[2] = '\0';
	return jv_string(c);
}

/* The nearest xml:lang of n or its ancestors. */
static const char *xml_lang(const xmlNode *n)
{
	for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
		const char *l = attr(n, "lang", (const char *)XML_XML_NAMESPACE);
		if (l)
			return l;
	}
	return NULL;
}

/* Trimmed text of el, or null when el is NULL or its text empty. */
static jv text_or_null(const xmlNode *el)
{
	if (!el)
		return jv_null();
	jv t = xmlsafe_text(el);
	if (jv_string_length_bytes(jv_copy(t)) == 0) {
		jv_free(t);
		return jv_null();
	}
	return t;
}

static jv set_if(jv o, const char *key, jv v)
{
	if (jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return o;
	}
	return jv_object_set(o, jv_string(key), v);
}

/* Finish an item: fallback id, sent_at from the first readable of its two
 * date elements, feed; then hand it to the callback. Consumes every jv. */
static int deliver(struct feed_state *st, jv id, jv subject, jv body, const xmlNode *date[2],
		   jv link, jv author, jv lang)
{
	char when[RFC3339_LEN] = "";
	jv o = jv_object();

	for (int i = 0; i < 2 && !when[0]; i++) {
		if (!date[i])
			continue;
		jv d = xmlsafe_text(date[i]);
		if (feed_date(jv_string_value(d), when) < 0)
			when[0] = '\0';
		jv_free(d);
	}
	if (jv_get_kind(id) == JV_KIND_NULL && jv_get_kind(link) == JV_KIND_STRING) {
		jv_free(id);
		id = jv_copy(link);
	}
	if (jv_get_kind(id) == JV_KIND_NULL) {
		struct digest_ctx *d = digest_new();
		uint8_t h[SHA256_LEN];
		char hex[7 + 2 * SHA256_LEN + 1] = "sha256:";
		digest_update(d, jv_string_value(subject),
			      (size_t)jv_string_length_bytes(jv_copy(subject)));
		digest_update(d, "\n", 1);
		digest_update(d, when, strlen(when));
		digest_final(d, h);
		hex_encode(h, SHA256_LEN, hex + 7);
		jv_free(id);
		id = jv_string(hex);
	}
	o = jv_object_set(o, jv_string("external_id"), id);
	o = jv_object_set(o, jv_string("subject"), subject);
	o = jv_object_set(o, jv_string("body"), body);
	if (when[0])
		o = jv_object_set(o, jv_string("sent_at"), jv_string(when));
	o = set_if(o, "link", link);
	o = set_if(o, "author", author);
	o = set_if(o, "language", lang);
	o = jv_object_set(o, jv_string("feed"), jv_copy(st->feed));
	return st->cb(o, st->ctx);
}

/* An item's language: its own dc:language, the channel's, else xml:lang. */
static jv item_language(struct feed_state *st, const xmlNode *item, const xmlNode *lang)
{
	if (lang) {
		jv t = xmlsafe_text(lang);
		jv code = language_code(jv_string_value(t));
		jv_free(t);
		if (jv_get_kind(code) == JV_KIND_STRING)
			return code;
	}
	if (jv_get_kind(st->channel_lang) == JV_KIND_STRING)
		return jv_copy(st->channel_lang);
	return language_code(xml_lang(item));
}

/* An RSS element: no namespace (0.9x, 2.0) or RSS 1.0's / 0.90's. */
static int rss_is(const xmlNode *n, const char *name)
{
	return xmlsafe_is(n, NULL, name) || xmlsafe_is(n, RSS1_NS, name) ||
	       xmlsafe_is(n, RSS090_NS, name);
}

static int rss_item(struct feed_state *st, const xmlNode *item)
{
	const xmlNode *title = NULL, *desc = NULL, *content = NULL, *link = NULL, *guid = NULL,
		      *date = NULL, *dcdate = NULL, *author = NULL, *creator = NULL, *lang = NULL;

	for (const xmlNode *c = item->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (rss_is(c, "title") && !title)
			title = c;
		else if (rss_is(c, "description") && !desc)
			desc = c;
		else if (rss_is(c, "link") && !link)
			link = c;
		else if (rss_is(c, "guid") && !guid)
			guid = c;
		else if (rss_is(c, "pubDate") && !date)
			date = c;
		else if (rss_is(c, "author") && !author)
			author = c;
		else if (xmlsafe_is(c, CONTENT_NS, "encoded") && !content)
			content = c;
		else if (xmlsafe_is(c, DC_NS, "date") && !dcdate)
			dcdate = c;
		else if (xmlsafe_is(c, DC_NS, "creator") && !creator)
			creator = c;
		else if (xmlsafe_is(c, DC_NS, "language") && !lang)
			lang = c;
	}

	jv id = text_or_null(guid), url = text_or_null(link);
	if (jv_get_kind(id) == JV_KIND_NULL) {
		const char *about = attr(item, "about", RDF_NS);
		if (about && *about) {
			jv_free(id);
			id = jv_string(about);
		}
	}
	/* A permalink guid is the item's link when it has no <link>. */
	if (jv_get_kind(url) == JV_KIND_NULL && jv_get_kind(id) == JV_KIND_STRING && guid) {
		const char *perma = attr(guid, "isPermaLink", NULL);
		const char *g = jv_string_value(id);
		if ((!perma || strcmp(perma, "false")) &&
		    (!strncmp(g, "http://", 7) || !strncmp(g, "https://", 8))) {
			jv_free(url);
			url = jv_copy(id);
		}
	}
	jv subject = field_text(st, title, TEXT_HTML, 1);
	jv body = field_text(st, content ? content : desc, TEXT_HTML, 0);
	if (content && jv_string_length_bytes(jv_copy(body)) == 0) {
		jv_free(body);
		body = field_text(st, desc, TEXT_HTML, 0);
	}
	jv who = text_or_null(author ? author : creator);
	jv code = item_language(st, item, lang);
	const xmlNode *dates[2] = {date, dcdate};
	return deliver(st, id, subject, body, dates, url, who, code);
}

static int atom_is(const xmlNode *n, const char *name)
{
	return xmlsafe_is(n, ATOM_NS, name);
}

/* An Atom <link rel="alternate"> (rel absent means alternate), resolved
 * against xml:base; null when there is none. */
static jv atom_link(const xmlNode *parent)
{
	for (const xmlNode *c = parent->children; c; c = c->next) {
		const char *rel, *href;
		if (!atom_is(c, "link") || !(href = attr(c, "href", NULL)) || !*href)
			continue;
		rel = attr(c, "rel", NULL);
		if (rel && strcmp(rel, "alternate") &&
		    strcmp(rel, "http://www.iana.org/assignments/relation/alternate"))
			continue;
		const char *colon = strchr(href, ':'), *slash = strchr(href, '/');
		if (colon && (!slash || colon < slash))
			return jv_string(href); /* absolute */
		xmlChar *base = xmlNodeGetBase(c->doc, c);
		xmlChar *abs = base ? xmlBuildURI((const xmlChar *)href, base) : NULL;
		jv r = jv_string(abs ? (const char *)abs : href);
		xmlFree(abs);
		xmlFree(base);
		return r;
	}
	return jv_null();
}

/* The name of an <author> child of parent, or null. */
static jv atom_author(const xmlNode *parent)
{
	for (const xmlNode *c = parent->children; c; c = c->next)
		if (atom_is(c, "author"))
			for (const xmlNode *n = c->children; n; n = n->next)
				if (atom_is(n, "name"))
					return text_or_null(n);
	return jv_null();
}

static int atom_entry(struct feed_state *st, const xmlNode *entry)
{
	const xmlNode *id = NULL, *title = NULL, *summary = NULL, *content = NULL,
		      *published = NULL, *updated = NULL;

	for (const xmlNode *c = entry->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (atom_is(c, "id") && !id)
			id = c;
		else if (atom_is(c, "title") && !title)
			title = c;
		else if (atom_is(c, "summary") && !summary)
			summary = c;
		else if (atom_is(c, "content") && !content)
			content = c;
		else if (atom_is(c, "published") && !published)
			published = c;
		else if (atom_is(c, "updated") && !updated)
			updated = c;
	}
	jv subject = field_text(st, title, title ? atom_kind(title) : TEXT_NONE, 1);
	jv body = field_text(st, content, content ? atom_kind(content) : TEXT_NONE, 0);
	if (jv_string_length_bytes(jv_copy(body)) == 0 && summary) {
		jv_free(body);
		body = field_text(st, summary, atom_kind(summary), 0);
	}
	jv who = atom_author(entry);
	if (jv_get_kind(who) == JV_KIND_NULL) {
		jv_free(who);
		who = jv_copy(st->feed_author);
	}
	const xmlNode *dates[2] = {published, updated};
	return deliver(st, text_or_null(id), subject, body, dates, atom_link(entry), who,
		       language_code(xml_lang(entry)));
}

/* The feed's title and link, and what items inherit from the channel. */
static void describe(struct feed_state *st, const xmlNode *channel)
{
	const xmlNode *title = NULL, *link = NULL, *lang = NULL;
	jv url = jv_null();

	st->feed_author = jv_null();
	st->channel_lang = jv_null();
	for (const xmlNode *c = channel ? channel->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (st->atom) {
			if (atom_is(c, "title") && !title)
				title = c;
		} else if (rss_is(c, "title") && !title) {
			title = c;
		} else if (rss_is(c, "link") && !link) {
			link = c;
		} else if ((rss_is(c, "language") || xmlsafe_is(c, DC_NS, "language")) && !lang) {
			lang = c;
		}
	}
	jv name = field_text(st, title, title && st->atom ? atom_kind(title) : TEXT_HTML, 1);
	if (st->atom) {
		url = atom_link(channel);
		st->feed_author = atom_author(channel);
	} else {
		url = text_or_null(link);
	}
	if (lang) {
		jv t = xmlsafe_text(lang);
		st->channel_lang = language_code(jv_string_value(t));
		jv_free(t);
	}
	if (jv_get_kind(url) == JV_KIND_NULL) {
		jv_free(url);
		url = jv_string("");
	}
	st->feed = jv_object();
	st->feed = jv_object_set(st->feed, jv_string("title"), name);
	st->feed = jv_object_set(st->feed, jv_string("link"), url);
	st->feed = jv_object_set(st->feed, jv_string("format"), jv_string(st->format));
}

int feed_parse(const char *buf, size_t len, int (*cb)(jv item, void *ctx), void *ctx, char **err)
{
	struct feed_state st = {.cb = cb, .ctx = ctx};
	const xmlNode *root, *channel = NULL, *items;
	char *why = NULL;
	int rc = 0;

	*err = NULL;
	xmlDocPtr doc = xmlsafe_parse(buf, len, &why);
	if (!doc) {
		rc = fail(err, "XML: %s", why ? why : "out of memory");
		free(why);
		return rc;
	}
	root = xmlDocGetRootElement(doc);
	if (root && xmlsafe_is(root, NULL, "rss")) {
		st.format = "rss";
		for (const xmlNode *c = root->children; c && !channel; c = c->next)
			if (xmlsafe_is(c, NULL, "channel"))
				channel = c;
		items = channel;
	} else if (root && xmlsafe_is(root, RDF_NS, "RDF")) {
		st.format = "rdf";
		for (const xmlNode *c = root->children; c && !channel; c = c->next)
			if (rss_is(c, "channel"))
				channel = c;
		items = root; /* RSS 1.0 items are the channel's siblings */
	} else if (root && xmlsafe_is(root, ATOM_NS, "feed")) {
		st.format = "atom";
		st.atom = 1;
		channel = items = root;
	} else {
		rc = fail(err, "not a feed: the root element is '%s'",
			  root ? (const char *)root->name : "");
		xmlFreeDoc(doc);
		return rc;
	}
	if (!channel) {
		rc = fail(err, "not a feed: <%s> has no <channel>", (const char *)root->name);
		xmlFreeDoc(doc);
		return rc;
	}
	describe(&st, channel);
	for (const xmlNode *c = items->children; c && !rc; c = c->next) {
		if (st.atom ? atom_is(c, "entry") : rss_is(c, "item"))
			rc = st.atom ? atom_entry(&st, c) : rss_item(&st, c);
	}
	jv_free(st.feed);
	jv_free(st.feed_author);
	jv_free(st.channel_lang);
	free(st.raw.p);
	free(st.out.p);
	xmlFreeDoc(doc);
	return rc;
}
