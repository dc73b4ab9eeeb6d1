/*
 * case-export-misp.c: the view of a case (case-export.h) as a MISP event,
 * MISP core format: the event, its sharing group (the NCBs of the case's
 * distribution), an attribute or a "person" object for each thing a linked
 * record names. Which field comes from which: ccc-records(5), EXPORT
 * MAPPINGS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/case-export.h"
#include "ccc/json.h"

static const char *field(jv rec, const char *key)
{
	return case_export_str(rec, key);
}

#define CAT(...) case_export_join((const char *const[]){__VA_ARGS__, NULL})

static jv epoch_str(const char *t)
{
	char b[24];
	snprintf(b, sizeof b, "%lld", (long long)case_export_time(t, NULL));
	return jv_string(b);
}

/* The document label of a record ("passport", "id_card" ...) as a MISP
 * attribute type. */
static const char *misp_document_type(const char *label)
{
	if (label && (!strcmp(label, "passport") || !strcmp(label, "P")))
		return "passport-number";
	if (label && (!strcmp(label, "id_card") || !strcmp(label, "identity_card") ||
		      !strcmp(label, "I") || !strcmp(label, "ID")))
		return "identity-card-number";
	return "text";
}

static jv misp_attribute(const struct case_export_item *it, const char *part, const char *type,
			 const char *category, const char *value, int to_ids, const char *comment)
{
	char u[37];
	case_export_part_uuid(it->case_id, it->kind, it->id, part, u);
	jv a = JV_OBJECT(jv_string("uuid"), jv_string(u), jv_string("type"), jv_string(type),
			 jv_string("category"), jv_string(category), jv_string("value"),
			 jv_string(value), jv_string("to_ids"), jv_bool(to_ids));
	a = jv_object_set(a, jv_string("timestamp"), epoch_str(it->ts));
	a = jv_object_set(a, jv_string("distribution"), jv_string("5"));
	a = jv_object_set(a, jv_string("comment"), jv_string(comment ? comment : ""));
	return a;
}

/* An attribute of an object: relation and the attribute itself. */
static jv misp_rel(const struct case_export_item *it, const char *part, const char *relation,
		   const char *type, const char *category, const char *value, const char *comment)
{
	char *p = CAT(part, "/", relation);
	jv a = misp_attribute(it, p, type, category, value, 0, comment);
	free(p);
	return jv_object_set(a, jv_string("object_relation"), jv_string(relation));
}

static const char PERSON_TEMPLATE[] = "a15b0477-e9d1-4b9c-9546-abe78a4f4248";

/* A MISP "person" object of attrs (an array, consumed), or nothing when it
 * has none. */
static jv misp_person(const struct case_export_item *it, const char *part, jv attrs,
		      const char *comment, jv objects)
{
	char u[37];
	if (jv_array_length(jv_copy(attrs)) == 0) {
		jv_free(attrs);
		return objects;
	}
	case_export_part_uuid(it->case_id, it->kind, it->id, part, u);
	jv o = JV_OBJECT(jv_string("name"), jv_string("person"), jv_string("meta-category"),
			 jv_string("misc"), jv_string("description"),
			 jv_string("An object which describes a person or an identity."),
			 jv_string("template_uuid"), jv_string(PERSON_TEMPLATE),
			 jv_string("template_version"), jv_string("8"), jv_string("uuid"),
			 jv_string(u));
	o = jv_object_set(o, jv_string("timestamp"), epoch_str(it->ts));
	o = jv_object_set(o, jv_string("distribution"), jv_string("5"));
	o = jv_object_set(o, jv_string("comment"), jv_string(comment));
	o = jv_object_set(o, jv_string("Attribute"), attrs);
	return jv_array_append(objects, o);
}

/* Append a person relation when value is not empty. */
static jv person_add(const struct case_export_item *it, const char *part, jv attrs,
		     const char *relation, const char *type, const char *value)
{
	if (!value || !*value)
		return attrs;
	return jv_array_append(attrs, misp_rel(it, part, relation, type, "Person", value, NULL));
}

