/*
 * ccc-failover: journal shipping between sites.
 */
#include <argp.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccc/exit.h"
#include "ccc/failover-watch.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/rejoin.h"
#include "ccc/ship.h"
#include "ccc/sitelocal.h"
#include "ccc/sites.h"
#include "ccc/store.h"
#include "ccc/subcmd.h"
#include "ccc/utf8.h"

static struct config {
	const char *command;
	char **args;
	int nargs;
	long since, limit, ttl, run;
	const char *via, *to, *tz, *region, *orphans, *etcd, *format;
	int ack, no_ack, replace;
} cfg = {.limit = -1, .ttl = 5};

const char *argp_program_version = "ccc-failover " CCC_VERSION;
static const char prog_doc[] =
    "One watch, three sites: ship the signed journal from the primary to its standbys, "
    "know where each site stands, and move the watch from one site to another, by script "
    "or automatically on etcd, losing nothing.\v"
    "Commands:\n"
    "  site add NAME KEY    trust a site (--tz, --region); --via CMD says how to\n"
    "                       reach it, --ack makes every writer here wait for its\n"
    "                       acknowledgement (RPO 0)\n"
    "  site list            the known sites (NDJSON; a table on a terminal)\n"
    "  site remove NAME     forget a site (not this one, not the primary)\n"
    "  status               each site's role, epoch, last seq, lag, heartbeat\n"
    "  heartbeat            the primary signs a heartbeat (for cron)\n"
    "  position             the seq of this store's last journal entry\n"
    "  export               entries after --since SEQ, with their checkpoints\n"
    "  import [FILE...]     apply entries from stdin or FILEs; answer `ack`s\n"
    "  ship                 ship what a standby lacks (--to SITE and/or --via CMD)\n"
    "  promote              make this site the primary of a new epoch\n"
    "  handover             ship everything, promote the standby, then fence this\n"
    "                       site with the standby's epoch entry (RPO 0)\n"
    "  rejoin               a former primary rewinds to the fork point, writes its\n"
    "                       unshipped entries to --orphans FILE and follows the new\n"
    "                       primary (--via CMD)\n"
    "  watch                automatic failover: hold or wait for the primary key\n"
    "                       in etcd (--etcd URL,... or CCC_ETCD; --ttl)\n"
    "  unwatch              leave automatic failover: writers here no longer need\n"
    "                       the lease (stop the watcher first)\n\n"
    "CMD is any command that runs ccc-failover at the other site with that site's "
    "store, such as 'ssh bue ccc-failover'; it is given position, import, export or "
    "promote.\n\n"
    "A standby is made with 'ccc-store init --standby --site NAME' and given its "
    "primary's key with 'ccc-store trust add NAME KEY'. Import checks each entry's "
    "chain, hash, signature and epoch, that its origin is its epoch's primary and that "
    "it changes only replicated state tables, then applies it in one transaction; it "
    "is idempotent. An entry that differs from the standby's own, or conflicts with "
    "its tables, is split brain: nothing of it is applied. A site that has seen a newer "
    "epoch, or whose sealed settings were changed outside ccc, refuses every write "
    "(75, 'fenced: ...').\n\n"
    "Acks are signed by the standby's key; ship records one only for the site shipped "
    "to, for an entry it sent, with its own hash and a good signature. Rejoin rewinds "
    "only a site fenced by a newer epoch that is proven (signed); orphaned ids are "
    "never given out again.\n\n"
    "EXAMPLES\n"
    "  ccc-failover site add buenos-aires \\\n"
    "      \"$(ssh bue ccc-store keys | jq -r .key)\" \\\n"
    "      --tz America/Argentina/Buenos_Aires --region americas \\\n"
    "      --via 'ssh bue ccc-failover'\n"
    "  * * * * * ccc-failover -q ship --to buenos-aires; ccc-failover -q heartbeat\n"
    "  ccc-failover status\n"
    "  ccc-failover export --since \"$(ssh bue ccc-failover position)\" |\n"
    "      ssh bue ccc-failover import\n"
    "  ccc-failover handover --to buenos-aires\n"
    "  ccc-failover rejoin --via 'ssh bue ccc-failover' \\\n"
    "      --orphans lyon-orphans.ndjson\n"
    "  ccc-failover watch --etcd http://lyon:2379,http://bue:2379,http://sin:2379";
