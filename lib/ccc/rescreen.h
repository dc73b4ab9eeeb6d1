/*
 * rescreen.h: when a reference list changes (ccc-check load, a person
 * notice published or updated by ccc-notice), the entities of the messages
 * of the last days are checked again against what changed, and only that.
 *
 * rescreen_watch puts temporary triggers (this connection only, never
 * journaled) on persons, documents and items: from then on each person
 * added, or changed in its names, dates of birth, nationalities or notice,
 * each document added or changed in status, and each vehicle likewise, is
 * noted. rescreen_run then takes each noted record:
 *
 *   a person: against the MRZ holder names of the messages received in the
 *     window (derived_entities "name:" keys), through the blocking keys of
 *     its names (personmatch.h): the persons that share its rarest keys
 *     first, at most 16 a name, and of those the ones that share two keys
 *     with it (one, when either has only one) are scored with person_score;
 *     a hit is a score at or above the context's threshold;
 *   a document: the messages naming its number ("doc:" keys);
 *   a vehicle: the messages naming its VIN ("vin:" keys);
 *
 * so the work grows with what changed and with the messages of the window,
 * never with the whole list. Each hit not raised before (rescreen_hits) is
 * raised: the message's queue item gains the reason (its triage reasons
 * and the queue log, "rescreen"), is reopened when closed, taken out of a
 * group, and raised to P1 for a person with a notice, else P2 (never
 * lowered); the hit is written to the consultation log. A rerun, or a load
 * that changes nothing, raises nothing.
 */
#ifndef CCC_RESCREEN_H
#define CCC_RESCREEN_H

#include <jv.h>

#include "ccc/refdb.h"
#include "ccc/store.h"

#define RESCREEN_DAYS 30 /* default window: messages received in the last 30 days */

struct rescreen_counts {
	unsigned long persons, documents, vehicles; /* changed records checked again */
	unsigned long names, messages;              /* names and messages looked at */
	unsigned long hits, raised;                 /* hits, and hits new (raised) */
};

/* Note what changes in the reference tables from now on (in a temporary
 * table kept in a file, not in memory: a load may change millions of
 * records). Returns 0 or an exit code. */
int rescreen_watch(struct store *s);

/*
 * Check the messages received in the last days against what changed since
 * rescreen_watch (then forgotten), in transactions of its own, each
 * committed once its changes pass 1 MiB (so that the memory held does not
 * grow with the messages; the store's page cache is bounded to 16 MiB from
 * then on, store_cache_limit), the changed persons 20,000 at a time (nor
 * with the load); raise each new hit. each (may be NULL) is
 * handed every raised hit {"message", "ref", "reason", "priority"}
 * (consumed). Returns 0 or an exit code.
 */
int rescreen_run(struct store *s, struct refdb_ctx *c, long days, struct rescreen_counts *out,
		 void (*each)(jv hit, void *ctx), void *ctx);

/* For a program's stderr: a hit raised ("re-screen: msg-lyon-3 now P1: new
 * red notice ..."; consumes hit; ctx unused), and the counts of a run. */
void rescreen_say_hit(jv hit, void *ctx);
void rescreen_say(const struct rescreen_counts *k, long days);

#endif
