/*
 * mime.c: charsets, transfer encodings, encoded words and header parameters
 * of MIME (RFC 2045, RFC 2047, RFC 2231).
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ccc/digest.h"
#include "ccc/mime.h"
#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */
#define CHARSET_MAX 64
#define PARAM_MAX   256

enum charset_kind { CS_ASCII, CS_UTF8, CS_ICONV };

/* Names iconv does not know under the label mailers use. */
static const char *const charset_alias[][2] = {
    {"iso-8859-1", "WINDOWS-1252"}, {"iso8859-1", "WINDOWS-1252"},
    {"iso_8859-1", "WINDOWS-1252"}, {"latin1", "WINDOWS-1252"},
    {"l1", "WINDOWS-1252"},         {"cp819", "WINDOWS-1252"},
    {"x-cp1252", "WINDOWS-1252"},   {"ks_c_5601-1987", "CP949"},
    {"gb2312", "GB18030"},          {"gbk", "GB18030"},
    {"x-gbk", "GB18030"},           {"iso-8859-8-i", "ISO-8859-8"},
    {"iso-8859-6-i", "ISO-8859-6"}, {"x-sjis", "SHIFT_JIS"},
    {"x-mac-roman", "MACINTOSH"},   {"x-euc-jp", "EUC-JP"},
};

/*
 * Classify charset and write the name to hand to iconv into iname. Strips
 * quotes, white space and an RFC 2231 "*language" suffix. Returns -1 when
 * the name holds characters no charset name has.
 */
static int charset_classify(const char *charset, char iname[CHARSET_MAX + 1], enum charset_kind *k)
{
	size_t j = 0;

	*k = CS_ASCII;
	iname[0] = '\0';
	if (!charset)
		return 0;
	for (const char *p = charset; *p && *p != '*'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\'' || c == ' ' || c == '\t')
			continue;
		if (!isalnum(c) && !strchr("-_.:+()", c))
			return -1;
		if (j == CHARSET_MAX)
			return -1;
		iname[j++] = (char)tolower(c);
	}
	iname[j] = '\0';
	if (!j || !strcmp(iname, "us-ascii") || !strcmp(iname, "ascii") ||
	    !strcmp(iname, "ansi_x3.4-1968") || !strcmp(iname, "us") || !strcmp(iname, "iso646-us"))
		return 0;
	if (!strcmp(iname, "utf-8") || !strcmp(iname, "utf8") ||
	    !strcmp(iname, "unicode-1-1-utf-8") || !strcmp(iname, "x-unicode20utf8")) {
		*k = CS_UTF8;
		return 0;
	}
	*k = CS_ICONV;
	for (size_t i = 0; i < sizeof charset_alias / sizeof charset_alias[0]; i++)
		if (!strcmp(iname, charset_alias[i][0])) {
			strcpy(iname, charset_alias[i][1]);
			break;
		}
	return 0;
}

/* A few conversion descriptors kept open: iconv_open loads a module each time. */
#define ICONV_CACHE 4
static struct {
	char name[CHARSET_MAX + 1];
	iconv_t cd;
	int used;
} iconv_cache[ICONV_CACHE];
static unsigned iconv_cache_next;

static iconv_t iconv_get(const char *iname)
{
	iconv_t cd;
	unsigned slot;

	for (int i = 0; i < ICONV_CACHE; i++)
		if (iconv_cache[i].used && !strcmp(iconv_cache[i].name, iname))
			return iconv_cache[i].cd;
	cd = iconv_open("UTF-8", iname);
	if (cd == (iconv_t)-1)
		return cd;
	slot = iconv_cache_next++ % ICONV_CACHE;
	if (iconv_cache[slot].used)
		iconv_close(iconv_cache[slot].cd);
	strcpy(iconv_cache[slot].name, iname);
	iconv_cache[slot].cd = cd;
	iconv_cache[slot].used = 1;
	return cd;
}

/* Append s[0..n) without its NUL bytes. */
static void add_without_nul(struct buf *out, const char *s, size_t n)
{
	const char *z;

	while (n && (z = memchr(s, '\0', n))) {
		if (z > s)
			buf_add(out, s, (size_t)(z - s));
		n -= (size_t)(z - s) + 1;
		s = z + 1;
	}
	if (n) /* buf_add(NULL buffer, 0 bytes) would memcpy to NULL */
		buf_add(out, s, n);
}

