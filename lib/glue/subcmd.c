/*
 * subcmd.c: find a program's subcommand in its table, check its arguments,
 * open the store in its mode and run it; a mistyped one is a usage error
 * with the nearest name.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ccc/exit.h"
#include "ccc/forward.h"
#include "ccc/subcmd.h"
#include "ccc/suggest.h"

#define MAXCMDS 64
#define WORDLEN 64

/* The first word of name into w (at most WORDLEN bytes); its length. */
static size_t first_word(const char *name, char w[WORDLEN])
{
	size_t k = strcspn(name, " ");
	if (k >= WORDLEN)
		k = WORDLEN - 1;
	memcpy(w, name, k);
	w[k] = '\0';
	return k;
}

const struct subcmd *subcmd_find(const struct subcmd *tab, size_t n, int nwords, char *const *words,
				 int *used)
{
	char w[WORDLEN];
	if (nwords < 1)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t k = first_word(tab[i].name, w);
		if (strcmp(w, words[0]) != 0)
			continue;
		if (!tab[i].name[k]) {
			*used = 1;
			return &tab[i];
		}
		if (nwords >= 2 && !strcmp(tab[i].name + k + 1, words[1])) {
			*used = 2;
			return &tab[i];
		}
	}
	return NULL;
}

int subcmd_suggest(const struct subcmd *tab, size_t n, int nwords, char *const *words, char *buf,
		   size_t len)
{
	char firsts[MAXCMDS][WORDLEN];
	const char *names[MAXCMDS];
	size_t m = 0, k;
	int two = 0;

	if (nwords < 1 || len == 0)
		return -1;
	/* "trust ad": the second words of the names that start with "trust". */
	for (size_t i = 0; i < n && nwords >= 2; i++) {
		k = first_word(tab[i].name, firsts[0]);
		if (tab[i].name[k] && !strcmp(firsts[0], words[0]))
			two = 1;
	}
	for (size_t i = 0; i < n && m < MAXCMDS; i++) {
		k = first_word(tab[i].name, firsts[m]);
		if (two) {
			if (tab[i].name[k] && !strcmp(firsts[m], words[0]))
				names[m++] = tab[i].name + k + 1;
			continue;
		}
		int seen = 0;
		for (size_t j = 0; j < m && !seen; j++)
			seen = !strcmp(names[j], firsts[m]);
		if (!seen) {
			names[m] = firsts[m];
			m++;
		}
	}
	const char *near = suggest(two ? words[1] : words[0], names, m);
	if (!near)
		return -1;
	if (two)
		snprintf(buf, len, "%s %s", words[0], near);
	else
		snprintf(buf, len, "%s", near);
	return 0;
}

int subcmd_mistyped(const struct subcmd *tab, size_t n, const char *word, char *buf, size_t len)
{
	struct stat st;
	char *const words[] = {(char *)word};
	if (len)
		buf[0] = '\0';
	/* a command word: a lowercase letter, then letters, digits and '-' (so
	 * "-", stdin, and any name with '/' or '.' is a file) */
	if (*word < 'a' || *word > 'z' ||
	    word[strspn(word, "abcdefghijklmnopqrstuvwxyz0123456789-")] || stat(word, &st) == 0 ||
	    errno != ENOENT)
		return 0;
	subcmd_suggest(tab, n, 1, words, buf, len);
	return 1;
}

int subcmd_filter_check(const struct subcmd *tab, size_t n, int nargs, char *const *args)
{
	char near[2 * WORDLEN];
	const char *prog = program_invocation_short_name;

	if (nargs < 1 || !subcmd_mistyped(tab, n, args[0], near, sizeof near))
		return 0;
	if (*near)
		warnx("'%s' is not a command; did you mean '%s'? (see '%s --help')", args[0], near,
		      prog);
	else
		warnx("'%s' is not a command, nor a file (see '%s --help')", args[0], prog);
	return CCC_EX_USAGE;
}

