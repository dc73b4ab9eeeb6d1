/*
 * lag-report.c: a standby's lag, said by a reading program (lag-report.h).
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccc/clock.h"
#include "ccc/lag-report.h"
#include "ccc/lag.h"

static jv figure(long long n)
{
	return n < 0 ? jv_null() : jv_number((double)n);
}

/* t as HH:MM:SSZ when it is today (UTC), else as RFC 3339. */
static void say_time(time_t t, time_t now, char out[RFC3339_LEN])
{
	clock_format(t, out);
	if (t / 86400 == now / 86400)
		memmove(out, out + 11, strlen(out + 11) + 1);
}

static void say(const struct store_lag *l)
{
	char entries[32] = "?", seconds[32] = "?", heard[RFC3339_LEN + 16] = "never heard its head";
	const char *p = l->primary[0] ? l->primary : NULL;
	if (l->entries < 0 && l->seconds < 0 && !l->heard) {
		warnx("standby%s%s: lag unknown (nothing heard from %s yet)", p ? " of " : "",
		      p ? p : "", p ? p : "its primary");
		return;
	}
	if (l->entries >= 0)
		snprintf(entries, sizeof entries, "%lld", (long long)l->entries);
	if (l->seconds >= 0)
		snprintf(seconds, sizeof seconds, "%lld", l->seconds);
	if (l->heard) {
		char t[RFC3339_LEN];
		say_time(l->heard, clock_now(), t);
		snprintf(heard, sizeof heard, "last heard %s", t);
	}
	warnx("standby of %s: %s %s and %s s behind (%s)", p ? p : "its primary", entries,
	      l->entries == 1 ? "entry" : "entries", seconds, heard);
}

jv lag_report(struct store *s, int table, int quiet)
{
	struct store_lag l;
	if (store_lag(s, &l) || !l.standby)
		return jv_invalid();
	if (table) {
		if (!quiet)
			say(&l);
		return jv_invalid();
	}
	char heard[RFC3339_LEN];
	clock_format(l.heard, heard);
	jv v = jv_object();
	v = jv_object_set(v, jv_string("primary"), l.primary[0] ? jv_string(l.primary) : jv_null());
	v = jv_object_set(v, jv_string("entries"), figure(l.entries));
	v = jv_object_set(v, jv_string("seconds"), figure(l.seconds));
	return jv_object_set(v, jv_string("heard_at"), l.heard ? jv_string(heard) : jv_null());
}

jv lag_tag(jv rec, jv lag)
{
	if (!jv_is_valid(lag) || jv_get_kind(rec) != JV_KIND_OBJECT)
		return rec;
	return jv_object_set(rec, jv_string("lag"), jv_copy(lag));
}

jv lag_tag_all(jv list, jv lag)
{
	if (!jv_is_valid(lag) || jv_get_kind(list) != JV_KIND_ARRAY)
		return list;
	jv out = jv_array();
	jv_array_foreach (list, i, rec)
		out = jv_array_append(out, lag_tag(rec, lag));
	jv_free(list);
	return out;
}
