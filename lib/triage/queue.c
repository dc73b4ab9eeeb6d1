/*
 * queue.c: queue items and their log.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/changeset.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/message.h"
#include "ccc/ndjson.h"
#include "ccc/opts.h"
#include "ccc/queue.h"
#include "ccc/table.h"

static const char *const SQL_GET_MESSAGE = "SELECT id, record, triage FROM messages WHERE n = ?1";
static const char *const SQL_SET_RECORD =
    "UPDATE messages SET record = ?2 WHERE n = ?1 AND record IS NOT ?2";
static const char *const SQL_SET_TRIAGE =
    "UPDATE messages SET triage = ?2 WHERE n = ?1 AND triage IS NOT ?2";
static const char *const SQL_GET_ITEM =
    "SELECT priority, category, due_at, status, assignee, escalations, updated_at, id,"
    " answered_at FROM queue WHERE n = ?1";
static const char *const SQL_NEW_ITEM =
    "INSERT INTO queue(n, id, priority, category, due_at, status, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?7, ?6)";
static const char *const SQL_ITEM_COLUMNS = "SELECT * FROM queue LIMIT 0";
static const char *const SQL_GROUP_TOP =
    "SELECT q.priority, q.due_at FROM queue_groups g JOIN queue q ON q.n = g.n"
    " WHERE g.leader = ?1 AND q.status = 'grouped' ORDER BY q.priority, q.due_at LIMIT 1";
static const char *const SQL_SET_ITEM =
    "UPDATE queue SET priority = ?2, category = ?3, due_at = ?4, updated_at = ?5 WHERE n = ?1";
static const char *const SQL_SET_STATUS =
    "UPDATE queue SET status = ?2, assignee = ?3, updated_at = ?4 WHERE n = ?1";
static const char *const SQL_LOG =
    "INSERT INTO queue_log(e, n, ts, actor, action, detail)"
    " VALUES ((SELECT max(coalesce(max(e), 0), ?6) + 1 FROM queue_log), ?1, ?2, ?3, ?4, ?5)";
static const char *const SQL_LOG_COLUMNS = "SELECT * FROM queue_log LIMIT 0";
static const char *const SQL_TRIAGE_OF = "SELECT triage FROM messages WHERE n = ?1";
static const char *const SQL_MESSAGE_COLUMNS = "SELECT * FROM messages LIMIT 0";

int64_t queue_parse_id(const char *id)
{
	const char *dash = strrchr(id, '-');
	const char *num = dash ? dash + 1 : id;
	char *end;
	if (dash && strncmp(id, "msg-", 4) != 0)
		return -1;
	errno = 0;
	long long n = strtoll(num, &end, 10);
	if (errno || end == num || *end || n < 1)
		return -1;
	return n;
}

/* rec with the triage stored apart (the text of messages.triage), if any. */
static jv with_triage(jv rec, const unsigned char *triage, int bytes)
{
	char reason[128];
	if (!triage || jv_get_kind(rec) != JV_KIND_OBJECT)
		return rec;
	jv t = ndjson_parse((const char *)triage, (size_t)bytes, reason, sizeof reason);
	if (jv_get_kind(t) != JV_KIND_OBJECT) {
		jv_free(t);
		return rec;
	}
	return jv_object_set(rec, jv_string_cached("triage"), t);
}

/*
 * The stored message id: *n its row and *record its parsed record, with
 * its triage. When text (len bytes) is given and the stored record is that
 * very text, *mine is that text parsed: *same is set, *record is left
 * alone, and the triage kept beside the record is set on *mine.
 */
