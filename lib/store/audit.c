/*
 * audit.c: every site's own audit chain (the checks it answered while
 * another site was primary), and the schema of site audits, field kits and
 * revocation (migration 16).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/audit.h"
#include "ccc/clock.h"
#include "ccc/digest.h"
#include "ccc/exit.h"
#include "ccc/journal.h"
#include "ccc/json.h"
#include "ccc/opts.h"
#include "ccc/sign.h"
#include "ccc/store.h"
#include "ccc/xmalloc.h"

/*
 * Migration 16.
 *
 * audit_local is this site's own chain, written by a site that is not the
 * primary (a standby or a field kit) when it answers a check: one entry per
 * transaction, hash chained and signed with this site's key. It is site-local
 * (store_is_state_table says no): never in a changeset, never replicated.
 *
 * site_audits holds, at the primary and everywhere the journal goes, every
 * site's chain as the primary imported and verified it; the consultations it
 * carried are merged into the consultation log with their site and audit seq.
 *
 * sites.kind is 'site' or 'field' (a field kit: reference databases and
 * notices only); a revoked site keeps its audit up to revoked_seq and nothing
 * after. field_journal is a field kit's own record of the signed batches it
 * applied (site-local), so that verify there can replay them.
 */
const char audit_schema[] =
    "CREATE TABLE audit_local(seq INTEGER PRIMARY KEY, site TEXT NOT NULL, ts TEXT NOT NULL,"
    " body TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL,"
    " signature BLOB NOT NULL);"
    "CREATE TABLE site_audits(site TEXT NOT NULL, seq INTEGER NOT NULL, ts TEXT NOT NULL,"
    " body TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL,"
    " signature BLOB NOT NULL, imported_at TEXT NOT NULL, PRIMARY KEY (site, seq))"
    " WITHOUT ROWID;"
    "ALTER TABLE consultations ADD COLUMN site TEXT;"
    "ALTER TABLE consultations ADD COLUMN audit_seq INTEGER;"
    "ALTER TABLE sites ADD COLUMN kind TEXT NOT NULL DEFAULT 'site';"
    "ALTER TABLE sites ADD COLUMN revoked_at TEXT;"
    "ALTER TABLE sites ADD COLUMN revoked_seq INTEGER;"
    "CREATE TABLE field_journal(seq INTEGER PRIMARY KEY, from_seq INTEGER NOT NULL,"
    " to_seq INTEGER NOT NULL, to_hash BLOB NOT NULL, signer TEXT NOT NULL,"
    " changeset BLOB NOT NULL, signature BLOB NOT NULL, applied_at TEXT NOT NULL);";

static const char *const SQL_LOCAL_LAST =
    "SELECT seq, hash FROM audit_local ORDER BY seq DESC LIMIT 1";
static const char *const SQL_LOCAL_PUT =
    "INSERT INTO audit_local(seq, site, ts, body, prev_hash, hash, signature)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char *const SQL_LOCAL_SINCE =
    "SELECT site, seq, ts, body, prev_hash, hash, signature FROM audit_local"
    " WHERE seq > ?1 ORDER BY seq";
static const char *const SQL_SITE_HEAD =
    "SELECT seq, hash FROM site_audits WHERE site = ?1 ORDER BY seq DESC LIMIT 1";
static const char *const SQL_SITE_AT = "SELECT hash FROM site_audits WHERE site = ?1 AND seq = ?2";
static const char *const SQL_SITE_PUT =
    "INSERT INTO site_audits(site, seq, ts, body, prev_hash, hash, signature, imported_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char *const SQL_REVOKED = "SELECT revoked_at, revoked_seq FROM sites WHERE name = ?1";
static const char *const SQL_COLUMNS = "SELECT name FROM pragma_table_info(?1) ORDER BY cid";
static const char *const SQL_PRIMARY =
    "SELECT primary_site FROM epochs ORDER BY epoch DESC LIMIT 1";
static const char *const SQL_CONSULT_PUT =
    "INSERT INTO consultations(c, ts, actor, ncb, deployment, db, query, hits, item, site,"
    " audit_seq) VALUES ((SELECT max(coalesce(max(c), 0), ccc_id_floor('consultations')) + 1"
    " FROM consultations), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char *const SQL_REJECT_PUT =
    "INSERT OR IGNORE INTO rejects(id, program, file, line, reason, raw, raw_size, raw_sha256,"
    " ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/* The columns of the consultation log an audit entry carries (the primary
 * numbers the rows and says where they were made), and of rejects. */
