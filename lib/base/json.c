/*
 * json.c: a strict single-pass JSON validator (grammar and UTF-8 together) and
 * a jv writer that is several times faster than jv_dump_string in jq 1.6.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/digest.h"
#include "ccc/json.h"
#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

/* Where the validator is: one frame per open object or array. */
struct frame {
	int is_array;
	size_t index;    /* array: the element's index */
	size_t key;      /* object: the current key's place in keys */
	size_t first;    /* object: its first key in keys */
	size_t kb_first; /* object: its first byte in kb */
};

struct keyref {
	size_t off, len; /* decoded key bytes in kb */
};

struct vstate {
	const unsigned char *p, *end, *start;
	const char *why;
	int depth;
	/* I-JSON (RFC 7493): the keys of the open objects, decoded */
	struct buf kb;
	struct keyref *keys;
	size_t nkeys, kcap;
	char *detail; /* the reason of an I-JSON refusal, with the field's path */
	size_t detail_len;
	/* json_validate_names: the names looked for, and whether one may be there */
	const char *const *names;
	size_t nnames;
	int named;
	/* last, and not zeroed: a frame is set when its value opens (10 KB a
	 * record to clear otherwise) */
	struct frame frames[JSON_MAX_DEPTH + 1];
};

static int fail(struct vstate *s, const char *why)
{
	if (!s->why)
		s->why = why;
	return -1;
}

static void skip_ws(struct vstate *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int hex4(const unsigned char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(p[i]);
		if (d < 0)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

/* The bytes a string takes as they are: printable ASCII but '"' and '\\'. */
static const unsigned char plain_ascii[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
}; /* the rest: 0 */

static int v_string(struct vstate *s)
{
	s->p++; /* opening quote */
	for (;;) {
		/* fast path over plain ASCII, four bytes a turn */
		while (s->end - s->p >= 4 && plain_ascii[s->p[0]] & plain_ascii[s->p[1]] &
						 plain_ascii[s->p[2]] & plain_ascii[s->p[3]])
			s->p += 4;
		while (s->p < s->end && plain_ascii[*s->p])
			s->p++;
		if (s->p >= s->end)
			return fail(s, "unterminated string");
		unsigned c = *s->p;
		if (c == '"') {
			s->p++;
			return 0;
		}
		if (c < 0x20)
			return fail(s, "control character in string");
		if (c == '\\') {
			if (s->end - s->p < 2)
				return fail(s, "unterminated string");
			c = s->p[1];
			if (c == 'u') {
				unsigned u, lo;
				s->named |= s->names != NULL; /* it may spell any name */
				if (s->end - s->p < 6 || hex4(s->p + 2, &u) < 0)
					return fail(s, "bad \\u escape");
				s->p += 6;
				if (u >= 0xDC00 && u <= 0xDFFF)
					return fail(s, "lone low surrogate in \\u escape");
				if (u >= 0xD800 && u <= 0xDBFF) {
					if (s->end - s->p < 6 || s->p[0] != '\\' ||
					    s->p[1] != 'u' || hex4(s->p + 2, &lo) < 0 ||
					    lo < 0xDC00 || lo > 0xDFFF)
						return fail(s, "lone high surrogate in \\u escape");
					s->p += 6;
				}
				continue;
			}
			if (!strchr("\"\\/bfnrt", (int)c) || c == 0)
				return fail(s, "bad escape in string");
			s->p += 2;
			continue;
		}
		/* a run of characters beyond ASCII (Arabic, Cyrillic, accented
		 * letters: two bytes each) checked here, not by a call for each */
		const unsigned char *p = s->p;
		while (p < s->end && *p >= 0x80) {
			if (*p >= 0xC2 && *p <= 0xDF && s->end - p >= 2 && (p[1] & 0xC0) == 0x80) {
				p += 2;
				continue;
			}
			size_t n = utf8_valid_prefix((const char *)p, (size_t)(s->end - p), 1);
			if (n == 0) {
				s->p = p;
				return fail(s, "invalid UTF-8");
			}
			p += n;
		}
		s->p = p;
	}
}

static void put_utf8(struct buf *b, unsigned u)
{
	char o[4];
	size_t n;
	if (u < 0x80) {
		o[0] = (char)u;
		n = 1;
	} else if (u < 0x800) {
		o[0] = (char)(0xC0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3F));
		n = 2;
	} else if (u < 0x10000) {
		o[0] = (char)(0xE0 | u >> 12);
		o[1] = (char)(0x80 | (u >> 6 & 0x3F));
		o[2] = (char)(0x80 | (u & 0x3F));
		n = 3;
	} else {
		o[0] = (char)(0xF0 | u >> 18);
		o[1] = (char)(0x80 | (u >> 12 & 0x3F));
		o[2] = (char)(0x80 | (u >> 6 & 0x3F));
		o[3] = (char)(0x80 | (u & 0x3F));
		n = 4;
	}
	buf_add(b, o, n);
}

/* Append the decoded text of the valid string literal p[0..n) (quotes
 * included) to b: "a" and "\u0061" are the same key. */
static void decode_string(struct buf *b, const unsigned char *p, size_t n)
{
	const unsigned char *e = p + n - 1;
	p++;
	while (p < e) {
		const unsigned char *q = p;
		while (q < e && *q != '\\')
			q++;
		buf_add(b, p, (size_t)(q - p));
		if (q >= e)
			break;
		unsigned u = 0, lo;
		switch (q[1]) {
		case 'b': u = '\b'; break;
		case 'f': u = '\f'; break;
		case 'n': u = '\n'; break;
		case 'r': u = '\r'; break;
		case 't': u = '\t'; break;
		case 'u':
			hex4(q + 2, &u);
			if (u >= 0xD800 && u <= 0xDBFF && hex4(q + 8, &lo) == 0) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				q += 6;
			}
			q += 4;
			break;
		default: u = q[1];
		}
		put_utf8(b, u);
		p = q + 2;
	}
}