static int message_row(struct store *s, const char *id, int64_t *n, jv *record, int quiet,
		       const char *text, size_t len, int *same, jv *mine)
{
	int64_t k = queue_parse_id(id);
	sqlite3_stmt *st;
	int rc;
	if (k < 0) {
		if (!quiet)
			warnx("'%s' is not a message id (msg-SITE-N)", id);
		return CCC_EX_USAGE;
	}
	st = store_stmt(s, SQL_GET_MESSAGE);
	sqlite3_bind_int64(st, 1, k);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *have = (const char *)sqlite3_column_text(st, 0);
		if (have && (!strcmp(have, id) || strchr(id, '-') == NULL)) {
			const char *stored = (const char *)sqlite3_column_text(st, 1);
			size_t bytes = (size_t)sqlite3_column_bytes(st, 1);
			*n = k;
			const unsigned char *t = sqlite3_column_text(st, 2);
			int tbytes = sqlite3_column_bytes(st, 2);
			if (text && stored && bytes == len && !memcmp(stored, text, len)) {
				*same = 1;
				*mine = with_triage(*mine, t, tbytes);
				sqlite3_reset(st);
				return 0;
			}
			char reason[128];
			*record = with_triage(ndjson_parse(stored, bytes, reason, sizeof reason), t,
					      tbytes);
			sqlite3_reset(st);
			return jv_is_valid(*record) ? 0 : CCC_EX_SOFTWARE;
		}
	} else if (rc != SQLITE_DONE) {
		return store_error(s, rc, "reading a message");
	}
	sqlite3_reset(st);
	if (!quiet)
		warnx("message '%s' is not in store '%s'", id, store_path(s));
	return CCC_EX_NOINPUT;
}

int queue_message(struct store *s, const char *id, int64_t *n, jv *record, int quiet)
{
	return message_row(s, id, n, record, quiet, NULL, 0, &(int){0}, NULL);
}

/*
 * Step st, which inserts into table the row v (nv values, by column: all it
 * sets and the defaults of the others; v[0] the key, which the statement
 * chooses when by_rowid is set), with the session off, and journal that
 * row (store_tx_add_first): a new row, which no earlier statement of the
 * transaction wrote. When the table has a column v does not value, the
 * session records the insert. SQLITE_DONE or an SQLite result code.
 */
static int insert_own(struct store *s, sqlite3_stmt *st, const char *table, const char *columns,
		      struct change_value *v, int nv, int by_rowid)
{
	struct buf b = {0};
	sqlite3_stmt *cols = store_stmt(s, columns);
	int own = changeset_put_row(&b, table, cols, v, nv) == 0;
	store_tx_record(s, !own);
	int rc = sqlite3_step(st);
	store_tx_record(s, 1);
	if (own && rc == SQLITE_DONE) {
		if (by_rowid) {
			v[0].i = sqlite3_last_insert_rowid(store_db(s));
			b.len = 0;
			changeset_put_row(&b, table, cols, v, nv);
		}
		store_tx_add_first(s, b.p, b.len);
	}
	buf_free(&b);
	return rc;
}

/* queue_log; own: journaled here (insert_own) */
static int log_action(struct store *s, int64_t n, const char *action, const char *detail, int own)
{
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, SQL_LOG);
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, store_actor(s), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, detail, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, store_id_floor(s, "queue_log"));
	int rc;
	if (own) {
		struct change_value v[] = {
		    {"e", NULL, 0, 1},        {"n", NULL, n, 1},
		    {"ts", now, 0, 0},        {"actor", store_actor(s), 0, 0},
		    {"action", action, 0, 0}, {"detail", detail, 0, 0},
		};
		rc = insert_own(s, st, "queue_log", SQL_LOG_COLUMNS, v, 6, 1);
	} else {
		rc = sqlite3_step(st);
	}
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "logging a queue action");
}

int queue_log(struct store *s, int64_t n, const char *action, const char *detail)
{
	return log_action(s, n, action, detail, 0);
}

int queue_log_new(struct store *s, int64_t n, const char *action, const char *detail)
{
	return log_action(s, n, action, detail, 1);
}

/*
 * queue_set_triage's update with the session off, journaled here
 * (store_tx_add_first): for a message whose row no earlier statement of
 * the transaction changed through the session. The session would keep the
 * whole row before and after, the record with it, and compare them at the
 * commit. 1 when done, 0 when the store has no triage column to write
 * this way (the caller lets the session record it), or -(exit code).
 */
