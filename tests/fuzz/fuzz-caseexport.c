/*
 * fuzz-caseexport: a case as partner systems read it (lib/case/case-export*.c):
 * the MISP event and the STIX 2.1 bundle made from a view of a case, whose
 * linked records hold what the store holds (messages as they were taken in,
 * checks, notices, teams, reference persons and documents, cases), and who
 * may see what. The input is the view as JSON; its frame (an object with a
 * "case" object with an id, whose "countries" are its distribution's, a "site" object
 * with a name, and an "items" array of objects with a "kind", an "id" and a
 * "record" object) is
 * made so when it is not, as case_export_view always makes it; what the
 * records hold is left as it comes. Both renderings must be JSON objects that dump and parse
 * back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/case-export.h"
#include "ccc/case-report.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"

static jv object_at(jv o, const char *key)
{
	jv v = jv_object_get(jv_copy(o), jv_string(key));
	jv_kind k = jv_get_kind(v);
	jv_free(v);
	if (k == JV_KIND_OBJECT)
		return o;
	return jv_object_set(o, jv_string(key), jv_object());
}

static void dumps(jv v)
{
	if (jv_get_kind(v) != JV_KIND_OBJECT)
		abort();
	jv s = jv_dump_string(v, 0);
	jv back = jv_parse(jv_string_value(s));
	if (!jv_is_valid(back))
		abort();
	jv_free(back);
	jv_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256];
	/* read as the store's records were (strict JSON: libjq 1.6 leaks on
	 * some malformed text) */
	jv view = ndjson_parse((const char *)data, size, why, sizeof why);
	if (jv_get_kind(view) != JV_KIND_OBJECT) {
		jv_free(view);
		return 0;
	}
	view = object_at(object_at(view, "case"), "site");
	jv items = jv_object_get(jv_copy(view), jv_string("items")), kept = jv_array();
	if (jv_get_kind(items) == JV_KIND_ARRAY)
		jv_array_foreach (items, i, x) {
			jv rec = jv_get_kind(x) == JV_KIND_OBJECT
				     ? jv_object_get(jv_copy(x), jv_string("record"))
				     : jv_invalid();
			/* a link's kind and item are never empty */
			if (jv_get_kind(rec) == JV_KIND_OBJECT && case_export_str(x, "kind") &&
			    case_export_str(x, "id"))
				kept = jv_array_append(kept, x);
			else
				jv_free(x);
			jv_free(rec);
		}
	jv_free(items);
	view = jv_object_set(view, jv_string("items"), jv_copy(kept));

	/* the case's countries are its distribution's, and the site has a
	 * name, as view_case and view_site make them */
	jv c = jv_object_get(jv_copy(view), jv_string("case"));
	jv dist = jv_object_get(jv_copy(c), jv_string("distribution"));
	if (jv_get_kind(dist) != JV_KIND_OBJECT) {
		jv_free(dist);
		dist = jv_object();
	}
	if (!case_export_str(c, "id")) /* the case's row has one */
		c = jv_object_set(c, jv_string("id"), jv_string("case-lyon-1"));
	(void)case_export_case_visible(c, "FR");
	c = jv_object_set(c, jv_string("countries"), case_export_countries(dist));
	view = jv_object_set(view, jv_string("case"), c);
	jv site = jv_object_get(jv_copy(view), jv_string("site"));
	if (!jv_get_str(site, "name"))
		site = jv_object_set(site, jv_string("name"), jv_string("lyon"));
	view = jv_object_set(view, jv_string("site"), site);
	jv_array_foreach (kept, i, x) {
		jv rec = jv_object_get(x, jv_string("record"));
		(void)case_export_message_visible(rec, "AR");
		(void)case_export_notice_visible(rec, 1);
		char at[64];
		case_sitrep_time(jv_get_str(rec, "received_at"), "ar", at, sizeof at);
		jv_free(rec);
	}
	jv_free(kept);
	jv m = case_export_misp(jv_copy(view));
	dumps(m);
	jv_free(m);
	jv s = case_export_stix(view);
	dumps(s);
	jv_free(s);
	return 0;
}
