/*
 * store-report.c: what an operator reads out of a store (ccc-store).
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccc/changeset.h"
#include "ccc/digest.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/out.h"
#include "ccc/refdb.h"
#include "ccc/store-report.h"
#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

/*
 * An entry's changes as an operator without --restricted may read them: the
 * key of a change to a restricted reference record (or one no longer
 * stored) is left out, and the command line of a check (an entry that logs
 * a consultation) is cut to its program: it names who was looked for.
 */
static jv redacted(struct store *s, jv e, jv changes)
{
	int check = 0;
	jv out = jv_array();
	jv_array_foreach (changes, i, c) {
		const char *table = jv_get_str(c, "table");
		if (table && !strcmp(table, "consultations"))
			check = 1;
		if (refdb_key_restricted(s, table, jv_object_get(jv_copy(c), jv_string("key"))) ==
		    1) {
			c = jv_object_set(c, jv_string("key"), jv_string("restricted"));
			c = jv_object_set(c, jv_string("restricted"), jv_true());
		}
		out = jv_array_append(out, c);
	}
	jv_free(changes);
	if (check) {
		const char *cmd = jv_get_str(e, "command");
		size_t n = cmd ? strcspn(cmd, " ") : 0;
		jv cut = jv_string_fmt(
		    "%.*s (its command line names what was looked for: --restricted shows it)",
		    (int)n, cmd ? cmd : "");
		e = jv_object_set(e, jv_string("command"), cut);
	}
	return jv_object_set(e, jv_string("changes"), out);
}

/* Journal an operator's reading of restricted content before it is shown. */
static int log_access(struct store *s, long long since, long limit)
{
	int64_t seq;
	struct refdb_ctx c = {.store = s};
	int rc = store_begin(s);
	if (rc)
		return rc;
	jv q = JV_OBJECT(jv_string("since"), jv_number((double)since), jv_string("limit"),
			 jv_number((double)limit), jv_string("restricted"), jv_true());
	if ((rc = refdb_audit_access(&c, "journal", q))) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, &seq);
}

int store_report_journal(struct store *s, long long since, long limit, int restricted,
			 void (*each)(jv entry, void *ctx), void *ctx)
{
	sqlite3_stmt *st;
	char hex[2 * SHA256_LEN + 1];
	int rc;
	if (restricted && (rc = log_access(s, since, limit))) {
		warnx("log: --restricted: the access cannot be journaled, so nothing is shown");
		return rc;
	}
	if (sqlite3_prepare_v2(store_db(s),
			       "SELECT seq, epoch, origin, actor, command, ts, changeset, hash"
			       " FROM journal WHERE seq > ?1 ORDER BY seq LIMIT ?2",
			       -1, &st, NULL) != SQLITE_OK) {
		return store_error(s, SQLITE_ERROR, "reading the journal");
	}
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		jv e = jv_object();
		e = jv_object_set(e, jv_string("seq"),
				  jv_number((double)sqlite3_column_int64(st, 0)));
		e = jv_object_set(e, jv_string("epoch"),
				  jv_number((double)sqlite3_column_int64(st, 1)));
		e = jv_object_set(e, jv_string("origin"),
				  jv_string((const char *)sqlite3_column_text(st, 2)));
		e = jv_object_set(e, jv_string("actor"),
				  jv_string((const char *)sqlite3_column_text(st, 3)));
		e = jv_object_set(e, jv_string("command"),
				  jv_string((const char *)sqlite3_column_text(st, 4)));
		e = jv_object_set(e, jv_string("ts"),
				  jv_string((const char *)sqlite3_column_text(st, 5)));
		if (sqlite3_column_bytes(st, 7) == SHA256_LEN) {
			hex_encode(sqlite3_column_blob(st, 7), SHA256_LEN, hex);
			e = jv_object_set(e, jv_string("hash"), jv_string(hex));
		}
		jv changes = changeset_changes_jv(NULL, sqlite3_column_blob(st, 6),
						  sqlite3_column_bytes(st, 6));
		if (restricted)
			e = jv_object_set(e, jv_string("changes"), changes);
		else
			e = redacted(s, e, changes);
		each(e, ctx);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the journal");
}

