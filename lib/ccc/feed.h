/*
 * feed.h: news feeds (RSS 2.0 and 0.9x, RSS 1.0/RDF, Atom 1.0) read item by
 * item into jv objects, and a sniffer that tells a feed from a CAP alert.
 *
 * Documents are parsed by xmlsafe (no network, no files, no entities).
 */
#ifndef CCC_FEED_H
#define CCC_FEED_H

#include <stddef.h>

#include <jv.h>

#include "ccc/clock.h"

/* What feed_sniff finds. */
enum feed_kind {
	FEED_NONE = 0, /* not XML, or XML of another kind */
	FEED_RSS,      /* <rss> (0.9x, 2.0), or <rdf:RDF> (RSS 0.90, 1.0) */
	FEED_ATOM,     /* <feed> in the Atom 1.0 namespace */
	FEED_CAP,      /* <alert> in a CAP namespace (urn:oasis:names:tc:emergency:cap:*) */
};

/*
 * Which kind of document buf holds, from its root element's name and
 * namespace only: skips a byte order mark (UTF-8, UTF-16), the XML
 * declaration, comments, processing instructions and a DOCTYPE, and reads no
 * further than the root start tag. No allocation, no parse.
 */
enum feed_kind feed_sniff(const char *buf, size_t len);

/*
 * Parse a feed and call cb once per item (<item>, <entry>), in document
 * order, with a jv object that cb owns (and must jv_free):
 *   "external_id"  guid / rdf:about / atom:id; else link; else
 *                  "sha256:" + hex SHA-256 of subject "\n" sent_at
 *   "subject"      title, as text ("" when absent)
 *   "body"         content:encoded or description (RSS), content or summary
 *                  (Atom): HTML reduced to text, entities decoded, white space
 *                  collapsed, block elements as line breaks ("" when absent)
 *   "sent_at"?     pubDate (RFC 822) or dc:date (RSS), published or updated
 *                  (Atom), as RFC 3339 UTC; absent when missing or unreadable
 *   "link"?        link (RSS), <link rel="alternate" href> (Atom, resolved
 *                  against xml:base)
 *   "author"?      author or dc:creator (RSS), author/name of the entry or
 *                  else of the feed (Atom)
 *   "language"?    ISO 639-1 code from the channel's <language>/dc:language,
 *                  else the nearest xml:lang: the primary subtag lowercased,
 *                  given only when it is two letters
 *   "feed"         {"title", "link" ("" when absent), "format": "rss"|"rdf"|"atom"}
 * If cb returns nonzero, parsing stops and feed_parse returns that value.
 * Returns 0 after the last item, or -1 with a malloc'd reason in *err when
 * the document is not well-formed, not safe (see xmlsafe.h) or not a feed.
 */
int feed_parse(const char *buf, size_t len, int (*cb)(jv item, void *ctx), void *ctx, char **err);

/*
 * A feed date as RFC 3339 UTC into out: RFC 822/2822 dates ("Sat, 07 Sep
 * 2002 09:42:31 GMT", "7 Sep 02 09:42 -0300", named US zones, military
 * zones as UTC), and RFC 3339 / W3C-DTF ("2002-09-07T09:42:31+02:00",
 * "2002-09-07T09:42Z", "2002-09-07"). Returns 0, or -1 if s is neither.
 */
int feed_date(const char *s, char out[RFC3339_LEN]);

/*
 * HTML text (a fragment, as feeds carry in description and content) reduced
 * to plain UTF-8 text: tags, comments, script and style dropped, character
 * references and HTML 4 named entities decoded, runs of white space made one
 * space, block elements and <br> made one line break, ends trimmed.
 * Returns a jv string.
 */
jv feed_html_text(const char *html, size_t len);

#endif
