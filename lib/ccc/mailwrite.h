/*
 * mailwrite.h: an RFC 5322 e-mail written from UTF-8 text, for replies to
 * the bureaus: headers in RFC 2047 encoded words where they are not ASCII,
 * the body in 7bit, quoted-printable or base64 (whichever the text needs),
 * threaded under the message it answers (In-Reply-To, References).
 *
 * What it is given is hostile (a subject or an address taken from a
 * bureau's e-mail): no value can add a header or a line of its own, and an
 * address that is not a plain addr-spec is refused. Lines end in LF, as
 * sendmail -t and local delivery expect; a gateway that speaks SMTP turns
 * them into CRLF.
 */
#ifndef CCC_MAILWRITE_H
#define CCC_MAILWRITE_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/json.h"

struct mail_out {
	const char *from;        /* "Display Name <addr>" or "addr" */
	const char *to;          /* the same */
	const char *subject;     /* UTF-8 */
	const char *message_id;  /* without angle brackets */
	const char *in_reply_to; /* without angle brackets; NULL: a new thread */
	jv references;           /* array of ids (strings) before in_reply_to, or null */
	const char *language;    /* Content-Language (ISO 639-1), or NULL */
	time_t date;
	const char *body; /* UTF-8 text, LF line ends */
};

/*
 * Append the e-mail to out. Returns 0, or -1 with a reason in err (errlen
 * bytes) when an address or an id is not one an e-mail may carry.
 */
int mail_write(struct buf *out, const struct mail_out *m, char *err, size_t errlen);

/* The address inside s ("Name <a@b>" or "a@b") into addr (n bytes): 0, or
 * -1 when it is not a plain addr-spec (printable ASCII, one @, no spaces,
 * no <>,;:"\ ). */
int mail_addr_spec(const char *s, char *addr, size_t n);

#endif
