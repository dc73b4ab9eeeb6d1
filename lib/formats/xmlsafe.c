/*
 * xmlsafe.c: parse untrusted XML with libxml2 without letting it reach the
 * network or the file system, and turn its diagnostics into one message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "ccc/xmlsafe.h"

/* No XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE, ever. */
#define XMLSAFE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

/* What one parse carries through libxml2's callbacks (ctxt->_private). */
struct parse_state {
	struct xmlsafe_errors errors;
	int depth;
	int stopped; /* a limit or the entity policy stopped the parser */
	int fatal;   /* errors.first holds a fatal error */
};

/* The external entity loader for the whole process: nothing is loaded. */
static xmlParserInputPtr refuse_load(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	return NULL;
}

static void xmlsafe_init(void)
{
	static int done;
	if (done)
		return;
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_load);
	done = 1;
}

/* Append at most n bytes of s to out[*len], leaving room for the NUL. */
static void append(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len + 1 >= cap)
		return;
	if (n > cap - 1 - *len)
		n = cap - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

/* Write "line N: message" into c->first, without "{strip_ns}", newlines and
 * the trailing period's white space. */
static void record(struct xmlsafe_errors *c, int line, const char *msg)
{
	size_t len = 0, cap = sizeof c->first;
	size_t nsl = c->strip_ns ? strlen(c->strip_ns) : 0;

	c->first[0] = '\0';
	if (line > 0) {
		char pre[32];
		snprintf(pre, sizeof pre, "line %d: ", line);
		append(c->first, cap, &len, pre, strlen(pre));
	}
	for (const char *p = msg; *p;) {
		if (nsl && *p == '{' && !strncmp(p + 1, c->strip_ns, nsl) && p[1 + nsl] == '}') {
			p += nsl + 2;
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			append(c->first, cap, &len, " ", 1);
			p++;
		} else {
			append(c->first, cap, &len, p, 1);
			p++;
		}
	}
	while (len > 0 && c->first[len - 1] == ' ')
		c->first[--len] = '\0';
}

void xmlsafe_collect(void *errors, xmlErrorPtr e)
{
	struct xmlsafe_errors *c = errors;
	if (!e || e->level < XML_ERR_ERROR)
		return;
	if (c->count++ == 0)
		record(c, e->line, e->message ? e->message : "unknown error");
}

char *xmlsafe_errors_message(const struct xmlsafe_errors *c, const char *fallback)
{
	char *s;
	if (c->count == 0)
		return strdup(fallback);
	if (c->count == 1)
		return strdup(c->first);
	if (asprintf(&s, "%s (and %d more error%s)", c->first, c->count - 1,
		     c->count == 2 ? "" : "s") < 0)
		return NULL;
	return s;
}

static struct parse_state *state_of(void *ctx)
{
	return ((xmlParserCtxtPtr)ctx)->_private;
}

/* Keep the first fatal error, else the first error. */
static void on_error(struct parse_state *st, xmlErrorPtr e)
{
	if (!e || e->level < XML_ERR_ERROR)
		return;
	if (st->errors.count++ == 0 || (e->level == XML_ERR_FATAL && !st->fatal))
		record(&st->errors, e->line, e->message ? e->message : "unknown error");
	if (e->level == XML_ERR_FATAL)
		st->fatal = 1;
}

static void on_parser_error(void *ctx, xmlErrorPtr e)
{
	on_error(state_of(ctx), e);
}

static void on_other_error(void *st, xmlErrorPtr e)
{
	on_error(st, e);
}

/* Stop the parser with a reason of our own. */
static void refuse(xmlParserCtxtPtr ctxt, const char *fmt, const char *name)
{
	struct parse_state *st = state_of(ctxt);
	if (!st->stopped) {
		char msg[300];
		snprintf(msg, sizeof msg, fmt, name);
		record(&st->errors, xmlSAX2GetLineNumber(ctxt), msg);
		st->errors.count++;
		st->fatal = 1;
		st->stopped = 1;
	}
	xmlStopParser(ctxt);
}

