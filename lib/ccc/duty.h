/*
 * duty.h: the duty plan of the operations room, read from the store: shifts
 * kept per site in the site's own time zone, rotations of named people,
 * overrides and swaps, and the roles escalation pages; who is on duty at a
 * moment, and the proof that every minute of a period is covered.
 *
 * Times are UTC seconds. A shift's occurrence starts on a local date at its
 * local from-minute and ends at its to-minute (the next day when to <= from),
 * each turned into UTC through the tz database (TZ, mktime, localtime_r), so
 * a shift keeps its local hours across the spring and autumn clock changes
 * and moves in UTC with them: a 19:00-07:00 night is 11 or 13 hours long on
 * the nights the clocks change. A local time that does not exist (the
 * spring hour skipped) is moved forward by the change; one that exists twice
 * is read as mktime(3) reads it.
 */
#ifndef CCC_DUTY_H
#define CCC_DUTY_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/store.h"

/* ---- values the commands parse (pure) ---- */

/* "HH:MM" (00:00 to 24:00) into minutes of the day: 0, or -1. */
int duty_parse_hhmm(const char *s, int *minutes);
/* "mon-fri", "sat,sun", "mon-sun", "tue" into a mask (bit 0 Monday ... bit
 * 6 Sunday): 0, or -1. A range may wrap ("fri-mon"). */
int duty_parse_days(const char *s, unsigned *mask);
/* The mask as the shortest text duty_parse_days reads ("mon-sun", "mon-fri,sun"),
 * into out (at least 32 bytes). */
void duty_format_days(unsigned mask, char *out, size_t n);
/* "1w", "2w", "3d" into days: 0, or -1 (1 to 3650 days). */
int duty_parse_every(const char *s, int *days);
/* "0m", "90s", "5m", "2h" into seconds: 0, or -1. */
int duty_parse_delay(const char *s, long *seconds);
/* A step "5m:supervisor": the delay and the target (a role name or
 * "duty"), copied into target (n bytes): 0, or -1. */
int duty_parse_step(const char *s, long *seconds, char *target, size_t n);
/* "YYYY-MM-DD" into days since 1970-01-01: 0, or -1. */
int duty_parse_day(const char *s, long *day);
/* Days since 1970-01-01 of the civil date y-m-d (m 1-12). Pure. */
long duty_days_from_civil(int y, int m, int d);
/* A name of a shift, rotation, role or policy: 1-64 of [a-z0-9_-], first a
 * letter or digit. */
int duty_name_ok(const char *s);

/* A requirement of people by UTC hour: need[h] for hour h (0-23). */
struct duty_need {
	int need[24];
};
/* "HH-HH:N" (UTC hours, the end excluded, may wrap: "22-06:2") raises
 * need[] to N for those hours: 0, or -1. */
int duty_need_parse(struct duty_need *n, const char *spec);

/* The shipped time zone of lyon, buenos-aires and singapore; NULL for
 * another site. */
const char *duty_default_zone(const char *site);

/* ---- the plan ---- */

struct duty_plan;

/* Read the plan from the store (shifts, rotations, overrides, roles): 0, or
 * an exit status (warned). */
int duty_plan_load(struct store *s, struct duty_plan **out);
void duty_plan_free(struct duty_plan *p);
/* The number of shifts. */
size_t duty_plan_shifts(const struct duty_plan *p);

/*
 * Who is on duty at t: *out an array of {"type":"duty","state":"on",...}
 * records, one per shift at work, and of "next" records, the shifts that
 * start soonest after t (all those that start then):
 *   {"type":"duty","v":1,"id","state","shift","site","time_zone","from","to",
 *    "local_from","local_to","people":[...],"supervisor","site_lead"}
 * 0, or an exit status.
 */
int duty_on_at(struct duty_plan *p, time_t t, jv *out);

/* The first time after t at which the people on duty may change: a shift
 * at work ends, the next starts, an override begins or ends; 0: none in the
 * next fortnight. */
time_t duty_next_change(struct duty_plan *p, time_t t);

/* The people the step's target names at t: the people on duty (target
 * "duty"), or the holders of that role at each site on duty (none on duty:
 * at every site). *people an array of names, *sites of the sites; 0. */
int duty_target_at(struct duty_plan *p, time_t t, const char *target, jv *people, jv *sites);

/* The site of the shift on duty at t that ends first (NULL: none), and the
 * site of the shift that starts next after t (NULL: none), with *since the
 * start of the first (t - 12h when none). Strings live as long as p. */
void duty_sites_at(struct duty_plan *p, time_t t, const char **outgoing, const char **incoming,
		   time_t *since);

/*
 * The proof of cover of [from, to): a minute is covered when one site has at
 * least need people on duty (the union of its shifts at work); a shift at
 * work with fewer people than its own minimum is reported too. *gaps an
 * array of {"type":"gap","kind":"gap"|"short","from","to","minutes","need",
 * "have","shift"?, "local":[{"site","time_zone","from","to"}]} in time
 * order (consecutive minutes of the same kind merged). *covered gets the
 * minutes covered. 0, or an exit status.
 */
int duty_coverage(struct duty_plan *p, time_t from, time_t to, const struct duty_need *need,
		  jv *gaps, long *covered);

/* t in zone as "YYYY-MM-DD HH:MM+hh:mm" into out (at least 32 bytes). */
void duty_local_text(const char *zone, time_t t, char *out, size_t n);

#endif
