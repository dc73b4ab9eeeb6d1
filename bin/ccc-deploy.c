/*
 * ccc-deploy: the staff roster, team planning for IRT and IMEST, the life of a
 * deployment, its field-check report, and the 24-hour watch across the sites.
 */
#include <argp.h>
#include <err.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/csv.h"
#include "ccc/deploy-lifecycle.h"
#include "ccc/deploy-plan.h"
#include "ccc/deploy-report.h"
#include "ccc/deploy-roster.h"
#include "ccc/deploy-rota.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/store.h"
#include "ccc/subcmd.h"
#include "ccc/utf8.h"
#include "ccc/stream.h"

static struct config {
	char **args;
	int nargs;
	/* staff */
	const char *name, *home, *langs, *skills, *trainings, *passport, *unavailable;
	/* plan */
	const char *kind, *for_what, *country, *from, *to, *needs, *require, *min_level;
	long size;
	/* lifecycle, rota */
	const char *reason, *date, *at, *hours;
	int all;
	const char *format; /* table, ndjson; import: ndjson, csv */
} cfg = {.size = 6};

const char *argp_program_version = "ccc-deploy " CCC_VERSION;
static const char prog_doc[] =
    "The staff roster (skills, languages, trainings and their expiry), team planning "
    "for Incident Response Teams (IRT) and Major Event Support Teams (IMEST), the "
    "life of a deployment, its field-check report, and the 24-hour watch across the "
    "sites.\v"
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
    "  rota            the watch of the three sites (--date, --at, --hours)\n\n"
    "A team member must hold the readiness course of the kind (irt_readiness or "
    "imest_readiness) valid to the end, be available and on no other deployment for "
    "the whole period, and hold a passport valid six months past the end; a team has "
    "a team lead. The best team covers the most needs, then the most official "
    "languages of the country, then has the fewest members, then the least recently "
    "deployed staff. The search is exact and deterministic.\n\n"
    "EXAMPLES\n"
    "  ccc-deploy staff import roster.csv\n"
    "  ccc-deploy staff add s-0042 --name 'Amina Haddad' --home lyon \\\n"
    "      --lang ar:native,fr:C1 --skill forensics,team_lead \\\n"
    "      --training irt_readiness:2027-05-01 --passport 2031-02-28\n"
    "  ccc-deploy plan --kind irt --for msg-lyon-1042 --country MA \\\n"
    "      --from 2026-12-01 --to 2026-12-10 --size 5 \\\n"
    "      --need disaster_victim_identification=2,forensics=1 --lang fr\n"
    "  ccc-deploy approve plan-lyon-7 && ccc-deploy start dep-lyon-3\n"
    "  ccc-deploy extend dep-lyon-3 --to 2026-12-14\n"
    "  ccc-deploy report dep-lyon-3 --format table\n"
    "  ccc-deploy rota --at 2026-03-29T06:30:00Z";
static const char args_doc[] = "staff add|update ID\nstaff import [FILE...]\nstaff list|show [ID]\n"
			       "plan\napprove PLAN\nstart|extend|end|recall ID\nstatus [ID]\n"
			       "report ID\nrota";
/* The exit statuses --help lists (lib/ccc/exit.h), with what they mean here. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_NEGATIVE, "plan: no team is possible (the reason on stderr)"},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_DATAERR, "some input was rejected, or the request conflicts with the store (a "
		     "member already deployed, unavailable or no longer qualified, a "
		     "deployment in the wrong state, a staff id that exists)"},
    {CCC_EX_NOINPUT, "no such staff, plan, deployment or store"},
    {CCC_EX_UNAVAILABLE, "the time zone database is missing"},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, NULL},
    {CCC_EX_NOPERM, NULL},
    {CCC_EX_CONFIG, NULL},
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
    {"hours", OPT_HOURS, "LIST", 0, "rota: SITE=HH:MM-HH:MM,... local (08:00-17:00)", 3},
    {"format", OPT_FORMAT, "FORMAT", 0, "table or ndjson (import: ndjson or csv)", 3},
    {0},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	switch (key) {
	case OPT_NAME: cfg.name = arg; break;
	case OPT_HOME:
		if (!deploy_known_site(arg))
			argp_error(state, "--home: '%s' is not lyon, buenos-aires or singapore",
				   arg);
		cfg.home = arg;
		break;
	case OPT_LANG: cfg.langs = arg; break;
	case OPT_SKILL: cfg.skills = arg; break;
	case OPT_TRAINING: cfg.trainings = arg; break;
	case OPT_PASSPORT: cfg.passport = arg; break;
	case OPT_UNAVAILABLE: cfg.unavailable = arg; break;
	case OPT_KIND:
		if (strcmp(arg, "irt") != 0 && strcmp(arg, "imest") != 0)
			argp_error(state, "--kind: '%s' is not irt or imest", arg);
		cfg.kind = arg;
		break;
	case OPT_FOR: cfg.for_what = arg; break;
	case OPT_COUNTRY:
		if (strlen(arg) != 2 || arg[0] < 'A' || arg[0] > 'Z' || arg[1] < 'A' ||
		    arg[1] > 'Z')
			argp_error(state, "--country: '%s' is not an ISO 3166 code such as MA",
				   arg);
		cfg.country = arg;
		break;
	case OPT_FROM: cfg.from = arg; break;
	case OPT_TO: cfg.to = arg; break;
	case OPT_SIZE:
		if (ccc_parse_long(arg, 1, DEPLOY_MAX_SIZE, &cfg.size) < 0)
			argp_error(state, "--size: '%s' is not a number from 1 to %d", arg,
				   DEPLOY_MAX_SIZE);
		break;
	case OPT_NEED: cfg.needs = arg; break;
	case OPT_REQUIRE: cfg.require = arg; break;
	case OPT_MIN_LEVEL:
		if (deploy_level(arg) < 0)
			argp_error(state,
				   "--min-level: '%s' is not A1, A2, B1, B2, C1, C2 or native",
				   arg);
		cfg.min_level = arg;
		break;
	case OPT_REASON: cfg.reason = arg; break;
	case OPT_ALL: cfg.all = 1; break;
	case OPT_DATE: cfg.date = arg; break;
	case OPT_AT: cfg.at = arg; break;
	case OPT_HOURS: cfg.hours = arg; break;
	case OPT_FORMAT:
		if (strcmp(arg, "table") != 0 && strcmp(arg, "ndjson") != 0 &&
		    strcmp(arg, "csv") != 0)
			argp_error(state, "--format: '%s' is not table, ndjson or csv", arg);
		cfg.format = arg;
		break;
	case ARGP_KEY_ARGS:
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int table_output(void)
{
	if (cfg.format && !strcmp(cfg.format, "table"))
		return 1;
	if (cfg.format && !strcmp(cfg.format, "ndjson"))
		return 0;
	return out_is_tty();
}

static void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void outf(const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0)
		out_write(line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1));
}

/* s padded with spaces (or cut) to width characters, for a table column:
 * widths count UTF-8 characters, not bytes; controls are shown escaped
 * (utf8_printable). Returns out. */