static const char *const CONSULT_COLS[] = {"ts", "actor", "ncb",  "deployment",
					   "db", "query", "hits", "item"};
static const char *const REJECT_COLS[] = {"id",  "program",  "file",       "line", "reason",
					  "raw", "raw_size", "raw_sha256", "ts"};
#define NCONSULT ((int)(sizeof CONSULT_COLS / sizeof CONSULT_COLS[0]))
#define NREJECT  ((int)(sizeof REJECT_COLS / sizeof REJECT_COLS[0]))

static int col_index(const char *const *cols, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(cols[i], name))
			return i;
	return -1;
}

static void write_value(struct buf *b, sqlite3_value *v)
{
	char num[40];
	switch (v ? sqlite3_value_type(v) : SQLITE_NULL) {
	case SQLITE_INTEGER:
		snprintf(num, sizeof num, "%lld", (long long)sqlite3_value_int64(v));
		buf_adds(b, num);
		break;
	case SQLITE_FLOAT:
		snprintf(num, sizeof num, "%.17g", sqlite3_value_double(v));
		buf_adds(b, num);
		break;
	case SQLITE_TEXT:
		json_write_str(b, (const char *)sqlite3_value_text(v),
			       (size_t)sqlite3_value_bytes(v));
		break;
	case SQLITE_BLOB: {
		size_t n = (size_t)sqlite3_value_bytes(v);
		char *e = xmalloc(base64_len(n) + 1);
		base64_encode(sqlite3_value_blob(v), n, e);
		buf_adds(b, "{\"base64\":\"");
		buf_adds(b, e);
		buf_adds(b, "\"}");
		free(e);
		break;
	}
	default: buf_adds(b, "null");
	}
}

/* The primary of the newest epoch, for messages ("" when none). */
static void primary_of(struct store *s, char *out, size_t n)
{
	sqlite3_stmt *st = store_stmt(s, SQL_PRIMARY);
	const char *p =
	    st && sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	snprintf(out, n, "%s", p ? p : "");
	if (st)
		sqlite3_reset(st);
}

static int refuse_write(struct store *s, const char *table, int op)
{
	char primary[128];
	primary_of(s, primary, sizeof primary);
	warnx("store '%s': site '%s' is not the primary%s%s%s: here a check is written to this "
	      "site's audit chain, but this would %s table '%s'; run it at the primary",
	      store_path(s), store_site(s), *primary ? " ('" : "", primary, *primary ? "' is)" : "",
	      op == SQLITE_INSERT   ? "insert into"
	      : op == SQLITE_DELETE ? "delete from"
				    : "update",
	      table);
	return CCC_EX_TEMPFAIL;
}

