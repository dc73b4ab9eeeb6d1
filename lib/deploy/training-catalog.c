/*
 * training-catalog.c: the course and skill catalogues: names to slots, and
 * adding, changing, listing and removing entries.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/training-catalog.h"

static const char *const SQL_COURSES =
    "SELECT name, slot, valid_months, title, kinds FROM courses ORDER BY slot";
static const char *const SQL_SKILLS = "SELECT name, slot, 0, title, '' FROM skills ORDER BY slot";
static const char *const SQL_COURSE_GET =
    "SELECT slot, valid_months, title, kinds FROM courses WHERE name = ?1";
static const char *const SQL_SKILL_GET = "SELECT slot, 0, title, '' FROM skills WHERE name = ?1";
static const char *const SQL_COURSE_FREE =
    "SELECT coalesce((SELECT min(slot) + 1 FROM courses c WHERE NOT EXISTS"
    " (SELECT 1 FROM courses d WHERE d.slot = c.slot + 1)), 0)";
static const char *const SQL_SKILL_FREE =
    "SELECT coalesce((SELECT min(slot) + 1 FROM skills c WHERE NOT EXISTS"
    " (SELECT 1 FROM skills d WHERE d.slot = c.slot + 1)), 0)";
static const char *const SQL_COURSE_PUT =
    "INSERT INTO courses(name, slot, valid_months, title, kinds, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(name) DO UPDATE SET"
    " valid_months = excluded.valid_months, title = excluded.title,"
    " kinds = excluded.kinds, updated_at = excluded.updated_at";
static const char *const SQL_SKILL_PUT =
    "INSERT INTO skills(name, slot, title, updated_at) VALUES (?1, ?2, ?4, ?6)"
    " ON CONFLICT(name) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at";
static const char *const SQL_COURSE_USED =
    "SELECT (SELECT s.id FROM staff s, json_each(s.record, '$.trainings') j"
    "  WHERE json_extract(j.value, '$.course') = ?1 LIMIT 1),"
    " (SELECT t.id FROM trainees t, json_each(t.record, '$.trainings') j"
    "  WHERE json_extract(j.value, '$.course') = ?1 LIMIT 1),"
    " (SELECT id FROM training_sessions WHERE course = ?1 LIMIT 1)";
static const char *const SQL_SKILL_USED =
    "SELECT (SELECT s.id FROM staff s, json_each(s.record, '$.skills') j"
    "  WHERE j.value = ?1 LIMIT 1), NULL, NULL";
static const char *const SQL_COURSE_DEL = "DELETE FROM courses WHERE name = ?1";
static const char *const SQL_SKILL_DEL = "DELETE FROM skills WHERE name = ?1";

/* The shipped catalogue: what migration 14 inserts. */
static struct training_entry courses[TRAINING_SLOTS] = {
    {"irt_readiness", "Incident Response Team readiness", 24, "irt"},
    {"imest_readiness", "Major Event Support Team readiness", 24, "imest"},
    {"hostile_environment", "Hostile environment awareness", 36, ""},
    {"first_aid", "First aid", 24, ""},
};
static struct training_entry skills[TRAINING_SLOTS] = {
    {"disaster_victim_identification", "Disaster victim identification", 0, ""},
    {"forensics", "Forensics", 0, ""},
    {"counter_terrorism", "Counter-terrorism", 0, ""},
    {"fugitive_investigation", "Fugitive investigation", 0, ""},
    {"cybercrime", "Cybercrime", 0, ""},
    {"database_support", "Database support", 0, ""},
    {"firearms", "Firearms", 0, ""},
    {"crisis_management", "Crisis management", 0, ""},
    {"liaison", "Liaison", 0, ""},
    {"team_lead", "Team lead", 0, ""},
};
static char course_names[TRAINING_SLOTS * (TRAINING_NAME_MAX + 2)];
static char skill_names[TRAINING_SLOTS * (TRAINING_NAME_MAX + 2)];

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t n)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	snprintf(out, n, "%s", v ? v : "");
}

static int load_one(struct store *s, const char *sql, struct training_entry *tab)
{
	struct training_entry fresh[TRAINING_SLOTS];
	sqlite3_stmt *st = store_stmt(s, sql);
	int rc;
	if (!st)
		return store_error(s, SQLITE_ERROR, "reading the catalogue");
	memset(fresh, 0, sizeof fresh);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int slot = sqlite3_column_int(st, 1);
		if (slot < 0 || slot >= TRAINING_SLOTS)
			continue;
		struct training_entry *e = &fresh[slot];
		copy_col(st, 0, e->name, sizeof e->name);
		copy_col(st, 3, e->title, sizeof e->title);
		copy_col(st, 4, e->kinds, sizeof e->kinds);
		e->valid_months = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "reading the catalogue");
	memcpy(tab, fresh, sizeof fresh);
	return 0;
}

int training_catalog_load(struct store *s)
{
	int rc = load_one(s, SQL_COURSES, courses);
	if (!rc)
		rc = load_one(s, SQL_SKILLS, skills);
	course_names[0] = skill_names[0] = '\0';
	return rc;
}

