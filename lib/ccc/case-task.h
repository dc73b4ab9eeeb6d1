/*
 * case-task.h: the tasks of a case (case_tasks, migration 11).
 *
 * A task's record (type "task"): id ("task-SITE-N"), case, title, status
 * (open, taken, done), assignee (or null), due_at (RFC 3339 UTC, or null),
 * created_by, created_at, updated_at and, once done, done_by and done_at.
 * The take rule is the queue's (queue.h): take of a task another officer
 * holds is refused (75, naming them); steal takes it over and is logged
 * "from NAME". Every change is logged in the case's log (case_log) as
 * "task add", "task take", "task steal" or "task done", the task's id
 * first in the detail. Inside a transaction the caller opened; 0 or an exit
 * status.
 */
#ifndef CCC_CASE_TASK_H
#define CCC_CASE_TASK_H

#include <jv.h>

#include "ccc/rerun.h"
#include "ccc/store.h"

/* A new task of the open case case_id; assignee and due_at (RFC 3339) may
 * be NULL. With an assignee it is taken by them. *out: the record. */
int case_task_add(struct store *s, const char *case_id, const char *title, const char *assignee,
		  const char *due_at, jv *out);

/* "take", "steal" or "done" on task id, by the actor. A rerun (take of a
 * task the actor holds, done of a done task) changes nothing and sets
 * again. take or steal of a done task: 65. 66 for an unknown task. */
int case_task_act(struct store *s, const char *id, const char *action, struct rerun *again,
		  jv *out);

/* The tasks of case_id (NULL: of every case), ordered by case and number;
 * open_only leaves out the done ones. *out: an array of records. */
int case_task_list(struct store *s, const char *case_id, int open_only, jv *out);

#endif
