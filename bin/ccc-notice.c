/*
 * ccc-notice: notices, diffusions and alerts, from draft to cancellation:
 * drafted, reviewed by a second person (required fields, Article 3, duplicates),
 * published with a control number, distributed, updated, cancelled, renewed
 * and expired, every transition journaled with its actor.
 */
#include <argp.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/lag-report.h"
#include "ccc/ndjson.h"
#include "ccc/notice-acts.h"
#include "ccc/notice-export.h"
#include "ccc/notice-lifecycle.h"
#include "ccc/notice-read.h"
#include "ccc/notice.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/personmatch.h"
#include "ccc/refdb.h"
#include "ccc/rescreen.h"
#include "ccc/store.h"
#include "ccc/subcmd.h"
#include "ccc/table.h"
#include "ccc/xmalloc.h"
#include "ccc/stream.h"

#define MAX_SETS 32

static struct config {
	char **args;
	int nargs;
	const char *field[32]; /* the notice's fields given as options, by key (field_of) */
	const char *kind, *reason, *decision, *status, *format, *sender;
	int public; /* -1: not given */
	const char *sets[MAX_SETS];
	int nsets;
	long long since;
	long limit, days;
	struct notice_reader reader; /* show, list, feed, export: --ncb, --all */
	enum out_format out;
	struct table *table; /* notices on a terminal */
	int feed;            /* the table has the feed's columns */
} cfg = {.limit = 1000, .days = RESCREEN_DAYS, .public = -1, .sender = NOTICE_CAP_SENDER};

const char *argp_program_version = "ccc-notice " CCC_VERSION;
static const char prog_doc[] =
    "Notices (red, yellow, blue, black, green, orange, purple, silver, un-special), "
    "diffusions and alerts: drafted, reviewed by someone other than the drafter, "
    "published with a control number, distributed, updated, cancelled, renewed and "
    "expired. Every transition is journaled with its actor (--as).\v"
    "Commands:\n"
    "  draft           a new notice from the options, or from request\n"
    "                  records (NDJSON) in FILEs or on stdin\n"
    "  review ID       required fields, the Article 3 screen, duplicates;\n"
    "                  not by the drafter (--decision after an Article 3 hit)\n"
    "  publish ID      a reviewed notice gets its control number (A-12/2026);\n"
    "                  not by the drafter; person notices reach ccc-check\n"
    "  update ID       change fields (the draft options, --set)\n"
    "  cancel ID       withdraw it (--reason); its person record goes too\n"
    "  renew ID        five more years from now\n"
    "  expire          expire the published notices past their five years\n"
    "  show ID         one notice, its log and recipients (ID or control number)\n"
    "  list            notices not cancelled or expired (--status); a table\n"
    "                  on a terminal, NDJSON otherwise (--format)\n"
    "  feed            published, updated, renewed, cancelled and expired\n"
    "                  notices after --since SEQ, as NDJSON\n"
    "  export --format cap ID\n"
    "                  the notice's latest CAP 1.2 message (Alert, Update or\n"
    "                  Cancel), one <info> per language; alerts, orange\n"
    "                  notices and public red, yellow, un-special notices\n"
    "  export --format public [ID...]\n"
    "                  the public extract (NDJSON, the field shape of\n"
    "                  INTERPOL's public notices API) of published notices\n"
    "                  whose requesting country agreed (--public); without\n"
    "                  ID, every one\n\n"
    "Readers: show, list, feed and export --ncb CC give what was sent to CC, requested "
    "by it, public, or sent to every country (no --to, no --region); without --ncb, only "
    "the last two (77 for show, export); --all: everything (the operations room).\n\n"
    "Languages: ar, en, fr, es. A free-text field is translated as FIELD_LANG "
    "(--set threat_fr=...); a notice is in --languages, else in en and each "
    "language a translation is given in.\n\n"
    "Control numbers: a letter per kind and a serial per year of publication: red A, "
    "blue B, green C, black D, orange E, yellow F, purple P, silver S, un-special U, "
    "diffusion X, alert Z; e.g. A-12/2026. Required fields of each kind are listed in "
    "ccc-notice(1).\n\n"
    "EXAMPLES\n"
    "  ccc-notice draft --kind red --name 'Ivan Petrov' --dob 1980-03-14 \\\n"
    "      --nationality RU --country FR --charge 'armed robbery' \\\n"
    "      --warrant W-2026-118 --warrant-date 2026-10-02 \\\n"
    "      --authority 'Tribunal judiciaire de Lyon' --as a.martin\n"
    "  ccc-notice review notice-lyon-1 --as j.garcia\n"
    "  ccc-notice publish notice-lyon-1 --as j.garcia\n"
    "  ccc-notice draft --kind diffusion --country ES --set purpose='locate' \\\n"
    "      --region europe --to MA\n"
    "  ccc-notice cancel A-12/2026 --reason 'arrested in Madrid'\n"
    "  ccc-notice feed --ncb MA --since 40 --limit 100\n"
    "  ccc-notice draft --kind alert --set threat='parcel bombs' \\\n"
    "      --set description='Parcel bombs sent to courts' \\\n"
    "      --set threat_fr='colis piégés' \\\n"
    "      --set description_fr='Colis piégés envoyés à des tribunaux' \\\n"
    "      --region europe --as a.martin\n"
    "  ccc-notice export --format cap Z-1/2026 >alert.xml\n"
    "  xmllint --noout --schema cap12.xsd alert.xml\n"
    "  ccc-notice export --format public >public.ndjson\n"
    "  ccc-notice list --format table --status draft";
