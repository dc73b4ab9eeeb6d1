/*
 * ccc-deploy: the staff roster, team planning for IRT and IMEST, the life of a
 * deployment, its field-check report, and the 24-hour watch across the sites.
 * The rules live in lib/deploy-*.c; this file reads options and prints.
 */
#include <argp.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/deploy-import.h"
#include "ccc/deploy-lifecycle.h"
#include "ccc/deploy-plan.h"
#include "ccc/deploy-report.h"
#include "ccc/deploy-roster.h"
#include "ccc/deploy-rota.h"
#include "ccc/deploy-tables.h"
#include "ccc/duty-rota.h"
#include "ccc/duty.h"
#include "ccc/exit.h"
#include "ccc/lag-report.h"
#include "ccc/ndjson.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/store.h"
#include "ccc/stream.h"
#include "ccc/subcmd.h"
#include "ccc/table.h"
#include "ccc/training-catalog.h"
#include "ccc/training-session.h"

static struct config {
	char **args;
	int nargs;
	struct deploy_staff_change staff; /* staff add, update; list: home, skills */
	struct deploy_ask ask;            /* plan; extend: to */
	const char *reason, *date, *at, *hours;
	const char *valid, *title, *site, *trainer, *result, *ncb, *within;
	int all;
	enum out_format format;
	enum deploy_input input;
} cfg = {.ask.size = 6};

const char *argp_program_version = "ccc-deploy " CCC_VERSION;
static const char prog_doc[] =
    "The staff roster (skills, languages, trainings and their expiry), team planning "
    "for Incident Response Teams (IRT) and Major Event Support Teams (IMEST), the "
    "life of a deployment, its field-check report, and the 24-hour watch across the "
    "sites. On a terminal a listing is a table; on a pipe, NDJSON (--format).\v"
    "Commands:\n"
    "  staff add ID    add a member (name, home site, languages, skills,\n"
    "                  trainings, passport, unavailability: options under Staff)\n"
    "  staff import    add or replace members from NDJSON or CSV FILEs or stdin\n"
    "  staff update ID change a member (the same options)\n"
    "  staff list      the roster (--home, --skill)\n"
    "  staff show ID   one member, with deployments and training status\n"
    "  plan            propose a team (options under Planning)\n"
    "  approve PLAN    make the plan a deployment, re-checking every member\n"
    "  start ID        the team is on its way\n"
    "  extend ID       move the end (--to), re-checking every member\n"
    "  end ID          the team is back (--reason)\n"
    "  recall ID       withdraw the team early (--reason)\n"
    "  status [ID]     deployments under way (--all: every one)\n"
    "  report ID       field checks per day, database and member; duration\n"
    "  rota            the watch of a UTC day from the duty plan of ccc-duty:\n"
    "                  who is on each shift, the gaps (exit 1); --date, --at;\n"
    "                  no plan loaded: exit 78, or --hours for office hours\n"
    "  course add NAME add a course to the catalogue, or change it (--valid,\n"
    "                  --title, --for: the kinds of team that need it)\n"
    "  course list     the course catalogue\n"
    "  course remove NAME  a course that nobody holds\n"
    "  skill add NAME  add a skill to the catalogue, or change it (--title)\n"
    "  skill list      the skills catalogue\n"
    "  skill remove NAME  a skill that nobody holds\n"
    "  session add COURSE  a training session (--date, --site, --trainer)\n"
    "  session list [ID]   sessions and who attended\n"
    "  attend SESSION PERSON...  results (--result passed|failed; --ncb, --name\n"
    "                  for an officer of a bureau who is not on the roster)\n"
    "  training due    who must be retrained, by site, and the refresher plan\n"
    "                  (--within, default 90d; exit 1 when someone is due)\n\n"
    "A team member must hold the courses the catalogue names for the kind of team "
    "(irt_readiness, imest_readiness as shipped) valid to the end, be available and on no other "
    "deployment for "
    "the whole period, and hold a passport valid six months past the end; a team has "
    "a team lead. The best team covers the most needs, then the most official "
    "languages of the country, then has the fewest members, then the least recently "
    "deployed staff. The search is exact and deterministic.\n\n"
    "EXAMPLES\n"
    "  ccc-deploy staff import roster.csv\n"
    "  ccc-deploy staff import --input-format csv <roster.txt\n"
    "  ccc-deploy staff add s-0042 --name 'Amina Haddad' --home lyon \\\n"
    "      --lang ar:native,fr:C1 --skill forensics,team_lead \\\n"
    "      --training irt_readiness:2027-05-01 --passport 2031-02-28\n"
    "  ccc-deploy plan --kind irt --for msg-lyon-1042 --country MA \\\n"
    "      --from 2026-12-01 --to 2026-12-10 --size 5 \\\n"
    "      --need disaster_victim_identification=2,forensics=1 --lang fr\n"
    "  ccc-deploy approve plan-lyon-7 && ccc-deploy start dep-lyon-3\n"
    "  ccc-deploy extend dep-lyon-3 --to 2026-12-14\n"
    "  ccc-deploy report dep-lyon-3 --format table\n"
    "  ccc-duty plan load examples/duty-plan.ndjson\n"
    "  ccc-deploy rota --at 2026-03-29T06:30:00Z\n"
    "  ccc-deploy course add refresher_2026 --valid 12m --for irt,imest\n"
    "  ccc-deploy session add irt_readiness --date 2026-12-01 \\\n"
    "      --site lyon --trainer s-0007\n"
    "  ccc-deploy attend session-lyon-1 s-0042 s-0043 --result passed\n"
    "  ccc-deploy attend session-lyon-1 ma-0001 --ncb MA \\\n"
    "      --name 'Youssef Alami' --result passed\n"
    "  ccc-deploy training due --within 60d >due.txt || \\\n"
    "      mail -s 'training due' unit@example.org <due.txt";
