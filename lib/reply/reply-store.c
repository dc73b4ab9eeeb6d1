/*
 * reply-store.c: replies in the store (see reply-store.h).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/records.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/reply-store.h"

/*
 * Migration 10: replies and who did what with them; the queue keeps when
 * an item was first answered.
 */
const char reply_schema[] =
    "CREATE TABLE replies(id TEXT PRIMARY KEY, n INTEGER NOT NULL, message TEXT NOT NULL,"
    " status TEXT NOT NULL, drafted_by TEXT NOT NULL, record TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "CREATE INDEX replies_by_status ON replies(status, n);"
    "CREATE TABLE reply_log(e INTEGER PRIMARY KEY, reply TEXT NOT NULL, ts TEXT NOT NULL,"
    " actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);"
    "ALTER TABLE queue ADD COLUMN answered_at TEXT;";

static const char *const SQL_NEXT = "SELECT max(coalesce(max(n), 0), ?1) + 1 FROM replies";
static const char *const SQL_PUT =
    "INSERT INTO replies(id, n, message, status, drafted_by, record, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char *const SQL_GET = "SELECT record FROM replies WHERE id = ?1";
static const char *const SQL_SET =
    "UPDATE replies SET status = ?2, record = ?3, updated_at = ?4 WHERE id = ?1";
static const char *const SQL_LIST =
    "SELECT record FROM replies WHERE ?1 IS NULL OR status = ?1 ORDER BY n";
static const char *const SQL_SENDING = "SELECT id FROM replies WHERE status = 'sending' ORDER BY n";
static const char *const SQL_LOG =
    "INSERT INTO reply_log(e, reply, ts, actor, action, detail)"
    " VALUES ((SELECT max(coalesce(max(e), 0), ccc_id_floor('reply_log')) + 1"
    " FROM reply_log), ?1, ?2, ?3, ?4, ?5)";
static const char *const SQL_LOG_GET =
    "SELECT ts, actor, action, detail FROM reply_log WHERE reply = ?1 ORDER BY e";
static const char *const SQL_ANSWERED =
    "UPDATE queue SET answered_at = ?2 WHERE id = ?1 AND answered_at IS NULL";

static int log_action(struct store *s, const char *id, const char *action, const char *detail)
{
	return store_log_action(s, SQL_LOG, id, action, detail, "logging a reply action");
}

/* The stored record of id, without its log. */
static int get_record(struct store *s, const char *id, jv *out)
{
	return records_get(s, SQL_GET, "reply", "replies", id, out);
}