static int slot_of(const struct training_entry *tab, const char *name)
{
	for (int i = 0; i < TRAINING_SLOTS; i++)
		if (tab[i].name[0] && !strcmp(tab[i].name, name))
			return i;
	return -1;
}

int training_course_slot(const char *name)
{
	return slot_of(courses, name);
}

int training_skill_slot(const char *name)
{
	return slot_of(skills, name);
}

const char *training_course_name(int slot)
{
	return slot >= 0 && slot < TRAINING_SLOTS && courses[slot].name[0] ? courses[slot].name
									   : "?";
}

const char *training_skill_name(int slot)
{
	return slot >= 0 && slot < TRAINING_SLOTS && skills[slot].name[0] ? skills[slot].name : "?";
}

const struct training_entry *training_course(int slot)
{
	return slot >= 0 && slot < TRAINING_SLOTS && courses[slot].name[0] ? &courses[slot] : NULL;
}

static const char *names_of(const struct training_entry *tab, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < TRAINING_SLOTS; i++)
		if (tab[i].name[0] && len + 1 < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "",
						tab[i].name);
	return out;
}

const char *training_course_names(void)
{
	return names_of(courses, course_names, sizeof course_names);
}

const char *training_skill_names(void)
{
	return names_of(skills, skill_names, sizeof skill_names);
}

/* 1 when the comma-separated list has item. */
static int list_has(const char *list, const char *item)
{
	size_t n = strlen(item);
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && !strncmp(p, item, n))
			return 1;
		p += len + (comma != NULL);
	}
	return 0;
}

unsigned training_courses_for(const char *kind)
{
	unsigned set = 0;
	for (int i = 0; i < TRAINING_SLOTS; i++)
		if (courses[i].name[0] && list_has(courses[i].kinds, kind))
			set |= 1u << i;
	return set;
}

int training_valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= TRAINING_NAME_MAX || name[0] < 'a' || name[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_'))
			return 0;
	return 1;
}

int training_parse_months(const char *s)
{
	char *end;
	if (!s || *s < '0' || *s > '9')
		return -1;
	long v = strtol(s, &end, 10);
	if (*end == 'y' && !end[1])
		v *= 12;
	else if (!(*end == 'm' && !end[1]) && *end)
		return -1;
	return v >= 1 && v <= 600 ? (int)v : -1;
}

int training_parse_kinds(const char *s, char *out, size_t n)
{
	int irt = 0, imest = 0;
	for (const char *p = s ? s : ""; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 3 && !strncmp(p, "irt", 3))
			irt = 1;
		else if (len == 5 && !strncmp(p, "imest", 5))
			imest = 1;
		else if (len)
			return -1;
		p += len + (comma != NULL);
	}
	snprintf(out, n, "%s%s%s", imest ? "imest" : "", imest && irt ? "," : "", irt ? "irt" : "");
	return 0;
}

/* The record of a catalogue entry. */
static jv entry_record(const char *type, const char *name, int slot, const struct training_entry *e)
{
	jv rec =
	    JV_OBJECT(jv_string("type"), jv_string(type), jv_string("v"), jv_number(RECORD_VERSION),
		      jv_string("id"), jv_string(name), jv_string("slot"), jv_number(slot));
	rec = jv_object_set(rec, jv_string("title"), jv_string(e->title));
	if (!strcmp(type, "course")) {
		rec = jv_object_set(rec, jv_string("valid_months"), jv_number(e->valid_months));
		jv kinds = jv_array();
		for (const char *p = e->kinds; *p;) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			char k[16];
			snprintf(k, sizeof k, "%.*s", (int)len, p);
			kinds = jv_array_append(kinds, jv_string(k));
			p += len + (comma != NULL);
		}
		rec = jv_object_set(rec, jv_string("for"), kinds);
	}
	return rec;
}

/* Read entry name with get: 1 and *e, *slot when it is there, 0 when not,
 * or a negative exit code. */
