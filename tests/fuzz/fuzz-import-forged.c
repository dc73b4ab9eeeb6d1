/*
 * fuzz-import-forged: forged-but-signed entries for `ccc-failover import`
 * (lib/failover/ship.c): a valid hash and a valid signature by the trusted primary's
 * key, with a hostile changeset, as a compromised peer site would send.
 *
 * At start-up, in a temporary directory: a primary store "lyon" (its key
 * made there) and a standby "standby" that trusts lyon's key and has
 * imported lyon's first entry (its sites and epochs rows). A mirror of the
 * standby in memory makes changesets from SQL.
 *
 * An input is a flags byte and a body. Flags bit 0: the body is SQL run on
 * the mirror with a session on every table, local and journal included
 * (set), or the changeset itself (clear). Bits 1-2: the entry's epoch is the
 * standby's (0), the next (1), 0 (2), or the next byte of the input (3).
 * The entry follows the standby's last one, comes from lyon and is signed
 * with lyon's key, and is applied with ship_apply in a transaction that is
 * rolled back, so each input meets the same store.
 *
 * Besides the sanitizers, it checks what must hold whatever the entry:
 * this site's settings (local table) and the schema never change, and an
 * entry applied changes only replicated tables, adds exactly one journal
 * entry, and comes from the primary of its epoch. A breach aborts.
 */
#include <err.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include <jv.h>

#include "ccc/changeset.h"
#include "ccc/digest.h"
#include "ccc/journal.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/ship.h"
#include "ccc/sign.h"
#include "ccc/store.h"

static struct store *lyon, *standby;
static sqlite3 *mirror;
static char dir[4096];
static char *local_before, *schema_before;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	store_close(standby);
	store_close(lyon);
	sqlite3_close(mirror);
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS); /* the stores, keys, anchors, witnesses */
	free(local_before);
	free(schema_before);
}

/* The rows of a query as one string (caller frees). */
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

static jv hex_jv(const void *p, size_t n)
{
	char h[2 * SHA256_LEN + 1];
	hex_encode(p, n, h);
	return jv_string(h);
}

static jv b64_jv(const void *p, size_t n)
{
	char *b = malloc(base64_len(n) + 1);
	if (!b)
		abort();
	base64_encode(p, n, b);
	jv r = jv_string(b);
	free(b);
	return r;
}

/* An entry after the standby's last one, with changeset cs, and its
 * checkpoint signed by lyon. */
static void forge(const void *cs, size_t n, int64_t epoch, jv *entry, jv *checkpoint)
{
	sqlite3 *db = store_db(standby);
	sqlite3_stmt *st;
	struct journal_entry e = {0};
	uint8_t hash[SHA256_LEN], sig[SIGN_SIGLEN], *msg;
	sqlite3_prepare_v2(db, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", -1, &st,
			   NULL);
	if (sqlite3_step(st) != SQLITE_ROW)
		abort();
	e.seq = sqlite3_column_int64(st, 0) + 1;
	memcpy(e.prev_hash, sqlite3_column_blob(st, 1), SHA256_LEN);
	sqlite3_finalize(st);
	e.epoch = epoch;
	e.origin = "lyon";
	e.actor = "mallory";
	e.command = "forged";
	e.ts = "2026-11-28T10:00:00.000Z";
	e.changeset = cs;
	e.changeset_len = n;
	journal_hash(&e, hash);
	size_t mlen = checkpoint_message("lyon", e.seq, hash, &msg);
	if (store_sign(lyon, msg, mlen, sig))
		abort();
	free(msg);
	*entry = jv_object();
	*entry = jv_object_set(*entry, jv_string("type"), jv_string("entry"));
	*entry = jv_object_set(*entry, jv_string("seq"), jv_number((double)e.seq));
	*entry = jv_object_set(*entry, jv_string("epoch"), jv_number((double)epoch));
	*entry = jv_object_set(*entry, jv_string("origin"), jv_string(e.origin));
	*entry = jv_object_set(*entry, jv_string("actor"), jv_string(e.actor));
	*entry = jv_object_set(*entry, jv_string("command"), jv_string(e.command));
	*entry = jv_object_set(*entry, jv_string("ts"), jv_string(e.ts));
	*entry = jv_object_set(*entry, jv_string("changeset"), b64_jv(cs, n));
	*entry = jv_object_set(*entry, jv_string("prev_hash"), hex_jv(e.prev_hash, SHA256_LEN));
	*entry = jv_object_set(*entry, jv_string("hash"), hex_jv(hash, SHA256_LEN));
	*checkpoint = jv_object();
	*checkpoint = jv_object_set(*checkpoint, jv_string("type"), jv_string("checkpoint"));
	*checkpoint = jv_object_set(*checkpoint, jv_string("seq"), jv_number((double)e.seq));
	*checkpoint = jv_object_set(*checkpoint, jv_string("origin"), jv_string("lyon"));
	*checkpoint = jv_object_set(*checkpoint, jv_string("head_hash"), hex_jv(hash, SHA256_LEN));
	*checkpoint = jv_object_set(*checkpoint, jv_string("signature"), b64_jv(sig, SIGN_SIGLEN));
}