int audit_body(struct store *s, const void *cs, int n, char **out)
{
	sqlite3_changeset_iter *it = NULL;
	struct buf b = {0};
	int rc, nrows = 0;
	*out = NULL;
	if (sqlite3changeset_start(&it, n, (void *)cs) != SQLITE_OK)
		return store_error(s, SQLITE_CORRUPT, "reading a check's changes");
	buf_adds(&b, "{\"v\":1,\"rows\":[");
	while ((rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
		const char *table;
		int ncol, op, indirect;
		sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
		int consult = !strcmp(table, "consultations"), reject = !strcmp(table, "rejects");
		if (op != SQLITE_INSERT || (!consult && !reject)) {
			rc = refuse_write(s, table, op);
			goto fail;
		}
		sqlite3_stmt *cols = store_stmt(s, SQL_COLUMNS);
		sqlite3_bind_text(cols, 1, table, -1, SQLITE_STATIC);
		buf_adds(&b, nrows++ ? ",{\"table\":" : "{\"table\":");
		json_write_str(&b, table, strlen(table));
		for (int i = 0; i < ncol && sqlite3_step(cols) == SQLITE_ROW; i++) {
			const char *name = (const char *)sqlite3_column_text(cols, 0);
			if (!name || col_index(consult ? CONSULT_COLS : REJECT_COLS,
					       consult ? NCONSULT : NREJECT, name) < 0)
				continue;
			sqlite3_value *v = NULL;
			sqlite3changeset_new(it, i, &v);
			buf_addc(&b, ',');
			json_write_str(&b, name, strlen(name));
			buf_addc(&b, ':');
			write_value(&b, v);
		}
		sqlite3_reset(cols);
		buf_addc(&b, '}');
	}
	sqlite3changeset_finalize(it);
	it = NULL;
	if (rc != SQLITE_DONE) {
		rc = store_error(s, rc, "reading a check's changes");
		goto fail;
	}
	buf_adds(&b, "]}");
	buf_addc(&b, '\0');
	*out = b.p;
	return 0;
fail:
	sqlite3changeset_finalize(it);
	buf_free(&b);
	return rc;
}

/* The last entry of this site's chain (0 and zeros for none); -1 on error. */
static int64_t local_head(struct store *s, uint8_t hash[SHA256_LEN])
{
	sqlite3_stmt *st = store_stmt(s, SQL_LOCAL_LAST);
	int rc = sqlite3_step(st);
	int64_t seq = 0;
	memset(hash, 0, SHA256_LEN);
	if (rc == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == SHA256_LEN)
			memcpy(hash, sqlite3_column_blob(st, 1), SHA256_LEN);
	} else if (rc != SQLITE_DONE) {
		seq = -1;
	}
	sqlite3_reset(st);
	return seq;
}

int audit_append(struct store *s, const char *body, int64_t *seq_out)
{
	uint8_t prev[SHA256_LEN], hash[SHA256_LEN], sig[SIGN_SIGLEN], *msg = NULL;
	char ts[RFC3339_LEN];
	int64_t seq = local_head(s, prev);
	if (seq < 0)
		return store_error(s, SQLITE_ERROR, "reading this site's audit chain");
	seq++;
	clock_format_ms(clock_now_ms(), ts);
	audit_hash(store_site(s), seq, ts, prev, body, strlen(body), hash);
	size_t mlen = audit_message(store_site(s), seq, hash, &msg);
	int signed_ = store_sign(s, msg, mlen, sig) == 0;
	free(msg);
	if (!signed_) {
		warnx("store '%s': no key of site '%s' to sign its audit chain with", store_path(s),
		      store_site(s));
		return CCC_EX_CONFIG;
	}
	sqlite3_stmt *st = store_stmt(s, SQL_LOCAL_PUT);
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, store_site(s), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ts, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, prev, SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, hash, SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, sig, SIGN_SIGLEN, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "appending to this site's audit chain");
	*seq_out = seq;
	return 0;
}

int audit_write(struct store *s, const void *cs, int n, int64_t *seq_out)
{
	char *body = NULL;
	int rc = audit_body(s, cs, n, &body);
	if (!rc)
		rc = audit_append(s, body, seq_out);
	free(body);
	return rc;
}

static jv col_str(sqlite3_stmt *st, int c)
{
	const char *t = (const char *)sqlite3_column_text(st, c);
	return jv_string_sized(t ? t : "", sqlite3_column_bytes(st, c));
}