int store_report_rejects(struct store *s, const char *program, long limit,
			 void (*each)(jv reject, void *ctx), void *ctx)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(
		store_db(s),
		"SELECT id, program, file, line, reason, raw, raw_size, raw_sha256, ts"
		" FROM rejects WHERE ?1 IS NULL OR program = ?1"
		" ORDER BY ts, program, file, line LIMIT ?2",
		-1, &st, NULL) != SQLITE_OK) {
		return store_error(s, SQLITE_ERROR, "reading rejects");
	}
	sqlite3_bind_text(st, 1, program, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		jv r = jv_object();
		r = jv_object_set(r, jv_string("type"), jv_string("reject"));
		r = jv_object_set(r, jv_string("v"), jv_number(RECORD_VERSION));
		r = jv_object_set(r, jv_string("id"),
				  jv_string((const char *)sqlite3_column_text(st, 0)));
		r = jv_object_set(r, jv_string("program"),
				  jv_string((const char *)sqlite3_column_text(st, 1)));
		r = jv_object_set(r, jv_string("file"),
				  jv_string((const char *)sqlite3_column_text(st, 2)));
		r = jv_object_set(r, jv_string("line"),
				  jv_number((double)sqlite3_column_int64(st, 3)));
		r = jv_object_set(r, jv_string("reason"),
				  jv_string((const char *)sqlite3_column_text(st, 4)));
		const char *raw = sqlite3_column_blob(st, 5);
		int n = sqlite3_column_bytes(st, 5);
		if (utf8_valid(raw ? raw : "", (size_t)n)) {
			r = jv_object_set(r, jv_string("raw"), jv_string_sized(raw ? raw : "", n));
		} else {
			char *b = xmalloc(base64_len((size_t)n) + 1);
			base64_encode((const uint8_t *)raw, (size_t)n, b);
			r = jv_object_set(r, jv_string("raw_base64"), jv_string(b));
			free(b);
		}
		r = jv_object_set(r, jv_string("raw_size"),
				  jv_number((double)sqlite3_column_int64(st, 6)));
		r = jv_object_set(r, jv_string("raw_sha256"),
				  jv_string((const char *)sqlite3_column_text(st, 7)));
		r = jv_object_set(r, jv_string("ts"),
				  jv_string((const char *)sqlite3_column_text(st, 8)));
		each(r, ctx);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading rejects");
}

int store_report_attachment(struct store *s, const char *sum)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(store_db(s), "SELECT data FROM attachments WHERE sha256 = ?1", -1,
			       &st, NULL) != SQLITE_OK) {
		return store_error(s, SQLITE_ERROR, "reading attachments");
	}
	sqlite3_bind_text(st, 1, sum, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out_write(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		warnx("attachment: no attachment %s in store '%s'", sum, store_path(s));
		rc = CCC_EX_NEGATIVE;
	} else {
		rc = store_error(s, rc, "reading attachments");
	}
	sqlite3_finalize(st);
	return rc;
}

static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

jv store_report_stats(struct store *s)
{
	struct stat sb;
	sqlite3_stmt *st;
	sqlite3 *db = store_db(s);
	jv r = jv_object();
	r = jv_object_set(r, jv_string("store"), jv_string(store_path(s)));
	r = jv_object_set(r, jv_string("site"), jv_string(store_site(s)));
	r = jv_object_set(r, jv_string("schema_version"),
			  jv_number((double)count(db, "PRAGMA user_version")));
	if (stat(store_path(s), &sb) == 0)
		r = jv_object_set(r, jv_string("size_bytes"), jv_number((double)sb.st_size));
	if (sqlite3_prepare_v2(db,
			       "SELECT epoch, primary_site FROM epochs ORDER BY epoch DESC LIMIT 1",
			       -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			r = jv_object_set(r, jv_string("epoch"),
					  jv_number((double)sqlite3_column_int64(st, 0)));
			r = jv_object_set(r, jv_string("primary"),
					  jv_string((const char *)sqlite3_column_text(st, 1)));
		}
		sqlite3_finalize(st);
	}
	jv j = jv_object();
	j = jv_object_set(j, jv_string("entries"),
			  jv_number((double)count(db, "SELECT count(*) FROM journal")));
	j = jv_object_set(
	    j, jv_string("last_seq"),
	    jv_number((double)count(db, "SELECT coalesce(max(seq), 0) FROM journal")));
	j = jv_object_set(j, jv_string("changeset_bytes"),
			  jv_number((double)count(
			      db, "SELECT coalesce(sum(length(changeset)), 0) FROM journal")));
	if (sqlite3_prepare_v2(db, "SELECT ts FROM journal ORDER BY seq DESC LIMIT 1", -1, &st,
			       NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			j = jv_object_set(j, jv_string("last_ts"),
					  jv_string((const char *)sqlite3_column_text(st, 0)));
		sqlite3_finalize(st);
	}
	r = jv_object_set(r, jv_string("journal"), j);
	jv t = jv_object();
	if (sqlite3_prepare_v2(db,
			       "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 0);
			if (!store_is_state_table(name))
				continue;
			struct buf q = {0};
			buf_adds(&q, "SELECT count(*) FROM \"");
			buf_adds(&q, name); /* names come from sqlite_master and have no quote */
			buf_adds(&q, "\"");
			buf_addc(&q, '\0');
			t = jv_object_set(t, jv_string(name), jv_number((double)count(db, q.p)));
			buf_free(&q);
		}
		sqlite3_finalize(st);
	}
	r = jv_object_set(r, jv_string("tables"), t);
	return r;
}

int store_report_backup(struct store *s, const char *path)
{
	sqlite3 *dst = NULL;
	int rc;
	/* 0600 from the start, as the store */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		warn("backup: cannot create '%s'", path);
		return CCC_EX_CANTCREAT;
	}
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		warnx("backup: cannot create '%s': %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		unlink(path);
		return CCC_EX_CANTCREAT;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", store_db(s), "main");
	if (b) {
		while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK || rc == SQLITE_BUSY ||
		       rc == SQLITE_LOCKED)
			if (rc != SQLITE_OK)
				sqlite3_sleep(50);
		sqlite3_backup_finish(b);
	}
	rc = sqlite3_errcode(dst);
	if (rc != SQLITE_OK) {
		warnx("backup: writing '%s': %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		unlink(path);
		return CCC_EX_IOERR;
	}
	sqlite3_close(dst);
	chmod(path, 0600);
	return 0;
}
