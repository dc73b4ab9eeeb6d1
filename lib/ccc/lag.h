/*
 * lag.h: how far a standby is behind its primary.
 *
 * A store is a standby when the newest epochs row names another site as
 * primary, or when it is a standby that has imported nothing yet. Each
 * export ends with a `head` record: the exporting site, its epoch and its
 * last seq, and the time of the export (ccc-records(5)). Importing it is a
 * hint, never a proof: it is kept (lag_note_import) only when it names the
 * primary of this store's newest epoch and that epoch, and it never makes
 * an entry acceptable. Within one primary and epoch the head kept only
 * grows, and the time the standby was last caught up never goes back, so a
 * forged head can make the lag look larger, never smaller.
 *
 * The lag of a standby is then:
 *   entries = the head last reported - this store's last seq, never below 0;
 *             unknown (-1) until a head of the current primary is heard;
 *   seconds = now - the last time this store held every entry its primary
 *             had (the export's time, or the import's when that is earlier);
 *             unknown (-1) when it never did.
 * Times are the clock's (clock.h: CCC_NOW fixes now).
 */
#ifndef CCC_LAG_H
#define CCC_LAG_H

#include <stdint.h>
#include <time.h>

#include <jv.h>

#include "ccc/store.h"

struct store_lag {
	int standby;        /* 1: this store is a standby (the rest is set only then) */
	char primary[128];  /* its primary; "" when not known yet */
	int64_t entries;    /* entries behind, -1 when unknown */
	long long seconds;  /* seconds behind, -1 when unknown */
	time_t heard;       /* when the primary's head was last heard here; 0: never */
	time_t caught_up;   /* when this store last held all its primary had; 0: never */
	time_t last_import; /* the last successful import; 0: never */
};

/* The lag of store s (all zero at a primary). 0, or an exit code (warned). */
int store_lag(struct store *s, struct store_lag *lag);

/* The arithmetic of store_lag, pure: own is this store's last seq, reported
 * the primary's head as heard (-1: never), caught_up the time this store last
 * held all of it (0: never). */
void lag_figures(int64_t own, int64_t reported, time_t now, time_t caught_up, int64_t *entries,
		 long long *seconds);

/* What an export's `head` record says. */
struct lag_head {
	const char *site;
	int64_t epoch, seq;
	time_t ts;
};

/*
 * After a successful import (outside its transaction): record its time and,
 * when head is not NULL, the head it reported (kept only as said above);
 * when this store then holds everything up to that head, it was caught up
 * at the head's time (or now, if that is earlier). Nothing is recorded by a
 * store opened without its site key (the settings cannot be sealed). 0 or
 * an exit code (warned).
 */
int lag_note_import(struct store *s, const struct lag_head *head);
/* The head a `head` record names, into *h (its site points into rec): NULL,
 * or the name of the field that is missing or malformed. */
const char *lag_head_parse(jv rec, struct lag_head *h);

#endif
