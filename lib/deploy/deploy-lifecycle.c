/*
 * deploy-lifecycle.c: storing plans, approving them, and the life of a
 * deployment.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/records.h"
#include "ccc/clock.h"
#include "ccc/deploy-lifecycle.h"
#include "ccc/deploy-plan.h"
#include "ccc/deploy-roster.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/opts.h"

static const char *const SQL_PLAN_NEXT = "SELECT max(coalesce(max(n), 0), ?1) + 1 FROM plans";
static const char *const SQL_PLAN_PUT =
    "INSERT INTO plans(id, n, status, record, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char *const SQL_PLAN_GET = "SELECT status, record FROM plans WHERE id = ?1";
static const char *const SQL_PLAN_SET = "UPDATE plans SET status = ?2, record = ?3 WHERE id = ?1";
static const char *const SQL_DEP_NEXT = "SELECT max(coalesce(max(n), 0), ?1) + 1 FROM deployments";
static const char *const SQL_DEP_PUT =
    "INSERT INTO deployments(id, n, plan, status, starts_at, ends_at, record, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char *const SQL_DEP_GET = "SELECT record FROM deployments WHERE id = ?1";
static const char *const SQL_DEP_SET =
    "UPDATE deployments SET status = ?2, ends_at = ?3, record = ?4, updated_at = ?5 WHERE id = ?1";
static const char *const SQL_DEP_LIST =
    "SELECT record FROM deployments WHERE ?1 OR status IN ('approved', 'active')"
    " ORDER BY starts_at, n";
static const char *const SQL_BOOK =
    "INSERT INTO assignments(staff, deployment, starts_at, ends_at) VALUES (?1, ?2, ?3, ?4)";
static const char *const SQL_REBOOK = "UPDATE assignments SET ends_at = ?2 WHERE deployment = ?1";
static const char *const SQL_LOG =
    "INSERT INTO deployment_log(e, deployment, ts, actor, action, detail)"
    " VALUES ((SELECT max(coalesce(max(e), 0), ccc_id_floor('deployment_log')) + 1"
    " FROM deployment_log), ?1, ?2, ?3, ?4, ?5)";
static const char *const SQL_LOG_GET =
    "SELECT ts, actor, action, detail FROM deployment_log WHERE deployment = ?1 ORDER BY e";

static jv parse_record(sqlite3_stmt *st, int col)
{
	char reason[128];
	return ndjson_parse((const char *)sqlite3_column_text(st, col),
			    (size_t)sqlite3_column_bytes(st, col), reason, sizeof reason);
}

static int next_number(struct store *s, const char *sql, const char *table, long long *n)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	sqlite3_bind_int64(st, 1, store_id_floor(s, table)); /* never reuse a rewound id */
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return store_error(s, rc, "numbering");
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* Who did what to id, in the log. */
static int log_action(struct store *s, const char *id, const char *action, const char *detail)
{
	return store_log_action(s, SQL_LOG, id, action, detail, "logging a deployment action");
}