void utf8_append_sanitized(struct buf *out, const char *s, size_t n)
{
	while (n) {
		size_t k = utf8_valid_prefix(s, n, 0);
		add_without_nul(out, s, k);
		s += k;
		n -= k;
		if (n) {
			buf_add(out, REPLACEMENT, 3);
			s++;
			n--;
		}
	}
}

static void latin1_append(struct buf *out, const char *s, size_t n)
{
	buf_grow(out, 2 * n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			out->p[out->len++] = (char)(0xC0 | c >> 6);
			out->p[out->len++] = (char)(0x80 | (c & 0x3F));
		} else if (c) {
			out->p[out->len++] = (char)c;
		}
	}
}

/* Convert through cd; a byte iconv cannot convert becomes U+FFFD. */
static void iconv_append(iconv_t cd, const char *s, size_t n, struct buf *out)
{
	char *in = (char *)s;
	size_t inleft = n, start = out->len;

	iconv(cd, NULL, NULL, NULL, NULL);
	buf_grow(out, n * 2 + 16);
	while (inleft) {
		char *o = out->p + out->len;
		size_t oleft = out->cap - out->len;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);

		out->len = (size_t)(o - out->p);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			buf_grow(out, out->cap - out->len + inleft * 2 + 16);
			continue;
		}
		/* EILSEQ or EINVAL (truncated at the end) */
		buf_add(out, REPLACEMENT, 3);
		in++;
		inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	if (memchr(out->p + start, '\0', out->len - start)) {
		size_t j = start;
		for (size_t i = start; i < out->len; i++)
			if (out->p[i])
				out->p[j++] = out->p[i];
		out->len = j;
	}
}

/* Charsets where bytes below 0x80 are ASCII, so ASCII text needs no iconv. */
static int ascii_compatible(const char *iname)
{
	return !strncasecmp(iname, "iso-8859", 8) || !strncasecmp(iname, "windows-", 8) ||
	       !strncasecmp(iname, "cp", 2) || !strncasecmp(iname, "koi8", 4);
}

static int is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == 0x1B)
			return 0;
	return 1;
}

int charset_to_utf8(const char *charset, const char *s, size_t n, struct buf *out)
{
	char iname[CHARSET_MAX + 1];
	enum charset_kind k;
	iconv_t cd;

	if (charset_classify(charset, iname, &k) < 0)
		goto unknown;
	if (k == CS_UTF8) {
		utf8_append_sanitized(out, s, n);
		return 0;
	}
	if (k == CS_ASCII) {
		if (utf8_valid(s, n))
			add_without_nul(out, s, n);
		else
			iconv_append(iconv_get("WINDOWS-1252"), s, n, out);
		return 0;
	}
	if (ascii_compatible(iname) && is_ascii(s, n)) {
		add_without_nul(out, s, n);
		return 0;
	}
	cd = iconv_get(iname);
	if (cd == (iconv_t)-1)
		goto unknown;
	iconv_append(cd, s, n, out);
	return 0;
unknown:
	if (utf8_valid(s, n))
		add_without_nul(out, s, n);
	else
		latin1_append(out, s, n);
	return -1;
}

