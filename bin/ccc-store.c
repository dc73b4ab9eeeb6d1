/*
 * ccc-store: plumbing for the signed store: init, keys, trust, verify, log,
 * rejects, stats, backup, attachment.
 */
#include <argp.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccc/exit.h"
#include "ccc/fieldkit.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/sites.h"
#include "ccc/store.h"
#include "ccc/store-report.h"
#include "ccc/subcmd.h"
#include "ccc/table.h"
#include "ccc/trust.h"
#include "ccc/verify.h"

static struct config {
	const char *command;
	char **args;
	int nargs;
	long long since;
	long limit;
	int replace, standby, restricted, field;
	const char *program;
	enum out_format out;
	struct table *table; /* a listing on a terminal */
} cfg = {.limit = -1};

const char *argp_program_version = "ccc-store " CCC_VERSION;
static const char doc[] =
    "Plumbing for the site's signed store.\v"
    "Commands:\n"
    "  init           create the store and this site's key (needs --site)\n"
    "  keys           print this site's public key as a `site` record\n"
    "  trust add      trust a site's key: NAME KEY, or `site` records on stdin\n"
    "                 (also kept outside the store: $XDG_CONFIG_HOME/ccc/trust/)\n"
    "  trust list     the trusted sites (`site` records)\n"
    "  verify         check the hash chain and every checkpoint signature,\n"
    "                 replay the journal against every state table, and check\n"
    "                 the schema, the keys against the trust anchors and the\n"
    "                 head against its witness ($XDG_STATE_HOME/ccc/witness/)\n"
    "  log            the journal (--since SEQ, --limit N); the keys\n"
    "                 of restricted reference records and the command lines of\n"
    "                 checks are left out unless --restricted (which is logged)\n"
    "  rejects        rejected input lines (--program, --limit)\n"
    "  stats          counts, sizes, epoch and journal head, as JSON\n"
    "  backup FILE    an online copy of the store (SQLite backup API)\n"
    "  attachment SHA256\n"
    "                 the whole of a value a message keeps apart (a long body,\n"
    "                 subject or field; see \"truncated\" in ccc-records(5))\n\n"
    "log, rejects and trust list print a table on a terminal and NDJSON otherwise "
    "(--format). An option given to a command that does not use it is a usage error "
    "(64).\n\n"
    "EXAMPLES\n"
    "  ccc-store init --site lyon --store /var/lib/ccc/lyon.db\n"
    "  ccc-store keys | ssh bue ccc-store trust add\n"
    "  ccc-store verify && echo intact\n"
    "  ccc-store log --since 1200 | jq -c 'select(.actor == \"duty\")'\n"
    "  ccc-store rejects --program ccc-intake | jq -r .reason | sort | uniq -c\n"
    "  ccc-store backup /backup/lyon-$(date +%F).db";
