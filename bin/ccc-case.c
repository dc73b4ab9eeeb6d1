/*
 * ccc-case: operations and incidents. A case ties messages, checks,
 * notices, plans, deployments, persons, documents and other cases
 * together, has tasks, a timeline of everything that happened to it and to
 * what it links, a situation report, and a distribution: the countries and
 * regions that may see it.
 */
#include <argp.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/case-export.h"
#include "ccc/case-report.h"
#include "ccc/case-task.h"
#include "ccc/case.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/lag-report.h"
#include "ccc/notice.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/store.h"
#include "ccc/stream.h"
#include "ccc/subcmd.h"
#include "ccc/table.h"

static struct config {
	char **args;
	int nargs;
	const char *kind, *title, *countries, *regions, *lead, *status, *assign, *reason, *lang;
	const char *format, *ncb; /* --format as given: export's, or the output's */
	char due[RFC3339_LEN];
	int steal, open_only, html;
	enum out_format out;
} cfg = {.lang = "en"};

const char *argp_program_version = "ccc-case " CCC_VERSION;
static const char doc[] =
    "Operations and incidents: a case ties together the messages, checks, notices, plans, "
    "deployments, persons, documents and other cases of one affair, has tasks, a timeline "
    "of everything that happened to it and to what it links, and a situation report. A "
    "case has a distribution (the countries and regions that may see it) and an owner "
    "(who opened it, --as). Every change is journaled with its actor.\v"
    "Commands:\n"
    "  open            a case (--kind, --title; --country, --region, --lead)\n"
    "  close CASE      close a case (it takes no new link or task)\n"
    "  reopen CASE     open a closed case again\n"
    "  list            cases (--status, --kind)\n"
    "  show CASE       the case, its distribution, links, tasks and log\n"
    "  link CASE ITEM...    link items; with no ITEM, every record of the NDJSON on\n"
    "                  stdin that is a linkable item, each passed through unchanged\n"
    "  unlink CASE ITEM...\n"
    "  task add CASE   a task (--title; --assign, --due)\n"
    "  task take TASK  take a task (--steal one another officer holds)\n"
    "  task done TASK  the task is done\n"
    "  task list [CASE]     the tasks (--open: not done)\n"
    "  timeline CASE   every event of the case and of what it links, in time order\n"
    "  sitrep CASE     a situation report (--lang ar|en|fr|es, --html)\n"
    "  export CASE     what one country may see of it (--ncb; --format misp|stix):\n"
    "                  refused (77) for a country outside its distribution\n\n"
    "Items: KIND:ID with KIND message, check (a consultation log entry: check:N), notice, "
    "plan, deployment, person, document (document:CC:NUMBER) or case; or an id of the form "
    "msg-SITE-N, notice-SITE-N, plan-SITE-N, dep-SITE-N, case-SITE-N. An item that is not "
    "in the store is refused (65). Linking twice adds nothing.\n\n"
    "EXAMPLES\n"
    "  ccc-case open --kind incident --title 'Bomb threat, Lyon' \\\n"
    "      --country FR,MA --region europe --lead a.martin --as a.martin\n"
    "  ccc-case link case-lyon-1 msg-lyon-12 check:7 notice-lyon-3\n"
    "  ccc-intake mail/*.eml | ccc-case link case-lyon-1 > filed.ndjson\n"
    "  ccc-case task add case-lyon-1 --title 'Call NCB Rabat' \\\n"
    "      --due 2026-03-05T18:00:00Z\n"
    "  ccc-case task take task-lyon-1 --as j.garcia\n"
    "  ccc-case timeline case-lyon-1\n"
    "  ccc-case sitrep case-lyon-1 --lang fr --html > sitrep.html\n"
    "  ccc-case export case-lyon-1 --ncb MA --format stix > case-lyon-1.stix.json";
