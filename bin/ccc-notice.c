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
#include "ccc/ndjson.h"
#include "ccc/notice-export.h"
#include "ccc/notice-lifecycle.h"
#include "ccc/notice.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/personmatch.h"
#include "ccc/refdb.h"
#include "ccc/store.h"
#include "ccc/subcmd.h"
#include "ccc/table.h"
#include "ccc/stream.h"

#define MAX_SETS 32

static struct config {
	char **args;
	int nargs;
	const char *kind, *name, *forename, *dob, *nationality, *country, *charge, *warrant,
	    *warrant_date, *authority, *to, *region, *reason, *decision, *status, *languages,
	    *format, *sender;
	int public; /* -1: not given */
	const char *sets[MAX_SETS];
	int nsets;
	long long since;
	long limit;
	struct notice_reader reader; /* show, list, feed, export: --ncb, --all */
	enum out_format out;
	struct table *table; /* notices on a terminal */
	int feed;            /* the table has the feed's columns */
} cfg = {.limit = 1000, .public = -1, .sender = NOTICE_CAP_SENDER};

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
    "Exit status: 0 success; 1 review: the notice is not ready (problems, or an "
    "Article 3 hit waiting for --decision); 64 usage; 65 some input was rejected, "
    "the notice is in the wrong state, or it has no CAP message or public extract; 66 no such "
    "notice or store; 70 internal "
    "error; 74 I/O error; 75 store busy or site fenced; 77 four eyes: the drafter "
    "may not review or publish their own notice, show or export of a notice not sent "
    "to the reader, or key file readable by others; "
    "78 configuration.\n\n"
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
		cfg.kind = arg;
		break;
	case OPT_NAME: cfg.name = arg; break;
	case OPT_FORENAME: cfg.forename = arg; break;
	case OPT_DOB: cfg.dob = arg; break;
	case OPT_NATIONALITY: cfg.nationality = arg; break;
	case OPT_COUNTRY:
		if (!notice_country_known(arg))
			argp_error(state, "--country: '%s' is not an ISO 3166 code such as FR",
				   arg);
		cfg.country = arg;
		break;
	case OPT_CHARGE: cfg.charge = arg; break;
	case OPT_WARRANT: cfg.warrant = arg; break;
	case OPT_WARRANT_DATE: cfg.warrant_date = arg; break;
	case OPT_AUTHORITY: cfg.authority = arg; break;
	case OPT_SET:
		if (!strchr(arg, '=') || arg[0] == '=')
			argp_error(state, "--set: '%s' is not FIELD=VALUE", arg);
		if (cfg.nsets == MAX_SETS)
			argp_error(state, "--set: at most %d fields", MAX_SETS);
		cfg.sets[cfg.nsets++] = arg;
		break;
	case OPT_TO: cfg.to = arg; break;
	case OPT_REGION: cfg.region = arg; break;
	case OPT_REASON: cfg.reason = arg; break;
	case OPT_DECISION:
		if (strcmp(arg, "compliant") != 0 && strcmp(arg, "refused") != 0)
			argp_error(state, "--decision: '%s' is not compliant or refused", arg);
		cfg.decision = arg;
		break;
	case OPT_STATUS: {
		static const char *const statuses[] = {
		    "draft", "reviewed", "refused", "published", "cancelled", "expired", NULL};
		char msg[256];
		if (optcheck_one("status", arg, statuses, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		cfg.status = arg;
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
	case OPT_PUBLIC: cfg.public = 1; break;
	case OPT_NO_PUBLIC: cfg.public = 0; break;
	case OPT_LANGUAGES: cfg.languages = arg; break;
	case OPT_FORMAT:
		if (strcmp(arg, "ndjson") && strcmp(arg, "table") && strcmp(arg, "cap") &&
		    strcmp(arg, "public"))
			argp_error(state, "--format: '%s' is not ndjson, table, cap or public",
				   arg);
		cfg.format = arg;
		break;
	case OPT_NCB:
		if (!notice_country_known(arg))
			argp_error(state, "--ncb: '%s' is not an ISO 3166 code such as FR", arg);
		cfg.reader.ncb = arg;
		break;
	case OPT_ALL: cfg.reader.all = 1; break;
	case OPT_SENDER:
		if (!notice_cap_name_ok(arg))
			argp_error(state,
				   "--sender: '%s' is empty or has white space, ',', '<' or '&'",
				   arg);
		cfg.sender = arg;
		break;
	case ARGP_KEY_ARGS:
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		break;
	default: return ARGP_ERR_UNKNOWN;
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
	char *copy = strdup(s), *save = NULL;
	if (!copy)
		abort();
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save))
		a = jv_array_append(a, jv_string(p));
	free(copy);
	return a;
}