static int set_triage_own(struct store *s, int64_t n, const char *t, size_t len, int *changed)
{
	sqlite3_stmt *cols = store_stmt(s, SQL_MESSAGE_COLUMNS);
	int ncol = cols ? sqlite3_column_count(cols) : 0, col = ncol;
	while (col > 0 && strcmp(sqlite3_column_name(cols, col - 1), "triage") != 0)
		col--;
	sqlite3_stmt *st = col-- > 1 ? store_stmt(s, SQL_TRIAGE_OF) : NULL;
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, n);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return -store_error(s, rc, "reading a message's triage");
		*changed = 0; /* no such message: as the update would */
		return 1;
	}
	const char *old = (const char *)sqlite3_column_text(st, 0);
	size_t oldlen = (size_t)sqlite3_column_bytes(st, 0);
	if (old && oldlen == len && !memcmp(old, t, len)) {
		sqlite3_reset(st);
		*changed = 0;
		return 1;
	}
	struct buf b = {0};
	changeset_put_update(&b, "messages", ncol, n, col, old, oldlen, t, len);
	sqlite3_reset(st);
	st = store_stmt(s, SQL_SET_TRIAGE);
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, t, (int)len, SQLITE_STATIC);
	store_tx_record(s, 0);
	rc = sqlite3_step(st);
	store_tx_record(s, 1);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		store_tx_add_first(s, b.p, b.len);
	buf_free(&b);
	if (rc != SQLITE_DONE)
		return -store_error(s, rc, "recording a message's triage");
	*changed = 1;
	return 1;
}

/* queue_set_triage; own: set_triage_own, when it can; text (len bytes):
 * triage written already, or NULL */
static int set_triage(struct store *s, int64_t n, jv triage, const char *text, size_t len,
		      int *changed, int own)
{
	struct buf b = {0};
	if (!text) {
		json_write(&b, triage);
		text = b.p;
		len = b.len;
	}
	int done = own ? set_triage_own(s, n, text, len, changed ? changed : &(int){0}) : 0;
	if (done) {
		buf_free(&b);
		return done < 0 ? -done : 0;
	}
	sqlite3_stmt *st = store_stmt(s, SQL_SET_TRIAGE);
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, text, (int)len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	buf_free(&b);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "recording a message's triage");
	if (changed)
		*changed = sqlite3_changes(store_db(s)) > 0;
	return 0;
}

int queue_set_triage(struct store *s, int64_t n, jv triage, int *changed)
{
	return set_triage(s, n, triage, NULL, 0, changed, 0);
}

int queue_set_record(struct store *s, int64_t n, const char *json, size_t len, int *changed)
{
	sqlite3_stmt *st = store_stmt(s, SQL_SET_RECORD);
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, json, (int)len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "updating a message");
	int did = sqlite3_changes(store_db(s)) > 0;
	if (changed)
		*changed = did;
	return did ? store_index_message_changed(s, n, json, len) : 0;
}

/*
 * queued: 0 when message n is known to have no queue item, else 1. With
 * queued 0 (ccc-triage's first triage of a message), the triage, the new
 * item and its log row are journaled here, not recorded by the session
 * (insert_own, set_triage_own): nothing earlier in the transaction wrote
 * them, and what a later statement changes (a group raising the item, the
 * same message triaged again) merges after them.
 */
