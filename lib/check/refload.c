/*
 * refload.c: the records of a reference data file for ccc-check load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/csv.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/keypack.h"
#include "ccc/refload.h"
#include "ccc/sanctions.h"

static const char *const format_names[] = {"ndjson", "csv", "un-consolidated", "ofac-sdn"};

int refload_format_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
		if (!strcmp(name, format_names[i]))
			return (int)i;
	return -1;
}

const char *refload_format_name(enum refload_format f)
{
	return format_names[f];
}

struct load_doc {
	struct stream *st;
	const struct ndjson_line *doc;
	enum refdb db;
	int rc;
};

/*
 * A record read from a whole document (a CSV row, an entry of a sanctions
 * list) stands for its own line: a reject keeps the record as read, in JSON,
 * not the document it came from.
 */
static void as_line(struct ndjson_line *ln, jv rec)
{
	static struct buf b;
	b.len = 0;
	if (jv_is_valid(rec))
		json_write(&b, rec);
	ln->text = b.len ? b.p : "";
	ln->len = ln->full_len = b.len;
}

static int on_parsed(jv rec, size_t line, void *ctx)
{
	struct load_doc *d = ctx;
	struct ndjson_line ln = *d->doc;
	ln.lineno = line;
	as_line(&ln, rec);
	if (!jv_is_valid(rec)) {
		jv msg = jv_invalid_get_msg(rec);
		d->rc = stream_reject(d->st, &ln,
				      jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg)
									 : "cannot be read");
		jv_free(msg);
		return d->rc;
	}
	/* Sanctions lists hold individuals, entities, vessels and aircraft: load
	 * what --db asks for (persons: individuals and entities). */
	const char *kind = jv_get_str(rec, "kind");
	int wanted = d->db == REFDB_VESSELS
			 ? kind && !strcmp(kind, "vessel")
			 : kind && (!strcmp(kind, "individual") || !strcmp(kind, "entity"));
	if (!wanted) {
		jv_free(rec);
		return 0;
	}
	/* A vessel's "owner" is its registered owner, not the supplying NCB. */
	jv o = jv_object_get(jv_copy(rec), jv_string("owner"));
	if (jv_get_kind(o) == JV_KIND_STRING)
		rec = jv_object_set(jv_object_delete(rec, jv_string("owner")),
				    jv_string("registered_owner"), o);
	else
		jv_free(o);
	d->rc = stream_record(d->st, rec, &ln);
	return d->rc;
}

/* The file beside an OFAC sdn.csv whose name has "alt" or "add" for its
 * "sdn" (sdn.csv -> alt.csv, ofac-sdn.csv -> ofac-alt.csv), read whole;
 * NULL when there is none. */
static char *beside(const char *path, const char *part, size_t *len)
{
	char p[4096];
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *at = NULL;
	for (const char *q = strstr(base, "sdn"); q; q = strstr(q + 1, "sdn"))
		at = q;
	if (!at || strlen(path) >= sizeof p)
		return NULL;
	snprintf(p, sizeof p, "%.*s%s%s", (int)(at - path), path, part, at + 3);
	FILE *f = fopen(p, "rb");
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	buf_addc(&b, '\0');
	*len = b.len - 1;
	return b.p;
}

