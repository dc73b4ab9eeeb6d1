/*
 * deploy-tables.c: ccc-deploy's records as tables.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/deploy-plan.h"
#include "ccc/deploy-tables.h"
#include "ccc/json.h"
#include "ccc/out.h"

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

/* Join the strings of array a (consumed) with sep into out; out. */
static const char *join(jv a, const char *sep, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	if (jv_get_kind(a) == JV_KIND_ARRAY) {
		jv_array_foreach (a, i, x) {
			if (jv_get_kind(x) == JV_KIND_STRING && len + 1 < n)
				len += (size_t)snprintf(out + len, n - len, "%s%s", i ? sep : "",
							jv_string_value(x));
			jv_free(x);
		}
	}
	jv_free(a);
	return out;
}

/* Field key of object o (not consumed). */
static jv field(jv o, const char *key)
{
	return jv_object_get(jv_copy(o), jv_string(key));
}

/* The period of a record with starts_at and ends_at into out[32]. */
static const char *period(jv rec, char *out)
{
	time_t a = 0, b = 0;
	clock_parse(jv_get_str(rec, "starts_at"), &a);
	clock_parse(jv_get_str(rec, "ends_at"), &b);
	deploy_format_period(a, b, out);
	return out;
}

struct table *deploy_staff_table(void)
{
	static const struct table_col cols[] = {{"ID", 0, 0, NULL},        {"NAME", 24, 0, NULL},
						{"SITE", 0, 0, NULL},      {"LEAD", 0, 0, NULL},
						{"LANGUAGES", 0, 0, NULL}, {"IRT", 0, 0, NULL},
						{"IMEST", 0, 0, NULL},     {"NOW", 0, 0, NULL}};
	return table_new(cols, 8);
}

void deploy_staff_row(struct table *t, const struct deploy_person *p, time_t now)
{
	char langs[128], irt[11] = "-", imest[11] = "-", state[200], why[160];
	unsigned ready = deploy_ready_kinds(p, now, why, sizeof why);
	const char *dep = deploy_booked_at(p, now), *away = deploy_away_at(p, now);
	deploy_person_langs(p, langs, sizeof langs);
	if (p->training_until[TRAINING_IRT])
		deploy_format_day(p->training_until[TRAINING_IRT] - 1, irt);
	if (p->training_until[TRAINING_IMEST])
		deploy_format_day(p->training_until[TRAINING_IMEST] - 1, imest);
	if (dep)
		snprintf(state, sizeof state, "deployed %s", dep);
	else if (away)
		snprintf(state, sizeof state, "away: %s", away);
	else if (ready == 3)
		snprintf(state, sizeof state, "ready");
	else if (ready)
		snprintf(state, sizeof state, "ready (%s only)", ready == 1 ? "irt" : "imest");
	else
		snprintf(state, sizeof state, "not ready: %s", why);
	table_add(t, (const char *[]){p->id, p->name, p->site,
				      p->skills & (1u << SKILL_TEAM_LEAD) ? "yes" : "", langs, irt,
				      imest, state});
}

void deploy_staff_detail(struct table *t, jv rec)
{
	char skills[512];
	table_flush(t);
	outf("  skills: %s\n", join(field(rec, "skills"), ", ", skills, sizeof skills));
}

void deploy_plan_table(jv rec)
{
	static const struct table_col cols[] = {{"STAFF", 0, 0, NULL},   {"NAME", 24, 0, NULL},
						{"SITE", 0, 0, NULL},    {"ROLE", 0, 0, NULL},
						{"SKILLS", 30, 0, NULL}, {"LANGUAGES", 0, 0, NULL}};
	char when[32], covers[256], langs[128];
	const char *id = jv_get_str(rec, "id");
	outf("%s %s for %s in %s, %s\n", id ? id : "(not stored)", jv_get_str(rec, "kind"),
	     jv_get_str(rec, "for"), jv_get_str(rec, "country"), period(rec, when));
	struct table *t = table_new(cols, 6);
	jv members = field(rec, "members");
	jv_array_foreach (members, i, m) {
		jv c = field(m, "covers");
		join(field(c, "skills"), ",", covers, sizeof covers);
		join(field(c, "languages"), ",", langs, sizeof langs);
		table_add(t, (const char *[]){jv_get_str(m, "staff"), jv_get_str(m, "name"),
					      jv_get_str(m, "site"), jv_get_str(m, "role"), covers,
					      langs});
		jv_free(c);
		jv_free(m);
	}
	jv_free(members);
	table_free(t);
	jv unmet = field(rec, "unmet");
	jv_array_foreach (unmet, i, u) {
		const char *what =
		    jv_get_str(u, "skill") ? jv_get_str(u, "skill") : jv_get_str(u, "lang");
		outf("unmet: %s %s: %s\n", jv_get_str(u, "need"), what ? what : "",
		     jv_get_str(u, "reason"));
		jv_free(u);
	}
	jv_free(unmet);
}