void json_string_decode(struct buf *b, const char *p, size_t n)
{
	decode_string(b, (const unsigned char *)p, n);
}

/* The path of the value being read, e.g. "a.b[2].c", into out. */
static void path_of(const struct vstate *s, char *out, size_t n)
{
	size_t at = 0;
	out[0] = '\0';
	for (int d = 1; d <= s->depth && at + 1 < n; d++) {
		const struct frame *f = &s->frames[d];
		if (f->is_array) {
			at += (size_t)snprintf(out + at, n - at, "[%zu]", f->index);
		} else {
			const struct keyref *k = &s->keys[f->key];
			if (d > 1 && at + 1 < n)
				out[at++] = '.';
			for (size_t i = 0; i < k->len && at + 1 < n; i++) {
				unsigned char c = (unsigned char)s->kb.p[k->off + i];
				out[at++] = c < 0x20 || c == 0x7F ? '?' : (char)c;
			}
			out[at] = '\0';
		}
		if (at >= n)
			at = n - 1;
	}
	if (!out[0])
		snprintf(out, n, "(the value)");
}

static int refuse(struct vstate *s, const char *why, const char *fmt, const char *a, const char *b)
{
	char path[128];
	if (s->why)
		return -1;
	s->why = why;
	if (s->detail) {
		path_of(s, path, sizeof path);
		int k = snprintf(s->detail, s->detail_len, "field '%s': ", path);
		if (k > 0 && (size_t)k < s->detail_len)
			snprintf(s->detail + k, s->detail_len - (size_t)k, fmt, a, b);
	}
	return -1;
}

static int cmp_key(const void *x, const void *y, void *kb)
{
	const struct keyref *a = x, *b = y;
	const char *base = kb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(base + a->off, base + b->off, n) : 0; /* base is NULL when all are "" */
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* RFC 7493 section 2.3: the names within an object are unique. */
static int unique_keys(struct vstate *s, struct frame *f)
{
	size_t n = s->nkeys - f->first;
	struct keyref *k = s->keys + f->first;
	if (n < 2)
		return 0;
	if (n <= 8) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (!cmp_key(&k[i], &k[j], s->kb.p)) {
					f->key = f->first + i;
					return refuse(s, "duplicate object key",
						      "duplicate key (RFC 7493: the names in an "
						      "object are unique)%s%s",
						      "", "");
				}
		return 0;
	}
	if (n <= 32) { /* most objects: no two names alike, told without sorting */
		int alike = 0;
		for (size_t i = 1; i < n && !alike; i++)
			for (size_t j = 0; j < i && !alike; j++)
				alike = k[i].len == k[j].len &&
					(!k[i].len ||
					 !memcmp(s->kb.p + k[i].off, s->kb.p + k[j].off, k[i].len));
		if (!alike)
			return 0;
	}
	/* the name the sorted order finds first is the one reported */
	struct keyref *sorted = xmalloc(n * sizeof *sorted);
	memcpy(sorted, k, n * sizeof *sorted);
	qsort_r(sorted, n, sizeof *sorted, cmp_key, s->kb.p);
	int rc = 0;
	for (size_t i = 1; i < n && !rc; i++)
		if (!cmp_key(&sorted[i - 1], &sorted[i], s->kb.p)) {
			/* name the key: its place in the object */
			for (size_t j = 0; j < n; j++)
				if (k[j].off == sorted[i].off)
					f->key = f->first + j;
			rc = refuse(
			    s, "duplicate object key",
			    "duplicate key (RFC 7493: the names in an object are unique)%s%s", "",
			    "");
		}
	free(sorted);
	return rc;
}