static const char args_doc[] = "staff add|update ID\nstaff import [FILE...]\nstaff list|show [ID]\n"
			       "plan\napprove PLAN\nstart|extend|end|recall ID\nstatus [ID]\n"
			       "report ID\nrota\ncourse add|remove NAME\ncourse list\n"
			       "skill add|remove NAME\nskill list\nsession add COURSE\n"
			       "session list [ID]\nattend SESSION PERSON...\ntraining due";
/* The exit statuses --help lists (lib/ccc/exit.h), with what they mean here. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_NEGATIVE, "plan: no team is possible (the reason on stderr); training due: "
		      "someone must be retrained; rota: the day has a gap"},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_DATAERR, "some input was rejected, or the request conflicts with the store (a "
		     "member already deployed, unavailable or no longer qualified, a "
		     "deployment in the wrong state, a staff id that exists, a course still "
		     "held, a session not held yet)"},
    {CCC_EX_NOINPUT, "no such staff, plan, deployment, course, skill, session or store"},
    {CCC_EX_UNAVAILABLE, "the time zone database is missing"},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, NULL},
    {CCC_EX_NOPERM, NULL},
    {CCC_EX_CONFIG, "a store of another site or a newer schema; rota: no duty plan is loaded "
		    "(ccc-duty plan load examples/duty-plan.ndjson)"},
    CCC_EXIT_END,
};

enum {
	OPT_NAME = 1,
	OPT_HOME,
	OPT_LANG,
	OPT_SKILL,
	OPT_TRAINING,
	OPT_PASSPORT,
	OPT_UNAVAILABLE,
	OPT_KIND,
	OPT_FOR,
	OPT_COUNTRY,
	OPT_FROM,
	OPT_TO,
	OPT_SIZE,
	OPT_NEED,
	OPT_REQUIRE,
	OPT_MIN_LEVEL,
	OPT_REASON,
	OPT_ALL,
	OPT_DATE,
	OPT_AT,
	OPT_HOURS,
	OPT_FORMAT,
	OPT_INPUT_FORMAT,
	OPT_VALID,
	OPT_TITLE,
	OPT_SITE,
	OPT_TRAINER,
	OPT_RESULT,
	OPT_NCB,
	OPT_WITHIN,
};

static const struct argp_option options[] = {
    {NULL, 0, NULL, 0, "Staff:", 1},
    {"name", OPT_NAME, "NAME", 0, "The member's full name", 1},
    {"home", OPT_HOME, "SITE", 0, "Home site: lyon, buenos-aires, singapore (list: only)", 1},
    {"lang", OPT_LANG, "LIST", 0, "staff: LANG:LEVEL,... (fr:C1); plan: LANG,... to cover", 1},
    {"skill", OPT_SKILL, "LIST", 0, "staff: the skills (list: members with this one)", 1},
    {"training", OPT_TRAINING, "LIST", 0, "COURSE:EXPIRY,... e.g. irt_readiness:2027-05-01", 1},
    {"passport", OPT_PASSPORT, "DATE", 0, "Passport expiry date", 1},
    {"unavailable", OPT_UNAVAILABLE, "LIST", 0, "FROM/TO,... periods away (update: added)", 1},
    {"input-format", OPT_INPUT_FORMAT, "FORMAT", 0,
     "staff import: ndjson or csv (default: by the first byte)", 1},
    {NULL, 0, NULL, 0, "Planning:", 2},
    {"kind", OPT_KIND, "KIND", 0, "irt or imest (default irt)", 2},
    {"for", OPT_FOR, "ID", 0, "The incident or event the team is for", 2},
    {"country", OPT_COUNTRY, "CC", 0, "Where the team goes (ISO 3166 alpha-2)", 2},
    {"from", OPT_FROM, "TIME", 0, "Start: RFC 3339, or a date (its start)", 2},
    {"to", OPT_TO, "TIME", 0, "End: RFC 3339, or a date (its end); extend: new end", 2},
    {"size", OPT_SIZE, "N", 0, "At most N members (default 6, at most 32)", 2},
    {"need", OPT_NEED, "LIST", 0, "SKILL=COUNT,... members wanted per skill", 2},
    {"require", OPT_REQUIRE, "LIST", 0, "More courses every member must hold", 2},
    {"min-level", OPT_MIN_LEVEL, "LEVEL", 0, "Least level that covers a language (B2)", 2},
    {NULL, 0, NULL, 0, "Deployments and the rota:", 3},
    {"reason", OPT_REASON, "TEXT", 0, "end, recall: why", 3},
    {"all", OPT_ALL, NULL, 0, "status: ended and recalled deployments too", 3},
    {"date", OPT_DATE, "DAY", 0, "rota: the UTC day to plan (default: that of --at)", 3},
    {"at", OPT_AT, "TIME", 0, "rota: who is on duty at TIME (default now)", 3},
    {"hours", OPT_HOURS, "LIST", 0, "rota, no duty plan loaded: office hours SITE=HH:MM-HH:MM,...",
     3},
    {"format", OPT_FORMAT, "FORMAT", 0, "table or ndjson (default: a table on a terminal)", 3},
    {NULL, 0, NULL, 0, "Training:", 4},
    {"valid", OPT_VALID, "SPAN", 0, "course add: how long a pass lasts: 24m, 2y", 4},
    {"title", OPT_TITLE, "TEXT", 0, "course add, skill add: the full name", 4},
    {"site", OPT_SITE, "SITE", 0,
     "session add: where it is held; other commands: the store's site (as in ccc(7))", 4},
    {"trainer", OPT_TRAINER, "WHO", 0, "session add: who teaches it", 4},
    {"result", OPT_RESULT, "RESULT", 0, "attend: passed or failed", 4},
    {"ncb", OPT_NCB, "BUREAU", 0, "attend: the bureau of an officer not on the roster", 4},
    {"within", OPT_WITHIN, "SPAN", 0, "training due: expiring within 60d, 12w, 3m (90d)", 4},
    {0},
};

/* The commands that use an option (two-word names with '-'); the others
 * refuse it (ccc(7), CONVENTIONS). */