int audit_export_each(struct store *s, int64_t since, int (*emit)(jv, void *), void *ctx)
{
	sqlite3_stmt *st = store_stmt(s, SQL_LOCAL_SINCE);
	int rc;
	sqlite3_bind_int64(st, 1, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		jv r = JV_OBJECT(jv_string("type"), jv_string("audit"), jv_string("v"),
				 jv_number(1), jv_string("site"), col_str(st, 0), jv_string("seq"),
				 jv_number((double)sqlite3_column_int64(st, 1)));
		r = jv_object_set(r, jv_string("ts"), col_str(st, 2));
		r = jv_object_set(r, jv_string("body"), col_str(st, 3));
		r = jv_object_set(r, jv_string("prev_hash"),
				  jv_hex(sqlite3_column_blob(st, 4), sqlite3_column_bytes(st, 4)));
		r = jv_object_set(r, jv_string("hash"),
				  jv_hex(sqlite3_column_blob(st, 5), sqlite3_column_bytes(st, 5)));
		r = jv_object_set(
		    r, jv_string("signature"),
		    jv_base64(sqlite3_column_blob(st, 6), sqlite3_column_bytes(st, 6)));
		if (emit(r, ctx)) {
			sqlite3_reset(st);
			return CCC_EX_IOERR;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading this site's audit chain");
}

int64_t audit_site_head(struct store *s, const char *site, uint8_t hash[SHA256_LEN])
{
	sqlite3_stmt *st = store_stmt(s, SQL_SITE_HEAD);
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int64_t seq = 0;
	if (hash)
		memset(hash, 0, SHA256_LEN);
	if (rc == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		if (hash && sqlite3_column_bytes(st, 1) == SHA256_LEN)
			memcpy(hash, sqlite3_column_blob(st, 1), SHA256_LEN);
	} else if (rc != SQLITE_DONE) {
		seq = -1;
	}
	sqlite3_reset(st);
	return seq;
}

int audit_revoked(struct store *s, const char *site, int64_t *kept, char *at, size_t atlen)
{
	sqlite3_stmt *st = store_stmt(s, SQL_REVOKED);
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	int revoked = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		revoked = 1;
		if (kept)
			*kept = sqlite3_column_int64(st, 1);
		if (at)
			snprintf(at, atlen, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	return revoked;
}

/* A row's string field (NULL when absent or null; *bad when another kind). */
static const char *row_str(jv row, const char *name, int *bad)
{
	jv v = jv_object_get(jv_copy(row), jv_string(name));
	jv_kind k = jv_get_kind(v);
	jv_free(v);
	if (k != JV_KIND_STRING && k != JV_KIND_NULL && k != JV_KIND_INVALID)
		*bad = 1;
	return jv_get_str(row, name);
}

static int row_int(jv row, const char *name, int64_t *out)
{
	jv v = jv_object_get(jv_copy(row), jv_string(name));
	int ok = jv_get_kind(v) == JV_KIND_NUMBER && jv_number_value(v) >= 0 &&
		 jv_number_value(v) <= 9007199254740991.0 &&
		 jv_number_value(v) == (double)(int64_t)jv_number_value(v);
	if (ok)
		*out = (int64_t)jv_number_value(v);
	jv_free(v);
	return ok ? 0 : -1;
}

static int is_json(const char *p)
{
	const char *why;
	size_t at;
	return p && json_validate(p, strlen(p), &why, &at) == 0;
}

/* One consultation of an audit entry, as the log at the primary keeps it. */
static const char *put_consultation(struct store *s, jv row, const char *site, int64_t seq, int *rc)
{
	int bad = 0;
	const char *v[NCONSULT];
	for (int i = 0; i < NCONSULT; i++)
		v[i] = row_str(row, CONSULT_COLS[i], &bad);
	if (bad)
		return "a consultation's field is not a string";
	if (!v[0] || !v[1] || !v[4] || !v[5] || !v[6])
		return "a consultation lacks one of ts, actor, db, query, hits";
	if (!is_json(v[5]) || !is_json(v[6]))
		return "a consultation's query or hits is not JSON";
	sqlite3_stmt *st = store_stmt(s, SQL_CONSULT_PUT);
	for (int i = 0; i < NCONSULT; i++)
		sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, seq);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		*rc = store_error(s, r, "merging a consultation");
	return NULL;
}

static const char *put_reject(struct store *s, jv row, int *rc)
{
	int bad = 0;
	int64_t line, size;
	uint8_t *raw = NULL;
	const char *id = row_str(row, "id", &bad), *program = row_str(row, "program", &bad),
		   *file = row_str(row, "file", &bad), *reason = row_str(row, "reason", &bad),
		   *sum = row_str(row, "raw_sha256", &bad), *ts = row_str(row, "ts", &bad);
	jv r = jv_object_get(jv_copy(row), jv_string("raw"));
	const char *b64 = jv_get_kind(r) == JV_KIND_OBJECT ? jv_get_str(r, "base64") : NULL;
	if (bad || !id || !program || !file || !reason || !sum || !ts || !b64 ||
	    row_int(row, "line", &line) || row_int(row, "raw_size", &size)) {
		jv_free(r);
		return "a reject lacks a field or has one of the wrong kind";
	}
	/* the id is the reject's own (store_reject): one made up to shadow
	 * another reject is refused */
	uint8_t sum_bin[SHA256_LEN];
	char want_id[STORE_REJECT_ID_LEN];
	if (strlen(sum) != 2 * SHA256_LEN ||
	    hex_decode(sum, 2 * SHA256_LEN, sum_bin) != SHA256_LEN) {
		jv_free(r);
		return "a reject's raw_sha256 is not a SHA-256";
	}
	store_reject_id(program, file, (long long)line, sum_bin, want_id);
	if (strcmp(id, want_id)) {
		jv_free(r);
		return "a reject's id is not the one its contents give";
	}
	size_t n = strlen(b64);
	raw = xmalloc(n / 4 * 3 + 3);
	long len = base64_decode(b64, n, raw);
	jv_free(r);
	if (len < 0) {
		free(raw);
		return "a reject's raw bytes are not base64";
	}
	uint8_t got[SHA256_LEN];
	digest_sha256(raw, (size_t)len, got);
	if (len == size && memcmp(got, sum_bin, SHA256_LEN)) {
		free(raw);
		return "a reject's raw bytes are not those its raw_sha256 names";
	}
	sqlite3_stmt *st = store_stmt(s, SQL_REJECT_PUT);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, program, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, line);
	sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, raw, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, size);
	sqlite3_bind_text(st, 8, sum, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, ts, -1, SQLITE_STATIC);
	int sr = sqlite3_step(st);
	sqlite3_reset(st);
	free(raw);
	if (sr != SQLITE_DONE)
		*rc = store_error(s, sr, "merging a reject");
	return NULL;
}