/* Significant digits and exponent of a JSON number: value = 0.D * 10^X.
 * Returns the number of significant digits (0 for zero; more than 17 is
 * reported as 18), writing at most 17 of them to d. */
static int decimal_form(const unsigned char *p, size_t n, char d[18], long *x, int *neg)
{
	size_t i = 0;
	int nd = 0, started = 0, pending_zeros = 0;
	long point = 0; /* digits before the decimal point, counted from the first significant */
	*neg = 0;
	if (i < n && p[i] == '-') {
		*neg = 1;
		i++;
	}
	int frac = 0;
	for (; i < n && p[i] != 'e' && p[i] != 'E'; i++) {
		if (p[i] == '.') {
			frac = 1;
			continue;
		}
		int c = p[i] - '0';
		if (!started && c == 0) {
			if (frac)
				point--;
			continue;
		}
		if (!started)
			started = 1;
		if (!frac)
			point++;
		if (c == 0) {
			pending_zeros++;
			continue;
		}
		for (; pending_zeros > 0; pending_zeros--) {
			if (nd < 17)
				d[nd] = '0';
			nd++;
		}
		if (nd < 17)
			d[nd] = (char)('0' + c);
		nd++;
	}
	long e = 0;
	if (i < n) {
		int eneg = 0;
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			eneg = p[i++] == '-';
		for (; i < n; i++)
			if (e < 100000)
				e = e * 10 + (p[i] - '0');
		if (eneg)
			e = -e;
	}
	*x = point + e;
	d[nd < 17 ? nd : 17] = '\0';
	return nd > 17 ? 18 : nd;
}

static void format_number(char *out, size_t n, double d);

/*
 * RFC 7493 section 2.2, made exact: a number is taken in only when the one
 * ccc writes back (the shortest form that reads back as the same double) has
 * the same decimal value. So 12345678901234567890 (it would come back as
 * 12345678901234567000), 1e400 (infinite), 1e-400 (zero), 2^53 + 1, and
 * digits beyond a double's precision are refused; 1.50, 1e2, 0.1 and -0 are
 * kept.
 */
static int exact_number(struct vstate *s, const unsigned char *p, size_t n)
{
	char d[18], d2[18], back[40], text[48];
	long x, x2;
	int neg, neg2;
	int nd = decimal_form(p, n, d, &x, &neg);
	if (nd == 0)
		return 0; /* zero, however written */
	if (nd <= 15 && x > -290 && x < 290)
		return 0; /* 15 digits always come back */
	snprintf(text, sizeof text, "%.*s%s", (int)(n > 40 ? 40 : n), (const char *)p,
		 n > 40 ? "..." : "");
	if (nd > 17)
		return refuse(s, "number that cannot be kept exactly",
			      "number %s has more digits than a double keeps (17 at most); "
			      "send it as a string%s",
			      text, "");
	if (x > 400 || x < -400)
		return refuse(s, "number that cannot be kept exactly",
			      "number %s is out of a double's range; send it as a string%s", text,
			      "");
	char norm[64];
	snprintf(norm, sizeof norm, "%s0.%se%ld", neg ? "-" : "", d, x);
	format_number(back, sizeof back, strtod(norm, NULL));
	int nd2 = decimal_form((const unsigned char *)back, strlen(back), d2, &x2, &neg2);
	if (nd2 == nd && x2 == x && neg2 == neg && !strcmp(d, d2))
		return 0;
	return refuse(s, "number that cannot be kept exactly",
		      "number %s cannot be kept exactly (as a double it becomes %s); send it as "
		      "a string",
		      text, back);
}

static int v_number_grammar(struct vstate *s);

static int digits(struct vstate *s)
{
	const unsigned char *b = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > b ? 0 : -1;
}

static int v_number(struct vstate *s)
{
	const unsigned char *b = s->p;
	if (v_number_grammar(s) < 0)
		return -1;
	return exact_number(s, b, (size_t)(s->p - b));
}

