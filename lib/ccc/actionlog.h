/*
 * actionlog.h: the action logs (queue_log, notice_log, deployment_log,
 * reply_log): who did what to a subject, and when. store_log_action
 * (store.h) writes an entry; actionlog_read reads a subject's entries.
 */
#ifndef CCC_ACTIONLOG_H
#define CCC_ACTIONLOG_H

#include <jv.h>

#include "ccc/store.h"

/*
 * The entries about subject, as sql (a static string selecting ts, actor,
 * action and detail, in order, with ?1 the subject) gives them: *out an
 * array of {"at", "by", "action", "detail"} (detail null when there is
 * none). what names the log in a message. 0, or an exit status.
 */
int actionlog_read(struct store *s, const char *sql, const char *subject, const char *what,
		   jv *out);

#endif
