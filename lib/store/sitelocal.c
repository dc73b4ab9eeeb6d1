/*
 * sitelocal.c: this site's own settings (the local table), sealed with its key.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ccc/clock.h"
#include "ccc/digest.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/xmalloc.h"

enum { GET, PUT, DEL, SEALED };
static const char *const SQL_GET = "SELECT value FROM local WHERE key = ?1";
static const char *const SQL_PUT = "INSERT OR REPLACE INTO local(key, value) VALUES (?1, ?2)";
static const char *const SQL_DEL = "DELETE FROM local WHERE key = ?1";
static const char *const SQL_EACH =
    "SELECT key, value FROM local WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key";
/* What the seal covers: every row but itself (trust anchors are kept outside
 * the store, anchor.h; a 'trust:' row left by an older version is sealed like
 * the rest, and read by nothing). */
static const char *const SQL_SEALED =
    "SELECT key, value FROM local WHERE key <> 'seal' ORDER BY key";

/* A failed step or statement: say so with the store's name; the exit code. */
static int fail(struct sitelocal *l, int rc, const char *context)
{
	if ((rc & 0xff) == SQLITE_BUSY)
		warnx("store '%s': %s: store busy", l->path, context);
	else
		warnx("store '%s': %s: %s", l->path, context, sqlite3_errmsg(l->db));
	return ccc_exit_sqlite(rc);
}

/* Statement i, prepared once and reset; NULL when it cannot be (warned):
 * stepping NULL gives SQLITE_MISUSE. */
static sqlite3_stmt *stmt(struct sitelocal *l, int i)
{
	static const char *const *const sql[] = {&SQL_GET, &SQL_PUT, &SQL_DEL, &SQL_SEALED};
	if (l->stmt[i]) {
		sqlite3_reset(l->stmt[i]);
		sqlite3_clear_bindings(l->stmt[i]);
	} else {
		int rc = sqlite3_prepare_v3(l->db, *sql[i], -1, SQLITE_PREPARE_PERSISTENT,
					    &l->stmt[i], NULL);
		if (rc != SQLITE_OK) {
			warnx("store '%s': reading the site settings: %s", l->path,
			      sqlite3_errmsg(l->db));
			l->stmt_rc = rc;
		}
	}
	return l->stmt[i];
}

void sitelocal_close(struct sitelocal *l)
{
	for (size_t i = 0; i < sizeof l->stmt / sizeof l->stmt[0]; i++) {
		sqlite3_finalize(l->stmt[i]);
		l->stmt[i] = NULL;
	}
}

static const char *site_of(const struct sitelocal *l)
{
	return *l->site ? *l->site : "";
}

/* The canonical encoding of the sealed rows: a version line, then for each
 * row in key order its key and value, each as "LENGTH:BYTES", and a newline. */
static int canonical(struct sitelocal *l, struct buf *b)
{
	sqlite3_stmt *st = stmt(l, SEALED);
	int rc;
	buf_adds(b, "ccc site settings 1\n");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < 2; c++) {
			char len[24];
			const char *t = (const char *)sqlite3_column_text(st, c);
			int n = sqlite3_column_bytes(st, c);
			snprintf(len, sizeof len, "%d:", n);
			buf_adds(b, len);
			buf_add(b, t ? t : "", (size_t)n);
		}
		buf_addc(b, '\n');
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fail(l, rc, "reading the site settings");
}

int sitelocal_verify(struct sitelocal *l, const uint8_t pub[SIGN_PUBLEN], char *why, size_t whylen)
{
	struct buf b = {0};
	uint8_t sig[SIGN_SIGLEN + 8];
	char *seal = sitelocal_get(l, "seal");
	int ok = 0;
	if (!seal) {
		snprintf(why, whylen, "they are not signed (the seal is missing)");
	} else if (strlen(seal) != 4 * ((SIGN_SIGLEN + 2) / 3) ||
		   base64_decode(seal, strlen(seal), sig) != SIGN_SIGLEN) {
		snprintf(why, whylen, "their seal is not a signature");
	} else if (canonical(l, &b)) {
		snprintf(why, whylen, "they cannot be read");
	} else if (!sign_verify(pub, b.p, b.len, sig)) {
		snprintf(why, whylen, "their signature does not verify");
	} else {
		ok = 1;
	}
	free(seal);
	buf_free(&b);
	return ok ? 0 : -1;
}

