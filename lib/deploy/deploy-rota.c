/*
 * deploy-rota.c: working hours in local time zones, turned into UTC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/clock.h"
#include "ccc/deploy-rota.h"
#include "ccc/ndjson.h"
#include "ccc/xmalloc.h"

void rota_default_sites(struct rota_site sites[ROTA_NSITES])
{
	sites[0] = (struct rota_site){"lyon", "Europe/Paris", 8 * 60, 17 * 60};
	sites[1] =
	    (struct rota_site){"buenos-aires", "America/Argentina/Buenos_Aires", 8 * 60, 17 * 60};
	sites[2] = (struct rota_site){"singapore", "Asia/Singapore", 8 * 60, 17 * 60};
}

static int hhmm(const char *s, int *out)
{
	if (strlen(s) < 5 || s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' || s[2] != ':' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
	if (h > 24 || (h == 24 && m))
		return -1;
	*out = h * 60 + m;
	return 0;
}

int rota_set_hours(struct rota_site *sites, int n, const char *spec, char *why, size_t wn)
{
	char *copy = xstrdup(spec), *save = NULL;
	int rc = 0;
	for (char *p = strtok_r(copy, ",", &save); p && !rc; p = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(p, '=');
		int a, b, i;
		if (!eq || strlen(eq + 1) != 11 || eq[6] != '-' || hhmm(eq + 1, &a) ||
		    hhmm(eq + 7, &b)) {
			snprintf(why, wn, "'%s': give SITE=HH:MM-HH:MM, e.g. lyon=07:00-19:00", p);
			rc = -1;
			break;
		}
		*eq = '\0';
		for (i = 0; i < n && strcmp(sites[i].name, p) != 0; i++)
			;
		if (i == n) {
			snprintf(why, wn, "'%s' is not a site (lyon, buenos-aires, singapore)", p);
			rc = -1;
			break;
		}
		sites[i].opens = a % 1440;
		sites[i].closes = b % 1440;
	}
	free(copy);
	return rc;
}

int rota_zone_check(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	return access(path, R_OK) == 0 ? 0 : -1;
}

/* Switch the process's time zone to zone; returns the old TZ (to restore). */
static char *zone_enter(const char *zone)
{
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	setenv("TZ", zone, 1);
	tzset();
	return saved;
}

static void zone_leave(char *saved)
{
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
}

time_t rota_local_to_utc(const char *zone, int y, int mon, int day, int minute)
{
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mon - 1,
			.tm_mday = day,
			.tm_hour = minute / 60,
			.tm_min = minute % 60,
			.tm_isdst = -1};
	char *saved = zone_enter(zone);
	time_t t = mktime(&tm);
	zone_leave(saved);
	return t;
}

long rota_utc_to_local(const char *zone, time_t t, struct tm *out)
{
	char *saved = zone_enter(zone);
	localtime_r(&t, out);
	zone_leave(saved);
	return out->tm_gmtoff;
}

int rota_on_duty(const struct rota_site *site, time_t t)
{
	struct tm tm;
	rota_utc_to_local(site->zone, t, &tm);
	int m = tm.tm_hour * 60 + tm.tm_min;
	if (site->opens == site->closes)
		return 1;
	if (site->opens < site->closes)
		return m >= site->opens && m < site->closes;
	return m >= site->opens || m < site->closes;
}

static int by_time(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;
	return x < y ? -1 : x > y;
}

void rota_plan_day(const struct rota_site *sites, int n, time_t day, struct rota_day *out)
{
	time_t cuts[2 + ROTA_NSITES * 12];
	int ncuts = 0;
	memset(out, 0, sizeof *out);
	out->day = day;
	if (n > ROTA_NSITES)
		n = ROTA_NSITES;
	cuts[ncuts++] = day;
	cuts[ncuts++] = day + 86400;
	for (int i = 0; i < n; i++) {
		const struct rota_site *s = &sites[i];
		/* the local dates whose watch may fall in this UTC day */
		for (int d = -1; d <= 1; d++) {
			struct tm date;
			time_t noon = day + 43200 + d * 86400;
			gmtime_r(&noon, &date);
			int y = date.tm_year + 1900, m = date.tm_mon + 1, dd = date.tm_mday;
			time_t a = rota_local_to_utc(s->zone, y, m, dd, s->opens);
			time_t b = s->closes > s->opens
				       ? rota_local_to_utc(s->zone, y, m, dd, s->closes)
				       : rota_local_to_utc(s->zone, y, m, dd + 1, s->closes);
			if (a < day)
				a = day;
			if (b > day + 86400)
				b = day + 86400;
			if (b <= a)
				continue;
			int k = out->nshift[i];
			if (k && out->shift[i][k - 1].to >= a) { /* contiguous: one watch */
				if (b > out->shift[i][k - 1].to)
					out->shift[i][k - 1].to = b;
				continue;
			}
			out->shift[i][k] = (struct rota_interval){a, b};
			out->nshift[i]++;
			cuts[ncuts++] = a;
			cuts[ncuts++] = b;
		}
	}
	for (int i = 0; i < n; i++)
		for (int k = 0; k < out->nshift[i]; k++)
			cuts[ncuts++] = out->shift[i][k].to;
	qsort(cuts, (size_t)ncuts, sizeof cuts[0], by_time);
	for (int c = 0; c + 1 < ncuts; c++) {
		if (cuts[c] == cuts[c + 1])
			continue;
		unsigned mask = 0;
		for (int i = 0; i < n; i++)
			for (int k = 0; k < out->nshift[i]; k++)
				if (out->shift[i][k].from <= cuts[c] &&
				    cuts[c] < out->shift[i][k].to)
					mask |= 1u << i;
		if (out->nseg && out->seg[out->nseg - 1].sites == mask) {
			out->seg[out->nseg - 1].to = cuts[c + 1];
		} else if (out->nseg < ROTA_MAX_SEGMENTS) {
			out->seg[out->nseg++] = (struct rota_segment){cuts[c], cuts[c + 1], mask};
		}
	}
}

