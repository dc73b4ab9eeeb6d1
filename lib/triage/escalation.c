/*
 * escalation.c: overdue items go up one priority; a retriage keeps it.
 */
#include <stdio.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/escalation.h"
#include "ccc/exit.h"
#include "ccc/queue.h"
#include "ccc/silence.h"

static const char *const SQL_OVERDUE =
    "SELECT n, priority, due_at FROM queue WHERE status IN ('open', 'taken') AND due_at < ?1"
    " ORDER BY priority, due_at, n";
static const char *const SQL_ESCALATE =
    "UPDATE queue SET priority = ?2, due_at = ?3, escalations = escalations + 1,"
    " updated_at = ?4 WHERE n = ?1";

/* The array of field name in obj (not consumed), or a new empty one. */
static jv array_of(jv obj, const char *name)
{
	jv a = jv_get_kind(obj) == JV_KIND_OBJECT ? jv_object_get(jv_copy(obj), jv_string(name))
						  : jv_invalid();
	if (jv_get_kind(a) == JV_KIND_ARRAY)
		return a;
	jv_free(a);
	return jv_array();
}

/*
 * Nobody is paged for what has expired: a message triaged as expired (its
 * deadline or its CAP alert was over before it arrived), or a CAP alert
 * whose every info block has expired by now.
 */
static int expired(jv rec, time_t now)
{
	jv t = jv_object_get(jv_copy(rec), jv_string("triage"));
	int yes = jv_get_kind(t) == JV_KIND_OBJECT &&
		  jv_get_kind(jv_object_get(jv_copy(t), jv_string("expired"))) == JV_KIND_TRUE;
	jv_free(t);
	if (yes)
		return 1;
	time_t ends = triage_cap_expires(rec);
	return ends && ends < now;
}

/* Raise message n from priority was (overdue since since) to the next one:
 * its record's triage, its queue item and the queue log. */
static int escalate_one(struct store *s, int64_t n, const char *was, const char *since,
			const struct triage_config *tc, time_t tnow, struct buf *out)
{
	char to[3], due[RFC3339_LEN], now[RFC3339_LEN], why[200], id[32];
	int rc;
	jv rec;
	snprintf(to, sizeof to, "P%c", was[1] > '1' ? was[1] - 1 : '1');
	clock_format(tnow, now);
	clock_format(tnow + tc->due_seconds[to[1] - '1'], due);
	if (strcmp(was, to) != 0)
		snprintf(why, sizeof why, "escalated: overdue since %s at %s, now %s", since, was,
			 to);
	else
		snprintf(why, sizeof why, "escalated: overdue since %s, still P1: paged again",
			 since);
	snprintf(id, sizeof id, "%lld", (long long)n);
	if ((rc = queue_message(s, id, &n, &rec, 0)))
		return rc;
	if (expired(rec, tnow)) {
		jv_free(rec);
		return 0;
	}
	jv triage = jv_object_get(jv_copy(rec), jv_string("triage"));
	if (jv_get_kind(triage) != JV_KIND_OBJECT) {
		jv_free(triage);
		triage = jv_object();
	}
	jv reasons = array_of(triage, "reasons");
	triage = jv_object_set(triage, jv_string("priority"), jv_string(to));
	triage = jv_object_set(triage, jv_string("due_at"), jv_string(due));
	triage =
	    jv_object_set(triage, jv_string("reasons"), jv_array_append(reasons, jv_string(why)));
	rc = queue_set_triage(s, n, triage, NULL);
	rec = jv_object_set(rec, jv_string("triage"), triage);
	if (rc) {
		jv_free(rec);
		return rc;
	}
	size_t start = out->len;
	json_write(out, rec);
	/* a silence holds the page back: the item is escalated all the same */
	char sid[96], held[160];
	int silenced = silence_holds(s, rec, to, tnow, sid, sizeof sid);
	jv_free(rec);
	if (silenced)
		out->len = start;
	else
		buf_addc(out, '\n');
	sqlite3_stmt *u = store_stmt(s, SQL_ESCALATE);
	sqlite3_bind_int64(u, 1, n);
	sqlite3_bind_text(u, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(u, 3, due, -1, SQLITE_STATIC);
	sqlite3_bind_text(u, 4, now, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(u)) != SQLITE_DONE)
		return store_error(s, rc, "escalating");
	if ((rc = queue_log(s, n, "escalated", why)) || !silenced)
		return rc;
	snprintf(held, sizeof held, "page held back by %s", sid);
	return queue_log(s, n, "silenced", held);
}

int escalation_run(struct store *s, const struct triage_config *tc, struct buf *out)
{
	char now[RFC3339_LEN];
	time_t tnow = clock_now();
	sqlite3_stmt *st;
	int rc;
	clock_format(tnow, now);
	if (sqlite3_prepare_v2(store_db(s), SQL_OVERDUE, -1, &st, NULL) != SQLITE_OK)
		return store_error(s, SQLITE_ERROR, "reading the queue");
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char was[3], since[RFC3339_LEN + 8];
		snprintf(was, sizeof was, "%s", sqlite3_column_text(st, 1));
		snprintf(since, sizeof since, "%s", sqlite3_column_text(st, 2));
		int r = escalate_one(s, sqlite3_column_int64(st, 0), was, since, tc, tnow, out);
		if (r) {
			sqlite3_finalize(st);
			return r;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the queue");
}

jv escalation_keep(jv triage, jv item, jv stored_triage)
{
	if (jv_get_kind(item) != JV_KIND_OBJECT)
		return triage;
	jv esc = jv_object_get(jv_copy(item), jv_string("escalations"));
	const char *qp = jv_get_str(item, "priority"), *tp = jv_get_str(triage, "priority");
	int raised = jv_get_kind(esc) == JV_KIND_NUMBER && jv_number_value(esc) > 0 && qp && tp &&
		     strcmp(qp, tp) < 0;
	jv_free(esc);
	if (!raised)
		return triage;
	jv prev = array_of(stored_triage, "reasons");
	jv reasons = array_of(triage, "reasons");
	jv_array_foreach (prev, i, r) {
		if (jv_get_kind(r) == JV_KIND_STRING &&
		    !strncmp(jv_string_value(r), "escalated:", 10))
			reasons = jv_array_append(reasons, r);
		else
			jv_free(r);
	}
	jv_free(prev);
	triage = jv_object_set(triage, jv_string("priority"), jv_string(qp));
	triage = jv_object_set(triage, jv_string("due_at"), jv_string(jv_get_str(item, "due_at")));
	return jv_object_set(triage, jv_string("reasons"), reasons);
}
