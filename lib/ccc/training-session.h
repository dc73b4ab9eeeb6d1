/*
 * training-session.h: training sessions, attendance and renewal, and who
 * must be retrained (the training unit of ccc-deploy).
 *
 * A session of a course (training-catalog.h) is held on a day at a site by
 * a trainer: {"type":"session","v":1,"id":"session-lyon-3","course":
 * "irt_readiness","date":"2026-12-01","site":"lyon","trainer":"s-0007",
 * "attendance":[{"person":"s-0042","result":"passed","expires":"2028-11-30"}]}.
 * A passed session renews the course for its validity: the training then
 * expires the day before the same date valid_months later, unless the
 * person holds it longer already. A person not on the roster is an officer
 * of a national or regional bureau: a trainee record (type "trainee", with
 * "ncb", "name" and "trainings"). Store functions print the reason of a
 * failure and return an exit code.
 */
#ifndef CCC_TRAINING_SESSION_H
#define CCC_TRAINING_SESSION_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/store.h"

struct training_session_ask {
	const char *course, *date, *site, *trainer;
};

/* Add a session; *out its record. 64 (why) for a bad value. */
int training_session_add(struct store *s, const struct training_session_ask *a, jv *out, char *why,
			 size_t wn);
/* Every session with its attendance, newest first; or (id not NULL) one:
 * 66 when there is none. */
int training_session_list(struct store *s, const char *id, jv *out);

/* Who attends, and how it went: result "passed" or "failed"; ncb and name
 * for an officer who is not on the roster (NULL otherwise). */
struct training_attend_ask {
	const char *session, *result, *ncb, *name;
	char **people;
	int npeople;
};
/*
 * Record the attendance of every person in one transaction; *out the
 * session record after it. 64 (why) for a bad value, 66 for an unknown
 * session, 65 for a session not held yet or a person who is neither on the
 * roster nor given with ncb.
 */
int training_attend(struct store *s, const struct training_attend_ask *a, jv *out, char *why,
		    size_t wn);

/*
 * Who must be retrained: every course a roster member holds that expires
 * before now + within, or has expired, as records {"type":"training_due",
 * "person","name","site","course","expires","days_left","status":"expired"|
 * "due"}, by site then expiry (*due); and the refresher plan for the next
 * quarter (three months from now, or within if longer), a record per
 * course and site {"type":"refresher","course","site","people":[...],
 * "id": "refresher-COURSE-SITE", "before": the first expiry, "session": the id of a session planned
 * for it, or null} (*plan). 0 or an exit code.
 */
int training_due(struct store *s, time_t now, time_t within, jv *due, jv *plan);

/* "60d", "12w", "3m" (days, weeks, months of 30 days) or "90" (days) as
 * seconds; -1 otherwise. Pure. */
long long training_parse_span(const char *s);

#endif
