/*
 * deploy-roster.c: staff records: names of skills and courses, checking and
 * normalising a record, CSV rows, and the staff table.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/deploy-roster.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/training-catalog.h"
#include "ccc/xmalloc.h"

static const char *const sites[] = {"lyon", "buenos-aires", "singapore", NULL};

static const char *const SQL_STAFF_GET = "SELECT record FROM staff WHERE id = ?1";
static const char *const SQL_STAFF_PUT =
    "INSERT INTO staff(id, name, site, record, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT(id) DO UPDATE SET name = excluded.name, site = excluded.site,"
    " record = excluded.record, updated_at = excluded.updated_at";
static const char *const SQL_STAFF_ALL = "SELECT record FROM staff ORDER BY id";
/* Bookings: what each member is booked for, by deployments not withdrawn
 * before they began (a recall before the start leaves an empty interval). */
static const char *const SQL_BOOKINGS =
    "SELECT a.staff, a.deployment, a.starts_at, a.ends_at FROM assignments a"
    " WHERE a.ends_at > a.starts_at ORDER BY a.staff, a.starts_at";

int deploy_skill_by_name(const char *name)
{
	return training_skill_slot(name);
}

const char *deploy_skill_name(int skill)
{
	return training_skill_name(skill);
}

int deploy_training_by_name(const char *name)
{
	return training_course_slot(name);
}

const char *deploy_training_name(int training)
{
	return training_course_name(training);
}

const char *deploy_skill_list(void)
{
	return training_skill_names();
}

const char *deploy_training_list(void)
{
	return training_course_names();
}

int deploy_level(const char *level)
{
	if (!strcmp(level, "native"))
		return 7;
	if (strlen(level) == 2 && level[0] >= 'A' && level[0] <= 'C' &&
	    (level[1] == '1' || level[1] == '2'))
		return (level[0] - 'A') * 2 + (level[1] - '0');
	return -1;
}

int deploy_known_site(const char *site)
{
	for (int i = 0; sites[i]; i++)
		if (!strcmp(site, sites[i]))
			return 1;
	return 0;
}

int deploy_parse_when(const char *s, int end, time_t *out)
{
	if (strlen(s) == 10) {
		char t[32];
		snprintf(t, sizeof t, "%sT00:00:00Z", s);
		if (clock_parse(t, out) < 0)
			return -1;
		if (end)
			*out += 86400;
		return 0;
	}
	return clock_parse(s, out);
}

void deploy_format_day(time_t t, char *out)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

time_t deploy_add_months(time_t t, int months)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct tm tm;
	gmtime_r(&t, &tm);
	int m = tm.tm_mon + months;
	tm.tm_year += m / 12;
	tm.tm_mon = m % 12;
	int y = tm.tm_year + 1900;
	int last =
	    mdays[tm.tm_mon] + (tm.tm_mon == 1 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (tm.tm_mday > last)
		tm.tm_mday = last;
	return timegm(&tm);
}

static int valid_id(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n >= DEPLOY_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

static int valid_lang(const char *l)
{
	return strlen(l) == 2 && l[0] >= 'a' && l[0] <= 'z' && l[1] >= 'a' && l[1] <= 'z';
}

/* "a:b" into a and b (b may be empty when there is no colon); 0 or -1. */
static int split_pair(const char *s, char *a, size_t an, char *b, size_t bn)
{
	const char *colon = strchr(s, ':');
	size_t la = colon ? (size_t)(colon - s) : strlen(s);
	if (la >= an || (colon && strlen(colon + 1) >= bn))
		return -1;
	memcpy(a, s, la);
	a[la] = '\0';
	snprintf(b, bn, "%s", colon ? colon + 1 : "");
	return 0;
}

/* A list field as an array: an array stays, a string is split on ';', an
 * object becomes [[key, value]...]. Consumes v. */
static jv as_list(jv v)
{
	if (jv_get_kind(v) == JV_KIND_STRING) {
		jv parts = jv_string_split(v, jv_string(";"));
		jv out = jv_array();
		jv_array_foreach (parts, i, p) {
			if (jv_string_length_bytes(jv_copy(p)) > 0)
				out = jv_array_append(out, p);
			else
				jv_free(p);
		}
		jv_free(parts);
		return out;
	}
	if (jv_get_kind(v) == JV_KIND_OBJECT) {
		jv out = jv_array();
		jv_object_foreach (v, k, x) {
			out = jv_array_append(out, JV_ARRAY(k, x));
		}
		jv_free(v);
		return out;
	}
	return v;
}

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		snprintf(reason, rlen, __VA_ARGS__);                                               \
		goto bad;                                                                          \
	} while (0)

