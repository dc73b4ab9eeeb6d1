/*
 * deploy-rota.h: the 24-hour watch across the sites, each working its own
 * hours in its own time zone.
 *
 * Local wall-clock hours are turned into UTC with the system's time zone
 * database (tzdata), so a site's watch moves in UTC when its clocks change
 * for daylight saving (Europe/Paris in March and October) and the handovers
 * move with it. A gap is a part of the UTC day no site covers.
 */
#ifndef CCC_DEPLOY_ROTA_H
#define CCC_DEPLOY_ROTA_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/deploy-roster.h"

#define ROTA_NSITES       3
#define ROTA_MAX_SEGMENTS 32

struct rota_site {
	const char *name;  /* lyon, buenos-aires, singapore */
	const char *zone;  /* Europe/Paris, America/Argentina/Buenos_Aires, Asia/Singapore */
	int opens, closes; /* local minutes after midnight; closes <= opens: overnight */
};

/* The three sites, each working 08:00-17:00 local time. */
void rota_default_sites(struct rota_site sites[ROTA_NSITES]);
/* Apply "SITE=HH:MM-HH:MM,..." to sites[0..n). Returns 0, or -1 with why. */
int rota_set_hours(struct rota_site *sites, int n, const char *spec, char *why, size_t wn);
/* 0 when zone is in the time zone database, else -1. */
int rota_zone_check(const char *zone);

/* The UTC time of local date y-mon-day (mon 1-12), minute of the day, in zone. */
time_t rota_local_to_utc(const char *zone, int y, int mon, int day, int minute);
/* t in zone, broken down into *out; returns the UTC offset in seconds. */
long rota_utc_to_local(const char *zone, time_t t, struct tm *out);
/* 1 when site is at work at t. */
int rota_on_duty(const struct rota_site *site, time_t t);

struct rota_interval {
	time_t from, to; /* [from, to) */
};

struct rota_segment {
	time_t from, to;
	unsigned sites; /* bit i: sites[i] is on duty */
};

struct rota_day {
	time_t day; /* 00:00 UTC */
	int nshift[ROTA_NSITES];
	struct rota_interval shift[ROTA_NSITES][4]; /* each site's watch in this UTC day */
	int nseg;
	struct rota_segment seg[ROTA_MAX_SEGMENTS]; /* the day cut where the watch changes */
};

/* Plan the UTC day that begins at day (00:00 UTC) for sites[0..n), n <= 3. */
void rota_plan_day(const struct rota_site *sites, int n, time_t day, struct rota_day *out);

/*
 * The rota record of the UTC day that begins at day, for sites[0..n):
 *   {"type":"rota","id":"rota-DAY","date":DAY,
 *    "sites":[{"site","time_zone","utc_offset":"+01:00","hours":"08:00-17:00",
 *              "watch":[{"from","to"}]}],
 *    "segments":[{"from","to","sites":[...]}], "handovers":[{"at","from","to"}],
 *    "gaps":[{"from","to"}],
 *    "on_duty":{"at","sites":[{"site","local_time","staff":[ids]}]}}
 * where on_duty lists, for each site at work at at, the members of people
 * whose home it is and who are neither deployed nor away at at.
 */
jv rota_record(const struct rota_site *sites, int n, time_t day, time_t at,
	       const struct deploy_person *people, size_t npeople);

#endif
