/*
 * deploy-rota.c: working hours in local time zones, turned into UTC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/deploy-rota.h"
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
