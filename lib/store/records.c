/*
 * records.c: JSON records and action logs read back from the store (see
 * records.h).
 */
#include <err.h>
#include <stdio.h>

#include "ccc/exit.h"
#include "ccc/ndjson.h"
#include "ccc/records.h"

int records_get(struct store *s, const char *sql, const char *noun, const char *table,
		const char *id, jv *out)
{
	char reason[128], what[64];
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return CCC_EX_SOFTWARE;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			snprintf(what, sizeof what, "reading the %s", table);
			return store_error(s, rc, what);
		}
		warnx("%s '%s' is not in store '%s'", noun, id, store_path(s));
		return CCC_EX_NOINPUT;
	}
	*out = ndjson_parse((const char *)sqlite3_column_text(st, 0),
			    (size_t)sqlite3_column_bytes(st, 0), reason, sizeof reason);
	sqlite3_reset(st);
	if (!jv_is_valid(*out)) {
		warnx("%s '%s': its stored record cannot be read: %s", noun, id, reason);
		return CCC_EX_SOFTWARE;
	}
	return 0;
}

int records_list(struct store *s, sqlite3_stmt *st, const char *what, jv *out)
{
	char reason[128];
	int rc;
	if (!st)
		return CCC_EX_SOFTWARE;
	jv list = jv_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		jv r = ndjson_parse((const char *)sqlite3_column_text(st, 0),
				    (size_t)sqlite3_column_bytes(st, 0), reason, sizeof reason);
		if (jv_is_valid(r))
			list = jv_array_append(list, r);
		else
			jv_free(r);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(list);
		return store_error(s, rc, what);
	}
	*out = list;
	return 0;
}

int records_log(struct store *s, const char *sql, const char *subject, const char *what, jv *out)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	int rc;
	if (!st)
		return CCC_EX_SOFTWARE;
	sqlite3_bind_text(st, 1, subject, -1, SQLITE_TRANSIENT);
	jv log = jv_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *d = sqlite3_column_text(st, 3);
		log = jv_array_append(
		    log,
		    JV_OBJECT(jv_string("at"), jv_string((const char *)sqlite3_column_text(st, 0)),
			      jv_string("by"), jv_string((const char *)sqlite3_column_text(st, 1)),
			      jv_string("action"),
			      jv_string((const char *)sqlite3_column_text(st, 2)),
			      jv_string("detail"), d ? jv_string((const char *)d) : jv_null()));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(log);
		return store_error(s, rc, what);
	}
	*out = log;
	return 0;
}
