/*
 * case-export.c: a case as one country may see it, as a MISP event or a
 * STIX 2.1 bundle (case-export.h; the mappings are in ccc-records(5),
 * EXPORT MAPPINGS).
 *
 * The view is built first, from the store, with only what the country may
 * see; the renderers read nothing but the view, and copy named fields of
 * it, never a whole record, so a field nobody chose to share (a message's
 * stored checks, the hits made for another country) cannot slip through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "ccc/case-export.h"
#include "ccc/case.h"
#include "ccc/clock.h"
#include "ccc/digest.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/notice-lifecycle.h"
#include "ccc/notice.h"
#include "ccc/refdb.h"
#include "ccc/store.h"
#include "ccc/xmalloc.h"

static const char *const SQL_CASE =
    "SELECT kind, status, title, owner, record, updated_at FROM cases WHERE id = ?1";
static const char *const SQL_LINKS =
    "SELECT kind, item FROM case_links WHERE case_id = ?1 ORDER BY kind, item";
/* When the case last changed: its log, but for the exports it records. */
static const char *const SQL_CHANGED =
    "SELECT max(ts) FROM case_log WHERE case_id = ?1 AND action <> 'export'";
static const char *const SQL_SITE = "SELECT added_at FROM sites WHERE name = ?1";
static const char *const SQL_MESSAGE =
    "SELECT record FROM messages WHERE id = ?1 ORDER BY n DESC LIMIT 1";
static const char *const SQL_CHECK =
    "SELECT ts, ncb, db, query, hits FROM consultations WHERE c = ?1";
static const char *const SQL_NOTICE =
    "SELECT record FROM notices WHERE id = ?1 OR control = ?1 LIMIT 1";
static const char *const SQL_PLAN = "SELECT record FROM plans WHERE id = ?1";
static const char *const SQL_DEPLOYMENT = "SELECT record FROM deployments WHERE id = ?1";
static const char *const SQL_LINKED_CASE =
    "SELECT kind, status, title, owner, record FROM cases WHERE id = ?1";
static const char *const SQL_PERSON =
    "SELECT owner, allow, deny, record FROM persons WHERE id = ?1";
static const char *const SQL_DOCUMENT =
    "SELECT owner, allow, deny, record FROM documents WHERE number = ?1 AND country = ?2";
static const char *const SQL_ITEM =
    "SELECT owner, allow, deny, record FROM items WHERE db = ?1 AND key = ?2";

static const char *field(jv rec, const char *key);

/* ---- who sees what ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

jv case_export_countries(jv distribution)
{
	char **codes = NULL;
	size_t n = 0, cap = 0;
	jv add = jv_array();
	jv cs = jv_object_get(jv_copy(distribution), jv_string("countries"));
	jv rs = jv_object_get(jv_copy(distribution), jv_string("regions"));
	if (jv_get_kind(cs) == JV_KIND_ARRAY)
		add = jv_array_concat(add, jv_copy(cs));
	if (jv_get_kind(rs) == JV_KIND_ARRAY)
		jv_array_foreach (rs, i, r) {
			if (jv_get_kind(r) == JV_KIND_STRING) {
				jv members = notice_region(jv_string_value(r));
				if (jv_is_valid(members))
					add = jv_array_concat(add, members);
				else
					jv_free(members);
			}
			jv_free(r);
		}
	jv_free(cs);
	jv_free(rs);
	jv_array_foreach (add, i, c) {
		if (jv_get_kind(c) == JV_KIND_STRING && notice_country_known(jv_string_value(c))) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				codes = xrealloc(codes, cap * sizeof *codes);
			}
			codes[n++] = xstrdup(jv_string_value(c));
		}
		jv_free(c);
	}
	jv_free(add);
	jv_free(distribution);
	if (n)
		qsort(codes, n, sizeof *codes, cmp_str);
	jv out = jv_array();
	for (size_t i = 0; i < n; i++) {
		if (!i || strcmp(codes[i], codes[i - 1]))
			out = jv_array_append(out, jv_string(codes[i]));
	}
	for (size_t i = 0; i < n; i++)
		free(codes[i]);
	free(codes);
	return out;
}

int case_export_case_visible(jv rec, const char *cc)
{
	jv d = jv_object_get(jv_copy(rec), jv_string("distribution"));
	int yes = jv_get_kind(d) == JV_KIND_OBJECT && case_visible_to(d, cc);
	jv_free(d);
	return yes;
}

/* A JSON array of codes (not consumed) as the comma list refdb stores. */
static char *code_list(jv arr)
{
	struct buf b = {0};
	if (jv_get_kind(arr) != JV_KIND_ARRAY)
		return NULL;
	jv_array_foreach (arr, i, c) {
		if (jv_get_kind(c) == JV_KIND_STRING && strlen(jv_string_value(c)) == 2) {
			if (b.len)
				buf_addc(&b, ',');
			buf_adds(&b, jv_string_value(c));
		}
		jv_free(c);
	}
	buf_addc(&b, '\0');
	return b.p;
}

/* A "restrict" list (not consumed): its comma list (empty when it names
 * no country), or NULL when it is not an array of strings. */
static char *restrict_list(jv arr)
{
	if (jv_get_kind(arr) != JV_KIND_ARRAY)
		return NULL;
	int ok = 1;
	jv_array_foreach (arr, i, c) {
		if (jv_get_kind(c) != JV_KIND_STRING)
			ok = 0;
		jv_free(c);
	}
	return ok ? code_list(arr) : NULL;
}

int case_export_message_visible(jv rec, const char *cc)
{
	char owner[3] = "";
	const char *o = jv_get_str(rec, "origin_country");
	if (!cc)
		return 0;
	if (o && strlen(o) == 2) {
		owner[0] = (char)(o[0] & ~0x20);
		owner[1] = (char)(o[1] & ~0x20);
	}
	if (*owner && !strcmp(owner, cc))
		return 1;
	jv cap = jv_object_get(jv_copy(rec), jv_string("cap"));
	const char *scope = jv_get_str(cap, "scope");
	int hidden = jv_get_kind(cap) == JV_KIND_OBJECT && (!scope || strcasecmp(scope, "Public"));
	jv_free(cap);
	if (hidden)
		return 0;
	jv r = jv_object_get(jv_copy(rec), jv_string("restrict"));
	jv_kind k = jv_get_kind(r);
	int yes = 1;
	if (k == JV_KIND_OBJECT) {
		jv a = jv_object_get(jv_copy(r), jv_string("allow"));
		jv d = jv_object_get(jv_copy(r), jv_string("deny"));
		int has_a = jv_is_valid(a) && jv_get_kind(a) != JV_KIND_NULL;
		int has_d = jv_is_valid(d) && jv_get_kind(d) != JV_KIND_NULL;
		char *allow = has_a ? restrict_list(a) : NULL;
		char *deny = has_d ? restrict_list(d) : NULL;
		if ((has_a && !allow) || (has_d && !deny) || (!has_a && !has_d))
			yes = 0; /* a restriction that cannot be read keeps the message back */
		else if (has_a)
			yes = *allow && refdb_visible(cc, *owner ? owner : NULL, allow, NULL);
		else
			yes = refdb_visible(cc, *owner ? owner : NULL, NULL, deny);
		free(allow);
		free(deny);
		jv_free(a);
		jv_free(d);
	} else if (k != JV_KIND_INVALID && k != JV_KIND_NULL)
		yes = 0;
	jv_free(r);
	return yes;
}

int case_export_notice_visible(jv rec, int readable)
{
	return readable && jv_get_str(rec, "published_at") != NULL;
}

