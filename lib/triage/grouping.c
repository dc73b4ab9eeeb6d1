/*
 * grouping.c: one queue item for the messages about one incident.
 */
#include <stdio.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/correlate.h"
#include "ccc/exit.h"
#include "ccc/grouping.h"
#include "ccc/queue.h"

/* its received_at is the entity index's (correlate_first_peer): the record
 * is not read (it was, and parsed whole, for each message of a flood) */
static const char *const SQL_CANDIDATE =
    "SELECT q.status, q.id FROM queue q"
    " WHERE q.n = ?1 AND NOT EXISTS (SELECT 1 FROM queue_groups g WHERE g.n = q.n)";
static const char *const SQL_RECEIVED = "SELECT record ->> '$.received_at' FROM messages"
					" WHERE n = ?1";
static const char *const SQL_INCIDENT_MESSAGES =
    "SELECT item FROM case_links WHERE case_id = ?1 AND kind = 'message' ORDER BY linked_at";
/* An upsert, not INSERT OR REPLACE: a replace may delete a row before a
 * NOT NULL check aborts the statement, so SQLite keeps a statement journal
 * for it, and each 16 KiB page the transaction had written already was
 * copied there first: some 30,000 instructions a message joining a group
 * (a flood of 20,000 spent 0.6G of its 8.8G on them). The row is the same. */
static const char *const SQL_GROUP =
    "INSERT INTO queue_groups(n, leader, grouped_at, key) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (n) DO UPDATE SET leader = excluded.leader,"
    " grouped_at = excluded.grouped_at, key = excluded.key";
/* the leader's id, for the log: its record was read and parsed for it */
static const char *const SQL_LEADER_ID = "SELECT id FROM messages WHERE n = ?1";
static const char *const SQL_RAISE =
    "UPDATE queue SET priority = ?2, due_at = min(due_at, ?3), updated_at = ?4"
    " WHERE n = ?1 AND priority > ?2";

/* What can_lead judges against: the joining message's time and window. */
struct lead {
	time_t received;
	long window;
	int64_t leader;
};

/* 1 when message item (received at at; NULL: read from its record) may lead
 * a group that a message received at received joins: its queue item is
 * open or taken, leads no other group, and it came within window. */
static int can_lead(struct store *s, const char *item, const char *at, void *arg)
{
	struct lead *l = arg;
	int64_t n = queue_parse_id(item);
	int yes = 0;
	if (n < 0)
		return 0;
	sqlite3_stmt *st = store_stmt(s, SQL_CANDIDATE);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, n);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		const char *mid = (const char *)sqlite3_column_text(st, 1);
		yes = mid && !strcmp(mid, item) && status &&
		      (!strcmp(status, "open") || !strcmp(status, "taken"));
	}
	sqlite3_reset(st);
	sqlite3_stmt *r = yes && !at ? store_stmt(s, SQL_RECEIVED) : NULL;
	if (r) {
		sqlite3_bind_int64(r, 1, n);
		at = sqlite3_step(r) == SQLITE_ROW ? (const char *)sqlite3_column_text(r, 0) : NULL;
	}
	time_t t;
	yes = yes && at && clock_parse(at, &t) == 0 &&
	      (t > l->received ? t - l->received : l->received - t) <= l->window;
	if (r)
		sqlite3_reset(r);
	if (yes)
		l->leader = n;
	return yes;
}

int grouping_leader(struct store *s, const char *id, time_t received, long window, jv incidents,
		    int64_t *leader, char *why, size_t whysz)
{
	int found = 0;
	if (window <= 0)
		return 0;
	struct lead l = {received, window, 0};
	char peer[256], key[256];
	if (correlate_first_peer(s, id, received, window, can_lead, &l, peer, sizeof peer, key,
				 sizeof key)) {
		snprintf(why, whysz, "shares %s with %s", key, peer);
		*leader = l.leader;
		found = 1;
	}
	jv_array_foreach (incidents, i, inc) {
		const char *cid = jv_get_str(inc, "case");
		sqlite3_stmt *st = found || !cid ? NULL : store_stmt(s, SQL_INCIDENT_MESSAGES);
		if (st) {
			sqlite3_bind_text(st, 1, cid, -1, SQLITE_TRANSIENT);
			while (!found && sqlite3_step(st) == SQLITE_ROW) {
				const char *item = (const char *)sqlite3_column_text(st, 0);
				if (item && strcmp(item, id) != 0 && can_lead(s, item, NULL, &l)) {
					*leader = l.leader;
					snprintf(why, whysz, "incident %s, with %s", cid, item);
					found = 1;
				}
			}
			sqlite3_reset(st);
		}
		jv_free(inc);
	}
	return found;
}

int grouping_join(struct store *s, int64_t n, const char *id, int64_t leader, const char *why,
		  const char *priority, const char *due)
{
	char now[RFC3339_LEN], detail[300];
	int rc;
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, SQL_GROUP);
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_int64(st, 2, leader);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, why, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_error(s, rc, "grouping a queue item");
	st = store_stmt(s, SQL_RAISE);
	sqlite3_bind_int64(st, 1, leader);
	sqlite3_bind_text(st, 2, priority, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, due, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_error(s, rc, "raising a group's item");
	st = store_stmt(s, SQL_LEADER_ID);
	if (!st)
		return store_error(s, SQLITE_MISUSE, "reading a group's leader");
	sqlite3_bind_int64(st, 1, leader);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW || !sqlite3_column_text(st, 0)) {
		sqlite3_reset(st);
		return rc == SQLITE_ROW || rc == SQLITE_DONE
			   ? CCC_EX_NOINPUT
			   : store_error(s, rc, "reading a group's leader");
	}
	snprintf(detail, sizeof detail, "into %s: %s", (const char *)sqlite3_column_text(st, 0),
		 why);
	sqlite3_reset(st);
	if ((rc = queue_log_new(s, n, "grouped", detail)))
		return rc;
	snprintf(detail, sizeof detail, "%s joined the group", id);
	return queue_log_new(s, leader, "grouped", detail);
}
