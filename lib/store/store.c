/*
 * store.c: open, migrate and write the signed store.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/anchor.h"
#include "ccc/changeset.h"
#include "ccc/entity-keys.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/journal.h"
#include "ccc/opts.h"
#include "ccc/pagemem.h"
#include "ccc/schema.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/store.h"
#include "ccc/witness.h"
#include "ccc/xmalloc.h"

/*
 * Migrations, in order; PRAGMA user_version is the number applied. Every
 * state table has an explicit PRIMARY KEY (the session extension needs one).
 */
extern const char check_schema[], deploy_schema[], notice_schema[], sites_schema[],
    person_index_schema[], reply_schema[], case_schema[], alert_schema[], deployment_index_schema[],
    duty_schema[], training_schema[], source_hash_schema[], audit_schema[],
    message_entities_schema[], rescreen_pending_schema[], person_facts_schema[],
    person_packs_schema[], person_pack_merge_schema[];

static const char *const migrations[] = {
    /* 1: the journal, sites, epochs, messages, rejects */
    "CREATE TABLE local(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE journal(seq INTEGER PRIMARY KEY, epoch INTEGER NOT NULL,"
    " origin TEXT NOT NULL, actor TEXT NOT NULL, command TEXT NOT NULL, ts TEXT NOT NULL,"
    " changeset BLOB NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL);"
    "CREATE TABLE checkpoints(seq INTEGER PRIMARY KEY, origin TEXT NOT NULL,"
    " head_hash BLOB NOT NULL, signature BLOB NOT NULL);"
    "CREATE TABLE sites(name TEXT PRIMARY KEY, pubkey BLOB NOT NULL, added_at TEXT NOT NULL,"
    " time_zone TEXT, region TEXT);"
    "CREATE TABLE epochs(epoch INTEGER PRIMARY KEY, primary_site TEXT NOT NULL,"
    " started_at TEXT NOT NULL);"
    "CREATE TABLE messages(n INTEGER PRIMARY KEY, id TEXT NOT NULL, dkey TEXT NOT NULL UNIQUE,"
    " record TEXT NOT NULL);"
    "CREATE TABLE rejects(id TEXT PRIMARY KEY, program TEXT NOT NULL, file TEXT NOT NULL,"
    " line INTEGER NOT NULL, reason TEXT NOT NULL, raw BLOB NOT NULL,"
    " raw_size INTEGER NOT NULL, raw_sha256 TEXT NOT NULL, ts TEXT NOT NULL);",
    /* 2: the triage work queue, and who did what with each item */
    "CREATE TABLE queue(n INTEGER PRIMARY KEY, id TEXT NOT NULL, priority TEXT NOT NULL,"
    " category TEXT NOT NULL, due_at TEXT NOT NULL, status TEXT NOT NULL,"
    " assignee TEXT, escalations INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL);"
    "CREATE INDEX queue_by_urgency ON queue(status, priority, due_at);"
    "CREATE TABLE queue_log(e INTEGER PRIMARY KEY, n INTEGER NOT NULL, ts TEXT NOT NULL,"
    " actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);",
    /* 3: reference databases and the consultation log (check-schema.c) */
    check_schema,
    /* 4: staff, plans and deployments (deploy-schema.c) */
    deploy_schema,
    /* 5: notices, diffusions and alerts (notice-schema.c) */
    notice_schema,
    /* 6: the primary's heartbeats (sites.c) */
    sites_schema,
    /* 7: signatures in the person index, and its key counts (check-schema.c) */
    person_index_schema,
    /* 8: the site settings (local table) are sealed with the site's key
     * (sitelocal.c); no schema change: store_open seals an older store's
     * settings in the transaction of this migration */
    "SELECT 1",
    /* 9: the values a message keeps apart whole (a long subject, body or field, message.c) */
    "CREATE TABLE attachments(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL,"
    " content_type TEXT NOT NULL, data BLOB NOT NULL);",
    /* 10: replies to the bureaus, and when a queue item was first answered (reply-store.c) */
    reply_schema,
    /* 11: cases, their links, tasks and log (case-schema.c) */
    case_schema,
    /* 12: correlation, re-screening, grouping and silences (alert-schema.c) */
    alert_schema,
    /* 13: shifts, rotations, handovers, escalation policies and pages (duty-schema.c) */
    duty_schema,
    /* 14: the course and skill catalogues, sessions and attendance (training-schema.c) */
    training_schema,
    /* 15: the hash of the text each reference record was loaded from (check-schema.c) */
    source_hash_schema,
    /* 16: site audit chains, field kits and revocation (audit.c) */
    audit_schema,
    /* 17: the deployment index of the consultations, partial (check-schema.c) */
    deployment_index_schema,
    /* 18: person key counts, counted once per transaction from its changeset
     * (changeset_count_keys) instead of by a trigger per index row */
    "DROP TRIGGER IF EXISTS person_key_counted; DROP TRIGGER IF EXISTS person_key_uncounted;",
    /* 19: a message's entity index written only when it names any (alert-schema.c) */
    message_entities_schema,
    /* 20: what changed in the reference lists and is not re-screened yet (alert-schema.c) */
    rescreen_pending_schema,
    /* 21: a message's triage kept beside its record, not in it (queue.h) */
    "ALTER TABLE messages ADD COLUMN triage TEXT;",
    /* 22: what bounds a name check's candidates, in an index of its own (check-schema.c) */
    person_facts_schema,
    /* 23: a check's entity keys go with its consultation when a rejoin takes
     * it back, as a message's go with the message; and the keys of the
     * checks logged before migration 12 made the index, and of those a
     * rejoin took back before this one, made right: verify now compares
     * them with the log (entity-keys.h) */
    "CREATE TRIGGER check_entities_out AFTER DELETE ON consultations BEGIN"
    " DELETE FROM derived_entities WHERE item = 'check-' || old.c; END;"
    "DELETE FROM derived_entities WHERE item LIKE 'check-%' AND item NOT IN"
    " (SELECT 'check-' || c FROM consultations);"
    "INSERT OR IGNORE INTO derived_entities(key, item, at) SELECT key, item, at FROM "
    "(" CHECK_KEYS_OF_LOG ");",
    /* 24: the entity index in the order of key, then time: the first
     * message near a time that may lead a group is read from the front of
     * a range (correlate_first_peer), not found by sorting every earlier
     * message that names the entity; the same rows and bytes as before, so
     * a write costs what it did (another index would cost each message
     * with an entity a page more: 10% more instructions at intake). The
     * legacy rename leaves the triggers that name the table as they are. */
    "CREATE TABLE derived_entities_by_time(key TEXT NOT NULL, item TEXT NOT NULL,"
    " at TEXT NOT NULL, PRIMARY KEY (key, at, item)) WITHOUT ROWID;"
    "INSERT INTO derived_entities_by_time SELECT key, item, at FROM derived_entities;"
    "DROP TABLE derived_entities;"
    "PRAGMA legacy_alter_table = ON;"
    "ALTER TABLE derived_entities_by_time RENAME TO derived_entities;"
    "PRAGMA legacy_alter_table = OFF;"
    "CREATE INDEX derived_entities_by_item ON derived_entities(item);",
    /* 25: the person index packed, a key's entries in a few rows (check-schema.c) */
    person_packs_schema,
    /* 26: a packed key packed again from its packs and the ids that changed (check-schema.c) */
    person_pack_merge_schema,
};
#define NMIGRATIONS      ((int)(sizeof migrations / sizeof migrations[0]))
#define MIGRATION_SEALED 8 /* the version from which the site settings are sealed */

