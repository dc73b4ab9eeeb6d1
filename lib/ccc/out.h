/*
 * out.h: the one place that writes records to stdout.
 *
 * Output is buffered and flushed by the caller once per batch (after the
 * batch's transaction committed). A closed pipe (EPIPE) stops the program
 * quietly, as SIGPIPE would. Any other write error is said once on stderr;
 * from then on output is dropped, out_flush returns 74 (the stream loop
 * stops with it) and out_close turns the program's status into 74: a write
 * error on stdout is never silent, and lib/ does not exit for it.
 */
#ifndef CCC_OUT_H
#define CCC_OUT_H

#include <stddef.h>

#include <jv.h>

/* Append bytes, or one record line (a newline is added). */
void out_write(const char *p, size_t n);
void out_line(const char *p, size_t n);
/* Append v as one compact JSON line. Consumes v. */
void out_jv(jv v);
/* Write everything buffered: 0, or 74 once a write has failed. On EPIPE:
 * the process ends quietly (SIGPIPE). */
int out_flush(void);
/* Write all n bytes of p to fd, again after EINTR and short writes: 0, or
 * -1 with errno. */
int write_all(int fd, const void *p, size_t n);
/* 74 once a write to stdout has failed, else 0. */
int out_failed(void);
/* Flush and close stdout, checking for errors; call last, as
 * `return out_close(rc);`: returns rc, or 74 when a write failed. */
int out_close(int rc);
/* 1 if stdout is a terminal (for table output). On a terminal, what is
 * written has its control characters made visible (utf8_escape_controls). */
int out_is_tty(void);
/* From now on, stderr shows control characters, never sends them: every
 * warnx line that echoes input is safe to read. ccc_opts_init calls it. */
void out_guard_stderr(void);

#endif