void qp_decode(const char *s, size_t n, int q_header, struct buf *out)
{
	size_t i = 0;

	buf_grow(out, n);
	while (i < n) {
		char c = s[i];
		if (c == '=') {
			int hi = i + 1 < n ? hex_digit((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < n ? hex_digit((unsigned char)s[i + 2]) : -1;
			size_t j;

			if (hi >= 0 && lo >= 0) {
				buf_addc(out, (char)(hi << 4 | lo));
				i += 3;
				continue;
			}
			/* soft line break: '=', optional white space, end of line */
			for (j = i + 1; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
				;
			if (j == n || s[j] == '\n' ||
			    (s[j] == '\r' && j + 1 < n && s[j + 1] == '\n') ||
			    (s[j] == '\r' && j + 1 == n)) {
				i = j == n ? n : s[j] == '\r' ? j + 2 : j + 1;
				continue;
			}
			buf_addc(out, '=');
			i++;
		} else if ((c == ' ' || c == '\t') && !q_header) {
			/* white space at the end of a line was added in transport */
			size_t j = i;
			while (j < n && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < n && s[j] != '\n' && s[j] != '\r')
				buf_add(out, s + i, j - i);
			i = j;
		} else {
			buf_addc(out, c == '_' && q_header ? ' ' : c);
			i++;
		}
	}
}

int base64_decode_lenient(const char *s, size_t n, struct buf *out)
{
	long len;
	char *clean;
	size_t k = 0;
	int junk = 0;

	buf_grow(out, n / 4 * 3 + 3);
	len = base64_decode(s, n, (uint8_t *)out->p + out->len);
	if (len >= 0) {
		out->len += (size_t)len;
		return 0;
	}
	clean = xmalloc(n + 1);
	for (size_t i = 0; i < n && s[i] != '='; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '+' || c == '/')
			clean[k++] = (char)c;
		else if (!isspace(c))
			junk = 1;
	}
	len = base64_decode(clean, k, (uint8_t *)out->p + out->len);
	if (len > 0)
		out->len += (size_t)len;
	free(clean);
	return junk;
}

struct encoded_word {
	const char *charset, *text;
	size_t cslen, tlen, end;
	char enc;
};

/*
 * Parse "=?charset?E?text?=" at s[i]. *no_end_before remembers how far a
 * failed search for "?=" went, so that a run of "=?" without an end is
 * scanned once, not once per "=?".
 */
static int encoded_word_at(const char *s, size_t n, size_t i, struct encoded_word *w,
			   size_t *no_end_before)
{
	size_t j = i + 2, k;

	if (i + 1 >= n || s[i] != '=' || s[i + 1] != '?')
		return 0;
	while (j < n && s[j] != '?' && j - i - 2 < CHARSET_MAX && !isspace((unsigned char)s[j]))
		j++;
	if (j + 2 >= n || s[j] != '?' || j == i + 2 || s[j + 2] != '?' || !strchr("BbQq", s[j + 1]))
		return 0;
	w->charset = s + i + 2;
	w->cslen = j - i - 2;
	w->enc = (char)toupper((unsigned char)s[j + 1]);
	w->text = s + j + 3;
	if (j + 3 < *no_end_before)
		return 0;
	for (k = j + 3; k + 1 < n; k++) {
		if (s[k] == '?' && s[k + 1] == '=')
			break;
		if (isspace((unsigned char)s[k])) {
			*no_end_before = k;
			return 0;
		}
	}
	if (k + 1 >= n) {
		*no_end_before = n;
		return 0;
	}
	w->tlen = k - (j + 3);
	w->end = k + 2;
	return 1;
}

/* Convert the bytes of adjacent encoded words gathered in acc. */
static int flush_words(struct buf *acc, const char *charset, struct buf *out)
{
	int unknown = 0;

	if (acc->len)
		unknown = charset_to_utf8(charset, acc->p, acc->len, out) < 0;
	acc->len = 0;
	return unknown;
}

static int all_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

int rfc2047_decode(const char *s, size_t n, struct buf *out)
{
	struct buf acc = {0};
	char cs[CHARSET_MAX + 1] = "";
	size_t i = 0, lit = 0, no_end_before = 0;
	int unknown = 0, after_word = 0;
	struct encoded_word w;

	while (i < n) {
		const char *q = memchr(s + i, '=', n - i);
		if (!q)
			break;
		i = (size_t)(q - s);
		if (!encoded_word_at(s, n, i, &w, &no_end_before)) {
			i++;
			continue;
		}
		if (!(after_word && all_space(s + lit, i - lit))) {
			unknown += flush_words(&acc, cs, out);
			charset_to_utf8(NULL, s + lit, i - lit, out);
		}
		if (acc.len && (strlen(cs) != w.cslen || strncasecmp(cs, w.charset, w.cslen)))
			unknown += flush_words(&acc, cs, out);
		memcpy(cs, w.charset, w.cslen);
		cs[w.cslen] = '\0';
		if (w.enc == 'B')
			base64_decode_lenient(w.text, w.tlen, &acc);
		else
			qp_decode(w.text, w.tlen, 1, &acc);
		i = lit = w.end;
		after_word = 1;
	}
	unknown += flush_words(&acc, cs, out);
	charset_to_utf8(NULL, s + lit, n - lit, out);
	buf_free(&acc);
	return unknown;
}

static char *dup_lower(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	for (size_t i = 0; i < n; i++)
		d[i] = (char)tolower((unsigned char)s[i]);
	d[n] = '\0';
	return d;
}

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

void mime_field_parse(const char *s, size_t n, struct mime_field *f)
{
	size_t i = 0, start;
	const char *t;
	size_t tn;

	while (i < n && s[i] != ';')
		i++;
	t = s;
	tn = i;
	trim(&t, &tn);
	f->token = dup_lower(t, tn);
	while (i < n && f->nparam < PARAM_MAX) {
		struct buf v = {0};
		const char *name;
		size_t nn;

		i++; /* ';' */
		start = i;
		while (i < n && s[i] != '=' && s[i] != ';')
			i++;
		name = s + start;
		nn = i - start;
		trim(&name, &nn);
		if (i >= n || s[i] == ';' || !nn)
			continue;
		i++; /* '=' */
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i < n && s[i] == '"') {
			for (i++; i < n && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				buf_addc(&v, s[i]);
			}
			while (i < n && s[i] != ';')
				i++;
		} else {
			const char *val = s + i;
			size_t vn;
			while (i < n && s[i] != ';')
				i++;
			vn = (size_t)(s + i - val);
			t = memchr(val, '(', vn); /* a comment after the value */
			if (t)
				vn = (size_t)(t - val);
			trim(&val, &vn);
			if (vn)
				buf_add(&v, val, vn);
		}
		buf_addc(&v, '\0');
		if (f->nparam == f->cap) {
			f->cap = f->cap ? 2 * f->cap : 4;
			f->param = xrealloc(f->param, f->cap * sizeof *f->param);
		}
		f->param[f->nparam].name = dup_lower(name, nn);
		f->param[f->nparam++].value = v.p;
	}
}

void mime_field_free(struct mime_field *f)
{
	for (size_t i = 0; i < f->nparam; i++) {
		free(f->param[i].name);
		free(f->param[i].value);
	}
	free(f->param);
	free(f->token);
	memset(f, 0, sizeof *f);
}

const char *mime_param_raw(const struct mime_field *f, const char *name)
{
	for (size_t i = 0; i < f->nparam; i++)
		if (!strcmp(f->param[i].name, name))
			return f->param[i].value;
	return NULL;
}

static void percent_decode(const char *s, struct buf *out)
{
	for (; *s; s++) {
		int hi, lo;
		if (*s == '%' && (hi = hex_digit((unsigned char)s[1])) >= 0 &&
		    (lo = hex_digit((unsigned char)s[2])) >= 0) {
			buf_addc(out, (char)(hi << 4 | lo));
			s += 2;
		} else {
			buf_addc(out, *s);
		}
	}
}

/* Split an RFC 2231 extended value "charset'language'text" into charset and text. */
static const char *split_extended(const char *v, char cs[CHARSET_MAX + 1])
{
	const char *q1 = strchr(v, '\''), *q2;

	cs[0] = '\0';
	if (!q1 || !(q2 = strchr(q1 + 1, '\'')))
		return v;
	if ((size_t)(q1 - v) <= CHARSET_MAX) {
		memcpy(cs, v, (size_t)(q1 - v));
		cs[q1 - v] = '\0';
	}
	return q2 + 1;
}

char *mime_param_decoded(const struct mime_field *f, const char *name)
{
	struct buf raw = {0}, out = {0};
	char cs[CHARSET_MAX + 1] = "", key[96];
	const char *v;
	size_t nlen = strlen(name);

	if (nlen + 8 > sizeof key)
		return NULL;
	memcpy(key, name, nlen);
	memcpy(key + nlen, "*", 2);
	if ((v = mime_param_raw(f, key))) {
		percent_decode(split_extended(v, cs), &raw);
	} else {
		/* continuations name*0, name*1, … each plain or extended (name*0*) */
		for (int k = 0; k < PARAM_MAX; k++) {
			int ext = 0;
			snprintf(key + nlen, sizeof key - nlen, "*%d", k);
			if (!(v = mime_param_raw(f, key))) {
				strcat(key, "*");
				if (!(v = mime_param_raw(f, key)))
					break;
				ext = 1;
			}
			if (ext && k == 0)
				v = split_extended(v, cs);
			if (ext)
				percent_decode(v, &raw);
			else
				buf_adds(&raw, v);
		}
		if (!raw.p) {
			if (!(v = mime_param_raw(f, name)))
				return NULL;
			rfc2047_decode(v, strlen(v), &out);
			buf_addc(&out, '\0');
			return out.p;
		}
	}
	if (raw.len)
		charset_to_utf8(cs, raw.p, raw.len, &out);
	buf_addc(&out, '\0');
	buf_free(&raw);
	return out.p;
}