static int v_number_grammar(struct vstate *s)
{
	if (*s->p == '-')
		s->p++;
	if (s->p >= s->end)
		return fail(s, "bad number");
	if (*s->p == '0') {
		s->p++;
		if (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			return fail(s, "number with a leading zero");
	} else if (digits(s) < 0)
		return fail(s, "bad number");
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (digits(s) < 0)
			return fail(s, "bad number: no digit after '.'");
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (digits(s) < 0)
			return fail(s, "bad number: no digit in exponent");
	}
	return 0;
}

static int v_literal(struct vstate *s, const char *lit, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
		return fail(s, "unexpected character");
	s->p += n;
	return 0;
}

/* A key (raw, n bytes, without its quotes) of json_validate_names: s->named
 * when it is one of the names and its value is not [] right after the colon
 * (s->p is past the key), or when it holds an escape. */
static void look_for_names(struct vstate *s, const unsigned char *raw, size_t n)
{
	if (memchr(raw, '\\', n)) {
		s->named = 1;
		return;
	}
	for (size_t i = 0; i < s->nnames; i++)
		if (strlen(s->names[i]) == n && !memcmp(s->names[i], raw, n)) {
			s->named |= s->end - s->p < 3 || memcmp(s->p, ":[]", 3) != 0;
			return;
		}
}

static int v_value(struct vstate *s)
{
	skip_ws(s);
	if (s->p >= s->end)
		return fail(s, "unexpected end of input");
	switch (*s->p) {
	case '{': {
		if (++s->depth > JSON_MAX_DEPTH)
			return fail(s, "nested too deeply");
		struct frame *f = &s->frames[s->depth];
		f->is_array = 0;
		f->first = s->nkeys;
		f->kb_first = s->kb.len;
		s->p++;
		skip_ws(s);
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			s->depth--;
			return 0;
		}
		for (;;) {
			skip_ws(s);
			if (s->p >= s->end || *s->p != '"')
				return fail(s, "expected a string as object key");
			const unsigned char *k = s->p;
			if (v_string(s) < 0)
				return -1;
			if (s->names && !s->named)
				look_for_names(s, k + 1, (size_t)(s->p - k) - 2);
			if (s->nkeys == s->kcap) {
				s->kcap = s->kcap ? 2 * s->kcap : 64;
				s->keys = xrealloc(s->keys, s->kcap * sizeof *s->keys);
			}
			s->keys[s->nkeys].off = s->kb.len;
			decode_string(&s->kb, k, (size_t)(s->p - k));
			s->keys[s->nkeys].len = s->kb.len - s->keys[s->nkeys].off;
			f->key = s->nkeys++;
			skip_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return fail(s, "expected ':' after object key");
			s->p++;
			if (v_value(s) < 0)
				return -1;
			skip_ws(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->end && *s->p == '}') {
				s->p++;
				if (unique_keys(s, f) < 0)
					return -1;
				s->nkeys = f->first; /* the keys of this object are done with */
				s->kb.len = f->kb_first;
				s->depth--;
				return 0;
			}
			return fail(s, "expected ',' or '}' in object");
		}
	}
	case '[':
		if (++s->depth > JSON_MAX_DEPTH)
			return fail(s, "nested too deeply");
		s->frames[s->depth].is_array = 1;
		s->frames[s->depth].index = 0;
		s->p++;
		skip_ws(s);
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			s->depth--;
			return 0;
		}
		for (;;) {
			if (v_value(s) < 0)
				return -1;
			skip_ws(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				s->frames[s->depth].index++;
				continue;
			}
			if (s->p < s->end && *s->p == ']') {
				s->p++;
				s->depth--;
				return 0;
			}
			return fail(s, "expected ',' or ']' in array");
		}
	case '"': return v_string(s);
	case 't': return v_literal(s, "true", 4);
	case 'f': return v_literal(s, "false", 5);
	case 'n': return v_literal(s, "null", 4);
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return v_number(s);
		return fail(s, "unexpected character");
	}
}

static int check_names(const char *p, size_t n, const char **why, size_t *at, char *detail,
		       size_t detail_len, const char *const *names, size_t nnames, int *named)
{
	struct vstate s;
	memset(&s, 0, offsetof(struct vstate, frames));
	s.p = s.start = (const unsigned char *)p;
	s.end = (const unsigned char *)p + n;
	s.detail = detail;
	s.detail_len = detail_len;
	s.names = names;
	s.nnames = nnames;
	int rc = 0;
	if (detail_len)
		detail[0] = '\0';
	if (v_value(&s) == 0) {
		skip_ws(&s);
		if (s.p != s.end)
			s.why = "trailing characters after the JSON value";
	}
	if (s.why) {
		*why = s.why;
		*at = (size_t)(s.p - s.start);
		rc = detail && detail[0] ? -2 : -1;
	}
	buf_free(&s.kb);
	free(s.keys);
	if (named)
		*named = s.named;
	return rc;
}

