/*
 * checks.c: what a query record or a message's entities ask ccc-check to
 * check, and the checks made (refdb.h), counted and logged.
 */
#include <stdio.h>
#include <string.h>

#include "ccc/checks.h"
#include "ccc/clock.h"
#include "ccc/correlate.h"
#include "ccc/json.h"
#include "ccc/message.h"
#include "ccc/mrz.h"
#include "ccc/ndjson.h"
#include "ccc/notice.h"
#include "ccc/personmatch.h"
#include "ccc/queue.h"
#include "ccc/vin.h"

/* The last consultation's number: the checks logged after it are a record's own. */
static int64_t consultation_head(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(c), 0) FROM consultations");
	int64_t c = 0;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		c = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return c;
}

/* What else names the entities of the checks logged after consultation c0
 * (correlate.h): a new array, empty when nothing does. */
static jv also_in_since(struct store *s, int64_t c0)
{
	int64_t c1 = consultation_head(s);
	jv own = jv_array();
	for (int64_t c = c0 + 1; c <= c1 && c - c0 <= CORRELATE_OWN_MAX; c++)
		own = jv_array_append(own, jv_string_fmt("check-%lld", (long long)c));
	if (!jv_array_length(jv_copy(own))) {
		jv_free(own);
		return jv_array();
	}
	return correlate_also_in(s, own);
}

/* rec (consumed) with "also_in" when something else names its entities. */
static jv with_also_in(jv rec, jv also)
{
	if (jv_array_length(jv_copy(also)) > 0)
		return jv_object_set(rec, jv_string("also_in"), also);
	jv_free(also);
	return rec;
}

/* Count what a check found, and log it. Consumes nothing. */
static int tally(struct checks *k, jv chk)
{
	jv hits = jv_object_get(jv_copy(chk), jv_string("hits"));
	if (jv_get_kind(hits) == JV_KIND_ARRAY)
		k->hits += (unsigned long)jv_array_length(jv_copy(hits));
	jv_free(hits);
	jv f = jv_object_get(jv_copy(chk), jv_string("findings"));
	if (jv_get_kind(f) == JV_KIND_ARRAY)
		k->findings += (unsigned long)jv_array_length(jv_copy(f));
	jv_free(f);
	return refdb_audit(k->ctx, chk);
}

/* Checks of an MRZ: the check digits, the document, and the holder. */
static jv checks_of_mrz(struct checks *k, jv checks, jv m, int *rc)
{
	const char *number = jv_get_str(m, "document_number");
	const char *issuer = jv_get_str(m, "issuing_country");
	const char *surname = jv_get_str(m, "surname");
	const char *given = jv_get_str(m, "given_names");
	const char *born = jv_get_str(m, "birth_date_iso");
	const char *nat = jv_get_str(m, "nationality_country");
	jv errors = jv_object_get(jv_copy(m), jv_string("errors"));
	if (jv_get_kind(errors) == JV_KIND_ARRAY && jv_array_length(jv_copy(errors)) > 0) {
		jv f = jv_object();
		f = jv_object_set(f, jv_string("db"), jv_string("mrz"));
		f = jv_object_set(f, jv_string("query"),
				  jv_object_set(jv_object(), jv_string("document_number"),
						jv_string(number ? number : "")));
		f = jv_object_set(f, jv_string("hits"), jv_array());
		jv findings = jv_array();
		jv_array_foreach (errors, i, e) {
			if (jv_get_kind(e) == JV_KIND_STRING)
				findings = jv_array_append(
				    findings, jv_string_fmt("bad check digit or field: %s",
							    jv_string_value(e)));
			jv_free(e);
		}
		f = jv_object_set(f, jv_string("findings"), findings);
		if (!*rc)
			*rc = tally(k, f);
		checks = jv_array_append(checks, f);
	}
	jv_free(errors);
	if (number && *number) {
		jv c = refdb_check_document(k->ctx, number, issuer);
		if (!*rc)
			*rc = tally(k, c);
		checks = jv_array_append(checks, c);
	}
	if (surname && *surname) {
		char full[400];
		snprintf(full, sizeof full, "%s %s", given ? given : "", surname);
		jv c = refdb_check_person(k->ctx, full, born, nat);
		if (!*rc)
			*rc = tally(k, c);
		checks = jv_array_append(checks, c);
	}
	return checks;
}