static const char *cell(const char *text, int width, char *out, size_t n)
{
	size_t i = 0, o = 0;
	int chars = 0;
	char *s = utf8_printable(text);
	while (s[i] && chars < width && o + 5 < n) {
		size_t len = 1;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xF0)
			len = 4;
		else if (c >= 0xE0)
			len = 3;
		else if (c >= 0xC0)
			len = 2;
		for (size_t k = 0; k < len && s[i]; k++)
			out[o++] = s[i++];
		chars++;
	}
	while (chars++ < width && o + 1 < n)
		out[o++] = ' ';
	out[o] = '\0';
	free(s);
	return out;
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

/* Join the strings of array a (not consumed) with sep into out. */
static void join(jv a, const char *sep, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	if (jv_get_kind(a) != JV_KIND_ARRAY)
		return;
	jv_array_foreach (a, i, x) {
		if (jv_get_kind(x) == JV_KIND_STRING && len + 1 < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s", i ? sep : "",
						jv_string_value(x));
		jv_free(x);
	}
	if (len >= n)
		out[n - 1] = '\0';
}

/* ---- staff ---- */

/* key:value items of list as {key: value}, merged into the array field of
 * rec (objects with kname/vname), replacing the items with the same key. */
static jv merge_pairs(jv current, const char *list, const char *kname, const char *vname)
{
	jv out = jv_array();
	jv given = split_list(list);
	if (jv_get_kind(current) == JV_KIND_ARRAY) {
		jv_array_foreach (current, i, x) {
			const char *k = jv_get_str(x, kname);
			int replaced = 0;
			jv_array_foreach (given, j, g) {
				size_t kl = k ? strlen(k) : 0;
				if (k && !strncmp(jv_string_value(g), k, kl) &&
				    jv_string_value(g)[kl] == ':')
					replaced = 1;
				jv_free(g);
			}
			if (!replaced)
				out = jv_array_append(out, x);
			else
				jv_free(x);
		}
	}
	jv_free(current);
	(void)vname;
	jv_array_foreach (given, j, g) {
		out = jv_array_append(out, g);
	}
	jv_free(given);
	return out;
}

static jv staff_from_options(jv rec, int update)
{
	if (cfg.name)
		rec = jv_object_set(rec, jv_string("name"), jv_string(cfg.name));
	if (cfg.home)
		rec = jv_object_set(rec, jv_string("site"), jv_string(cfg.home));
	if (cfg.passport)
		rec = jv_object_set(rec, jv_string("passport_expires"), jv_string(cfg.passport));
	if (cfg.skills)
		rec = jv_object_set(rec, jv_string("skills"), split_list(cfg.skills));
	if (cfg.langs)
		rec = jv_object_set(
		    rec, jv_string("languages"),
		    update ? merge_pairs(jv_object_get(jv_copy(rec), jv_string("languages")),
					 cfg.langs, "lang", "level")
			   : split_list(cfg.langs));
	if (cfg.trainings)
		rec = jv_object_set(
		    rec, jv_string("trainings"),
		    update ? merge_pairs(jv_object_get(jv_copy(rec), jv_string("trainings")),
					 cfg.trainings, "course", "expires")
			   : split_list(cfg.trainings));
	if (cfg.unavailable) {
		jv cur = jv_object_get(jv_copy(rec), jv_string("unavailable"));
		if (jv_get_kind(cur) != JV_KIND_ARRAY) {
			jv_free(cur);
			cur = jv_array();
		}
		rec = jv_object_set(rec, jv_string("unavailable"),
				    jv_array_concat(cur, split_list(cfg.unavailable)));
	}
	return rec;
}

