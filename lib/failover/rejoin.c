/*
 * rejoin.c: rewind a former primary to the fork point, keep its orphans,
 * and import the new primary's journal.
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
#include "ccc/digest.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/keypack.h"
#include "ccc/out.h"
#include "ccc/ndjson.h"
#include "ccc/opts.h"
#include "ccc/rejoin.h"
#include "ccc/ship.h"
#include "ccc/sitelocal.h"
#include "ccc/witness.h"
#include "ccc/xmalloc.h"

static const char *const SQL_HASH_AT = "SELECT hash FROM journal WHERE seq = ?1";
static const char *const SQL_AFTER =
    "SELECT seq, epoch, origin, actor, command, ts, changeset, hash FROM journal"
    " WHERE seq > ?1 ORDER BY seq";

/* 1 when this store holds entry seq with the hash given in hex. */
static int same_hash(struct store *s, int64_t seq, const char *hex)
{
	uint8_t h[SHA256_LEN];
	if (!hex || strlen(hex) != 2 * SHA256_LEN ||
	    hex_decode(hex, 2 * SHA256_LEN, h) != SHA256_LEN)
		return 0;
	sqlite3_stmt *st = store_stmt(s, SQL_HASH_AT);
	sqlite3_bind_int64(st, 1, seq);
	int same = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == SHA256_LEN &&
		   !memcmp(sqlite3_column_blob(st, 0), h, SHA256_LEN);
	sqlite3_reset(st);
	return same;
}

static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	char *table = ctx; /* copied: the iterator's name is freed with it */
	const char *name;
	int ncol, op, ind;
	if (sqlite3changeset_op(it, &name, &ncol, &op, &ind) == SQLITE_OK)
		snprintf(table, 128, "%s", name);
	return SQLITE_CHANGESET_ABORT;
}

/* The tables whose ids are allocated as the highest + 1, and their highest. */
static const struct {
	const char *table, *sql;
} numbered[] = {
    {"messages", "SELECT max(n) FROM messages"},
    {"queue_log", "SELECT max(e) FROM queue_log"},
    {"plans", "SELECT max(n) FROM plans"},
    {"deployments", "SELECT max(n) FROM deployments"},
    {"deployment_log", "SELECT max(e) FROM deployment_log"},
    {"notices", "SELECT max(n) FROM notices"},
    {"notice_log", "SELECT max(e) FROM notice_log"},
    {"consultations", "SELECT max(c) FROM consultations"},
    {"replies", "SELECT max(n) FROM replies"},
    {"reply_log", "SELECT max(e) FROM reply_log"},
};

/*
 * Before the entries after the fork are rewound: raise every numbered
 * table's id floor to its highest id now, so that no id an orphan had is
 * handed out again (store_id_floor). A table the orphans did not touch
 * keeps numbering as it would have.
 */
static int raise_floors(struct store *s)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof numbered / sizeof numbered[0]; i++) {
		sqlite3_stmt *st = store_stmt(s, numbered[i].sql);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
			int64_t n = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
			rc = store_raise_id_floor(s, numbered[i].table, n);
		} else {
			sqlite3_reset(st);
		}
	}
	return rc;
}