/* The checks a message's entities call for. */
jv checks_of_message(struct checks *k, jv msg, int *rc)
{
	jv checks = jv_array();
	jv ents = jv_object_get(jv_copy(msg), jv_string("entities"));
	if (jv_get_kind(ents) != JV_KIND_ARRAY) {
		jv_free(ents);
		return checks;
	}
	jv_array_foreach (ents, i, e) {
		const char *kind = jv_get_str(e, "kind");
		if (!kind || *rc) {
		} else if (!strcmp(kind, "mrz")) {
			checks = checks_of_mrz(k, checks, e, rc);
		} else if (!strcmp(kind, "document")) {
			jv c = refdb_check_document(k->ctx, jv_get_str(e, "number"),
						    jv_get_str(e, "country"));
			*rc = tally(k, c);
			checks = jv_array_append(checks, c);
		} else if (!strcmp(kind, "vin") && jv_get_str(e, "vin")) {
			char key[40];
			refdb_normalize_key(jv_get_str(e, "vin"), key, sizeof key);
			jv c = refdb_check_item(k->ctx, REFDB_VEHICLES, key);
			*rc = tally(k, c);
			checks = jv_array_append(checks, c);
		}
		jv_free(e);
	}
	jv_free(ents);
	return checks;
}

/* The checks a query record asks for; reason set when it asks for none. */
/* Log and count check c, and append it to checks (both consumed). */
static jv add(struct checks *k, jv checks, jv c, int *rc)
{
	*rc = *rc ? *rc : tally(k, c);
	return jv_array_append(checks, c);
}

/* The fields a query asks for, read in one pass over q into f (strings owned
 * by q), in the order of query_fields. */
static const char *const query_fields[] = {"doc",     "number", "country", "name", "nationality",
					   "vin",     "plate",  "serial",  "make", "imo",
					   "artwork", "mrz",    NULL};
enum {
	F_DOC,
	F_NUMBER,
	F_COUNTRY,
	F_NAME,
	F_NAT,
	F_VIN,
	F_PLATE,
	F_SERIAL,
	F_MAKE,
	F_IMO,
	F_ARTWORK,
	F_MRZ,
	F_N
};

static void read_fields(jv q, const char *f[F_N])
{
	for (int it = jv_object_iter(q); jv_object_iter_valid(q, it);
	     it = jv_object_iter_next(q, it)) {
		jv name = jv_object_iter_key(q, it);
		for (int i = 0; query_fields[i]; i++) {
			if (!strcmp(jv_string_value(name), query_fields[i])) {
				jv val = jv_object_iter_value(q, it);
				if (jv_get_kind(val) == JV_KIND_STRING)
					f[i] = jv_string_value(val); /* q holds a reference */
				jv_free(val);
				break;
			}
		}
		jv_free(name);
	}
}

/* The checks of a VIN: a wrong check digit is a finding in itself. */
static jv checks_of_vin(struct checks *k, jv checks, const char *v, int *rc, const char **why)
{
	struct vin vi;
	char key[200];
	enum vin_status vs = vin_validate(v, strlen(v), &vi);
	refdb_normalize_key(v, key, sizeof key);
	if (vs == VIN_BAD_LENGTH || vs == VIN_BAD_CHAR) {
		*why = vs == VIN_BAD_LENGTH ? "field 'vin': not 17 characters"
					    : "field 'vin': a character outside the VIN alphabet";
		return checks;
	}
	if (vs == VIN_CHECK_BAD)
		checks = add(k, checks,
			     JV_OBJECT(jv_string("db"), jv_string("vin"), jv_string("query"),
				       JV_OBJECT(jv_string("vin"), jv_string(key)),
				       jv_string("hits"), jv_array(), jv_string("findings"),
				       JV_ARRAY(jv_string("bad check digit"))),
			     rc);
	return add(k, checks, refdb_check_item(k->ctx, REFDB_VEHICLES, key), rc);
}

