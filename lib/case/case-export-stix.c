/*
 * case-export-stix.c: the view of a case (case-export.h) as a STIX 2.1
 * bundle: the exporting site's identity, the case's report naming every
 * other object, observed-data of custom Cyber-observable Objects for
 * messages and checks, an indicator for each document of the reference
 * database, an identity for each person. Which field comes from which:
 * ccc-records(5), EXPORT MAPPINGS.
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

/* "TYPE--UUID" of an item's part. */
static jv stix_id(const char *type, const char *case_id, const char *kind, const char *id,
		  const char *part)
{
	char u[37];
	case_export_part_uuid(case_id, kind, id, part, u);
	char *s = CAT(type, "--", u);
	jv v = jv_string(s);
	free(s);
	return v;
}

static jv set_str(jv o, const char *key, const char *v)
{
	return v && *v ? jv_object_set(o, jv_string(key), jv_string(v)) : o;
}

struct stix {
	const char *case_id;
	char created[RFC3339_LEN], modified[RFC3339_LEN];
	jv identity; /* its id */
	jv objects;  /* everything but the report */
	jv refs;     /* the report's object_refs */
};

/* A STIX Domain Object's common properties. */
static jv sdo(struct stix *x, const char *type, jv id)
{
	return JV_OBJECT(jv_string("type"), jv_string(type), jv_string("spec_version"),
			 jv_string("2.1"), jv_string("id"), id, jv_string("created"),
			 jv_string(x->created), jv_string("modified"), jv_string(x->modified),
			 jv_string("created_by_ref"), jv_copy(x->identity));
}

/*
 * A custom object (type x-ccc-...) as a Cyber-observable Object: no
 * created, modified or created_by_ref. The OASIS schemas take a custom
 * object that has the common properties of a Domain Object for both kinds
 * at once, and refuse it; so every custom object here is of this form.
 */
static jv sco(const char *type, jv id)
{
	return JV_OBJECT(jv_string("type"), jv_string(type), jv_string("spec_version"),
			 jv_string("2.1"), jv_string("id"), id);
}

static void stix_add(struct stix *x, jv o, int referenced)
{
	if (referenced)
		x->refs = jv_array_append(x->refs, jv_object_get(jv_copy(o), jv_string("id")));
	x->objects = jv_array_append(x->objects, o);
}

/* observed-data of the SCOs refs (consumed, at least one) at time t. */
static void stix_observed(struct stix *x, const struct case_export_item *it, const char *t, jv refs)
{
	char at[RFC3339_LEN];
	case_export_time(t, at);
	jv o =
	    sdo(x, "observed-data", stix_id("observed-data", x->case_id, it->kind, it->id, NULL));
	o = jv_object_set(o, jv_string("first_observed"), jv_string(at));
	o = jv_object_set(o, jv_string("last_observed"), jv_string(at));
	o = jv_object_set(o, jv_string("number_observed"), jv_number(1));
	o = jv_object_set(o, jv_string("object_refs"), refs);
	stix_add(x, o, 1);
}

/* A single-quoted STIX pattern string: ' and \ escaped. */
static void pattern_str(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}

/* An x-ccc-document SCO (its id appended to refs), and, for a document of
 * the reference database, an indicator that matches it. */
static jv stix_document(struct stix *x, const struct case_export_item *it, const char *part, jv d,
			jv refs, int indicator)
{
	const char *number = field(d, "number"), *cc = field(d, "country");
	jv o = sco("x-ccc-document", stix_id("x-ccc-document", x->case_id, it->kind, it->id, part));
	o = set_str(o, "number", number);
	o = set_str(o, "issuing_country", cc);
	o = set_str(o, "document_type", field(d, "label") ? field(d, "label") : field(d, "type"));
	o = set_str(o, "status", field(d, "status"));
	o = set_str(o, "owner", field(d, "owner"));
	refs = jv_array_append(refs, jv_object_get(jv_copy(o), jv_string("id")));
	stix_add(x, o, 1);
	if (indicator && number) {
		struct buf p = {0};
		char name[256];
		buf_adds(&p, "[x-ccc-document:number = ");
		pattern_str(&p, number);
		if (cc) {
			buf_adds(&p, " AND x-ccc-document:issuing_country = ");
			pattern_str(&p, cc);
		}
		buf_adds(&p, "]");
		buf_addc(&p, '\0');
		snprintf(name, sizeof name, "%s travel document %s%s%s",
			 field(d, "status") ? field(d, "status") : "listed", number,
			 cc ? " of " : "", cc ? cc : "");
		jv i =
		    sdo(x, "indicator", stix_id("indicator", x->case_id, it->kind, it->id, part));
		i = jv_object_set(i, jv_string("name"), jv_string(name));
		i = jv_object_set(i, jv_string("indicator_types"),
				  JV_ARRAY(jv_string("compromised")));
		i = jv_object_set(i, jv_string("pattern"), jv_string(p.p));
		i = jv_object_set(i, jv_string("pattern_type"), jv_string("stix"));
		i = jv_object_set(i, jv_string("pattern_version"), jv_string("2.1"));
		i = jv_object_set(i, jv_string("valid_from"), jv_string(x->created));
		buf_free(&p);
		stix_add(x, i, 1);
	}
	return refs;
}

