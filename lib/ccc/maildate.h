/*
 * maildate.h: the dates of e-mail headers (RFC 5322, and RFC 822 as RSS 2.0
 * uses them), obsolete forms included: "Mon, 3 Nov 2025 09:15:00 +0000",
 * "3 Nov 97 09:15 PST", "03-Nov-2025 10:00:00 CET", "Mon Nov  3 10:00:00 2025",
 * comments such as "(CET)", and RFC 3339 from mailers that write it.
 */
#ifndef CCC_MAILDATE_H
#define CCC_MAILDATE_H

#include <time.h>

#define MAILDATE_ZONE_LEN 16

enum maildate_zone {
	MAILDATE_ZONE_KNOWN,   /* numeric offset or a known abbreviation */
	MAILDATE_ZONE_MISSING, /* none written: read as UTC */
	MAILDATE_ZONE_UNKNOWN, /* an abbreviation not known, in zone_name: read as UTC */
};

/*
 * Parse s into seconds since the epoch in *t. Two-digit years are 19xx from
 * 50 on, 20xx below; military one-letter zones count as UTC (RFC 5322 section
 * 4.3). Returns 0, or -1 when s is not a date (a day that does not exist, an
 * hour past 23, no month…).
 */
int maildate_parse(const char *s, time_t *t, enum maildate_zone *zone,
		   char zone_name[MAILDATE_ZONE_LEN]);

#endif
