/*
 * refdb.h: the reference databases ccc-check answers from: documents,
 * persons, vehicles, firearms, artworks, vessels.
 *
 * A reference record carries its owner (the NCB that supplied it), an
 * optional restriction ({"allow": [CC...]} or {"deny": [CC...]}), a review
 * date (default: five years after it was loaded) and, where it applies, a
 * status (documents: stolen, lost, revoked, invalid, stolen-blank). Loads,
 * updates and removals all go through the store in batches, so they are
 * journaled, signed and replicated like everything else.
 *
 * Keys: documents by (normalised number, issuing country); persons by id,
 * found through blocking keys of their normalised names (personmatch.h);
 * vehicles by VIN, or "plate:CC:PLATE"; firearms by "MAKE:SERIAL" (serial
 * alone when the make is unknown); artworks by id; vessels by IMO number.
 */
#ifndef CCC_REFDB_H
#define CCC_REFDB_H

#include <stddef.h>

#include <jv.h>

#include "ccc/names.h"
#include "ccc/store.h"

enum refdb {
	REFDB_DOCUMENTS,
	REFDB_PERSONS,
	REFDB_VEHICLES,
	REFDB_FIREARMS,
	REFDB_ARTWORKS,
	REFDB_VESSELS,
	REFDB_N
};

/* "documents" ... to enum refdb; -1 for an unknown name. */
int refdb_by_name(const char *name);
const char *refdb_name(enum refdb db);

/* Upper-case letters and digits only: " ab-12 34." -> "AB1234". */
void refdb_normalize_key(const char *in, char *out, size_t n);

/*
 * The one spelling of a firearm's key, normalised: "MAKE:SERIAL", or SERIAL
 * alone when make is NULL or empty. Written to key (n bytes) for loads and
 * checks alike; returns 0, or -1 when the serial is empty.
 */
int refdb_firearm_key(const char *make, const char *serial, char *key, size_t n);

/*
 * The one spelling of a vessel's key: "IMO" and its digits, from "IMO
 * 9074729", "imo9074729" or "9074729". Written to key (n bytes) always, so a
 * check of a wrong number finds nothing; returns 0, or -1 when it is not
 * seven digits (a load refuses it).
 */
int refdb_vessel_key(const char *imo, char *key, size_t n);

/*
 * The one rule of who sees a reference record: 1 when country ncb (NULL:
 * unknown) may see a record of owner whose restriction is allow or deny
 * (comma lists of codes as stored, "MA,ES"; NULL or empty: none). The owner
 * always sees its own; with an allow list only those countries; with a deny
 * list every known country but those; else every country.
 */
int refdb_visible(const char *ncb, const char *owner, const char *allow, const char *deny);

struct refdb_ctx {
	struct store *store;
	struct name_normalizer *names; /* opened on first use; the caller closes it */
	const char *owner;             /* --owner: for records that do not name theirs */
	const char *ncb;               /* --ncb: the requesting country (NULL: unknown) */
	const char *deployment;
	const char *item; /* the message whose entities are checked (NULL: a check of its
			     own), logged with each check (consultations.item) */
	double threshold; /* persons: the least score reported */
	int top;          /* persons: at most this many hits */
	int renew;        /* load: move the review date of unchanged records too */
	const char *line; /* load: the text the record was read from (NULL: none), whose
			     hash finds a record loaded again unchanged without building it */
	size_t line_len;
	int error;              /* an exit code: name matching could not start (said on stderr);
				   refdb_load and refdb_audit return it from then on */
	struct held_keys *held; /* load: the persons' index rows held (refdb_hold_keys) */
	uint64_t keys_tx;       /* the transaction (store_tx) that last wrote the person
				   index: its packs are not read in it (keypack.h) */
};

/* refdb_load: the record is another owner's (the attempt is logged). */
#define REFDB_NOT_OWNER (-2)
/* refdb_load: the record is stored as given: nothing was written. */
#define REFDB_UNCHANGED (-3)

/*
 * Load rec (consumed) into db: insert or replace by key, or remove it when
 * remove is set or rec has "action": "remove". Inside a transaction. A
 * stored record is changed or removed only by its owner (rec's "owner", else
 * c->owner; a removal needs one): another owner's attempt changes nothing,
 * is written to the consultations log (query {"action", "id", "owner",
 * "refused"}, hits [{"id", "owner"}], ncb the owner claimed) and returns
 * REFDB_NOT_OWNER with the reason. A person's dates of birth must be real
 * dates. A record stored as given (its text, stamped, the same; a record
 * that names no review_by keeps the stored one) is not written and returns
 * REFDB_UNCHANGED; with c->renew only its review date moves (returns 0). A
 * changed record is written whole, with a new review date unless it names
 * one. Returns 0, -1 for a bad record (reason written), REFDB_NOT_OWNER,
 * REFDB_UNCHANGED or an exit code.
 */
