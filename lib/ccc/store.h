/*
 * store.h: the site's signed SQLite store (DESIGN.md section 6).
 *
 * Every write goes through store_begin / store_commit: the transaction runs
 * with an SQLite session attached to the state tables, and on commit one
 * journal row (the changeset, hash-chained) and one signed checkpoint are
 * appended in the same transaction. Functions that fail print the reason
 * (prog: context: reason) and return an exit code from exit.h; 0 is success.
 */
#ifndef CCC_STORE_H
#define CCC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "ccc/digest.h"

enum store_mode {
	STORE_READ = 0,   /* read only */
	STORE_WRITE = 1,  /* writer: loads the site key, checks fencing at begin */
	STORE_IMPORT = 2, /* writes what another site signed; loads the site key when its
			     file exists, to check and seal the site settings and sign
			     acknowledgements */
};

struct store;

/* What the caller tells a store when it opens it: the store reads no
 * program options of its own. A NULL struct store_opts means the defaults. */
#define STORE_BUSY_TIMEOUT_DEFAULT 30000L
struct store_opts {
	long busy_timeout;   /* ms to wait for another writer's lock */
	const char *site;    /* the site the store must belong to; NULL: any */
	const char *actor;   /* who acts: journal entries and action logs */
	const char *command; /* the command line, for the journal; NULL or "": "ccc" */
	const char *key;     /* the key file the caller names (verify checks it even
				when the store is opened without it); NULL: the default */
	int verbose;         /* say more on stderr (-v), for the layers above */
	int quiet;           /* say nothing but errors on stderr (-q) */
};

/* Create a new store at path for site, with its key at keypath (created if
 * missing, else loaded and checked). The first journal entry records the site
 * and epoch 1 with this site as primary; a standby's journal starts empty, to
 * be filled by importing the primary's. Returns 0 or an exit code. */
int store_init_opts(const char *path, const char *site, const char *keypath, int standby,
		    const struct store_opts *o);
/* Open an existing store. keypath NULL: the default path for the store's site. */
int store_open_opts(const char *path, enum store_mode mode, const char *keypath,
		    const struct store_opts *o, struct store **out);
void store_close(struct store *s);

/*
 * The programs' way in (lib/glue/store-open.c, above this layer: it is not part
 * of the store): the same with the options from the command line (opts.h),
 * and, for a writer, the post-commit steps of the layers above (failover's
 * wait for acknowledging standbys, ship_wait_acks_install). Every program
 * opens and creates its store through these two.
 */
int store_init(const char *path, const char *site, const char *keypath, int standby);
int store_open(const char *path, enum store_mode mode, const char *keypath, struct store **out);
/* A writer (STORE_WRITE) at a standby is sent to the primary by store_open
 * (forward.h); store_open_here opens a writer that stays, for a command that
 * does its own part at every site (ccc-duty page). */
int store_open_here(const char *path, const char *keypath, struct store **out);

/* A step run by store_commit once the transaction is durable: seq is the new
 * entry's (0 when nothing changed); its result is store_commit's (0 or an exit
 * code). One per store; fn NULL removes it. The store does not know what it
 * does: the layer that installs it does. */
typedef int store_commit_hook(struct store *s, int64_t seq, void *ctx);
void store_on_commit(struct store *s, store_commit_hook *fn, void *ctx);

/* What struct store_opts said: who acts (NULL when none was given), the key
 * file named (NULL: the default), -v and -q. */
const char *store_actor(struct store *s);
const char *store_key_file(struct store *s);
int store_verbose(struct store *s);
int store_quiet(struct store *s);
/* The seq of the last journal entry (0 for none); -1 on error (warned). */
int64_t store_head_seq(struct store *s);

sqlite3 *store_db(struct store *s);
/* The site settings of this store's connection (sitelocal.h). */
struct sitelocal;
struct sitelocal *store_local(struct store *s);
const char *store_path(struct store *s);
const char *store_site(struct store *s);
/* A number that changes with every store_begin, never the same twice in a
 * process, whatever the store: a cache valid for one transaction (such as
 * the next message number) compares it. */
uint64_t store_tx(struct store *s);
/* The public key of this site (writers, and importers that have the key
 * file; NULL otherwise). */
const uint8_t *store_public_key(struct store *s);
/* Sign n bytes with this site's key: 0, or -1 when the store was opened
 * without it. */
int store_sign(struct store *s, const void *msg, size_t n, uint8_t sig[64]);

/* Ids are never handed out twice: a rejoin that rewinds rows this site
 * allocated raises table's floor to the highest it had (kept in the local
 * table); allocators number above max(column, floor). In SQL on a store's
 * connection, ccc_id_floor('TABLE') gives the same. */
