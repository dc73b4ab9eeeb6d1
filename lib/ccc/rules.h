/*
 * rules.h: an operations room's own triage rules, written in jq.
 *
 * A rules file holds one JSON object per line (NDJSON) or a JSON array of
 * them: {"name", "if": "<jq expression>", "priority": "P1".."P4",
 * "category"?, "reason"?}. All rules are compiled once, as one jq program
 * (jq_compile costs about 17 ms a program), and run once per message: each
 * rule's expression is evaluated in a try, so a rule that fails at run time
 * is reported for that message and the others still count. A rule fires when
 * its expression's first output is neither false nor null.
 */
#ifndef CCC_RULES_H
#define CCC_RULES_H

#include <jv.h>

struct rules;

/* Load and compile the rules in path. NULL on error, having printed
 * "FILE: rule NAME: reason" (jq's own message for a compile error). */
struct rules *rules_load(const char *path);
void rules_free(struct rules *r);

/*
 * Run the rules on msg (not consumed) and fold the result into triage
 * (consumed, returned): the highest priority wins (a rule can only raise
 * it), a firing rule that sets a category gives it when its priority is the
 * winning one, and every rule that fired adds "rule:NAME: REASON" to
 * reasons; a rule that failed adds "rule:NAME: error: MESSAGE".
 */
jv rules_apply(struct rules *r, jv msg, jv triage);

#endif