static int cmd_staff_write(struct store *s, const char *id, int add)
{
	char reason[512];
	int changed, rc;
	int64_t seq;
	jv rec;
	if ((rc = store_begin(s)))
		return rc;
	if (add) {
		rec = JV_OBJECT(jv_string("type"), jv_string("staff"), jv_string("v"),
				jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	} else if ((rc = deploy_staff_get(s, id, &rec))) {
		store_rollback(s);
		return rc;
	}
	rec = deploy_staff_normalize(staff_from_options(rec, !add), reason, sizeof reason);
	if (!jv_is_valid(rec)) {
		store_rollback(s);
		errx(CCC_EX_USAGE, "staff %s %s: %s", add ? "add" : "update", id, reason);
	}
	if ((rc = deploy_staff_put(s, jv_copy(rec), add, &changed))) {
		store_rollback(s);
		jv_free(rec);
		return rc;
	}
	if ((rc = store_commit(s, &seq))) {
		jv_free(rec);
		return rc;
	}
	out_jv(rec);
	return 0;
}

static int on_staff_record(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	char reason[512];
	int changed, rc;
	rec = deploy_staff_normalize(rec, reason, sizeof reason);
	if (!jv_is_valid(rec))
		return stream_reject(st, ln, reason);
	if ((rc = deploy_staff_put(stream_store(st), jv_copy(rec), 0, &changed))) {
		jv_free(rec);
		return rc;
	}
	stream_emit(st, rec);
	return 0;
}

static int import_is_csv(const char *head, size_t n, void *ctx)
{
	size_t i = n >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3) ? 3 : 0;
	if (cfg.format && !strcmp(cfg.format, "csv"))
		return 1;
	if (cfg.format && !strcmp(cfg.format, "ndjson"))
		return 0;
	while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	return i < n && head[i] != '{';
}

/* A roster in CSV: a header row naming the columns, then one member a row. */
static int on_staff_csv(struct stream *st, const struct ndjson_line *doc, void *ctx)
{
	struct csv_reader *cr = csv_open(doc->text, doc->len);
	jv header = jv_invalid(), fields;
	size_t line;
	char *err = NULL;
	int k, rc = 0;
	if (!cr)
		abort();
	while (!rc && (k = csv_next(cr, &fields, &line, &err)) != 0) {
		struct ndjson_line ln = *doc;
		ln.lineno = line;
		if (k < 0) {
			rc = stream_reject(st, &ln, err ? err : "bad CSV record");
			free(err);
			err = NULL;
			if (!jv_is_valid(header))
				break;
			continue;
		}
		if (!jv_is_valid(header)) {
			jv_free(header);
			header = fields;
			int has_id = 0;
			jv_array_foreach (header, i, h) {
				has_id |= jv_get_kind(h) == JV_KIND_STRING &&
					  !strcmp(jv_string_value(h), "id");
				jv_free(h);
			}
			if (!has_id) {
				rc = stream_reject(
				    st, &ln,
				    "the CSV header names no 'id' column (columns: id, name, "
				    "site, languages, skills, trainings, passport_expires, "
				    "unavailable)");
				break;
			}
			continue;
		}
		jv rec = csv_header_record(jv_copy(header), fields);
		if (!jv_is_valid(rec)) {
			jv msg = jv_invalid_get_msg(rec);
			rc = stream_reject(st, &ln,
					   jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg)
									      : "bad CSV record");
			jv_free(msg);
			continue;
		}
		rc = stream_record(st, rec, &ln);
	}
	jv_free(header);
	csv_close(cr);
	return rc;
}

static int cmd_staff_import(struct store *s)
{
	struct stream_config sc = {
	    .program = "ccc-deploy",
	    CCC_STREAM_OPTS,
	    .record = on_staff_record,
	    .is_document = import_is_csv,
	    .document = on_staff_csv,
	};
	struct stream_counts counts;
	sc.counts = &counts;
	int rc = stream_run(s, &sc, cfg.args, cfg.nargs);
	if (!ccc_opts.quiet)
		fprintf(stderr, "ccc-deploy: staff: %lu records stored, %lu rejected\n",
			counts.emitted, counts.rejected);
	return rc;
}

/* The deployment p is booked on at t, or NULL. */
static const char *booked_at(const struct deploy_person *p, time_t t)
{
	for (int i = 0; i < p->nbooked; i++)
		if (p->booked[i].from <= t && t < p->booked[i].to)
			return p->booked[i].what;
	return NULL;
}

static const char *away_at(const struct deploy_person *p, time_t t)
{
	for (int i = 0; i < p->nunavailable; i++)
		if (p->unavailable[i].from <= t && t < p->unavailable[i].to)
			return p->unavailable[i].what[0] ? p->unavailable[i].what : "unavailable";
	return NULL;
}

/* The member's state now: {"deployment", "unavailable", "last_deployed",
 * "trainings_valid": [...], "trainings_expired": [...]}. */
static jv staff_state(const struct deploy_person *p, time_t now)
{
	char last[RFC3339_LEN];
	const char *dep = booked_at(p, now), *away = away_at(p, now);
	jv valid = jv_array(), expired = jv_array();
	for (int k = 0; k < DEPLOY_NTRAININGS; k++) {
		if (!p->training_until[k])
			continue;
		if (p->training_until[k] > now)
			valid = jv_array_append(valid, jv_string(deploy_training_name(k)));
		else
			expired = jv_array_append(expired, jv_string(deploy_training_name(k)));
	}
	if (p->last_deployed)
		clock_format(p->last_deployed, last);
	jv o = JV_OBJECT(jv_string("deployment"), dep ? jv_string(dep) : jv_null(),
			 jv_string("unavailable"), away ? jv_string(away) : jv_null());
	o = jv_object_set(o, jv_string("last_deployed"),
			  p->last_deployed ? jv_string(last) : jv_null());
	o = jv_object_set(o, jv_string("trainings_valid"), valid);
	return jv_object_set(o, jv_string("trainings_expired"), expired);
}