static const char *const SQL_LAST_ENTRY = "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1";
static const char *const SQL_EPOCH =
    "SELECT epoch, primary_site FROM epochs ORDER BY epoch DESC LIMIT 1";
static const char *const SQL_JOURNAL_INSERT =
    "INSERT INTO journal(seq, epoch, origin, actor, command, ts, changeset, prev_hash, hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char *const SQL_CHECKPOINT_INSERT =
    "INSERT INTO checkpoints(seq, origin, head_hash, signature) VALUES (?1, ?2, ?3, ?4)";
static const char *const SQL_REJECT_INSERT =
    "INSERT OR IGNORE INTO rejects(id, program, file, line, reason, raw, raw_size,"
    " raw_sha256, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char *const SQL_SITE_KEY = "SELECT pubkey FROM sites WHERE name = ?1";

#define NSTMT 64

struct store;
static int lease_check(struct store *s);
static int seen_epoch_check(struct store *s);
static int seen_epoch_check_quiet(struct store *s);
static int settings_check(struct store *s);
static int session_start(struct store *s);

struct store {
	sqlite3 *db;
	int64_t sealed_version; /* PRAGMA data_version when the settings' seal last verified */
	char *path;
	char *site;
	enum store_mode mode;
	struct sign_key *key;
	uint8_t pub[SIGN_PUBLEN];
	sqlite3_session *session;
	/* changes written outside the session: after its own
	 * (store_tx_add_changes), before them (store_tx_add_first) */
	uint8_t *extra, *first;
	size_t extra_len, extra_cap, first_len, first_cap;
	int64_t epoch;
	uint64_t tx; /* next_tx's number for the transaction open or last opened */
	/* store_id_floor's last answer, good for the rest of transaction floor_tx
	 * (nobody else writes while it is open; store_raise_id_floor forgets it) */
	uint64_t floor_tx;
	char floor_table[64];
	int64_t floor;
	long busy_timeout;
	char *actor, *command, *key_file;
	int verbose, quiet;
	store_audit_fn *audit_ok; /* store_allow_audit: where a check here goes, or NULL */
	int audit;                /* this transaction writes to the audit chain, not the journal */
	store_commit_hook *on_commit;
	void *on_commit_ctx;
	int stmt_rc;               /* a statement store_stmt could not prepare: its result code */
	int index_own;             /* store_index_own: the triggers are off */
	struct sitelocal local;    /* the site settings of this connection */
	struct checkpointer *ckpt; /* a writer's: its WAL copied by a thread of its own */
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} stmts[NSTMT];
};

int store_is_state_table(const char *t)
{
	if (!strcmp(t, "journal") || !strcmp(t, "checkpoints") || !strcmp(t, "local"))
		return 0;
	/* this site's own audit chain and a field kit's batches: site-local */
	if (!strcmp(t, "audit_local") || !strcmp(t, "field_journal"))
		return 0;
	if (!strncmp(t, "sqlite_", 7))
		return 0;
	if (strstr(t, "_fts")) /* FTS5 tables and their shadows are rebuilt, not shipped */
		return 0;
	if (!strncmp(t, "derived_", 8)) /* kept by triggers on every site, not shipped */
		return 0;
	return 1;
}

/*
 * Before SQLite's first use in the process: no memory statistics. With them
 * on (SQLite's default) every allocation takes a global mutex and updates
 * counters that nothing here reads; a logged check allocates hundreds of
 * times. Then the page cache's memory in huge pages (pagemem.h). Too late
 * (SQLite already in use), it changes nothing.
 */
static void sqlite_setup(void)
{
	static int done;
	if (!done) {
		done = 1;
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		pagemem_setup();
	}
}

/* The tables the migrations create, read once from a scratch database. */
static struct {
	int n, loaded;
	char **names;
} migrated;

int store_load_replicated_tables(void)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc;
	if (migrated.loaded)
		return 0;
	sqlite_setup();
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    store_migrate(db, "(schema)") != 0 ||
	    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st,
			       NULL) != SQLITE_OK) {
		warnx("internal error: cannot list the tables of the schema");
		sqlite3_close(db);
		return CCC_EX_SOFTWARE;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **p = xrealloc(migrated.names, (size_t)(migrated.n + 1) * sizeof *p);
		p[migrated.n] = xstrdup((const char *)sqlite3_column_text(st, 0));
		migrated.names = p;
		migrated.n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (rc != SQLITE_DONE) {
		warnx("internal error: cannot list the tables of the schema");
		return CCC_EX_SOFTWARE;
	}
	migrated.loaded = 1;
	return 0;
}

int store_is_replicated_table(const char *t)
{
	/* unread (or unreadable) tables: none is replicated, every change refused */
	if (!migrated.loaded && store_load_replicated_tables() != 0)
		return 0;
	if (!store_is_state_table(t))
		return 0;
	for (int i = 0; i < migrated.n; i++)
		if (!strcmp(migrated.names[i], t))
			return 1;
	return 0;
}

static int session_filter(void *ctx, const char *table)
{
	return store_is_state_table(table);
}

static int exec(sqlite3 *db, const char *sql, const char *path)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		warnx("store '%s': %s", path, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

int store_error(struct store *s, int rc, const char *context)
{
	const char *why = sqlite3_errmsg(s->db);
	/* a NULL statement from store_stmt: its prepare error was said then */
	if (rc == SQLITE_MISUSE && s->stmt_rc)
		return ccc_exit_sqlite(s->stmt_rc);
	if ((rc & 0xff) == SQLITE_BUSY)
		warnx("store '%s': %s: store busy for more than %ld ms", s->path, context,
		      s->busy_timeout);
	else
		warnx("store '%s': %s: %s", s->path, context, why ? why : sqlite3_errstr(rc));
	return ccc_exit_sqlite(rc);
}

/* The store's page size in bytes. */
static long page_size(sqlite3 *db)
{
	sqlite3_stmt *st;
	long page = 4096;
	if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0)
		page = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return page;
}

/*
 * A writer's checkpointer: a thread with a connection of its own that copies
 * the WAL into the database file and syncs it (a PASSIVE checkpoint, which
 * never holds the writer up) once a commit leaves CKPT_BYTES of WAL, while
 * the writer goes on with its next batch; started at the first such commit,
 * so that a short command starts no thread. The writer had stopped for it
 * at every 16 MiB of WAL: about a tenth of taking in, shipping or loading
 * a large stream was that copy and that sync (measured, 200k messages taken
 * in: 14 syncs of the database, 23 ms each, 0.32 s of 2.8 s, beside 68
 * syncs of the WAL, 8 ms each).
 *
 * SQLite starts the WAL again from its beginning only when all of it has
 * been copied, which a checkpoint running beside a writer seldom finds: at
 * CKPT_WRITER times CKPT_BYTES the writer copies what is left itself, as
 * SQLite's own autocheckpoint does, and the WAL then starts again. A WAL
 * therefore holds up to some 64 MiB and a batch.
 *
 * Nothing about durability changes: each commit still syncs the WAL before
 * it returns (synchronous=FULL); a checkpoint only moves what is durable
 * already, and one killed halfway is taken up by the next.
 */
