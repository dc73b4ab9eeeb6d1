/*
 * test-suggest.c: "did you mean" for mistyped commands.
 */
#include <stddef.h>
#include <string.h>

#include "ccc/suggest.h"
#include "tap.h"

int main(void)
{
	static const char *const cmds[] = {"queue", "take", "note", "close", "escalate", "show"};
	static const char *const progs[] = {"intake", "triage",   "check", "notice",
					    "deploy", "failover", "store"};
	const size_t nc = sizeof cmds / sizeof cmds[0], np = sizeof progs / sizeof progs[0];

	/* distances against the textbook values */
	is_int((int)suggest_distance("kitten", "sitting"), 3, "kitten/sitting is 3");
	is_int((int)suggest_distance("ca", "ac"), 1, "a swap of neighbours is 1");
	is_int((int)suggest_distance("", "abc"), 3, "from nothing is the length");
	is_int((int)suggest_distance("same", "same"), 0, "equal words are 0 apart");

	is_str(suggest("qeue", cmds, nc), "queue", "qeue -> queue");
	is_str(suggest("esclate", cmds, nc), "escalate", "esclate -> escalate");
	is_str(suggest("esc", cmds, nc), "escalate", "a unique prefix");
	is_str(suggest("intak", progs, np), "intake", "intak -> intake");
	is_str(suggest("trige", progs, np), "triage", "trige -> triage");
	is_str(suggest("sotre", progs, np), "store", "sotre -> store");
	ok(suggest("xyzzy", cmds, nc) == NULL, "nothing near: no suggestion");
	ok(suggest("", cmds, nc) == NULL, "an empty word: no suggestion");
	ok(suggest("tabe", (const char *const[]){"tame", "take"}, 2) == NULL,
	   "two names as near: no suggestion");
	return tap_done();
}