static int triaged(struct store *s, int64_t n, const char *id, jv triage, const char *text,
		   size_t len, int queued, const char *status, int *changed)
{
	char now[RFC3339_LEN];
	const char *priority = jv_get_str(triage, "priority");
	const char *category = jv_get_str(triage, "category");
	const char *due = jv_get_str(triage, "due_at");
	sqlite3_stmt *st;
	int rc;

	clock_format(clock_now(), now);
	if ((rc = set_triage(s, n, triage, text, len, changed, !queued)))
		return rc;

	if (queued) {
		st = store_stmt(s, SQL_GET_ITEM);
		sqlite3_bind_int64(st, 1, n);
		rc = sqlite3_step(st);
	} else {
		st = NULL;
		rc = SQLITE_DONE;
	}
	if (rc == SQLITE_DONE) {
		if (st)
			sqlite3_reset(st);
		st = store_stmt(s, SQL_NEW_ITEM);
		sqlite3_bind_int64(st, 1, n);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, priority, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, category, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, due, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, status, -1, SQLITE_STATIC);
		if (queued) {
			rc = sqlite3_step(st);
		} else {
			struct change_value v[] = {
			    {"n", NULL, n, 1},
			    {"id", id, 0, 0},
			    {"priority", priority, 0, 0},
			    {"category", category, 0, 0},
			    {"due_at", due, 0, 0},
			    {"status", status, 0, 0},
			    {"assignee", NULL, 0, 0},
			    {"escalations", NULL, 0, 1},
			    {"updated_at", now, 0, 0},
			    {"answered_at", NULL, 0, 0},
			};
			rc = insert_own(s, st, "queue", SQL_ITEM_COLUMNS, v, 10, 0);
		}
		if (rc != SQLITE_DONE)
			return store_error(s, rc, "queueing a message");
		*changed = 1;
		return log_action(s, n, "triaged", priority, !queued);
	}
	if (rc != SQLITE_ROW)
		return store_error(s, rc, "reading the queue");
	/* An item that leads a group keeps the priority its most urgent
	 * message gave it: triaged again on its own, the leader must not hide
	 * a P1 message under a P4 item. */
	char top[8], top_due[RFC3339_LEN + 8];
	sqlite3_stmt *g = store_stmt(s, SQL_GROUP_TOP);
	if (!g)
		return store_error(s, SQLITE_MISUSE, "reading a group");
	sqlite3_bind_int64(g, 1, n);
	if ((rc = sqlite3_step(g)) == SQLITE_ROW && sqlite3_column_text(g, 0) &&
	    sqlite3_column_text(g, 1) && priority &&
	    strcmp((const char *)sqlite3_column_text(g, 0), priority) < 0) {
		snprintf(top, sizeof top, "%s", (const char *)sqlite3_column_text(g, 0));
		snprintf(top_due, sizeof top_due, "%s", (const char *)sqlite3_column_text(g, 1));
		priority = top;
		if (!due || strcmp(top_due, due) < 0)
			due = top_due;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_reset(g);
		sqlite3_reset(st);
		return store_error(s, rc, "reading a group");
	}
	sqlite3_reset(g);
	int differs = strcmp((const char *)sqlite3_column_text(st, 0), priority) ||
		      strcmp((const char *)sqlite3_column_text(st, 1), category) ||
		      strcmp((const char *)sqlite3_column_text(st, 2), due);
	int closed = !strcmp((const char *)sqlite3_column_text(st, 3), "closed");
	sqlite3_reset(st);
	if (!differs || closed)
		return 0;
	st = store_stmt(s, SQL_SET_ITEM);
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, priority, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, due, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_error(s, rc, "updating the queue");
	*changed = 1;
	return queue_log(s, n, "retriaged", priority);
}

int queue_triaged(struct store *s, int64_t n, const char *id, jv triage, int *changed)
{
	return triaged(s, n, id, triage, NULL, 0, 1, "open", changed);
}

int queue_triaged_new(struct store *s, int64_t n, const char *id, jv triage, const char *text,
		      size_t len, int grouped, int *changed)
{
	return triaged(s, n, id, triage, text, len, 0, grouped ? "grouped" : "open", changed);
}

static const char *const SQL_CLOSED_FOR =
    "SELECT detail FROM queue_log WHERE n = ?1 AND action = 'close' ORDER BY e DESC LIMIT 1";

/*
 * Whether action on item n (status, assignee; who takes it) is done already: 1 when it is
 * (again->why says so), 0 when not, or an exit code (closed for another
 * reason: 65).
 */
static int already(struct store *s, int64_t n, const char *id, const char *action,
		   const char *detail, const char *status, const char *assignee, const char *who,
		   struct rerun *again)
{
	if (!strcmp(action, "take") || !strcmp(action, "assign")) {
		if (strcmp(status, "taken") != 0 || !assignee || !who || strcmp(assignee, who) != 0)
			return 0;
		snprintf(again->why, sizeof again->why, "message '%s' is taken by %s already", id,
			 assignee);
	} else if (!strcmp(action, "reopen")) {
		if (strcmp(status, "open") != 0)
			return 0;
		snprintf(again->why, sizeof again->why, "message '%s' is open already", id);
	} else if (!strcmp(action, "close")) {
		if (strcmp(status, "closed") != 0)
			return 0;
		sqlite3_stmt *st = store_stmt(s, SQL_CLOSED_FOR);
		sqlite3_bind_int64(st, 1, n);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			sqlite3_reset(st);
			return store_error(s, rc, "reading the queue log");
		}
		const unsigned char *d = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
		int same = detail ? d && !strcmp((const char *)d, detail) : 1;
		if (!same)
			warnx("close: message '%s' was closed already, %s%s%s", id,
			      d ? "for another reason: '" : "with no reason",
			      d ? (const char *)d : "", d ? "'" : "");
		sqlite3_reset(st);
		if (!same)
			return CCC_EX_DATAERR;
		snprintf(again->why, sizeof again->why, "message '%s' is closed already", id);
	} else {
		return 0;
	}
	again->done = 1;
	return 1;
}

