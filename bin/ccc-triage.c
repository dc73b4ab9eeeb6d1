/*
 * ccc-triage: decide how urgent each message is; the work queue; escalation.
 */
#include <argp.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/clock.h"
#include "ccc/escalation.h"
#include "ccc/exit.h"
#include "ccc/forward.h"
#include "ccc/grouping.h"
#include "ccc/json.h"
#include "ccc/lag-report.h"
#include "ccc/ndjson.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/queue.h"
#include "ccc/rules.h"
#include "ccc/silence.h"
#include "ccc/store.h"
#include "ccc/story.h"
#include "ccc/stream.h"
#include "ccc/subcmd.h"
#include "ccc/table.h"
#include "ccc/triage-filter.h"
#include "ccc/triage.h"

/* The store's page cache while triaging a stream (store_cache_limit). */
#define TRIAGE_CACHE_KIB 16384

static struct config {
	const char *command;
	char **args;
	int nargs;
	const char *rules_path;
	struct rules *rules;
	long rule_time_ms, rule_memory_mib;
	struct triage_config triage;
	int explain;
	const char *priorities, *categories, *to, *reason, *match;
	long group_min;
	int overdue, all, pending, steal;
	time_t since, until;
	long limit;
	enum out_format out;
	struct table *table; /* queue items on a terminal */
	jv lag;              /* queue at a standby: its lag, for each record */
	struct buf json;
} cfg = {.limit = -1,
	 .group_min = GROUPING_WINDOW_S / 60,
	 .rule_time_ms = RULES_TIME_MS,
	 .rule_memory_mib = RULES_MEMORY >> 20};

const char *argp_program_version = "ccc-triage " CCC_VERSION;
static const char prog_doc[] =
    "Assess each message: priority (P1 act within 15 minutes, P2 1 hour, P3 8 hours, "
    "P4 information, 72 hours), category, CAP urgency, severity and certainty, due time "
    "and the reasons; keep the work queue; escalate what is overdue.\v"
    "Commands:\n"
    "  (none)          filter: triage the `message` records on stdin or in FILEs,\n"
    "                  store them and queue them; other records pass through\n"
    "                  (--pending: every stored message not triaged yet)\n"
    "  queue           open and taken items, most urgent first (--priority,\n"
    "                  --category, --overdue, --all, --limit)\n"
    "  take ID         take an item: it is yours (--as NAME); one another\n"
    "                  officer holds: --steal, which is logged (else 75)\n"
    "  assign ID       give an item to someone (--to NAME)\n"
    "  note ID TEXT    add a note to an item\n"
    "  close ID        close an item (--reason TEXT)\n"
    "  reopen ID       open a closed item again\n"
    "  escalate        raise each overdue item (open or taken) by one level\n"
    "  show ID         a message's whole story: triage, checks, notes, replies,\n"
    "                  and what else names its entities (also in msg-..., case ...)\n"
    "  silence         hold back escalation pages for the items --match matches,\n"
    "                  until --until (--reason)\n"
    "  silence list    the active silences (--all: expired ones too)\n"
    "  silence expire ID  end a silence now\n"
    "  report          per priority, bureau and language: requests, answered\n"
    "                  in time, time to first reply, overdue (--since, --until)\n\n"
    "An option given to a command that does not use it, or a value outside its "
    "domain, is a usage error (64).\n\n"
    "The default rules match urgency and category phrases in Arabic, English, French "
    "and Spanish (Arabic normalised, French and Spanish without accents), time pressure "
    "(\"boarding in 2 hours\", \"vol à 14h30\"), CAP urgency, severity and certainty, and a "
    "check hit on an active notice (P1). --rules adds rules of your own in jq; the "
    "highest priority wins and every rule that fired is listed in reasons. A message that "
    "names the same entity (document, VIN, MRZ, matched person) as an open incident's "
    "messages, checks or links is linked to the incident and raised to its priority; one "
    "that correlates with an open item received within --group minutes joins it: one "
    "queue item, paged once. Rules run in "
    "a separate process with an empty environment ($ENV and env are {}), no input, "
    "debug, stderr or halt, within --rule-time and --rule-memory per message: a rule "
    "over its budget is stopped, given up for that message (its reason says so) and the "
    "others still count.\n\n"
    "EXAMPLES\n"
    "  ccc-intake --source ncb:fr mail.mbox | ccc-triage\n"
    "  ccc-intake -q --source ncb:fr mail.mbox >/dev/null; ccc-triage --pending\n"
    "  ccc-triage --rules /etc/ccc/rules.ndjson --explain < messages.ndjson\n"
    "  ccc-triage queue --priority P1,P2 --overdue\n"
    "  ccc-triage take msg-lyon-1042 --as duty.officer\n"
    "  ccc-triage close msg-lyon-1042 --reason 'checked, no hit'\n"
    "  */5 * * * * ccc-triage -q escalate | /usr/local/bin/page-duty\n"
    "  ccc-triage silence --match text=exercise,country=FR --until 2h\n"
    "  ccc-triage silence expire silence-lyon-1";
