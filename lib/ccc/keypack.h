/*
 * keypack.h: the person index, packed (store migrations 25 and 26).
 *
 * A name check reads the entries of the query's keys from person_keys, one
 * row of (key, id, sig) each, and a key of common tokens names tens of
 * thousands of persons: stepping SQLite's cursor over them was half of what
 * a check cost at a million persons. derived_key_packs holds the same
 * entries, a key's in rows (chunks) of at most KEYPACK_BYTES bytes, each
 * entry its signature (8 bytes, big-endian; ~0 for an entry without one)
 * then its id and a NUL, in the order of the index. A chunk is read in one
 * step and its entries walked in C.
 *
 * The packs are derived: neither journaled nor shipped, and every site makes
 * its own. derived_key_counts.packed says whether a key's packs are what
 * person_keys holds: 1 they are; 0 they are not (or there are none); 1 + d
 * they were, and the d ids (at most: one may be listed once for two
 * changes) whose entries changed since are listed in derived_key_dirty
 * (migration 26). Each transaction that changes a key's entries adds to d
 * (and lists the ids), or sets 0 when d passes one in 32 of the key's
 * entries (a bulk load: listing them would cost more than it saves), or
 * leaves 0, where it counts them (changeset_count_keys), in the
 * same transaction, so that a reader that finds 1 finds the packs exact.
 * keypack_pending packs the keys of at least KEYPACK_MIN entries that wait
 * (an index of its own lists them; not the year keys, KEYPACK_UNPACKED, which
 * stay at 0), after a load or an import: a key that a
 * batch of a load touches is packed once at the end, not once a batch.
 * Until then it is read from person_keys.
 *
 * A key at 0 is packed from person_keys. A key past 1 is packed from its
 * packs and the ids listed, each read from person_keys as it is now: the
 * chunks are a function of the entries alone, so this makes the chunks
 * packing the index would make, and those before the first change (whose
 * next chunk also starts before it) are neither walked nor written, and
 * those that come out as they were are not written. Packs that do not make
 * the key's count, in order, are packed from the index instead.
 */
#ifndef CCC_KEYPACK_H
#define CCC_KEYPACK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#define KEYPACK_MIN 32 /* a key of fewer entries is read from person_keys */
/* and so is a key of a token and a year of birth ("btr@61", refdb.c
 * name_keys), whatever its entries: one is read only for a name of common
 * tokens, within the check's budget of entries, and packing them cost a
 * fifth of a load's packing (a GLOB pattern of SQLite) */
#define KEYPACK_UNPACKED "*@*"
#define KEYPACK_BYTES                                                                              \
	3800 /* a chunk, at most (one entry longer has one of its own):                            \
		a row of it fits in a 16 KiB page, with no overflow */

/*
 * Pack the keys that wait, in transactions of their own (BEGIN IMMEDIATE on
 * db, outside any transaction) of about a quarter of a million entries each:
 * the write lock is held a tenth of a second at a time. The packs are not
 * the site's state: this writes no journal entry, and a standby packs its
 * own. *nkeys and *nentries (either may be NULL) count what was packed.
 * Returns an SQLite result code.
 */
int keypack_pending(sqlite3 *db, size_t *nkeys, size_t *nentries,
		    void (*progress)(size_t nkeys, size_t nentries, void *ctx), void *ctx);

/*
 * keypack_pending on a store, after a load or an import: a progress line
 * while it lasts when stderr is a terminal (not with -q), how many keys were
 * packed with -v. A failure is said (warnx) and returned as an exit code
 * (73, or 75 when the store stayed locked), but it is not the caller's to
 * fail on: the keys stay unpacked, read from the index, until the next.
 */
struct store;
int keypack_store(struct store *s);

/*
 * The first key marked packed whose packs are not what person_keys holds,
 * copied to bad (n bytes): 1; 0 when every packed key is exact; or an
 * SQLite error code, negated. For verify.
 */
int keypack_check(sqlite3 *db, char *bad, size_t n);

/* The signature of an index entry, column col of its row in st: an entry
 * indexed before signatures (NULL) shares every key, so it is ~0, packed
 * or read from person_keys alike. */
static inline uint64_t keypack_sig(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL
		   ? ~(uint64_t)0
		   : (uint64_t)sqlite3_column_int64(st, col);
}

/* The entries of one chunk, walked. */
struct keypack_cursor {
	const uint8_t *p, *end;
};

/* The next entry of the chunk: 1 with its id (NUL-terminated, in the chunk)
 * and signature, 0 at its end (or at a chunk cut short: an entry whose id
 * has no NUL). */
static inline int keypack_next(struct keypack_cursor *c, const char **id, uint64_t *sig)
{
	const uint8_t *p = c->p;
	if (c->end - p < 9)
		return 0;
	const uint8_t *nul = memchr(p + 8, '\0', (size_t)(c->end - p - 8));
	if (!nul)
		return 0;
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	*sig = v;
	*id = (const char *)p + 8;
	c->p = nul + 1;
	return 1;
}

#endif
