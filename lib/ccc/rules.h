/*
 * rules.h: an operations room's own triage rules, written in jq.
 *
 * A rules file holds one JSON object per line (NDJSON) or a JSON array of
 * them: {"name", "if": "<jq expression>", "priority": "P1".."P4",
 * "category"?, "reason"?}. Each rule is compiled once (jq_compile costs about
 * 17 ms a program) and run once per message in a try, so a rule that fails
 * at run time is reported for that message and the others still count. A
 * rule fires when its expression's first output is neither false nor null.
 */
#ifndef CCC_RULES_H
#define CCC_RULES_H

#include <jv.h>

struct rules;

/* Load and compile the rules in path. NULL on error, having printed
 * "FILE: rule NAME: reason" (jq's own message for a compile error). */
struct rules *rules_load(const char *path);
void rules_free(struct rules *r);

/* The budget of the rules on one message, unless changed. */
#define RULES_TIME_MS 1000L
#define RULES_MEMORY  ((size_t)256 << 20)

/*
 * Rules run in a worker process (started when first needed, again after one
 * is killed) with an empty environment ($ENV and env are {}), no input,
 * debug, stderr or halt, at most time_ms milliseconds for all the rules on
 * one message and memory bytes of address space beyond the program's own. A
 * rule that exceeds the budget is killed with its worker and given up for
 * that message (reason "rule:NAME: error: exceeded its budget ..."); the other
 * rules still run.
 */
void rules_set_budget(struct rules *r, long time_ms, size_t memory);
/* While waiting for the worker, stop at once when stopped() returns nonzero
 * (a signal arrived). */
void rules_set_stop(struct rules *r, int (*stopped)(void));

/*
 * Run the rules on a batch of messages (their JSON text), in one round trip
 * to the worker: rules_add each message, rules_run to hand them over (the
 * caller can do other work meanwhile), then rules_result for each, in order,
 * and rules_clear. rules_result folds message k's result into triage
 * (consumed, returned): the highest priority wins (a rule can only raise
 * it), a firing rule that sets a category gives it when its priority is the
 * winning one, and every rule that fired adds "rule:NAME: REASON" to
 * reasons; a rule that failed adds "rule:NAME: error: MESSAGE". *stopped is
 * set, and triage returned unchanged, when a signal stopped the wait (the
 * batch is then given a tenth of a second at most).
 */
void rules_add(struct rules *r, const char *json, size_t len);
int rules_batch_count(const struct rules *r);
size_t rules_batch_bytes(const struct rules *r);
int rules_run(struct rules *r);
jv rules_result(struct rules *r, int k, jv triage, int *stopped);
void rules_clear(struct rules *r);
/* After rules_result: "rule 'NAME' exceeded its budget (...)" for each rule
 * given up on that message, or NULL. */
const char *rules_exceeded(const struct rules *r);
/* A batch of one: msg (not consumed). */
jv rules_apply(struct rules *r, jv msg, jv triage);

#endif
