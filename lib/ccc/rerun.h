/*
 * rerun.h: an action asked again of what it has already done (ccc(7),
 * CONVENTIONS). A function that changes a state takes a struct rerun: when
 * the thing is already in the state the action makes, with the same values,
 * it changes nothing, returns 0 and sets done and why (the sentence the
 * program prints on stderr unless -q). A request that conflicts with the
 * state (publish a cancelled notice) stays a refusal with its exit code.
 */
#ifndef CCC_RERUN_H
#define CCC_RERUN_H

struct rerun {
	int done;      /* 1: already done, nothing changed */
	char why[256]; /* e.g. "notice 'notice-lyon-1' is published already (A-1/2026)" */
};

#endif