int refdb_load(struct refdb_ctx *c, enum refdb db, jv rec, int remove, char *reason, size_t rlen);

/*
 * A load in batches holds the index rows of the persons it loads
 * (person_keys) from refdb_hold_keys on, and writes them in the order of
 * their keys, in the transaction in hand, with refdb_write_keys (which each
 * batch calls before it commits): the pages of the index a batch changes
 * are each visited once, in order, rather than one row at a time all over
 * the index. With last set (nothing writes person_keys after it in the
 * transaction), the rows of persons new to the store are inserted outside
 * the session and their changes handed to the store as a changeset of
 * their own (store_tx_add_changes): the journal entry is the same. refdb_load
 * writes them itself (last unset) when the changeset would pass
 * STORE_ENTRY_BYTES with them, and before it drops the keys of a person
 * whose rows are held. refdb_drop_held_keys forgets what is held (after a
 * rollback) and stops holding. refdb_write_keys returns 0 or an exit code.
 */
void refdb_hold_keys(struct refdb_ctx *c);

/*
 * ccc-check reindex: every stored person's index rows (person_keys), as
 * this version makes them from its stored names and dates of birth (a
 * store an earlier version loaded lacks some: the keys of a token and a
 * year of birth), the ones missing added; nothing else is written, so a
 * store already up to date gets no journal entry. In transactions of
 * batch persons each (at least 1; by id), committed in turn: stopped at any point, the
 * batches done stay, and running it again goes on. Then the keys it
 * changed are packed (keypack_store). progress, when set, is called after
 * each batch. 0 or an exit code.
 */
struct refdb_reindex {
	unsigned long persons, changed, keys; /* read, given keys, keys added */
	void (*progress)(const struct refdb_reindex *k, int64_t total, void *ctx);
	void *ctx;
};
int refdb_reindex_persons(struct refdb_ctx *c, size_t batch, struct refdb_reindex *k);
int refdb_write_keys(struct refdb_ctx *c, int last);
void refdb_drop_held_keys(struct refdb_ctx *c);

/*
 * A person the requesting country may not see is scored on the name alone
 * (not the date of birth nor the nationality asked), reported when that
 * score reaches REFDB_RESTRICTED_THRESHOLD whatever the caller's threshold
 * and top, at most REFDB_RESTRICTED_MAX of them, after the hits it may see,
 * in the order of their owners.
 */
#define REFDB_RESTRICTED_THRESHOLD 0.65 /* PERSON_MATCH_THRESHOLD */
#define REFDB_RESTRICTED_MAX       5
#define REFDB_RESTRICTED_BAND      "match"

/*
 * Checks, each returning a check object {"db", "query", "hits": [...]} or
 * jv_invalid() with a reason. A hit is {"id", "score", "status", "owner",
 * "notice", "restricted": false, "why", "record"}, or only {"restricted":
 * true, "owner", "band": "match"} when the requesting country may not see
 * it. Every check is written to the consultations table (inside a
 * transaction).
 */
jv refdb_check_document(struct refdb_ctx *c, const char *number, const char *country);
jv refdb_check_person(struct refdb_ctx *c, const char *name, const char *dob,
		      const char *nationality);
jv refdb_check_item(struct refdb_ctx *c, enum refdb db, const char *key);
jv refdb_check_plate(struct refdb_ctx *c, const char *plate, const char *country);

/* Record a check in the consultations log. Returns 0 or an exit code. */
int refdb_audit(struct refdb_ctx *c, jv check);

/*
 * refdb_check_document and refdb_audit in one, without building JSON values:
 * appends to out the check exactly as json_write writes what
 * refdb_check_document returns, logs it, and sets *nhits. For filters that
 * write their output as text. Returns 0 or an exit code.
 */
struct buf;
int refdb_check_document_text(struct refdb_ctx *c, const char *number, const char *country,
			      struct buf *out, unsigned long *nhits);

/*
 * Write an access to restricted content (what: e.g. "journal") with its
 * query (consumed) to the consultations log, inside a transaction. Returns
 * 0 or an exit code.
 */
int refdb_audit_access(struct refdb_ctx *c, const char *what, jv query);

/*
 * For ccc-store log: 1 when the record that key (consumed; a change's
 * primary-key values) names in table (persons, person_keys, documents,
 * items) is restricted, or is no longer stored (it may have been); 0 when
 * it is stored unrestricted; -1 for a table that holds no reference data.
 */
int refdb_key_restricted(struct store *s, const char *table, jv key);

#endif