/* ---- UUIDs ---- */

void case_export_uuid5(const uint8_t ns[16], const char *name, char out[37])
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	size_t n = strlen(name);
	uint8_t *in = xmalloc(16 + n);
	memcpy(in, ns, 16);
	memcpy(in + 16, name, n);
	if (!EVP_Digest(in, 16 + n, md, &len, EVP_sha1(), NULL) || len < 16)
		memset(md, 0, sizeof md); /* cannot happen with a working libcrypto */
	free(in);
	md[6] = (uint8_t)((md[6] & 0x0f) | 0x50);
	md[8] = (uint8_t)((md[8] & 0x3f) | 0x80);
	static const char hex[] = "0123456789abcdef";
	char *p = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[md[i] >> 4];
		*p++ = hex[md[i] & 15];
	}
	*p = '\0';
}

/* RFC 9562 section 6.6: the name space of URLs. */
static const uint8_t NS_URL[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
				   0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

void case_export_item_uuid(const char *case_id, const char *kind, const char *id, char out[37])
{
	static uint8_t ns[16];
	static int have;
	if (!have) {
		char u[37];
		case_export_uuid5(NS_URL, "urn:x-ccc:case-export", u);
		for (int i = 0, j = 0; i < 16; i++, j += 2) {
			if (u[j] == '-')
				j++;
			ns[i] = (uint8_t)(hex_digit(u[j]) << 4 | hex_digit(u[j + 1]));
		}
		have = 1;
	}
	struct buf b = {0};
	buf_adds(&b, case_id);
	if (kind) {
		buf_addc(&b, '/');
		buf_adds(&b, kind);
		buf_addc(&b, '/');
		buf_adds(&b, id ? id : "");
	}
	buf_addc(&b, '\0');
	case_export_uuid5(ns, b.p, out);
	buf_free(&b);
}

/* ---- the view, from the store ---- */

static char *dupf(const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(fmt) + strlen(a) + (b ? strlen(b) : 0) + 1;
	char *p = xmalloc(n);
	snprintf(p, n, fmt, a, b ? b : "");
	return p;
}

/* The strings of parts, up to a NULL, end to end (malloc'd): texts of any
 * length, joined without a fixed buffer; CAT(a, b, ...) lists them. */
static char *cat(const char *const *parts)
{
	struct buf b = {0};
	for (; *parts; parts++)
		buf_adds(&b, *parts);
	buf_addc(&b, '\0');
	return b.p;
}
#define CAT(...) cat((const char *const[]){__VA_ARGS__, NULL})

static jv col_json(sqlite3_stmt *st, int c)
{
	const char *t = (const char *)sqlite3_column_text(st, c);
	if (!t)
		return jv_null();
	jv v = jv_parse(t);
	if (!jv_is_valid(v)) {
		jv_free(v);
		return jv_null();
	}
	return v;
}

static const char *col_str(sqlite3_stmt *st, int c)
{
	return (const char *)sqlite3_column_text(st, c);
}

/* One row of a query with text parameters a and b (NULL: unbound); 1 row
 * (left in *st to read), 0 none, or an exit code as -rc. */
static int row(struct store *s, const char *sql, const char *a, const char *b, sqlite3_stmt **st)
{
	*st = store_stmt(s, sql);
	sqlite3_bind_text(*st, 1, a, -1, SQLITE_TRANSIENT);
	if (b)
		sqlite3_bind_text(*st, 2, b, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(*st);
	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(*st);
	if (rc == SQLITE_DONE)
		return 0;
	return -store_error(s, rc, "reading the case");
}

/*
 * The reference record a hit id or a link names ("doc:CC:NUMBER" or
 * "CC:NUMBER" for a document, "DB:KEY" for a vehicle, firearm, artwork or
 * vessel, else a person's id), when cc may see it: 1 with *rec (or rec
 * NULL), 0 when it does not exist or cc may not see it, -rc on an error.
 */
static int reference(struct store *s, const char *kind, const char *id, const char *cc, jv *rec)
{
	sqlite3_stmt *st;
	int r;
	const char *colon = strchr(id, ':');
	char *a = NULL, *b = NULL;
	if (!strncmp(id, "doc:", 4) || (!strcmp(kind, "document") && colon)) {
		const char *p = strncmp(id, "doc:", 4) ? id : id + 4;
		const char *c2 = strchr(p, ':');
		if (!c2)
			return 0;
		a = xstrndup(c2 + 1, strlen(c2 + 1)); /* number */
		b = xstrndup(p, (size_t)(c2 - p));    /* country */
		r = row(s, SQL_DOCUMENT, a, b, &st);
	} else if (colon && refdb_by_name(b = xstrndup(id, (size_t)(colon - id))) >= 0 &&
		   strcmp(b, "persons") && strcmp(b, "documents")) {
		a = xstrdup(colon + 1);
		r = row(s, SQL_ITEM, b, a, &st);
	} else {
		r = row(s, SQL_PERSON, !strncmp(id, "person:", 7) ? id + 7 : id, NULL, &st);
	}
	free(a);
	free(b);
	if (r != 1)
		return r;
	int yes = refdb_visible(cc, col_str(st, 0), col_str(st, 1), col_str(st, 2));
	if (yes && rec)
		*rec = col_json(st, 3);
	sqlite3_reset(st);
	return yes;
}

/* A consultation's number from a link's item: "12", "c-12", "check-12". */
static long long check_number(const char *item)
{
	const char *d = strrchr(item, '-');
	d = d ? d + 1 : item;
	if (!*d || strspn(d, "0123456789") != strlen(d) || strlen(d) > 15)
		return -1;
	return atoll(d);
}

/*
 * A check cc may see: one whose every hit is a record cc may see (its
 * query names what those records hold, so a check with a hit cc may not
 * see is kept back whole). 1 with *rec, 0, or -rc.
 */
static int check_item(struct store *s, const char *item, const char *cc, jv *rec)
{
	long long c = check_number(item);
	char num[24];
	sqlite3_stmt *st;
	if (c < 0)
		return 0;
	snprintf(num, sizeof num, "%lld", c);
	int r = row(s, SQL_CHECK, num, NULL, &st);
	if (r != 1)
		return r;
	jv q = JV_OBJECT(jv_string("ts"), jv_string(col_str(st, 0) ? col_str(st, 0) : ""),
			 jv_string("ncb"), col_str(st, 1) ? jv_string(col_str(st, 1)) : jv_null(),
			 jv_string("db"), jv_string(col_str(st, 2) ? col_str(st, 2) : ""),
			 jv_string("query"), col_json(st, 3));
	jv hits = col_json(st, 4);
	sqlite3_reset(st);
	jv kept = jv_array();
	int ok = jv_get_kind(hits) == JV_KIND_ARRAY;
	if (ok)
		jv_array_foreach (hits, i, h) {
			const char *hid = jv_get_str(h, "id");
			jv hrec = jv_null();
			int v = ok && hid ? reference(s, "", hid, cc, &hrec) : 0;
			if (v < 0) {
				jv_free(h);
				jv_free(hits);
				jv_free(kept);
				jv_free(q);
				return v;
			}
			if (v == 1)
				kept = jv_array_append(
				    kept,
				    JV_OBJECT(jv_string("id"), jv_string(hid), jv_string("status"),
					      field(hrec, "status")
						  ? jv_string(field(hrec, "status"))
						  : jv_null()));
			else
				ok = 0;
			jv_free(hrec);
			jv_free(h);
		}
	jv_free(hits);
	if (!ok || !strcmp(jv_get_str(q, "db"), "journal")) {
		jv_free(kept);
		jv_free(q);
		return 0;
	}
	*rec = jv_object_set(q, jv_string("hits"), kept);
	return 1;
}

/* A record read by id with sql (first column), or 0, or -rc. */
static int record_by_id(struct store *s, const char *sql, const char *id, jv *rec)
{
	sqlite3_stmt *st;
	int r = row(s, sql, id, NULL, &st);
	if (r != 1)
		return r;
	*rec = col_json(st, 0);
	sqlite3_reset(st);
	if (jv_get_kind(*rec) == JV_KIND_OBJECT)
		return 1;
	jv_free(*rec);
	*rec = jv_null();
	return 0;
}

static jv case_summary(sqlite3_stmt *st, const char *id)
{
	jv rec = col_json(st, 4);
	if (jv_get_kind(rec) != JV_KIND_OBJECT) {
		jv_free(rec);
		rec = jv_object();
	}
	rec = jv_object_set(rec, jv_string("id"), jv_string(id));
	rec = jv_object_set(rec, jv_string("kind"), jv_string(col_str(st, 0)));
	rec = jv_object_set(rec, jv_string("status"), jv_string(col_str(st, 1)));
	rec = jv_object_set(rec, jv_string("title"), jv_string(col_str(st, 2)));
	rec = jv_object_set(rec, jv_string("owner"), jv_string(col_str(st, 3)));
	return rec;
}

/* One linked item as cc may see it: 1 with *rec, 0 (left out), or -rc. */
static int linked(struct store *s, const char *kind, const char *item, const char *cc, jv *rec)
{
	int r;
	if (!strcmp(kind, "message")) {
		if ((r = record_by_id(s, SQL_MESSAGE, item, rec)) == 1 &&
		    !case_export_message_visible(*rec, cc)) {
			jv_free(*rec);
			*rec = jv_null();
			r = 0;
		}
		return r;
	}
	if (!strcmp(kind, "check"))
		return check_item(s, item, cc, rec);
	if (!strcmp(kind, "notice")) {
		if ((r = record_by_id(s, SQL_NOTICE, item, rec)) == 1) {
			struct notice_reader who = {.ncb = cc, .all = 0};
			if (!case_export_notice_visible(*rec, notice_readable(s, *rec, &who))) {
				jv_free(*rec);
				*rec = jv_null();
				r = 0;
			}
		}
		return r;
	}
	if (!strcmp(kind, "plan"))
		return record_by_id(s, SQL_PLAN, item, rec);
	if (!strcmp(kind, "deployment"))
		return record_by_id(s, SQL_DEPLOYMENT, item, rec);
	if (!strcmp(kind, "person") || !strcmp(kind, "document"))
		return reference(s, kind, item, cc, rec);
	if (!strcmp(kind, "case")) {
		sqlite3_stmt *st;
		if ((r = row(s, SQL_LINKED_CASE, item, NULL, &st)) != 1)
			return r;
		jv c = case_summary(st, item);
		sqlite3_reset(st);
		if (!case_export_case_visible(c, cc)) {
			jv_free(c);
			return 0;
		}
		*rec = c;
		return 1;
	}
	return 0; /* a kind this version does not export */
}

static const char *field_str(jv rec, const char *key)
{
	const char *v = jv_get_str(rec, key);
	return v && *v ? v : NULL;
}

/*
 * The case as the view has it, when ncb may see it: its record with
 * "updated_at" its last change (its log, but for the exports it records)
 * and "countries" its distribution's. 0, 65 or 77 with *why, or an exit
 * code.
 */
static int view_case(struct store *s, const char *case_id, const char *ncb, jv *out, char **why)
{
	sqlite3_stmt *st;
	int r;
	if ((r = row(s, SQL_CASE, case_id, NULL, &st)) < 0)
		return -r;
	if (r == 0) {
		*why = dupf("no case '%s'%s", case_id, NULL);
		return CCC_EX_DATAERR;
	}
	jv c = case_summary(st, case_id);
	sqlite3_reset(st);
	if (!case_export_case_visible(c, ncb)) {
		*why = dupf("case '%s' is not shared with %s: the country is not in its "
			    "distribution",
			    case_id, ncb);
		jv_free(c);
		return CCC_EX_NOPERM;
	}
	if ((r = row(s, SQL_CHANGED, case_id, NULL, &st)) < 0) {
		jv_free(c);
		return -r;
	}
	char *changed = r == 1 && col_str(st, 0) ? xstrdup(col_str(st, 0)) : NULL;
	if (r == 1)
		sqlite3_reset(st);
	if (!changed && field_str(c, "opened_at"))
		changed = xstrdup(field_str(c, "opened_at"));
	c = jv_object_set(c, jv_string("updated_at"), jv_string(changed ? changed : ""));
	free(changed);
	jv d = jv_object_get(jv_copy(c), jv_string("distribution"));
	if (jv_get_kind(d) != JV_KIND_OBJECT) {
		jv_free(d);
		d = jv_object();
	}
	*out = jv_object_set(c, jv_string("countries"), case_export_countries(d));
	return 0;
}

/* The exporting site: {"name", "added_at"}. 0 or an exit code. */
static int view_site(struct store *s, jv *out)
{
	sqlite3_stmt *st;
	const char *site = store_site(s);
	*out = JV_OBJECT(jv_string("name"), jv_string(site ? site : "ccc"));
	int r = row(s, SQL_SITE, site ? site : "", NULL, &st);
	if (r < 0) {
		jv_free(*out);
		return -r;
	}
	if (r == 1) {
		*out = jv_object_set(*out, jv_string("added_at"), jv_string(col_str(st, 0)));
		sqlite3_reset(st);
	}
	return 0;
}

/* What case_id links that ncb may see, as the view's items. The links are
 * read first, then each record: the statements are shared. 0 or an exit
 * code. */
static int view_items(struct store *s, const char *case_id, const char *ncb, jv *out)
{
	int r;
	jv links = jv_array();
	sqlite3_stmt *st = store_stmt(s, SQL_LINKS);
	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_TRANSIENT);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		links = jv_array_append(
		    links, JV_ARRAY(jv_string(col_str(st, 0)), jv_string(col_str(st, 1))));
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		jv_free(links);
		return store_error(s, r, "reading the case's links");
	}
	jv items = jv_array();
	int rc = 0;
	jv_array_foreach (links, i, l) {
		jv k = jv_array_get(jv_copy(l), 0), id = jv_array_get(jv_copy(l), 1);
		jv rec = jv_null();
		if (!rc) {
			r = linked(s, jv_string_value(k), jv_string_value(id), ncb, &rec);
			if (r < 0)
				rc = -r;
			else if (r == 1)
				items = jv_array_append(
				    items,
				    JV_OBJECT(jv_string("kind"), jv_copy(k), jv_string("id"),
					      jv_copy(id), jv_string("record"), jv_copy(rec)));
		}
		jv_free(rec);
		jv_free(k);
		jv_free(id);
		jv_free(l);
	}
	jv_free(links);
	if (rc) {
		jv_free(items);
		return rc;
	}
	*out = items;
	return 0;
}

