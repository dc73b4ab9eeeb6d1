/*
 * sitelocal.c: this site's own settings (the local table), sealed with its key.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ccc/digest.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/xmalloc.h"

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

/* The canonical encoding of the sealed rows: a version line, then for each
 * row in key order its key and value, each as "LENGTH:BYTES", and a newline. */
static int canonical(struct store *s, struct buf *b)
{
	sqlite3_stmt *st = store_stmt(s, SQL_SEALED);
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
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the site settings");
}

int sitelocal_verify(struct store *s, const uint8_t pub[SIGN_PUBLEN], char *why, size_t whylen)
{
	struct buf b = {0};
	uint8_t sig[SIGN_SIGLEN + 8];
	char *seal = sitelocal_get(s, "seal");
	int ok = 0;
	if (!seal) {
		snprintf(why, whylen, "they are not signed (the seal is missing)");
	} else if (strlen(seal) != 4 * ((SIGN_SIGLEN + 2) / 3) ||
		   base64_decode(seal, strlen(seal), sig) != SIGN_SIGLEN) {
		snprintf(why, whylen, "their seal is not a signature");
	} else if (canonical(s, &b)) {
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

int sitelocal_check(struct store *s)
{
	const uint8_t *pub = store_public_key(s);
	char why[128];
	if (!pub) {
		warnx("store '%s': the key of site '%s' is needed to check its site settings "
		      "(give --key FILE)",
		      store_path(s), store_site(s));
		return CCC_EX_CONFIG;
	}
	if (sitelocal_verify(s, pub, why, sizeof why) == 0)
		return 0;
	warnx("fenced: the site settings of store '%s' were changed outside ccc (%s); refusing "
	      "to write (see 'ccc-store verify')",
	      store_path(s), why);
	return CCC_EX_TEMPFAIL;
}

static int step_done(struct store *s, sqlite3_stmt *st, const char *context)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, context);
}

int sitelocal_seal(struct store *s)
{
	struct buf b = {0};
	uint8_t sig[SIGN_SIGLEN];
	char seal[4 * ((SIGN_SIGLEN + 2) / 3) + 1];
	int rc = canonical(s, &b);
	if (!rc && store_sign(s, b.p, b.len, sig) < 0) {
		warnx("store '%s': the key of site '%s' is needed to sign its site settings "
		      "(give --key FILE)",
		      store_path(s), store_site(s));
		rc = CCC_EX_CONFIG;
	}
	buf_free(&b);
	if (rc)
		return rc;
	base64_encode(sig, SIGN_SIGLEN, seal);
	sqlite3_stmt *st = store_stmt(s, SQL_PUT);
	sqlite3_bind_text(st, 1, "seal", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, seal, -1, SQLITE_TRANSIENT);
	return step_done(s, st, "sealing the site settings");
}

char *sitelocal_get(struct store *s, const char *key)
{
	sqlite3_stmt *st = store_stmt(s, SQL_GET);
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
int sitelocal_put(struct store *s, const char *key, const char *value)
{
	sqlite3 *db = store_db(s);
	int own = sqlite3_get_autocommit(db), rc;
	rc = sqlite3_exec(db, own ? "BEGIN IMMEDIATE" : "SAVEPOINT sitelocal", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "changing the site settings");
	if (!(rc = sitelocal_check(s))) {
		sqlite3_stmt *st = store_stmt(s, value ? SQL_PUT : SQL_DEL);
		sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
		if (value)
			sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
		if (!(rc = step_done(s, st, "changing the site settings")))
			rc = sitelocal_seal(s);
	}
	if (!rc) {
		rc = sqlite3_exec(db, own ? "COMMIT" : "RELEASE sitelocal", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		rc = store_error(s, rc, "changing the site settings");
	}
	if (own)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	else
		sqlite3_exec(db, "ROLLBACK TO sitelocal; RELEASE sitelocal", NULL, NULL, NULL);
	return rc;
}

int sitelocal_each(struct store *s, const char *prefix,
		   int (*each)(const char *key, const char *value, void *ctx), void *ctx)
{
	/* its own statement: each() may read settings too */
	sqlite3_stmt *st;
	int rc = 0;
	if (sqlite3_prepare_v2(store_db(s), SQL_EACH, -1, &st, NULL) != SQLITE_OK)
		return store_error(s, sqlite3_errcode(store_db(s)), "reading the site settings");
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);
		rc = each(k ? k : "", v ? v : "", ctx);
	}
	sqlite3_finalize(st);
	return rc;
}

char *sitelocal_site(struct store *s)
{
	return sitelocal_get(s, "site");
}

int sitelocal_is_standby(struct store *s)
{
	char *role = sitelocal_get(s, "role");
	int standby = role && !strcmp(role, "standby");
	free(role);
	return standby;
}

int64_t sitelocal_seen_epoch(struct store *s, char *by, size_t n)
{
	char *v = sitelocal_get(s, "seen-epoch"), who[128] = "";
	long long seen = 0;
	if (v && sscanf(v, "%lld %127s", &seen, who) < 1)
		seen = 0;
	if (by)
		snprintf(by, n, "%s", who);
	free(v);
	return seen > 0 ? (int64_t)seen : 0;
}

int sitelocal_note_epoch(struct store *s, int64_t epoch, const char *origin)
{
	char v[200];
	if (epoch <= sitelocal_seen_epoch(s, NULL, 0))
		return 0;
	snprintf(v, sizeof v, "%lld %s", (long long)epoch, origin);
	return sitelocal_put(s, "seen-epoch", v);
}

int sitelocal_lease(struct store *s, int64_t *deadline_ns, char *boot, size_t n)
{
	char *d = sitelocal_get(s, "lease:deadline"), *b = sitelocal_get(s, "lease:boot");
	int held = d != NULL;
	*deadline_ns = d ? strtoll(d, NULL, 10) : 0;
	snprintf(boot, n, "%s", b ? b : "");
	free(d);
	free(b);
	return held;
}

int sitelocal_set_lease(struct store *s, int64_t deadline_ns, const char *boot)
{
	char d[32];
	snprintf(d, sizeof d, "%lld", (long long)deadline_ns);
	/* the boot first: a lease is held only once its deadline is written */
	int rc = sitelocal_put(s, "lease:boot", deadline_ns < 0 ? NULL : boot);
	return rc ? rc : sitelocal_put(s, "lease:deadline", deadline_ns < 0 ? NULL : d);
}

static char *site_setting(struct store *s, const char *prefix, const char *site)
{
	char key[200];
	snprintf(key, sizeof key, "%s:%s", prefix, site);
	return sitelocal_get(s, key);
}

static int set_site_setting(struct store *s, const char *prefix, const char *site,
			    const char *value)
{
	char key[200];
	snprintf(key, sizeof key, "%s:%s", prefix, site);
	return sitelocal_put(s, key, value);
}

char *sitelocal_via(struct store *s, const char *site)
{
	return site_setting(s, "via", site);
}

int sitelocal_set_via(struct store *s, const char *site, const char *cmd)
{
	return set_site_setting(s, "via", site, cmd);
}

char *sitelocal_ack_via(struct store *s, const char *site)
{
	return site_setting(s, "ack-via", site);
}

int sitelocal_set_ack_via(struct store *s, const char *site, const char *cmd)
{
	return set_site_setting(s, "ack-via", site, cmd);
}
