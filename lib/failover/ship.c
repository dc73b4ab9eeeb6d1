/*
 * ship.c: export and import of journal entries.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/audit.h"
#include "ccc/changeset.h"
#include "ccc/clock.h"
#include "ccc/digest.h"
#include "ccc/exit.h"
#include "ccc/field-ship.h"
#include "ccc/journal.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/runcmd.h"
#include "ccc/ship.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/sites.h"
#include "ccc/store.h"
#include "ccc/witness.h"
#include "ccc/xmalloc.h"

static const char *const SQL_LAST = "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1";
static const char *const SQL_AT = "SELECT hash FROM journal WHERE seq = ?1";
static const char *const SQL_EXPORT =
    "SELECT j.seq, j.epoch, j.origin, j.actor, j.command, j.ts, j.changeset, j.prev_hash,"
    " j.hash, c.origin, c.head_hash, c.signature FROM journal j"
    " JOIN checkpoints c ON c.seq = j.seq WHERE j.seq > ?1 ORDER BY j.seq LIMIT ?2";
static const char *const SQL_PUT_ENTRY =
    "INSERT INTO journal(seq, epoch, origin, actor, command, ts, changeset, prev_hash, hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char *const SQL_PUT_CHECKPOINT =
    "INSERT INTO checkpoints(seq, origin, head_hash, signature) VALUES (?1, ?2, ?3, ?4)";
static const char *const SQL_EPOCH = "SELECT coalesce(max(epoch), 0) FROM epochs";
static const char *const SQL_EPOCH_PRIMARY = "SELECT primary_site FROM epochs WHERE epoch = ?1";

int64_t ship_position(struct store *s)
{
	return store_head_seq(s);
}

/* The standbys writers wait for (ack-via:SITE), at most MAXACK. */
enum { MAXACK = 8 };
struct ack_vias {
	int n;
	char *site[MAXACK], *via[MAXACK];
};

static int add_ack_via(const char *key, const char *value, void *ctx)
{
	struct ack_vias *a = ctx;
	if (a->n == MAXACK)
		return 1;
	a->site[a->n] = xstrdup(key + strlen("ack-via:"));
	a->via[a->n] = xstrdup(value);
	a->n++;
	return 0;
}

/*
 * Acknowledged shipping (RPO 0): for each standby configured with
 * 'ccc-failover site add NAME --via CMD --ack', a writer's commit counts as
 * done only once the standby acknowledged every entry; else 75.
 */
static int ack_wait(struct store *s, int64_t seq, void *unused)
{
	struct ack_vias a = {0};
	char **site = a.site, **via = a.via;
	int rc = 0;
	(void)seq;
	(void)unused;
	sitelocal_each(store_local(s), "ack-via:", add_ack_via, &a);
	int n = a.n;
	for (int i = 0; i < n; i++) {
		int64_t pos = ship_position(s), acked;
		/* an ack beyond pos is not believed: ship_sync asks the standby again */
		if (!rc && pos != sites_acked(s, site[i]) &&
		    ship_sync(s, via[i], site[i], 10000, &acked)) {
			warnx("ack: standby '%s' has not acknowledged entry %lld; the entries are "
			      "committed here and will ship with the next commit or 'ccc-failover "
			      "ship'",
			      site[i], (long long)pos);
			rc = CCC_EX_TEMPFAIL;
		}
		free(site[i]);
		free(via[i]);
	}
	return rc;
}

void ship_wait_acks_install(struct store *s)
{
	store_on_commit(s, ack_wait, NULL);
}

jv ship_entry_head(sqlite3_stmt *st, const char *type, const char *id)
{
	jv e = jv_object();
	e = jv_object_set(e, jv_string("type"), jv_string(type));
	e = jv_object_set(e, jv_string("v"), jv_number(RECORD_VERSION));
	e = jv_object_set(e, jv_string("id"), jv_string(id));
	e = jv_object_set(e, jv_string("seq"), jv_number((double)sqlite3_column_int64(st, 0)));
	e = jv_object_set(e, jv_string("epoch"), jv_number((double)sqlite3_column_int64(st, 1)));
	static const char *const text[] = {"origin", "actor", "command", "ts"};
	for (int i = 0; i < 4; i++)
		e = jv_object_set(e, jv_string(text[i]),
				  jv_string((const char *)sqlite3_column_text(st, 2 + i)));
	return e;
}

/* The `head` record that ends an export: this site, its newest epoch, its
 * last seq and now. A hint for a standby's lag (lag.h), signed by nothing. */