static const char args_doc[] = "COMMAND [ARG...]";
/* The exit statuses --help lists (lib/ccc/exit.h), with what they mean here. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_NEGATIVE, "attachment: no such attachment"},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_DATAERR, "verify found a problem, or bad input to trust"},
    {CCC_EX_NOINPUT, NULL},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_CANTCREAT, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, NULL},
    {CCC_EX_NOPERM, "the key file, its folder or the store is open to others"},
    {CCC_EX_CONFIG, NULL},
    CCC_EXIT_END,
};

enum {
	OPT_SINCE = 1,
	OPT_LIMIT,
	OPT_REPLACE,
	OPT_PROGRAM,
	OPT_STANDBY,
	OPT_RESTRICTED,
	OPT_FORMAT,
	OPT_FIELD
};

static const struct argp_option options[] = {
    {"since", OPT_SINCE, "SEQ", 0, "log: entries after SEQ (default 0)", 0},
    {"limit", OPT_LIMIT, "N", 0, "log, rejects: at most N records", 0},
    {"restricted", OPT_RESTRICTED, NULL, 0,
     "log: show restricted keys and check command lines too (the access is journaled)", 0},
    {"program", OPT_PROGRAM, "NAME", 0, "rejects: only those of this program", 0},
    {"replace", OPT_REPLACE, NULL, 0, "trust add: replace a site's key already trusted", 0},
    {"standby", OPT_STANDBY, NULL, 0, "init: a standby, whose journal comes from its primary", 0},
    {"field", OPT_FIELD, NULL, 0,
     "init: a field kit, a standby that takes only the reference databases and notices "
     "(implies --standby)",
     0},
    {"format", OPT_FORMAT, "FORMAT", 0,
     "log, rejects, trust list: table or ndjson (default: a table on a terminal)", 0},
    {0},
};

/* The options given, and the commands that use each. */
static unsigned char given[256];
static const struct optcheck_use option_users[] = {
    {OPT_SINCE, "log"},         {OPT_LIMIT, "log rejects"},
    {OPT_RESTRICTED, "log"},    {OPT_PROGRAM, "rejects"},
    {OPT_REPLACE, "trust-add"}, {OPT_STANDBY, "init"},
    {OPT_FIELD, "init"},        {OPT_FORMAT, "log rejects trust-list"},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	if (key > 0 && key < (int)sizeof given)
		given[key] = 1;
	long v;
	switch (key) {
	case OPT_SINCE:
		if (ccc_parse_long(arg, 0, 0x7fffffffffffffffL, &v) < 0)
			argp_error(state, "--since: '%s' is not a journal seq", arg);
		cfg.since = v;
		break;
	case OPT_LIMIT:
		if (ccc_parse_long(arg, 0, 0x7fffffffffffffffL, &cfg.limit) < 0)
			argp_error(state, "--limit: '%s' is not a number", arg);
		break;
	case OPT_PROGRAM: cfg.program = arg; break;
	case OPT_REPLACE: cfg.replace = 1; break;
	case OPT_STANDBY: cfg.standby = 1; break;
	case OPT_FIELD: cfg.standby = cfg.field = 1; break;
	case OPT_RESTRICTED: cfg.restricted = 1; break;
	case OPT_FORMAT:
		if (out_format_parse(arg, &cfg.out) < 0)
			argp_error(state, "--format: '%s' is not one of table, ndjson", arg);
		break;
	case ARGP_KEY_ARG:
		cfg.command = arg;
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "a command is needed: init, keys, trust, verify, log, rejects, "
				  "stats, backup or attachment");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/*
 * init of a store that exists: a rerun (exit 0, nothing changed) when it is
 * this site's, in the role asked for, signed with the key asked for (as git
 * init of a repository); another site, role or key stays an error (73).
 */
static int init_again(void)
{
	struct store *s;
	uint8_t have[SIGN_PUBLEN], want[SIGN_PUBLEN];
	struct sign_key *k = NULL;
	char *defkey = ccc_opts.key ? NULL : ccc_default_key(ccc_opts.site);
	const char *keypath = ccc_opts.key ? ccc_opts.key : defkey;
	const char *path = ccc_opts.store, *why = NULL;
	char site[128];
	/* opened for whichever site it is: another site is init's refusal (73) */
	const char *asked = ccc_opts.site;
	ccc_opts.site = NULL;
	int rc = store_open(path, STORE_READ, NULL, &s);
	ccc_opts.site = asked;
	if (rc) {
		free(defkey);
		return rc;
	}
	snprintf(site, sizeof site, "%s", store_site(s) ? store_site(s) : "?");
	int standby = sitelocal_is_standby(store_local(s)), field = fieldkit_is_kit(s);
	if (strcmp(site, ccc_opts.site) != 0)
		why = "site";
	else if (standby != cfg.standby || field != cfg.field)
		why = "role";
	else if (store_site_key(s, site, have) != 0 || access(keypath, F_OK) != 0 ||
		 sign_load(keypath, &k) != 0)
		why = "key";
	else {
		sign_public(k, want);
		sign_free(k);
		if (memcmp(have, want, sizeof have) != 0)
			why = "key";
	}
	store_close(s);
	if (why) {
		warnx("cannot create store '%s': it already exists, for %s site '%s'%s%s%s", path,
		      field     ? "field kit"
		      : standby ? "standby"
				: "primary",
		      site, !strcmp(why, "key") ? ", with a key other than '" : "",
		      !strcmp(why, "key") ? keypath : "", !strcmp(why, "key") ? "'" : "");
		free(defkey);
		return CCC_EX_CANTCREAT;
	}
	if (!ccc_opts.quiet)
		warnx("store '%s' exists already for %s site '%s' (key '%s')", path,
		      field     ? "field kit"
		      : standby ? "standby"
				: "primary",
		      site, keypath);
	free(defkey);
	return 0;
}

/* A new store becomes a field kit's (fieldkit.h): a setting of its own. */
static int mark_field_kit(void)
{
	struct store *s;
	int rc = store_open(ccc_opts.store, STORE_IMPORT, ccc_opts.key, &s);
	if (rc)
		return rc;
	rc = fieldkit_mark(s);
	store_close(s);
	return rc;
}

static int cmd_init(void)
{
	if (!ccc_opts.site)
		errx(CCC_EX_USAGE, "init: give the site's name with --site (or CCC_SITE)");
	if (!ccc_site_name_ok(ccc_opts.site))
		errx(CCC_EX_USAGE, "init: " CCC_SITE_NAME_RULE, ccc_opts.site);
	struct stat sb;
	if (stat(ccc_opts.store, &sb) == 0)
		return init_again();
	int rc = store_init(ccc_opts.store, ccc_opts.site, ccc_opts.key, cfg.standby);
	if (!rc && cfg.field)
		rc = mark_field_kit();
	if (!rc && !ccc_opts.quiet) {
		char *key = ccc_opts.key ? NULL : ccc_default_key(ccc_opts.site);
		fprintf(stderr, "ccc-store: created store '%s' for site '%s' (key '%s')\n",
			ccc_opts.store, ccc_opts.site, ccc_opts.key ? ccc_opts.key : key);
		free(key);
	}
	return rc;
}

static int print_sites(struct store *s, const char *only)
{
	jv list;
	int rc = sites_list(s, only, &list);
	if (rc)
		return rc;
	static const struct table_col cols[] = {
	    {"NAME", 24, 0, NULL}, {"KEY", 0, 0, NULL}, {"ADDED AT", 0, 0, NULL}};
	int found = jv_array_length(jv_copy(list));
	/* keys prints one record, for a pipe to trust add */
	table_print_records(cols, 3, list, only ? OUT_NDJSON : cfg.out);
	if (only && !found) {
		warnx("store '%s': site '%s' has no key in the store", store_path(s), only);
		return CCC_EX_CONFIG;
	}
	return 0;
}

static int cmd_trust(void)
{
	struct store *s;
	int rc;
	if (cfg.nargs < 1 || (strcmp(cfg.args[0], "add") && strcmp(cfg.args[0], "list")))
		errx(CCC_EX_USAGE, "trust: use 'trust add [NAME KEY]' or 'trust list'");
	if (!strcmp(cfg.args[0], "list")) {
		if ((rc = store_open(ccc_opts.store, STORE_READ, NULL, &s)))
			return rc;
		rc = print_sites(s, NULL);
		store_close(s);
		return rc;
	}
	if (cfg.nargs != 1 && cfg.nargs != 3)
		errx(CCC_EX_USAGE, "trust add: give NAME and KEY, or `site` records on stdin");
	if ((rc = store_open(ccc_opts.store, STORE_WRITE, ccc_opts.key, &s)))
		return rc;
	struct trust_opts t = {.replace = cfg.replace, .quiet = ccc_opts.quiet};
	if (cfg.nargs == 3)
		rc = trust_add(s, cfg.args[1], cfg.args[2], &t);
	else
		rc = trust_add_records(s, STDIN_FILENO, ccc_opts.max_line, &t);
	store_close(s);
	return rc;
}

static int cmd_verify(void)
{
	struct store *s;
	jv report;
	int rc = store_open(ccc_opts.store, STORE_READ, NULL, &s);
	if (rc)
		return rc;
	rc = store_verify(s, &report);
	if (rc == 0 || rc == CCC_EX_DATAERR) {
		report = jv_object_set(report, jv_string("store"), jv_string(store_path(s)));
		report = jv_object_set(report, jv_string("site"), jv_string(store_site(s)));
		out_jv(report);
	}
	store_close(s);
	return rc;
}

/* One record of a listing: a table row on a terminal, else an NDJSON line. */
static void emit(jv rec, void *ctx)
{
	table_emit(cfg.table, rec);
}

/* The journal; with --restricted, the access is journaled first. */
static int cmd_log(void)
{
	static const struct table_col cols[] = {
	    {"SEQ", 0, 1, NULL},      {"EPOCH", 0, 1, NULL}, {"ORIGIN", 16, 0, NULL},
	    {"ACTOR", 16, 0, NULL},   {"TS", 0, 0, NULL},    {"COMMAND", 40, 0, NULL},
	    {"CHANGES", 60, 0, NULL},
	};
	struct store *s;
	int rc = store_open(ccc_opts.store, cfg.restricted ? STORE_WRITE : STORE_READ,
			    cfg.restricted ? ccc_opts.key : NULL, &s);
	if (rc)
		return rc;
	if (out_format_is_table(cfg.out))
		cfg.table = table_new(cols, (int)(sizeof cols / sizeof cols[0]));
	rc = store_report_journal(s, cfg.since, cfg.limit, cfg.restricted, emit, NULL);
	table_free(cfg.table);
	store_close(s);
	return rc;
}

static int run_rejects(struct store *s, const char *name)
{
	static const struct table_col cols[] = {
	    {"TS", 0, 0, NULL},   {"PROGRAM", 12, 0, NULL}, {"FILE", 30, 0, NULL},
	    {"LINE", 0, 1, NULL}, {"REASON", 50, 0, NULL},  {"RAW SIZE", 0, 1, NULL},
	};
	if (out_format_is_table(cfg.out))
		cfg.table = table_new(cols, (int)(sizeof cols / sizeof cols[0]));
	int rc = store_report_rejects(s, cfg.program, cfg.limit, emit, NULL);
	table_free(cfg.table);
	return rc;
}

/* The whole of a value a message keeps apart, as stored: to stdout. */
static int run_attachment(struct store *s, const char *name)
{
	const char *sum = cfg.args[0];
	if (cfg.nargs != 1 || strlen(sum) != 64 || strspn(sum, "0123456789abcdef") != 64)
		errx(CCC_EX_USAGE, "attachment: give one SHA-256 in lowercase hex (64 digits)");
	return store_report_attachment(s, sum);
}

static int run_stats(struct store *s, const char *name)
{
	out_jv(store_report_stats(s));
	return 0;
}

static int run_backup(struct store *s, const char *name)
{
	struct stat sb;
	const char *path = cfg.args[0];
	if (cfg.nargs != 1 || !*path)
		errx(CCC_EX_USAGE, "backup: give the FILE to write");
	if (stat(path, &sb) == 0)
		errx(CCC_EX_CANTCREAT, "backup: '%s' already exists", path);
	int rc = store_report_backup(s, path);
	if (!rc && !ccc_opts.quiet)
		fprintf(stderr, "ccc-store: backed up '%s' to '%s'\n", store_path(s), path);
	return rc;
}

static int cmd_keys(void)
{
	struct store *s;
	int rc = store_open(ccc_opts.store, STORE_READ, NULL, &s);
	if (rc)
		return rc;
	uint8_t pub[SIGN_PUBLEN];
	jv list;
	int known = 0;
	if (!sites_list(s, store_site(s), &list)) {
		known = jv_array_length(jv_copy(list)) > 0;
		jv_free(list);
	}
	if (known) {
		rc = print_sites(s, store_site(s));
	} else {
		/* A standby before its first import: the key file tells. */
		struct sign_key *k = NULL;
		char *path = ccc_opts.key ? NULL : ccc_default_key(store_site(s));
		rc = sign_load(ccc_opts.key ? ccc_opts.key : path, &k);
		free(path);
		if (!rc) {
			sign_public(k, pub);
			out_jv(sites_record(store_site(s), pub, NULL));
			sign_free(k);
		}
	}
	store_close(s);
	return rc;
}

/* The commands open the store themselves, each in its own way (init creates
 * it, keys reads the key file on a standby): the table opens none. */
#define RUN(f)                                                                                     \
	static int run_##f(struct store *s, const char *name)                                      \
	{                                                                                          \
		(void)s;                                                                           \
		(void)name;                                                                        \
		return cmd_##f();                                                                  \
	}
RUN(init)
RUN(keys)
RUN(trust)
RUN(verify)
RUN(log)

static const struct subcmd cmds[] = {
    {"init", SUBCMD_NONE, 0, 0, NULL, 0, run_init, "create the store and this site's key"},
    {"keys", SUBCMD_NONE, 0, 0, NULL, 0, run_keys, "this site's public key"},
    {"trust add", SUBCMD_NONE, 0, 2, "NAME KEY", 1, run_trust, "trust a site's key"},
    {"trust list", SUBCMD_NONE, 0, 0, NULL, 0, run_trust, "the trusted sites"},
    {"verify", SUBCMD_NONE, 0, 0, NULL, 0, run_verify, "check the chain and signatures"},
    {"log", SUBCMD_NONE, 0, 0, NULL, 0, run_log, "the journal"},
    {"rejects", SUBCMD_READ, 0, 0, NULL, 0, run_rejects, "rejected input lines"},
    {"stats", SUBCMD_READ, 0, 0, NULL, 0, run_stats, "counts, sizes, epoch, head"},
    {"backup", SUBCMD_READ, 1, 1, "FILE", 0, run_backup, "an online copy of the store"},
    {"attachment", SUBCMD_READ, 1, 1, "SHA256", 0, run_attachment, "a value kept apart"},
};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, doc, children, ccc_exit_help_filter, NULL};
	const struct subcmd *c = NULL;
	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	signal(SIGPIPE, SIG_IGN);
	/* The command's words are cfg.command and cfg.args; the commands read the
	 * second word of a two-word name ("trust add") from cfg.args[0]. */
	int nwords = cfg.nargs + 1;
	char **words = cfg.args - 1;
	int rc = subcmd_parse(cmds, sizeof cmds / sizeof cmds[0], &nwords, &words, &c);
	if (!rc)
		rc = optcheck_refuse_unused(options, given, sizeof given, option_users,
					    sizeof option_users / sizeof option_users[0], c->name);
	if (!rc)
		rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	return out_close(rc);
}
