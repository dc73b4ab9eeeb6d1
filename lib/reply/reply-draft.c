/*
 * reply-draft.c: a reply to a message, drafted in the store (see reply-draft.h).
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/checks.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/mailwrite.h"
#include "ccc/notice.h"
#include "ccc/queue.h"
#include "ccc/reply-draft.h"
#include "ccc/reply-store.h"
#include "ccc/reply.h"
#include "ccc/utf8.h"

#define TEMPLATE_MAX (64 * 1024)

/* The text of template NAME in lang: the file NAME.LANG in the folder, else
 * the shipped one. NULL (warned) when there is neither or the file is bad. */
static char *template_text(const struct reply_draft_opts *o, const char *lang, int *rc)
{
	char *dir = NULL, path[4096];
	if (o->templates)
		dir = strdup(o->templates);
	else if (getenv("XDG_CONFIG_HOME") && *getenv("XDG_CONFIG_HOME"))
		(void)!asprintf(&dir, "%s/ccc/reply", getenv("XDG_CONFIG_HOME"));
	else if (getenv("HOME"))
		(void)!asprintf(&dir, "%s/.config/ccc/reply", getenv("HOME"));
	snprintf(path, sizeof path, "%s/%s.%s", dir ? dir : ".", o->template_name, lang);
	free(dir);
	FILE *f = fopen(path, "r");
	*rc = 0;
	if (!f) {
		const char *t = reply_shipped_template(o->template_name, lang);
		if (t)
			return strdup(t);
		warnx("draft: there is no template '%s' for %s (no file '%s')", o->template_name,
		      lang, path);
		*rc = CCC_EX_USAGE;
		return NULL;
	}
	char *text = malloc(TEMPLATE_MAX + 1);
	size_t n = text ? fread(text, 1, TEMPLATE_MAX + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	if (!text || bad || n > TEMPLATE_MAX || !utf8_valid(text, n) || memchr(text, 0, n)) {
		warnx("draft: template '%s': %s", path,
		      !text              ? "out of memory"
		      : bad              ? strerror(errno)
		      : n > TEMPLATE_MAX ? "larger than 64 KiB"
					 : "not UTF-8 text");
		free(text);
		*rc = CCC_EX_DATAERR;
		return NULL;
	}
	text[n] = '\0';
	return text;
}

/* Where the reply goes: --to, else the address the e-mail came from. */
static const char *reply_address(const struct reply_draft_opts *o, jv msg)
{
	char addr[256];
	const char *from = jv_get_str(msg, "from");
	if (o->to)
		return o->to;
	return from && mail_addr_spec(from, addr, sizeof addr) == 0 ? from : NULL;
}

int reply_draft(struct store *s, struct refdb_ctx *ctx, const char *msg_id,
		const struct reply_draft_opts *o, jv *out)
{
	int64_t n;
	jv msg;
	int rc = queue_message(s, msg_id, &n, &msg, 0);
	if (rc)
		return rc;
	const char *id = jv_get_str(msg, "id"), *req = o->requester;
	if (!req)
		req = jv_get_str(msg, "origin_country");
	if (!req || !notice_country_known(req)) {
		warnx("draft: message '%s' %s: give the requesting country with --for CC", id,
		      req ? "names an origin_country that is no country code"
			  : "names no origin_country");
		jv_free(msg);
		return CCC_EX_USAGE;
	}
	const char *lang = reply_language(jv_get_str(msg, "language"));
	char *tpl = template_text(o, lang, &rc);
	if (!tpl) {
		jv_free(msg);
		return rc;
	}
	/* the checks again, as the requesting country may see them now */
	ctx->store = s;
	ctx->ncb = req;
	struct checks k = {.ctx = ctx};
	jv checks = checks_of_message(&k, msg, &rc);
	buf_free(&k.json);
	ctx->ncb = NULL;
	if (rc) {
		free(tpl);
		jv_free(checks);
		jv_free(msg);
		return rc;
	}
	const char *ext = jv_get_str(msg, "external_id"), *subj = jv_get_str(msg, "subject");
	struct reply_fields f = {.their_ref = ext ? ext : id,
				 .their_subject = subj ? subj : "",
				 .our_ref = id,
				 .text = o->text,
				 .site = store_site(s),
				 .checks = checks};
	char *subject, *body, err[256];
	int discloses;
	if (reply_compose(tpl, lang, &f, &subject, &body, &discloses, err, sizeof err) < 0) {
		warnx("draft: template '%s' (%s): %s", o->template_name, lang, err);
		free(tpl);
		jv_free(checks);
		jv_free(msg);
		return CCC_EX_DATAERR;
	}
	free(tpl);
	const char *to = reply_address(o, msg), *source = jv_get_str(msg, "source");
	jv rec =
	    JV_OBJECT(jv_string("message"), jv_string(id), jv_string("requester"), jv_string(req),
		      jv_string("language"), jv_string(lang), jv_string("template"),
		      jv_string(o->template_name), jv_string("to"), to ? jv_string(to) : jv_null(),
		      jv_string("subject"), jv_string(subject), jv_string("body"), jv_string(body),
		      jv_string("discloses"), jv_bool(discloses), jv_string("checks"), checks);
	free(subject);
	free(body);
	/* threaded under the bureau's e-mail */
	if (ext && source && !strncmp(source, "mail:", 5)) {
		rec = jv_object_set(rec, jv_string("in_reply_to"), jv_string(ext));
		jv refs = jv_object_get(jv_copy(msg), jv_string("refs"));
		rec = jv_object_set(rec, jv_string("references"),
				    jv_get_kind(refs) == JV_KIND_ARRAY ? refs : jv_array());
		if (jv_get_kind(refs) != JV_KIND_ARRAY)
			jv_free(refs);
	}
	jv_free(msg);
	return reply_store_draft(s, rec, out);
}