static const char args_doc[] = "[FILE...]\nqueue\ntake|close|reopen ID\nassign ID --to NAME\n"
			       "note ID TEXT\nescalate\nshow ID\nreport\n"
			       "silence --match FIELD=VALUE,... --until TIME\nsilence list\n"
			       "silence expire ID";
/* The exit statuses --help lists (lib/ccc/exit.h), with what they mean here. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_DATAERR, NULL},
    {CCC_EX_NOINPUT, "no such message, or no store"},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_CANTCREAT, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, "store busy or site fenced, or take of an item another officer holds"},
    {CCC_EX_NOPERM, NULL},
    {CCC_EX_CONFIG, "configuration (a rules file that does not compile)"},
    {CCC_EX_SIGINT, NULL},
    {CCC_EX_SIGTERM, NULL},
    CCC_EXIT_END,
};

enum {
	OPT_RULES = 1,
	OPT_EXPLAIN,
	OPT_DUE,
	OPT_PRIORITY,
	OPT_CATEGORY,
	OPT_OVERDUE,
	OPT_ALL,
	OPT_TO,
	OPT_REASON,
	OPT_LIMIT,
	OPT_FORMAT,
	OPT_STEAL,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_RULE_TIME,
	OPT_RULE_MEMORY,
	OPT_PENDING,
	OPT_GROUP,
	OPT_MATCH,
};

static const struct argp_option options[] = {
    {"rules", OPT_RULES, "FILE", 0,
     "Rules of your own: {name, if, priority, category, reason} in jq", 0},
    {"rule-time", OPT_RULE_TIME, "MS", 0, "Time the rules may take on one message (default 1000)",
     0},
    {"rule-memory", OPT_RULE_MEMORY, "MIB", 0,
     "Memory the rules may use beyond the program's own, in MiB (default 256)", 0},
    {"pending", OPT_PENDING, NULL, 0,
     "Filter: triage every stored message that has no queue item yet, instead of reading input", 0},
    {"group", OPT_GROUP, "MINUTES", 0,
     "Filter: a message that correlates with an open item received within MINUTES joins it "
     "(default 10; 0: never)",
     0},
    {"explain", OPT_EXPLAIN, NULL, 0, "Show each message's priority and the evidence on stderr", 0},
    {"due", OPT_DUE, "P1=15m,...", 0,
     "Time to act per priority (default P1=15m,P2=1h,P3=8h,P4=72h)", 0},
    {"priority", OPT_PRIORITY, "P1,P2", 0, "queue: only these priorities (P1 to P4)", 0},
    {"category", OPT_CATEGORY, "LIST", 0, "queue: only these categories", 0},
    {"overdue", OPT_OVERDUE, NULL, 0, "queue: only items past their due time", 0},
    {"all", OPT_ALL, NULL, 0, "queue: closed and grouped items too; silence list: expired ones", 0},
    {"limit", OPT_LIMIT, "N", 0, "queue: at most N items", 0},
    {"to", OPT_TO, "NAME", 0, "assign: the person who gets the item", 0},
    {"reason", OPT_REASON, "TEXT", 0, "close, silence: why", 0},
    {"match", OPT_MATCH, "FIELD=VALUE,...", 0,
     "silence: the items it holds back: category, priority, country, text (A|B: either)", 0},
    {"steal", OPT_STEAL, NULL, 0, "take: take over an item another officer holds (logged)", 0},
    {"since", OPT_SINCE, "TIME", 0, "report: messages received from TIME (RFC 3339, or a date)", 0},
    {"until", OPT_UNTIL, "TIME", 0,
     "report: messages received before TIME; silence: its end (a time, or 30m, 2h, 1d from now)",
     0},
    {"format", OPT_FORMAT, "FORMAT", 0, "queue: ndjson or table (default: table on a terminal)", 0},
    {0},
};

/* The options given, and the commands that use each ("filter": no command);
 * an option given to a command that does not use it is refused. */