/* Copy the fields keys (NULL-terminated) of rec that are strings. */
static jv copy_strs(jv o, jv rec, const char *const *keys, const char *prefix)
{
	for (; *keys; keys++) {
		char k[64];
		snprintf(k, sizeof k, "%s%s", prefix, *keys);
		o = set_str(o, k, field(rec, *keys));
	}
	return o;
}

static void stix_message(struct stix *x, const struct case_export_item *it)
{
	const jv r = it->rec;
	static const char *const keys[] = {"origin_country", "received_at", "sent_at", "language",
					   "subject",        "body",        NULL};
	jv m = sco("x-ccc-message", stix_id("x-ccc-message", x->case_id, it->kind, it->id, NULL));
	m = jv_object_set(m, jv_string("message_id"), jv_string(it->id));
	m = copy_strs(m, r, keys, "");
	jv refs = JV_ARRAY(jv_object_get(jv_copy(m), jv_string("id")));
	stix_add(x, m, 1);
	jv ents = jv_object_get(jv_copy(r), jv_string("entities"));
	if (jv_get_kind(ents) == JV_KIND_ARRAY)
		jv_array_foreach (ents, i, e) {
			const char *kind = field(e, "kind");
			char part[32];
			snprintf(part, sizeof part, "entity-%d", i);
			if (kind && !strcmp(kind, "document") && field(e, "number"))
				refs = stix_document(x, it, part, e, refs, 0);
			else if (kind && !strcmp(kind, "vin") && field(e, "vin")) {
				jv v = sco("x-ccc-vehicle", stix_id("x-ccc-vehicle", x->case_id,
								    it->kind, it->id, part));
				v = set_str(v, "vin", field(e, "vin"));
				refs = jv_array_append(refs,
						       jv_object_get(jv_copy(v), jv_string("id")));
				stix_add(x, v, 1);
			} else if (kind && !strcmp(kind, "mrz")) {
				static const char *const mk[] = {"format",
								 "document_code",
								 "issuing_country",
								 "nationality_country",
								 "surname",
								 "given_names",
								 "document_number",
								 "birth_date_iso",
								 "expiry_date_iso",
								 "sex",
								 NULL};
				jv v = sco("x-ccc-mrz", stix_id("x-ccc-mrz", x->case_id, it->kind,
								it->id, part));
				v = copy_strs(v, e, mk, "");
				jv ok = jv_object_get(jv_copy(e), jv_string("valid"));
				if (jv_get_kind(ok) == JV_KIND_TRUE ||
				    jv_get_kind(ok) == JV_KIND_FALSE)
					v = jv_object_set(v, jv_string("valid"), ok);
				else
					jv_free(ok);
				refs = jv_array_append(refs,
						       jv_object_get(jv_copy(v), jv_string("id")));
				stix_add(x, v, 1);
			}
			jv_free(e);
		}
	jv_free(ents);
	stix_observed(x, it, field(r, "received_at"), refs);
}

static void stix_check(struct stix *x, const struct case_export_item *it)
{
	const jv r = it->rec;
	jv q = sco("x-ccc-check", stix_id("x-ccc-check", x->case_id, it->kind, it->id, NULL));
	q = jv_object_set(q, jv_string("check_id"), jv_string(it->id));
	q = set_str(q, "database", field(r, "db"));
	q = set_str(q, "asked_by", field(r, "ncb"));
	jv query = jv_object_get(jv_copy(r), jv_string("query"));
	jv hits = jv_object_get(jv_copy(r), jv_string("hits"));
	if (jv_get_kind(query) == JV_KIND_OBJECT && jv_object_length(jv_copy(query)) > 0)
		q = jv_object_set(q, jv_string("query"), query);
	else
		jv_free(query);
	if (jv_get_kind(hits) == JV_KIND_ARRAY && jv_array_length(jv_copy(hits)) > 0)
		q = jv_object_set(q, jv_string("hits"), hits);
	else
		jv_free(hits);
	jv refs = JV_ARRAY(jv_object_get(jv_copy(q), jv_string("id")));
	stix_add(x, q, 1);
	stix_observed(x, it, field(r, "ts"), refs);
}

