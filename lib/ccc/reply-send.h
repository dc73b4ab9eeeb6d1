/*
 * reply-send.h: delivering replies, so that none is sent twice and none is
 * lost, whatever moment the sender is killed at.
 *
 * One sender at a time holds the store's send lock (STORE.send-lock, a
 * flock). Under it, each reply goes in three steps, each committed before
 * the next: the attempt is written (status sending), the reply is
 * delivered, the outcome is written (sent, or queued with the reason). A
 * sender killed between the first and the last leaves the reply sending;
 * the next sender, holding the lock, knows its owner is dead and makes it
 * unknown: it may have gone, so it is not sent again on its own (send
 * --again, after an officer checked). A delivery command that fails (its
 * exit status not 0, or it cannot run) leaves the reply queued for retry.
 */
#ifndef CCC_REPLY_SEND_H
#define CCC_REPLY_SEND_H

#include <jv.h>

#include "ccc/store.h"

struct reply_delivery {
	const char *via;  /* the command that delivers it (stdin: the reply); NULL: stdout */
	int as_record;    /* the reply record as NDJSON, not an e-mail */
	const char *from; /* the e-mail's From */
	int verbose;      /* show the command run */
};

/* Deliver rec: its e-mail (mailwrite.h) or its record, to stdout or the
 * command. 0, or -1 with the reason in err. */
int reply_deliver(jv rec, const struct reply_delivery *d, char *err, size_t errlen);

/*
 * Send reply id (holding the lock): orphaned attempts first become unknown,
 * then attempt, delivery and outcome. 0 when it was sent (or had been:
 * *done), 69 when the delivery failed (the reply is queued), 77 for a
 * reply not reviewed, or another exit status. *out: the reply as it ends.
 */
int reply_send(struct store *s, const char *id, int again, const struct reply_delivery *d,
	       int *done, jv *out);

/*
 * Send every queued reply once (holding the lock), after making orphaned
 * attempts unknown. Counts in *sent, *failed and *unknown. 0, 69 when one
 * failed, or another exit status.
 */
int reply_retry(struct store *s, const struct reply_delivery *d, long *sent, long *failed,
		long *unknown);

#endif
