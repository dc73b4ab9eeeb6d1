/*
 * records.h: what the domains keep in the store as JSON, read back: the
 * records a listing selects, and the action logs (queue_log, notice_log,
 * deployment_log, reply_log): who did what to a subject, and when
 * (store_log_action, store.h, writes an entry).
 */
#ifndef CCC_RECORDS_H
#define CCC_RECORDS_H

#include <jv.h>

#include "ccc/store.h"

/*
 * The stored record of id, as sql (a static string selecting the record
 * text, with ?1 the id) finds it: *out the object. noun names one record in
 * a message ("case"), table the records ("cases"). 0; CCC_EX_NOINPUT (warned)
 * when there is none; CCC_EX_SOFTWARE when it does not parse; or an exit
 * status.
 */
int records_get(struct store *s, const char *sql, const char *noun, const char *table,
		const char *id, jv *out);

/*
 * The records of st's rows (column 0: one JSON object each), in order: *out
 * an array; a row that does not parse is left out. st is a statement from
 * store_stmt with its parameters bound; it is reset. what names the records
 * in a message. 0, or an exit status.
 */
int records_list(struct store *s, sqlite3_stmt *st, const char *what, jv *out);

/*
 * The entries about subject, as sql (a static string selecting ts, actor,
 * action and detail, in order, with ?1 the subject) gives them: *out an
 * array of {"at", "by", "action", "detail"} (detail null when there is
 * none). what names the log in a message. 0, or an exit status.
 */
int records_log(struct store *s, const char *sql, const char *subject, const char *what, jv *out);

#endif