static int check(const char *p, size_t n, const char **why, size_t *at, char *detail,
		 size_t detail_len)
{
	return check_names(p, n, why, at, detail, detail_len, NULL, 0, NULL);
}

int json_validate_names(const char *p, size_t n, const char *const *names, size_t nnames)
{
	const char *why;
	size_t at;
	int named = 0;
	if (check_names(p, n, &why, &at, NULL, 0, names, nnames, &named) < 0)
		return -1;
	return named;
}

int json_validate(const char *p, size_t n, const char **why, size_t *at)
{
	return check(p, n, why, at, NULL, 0) < 0 ? -1 : 0;
}

int json_check(const char *p, size_t n, const char **why, size_t *at, char *detail,
	       size_t detail_len)
{
	return check(p, n, why, at, detail, detail_len);
}

void buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra)
		cap *= 2;
	char *p = xrealloc(b->p, cap);
	b->p = p;
	b->cap = cap;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (!n)
		return;
	buf_grow(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

void buf_addc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->p[b->len++] = c;
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void json_write_str(struct buf *b, const char *s, size_t n)
{
	static const char hexd[] = "0123456789abcdef";
	buf_grow(b, n + 2);
	b->p[b->len++] = '"';
	size_t i = 0;
	/* 1: the byte is written escaped (controls, quote, backslash) */
	/* clang-format off */
	static const unsigned char esc_of[256] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		['"'] = 1, ['\\'] = 1,
	};
	/* clang-format on */
	while (i < n) {
		size_t j = i;
		while (j < n && !esc_of[(unsigned char)s[j]])
			j++;
		buf_add(b, s + i, j - i);
		if (j == n)
			break;
		unsigned char c = (unsigned char)s[j];
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t len = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\t': esc[1] = 't'; break;
		case '\r': esc[1] = 'r'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hexd[c >> 4];
			esc[5] = hexd[c & 15];
			len = 6;
		}
		buf_add(b, esc, len);
		i = j + 1;
	}
	buf_addc(b, '"');
}

/* The shortest form of d that reads back as d (NaN: null). */
static void format_number(char *tmp, size_t n, double d)
{
	if (isnan(d)) {
		snprintf(tmp, n, "null");
		return;
	}
	if (isinf(d))
		d = d > 0 ? 1.7976931348623157e308 : -1.7976931348623157e308;
	if (d == floor(d) && fabs(d) < 1e17) {
		snprintf(tmp, n, "%.0f", d);
	} else {
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(tmp, n, "%.*g", prec, d);
			if (strtod(tmp, NULL) == d)
				break;
		}
	}
}

static void write_number(struct buf *b, double d)
{
	char tmp[40];
	format_number(tmp, sizeof tmp, d);
	buf_adds(b, tmp);
}

void json_write(struct buf *b, jv v)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
	case JV_KIND_INVALID: buf_adds(b, "null"); break;
	case JV_KIND_TRUE: buf_adds(b, "true"); break;
	case JV_KIND_FALSE: buf_adds(b, "false"); break;
	case JV_KIND_NUMBER: write_number(b, jv_number_value(v)); break;
	case JV_KIND_STRING:
		json_write_str(b, jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
		break;
	case JV_KIND_ARRAY: {
		int n = jv_array_length(jv_copy(v));
		buf_addc(b, '[');
		for (int i = 0; i < n; i++) {
			if (i)
				buf_addc(b, ',');
			jv e = jv_array_get(jv_copy(v), i);
			json_write(b, e);
			jv_free(e);
		}
		buf_addc(b, ']');
		break;
	}
	case JV_KIND_OBJECT: {
		int first = 1;
		buf_addc(b, '{');
		for (int it = jv_object_iter(v); jv_object_iter_valid(v, it);
		     it = jv_object_iter_next(v, it)) {
			jv k = jv_object_iter_key(v, it);
			jv e = jv_object_iter_value(v, it);
			if (!first)
				buf_addc(b, ',');
			first = 0;
			json_write_str(b, jv_string_value(k),
				       (size_t)jv_string_length_bytes(jv_copy(k)));
			buf_addc(b, ':');
			json_write(b, e);
			jv_free(k);
			jv_free(e);
		}
		buf_addc(b, '}');
		break;
	}
	}
}

