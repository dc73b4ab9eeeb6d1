/*
 * ccc-check: load the reference databases; check documents, persons,
 * vehicles, firearms, artworks and vessels; the consultation log.
 */
#include <argp.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/audit.h"
#include "ccc/checks.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/personmatch.h"
#include "ccc/refdb.h"
#include "ccc/store.h"
#include "ccc/refload.h"
#include "ccc/rescreen.h"
#include "ccc/subcmd.h"
#include "ccc/table.h"
#include "ccc/stream.h"

/* load's --batch and --batch-ms when not given (cmd_load) */
#define LOAD_BATCH    10000
#define LOAD_BATCH_MS 2000
/* the filter's --batch when not given (cmd_filter): its --batch-ms (200)
 * closes a batch first at any rate below 100,000 checks a second */
#define FILTER_BATCH 20000
/* The store's page cache while checking a stream (store_cache_limit). A
 * check reads a few pages at random from the whole store, and the inner
 * pages of its indexes again and again. In malloc's memory a larger cache
 * cost more in page faults than it saved in reads (at 1M persons, 2,000
 * name checks took 0.74-1.01 s with 64 MiB, 0.49-0.66 s with 4-8 MiB), and
 * at 8 MiB the inner pages of the persons and their keys did not stay: 45k
 * pages read for 2,000 checks. In huge pages (pagemem.h) 32 MiB keeps them,
 * 28k pages read, and costs a fault per 2 MiB. */
#define FILTER_CACHE_KIB 32768
/* reindex's persons a transaction, when --batch is not given */
#define REINDEX_BATCH 10000

static struct config {
	char **args;
	int nargs;
	const char *command;
	int db;
	enum refload_format input; /* load: --input-format */
	const char *format;        /* --format: the output's, or load's old name of the input's */
	enum out_format out;
	struct table *table; /* the filter's and a direct check's, on a terminal */
	int remove;
	const char *field[32]; /* each option's value by key; --doc ... --artwork are the
				  query's fields of the same name */
	int direct, mrz, pending;
	long limit, days;
	struct refdb_ctx ctx;
	struct checks checks;
} cfg = {.db = -1,
	 .limit = -1,
	 .days = RESCREEN_DAYS,
	 .ctx = {.threshold = PERSON_MATCH_THRESHOLD, .top = 5}};

const char *argp_program_version = "ccc-check " CCC_VERSION;
static const char prog_doc[] =
    "Instant checks against the reference databases: travel documents, persons (across "
    "scripts and spellings), vehicles, firearms, works of art and vessels; with the "
    "owners' restrictions, and every check in the consultation log.\v"
    "Commands:\n"
    "  (none)        filter: check the `query` records and the entities of the\n"
    "                `message` records on stdin or in FILEs; add \"checks\"\n"
    "                (--pending: of every stored message not checked yet)\n"
    "  load FILE...  load records into --db (--input-format, --owner, --remove)\n"
    "  rescreen      re-screen what a load or notice cut short left noted (--days)\n"
    "  reindex       add the index keys this version gives the stored persons\n"
    "                and an earlier one did not (--batch)\n"
    "  log           the consultation log (--owner, --deployment, --limit)\n\n"
    "An option given to a command that does not use it is a usage error (64). A "
    "listing is a table on a terminal, NDJSON otherwise (--format).\n\n"
    "A direct check (--doc, --name, --vin, --plate, --mrz, --serial, --imo, "
    "--artwork) prints one `query` record with its checks. A person's score combines "
    "name similarity across scripts (token order does not matter), date of birth and "
    "nationality; hits at or above --threshold (default 0.65) are reported, at most "
    "--top. A hit the requesting country (--ncb) may not see is shown only as "
    "{\"restricted\": true, \"owner\": CC, \"band\": \"match\"}: a person is then "
    "scored on the name alone against a fixed threshold (0.65), whatever --threshold, "
    "--top, --dob and --nationality say.\n\n"
    "A load changes or removes a stored record only for its owner (the record's "
    "\"owner\", else --owner): another country's record is refused, left as it is, "
    "kept in the rejects and written to the consultation log. Before each batch of a load "
    "commits, the messages of the last --days are checked again against the records it "
    "added or changed (only those); each new hit goes to the triage queue with its reason, "
    "once. What a load killed mid-way changed and did not re-screen stays noted in the "
    "store, and the next load, notice or `rescreen` checks it. A record "
    "loaded again unchanged is not written (a reload of an unchanged list writes nothing "
    "and makes no journal entry) and keeps its review date; a changed record gets a new "
    "one (five years on, unless it names review_by); --renew moves the review date of "
    "unchanged records as well, without checking messages again.\n\n"
    "A checked record that names an entity (document, VIN, MRZ, person matched) that an "
    "earlier message, check or case names gets \"also_in\": [\"msg-lyon-3\", \"case-lyon-1\"] "
    "(on a terminal, a row \"also in\").\n\n"
    "EXAMPLES\n"
    "  ccc-check load --db documents --owner FR stolen-fr.ndjson\n"
    "  ccc-check load --db persons --input-format un-consolidated consolidated.xml\n"
    "  ccc-check load --db persons --input-format ofac-sdn sdn.csv\n"
    "  ccc-check rescreen --days 7\n"
    "  ccc-check --doc 19AB45872 --country FR --ncb ES\n"
    "  ccc-check --name 'Mohamed Ali' --dob 1970-05 --nationality EG\n"
    "  ccc-check -q --vin 1HGCM82633A004352 && echo 'stolen car'\n"
    "  ccc-intake mail.mbox | ccc-check --ncb FR | ccc-triage\n"
    "  ccc-check --pending --ncb FR >/dev/null && ccc-triage --pending";
