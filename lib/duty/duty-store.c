/*
 * duty-store.c: the duty plan's writes and listings (duty-store.h).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/duty-store.h"
#include "ccc/duty.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/opts.h" /* ccc_site_name_ok */
#include "ccc/records.h"
#include "ccc/tzcountry.h"

static const char *const SQL_LOG =
    "INSERT INTO duty_log(e, subject, ts, actor, action, detail)"
    " VALUES ((SELECT max(coalesce(max(e), 0), ccc_id_floor('duty_log')) + 1"
    " FROM duty_log), ?1, ?2, ?3, ?4, ?5)";
static const char *const SQL_SITE_ZONE = "SELECT time_zone FROM sites WHERE name = ?1";
static const char *const SQL_SHIFT_GET =
    "SELECT site, time_zone, from_min, to_min, days, min_people FROM duty_shifts"
    " WHERE name = ?1";
static const char *const SQL_SHIFT_PUT =
    "INSERT OR REPLACE INTO duty_shifts(name, site, time_zone, from_min, to_min, days,"
    " min_people, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char *const SQL_SHIFT_DEL = "DELETE FROM duty_shifts WHERE name = ?1";
static const char *const SQL_SHIFT_DEL_ROT = "DELETE FROM duty_rotations WHERE shift = ?1";
static const char *const SQL_SHIFT_DEL_OV = "DELETE FROM duty_overrides WHERE shift = ?1";
static const char *const SQL_ROT_GET =
    "SELECT shift, people, every_days, start_day FROM duty_rotations WHERE name = ?1";
static const char *const SQL_ROT_PUT =
    "INSERT OR REPLACE INTO duty_rotations(name, shift, people, every_days, start_day,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char *const SQL_ROT_DEL = "DELETE FROM duty_rotations WHERE name = ?1";
static const char *const SQL_OV_PUT =
    "INSERT INTO duty_overrides(n, shift, kind, person, other, from_at, to_at, actor,"
    " created_at) VALUES ((SELECT max(coalesce(max(n), 0), ccc_id_floor('duty_overrides')) + 1"
    " FROM duty_overrides), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING n";
static const char *const SQL_OV_SAME =
    "SELECT n FROM duty_overrides WHERE shift = ?1 AND kind = ?2 AND person = ?3"
    " AND other IS ?4 AND from_at = ?5 AND to_at = ?6";
static const char *const SQL_ROLE_GET =
    "SELECT person FROM duty_roles WHERE role = ?1 AND site = ?2";
static const char *const SQL_ROLE_PUT =
    "INSERT OR REPLACE INTO duty_roles(role, site, person) VALUES (?1, ?2, ?3)";
static const char *const SQL_ROLE_DEL = "DELETE FROM duty_roles WHERE role = ?1 AND site = ?2";
static const char *const SQL_POLICY_GET = "SELECT steps FROM duty_policies WHERE name = ?1";
static const char *const SQL_POLICY_PUT =
    "INSERT OR REPLACE INTO duty_policies(name, steps, updated_at) VALUES (?1, ?2, ?3)";
static const char *const SQL_POLICY_DEL = "DELETE FROM duty_policies WHERE name = ?1";

static const char *const SQL_LIST_SHIFTS =
    "SELECT json_object('type', 'shift', 'v', 1, 'id', name, 'name', name, 'site', site,"
    " 'time_zone', time_zone, 'from', printf('%02d:%02d', from_min / 60, from_min % 60),"
    " 'to', printf('%02d:%02d', to_min / 60, to_min % 60), 'days', days, 'min', min_people,"
    " 'updated_at', updated_at) FROM duty_shifts ORDER BY site, from_min, name";
static const char *const SQL_LIST_ROTATIONS =
    "SELECT json_object('type', 'rotation', 'v', 1, 'id', name, 'name', name, 'shift', shift,"
    " 'people', json(people), 'every', CASE WHEN every_days % 7 = 0 THEN (every_days / 7) || 'w'"
    " ELSE every_days || 'd' END, 'start', start_day, 'updated_at', updated_at)"
    " FROM duty_rotations ORDER BY shift, name";