#define CKPT_BYTES  (16L << 20)
#define CKPT_WRITER 4

struct checkpointer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int started, pending, running, stop;
	char *path;
	int frames; /* CKPT_BYTES in pages */
	long runs;  /* checkpoints made by the thread */
};

static void *checkpointer_main(void *arg)
{
	struct checkpointer *k = arg;
	sqlite3 *db = NULL;
	/* a read puts the connection in WAL mode, which a checkpoint needs */
	if (sqlite3_open_v2(k->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA synchronous=FULL; SELECT count(*) FROM sqlite_master", NULL,
			 NULL, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		db = NULL; /* the writer copies the WAL itself, at CKPT_WRITER */
	}
	pthread_mutex_lock(&k->mu);
	for (;;) {
		while (!k->pending && !k->stop)
			pthread_cond_wait(&k->cv, &k->mu);
		if (k->stop)
			break;
		k->pending = 0;
		k->running = 1;
		pthread_mutex_unlock(&k->mu);
		int rc =
		    db ? sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL)
		       : SQLITE_CANTOPEN;
		pthread_mutex_lock(&k->mu);
		k->running = 0;
		k->runs += rc == SQLITE_OK;
	}
	pthread_mutex_unlock(&k->mu);
	sqlite3_close(db);
	return NULL;
}

/* Have the thread copy the WAL (started now if it was not): 0 when there
 * is no thread to do it. */
static int checkpointer_wake(struct checkpointer *k)
{
	if (!k->started) {
		/* every signal blocked in the thread: they stay the writer's */
		sigset_t all, was;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &was);
		int rc = pthread_create(&k->thread, NULL, checkpointer_main, k);
		pthread_sigmask(SIG_SETMASK, &was, NULL);
		if (rc != 0)
			return 0;
		k->started = 1;
	}
	pthread_mutex_lock(&k->mu);
	k->pending = !k->running; /* one running copies this commit's frames, or the next will */
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	return 1;
}

/* SQLite's hook after each commit of the writer's connection, with the WAL's
 * length in pages (in place of its autocheckpoint). */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct checkpointer *k = arg;
	if (frames < k->frames)
		return SQLITE_OK;
	if (frames >= CKPT_WRITER * k->frames || !checkpointer_wake(k))
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

static void checkpointer_attach(struct store *s, long page)
{
	struct checkpointer *k = xcalloc(1, sizeof *k);
	k->path = xstrdup(s->path);
	k->frames = (int)(CKPT_BYTES / page);
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	s->ckpt = k;
	sqlite3_wal_hook(s->db, wal_hook, k);
}

/* Stop the thread (after the checkpoint it is making, if any). */
static void checkpointer_detach(struct store *s)
{
	struct checkpointer *k = s->ckpt;
	if (!k)
		return;
	sqlite3_wal_hook(s->db, NULL, NULL);
	if (k->started) {
		pthread_mutex_lock(&k->mu);
		k->stop = 1;
		pthread_cond_signal(&k->cv);
		pthread_mutex_unlock(&k->mu);
		pthread_join(k->thread, NULL);
	}
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
	free(k->path);
	free(k);
	s->ckpt = NULL;
}

long store_background_checkpoints(struct store *s)
{
	if (!s->ckpt)
		return -1;
	pthread_mutex_lock(&s->ckpt->mu);
	long n = s->ckpt->runs;
	pthread_mutex_unlock(&s->ckpt->mu);
	return n;
}

static int pragmas(sqlite3 *db, const char *path, long busy_timeout)
{
	sqlite3_busy_timeout(db, (int)busy_timeout);
	sqlite3_extended_result_codes(db, 1);
	/* A checkpoint every 16 MiB of WAL rather than SQLite's 1000 pages:
	 * a stream's batch of 1,000 triaged messages writes some 1,300 pages
	 * of 4 KiB, so at 1000 nearly every commit also copied its pages into
	 * the database and synced it, three syncs a batch where one is
	 * durable. Each commit still syncs the WAL (synchronous=FULL).
	 * A new store gets 16 KiB pages (an existing one keeps its own: in WAL
	 * mode the size is fixed once the file has a page). A commit writes
	 * each page it changes twice, into the WAL (a header and the page, one
	 * write each) and at the checkpoint into the file, reading it back
	 * from the WAL between: four calls a page, so at 4 KiB a stream's
	 * store spent a fifth of its time in system calls. Measured on 200k
	 * messages taken in: 3.6-3.7 s with 4 KiB pages, 3.15 s with 16 KiB;
	 * triage, person loads and shipping were faster too, checks the same. */
	int rc = exec(db,
		      "PRAGMA page_size=16384;"
		      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
		      "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
		      path);
	if (rc)
		return rc;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint=%ld", CKPT_BYTES / page_size(db));
	return exec(db, sql, path);
}

/* Apply the missing migrations in one transaction; s (a store being opened
 * by a key holder, or NULL) has its settings sealed in that transaction when
 * the store crosses MIGRATION_SEALED. */
static int migrate(sqlite3 *db, const char *path, struct store *s);

int store_migrate(sqlite3 *db, const char *path)
{
	return migrate(db, path, NULL);
}

static int migrate(sqlite3 *db, const char *path, struct store *s)
{
	sqlite3_stmt *st;
	int version = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > NMIGRATIONS) {
		warnx("store '%s' has schema version %d, newer than this program's %d: upgrade ccc",
		      path, version, NMIGRATIONS);
		return CCC_EX_CONFIG;
	}
	if (version == NMIGRATIONS)
		return 0;
	int rc = exec(db, "BEGIN IMMEDIATE", path);
	if (rc)
		return ccc_exit_sqlite(rc);
	for (int v = version; v < NMIGRATIONS; v++) {
		char pragma[64];
		if ((rc = exec(db, migrations[v], path)))
			goto fail;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
		if ((rc = exec(db, pragma, path)))
			goto fail;
	}
	if (s && version < MIGRATION_SEALED && (rc = sitelocal_seal(&s->local))) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	if ((rc = exec(db, "COMMIT", path)))
		goto fail;
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return ccc_exit_sqlite(rc);
}

/* ccc_id_floor(TABLE) in SQL: store_id_floor, for allocators written in SQL. */
static void sql_id_floor(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *table = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_result_int64(ctx, table ? store_id_floor(sqlite3_user_data(ctx), table) : 0);
}

static struct store *store_new(sqlite3 *db, const char *path, enum store_mode mode,
			       const struct store_opts *o)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->db = db;
	s->mode = mode;
	s->sealed_version = -1;
	s->busy_timeout = o ? o->busy_timeout : STORE_BUSY_TIMEOUT_DEFAULT;
	s->actor = o && o->actor ? xstrdup(o->actor) : NULL;
	s->command = o && o->command ? xstrdup(o->command) : NULL;
	s->key_file = o && o->key ? xstrdup(o->key) : NULL;
	s->verbose = o ? o->verbose : 0;
	s->quiet = o ? o->quiet : 0;
	s->local = (struct sitelocal){
	    .db = db, .path = s->path, .site = &s->site, .key = &s->key, .pub = s->pub};
	/* direct only: no trigger or view can call it */
	sqlite3_create_function(db, "ccc_id_floor", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, s,
				sql_id_floor, NULL, NULL);
	return s;
}

