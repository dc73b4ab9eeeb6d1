/*
 * mime.h: the pieces of MIME (RFC 2045-2047, RFC 2231) that turn the bytes of
 * an e-mail into UTF-8 text: charsets through iconv(3), quoted-printable,
 * lenient base64, encoded words in headers, and header parameters.
 *
 * Everything here appends to a struct buf (ccc/json.h) and always appends
 * valid UTF-8 when it says it does: bad sequences become U+FFFD.
 */
#ifndef CCC_MIME_H
#define CCC_MIME_H

#include <stddef.h>

#include "ccc/json.h"

/*
 * Append s[0..n), written in charset, to out as UTF-8. A missing, empty or
 * ASCII charset means UTF-8 when the bytes are valid UTF-8, else windows-1252
 * (the superset of ISO-8859-1 that senders mean). ISO-8859-1 is read as
 * windows-1252 too (as WHATWG does). Returns 0, or -1 when the charset is
 * unknown: the bytes are then read as UTF-8 if valid, else as ISO-8859-1.
 */
int charset_to_utf8(const char *charset, const char *s, size_t n, struct buf *out);

/* Append s[0..n) to out, replacing each byte that is not part of valid UTF-8
 * by U+FFFD and dropping NUL bytes. */
void utf8_append_sanitized(struct buf *out, const char *s, size_t n);

/* Append the quoted-printable text s[0..n) decoded. q_header selects the "Q"
 * encoding of RFC 2047, where '_' stands for a space. A malformed '=' escape
 * is kept as it is. */
void qp_decode(const char *s, size_t n, int q_header, struct buf *out);

/* Append the base64 text s[0..n) decoded, skipping characters outside the
 * alphabet and stopping at the first '='. Returns 1 when it skipped any
 * character that is not white space, else 0. */
int base64_decode_lenient(const char *s, size_t n, struct buf *out);

/*
 * Append the header value s[0..n) (unfolded) decoded to UTF-8: RFC 2047
 * encoded words ("=?charset?B|Q?text?="), with the white space between two
 * adjacent encoded words dropped and adjacent words in one charset decoded
 * together; other bytes as UTF-8 if valid, else windows-1252. Returns the
 * number of encoded words whose charset iconv does not know.
 */
int rfc2047_decode(const char *s, size_t n, struct buf *out);

/* A structured header value, "token; name=value; …" (Content-Type,
 * Content-Disposition): token lowercased, parameter names lowercased,
 * values with their quotes and backslash escapes removed, still encoded. */
struct mime_param {
	char *name, *value;
};
struct mime_field {
	char *token;
	struct mime_param *param;
	size_t nparam, cap;
};

/* Parse s[0..n) into f (zeroed by the caller, released with mime_field_free). */
void mime_field_parse(const char *s, size_t n, struct mime_field *f);
void mime_field_free(struct mime_field *f);

/*
 * The value of parameter name (lowercase) of f, decoded to UTF-8 in a malloc'd
 * string: RFC 2231 extended values and continuations ("name*=utf-8''%E2%82%AC",
 * "name*0*=…; name*1=…") take precedence over a plain "name=", whose value
 * may hold RFC 2047 encoded words. NULL when f has no such parameter.
 */
char *mime_param_decoded(const struct mime_field *f, const char *name);
/* The raw value of parameter name, or NULL; owned by f. */
const char *mime_param_raw(const struct mime_field *f, const char *name);

#endif