int case_export_view(struct store *s, const char *case_id, const char *ncb, jv *out, char **why)
{
	jv c, site, items;
	int rc;
	*why = NULL;
	if (!ncb || !notice_country_known(ncb)) {
		*why = dupf("'%s' is not an ISO 3166 alpha-2 country code that ccc knows%s",
			    ncb ? ncb : "", NULL);
		return CCC_EX_DATAERR;
	}
	if ((rc = view_case(s, case_id, ncb, &c, why)))
		return rc;
	if ((rc = view_site(s, &site))) {
		jv_free(c);
		return rc;
	}
	if ((rc = view_items(s, case_id, ncb, &items))) {
		jv_free(c);
		jv_free(site);
		return rc;
	}
	*out = JV_OBJECT(jv_string("case"), c, jv_string("site"), site, jv_string("ncb"),
			 jv_string(ncb), jv_string("items"), items);
	return 0;
}

int case_export(struct store *s, const char *case_id, const char *ncb, const char *format, jv *out,
		char **why)
{
	*why = NULL;
	if (!format || (strcmp(format, "misp") && strcmp(format, "stix"))) {
		*why =
		    dupf("unknown export format '%s' (misp or stix)%s", format ? format : "", NULL);
		return CCC_EX_DATAERR;
	}
	jv view;
	int rc = case_export_view(s, case_id, ncb, &view, why);
	if (rc)
		return rc;
	*out = !strcmp(format, "misp") ? case_export_misp(view) : case_export_stix(view);
	return 0;
}

