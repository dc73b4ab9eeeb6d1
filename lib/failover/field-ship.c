/*
 * field-ship.c: the primary's signed field batches and their import at a
 * field kit (field-ship.h, fieldkit.h).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/changeset.h"
#include "ccc/clock.h"
#include "ccc/digest.h"
#include "ccc/exit.h"
#include "ccc/field-ship.h"
#include "ccc/fieldkit.h"
#include "ccc/journal.h"
#include "ccc/lag.h"
#include "ccc/json.h"
#include "ccc/keypack.h"
#include "ccc/ndjson.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/xmalloc.h"

static const char *const SQL_KIND = "SELECT kind FROM sites WHERE name = ?1";
static const char *const SQL_ENTRIES =
    "SELECT seq, changeset, hash FROM journal WHERE seq > ?1 ORDER BY seq";
static const char *const SQL_EPOCH_START =
    "SELECT coalesce(min(seq), 0) FROM journal WHERE epoch = (SELECT max(epoch) FROM journal)";
static const char *const SQL_BATCH_AT =
    "SELECT to_hash FROM field_journal WHERE to_seq = ?1 ORDER BY seq DESC LIMIT 1";
static const char *const SQL_PUT_BATCH =
    "INSERT INTO field_journal(seq, from_seq, to_seq, to_hash, signer, changeset, signature,"
    " applied_at) VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM field_journal),"
    " ?1, ?2, ?3, ?4, ?5, ?6, ?7)";

const char *field_site_kind(struct store *s, const char *site)
{
	sqlite3_stmt *st = store_stmt(s, SQL_KIND);
	const char *kind = NULL;
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		kind =
		    !strcmp((const char *)sqlite3_column_text(st, 0), "field") ? "field" : "site";
	sqlite3_reset(st);
	return kind;
}

int field_site_is_kit(struct store *s, const char *site)
{
	const char *kind = site ? field_site_kind(s, site) : NULL;
	return kind && !strcmp(kind, "field");
}

int field_site_check(struct store *s, const char *name)
{
	const char *kind = field_site_kind(s, name);
	if (kind && !strcmp(kind, "site")) {
		warnx("site add --field: '%s' is a standby site already, holding the room's data; "
		      "a field kit is a new site (another name, its own store)",
		      name);
		return CCC_EX_DATAERR;
	}
	return 0;
}

int field_site_mark(struct store *s, const char *name, struct rerun *again)
{
	if (field_site_is_kit(s, name))
		return 0;
	sqlite3_stmt *st = store_stmt(s, "UPDATE sites SET kind = 'field' WHERE name = ?1");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "marking a field kit");
	again->done = 0;
	return 0;
}

/* The signed record of a batch (b->kit, b->signer, seqs, hash, changes). */
static int batch_record(struct store *s, struct fieldkit_batch *b, jv *out)
{
	uint8_t cs_hash[SHA256_LEN], *msg;
	char id[200];
	digest_sha256(b->changeset, b->changeset_len, cs_hash);
	size_t mlen =
	    fieldkit_batch_message(b->kit, b->from_seq, b->to_seq, b->to_hash, cs_hash, &msg);
	int rc = store_sign(s, msg, mlen, b->signature);
	free(msg);
	if (rc) {
		warnx("ship: the batch for field kit '%s' cannot be signed: store '%s' was opened "
		      "without site '%s''s key",
		      b->kit, store_path(s), store_site(s));
		return CCC_EX_CONFIG;
	}
	snprintf(id, sizeof id, "field:%s:%lld", b->kit, (long long)b->to_seq);
	jv r = jv_object();
	r = jv_object_set(r, jv_string("type"), jv_string("field-batch"));
	r = jv_object_set(r, jv_string("v"), jv_number(RECORD_VERSION));
	r = jv_object_set(r, jv_string("id"), jv_string(id));
	r = jv_object_set(r, jv_string("kit"), jv_string(b->kit));
	r = jv_object_set(r, jv_string("signer"), jv_string(b->signer));
	r = jv_object_set(r, jv_string("from_seq"), jv_number((double)b->from_seq));
	r = jv_object_set(r, jv_string("to_seq"), jv_number((double)b->to_seq));
	r = jv_object_set(r, jv_string("to_hash"), jv_hex(b->to_hash, SHA256_LEN));
	r = jv_object_set(r, jv_string("changeset"), jv_base64(b->changeset, b->changeset_len));
	r = jv_object_set(r, jv_string("signature"), jv_base64(b->signature, SIGN_SIGLEN));
	*out = r;
	return 0;
}

