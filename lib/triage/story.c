/*
 * story.c: a message's story, and the service report (see story.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/correlate.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/out.h"
#include "ccc/queue.h"
#include "ccc/records.h"
#include "ccc/story.h"
#include "ccc/table.h"
#include "ccc/xmalloc.h"

static const char *const SQL_QUEUE_LOG =
    "SELECT ts, actor, action, detail FROM queue_log WHERE n = CAST(?1 AS INTEGER) ORDER BY e";
static const char *const SQL_REPLIES = "SELECT record FROM replies WHERE message = ?1 ORDER BY n";
static const char *const SQL_REPLY_LOG =
    "SELECT ts, actor, action, detail FROM reply_log WHERE reply = ?1 ORDER BY e";
static const char *const SQL_REPORT =
    "SELECT q.priority, coalesce(json_extract(m.record, '$.origin_country'),"
    " (SELECT json_extract(r.record, '$.requester') FROM replies r WHERE r.message = m.id"
    " ORDER BY r.n LIMIT 1)),"
    " json_extract(m.record, '$.language'),"
    " coalesce(json_extract(m.record, '$.sent_at'), json_extract(m.record, '$.received_at')),"
    " q.due_at, q.answered_at, q.status"
    " FROM queue q JOIN messages m ON m.n = q.n"
    " WHERE (?1 IS NULL OR json_extract(m.record, '$.received_at') >= ?1)"
    " AND (?2 IS NULL OR json_extract(m.record, '$.received_at') < ?2)";

int story_of(struct store *s, const char *id, jv *out)
{
	int64_t n;
	jv rec;
	int rc = queue_message(s, id, &n, &rec, 0);
	if (rc)
		return rc;
	rec = jv_object_set(rec, jv_string("queue"), queue_item(s, n));
	char key[32];
	snprintf(key, sizeof key, "%lld", (long long)n);
	jv log;
	if ((rc = records_log(s, SQL_QUEUE_LOG, key, "reading the queue log", &log))) {
		jv_free(rec);
		return rc;
	}
	rec = jv_object_set(rec, jv_string("log"), log);
	/* the replies to it, each with its log */
	jv replies, with_logs = jv_array();
	sqlite3_stmt *st = store_stmt(s, SQL_REPLIES);
	if (st)
		sqlite3_bind_text(st, 1, jv_get_str(rec, "id"), -1, SQLITE_TRANSIENT);
	if ((rc = records_list(s, st, "reading the replies", &replies))) {
		jv_free(with_logs);
		jv_free(rec);
		return rc;
	}
	jv_array_foreach (replies, i, r) {
		jv rlog = jv_invalid();
		if (!rc)
			rc = records_log(s, SQL_REPLY_LOG, jv_get_str(r, "id"),
					 "reading the reply log", &rlog);
		if (!rc)
			with_logs =
			    jv_array_append(with_logs, jv_object_set(r, jv_string("log"), rlog));
		else
			jv_free(r);
	}
	jv_free(replies);
	if (rc) {
		jv_free(with_logs);
		jv_free(rec);
		return rc;
	}
	replies = with_logs;
	rec = jv_object_set(rec, jv_string("replies"), replies);
	/* what else names the same entities (correlate.h) */
	*out = jv_object_set(rec, jv_string("also_in"),
			     correlate_also_in(s, JV_ARRAY(jv_string(jv_get_str(rec, "id")))));
	return 0;
}

/* ---- the service report ---- */

struct group {
	char by[12], key[24];
	long requests, answered, in_time, overdue;
	double *secs; /* times to the first reply */
	size_t nsecs, cap;
};

struct groups {
	struct group *g;
	size_t n, cap;
};

static struct group *group_of(struct groups *gs, const char *by, const char *key)
{
	for (size_t i = 0; i < gs->n; i++)
		if (!strcmp(gs->g[i].by, by) && !strcmp(gs->g[i].key, key))
			return &gs->g[i];
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? 2 * gs->cap : 16;
		gs->g = xrealloc(gs->g, gs->cap * sizeof *gs->g);
	}
	struct group *g = &gs->g[gs->n++];
	memset(g, 0, sizeof *g);
	snprintf(g->by, sizeof g->by, "%s", by);
	snprintf(g->key, sizeof g->key, "%s", key);
	return g;
}

