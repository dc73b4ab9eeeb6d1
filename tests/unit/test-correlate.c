/*
 * test-correlate.c: correlate_also_in looks the entity index and the case
 * links up itself; its answers are its query's (SQL_ALSO_IN), item for item
 * and in the same order, on an index of random keys and items: messages,
 * checks (also in capitals, which LIKE takes for checks), ids of other
 * lengths and non-ASCII ids, keys named by more items than it lists, own
 * sets of one to five items, some of them in no key at all; then again with
 * random case links of every kind and form the query reads; and a key that
 * more than CORRELATE_SCAN items name, whose earliest are the ones ranked.
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

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* An item of the pool: i picks its kind and number. */
static void item(unsigned i, char *out, size_t n)
{
	switch (i % 7) {
	case 0:
	case 1: snprintf(out, n, "check-%u", i * 37 % 1000); break;
	case 2: snprintf(out, n, "msg-lyon-%u", i % 300); break;
	case 3: snprintf(out, n, "CHECK-%u", i % 50); break;
	case 4: snprintf(out, n, "msg-\xc3\xa9t\xc3\xa9-%u", i % 40); break;
	case 5: snprintf(out, n, "msg-sg-%u", i % 3000); break;
	default: snprintf(out, n, "z%u", i % 20); break;
	}
}

static char *text(jv v)
{
	jv t = jv_dump_string(v, 0);
	char *r = strdup(jv_string_value(t));
	jv_free(t);
	return r;
}

/* Both answers for own (not consumed) must be the same; 1 when they are. */
static int same_answer(struct store *s, jv own, const char *what)
{
	correlate_sql_only = 1;
	char *want = text(correlate_also_in(s, jv_copy(own)));
	correlate_sql_only = 0;
	char *got = text(correlate_also_in(s, jv_copy(own)));
	int r = !strcmp(got, want);
	if (!r) {
		char *o = text(jv_copy(own));
		fprintf(stderr, "# %s: own %s\n#   query  %s\n#   lookup %s\n", what, o, want, got);
		free(o);
	}
	free(want);
	free(got);
	return r;
}

/* 400 random sets of one to five items, each answered both ways: 1 when
 * every answer is the same. Counts the answers that list anything, that
 * list as many as they may, and that list a case. */
static int draws(struct store *s, int *nonempty, int *full, int *cased)
{
	char it[64];
	int all = 1;
	for (int t = 0; t < 400; t++) {
		jv own = jv_array();
		for (unsigned n = 1 + next(5), i = 0; i < n; i++) {
			item(next(5000), it, sizeof it);
			own = jv_array_append(own, jv_string(it));
		}
		all &= same_answer(s, own, "random own");
		char *a = text(correlate_also_in(s, jv_copy(own)));
		jv v = jv_parse(a);
		int len = jv_array_length(v);
		*nonempty += len > 0;
		*full += len == CORRELATE_MAX;
		*cased += strstr(a, "\"case-") != NULL || strstr(a, "\"c-") != NULL;
		free(a);
		jv_free(own);
	}
	return all;
}