static int cmd_staff_list(struct store *s, const char *only)
{
	struct deploy_person *people;
	size_t n;
	time_t now = clock_now();
	int table = table_output(), skill = -1, rc;
	if (cfg.skills && (skill = deploy_skill_by_name(cfg.skills)) < 0)
		errx(CCC_EX_USAGE, "staff list: --skill '%s' is not a skill (%s)", cfg.skills,
		     deploy_skill_list());
	if ((rc = deploy_staff_load(s, now, &people, &n)))
		return rc;
	if (table && !only)
		outf("%-12s %-24s %-13s %-5s %-22s %-10s %-10s %s\n", "ID", "NAME", "SITE", "LEAD",
		     "LANGUAGES", "IRT", "IMEST", "NOW");
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		const struct deploy_person *p = &people[i];
		if ((only && strcmp(p->id, only) != 0) ||
		    (cfg.home && strcmp(p->site, cfg.home) != 0) ||
		    (skill >= 0 && !(p->skills & (1u << skill))))
			continue;
		found = 1;
		jv rec;
		if ((rc = deploy_staff_get(s, p->id, &rec)))
			break;
		if (!table) {
			out_jv(jv_object_set(rec, jv_string("state"), staff_state(p, now)));
			continue;
		}
		char langs[128] = "", irt[11] = "-", imest[11] = "-", state[80];
		size_t len = 0;
		for (int k = 0; k < p->nlangs && len + 12 < sizeof langs; k++) {
			static const char *const lv[] = {"?",  "A1", "A2", "B1",
							 "B2", "C1", "C2", "N"};
			len += (size_t)snprintf(
			    langs + len, sizeof langs - len, "%s%s:%s", k ? "," : "", p->lang[k],
			    lv[p->level[k] > 0 && p->level[k] < 8 ? p->level[k] : 0]);
		}
		if (p->training_until[TRAINING_IRT])
			deploy_format_day(p->training_until[TRAINING_IRT] - 1, irt);
		if (p->training_until[TRAINING_IMEST])
			deploy_format_day(p->training_until[TRAINING_IMEST] - 1, imest);
		const char *dep = booked_at(p, now), *away = away_at(p, now);
		snprintf(state, sizeof state, "%s%s",
			 dep    ? "deployed "
			 : away ? "away: "
				: "ready",
			 dep    ? dep
			 : away ? away
				: "");
		char name[128];
		outf("%-12s %s %-13s %-5s %-22s %-10s %-10s %s\n", p->id,
		     cell(p->name, 24, name, sizeof name), p->site,
		     p->skills & (1u << SKILL_TEAM_LEAD) ? "yes" : "", langs, irt, imest, state);
		if (only) {
			jv sk = jv_object_get(jv_copy(rec), jv_string("skills"));
			char skills[512];
			join(sk, ", ", skills, sizeof skills);
			jv_free(sk);
			outf("  skills: %s\n", skills);
		}
		jv_free(rec);
	}
	free(people);
	if (!rc && only && !found) {
		warnx("staff '%s' is not on the roster of store '%s'", only, store_path(s));
		return CCC_EX_NOINPUT;
	}
	return rc;
}

/* ---- planning ---- */

