/*
 * case.h: cases (operations and incidents) in the store (migration 11):
 * what each one is, who may see it, and the items it ties together.
 *
 * A case's record (type "case"): id ("case-SITE-N"), kind ("operation" or
 * "incident"), status ("open" or "closed"), title, lead (or null), owner
 * (the actor who opened it), distribution {"countries": [CC...],
 * "regions": [NAME...]} (the regions of ccc-notice, notice.h), opened_at,
 * updated_at and, once closed, closed_at.
 *
 * A link ties a case to one item by kind and id (case_kinds): message
 * ("msg-lyon-1"), check (a consultation log entry, "check:12"), notice
 * ("notice-lyon-3", or its control number "notice:A-12/2026"), plan,
 * deployment, person ("person:ID"), document ("document:CC:NUMBER") and
 * case. Every write here runs inside a transaction the caller opened,
 * prints why it fails, and returns 0 or an exit status (exit.h); every
 * change is logged in case_log with the actor.
 */
#ifndef CCC_CASE_H
#define CCC_CASE_H

#include <stddef.h>

#include <jv.h>

#include "ccc/rerun.h"
#include "ccc/store.h"

/* ---- case.c: the cases ---- */

/* The kinds of a case and its statuses, NULL-terminated. */
extern const char *const case_kinds_of_case[];
extern const char *const case_statuses[];

/* 1 when text may be a title or a name: valid UTF-8, 1 to 300 bytes, no
 * control characters; else 0 with the reason in why (pure). */
int case_text_ok(const char *text, const char **why);

/*
 * The distribution of --country and --region lists (comma-separated; each
 * may be NULL): {"countries": [...], "regions": [...]}, each code checked
 * against ccc-notice's table and each region a known one. jv_invalid() with
 * the reason in err for an unknown one (pure).
 */
jv case_distribution(const char *countries, const char *regions, char *err, size_t errlen);

/* 1 when country cc may see a case of this distribution (not consumed):
 * named, or in one of its regions (pure). */
int case_visible_to(jv distribution, const char *cc);

/*
 * Open a case: kind, title, lead (or NULL) and distribution (consumed). Its
 * id is case-SITE-N, its owner the actor. *out: the stored record.
 */
int case_open(struct store *s, const char *kind, const char *title, const char *lead,
	      jv distribution, jv *out);

/* close or reopen (status "closed" or "open"); a rerun changes nothing and
 * sets again. 66 for an unknown case. *out: the record. */
int case_set_status(struct store *s, const char *id, const char *status, struct rerun *again,
		    jv *out);

/* The stored record of case id, without links (66 when there is none). */
int case_get(struct store *s, const char *id, jv *out);

/* The case with its "links" ([{"kind","item","linked_at","by","reason"}])
 * and "log" ([{"at","by","action","detail"}]). */
int case_read(struct store *s, const char *id, jv *out);

/* Cases in the order they were opened; status and kind NULL for any. */
int case_list(struct store *s, const char *status, const char *kind, jv *out);

/* Append to case_log: action with detail (may be NULL), by the actor, now. */
int case_log(struct store *s, const char *id, const char *action, const char *detail);

/* ---- case-link.c: what a case ties together ---- */

/* The kinds of item a case links, NULL-terminated: message, check, notice,
 * plan, deployment, person, document, case. */
extern const char *const case_kinds[];

/*
 * The kind and id of a link from the way an officer writes it (pure):
 * "KIND:ID" (the kinds above; "doc:" and "documents:" for document,
 * "persons:" for person), else from the id's form: msg-, notice-, plan-,
 * dep-, case- followed by SITE-N. A document's id is "CC:NUMBER". 0, or -1
 * with the reason in err.
 */
int case_item_parse(const char *text, char *kind, size_t klen, char *id, size_t idlen, char *err,
		    size_t errlen);

/*
 * The item a stream record is (pure, rec not consumed): a record with a
 * numeric "consultation" is a check; one with a string "id" whose form
 * case_item_parse knows is that item. 1 with kind and id filled, 0 when the
 * record is no linkable item.
 */
int case_record_item(jv rec, char *kind, size_t klen, char *id, size_t idlen);

/* Whether the item exists in the store: 0 yes (id may be rewritten to the
 * canonical id, as a notice's control number to its id: idlen bytes), 65
 * with a message naming it when it does not, or an exit status. */
int case_item_exists(struct store *s, const char *kind, char *id, size_t idlen);

/*
 * Link item (of kind) to the case: the case must exist (66) and be open
 * (65), the item must exist (65); a case is not linked to itself. Linking
 * twice adds nothing. reason may be NULL. Usable inside any transaction.
 */
int case_link(struct store *s, const char *case_id, const char *kind, const char *item,
	      const char *reason);
/* The same, *added 1 when the link is new (0 when it was there). */
int case_link_added(struct store *s, const char *case_id, const char *kind, const char *item,
		    const char *reason, int *added);

/* Remove a link; *removed 0 when there was none (not an error). */
int case_unlink(struct store *s, const char *case_id, const char *kind, const char *item,
		int *removed);

/* The links of a case, in the order they were made: [{"kind", "item",
 * "linked_at", "by", "reason"}]. */
int case_links(struct store *s, const char *case_id, jv *out);

/* The cases that link an item, as ids (an array). */
int case_linked_to(struct store *s, const char *kind, const char *item, jv *out);

#endif