int main(void)
{
	struct scratch sx;
	struct store *s = scratch_open(&sx, "correlate", 1);
	if (!ok(s != NULL, "a store"))
		return tap_done();
	sqlite3 *db = store_db(s);
	sqlite3_stmt *ins;
	sqlite3_prepare_v2(db,
			   "INSERT OR IGNORE INTO derived_entities(key, item, at)"
			   " VALUES (?1, ?2, '2026-12-06T00:00:00Z')",
			   -1, &ins, NULL);
	char k[32], it[64];
	/* 400 keys named by a few items each, and key-0 by some 200 */
	for (unsigned r = 0; r < 2200; r++) {
		if (r >= 200 && r % 10 == 0)
			snprintf(k, sizeof k, "person:P%u", next(100));
		else
			snprintf(k, sizeof k, "doc:K%u", r < 200 ? 0 : next(400));
		item(next(5000), it, sizeof it);
		sqlite3_bind_text(ins, 1, k, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, it, -1, SQLITE_TRANSIENT);
		sqlite3_step(ins);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	int64_t seq;
	ok(!store_commit(s, &seq), "an index of 500 keys");

	int nonempty = 0, full = 0, cased = 0;
	ok(draws(s, &nonempty, &full, &cased),
	   "400 random sets of items: the lookup answers as the query does");
	ok(nonempty > 100 && full > 10 && nonempty - full > 10,
	   "%d of them have peers, %d more than are listed", nonempty, full);
	jv none = JV_ARRAY(jv_string("msg-nowhere-1"));
	ok(same_answer(s, none, "nothing"), "an item in no key: the same (nothing)");
	jv a = correlate_also_in(s, none);
	is_int(jv_array_length(a), 0, "and nothing it is");

	/* key-0's peers of a check on it: the same 20, messages first */
	sqlite3_exec(db,
		     "INSERT INTO derived_entities(key, item, at) VALUES"
		     " ('doc:K0', 'check-99999', '2026-12-06T00:00:00Z')",
		     NULL, NULL, NULL);
	jv one = JV_ARRAY(jv_string("check-99999"));
	ok(same_answer(s, one, "key 0"), "a check on the key named 200 times: the same 20");
	a = correlate_also_in(s, jv_copy(one));
	jv first = jv_array_get(jv_copy(a), 0);
	ok(jv_get_kind(first) == JV_KIND_STRING && strncmp(jv_string_value(first), "check-", 6) &&
	       strncmp(jv_string_value(first), "CHECK-", 6),
	   "what is not a check comes first");
	jv_free(first);
	jv_free(a);

	/* once a case links something, the query decides: a case is listed */
	sqlite3_exec(db,
		     "INSERT INTO derived_entities(key, item, at) VALUES"
		     " ('doc:SMALL', 'check-77777', '2026-12-06T00:00:00Z'),"
		     " ('doc:SMALL', 'msg-x', '2026-12-06T00:00:00Z')",
		     NULL, NULL, NULL);
	jv x = JV_ARRAY(jv_string("msg-x"));
	ok(same_answer(s, x, "small"), "a message that shares its key with one check: the same");
	char *err = NULL;
	sqlite3_exec(db,
		     "INSERT INTO cases(id, n, kind, status, title, owner, record, updated_at)"
		     " VALUES ('case-lyon-1', 1, 'incident', 'open', 't', 'FR', '{}',"
		     " '2026-12-06T00:00:00Z');"
		     "INSERT INTO case_links(case_id, kind, item, linked_at, actor)"
		     " VALUES ('case-lyon-1', 'check', '77777', '2026-12-06T00:00:00Z', 'duty')",
		     NULL, NULL, &err);
	ok(!err, "a case that links the check%s%s", err ? ": " : "", err ? err : "");
	sqlite3_free(err);
	ok(same_answer(s, one, "linked"), "with a case link: the same");
	ok(same_answer(s, x, "linked"), "and for the message");
	char *t = text(correlate_also_in(s, x));
	is_str(t, "[\"check-77777\",\"case-lyon-1\"]", "the check, then the case that links it");
	free(t);
	jv_free(one);

	/* case links of every kind and in every form the query reads: a
	 * message or check by id or by number, a person by key or by id, a
	 * document by number, FR:NUMBER or doc:FR:NUMBER in any case, and
	 * after characters of two bytes (substr counts characters) */
	sqlite3_stmt *cl;
	sqlite3_prepare_v2(db,
			   "INSERT OR IGNORE INTO case_links(case_id, kind, item, linked_at, actor)"
			   " VALUES (?1, ?2, ?3, '2026-12-06T00:00:00Z', 'duty')",
			   -1, &cl, NULL);
	static const char *const kinds[] = {"message", "check", "person", "document"};
	for (unsigned r = 0; r < 400; r++) {
		char c[32];
		const char *kind = kinds[r % 4];
		unsigned v = next(5000);
		snprintf(c, sizeof c, r % 3 ? "case-lyon-%u" : "c-%u", next(60));
		if (r % 4 < 2) {
			item(v, it, sizeof it);
			if (next(2) && !strncmp(it, "check-", 6))
				memmove(it, it + 6, strlen(it + 6) + 1);
		} else if (r % 4 == 2)
			snprintf(it, sizeof it, next(2) ? "person:P%u" : "P%u", v % 100);
		else {
			static const char *const doc[] = {
			    "K%u",
			    "k%u",
			    "FR:K%u",
			    "fr:k%u",
			    "doc:FR:K%u",
			    "\xc3\xa9\xc3\xa9:K%u",
			    "\xc3\xa9\xc3\xa9\xc3\xa9:\xc3\xa9\xc3\xa9:k%u"};
			snprintf(it, sizeof it, doc[next(7)], v % 400);
		}
		sqlite3_bind_text(cl, 1, c, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(cl, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(cl, 3, it, -1, SQLITE_TRANSIENT);
		sqlite3_step(cl);
		sqlite3_reset(cl);
	}
	sqlite3_finalize(cl);
	nonempty = full = cased = 0;
	ok(draws(s, &nonempty, &full, &cased),
	   "with 400 case links of every kind: the lookup answers as the query does");
	ok(cased > 20, "%d of the 400 answers list a case", cased);

	/* 1,000 more checks and messages name key 0, every 50th linked by a
	 * case (by its id, or a check by its number): the cases come after
	 * the 20 items listed, so none is, and the answer is the query's */
	sqlite3_prepare_v2(db,
			   "INSERT OR IGNORE INTO derived_entities(key, item, at)"
			   " VALUES ('doc:K0', ?1, '2026-12-06T00:00:00Z')",
			   -1, &ins, NULL);
	sqlite3_prepare_v2(db,
			   "INSERT OR IGNORE INTO case_links(case_id, kind, item, linked_at, actor)"
			   " VALUES (?1, ?2, ?3, '2026-12-06T00:00:00Z', 'duty')",
			   -1, &cl, NULL);
	for (unsigned i = 0; i < 1000; i++) {
		snprintf(it, sizeof it, i % 2 ? "check-%u" : "msg-k0-%u", 20000 + i);
		sqlite3_bind_text(ins, 1, it, -1, SQLITE_TRANSIENT);
		sqlite3_step(ins);
		sqlite3_reset(ins);
		if (i % 50 == 49) {
			char c[32];
			snprintf(c, sizeof c, "case-k0-%u", i);
			sqlite3_bind_text(cl, 1, c, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(cl, 2, i % 2 ? "check" : "message", -1, SQLITE_STATIC);
			sqlite3_bind_text(cl, 3, i % 4 == 1 ? it + 6 : it, -1, SQLITE_TRANSIENT);
			sqlite3_step(cl);
			sqlite3_reset(cl);
		}
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(cl);
	one = JV_ARRAY(jv_string("check-99999"));
	ok(same_answer(s, one, "key 0 linked"),
	   "a check on a key named 1,201 times, 20 of them linked by a case: the same");
	correlate_case_reads = 0;
	t = text(correlate_also_in(s, jv_copy(one)));
	ok(!strstr(t, "case-") && correlate_case_reads == 0,
	   "20 items and no case, and no case looked up (%lu)", correlate_case_reads);
	free(t);
	correlate_case_reads = 0;
	t = text(correlate_also_in(s, JV_ARRAY(jv_string("msg-x"))));
	ok(strstr(t, "case-") && correlate_case_reads == 1,
	   "a message with one peer: its cases looked up, and listed (%s)", t);
	free(t);
	jv_free(one);

	/* an entity named by more than CORRELATE_SCAN items: the earliest of
	 * them (by time, then id) are the ones ranked, so 300 messages over
	 * five minutes and then 5 with shorter ids an hour later list the
	 * first 20 of the 300, and none of the 5 (read every item, they would
	 * come first) */
	sqlite3_prepare_v2(db,
			   "INSERT INTO derived_entities(key, item, at) VALUES ('doc:B', ?1, ?2)",
			   -1, &ins, NULL);
	for (unsigned i = 0; i < 305; i++) {
		char at[32];
		if (i < 300) {
			snprintf(it, sizeof it, "msg-b-%u", 1000 + i);
			snprintf(at, sizeof at, "2026-12-06T01:%02u:%02uZ", i / 60, i % 60);
		} else {
			snprintf(it, sizeof it, "msg-b-%u", i - 299);
			snprintf(at, sizeof at, "2026-12-06T02:00:00Z");
		}
		sqlite3_bind_text(ins, 1, it, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, at, -1, SQLITE_TRANSIENT);
		sqlite3_step(ins);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	sqlite3_exec(db,
		     "INSERT INTO derived_entities(key, item, at) VALUES"
		     " ('doc:B', 'check-88888', '2026-12-06T03:00:00Z')",
		     NULL, NULL, NULL);
	one = JV_ARRAY(jv_string("check-88888"));
	ok(same_answer(s, one, "key B"), "a check on a key named 306 times: the same");
	t = text(correlate_also_in(s, jv_copy(one)));
	char want[1024] = "[";
	for (unsigned i = 0; i < CORRELATE_MAX; i++)
		snprintf(want + strlen(want), sizeof want - strlen(want), "%s\"msg-b-%u\"",
			 i ? "," : "", 1000 + i);
	strcat(want, "]");
	is_str(t, want, "the first %d of the %d earliest, not the later ones with shorter ids",
	       CORRELATE_MAX, CORRELATE_SCAN);
	free(t);
	/* fewer than CORRELATE_SCAN earlier: the late ones with shorter ids
	 * are read, and come first */
	sqlite3_exec(db,
		     "DELETE FROM derived_entities WHERE key = 'doc:B' AND item >= 'msg-b-11'"
		     " AND item < 'msg-b-13'",
		     NULL, NULL, NULL);
	ok(same_answer(s, one, "key B small"), "the same key named 106 times: the same");
	t = text(correlate_also_in(s, jv_copy(one)));
	ok(!strncmp(t, "[\"msg-b-1\",\"msg-b-2\",", strlen("[\"msg-b-1\",\"msg-b-2\",")),
	   "the later, shorter ids first (%.40s)", t);
	free(t);
	jv_free(one);

	store_close(s);
	scratch_remove(&sx);
	return tap_done();
}