static void request_from_options(struct deploy_request *rq)
{
	memset(rq, 0, sizeof *rq);
	if (!cfg.for_what || !cfg.country || !cfg.from || !cfg.to)
		errx(CCC_EX_USAGE, "plan: give --for, --country, --from and --to");
	rq->kind = cfg.kind && !strcmp(cfg.kind, "imest") ? DEPLOY_IMEST : DEPLOY_IRT;
	rq->for_what = cfg.for_what;
	memcpy(rq->country, cfg.country, 3);
	if (deploy_parse_when(cfg.from, 0, &rq->from) < 0)
		errx(CCC_EX_USAGE, "plan: --from '%s' is not a date or an RFC 3339 time", cfg.from);
	if (deploy_parse_when(cfg.to, 1, &rq->to) < 0)
		errx(CCC_EX_USAGE, "plan: --to '%s' is not a date or an RFC 3339 time", cfg.to);
	if (rq->to <= rq->from)
		errx(CCC_EX_USAGE, "plan: --to '%s' is not after --from '%s'", cfg.to, cfg.from);
	rq->size = (int)cfg.size;
	rq->min_level = deploy_level(cfg.min_level ? cfg.min_level : "B2");
	if (cfg.needs) {
		jv items = split_list(cfg.needs);
		jv_array_foreach (items, i, x) {
			char skill[64];
			const char *v = jv_string_value(x), *eq = strchr(v, '=');
			long count = 1;
			snprintf(skill, sizeof skill, "%.*s", eq ? (int)(eq - v) : (int)strlen(v),
				 v);
			int k = deploy_skill_by_name(skill);
			if (k < 0)
				errx(CCC_EX_USAGE, "plan: --need: '%s' is not a skill (%s)", skill,
				     deploy_skill_list());
			if (eq && ccc_parse_long(eq + 1, 1, DEPLOY_MAX_SIZE, &count) < 0)
				errx(CCC_EX_USAGE,
				     "plan: --need: '%s': the count is not a number from 1 to %d",
				     v, DEPLOY_MAX_SIZE);
			rq->need[k] = (int)count;
			jv_free(x);
		}
		jv_free(items);
	}
	if (cfg.langs) {
		jv items = split_list(cfg.langs);
		jv_array_foreach (items, i, x) {
			const char *l = jv_string_value(x);
			if (strlen(l) != 2 || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' || l[1] > 'z')
				errx(CCC_EX_USAGE,
				     "plan: --lang: '%s' is not an ISO 639-1 code such as fr", l);
			if (rq->nlangs == DEPLOY_MAX_NEED_LANG)
				errx(CCC_EX_USAGE, "plan: --lang: more than %d languages",
				     DEPLOY_MAX_NEED_LANG);
			memcpy(rq->langs[rq->nlangs++], l, 3);
			jv_free(x);
		}
		jv_free(items);
	}
	if (cfg.require) {
		jv items = split_list(cfg.require);
		jv_array_foreach (items, i, x) {
			int k = deploy_training_by_name(jv_string_value(x));
			if (k >= 0)
				rq->require |= 1u << k;
			else
				errx(CCC_EX_USAGE, "plan: --require: '%s' is not a course (%s)",
				     jv_string_value(x), deploy_training_list());
			jv_free(x);
		}
		jv_free(items);
	}
	deploy_request_officials(rq);
}

static void plan_table(jv rec)
{
	char period[32], covers[256], langs[128];
	time_t a = 0, b = 0;
	clock_parse(jv_get_str(rec, "starts_at"), &a);
	clock_parse(jv_get_str(rec, "ends_at"), &b);
	deploy_format_period(a, b, period);
	const char *id = jv_get_str(rec, "id");
	outf("%s %s for %s in %s, %s\n", id ? id : "(not stored)", jv_get_str(rec, "kind"),
	     jv_get_str(rec, "for"), jv_get_str(rec, "country"), period);
	outf("%-12s %-24s %-13s %-10s %-30s %s\n", "STAFF", "NAME", "SITE", "ROLE", "SKILLS",
	     "LANGUAGES");
	jv members = jv_object_get(jv_copy(rec), jv_string("members"));
	jv_array_foreach (members, i, m) {
		jv c = jv_object_get(jv_copy(m), jv_string("covers"));
		jv cs = jv_object_get(jv_copy(c), jv_string("skills"));
		jv cl = jv_object_get(c, jv_string("languages"));
		join(cs, ",", covers, sizeof covers);
		join(cl, ",", langs, sizeof langs);
		char name[128];
		outf("%-12s %s %-13s %-10s %-30s %s\n", jv_get_str(m, "staff"),
		     cell(jv_get_str(m, "name"), 24, name, sizeof name), jv_get_str(m, "site"),
		     jv_get_str(m, "role"), covers, langs);
		jv_free(cs);
		jv_free(cl);
		jv_free(m);
	}
	jv_free(members);
	jv unmet = jv_object_get(jv_copy(rec), jv_string("unmet"));
	jv_array_foreach (unmet, i, u) {
		const char *what =
		    jv_get_str(u, "skill") ? jv_get_str(u, "skill") : jv_get_str(u, "lang");
		outf("unmet: %s %s: %s\n", jv_get_str(u, "need"), what ? what : "",
		     jv_get_str(u, "reason"));
		jv_free(u);
	}
	jv_free(unmet);
}

static int cmd_plan(struct store *s)
{
	struct deploy_request rq;
	struct deploy_team team;
	struct deploy_person *people;
	size_t n;
	char *impossible;
	int64_t seq;
	int rc;
	if (cfg.nargs)
		errx(CCC_EX_USAGE, "plan: unexpected argument '%s'", cfg.args[0]);
	request_from_options(&rq);
	if ((rc = store_begin(s)))
		return rc;
	if ((rc = deploy_staff_load(s, rq.from, &people, &n))) {
		store_rollback(s);
		return rc;
	}
	deploy_solve(&rq, people, n, &team);
	jv rec = deploy_plan_record(&rq, people, n, &team, &impossible);
	free(people);
	if (impossible) {
		store_rollback(s);
		warnx("plan: %s", impossible);
		free(impossible);
		if (table_output())
			plan_table(rec);
		else
			out_jv(jv_copy(rec));
		jv_free(rec);
		return CCC_EX_NEGATIVE;
	}
	if ((rc = deploy_plan_save(s, rec, &rec))) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, &seq))) {
		jv_free(rec);
		return rc;
	}
	if (!ccc_opts.quiet && !team.optimal)
		warnx("plan: the search stopped after %lld nodes: the team may not be the best",
		      team.nodes);
	if (table_output()) {
		plan_table(rec);
		jv_free(rec);
	} else {
		out_jv(rec);
	}
	return 0;
}

/* ---- deployments ---- */

static void status_row(jv rec)
{
	char period[32], ids[512] = "";
	time_t a = 0, b = 0;
	clock_parse(jv_get_str(rec, "starts_at"), &a);
	clock_parse(jv_get_str(rec, "ends_at"), &b);
	deploy_format_period(a, b, period);
	jv members = jv_object_get(jv_copy(rec), jv_string("members"));
	size_t len = 0;
	jv_array_foreach (members, i, m) {
		const char *id = jv_get_str(m, "staff");
		if (id && len + strlen(id) + 2 < sizeof ids)
			len +=
			    (size_t)snprintf(ids + len, sizeof ids - len, "%s%s", i ? "," : "", id);
		jv_free(m);
	}
	jv_free(members);
	char what[96];
	outf("%-14s %-9s %-6s %s %-3s %-22s %s\n", jv_get_str(rec, "id"), jv_get_str(rec, "status"),
	     jv_get_str(rec, "kind"), cell(jv_get_str(rec, "for"), 16, what, sizeof what),
	     jv_get_str(rec, "country"), period, ids);
}

static int cmd_status(struct store *s)
{
	int table = table_output(), rc;
	jv list;
	if (cfg.nargs > 1)
		errx(CCC_EX_USAGE, "status: give at most one deployment id");
	if (cfg.nargs == 1) {
		jv rec;
		if ((rc = deploy_get(s, cfg.args[0], &rec)))
			return rc;
		list = JV_ARRAY(rec);
	} else if ((rc = deploy_list(s, cfg.all, &list))) {
		return rc;
	}
	if (table)
		outf("%-14s %-9s %-6s %-16s %-3s %-22s %s\n", "ID", "STATUS", "KIND", "FOR", "CC",
		     "PERIOD", "MEMBERS");
	jv_array_foreach (list, i, rec) {
		if (table) {
			status_row(rec);
			jv_free(rec);
		} else {
			out_jv(rec);
		}
	}
	jv_free(list);
	return 0;
}