static int load_site(struct store *s)
{
	if ((s->site = sitelocal_site(&s->local)))
		return 0;
	warnx("store '%s' has no site name: it was not made by 'ccc-store init'", s->path);
	return CCC_EX_CONFIG;
}

/* Load the site's key, and make sure it is the key the store knows for the site. */
static int load_key(struct store *s, const char *keypath)
{
	char *def = NULL;
	if (!keypath)
		keypath = def = ccc_default_key(s->site);
	int rc = sign_load(keypath, &s->key);
	if (!rc) {
		sign_public(s->key, s->pub);
		sqlite3_stmt *st = store_stmt(s, SQL_SITE_KEY);
		sqlite3_bind_text(st, 1, s->site, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    (sqlite3_column_bytes(st, 0) != SIGN_PUBLEN ||
		     memcmp(sqlite3_column_blob(st, 0), s->pub, SIGN_PUBLEN) != 0)) {
			warnx("key file '%s' is not the key of site '%s' in store '%s'", keypath,
			      s->site, s->path);
			rc = CCC_EX_CONFIG;
		}
		sqlite3_reset(st);
	}
	free(def);
	return rc;
}

/* A store (or its -wal, -shm) anyone may write is no evidence of anything. */
static int writable_by_others(const char *path, const struct stat *st)
{
	static const char *const sfx[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char f[4200];
		struct stat fs = *st;
		snprintf(f, sizeof f, "%s%s", path, sfx[i]);
		if (i && stat(f, &fs) < 0)
			continue;
		if (fs.st_mode & S_IWOTH) {
			warnx("store '%s': '%s' is writable by others (mode %04o): anyone on this "
			      "machine could change it; refusing it; run: chmod o-w '%s'%s",
			      path, f, (unsigned)(fs.st_mode & 07777), path,
			      i ? "*" : " (and its -wal and -shm), then 'ccc-store verify'");
			return CCC_EX_NOPERM;
		}
	}
	return 0;
}

int store_open_opts(const char *path, enum store_mode mode, const char *keypath,
		    const struct store_opts *o, struct store **out)
{
	long busy_timeout = o ? o->busy_timeout : STORE_BUSY_TIMEOUT_DEFAULT;
	const char *want_site = o ? o->site : NULL;
	sqlite3 *db = NULL;
	int flags = mode != STORE_READ ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
	struct stat st;
	int rc;

	if (stat(path, &st) < 0) {
		warnx("cannot open store '%s': %s%s", path, strerror(errno),
		      errno == ENOENT ? " (create it with: ccc-store init --site NAME)" : "");
		return errno == ENOENT ? CCC_EX_NOINPUT : CCC_EX_NOPERM;
	}
	if ((rc = writable_by_others(path, &st)))
		return rc;
	sqlite_setup();
	rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		warnx("cannot open store '%s': %s", path,
		      db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return ccc_exit_sqlite(rc);
	}
	sqlite3_busy_timeout(db, (int)busy_timeout);
	/* A file SQLite cannot read (damaged header, not a database) is an I/O error. */
	if ((rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL))) {
		warnx("cannot open store '%s': %s", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return ccc_exit_sqlite(rc) == CCC_EX_SOFTWARE ? CCC_EX_IOERR : ccc_exit_sqlite(rc);
	}
	struct store *s = store_new(db, path, mode, o);
	/* Whose store is it? Before anything is changed in it. */
	if ((rc = load_site(s)) || (want_site && strcmp(want_site, s->site) != 0)) {
		if (!rc) {
			warnx("store '%s' belongs to site '%s', not '%s'", path, s->site,
			      want_site);
			rc = CCC_EX_CONFIG;
		}
		store_close(s);
		return rc;
	}
	if (mode != STORE_READ) {
		if ((rc = pragmas(db, path, busy_timeout))) {
			store_close(s);
			return ccc_exit_sqlite(rc);
		}
		/* The key first: an importer loads it too when it has one, to check
		 * and seal the site settings, and a migration may seal them. */
		char *def = keypath ? NULL : ccc_default_key(s->site);
		int has_key = mode == STORE_WRITE || access(keypath ? keypath : def, F_OK) == 0;
		free(def);
		if ((has_key && (rc = load_key(s, keypath))) || (rc = migrate(db, path, s)) ||
		    (rc = schema_check(db, path, store_migrate)) ||
		    (rc = sitelocal_check(&s->local))) {
			store_close(s);
			return rc;
		}
		checkpointer_attach(s, page_size(db));
	} else {
		sqlite3_busy_timeout(db, (int)busy_timeout);
		sqlite3_stmt *vst;
		int version = -1;
		if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &vst, NULL) == SQLITE_OK &&
		    sqlite3_step(vst) == SQLITE_ROW)
			version = sqlite3_column_int(vst, 0);
		sqlite3_finalize(vst);
		if (version < 0) {
			warnx("cannot read store '%s': %s", path, sqlite3_errmsg(db));
			store_close(s);
			return CCC_EX_IOERR;
		}
		if (version > NMIGRATIONS) {
			warnx("store '%s' has schema version %d, newer than this program's %d: "
			      "upgrade ccc",
			      path, version, NMIGRATIONS);
			store_close(s);
			return CCC_EX_CONFIG;
		}
		if (version < NMIGRATIONS) {
			warnx("store '%s' has schema version %d; open it once with a writer to "
			      "migrate it to %d",
			      path, version, NMIGRATIONS);
			store_close(s);
			return CCC_EX_CONFIG;
		}
	}
	*out = s;
	return 0;
}

int store_init_opts(const char *path, const char *site, const char *keypath, int standby,
		    const struct store_opts *o)
{
	struct stat st;
	sqlite3 *db = NULL;
	struct sign_key *key = NULL;
	char *defkey = NULL;
	int rc;

	if (stat(path, &st) == 0) {
		warnx("cannot create store '%s': it already exists", path);
		return CCC_EX_CANTCREAT;
	}
	if (!keypath)
		keypath = defkey = ccc_default_key(site);
	if (access(keypath, F_OK) == 0)
		rc = sign_load(keypath, &key);
	else
		rc = sign_generate(keypath, &key);
	if (rc)
		goto out;
	/* This site's key is its own trust anchor, outside the store (anchor.h). */
	uint8_t own[SIGN_PUBLEN];
	sign_public(key, own);
	if ((rc = anchor_put(site, own, 0, "init")))
		goto out;
	if (sign_make_parents(path) < 0) {
		rc = CCC_EX_CANTCREAT;
		goto out;
	}
	/* 0600 from the start; SQLite gives -wal and -shm the store's mode */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		warn("cannot create store '%s'", path);
		rc = CCC_EX_CANTCREAT;
		goto out;
	}
	close(fd);
	sqlite_setup();
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		warnx("cannot create store '%s': %s", path,
		      db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		rc = CCC_EX_CANTCREAT;
		goto out;
	}
	chmod(path, 0600);
	if ((rc = pragmas(db, path, o ? o->busy_timeout : STORE_BUSY_TIMEOUT_DEFAULT)) ||
	    (rc = store_migrate(db, path))) {
		rc = rc > 63 ? rc : ccc_exit_sqlite(rc);
		goto out;
	}
	struct store *s = store_new(db, path, STORE_WRITE, o);
	db = NULL;
	s->site = strdup(site);
	s->key = key;
	key = NULL;
	sign_public(s->key, s->pub);
	/* A standby's journal starts empty: it is filled by import. */
	sqlite3_stmt *ins = store_stmt(s, "INSERT INTO local(key, value) VALUES ('site', ?1)");
	sqlite3_stmt *role =
	    store_stmt(s, "INSERT INTO local(key, value) VALUES ('role', 'standby')");
	sqlite3_bind_text(ins, 1, site, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(ins)) != SQLITE_DONE ||
	    (standby && (rc = sqlite3_step(role)) != SQLITE_DONE)) {
		rc = store_error(s, rc, "recording the site");
		store_close(s);
		goto out;
	}
	if ((rc = sitelocal_seal(&s->local))) {
		store_close(s);
		goto out;
	}
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	int64_t seq;
	if (standby) {
		store_close(s);
		goto out;
	}
	if (!(rc = store_begin(s))) {
		sqlite3_stmt *a =
		    store_stmt(s, "INSERT INTO sites(name, pubkey, added_at) VALUES (?1, ?2, ?3)");
		sqlite3_bind_text(a, 1, site, -1, SQLITE_STATIC);
		sqlite3_bind_blob(a, 2, s->pub, SIGN_PUBLEN, SQLITE_STATIC);
		sqlite3_bind_text(a, 3, now, -1, SQLITE_STATIC);
		sqlite3_stmt *b = store_stmt(
		    s, "INSERT INTO epochs(epoch, primary_site, started_at) VALUES (1, ?1, ?2)");
		sqlite3_bind_text(b, 1, site, -1, SQLITE_STATIC);
		sqlite3_bind_text(b, 2, now, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(a)) != SQLITE_DONE ||
		    (rc = sqlite3_step(b)) != SQLITE_DONE) {
			rc = store_error(s, rc, "recording the site");
			store_rollback(s);
		} else {
			rc = store_commit(s, &seq);
		}
	}
	store_close(s);
