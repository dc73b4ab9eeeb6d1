/*
 * clock.h: wall-clock time as RFC 3339 UTC text, and parsing of RFC 3339.
 *
 * CCC_NOW (an RFC 3339 time) fixes "now" for tests and drills.
 */
#ifndef CCC_CLOCK_H
#define CCC_CLOCK_H

#include <stddef.h>
#include <time.h>

#define RFC3339_LEN 32

/* Now, in seconds and milliseconds since the epoch (CCC_NOW when set). */
time_t clock_now(void);
long long clock_now_ms(void);
/* Monotonic milliseconds, for timeouts and rates. */
long long clock_mono_ms(void);
/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into out[RFC3339_LEN]. */
void clock_format(time_t t, char *out);
/* Format ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" into out[RFC3339_LEN]. */
void clock_format_ms(long long ms, char *out);
/*
 * Parse an RFC 3339 date-time ("2026-11-28T10:00:00Z", "…+01:00", fractions
 * allowed, 't'/'z'/' ' accepted) into seconds since the epoch. Returns 0, or -1
 * if s is not such a time.
 */
int clock_parse(const char *s, time_t *out);

#endif
