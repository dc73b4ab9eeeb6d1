/*
 * duty-page.c: paging by escalation policy, never twice (duty-page.h).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ccc/clock.h"
#include "ccc/duty-page.h"
#include "ccc/duty-store.h"
#include "ccc/duty.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/out.h"
#include "ccc/runcmd.h"

static const char *const SQL_ORPHANS =
    "UPDATE duty_pages SET status = 'unknown', updated_at = ?1 WHERE status = 'sending'"
    " RETURNING id";
static const char *const SQL_DUE =
    "SELECT q.id, q.priority, q.category, q.due_at,"
    " coalesce((SELECT min(ts) FROM queue_log l WHERE l.n = q.n), q.updated_at), p.name, p.steps,"
    " (SELECT CASE WHEN json_valid(m.record) THEN json_extract(m.record, '$.subject') END"
    " FROM messages m WHERE m.n = q.n)"
    " FROM queue q JOIN duty_policies p ON p.name = lower(q.priority)"
    " WHERE q.status = 'open' AND NOT EXISTS (SELECT 1 FROM duty_acks a WHERE a.item = q.id)"
    " ORDER BY q.due_at, q.n";
static const char *const SQL_PAGE_STATUS = "SELECT status FROM duty_pages WHERE id = ?1";
static const char *const SQL_STILL_OPEN =
    "SELECT 1 FROM queue q WHERE q.id = ?1 AND q.status = 'open'"
    " AND NOT EXISTS (SELECT 1 FROM duty_acks a WHERE a.item = q.id)";
static const char *const SQL_PAGE_SENDING =
    "INSERT INTO duty_pages(id, item, step, policy, target, record, status, attempts, error,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'sending', 1, NULL, ?7)"
    " ON CONFLICT(id) DO UPDATE SET record = excluded.record, status = 'sending',"
    " attempts = attempts + 1, error = NULL, updated_at = excluded.updated_at";
static const char *const SQL_PAGE_OUTCOME =
    "UPDATE duty_pages SET status = ?2, error = ?3, updated_at = ?4 WHERE id = ?1"
    " AND status = 'sending'";
static const char *const SQL_PRIMARY =
    "SELECT primary_site FROM epochs ORDER BY epoch DESC LIMIT 1";
static const char *const SQL_ITEM = "SELECT 1 FROM queue WHERE id = ?1";
static const char *const SQL_ACK_GET = "SELECT actor, at FROM duty_acks WHERE item = ?1";
static const char *const SQL_ACK_PUT = "INSERT INTO duty_acks(item, actor, at) VALUES (?1, ?2, ?3)";

/* Take the store's page lock (waits for another pager); *fd to release. */
static int page_lock(struct store *s, int *fd)
{
	char path[4096];
	snprintf(path, sizeof path, "%s.page-lock", store_path(s));
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0) {
		warn("cannot open the page lock '%s'", path);
		return CCC_EX_CANTCREAT;
	}
	while (flock(*fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			warn("cannot take the page lock '%s'", path);
			close(*fd);
			return CCC_EX_IOERR;
		}
	}
	return 0;
}

/* A step of its own: begin, fn, commit. */
static int step(struct store *s, int (*fn)(struct store *, void *), void *ctx)
{
	int rc = store_begin(s);
	if (rc)
		return rc;
	if ((rc = fn(s, ctx))) {
		store_rollback(s);
		return rc;
	}
	int64_t seq;
	return store_commit(s, &seq);
}

static int do_orphans(struct store *s, void *ctx)
{
	long *n = ctx;
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, SQL_ORPHANS);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	int rc;
	jv ids = jv_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ids = jv_array_append(ids, jv_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(ids);
		return store_error(s, rc, "marking interrupted pages");
	}
	rc = 0;
	jv_array_foreach (ids, i, id) {
		warnx("page '%s' was being sent when its pager stopped: it may have gone, so it is "
		      "not sent again (status unknown)",
		      jv_string_value(id));
		if (!rc)
			rc = duty_log(s, jv_string_value(id), "page unknown",
				      "the pager stopped while sending");
		++*n;
		jv_free(id);
	}
	jv_free(ids);
	return rc;
}

struct one {
	jv rec;
	const char *error;
	int skip;
};