/* The entities of a message as attributes and objects. */
static void misp_entities(const struct case_export_item *it, jv *attrs, jv *objects)
{
	jv ents = jv_object_get(jv_copy(it->rec), jv_string("entities"));
	if (jv_get_kind(ents) != JV_KIND_ARRAY) {
		jv_free(ents);
		return;
	}
	jv_array_foreach (ents, i, e) {
		const char *kind = field(e, "kind");
		char part[32], comment[256];
		snprintf(part, sizeof part, "entity-%d", i);
		if (kind && !strcmp(kind, "document") && field(e, "number")) {
			snprintf(comment, sizeof comment, "travel document named in %s%s%s", it->id,
				 field(e, "country") ? ", issued by " : "",
				 field(e, "country") ? field(e, "country") : "");
			*attrs = jv_array_append(
			    *attrs, misp_attribute(it, part, misp_document_type(field(e, "label")),
						   "Person", field(e, "number"), 0, comment));
		} else if (kind && !strcmp(kind, "vin") && field(e, "vin")) {
			snprintf(comment, sizeof comment,
				 "vehicle identification number named in %s", it->id);
			*attrs =
			    jv_array_append(*attrs, misp_attribute(it, part, "text", "Other",
								   field(e, "vin"), 0, comment));
		} else if (kind && !strcmp(kind, "mrz")) {
			const char *code = field(e, "document_code");
			int pass = code && code[0] == 'P';
			jv a = jv_array();
			a = person_add(it, part, a, "last-name", "last-name", field(e, "surname"));
			a = person_add(it, part, a, "first-name", "first-name",
				       field(e, "given_names"));
			a = person_add(it, part, a, "date-of-birth", "date-of-birth",
				       field(e, "birth_date_iso"));
			a = person_add(it, part, a, "nationality", "nationality",
				       field(e, "nationality_country")
					   ? field(e, "nationality_country")
					   : field(e, "nationality"));
			a = person_add(it, part, a,
				       pass ? "passport-number" : "identity-card-number",
				       pass ? "passport-number" : "identity-card-number",
				       field(e, "document_number"));
			if (pass) {
				a = person_add(it, part, a, "passport-country", "passport-country",
					       field(e, "issuing_country")
						   ? field(e, "issuing_country")
						   : field(e, "issuing_state"));
				a = person_add(it, part, a, "passport-expiration",
					       "passport-expiration", field(e, "expiry_date_iso"));
			}
			snprintf(comment, sizeof comment, "machine readable zone (%s) read in %s",
				 field(e, "format") ? field(e, "format") : "MRZ", it->id);
			*objects = misp_person(it, part, a, comment, *objects);
		}
		jv_free(e);
	}
	jv_free(ents);
}

static void misp_message(const struct case_export_item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char comment[512];
	snprintf(comment, sizeof comment, "message %s from %s, received %s", it->id,
		 field(r, "origin_country") ? field(r, "origin_country") : "an unknown country",
		 field(r, "received_at") ? field(r, "received_at") : "");
	*attrs = jv_array_append(
	    *attrs, misp_attribute(it, "subject", "text", "Other",
				   field(r, "subject") ? field(r, "subject") : "", 0, comment));
	if (field(r, "body")) {
		snprintf(comment, sizeof comment, "body of message %s", it->id);
		*attrs = jv_array_append(*attrs, misp_attribute(it, "body", "text", "Other",
								field(r, "body"), 0, comment));
	}
	misp_entities(it, attrs, objects);
}

static void misp_check(const struct case_export_item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	jv q = jv_object_get(jv_copy(r), jv_string("query"));
	jv hits = jv_object_get(jv_copy(r), jv_string("hits"));
	struct buf b = {0}, h = {0};
	if (jv_get_kind(q) == JV_KIND_OBJECT)
		jv_object_foreach (q, k, v) {
			if (jv_get_kind(v) == JV_KIND_STRING) {
				if (b.len)
					buf_adds(&b, " ");
				buf_adds(&b, jv_string_value(v));
			}
			jv_free(k);
			jv_free(v);
		}
	jv_free(q);
	buf_addc(&b, '\0');
	if (jv_get_kind(hits) != JV_KIND_ARRAY) { /* check_item makes one; a record may not */
		jv_free(hits);
		hits = jv_array();
	}
	jv_array_foreach (hits, i, x) {
		buf_adds(&h, i ? ", " : "");
		buf_adds(&h, field(x, "id") ? field(x, "id") : "");
		if (field(x, "status")) {
			buf_adds(&h, " ");
			buf_adds(&h, field(x, "status"));
		}
		jv_free(x);
	}
	jv_free(hits);
	buf_addc(&h, '\0');
	char *cm = CAT("check ", it->id, " of ", field(r, "db") ? field(r, "db") : "", " by ",
		       field(r, "ncb") ? field(r, "ncb") : "-", " at ",
		       field(r, "ts") ? field(r, "ts") : "", ": ", *h.p ? h.p : "no hit");
	*attrs = jv_array_append(*attrs, misp_attribute(it, "query", "text", "Other", b.p, 0, cm));
	free(cm);
	buf_free(&b);
	buf_free(&h);
}