jv checks_of_query(struct checks *k, jv q, int *rc, const char **why)
{
	jv checks = jv_array();
	const char *v, *f[F_N] = {0};
	char key[200];
	*why = NULL;
	read_fields(q, f);
	if ((v = f[F_DOC]) || (v = f[F_NUMBER]))
		checks = add(k, checks, refdb_check_document(k->ctx, v, f[F_COUNTRY]), rc);
	if ((v = f[F_NAME])) {
		jv dob = jv_object_get(jv_copy(q), jv_string("dob"));
		const char *d = jv_get_kind(dob) == JV_KIND_STRING ? jv_string_value(dob) : NULL;
		if (d && *d && !dob_valid(d))
			*why = "field 'dob': not a date of birth (YYYY, YYYY-MM or YYYY-MM-DD, a "
			       "real calendar date)";
		else
			checks = add(k, checks, refdb_check_person(k->ctx, v, d, f[F_NAT]), rc);
		jv_free(dob);
	}
	if ((v = f[F_VIN]))
		checks = checks_of_vin(k, checks, v, rc, why);
	if ((v = f[F_PLATE])) {
		jv c = refdb_check_plate(k->ctx, v, f[F_COUNTRY]);
		if (!jv_is_valid(c)) {
			jv_free(c);
			*why = "field 'country': a plate needs its country";
		} else {
			checks = add(k, checks, c, rc);
		}
	}
	if ((v = f[F_SERIAL])) {
		refdb_firearm_key(f[F_MAKE], v, key, sizeof key);
		checks = add(k, checks, refdb_check_item(k->ctx, REFDB_FIREARMS, key), rc);
	}
	if ((v = f[F_IMO])) {
		refdb_vessel_key(v, key, sizeof key);
		checks = add(k, checks, refdb_check_item(k->ctx, REFDB_VESSELS, key), rc);
	}
	if ((v = f[F_ARTWORK])) {
		refdb_normalize_key(v, key, sizeof key);
		checks = add(k, checks, refdb_check_item(k->ctx, REFDB_ARTWORKS, key), rc);
	}
	if ((v = f[F_MRZ])) {
		struct mrz m;
		if (mrz_parse(v, strlen(v), &m) != 0) {
			*why = "field 'mrz': not a machine readable zone (2 or 3 lines of 30, 36 "
			       "or 44)";
		} else {
			jv mj = mrz_to_jv(&m);
			checks = checks_of_mrz(k, checks, mj, rc);
			jv_free(mj);
		}
	}
	if (!*why && jv_array_length(jv_copy(checks)) == 0)
		*why = "nothing to check (give doc, name, vin, plate, serial, imo, artwork or mrz)";
	return checks;
}

/*
 * The number and issuing country of a query that asks for a document check and
 * nothing else (the commonest query), or NULL. A record that already has
 * "checks" goes the general way.
 */
const char *checks_document_only(jv q, const char **country)
{
	static const char *const others[] = {"name", "vin",     "plate",  "serial",
					     "imo",  "artwork", "checks", NULL};
	const char *doc = NULL, *number = NULL;
	*country = NULL;
	for (int it = jv_object_iter(q); jv_object_iter_valid(q, it);
	     it = jv_object_iter_next(q, it)) {
		jv k = jv_object_iter_key(q, it);
		const char *key = jv_string_value(k);
		const char **to = !strcmp(key, "doc")       ? &doc
				  : !strcmp(key, "number")  ? &number
				  : !strcmp(key, "country") ? country
							    : NULL;
		int other = !to && (!strcmp(key, "mrz") || !strcmp(key, "make"));
		for (int i = 0; !to && !other && others[i]; i++)
			other = !strcmp(key, others[i]);
		jv_free(k);
		if (other)
			return NULL;
		if (to) {
			jv v = jv_object_iter_value(q, it);
			*to = jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) : NULL;
			jv_free(v); /* q holds a reference */
		}
	}
	return doc ? doc : number;
}

/* A document check's "checks" (and "also_in") after out, the record written
 * so far without its closing brace, and that brace. */
