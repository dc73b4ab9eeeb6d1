/*
 * sites.c: known sites, heartbeats, acknowledged positions and status.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccc/anchor.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/ndjson.h"
#include "ccc/opts.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/sites.h"
#include "ccc/witness.h"

/* Migration 6, applied by store.c. */
const char sites_schema[] =
    "CREATE TABLE heartbeats(site TEXT PRIMARY KEY, ts TEXT NOT NULL, seq INTEGER NOT NULL,"
    " epoch INTEGER NOT NULL);";

static const char *const SQL_SITE_KEY =
    "SELECT pubkey, time_zone, region FROM sites WHERE name = ?1";
static const char *const SQL_SITE_PUT =
    "INSERT INTO sites(name, pubkey, added_at, time_zone, region) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT(name) DO UPDATE SET pubkey = excluded.pubkey,"
    " added_at = CASE WHEN pubkey = excluded.pubkey THEN added_at ELSE excluded.added_at END,"
    " time_zone = coalesce(excluded.time_zone, time_zone),"
    " region = coalesce(excluded.region, region)";
static const char *const SQL_PRIMARY =
    "SELECT epoch, primary_site, started_at FROM epochs ORDER BY epoch DESC LIMIT 1";
static const char *const SQL_SITES =
    "SELECT s.name, s.pubkey, s.added_at, s.time_zone, s.region, h.ts, h.seq, h.epoch,"
    " (SELECT max(epoch) FROM epochs e WHERE e.primary_site = s.name)"
    " FROM sites s LEFT JOIN heartbeats h ON h.site = s.name"
    " WHERE ?1 IS NULL OR s.name = ?1 ORDER BY s.name";

/* 1 when the column i of st is NULL or equal to want; want NULL: not asked. */
static int same_column(sqlite3_stmt *st, int i, const char *want)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	return !want || (v && !strcmp((const char *)v, want));
}

int sites_trust(struct store *s, const char *name, const char *key, const char *tz,
		const char *region, int replace, const char *where, struct rerun *again)
{
	uint8_t pub[SIGN_PUBLEN];
	char now[RFC3339_LEN];
	again->done = 0;
	if (!ccc_site_name_ok(name)) {
		warnx("%s: " CCC_SITE_NAME_RULE, where, name);
		return CCC_EX_DATAERR;
	}
	if (sign_pub_parse(key, pub) < 0) {
		warnx("%s: '%s' is not an Ed25519 public key (ed25519:BASE64 of 32 bytes)", where,
		      key);
		return CCC_EX_DATAERR;
	}
	sqlite3_stmt *st = store_stmt(s, SQL_SITE_KEY);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int same = sqlite3_column_bytes(st, 0) == SIGN_PUBLEN &&
			   !memcmp(sqlite3_column_blob(st, 0), pub, SIGN_PUBLEN);
		int as_asked = same && same_column(st, 1, tz) && same_column(st, 2, region);
		sqlite3_reset(st);
		if (as_asked) {
			/* trusted already with this key (and time zone, region) */
			snprintf(again->why, sizeof again->why,
				 "site '%s' is trusted already with this key", name);
			int arc = anchor_put(name, pub, replace, where);
			again->done = !arc;
			return arc;
		}
		if (!same && !strcmp(name, store_site(s))) {
			warnx("%s: refusing to replace this site's own key ('%s')", where, name);
			return CCC_EX_DATAERR;
		}
		if (!same && !replace) {
			warnx("%s: site '%s' is already trusted with another key (use --replace)",
			      where, name);
			return CCC_EX_DATAERR;
		}
		if (same && !tz && !region)
			return anchor_put(name, pub, replace, where);
	}
	sqlite3_reset(st);
	int arc = anchor_put(name, pub, replace, where); /* outside the store too */
	if (arc)
		return arc;
	clock_format(clock_now(), now);
	st = store_stmt(s, SQL_SITE_PUT);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, pub, SIGN_PUBLEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, tz, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, region, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "trusting a site");
	if (store_verbose(s))
		warnx("trusting site '%s' (%s)", name, key);
	return 0;
}