static int cmd_change(struct store *s, const char *action)
{
	time_t to = 0;
	int64_t seq;
	int rc;
	jv rec;
	if (cfg.nargs != 1)
		errx(CCC_EX_USAGE, "%s: give one %s id", action,
		     !strcmp(action, "approve") ? "plan" : "deployment");
	if (!strcmp(action, "extend")) {
		if (!cfg.to)
			errx(CCC_EX_USAGE, "extend: give the new end with --to");
		if (deploy_parse_when(cfg.to, 1, &to) < 0)
			errx(CCC_EX_USAGE, "extend: --to '%s' is not a date or an RFC 3339 time",
			     cfg.to);
	}
	if ((rc = store_begin(s)))
		return rc;
	struct rerun again;
	rc = !strcmp(action, "approve")
		 ? deploy_approve(s, cfg.args[0], &rec, &again)
		 : deploy_act(s, cfg.args[0], action, to, cfg.reason, &rec, &again);
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
	if (table_output()) {
		outf("%-14s %-9s %-6s %-16s %-3s %-22s %s\n", "ID", "STATUS", "KIND", "FOR", "CC",
		     "PERIOD", "MEMBERS");
		status_row(rec);
		jv_free(rec);
	} else {
		out_jv(rec);
	}
	return 0;
}

static void duration_text(long secs, char *out, size_t n)
{
	snprintf(out, n, "%ldd %02ldh %02ldm", secs / 86400, secs % 86400 / 3600, secs % 3600 / 60);
}

static int cmd_report(struct store *s)
{
	struct deploy_report r = {0};
	char from[RFC3339_LEN], to[RFC3339_LEN], text[64];
	time_t a, b, now = clock_now();
	jv dep;
	int rc;
	if (cfg.nargs != 1)
		errx(CCC_EX_USAGE, "report: give one deployment id");
	if ((rc = deploy_get(s, cfg.args[0], &dep)))
		return rc;
	if ((rc = deploy_report_load(s, cfg.args[0], &r))) {
		jv_free(dep);
		return rc;
	}
	jv members = jv_object_get(jv_copy(dep), jv_string("members"));
	jv_array_foreach (members, i, m) {
		if (jv_get_str(m, "staff"))
			deploy_report_member(&r, jv_get_str(m, "staff"));
		jv_free(m);
	}
	jv_free(members);
	const char *status = jv_get_str(dep, "status");
	const char *started = jv_get_str(dep, "started_at"), *ended = jv_get_str(dep, "ended_at");
	int ongoing = status && !strcmp(status, "active");
	clock_parse(started ? started : jv_get_str(dep, "starts_at"), &a);
	if (ended)
		clock_parse(ended, &b);
	else if (ongoing)
		b = now;
	else
		clock_parse(jv_get_str(dep, "ends_at"), &b);
	if (b < a)
		b = a;
	clock_format(a, from);
	clock_format(b, to);
	duration_text((long)(b - a), text, sizeof text);
	jv dur = JV_OBJECT(jv_string("from"), jv_string(from), jv_string("to"), jv_string(to),
			   jv_string("seconds"), jv_number((double)(b - a)));
	dur = jv_object_set(dur, jv_string("text"), jv_string(text));
	dur = jv_object_set(dur, jv_string("started"), jv_bool(started != NULL));
	dur = jv_object_set(dur, jv_string("ongoing"), jv_bool(ongoing));
	jv rec = JV_OBJECT(jv_string("type"), jv_string("report"), jv_string("v"),
			   jv_number(RECORD_VERSION), jv_string("id"), jv_string(cfg.args[0]));
	rec = jv_object_set(rec, jv_string("deployment"), jv_string(cfg.args[0]));
	rec = jv_object_set(rec, jv_string("status"), jv_string(status ? status : "?"));
	rec = jv_object_set(rec, jv_string("duration"), dur);
	jv counts = deploy_report_json(&r);
	jv_object_foreach (counts, k, v) {
		rec = jv_object_set(rec, k, v);
	}
	jv_free(counts);
	if (table_output()) {
		outf("%s (%s): %s, from %s to %s%s\n", cfg.args[0], status ? status : "?", text,
		     from, to, ongoing ? " (ongoing)" : "");
		outf("%ld checks, %ld hits\n", r.checks, r.hits);
		const struct {
			const char *title;
			const struct deploy_tally *t;
			size_t n;
		} parts[] = {{"DAY", r.days, r.ndays},
			     {"DATABASE", r.dbs, r.ndbs},
			     {"MEMBER", r.members, r.nmembers}};
		for (size_t p = 0; p < 3; p++) {
			outf("%-24s %8s %8s\n", parts[p].title, "CHECKS", "HITS");
			for (size_t i = 0; i < parts[p].n; i++)
				outf("%-24s %8ld %8ld\n", parts[p].t[i].key, parts[p].t[i].checks,
				     parts[p].t[i].hits);
		}
		jv_free(rec);
	} else {
		out_jv(rec);
	}
	jv_free(dep);
	deploy_report_free(&r);
	return 0;
}

/* ---- the rota ---- */

/* Minutes after midnight (0 ... 1439) as "HH:MM" into out[6]. */
static void hm(int minutes, char *out)
{
	unsigned m = (unsigned)minutes % 1440;
	snprintf(out, 6, "%02u:%02u", m / 60 % 24, m % 60);
}

