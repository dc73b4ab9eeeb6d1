/*
 * case-export.c: a case as one country may see it (case-export.h): who sees
 * what, the view of the case from the store, name-based UUIDs. The
 * renderers are case-export-misp.c and case-export-stix.c; the mappings
 * are in ccc-records(5), EXPORT MAPPINGS.
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
#include "ccc/queue.h"
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
    "SELECT " QUEUE_RECORD("m") " FROM messages m WHERE m.id = ?1 ORDER BY m.n DESC LIMIT 1";
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
					      case_export_str(hrec, "status")
						  ? jv_string(case_export_str(hrec, "status"))
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
	if (!changed && case_export_str(c, "opened_at"))
		changed = xstrdup(case_export_str(c, "opened_at"));
	c = jv_object_set(c, jv_string("updated_at"), jv_string(changed ? changed : ""));
	if (!case_export_str(c, "opened_at"))
		c = jv_object_set(c, jv_string("opened_at"),
				  jv_object_get(jv_copy(c), jv_string("updated_at")));
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

/* ---- shared by the renderers (case-export-misp.c, case-export-stix.c) ---- */

const char *case_export_str(jv rec, const char *key)
{
	const char *v = jv_get_str(rec, key);
	return v && *v ? v : NULL;
}

time_t case_export_time(const char *t, char out[RFC3339_LEN])
{
	time_t v = 0;
	if (!t || clock_parse(t, &v) != 0)
		v = 0;
	if (out)
		clock_format_ms((long long)v * 1000, out);
	return v;
}

void case_export_part_uuid(const char *case_id, const char *kind, const char *id, const char *part,
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

char *case_export_join(const char *const *parts)
{
	struct buf b = {0};
	for (; *parts; parts++)
		buf_adds(&b, *parts);
	buf_addc(&b, '\0');
	return b.p;
}