/* The rows of a body, merged; a reason when the body is refused. */
static const char *merge_body(struct store *s, const char *body, const char *site, int64_t seq,
			      int *rc)
{
	const char *why = NULL;
	if (!is_json(body))
		return "its body is not JSON";
	jv b = jv_parse(body);
	jv rows = jv_get_kind(b) == JV_KIND_OBJECT ? jv_object_get(jv_copy(b), jv_string("rows"))
						   : jv_invalid();
	jv v = jv_get_kind(b) == JV_KIND_OBJECT ? jv_object_get(jv_copy(b), jv_string("v"))
						: jv_invalid();
	if (jv_get_kind(v) != JV_KIND_NUMBER || jv_number_value(v) != 1)
		why = "its body is not of a version this program knows (v 1)";
	else if (jv_get_kind(rows) != JV_KIND_ARRAY)
		why = "its body has no rows";
	for (int i = 0; !why && !*rc && i < jv_array_length(jv_copy(rows)); i++) {
		jv row = jv_array_get(jv_copy(rows), i);
		const char *t =
		    jv_get_kind(row) == JV_KIND_OBJECT ? jv_get_str(row, "table") : NULL;
		if (t && !strcmp(t, "consultations"))
			why = put_consultation(s, row, site, seq, rc);
		else if (t && !strcmp(t, "rejects"))
			why = put_reject(s, row, rc);
		else
			why = "a row is neither a consultation nor a reject";
		jv_free(row);
	}
	jv_free(v);
	jv_free(rows);
	jv_free(b);
	return why;
}