int deploy_plan_save(struct store *s, jv plan, jv *out)
{
	char id[96], now[RFC3339_LEN];
	long long n;
	struct buf b = {0};
	int rc = next_number(s, SQL_PLAN_NEXT, "plans", &n);
	if (rc) {
		jv_free(plan);
		return rc;
	}
	snprintf(id, sizeof id, "plan-%s-%lld", store_site(s), n);
	clock_format(clock_now(), now);
	/* id first, as in every record */
	jv rec = JV_OBJECT(jv_string("type"), jv_string("plan"), jv_string("v"),
			   jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	jv_object_foreach (plan, k, v) {
		rec = jv_object_set(rec, k, v);
	}
	jv_free(plan);
	rec = jv_object_set(rec, jv_string("status"), jv_string("proposed"));
	rec = jv_object_set(rec, jv_string("created_at"), jv_string(now));
	rec = jv_object_set(rec, jv_string("created_by"), jv_string(store_actor(s)));
	json_write(&b, rec);
	sqlite3_stmt *st = store_stmt(s, SQL_PLAN_PUT);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, "proposed", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	buf_free(&b);
	if (rc != SQLITE_DONE) {
		jv_free(rec);
		return store_error(s, rc, "storing the plan");
	}
	*out = rec;
	return 0;
}

int deploy_plan_get(struct store *s, const char *id, jv *plan)
{
	sqlite3_stmt *st = store_stmt(s, SQL_PLAN_GET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*plan = parse_record(st, 1);
		sqlite3_reset(st);
		return jv_is_valid(*plan) ? 0 : CCC_EX_SOFTWARE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "reading the plans");
	warnx("plan '%s' is not in store '%s'", id, store_path(s));
	return CCC_EX_NOINPUT;
}

int deploy_get(struct store *s, const char *id, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_DEP_GET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, rc, "reading the deployments");
		warnx("deployment '%s' is not in store '%s'", id, store_path(s));
		return CCC_EX_NOINPUT;
	}
	jv rec = parse_record(st, 0);
	sqlite3_reset(st);
	if (!jv_is_valid(rec))
		return CCC_EX_SOFTWARE;
	jv log;
	if ((rc = records_log(s, SQL_LOG_GET, id, "reading the deployment log", &log))) {
		jv_free(rec);
		return rc;
	}
	*out = jv_object_set(rec, jv_string("log"), log);
	return 0;
}

int deploy_list(struct store *s, int all, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_DEP_LIST);
	if (st)
		sqlite3_bind_int(st, 1, all);
	return records_list(s, st, "reading the deployments", out);
}

/* The request a plan or deployment record was made for, over [from, to). */
static void request_of(jv rec, time_t from, time_t to, struct deploy_request *rq)
{
	const char *kind = jv_get_str(rec, "kind");
	memset(rq, 0, sizeof *rq);
	rq->kind = kind && !strcmp(kind, "imest") ? DEPLOY_IMEST : DEPLOY_IRT;
	rq->from = from;
	rq->to = to;
	jv needs = jv_object_get(jv_copy(rec), jv_string("needs"));
	jv tr = jv_object_get(jv_copy(needs), jv_string("trainings"));
	if (jv_get_kind(tr) == JV_KIND_ARRAY) {
		jv_array_foreach (tr, i, x) {
			int k = jv_get_kind(x) == JV_KIND_STRING
				    ? deploy_training_by_name(jv_string_value(x))
				    : -1;
			if (k >= 0)
				rq->require |= 1u << k;
			jv_free(x);
		}
	}
	jv_free(tr);
	jv_free(needs);
}

static struct deploy_person *person_by_id(struct deploy_person *p, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(p[i].id, id))
			return &p[i];
	return NULL;
}

/*
 * Check every member of rec for [from, to), ignoring bookings of the
 * deployment skip. Returns 0, 65 (the reasons printed) or an exit code.
 */
static int recheck(struct store *s, jv rec, time_t from, time_t to, const char *skip,
		   const char *what)
{
	struct deploy_person *people = NULL;
	struct deploy_request rq;
	size_t n = 0;
	int rc = deploy_staff_load(s, from, &people, &n), bad = 0;
	if (rc)
		return rc;
	request_of(rec, from, to, &rq);
	jv members = jv_object_get(jv_copy(rec), jv_string("members"));
	if (jv_get_kind(members) == JV_KIND_ARRAY) {
		jv_array_foreach (members, i, m) {
			const char *id = jv_get_str(m, "staff");
			char why[1024];
			struct deploy_person *p = id ? person_by_id(people, n, id) : NULL;
			if (!p) {
				warnx("%s: staff '%s' is no longer on the roster", what,
				      id ? id : "?");
				bad = 1;
			} else if (deploy_check_person(&rq, p, skip, why, sizeof why)) {
				warnx("%s: %s: %s", what, id, why);
				bad = 1;
			}
			jv_free(m);
		}
	}
	jv_free(members);
	free(people);
	return bad ? CCC_EX_DATAERR : 0;
}

