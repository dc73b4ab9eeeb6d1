/*
 * mailwrite.c: an RFC 5322 e-mail from UTF-8 text (see mailwrite.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/digest.h"
#include "ccc/mailwrite.h"
#include "ccc/xmalloc.h"

enum {
	LINE_MAX_CHARS = 76, /* quoted-printable and base64 lines (RFC 2045) */
	FOLD_AT = 78,        /* header lines are folded before this (RFC 5322 2.1.1) */
	WORD_BYTES = 45,     /* UTF-8 bytes in one encoded word: 60 base64 chars, 72 in all */
	MAX_REFS = 20,       /* References keeps the newest ids of a long thread */
};

static const char specials[] = "()<>[]:;@\\,.\"";

static int is_atext(unsigned char c)
{
	return c > 32 && c < 127 && !strchr(specials, c);
}

/* An id (without brackets) a Message-ID may carry: printable ASCII, one @,
 * no spaces, brackets or quotes. */
static int id_ok(const char *id)
{
	int at = 0;
	if (!id || !*id || strlen(id) > 250)
		return 0;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		if (*p == '@')
			at++;
		else if (*p <= 32 || *p >= 127 || strchr("<>\"\\,;:[]()", *p))
			return 0;
	}
	return at == 1 && id[0] != '@' && id[strlen(id) - 1] != '@';
}

int mail_addr_spec(const char *s, char *addr, size_t n)
{
	const char *lt = strrchr(s, '<'), *b = s, *e = s + strlen(s);
	if (lt) {
		const char *gt = strchr(lt, '>');
		if (!gt)
			return -1;
		b = lt + 1;
		e = gt;
	}
	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	size_t len = (size_t)(e - b);
	if (!len || len >= n || len > 254)
		return -1;
	int at = 0;
	for (const char *p = b; p < e; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '@')
			at++;
		else if (c <= 32 || c >= 127 || strchr("<>,;:\"\\()[]", c))
			return -1;
	}
	if (at != 1 || *b == '@' || e[-1] == '@')
		return -1;
	memcpy(addr, b, len);
	addr[len] = '\0';
	return 0;
}

/* s[0..n) with every control character (tab, CR and LF too) as a space:
 * nothing a header is given can end it or start another. */
static char *flatten(const char *s, size_t n)
{
	char *t = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		t[i] = c < 32 || c == 127 ? ' ' : (char)c;
	}
	t[n] = '\0';
	return t;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 128)
			return 0;
	return 1;
}

/* The length of the longest prefix of s[0..n) that is at most max bytes and
 * does not end inside a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	size_t k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k ? k : max;
}

/*
 * Append the header text s after "Name: " (col columns used), folded:
 * ASCII as it is, broken at spaces before FOLD_AT; other text as RFC 2047
 * "B" encoded words of whole characters, one a line. Returns the column
 * the last line ends at.
 */
static size_t header_text(struct buf *out, const char *s, size_t col)
{
	/* ASCII that a reader would take for an encoded word is encoded too */
	if (is_ascii(s) && !strstr(s, "=?")) {
		const char *p = s;
		while (*p) {
			size_t left = strlen(p);
			if (col + left <= FOLD_AT) {
				buf_adds(out, p);
				return col + left;
			}
			/* the last space before the fold, else the first after */
			const char *cut = NULL;
			for (const char *q = p + 1; q < p + left && (size_t)(q - p) + col < FOLD_AT;
			     q++)
				if (*q == ' ')
					cut = q;
			if (!cut)
				cut = strchr(p + 1, ' ');
			if (!cut) {
				buf_adds(out, p);
				return col + left;
			}
			buf_add(out, p, (size_t)(cut - p));
			buf_adds(out, "\n");
			p = cut; /* the space starts the continuation line */
			col = 0;
		}
		return col;
	}
	size_t n = strlen(s), off = 0;
	char b64[64];
	while (off < n) {
		if (off || col + 12 + 8 > FOLD_AT) {
			buf_adds(out, "\n ");
			col = 1;
		}
		/* as many whole characters as fit the line: 4 base64 chars a 3 bytes */
		size_t room = (FOLD_AT - col - 12) / 4 * 3;
		size_t k = utf8_cut(s + off, n - off, room < WORD_BYTES ? room : WORD_BYTES);
		base64_encode((const uint8_t *)s + off, k, b64);
		buf_adds(out, "=?UTF-8?B?");
		buf_adds(out, b64);
		buf_adds(out, "?=");
		col += strlen(b64) + 12;
		off += k;
	}
	return col;
}