int queue_act(struct store *s, int64_t n, const char *action, const char *detail,
	      struct rerun *again)
{
	char now[RFC3339_LEN];
	const char *status, *assignee;
	sqlite3_stmt *st = store_stmt(s, SQL_GET_ITEM);
	int rc;

	again->done = 0;
	sqlite3_bind_int64(st, 1, n);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		warnx("message %lld has no queue item: triage it first (ccc-triage)", (long long)n);
		return CCC_EX_NOINPUT;
	}
	if (rc != SQLITE_ROW)
		return store_error(s, rc, "reading the queue");
	char *cur_status = strdup((const char *)sqlite3_column_text(st, 3));
	const unsigned char *a = sqlite3_column_text(st, 4);
	char *cur_assignee = a ? strdup((const char *)a) : NULL;
	char *msg_id = strdup((const char *)sqlite3_column_text(st, 7));
	sqlite3_reset(st);

	status = cur_status;
	assignee = cur_assignee;
	if (!strcmp(cur_status, "closed") &&
	    (!strcmp(action, "take") || !strcmp(action, "steal") || !strcmp(action, "assign"))) {
		warnx("message %lld: its item is closed (reopen it first)", (long long)n);
		free(msg_id);
		free(cur_status);
		free(cur_assignee);
		return CCC_EX_DATAERR;
	}
	if (!strcmp(action, "take") && !strcmp(cur_status, "taken") && cur_assignee &&
	    strcmp(cur_assignee, store_actor(s)) != 0) {
		/* another officer holds it: taking it over is a decision, and logged */
		warnx("message '%s' is taken by %s: take it over with --steal (the steal is "
		      "logged)",
		      msg_id, cur_assignee);
		free(msg_id);
		free(cur_status);
		free(cur_assignee);
		return CCC_EX_TEMPFAIL;
	}
	char stolen[256];
	if (!strcmp(action, "steal")) {
		status = "taken";
		assignee = store_actor(s);
		if (cur_assignee && strcmp(cur_status, "taken") == 0 &&
		    strcmp(cur_assignee, store_actor(s)) != 0) {
			snprintf(stolen, sizeof stolen, "from %s", cur_assignee);
			detail = stolen;
		} else {
			action = "take"; /* nobody else held it: a plain take */
		}
	} else if (!strcmp(action, "take")) {
		status = "taken";
		assignee = store_actor(s);
	} else if (!strcmp(action, "assign")) {
		status = "taken";
		assignee = detail;
	} else if (!strcmp(action, "close")) {
		status = "closed";
	} else if (!strcmp(action, "reopen")) {
		status = "open";
		assignee = NULL;
	}
	rc = already(s, n, msg_id, action, detail, cur_status, cur_assignee, assignee, again);
	free(msg_id);
	if (rc != 0) {
		free(cur_status);
		free(cur_assignee);
		return rc == 1 ? 0 : rc;
	}
	if (strcmp(status, cur_status) != 0 ||
	    (assignee != cur_assignee &&
	     (!assignee || !cur_assignee || strcmp(assignee, cur_assignee) != 0))) {
		clock_format(clock_now(), now);
		st = store_stmt(s, SQL_SET_STATUS);
		sqlite3_bind_int64(st, 1, n);
		sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, assignee, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE)
			rc = store_error(s, rc, "updating the queue");
		else
			rc = 0;
	}
	if (!rc)
		rc = queue_log(s, n, action, detail);
	free(cur_status);
	free(cur_assignee);
	return rc;
}