/* Write the orphans after fork and rewind them, in one transaction. */
static int rewind_to(struct store *s, int64_t fork, int fd, long *norphans)
{
	sqlite3 *db = store_db(s);
	struct buf b = {0};
	int rc;
	if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
		return store_error(s, rc, "starting the rewind");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, SQL_AFTER, -1, &st, NULL) != SQLITE_OK) {
		rc = store_error(s, sqlite3_errcode(db), "reading the journal");
		goto fail;
	}
	sqlite3_bind_int64(st, 1, fork);
	int cap = 0, n = 0;
	struct {
		void *cs;
		int len;
	} *inv = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		const char *origin = (const char *)sqlite3_column_text(st, 2);
		int cslen = sqlite3_column_bytes(st, 6);
		const void *cs = sqlite3_column_blob(st, 6);
		char id[160], hash[2 * SHA256_LEN + 1] = "";
		snprintf(id, sizeof id, "orphan:%s:%lld", origin, (long long)seq);
		if (sqlite3_column_bytes(st, 7) == SHA256_LEN)
			hex_encode(sqlite3_column_blob(st, 7), SHA256_LEN, hash);
		char *b64 = xmalloc(base64_len((size_t)cslen) + 1);
		base64_encode(cs, (size_t)cslen, b64);
		jv o = ship_entry_head(st, "orphan", id);
		o = jv_object_set(o, jv_string("hash"), jv_string(hash));
		o = jv_object_set(o, jv_string("changes"), changeset_changes_jv(db, cs, cslen));
		o = jv_object_set(o, jv_string("changeset"), jv_string(b64));
		free(b64);
		json_write(&b, o);
		jv_free(o);
		buf_addc(&b, '\n');
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			inv = xrealloc(inv, (size_t)cap * sizeof *inv);
		}
		if (sqlite3changeset_invert(cslen, cs, &inv[n].len, &inv[n].cs) != SQLITE_OK) {
			warnx("rejoin: entry %lld: cannot invert its changes", (long long)seq);
			sqlite3_finalize(st);
			rc = CCC_EX_SOFTWARE;
			goto free_inv;
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rc = store_error(s, rc, "reading the journal");
		goto free_inv;
	}
	/* The orphans are on disk before anything is rewound. */
	if (write_all(fd, b.p ? b.p : "", b.len) < 0 || fsync(fd) < 0) {
		warn("rejoin: writing the orphans");
		rc = CCC_EX_IOERR;
		goto free_inv;
	}
	if ((rc = raise_floors(s))) {
		goto free_inv;
	}
	for (int i = n - 1; i >= 0; i--) {
		char table[128] = "";
		if (changeset_apply_counted(db, inv[i].len, inv[i].cs, NULL, on_conflict, table) !=
		    SQLITE_OK) {
			warnx("rejoin: entry %lld cannot be rewound: this store's rows differ from "
			      "its journal%s%s%s",
			      (long long)(fork + 1 + i), table[0] ? " in table '" : "", table,
			      table[0] ? "'" : "");
			rc = CCC_EX_DATAERR;
			goto free_inv;
		}
	}
	st = store_stmt(s, "DELETE FROM checkpoints WHERE seq > ?1");
	sqlite3_bind_int64(st, 1, fork);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		st = store_stmt(s, "DELETE FROM journal WHERE seq > ?1");
		sqlite3_bind_int64(st, 1, fork);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	if (rc != SQLITE_DONE || (rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
		rc = store_error(s, rc, "rewinding");
		goto free_inv;
	}
	rc = 0;
	/* rewound on purpose: the witness follows */
	witness_record(&(struct witness_store){store_db(s), store_path(s), store_site(s)}, 1);
	*norphans = n;
free_inv:
	for (int i = 0; i < n; i++)
		sqlite3_free(inv[i].cs);
	free(inv);
fail:
	buf_free(&b);
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* What fences this site: an epoch above its own newest, signed by its primary. */
struct proof {
	int64_t above, epoch;
	char primary[128];
};

/* Read the new primary's export: find the fork and the proof of a newer
 * epoch, then (second pass) import. */
static int scan(struct store *s, int fd, int import, int64_t since, int64_t *fork, long *applied,
		struct proof *pf)
{
	struct ndjson_reader *r = ndjson_open(fd, "rejoin", 1 << 30);
	struct ndjson_line ln;
	jv entry = jv_invalid();
	int rc = 0, diverged = 0;
	while (!rc && ndjson_next(r, &ln, -1) == NDJSON_LINE) {
		const char *type = jv_is_valid(ln.value) ? jv_get_str(ln.value, "type") : NULL;
		if (!type) {
			warnx("rejoin: the new primary's export, line %lu: %s", ln.lineno,
			      ln.reason[0] ? ln.reason : "not an entry or a checkpoint");
			rc = CCC_EX_DATAERR;
		} else if (!strcmp(type, "entry")) {
			jv_free(entry);
			entry = jv_copy(ln.value);
			if (!import && !diverged) {
				jv seqv = jv_object_get(jv_copy(ln.value), jv_string("seq"));
				int64_t seq = jv_get_kind(seqv) == JV_KIND_NUMBER
						  ? (int64_t)jv_number_value(seqv)
						  : -1;
				jv_free(seqv);
				if (seq == since + 1 &&
				    !same_hash(s, since, jv_get_str(ln.value, "prev_hash")) &&
				    since > 0)
					diverged = 2; /* not even the start matches */
				else if (same_hash(s, seq, jv_get_str(ln.value, "hash")))
					*fork = seq;
				else
					diverged = 1;
			}
		} else if (!strcmp(type, "checkpoint") && !import) {
			if (!pf->epoch && jv_is_valid(entry))
				(void)ship_epoch_proof(s, entry, ln.value, pf->above, &pf->epoch,
						       pf->primary, sizeof pf->primary);
		} else if (!strcmp(type, "checkpoint") && import) {
			char why[512];
			jv ack;
			if (!jv_is_valid(entry)) {
				warnx("rejoin: line %lu: a checkpoint without its entry",
				      ln.lineno);
				rc = CCC_EX_DATAERR;
			} else {
				rc =
				    ship_import(s, entry, jv_copy(ln.value), &ack, why, sizeof why);
				entry = jv_invalid();
				if (rc == CCC_EX_DATAERR)
					warnx("rejoin: %s", why);
				if (!rc)
					(*applied)++;
				jv_free(ack);
			}
		}
		jv_free(ln.value);
	}
	jv_free(entry);
	ndjson_close(r);
	return rc ? rc : diverged == 2 ? -1 : 0;
}

/* The least seq a standby acknowledged (ack:SITE is "SEQ TIME"). */
static int least_ack(const char *key, const char *value, void *ctx)
{
	int64_t *least = ctx, seq = strtoll(value, NULL, 10);
	if (*least < 0 || seq < *least)
		*least = seq;
	return 0;
}

int rejoin(struct store *s, const char *via, int orphans_fd, struct rejoin_result *res)
{
	char args[64];
	int fd = -1, rc;
	struct proof pf = {0};
	int64_t newest = 0;
	memset(res, 0, sizeof *res);
	/* This site's newest epoch as primary, and the store's newest epoch: when
	 * a newer one of another site is in this store's own (verified) journal,
	 * the site is fenced already; else the other side must prove one. */
	sqlite3_stmt *ep = store_stmt(
	    s, "SELECT coalesce((SELECT max(epoch) FROM epochs WHERE primary_site = ?1), 0),"
	       " coalesce((SELECT max(epoch) FROM epochs), 0)");
	sqlite3_bind_text(ep, 1, store_site(s), -1, SQLITE_STATIC);
	if (sqlite3_step(ep) == SQLITE_ROW) {
		pf.above = sqlite3_column_int64(ep, 0);
		newest = sqlite3_column_int64(ep, 1);
	}
	sqlite3_reset(ep);
	/* The prefix both hold is at least what any standby acknowledged here. */
	int64_t since = -1;
	sitelocal_each(store_local(s), "ack:", least_ack, &since);
	if (since < 0)
		since = 0;
	for (;;) {
		snprintf(args, sizeof args, "export --since %lld", (long long)since);
		if ((rc = ship_run(s, via, args, -1, &fd))) {
			if (fd >= 0)
				close(fd);
			return rc == CCC_EX_DATAERR ? rc : CCC_EX_UNAVAILABLE;
		}
		res->fork = since;
		rc = scan(s, fd, 0, since, &res->fork, &res->imported, &pf);
		if (rc == -1 && since > 0) {
			close(fd);
			since = 0; /* the acknowledged prefix is not theirs: from the start */
			continue;
		}
		break;
	}
	if (!rc && newest <= pf.above && !pf.epoch) {
		char mine[96] = "has no epoch";
		if (pf.above)
			snprintf(mine, sizeof mine, "is the primary of epoch %lld",
				 (long long)pf.above);
		warnx("rejoin: site '%s' %s; nothing newer was proven by '%s' (its export holds "
		      "no entry of a newer epoch signed by that epoch's primary with a key "
		      "trusted here): refusing to rewind; nothing was changed",
		      store_site(s), mine, via);
		close(fd);
		return CCC_EX_TEMPFAIL;
	}
	if (!rc && pf.epoch && store_verbose(s))
		warnx("rejoin: '%s' proves epoch %lld, whose primary is '%s'", via,
		      (long long)pf.epoch, pf.primary);
	if (!rc)
		rc = rewind_to(s, res->fork, orphans_fd, &res->orphans);
	if (!rc) {
		lseek(fd, 0, SEEK_SET);
		rc = scan(s, fd, 1, since, &res->fork, &res->imported, &pf);
	}
	/* the person keys rewound and imported, packed again (keypack.h) */
	if (!rc)
		(void)keypack_store(s);
	close(fd);
	res->position = ship_position(s);
	res->imported = res->position > res->fork ? (long)(res->position - res->fork) : 0;
	return rc;
}

int rejoin_to_file(struct store *s, const char *via, const char *file, struct rejoin_result *res,
		   jv *rec)
{
	char *path = NULL;
	if (!file && asprintf(&path, "%s.orphans.ndjson", store_path(s)) < 0)
		return CCC_EX_SOFTWARE;
	file = file ? file : path;
	int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		warn("rejoin: cannot open the orphans file '%s'", file);
		free(path);
		return CCC_EX_CANTCREAT;
	}
	int rc = rejoin(s, via, fd, res);
	if (close(fd) < 0 && !rc) {
		warn("rejoin: '%s'", file);
		rc = CCC_EX_IOERR;
	}
	if (!rc) {
		jv r =
		    JV_OBJECT(jv_string("type"), jv_string("rejoin"), jv_string("v"),
			      jv_number(RECORD_VERSION), jv_string("id"), jv_string(store_site(s)));
		r = jv_object_set(r, jv_string("site"), jv_string(store_site(s)));
		r = jv_object_set(r, jv_string("fork"), jv_number((double)res->fork));
		r = jv_object_set(r, jv_string("orphans"), jv_number((double)res->orphans));
		r = jv_object_set(r, jv_string("orphans_file"), jv_string(file));
		r = jv_object_set(r, jv_string("imported"), jv_number((double)res->imported));
		*rec = jv_object_set(r, jv_string("position"), jv_number((double)res->position));
	}
	free(path);
	return rc;
}
