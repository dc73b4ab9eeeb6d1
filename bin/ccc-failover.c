/*
 * ccc-failover: journal shipping between sites.
 */
#include <argp.h>
#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/ship.h"
#include "ccc/store.h"

static struct config {
	const char *command;
	char **args;
	int nargs;
	long since, limit;
	const char *via;
} cfg = {.limit = -1};

const char *argp_program_version = "ccc-failover " CCC_VERSION;
static const char prog_doc[] =
    "Ship the signed journal from a primary site to its standbys: export the entries "
    "after a position, import them on the standby (checked, applied, acknowledged), "
    "and tell a standby's position.\v"
    "Commands:\n"
    "  position       the seq of this store's last journal entry\n"
    "  export         entries after --since SEQ, with their checkpoints\n"
    "  import         apply entries read from stdin or FILEs; answer `ack`s\n"
    "  promote        make this site the primary of a new epoch\n"
    "  ship           ship what the standby lacks (--via CMD)\n"
    "  handover       ship everything, promote the standby, then fence this\n"
    "                 site with the standby's epoch entry (--via CMD)\n\n"
    "CMD is any command that runs ccc-failover at the other site, such as\n"
    "'ssh bue ccc-failover'; it is given position, import, promote and export.\n\n"
    "A standby is made with 'ccc-store init --standby --site NAME' and given its "
    "primary's key with 'ccc-store trust add NAME KEY'. Import checks each entry's "
    "place in the chain, its hash, its checkpoint's signature and its epoch before "
    "applying it in one transaction, never records it again, and is idempotent. An "
    "entry that differs from the standby's own, or whose changes conflict with the "
    "standby's tables, is split brain: nothing of it is applied, and it is reported "
    "with its seq (and table).\n\n"
    "Exit status: 0 success; 64 usage; 65 an entry was refused (split brain, a gap, a "
    "bad signature or hash); 66 no store; 70 internal error; 74 I/O error; 75 store busy; "
    "77 key file readable by others; 78 configuration.\n\n"
    "EXAMPLES\n"
    "  ccc-failover position\n"
    "  ccc-failover export --since 1200 > entries.ndjson\n"
    "  ccc-failover export --since \"$(ssh bue ccc-failover position)\" |\n"
    "      ssh bue ccc-failover import";
static const char args_doc[] =
    "position\nexport [--since SEQ]\nimport [FILE...]\npromote\nship --via CMD\nhandover --via CMD";

enum { OPT_SINCE = 1, OPT_LIMIT, OPT_VIA };

static const struct argp_option options[] = {
    {"since", OPT_SINCE, "SEQ", 0, "export: entries after SEQ (default 0: all)", 0},
    {"limit", OPT_LIMIT, "N", 0, "export: at most N entries", 0},
    {"via", OPT_VIA, "CMD", 0, "ship, handover: the command that reaches the standby", 0},
    {0},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_SINCE:
		if (ccc_parse_long(arg, 0, 0x7fffffffffffffffL, &cfg.since) < 0)
			argp_error(state, "--since: '%s' is not a journal seq", arg);
		break;
	case OPT_LIMIT:
		if (ccc_parse_long(arg, 0, 0x7fffffffffffffffL, &cfg.limit) < 0)
			argp_error(state, "--limit: '%s' is not a number", arg);
		break;
	case OPT_VIA: cfg.via = arg; break;
	case ARGP_KEY_ARG:
		cfg.command = arg;
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(
		    state,
		    "a command is needed: position, export, import, promote, ship or handover");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Append s to b, quoted for sh. */
static void shell_quote(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}

/* Run a shell command; its exit status, or 70 when it could not run. */
static int run(const char *what, struct buf *cmd)
{
	buf_addc(cmd, '\0');
	if (ccc_opts.verbose)
		warnx("%s: %s", what, cmd->p);
	out_flush();
	int st = system(cmd->p);
	cmd->len = 0;
	if (st == -1 || !WIFEXITED(st)) {
		warnx("%s: the command did not run to its end", what);
		return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : CCC_EX_SOFTWARE;
	}
	if (WEXITSTATUS(st))
		warnx("%s failed (exit %d)", what, WEXITSTATUS(st));
	return WEXITSTATUS(st);
}

/* This program, to run it again in a pipeline, with this store. */
static void self(struct buf *b, struct store *s)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	shell_quote(b, n > 0 ? exe : "ccc-failover");
	buf_adds(b, " --store ");
	shell_quote(b, store_path(s));
}