void deploy_deployments_table(jv list)
{
	static const struct table_col cols[] = {{"ID", 0, 0, NULL},     {"STATUS", 0, 0, NULL},
						{"KIND", 0, 0, NULL},   {"FOR", 16, 0, NULL},
						{"CC", 0, 0, NULL},     {"PERIOD", 0, 0, NULL},
						{"MEMBERS", 0, 0, NULL}};
	struct table *t = table_new(cols, 7);
	jv_array_foreach (list, i, rec) {
		char when[32], ids[512];
		jv staff = jv_array(), members = field(rec, "members");
		jv_array_foreach (members, k, m) {
			staff = jv_array_append(staff, field(m, "staff"));
			jv_free(m);
		}
		jv_free(members);
		table_add(t, (const char *[]){jv_get_str(rec, "id"), jv_get_str(rec, "status"),
					      jv_get_str(rec, "kind"), jv_get_str(rec, "for"),
					      jv_get_str(rec, "country"), period(rec, when),
					      join(staff, ",", ids, sizeof ids)});
		jv_free(rec);
	}
	table_free(t);
}

/* The tallies of rec's array key, under heading title. */
static void tally_table(jv rec, const char *key, const char *title, const char *what)
{
	const struct table_col cols[] = {
	    {title, 0, 0, what}, {"CHECKS", 0, 1, "checks"}, {"HITS", 0, 1, "hits"}};
	struct table *t = table_new(cols, 3);
	jv list = field(rec, key);
	jv_array_foreach (list, i, x) {
		table_add_jv(t, x);
		jv_free(x);
	}
	jv_free(list);
	table_free(t);
}

void deploy_report_table(jv rec)
{
	jv d = field(rec, "duration"), ongoing = field(d, "ongoing"), c = field(rec, "checks"),
	   h = field(rec, "hits");
	outf("%s (%s): %s, from %s to %s%s\n", jv_get_str(rec, "id"), jv_get_str(rec, "status"),
	     jv_get_str(d, "text"), jv_get_str(d, "from"), jv_get_str(d, "to"),
	     jv_get_kind(ongoing) == JV_KIND_TRUE ? " (ongoing)" : "");
	outf("%.0f checks, %.0f hits\n", jv_get_kind(c) == JV_KIND_NUMBER ? jv_number_value(c) : 0,
	     jv_get_kind(h) == JV_KIND_NUMBER ? jv_number_value(h) : 0);
	tally_table(rec, "by_day", "DAY", "day");
	tally_table(rec, "by_db", "DATABASE", "db");
	tally_table(rec, "by_member", "MEMBER", "member");
	jv_free(d);
	jv_free(ongoing);
	jv_free(c);
	jv_free(h);
}

/* The UTC time of day of RFC 3339 t as "HH:MMZ" into out[8]; "24:00Z"
 * when t is on another day than date. */
static const char *utc_hm(const char *t, const char *date, char *out)
{
	if (!t || strlen(t) < 16)
		return "";
	snprintf(out, 8, "%.5sZ", strncmp(t, date, 10) ? "24:00" : t + 11);
	return out;
}

/* Times of spans (an array, not consumed) as "HH:MMZ-HH:MMZ, ...". */
static const char *spans_text(jv spans, const char *date, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	jv_array_foreach (spans, k, x) {
		char a[8], b[8];
		if (len < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s-%s", k ? ", " : "",
						utc_hm(jv_get_str(x, "from"), date, a),
						utc_hm(jv_get_str(x, "to"), date, b));
		jv_free(x);
	}
	return out;
}