static jv head_record(struct store *s)
{
	char id[200], now[RFC3339_LEN];
	int64_t seq = store_head_seq(s);
	sqlite3_stmt *st = store_stmt(s, SQL_EPOCH);
	int64_t epoch = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (seq < 0)
		return jv_invalid();
	clock_format(clock_now(), now);
	snprintf(id, sizeof id, "head:%s:%lld", store_site(s), (long long)seq);
	jv h = jv_object();
	h = jv_object_set(h, jv_string("type"), jv_string("head"));
	h = jv_object_set(h, jv_string("v"), jv_number(RECORD_VERSION));
	h = jv_object_set(h, jv_string("id"), jv_string(id));
	h = jv_object_set(h, jv_string("site"), jv_string(store_site(s)));
	h = jv_object_set(h, jv_string("epoch"), jv_number((double)epoch));
	h = jv_object_set(h, jv_string("seq"), jv_number((double)seq));
	return jv_object_set(h, jv_string("ts"), jv_string(now));
}

/* A blob as base64 or hex, in quotes, into b: neither alphabet needs escaping. */
static void put_blob(struct buf *b, const char *key, const void *p, size_t n, int base64)
{
	buf_adds(b, key);
	size_t w = base64 ? base64_len(n) : 2 * n;
	buf_grow(b, w + 2);
	if (base64)
		base64_encode(p, n, b->p + b->len);
	else
		hex_encode(p, n, b->p + b->len);
	b->len += w;
	buf_addc(b, '"');
}

/* Record v as one line of JSON (no newline) into b, emptied first; consumes v. */
static void put_record(struct buf *b, jv v)
{
	b->len = 0;
	json_write(b, v);
	jv_free(v);
}

int ship_export_each(struct store *s, int64_t since, long long limit,
		     int (*emit)(const char *, size_t, int64_t, void *), void *ctx)
{
	sqlite3_stmt *st;
	struct buf b = {0};
	int rc;
	if (sqlite3_prepare_v2(store_db(s), SQL_EXPORT, -1, &st, NULL) != SQLITE_OK)
		return store_error(s, SQLITE_ERROR, "reading the journal");
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char id[128];
		int64_t seq = sqlite3_column_int64(st, 0);
		const char *origin = (const char *)sqlite3_column_text(st, 2);
		snprintf(id, sizeof id, "%s:%lld", origin, (long long)seq);
		/* the changeset is written straight from the row, never as a jv
		 * string (libjq would check the UTF-8 of every byte) */
		put_record(&b, ship_entry_head(st, "entry", id));
		b.len--; /* the closing brace */
		put_blob(&b, ",\"changeset\":\"", sqlite3_column_blob(st, 6),
			 (size_t)sqlite3_column_bytes(st, 6), 1);
		put_blob(&b, ",\"prev_hash\":\"", sqlite3_column_blob(st, 7),
			 (size_t)sqlite3_column_bytes(st, 7), 0);
		put_blob(&b, ",\"hash\":\"", sqlite3_column_blob(st, 8),
			 (size_t)sqlite3_column_bytes(st, 8), 0);
		buf_addc(&b, '}');
		(void)emit(b.p, b.len, -1, ctx);
		jv c = jv_object();
		c = jv_object_set(c, jv_string("type"), jv_string("checkpoint"));
		c = jv_object_set(c, jv_string("v"), jv_number(RECORD_VERSION));
		c = jv_object_set(c, jv_string("id"), jv_string(id));
		c = jv_object_set(c, jv_string("seq"), jv_number((double)seq));
		c = jv_object_set(c, jv_string("origin"),
				  jv_string((const char *)sqlite3_column_text(st, 9)));
		c = jv_object_set(
		    c, jv_string("head_hash"),
		    jv_hex(sqlite3_column_blob(st, 10), sqlite3_column_bytes(st, 10)));
		c = jv_object_set(
		    c, jv_string("signature"),
		    jv_base64(sqlite3_column_blob(st, 11), sqlite3_column_bytes(st, 11)));
		put_record(&b, c);
		if (emit(b.p, b.len, seq, ctx)) {
			rc = SQLITE_DONE; /* enough for now: the rest another time */
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		buf_free(&b);
		return store_error(s, rc, "reading the journal");
	}
	jv h = head_record(s);
	if (jv_is_valid(h)) {
		put_record(&b, h);
		(void)emit(b.p, b.len, -1, ctx);
	}
	buf_free(&b);
	return 0;
}

static int emit_out(const char *line, size_t n, int64_t checkpoint, void *ctx)
{
	out_line(line, n);
	return 0;
}

int ship_export(struct store *s, int64_t since, long long limit)
{
	return ship_export_each(s, since, limit, emit_out, NULL);
}

struct conflict {
	char table[128]; /* copied: the iterator's name is freed with it */
	int foreign;     /* a change to a table no entry may change was met */
};

/* The second guard (the first is the walk before applying): a change to a
 * table that is not replicated state is never applied, and marks the entry. */
static int only_state_tables(void *ctx, const char *table)
{
	struct conflict *c = ctx;
	if (store_is_replicated_table(table))
		return 1;
	snprintf(c->table, sizeof c->table, "%s", table);
	c->foreign = 1;
	return 0;
}