static int do_sending(struct store *s, void *ctx)
{
	struct one *o = ctx;
	const char *id = jv_get_str(o->rec, "id");
	char now[RFC3339_LEN];
	sqlite3_stmt *st = store_stmt(s, SQL_PAGE_STATUS);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "failed") != 0)
		o->skip = 1; /* sent, or sending or unknown: never again */
	sqlite3_reset(st);
	st = store_stmt(s, SQL_STILL_OPEN);
	sqlite3_bind_text(st, 1, jv_get_str(o->rec, "item"), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		o->skip = 1; /* taken, closed or acknowledged meanwhile */
	sqlite3_reset(st);
	if (o->skip)
		return 0;
	struct buf b = {0};
	json_write(&b, o->rec);
	clock_format(clock_now(), now);
	st = store_stmt(s, SQL_PAGE_SENDING);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, jv_get_str(o->rec, "item"), -1, SQLITE_STATIC);
	jv k = jv_object_get(jv_copy(o->rec), jv_string("step"));
	sqlite3_bind_int(st, 3, (int)jv_number_value(k));
	jv_free(k);
	sqlite3_bind_text(st, 4, jv_get_str(o->rec, "policy"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, jv_get_str(o->rec, "target"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	buf_free(&b);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "recording a page");
	return duty_log(s, id, "page sending", jv_get_str(o->rec, "target"));
}

static int do_outcome(struct store *s, void *ctx)
{
	struct one *o = ctx;
	const char *id = jv_get_str(o->rec, "id");
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, SQL_PAGE_OUTCOME);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->error ? "failed" : "sent", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->error, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "recording a page's outcome");
	return duty_log(s, id, o->error ? "page failed" : "page sent", o->error);
}

/* Run the command with the page on its stdin: 0, or -1 with err. */
static int deliver(const struct duty_pager *p, jv rec, char *err, size_t n)
{
	struct buf b = {0};
	json_write(&b, rec);
	buf_addc(&b, '\n');
	if (!p->notify) {
		out_write(b.p, b.len);
		out_flush();
		buf_free(&b);
		return 0;
	}
	int rc = run_command_with(p->notify, "page", b.p, b.len, p->verbose, err, n);
	buf_free(&b);
	return rc;
}

/* The page of step k (0-based) of policy for the item of row st. */
static jv page_record(struct store *s, struct duty_plan *plan, sqlite3_stmt *st, int k, jv stepv,
		      time_t now)
{
	const char *item = (const char *)sqlite3_column_text(st, 0);
	const char *target = jv_get_str(stepv, "target");
	char id[256], key[320], at[RFC3339_LEN];
	snprintf(id, sizeof id, "page-%s-%d", item, k + 1);
	snprintf(key, sizeof key, "%s:%s", store_site(s), id);
	clock_format(now, at);
	jv people, sites;
	duty_target_at(plan, now, target, &people, &sites);
	jv r = JV_OBJECT(jv_string("type"), jv_string("page"), jv_string("v"),
			 jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	r = jv_object_set(r, jv_string("key"), jv_string(key));
	r = jv_object_set(r, jv_string("item"), jv_string(item));
	r = jv_object_set(r, jv_string("priority"),
			  jv_string((const char *)sqlite3_column_text(st, 1)));
	r = jv_object_set(r, jv_string("category"),
			  jv_string((const char *)sqlite3_column_text(st, 2)));
	r = jv_object_set(r, jv_string("due_at"),
			  jv_string((const char *)sqlite3_column_text(st, 3)));
	if (sqlite3_column_text(st, 7))
		r = jv_object_set(r, jv_string("subject"),
				  jv_string((const char *)sqlite3_column_text(st, 7)));
	r = jv_object_set(r, jv_string("policy"),
			  jv_string((const char *)sqlite3_column_text(st, 5)));
	r = jv_object_set(r, jv_string("step"), jv_number(k + 1));
	r = jv_object_set(r, jv_string("after"), jv_object_get(jv_copy(stepv), jv_string("after")));
	r = jv_object_set(r, jv_string("target"), jv_string(target));
	r = jv_object_set(r, jv_string("people"), people);
	r = jv_object_set(r, jv_string("sites"), sites);
	return jv_object_set(r, jv_string("at"), jv_string(at));
}

/* Whether page id needs sending: none yet, or the last attempt failed. */
static int page_wanted(struct store *s, const char *id)
{
	sqlite3_stmt *st = store_stmt(s, SQL_PAGE_STATUS);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int want = sqlite3_step(st) != SQLITE_ROW ||
		   !strcmp((const char *)sqlite3_column_text(st, 0), "failed");
	sqlite3_reset(st);
	return want;
}

/* The pages due now, built while the statement is read (no write meanwhile). */
static int due_pages(struct store *s, struct duty_plan *plan, time_t now, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_DUE);
	jv due = jv_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		time_t since;
		if (clock_parse((const char *)sqlite3_column_text(st, 4), &since) < 0)
			continue;
		jv steps = jv_parse((const char *)sqlite3_column_text(st, 6));
		if (jv_get_kind(steps) != JV_KIND_ARRAY) {
			jv_free(steps);
			continue;
		}
		jv_array_foreach (steps, k, sv) {
			jv after = jv_object_get(jv_copy(sv), jv_string("after"));
			double a =
			    jv_get_kind(after) == JV_KIND_NUMBER ? jv_number_value(after) : 0;
			jv_free(after);
			if (since + (time_t)a <= now) {
				jv r = page_record(s, plan, st, k, sv, now);
				if (page_wanted(s, jv_get_str(r, "id")))
					due = jv_array_append(due, r);
				else
					jv_free(r);
			}
			jv_free(sv);
		}
		jv_free(steps);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(due);
		return store_error(s, rc, "reading the queue for pages");
	}
	*out = due;
	return 0;
}

