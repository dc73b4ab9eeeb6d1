/*
 * json.c: a strict single-pass JSON validator (grammar and UTF-8 together) and
 * a jv writer that is several times faster than jv_dump_string in jq 1.6.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/json.h"
#include "ccc/utf8.h"

struct vstate {
	const unsigned char *p, *end, *start;
	const char *why;
	int depth;
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
		int c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

static int v_string(struct vstate *s)
{
	s->p++; /* opening quote */
	for (;;) {
		/* fast path over plain ASCII */
		while (s->p < s->end && *s->p >= 0x20 && *s->p < 0x80 && *s->p != '"' &&
		       *s->p != '\\')
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
		size_t n = utf8_valid_prefix((const char *)s->p, (size_t)(s->end - s->p), 1);
		if (n == 0)
			return fail(s, "invalid UTF-8");
		s->p += n;
	}
}

static int digits(struct vstate *s)
{
	const unsigned char *b = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > b ? 0 : -1;
}

static int v_number(struct vstate *s)
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

static int v_value(struct vstate *s)
{
	skip_ws(s);
	if (s->p >= s->end)
		return fail(s, "unexpected end of input");
	switch (*s->p) {
	case '{':
		if (++s->depth > JSON_MAX_DEPTH)
			return fail(s, "nested too deeply");
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
			if (v_string(s) < 0)
				return -1;
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
				s->depth--;
				return 0;
			}
			return fail(s, "expected ',' or '}' in object");
		}
	case '[':
		if (++s->depth > JSON_MAX_DEPTH)
			return fail(s, "nested too deeply");
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

int json_validate(const char *p, size_t n, const char **why, size_t *at)
{
	struct vstate s = {(const unsigned char *)p, (const unsigned char *)p + n,
			   (const unsigned char *)p, NULL, 0};
	if (v_value(&s) == 0) {
		skip_ws(&s);
		if (s.p == s.end)
			return 0;
		s.why = "trailing characters after the JSON value";
	}
	*why = s.why;
	*at = (size_t)(s.p - s.start);
	return -1;
}

void buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p)
		abort();
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
	while (i < n) {
		size_t j = i;
		while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != '"' && s[j] != '\\')
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

static void write_number(struct buf *b, double d)
{
	char tmp[40];
	if (isnan(d)) {
		buf_adds(b, "null");
		return;
	}
	if (isinf(d))
		d = d > 0 ? 1.7976931348623157e308 : -1.7976931348623157e308;
	if (d == floor(d) && fabs(d) < 1e17) {
		snprintf(tmp, sizeof tmp, "%.0f", d);
	} else {
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(tmp, sizeof tmp, "%.*g", prec, d);
			if (strtod(tmp, NULL) == d)
				break;
		}
	}
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

const char *jv_get_str(jv obj, const char *key)
{
	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return NULL;
	jv v = jv_object_get(jv_copy(obj), jv_string(key));
	const char *s = NULL;
	if (jv_get_kind(v) == JV_KIND_STRING)
		s = jv_string_value(v); /* still owned by obj */
	jv_free(v);
	return s;
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
