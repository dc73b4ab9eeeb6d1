/*
 * grouping.h: messages about one incident, arriving within minutes of each
 * other, make one queue item, as an alert manager groups alerts.
 *
 * A message triaged for the first time joins the queue item (its leader)
 * of an earlier message that is open or taken, received within the window
 * of it, and that shares an entity with it (correlate.h) or belongs to the
 * same open incident. Its own queue item is then "grouped": it is neither
 * listed (unless --all) nor escalated, so the group is paged once, through
 * its leader; the leader takes the higher priority of the two, and both
 * logs say so. queue_groups keeps who joined whom.
 */
#ifndef CCC_GROUPING_H
#define CCC_GROUPING_H

#include <stdint.h>
#include <time.h>

#include <jv.h>

#include "ccc/store.h"

#define GROUPING_WINDOW_S 600 /* default: ten minutes */

/*
 * The leader message id (received at received) would join: *leader its
 * row, why the entity or incident that ties them (whysz bytes); 0 when
 * there is none, 1 when there is, or a negative exit code. incidents (not
 * consumed) are the open incidents id correlates with (correlate.h).
 */
int grouping_leader(struct store *s, const char *id, time_t received, long window, jv incidents,
		    int64_t *leader, char *why, size_t whysz);

/*
 * Message n (id, its item just queued "grouped" with priority and due,
 * queue_triaged_new) joins leader: the leader takes the higher priority,
 * and both logs say so. Inside the caller's transaction. Returns 0 or an
 * exit code.
 */
int grouping_join(struct store *s, int64_t n, const char *id, int64_t leader, const char *why,
		  const char *priority, const char *due);

#endif