static const char *const SQL_LIST_OVERRIDES =
    "SELECT json_object('type', 'override', 'v', 1, 'id', 'override-' || n, 'kind', kind,"
    " 'shift', shift, 'person', person, (CASE kind WHEN 'swap' THEN 'with' ELSE 'replaces' END),"
    " other, 'from', from_at, 'to', to_at, 'by', actor, 'created_at', created_at)"
    " FROM duty_overrides ORDER BY n";
static const char *const SQL_LIST_ROLES =
    "SELECT json_object('type', 'role', 'v', 1, 'id', role || '@' || site, 'role', role,"
    " 'site', site, 'person', person) FROM duty_roles ORDER BY site, role";
static const char *const SQL_LIST_POLICIES =
    "SELECT json_object('type', 'policy', 'v', 1, 'id', name, 'name', name,"
    " 'steps', json(steps), 'updated_at', updated_at) FROM duty_policies ORDER BY name";
static const char *const SQL_LIST_PAGES =
    "SELECT json_set(record, '$.status', status, '$.attempts', attempts, '$.error', error,"
    " '$.updated_at', updated_at) FROM duty_pages WHERE ?1 IS NULL OR status = ?1"
    " ORDER BY updated_at, id";
static const char *const SQL_LIST_HANDOVERS =
    "SELECT json_set(brief, '$.acked_by', acked_by, '$.acked_at', acked_at) FROM duty_handovers"
    " ORDER BY n";

int duty_log(struct store *s, const char *subject, const char *action, const char *detail)
{
	return store_log_action(s, SQL_LOG, subject, action, detail, "logging a duty action");
}

const char *duty_site_zone(struct store *s, const char *site, char *buf, size_t n)
{
	sqlite3_stmt *st = store_stmt(s, SQL_SITE_ZONE);
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		return buf;
	}
	sqlite3_reset(st);
	return duty_default_zone(site);
}

/* Step st to its end: 0, or the exit status of its error. */
static int run(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_error(s, rc, what);
}

static void bind_now(sqlite3_stmt *st, int i)
{
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	sqlite3_bind_text(st, i, now, -1, SQLITE_TRANSIENT);
}

static int same_text(sqlite3_stmt *st, int i, const char *want)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	return v && want && !strcmp((const char *)v, want);
}

int duty_shift_add(struct store *s, const struct duty_shift_in *in, int replace, int *done)
{
	char zbuf[128], detail[256], days[32];
	const char *zone = in->zone ? in->zone : duty_site_zone(s, in->site, zbuf, sizeof zbuf);
	*done = 0;
	if (!zone) {
		warnx("shift '%s': site '%s' has no time zone: give --zone (a tz database name)",
		      in->name, in->site);
		return CCC_EX_DATAERR;
	}
	if (!tz_zone_known(zone)) {
		warnx("shift '%s': '%s' is not in the time zone database", in->name, zone);
		return CCC_EX_DATAERR;
	}
	sqlite3_stmt *st = store_stmt(s, SQL_SHIFT_GET);
	sqlite3_bind_text(st, 1, in->name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int same = same_text(st, 0, in->site) && same_text(st, 1, zone) &&
			   sqlite3_column_int(st, 2) == in->from &&
			   sqlite3_column_int(st, 3) == in->to &&
			   (unsigned)sqlite3_column_int(st, 4) == in->days &&
			   sqlite3_column_int(st, 5) == in->min;
		sqlite3_reset(st);
		if (same) {
			*done = 1;
			return 0;
		}
		if (!replace) {
			warnx(
			    "shift '%s' exists with other hours: remove it first (shift remove %s)",
			    in->name, in->name);
			return CCC_EX_DATAERR;
		}
	}
	sqlite3_reset(st);
	st = store_stmt(s, SQL_SHIFT_PUT);
	sqlite3_bind_text(st, 1, in->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, zone, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, in->from);
	sqlite3_bind_int(st, 5, in->to);
	sqlite3_bind_int(st, 6, (int)in->days);
	sqlite3_bind_int(st, 7, in->min);
	bind_now(st, 8);
	int rc = run(s, st, "storing a shift");
	if (rc)
		return rc;
	duty_format_days(in->days, days, sizeof days);
	snprintf(detail, sizeof detail, "%s %02d:%02d-%02d:%02d %s (%s), at least %d", in->site,
		 in->from / 60, in->from % 60, in->to / 60, in->to % 60, days, zone, in->min);
	return duty_log(s, in->name, "shift", detail);
}