/* ---- rendering: helpers ---- */

/* Field key of rec (not consumed) as a string, or NULL when it is none or
 * empty. */
static const char *field(jv rec, const char *key)
{
	const char *v = jv_get_str(rec, key);
	return v && *v ? v : NULL;
}

/* An RFC 3339 time as STIX writes it (to the millisecond, in UTC) into
 * out[RFC3339_LEN], and as seconds since the epoch; t NULL or not a time:
 * the epoch. */
static time_t stamp(const char *t, char out[RFC3339_LEN])
{
	time_t v = 0;
	if (!t || clock_parse(t, &v) != 0)
		v = 0;
	if (out)
		clock_format_ms((long long)v * 1000, out);
	return v;
}

static jv epoch_str(const char *t)
{
	char b[24];
	snprintf(b, sizeof b, "%lld", (long long)stamp(t, NULL));
	return jv_string(b);
}

/* The uuid of an item's part: "CASE/KIND/ID" and "#PART" when part. */
static void part_uuid(const char *case_id, const char *kind, const char *id, const char *part,
		      char out[37])
{
	if (!part) {
		case_export_item_uuid(case_id, kind, id, out);
		return;
	}
	char *name = dupf("%s#%s", id, part);
	case_export_item_uuid(case_id, kind, name, out);
	free(name);
}

/* "TYPE--UUID" of an item's part. */
static jv stix_id(const char *type, const char *case_id, const char *kind, const char *id,
		  const char *part)
{
	char u[37];
	part_uuid(case_id, kind, id, part, u);
	char *s = dupf("%s--%s", type, u);
	jv v = jv_string(s);
	free(s);
	return v;
}

static jv set_str(jv o, const char *key, const char *v)
{
	return v && *v ? jv_object_set(o, jv_string(key), jv_string(v)) : o;
}

/* The document label of a record ("passport", "id_card" ...) as a MISP
 * attribute type. */
static const char *misp_document_type(const char *label)
{
	if (label && (!strcmp(label, "passport") || !strcmp(label, "P")))
		return "passport-number";
	if (label && (!strcmp(label, "id_card") || !strcmp(label, "identity_card") ||
		      !strcmp(label, "I") || !strcmp(label, "ID")))
		return "identity-card-number";
	return "text";
}

/* What the export needs of one item: the case, the item's kind and id, the
 * event's timestamp. */
struct item {
	const char *case_id, *kind, *id, *ts;
	jv rec; /* borrowed */
};

/* ---- MISP ---- */

static jv misp_attribute(const struct item *it, const char *part, const char *type,
			 const char *category, const char *value, int to_ids, const char *comment)
{
	char u[37];
	part_uuid(it->case_id, it->kind, it->id, part, u);
	jv a = JV_OBJECT(jv_string("uuid"), jv_string(u), jv_string("type"), jv_string(type),
			 jv_string("category"), jv_string(category), jv_string("value"),
			 jv_string(value), jv_string("to_ids"), jv_bool(to_ids));
	a = jv_object_set(a, jv_string("timestamp"), epoch_str(it->ts));
	a = jv_object_set(a, jv_string("distribution"), jv_string("5"));
	a = jv_object_set(a, jv_string("comment"), jv_string(comment ? comment : ""));
	return a;
}

/* An attribute of an object: relation and the attribute itself. */
static jv misp_rel(const struct item *it, const char *part, const char *relation, const char *type,
		   const char *category, const char *value, const char *comment)
{
	char *p = dupf("%s/%s", part, relation);
	jv a = misp_attribute(it, p, type, category, value, 0, comment);
	free(p);
	return jv_object_set(a, jv_string("object_relation"), jv_string(relation));
}

static const char PERSON_TEMPLATE[] = "a15b0477-e9d1-4b9c-9546-abe78a4f4248";

/* A MISP "person" object of attrs (an array, consumed), or nothing when it
 * has none. */
static jv misp_person(const struct item *it, const char *part, jv attrs, const char *comment,
		      jv objects)
{
	char u[37];
	if (jv_array_length(jv_copy(attrs)) == 0) {
		jv_free(attrs);
		return objects;
	}
	part_uuid(it->case_id, it->kind, it->id, part, u);
	jv o = JV_OBJECT(jv_string("name"), jv_string("person"), jv_string("meta-category"),
			 jv_string("misc"), jv_string("description"),
			 jv_string("An object which describes a person or an identity."),
			 jv_string("template_uuid"), jv_string(PERSON_TEMPLATE),
			 jv_string("template_version"), jv_string("8"), jv_string("uuid"),
			 jv_string(u));
	o = jv_object_set(o, jv_string("timestamp"), epoch_str(it->ts));
	o = jv_object_set(o, jv_string("distribution"), jv_string("5"));
	o = jv_object_set(o, jv_string("comment"), jv_string(comment));
	o = jv_object_set(o, jv_string("Attribute"), attrs);
	return jv_array_append(objects, o);
}

/* Append a person relation when value is not empty. */
static jv person_add(const struct item *it, const char *part, jv attrs, const char *relation,
		     const char *type, const char *value)
{
	if (!value || !*value)
		return attrs;
	return jv_array_append(attrs, misp_rel(it, part, relation, type, "Person", value, NULL));
}