int field_export_fd(struct store *s, const char *kit, int64_t since, long long limit,
		    size_t max_bytes, int fd, int64_t *last)
{
	struct buf cs = {0}, line = {0};
	struct fieldkit_batch b = {.kit = kit, .signer = store_site(s), .from_seq = since};
	/* A batch ends at or after the entry that started this store's epoch:
	 * the kit believes its signer as the primary of the newest epoch it
	 * knows with the batch applied (a new primary's first batches to a kit
	 * far behind must carry its epochs row). */
	sqlite3_stmt *st = store_stmt(s, SQL_EPOCH_START);
	int64_t epoch_start = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	long long n = 0;
	int rc;
	st = store_stmt(s, SQL_ENTRIES);
	*last = since;
	b.to_seq = since;
	sqlite3_bind_int64(st, 1, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		if (changeset_filter(sqlite3_column_blob(st, 1),
				     (size_t)sqlite3_column_bytes(st, 1), fieldkit_table,
				     &cs) < 0) {
			warnx("ship: entry %lld of store '%s': its changeset is malformed (see "
			      "'ccc-store verify')",
			      (long long)seq, store_path(s));
			rc = CCC_EX_DATAERR;
			goto out;
		}
		b.to_seq = seq;
		if (sqlite3_column_bytes(st, 2) == SHA256_LEN)
			memcpy(b.to_hash, sqlite3_column_blob(st, 2), SHA256_LEN);
		n++;
		if (seq >= epoch_start &&
		    ((limit >= 0 && n >= limit) || (max_bytes && base64_len(cs.len) >= max_bytes)))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = store_error(s, rc, "reading the journal");
		goto out;
	}
	rc = 0;
	if (b.to_seq == since)
		goto out;
	b.changeset = cs.p ? cs.p : "";
	b.changeset_len = cs.len;
	jv r;
	if ((rc = batch_record(s, &b, &r)))
		goto out;
	json_write(&line, r);
	jv_free(r);
	buf_addc(&line, '\n');
	if (write_all(fd, line.p, line.len)) {
		warn("ship: writing the batch for field kit '%s'", kit);
		rc = CCC_EX_IOERR;
		goto out;
	}
	*last = b.to_seq;
out:
	sqlite3_reset(st);
	buf_free(&cs);
	buf_free(&line);
	return rc;
}

static int field_num(jv rec, const char *name, int64_t *out)
{
	jv v = jv_object_get(jv_copy(rec), jv_string(name));
	int ok = jv_get_kind(v) == JV_KIND_NUMBER;
	double d = ok ? jv_number_value(v) : 0;
	ok = ok && d >= 0 && d < 9223372036854775808.0 && d == (double)(int64_t)d;
	if (ok)
		*out = (int64_t)d;
	jv_free(v);
	return ok ? 0 : -1;
}

struct conflict {
	char table[128];
};

static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	struct conflict *c = ctx;
	const char *table;
	int ncol, op, ind;
	if (sqlite3changeset_op(it, &table, &ncol, &op, &ind) == SQLITE_OK)
		snprintf(c->table, sizeof c->table, "%s", table);
	return SQLITE_CHANGESET_ABORT;
}

