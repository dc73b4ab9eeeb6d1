/*
 * maildate.c: RFC 5322 section 3.3 dates, with the obsolete syntax of section
 * 4.3 and what mailers write in practice. Tokens are classified one by one
 * (number, month, time, zone), so field order and separators may vary.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ccc/clock.h"
#include "ccc/maildate.h"

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
					  "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* Time zone abbreviations: RFC 5322's obsolete zones and a few unambiguous others. */
static const struct {
	const char *name;
	int minutes;
} zone_names[] = {
    {"ut", 0},     {"utc", 0},    {"gmt", 0},    {"z", 0},      {"est", -300}, {"edt", -240},
    {"cst", -360}, {"cdt", -300}, {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420},
    {"cet", 60},   {"cest", 120}, {"met", 60},   {"mest", 120}, {"bst", 60},   {"wet", 0},
    {"west", 60},  {"eet", 120},  {"eest", 180}, {"msk", 180},  {"jst", 540},  {"sgt", 480},
    {"hkt", 480},  {"aest", 600}, {"aedt", 660}, {"art", -180}, {"brt", -180}, {"nzst", 720},
};

struct date_parts {
	int day, mon, year, year_digits, hh, mm, ss, off;
	int zone; /* 0 none, 1 known, -1 unknown */
	int num[3], ndigits[3], nnum;
	char zone_name[MAILDATE_ZONE_LEN];
};

static int prefix_index(const char *tok, size_t n, const char *const *names, int count)
{
	if (n < 3)
		return -1;
	for (int i = 0; i < count; i++)
		if (!strncasecmp(tok, names[i], 3))
			return i;
	return -1;
}

static void date_token(struct date_parts *d, const char *t, size_t n)
{
	size_t digits = 0, alpha = 0;
	int v = 0;

	while (n && t[n - 1] == '.') /* "Nov." */
		n--;
	for (size_t i = 0; i < n; i++) {
		digits += isdigit((unsigned char)t[i]) != 0;
		alpha += isalpha((unsigned char)t[i]) != 0;
	}
	if (!n)
		return;
	if ((t[0] == '+' || t[0] == '-') && digits == 4 && n == 5 + (t[3] == ':')) {
		int hh = (t[1] - '0') * 10 + t[2] - '0', mm;
		const char *m2 = t[3] == ':' ? t + 4 : t + 3;
		mm = (m2[0] - '0') * 10 + m2[1] - '0';
		if (hh < 24 && mm < 60) {
			d->off = (t[0] == '-' ? -1 : 1) * (hh * 60 + mm);
			d->zone = 1;
		}
	} else if (memchr(t, ':', n)) {
		int f[3] = {-1, -1, 0}, k = 0;
		for (size_t i = 0; i < n && k < 3; i++) {
			if (isdigit((unsigned char)t[i])) {
				f[k] = (f[k] < 0 ? 0 : f[k]) * 10 + t[i] - '0';
				if (f[k] > 99)
					return;
			} else if (t[i] == ':') {
				k++;
			} else {
				break; /* fraction of a second */
			}
		}
		d->hh = f[0];
		d->mm = f[1];
		d->ss = f[2] < 0 ? 0 : f[2];
	} else if (alpha && digits && isdigit((unsigned char)t[0]) && memchr(t, '-', n)) {
		/* "03-Nov-2025" */
		size_t s = 0;
		for (size_t i = 0; i <= n; i++)
			if (i == n || t[i] == '-') {
				date_token(d, t + s, i - s);
				s = i + 1;
			}
	} else if (alpha == n) {
		int i;
		if (d->mon < 0 && (i = prefix_index(t, n, month_names, 12)) >= 0) {
			d->mon = i;
		} else if (prefix_index(t, n, day_names, 7) >= 0 && d->hh < 0) {
			/* day of the week: not checked */
		} else if (d->hh >= 0 && !d->zone) {
			for (size_t z = 0; z < sizeof zone_names / sizeof zone_names[0]; z++)
				if (strlen(zone_names[z].name) == n &&
				    !strncasecmp(zone_names[z].name, t, n)) {
					d->off = zone_names[z].minutes;
					d->zone = 1;
					return;
				}
			d->zone = -1;
			snprintf(d->zone_name, sizeof d->zone_name, "%.*s", (int)n, t);
			if (n == 1) /* military zones: RFC 5322 section 4.3 says read as -0000 */
				d->off = 0;
		}
	} else if (digits == n && n <= 4 && d->nnum < 3) {
		for (size_t i = 0; i < n; i++)
			v = v * 10 + t[i] - '0';
		d->num[d->nnum] = v;
		d->ndigits[d->nnum++] = (int)n;
	}
}

/* Returns 0, 1 when the zone was missing or unknown and UTC was assumed, or -1. */
static int date_parse(const char *s, struct date_parts *d, time_t *out)
{
	struct tm tm = {0};
	size_t i = 0, n = strlen(s);
	int depth = 0, yi, di;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	memset(d, 0, sizeof *d);
	d->mon = d->hh = d->mm = -1;
	while (i < n) {
		size_t j;
		if (s[i] == '(' || (depth && s[i] == ')') || depth) {
			depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
			i++;
			continue;
		}
		if (isspace((unsigned char)s[i]) || s[i] == ',') {
			i++;
			continue;
		}
		for (j = i; j < n && !isspace((unsigned char)s[j]) && s[j] != ',' && s[j] != '(';
		     j++)
			;
		date_token(d, s + i, j - i);
		i = j;
	}
	if (d->nnum < 2 || d->mon < 0 || d->hh < 0 || d->mm < 0)
		return -1;
	/* day first ("3 Nov 2025", "Nov 3 … 2025"), unless the first number is a year */
	yi = d->ndigits[0] == 4 || d->num[0] > 31 ? 0 : 1;
	di = !yi;
	d->day = d->num[di];
	d->year = d->num[yi];
	d->year_digits = d->ndigits[yi];
	if (d->year_digits <= 2)
		d->year += d->year < 50 ? 2000 : 1900;
	else if (d->year_digits == 3)
		d->year += 1900;
	if (d->year < 1900 || d->day < 1 || d->day > mdays[d->mon] || d->hh > 23 || d->mm > 59 ||
	    d->ss > 60)
		return -1;
	if (d->mon == 1 && d->day == 29 &&
	    !(d->year % 4 == 0 && (d->year % 100 != 0 || d->year % 400 == 0)))
		return -1;
	tm.tm_year = d->year - 1900;
	tm.tm_mon = d->mon;
	tm.tm_mday = d->day;
	tm.tm_hour = d->hh;
	tm.tm_min = d->mm;
	tm.tm_sec = d->ss == 60 ? 59 : d->ss;
	*out = timegm(&tm) - (time_t)d->off * 60;
	return d->zone == 1 ? 0 : 1;
}

int maildate_parse(const char *s, time_t *t, enum maildate_zone *zone,
		   char zone_name[MAILDATE_ZONE_LEN])
{
	struct date_parts d;
	int r = date_parse(s, &d, t);

	*zone = MAILDATE_ZONE_KNOWN;
	zone_name[0] = '\0';
	if (r < 0)
		return clock_parse(s, t); /* RFC 3339, where RFC 5322 wants its own form */
	if (r == 1 && d.zone == -1) {
		*zone = MAILDATE_ZONE_UNKNOWN;
		strcpy(zone_name, d.zone_name);
	} else if (r == 1) {
		*zone = MAILDATE_ZONE_MISSING;
	}
	return 0;
}
