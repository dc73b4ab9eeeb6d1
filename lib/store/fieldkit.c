/*
 * fieldkit.c: a field kit's tables, its signed batches and their check and
 * replay (issue 20, field kits).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/changeset.h"
#include "ccc/exit.h"
#include "ccc/fieldkit.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/xmalloc.h"

/*
 * What a field kit holds (ccc-failover(1), "What a field kit holds"): what
 * ccc-check answers from (documents, persons and their index person_keys,
 * items: vehicles, works of art, firearms), the notices ccc-notice list and
 * show print with their recipients and history, and what the kit needs to
 * believe a batch and to know its primary (sites, epochs, heartbeats).
 * derived_key_counts is counted at the kit from each batch it applies, as
 * everywhere (changeset_apply_counted). Never
 * the room's messages, attachments, queue, cases, replies, staff, duty,
 * deployments, training, consultations or rejects: a lost laptop loses
 * only what the team checks against.
 */
const char *const fieldkit_tables[] = {
    "documents",  "persons", "person_keys", "items",      "notices", "notice_recipients",
    "notice_log", "sites",   "epochs",      "heartbeats", NULL,
};

int fieldkit_table(const char *table)
{
	for (int i = 0; fieldkit_tables[i]; i++)
		if (!strcmp(fieldkit_tables[i], table))
			return 1;
	return 0;
}

static uint8_t *put_u64(uint8_t *q, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
		*q++ = (uint8_t)(v >> (8 * i));
	return q;
}

size_t fieldkit_batch_message(const char *kit, int64_t from_seq, int64_t to_seq,
			      const uint8_t to_hash[SHA256_LEN], const uint8_t cs_hash[SHA256_LEN],
			      uint8_t **out)
{
	static const char magic[] = "ccc-field-batch-1";
	size_t nk = strlen(kit), n = sizeof magic + 4 + nk + 8 + 8 + 2 * SHA256_LEN;
	uint8_t *p = xmalloc(n), *q = p;
	memcpy(q, magic, sizeof magic);
	q += sizeof magic;
	*q++ = (uint8_t)(nk >> 24);
	*q++ = (uint8_t)(nk >> 16);
	*q++ = (uint8_t)(nk >> 8);
	*q++ = (uint8_t)nk;
	memcpy(q, kit, nk);
	q += nk;
	q = put_u64(q, (uint64_t)from_seq);
	q = put_u64(q, (uint64_t)to_seq);
	memcpy(q, to_hash, SHA256_LEN);
	memcpy(q + SHA256_LEN, cs_hash, SHA256_LEN);
	*out = p;
	return n;
}

int fieldkit_is_kit(struct store *s)
{
	char *kind = sitelocal_get(store_local(s), "kind");
	int kit = kind && !strcmp(kind, "field");
	free(kind);
	return kit;
}

int fieldkit_mark(struct store *s)
{
	return sitelocal_put(store_local(s), "kind", "field");
}

int64_t fieldkit_position(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(to_seq), 0) FROM field_journal");
	int rc = sqlite3_step(st);
	int64_t p = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (p < 0)
		store_error(s, rc, "reading the field batches");
	return p;
}

int fieldkit_check_signature(struct store *s, const struct fieldkit_batch *b, char *why, size_t n)
{
	uint8_t pub[SIGN_PUBLEN], cs_hash[SHA256_LEN], *msg;
	if (store_site_key(s, b->signer, pub) < 0) {
		snprintf(why, n, "no trusted key for site '%s'", b->signer);
		return 1;
	}
	digest_sha256(b->changeset, b->changeset_len, cs_hash);
	size_t mlen =
	    fieldkit_batch_message(b->kit, b->from_seq, b->to_seq, b->to_hash, cs_hash, &msg);
	int ok = sign_verify(pub, msg, mlen, b->signature);
	free(msg);
	if (!ok) {
		snprintf(why, n, "the signature by '%s' does not verify (for kit '%s')", b->signer,
			 b->kit);
		return 1;
	}
	return 0;
}

int fieldkit_check_signer(sqlite3 *db, const struct fieldkit_batch *b, char *why, size_t n)
{
	sqlite3_stmt *st;
	int bad = 1;
	if (sqlite3_prepare_v2(db,
			       "SELECT e.epoch, e.primary_site, s.revoked_at FROM epochs e"
			       " LEFT JOIN sites s ON s.name = ?1 ORDER BY e.epoch DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(why, n, "cannot read the epochs: %s", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_bind_text(st, 1, b->signer, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		snprintf(why, n, "signed by '%s', but no epoch is known with it applied",
			 b->signer);
	} else if (strcmp((const char *)sqlite3_column_text(st, 1), b->signer) != 0) {
		snprintf(why, n, "signed by '%s', but the primary of epoch %lld is '%s'", b->signer,
			 (long long)sqlite3_column_int64(st, 0), sqlite3_column_text(st, 1));
	} else if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
		snprintf(why, n, "signed by '%s', whose key was revoked at %s", b->signer,
			 sqlite3_column_text(st, 2));
	} else {
		bad = 0;
	}
	sqlite3_finalize(st);
	return bad;
}