/* 1 when this site is the primary of the newest epoch. */
static int is_primary(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, SQL_PRIMARY);
	int yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
		  !strcmp((const char *)sqlite3_column_text(st, 0), store_site(s));
	sqlite3_reset(st);
	return yes;
}

int duty_page_run(struct store *s, const struct duty_pager *p, struct duty_page_counts *n,
		  jv *pages)
{
	int fd, rc;
	struct duty_plan *plan = NULL;
	jv due = jv_invalid(), done = jv_array();
	*n = (struct duty_page_counts){0};
	if (!is_primary(s)) {
		n->standby = 1;
		*pages = done;
		return 0;
	}
	if ((rc = page_lock(s, &fd)))
		return rc;
	if (!(rc = step(s, do_orphans, &n->unknown)) && !(rc = duty_plan_load(s, &plan)))
		rc = due_pages(s, plan, clock_now(), &due);
	int failed = 0;
	if (rc)
		due = jv_array();
	jv_array_foreach (due, i, r) {
		struct one o = {.rec = r};
		char err[512];
		if (!rc)
			rc = step(s, do_sending, &o);
		if (rc || o.skip) {
			jv_free(o.rec);
			continue;
		}
		jv who = jv_object_get(jv_copy(o.rec), jv_string("people"));
		if (jv_get_kind(who) == JV_KIND_ARRAY && jv_array_length(jv_copy(who)) == 0)
			warnx("page '%s': nobody is %s at the sites on duty (ccc-duty role set, or "
			      "a shift at work): it goes to nobody by name",
			      jv_get_str(o.rec, "id"), jv_get_str(o.rec, "target"));
		jv_free(who);
		if (deliver(p, o.rec, err, sizeof err) < 0)
			o.error = err;
		rc = step(s, do_outcome, &o);
		if (o.error) {
			warnx("page '%s' was not sent: %s; it is tried again at the next run",
			      jv_get_str(o.rec, "id"), o.error);
			n->failed++;
			failed = 1;
		} else {
			n->sent++;
		}
		o.rec = jv_object_set(o.rec, jv_string("status"),
				      jv_string(o.error ? "failed" : "sent"));
		done = jv_array_append(done, o.rec);
	}
	jv_free(due);
	duty_plan_free(plan);
	close(fd); /* releases the lock */
	*pages = done;
	return rc ? rc : failed ? CCC_EX_UNAVAILABLE : 0;
}

int duty_page_ack(struct store *s, const char *id, int *done, jv *out)
{
	char now[RFC3339_LEN];
	const char *actor = store_actor(s) ? store_actor(s) : "unknown";
	sqlite3_stmt *st = store_stmt(s, SQL_ITEM);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (!found) {
		warnx("ack: no queue item '%s'", id);
		return CCC_EX_NOINPUT;
	}
	st = store_stmt(s, SQL_ACK_GET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	*done = sqlite3_step(st) == SQLITE_ROW;
	jv r = JV_OBJECT(jv_string("type"), jv_string("duty_ack"), jv_string("v"),
			 jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	if (*done) {
		r = jv_object_set(r, jv_string("by"),
				  jv_string((const char *)sqlite3_column_text(st, 0)));
		r = jv_object_set(r, jv_string("at"),
				  jv_string((const char *)sqlite3_column_text(st, 1)));
		sqlite3_reset(st);
		*out = r;
		return 0;
	}
	sqlite3_reset(st);
	clock_format(clock_now(), now);
	st = store_stmt(s, SQL_ACK_PUT);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(r);
		return store_error(s, rc, "acknowledging an item");
	}
	if ((rc = duty_log(s, id, "ack", NULL))) {
		jv_free(r);
		return rc;
	}
	r = jv_object_set(r, jv_string("by"), jv_string(actor));
	*out = jv_object_set(r, jv_string("at"), jv_string(now));
	return 0;
}
