/*
 * notice-export.h: notices in the shapes others read: CAP 1.2 alerts, the
 * public extract in the field shape of INTERPOL's public notices API, and the
 * rows of the tables `ccc-notice` prints on a terminal.
 *
 * Everything here is pure: it reads a notice record (as notice_get or
 * notice_list give it) and writes text or a jv; nothing touches the store.
 */
#ifndef CCC_NOTICE_EXPORT_H
#define CCC_NOTICE_EXPORT_H

#include <stddef.h>

#include <jv.h>

#include "ccc/json.h"
#include "ccc/table.h"

/* The CAP sender of the operations room unless --sender says otherwise. */
#define NOTICE_CAP_SENDER "ops-room.ccc"

/* 1 when s may be a CAP sender or identifier (CAP 1.2 section 3.2.1): not
 * empty, no white space, comma, '<' or '&'. */
int notice_cap_name_ok(const char *s);

/*
 * Append the CAP 1.2 alert of notice rec (not consumed; with its "log", as
 * notice_get gives it) to b. Every publish, and every update, renew and
 * cancel after it, is one CAP message, identified "ID.N" (N counts the
 * notice's messages from 1) and sent at the time of the transition; the
 * alert written is the latest: msgType Alert, Update or Cancel, with
 * references to every earlier message ("sender,identifier,sent", oldest
 * first), one <info> per language of the notice (notice_languages), scope
 * and area from its distribution (see ccc-notice(1)).
 *
 * Alerts and orange notices always have a CAP message; red, yellow and
 * un-special notices only when public (notice_is_public). Returns 0, or -1
 * with the reason in why[0..n) ("notice 'notice-lyon-3' was never published").
 */
int notice_cap(jv rec, const char *sender, struct buf *b, char *why, size_t n);

/*
 * The public extract of a published red, yellow or un-special notice whose
 * requesting country agreed to publication: {"entity_id": "2026/00012",
 * "forename", "name", "date_of_birth": "1980/03/14", "nationalities": [CC],
 * and for red notices "arrest_warrants": [{"charge", "issuing_country_id"}]}.
 * rec is not consumed. jv_invalid() with the reason in why when it has none.
 */
jv notice_public_extract(jv rec, char *why, size_t n);

/*
 * The table of notices (table.h): the columns, and the row of notice rec
 * (not consumed) as a record of their fields: "id", "control", "kind",
 * "status", "expires" (the day), "subject" (the person's name, else the
 * title, threat, purpose ...), and the "feed_seq" and "event" of a feed
 * record. A listing of notices shows the last six columns, a feed all.
 */
enum { NOTICE_TABLE_NCOLS = 8 };
extern const struct table_col notice_table_cols[NOTICE_TABLE_NCOLS];
jv notice_table_record(jv rec);

#endif
