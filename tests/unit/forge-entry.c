/*
 * forge-entry: for the attack tests (tests/82-attacks-replication.bats), a
 * journal entry with a valid hash and a valid signature by a key the
 * attacker holds, whose changeset is whatever SQL makes it.
 *
 *   forge-entry [-a] [-e EPOCH] DB KEYFILE ORIGIN SQL
 *
 * DB is a copy of the store the entry is for: the entry follows its last
 * one (seq, prev_hash) and is of its newest epoch unless -e says otherwise.
 * SQL runs there with a session on every table, the local table included
 * (no filter: that is the attack), and is rolled back; the entry and its
 * checkpoint, signed with KEYFILE as ORIGIN, are written to stdout as
 * `ccc-failover export` writes them. With -a the changes, the entry and the
 * checkpoint are committed into DB instead ("inserted directly").
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/digest.h"
#include "ccc/journal.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/sign.h"

static jv hex_jv(const void *p, size_t n)
{
	char *h = malloc(2 * n + 1);
	if (!h)
		abort();
	hex_encode(p, n, h);
	jv r = jv_string(h);
	free(h);
	return r;
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

static void print(jv v)
{
	struct buf b = {0};
	json_write(&b, v);
	jv_free(v);
	buf_addc(&b, '\n');
	fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
}

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		errx(1, "%s: %s", sql, msg);
}

int main(int argc, char **argv)
{
	int apply = 0, c;
	long long epoch = 0;
	while ((c = getopt(argc, argv, "ae:")) != -1) {
		if (c == 'a')
			apply = 1;
		else if (c == 'e')
			epoch = atoll(optarg);
		else
			return 64;
	}
	if (argc - optind != 4)
		errx(64, "usage: forge-entry [-a] [-e EPOCH] DB KEYFILE ORIGIN SQL");
	const char *path = argv[optind], *keyfile = argv[optind + 1];
	const char *origin = argv[optind + 2], *sql = argv[optind + 3];
	sqlite3 *db;
	sqlite3_stmt *st;
	struct sign_key *key;
	struct journal_entry e = {0};
	uint8_t hash[SHA256_LEN], sig[SIGN_SIGLEN], *msg;
	sqlite3_session *ses;
	void *cs;
	int n;

	if (sign_load(keyfile, &key))
		return 1;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		errx(1, "%s: %s", path, sqlite3_errmsg(db));
	exec(db, "BEGIN IMMEDIATE");
	sqlite3_prepare_v2(db, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", -1, &st,
			   NULL);
	if (sqlite3_step(st) == SQLITE_ROW) {
		e.seq = sqlite3_column_int64(st, 0);
		memcpy(e.prev_hash, sqlite3_column_blob(st, 1), SHA256_LEN);
	}
	e.seq++;
	sqlite3_finalize(st);
	if (!epoch) {
		sqlite3_prepare_v2(db, "SELECT coalesce(max(epoch), 1) FROM epochs", -1, &st, NULL);
		sqlite3_step(st);
		epoch = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (sqlite3session_create(db, "main", &ses) != SQLITE_OK ||
	    sqlite3session_attach(ses, NULL) != SQLITE_OK)
		errx(1, "cannot start a session");
	exec(db, sql);
	if (sqlite3session_changeset(ses, &n, &cs) != SQLITE_OK || n == 0)
		errx(1, "'%s' changed nothing", sql);
	sqlite3session_delete(ses);

	e.epoch = epoch;
	e.origin = origin;
	e.actor = "mallory";
	e.command = "forged";
	e.ts = "2026-11-28T10:00:00.000Z";
	e.changeset = cs;
	e.changeset_len = (size_t)n;
	journal_hash(&e, hash);
	size_t mlen = checkpoint_message(origin, e.seq, hash, &msg);
	sign_message(key, msg, mlen, sig);

	if (apply) {
		sqlite3_prepare_v2(
		    db,
		    "INSERT INTO journal(seq, epoch, origin, actor, command, ts,"
		    " changeset, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		    " ?8, ?9)",
		    -1, &st, NULL);
		sqlite3_bind_int64(st, 1, e.seq);
		sqlite3_bind_int64(st, 2, e.epoch);
		sqlite3_bind_text(st, 3, e.origin, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, e.actor, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, e.command, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, e.ts, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 7, cs, n, SQLITE_STATIC);
		sqlite3_bind_blob(st, 8, e.prev_hash, SHA256_LEN, SQLITE_STATIC);
		sqlite3_bind_blob(st, 9, hash, SHA256_LEN, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			errx(1, "journal: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		sqlite3_prepare_v2(db,
				   "INSERT INTO checkpoints(seq, origin, head_hash, signature)"
				   " VALUES (?1, ?2, ?3, ?4)",
				   -1, &st, NULL);
		sqlite3_bind_int64(st, 1, e.seq);
		sqlite3_bind_text(st, 2, origin, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, hash, SHA256_LEN, SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, sig, SIGN_SIGLEN, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			errx(1, "checkpoints: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		exec(db, "COMMIT");
	} else {
		char id[160];
		exec(db, "ROLLBACK");
		snprintf(id, sizeof id, "%s:%lld", origin, (long long)e.seq);
		jv en = jv_object();
		en = jv_object_set(en, jv_string("type"), jv_string("entry"));
		en = jv_object_set(en, jv_string("v"), jv_number(RECORD_VERSION));
		en = jv_object_set(en, jv_string("id"), jv_string(id));
		en = jv_object_set(en, jv_string("seq"), jv_number((double)e.seq));
		en = jv_object_set(en, jv_string("epoch"), jv_number((double)e.epoch));
		en = jv_object_set(en, jv_string("origin"), jv_string(origin));
		en = jv_object_set(en, jv_string("actor"), jv_string(e.actor));
		en = jv_object_set(en, jv_string("command"), jv_string(e.command));
		en = jv_object_set(en, jv_string("ts"), jv_string(e.ts));
		en = jv_object_set(en, jv_string("changeset"), b64_jv(cs, (size_t)n));
		en = jv_object_set(en, jv_string("prev_hash"), hex_jv(e.prev_hash, SHA256_LEN));
		en = jv_object_set(en, jv_string("hash"), hex_jv(hash, SHA256_LEN));
		print(en);
		jv cp = jv_object();
		cp = jv_object_set(cp, jv_string("type"), jv_string("checkpoint"));
		cp = jv_object_set(cp, jv_string("v"), jv_number(RECORD_VERSION));
		cp = jv_object_set(cp, jv_string("id"), jv_string(id));
		cp = jv_object_set(cp, jv_string("seq"), jv_number((double)e.seq));
		cp = jv_object_set(cp, jv_string("origin"), jv_string(origin));
		cp = jv_object_set(cp, jv_string("head_hash"), hex_jv(hash, SHA256_LEN));
		cp = jv_object_set(cp, jv_string("signature"), b64_jv(sig, SIGN_SIGLEN));
		print(cp);
	}
	sqlite3_free(cs);
	free(msg);
	sign_free(key);
	sqlite3_close(db);
	return fflush(stdout) ? 1 : 0;
}