static jv norm_languages(jv list, char *reason, size_t rlen)
{
	jv out = jv_array();
	char seen[DEPLOY_MAX_LANGS][3];
	int n = 0;
	list = as_list(list);
	if (jv_get_kind(list) != JV_KIND_ARRAY)
		FAIL("field 'languages': %s, not a list", json_kind_phrase(jv_get_kind(list)));
	jv_array_foreach (list, i, x) {
		char lang[16] = "", level[16] = "";
		if (jv_get_kind(x) == JV_KIND_STRING) {
			if (split_pair(jv_string_value(x), lang, sizeof lang, level, sizeof level))
				lang[0] = '\0';
		} else if (jv_get_kind(x) == JV_KIND_OBJECT) {
			const char *a = jv_get_str(x, "lang"), *b = jv_get_str(x, "level");
			snprintf(lang, sizeof lang, "%s", a ? a : "");
			snprintf(level, sizeof level, "%s", b ? b : "");
		} else if (jv_get_kind(x) == JV_KIND_ARRAY && jv_array_length(jv_copy(x)) == 2) {
			jv a = jv_array_get(jv_copy(x), 0), b = jv_array_get(jv_copy(x), 1);
			if (jv_get_kind(a) == JV_KIND_STRING && jv_get_kind(b) == JV_KIND_STRING) {
				snprintf(lang, sizeof lang, "%s", jv_string_value(a));
				snprintf(level, sizeof level, "%s", jv_string_value(b));
			}
			jv_free(a);
			jv_free(b);
		}
		jv_free(x);
		if (!valid_lang(lang))
			FAIL("field 'languages': item %d: give an ISO 639-1 code and a level, e.g. "
			     "fr:C1",
			     i + 1);
		if (deploy_level(level) < 0)
			FAIL("field 'languages': '%s': level '%.16s' is not A1, A2, B1, B2, C1, C2 "
			     "or native",
			     lang, level);
		for (int k = 0; k < n; k++)
			if (!strcmp(seen[k], lang))
				FAIL("field 'languages': '%s' is given twice", lang);
		if (n == DEPLOY_MAX_LANGS)
			FAIL("field 'languages': more than %d languages", DEPLOY_MAX_LANGS);
		memcpy(seen[n++], lang, 3);
		out = jv_array_append(out, JV_OBJECT(jv_string("lang"), jv_string(lang),
						     jv_string("level"), jv_string(level)));
	}
	jv_free(list);
	return out;
bad:
	jv_free(list);
	jv_free(out);
	return jv_invalid();
}

static jv norm_skills(jv list, char *reason, size_t rlen)
{
	unsigned have = 0;
	list = as_list(list);
	if (jv_get_kind(list) != JV_KIND_ARRAY)
		FAIL("field 'skills': %s, not a list", json_kind_phrase(jv_get_kind(list)));
	jv_array_foreach (list, i, x) {
		int k = jv_get_kind(x) == JV_KIND_STRING ? deploy_skill_by_name(jv_string_value(x))
							 : -1;
		if (k < 0) {
			snprintf(reason, rlen, "field 'skills': '%.40s' is not a skill (%s)",
				 jv_get_kind(x) == JV_KIND_STRING ? jv_string_value(x) : "?",
				 deploy_skill_list());
			jv_free(x);
			goto bad;
		}
		jv_free(x);
		have |= 1u << k;
	}
	jv_free(list);
	jv out = jv_array();
	for (int k = 0; k < DEPLOY_NSKILLS; k++)
		if (have & (1u << k))
			out = jv_array_append(out, jv_string(deploy_skill_name(k)));
	return out;
bad:
	jv_free(list);
	return jv_invalid();
}