/* The entities of a message as attributes and objects. */
static void misp_entities(const struct item *it, jv *attrs, jv *objects)
{
	jv ents = jv_object_get(jv_copy(it->rec), jv_string("entities"));
	if (jv_get_kind(ents) != JV_KIND_ARRAY) {
		jv_free(ents);
		return;
	}
	jv_array_foreach (ents, i, e) {
		const char *kind = field(e, "kind");
		char part[32], comment[256];
		snprintf(part, sizeof part, "entity-%d", i);
		if (kind && !strcmp(kind, "document") && field(e, "number")) {
			snprintf(comment, sizeof comment, "travel document named in %s%s%s", it->id,
				 field(e, "country") ? ", issued by " : "",
				 field(e, "country") ? field(e, "country") : "");
			*attrs = jv_array_append(
			    *attrs, misp_attribute(it, part, misp_document_type(field(e, "label")),
						   "Person", field(e, "number"), 0, comment));
		} else if (kind && !strcmp(kind, "vin") && field(e, "vin")) {
			snprintf(comment, sizeof comment,
				 "vehicle identification number named in %s", it->id);
			*attrs =
			    jv_array_append(*attrs, misp_attribute(it, part, "text", "Other",
								   field(e, "vin"), 0, comment));
		} else if (kind && !strcmp(kind, "mrz")) {
			const char *code = field(e, "document_code");
			int pass = code && code[0] == 'P';
			jv a = jv_array();
			a = person_add(it, part, a, "last-name", "last-name", field(e, "surname"));
			a = person_add(it, part, a, "first-name", "first-name",
				       field(e, "given_names"));
			a = person_add(it, part, a, "date-of-birth", "date-of-birth",
				       field(e, "birth_date_iso"));
			a = person_add(it, part, a, "nationality", "nationality",
				       field(e, "nationality_country")
					   ? field(e, "nationality_country")
					   : field(e, "nationality"));
			a = person_add(it, part, a,
				       pass ? "passport-number" : "identity-card-number",
				       pass ? "passport-number" : "identity-card-number",
				       field(e, "document_number"));
			if (pass) {
				a = person_add(it, part, a, "passport-country", "passport-country",
					       field(e, "issuing_country")
						   ? field(e, "issuing_country")
						   : field(e, "issuing_state"));
				a = person_add(it, part, a, "passport-expiration",
					       "passport-expiration", field(e, "expiry_date_iso"));
			}
			snprintf(comment, sizeof comment, "machine readable zone (%s) read in %s",
				 field(e, "format") ? field(e, "format") : "MRZ", it->id);
			*objects = misp_person(it, part, a, comment, *objects);
		}
		jv_free(e);
	}
	jv_free(ents);
}

static void misp_message(const struct item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char comment[512];
	snprintf(comment, sizeof comment, "message %s from %s, received %s", it->id,
		 field(r, "origin_country") ? field(r, "origin_country") : "an unknown country",
		 field(r, "received_at") ? field(r, "received_at") : "");
	*attrs = jv_array_append(
	    *attrs, misp_attribute(it, "subject", "text", "Other",
				   field(r, "subject") ? field(r, "subject") : "", 0, comment));
	if (field(r, "body")) {
		snprintf(comment, sizeof comment, "body of message %s", it->id);
		*attrs = jv_array_append(*attrs, misp_attribute(it, "body", "text", "Other",
								field(r, "body"), 0, comment));
	}
	misp_entities(it, attrs, objects);
}

static void misp_check(const struct item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	jv q = jv_object_get(jv_copy(r), jv_string("query"));
	jv hits = jv_object_get(jv_copy(r), jv_string("hits"));
	struct buf b = {0}, h = {0};
	if (jv_get_kind(q) == JV_KIND_OBJECT)
		jv_object_foreach (q, k, v) {
			if (jv_get_kind(v) == JV_KIND_STRING) {
				if (b.len)
					buf_adds(&b, " ");
				buf_adds(&b, jv_string_value(v));
			}
			jv_free(k);
			jv_free(v);
		}
	jv_free(q);
	buf_addc(&b, '\0');
	jv_array_foreach (hits, i, x) {
		buf_adds(&h, i ? ", " : "");
		buf_adds(&h, field(x, "id") ? field(x, "id") : "");
		if (field(x, "status")) {
			buf_adds(&h, " ");
			buf_adds(&h, field(x, "status"));
		}
		jv_free(x);
	}
	jv_free(hits);
	buf_addc(&h, '\0');
	char *cm = CAT("check ", it->id, " of ", field(r, "db") ? field(r, "db") : "", " by ",
		       field(r, "ncb") ? field(r, "ncb") : "-", " at ",
		       field(r, "ts") ? field(r, "ts") : "", ": ", *h.p ? h.p : "no hit");
	*attrs = jv_array_append(*attrs, misp_attribute(it, "query", "text", "Other", b.p, 0, cm));
	free(cm);
	buf_free(&b);
	buf_free(&h);
}

static void misp_notice(const struct item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char comment[512];
	const char *name = field(r, "name");
	snprintf(comment, sizeof comment, "%s %s (%s), requested by %s", field(r, "kind"), it->id,
		 field(r, "status") ? field(r, "status") : "",
		 field(r, "requesting_country") ? field(r, "requesting_country") : "-");
	char *value = CAT(field(r, "control") ? field(r, "control") : it->id, name ? ": " : "",
			  name ? name : "");
	*attrs = jv_array_append(*attrs,
				 misp_attribute(it, "notice", "text", "Other", value, 0, comment));
	free(value);
	if (name) {
		jv a = jv_array();
		a = person_add(it, "subject", a, "full-name", "full-name", name);
		a = person_add(it, "subject", a, "date-of-birth", "date-of-birth", field(r, "dob"));
		a = person_add(it, "subject", a, "nationality", "nationality",
			       field(r, "nationality"));
		snprintf(comment, sizeof comment, "subject of notice %s", it->id);
		*objects = misp_person(it, "subject", a, comment, *objects);
	}
}

static void misp_team(const struct item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char value[256];
	snprintf(value, sizeof value, "%s %s%s%s (%s)",
		 field(r, "kind") ? field(r, "kind") : "team", it->kind,
		 field(r, "country") ? " to " : "", field(r, "country") ? field(r, "country") : "",
		 field(r, "status") ? field(r, "status") : "");
	*attrs =
	    jv_array_append(*attrs, misp_attribute(it, NULL, "text", "Other", value, 0, it->id));
}

static void misp_reference_person(const struct item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char comment[512];
	jv a = jv_array();
	a = person_add(it, "person", a, "full-name", "full-name", field(r, "name"));
	jv al = jv_object_get(jv_copy(r), jv_string("aliases"));
	if (jv_get_kind(al) == JV_KIND_ARRAY)
		jv_array_foreach (al, i, x) {
			char rel[24];
			snprintf(rel, sizeof rel, "alias-%d", i);
			if (jv_get_kind(x) == JV_KIND_STRING && *jv_string_value(x)) {
				jv one = misp_rel(it, rel, "alias", "text", "Person",
						  jv_string_value(x), NULL);
				a = jv_array_append(a, one);
			}
			jv_free(x);
		}
	jv_free(al);
	a = person_add(it, "person", a, "date-of-birth", "date-of-birth", field(r, "dob"));
	jv na = jv_object_get(jv_copy(r), jv_string("nationalities"));
	if (jv_get_kind(na) == JV_KIND_ARRAY)
		jv_array_foreach (na, i, x) {
			char rel[24];
			snprintf(rel, sizeof rel, "nationality-%d", i);
			if (jv_get_kind(x) == JV_KIND_STRING && *jv_string_value(x))
				a = jv_array_append(a,
						    misp_rel(it, rel, "nationality", "nationality",
							     "Person", jv_string_value(x), NULL));
			jv_free(x);
		}
	jv_free(na);
	snprintf(comment, sizeof comment, "person %s of the reference database, owner %s%s%s",
		 it->id, field(r, "owner") ? field(r, "owner") : "-",
		 field(r, "notice") ? ", notice " : "",
		 field(r, "notice") ? field(r, "notice") : "");
	*objects = misp_person(it, "person", a, comment, *objects);
}

static void misp_document(const struct item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char comment[512];
	const char *label = field(r, "type") ? field(r, "type") : field(r, "label");
	snprintf(comment, sizeof comment, "%s travel document, issued by %s, owner %s",
		 field(r, "status") ? field(r, "status") : "listed",
		 field(r, "country") ? field(r, "country") : "-",
		 field(r, "owner") ? field(r, "owner") : "-");
	*attrs = jv_array_append(
	    *attrs, misp_attribute(it, NULL, misp_document_type(label), "Person",
				   field(r, "number") ? field(r, "number") : it->id, 1, comment));
}

