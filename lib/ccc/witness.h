/*
 * witness.h: the store's newest signed head, kept outside the store.
 *
 * After every commit (a writer's, an import's) the newest entry's seq,
 * epoch and hash are written to a witness file in $XDG_STATE_HOME/ccc/witness/
 * (default ~/.local/state), one per store (its site and a digest of its real
 * path), with the heads standbys acknowledged. Written atomically (temp file
 * and rename) under a lock, and never moved backwards (but by a rejoin,
 * which rewinds the journal on purpose). verify reports a store behind its
 * witness: entries deleted from the end with their checkpoints and rows, or
 * an older copy put back.
 */
#ifndef CCC_WITNESS_H
#define CCC_WITNESS_H

#include <stdint.h>

#include <sqlite3.h>

#include "ccc/digest.h"

#define WITNESS_MAXACKS 16

struct witness {
	int64_t seq, epoch; /* the newest head seen; seq 0: none */
	uint8_t hash[SHA256_LEN];
	int nacks;
	struct {
		char site[64];
		int64_t seq;
		uint8_t hash[SHA256_LEN];
	} acks[WITNESS_MAXACKS];
};

/* The store a witness stands beside: its connection (the hashes are read
 * from its journal), its file and its site. The witness knows nothing else
 * of the store: the store, which records its head at each commit, sits
 * above it. */
struct witness_store {
	sqlite3 *db;
	const char *path, *site;
};

/* The witness file of the store at path for site (caller frees), or NULL
 * when the store's real path cannot be found. */
char *witness_path(const char *store_path, const char *site);
/* 0 and *w, -1 when there is no witness file, or 1 when it cannot be read
 * (warned). */
int witness_read(const char *file, struct witness *w);
/* Record the store's newest entry (after a commit). rewound: the journal was
 * rewound on purpose (rejoin): the head may move back, and acks above it
 * are dropped. A witness that cannot be written is warned about; the commit
 * stands. Returns 0 or -1. */
int witness_record(const struct witness_store *ws, int rewound);
/* A standby acknowledged entry seq: record it with this store's hash of
 * that entry (nothing when this store has no such entry). */
void witness_note_ack(const struct witness_store *ws, const char *site, int64_t seq);

#endif