/* SQL from the input runs on the mirror only, inside a transaction it may
 * not end, without ATTACH, PRAGMA or savepoints, and for a bounded time. */
static int deny(void *ctx, int action, const char *a, const char *b, const char *c, const char *d)
{
	switch (action) {
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
	case SQLITE_PRAGMA:
	case SQLITE_TRANSACTION:
	case SQLITE_SAVEPOINT: return SQLITE_DENY;
	default: return SQLITE_OK;
	}
}

static int steps_left;
static int progress(void *ctx)
{
	return --steps_left <= 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char lpath[4200], lkey[4200], spath[4200], skey[4200], pub[80];
	snprintf(dir, sizeof dir, "%s/fuzz-import-forged.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		err(1, "fuzz-import-forged: cannot create a temporary directory");
	atexit(cleanup);
	/* trust anchors and witnesses go in the temporary folder too */
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_STATE_HOME", dir, 1);
	snprintf(lpath, sizeof lpath, "%s/lyon.db", dir);
	snprintf(lkey, sizeof lkey, "%s/lyon.pem", dir);
	snprintf(spath, sizeof spath, "%s/standby.db", dir);
	snprintf(skey, sizeof skey, "%s/standby.pem", dir);
	if (store_init(lpath, "lyon", lkey, 0) || store_open(lpath, STORE_WRITE, lkey, &lyon) ||
	    store_init(spath, "standby", skey, 1) ||
	    store_open(spath, STORE_IMPORT, skey, &standby))
		errx(1, "fuzz-import-forged: cannot make the stores");
	sign_pub_format(store_public_key(lyon), pub, sizeof pub);
	if (store_trust_anchor(standby, "lyon", pub, 1))
		errx(1, "fuzz-import-forged: cannot trust lyon");

	/* lyon's first entry (its sites and epochs rows), shipped as export does */
	sqlite3_stmt *st;
	sqlite3_prepare_v2(store_db(lyon),
			   "SELECT j.seq, j.epoch, j.origin, j.actor, j.command, j.ts, j.changeset,"
			   " j.prev_hash, j.hash, c.signature FROM journal j JOIN checkpoints c"
			   " ON c.seq = j.seq WHERE j.seq = 1",
			   -1, &st, NULL);
	if (sqlite3_step(st) != SQLITE_ROW)
		errx(1, "fuzz-import-forged: lyon has no first entry");
	jv e = jv_object(), c = jv_object(), ack;
	e = jv_object_set(e, jv_string("seq"), jv_number(1));
	e = jv_object_set(e, jv_string("epoch"), jv_number(1));
	for (int i = 2; i < 6; i++)
		e = jv_object_set(e, jv_string(sqlite3_column_name(st, i)),
				  jv_string((const char *)sqlite3_column_text(st, i)));
	e = jv_object_set(e, jv_string("changeset"),
			  b64_jv(sqlite3_column_blob(st, 6), (size_t)sqlite3_column_bytes(st, 6)));
	e = jv_object_set(e, jv_string("prev_hash"), hex_jv(sqlite3_column_blob(st, 7), 32));
	e = jv_object_set(e, jv_string("hash"), hex_jv(sqlite3_column_blob(st, 8), 32));
	c = jv_object_set(c, jv_string("seq"), jv_number(1));
	c = jv_object_set(c, jv_string("origin"), jv_string("lyon"));
	c = jv_object_set(c, jv_string("head_hash"), hex_jv(sqlite3_column_blob(st, 8), 32));
	c = jv_object_set(c, jv_string("signature"), b64_jv(sqlite3_column_blob(st, 9), 64));
	sqlite3_finalize(st);
	char why[512];
	if (ship_import(standby, e, c, &ack, why, sizeof why))
		errx(1, "fuzz-import-forged: lyon's first entry: %s", why);
	jv_free(ack);

	/* the mirror, where SQL from the input makes changesets */
	sqlite3_backup *bk;
	if (sqlite3_open(":memory:", &mirror) != SQLITE_OK ||
	    !(bk = sqlite3_backup_init(mirror, "main", store_db(standby), "main")) ||
	    sqlite3_backup_step(bk, -1) != SQLITE_DONE || sqlite3_backup_finish(bk) != SQLITE_OK)
		errx(1, "fuzz-import-forged: cannot make the mirror");
	sqlite3_limit(mirror, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(mirror, SQLITE_LIMIT_LENGTH, 1 << 20);
	sqlite3_set_authorizer(mirror, deny, NULL);
	sqlite3_progress_handler(mirror, 1000, progress, NULL);

	local_before = rows(store_db(standby), "SELECT key, value FROM local ORDER BY key");
	schema_before = rows(store_db(standby), "SELECT type, name, sql FROM sqlite_master");
	return 0;
}

/* The changeset SQL makes on the mirror (rolled back there); 0 or -1. */
static int changeset_of(const uint8_t *sql, size_t n, void **cs, int *len)
{
	char *text = malloc(n + 1);
	sqlite3_session *ses;
	if (!text)
		abort();
	memcpy(text, sql, n);
	text[n] = '\0';
	*cs = NULL;
	*len = 0;
	steps_left = 200;
	sqlite3_set_authorizer(mirror, NULL, NULL);
	sqlite3_exec(mirror, "BEGIN", NULL, NULL, NULL);
	sqlite3_set_authorizer(mirror, deny, NULL);
	if (sqlite3session_create(mirror, "main", &ses) == SQLITE_OK) {
		if (sqlite3session_attach(ses, NULL) == SQLITE_OK) {
			sqlite3_exec(mirror, text, NULL, NULL, NULL);
			if (sqlite3session_changeset(ses, len, cs) != SQLITE_OK) {
				sqlite3_free(*cs);
				*cs = NULL;
			}
		}
		sqlite3session_delete(ses);
	}
	sqlite3_set_authorizer(mirror, NULL, NULL);
	sqlite3_exec(mirror, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_set_authorizer(mirror, deny, NULL);
	free(text);
	return *cs && *len > 0 ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t flags = data[0];
	const uint8_t *body = data + 1;
	size_t n = size - 1;
	int64_t epoch = 1;
	switch ((flags >> 1) & 3) {
	case 1: epoch = 2; break;
	case 2: epoch = 0; break;
	case 3:
		if (!n)
			return 0;
		epoch = body[0];
		body++;
		n--;
		break;
	}
	void *cs = NULL;
	int len = 0;
	if (flags & 1) {
		if (changeset_of(body, n, &cs, &len))
			return 0;
	} else {
		if (n > INT32_MAX)
			return 0;
		cs = sqlite3_malloc64(n ? n : 1);
		if (!cs)
			abort();
		memcpy(cs, body, n);
		len = (int)n;
	}

	sqlite3 *db = store_db(standby);
	int64_t before = number(db, "SELECT count(*) FROM journal");
	jv e, c, ack;
	char why[512];
	forge(cs, (size_t)len, epoch, &e, &c);
	if (ship_begin(standby))
		abort();
	int rc = ship_apply(standby, e, c, &ack, why, sizeof why);
	char *local = rows(db, "SELECT key, value FROM local ORDER BY key");
	char *schema = rows(db, "SELECT type, name, sql FROM sqlite_master");
	if (strcmp(local, local_before) != 0) {
		fprintf(stderr, "an entry changed this site's settings (rc %d)\n", rc);
		abort();
	}
	if (strcmp(schema, schema_before) != 0) {
		fprintf(stderr, "an entry changed the schema (rc %d)\n", rc);
		abort();
	}
	if (rc == 0) {
		char table[128];
		if (changeset_find_table(cs, len, store_is_replicated_table, table, sizeof table) !=
		    0) {
			fprintf(stderr, "an entry that changes '%s' was applied\n", table);
			abort();
		}
		if (number(db, "SELECT count(*) FROM journal") != before + 1) {
			fprintf(stderr, "an entry applied did not add one journal entry\n");
			abort();
		}
		char q[96];
		snprintf(q, sizeof q,
			 "SELECT count(*) FROM epochs WHERE epoch = %lld AND primary_site = 'lyon'",
			 (long long)epoch);
		if (number(db, q) != 1) {
			fprintf(stderr, "an entry not from the primary of its epoch was applied\n");
			abort();
		}
		jv_free(ack);
	}
	free(local);
	free(schema);
	ship_end(standby, 0);
	sqlite3_free(cs);
	return 0;
}