/* Store rec (consumed) as id's record with its status; *out gets a copy. */
static int put_record(struct store *s, const char *id, jv rec, jv *out)
{
	char now[RFC3339_LEN];
	struct buf b = {0};
	clock_format(clock_now(), now);
	rec = jv_object_set(rec, jv_string("updated_at"), jv_string(now));
	json_write(&b, rec);
	sqlite3_stmt *st = store_stmt(s, SQL_SET);
	if (!st) {
		buf_free(&b);
		jv_free(rec);
		return CCC_EX_SOFTWARE;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, jv_get_str(rec, "status"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	buf_free(&b);
	if (rc != SQLITE_DONE) {
		jv_free(rec);
		return store_error(s, rc, "storing the reply");
	}
	if (out)
		*out = rec;
	else
		jv_free(rec);
	return 0;
}

int reply_store_draft(struct store *s, jv rec, jv *out)
{
	char id[96], now[RFC3339_LEN];
	struct buf b = {0};
	sqlite3_stmt *st = store_stmt(s, SQL_NEXT);
	if (!st) {
		jv_free(rec);
		return CCC_EX_SOFTWARE;
	}
	sqlite3_bind_int64(st, 1, store_id_floor(s, "replies"));
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		jv_free(rec);
		return store_error(s, rc, "numbering the reply");
	}
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(id, sizeof id, "reply-%s-%lld", store_site(s), n);
	clock_format(clock_now(), now);
	jv disc = jv_object_get(jv_copy(rec), jv_string("discloses"));
	const char *status = jv_get_kind(disc) == JV_KIND_TRUE ? "draft" : "ready";
	jv_free(disc);
	jv r = JV_OBJECT(jv_string("type"), jv_string("reply"), jv_string("v"),
			 jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	jv_object_foreach (rec, k, v) {
		r = jv_object_set(r, k, v);
	}
	jv_free(rec);
	r = jv_object_set(r, jv_string("status"), jv_string(status));
	r = jv_object_set(r, jv_string("drafted_by"), jv_string(store_actor(s)));
	r = jv_object_set(r, jv_string("drafted_at"), jv_string(now));
	r = jv_object_set(r, jv_string("attempts"), jv_number(0));
	/* the e-mail's Message-ID: the same for every attempt, so that a
	 * gateway or a mailbox can tell a copy from another reply */
	r = jv_object_set(r, jv_string("mail_id"),
			  jv_string_fmt("%s@%s.ccc.invalid", id, store_site(s)));
	json_write(&b, r);
	st = store_stmt(s, SQL_PUT);
	if (!st) {
		buf_free(&b);
		jv_free(r);
		return CCC_EX_SOFTWARE;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, jv_get_str(r, "message"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, store_actor(s), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	buf_free(&b);
	if (rc != SQLITE_DONE) {
		jv_free(r);
		return store_error(s, rc, "storing the reply");
	}
	if ((rc = log_action(s, id, "draft", NULL))) {
		jv_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int reply_store_get(struct store *s, const char *id, jv *out)
{
	jv rec;
	int rc = get_record(s, id, &rec);
	if (rc)
		return rc;
	jv log;
	if ((rc = records_log(s, SQL_LOG_GET, id, "reading the reply log", &log))) {
		jv_free(rec);
		return rc;
	}
	*out = jv_object_set(rec, jv_string("log"), log);
	return 0;
}

int reply_store_review(struct store *s, const char *id, int *done, jv *out)
{
	jv rec;
	int rc = get_record(s, id, &rec);
	if (rc)
		return rc;
	const char *st = jv_get_str(rec, "status"), *by = jv_get_str(rec, "drafted_by");
	*done = 0;
	if (st && strcmp(st, "draft") != 0) {
		jv rv = jv_object_get(jv_copy(rec), jv_string("reviewed_by"));
		*done = jv_get_kind(rv) == JV_KIND_STRING || !strcmp(st, "ready");
		jv_free(rv);
		if (*done) {
			*out = rec;
			return 0;
		}
		warnx("reply '%s' is %s: only a draft is reviewed", id, st);
		jv_free(rec);
		return CCC_EX_DATAERR;
	}
	if (by && !strcmp(by, store_actor(s))) {
		warnx("reply '%s': %s drafted it; another officer reviews it (four eyes)", id, by);
		jv_free(rec);
		return CCC_EX_NOPERM;
	}
	rec = jv_object_set(rec, jv_string("status"), jv_string("ready"));
	rec = jv_object_set(rec, jv_string("reviewed_by"), jv_string(store_actor(s)));
	if ((rc = put_record(s, id, rec, out)))
		return rc;
	return log_action(s, id, "review", NULL);
}

int reply_store_attempt(struct store *s, const char *id, int again, int *done, jv *out)
{
	jv rec;
	int rc = get_record(s, id, &rec);
	if (rc)
		return rc;
	const char *st = jv_get_str(rec, "status");
	*done = 0;
	if (!st || !strcmp(st, "draft")) {
		warnx("reply '%s' discloses a hit and has not been reviewed: another officer "
		      "reviews it first (ccc-reply review %s)",
		      id, id);
		jv_free(rec);
		return CCC_EX_NOPERM;
	}
	if (!strcmp(st, "sent")) {
		*done = 1;
		*out = rec;
		return 0;
	}
	if (!strcmp(st, "sending") || (!strcmp(st, "unknown") && !again)) {
		warnx("reply '%s' is %s: an attempt to send it has no recorded outcome; check "
		      "whether it arrived, then send it with --again",
		      id, st);
		jv_free(rec);
		return CCC_EX_DATAERR;
	}
	jv n = jv_object_get(jv_copy(rec), jv_string("attempts"));
	int attempts = jv_get_kind(n) == JV_KIND_NUMBER ? (int)jv_number_value(n) : 0;
	jv_free(n);
	char detail[64];
	snprintf(detail, sizeof detail, "%d%s", attempts + 1,
		 !strcmp(st, "unknown") ? ", again after an unknown outcome" : "");
	rec = jv_object_set(rec, jv_string("status"), jv_string("sending"));
	rec = jv_object_set(rec, jv_string("attempts"), jv_number(attempts + 1));
	if ((rc = put_record(s, id, rec, out)))
		return rc;
	return log_action(s, id, "attempt", detail);
}

int reply_store_outcome(struct store *s, const char *id, const char *error, jv *out)
{
	jv rec;
	char now[RFC3339_LEN];
	int rc = get_record(s, id, &rec);
	if (rc)
		return rc;
	clock_format(clock_now(), now);
	if (error) {
		rec = jv_object_set(rec, jv_string("status"), jv_string("queued"));
		rec = jv_object_set(rec, jv_string("last_error"), jv_string(error));
	} else {
		rec = jv_object_set(rec, jv_string("status"), jv_string("sent"));
		rec = jv_object_set(rec, jv_string("sent_at"), jv_string(now));
		rec = jv_object_delete(rec, jv_string("last_error"));
		sqlite3_stmt *st = store_stmt(s, SQL_ANSWERED);
		if (!st) {
			jv_free(rec);
			return CCC_EX_SOFTWARE;
		}
		sqlite3_bind_text(st, 1, jv_get_str(rec, "message"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			jv_free(rec);
			return store_error(s, rc, "marking the queue item answered");
		}
	}
	if ((rc = put_record(s, id, rec, out)))
		return rc;
	return log_action(s, id, error ? "failed" : "sent", error);
}

int reply_store_orphans(struct store *s, long *n)
{
	sqlite3_stmt *st = store_stmt(s, SQL_SENDING);
	int rc;
	jv ids = jv_array();
	*n = 0;
	if (!st)
		return CCC_EX_SOFTWARE;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ids = jv_array_append(ids, jv_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(ids);
		return store_error(s, rc, "reading the replies");
	}
	rc = 0;
	jv_array_foreach (ids, i, idv) {
		jv rec;
		const char *id = jv_string_value(idv);
		if (!rc && !(rc = get_record(s, id, &rec))) {
			rec = jv_object_set(rec, jv_string("status"), jv_string("unknown"));
			if (!(rc = put_record(s, id, rec, NULL)))
				rc =
				    log_action(s, id, "unknown",
					       "the sender stopped before it recorded the outcome");
			if (!rc) {
				warnx(
				    "reply '%s': an attempt to send it has no recorded outcome: it "
				    "is not sent again on its own (ccc-reply send %s --again)",
				    id, id);
				++*n;
			}
		}
		jv_free(idv);
	}
	jv_free(ids);
	return rc;
}

int reply_store_list(struct store *s, const char *status, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_LIST);
	if (st && status)
		sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	return records_list(s, st, "listing the replies", out);
}