/* Minutes after midnight as "HH:MM" into out[6]. */
static void hm(int minutes, char *out)
{
	unsigned m = (unsigned)minutes % 1440;
	snprintf(out, 6, "%02u:%02u", m / 60 % 24, m % 60);
}

static jv span(time_t from, time_t to)
{
	char a[RFC3339_LEN], b[RFC3339_LEN];
	clock_format(from, a);
	clock_format(to, b);
	return JV_OBJECT(jv_string("from"), jv_string(a), jv_string("to"), jv_string(b));
}

static jv site_names(const struct rota_site *sites, int n, unsigned mask)
{
	jv a = jv_array();
	for (int i = 0; i < n; i++)
		if (mask & (1u << i))
			a = jv_array_append(a, jv_string(sites[i].name));
	return a;
}

/* Each site's zone, hours and watch in the day. */
static jv rota_sites(const struct rota_site *sites, int n, const struct rota_day *rd)
{
	jv out = jv_array();
	for (int i = 0; i < n; i++) {
		char hours[16], off[8], o[6], c[6];
		struct tm tm;
		hm(sites[i].opens, o);
		hm(sites[i].closes, c);
		snprintf(hours, sizeof hours, "%s-%s", o, c);
		long z = rota_utc_to_local(sites[i].zone, rd->day + 43200, &tm), a = z < 0 ? -z : z;
		snprintf(off, sizeof off, "%c%02ld:%02ld", z < 0 ? '-' : '+', a / 3600 % 100,
			 a % 3600 / 60);
		jv watch = jv_array();
		for (int k = 0; k < rd->nshift[i]; k++)
			watch =
			    jv_array_append(watch, span(rd->shift[i][k].from, rd->shift[i][k].to));
		jv js =
		    JV_OBJECT(jv_string("site"), jv_string(sites[i].name), jv_string("time_zone"),
			      jv_string(sites[i].zone), jv_string("utc_offset"), jv_string(off));
		js = jv_object_set(js, jv_string("hours"), jv_string(hours));
		out = jv_array_append(out, jv_object_set(js, jv_string("watch"), watch));
	}
	return out;
}

/* Who is on duty at at: each site at work, its local time, its staff there. */
static jv rota_on_duty_at(const struct rota_site *sites, int n, time_t at,
			  const struct deploy_person *people, size_t npeople)
{
	char when[RFC3339_LEN];
	jv duty = jv_array();
	for (int i = 0; i < n; i++) {
		if (!rota_on_duty(&sites[i], at))
			continue;
		struct tm tm;
		char local[8];
		rota_utc_to_local(sites[i].zone, at, &tm);
		snprintf(local, sizeof local, "%02d:%02d", tm.tm_hour, tm.tm_min);
		jv staff = jv_array();
		for (size_t p = 0; p < npeople; p++)
			if (!strcmp(people[p].site, sites[i].name) &&
			    !deploy_booked_at(&people[p], at) && !deploy_away_at(&people[p], at))
				staff = jv_array_append(staff, jv_string(people[p].id));
		duty = jv_array_append(duty, JV_OBJECT(jv_string("site"), jv_string(sites[i].name),
						       jv_string("local_time"), jv_string(local),
						       jv_string("staff"), staff));
	}
	clock_format(at, when);
	return JV_OBJECT(jv_string("at"), jv_string(when), jv_string("sites"), duty);
}

jv rota_record(const struct rota_site *sites, int n, time_t day, time_t at,
	       const struct deploy_person *people, size_t npeople)
{
	struct rota_day rd;
	char date[11], id[32];
	rota_plan_day(sites, n, day, &rd);
	jv segs = jv_array(), gaps = jv_array(), handovers = jv_array();
	for (int k = 0; k < rd.nseg; k++) {
		jv seg = span(rd.seg[k].from, rd.seg[k].to);
		if (!rd.seg[k].sites)
			gaps = jv_array_append(gaps, jv_copy(seg));
		if (k > 0)
			handovers = jv_array_append(
			    handovers,
			    JV_OBJECT(jv_string("at"),
				      jv_object_get(jv_copy(seg), jv_string("from")),
				      jv_string("from"), site_names(sites, n, rd.seg[k - 1].sites),
				      jv_string("to"), site_names(sites, n, rd.seg[k].sites)));
		segs = jv_array_append(segs, jv_object_set(seg, jv_string("sites"),
							   site_names(sites, n, rd.seg[k].sites)));
	}
	deploy_format_day(day, date);
	snprintf(id, sizeof id, "rota-%s", date);
	jv rec = JV_OBJECT(jv_string("type"), jv_string("rota"), jv_string("v"),
			   jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	rec = jv_object_set(rec, jv_string("date"), jv_string(date));
	rec = jv_object_set(rec, jv_string("sites"), rota_sites(sites, n, &rd));
	rec = jv_object_set(rec, jv_string("segments"), segs);
	rec = jv_object_set(rec, jv_string("handovers"), handovers);
	rec = jv_object_set(rec, jv_string("gaps"), gaps);
	return jv_object_set(rec, jv_string("on_duty"),
			     rota_on_duty_at(sites, n, at, people, npeople));
}