static const char args_doc[] =
    "open\nclose|reopen|show|timeline|sitrep CASE\nlist\nlink|unlink CASE [ITEM...]\n"
    "task add CASE\ntask take|done TASK\ntask list [CASE]\nexport CASE --ncb CC";
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_USAGE, "usage, or a title or name that is not printable UTF-8"},
    {CCC_EX_DATAERR, "an item that is not in the store, a closed case, a task done, a bad "
		     "record on stdin, or a case to export that is not in the store"},
    {CCC_EX_NOINPUT, "no such case, task or store"},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_CANTCREAT, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, "the task is taken by another officer (take it over with --steal), the "
		      "store is busy, or this site is fenced"},
    {CCC_EX_NOPERM, "export: the country may not see the case (outside its distribution)"},
    CCC_EXIT_END,
};

enum {
	OPT_KIND = 1,
	OPT_TITLE,
	OPT_COUNTRY,
	OPT_REGION,
	OPT_LEAD,
	OPT_STATUS,
	OPT_REASON,
	OPT_ASSIGN,
	OPT_DUE,
	OPT_STEAL,
	OPT_OPEN,
	OPT_LANG,
	OPT_HTML,
	OPT_FORMAT,
	OPT_NCB,
};

static const struct argp_option options[] = {
    {NULL, 0, NULL, 0, "Cases:", 1},
    {"kind", OPT_KIND, "KIND", 0, "open: operation or incident; list: only this kind", 1},
    {"title", OPT_TITLE, "TEXT", 0, "open, task add: the title", 1},
    {"country", OPT_COUNTRY, "CC,...", 0, "open: countries that may see the case", 1},
    {"region", OPT_REGION, "R,...", 0,
     "open: regions that may see it (africa, americas, asia-south-pacific, europe, mena)", 1},
    {"lead", OPT_LEAD, "NAME", 0, "open: the officer who leads it", 1},
    {"status", OPT_STATUS, "STATUS", 0, "list: open or closed", 1},
    {"reason", OPT_REASON, "TEXT", 0, "link: why the items belong to the case", 1},
    {NULL, 0, NULL, 0, "Tasks:", 2},
    {"assign", OPT_ASSIGN, "NAME", 0, "task add: who does it (it is then taken by them)", 2},
    {"due", OPT_DUE, "TIME", 0, "task add: when it is due (RFC 3339)", 2},
    {"steal", OPT_STEAL, NULL, 0, "task take: take over a task another officer holds", 2},
    {"open", OPT_OPEN, NULL, 0, "task list: only the tasks not done", 2},
    {NULL, 0, NULL, 0, "Reading:", 3},
    {"lang", OPT_LANG, "LANG", 0, "sitrep: ar, en (default), fr or es", 3},
    {"html", OPT_HTML, NULL, 0, "sitrep: an HTML page that prints on one A4 page", 3},
    {"format", OPT_FORMAT, "FORMAT", 0,
     "table or ndjson (default: a table on a terminal, NDJSON otherwise); export: misp "
     "(default) or stix",
     3},
    {"ncb", OPT_NCB, "CC", 0, "export: the country the case is exported to", 3},
    {0},
};

static unsigned char given[256];
static const struct optcheck_use option_users[] = {
    {OPT_KIND, "open list"},
    {OPT_TITLE, "open task-add"},
    {OPT_COUNTRY, "open"},
    {OPT_REGION, "open"},
    {OPT_LEAD, "open"},
    {OPT_STATUS, "list"},
    {OPT_REASON, "link"},
    {OPT_ASSIGN, "task-add"},
    {OPT_DUE, "task-add"},
    {OPT_STEAL, "task-take"},
    {OPT_OPEN, "task-list"},
    {OPT_LANG, "sitrep"},
    {OPT_HTML, "sitrep"},
    {OPT_FORMAT, "open close reopen list show link unlink task-add task-take task-done task-list "
		 "timeline export"},
    {OPT_NCB, "export"},
};