out:
	if (rc && db == NULL && stat(path, &st) == 0 && st.st_size == 0)
		unlink(path);
	sqlite3_close(db);
	sign_free(key);
	free(defkey);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	checkpointer_detach(s);
	if (s->session)
		sqlite3session_delete(s->session);
	for (int i = 0; i < NSTMT; i++)
		sqlite3_finalize(s->stmts[i].stmt);
	sitelocal_close(&s->local);
	sqlite3_close(s->db);
	sign_free(s->key);
	free(s->site);
	free(s->path);
	free(s->actor);
	free(s->command);
	free(s->key_file);
	free(s->extra);
	free(s->first);
	free(s);
}

void store_on_commit(struct store *s, store_commit_hook *fn, void *ctx)
{
	s->on_commit = fn;
	s->on_commit_ctx = ctx;
}

const char *store_actor(struct store *s)
{
	return s->actor;
}

const char *store_key_file(struct store *s)
{
	return s->key_file;
}

int store_verbose(struct store *s)
{
	return s->verbose;
}

int store_quiet(struct store *s)
{
	return s->quiet;
}

int64_t store_head_seq(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT max(seq) FROM journal");
	int rc = sqlite3_step(st);
	int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_error(s, rc, "reading the journal");
		return -1;
	}
	return seq;
}

struct sitelocal *store_local(struct store *s)
{
	return &s->local;
}

sqlite3 *store_db(struct store *s)
{
	return s->db;
}

const char *store_path(struct store *s)
{
	return s->path;
}

const char *store_site(struct store *s)
{
	return s->site;
}

uint64_t store_tx(struct store *s)
{
	return s->tx;
}

const uint8_t *store_public_key(struct store *s)
{
	return s->key ? s->pub : NULL;
}

int store_sign(struct store *s, const void *msg, size_t n, uint8_t sig[SIGN_SIGLEN])
{
	if (!s->key)
		return -1;
	return sign_message(s->key, msg, n, sig);
}

int64_t store_id_floor(struct store *s, const char *table)
{
	char k[160];
	int in_tx = s->tx && !sqlite3_get_autocommit(s->db);
	if (in_tx && s->floor_tx == s->tx && !strcmp(s->floor_table, table))
		return s->floor; /* an allocator asks once a row: read once a transaction */
	snprintf(k, sizeof k, "id-floor:%s", table);
	char *v = sitelocal_get(&s->local, k);
	int64_t n = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	s->floor_tx = 0;
	if (in_tx && strlen(table) < sizeof s->floor_table) {
		strcpy(s->floor_table, table);
		s->floor_tx = s->tx;
		s->floor = n;
	}
	return n;
}

int store_raise_id_floor(struct store *s, const char *table, int64_t n)
{
	char k[160], v[24];
	if (n <= store_id_floor(s, table))
		return 0;
	snprintf(k, sizeof k, "id-floor:%s", table);
	snprintf(v, sizeof v, "%lld", (long long)n);
	s->floor_tx = 0;
	return sitelocal_put(&s->local, k, v);
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql)
{
	int i;
	for (i = 0; i < NSTMT && s->stmts[i].sql; i++) {
		if (s->stmts[i].sql == sql) {
			sqlite3_reset(s->stmts[i].stmt);
			sqlite3_clear_bindings(s->stmts[i].stmt);
			return s->stmts[i].stmt;
		}
	}
	if (i == NSTMT) {
		warnx("internal error: store '%s': statement cache full", s->path);
		s->stmt_rc = SQLITE_INTERNAL;
		return NULL;
	}
	int rc =
	    sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmts[i].stmt, NULL);
	if (rc != SQLITE_OK) {
		/* A damaged, locked or unreadable file is not a bug in the SQL. */
		if (ccc_exit_sqlite(rc) != CCC_EX_SOFTWARE)
			warnx("store '%s': %s", s->path, sqlite3_errmsg(s->db));
		else
			warnx("internal error: store '%s': %s: %s", s->path, sqlite3_errmsg(s->db),
			      sql);
		sqlite3_finalize(s->stmts[i].stmt);
		s->stmts[i].stmt = NULL;
		s->stmt_rc = rc;
		return NULL;
	}
	s->stmts[i].sql = sql;
	return s->stmts[i].stmt;
}

int store_stmt_failed(struct store *s)
{
	int rc = !s ? 0 : s->stmt_rc ? s->stmt_rc : s->local.stmt_rc;
	return rc ? ccc_exit_sqlite(rc) : 0;
}

/* Attach a session to the state tables, counting the size of its changeset
 * (store_tx_bytes); on failure roll back and return the exit code. */
static int session_start(struct store *s)
{
	int rc, on = 1;
	if ((rc = sqlite3session_create(s->db, "main", &s->session)) != SQLITE_OK ||
	    (sqlite3session_object_config(s->session, SQLITE_SESSION_OBJCONFIG_SIZE, &on),
	     sqlite3session_table_filter(s->session, session_filter, NULL),
	     rc = sqlite3session_attach(s->session, NULL)) != SQLITE_OK) {
		rc = store_error(s, rc, "starting a session");
		store_rollback(s);
		return rc;
	}
	return 0;
}

int64_t store_tx_bytes(struct store *s)
{
	return s->session ? (int64_t)sqlite3session_changeset_size(s->session) +
				(int64_t)s->extra_len + (int64_t)s->first_len
			  : 0;
}

void store_tx_record(struct store *s, int on)
{
	if (s->session)
		sqlite3session_enable(s->session, on);
}

