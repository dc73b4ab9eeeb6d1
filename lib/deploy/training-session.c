/*
 * training-session.c: sessions, attendance and renewal, and the list of who
 * must be retrained with the refresher plan.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/deploy-roster.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/records.h"
#include "ccc/training-catalog.h"
#include "ccc/training-session.h"
#include "ccc/xmalloc.h"

static const char *const SQL_NEXT =
    "SELECT max(coalesce(max(n), 0), ?1) + 1 FROM training_sessions";
static const char *const SQL_ADD =
    "INSERT INTO training_sessions(id, n, course, day, site, trainer, created_at, created_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
/* A session's record, with its attendance, built by SQLite's JSON functions. */
#define SESSION_JSON                                                                               \
	"SELECT json_object('type', 'session', 'v', 1, 'id', t.id, 'course', t.course,"            \
	" 'date', t.day, 'site', t.site, 'trainer', t.trainer, 'created_at', t.created_at,"        \
	" 'created_by', t.created_by, 'attendance', (SELECT json_group_array(json_object("         \
	"'person', a.person, 'result', a.result, 'expires', a.expires)) FROM (SELECT * FROM"       \
	" attendance a WHERE a.session = t.id ORDER BY a.person) a)) FROM training_sessions t"
static const char *const SQL_LIST = SESSION_JSON " ORDER BY t.day DESC, t.n DESC";
static const char *const SQL_ONE = SESSION_JSON " WHERE t.id = ?1";
static const char *const SQL_GET = "SELECT course, day FROM training_sessions WHERE id = ?1";
static const char *const SQL_ATTEND =
    "INSERT INTO attendance(session, person, result, expires, recorded_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(session, person) DO UPDATE SET"
    " result = excluded.result, expires = excluded.expires,"
    " recorded_at = CASE WHEN attendance.result = excluded.result"
    " THEN attendance.recorded_at ELSE excluded.recorded_at END";
static const char *const SQL_TRAINEE_GET = "SELECT record FROM trainees WHERE id = ?1";
static const char *const SQL_TRAINEE_PUT =
    "INSERT INTO trainees(id, name, ncb, record, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT(id) DO UPDATE SET name = excluded.name, ncb = excluded.ncb,"
    " record = excluded.record, updated_at = excluded.updated_at";
static const char *const SQL_PLANNED =
    "SELECT id FROM training_sessions WHERE course = ?1 AND site = ?2 AND day >= ?3"
    " ORDER BY day, n LIMIT 1";

long long training_parse_span(const char *s)
{
	char *end;
	if (!s || *s < '0' || *s > '9')
		return -1;
	long long v = strtoll(s, &end, 10);
	if (v < 0 || v > 36500)
		return -1;
	if (!*end || (*end == 'd' && !end[1]))
		return v * 86400;
	if (*end == 'w' && !end[1])
		return v * 7 * 86400;
	if (*end == 'm' && !end[1])
		return v * 30 * 86400;
	return -1;
}

/* 1 when s is an id or a site name: letters, digits, '-', '_', '.'. */
static int valid_word(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!n || n >= max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

static int refuse(char *why, size_t wn, const char *fmt, const char *a)
{
	snprintf(why, wn, fmt, a);
	return CCC_EX_USAGE;
}

static int one_session(struct store *s, const char *id, jv *out)
{
	jv list;
	sqlite3_stmt *st = store_stmt(s, SQL_ONE);
	if (st)
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = records_list(s, st, "reading the sessions", &list);
	if (rc)
		return rc;
	if (jv_array_length(jv_copy(list)) == 0) {
		jv_free(list);
		warnx("session '%s' is not in store '%s'", id, store_path(s));
		return CCC_EX_NOINPUT;
	}
	*out = jv_array_get(list, 0);
	return 0;
}

int training_session_add(struct store *s, const struct training_session_ask *a, jv *out, char *why,
			 size_t wn)
{
	char id[96], now[RFC3339_LEN];
	time_t day;
	int64_t seq;
	int rc;
	if (!a->course || training_course_slot(a->course) < 0)
		return a->course ? (snprintf(why, wn, "'%.40s' is not a course (%s)", a->course,
					     training_course_names()),
				    CCC_EX_USAGE)
				 : refuse(why, wn, "give the course%s", "");
	if (!a->date || strlen(a->date) != 10 || deploy_parse_when(a->date, 0, &day) < 0)
		return refuse(why, wn, "--date '%.32s' is not a date (YYYY-MM-DD)",
			      a->date ? a->date : "");
	if (!a->site || !valid_word(a->site, 64))
		return refuse(why, wn, "--site '%.64s': give the site (letters, digits, '-')",
			      a->site ? a->site : "");
	if (!a->trainer || !*a->trainer || strlen(a->trainer) > 127)
		return refuse(why, wn, "give the trainer with --trainer%s", "");
	if ((rc = store_begin(s)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, SQL_NEXT);
	sqlite3_bind_int64(st, 1, store_id_floor(s, "training_sessions"));
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = store_error(s, rc, "numbering");
		goto fail;
	}
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(id, sizeof id, "session-%s-%lld", store_site(s), n);
	clock_format(clock_now(), now);
	st = store_stmt(s, SQL_ADD);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, a->course, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, a->trainer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, store_actor(s) ? store_actor(s) : "", -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "writing the session");
		goto fail;
	}
	if ((rc = one_session(s, id, out)))
		goto fail;
	if ((rc = store_commit(s, &seq)))
		jv_free(*out);
	return rc;