static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	struct conflict *c = ctx;
	const char *table;
	int ncol, op, ind;
	if (sqlite3changeset_op(it, &table, &ncol, &op, &ind) == SQLITE_OK)
		snprintf(c->table, sizeof c->table, "%s", table);
	return SQLITE_CHANGESET_ABORT;
}

static int field_num(jv rec, const char *name, int64_t *out)
{
	jv v = jv_object_get(jv_copy(rec), jv_string(name));
	int ok = jv_get_kind(v) == JV_KIND_NUMBER;
	double d = ok ? jv_number_value(v) : 0;
	ok = ok && d >= -9223372036854775808.0 &&
	     d < 9223372036854775808.0; /* in range of int64_t, or the cast is undefined */
	if (ok)
		*out = (int64_t)d;
	jv_free(v);
	return ok ? 0 : -1;
}

static int refuse(char *why, size_t n, const char *fmt, long long seq, const char *arg)
{
	snprintf(why, n, fmt, seq, arg ? arg : "");
	return CCC_EX_DATAERR;
}

/*
 * A refused entry, signed by a trusted site, from a newer epoch than this
 * store's: this site has seen that epoch, so it must stop writing (split
 * brain is reported, never resolved by writing on). Kept in the sealed site
 * settings (sitelocal.h): deleting it fences the site all the same.
 */
static void note_epoch(struct store *s, int64_t epoch, const char *origin)
{
	sqlite3_stmt *st = store_stmt(s, SQL_EPOCH);
	int64_t have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (epoch <= have)
		return;
	(void)sitelocal_note_epoch(store_local(s), epoch, origin);
}

int ship_apply(struct store *s, jv e, jv c, jv *ack, char *why, size_t whylen)
{
	return ship_apply_cs(s, e, c, NULL, 0, ack, why, whylen);
}

