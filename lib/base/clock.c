/*
 * clock.c: RFC 3339 time in UTC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"

static int fixed_now(long long *ms)
{
	static int state; /* 0 unknown, 1 fixed, 2 real */
	static long long fixed;
	if (!state) {
		const char *s = getenv("CCC_NOW");
		time_t t;
		state = 2;
		if (s && *s && clock_parse(s, &t) == 0) {
			fixed = (long long)t * 1000;
			state = 1;
		}
	}
	if (state == 1)
		*ms = fixed;
	return state == 1;
}

long long clock_now_ms(void)
{
	long long ms;
	struct timespec ts;
	if (fixed_now(&ms))
		return ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

time_t clock_now(void)
{
	return (time_t)(clock_now_ms() / 1000);
}

long long clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void two(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void clock_format(time_t t, char *out)
{
	struct tm tm;
	/* years 1000 to 9999 written here (days to civil date, proleptic
	 * Gregorian); the rest as strftime writes them */
	if (t >= -30610224000LL && t <= 253402300799LL) {
		long long days = (long long)t / 86400, secs = (long long)t % 86400;
		if (secs < 0)
			secs += 86400, days--;
		days += 719468; /* from 0000-03-01 */
		long long era = (days >= 0 ? days : days - 146096) / 146097;
		unsigned doe = (unsigned)(days - era * 146097);
		unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		unsigned mp = (5 * doy + 2) / 153, mday = doy - (153 * mp + 2) / 5 + 1;
		unsigned mon = mp < 10 ? mp + 3 : mp - 9;
		unsigned year = (unsigned)(yoe + era * 400) + (mon <= 2), s = (unsigned)secs;
		two(out, year / 100);
		two(out + 2, year % 100);
		out[4] = '-';
		two(out + 5, mon);
		out[7] = '-';
		two(out + 8, mday);
		out[10] = 'T';
		two(out + 11, s / 3600);
		out[13] = ':';
		two(out + 14, s / 60 % 60);
		out[16] = ':';
		two(out + 17, s % 60);
		memcpy(out + 19, "Z", 2);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(out, RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void clock_format_ms(long long ms, char *out)
{
	struct tm tm;
	time_t t = (time_t)(ms / 1000);
	char tmp[24];
	gmtime_r(&t, &tm);
	strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, RFC3339_LEN, "%.20s.%03dZ", tmp, (int)(ms % 1000));
}

static int num(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int clock_parse(const char *s, time_t *out)
{
	int Y, M, D, h, m, sec, oh = 0, om = 0, sign = 0;
	if (strlen(s) < 20 || num(s, 4, &Y) || s[4] != '-' || num(s + 5, 2, &M) || s[7] != '-' ||
	    num(s + 8, 2, &D) || !strchr("Tt ", s[10]) || num(s + 11, 2, &h) || s[13] != ':' ||
	    num(s + 14, 2, &m) || s[16] != ':' || num(s + 17, 2, &sec))
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (num(p + 1, 2, &oh) || p[3] != ':' || num(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p || M < 1 || M > 12 || D < 1 || D > days_in_month(Y, M) || h > 23 || m > 59 ||
	    sec > 60)
		return -1;
	struct tm tm = {.tm_year = Y - 1900,
			.tm_mon = M - 1,
			.tm_mday = D,
			.tm_hour = h,
			.tm_min = m,
			.tm_sec = sec == 60 ? 59 : sec};
	time_t t = timegm(&tm);
	*out = t - sign * (oh * 3600 + om * 60);
	return 0;
}