/* Delete the row named by sql; *done when there was none. */
static int remove_named(struct store *s, const char *sql, const char *name, const char *what,
			int *done)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = run(s, st, what);
	*done = !rc && sqlite3_changes(store_db(s)) == 0;
	return rc;
}

int duty_shift_remove(struct store *s, const char *name, int *done)
{
	int rc, d;
	if ((rc = remove_named(s, SQL_SHIFT_DEL, name, "removing a shift", done)) || *done)
		return rc;
	if ((rc = remove_named(s, SQL_SHIFT_DEL_ROT, name, "removing a shift's rotations", &d)) ||
	    (rc = remove_named(s, SQL_SHIFT_DEL_OV, name, "removing a shift's overrides", &d)))
		return rc;
	return duty_log(s, name, "shift remove", NULL);
}

static int shift_exists(struct store *s, const char *name)
{
	sqlite3_stmt *st = store_stmt(s, SQL_SHIFT_GET);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

int duty_rotation_add(struct store *s, const char *name, const char *shift, jv people, int every,
		      const char *start, int replace, int *done)
{
	struct buf b = {0};
	*done = 0;
	if (!shift_exists(s, shift)) {
		warnx("rotation '%s': no shift '%s' (shift add %s ...)", name, shift, shift);
		jv_free(people);
		return CCC_EX_NOINPUT;
	}
	json_write(&b, people);
	buf_addc(&b, '\0');
	jv_free(people);
	sqlite3_stmt *st = store_stmt(s, SQL_ROT_GET);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int same = same_text(st, 0, shift) && same_text(st, 1, b.p) &&
			   sqlite3_column_int(st, 2) == every && same_text(st, 3, start);
		sqlite3_reset(st);
		if (same || !replace) {
			if (!same)
				warnx("rotation '%s' exists: remove it first (rotation remove %s)",
				      name, name);
			buf_free(&b);
			*done = same;
			return same ? 0 : CCC_EX_DATAERR;
		}
	}
	sqlite3_reset(st);
	st = store_stmt(s, SQL_ROT_PUT);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, shift, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, b.p, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, every);
	sqlite3_bind_text(st, 5, start, -1, SQLITE_STATIC);
	bind_now(st, 6);
	int rc = run(s, st, "storing a rotation");
	if (!rc)
		rc = duty_log(s, name, "rotation", b.p);
	buf_free(&b);
	return rc;
}

int duty_rotation_remove(struct store *s, const char *name, int *done)
{
	int rc = remove_named(s, SQL_ROT_DEL, name, "removing a rotation", done);
	return rc || *done ? rc : duty_log(s, name, "rotation remove", NULL);
}

