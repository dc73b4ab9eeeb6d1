/*
 * duty-handover.c: the brief from one shift to the next (duty-handover.h).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/duty-handover.h"
#include "ccc/duty-store.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/records.h"
#include "ccc/sites.h"

static const char *const SQL_OPEN =
    "SELECT json_object('id', id, 'priority', priority, 'category', category, 'due_at', due_at,"
    " 'status', status, 'assignee', assignee) FROM queue"
    " WHERE status <> 'closed' AND due_at >= ?1 ORDER BY due_at, n";
static const char *const SQL_OVERDUE =
    "SELECT json_object('id', id, 'priority', priority, 'category', category, 'due_at', due_at,"
    " 'status', status, 'assignee', assignee) FROM queue"
    " WHERE status <> 'closed' AND due_at < ?1 ORDER BY due_at, n";
static const char *const SQL_CASES =
    "SELECT json_object('id', c.id, 'kind', c.kind, 'status', c.status, 'title', c.title,"
    " 'owner', c.owner, 'next_deadline', t.due_at, 'next_task', t.title) FROM cases c"
    " LEFT JOIN case_tasks t ON t.id = (SELECT id FROM case_tasks x WHERE x.case_id = c.id"
    " AND x.status NOT IN ('done', 'closed', 'cancelled') AND x.due_at IS NOT NULL"
    " ORDER BY x.due_at, x.n LIMIT 1)"
    " WHERE c.status NOT IN ('closed', 'done', 'cancelled', 'archived')"
    " ORDER BY t.due_at IS NULL, t.due_at, c.n";
static const char *const SQL_TEAMS =
    "SELECT json_object('id', d.id, 'status', d.status, 'plan', d.plan, 'starts_at',"
    " d.starts_at, 'ends_at', d.ends_at, 'members', json((SELECT json_group_array(a.staff)"
    " FROM assignments a WHERE a.deployment = d.id))) FROM deployments d"
    " WHERE d.status IN ('approved', 'active') ORDER BY d.starts_at, d.n";
static const char *const SQL_NOTICES =
    "SELECT json_object('id', l.notice, 'kind', n.kind, 'control', n.control, 'at', l.ts,"
    " 'by', l.actor) FROM notice_log l LEFT JOIN notices n ON n.id = l.notice"
    " WHERE l.action = 'publish' AND l.ts >= ?1 AND l.ts <= ?2 ORDER BY l.e";
static const char *const SQL_HAS_SILENCES =
    "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'silences'";
static const char *const SQL_SILENCES = "SELECT * FROM silences";
static const char *const SQL_NEXT =
    "SELECT max(coalesce(max(n), 0), ccc_id_floor('duty_handovers')) + 1 FROM duty_handovers";
static const char *const SQL_PUT =
    "INSERT INTO duty_handovers(id, n, from_site, to_site, at, actor, brief) VALUES"
    " (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char *const SQL_GET =
    "SELECT brief, actor, acked_by, acked_at FROM duty_handovers WHERE id = ?1";
static const char *const SQL_ACK =
    "UPDATE duty_handovers SET acked_by = ?2, acked_at = ?3 WHERE id = ?1";

/* The records of sql, with ?1 and ?2 bound to a and b (NULL: unbound). */
static int list(struct store *s, const char *sql, const char *a, const char *b, const char *what,
		jv *out)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	return records_list(s, st, what, out);
}

/* A row's value as JSON. */
static jv column_jv(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER: return jv_number((double)sqlite3_column_int64(st, i));
	case SQLITE_FLOAT: return jv_number(sqlite3_column_double(st, i));
	case SQLITE_NULL: return jv_null();
	case SQLITE_BLOB: return jv_string("(binary)");
	default: return jv_string((const char *)sqlite3_column_text(st, i));
	}
}

/* 1 when a silence row has ended before now (by a column that says when it
 * ends: until, ends_at, expires_at). */
static int silence_over(jv row, const char *now)
{
	static const char *const ends[] = {"until", "ends_at", "expires_at", "to"};
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		const char *v = jv_get_str(row, ends[i]);
		if (v && *v && strcmp(v, now) <= 0)
			return 1;
	}
	return 0;
}

/* The silences in force, when the store has a silences table (migration 12);
 * *out left invalid when it has none. */
static int silences(struct store *s, const char *now, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_HAS_SILENCES);
	int has = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	*out = jv_invalid();
	if (!has)
		return 0;
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_db(s), SQL_SILENCES, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "reading the silences");
	jv a = jv_array();
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		jv row = jv_object();
		for (int i = 0; i < sqlite3_column_count(q); i++)
			row = jv_object_set(row, jv_string(sqlite3_column_name(q, i)),
					    column_jv(q, i));
		if (silence_over(row, now))
			jv_free(row);
		else
			a = jv_array_append(a, row);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		jv_free(a);
		return store_error(s, rc, "reading the silences");
	}
	*out = a;
	return 0;
}

static jv opt_string(const char *v)
{
	return v ? jv_string(v) : jv_null();
}

