/*
 * entity-keys.h: the keys of the entity index (derived_entities, store
 * migration 12) that a message record names, as SQL. The migrations' triggers
 * and view are built from them (alert-schema.c), and so are the statements
 * that write the index where a program runs with the triggers off
 * (changeset_apply_counted, store_index_*): one text, so the two cannot
 * drift apart. The keys of a check of its own are here too.
 */
#ifndef CCC_ENTITY_KEYS_H
#define CCC_ENTITY_KEYS_H

/*
 * The keys a message record names: FROM is "messages m, " for every stored
 * message (the view, which verify compares the index with), or "" in a
 * trigger, where REC and ID are the row's own (new.record, new.id): a
 * trigger reads the one record, never the whole table. UNION is "UNION"
 * for the view (each key once) or "UNION ALL" in a trigger, whose INSERT OR
 * IGNORE drops a key named twice without SQLite sorting them first.
 */
/* SQL built from macros, laid out as SQL: */
/* clang-format off */
#define ENTITY_KEYS(FROM, REC, ID, UNION) \
	" SELECT " ID " AS item, 'doc:' || upper(e.value ->> '$.number') AS key" \
	" FROM " FROM "json_each(" REC ", '$.entities') e" \
	" WHERE e.value ->> '$.kind' = 'document' AND e.value ->> '$.number' <> ''" \
	" " UNION " SELECT " ID ", 'doc:' || upper(e.value ->> '$.document_number')" \
	" FROM " FROM "json_each(" REC ", '$.entities') e" \
	" WHERE e.value ->> '$.kind' = 'mrz' AND e.value ->> '$.document_number' <> ''" \
	" " UNION " SELECT " ID ", 'vin:' || upper(e.value ->> '$.vin')" \
	" FROM " FROM "json_each(" REC ", '$.entities') e" \
	" WHERE e.value ->> '$.kind' = 'vin' AND e.value ->> '$.vin' <> ''" \
	" " UNION " SELECT " ID ", 'name:' || lower(trim(coalesce(e.value ->> '$.given_names', '')" \
	"  || ' ' || (e.value ->> '$.surname'))) || '|'" \
	"  || coalesce(e.value ->> '$.birth_date_iso', '') || '|'" \
	"  || coalesce(e.value ->> '$.nationality_country', '')" \
	" FROM " FROM "json_each(" REC ", '$.entities') e" \
	" WHERE e.value ->> '$.kind' = 'mrz' AND e.value ->> '$.surname' <> ''" \
	" " UNION " SELECT " ID ", 'person:' || (h.value ->> '$.id')" \
	" FROM " FROM "json_each(" REC ", '$.checks') c, json_each(c.value, '$.hits') h" \
	" WHERE c.value ->> '$.db' = 'persons' AND h.value ->> '$.id' IS NOT NULL"

/* What a trigger on messages writes: the keys of its own row. */
#define INSERT_ROW_KEYS \
	" INSERT OR IGNORE INTO derived_entities(key, item, at)" \
	" SELECT key, item, coalesce(new.record ->> '$.received_at', '') FROM (" \
	ENTITY_KEYS("", "new.record", "new.id", "UNION ALL") ");"
/* The same for the messages row ?1, as a statement of its own: for a row
 * inserted with the triggers off (changeset_apply_counted, store_index_message). */
#define MESSAGE_ROW_KEYS_SQL \
	"WITH new AS (SELECT id, record FROM messages WHERE n = ?1)" \
	" INSERT OR IGNORE INTO derived_entities(key, item, at)" \
	" SELECT key, item, coalesce((SELECT record ->> '$.received_at' FROM new), '') FROM (" \
	ENTITY_KEYS("new, ", "new.record", "new.id", "UNION ALL") ")"

/* What a check of its own names (a consultation with no item and no
 * action): Q, C, TS and HITS its query, number, time and hits, new.query
 * and so on in the triggers check_entities_doc, _vin and _person, bound
 * values in store_index_consultation. */
#define CHECK_DOC_KEYS(Q, C, TS) \
	" INSERT OR IGNORE INTO derived_entities(key, item, at)" \
	" SELECT 'doc:' || upper(" Q " ->> '$.number'), 'check-' || " C ", " TS \
	" WHERE " Q " ->> '$.number' <> ''"
#define CHECK_VIN_KEYS(Q, C, TS) \
	" INSERT OR IGNORE INTO derived_entities(key, item, at)" \
	" SELECT 'vin:' || upper(" Q " ->> '$.key'), 'check-' || " C ", " TS \
	" WHERE length(" Q " ->> '$.key') = 17"
#define CHECK_PERSON_KEYS(C, TS, HITS) \
	" INSERT OR IGNORE INTO derived_entities(key, item, at)" \
	" SELECT 'person:' || (h.value ->> '$.id'), 'check-' || " C ", " TS \
	" FROM json_each(" HITS ") h WHERE h.value ->> '$.id' IS NOT NULL"
/* The keys of every check of its own in the consultation log, as the three
 * triggers above write them (their WHEN and their SELECT): what verify
 * compares the index's check-N items with, and what migration 23 writes for
 * the checks logged before the index. */
#define CHECK_KEYS_OF_LOG \
	" SELECT 'doc:' || upper(query ->> '$.number') AS key, 'check-' || c AS item, ts AS at" \
	" FROM consultations WHERE db = 'documents' AND item IS NULL" \
	" AND query ->> '$.action' IS NULL AND query ->> '$.number' <> ''" \
	" UNION SELECT 'vin:' || upper(query ->> '$.key'), 'check-' || c, ts" \
	" FROM consultations WHERE db = 'vehicles' AND item IS NULL" \
	" AND query ->> '$.action' IS NULL AND length(query ->> '$.key') = 17" \
	" UNION SELECT 'person:' || (h.value ->> '$.id'), 'check-' || c, ts" \
	" FROM consultations, json_each(hits) h WHERE db = 'persons' AND item IS NULL" \
	" AND query ->> '$.action' IS NULL AND h.value ->> '$.id' IS NOT NULL"
/* clang-format on */

#endif
