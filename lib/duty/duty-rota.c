/*
 * duty-rota.c: the watch of one UTC day from the stored duty plan, for
 * ccc-deploy rota. Only duty.h's interface is used: duty_on_at tells the
 * shifts at work and the next to start, duty_coverage the gaps; the roster
 * (deploy-roster.h) tells who of a shift is away or deployed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/duty-rota.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/out.h"
#include "ccc/table.h"

enum { ROTA_SITES = 16, ROTA_SHIFTS = 8, ROTA_SPANS = 16 };

/* A site as the day's shifts show it. */
struct rsite {
	char site[65], zone[128];
	int nshift;
	char shift[ROTA_SHIFTS][65], hours[ROTA_SHIFTS][12];
	int nwatch;
	time_t wfrom[ROTA_SPANS], wto[ROTA_SPANS];
};

static const char *str(jv r, const char *key)
{
	const char *s = jv_get_str(r, key);
	return s ? s : "";
}

/* The duty records at work at t (state "on"); *cut the first change after
 * t (duty_next_change), at the latest the next hour or limit. */
static jv at_work(struct duty_plan *p, time_t t, time_t limit, time_t *cut)
{
	jv all, on = jv_array();
	time_t c = t - t % 3600 + 3600, e = duty_next_change(p, t);
	if (e > t && e < c)
		c = e;
	if (c > limit)
		c = limit;
	duty_on_at(p, t, &all);
	jv_array_foreach (all, i, r) {
		if (!strcmp(str(r, "state"), "on"))
			on = jv_array_append(on, r);
		else
			jv_free(r);
	}
	jv_free(all);
	*cut = c;
	return on;
}

/* {"shift","site","people"} of each record of on (consumed). */
static jv shifts_of(jv on)
{
	jv out = jv_array();
	jv_array_foreach (on, i, r) {
		out =
		    jv_array_append(out, JV_OBJECT(jv_string("shift"), jv_string(str(r, "shift")),
						   jv_string("site"), jv_string(str(r, "site")),
						   jv_string("people"),
						   jv_object_get(jv_copy(r), jv_string("people"))));
		jv_free(r);
	}
	jv_free(on);
	return out;
}

/* The sites of on (consumed), each once. */
static jv sites_of(jv on)
{
	jv out = jv_array();
	jv_array_foreach (on, i, r) {
		int seen = 0;
		jv_array_foreach (out, k, s) {
			seen |= !strcmp(jv_string_value(s), str(r, "site"));
			jv_free(s);
		}
		if (!seen)
			out = jv_array_append(out, jv_string(str(r, "site")));
		jv_free(r);
	}
	jv_free(on);
	return out;
}

static struct rsite *site_get(struct rsite *s, int *n, jv r)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(s[i].site, str(r, "site")))
			return &s[i];
	if (*n == ROTA_SITES)
		return NULL;
	struct rsite *x = &s[(*n)++];
	memset(x, 0, sizeof *x);
	snprintf(x->site, sizeof x->site, "%s", str(r, "site"));
	snprintf(x->zone, sizeof x->zone, "%s", str(r, "time_zone"));
	return x;
}

/* Note the shifts of on (consumed) at work in [from, to). */
static void sites_note(struct rsite *s, int *n, jv on, time_t from, time_t to)
{
	jv_array_foreach (on, i, r) {
		struct rsite *x = site_get(s, n, r);
		int k;
		for (k = 0; x && k < x->nshift && strcmp(x->shift[k], str(r, "shift")); k++)
			;
		if (x && k == x->nshift && k < ROTA_SHIFTS) {
			const char *a = str(r, "local_from"), *b = str(r, "local_to");
			snprintf(x->shift[k], sizeof x->shift[k], "%s", str(r, "shift"));
			snprintf(x->hours[k], sizeof x->hours[k], "%.5s-%.5s",
				 strlen(a) >= 16 ? a + 11 : "", strlen(b) >= 16 ? b + 11 : "");
			x->nshift++;
		}
		if (x && x->nwatch && x->wto[x->nwatch - 1] >= from) {
			if (to > x->wto[x->nwatch - 1])
				x->wto[x->nwatch - 1] = to;
		} else if (x && x->nwatch < ROTA_SPANS) {
			x->wfrom[x->nwatch] = from;
			x->wto[x->nwatch++] = to;
		}
		jv_free(r);
	}
	jv_free(on);
}

static jv span(time_t from, time_t to)
{
	char a[RFC3339_LEN], b[RFC3339_LEN];
	clock_format(from, a);
	clock_format(to, b);
	return JV_OBJECT(jv_string("from"), jv_string(a), jv_string("to"), jv_string(b));
}

