/*
 * cap.c: read a CAP alert: safe parse, OASIS schema validation, the rules the
 * schema cannot express, and a jv object with snake_case names.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "ccc/cap.h"
#include "ccc/clock.h"
#include "ccc/xmlsafe.h"

#define DSIG_NS "http://www.w3.org/2000/09/xmldsig#"

/* A compiled schema and a validation context, per CAP minor version. */
static struct {
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr valid;
} schemas[3];

/* Compile the embedded schema for CAP 1.minor once. */
static xmlSchemaValidCtxtPtr validator(int minor, char **err)
{
	struct xmlsafe_errors c = {0};
	xmlSchemaParserCtxtPtr pc;
	char *text;

	if (schemas[minor].valid)
		return schemas[minor].valid;
	text = cap_schema_text(minor);
	if (!text) {
		*err = strdup("out of memory");
		return NULL;
	}
	pc = xmlSchemaNewMemParserCtxt(text, (int)strlen(text));
	if (pc) {
		xmlSchemaSetParserStructuredErrors(pc, xmlsafe_collect, &c);
		schemas[minor].schema = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
	}
	free(text);
	if (schemas[minor].schema)
		schemas[minor].valid = xmlSchemaNewValidCtxt(schemas[minor].schema);
	if (!schemas[minor].valid) {
		char *m = xmlsafe_errors_message(&c, "out of memory");
		if (asprintf(err, "embedded CAP 1.%d schema: %s", minor, m ? m : "") < 0)
			*err = NULL;
		free(m);
		return NULL;
	}
	return schemas[minor].valid;
}

void cap_cleanup(void)
{
	for (int i = 0; i < 3; i++) {
		if (schemas[i].valid)
			xmlSchemaFreeValidCtxt(schemas[i].valid);
		if (schemas[i].schema)
			xmlSchemaFree(schemas[i].schema);
		schemas[i].valid = NULL;
		schemas[i].schema = NULL;
	}
}

/* Set *err to a formatted reason; returns jv_invalid() for the caller to return. */
static jv fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static jv fail(char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
	return jv_invalid();
}

static int named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* CAP times (validated by the schema as "YYYY-MM-DDThh:mm:ss±hh:mm") in UTC. */
static int utc_time(const char *s, char out[RFC3339_LEN])
{
	time_t t;
	if (clock_parse(s, &t) < 0)
		return -1;
	clock_format(t, out);
	return 0;
}

/* Split whitespace-separated tokens, a token in double quotes may hold white
 * space (CAP <addresses> and <incidents>). */
static jv quoted_tokens(const char *s)
{
	jv a = jv_array();
	while (*s) {
		const char *b, *e;
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s)
			break;
		if (*s == '"') {
			b = ++s;
			e = strchr(b, '"');
			if (!e)
				e = b + strlen(b);
			s = *e ? e + 1 : e;
		} else {
			b = s;
			while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
				s++;
			e = s;
		}
		if (e > b)
			a = jv_array_append(a, jv_string_sized(b, (int)(e - b)));
	}
	return a;
}

/* CAP 1.2 3.2.1: no white space, comma or restricted character (< and &). */
static const char *bad_id(const char *s)
{
	if (!*s)
		return "is empty";
	if (strpbrk(s, " \t\r\n"))
		return "holds white space";
	if (strchr(s, ','))
		return "holds a comma";
	if (strpbrk(s, "<&"))
		return "holds '<' or '&'";
	return NULL;
}

/* <references>: "sender,identifier,sent" triples separated by white space. */
static jv references(const char *s, long line, char **err)
{
	jv a = jv_array();
	char sent[RFC3339_LEN], when[64];

	while (*s) {
		const char *b, *c1, *c2, *e;
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s)
			break;
		b = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			s++;
		e = s;
		c1 = memchr(b, ',', (size_t)(e - b));
		c2 = c1 ? memchr(c1 + 1, ',', (size_t)(e - c1 - 1)) : NULL;
		if (!c2 || c1 == b || c2 == c1 + 1 || memchr(c2 + 1, ',', (size_t)(e - c2 - 1)) ||
		    (size_t)(e - c2 - 1) >= sizeof when) {
			jv_free(a);
			return fail(err,
				    "line %ld: references: '%.*s' is not sender,identifier,sent",
				    line, (int)(e - b > 200 ? 200 : e - b), b);
		}
		memcpy(when, c2 + 1, (size_t)(e - c2 - 1));
		when[e - c2 - 1] = '\0';
		if (utc_time(when, sent) < 0) {
			jv_free(a);
			return fail(err, "line %ld: references: '%s' is not a date-time", line,
				    when);
		}
		jv r = jv_object();
		r = jv_object_set(r, jv_string("sender"), jv_string_sized(b, (int)(c1 - b)));
		r = jv_object_set(r, jv_string("identifier"),
				  jv_string_sized(c1 + 1, (int)(c2 - c1 - 1)));
		r = jv_object_set(r, jv_string("sent"), jv_string(sent));
		a = jv_array_append(a, r);
	}
	if (jv_array_length(jv_copy(a)) == 0) {
		jv_free(a);
		return fail(err,
			    "line %ld: references: empty (give at least one "
			    "sender,identifier,sent)",
			    line);
	}
	return a;
}

