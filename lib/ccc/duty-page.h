/*
 * duty-page.h: paging by escalation policy, so that a page is sent once per
 * step and never twice, whatever moment a pager is killed at and however
 * many run at once.
 *
 * A queue item is paged while it is open (not taken, not closed) and not
 * acknowledged (duty_page_ack). Its policy is the one named after its
 * priority in lower case (P1: policy p1); an item whose priority has no
 * policy is not paged. Step k of the policy is due once the item has been
 * in the queue for the step's delay; its target is "duty" (the people on
 * duty) or a role (supervisor, site-lead) of the sites on duty.
 *
 * Only the primary pages: the same crontab runs at every site, and a
 * standby's run does nothing (it could not record a page anyway).
 *
 * One pager at a time holds the store's page lock (STORE.page-lock, a
 * flock), so a second cron run waits and then finds the pages sent. Under
 * it, each page goes in three steps, each committed before the next: the
 * page is written (status sending), the command runs with the page as one
 * NDJSON line on its stdin, the outcome is written (sent, or failed with the
 * reason: a failed page is tried again at the next run). A pager killed
 * between the first and the last leaves the page sending; the next pager,
 * holding the lock, knows its owner is dead and makes it unknown: it may
 * have gone, so it is never sent again, and it is reported (the same rule
 * as replies, reply-send.h). Each page carries a key ("key": the page's id
 * and the site) that a command can use to drop a repeat of its own.
 */
#ifndef CCC_DUTY_PAGE_H
#define CCC_DUTY_PAGE_H

#include <jv.h>

#include "ccc/store.h"

struct duty_pager {
	const char *notify; /* the command (the page on stdin); NULL: the page to stdout */
	int verbose;        /* show the command run */
};

struct duty_page_counts {
	long sent, failed, unknown;
	int standby; /* this site is not the primary: nothing was paged */
};

/*
 * Page every item whose next steps are due (holding the lock; orphaned
 * pages become unknown first). *pages: the pages this run wrote, as they
 * ended. 0, 69 when a command failed, or another exit status.
 */
int duty_page_run(struct store *s, const struct duty_pager *p, struct duty_page_counts *n,
		  jv *pages);

/* Acknowledge the queue item id (inside a transaction): its escalation
 * stops. *done when it was acknowledged already. 66 for no such item. */
int duty_page_ack(struct store *s, const char *id, int *done, jv *out);

#endif
