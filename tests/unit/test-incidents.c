/*
 * test-incidents.c: correlate_incidents looks each open incident's links up
 * itself for a message that many items share an entity with; its answers
 * are its query's (SQL_INCIDENTS, run when there are few), incident for
 * incident, with the same priority and the same via, on an index of random
 * keys, messages and checks; random incidents (open and closed, with and
 * without a priority), operations and links of every kind and form: a
 * message by its id, a check by its number or its id, a person by its id
 * or key, a document by its number, CC:NUMBER or doc:CC:NUMBER. The links
 * are read both ways: for each message, and once for the transaction, kept
 * as correlate_link links messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ccc/correlate.h"
#include "ccc/store.h"
#include "scratch.h"
#include "tap.h"

static uint64_t rng = 0xD1B54A32D192ED03ull;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static char *text(jv v)
{
	jv t = jv_dump_string(v, 0);
	char *r = strdup(jv_string_value(t));
	jv_free(t);
	return r;
}

/* An item of the index: i picks its kind and number. */
static void item(unsigned i, char *out, size_t n)
{
	switch (i % 5) {
	case 0:
	case 1: snprintf(out, n, "check-%u", i % 700); break;
	case 2: snprintf(out, n, "msg-lyon-%u", i % 900); break;
	case 3: snprintf(out, n, "msg-\xc3\xa9t\xc3\xa9-%u", i % 60); break;
	default: snprintf(out, n, "msg-sg-%u", i % 400); break;
	}
}

static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "# %s: %s\n", sql, err);
		sqlite3_free(err);
	}
}

/* The three answers for item own must be the same: the query's, each
 * open incident's links read for it, and the links read once for the
 * transaction (kept since). 1 when they are. */
static int same(struct store *s, const char *own, int *listed)
{
	correlate_sql_only = 1;
	char *want = text(correlate_incidents(s, own));
	correlate_sql_only = 0;
	correlate_uncached = 1;
	char *read = text(correlate_incidents(s, own));
	correlate_uncached = 0;
	char *got = text(correlate_incidents(s, own));
	int r = !strcmp(got, want) && !strcmp(read, want);
	if (!r)
		fprintf(stderr, "# %s\n#   query  %s\n#   links  %s\n#   kept   %s\n", own, want,
			read, got);
	*listed += strcmp(want, "[]") != 0;
	free(want);
	free(read);
	free(got);
	return r;
}