/* {"value_name","value"} of an <eventCode>, <parameter> or <geocode>. */
static jv value_pair(const xmlNode *el)
{
	jv o = jv_object();
	for (const xmlNode *c = el->children; c; c = c->next) {
		if (named(c, "valueName"))
			o = jv_object_set(o, jv_string("value_name"), xmlsafe_text(c));
		else if (named(c, "value"))
			o = jv_object_set(o, jv_string("value"), xmlsafe_text(c));
	}
	return o;
}

/* Repeated elements, gathered into arrays that are set on the object once at
 * the end: appending to an array already held by the object would copy it. */
struct lists {
	int n;
	const char *key[8];
	jv a[8];
};

static void push(struct lists *l, const char *key, jv v)
{
	int i;
	for (i = 0; i < l->n && strcmp(l->key[i], key); i++)
		;
	if (i == l->n) {
		if (l->n == 8) { /* more kinds than any CAP element has */
			jv_free(v);
			return;
		}
		l->key[l->n] = key;
		l->a[l->n++] = jv_array();
	}
	l->a[i] = jv_array_append(l->a[i], v);
}

/* Set the gathered arrays on o (or free them if o is invalid). */
static jv set_lists(jv o, struct lists *l)
{
	for (int i = 0; i < l->n; i++)
		if (jv_is_valid(o))
			o = jv_object_set(o, jv_string(l->key[i]), l->a[i]);
		else
			jv_free(l->a[i]);
	l->n = 0;
	return o;
}

/* o[key] = text of el, unless that text is empty. */
static jv set_text(jv o, const char *key, const xmlNode *el)
{
	jv t = xmlsafe_text(el);
	if (jv_string_length_bytes(jv_copy(t)) == 0) {
		jv_free(t);
		return o;
	}
	return jv_object_set(o, jv_string(key), t);
}

/* o[key] = el's date-time in UTC. */
static jv set_time(jv o, const char *key, const xmlNode *el, char **err)
{
	char t[RFC3339_LEN];
	jv s = xmlsafe_text(el);
	int bad = utc_time(jv_string_value(s), t) < 0;
	if (bad) {
		jv r = fail(err, "line %ld: %s: '%s' is not a date-time", xmlGetLineNo(el), key,
			    jv_string_value(s));
		jv_free(s);
		jv_free(o);
		return r;
	}
	jv_free(s);
	return jv_object_set(o, jv_string(key), jv_string(t));
}

static jv set_number(jv o, const char *key, const xmlNode *el)
{
	jv t = xmlsafe_text(el);
	double d = strtod(jv_string_value(t), NULL);
	jv_free(t);
	return jv_object_set(o, jv_string(key), jv_number(d));
}

static jv area(const xmlNode *el)
{
	struct lists l = {0};
	jv o = jv_object();
	for (const xmlNode *c = el->children; c; c = c->next) {
		if (named(c, "areaDesc"))
			o = jv_object_set(o, jv_string("area_desc"), xmlsafe_text(c));
		else if (named(c, "polygon"))
			push(&l, "polygon", xmlsafe_text(c));
		else if (named(c, "circle"))
			push(&l, "circle", xmlsafe_text(c));
		else if (named(c, "geocode"))
			push(&l, "geocode", value_pair(c));
		else if (named(c, "altitude"))
			o = set_number(o, "altitude", c);
		else if (named(c, "ceiling"))
			o = set_number(o, "ceiling", c);
	}
	return set_lists(o, &l);
}