static const char args_doc[] =
    "[FILE...]\nload --db DB [FILE...]\nrescreen\nreindex\nlog\n--mrz LINE...";
/* The exit statuses --help lists (lib/ccc/exit.h), with what they mean here. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, "success (with -q: something was found)"},
    {CCC_EX_NEGATIVE, "with -q: nothing was found"},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_DATAERR, NULL},
    {CCC_EX_NOINPUT, NULL},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, NULL},
    {CCC_EX_NOPERM, "load: a record belongs to another country; or the key file is readable "
		    "by others"},
    {CCC_EX_CONFIG, NULL},
    CCC_EXIT_END,
};

enum {
	OPT_DB = 1,
	OPT_FORMAT,
	OPT_OWNER,
	OPT_REMOVE,
	OPT_RENEW,
	OPT_DOC,
	OPT_COUNTRY,
	OPT_NAME,
	OPT_DOB,
	OPT_NATIONALITY,
	OPT_VIN,
	OPT_PLATE,
	OPT_MRZ,
	OPT_SERIAL,
	OPT_MAKE,
	OPT_IMO,
	OPT_ARTWORK,
	OPT_NCB,
	OPT_DEPLOYMENT,
	OPT_THRESHOLD,
	OPT_TOP,
	OPT_LIMIT,
	OPT_PENDING,
	OPT_INPUT_FORMAT,
	OPT_DAYS,
};

static const struct argp_option options[] = {
    {NULL, 0, NULL, 0, "Checks:", 1},
    {"doc", OPT_DOC, "NUMBER", 0, "Check a travel document number (with --country)", 1},
    {"country", OPT_COUNTRY, "CC", 0, "Issuing country of --doc, country of --plate", 1},
    {"name", OPT_NAME, "NAME", 0, "Check a person's name, in any script", 1},
    {"dob", OPT_DOB, "DATE", 0,
     "With --name: date of birth, YYYY, YYYY-MM or YYYY-MM-DD (a real date)", 1},
    {"nationality", OPT_NATIONALITY, "CC", 0, "With --name: nationality", 1},
    {"vin", OPT_VIN, "VIN", 0, "Check a vehicle identification number", 1},
    {"plate", OPT_PLATE, "PLATE", 0, "Check a number plate (with --country)", 1},
    {"mrz", OPT_MRZ, NULL, 0, "Check the MRZ given as arguments (2 or 3 lines)", 1},
    {"serial", OPT_SERIAL, "SERIAL", 0, "Check a firearm's serial number (with --make)", 1},
    {"make", OPT_MAKE, "MAKE", 0, "With --serial: the firearm's make", 1},
    {"imo", OPT_IMO, "NUMBER", 0, "Check a vessel's IMO number", 1},
    {"artwork", OPT_ARTWORK, "ID", 0, "Check a work of art by its id", 1},
    {"ncb", OPT_NCB, "CC", 0, "The requesting country: restrictions apply to it", 1},
    {"deployment", OPT_DEPLOYMENT, "ID", 0, "Count the checks for this deployment", 1},
    {"threshold", OPT_THRESHOLD, "SCORE", 0, "Persons: least score reported (default 0.65)", 1},
    {"top", OPT_TOP, "K", 0, "Persons: at most K hits (default 5)", 1},
    {"pending", OPT_PENDING, NULL, 0,
     "Filter: check every stored message that has no checks yet, instead of reading input", 1},
    {NULL, 0, NULL, 0, "Loading and the log:", 2},
    {"db", OPT_DB, "DB", 0, "load: documents, persons, vehicles, firearms, artworks, vessels", 2},
    {"input-format", OPT_INPUT_FORMAT, "FORMAT", 0,
     "load: ndjson, csv, un-consolidated, ofac-sdn (default ndjson)", 2},
    {"format", OPT_FORMAT, "FORMAT", 0,
     "Output: table or ndjson (default: a table on a terminal); load: the old name of "
     "--input-format",
     2},
    {"owner", OPT_OWNER, "CC", 0,
     "load: owner of records that name none, the only one that changes or removes them; "
     "log: records of CC",
     2},
    {"remove", OPT_REMOVE, NULL, 0, "load: remove the records given (found, recovered)", 2},
    {"renew", OPT_RENEW, NULL, 0,
     "load: move the review date of the records given that have not changed too (those "
     "that name no review_by)",
     2},
    {"days", OPT_DAYS, "N", 0,
     "load, rescreen: re-screen the messages of the last N days against what changed "
     "(default 30; 0, load: none)",
     2},
    {"limit", OPT_LIMIT, "N", 0, "log: at most N consultations", 2},
    {0},
};

/* The options given, and the commands that use each: "filter" (records on
 * stdin or in FILEs), "direct" (--doc, --name ...), "load", "rescreen",
 * "log". */