static void misp_case(const struct item *it, jv *attrs, jv *objects)
{
	const jv r = it->rec;
	char comment[512];
	char *value = CAT(it->id, ": ", field(r, "title") ? field(r, "title") : "");
	snprintf(comment, sizeof comment, "linked case (%s, %s)",
		 field(r, "kind") ? field(r, "kind") : "",
		 field(r, "status") ? field(r, "status") : "");
	*attrs =
	    jv_array_append(*attrs, misp_attribute(it, NULL, "text", "Other", value, 0, comment));
	free(value);
}

/* ---- STIX 2.1 ---- */

struct stix {
	const char *case_id;
	char created[RFC3339_LEN], modified[RFC3339_LEN];
	jv identity; /* its id */
	jv objects;  /* everything but the report */
	jv refs;     /* the report's object_refs */
};

/* A STIX Domain Object's common properties. */
static jv sdo(struct stix *x, const char *type, jv id)
{
	return JV_OBJECT(jv_string("type"), jv_string(type), jv_string("spec_version"),
			 jv_string("2.1"), jv_string("id"), id, jv_string("created"),
			 jv_string(x->created), jv_string("modified"), jv_string(x->modified),
			 jv_string("created_by_ref"), jv_copy(x->identity));
}

/*
 * A custom object (type x-ccc-...) as a Cyber-observable Object: no
 * created, modified or created_by_ref. The OASIS schemas take a custom
 * object that has the common properties of a Domain Object for both kinds
 * at once, and refuse it; so every custom object here is of this form.
 */
static jv sco(const char *type, jv id)
{
	return JV_OBJECT(jv_string("type"), jv_string(type), jv_string("spec_version"),
			 jv_string("2.1"), jv_string("id"), id);
}

static void stix_add(struct stix *x, jv o, int referenced)
{
	if (referenced)
		x->refs = jv_array_append(x->refs, jv_object_get(jv_copy(o), jv_string("id")));
	x->objects = jv_array_append(x->objects, o);
}

/* observed-data of the SCOs refs (consumed, at least one) at time t. */
static void stix_observed(struct stix *x, const struct item *it, const char *t, jv refs)
{
	char at[RFC3339_LEN];
	stamp(t, at);
	jv o =
	    sdo(x, "observed-data", stix_id("observed-data", x->case_id, it->kind, it->id, NULL));
	o = jv_object_set(o, jv_string("first_observed"), jv_string(at));
	o = jv_object_set(o, jv_string("last_observed"), jv_string(at));
	o = jv_object_set(o, jv_string("number_observed"), jv_number(1));
	o = jv_object_set(o, jv_string("object_refs"), refs);
	stix_add(x, o, 1);
}

/* A single-quoted STIX pattern string: ' and \ escaped. */
static void pattern_str(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}

/* An x-ccc-document SCO (its id appended to refs), and, for a document of
 * the reference database, an indicator that matches it. */
static jv stix_document(struct stix *x, const struct item *it, const char *part, jv d, jv refs,
			int indicator)
{
	const char *number = field(d, "number"), *cc = field(d, "country");
	jv o = sco("x-ccc-document", stix_id("x-ccc-document", x->case_id, it->kind, it->id, part));
	o = set_str(o, "number", number);
	o = set_str(o, "issuing_country", cc);
	o = set_str(o, "document_type", field(d, "label") ? field(d, "label") : field(d, "type"));
	o = set_str(o, "status", field(d, "status"));
	o = set_str(o, "owner", field(d, "owner"));
	refs = jv_array_append(refs, jv_object_get(jv_copy(o), jv_string("id")));
	stix_add(x, o, 1);
	if (indicator && number) {
		struct buf p = {0};
		char name[256];
		buf_adds(&p, "[x-ccc-document:number = ");
		pattern_str(&p, number);
		if (cc) {
			buf_adds(&p, " AND x-ccc-document:issuing_country = ");
			pattern_str(&p, cc);
		}
		buf_adds(&p, "]");
		buf_addc(&p, '\0');
		snprintf(name, sizeof name, "%s travel document %s%s%s",
			 field(d, "status") ? field(d, "status") : "listed", number,
			 cc ? " of " : "", cc ? cc : "");
		jv i =
		    sdo(x, "indicator", stix_id("indicator", x->case_id, it->kind, it->id, part));
		i = jv_object_set(i, jv_string("name"), jv_string(name));
		i = jv_object_set(i, jv_string("indicator_types"),
				  JV_ARRAY(jv_string("compromised")));
		i = jv_object_set(i, jv_string("pattern"), jv_string(p.p));
		i = jv_object_set(i, jv_string("pattern_type"), jv_string("stix"));
		i = jv_object_set(i, jv_string("pattern_version"), jv_string("2.1"));
		i = jv_object_set(i, jv_string("valid_from"), jv_string(x->created));
		buf_free(&p);
		stix_add(x, i, 1);
	}
	return refs;
}

/* Copy the fields keys (NULL-terminated) of rec that are strings. */
static jv copy_strs(jv o, jv rec, const char *const *keys, const char *prefix)
{
	for (; *keys; keys++) {
		char k[64];
		snprintf(k, sizeof k, "%s%s", prefix, *keys);
		o = set_str(o, k, field(rec, *keys));
	}
	return o;
}

static void stix_message(struct stix *x, const struct item *it)
{
	const jv r = it->rec;
	static const char *const keys[] = {"origin_country", "received_at", "sent_at", "language",
					   "subject",        "body",        NULL};
	jv m = sco("x-ccc-message", stix_id("x-ccc-message", x->case_id, it->kind, it->id, NULL));
	m = jv_object_set(m, jv_string("message_id"), jv_string(it->id));
	m = copy_strs(m, r, keys, "");
	jv refs = JV_ARRAY(jv_object_get(jv_copy(m), jv_string("id")));
	stix_add(x, m, 1);
	jv ents = jv_object_get(jv_copy(r), jv_string("entities"));
	if (jv_get_kind(ents) == JV_KIND_ARRAY)
		jv_array_foreach (ents, i, e) {
			const char *kind = field(e, "kind");
			char part[32];
			snprintf(part, sizeof part, "entity-%d", i);
			if (kind && !strcmp(kind, "document") && field(e, "number"))
				refs = stix_document(x, it, part, e, refs, 0);
			else if (kind && !strcmp(kind, "vin") && field(e, "vin")) {
				jv v = sco("x-ccc-vehicle", stix_id("x-ccc-vehicle", x->case_id,
								    it->kind, it->id, part));
				v = set_str(v, "vin", field(e, "vin"));
				refs = jv_array_append(refs,
						       jv_object_get(jv_copy(v), jv_string("id")));
				stix_add(x, v, 1);
			} else if (kind && !strcmp(kind, "mrz")) {
				static const char *const mk[] = {"format",
								 "document_code",
								 "issuing_country",
								 "nationality_country",
								 "surname",
								 "given_names",
								 "document_number",
								 "birth_date_iso",
								 "expiry_date_iso",
								 "sex",
								 NULL};
				jv v = sco("x-ccc-mrz", stix_id("x-ccc-mrz", x->case_id, it->kind,
								it->id, part));
				v = copy_strs(v, e, mk, "");
				jv ok = jv_object_get(jv_copy(e), jv_string("valid"));
				if (jv_get_kind(ok) == JV_KIND_TRUE ||
				    jv_get_kind(ok) == JV_KIND_FALSE)
					v = jv_object_set(v, jv_string("valid"), ok);
				else
					jv_free(ok);
				refs = jv_array_append(refs,
						       jv_object_get(jv_copy(v), jv_string("id")));
				stix_add(x, v, 1);
			}
			jv_free(e);
		}
	jv_free(ents);
	stix_observed(x, it, field(r, "received_at"), refs);
}

