/*
 * ndjson.c: the NDJSON reader.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

#define CHUNK (256 * 1024)

struct ndjson_reader {
	int fd;
	const char *file;
	size_t max_line;
	char *buf;
	size_t cap, start, end; /* unread bytes are buf[start..end) */
	int eof;
	unsigned long lineno;
	/* the current over-long line: its hash and size */
	int long_line;
	uint8_t long_sum[SHA256_LEN];
	unsigned long long read_total; /* bytes read from fd */
	volatile sig_atomic_t *stop;   /* set by a signal handler: stop reading */
	int stopped;
	int lazy; /* good objects are validated, not parsed (ndjson_lazy) */
};

struct ndjson_reader *ndjson_open(int fd, const char *file, size_t max_line)
{
	struct ndjson_reader *r = xcalloc(1, sizeof *r);
	r->fd = fd;
	r->file = file;
	r->max_line = max_line;
	r->cap = max_line + 2 * CHUNK + 1;
	r->buf = xmalloc(r->cap);
	return r;
}

struct ndjson_reader *ndjson_open_prefix(int fd, const char *file, size_t max_line,
					 const char *prefix, size_t n)
{
	struct ndjson_reader *r = ndjson_open(fd, file, max_line);
	if (n > CHUNK)
		abort();
	memcpy(r->buf, prefix, n);
	r->end = n;
	return r;
}

void ndjson_stop_on(struct ndjson_reader *r, volatile sig_atomic_t *flag)
{
	r->stop = flag;
}

void ndjson_lazy(struct ndjson_reader *r, int on)
{
	r->lazy = on;
}

static int stopping(const struct ndjson_reader *r)
{
	return r->stop && *r->stop;
}

void ndjson_close(struct ndjson_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r);
}

/* Read more bytes after buf[end]; 1 read, 0 eof, 2 timeout, -1 error. */
static int fill(struct ndjson_reader *r, int timeout_ms)
{
	if (stopping(r)) {
		errno = EINTR;
		return -1;
	}
	/* Keep the unread bytes (a partial line) at the front: the buffer is
	 * sized for the longest line, but only the pages the lines in hand need
	 * are touched, so the resident memory stays flat however long the
	 * stream. Each byte moves at most once (the unread bytes are one line
	 * begun, and start stays 0 until it ends). */
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (timeout_ms >= 0) {
		struct pollfd pfd = {r->fd, POLLIN, 0};
		int n = poll(&pfd, 1, timeout_ms);
		if (n < 0)
			return -1;
		if (n == 0)
			return 2;
	}
	size_t room = r->cap - r->end;
	ssize_t n = read(r->fd, r->buf + r->end, room < CHUNK ? room : CHUNK);
	if (n < 0)
		return -1;
	if (n == 0) {
		r->eof = 1;
		return 0;
	}
	r->end += (size_t)n;
	r->read_total += (unsigned long long)n;
	return 1;
}

static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

jv ndjson_parse(const char *text, size_t len, char *reason, size_t rlen)
{
	const char *why;
	size_t at;
	int rc = json_check(text, len, &why, &at, reason, rlen);
	if (rc == -2)
		return jv_invalid(); /* I-JSON: the reason names the field */
	if (rc < 0) {
		size_t ok = utf8_valid_prefix(text, len, 0);
		if (ok < len)
			snprintf(reason, rlen, "invalid UTF-8 at byte %zu", ok + 1);
		else
			snprintf(reason, rlen, "not JSON: %s at byte %zu", why, at + 1);
		return jv_invalid();
	}
	jv v = json_parse_checked(text, len);
	if (!jv_is_valid(v)) {
		jv msg = jv_invalid_get_msg(v);
		snprintf(reason, rlen, "not JSON: %s",
			 jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "parse error");
		jv_free(msg);
		return jv_invalid();
	}
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		snprintf(reason, rlen, "not a JSON object (%s)", json_kind_phrase(jv_get_kind(v)));
		jv_free(v);
		return jv_invalid();
	}
	jv ver = jv_object_get(jv_copy(v), jv_string("v"));
	jv_kind k = jv_get_kind(ver);
	if (k != JV_KIND_INVALID && k != JV_KIND_NULL) {
		if (k != JV_KIND_NUMBER) {
			snprintf(reason, rlen, "field 'v': expected a number, got %s",
				 json_kind_phrase(k));
			jv_free(ver);
			jv_free(v);
			return jv_invalid();
		}
		double d = jv_number_value(ver);
		if (d >= RECORD_VERSION + 1 || d < 1) {
			snprintf(
			    reason, rlen,
			    "field 'v': record version %g is not supported (this program reads "
			    "version %d)",
			    d, RECORD_VERSION);
			jv_free(ver);
			jv_free(v);
			return jv_invalid();
		}
	}
	jv_free(ver);
	reason[0] = '\0';
	return v;
}

