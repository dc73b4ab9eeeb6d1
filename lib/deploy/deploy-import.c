/*
 * deploy-import.c: a roster read from NDJSON or CSV into the store.
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/csv.h"
#include "ccc/deploy-import.h"
#include "ccc/deploy-roster.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"

static int on_staff_record(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	char reason[512];
	int changed, rc;
	(void)ctx;
	rec = deploy_staff_normalize(rec, reason, sizeof reason);
	if (!jv_is_valid(rec))
		return stream_reject(st, ln, reason);
	if ((rc = deploy_staff_put(stream_store(st), jv_copy(rec), 0, &changed))) {
		jv_free(rec);
		return rc;
	}
	stream_emit(st, rec);
	return 0;
}

static int is_csv(const char *head, size_t n, void *ctx)
{
	enum deploy_input how = *(const enum deploy_input *)ctx;
	size_t i = n >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3) ? 3 : 0;
	if (how != DEPLOY_INPUT_AUTO)
		return how == DEPLOY_INPUT_CSV;
	while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	return i < n && head[i] != '{';
}

/* 1 when the header row (not consumed) names an id column. */
static int has_id(jv header)
{
	int found = 0;
	jv_array_foreach (header, i, h) {
		found |= jv_get_kind(h) == JV_KIND_STRING && !strcmp(jv_string_value(h), "id");
		jv_free(h);
	}
	return found;
}

/* One CSV row (consumed) under header (not consumed), as a record. */
static int csv_row(struct stream *st, jv header, jv fields, const struct ndjson_line *ln)
{
	jv rec = csv_header_record(jv_copy(header), fields);
	if (jv_is_valid(rec))
		return stream_record(st, rec, ln);
	jv msg = jv_invalid_get_msg(rec);
	int rc = stream_reject(
	    st, ln, jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "bad CSV record");
	jv_free(msg);
	return rc;
}

/* A roster in CSV: a header row naming the columns, then one member a row. */
static int on_staff_csv(struct stream *st, const struct ndjson_line *doc, void *ctx)
{
	struct csv_reader *cr = csv_open(doc->text, doc->len);
	jv header = jv_invalid(), fields;
	size_t line;
	char *err = NULL;
	int k, rc = 0;
	(void)ctx;
	if (!cr)
		abort();
	while (!rc && (k = csv_next(cr, &fields, &line, &err)) != 0) {
		struct ndjson_line ln = *doc;
		ln.lineno = line;
		if (k < 0) {
			rc = stream_reject(st, &ln, err ? err : "bad CSV record");
			free(err);
			err = NULL;
			if (!jv_is_valid(header))
				break;
		} else if (jv_is_valid(header)) {
			rc = csv_row(st, header, fields, &ln);
		} else {
			header = fields;
			if (!has_id(header)) {
				rc = stream_reject(
				    st, &ln,
				    "the CSV header names no 'id' column (columns: id, name, "
				    "site, languages, skills, trainings, passport_expires, "
				    "unavailable)");
				break;
			}
		}
	}
	jv_free(header);
	csv_close(cr);
	return rc;
}

int deploy_staff_import(struct store *s, struct stream_config sc, enum deploy_input how,
			char **files, int nfiles)
{
	sc.record = on_staff_record;
	sc.is_document = is_csv;
	sc.document = on_staff_csv;
	sc.ctx = &how;
	return stream_run(s, &sc, files, nfiles);
}
