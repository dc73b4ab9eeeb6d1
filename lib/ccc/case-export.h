/*
 * case-export.h: a case as one country may see it, written in the formats
 * partner systems read: a MISP event (MISP core format) or a STIX 2.1
 * bundle.
 *
 * An export is made in three steps: case_export_view reads the case and
 * keeps, of what it links, only what the country may see (the case's
 * distribution, then each linked record's own restrictions); a restricted
 * record leaves no trace, not even a count. case_export_misp and
 * case_export_stix render that view, and read nothing else: every field
 * they write is named in ccc-records(5), EXPORT MAPPINGS. Every UUID is a
 * UUIDv5 of the case and item ids, and every time comes from the records,
 * so an export of an unchanged case is the same, byte for byte.
 *
 * Every function consumes its jv arguments except those said "not
 * consumed".
 */
#ifndef CCC_CASE_EXPORT_H
#define CCC_CASE_EXPORT_H

#include <stdint.h>
#include <time.h>

#include <jv.h>

#include "ccc/clock.h"
#include "ccc/store.h"

/*
 * Export case case_id for country ncb (ISO 3166 alpha-2) in format "misp"
 * or "stix". 0 ok (*out is the MISP event or STIX bundle); CCC_EX_NOPERM
 * (77) when ncb may not see the case (*why says why); 65 unknown case or
 * format, or a country code ccc does not know (*why says which). *why is
 * malloc'd (the caller frees it), NULL on success; a store error is an exit
 * code with the reason on stderr.
 */
int case_export(struct store *s, const char *case_id, const char *ncb, const char *format, jv *out,
		char **why);

/* The view case_export renders (the same return values): {"case", "site",
 * "ncb", "items": [{"kind", "id", "record"}...]} with only what ncb may
 * see, items in the order of their kind, then id. */
int case_export_view(struct store *s, const char *case_id, const char *ncb, jv *out, char **why);

/* Render a view (consumed) as a MISP event {"Event": {...}} or a STIX 2.1
 * bundle. */
jv case_export_misp(jv view);
jv case_export_stix(jv view);

/*
 * Who sees what (pure; rec not consumed).
 *
 * The countries of a distribution {"countries": [CC...], "regions":
 * [NAME...]} with its regions' countries (notice_region), sorted, each once;
 * an unknown region adds none.
 */
jv case_export_countries(jv distribution);
/* 1 when country cc may see case record rec: cc is in its distribution
 * (countries, or a region's), or is its owner. */
int case_export_case_visible(jv rec, const char *cc);
/*
 * 1 when cc may see message rec: its origin country sees it always; a
 * "restrict" of {"allow": [CC...]} or {"deny": [CC...]} applies as it does
 * to reference records (refdb_visible); a CAP alert whose scope is not
 * Public is seen by its origin country only.
 */
int case_export_message_visible(jv rec, const char *cc);
/* 1 when cc may see a notice rec whose readability for cc (notice_readable)
 * is readable: it must also have been published. */
int case_export_notice_visible(jv rec, int readable);

/*
 * UUIDs. case_export_uuid5 is a name-based UUID (RFC 9562 section 5.5:
 * SHA-1 of the namespace and the name) written as 36 characters and a NUL;
 * case_export_item_uuid is the one of an export's items: namespace
 * uuid5(URL namespace, "urn:x-ccc:case-export"), name "CASE" for the case
 * itself, else "CASE/KIND/ID".
 */
void case_export_uuid5(const uint8_t ns[16], const char *name, char out[37]);
void case_export_item_uuid(const char *case_id, const char *kind, const char *id, char out[37]);

/*
 * Shared by the renderers (case-export-misp.c, case-export-stix.c).
 *
 * One linked item as they read it: the case's id, the item's kind and id,
 * the export's time (the case's last change) and the item's record
 * (borrowed from the view).
 */
struct case_export_item {
	const char *case_id, *kind, *id, *ts;
	jv rec;
};
/* Field key of rec (not consumed) when it is a string that is not empty
 * (borrowed from rec), else NULL. */
const char *case_export_str(jv rec, const char *key);
/* RFC 3339 time t as STIX writes times (UTC, to the millisecond) into out
 * (NULL: not written); returns it in seconds since the epoch. A t that is
 * NULL or not a time is the epoch. */
time_t case_export_time(const char *t, char out[RFC3339_LEN]);
/* The UUID of a part of an item: name "CASE/KIND/ID#PART", or the item's
 * own when part is NULL. */
void case_export_part_uuid(const char *case_id, const char *kind, const char *id, const char *part,
			   char out[37]);
/* The strings of parts, up to a NULL, end to end (malloc'd). */
char *case_export_join(const char *const *parts);

#endif