static const char *const langs[] = {"ar", "en", "fr", "es", NULL};

/* A title, a name or a reason given on the command line: printable UTF-8. */
static void check_text(struct argp_state *state, const char *opt, const char *arg)
{
	const char *why;
	if (!case_text_ok(arg, &why))
		argp_error(state, "--%s: %s", opt, why);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	char msg[256];
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	if (key > 0 && key < (int)sizeof given)
		given[key] = 1;
	switch (key) {
	case OPT_KIND:
		if (optcheck_one("kind", arg, case_kinds_of_case, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		cfg.kind = arg;
		break;
	case OPT_TITLE:
		check_text(state, "title", arg);
		cfg.title = arg;
		break;
	case OPT_COUNTRY: cfg.countries = arg; break;
	case OPT_REGION: cfg.regions = arg; break;
	case OPT_LEAD:
		check_text(state, "lead", arg);
		cfg.lead = arg;
		break;
	case OPT_STATUS:
		if (optcheck_one("status", arg, case_statuses, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		cfg.status = arg;
		break;
	case OPT_REASON:
		check_text(state, "reason", arg);
		cfg.reason = arg;
		break;
	case OPT_ASSIGN:
		check_text(state, "assign", arg);
		cfg.assign = arg;
		break;
	case OPT_DUE: {
		time_t t;
		if (clock_parse(arg, &t) < 0)
			argp_error(state, "--due: '%s' is not an RFC 3339 time", arg);
		clock_format(t, cfg.due);
		break;
	}
	case OPT_STEAL: cfg.steal = 1; break;
	case OPT_OPEN: cfg.open_only = 1; break;
	case OPT_LANG:
		if (optcheck_one("lang", arg, langs, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		cfg.lang = arg;
		break;
	case OPT_HTML: cfg.html = 1; break;
	case OPT_FORMAT:
		/* checked once the command is known: export takes misp or stix */
		cfg.format = arg;
		break;
	case OPT_NCB:
		if (!notice_country_known(arg))
			argp_error(state, "--ncb: '%s' is not an ISO 3166 alpha-2 country code",
				   arg);
		cfg.ncb = arg;
		break;
	case ARGP_KEY_ARG:
		cfg.args = state->argv + state->next - 1;
		cfg.nargs = state->argc - state->next + 1;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "a command is needed: open, close, reopen, list, show, link, "
				  "unlink, task, timeline or sitrep");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* ---- printing ---- */

static const struct table_col case_cols[] = {
    {"ID", 18, 0, NULL},    {"KIND", 9, 0, NULL},  {"STATUS", 6, 0, NULL},
    {"OWNER", 12, 0, NULL}, {"LEAD", 12, 0, NULL}, {"OPENED", 20, 0, "opened_at"},
    {"TITLE", 50, 0, NULL},
};
static const struct table_col task_cols[] = {
    {"ID", 16, 0, NULL},       {"CASE", 16, 0, NULL},    {"STATUS", 6, 0, NULL},
    {"ASSIGNEE", 12, 0, NULL}, {"DUE", 20, 0, "due_at"}, {"TITLE", 50, 0, NULL},
};
static const struct table_col link_cols[] = {
    {"CASE", 18, 0, NULL},          {"KIND", 10, 0, NULL}, {"ITEM", 24, 0, NULL},
    {"LINKED", 20, 0, "linked_at"}, {"BY", 12, 0, NULL},   {"REASON", 40, 0, NULL},
};

#define NCOLS(c) ((int)(sizeof c / sizeof c[0]))

/* Write a list of records (consumed) as a table on a terminal, else NDJSON. */
static void print_list(const struct table_col *cols, int n, jv list)
{
	table_print_records(cols, n, list, cfg.out);
}

/* show on a terminal: the case's fields, then its links, tasks and log. */
static void print_case(jv rec)
{
	if (!out_format_is_table(cfg.out)) {
		out_jv(rec);
		return;
	}
	static const char *const apart[] = {"links", "tasks", "log", "distribution", NULL};
	struct table *t = table_fields(rec, apart);
	struct buf b = {0};
	jv dist = jv_object_get(jv_copy(rec), jv_string("distribution"));
	for (int pass = 0; pass < 2; pass++) {
		const char *field = pass ? "regions" : "countries";
		jv list = jv_object_get(jv_copy(dist), jv_string(field));
		b.len = 0;
		if (jv_get_kind(list) == JV_KIND_ARRAY)
			jv_array_foreach (list, i, v) {
				if (i)
					buf_addc(&b, ',');
				buf_adds(&b, jv_string_value(v));
				jv_free(v);
			}
		buf_addc(&b, '\0');
		const char *cells[] = {pass ? "regions" : "countries", b.p};
		table_add(t, cells);
		jv_free(list);
	}
	jv_free(dist);
	static const char *const parts[] = {"links", "tasks", "log"};
	for (int p = 0; p < 3; p++) {
		jv list = jv_object_get(jv_copy(rec), jv_string(parts[p]));
		if (jv_get_kind(list) == JV_KIND_ARRAY)
			jv_array_foreach (list, i, e) {
				b.len = 0;
				if (p == 0) {
					buf_adds(&b, jv_get_str(e, "kind"));
					buf_adds(&b, ":");
					buf_adds(&b, jv_get_str(e, "item"));
					buf_adds(&b, "  ");
					buf_adds(&b, jv_get_str(e, "linked_at"));
					buf_adds(&b, "  ");
					buf_adds(&b, jv_get_str(e, "by"));
					if (jv_get_str(e, "reason")) {
						buf_adds(&b, ": ");
						buf_adds(&b, jv_get_str(e, "reason"));
					}
				} else if (p == 1) {
					buf_adds(&b, jv_get_str(e, "id"));
					buf_adds(&b, "  ");
					buf_adds(&b, jv_get_str(e, "status"));
					if (jv_get_str(e, "assignee")) {
						buf_adds(&b, " (");
						buf_adds(&b, jv_get_str(e, "assignee"));
						buf_adds(&b, ")");
					}
					if (jv_get_str(e, "due_at")) {
						buf_adds(&b, "  due ");
						buf_adds(&b, jv_get_str(e, "due_at"));
					}
					buf_adds(&b, "  ");
					buf_adds(&b, jv_get_str(e, "title"));
				} else {
					buf_adds(&b, jv_get_str(e, "at"));
					buf_adds(&b, "  ");
					buf_adds(&b, jv_get_str(e, "by"));
					buf_adds(&b, "  ");
					buf_adds(&b, jv_get_str(e, "action"));
					if (jv_get_str(e, "detail")) {
						buf_adds(&b, ": ");
						buf_adds(&b, jv_get_str(e, "detail"));
					}
				}
				buf_addc(&b, '\0');
				const char *cells[] = {p == 0   ? "link"
						       : p == 1 ? "task"
								: "log",
						       b.p};
				table_add(t, cells);
				jv_free(e);
			}
		jv_free(list);
	}
	table_free(t);
	buf_free(&b);
	jv_free(rec);
}

/* Commit the transaction in hand, or roll it back when rc says so. */
static int finish(struct store *s, int rc)
{
	int64_t seq;
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, &seq);
}

static void say_again(const struct rerun *again)
{
	if (again->done && !ccc_opts.quiet)
		warnx("%s: nothing changed", again->why);
}

/* ---- cases ---- */

static int run_open(struct store *s, const char *name)
{
	(void)name;
	char err[256];
	jv out;
	if (!cfg.kind || !cfg.title) {
		warnx("open needs --kind (operation or incident) and --title");
		return CCC_EX_USAGE;
	}
	jv dist = case_distribution(cfg.countries, cfg.regions, err, sizeof err);
	if (!jv_is_valid(dist)) {
		warnx("open: %s", err);
		return CCC_EX_USAGE;
	}
	int rc = store_begin(s);
	if (rc) {
		jv_free(dist);
		return rc;
	}
	rc = case_open(s, cfg.kind, cfg.title, cfg.lead, dist, &out);
	if ((rc = finish(s, rc)))
		return rc;
	print_list(case_cols, NCOLS(case_cols), JV_ARRAY(out));
	return 0;
}

static int run_status(struct store *s, const char *name)
{
	struct rerun again = {0};
	jv out;
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = case_set_status(s, cfg.args[0], !strcmp(name, "close") ? "closed" : "open", &again,
			     &out);
	if ((rc = finish(s, rc)))
		return rc;
	say_again(&again);
	print_list(case_cols, NCOLS(case_cols), JV_ARRAY(out));
	return 0;
}

static int run_list(struct store *s, const char *name)
{
	(void)name;
	jv list;
	int rc = case_list(s, cfg.status, cfg.kind, &list);
	if (rc)
		return rc;
	print_list(case_cols, NCOLS(case_cols), list);
	return 0;
}

static int run_show(struct store *s, const char *name)
{
	(void)name;
	jv rec, tasks;
	int rc = case_read(s, cfg.args[0], &rec);
	if (rc)
		return rc;
	if ((rc = case_task_list(s, cfg.args[0], 0, &tasks))) {
		jv_free(rec);
		return rc;
	}
	jv lag = lag_report(s, out_format_is_table(cfg.out), ccc_opts.quiet);
	print_case(lag_tag(jv_object_set(rec, jv_string("tasks"), tasks), lag));
	jv_free(lag);
	return 0;
}

/* ---- links ---- */

/* Filter mode: each record of the stream that is a linkable item is linked;
 * every good record goes out as it came in. */
static int link_record(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	const char *case_id = ctx;
	char kind[32], id[512], why[1024];
	int rc = 0, added;
	if (case_record_item(rec, kind, sizeof kind, id, sizeof id)) {
		/* an item that is not in the store is this line's fault; the case
		 * itself, in its own stream, is passed through */
		rc = case_item_find(stream_store(st), kind, id, sizeof id, why, sizeof why);
		if (rc == CCC_EX_DATAERR) {
			jv_free(rec);
			return stream_reject(st, ln, why);
		}
		if (!rc && !(strcmp(kind, "case") == 0 && strcmp(id, case_id) == 0))
			rc = case_link_added(stream_store(st), case_id, kind, id, cfg.reason,
					     &added);
	}
	jv_free(rec);
	if (rc)
		return rc;
	stream_emit_line(st, ln->text, ln->len);
	return 0;
}

static int link_stream(struct store *s, const char *case_id)
{
	struct stream_config sc = {
	    .program = "ccc-case",
	    CCC_STREAM_OPTS,
	    .record = link_record,
	    .ctx = (void *)case_id,
	};
	/* the case is there and open before anything is read */
	int rc = store_begin(s);
	if (rc)
		return rc;
	jv c;
	rc = case_get(s, case_id, &c);
	if (!rc) {
		const char *status = jv_get_str(c, "status");
		if (status && !strcmp(status, "closed")) {
			warnx("case '%s' is closed: reopen it to change its links", case_id);
			rc = CCC_EX_DATAERR;
		}
		jv_free(c);
	}
	store_rollback(s);
	if (rc)
		return rc;
	char *stdin_only[] = {"-"};
	return stream_run(s, &sc, stdin_only, 1);
}

static int run_link(struct store *s, const char *name)
{
	int unlink = !strcmp(name, "unlink");
	const char *case_id = cfg.args[0];
	if (cfg.nargs == 1) {
		if (unlink) {
			warnx("unlink needs the items to unlink");
			return CCC_EX_USAGE;
		}
		if (isatty(STDIN_FILENO)) {
			warnx("link needs the items to link, or records on stdin");
			return CCC_EX_USAGE;
		}
		return link_stream(s, case_id);
	}
	int rc = store_begin(s);
	if (rc)
		return rc;
	for (int i = 1; !rc && i < cfg.nargs; i++) {
		char kind[32], id[512], err[512];
		int changed = 0;
		if (case_item_parse(cfg.args[i], kind, sizeof kind, id, sizeof id, err,
				    sizeof err) < 0) {
			warnx("%s: %s", name, err);
			rc = CCC_EX_DATAERR;
			break;
		}
		if (unlink) {
			/* the id it was linked under (a notice's control number
			 * names its id); an item gone from the store is unlinked as
			 * written */
			char why[1024];
			rc = case_item_find(s, kind, id, sizeof id, why, sizeof why);
			if (rc && rc != CCC_EX_DATAERR)
				break;
			rc = case_unlink(s, case_id, kind, id, &changed);
		} else
			rc = case_link_added(s, case_id, kind, id, cfg.reason, &changed);
		if (rc)
			break;
		if (!changed && !ccc_opts.quiet)
			warnx("%s:%s is %s case '%s' already: nothing changed", kind, id,
			      unlink ? "not linked to" : "linked to", case_id);
	}
	if ((rc = finish(s, rc)) || unlink)
		return rc;
	/* link prints the case's links as they now are */
	jv links;
	if ((rc = case_links(s, case_id, &links)))
		return rc;
	jv rows = jv_array();
	jv_array_foreach (links, i, l) {
		rows =
		    jv_array_append(rows, jv_object_set(l, jv_string("case"), jv_string(case_id)));
	}
	jv_free(links);
	print_list(link_cols, NCOLS(link_cols), rows);
	return 0;
}

/* ---- tasks ---- */

static int run_task_add(struct store *s, const char *name)
{
	(void)name;
	jv out;
	if (!cfg.title) {
		warnx("task add needs --title");
		return CCC_EX_USAGE;
	}
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc =
	    case_task_add(s, cfg.args[0], cfg.title, cfg.assign, cfg.due[0] ? cfg.due : NULL, &out);
	if ((rc = finish(s, rc)))
		return rc;
	print_list(task_cols, NCOLS(task_cols), JV_ARRAY(out));
	return 0;
}

static int run_task_act(struct store *s, const char *name)
{
	struct rerun again = {0};
	jv out;
	const char *action = !strcmp(name, "done") ? "done" : cfg.steal ? "steal" : "take";
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = case_task_act(s, cfg.args[0], action, &again, &out);
	if ((rc = finish(s, rc)))
		return rc;
	say_again(&again);
	print_list(task_cols, NCOLS(task_cols), JV_ARRAY(out));
	return 0;
}

static int run_task_list(struct store *s, const char *name)
{
	(void)name;
	jv list, c;
	int rc;
	if (cfg.nargs == 1) {
		if ((rc = case_get(s, cfg.args[0], &c)))
			return rc;
		jv_free(c);
	}
	if ((rc = case_task_list(s, cfg.nargs ? cfg.args[0] : NULL, cfg.open_only, &list)))
		return rc;
	print_list(task_cols, NCOLS(task_cols), list);
	return 0;
}

/* ---- timeline and sitrep ---- */

static const struct table_col event_cols[] = {
    {"AT", 20, 0, NULL},     {"BY", 14, 0, NULL},     {"SUBJECT", 24, 0, NULL},
    {"ACTION", 14, 0, NULL}, {"DETAIL", 60, 0, NULL},
};

static void emit_event(jv event, void *ctx)
{
	(void)ctx;
	out_jv(event);
}

static int run_timeline(struct store *s, const char *name)
{
	(void)name;
	jv events;
	if (!out_format_is_table(cfg.out))
		return case_timeline_each(s, cfg.args[0], emit_event, NULL);
	int rc = case_timeline(s, cfg.args[0], &events);
	if (rc)
		return rc;
	print_list(event_cols, NCOLS(event_cols), events);
	return 0;
}

static int run_sitrep(struct store *s, const char *name)
{
	(void)name;
	char *text = NULL;
	int rc = case_sitrep(s, cfg.args[0], cfg.lang, cfg.html, clock_now(), &text);
	if (rc)
		return rc;
	out_write(text, strlen(text));
	free(text);
	return 0;
}

/* ---- export ---- */

static int run_export(struct store *s, const char *name)
{
	(void)name;
	char *why = NULL;
	jv out;
	if (!cfg.ncb) {
		warnx("export needs --ncb: the country the case goes to");
		return CCC_EX_USAGE;
	}
	int rc = case_export(s, cfg.args[0], cfg.ncb, cfg.format ? cfg.format : "misp", &out, &why);
	if (rc) {
		if (why)
			warnx("export: %s", why);
		free(why);
		return rc;
	}
	free(why);
	out_jv(out);
	return 0;
}

static const struct subcmd cmds[] = {
    {"open", SUBCMD_WRITE, 0, 0, NULL, 0, run_open, "open a case"},
    {"close", SUBCMD_WRITE, 1, 1, "CASE", 0, run_status, "close a case"},
    {"reopen", SUBCMD_WRITE, 1, 1, "CASE", 0, run_status, "reopen a closed case"},
    {"list", SUBCMD_READ, 0, 0, NULL, 0, run_list, "the cases"},
    {"show", SUBCMD_READ, 1, 1, "CASE", 0, run_show, "a case with its links and tasks"},
    {"link", SUBCMD_WRITE, 1, -1, "CASE ITEM", 1, run_link, "link items (or stdin's records)"},
    {"unlink", SUBCMD_WRITE, 2, -1, "CASE ITEM", 0, run_link, "unlink items"},
    {"task add", SUBCMD_WRITE, 1, 1, "CASE", 0, run_task_add, "a task of a case"},
    {"task take", SUBCMD_WRITE, 1, 1, "TASK", 0, run_task_act, "take a task"},
    {"task done", SUBCMD_WRITE, 1, 1, "TASK", 0, run_task_act, "a task is done"},
    {"task list", SUBCMD_READ, 0, 1, "CASE", 0, run_task_list, "the tasks"},
    {"timeline", SUBCMD_READ, 1, 1, "CASE", 0, run_timeline, "everything, in time order"},
    {"sitrep", SUBCMD_READ, 1, 1, "CASE", 0, run_sitrep, "a situation report"},
    {"export", SUBCMD_READ, 1, 1, "CASE", 0, run_export, "what one country may see of it"},
};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, doc, children, ccc_exit_help_filter, NULL};
	const struct subcmd *c = NULL;
	int rc;

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	if ((rc = subcmd_parse(cmds, sizeof cmds / sizeof cmds[0], &cfg.nargs, &cfg.args, &c)))
		return rc;
	/* "task add" is "task-add" in option_users */
	if ((rc = optcheck_refuse_unused(options, given, sizeof given, option_users,
					 sizeof option_users / sizeof option_users[0], c->name)))
		return rc;
	if (cfg.format) {
		static const char *const exports[] = {"misp", "stix", NULL};
		char msg[256];
		if (!strcmp(c->name, "export")) {
			if (optcheck_one("format", cfg.format, exports, msg, sizeof msg) < 0)
				errx(CCC_EX_USAGE, "%s", msg);
		} else if (out_format_parse(cfg.format, &cfg.out) < 0) {
			errx(CCC_EX_USAGE, "--format: '%s' is not one of table, ndjson",
			     cfg.format);
		}
	}
	signal(SIGPIPE, SIG_IGN);
	rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	return out_close(rc);
}
