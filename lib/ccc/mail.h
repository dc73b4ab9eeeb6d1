/*
 * mail.h: an RFC 5322 / MIME e-mail read into the fields of a `message`
 * record. Pure parsing: no I/O, no store.
 */
#ifndef CCC_MAIL_H
#define CCC_MAIL_H

#include <stddef.h>

#include <jv.h>

#include "ccc/mbox.h" /* mbox_split, for callers that read mbox files */

#define MAIL_MAX_DEPTH 20 /* multipart nesting followed; a deeper message is refused */

/*
 * Parse one message buf[0..len) (CRLF or LF line endings; a leading mbox
 * "From " line is skipped) into a jv object, fields in this order:
 *
 *   from         string, the From header decoded (RFC 2047), as written
 *   to, cc       arrays of strings, one per address (cc only when present)
 *   sent_at      Date as RFC 3339 UTC ("…Z"); absent when missing or not understood
 *   subject      decoded; absent when there is no Subject header
 *   external_id  Message-ID without its angle brackets; absent when missing
 *   refs         array: the ids of In-Reply-To, then of References, de-duplicated
 *   language     ISO 639-1, only when a Content-Language header gives one
 *   body         text: the text/plain part, else text/html reduced to text
 *   attachments  array of {name (string or null), type, size, sha256} for every
 *                other part, size and digest over the decoded bytes
 *   warnings     array of strings, only when something was repaired or guessed
 *
 * Every string is valid UTF-8. Returns jv_invalid() when buf is not an e-mail
 * (no header block), or when a multipart is nested deeper than MAIL_MAX_DEPTH
 * (its inner parts would be lost), with a malloc'd reason in *err (the caller
 * frees it); otherwise a best-effort result, even for broken MIME.
 */
jv mail_parse(const char *buf, size_t len, char **err);

/* 1 when buf begins like an e-mail: an mbox "From " line, or a header block
 * whose first line is a header field and which holds a header every message
 * has (From, To, Date, Subject, Message-ID, Received, …). */
int mail_looks_like(const char *buf, size_t len);

#endif