/* The brief's sections, read from the store. */
static int brief_sections(struct store *s, const char *since, const char *now, jv *r)
{
	static const struct {
		const char *key, *sql, *what;
		int since;
	} parts[] = {
	    {"open", SQL_OPEN, "open items", 0},    {"overdue", SQL_OVERDUE, "overdue items", 0},
	    {"cases", SQL_CASES, "open cases", 0},  {"teams", SQL_TEAMS, "teams in the field", 0},
	    {"notices", SQL_NOTICES, "notices", 1},
	};
	int rc;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		jv a;
		if ((rc = list(s, parts[i].sql, parts[i].since ? since : now,
			       parts[i].since ? now : NULL, parts[i].what, &a)))
			return rc;
		*r = jv_object_set(*r, jv_string(parts[i].key), a);
	}
	jv sites;
	if ((rc = sites_status(s, &sites)))
		return rc;
	jv brief = jv_array();
	jv_array_foreach (sites, i, x) {
		static const char *const keep[] = {"site",           "self",      "role",
						   "epoch",          "time_zone", "heartbeat",
						   "last_heartbeat", "lag",       NULL};
		jv y = jv_object();
		for (int k = 0; keep[k]; k++) {
			jv v = jv_object_get(jv_copy(x), jv_string(keep[k]));
			if (jv_is_valid(v))
				y = jv_object_set(y, jv_string(keep[k]), v);
			else
				jv_free(v);
		}
		brief = jv_array_append(brief, y);
		jv_free(x);
	}
	jv_free(sites);
	*r = jv_object_set(*r, jv_string("sites"), brief);
	jv sil;
	if ((rc = silences(s, now, &sil)))
		return rc;
	if (jv_is_valid(sil))
		*r = jv_object_set(*r, jv_string("silences"), sil);
	else
		jv_free(sil);
	return 0;
}

int duty_handover_write(struct store *s, const char *from_site, const char *to_site, time_t since,
			time_t now, jv *out)
{
	char at[RFC3339_LEN], from[RFC3339_LEN], id[48];
	const char *actor = store_actor(s) ? store_actor(s) : "unknown";
	clock_format(now, at);
	clock_format(since, from);
	sqlite3_stmt *st = store_stmt(s, SQL_NEXT);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_error(s, rc, "numbering a handover");
	}
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(id, sizeof id, "handover-%lld", n);
	jv r = JV_OBJECT(jv_string("type"), jv_string("handover"), jv_string("v"),
			 jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	r = jv_object_set(r, jv_string("n"), jv_number((double)n));
	r = jv_object_set(r, jv_string("at"), jv_string(at));
	r = jv_object_set(r, jv_string("since"), jv_string(from));
	r = jv_object_set(r, jv_string("from_site"), opt_string(from_site));
	r = jv_object_set(r, jv_string("to_site"), opt_string(to_site));
	r = jv_object_set(r, jv_string("by"), jv_string(actor));
	if ((rc = brief_sections(s, from, at, &r))) {
		jv_free(r);
		return rc;
	}
	struct buf b = {0};
	json_write(&b, r);
	st = store_stmt(s, SQL_PUT);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, from_site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, to_site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, b.p, (int)b.len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	buf_free(&b);
	if (rc != SQLITE_DONE) {
		jv_free(r);
		return store_error(s, rc, "storing a handover");
	}
	char detail[160];
	snprintf(detail, sizeof detail, "%s to %s", from_site ? from_site : "?",
		 to_site ? to_site : "?");
	if ((rc = duty_log(s, id, "handover", detail))) {
		jv_free(r);
		return rc;
	}
	r = jv_object_set(r, jv_string("acked_by"), jv_null());
	*out = jv_object_set(r, jv_string("acked_at"), jv_null());
	return 0;
}

int duty_handover_ack(struct store *s, const char *id, int *done, jv *out)
{
	const char *actor = store_actor(s) ? store_actor(s) : "unknown";
	char now[RFC3339_LEN];
	sqlite3_stmt *st = store_stmt(s, SQL_GET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, rc, "reading a handover");
		warnx("handover ack: no handover '%s'", id);
		return CCC_EX_NOINPUT;
	}
	jv r = jv_parse((const char *)sqlite3_column_text(st, 0));
	const char *by = (const char *)sqlite3_column_text(st, 1);
	const char *acked = (const char *)sqlite3_column_text(st, 2);
	clock_format(clock_now(), now);
	*done = acked != NULL;
	if (acked) {
		r = jv_object_set(r, jv_string("acked_by"), jv_string(acked));
		r = jv_object_set(r, jv_string("acked_at"),
				  jv_string((const char *)sqlite3_column_text(st, 3)));
		sqlite3_reset(st);
		*out = r;
		return 0;
	}
	if (by && !strcmp(by, actor)) {
		sqlite3_reset(st);
		jv_free(r);
		warnx("handover ack: '%s' gave handover '%s': the incoming officer acknowledges it "
		      "(--as)",
		      actor, id);
		return CCC_EX_NOPERM;
	}
	sqlite3_reset(st);
	st = store_stmt(s, SQL_ACK);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(r);
		return store_error(s, rc, "acknowledging a handover");
	}
	if ((rc = duty_log(s, id, "handover ack", NULL))) {
		jv_free(r);
		return rc;
	}
	r = jv_object_set(r, jv_string("acked_by"), jv_string(actor));
	*out = jv_object_set(r, jv_string("acked_at"), jv_string(now));
	return 0;
}
