/*
 * reply-store.h: replies in the store (migration 10), from draft to
 * delivery, every step journaled with its actor.
 *
 * A reply's status:
 *   draft    it discloses a hit on a person or a document: a second officer
 *            must review it before it is sent
 *   ready    it may be sent (reviewed, or it discloses no hit)
 *   sending  an attempt was written and the delivery started
 *   sent     delivered (sent_at); the message's queue item is answered
 *   queued   an attempt failed (last_error); retry sends it
 *   unknown  an attempt was written but its outcome never was (the sender
 *            was killed between the delivery and its record): it may or
 *            may not have gone, so it is never sent again on its own; an
 *            officer who has checked sends it again with send --again
 *
 * Every function runs inside a transaction the caller opened, prints why it
 * fails, and returns 0 or an exit status (exit.h).
 */
#ifndef CCC_REPLY_STORE_H
#define CCC_REPLY_STORE_H

#include <jv.h>

#include "ccc/store.h"

/* Store a new reply: rec (consumed) holds its fields; id, status, drafted_by
 * and drafted_at are set here. *out: the stored record. */
int reply_store_draft(struct store *s, jv rec, jv *out);
/* The reply id, with its log (out); 66 when there is none. */
int reply_store_get(struct store *s, const char *id, jv *out);
/* A second officer's review: 77 for the drafter; 65 unless it is a draft;
 * 0 with *done 1 when it was ready already (a rerun). */
int reply_store_review(struct store *s, const char *id, int *done, jv *out);
/* Write the attempt before delivering: ready or queued (and, with again,
 * unknown) become sending, attempts + 1. 77 for a draft (not reviewed);
 * 0 with *done 1 when it was sent already; 65 for unknown without again. */
int reply_store_attempt(struct store *s, const char *id, int again, int *done, jv *out);
/* The outcome of the attempt in hand: sent (error NULL: sent_at, and the
 * message's queue item answered, the first reply's time kept) or queued
 * with error. */
int reply_store_outcome(struct store *s, const char *id, const char *error, jv *out);
/* Replies left sending by a sender that died become unknown (the caller
 * holds the send lock, so no other sender is at work); *n gets how many. */
int reply_store_orphans(struct store *s, long *n);
/* Replies, oldest first: status NULL for every one. *out: an array. */
int reply_store_list(struct store *s, const char *status, jv *out);

#endif