/* json_parse_checked: one value of a text json_check accepted. */
struct jp {
	const unsigned char *p, *end;
	struct buf sb; /* a string's decoded text */
};

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static jv jp_string(struct jp *j)
{
	const unsigned char *b = j->p + 1, *q = b;
	while (q < j->end && *q != '"' && *q != '\\')
		q++;
	if (q < j->end && *q == '"') { /* no escape: the bytes as they are */
		j->p = q + 1;
		return jv_string_sized((const char *)b, (int)(q - b));
	}
	while (q < j->end && *q != '"')
		q += *q == '\\' ? 2 : 1;
	if (q >= j->end)
		return jv_invalid();
	j->sb.len = 0;
	decode_string(&j->sb, j->p, (size_t)(q + 1 - j->p));
	j->p = q + 1;
	return jv_string_sized(j->sb.p ? j->sb.p : "", (int)j->sb.len);
}

/*
 * Object keys come back record after record: the parser keeps one string of
 * each short key it met (JP_KEYS places, a key in one of JP_WAYS after the
 * place its hash gives) and hands out copies of it, which spares the
 * allocation, UTF-8 check and hash of a new string each time. j->p is at
 * the key's quote.
 */
enum { JP_KEYS = 256, JP_WAYS = 4, JP_KEY_MAX = 32 };
static struct {
	size_t len;
	unsigned char text[JP_KEY_MAX];
	jv k;
} jp_keys[JP_KEYS + JP_WAYS];

static jv jp_key(struct jp *j)
{
	const unsigned char *b = j->p + 1, *q = b;
	uint32_t h = 2166136261u; /* FNV-1a */
	while (q < j->end && q - b < JP_KEY_MAX && *q != '"' && *q != '\\')
		h = (h ^ *q++) * 16777619u;
	size_t n = (size_t)(q - b), at = h % JP_KEYS, w;
	if (q >= j->end || *q != '"' || n == 0)
		return jp_string(j);
	for (w = at; w < at + JP_WAYS && jp_keys[w].len; w++)
		if (jp_keys[w].len == n && !memcmp(jp_keys[w].text, b, n)) {
			j->p = q + 1;
			return jv_copy(jp_keys[w].k);
		}
	jv k = jp_string(j);
	if (jv_is_valid(k)) {
		if (w == at + JP_WAYS) /* all taken: the first place */
			jv_free(jp_keys[w = at].k);
		jp_keys[w].len = n;
		memcpy(jp_keys[w].text, b, n);
		jp_keys[w].k = jv_copy(k);
	}
	return k;
}

static jv jp_value(struct jp *j, int depth)
{
	jp_ws(j);
	if (j->p >= j->end || depth > JSON_MAX_DEPTH)
		return jv_invalid();
	switch (*j->p) {
	case '"': return jp_string(j);
	case '{':
	case '[': {
		int obj = *j->p == '{';
		unsigned char close = obj ? '}' : ']';
		jv v = obj ? jv_object() : jv_array();
		j->p++;
		jp_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return v;
		}
		for (;;) {
			jv k = jv_invalid();
			if (obj) {
				jp_ws(j);
				if (j->p >= j->end || *j->p != '"')
					break;
				k = jp_key(j);
				jp_ws(j);
				if (!jv_is_valid(k) || j->p >= j->end || *j->p++ != ':') {
					jv_free(k);
					break;
				}
			}
			jv e = jp_value(j, depth + 1);
			if (!jv_is_valid(e)) {
				jv_free(k);
				jv_free(e);
				break;
			}
			v = obj ? jv_object_set(v, k, e) : jv_array_append(v, e);
			jp_ws(j);
			if (j->p >= j->end)
				break;
			unsigned char c = *j->p++;
			if (c == close)
				return v;
			if (c != ',')
				break;
		}
		jv_free(v);
		return jv_invalid();
	}
	case 't':
		if (j->end - j->p >= 4 && !memcmp(j->p, "true", 4)) {
			j->p += 4;
			return jv_true();
		}
		return jv_invalid();
	case 'f':
		if (j->end - j->p >= 5 && !memcmp(j->p, "false", 5)) {
			j->p += 5;
			return jv_false();
		}
		return jv_invalid();
	case 'n':
		if (j->end - j->p >= 4 && !memcmp(j->p, "null", 4)) {
			j->p += 4;
			return jv_null();
		}
		return jv_invalid();
	default: {
		char tmp[64], *end;
		size_t n = 0;
		while (j->p + n < j->end && n < sizeof tmp - 1 &&
		       strchr("0123456789+-.eE", j->p[n]) && j->p[n])
			n++;
		if (!n || n == sizeof tmp - 1)
			return jv_invalid(); /* a long number: left to jv_parse_sized */
		memcpy(tmp, j->p, n);
		tmp[n] = '\0';
		double d = strtod(tmp, &end);
		if (end != tmp + n)
			return jv_invalid();
		j->p += n;
		return jv_number(d);
	}
	}
}