static const char args_doc[] = "draft [FILE...]\nreview|publish|update|cancel|renew|show ID\n"
			       "expire\nlist\nfeed\nexport [ID...]";
/* The exit statuses --help lists (lib/ccc/exit.h), with what they mean here. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_NEGATIVE, "review: the notice is not ready (problems, or an Article 3 hit waiting "
		      "for --decision)"},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_DATAERR, "some input was rejected, the notice is in the wrong state, or it has "
		     "no CAP message or public extract"},
    {CCC_EX_NOINPUT, "no such notice, or no store"},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, NULL},
    {CCC_EX_NOPERM, "four eyes: the drafter may not review or publish their own notice; "
		    "show or export of a notice not sent to the reader; or the key file is "
		    "readable by others"},
    {CCC_EX_CONFIG, NULL},
    CCC_EXIT_END,
};

enum {
	OPT_KIND = 1,
	OPT_NAME,
	OPT_FORENAME,
	OPT_DOB,
	OPT_NATIONALITY,
	OPT_COUNTRY,
	OPT_CHARGE,
	OPT_WARRANT,
	OPT_WARRANT_DATE,
	OPT_AUTHORITY,
	OPT_SET,
	OPT_TO,
	OPT_REGION,
	OPT_REASON,
	OPT_DECISION,
	OPT_STATUS,
	OPT_SINCE,
	OPT_LIMIT,
	OPT_PUBLIC,
	OPT_NO_PUBLIC,
	OPT_LANGUAGES,
	OPT_FORMAT,
	OPT_SENDER,
	OPT_NCB,
	OPT_ALL,
	OPT_DAYS,
};

static const struct argp_option options[] = {
    {NULL, 0, NULL, 0, "Drafting and updating:", 1},
    {"kind", OPT_KIND, "KIND", 0,
     "red, yellow, blue, black, green, orange, purple, silver, un-special, diffusion or alert", 1},
    {"name", OPT_NAME, "NAME", 0, "The subject's family name or full name", 1},
    {"forename", OPT_FORENAME, "NAME", 0, "The subject's forenames", 1},
    {"dob", OPT_DOB, "DATE", 0, "The subject's date of birth (YYYY-MM-DD)", 1},
    {"nationality", OPT_NATIONALITY, "LIST", 0, "CC,... the subject's nationalities", 1},
    {"country", OPT_COUNTRY, "CC", 0, "The requesting country (ISO 3166 alpha-2)", 1},
    {"charge", OPT_CHARGE, "TEXT", 0, "red: the charge", 1},
    {"warrant", OPT_WARRANT, "REF", 0, "red: the arrest warrant or judicial decision", 1},
    {"warrant-date", OPT_WARRANT_DATE, "DATE", 0, "red: the date of the warrant", 1},
    {"authority", OPT_AUTHORITY, "TEXT", 0, "red: the authority that issued it", 1},
    {"set", OPT_SET, "FIELD=VALUE", 0,
     "Any other field (repeatable); FIELD_ar, _en, _fr, _es: a translation", 1},
    {"to", OPT_TO, "LIST", 0, "CC,... countries it is sent to", 1},
    {"region", OPT_REGION, "LIST", 0,
     "africa, americas, asia-south-pacific, europe, mena: every country of the regions", 1},
    {"public", OPT_PUBLIC, NULL, 0,
     "The requesting country agreed to publication (red, yellow, un-special; orange and "
     "alert: CAP scope Public)",
     1},
    {"no-public", OPT_NO_PUBLIC, NULL, 0, "update: it withdrew its agreement", 1},
    {"languages", OPT_LANGUAGES, "LIST", 0,
     "ar,en,fr,es: the notice's languages, the first that of its untranslated fields", 1},
    {NULL, 0, NULL, 0, "Transitions and reading:", 2},
    {"reason", OPT_REASON, "TEXT", 0, "cancel: why (required)", 2},
    {"days", OPT_DAYS, "N", 0,
     "publish, update, renew: re-screen the messages of the last N days against the person "
     "(default 30; 0: none)",
     2},
    {"decision", OPT_DECISION, "WORD", 0,
     "review: compliant or refused, the human decision after an Article 3 hit", 2},
    {"status", OPT_STATUS, "STATUS", 0,
     "list: draft, reviewed, published, cancelled, expired or refused", 2},
    {"since", OPT_SINCE, "SEQ", 0, "feed: events after SEQ (feed_seq; default 0)", 2},
    {"limit", OPT_LIMIT, "N", 0, "feed: at most N events (default 1000)", 2},
    {"format", OPT_FORMAT, "FORMAT", 0,
     "list: ndjson or table (default: a table on a terminal); export: cap or public", 2},
    {"sender", OPT_SENDER, "ID", 0, "export: the CAP sender (default " NOTICE_CAP_SENDER ")", 2},
    {"ncb", OPT_NCB, "CC", 0,
     "show, list, feed, export: the reading country: only what was sent to it, it requested, "
     "or is public",
     2},
    {"all", OPT_ALL, NULL, 0,
     "show, list, feed, export: every notice, whatever its recipients (the operations room)", 2},
    {0},
};

/* The options given, and the commands that use each (--format: all). */
#define FIELDS "draft update"
static unsigned char given[256];
static const struct optcheck_use option_users[] = {
    {OPT_KIND, FIELDS},
    {OPT_NAME, FIELDS},
    {OPT_FORENAME, FIELDS},
    {OPT_DOB, FIELDS},
    {OPT_NATIONALITY, FIELDS},
    {OPT_COUNTRY, FIELDS},
    {OPT_CHARGE, FIELDS},
    {OPT_WARRANT, FIELDS},
    {OPT_WARRANT_DATE, FIELDS},
    {OPT_AUTHORITY, FIELDS},
    {OPT_SET, FIELDS},
    {OPT_TO, FIELDS},
    {OPT_REGION, FIELDS},
    {OPT_PUBLIC, FIELDS},
    {OPT_NO_PUBLIC, FIELDS},
    {OPT_LANGUAGES, FIELDS},
    {OPT_REASON, "cancel"},
    {OPT_DECISION, "review"},
    {OPT_DAYS, "publish update renew"},
    {OPT_STATUS, "list"},
    {OPT_SINCE, "feed"},
    {OPT_LIMIT, "feed"},
    {OPT_SENDER, "export"},
    {OPT_NCB, "show list feed export"},
    {OPT_ALL, "show list feed export"},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	if (optcheck_again(options, key, seen, sizeof seen, &again) && key != OPT_SET)
		argp_error(state, "--%s given twice: it takes one value", again);
	if (key > 0 && key < (int)sizeof given)
		given[key] = 1;
	if (arg && key > 0 && key < 32 && key != OPT_SET)
		cfg.field[key] = arg; /* checked below */
	long n;
	switch (key) {
	case OPT_KIND:
		if (notice_kind_by_name(arg) < 0) {
			const char *kinds[NOTICE_NKINDS + 1] = {NULL};
			char msg[512];
			for (int i = 0; i < NOTICE_NKINDS; i++)
				kinds[i] = notice_kind_name((enum notice_kind)i);
			optcheck_one("kind", arg, kinds, msg, sizeof msg);
			argp_error(state, "%s", msg);
		}
		break;
	case OPT_COUNTRY:
	case OPT_NCB:
		if (!notice_country_known(arg))
			argp_error(state, "--%s: '%s' is not an ISO 3166 code such as FR",
				   optcheck_name(options, key), arg);
		break;
	case OPT_SET:
		if (!strchr(arg, '=') || arg[0] == '=')
			argp_error(state, "--set: '%s' is not FIELD=VALUE", arg);
		if (cfg.nsets == MAX_SETS)
			argp_error(state, "--set: at most %d fields", MAX_SETS);
		cfg.sets[cfg.nsets++] = arg;
		break;
	case OPT_DECISION:
		if (strcmp(arg, "compliant") != 0 && strcmp(arg, "refused") != 0)
			argp_error(state, "--decision: '%s' is not compliant or refused", arg);
		break;
	case OPT_STATUS: {
		static const char *const statuses[] = {
		    "draft", "reviewed", "refused", "published", "cancelled", "expired", NULL};
		char msg[256];
		if (optcheck_one("status", arg, statuses, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		break;
	}
	case OPT_SINCE:
		if (ccc_parse_long(arg, 0, 1L << 62, &n) < 0)
			argp_error(state, "--since: '%s' is not a sequence number", arg);
		cfg.since = n;
		break;
	case OPT_LIMIT:
		if (ccc_parse_long(arg, 1, 1000000, &cfg.limit) < 0)
			argp_error(state, "--limit: '%s' is not a number from 1 to 1000000", arg);
		break;
	case OPT_DAYS:
		if (ccc_parse_long(arg, 0, 36600, &cfg.days) < 0)
			argp_error(state, "--days: '%s' is not a number of days (0 to 36600)", arg);
		break;
	case OPT_PUBLIC: cfg.public = 1; break;
	case OPT_NO_PUBLIC: cfg.public = 0; break;
	case OPT_FORMAT:
		if (strcmp(arg, "ndjson") && strcmp(arg, "table") && strcmp(arg, "cap") &&
		    strcmp(arg, "public"))
			argp_error(state, "--format: '%s' is not ndjson, table, cap or public",
				   arg);
		break;
	case OPT_ALL: cfg.reader.all = 1; break;
	case OPT_SENDER:
		if (!notice_cap_name_ok(arg))
			argp_error(state,
				   "--sender: '%s' is empty or has white space, ',', '<' or '&'",
				   arg);
		break;
	case ARGP_KEY_ARGS:
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		break;
	default: return key > 0 && key < 32 ? 0 : ARGP_ERR_UNKNOWN; /* a field, kept above */
	}
	return 0;
}

/* A notice (or a feed event) of a listing: a table row on a terminal, else
 * NDJSON. Consumes rec; jv_invalid() only starts the table. */
static void emit(jv rec)
{
	int from = cfg.feed ? 0 : 2; /* a feed's table has FEED SEQ and EVENT */
	if (!cfg.table && out_format_is_table(cfg.out))
		cfg.table = table_new(notice_table_cols + from, NOTICE_TABLE_NCOLS - from);
	if (cfg.table && jv_is_valid(rec)) {
		jv row = notice_table_record(rec);
		table_add_jv(cfg.table, row);
		jv_free(row);
	} else if (jv_is_valid(rec)) {
		out_jv(rec);
		return;
	}
	jv_free(rec);
}

/* "a,b,c" as an array of strings (empty items left out). */
static jv split_list(const char *s)
{
	jv a = jv_array();
	char *copy = xstrdup(s), *save = NULL;
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save))
		a = jv_array_append(a, jv_string(p));
	free(copy);
	return a;
}

