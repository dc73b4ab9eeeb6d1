/*
 * verify.h: prove a store has not been altered.
 *
 * Checks, in order: the journal's hash chain (seq 1, 2, ... each linking to
 * the one before and hashing to its stored hash); a checkpoint for every
 * entry, matching its hash and signed by its origin site's key (from the
 * sites table); a replay of every changeset into a scratch database; and a
 * row-by-row comparison of every state table with the replay.
 */
#ifndef CCC_VERIFY_H
#define CCC_VERIFY_H

#include <jv.h>

#include "ccc/store.h"

/*
 * Verify s. Each problem is printed on stderr (the first bad seq, or the
 * table and key that differ). *report gets a summary object
 * {"ok", "entries", "checkpoints", "tables", "rows", "problems"}.
 * Returns 0 when the store verifies, 65 when it does not, or another exit
 * code when it cannot be read.
 */
int store_verify(struct store *s, jv *report);

#endif