static int save_deployment(struct store *s, const char *id, const char *status, jv rec)
{
	struct buf b = {0};
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	json_write(&b, rec);
	sqlite3_stmt *st = store_stmt(s, SQL_DEP_SET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, jv_get_str(rec, "ends_at"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	buf_free(&b);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "updating the deployment");
}

int deploy_approve(struct store *s, const char *plan_id, jv *out, struct rerun *again)
{
	char id[96], now[RFC3339_LEN], what[160];
	time_t from, to, tnow = clock_now();
	long long n;
	jv plan;
	struct buf b = {0};
	int rc;

	again->done = 0;
	if ((rc = deploy_plan_get(s, plan_id, &plan)))
		return rc;
	const char *status = jv_get_str(plan, "status");
	const char *starts = jv_get_str(plan, "starts_at"), *ends = jv_get_str(plan, "ends_at");
	snprintf(what, sizeof what, "cannot approve plan '%s'", plan_id);
	if (status && !strcmp(status, "approved") && jv_get_str(plan, "deployment")) {
		/* approved already: its deployment, as it is now */
		snprintf(again->why, sizeof again->why, "plan '%s' is approved already (%s)",
			 plan_id, jv_get_str(plan, "deployment"));
		rc = deploy_get(s, jv_get_str(plan, "deployment"), out);
		jv_free(plan);
		if (!rc) {
			*out = jv_object_delete(*out, jv_string("log"));
			again->done = 1;
		}
		return rc;
	}
	if (status && strcmp(status, "proposed") != 0) {
		const char *dep = jv_get_str(plan, "deployment");
		warnx("%s: it is %s%s%s", what, status, dep ? " as " : "", dep ? dep : "");
		jv_free(plan);
		return CCC_EX_DATAERR;
	}
	if (!starts || !ends || clock_parse(starts, &from) || clock_parse(ends, &to)) {
		warnx("%s: its period is not readable", what);
		jv_free(plan);
		return CCC_EX_DATAERR;
	}
	if (jv_get_kind(jv_object_get(jv_copy(plan), jv_string("feasible"))) == JV_KIND_FALSE) {
		warnx("%s: it has no team", what);
		jv_free(plan);
		return CCC_EX_DATAERR;
	}
	if (to <= tnow) {
		warnx("%s: its period ended at %s", what, ends);
		jv_free(plan);
		return CCC_EX_DATAERR;
	}
	/* what was true when the plan was made may not be now */
	if ((rc = recheck(s, plan, from, to, NULL, what)) ||
	    (rc = next_number(s, SQL_DEP_NEXT, "deployments", &n))) {
		jv_free(plan);
		return rc;
	}
	snprintf(id, sizeof id, "dep-%s-%lld", store_site(s), n);
	clock_format(tnow, now);
	jv rec = JV_OBJECT(jv_string("type"), jv_string("deployment"), jv_string("v"),
			   jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	static const char *const copied[] = {"kind",  "for",     "country", "starts_at", "ends_at",
					     "needs", "members", "unmet",   "complete",  NULL};
	rec = jv_object_set(rec, jv_string("plan"), jv_string(plan_id));
	for (int i = 0; copied[i]; i++)
		rec = jv_object_set(rec, jv_string(copied[i]),
				    jv_object_get(jv_copy(plan), jv_string(copied[i])));
	rec = jv_object_set(rec, jv_string("status"), jv_string("approved"));
	rec = jv_object_set(rec, jv_string("approved_at"), jv_string(now));
	rec = jv_object_set(rec, jv_string("approved_by"), jv_string(store_actor(s)));
	json_write(&b, rec);
	sqlite3_stmt *st = store_stmt(s, SQL_DEP_PUT);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, plan_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, "approved", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, starts, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ends, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, now, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "storing the deployment");
		goto out;
	}
	jv members = jv_object_get(jv_copy(plan), jv_string("members"));
	rc = 0;
	if (jv_get_kind(members) == JV_KIND_ARRAY) {
		jv_array_foreach (members, i, m) {
			st = store_stmt(s, SQL_BOOK);
			sqlite3_bind_text(st, 1, jv_get_str(m, "staff"), -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, starts, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, ends, -1, SQLITE_STATIC);
			int r = sqlite3_step(st);
			jv_free(m);
			if (r != SQLITE_DONE && !rc)
				rc = store_error(s, r, "booking the team");
		}
	}
	jv_free(members);
	if (rc)
		goto out;
	plan = jv_object_set(plan, jv_string("status"), jv_string("approved"));
	plan = jv_object_set(plan, jv_string("deployment"), jv_string(id));
	b.len = 0;
	json_write(&b, plan);
	st = store_stmt(s, SQL_PLAN_SET);
	sqlite3_bind_text(st, 1, plan_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, "approved", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, b.p, (int)b.len, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "updating the plan");
		goto out;
	}
	if ((rc = log_action(s, id, "approved", plan_id)))
		goto out;
	*out = rec;
	rec = jv_invalid();