/* The options that are a notice's fields: the field each sets, and whether
 * it is a list ("FR,ES"). */
static const struct {
	int key;
	const char *field;
	int list;
} field_of[] = {
    {OPT_KIND, "kind", 0},
    {OPT_NAME, "name", 0},
    {OPT_FORENAME, "forename", 0},
    {OPT_DOB, "dob", 0},
    {OPT_COUNTRY, "requesting_country", 0},
    {OPT_CHARGE, "charge", 0},
    {OPT_WARRANT, "warrant", 0},
    {OPT_WARRANT_DATE, "warrant_date", 0},
    {OPT_AUTHORITY, "authority", 0},
    {OPT_NATIONALITY, "nationalities", 1},
    {OPT_TO, "to", 1},
    {OPT_REGION, "regions", 1},
    {OPT_LANGUAGES, "languages", 1},
};
#define NFIELDS (sizeof field_of / sizeof field_of[0])

/* The fields given as options, as an object. */
static jv fields_from_options(void)
{
	jv f = jv_object();
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *v = cfg.field[field_of[i].key];
		if (v)
			f = jv_object_set(f, jv_string(field_of[i].field),
					  field_of[i].list ? split_list(v) : jv_string(v));
	}
	if (cfg.public >= 0)
		f = jv_object_set(f, jv_string("public"), jv_bool(cfg.public));
	for (int i = 0; i < cfg.nsets; i++) {
		const char *eq = strchr(cfg.sets[i], '=');
		f = jv_object_set(f, jv_string_sized(cfg.sets[i], (int)(eq - cfg.sets[i])),
				  jv_string(eq + 1));
	}
	return f;
}