int sites_remove(struct store *s, const char *name)
{
	if (!strcmp(name, store_site(s))) {
		warnx("site remove: '%s' is this store's own site", name);
		return CCC_EX_DATAERR;
	}
	sqlite3_stmt *st = store_stmt(s, SQL_PRIMARY);
	int primary = sqlite3_step(st) == SQLITE_ROW &&
		      !strcmp((const char *)sqlite3_column_text(st, 1), name);
	sqlite3_reset(st);
	if (primary) {
		warnx("site remove: '%s' is the primary of the current epoch; promote another "
		      "site first",
		      name);
		return CCC_EX_DATAERR;
	}
	st = store_stmt(s, "DELETE FROM sites WHERE name = ?1");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "removing a site");
	if (!sqlite3_changes(store_db(s))) {
		warnx("site remove: no site '%s' in store '%s'", name, store_path(s));
		return CCC_EX_NOINPUT;
	}
	st = store_stmt(s, "DELETE FROM heartbeats WHERE site = ?1");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "removing a site");
}

static jv opt_text(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	return t ? jv_string(t) : jv_null();
}

jv sites_record(const char *name, const void *pub, const char *added_at)
{
	char key[80];
	sign_pub_format(pub, key, sizeof key);
	jv r = jv_object();
	r = jv_object_set(r, jv_string("type"), jv_string("site"));
	r = jv_object_set(r, jv_string("v"), jv_number(RECORD_VERSION));
	r = jv_object_set(r, jv_string("id"), jv_string(name));
	r = jv_object_set(r, jv_string("name"), jv_string(name));
	r = jv_object_set(r, jv_string("key"), jv_string(key));
	if (added_at)
		r = jv_object_set(r, jv_string("added_at"), jv_string(added_at));
	return r;
}

int sites_list(struct store *s, const char *only, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_SITES);
	int rc;
	*out = jv_array();
	sqlite3_bind_text(st, 1, only, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 1) != SIGN_PUBLEN)
			continue;
		jv r = sites_record((const char *)sqlite3_column_text(st, 0),
				    sqlite3_column_blob(st, 1),
				    (const char *)sqlite3_column_text(st, 2));
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			r = jv_object_set(r, jv_string("time_zone"), opt_text(st, 3));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			r = jv_object_set(r, jv_string("region"), opt_text(st, 4));
		*out = jv_array_append(*out, r);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(*out);
		*out = jv_invalid();
		return store_error(s, rc, "listing sites");
	}
	return 0;
}

int sites_heartbeat(struct store *s)
{
	char now[RFC3339_LEN];
	int64_t pos = store_head_seq(s);
	if (pos < 0)
		return CCC_EX_IOERR;
	sqlite3_stmt *st = store_stmt(s, SQL_PRIMARY);
	int64_t epoch = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	clock_format(clock_now(), now);
	st = store_stmt(s, "INSERT OR REPLACE INTO heartbeats(site, ts, seq, epoch)"
			   " VALUES (?1, ?2, ?3, ?4)");
	sqlite3_bind_text(st, 1, store_site(s), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, pos);
	sqlite3_bind_int64(st, 4, epoch);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "recording the heartbeat");
}

int sites_record_ack(struct store *s, const char *site, int64_t seq)
{
	char key[128], val[64], now[RFC3339_LEN];
	clock_format(clock_now(), now);
	snprintf(key, sizeof key, "ack:%s", site);
	snprintf(val, sizeof val, "%lld %s", (long long)seq, now);
	/* never backwards, unless what is recorded is beyond the journal (a bogus
	 * ack believed by an older version) */
	int64_t was = sites_acked(s, site), last = store_head_seq(s);
	if (was > seq && was <= last)
		return 0;
	int rc = sitelocal_put(store_local(s), key, val);
	if (!rc)
		witness_note_ack(&(struct witness_store){store_db(s), store_path(s), store_site(s)},
				 site, seq);
	return rc;
}

/* The ack:SITE value: its seq, and its time in ts (RFC3339_LEN) when found. */
static int64_t acked(struct store *s, const char *site, char *ts)
{
	char key[128];
	int64_t seq = 0;
	snprintf(key, sizeof key, "ack:%s", site);
	char *v = sitelocal_get(store_local(s), key);
	if (ts)
		ts[0] = '\0';
	if (v) {
		long long n = 0;
		char t[RFC3339_LEN] = "";
		if (sscanf(v, "%lld %25s", &n, t) >= 1) {
			seq = n;
			if (ts)
				memcpy(ts, t, RFC3339_LEN);
		}
	}
	free(v);
	return seq;
}