int duty_override_add(struct store *s, const char *kind, const char *shift, const char *person,
		      const char *other, time_t from, time_t to, int *done, jv *out)
{
	char a[RFC3339_LEN], b[RFC3339_LEN], now[RFC3339_LEN], id[64], detail[512];
	if (!shift_exists(s, shift)) {
		warnx("%s: no shift '%s'", kind, shift);
		return CCC_EX_NOINPUT;
	}
	clock_format(from, a);
	clock_format(to, b);
	clock_format(clock_now(), now);
	/* a rerun finds the same override there and adds none */
	sqlite3_stmt *st = store_stmt(s, SQL_OV_SAME);
	sqlite3_bind_text(st, 1, shift, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, person, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, other, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, b, -1, SQLITE_STATIC);
	long long same = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	*done = same > 0;
	st = store_stmt(s, SQL_OV_PUT);
	sqlite3_bind_text(st, 1, shift, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, person, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, other, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, b, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, store_actor(s) ? store_actor(s) : "unknown", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, now, -1, SQLITE_STATIC);
	int rc = same ? SQLITE_ROW : sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_error(s, rc, "storing an override");
	}
	snprintf(id, sizeof id, "override-%lld",
		 same ? same : (long long)sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	snprintf(detail, sizeof detail, "%s %s%s%s from %s to %s", shift, person,
		 other ? (!strcmp(kind, "swap") ? " with " : " for ") : "", other ? other : "", a,
		 b);
	if (!same && (rc = duty_log(s, id, kind, detail)))
		return rc;
	jv r = JV_OBJECT(jv_string("type"), jv_string("override"), jv_string("v"),
			 jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	r = jv_object_set(r, jv_string("kind"), jv_string(kind));
	r = jv_object_set(r, jv_string("shift"), jv_string(shift));
	r = jv_object_set(r, jv_string("person"), jv_string(person));
	if (other)
		r = jv_object_set(r, jv_string(!strcmp(kind, "swap") ? "with" : "replaces"),
				  jv_string(other));
	r = jv_object_set(r, jv_string("from"), jv_string(a));
	*out = jv_object_set(r, jv_string("to"), jv_string(b));
	return 0;
}

int duty_role_set(struct store *s, const char *role, const char *site, const char *person,
		  int *done)
{
	sqlite3_stmt *st = store_stmt(s, SQL_ROLE_GET);
	sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, site, -1, SQLITE_STATIC);
	int there = sqlite3_step(st) == SQLITE_ROW;
	*done = there ? person && same_text(st, 0, person) : !person;
	sqlite3_reset(st);
	if (*done)
		return 0;
	st = store_stmt(s, person ? SQL_ROLE_PUT : SQL_ROLE_DEL);
	sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, site, -1, SQLITE_STATIC);
	if (person)
		sqlite3_bind_text(st, 3, person, -1, SQLITE_STATIC);
	int rc = run(s, st, "storing a duty role");
	char subject[160];
	snprintf(subject, sizeof subject, "%s@%s", role, site);
	return rc ? rc : duty_log(s, subject, "role", person);
}

int duty_policy_add(struct store *s, const char *name, jv steps, int replace, int *done)
{
	struct buf b = {0};
	json_write(&b, steps);
	buf_addc(&b, '\0');
	jv_free(steps);
	sqlite3_stmt *st = store_stmt(s, SQL_POLICY_GET);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	*done = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		int same = same_text(st, 0, b.p);
		sqlite3_reset(st);
		if (same || !replace) {
			if (!same)
				warnx("policy '%s' exists with other steps: remove it first "
				      "(policy remove %s)",
				      name, name);
			buf_free(&b);
			*done = same;
			return same ? 0 : CCC_EX_DATAERR;
		}
	}
	sqlite3_reset(st);
	st = store_stmt(s, SQL_POLICY_PUT);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b.p, -1, SQLITE_STATIC);
	bind_now(st, 3);
	int rc = run(s, st, "storing a policy");
	if (!rc)
		rc = duty_log(s, name, "policy", b.p);
	buf_free(&b);
	return rc;
}

int duty_policy_remove(struct store *s, const char *name, int *done)
{
	int rc = remove_named(s, SQL_POLICY_DEL, name, "removing a policy", done);
	return rc || *done ? rc : duty_log(s, name, "policy remove", NULL);
}

/* ---- plan files ---- */

struct where {
	const char *file;
	unsigned long line;
};

static int bad(const struct where *w, const char *field, const char *why)
{
	warnx("%s:%lu: %s: %s", w->file, w->line, field, why);
	return CCC_EX_DATAERR;
}