static void add_changes(uint8_t **p, size_t *len, size_t *cap, const void *cs, size_t n)
{
	if (*len + n > *cap) {
		*cap = 2 * (*len + n);
		*p = xrealloc(*p, *cap);
	}
	memcpy(*p + *len, cs, n);
	*len += n;
}

void store_tx_add_changes(struct store *s, const void *cs, size_t n)
{
	add_changes(&s->extra, &s->extra_len, &s->extra_cap, cs, n);
}

void store_tx_add_first(struct store *s, const void *cs, size_t n)
{
	add_changes(&s->first, &s->first_len, &s->first_cap, cs, n);
}

/* The session's changeset (*cs, *n, from sqlite3_malloc) and the changes
 * written outside it, before it and after it, as one: merged as SQLite
 * merges the changes of one session. */
static int with_extra(struct store *s, int *n, void **cs)
{
	sqlite3_changegroup *g = NULL;
	int rc = sqlite3changegroup_new(&g);
	if (rc == SQLITE_OK && s->first_len)
		rc = sqlite3changegroup_add(g, (int)s->first_len, s->first);
	if (rc == SQLITE_OK && *n > 0)
		rc = sqlite3changegroup_add(g, *n, *cs);
	if (rc == SQLITE_OK && s->extra_len)
		rc = sqlite3changegroup_add(g, (int)s->extra_len, s->extra);
	/* the memory of a batch's changes is given back: a load's next batch
	 * may be far smaller */
	free(s->extra);
	free(s->first);
	s->extra = s->first = NULL;
	s->extra_len = s->extra_cap = s->first_len = s->first_cap = 0;
	sqlite3_free(*cs);
	*cs = NULL;
	*n = 0;
	if (rc == SQLITE_OK)
		rc = sqlite3changegroup_output(g, n, cs);
	sqlite3changegroup_delete(g);
	return rc;
}

int store_cache_limit(struct store *s, long kib)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size=-%ld", kib);
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_error(s, rc, "setting the cache size");
}

int store_index_own(struct store *s)
{
	int on = 1;
	if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &on) != SQLITE_OK || on)
		return store_error(s, SQLITE_ERROR, "turning the entity-index triggers off");
	s->index_own = 1;
	return 0;
}

/* Step st (bound, from store_stmt) to its end: 0 or an exit code. */
static int index_step(struct store *s, sqlite3_stmt *st, const char *what)
{
	if (!st)
		return store_error(s, s->stmt_rc, what);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, what);
}

int store_index_message(struct store *s, int64_t n, const char *rec, size_t len)
{
	if (!s->index_own || (rec && !entity_keys_possible(rec, len, 0)))
		return 0;
	sqlite3_stmt *st = store_stmt(s, MESSAGE_ROW_KEYS_SQL);
	if (st)
		sqlite3_bind_int64(st, 1, n);
	return index_step(s, st, "indexing a message's entities");
}

static const char *const SQL_KEYS_OUT =
    "DELETE FROM derived_entities WHERE item = (SELECT id FROM messages WHERE n = ?1)";

int store_index_message_changed(struct store *s, int64_t n, const char *rec, size_t len)
{
	if (!s->index_own)
		return 0;
	sqlite3_stmt *st = store_stmt(s, SQL_KEYS_OUT);
	if (st)
		sqlite3_bind_int64(st, 1, n);
	int rc = index_step(s, st, "indexing a message's entities");
	return rc ? rc : store_index_message(s, n, rec, len);
}

/* The triggers' bodies (entity-keys.h), their WHEN as a condition, the
 * consultation's query, number, time and hits bound as ?1 to ?4. */
static const char *const SQL_CHECK_DOC =
    CHECK_DOC_KEYS("?1", "?2", "?3") " AND ?1 ->> '$.action' IS NULL";
static const char *const SQL_CHECK_VIN =
    CHECK_VIN_KEYS("?1", "?2", "?3") " AND ?1 ->> '$.action' IS NULL";
static const char *const SQL_CHECK_PERSON =
    CHECK_PERSON_KEYS("?2", "?3", "?4") " AND ?1 ->> '$.action' IS NULL";

int store_index_consultation(struct store *s, int64_t c, const char *db, const char *query,
			     size_t qlen, const char *hits, size_t hlen, const char *item,
			     const char *ts)
{
	if (!s->index_own || item)
		return 0;
	const char *sql = !strcmp(db, "documents")  ? SQL_CHECK_DOC
			  : !strcmp(db, "vehicles") ? SQL_CHECK_VIN
			  : !strcmp(db, "persons")  ? SQL_CHECK_PERSON
						    : NULL;
	if (!sql)
		return 0;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (st) {
		sqlite3_bind_text(st, 1, query, (int)qlen, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, c);
		sqlite3_bind_text(st, 3, ts, -1, SQLITE_STATIC);
		if (sql == SQL_CHECK_PERSON)
			sqlite3_bind_text(st, 4, hits, (int)hlen, SQLITE_STATIC);
	}
	return index_step(s, st, "indexing a check's entities");
}

static const char *const SQL_CHECK_KEY =
    "INSERT OR IGNORE INTO derived_entities(key, item, at) VALUES (?1, 'check-' || ?2, ?3)";

int store_index_check_keys(struct store *s, int64_t c, const char *item, const char *ts,
			   const char *keys, size_t n)
{
	if (!s->index_own || item)
		return 0;
	for (size_t i = 0; i < n; i++, keys += strlen(keys) + 1) {
		sqlite3_stmt *st = store_stmt(s, SQL_CHECK_KEY);
		if (st) {
			sqlite3_bind_text(st, 1, keys, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, c);
			sqlite3_bind_text(st, 3, ts, -1, SQLITE_STATIC);
		}
		int rc = index_step(s, st, "indexing a check's entities");
		if (rc)
			return rc;
	}
	return 0;
}

/* The seal on the site settings, checked again only when another connection
 * has committed since it last verified (an Ed25519 verification is ~90 us;
 * this connection's own writes re-seal what they change). 0 or 75. */
static int settings_check(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "PRAGMA data_version");
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -2;
	sqlite3_reset(st);
	if (v >= 0 && v == s->sealed_version)
		return 0;
	int rc = sitelocal_check(&s->local);
	s->sealed_version = rc ? -1 : v;
	return rc;
}

void store_allow_audit(struct store *s, store_audit_fn *fn)
{
	s->audit_ok = fn;
}

/*
 * A site that is not the primary, for a program that allows it: the
 * transaction runs inside a savepoint with a session attached as usual, and
 * store_commit turns what it wrote into an entry of this site's audit chain
 * (audit.c) instead of a journal entry, undoing the rest.
 */
static int begin_audit(struct store *s)
{
	int rc;
	s->audit = 1;
	if (s->mode == STORE_WRITE && (rc = settings_check(s))) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->audit = 0;
		return rc;
	}
	if ((rc = sqlite3_exec(s->db, "SAVEPOINT audit_work", NULL, NULL, NULL)) != SQLITE_OK) {
		rc = store_error(s, rc, "starting a transaction");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->audit = 0;
		return rc;
	}
	return session_start(s);
}

/* A transaction's number, unique in the process (store_tx): a cache keyed
 * by it cannot take another store's transaction for its own. */
static uint64_t next_tx(void)
{
	static uint64_t n;
	return ++n;
}

