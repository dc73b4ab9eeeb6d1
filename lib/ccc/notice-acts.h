/*
 * notice-acts.h: each change ccc-notice makes, in a store transaction of
 * its own (notice-lifecycle.h does the change inside the caller's): a
 * draft from options or from request records on a stream, an act on one
 * notice (review, publish, update, cancel, renew), and expiry.
 */
#ifndef CCC_NOTICE_ACTS_H
#define CCC_NOTICE_ACTS_H

#include <jv.h>

#include "ccc/notice-lifecycle.h"
#include "ccc/refdb.h"
#include "ccc/store.h"
#include "ccc/stream.h"

/* Draft a notice of fields (consumed): 0 and *out, or an exit code. */
int notice_draft_one(struct store *s, jv fields, jv *out);

/* The stream callback that drafts each request record (one with no known
 * "kind" is a reject) and writes the draft. */
int notice_draft_record(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx);

/*
 * action on notice id. A rerun changes nothing and is said on stderr
 * unless quiet. A review that leaves the notice a draft says why on stderr
 * and returns 1 (CCC_EX_NEGATIVE) with *out set. Returns 0 and *out, or an
 * exit code.
 */
int notice_act_one(struct store *s, struct refdb_ctx *c, const char *id, const char *action,
		   const struct notice_change *ch, jv *out, int quiet);

/* Expire every published notice past its expiry: 0 and *out (an array of
 * them), or an exit code. */
int notice_expire_all(struct store *s, struct refdb_ctx *c, jv *out);

#endif