/* The string field key of rec, which must be a name when name is set. */
static int need_str(const struct where *w, jv rec, const char *key, int name, const char **out)
{
	*out = jv_get_str(rec, key);
	if (!*out)
		return bad(w, key, "missing, or not a string");
	if (name && !duty_name_ok(*out))
		return bad(w, key, "not a name (a-z, 0-9, - and _)");
	return 0;
}

static int plan_shift(struct store *s, const struct where *w, jv rec)
{
	struct duty_shift_in in = {.min = 1};
	const char *from, *to, *days;
	int rc, done;
	if ((rc = need_str(w, rec, "name", 1, &in.name)) ||
	    (rc = need_str(w, rec, "site", 0, &in.site)) ||
	    (rc = need_str(w, rec, "from", 0, &from)) || (rc = need_str(w, rec, "to", 0, &to)))
		return rc;
	if (!ccc_site_name_ok(in.site))
		return bad(w, "site", "not a site name");
	if (duty_parse_hhmm(from, &in.from) < 0 || in.from == 1440)
		return bad(w, "from", "not a time HH:MM");
	if (duty_parse_hhmm(to, &in.to) < 0)
		return bad(w, "to", "not a time HH:MM");
	days = jv_get_str(rec, "days");
	if (duty_parse_days(days ? days : "mon-sun", &in.days) < 0)
		return bad(w, "days", "not days such as mon-sun or mon-fri,sun");
	in.zone = jv_get_str(rec, "time_zone");
	jv m = jv_object_get(jv_copy(rec), jv_string("min"));
	if (jv_get_kind(m) == JV_KIND_NUMBER) {
		/* checked before the cast: a double out of an int's range (1e300)
		 * cast to int is undefined */
		double v = jv_number_value(m);
		in.min = v >= 0 && v <= 1000 && v == (int)v ? (int)v : -1;
	} else if (jv_is_valid(m)) {
		in.min = -1;
	}
	jv_free(m);
	if (in.min < 0)
		return bad(w, "min", "not a whole number from 0 to 1000");
	return duty_shift_add(s, &in, 1, &done);
}

static int plan_rotation(struct store *s, const struct where *w, jv rec)
{
	const char *name, *shift, *every, *start;
	int rc, days, done;
	long d;
	if ((rc = need_str(w, rec, "name", 1, &name)) ||
	    (rc = need_str(w, rec, "shift", 1, &shift)) ||
	    (rc = need_str(w, rec, "every", 0, &every)) ||
	    (rc = need_str(w, rec, "start", 0, &start)))
		return rc;
	if (duty_parse_every(every, &days) < 0)
		return bad(w, "every", "not a period such as 1w or 3d");
	if (duty_parse_day(start, &d) < 0)
		return bad(w, "start", "not a date YYYY-MM-DD");
	jv people = jv_object_get(jv_copy(rec), jv_string("people"));
	int ok = jv_get_kind(people) == JV_KIND_ARRAY && jv_array_length(jv_copy(people)) > 0;
	if (ok) {
		jv_array_foreach (people, i, e) {
			ok = ok && jv_get_kind(e) == JV_KIND_STRING && *jv_string_value(e) != '\0';
			jv_free(e);
		}
	}
	if (!ok) {
		jv_free(people);
		return bad(w, "people", "not an array of names");
	}
	rc = duty_rotation_add(s, name, shift, people, days, start, 1, &done);
	return rc == CCC_EX_NOINPUT ? bad(w, "shift", "no such shift (put it before)") : rc;
}

static int plan_role(struct store *s, const struct where *w, jv rec)
{
	const char *role, *site, *person;
	int rc, done;
	if ((rc = need_str(w, rec, "role", 1, &role)) ||
	    (rc = need_str(w, rec, "site", 0, &site)) ||
	    (rc = need_str(w, rec, "person", 0, &person)))
		return rc;
	return duty_role_set(s, role, site, person, &done);
}

