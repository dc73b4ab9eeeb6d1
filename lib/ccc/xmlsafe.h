/*
 * xmlsafe.h: the one entry point through which ccc parses XML it did not
 * write (CAP alerts, RSS and Atom feeds). Nothing else in ccc may call
 * xmlReadMemory, xmlReadFile, xmlParseDoc or their kin on untrusted bytes.
 *
 * What xmlsafe_parse guarantees:
 *  - no network and no file access: XML_PARSE_NONET, no DTD loading, no
 *    entity substitution, no XInclude processing, and a process-wide external
 *    entity loader that refuses every request (installed on first use; it
 *    also covers any other libxml2 use in the process);
 *  - a document that declares an entity (general, parameter or unparsed,
 *    internal or external) in its DOCTYPE is rejected before the declaration
 *    takes effect, which rules out both XXE and entity expansion bombs (the
 *    policy of Python's defusedxml); a DOCTYPE without declarations is fine;
 *  - at most XMLSAFE_MAX_BYTES of input and XMLSAFE_MAX_DEPTH nested elements;
 *  - libxml2's diagnostics are collected into one message with its line
 *    number, never printed to stderr; the process's structured error handler
 *    is restored afterwards.
 *
 * Because no entity is declared, a parsed document holds no entity reference
 * with content, so the text of an element is the concatenation of its text
 * nodes (CDATA sections are merged into text: XML_PARSE_NOCDATA).
 *
 * Not thread-safe across threads sharing a document; ccc programs are
 * single-threaded.
 */
#ifndef CCC_XMLSAFE_H
#define CCC_XMLSAFE_H

#include <stddef.h>

#include <jv.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#define XMLSAFE_MAX_BYTES (16u << 20) /* 16 MiB */
#define XMLSAFE_MAX_DEPTH 128

/*
 * Parse len bytes of XML (any encoding libxml2 knows, told by a BOM or the
 * XML declaration; the tree is UTF-8). Returns the document, which the caller
 * frees with xmlFreeDoc, or NULL with a malloc'd "line N: reason" message in
 * *err (when err is not NULL).
 */
xmlDocPtr xmlsafe_parse(const char *buf, size_t len, char **err);

/*
 * A collector of libxml2 structured errors, for other libxml2 stages that run
 * on a parsed document (schema validation): pass xmlsafe_collect as the
 * xmlStructuredErrorFunc and the collector as its context. Only errors count,
 * warnings are dropped. strip_ns, when not NULL, is a namespace name whose
 * "{ns}" prefix is removed from element names in messages.
 */
struct xmlsafe_errors {
	int count;
	const char *strip_ns;
	char first[768]; /* "line N: reason" of the first error */
};

void xmlsafe_collect(void *errors, xmlErrorPtr e);
/* The collected message as a malloc'd string ("line N: reason (and K more
 * errors)"), or fallback when nothing was collected. */
char *xmlsafe_errors_message(const struct xmlsafe_errors *c, const char *fallback);

/* The text of element el: its text and CDATA children, concatenated, with
 * leading and trailing XML white space removed, as a jv string. */
jv xmlsafe_text(const xmlNode *el);

/* 1 when node n is an element in namespace ns (NULL: no namespace) named name. */
int xmlsafe_is(const xmlNode *n, const char *ns, const char *name);

#endif
