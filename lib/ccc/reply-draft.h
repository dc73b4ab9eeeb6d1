/*
 * reply-draft.h: drafting a reply to a stored message (ccc-reply draft):
 * the requesting country, the language, the template, the checks made
 * again as that country may see them, the text, the address and the
 * threading, stored as a draft (reply-store.h).
 */
#ifndef CCC_REPLY_DRAFT_H
#define CCC_REPLY_DRAFT_H

#include <jv.h>

#include "ccc/refdb.h"
#include "ccc/store.h"

struct reply_draft_opts {
	const char *template_name; /* "results", "received", or one of your own */
	const char *templates;     /* the folder of NAME.LANG files; NULL: the default */
	const char *text;          /* the officer's own words, or NULL */
	const char *requester;     /* the requesting country; NULL: origin_country */
	const char *to;            /* the address; NULL: the e-mail's sender */
};

/*
 * Draft a reply to message msg_id inside the caller's transaction; *out
 * gets the stored reply. ctx holds the name matcher for the checks (opened
 * on first use; the caller closes it). 0, or an exit status: 64 (no
 * requesting country, no such template), 65 (a malformed template), 66 (no
 * such message), or another.
 */
int reply_draft(struct store *s, struct refdb_ctx *ctx, const char *msg_id,
		const struct reply_draft_opts *o, jv *out);

#endif
