/*
 * runcmd.h: the one way a program runs a command the operator gave (a
 * --via that reaches another site, a --via that delivers a reply): through
 * /bin/sh -c, its standard input from a file descriptor, its output kept,
 * and one reading of how it ended.
 */
#ifndef CCC_RUNCMD_H
#define CCC_RUNCMD_H

#include <stddef.h>

/*
 * Run cmd with stdin from in_fd (-1: /dev/null); *out_fd gets its whole
 * output, read from the start (a memfd; close it; -1 when it could not
 * run). Returns its exit status: 0, its exit code, 128 + the signal that
 * ended it, 127 when the shell could not run, or 70 when it could not be
 * started (each but 0 warned). verbose: show the command on stderr.
 */
int run_command(const char *cmd, int in_fd, int *out_fd, int verbose);

/*
 * Run cmd with the n bytes of p on its stdin (what names them in a
 * message: "page", "reply"): 0, or -1 with err saying why (it could not be
 * fed, or "'CMD' failed (exit N): FIRST LINE OF ITS OUTPUT").
 */
int run_command_with(const char *cmd, const char *what, const char *p, size_t n, int verbose,
		     char *err, size_t errlen);

#endif
