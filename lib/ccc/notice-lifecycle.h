/*
 * notice-lifecycle.h: notices in the store, from draft to cancellation.
 *
 * Every function that writes runs inside a transaction the caller opened
 * (store_begin) and closes (store_commit or store_rollback), and logs the
 * transition with ccc_opts.actor in notice_log. Functions print their reason
 * (prog: context: reason) and return 0 or an exit code from exit.h.
 *
 * Statuses: draft -> reviewed (review passed) -> published -> cancelled or
 * expired; review may also leave a draft (problems, or an Article 3 hit that
 * waits for a human decision) or refuse it (decision "refused").
 */
#ifndef CCC_NOTICE_LIFECYCLE_H
#define CCC_NOTICE_LIFECYCLE_H

#include <jv.h>

#include "ccc/refdb.h"
#include "ccc/rerun.h"
#include "ccc/store.h"

/* The validity of a published notice unless renewed: five calendar years. */
#define NOTICE_VALIDITY_YEARS 5

/* What a transition is given besides the notice. */
struct notice_change {
	const char *reason;   /* cancel: why (required) */
	const char *decision; /* review: compliant or refused, after an Article 3 hit */
	jv fields;            /* update: fields to set (borrowed; invalid when none) */
};

/* Store a new draft from rec (consumed; kind required), numbered
 * "notice-SITE-N". *out gets the stored record. */
int notice_draft(struct store *s, jv rec, jv *out);
/* One notice by id or control number, with its log and recipients. */
int notice_get(struct store *s, const char *id, jv *out);
/* Notices with this status (NULL: every one not cancelled or expired). */
int notice_list(struct store *s, const char *status, jv *out);
/*
 * review, publish, update, cancel or renew notice id as ccc_opts.actor.
 * review and publish refuse the drafter (77). A published person notice
 * is loaded into the persons database through c; cancel removes it.
 * A rerun changes nothing and sets again (rerun.h), *out getting the notice
 * as stored: review of a reviewed notice (with no decision or the one it
 * had) or of a refused one with decision refused, publish of a published
 * one, cancel of a cancelled one for the same reason (another reason: 65),
 * renew of one that already expires on the day a renewal would give, update
 * with the values it has.
 */
int notice_act(struct store *s, struct refdb_ctx *c, const char *id, const char *action,
	       const struct notice_change *ch, jv *out, struct rerun *again);
/* Expire every published notice past its expiry; *out gets them. */
int notice_expire(struct store *s, struct refdb_ctx *c, jv *out);
/*
 * Who reads: the country ncb (NULL: none given), or, with all, the
 * operations room. A country reads a notice that is public, that goes to
 * every member country (it names no recipients), that was sent to it ("to",
 * "regions", the recipients recorded) or that it requested; a reader that
 * names no country reads only the public ones and those that go to every
 * country.
 */
struct notice_reader {
	const char *ncb;
	int all;
};
/* 1 when who may read rec (not consumed), else 0. */
int notice_readable(struct store *s, jv rec, const struct notice_reader *who);
/* 1 when notice rec was recorded as sent to cc (to anyone: cc NULL). */
int notice_has_recipients(struct store *s, jv rec, const char *cc);
/* Published, updated, renewed, cancelled and expired events after seq
 * since that who may read, at most limit, oldest first, each the notice
 * record with "feed_seq" and "event"; *hidden counts those passed over. */
int notice_feed(struct store *s, long long since, long limit, const struct notice_reader *who,
		jv *out, long *hidden);

#endif