int refload_document(struct stream *st, const struct ndjson_line *doc, enum refload_format fmt,
		     enum refdb db)
{
	struct load_doc d = {st, doc, db, 0};
	char *err = NULL;
	int r = 0;
	if (fmt == REFLOAD_UN) {
		r = un_consolidated_parse(doc->text, doc->len, on_parsed, &d, &err);
	} else if (fmt == REFLOAD_OFAC) {
		size_t alen = 0, dlen = 0;
		char *alt = beside(doc->file, "alt", &alen);
		char *add = beside(doc->file, "add", &dlen);
		r = ofac_sdn_parse(doc->text, doc->len, alt, alen, add, dlen, on_parsed, &d, &err);
		free(alt);
		free(add);
	} else {
		struct csv_reader *cr = csv_open(doc->text, doc->len);
		jv header = jv_invalid(), fields;
		size_t line;
		int k;
		while (!d.rc && (k = csv_next(cr, &fields, &line, &err)) != 0) {
			struct ndjson_line ln = *doc;
			ln.lineno = line;
			as_line(&ln, k < 0 ? jv_invalid() : fields);
			if (k < 0) {
				d.rc = stream_reject(st, &ln, err ? err : "bad CSV record");
				free(err);
				err = NULL;
				continue;
			}
			if (!jv_is_valid(header)) {
				jv_free(header);
				header = fields;
				continue;
			}
			jv rec = csv_header_record(jv_copy(header), fields);
			/* lists in a cell are separated by ';' */
			static const char *const lists[] = {"aliases", "nationalities", "dob",
							    NULL};
			for (int i = 0; lists[i]; i++) {
				const char *v = jv_get_str(rec, lists[i]);
				if (v && strchr(v, ';')) {
					jv parts = jv_string_split(jv_string(v), jv_string(";"));
					rec = jv_object_set(rec, jv_string(lists[i]), parts);
				}
			}
			const char *allow = jv_get_str(rec, "restrict_allow");
			const char *deny = jv_get_str(rec, "restrict_deny");
			if (allow || deny)
				rec = jv_object_set(
				    rec, jv_string("restrict"),
				    jv_object_set(jv_object(), jv_string(allow ? "allow" : "deny"),
						  jv_string_split(jv_string(allow ? allow : deny),
								  jv_string(";"))));
			d.rc = stream_record(st, rec, &ln);
		}
		jv_free(header);
		csv_close(cr);
		return d.rc;
	}
	if (r < 0 && !d.rc) {
		d.rc = stream_reject(st, doc, err ? err : "cannot be read");
	}
	free(err);
	return d.rc;
}

static int on_load(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	struct refload *l = ctx;
	char reason[256];
	l->ctx->store = stream_store(st);
	/* a line cut short (len < full_len) is not the whole record: no hash */
	l->ctx->line = ln->len == ln->full_len ? ln->text : NULL;
	l->ctx->line_len = ln->len;
	int rc = refdb_load(l->ctx, l->db, rec, l->remove, reason, sizeof reason);
	l->ctx->line = NULL;
	if (rc == REFDB_UNCHANGED) {
		l->unchanged++;
		return 0;
	}
	if (rc == REFDB_NOT_OWNER)
		l->refused++;
	if (rc < 0)
		return stream_reject(st, ln, reason);
	if (!rc)
		l->loaded++;
	return rc;
}

static int is_document(const char *head, size_t n, void *ctx)
{
	const struct refload *l = ctx;
	return l->input != REFLOAD_NDJSON;
}

static int on_document(struct stream *st, const struct ndjson_line *doc, void *ctx)
{
	const struct refload *l = ctx;
	return refload_document(st, doc, l->input, l->db);
}

/* Before a batch commits: the index rows it holds, then l->before_commit. */
static int on_commit(struct stream *st, void *ctx)
{
	struct refload *l = ctx;
	l->ctx->store = stream_store(st);
	int rc = refdb_write_keys(l->ctx, 1);
	return rc || !l->before_commit ? rc : l->before_commit(stream_store(st), l->before_ctx);
}

int refload_run(struct refload *l, struct store *s, struct stream_config *sc, char **files,
		int nfiles)
{
	sc->record = on_load;
	/* a person's index rows are written a batch at a time, in key order */
	if (l->db == REFDB_PERSONS)
		refdb_hold_keys(l->ctx);
	sc->before_commit = l->before_commit || l->db == REFDB_PERSONS ? on_commit : NULL;
	sc->is_document = is_document;
	sc->document = on_document;
	sc->ctx = l;
	l->ctx->store = s;
	int rc = stream_run(s, sc, files, nfiles);
	refdb_drop_held_keys(l->ctx); /* written, or rolled back with their batch */
	/* the keys the load changed, packed once each (keypack.h); when it
	 * cannot be done now, or the load was stopped by a signal, the next
	 * load or import does it, and checks read those keys from the index
	 * meanwhile */
	if (l->db == REFDB_PERSONS && rc != CCC_EX_SIGINT && rc != CCC_EX_SIGTERM)
		(void)keypack_store(s);
	if (l->refused && (!rc || rc == CCC_EX_DATAERR))
		rc = CCC_EX_NOPERM;
	return rc;
}
