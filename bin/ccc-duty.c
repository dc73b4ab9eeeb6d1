/*
 * ccc-duty: shifts and rotations per site in each site's time zone, the
 * proof that every minute is covered, who is on duty, the handover brief
 * between shifts, and paging by escalation policy, never twice.
 */
#include <argp.h>
#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/clock.h"
#include "ccc/duty-handover.h"
#include "ccc/duty-page.h"
#include "ccc/duty-store.h"
#include "ccc/duty.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/store.h"
#include "ccc/subcmd.h"
#include "ccc/table.h"

static struct config {
	char **args;
	int nargs;
	const char *site, *zone, *from, *to, *days, *shift, *people, *every, *start, *person,
	    *replaces, *with, *notify, *status;
	const char *steps[16];
	int nsteps;
	long min;
	int min_given;
	struct duty_need need;
	enum out_format out;
} cfg = {.days = "mon-sun", .min = 1};

const char *argp_program_version = "ccc-duty " CCC_VERSION;
static const char doc[] =
    "Shifts and coverage of the operations room: shifts kept per site in the site's own time "
    "zone, rotations of named people, overrides and swaps; the proof that every minute of a "
    "period is covered across the clock changes; who is on duty now and next; the handover "
    "brief from one shift to the next; paging by escalation policy, each page sent once per "
    "step and never twice. Every write is a journal entry, signed and replicated.\v"
    "Commands:\n"
    "  shift add NAME    a site's watch: --site --from HH:MM --to HH:MM [--days] [--min]\n"
    "  shift list        the shifts\n"
    "  shift remove NAME a shift, with its rotations and overrides\n"
    "  rotation add NAME --shift S --people a,b,c --every 1w --start DAY\n"
    "  rotation list     the rotations\n"
    "  rotation remove NAME\n"
    "  override          --shift S --person P --from TIME --to TIME [--replaces Q]\n"
    "  swap              --shift S --person P --with Q --from TIME --to TIME\n"
    "  overrides         the overrides and swaps\n"
    "  role set ROLE     --site SITE --person P (supervisor, site-lead; no --person: none)\n"
    "  role list         the roles\n"
    "  policy add NAME   --step DELAY:TARGET ... (NAME: a priority, p1 ... p4)\n"
    "  policy list       the policies\n"
    "  policy remove NAME\n"
    "  plan load FILE    shifts, rotations, roles, policies from NDJSON (- for stdin)\n"
    "  coverage          [--from DAY --to DAY] [--min N] [--min-at HH-HH:N]: 1 on a gap\n"
    "  now               who is on duty, where, and who is next\n"
    "  at TIME           the same at TIME\n"
    "  handover          [--from SITE] [--to SITE]: the brief, journaled\n"
    "  handover ack ID   the incoming officer takes it\n"
    "  handovers         the briefs given\n"
    "  page              [--notify CMD]: page what is due (for cron)\n"
    "  pages             [--status S]: the pages\n"
    "  ack ITEM          stop the escalation of a queue item\n\n"
    "TIME is RFC 3339 (2027-03-28T01:30:00Z, 2027-03-28T03:30:00+02:00) or a date (its "
    "00:00 UTC). A shift whose --to is not after its --from ends the next day. A page "
    "interrupted between its command and its record is marked unknown and never sent again "
    "(see ccc-duty(1)).\n\n"
    "EXAMPLES\n"
    "  ccc-duty plan load examples/duty-plan.ndjson\n"
    "  ccc-duty coverage --from 2027-01-01 --to 2027-12-31\n"
    "  ccc-duty override --shift lyon-day --person r.roux --replaces a.martin \\\n"
    "      --from 2027-03-29T05:00:00Z --to 2027-03-29T17:00:00Z\n"
    "  ccc-duty handover --to buenos-aires --as c.dubois\n"
    "  ccc-duty handover ack handover-12 --as l.fernandez\n"
    "  ccc-duty policy add p1 --step 0m:duty --step 5m:supervisor \\\n"
    "      --step 15m:site-lead\n"
    "  * * * * * ccc-duty -q page --notify '/usr/local/bin/pager-gateway'";
static const char args_doc[] =
    "shift add|remove NAME\nrotation add|remove NAME\noverride|swap|overrides\nrole set ROLE\n"
    "policy add|remove NAME\nplan load FILE\ncoverage\nnow\nat TIME\nhandover [ack ID]\n"
    "page\nack ITEM";
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_NEGATIVE, "coverage: a gap, or a shift short of its people"},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_DATAERR, "a plan file or a value is malformed, or a name exists with other values"},
    {CCC_EX_NOINPUT, "no such shift, handover, queue item or store"},
    {CCC_EX_UNAVAILABLE, "page: a notify command failed (the page is tried again)"},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_CANTCREAT, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, NULL},
    {CCC_EX_NOPERM, "handover ack by the officer who gave it"},
    CCC_EXIT_END,
};

enum {
	OPT_ZONE = 1,
	OPT_FROM,
	OPT_TO,
	OPT_DAYS,
	OPT_MIN,
	OPT_SHIFT,
	OPT_PEOPLE,
	OPT_EVERY,
	OPT_START,
	OPT_PERSON,
	OPT_REPLACES,
	OPT_WITH,
	OPT_STEP,
	OPT_MIN_AT,
	OPT_NOTIFY,
	OPT_STATUS,
	OPT_FORMAT,
};