static const struct optcheck_use option_users[] = {
    {OPT_NAME, "staff-add staff-update attend"},
    {OPT_HOME, "staff-add staff-update staff-list"},
    {OPT_LANG, "staff-add staff-update plan"},
    {OPT_SKILL, "staff-add staff-update staff-list"},
    {OPT_TRAINING, "staff-add staff-update"},
    {OPT_PASSPORT, "staff-add staff-update"},
    {OPT_UNAVAILABLE, "staff-add staff-update"},
    {OPT_INPUT_FORMAT, "staff-import"},
    {OPT_KIND, "plan"},
    {OPT_FOR, "plan course-add"},
    {OPT_COUNTRY, "plan"},
    {OPT_FROM, "plan"},
    {OPT_TO, "plan extend"},
    {OPT_SIZE, "plan"},
    {OPT_NEED, "plan"},
    {OPT_REQUIRE, "plan"},
    {OPT_MIN_LEVEL, "plan"},
    {OPT_REASON, "end recall"},
    {OPT_ALL, "status"},
    {OPT_DATE, "rota session-add"},
    {OPT_VALID, "course-add"},
    {OPT_TITLE, "course-add skill-add"},
    {OPT_SITE, "session-add"},
    {OPT_TRAINER, "session-add"},
    {OPT_RESULT, "attend"},
    {OPT_NCB, "attend"},
    {OPT_WITHIN, "training-due"},
    {OPT_AT, "rota"},
    {OPT_HOURS, "rota"},
    {OPT_FORMAT, "staff-add staff-update staff-list staff-show plan approve start extend end "
		 "recall status report rota course-add course-list skill-add skill-list "
		 "session-add session-list attend training-due"}};