/* The drafts of a committed batch on a terminal: table rows. */
static void write_table(const char *p, size_t n, void *ctx)
{
	char why[128];
	emit(jv_invalid());
	for (const char *end = p + n, *nl; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		emit(ndjson_parse(p, (size_t)(nl - p), why, sizeof why));
	}
	table_flush(cfg.table);
}

static int cmd_draft(struct store *s, const char *name)
{
	jv rec;
	int rc;
	if (!cfg.kind) {
		struct stream_config sc = {.program = "ccc-notice",
					   CCC_STREAM_OPTS,
					   .record = notice_draft_record,
					   .write =
					       out_format_is_table(cfg.out) ? write_table : NULL};
		/* The records read carry their own fields: an option would be dropped. */
		for (const struct argp_option *o = options; o->name || o->doc; o++)
			if (o->key > 0 && o->key < 32 && cfg.field[o->key])
				errx(CCC_EX_USAGE,
				     "draft: --%s does nothing with records on stdin; put it in "
				     "each record, or give --kind to draft one notice from options",
				     o->name);
		if (cfg.nsets)
			errx(CCC_EX_USAGE, "draft: --set does nothing with records on stdin; put "
					   "the field in each record, or give --kind");
		if (cfg.public >= 0)
			errx(
			    CCC_EX_USAGE,
			    "draft: --public and --no-public do nothing with records on stdin; put "
			    "\"public\" in each record, or give --kind");
		return stream_run(s, &sc, cfg.args, cfg.nargs);
	}
	if (cfg.nargs)
		errx(CCC_EX_USAGE, "draft: unexpected argument '%s' with --kind", cfg.args[0]);
	if ((rc = notice_draft_one(s, fields_from_options(), &rec)))
		return rc;
	emit(rec);
	return 0;
}