static int entry_get(struct store *s, const char *get, const char *name, struct training_entry *e,
		     int *slot)
{
	sqlite3_stmt *st = store_stmt(s, get);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	memset(e, 0, sizeof *e);
	if (rc == SQLITE_ROW) {
		snprintf(e->name, sizeof e->name, "%s", name);
		*slot = sqlite3_column_int(st, 0);
		e->valid_months = sqlite3_column_int(st, 1);
		copy_col(st, 2, e->title, sizeof e->title);
		copy_col(st, 3, e->kinds, sizeof e->kinds);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -store_error(s, rc, "reading the catalogue");
	return rc == SQLITE_ROW;
}

static int put(struct store *s, int course, const char *name, int valid_months, const char *title,
	       const char *kinds, jv *out, struct rerun *again, char *why, size_t wn)
{
	const char *type = course ? "course" : "skill";
	struct training_entry e, old;
	char now[RFC3339_LEN];
	int slot = -1, rc, have;
	int64_t seq;
	again->done = 0;
	if (!training_valid_name(name)) {
		snprintf(why, wn,
			 "'%.64s' is not a %s name (lowercase letters, digits and '_', from a "
			 "letter, at most %d)",
			 name, type, TRAINING_NAME_MAX - 1);
		return CCC_EX_USAGE;
	}
	if (title && strlen(title) >= sizeof e.title) {
		snprintf(why, wn, "--title: longer than %zu bytes", sizeof e.title - 1);
		return CCC_EX_USAGE;
	}
	if ((rc = store_begin(s)))
		return rc;
	have = entry_get(s, course ? SQL_COURSE_GET : SQL_SKILL_GET, name, &old, &slot);
	if (have < 0) {
		rc = -have;
		goto fail;
	}
	if (!have && course && valid_months <= 0) {
		snprintf(why, wn, "a new course needs --valid (e.g. 24m)");
		rc = CCC_EX_USAGE;
		goto fail;
	}
	e = old;
	snprintf(e.name, sizeof e.name, "%s", name);
	if (valid_months > 0)
		e.valid_months = valid_months;
	if (title)
		snprintf(e.title, sizeof e.title, "%s", title);
	else if (!have)
		snprintf(e.title, sizeof e.title, "%s", name);
	if (kinds)
		snprintf(e.kinds, sizeof e.kinds, "%s", kinds);
	if (have && !memcmp(&e, &old, sizeof e)) {
		snprintf(again->why, sizeof again->why, "%s '%s' is in the catalogue already", type,
			 name);
		again->done = 1;
		store_rollback(s);
		*out = entry_record(type, name, slot, &e);
		return 0;
	}
	if (!have) {
		sqlite3_stmt *st = store_stmt(s, course ? SQL_COURSE_FREE : SQL_SKILL_FREE);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			rc = store_error(s, rc, "reading the catalogue");
			goto fail;
		}
		slot = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (slot >= TRAINING_SLOTS) {
			warnx("%s add %s: the catalogue holds %d %ss already: remove one first",
			      type, name, TRAINING_SLOTS, type);
			rc = CCC_EX_DATAERR;
			goto fail;
		}
	}
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, course ? SQL_COURSE_PUT : SQL_SKILL_PUT);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, slot);
	sqlite3_bind_int(st, 3, e.valid_months);
	sqlite3_bind_text(st, 4, e.title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e.kinds, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "writing the catalogue");
		goto fail;
	}
	if ((rc = store_commit(s, &seq)))
		return rc;
	*out = entry_record(type, name, slot, &e);
	return training_catalog_load(s);
fail:
	store_rollback(s);
	return rc;
}

int training_course_put(struct store *s, const char *name, int valid_months, const char *title,
			const char *kinds, jv *out, struct rerun *again, char *why, size_t wn)
{
	return put(s, 1, name, valid_months, title, kinds, out, again, why, wn);
}

int training_skill_put(struct store *s, const char *name, const char *title, jv *out,
		       struct rerun *again, char *why, size_t wn)
{
	return put(s, 0, name, 0, title, NULL, out, again, why, wn);
}

static int remove_entry(struct store *s, int course, const char *name)
{
	const char *type = course ? "course" : "skill";
	struct training_entry e;
	int slot, rc, have;
	int64_t seq;
	if ((rc = store_begin(s)))
		return rc;
	have = entry_get(s, course ? SQL_COURSE_GET : SQL_SKILL_GET, name, &e, &slot);
	if (have <= 0) {
		store_rollback(s);
		if (have < 0)
			return -have;
		warnx("%s '%s' is not in the catalogue of store '%s'", type, name, store_path(s));
		return CCC_EX_NOINPUT;
	}
	sqlite3_stmt *st = store_stmt(s, course ? SQL_COURSE_USED : SQL_SKILL_USED);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = store_error(s, rc, "reading the catalogue");
		store_rollback(s);
		return rc;
	}
	static const char *const holders[] = {"staff", "trainee", "session"};
	for (int i = 0; i < 3; i++) {
		const char *who = (const char *)sqlite3_column_text(st, i);
		if (who) {
			warnx("cannot remove %s '%s': %s '%s' names it", type, name, holders[i],
			      who);
			sqlite3_reset(st);
			store_rollback(s);
			return CCC_EX_DATAERR;
		}
	}
	sqlite3_reset(st);
	st = store_stmt(s, course ? SQL_COURSE_DEL : SQL_SKILL_DEL);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "writing the catalogue");
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, &seq)))
		return rc;
	return training_catalog_load(s);
}

int training_course_remove(struct store *s, const char *name)
{
	return remove_entry(s, 1, name);
}

int training_skill_remove(struct store *s, const char *name)
{
	return remove_entry(s, 0, name);
}

static int list(struct store *s, int course, jv *out)
{
	int rc = training_catalog_load(s);
	if (rc)
		return rc;
	const struct training_entry *tab = course ? courses : skills;
	*out = jv_array();
	for (int i = 0; i < TRAINING_SLOTS; i++)
		if (tab[i].name[0])
			*out = jv_array_append(*out, entry_record(course ? "course" : "skill",
								  tab[i].name, i, &tab[i]));
	return 0;
}

int training_course_list(struct store *s, jv *out)
{
	return list(s, 1, out);
}

int training_skill_list(struct store *s, jv *out)
{
	return list(s, 0, out);
}
