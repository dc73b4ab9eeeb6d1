/*
 * forward.h: a write at a standby is sent to the primary's program.
 *
 * When a program that writes opens a standby's store (the newest epoch's
 * primary is another site), it does not run here: the command that reaches
 * the primary's ccc-failover (the site setting via:PRIMARY, recorded with
 * 'ccc-failover site add PRIMARY KEY --via CMD') is asked its position, and
 * when it answers, the same program with the same arguments (less those
 * naming this site's store) replaces this process through /bin/sh, with its
 * standard input and output: the primary's output is printed and its exit
 * status returned. When the primary cannot be reached, nothing is written
 * anywhere and nothing is read: exit 75 with the command that would have run.
 * The forwarded command carries CCC_FORWARDED=SITE; a program that finds it
 * and is at a standby refuses (75) rather than forwarding again.
 */
#ifndef CCC_FORWARD_H
#define CCC_FORWARD_H

#include "ccc/store.h"

/* What a program is asked to do, as its command line gave it. */
struct forward {
	const char *program;        /* "ccc-intake" */
	int argc;                   /* the arguments after the program name */
	char *const *argv;          /* as given, before argp reordered them */
	const char *const *drop;    /* those to leave out (pointers into argv): */
	int ndrop;                  /* --store, --site, --key, --as and their values */
	const char *actor;          /* who acts: given to the primary as --as */
	int quiet, verbose, refuse; /* -q, -v, --no-forward */
};

/*
 * Forward the write when s is a standby's store that has imported its
 * primary's journal: then s is closed, and this process either becomes the
 * forwarded command (it does not return) or returns 75 having said why
 * (warned), with nothing read from stdin and nothing written. Returns 0 (s
 * open, untouched) at a primary and at a standby that has imported nothing
 * yet (store_begin fences it).
 */
int forward_write(struct store *s, const struct forward *f);

/* The arguments of this command line that name input files (FILE...): a
 * file here is not a file at the primary, so a write with one ('-', the
 * standard input, aside) is not forwarded (75, nothing read). Set by the
 * dispatcher for a command whose arguments are FILEs, and by a program that
 * reads files without one, before the store is opened. */
void forward_inputs(char *const *files, int n);

/* arg quoted for /bin/sh: as it is when every byte is one of
 * [A-Za-z0-9_@%+=:,./-] (and it is not empty), else in single quotes with
 * each ' written '\''. Caller frees. Pure. */
char *forward_quote(const char *arg);

/*
 * The command that runs program at the site via reaches, via being the
 * command that reaches that site's ccc-failover: its last word that is
 * ccc-failover (or ends in /ccc-failover), or the words "ccc failover", is
 * replaced by 'env CCC_FORWARDED=SITE PROGRAM', and the arguments args[0..n)
 * follow it, each quoted (twice when via starts with ssh, which joins its
 * arguments for a shell at the other end). NULL when via names no
 * ccc-failover. Caller frees. Pure.
 */
char *forward_command(const char *via, const char *program, const char *site,
		      const char *const *args, int n);

#endif