/* The reference lists and name index the acts and expire screen against. */
static struct refdb_ctx ctx = {.threshold = PERSON_MATCH_THRESHOLD, .top = 5};

static int cmd_act(struct store *s, const char *action)
{
	struct refdb_ctx *c = &ctx;
	ctx.store = s;
	struct notice_change ch = {
	    .reason = cfg.reason, .decision = cfg.decision, .fields = jv_invalid()};
	int rc;
	jv rec;
	if (cfg.nargs != 1)
		errx(CCC_EX_USAGE, "%s: give one notice id", action);
	if (!strcmp(action, "cancel") && (!cfg.reason || !*cfg.reason))
		errx(CCC_EX_USAGE, "cancel: give the reason with --reason");
	if (!strcmp(action, "update")) {
		if (cfg.kind)
			errx(CCC_EX_USAGE, "update: the kind of a notice cannot change");
		ch.fields = fields_from_options();
		if (!jv_object_length(jv_copy(ch.fields))) {
			jv_free(ch.fields);
			errx(CCC_EX_USAGE, "update: give the fields to change");
		}
	}
	/* a person notice published or changed: the recent messages are
	 * checked again against that person (rescreen.h) */
	int watch = cfg.days > 0 && (!strcmp(action, "publish") || !strcmp(action, "update") ||
				     !strcmp(action, "renew"));
	if (watch && (rc = rescreen_watch(s)))
		return rc;
	rc = notice_act_one(s, c, cfg.args[0], action, &ch, &rec, ccc_opts.quiet);
	jv_free(ch.fields);
	if (watch && !rc) {
		/* the notice is committed with its note (rescreen.h): a re-screening
		 * cut short here is finished by the next one */
		struct rescreen rs = {
		    .c = c, .days = cfg.days, .each = ccc_opts.quiet ? NULL : rescreen_say_hit};
		rc = rescreen_run(s, &rs);
		if (!rc && !ccc_opts.quiet && (rs.k.hits || ccc_opts.verbose))
			rescreen_say(&rs.k, cfg.days);
		if (rc) {
			jv_free(rec);
			return rc;
		}
	}
	if (rc && rc != CCC_EX_NEGATIVE)
		return rc;
	emit(rec);
	return rc;
}

