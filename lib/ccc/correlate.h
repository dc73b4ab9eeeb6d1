/*
 * correlate.h: messages, checks and cases that name the same entity.
 *
 * The entity index (derived_entities, alert-schema.c) keys each message
 * and each check of its own by the entities it names: "doc:NUMBER",
 * "vin:VIN", "person:ID" (a person matched at or above the check's
 * threshold) and "name:GIVEN SURNAME|DOB|CC" (an MRZ holder). Two items
 * that share a key are correlated; a case is correlated with them when it
 * links one of them (kind message or check) or the entity itself (kind
 * person or document).
 */
#ifndef CCC_CORRELATE_H
#define CCC_CORRELATE_H

#include <time.h>

#include <jv.h>

#include "ccc/json.h"
#include "ccc/store.h"

#define CORRELATE_MAX 20 /* items listed in also_in, at most */
/* also_in reads the earliest this many items of each entity key (by the
 * time they came, then id), and lists from those: an entity that thousands
 * of items name costs a check no more than one that 256 do. */
#define CORRELATE_SCAN     256
#define CORRELATE_TEXT_(n) #n
#define CORRELATE_TEXT(n)  CORRELATE_TEXT_(n)
#define CORRELATE_SCAN_SQL CORRELATE_TEXT(CORRELATE_SCAN) /* "256", for the SQL */

/*
 * The items correlated with those of own (an array of item ids,
 * consumed): messages ("msg-SITE-N"), checks ("check-C"), then the cases
 * ("case ids") that link them or their entities, at most CORRELATE_MAX, as
 * a new array of strings (empty when none or on a read error).
 */
jv correlate_also_in(struct store *s, jv own);

/* correlate_also_in looks the index up itself for at most this many items
 * of own; for more, it runs its query. */
#define CORRELATE_OWN_MAX 64

/* For tests: when set, correlate_also_in and correlate_incidents always run
 * their queries (the answers must be the same as those they find by their
 * own lookups). */
extern int correlate_sql_only;
/* For tests: how many times also_in has looked up the cases of its items. */
extern unsigned long correlate_case_reads;

/*
 * correlate_also_in of the one item item (consumed nothing), when the only
 * entity key the index holds for it is key (a check of a document: the
 * "doc:NUMBER" its consultation's trigger wrote): the same answer, found
 * with one index lookup when no case links anything and nothing else names
 * key (the common case).
 */
jv correlate_also_in_key(struct store *s, const char *item, const char *key);

/* "also in msg-lyon-3, check-7, case-lyon-1" from also_in (not consumed)
 * into b (appended, NUL-terminated); nothing when it is empty. */
void correlate_text(jv also_in, struct buf *b);

/*
 * The open incidents (cases of kind incident, status open) that message id
 * correlates with (linked to it already or not): a new array of {"case",
 * "priority", "via"}, oldest case first. An incident's priority is its
 * record's "priority" (P1 to P4) when it has one, else P1. via says what
 * ties them ("msg-lyon-3 (doc:19AB45872)"), the least in bytes when
 * several do. Nothing is read when no case links anything. Inside a
 * transaction, the open incidents and the entity keys of the messages and
 * checks they link are read once and kept (correlate_forget), and a message
 * looks up the keys it names; outside one, each open incident's links are
 * read, from the first in the order of the items they name. Neither reads
 * every item that shares an entity with id.
 */
jv correlate_incidents(struct store *s, const char *id);

/*
 * correlate_incidents reads the open incidents and the keys of what they
 * link once a transaction, and keeps them as correlate_link links; a
 * program that writes cases or their links otherwise, then asks in the
 * same transaction, calls correlate_forget(s) between. For tests: when
 * correlate_uncached is set, each call reads every open incident's links.
 */
void correlate_forget(struct store *s);
extern int correlate_uncached;

/* 0 when message id names no entity (no derived_entities row): then it has
 * no incidents (correlate_incidents) and no peers (correlate_peers), and
 * neither need be asked; else 1. */
int correlate_has_keys(struct store *s, const char *id);

/*
 * Link message id to case cid (case_links, kind "message") with reason, as
 * the store's actor, inside the caller's transaction. Returns 0 or an exit
 * code.
 */
int correlate_link(struct store *s, const char *cid, const char *id, const char *reason);

/*
 * The first message that shares an entity with message id, received within
 * window seconds of received, for which ok(s, peer, at, arg) says yes (at
 * its received_at, as the entity index keeps it), in the order of their
 * received_at (as text), then of their ids; none is asked
 * after the first yes. Its id into peer[0..peersz) and the
 * first entity key (in bytes) they share into key[0..keysz); 1 then, else
 * 0 (also on a read error). ok judges the window itself (received_at as
 * clock_parse reads it): those asked are the messages whose received_at
 * begins with a date a day or less from the window, which holds every one
 * within it. The entity index, kept in the order of key and time, finds
 * them (a range of it), so a message
 * naming an entity that thousands of earlier messages name reads only
 * those received near it, and from the first of them.
 */
int correlate_first_peer(struct store *s, const char *id, time_t received, long window,
			 int (*ok)(struct store *, const char *, const char *, void *), void *arg,
			 char *peer, size_t peersz, char *key, size_t keysz);

#endif