static const char args_doc[] =
    "site add NAME KEY\nsite list|remove NAME\nstatus\nheartbeat\nposition\n"
    "export [--since SEQ]\nimport [FILE...]\nship --to SITE|--via CMD\npromote\n"
    "handover --to SITE|--via CMD\nrejoin --via CMD [--orphans FILE]\nwatch [--etcd URL,...]\n"
    "unwatch";
/* The exit statuses --help lists (lib/ccc/exit.h), with what they mean here. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_DATAERR, "an entry was refused (split brain, a gap, a bad signature or hash, a "
		     "change to a table no entry may change, an origin that is not its "
		     "epoch's primary), or ship refused an acknowledgement"},
    {CCC_EX_NOINPUT, "no store, or no such site"},
    {CCC_EX_UNAVAILABLE, "the other site could not be reached or acknowledged nothing"},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_CANTCREAT, "cannot create the orphans file"},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, "the store was busy past its timeout, this site is fenced, a standby "
		      "did not acknowledge (--ack), or rejoin found no proof of a newer epoch"},
    {CCC_EX_NOPERM, NULL},
    {CCC_EX_CONFIG, "configuration (ship: the standby's key is not trusted here)"},
    {CCC_EX_SIGINT, "import stopped by SIGINT after applying the batch in hand"},
    {CCC_EX_SIGTERM, "import stopped by SIGTERM after applying the batch in hand"},
    CCC_EXIT_END,
};

enum {
	OPT_SINCE = 1,
	OPT_LIMIT,
	OPT_VIA,
	OPT_TO,
	OPT_TZ,
	OPT_REGION,
	OPT_ACK,
	OPT_NO_ACK,
	OPT_REPLACE,
	OPT_ORPHANS,
	OPT_ETCD,
	OPT_TTL,
	OPT_RUN,
	OPT_FORMAT,
};

static const struct argp_option options[] = {
    {"since", OPT_SINCE, "SEQ", 0, "export: entries after SEQ (default 0: all)", 0},
    {"limit", OPT_LIMIT, "N", 0, "export: at most N entries", 0},
    {"to", OPT_TO, "SITE", 0, "ship, handover: the standby (its --via is remembered)", 0},
    {"via", OPT_VIA, "CMD", 0,
     "site add, ship, handover, rejoin: the command that reaches "
     "the other site's ccc-failover",
     0},
    {"tz", OPT_TZ, "ZONE", 0, "site add: the site's time zone (e.g. Asia/Singapore)", 0},
    {"region", OPT_REGION, "REGION", 0, "site add: the site's region", 0},
    {"ack", OPT_ACK, NULL, 0,
     "site add: writers here wait for this standby's "
     "acknowledgement of every commit (RPO 0)",
     0},
    {"no-ack", OPT_NO_ACK, NULL, 0, "site add: stop waiting for this standby", 0},
    {"replace", OPT_REPLACE, NULL, 0, "site add: replace a site's key already trusted", 0},
    {"orphans", OPT_ORPHANS, "FILE", 0,
     "rejoin: append the unshipped entries to FILE "
     "(default STORE.orphans.ndjson)",
     0},
    {"etcd", OPT_ETCD, "URL,...", 0, "watch: the etcd cluster's client URLs (CCC_ETCD)", 0},
    {"ttl", OPT_TTL, "SECONDS", 0, "watch: the primary lease's time to live (default 5)", 0},
    {"run", OPT_RUN, "SECONDS", 0, "watch: stop after SECONDS (default: until signalled)", 0},
    {"format", OPT_FORMAT, "FMT", 0,
     "status, site list: ndjson or table (default: table "
     "on a terminal)",
     0},
    {0},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	switch (key) {
	case OPT_SINCE:
		if (ccc_parse_long(arg, 0, 0x7fffffffffffffffL, &cfg.since) < 0)
			argp_error(state, "--since: '%s' is not a journal seq", arg);
		break;
	case OPT_LIMIT:
		if (ccc_parse_long(arg, 0, 0x7fffffffffffffffL, &cfg.limit) < 0)
			argp_error(state, "--limit: '%s' is not a number", arg);
		break;
	case OPT_TTL:
		if (ccc_parse_long(arg, 2, 3600, &cfg.ttl) < 0)
			argp_error(state, "--ttl: '%s' is not a number of seconds from 2 to 3600",
				   arg);
		break;
	case OPT_RUN:
		if (ccc_parse_long(arg, 1, 0x7fffffffL, &cfg.run) < 0)
			argp_error(state, "--run: '%s' is not a number of seconds", arg);
		break;
	case OPT_FORMAT:
		if (strcmp(arg, "ndjson") && strcmp(arg, "table"))
			argp_error(state, "--format: '%s' is not ndjson or table", arg);
		cfg.format = arg;
		break;
	case OPT_VIA: cfg.via = arg; break;
	case OPT_TO:
		if (!ccc_site_name_ok(arg))
			argp_error(state, "--to: " CCC_SITE_NAME_RULE, arg);
		cfg.to = arg;
		break;
	case OPT_TZ: cfg.tz = arg; break;
	case OPT_REGION: cfg.region = arg; break;
	case OPT_ACK: cfg.ack = 1; break;
	case OPT_NO_ACK: cfg.no_ack = 1; break;
	case OPT_REPLACE: cfg.replace = 1; break;
	case OPT_ORPHANS: cfg.orphans = arg; break;
	case OPT_ETCD: cfg.etcd = arg; break;
	case ARGP_KEY_ARG:
		cfg.command = arg;
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "a command is needed: site, status, heartbeat, position, "
				  "export, import, ship, promote, handover, rejoin, watch or "
				  "unwatch");
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

/* Forget what this site knew of site: how to reach it, whether writers
 * wait for it, what it acknowledged. */