static void count(struct group *g, int answered, int in_time, int overdue, double secs)
{
	g->requests++;
	g->answered += answered;
	g->in_time += in_time;
	g->overdue += overdue;
	if (answered) {
		if (g->nsecs == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 16;
			g->secs = xrealloc(g->secs, g->cap * sizeof *g->secs);
		}
		g->secs[g->nsecs++] = secs;
	}
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The p-th percentile (nearest rank) of sorted v[0..n). */
static double percentile(const double *v, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
	return v[rank ? rank - 1 : 0];
}

int story_report(struct store *s, time_t since, time_t until, time_t now, jv *out)
{
	char a[RFC3339_LEN], b[RFC3339_LEN];
	struct groups gs = {0};
	sqlite3_stmt *st = store_stmt(s, SQL_REPORT);
	if (!st)
		return CCC_EX_SOFTWARE;
	if (since) {
		clock_format(since, a);
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	}
	if (until) {
		clock_format(until, b);
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	}
	int rc;
	group_of(&gs, "all", "all");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *prio = (const char *)sqlite3_column_text(st, 0);
		const char *cc = (const char *)sqlite3_column_text(st, 1);
		const char *lang = (const char *)sqlite3_column_text(st, 2);
		const char *start = (const char *)sqlite3_column_text(st, 3);
		const char *due = (const char *)sqlite3_column_text(st, 4);
		const char *ans = (const char *)sqlite3_column_text(st, 5);
		const char *status = (const char *)sqlite3_column_text(st, 6);
		time_t ts = 0, td = 0, ta = 0;
		int answered = ans && clock_parse(ans, &ta) == 0;
		int have_start = start && clock_parse(start, &ts) == 0;
		int have_due = due && clock_parse(due, &td) == 0;
		int in_time = answered && have_due && ta <= td;
		int overdue =
		    !answered && have_due && td < now && status && strcmp(status, "closed");
		double secs = answered && have_start ? difftime(ta, ts) : 0;
		if (secs < 0)
			secs = 0;
		/* one group at a time: group_of may move the array */
		const char *dims[4][2] = {{"all", "all"},
					  {"priority", prio ? prio : "?"},
					  {"bureau", cc ? cc : "?"},
					  {"language", lang ? lang : "?"}};
		for (int i = 0; i < 4; i++)
			count(group_of(&gs, dims[i][0], dims[i][1]), answered, in_time, overdue,
			      secs);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < gs.n; i++)
			free(gs.g[i].secs);
		free(gs.g);
		return store_error(s, rc, "reading the queue");
	}
	jv rows = jv_array();
	static const char *const order[] = {"all", "priority", "bureau", "language"};
	for (int o = 0; o < 4; o++) {
		/* each dimension's rows by key */
		for (;;) {
			struct group *next = NULL;
			for (size_t i = 0; i < gs.n; i++)
				if (!strcmp(gs.g[i].by, order[o]) && gs.g[i].requests >= 0 &&
				    (!next || strcmp(gs.g[i].key, next->key) < 0))
					next = &gs.g[i];
			if (!next)
				break;
			if (next->nsecs)
				qsort(next->secs, next->nsecs, sizeof *next->secs, by_value);
			jv row =
			    JV_OBJECT(jv_string("type"), jv_string("service"), jv_string("by"),
				      jv_string(next->by), jv_string("key"), jv_string(next->key),
				      jv_string("requests"), jv_number((double)next->requests),
				      jv_string("answered"), jv_number((double)next->answered),
				      jv_string("in_time"), jv_number((double)next->in_time));
			row = jv_object_set(row, jv_string("median_reply_s"),
					    next->nsecs
						? jv_number(percentile(next->secs, next->nsecs, 50))
						: jv_null());
			row = jv_object_set(row, jv_string("p95_reply_s"),
					    next->nsecs
						? jv_number(percentile(next->secs, next->nsecs, 95))
						: jv_null());
			row = jv_object_set(row, jv_string("overdue"),
					    jv_number((double)next->overdue));
			rows = jv_array_append(rows, row);
			next->requests = -1; /* done */
			free(next->secs);
			next->secs = NULL;
		}
	}
	free(gs.g);
	*out = rows;
	return 0;
}

/* ---- the story as text ---- */

