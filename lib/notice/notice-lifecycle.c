/*
 * notice-lifecycle.c: drafting, reviewing, publishing, updating, cancelling,
 * renewing and expiring notices in the store.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccc/records.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/notice-lifecycle.h"
#include "ccc/notice.h"
#include "ccc/opts.h"

static const char *const SQL_NEXT = "SELECT max(coalesce(max(n), 0), ?1) + 1 FROM notices";
static const char *const SQL_PUT =
    "INSERT INTO notices(id, n, kind, status, control, drafted_by, expires_at, record,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char *const SQL_GET = "SELECT record FROM notices WHERE id = ?1 OR control = ?1";
static const char *const SQL_SET =
    "UPDATE notices SET status = ?2, control = ?3, expires_at = ?4, record = ?5,"
    " updated_at = ?6 WHERE id = ?1";
static const char *const SQL_LIST =
    "SELECT record FROM notices WHERE (?1 IS NULL AND status NOT IN ('cancelled', 'expired',"
    " 'refused')) OR status = ?1 ORDER BY n";
static const char *const SQL_DUE =
    "SELECT id FROM notices WHERE status = 'published' AND expires_at <= ?1 ORDER BY n";
static const char *const SQL_SERIAL =
    "INSERT INTO notice_serials(letter, year, last) VALUES (?1, ?2, 1)"
    " ON CONFLICT (letter, year) DO UPDATE SET last = last + 1 RETURNING last";
static const char *const SQL_LOG =
    "INSERT INTO notice_log(e, notice, ts, actor, action, detail)"
    " VALUES ((SELECT max(coalesce(max(e), 0), ccc_id_floor('notice_log')) + 1"
    " FROM notice_log), ?1, ?2, ?3, ?4, ?5)";
static const char *const SQL_LOG_GET =
    "SELECT ts, actor, action, detail FROM notice_log WHERE notice = ?1 ORDER BY e";
static const char *const SQL_SEND =
    "INSERT OR IGNORE INTO notice_recipients(notice, country, sent_at) VALUES (?1, ?2, ?3)";
static const char *const SQL_SENT =
    "SELECT country FROM notice_recipients WHERE notice = ?1 ORDER BY country";
static const char *const SQL_SENT_TO =
    "SELECT EXISTS (SELECT 1 FROM notice_recipients WHERE notice = ?1"
    " AND (?2 IS NULL OR country = ?2))";
static const char *const SQL_FEED =
    "SELECT e, notice, action, ts, actor FROM notice_log WHERE e > ?1 AND action IN"
    " ('publish', 'update', 'renew', 'cancel', 'expire') ORDER BY e LIMIT ?2";

/* Who did what to id, in the log. */
static int log_action(struct store *s, const char *id, const char *action, const char *detail)
{
	return store_log_action(s, SQL_LOG, id, action, detail, "logging a notice action");
}

