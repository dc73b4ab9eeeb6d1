/*
 * silence.c: silences hold back escalation pages.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/silence.h"

static const char *const SQL_NEXT = "SELECT max(coalesce(max(n), 0), ?1) + 1 FROM silences";
static const char *const SQL_ADD =
    "INSERT INTO silences(n, id, match, starts_at, ends_at, created_by, reason)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char *const SQL_LIST =
    "SELECT id, match, starts_at, ends_at, created_by, reason, expired_at, expired_by"
    " FROM silences WHERE ?1 OR (expired_at IS NULL AND ends_at > ?2) ORDER BY n DESC";
static const char *const SQL_GET =
    "SELECT id, match, starts_at, ends_at, created_by, reason, expired_at, expired_by"
    " FROM silences WHERE id = ?1";
static const char *const SQL_EXPIRE =
    "UPDATE silences SET expired_at = ?2, expired_by = ?3 WHERE id = ?1";
static const char *const SQL_ACTIVE =
    "SELECT id, match FROM silences WHERE expired_at IS NULL AND ends_at > ?1"
    " AND starts_at <= ?1 ORDER BY n";

static const char *const fields[] = {"category", "priority", "country", "text", NULL};

jv silence_match_parse(const char *text, char *why, size_t whysz)
{
	jv m = jv_object();
	char buf[1024];
	if (!text || !*text || strlen(text) >= sizeof buf) {
		snprintf(why, whysz,
			 "--match: give FIELD=VALUE terms (category, priority, country, "
			 "text), separated by commas");
		jv_free(m);
		return jv_invalid();
	}
	snprintf(buf, sizeof buf, "%s", text);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(t, '=');
		int known = 0;
		if (eq) {
			*eq = '\0';
			for (int i = 0; fields[i]; i++)
				known |= !strcmp(t, fields[i]);
		}
		if (!eq || !known || !eq[1]) {
			snprintf(why, whysz,
				 "--match: '%.60s' is not FIELD=VALUE with FIELD one of category, "
				 "priority, country, text",
				 t);
			jv_free(m);
			return jv_invalid();
		}
		jv seen = jv_object_get(jv_copy(m), jv_string(t));
		int twice = jv_is_valid(seen);
		jv_free(seen); /* jv_is_valid does not free it */
		if (twice) {
			snprintf(why, whysz, "--match: %s given twice (alternatives: A|B)", t);
			jv_free(m);
			return jv_invalid();
		}
		/* an empty alternative ("A||B", "A|") would match nothing */
		const char *v = eq + 1;
		if (*v == '|' || strstr(v, "||") || v[strlen(v) - 1] == '|') {
			snprintf(why, whysz, "--match: %s has an empty alternative in '%.60s'", t,
				 v);
			jv_free(m);
			return jv_invalid();
		}
		jv alts = jv_array();
		for (char *s2 = NULL, *a = strtok_r(eq + 1, "|", &s2); a;
		     a = strtok_r(NULL, "|", &s2))
			alts = jv_array_append(alts, jv_string(a));
		m = jv_object_set(m, jv_string(t), alts);
	}
	/* "," or ",,": no term at all, which would silence everything */
	if (jv_object_length(jv_copy(m)) == 0) {
		snprintf(why, whysz, "--match: no FIELD=VALUE term in '%.60s'", text);
		jv_free(m);
		return jv_invalid();
	}
	return m;
}

static jv row(sqlite3_stmt *st, time_t now)
{
	static const char *const names[] = {"id",         "match",  "starts_at",  "ends_at",
					    "created_by", "reason", "expired_at", "expired_by"};
	jv r = JV_OBJECT(jv_string("type"), jv_string("silence"));
	for (int i = 0; i < 8; i++) {
		const unsigned char *v = sqlite3_column_text(st, i);
		r = jv_object_set(r, jv_string(names[i]),
				  v ? jv_string((const char *)v) : jv_null());
	}
	time_t ends = 0;
	clock_parse((const char *)sqlite3_column_text(st, 3), &ends);
	int active = sqlite3_column_type(st, 6) == SQLITE_NULL && ends > now;
	return jv_object_set(r, jv_string("status"), jv_string(active ? "active" : "expired"));
}