static void misp_notice(const struct case_export_item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char comment[512];
	const char *name = field(r, "name");
	snprintf(comment, sizeof comment, "%s %s (%s), requested by %s", field(r, "kind"), it->id,
		 field(r, "status") ? field(r, "status") : "",
		 field(r, "requesting_country") ? field(r, "requesting_country") : "-");
	char *value = CAT(field(r, "control") ? field(r, "control") : it->id, name ? ": " : "",
			  name ? name : "");
	*attrs = jv_array_append(*attrs,
				 misp_attribute(it, "notice", "text", "Other", value, 0, comment));
	free(value);
	if (name) {
		jv a = jv_array();
		a = person_add(it, "subject", a, "full-name", "full-name", name);
		a = person_add(it, "subject", a, "date-of-birth", "date-of-birth", field(r, "dob"));
		a = person_add(it, "subject", a, "nationality", "nationality",
			       field(r, "nationality"));
		snprintf(comment, sizeof comment, "subject of notice %s", it->id);
		*objects = misp_person(it, "subject", a, comment, *objects);
	}
}

static void misp_team(const struct case_export_item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char value[256];
	snprintf(value, sizeof value, "%s %s%s%s (%s)",
		 field(r, "kind") ? field(r, "kind") : "team", it->kind,
		 field(r, "country") ? " to " : "", field(r, "country") ? field(r, "country") : "",
		 field(r, "status") ? field(r, "status") : "");
	*attrs =
	    jv_array_append(*attrs, misp_attribute(it, NULL, "text", "Other", value, 0, it->id));
}

static void misp_reference_person(const struct case_export_item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char comment[512];
	jv a = jv_array();
	a = person_add(it, "person", a, "full-name", "full-name", field(r, "name"));
	jv al = jv_object_get(jv_copy(r), jv_string("aliases"));
	if (jv_get_kind(al) == JV_KIND_ARRAY)
		jv_array_foreach (al, i, x) {
			char rel[24];
			snprintf(rel, sizeof rel, "alias-%d", i);
			if (jv_get_kind(x) == JV_KIND_STRING && *jv_string_value(x)) {
				jv one = misp_rel(it, rel, "alias", "text", "Person",
						  jv_string_value(x), NULL);
				a = jv_array_append(a, one);
			}
			jv_free(x);
		}
	jv_free(al);
	a = person_add(it, "person", a, "date-of-birth", "date-of-birth", field(r, "dob"));
	jv na = jv_object_get(jv_copy(r), jv_string("nationalities"));
	if (jv_get_kind(na) == JV_KIND_ARRAY)
		jv_array_foreach (na, i, x) {
			char rel[24];
			snprintf(rel, sizeof rel, "nationality-%d", i);
			if (jv_get_kind(x) == JV_KIND_STRING && *jv_string_value(x))
				a = jv_array_append(a,
						    misp_rel(it, rel, "nationality", "nationality",
							     "Person", jv_string_value(x), NULL));
			jv_free(x);
		}
	jv_free(na);
	snprintf(comment, sizeof comment, "person %s of the reference database, owner %s%s%s",
		 it->id, field(r, "owner") ? field(r, "owner") : "-",
		 field(r, "notice") ? ", notice " : "",
		 field(r, "notice") ? field(r, "notice") : "");
	*objects = misp_person(it, "person", a, comment, *objects);
}

static void misp_document(const struct case_export_item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char comment[512];
	const char *label = field(r, "type") ? field(r, "type") : field(r, "label");
	snprintf(comment, sizeof comment, "%s travel document, issued by %s, owner %s",
		 field(r, "status") ? field(r, "status") : "listed",
		 field(r, "country") ? field(r, "country") : "-",
		 field(r, "owner") ? field(r, "owner") : "-");
	*attrs = jv_array_append(
	    *attrs, misp_attribute(it, NULL, misp_document_type(label), "Person",
				   field(r, "number") ? field(r, "number") : it->id, 1, comment));
}

static void misp_case(const struct case_export_item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char comment[512];
	char *value = CAT(it->id, ": ", field(r, "title") ? field(r, "title") : "");
	snprintf(comment, sizeof comment, "linked case (%s, %s)",
		 field(r, "kind") ? field(r, "kind") : "",
		 field(r, "status") ? field(r, "status") : "");
	*attrs =
	    jv_array_append(*attrs, misp_attribute(it, NULL, "text", "Other", value, 0, comment));
	free(value);
}

/* How each kind of linked record is written. */
typedef void misp_fn(const struct case_export_item *it, jv *attrs, jv *objects);
static const struct {
	const char *kind;
	misp_fn *fn;
} misp_kinds[] = {
    {"message", misp_message},   {"check", misp_check},     {"notice", misp_notice},
    {"plan", misp_team},         {"deployment", misp_team}, {"person", misp_reference_person},
    {"document", misp_document}, {"case", misp_case},
};