int sitelocal_check(struct sitelocal *l)
{
	const uint8_t *pub = *l->key ? l->pub : NULL;
	char why[128];
	if (!pub) {
		warnx("store '%s': the key of site '%s' is needed to check its site settings "
		      "(give --key FILE)",
		      l->path, site_of(l));
		return CCC_EX_CONFIG;
	}
	if (sitelocal_verify(l, pub, why, sizeof why) == 0)
		return 0;
	warnx("fenced: the site settings of store '%s' were changed outside ccc (%s); refusing "
	      "to write (see 'ccc-store verify')",
	      l->path, why);
	return CCC_EX_TEMPFAIL;
}

static int step_done(struct sitelocal *l, sqlite3_stmt *st, const char *context)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fail(l, rc, context);
}

int sitelocal_seal(struct sitelocal *l)
{
	struct buf b = {0};
	uint8_t sig[SIGN_SIGLEN];
	char seal[4 * ((SIGN_SIGLEN + 2) / 3) + 1];
	int rc = canonical(l, &b);
	if (!rc && (!*l->key || sign_message(*l->key, b.p, b.len, sig) < 0)) {
		warnx("store '%s': the key of site '%s' is needed to sign its site settings "
		      "(give --key FILE)",
		      l->path, site_of(l));
		rc = CCC_EX_CONFIG;
	}
	buf_free(&b);
	if (rc)
		return rc;
	base64_encode(sig, SIGN_SIGLEN, seal);
	sqlite3_stmt *st = stmt(l, PUT);
	sqlite3_bind_text(st, 1, "seal", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, seal, -1, SQLITE_TRANSIENT);
	return step_done(l, st, "sealing the site settings");
}

char *sitelocal_get(struct sitelocal *l, const char *key)
{
	sqlite3_stmt *st = stmt(l, GET);
	char *v = NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		v = xstrdup(t ? t : "");
	}
	sqlite3_reset(st);
	return v;
}

/* Check, change and seal in one transaction: a savepoint inside the
 * caller's, else a transaction of its own. */
int sitelocal_put(struct sitelocal *l, const char *key, const char *value)
{
	sqlite3 *db = l->db;
	int own = sqlite3_get_autocommit(db), rc;
	rc = sqlite3_exec(db, own ? "BEGIN IMMEDIATE" : "SAVEPOINT sitelocal", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return fail(l, rc, "changing the site settings");
	if (!(rc = sitelocal_check(l))) {
		sqlite3_stmt *st = stmt(l, value ? PUT : DEL);
		sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
		if (value)
			sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
		if (!(rc = step_done(l, st, "changing the site settings")))
			rc = sitelocal_seal(l);
	}
	if (!rc) {
		rc = sqlite3_exec(db, own ? "COMMIT" : "RELEASE sitelocal", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		rc = fail(l, rc, "changing the site settings");
	}
	if (own)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	else
		sqlite3_exec(db, "ROLLBACK TO sitelocal; RELEASE sitelocal", NULL, NULL, NULL);
	return rc;
}

int sitelocal_each(struct sitelocal *l, const char *prefix,
		   int (*each)(const char *key, const char *value, void *ctx), void *ctx)
{
	/* its own statement: each() may read settings too */
	sqlite3_stmt *st;
	int rc = 0;
	if (sqlite3_prepare_v2(l->db, SQL_EACH, -1, &st, NULL) != SQLITE_OK)
		return fail(l, sqlite3_errcode(l->db), "reading the site settings");
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);
		rc = each(k ? k : "", v ? v : "", ctx);
	}
	sqlite3_finalize(st);
	return rc;
}

char *sitelocal_site(struct sitelocal *l)
{
	return sitelocal_get(l, "site");
}

int sitelocal_is_standby(struct sitelocal *l)
{
	char *role = sitelocal_get(l, "role");
	int standby = role && !strcmp(role, "standby");
	free(role);
	return standby;
}

int64_t sitelocal_seen_epoch(struct sitelocal *l, char *by, size_t n)
{
	char *v = sitelocal_get(l, "seen-epoch"), who[128] = "";
	long long seen = 0;
	if (v && sscanf(v, "%lld %127s", &seen, who) < 1)
		seen = 0;
	if (by)
		snprintf(by, n, "%s", who);
	free(v);
	return seen > 0 ? (int64_t)seen : 0;
}