static int forget_site(struct store *s, const char *site)
{
	char ack[200];
	snprintf(ack, sizeof ack, "ack:%s", site);
	int rc = sitelocal_set_via(store_local(s), site, NULL);
	if (!rc)
		rc = sitelocal_set_ack_via(store_local(s), site, NULL);
	return rc ? rc : sitelocal_put(store_local(s), ack, NULL);
}

/* The command reaching the standby: --via, else the one remembered for --to. */
static char *reach(struct store *s)
{
	if (cfg.via)
		return strdup(cfg.via);
	char *v = cfg.to ? sitelocal_via(store_local(s), cfg.to) : NULL;
	if (!v && cfg.to)
		warnx("%s: no command is known to reach site '%s': give --via CMD (or 'site add "
		      "%s KEY --via CMD')",
		      cfg.command, cfg.to, cfg.to);
	return v;
}

/* Ship what the standby lacks, in chunks, recording its acknowledgements.
 * Says what the standby acknowledged only when that moved: a cron run with
 * nothing to ship prints nothing (ccc(7), CONVENTIONS). */
static int cmd_ship(struct store *s, const char *via)
{
	int64_t acked, before = cfg.to ? sites_acked(s, cfg.to) : 0;
	int rc = ship_sync(s, via, cfg.to, 10000, &acked);
	if (!rc && !ccc_opts.quiet && acked != before)
		fprintf(stderr, "ccc-failover: %s acknowledged every entry up to %lld\n",
			cfg.to ? cfg.to : "the standby", (long long)acked);
	return rc;
}

/* Planned handover: ship everything, promote the standby, and import its
 * epoch entry here, which fences this site (RPO 0). */