static int only_kit_tables(void *ctx, const char *table)
{
	return fieldkit_table(table);
}

static jv ack_of(struct store *s, const struct fieldkit_batch *b)
{
	uint8_t sig[SIGN_SIGLEN], *msg;
	char id[200];
	snprintf(id, sizeof id, "ack:%s:%lld", b->signer, (long long)b->to_seq);
	jv a = jv_object();
	a = jv_object_set(a, jv_string("type"), jv_string("ack"));
	a = jv_object_set(a, jv_string("v"), jv_number(RECORD_VERSION));
	a = jv_object_set(a, jv_string("id"), jv_string(id));
	a = jv_object_set(a, jv_string("site"), jv_string(store_site(s)));
	a = jv_object_set(a, jv_string("origin"), jv_string(b->signer));
	a = jv_object_set(a, jv_string("seq"), jv_number((double)b->to_seq));
	a = jv_object_set(a, jv_string("hash"), jv_hex(b->to_hash, SHA256_LEN));
	size_t mlen = ack_message(store_site(s), b->to_seq, b->to_hash, &msg);
	if (store_sign(s, msg, mlen, sig) == 0) /* the primary believes only a signed ack */
		a = jv_object_set(a, jv_string("signature"), jv_base64(sig, SIGN_SIGLEN));
	free(msg);
	return a;
}

/* Read a batch record's fields into b (pointing into rec, and cs, malloc'd);
 * 0, or 1 with the reason in why. */
static int batch_of(jv rec, struct fieldkit_batch *b, uint8_t **cs, char *why, size_t n)
{
	const char *csb = jv_get_str(rec, "changeset"), *sigb = jv_get_str(rec, "signature");
	uint8_t sig[SIGN_SIGLEN + 5];
	b->kit = jv_get_str(rec, "kit");
	b->signer = jv_get_str(rec, "signer");
	*cs = NULL;
	if (!b->kit || !b->signer || !ccc_site_name_ok(b->signer) ||
	    field_num(rec, "from_seq", &b->from_seq) || field_num(rec, "to_seq", &b->to_seq) ||
	    b->to_seq <= b->from_seq || jv_get_hex(rec, "to_hash", b->to_hash, SHA256_LEN) ||
	    !csb || !sigb) {
		snprintf(why, n, "a field is missing or malformed");
		return 1;
	}
	if (strlen(sigb) > 4 * ((SIGN_SIGLEN + 2) / 3) ||
	    base64_decode(sigb, strlen(sigb), sig) != SIGN_SIGLEN) {
		snprintf(why, n, "field 'signature': not an Ed25519 signature in base64");
		return 1;
	}
	memcpy(b->signature, sig, SIGN_SIGLEN);
	size_t len = strlen(csb);
	*cs = xmalloc(len * 3 / 4 + 4);
	long got = base64_decode(csb, len, *cs);
	if (got < 0) {
		snprintf(why, n, "field 'changeset': not base64");
		return 1;
	}
	b->changeset = *cs;
	b->changeset_len = (size_t)got;
	return 0;
}

/* 1 when this kit applied a batch up to to_seq with that hash already. */
static int already_applied(struct store *s, const struct fieldkit_batch *b)
{
	sqlite3_stmt *st = store_stmt(s, SQL_BATCH_AT);
	sqlite3_bind_int64(st, 1, b->to_seq);
	int same = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == SHA256_LEN &&
		   !memcmp(sqlite3_column_blob(st, 0), b->to_hash, SHA256_LEN);
	sqlite3_reset(st);
	return same;
}

/* Check and apply one batch in the transaction in hand: 0 with *ack, 65
 * with the reason in why, or another exit code. */