int store_begin(struct store *s)
{
	int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "starting a transaction");
	s->tx = next_tx();
	s->audit = 0;
	s->extra_len = s->first_len = 0;
	sqlite3_stmt *st = store_stmt(s, SQL_EPOCH);
	rc = sqlite3_step(st);
	s->epoch = 0;
	if (rc == SQLITE_ROW) {
		s->epoch = sqlite3_column_int64(st, 0);
		const char *primary = (const char *)sqlite3_column_text(st, 1);
		if (primary && strcmp(primary, s->site) != 0 && s->audit_ok) {
			sqlite3_reset(st);
			return begin_audit(s);
		}
		if (primary && strcmp(primary, s->site) != 0) {
			warnx("fenced: site '%s' is not the primary of epoch %lld ('%s' is); "
			      "refusing to write to store '%s'",
			      s->site, (long long)s->epoch, primary, s->path);
			sqlite3_reset(st);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return CCC_EX_TEMPFAIL;
		}
	} else if (rc != SQLITE_DONE) {
		rc = store_error(s, rc, "reading the epoch");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	sqlite3_reset(st);
	if (s->epoch == 0) {
		if (sitelocal_is_standby(&s->local)) {
			warnx("fenced: store '%s' is a standby that has not imported its primary's "
			      "journal yet; refusing to write",
			      s->path);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return CCC_EX_TEMPFAIL;
		}
		s->epoch = 1; /* the first transaction of 'init' records epoch 1 */
	}
	if (s->mode == STORE_WRITE && s->audit_ok && seen_epoch_check_quiet(s))
		return begin_audit(s); /* a former primary that has seen a newer epoch */
	if (s->mode == STORE_WRITE &&
	    ((rc = settings_check(s)) || (rc = seen_epoch_check(s)) || (rc = lease_check(s)))) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	if ((rc = session_start(s)))
		return rc;
	return 0;
}

/* 1 when this site has seen a newer epoch than its own. */
static int seen_epoch_check_quiet(struct store *s)
{
	return sitelocal_seen_epoch(&s->local, NULL, 0) > s->epoch;
}

/* An import refused entries of a newer epoch (ship.c): fenced until rejoin. */
static int seen_epoch_check(struct store *s)
{
	char by[128] = "";
	long long seen = (long long)sitelocal_seen_epoch(&s->local, by, sizeof by);
	if (seen <= s->epoch)
		return 0;
	warnx("fenced: site '%s' has seen epoch %lld (from '%s'), newer than its own epoch %lld; "
	      "refusing to write to store '%s' (see 'ccc-failover rejoin')",
	      s->site, seen, by, (long long)s->epoch, s->path);
	return CCC_EX_TEMPFAIL;
}

/* This boot's id: CLOCK_MONOTONIC times mean nothing across a reboot. */
static void boot_id(char out[64])
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	out[0] = '\0';
	if (f) {
		if (!fgets(out, 64, f))
			out[0] = '\0';
		fclose(f);
	}
	out[strcspn(out, "\n")] = '\0';
}

int64_t store_monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Automatic failover: when the local table holds a lease (written by
 * 'ccc-failover watch'), a writer needs it to last at least the margin
 * beyond now on this boot's monotonic clock. 0 or 75 (fenced, warned).
 */
static long lease_margin_ms(void)
{
	const char *v = getenv("CCC_LEASE_MARGIN_MS");
	long ms;
	return v && ccc_parse_long(v, 0, 3600000, &ms) == 0 ? ms : 1000;
}

static int lease_check(struct store *s)
{
	int64_t deadline;
	char boot[64], now_boot[64];
	if (!sitelocal_lease(&s->local, &deadline, boot, sizeof boot))
		return 0; /* scripted failover: no lease to hold */
	boot_id(now_boot);
	int same_boot = boot[0] && !strcmp(boot, now_boot);
	int64_t margin = (int64_t)lease_margin_ms() * 1000000, now = store_monotonic_ns();
	if (deadline > 0 && same_boot && now + margin < deadline)
		return 0;
	const char *why = deadline <= 0     ? "its watcher does not hold the primary key"
			  : !same_boot      ? "it was recorded before this machine restarted"
			  : now >= deadline ? "it lapsed"
					    : "it lapses within the safety margin";
	warnx("fenced: site '%s' does not hold the primary lease (%s); refusing to write to "
	      "store '%s'",
	      s->site, why, s->path);
	return CCC_EX_TEMPFAIL;
}

int store_set_lease(struct store *s, int64_t deadline_ns)
{
	char boot[64];
	boot_id(boot);
	return sitelocal_set_lease(&s->local, deadline_ns, boot);
}

int store_promote(struct store *s, int64_t *epoch_out)
{
	return store_promote_epoch(s, 0, epoch_out);
}

int store_promote_epoch(struct store *s, int64_t want, int64_t *epoch_out)
{
	uint8_t pub[SIGN_PUBLEN];
	int64_t seq;
	char now[RFC3339_LEN];
	int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "starting a transaction");
	s->tx = next_tx();
	sqlite3_stmt *st = store_stmt(s, SQL_EPOCH);
	rc = sqlite3_step(st);
	int64_t epoch = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (epoch == 0) {
		warnx("store '%s' has no epoch yet: import its primary's journal first", s->path);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return CCC_EX_CONFIG;
	}
	/* The new primary's checkpoints must verify everywhere: its key must be known. */
	st = store_stmt(s, SQL_SITE_KEY);
	sqlite3_bind_text(st, 1, s->site, -1, SQLITE_STATIC);
	int known = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == SIGN_PUBLEN &&
		    !memcmp(sqlite3_column_blob(st, 0), s->pub, SIGN_PUBLEN);
	sqlite3_reset(st);
	if (!known) {
		warnx("site '%s' is not trusted in store '%s': on the primary, trust its key "
		      "('ccc-store keys | ssh PRIMARY ccc-store trust add') and ship again",
		      s->site, s->path);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return CCC_EX_CONFIG;
	}
	(void)pub;
	/* never reuse an epoch another site started, even one not applied here */
	if (sitelocal_seen_epoch(&s->local, NULL, 0) > epoch)
		epoch = sitelocal_seen_epoch(&s->local, NULL, 0);
	if (want && want <= epoch) {
		warnx("store '%s' has seen epoch %lld already: cannot start epoch %lld", s->path,
		      (long long)epoch, (long long)want);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return CCC_EX_TEMPFAIL;
	}
	s->epoch = want ? want : epoch + 1;
	if ((rc = session_start(s)))
		return rc;
	clock_format(clock_now(), now);
	st = store_stmt(s,
			"INSERT INTO epochs(epoch, primary_site, started_at) VALUES (?1, ?2, ?3)");
	sqlite3_bind_int64(st, 1, s->epoch);
	sqlite3_bind_text(st, 2, s->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "recording the epoch");
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, &seq)))
		return rc;
	*epoch_out = s->epoch;
	return 0;
}