int subcmd_unknown(const struct subcmd *tab, size_t n, int nwords, char *const *words)
{
	char near[2 * WORDLEN];
	const char *prog = program_invocation_short_name;
	char what[2 * WORDLEN + 2];

	if (nwords < 1) {
		warnx("give a command (see '%s --help')", prog);
		return CCC_EX_USAGE;
	}
	/* "trust ad": the unknown word is the second */
	snprintf(what, sizeof what, "%s", words[0]);
	for (size_t i = 0; i < n && nwords >= 2; i++) {
		char w[WORDLEN];
		size_t k = first_word(tab[i].name, w);
		if (tab[i].name[k] && !strcmp(w, words[0])) {
			snprintf(what, sizeof what, "%s %s", words[0], words[1]);
			break;
		}
	}
	if (nwords < 2 || !strchr(what, ' ')) {
		/* "trust" alone, when only "trust add" and "trust list" are */
		char list[256] = "";
		size_t at = 0;
		for (size_t i = 0; i < n && nwords == 1; i++) {
			char w[WORDLEN];
			size_t k = first_word(tab[i].name, w);
			if (tab[i].name[k] && !strcmp(w, words[0]) && at < sizeof list) {
				int m = snprintf(list + at, sizeof list - at, "%s%s",
						 at ? ", " : "", tab[i].name + k + 1);
				at += m > 0 ? (size_t)m : 0;
			}
		}
		if (at) {
			warnx("%s: give one of %s (see '%s --help')", words[0], list, prog);
			return CCC_EX_USAGE;
		}
	}
	if (subcmd_suggest(tab, n, nwords, words, near, sizeof near) == 0)
		warnx("'%s' is not a command; did you mean '%s'? (see '%s --help')", what, near,
		      prog);
	else
		warnx("'%s' is not a command (see '%s --help')", what, prog);
	return CCC_EX_USAGE;
}

int subcmd_parse(const struct subcmd *tab, size_t n, int *nargs, char ***args,
		 const struct subcmd **cmd)
{
	int used = 0;
	const struct subcmd *c = subcmd_find(tab, n, *nargs, *args, &used);

	if (!c)
		return subcmd_unknown(tab, n, *nargs, *args);
	*args += used;
	*nargs -= used;
	if (c->max_args >= 0 && *nargs > c->max_args) {
		warnx("%s: unexpected argument '%s'", c->name, (*args)[c->max_args]);
		return CCC_EX_USAGE;
	}
	if (*nargs < c->min_args) {
		warnx("%s: needs %s", c->name, c->args ? c->args : "an argument");
		return CCC_EX_USAGE;
	}
	/* FILE arguments are files at this site: not for a write forwarded to
	 * the primary (forward.h) */
	if (c->files && c->args && !strcmp(c->args, "FILE"))
		forward_inputs(*args, *nargs);
	*cmd = c;
	return 0;
}

int subcmd_run(const struct subcmd *cmd, const char *path, const char *key)
{
	static const enum store_mode modes[] = {[SUBCMD_READ] = STORE_READ,
						[SUBCMD_WRITE] = STORE_WRITE,
						[SUBCMD_IMPORT] = STORE_IMPORT,
						[SUBCMD_WRITE_HERE] = STORE_WRITE};
	const char *last = strrchr(cmd->name, ' ');
	struct store *s = NULL;
	int rc;

	if (cmd->store == SUBCMD_WRITE_HERE && (rc = store_open_here(path, key, &s)))
		return rc;
	if (cmd->store != SUBCMD_NONE && cmd->store != SUBCMD_WRITE_HERE &&
	    (rc = store_open(path, modes[cmd->store], key, &s)))
		return rc;
	rc = cmd->run(s, last ? last + 1 : cmd->name);
	/* a statement that could not be prepared never ends in success */
	if (!rc)
		rc = store_stmt_failed(s);
	if (s)
		store_close(s);
	return rc;
}

int subcmd_dispatch(const struct subcmd *tab, size_t n, int *nargs, char ***args, const char *path,
		    const char *key)
{
	const struct subcmd *c = NULL;
	int rc = subcmd_parse(tab, n, nargs, args, &c);
	return rc ? rc : subcmd_run(c, path, key);
}