jv queue_item(struct store *s, int64_t n)
{
	sqlite3_stmt *st = store_stmt(s, SQL_GET_ITEM);
	jv r = jv_null();
	sqlite3_bind_int64(st, 1, n);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *a = sqlite3_column_text(st, 4);
		r = jv_object();
		r = jv_object_set(r, jv_string("status"),
				  jv_string((const char *)sqlite3_column_text(st, 3)));
		r = jv_object_set(r, jv_string("assignee"),
				  a ? jv_string((const char *)a) : jv_null());
		r = jv_object_set(r, jv_string("escalations"),
				  jv_number(sqlite3_column_int(st, 5)));
		r = jv_object_set(r, jv_string("updated_at"),
				  jv_string((const char *)sqlite3_column_text(st, 6)));
		r = jv_object_set(r, jv_string("priority"),
				  jv_string((const char *)sqlite3_column_text(st, 0)));
		r = jv_object_set(r, jv_string("due_at"),
				  jv_string((const char *)sqlite3_column_text(st, 2)));
		/* when the first reply went (ccc-reply), once one has */
		const unsigned char *ans = sqlite3_column_text(st, 8);
		if (ans)
			r = jv_object_set(r, jv_string("answered_at"),
					  jv_string((const char *)ans));
	}
	sqlite3_reset(st);
	return r;
}

int queue_stored_copy(struct stream *st, const struct ndjson_line *ln, jv *rec, int64_t *n,
		      int quiet, int *rc)
{
	return queue_stored_copy_same(st, ln, rec, n, quiet, rc, &(int){0});
}

int queue_stored_copy_same(struct stream *st, const struct ndjson_line *ln, jv *rec, int64_t *n,
			   int quiet, int *rc, int *same)
{
	const char *id = jv_get_str(*rec, "id");
	char why[200];
	jv stored;
	*same = 0;
	/* A line that is the stored record byte for byte (a record as
	 * ccc-intake wrote it, or --pending) is that copy already parsed:
	 * with the triage kept beside it, if any. */
	if (!id ||
	    message_row(stream_store(st), id, n, &stored, 1, ln->text, ln->len, same, rec) != 0) {
		snprintf(why, sizeof why,
			 "message '%.64s' is not in the store (take it in with ccc-intake first)",
			 id ? id : "");
		jv_free(*rec);
		*rc = stream_reject(st, ln, why);
		return 0;
	}
	if (*same)
		return 1;
	if (message_differs(*rec, stored, why, sizeof why) && !quiet)
		warnx("%s:%lu: message '%s' differs from the stored one in %s; the stored copy "
		      "was used",
		      ln->file, ln->lineno, id, why);
	jv_free(*rec);
	*rec = stored;
	return 1;
}

/* the message's record, with its triage (queue.h) */
#define RECORD_M QUEUE_RECORD("m")
static const char *const SQL_QUEUE =
    "SELECT q.n, q.priority, q.due_at, q.status, q.assignee, q.escalations, " RECORD_M
    ", q.category,"
    " (SELECT json_group_array(gm.id) FROM queue_groups g JOIN messages gm ON gm.n = g.n"
    "  WHERE g.leader = q.n), (SELECT gl.id FROM queue_groups g JOIN messages gl"
    "  ON gl.n = g.leader WHERE g.n = q.n)"
    " FROM queue q JOIN messages m ON m.n = q.n"
    " WHERE (?1 OR q.status NOT IN ('closed', 'grouped'))"
    " AND (?2 IS NULL OR instr(',' || ?2 || ',', ',' || q.priority || ',') > 0)"
    " AND (?3 IS NULL OR instr(',' || ?3 || ',', ',' || q.category || ',') > 0)"
    " AND (?4 IS NULL OR q.due_at < ?4)"
    " ORDER BY q.status = 'closed', q.priority, q.due_at, q.n LIMIT ?5";