static int cmd_handover(struct store *s, const char *via)
{
	struct buf cmd = {0};
	int rc = cmd_ship(s, via);
	if (!rc) {
		buf_adds(&cmd, via);
		buf_adds(&cmd, " promote");
		rc = run("promote", &cmd);
	}
	if (!rc) {
		char pos[32];
		snprintf(pos, sizeof pos, "%lld", (long long)ship_position(s));
		buf_adds(&cmd, "set -e; ");
		buf_adds(&cmd, via);
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

/* Apply a batch of [entry, checkpoint, line] in one transaction: all or
 * nothing; the acks are written once it committed. */
static int import_batch(struct store *s, jv batch, const char *name, unsigned long *applied)
{
	int n = jv_array_length(jv_copy(batch)), rc;
	jv acks = jv_array();
	if (n == 0 || (rc = ship_begin(s))) {
		jv_free(batch);
		jv_free(acks);
		return n == 0 ? 0 : rc;
	}
	for (int i = 0; i < n && !rc; i++) {
		jv p = jv_array_get(jv_copy(batch), i);
		jv e = jv_array_get(jv_copy(p), 0), c = jv_array_get(jv_copy(p), 1);
		jv line = jv_array_get(jv_copy(p), 2);
		jv ep = jv_object_get(jv_copy(e), jv_string("epoch"));
		double ed = jv_get_kind(ep) == JV_KIND_NUMBER ? jv_number_value(ep) : 0;
		int64_t epoch = ed >= -9223372036854775808.0 && ed < 9223372036854775808.0
				    ? (int64_t)ed
				    : 0; /* cast defined */
		char origin[128], why[512];
		const char *o = jv_get_str(e, "origin");
		snprintf(origin, sizeof origin, "%s", o ? o : "");
		jv ack;
		rc = ship_apply(s, e, c, &ack, why, sizeof why);
		if (!rc) {
			acks = jv_array_append(acks, ack);
		} else {
			ship_end(s, 0);
			if (rc == CCC_EX_DATAERR) {
				warnx("%s:%lu: %s; nothing of the %d entries of this batch was "
				      "applied",
				      name, (unsigned long)jv_number_value(line), why, n);
				ship_refused(s, epoch, origin, why);
			}
		}
		jv_free(ep);
		jv_free(line);
		jv_free(p);
	}
	if (!rc && !(rc = ship_end(s, 1))) {
		jv_array_foreach (acks, i, a) {
			out_jv(a);
		}
		out_flush();
		*applied += (unsigned long)n;
	}
	jv_free(acks);
	jv_free(batch);
	return rc;
}

/* Import the entry/checkpoint pairs of one input, a batch at a time: up to
 * --batch pairs or 16 MiB of them, or what arrived before the input paused
 * for --batch-ms. */
#define IMPORT_BATCH_BYTES (16u << 20)
static volatile sig_atomic_t import_signal;

static void on_import_signal(int sig)
{
	import_signal = sig;
}

static int import_fd(struct store *s, int fd, const char *name, unsigned long *applied)
{
	/* an entry holds a batch: its line may pass the record limit (store.h) */
	size_t max = STORE_ENTRY_LINE > ccc_opts.max_line ? STORE_ENTRY_LINE : ccc_opts.max_line;
	struct ndjson_reader *r = ndjson_open(fd, name, max);
	ndjson_stop_on(r, &import_signal); /* even inside a line that never ends */
	struct ndjson_line ln;
	jv entry = jv_invalid(), batch = jv_array();
	unsigned long entry_line = 0;
	size_t bytes = 0; /* of the batch: a few large entries make a batch too */
	int rc = 0, k, nbatch = 0;

	while (!rc &&
	       (k = ndjson_next(r, &ln, nbatch ? (int)ccc_opts.batch_ms : -1)) != NDJSON_EOF) {
		if (k == NDJSON_ERROR && errno == EINTR && import_signal)
			break; /* apply the batch in hand, then stop */
		if (k == NDJSON_ERROR && errno == EINTR)
			continue;
		if (k == NDJSON_ERROR) {
			warn("%s", name);
			rc = CCC_EX_IOERR;
			break;
		}
		if (k == NDJSON_TIMEOUT) {
			rc = import_batch(s, batch, name, applied);
			batch = jv_array();
			nbatch = 0;
			bytes = 0;
			continue;
		}
		bytes += ln.full_len;
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
				batch =
				    jv_array_append(batch, JV_ARRAY(entry, ln.value,
								    jv_number((double)entry_line)));
				entry = jv_invalid();
				ln.value = jv_invalid();
				if (++nbatch >= ccc_opts.batch || bytes >= IMPORT_BATCH_BYTES) {
					rc = import_batch(s, batch, name, applied);
					batch = jv_array();
					nbatch = 0;
					bytes = 0;
				}
			}
		} else {
			warnx("%s:%lu: not an entry or a checkpoint", ln.file, ln.lineno);
			rc = CCC_EX_DATAERR;
		}
		jv_free(ln.value);
	}
	/* what came before a bad line is applied; the bad line is reported */
	int brc = import_batch(s, batch, name, applied);
	rc = rc ? rc : brc;
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
	struct sigaction sa = {.sa_handler = on_import_signal}; /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (cfg.nargs == 0)
		rc = import_fd(s, STDIN_FILENO, "stdin", &applied);
	for (int i = 0; i < cfg.nargs && !rc && !import_signal; i++) {
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
	/* A line cut short by the signal is reported, but the signal decides. */
	if (import_signal && (!rc || rc == CCC_EX_DATAERR))
		rc = import_signal == SIGINT ? CCC_EX_SIGINT : CCC_EX_SIGTERM;
	return rc;
}

static void pad(struct buf *b, int n)
{
	while (n-- > 0)
		buf_addc(b, ' ');
}

/* Print records as NDJSON, or as a table of cols on a terminal. */
static void print_records(jv list, const char *const cols[])
{
	int table = cfg.format ? !strcmp(cfg.format, "table") : out_is_tty();
	if (!table) {
		jv_array_foreach (list, i, r) {
			out_jv(r);
		}
		jv_free(list);
		return;
	}
	int ncol = 0, width[16] = {0};
	while (ncol < 16 && cols[ncol])
		ncol++;
	struct buf cell = {0};
	jv text = jv_array();
	for (int c = 0; c < ncol; c++)
		width[c] = (int)strlen(cols[c]);
	jv_array_foreach (list, i, r) {
		jv row = jv_array();
		for (int c = 0; c < ncol; c++) {
			jv v = jv_object_get(jv_copy(r), jv_string(cols[c]));
			cell.len = 0;
			if (jv_get_kind(v) == JV_KIND_STRING) {
				char *t = utf8_printable(jv_string_value(v));
				buf_adds(&cell, t);
				free(t);
			} else if (jv_get_kind(v) != JV_KIND_NULL && jv_is_valid(v)) {
				json_write(&cell, jv_copy(v));
			} else {
				buf_adds(&cell, "-");
			}
			jv_free(v);
			buf_addc(&cell, '\0');
			int w = (int)utf8_display_width(cell.p);
			if (w > width[c])
				width[c] = w;
			row = jv_array_append(row, jv_string(cell.p));
		}
		text = jv_array_append(text, row);
		jv_free(r);
	}
	jv_free(list);
	cell.len = 0;
	for (int c = 0; c < ncol; c++) {
		int w = 0;
		for (const char *p = cols[c]; *p; p++, w++)
			buf_addc(&cell, *p == '_' ? ' ' : (char)(*p & ~0x20));
		pad(&cell, c + 1 < ncol ? width[c] - w + 2 : 0);
	}
	out_line(cell.p, cell.len);
	jv_array_foreach (text, i, row) {
		cell.len = 0;
		for (int c = 0; c < ncol; c++) {
			jv v = jv_array_get(jv_copy(row), c);
			const char *t = jv_string_value(v);
			int w = (int)utf8_display_width(t);
			buf_adds(&cell, t);
			pad(&cell, c + 1 < ncol ? width[c] - w + 2 : 0);
			jv_free(v);
		}
		out_line(cell.p, cell.len);
		jv_free(row);
	}
	jv_free(text);
	buf_free(&cell);
}

static int cmd_site(struct store *s)
{
	const char *sub = cfg.nargs ? cfg.args[0] : "";
	int rc;
	if (!strcmp(sub, "list")) {
		static const char *const cols[] = {"name", "region", "time_zone", "via",
						   "ack",  "key",    NULL};
		jv list;
		if (cfg.nargs > 1)
			errx(CCC_EX_USAGE, "site list: unexpected argument '%s'", cfg.args[1]);
		if ((rc = sites_list(s, NULL, &list)))
			return rc;
		jv out = jv_array();
		jv_array_foreach (list, i, r) {
			const char *name = jv_get_str(r, "name");
			char *via = sitelocal_via(store_local(s), name),
			     *ack = sitelocal_ack_via(store_local(s), name);
			if (via)
				r = jv_object_set(r, jv_string("via"), jv_string(via));
			r = jv_object_set(r, jv_string("ack"), jv_bool(ack != NULL));
			free(via);
			free(ack);
			out = jv_array_append(out, r);
		}
		jv_free(list);
		print_records(out, cols);
		return 0;
	}
	if (!strcmp(sub, "add")) {
		if (cfg.nargs != 3)
			errx(CCC_EX_USAGE, "site add: give NAME and KEY (ed25519:BASE64, as "
					   "'ccc-store keys' prints it)");
		if (cfg.ack && !cfg.via)
			errx(CCC_EX_USAGE, "site add: --ack needs --via CMD to reach the standby");
		if (cfg.ack && cfg.no_ack)
			errx(CCC_EX_USAGE, "site add: --ack and --no-ack exclude each other");
		const char *name = cfg.args[1];
		if ((rc = store_begin(s)))
			return rc;
		int64_t seq;
		struct rerun again;
		if ((rc = sites_trust(s, name, cfg.args[2], cfg.tz, cfg.region, cfg.replace,
				      "site add", &again))) {
			store_rollback(s);
			return rc;
		}
		if (again.done) {
			/* a rerun only when how it is reached is as asked too */
			char *via = sitelocal_via(store_local(s), name),
			     *ack = sitelocal_ack_via(store_local(s), name);
			if ((cfg.via && (!via || strcmp(via, cfg.via) != 0)) ||
			    (cfg.ack && (!ack || strcmp(ack, cfg.via) != 0)) || (cfg.no_ack && ack))
				again.done = 0;
			free(via);
			free(ack);
		}
		if (again.done) {
			store_rollback(s);
			if (!ccc_opts.quiet)
				warnx("%s", again.why);
			return 0;
		}
		if ((cfg.via && (rc = sitelocal_set_via(store_local(s), name, cfg.via))) ||
		    (cfg.ack && (rc = sitelocal_set_ack_via(store_local(s), name, cfg.via))) ||
		    (cfg.no_ack && (rc = sitelocal_set_ack_via(store_local(s), name, NULL))) ||
		    (rc = store_commit(s, &seq))) {
			store_rollback(s);
			return rc;
		}
		if (!ccc_opts.quiet)
			fprintf(stderr, "ccc-failover: site '%s' added%s\n", name,
				cfg.ack ? "; writers here wait for its acknowledgements" : "");
		return 0;
	}
	if (!strcmp(sub, "remove")) {
		if (cfg.nargs != 2)
			errx(CCC_EX_USAGE, "site remove: give the site's NAME");
		if (!ccc_site_name_ok(cfg.args[1]))
			errx(CCC_EX_USAGE, "site remove: " CCC_SITE_NAME_RULE, cfg.args[1]);
		int64_t seq;
		if ((rc = store_begin(s)))
			return rc;
		if ((rc = sites_remove(s, cfg.args[1])) || (rc = forget_site(s, cfg.args[1])) ||
		    (rc = store_commit(s, &seq))) {
			store_rollback(s);
			return rc;
		}
		if (!ccc_opts.quiet)
			fprintf(stderr, "ccc-failover: site '%s' removed\n", cfg.args[1]);
		return 0;
	}
	errx(CCC_EX_USAGE, "site: use 'site add NAME KEY', 'site list' or 'site remove NAME'");
}

static int cmd_status(struct store *s)
{
	static const char *const cols[] = {
	    "site", "role", "epoch", "seq", "lag", "heartbeat", "heartbeat_age_s", "region", NULL};
	jv list;
	int rc = sites_status(s, &list);
	if (!rc)
		print_records(list, cols);
	return rc;
}

static int cmd_heartbeat(struct store *s)
{
	int64_t seq;
	sqlite3_stmt *st =
	    store_stmt(s, "SELECT primary_site FROM epochs ORDER BY epoch DESC LIMIT 1");
	int primary = sqlite3_step(st) == SQLITE_ROW &&
		      !strcmp((const char *)sqlite3_column_text(st, 0), store_site(s));
	sqlite3_reset(st);
	if (!primary && !store_is_empty_standby(s)) {
		/* cron runs the same line at every site: a standby has nothing to sign */
		if (ccc_opts.verbose)
			warnx("heartbeat: site '%s' is not the primary; nothing to sign",
			      store_site(s));
		return 0;
	}
	int rc = store_begin(s);
	if (!rc && (rc = sites_heartbeat(s)))
		store_rollback(s);
	if (!rc)
		rc = store_commit(s, &seq);
	return rc;
}

static int cmd_rejoin(struct store *s)
{
	struct rejoin_result res;
	char *path = NULL;
	if (!cfg.via)
		errx(CCC_EX_USAGE,
		     "rejoin: give the command that reaches the new primary with --via");
	if (!cfg.orphans && asprintf(&path, "%s.orphans.ndjson", store_path(s)) < 0)
		return CCC_EX_SOFTWARE;
	const char *file = cfg.orphans ? cfg.orphans : path;
	int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		warn("rejoin: cannot open the orphans file '%s'", file);
		free(path);
		return CCC_EX_CANTCREAT;
	}
	int rc = rejoin(s, cfg.via, fd, &res);
	if (close(fd) < 0 && !rc) {
		warn("rejoin: '%s'", file);
		rc = CCC_EX_IOERR;
	}
	if (!rc) {
		jv r = jv_object();
		r = jv_object_set(r, jv_string("type"), jv_string("rejoin"));
		r = jv_object_set(r, jv_string("v"), jv_number(RECORD_VERSION));
		r = jv_object_set(r, jv_string("id"), jv_string(store_site(s)));
		r = jv_object_set(r, jv_string("site"), jv_string(store_site(s)));
		r = jv_object_set(r, jv_string("fork"), jv_number((double)res.fork));
		r = jv_object_set(r, jv_string("orphans"), jv_number((double)res.orphans));
		r = jv_object_set(r, jv_string("orphans_file"), jv_string(file));
		r = jv_object_set(r, jv_string("imported"), jv_number((double)res.imported));
		r = jv_object_set(r, jv_string("position"), jv_number((double)res.position));
		out_jv(r);
		if (!ccc_opts.quiet)
			fprintf(stderr,
				"ccc-failover: rejoined at entry %lld; %ld entries of this site "
				"were never shipped: they are in '%s' for reconciliation\n",
				(long long)res.fork, res.orphans, file);
	}
	free(path);
	return rc;
}

