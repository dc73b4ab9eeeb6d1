/*
 * case.c: cases in the store (see case.h): open, close, reopen, read and
 * list, each change logged in case_log.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "ccc/case.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/notice.h"
#include "ccc/records.h"
#include "ccc/utf8.h"

const char *const case_kinds_of_case[] = {"operation", "incident", NULL};
const char *const case_statuses[] = {"open", "closed", NULL};

static const char *const SQL_NEXT = "SELECT max(coalesce(max(n), 0), ?1) + 1 FROM cases";
static const char *const SQL_PUT =
    "INSERT INTO cases(id, n, kind, status, title, owner, record, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char *const SQL_GET = "SELECT record FROM cases WHERE id = ?1";
static const char *const SQL_SET =
    "UPDATE cases SET status = ?2, record = ?3, updated_at = ?4 WHERE id = ?1";
static const char *const SQL_LIST = "SELECT record FROM cases WHERE (?1 IS NULL OR status = ?1)"
				    " AND (?2 IS NULL OR kind = ?2) ORDER BY n";
static const char *const SQL_LOG =
    "INSERT INTO case_log(e, case_id, ts, actor, action, detail)"
    " VALUES ((SELECT max(coalesce(max(e), 0), ccc_id_floor('case_log')) + 1"
    " FROM case_log), ?1, ?2, ?3, ?4, ?5)";
static const char *const SQL_LOG_GET =
    "SELECT ts, actor, action, detail FROM case_log WHERE case_id = ?1 ORDER BY e";

int case_text_ok(const char *text, const char **why)
{
	size_t n = text ? strlen(text) : 0;
	if (n == 0) {
		*why = "it is empty";
		return 0;
	}
	if (n > 300) {
		*why = "it is longer than 300 bytes";
		return 0;
	}
	if (!utf8_valid(text, n)) {
		*why = "it is not valid UTF-8";
		return 0;
	}
	if (utf8_has_controls(text, n, 0)) {
		*why = "it holds a control character";
		return 0;
	}
	return 1;
}

/* Append the comma-separated words of list to arr, each checked by ok. */
static jv add_list(jv arr, const char *list, int (*ok)(const char *), const char *what, char *err,
		   size_t errlen)
{
	if (!list)
		return arr;
	const char *p = list;
	while (jv_is_valid(arr)) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char word[64];
		if (n == 0 || n >= sizeof word) {
			snprintf(err, errlen, "'%s' is not a list of %ss", list, what);
			jv_free(arr);
			return jv_invalid();
		}
		memcpy(word, p, n);
		word[n] = '\0';
		if (!ok(word)) {
			snprintf(err, errlen, "'%s' is not a known %s", word, what);
			jv_free(arr);
			return jv_invalid();
		}
		int have = 0;
		jv_array_foreach (arr, i, w) {
			have |= !strcmp(jv_string_value(w), word);
			jv_free(w);
		}
		if (!have)
			arr = jv_array_append(arr, jv_string(word));
		if (!comma)
			break;
		p = comma + 1;
	}
	return arr;
}

static int region_ok(const char *name)
{
	jv r = notice_region(name);
	int ok = jv_is_valid(r);
	jv_free(r);
	return ok;
}

jv case_distribution(const char *countries, const char *regions, char *err, size_t errlen)
{
	jv c = add_list(jv_array(), countries, notice_country_known, "ISO 3166 country code", err,
			errlen);
	if (!jv_is_valid(c))
		return c;
	jv r = add_list(jv_array(), regions, region_ok,
			"region (africa, americas, asia-south-pacific, europe, mena)", err, errlen);
	if (!jv_is_valid(r)) {
		jv_free(c);
		return r;
	}
	return JV_OBJECT(jv_string("countries"), c, jv_string("regions"), r);
}

/* 1 when the array of strings arr (not consumed) holds s. */
static int holds(jv arr, const char *s)
{
	int found = 0;
	if (jv_get_kind(arr) != JV_KIND_ARRAY)
		return 0;
	jv_array_foreach (arr, i, v) {
		if (jv_get_kind(v) == JV_KIND_STRING && !strcmp(jv_string_value(v), s))
			found = 1;
		jv_free(v);
	}
	return found;
}

int case_visible_to(jv distribution, const char *cc)
{
	if (!cc)
		return 0;
	jv c = jv_object_get(jv_copy(distribution), jv_string("countries"));
	int yes = holds(c, cc);
	jv_free(c);
	if (yes)
		return 1;
	jv r = jv_object_get(jv_copy(distribution), jv_string("regions"));
	if (jv_get_kind(r) == JV_KIND_ARRAY) {
		jv_array_foreach (r, i, name) {
			if (!yes && jv_get_kind(name) == JV_KIND_STRING) {
				jv members = notice_region(jv_string_value(name));
				yes = holds(members, cc);
				jv_free(members);
			}
			jv_free(name);
		}
	}
	jv_free(r);
	return yes;
}