int audit_import_record(struct store *s, jv rec, char *why, size_t whylen)
{
	uint8_t prev[SHA256_LEN], hash[SHA256_LEN], have[SHA256_LEN], want[SHA256_LEN],
	    sig[SIGN_SIGLEN + 5], pub[SIGN_PUBLEN], *msg;
	const char *site = jv_get_str(rec, "site"), *ts = jv_get_str(rec, "ts"),
		   *body = jv_get_str(rec, "body"), *sigb = jv_get_str(rec, "signature");
	int64_t seq, kept = 0;
	char at[RFC3339_LEN + 8];
	int rc = 0;
	*why = '\0';
	if (!site || !ccc_site_name_ok(site)) {
		snprintf(why, whylen, "field 'site': missing or not a site name");
		return -1;
	}
	if (row_int(rec, "seq", &seq) || seq < 1) {
		snprintf(why, whylen, "field 'seq': missing or not a positive integer");
		return -1;
	}
	if (!ts || !body || !sigb || jv_get_hex(rec, "prev_hash", prev, SHA256_LEN) ||
	    jv_get_hex(rec, "hash", hash, SHA256_LEN)) {
		snprintf(why, whylen,
			 "a field is missing or malformed (ts, body, prev_hash, hash, "
			 "signature)");
		return -1;
	}
	if (store_site_key(s, site, pub) < 0) {
		snprintf(why, whylen,
			 "site '%s' is not trusted here ('ccc-failover site add %s KEY' first)",
			 site, site);
		return -1;
	}
	if (audit_revoked(s, site, &kept, at, sizeof at) && seq > kept) {
		snprintf(why, whylen,
			 "site '%s' was revoked at %s: its audit after entry %lld is refused", site,
			 at, (long long)kept);
		return -1;
	}
	audit_hash(site, seq, ts, prev, body, strlen(body), want);
	if (memcmp(want, hash, SHA256_LEN)) {
		snprintf(why, whylen, "its hash is not the hash of its contents");
		return -1;
	}
	int64_t head = audit_site_head(s, site, have);
	if (head < 0)
		return store_error(s, SQLITE_ERROR, "reading the site audits");
	if (seq <= head) {
		sqlite3_stmt *st = store_stmt(s, SQL_SITE_AT);
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, seq);
		int same = sqlite3_step(st) == SQLITE_ROW &&
			   sqlite3_column_bytes(st, 0) == SHA256_LEN &&
			   !memcmp(sqlite3_column_blob(st, 0), hash, SHA256_LEN);
		sqlite3_reset(st);
		if (same)
			return 1;
		snprintf(why, whylen,
			 "entry %lld differs from the one imported before (a forked or forged "
			 "chain)",
			 (long long)seq);
		return -1;
	}
	if (seq != head + 1) {
		snprintf(why, whylen, "gap: entry %lld was expected, not %lld", (long long)head + 1,
			 (long long)seq);
		return -1;
	}
	if (memcmp(prev, have, SHA256_LEN)) {
		snprintf(why, whylen, "its previous hash is not the hash of entry %lld",
			 (long long)head);
		return -1;
	}
	if (strlen(sigb) > 4 * ((SIGN_SIGLEN + 2) / 3) ||
	    base64_decode(sigb, strlen(sigb), sig) != SIGN_SIGLEN) {
		snprintf(why, whylen, "field 'signature': malformed");
		return -1;
	}
	size_t mlen = audit_message(site, seq, hash, &msg);
	int ok = sign_verify(pub, msg, mlen, sig);
	free(msg);
	if (!ok) {
		snprintf(why, whylen, "its signature does not verify with the key of site '%s'",
			 site);
		return -1;
	}
	/* all of the entry's rows or none: a refusal at its last row undoes the first */
	sqlite3 *db = store_db(s);
	if ((rc = sqlite3_exec(db, "SAVEPOINT audit_entry", NULL, NULL, NULL)) != SQLITE_OK)
		return store_error(s, rc, "merging an audit entry");
	const char *no = merge_body(s, body, site, seq, &rc);
	if (rc || no) {
		sqlite3_exec(db, "ROLLBACK TO audit_entry; RELEASE audit_entry", NULL, NULL, NULL);
		if (rc)
			return rc;
		snprintf(why, whylen, "%s", no);
		return -1;
	}
	sqlite3_exec(db, "RELEASE audit_entry", NULL, NULL, NULL);
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, SQL_SITE_PUT);
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_text(st, 3, ts, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, prev, SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, hash, SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, sig, SIGN_SIGLEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, now, -1, SQLITE_STATIC);
	int sr = sqlite3_step(st);
	sqlite3_reset(st);
	if (sr != SQLITE_DONE)
		return store_error(s, sr, "recording a site audit entry");
	return 0;
}

/*
 * verify: a chain read in seq order from st (site, seq, ts, body, prev_hash,
 * hash, signature, and for site_audits the site's key, revoked_seq).
 */
struct chain_walk {
	char site[128];
	int64_t expect;
	uint8_t prev[SHA256_LEN];
	int bad;
};