static int document_check(struct checks *k, const char *number, const char *country,
			  struct buf *out)
{
	unsigned long n = 0;
	char key[68] = "doc:"; /* the number as the check normalises it (num[64]) */
	refdb_normalize_key(number, key + 4, 64);
	buf_adds(out, ",\"checks\":[");
	int rc = refdb_check_document_text(k->ctx, number, country, out, &n);
	k->hits += n;
	buf_adds(out, "]");
	/* the one consultation the check logged is the last row inserted; its
	 * trigger indexed it under "doc:NUMBER" (alert-schema.c), NUMBER as the
	 * check normalised it (upper case already), when not empty */
	jv also = jv_array();
	if (!rc) {
		char item[32];
		snprintf(item, sizeof item, "check-%lld",
			 (long long)sqlite3_last_insert_rowid(store_db(k->ctx->store)));
		jv_free(also);
		also = key[4] ? correlate_also_in_key(k->ctx->store, item, key)
			      : correlate_also_in(k->ctx->store, JV_ARRAY(jv_string(item)));
	}
	if (jv_array_length(jv_copy(also)) > 0) {
		buf_adds(out, ",\"also_in\":");
		json_write(out, also);
	}
	jv_free(also);
	buf_addc(out, '}');
	return rc;
}

int checks_document_line(struct checks *k, jv rec, const char *number, const char *country,
			 struct buf *out)
{
	out->len = 0;
	json_write(out, rec);
	out->len--; /* the closing brace: the record has a "type" */
	int rc = document_check(k, number, country, out);
	jv_free(rec); /* after the check: number and country are rec's */
	return rc;
}

/*
 * The fields of a query line read from its text, when the text is what
 * json_write writes of the record it parses to (json_check has taken it:
 * valid UTF-8, no key twice): one object, no white space, every value a
 * string with no escape, no "v" (ndjson_parse checks it). Each value is
 * copied NUL-terminated, at most FLAT_MAX bytes. Returns 0 otherwise.
 */
#define FLAT_MAX 128
struct flat {
	char type[FLAT_MAX], doc[FLAT_MAX], number[FLAT_MAX], country[FLAT_MAX], ncb[FLAT_MAX];
	int has_doc, has_number, has_country, has_ncb, other;
};

/* The string at *p (past its opening quote) up to its closing quote; -1 when
 * it holds an escape or the text ends. */
static long flat_string(const char **p, const char *e)
{
	const char *s = *p;
	while (s < e && *s != '"' && *s != '\\')
		s++;
	if (s == e || *s == '\\')
		return -1;
	long n = (long)(s - *p);
	*p = s + 1;
	return n;
}

static int flat_query(const char *p, size_t len, struct flat *f)
{
	static const char *const others[] = {"name",    "vin",    "plate", "serial", "imo",
					     "artwork", "checks", "mrz",   "make",   NULL};
	const char *e = p + len;
	memset(f, 0, sizeof *f);
	if (len < 2 || *p++ != '{' || e[-1] != '}')
		return 0;
	for (;;) {
		if (p >= e || *p++ != '"')
			return 0;
		const char *key = p;
		long kn = flat_string(&p, e);
		if (kn < 0 || p >= e || *p++ != ':' || p >= e || *p++ != '"')
			return 0;
		const char *val = p;
		long vn = flat_string(&p, e);
		if (vn < 0 || vn >= FLAT_MAX || p >= e)
			return 0;
		char *to = NULL;
		int *has = NULL;
#define FLAT_KEY(name) (kn == (long)strlen(name) && !memcmp(key, name, (size_t)kn))
		if (FLAT_KEY("v"))
			return 0;
		else if (FLAT_KEY("type"))
			to = f->type;
		else if (FLAT_KEY("doc"))
			to = f->doc, has = &f->has_doc;
		else if (FLAT_KEY("number"))
			to = f->number, has = &f->has_number;
		else if (FLAT_KEY("country"))
			to = f->country, has = &f->has_country;
		else if (FLAT_KEY("ncb"))
			to = f->ncb, has = &f->has_ncb;
		for (int i = 0; !to && others[i]; i++)
			f->other |= FLAT_KEY(others[i]);
#undef FLAT_KEY
		if (to) {
			memcpy(to, val, (size_t)vn);
			to[vn] = '\0';
			if (has)
				*has = 1;
		}
		if (*p == '}')
			return p + 1 == e;
		if (*p++ != ',')
			return 0;
	}
}