static jv norm_trainings(jv list, char *reason, size_t rlen)
{
	char dates[DEPLOY_NTRAININGS][RFC3339_LEN] = {{0}};
	list = as_list(list);
	if (jv_get_kind(list) != JV_KIND_ARRAY)
		FAIL("field 'trainings': %s, not a list", json_kind_phrase(jv_get_kind(list)));
	jv_array_foreach (list, i, x) {
		char course[40] = "", date[RFC3339_LEN] = "";
		time_t t;
		if (jv_get_kind(x) == JV_KIND_STRING) {
			if (split_pair(jv_string_value(x), course, sizeof course, date,
				       sizeof date))
				course[0] = '\0';
		} else if (jv_get_kind(x) == JV_KIND_OBJECT) {
			const char *a = jv_get_str(x, "course"), *b = jv_get_str(x, "expires");
			snprintf(course, sizeof course, "%s", a ? a : "");
			snprintf(date, sizeof date, "%s", b ? b : "");
		} else if (jv_get_kind(x) == JV_KIND_ARRAY && jv_array_length(jv_copy(x)) == 2) {
			jv a = jv_array_get(jv_copy(x), 0), b = jv_array_get(jv_copy(x), 1);
			if (jv_get_kind(a) == JV_KIND_STRING && jv_get_kind(b) == JV_KIND_STRING) {
				snprintf(course, sizeof course, "%s", jv_string_value(a));
				snprintf(date, sizeof date, "%s", jv_string_value(b));
			}
			jv_free(a);
			jv_free(b);
		}
		jv_free(x);
		int k = deploy_training_by_name(course);
		if (k < 0)
			FAIL("field 'trainings': '%.40s' is not a course (%s)", course,
			     deploy_training_list());
		if (deploy_parse_when(date, 1, &t) < 0)
			FAIL("field 'trainings': %s: expiry '%.32s' is not a date (YYYY-MM-DD)",
			     course, date);
		if (dates[k][0])
			FAIL("field 'trainings': '%s' is given twice", course);
		memcpy(dates[k], date, sizeof date);
	}
	jv_free(list);
	jv out = jv_array();
	for (int k = 0; k < DEPLOY_NTRAININGS; k++)
		if (dates[k][0])
			out = jv_array_append(
			    out, JV_OBJECT(jv_string("course"), jv_string(deploy_training_name(k)),
					   jv_string("expires"), jv_string(dates[k])));
	return out;
bad:
	jv_free(list);
	return jv_invalid();
}

static jv norm_unavailable(jv list, char *reason, size_t rlen)
{
	jv out = jv_array();
	list = as_list(list);
	if (jv_get_kind(list) != JV_KIND_ARRAY)
		FAIL("field 'unavailable': %s, not a list", json_kind_phrase(jv_get_kind(list)));
	jv_array_foreach (list, i, x) {
		char from[RFC3339_LEN] = "", to[RFC3339_LEN] = "", why[DEPLOY_ID_MAX] = "";
		time_t a, b;
		if (jv_get_kind(x) == JV_KIND_STRING) {
			const char *s = jv_string_value(x), *slash = strchr(s, '/');
			if (slash && (size_t)(slash - s) < sizeof from &&
			    strlen(slash + 1) < sizeof to) {
				memcpy(from, s, (size_t)(slash - s));
				from[slash - s] = '\0';
				snprintf(to, sizeof to, "%s", slash + 1);
			}
		} else if (jv_get_kind(x) == JV_KIND_OBJECT) {
			const char *f = jv_get_str(x, "from"), *t = jv_get_str(x, "to");
			const char *r = jv_get_str(x, "reason");
			snprintf(from, sizeof from, "%s", f ? f : "");
			snprintf(to, sizeof to, "%s", t ? t : "");
			snprintf(why, sizeof why, "%s", r ? r : "");
		}
		jv_free(x);
		if (deploy_parse_when(from, 0, &a) < 0 || deploy_parse_when(to, 1, &b) < 0)
			FAIL("field 'unavailable': item %d: give {\"from\", \"to\"} dates, or "
			     "FROM/TO",
			     i + 1);
		if (b <= a)
			FAIL("field 'unavailable': item %d: '%s' is before '%s'", i + 1, to, from);
		if (i >= DEPLOY_MAX_WINDOWS)
			FAIL("field 'unavailable': more than %d windows", DEPLOY_MAX_WINDOWS);
		jv w =
		    JV_OBJECT(jv_string("from"), jv_string(from), jv_string("to"), jv_string(to));
		if (why[0])
			w = jv_object_set(w, jv_string("reason"), jv_string(why));
		out = jv_array_append(out, w);
	}
	jv_free(list);
	return out;
bad:
	jv_free(list);
	jv_free(out);
	return jv_invalid();
}