int sitelocal_note_epoch(struct sitelocal *l, int64_t epoch, const char *origin)
{
	char v[200];
	if (epoch <= sitelocal_seen_epoch(l, NULL, 0))
		return 0;
	snprintf(v, sizeof v, "%lld %s", (long long)epoch, origin);
	return sitelocal_put(l, "seen-epoch", v);
}

int sitelocal_lease(struct sitelocal *l, int64_t *deadline_ns, char *boot, size_t n)
{
	char *d = sitelocal_get(l, "lease:deadline"), *b = sitelocal_get(l, "lease:boot");
	int held = d != NULL;
	*deadline_ns = d ? strtoll(d, NULL, 10) : 0;
	snprintf(boot, n, "%s", b ? b : "");
	free(d);
	free(b);
	return held;
}

int sitelocal_set_lease(struct sitelocal *l, int64_t deadline_ns, const char *boot)
{
	char d[32];
	snprintf(d, sizeof d, "%lld", (long long)deadline_ns);
	/* the boot first: a lease is held only once its deadline is written */
	int rc = sitelocal_put(l, "lease:boot", deadline_ns < 0 ? NULL : boot);
	return rc ? rc : sitelocal_put(l, "lease:deadline", deadline_ns < 0 ? NULL : d);
}

static char *site_setting(struct sitelocal *l, const char *prefix, const char *site)
{
	char key[200];
	snprintf(key, sizeof key, "%s:%s", prefix, site);
	return sitelocal_get(l, key);
}

static int set_site_setting(struct sitelocal *l, const char *prefix, const char *site,
			    const char *value)
{
	char key[200];
	snprintf(key, sizeof key, "%s:%s", prefix, site);
	return sitelocal_put(l, key, value);
}

char *sitelocal_via(struct sitelocal *l, const char *site)
{
	return site_setting(l, "via", site);
}

int sitelocal_set_via(struct sitelocal *l, const char *site, const char *cmd)
{
	return set_site_setting(l, "via", site, cmd);
}

char *sitelocal_ack_via(struct sitelocal *l, const char *site)
{
	return site_setting(l, "ack-via", site);
}

int sitelocal_set_ack_via(struct sitelocal *l, const char *site, const char *cmd)
{
	return set_site_setting(l, "ack-via", site, cmd);
}

int sitelocal_primary_head(struct sitelocal *l, struct sitelocal_head *h)
{
	char *v = sitelocal_get(l, "primary-head"), heard[RFC3339_LEN] = "";
	long long seq = 0, epoch = 0;
	int got = v && sscanf(v, "%lld %lld %127s %31s", &seq, &epoch, h->site, heard) == 4 &&
		  seq >= 0 && clock_parse(heard, &h->heard) == 0;
	free(v);
	if (!got) {
		*h = (struct sitelocal_head){0};
		return 0;
	}
	h->seq = seq;
	h->epoch = epoch;
	return 1;
}

int sitelocal_set_primary_head(struct sitelocal *l, const struct sitelocal_head *h)
{
	char v[256], heard[RFC3339_LEN];
	clock_format(h->heard, heard);
	snprintf(v, sizeof v, "%lld %lld %s %s", (long long)h->seq, (long long)h->epoch, h->site,
		 heard);
	return sitelocal_put(l, "primary-head", v);
}

/* A time setting: its value, 0 when it is not set or not a time. */
static time_t time_setting(struct sitelocal *l, const char *key)
{
	char *v = sitelocal_get(l, key);
	time_t t = 0;
	if (v && clock_parse(v, &t) < 0)
		t = 0;
	free(v);
	return t;
}

static int set_time_setting(struct sitelocal *l, const char *key, time_t t)
{
	char v[RFC3339_LEN];
	clock_format(t, v);
	return sitelocal_put(l, key, v);
}

time_t sitelocal_caught_up(struct sitelocal *l)
{
	return time_setting(l, "caught-up");
}

int sitelocal_set_caught_up(struct sitelocal *l, time_t t)
{
	return set_time_setting(l, "caught-up", t);
}

time_t sitelocal_last_import(struct sitelocal *l)
{
	return time_setting(l, "last-import");
}

int sitelocal_set_last_import(struct sitelocal *l, time_t t)
{
	return set_time_setting(l, "last-import", t);
}