static int cmd_watch(struct store *s)
{
	struct watch_opts o = {.endpoints = cfg.etcd ? cfg.etcd : getenv("CCC_ETCD"),
			       .key = "/ccc/primary",
			       .ttl_s = cfg.ttl,
			       .run_s = cfg.run};
	if (!o.endpoints || !*o.endpoints)
		errx(CCC_EX_USAGE,
		     "watch: give the etcd cluster with --etcd URL,... (or CCC_ETCD)");
	return failover_watch(s, &o);
}

static int run_position(struct store *s, const char *name)
{
	(void)name;
	int64_t p = ship_position(s);
	if (p < 0)
		return CCC_EX_IOERR;
	char line[32];
	int w = snprintf(line, sizeof line, "%lld", (long long)p);
	out_line(line, (size_t)w);
	return 0;
}

static int run_shipping(struct store *s, const char *name)
{
	char *via = reach(s);
	if (!via)
		return CCC_EX_USAGE;
	int rc = !strcmp(name, "ship") ? cmd_ship(s, via) : cmd_handover(s, via);
	free(via);
	return rc;
}

static int run_promote(struct store *s, const char *name)
{
	(void)name;
	int64_t epoch;
	int rc = store_promote(s, &epoch);
	if (!rc && !ccc_opts.quiet)
		fprintf(stderr, "ccc-failover: site '%s' is the primary of epoch %lld\n",
			store_site(s), (long long)epoch);
	return rc;
}

