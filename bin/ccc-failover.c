/*
 * ccc-failover: journal shipping between sites.
 */
#include <argp.h>
#include <err.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/audit-ship.h"
#include "ccc/audit.h"
#include "ccc/exit.h"
#include "ccc/failover-sites.h"
#include "ccc/failover-watch.h"
#include "ccc/handover.h"
#include "ccc/json.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/rejoin.h"
#include "ccc/field-ship.h"
#include "ccc/fieldkit.h"
#include "ccc/ship-import.h"
#include "ccc/ship.h"
#include "ccc/sitelocal.h"
#include "ccc/sites.h"
#include "ccc/store.h"
#include "ccc/subcmd.h"
#include "ccc/table.h"
#include "ccc/xmalloc.h"

static struct config {
	const char *command;
	char **args;
	int nargs;
	long since, limit, ttl, run;
	const char *via, *to, *tz, *region, *orphans, *etcd;
	int ack, no_ack, replace, field;
	enum out_format format;
} cfg = {.limit = -1, .ttl = 5};

const char *argp_program_version = "ccc-failover " CCC_VERSION;
static const char prog_doc[] =
    "One watch, three sites: ship the signed journal from the primary to its standbys, "
    "know where each site stands, and move the watch from one site to another, by script "
    "or automatically on etcd, losing nothing.\v"
    "Commands:\n"
    "  site add NAME KEY    trust a site (--tz, --region); --via CMD says how to\n"
    "                       reach it, --ack makes every writer here wait for its\n"
    "                       acknowledgement (RPO 0), --field makes it a field kit\n"
    "  site list            the known sites (NDJSON; a table on a terminal)\n"
    "  site remove NAME     forget a site (not this one, not the primary)\n"
    "  site revoke NAME     refuse a lost field kit's key from now on, everywhere\n"
    "                       (its audit up to now is kept)\n"
    "  status               each site's role, epoch, last seq, lag, heartbeat\n"
    "  heartbeat            the primary signs a heartbeat (for cron)\n"
    "  position             the seq of this store's last journal entry\n"
    "  export               entries after --since SEQ, with their checkpoints,\n"
    "                       then where this site's journal ends (a head record)\n"
    "  import [FILE...]     apply entries from stdin or FILEs; answer `ack`s; keep\n"
    "                       the primary's head, for the lag reads show at a standby\n"
    "  ship                 bring home the standby's audit chain (the checks it\n"
    "                       answered), then ship what it lacks (--to SITE and/or\n"
    "                       --via CMD)\n"
    "  audit-export         this site's own audit chain after --since SEQ\n"
    "  audit-import [FILE...]  merge sites' audit chains into the consultation log\n"
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
    "store, such as 'ssh bue ccc-failover'; it is given position, import, export, "
    "audit-export or promote.\n\n"
    "At a standby, 'site add PRIMARY KEY --via CMD' records how the primary is reached: "
    "the programs that write then run at the primary through CMD and print what it "
    "wrote; when it does not answer, nothing is written and they exit 75 "
    "(--no-forward refuses always).\n\n"
    "A standby is made with 'ccc-store init --standby --site NAME' and given its "
    "primary's key with 'ccc-store trust add NAME KEY'. Import checks each entry "
    "(chain, hash, signature, epoch, origin, tables) and applies it in one transaction, "
    "idempotently; one that differs from the standby's own or conflicts with its "
    "tables is split brain: none of it is applied. A site that has seen a newer "
    "epoch, or whose sealed settings were changed outside ccc, refuses every write "
    "(75, 'fenced: ...').\n\n"
    "Acks are signed by the standby's key; ship records one only for the site shipped "
    "to, for an entry it sent, with its own hash and a good signature.\n\n"
    "A field kit ('ccc-store init --field', 'site add NAME KEY --field') holds the "
    "reference databases and notices only: ship sends it signed field batches, never "
    "the journal.\n\n"
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
    "site add NAME KEY\nsite list|remove|revoke NAME\nstatus\nheartbeat\nposition\n"
    "export [--since SEQ]\nimport [FILE...]\naudit-export [--since SEQ]\naudit-import "
    "[FILE...]\nship --to SITE|--via CMD\npromote\n"
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
	OPT_FIELD,
};