/* "Name <addr>", the name quoted or encoded as it needs; "addr" alone when
 * there is no name. */
static int header_address(struct buf *out, const char *name, const char *value, char *err,
			  size_t errlen)
{
	char addr[256];
	if (mail_addr_spec(value, addr, sizeof addr) < 0) {
		snprintf(err, errlen, "%s: '%.80s' is not an e-mail address", name, value);
		return -1;
	}
	buf_adds(out, name);
	buf_adds(out, ": ");
	const char *lt = strrchr(value, '<');
	if (lt) {
		size_t dn = (size_t)(lt - value);
		while (dn && (value[dn - 1] == ' ' || value[dn - 1] == '\t'))
			dn--;
		char *display = flatten(value, dn);
		char *d = display;
		if (*d == '"' && dn >= 2 && d[dn - 1] == '"') {
			d[dn - 1] = '\0';
			d++;
		}
		if (*d && !is_ascii(d)) {
			size_t col = header_text(out, d, strlen(name) + 2);
			buf_adds(out, col + strlen(addr) + 3 > FOLD_AT ? "\n " : " ");
		} else if (*d) {
			int plain = 1;
			for (const char *p = d; *p; p++)
				if (!is_atext((unsigned char)*p) && *p != ' ')
					plain = 0;
			if (!plain)
				buf_addc(out, '"');
			for (const char *p = d; *p; p++) {
				if (!plain && (*p == '"' || *p == '\\'))
					buf_addc(out, '\\');
				buf_addc(out, *p);
			}
			if (!plain)
				buf_addc(out, '"');
			buf_adds(out, " ");
		}
		free(display);
		buf_adds(out, "<");
		buf_adds(out, addr);
		buf_adds(out, ">\n");
	} else {
		buf_adds(out, addr);
		buf_adds(out, "\n");
	}
	return 0;
}

static void header_date(struct buf *out, time_t t)
{
	static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	char line[64];
	gmtime_r(&t, &tm);
	snprintf(line, sizeof line, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\n",
		 days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
	buf_adds(out, line);
}

/* "References: <a> <b>", folded between ids; ids that are not well formed
 * are left out. */
static void header_refs(struct buf *out, jv refs, const char *last)
{
	const char *ids[MAX_REFS + 1];
	int n = 0, total = 0;
	if (jv_get_kind(refs) == JV_KIND_ARRAY)
		total = jv_array_length(jv_copy(refs));
	for (int i = 0; i < total; i++) {
		jv v = jv_array_get(jv_copy(refs), i);
		const char *id = jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) : NULL;
		jv_free(v);
		if (!id_ok(id) || (last && !strcmp(id, last)))
			continue;
		if (n == MAX_REFS) {
			memmove(ids, ids + 1, (MAX_REFS - 1) * sizeof *ids);
			n--;
		}
		ids[n++] = id; /* refs holds it */
	}
	if (last && id_ok(last))
		ids[n++] = last;
	if (!n)
		return;
	size_t col = strlen("References:");
	buf_adds(out, "References:");
	for (int i = 0; i < n; i++) {
		size_t w = strlen(ids[i]) + 3;
		if (i && col + w > FOLD_AT) {
			buf_adds(out, "\n");
			col = 0;
		}
		buf_adds(out, " <");
		buf_adds(out, ids[i]);
		buf_adds(out, ">");
		col += w;
	}
	buf_adds(out, "\n");
}

enum body_encoding { ENC_7BIT, ENC_QP, ENC_BASE64 };