static jv sites_jv(const struct rsite *s, int n, time_t day)
{
	jv out = jv_array();
	for (int i = 0; i < n; i++) {
		char local[40], hours[ROTA_SHIFTS * 13] = "";
		size_t len = 0;
		jv shifts = jv_array(), watch = jv_array();
		duty_local_text(s[i].zone, day + 43200, local, sizeof local);
		for (int k = 0; k < s[i].nshift; k++) {
			shifts = jv_array_append(shifts, jv_string(s[i].shift[k]));
			len += (size_t)snprintf(hours + len, sizeof hours - len, "%s%s",
						k ? "," : "", s[i].hours[k]);
		}
		for (int k = 0; k < s[i].nwatch; k++)
			watch = jv_array_append(watch, span(s[i].wfrom[k], s[i].wto[k]));
		jv r = JV_OBJECT(jv_string("site"), jv_string(s[i].site), jv_string("time_zone"),
				 jv_string(s[i].zone), jv_string("utc_offset"),
				 jv_string(strlen(local) >= 22 ? local + 16 : ""));
		r = jv_object_set(r, jv_string("hours"), jv_string(hours));
		r = jv_object_set(r, jv_string("shifts"), shifts);
		out = jv_array_append(out, jv_object_set(r, jv_string("watch"), watch));
	}
	return out;
}

/* Why person is not at work at t: a deployment's id, a reason, or NULL. */
static const char *away_why(const char *person, time_t t, const struct deploy_person *people,
			    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(people[i].id, person) != 0)
			continue;
		const char *b = deploy_booked_at(&people[i], t);
		return b ? b : deploy_away_at(&people[i], t);
	}
	return NULL;
}

/* Who is on duty at t, site by site, and the shifts that start next. */
static jv on_duty_jv(struct duty_plan *p, time_t t, const struct deploy_person *people,
		     size_t npeople)
{
	jv all, sites = jv_array(), next = jv_array();
	char at[RFC3339_LEN];
	duty_on_at(p, t, &all);
	jv_array_foreach (all, i, r) {
		jv who = jv_object_get(jv_copy(r), jv_string("people"));
		if (strcmp(str(r, "state"), "on") != 0) {
			next = jv_array_append(
			    next, JV_OBJECT(jv_string("shift"), jv_string(str(r, "shift")),
					    jv_string("site"), jv_string(str(r, "site")),
					    jv_string("from"), jv_string(str(r, "from")),
					    jv_string("people"), who));
			jv_free(r);
			continue;
		}
		int k, n = jv_array_length(jv_copy(sites));
		for (k = 0; k < n; k++) {
			jv x = jv_array_get(jv_copy(sites), k);
			int same = !strcmp(str(x, "site"), str(r, "site"));
			jv_free(x);
			if (same)
				break;
		}
		jv x;
		if (k == n) {
			char local[40];
			duty_local_text(str(r, "time_zone"), t, local, sizeof local);
			x = JV_OBJECT(jv_string("site"), jv_string(str(r, "site")),
				      jv_string("local_time"),
				      jv_string(strlen(local) >= 16 ? local + 11 : ""),
				      jv_string("shifts"), jv_array(), jv_string("staff"),
				      jv_array(), jv_string("away"), jv_array());
			char hm[6];
			snprintf(hm, sizeof hm, "%s", jv_get_str(x, "local_time"));
			x = jv_object_set(x, jv_string("local_time"), jv_string(hm));
		} else {
			x = jv_array_get(jv_copy(sites), k);
		}
		jv sh = jv_object_get(jv_copy(x), jv_string("shifts"));
		jv staff = jv_object_get(jv_copy(x), jv_string("staff"));
		jv away = jv_object_get(jv_copy(x), jv_string("away"));
		sh = jv_array_append(sh, jv_string(str(r, "shift")));
		if (jv_get_kind(who) == JV_KIND_ARRAY) {
			jv_array_foreach (who, m, w) {
				const char *why = away_why(jv_string_value(w), t, people, npeople);
				if (why)
					away = jv_array_append(
					    away, JV_OBJECT(jv_string("person"), jv_copy(w),
							    jv_string("why"), jv_string(why)));
				else
					staff = jv_array_append(staff, jv_copy(w));
				jv_free(w);
			}
		}
		jv_free(who);
		x = jv_object_set(x, jv_string("shifts"), sh);
		x = jv_object_set(x, jv_string("staff"), staff);
		x = jv_object_set(x, jv_string("away"), away);
		sites = jv_array_set(sites, k, x);
		jv_free(r);
	}
	jv_free(all);
	clock_format(t, at);
	return JV_OBJECT(jv_string("at"), jv_string(at), jv_string("sites"), sites,
			 jv_string("next"), next);
}