static misp_fn *misp_renderer(const char *kind)
{
	for (size_t i = 0; i < sizeof misp_kinds / sizeof misp_kinds[0]; i++)
		if (kind && !strcmp(misp_kinds[i].kind, kind))
			return misp_kinds[i].fn;
	return NULL;
}

/* The organisation of an NCB ("ncb:CC"), or of the exporting site (its
 * name): the same UUID in every export. */
static jv misp_org(const char *what, const char *name)
{
	char u[37];
	case_export_item_uuid("", "organisation", what, u);
	return JV_OBJECT(jv_string("name"), jv_string(name), jv_string("uuid"), jv_string(u));
}

/* The sharing group of case c (not consumed): the NCBs of its countries,
 * owned by org (consumed). */
static jv misp_sharing_group(jv c, jv org)
{
	const char *id = field(c, "id");
	jv orgs = jv_array();
	jv countries = jv_object_get(jv_copy(c), jv_string("countries"));
	jv_array_foreach (countries, i, cc) {
		char oname[16], key[16];
		snprintf(oname, sizeof oname, "NCB %s", jv_string_value(cc));
		snprintf(key, sizeof key, "ncb:%s", jv_string_value(cc));
		orgs = jv_array_append(orgs,
				       JV_OBJECT(jv_string("extend"), jv_false(),
						 jv_string("Organisation"), misp_org(key, oname)));
		jv_free(cc);
	}
	jv_free(countries);
	char u[37], *name = CAT(id, " distribution");
	case_export_item_uuid(id, "sharing-group", "", u);
	jv sg = JV_OBJECT(jv_string("uuid"), jv_string(u), jv_string("name"), jv_string(name),
			  jv_string("releasability"),
			  jv_string("the countries of the case's distribution"),
			  jv_string("Organisation"), org, jv_string("SharingGroupOrg"), orgs);
	free(name);
	return sg;
}

jv case_export_misp(jv view)
{
	jv c = jv_object_get(jv_copy(view), jv_string("case"));
	jv site = jv_object_get(jv_copy(view), jv_string("site"));
	jv items = jv_object_get(jv_copy(view), jv_string("items"));
	const char *id = field(c, "id"), *kind = field(c, "kind"), *status = field(c, "status");
	const char *created = field(c, "opened_at");
	const char *ts = field(c, "updated_at");
	char u[37], name[256], date[11] = "1970-01-01";
	case_export_item_uuid(id, NULL, NULL, u);
	if (created && strlen(created) >= 10)
		memcpy(date, created, 10);

	snprintf(name, sizeof name, "INTERPOL CCC %s", field(site, "name"));
	jv org = misp_org(field(site, "name"), name);
	jv sg = misp_sharing_group(c, jv_copy(org));

	jv attrs = jv_array(), objects = jv_array();
	jv_array_foreach (items, i, x) {
		struct case_export_item it = {id, field(x, "kind"), field(x, "id"), ts,
					      jv_object_get(jv_copy(x), jv_string("record"))};
		misp_fn *fn = misp_renderer(it.kind);
		if (fn)
			fn(&it, &attrs, &objects);
		jv_free(it.rec);
		jv_free(x);
	}
	char *info = CAT(field(c, "title") ? field(c, "title") : id, " (", kind ? kind : "case",
			 " ", id, ")");
	jv ev = JV_OBJECT(jv_string("uuid"), jv_string(u), jv_string("info"), jv_string(info),
			  jv_string("date"), jv_string(date), jv_string("timestamp"), epoch_str(ts),
			  jv_string("published"), jv_false());
	free(info);
	ev = jv_object_set(ev, jv_string("threat_level_id"),
			   jv_string(kind && !strcmp(kind, "incident") ? "1" : "2"));
	ev = jv_object_set(ev, jv_string("analysis"),
			   jv_string(status && !strcmp(status, "closed") ? "2" : "1"));
	ev = jv_object_set(ev, jv_string("distribution"), jv_string("4"));
	ev = jv_object_set(ev, jv_string("SharingGroup"), sg);
	ev = jv_object_set(ev, jv_string("Orgc"), jv_copy(org));
	ev = jv_object_set(ev, jv_string("Org"), org);
	ev = jv_object_set(ev, jv_string("Attribute"), attrs);
	ev = jv_object_set(ev, jv_string("Object"), objects);
	char tag[64];
	snprintf(tag, sizeof tag, "ccc:case-kind=\"%s\"", kind ? kind : "case");
	ev = jv_object_set(ev, jv_string("Tag"),
			   JV_ARRAY(JV_OBJECT(jv_string("name"), jv_string("tlp:amber")),
				    JV_OBJECT(jv_string("name"), jv_string(tag))));
	jv_free(items);
	jv_free(site);
	jv_free(c);
	jv_free(view);
	return JV_OBJECT(jv_string("Event"), ev);
}