static const struct argp_option options[] = {
    {"since", OPT_SINCE, "SEQ", 0, "export, audit-export: entries after SEQ (default 0: all)", 0},
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
    {"field", OPT_FIELD, NULL, 0,
     "site add: a field kit (reference databases and notices only, sent as signed "
     "field batches)",
     0},
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

/* The commands that use an option (two-word names with '-'); the others
 * refuse it (ccc(7), CONVENTIONS). */
static const struct optcheck_use option_users[] = {
    {OPT_SINCE, "export audit-export"},
    {OPT_LIMIT, "export"},
    {OPT_TO, "ship handover"},
    {OPT_VIA, "site-add ship handover rejoin"},
    {OPT_TZ, "site-add"},
    {OPT_REGION, "site-add"},
    {OPT_ACK, "site-add"},
    {OPT_NO_ACK, "site-add"},
    {OPT_REPLACE, "site-add"},
    {OPT_ORPHANS, "rejoin"},
    {OPT_ETCD, "watch"},
    {OPT_TTL, "watch"},
    {OPT_RUN, "watch"},
    {OPT_FORMAT, "site-list status"},
    {OPT_FIELD, "site-add"},
};
static unsigned char given[256];

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	if (key > 0 && key < (int)sizeof given)
		given[key] = 1;
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
		if (out_format_parse(arg, &cfg.format) < 0)
			argp_error(state, "--format: '%s' is not ndjson or table", arg);
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
	case OPT_FIELD: cfg.field = 1; break;
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
				  "export, import, audit-export, audit-import, ship, promote, "
				  "handover, rejoin, watch or unwatch");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The command reaching the standby: --via, else the one remembered for --to. */
static char *reach(struct store *s)
{
	if (cfg.via)
		return xstrdup(cfg.via);
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
	char at[64];
	if (cfg.to && audit_revoked(s, cfg.to, NULL, at, sizeof at)) {
		warnx("%s: site '%s' was revoked at %s: nothing is shipped to it", cfg.command,
		      cfg.to, at);
		return CCC_EX_NOPERM;
	}
	/* its audit chain first, so that what it checked goes back to it merged */
	struct audit_import im = {0};
	int arc = audit_pull(s, via, cfg.to, &im);
	if (!ccc_opts.quiet && im.merged)
		fprintf(stderr, "ccc-failover: merged %lu audit %s of %s\n", im.merged,
			im.merged == 1 ? "entry" : "entries", cfg.to ? cfg.to : "the standby");
	int rc = ship_sync(s, via, cfg.to, 10000, &acked);
	rc = rc ? rc : arc;
	if (!rc && !ccc_opts.quiet && acked != before)
		fprintf(stderr, "ccc-failover: %s acknowledged every entry up to %lld\n",
			cfg.to ? cfg.to : "the standby", (long long)acked);
	return rc;
}

static volatile sig_atomic_t import_signal;

static void on_import_signal(int sig)
{
	import_signal = sig;
}

static struct ship_import import_opts(void)
{
	return (struct ship_import){.max_line = ccc_opts.max_line,
				    .batch = ccc_opts.batch,
				    .batch_ms = ccc_opts.batch_ms,
				    .stop = &import_signal};
}

/* Planned handover: ship everything, promote the standby, and import its
 * epoch entry here, which fences this site (RPO 0). */
static int cmd_handover(struct store *s, const char *via)
{
	struct ship_import im = import_opts();
	int rc = cmd_ship(s, via);
	if (!rc)
		rc = handover_promote(s, via, &im);
	if (!rc && !ccc_opts.quiet)
		fprintf(stderr,
			"ccc-failover: handed over with nothing lost; site '%s' is now fenced\n",
			store_site(s));
	return rc;
}

/* The store's page cache while applying a stream (store_cache_limit): an
 * import appends, and reads back only the keys it applies next to; the pages
 * a batch changes (ship-import.c, 8 MiB of entries) fit in it, so that none
 * is written out before the commit. */
