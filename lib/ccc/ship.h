/*
 * ship.h: journal shipping between sites (DESIGN.md section 7).
 *
 * A primary exports its journal entries, each followed by its signed
 * checkpoint, as NDJSON `entry` and `checkpoint` records (changesets in
 * base64, hashes in hex). A standby imports them: it checks that each entry
 * follows its last one (seq and prev_hash), that its hash is right, that its
 * checkpoint is signed by its origin's key (from the sites table, or the
 * standby's trust anchor for the first entries) and that its epoch does not
 * go back; then it applies the changeset and stores the entry and checkpoint
 * as they are, in one transaction, without recording them again, and
 * answers an `ack` record. An entry already there with the same hash is
 * acknowledged again and changes nothing; one with another hash, or a
 * changeset that conflicts with the standby's tables, is split brain:
 * nothing of it is applied and it is reported with its seq (and table).
 */
#ifndef CCC_SHIP_H
#define CCC_SHIP_H

#include <stdint.h>

#include <jv.h>

#include "ccc/store.h"

/* The seq of the last journal entry (0 for none); -1 on error (warned). */
int64_t ship_position(struct store *s);

/* Write the entries after seq since (at most limit, when limit >= 0) and their
 * checkpoints to stdout (out.h). Returns 0 or an exit code. */
int ship_export(struct store *s, int64_t since, long long limit);

/*
 * Import one entry and its checkpoint (both consumed). Returns 0 and sets
 * *ack (an `ack` record) when applied or already there; CCC_EX_DATAERR with
 * the reason in why when refused (split brain, a gap, a bad signature...);
 * another exit code on a store error.
 */
int ship_import(struct store *s, jv entry, jv checkpoint, jv *ack, char *why, size_t whylen);

#endif