void store_rollback(struct store *s)
{
	s->audit = 0;
	s->extra_len = s->first_len = 0;
	s->floor_tx = 0;
	if (s->session) {
		sqlite3session_delete(s->session);
		s->session = NULL;
	}
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* What a transaction at a site that is not the primary wrote becomes one
 * entry of its audit chain; the state tables are left as they were. */
static int commit_audit(struct store *s, void *cs, int n, int64_t *seq_out)
{
	int rc = 0;
	*seq_out = 0;
	if ((rc = sqlite3_exec(s->db, "ROLLBACK TO audit_work; RELEASE audit_work", NULL, NULL,
			       NULL)) != SQLITE_OK) {
		rc = store_error(s, rc, "undoing a check's writes");
		goto fail;
	}
	if (n > 0 && (rc = s->audit_ok(s, cs, n, seq_out)))
		goto fail;
	if ((rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
		rc = store_error(s, rc, "committing");
		goto fail;
	}
	s->audit = 0;
	sqlite3_free(cs);
	return 0;
fail:
	s->audit = 0;
	sqlite3_free(cs);
	store_rollback(s);
	return rc;
}

int store_commit(struct store *s, int64_t *seq_out)
{
	int n = 0, rc;
	void *cs = NULL;
	sqlite3_stmt *st;
	struct journal_entry e = {0};
	uint8_t hash[SHA256_LEN], sig[SIGN_SIGLEN], *msg = NULL;
	s->floor_tx = 0; /* a floor read is good inside one transaction only */
	char ts[RFC3339_LEN];

	*seq_out = 0;
	rc = sqlite3session_changeset(s->session, &n, &cs);
	sqlite3session_delete(s->session);
	s->session = NULL;
	if (rc == SQLITE_OK && (s->extra_len || s->first_len))
		rc = with_extra(s, &n, &cs);
	if (rc != SQLITE_OK) {
		rc = store_error(s, rc, "collecting the changeset");
		goto fail;
	}
	if (s->audit)
		return commit_audit(s, cs, n, seq_out);
	if (n == 0)
		goto commit;
	if ((rc = changeset_count_keys(s->db, cs, n)) != SQLITE_OK) {
		rc = store_error(s, rc, "counting the person keys");
		goto fail;
	}

	st = store_stmt(s, SQL_LAST_ENTRY);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		e.seq = sqlite3_column_int64(st, 0) + 1;
		if (sqlite3_column_bytes(st, 1) == SHA256_LEN)
			memcpy(e.prev_hash, sqlite3_column_blob(st, 1), SHA256_LEN);
	} else if (rc == SQLITE_DONE) {
		e.seq = 1;
	} else {
		rc = store_error(s, rc, "reading the journal");
		goto fail;
	}
	sqlite3_reset(st);
	clock_format_ms(clock_now_ms(), ts);
	e.epoch = s->epoch;
	e.origin = s->site;
	e.actor = s->actor ? s->actor : "unknown";
	e.command = s->command && s->command[0] ? s->command : "ccc";
	e.ts = ts;
	e.changeset = cs;
	e.changeset_len = (size_t)n;
	journal_hash(&e, hash);

	st = store_stmt(s, SQL_JOURNAL_INSERT);
	sqlite3_bind_int64(st, 1, e.seq);
	sqlite3_bind_int64(st, 2, e.epoch);
	sqlite3_bind_text(st, 3, e.origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e.actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e.command, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e.ts, -1, SQLITE_STATIC);
	if ((rc = sqlite3_bind_blob(st, 7, cs, n, SQLITE_STATIC)) != SQLITE_OK) {
		/* SQLITE_TOOBIG: more than SQLite takes in one value */
		char context[96];
		snprintf(context, sizeof context, "appending %d bytes of changes to the journal",
			 n);
		rc = store_error(s, rc, context);
		goto fail;
	}
	sqlite3_bind_blob(st, 8, e.prev_hash, SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 9, hash, SHA256_LEN, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "appending to the journal");
		goto fail;
	}

	size_t mlen = checkpoint_message(s->site, e.seq, hash, &msg);
	sign_message(s->key, msg, mlen, sig);
	st = store_stmt(s, SQL_CHECKPOINT_INSERT);
	sqlite3_bind_int64(st, 1, e.seq);
	sqlite3_bind_text(st, 2, s->site, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, hash, SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, sig, SIGN_SIGLEN, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "writing the checkpoint");
		goto fail;
	}
commit:
	if (s->mode == STORE_WRITE && (rc = lease_check(s)))
		goto fail;
	rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = store_error(s, rc, "committing");
		goto fail;
	}
	*seq_out = e.seq;
	if (e.seq)
		witness_record(&(struct witness_store){s->db, s->path, s->site}, 0);
	sqlite3_free(cs);
	free(msg);
	return s->on_commit ? s->on_commit(s, e.seq, s->on_commit_ctx) : 0;
fail:
	sqlite3_free(cs);
	free(msg);
	store_rollback(s);
	return rc;
}

void store_reject_id(const char *program, const char *file, long long line,
		     const uint8_t sha256[SHA256_LEN], char id[STORE_REJECT_ID_LEN])
{
	uint8_t idsum[SHA256_LEN];
	char lnbuf[24];
	struct digest_ctx *c = digest_new();
	snprintf(lnbuf, sizeof lnbuf, "%lld", line);
	digest_update(c, program, strlen(program) + 1);
	digest_update(c, file, strlen(file) + 1);
	digest_update(c, lnbuf, strlen(lnbuf) + 1);
	digest_update(c, sha256, SHA256_LEN);
	digest_final(c, idsum);
	memcpy(id, "rej-", 4);
	hex_encode(idsum, 12, id + 4);
}

int store_reject(struct store *s, const char *program, const char *file, unsigned long line,
		 const char *reason, const char *raw, size_t raw_len, size_t full_len,
		 const uint8_t sha256[SHA256_LEN], int *inserted)
{
	char hexsum[2 * SHA256_LEN + 1], id[STORE_REJECT_ID_LEN], now[RFC3339_LEN];
	hex_encode(sha256, SHA256_LEN, hexsum);
	store_reject_id(program, file, (long long)line, sha256, id);
	clock_format(clock_now(), now);

	sqlite3_stmt *st = store_stmt(s, SQL_REJECT_INSERT);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, program, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)line);
	sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, raw, (int)raw_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)full_len);
	sqlite3_bind_text(st, 8, hexsum, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "storing a reject");
	if (inserted)
		*inserted = sqlite3_changes(s->db) > 0;
	return 0;
}

int store_is_empty_standby(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT NOT EXISTS (SELECT 1 FROM journal)");
	int empty = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return empty && sitelocal_is_standby(&s->local);
}

int store_trust_anchor(struct store *s, const char *name, const char *key, int replace)
{
	uint8_t pub[SIGN_PUBLEN];
	(void)s;
	if (!ccc_site_name_ok(name)) {
		warnx(CCC_SITE_NAME_RULE, name);
		return CCC_EX_DATAERR;
	}
	if (sign_pub_parse(key, pub) < 0) {
		warnx("'%s' is not an Ed25519 public key (ed25519:BASE64 of 32 bytes)", key);
		return CCC_EX_DATAERR;
	}
	return anchor_put(name, pub, replace, "trust add");
}

int store_site_key(struct store *s, const char *name, uint8_t pub[32])
{
	sqlite3_stmt *st = store_stmt(s, SQL_SITE_KEY);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == SIGN_PUBLEN;
	if (found)
		memcpy(pub, sqlite3_column_blob(st, 0), SIGN_PUBLEN);
	sqlite3_reset(st);
	if (found)
		return 0;
	/* not in the store yet (a standby's first entries): its anchor outside */
	return anchor_get(name, pub) == 0 ? 0 : -1;
}

int store_log_action(struct store *s, const char *sql, const char *subject, const char *action,
		     const char *detail, const char *what)
{
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, sql);
	sqlite3_bind_text(st, 1, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, detail, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, what);
}
