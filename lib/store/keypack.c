/*
 * keypack.c: the person index, packed (keypack.h).
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/keypack.h"
#include "ccc/store.h"
#include "ccc/xmalloc.h"

#define SQL_NUMBER(n)    #n
#define SQL_NUMBER_OF(n) SQL_NUMBER(n)
#define WAITERS          1024 /* keys read at a time */
/* the terms of the index derived_key_unpacked (migration 26), which it
 * reads, less the year keys (KEYPACK_UNPACKED) */
static const char *const SQL_WAITING =
    "SELECT key, packed, n FROM derived_key_counts WHERE packed <> 1 AND n >= " SQL_NUMBER_OF(
	KEYPACK_MIN) " AND key NOT GLOB '" KEYPACK_UNPACKED "' LIMIT " SQL_NUMBER_OF(WAITERS);
static const char *const SQL_ENTRIES = "SELECT id, sig FROM person_keys WHERE key = ?1";
static const char *const SQL_UNPACK = "DELETE FROM derived_key_packs WHERE key = ?1";
static const char *const SQL_PACK =
    "INSERT INTO derived_key_packs(key, chunk, entries) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (key, chunk) DO UPDATE SET entries = excluded.entries";
static const char *const SQL_UNPACK_FROM =
    "DELETE FROM derived_key_packs WHERE key = ?1 AND chunk >= ?2";
static const char *const SQL_PACKED = "UPDATE derived_key_counts SET packed = 1 WHERE key = ?1";
static const char *const SQL_PACKED_KEYS = "SELECT key FROM derived_key_counts WHERE packed = 1";
static const char *const SQL_CHUNKS =
    "SELECT chunk, entries FROM derived_key_packs WHERE key = ?1 ORDER BY chunk";
/* the ids of a key that changed since it was packed, each with what the
 * index holds of it now: its signature, or nothing (it went) */
static const char *const SQL_CHANGED =
    "SELECT d.id, k.sig, k.id IS NOT NULL FROM derived_key_dirty AS d"
    " LEFT JOIN person_keys AS k ON k.key = d.key AND k.id = d.id"
    " WHERE d.key = ?1 ORDER BY d.id";
static const char *const SQL_CLEAN = "DELETE FROM derived_key_dirty WHERE key = ?1";

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

/* The chunks of a key that it had (when it is packed again from them):
 * where each is in a buffer of them all, and its length. */
struct span {
	size_t at, len;
};

struct writer {
	sqlite3_stmt *ins;
	const char *key;
	const char *old; /* the key's chunks as they were, or NULL */
	const struct span *span;
	size_t nspan;
};

/* Write chunk k->n of the key, unless it holds what it held: a load that
 * adds persons at the end of a key's order (ids that grow) writes its last
 * chunk again, not every one. */