int notice_draft(struct store *s, jv rec, jv *out)
{
	char id[96], now[RFC3339_LEN];
	struct buf b = {0};
	int kind = notice_kind_by_name(jv_get_str(rec, "kind"));
	if (kind < 0) {
		warnx("draft: '%s' is not a kind of notice",
		      jv_get_str(rec, "kind") ? jv_get_str(rec, "kind") : "(no kind)");
		jv_free(rec);
		return CCC_EX_DATAERR;
	}
	sqlite3_stmt *st = store_stmt(s, SQL_NEXT);
	sqlite3_bind_int64(st, 1, store_id_floor(s, "notices")); /* never reuse a rewound id */
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		jv_free(rec);
		return store_error(s, rc, "numbering");
	}
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(id, sizeof id, "notice-%s-%lld", store_site(s), n);
	clock_format(clock_now(), now);
	jv r = JV_OBJECT(jv_string("type"), jv_string(notice_kind_type(kind)), jv_string("v"),
			 jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	jv_object_foreach (rec, k, v) {
		const char *key = jv_string_value(k);
		if (!strcmp(key, "type") || !strcmp(key, "v") || !strcmp(key, "id") ||
		    !strcmp(key, "status") || !strcmp(key, "control") || !strcmp(key, "review")) {
			jv_free(k);
			jv_free(v);
		} else {
			r = jv_object_set(r, k, v);
		}
	}
	jv_free(rec);
	r = jv_object_set(r, jv_string("status"), jv_string("draft"));
	r = jv_object_set(r, jv_string("drafted_by"), jv_string(store_actor(s)));
	r = jv_object_set(r, jv_string("drafted_at"), jv_string(now));
	json_write(&b, r);
	st = store_stmt(s, SQL_PUT);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, notice_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, "draft", -1, SQLITE_STATIC);
	sqlite3_bind_null(st, 5);
	sqlite3_bind_text(st, 6, store_actor(s), -1, SQLITE_STATIC);
	sqlite3_bind_null(st, 7);
	sqlite3_bind_text(st, 8, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	buf_free(&b);
	if (rc != SQLITE_DONE) {
		jv_free(r);
		return store_error(s, rc, "storing the notice");
	}
	if ((rc = log_action(s, id, "draft", NULL))) {
		jv_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* The stored record of id (or control number), without log. */
static int get_record(struct store *s, const char *id, jv *out)
{
	char reason[128];
	sqlite3_stmt *st = store_stmt(s, SQL_GET);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, rc, "reading the notices");
		warnx("notice '%s' is not in store '%s'", id, store_path(s));
		return CCC_EX_NOINPUT;
	}
	*out = ndjson_parse((const char *)sqlite3_column_text(st, 0),
			    (size_t)sqlite3_column_bytes(st, 0), reason, sizeof reason);
	sqlite3_reset(st);
	return jv_is_valid(*out) ? 0 : CCC_EX_SOFTWARE;
}

static jv column_strings(struct store *s, const char *sql, const char *id, int *rc)
{
	jv a = jv_array();
	sqlite3_stmt *st = store_stmt(s, sql);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((*rc = sqlite3_step(st)) == SQLITE_ROW)
		a = jv_array_append(a, jv_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	*rc = *rc == SQLITE_DONE ? 0 : store_error(s, *rc, "reading the recipients");
	return a;
}

int notice_get(struct store *s, const char *id, jv *out)
{
	jv rec;
	int rc = get_record(s, id, &rec);
	if (rc)
		return rc;
	const char *nid = jv_get_str(rec, "id");
	jv log;
	if ((rc = records_log(s, SQL_LOG_GET, nid, "reading the notice log", &log))) {
		jv_free(rec);
		return rc;
	}
	char *copy = strdup(nid);
	jv sent = column_strings(s, SQL_SENT, copy, &rc);
	free(copy);
	rec = jv_object_set(rec, jv_string("recipients"), sent);
	*out = jv_object_set(rec, jv_string("log"), log);
	return rc;
}

int notice_list(struct store *s, const char *status, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_LIST);
	if (st && status)
		sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	return records_list(s, st, "reading the notices", out);
}

