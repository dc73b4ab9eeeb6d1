/*
 * notice-read.c: what a reader may see of the notices, and the exports.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "ccc/exit.h"
#include "ccc/notice-export.h"
#include "ccc/notice-read.h"
#include "ccc/notice.h"
#include "ccc/out.h"
#include "ccc/table.h"

/* A notice named by the reader: refused (77) when it may not read it. */
int notice_read_check(struct store *s, const struct notice_reader *who, const char *cmd, jv rec)
{
	if (notice_readable(s, rec, who))
		return 0;
	if (who->ncb)
		warnx("%s: notice '%s' was not sent to %s", cmd, jv_get_str(rec, "id"), who->ncb);
	else
		warnx("%s: notice '%s' is sent only to the countries it names: give the reading "
		      "country with --ncb CC (or --all, the operations room)",
		      cmd, jv_get_str(rec, "id"));
	return CCC_EX_NOPERM;
}

/* Keep of list (consumed) what the reader may read; a count of the rest on
 * stderr when it named no country. */
jv notice_read_only(struct store *s, const struct notice_reader *who, const char *cmd, jv list,
		    long hidden, int quiet)
{
	jv kept = jv_array();
	jv_array_foreach (list, i, rec) {
		if (notice_readable(s, rec, who))
			kept = jv_array_append(kept, rec);
		else {
			hidden++;
			jv_free(rec);
		}
	}
	jv_free(list);
	if (hidden && !who->ncb && !quiet)
		warnx("%s: %ld notices sent only to the countries they name are left out (give "
		      "the reading country with --ncb CC)",
		      cmd, hidden);
	return kept;
}

/* export --format cap ID: the notice's latest CAP message. */
int notice_export_cap(struct store *s, const struct notice_reader *who, const char *id,
		      const char *sender)
{
	char why[512];
	struct buf b = {0};
	jv rec;
	int rc;
	if ((rc = notice_get(s, id, &rec)))
		return rc;
	if ((rc = notice_read_check(s, who, "export", rec))) {
		jv_free(rec);
		return rc;
	}
	rc = notice_cap(rec, sender, &b, why, sizeof why);
	jv_free(rec);
	if (rc) {
		warnx("export: %s", why);
		buf_free(&b);
		return CCC_EX_DATAERR;
	}
	out_write(b.p, b.len);
	buf_free(&b);
	return 0;
}

/* export --format public [ID...]: the public extracts, of the notices named or
 * of every published one that has one. */
int notice_export_public(struct store *s, const struct notice_reader *who, char **ids, int nids)
{
	char why[512];
	int rc = 0;
	jv list;
	if (nids == 0) {
		if ((rc = notice_list(s, "published", &list)))
			return rc;
		/* only public notices have an extract: every reader reads them */
	} else {
		list = jv_array();
		for (int i = 0; i < nids; i++) {
			jv rec;
			int r = notice_get(s, ids[i], &rec);
			if (!r && (r = notice_read_check(s, who, "export", rec)))
				jv_free(rec);
			if (r) {
				rc = rc ? rc : r;
				continue;
			}
			list = jv_array_append(list, rec);
		}
	}
	jv_array_foreach (list, i, rec) {
		jv x = notice_public_extract(rec, why, sizeof why);
		if (jv_is_valid(x))
			out_jv(x);
		else if (nids) {
			jv_free(x);
			warnx("export: %s", why);
			rc = rc ? rc : CCC_EX_DATAERR;
		} else {
			jv_free(x); /* not public: not listed */
		}
		jv_free(rec);
	}
	jv_free(list);
	return rc;
}

/* Why a review left a notice a draft, on stderr: each problem, and an
 * Article 3 hit that waits for --decision (review is the record's "review"). */
void notice_review_warn(const char *id, jv review)
{
	jv problems = jv_object_get(jv_copy(review), jv_string("problems"));
	jv art = jv_object_get(jv_copy(review), jv_string("article3"));
	jv hits = jv_object_get(jv_copy(art), jv_string("hits"));
	if (!id)
		id = "?";
	if (jv_get_kind(problems) == JV_KIND_ARRAY) {
		jv_array_foreach (problems, i, p) {
			if (jv_get_kind(p) == JV_KIND_STRING)
				warnx("review: '%s' stays a draft: %s", id, jv_string_value(p));
			jv_free(p);
		}
	}
	if (jv_get_kind(hits) == JV_KIND_ARRAY) {
		jv_array_foreach (hits, i, h) {
			warnx("review: '%s' stays a draft: field '%s' has '%s' (%s): Article 3 "
			      "asks for --decision compliant or refused",
			      id, jv_get_str(h, "field") ? jv_get_str(h, "field") : "?",
			      jv_get_str(h, "term") ? jv_get_str(h, "term") : "?",
			      jv_get_str(h, "category") ? jv_get_str(h, "category") : "?");
			jv_free(h);
		}
	}
	jv_free(hits);
	jv_free(art);
	jv_free(problems);
}

void notice_print_fields(jv rec)
{
	table_free(table_fields(rec, NULL));
	jv_free(rec);
}