#define IMPORT_CACHE_KIB 24576

static int cmd_import(struct store *s, const char *name)
{
	struct ship_import im = import_opts();
	int rc;
	if ((rc = store_cache_limit(s, IMPORT_CACHE_KIB)))
		return rc;
	/* An import takes a batch of entries (up to 8 MB of lines), their
	 * changesets decoded, applies them, and frees it all before the next.
	 * glibc gives the top of the heap back to the system when more than
	 * twice its mmap threshold is free, so each batch was paged in afresh:
	 * 44,000 page faults for 100,000 messages, a sixth of the import's
	 * time. The memory is kept for the next batch instead; the peak is
	 * the same, one batch. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	struct sigaction sa = {.sa_handler = on_import_signal}; /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = fieldkit_is_kit(s)
		 ? field_import_files(s, cfg.args, cfg.nargs, im.max_line, im.stop, &im.applied)
		 : ship_import_files(s, cfg.args, cfg.nargs, &im);
	if (ccc_opts.verbose)
		warnx("%lu entries acknowledged", im.applied);
	return rc;
}

static int site_list(struct store *s)
{
	static const struct table_col cols[] = {{"NAME", 0, 0, NULL},   {"KIND", 0, 0, NULL},
						{"REGION", 0, 0, NULL}, {"TIME ZONE", 0, 0, NULL},
						{"VIA", 40, 0, NULL},   {"ACK", 0, 0, NULL},
						{"KEY", 0, 0, NULL}};
	jv list;
	int rc = failover_site_list(s, &list);
	if (!rc)
		table_print_records(cols, 7, list, cfg.format);
	return rc;
}

static int site_add(struct store *s)
{
	struct site_add a = {.name = cfg.args[0],
			     .key = cfg.args[1],
			     .tz = cfg.tz,
			     .region = cfg.region,
			     .via = cfg.via,
			     .ack = cfg.ack      ? SITE_ACK_WAIT
				    : cfg.no_ack ? SITE_ACK_STOP
						 : SITE_ACK_KEEP,
			     .replace = cfg.replace,
			     .field = cfg.field};
	struct rerun again;
	if (cfg.ack && !cfg.via)
		errx(CCC_EX_USAGE, "site add: --ack needs --via CMD to reach the standby");
	if (cfg.ack && cfg.no_ack)
		errx(CCC_EX_USAGE, "site add: --ack and --no-ack exclude each other");
	int rc = failover_site_add(s, &a, &again);
	if (!rc && !ccc_opts.quiet && again.done)
		warnx("%s", again.why);
	else if (!rc && !ccc_opts.quiet)
		fprintf(stderr, "ccc-failover: %s '%s' added%s\n", cfg.field ? "field kit" : "site",
			a.name, cfg.ack ? "; writers here wait for its acknowledgements" : "");
	return rc;
}

static int site_revoke(struct store *s)
{
	struct rerun again;
	if (!ccc_site_name_ok(cfg.args[0]))
		errx(CCC_EX_USAGE, "site revoke: " CCC_SITE_NAME_RULE, cfg.args[0]);
	int rc = failover_site_revoke(s, cfg.args[0], &again);
	if (!rc && !ccc_opts.quiet && again.done)
		warnx("%s", again.why);
	else if (!rc && !ccc_opts.quiet)
		fprintf(stderr,
			"ccc-failover: site '%s' revoked; every site refuses its key once it has "
			"this entry (ship it)\n",
			cfg.args[0]);
	return rc;
}

static int run_site(struct store *s, const char *name)
{
	int rc;
	if (!strcmp(name, "list"))
		return site_list(s);
	if (!strcmp(name, "add"))
		return site_add(s);
	if (!strcmp(name, "revoke"))
		return site_revoke(s);
	if (!ccc_site_name_ok(cfg.args[0]))
		errx(CCC_EX_USAGE, "site remove: " CCC_SITE_NAME_RULE, cfg.args[0]);
	if (!(rc = failover_site_remove(s, cfg.args[0])) && !ccc_opts.quiet)
		fprintf(stderr, "ccc-failover: site '%s' removed\n", cfg.args[0]);
	return rc;
}

static int cmd_status(struct store *s, const char *name)
{
	static const struct table_col cols[] = {{"SITE", 0, 0, NULL},
						{"ROLE", 0, 0, NULL},
						{"EPOCH", 0, 1, NULL},
						{"SEQ", 0, 1, NULL},
						{"LAG", 0, 1, NULL},
						{"HEARTBEAT", 0, 0, NULL},
						{"HEARTBEAT AGE S", 0, 1, "heartbeat_age_s"},
						{"REGION", 0, 0, NULL}};
	jv list;
	int rc = sites_status(s, &list);
	if (!rc)
		table_print_records(cols, 8, field_status(s, list), cfg.format);
	return rc;
}

static int cmd_heartbeat(struct store *s, const char *name)
{
	int signed_ = 0, rc = 0;
	if (!fieldkit_is_kit(s)) /* a kit signs nothing: the same crontab everywhere */
		rc = failover_heartbeat(s, &signed_);
	if (!rc && !signed_ && ccc_opts.verbose)
		warnx("heartbeat: site '%s' is not the primary; nothing to sign", store_site(s));
	return rc;
}

