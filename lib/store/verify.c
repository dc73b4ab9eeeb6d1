/*
 * verify.c: hash chain, checkpoint signatures, replay and comparison.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/changeset.h"
#include "ccc/entity-keys.h"
#include "ccc/anchor.h"
#include "ccc/audit.h"
#include "ccc/exit.h"
#include "ccc/fieldkit.h"
#include "ccc/journal.h"
#include "ccc/keypack.h"
#include "ccc/json.h"
#include "ccc/opts.h"
#include "ccc/schema.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/verify.h"
#include "ccc/xmalloc.h"
#include "ccc/witness.h"

static const char *const SQL_ENTRIES =
    "SELECT j.seq, j.epoch, j.origin, j.actor, j.command, j.ts, j.changeset, j.prev_hash,"
    " j.hash, c.seq, c.origin, c.head_hash, c.signature, s.pubkey"
    " FROM journal j LEFT JOIN checkpoints c ON c.seq = j.seq"
    " LEFT JOIN sites s ON s.name = c.origin ORDER BY j.seq";
static const char *const SQL_ORPHAN_CHECKPOINTS =
    "SELECT seq FROM checkpoints WHERE seq NOT IN (SELECT seq FROM journal) ORDER BY seq LIMIT 1";
static const char *const SQL_TABLES =
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name";
static const char *const SQL_PK = "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk";
static const char *const SQL_EPOCH_PRIMARY = "SELECT primary_site FROM epochs WHERE epoch = ?1";

struct verify {
	struct store *s;
	int problems;
	long long entries, checkpoints, tables, rows, anchors, audits, batches;
	long long witness_seq; /* -1: no witness */
	long long conflict_seq;
	const char *conflict_table;
};

static void problem(struct verify *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct verify *v, const char *fmt, ...)
{
	va_list ap;
	char *what = NULL;
	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		xmalloc_failed();
	va_end(ap);
	warnx("verify: store '%s': %s", store_path(v->s), what);
	free(what);
	v->problems++;
}

static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	struct verify *v = ctx;
	const char *table;
	int ncol, op, ind;
	if (sqlite3changeset_op(it, &table, &ncol, &op, &ind) == SQLITE_OK)
		v->conflict_table = table;
	return SQLITE_CHANGESET_ABORT;
}