int ship_apply_cs(struct store *s, jv e, jv c, const char *csb, size_t cslen, jv *ack, char *why,
		  size_t whylen)
{
	struct journal_entry je = {0};
	uint8_t hash[SHA256_LEN], have[SHA256_LEN], head[SHA256_LEN], sig[SIGN_SIGLEN + 5],
	    pub[SIGN_PUBLEN], *msg = NULL, *cs = NULL;
	int64_t seq = 0, cseq = 0, last = 0;
	int rc = 0;
	sqlite3 *db = store_db(s);
	sqlite3_stmt *st;

	*ack = jv_invalid();
	if ((rc = store_load_replicated_tables())) {
		snprintf(why, whylen, "cannot tell which tables an entry may change");
		goto out;
	}
	const char *origin = jv_get_str(e, "origin"), *actor = jv_get_str(e, "actor");
	const char *command = jv_get_str(e, "command"), *ts = jv_get_str(e, "ts");
	const char *corigin = jv_get_str(c, "origin");
	if (!csb) {
		csb = jv_get_str(e, "changeset");
		cslen = csb ? strlen(csb) : 0;
	}
	const char *sigb = jv_get_str(c, "signature");
	if (field_num(e, "seq", &seq) || field_num(e, "epoch", &je.epoch) || !origin || !actor ||
	    !command || !ts || !csb || jv_get_hex(e, "prev_hash", je.prev_hash, SHA256_LEN) ||
	    jv_get_hex(e, "hash", hash, SHA256_LEN)) {
		rc =
		    refuse(why, whylen, "entry %lld: a field is missing or malformed%s", seq, NULL);
		goto out;
	}
	if (field_num(c, "seq", &cseq) || cseq != seq || !corigin || strcmp(corigin, origin) ||
	    jv_get_hex(c, "head_hash", head, SHA256_LEN) || !sigb ||
	    /* sig has the n * 3 / 4 + 3 bytes base64_decode needs for a signature's length */
	    strlen(sigb) > 4 * ((SIGN_SIGLEN + 2) / 3) ||
	    base64_decode(sigb, strlen(sigb), sig) != SIGN_SIGLEN) {
		rc = refuse(why, whylen,
			    "entry %lld: its checkpoint is missing or does not match%s", seq, NULL);
		goto out;
	}
	cs = malloc(cslen * 3 / 4 + 4);
	long n = cs ? base64_decode(csb, cslen, cs) : -1;
	if (n < 0) {
		rc = refuse(why, whylen, "entry %lld: field 'changeset': not base64%s", seq, NULL);
		goto out;
	}
	je.seq = seq;
	je.origin = origin;
	je.actor = actor;
	je.command = command;
	je.ts = ts;
	je.changeset = cs;
	je.changeset_len = (size_t)n;
	journal_hash(&je, have);
	if (memcmp(have, hash, SHA256_LEN) != 0 || memcmp(head, hash, SHA256_LEN) != 0) {
		rc = refuse(why, whylen, "entry %lld: its contents do not match its hash%s", seq,
			    NULL);
		goto out;
	}
	if (store_site_key(s, origin, pub) < 0) {
		rc = refuse(why, whylen, "entry %lld: no trusted key for site '%s'", seq, origin);
		goto out;
	}
	if (audit_revoked(s, origin, NULL, NULL, 0)) {
		rc = refuse(why, whylen, "entry %lld: site '%s' was revoked: its key is refused",
			    seq, origin);
		goto out;
	}
	size_t mlen = checkpoint_message(origin, seq, hash, &msg);
	if (!sign_verify(pub, msg, mlen, sig)) {
		rc = refuse(why, whylen, "entry %lld: the signature by '%s' does not verify", seq,
			    origin);
		goto out;
	}

	st = store_stmt(s, SQL_AT);
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int same = sqlite3_column_bytes(st, 0) == SHA256_LEN &&
			   !memcmp(sqlite3_column_blob(st, 0), hash, SHA256_LEN);
		sqlite3_reset(st);
		if (!same) {
			rc = refuse(why, whylen,
				    "split brain: entry %lld from '%s' differs from this store's",
				    seq, origin);
			goto out;
		}
		goto acked; /* already there: idempotent */
	}
	sqlite3_reset(st);
	uint8_t last_hash[SHA256_LEN] = {0};
	st = store_stmt(s, SQL_LAST);
	if (sqlite3_step(st) == SQLITE_ROW) {
		last = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == SHA256_LEN)
			memcpy(last_hash, sqlite3_column_blob(st, 1), SHA256_LEN);
	}
	sqlite3_reset(st);
	if (seq != last + 1) {
		snprintf(why, whylen, "entry %lld: this store's last entry is %lld (a gap)",
			 (long long)seq, (long long)last);
		rc = CCC_EX_DATAERR;
		goto out;
	}
	if (memcmp(last_hash, je.prev_hash, SHA256_LEN) != 0) {
		snprintf(why, whylen,
			 "split brain: entry %lld does not follow this store's entry %lld",
			 (long long)seq, (long long)last);
		rc = CCC_EX_DATAERR;
		goto out;
	}
	st = store_stmt(s, SQL_EPOCH);
	int64_t epoch = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (je.epoch < epoch) {
		snprintf(why, whylen,
			 "entry %lld: epoch %lld is older than this store's epoch %lld",
			 (long long)seq, (long long)je.epoch, (long long)epoch);
		rc = CCC_EX_DATAERR;
		goto out;
	}
	/* Only replicated state: never this site's settings (local), the journal,
	 * SQLite's own tables, derived or full-text tables, or a table the
	 * migrations do not make. Checked before anything is applied. */
	char table[128];
	int found =
	    changeset_find_table(cs, (int)n, store_is_replicated_table, table, sizeof table);
	if (found) {
		if (found > 0)
			snprintf(why, whylen,
				 "entry %lld changes table '%s', which no entry may change",
				 (long long)seq, table);
		else
			snprintf(why, whylen, "entry %lld: its changeset is malformed",
				 (long long)seq);
		rc = CCC_EX_DATAERR;
		goto out;
	}
	struct conflict cf = {"", 0};
	int arc = changeset_apply_counted(db, (int)n, cs, only_state_tables, on_conflict, &cf);
	if (cf.foreign) {
		snprintf(why, whylen, "entry %lld changes table '%s', which no entry may change",
			 (long long)seq, cf.table);
		rc = CCC_EX_DATAERR;
		goto out;
	}
	if (arc != SQLITE_OK) {
		snprintf(why, whylen, "split brain: entry %lld conflicts with this store%s%s%s",
			 (long long)seq, cf.table[0] ? " in table '" : "", cf.table,
			 cf.table[0] ? "'" : "");
		rc = CCC_EX_DATAERR;
		goto out;
	}
	/* Its origin must be the primary of its epoch, as the store knows it
	 * with the entry applied (a promotion brings its own epochs row). */
	st = store_stmt(s, SQL_EPOCH_PRIMARY);
	sqlite3_bind_int64(st, 1, je.epoch);
	char primary[128] = "";
	int have_epoch = sqlite3_step(st) == SQLITE_ROW;
	/* a site's name is text: a blob that spells it is not the site, and
	 * every query that compares names (failover, trust, rejoin) would say so */
	int named = have_epoch && sqlite3_column_type(st, 0) == SQLITE_TEXT;
	if (named)
		snprintf(primary, sizeof primary, "%s", sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (!named || strcmp(primary, origin) != 0) {
		if (!have_epoch)
			snprintf(why, whylen, "entry %lld: epoch %lld has no epochs row",
				 (long long)seq, (long long)je.epoch);
		else if (!named)
			snprintf(why, whylen,
				 "entry %lld: the primary of epoch %lld is not a site's name"
				 " (not text)",
				 (long long)seq, (long long)je.epoch);
		else
			snprintf(why, whylen,
				 "entry %lld: signed by '%s', but the primary of epoch %lld is "
				 "'%s'",
				 (long long)seq, origin, (long long)je.epoch, primary);
		rc = CCC_EX_DATAERR;
		goto out;
	}
	st = store_stmt(s, SQL_PUT_ENTRY);
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, je.epoch);
	sqlite3_bind_text(st, 3, origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, command, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ts, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, cs, (int)n, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, je.prev_hash, SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 9, hash, SHA256_LEN, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "storing an entry");
		goto out;
	}
	st = store_stmt(s, SQL_PUT_CHECKPOINT);
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, origin, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, hash, SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, sig, SIGN_SIGLEN, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "storing a checkpoint");
		goto out;
	}
	rc = 0;