int checks_filter_line(struct checks *k, struct stream *st, const struct ndjson_line *ln, int quiet)
{
	struct flat f;
	/* the commonest query, a document check and nothing else, written as it
	 * came with its checks added: as checks_filter_record writes it */
	if (flat_query(ln->text, ln->len, &f) && !strcmp(f.type, "query") && !f.other &&
	    (f.has_doc || f.has_number)) {
		const char *operator_ncb = k->ctx->ncb;
		k->ctx->store = stream_store(st);
		if (f.has_ncb && notice_country_known(f.ncb))
			k->ctx->ncb = f.ncb;
		k->json.len = 0;
		buf_add(&k->json, ln->text, ln->len - 1); /* without its closing brace */
		int rc = document_check(k, f.has_doc ? f.doc : f.number,
					f.has_country ? f.country : NULL, &k->json);
		k->ctx->ncb = operator_ncb;
		if (!rc && !quiet)
			stream_emit_line(st, k->json.p, k->json.len);
		return rc;
	}
	char reason[256];
	jv rec = ndjson_parse(ln->text, ln->len, reason, sizeof reason);
	if (!jv_is_valid(rec)) {
		jv_free(rec);
		return stream_reject_unparsed(st, ln, reason);
	}
	return checks_filter_record(k, st, rec, ln, quiet);
}

static const struct table_col table_cols[] = {
    {"ID", 24, 0, NULL},   {"TYPE", 8, 0, NULL},    {"DB", 10, 0, NULL},   {"QUERY", 36, 0, NULL},
    {"HITS", 0, 1, NULL},  {"BEST", 24, 0, NULL},   {"SCORE", 0, 1, NULL}, {"STATUS", 12, 0, NULL},
    {"OWNER", 0, 0, NULL}, {"NOTICE", 20, 0, NULL},
};

struct table *checks_table_new(void)
{
	return table_new(table_cols, (int)(sizeof table_cols / sizeof table_cols[0]));
}

/* A check's query as its values, separated by spaces, into b. */
static void query_text(struct buf *b, jv query)
{
	b->len = 0;
	if (jv_get_kind(query) == JV_KIND_OBJECT) {
		jv_object_foreach (query, k, v) {
			if (b->len)
				buf_addc(b, ' ');
			if (jv_get_kind(v) == JV_KIND_STRING)
				buf_adds(b, jv_string_value(v));
			else
				json_write(b, v);
			jv_free(k);
			jv_free(v);
		}
	}
	buf_addc(b, '\0');
}

void checks_table_add(struct table *t, jv rec)
{
	const char *id = jv_get_str(rec, "id"), *type = jv_get_str(rec, "type");
	jv checks = jv_object_get(jv_copy(rec), jv_string("checks"));
	struct buf q = {0};
	char nhits[24], score[24];
	int rows = 0;
	if (jv_get_kind(checks) == JV_KIND_ARRAY) {
		jv_array_foreach (checks, i, c) {
			jv query = jv_object_get(jv_copy(c), jv_string("query"));
			jv hits = jv_object_get(jv_copy(c), jv_string("hits"));
			int n =
			    jv_get_kind(hits) == JV_KIND_ARRAY ? jv_array_length(jv_copy(hits)) : 0;
			jv best = n ? jv_array_get(jv_copy(hits), 0) : jv_object();
			jv sc = jv_object_get(jv_copy(best), jv_string("score"));
			jv r = jv_object_get(jv_copy(best), jv_string("restricted"));
			int restricted = jv_get_kind(r) == JV_KIND_TRUE;
			jv_free(r);
			query_text(&q, query);
			snprintf(nhits, sizeof nhits, "%d", n);
			if (jv_get_kind(sc) == JV_KIND_NUMBER)
				snprintf(score, sizeof score, "%.2f", jv_number_value(sc));
			else
				score[0] = '\0';
			const char *cells[] = {id,
					       type,
					       jv_get_str(c, "db"),
					       q.p,
					       nhits,
					       restricted ? "restricted" : jv_get_str(best, "id"),
					       score,
					       jv_get_str(best, "status"),
					       jv_get_str(best, "owner"),
					       jv_get_str(best, "notice")};
			table_add(t, cells);
			rows++;
			jv_free(sc);
			jv_free(best);
			jv_free(hits);
			jv_free(query);
			jv_free(c);
		}
	}
	if (!rows) {
		const char *cells[10] = {id, type};
		table_add(t, cells);
	}
	jv also = jv_object_get(jv_copy(rec), jv_string("also_in"));
	if (jv_get_kind(also) == JV_KIND_ARRAY && jv_array_length(jv_copy(also)) > 0) {
		struct buf b = {0};
		correlate_text(also, &b);
		const char *cells[10] = {id, type, "also in", b.p + strlen("also in ")};
		table_add(t, cells);
		buf_free(&b);
	}
	jv_free(also);
	jv_free(checks);
	buf_free(&q);
}