/* Ship what the standby lacks: CMD position, then export | CMD import. */
static int cmd_ship(struct store *s)
{
	struct buf cmd = {0};
	buf_adds(&cmd, "set -e; pos=$(");
	buf_adds(&cmd, cfg.via);
	buf_adds(&cmd, " position); ");
	self(&cmd, s);
	buf_adds(&cmd, " export --since \"$pos\" | ");
	buf_adds(&cmd, cfg.via);
	buf_adds(&cmd, " import >/dev/null");
	int rc = run("ship", &cmd);
	buf_free(&cmd);
	return rc;
}

/* Planned handover: ship everything, promote the standby, and import its
 * epoch entry here, which fences this site (RPO 0). */
static int cmd_handover(struct store *s)
{
	struct buf cmd = {0};
	int rc = cmd_ship(s);
	if (!rc) {
		buf_adds(&cmd, cfg.via);
		buf_adds(&cmd, " promote");
		rc = run("promote", &cmd);
	}
	if (!rc) {
		char pos[32];
		snprintf(pos, sizeof pos, "%lld", (long long)ship_position(s));
		buf_adds(&cmd, "set -e; ");
		buf_adds(&cmd, cfg.via);
		buf_adds(&cmd, " export --since ");
		buf_adds(&cmd, pos);
		buf_adds(&cmd, " | ");
		self(&cmd, s);
		buf_adds(&cmd, " import >/dev/null");
		rc = run("taking the new epoch back", &cmd);
	}
	if (!rc && !ccc_opts.quiet)
		fprintf(stderr,
			"ccc-failover: handed over with nothing lost; site '%s' is now fenced\n",
			store_site(s));
	buf_free(&cmd);
	return rc;
}

/* Import the entry/checkpoint pairs of one input. */
static int import_fd(struct store *s, int fd, const char *name, unsigned long *applied)
{
	struct ndjson_reader *r = ndjson_open(fd, name, ccc_opts.max_line);
	struct ndjson_line ln;
	jv entry = jv_invalid();
	unsigned long entry_line = 0;
	int rc = 0, k;

	while (!rc && (k = ndjson_next(r, &ln, -1)) == NDJSON_LINE) {
		const char *type = jv_is_valid(ln.value) ? jv_get_str(ln.value, "type") : NULL;
		if (!jv_is_valid(ln.value)) {
			warnx("%s:%lu: %s", ln.file, ln.lineno, ln.reason);
			rc = CCC_EX_DATAERR;
		} else if (type && !strcmp(type, "entry")) {
			if (jv_is_valid(entry)) {
				warnx("%s:%lu: an entry without its checkpoint", name, entry_line);
				rc = CCC_EX_DATAERR;
			}
			jv_free(entry);
			entry = ln.value;
			ln.value = jv_invalid();
			entry_line = ln.lineno;
		} else if (type && !strcmp(type, "checkpoint")) {
			if (!jv_is_valid(entry)) {
				warnx("%s:%lu: a checkpoint without its entry", ln.file, ln.lineno);
				rc = CCC_EX_DATAERR;
			} else {
				char why[512];
				jv ack;
				rc = ship_import(s, entry, ln.value, &ack, why, sizeof why);
				entry = jv_invalid();
				ln.value = jv_invalid();
				if (rc == CCC_EX_DATAERR)
					warnx("%s:%lu: %s", name, entry_line, why);
				if (!rc) {
					out_jv(ack);
					out_flush();
					(*applied)++;
				}
			}
		} else {
			warnx("%s:%lu: not an entry or a checkpoint", ln.file, ln.lineno);
			rc = CCC_EX_DATAERR;
		}
		jv_free(ln.value);
	}
	if (!rc && jv_is_valid(entry)) {
		warnx("%s:%lu: an entry without its checkpoint", name, entry_line);
		rc = CCC_EX_DATAERR;
	}
	jv_free(entry);
	ndjson_close(r);
	return rc;
}