acked:;
	char id[128];
	snprintf(id, sizeof id, "ack:%s:%lld", origin, (long long)seq);
	*ack = jv_object();
	*ack = jv_object_set(*ack, jv_string("type"), jv_string("ack"));
	*ack = jv_object_set(*ack, jv_string("v"), jv_number(RECORD_VERSION));
	*ack = jv_object_set(*ack, jv_string("id"), jv_string(id));
	*ack = jv_object_set(*ack, jv_string("site"), jv_string(store_site(s)));
	*ack = jv_object_set(*ack, jv_string("origin"), jv_string(origin));
	*ack = jv_object_set(*ack, jv_string("seq"), jv_number((double)seq));
	*ack = jv_object_set(*ack, jv_string("hash"), jv_hex(hash, SHA256_LEN));
	free(msg); /* the ack is signed: the primary believes nothing else */
	mlen = ack_message(store_site(s), seq, hash, &msg);
	if (store_sign(s, msg, mlen, sig) == 0)
		*ack = jv_object_set(*ack, jv_string("signature"), jv_base64(sig, SIGN_SIGLEN));
out:
	free(cs);
	free(msg);
	jv_free(e);
	jv_free(c);
	return rc;
}

int ship_begin(struct store *s)
{
	int rc = sqlite3_exec(store_db(s), "BEGIN IMMEDIATE", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_error(s, rc, "starting an import");
}

int ship_end(struct store *s, int commit)
{
	sqlite3 *db = store_db(s);
	if (commit) {
		int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return witness_record(
				   &(struct witness_store){db, store_path(s), store_site(s)}, 0),
			       0;
		rc = store_error(s, rc, "committing an import");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return 0;
}

void ship_refused(struct store *s, int64_t epoch, const char *origin, const char *why)
{
	if (origin && !strncmp(why, "split brain", 11))
		note_epoch(s, epoch, origin);
}

int ship_import(struct store *s, jv e, jv c, jv *ack, char *why, size_t whylen)
{
	int64_t epoch = 0;
	(void)field_num(e, "epoch", &epoch); /* stays 0 when absent or out of range */
	const char *o = jv_get_str(e, "origin");
	char origin[128];
	snprintf(origin, sizeof origin, "%s", o ? o : "");
	int rc = ship_begin(s);
	if (rc) {
		jv_free(e);
		jv_free(c);
		*ack = jv_invalid();
		return rc;
	}
	rc = ship_apply(s, e, c, ack, why, whylen);
	if (!rc && (rc = ship_end(s, 1))) {
		jv_free(*ack);
		*ack = jv_invalid();
	}
	if (rc) {
		ship_end(s, 0);
		if (rc == CCC_EX_DATAERR)
			ship_refused(s, epoch, origin, why);
	}
	return rc;
}

/* Export to a file descriptor: the NDJSON lines of the entries after since. */
struct fd_sink {
	struct buf b;
	int fd, err;
	size_t total, max;
	int64_t last; /* the seq of the last checkpoint written */
};

static void sink_flush(struct fd_sink *k)
{
	size_t off = 0;
	while (!k->err && off < k->b.len) {
		ssize_t w = write(k->fd, k->b.p + off, k->b.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			k->err = errno;
		else
			off += (size_t)w;
	}
	k->b.len = 0;
}

static int emit_fd(const char *line, size_t n, int64_t checkpoint, void *ctx)
{
	struct fd_sink *k = ctx;
	if (checkpoint >= 0)
		k->last = checkpoint;
	buf_add(&k->b, line, n);
	buf_addc(&k->b, '\n');
	k->total += n + 1;
	if (k->b.len > 1 << 20)
		sink_flush(k);
	return k->max && k->total >= k->max;
}

static int export_fd(struct store *s, int64_t since, long long limit, size_t max_bytes, int fd,
		     int64_t *last)
{
	struct fd_sink k = {.fd = fd, .max = max_bytes, .last = since};
	int rc = ship_export_each(s, since, limit, emit_fd, &k);
	if (last)
		*last = k.last;
	sink_flush(&k);
	buf_free(&k.b);
	if (!rc && k.err) {
		warnx("store '%s': writing the export: %s", store_path(s), strerror(k.err));
		rc = CCC_EX_IOERR;
	}
	return rc;
}

int ship_export_fd(struct store *s, int64_t since, long long limit, size_t max_bytes, int fd)
{
	return export_fd(s, since, limit, max_bytes, fd, NULL);
}

int ship_run(struct store *s, const char *via, const char *args, int in_fd, int *out_fd)
{
	struct buf cmd = {0};
	buf_adds(&cmd, via);
	buf_addc(&cmd, ' ');
	buf_adds(&cmd, args);
	buf_addc(&cmd, '\0');
	int rc = run_command(cmd.p, in_fd, out_fd, s && store_verbose(s));
	buf_free(&cmd);
	return rc;
}

int64_t ship_remote_position(struct store *s, const char *via)
{
	int fd;
	char line[64] = "";
	int rc = ship_run(s, via, "position", -1, &fd);
	if (fd >= 0) {
		ssize_t n = read(fd, line, sizeof line - 1);
		line[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	long long p;
	char *end;
	if (rc)
		return -1;
	errno = 0;
	p = strtoll(line, &end, 10);
	if (errno || end == line || (*end && *end != '\n') || p < 0) {
		warnx("'%s position' answered '%.*s', not a journal seq", via, 40, line);
		return -1;
	}
	return p;
}

/*
 * What a standby answers is believed only as its signed position: an `ack`
 * counts when it names the site shipped to (or, with --via alone, the site
 * of the first good ack), acknowledges an entry of this chunk (after lo, up
 * to hi), carries this store's hash of that entry, and is signed by the
 * site's key as this store knows it. Every other ack is warned about and
 * refused; *rc gets 65 (78 when the site's key is not trusted here).
 */
struct ack_check {
	struct store *s;
	const char *via;
	char site[128]; /* the site shipped to; "" until known */
	int64_t lo, hi, best;
	int refused, rc;
};

static const char *ack_refusal(struct ack_check *k, jv a, const char *who, int64_t seq, char *why,
			       size_t n)
{
	uint8_t hash[SHA256_LEN], sig[SIGN_SIGLEN + 5], pub[SIGN_PUBLEN], *msg;
	const char *sigb = jv_get_str(a, "signature");
	if (!who || !ccc_site_name_ok(who))
		return "it names no site";
	if (k->site[0] && strcmp(who, k->site)) {
		snprintf(why, n, "it names site '%s', not '%s', the site shipped to", who, k->site);
		return why;
	}
	if (seq <= k->lo || seq > k->hi) {
		if (k->hi == k->lo + 1)
			snprintf(why, n, "entry %lld was sent, not entry %lld", (long long)k->hi,
				 (long long)seq);
		else
			snprintf(why, n, "entries %lld to %lld were sent, not entry %lld",
				 (long long)k->lo + 1, (long long)k->hi, (long long)seq);
		return why;
	}
	sqlite3_stmt *st = store_stmt(k->s, SQL_AT);
	sqlite3_bind_int64(st, 1, seq);
	int same = jv_get_hex(a, "hash", hash, SHA256_LEN) == 0 && sqlite3_step(st) == SQLITE_ROW &&
		   sqlite3_column_bytes(st, 0) == SHA256_LEN &&
		   !memcmp(sqlite3_column_blob(st, 0), hash, SHA256_LEN);
	sqlite3_reset(st);
	if (!same)
		return "its hash is not this store's hash of that entry";
	if (store_site_key(k->s, who, pub) < 0) {
		k->rc = CCC_EX_CONFIG;
		snprintf(why, n,
			 "site '%s' is not trusted here, so its signature cannot be checked (run "
			 "'ccc-store trust add %s KEY' here, with the key 'ccc-store keys' prints "
			 "there)",
			 who, who);
		return why;
	}
	if (audit_revoked(k->s, who, NULL, NULL, 0)) {
		snprintf(why, n, "site '%s' was revoked: its key is refused", who);
		return why;
	}
	if (!sigb)
		return "it is not signed (has the standby its key file?)";
	if (strlen(sigb) > 4 * ((SIGN_SIGLEN + 2) / 3) ||
	    base64_decode(sigb, strlen(sigb), sig) != SIGN_SIGLEN)
		return "its signature is malformed";
	size_t mlen = ack_message(who, seq, hash, &msg);
	int ok = sign_verify(pub, msg, mlen, sig);
	free(msg);
	if (!ok) {
		snprintf(why, n, "its signature does not verify with the key of site '%s'", who);
		return why;
	}
	return NULL;
}

static void check_acks(struct ack_check *k, int fd)
{
	struct ndjson_reader *r = ndjson_open(fd, "acks", 1 << 20);
	struct ndjson_line ln;
	while (ndjson_next(r, &ln, -1) == NDJSON_LINE) {
		const char *t = jv_is_valid(ln.value) ? jv_get_str(ln.value, "type") : NULL;
		if (t && !strcmp(t, "ack")) {
			char why[400];
			int64_t seq = -1;
			const char *who = jv_get_str(ln.value, "site");
			const char *no = field_num(ln.value, "seq", &seq)
					     ? "its seq is missing"
					     : ack_refusal(k, ln.value, who, seq, why, sizeof why);
			if (no) {
				if (k->refused++ == 0)
					warnx(
					    "'%s import' answered an acknowledgement of entry %lld "
					    "by site '%.64s' that is refused: %s; not recorded",
					    k->via, (long long)seq, who ? who : "", no);
				if (!k->rc)
					k->rc = CCC_EX_DATAERR;
			} else {
				if (!k->site[0])
					snprintf(k->site, sizeof k->site, "%s", who);
				if (seq > k->best)
					k->best = seq;
			}
		}
		jv_free(ln.value);
	}
	ndjson_close(r);
	if (k->refused > 1)
		warnx("'%s import': %d more acknowledgements refused", k->via, k->refused - 1);
}

/* Nothing to ship: the standby is told the head all the same (a `head`
 * record alone), so that it knows it is caught up (lag.h). A hint: when it
 * cannot be told, ship_run has said why, and shipping has still succeeded. */
static int tell_head(struct store *s, const char *via, int64_t pos)
{
	int in = memfd_create("ccc-export", MFD_CLOEXEC), out = -1;
	if (in < 0 || export_fd(s, pos, 0, 0, in, NULL)) {
		if (in >= 0)
			close(in);
		return 0;
	}
	lseek(in, 0, SEEK_SET);
	(void)ship_run(s, via, "import", in, &out);
	close(in);
	if (out >= 0)
		close(out);
	return 0;
}

/* A chunk stops after the entry that passes this many bytes of NDJSON. */
#define SHIP_CHUNK_BYTES ((size_t)64 << 20)

int ship_sync(struct store *s, const char *via, const char *site, long long chunk, int64_t *acked)
{
	struct ack_check k = {.s = s, .via = via};
	int64_t since = site ? sites_acked(s, site) : 0, pos = ship_position(s);
	int from_ack = since > 0, rc = 0;
	/* a field kit gets signed batches of its tables only (field-ship.h),
	 * from its position exactly: never the room's journal */
	int kit = field_site_is_kit(s, site);
	if (site)
		snprintf(k.site, sizeof k.site, "%s", site);
	if (pos < 0)
		return CCC_EX_IOERR;
	if (since > pos) {
		/* recorded before acks were checked, or this store was rewound */
		warnx("the acknowledgement recorded for '%s' (entry %lld) is beyond this store's "
		      "last entry %lld: not believed; asking the standby where it is",
		      site, (long long)since, (long long)pos);
		from_ack = 0;
	}
	*acked = from_ack ? since : 0; /* a position is not an acknowledgement */
	if (from_ack && since == pos)
		return tell_head(s, via, pos);
	if (!from_ack && (since = ship_remote_position(s, via)) < 0)
		return CCC_EX_UNAVAILABLE;
	for (;;) {
		int64_t start = since, last = 0;
		if ((pos = ship_position(s)) < 0)
			return CCC_EX_IOERR;
		/* A position is not an acknowledgement: send the standby's last entry
		 * again (or ours, if it is ahead), so that a fork is found, never
		 * written past. */
		if (kit && !from_ack && since > pos) {
			warnx(
			    "field kit '%s' holds up to entry %lld, beyond this store's last entry "
			    "%lld: it follows another primary",
			    site, (long long)since, (long long)pos);
			return CCC_EX_DATAERR;
		}
		if (!from_ack && !kit)
			start =
			    (since < pos ? since : pos) > 0 ? (since < pos ? since : pos) - 1 : 0;
		if (start >= pos)
			return 0;
		int in = memfd_create("ccc-export", MFD_CLOEXEC), out = -1;
		if (in < 0) {
			warn("exporting to '%s'", via);
			return CCC_EX_SOFTWARE;
		}
		rc = kit ? field_export_fd(s, site, start, chunk, SHIP_CHUNK_BYTES, in, &last)
			 : export_fd(s, start, chunk, SHIP_CHUNK_BYTES, in, &last);
		if (rc) {
			close(in);
			return rc;
		}
		lseek(in, 0, SEEK_SET);
		rc = ship_run(s, via, "import", in, &out);
		close(in);
		k.lo = start;
		k.hi = last;
		k.best = -1;
		if (out >= 0) {
			check_acks(&k, out);
			close(out);
		}
		int64_t got = k.best;
		if (got > 0) {
			int arc = sites_record_ack(s, k.site, got);
			if (arc)
				return arc;
			*acked = got;
		}
		if (k.rc)
			return k.rc;
		if (rc && from_ack) {
			/* the standby may have been rebuilt: ask where it is */
			from_ack = 0;
			if ((since = ship_remote_position(s, via)) < 0)
				return CCC_EX_UNAVAILABLE;
			continue;
		}
		if (rc)
			return rc == CCC_EX_DATAERR ? rc : CCC_EX_UNAVAILABLE;
		if (got <= start) {
			warnx("'%s import' acknowledged nothing after entry %lld", via,
			      (long long)start);
			return CCC_EX_UNAVAILABLE;
		}
		if (!from_ack && since > pos) {
			warnx(
			    "the standby reached through '%s' holds %lld entries, more than this "
			    "store's %lld: it follows another primary (see 'ccc-failover rejoin')",
			    via, (long long)since, (long long)pos);
			return CCC_EX_DATAERR;
		}
		since = got;
		from_ack = 1;
	}
}

int ship_epoch_proof(struct store *s, jv e, jv c, int64_t above, int64_t *epoch_out, char *primary,
		     size_t plen)
{
	struct journal_entry je = {0};
	uint8_t hash[SHA256_LEN], have[SHA256_LEN], head[SHA256_LEN], sig[SIGN_SIGLEN + 5],
	    pub[SIGN_PUBLEN], *msg = NULL, *cs = NULL;
	int64_t seq = 0, cseq = 0;
	int proven = 0;
	const char *origin = jv_get_str(e, "origin"), *csb = jv_get_str(e, "changeset");
	const char *corigin = jv_get_str(c, "origin"), *sigb = jv_get_str(c, "signature");
	je.actor = jv_get_str(e, "actor");
	je.command = jv_get_str(e, "command");
	je.ts = jv_get_str(e, "ts");
	if (field_num(e, "seq", &seq) || field_num(e, "epoch", &je.epoch) || je.epoch <= above ||
	    !origin || !je.actor || !je.command || !je.ts || !csb ||
	    !strcmp(origin, store_site(s)) ||
	    jv_get_hex(e, "prev_hash", je.prev_hash, SHA256_LEN) ||
	    jv_get_hex(e, "hash", hash, SHA256_LEN) || field_num(c, "seq", &cseq) || cseq != seq ||
	    !corigin || strcmp(corigin, origin) || jv_get_hex(c, "head_hash", head, SHA256_LEN) ||
	    memcmp(head, hash, SHA256_LEN) || !sigb || strlen(sigb) > 4 * ((SIGN_SIGLEN + 2) / 3) ||
	    base64_decode(sigb, strlen(sigb), sig) != SIGN_SIGLEN ||
	    store_site_key(s, origin, pub) < 0)
		return 0;
	size_t cslen = strlen(csb);
	long n = (cs = malloc(cslen * 3 / 4 + 4)) ? base64_decode(csb, cslen, cs) : -1;
	if (n < 0)
		goto out;
	je.seq = seq;
	je.origin = origin;
	je.changeset = cs;
	je.changeset_len = (size_t)n;
	journal_hash(&je, have);
	size_t mlen = checkpoint_message(origin, seq, hash, &msg);
	if (memcmp(have, hash, SHA256_LEN) || !sign_verify(pub, msg, mlen, sig))
		goto out;
	/* signed by a trusted site: does it start an epoch, with its origin as primary? */
	sqlite3_changeset_iter *it;
	if (sqlite3changeset_start(&it, (int)n, cs) != SQLITE_OK)
		goto out;
	while (!proven && sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *table;
		int ncol, op, ind;
		sqlite3_value *ev = NULL, *pv = NULL;
		if (sqlite3changeset_op(it, &table, &ncol, &op, &ind) != SQLITE_OK ||
		    op != SQLITE_INSERT || strcmp(table, "epochs") || ncol < 2 ||
		    sqlite3changeset_new(it, 0, &ev) != SQLITE_OK ||
		    sqlite3changeset_new(it, 1, &pv) != SQLITE_OK || !ev || !pv ||
		    sqlite3_value_type(ev) != SQLITE_INTEGER ||
		    sqlite3_value_type(pv) != SQLITE_TEXT)
			continue;
		const char *p = (const char *)sqlite3_value_text(pv);
		if (sqlite3_value_int64(ev) == je.epoch && p && !strcmp(p, origin)) {
			proven = 1;
			*epoch_out = je.epoch;
			snprintf(primary, plen, "%s", origin);
		}
	}
	sqlite3changeset_finalize(it);
out:
	free(cs);
	free(msg);
	return proven;
}