static int cmd_rejoin(struct store *s, const char *name)
{
	struct rejoin_result res;
	jv rec;
	if (!cfg.via)
		errx(CCC_EX_USAGE,
		     "rejoin: give the command that reaches the new primary with --via");
	int rc = rejoin_to_file(s, cfg.via, cfg.orphans, &res, &rec);
	if (rc)
		return rc;
	if (!ccc_opts.quiet)
		fprintf(stderr,
			"ccc-failover: rejoined at entry %lld; %ld entries of this site were never "
			"shipped: they are in '%s' for reconciliation\n",
			(long long)res.fork, res.orphans, jv_get_str(rec, "orphans_file"));
	out_jv(rec);
	return 0;
}

static int cmd_watch(struct store *s, const char *name)
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

static int cmd_position(struct store *s, const char *name)
{
	int64_t p = fieldkit_is_kit(s) ? fieldkit_position(s) : ship_position(s);
	if (p < 0)
		return CCC_EX_IOERR;
	char line[32];
	int w = snprintf(line, sizeof line, "%lld", (long long)p);
	out_line(line, (size_t)w);
	return 0;
}

static int cmd_export(struct store *s, const char *name)
{
	return ship_export(s, cfg.since, cfg.limit);
}

static int cmd_audit_export(struct store *s, const char *name)
{
	return audit_export(s, cfg.since);
}

static int cmd_audit_import(struct store *s, const char *name)
{
	struct audit_import im = {0};
	int rc = audit_import_files(s, cfg.args, cfg.nargs, &im);
	if (!ccc_opts.quiet && (im.merged || im.refused || ccc_opts.verbose))
		fprintf(stderr,
			"ccc-failover: %lu audit entries merged, %lu already merged, %lu refused\n",
			im.merged, im.known, im.refused);
	return rc;
}

static int cmd_shipping(struct store *s, const char *name)
{
	char *via = reach(s), *kit = NULL;
	if (!via)
		return CCC_EX_USAGE;
	/* --via alone to a field kit: ship to it as a kit, never the journal */
	if (!cfg.to && (kit = field_kit_reached_by(s, via)))
		cfg.to = kit;
	if (!strcmp(name, "handover") && field_site_is_kit(s, cfg.to)) {
		warnx("handover: '%s' is a field kit: it holds the reference databases and "
		      "notices only, and cannot take the watch",
		      cfg.to);
		free(via);
		free(kit);
		return CCC_EX_USAGE;
	}
	int rc = !strcmp(name, "ship") ? cmd_ship(s, via) : cmd_handover(s, via);
	free(via);
	free(kit);
	return rc;
}