static jv resource(const xmlNode *el)
{
	jv o = jv_object();
	for (const xmlNode *c = el->children; c; c = c->next) {
		if (named(c, "resourceDesc"))
			o = jv_object_set(o, jv_string("resource_desc"), xmlsafe_text(c));
		else if (named(c, "mimeType"))
			o = jv_object_set(o, jv_string("mime_type"), xmlsafe_text(c));
		else if (named(c, "size"))
			o = set_number(o, "size", c);
		else if (named(c, "uri"))
			o = set_text(o, "uri", c);
		else if (named(c, "digest"))
			o = set_text(o, "digest", c);
	}
	return o;
}

/* Element names of <info> with a plain string value, and their JSON names. */
static const char *const info_text[][2] = {
    {"language", "language"},
    {"event", "event"},
    {"urgency", "urgency"},
    {"severity", "severity"},
    {"certainty", "certainty"},
    {"audience", "audience"},
    {"senderName", "sender_name"},
    {"headline", "headline"},
    {"description", "description"},
    {"instruction", "instruction"},
    {"web", "web"},
    {"contact", "contact"},
    {NULL, NULL},
};

static jv info(const xmlNode *el, char **err)
{
	struct lists l = {0};
	jv o = jv_object();
	o = jv_object_set(o, jv_string("language"), jv_string("en-US"));
	o = jv_object_set(o, jv_string("category"), jv_array());
	o = jv_object_set(o, jv_string("headline"), jv_string(""));
	o = jv_object_set(o, jv_string("description"), jv_string(""));
	o = jv_object_set(o, jv_string("area"), jv_array());

	for (const xmlNode *c = el->children; c && jv_is_valid(o); c = c->next) {
		int i;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; info_text[i][0]; i++)
			if (named(c, info_text[i][0]))
				break;
		if (info_text[i][0])
			o = set_text(o, info_text[i][1], c);
		else if (named(c, "category"))
			push(&l, "category", xmlsafe_text(c));
		else if (named(c, "responseType"))
			push(&l, "response_type", xmlsafe_text(c));
		else if (named(c, "eventCode"))
			push(&l, "event_code", value_pair(c));
		else if (named(c, "parameter"))
			push(&l, "parameter", value_pair(c));
		else if (named(c, "resource"))
			push(&l, "resource", resource(c));
		else if (named(c, "area"))
			push(&l, "area", area(c));
		else if (named(c, "effective") || named(c, "onset") || named(c, "expires"))
			o = set_time(o, (const char *)c->name, c, err);
	}
	return set_lists(o, &l);
}

/* The alert's fields, from a schema-valid <alert>. */
static jv alert(const xmlNode *root, int minor, int signed_before, char **err)
{
	struct lists l = {0};
	jv o = jv_object(), infos = jv_array();
	const char *why;
	int sig = 0;

	for (const xmlNode *c = root->children; c && jv_is_valid(o); c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xmlsafe_is(c, DSIG_NS, "Signature")) {
			sig = 1;
		} else if (named(c, "identifier") || named(c, "sender")) {
			jv t = xmlsafe_text(c);
			if ((why = bad_id(jv_string_value(t)))) {
				jv_free(t);
				jv_free(o);
				o = fail(err, "line %ld: %s %s", xmlGetLineNo(c),
					 (const char *)c->name, why);
			} else {
				o = jv_object_set(o, jv_string((const char *)c->name), t);
			}
		} else if (named(c, "sent")) {
			o = set_time(o, "sent", c, err);
		} else if (named(c, "status") || named(c, "scope") || named(c, "source") ||
			   named(c, "restriction") || named(c, "note")) {
			o = set_text(o, (const char *)c->name, c);
		} else if (named(c, "msgType")) {
			o = set_text(o, "msg_type", c);
		} else if (named(c, "addresses") || named(c, "incidents")) {
			jv t = xmlsafe_text(c);
			jv a = quoted_tokens(jv_string_value(t));
			jv_free(t);
			if (jv_array_length(jv_copy(a)) > 0)
				o = jv_object_set(o, jv_string((const char *)c->name), a);
			else
				jv_free(a);
		} else if (named(c, "code")) {
			push(&l, "code", xmlsafe_text(c));
		} else if (named(c, "references")) {
			jv t = xmlsafe_text(c);
			jv r = references(jv_string_value(t), xmlGetLineNo(c), err);
			jv_free(t);
			if (!jv_is_valid(r)) {
				jv_free(o);
				o = r;
			} else {
				o = jv_object_set(o, jv_string("references"), r);
			}
		} else if (named(c, "info")) {
			jv i = info(c, err);
			if (!jv_is_valid(i)) {
				jv_free(o);
				o = i;
			} else {
				infos = jv_array_append(infos, i);
			}
		}
	}
	o = set_lists(o, &l);
	if (!jv_is_valid(o)) {
		jv_free(infos);
		return o;
	}
	o = jv_object_set(o, jv_string("signed"), jv_bool(sig || signed_before));
	o = jv_object_set(o, jv_string("info"), infos);
	o = jv_object_set(o, jv_string("cap_version"), jv_string(minor == 2 ? "1.2" : "1.1"));

	jv scope = jv_object_get(jv_copy(o), jv_string("scope"));
	int is_private = !strcmp(jv_string_value(scope), "Private");
	jv_free(scope);
	if (is_private && !jv_object_has(jv_copy(o), jv_string("addresses"))) {
		jv_free(o);
		return fail(err, "addresses: required when scope is Private");
	}
	return o;
}

