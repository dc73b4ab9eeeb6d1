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

/* Acknowledged shipping, for a writer's store: install the post-commit step
 * (store_on_commit) that, for each standby added with 'ccc-failover site add
 * NAME --via CMD --ack', ships and waits for its acknowledgement of every
 * entry; the commit then returns 75 when one has not acknowledged. Read at
 * every commit, so a standby added meanwhile is waited for too. */
void ship_wait_acks_install(struct store *s);

/* Write the entries after seq since (at most limit, when limit >= 0) and their
 * checkpoints to stdout (out.h), then a `head` record: this site, its newest
 * epoch, its last seq and now (a hint for a standby's lag, lag.h). Returns 0
 * or an exit code. */
int ship_export(struct store *s, int64_t since, long long limit);

/* A record of type (entry, orphan) with id for a journal row that st is on,
 * its columns seq, epoch, origin, actor, command, ts first, in that order:
 * those six fields, after type, v and id. */
jv ship_entry_head(sqlite3_stmt *st, const char *type, const char *id);

/* The same, each record handed to emit as one line of JSON (line, n bytes,
 * no newline; checkpoint is the seq of a checkpoint record, -1 for the
 * others); the export stops after a checkpoint for which emit returns
 * nonzero (the head record still comes last). */
int ship_export_each(struct store *s, int64_t since, long long limit,
		     int (*emit)(const char *line, size_t n, int64_t checkpoint, void *ctx),
		     void *ctx);
/* The same, written as NDJSON to fd; it stops after the entry that passes
 * max_bytes (0: no limit). */
int ship_export_fd(struct store *s, int64_t since, long long limit, size_t max_bytes, int fd);

/* Run the shell command "VIA ARGS" (VIA reaches another site's ccc-failover)
 * with stdin from in_fd (-1: /dev/null); *out_fd gets its whole output, read
 * from the start (a memfd; close it). Returns its exit status (warned when not 0).
 * The command is shown on stderr when s was opened verbose (s may be NULL). */
int ship_run(struct store *s, const char *via, const char *args, int in_fd, int *out_fd);
/* "VIA position": the standby's last seq, or -1 (warned). */
int64_t ship_remote_position(struct store *s, const char *via);
/*
 * Ship what the standby reached through via lacks, chunk entries (or 64 MiB)
 * at a time (chunk < 0: no limit but the bytes), and record its acks (ack:SITE in the local
 * table). It starts after what site (when given) acknowledged last, else
 * after the standby's position. With nothing to ship, it sends the head
 * record alone. *acked gets the last acknowledged seq.
 * Returns 0, 65 when the standby refused an entry, 69 when it could not be
 * reached or acknowledged nothing, or another exit code.
 */
int ship_sync(struct store *s, const char *via, const char *site, long long chunk, int64_t *acked);

/*
 * Import one entry and its checkpoint (both consumed). Returns 0 and sets
 * *ack (an `ack` record) when applied or already there; CCC_EX_DATAERR with
 * the reason in why when refused (split brain, a gap, a bad signature...);
 * another exit code on a store error.
 */
int ship_import(struct store *s, jv entry, jv checkpoint, jv *ack, char *why, size_t whylen);

/* The same for a batch in one transaction: ship_begin, ship_apply for each
 * pair (in the transaction; the batch must be rolled back on any error),
 * ship_end(s, 1) to commit or ship_end(s, 0) to roll back; then, for a
 * refused entry, ship_refused with its epoch, origin and reason (a split
 * brain from a newer epoch fences this site). */
int ship_begin(struct store *s);
int ship_apply(struct store *s, jv entry, jv checkpoint, jv *ack, char *why, size_t whylen);
/* The same, the changeset's base64 csb[0..cslen) given apart (the entry's
 * own field is then not read); csb NULL: ship_apply. */
int ship_apply_cs(struct store *s, jv entry, jv checkpoint, const char *csb, size_t cslen, jv *ack,
		  char *why, size_t whylen);
int ship_end(struct store *s, int commit);
void ship_refused(struct store *s, int64_t epoch, const char *origin, const char *why);

/*
 * 1 when entry e with its checkpoint c (not consumed) proves a newer epoch:
 * its hash is right, its checkpoint is signed by its origin's key as this
 * store knows it, its origin is not this site, and its changes insert the
 * epochs row of its own epoch, above `above`, with its origin as primary.
 * Then *epoch and primary (plen bytes) get that epoch and site.
 */
int ship_epoch_proof(struct store *s, jv e, jv c, int64_t above, int64_t *epoch, char *primary,
		     size_t plen);

#endif