static void ident(struct buf *b, const char *name)
{
	buf_addc(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}

/* Render the key columns of the current row as a JSON array. */
static void render_key(struct buf *b, sqlite3_stmt *st, const int *pkcol, int npk)
{
	buf_addc(b, '[');
	for (int i = 0; i < npk; i++) {
		if (i)
			buf_addc(b, ',');
		int c = pkcol[i];
		switch (sqlite3_column_type(st, c)) {
		case SQLITE_INTEGER: {
			char tmp[32];
			snprintf(tmp, sizeof tmp, "%lld", (long long)sqlite3_column_int64(st, c));
			buf_adds(b, tmp);
			break;
		}
		case SQLITE_NULL: buf_adds(b, "null"); break;
		default: {
			const char *t = (const char *)sqlite3_column_text(st, c);
			json_write_str(b, t ? t : "", (size_t)sqlite3_column_bytes(st, c));
		}
		}
	}
	buf_addc(b, ']');
}

/* Compare two values of column c; 0 when equal. */
static int value_cmp(sqlite3_stmt *a, sqlite3_stmt *b, int c)
{
	int ta = sqlite3_column_type(a, c), tb = sqlite3_column_type(b, c);
	if (ta != tb)
		return ta < tb ? -1 : 1;
	switch (ta) {
	case SQLITE_NULL: return 0;
	case SQLITE_INTEGER: {
		sqlite3_int64 x = sqlite3_column_int64(a, c), y = sqlite3_column_int64(b, c);
		return x < y ? -1 : x > y;
	}
	case SQLITE_FLOAT: {
		double x = sqlite3_column_double(a, c), y = sqlite3_column_double(b, c);
		return x < y ? -1 : x > y;
	}
	default: {
		const void *x = ta == SQLITE_TEXT ? (const void *)sqlite3_column_text(a, c)
						  : sqlite3_column_blob(a, c);
		const void *y = ta == SQLITE_TEXT ? (const void *)sqlite3_column_text(b, c)
						  : sqlite3_column_blob(b, c);
		int nx = sqlite3_column_bytes(a, c), ny = sqlite3_column_bytes(b, c);
		int r = memcmp(x ? x : "", y ? y : "", (size_t)(nx < ny ? nx : ny));
		return r ? r : (nx < ny ? -1 : nx > ny);
	}
	}
}

static int compare_table(struct verify *v, sqlite3 *live, sqlite3 *replay, const char *table)
{
	struct buf q = {0};
	sqlite3_stmt *pk = NULL, *a = NULL, *b = NULL;
	int pkcol[16], npk = 0, ncol, ra, rb, rc = 0;
	char *pknames[16];

	if (sqlite3_prepare_v2(live, SQL_PK, -1, &pk, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(pk, 1, table, -1, SQLITE_STATIC);
	while (sqlite3_step(pk) == SQLITE_ROW && npk < 16)
		pknames[npk++] = strdup((const char *)sqlite3_column_text(pk, 0));
	sqlite3_finalize(pk);

	buf_adds(&q, "SELECT * FROM ");
	ident(&q, table);
	if (npk) {
		buf_adds(&q, " ORDER BY ");
		for (int i = 0; i < npk; i++) {
			if (i)
				buf_addc(&q, ',');
			ident(&q, pknames[i]);
		}
	}
	buf_addc(&q, '\0');
	if (sqlite3_prepare_v2(live, q.p, -1, &a, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(replay, q.p, -1, &b, NULL) != SQLITE_OK) {
		problem(v, "table '%s': cannot be compared: %s", table, sqlite3_errmsg(live));
		goto out;
	}
	ncol = sqlite3_column_count(a);
	for (int i = 0; i < npk; i++)
		for (int c = 0; c < ncol; c++)
			if (!strcmp(sqlite3_column_name(a, c), pknames[i]))
				pkcol[i] = c;
	ra = sqlite3_step(a);
	rb = sqlite3_step(b);
	while (ra == SQLITE_ROW || rb == SQLITE_ROW) {
		int kc = 0;
		if (ra == SQLITE_ROW && rb == SQLITE_ROW) {
			for (int i = 0; i < npk && !kc; i++)
				kc = value_cmp(a, b, pkcol[i]);
		} else {
			kc = ra == SQLITE_ROW ? -1 : 1;
		}
		struct buf key = {0};
		if (kc < 0) {
			render_key(&key, a, pkcol, npk);
			problem(v,
				"table '%s': row %.*s is not in the journal (inserted directly?)",
				table, (int)key.len, key.p);
			rc = 1;
		} else if (kc > 0) {
			render_key(&key, b, pkcol, npk);
			problem(v,
				"table '%s': row %.*s is in the journal but missing from the table",
				table, (int)key.len, key.p);
			rc = 1;
		} else {
			for (int c = 0; c < ncol; c++) {
				if (value_cmp(a, b, c) != 0) {
					render_key(&key, a, pkcol, npk);
					problem(
					    v,
					    "table '%s': row %.*s: column '%s' differs from the "
					    "journal",
					    table, (int)key.len, key.p, sqlite3_column_name(a, c));
					rc = 1;
					break;
				}
			}
			v->rows++;
		}
		buf_free(&key);
		if (rc)
			break; /* the first difference is the one to report */
		if (kc <= 0)
			ra = sqlite3_step(a);
		if (kc >= 0)
			rb = sqlite3_step(b);
	}
out:
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	buf_free(&q);
	for (int i = 0; i < npk; i++)
		free(pknames[i]);
	return rc;
}

static void field_problem(void *ctx, const char *text)
{
	problem(ctx, "%s", text);
}

/* Entry e (applied to the replay) comes from the primary of its epoch, and
 * its epoch is not older than the entry's before (last); 0 or 1 (reported). */
static int check_origin(struct verify *v, sqlite3 *replay, const struct journal_entry *e,
			int64_t last)
{
	sqlite3_stmt *st;
	int bad = 0;
	if (e->epoch < last) {
		problem(v,
			"journal: first bad seq %lld: its epoch %lld is older than epoch %lld "
			"before it",
			(long long)e->seq, (long long)e->epoch, (long long)last);
		return 1;
	}
	if (sqlite3_prepare_v2(replay, SQL_EPOCH_PRIMARY, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, e->epoch);
	if (sqlite3_step(st) != SQLITE_ROW) {
		problem(v, "journal: first bad seq %lld: epoch %lld has no epochs row",
			(long long)e->seq, (long long)e->epoch);
		bad = 1;
	} else {
		const char *primary = sqlite3_column_type(st, 0) == SQLITE_TEXT
					  ? (const char *)sqlite3_column_text(st, 0)
					  : NULL;
		if (!primary) {
			problem(v,
				"journal: first bad seq %lld: the primary of epoch %lld is not a "
				"site's name (not text)",
				(long long)e->seq, (long long)e->epoch);
			bad = 1;
		} else if (strcmp(primary, e->origin) != 0) {
			problem(v,
				"journal: first bad seq %lld: signed by '%s', but the primary of "
				"epoch %lld is '%s'",
				(long long)e->seq, e->origin, (long long)e->epoch, primary);
			bad = 1;
		}
	}
	sqlite3_finalize(st);
	return bad;
}

/* This site's key file, when there is one: its public half is an anchor too. */
static int own_key(struct verify *v, uint8_t pub[SIGN_PUBLEN])
{
	const char *named = store_key_file(v->s);
	char *def = named ? NULL : ccc_default_key(store_site(v->s));
	const char *path = named ? named : def;
	struct sign_key *k = NULL;
	int found = access(path, F_OK) == 0 && sign_load(path, &k) == 0;
	if (found)
		sign_public(k, pub);
	sign_free(k);
	free(def);
	return found;
}

/* The site settings are sealed by the site's key: from its key file when
 * there is one, else as the store (or its anchor) knows it. */
static void check_settings(struct verify *v)
{
	uint8_t pub[SIGN_PUBLEN];
	char why[128];
	const char *site = store_site(v->s);
	if (!own_key(v, pub) && store_site_key(v->s, site, pub) < 0)
		problem(v, "site settings: no key of site '%s' to check them with", site);
	else if (sitelocal_verify(store_local(v->s), pub, why, sizeof why) < 0)
		problem(v, "site settings: changed outside ccc: %s", why);
}

static void audit_problem(void *ctx, const char *what)
{
	problem(ctx, "%s", what);
}

/* Every audit chain: this site's own, and each site's as imported. */
static void check_audits(struct verify *v, sqlite3 *db)
{
	uint8_t pub[SIGN_PUBLEN];
	int have = own_key(v, pub) || store_site_key(v->s, store_site(v->s), pub) == 0;
	if (audit_verify(v->s, db, have ? pub : NULL, audit_problem, v, &v->audits) < 0)
		problem(v, "audit chains: cannot be read: %s", sqlite3_errmsg(db));
}

static void schema_problem(void *ctx, const char *what, const char *type, const char *name)
{
	problem(ctx, "schema: %s '%s' %s", type, name,
		!strcmp(what, "extra")
		    ? "is not part of ccc's schema (added behind the programs' backs?)"
		: !strcmp(what, "missing") ? "is missing"
					   : "differs from the one ccc creates");
}

/*
 * Trust comes from outside the store: each site's key in the sites table
 * must be the one in its anchor (anchor.h) or, for this site, its key file;
 * the origin of the first entry must have one.
 */
static void check_anchors(struct verify *v, sqlite3 *db)
{
	sqlite3_stmt *st;
	char *first = NULL, have[80], want[80];
	uint8_t own[SIGN_PUBLEN], pub[SIGN_PUBLEN];
	int has_own = own_key(v, own), first_anchored = 0;
	if (sqlite3_prepare_v2(db, "SELECT origin FROM journal ORDER BY seq LIMIT 1", -1, &st,
			       NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			first = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(db, "SELECT name, pubkey FROM sites ORDER BY name", -1, &st, NULL) !=
	    SQLITE_OK) {
		problem(v, "sites: cannot be read: %s", sqlite3_errmsg(db));
		free(first);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const uint8_t *key = sqlite3_column_blob(st, 1);
		int keylen = sqlite3_column_bytes(st, 1);
		if (!name)
			continue;
		int self = !strcmp(name, store_site(v->s)) && has_own;
		int rc = anchor_get(name, pub);
		if (rc > 0) {
			char *path = anchor_path(name);
			problem(v, "site '%s': its trust anchor '%s' cannot be used", name, path);
			free(path);
			continue;
		}
		if (rc < 0 && !self)
			continue;
		const uint8_t *trusted = rc == 0 ? pub : own;
		int ok = keylen == SIGN_PUBLEN && !memcmp(key, trusted, SIGN_PUBLEN);
		if (ok && self && rc == 0 && memcmp(pub, own, SIGN_PUBLEN) != 0) {
			trusted = own; /* the key file and the anchor disagree: the key file */
			ok = !memcmp(key, own, SIGN_PUBLEN);
		}
		v->anchors++;
		if (first && !strcmp(first, name))
			first_anchored = 1;
		if (!ok) {
			sign_pub_format(trusted, want, sizeof want);
			if (keylen == SIGN_PUBLEN)
				sign_pub_format(key, have, sizeof have);
			else
				snprintf(have, sizeof have, "not a key");
			char *path = anchor_path(name);
			problem(v,
				"site '%s': its key in the store (%s) is not the key trusted "
				"outside it (%s, in %s): its entries were signed by another key",
				name, have, want, rc == 0 ? path : "its key file");
			free(path);
		}
	}
	sqlite3_finalize(st);
	/* not in the sites table at all: the checkpoints say so; is it anchored? */
	if (first && !first_anchored &&
	    (anchor_get(first, pub) == 0 || (!strcmp(first, store_site(v->s)) && has_own)))
		first_anchored = 1;
	if (first && !first_anchored) {
		char *path = anchor_path(first);
		problem(v,
			"site '%s', the origin of entry 1, has no trust anchor outside the store "
			"('%s'): nothing proves whose key signed this history; get the key from "
			"the site itself and run 'ccc-store trust add %s KEY'",
			first, path, first);
		free(path);
	}
	free(first);
}

/* One head the store must still hold: seq with hash. */
static void check_head(struct verify *v, sqlite3 *db, int64_t seq, const uint8_t *hash,
		       const char *who, const char *file)
{
	sqlite3_stmt *st;
	char want[2 * SHA256_LEN + 1], have[2 * SHA256_LEN + 1];
	long long last = 0;
	int found = 0;
	hex_encode(hash, SHA256_LEN, want);
	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT hash FROM journal WHERE seq = ?1),"
			       " (SELECT coalesce(max(seq), 0) FROM journal)",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = sqlite3_column_type(st, 0) != SQLITE_NULL;
		if (found && sqlite3_column_bytes(st, 0) == SHA256_LEN)
			hex_encode(sqlite3_column_blob(st, 0), SHA256_LEN, have);
		else
			snprintf(have, sizeof have, "none");
		last = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (!found)
		problem(v,
			"witness: the store is behind its witness: its newest entry is %lld, but "
			"%s entry %lld (hash %.16s...) (witness '%s'): entries were deleted from "
			"its end, or an older copy was put back",
			last, who, (long long)seq, want, file);
	else if (strcmp(have, want) != 0)
		problem(v,
			"witness: entry %lld is not the one %s (hash %.16s... then, %.16s... now; "
			"witness '%s'): the history was rewritten",
			(long long)seq, who, want, have, file);
}

/* The newest heads seen outside the store: committed here, acknowledged by
 * standbys. The witness was read (rc, w) before the store's snapshot: a head
 * committed since is in neither. */
static void check_witness(struct verify *v, sqlite3 *db, char *file, int rc,
			  const struct witness *wp)
{
	struct witness w = *wp;
	char who[128];
	if (rc > 0)
		problem(v, "witness: '%s' cannot be read", file);
	if (rc == 0) {
		v->witness_seq = w.seq;
		if (w.seq > 0)
			check_head(v, db, w.seq, w.hash, "this store committed", file);
		for (int i = 0; i < w.nacks; i++) {
			snprintf(who, sizeof who, "standby '%s' acknowledged", w.acks[i].site);
			check_head(v, db, w.acks[i].seq, w.acks[i].hash, who, file);
		}
	}
	free(file);
}

/* The walk over the journal: where each of its checks stands. Each check
 * reports its first problem only (the "first bad seq"). */
struct walk {
	uint8_t prev[SHA256_LEN]; /* the hash the next entry must link to */
	long long expect;         /* the seq the next entry must have */
	int64_t last_epoch;       /* the newest epoch met so far */
	int chain_bad, sig_bad, foreign_bad, replay_bad, origin_bad;
};

/* One row of SQL_ENTRIES: an entry, its stored hashes and its checkpoint. */
struct entry_row {
	struct journal_entry e;
	const void *stored_prev, *stored_hash;
	int prev_ok, hash_ok; /* the stored hashes have the length of one */
};

static void read_entry(sqlite3_stmt *st, struct entry_row *r)
{
	struct journal_entry *e = &r->e;
	e->seq = sqlite3_column_int64(st, 0);
	e->epoch = sqlite3_column_int64(st, 1);
	e->origin = (const char *)sqlite3_column_text(st, 2);
	e->actor = (const char *)sqlite3_column_text(st, 3);
	e->command = (const char *)sqlite3_column_text(st, 4);
	e->ts = (const char *)sqlite3_column_text(st, 5);
	e->changeset = sqlite3_column_blob(st, 6);
	e->changeset_len = (size_t)sqlite3_column_bytes(st, 6);
	r->stored_prev = sqlite3_column_blob(st, 7);
	r->stored_hash = sqlite3_column_blob(st, 8);
	r->prev_ok = sqlite3_column_bytes(st, 7) == SHA256_LEN;
	r->hash_ok = sqlite3_column_bytes(st, 8) == SHA256_LEN;
	if (!e->origin || !e->actor || !e->command || !e->ts)
		e->origin = e->actor = e->command = e->ts = "";
}

/* The chain: each entry follows the one before, links to its hash, and
 * hashes to its own. */
static void check_chain(struct verify *v, struct walk *w, struct entry_row *r)
{
	struct journal_entry *e = &r->e;
	uint8_t hash[SHA256_LEN];
	if (w->chain_bad)
		return;
	if (e->seq != w->expect) {
		problem(
		    v,
		    "journal: first bad seq %lld: entry %lld is missing (the next entry is %lld)",
		    w->expect, w->expect, (long long)e->seq);
		w->chain_bad = 1;
	} else if (!r->prev_ok || memcmp(r->stored_prev, w->prev, SHA256_LEN) != 0) {
		problem(v,
			"journal: first bad seq %lld: it does not link to entry %lld (prev_hash "
			"differs)",
			(long long)e->seq, (long long)e->seq - 1);
		w->chain_bad = 1;
	} else {
		memcpy(e->prev_hash, r->stored_prev, SHA256_LEN);
		journal_hash(e, hash);
		if (!r->hash_ok || memcmp(hash, r->stored_hash, SHA256_LEN) != 0) {
			problem(v,
				"journal: first bad seq %lld: its contents do not match its hash",
				(long long)e->seq);
			w->chain_bad = 1;
		}
	}
	if (r->hash_ok)
		memcpy(w->prev, r->stored_hash, SHA256_LEN);
	w->expect = e->seq + 1;
}

/* Its checkpoint: signed by the entry's origin, over the entry's hash, with
 * the key the sites table holds for it (columns 9 to 13 of SQL_ENTRIES). */
static void check_checkpoint(struct verify *v, struct walk *w, sqlite3_stmt *st,
			     const struct entry_row *r)
{
	const struct journal_entry *e = &r->e;
	if (w->sig_bad)
		return;
	if (sqlite3_column_type(st, 9) == SQLITE_NULL) {
		problem(v, "checkpoint: first bad seq %lld: entry %lld has no checkpoint",
			(long long)e->seq, (long long)e->seq);
		w->sig_bad = 1;
		return;
	}
	const char *corigin = (const char *)sqlite3_column_text(st, 10);
	const void *head = sqlite3_column_blob(st, 11);
	const void *sig = sqlite3_column_blob(st, 12);
	const void *pub = sqlite3_column_blob(st, 13);
	uint8_t *msg = NULL;
	v->checkpoints++;
	if (!corigin || strcmp(corigin, e->origin) != 0) {
		problem(v,
			"checkpoint: first bad seq %lld: signed by '%s', but the entry comes from "
			"'%s'",
			(long long)e->seq, corigin ? corigin : "", e->origin);
		w->sig_bad = 1;
	} else if (!pub || sqlite3_column_bytes(st, 13) != SIGN_PUBLEN) {
		problem(v, "checkpoint: first bad seq %lld: no trusted key for site '%s'",
			(long long)e->seq, corigin);
		w->sig_bad = 1;
	} else if (!head || sqlite3_column_bytes(st, 11) != SHA256_LEN || !r->hash_ok ||
		   memcmp(head, r->stored_hash, SHA256_LEN) != 0) {
		problem(v, "checkpoint: first bad seq %lld: its hash is not the entry's",
			(long long)e->seq);
		w->sig_bad = 1;
	} else {
		size_t n = checkpoint_message(corigin, e->seq, head, &msg);
		if (!sig || sqlite3_column_bytes(st, 12) != SIGN_SIGLEN ||
		    !sign_verify(pub, msg, n, sig)) {
			problem(v,
				"checkpoint: first bad seq %lld: the signature by '%s' does not "
				"verify",
				(long long)e->seq, corigin);
			w->sig_bad = 1;
		}
		free(msg);
	}
}

/* Only replicated state: never the local table, the journal, ... */
static void check_tables_changed(struct verify *v, struct walk *w, const struct journal_entry *e)
{
	char table[128];
	int found = changeset_find_table(e->changeset, (int)e->changeset_len,
					 store_is_replicated_table, table, sizeof table);
	if (found > 0 && !w->foreign_bad)
		problem(v,
			"journal: first bad seq %lld: it changes table '%s', which no entry may "
			"change",
			(long long)e->seq, table);
	w->foreign_bad |= found > 0;
	if (found < 0 && !w->replay_bad) {
		problem(v, "replay: first bad seq %lld: its changeset is malformed",
			(long long)e->seq);
		w->replay_bad = 1;
	}
}

/* The replay: the entry's changes apply to the scratch database, from the
 * primary of its epoch. */
static void replay_entry(struct verify *v, struct walk *w, sqlite3 *replay,
			 const struct journal_entry *e)
{
	if (w->replay_bad)
		return;
	int arc = changeset_apply_counted(replay, (int)e->changeset_len, (void *)e->changeset, NULL,
					  on_conflict, v);
	if (arc != SQLITE_OK) {
		problem(v, "replay: first bad seq %lld: its changes do not apply%s%s%s",
			(long long)e->seq, v->conflict_table ? " (table '" : "",
			v->conflict_table ? v->conflict_table : "", v->conflict_table ? "')" : "");
		w->replay_bad = 1;
	} else if (!w->origin_bad) {
		w->origin_bad = check_origin(v, replay, e, w->last_epoch);
		w->last_epoch = e->epoch > w->last_epoch ? e->epoch : w->last_epoch;
	}
}

/* Walk the journal (inside the read transaction on live), replaying it into
 * replay. Returns 0, or 74 when the journal cannot be read (warned). */
static int walk_journal(struct verify *v, struct walk *w, sqlite3 *live, sqlite3 *replay)
{
	sqlite3_stmt *st = NULL;
	int rc;
	if (sqlite3_prepare_v2(live, SQL_ENTRIES, -1, &st, NULL) != SQLITE_OK) {
		warnx("verify: cannot read store '%s': %s", store_path(v->s), sqlite3_errmsg(live));
		return CCC_EX_IOERR;
	}
	sqlite3_exec(replay, "BEGIN", NULL, NULL, NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct entry_row r;
		read_entry(st, &r);
		v->entries++;
		check_chain(v, w, &r);
		check_checkpoint(v, w, st, &r);
		check_tables_changed(v, w, &r.e);
		replay_entry(v, w, replay, &r.e);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		warnx("verify: cannot read the journal of store '%s': %s", store_path(v->s),
		      sqlite3_errmsg(live));
		return CCC_EX_IOERR;
	}
	sqlite3_exec(replay, "COMMIT", NULL, NULL, NULL);
	return 0;
}

/* A checkpoint without its entry. */
static void check_orphan_checkpoints(struct verify *v, sqlite3 *live)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(live, SQL_ORPHAN_CHECKPOINTS, -1, &st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		problem(v, "checkpoint: seq %lld has a checkpoint but no journal entry",
			(long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
}

/* 1 when table has the same schema in live and in replay. */
static int same_table_schema(sqlite3 *replay, const char *table, const char *sql)
{
	sqlite3_stmt *rs = NULL;
	int same = 0;
	if (sqlite3_prepare_v2(replay,
			       "SELECT sql FROM sqlite_master WHERE type='table' AND name=?1", -1,
			       &rs, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(rs, 1, table, -1, SQLITE_STATIC);
	if (sqlite3_step(rs) == SQLITE_ROW) {
		const char *rsql = (const char *)sqlite3_column_text(rs, 0);
		same = sql && rsql && !strcmp(sql, rsql);
	}
	sqlite3_finalize(rs);
	return same;
}

/* Every state table, live against replay. */
static void compare_state_tables(struct verify *v, sqlite3 *live, sqlite3 *replay)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(live, SQL_TABLES, -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(st, 0);
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		if (!store_is_state_table(table))
			continue;
		if (!same_table_schema(replay, table, sql)) {
			problem(v, "table '%s': its schema is not the one this version creates",
				table);
			continue;
		}
		v->tables++;
		compare_table(v, live, replay, table);
	}
	sqlite3_finalize(st);
}

/* Derived tables, kept by triggers and not journaled: each against its source. */
static void check_derived(struct verify *v, sqlite3 *live)
{
	static const struct {
		const char *table, *diff, *says;
	} derived[] = {
	    {"derived_key_counts",
	     "SELECT key FROM (SELECT key, n FROM derived_key_counts"
	     " EXCEPT SELECT key, count(*) FROM person_keys GROUP BY key)"
	     " UNION ALL SELECT key FROM (SELECT key, count(*) FROM person_keys GROUP BY key"
	     " EXCEPT SELECT key, n FROM derived_key_counts) LIMIT 1",
	     "does not count what the index holds"},
	    /* the entity index of the messages (alert-schema.c) */
	    {"derived_entities",
	     "SELECT key || ' of ' || item FROM (SELECT key, item FROM derived_entities"
	     " WHERE item LIKE 'msg-%' EXCEPT SELECT key, item FROM message_entity_keys)"
	     " UNION ALL SELECT key || ' of ' || item FROM (SELECT key, item FROM"
	     " message_entity_keys EXCEPT SELECT key, item FROM derived_entities) LIMIT 1",
	     "is not what the stored messages name"},
	    /* and of the checks of their own (entity-keys.h) */
	    {"derived_entities",
	     "WITH k AS (" CHECK_KEYS_OF_LOG ")"
	     " SELECT key || ' of ' || item FROM (SELECT key, item FROM derived_entities"
	     " WHERE item LIKE 'check-%' EXCEPT SELECT key, item FROM k)"
	     " UNION ALL SELECT key || ' of ' || item FROM (SELECT key, item FROM k"
	     " EXCEPT SELECT key, item FROM derived_entities) LIMIT 1",
	     "is not what the consultation log names"},
	};
	sqlite3_stmt *st;
	for (size_t i = 0; i < sizeof derived / sizeof derived[0]; i++) {
		if (sqlite3_prepare_v2(live, derived[i].diff, -1, &st, NULL) != SQLITE_OK) {
			problem(v, "table '%s': %s", derived[i].table, sqlite3_errmsg(live));
			continue;
		}
		if (sqlite3_step(st) == SQLITE_ROW)
			problem(v, "table '%s': key '%s' %s", derived[i].table,
				(const char *)sqlite3_column_text(st, 0), derived[i].says);
		sqlite3_finalize(st);
	}
	/* the packed index: each key marked packed, against its entries (keypack.h) */
	char key[64];
	int rc = keypack_check(live, key, sizeof key);
	if (rc < 0)
		problem(v, "table 'derived_key_packs': %s", sqlite3_errstr(-rc));
	else if (rc)
		problem(v, "table 'derived_key_packs': key '%s' does not hold what the index holds",
			key);
}

/* The file itself: pages, b-trees and indexes (damage the rows may not show). */
static void check_integrity(struct verify *v, sqlite3 *live)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(live, "PRAGMA integrity_check(10)", -1, &st, NULL) != SQLITE_OK) {
		rc = SQLITE_ERROR;
	} else {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *msg = (const char *)sqlite3_column_text(st, 0);
			if (msg && strcmp(msg, "ok") != 0)
				problem(v, "integrity: %s", msg);
		}
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE)
		problem(v, "integrity: %s", sqlite3_errmsg(live));
}

/* The scratch database the journal is replayed into, with the schema the
 * migrations make: 0, or 73 (warned). */
static int open_replay(sqlite3 **replay)
{
	*replay = NULL;
	if (sqlite3_open_v2("", replay, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		SQLITE_OK ||
	    store_migrate(*replay, "(replay)") != 0) {
		warnx("verify: cannot create the scratch database for the replay");
		sqlite3_close(*replay);
		*replay = NULL;
		return CCC_EX_CANTCREAT;
	}
	sqlite3_exec(*replay, "PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF", NULL, NULL, NULL);
	return 0;
}

static jv report_of(const struct verify *v)
{
	jv r = jv_object();
	r = jv_object_set(r, jv_string("ok"), jv_bool(v->problems == 0));
	r = jv_object_set(r, jv_string("entries"), jv_number((double)v->entries));
	r = jv_object_set(r, jv_string("checkpoints"), jv_number((double)v->checkpoints));
	if (v->batches)
		r = jv_object_set(r, jv_string("field_batches"), jv_number((double)v->batches));
	r = jv_object_set(r, jv_string("tables"), jv_number((double)v->tables));
	r = jv_object_set(r, jv_string("rows"), jv_number((double)v->rows));
	r = jv_object_set(r, jv_string("anchored"), jv_number((double)v->anchors));
	r = jv_object_set(r, jv_string("audit_entries"), jv_number((double)v->audits));
	r = jv_object_set(r, jv_string("witness_seq"),
			  v->witness_seq < 0 ? jv_null() : jv_number((double)v->witness_seq));
	r = jv_object_set(r, jv_string("problems"), jv_number(v->problems));
	return r;
}

int store_verify(struct store *s, jv *report)
{
	struct verify v = {.s = s, .witness_seq = -1};
	struct walk walk = {.expect = 1};
	sqlite3 *live = store_db(s), *replay = NULL;
	int rc;
	/* The witness first: what it holds was committed before the snapshot below. */
	struct witness w = {0};
	char *wfile = witness_path(store_path(s), store_site(s));
	int wrc = wfile ? witness_read(wfile, &w) : -1;

	if ((rc = store_load_replicated_tables()) || (rc = open_replay(&replay))) {
		free(wfile);
		return rc;
	}
	if (sqlite3_exec(live, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		warnx("verify: cannot read store '%s': %s", store_path(s), sqlite3_errmsg(live));
		rc = CCC_EX_IOERR;
	} else {
		rc = walk_journal(&v, &walk, live, replay);
	}
	/* a field kit's batches (fieldkit.h), replayed after the journal it lacks */
	int frc = rc ? 0 : fieldkit_replay(s, live, replay, field_problem, &v, &v.batches);
	if (frc == CCC_EX_DATAERR)
		walk.replay_bad = 1;
	else if (frc)
		rc = frc;
	if (rc) {
		sqlite3_exec(live, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(replay);
		free(wfile);
		return rc;
	}
	check_orphan_checkpoints(&v, live);
	if (!walk.replay_bad)
		compare_state_tables(&v, live, replay);
	check_derived(&v, live);
	check_settings(&v);
	check_audits(&v, live);
	check_integrity(&v, live);
	/* The whole schema: a trigger, view or index no migration made. */
	if (schema_diff(live, store_migrate, schema_problem, &v) < 0)
		problem(&v, "schema: cannot be compared with ccc's");
	/* Whose keys: against the anchors outside the store. */
	check_anchors(&v, live);
	/* How far: against the witness outside the store (frees wfile). */
	check_witness(&v, live, wfile, wrc, &w);
	sqlite3_exec(live, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(replay);
	*report = report_of(&v);
	return v.problems ? CCC_EX_DATAERR : 0;
}