int64_t store_id_floor(struct store *s, const char *table);
int store_raise_id_floor(struct store *s, const char *table, int64_t n);

/*
 * A cached prepared statement for a static SQL string (pointer identity),
 * reset and with bindings cleared. On a prepare error (a damaged or locked
 * file, or a bug in the SQL) it says why on stderr and returns NULL: binding
 * to NULL does nothing and stepping it gives SQLITE_MISUSE, which
 * store_error, where the statement is stepped, turns into the exit status of
 * the prepare error. store_stmt_failed gives that status (0: none failed);
 * subcmd_run returns it when a command would otherwise succeed.
 */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);
int store_stmt_failed(struct store *s);

/* BEGIN IMMEDIATE with a session attached; refuses with 75 if the site is fenced. */
int store_begin(struct store *s);
/* A program that only checks (ccc-check) allows its transactions, at a site
 * that is not the primary, to go to this site's own audit chain: with fn
 * (audit.h: audit_write) store_begin succeeds there, and store_commit undoes
 * the transaction's writes and gives its changeset to fn, which appends what
 * it inserted into the consultation log (or rejects) as one signed audit
 * entry, in the same transaction; any other write makes fn refuse with 75.
 * NULL: fenced as every writer. */
typedef int store_audit_fn(struct store *s, const void *cs, int n, int64_t *seq_out);
void store_allow_audit(struct store *s, store_audit_fn *fn);
/* Make this site the primary of a new epoch (the newest + 1): a signed,
 * journaled epochs row, written even though the store was fenced. The site's
 * key must be in the sites table. Returns 0 or an exit code. */
int store_promote(struct store *s, int64_t *epoch);
/* The same with a chosen epoch (automatic failover: the etcd primary key's
 * create revision), which must be above every epoch the store has seen; 0
 * means the newest + 1. 75 when the store has seen that epoch already. */
int store_promote_epoch(struct store *s, int64_t epoch, int64_t *epoch_out);

/*
 * Automatic failover: record that this site holds the primary lease until
 * deadline_ns on this boot's CLOCK_MONOTONIC (store_monotonic_ns). Once a
 * lease is recorded, writers (STORE_WRITE) refuse with 75 ("fenced: ...")
 * at begin and at commit unless the lease lasts beyond now plus the margin
 * (CCC_LEASE_MARGIN_MS, default 1000). deadline_ns 0: the lease is not held
 * (writers refuse); below 0: forget the lease (scripted failover again).
 * Kept in the local table, never journaled; outside a transaction or in one.
 * Returns 0 or an exit code.
 */
int store_set_lease(struct store *s, int64_t deadline_ns);
int64_t store_monotonic_ns(void);

/* The size in bytes of the changeset the transaction in hand would journal
 * so far (0 outside one). A stream commits its batch once this passes
 * STORE_ENTRY_BYTES, so that a journal entry holds at most that and one
 * record (a document is at most 64 MiB) and ships as one line of at most
 * STORE_ENTRY_LINE bytes (base64 and JSON around it). */
int64_t store_tx_bytes(struct store *s);

/* For tests: the checkpoints a writer's own thread has made (store.c,
 * checkpointer), or -1 for a store opened without one. */
long store_background_checkpoints(struct store *s);
/*
 * Rows written outside the session, journaled still: while
 * store_tx_record(s, 0) holds (until store_tx_record(s, 1), or the end of
 * the transaction) the session records nothing, and the caller hands what
 * it wrote, as a changeset of SQLite's format, to store_tx_add_changes. The
 * commit journals the session's changes and these, after them, as one
 * changeset, merged as SQLite merges the changes of one session
 * (sqlite3changegroup). Only for rows no later statement of the
 * transaction changes: a bulk insert just before the commit, whose changes
 * the caller writes far more cheaply than the session (which reads each
 * inserted row back at the commit).
 */
void store_tx_record(struct store *s, int on);
void store_tx_add_changes(struct store *s, const void *cs, size_t n);
/* The same for rows no earlier statement of the transaction wrote through
 * the session: their changes are journaled before the session's, so that
 * a row inserted here and changed later by a statement the session records
 * (a queue item a group then raises) merges as inserted with its last
 * values. */
void store_tx_add_first(struct store *s, const void *cs, size_t n);
/* Bound the connection's page cache to kib KiB (a store opens with 64 MiB,
 * for lookups over large tables): a program that appends a stream and reads
 * little back keeps its resident memory flat and small. 0 or an exit code. */