/* Is text[0..len) a valid JSON object (ndjson_parse takes it, or refuses its
 * record version)? */
static int lazy_object(const char *text, size_t len)
{
	const char *why;
	size_t at, i = 0;
	char detail[8];
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
		i++;
	return i < len && text[i] == '{' &&
	       json_check(text, len, &why, &at, detail, sizeof detail) == 0;
}

int ndjson_next(struct ndjson_reader *r, struct ndjson_line *ln, int timeout_ms)
{
	ln->lazy = 0;
	if (r->stopped) {
		errno = EINTR;
		return NDJSON_ERROR;
	}
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		size_t avail = r->end - r->start;
		int have_line = nl != NULL || (r->eof && avail > 0);

		if (!have_line && avail > r->max_line) {
			/* Too long: keep the first max_line bytes, hash and skip the rest. */
			struct digest_ctx *c = digest_new();
			size_t kept = r->max_line, total = 0;
			char *keep = xmalloc(kept ? kept : 1);
			memcpy(keep, r->buf + r->start, kept);
			for (;;) {
				char *e = memchr(r->buf + r->start, '\n', r->end - r->start);
				size_t n =
				    e ? (size_t)(e - (r->buf + r->start)) : r->end - r->start;
				digest_update(c, r->buf + r->start, n);
				total += n;
				if (e) {
					r->start += n + 1;
					break;
				}
				r->start = r->end = 0;
				if (stopping(r)) {
					/* A line that may never end (/dev/zero): report what was
					 * read of it, and read no more. */
					r->stopped = 1;
					break;
				}
				int f = fill(r, -1);
				if (f < 0 && errno == EINTR && !stopping(r))
					continue;
				if (f < 0 && errno == EINTR) {
					r->stopped = 1;
					break;
				}
				if (f < 0) {
					int saved = errno;
					free(keep);
					digest_final(c, r->long_sum);
					errno = saved;
					return NDJSON_ERROR;
				}
				if (f == 0)
					break;
			}
			digest_final(c, r->long_sum);
			/* Put the kept prefix at the front of the buffer for ln->text. */
			if (r->start < kept) {
				memmove(r->buf + kept, r->buf + r->start, r->end - r->start);
				r->end = kept + (r->end - r->start);
				r->start = kept;
			}
			memcpy(r->buf + r->start - kept, keep, kept);
			free(keep);
			r->lineno++;
			r->long_line = 1;
			ln->file = r->file;
			ln->lineno = r->lineno;
			ln->text = r->buf + r->start - kept;
			ln->len = kept;
			ln->full_len = total;
			ln->value = jv_invalid();
			if (r->stopped)
				snprintf(ln->reason, sizeof ln->reason,
					 "line too long (more than %zu bytes read before a signal "
					 "stopped the input; the limit is %zu, see --max-line)",
					 total, r->max_line);
			else
				snprintf(
				    ln->reason, sizeof ln->reason,
				    "line too long (%zu bytes; the limit is %zu, see --max-line)",
				    total, r->max_line);
			return NDJSON_LINE;
		}
		if (!have_line) {
			if (r->eof)
				return NDJSON_EOF;
			int f = fill(r, timeout_ms);
			if (f < 0)
				return NDJSON_ERROR;
			if (f == 2)
				return NDJSON_TIMEOUT;
			continue;
		}
		char *text = r->buf + r->start;
		size_t len = nl ? (size_t)(nl - text) : avail;
		r->start += len + (nl ? 1 : 0);
		r->lineno++;
		r->long_line = 0;
		if (len > 0 && text[len - 1] == '\r')
			len--;
		if (blank(text, len))
			continue;
		ln->file = r->file;
		ln->lineno = r->lineno;
		ln->text = text;
		ln->len = len;
		ln->full_len = len;
		if (len > r->max_line) {
			ln->len = r->max_line;
			ln->value = jv_invalid();
			digest_sha256(text, len, r->long_sum);
			r->long_line = 1;
			snprintf(ln->reason, sizeof ln->reason,
				 "line too long (%zu bytes; the limit is %zu, see --max-line)", len,
				 r->max_line);
			return NDJSON_LINE;
		}
		if (r->lazy && lazy_object(text, len)) {
			ln->value = jv_null();
			ln->lazy = 1;
			ln->reason[0] = '\0';
			return NDJSON_LINE;
		}
		ln->value = ndjson_parse(text, len, ln->reason, sizeof ln->reason);
		return NDJSON_LINE;
	}
}

unsigned long long ndjson_consumed(const struct ndjson_reader *r)
{
	return r->read_total - (r->end - r->start);
}

void ndjson_line_sha256(struct ndjson_reader *r, const struct ndjson_line *ln,
			uint8_t out[SHA256_LEN])
{
	if (r->long_line)
		memcpy(out, r->long_sum, SHA256_LEN);
	else
		digest_sha256(ln->text, ln->len, out);
}
