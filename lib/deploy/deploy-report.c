/*
 * deploy-report.c: counting a deployment's field checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/deploy-report.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/xmalloc.h"

static const char *const SQL_CONSULTATIONS =
    "SELECT ts, db, actor, CASE WHEN json_valid(hits) AND json_type(hits) = 'array'"
    " THEN json_array_length(hits) ELSE 0 END"
    " FROM consultations WHERE deployment = ?1 ORDER BY c";

/* The tally of key in *list (added when missing, the list kept sorted). */
static struct deploy_tally *tally_of(struct deploy_tally **list, size_t *n, const char *key)
{
	size_t lo = 0, hi = *n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp((*list)[mid].key, key, sizeof(*list)->key - 1);
		if (!c)
			return &(*list)[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	struct deploy_tally *p = xrealloc(*list, (*n + 1) * sizeof **list);
	memmove(p + lo + 1, p + lo, (*n - lo) * sizeof *p);
	memset(&p[lo], 0, sizeof *p);
	strncpy(p[lo].key, key, sizeof p[lo].key - 1);
	*list = p;
	(*n)++;
	return &p[lo];
}

void deploy_report_add(struct deploy_report *r, const char *ts, const char *db, const char *actor,
		       long hits)
{
	char day[11] = "unknown";
	if (ts && strlen(ts) >= 10) {
		memcpy(day, ts, 10);
		day[10] = '\0';
	}
	struct deploy_tally *t[3] = {
	    tally_of(&r->days, &r->ndays, day),
	    tally_of(&r->dbs, &r->ndbs, db ? db : "unknown"),
	    tally_of(&r->members, &r->nmembers, actor ? actor : "unknown"),
	};
	for (int i = 0; i < 3; i++) {
		t[i]->checks++;
		t[i]->hits += hits;
	}
	r->checks++;
	r->hits += hits;
}

void deploy_report_member(struct deploy_report *r, const char *member)
{
	tally_of(&r->members, &r->nmembers, member);
}

static jv tallies(const struct deploy_tally *t, size_t n, const char *key)
{
	jv a = jv_array();
	for (size_t i = 0; i < n; i++)
		a = jv_array_append(a,
				    JV_OBJECT(jv_string(key), jv_string(t[i].key),
					      jv_string("checks"), jv_number((double)t[i].checks),
					      jv_string("hits"), jv_number((double)t[i].hits)));
	return a;
}

jv deploy_report_json(const struct deploy_report *r)
{
	jv o = JV_OBJECT(jv_string("checks"), jv_number((double)r->checks), jv_string("hits"),
			 jv_number((double)r->hits));
	o = jv_object_set(o, jv_string("by_day"), tallies(r->days, r->ndays, "day"));
	o = jv_object_set(o, jv_string("by_db"), tallies(r->dbs, r->ndbs, "db"));
	return jv_object_set(o, jv_string("by_member"), tallies(r->members, r->nmembers, "member"));
}

void deploy_report_free(struct deploy_report *r)
{
	free(r->days);
	free(r->dbs);
	free(r->members);
	memset(r, 0, sizeof *r);
}

int deploy_report_load(struct store *s, const char *id, struct deploy_report *r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_CONSULTATIONS);
	int rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		deploy_report_add(r, (const char *)sqlite3_column_text(st, 0),
				  (const char *)sqlite3_column_text(st, 1),
				  (const char *)sqlite3_column_text(st, 2),
				  sqlite3_column_int64(st, 3));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the consultations");
}

/* {"from","to","seconds","text","started","ongoing"} of dep (not consumed). */
static jv duration(jv dep, time_t now)
{
	char from[RFC3339_LEN], to[RFC3339_LEN], text[64];
	const char *status = jv_get_str(dep, "status");
	const char *started = jv_get_str(dep, "started_at"), *ended = jv_get_str(dep, "ended_at");
	int ongoing = status && !strcmp(status, "active");
	time_t a = 0, b = 0;
	clock_parse(started ? started : jv_get_str(dep, "starts_at"), &a);
	if (ended)
		clock_parse(ended, &b);
	else if (ongoing)
		b = now;
	else
		clock_parse(jv_get_str(dep, "ends_at"), &b);
	if (b < a)
		b = a;
	clock_format(a, from);
	clock_format(b, to);
	long secs = (long)(b - a);
	snprintf(text, sizeof text, "%ldd %02ldh %02ldm", secs / 86400, secs % 86400 / 3600,
		 secs % 3600 / 60);
	jv d = JV_OBJECT(jv_string("from"), jv_string(from), jv_string("to"), jv_string(to),
			 jv_string("seconds"), jv_number((double)secs));
	d = jv_object_set(d, jv_string("text"), jv_string(text));
	d = jv_object_set(d, jv_string("started"), jv_bool(started != NULL));
	return jv_object_set(d, jv_string("ongoing"), jv_bool(ongoing));
}

jv deploy_report_record(const char *id, jv dep, struct deploy_report *r, time_t now)
{
	const char *status = jv_get_str(dep, "status");
	jv members = jv_object_get(jv_copy(dep), jv_string("members"));
	if (jv_get_kind(members) == JV_KIND_ARRAY) {
		jv_array_foreach (members, i, m) {
			if (jv_get_str(m, "staff"))
				deploy_report_member(r, jv_get_str(m, "staff"));
			jv_free(m);
		}
	}
	jv_free(members);
	jv rec = JV_OBJECT(jv_string("type"), jv_string("report"), jv_string("v"),
			   jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	rec = jv_object_set(rec, jv_string("deployment"), jv_string(id));
	rec = jv_object_set(rec, jv_string("status"), jv_string(status ? status : "?"));
	rec = jv_object_set(rec, jv_string("duration"), duration(dep, now));
	jv counts = deploy_report_json(r);
	jv_object_foreach (counts, k, v) {
		rec = jv_object_set(rec, k, v);
	}
	jv_free(counts);
	return rec;
}