int case_log(struct store *s, const char *id, const char *action, const char *detail)
{
	return store_log_action(s, SQL_LOG, id, action, detail, "logging a case action");
}

int case_get(struct store *s, const char *id, jv *out)
{
	return records_get(s, SQL_GET, "case", "cases", id, out);
}

int case_open(struct store *s, const char *kind, const char *title, const char *lead,
	      jv distribution, jv *out)
{
	char id[96], now[RFC3339_LEN];
	struct buf b = {0};
	sqlite3_stmt *st = store_stmt(s, SQL_NEXT);
	if (!st) {
		jv_free(distribution);
		return CCC_EX_SOFTWARE;
	}
	sqlite3_bind_int64(st, 1, store_id_floor(s, "cases"));
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		jv_free(distribution);
		return store_error(s, rc, "numbering the case");
	}
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(id, sizeof id, "case-%s-%lld", store_site(s), n);
	clock_format(clock_now(), now);
	const char *owner = store_actor(s) ? store_actor(s) : "";
	jv r = JV_OBJECT(jv_string("type"), jv_string("case"), jv_string("v"),
			 jv_number(RECORD_VERSION), jv_string("id"), jv_string(id),
			 jv_string("kind"), jv_string(kind), jv_string("status"), jv_string("open"),
			 jv_string("title"), jv_string(title));
	r = jv_object_set(r, jv_string("lead"), lead ? jv_string(lead) : jv_null());
	r = jv_object_set(r, jv_string("owner"), jv_string(owner));
	r = jv_object_set(r, jv_string("distribution"), distribution);
	r = jv_object_set(r, jv_string("opened_at"), jv_string(now));
	r = jv_object_set(r, jv_string("updated_at"), jv_string(now));
	json_write(&b, r);
	if (!(st = store_stmt(s, SQL_PUT))) {
		buf_free(&b);
		jv_free(r);
		return CCC_EX_SOFTWARE;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, "open", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	buf_free(&b);
	if (rc != SQLITE_DONE) {
		jv_free(r);
		return store_error(s, rc, "storing the case");
	}
	if ((rc = case_log(s, id, "open", title))) {
		jv_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int case_set_status(struct store *s, const char *id, const char *status, struct rerun *again,
		    jv *out)
{
	jv rec;
	char now[RFC3339_LEN];
	struct buf b = {0};
	int rc = case_get(s, id, &rec);
	if (rc)
		return rc;
	const char *cur = jv_get_str(rec, "status");
	if (cur && !strcmp(cur, status)) {
		again->done = 1;
		snprintf(again->why, sizeof again->why, "case '%s' is %s already", id, status);
		*out = rec;
		return 0;
	}
	clock_format(clock_now(), now);
	rec = jv_object_set(rec, jv_string("status"), jv_string(status));
	rec = jv_object_set(rec, jv_string("updated_at"), jv_string(now));
	if (!strcmp(status, "closed"))
		rec = jv_object_set(rec, jv_string("closed_at"), jv_string(now));
	else
		rec = jv_object_delete(rec, jv_string("closed_at"));
	json_write(&b, rec);
	sqlite3_stmt *st = store_stmt(s, SQL_SET);
	if (!st) {
		buf_free(&b);
		jv_free(rec);
		return CCC_EX_SOFTWARE;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	buf_free(&b);
	if (rc != SQLITE_DONE) {
		jv_free(rec);
		return store_error(s, rc, "updating the case");
	}
	if ((rc = case_log(s, id, !strcmp(status, "closed") ? "close" : "reopen", NULL))) {
		jv_free(rec);
		return rc;
	}
	*out = rec;
	return 0;
}

int case_read(struct store *s, const char *id, jv *out)
{
	jv rec, links, log;
	int rc = case_get(s, id, &rec);
	if (rc)
		return rc;
	if ((rc = case_links(s, id, &links))) {
		jv_free(rec);
		return rc;
	}
	rec = jv_object_set(rec, jv_string("links"), links);
	if ((rc = records_log(s, SQL_LOG_GET, id, "reading the case log", &log))) {
		jv_free(rec);
		return rc;
	}
	*out = jv_object_set(rec, jv_string("log"), log);
	return 0;
}

int case_list(struct store *s, const char *status, const char *kind, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_LIST);
	if (st) {
		sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	}
	return records_list(s, st, "listing the cases", out);
}