static int write_chunk(struct packer *k, void *ctx)
{
	struct writer *w = ctx;
	if (w->old && (size_t)k->n < w->nspan && w->span[k->n].len == k->chunk.len &&
	    !memcmp(w->old + w->span[k->n].at, k->chunk.p, k->chunk.len))
		return SQLITE_OK;
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

/* A key that waits: where its name is in the list, how to pack it, its count. */
struct waiter {
	size_t key;
	int packed;
	int64_t n;
};

/* Up to WAITERS keys that wait, their names copied into keys (each with its
 * NUL), into w: how many, or -1. */
static int waiting(sqlite3_stmt *st, struct buf *keys, struct waiter *w)
{
	int n = 0, step;
	keys->len = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		if (key) {
			w[n] = (struct waiter){keys->len, sqlite3_column_int(st, 1),
					       sqlite3_column_int64(st, 2)};
			buf_add(keys, key, strlen(key) + 1);
			n++;
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? n : -1;
}

/* The statements of keypack_pending, and its buffers. */
struct pending {
	sqlite3_stmt *wait, *get, *del, *del_from, *ins, *mark, *chunks, *changed, *clean;
	struct buf keys, old;
	struct span *span; /* the chunks in old */
	size_t nspan, capspan;
	struct writer w;
	struct packer k;
};

/* The id of the first entry of old chunk i. */
static const char *first_id(const struct pending *p, size_t i)
{
	return p->span[i].len > 8 ? p->old.p + p->span[i].at + 8 : "";
}

/*
 * Pack a key whose packs are kept (packed 2 or more) again from them: its old
 * chunks walked in order with the ids that changed since, each as the index
 * holds it now, into chunks written where they differ from the old ones.
 * Packing is a function of the entries, so a chunk before the first change
 * whose next chunk also starts before it is the same chunk: such chunks are
 * counted, not walked against the changes, nor written. 1 when the entries
 * make the n the key counts, in order; 0 when they do not (packs that are
 * not what packing makes: the caller packs the key from the index); or an
 * SQLite error code, negated.
 */
static int merge_key(struct pending *p, const char *key, int64_t n, size_t *count)
{
	int step, rc = SQLITE_OK;
	p->old.len = 0;
	p->nspan = 0;
	sqlite3_bind_text(p->chunks, 1, key, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(p->chunks)) == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(p->chunks, 1);
		if (sqlite3_column_int64(p->chunks, 0) != (int64_t)p->nspan)
			break; /* not the chunks packing makes */
		if (p->nspan == p->capspan) {
			p->capspan = p->capspan ? 2 * p->capspan : 64;
			p->span = xrealloc(p->span, p->capspan * sizeof *p->span);
		}
		p->span[p->nspan++] = (struct span){p->old.len, len};
		buf_add(&p->old, sqlite3_column_blob(p->chunks, 1), len);
	}
	sqlite3_reset(p->chunks);
	if (step == SQLITE_ROW)
		return 0;
	if (step != SQLITE_DONE)
		return -sqlite3_errcode(sqlite3_db_handle(p->chunks));
	sqlite3_bind_text(p->changed, 1, key, -1, SQLITE_STATIC);
	step = sqlite3_step(p->changed);
	const char *first =
	    step == SQLITE_ROW ? (const char *)sqlite3_column_text(p->changed, 0) : NULL;
	/* the chunks that stay as they are: counted, not packed */
	size_t skip = 0;
	int64_t out = 0;
	const char *id = NULL, *prev = NULL;
	uint64_t sig = 0;
	while (first && skip + 1 < p->nspan && strcmp(first_id(p, skip + 1), first) < 0) {
		struct keypack_cursor c = {(const uint8_t *)p->old.p + p->span[skip].at,
					   (const uint8_t *)p->old.p + p->span[skip].at +
					       p->span[skip].len};
		while (keypack_next(&c, &id, &sig))
			out++;
		skip++;
	}
	p->w.old = p->old.p;
	p->w.span = p->span;
	p->w.nspan = p->nspan;
	p->k.n = (int64_t)skip;
	p->k.chunk.len = 0;
	const uint8_t *oend = (const uint8_t *)p->old.p + p->old.len;
	struct keypack_cursor c = {
	    skip < p->nspan ? (const uint8_t *)p->old.p + p->span[skip].at : oend, oend};
	const char *oid = NULL;
	uint64_t osig = 0;
	int have = keypack_next(&c, &oid, &osig), ordered = 1;
	while (rc == SQLITE_OK && ordered && (have || step == SQLITE_ROW)) {
		const char *cid =
		    step == SQLITE_ROW ? (const char *)sqlite3_column_text(p->changed, 0) : NULL;
		if (step == SQLITE_ROW && !cid) {
			step = sqlite3_step(p->changed);
			continue;
		}
		int cmp = !have ? 1 : !cid ? -1 : strcmp(oid, cid);
		id = NULL;
		if (cmp < 0) { /* an entry that did not change */
			id = oid;
			sig = osig;
		} else if (sqlite3_column_int(p->changed, 2)) { /* one that did, if it is there */
			id = cid;
			sig = keypack_sig(p->changed, 1);
		}
		if (id) {
			ordered = !prev || strcmp(prev, id) < 0;
			rc = pack_entry(&p->k, id, sig);
			prev = p->k.chunk.p + p->k.chunk.len - strlen(id) - 1;
			out++;
		}
		if (cmp <= 0)
			have = keypack_next(&c, &oid, &osig);
		if (cmp >= 0)
			step = sqlite3_step(p->changed);
	}
	sqlite3_reset(p->changed);
	if (rc == SQLITE_OK && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = sqlite3_errcode(sqlite3_db_handle(p->changed));
	if (rc == SQLITE_OK)
		rc = flush(&p->k);
	p->w.old = NULL;
	if (rc != SQLITE_OK)
		return -rc;
	*count += (size_t)out;
	return ordered && out == n && c.p == c.end;
}

/* Pack key again: from its packs and the ids that changed when it has them
 * (packed 2 or more), else (or when they do not make the key) from the index. */
static int pack_again(sqlite3 *db, struct pending *p, const struct waiter *w, const char *key,
		      size_t *entries)
{
	int rc = SQLITE_OK, merged = 0;
	p->w.key = key;
	if (w->packed > 1 && (merged = merge_key(p, key, w->n, entries)) < 0)
		return -merged;
	if (merged) { /* what is past the new end goes */
		sqlite3_bind_text(p->del_from, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(p->del_from, 2, p->k.n);
		rc = sqlite3_step(p->del_from) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(p->del_from);
	} else if ((rc = step_key(p->del, key)) == SQLITE_OK) {
		rc = pack_key(db, p->get, key, &p->k, entries);
	}
	if (rc == SQLITE_OK)
		rc = step_key(p->clean, key);
	return rc == SQLITE_OK ? step_key(p->mark, key) : rc;
}

int keypack_pending(sqlite3 *db, size_t *nkeys, size_t *nentries,
		    void (*progress)(size_t nkeys, size_t nentries, void *ctx), void *ctx)
{
	struct pending p = {.k = {.emit = write_chunk}};
	struct waiter *w = xcalloc(WAITERS, sizeof *w);
	size_t tk = 0, te = 0;
	int rc;
	p.k.ctx = &p.w;
	if ((rc = sqlite3_prepare_v2(db, SQL_WAITING, -1, &p.wait, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_ENTRIES, -1, &p.get, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_UNPACK, -1, &p.del, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_UNPACK_FROM, -1, &p.del_from, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_PACK, -1, &p.ins, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_PACKED, -1, &p.mark, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_CHUNKS, -1, &p.chunks, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_CHANGED, -1, &p.changed, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, SQL_CLEAN, -1, &p.clean, NULL)) != SQLITE_OK)
		goto out;
	p.w.ins = p.ins;
	for (int more = 1; more && rc == SQLITE_OK;) {
		if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
			break;
		size_t entries = 0;
		more = 0;
		while (rc == SQLITE_OK && entries < TX_ENTRIES) {
			int n = waiting(p.wait, &p.keys, w);
			if (n < 0) {
				rc = sqlite3_errcode(db);
				break;
			}
			more = n > 0;
			for (int i = 0; i < n && rc == SQLITE_OK; i++, tk++)
				rc = pack_again(db, &p, &w[i], p.keys.p + w[i].key, &entries);
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
	sqlite3_finalize(p.wait);
	sqlite3_finalize(p.get);
	sqlite3_finalize(p.del);
	sqlite3_finalize(p.del_from);
	sqlite3_finalize(p.ins);
	sqlite3_finalize(p.mark);
	sqlite3_finalize(p.chunks);
	sqlite3_finalize(p.changed);
	sqlite3_finalize(p.clean);
	buf_free(&p.keys);
	buf_free(&p.old);
	buf_free(&p.k.chunk);
	free(p.span);
	free(w);
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
