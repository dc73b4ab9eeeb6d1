/*
 * forward.c: a write at a standby, sent to the primary's program (forward.h).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/exit.h"
#include "ccc/forward.h"
#include "ccc/runcmd.h"
#include "ccc/sitelocal.h"
#include "ccc/xmalloc.h"

#define SHELL_SAFE "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-"

char *forward_quote(const char *arg)
{
	size_t n = strlen(arg), k = 0;
	if (n && strspn(arg, SHELL_SAFE) == n)
		return xstrdup(arg);
	char *q = xmalloc(4 * n + 3);
	q[k++] = '\'';
	for (const char *p = arg; *p; p++) {
		if (*p == '\'') {
			memcpy(q + k, "'\\''", 4);
			k += 4;
		} else
			q[k++] = *p;
	}
	q[k++] = '\'';
	q[k] = '\0';
	return q;
}

/* arg quoted once, or twice for a command that hands it to a shell again. */
static char *quoted(const char *arg, int twice)
{
	char *q = forward_quote(arg);
	if (twice) {
		char *qq = forward_quote(q);
		free(q);
		q = qq;
	}
	return q;
}

/* The word of via at [*at, *at + *len) that runs ccc-failover, and how much
 * of it to keep (a directory before the name). 0 when there is none. */
static int find_failover(const char *via, size_t *at, size_t *len, size_t *keep)
{
	static const char name[] = "ccc-failover";
	const size_t nlen = sizeof name - 1;
	int found = 0;
	for (size_t i = 0; via[i];) {
		i += strspn(via + i, " \t");
		size_t w = strcspn(via + i, " \t");
		if (!w)
			break;
		size_t next = i + w + strspn(via + i + w, " \t");
		if (w >= nlen && !memcmp(via + i + w - nlen, name, nlen) &&
		    (w == nlen || via[i + w - nlen - 1] == '/')) {
			*at = i, *len = w, *keep = w - nlen, found = 1;
		} else if (w == 3 && !memcmp(via + i, "ccc", 3) &&
			   !strncmp(via + next, "failover", 8) &&
			   (!via[next + 8] || strchr(" \t", via[next + 8]))) {
			*at = i, *len = next + 8 - i, *keep = 0, found = 2;
		}
		i += w;
	}
	return found;
}

char *forward_command(const char *via, const char *program, const char *site,
		      const char *const *args, int n)
{
	size_t at, len, keep;
	if (!find_failover(via, &at, &len, &keep))
		return NULL;
	size_t lead = strspn(via, " \t"), w = strcspn(via + lead, " \t");
	int ssh = (w == 3 && !memcmp(via + lead, "ssh", 3)) ||
		  (w > 3 && !memcmp(via + lead + w - 4, "/ssh", 4));
	char *out;
	if (asprintf(&out, "%.*senv CCC_FORWARDED=%s %.*s%s%s", (int)at, via, site, (int)keep,
		     via + at, program, via + at + len) < 0)
		xmalloc_failed();
	size_t k = strlen(out);
	for (int i = 0; i < n; i++) {
		char *q = quoted(args[i], ssh);
		size_t m = strlen(q);
		out = xrealloc(out, k + m + 2);
		out[k++] = ' ';
		memcpy(out + k, q, m + 1);
		k += m;
		free(q);
	}
	return out;
}

