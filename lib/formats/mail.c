/*
 * mail.c: one RFC 5322 message into the fields of a `message` record;
 * recognising an e-mail by its first bytes.
 *
 * The message is read in one pass into a tree of MIME parts that point into
 * the caller's buffer; the body is chosen from the tree and every other part
 * becomes an attachment entry (name, type, size, SHA-256).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jv.h>

#include "ccc/clock.h"
#include "ccc/digest.h"
#include "ccc/htmltext.h"
#include "ccc/json.h"
#include "ccc/mail.h"
#include "ccc/maildate.h"
#include "ccc/mime.h"
#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

#define MAX_WARNINGS 32
#define MAX_BOUNDARY 200
#define MAX_REFS     500 /* ids kept from In-Reply-To and References */

struct header {
	const char *name; /* into the message, nlen bytes */
	size_t nlen;
	struct buf value; /* unfolded, NUL-terminated once parsed */
};

struct headers {
	struct header *h;
	size_t n, cap;
};

struct part {
	char *type; /* "type/subtype", lowercase */
	struct mime_field ct, cd;
	char *cte, *lang;
	const char *body; /* into the message */
	size_t blen;
	int multipart;
	struct part *child, *next;
};

enum body_kind { BODY_NONE, BODY_HTML, BODY_PLAIN };

struct mail {
	jv warnings, attachments;
	int nwarnings;
	const struct part *body_part;
	enum body_kind body_kind;
	struct buf body;
	int too_deep; /* a multipart nested past MAIL_MAX_DEPTH: the message is refused */
};

static void warn(struct mail *m, const char *fmt, ...)
{
	char msg[320];
	struct buf b = {0};
	va_list ap;

	if (m->nwarnings++ >= MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	utf8_append_sanitized(&b, msg, strlen(msg));
	m->warnings = jv_array_append(m->warnings, jv_string_sized(b.p ? b.p : "", (int)b.len));
	buf_free(&b);
}

/* A jv string from bytes that should be UTF-8; anything else is repaired. */
static jv text_jv(const char *s, size_t n)
{
	struct buf b = {0};
	jv v;

	if (utf8_valid(s, n) && !memchr(s, '\0', n))
		return jv_string_sized(s, (int)n);
	utf8_append_sanitized(&b, s, n);
	v = jv_string_sized(b.p ? b.p : "", (int)b.len);
	buf_free(&b);
	return v;
}

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static size_t line_end(const char *p, size_t n, size_t i)
{
	const char *nl = memchr(p + i, '\n', n - i);
	return nl ? (size_t)(nl - p) : n;
}

/* A header field name: printable ASCII but ':' (RFC 5322 section 2.2),
 * optionally followed by white space (obsolete syntax) and the colon. */
static size_t header_name_len(const char *p, size_t n)
{
	size_t i = 0, k;

	while (i < n && p[i] > ' ' && p[i] < 127 && p[i] != ':')
		i++;
	k = i;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return k && i < n && p[i] == ':' ? k : 0;
}

/*
 * Parse the header block at p[0..n) into hs, unfolding continuation lines.
 * Returns where the body starts. *stray is set when a line that is neither a
 * header field nor a continuation ended the block (that line starts the body).
 */
static size_t headers_parse(const char *p, size_t n, struct headers *hs, int *stray)
{
	size_t i = 0;

	*stray = 0;
	while (i < n) {
		size_t eol = line_end(p, n, i), next = eol < n ? eol + 1 : n, len = eol - i, k;
		struct header *h;

		if (len && p[eol - 1] == '\r')
			len--;
		if (!len)
			return next;
		if ((p[i] == ' ' || p[i] == '\t') && hs->n) {
			buf_add(&hs->h[hs->n - 1].value, p + i, len);
			i = next;
			continue;
		}
		if (!(k = header_name_len(p + i, len))) {
			*stray = 1;
			return i;
		}
		if (hs->n == hs->cap) {
			hs->cap = hs->cap ? 2 * hs->cap : 16;
			hs->h = xrealloc(hs->h, hs->cap * sizeof *hs->h);
		}
		h = &hs->h[hs->n++];
		h->name = p + i;
		h->nlen = k;
		memset(&h->value, 0, sizeof h->value);
		k = (size_t)((const char *)memchr(p + i, ':', len) - (p + i)) + 1;
		if (len > k)
			buf_add(&h->value, p + i + k, len - k);
		i = next;
	}
	return n;
}

/* Trim each value and NUL-terminate it. */
static void headers_finish(struct headers *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		struct buf *v = &hs->h[i].value;
		size_t start = 0;
		while (start < v->len && isspace((unsigned char)v->p[start]))
			start++;
		while (v->len > start && isspace((unsigned char)v->p[v->len - 1]))
			v->len--;
		if (start) {
			memmove(v->p, v->p + start, v->len - start);
			v->len -= start;
		}
		buf_addc(v, '\0');
		v->len--;
	}
}

