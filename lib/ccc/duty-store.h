/*
 * duty-store.h: the duty plan's writes and listings: shifts, rotations,
 * overrides and swaps, roles, escalation policies, and a plan loaded from a
 * file. Each write runs inside the caller's transaction (store_begin ...
 * store_commit), so it is one journal entry, signed and replicated, and
 * leaves a line in duty_log. Functions warn and return an exit status; 0 is
 * success, and *done says a rerun found the same thing there already.
 */
#ifndef CCC_DUTY_STORE_H
#define CCC_DUTY_STORE_H

#include <time.h>

#include <jv.h>

#include "ccc/store.h"

struct duty_shift_in {
	const char *name, *site, *zone; /* zone NULL: the site's (sites table, else the default) */
	int from, to;                   /* local minutes of the day */
	unsigned days;                  /* bit 0 Monday */
	int min;                        /* the people it needs */
};

/* The zone of site: the sites table's time_zone, else the shipped default
 * of lyon, buenos-aires and singapore; NULL when neither knows it. The
 * string is static or lives in buf (n bytes). */
const char *duty_site_zone(struct store *s, const char *site, char *buf, size_t n);

/* replace: a shift of that name is replaced (plan load); otherwise a
 * different one is refused (65). */
int duty_shift_add(struct store *s, const struct duty_shift_in *in, int replace, int *done);
/* Remove a shift with its rotations and overrides: 0 (*done when it was
 * not there). */
int duty_shift_remove(struct store *s, const char *name, int *done);

/* people: an array of names (consumed). start: "YYYY-MM-DD". */
int duty_rotation_add(struct store *s, const char *name, const char *shift, jv people, int every,
		      const char *start, int replace, int *done);
int duty_rotation_remove(struct store *s, const char *name, int *done);

/* kind "override" (person on the shift, in place of other when other is
 * not NULL) or "swap" (person and other exchange their duty) on shift
 * during [from, to). *out: the record; *done when the same one was there
 * (a rerun adds none). */
int duty_override_add(struct store *s, const char *kind, const char *shift, const char *person,
		      const char *other, time_t from, time_t to, int *done, jv *out);

/* The holder of role at site (person NULL: nobody). */
int duty_role_set(struct store *s, const char *role, const char *site, const char *person,
		  int *done);

/* steps: an array of {"after": seconds, "target": name}, in order (consumed). */
int duty_policy_add(struct store *s, const char *name, jv steps, int replace, int *done);
int duty_policy_remove(struct store *s, const char *name, int *done);

/* Load a plan file (NDJSON: shift, rotation, role and policy records; see
 * ccc-records(5)), lines of at most max_line bytes, each replacing the one
 * of its name. A bad line is reported as FILE:LINE: field: reason, and the
 * whole load refused (65). *count: the records loaded. */
int duty_plan_read(struct store *s, int fd, const char *file, size_t max_line, long *count);

/* Listings as arrays of records: what is "shifts", "rotations",
 * "overrides", "roles", "policies", "pages" (status: NULL or one),
 * "handovers". */
int duty_list(struct store *s, const char *what, const char *status, jv *out);

/* Append to duty_log (inside a transaction). */
int duty_log(struct store *s, const char *subject, const char *action, const char *detail);

#endif