static int cmd_import(struct store *s)
{
	unsigned long applied = 0;
	int rc = 0;
	if (cfg.nargs == 0)
		return import_fd(s, STDIN_FILENO, "stdin", &applied);
	for (int i = 0; i < cfg.nargs && !rc; i++) {
		int fd = strcmp(cfg.args[i], "-") ? open(cfg.args[i], O_RDONLY | O_CLOEXEC) : 0;
		if (fd < 0) {
			warn("cannot open '%s'", cfg.args[i]);
			return CCC_EX_NOINPUT;
		}
		rc = import_fd(s, fd, fd ? cfg.args[i] : "stdin", &applied);
		if (fd)
			close(fd);
	}
	if (ccc_opts.verbose)
		warnx("%lu entries acknowledged", applied);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {options,  parse_opt, args_doc, prog_doc,
					 children, NULL,      NULL};
	struct store *s = NULL;
	int rc;

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return CCC_EX_USAGE;
	signal(SIGPIPE, SIG_IGN);
	int import = !strcmp(cfg.command, "import"), promote = !strcmp(cfg.command, "promote");
	int shipping = !strcmp(cfg.command, "ship") || !strcmp(cfg.command, "handover");
	if (!import && !promote && !shipping && strcmp(cfg.command, "position") &&
	    strcmp(cfg.command, "export"))
		errx(CCC_EX_USAGE,
		     "'%s' is not a command (position, export, import, promote, ship, handover)",
		     cfg.command);
	if (shipping && (!cfg.via || !*cfg.via))
		errx(CCC_EX_USAGE, "%s: give the command that reaches the standby with --via",
		     cfg.command);
	if (!import && cfg.nargs)
		errx(CCC_EX_USAGE, "%s: unexpected argument '%s'", cfg.command, cfg.args[0]);
	/* import writes without a key of its own: it stores what its primary signed */
	enum store_mode mode = promote              ? STORE_WRITE
			       : import || shipping ? STORE_IMPORT
						    : STORE_READ;
	if ((rc = store_open(ccc_opts.store, mode, ccc_opts.key, &s)))
		return rc;
	if (!strcmp(cfg.command, "position")) {
		int64_t p = ship_position(s);
		if (p < 0)
			rc = CCC_EX_IOERR;
		else {
			char line[32];
			int w = snprintf(line, sizeof line, "%lld", (long long)p);
			out_line(line, (size_t)w);
		}
	} else if (!strcmp(cfg.command, "ship")) {
		rc = cmd_ship(s);
	} else if (!strcmp(cfg.command, "handover")) {
		store_close(s); /* the import at the end opens it again */
		s = NULL;
		if (!(rc = store_open(ccc_opts.store, STORE_READ, NULL, &s)))
			rc = cmd_handover(s);
	} else if (promote) {
		int64_t epoch;
		if (!(rc = store_promote(s, &epoch)) && !ccc_opts.quiet)
			fprintf(stderr, "ccc-failover: site '%s' is the primary of epoch %lld\n",
				store_site(s), (long long)epoch);
	} else if (!strcmp(cfg.command, "export")) {
		rc = ship_export(s, cfg.since, cfg.limit);
	} else {
		rc = cmd_import(s);
	}
	store_close(s);
	out_close();
	return rc;
}
