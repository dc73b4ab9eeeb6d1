/*
 * journal.h: the fixed binary encoding of journal entries and checkpoints,
 * hashed with SHA-256 and signed with Ed25519. JSON text is never hashed.
 *
 * entry:      "ccc-journal-1\0" u64 seq, u64 epoch, str origin, str actor,
 *             str command, str ts, str changeset, 32 bytes prev_hash
 * checkpoint: "ccc-checkpoint-1\0" str origin, u64 seq, 32 bytes head hash
 * ack:        "ccc-ack-1\0" str site, u64 seq, 32 bytes hash of the entry at seq
 *             (a standby's signed statement that it holds the chain up to seq)
 * audit:      "ccc-audit-1\0" str site, u64 seq, str ts, str body, 32 bytes prev_hash
 *             (an entry of a site's own audit chain, audit.h)
 * audit sig:  "ccc-audit-signature-1\0" str site, u64 seq, 32 bytes audit hash
 * u64 is big-endian; str is a u32 big-endian length and the bytes.
 */
#ifndef CCC_JOURNAL_H
#define CCC_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ccc/digest.h"

struct journal_entry {
	int64_t seq, epoch;
	const char *origin, *actor, *command, *ts;
	const void *changeset;
	size_t changeset_len;
	uint8_t prev_hash[SHA256_LEN];
};

/* hash = SHA-256 of the entry's encoding. */
void journal_hash(const struct journal_entry *e, uint8_t hash[SHA256_LEN]);
/* The bytes a checkpoint signs, into out (malloc'd); returns the length. */
size_t checkpoint_message(const char *origin, int64_t seq, const uint8_t head[SHA256_LEN],
			  uint8_t **out);

/* The bytes an acknowledgement signs, into out (malloc'd); returns the length. */
size_t ack_message(const char *site, int64_t seq, const uint8_t hash[SHA256_LEN], uint8_t **out);

/* An audit chain entry's hash, and the bytes its signature signs (malloc'd). */
void audit_hash(const char *site, int64_t seq, const char *ts, const uint8_t prev[SHA256_LEN],
		const char *body, size_t body_len, uint8_t hash[SHA256_LEN]);
size_t audit_message(const char *site, int64_t seq, const uint8_t hash[SHA256_LEN], uint8_t **out);

#endif
