/*
 * out.h: the one place that writes records to stdout.
 *
 * Output is buffered and flushed by the caller once per batch (after the
 * batch's transaction committed). A write error is fatal (exit 74); a closed
 * pipe (EPIPE) stops the program quietly, as SIGPIPE would.
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
/* Write everything buffered. On EPIPE: the process ends quietly (SIGPIPE). */
void out_flush(void);
/* Flush and close stdout, checking for errors; call before exit. */
void out_close(void);
/* 1 if stdout is a terminal (for table output). On a terminal, what is
 * written has its control characters made visible (utf8_escape_controls). */
int out_is_tty(void);
/* From now on, stderr shows control characters, never sends them: every
 * warnx line that echoes input is safe to read. ccc_opts_init calls it. */
void out_guard_stderr(void);

#endif