void deploy_rota_table(jv rec)
{
	static const struct table_col site_cols[] = {{"SITE", 0, 0, NULL},
						     {"TIME ZONE", 0, 0, NULL},
						     {"UTC", 0, 0, NULL},
						     {"LOCAL HOURS", 0, 0, NULL},
						     {"WATCH (UTC)", 0, 0, NULL}};
	static const struct table_col seg_cols[] = {
	    {"FROM", 0, 0, NULL}, {"TO", 0, 0, NULL}, {"ON DUTY", 0, 0, NULL}};
	const char *date = jv_get_str(rec, "date");
	char w[256], a[8], b[8], names[256];
	outf("Watch for %s (UTC)\n", date);
	struct table *t = table_new(site_cols, 5);
	jv sites = field(rec, "sites");
	jv_array_foreach (sites, i, x) {
		jv watch = field(x, "watch");
		table_add(t, (const char *[]){jv_get_str(x, "site"), jv_get_str(x, "time_zone"),
					      jv_get_str(x, "utc_offset"), jv_get_str(x, "hours"),
					      spans_text(watch, date, w, sizeof w)});
		jv_free(watch);
		jv_free(x);
	}
	jv_free(sites);
	table_free(t);
	t = table_new(seg_cols, 3);
	jv segs = field(rec, "segments");
	jv_array_foreach (segs, k, x) {
		jv on = field(x, "sites");
		int gap = jv_array_length(jv_copy(on)) == 0;
		join(on, ", ", names, sizeof names);
		table_add(t, (const char *[]){utc_hm(jv_get_str(x, "from"), date, a),
					      utc_hm(jv_get_str(x, "to"), date, b),
					      gap ? "GAP: no site on duty" : names});
		jv_free(x);
	}
	jv_free(segs);
	table_free(t);
	jv duty = field(rec, "on_duty"), now = field(duty, "sites");
	outf("On duty at %s:%s\n", jv_get_str(duty, "at"),
	     jv_array_length(jv_copy(now)) ? "" : " nobody (a gap)");
	jv_array_foreach (now, i, x) {
		jv st = field(x, "staff");
		char ids[1024];
		int nstaff = jv_array_length(jv_copy(st));
		outf("  %s (%s local): %d staff: %s\n", jv_get_str(x, "site"),
		     jv_get_str(x, "local_time"), nstaff, join(st, ",", ids, sizeof ids));
		jv_free(x);
	}
	jv_free(now);
	jv_free(duty);
}

void deploy_sessions_table(jv list)
{
	static const struct table_col cols[] = {{"SESSION", 0, 0, "id"},  {"COURSE", 0, 0, NULL},
						{"DATE", 0, 0, NULL},     {"SITE", 0, 0, NULL},
						{"TRAINER", 20, 0, NULL}, {"PERSON", 0, 0, NULL},
						{"RESULT", 0, 0, NULL},   {"EXPIRES", 0, 0, NULL}};
	struct table *t = table_new(cols, 8);
	jv_array_foreach (list, i, rec) {
		const char *head[5] = {jv_get_str(rec, "id"), jv_get_str(rec, "course"),
				       jv_get_str(rec, "date"), jv_get_str(rec, "site"),
				       jv_get_str(rec, "trainer")};
		jv att = jv_object_get(jv_copy(rec), jv_string("attendance"));
		int rows = 0;
		if (jv_get_kind(att) == JV_KIND_ARRAY) {
			jv_array_foreach (att, k, a) {
				table_add(t, (const char *[]){head[0], head[1], head[2], head[3],
							      head[4], jv_get_str(a, "person"),
							      jv_get_str(a, "result"),
							      jv_get_str(a, "expires")});
				rows++;
				jv_free(a);
			}
		}
		if (!rows)
			table_add(t, (const char *[]){head[0], head[1], head[2], head[3], head[4],
						      NULL, NULL, NULL});
		jv_free(att);
		jv_free(rec);
	}
	jv_free(list);
	table_free(t);
}
