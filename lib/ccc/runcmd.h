/*
 * runcmd.h: the one way a program runs a command the operator gave (a
 * --via that reaches another site, a --via that delivers a reply): through
 * /bin/sh -c, its standard input from a file descriptor, its output kept,
 * and one reading of how it ended.
 */
#ifndef CCC_RUNCMD_H
#define CCC_RUNCMD_H

/*
 * Run cmd with stdin from in_fd (-1: /dev/null); *out_fd gets its whole
 * output, read from the start (a memfd; close it; -1 when it could not
 * run). Returns its exit status: 0, its exit code, 128 + the signal that
 * ended it, 127 when the shell could not run, or 70 when it could not be
 * started (each but 0 warned). verbose: show the command on stderr.
 */
int run_command(const char *cmd, int in_fd, int *out_fd, int verbose);

#endif