jv json_parse_checked(const char *text, size_t n)
{
	struct jp j = {.p = (const unsigned char *)text, .end = (const unsigned char *)text + n};
	jv v = jp_value(&j, 1);
	jp_ws(&j);
	buf_free(&j.sb);
	if (jv_is_valid(v) && j.p == j.end)
		return v;
	jv_free(v);
	return jv_parse_sized(text, (int)n);
}

/*
 * Whether the string at p[*i] (its opening quote) is as json_write_str
 * writes it; *i moves past its closing quote.
 */
static int canon_string(const unsigned char *p, size_t n, size_t *i)
{
	static const char hexd[] = "0123456789abcdef";
	size_t k = *i + 1;
	while (k < n) {
		unsigned char c = p[k];
		if (c == '"') {
			*i = k + 1;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			k++;
			continue;
		}
		if (k + 1 >= n)
			return -1;
		c = p[k + 1];
		if (strchr("\"\\ntrbf", (int)c) && c) {
			k += 2;
			continue;
		}
		/* \u00XX for the other control characters, in lowercase hex */
		if (c != 'u' || k + 5 >= n || p[k + 2] != '0' || p[k + 3] != '0' ||
		    (p[k + 4] != '0' && p[k + 4] != '1') || !memchr(hexd, p[k + 5], 16))
			return -1;
		unsigned v = (unsigned)(p[k + 4] - '0') * 16 +
			     (unsigned)((const char *)memchr(hexd, p[k + 5], 16) - hexd);
		if (v == '\b' || v == '\t' || v == '\n' || v == '\f' || v == '\r')
			return -1;
		k += 6;
	}
	return -1;
}

/* Whether the value at p[*i] is as json_write writes it; *i moves past it.
 * Numbers: integers of at most 15 digits only (they print as read). */
static int canon_value(const unsigned char *p, size_t n, size_t *i, int depth)
{
	if (*i >= n || depth > JSON_MAX_DEPTH)
		return -1;
	unsigned char c = p[*i];
	if (c == '"')
		return canon_string(p, n, i);
	if (c == '{' || c == '[') {
		unsigned char close = c == '{' ? '}' : ']';
		if (++*i < n && p[*i] == close) {
			++*i;
			return 0;
		}
		for (;;) {
			if (close == '}' && (*i >= n || p[*i] != '"' || canon_string(p, n, i) < 0 ||
					     *i >= n || p[(*i)++] != ':'))
				return -1;
			if (canon_value(p, n, i, depth + 1) < 0 || *i >= n)
				return -1;
			c = p[(*i)++];
			if (c == close)
				return 0;
			if (c != ',')
				return -1;
		}
	}
	static const char *const lits[] = {"true", "false", "null"};
	for (int l = 0; l < 3; l++) {
		size_t len = strlen(lits[l]);
		if (c == (unsigned char)lits[l][0]) {
			if (n - *i < len || memcmp(p + *i, lits[l], len) != 0)
				return -1;
			*i += len;
			return 0;
		}
	}
	size_t k = *i + (c == '-'), d = k;
	while (d < n && p[d] >= '0' && p[d] <= '9')
		d++;
	if (d == k || d - k > 15 || (p[k] == '0' && (d - k > 1 || c == '-')))
		return -1; /* none, too long, a leading zero, -0 */
	if (d < n && (p[d] == '.' || p[d] == 'e' || p[d] == 'E'))
		return -1;
	*i = d;
	return 0;
}

int json_with_field(struct buf *b, const char *text, size_t n, const char *key, jv value)
{
	struct buf v = {0};
	json_write(&v, value);
	int rc = json_with_field_text(b, text, n, key, v.p, v.len);
	buf_free(&v);
	return rc;
}

