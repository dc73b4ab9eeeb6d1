/*
 * out.c: buffered record output with checked writes.
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/out.h"
#include "ccc/utf8.h"

static struct buf ob;
static struct buf safe; /* what a terminal is given */
static int tty = -1;    /* is stdout a terminal? -1: not asked yet */
static int failed;      /* a write to stdout failed: what is written is dropped */

/* A write error: say so once; from now on output is dropped, and
 * out_flush and out_close return 74. */
static int write_failed(void)
{
	if (!failed)
		warn("write error on stdout");
	failed = 1;
	ob.len = 0;
	return CCC_EX_IOERR;
}

void out_write(const char *p, size_t n)
{
	buf_add(&ob, p, n);
	if (ob.len >= (1 << 20))
		out_flush();
}

void out_line(const char *p, size_t n)
{
	buf_grow(&ob, n + 1);
	memcpy(ob.p + ob.len, p, n);
	ob.len += n;
	ob.p[ob.len++] = '\n';
	if (ob.len >= (1 << 20))
		out_flush();
}

void out_jv(jv v)
{
	json_write(&ob, v);
	buf_addc(&ob, '\n');
	jv_free(v);
	if (ob.len >= (1 << 20))
		out_flush();
}

int out_flush(void)
{
	size_t off = 0;
	const char *p = ob.p;
	size_t len = ob.len;
	if (failed) {
		ob.len = 0;
		return CCC_EX_IOERR;
	}
	if (tty < 0)
		tty = isatty(STDOUT_FILENO);
	if (tty && len && utf8_has_controls(p, len, UTF8_KEEP_NEWLINE | UTF8_KEEP_TAB)) {
		/* Input is never a terminal's command: its controls are shown, not sent. */
		safe.len = 0;
		buf_grow(&safe, 6 * len);
		safe.len = utf8_escape_controls(safe.p, p, len, UTF8_KEEP_NEWLINE | UTF8_KEEP_TAB);
		p = safe.p;
		len = safe.len;
	}
	while (off < len) {
		ssize_t n = write(STDOUT_FILENO, p + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				/* The reader went away: stop as quietly as SIGPIPE would. */
				signal(SIGPIPE, SIG_DFL);
				raise(SIGPIPE);
				_exit(128 + SIGPIPE);
			}
			return write_failed();
		}
		off += (size_t)n;
	}
	ob.len = 0;
	return 0;
}

int out_failed(void)
{
	return failed ? CCC_EX_IOERR : 0;
}

int out_close(int rc)
{
	out_flush();
	buf_free(&ob);
	if (close(STDOUT_FILENO) < 0 && errno != EBADF && errno != EINTR)
		write_failed();
	return failed ? CCC_EX_IOERR : rc;
}

int out_is_tty(void)
{
	return isatty(STDOUT_FILENO);
}

/* stderr through utf8_escape_controls: a character cut between two writes
 * waits for the next. */
static ssize_t err_write(void *cookie, const char *p, size_t n)
{
	static char held[4];
	static size_t nheld;
	static struct buf in, esc;
	size_t keep = 0;

	in.len = 0;
	buf_add(&in, held, nheld);
	buf_add(&in, p, n);
	/* an unfinished UTF-8 sequence at the end waits (at most 3 bytes) */
	for (size_t k = 1; k <= 3 && k <= in.len; k++) {
		unsigned char c = (unsigned char)in.p[in.len - k];
		if ((c & 0xC0) == 0x80)
			continue;
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (need > k)
			keep = k;
		break;
	}
	nheld = keep;
	memcpy(held, in.p + in.len - keep, keep);
	buf_grow(&esc, 6 * in.len + 1);
	size_t len = utf8_escape_controls(esc.p, in.p, in.len - keep,
					  UTF8_KEEP_NEWLINE | UTF8_KEEP_TAB),
	       off = 0;
	while (off < len) {
		ssize_t w = write(STDERR_FILENO, esc.p + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += (size_t)w;
	}
	(void)cookie;
	return (ssize_t)n;
}

void out_guard_stderr(void)
{
	static int done;
	cookie_io_functions_t io = {.write = err_write};
	FILE *f;
	if (done++)
		return;
	fflush(stderr);
	if (!(f = fopencookie(NULL, "w", io)))
		return;
	setvbuf(f, NULL, _IONBF, 0);
	stderr = f;
}

int write_all(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p = (const char *)p + w;
		n -= (size_t)w;
	}
	return 0;
}