static unsigned char given[256];

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	static const char *const inputs[] = {"ndjson", "csv", NULL};
	const char *again;
	char msg[256];
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	/* --site is also the common option (the site the store belongs to):
	 * session add takes it as where the session is held (see main) */
	if (key > 0 && key < (int)sizeof given && key != OPT_SITE)
		given[key] = 1;
	switch (key) {
	case OPT_NAME: cfg.staff.name = arg; break;
	case OPT_HOME:
		if (!deploy_known_site(arg))
			argp_error(state, "--home: '%s' is not lyon, buenos-aires or singapore",
				   arg);
		cfg.staff.site = arg;
		break;
	case OPT_LANG: cfg.staff.langs = cfg.ask.langs = arg; break;
	case OPT_SKILL: cfg.staff.skills = arg; break;
	case OPT_TRAINING: cfg.staff.trainings = arg; break;
	case OPT_PASSPORT: cfg.staff.passport = arg; break;
	case OPT_UNAVAILABLE: cfg.staff.unavailable = arg; break;
	case OPT_KIND:
		if (strcmp(arg, "irt") != 0 && strcmp(arg, "imest") != 0)
			argp_error(state, "--kind: '%s' is not irt or imest", arg);
		cfg.ask.kind = arg;
		break;
	case OPT_FOR: cfg.ask.for_what = arg; break;
	case OPT_VALID:
		if (training_parse_months(arg) < 0)
			argp_error(state, "--valid: '%s' is not a span such as 24m or 2y", arg);
		cfg.valid = arg;
		break;
	case OPT_TITLE: cfg.title = arg; break;
	case OPT_SITE: cfg.site = arg; break;
	case OPT_TRAINER: cfg.trainer = arg; break;
	case OPT_RESULT:
		if (strcmp(arg, "passed") != 0 && strcmp(arg, "failed") != 0)
			argp_error(state, "--result: '%s' is not passed or failed", arg);
		cfg.result = arg;
		break;
	case OPT_NCB: cfg.ncb = arg; break;
	case OPT_WITHIN:
		if (training_parse_span(arg) < 0)
			argp_error(state, "--within: '%s' is not a span such as 60d, 12w or 3m",
				   arg);
		cfg.within = arg;
		break;
	case OPT_COUNTRY:
		if (strlen(arg) != 2 || arg[0] < 'A' || arg[0] > 'Z' || arg[1] < 'A' ||
		    arg[1] > 'Z')
			argp_error(state, "--country: '%s' is not an ISO 3166 code such as MA",
				   arg);
		cfg.ask.country = arg;
		break;
	case OPT_FROM: cfg.ask.from = arg; break;
	case OPT_TO: cfg.ask.to = arg; break;
	case OPT_SIZE:
		if (ccc_parse_long(arg, 1, DEPLOY_MAX_SIZE, &cfg.ask.size) < 0)
			argp_error(state, "--size: '%s' is not a number from 1 to %d", arg,
				   DEPLOY_MAX_SIZE);
		break;
	case OPT_NEED: cfg.ask.needs = arg; break;
	case OPT_REQUIRE: cfg.ask.require = arg; break;
	case OPT_MIN_LEVEL:
		if (deploy_level(arg) < 0)
			argp_error(state,
				   "--min-level: '%s' is not A1, A2, B1, B2, C1, C2 or native",
				   arg);
		cfg.ask.min_level = arg;
		break;
	case OPT_REASON: cfg.reason = arg; break;
	case OPT_ALL: cfg.all = 1; break;
	case OPT_DATE: cfg.date = arg; break;
	case OPT_AT: cfg.at = arg; break;
	case OPT_HOURS: cfg.hours = arg; break;
	case OPT_FORMAT:
		if (out_format_parse(arg, &cfg.format) < 0)
			argp_error(state, "--format: '%s' is not ndjson or table", arg);
		break;
	case OPT_INPUT_FORMAT:
		if (optcheck_one("input-format", arg, inputs, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		cfg.input = !strcmp(arg, "csv") ? DEPLOY_INPUT_CSV : DEPLOY_INPUT_NDJSON;
		break;
	case ARGP_KEY_ARGS:
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* rec (consumed) as NDJSON, or as a table by table_of (on a terminal). */
static void print(jv rec, void (*table_of)(jv))
{
	if (out_format_is_table(cfg.format))
		table_of(rec);
	else
		out_jv(jv_copy(rec));
	jv_free(rec);
}

/* Deployment records (an array, consumed) as NDJSON or a table. */
static void print_deployments(jv list)
{
	if (out_format_is_table(cfg.format)) {
		deploy_deployments_table(list);
		jv_free(list);
		return;
	}
	jv_array_foreach (list, i, rec) {
		out_jv(rec);
	}
	jv_free(list);
}

/* ---- staff ---- */

static int cmd_staff_list(struct store *s, const char *only);

static int cmd_staff_write(struct store *s, const char *id, int add)
{
	char why[512];
	jv rec;
	int rc = deploy_staff_write(s, id, &cfg.staff, add, &rec, why, sizeof why);
	if (rc == CCC_EX_USAGE)
		errx(CCC_EX_USAGE, "staff %s %s: %s", add ? "add" : "update", id, why);
	if (rc || !out_format_is_table(cfg.format)) {
		if (!rc)
			out_jv(rec);
		return rc;
	}
	jv_free(rec);
	cfg.staff.site = cfg.staff.skills = NULL; /* not filters here */
	return cmd_staff_list(s, id);
}

static int cmd_staff_import(struct store *s)
{
	struct stream_counts counts = {0};
	struct stream_config sc = {.program = "ccc-deploy", CCC_STREAM_OPTS, .counts = &counts};
	int rc = deploy_staff_import(s, sc, cfg.input, cfg.args, cfg.nargs);
	if (!ccc_opts.quiet)
		fprintf(stderr, "ccc-deploy: staff: %lu records stored, %lu rejected\n",
			counts.emitted, counts.rejected);
	return rc;
}

static int cmd_staff_list(struct store *s, const char *only)
{
	struct deploy_person *people;
	size_t n;
	time_t now = clock_now();
	int skill = -1, rc, found = 0;
	const char *home = cfg.staff.site;
	if (cfg.staff.skills && (skill = deploy_skill_by_name(cfg.staff.skills)) < 0)
		errx(CCC_EX_USAGE, "staff list: --skill '%s' is not a skill (%s)", cfg.staff.skills,
		     deploy_skill_list());
	if ((rc = deploy_staff_load(s, now, &people, &n)))
		return rc;
	struct table *t = out_format_is_table(cfg.format) ? deploy_staff_table() : NULL;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct deploy_person *p = &people[i];
		jv rec;
		if ((only && strcmp(p->id, only) != 0) || (home && strcmp(p->site, home) != 0) ||
		    (skill >= 0 && !(p->skills & (1u << skill))))
			continue;
		found = 1;
		if ((rc = deploy_staff_get(s, p->id, &rec)))
			break;
		if (!t) {
			out_jv(jv_object_set(rec, jv_string("state"), deploy_staff_state(p, now)));
			continue;
		}
		deploy_staff_row(t, p, now);
		if (only)
			deploy_staff_detail(t, rec);
		jv_free(rec);
	}
	if (t)
		table_free(t);
	free(people);
	if (!rc && only && !found) {
		warnx("staff '%s' is not on the roster of store '%s'", only, store_path(s));
		return CCC_EX_NOINPUT;
	}
	return rc;
}

/* ---- planning ---- */

static int cmd_plan(struct store *s, const char *name)
{
	struct deploy_request rq;
	struct deploy_team team;
	char *impossible, why[512];
	jv rec;
	if (deploy_request_parse(&rq, &cfg.ask, why, sizeof why) < 0)
		errx(CCC_EX_USAGE, "plan: %s", why);
	int rc = deploy_propose(s, &rq, &rec, &impossible, &team);
	if (rc == 1) {
		warnx("plan: %s", impossible);
		free(impossible);
		rc = CCC_EX_NEGATIVE;
	} else if (!rc && !ccc_opts.quiet && !team.optimal) {
		warnx("plan: the search stopped after %lld nodes: the team may not be the best",
		      team.nodes);
	}
	if (!rc || rc == CCC_EX_NEGATIVE)
		print(rec, deploy_plan_table);
	return rc;
}

/* ---- deployments ---- */

static int cmd_status(struct store *s, const char *name)
{
	int rc;
	jv list, rec;
	if (cfg.nargs == 1) {
		if ((rc = deploy_get(s, cfg.args[0], &rec)))
			return rc;
		list = JV_ARRAY(rec);
	} else if ((rc = deploy_list(s, cfg.all, &list))) {
		return rc;
	}
	jv lag = lag_report(s, out_format_is_table(cfg.format), ccc_opts.quiet);
	print_deployments(lag_tag_all(list, lag));
	jv_free(lag);
	return 0;
}

static int cmd_change(struct store *s, const char *action)
{
	time_t to = 0;
	int rc;
	jv rec;
	struct rerun again;
	if (!strcmp(action, "extend")) {
		if (!cfg.ask.to)
			errx(CCC_EX_USAGE, "extend: give the new end with --to");
		if (deploy_parse_when(cfg.ask.to, 1, &to) < 0)
			errx(CCC_EX_USAGE, "extend: --to '%s' is not a date or an RFC 3339 time",
			     cfg.ask.to);
	}
	if ((rc = deploy_change(s, action, cfg.args[0], to, cfg.reason, &rec, &again)))
		return rc;
	if (again.done && !ccc_opts.quiet)
		warnx("%s", again.why);
	print_deployments(JV_ARRAY(rec));
	return 0;
}

static int cmd_report(struct store *s, const char *name)
{
	struct deploy_report r = {0};
	const char *id = cfg.args[0];
	jv dep;
	int rc;
	if ((rc = deploy_get(s, id, &dep)))
		return rc;
	if ((rc = deploy_report_load(s, id, &r))) {
		jv_free(dep);
		return rc;
	}
	jv rec = deploy_report_record(id, dep, &r, clock_now());
	jv_free(dep);
	print(rec, deploy_report_table);
	deploy_report_free(&r);
	return 0;
}

/* ---- the rota ---- */

static int cmd_rota(struct store *s, const char *name)
{
	struct rota_site sites[ROTA_NSITES];
	struct deploy_person *people;
	struct duty_plan *plan;
	size_t n;
	time_t at = clock_now(), day;
	char why[256];
	int rc, ngaps = 0;
	(void)name;
	if (cfg.at && deploy_parse_when(cfg.at, 0, &at) < 0)
		errx(CCC_EX_USAGE, "rota: --at '%s' is not a date or an RFC 3339 time", cfg.at);
	day = at - at % 86400;
	if (cfg.date && (strlen(cfg.date) != 10 || deploy_parse_when(cfg.date, 0, &day) < 0))
		errx(CCC_EX_USAGE, "rota: --date '%s' is not a date (YYYY-MM-DD)", cfg.date);
	if ((rc = duty_plan_load(s, &plan)))
		return rc;
	if (duty_plan_shifts(plan)) { /* the stored plan: the shifts and their people */
		if (cfg.hours) {
			duty_plan_free(plan);
			errx(CCC_EX_USAGE,
			     "rota: --hours is for a store without a duty plan; this store has "
			     "one (change its shifts with ccc-duty shift add)");
		}
		if ((rc = deploy_staff_load(s, at, &people, &n))) {
			duty_plan_free(plan);
			return rc;
		}
		jv rec = duty_rota_record(plan, day, at, people, n, &ngaps);
		free(people);
		duty_plan_free(plan);
		print(rec, duty_rota_table);
		return ngaps ? CCC_EX_NEGATIVE : 0;
	}
	duty_plan_free(plan);
	if (!cfg.hours) {
		warnx("rota: no duty plan is loaded in this store; load the shipped one with "
		      "'ccc-duty plan load examples/duty-plan.ndjson' (or add shifts with "
		      "ccc-duty shift add), or give --hours for office hours of your own");
		return CCC_EX_CONFIG;
	}
	rota_default_sites(sites);
	if (rota_set_hours(sites, ROTA_NSITES, cfg.hours, why, sizeof why) < 0)
		errx(CCC_EX_USAGE, "rota: --hours: %s", why);
	for (int i = 0; i < ROTA_NSITES; i++)
		if (rota_zone_check(sites[i].zone) < 0)
			errx(CCC_EX_UNAVAILABLE,
			     "rota: time zone '%s' is not in the time zone database (apt-get "
			     "install tzdata)",
			     sites[i].zone);
	if ((rc = deploy_staff_load(s, at, &people, &n)))
		return rc;
	jv rec = rota_record(sites, ROTA_NSITES, day, at, people, n);
	free(people);
	jv gaps = jv_object_get(jv_copy(rec), jv_string("gaps"));
	ngaps = jv_array_length(gaps);
	print(rec, deploy_rota_table);
	return ngaps ? CCC_EX_NEGATIVE : 0;
}

/* ---- the training unit ---- */

static const struct table_col course_cols[] = {{"NAME", 0, 0, "id"},
					       {"VALID", 0, 1, "valid_months"},
					       {"FOR", 0, 0, "for"},
					       {"TITLE", 40, 0, "title"}};
static const struct table_col skill_cols[] = {{"NAME", 0, 0, "id"}, {"TITLE", 40, 0, "title"}};

/* course or skill add, list, remove. */
static int catalogue_cmd(struct store *s, const char *name, int course)
{
	char why[512], kinds[32];
	struct rerun again = {0};
	jv rec;
	int rc;
	if (!strcmp(name, "list")) {
		if ((rc = course ? training_course_list(s, &rec) : training_skill_list(s, &rec)))
			return rc;
		table_print_records(course ? course_cols : skill_cols, course ? 4 : 2, rec,
				    cfg.format);
		return 0;
	}
	if (!strcmp(name, "remove"))
		return course ? training_course_remove(s, cfg.args[0])
			      : training_skill_remove(s, cfg.args[0]);
	if (course && cfg.ask.for_what &&
	    training_parse_kinds(cfg.ask.for_what, kinds, sizeof kinds) < 0)
		errx(CCC_EX_USAGE, "course add: --for '%s' is not a list of irt, imest",
		     cfg.ask.for_what);
	rc = course ? training_course_put(
			  s, cfg.args[0], cfg.valid ? training_parse_months(cfg.valid) : 0,
			  cfg.title, cfg.ask.for_what ? kinds : NULL, &rec, &again, why, sizeof why)
		    : training_skill_put(s, cfg.args[0], cfg.title, &rec, &again, why, sizeof why);
	if (rc == CCC_EX_USAGE)
		errx(CCC_EX_USAGE, "%s add: %s", course ? "course" : "skill", why);
	if (rc)
		return rc;
	if (again.done && !ccc_opts.quiet)
		warnx("%s", again.why);
	table_print_records(course ? course_cols : skill_cols, course ? 4 : 2, JV_ARRAY(rec),
			    cfg.format);
	return 0;
}

static int cmd_course(struct store *s, const char *name)
{
	return catalogue_cmd(s, name, 1);
}

static int cmd_skill(struct store *s, const char *name)
{
	return catalogue_cmd(s, name, 0);
}

/* Sessions (an array, consumed) as NDJSON or a table, a row per attendee. */
static void print_sessions(jv list)
{
	if (out_format_is_table(cfg.format)) {
		deploy_sessions_table(list);
		return;
	}
	jv_array_foreach (list, i, rec) {
		out_jv(rec);
	}
	jv_free(list);
}

static int cmd_session(struct store *s, const char *name)
{
	char why[512];
	jv rec;
	int rc;
	if (!strcmp(name, "list")) {
		if ((rc = training_session_list(s, cfg.nargs ? cfg.args[0] : NULL, &rec)))
			return rc;
		print_sessions(rec);
		return 0;
	}
	struct training_session_ask a = {cfg.args[0], cfg.date, cfg.site, cfg.trainer};
	if ((rc = training_session_add(s, &a, &rec, why, sizeof why)) == CCC_EX_USAGE)
		errx(CCC_EX_USAGE, "session add: %s", why);
	if (!rc)
		print_sessions(JV_ARRAY(rec));
	return rc;
}

static int cmd_attend(struct store *s, const char *name)
{
	struct training_attend_ask a = {cfg.args[0],    cfg.result,   cfg.ncb,
					cfg.staff.name, cfg.args + 1, cfg.nargs - 1};
	char why[512];
	jv rec;
	int rc = training_attend(s, &a, &rec, why, sizeof why);
	if (rc == CCC_EX_USAGE)
		errx(CCC_EX_USAGE, "attend: %s", why);
	if (!rc)
		print_sessions(JV_ARRAY(rec));
	return rc;
}

/* Who must be retrained, then the refresher plan; exit 1 when anyone is. */
static int cmd_training_due(struct store *s, const char *name)
{
	static const struct table_col due_cols[] = {
	    {"SITE", 0, 0, NULL},   {"PERSON", 0, 0, NULL},  {"NAME", 24, 0, NULL},
	    {"COURSE", 0, 0, NULL}, {"EXPIRES", 0, 0, NULL}, {"DAYS", 0, 1, "days_left"},
	    {"STATUS", 0, 0, NULL}};
	static const struct table_col plan_cols[] = {{"REFRESHER", 0, 0, "course"},
						     {"SITE", 0, 0, NULL},
						     {"BEFORE", 0, 0, NULL},
						     {"PEOPLE", 48, 0, NULL},
						     {"SESSION", 0, 0, NULL}};
	const char *span = cfg.within ? cfg.within : "90d";
	jv due, plan;
	int rc = training_due(s, clock_now(), (time_t)training_parse_span(span), &due, &plan);
	if (rc)
		return rc;
	int any = jv_array_length(jv_copy(due)) > 0;
	if (!out_format_is_table(cfg.format)) {
		table_print_records(due_cols, 7, jv_array_concat(due, plan), cfg.format);
	} else if (!any) {
		jv_free(due);
		jv_free(plan);
		if (!ccc_opts.quiet)
			warnx("training due: nobody must be retrained within %s", span);
	} else {
		table_print_records(due_cols, 7, due, cfg.format);
		out_write("\n", 1);
		table_print_records(plan_cols, 5, plan, cfg.format);
	}
	return any ? CCC_EX_NEGATIVE : 0;
}

static int run_staff(struct store *s, const char *name)
{
	if (!strcmp(name, "import"))
		return cmd_staff_import(s);
	if (!strcmp(name, "list") || !strcmp(name, "show"))
		return cmd_staff_list(s, !strcmp(name, "show") ? cfg.args[0] : NULL);
	return cmd_staff_write(s, cfg.args[0], !strcmp(name, "add"));
}

static const struct subcmd cmds[] = {
    {"staff add", SUBCMD_WRITE, 1, 1, "ID", 0, run_staff, "add a member"},
    {"staff import", SUBCMD_WRITE, 0, -1, "FILE", 1, run_staff, "add or replace members"},
    {"staff update", SUBCMD_WRITE, 1, 1, "ID", 0, run_staff, "change a member"},
    {"staff list", SUBCMD_READ, 0, 0, NULL, 0, run_staff, "the roster"},
    {"staff show", SUBCMD_READ, 1, 1, "ID", 0, run_staff, "one member"},
    {"plan", SUBCMD_WRITE, 0, 0, NULL, 0, cmd_plan, "propose a team"},
    {"approve", SUBCMD_WRITE, 1, 1, "PLAN", 0, cmd_change, "make the plan a deployment"},
    {"start", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_change, "the team is on its way"},
    {"extend", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_change, "move the end"},
    {"end", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_change, "the team is back"},
    {"recall", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_change, "withdraw the team early"},
    {"status", SUBCMD_READ, 0, 1, "ID", 0, cmd_status, "deployments under way"},
    {"report", SUBCMD_READ, 1, 1, "ID", 0, cmd_report, "field checks per day"},
    {"rota", SUBCMD_READ, 0, 0, NULL, 0, cmd_rota, "the watch of the three sites"},
    {"course add", SUBCMD_WRITE, 1, 1, "NAME", 0, cmd_course, "add or change a course"},
    {"course list", SUBCMD_READ, 0, 0, NULL, 0, cmd_course, "the course catalogue"},
    {"course remove", SUBCMD_WRITE, 1, 1, "NAME", 0, cmd_course, "remove a course"},
    {"skill add", SUBCMD_WRITE, 1, 1, "NAME", 0, cmd_skill, "add or change a skill"},
    {"skill list", SUBCMD_READ, 0, 0, NULL, 0, cmd_skill, "the skills catalogue"},
    {"skill remove", SUBCMD_WRITE, 1, 1, "NAME", 0, cmd_skill, "remove a skill"},
    {"session add", SUBCMD_WRITE, 1, 1, "COURSE", 0, cmd_session, "a training session"},
    {"session list", SUBCMD_READ, 0, 1, "ID", 0, cmd_session, "sessions and attendance"},
    {"attend", SUBCMD_WRITE, 2, -1, "SESSION PERSON", 0, cmd_attend, "results of a session"},
    {"training due", SUBCMD_READ, 0, 0, NULL, 0, cmd_training_due, "who must be retrained"},
};

/* Every command sees the store's catalogues of courses and skills. */
static int (*chosen)(struct store *s, const char *name);
static int with_catalogue(struct store *s, const char *name)
{
	int rc = training_catalog_load(s);
	return rc ? rc : chosen(s, name);
}

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, prog_doc, children, ccc_exit_help_filter, NULL};
	const struct subcmd *c = NULL;

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	signal(SIGPIPE, SIG_IGN);
	int rc = subcmd_parse(cmds, sizeof cmds / sizeof cmds[0], &cfg.nargs, &cfg.args, &c);
	if (rc)
		return rc;
	if ((rc = optcheck_refuse_unused(options, given, sizeof given, option_users,
					 sizeof option_users / sizeof option_users[0], c->name)))
		return rc;
	if (cfg.site && strcmp(c->name, "session add") != 0) {
		if (!ccc_site_name_ok(cfg.site))
			errx(CCC_EX_USAGE, "--site: " CCC_SITE_NAME_RULE, cfg.site);
		ccc_opts.site = cfg.site;
	}
	struct subcmd run = *c;
	chosen = c->run;
	run.run = with_catalogue;
	rc = subcmd_run(&run, ccc_opts.store, ccc_opts.key);
	return out_close(rc);
}