out:
	jv_free(rec);
	jv_free(plan);
	buf_free(&b);
	return rc;
}

/*
 * Whether action on deployment rec (status was, ending at ends) is done
 * already: 1 when it is (again->why says so), 0 when not, 65 when it was
 * done with another reason.
 */
static int already(jv rec, const char *id, const char *was, const char *action, time_t ends,
		   time_t to, const char *reason, struct rerun *again)
{
	char end[RFC3339_LEN];
	if (!strcmp(action, "extend")) {
		if (to != ends || (strcmp(was, "approved") != 0 && strcmp(was, "active") != 0))
			return 0;
		clock_format(ends, end);
		snprintf(again->why, sizeof again->why, "deployment '%s' ends at %s already", id,
			 end);
		again->done = 1;
		return 1;
	}
	const char *made = !strcmp(action, "start")    ? "active"
			   : !strcmp(action, "end")    ? "ended"
			   : !strcmp(action, "recall") ? "recalled"
						       : NULL;
	if (!made || strcmp(was, made) != 0)
		return 0;
	const char *had = jv_get_str(rec, "reason");
	if (reason && (!had || strcmp(had, reason) != 0)) {
		warnx("cannot %s deployment '%s': it is %s already, %s%s%s", action, id, was,
		      had ? "for another reason: '" : "with no reason", had ? had : "",
		      had ? "'" : "");
		return CCC_EX_DATAERR;
	}
	snprintf(again->why, sizeof again->why, "deployment '%s' is %s already (%s %s)", id, was,
		 !strcmp(was, "active") ? "since" : "at",
		 jv_get_str(rec, !strcmp(was, "active") ? "started_at" : "ended_at")
		     ? jv_get_str(rec, !strcmp(was, "active") ? "started_at" : "ended_at")
		     : "?");
	again->done = 1;
	return 1;
}