int queue_list(struct store *s, const struct queue_filter *f, void (*each)(jv rec, void *ctx),
	       void *ctx)
{
	sqlite3_stmt *st;
	char now[RFC3339_LEN];
	time_t tnow = clock_now();
	int rc;

	clock_format(tnow, now);
	if (sqlite3_prepare_v2(store_db(s), SQL_QUEUE, -1, &st, NULL) != SQLITE_OK)
		return store_error(s, SQLITE_ERROR, "reading the queue");
	sqlite3_bind_int(st, 1, f->all);
	sqlite3_bind_text(st, 2, f->priorities, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->categories, -1, SQLITE_STATIC);
	if (f->overdue)
		sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, f->limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *due = (const char *)sqlite3_column_text(st, 2);
		const unsigned char *assignee = sqlite3_column_text(st, 4);
		time_t tdue = tnow;
		char reason[128];
		clock_parse(due, &tdue);
		jv rec = ndjson_parse((const char *)sqlite3_column_text(st, 6),
				      (size_t)sqlite3_column_bytes(st, 6), reason, sizeof reason);
		if (!jv_is_valid(rec)) {
			jv_free(rec);
			continue;
		}
		jv q = jv_object();
		q = jv_object_set(q, jv_string("status"),
				  jv_string((const char *)sqlite3_column_text(st, 3)));
		q = jv_object_set(q, jv_string("assignee"),
				  assignee ? jv_string((const char *)assignee) : jv_null());
		q = jv_object_set(q, jv_string("escalations"),
				  jv_number(sqlite3_column_int(st, 5)));
		q = jv_object_set(q, jv_string("time_left_s"), jv_number((double)(tdue - tnow)));
		q = jv_object_set(q, jv_string("overdue"), jv_bool(tdue < tnow));
		/* a group's leader: the messages grouped into it; a member: its leader */
		jv group = jv_parse((const char *)sqlite3_column_text(st, 8));
		int ng = jv_get_kind(group) == JV_KIND_ARRAY ? jv_array_length(jv_copy(group)) : 0;
		if (ng) {
			q = jv_object_set(q, jv_string("messages"), jv_number(ng + 1));
			q = jv_object_set(q, jv_string("grouped"), group);
		} else {
			jv_free(group);
		}
		if (sqlite3_column_text(st, 9))
			q = jv_object_set(q, jv_string("group_of"),
					  jv_string((const char *)sqlite3_column_text(st, 9)));
		each(jv_object_set(rec, jv_string("queue"), q), ctx);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the queue");
}

struct table *queue_table_new(void)
{
	static const struct table_col cols[] = {
	    {"PRI", 0, 0, NULL},       {"DUE IN", 0, 0, NULL}, {"ID", 24, 0, NULL},
	    {"CATEGORY", 17, 0, NULL}, {"STATUS", 0, 0, NULL}, {"ASSIGNEE", 24, 0, NULL},
	    {"SUBJECT", 60, 0, NULL},
	};
	return table_new(cols, (int)(sizeof cols / sizeof cols[0]));
}

/* Of a queue item's message (with "queue"): the row of the table. */
void queue_table_add(struct table *t, jv rec, time_t now)
{
	jv tr = jv_object_get(jv_copy(rec), jv_string("triage"));
	jv q = jv_object_get(jv_copy(rec), jv_string("queue"));
	const char *pri = jv_get_str(q, "priority"), *due = jv_get_str(q, "due_at");
	const char *subject = jv_get_str(rec, "subject");
	char left[32] = "", status[48];
	jv nmsg = jv_object_get(jv_copy(q), jv_string("messages"));
	time_t tdue;
	if (!due)
		due = jv_get_str(tr, "due_at");
	if (due && clock_parse(due, &tdue) == 0) {
		long secs = (long)(tdue - now), a = secs < 0 ? -secs : secs;
		if (a >= 86400)
			snprintf(left, sizeof left, "%s%ldd%02ldh", secs < 0 ? "-" : "", a / 86400,
				 a % 86400 / 3600);
		else
			snprintf(left, sizeof left, "%s%ldh%02ldm", secs < 0 ? "-" : "", a / 3600,
				 a % 3600 / 60);
	}
	/* a group's leader says how many messages it stands for */
	if (jv_get_kind(nmsg) == JV_KIND_NUMBER)
		snprintf(status, sizeof status, "%s (%d msgs)", jv_get_str(q, "status"),
			 (int)jv_number_value(nmsg));
	else
		snprintf(status, sizeof status, "%s", jv_get_str(q, "status"));
	jv_free(nmsg);
	const char *cells[] = {pri ? pri : jv_get_str(tr, "priority"),
			       left,
			       jv_get_str(rec, "id"),
			       jv_get_str(tr, "category"),
			       status,
			       jv_get_str(q, "assignee"),
			       subject && *subject ? subject : jv_get_str(rec, "body")};
	table_add(t, cells);
	jv_free(q);
	jv_free(tr);
}
