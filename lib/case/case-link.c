/*
 * case-link.c: what a case ties together (see case.h): the kinds of item,
 * how an officer or a stream names one, whether it is in the store, and the
 * links themselves.
 */
#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/case.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"

const char *const case_kinds[] = {"message", "check",    "notice", "plan", "deployment",
				  "person",  "document", "case",   NULL};

/* The prefixes an officer may write before ':' for a kind. */
static const struct {
	const char *prefix, *kind;
} aliases[] = {
    {"message", "message"},       {"msg", "message"},       {"check", "check"},
    {"consultation", "check"},    {"notice", "notice"},     {"plan", "plan"},
    {"deployment", "deployment"}, {"dep", "deployment"},    {"person", "person"},
    {"persons", "person"},        {"document", "document"}, {"documents", "document"},
    {"doc", "document"},          {"case", "case"},
};

/* The id forms SITE-numbered records take, and their kind. */
static const struct {
	const char *prefix, *kind;
} forms[] = {
    {"msg-", "message"},    {"notice-", "notice"}, {"plan-", "plan"},
    {"dep-", "deployment"}, {"case-", "case"},
};

/* 1 when s is PREFIX + SITE + "-" + digits (a site name: letters, digits,
 * '-' and '_'). */
static int site_numbered(const char *s, const char *prefix)
{
	size_t pl = strlen(prefix);
	if (strncmp(s, prefix, pl) != 0)
		return 0;
	const char *dash = strrchr(s + pl, '-');
	if (!dash || dash == s + pl || !dash[1])
		return 0;
	for (const char *p = s + pl; p < dash; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	for (const char *p = dash + 1; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return 1;
}

static int put(char *dst, size_t n, const char *src, size_t len)
{
	if (len == 0 || len >= n)
		return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

int case_item_parse(const char *text, char *kind, size_t klen, char *id, size_t idlen, char *err,
		    size_t errlen)
{
	const char *colon = strchr(text, ':');
	if (colon) {
		size_t pl = (size_t)(colon - text);
		for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
			if (strlen(aliases[i].prefix) != pl || strncmp(text, aliases[i].prefix, pl))
				continue;
			const char *rest = colon + 1;
			if (!strcmp(aliases[i].kind, "check")) {
				char *end;
				long long c = strtoll(rest, &end, 10);
				if (!*rest || *end || c <= 0) {
					snprintf(err, errlen,
						 "'%s': a check is its consultation number "
						 "(check:N)",
						 text);
					return -1;
				}
			}
			if (!strcmp(aliases[i].kind, "document")) {
				const char *c2 = strchr(rest, ':');
				if (!c2 || c2 - rest != 2 || !c2[1]) {
					snprintf(err, errlen,
						 "'%s': a document is document:CC:NUMBER", text);
					return -1;
				}
			}
			if (put(kind, klen, aliases[i].kind, strlen(aliases[i].kind)) < 0 ||
			    put(id, idlen, rest, strlen(rest)) < 0) {
				snprintf(err, errlen, "'%s': no id after '%.*s:', or too long",
					 text, (int)pl, text);
				return -1;
			}
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		if (site_numbered(text, forms[i].prefix)) {
			if (put(kind, klen, forms[i].kind, strlen(forms[i].kind)) < 0 ||
			    put(id, idlen, text, strlen(text)) < 0)
				break;
			return 0;
		}
	snprintf(err, errlen,
		 "'%s' is no item a case links: give KIND:ID (message, check, notice, plan, "
		 "deployment, person, document, case) or an id such as msg-SITE-N",
		 text);
	return -1;
}

int case_record_item(jv rec, char *kind, size_t klen, char *id, size_t idlen)
{
	char err[256];
	if (jv_get_kind(rec) != JV_KIND_OBJECT)
		return 0;
	jv c = jv_object_get(jv_copy(rec), jv_string("consultation"));
	/* a consultation number that a long long holds (1e300 cast to one is
	 * undefined), and whole */
	double n = jv_get_kind(c) == JV_KIND_NUMBER ? jv_number_value(c) : 0;
	if (n >= 1 && n < 9e18 && n == (double)(long long)n) {
		snprintf(kind, klen, "check");
		snprintf(id, idlen, "%lld", (long long)n);
		jv_free(c);
		return 1;
	}
	jv_free(c);
	const char *s = jv_get_str(rec, "id");
	if (!s || strchr(s, ':'))
		return 0;
	return case_item_parse(s, kind, klen, id, idlen, err, sizeof err) == 0;
}

/* For each kind: the query that finds the item (?1 the id; its first
 * column the canonical id), and how to name it in a message. */
static const struct {
	const char *kind, *sql, *what;
} lookups[] = {
    {"message", "SELECT id FROM messages WHERE id = ?1", "message"},
    {"check", "SELECT c FROM consultations WHERE c = CAST(?1 AS INTEGER)",
     "consultation log entry"},
    {"notice", "SELECT id FROM notices WHERE id = ?1 OR control = ?1", "notice"},
    {"plan", "SELECT id FROM plans WHERE id = ?1", "plan"},
    {"deployment", "SELECT id FROM deployments WHERE id = ?1", "deployment"},
    {"person", "SELECT id FROM persons WHERE id = ?1", "person"},
    {"document",
     "SELECT country || ':' || number FROM documents"
     " WHERE country = substr(?1, 1, 2) AND number = substr(?1, 4)",
     "document"},
    {"case", "SELECT id FROM cases WHERE id = ?1", "case"},
};

int case_item_find(struct store *s, const char *kind, char *id, size_t idlen, char *why,
		   size_t whylen)
{
	for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++) {
		if (strcmp(lookups[i].kind, kind) != 0)
			continue;
		sqlite3_stmt *st = store_stmt(s, lookups[i].sql);
		if (!st)
			return CCC_EX_SOFTWARE;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *canon = (const char *)sqlite3_column_text(st, 0);
			if (canon && strlen(canon) < idlen)
				memmove(id, canon, strlen(canon) + 1);
			sqlite3_reset(st);
			return 0;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, rc, "looking the item up");
		snprintf(why, whylen, "%s '%s' is not in store '%s'", lookups[i].what, id,
			 store_path(s));
		return CCC_EX_DATAERR;
	}
	snprintf(why, whylen, "'%s' is not a kind of item a case links", kind);
	return CCC_EX_DATAERR;
}

int case_item_exists(struct store *s, const char *kind, char *id, size_t idlen)
{
	char why[1024];
	int rc = case_item_find(s, kind, id, idlen, why, sizeof why);
	if (rc == CCC_EX_DATAERR)
		warnx("%s", why);
	return rc;
}

static const char *const SQL_LINK =
    "INSERT INTO case_links(case_id, kind, item, linked_at, actor, reason)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";
static const char *const SQL_UNLINK =
    "DELETE FROM case_links WHERE case_id = ?1 AND kind = ?2 AND item = ?3";
static const char *const SQL_LINKS =
    "SELECT kind, item, linked_at, actor, reason FROM case_links WHERE case_id = ?1"
    " ORDER BY linked_at, rowid";
static const char *const SQL_LINKED_TO =
    "SELECT case_id FROM case_links WHERE kind = ?1 AND item = ?2 ORDER BY case_id";
static const char *const SQL_STATUS = "SELECT status FROM cases WHERE id = ?1";

/* 0 when case id exists and is open; 66 or 65 (said) otherwise. */
static int case_open_for_links(struct store *s, const char *id)
{
	sqlite3_stmt *st = store_stmt(s, SQL_STATUS);
	if (!st)
		return CCC_EX_SOFTWARE;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, rc, "reading the cases");
		warnx("case '%s' is not in store '%s'", id, store_path(s));
		return CCC_EX_NOINPUT;
	}
	int closed = !strcmp((const char *)sqlite3_column_text(st, 0), "closed");
	sqlite3_reset(st);
	if (closed) {
		warnx("case '%s' is closed: reopen it to change its links", id);
		return CCC_EX_DATAERR;
	}
	return 0;
}