static void stix_check(struct stix *x, const struct item *it)
{
	const jv r = it->rec;
	jv q = sco("x-ccc-check", stix_id("x-ccc-check", x->case_id, it->kind, it->id, NULL));
	q = jv_object_set(q, jv_string("check_id"), jv_string(it->id));
	q = set_str(q, "database", field(r, "db"));
	q = set_str(q, "asked_by", field(r, "ncb"));
	jv query = jv_object_get(jv_copy(r), jv_string("query"));
	jv hits = jv_object_get(jv_copy(r), jv_string("hits"));
	if (jv_get_kind(query) == JV_KIND_OBJECT && jv_object_length(jv_copy(query)) > 0)
		q = jv_object_set(q, jv_string("query"), query);
	else
		jv_free(query);
	if (jv_get_kind(hits) == JV_KIND_ARRAY && jv_array_length(jv_copy(hits)) > 0)
		q = jv_object_set(q, jv_string("hits"), hits);
	else
		jv_free(hits);
	jv refs = JV_ARRAY(jv_object_get(jv_copy(q), jv_string("id")));
	stix_add(x, q, 1);
	stix_observed(x, it, field(r, "ts"), refs);
}

static void stix_notice(struct stix *x, const struct item *it)
{
	const jv r = it->rec;
	static const char *const keys[] = {"status",       "requesting_country", "control",
					   "published_at", "expires_at",         "name",
					   "dob",          "nationality",        NULL};
	jv n = sco("x-ccc-notice", stix_id("x-ccc-notice", x->case_id, it->kind, it->id, NULL));
	n = jv_object_set(n, jv_string("notice_id"), jv_string(it->id));
	n = set_str(n, "notice_kind", field(r, "kind"));
	n = copy_strs(n, r, keys, "");
	stix_add(x, n, 1);
}

static void stix_team(struct stix *x, const struct item *it)
{
	const jv r = it->rec;
	static const char *const keys[] = {"status",    "country", "for",
					   "starts_at", "ends_at", NULL};
	jv d = sco("x-ccc-deployment",
		   stix_id("x-ccc-deployment", x->case_id, it->kind, it->id, NULL));
	d = jv_object_set(d, jv_string("name"), jv_string(it->id));
	d = jv_object_set(d, jv_string("record_type"), jv_string(it->kind));
	d = set_str(d, "team_kind", field(r, "kind"));
	d = copy_strs(d, r, keys, "");
	stix_add(x, d, 1);
}

static void stix_person(struct stix *x, const struct item *it)
{
	const jv r = it->rec;
	jv p = sdo(x, "identity", stix_id("identity", x->case_id, it->kind, it->id, NULL));
	p = jv_object_set(p, jv_string("name"),
			  jv_string(field(r, "name") ? field(r, "name") : it->id));
	p = jv_object_set(p, jv_string("identity_class"), jv_string("individual"));
	p = jv_object_set(p, jv_string("x_ccc_person_id"), jv_string(it->id));
	p = set_str(p, "x_ccc_date_of_birth", field(r, "dob"));
	p = set_str(p, "x_ccc_owner", field(r, "owner"));
	p = set_str(p, "x_ccc_notice", field(r, "notice"));
	jv na = jv_object_get(jv_copy(r), jv_string("nationalities"));
	if (jv_get_kind(na) == JV_KIND_ARRAY && jv_array_length(jv_copy(na)) > 0)
		p = jv_object_set(p, jv_string("x_ccc_nationalities"), na);
	else
		jv_free(na);
	jv al = jv_object_get(jv_copy(r), jv_string("aliases"));
	if (jv_get_kind(al) == JV_KIND_ARRAY && jv_array_length(jv_copy(al)) > 0)
		p = jv_object_set(p, jv_string("x_ccc_aliases"), al);
	else
		jv_free(al);
	stix_add(x, p, 1);
}

static void stix_reference_document(struct stix *x, const struct item *it)
{
	const jv r = it->rec;
	jv_free(stix_document(x, it, NULL, r, jv_array(), 1));
}

static void stix_case(struct stix *x, const struct item *it)
{
	const jv r = it->rec;
	jv c = sdo(x, "report", stix_id("report", it->id, NULL, NULL, NULL));
	c = jv_object_set(c, jv_string("name"),
			  jv_string(field(r, "title") ? field(r, "title") : it->id));
	c = jv_object_set(c, jv_string("report_types"), JV_ARRAY(jv_string("threat-report")));
	c = jv_object_set(c, jv_string("published"), jv_string(x->modified));
	c = jv_object_set(c, jv_string("object_refs"), JV_ARRAY(jv_copy(x->identity)));
	c = jv_object_set(c, jv_string("x_ccc_case_id"), jv_string(it->id));
	c = set_str(c, "x_ccc_case_kind", field(r, "kind"));
	c = set_str(c, "x_ccc_case_status", field(r, "status"));
	stix_add(x, c, 1);
}

/* When case c (not consumed) was opened. */
static const char *opened(jv c)
{
	return field(c, "opened_at")    ? field(c, "opened_at")
	       : field(c, "created_at") ? field(c, "created_at")
					: field(c, "updated_at");
}

/* The exporting site, the same identity in every export, created when the
 * store came to know it; x->identity gets its id. */
static jv stix_site(struct stix *x, jv site, const char *created)
{
	char u[37], since[RFC3339_LEN];
	case_export_item_uuid("", "organisation", field(site, "name"), u);
	char *iid = dupf("identity--%s%s", u, NULL);
	char *name = CAT("INTERPOL Command and Coordination Centre (", field(site, "name"), ")");
	x->identity = jv_string(iid);
	stamp(field(site, "added_at") ? field(site, "added_at") : created, since);
	jv ident = JV_OBJECT(jv_string("type"), jv_string("identity"), jv_string("spec_version"),
			     jv_string("2.1"), jv_string("id"), jv_string(iid),
			     jv_string("created"), jv_string(since), jv_string("modified"),
			     jv_string(since), jv_string("name"), jv_string(name));
	free(iid);
	free(name);
	ident = jv_object_set(ident, jv_string("identity_class"), jv_string("organization"));
	return jv_object_set(ident, jv_string("sectors"),
			     JV_ARRAY(jv_string("government-public-services")));
}

/* The case's report (c not consumed), naming every object x holds. */
static jv stix_report(struct stix *x, jv c)
{
	const char *id = field(c, "id"), *kind = field(c, "kind");
	char *desc =
	    CAT(kind ? kind : "case", " ", id, " (", field(c, "status") ? field(c, "status") : "",
		")", field(c, "lead") ? ", lead " : "", field(c, "lead") ? field(c, "lead") : "");
	jv rep = sdo(x, "report", stix_id("report", id, NULL, NULL, NULL));
	rep = jv_object_set(rep, jv_string("name"),
			    jv_string(field(c, "title") ? field(c, "title") : id));
	rep = jv_object_set(rep, jv_string("description"), jv_string(desc));
	free(desc);
	rep = jv_object_set(rep, jv_string("report_types"), JV_ARRAY(jv_string("threat-report")));
	rep = jv_object_set(rep, jv_string("published"), jv_string(x->modified));
	rep = jv_object_set(rep, jv_string("labels"), JV_ARRAY(jv_string(kind ? kind : "case")));
	rep = jv_object_set(rep, jv_string("object_refs"), jv_copy(x->refs));
	rep = jv_object_set(rep, jv_string("x_ccc_case_id"), jv_string(id));
	jv countries = jv_object_get(jv_copy(c), jv_string("countries"));
	if (jv_get_kind(countries) == JV_KIND_ARRAY && jv_array_length(jv_copy(countries)) > 0)
		return jv_object_set(rep, jv_string("x_ccc_distribution"), countries);
	jv_free(countries);
	return rep;
}

