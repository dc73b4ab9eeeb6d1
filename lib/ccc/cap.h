/*
 * cap.h: Common Alerting Protocol alerts (OASIS CAP 1.2, and CAP 1.1) read
 * into jv objects.
 *
 * An alert is parsed by xmlsafe (no network, no files, no entities), then
 * validated against the OASIS schema of its namespace, embedded in the
 * library (cap-schema.c), then checked against the rules of the CAP 1.2
 * specification that the schema cannot express:
 *   - identifier and sender are not empty and hold no white space, comma,
 *     '<' or '&' (section 3.2.1);
 *   - references, when present, is one or more whitespace-separated
 *     "sender,identifier,sent" triples with a valid sent time;
 *   - addresses is given when scope is Private.
 * Geometry (polygon, circle) is passed through as text, not checked.
 *
 * CAP 1.1 (urn:oasis:names:tc:emergency:cap:1.1) is accepted and validated
 * against the CAP 1.1 schema. CAP 1.1 provides for an enveloped XML-DSig
 * signature in <alert> but its schema has no place for one (the 1.2 schema
 * ends <alert> with an <any> for it), so <Signature> elements in the XML-DSig
 * namespace at the end of a 1.1 <alert> are set aside before validation.
 * CAP 1.0 and other documents are rejected.
 *
 * Signatures are NOT verified: "signed" only says a <Signature> element is
 * present. Verify with xmlsec1 where authenticity matters.
 *
 * The schemas are compiled on first use and kept for the life of the process
 * (cap_cleanup releases them). Not thread-safe.
 */
#ifndef CCC_CAP_H
#define CCC_CAP_H

#include <stddef.h>

#include <jv.h>

#define CAP_NS_12 "urn:oasis:names:tc:emergency:cap:1.2"
#define CAP_NS_11 "urn:oasis:names:tc:emergency:cap:1.1"

/*
 * Parse and validate one alert of len bytes. Returns a jv object:
 *   {"cap_version": "1.2"|"1.1", "identifier", "sender", "sent", "status",
 *    "msg_type", "source"?, "scope", "restriction"?, "addresses"?: [str],
 *    "code"?: [str], "note"?, "references"?: [{"sender","identifier","sent"}],
 *    "incidents"?: [str], "signed": bool,
 *    "info": [{"language" (default "en-US"), "category": [str], "event",
 *              "response_type"?: [str], "urgency", "severity", "certainty",
 *              "audience"?, "event_code"?: [{"value_name","value"}],
 *              "effective"?, "onset"?, "expires"?, "sender_name"?,
 *              "headline", "description" ("" when absent), "instruction"?,
 *              "web"?, "contact"?, "parameter"?: [{"value_name","value"}],
 *              "resource"?: [{"resource_desc","mime_type","size"?,"uri"?,
 *                             "digest"?}],
 *              "area": [{"area_desc", "polygon"?: [str], "circle"?: [str],
 *                        "geocode"?: [{"value_name","value"}],
 *                        "altitude"?: num, "ceiling"?: num}]}]}
 * Times are RFC 3339 UTC ("2003-06-17T21:57:00Z"). Text is UTF-8 whatever
 * the document's encoding; "?" fields are absent when the alert has no or an
 * empty element. derefUri (inline base64 content) is left out.
 * On failure returns jv_invalid() and a malloc'd reason in *err, e.g.
 * "CAP 1.2 schema: line 9: Element 'info': This element is not expected. ...".
 */
jv cap_parse(const char *buf, size_t len, char **err);

/* Release the compiled schemas. */
void cap_cleanup(void);

/* cap-schema.c */

/* The embedded OASIS schema for CAP 1.minor (1 or 2), byte for byte the
 * distributed .xsd file, as a malloc'd string; NULL for another minor. */
char *cap_schema_text(int minor);

#endif