struct replay_walk {
	void (*problem)(void *, const char *);
	void *ctx;
	int bad;
};

static void say(struct replay_walk *w, long long seq, const char *what)
{
	char text[600];
	snprintf(text, sizeof text, "field batch: first bad seq %lld: %s", seq, what);
	w->problem(w->ctx, text);
	w->bad = 1;
}

static int abort_on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	return SQLITE_CHANGESET_ABORT;
}

/* One row of field_journal, checked and applied to replay. */
static void replay_batch(struct store *s, sqlite3_stmt *st, sqlite3 *replay, int64_t *expect,
			 struct replay_walk *w)
{
	struct fieldkit_batch b = {.kit = store_site(s)};
	long long seq = sqlite3_column_int64(st, 0);
	char why[400], table[128];
	b.from_seq = sqlite3_column_int64(st, 1);
	b.to_seq = sqlite3_column_int64(st, 2);
	b.signer = (const char *)sqlite3_column_text(st, 4);
	b.changeset = sqlite3_column_blob(st, 5);
	b.changeset_len = (size_t)sqlite3_column_bytes(st, 5);
	if (sqlite3_column_bytes(st, 3) != SHA256_LEN || sqlite3_column_bytes(st, 6) != 64 ||
	    !b.signer) {
		say(w, seq, "a hash, signature or signer is missing or malformed");
		return;
	}
	memcpy(b.to_hash, sqlite3_column_blob(st, 3), SHA256_LEN);
	memcpy(b.signature, sqlite3_column_blob(st, 6), 64);
	if (b.from_seq != *expect || b.to_seq <= b.from_seq) {
		snprintf(why, sizeof why,
			 "it covers entries %lld to %lld, but the batch before ended at %lld (a "
			 "gap)",
			 (long long)b.from_seq + 1, (long long)b.to_seq, (long long)*expect);
		say(w, seq, why);
		return;
	}
	*expect = b.to_seq;
	if (fieldkit_check_signature(s, &b, why, sizeof why)) {
		say(w, seq, why);
		return;
	}
	int found = changeset_find_table(b.changeset, (int)b.changeset_len, fieldkit_table, table,
					 sizeof table);
	if (found) {
		snprintf(why, sizeof why,
			 found > 0 ? "it changes table '%s', which a field kit does not hold"
				   : "its changeset is malformed%s",
			 found > 0 ? table : "");
		say(w, seq, why);
		return;
	}
	if (changeset_apply_counted(replay, (int)b.changeset_len, (void *)b.changeset, NULL,
				    abort_on_conflict, NULL) != SQLITE_OK) {
		say(w, seq, "its changes do not apply");
		return;
	}
	if (fieldkit_check_signer(replay, &b, why, sizeof why))
		say(w, seq, why);
}

int fieldkit_replay(struct store *s, sqlite3 *live, sqlite3 *replay,
		    void (*problem)(void *ctx, const char *text), void *ctx, long long *batches)
{
	sqlite3_stmt *st;
	struct replay_walk w = {problem, ctx, 0};
	int64_t expect = 0;
	int rc;
	*batches = 0;
	if (sqlite3_prepare_v2(live,
			       "SELECT seq, from_seq, to_seq, to_hash, signer, changeset, signature"
			       " FROM field_journal ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK) {
		warnx("verify: cannot read the field batches of store '%s': %s", store_path(s),
		      sqlite3_errmsg(live));
		return CCC_EX_IOERR;
	}
	sqlite3_exec(replay, "BEGIN", NULL, NULL, NULL);
	int kit = fieldkit_is_kit(s);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !w.bad) {
		++*batches;
		if (!kit) /* only a kit applies batches: rows here were put behind ccc's back */
			say(&w, sqlite3_column_int64(st, 0),
			    "this store is not a field kit's, yet it holds field batches");
		else
			replay_batch(s, st, replay, &expect, &w);
	}
	sqlite3_finalize(st);
	sqlite3_exec(replay, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		warnx("verify: cannot read the field batches of store '%s': %s", store_path(s),
		      sqlite3_errmsg(live));
		return CCC_EX_IOERR;
	}
	return w.bad ? CCC_EX_DATAERR : 0;
}