/* Normalise the list field key of rec with fn; absent or null: left out. */
static jv norm_field(jv rec, const char *key, jv (*fn)(jv, char *, size_t), char *reason,
		     size_t rlen)
{
	jv v = jv_object_get(jv_copy(rec), jv_string(key));
	if (jv_get_kind(v) == JV_KIND_NULL || jv_get_kind(v) == JV_KIND_INVALID) {
		jv_free(v);
		return jv_object_delete(rec, jv_string(key));
	}
	v = fn(v, reason, rlen);
	if (!jv_is_valid(v)) {
		jv_free(rec);
		return v;
	}
	return jv_object_set(rec, jv_string(key), v);
}

jv deploy_staff_normalize(jv rec, char *reason, size_t rlen)
{
	const char *s;
	time_t t;
	if (jv_get_kind(rec) != JV_KIND_OBJECT)
		FAIL("a staff record is an object, not %s", json_kind_phrase(jv_get_kind(rec)));
	if ((s = jv_get_str(rec, "type")) && strcmp(s, "staff") != 0)
		FAIL("type '%.32s' is not staff", s);
	if (!(s = jv_get_str(rec, "id")))
		FAIL("field 'id': missing");
	if (!valid_id(s))
		FAIL(
		    "field 'id': '%.64s' is not an id (letters, digits, '-', '_', '.'; at most %d)",
		    s, DEPLOY_ID_MAX - 1);
	if (!(s = jv_get_str(rec, "name")) || !*s)
		FAIL("field 'name': missing");
	if (strlen(s) >= 128)
		FAIL("field 'name': longer than 127 bytes");
	if (!(s = jv_get_str(rec, "site")))
		FAIL("field 'site': missing (lyon, buenos-aires or singapore)");
	if (!deploy_known_site(s))
		FAIL("field 'site': '%.32s' is not lyon, buenos-aires or singapore", s);
	jv p = jv_object_get(jv_copy(rec), jv_string("passport_expires"));
	if (jv_get_kind(p) == JV_KIND_NULL || jv_get_kind(p) == JV_KIND_INVALID) {
		rec = jv_object_delete(rec, jv_string("passport_expires"));
	} else if (jv_get_kind(p) != JV_KIND_STRING ||
		   deploy_parse_when(jv_string_value(p), 1, &t)) {
		jv_free(p);
		FAIL("field 'passport_expires': not a date (YYYY-MM-DD)");
	}
	jv_free(p);
	rec = jv_object_set(rec, jv_string("type"), jv_string("staff"));
	rec = jv_object_set(rec, jv_string("v"), jv_number(RECORD_VERSION));
	rec = norm_field(rec, "languages", norm_languages, reason, rlen);
	if (jv_is_valid(rec))
		rec = norm_field(rec, "skills", norm_skills, reason, rlen);
	if (jv_is_valid(rec))
		rec = norm_field(rec, "trainings", norm_trainings, reason, rlen);
	if (jv_is_valid(rec))
		rec = norm_field(rec, "unavailable", norm_unavailable, reason, rlen);
	return rec;
bad:
	jv_free(rec);
	return jv_invalid();
}

