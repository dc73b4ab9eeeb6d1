/*
 * keypack.c: the person index, packed (keypack.h).
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/keypack.h"
#include "ccc/store.h"

#define SQL_NUMBER(n)    #n
#define SQL_NUMBER_OF(n) SQL_NUMBER(n)
/* the terms of the index derived_key_unpacked (migration 25), which it reads */
static const char *const SQL_WAITING =
    "SELECT key FROM derived_key_counts WHERE packed = 0 AND n >= " SQL_NUMBER_OF(
	KEYPACK_MIN) " LIMIT 1024";
static const char *const SQL_ENTRIES = "SELECT id, sig FROM person_keys WHERE key = ?1";
static const char *const SQL_UNPACK = "DELETE FROM derived_key_packs WHERE key = ?1";
static const char *const SQL_PACK =
    "INSERT INTO derived_key_packs(key, chunk, entries) VALUES (?1, ?2, ?3)";
static const char *const SQL_PACKED = "UPDATE derived_key_counts SET packed = 1 WHERE key = ?1";
static const char *const SQL_PACKED_KEYS = "SELECT key FROM derived_key_counts WHERE packed = 1";
static const char *const SQL_CHUNKS =
    "SELECT chunk, entries FROM derived_key_packs WHERE key = ?1 ORDER BY chunk";

/* Transactions of about this many entries (keypack_pending). */
#define TX_ENTRIES 262144

/* The chunks of a key, one after another, each handed to emit. */
struct packer {
	struct buf chunk;
	int64_t n; /* chunks emitted */
	int (*emit)(struct packer *, void *);
	void *ctx;
};

static int flush(struct packer *k)
{
	if (!k->chunk.len)
		return SQLITE_OK;
	int rc = k->emit(k, k->ctx);
	k->n++;
	k->chunk.len = 0;
	return rc;
}

/* Entry (id, sig) of the key being packed: a chunk that would grow past
 * KEYPACK_BYTES with it is emitted first. */
static int pack_entry(struct packer *k, const char *id, uint64_t sig)
{
	size_t len = strlen(id) + 1;
	int rc = SQLITE_OK;
	if (k->chunk.len && k->chunk.len + 8 + len > KEYPACK_BYTES)
		rc = flush(k);
	uint8_t be[8];
	for (int i = 0; i < 8; i++)
		be[i] = (uint8_t)(sig >> (56 - 8 * i));
	buf_add(&k->chunk, be, 8);
	buf_add(&k->chunk, id, len);
	return rc;
}

/* Walk the entries of key in person_keys, in the index's order, into k's
 * chunks; *n counts them. */
static int pack_key(sqlite3 *db, sqlite3_stmt *st, const char *key, struct packer *k, size_t *n)
{
	int rc = SQLITE_OK, step = SQLITE_DONE;
	k->n = 0;
	k->chunk.len = 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	while (rc == SQLITE_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		if (!id)
			continue;
		rc = pack_entry(k, id, keypack_sig(st, 1));
		(*n)++;
	}
	if (rc == SQLITE_OK && step != SQLITE_DONE)
		rc = sqlite3_errcode(db);
	sqlite3_reset(st);
	return rc == SQLITE_OK ? flush(k) : rc;
}

struct writer {
	sqlite3_stmt *ins;
	const char *key;
};

static int write_chunk(struct packer *k, void *ctx)
{
	struct writer *w = ctx;
	sqlite3_bind_text(w->ins, 1, w->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->ins, 2, k->n);
	sqlite3_bind_blob(w->ins, 3, k->chunk.p, (int)k->chunk.len, SQLITE_STATIC);
	int rc = sqlite3_step(w->ins) == SQLITE_DONE ? SQLITE_OK
						     : sqlite3_errcode(sqlite3_db_handle(w->ins));
	sqlite3_reset(w->ins);
	return rc;
}

static int step_key(sqlite3_stmt *st, const char *key)
{
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc =
	    sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(sqlite3_db_handle(st));
	sqlite3_reset(st);
	return rc;
}