static unsigned char given[256];
static const struct optcheck_use option_users[] = {
    {OPT_RULES, "filter"},
    {OPT_RULE_TIME, "filter"},
    {OPT_RULE_MEMORY, "filter"},
    {OPT_PENDING, "filter"},
    {OPT_EXPLAIN, "filter"},
    {OPT_GROUP, "filter"},
    {OPT_MATCH, "silence"},
    {OPT_DUE, "filter escalate"},
    {OPT_PRIORITY, "queue"},
    {OPT_CATEGORY, "queue"},
    {OPT_OVERDUE, "queue"},
    {OPT_ALL, "queue list"},
    {OPT_LIMIT, "queue"},
    {OPT_FORMAT, "queue take assign note close reopen escalate show report silence list expire"},
    {OPT_TO, "assign"},
    {OPT_REASON, "close silence"},
    {OPT_STEAL, "take"},
    {OPT_SINCE, "report"},
    {OPT_UNTIL, "report silence"},
};

static void refuse_unused(const char *command)
{
	const char *name = optcheck_unused(options, given, sizeof given, option_users,
					   sizeof option_users / sizeof option_users[0], command);
	if (name)
		errx(CCC_EX_USAGE, "--%s does nothing with %s", name,
		     strcmp(command, "filter") ? command : "no command (the filter)");
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	if (key > 0 && key < (int)sizeof given)
		given[key] = 1;
	switch (key) {
	case OPT_RULES: cfg.rules_path = arg; break;
	case OPT_EXPLAIN: cfg.explain = 1; break;
	case OPT_RULE_TIME:
		if (ccc_parse_long(arg, 1, 86400000L, &cfg.rule_time_ms) < 0)
			argp_error(state, "--rule-time: '%s' is not a number of milliseconds", arg);
		break;
	case OPT_RULE_MEMORY:
		if (ccc_parse_long(arg, 16, 1L << 20, &cfg.rule_memory_mib) < 0)
			argp_error(state, "--rule-memory: '%s' is not a number of MiB (16 or more)",
				   arg);
		break;
	case OPT_PENDING: cfg.pending = 1; break;
	case OPT_GROUP:
		if (ccc_parse_long(arg, 0, 24 * 60, &cfg.group_min) < 0)
			argp_error(state, "--group: '%s' is not a number of minutes (0 to 1440)",
				   arg);
		break;
	case OPT_MATCH: {
		char why[256];
		jv m = silence_match_parse(arg, why, sizeof why);
		if (!jv_is_valid(m))
			argp_error(state, "%s", why);
		jv_free(m);
		cfg.match = arg;
		break;
	}
	case OPT_DUE:
		if (triage_config_parse_due(&cfg.triage, arg) < 0)
			argp_error(state,
				   "--due: '%s': give PRIORITY=TIME pairs, e.g. P1=15m,P2=1h", arg);
		break;
	case OPT_PRIORITY: {
		static const char *const priorities[] = {"P1", "P2", "P3", "P4", NULL};
		char msg[256];
		if (optcheck_list("priority", arg, priorities, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		cfg.priorities = arg;
		break;
	}
	case OPT_CATEGORY: {
		const char *categories[TRIAGE_NCATEGORY + 1] = {NULL};
		char msg[512];
		for (int i = 0; i < TRIAGE_NCATEGORY; i++)
			categories[i] = triage_category_name((enum triage_category)i);
		if (optcheck_list("category", arg, categories, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		cfg.categories = arg;
		break;
	}
	case OPT_OVERDUE: cfg.overdue = 1; break;
	case OPT_ALL: cfg.all = 1; break;
	case OPT_TO: cfg.to = arg; break;
	case OPT_REASON: cfg.reason = arg; break;
	case OPT_LIMIT:
		if (ccc_parse_long(arg, 0, 1L << 40, &cfg.limit) < 0)
			argp_error(state, "--limit: '%s' is not a number", arg);
		break;
	case OPT_STEAL: cfg.steal = 1; break;
	case OPT_SINCE:
	case OPT_UNTIL: {
		time_t t;
		char full[40], unit = 0;
		long k;
		/* a date alone is its start; 30m, 2h, 1d: from now */
		snprintf(full, sizeof full, strlen(arg) == 10 ? "%sT00:00:00Z" : "%s", arg);
		if (key == OPT_UNTIL && sscanf(arg, "%ld%c%n", &k, &unit, &(int){0}) == 2 &&
		    k > 0 && strchr("mhd", unit) && arg[strspn(arg, "0123456789") + 1] == '\0')
			t = clock_now() + k * (unit == 'm' ? 60 : unit == 'h' ? 3600 : 86400);
		else if (clock_parse(full, &t) < 0)
			argp_error(state, "--%s: '%s' is not an RFC 3339 time or a date",
				   key == OPT_SINCE ? "since" : "until", arg);
		*(key == OPT_SINCE ? &cfg.since : &cfg.until) = t;
		break;
	}
	case OPT_FORMAT:
		if (out_format_parse(arg, &cfg.out) < 0)
			argp_error(state, "--format: '%s' is not ndjson or table", arg);
		break;
	case ARGP_KEY_ARGS:
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int cmd_filter(struct store *s)
{
	refuse_unused("filter");
	/* reads back only the records it is given, next to the ones just written */
	int rc = store_cache_limit(s, TRIAGE_CACHE_KIB);
	if (rc)
		return rc;
	/* --pending: the messages stored (by ccc-intake) but never triaged. */
	static const char *const SQL_PENDING =
	    "SELECT m.n, m.record FROM messages m WHERE m.n > ?1"
	    " AND NOT EXISTS (SELECT 1 FROM queue q WHERE q.n = m.n) ORDER BY m.n LIMIT ?2";
	struct triage_filter *f =
	    triage_filter_new(&cfg.triage, cfg.rules, cfg.explain, ccc_opts.quiet);
	triage_filter_group(f, cfg.group_min * 60);
	struct stream_config sc = {
	    .program = "ccc-triage",
	    CCC_STREAM_OPTS,
	    .record = triage_filter_record,
	    .ctx = f,
	    .before_commit = cfg.rules ? triage_filter_flush : NULL,
	};
	rc = cfg.pending ? stream_run_stored(s, &sc, SQL_PENDING)
			 : stream_run(s, &sc, cfg.args, cfg.nargs);
	triage_filter_free(f);
	return rc;
}

/* A queue item (a message with "queue"): a table row on a terminal, else
 * NDJSON. Consumes rec. */
static void emit(jv rec, void *ctx)
{
	if (!out_format_is_table(cfg.out)) {
		if (jv_is_valid(rec))
			out_jv(lag_tag(rec, cfg.lag));
		else
			jv_free(rec);
		return;
	}
	if (!cfg.table)
		cfg.table = queue_table_new();
	if (jv_is_valid(rec))
		queue_table_add(cfg.table, rec, clock_now());
	jv_free(rec);
}

static int cmd_queue(struct store *s)
{
	refuse_unused("queue");
	struct queue_filter f = {.all = cfg.all,
				 .priorities = cfg.priorities,
				 .categories = cfg.categories,
				 .overdue = cfg.overdue,
				 .limit = cfg.limit};
	cfg.lag = lag_report(s, out_format_is_table(cfg.out), ccc_opts.quiet);
	emit(jv_invalid(), NULL); /* the table's heading, even when it is empty */
	int rc = queue_list(s, &f, emit, NULL);
	jv_free(cfg.lag);
	cfg.lag = jv_invalid();
	return rc;
}

static int cmd_act(struct store *s, const char *action)
{
	refuse_unused(action);
	int need = !strcmp(action, "note") ? 2 : 1;
	const char *detail = NULL;
	int64_t n, seq;
	jv rec;
	int rc;

	if (cfg.nargs != need)
		errx(CCC_EX_USAGE, "%s: give %s", action, need == 2 ? "ID and TEXT" : "one ID");
	if (!strcmp(action, "assign")) {
		if (!cfg.to || !*cfg.to)
			errx(CCC_EX_USAGE, "assign: give the person with --to NAME");
		detail = cfg.to;
	} else if (!strcmp(action, "note")) {
		detail = cfg.args[1];
		if (!*detail)
			errx(CCC_EX_USAGE, "note: the note is empty");
	} else if (!strcmp(action, "close")) {
		detail = cfg.reason;
	}
	if ((rc = store_begin(s)))
		return rc;
	if ((rc = queue_message(s, cfg.args[0], &n, &rec, 0))) {
		store_rollback(s);
		return rc;
	}
	struct rerun again;
	if ((rc = queue_act(s, n, cfg.steal ? "steal" : action, detail, &again))) {
		jv_free(rec);
		store_rollback(s);
		return rc;
	}
	if (again.done) {
		store_rollback(s);
		if (!ccc_opts.quiet)
			warnx("%s", again.why);
	} else if ((rc = store_commit(s, &seq))) {
		jv_free(rec);
		return rc;
	}
	emit(jv_object_set(rec, jv_string("queue"), queue_item(s, n)), NULL);
	return 0;
}

static int cmd_escalate(struct store *s)
{
	refuse_unused("escalate");
	struct buf out = {0};
	int64_t seq;
	int rc;
	if ((rc = store_begin(s)))
		return rc;
	if ((rc = escalation_run(s, &cfg.triage, &out))) {
		store_rollback(s);
		buf_free(&out);
		return rc;
	}
	if (!(rc = store_commit(s, &seq)) && !out_format_is_table(cfg.out))
		out_write(out.p ? out.p : "", out.len);
	else if (!rc) {
		emit(jv_invalid(), NULL);
		for (size_t i = 0, j; i < out.len; i = j + 1) {
			char why[128];
			j = (size_t)((char *)memchr(out.p + i, '\n', out.len - i) - out.p);
			emit(ndjson_parse(out.p + i, j - i, why, sizeof why), NULL);
		}
	}
	buf_free(&out);
	return rc;
}

static int run_filter(struct store *s, const char *name)
{
	(void)name;
	return cmd_filter(s);
}

static int run_queue(struct store *s, const char *name)
{
	(void)name;
	return cmd_queue(s);
}

/* show: the message's whole story; text on a terminal, one record on a pipe. */
static int run_show(struct store *s, const char *name)
{
	(void)name;
	jv st;
	int rc = story_of(s, cfg.args[0], &st);
	if (!rc)
		story_print(st, cfg.out);
	return rc;
}

/* report: the service figures, per priority, bureau and language. */
static int run_report(struct store *s, const char *name)
{
	(void)name;
	jv rows;
	int rc = story_report(s, cfg.since, cfg.until, clock_now(), &rows);
	if (!rc)
		story_report_print(rows, cfg.out);
	return rc;
}

static int run_escalate(struct store *s, const char *name)
{
	(void)name;
	return cmd_escalate(s);
}

/* A silence record: a table row on a terminal, else NDJSON. Consumes rec. */
static void emit_silence(jv rec, void *ctx)
{
	static const struct table_col cols[] = {
	    {"SILENCE", 24, 0, NULL}, {"STATUS", 0, 0, NULL}, {"ENDS", 0, 0, NULL},
	    {"BY", 16, 0, NULL},      {"MATCH", 40, 0, NULL}, {"REASON", 30, 0, NULL},
	};
	if (!out_format_is_table(cfg.out)) {
		if (jv_is_valid(rec))
			out_jv(rec);
		return;
	}
	if (!cfg.table)
		cfg.table = table_new(cols, (int)(sizeof cols / sizeof cols[0]));
	if (jv_is_valid(rec)) {
		const char *cells[] = {jv_get_str(rec, "id"),      jv_get_str(rec, "status"),
				       jv_get_str(rec, "ends_at"), jv_get_str(rec, "created_by"),
				       jv_get_str(rec, "match"),   jv_get_str(rec, "reason")};
		table_add(cfg.table, cells);
	}
	jv_free(rec);
}

/* silence (set), silence list, silence expire ID. */
static int run_silence(struct store *s, const char *name)
{
	int64_t seq;
	jv rec;
	int rc;
	refuse_unused(name);
	if (!strcmp(name, "list")) {
		emit_silence(jv_invalid(), NULL);
		return silence_list(s, cfg.all, clock_now(), emit_silence, NULL);
	}
	if (!strcmp(name, "silence") && (!cfg.match || !cfg.until))
		errx(CCC_EX_USAGE, "silence: give --match FIELD=VALUE,... and --until TIME");
	if ((rc = store_begin(s)))
		return rc;
	struct rerun again = {0};
	rc = !strcmp(name, "expire") ? silence_expire(s, cfg.args[0], &again, &rec)
				     : silence_add(s, cfg.match, cfg.until, cfg.reason, &rec);
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
	emit_silence(rec, NULL);
	return 0;
}

static const struct subcmd cmds[] = {
    {"silence list", SUBCMD_READ, 0, 0, NULL, 0, run_silence, "the silences"},
    {"silence expire", SUBCMD_WRITE, 1, 1, "ID", 0, run_silence, "end a silence now"},
    {"silence", SUBCMD_WRITE, 0, 0, NULL, 0, run_silence, "hold back escalation pages"},
    {"queue", SUBCMD_READ, 0, 0, NULL, 0, run_queue, "open and taken items"},
    {"take", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_act, "take an item"},
    {"assign", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_act, "give an item to someone"},
    {"note", SUBCMD_WRITE, 2, 2, "ID TEXT", 0, cmd_act, "add a note to an item"},
    {"close", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_act, "close an item"},
    {"reopen", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_act, "open a closed item again"},
    {"escalate", SUBCMD_WRITE, 0, 0, NULL, 0, run_escalate, "raise each overdue item"},
    {"show", SUBCMD_READ, 1, 1, "ID", 0, run_show, "a message's whole story"},
    {"report", SUBCMD_READ, 0, 0, NULL, 0, run_report, "the service report"},
};
#define NCMDS (sizeof cmds / sizeof cmds[0])

/* No command: triage the records in the FILEs or on stdin. */
static const struct subcmd filter = {.name = "",
				     .store = SUBCMD_WRITE,
				     .max_args = -1,
				     .args = "FILE",
				     .files = 1,
				     .run = run_filter};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {
	    {&ccc_batch_argp, 0, NULL, 0}, {&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, prog_doc, children, ccc_exit_help_filter, NULL};
	const struct subcmd *c = &filter;
	int rc, used;

	ccc_opts_init(argc, argv);
	triage_config_init(&cfg.triage);
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	if (subcmd_find(cmds, NCMDS, cfg.nargs, cfg.args, &used)) {
		if ((rc = subcmd_parse(cmds, NCMDS, &cfg.nargs, &cfg.args, &c)))
			return rc;
		cfg.command = c->name;
	} else if ((rc = subcmd_filter_check(cmds, NCMDS, cfg.nargs, cfg.args))) {
		return rc;
	} else {
		forward_inputs(cfg.args, cfg.nargs);
	}
	if (cfg.pending && (cfg.command || cfg.nargs))
		errx(CCC_EX_USAGE, "--pending reads the store: give no %s",
		     cfg.command ? "command" : "FILE");
	if (cfg.rules_path && !(cfg.rules = rules_load(cfg.rules_path)))
		return CCC_EX_CONFIG;
	if (cfg.rules) {
		rules_set_budget(cfg.rules, cfg.rule_time_ms, (size_t)cfg.rule_memory_mib << 20);
		rules_set_stop(cfg.rules, stream_signalled);
	}
	signal(SIGPIPE, SIG_IGN);
	rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	table_free(cfg.table);
	rules_free(cfg.rules);
	buf_free(&cfg.json);
	return out_close(rc);
}