/* How each kind of linked record is written, in each format. */
static const struct {
	const char *kind;
	void (*misp)(const struct item *it, jv *attrs, jv *objects);
	void (*stix)(struct stix *x, const struct item *it);
} renderers[] = {
    {"message", misp_message, stix_message},
    {"check", misp_check, stix_check},
    {"notice", misp_notice, stix_notice},
    {"plan", misp_team, stix_team},
    {"deployment", misp_team, stix_team},
    {"person", misp_reference_person, stix_person},
    {"document", misp_document, stix_reference_document},
    {"case", misp_case, stix_case},
};

static int renderer(const char *kind)
{
	for (size_t i = 0; i < sizeof renderers / sizeof renderers[0]; i++)
		if (kind && !strcmp(renderers[i].kind, kind))
			return (int)i;
	return -1;
}

/* The organisation of an NCB ("ncb:CC"), or of the exporting site (its
 * name): the same UUID in every export. */
static jv misp_org(const char *what, const char *name)
{
	char u[37];
	case_export_item_uuid("", "organisation", what, u);
	return JV_OBJECT(jv_string("name"), jv_string(name), jv_string("uuid"), jv_string(u));
}

/* The sharing group of case c (not consumed): the NCBs of its countries,
 * owned by org (consumed). */
static jv misp_sharing_group(jv c, jv org)
{
	const char *id = field(c, "id");
	jv orgs = jv_array();
	jv countries = jv_object_get(jv_copy(c), jv_string("countries"));
	jv_array_foreach (countries, i, cc) {
		char oname[16], key[16];
		snprintf(oname, sizeof oname, "NCB %s", jv_string_value(cc));
		snprintf(key, sizeof key, "ncb:%s", jv_string_value(cc));
		orgs = jv_array_append(orgs,
				       JV_OBJECT(jv_string("extend"), jv_false(),
						 jv_string("Organisation"), misp_org(key, oname)));
		jv_free(cc);
	}
	jv_free(countries);
	char u[37], *name = CAT(id, " distribution");
	case_export_item_uuid(id, "sharing-group", "", u);
	jv sg = JV_OBJECT(jv_string("uuid"), jv_string(u), jv_string("name"), jv_string(name),
			  jv_string("releasability"),
			  jv_string("the countries of the case's distribution"),
			  jv_string("Organisation"), org, jv_string("SharingGroupOrg"), orgs);
	free(name);
	return sg;
}

jv case_export_misp(jv view)
{
	jv c = jv_object_get(jv_copy(view), jv_string("case"));
	jv site = jv_object_get(jv_copy(view), jv_string("site"));
	jv items = jv_object_get(jv_copy(view), jv_string("items"));
	const char *id = field(c, "id"), *kind = field(c, "kind"), *status = field(c, "status");
	const char *created = opened(c);
	const char *ts = field(c, "updated_at");
	char u[37], name[256], date[11] = "1970-01-01";
	case_export_item_uuid(id, NULL, NULL, u);
	if (created && strlen(created) >= 10)
		memcpy(date, created, 10);

	snprintf(name, sizeof name, "INTERPOL CCC %s", field(site, "name"));
	jv org = misp_org(field(site, "name"), name);
	jv sg = misp_sharing_group(c, jv_copy(org));

	jv attrs = jv_array(), objects = jv_array();
	jv_array_foreach (items, i, x) {
		struct item it = {id, field(x, "kind"), field(x, "id"), ts,
				  jv_object_get(jv_copy(x), jv_string("record"))};
		int k = renderer(it.kind);
		if (k >= 0)
			renderers[k].misp(&it, &attrs, &objects);
		jv_free(it.rec);
		jv_free(x);
	}
	char *info = CAT(field(c, "title") ? field(c, "title") : id, " (", kind ? kind : "case",
			 " ", id, ")");
	jv ev = JV_OBJECT(jv_string("uuid"), jv_string(u), jv_string("info"), jv_string(info),
			  jv_string("date"), jv_string(date), jv_string("timestamp"), epoch_str(ts),
			  jv_string("published"), jv_false());
	free(info);
	ev = jv_object_set(ev, jv_string("threat_level_id"),
			   jv_string(kind && !strcmp(kind, "incident") ? "1" : "2"));
	ev = jv_object_set(ev, jv_string("analysis"),
			   jv_string(status && !strcmp(status, "closed") ? "2" : "1"));
	ev = jv_object_set(ev, jv_string("distribution"), jv_string("4"));
	ev = jv_object_set(ev, jv_string("SharingGroup"), sg);
	ev = jv_object_set(ev, jv_string("Orgc"), jv_copy(org));
	ev = jv_object_set(ev, jv_string("Org"), org);
	ev = jv_object_set(ev, jv_string("Attribute"), attrs);
	ev = jv_object_set(ev, jv_string("Object"), objects);
	char tag[64];
	snprintf(tag, sizeof tag, "ccc:case-kind=\"%s\"", kind ? kind : "case");
	ev = jv_object_set(ev, jv_string("Tag"),
			   JV_ARRAY(JV_OBJECT(jv_string("name"), jv_string("tlp:amber")),
				    JV_OBJECT(jv_string("name"), jv_string(tag))));
	jv_free(items);
	jv_free(site);
	jv_free(c);
	jv_free(view);
	return JV_OBJECT(jv_string("Event"), ev);
}

jv case_export_stix(jv view)
{
	jv c = jv_object_get(jv_copy(view), jv_string("case"));
	jv site = jv_object_get(jv_copy(view), jv_string("site"));
	jv items = jv_object_get(jv_copy(view), jv_string("items"));
	const char *id = field(c, "id");
	const char *created = opened(c);
	struct stix x = {.case_id = id, .objects = jv_array(), .refs = jv_array()};
	stamp(created, x.created);
	stamp(field(c, "updated_at"), x.modified);
	if (strcmp(x.modified, x.created) < 0)
		memcpy(x.modified, x.created, sizeof x.modified);

	jv ident = stix_site(&x, site, created);
	x.refs = jv_array_append(x.refs, jv_copy(x.identity));

	jv_array_foreach (items, i, e) {
		struct item it = {id, field(e, "kind"), field(e, "id"), field(c, "updated_at"),
				  jv_object_get(jv_copy(e), jv_string("record"))};
		int k = renderer(it.kind);
		if (k >= 0)
			renderers[k].stix(&x, &it);
		jv_free(it.rec);
		jv_free(e);
	}

	jv rep = stix_report(&x, c);

	jv objects = JV_ARRAY(ident, rep);
	objects = jv_array_concat(objects, x.objects);
	jv bundle = JV_OBJECT(jv_string("type"), jv_string("bundle"), jv_string("id"),
			      stix_id("bundle", id, "bundle", field(view, "ncb"), NULL),
			      jv_string("objects"), objects);
	jv_free(x.identity);
	jv_free(x.refs);
	jv_free(items);
	jv_free(site);
	jv_free(c);
	jv_free(view);
	return bundle;
}