static const struct argp_option options[] = {
    {NULL, 0, NULL, 0, "The plan (--site is the common option: the shift's or role's site):", 1},
    {"zone", OPT_ZONE, "TZ", 0, "shift add: the time zone (default: the site's)", 1},
    {"from", OPT_FROM, "WHEN", 0,
     "shift add: HH:MM local; override, swap: TIME; coverage: DAY; handover: the outgoing site", 1},
    {"to", OPT_TO, "WHEN", 0,
     "shift add: HH:MM local; override, swap: TIME; coverage: DAY; handover: the incoming site", 1},
    {"days", OPT_DAYS, "DAYS", 0, "shift add: the days it starts on (default mon-sun)", 1},
    {"min", OPT_MIN, "N", 0, "shift add: the people it needs; coverage: people a minute needs", 1},
    {"shift", OPT_SHIFT, "NAME", 0, "rotation add, override, swap: the shift", 1},
    {"people", OPT_PEOPLE, "A,B,...", 0, "rotation add: the people, in turn", 1},
    {"every", OPT_EVERY, "PERIOD", 0, "rotation add: each one's turn (1w, 3d)", 1},
    {"start", OPT_START, "DAY", 0, "rotation add: the first one's first day", 1},
    {"person", OPT_PERSON, "NAME", 0, "override, swap, role set: the person", 1},
    {"replaces", OPT_REPLACES, "NAME", 0, "override: the person stood in for", 1},
    {"with", OPT_WITH, "NAME", 0, "swap: the other person", 1},
    {"step", OPT_STEP, "DELAY:TARGET", 0,
     "policy add: after DELAY (0m, 5m, 2h) page TARGET (duty or a role); repeatable", 1},
    {NULL, 0, NULL, 0, "Coverage and paging:", 2},
    {"min-at", OPT_MIN_AT, "HH-HH:N", 0,
     "coverage: N people in those UTC hours (e.g. 08-18:2); repeatable", 2},
    {"notify", OPT_NOTIFY, "CMD", 0, "page: the command that pages (the page on its stdin)", 2},
    {"status", OPT_STATUS, "STATUS", 0, "pages: sending, sent, failed or unknown", 2},
    {"format", OPT_FORMAT, "FORMAT", 0, "table or ndjson (default: a table on a terminal)", 2},
    {0},
};

static unsigned char given[256];
static const struct optcheck_use option_users[] = {
    {OPT_ZONE, "shift-add"},
    {OPT_FROM, "shift-add override swap coverage handover"},
    {OPT_TO, "shift-add override swap coverage handover"},
    {OPT_DAYS, "shift-add"},
    {OPT_MIN, "shift-add coverage"},
    {OPT_SHIFT, "rotation-add override swap"},
    {OPT_PEOPLE, "rotation-add"},
    {OPT_EVERY, "rotation-add"},
    {OPT_START, "rotation-add"},
    {OPT_PERSON, "override swap role-set"},
    {OPT_REPLACES, "override"},
    {OPT_WITH, "swap"},
    {OPT_STEP, "policy-add"},
    {OPT_MIN_AT, "coverage"},
    {OPT_NOTIFY, "page"},
    {OPT_STATUS, "pages"},
};