static void stix_notice(struct stix *x, const struct case_export_item *it)
{
	const jv r = it->rec;
	static const char *const keys[] = {"status",       "requesting_country", "control",
					   "published_at", "expires_at",         "name",
					   "dob",          "nationality",        NULL};
	jv n = sco("x-ccc-notice", stix_id("x-ccc-notice", x->case_id, it->kind, it->id, NULL));
	n = jv_object_set(n, jv_string("notice_id"), jv_string(it->id));
	n = set_str(n, "notice_kind", field(r, "kind"));
	n = copy_strs(n, r, keys, "");
	stix_add(x, n, 1);
}

static void stix_team(struct stix *x, const struct case_export_item *it)
{
	const jv r = it->rec;
	static const char *const keys[] = {"status",    "country", "for",
					   "starts_at", "ends_at", NULL};
	jv d = sco("x-ccc-deployment",
		   stix_id("x-ccc-deployment", x->case_id, it->kind, it->id, NULL));
	d = jv_object_set(d, jv_string("name"), jv_string(it->id));
	d = jv_object_set(d, jv_string("record_type"), jv_string(it->kind));
	d = set_str(d, "team_kind", field(r, "kind"));
	d = copy_strs(d, r, keys, "");
	stix_add(x, d, 1);
}

static void stix_person(struct stix *x, const struct case_export_item *it)
{
	const jv r = it->rec;
	jv p = sdo(x, "identity", stix_id("identity", x->case_id, it->kind, it->id, NULL));
	p = jv_object_set(p, jv_string("name"),
			  jv_string(field(r, "name") ? field(r, "name") : it->id));
	p = jv_object_set(p, jv_string("identity_class"), jv_string("individual"));
	p = jv_object_set(p, jv_string("x_ccc_person_id"), jv_string(it->id));
	p = set_str(p, "x_ccc_date_of_birth", field(r, "dob"));
	p = set_str(p, "x_ccc_owner", field(r, "owner"));
	p = set_str(p, "x_ccc_notice", field(r, "notice"));
	jv na = jv_object_get(jv_copy(r), jv_string("nationalities"));
	if (jv_get_kind(na) == JV_KIND_ARRAY && jv_array_length(jv_copy(na)) > 0)
		p = jv_object_set(p, jv_string("x_ccc_nationalities"), na);
	else
		jv_free(na);
	jv al = jv_object_get(jv_copy(r), jv_string("aliases"));
	if (jv_get_kind(al) == JV_KIND_ARRAY && jv_array_length(jv_copy(al)) > 0)
		p = jv_object_set(p, jv_string("x_ccc_aliases"), al);
	else
		jv_free(al);
	stix_add(x, p, 1);
}

static void stix_reference_document(struct stix *x, const struct case_export_item *it)
{
	const jv r = it->rec;
	jv_free(stix_document(x, it, NULL, r, jv_array(), 1));
}

static void stix_case(struct stix *x, const struct case_export_item *it)
{
	const jv r = it->rec;
	jv c = sdo(x, "report", stix_id("report", it->id, NULL, NULL, NULL));
	c = jv_object_set(c, jv_string("name"),
			  jv_string(field(r, "title") ? field(r, "title") : it->id));
	c = jv_object_set(c, jv_string("report_types"), JV_ARRAY(jv_string("threat-report")));
	c = jv_object_set(c, jv_string("published"), jv_string(x->modified));
	c = jv_object_set(c, jv_string("object_refs"), JV_ARRAY(jv_copy(x->identity)));
	c = jv_object_set(c, jv_string("x_ccc_case_id"), jv_string(it->id));
	c = set_str(c, "x_ccc_case_kind", field(r, "kind"));
	c = set_str(c, "x_ccc_case_status", field(r, "status"));
	stix_add(x, c, 1);
}

/* The exporting site, the same identity in every export, created when the
 * store came to know it; x->identity gets its id. */