static int plan_policy(struct store *s, const struct where *w, jv rec)
{
	const char *name;
	int rc, done;
	if ((rc = need_str(w, rec, "name", 1, &name)))
		return rc;
	jv steps = jv_object_get(jv_copy(rec), jv_string("steps")), out = jv_array();
	long last = -1;
	int ok = jv_get_kind(steps) == JV_KIND_ARRAY && jv_array_length(jv_copy(steps)) > 0;
	if (ok) {
		jv_array_foreach (steps, i, e) {
			long sec;
			char target[80];
			if (ok &&
			    (jv_get_kind(e) != JV_KIND_STRING ||
			     duty_parse_step(jv_string_value(e), &sec, target, sizeof target) < 0 ||
			     sec < last))
				ok = 0;
			if (ok) {
				out = jv_array_append(
				    out, JV_OBJECT(jv_string("after"), jv_number((double)sec),
						   jv_string("target"), jv_string(target)));
				last = sec;
			}
			jv_free(e);
		}
	}
	jv_free(steps);
	if (!ok) {
		jv_free(out);
		return bad(w, "steps", "not an array of steps such as \"5m:supervisor\", in order");
	}
	return duty_policy_add(s, name, out, 1, &done);
}

int duty_plan_read(struct store *s, int fd, const char *file, size_t max_line, long *count)
{
	struct ndjson_reader *r = ndjson_open(fd, file, max_line);
	struct ndjson_line ln;
	int rc = 0, got;
	*count = 0;
	while (!rc && (got = ndjson_next(r, &ln, -1)) == NDJSON_LINE) {
		struct where w = {file, ln.lineno};
		if (!jv_is_valid(ln.value)) {
			rc = bad(&w, "line", ln.reason);
			jv_free(ln.value);
			break;
		}
		const char *type = jv_get_str(ln.value, "type");
		if (!type)
			rc = bad(&w, "type", "missing");
		else if (!strcmp(type, "shift"))
			rc = plan_shift(s, &w, ln.value);
		else if (!strcmp(type, "rotation"))
			rc = plan_rotation(s, &w, ln.value);
		else if (!strcmp(type, "role"))
			rc = plan_role(s, &w, ln.value);
		else if (!strcmp(type, "policy"))
			rc = plan_policy(s, &w, ln.value);
		else
			rc = bad(&w, "type", "not shift, rotation, role or policy");
		jv_free(ln.value);
		if (!rc)
			++*count;
	}
	if (!rc && got == NDJSON_ERROR) {
		warnx("%s: cannot read", file);
		rc = CCC_EX_IOERR;
	}
	ndjson_close(r);
	return rc;
}

int duty_list(struct store *s, const char *what, const char *status, jv *out)
{
	const char *sql = !strcmp(what, "shifts")      ? SQL_LIST_SHIFTS
			  : !strcmp(what, "rotations") ? SQL_LIST_ROTATIONS
			  : !strcmp(what, "overrides") ? SQL_LIST_OVERRIDES
			  : !strcmp(what, "roles")     ? SQL_LIST_ROLES
			  : !strcmp(what, "policies")  ? SQL_LIST_POLICIES
			  : !strcmp(what, "pages")     ? SQL_LIST_PAGES
						       : SQL_LIST_HANDOVERS;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (status)
		sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	int rc = records_list(s, st, what, out);
	if (rc || strcmp(what, "shifts") != 0)
		return rc;
	/* days as text */
	jv a = jv_array();
	jv_array_foreach (*out, i, r) {
		jv d = jv_object_get(jv_copy(r), jv_string("days"));
		char days[32] = "";
		if (jv_get_kind(d) == JV_KIND_NUMBER)
			duty_format_days((unsigned)jv_number_value(d), days, sizeof days);
		jv_free(d);
		a = jv_array_append(a, jv_object_set(r, jv_string("days"), jv_string(days)));
	}
	jv_free(*out);
	*out = a;
	return 0;
}