static unsigned char given[256];
static const struct optcheck_use option_users[] = {
    {OPT_DOC, "direct"},
    {OPT_COUNTRY, "direct"},
    {OPT_NAME, "direct"},
    {OPT_DOB, "direct"},
    {OPT_NATIONALITY, "direct"},
    {OPT_VIN, "direct"},
    {OPT_PLATE, "direct"},
    {OPT_MRZ, "direct"},
    {OPT_SERIAL, "direct"},
    {OPT_MAKE, "direct"},
    {OPT_IMO, "direct"},
    {OPT_ARTWORK, "direct"},
    {OPT_NCB, "filter direct"},
    {OPT_DEPLOYMENT, "filter direct log"},
    {OPT_THRESHOLD, "filter direct"},
    {OPT_TOP, "filter direct"},
    {OPT_PENDING, "filter"},
    {OPT_DB, "load"},
    {OPT_INPUT_FORMAT, "load"},
    {OPT_OWNER, "load log"},
    {OPT_REMOVE, "load"},
    {OPT_RENEW, "load"},
    {OPT_DAYS, "load rescreen"},
    {OPT_LIMIT, "log"},
    {OPT_FORMAT, "filter direct load log"},
};

static void refuse_unused(const char *command)
{
	static const char *const said[] = {"filter", "no command (the filter)", "direct",
					   "a direct check"};
	const char *name = optcheck_unused(options, given, sizeof given, option_users,
					   sizeof option_users / sizeof option_users[0], command);
	for (size_t i = 0; name && i < sizeof said / sizeof said[0]; i += 2)
		if (!strcmp(command, said[i]))
			command = said[i + 1];
	if (name)
		errx(CCC_EX_USAGE, "--%s does nothing with %s", name, command);
}

/*
 * --format: the output's (table or ndjson); given to load, the old name of
 * --input-format, which still works with a warning (cron lines use it).
 */