/* A time in seconds as "45s", "12m", "3h05m" or "2d04h". */
static void story_duration(double secs, char *out, size_t n)
{
	long v = (long)(secs + 0.5);
	if (v < 60)
		snprintf(out, n, "%lds", v);
	else if (v < 3600)
		snprintf(out, n, "%ldm", v / 60);
	else if (v < 86400)
		snprintf(out, n, "%ldh%02ldm", v / 3600, v % 3600 / 60);
	else
		snprintf(out, n, "%ldd%02ldh", v / 86400, v % 86400 / 3600);
}

static void line(struct buf *out, const char *a, const char *b)
{
	buf_adds(out, a);
	if (b)
		buf_adds(out, b);
	buf_addc(out, '\n');
}

static const char *str(jv o, const char *k)
{
	const char *v = jv_get_str(o, k);
	return v ? v : "-";
}

/* "  AT  BY  ACTION: DETAIL" for each entry of log (consumed). */
static void log_lines(struct buf *out, jv log, const char *indent)
{
	jv_array_foreach (log, i, e) {
		buf_adds(out, indent);
		buf_adds(out, str(e, "at"));
		buf_adds(out, "  ");
		buf_adds(out, str(e, "by"));
		buf_adds(out, "  ");
		buf_adds(out, str(e, "action"));
		if (jv_get_str(e, "detail")) {
			buf_adds(out, ": ");
			buf_adds(out, jv_get_str(e, "detail"));
		}
		buf_addc(out, '\n');
		jv_free(e);
	}
	jv_free(log);
}

void story_text(jv st, struct buf *out)
{
	jv t = jv_object_get(jv_copy(st), jv_string("triage"));
	jv q = jv_object_get(jv_copy(st), jv_string("queue"));
	char b[512];
	snprintf(b, sizeof b, "%s  %s %s  due %s%s%s", str(st, "id"), str(t, "priority"),
		 str(t, "category"), str(t, "due_at"), jv_get_str(t, "request") ? "  request " : "",
		 jv_get_str(t, "request") ? jv_get_str(t, "request") : "");
	line(out, b, NULL);
	snprintf(b, sizeof b, "from %s (%s)  sent %s  received %s",
		 jv_get_str(st, "from") ? jv_get_str(st, "from") : str(st, "source"),
		 str(st, "origin_country"), str(st, "sent_at"), str(st, "received_at"));
	line(out, b, NULL);
	line(out, "Subject: ", str(st, "subject"));
	jv also = jv_object_get(jv_copy(st), jv_string("also_in"));
	if (jv_get_kind(also) == JV_KIND_ARRAY && jv_array_length(jv_copy(also)) > 0) {
		struct buf ab = {0};
		correlate_text(also, &ab);
		line(out, ab.p, NULL);
		buf_free(&ab);
	}
	jv_free(also);
	if (jv_get_str(st, "body")) {
		line(out, "", NULL);
		const char *body = jv_get_str(st, "body");
		buf_adds(out, body);
		if (*body && body[strlen(body) - 1] != '\n')
			buf_addc(out, '\n');
	}
	if (jv_get_kind(t) == JV_KIND_OBJECT) {
		snprintf(b, sizeof b, "\nTriage: %s %s, urgency %s, severity %s, certainty %s%s%s",
			 str(t, "priority"), str(t, "category"), str(t, "urgency"),
			 str(t, "severity"), str(t, "certainty"),
			 jv_get_str(t, "deadline") ? ", deadline " : "",
			 jv_get_str(t, "deadline") ? jv_get_str(t, "deadline") : "");
		line(out, b, NULL);
		jv rs = jv_object_get(jv_copy(t), jv_string("reasons"));
		if (jv_get_kind(rs) == JV_KIND_ARRAY)
			jv_array_foreach (rs, i, r) {
				if (jv_get_kind(r) == JV_KIND_STRING)
					line(out, "  ", jv_string_value(r));
				jv_free(r);
			}
		jv_free(rs);
	}
	jv checks = jv_object_get(jv_copy(st), jv_string("checks"));
	if (jv_get_kind(checks) == JV_KIND_ARRAY && jv_array_length(jv_copy(checks)) > 0) {
		line(out, "\nChecks:", NULL);
		jv_array_foreach (checks, i, c) {
			struct buf qb = {0};
			jv qv = jv_object_get(jv_copy(c), jv_string("query"));
			json_write(&qb, qv);
			buf_addc(&qb, '\0');
			jv hits = jv_object_get(jv_copy(c), jv_string("hits"));
			int nh =
			    jv_get_kind(hits) == JV_KIND_ARRAY ? jv_array_length(jv_copy(hits)) : 0;
			snprintf(b, sizeof b, "  %s %s: %d hit%s", str(c, "db"), qb.p, nh,
				 nh == 1 ? "" : "s");
			line(out, b, NULL);
			jv_free(hits);
			jv_free(qv);
			buf_free(&qb);
			jv_free(c);
		}
	}
	jv_free(checks);
	if (jv_get_kind(q) == JV_KIND_OBJECT) {
		jv esc = jv_object_get(jv_copy(q), jv_string("escalations"));
		snprintf(b, sizeof b, "\nQueue: %s%s%s, %d escalation%s", str(q, "status"),
			 jv_get_str(q, "assignee") ? " by " : "",
			 jv_get_str(q, "assignee") ? jv_get_str(q, "assignee") : "",
			 jv_get_kind(esc) == JV_KIND_NUMBER ? (int)jv_number_value(esc) : 0,
			 jv_get_kind(esc) == JV_KIND_NUMBER && jv_number_value(esc) == 1 ? ""
											 : "s");
		jv_free(esc);
		line(out, b, NULL);
	}
	jv log = jv_object_get(jv_copy(st), jv_string("log"));
	if (jv_get_kind(log) == JV_KIND_ARRAY)
		log_lines(out, log, "  ");
	else
		jv_free(log);
	jv replies = jv_object_get(jv_copy(st), jv_string("replies"));
	if (jv_get_kind(replies) == JV_KIND_ARRAY && jv_array_length(jv_copy(replies)) > 0) {
		line(out, "\nReplies:", NULL);
		jv_array_foreach (replies, i, r) {
			snprintf(b, sizeof b, "  %s  %s  to %s  %s", str(r, "id"), str(r, "status"),
				 str(r, "requester"), str(r, "subject"));
			line(out, b, NULL);
			jv rl = jv_object_get(jv_copy(r), jv_string("log"));
			if (jv_get_kind(rl) == JV_KIND_ARRAY)
				log_lines(out, rl, "    ");
			else
				jv_free(rl);
			jv_free(r);
		}
	}
	jv_free(replies);
	jv_free(q);
	jv_free(t);
	jv_free(st);
}