fail:
	store_rollback(s);
	return rc;
}

int training_session_list(struct store *s, const char *id, jv *out)
{
	if (id) {
		jv one;
		int rc = one_session(s, id, &one);
		if (!rc)
			*out = JV_ARRAY(one);
		return rc;
	}
	return records_list(s, store_stmt(s, SQL_LIST), "reading the sessions", out);
}

/* The expiry a list of trainings (an array, not consumed) gives course. */
static const char *expiry_in(jv trainings, const char *course, char *out)
{
	out[0] = '\0';
	if (jv_get_kind(trainings) != JV_KIND_ARRAY)
		return out;
	jv_array_foreach (trainings, i, x) {
		const char *c = jv_get_str(x, "course"), *e = jv_get_str(x, "expires");
		if (c && e && !strcmp(c, course))
			snprintf(out, 11, "%.10s", e);
		jv_free(x);
	}
	return out;
}

/* rec's trainings (rec consumed) with course expiring on expires, unless it
 * expires later already. */
static jv renew(jv rec, const char *course, const char *expires)
{
	char had[11];
	jv tr = jv_object_get(jv_copy(rec), jv_string("trainings"));
	if (jv_get_kind(tr) != JV_KIND_ARRAY) {
		jv_free(tr);
		tr = jv_array();
	}
	expiry_in(tr, course, had);
	if (had[0] && strcmp(had, expires) >= 0) {
		jv_free(tr);
		return rec;
	}
	jv out = jv_array();
	jv_array_foreach (tr, i, x) {
		const char *c = jv_get_str(x, "course");
		if (c && !strcmp(c, course))
			jv_free(x);
		else
			out = jv_array_append(out, x);
	}
	jv_free(tr);
	out = jv_array_append(out, JV_OBJECT(jv_string("course"), jv_string(course),
					     jv_string("expires"), jv_string(expires)));
	return jv_object_set(rec, jv_string("trainings"), out);
}

/* The trainee id (an officer of a bureau), renewed for course when passed
 * (expires not NULL). 0, or 65 (warned) when id is new and no ncb is given. */
static int put_trainee(struct store *s, const struct training_attend_ask *a, const char *id,
		       const char *course, const char *expires)
{
	char reason[128], now[RFC3339_LEN];
	struct buf b = {0};
	jv rec;
	sqlite3_stmt *st = store_stmt(s, SQL_TRAINEE_GET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rec = ndjson_parse((const char *)sqlite3_column_text(st, 0),
				   (size_t)sqlite3_column_bytes(st, 0), reason, sizeof reason);
	else
		rec = jv_invalid();
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, rc, "reading the trainees");
	if (!jv_is_valid(rec)) {
		jv_free(rec);
		if (!a->ncb) {
			warnx("attend %s: '%s' is not on the roster nor a trainee: give an officer "
			      "of a bureau with --ncb (and --name)",
			      a->session, id);
			return CCC_EX_DATAERR;
		}
		rec = JV_OBJECT(jv_string("type"), jv_string("trainee"), jv_string("v"),
				jv_number(RECORD_VERSION), jv_string("id"), jv_string(id),
				jv_string("name"), jv_string(a->name ? a->name : id),
				jv_string("ncb"), jv_string(a->ncb), jv_string("trainings"),
				jv_array());
	} else {
		if (a->ncb)
			rec = jv_object_set(rec, jv_string("ncb"), jv_string(a->ncb));
		if (a->name)
			rec = jv_object_set(rec, jv_string("name"), jv_string(a->name));
	}
	if (expires)
		rec = renew(rec, course, expires);
	json_write(&b, rec);
	clock_format(clock_now(), now);
	st = store_stmt(s, SQL_TRAINEE_PUT);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, jv_get_str(rec, "name"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, jv_get_str(rec, "ncb"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	buf_free(&b);
	jv_free(rec);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "writing the trainees");
}

/* Renew a roster member's course; 0 with *found 0 when id is not on it. */
static int renew_staff(struct store *s, const char *id, const char *course, const char *expires,
		       int *found)
{
	char reason[256];
	sqlite3_stmt *st = store_stmt(s, "SELECT record FROM staff WHERE id = ?1");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	jv rec = rc == SQLITE_ROW
		     ? ndjson_parse((const char *)sqlite3_column_text(st, 0),
				    (size_t)sqlite3_column_bytes(st, 0), reason, sizeof reason)
		     : jv_invalid();
	sqlite3_reset(st);
	*found = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW) {
		jv_free(rec);
		return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the roster");
	}
	if (!jv_is_valid(rec))
		return CCC_EX_SOFTWARE;
	if (!expires) {
		jv_free(rec);
		return 0;
	}
	rec = deploy_staff_normalize(renew(rec, course, expires), reason, sizeof reason);
	if (!jv_is_valid(rec)) {
		warnx("attend: staff '%s': %s", id, reason);
		return CCC_EX_DATAERR;
	}
	int changed;
	return deploy_staff_put(s, rec, 0, &changed);
}

