/*
 * ccc: the front door. `ccc [COMMON-OPTION...] NAME ARGS...` runs ccc-NAME with
 * the common options first; `ccc help` lists the commands.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/exit.h"
#include "ccc/suggest.h"

static const struct {
	const char *name, *summary;
} programs[] = {
    {"intake", "take messages in (NDJSON, e-mail, CAP, RSS/Atom), de-duplicate, store"},
    {"triage", "assess each message: priority, category, due time; the work queue"},
    {"check", "instant checks of documents, persons, vehicles and more"},
    {"notice", "notices, diffusions and alerts, from draft to cancellation"},
    {"reply", "replies to the bureaus: draft in their language, review, send, retry"},
    {"case", "operations and incidents: links, tasks, timeline, situation report"},
    {"deploy", "staff roster, training, team planning, deployments, the duty rota"},
    {"failover", "sites, epochs, journal shipping, promote, hand over, rejoin"},
    {"board", "the wall: one HTML page with the queue, cases, teams on a map, sites"},
    {"duty", "shifts per site, coverage proof, who is on duty, handover, paging"},
    {"store", "plumbing: init, keys, trust, verify, log, rejects, stats, backup"},
};
#define NPROGRAMS (sizeof programs / sizeof programs[0])

static const char usage[] = "usage: ccc [COMMON-OPTION...] COMMAND [ARG...]\n"
			    "       ccc help [COMMAND] | -h | --help | --usage | -V | --version\n";

/* The options every program shares (opts.c) that take a value: given before
 * the command, they are handed to it. */
static const char *const valued[] = {"--as",   "--busy-timeout", "--key",   "--max-line",
				     "--site", "--store",        "--batch", "--batch-ms"};

/* Is ccc-NAME installed beside this program or on PATH? path gets what to
 * exec: the full path beside this program, else the bare name for execvp. */
static int find(const char *name, char *path, size_t n)
{
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len > 0) {
		self[len] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			int w = snprintf(path, n, "%s/ccc-%s", self, name);
			if (w > 0 && (size_t)w < n && access(path, X_OK) == 0)
				return 1;
		}
	}
	const char *env = getenv("PATH");
	int found = 0;
	if (env) {
		char *dirs = strdup(env), *save = NULL;
		for (char *d = strtok_r(dirs, ":", &save); d && !found;
		     d = strtok_r(NULL, ":", &save)) {
			int w = snprintf(path, n, "%s/ccc-%s", *d ? d : ".", name);
			found = w > 0 && (size_t)w < n && access(path, X_OK) == 0;
		}
		free(dirs);
	}
	snprintf(path, n, "ccc-%s", name);
	return found;
}

static int known(const char *name)
{
	for (size_t i = 0; i < NPROGRAMS; i++)
		if (!strcmp(programs[i].name, name))
			return 1;
	return 0;
}

/* Say that name is not a command, with the one it most likely meant. */
static int unknown(const char *name)
{
	const char *names[NPROGRAMS + 1];
	for (size_t i = 0; i < NPROGRAMS; i++)
		names[i] = programs[i].name;
	names[NPROGRAMS] = "help";
	const char *near = suggest(name, names, NPROGRAMS + 1);
	if (near)
		warnx("'%s' is not a command; did you mean '%s'? (see 'ccc help')", name, near);
	else
		warnx("'%s' is not a command (see 'ccc help')", name);
	return CCC_EX_USAGE;
}

/* The number of words the common option at argv[0] takes: 1, or 2 for
 * "--store FILE"; 0 when it is not a common option. */
static int common_option(char **argv)
{
	const char *a = argv[0];
	if (a[0] == '-' && a[1] != '-')
		return strspn(a + 1, "qv") == strlen(a + 1) ? 1 : 0;
	for (size_t i = 0; i < sizeof valued / sizeof valued[0]; i++) {
		size_t n = strlen(valued[i]);
		if (!strncmp(a, valued[i], n) && a[n] == '=')
			return 1;
		if (!strcmp(a, valued[i]))
			return argv[1] ? 2 : 0;
	}
	return !strcmp(a, "--quiet") || !strcmp(a, "--verbose") || !strcmp(a, "--strict") ||
	       !strcmp(a, "--no-forward");
}

static int finish(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		err(CCC_EX_IOERR, "write error on stdout");
	return 0;
}

/* The statuses of ccc itself, besides those of the command it runs. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, "help or --version printed"},
    {CCC_EX_USAGE, "usage: no COMMAND, or an unknown one"},
    {CCC_EX_UNAVAILABLE, "the command is not installed, or cannot be run"},
    {CCC_EX_IOERR, "help or --version could not write to the standard output"},
    CCC_EXIT_END,
};

static void help(FILE *f)
{
	char path[PATH_MAX];
	fputs(usage, f);
	fputs("\nThe operations-room toolchain. Commands:\n", f);
	for (size_t i = 0; i < NPROGRAMS; i++) {
		int here = find(programs[i].name, path, sizeof path);
		fprintf(f, "  %-9s %s%s\n", programs[i].name, programs[i].summary,
			here ? "" : " (not installed)");
	}
	fputs(
	    "\n'ccc COMMAND --help' and 'man ccc-COMMAND' tell more; 'man 7 ccc' is the overview.\n"
	    "\nExit status: that of the command run, or:\n",
	    f);
	char *para = ccc_exit_paragraph(exits, 78);
	fputs(strchr(para, '\n') + 1, f); /* under the heading above */
	free(para);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	int first = 1;

	/* common options before the command go to it: ccc -q store stats */
	while (first < argc && argv[first][0] == '-' && argv[first][1] && argc > first + 1) {
		int n = common_option(argv + first);
		if (!n)
			break;
		first += n;
	}
	if (first >= argc) {
		fputs(usage, stderr);
		return CCC_EX_USAGE;
	}
	const char *cmd = argv[first];
	if (first == 1 && !strcmp(cmd, "--usage")) {
		fputs(usage, stdout);
		return finish();
	}
	if (first == 1 && (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h"))) {
		if (argc > 2 && strcmp(cmd, "help") == 0) {
			/* ccc help NAME: that program's --help */
			char *args[] = {NULL, "--help", NULL};
			if (!known(argv[2]))
				return unknown(argv[2]);
			find(argv[2], path, sizeof path);
			args[0] = path;
			execvp(path, args);
			err(CCC_EX_UNAVAILABLE, "help: cannot run '%s'", path);
		}
		help(stdout);
		return finish();
	}
	if (first == 1 && (!strcmp(cmd, "--version") || !strcmp(cmd, "-V"))) {
		printf("ccc " CCC_VERSION "\n");
		return finish();
	}
	if (cmd[0] == '-' || strchr(cmd, '/')) {
		warnx("'%s' is not a command%s", cmd,
		      cmd[0] == '-' ? " (only the common options may come before one)" : "");
		fputs(usage, stderr);
		return CCC_EX_USAGE;
	}
	if (!known(cmd))
		return unknown(cmd);
	find(cmd, path, sizeof path);
	/* ccc-NAME, then the common options, then the rest */
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (!args)
		err(CCC_EX_SOFTWARE, "out of memory");
	int n = 0;
	args[n++] = path;
	for (int i = 1; i < first; i++)
		args[n++] = argv[i];
	for (int i = first + 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	execvp(path, args);
	if (errno == ENOENT)
		errx(CCC_EX_UNAVAILABLE, "'%s' is not installed (no ccc-%s beside ccc or on PATH)",
		     cmd, cmd);
	err(CCC_EX_UNAVAILABLE, "cannot run '%s'", path);
}