int json_with_field_text(struct buf *b, const char *text, size_t n, const char *key,
			 const char *value, size_t vlen)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t klen = strlen(key), i = 1, from = 0, to = 0;
	if (n < 2 || p[0] != '{')
		return -1;
	if (p[1] != '}') {
		for (;;) {
			size_t k = i;
			if (p[i] != '"' || canon_string(p, n, &i) < 0 || i >= n || p[i++] != ':')
				return -1;
			size_t v = i;
			if (canon_value(p, n, &i, 2) < 0 || i >= n)
				return -1;
			if (v - k == klen + 3 && !memcmp(p + k + 1, key, klen))
				from = v, to = i; /* key's value: replaced */
			if (p[i] == '}')
				break;
			if (p[i++] != ',')
				return -1;
		}
	}
	if (i + 1 != n)
		return -1;
	if (to) {
		buf_add(b, text, from);
		buf_add(b, value, vlen);
		buf_add(b, text + to, n - to);
		return 0;
	}
	buf_add(b, text, n - 1);
	if (n > 2)
		buf_addc(b, ',');
	json_write_str(b, key, klen);
	buf_addc(b, ':');
	buf_add(b, value, vlen);
	buf_addc(b, '}');
	return 0;
}

int json_plain_string(const char *text, size_t n, const char *key, size_t *from, size_t *to)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t klen = strlen(key), i = 1;
	if (n < 3 || p[0] != '{' || p[1] == '}')
		return -1;
	for (;;) {
		size_t k = i;
		if (p[i] != '"' || canon_string(p, n, &i) < 0 || i >= n || p[i++] != ':')
			return -1;
		if (i - k == klen + 3 && !memcmp(p + k + 1, key, klen)) {
			/* json_check accepted the text: the first quote ends a
			 * string with no backslash, and no control is in it */
			const unsigned char *q =
			    i < n && p[i] == '"' ? memchr(p + i + 1, '"', n - i - 1) : NULL;
			if (!q || memchr(p + i + 1, '\\', (size_t)(q - p) - i - 1))
				return -1;
			*from = i + 1;
			*to = (size_t)(q - p);
			return 0;
		}
		if (canon_value(p, n, &i, 2) < 0 || i >= n || p[i] == '}' || p[i++] != ',')
			return -1;
	}
}

/*
 * jv_string(s) from a cache of the strings asked for lately: built (and
 * hashed: libjq keeps a string's hash in it) once, not at every use. The
 * pointer finds the entry (one of NWAYS places after its hash), the text
 * decides.
 */
jv jv_string_cached(const char *s)
{
	enum { NKEYS = 256, NWAYS = 4 };
	static struct {
		const char *p;
		jv k;
	} cache[NKEYS + NWAYS];
	static unsigned next;
	uintptr_t h = (uintptr_t)s;
	unsigned at = (unsigned)((h >> 3) ^ (h >> 11)) % NKEYS, w;
	for (w = at; w < at + NWAYS && cache[w].p; w++)
		if (cache[w].p == s && !strcmp(jv_string_value(cache[w].k), s))
			return jv_copy(cache[w].k);
	jv k = jv_string(s);
	if (w == at + NWAYS) { /* all taken: one in turn */
		w = at + next++ % NWAYS;
		jv_free(cache[w].k);
	}
	cache[w].p = s;
	cache[w].k = jv_copy(k);
	return k;
}

const char *jv_get_str(jv obj, const char *key)
{
	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return NULL;
	jv v = jv_object_get(jv_copy(obj), jv_string_cached(key));
	const char *s = NULL;
	if (jv_get_kind(v) == JV_KIND_STRING)
		s = jv_string_value(v); /* still owned by obj */
	jv_free(v);
	return s;
}

int jv_get_hex(jv obj, const char *key, unsigned char *out, size_t n)
{
	const char *h = jv_get_str(obj, key);
	return h && strlen(h) == 2 * n && hex_decode(h, 2 * n, out) == (long)n ? 0 : -1;
}

jv jv_hex(const void *p, size_t n)
{
	char *h = xmalloc(2 * n + 1);
	hex_encode(p, n, h);
	jv r = jv_string(h);
	free(h);
	return r;
}

jv jv_base64(const void *p, size_t n)
{
	char *b = xmalloc(base64_len(n) + 1);
	base64_encode(p, n, b);
	jv r = jv_string(b);
	free(b);
	return r;
}

const char *json_kind_phrase(jv_kind k)
{
	switch (k) {
	case JV_KIND_NULL: return "null";
	case JV_KIND_TRUE:
	case JV_KIND_FALSE: return "a boolean";
	case JV_KIND_NUMBER: return "a number";
	case JV_KIND_STRING: return "a string";
	case JV_KIND_ARRAY: return "an array";
	case JV_KIND_OBJECT: return "an object";
	default: return "nothing";
	}
}