void checks_table_lines(struct table *t, const char *p, size_t n)
{
	char reason[128];
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;
		jv rec = ndjson_parse(p, len, reason, sizeof reason);
		checks_table_add(t, rec);
		jv_free(rec);
		p += len + (nl != NULL);
		n -= len + (nl != NULL);
	}
	table_flush(t);
}

int checks_log(struct store *s, const char *deployment, const char *owner, long limit,
	       void (*each)(jv entry, void *ctx), void *ctx)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(
		store_db(s),
		"SELECT c, ts, actor, ncb, deployment, db, query, hits, site, audit_seq"
		" FROM consultations WHERE (?1 IS NULL OR deployment = ?1)"
		" AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(hits)"
		"  WHERE json_extract(value, '$.owner') = ?2))"
		" ORDER BY c LIMIT ?3",
		-1, &st, NULL) != SQLITE_OK)
		return store_error(s, SQLITE_ERROR, "reading the consultation log");
	sqlite3_bind_text(st, 1, deployment, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char reason[64];
		jv e = jv_object();
		e = jv_object_set(e, jv_string("consultation"),
				  jv_number((double)sqlite3_column_int64(st, 0)));
		e = jv_object_set(e, jv_string("ts"),
				  jv_string((const char *)sqlite3_column_text(st, 1)));
		e = jv_object_set(e, jv_string("actor"),
				  jv_string((const char *)sqlite3_column_text(st, 2)));
		const unsigned char *ncb = sqlite3_column_text(st, 3),
				    *dep = sqlite3_column_text(st, 4);
		e = jv_object_set(e, jv_string("ncb"),
				  ncb ? jv_string((const char *)ncb) : jv_null());
		e = jv_object_set(e, jv_string("deployment"),
				  dep ? jv_string((const char *)dep) : jv_null());
		e = jv_object_set(e, jv_string("db"),
				  jv_string((const char *)sqlite3_column_text(st, 5)));
		e = jv_object_set(e, jv_string("query"),
				  ndjson_parse((const char *)sqlite3_column_text(st, 6),
					       (size_t)sqlite3_column_bytes(st, 6), reason,
					       sizeof reason));
		jv hits = jv_parse_sized((const char *)sqlite3_column_text(st, 7),
					 sqlite3_column_bytes(st, 7));
		e = jv_object_set(e, jv_string("hits"),
				  jv_is_valid(hits) ? hits : (jv_free(hits), jv_array()));
		/* where the check was made; an older row says nothing */
		const unsigned char *site = sqlite3_column_text(st, 8);
		e = jv_object_set(e, jv_string("site"),
				  site ? jv_string((const char *)site) : jv_null());
		if (sqlite3_column_type(st, 9) != SQLITE_NULL)
			e = jv_object_set(e, jv_string("audit_seq"),
					  jv_number((double)sqlite3_column_int64(st, 9)));
		each(e, ctx);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the consultation log");
}

