/*
 * lag.c: how far a standby is behind its primary (lag.h).
 */
#include <stdio.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/json.h"
#include "ccc/exit.h"
#include "ccc/fieldkit.h"
#include "ccc/lag.h"
#include "ccc/sitelocal.h"
#include "ccc/store.h"

static const char *const SQL_NEWEST_EPOCH =
    "SELECT epoch, primary_site FROM epochs ORDER BY epoch DESC LIMIT 1";

/* The newest epoch and its primary (n bytes); 0 when there is none. */
static int64_t newest_epoch(struct store *s, char *primary, size_t n)
{
	sqlite3_stmt *st = store_stmt(s, SQL_NEWEST_EPOCH);
	int64_t epoch = 0;
	primary[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW) {
		epoch = sqlite3_column_int64(st, 0);
		snprintf(primary, n, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return epoch;
}

/* Where this store stands in its primary's journal: its last entry, or at a
 * field kit the last entry its batches covered. */
static int64_t own_position(struct store *s)
{
	return fieldkit_is_kit(s) ? fieldkit_position(s) : store_head_seq(s);
}

void lag_figures(int64_t own, int64_t reported, time_t now, time_t caught_up, int64_t *entries,
		 long long *seconds)
{
	*entries = reported < 0 ? -1 : reported > own ? reported - own : 0;
	*seconds = caught_up <= 0 ? -1 : now > caught_up ? (long long)(now - caught_up) : 0;
}

int store_lag(struct store *s, struct store_lag *lag)
{
	struct sitelocal *l = store_local(s);
	struct sitelocal_head h;
	char primary[128];
	*lag = (struct store_lag){.entries = -1, .seconds = -1};
	int64_t own = own_position(s);
	if (own < 0)
		return CCC_EX_IOERR;
	int64_t epoch = newest_epoch(s, primary, sizeof primary);
	if (epoch ? !strcmp(primary, store_site(s)) : !store_is_empty_standby(s)) {
		lag->entries = lag->seconds = 0;
		return 0;
	}
	lag->standby = 1;
	int heard = sitelocal_primary_head(l, &h);
	if (!epoch && heard) /* nothing imported yet: the head heard names the primary */
		snprintf(primary, sizeof primary, "%s", h.site);
	snprintf(lag->primary, sizeof lag->primary, "%s", primary);
	/* a head another primary reported (before a promotion) says nothing now */
	heard = heard && !strcmp(h.site, primary) && (!epoch || h.epoch == epoch);
	lag->heard = heard ? h.heard : 0;
	lag->caught_up = sitelocal_caught_up(l);
	lag->last_import = sitelocal_last_import(l);
	lag_figures(own, heard ? h.seq : -1, clock_now(), lag->caught_up, &lag->entries,
		    &lag->seconds);
	return 0;
}

/* The head to keep from what head reports: NULL when it is not of this
 * store's primary and newest epoch (then it is not kept). */
static int merge_head(struct store *s, const struct lag_head *head, struct sitelocal_head *h)
{
	char primary[128];
	int64_t epoch = newest_epoch(s, primary, sizeof primary);
	if (!head->site || strlen(head->site) >= sizeof h->site || head->seq < 0)
		return 0;
	if (epoch ? strcmp(head->site, primary) || head->epoch != epoch
		  : !store_is_empty_standby(s))
		return 0;
	if (!strcmp(head->site, store_site(s)))
		return 0;
	struct sitelocal_head was;
	int had = sitelocal_primary_head(store_local(s), &was);
	*h = (struct sitelocal_head){.seq = head->seq, .epoch = head->epoch, .heard = clock_now()};
	snprintf(h->site, sizeof h->site, "%s", head->site);
	/* within one primary and epoch a head only grows */
	if (had && !strcmp(was.site, h->site) && was.epoch == h->epoch && was.seq > h->seq)
		h->seq = was.seq;
	return 1;
}

int lag_note_import(struct store *s, const struct lag_head *head)
{
	struct sitelocal *l = store_local(s);
	struct sitelocal_head h;
	time_t now = clock_now();
	sqlite3 *db = store_db(s);
	if (!store_public_key(s))
		return 0; /* the settings cannot be sealed without the key */
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "recording the import's time");
	rc = sitelocal_set_last_import(l, now);
	if (!rc && head && merge_head(s, head, &h)) {
		rc = sitelocal_set_primary_head(l, &h);
		int64_t own = own_position(s);
		time_t at = head->ts > 0 && head->ts < now ? head->ts : now;
		if (!rc && own >= h.seq && at > sitelocal_caught_up(l))
			rc = sitelocal_set_caught_up(l, at);
	}
	if (!rc && (rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
		rc = store_error(s, rc, "recording the import's time");
	if (rc)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

const char *lag_head_parse(jv rec, struct lag_head *h)
{
	static const char *const num[] = {"epoch", "seq"};
	int64_t *out[] = {&h->epoch, &h->seq};
	h->site = jv_get_str(rec, "site");
	const char *ts = jv_get_str(rec, "ts");
	if (!h->site || !*h->site)
		return "site";
	if (!ts || clock_parse(ts, &h->ts))
		return "ts";
	for (int i = 0; i < 2; i++) {
		jv v = jv_object_get(jv_copy(rec), jv_string(num[i]));
		double d = jv_get_kind(v) == JV_KIND_NUMBER ? jv_number_value(v) : -1;
		jv_free(v);
		if (d < 0 || d >= 9007199254740992.0 || d != (double)(int64_t)d)
			return num[i];
		*out[i] = (int64_t)d;
	}
	return NULL;
}
