/*
 * sanctions.h: reference records from the sanctions lists an operations room
 * screens against: the UN Security Council Consolidated List (XML) and the
 * OFAC SDN list in its legacy CSV form (sdn.csv, alt.csv, add.csv).
 *
 * Both parsers are pure: they read buffers in memory and hand one record at a
 * time to a callback; they neither store nor print anything.
 *
 * Record shape (every field but id, kind, list and reference is optional):
 *
 *   {"id": "un:QDi.001" | "ofac:2686",
 *    "kind": "individual" | "entity" | "vessel" | "aircraft",
 *    "list": "UN SC" | "OFAC SDN", "reference": "QDi.001" | "2686",
 *    "names": [{"name": "Hasan NASRALLAH", "script": "Latn", "type": T,
 *               "quality": "good" | "low", "listed_as": "NASRALLAH, Hasan",
 *               "dob": [...], "note": "..."}],
 *    "dob": ["1960-08-31", "1961-07", "1958"],         (ISO 8601, as precise
 *                                                      as the list is)
 *    "nationalities": ["LB"],                           (ISO 3166 alpha-2)
 *    "nationality_names": ["former Soviet Union"],      (what the table does
 *                                                      not know, as written)
 *    "programs": ["SDGT", "SYRIA"], "listed_on": "2001-01-25",
 *    "titles", "designations": [strings], "gender": "male" | "female",
 *    "comments" | "remarks": "...",
 *    "addresses", "places_of_birth": [{"street", "city", "state",
 *               "postal_code", "country" (alpha-2) or "country_name", "note"}],
 *    "documents": [{"type": "passport" | "national_id" | as written,
 *               "number", "country", "issued_on", "city_of_issue", "note"}],
 *    "unparsed": ["DOB sometime in the 60s"]}       (date of birth and
 *                                                      nationality statements
 *                                                      the parser could not read)
 *
 * Name types T: "primary" (the name the list is keyed on; for OFAC individuals
 * "LAST, First" is turned into "First LAST" and the form as written is kept in
 * "listed_as"), "original_script" (UN NAME_ORIGINAL_SCRIPT), "aka", "fka",
 * "nka" (UN individual aliases are "aka" with a "quality"; UN entity aliases
 * are "aka" or "fka"). Every name carries its ISO 15924 "script" ("Latn",
 * "Arab", "Cyrl", ...; "Zyyy" when it has no letter).
 *
 * Vessels (OFAC SDN_Type "vessel") add "name", "imo" (7 digits, from "IMO
 * 1234567" in the remarks), "mmsi", "flag" (alpha-2) or "flag_name",
 * "call_sign", "vessel_type", "tonnage", "grt", "owner". Aircraft are passed
 * on with kind "aircraft" so the caller can count or skip them.
 *
 * Callback: cb(rec, line, ctx) owns rec. line is the 1-based line where the
 * record starts in its file (UN: the INDIVIDUAL or ENTITY element, as
 * libxml2 counts it; OFAC: the row of sdn.csv). A record the parser cannot
 * make (a bad CSV row, a UN record without REFERENCE_NUMBER) is passed as
 * jv_invalid_with_msg(reason) with its line, so the caller reports it and
 * carries on; for a bad row of alt.csv or add.csv the reason starts with
 * "alt.csv: " or "add.csv: " and line is that file's. A non-zero return from
 * cb stops the parse, and the parser returns that value.
 *
 * Returns 0 when the whole input was read, the callback's non-zero value,
 * or -1 when the input as a whole cannot be read (not XML, not a
 * CONSOLIDATED_LIST), with a malloc'd reason in *err (err may be NULL).
 */
#ifndef CCC_SANCTIONS_H
#define CCC_SANCTIONS_H

#include <stddef.h>

#include <jv.h>

typedef int (*sanctions_record_fn)(jv rec, size_t line, void *ctx);

/* The UN Security Council Consolidated List (schema sc-sanctions.xsd), parsed
 * through xmlsafe_parse. */
int un_consolidated_parse(const char *buf, size_t len, sanctions_record_fn cb, void *ctx,
			  char **err);

/* The OFAC SDN legacy CSV files (no header row, "-0-" for empty). alt and add
 * may be NULL: the records then lack aliases and addresses. */
int ofac_sdn_parse(const char *sdn, size_t sdn_len, const char *alt, size_t alt_len,
		   const char *add, size_t add_len, sanctions_record_fn cb, void *ctx, char **err);

/* ISO 3166 alpha-2 code of a country as sanctions lists name it ("Iran
 * (Islamic Republic of)", "Korea, North", "Russia", "Türkiye", "FR"; case,
 * a final period and a leading "the" do not matter), or NULL. */
const char *sanctions_country_code(const char *name, size_t len);

/* ISO 15924 code of the script of the first letter of s[0..len) that is not
 * of the Common or Inherited script ("Latn", "Arab", "Cyrl", ...), or "Zyyy"
 * when there is none. s must be valid UTF-8. */
const char *sanctions_script(const char *s, size_t len);

#endif