static int save(struct store *s, jv rec)
{
	char now[RFC3339_LEN];
	struct buf b = {0};
	clock_format(clock_now(), now);
	json_write(&b, rec);
	sqlite3_stmt *st = store_stmt(s, SQL_SET);
	sqlite3_bind_text(st, 1, jv_get_str(rec, "id"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, jv_get_str(rec, "status"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, jv_get_str(rec, "control"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, jv_get_str(rec, "expires_at"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, b.p, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	buf_free(&b);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "updating the notice");
}

/* The person record a published person notice makes, for refdb_load: its
 * name is the forenames and the name. */
static jv person_of(jv rec)
{
	char pid[128], label[64];
	snprintf(pid, sizeof pid, "notice:%s", jv_get_str(rec, "id"));
	snprintf(label, sizeof label, "%s notice %s", jv_get_str(rec, "kind"),
		 jv_get_str(rec, "control"));
	const char *owner = jv_get_str(rec, "requesting_country");
	const char *fore = jv_get_str(rec, "forename");
	jv name = fore && *fore ? jv_string_fmt("%s %s", fore, jv_get_str(rec, "name"))
				: jv_string(jv_get_str(rec, "name"));
	jv p = JV_OBJECT(jv_string("id"), jv_string(pid), jv_string("name"), name,
			 jv_string("notice"), jv_string(label));
	p = jv_object_set(p, jv_string("owner"), jv_string(owner ? owner : "FR"));
	if (jv_get_str(rec, "dob"))
		p = jv_object_set(p, jv_string("dob"), jv_string(jv_get_str(rec, "dob")));
	jv nat = jv_object_get(jv_copy(rec), jv_string("nationalities"));
	if (jv_get_kind(nat) == JV_KIND_ARRAY)
		p = jv_object_set(p, jv_string("nationalities"), nat);
	else
		jv_free(nat);
	jv al = jv_object_get(jv_copy(rec), jv_string("aliases"));
	if (jv_get_kind(al) == JV_KIND_ARRAY)
		p = jv_object_set(p, jv_string("aliases"), al);
	else
		jv_free(al);
	if (jv_get_str(rec, "expires_at")) {
		char day[RFC3339_LEN];
		snprintf(day, sizeof day, "%.10s", jv_get_str(rec, "expires_at"));
		p = jv_object_set(p, jv_string("review_by"), jv_string(day));
	}
	return p;
}

static int person_sync(struct refdb_ctx *c, jv rec, int remove)
{
	char reason[256];
	int kind = notice_kind_by_name(jv_get_str(rec, "kind"));
	if (kind < 0 || !notice_kind_names_person(kind) || !jv_get_str(rec, "name"))
		return 0;
	int rc = refdb_load(c, REFDB_PERSONS, person_of(rec), remove, reason, sizeof reason);
	if (rc == REFDB_UNCHANGED) /* the notice changed, not what it says of its subject */
		return 0;
	if (rc < 0) {
		warnx("notice %s: its subject cannot become a person record: %s",
		      jv_get_str(rec, "id"), reason);
		return CCC_EX_DATAERR;
	}
	return rc;
}

static jv with_expiry(jv rec, time_t from)
{
	char exp[RFC3339_LEN];
	struct tm tm;
	gmtime_r(&from, &tm);
	tm.tm_year += NOTICE_VALIDITY_YEARS;
	if (tm.tm_mon == 1 && tm.tm_mday == 29)
		tm.tm_mday = 28; /* 29 February to a year that may not have it */
	clock_format(timegm(&tm), exp);
	return jv_object_set(rec, jv_string("expires_at"), jv_string(exp));
}

/* Review: required fields, the Article 3 screen, duplicates among active
 * notices (the persons database holds every published person notice). */
static jv review(struct refdb_ctx *c, jv rec, const char *decision, const char **status)
{
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	jv problems = notice_problems(rec);
	jv a3 = notice_article3_screen(rec);
	jv dups = jv_array();
	const char *name = jv_get_str(rec, "name");
	if (name && *name) {
		jv nat = jv_object_get(jv_copy(rec), jv_string("nationalities"));
		jv first = jv_get_kind(nat) == JV_KIND_ARRAY && jv_array_length(jv_copy(nat)) > 0
			       ? jv_array_get(jv_copy(nat), 0)
			       : jv_null();
		jv chk = refdb_check_person(
		    c, name, jv_get_str(rec, "dob"),
		    jv_get_kind(first) == JV_KIND_STRING ? jv_string_value(first) : NULL);
		if (jv_is_valid(chk)) {
			refdb_audit(c, chk); /* borrows chk */
			jv hits = jv_object_get(chk, jv_string("hits"));
			jv_array_foreach (hits, i, h) {
				if (jv_get_str(h, "notice"))
					dups = jv_array_append(
					    dups,
					    JV_OBJECT(
						jv_string("notice"),
						jv_string(jv_get_str(h, "notice")),
						jv_string("person"), jv_string(jv_get_str(h, "id")),
						jv_string("score"),
						jv_object_get(jv_copy(h), jv_string("score"))));
				jv_free(h);
			}
			jv_free(hits);
		} else {
			jv_free(chk);
		}
		jv_free(first);
		jv_free(nat);
	}
	int nprob = jv_array_length(jv_copy(problems)), na3 = jv_array_length(jv_copy(a3));
	if (nprob)
		*status = "draft";
	else if (na3 && decision && !strcmp(decision, "refused"))
		*status = "refused";
	else if (na3 && !(decision && !strcmp(decision, "compliant")))
		*status = "draft";
	else
		*status = "reviewed";
	jv art = JV_OBJECT(jv_string("hits"), a3, jv_string("decision"),
			   na3 && decision ? jv_string(decision) : jv_null());
	art = jv_object_set(art, jv_string("needs_decision"), jv_bool(na3 && !decision));
	jv r = JV_OBJECT(jv_string("by"), jv_string(store_actor(c->store)), jv_string("at"),
			 jv_string(now), jv_string("outcome"), jv_string(*status));
	r = jv_object_set(r, jv_string("problems"), problems);
	r = jv_object_set(r, jv_string("article3"), art);
	return jv_object_set(r, jv_string("duplicates"), dups);
}

/* Record the recipients of a published notice from its to and regions. */
static int send(struct store *s, jv rec)
{
	char now[RFC3339_LEN];
	jv all = jv_object_get(jv_copy(rec), jv_string("to"));
	if (jv_get_kind(all) != JV_KIND_ARRAY) {
		jv_free(all);
		all = jv_array();
	}
	jv regs = jv_object_get(jv_copy(rec), jv_string("regions"));
	if (jv_get_kind(regs) == JV_KIND_ARRAY) {
		jv_array_foreach (regs, i, r) {
			jv codes = jv_get_kind(r) == JV_KIND_STRING
				       ? notice_region(jv_string_value(r))
				       : jv_invalid();
			if (jv_is_valid(codes))
				all = jv_array_concat(all, codes);
			else
				jv_free(codes);
			jv_free(r);
		}
	}
	jv_free(regs);
	clock_format(clock_now(), now);
	int rc = 0;
	jv_array_foreach (all, i, cc) {
		if (!rc && jv_get_kind(cc) == JV_KIND_STRING) {
			sqlite3_stmt *st = store_stmt(s, SQL_SEND);
			sqlite3_bind_text(st, 1, jv_get_str(rec, "id"), -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, jv_string_value(cc), -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
			int r = sqlite3_step(st);
			if (r != SQLITE_DONE)
				rc = store_error(s, r, "recording the recipients");
		}
		jv_free(cc);
	}
	jv_free(all);
	return rc;
}

static int wrong_state(jv rec, const char *action, const char *status)
{
	warnx("%s: notice '%s' is %s", action, jv_get_str(rec, "id"), status);
	jv_free(rec);
	return CCC_EX_DATAERR;
}

static int four_eyes(jv rec, const char *action, const char *actor)
{
	warnx("%s: '%s' drafted notice '%s': a notice is reviewed and published by someone "
	      "other than its drafter (four eyes)",
	      action, actor, jv_get_str(rec, "id"));
	jv_free(rec);
	return CCC_EX_NOPERM;
}

static int in(const char *s, const char *a, const char *b, const char *c)
{
	return !strcmp(s, a) || (b && !strcmp(s, b)) || (c && !strcmp(s, c));
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/*
 * Whether action on rec (status) is a rerun of what is done already: 1 when
 * it is (again->why says so), 0 when it is not, or an exit code when it is
 * the same action with other values (a cancel for another reason).
 */
static int already(jv rec, const char *status, const char *action, const struct notice_change *ch,
		   struct rerun *again)
{
	const char *id = jv_get_str(rec, "id"), *control = jv_get_str(rec, "control");
	if (!strcmp(action, "review")) {
		if (!in(status, "reviewed", "refused", NULL))
			return 0;
		jv r = jv_object_get(jv_copy(rec), jv_string("review"));
		if (jv_get_kind(r) != JV_KIND_OBJECT) {
			jv_free(r);
			return 0;
		}
		jv art = jv_object_get(jv_copy(r), jv_string("article3"));
		const char *decided = jv_get_str(art, "decision");
		int same = !strcmp(status, "reviewed")
			       ? !ch->decision || same_str(ch->decision, decided)
			   : !strcmp(status, "refused") ? same_str(ch->decision, "refused")
							: 0;
		jv_free(art);
		jv_free(r);
		if (!same)
			return 0;
	} else if (!strcmp(action, "publish")) {
		if (strcmp(status, "published") != 0)
			return 0;
	} else if (!strcmp(action, "cancel")) {
		if (strcmp(status, "cancelled") != 0)
			return 0;
		const char *was = jv_get_str(rec, "cancel_reason");
		if (!same_str(was, ch->reason)) {
			warnx("cancel: notice '%s' was cancelled already, for another reason: '%s'",
			      id, was ? was : "");
			return CCC_EX_DATAERR;
		}
	} else if (!strcmp(action, "renew")) {
		/* renewed today already: the same expiry day */
		jv to = with_expiry(jv_object(), clock_now());
		const char *exp = jv_get_str(rec, "expires_at");
		int same = !strcmp(status, "published") && exp &&
			   !strncmp(exp, jv_get_str(to, "expires_at"), 10);
		jv_free(to);
		if (!same)
			return 0;
		snprintf(again->why, sizeof again->why,
			 "notice '%s' is renewed already: it expires at %s", id, exp);
		again->done = 1;
		return 1;
	} else if (!strcmp(action, "update")) {
		if (!in(status, "draft", "reviewed", "published") || !jv_is_valid(ch->fields))
			return 0;
		int same = 1;
		jv_object_foreach (ch->fields, k, v) {
			jv was = jv_object_get(jv_copy(rec), k);
			if (same && !jv_equal(was, v))
				same = 0;
			else if (!same)
				jv_free(was), jv_free(v);
		}
		if (!same)
			return 0;
		snprintf(again->why, sizeof again->why, "notice '%s' has these values already", id);
		again->done = 1;
		return 1;
	} else {
		return 0;
	}
	snprintf(again->why, sizeof again->why, "notice '%s' is %s already%s%s%s", id, status,
		 control ? " (" : "", control ? control : "", control ? ")" : "");
	again->done = 1;
	return 1;
}

int notice_act(struct store *s, struct refdb_ctx *c, const char *id, const char *action,
	       const struct notice_change *ch, jv *out, struct rerun *again)
{
	jv rec;
	int rc = get_record(s, id, &rec);
	char detail[512] = "";
	again->done = 0;
	if (rc)
		return rc;
	char status[32];
	snprintf(status, sizeof status, "%s", jv_get_str(rec, "status"));
	const char *drafter = jv_get_str(rec, "drafted_by");
	int mine = drafter && !strcmp(drafter, store_actor(s));
	const char *next = status;
	if ((rc = already(rec, status, action, ch, again)) != 0) {
		if (rc == 1 && mine && in(action, "review", "publish", NULL)) {
			again->done = 0; /* its drafter could not have done it */
			return four_eyes(rec, action, store_actor(s));
		}
		if (rc != 1) {
			jv_free(rec);
			return rc;
		}
		*out = rec;
		return 0;
	}
	if (!strcmp(action, "review")) {
		if (strcmp(status, "draft") != 0)
			return wrong_state(rec, action, status);
		if (mine)
			return four_eyes(rec, action, store_actor(s));
		jv r = review(c, rec, ch->decision, &next);
		snprintf(detail, sizeof detail, "%s", next);
		rec = jv_object_set(rec, jv_string("review"), r);
	} else if (!strcmp(action, "publish")) {
		if (strcmp(status, "reviewed") != 0)
			return wrong_state(rec, action, status);
		if (mine)
			return four_eyes(rec, action, store_actor(s));
		char now[RFC3339_LEN], control[32];
		time_t t = clock_now();
		struct tm tm;
		gmtime_r(&t, &tm);
		int kind = notice_kind_by_name(jv_get_str(rec, "kind"));
		char letter[2] = {notice_kind_letter(kind), 0};
		sqlite3_stmt *st = store_stmt(s, SQL_SERIAL);
		sqlite3_bind_text(st, 1, letter, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, tm.tm_year + 1900);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			sqlite3_reset(st);
			jv_free(rec);
			return store_error(s, rc, "numbering the notice");
		}
		long serial = (long)sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		notice_control_number(kind, serial, tm.tm_year + 1900, control, sizeof control);
		clock_format(t, now);
		rec = jv_object_set(rec, jv_string("control"), jv_string(control));
		rec = jv_object_set(rec, jv_string("published_by"), jv_string(store_actor(s)));
		rec = jv_object_set(rec, jv_string("published_at"), jv_string(now));
		rec = with_expiry(rec, t);
		next = "published";
		snprintf(detail, sizeof detail, "%s", control);
	} else if (!strcmp(action, "update")) {
		if (!in(status, "draft", "reviewed", "published"))
			return wrong_state(rec, action, status);
		if (jv_is_valid(ch->fields)) {
			jv_object_foreach (ch->fields, k, v) {
				rec = jv_object_set(rec, k, v);
			}
		}
		if (!strcmp(status, "reviewed"))
			next = "draft"; /* changed after review: review again */
		else if (!strcmp(status, "published")) {
			jv problems = notice_problems(rec);
			int np = jv_array_length(jv_copy(problems));
			if (np) {
				jv p0 = jv_array_get(problems, 0);
				warnx("update: notice '%s': %s", jv_get_str(rec, "id"),
				      jv_string_value(p0));
				jv_free(p0);
				jv_free(rec);
				return CCC_EX_DATAERR;
			}
			jv_free(problems);
		}
	} else if (!strcmp(action, "cancel")) {
		if (!in(status, "draft", "reviewed", "published"))
			return wrong_state(rec, action, status);
		rec = jv_object_set(rec, jv_string("cancel_reason"), jv_string(ch->reason));
		next = "cancelled";
		snprintf(detail, sizeof detail, "%s", ch->reason);
	} else if (!strcmp(action, "renew")) {
		if (!in(status, "published", "expired", NULL))
			return wrong_state(rec, action, status);
		rec = with_expiry(rec, clock_now());
		next = "published";
		snprintf(detail, sizeof detail, "%s", jv_get_str(rec, "expires_at"));
	} else {
		jv_free(rec);
		warnx("'%s' is not a notice action", action);
		return CCC_EX_USAGE;
	}
	rec = jv_object_set(rec, jv_string("status"), jv_string(next));
	if (!strcmp(next, "published"))
		rc = person_sync(c, rec, 0);
	else if (!strcmp(status, "published"))
		rc = person_sync(c, rec, 1);
	if (!rc && !strcmp(action, "publish"))
		rc = send(s, rec);
	if (!rc)
		rc = save(s, rec);
	if (!rc)
		rc = log_action(s, jv_get_str(rec, "id"), action, *detail ? detail : NULL);
	if (rc) {
		jv_free(rec);
		return rc;
	}
	*out = rec;
	return 0;
}

int notice_expire(struct store *s, struct refdb_ctx *c, jv *out)
{
	char now[RFC3339_LEN];
	jv ids = jv_array(), done = jv_array();
	int rc;
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, SQL_DUE);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ids = jv_array_append(ids, jv_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the notices");
	jv_array_foreach (ids, i, id) {
		jv rec;
		if (!rc && !(rc = get_record(s, jv_string_value(id), &rec))) {
			rec = jv_object_set(rec, jv_string("status"), jv_string("expired"));
			rec = jv_object_set(rec, jv_string("expired_at"), jv_string(now));
			if (!(rc = person_sync(c, rec, 1)) && !(rc = save(s, rec)))
				rc = log_action(s, jv_string_value(id), "expire", NULL);
			done = jv_array_append(done, rec);
		}
		jv_free(id);
	}
	jv_free(ids);
	if (rc) {
		jv_free(done);
		return rc;
	}
	*out = done;
	return 0;
}

int notice_readable(struct store *s, jv rec, const struct notice_reader *who)
{
	if (who->all || notice_is_public(rec))
		return 1;
	int sent = notice_sent_to(rec, who->ncb);
	if (sent > 0 || (sent < 0 && !notice_has_recipients(s, rec, NULL)))
		return 1;
	if (!who->ncb)
		return 0;
	const char *owner = jv_get_str(rec, "requesting_country");
	return (owner && !strcmp(owner, who->ncb)) || notice_has_recipients(s, rec, who->ncb);
}

/* 1 when notice rec was recorded as sent to cc (to anyone when cc is NULL);
 * a store error counts as sent to someone: the notice is then not general. */
int notice_has_recipients(struct store *s, jv rec, const char *cc)
{
	sqlite3_stmt *st = store_stmt(s, SQL_SENT_TO);
	sqlite3_bind_text(st, 1, jv_get_str(rec, "id"), -1, SQLITE_TRANSIENT);
	if (cc)
		sqlite3_bind_text(st, 2, cc, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	int r = sqlite3_step(st);
	int yes = r == SQLITE_ROW ? sqlite3_column_int(st, 0) != 0 : !cc;
	sqlite3_reset(st);
	return yes;
}

int notice_feed(struct store *s, long long since, long limit, const struct notice_reader *who,
		jv *out, long *hidden)
{
	jv list = jv_array();
	int rc = 0, more = 1;
	*hidden = 0;
	/* Page through the log until limit events this reader may read are found:
	 * events it may not read are passed over, so a page of them does not end
	 * its feed early. */
	while (!rc && more && jv_array_length(jv_copy(list)) < limit) {
		jv events = jv_array();
		long n = 0;
		sqlite3_stmt *st = store_stmt(s, SQL_FEED);
		sqlite3_bind_int64(st, 1, since);
		sqlite3_bind_int64(st, 2, limit);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			n++;
			since = sqlite3_column_int64(st, 0);
			events = jv_array_append(
			    events,
			    JV_OBJECT(jv_string("e"), jv_number((double)since), jv_string("id"),
				      jv_string((const char *)sqlite3_column_text(st, 1)),
				      jv_string("event"),
				      jv_string((const char *)sqlite3_column_text(st, 2))));
		}
		sqlite3_reset(st);
		rc = rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the notice log");
		more = n == limit;
		jv_array_foreach (events, i, ev) {
			jv rec;
			if (!rc && jv_array_length(jv_copy(list)) < limit &&
			    !(rc = get_record(s, jv_get_str(ev, "id"), &rec))) {
				if (!notice_readable(s, rec, who)) {
					jv_free(rec);
					++*hidden;
				} else {
					rec = jv_object_set(
					    rec, jv_string("event"),
					    jv_object_get(jv_copy(ev), jv_string("event")));
					rec = jv_object_set(
					    rec, jv_string("feed_seq"),
					    jv_object_get(jv_copy(ev), jv_string("e")));
					list = jv_array_append(list, rec);
				}
			}
			jv_free(ev);
		}
		jv_free(events);
	}
	if (rc) {
		jv_free(list);
		return rc;
	}
	*out = list;
	return 0;
}
