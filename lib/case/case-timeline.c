/*
 * case-timeline.c: every event of a case and of what it links, in time
 * order, read from the logs each program keeps (see case-report.h).
 */
#include <stdio.h>

#include "ccc/case-report.h"
#include "ccc/case.h"
#include "ccc/exit.h"

/*
 * One query: each log that can speak of a case or of an item it links,
 * joined to the case's links, in one list (at, by, subject, action, detail,
 * src, e) ordered by the second of the event, then by source and entry.
 * Times are RFC 3339 UTC; the sort key is their first 19 characters, so a
 * time with milliseconds sorts with its second.
 */
static const char *const SQL_TIMELINE =
    "WITH l AS (SELECT kind, item FROM case_links WHERE case_id = ?1),"
    " ev(at, who, subject, action, detail, src, e) AS ("
    /* the case's own log, and the logs of the cases it links */
    "  SELECT ts, actor, case_id, action, detail, 0, e FROM case_log"
    "   WHERE case_id = ?1 OR case_id IN (SELECT item FROM l WHERE kind = 'case')"
    /* linked messages: received, then what the queue did with them */
    "  UNION ALL SELECT json_extract(m.record, '$.received_at'), '', 'message:' || m.id,"
    "   'received', json_extract(m.record, '$.subject'), 1, m.n FROM messages m"
    "   WHERE m.id IN (SELECT item FROM l WHERE kind = 'message')"
    "   AND json_extract(m.record, '$.received_at') IS NOT NULL"
    "  UNION ALL SELECT ql.ts, ql.actor, 'message:' || q.id, ql.action, ql.detail, 2, ql.e"
    "   FROM queue_log ql JOIN queue q ON q.n = ql.n"
    "   WHERE q.id IN (SELECT item FROM l WHERE kind = 'message')"
    /* the replies to linked messages */
    "  UNION ALL SELECT rl.ts, rl.actor, 'message:' || r.message, 'reply ' || rl.action,"
    "   r.id || coalesce(': ' || rl.detail, ''), 3, rl.e"
    "   FROM reply_log rl JOIN replies r ON r.id = rl.reply"
    "   WHERE r.message IN (SELECT item FROM l WHERE kind = 'message')"
    /* linked checks: the consultation log entry itself */
    "  UNION ALL SELECT c.ts, c.actor, 'check:' || c.c, 'check',"
    "   c.db || ': ' || json_array_length(c.hits) || ' hit(s)'"
    "   || coalesce(' for ' || c.ncb, ''), 4, c.c FROM consultations c"
    "   WHERE CAST(c.c AS TEXT) IN (SELECT item FROM l WHERE kind = 'check')"
    /* linked notices */
    "  UNION ALL SELECT nl.ts, nl.actor, 'notice:' || nl.notice, nl.action, nl.detail, 5, nl.e"
    "   FROM notice_log nl WHERE nl.notice IN (SELECT item FROM l WHERE kind = 'notice')"
    /* linked plans, and the deployments of linked plans and linked deployments */
    "  UNION ALL SELECT p.created_at, coalesce(json_extract(p.record, '$.created_by'), ''),"
    "   'plan:' || p.id, 'plan', json_extract(p.record, '$.for'), 6, p.n FROM plans p"
    "   WHERE p.id IN (SELECT item FROM l WHERE kind = 'plan')"
    "  UNION ALL SELECT dl.ts, dl.actor, 'deployment:' || dl.deployment, dl.action, dl.detail,"
    "   7, dl.e FROM deployment_log dl"
    "   WHERE dl.deployment IN (SELECT item FROM l WHERE kind = 'deployment')"
    "   OR dl.deployment IN (SELECT d.id FROM deployments d"
    "    WHERE d.plan IN (SELECT item FROM l WHERE kind = 'plan')))"
    " SELECT at, who, subject, action, detail FROM ev"
    " ORDER BY substr(at, 1, 19), src, e";

int case_timeline(struct store *s, const char *id, jv *out)
{
	jv c;
	int rc = case_get(s, id, &c);
	if (rc)
		return rc;
	jv_free(c);
	sqlite3_stmt *st = store_stmt(s, SQL_TIMELINE);
	if (!st)
		return CCC_EX_SOFTWARE;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	jv list = jv_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		jv e = jv_object_set(jv_object(), jv_string("type"), jv_string("event"));
		static const char *const cols[] = {"at", "by", "subject", "action", "detail"};
		for (int i = 0; i < 5; i++) {
			const unsigned char *v = sqlite3_column_text(st, i);
			e = jv_object_set(e, jv_string(cols[i]),
					  v ? jv_string((const char *)v) : jv_null());
		}
		list = jv_array_append(list, e);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		jv_free(list);
		return store_error(s, rc, "reading the case's timeline");
	}
	*out = list;
	return 0;
}
