/*
 * reply.h: the text of a reply to the bureau that sent a message, in its
 * language (ar, en, fr or es), from a template: their reference and ours,
 * the officer's own text, and the results of the checks made for the
 * message as the requesting country may see them.
 *
 * A template is text: its first line the subject, then an empty line, then
 * the body. {their_ref}, {their_subject}, {our_ref}, {results}, {text} and
 * {site} are replaced; "{{" is a "{". The shipped ones are "results" (the
 * checks' results) and "received" (an acknowledgement, the results to
 * follow), in each language; a file NAME.LANG in the template folder
 * (ccc-reply --templates, else $XDG_CONFIG_HOME/ccc/reply) takes the place
 * of the shipped one of that name and language.
 *
 * A hit the requester may not see ({"restricted": true, "owner": CC}) is
 * written only as "a record held by NCB CC matches; contact them", whatever
 * else the hit holds: nothing of the record reaches the reply.
 */
#ifndef CCC_REPLY_H
#define CCC_REPLY_H

#include <stddef.h>

#include <jv.h>

/* The reply's language for a message's: ar, en, fr or es (en for any other). */
const char *reply_language(const char *lang);

/* The shipped template NAME in lang, or NULL when there is none. */
const char *reply_shipped_template(const char *name, const char *lang);

/* 1 when name may name a template: letters, digits, '-' and '_', at most 64. */
int reply_template_name_ok(const char *name);

struct reply_fields {
	const char *their_ref;     /* their external_id, else our message id */
	const char *their_subject; /* their subject ("" when none) */
	const char *our_ref;       /* our message id */
	const char *text;          /* the officer's own words, or NULL */
	const char *site;          /* the site that answers */
	jv checks;                 /* the checks, as the requester may see them */
};

/*
 * The reply made from template tpl in lang: *subject and *body (malloc'd),
 * and *discloses 1 when a check of a person or a document found a record
 * (a reply that must be reviewed by a second officer before it is sent).
 * 0, or -1 with a reason in err for a template without a subject line or
 * with an unknown {field}.
 */
int reply_compose(const char *tpl, const char *lang, const struct reply_fields *f, char **subject,
		  char **body, int *discloses, char *err, size_t errlen);

#endif