static enum body_encoding body_encoding(const char *s, size_t n)
{
	size_t high = 0, line = 0, longest = 0, from = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (line == 0 && c == 'F' && n - i >= 5 && !memcmp(s + i, "From ", 5))
			from = 1;
		high += c >= 128;
		line = c == '\n' ? 0 : line + 1;
		if (line > longest)
			longest = line;
	}
	if (!high && longest <= LINE_MAX_CHARS && !from)
		return ENC_7BIT;
	/* Arabic text is two bytes a letter, each =XX in quoted-printable */
	return high * 3 > n ? ENC_BASE64 : ENC_QP;
}

static void body_qp(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			buf_addc(out, '\n');
			col = 0;
			continue;
		}
		int at_end = i + 1 == n || s[i + 1] == '\n';
		/* "From " at a line's start is spelled =46rom: no mbox reader takes
		 * it for the start of another message */
		int from_line = col == 0 && c == 'F' && n - i >= 5 && !memcmp(s + i, "From ", 5);
		int plain =
		    ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end)) &&
		    !from_line && !(col == 0 && c == '.');
		size_t w = plain ? 1 : 3;
		if (col + w > LINE_MAX_CHARS - 1) {
			buf_adds(out, "=\n");
			col = 0;
		}
		if (plain) {
			buf_addc(out, (char)c);
		} else {
			buf_addc(out, '=');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 15]);
		}
		col += w;
	}
}

static void body_base64(struct buf *out, const char *s, size_t n)
{
	char line[LINE_MAX_CHARS + 1];
	for (size_t off = 0; off < n; off += 57) {
		size_t k = n - off < 57 ? n - off : 57;
		base64_encode((const uint8_t *)s + off, k, line);
		buf_adds(out, line);
		buf_addc(out, '\n');
	}
}

int mail_write(struct buf *out, const struct mail_out *m, char *err, size_t errlen)
{
	if (!id_ok(m->message_id)) {
		snprintf(err, errlen, "Message-ID: '%.80s' is not a message id",
			 m->message_id ? m->message_id : "");
		return -1;
	}
	size_t start = out->len;
	header_date(out, m->date);
	if (header_address(out, "From", m->from, err, errlen) < 0 ||
	    header_address(out, "To", m->to, err, errlen) < 0) {
		out->len = start;
		return -1;
	}
	char *subject = flatten(m->subject ? m->subject : "", m->subject ? strlen(m->subject) : 0);
	buf_adds(out, "Subject: ");
	header_text(out, subject, strlen("Subject: "));
	buf_adds(out, "\n");
	free(subject);
	buf_adds(out, "Message-ID: <");
	buf_adds(out, m->message_id);
	buf_adds(out, ">\n");
	if (id_ok(m->in_reply_to)) {
		buf_adds(out, "In-Reply-To: <");
		buf_adds(out, m->in_reply_to);
		buf_adds(out, ">\n");
	}
	header_refs(out, m->references, id_ok(m->in_reply_to) ? m->in_reply_to : NULL);
	if (m->language && strlen(m->language) == 2 && is_atext((unsigned char)m->language[0]) &&
	    is_atext((unsigned char)m->language[1])) {
		buf_adds(out, "Content-Language: ");
		buf_adds(out, m->language);
		buf_adds(out, "\n");
	}

	/* the body: LF line ends, no other controls but tab, and a last newline */
	const char *b = m->body ? m->body : "";
	struct buf text = {0};
	for (const char *p = b; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\r' && p[1] == '\n')
			continue;
		buf_addc(&text, (c < 32 && c != '\n' && c != '\t') || c == 127 ? ' ' : (char)c);
	}
	if (!text.len || text.p[text.len - 1] != '\n')
		buf_addc(&text, '\n');
	enum body_encoding enc = body_encoding(text.p, text.len);
	static const char *const names[] = {"7bit", "quoted-printable", "base64"};
	buf_adds(out, "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
		      "Content-Transfer-Encoding: ");
	buf_adds(out, names[enc]);
	buf_adds(out, "\n\n");
	if (enc == ENC_7BIT)
		buf_add(out, text.p, text.len);
	else if (enc == ENC_QP)
		body_qp(out, text.p, text.len);
	else
		body_base64(out, text.p, text.len);
	buf_free(&text);
	return 0;
}
