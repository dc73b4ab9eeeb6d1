/*
 * case-task.c: the tasks of a case (see case-task.h).
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "ccc/case-task.h"
#include "ccc/case.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/records.h"

static const char *const SQL_NEXT = "SELECT max(coalesce(max(n), 0), ?1) + 1 FROM case_tasks";
static const char *const SQL_PUT =
    "INSERT INTO case_tasks(id, case_id, n, title, status, assignee, due_at, record, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char *const SQL_GET = "SELECT record FROM case_tasks WHERE id = ?1";
static const char *const SQL_SET = "UPDATE case_tasks SET status = ?2, assignee = ?3, record = ?4,"
				   " updated_at = ?5 WHERE id = ?1";
static const char *const SQL_LIST =
    "SELECT record FROM case_tasks WHERE (?1 IS NULL OR case_id = ?1)"
    " AND (?2 = 0 OR status <> 'done') ORDER BY case_id, n";

/* Store rec (consumed) as a task: insert when insert, else update. */
static int put_task(struct store *s, jv rec, int insert, long long n, jv *out)
{
	struct buf b = {0};
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	rec = jv_object_set(rec, jv_string("updated_at"), jv_string(now));
	json_write(&b, rec);
	sqlite3_stmt *st = store_stmt(s, insert ? SQL_PUT : SQL_SET);
	if (!st) {
		buf_free(&b);
		jv_free(rec);
		return CCC_EX_SOFTWARE;
	}
	sqlite3_bind_text(st, 1, jv_get_str(rec, "id"), -1, SQLITE_TRANSIENT);
	if (insert) {
		sqlite3_bind_text(st, 2, jv_get_str(rec, "case"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, n);
		sqlite3_bind_text(st, 4, jv_get_str(rec, "title"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, jv_get_str(rec, "status"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, jv_get_str(rec, "assignee"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, jv_get_str(rec, "due_at"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 8, b.p, (int)b.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_text(st, 2, jv_get_str(rec, "status"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, jv_get_str(rec, "assignee"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, b.p, (int)b.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	}
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	buf_free(&b);
	if (rc != SQLITE_DONE) {
		jv_free(rec);
		return store_error(s, rc, "storing the task");
	}
	*out = rec;
	return 0;
}

int case_task_add(struct store *s, const char *case_id, const char *title, const char *assignee,
		  const char *due_at, jv *out)
{
	char id[96], now[RFC3339_LEN], detail[512];
	jv c;
	int rc = case_get(s, case_id, &c);
	if (rc)
		return rc;
	const char *status = jv_get_str(c, "status");
	if (status && !strcmp(status, "closed")) {
		warnx("case '%s' is closed: reopen it to add a task", case_id);
		jv_free(c);
		return CCC_EX_DATAERR;
	}
	jv_free(c);
	sqlite3_stmt *st = store_stmt(s, SQL_NEXT);
	if (!st)
		return CCC_EX_SOFTWARE;
	sqlite3_bind_int64(st, 1, store_id_floor(s, "case_tasks"));
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_error(s, rc, "numbering the task");
	}
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(id, sizeof id, "task-%s-%lld", store_site(s), n);
	clock_format(clock_now(), now);
	const char *actor = store_actor(s) ? store_actor(s) : "";
	jv r =
	    JV_OBJECT(jv_string("type"), jv_string("task"), jv_string("v"),
		      jv_number(RECORD_VERSION), jv_string("id"), jv_string(id), jv_string("case"),
		      jv_string(case_id), jv_string("title"), jv_string(title), jv_string("status"),
		      jv_string(assignee ? "taken" : "open"));
	r = jv_object_set(r, jv_string("assignee"), assignee ? jv_string(assignee) : jv_null());
	r = jv_object_set(r, jv_string("due_at"), due_at ? jv_string(due_at) : jv_null());
	r = jv_object_set(r, jv_string("created_by"), jv_string(actor));
	r = jv_object_set(r, jv_string("created_at"), jv_string(now));
	if ((rc = put_task(s, r, 1, n, out)))
		return rc;
	snprintf(detail, sizeof detail, "%s: %s%s%s", id, title, assignee ? " (to " : "",
		 assignee ? assignee : "");
	if (assignee)
		strncat(detail, ")", sizeof detail - strlen(detail) - 1);
	if ((rc = case_log(s, case_id, "task add", detail))) {
		jv_free(*out);
		return rc;
	}
	return 0;
}

static int get_task(struct store *s, const char *id, jv *out)
{
	return records_get(s, SQL_GET, "task", "tasks", id, out);
}

int case_task_act(struct store *s, const char *id, const char *action, struct rerun *again, jv *out)
{
	char now[RFC3339_LEN], detail[512], logged[32];
	jv rec;
	int rc = get_task(s, id, &rec);
	if (rc)
		return rc;
	const char *actor = store_actor(s) ? store_actor(s) : "";
	const char *status = jv_get_str(rec, "status");
	const char *holder = jv_get_str(rec, "assignee");
	char who[256];
	snprintf(who, sizeof who, "%s", holder ? holder : "");
	int held_by_other = status && !strcmp(status, "taken") && holder && strcmp(holder, actor);
	snprintf(detail, sizeof detail, "%s", id);
	snprintf(logged, sizeof logged, "task %s", action);
	if (!strcmp(action, "done")) {
		if (status && !strcmp(status, "done")) {
			again->done = 1;
			snprintf(again->why, sizeof again->why, "task '%s' is done already", id);
			*out = rec;
			return 0;
		}
		clock_format(clock_now(), now);
		rec = jv_object_set(rec, jv_string("status"), jv_string("done"));
		rec = jv_object_set(rec, jv_string("done_by"), jv_string(actor));
		rec = jv_object_set(rec, jv_string("done_at"), jv_string(now));
	} else {
		if (status && !strcmp(status, "done")) {
			warnx("task '%s' is done: there is nothing to take", id);
			jv_free(rec);
			return CCC_EX_DATAERR;
		}
		if (!strcmp(action, "take") && held_by_other) {
			warnx("task '%s' is taken by %s: take it over with --steal (the steal is "
			      "logged)",
			      id, who);
			jv_free(rec);
			return CCC_EX_TEMPFAIL;
		}
		if (status && !strcmp(status, "taken") && holder && !strcmp(holder, actor)) {
			again->done = 1;
			snprintf(again->why, sizeof again->why, "task '%s' is taken by %s already",
				 id, actor);
			*out = rec;
			return 0;
		}
		if (!strcmp(action, "steal") && held_by_other)
			snprintf(detail, sizeof detail, "%s: from %s", id, who);
		else
			snprintf(logged, sizeof logged, "task take");
		rec = jv_object_set(rec, jv_string("status"), jv_string("taken"));
		rec = jv_object_set(rec, jv_string("assignee"), jv_string(actor));
	}
	char case_id[128];
	snprintf(case_id, sizeof case_id, "%s",
		 jv_get_str(rec, "case") ? jv_get_str(rec, "case") : "");
	if ((rc = put_task(s, rec, 0, 0, out)))
		return rc;
	if ((rc = case_log(s, case_id, logged, detail))) {
		jv_free(*out);
		return rc;
	}
	return 0;
}

int case_task_list(struct store *s, const char *case_id, int open_only, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_LIST);
	if (st) {
		sqlite3_bind_text(st, 1, case_id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 2, open_only);
	}
	return records_list(s, st, "listing the tasks", out);
}
