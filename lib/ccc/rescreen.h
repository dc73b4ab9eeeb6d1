/*
 * rescreen.h: when a reference list changes (ccc-check load, a person
 * notice published or updated by ccc-notice), the entities of the messages
 * of the last days are checked again against what changed, and only that.
 *
 * rescreen_watch puts temporary triggers (this connection only) on
 * persons, documents and items: from then on each person added, or changed
 * in its names, dates of birth, nationalities or notice, each document
 * added or changed in status, and each vehicle likewise, is noted.
 * rescreen_batch and rescreen_run then take each noted record:
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
 *
 * Nothing is lost between a change and its hits: what changed is noted in
 * the store (rescreen_pending, journaled), in the transaction of the change,
 * and a note is taken out in the transaction that raises its hits. A load
 * re-screens each batch before it commits (rescreen_batch), so its records
 * and their hits are one journal entry, and the note never reaches the
 * journal; when a batch's hits pass RESCREEN_ENTRY_BYTES, they are
 * committed with it as they come, and what they were not raised for yet is
 * committed still noted. A program killed at any moment leaves the notes of
 * what it changed and did not re-screen, and the next re-screening (any
 * load or notice that re-screens, even of nothing, or rescreen_run alone)
 * checks them with its own; at a standby promoted since, too.
 */
#ifndef CCC_RESCREEN_H
#define CCC_RESCREEN_H

#include <jv.h>

#include "ccc/refdb.h"
#include "ccc/store.h"

#define RESCREEN_DAYS 30 /* default window: messages received in the last 30 days */

struct rescreen_counts {
	unsigned long persons, documents, vehicles; /* changed records checked again */
	unsigned long hits, raised;                 /* hits, and hits new (raised) */
};

/* A re-screening, over one or more calls: its context (threshold, the
 * consultation log's actor), window, counts so far, and each, which (may
 * be NULL) is handed every raised hit {"message", "ref", "reason",
 * "priority"} (consumed), with ctx. */
struct rescreen {
	struct refdb_ctx *c;
	long days; /* the messages received in the last days */
	struct rescreen_counts k;
	void (*each)(jv hit, void *ctx);
	void *ctx;
};

/* Note what changes in the reference tables from now on, on this
 * connection (rescreen_pending, in each change's own transaction). Returns
 * 0 or an exit code. */
int rescreen_watch(struct store *s);

/*
 * In the transaction in hand, before its commit: check the messages of the
 * window against what is noted (this batch's changes, and any left by a run
 * cut short), raise each new hit, and take out the notes done. Once the
 * transaction has grown by RESCREEN_ENTRY_BYTES, it is committed and the
 * run goes on in a new one (the caller commits the last). Returns 0 or an
 * exit code.
 */
int rescreen_batch(struct store *s, struct rescreen *rs);

/*
 * Check what is still noted, in transactions of its own, each committed
 * once its changes pass RESCREEN_ENTRY_BYTES (so that the memory held does
 * not grow with the messages; the store's page cache is bounded to 16 MiB
 * from then on, store_cache_limit), the changed persons 20,000 at a time
 * (nor with the load). Returns 0 or an exit code.
 */
int rescreen_run(struct store *s, struct rescreen *rs);

/* The changes a re-screening adds to a transaction before it commits them,
 * at most, and those of one name, document or vehicle more: a
 * transaction's changeset is held in memory. */
#define RESCREEN_ENTRY_BYTES ((int64_t)1 << 20)

/* For a program's stderr: a hit raised ("re-screen: msg-lyon-3 now P1: new
 * red notice ..."; consumes hit; ctx unused), and the counts of a run. */
void rescreen_say_hit(jv hit, void *ctx);
void rescreen_say(const struct rescreen_counts *k, long days);

#endif
