/*
 * notice-read.h: what a reader may see of the notices (show, list, feed,
 * export of ccc-notice), the exports to stdout, and why a review left a
 * notice a draft.
 *
 * A reader names its country (--ncb CC: what was sent to it, requested by
 * it, public, or sent to every country) or none (only the last two), or is
 * the operations room (--all: everything); notice_readable decides.
 */
#ifndef CCC_NOTICE_READ_H
#define CCC_NOTICE_READ_H

#include <jv.h>

#include "ccc/notice-lifecycle.h"
#include "ccc/store.h"

/* 0 when who may read notice rec (not consumed); else 77, warned as
 * "CMD: notice 'ID' was not sent to CC" (or what to give instead). */
int notice_read_check(struct store *s, const struct notice_reader *who, const char *cmd, jv rec);

/* Of list (consumed), what who may read; with hidden (passed over before),
 * the count of the rest is warned when who names no country, unless
 * quiet. */
jv notice_read_only(struct store *s, const struct notice_reader *who, const char *cmd, jv list,
		    long hidden, int quiet);

/* The latest CAP 1.2 message of notice id to stdout, with sender as the
 * CAP sender: 0, or 65 (warned) when it has none, or an exit code. */
int notice_export_cap(struct store *s, const struct notice_reader *who, const char *id,
		      const char *sender);

/* The public extracts of ids[0..nids) (none: of every published notice
 * that has one) to stdout as NDJSON; a named notice without one is warned
 * and makes it 65. */
int notice_export_public(struct store *s, const struct notice_reader *who, char **ids, int nids);

/* On stderr, why a review (review: the notice's "review", not consumed)
 * left notice id a draft: each problem, and each Article 3 hit waiting for
 * --decision. */
void notice_review_warn(const char *id, jv review);

/* A notice (consumed) as a table of its fields, one a row (FIELD, VALUE:
 * a string as it is, another value as compact JSON), to stdout. */
void notice_print_fields(jv rec);

#endif