static const char *const statuses[] = {"sending", "sent", "failed", "unknown", NULL};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	char msg[256];
	if (key != OPT_STEP && key != OPT_MIN_AT &&
	    optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	if (key > 0 && key < (int)sizeof given)
		given[key] = 1;
	switch (key) {
	case OPT_ZONE: cfg.zone = arg; break;
	case OPT_FROM: cfg.from = arg; break;
	case OPT_TO: cfg.to = arg; break;
	case OPT_DAYS: {
		unsigned m;
		if (duty_parse_days(arg, &m) < 0)
			argp_error(state, "--days: '%s' is not days such as mon-sun or mon-fri,sun",
				   arg);
		cfg.days = arg;
		break;
	}
	case OPT_MIN:
		if (ccc_parse_long(arg, 0, 1000, &cfg.min) < 0)
			argp_error(state, "--min: '%s' is not a number from 0 to 1000", arg);
		cfg.min_given = 1;
		break;
	case OPT_SHIFT: cfg.shift = arg; break;
	case OPT_PEOPLE: cfg.people = arg; break;
	case OPT_EVERY: {
		int d;
		if (duty_parse_every(arg, &d) < 0)
			argp_error(state, "--every: '%s' is not a period such as 1w or 3d", arg);
		cfg.every = arg;
		break;
	}
	case OPT_START: {
		long d;
		if (duty_parse_day(arg, &d) < 0)
			argp_error(state, "--start: '%s' is not a date YYYY-MM-DD", arg);
		cfg.start = arg;
		break;
	}
	case OPT_PERSON: cfg.person = arg; break;
	case OPT_REPLACES: cfg.replaces = arg; break;
	case OPT_WITH: cfg.with = arg; break;
	case OPT_STEP: {
		long sec;
		char target[80];
		if (duty_parse_step(arg, &sec, target, sizeof target) < 0)
			argp_error(
			    state,
			    "--step: '%s' is not DELAY:TARGET such as 5m:supervisor (a delay "
			    "in s, m or h; a target of a-z, 0-9, - and _)",
			    arg);
		if (cfg.nsteps == (int)(sizeof cfg.steps / sizeof cfg.steps[0]))
			argp_error(state, "--step: at most 16 steps");
		cfg.steps[cfg.nsteps++] = arg;
		break;
	}
	case OPT_MIN_AT:
		if (duty_need_parse(&cfg.need, arg) < 0)
			argp_error(state, "--min-at: '%s' is not HH-HH:N (UTC hours, e.g. 08-18:2)",
				   arg);
		break;
	case OPT_NOTIFY: cfg.notify = arg; break;
	case OPT_STATUS:
		if (optcheck_one("status", arg, statuses, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		cfg.status = arg;
		break;
	case OPT_FORMAT:
		if (out_format_parse(arg, &cfg.out) < 0)
			argp_error(state, "--format: '%s' is not one of table, ndjson", arg);
		break;
	case ARGP_KEY_ARG:
		cfg.args = state->argv + state->next - 1;
		cfg.nargs = state->argc - state->next + 1;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "a command is needed: shift, rotation, override, swap, role, "
				  "policy, plan, coverage, now, at, handover, page, ack ...");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* ---- helpers ---- */

/* A write of its own: begin, fn, commit; the rerun note when done. */
static int in_tx(struct store *s, int (*fn)(struct store *, void *), void *ctx)
{
	int rc = store_begin(s);
	if (rc)
		return rc;
	if ((rc = fn(s, ctx))) {
		store_rollback(s);
		return rc;
	}
	int64_t seq;
	return store_commit(s, &seq);
}

static int need_opt(const char *cmd, const char *v, const char *opt)
{
	if (v)
		return 0;
	warnx("%s: --%s is needed", cmd, opt);
	return CCC_EX_USAGE;
}

static int need_name(const char *cmd, const char *name)
{
	if (duty_name_ok(name))
		return 0;
	warnx("%s: '%s' is not a name (1-64 of a-z, 0-9, - and _)", cmd, name);
	return CCC_EX_USAGE;
}

/* TIME: RFC 3339, or a date (its 00:00 UTC). */
static int parse_time(const char *cmd, const char *opt, const char *v, time_t *out)
{
	long d;
	if (clock_parse(v, out) == 0)
		return 0;
	if (duty_parse_day(v, &d) == 0) {
		*out = (time_t)d * 86400;
		return 0;
	}
	warnx("%s: %s '%s' is not an RFC 3339 time or a date YYYY-MM-DD", cmd, opt, v);
	return CCC_EX_USAGE;
}

static void said_done(int done, const char *fmt, const char *what)
{
	if (done && !ccc_opts.quiet)
		warnx(fmt, what);
}

static void print_list(const struct table_col *cols, int ncols, jv list)
{
	table_print_records(cols, ncols, list, cfg.out);
}

/* ---- the plan ---- */

static int do_shift_add(struct store *s, void *ctx)
{
	struct duty_shift_in *in = ctx;
	int done, rc = duty_shift_add(s, in, 0, &done);
	said_done(done, "shift '%s' is there already: nothing to do", in->name);
	return rc;
}

static int run_shift(struct store *s, const char *name)
{
	if (!strcmp(name, "list")) {
		static const struct table_col cols[] = {
		    {"NAME", 24, 0, NULL}, {"SITE", 14, 0, NULL}, {"ZONE", 32, 0, "time_zone"},
		    {"FROM", 5, 0, NULL},  {"TO", 5, 0, NULL},    {"DAYS", 16, 0, NULL},
		    {"MIN", 3, 1, NULL},
		};
		jv list;
		int rc = duty_list(s, "shifts", NULL, &list);
		if (!rc)
			print_list(cols, 7, list);
		return rc;
	}
	int rc;
	if ((rc = need_name("shift", cfg.args[0])))
		return rc;
	if (!strcmp(name, "remove")) {
		int done;
		rc = store_begin(s);
		if (!rc && (rc = duty_shift_remove(s, cfg.args[0], &done)))
			store_rollback(s);
		int64_t seq;
		if (!rc)
			rc = store_commit(s, &seq);
		if (!rc && done) {
			warnx("shift remove: no shift '%s'", cfg.args[0]);
			return CCC_EX_NOINPUT;
		}
		return rc;
	}
	struct duty_shift_in in = {.name = cfg.args[0], .zone = cfg.zone, .min = (int)cfg.min};
	in.site = cfg.site;
	if ((rc = need_opt("shift add", cfg.site, "site")) ||
	    (rc = need_opt("shift add", cfg.from, "from")) ||
	    (rc = need_opt("shift add", cfg.to, "to")))
		return rc;
	if (!ccc_site_name_ok(cfg.site)) {
		warnx("shift add: --site '%s' is not a site name", cfg.site);
		return CCC_EX_USAGE;
	}
	if (duty_parse_hhmm(cfg.from, &in.from) < 0 || in.from == 1440 ||
	    duty_parse_hhmm(cfg.to, &in.to) < 0) {
		warnx("shift add: --from and --to are local times HH:MM (00:00 to 24:00)");
		return CCC_EX_USAGE;
	}
	duty_parse_days(cfg.days, &in.days);
	return in_tx(s, do_shift_add, &in);
}

struct rotation_args {
	const char *name;
	int every;
	jv people;
};

static int do_rotation_add(struct store *s, void *ctx)
{
	struct rotation_args *a = ctx;
	int done, rc = duty_rotation_add(s, a->name, cfg.shift, jv_copy(a->people), a->every,
					 cfg.start, 0, &done);
	said_done(done, "rotation '%s' is there already: nothing to do", a->name);
	return rc;
}

static int do_rotation_remove(struct store *s, void *ctx)
{
	int done, rc = duty_rotation_remove(s, ctx, &done);
	if (!rc && done) {
		warnx("rotation remove: no rotation '%s'", (const char *)ctx);
		return CCC_EX_NOINPUT;
	}
	return rc;
}

static int run_rotation(struct store *s, const char *name)
{
	if (!strcmp(name, "list")) {
		static const struct table_col cols[] = {
		    {"NAME", 24, 0, NULL}, {"SHIFT", 24, 0, NULL}, {"PEOPLE", 60, 0, NULL},
		    {"EVERY", 5, 0, NULL}, {"START", 10, 0, NULL},
		};
		jv list;
		int rc = duty_list(s, "rotations", NULL, &list);
		if (!rc)
			print_list(cols, 5, list);
		return rc;
	}
	int rc;
	if ((rc = need_name("rotation", cfg.args[0])))
		return rc;
	if (!strcmp(name, "remove"))
		return in_tx(s, do_rotation_remove, cfg.args[0]);
	if ((rc = need_opt("rotation add", cfg.shift, "shift")) ||
	    (rc = need_opt("rotation add", cfg.people, "people")) ||
	    (rc = need_opt("rotation add", cfg.every, "every")) ||
	    (rc = need_opt("rotation add", cfg.start, "start")))
		return rc;
	struct rotation_args a = {.name = cfg.args[0], .people = jv_array()};
	duty_parse_every(cfg.every, &a.every);
	char *copy = strdup(cfg.people), *save = NULL;
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save))
		if (*p)
			a.people = jv_array_append(a.people, jv_string(p));
	free(copy);
	if (jv_array_length(jv_copy(a.people)) == 0) {
		jv_free(a.people);
		warnx("rotation add: --people names nobody");
		return CCC_EX_USAGE;
	}
	rc = in_tx(s, do_rotation_add, &a);
	jv_free(a.people);
	return rc;
}

struct override_args {
	const char *kind, *other;
	time_t from, to;
	int done;
	jv out;
};

static int do_override(struct store *s, void *ctx)
{
	struct override_args *a = ctx;
	return duty_override_add(s, a->kind, cfg.shift, cfg.person, a->other, a->from, a->to,
				 &a->done, &a->out);
}

static const struct table_col override_cols[] = {
    {"ID", 14, 0, NULL},     {"KIND", 8, 0, NULL},      {"SHIFT", 20, 0, NULL},
    {"PERSON", 16, 0, NULL}, {"REPLACES", 16, 0, NULL}, {"WITH", 16, 0, NULL},
    {"FROM", 20, 0, NULL},   {"TO", 20, 0, NULL},
};

static int run_override(struct store *s, const char *name)
{
	int swap = !strcmp(name, "swap"), rc;
	struct override_args a = {.kind = swap ? "swap" : "override",
				  .other = swap ? cfg.with : cfg.replaces};
	if ((rc = need_opt(name, cfg.shift, "shift")) ||
	    (rc = need_opt(name, cfg.person, "person")) ||
	    (swap && (rc = need_opt(name, cfg.with, "with"))) ||
	    (rc = need_opt(name, cfg.from, "from")) || (rc = need_opt(name, cfg.to, "to")) ||
	    (rc = parse_time(name, "--from", cfg.from, &a.from)) ||
	    (rc = parse_time(name, "--to", cfg.to, &a.to)))
		return rc;
	if (a.to <= a.from) {
		warnx("%s: --to must be after --from", name);
		return CCC_EX_USAGE;
	}
	if (a.other && !strcmp(a.other, cfg.person)) {
		warnx("%s: a person cannot stand in for themselves", name);
		return CCC_EX_USAGE;
	}
	if ((rc = in_tx(s, do_override, &a)))
		return rc;
	said_done(a.done, "%s is there already: nothing to do", jv_get_str(a.out, "id"));
	print_list(override_cols, 8, JV_ARRAY(a.out));
	return 0;
}

static int run_overrides(struct store *s, const char *name)
{
	(void)name;
	jv list;
	int rc = duty_list(s, "overrides", NULL, &list);
	if (!rc)
		print_list(override_cols, 8, list);
	return rc;
}

static int do_role(struct store *s, void *ctx)
{
	int done, rc = duty_role_set(s, ctx, cfg.site, cfg.person, &done);
	said_done(done, "role '%s' is so already: nothing to do", ctx);
	return rc;
}

static int run_role(struct store *s, const char *name)
{
	if (!strcmp(name, "list")) {
		static const struct table_col cols[] = {
		    {"SITE", 16, 0, NULL}, {"ROLE", 16, 0, NULL}, {"PERSON", 24, 0, NULL}};
		jv list;
		int rc = duty_list(s, "roles", NULL, &list);
		if (!rc)
			print_list(cols, 3, list);
		return rc;
	}
	int rc;
	if ((rc = need_name("role set", cfg.args[0])) ||
	    (rc = need_opt("role set", cfg.site, "site")))
		return rc;
	return in_tx(s, do_role, cfg.args[0]);
}

/* The policy's steps as text: "0m:duty 5m:supervisor". */
static jv steps_text(jv policy)
{
	jv steps = jv_object_get(jv_copy(policy), jv_string("steps"));
	struct buf b = {0};
	if (jv_get_kind(steps) == JV_KIND_ARRAY) {
		jv_array_foreach (steps, i, e) {
			jv a = jv_object_get(jv_copy(e), jv_string("after"));
			char one[128];
			long sec = jv_get_kind(a) == JV_KIND_NUMBER ? (long)jv_number_value(a) : 0;
			snprintf(one, sizeof one, "%s%ld%s:%s", b.len ? " " : "",
				 sec % 60     ? sec
				 : sec % 3600 ? sec / 60
					      : sec / 3600,
				 sec % 60             ? "s"
				 : sec % 3600 || !sec ? "m"
						      : "h",
				 jv_get_str(e, "target") ? jv_get_str(e, "target") : "?");
			buf_adds(&b, one);
			jv_free(a);
			jv_free(e);
		}
	}
	jv_free(steps);
	buf_addc(&b, '\0');
	jv r = jv_object_set(policy, jv_string("steps_text"), jv_string(b.p));
	buf_free(&b);
	return r;
}

struct policy_args {
	const char *name;
	jv steps;
};

static int do_policy(struct store *s, void *ctx)
{
	struct policy_args *a = ctx;
	int done, rc = duty_policy_add(s, a->name, jv_copy(a->steps), 0, &done);
	said_done(done, "policy '%s' is there already: nothing to do", a->name);
	return rc;
}

static int do_policy_remove(struct store *s, void *ctx)
{
	int done, rc = duty_policy_remove(s, ctx, &done);
	if (!rc && done) {
		warnx("policy remove: no policy '%s'", (const char *)ctx);
		return CCC_EX_NOINPUT;
	}
	return rc;
}

static int run_policy(struct store *s, const char *name)
{
	if (!strcmp(name, "list")) {
		static const struct table_col cols[] = {{"NAME", 16, 0, NULL},
							{"STEPS", 80, 0, "steps_text"}};
		jv list;
		int rc = duty_list(s, "policies", NULL, &list);
		if (rc)
			return rc;
		if (out_format_is_table(cfg.out)) {
			jv t = jv_array();
			jv_array_foreach (list, i, p) {
				t = jv_array_append(t, steps_text(p));
			}
			jv_free(list);
			list = t;
		}
		print_list(cols, 2, list);
		return 0;
	}
	int rc;
	if ((rc = need_name("policy", cfg.args[0])))
		return rc;
	if (!strcmp(name, "remove"))
		return in_tx(s, do_policy_remove, cfg.args[0]);
	if (!cfg.nsteps) {
		warnx("policy add: at least one --step is needed");
		return CCC_EX_USAGE;
	}
	struct policy_args a = {.name = cfg.args[0], .steps = jv_array()};
	long last = -1;
	for (int i = 0; i < cfg.nsteps; i++) {
		long sec;
		char target[80];
		duty_parse_step(cfg.steps[i], &sec, target, sizeof target);
		if (sec < last) {
			jv_free(a.steps);
			warnx("policy add: --step '%s' comes before the step above it: give the "
			      "steps "
			      "in order",
			      cfg.steps[i]);
			return CCC_EX_USAGE;
		}
		last = sec;
		a.steps =
		    jv_array_append(a.steps, JV_OBJECT(jv_string("after"), jv_number((double)sec),
						       jv_string("target"), jv_string(target)));
	}
	rc = in_tx(s, do_policy, &a);
	jv_free(a.steps);
	return rc;
}

struct plan_args {
	int fd;
	const char *file;
	long count;
};

static int do_plan(struct store *s, void *ctx)
{
	struct plan_args *a = ctx;
	return duty_plan_read(s, a->fd, a->file, ccc_opts.max_line, &a->count);
}

static int run_plan(struct store *s, const char *name)
{
	(void)name;
	struct plan_args a = {.file = cfg.args[0]};
	if (!strcmp(a.file, "-")) {
		a.fd = 0;
		a.file = "stdin";
	} else if ((a.fd = open(a.file, O_RDONLY | O_CLOEXEC)) < 0) {
		warn("plan load: cannot open '%s'", a.file);
		return CCC_EX_NOINPUT;
	}
	int rc = in_tx(s, do_plan, &a);
	if (a.fd > 0)
		close(a.fd);
	if (!rc && !ccc_opts.quiet)
		warnx("plan load: %ld records from '%s'", a.count, a.file);
	return rc;
}

/* ---- coverage, now, at ---- */

static void print_gaps(jv gaps)
{
	static const struct table_col cols[] = {
	    {"KIND", 5, 0, NULL},    {"FROM (UTC)", 20, 0, NULL}, {"TO (UTC)", 20, 0, NULL},
	    {"MINUTES", 7, 1, NULL}, {"NEED", 4, 1, NULL},        {"HAVE", 4, 1, NULL},
	    {"SHIFT", 16, 0, NULL},  {"LOCAL", 0, 0, NULL},
	};
	struct table *t = table_new(cols, 8);
	jv_array_foreach (gaps, i, g) {
		struct buf b = {0};
		jv local = jv_object_get(jv_copy(g), jv_string("local"));
		jv_array_foreach (local, k, l) {
			buf_adds(&b, k ? "; " : "");
			buf_adds(&b, jv_get_str(l, "site"));
			buf_adds(&b, " ");
			buf_adds(&b, jv_get_str(l, "from"));
			buf_adds(&b, " to ");
			buf_adds(&b, jv_get_str(l, "to"));
			jv_free(l);
		}
		jv_free(local);
		buf_addc(&b, '\0');
		char mins[24], need[16], have[16];
		jv x = jv_object_get(jv_copy(g), jv_string("minutes"));
		snprintf(mins, sizeof mins, "%.0f", jv_number_value(x));
		jv_free(x);
		x = jv_object_get(jv_copy(g), jv_string("need"));
		snprintf(need, sizeof need, "%.0f", jv_number_value(x));
		jv_free(x);
		x = jv_object_get(jv_copy(g), jv_string("have"));
		snprintf(have, sizeof have, "%.0f", jv_number_value(x));
		jv_free(x);
		const char *cells[] = {jv_get_str(g, "kind"),
				       jv_get_str(g, "from"),
				       jv_get_str(g, "to"),
				       mins,
				       need,
				       have,
				       jv_get_str(g, "shift"),
				       b.p};
		table_add(t, cells);
		buf_free(&b);
		jv_free(g);
	}
	jv_free(gaps);
	table_free(t);
}

static int run_coverage(struct store *s, const char *name)
{
	(void)name;
	time_t now = clock_now(), from = now - now % 86400, to;
	long d;
	if (cfg.from) {
		if (duty_parse_day(cfg.from, &d) < 0) {
			warnx("coverage: --from '%s' is not a date YYYY-MM-DD", cfg.from);
			return CCC_EX_USAGE;
		}
		from = (time_t)d * 86400;
	}
	to = from + 7 * 86400;
	if (cfg.to) {
		if (duty_parse_day(cfg.to, &d) < 0) {
			warnx("coverage: --to '%s' is not a date YYYY-MM-DD", cfg.to);
			return CCC_EX_USAGE;
		}
		to = ((time_t)d + 1) * 86400; /* through that whole day */
	}
	if (to <= from || to - from > 3660L * 86400) {
		warnx("coverage: --to must be on or after --from, at most ten years on");
		return CCC_EX_USAGE;
	}
	struct duty_need need = cfg.need;
	for (int h = 0; h < 24; h++)
		if (need.need[h] < cfg.min)
			need.need[h] = (int)cfg.min;
	struct duty_plan *p;
	int rc = duty_plan_load(s, &p);
	if (rc)
		return rc;
	jv gaps;
	long covered;
	duty_coverage(p, from, to, &need, &gaps, &covered);
	size_t nshift = duty_plan_shifts(p);
	duty_plan_free(p);
	int n = jv_array_length(jv_copy(gaps));
	char a[RFC3339_LEN], b[RFC3339_LEN];
	clock_format(from, a);
	clock_format(to, b);
	jv sum = JV_OBJECT(jv_string("type"), jv_string("coverage"), jv_string("v"), jv_number(1),
			   jv_string("from"), jv_string(a), jv_string("to"), jv_string(b));
	sum = jv_object_set(sum, jv_string("minutes"), jv_number((double)((to - from) / 60)));
	sum = jv_object_set(sum, jv_string("covered"), jv_number((double)covered));
	sum = jv_object_set(sum, jv_string("shifts"), jv_number((double)nshift));
	sum = jv_object_set(sum, jv_string("gaps"), jv_number(n));
	if (out_format_is_table(cfg.out)) {
		if (n)
			print_gaps(gaps);
		else
			jv_free(gaps);
		char line[256];
		snprintf(line, sizeof line, "%s to %s: %ld of %ld minutes covered, %d %s", a, b,
			 covered, (long)((to - from) / 60), n, n == 1 ? "gap" : "gaps");
		out_line(line, strlen(line));
		jv_free(sum);
	} else {
		jv_array_foreach (gaps, i, g) {
			out_jv(g);
		}
		jv_free(gaps);
		out_jv(sum);
	}
	if (!nshift && !ccc_opts.quiet)
		warnx("coverage: the plan has no shift (plan load FILE, or shift add)");
	return n ? CCC_EX_NEGATIVE : 0;
}

/* A record's people as "a, b" for a table. */
static jv people_text(jv r)
{
	jv a = jv_object_get(jv_copy(r), jv_string("people"));
	struct buf b = {0};
	if (jv_get_kind(a) == JV_KIND_ARRAY) {
		jv_array_foreach (a, i, e) {
			buf_adds(&b, i ? ", " : "");
			if (jv_get_kind(e) == JV_KIND_STRING)
				buf_adds(&b, jv_string_value(e));
			jv_free(e);
		}
	}
	jv_free(a);
	buf_addc(&b, '\0');
	r = jv_object_set(r, jv_string("people"), jv_string(b.p));
	buf_free(&b);
	return r;
}

static int run_at(struct store *s, const char *name)
{
	time_t t = clock_now();
	int rc;
	if (!strcmp(name, "at") && (rc = parse_time("at", "TIME", cfg.args[0], &t)))
		return rc;
	struct duty_plan *p;
	if ((rc = duty_plan_load(s, &p)))
		return rc;
	jv list;
	duty_on_at(p, t, &list);
	duty_plan_free(p);
	static const struct table_col cols[] = {
	    {"STATE", 5, 0, NULL},
	    {"SITE", 14, 0, NULL},
	    {"SHIFT", 20, 0, NULL},
	    {"FROM (LOCAL)", 22, 0, "local_from"},
	    {"TO (LOCAL)", 22, 0, "local_to"},
	    {"PEOPLE", 40, 0, NULL},
	    {"SUPERVISOR", 16, 0, NULL},
	    {"SITE LEAD", 16, 0, NULL},
	};
	if (!jv_array_length(jv_copy(list)) && !ccc_opts.quiet)
		warnx("%s: nobody is on duty and no shift is planned", name);
	if (out_format_is_table(cfg.out)) {
		jv rows = jv_array();
		jv_array_foreach (list, i, r) {
			rows = jv_array_append(rows, people_text(r));
		}
		jv_free(list);
		list = rows;
	}
	print_list(cols, 8, list);
	return 0;
}

/* ---- handover ---- */

static void text_items(struct buf *b, jv brief, const char *key, const char *title)
{
	jv a = jv_object_get(jv_copy(brief), jv_string(key));
	if (!jv_is_valid(a)) {
		jv_free(a);
		return;
	}
	char line[512];
	snprintf(line, sizeof line, "\n%s (%d)\n", title, jv_array_length(jv_copy(a)));
	buf_adds(b, line);
	jv_array_foreach (a, i, x) {
		const char *id = jv_get_str(x, "id");
		if (!strcmp(key, "open") || !strcmp(key, "overdue"))
			snprintf(line, sizeof line, "  %-22s %-3s due %s  %s%s%s\n", id,
				 jv_get_str(x, "priority"), jv_get_str(x, "due_at"),
				 jv_get_str(x, "status"), jv_get_str(x, "assignee") ? " by " : "",
				 jv_get_str(x, "assignee") ? jv_get_str(x, "assignee") : "");
		else if (!strcmp(key, "cases"))
			snprintf(line, sizeof line, "  %-22s %s  next deadline %s%s%s\n", id,
				 jv_get_str(x, "title") ? jv_get_str(x, "title") : "",
				 jv_get_str(x, "next_deadline") ? jv_get_str(x, "next_deadline")
								: "none",
				 jv_get_str(x, "next_task") ? ": " : "",
				 jv_get_str(x, "next_task") ? jv_get_str(x, "next_task") : "");
		else if (!strcmp(key, "teams"))
			snprintf(line, sizeof line, "  %-22s %s %s to %s\n", id,
				 jv_get_str(x, "status"), jv_get_str(x, "starts_at"),
				 jv_get_str(x, "ends_at"));
		else if (!strcmp(key, "sites")) {
			jv ep = jv_object_get(jv_copy(x), jv_string("epoch"));
			snprintf(line, sizeof line, "  %-14s %-8s epoch %.0f  heartbeat %s\n",
				 jv_get_str(x, "site"), jv_get_str(x, "role"),
				 jv_get_kind(ep) == JV_KIND_NUMBER ? jv_number_value(ep) : 0,
				 jv_get_str(x, "heartbeat") ? jv_get_str(x, "heartbeat") : "-");
			jv_free(ep);
		} else if (!strcmp(key, "notices"))
			snprintf(line, sizeof line, "  %-22s %s %s at %s\n", id,
				 jv_get_str(x, "kind") ? jv_get_str(x, "kind") : "",
				 jv_get_str(x, "control") ? jv_get_str(x, "control") : "",
				 jv_get_str(x, "at"));
		else {
			struct buf j = {0};
			json_write(&j, x);
			buf_addc(&j, '\0');
			snprintf(line, sizeof line, "  %s\n", j.p);
			buf_free(&j);
		}
		buf_adds(b, line);
		jv_free(x);
	}
	jv_free(a);
}

static void print_handover(jv brief)
{
	if (!out_format_is_table(cfg.out)) {
		out_jv(brief);
		return;
	}
	struct buf b = {0};
	char head[512];
	snprintf(head, sizeof head, "%s: %s to %s at %s, by %s (shift since %s)%s%s\n",
		 jv_get_str(brief, "id"),
		 jv_get_str(brief, "from_site") ? jv_get_str(brief, "from_site") : "?",
		 jv_get_str(brief, "to_site") ? jv_get_str(brief, "to_site") : "?",
		 jv_get_str(brief, "at"), jv_get_str(brief, "by"), jv_get_str(brief, "since"),
		 jv_get_str(brief, "acked_by") ? "; taken by " : "",
		 jv_get_str(brief, "acked_by") ? jv_get_str(brief, "acked_by") : "");
	buf_adds(&b, head);
	text_items(&b, brief, "overdue", "Overdue items");
	text_items(&b, brief, "open", "Open items, by due time");
	text_items(&b, brief, "cases", "Open cases");
	text_items(&b, brief, "teams", "Teams in the field");
	text_items(&b, brief, "sites", "Sites");
	text_items(&b, brief, "silences", "Silences in force");
	text_items(&b, brief, "notices", "Notices published during the shift");
	out_write(b.p, b.len);
	buf_free(&b);
	jv_free(brief);
}

struct handover_args {
	const char *from, *to;
	time_t since, now;
	jv out;
	int done;
};

static int do_handover(struct store *s, void *ctx)
{
	struct handover_args *a = ctx;
	return duty_handover_write(s, a->from, a->to, a->since, a->now, &a->out);
}

static int do_handover_ack(struct store *s, void *ctx)
{
	struct handover_args *a = ctx;
	return duty_handover_ack(s, cfg.args[0], &a->done, &a->out);
}

static int run_handover(struct store *s, const char *name)
{
	struct handover_args a = {.now = clock_now()};
	int rc;
	if (!strcmp(name, "ack")) {
		if ((rc = in_tx(s, do_handover_ack, &a)))
			return rc;
		said_done(a.done, "handover '%s' was taken already", cfg.args[0]);
		print_handover(a.out);
		return 0;
	}
	struct duty_plan *p;
	if ((rc = duty_plan_load(s, &p)))
		return rc;
	const char *out_site, *in_site;
	duty_sites_at(p, a.now, &out_site, &in_site, &a.since);
	a.from = cfg.from ? cfg.from : out_site;
	a.to = cfg.to ? cfg.to : in_site;
	rc = in_tx(s, do_handover, &a);
	duty_plan_free(p);
	if (!rc)
		print_handover(a.out);
	return rc;
}

static int run_handovers(struct store *s, const char *name)
{
	(void)name;
	static const struct table_col cols[] = {
	    {"ID", 14, 0, NULL},      {"AT", 20, 0, NULL}, {"FROM", 14, 0, "from_site"},
	    {"TO", 14, 0, "to_site"}, {"BY", 16, 0, NULL}, {"TAKEN BY", 16, 0, "acked_by"},
	};
	jv list;
	int rc = duty_list(s, "handovers", NULL, &list);
	if (!rc)
		print_list(cols, 6, list);
	return rc;
}

/* ---- paging ---- */

static const struct table_col page_cols[] = {
    {"ID", 30, 0, NULL},     {"ITEM", 22, 0, NULL},  {"STEP", 4, 1, NULL}, {"TARGET", 12, 0, NULL},
    {"PEOPLE", 30, 0, NULL}, {"STATUS", 8, 0, NULL}, {"AT", 20, 0, NULL},
};

static int run_page(struct store *s, const char *name)
{
	(void)name;
	struct duty_pager p = {.notify = cfg.notify, .verbose = ccc_opts.verbose};
	struct duty_page_counts n;
	jv pages;
	int rc = duty_page_run(s, &p, &n, &pages);
	if (cfg.notify && out_format_is_table(cfg.out)) {
		jv t = jv_array();
		jv_array_foreach (pages, i, r) {
			t = jv_array_append(t, people_text(r));
		}
		jv_free(pages);
		pages = t;
	}
	if (cfg.notify && !ccc_opts.quiet && jv_array_length(jv_copy(pages)) > 0)
		print_list(page_cols, 7, pages);
	else
		jv_free(pages); /* none, -q (cron), or they went to stdout */
	if (n.standby && ccc_opts.verbose)
		warnx("page: site '%s' is not the primary; nothing to page", store_site(s));
	else if (ccc_opts.verbose || (!ccc_opts.quiet && (n.failed || n.unknown)))
		warnx("page: %ld sent, %ld failed, %ld unknown", n.sent, n.failed, n.unknown);
	return rc;
}

static int run_pages(struct store *s, const char *name)
{
	(void)name;
	jv list;
	int rc = duty_list(s, "pages", cfg.status, &list);
	if (rc)
		return rc;
	if (out_format_is_table(cfg.out)) {
		jv t = jv_array();
		jv_array_foreach (list, i, r) {
			t = jv_array_append(t, people_text(r));
		}
		jv_free(list);
		list = t;
	}
	print_list(page_cols, 7, list);
	return 0;
}

struct ack_args {
	int done;
	jv out;
};

static int do_ack(struct store *s, void *ctx)
{
	struct ack_args *a = ctx;
	return duty_page_ack(s, cfg.args[0], &a->done, &a->out);
}

static int run_ack(struct store *s, const char *name)
{
	(void)name;
	struct ack_args a = {0};
	int rc = in_tx(s, do_ack, &a);
	if (rc)
		return rc;
	said_done(a.done, "item '%s' was acknowledged already", cfg.args[0]);
	static const struct table_col cols[] = {
	    {"ITEM", 24, 0, "id"}, {"BY", 16, 0, NULL}, {"AT", 20, 0, NULL}};
	print_list(cols, 3, JV_ARRAY(a.out));
	return 0;
}

static const struct subcmd cmds[] = {
    {"shift add", SUBCMD_WRITE, 1, 1, "NAME", 0, run_shift, "a site's watch in local time"},
    {"shift list", SUBCMD_READ, 0, 0, NULL, 0, run_shift, "the shifts"},
    {"shift remove", SUBCMD_WRITE, 1, 1, "NAME", 0, run_shift, "remove a shift"},
    {"rotation add", SUBCMD_WRITE, 1, 1, "NAME", 0, run_rotation, "people in turn on a shift"},
    {"rotation list", SUBCMD_READ, 0, 0, NULL, 0, run_rotation, "the rotations"},
    {"rotation remove", SUBCMD_WRITE, 1, 1, "NAME", 0, run_rotation, "remove a rotation"},
    {"override", SUBCMD_WRITE, 0, 0, NULL, 0, run_override, "a person on a shift for a while"},
    {"swap", SUBCMD_WRITE, 0, 0, NULL, 0, run_override, "two people exchange their duty"},
    {"overrides", SUBCMD_READ, 0, 0, NULL, 0, run_overrides, "the overrides and swaps"},
    {"role set", SUBCMD_WRITE, 1, 1, "ROLE", 0, run_role, "a site's supervisor or lead"},
    {"role list", SUBCMD_READ, 0, 0, NULL, 0, run_role, "the roles"},
    {"policy add", SUBCMD_WRITE, 1, 1, "NAME", 0, run_policy, "an escalation policy"},
    {"policy list", SUBCMD_READ, 0, 0, NULL, 0, run_policy, "the policies"},
    {"policy remove", SUBCMD_WRITE, 1, 1, "NAME", 0, run_policy, "remove a policy"},
    {"plan load", SUBCMD_WRITE, 1, 1, "FILE", 1, run_plan, "a plan from NDJSON"},
    {"coverage", SUBCMD_READ, 0, 0, NULL, 0, run_coverage, "prove every minute covered"},
    {"now", SUBCMD_READ, 0, 0, NULL, 0, run_at, "who is on duty now, and next"},
    {"at", SUBCMD_READ, 1, 1, "TIME", 0, run_at, "who is on duty then, and next"},
    {"handover ack", SUBCMD_WRITE, 1, 1, "ID", 0, run_handover, "take a handover"},
    {"handover", SUBCMD_WRITE, 0, 0, NULL, 0, run_handover, "the brief to the next shift"},
    {"handovers", SUBCMD_READ, 0, 0, NULL, 0, run_handovers, "the briefs given"},
    {"page", SUBCMD_WRITE_HERE, 0, 0, NULL, 0, run_page, "page what is due"},
    {"pages", SUBCMD_READ, 0, 0, NULL, 0, run_pages, "the pages"},
    {"ack", SUBCMD_WRITE, 1, 1, "ITEM", 0, run_ack, "stop an item's escalation"},
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
	if ((rc = optcheck_refuse_unused(options, given, sizeof given, option_users,
					 sizeof option_users / sizeof option_users[0], c->name)))
		return rc;
	/* --site names the shift's or role's site there, not the store's */
	if (!strcmp(c->name, "shift add") || !strcmp(c->name, "role set")) {
		cfg.site = ccc_opts.site;
		ccc_opts.site = NULL;
	}
	signal(SIGPIPE, SIG_IGN);
	rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	return out_close(rc);
}
