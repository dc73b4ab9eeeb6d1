/*
 * notice-acts.c: ccc-notice's changes, each in a transaction of its own.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/notice-acts.h"
#include "ccc/notice-read.h"
#include "ccc/notice.h"

int notice_draft_one(struct store *s, jv fields, jv *out)
{
	int64_t seq;
	int rc = store_begin(s);
	if (rc) {
		jv_free(fields);
		return rc;
	}
	if ((rc = notice_draft(s, fields, out))) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, &seq)))
		jv_free(*out);
	return rc;
}

int notice_draft_record(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	char why[256];
	jv out;
	int rc;
	if (notice_kind_by_name(jv_get_str(rec, "kind")) < 0) {
		snprintf(why, sizeof why, "field 'kind': %s",
			 jv_get_str(rec, "kind") ? "not a kind of notice" : "missing");
		jv_free(rec);
		return stream_reject(st, ln, why);
	}
	if ((rc = notice_draft(stream_store(st), rec, &out)))
		return rc;
	stream_emit(st, out);
	return 0;
}

int notice_act_one(struct store *s, struct refdb_ctx *c, const char *id, const char *action,
		   const struct notice_change *ch, jv *out, int quiet)
{
	struct rerun again;
	int64_t seq;
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = notice_act(s, c, id, action, ch, out, &again);
	if (rc || again.done) {
		store_rollback(s);
		if (rc)
			return rc;
		if (!quiet)
			warnx("%s", again.why);
	} else if ((rc = store_commit(s, &seq))) {
		jv_free(*out);
		return rc;
	}
	if (!strcmp(action, "review")) {
		jv r = jv_object_get(jv_copy(*out), jv_string("review"));
		const char *outcome = jv_get_str(r, "outcome");
		rc = outcome && strcmp(outcome, "draft") != 0 ? 0 : CCC_EX_NEGATIVE;
		if (rc)
			notice_review_warn(jv_get_str(*out, "id"), r);
		jv_free(r);
	}
	return rc;
}

int notice_expire_all(struct store *s, struct refdb_ctx *c, jv *out)
{
	int64_t seq;
	int rc = store_begin(s);
	if (rc)
		return rc;
	if ((rc = notice_expire(s, c, out))) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, &seq)))
		jv_free(*out);
	return rc;
}