void story_print(jv story, enum out_format f)
{
	if (!out_format_is_table(f)) {
		out_jv(story);
		return;
	}
	struct buf b = {0};
	story_text(story, &b);
	out_write(b.p, b.len);
	buf_free(&b);
}

void story_report_print(jv rows, enum out_format f)
{
	if (!out_format_is_table(f)) {
		jv_array_foreach (rows, i, r) {
			out_jv(r);
		}
		jv_free(rows);
		return;
	}
	static const struct table_col cols[] = {{"BY", 8, 0, NULL},       {"KEY", 12, 0, NULL},
						{"REQUESTS", 0, 1, NULL}, {"ANSWERED", 0, 1, NULL},
						{"IN TIME", 0, 1, NULL},  {"MEDIAN", 0, 1, NULL},
						{"P95", 0, 1, NULL},      {"OVERDUE", 0, 1, NULL}};
	static const char *const nums[] = {"requests", "answered", "in_time",
					   NULL,       NULL,       "overdue"};
	static const char *const times[] = {"median_reply_s", "p95_reply_s"};
	struct table *t = table_new(cols, 8);
	jv_array_foreach (rows, i, r) {
		char cells[8][32];
		const char *row[8];
		snprintf(cells[0], 32, "%s", str(r, "by"));
		snprintf(cells[1], 32, "%s", str(r, "key"));
		for (int k = 0; k < 6; k++) {
			jv v =
			    jv_object_get(jv_copy(r), jv_string(nums[k] ? nums[k] : times[k - 3]));
			if (jv_get_kind(v) != JV_KIND_NUMBER)
				snprintf(cells[2 + k], 32, "-");
			else if (nums[k])
				snprintf(cells[2 + k], 32, "%.0f", jv_number_value(v));
			else
				story_duration(jv_number_value(v), cells[2 + k], 32);
			jv_free(v);
		}
		for (int k = 0; k < 8; k++)
			row[k] = cells[k];
		table_add(t, row);
		jv_free(r);
	}
	jv_free(rows);
	table_free(t);
}
