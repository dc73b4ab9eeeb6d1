/*
 * tzcountry.h: the time zone a country's messages are read in, and a clock
 * time written in it ("avant 14h30", "antes de las 18:00 hora local") as
 * UTC, through the tz database (tzdata, TZDIR).
 */
#ifndef CCC_TZCOUNTRY_H
#define CCC_TZCOUNTRY_H

#include <time.h>

/* The zone of the country cc (ISO 3166 alpha-2, either case): its only one,
 * or its capital's; NULL for a code it does not know. */
const char *tz_country_zone(const char *cc);
/* 1 when the tz database has zone (a TZif file under TZDIR, not a folder
 * such as "Europe" nor a table such as "zone.tab"). */
int tz_zone_known(const char *zone);
/*
 * The first time at or after `after` at which the clock in zone (NULL: UTC)
 * shows minute (of the day, 0..1439): today's, else tomorrow's. Across a
 * clock change, a time that does not exist is moved forward by the change
 * and one that exists twice is the first. 0, or -1 for an unknown zone.
 */
int tz_next_local(const char *zone, time_t after, int minute, time_t *out);

#endif