static int cmd_expire(struct store *s, const char *name)
{
	jv list;
	ctx.store = s;
	int rc = notice_expire_all(s, &ctx, &list);
	if (rc)
		return rc;
	emit(jv_invalid());
	jv_array_foreach (list, i, rec) {
		emit(rec);
	}
	jv_free(list);
	return 0;
}

static int cmd_read(struct store *s, const char *cmd)
{
	jv list;
	int rc;
	if (!strcmp(cmd, "show")) {
		jv rec;
		if ((rc = notice_get(s, cfg.args[0], &rec)))
			return rc;
		if ((rc = notice_read_check(s, &cfg.reader, cmd, rec))) {
			jv_free(rec);
			return rc;
		}
		jv lag = lag_report(s, out_format_is_table(cfg.out), ccc_opts.quiet);
		if (out_format_is_table(cfg.out))
			notice_print_fields(rec);
		else
			out_jv(lag_tag(rec, lag));
		jv_free(lag);
		return 0;
	} else if (!strcmp(cmd, "list")) {
		if ((rc = notice_list(s, cfg.status, &list)))
			return rc;
		list = notice_read_only(s, &cfg.reader, cmd, list, 0, ccc_opts.quiet);
		jv lag = lag_report(s, out_format_is_table(cfg.out), ccc_opts.quiet);
		list = lag_tag_all(list, lag);
		jv_free(lag);
	} else {
		long hidden = 0;
		if ((rc = notice_feed(s, cfg.since, cfg.limit, &cfg.reader, &list, &hidden)))
			return rc;
		list = notice_read_only(s, &cfg.reader, cmd, list, hidden, ccc_opts.quiet);
		cfg.feed = 1;
	}
	emit(jv_invalid()); /* the table's heading, even when it is empty */
	jv_array_foreach (list, i, rec) {
		emit(rec);
	}
	jv_free(list);
	return 0;
}

