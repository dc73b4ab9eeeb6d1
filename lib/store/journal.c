/*
 * journal.c: encodings for the journal's hash chain and its signed checkpoints.
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/journal.h"
#include "ccc/xmalloc.h"

static void put_u64(struct digest_ctx *c, uint64_t v)
{
	uint8_t b[8];
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t)v;
	digest_update(c, b, 8);
}

static void put_str(struct digest_ctx *c, const void *p, size_t n)
{
	uint8_t b[4] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
	digest_update(c, b, 4);
	if (n)
		digest_update(c, p, n);
}

void journal_hash(const struct journal_entry *e, uint8_t hash[SHA256_LEN])
{
	static const char magic[] = "ccc-journal-1";
	struct digest_ctx *c = digest_new();
	digest_update(c, magic, sizeof magic); /* with its NUL */
	put_u64(c, (uint64_t)e->seq);
	put_u64(c, (uint64_t)e->epoch);
	put_str(c, e->origin, strlen(e->origin));
	put_str(c, e->actor, strlen(e->actor));
	put_str(c, e->command, strlen(e->command));
	put_str(c, e->ts, strlen(e->ts));
	put_str(c, e->changeset, e->changeset_len);
	digest_update(c, e->prev_hash, SHA256_LEN);
	digest_final(c, hash);
}

/* magic (with its NUL), str name, u64 seq, 32 bytes hash. */
static size_t signed_message(const char *magic, size_t magic_len, const char *name, int64_t seq,
			     const uint8_t hash[SHA256_LEN], uint8_t **out)
{
	size_t no = strlen(name), n = magic_len + 4 + no + 8 + SHA256_LEN;
	uint8_t *p = xmalloc(n), *q = p;
	memcpy(q, magic, magic_len);
	q += magic_len;
	*q++ = (uint8_t)(no >> 24);
	*q++ = (uint8_t)(no >> 16);
	*q++ = (uint8_t)(no >> 8);
	*q++ = (uint8_t)no;
	memcpy(q, name, no);
	q += no;
	for (int i = 7; i >= 0; i--)
		*q++ = (uint8_t)((uint64_t)seq >> (8 * i));
	memcpy(q, hash, SHA256_LEN);
	*out = p;
	return n;
}

size_t checkpoint_message(const char *origin, int64_t seq, const uint8_t head[SHA256_LEN],
			  uint8_t **out)
{
	static const char magic[] = "ccc-checkpoint-1";
	return signed_message(magic, sizeof magic, origin, seq, head, out);
}

size_t ack_message(const char *site, int64_t seq, const uint8_t hash[SHA256_LEN], uint8_t **out)
{
	static const char magic[] = "ccc-ack-1";
	return signed_message(magic, sizeof magic, site, seq, hash, out);
}

void audit_hash(const char *site, int64_t seq, const char *ts, const uint8_t prev[SHA256_LEN],
		const char *body, size_t body_len, uint8_t hash[SHA256_LEN])
{
	static const char magic[] = "ccc-audit-1";
	struct digest_ctx *c = digest_new();
	digest_update(c, magic, sizeof magic); /* with its NUL */
	put_str(c, site, strlen(site));
	put_u64(c, (uint64_t)seq);
	put_str(c, ts, strlen(ts));
	put_str(c, body, body_len);
	digest_update(c, prev, SHA256_LEN);
	digest_final(c, hash);
}

size_t audit_message(const char *site, int64_t seq, const uint8_t hash[SHA256_LEN], uint8_t **out)
{
	static const char magic[] = "ccc-audit-signature-1";
	return signed_message(magic, sizeof magic, site, seq, hash, out);
}
