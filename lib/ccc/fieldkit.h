/*
 * fieldkit.h: a field kit's store (issue 20): a standby on a team's laptop
 * that holds the reference databases and notices only.
 *
 * A kit never holds the journal: the primary sends it signed field batches,
 * each the changes of a run of journal entries (from_seq, to_seq] filtered
 * to the kit's tables (fieldkit_table). The kit keeps each batch it applied
 * in field_journal (site-local), so that verify there can check every
 * batch's signature and continuity and replay them. A batch is signed by
 * the primary over a fixed binary encoding (journal.h style):
 *
 *   "ccc-field-batch-1\0" str kit, u64 from_seq, u64 to_seq,
 *   32 bytes to_hash (the primary's hash of journal entry to_seq),
 *   32 bytes SHA-256 of the filtered changeset
 *
 * u64 is big-endian, str a u32 big-endian length and the bytes.
 */
#ifndef CCC_FIELDKIT_H
#define CCC_FIELDKIT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "ccc/digest.h"
#include "ccc/store.h"

/* 1 when table is one a field kit holds (the one list: fieldkit.c). */
int fieldkit_table(const char *table);
/* The names of those tables, NULL-terminated, for messages and docs. */
extern const char *const fieldkit_tables[];

/* The bytes a batch's signature covers, into out (malloc'd); its length. */
size_t fieldkit_batch_message(const char *kit, int64_t from_seq, int64_t to_seq,
			      const uint8_t to_hash[SHA256_LEN], const uint8_t cs_hash[SHA256_LEN],
			      uint8_t **out);

/* 1 when s is a field kit's store (ccc-store init --standby --field). */
int fieldkit_is_kit(struct store *s);
/* Make the store a field kit's (inside or outside a transaction). */
int fieldkit_mark(struct store *s);
/* A kit's position: the to_seq of the last batch it applied, 0 for none. */
int64_t fieldkit_position(struct store *s);

/* A batch as received or stored. */
struct fieldkit_batch {
	int64_t from_seq, to_seq;
	const char *kit, *signer;
	uint8_t to_hash[SHA256_LEN];
	const void *changeset;
	size_t changeset_len;
	uint8_t signature[64];
};

/* Its signature verifies with the signer's key as s knows it (sites
 * table, else its anchor): 0, or 1 with the reason in why. */
int fieldkit_check_signature(struct store *s, const struct fieldkit_batch *b, char *why, size_t n);
/* With the batch applied to db (the kit's store, or verify's replay): its
 * signer is the primary of the newest epoch db knows, and not revoked:
 * 0, or 1 with the reason in why. */
int fieldkit_check_signer(sqlite3 *db, const struct fieldkit_batch *b, char *why, size_t n);

/*
 * verify at a kit: check each batch of field_journal (read on live, in
 * verify's read transaction) for its signature, its kit name and its
 * continuity (each from_seq the to_seq before it, the first 0), replaying
 * each into replay; each problem goes to problem(ctx, text) with the
 * batch's seq. *batches gets how many were read. 0; 65 when a batch is
 * bad (the replay stops before it); 74 (warned) when field_journal cannot
 * be read.
 */
int fieldkit_replay(struct store *s, sqlite3 *live, sqlite3 *replay,
		    void (*problem)(void *ctx, const char *text), void *ctx, long long *batches);

#endif