/* The fields given as options, as an object. */
static jv fields_from_options(void)
{
	static const struct {
		const char *field;
		const char **value;
	} strs[] = {
	    {"kind", &cfg.kind},
	    {"name", &cfg.name},
	    {"forename", &cfg.forename},
	    {"dob", &cfg.dob},
	    {"requesting_country", &cfg.country},
	    {"charge", &cfg.charge},
	    {"warrant", &cfg.warrant},
	    {"warrant_date", &cfg.warrant_date},
	    {"authority", &cfg.authority},
	};
	jv f = jv_object();
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (*strs[i].value)
			f = jv_object_set(f, jv_string(strs[i].field), jv_string(*strs[i].value));
	if (cfg.nationality)
		f = jv_object_set(f, jv_string("nationalities"), split_list(cfg.nationality));
	if (cfg.to)
		f = jv_object_set(f, jv_string("to"), split_list(cfg.to));
	if (cfg.region)
		f = jv_object_set(f, jv_string("regions"), split_list(cfg.region));
	if (cfg.languages)
		f = jv_object_set(f, jv_string("languages"), split_list(cfg.languages));
	if (cfg.public >= 0)
		f = jv_object_set(f, jv_string("public"), jv_bool(cfg.public));
	for (int i = 0; i < cfg.nsets; i++) {
		const char *eq = strchr(cfg.sets[i], '=');
		f = jv_object_set(f, jv_string_sized(cfg.sets[i], (int)(eq - cfg.sets[i])),
				  jv_string(eq + 1));
	}
	return f;
}

static int on_request(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	char why[256];
	jv out;
	int rc;
	if (notice_kind_by_name(jv_get_str(rec, "kind")) < 0) {
		snprintf(why, sizeof why, "field 'kind': %s",
			 jv_get_str(rec, "kind") ? "not a kind of notice" : "missing");
		jv_free(rec);
		return stream_reject(st, ln, why);
	}
	if ((rc = notice_draft(stream_store(st), rec, &out)))
		return rc;
	stream_emit(st, out);
	return 0;
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

static int cmd_draft(struct store *s)
{
	int64_t seq;
	jv rec;
	int rc;
	if (!cfg.kind) {
		struct stream_config sc = {.program = "ccc-notice",
					   CCC_STREAM_OPTS,
					   .record = on_request,
					   .write =
					       out_format_is_table(cfg.out) ? write_table : NULL};
		/* The records read carry their own fields: an option would be dropped. */
		static const struct {
			const char *opt;
			const void *set;
		} field_opts[] = {
		    {"name", &cfg.name},
		    {"forename", &cfg.forename},
		    {"dob", &cfg.dob},
		    {"nationality", &cfg.nationality},
		    {"country", &cfg.country},
		    {"charge", &cfg.charge},
		    {"warrant", &cfg.warrant},
		    {"warrant-date", &cfg.warrant_date},
		    {"authority", &cfg.authority},
		    {"to", &cfg.to},
		    {"region", &cfg.region},
		    {"languages", &cfg.languages},
		};
		for (size_t i = 0; i < sizeof field_opts / sizeof field_opts[0]; i++)
			if (*(const char *const *)field_opts[i].set)
				errx(CCC_EX_USAGE,
				     "draft: --%s does nothing with records on stdin; put it in "
				     "each record, or give --kind to draft one notice from options",
				     field_opts[i].opt);
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
	if ((rc = store_begin(s)))
		return rc;
	if ((rc = notice_draft(s, fields_from_options(), &rec))) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, &seq))) {
		jv_free(rec);
		return rc;
	}
	emit(rec);
	return 0;
}

/* Why a review left a notice a draft, on stderr: each problem, and an
 * Article 3 hit that waits for --decision (review is the record's "review"). */
static void review_why(const char *id, jv review)
{
	jv problems = jv_object_get(jv_copy(review), jv_string("problems"));
	jv art = jv_object_get(jv_copy(review), jv_string("article3"));
	jv hits = jv_object_get(jv_copy(art), jv_string("hits"));
	if (!id)
		id = "?";
	if (jv_get_kind(problems) == JV_KIND_ARRAY) {
		jv_array_foreach (problems, i, p) {
			if (jv_get_kind(p) == JV_KIND_STRING)
				warnx("review: '%s' stays a draft: %s", id, jv_string_value(p));
			jv_free(p);
		}
	}
	if (jv_get_kind(hits) == JV_KIND_ARRAY) {
		jv_array_foreach (hits, i, h) {
			warnx("review: '%s' stays a draft: field '%s' has '%s' (%s): Article 3 "
			      "asks for --decision compliant or refused",
			      id, jv_get_str(h, "field") ? jv_get_str(h, "field") : "?",
			      jv_get_str(h, "term") ? jv_get_str(h, "term") : "?",
			      jv_get_str(h, "category") ? jv_get_str(h, "category") : "?");
			jv_free(h);
		}
	}
	jv_free(hits);
	jv_free(art);
	jv_free(problems);
}