/* CAP 1.1's schema has no place for the enveloped signature: drop trailing
 * XML-DSig elements of <alert> before validating. */
static int drop_signatures(xmlNodePtr root)
{
	int n = 0;
	xmlNodePtr c = root->last;
	while (c) {
		xmlNodePtr prev = c->prev;
		if (xmlsafe_is(c, DSIG_NS, "Signature")) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
			n++;
		} else if (c->type == XML_ELEMENT_NODE) {
			break;
		}
		c = prev;
	}
	return n;
}

/* The first reference to an entity left unexpanded (declared only in an
 * external DTD, which is never read), or NULL. The schema validator cannot
 * take such a reference, and the alert's text would silently lose it. */
static const xmlNode *entity_reference(const xmlNode *n)
{
	for (; n; n = n->next) {
		const xmlNode *r;
		if (n->type == XML_ENTITY_REF_NODE)
			return n;
		if (n->type == XML_ELEMENT_NODE && (r = entity_reference(n->children)))
			return r;
	}
	return NULL;
}

jv cap_parse(const char *buf, size_t len, char **err)
{
	struct xmlsafe_errors c = {0};
	xmlSchemaValidCtxtPtr vc;
	xmlNodePtr root;
	const xmlNode *ref;
	int minor, sigs = 0, rc;
	const char *ns;
	char *why = NULL;
	jv out;

	*err = NULL;
	xmlDocPtr doc = xmlsafe_parse(buf, len, &why);
	if (!doc) {
		out = fail(err, "XML: %s", why ? why : "out of memory");
		free(why);
		return out;
	}
	root = xmlDocGetRootElement(doc);
	ns = root && root->ns ? (const char *)root->ns->href : "";
	if (!root || strcmp((const char *)root->name, "alert")) {
		out = fail(err, "not a CAP alert: the root element is '%s'",
			   root ? (const char *)root->name : "");
		goto out;
	}
	if (!strcmp(ns, CAP_NS_12)) {
		minor = 2;
	} else if (!strcmp(ns, CAP_NS_11)) {
		minor = 1;
	} else if (!strcmp(ns, "http://www.incident.com/cap/1.0")) {
		out = fail(err, "CAP 1.0 is not supported (namespace '%s')", ns);
		goto out;
	} else {
		out = fail(err, "not a CAP alert: <alert> in namespace '%s', want '%s'", ns,
			   CAP_NS_12);
		goto out;
	}
	if ((ref = entity_reference(root))) {
		out = fail(err,
			   "line %ld: reference to entity '%s', which is not declared "
			   "(external DTDs are not read)",
			   xmlGetLineNo(ref->parent), (const char *)ref->name);
		goto out;
	}
	if (!(vc = validator(minor, err))) {
		out = jv_invalid();
		goto out;
	}
	if (minor == 1)
		sigs = drop_signatures(root);
	c.strip_ns = ns;
	xmlSchemaSetValidStructuredErrors(vc, xmlsafe_collect, &c);
	rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaSetValidStructuredErrors(vc, NULL, NULL);
	if (rc != 0) {
		why = xmlsafe_errors_message(&c, "not valid");
		out = fail(err, "CAP 1.%d schema: %s", minor, why ? why : "not valid");
		free(why);
		goto out;
	}
	out = alert(root, minor, sigs > 0, err);
out:
	xmlFreeDoc(doc);
	return out;
}