static void utc_hm(time_t t, time_t day, char *out)
{
	if (t - day >= 86400) {
		snprintf(out, 7, "24:00Z");
		return;
	}
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 7, "%02d:%02dZ", tm.tm_hour, tm.tm_min);
}

static void offset_text(long off, char *out)
{
	long a = off < 0 ? -off : off;
	snprintf(out, 7, "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600 % 100, a % 3600 / 60);
}

static jv site_names(const struct rota_site *sites, unsigned mask)
{
	jv a = jv_array();
	for (int i = 0; i < ROTA_NSITES; i++)
		if (mask & (1u << i))
			a = jv_array_append(a, jv_string(sites[i].name));
	return a;
}

static int cmd_rota(struct store *s)
{
	struct rota_site sites[ROTA_NSITES];
	struct rota_day rd;
	struct deploy_person *people;
	size_t n;
	time_t at = clock_now(), day;
	char why[256], buf[RFC3339_LEN], t1[8], t2[8];
	int rc, table = table_output();

	if (cfg.nargs)
		errx(CCC_EX_USAGE, "rota: unexpected argument '%s'", cfg.args[0]);
	rota_default_sites(sites);
	if (cfg.hours && rota_set_hours(sites, ROTA_NSITES, cfg.hours, why, sizeof why) < 0)
		errx(CCC_EX_USAGE, "rota: --hours: %s", why);
	if (cfg.at && deploy_parse_when(cfg.at, 0, &at) < 0)
		errx(CCC_EX_USAGE, "rota: --at '%s' is not a date or an RFC 3339 time", cfg.at);
	if (cfg.date) {
		if (strlen(cfg.date) != 10 || deploy_parse_when(cfg.date, 0, &day) < 0)
			errx(CCC_EX_USAGE, "rota: --date '%s' is not a date (YYYY-MM-DD)",
			     cfg.date);
	} else {
		day = at - at % 86400;
	}
	for (int i = 0; i < ROTA_NSITES; i++)
		if (rota_zone_check(sites[i].zone) < 0)
			errx(CCC_EX_UNAVAILABLE,
			     "rota: time zone '%s' is not in the time zone database (apt-get "
			     "install tzdata)",
			     sites[i].zone);
	if ((rc = deploy_staff_load(s, at, &people, &n)))
		return rc;
	rota_plan_day(sites, ROTA_NSITES, day, &rd);

	char date[11];
	deploy_format_day(day, date);
	jv jsites = jv_array();
	for (int i = 0; i < ROTA_NSITES; i++) {
		char hours[16], off[8], o[6], c[6];
		struct tm tm;
		hm(sites[i].opens, o);
		hm(sites[i].closes, c);
		snprintf(hours, sizeof hours, "%s-%s", o, c);
		offset_text(rota_utc_to_local(sites[i].zone, day + 43200, &tm), off);
		jv watch = jv_array();
		for (int k = 0; k < rd.nshift[i]; k++) {
			char a[RFC3339_LEN], b[RFC3339_LEN];
			clock_format(rd.shift[i][k].from, a);
			clock_format(rd.shift[i][k].to, b);
			watch = jv_array_append(watch, JV_OBJECT(jv_string("from"), jv_string(a),
								 jv_string("to"), jv_string(b)));
		}
		jv js =
		    JV_OBJECT(jv_string("site"), jv_string(sites[i].name), jv_string("time_zone"),
			      jv_string(sites[i].zone), jv_string("utc_offset"), jv_string(off));
		js = jv_object_set(js, jv_string("hours"), jv_string(hours));
		jsites = jv_array_append(jsites, jv_object_set(js, jv_string("watch"), watch));
	}
	jv segs = jv_array(), gaps = jv_array(), handovers = jv_array();
	for (int k = 0; k < rd.nseg; k++) {
		char a[RFC3339_LEN], b[RFC3339_LEN];
		clock_format(rd.seg[k].from, a);
		clock_format(rd.seg[k].to, b);
		segs = jv_array_append(
		    segs, JV_OBJECT(jv_string("from"), jv_string(a), jv_string("to"), jv_string(b),
				    jv_string("sites"), site_names(sites, rd.seg[k].sites)));
		if (!rd.seg[k].sites)
			gaps = jv_array_append(gaps, JV_OBJECT(jv_string("from"), jv_string(a),
							       jv_string("to"), jv_string(b)));
		if (k > 0)
			handovers = jv_array_append(
			    handovers,
			    JV_OBJECT(jv_string("at"), jv_string(a), jv_string("from"),
				      site_names(sites, rd.seg[k - 1].sites), jv_string("to"),
				      site_names(sites, rd.seg[k].sites)));
	}
	clock_format(at, buf);
	jv duty = jv_array();
	for (int i = 0; i < ROTA_NSITES; i++) {
		if (!rota_on_duty(&sites[i], at))
			continue;
		struct tm tm;
		char local[8];
		rota_utc_to_local(sites[i].zone, at, &tm);
		snprintf(local, sizeof local, "%02d:%02d", tm.tm_hour, tm.tm_min);
		jv staff = jv_array();
		for (size_t p = 0; p < n; p++)
			if (!strcmp(people[p].site, sites[i].name) && !booked_at(&people[p], at) &&
			    !away_at(&people[p], at))
				staff = jv_array_append(staff, jv_string(people[p].id));
		duty = jv_array_append(duty, JV_OBJECT(jv_string("site"), jv_string(sites[i].name),
						       jv_string("local_time"), jv_string(local),
						       jv_string("staff"), staff));
	}
	free(people);
	char id[32];
	snprintf(id, sizeof id, "rota-%s", date);
	jv rec = JV_OBJECT(jv_string("type"), jv_string("rota"), jv_string("v"),
			   jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	rec = jv_object_set(rec, jv_string("date"), jv_string(date));
	rec = jv_object_set(rec, jv_string("sites"), jsites);
	rec = jv_object_set(rec, jv_string("segments"), segs);
	rec = jv_object_set(rec, jv_string("handovers"), handovers);
	rec = jv_object_set(rec, jv_string("gaps"), gaps);
	rec = jv_object_set(rec, jv_string("on_duty"),
			    JV_OBJECT(jv_string("at"), jv_string(buf), jv_string("sites"), duty));
	if (!table) {
		out_jv(rec);
		return 0;
	}
	outf("Watch for %s (UTC)\n", date);
	outf("%-13s %-31s %-7s %-12s %s\n", "SITE", "TIME ZONE", "UTC", "LOCAL HOURS",
	     "WATCH (UTC)");
	for (int i = 0; i < ROTA_NSITES; i++) {
		struct tm tm;
		char off[8], o[6], c[6], w[64] = "";
		size_t len = 0;
		offset_text(rota_utc_to_local(sites[i].zone, day + 43200, &tm), off);
		hm(sites[i].opens, o);
		hm(sites[i].closes, c);
		for (int k = 0; k < rd.nshift[i]; k++) {
			utc_hm(rd.shift[i][k].from, day, t1);
			utc_hm(rd.shift[i][k].to, day, t2);
			len += (size_t)snprintf(w + len, sizeof w - len, "%s%s-%s", k ? ", " : "",
						t1, t2);
		}
		outf("%-13s %-31s %-7s %s-%s  %s\n", sites[i].name, sites[i].zone, off, o, c, w);
	}
	outf("%-7s %-7s %s\n", "FROM", "TO", "ON DUTY");
	for (int k = 0; k < rd.nseg; k++) {
		char names[64] = "";
		size_t len = 0;
		utc_hm(rd.seg[k].from, day, t1);
		utc_hm(rd.seg[k].to, day, t2);
		for (int i = 0; i < ROTA_NSITES; i++)
			if (rd.seg[k].sites & (1u << i))
				len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
							len ? ", " : "", sites[i].name);
		outf("%-7s %-7s %s\n", t1, t2, rd.seg[k].sites ? names : "GAP: no site on duty");
	}
	jv sites_now =
	    jv_object_get(jv_object_get(jv_copy(rec), jv_string("on_duty")), jv_string("sites"));
	outf("On duty at %s:%s\n", buf,
	     jv_array_length(jv_copy(sites_now)) ? "" : " nobody (a gap)");
	jv_array_foreach (sites_now, i, x) {
		jv st = jv_object_get(jv_copy(x), jv_string("staff"));
		char ids[1024];
		join(st, ",", ids, sizeof ids);
		outf("  %s (%s local): %d staff: %s\n", jv_get_str(x, "site"),
		     jv_get_str(x, "local_time"), jv_array_length(jv_copy(st)), ids);
		jv_free(st);
		jv_free(x);
	}
	jv_free(sites_now);
	jv_free(rec);
	return 0;
}

static int run_staff(struct store *s, const char *name)
{
	if (!strcmp(name, "import"))
		return cmd_staff_import(s);
	if (!strcmp(name, "list"))
		return cmd_staff_list(s, NULL);
	if (!strcmp(name, "show"))
		return cmd_staff_list(s, cfg.args[0]);
	return cmd_staff_write(s, cfg.args[0], !strcmp(name, "add"));
}

static int run_plan(struct store *s, const char *name)
{
	(void)name;
	return cmd_plan(s);
}

static int run_status(struct store *s, const char *name)
{
	(void)name;
	return cmd_status(s);
}

static int run_report(struct store *s, const char *name)
{
	(void)name;
	return cmd_report(s);
}

static int run_rota(struct store *s, const char *name)
{
	(void)name;
	return cmd_rota(s);
}

static const struct subcmd cmds[] = {
    {"staff add", SUBCMD_WRITE, 1, 1, "ID", 0, run_staff, "add a member"},
    {"staff import", SUBCMD_WRITE, 0, -1, "FILE", 1, run_staff, "add or replace members"},
    {"staff update", SUBCMD_WRITE, 1, 1, "ID", 0, run_staff, "change a member"},
    {"staff list", SUBCMD_READ, 0, 0, NULL, 0, run_staff, "the roster"},
    {"staff show", SUBCMD_READ, 1, 1, "ID", 0, run_staff, "one member"},
    {"plan", SUBCMD_WRITE, 0, 0, NULL, 0, run_plan, "propose a team"},
    {"approve", SUBCMD_WRITE, 1, 1, "PLAN", 0, cmd_change, "make the plan a deployment"},
    {"start", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_change, "the team is on its way"},
    {"extend", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_change, "move the end"},
    {"end", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_change, "the team is back"},
    {"recall", SUBCMD_WRITE, 1, 1, "ID", 0, cmd_change, "withdraw the team early"},
    {"status", SUBCMD_READ, 0, 1, "ID", 0, run_status, "deployments under way"},
    {"report", SUBCMD_READ, 1, 1, "ID", 0, run_report, "field checks per day"},
    {"rota", SUBCMD_READ, 0, 0, NULL, 0, run_rota, "the watch of the three sites"},
};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, prog_doc, children, ccc_exit_help_filter, NULL};

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	signal(SIGPIPE, SIG_IGN);
	int rc = subcmd_dispatch(cmds, sizeof cmds / sizeof cmds[0], &cfg.nargs, &cfg.args,
				 ccc_opts.store, ccc_opts.key);
	return out_close(rc);
}
