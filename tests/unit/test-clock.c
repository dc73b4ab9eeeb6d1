/*
 * RFC 3339 formatting of seconds (lib/ccc/clock.h): clock_format writes
 * years 1000 to 9999 itself and must agree with gmtime_r and strftime.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccc/clock.h"
#include "tap.h"

static void reference(time_t t, char out[RFC3339_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void test_vectors(void)
{
	static const struct {
		long long t;
		const char *want;
	} v[] = {
	    {0, "1970-01-01T00:00:00Z"},
	    {-1, "1969-12-31T23:59:59Z"},
	    {951782400, "2000-02-29T00:00:00Z"},
	    {4107542399, "2100-02-28T23:59:59Z"},
	    {4107542400, "2100-03-01T00:00:00Z"},
	    {1796462820, "2026-12-05T09:27:00Z"},
	    {-30610224000, "1000-01-01T00:00:00Z"},
	    {253402300799, "9999-12-31T23:59:59Z"},
	};
	char got[RFC3339_LEN];
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		clock_format((time_t)v[i].t, got);
		is_str(got, v[i].want, "%lld is %s", v[i].t, v[i].want);
	}
}

static void test_against_strftime(void)
{
	char got[RFC3339_LEN], want[RFC3339_LEN];
	long n = 0, bad = 0;
	/* across and just outside the years written without strftime */
	for (long long t = -30610224000LL - 3 * 86400; t <= 253402300799LL + 3 * 86400;
	     t += 86400LL * 7 + 3607) {
		for (int d = -2; d <= 2; d++, n++) {
			clock_format((time_t)(t + d), got);
			reference((time_t)(t + d), want);
			bad += strcmp(got, want) != 0;
		}
	}
	for (long long t = -30610224000LL - 2; t <= -30610224000LL + 2; t++, n++) {
		clock_format((time_t)t, got);
		reference((time_t)t, want);
		bad += strcmp(got, want) != 0;
	}
	for (long long t = 253402300799LL - 2; t <= 253402300799LL + 2; t++, n++) {
		clock_format((time_t)t, got);
		reference((time_t)t, want);
		bad += strcmp(got, want) != 0;
	}
	ok(bad == 0, "%ld of %ld seconds formatted as strftime does", n - bad, n);
}

int main(void)
{
	test_vectors();
	test_against_strftime();
	return tap_done();
}