/* The newest epoch and its primary (n bytes): 1, or 0 when there is none. */
static int newest_primary(struct store *s, long long *epoch, char *primary, size_t n)
{
	sqlite3_stmt *st =
	    store_stmt(s, "SELECT epoch, primary_site FROM epochs ORDER BY epoch DESC LIMIT 1");
	int found = st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 1);
	if (found) {
		*epoch = sqlite3_column_int64(st, 0);
		snprintf(primary, n, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return found;
}

/* The arguments to give the primary: --as ACTOR, then the command line's
 * less those naming this site's store. *n gets their number. */
static const char **primary_args(const struct forward *f, int *n)
{
	const char **a = xcalloc((size_t)f->argc + 3, sizeof *a);
	int k = 0;
	a[k++] = "--as";
	a[k++] = f->actor;
	for (int i = 0; i < f->argc; i++) {
		int local = 0;
		for (int j = 0; j < f->ndrop && !local; j++)
			local = f->argv[i] == f->drop[j];
		if (!local)
			a[k++] = f->argv[i];
	}
	*n = k;
	return a;
}

static char *const *input_files;
static int ninput_files;

void forward_inputs(char *const *files, int n)
{
	input_files = files;
	ninput_files = n;
}

/* The first input that is a file rather than the standard input, or NULL. */
static const char *input_file(void)
{
	for (int i = 0; i < ninput_files; i++)
		if (strcmp(input_files[i], "-") != 0)
			return input_files[i];
	return NULL;
}

/* What every refusal starts with: which site is the primary. */
#define FENCED "fenced: site '%s' is not the primary of epoch %lld ('%s' is); "

static int refuse(struct store *s)
{
	store_close(s);
	return CCC_EX_TEMPFAIL;
}

int forward_write(struct store *s, const struct forward *f)
{
	char primary[128], site[128];
	long long epoch;
	if (!newest_primary(s, &epoch, primary, sizeof primary) || !strcmp(primary, store_site(s)))
		return 0;
	snprintf(site, sizeof site, "%s", store_site(s));
	const char *from = getenv("CCC_FORWARDED");
	if (from && *from) {
		warnx(FENCED "this write was forwarded here from '%s' and is not forwarded "
			     "again; nothing was written",
		      site, epoch, primary, from);
		return refuse(s);
	}
	if (f->refuse) {
		warnx(FENCED "not forwarded to it (--no-forward); nothing was written", site, epoch,
		      primary);
		return refuse(s);
	}
	const char *file = input_file();
	if (file) {
		char *q = forward_quote(file);
		warnx(FENCED "nothing was written, and the write is not forwarded: '%s' is a file "
			     "at this site, which the primary cannot read; give the input on the "
			     "standard input (%s ... < %s)",
		      site, epoch, primary, file, f->program, q);
		free(q);
		return refuse(s);
	}
	char *via = sitelocal_via(store_local(s), primary);
	if (!via) {
		warnx(FENCED "nothing was written, and the write cannot be forwarded: this site "
			     "knows no command that reaches it (give one with 'ccc-failover site "
			     "add %s KEY --via CMD')",
		      site, epoch, primary, primary);
		return refuse(s);
	}
	int n;
	const char **args = primary_args(f, &n);
	char *cmd = forward_command(via, f->program, site, args, n);
	free(args);
	if (!cmd) {
		warnx(FENCED "nothing was written, and the write cannot be forwarded: the command "
			     "that reaches it ('%s') does not run ccc-failover, so '%s' cannot be "
			     "run there (see 'ccc-failover site add %s KEY --via CMD')",
		      site, epoch, primary, via, f->program, primary);
		free(via);
		return refuse(s);
	}
	/* What the primary runs reads its own environment, not this store's. */
	unsetenv("CCC_STORE");
	unsetenv("CCC_SITE");
	unsetenv("CCC_KEY");
	char *probe;
	if (asprintf(&probe, "%s position", via) < 0)
		xmalloc_failed();
	int out = -1, rc = run_command(probe, -1, &out, f->verbose);
	free(probe);
	if (out >= 0)
		close(out);
	if (rc) {
		warnx(FENCED "nothing was written and the input was not read: the primary does "
			     "not answer through '%s'; run this again when it does (it would run: "
			     "%s)",
		      site, epoch, primary, via, cmd);
		free(via);
		free(cmd);
		return refuse(s);
	}
	if (!f->quiet)
		warnx("forwarded to the primary %s through '%s'", primary, via);
	if (f->verbose)
		warnx("running: %s", cmd);
	free(via);
	store_close(s);
	setenv("CCC_FORWARDED", site, 1);
	fflush(NULL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	warn("cannot run /bin/sh for: %s", cmd);
	free(cmd);
	return CCC_EX_UNAVAILABLE;
}
