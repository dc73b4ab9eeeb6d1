/*
 * subcmd.h: a program's subcommands as a table, read by one dispatcher.
 *
 *   static const struct subcmd cmds[] = {
 *       {"queue", SUBCMD_READ, 0, 0, NULL, 0, run_queue, "the open messages"},
 *       {"trust add", SUBCMD_NONE, 0, 2, "NAME KEY", 1, run_trust, "trust a key"},
 *   };
 *   rc = subcmd_dispatch(cmds, N, &cfg.nargs, &cfg.args, ccc_opts.store, ccc_opts.key);
 *
 * A name is one word or two ("trust add"); it is matched exactly. An unknown
 * or mistyped name is a usage error (64) with "did you mean", never a file.
 */
#ifndef CCC_SUBCMD_H
#define CCC_SUBCMD_H

#include <stddef.h>

#include "ccc/store.h"

/* How the dispatcher opens the store for a command. NONE: it does not (the
 * command needs none, or opens it itself). WRITE: a writer, which at a
 * standby is sent to the primary (forward.h); WRITE_HERE: a writer that runs
 * at a standby all the same, as a cron line run at every site that does
 * nothing but at the primary. */
enum subcmd_store { SUBCMD_NONE, SUBCMD_READ, SUBCMD_WRITE, SUBCMD_IMPORT, SUBCMD_WRITE_HERE };

struct subcmd {
	const char *name;        /* "queue", or two words: "trust add" */
	enum subcmd_store store; /* the mode to open the store with */
	int min_args, max_args;  /* arguments after the name; max -1: any */
	const char *args;        /* what they are, for "needs ...": "ID TEXT" */
	int files;               /* reads FILE arguments or stdin */
	/* s: the open store (NULL with SUBCMD_NONE); name: the entry's last word. */
	int (*run)(struct store *s, const char *name);
	const char *summary; /* one line */
};

/* The entry that words[0..nwords) start with: a two-word name needs both
 * words. *used is set to the words the name took (1 or 2). NULL: none. Pure. */
const struct subcmd *subcmd_find(const struct subcmd *tab, size_t n, int nwords, char *const *words,
				 int *used);

/* The name a mistyped command most likely meant, written into buf (at most
 * len bytes): a full two-word name when words[0] is the first word of one,
 * else a first word. 0 when there is one, -1 when none is near. Pure. */
int subcmd_suggest(const struct subcmd *tab, size_t n, int nwords, char *const *words, char *buf,
		   size_t len);

/* For a program that filters FILE arguments when given no command: 1 when
 * word is meant as a command rather than a file (it is a lowercase word of
 * letters, digits and '-', so has no '/' or '.' and is not "-", and no such
 * file exists), with the nearest command in buf ("" when none is). */
int subcmd_mistyped(const struct subcmd *tab, size_t n, const char *word, char *buf, size_t len);

/* The check a filter makes on its words when args[0] is no command: warn
 * "'WORD' is not a command; did you mean 'X'?" (or "..., nor a file") and
 * return 64 when args[0] is mistyped (subcmd_mistyped), else 0. */
int subcmd_filter_check(const struct subcmd *tab, size_t n, int nargs, char *const *args);

/* Find the command in *args[0..*nargs), warn and return 64 when there is
 * none or its arguments are too few or too many; else set *cmd, step *args
 * and *nargs past its name, and return 0. */
int subcmd_parse(const struct subcmd *tab, size_t n, int *nargs, char ***args,
		 const struct subcmd **cmd);

/* Open the store at path (key: the site key file, or NULL for the default)
 * in the command's mode, run it, close the store; the command's status. */
int subcmd_run(const struct subcmd *cmd, const char *path, const char *key);

/* subcmd_parse, then subcmd_run. */
int subcmd_dispatch(const struct subcmd *tab, size_t n, int *nargs, char ***args, const char *path,
		    const char *key);

/* A usage error for an unknown word: "'WORD' is not a command; did you mean
 * 'X'? (see 'PROG --help')"; returns 64. */
int subcmd_unknown(const struct subcmd *tab, size_t n, int nwords, char *const *words);

#endif