void deploy_person_from_record(jv rec, struct deploy_person *p)
{
	const char *s;
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", (s = jv_get_str(rec, "id")) ? s : "");
	snprintf(p->name, sizeof p->name, "%s", (s = jv_get_str(rec, "name")) ? s : "");
	snprintf(p->site, sizeof p->site, "%s", (s = jv_get_str(rec, "site")) ? s : "");
	if ((s = jv_get_str(rec, "passport_expires")))
		deploy_parse_when(s, 1, &p->passport_until);
	jv v = jv_object_get(jv_copy(rec), jv_string("skills"));
	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		jv_array_foreach (v, i, x) {
			int k = jv_get_kind(x) == JV_KIND_STRING
				    ? deploy_skill_by_name(jv_string_value(x))
				    : -1;
			if (k >= 0)
				p->skills |= 1u << k;
			jv_free(x);
		}
	}
	jv_free(v);
	v = jv_object_get(jv_copy(rec), jv_string("languages"));
	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		jv_array_foreach (v, i, x) {
			const char *l = jv_get_str(x, "lang"), *lv = jv_get_str(x, "level");
			if (l && lv && valid_lang(l) && p->nlangs < DEPLOY_MAX_LANGS) {
				memcpy(p->lang[p->nlangs], l, 3);
				p->level[p->nlangs++] = deploy_level(lv);
			}
			jv_free(x);
		}
	}
	jv_free(v);
	v = jv_object_get(jv_copy(rec), jv_string("trainings"));
	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		jv_array_foreach (v, i, x) {
			const char *c = jv_get_str(x, "course"), *e = jv_get_str(x, "expires");
			int k = c ? deploy_training_by_name(c) : -1;
			if (k >= 0 && e)
				deploy_parse_when(e, 1, &p->training_until[k]);
			jv_free(x);
		}
	}
	jv_free(v);
	v = jv_object_get(jv_copy(rec), jv_string("unavailable"));
	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		jv_array_foreach (v, i, x) {
			const char *f = jv_get_str(x, "from"), *t = jv_get_str(x, "to");
			const char *r = jv_get_str(x, "reason");
			struct deploy_window *w = &p->unavailable[p->nunavailable];
			if (f && t && p->nunavailable < DEPLOY_MAX_WINDOWS &&
			    !deploy_parse_when(f, 0, &w->from) &&
			    !deploy_parse_when(t, 1, &w->to)) {
				snprintf(w->what, sizeof w->what, "%s", r ? r : "");
				p->nunavailable++;
			}
			jv_free(x);
		}
	}
	jv_free(v);
}

int deploy_staff_get(struct store *s, const char *id, jv *rec)
{
	sqlite3_stmt *st = store_stmt(s, SQL_STAFF_GET);
	char reason[128];
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*rec = ndjson_parse((const char *)sqlite3_column_text(st, 0),
				    (size_t)sqlite3_column_bytes(st, 0), reason, sizeof reason);
		sqlite3_reset(st);
		return jv_is_valid(*rec) ? 0 : CCC_EX_SOFTWARE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "reading the roster");
	warnx("staff '%s' is not on the roster of store '%s'", id, store_path(s));
	return CCC_EX_NOINPUT;
}

int deploy_staff_put(struct store *s, jv rec, int add, int *changed)
{
	struct buf b = {0};
	char now[RFC3339_LEN];
	const char *id = jv_get_str(rec, "id");
	int rc;

	*changed = 0;
	json_write(&b, rec);
	sqlite3_stmt *st = store_stmt(s, SQL_STAFF_GET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int same = (size_t)sqlite3_column_bytes(st, 0) == b.len &&
			   memcmp(sqlite3_column_text(st, 0), b.p, b.len) == 0;
		sqlite3_reset(st);
		if (add) {
			warnx("staff '%s' is already on the roster (change it with 'staff update')",
			      id);
			rc = CCC_EX_DATAERR;
			goto out;
		}
		if (same) {
			rc = 0;
			goto out;
		}
	} else if (rc != SQLITE_DONE) {
		rc = store_error(s, rc, "reading the roster");
		goto out;
	}
	sqlite3_reset(st);
	clock_format(clock_now(), now);
	st = store_stmt(s, SQL_STAFF_PUT);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, jv_get_str(rec, "name"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, jv_get_str(rec, "site"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "writing the roster");
		goto out;
	}
	rc = 0;
	*changed = 1;
out:
	buf_free(&b);
	jv_free(rec);
	return rc;
}