static int cmd_promote(struct store *s, const char *name)
{
	int64_t epoch;
	if (fieldkit_is_kit(s))
		errx(CCC_EX_USAGE,
		     "promote: site '%s' is a field kit: it holds the reference databases and "
		     "notices only, and cannot become the primary",
		     store_site(s));
	int rc = store_promote(s, &epoch);
	if (!rc && !ccc_opts.quiet)
		fprintf(stderr, "ccc-failover: site '%s' is the primary of epoch %lld\n",
			store_site(s), (long long)epoch);
	/* the checks it answered as a standby join the consultation log */
	struct audit_import im = {0};
	int arc = rc ? 0 : audit_merge_own(s, &im);
	if (!rc && !ccc_opts.quiet && im.merged)
		fprintf(stderr, "ccc-failover: merged %lu entries of this site's own audit chain\n",
			im.merged);
	return rc ? rc : arc;
}

static int cmd_unwatch(struct store *s, const char *name)
{
	int rc = store_set_lease(s, -1);
	if (!rc && !ccc_opts.quiet)
		fprintf(stderr,
			"ccc-failover: site '%s' left automatic failover; its "
			"writers no longer need the primary lease\n",
			store_site(s));
	return rc;
}

/* import, ship, handover, rejoin and unwatch store what a primary signed
 * (STORE_IMPORT): they load the site key, when its file exists, only to check
 * and seal the site settings and sign acknowledgements. */
static const struct subcmd cmds[] = {
    {"site add", SUBCMD_WRITE, 2, 2, "NAME KEY", 0, run_site, "trust a site"},
    {"site list", SUBCMD_READ, 0, 0, NULL, 0, run_site, "the known sites"},
    {"site remove", SUBCMD_WRITE, 1, 1, "NAME", 0, run_site, "forget a site"},
    {"site revoke", SUBCMD_WRITE, 1, 1, "NAME", 0, run_site, "refuse a lost kit's key"},
    {"status", SUBCMD_READ, 0, 0, NULL, 0, cmd_status, "each site's role and lag"},
    {"heartbeat", SUBCMD_WRITE, 0, 0, NULL, 0, cmd_heartbeat, "the primary signs one"},
    {"position", SUBCMD_READ, 0, 0, NULL, 0, cmd_position, "the last journal seq"},
    {"export", SUBCMD_READ, 0, 0, NULL, 0, cmd_export, "entries after --since"},
    {"import", SUBCMD_IMPORT, 0, -1, "FILE", 1, cmd_import, "apply entries"},
    {"audit-export", SUBCMD_READ, 0, 0, NULL, 0, cmd_audit_export, "this site's audit chain"},
    {"audit-import", SUBCMD_WRITE, 0, -1, "FILE", 1, cmd_audit_import, "merge audit chains"},
    {"ship", SUBCMD_IMPORT, 0, 0, NULL, 0, cmd_shipping, "ship what a standby lacks"},
    {"promote", SUBCMD_WRITE, 0, 0, NULL, 0, cmd_promote, "primary of a new epoch"},
    {"handover", SUBCMD_IMPORT, 0, 0, NULL, 0, cmd_shipping, "hand over to the standby"},
    {"rejoin", SUBCMD_IMPORT, 0, 0, NULL, 0, cmd_rejoin, "follow the new primary"},
    {"watch", SUBCMD_WRITE, 0, 0, NULL, 0, cmd_watch, "automatic failover"},
    {"unwatch", SUBCMD_IMPORT, 0, 0, NULL, 0, cmd_unwatch, "leave automatic failover"},
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
	/* The command's words are cfg.command and cfg.args; then cfg.args are
	 * the arguments after the command's name. */
	cfg.nargs++;
	cfg.args--;
	int rc = subcmd_parse(cmds, sizeof cmds / sizeof cmds[0], &cfg.nargs, &cfg.args, &c);
	if (rc)
		return rc;
	if ((rc = optcheck_refuse_unused(options, given, sizeof given, option_users,
					 sizeof option_users / sizeof option_users[0], c->name)))
		return rc;
	if ((!strcmp(c->name, "ship") || !strcmp(c->name, "handover")) && !cfg.via && !cfg.to)
		errx(CCC_EX_USAGE, "%s: name the standby with --to SITE or give --via CMD",
		     c->name);
	rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	return out_close(rc);
}