int training_attend(struct store *s, const struct training_attend_ask *a, jv *out, char *why,
		    size_t wn)
{
	char course[TRAINING_NAME_MAX], day[11], expires[11], now[RFC3339_LEN];
	time_t t;
	int64_t seq;
	int rc, passed;
	if (!a->result || (strcmp(a->result, "passed") && strcmp(a->result, "failed")))
		return refuse(why, wn, "give --result passed or failed%s", "");
	passed = !strcmp(a->result, "passed");
	if (a->ncb && !valid_word(a->ncb, 64))
		return refuse(why, wn, "--ncb '%.64s' is not a bureau (e.g. FR, or NCB-Paris)",
			      a->ncb);
	if (a->name && (!*a->name || strlen(a->name) > 127))
		return refuse(why, wn, "--name: give 1 to 127 bytes%s", "");
	for (int i = 0; i < a->npeople; i++)
		if (!valid_word(a->people[i], DEPLOY_ID_MAX))
			return refuse(why, wn,
				      "'%.64s' is not a person's id (letters, digits, '-', '_', "
				      "'.')",
				      a->people[i]);
	if ((rc = store_begin(s)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, SQL_GET);
	sqlite3_bind_text(st, 1, a->session, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(course, sizeof course, "%s", sqlite3_column_text(st, 0));
		snprintf(day, sizeof day, "%s", sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE) {
			warnx("session '%s' is not in store '%s'", a->session, store_path(s));
			rc = CCC_EX_NOINPUT;
		} else {
			rc = store_error(s, rc, "reading the sessions");
		}
		goto fail;
	}
	const struct training_entry *e = training_course(training_course_slot(course));
	if (!e || deploy_parse_when(day, 0, &t) < 0) {
		warnx("attend %s: its course '%s' is no longer in the catalogue", a->session,
		      course);
		rc = CCC_EX_DATAERR;
		goto fail;
	}
	if (t > clock_now()) {
		warnx("attend %s: the session is on %s: record results once it is held", a->session,
		      day);
		rc = CCC_EX_DATAERR;
		goto fail;
	}
	/* valid_months from the day of the session, through the day before */
	deploy_format_day(deploy_add_months(t, e->valid_months) - 86400, expires);
	clock_format(clock_now(), now);
	for (int i = 0; i < a->npeople; i++) {
		const char *id = a->people[i];
		int found;
		if ((rc = renew_staff(s, id, course, passed ? expires : NULL, &found)))
			goto fail;
		if (!found && (rc = put_trainee(s, a, id, course, passed ? expires : NULL)))
			goto fail;
		st = store_stmt(s, SQL_ATTEND);
		sqlite3_bind_text(st, 1, a->session, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, a->result, -1, SQLITE_STATIC);
		if (passed)
			sqlite3_bind_text(st, 4, expires, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
			rc = store_error(s, rc, "writing the attendance");
			goto fail;
		}
	}
	if ((rc = one_session(s, a->session, out)))
		goto fail;
	if ((rc = store_commit(s, &seq)))
		jv_free(*out);
	return rc;
fail:
	store_rollback(s);
	return rc;
}

/* A course a person must retake: the person's site, when it expires, and
 * which (person * TRAINING_SLOTS + course). */
struct due_item {
	const char *site;
	time_t until;
	size_t i;
};

static int by_site_then_expiry(const void *x, const void *y)
{
	const struct due_item *a = x, *b = y;
	int c = strcmp(a->site, b->site);
	if (c)
		return c;
	if (a->until != b->until)
		return a->until < b->until ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

int training_due(struct store *s, time_t now, time_t within, jv *due, jv *plan)
{
	struct deploy_person *people;
	struct due_item *items = NULL;
	size_t n, m = 0;
	char today[11];
	int rc = deploy_staff_load(s, now, &people, &n);
	if (rc)
		return rc;
	deploy_format_day(now, today);
	/* the refresher plan looks a quarter ahead, or further with within */
	time_t horizon = deploy_add_months(now, 3);
	if (horizon < now + within)
		horizon = now + within;
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < DEPLOY_NTRAININGS; c++) {
			time_t until = people[i].training_until[c];
			if (!until || !training_course(c) || until > horizon)
				continue;
			items = xrealloc(items, (m + 1) * sizeof *items);
			items[m].site = people[i].site;
			items[m].until = until;
			items[m++].i = i * TRAINING_SLOTS + (size_t)c;
		}
	if (m)
		qsort(items, m, sizeof *items, by_site_then_expiry);
	*due = jv_array();
	*plan = jv_array();
	for (size_t k = 0; k < m; k++) {
		const struct deploy_person *p = &people[items[k].i / TRAINING_SLOTS];
		int c = (int)(items[k].i % TRAINING_SLOTS);
		char day[11];
		if (items[k].until > now + within)
			continue;
		deploy_format_day(items[k].until - 1, day);
		long long left = (long long)(items[k].until - now);
		left = left > 0 ? (left + 86399) / 86400 : -((-left) / 86400);
		jv rec = JV_OBJECT(jv_string("type"), jv_string("training_due"), jv_string("v"),
				   jv_number(RECORD_VERSION), jv_string("id"), jv_string(p->id),
				   jv_string("person"), jv_string(p->id));
		rec = jv_object_set(rec, jv_string("name"), jv_string(p->name));
		rec = jv_object_set(rec, jv_string("site"), jv_string(p->site));
		rec = jv_object_set(rec, jv_string("course"), jv_string(training_course_name(c)));
		rec = jv_object_set(rec, jv_string("expires"), jv_string(day));
		rec = jv_object_set(rec, jv_string("days_left"), jv_number((double)left));
		rec = jv_object_set(rec, jv_string("status"),
				    jv_string(items[k].until <= now ? "expired" : "due"));
		*due = jv_array_append(*due, rec);
	}
	/* the refresher plan: a record per course and site, first expiry first */
	for (int c = 0; c < DEPLOY_NTRAININGS && !rc; c++) {
		const char *site = NULL;
		jv who = jv_null();
		char before[11] = "";
		for (size_t k = 0; k <= m; k++) {
			int end = k == m;
			if (!end && (int)(items[k].i % TRAINING_SLOTS) != c)
				continue;
			if (site && (end || strcmp(site, items[k].site) != 0)) {
				char planned[96] = "";
				sqlite3_stmt *st = store_stmt(s, SQL_PLANNED);
				sqlite3_bind_text(st, 1, training_course_name(c), -1,
						  SQLITE_STATIC);
				sqlite3_bind_text(st, 2, site, -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 3, today, -1, SQLITE_STATIC);
				int r = sqlite3_step(st);
				if (r == SQLITE_ROW)
					snprintf(planned, sizeof planned, "%s",
						 sqlite3_column_text(st, 0));
				sqlite3_reset(st);
				if (r != SQLITE_ROW && r != SQLITE_DONE) {
					rc = store_error(s, r, "reading the sessions");
					jv_free(who);
					break;
				}
				char rid[160];
				snprintf(rid, sizeof rid, "refresher-%s-%s",
					 training_course_name(c), site);
				jv rec = JV_OBJECT(
				    jv_string("type"), jv_string("refresher"), jv_string("v"),
				    jv_number(RECORD_VERSION), jv_string("id"), jv_string(rid),
				    jv_string("course"), jv_string(training_course_name(c)),
				    jv_string("site"), jv_string(site));
				rec = jv_object_set(rec, jv_string("people"), who);
				rec = jv_object_set(rec, jv_string("before"), jv_string(before));
				rec = jv_object_set(rec, jv_string("session"),
						    planned[0] ? jv_string(planned) : jv_null());
				*plan = jv_array_append(*plan, rec);
				site = NULL;
				who = jv_null();
			}
			if (end)
				break;
			if (!site) {
				site = items[k].site;
				who = jv_array();
				deploy_format_day(items[k].until - 1, before);
			}
			who =
			    jv_array_append(who, jv_string(people[items[k].i / TRAINING_SLOTS].id));
		}
		jv_free(who);
	}
	free(items);
	free(people);
	if (rc) {
		jv_free(*due);
		jv_free(*plan);
	}
	return rc;
}
