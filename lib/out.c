/*
 * out.c: buffered record output with checked writes.
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/out.h"

static struct buf ob;

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

void out_flush(void)
{
	size_t off = 0;
	while (off < ob.len) {
		ssize_t n = write(STDOUT_FILENO, ob.p + off, ob.len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				/* The reader went away: stop as quietly as SIGPIPE would. */
				signal(SIGPIPE, SIG_DFL);
				raise(SIGPIPE);
				_exit(128 + SIGPIPE);
			}
			err(CCC_EX_IOERR, "write error on stdout");
		}
		off += (size_t)n;
	}
	ob.len = 0;
}

void out_close(void)
{
	out_flush();
	buf_free(&ob);
	if (close(STDOUT_FILENO) < 0 && errno != EBADF && errno != EINTR)
		err(CCC_EX_IOERR, "write error on stdout");
}

int out_is_tty(void)
{
	return isatty(STDOUT_FILENO);
}