/* Up to 1024 keys that wait, copied into keys (NUL-separated): how many, or -1. */
static int waiting(sqlite3_stmt *st, struct buf *keys)
{
	int n = 0, step;
	keys->len = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		if (key) {
			buf_add(keys, key, strlen(key) + 1);
			n++;
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? n : -1;
}

int keypack_pending(sqlite3 *db, size_t *nkeys, size_t *nentries,
		    void (*progress)(size_t nkeys, size_t nentries, void *ctx), void *ctx)
{
	sqlite3_stmt *wait = NULL, *get = NULL, *del = NULL, *ins = NULL, *mark = NULL;
	struct buf keys = {0};
	struct writer w = {0};
	struct packer k = {.emit = write_chunk, .ctx = &w};
	size_t tk = 0, te = 0;
	int rc;
	if ((rc = sqlite3_prepare_v2(db, SQL_WAITING, -1, &wait, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_ENTRIES, -1, &get, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_UNPACK, -1, &del, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_PACK, -1, &ins, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_PACKED, -1, &mark, NULL)) != SQLITE_OK)
		goto out;
	w.ins = ins;
	for (int more = 1; more && rc == SQLITE_OK;) {
		if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
			break;
		size_t entries = 0;
		more = 0;
		while (rc == SQLITE_OK && entries < TX_ENTRIES) {
			int n = waiting(wait, &keys);
			if (n < 0) {
				rc = sqlite3_errcode(db);
				break;
			}
			more = n > 0;
			const char *key = keys.p;
			for (int i = 0; i < n && rc == SQLITE_OK; i++, key += strlen(key) + 1) {
				w.key = key;
				if ((rc = step_key(del, key)) == SQLITE_OK &&
				    (rc = pack_key(db, get, key, &k, &entries)) == SQLITE_OK)
					rc = step_key(mark, key);
				tk++;
			}
			if (!n)
				break;
		}
		te += entries;
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		else if (progress && more)
			progress(tk, te, ctx);
	}
out:
	sqlite3_finalize(wait);
	sqlite3_finalize(get);
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	sqlite3_finalize(mark);
	buf_free(&keys);
	buf_free(&k.chunk);
	if (nkeys)
		*nkeys = tk;
	if (nentries)
		*nentries = te;
	return rc;
}

/* Comparing: each chunk made from person_keys against the next stored one. */
struct comparer {
	sqlite3_stmt *chunks;
	int differ;
};

static int compare_chunk(struct packer *k, void *ctx)
{
	struct comparer *c = ctx;
	if (c->differ)
		return SQLITE_OK;
	int step = sqlite3_step(c->chunks);
	if (step != SQLITE_ROW)
		c->differ = 1;
	else if (sqlite3_column_int64(c->chunks, 0) != k->n ||
		 (size_t)sqlite3_column_bytes(c->chunks, 1) != k->chunk.len ||
		 memcmp(sqlite3_column_blob(c->chunks, 1), k->chunk.p, k->chunk.len))
		c->differ = 1;
	return step == SQLITE_ROW || step == SQLITE_DONE
		   ? SQLITE_OK
		   : sqlite3_errcode(sqlite3_db_handle(c->chunks));
}

int keypack_check(sqlite3 *db, char *bad, size_t n)
{
	sqlite3_stmt *keys = NULL, *get = NULL, *chunks = NULL;
	struct comparer c = {0};
	struct packer k = {.emit = compare_chunk, .ctx = &c};
	int rc, found = 0;
	if ((rc = sqlite3_prepare_v2(db, SQL_PACKED_KEYS, -1, &keys, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_ENTRIES, -1, &get, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_CHUNKS, -1, &chunks, NULL)) != SQLITE_OK)
		goto out;
	c.chunks = chunks;
	int step = SQLITE_DONE;
	while (!found && rc == SQLITE_OK && (step = sqlite3_step(keys)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(keys, 0);
		size_t entries = 0;
		c.differ = 0;
		sqlite3_bind_text(chunks, 1, key, -1, SQLITE_STATIC);
		rc = pack_key(db, get, key, &k, &entries);
		/* a chunk more than person_keys makes, or none at all */
		if (rc == SQLITE_OK && !c.differ)
			c.differ = sqlite3_step(chunks) != SQLITE_DONE || !entries;
		sqlite3_reset(chunks);
		if (rc == SQLITE_OK && c.differ) {
			snprintf(bad, n, "%s", key ? key : "");
			found = 1;
		}
	}
	if (rc == SQLITE_OK && !found && step != SQLITE_DONE)
		rc = sqlite3_errcode(db);
out:
	sqlite3_finalize(keys);
	sqlite3_finalize(get);
	sqlite3_finalize(chunks);
	buf_free(&k.chunk);
	return rc != SQLITE_OK ? -rc : found;
}

struct shown {
	long long at; /* when the progress line was last written (0: never) */
};

static void show(size_t nkeys, size_t nentries, void *ctx)
{
	struct shown *sh = ctx;
	long long now = clock_mono_ms();
	if (sh->at && now - sh->at < 1000)
		return;
	sh->at = now;
	fprintf(stderr, "\r\033[Kpacking the person index: %zu keys, %zu entries", nkeys, nentries);
}

int keypack_store(struct store *s)
{
	struct shown sh = {0};
	size_t nkeys = 0, nentries = 0;
	int tty = isatty(STDERR_FILENO) && !store_quiet(s);
	int rc = keypack_pending(store_db(s), &nkeys, &nentries, tty ? show : NULL, &sh);
	if (sh.at)
		(void)!write(STDERR_FILENO, "\r\033[K", 4);
	if (rc != SQLITE_OK) {
		warnx("cannot pack the person index of store '%s': %s (checks read it unpacked "
		      "until the next load)",
		      store_path(s), sqlite3_errstr(rc));
		return rc == SQLITE_BUSY ? CCC_EX_TEMPFAIL : CCC_EX_CANTCREAT;
	}
	if (nkeys && store_verbose(s))
		warnx("person index: %zu keys packed, %zu entries", nkeys, nentries);
	return 0;
}
