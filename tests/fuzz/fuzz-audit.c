/*
 * fuzz-audit: audit chain entries for `ccc-failover audit-import`
 * (lib/store/audit.c), as a compromised but trusted site would send them:
 * the body is the input, the entry follows the site's last merged one and
 * is hashed and signed with the site's own key, so every check but the
 * body's passes.
 *
 * At start-up, in a temporary directory: a primary store "lyon" that
 * trusts a site "kit" (its key made there). Each input is merged with
 * audit_import_record in a transaction that is rolled back, so each input
 * meets the same store.
 *
 * Besides the sanitizers, it checks what must hold whatever the body: the
 * site settings and the schema never change; a merged entry adds exactly
 * one site_audits row, touches no other table than consultations, rejects
 * and site_audits, and every consultation it adds says it was made at
 * "kit"; a refused entry changes nothing. A breach aborts.
 */
#include <err.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include <jv.h>

#include "ccc/audit.h"
#include "ccc/digest.h"
#include "ccc/journal.h"
#include "ccc/json.h"
#include "ccc/sign.h"
#include "ccc/store.h"

static struct store *lyon;
static struct sign_key *kit;
static char dir[4096];
static char *local_before, *schema_before, *others_before;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	store_close(lyon);
	sign_free(kit);
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(local_before);
	free(schema_before);
	free(others_before);
}

static char *rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	struct buf b = {0};
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const char *t = (const char *)sqlite3_column_text(st, c);
			buf_add(&b, t ? t : "\x01", t ? (size_t)sqlite3_column_bytes(st, c) : 1);
			buf_addc(&b, '\x1f');
		}
		buf_addc(&b, '\x1e');
	}
	sqlite3_finalize(st);
	buf_addc(&b, '\0');
	return b.p;
}

static int64_t number(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Every replicated table but the three an audit entry may add to. */
static const char *const OTHERS =
    "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM queue),"
    " (SELECT count(*) FROM documents), (SELECT count(*) FROM persons),"
    " (SELECT count(*) FROM sites), (SELECT count(*) FROM epochs),"
    " (SELECT group_concat(name || revoked_at, ',') FROM sites),"
    " (SELECT count(*) FROM journal), (SELECT count(*) FROM audit_local)";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char lpath[4200], lkey[4200], kkey[4200], pub[80];
	uint8_t kpub[SIGN_PUBLEN];
	snprintf(dir, sizeof dir, "%s/fuzz-audit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		err(1, "fuzz-audit: cannot create a temporary directory");
	atexit(cleanup);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_STATE_HOME", dir, 1);
	snprintf(lpath, sizeof lpath, "%s/lyon.db", dir);
	snprintf(lkey, sizeof lkey, "%s/lyon.pem", dir);
	snprintf(kkey, sizeof kkey, "%s/kit.pem", dir);
	if (store_init(lpath, "lyon", lkey, 0) || store_open(lpath, STORE_WRITE, lkey, &lyon) ||
	    sign_generate(kkey, &kit))
		errx(1, "fuzz-audit: cannot make the store and the kit's key");
	sign_public(kit, kpub);
	sign_pub_format(kpub, pub, sizeof pub);
	int64_t seq;
	sqlite3_stmt *st;
	if (store_begin(lyon) ||
	    sqlite3_prepare_v2(store_db(lyon),
			       "INSERT INTO sites(name, pubkey, added_at) VALUES ('kit', ?1, "
			       "'2026-11-28T10:00:00Z')",
			       -1, &st, NULL) != SQLITE_OK)
		errx(1, "fuzz-audit: cannot trust the kit");
	sqlite3_bind_blob(st, 1, kpub, SIGN_PUBLEN, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE || store_commit(lyon, &seq))
		errx(1, "fuzz-audit: cannot trust the kit");
	sqlite3_finalize(st);
	local_before = rows(store_db(lyon), "SELECT key, value FROM local ORDER BY key");
	schema_before = rows(store_db(lyon), "SELECT type, name, sql FROM sqlite_master");
	others_before = rows(store_db(lyon), OTHERS);
	return 0;
}

static jv hex_jv(const void *p, size_t n)
{
	char h[2 * SHA256_LEN + 1];
	hex_encode(p, n, h);
	return jv_string(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t prev[SHA256_LEN] = {0}, hash[SHA256_LEN], sig[SIGN_SIGLEN], *msg;
	char b64[128], why[512];
	const char *ts = "2026-11-28T10:00:00.000Z";
	sqlite3 *db = store_db(lyon);
	if (size > (1 << 16))
		return 0;
	/* the body as a JSON string carries it: text without NUL, as jv keeps it */
	jv body = jv_string_sized((const char *)data, (int)size);
	if (!jv_is_valid(body)) {
		jv_free(body);
		return 0;
	}
	const char *text = jv_string_value(body);
	if (strlen(text) != (size_t)jv_string_length_bytes(jv_copy(body))) {
		jv_free(body);
		return 0;
	}
	audit_hash("kit", 1, ts, prev, text, strlen(text), hash);
	size_t mlen = audit_message("kit", 1, hash, &msg);
	if (sign_message(kit, msg, mlen, sig))
		abort();
	free(msg);
	base64_encode(sig, SIGN_SIGLEN, b64);
	jv rec = JV_OBJECT(jv_string("type"), jv_string("audit"), jv_string("site"),
			   jv_string("kit"), jv_string("seq"), jv_number(1), jv_string("ts"),
			   jv_string(ts), jv_string("body"), body);
	rec = jv_object_set(rec, jv_string("prev_hash"), hex_jv(prev, SHA256_LEN));
	rec = jv_object_set(rec, jv_string("hash"), hex_jv(hash, SHA256_LEN));
	rec = jv_object_set(rec, jv_string("signature"), jv_string(b64));

	if (store_begin(lyon))
		abort();
	int64_t audits = number(db, "SELECT count(*) FROM site_audits");
	int64_t consults = number(db, "SELECT count(*) FROM consultations");
	int64_t rejects = number(db, "SELECT count(*) FROM rejects");
	int rc = audit_import_record(lyon, rec, why, sizeof why);
	jv_free(rec);
	int64_t audits_after = number(db, "SELECT count(*) FROM site_audits");
	if (rc == 0) {
		if (audits_after != audits + 1)
			abort();
		if (number(db, "SELECT count(*) FROM consultations WHERE site IS NOT 'kit'") != 0)
			abort();
	} else if (rc < 0 && (audits_after != audits ||
			      number(db, "SELECT count(*) FROM consultations") != consults ||
			      number(db, "SELECT count(*) FROM rejects") != rejects)) {
		/* a refused entry merges nothing (the caller rolls back a refused
		 * entry's rows only with the batch: none may be left) */
		abort();
	}
	char *others = rows(db, OTHERS);
	if (strcmp(others, others_before))
		abort();
	free(others);
	store_rollback(lyon);
	char *local = rows(db, "SELECT key, value FROM local ORDER BY key");
	char *schema = rows(db, "SELECT type, name, sql FROM sqlite_master");
	if (strcmp(local, local_before) || strcmp(schema, schema_before))
		abort();
	free(local);
	free(schema);
	return 0;
}