int64_t sites_acked(struct store *s, const char *site)
{
	return acked(s, site, NULL);
}

/* Seconds from an RFC 3339 time to now; -1 when it does not parse. */
static long long age_of(const char *ts)
{
	time_t t;
	return ts && *ts && clock_parse(ts, &t) == 0 ? (long long)(clock_now() - t) : -1;
}

int sites_status(struct store *s, jv *out)
{
	int64_t pos = store_head_seq(s), epoch = 0;
	char primary[128] = "";
	if (pos < 0)
		return CCC_EX_IOERR;
	sqlite3_stmt *st = store_stmt(s, SQL_PRIMARY);
	if (sqlite3_step(st) == SQLITE_ROW) {
		epoch = sqlite3_column_int64(st, 0);
		snprintf(primary, sizeof primary, "%s", sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	int self_primary = !strcmp(primary, store_site(s));

	/* The primary's last heartbeat, as known here: the standbys' freshness. */
	int64_t primary_hb_seq = -1;
	st = store_stmt(s, "SELECT seq FROM heartbeats WHERE site = ?1");
	sqlite3_bind_text(st, 1, primary, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		primary_hb_seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	st = store_stmt(s, SQL_SITES);
	*out = jv_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *hb = (const char *)sqlite3_column_text(st, 5);
		int self = !strcmp(name, store_site(s));
		int is_primary = !strcmp(name, primary);
		int was_primary = sqlite3_column_type(st, 8) != SQLITE_NULL;
		jv r = jv_object();
		r = jv_object_set(r, jv_string("type"), jv_string("site-status"));
		r = jv_object_set(r, jv_string("v"), jv_number(RECORD_VERSION));
		r = jv_object_set(r, jv_string("id"), jv_string(name));
		r = jv_object_set(r, jv_string("site"), jv_string(name));
		r = jv_object_set(r, jv_string("self"), jv_bool(self));
		r = jv_object_set(r, jv_string("role"),
				  jv_string(is_primary    ? "primary"
					    : was_primary ? "former-primary"
							  : "standby"));
		r = jv_object_set(r, jv_string("epoch"), jv_number((double)epoch));
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			r = jv_object_set(r, jv_string("time_zone"), opt_text(st, 3));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			r = jv_object_set(r, jv_string("region"), opt_text(st, 4));
		jv seq = jv_null(), lag = jv_null(), last = hb ? jv_string(hb) : jv_null();
		char ackts[RFC3339_LEN];
		int ahead = 0;
		if (self) {
			seq = jv_number((double)pos);
			/* a standby is behind by what its primary wrote since its heartbeat:
			 * unknown here; it knows only that it holds up to pos */
			lag = self_primary ? jv_number(0)
			      : primary_hb_seq >= 0 && primary_hb_seq > pos
				  ? jv_number((double)(primary_hb_seq - pos))
				  : jv_null();
		} else if (self_primary) {
			int64_t a = acked(s, name, ackts);
			if (ackts[0]) {
				seq = jv_number((double)a);
				/* an ack beyond this store's journal is not a lag: unknown */
				lag = a <= pos ? jv_number((double)(pos - a)) : jv_null();
				ahead = a > pos;
				jv_free(last);
				if (!hb || strcmp(ackts, hb) > 0)
					last = jv_string(ackts);
				else
					last = jv_string(hb);
			}
		} else if (is_primary && sqlite3_column_type(st, 6) != SQLITE_NULL) {
			seq = jv_number((double)sqlite3_column_int64(st, 6));
		}
		r = jv_object_set(r, jv_string("seq"), seq);
		r = jv_object_set(r, jv_string("lag"), lag);
		if (ahead)
			r = jv_object_set(r, jv_string("ahead"), jv_true());
		long long age =
		    jv_get_kind(last) == JV_KIND_STRING ? age_of(jv_string_value(last)) : -1;
		r = jv_object_set(r, jv_string("heartbeat"), last);
		r = jv_object_set(r, jv_string("heartbeat_age_s"),
				  age >= 0 ? jv_number((double)age) : jv_null());
		*out = jv_array_append(*out, r);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(*out);
		*out = jv_invalid();
		return store_error(s, rc, "reading the sites");
	}
	return 0;
}