static void headers_free(struct headers *hs)
{
	for (size_t i = 0; i < hs->n; i++)
		buf_free(&hs->h[i].value);
	free(hs->h);
	memset(hs, 0, sizeof *hs);
}

static const struct buf *header_get(const struct headers *hs, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < hs->n; i++)
		if (hs->h[i].nlen == len && !strncasecmp(hs->h[i].name, name, len))
			return &hs->h[i].value;
	return NULL;
}

static char *dup_value(const struct headers *hs, const char *name, int lower)
{
	const struct buf *v = header_get(hs, name);
	char *d;
	size_t n;

	if (!v)
		return NULL;
	n = strcspn(v->p, lower ? " \t;(" : "");
	d = xstrndup(v->p, n);
	for (char *p = d; lower && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

static struct part *part_parse(struct mail *m, const char *p, size_t n, int depth,
			       const char *dflt);

static void part_free(struct part *p)
{
	while (p) {
		struct part *next = p->next;
		part_free(p->child);
		mime_field_free(&p->ct);
		mime_field_free(&p->cd);
		free(p->type);
		free(p->cte);
		free(p->lang);
		free(p);
		p = next;
	}
}

/* Split the body of multipart p into its child parts at its boundary lines. */
static int multipart_split(struct mail *m, struct part *p, int depth)
{
	const char *boundary = mime_param_raw(&p->ct, "boundary"), *b = p->body;
	const char *dflt = strcmp(p->type, "multipart/digest") ? "text/plain" : "message/rfc822";
	char delim[MAX_BOUNDARY + 3];
	size_t dlen, n = p->blen, pos = 0, start = 0;
	int opened = 0, closed = 0;
	struct part **tail = &p->child;

	if (!boundary || !*boundary || strlen(boundary) > MAX_BOUNDARY) {
		warn(m, "%.60s part without a usable boundary, read as text", p->type);
		return -1;
	}
	dlen = (size_t)snprintf(delim, sizeof delim, "--%s", boundary);
	while (pos < n) {
		const char *hit = memmem(b + pos, n - pos, delim, dlen);
		size_t at, q;
		int close;

		if (!hit)
			break;
		at = (size_t)(hit - b);
		pos = at + 1;
		if (at > 0 && b[at - 1] != '\n')
			continue;
		q = at + dlen;
		close = q + 2 <= n && b[q] == '-' && b[q + 1] == '-';
		if (close)
			q += 2;
		while (q < n && (b[q] == ' ' || b[q] == '\t'))
			q++;
		if (q < n && b[q] != '\r' && b[q] != '\n')
			continue; /* a longer boundary that starts with this one */
		if (opened) {
			size_t end = at;
			if (end > start && b[end - 1] == '\n')
				end--;
			if (end > start && b[end - 1] == '\r')
				end--;
			*tail = part_parse(m, b + start, end - start, depth + 1, dflt);
			tail = &(*tail)->next;
		}
		if (close) {
			closed = 1;
			break;
		}
		q = line_end(b, n, q);
		start = pos = q < n ? q + 1 : n;
		opened = 1;
	}
	if (!opened) {
		warn(m, "%.60s part: boundary \"%.60s\" not found, read as text", p->type,
		     boundary);
		return -1;
	}
	if (!closed) {
		warn(m, "%.60s part: closing boundary missing", p->type);
		*tail = part_parse(m, b + start, n - start, depth + 1, dflt);
	}
	return 0;
}

static struct part *part_new(struct mail *m, const struct headers *hs, const char *body,
			     size_t blen, int depth, const char *dflt)
{
	struct part *p = xcalloc(1, sizeof *p);
	const struct buf *v;

	p->body = body;
	p->blen = blen;
	if ((v = header_get(hs, "content-type")))
		mime_field_parse(v->p, v->len, &p->ct);
	if ((v = header_get(hs, "content-disposition")))
		mime_field_parse(v->p, v->len, &p->cd);
	p->cte = dup_value(hs, "content-transfer-encoding", 1);
	p->lang = dup_value(hs, "content-language", 0);
	if (!p->ct.token || !*p->ct.token) {
		p->type = xstrdup(dflt);
	} else if (!strchr(p->ct.token, '/') || !utf8_valid(p->ct.token, strlen(p->ct.token))) {
		warn(m, "content type \"%.60s\" not understood, read as text/plain", p->ct.token);
		p->type = xstrdup("text/plain");
	} else {
		p->type = xstrdup(p->ct.token);
	}
	if (!strncmp(p->type, "multipart/", 10)) {
		if (depth >= MAIL_MAX_DEPTH) {
			/* Not read, so not half stored either: mail_parse refuses it. */
			m->too_deep = 1;
		} else if (multipart_split(m, p, depth) == 0) {
			p->multipart = 1;
		} else {
			free(p->type);
			p->type = xstrdup("text/plain");
		}
	}
	return p;
}

static struct part *part_parse(struct mail *m, const char *p, size_t n, int depth, const char *dflt)
{
	struct headers hs = {0};
	int stray;
	size_t body = headers_parse(p, n, &hs, &stray);
	struct part *part;

	if (stray && body > 0)
		warn(m, "a part's header block ends at a line that is not a header field");
	headers_finish(&hs);
	part = part_new(m, &hs, p + body, n - body, depth, dflt);
	headers_free(&hs);
	return part;
}

/* Decode the content transfer encoding of p into out. */
static void part_decode(struct mail *m, const struct part *p, struct buf *out)
{
	const char *cte = p->cte;

	if (!cte || !*cte || !strcmp(cte, "7bit") || !strcmp(cte, "8bit") ||
	    !strcmp(cte, "binary")) {
		if (p->blen)
			buf_add(out, p->body, p->blen);
	} else if (!strcmp(cte, "quoted-printable")) {
		qp_decode(p->body, p->blen, 0, out);
	} else if (!strcmp(cte, "base64")) {
		if (base64_decode_lenient(p->body, p->blen, out))
			warn(m, "%.60s part: stray characters in base64 skipped", p->type);
	} else {
		warn(m, "%.60s part: unknown transfer encoding \"%.40s\", kept as is", p->type,
		     cte);
		if (p->blen)
			buf_add(out, p->body, p->blen);
	}
}

static char *part_filename(const struct part *p)
{
	char *name = mime_param_decoded(&p->cd, "filename");

	if (!name)
		name = mime_param_decoded(&p->ct, "name");
	return name;
}

/* A text part meant to be read in place: text/plain or text/html, neither
 * marked as an attachment nor carrying a file name. */
static enum body_kind inline_text_kind(const struct part *p)
{
	if (p->multipart || (p->cd.token && !strcmp(p->cd.token, "attachment")) ||
	    mime_param_raw(&p->cd, "filename") || mime_param_raw(&p->cd, "filename*") ||
	    mime_param_raw(&p->cd, "filename*0") || mime_param_raw(&p->cd, "filename*0*") ||
	    mime_param_raw(&p->ct, "name") || mime_param_raw(&p->ct, "name*"))
		return BODY_NONE;
	if (!strcmp(p->type, "text/plain"))
		return BODY_PLAIN;
	if (!strcmp(p->type, "text/html"))
		return BODY_HTML;
	return BODY_NONE;
}

/* The part to read as the body under p: the first text/plain, else the first
 * text/html, in document order. */
static const struct part *body_choose(const struct part *p, enum body_kind *kind)
{
	const struct part *html = NULL;

	*kind = BODY_NONE;
	if (!p->multipart) {
		*kind = inline_text_kind(p);
		return *kind ? p : NULL;
	}
	for (const struct part *c = p->child; c; c = c->next) {
		enum body_kind k;
		const struct part *r = body_choose(c, &k);
		if (k == BODY_PLAIN) {
			*kind = k;
			return r;
		}
		if (k == BODY_HTML && !html)
			html = r;
	}
	if (html)
		*kind = BODY_HTML;
	return html;
}

/* Append the text of p, converted to UTF-8 with LF line ends, to out. */
static void part_text(struct mail *m, const struct part *p, enum body_kind kind, struct buf *out)
{
	struct buf raw = {0}, utf8 = {0};
	const char *charset = mime_param_raw(&p->ct, "charset");
	size_t j = 0;

	part_decode(m, p, &raw);
	if (charset_to_utf8(charset, raw.p ? raw.p : "", raw.len, &utf8) < 0)
		warn(m, "unknown charset \"%.40s\", read as %s", charset,
		     utf8_valid(raw.p ? raw.p : "", raw.len) ? "UTF-8" : "ISO-8859-1");
	for (size_t i = 0; i < utf8.len; i++) {
		if (utf8.p[i] == '\r') {
			if (i + 1 < utf8.len && utf8.p[i + 1] == '\n')
				continue;
			utf8.p[i] = '\n';
		}
		utf8.p[j++] = utf8.p[i];
	}
	utf8.len = j;
	if (kind == BODY_HTML)
		html_to_text(utf8.p ? utf8.p : "", utf8.len, out);
	else if (utf8.len)
		buf_add(out, utf8.p, utf8.len);
	buf_free(&raw);
	buf_free(&utf8);
}

static void add_attachment(struct mail *m, const struct part *p)
{
	struct buf raw = {0};
	uint8_t md[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1], *name = part_filename(p);
	jv a = jv_object();

	part_decode(m, p, &raw);
	digest_sha256(raw.p ? raw.p : "", raw.len, md);
	hex_encode(md, SHA256_LEN, hex);
	a = jv_object_set(a, jv_string("name"), name ? text_jv(name, strlen(name)) : jv_null());
	a = jv_object_set(a, jv_string("type"), text_jv(p->type, strlen(p->type)));
	a = jv_object_set(a, jv_string("size"), jv_number((double)raw.len));
	a = jv_object_set(a, jv_string("sha256"), jv_string(hex));
	m->attachments = jv_array_append(m->attachments, a);
	free(name);
	buf_free(&raw);
}

/*
 * Every part but the body becomes an attachment, except the other renderings
 * of a multipart/alternative (text parts in branches not chosen are skipped)
 * and further inline text/plain parts of a plain body, which are appended to
 * it (as mail readers show them).
 */
static void collect(struct mail *m, const struct part *p, int other_rendering)
{
	enum body_kind k;

	if (p->multipart) {
		const struct part *branch = NULL;
		if (!strcmp(p->type, "multipart/alternative")) {
			const struct part *html = NULL;
			for (const struct part *c = p->child; c && !branch; c = c->next) {
				body_choose(c, &k);
				if (k == BODY_PLAIN)
					branch = c;
				else if (k == BODY_HTML && !html)
					html = c;
			}
			if (!branch)
				branch = html;
		}
		for (const struct part *c = p->child; c; c = c->next)
			collect(m, c, other_rendering || (branch && c != branch));
		return;
	}
	if (p == m->body_part)
		return;
	k = inline_text_kind(p);
	if (k && other_rendering)
		return;
	if (k == BODY_PLAIN && m->body_kind == BODY_PLAIN) {
		buf_adds(&m->body, "\n\n");
		part_text(m, p, k, &m->body);
		return;
	}
	add_attachment(m, p);
}

/* Find the body, then the attachments. */
static void read_parts(struct mail *m, const struct part *root)
{
	m->body_part = body_choose(root, &m->body_kind);
	if (m->body_part)
		part_text(m, m->body_part, m->body_kind, &m->body);
	collect(m, root, 0);
	while (m->body.len && isspace((unsigned char)m->body.p[m->body.len - 1]))
		m->body.len--;
}

static void set_sent_at(struct mail *m, jv *o, const struct headers *hs)
{
	const struct buf *v = header_get(hs, "date");
	enum maildate_zone zone;
	char when[RFC3339_LEN], zone_name[MAILDATE_ZONE_LEN];
	time_t t;

	if (!v) {
		warn(m, "no Date header: sent_at left out");
		return;
	}
	if (maildate_parse(v->p, &t, &zone, zone_name) < 0) {
		warn(m, "Date \"%.80s\" not understood: sent_at left out", v->p);
		return;
	}
	if (zone == MAILDATE_ZONE_UNKNOWN)
		warn(m, "Date \"%.80s\": time zone \"%s\" not known, read as UTC", v->p, zone_name);
	else if (zone == MAILDATE_ZONE_MISSING)
		warn(m, "Date \"%.80s\" has no time zone, read as UTC", v->p);
	clock_format(t, when);
	*o = jv_object_set(*o, jv_string("sent_at"), jv_string(when));
}

/* A header value decoded (RFC 2047, raw 8-bit as UTF-8 or windows-1252) and trimmed. */
static jv decoded_jv(struct mail *m, const char *s, size_t n, const char *what)
{
	struct buf b = {0};
	const char *t;
	size_t tn;
	jv v;

	trim(&s, &n);
	if (rfc2047_decode(s, n, &b))
		warn(m, "%s: encoded word in an unknown charset", what);
	t = b.p ? b.p : "";
	tn = b.len;
	trim(&t, &tn);
	v = text_jv(t, tn);
	buf_free(&b);
	return v;
}

static void add_address(struct mail *m, jv *list, const char *s, size_t n, const char *what)
{
	trim(&s, &n);
	if (n)
		*list = jv_array_append(*list, decoded_jv(m, s, n, what));
}

/* Split an address list at the commas outside quotes, comments and angle
 * brackets; group names ("Group: a, b;") are dropped. */
static jv address_list(struct mail *m, const char *s, const char *what)
{
	jv list = jv_array();
	size_t start = 0, i, n = strlen(s);
	int quoted = 0, comment = 0, angle = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (quoted || comment) {
			if (c == '\\')
				i++;
			else if (quoted && c == '"')
				quoted = 0;
			else if (comment && c == '(')
				comment++;
			else if (comment && c == ')')
				comment--;
			continue;
		}
		if (c == '"') {
			quoted = 1;
		} else if (c == '(') {
			comment = 1;
		} else if (c == '<') {
			angle = 1;
		} else if (c == '>') {
			angle = 0;
		} else if (!angle && (c == ',' || c == ';')) {
			add_address(m, &list, s + start, i - start, what);
			start = i + 1;
		} else if (!angle && c == ':' && !memchr(s + start, '@', i - start) &&
			   !memmem(s + start, i - start, "=?", 2)) {
			start = i + 1;
		}
	}
	add_address(m, &list, s + start, n - start, what);
	return list;
}

/* Append the message ids in s ("<a@b> <c@d>", or bare ids) to refs unless present. */
static void add_ids(jv *refs, const char *s)
{
	const char *p = s, *lt, *gt;
	int bracketed = strchr(s, '<') != NULL;

	while (*p) {
		size_t n;
		if (bracketed) {
			if (!(lt = strchr(p, '<')) || !(gt = strchr(lt, '>')))
				break;
			p = lt + 1;
			n = (size_t)(gt - p);
		} else {
			p += strspn(p, " \t,");
			n = strcspn(p, " \t,");
			gt = p + n;
			if (!n)
				break;
		}
		if (n && n < 1000 && jv_array_length(jv_copy(*refs)) < MAX_REFS) {
			jv id = text_jv(p, n);
			int seen = 0;
			jv_array_foreach (*refs, k, r) {
				seen |= jv_equal(r, jv_copy(id));
			}
			*refs = seen ? (jv_free(id), *refs) : jv_array_append(*refs, id);
		}
		p = *gt ? gt + 1 : gt;
	}
}

/* An ISO 639-1 code from a Content-Language value, or NULL. */
static const char *language_code(const char *v, char code[3])
{
	static const char *const three[][2] = {
	    {"ara", "ar"}, {"eng", "en"}, {"fra", "fr"}, {"fre", "fr"}, {"spa", "es"}};
	size_t n;

	if (!v)
		return NULL;
	v += strspn(v, " \t");
	n = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	if (v[n] && v[n] != '-' && v[n] != ',' && v[n] != ' ' && v[n] != ';')
		return NULL;
	if (n == 2) {
		code[0] = (char)tolower((unsigned char)v[0]);
		code[1] = (char)tolower((unsigned char)v[1]);
		code[2] = '\0';
		return code;
	}
	for (size_t i = 0; n == 3 && i < sizeof three / sizeof three[0]; i++)
		if (!strncasecmp(v, three[i][0], 3))
			return strcpy(code, three[i][1]);
	return NULL;
}

static const char *const known_headers[] = {
    "from",        "to",         "cc",          "date",         "subject",
    "message-id",  "received",   "return-path", "mime-version", "delivered-to",
    "in-reply-to", "references", "reply-to",    "sender",       NULL};

static int known_header(const char *name, size_t n)
{
	for (const char *const *k = known_headers; *k; k++)
		if (strlen(*k) == n && !strncasecmp(*k, name, n))
			return 1;
	return 0;
}

static size_t skip_from_line(const char *buf, size_t len)
{
	if (len >= 5 && !memcmp(buf, "From ", 5)) {
		size_t e = line_end(buf, len, 0);
		return e < len ? e + 1 : len;
	}
	return 0;
}

static char *error_text(const char *s)
{
	char *e = xstrdup(s);
	return e;
}

jv mail_parse(const char *buf, size_t len, char **err)
{
	struct mail m = {jv_array(), jv_array(), 0, NULL, BODY_NONE, {0}, 0};
	struct headers hs = {0};
	size_t start = skip_from_line(buf, len), body;
	struct part *root;
	int stray, known = 0;
	const struct buf *v;
	const char *lang;
	char code[3];
	jv o, refs;

	*err = NULL;
	body = start + headers_parse(buf + start, len - start, &hs, &stray);
	for (size_t i = 0; i < hs.n; i++)
		known |= known_header(hs.h[i].name, hs.h[i].nlen);
	if (!hs.n || !known) {
		*err = error_text(start == len ? "not an e-mail: empty input"
				  : !hs.n ? "not an e-mail: the first line is not a header field"
					  : "not an e-mail: no From, To, Date, Subject or "
					    "Message-ID header");
		headers_free(&hs);
		jv_free(m.warnings);
		jv_free(m.attachments);
		return jv_invalid();
	}
	if (stray)
		warn(&m, "header block ends at a line that is not a header field");
	headers_finish(&hs);

	o = jv_object();
	if ((v = header_get(&hs, "from")))
		o = jv_object_set(o, jv_string("from"), decoded_jv(&m, v->p, v->len, "From"));
	v = header_get(&hs, "to");
	o = jv_object_set(o, jv_string("to"), v ? address_list(&m, v->p, "To") : jv_array());
	if ((v = header_get(&hs, "cc")))
		o = jv_object_set(o, jv_string("cc"), address_list(&m, v->p, "Cc"));
	set_sent_at(&m, &o, &hs);
	if ((v = header_get(&hs, "subject")))
		o = jv_object_set(o, jv_string("subject"), decoded_jv(&m, v->p, v->len, "Subject"));
	if ((v = header_get(&hs, "message-id"))) {
		jv ids = jv_array();
		add_ids(&ids, v->p);
		if (jv_array_length(jv_copy(ids)) > 0)
			o = jv_object_set(o, jv_string("external_id"),
					  jv_array_get(jv_copy(ids), 0));
		else
			warn(&m, "empty Message-ID");
		jv_free(ids);
	}
	refs = jv_array();
	if ((v = header_get(&hs, "in-reply-to")))
		add_ids(&refs, v->p);
	if ((v = header_get(&hs, "references")))
		add_ids(&refs, v->p);
	o = jv_object_set(o, jv_string("refs"), refs);

	root = part_new(&m, &hs, buf + body, len - body, 0, "text/plain");
	if (m.too_deep) {
		char why[96];
		snprintf(why, sizeof why, "multipart nested deeper than %d levels", MAIL_MAX_DEPTH);
		*err = error_text(why);
		part_free(root);
		headers_free(&hs);
		jv_free(o);
		jv_free(m.warnings);
		jv_free(m.attachments);
		return jv_invalid();
	}
	read_parts(&m, root);
	v = header_get(&hs, "content-language");
	lang = language_code(v ? v->p : m.body_part ? m.body_part->lang : NULL, code);
	if (lang)
		o = jv_object_set(o, jv_string("language"), jv_string(lang));
	o = jv_object_set(o, jv_string("body"), text_jv(m.body.p ? m.body.p : "", m.body.len));
	o = jv_object_set(o, jv_string("attachments"), m.attachments);
	if (m.nwarnings > MAX_WARNINGS)
		m.warnings = jv_array_append(m.warnings, jv_string_fmt("%d more warnings left out",
								       m.nwarnings - MAX_WARNINGS));
	if (m.nwarnings)
		o = jv_object_set(o, jv_string("warnings"), m.warnings);
	else
		jv_free(m.warnings);
	part_free(root);
	headers_free(&hs);
	buf_free(&m.body);
	return o;
}

int mail_looks_like(const char *buf, size_t len)
{
	size_t i = 0, n = len < 16384 ? len : 16384;
	int first = 1;

	if (len >= 5 && !memcmp(buf, "From ", 5))
		return 1;
	while (i < n) {
		size_t e = line_end(buf, n, i), k = 0;
		if (e == i || (e == i + 1 && buf[i] == '\r'))
			return 0;
		if (!first && (buf[i] == ' ' || buf[i] == '\t')) {
			i = e + 1;
			continue;
		}
		while (i + k < e && (isalnum((unsigned char)buf[i + k]) || buf[i + k] == '-' ||
				     buf[i + k] == '_'))
			k++;
		if (!k || i + k >= e || buf[i + k] != ':')
			return 0;
		if (known_header(buf + i, k))
			return 1;
		first = 0;
		i = e + 1;
	}
	return 0;
}