static int cmd_act(struct store *s, struct refdb_ctx *c, const char *action)
{
	struct notice_change ch = {
	    .reason = cfg.reason, .decision = cfg.decision, .fields = jv_invalid()};
	int64_t seq;
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
	if ((rc = store_begin(s))) {
		jv_free(ch.fields);
		return rc;
	}
	struct rerun again;
	rc = notice_act(s, c, cfg.args[0], action, &ch, &rec, &again);
	jv_free(ch.fields);
	if (rc || again.done) {
		store_rollback(s);
		if (rc)
			return rc;
		if (!ccc_opts.quiet)
			warnx("%s", again.why);
	} else if ((rc = store_commit(s, &seq))) {
		jv_free(rec);
		return rc;
	}
	if (!strcmp(action, "review")) {
		jv r = jv_object_get(jv_copy(rec), jv_string("review"));
		const char *outcome = jv_get_str(r, "outcome");
		rc = outcome && strcmp(outcome, "draft") != 0 ? 0 : CCC_EX_NEGATIVE;
		if (rc)
			review_why(jv_get_str(rec, "id"), r);
		jv_free(r);
	}
	emit(rec);
	return rc;
}

static int cmd_expire(struct store *s, struct refdb_ctx *c)
{
	int64_t seq;
	jv list;
	int rc;
	if ((rc = store_begin(s)))
		return rc;
	if ((rc = notice_expire(s, c, &list))) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, &seq))) {
		jv_free(list);
		return rc;
	}
	emit(jv_invalid());
	jv_array_foreach (list, i, rec) {
		emit(rec);
	}
	jv_free(list);
	return 0;
}

/* A notice named by the reader: refused (77) when it may not read it. */
static int readable(struct store *s, const char *cmd, jv rec)
{
	if (notice_readable(s, rec, &cfg.reader))
		return 0;
	if (cfg.reader.ncb)
		warnx("%s: notice '%s' was not sent to %s", cmd, jv_get_str(rec, "id"),
		      cfg.reader.ncb);
	else
		warnx("%s: notice '%s' is sent only to the countries it names: give the reading "
		      "country with --ncb CC (or --all, the operations room)",
		      cmd, jv_get_str(rec, "id"));
	return CCC_EX_NOPERM;
}

/* Keep of list (consumed) what the reader may read; a count of the rest on
 * stderr when it named no country. */
static jv readable_only(struct store *s, const char *cmd, jv list, long hidden)
{
	jv kept = jv_array();
	jv_array_foreach (list, i, rec) {
		if (notice_readable(s, rec, &cfg.reader))
			kept = jv_array_append(kept, rec);
		else {
			hidden++;
			jv_free(rec);
		}
	}
	jv_free(list);
	if (hidden && !cfg.reader.ncb && !ccc_opts.quiet)
		warnx("%s: %ld notices sent only to the countries they name are left out (give "
		      "the reading country with --ncb CC)",
		      cmd, hidden);
	return kept;
}

/* show on a terminal: the notice's fields, one a row. Consumes rec. */
static void show_table(jv rec)
{
	static const struct table_col cols[] = {{"FIELD", 24, 0, NULL}, {"VALUE", 100, 0, NULL}};
	struct table *t = table_new(cols, 2);
	struct buf b = {0};
	jv_object_foreach (rec, k, v) {
		b.len = 0;
		if (jv_get_kind(v) == JV_KIND_STRING)
			buf_adds(&b, jv_string_value(v));
		else
			json_write(&b, v);
		buf_addc(&b, '\0');
		const char *cells[] = {jv_string_value(k), b.p};
		table_add(t, cells);
		jv_free(k);
		jv_free(v);
	}
	table_free(t);
	buf_free(&b);
	jv_free(rec);
}

static int cmd_read(struct store *s, const char *cmd)
{
	jv list;
	int rc;
	if (!strcmp(cmd, "show")) {
		jv rec;
		if ((rc = notice_get(s, cfg.args[0], &rec)))
			return rc;
		if ((rc = readable(s, cmd, rec))) {
			jv_free(rec);
			return rc;
		}
		if (out_format_is_table(cfg.out))
			show_table(rec);
		else
			out_jv(rec);
		return 0;
	} else if (!strcmp(cmd, "list")) {
		if ((rc = notice_list(s, cfg.status, &list)))
			return rc;
		list = readable_only(s, cmd, list, 0);
	} else {
		long hidden = 0;
		if ((rc = notice_feed(s, cfg.since, cfg.limit, &cfg.reader, &list, &hidden)))
			return rc;
		list = readable_only(s, cmd, list, hidden);
		cfg.feed = 1;
	}
	emit(jv_invalid()); /* the table's heading, even when it is empty */
	jv_array_foreach (list, i, rec) {
		emit(rec);
	}
	jv_free(list);
	return 0;
}