static void walk_row(sqlite3_stmt *st, const char *what, const uint8_t *pub, struct chain_walk *w,
		     audit_problem_fn *problem, void *ctx, long long *n)
{
	const char *site = (const char *)sqlite3_column_text(st, 0);
	int64_t seq = sqlite3_column_int64(st, 1);
	const char *ts = (const char *)sqlite3_column_text(st, 2);
	const char *body = (const char *)sqlite3_column_text(st, 3);
	uint8_t want[SHA256_LEN], *msg;
	char m[512];
	if (!site)
		site = "";
	if (strcmp(site, w->site)) {
		snprintf(w->site, sizeof w->site, "%s", site);
		w->expect = 1;
		memset(w->prev, 0, SHA256_LEN);
		w->bad = 0;
	}
	(*n)++;
	if (w->bad)
		return;
	const char *no = NULL;
	if (seq != w->expect)
		no = seq > w->expect ? "a gap before it" : "out of order";
	else if (sqlite3_column_bytes(st, 4) != SHA256_LEN ||
		 memcmp(sqlite3_column_blob(st, 4), w->prev, SHA256_LEN))
		no = "its previous hash is not the hash of the entry before";
	else if (sqlite3_column_bytes(st, 5) != SHA256_LEN || !ts || !body ||
		 (audit_hash(site, seq, ts, w->prev, body, (size_t)sqlite3_column_bytes(st, 3),
			     want),
		  memcmp(want, sqlite3_column_blob(st, 5), SHA256_LEN)))
		no = "its hash is not the hash of its contents";
	else if (!pub)
		no = "no trusted key of the site to check it with";
	else if (sqlite3_column_bytes(st, 6) != SIGN_SIGLEN)
		no = "its signature is malformed";
	else {
		size_t mlen = audit_message(site, seq, want, &msg);
		if (!sign_verify(pub, msg, mlen, sqlite3_column_blob(st, 6)))
			no = "its signature does not verify";
		free(msg);
	}
	if (no) {
		snprintf(m, sizeof m, "%s of site '%s': first bad seq %lld: %s", what, site,
			 (long long)seq, no);
		problem(ctx, m);
		w->bad = 1;
		return;
	}
	memcpy(w->prev, want, SHA256_LEN);
	w->expect = seq + 1;
}

int audit_verify(struct store *s, sqlite3 *db, const uint8_t *own_pub, audit_problem_fn *problem,
		 void *ctx, long long *entries)
{
	sqlite3_stmt *st = NULL;
	struct chain_walk w = {.expect = 1};
	char m[512];
	int rc;
	*entries = 0;
	if (sqlite3_prepare_v2(
		db,
		"SELECT site, seq, ts, body, prev_hash, hash, signature FROM audit_local"
		" ORDER BY seq",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *site = (const char *)sqlite3_column_text(st, 0);
		if (!site || strcmp(site, store_site(s))) {
			snprintf(m, sizeof m,
				 "audit chain of this site: entry %lld names site '%s', not '%s'",
				 (long long)sqlite3_column_int64(st, 1), site ? site : "",
				 store_site(s));
			problem(ctx, m);
			break;
		}
		walk_row(st, "audit chain", own_pub, &w, problem, ctx, entries);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(
		db,
		"SELECT a.site, a.seq, a.ts, a.body, a.prev_hash, a.hash, a.signature,"
		" s.pubkey, s.revoked_at, s.revoked_seq FROM site_audits a"
		" LEFT JOIN sites s ON s.name = a.site ORDER BY a.site, a.seq",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	memset(&w, 0, sizeof w);
	w.expect = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const uint8_t *pub =
		    sqlite3_column_bytes(st, 7) == SIGN_PUBLEN ? sqlite3_column_blob(st, 7) : NULL;
		walk_row(st, "site audit", pub, &w, problem, ctx, entries);
		if (!w.bad && sqlite3_column_type(st, 8) != SQLITE_NULL &&
		    sqlite3_column_int64(st, 1) > sqlite3_column_int64(st, 9)) {
			snprintf(
			    m, sizeof m,
			    "site audit of site '%s': first bad seq %lld: the site was revoked "
			    "after entry %lld",
			    w.site, (long long)sqlite3_column_int64(st, 1),
			    (long long)sqlite3_column_int64(st, 9));
			problem(ctx, m);
			w.bad = 1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