int store_cache_limit(struct store *s, long kib);
/*
 * A program whose writes to messages and consultations are all below
 * (ccc-intake, ccc-check's filter) writes their entity index itself:
 * store_index_own turns the connection's triggers off (the index's are the
 * only triggers of a store), and store_index_message then
 * writes what the trigger message_entities_in would have for the messages
 * row n it inserted, record rec (len bytes, JSON the program wrote), with
 * the trigger's own SQL, and only when the record may name a key (rec NULL:
 * the caller knows it may). Without store_index_own it does nothing. 0 or
 * an exit code.
 */
int store_index_own(struct store *s);
int store_index_message(struct store *s, int64_t n, const char *rec, size_t len);
/* The same for a messages row n whose record the program changed to rec
 * (message_entities_re: its keys taken out, then those of rec), and for
 * the consultation c it logged (check_entities_doc, _vin and _person: a
 * check of its own, item NULL, names what it looked up; ts its time). */
int store_index_message_changed(struct store *s, int64_t n, const char *rec, size_t len);
int store_index_consultation(struct store *s, int64_t c, const char *db, const char *query,
			     size_t qlen, const char *hits, size_t hlen, const char *item,
			     const char *ts);
/* The same from the keys the caller made them from (n, one after another,
 * each ended by a NUL), as CHECK_*_KEYS would read them from the query and
 * hits it logged: SQLite does not parse the JSON again. */
int store_index_check_keys(struct store *s, int64_t c, const char *item, const char *ts,
			   const char *keys, size_t n);
#define STORE_ENTRY_BYTES ((int64_t)16 << 20)
#define STORE_ENTRY_LINE  ((size_t)192 << 20)

/* Append the journal entry and checkpoint, COMMIT. *seq gets the new entry's
 * seq, or 0 when the transaction changed nothing (then nothing is journaled). */
int store_commit(struct store *s, int64_t *seq);
void store_rollback(struct store *s);
/* Map an SQLite error from a statement in a transaction to an exit code,
 * printing "context: reason". */
int store_error(struct store *s, int rc, const char *context);

/* A reject's id: "rej-" and 24 hex digits of the SHA-256 of program,
 * file, line and the line's SHA-256 (so the same line rejected again is the
 * same reject, wherever it is stored). */
#define STORE_REJECT_ID_LEN 32
void store_reject_id(const char *program, const char *file, long long line,
		     const uint8_t sha256[SHA256_LEN], char id[STORE_REJECT_ID_LEN]);
/* Store a rejected input line (inside a transaction). raw is the bytes kept
 * (at most --max-line), full_len and sha256 describe the whole line. Returns
 * 0 or an exit code; *inserted is 0 when the same reject was already stored. */
int store_reject(struct store *s, const char *program, const char *file, unsigned long line,
		 const char *reason, const char *raw, size_t raw_len, size_t full_len,
		 const uint8_t sha256[SHA256_LEN], int *inserted);

/* Append who did what to one of the action logs (deployment_log,
 * notice_log ...): sql inserts (subject, ts, actor, action, detail) as
 * ?1..?5; the time is now and the actor --as. Inside a transaction.
 * Returns 0 or an exit code (what names the log in the message). */
int store_log_action(struct store *s, const char *sql, const char *subject, const char *action,
		     const char *detail, const char *what);

/* 1 for a standby store that has not imported any journal entry yet. */
int store_is_empty_standby(struct store *s);
/* Record a trust anchor (site name, "ed25519:BASE64" key) outside the store
 * (anchor.h): what a standby checks its primary's first entries against,
 * and verify every store. 0 or an exit code. */
int store_trust_anchor(struct store *s, const char *name, const char *key, int replace);
/* The public key of site name: from the sites table, else its trust anchor
 * outside the store. 0 when found, -1 when not. */
int store_site_key(struct store *s, const char *name, uint8_t pub[32]);

/* 1 if table is a state table (journaled, replicated, compared by verify):
 * every table but journal, checkpoints, local, sqlite_* and FTS shadows. */
int store_is_state_table(const char *table);
/* 1 if table is a state table that the migrations create: the only tables
 * a journal entry may change (an entry changing any other is refused by
 * import and reported by verify). The list is read once, from a scratch
 * database: store_load_replicated_tables reads it and returns 0, or 70
 * (warned); call it first where an error can be returned. Should it fail,
 * store_is_replicated_table says 0 for every table (every change refused). */
int store_load_replicated_tables(void);
int store_is_replicated_table(const char *table);
/* Run every migration on a database (used for the replay in verify). */
int store_migrate(sqlite3 *db, const char *path);

#endif