static int apply_batch(struct store *s, jv rec, jv *ack, char *why, size_t n)
{
	struct fieldkit_batch b = {0};
	uint8_t *cs = NULL;
	char table[128], now[RFC3339_LEN];
	int rc = CCC_EX_DATAERR;
	if (batch_of(rec, &b, &cs, why, n))
		goto out;
	if (strcmp(b.kit, store_site(s)) != 0) {
		snprintf(why, n, "the batch is for field kit '%.64s', not for '%s'", b.kit,
			 store_site(s));
		goto out;
	}
	if (fieldkit_check_signature(s, &b, why, n))
		goto out;
	if (already_applied(s, &b)) {
		*ack = ack_of(s, &b); /* again: idempotent */
		rc = 0;
		goto out;
	}
	int64_t pos = fieldkit_position(s);
	if (pos < 0) {
		rc = CCC_EX_IOERR;
		goto out;
	}
	if (b.from_seq != pos) {
		snprintf(why, n,
			 "the batch starts after entry %lld, but this kit holds up to entry %lld%s",
			 (long long)b.from_seq, (long long)pos, b.from_seq > pos ? " (a gap)" : "");
		goto out;
	}
	int found =
	    changeset_find_table(cs, (int)b.changeset_len, fieldkit_table, table, sizeof table);
	if (found) {
		if (found > 0)
			snprintf(why, n,
				 "the batch changes table '%s', which a field kit does not hold",
				 table);
		else
			snprintf(why, n, "its changeset is malformed");
		goto out;
	}
	struct conflict cf = {""};
	if (b.changeset_len &&
	    changeset_apply_counted(store_db(s), (int)b.changeset_len, cs, only_kit_tables,
				    on_conflict, &cf) != SQLITE_OK) {
		snprintf(why, n, "the batch conflicts with this kit%s%s%s",
			 cf.table[0] ? " in table '" : "", cf.table, cf.table[0] ? "'" : "");
		goto out;
	}
	if (fieldkit_check_signer(store_db(s), &b, why, n))
		goto out;
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, SQL_PUT_BATCH);
	sqlite3_bind_int64(st, 1, b.from_seq);
	sqlite3_bind_int64(st, 2, b.to_seq);
	sqlite3_bind_blob(st, 3, b.to_hash, SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b.signer, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, cs, (int)b.changeset_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, b.signature, SIGN_SIGLEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
	int src = sqlite3_step(st);
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		rc = store_error(s, src, "storing a field batch");
		goto out;
	}
	*ack = ack_of(s, &b);
	rc = 0;
out:
	free(cs);
	return rc;
}