int silence_add(struct store *s, const char *match, time_t until, const char *reason, jv *out)
{
	char id[96], now[RFC3339_LEN], end[RFC3339_LEN], why[256];
	jv m = silence_match_parse(match, why, sizeof why);
	if (!jv_is_valid(m)) {
		warnx("%s", why);
		return CCC_EX_USAGE;
	}
	jv_free(m);
	time_t t = clock_now();
	if (until <= t) {
		warnx("--until: the silence would end before it starts");
		return CCC_EX_USAGE;
	}
	sqlite3_stmt *st = store_stmt(s, SQL_NEXT);
	sqlite3_bind_int64(st, 1, store_id_floor(s, "silences"));
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return store_error(s, rc, "numbering a silence");
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(id, sizeof id, "silence-%s-%lld", store_site(s), n);
	clock_format(t, now);
	clock_format(until, end);
	st = store_stmt(s, SQL_ADD);
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, match, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, end, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, store_actor(s), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, reason, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_error(s, rc, "setting a silence");
	st = store_stmt(s, SQL_GET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return store_error(s, rc, "reading a silence");
	*out = row(st, t);
	sqlite3_reset(st);
	return 0;
}

int silence_list(struct store *s, int all, time_t now, void (*each)(jv rec, void *ctx), void *ctx)
{
	char t[RFC3339_LEN];
	sqlite3_stmt *st;
	int rc;
	clock_format(now, t);
	if (sqlite3_prepare_v2(store_db(s), SQL_LIST, -1, &st, NULL) != SQLITE_OK)
		return store_error(s, SQLITE_ERROR, "reading the silences");
	sqlite3_bind_int(st, 1, all);
	sqlite3_bind_text(st, 2, t, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		each(row(st, now), ctx);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the silences");
}

int silence_expire(struct store *s, const char *id, struct rerun *again, jv *out)
{
	char now[RFC3339_LEN];
	time_t t = clock_now();
	again->done = 0;
	sqlite3_stmt *st = store_stmt(s, SQL_GET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		warnx("silence '%s' is not in store '%s'", id, store_path(s));
		return CCC_EX_NOINPUT;
	}
	if (rc != SQLITE_ROW)
		return store_error(s, rc, "reading a silence");
	jv r = row(st, t);
	sqlite3_reset(st);
	if (!strcmp(jv_get_str(r, "status"), "expired")) {
		again->done = 1;
		snprintf(again->why, sizeof again->why, "silence '%s' has expired already", id);
		*out = r;
		return 0;
	}
	jv_free(r);
	clock_format(t, now);
	st = store_stmt(s, SQL_EXPIRE);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, store_actor(s), -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_error(s, rc, "expiring a silence");
	st = store_stmt(s, SQL_GET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return store_error(s, rc, "reading a silence");
	*out = row(st, t);
	sqlite3_reset(st);
	return 0;
}

/* 1 when value (may be NULL) is one of alts; for text, a substring of it. */
static int term_holds(jv alts, const char *value, int substring)
{
	int yes = 0;
	if (!value)
		return 0;
	jv_array_foreach (alts, i, a) {
		if (jv_get_kind(a) == JV_KIND_STRING)
			yes |= substring ? strcasestr(value, jv_string_value(a)) != NULL
					 : !strcmp(value, jv_string_value(a));
		jv_free(a);
	}
	return yes;
}

static int matches(jv m, jv rec, const char *priority)
{
	jv tr = jv_object_get(jv_copy(rec), jv_string("triage"));
	int yes = 1;
	jv_object_foreach (m, k, alts) {
		const char *f = jv_string_value(k);
		if (!strcmp(f, "category"))
			yes &= term_holds(alts, jv_get_str(tr, "category"), 0);
		else if (!strcmp(f, "priority"))
			yes &= term_holds(alts, priority, 0);
		else if (!strcmp(f, "country"))
			yes &= term_holds(alts, jv_get_str(rec, "origin_country"), 0);
		else if (!strcmp(f, "text"))
			yes &= term_holds(alts, jv_get_str(rec, "subject"), 1) ||
			       term_holds(alts, jv_get_str(rec, "body"), 1);
		jv_free(k);
		jv_free(alts);
	}
	jv_free(tr);
	return yes;
}

int silence_holds(struct store *s, jv rec, const char *priority, time_t now, char *id, size_t idsz)
{
	char t[RFC3339_LEN], why[256];
	int found = 0;
	clock_format(now, t);
	sqlite3_stmt *st = store_stmt(s, SQL_ACTIVE);
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
	while (!found && sqlite3_step(st) == SQLITE_ROW) {
		jv m =
		    silence_match_parse((const char *)sqlite3_column_text(st, 1), why, sizeof why);
		if (jv_is_valid(m) && matches(m, rec, priority)) {
			snprintf(id, idsz, "%s", sqlite3_column_text(st, 0));
			found = 1;
		}
		jv_free(m);
	}
	sqlite3_reset(st);
	return found;
}