jv duty_rota_record(struct duty_plan *p, time_t day, time_t at, const struct deploy_person *people,
		    size_t npeople, int *ngaps)
{
	struct rsite site[ROTA_SITES];
	int nsite = 0;
	time_t end = day + 86400, cut;
	jv segs = jv_array(), handovers = jv_array(), prev = jv_null(), prev_sites = jv_null();
	for (time_t t = day; t < end; t = cut) {
		jv on = at_work(p, t, end, &cut);
		jv key = shifts_of(jv_copy(on)), where = sites_of(jv_copy(on));
		sites_note(site, &nsite, on, t, cut);
		if (jv_get_kind(prev) != JV_KIND_NULL && jv_equal(jv_copy(prev), jv_copy(key))) {
			int last = jv_array_length(jv_copy(segs)) - 1;
			jv seg = jv_array_get(jv_copy(segs), last);
			char b[RFC3339_LEN];
			clock_format(cut, b);
			segs = jv_array_set(segs, last,
					    jv_object_set(seg, jv_string("to"), jv_string(b)));
			jv_free(key);
			jv_free(where);
			continue;
		}
		if (jv_get_kind(prev) != JV_KIND_NULL) {
			char a[RFC3339_LEN];
			clock_format(t, a);
			handovers = jv_array_append(
			    handovers,
			    JV_OBJECT(jv_string("at"), jv_string(a), jv_string("from"),
				      jv_copy(prev_sites), jv_string("to"), jv_copy(where)));
		}
		jv seg = span(t, cut);
		seg = jv_object_set(seg, jv_string("sites"), jv_copy(where));
		segs = jv_array_append(segs, jv_object_set(seg, jv_string("on"), jv_copy(key)));
		jv_free(prev);
		jv_free(prev_sites);
		prev = key;
		prev_sites = where;
	}
	jv_free(prev);
	jv_free(prev_sites);

	struct duty_need need;
	for (int h = 0; h < 24; h++)
		need.need[h] = 1;
	jv gaps;
	long covered = 0;
	duty_coverage(p, day, end, &need, &gaps, &covered);
	*ngaps = jv_array_length(jv_copy(gaps));

	char date[11], id[32];
	deploy_format_day(day, date);
	snprintf(id, sizeof id, "rota-%s", date);
	jv rec = JV_OBJECT(jv_string("type"), jv_string("rota"), jv_string("v"),
			   jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	rec = jv_object_set(rec, jv_string("date"), jv_string(date));
	rec = jv_object_set(rec, jv_string("source"), jv_string("plan"));
	rec = jv_object_set(rec, jv_string("sites"), sites_jv(site, nsite, day));
	rec = jv_object_set(rec, jv_string("segments"), segs);
	rec = jv_object_set(rec, jv_string("handovers"), handovers);
	rec = jv_object_set(rec, jv_string("gaps"), gaps);
	rec = jv_object_set(rec, jv_string("covered"), jv_number((double)covered));
	return jv_object_set(rec, jv_string("on_duty"), on_duty_jv(p, at, people, npeople));
}

/* ---- as text ---- */

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

static jv field(jv o, const char *key)
{
	return jv_object_get(jv_copy(o), jv_string(key));
}

/* The strings of array a (consumed) joined with sep into out. */
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

/* The UTC time of day of RFC 3339 t as "HH:MMZ" into out[8]; "24:00Z"
 * when t is on another day than date. */
static const char *utc_hm(const char *t, const char *date, char *out)
{
	if (!t || strlen(t) < 16)
		return "";
	snprintf(out, 8, "%.5sZ", strncmp(t, date, 10) ? "24:00" : t + 11);
	return out;
}

void duty_rota_table(jv rec)
{
	static const struct table_col site_cols[] = {
	    {"SITE", 0, 0, NULL},        {"TIME ZONE", 0, 0, NULL}, {"UTC", 0, 0, NULL},
	    {"LOCAL HOURS", 0, 0, NULL}, {"SHIFTS", 0, 0, NULL},    {"WATCH (UTC)", 0, 0, NULL}};
	static const struct table_col seg_cols[] = {
	    {"FROM", 0, 0, NULL}, {"TO", 0, 0, NULL}, {"ON DUTY", 0, 0, NULL}};
	const char *date = str(rec, "date");
	char a[8], b[8], text[1024], names[512];
	outf("Watch for %s (UTC), from the duty plan\n", date);
	struct table *t = table_new(site_cols, 6);
	jv sites = field(rec, "sites");
	jv_array_foreach (sites, i, x) {
		size_t len = 0;
		text[0] = '\0';
		jv watch = field(x, "watch");
		jv_array_foreach (watch, k, w) {
			len += (size_t)snprintf(text + len, sizeof text - len, "%s%s-%s",
						k ? ", " : "", utc_hm(str(w, "from"), date, a),
						utc_hm(str(w, "to"), date, b));
			if (len >= sizeof text)
				len = sizeof text - 1;
			jv_free(w);
		}
		jv_free(watch);
		table_add(t, (const char *[]){str(x, "site"), str(x, "time_zone"),
					      str(x, "utc_offset"), str(x, "hours"),
					      join(field(x, "shifts"), ",", names, sizeof names),
					      text});
		jv_free(x);
	}
	jv_free(sites);
	table_free(t);
	t = table_new(seg_cols, 3);
	jv segs = field(rec, "segments");
	jv_array_foreach (segs, k, x) {
		size_t len = 0;
		jv on = field(x, "on");
		text[0] = '\0';
		jv_array_foreach (on, m, s) {
			join(field(s, "people"), ",", names, sizeof names);
			len += (size_t)snprintf(text + len, sizeof text - len, "%s%s %s: %s",
						m ? "; " : "", str(s, "site"), str(s, "shift"),
						*names ? names : "nobody");
			if (len >= sizeof text)
				len = sizeof text - 1;
			jv_free(s);
		}
		jv_free(on);
		table_add(t, (const char *[]){utc_hm(str(x, "from"), date, a),
					      utc_hm(str(x, "to"), date, b),
					      *text ? text : "GAP: no site on duty"});
		jv_free(x);
	}
	jv_free(segs);
	table_free(t);
	jv gaps = field(rec, "gaps");
	int ngaps = jv_array_length(jv_copy(gaps));
	jv covered = field(rec, "covered");
	outf("Coverage: %.0f of 1440 minutes, %d %s\n",
	     jv_get_kind(covered) == JV_KIND_NUMBER ? jv_number_value(covered) : 0, ngaps,
	     ngaps == 1 ? "gap" : "gaps");
	jv_free(covered);
	jv_array_foreach (gaps, k, g) {
		jv have = field(g, "have"), need = field(g, "need");
		const char *kind = str(g, "kind");
		outf("  %s %s-%s: %s, %.0f of %.0f %s\n", !strcmp(kind, "gap") ? "GAP" : "SHORT",
		     utc_hm(str(g, "from"), date, a), utc_hm(str(g, "to"), date, b),
		     !strcmp(kind, "gap") ? "no site on duty" : str(g, "shift"),
		     jv_get_kind(have) == JV_KIND_NUMBER ? jv_number_value(have) : 0,
		     jv_get_kind(need) == JV_KIND_NUMBER ? jv_number_value(need) : 0, "people");
		jv_free(have);
		jv_free(need);
		jv_free(g);
	}
	jv_free(gaps);
	jv duty = field(rec, "on_duty"), now = field(duty, "sites"), next = field(duty, "next");
	outf("On duty at %s:%s\n", str(duty, "at"),
	     jv_array_length(jv_copy(now)) ? "" : " nobody (a gap)");
	jv_array_foreach (now, i, x) {
		jv away = field(x, "away");
		size_t len = 0;
		text[0] = '\0';
		jv_array_foreach (away, m, w) {
			len += (size_t)snprintf(text + len, sizeof text - len, "%s%s (%s)",
						m ? ", " : "; away: ", str(w, "person"),
						str(w, "why"));
			if (len >= sizeof text)
				len = sizeof text - 1;
			jv_free(w);
		}
		jv_free(away);
		char shifts[256];
		jv staff = field(x, "staff");
		int nstaff = jv_array_length(jv_copy(staff));
		outf("  %s (%s local, %s): %d on duty: %s%s\n", str(x, "site"),
		     str(x, "local_time"), join(field(x, "shifts"), ",", shifts, sizeof shifts),
		     nstaff, nstaff ? join(staff, ",", names, sizeof names) : "nobody", text);
		if (!nstaff)
			jv_free(staff);
		jv_free(x);
	}
	jv_array_foreach (next, i, x) {
		outf("  next: %s %s from %s: %s\n", str(x, "site"), str(x, "shift"), str(x, "from"),
		     join(field(x, "people"), ",", names, sizeof names));
		jv_free(x);
	}
	jv_free(next);
	jv_free(now);
	jv_free(duty);
}