static int run_export(struct store *s, const char *name)
{
	(void)name;
	if (!strcmp(cfg.format, "public"))
		return notice_export_public(s, &cfg.reader, cfg.args, cfg.nargs);
	if (cfg.nargs != 1)
		errx(CCC_EX_USAGE, "export --format cap: give one notice id");
	return notice_export_cap(s, &cfg.reader, cfg.args[0], cfg.sender);
}

static const struct subcmd cmds[] = {
    {"draft", SUBCMD_WRITE, 0, -1, "FILE", 1, cmd_draft, "a new notice"},
    {"review", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_act, "check a draft"},
    {"publish", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_act, "give it its control number"},
    {"update", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_act, "change fields"},
    {"cancel", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_act, "withdraw it"},
    {"renew", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_act, "five more years"},
    {"expire", SUBCMD_WRITE, 0, 0, NULL, 0, cmd_expire, "expire the old ones"},
    {"show", SUBCMD_READ, 1, 1, "ID", 0, cmd_read, "one notice"},
    {"list", SUBCMD_READ, 0, 0, NULL, 0, cmd_read, "notices in force"},
    {"feed", SUBCMD_READ, 0, 0, NULL, 0, cmd_read, "changes after --since"},
    {"export", SUBCMD_READ, 0, -1, "ID", 0, run_export, "CAP or the public extract"},
};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, prog_doc, children, ccc_exit_help_filter, NULL};
	const struct subcmd *c = NULL;
	int rc;

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	cfg.reader.ncb = cfg.field[OPT_NCB];
	cfg.kind = cfg.field[OPT_KIND];
	cfg.reason = cfg.field[OPT_REASON];
	cfg.decision = cfg.field[OPT_DECISION];
	cfg.status = cfg.field[OPT_STATUS];
	cfg.format = cfg.field[OPT_FORMAT];
	if (cfg.field[OPT_SENDER])
		cfg.sender = cfg.field[OPT_SENDER];
	if ((rc = subcmd_parse(cmds, sizeof cmds / sizeof cmds[0], &cfg.nargs, &cfg.args, &c)))
		return rc;
	const char *cmd = c->name;
	int readonly = c->store == SUBCMD_READ;
	if (!strcmp(cmd, "export") &&
	    (!cfg.format || (strcmp(cfg.format, "cap") && strcmp(cfg.format, "public"))))
		errx(CCC_EX_USAGE, "export: give --format cap or --format public");
	if (strcmp(cmd, "export") && cfg.format && out_format_parse(cfg.format, &cfg.out) < 0)
		errx(CCC_EX_USAGE, "%s: --format is ndjson or table", cmd);
	if ((cfg.reader.ncb || cfg.reader.all) && !readonly)
		errx(CCC_EX_USAGE, "%s: --ncb and --all are for show, list, feed and export", cmd);
	if (cfg.reader.ncb && cfg.reader.all)
		errx(CCC_EX_USAGE, "%s: give --ncb CC or --all, not both", cmd);
	if ((rc = optcheck_refuse_unused(options, given, sizeof given, option_users,
					 sizeof option_users / sizeof option_users[0], cmd)))
		return rc;
	signal(SIGPIPE, SIG_IGN);
	rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	table_free(cfg.table);
	if (ctx.names)
		names_close(ctx.names);
	return out_close(rc);
}