static int run_export(struct store *s, const char *name)
{
	(void)name;
	return ship_export(s, cfg.since, cfg.limit);
}

static int run_unwatch(struct store *s, const char *name)
{
	(void)name;
	int rc = store_set_lease(s, -1);
	if (!rc && !ccc_opts.quiet)
		fprintf(stderr,
			"ccc-failover: site '%s' left automatic failover; its "
			"writers no longer need the primary lease\n",
			store_site(s));
	return rc;
}

#define RUN(f)                                                                                     \
	static int run_##f(struct store *s, const char *name)                                      \
	{                                                                                          \
		(void)name;                                                                        \
		return cmd_##f(s);                                                                 \
	}
RUN(import)
RUN(site)
RUN(status)
RUN(heartbeat)
RUN(rejoin)
RUN(watch)

/* import, ship, handover, rejoin and unwatch store what a primary signed
 * (STORE_IMPORT): they load the site key, when its file exists, only to check
 * and seal the site settings and sign acknowledgements. */
static const struct subcmd cmds[] = {
    {"site add", SUBCMD_WRITE, 2, 2, "NAME KEY", 0, run_site, "trust a site"},
    {"site list", SUBCMD_READ, 0, 0, NULL, 0, run_site, "the known sites"},
    {"site remove", SUBCMD_WRITE, 1, 1, "NAME", 0, run_site, "forget a site"},
    {"status", SUBCMD_READ, 0, 0, NULL, 0, run_status, "each site's role and lag"},
    {"heartbeat", SUBCMD_WRITE, 0, 0, NULL, 0, run_heartbeat, "the primary signs one"},
    {"position", SUBCMD_READ, 0, 0, NULL, 0, run_position, "the last journal seq"},
    {"export", SUBCMD_READ, 0, 0, NULL, 0, run_export, "entries after --since"},
    {"import", SUBCMD_IMPORT, 0, -1, "FILE", 1, run_import, "apply entries"},
    {"ship", SUBCMD_IMPORT, 0, 0, NULL, 0, run_shipping, "ship what a standby lacks"},
    {"promote", SUBCMD_WRITE, 0, 0, NULL, 0, run_promote, "primary of a new epoch"},
    {"handover", SUBCMD_IMPORT, 0, 0, NULL, 0, run_shipping, "hand over to the standby"},
    {"rejoin", SUBCMD_IMPORT, 0, 0, NULL, 0, run_rejoin, "follow the new primary"},
    {"watch", SUBCMD_WRITE, 0, 0, NULL, 0, run_watch, "automatic failover"},
    {"unwatch", SUBCMD_IMPORT, 0, 0, NULL, 0, run_unwatch, "leave automatic failover"},
};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {
	    {&ccc_common_argp, 0, NULL, 0}, {&ccc_batch_argp, 0, "Import:", 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, prog_doc, children, ccc_exit_help_filter, NULL};
	const struct subcmd *c = NULL;

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	signal(SIGPIPE, SIG_IGN);
	/* The command's words are cfg.command and cfg.args; cmd_site reads the
	 * second word of "site add" from cfg.args[0]. */
	int nwords = cfg.nargs + 1;
	char **words = cfg.args - 1;
	int rc = subcmd_parse(cmds, sizeof cmds / sizeof cmds[0], &nwords, &words, &c);
	if (rc)
		return rc;
	if ((!strcmp(c->name, "ship") || !strcmp(c->name, "handover")) && !cfg.via && !cfg.to)
		errx(CCC_EX_USAGE, "%s: name the standby with --to SITE or give --via CMD",
		     c->name);
	rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	return out_close(rc);
}
