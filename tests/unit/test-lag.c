/*
 * test-lag.c: the arithmetic of a standby's lag (lag.h): entries behind the
 * head its primary last reported, never below 0, and seconds since it last
 * held all of it; -1 for what it cannot know.
 */
#include "ccc/lag.h"
#include "tap.h"

int main(void)
{
	int64_t e;
	long long s;
	lag_figures(7, 10, 1000, 958, &e, &s);
	ok(e == 3 && s == 42, "3 entries and 42 s behind (got %lld, %lld)", (long long)e, s);
	lag_figures(10, 10, 1000, 1000, &e, &s);
	ok(e == 0 && s == 0, "caught up just now: 0 and 0");
	lag_figures(12, 10, 1000, 990, &e, &s);
	ok(e == 0 && s == 10,
	   "ahead of the head reported (entries imported without one): 0, never below");
	lag_figures(5, -1, 1000, 0, &e, &s);
	ok(e == -1 && s == -1, "no head heard and never caught up: both unknown");
	lag_figures(0, 4, 1000, 0, &e, &s);
	ok(e == 4 && s == -1, "a head heard but never caught up: entries known, seconds unknown");
	lag_figures(3, 3, 1000, 1500, &e, &s);
	ok(e == 0 && s == 0, "a caught-up time after now (a clock set back) counts as now");
	lag_figures(0, INT64_MAX, 1000, 1, &e, &s);
	ok(e == INT64_MAX && s == 999, "a forged huge head: the lag only grows");
	return tap_done();
}