static void refuse_entity(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
			  const xmlChar *system_id, xmlChar *content)
{
	refuse(ctx, "entity '%s' declared in the DOCTYPE: entity declarations are refused",
	       (const char *)name);
}

static void refuse_unparsed_entity(void *ctx, const xmlChar *name, const xmlChar *public_id,
				   const xmlChar *system_id, const xmlChar *notation)
{
	refuse(ctx, "entity '%s' declared in the DOCTYPE: entity declarations are refused",
	       (const char *)name);
}

static void start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
			  const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
			  int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct parse_state *st = state_of(ctx);
	if (++st->depth > XMLSAFE_MAX_DEPTH) {
		char lim[16];
		snprintf(lim, sizeof lim, "%d", XMLSAFE_MAX_DEPTH);
		refuse(ctx, "elements nested deeper than %s", lim);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
			      nb_defaulted, attributes);
}

static void end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
			const xmlChar *uri)
{
	state_of(ctx)->depth--;
	xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

xmlDocPtr xmlsafe_parse(const char *buf, size_t len, char **err)
{
	struct parse_state st = {.errors = {0}};
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	xmlStructuredErrorFunc saved_fn;
	void *saved_ctx;

	if (err)
		*err = NULL;
	xmlsafe_init();
	if (len > XMLSAFE_MAX_BYTES) {
		if (err && asprintf(err, "document of %zu bytes is larger than the %u MiB limit",
				    len, XMLSAFE_MAX_BYTES >> 20) < 0)
			*err = NULL;
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		if (err)
			*err = strdup("out of memory");
		return NULL;
	}
	ctxt->_private = &st;
	ctxt->sax->serror = on_parser_error;
	ctxt->sax->entityDecl = refuse_entity;
	ctxt->sax->unparsedEntityDecl = refuse_unparsed_entity;
	ctxt->sax->startElementNs = start_element;
	ctxt->sax->endElementNs = end_element;

	/* Errors raised without a parser context (encoding conversion, I/O)
	 * go to the thread's structured handler: borrow it for this parse. */
	saved_fn = xmlStructuredError;
	saved_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(&st, on_other_error);
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, XMLSAFE_OPTIONS);
	xmlSetStructuredErrorFunc(saved_ctx, saved_fn);

	if (doc && (st.stopped || !ctxt->wellFormed || st.fatal)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (!doc && err)
		*err = xmlsafe_errors_message(&st.errors, "not well-formed XML");
	xmlFreeParserCtxt(ctxt);
	return doc;
}

static int xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s[0..n) without leading and trailing XML white space, as a jv string. */
static jv trimmed(const char *s, size_t n)
{
	const char *e = s + n;
	while (s < e && xml_space(*s))
		s++;
	while (e > s && xml_space(e[-1]))
		e--;
	return jv_string_sized(s, (int)(e - s));
}

jv xmlsafe_text(const xmlNode *el)
{
	const xmlNode *c, *only = NULL;
	int n = 0;

	for (c = el->children; c; c = c->next)
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			only = c;
			n++;
		}
	if (n == 0)
		return jv_string("");
	if (n == 1) /* the common case: no copy before the jv string */
		return trimmed((const char *)only->content, strlen((const char *)only->content));
	/* Text split by comments or processing instructions. */
	jv all = jv_string("");
	for (c = el->children; c; c = c->next)
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			all = jv_string_append_str(all, (const char *)c->content);
	jv t = trimmed(jv_string_value(all), (size_t)jv_string_length_bytes(jv_copy(all)));
	jv_free(all);
	return t;
}

int xmlsafe_is(const xmlNode *n, const char *ns, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name))
		return 0;
	if (!ns)
		return n->ns == NULL;
	return n->ns && n->ns->href && !strcmp((const char *)n->ns->href, ns);
}