/* n random links of the 12 cases, of every kind and form. */
static void add_links(sqlite3 *db, unsigned n)
{
	sqlite3_stmt *ins;
	char it[64];
	sqlite3_prepare_v2(db,
			   "INSERT OR IGNORE INTO case_links(case_id, kind, item, linked_at, actor)"
			   " VALUES (?1, ?2, ?3, '2026-12-06T00:00:00Z', 'test')",
			   -1, &ins, NULL);
	for (unsigned l = 0; l < n; l++) {
		char cid[32];
		const char *kind;
		snprintf(cid, sizeof cid, "case-lyon-%u", 1 + next(12));
		unsigned f = next(20);
		if (f < 10) { /* a message or check by its id */
			item(next(5000), it, sizeof it);
			kind = !strncmp(it, "check-", 6) ? "check" : "message";
		} else if (f < 14) { /* a check by its number */
			snprintf(it, sizeof it, "%u", next(700));
			kind = "check";
		} else if (f < 16) {
			snprintf(it, sizeof it, next(2) ? "P1" : "person:P%u", next(3));
			kind = "person";
		} else {
			static const char *const docs[] = {"K0", "fr%u", "FR:FR%u", "doc:FR:FR%u"};
			char fmt[32];
			snprintf(fmt, sizeof fmt, "%s", docs[next(4)]);
			snprintf(it, sizeof it, fmt, next(30));
			kind = "document";
		}
		sqlite3_bind_text(ins, 1, cid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, it, -1, SQLITE_TRANSIENT);
		sqlite3_step(ins);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
}

int main(void)
{
	struct scratch sx;
	struct store *s = scratch_open(&sx, "incidents", 1);
	if (!ok(s != NULL, "a store"))
		return tap_done();
	sqlite3 *db = store_db(s);
	sqlite3_stmt *ins;
	sqlite3_prepare_v2(db,
			   "INSERT OR IGNORE INTO derived_entities(key, item, at)"
			   " VALUES (?1, ?2, '2026-12-06T00:00:00Z')",
			   -1, &ins, NULL);
	char k[64], it[64], sql[512];
	/* 300 keys of a few items each; doc:K0 of some 600, person:P1 of 300 */
	for (unsigned r = 0; r < 3000; r++) {
		unsigned w = next(10);
		if (w < 2)
			snprintf(k, sizeof k, "doc:K0");
		else if (w < 3)
			snprintf(k, sizeof k, "person:P1");
		else if (w < 4)
			snprintf(k, sizeof k, "doc:FR%u", next(30));
		else
			snprintf(k, sizeof k, "doc:K%u", 1 + next(300));
		item(next(5000), it, sizeof it);
		sqlite3_bind_text(ins, 1, k, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, it, -1, SQLITE_TRANSIENT);
		sqlite3_step(ins);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	/* 12 cases: incidents open and closed, with and without a priority,
	 * and operations */
	for (int c = 1; c <= 12; c++) {
		const char *kind = c % 4 == 0 ? "operation" : "incident";
		const char *status = c % 5 == 0 ? "closed" : "open";
		const char *prio = c % 3 == 0   ? ""
				   : c % 3 == 1 ? ",\"priority\":\"P3\""
						: ",\"priority\":\"urgent\"";
		snprintf(sql, sizeof sql,
			 "INSERT INTO cases(id, n, kind, status, title, owner, record, updated_at)"
			 " VALUES ('case-lyon-%d', %d, '%s', '%s', 't', 'test',"
			 " '{\"id\":\"case-lyon-%d\"%s}', '2026-12-06T00:00:00Z')",
			 c, c, kind, status, c, prio);
		exec(db, sql);
	}
	add_links(db, 900);

	int all = 1, listed = 0;
	for (unsigned d = 0; d < 600; d++) {
		item(next(5000), it, sizeof it);
		all &= same(s, it, &listed);
	}
	ok(all, "600 random items: the same incidents, priorities and vias as the query");
	ok(listed > 150, "of which %d list an incident", listed);
	/* every item of the busiest key */
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT item FROM derived_entities WHERE key = 'doc:K0'", -1, &st,
			   NULL);
	int hot = 1, n = 0, hl = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		hot &= same(s, (const char *)sqlite3_column_text(st, 0), &hl);
		n++;
	}
	sqlite3_finalize(st);
	ok(hot && n > 300, "every one of the %d items of the busiest key: the same (%d list one)",
	   n, hl);
	/* again with 40 links: fewer items list an incident */
	exec(db, "DELETE FROM case_links");
	add_links(db, 40);
	correlate_forget(s); /* links written here, not by correlate_link */
	int sparse = 1, sl = 0;
	for (unsigned d = 0; d < 600; d++) {
		item(next(5000), it, sizeof it);
		sparse &= same(s, it, &sl);
	}
	ok(sparse && sl > 50 && sl < 590, "40 links, 600 random items: the same (%d list one)", sl);
	/* messages linked by correlate_link, as triage links them, one after
	 * another in the transaction and from none: what was read of the open
	 * incidents is kept up to date, and the answers stay the query's */
	exec(db, "DELETE FROM case_links");
	correlate_forget(s);
	int kept = 1, kl = 0;
	for (unsigned d = 0; d < 200; d++) {
		item(next(5000), it, sizeof it);
		char cid[32];
		snprintf(cid, sizeof cid, "case-lyon-%u", 1 + next(12));
		if (strncmp(it, "msg-", 4) || correlate_link(s, cid, it, "test"))
			continue;
		for (unsigned e = 0; e < 3; e++) {
			item(next(5000), it, sizeof it);
			kept &= same(s, it, &kl);
		}
	}
	ok(kept && kl > 100, "messages linked one by one: the same after each (%d list one)", kl);
	/* a link the kept reading does not know of, until forgotten */
	exec(db, "DELETE FROM case_links");
	exec(db, "INSERT INTO case_links(case_id, kind, item, linked_at, actor)"
		 " SELECT 'case-lyon-1', 'message', item, '2026-12-06T00:00:00Z', 'test'"
		 " FROM derived_entities WHERE key = 'doc:K0' LIMIT 1");
	correlate_forget(s);
	int hot2 = 1, h2 = 0;
	sqlite3_prepare_v2(db, "SELECT item FROM derived_entities WHERE key = 'doc:K0'", -1, &st,
			   NULL);
	while (sqlite3_step(st) == SQLITE_ROW)
		hot2 &= same(s, (const char *)sqlite3_column_text(st, 0), &h2);
	sqlite3_finalize(st);
	ok(hot2 && h2 > 300,
	   "one link to an item of the busiest key: all of its items list it (%d)", h2);
	/* no link at all */
	exec(db, "DELETE FROM case_links");
	correlate_forget(s);
	jv none = correlate_incidents(s, "msg-lyon-2");
	ok(jv_array_length(none) == 0, "no link at all: no incident");

	store_rollback(s);
	store_close(s);
	scratch_remove(&sx);
	return tap_done();
}