jv checks_query_new(void)
{
	char id[64];
	snprintf(id, sizeof id, "q-%lld", clock_now_ms());
	return JV_OBJECT(jv_string("type"), jv_string("query"), jv_string("v"),
			 jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
}

int checks_run_query(struct checks *k, struct store *s, jv *q, const char **why)
{
	int64_t seq;
	int rc = store_begin(s);
	*why = NULL;
	if (rc)
		return rc;
	k->ctx->store = s;
	int64_t c0 = consultation_head(s);
	jv checks = checks_of_query(k, *q, &rc, why);
	jv also = rc || *why ? jv_array() : also_in_since(s, c0);
	if (rc || *why || (rc = store_commit(s, &seq))) {
		if (rc || *why)
			store_rollback(s);
		jv_free(checks);
		jv_free(also);
		return rc;
	}
	*q = with_also_in(jv_object_set(*q, jv_string("checks"), checks), also);
	return 0;
}

/* The country rec's field names (an ISO 3166 code ccc knows), copied to cc. */
static int requester(jv rec, const char *field, char cc[3])
{
	const char *c = jv_get_str(rec, field);
	if (!c || !notice_country_known(c))
		return 0;
	memcpy(cc, c, 3);
	return 1;
}

int checks_filter_record(struct checks *k, struct stream *st, jv rec, const struct ndjson_line *ln,
			 int quiet)
{
	const char *type = jv_get_str(rec, "type");
	const char *why = NULL, *number, *country, *operator_ncb = k->ctx->ncb;
	char asker[3];
	int rc = 0;
	k->ctx->store = stream_store(st);
	/* A query is answered as the country that asks it ("ncb") may see it,
	 * whatever --ncb says; a message's checks below as its sender may. */
	if (type && !strcmp(type, "query") && requester(rec, "ncb", asker))
		k->ctx->ncb = asker;
	if (type && !strcmp(type, "query") && (number = checks_document_only(rec, &country))) {
		rc = checks_document_line(k, rec, number, country, &k->json);
		k->ctx->ncb = operator_ncb;
		if (!rc && !quiet)
			stream_emit_line(st, k->json.p, k->json.len);
		return rc;
	}
	if (type && !strcmp(type, "query")) {
		int64_t c0 = consultation_head(k->ctx->store);
		jv checks = checks_of_query(k, rec, &rc, &why);
		if (why) {
			jv_free(checks);
			jv_free(rec);
			return rc ? rc : stream_reject(st, ln, why);
		}
		rec = jv_object_set(rec, jv_string("checks"), checks);
		if (!rc)
			rec = with_also_in(rec, also_in_since(k->ctx->store, c0));
	} else if (type && !strcmp(type, "message")) {
		int64_t n;
		/* Only the stored copy is checked and gains "checks". */
		if (!queue_stored_copy(st, ln, &rec, &n, quiet, &rc))
			return rc;
		if (requester(rec, "origin_country", asker))
			k->ctx->ncb = asker;
		k->ctx->item = jv_get_str(rec, "id");
		jv checks = checks_of_message(k, rec, &rc);
		k->ctx->item = NULL;
		rec = jv_object_set(rec, jv_string("checks"), checks);
		k->json.len = 0;
		json_write(&k->json, rec);
		int r = queue_set_record(stream_store(st), n, k->json.p, k->json.len, NULL);
		rc = rc ? rc : r;
		/* what else names its entities: said, not stored (it changes as others come) */
		if (!rc)
			rec = with_also_in(
			    rec, correlate_also_in(stream_store(st),
						   JV_ARRAY(jv_string(jv_get_str(rec, "id")))));
	} else if (!type) {
		jv_free(rec);
		return stream_reject(st, ln, "field 'type': missing (a record needs a type)");
	} else {
		stream_emit_line(st, ln->text, ln->len);
		jv_free(rec);
		return 0;
	}
	k->ctx->ncb = operator_ncb;
	if (!rc && !quiet) {
		k->json.len = 0;
		json_write(&k->json, rec);
		stream_emit_line(st, k->json.p, k->json.len);
	}
	jv_free(rec);
	return rc;
}