int case_link_added(struct store *s, const char *case_id, const char *kind, const char *item,
		    const char *reason, int *added)
{
	char id[512], now[RFC3339_LEN], detail[600];
	int rc;
	*added = 0;
	if ((rc = case_open_for_links(s, case_id)))
		return rc;
	if (snprintf(id, sizeof id, "%s", item) >= (int)sizeof id) {
		warnx("'%s': the id is too long", item);
		return CCC_EX_DATAERR;
	}
	if ((rc = case_item_exists(s, kind, id, sizeof id)))
		return rc;
	if (!strcmp(kind, "case") && !strcmp(id, case_id)) {
		warnx("case '%s' is not linked to itself", case_id);
		return CCC_EX_DATAERR;
	}
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, SQL_LINK);
	if (!st)
		return CCC_EX_SOFTWARE;
	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, store_actor(s) ? store_actor(s) : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, reason, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "linking an item to the case");
	if (sqlite3_changes(store_db(s)) == 0)
		return 0;
	*added = 1;
	snprintf(detail, sizeof detail, "%s:%s", kind, id);
	return case_log(s, case_id, "link", detail);
}

int case_link(struct store *s, const char *case_id, const char *kind, const char *item,
	      const char *reason)
{
	int added;
	return case_link_added(s, case_id, kind, item, reason, &added);
}

int case_unlink(struct store *s, const char *case_id, const char *kind, const char *item,
		int *removed)
{
	char detail[600];
	int rc;
	*removed = 0;
	if ((rc = case_open_for_links(s, case_id)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, SQL_UNLINK);
	if (!st)
		return CCC_EX_SOFTWARE;
	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, item, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "unlinking an item from the case");
	if (sqlite3_changes(store_db(s)) == 0)
		return 0;
	*removed = 1;
	snprintf(detail, sizeof detail, "%s:%s", kind, item);
	return case_log(s, case_id, "unlink", detail);
}

int case_links(struct store *s, const char *case_id, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_LINKS);
	int rc;
	if (!st)
		return CCC_EX_SOFTWARE;
	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_TRANSIENT);
	jv list = jv_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *why = sqlite3_column_text(st, 4);
		list = jv_array_append(
		    list,
		    JV_OBJECT(
			jv_string("kind"), jv_string((const char *)sqlite3_column_text(st, 0)),
			jv_string("item"), jv_string((const char *)sqlite3_column_text(st, 1)),
			jv_string("linked_at"), jv_string((const char *)sqlite3_column_text(st, 2)),
			jv_string("by"), jv_string((const char *)sqlite3_column_text(st, 3)),
			jv_string("reason"), why ? jv_string((const char *)why) : jv_null()));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(list);
		return store_error(s, rc, "reading the case's links");
	}
	*out = list;
	return 0;
}

int case_linked_to(struct store *s, const char *kind, const char *item, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, SQL_LINKED_TO);
	int rc;
	if (!st)
		return CCC_EX_SOFTWARE;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, item, -1, SQLITE_TRANSIENT);
	jv list = jv_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		list = jv_array_append(list, jv_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(list);
		return store_error(s, rc, "reading the links");
	}
	*out = list;
	return 0;
}