static jv stix_site(struct stix *x, jv site, const char *created)
{
	char u[37], since[RFC3339_LEN];
	case_export_item_uuid("", "organisation", field(site, "name"), u);
	char *iid = CAT("identity--", u);
	char *name = CAT("INTERPOL Command and Coordination Centre (", field(site, "name"), ")");
	x->identity = jv_string(iid);
	case_export_time(field(site, "added_at") ? field(site, "added_at") : created, since);
	jv ident = JV_OBJECT(jv_string("type"), jv_string("identity"), jv_string("spec_version"),
			     jv_string("2.1"), jv_string("id"), jv_string(iid),
			     jv_string("created"), jv_string(since), jv_string("modified"),
			     jv_string(since), jv_string("name"), jv_string(name));
	free(iid);
	free(name);
	ident = jv_object_set(ident, jv_string("identity_class"), jv_string("organization"));
	return jv_object_set(ident, jv_string("sectors"),
			     JV_ARRAY(jv_string("government-public-services")));
}

/* The case's report (c not consumed), naming every object x holds. */
static jv stix_report(struct stix *x, jv c)
{
	const char *id = field(c, "id"), *kind = field(c, "kind");
	char *desc =
	    CAT(kind ? kind : "case", " ", id, " (", field(c, "status") ? field(c, "status") : "",
		")", field(c, "lead") ? ", lead " : "", field(c, "lead") ? field(c, "lead") : "");
	jv rep = sdo(x, "report", stix_id("report", id, NULL, NULL, NULL));
	rep = jv_object_set(rep, jv_string("name"),
			    jv_string(field(c, "title") ? field(c, "title") : id));
	rep = jv_object_set(rep, jv_string("description"), jv_string(desc));
	free(desc);
	rep = jv_object_set(rep, jv_string("report_types"), JV_ARRAY(jv_string("threat-report")));
	rep = jv_object_set(rep, jv_string("published"), jv_string(x->modified));
	rep = jv_object_set(rep, jv_string("labels"), JV_ARRAY(jv_string(kind ? kind : "case")));
	rep = jv_object_set(rep, jv_string("object_refs"), jv_copy(x->refs));
	rep = jv_object_set(rep, jv_string("x_ccc_case_id"), jv_string(id));
	jv countries = jv_object_get(jv_copy(c), jv_string("countries"));
	if (jv_get_kind(countries) == JV_KIND_ARRAY && jv_array_length(jv_copy(countries)) > 0)
		return jv_object_set(rep, jv_string("x_ccc_distribution"), countries);
	jv_free(countries);
	return rep;
}

/* How each kind of linked record is written. */
typedef void stix_fn(struct stix *x, const struct case_export_item *it);
static const struct {
	const char *kind;
	stix_fn *fn;
} stix_kinds[] = {
    {"message", stix_message},
    {"check", stix_check},
    {"notice", stix_notice},
    {"plan", stix_team},
    {"deployment", stix_team},
    {"person", stix_person},
    {"document", stix_reference_document},
    {"case", stix_case},
};

static stix_fn *stix_renderer(const char *kind)
{
	for (size_t i = 0; i < sizeof stix_kinds / sizeof stix_kinds[0]; i++)
		if (kind && !strcmp(stix_kinds[i].kind, kind))
			return stix_kinds[i].fn;
	return NULL;
}

jv case_export_stix(jv view)
{
	jv c = jv_object_get(jv_copy(view), jv_string("case"));
	jv site = jv_object_get(jv_copy(view), jv_string("site"));
	jv items = jv_object_get(jv_copy(view), jv_string("items"));
	const char *id = field(c, "id");
	const char *created = field(c, "opened_at");
	struct stix x = {.case_id = id, .objects = jv_array(), .refs = jv_array()};
	case_export_time(created, x.created);
	case_export_time(field(c, "updated_at"), x.modified);
	if (strcmp(x.modified, x.created) < 0)
		memcpy(x.modified, x.created, sizeof x.modified);

	jv ident = stix_site(&x, site, created);
	x.refs = jv_array_append(x.refs, jv_copy(x.identity));

	jv_array_foreach (items, i, e) {
		struct case_export_item it = {id, field(e, "kind"), field(e, "id"),
					      field(c, "updated_at"),
					      jv_object_get(jv_copy(e), jv_string("record"))};
		stix_fn *fn = stix_renderer(it.kind);
		if (fn)
			fn(&x, &it);
		jv_free(it.rec);
		jv_free(e);
	}

	jv rep = stix_report(&x, c);

	jv objects = JV_ARRAY(ident, rep);
	objects = jv_array_concat(objects, x.objects);
	jv bundle = JV_OBJECT(jv_string("type"), jv_string("bundle"), jv_string("id"),
			      stix_id("bundle", id, "bundle", field(view, "ncb"), NULL),
			      jv_string("objects"), objects);
	jv_free(x.identity);
	jv_free(x.refs);
	jv_free(items);
	jv_free(site);
	jv_free(c);
	jv_free(view);
	return bundle;
}