/* export --format cap ID: the notice's latest CAP message. */
static int export_cap(struct store *s)
{
	char why[512];
	struct buf b = {0};
	jv rec;
	int rc;
	if (cfg.nargs != 1)
		errx(CCC_EX_USAGE, "export --format cap: give one notice id");
	if ((rc = notice_get(s, cfg.args[0], &rec)))
		return rc;
	if ((rc = readable(s, "export", rec))) {
		jv_free(rec);
		return rc;
	}
	rc = notice_cap(rec, cfg.sender, &b, why, sizeof why);
	jv_free(rec);
	if (rc) {
		warnx("export: %s", why);
		buf_free(&b);
		return CCC_EX_DATAERR;
	}
	out_write(b.p, b.len);
	buf_free(&b);
	return 0;
}

/* export --format public [ID...]: the public extracts, of the notices named or
 * of every published one that has one. */
static int export_public(struct store *s)
{
	char why[512];
	int rc = 0;
	jv list;
	if (cfg.nargs == 0) {
		if ((rc = notice_list(s, "published", &list)))
			return rc;
		/* only public notices have an extract: every reader reads them */
	} else {
		list = jv_array();
		for (int i = 0; i < cfg.nargs; i++) {
			jv rec;
			int r = notice_get(s, cfg.args[i], &rec);
			if (!r && (r = readable(s, "export", rec)))
				jv_free(rec);
			if (r) {
				rc = rc ? rc : r;
				continue;
			}
			list = jv_array_append(list, rec);
		}
	}
	jv_array_foreach (list, i, rec) {
		jv x = notice_public_extract(rec, why, sizeof why);
		if (jv_is_valid(x))
			out_jv(x);
		else if (cfg.nargs) {
			jv_free(x);
			warnx("export: %s", why);
			rc = rc ? rc : CCC_EX_DATAERR;
		} else {
			jv_free(x); /* not public: not listed */
		}
		jv_free(rec);
	}
	jv_free(list);
	return rc;
}

/* The reference lists and name index the acts and expire screen against. */
static struct refdb_ctx ctx = {.threshold = PERSON_MATCH_THRESHOLD, .top = 5};

static int run_draft(struct store *s, const char *name)
{
	(void)name;
	return cmd_draft(s);
}

static int run_act(struct store *s, const char *name)
{
	ctx.store = s;
	return cmd_act(s, &ctx, name);
}

static int run_expire(struct store *s, const char *name)
{
	(void)name;
	ctx.store = s;
	return cmd_expire(s, &ctx);
}

static int run_export(struct store *s, const char *name)
{
	(void)name;
	return !strcmp(cfg.format, "cap") ? export_cap(s) : export_public(s);
}

static const struct subcmd cmds[] = {
    {"draft", SUBCMD_WRITE, 0, -1, "FILE", 1, run_draft, "a new notice"},
    {"review", SUBCMD_WRITE, 1, 1, "ID", 0, run_act, "check a draft"},
    {"publish", SUBCMD_WRITE, 1, 1, "ID", 0, run_act, "give it its control number"},
    {"update", SUBCMD_WRITE, 1, 1, "ID", 0, run_act, "change fields"},
    {"cancel", SUBCMD_WRITE, 1, 1, "ID", 0, run_act, "withdraw it"},
    {"renew", SUBCMD_WRITE, 1, 1, "ID", 0, run_act, "five more years"},
    {"expire", SUBCMD_WRITE, 0, 0, NULL, 0, run_expire, "expire the old ones"},
    {"show", SUBCMD_READ, 1, 1, "ID", 0, cmd_read, "one notice"},
    {"list", SUBCMD_READ, 0, 0, NULL, 0, cmd_read, "notices in force"},
    {"feed", SUBCMD_READ, 0, 0, NULL, 0, cmd_read, "changes after --since"},
    {"export", SUBCMD_READ, 0, -1, "ID", 0, run_export, "CAP or the public extract"},
};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {options,  parse_opt, args_doc, prog_doc,
					 children, NULL,      NULL};
	const struct subcmd *c = NULL;
	int rc;

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return CCC_EX_USAGE;
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
	const char *unused = optcheck_unused(options, given, sizeof given, option_users,
					     sizeof option_users / sizeof option_users[0], cmd);
	if (unused)
		errx(CCC_EX_USAGE, "--%s does nothing with %s", unused, cmd);
	signal(SIGPIPE, SIG_IGN);
	rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	table_free(cfg.table);
	if (ctx.names)
		names_close(ctx.names);
	out_close();
	return rc;
}