static void output_format(void)
{
	int load = cfg.command && !strcmp(cfg.command, "load");
	if (!cfg.format)
		return;
	if (load && given[OPT_INPUT_FORMAT])
		errx(CCC_EX_USAGE, "load: give --input-format, not --format as well");
	if (load) {
		warnx("load: --format is deprecated: use --input-format %s", cfg.format);
		cfg.input = (enum refload_format)refload_format_by_name(cfg.format);
	} else if (out_format_parse(cfg.format, &cfg.out) < 0) {
		errx(CCC_EX_USAGE,
		     "--format: '%s' is not one of table, ndjson (%s is an input "
		     "format: --input-format, with load)",
		     cfg.format, cfg.format);
	}
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	if (key > 0 && key < (int)sizeof given)
		given[key] = 1;
	if (arg && key > 0 && key < 32)
		cfg.field[key] = arg; /* checked below */
	if (key >= OPT_DOC && key <= OPT_ARTWORK && key != OPT_COUNTRY && key != OPT_DOB &&
	    key != OPT_NATIONALITY && key != OPT_MAKE)
		cfg.direct = 1; /* a check of its own */
	switch (key) {
	case OPT_DB:
		if ((cfg.db = refdb_by_name(arg)) < 0)
			argp_error(state,
				   "--db: '%s' is not documents, persons, vehicles, firearms, "
				   "artworks or vessels",
				   arg);
		break;
	case OPT_INPUT_FORMAT:
	case OPT_FORMAT: {
		static const char *const inputs[] = {"ndjson", "csv", "un-consolidated", "ofac-sdn",
						     NULL};
		static const char *const outputs[] = {"table",           "ndjson",   "csv",
						      "un-consolidated", "ofac-sdn", NULL};
		char msg[256];
		if (optcheck_one(key == OPT_FORMAT ? "format" : "input-format", arg,
				 key == OPT_FORMAT ? outputs : inputs, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		if (key == OPT_FORMAT)
			cfg.format = arg;
		else
			cfg.input = (enum refload_format)refload_format_by_name(arg);
		break;
	}
	case OPT_OWNER:
	case OPT_NCB:
	case OPT_COUNTRY:
	case OPT_NATIONALITY:
		if (strlen(arg) != 2 || arg[0] < 'A' || arg[0] > 'Z' || arg[1] < 'A' ||
		    arg[1] > 'Z')
			argp_error(state, "--%s: '%s' is not an ISO 3166 alpha-2 code (e.g. FR)",
				   optcheck_name(options, key), arg);
		break;
	case OPT_DOB:
		if (!dob_valid(arg))
			argp_error(
			    state,
			    "--dob: '%s' is not a date of birth (YYYY, YYYY-MM or YYYY-MM-DD, "
			    "a real calendar date)",
			    arg);
		break;
	case OPT_MRZ: cfg.mrz = 1; break;
	case OPT_REMOVE: cfg.remove = 1; break;
	case OPT_RENEW: cfg.ctx.renew = 1; break;
	case OPT_PENDING: cfg.pending = 1; break;
	case OPT_THRESHOLD: {
		char *end;
		double t = strtod(arg, &end);
		if (*end || end == arg || t < 0 || t > 1)
			argp_error(state, "--threshold: '%s' is not a score from 0 to 1", arg);
		cfg.ctx.threshold = t;
		break;
	}
	case OPT_TOP: {
		long k;
		if (ccc_parse_long(arg, 1, 1000, &k) < 0)
			argp_error(state, "--top: '%s' is not a number from 1 to 1000", arg);
		cfg.ctx.top = (int)k;
		break;
	}
	case OPT_LIMIT:
		if (ccc_parse_long(arg, 0, 1L << 40, &cfg.limit) < 0)
			argp_error(state, "--limit: '%s' is not a number", arg);
		break;
	case OPT_DAYS:
		if (ccc_parse_long(arg, 0, 36600, &cfg.days) < 0)
			argp_error(state, "--days: '%s' is not a number of days (0 to 36600)", arg);
		break;
	case ARGP_KEY_ARGS:
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		break;
	default: return key > 0 && key < 32 ? 0 : ARGP_ERR_UNKNOWN; /* a value, kept above */
	}
	return 0;
}

static int on_check(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	cfg.ctx.store = stream_store(st);
	if (ln->lazy)
		return checks_filter_line(&cfg.checks, st, ln, ccc_opts.quiet);
	return checks_filter_record(&cfg.checks, st, rec, ln, ccc_opts.quiet);
}

/* A load's batch, before it commits: its re-screening */
static int load_rescreen(struct store *s, void *ctx)
{
	return rescreen_batch(s, ctx);
}

static int cmd_load(struct store *s)
{
	if (cfg.db < 0)
		errx(CCC_EX_USAGE, "load: give the database with --db");
	if ((cfg.input == REFLOAD_UN || cfg.input == REFLOAD_OFAC) && cfg.db != REFDB_PERSONS &&
	    cfg.db != REFDB_VESSELS)
		errx(CCC_EX_USAGE,
		     "load: --input-format %s loads persons (and vessels, for ofac-sdn)",
		     refload_format_name(cfg.input));
	struct stream_config sc = {.program = "ccc-check", CCC_STREAM_OPTS};
	/* A load commits in larger batches than a filter, unless told otherwise:
	 * each commit writes every index page its records touched (a person's
	 * keys fall all over person_keys) and waits for the disk, so fewer,
	 * larger commits write far less; a batch is still one signed journal
	 * entry, of at most STORE_ENTRY_BYTES. */
	if (!sc.batch_max)
		sc.batch_max = LOAD_BATCH;
	if (!sc.batch_ms)
		sc.batch_ms = LOAD_BATCH_MS;
	struct refload l = {
	    .ctx = &cfg.ctx, .db = (enum refdb)cfg.db, .input = cfg.input, .remove = cfg.remove};
	struct stream_counts counts;
	sc.counts = &counts;
	/* what this load changes, the recent messages are checked against again:
	 * each batch before it commits, and what a batch left after (rescreen.h) */
	int watch = !cfg.remove && cfg.days > 0;
	struct rescreen rs = {
	    .c = &cfg.ctx, .days = cfg.days, .each = ccc_opts.quiet ? NULL : rescreen_say_hit};
	if (watch) {
		l.before_commit = load_rescreen;
		l.before_ctx = &rs;
	}
	int rc = watch ? rescreen_watch(s) : 0;
	if (!rc)
		rc = refload_run(&l, s, &sc, cfg.args, cfg.nargs);
	if (watch && (!rc || rc == CCC_EX_DATAERR || rc == CCC_EX_NOPERM)) {
		int r = rescreen_run(s, &rs);
		if (!r && !ccc_opts.quiet && (rs.k.hits || ccc_opts.verbose))
			rescreen_say(&rs.k, cfg.days);
		rc = rc ? rc : r;
	}
	if (!ccc_opts.quiet) {
		/* counted where they happen: a reject need not be a record (a whole
		 * document that cannot be read) */
		char same[48] = "";
		if (l.unchanged)
			snprintf(same, sizeof same, ", %lu unchanged", l.unchanged);
		warnx("%s: %lu records %s%s, %lu rejected", refdb_name(l.db), l.loaded,
		      cfg.remove ? "removed" : "loaded", same, counts.rejected);
		if (l.refused)
			warnx("%s: %lu records refused: another country owns them (logged)",
			      refdb_name(l.db), l.refused);
	}
	return rc;
}

/* The filter's output on a terminal: each batch's records as table rows. */
static void write_table(const char *p, size_t n, void *ctx)
{
	checks_table_lines(cfg.table, p, n);
}

static int cmd_filter(struct store *s)
{
	struct stream_config sc = {
	    .program = "ccc-check",
	    CCC_STREAM_OPTS,
	    .record = on_check,
	    .lazy = 1, /* on_check parses what it does not read from the text */
	};
	/* --pending: the messages stored (by ccc-intake) but never checked. */
	static const char *const SQL_PENDING =
	    "SELECT n, record FROM messages WHERE n > ?1 AND json_type(record, '$.checks') IS NULL"
	    " ORDER BY n LIMIT ?2";
	/* Each commit waits for the disk: at 1000 records a batch, the time of
	 * a stream of checks went more to the waits than to the checks. A
	 * record is still written out only once its batch has committed, and
	 * no later than --batch-ms after it was read. --pending reads each
	 * batch into memory first, and keeps the default. */
	if (!sc.batch_max && !cfg.pending)
		sc.batch_max = FILTER_BATCH;
	if (out_format_is_table(cfg.out)) {
		cfg.table = checks_table_new();
		sc.write = write_table;
	}
	/* at a standby or field kit, checks go to this site's audit chain */
	store_allow_audit(s, audit_write);
	/* It logs checks and writes them into message records, and writes
	 * their entity index itself: a trigger ran three subprograms for
	 * each check it logged, which took half its time. */
	int rc = store_index_own(s);
	if (rc)
		return rc;
	if ((rc = store_cache_limit(s, FILTER_CACHE_KIB)))
		return rc;
	rc = cfg.pending ? stream_run_stored(s, &sc, SQL_PENDING)
			 : stream_run(s, &sc, cfg.args, cfg.nargs);
	table_free(cfg.table);
	cfg.table = NULL;
	if (!rc && ccc_opts.quiet)
		return cfg.checks.hits || cfg.checks.findings ? 0 : CCC_EX_NEGATIVE;
	return rc;
}

/* One record of a listing: a table row on a terminal, else an NDJSON line. */
static void emit(jv rec, void *ctx)
{
	table_emit(cfg.table, rec);
}

static int cmd_direct(struct store *s)
{
	const char *why = NULL;
	jv q = checks_query_new();
	int rc;
	store_allow_audit(s, audit_write);
	for (const struct argp_option *o = options; o->name || o->doc; o++)
		if (o->key >= OPT_DOC && o->key <= OPT_ARTWORK && cfg.field[o->key])
			q = jv_object_set(q, jv_string(o->name), jv_string(cfg.field[o->key]));
	if (cfg.mrz) {
		struct buf m = {0};
		if (cfg.nargs < 2)
			errx(CCC_EX_USAGE, "--mrz: give the 2 or 3 lines of the MRZ as arguments");
		for (int i = 0; i < cfg.nargs; i++) {
			buf_adds(&m, cfg.args[i]);
			buf_addc(&m, i + 1 < cfg.nargs ? '\n' : '\0');
		}
		q = jv_object_set(q, jv_string("mrz"), jv_string(m.p));
		buf_free(&m);
	} else if (cfg.nargs) {
		errx(CCC_EX_USAGE, "unexpected argument '%s' with a direct check", cfg.args[0]);
	}
	if ((rc = checks_run_query(&cfg.checks, s, &q, &why)) || why) {
		jv_free(q);
		if (why)
			errx(CCC_EX_USAGE, "%s", why);
		return rc;
	}
	if (ccc_opts.quiet) {
		jv_free(q);
		return cfg.checks.hits || cfg.checks.findings ? 0 : CCC_EX_NEGATIVE;
	}
	if (!out_format_is_table(cfg.out)) {
		out_jv(q);
		return 0;
	}
	struct table *t = checks_table_new();
	checks_table_add(t, q);
	table_free(t);
	jv_free(q);
	return 0;
}

static int cmd_log(struct store *s)
{
	static const struct table_col cols[] = {
	    {"CONSULTATION", 0, 1, NULL}, {"TS", 0, 0, NULL},          {"ACTOR", 16, 0, NULL},
	    {"NCB", 0, 0, NULL},          {"DEPLOYMENT", 16, 0, NULL}, {"DB", 10, 0, NULL},
	    {"QUERY", 40, 0, NULL},       {"HITS", 40, 0, NULL},       {"SITE", 0, 0, NULL},
	};
	if (out_format_is_table(cfg.out))
		cfg.table = table_new(cols, (int)(sizeof cols / sizeof cols[0]));
	int rc = checks_log(s, cfg.ctx.deployment, cfg.field[OPT_OWNER], cfg.limit, emit, NULL);
	table_free(cfg.table);
	cfg.table = NULL;
	return rc;
}

#define RUN(f)                                                                                     \
	static int run_##f(struct store *s, const char *name)                                      \
	{                                                                                          \
		(void)name;                                                                        \
		cfg.ctx.store = s;                                                                 \
		return cmd_##f(s);                                                                 \
	}
/* rescreen: what a load or a notice cut short left noted (rescreen.h), for
 * a promoted standby or a cron line that need not wait for the next load;
 * the counts always */
static int cmd_rescreen(struct store *s)
{
	if (cfg.days <= 0)
		errx(CCC_EX_USAGE, "rescreen: --days must be at least 1");
	struct rescreen rs = {
	    .c = &cfg.ctx, .days = cfg.days, .each = ccc_opts.quiet ? NULL : rescreen_say_hit};
	int rc = rescreen_run(s, &rs);
	if (!rc && !ccc_opts.quiet)
		rescreen_say(&rs.k, cfg.days);
	return rc;
}

/* reindex on a terminal: how far, at most four times a second */
static void reindex_progress(const struct refdb_reindex *k, int64_t total, void *ctx)
{
	static long long at;
	long long now = clock_mono_ms();
	if (now - at < 250)
		return;
	at = now;
	fprintf(stderr, "\rccc-check: reindex: %lu of %lld persons, %lu keys added", k->persons,
		(long long)total, k->keys);
}

/* reindex: the persons' index rows as this version makes them (refdb.h) */
static int cmd_reindex(struct store *s)
{
	struct refdb_reindex k = {0};
	int tty = isatty(STDERR_FILENO) && !ccc_opts.quiet;
	if (tty)
		k.progress = reindex_progress;
	int rc = refdb_reindex_persons(
	    &cfg.ctx, ccc_opts.batch > 0 ? (size_t)ccc_opts.batch : REINDEX_BATCH, &k);
	if (tty && k.persons)
		fputs("\r\033[K", stderr);
	if (!ccc_opts.quiet)
		warnx("persons: %lu read, %lu keys added to %lu of them", k.persons, k.keys,
		      k.changed);
	return rc;
}

RUN(load)
RUN(reindex)
RUN(rescreen)
RUN(log)
RUN(direct)
RUN(filter)

static const struct subcmd cmds[] = {
    {"load", SUBCMD_WRITE, 0, -1, "FILE", 1, run_load, "load records into --db"},
    {"rescreen", SUBCMD_WRITE, 0, 0, NULL, 0, run_rescreen,
     "re-screen what a load or notice cut short left noted"},
    {"reindex", SUBCMD_WRITE, 0, 0, NULL, 0, run_reindex,
     "index the stored persons as this version does"},
    {"log", SUBCMD_READ, 0, 0, NULL, 0, run_log, "the consultation log"},
};
#define NCMDS (sizeof cmds / sizeof cmds[0])

/* No command: check the records in the FILEs or on stdin; or a direct check. */
static const struct subcmd filter = {.name = "",
				     .store = SUBCMD_WRITE,
				     .max_args = -1,
				     .args = "FILE",
				     .files = 1,
				     .run = run_filter};
static const struct subcmd direct_check = {
    .name = "", .store = SUBCMD_WRITE, .max_args = -1, .args = "LINE", .run = run_direct};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {
	    {&ccc_batch_argp, 0, NULL, 0}, {&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, prog_doc, children, ccc_exit_help_filter, NULL};
	const struct subcmd *c = &filter;
	int rc, used;

	ccc_opts_init(argc, argv);
	/* 0: not given; load has its own defaults (cmd_load), the others the stream's */
	ccc_opts.batch = ccc_opts.batch_ms = 0;
	cfg.checks.ctx = &cfg.ctx;
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	cfg.ctx.owner = cfg.field[OPT_OWNER];
	cfg.ctx.ncb = cfg.field[OPT_NCB];
	cfg.ctx.deployment = cfg.field[OPT_DEPLOYMENT];
	int direct = cfg.direct;
	/* the words after --mrz are MRZ lines */
	if (!cfg.mrz && subcmd_find(cmds, NCMDS, cfg.nargs, cfg.args, &used)) {
		if ((rc = subcmd_parse(cmds, NCMDS, &cfg.nargs, &cfg.args, &c)))
			return rc;
		cfg.command = c->name;
	} else if (!direct && (rc = subcmd_filter_check(cmds, NCMDS, cfg.nargs, cfg.args))) {
		return rc;
	}
	if (direct && cfg.command)
		errx(CCC_EX_USAGE, "a direct check cannot be combined with '%s'", cfg.command);
	if (cfg.pending && (direct || cfg.command || cfg.nargs))
		errx(CCC_EX_USAGE, "--pending reads the store: give no %s",
		     direct        ? "direct check"
		     : cfg.command ? "command"
				   : "FILE");
	refuse_unused(direct ? "direct" : cfg.command ? cfg.command : "filter");
	output_format();
	if (direct)
		c = &direct_check;
	signal(SIGPIPE, SIG_IGN);
	rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	if (cfg.ctx.names)
		names_close(cfg.ctx.names);
	buf_free(&cfg.checks.json);
	return out_close(rc);
}