/* One line: a batch in its own transaction, its ack written once committed. */
static int take_line(struct store *s, struct ndjson_line *ln, unsigned long *applied)
{
	char why[512] = "";
	const char *type = jv_is_valid(ln->value) ? jv_get_str(ln->value, "type") : NULL;
	if (!jv_is_valid(ln->value)) {
		warnx("%s:%lu: %s", ln->file, ln->lineno, ln->reason);
		return CCC_EX_DATAERR;
	}
	if (type && !strcmp(type, "head")) {
		/* where the primary's journal ends: kept for the kit's lag (lag.h) */
		struct lag_head h;
		const char *bad = lag_head_parse(ln->value, &h);
		if (bad) {
			warnx("%s:%lu: head: field '%s' is missing or malformed", ln->file,
			      ln->lineno, bad);
			return CCC_EX_DATAERR;
		}
		(void)lag_note_import(s, &h);
		return 0;
	}
	if (!type || strcmp(type, "field-batch") != 0) {
		warnx("%s:%lu: a field kit takes field-batch records only, not '%s' (the primary "
		      "ships to it with 'ccc-failover ship --to %s')",
		      ln->file, ln->lineno, type ? type : "?", store_site(s));
		return CCC_EX_DATAERR;
	}
	sqlite3 *db = store_db(s);
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "starting an import");
	jv ack = jv_invalid();
	rc = apply_batch(s, ln->value, &ack, why, sizeof why);
	if (!rc && (rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
		rc = store_error(s, rc, "committing a field batch");
	if (rc) {
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		if (rc == CCC_EX_DATAERR)
			warnx("%s:%lu: field batch refused: %s; nothing of it was applied",
			      ln->file, ln->lineno, why);
		jv_free(ack);
		return rc;
	}
	++*applied;
	out_jv(ack);
	return out_flush();
}

struct field_import {
	size_t max_line;
	volatile sig_atomic_t *stop;
	unsigned long *applied;
};

static int import_fd(struct store *s, int fd, const char *name, struct field_import *im)
{
	size_t max = STORE_ENTRY_LINE > im->max_line ? STORE_ENTRY_LINE : im->max_line;
	struct ndjson_reader *r = ndjson_open(fd, name, max);
	struct ndjson_line ln;
	int rc = 0, k;
	if (im->stop)
		ndjson_stop_on(r, im->stop);
	while (!rc && (k = ndjson_next(r, &ln, -1)) != NDJSON_EOF) {
		if (k == NDJSON_ERROR && errno == EINTR && im->stop && *im->stop)
			break;
		if (k == NDJSON_ERROR && errno == EINTR)
			continue;
		if (k == NDJSON_ERROR) {
			warn("%s", name);
			rc = CCC_EX_IOERR;
			break;
		}
		rc = take_line(s, &ln, im->applied);
		jv_free(ln.value);
	}
	ndjson_close(r);
	/* the person keys the batches changed, packed for the kit's checks */
	if (!rc && !(im->stop && *im->stop))
		(void)keypack_store(s);
	return rc;
}

int field_import_files(struct store *s, char **files, int nfiles, size_t max_line,
		       volatile sig_atomic_t *stop, unsigned long *applied)
{
	struct field_import fi = {max_line, stop, applied}, *im = &fi;
	int rc = 0;
	if (nfiles == 0)
		rc = import_fd(s, STDIN_FILENO, "stdin", im);
	for (int i = 0; i < nfiles && !rc && !(im->stop && *im->stop); i++) {
		int fd = strcmp(files[i], "-") ? open(files[i], O_RDONLY | O_CLOEXEC) : 0;
		if (fd < 0) {
			warn("cannot open '%s'", files[i]);
			return CCC_EX_NOINPUT;
		}
		rc = import_fd(s, fd, fd ? files[i] : "stdin", im);
		if (fd)
			close(fd);
	}
	/* a line cut short by the signal is reported, but the signal decides */
	if (stop && *stop && (!rc || rc == CCC_EX_DATAERR))
		rc = *stop == SIGINT ? CCC_EX_SIGINT : CCC_EX_SIGTERM;
	return rc;
}

char *field_kit_reached_by(struct store *s, const char *via)
{
	sqlite3_stmt *st =
	    store_stmt(s, "SELECT name FROM sites WHERE kind = 'field' ORDER BY name");
	char *found = NULL;
	while (!found && sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		char *v = sitelocal_via(store_local(s), name);
		if (v && !strcmp(v, via))
			found = xstrdup(name);
		free(v);
	}
	sqlite3_reset(st);
	return found;
}

jv field_status(struct store *s, jv list)
{
	int kit = fieldkit_is_kit(s);
	jv out = jv_array();
	jv_array_foreach (list, i, r) {
		const char *site = jv_get_str(r, "site");
		const char *role = jv_get_str(r, "role");
		if (site && role && !strcmp(role, "standby") && field_site_is_kit(s, site))
			r = jv_object_set(r, jv_string("role"), jv_string("field"));
		jv self = jv_object_get(jv_copy(r), jv_string("self"));
		if (kit && jv_get_kind(self) == JV_KIND_TRUE) {
			int64_t pos = fieldkit_position(s);
			if (pos >= 0)
				r = jv_object_set(r, jv_string("seq"), jv_number((double)pos));
		}
		jv_free(self);
		out = jv_array_append(out, r);
	}
	jv_free(list);
	return out;
}