static struct deploy_person *find_person(struct deploy_person *p, size_t n, const char *id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(p[mid].id, id);
		if (!c)
			return &p[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int deploy_staff_load(struct store *s, time_t booked_after, struct deploy_person **people,
		      size_t *n)
{
	struct deploy_person *p = NULL;
	size_t np = 0, cap = 0;
	char reason[128];
	int rc;
	sqlite3_stmt *st = store_stmt(s, SQL_STAFF_ALL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		jv rec = ndjson_parse((const char *)sqlite3_column_text(st, 0),
				      (size_t)sqlite3_column_bytes(st, 0), reason, sizeof reason);
		if (!jv_is_valid(rec))
			continue;
		if (np == cap) {
			struct deploy_person *more;
			cap = cap ? cap * 2 : 64;
			more = xrealloc(p, cap * sizeof *p);
			p = more;
		}
		deploy_person_from_record(rec, &p[np++]);
		jv_free(rec);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(p);
		return store_error(s, rc, "reading the roster");
	}
	st = store_stmt(s, SQL_BOOKINGS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct deploy_person *q =
		    find_person(p, np, (const char *)sqlite3_column_text(st, 0));
		time_t a, b;
		if (!q || clock_parse((const char *)sqlite3_column_text(st, 2), &a) ||
		    clock_parse((const char *)sqlite3_column_text(st, 3), &b))
			continue;
		if (b > q->last_deployed)
			q->last_deployed = b;
		if (b > booked_after && q->nbooked < DEPLOY_MAX_WINDOWS) {
			struct deploy_window *w = &q->booked[q->nbooked++];
			w->from = a;
			w->to = b;
			snprintf(w->what, sizeof w->what, "%s", sqlite3_column_text(st, 1));
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(p);
		return store_error(s, rc, "reading the bookings");
	}
	*people = p;
	*n = np;
	return 0;
}

/* "a,b,c" as an array of strings (empty items left out). */
static jv split_list(const char *s)
{
	jv a = jv_array();
	char *copy = xstrdup(s), *save = NULL;
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save))
		a = jv_array_append(a, jv_string(p));
	free(copy);
	return a;
}

/* 1 when item "KEY:VALUE" has the key k. */
static int same_key(const char *item, const char *k)
{
	size_t kl = strlen(k);
	return !strncmp(item, k, kl) && item[kl] == ':';
}

/* The objects of current (consumed) whose kname no item of list gives,
 * then the items of list ("KEY:VALUE" strings, normalised later). */
static jv merge_pairs(jv current, const char *list, const char *kname)
{
	jv out = jv_array(), given = split_list(list);
	if (jv_get_kind(current) == JV_KIND_ARRAY) {
		jv_array_foreach (current, i, x) {
			const char *k = jv_get_str(x, kname);
			int replaced = 0;
			jv_array_foreach (given, j, g) {
				replaced |= k && same_key(jv_string_value(g), k);
				jv_free(g);
			}
			if (replaced)
				jv_free(x);
			else
				out = jv_array_append(out, x);
		}
	}
	jv_free(current);
	return jv_array_concat(out, given);
}

static jv set_list(jv rec, const char *field, const char *list, const char *kname, int update)
{
	if (!list)
		return rec;
	jv v = update ? merge_pairs(jv_object_get(jv_copy(rec), jv_string(field)), list, kname)
		      : split_list(list);
	return jv_object_set(rec, jv_string(field), v);
}

static jv set_str(jv rec, const char *field, const char *value)
{
	return value ? jv_object_set(rec, jv_string(field), jv_string(value)) : rec;
}

jv deploy_staff_change(jv rec, const struct deploy_staff_change *c, int update)
{
	rec = set_str(rec, "name", c->name);
	rec = set_str(rec, "site", c->site);
	rec = set_str(rec, "passport_expires", c->passport);
	if (c->skills)
		rec = jv_object_set(rec, jv_string("skills"), split_list(c->skills));
	rec = set_list(rec, "languages", c->langs, "lang", update);
	rec = set_list(rec, "trainings", c->trainings, "course", update);
	if (c->unavailable) {
		jv cur = jv_object_get(jv_copy(rec), jv_string("unavailable"));
		if (jv_get_kind(cur) != JV_KIND_ARRAY) {
			jv_free(cur);
			cur = jv_array();
		}
		rec = jv_object_set(rec, jv_string("unavailable"),
				    jv_array_concat(cur, split_list(c->unavailable)));
	}
	return rec;
}

const char *deploy_booked_at(const struct deploy_person *p, time_t t)
{
	for (int i = 0; i < p->nbooked; i++)
		if (p->booked[i].from <= t && t < p->booked[i].to)
			return p->booked[i].what;
	return NULL;
}

const char *deploy_away_at(const struct deploy_person *p, time_t t)
{
	for (int i = 0; i < p->nunavailable; i++)
		if (p->unavailable[i].from <= t && t < p->unavailable[i].to)
			return p->unavailable[i].what[0] ? p->unavailable[i].what : "unavailable";
	return NULL;
}

/* The end of p's next deployment that ends after now, or 0, with its id. */
static time_t next_booking(const struct deploy_person *p, time_t now, const char **what)
{
	time_t best = 0;
	for (int i = 0; i < p->nbooked; i++)
		if (p->booked[i].to > now && (!best || p->booked[i].from < best)) {
			best = p->booked[i].to;
			*what = p->booked[i].what;
		}
	return best;
}

unsigned deploy_ready_kinds(const struct deploy_person *p, time_t now, char *why, size_t n)
{
	static const char *const kinds[] = {"irt", "imest"};
	const char *dep = NULL;
	time_t through = next_booking(p, now, &dep);
	unsigned ready = 0;
	char day[11];
	if (n)
		why[0] = '\0';
	for (int k = 0; k < 2; k++) {
		unsigned need = training_courses_for(kinds[k]);
		int ok = 1;
		for (int c = 0; c < DEPLOY_NTRAININGS && ok; c++) {
			time_t until = p->training_until[c];
			if (!(need & (1u << c)))
				continue;
			if (until > now && (!through || until >= through))
				continue;
			ok = 0;
			if (!n || why[0])
				continue;
			if (until)
				deploy_format_day(until - 1, day);
			if (!until)
				snprintf(why, n, "no %s on record", deploy_training_name(c));
			else if (until <= now)
				snprintf(why, n, "%s expired %s", deploy_training_name(c), day);
			else
				snprintf(why, n, "%s expires %s, before %s ends",
					 deploy_training_name(c), day, dep);
		}
		if (ok)
			ready |= 1u << k;
	}
	return ready;
}

jv deploy_staff_state(const struct deploy_person *p, time_t now)
{
	char why[160];
	unsigned ready = deploy_ready_kinds(p, now, why, sizeof why);
	char last[RFC3339_LEN];
	const char *dep = deploy_booked_at(p, now), *away = deploy_away_at(p, now);
	jv valid = jv_array(), expired = jv_array();
	for (int k = 0; k < DEPLOY_NTRAININGS; k++) {
		if (!p->training_until[k])
			continue;
		if (p->training_until[k] > now)
			valid = jv_array_append(valid, jv_string(deploy_training_name(k)));
		else
			expired = jv_array_append(expired, jv_string(deploy_training_name(k)));
	}
	if (p->last_deployed)
		clock_format(p->last_deployed, last);
	jv o = JV_OBJECT(jv_string("deployment"), dep ? jv_string(dep) : jv_null(),
			 jv_string("unavailable"), away ? jv_string(away) : jv_null());
	o = jv_object_set(o, jv_string("last_deployed"),
			  p->last_deployed ? jv_string(last) : jv_null());
	o = jv_object_set(o, jv_string("trainings_valid"), valid);
	o = jv_object_set(o, jv_string("trainings_expired"), expired);
	jv kinds = jv_array();
	if (ready & 1)
		kinds = jv_array_append(kinds, jv_string("irt"));
	if (ready & 2)
		kinds = jv_array_append(kinds, jv_string("imest"));
	o = jv_object_set(o, jv_string("ready_for"), kinds);
	return jv_object_set(o, jv_string("not_ready"), ready ? jv_null() : jv_string(why));
}

void deploy_person_langs(const struct deploy_person *p, char *out, size_t n)
{
	static const char *const lv[] = {"?", "A1", "A2", "B1", "B2", "C1", "C2", "N"};
	size_t len = 0;
	out[0] = '\0';
	for (int k = 0; k < p->nlangs && len + 12 < n; k++)
		len += (size_t)snprintf(out + len, n - len, "%s%s:%s", k ? "," : "", p->lang[k],
					lv[p->level[k] > 0 && p->level[k] < 8 ? p->level[k] : 0]);
}

int deploy_staff_write(struct store *s, const char *id, const struct deploy_staff_change *c,
		       int add, jv *out, char *why, size_t wn)
{
	int changed, rc;
	int64_t seq;
	jv rec;
	if ((rc = store_begin(s)))
		return rc;
	if (add)
		rec = JV_OBJECT(jv_string("type"), jv_string("staff"), jv_string("v"),
				jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	else if ((rc = deploy_staff_get(s, id, &rec)))
		goto fail;
	rec = deploy_staff_normalize(deploy_staff_change(rec, c, !add), why, wn);
	if (!jv_is_valid(rec)) {
		rc = CCC_EX_USAGE;
		goto fail;
	}
	if ((rc = deploy_staff_put(s, jv_copy(rec), add, &changed)) ||
	    (rc = store_commit(s, &seq))) {
		jv_free(rec);
		goto fail;
	}
	*out = rec;
	return 0;
fail:
	store_rollback(s);
	return rc;
}
