/*
 * alert-schema.c: correlation, re-screening, grouping and silences
 * (migrations 12, 19 and 20).
 *
 * derived_entities is the entity index: one row per (key, item), where key
 * names an entity ("doc:NUMBER", "vin:VIN", "person:ID" for a person
 * matched at or above the check's threshold, "name:GIVEN SURNAME|DOB|CC"
 * for an MRZ holder) and item is "msg-SITE-N" or "check-C" (a check of its
 * own: a consultation with no item). It is derived: triggers fill it from
 * the stored message records (their "entities" and "checks", again only
 * when an update changes either, not for a triage) and from the
 * consultations log, on every site alike, whether the rows come from a
 * program or from a shipped changeset; so it is not journaled
 * (store_is_state_table) and a replica has the same index as its primary.
 * at is when the item came in (a message's received_at, a check's ts); an
 * item's rows all have the same. Since migration 24 the rows are kept in
 * the order of (key, at, item), so the items of a key near a time are a
 * range (store.c).
 *
 * consultations.item is the message whose entities a check was made for
 * (NULL for a check of its own), so a message's own checks are not
 * correlated with it.
 *
 * rescreen_hits remembers each (message, reference record) a re-screening
 * raised, so a rerun raises nothing new. queue_groups ties a message's
 * queue item to the item it was grouped into (its leader). silences hold
 * back escalation pages for the items they match until their time.
 */
#include "ccc/entity-keys.h"

/* clang-format off */
/* One migration is one string, longer than the 4095 bytes C17 promises every
 * compiler takes; GCC and Clang take any length. */
#pragma GCC diagnostic ignored "-Woverlength-strings"
const char alert_schema[] =
    "ALTER TABLE consultations ADD COLUMN item TEXT;"
    "CREATE TABLE derived_entities(key TEXT NOT NULL, item TEXT NOT NULL, at TEXT NOT NULL,"
    " PRIMARY KEY (key, item)) WITHOUT ROWID;"
    "CREATE INDEX derived_entities_by_item ON derived_entities(item);"
    "CREATE VIEW message_entity_keys AS " ENTITY_KEYS("messages m, ", "m.record", "m.id", "UNION") ";"
    "CREATE TRIGGER message_entities_in AFTER INSERT ON messages BEGIN" INSERT_ROW_KEYS " END;"
    /* a triage changes neither the entities nor the checks: nothing to do then */
    "CREATE TRIGGER message_entities_re AFTER UPDATE OF record ON messages"
    " WHEN old.record ->> '$.checks' IS NOT new.record ->> '$.checks'"
    " OR old.record ->> '$.entities' IS NOT new.record ->> '$.entities' BEGIN"
    " DELETE FROM derived_entities WHERE item = old.id;" INSERT_ROW_KEYS " END;"
    "CREATE TRIGGER message_entities_out AFTER DELETE ON messages BEGIN"
    " DELETE FROM derived_entities WHERE item = old.id; END;"
    /* a check of its own names what it looked up: one trigger a database,
     * so that a check pays for its own kind of key only */
    "CREATE TRIGGER check_entities_doc AFTER INSERT ON consultations"
    " WHEN new.db = 'documents' AND new.item IS NULL AND new.query ->> '$.action' IS NULL BEGIN"
    CHECK_DOC_KEYS("new.query", "new.c", "new.ts") "; END;"
    "CREATE TRIGGER check_entities_vin AFTER INSERT ON consultations"
    " WHEN new.db = 'vehicles' AND new.item IS NULL AND new.query ->> '$.action' IS NULL BEGIN"
    CHECK_VIN_KEYS("new.query", "new.c", "new.ts") "; END;"
    "CREATE TRIGGER check_entities_person AFTER INSERT ON consultations"
    " WHEN new.db = 'persons' AND new.item IS NULL AND new.query ->> '$.action' IS NULL BEGIN"
    CHECK_PERSON_KEYS("new.c", "new.ts", "new.hits") "; END;"
    "CREATE TABLE rescreen_hits(n INTEGER NOT NULL, ref TEXT NOT NULL, at TEXT NOT NULL,"
    " reason TEXT NOT NULL, PRIMARY KEY (n, ref));"
    "CREATE TABLE queue_groups(n INTEGER PRIMARY KEY, leader INTEGER NOT NULL,"
    " grouped_at TEXT NOT NULL, key TEXT NOT NULL);"
    "CREATE INDEX queue_groups_by_leader ON queue_groups(leader);"
    "CREATE TABLE silences(n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, match TEXT NOT NULL,"
    " starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, created_by TEXT NOT NULL,"
    " reason TEXT, expired_at TEXT, expired_by TEXT);";

/*
 * Migration 19: a message that names no entity and carries no check has no
 * key to index, and most do not; the trigger is not run for them, instead of
 * reading the record five times to find nothing. The guard only skips an
 * empty (or absent) list, so the index stays what the view says it is.
 */
const char message_entities_schema[] =
    "DROP TRIGGER message_entities_in;"
    "CREATE TRIGGER message_entities_in AFTER INSERT ON messages"
    " WHEN (new.record ->> '$.entities') NOT IN ('[]', '{}')"
    " OR (new.record ->> '$.checks') NOT IN ('[]', '{}') BEGIN" INSERT_ROW_KEYS " END;";
/* clang-format on */

/*
 * Migration 20: what a load or a notice changed in the reference lists and
 * is not re-screened yet (rescreen.h), noted in the change's transaction
 * and taken out in the one that raises its hits; journaled, so a standby
 * promoted after a primary stopped mid-way has the notes too. A batch that
 * re-screens all it changed inserts and deletes its notes in one
 * transaction, and its journal entry holds none of them.
 */
const char rescreen_pending_schema[] =
    "CREATE TABLE rescreen_pending(kind TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,"
    " how TEXT NOT NULL, PRIMARY KEY (kind, a, b)) WITHOUT ROWID;";