int deploy_act(struct store *s, const char *id, const char *action, time_t to, const char *reason,
	       jv *out, struct rerun *again)
{
	char now[RFC3339_LEN], end[RFC3339_LEN], what[160];
	time_t tnow = clock_now(), from, ends;
	jv rec;
	int rc;

	again->done = 0;
	if ((rc = deploy_get(s, id, &rec)))
		return rc;
	rec = jv_object_delete(rec, jv_string("log"));
	const char *status = jv_get_str(rec, "status");
	char was[16];
	snprintf(was, sizeof was, "%s", status ? status : "?");
	snprintf(what, sizeof what, "cannot %s deployment '%s'", action, id);
	if (clock_parse(jv_get_str(rec, "starts_at") ? jv_get_str(rec, "starts_at") : "", &from) ||
	    clock_parse(jv_get_str(rec, "ends_at") ? jv_get_str(rec, "ends_at") : "", &ends)) {
		warnx("%s: its period is not readable", what);
		jv_free(rec);
		return CCC_EX_DATAERR;
	}
	if ((rc = already(rec, id, was, action, ends, to, reason, again)) != 0) {
		if (rc == 1) {
			*out = rec;
			return 0;
		}
		jv_free(rec);
		return rc;
	}
	clock_format(tnow, now);
	int ok = !strcmp(action, "start") ? !strcmp(was, "approved")
		 : !strcmp(action, "end") ? !strcmp(was, "active")
					  : !strcmp(was, "approved") || !strcmp(was, "active");
	if (!ok) {
		warnx("%s: it is %s%s", what, was,
		      !strcmp(action, "end") && !strcmp(was, "approved")
			  ? " and has not started (recall it instead)"
			  : "");
		jv_free(rec);
		return CCC_EX_DATAERR;
	}
	const char *status_to = was;
	char detail[160] = "";
	if (!strcmp(action, "start")) {
		/* the training may have lapsed since the approval */
		if ((rc = recheck(s, rec, from > tnow ? from : tnow, ends, id, what))) {
			jv_free(rec);
			return rc;
		}
		status_to = "active";
		rec = jv_object_set(rec, jv_string("started_at"), jv_string(now));
	} else if (!strcmp(action, "extend")) {
		char old[RFC3339_LEN];
		clock_format(ends, old);
		clock_format(to, end);
		if (to <= ends) {
			warnx("%s: --to %s is not after its end, %s", what, end, old);
			jv_free(rec);
			return CCC_EX_DATAERR;
		}
		if ((rc = recheck(s, rec, ends, to, id, what))) {
			jv_free(rec);
			return rc;
		}
		rec = jv_object_set(rec, jv_string("ends_at"), jv_string(end));
		snprintf(detail, sizeof detail, "%s -> %s", old, end);
	} else { /* end, recall: the bookings stop now (or never began) */
		status_to = !strcmp(action, "end") ? "ended" : "recalled";
		time_t cut = tnow < ends ? tnow : ends;
		if (cut < from)
			cut = from;
		clock_format(cut, end);
		rec = jv_object_set(rec, jv_string("ended_at"), jv_string(now));
		if (reason)
			rec = jv_object_set(rec, jv_string("reason"), jv_string(reason));
		snprintf(detail, sizeof detail, "%s", reason ? reason : "");
	}
	rec = jv_object_set(rec, jv_string("status"), jv_string(status_to));
	if ((rc = save_deployment(s, id, status_to, rec))) {
		jv_free(rec);
		return rc;
	}
	if (strcmp(action, "start") != 0) {
		sqlite3_stmt *st = store_stmt(s, SQL_REBOOK);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, end, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
			jv_free(rec);
			return store_error(s, rc, "updating the bookings");
		}
	}
	static const char *const done[][2] = {
	    {"start", "started"}, {"extend", "extended"}, {"end", "ended"}, {"recall", "recalled"}};
	const char *logged = action;
	for (size_t i = 0; i < sizeof done / sizeof done[0]; i++)
		if (!strcmp(action, done[i][0]))
			logged = done[i][1];
	if ((rc = log_action(s, id, logged, detail[0] ? detail : NULL))) {
		jv_free(rec);
		return rc;
	}
	*out = rec;
	return 0;
}

int deploy_propose(struct store *s, const struct deploy_request *rq, jv *out, char **impossible,
		   struct deploy_team *team)
{
	struct deploy_person *people;
	size_t n;
	int64_t seq;
	int rc;
	*impossible = NULL;
	if ((rc = store_begin(s)))
		return rc;
	if ((rc = deploy_staff_load(s, rq->from, &people, &n))) {
		store_rollback(s);
		return rc;
	}
	deploy_solve(rq, people, n, team);
	jv rec = deploy_plan_record(rq, people, n, team, impossible);
	free(people);
	if (*impossible) {
		store_rollback(s);
		*out = rec;
		return 1;
	}
	if ((rc = deploy_plan_save(s, rec, &rec))) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, &seq))) {
		jv_free(rec);
		return rc;
	}
	*out = rec;
	return 0;
}

int deploy_change(struct store *s, const char *action, const char *id, time_t to,
		  const char *reason, jv *out, struct rerun *again)
{
	int64_t seq;
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = !strcmp(action, "approve") ? deploy_approve(s, id, out, again)
					: deploy_act(s, id, action, to, reason, out, again);
	if (rc || again->done) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, &seq)))
		jv_free(*out);
	return rc;
}
