/*
 * ccc-store: plumbing for the signed store: init, keys, trust, verify, log,
 * rejects, stats, backup, attachment.
 */
#include <argp.h>
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/anchor.h"
#include "ccc/clock.h"
#include "ccc/changeset.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/refdb.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/sites.h"
#include "ccc/store.h"
#include "ccc/subcmd.h"
#include "ccc/utf8.h"
#include "ccc/verify.h"

static struct config {
	const char *command;
	char **args;
	int nargs;
	long long since;
	long limit;
	int replace, standby, restricted;
	const char *program;
} cfg = {.limit = -1};

const char *argp_program_version = "ccc-store " CCC_VERSION;
static const char doc[] =
    "Plumbing for the site's signed store.\v"
    "Commands:\n"
    "  init           create the store and this site's key (needs --site)\n"
    "  keys           print this site's public key as a `site` record\n"
    "  trust add      trust a site's key: NAME KEY, or `site` records on stdin\n"
    "                 (also kept outside the store: $XDG_CONFIG_HOME/ccc/trust/)\n"
    "  trust list     list the trusted sites as `site` records\n"
    "  verify         check the hash chain and every checkpoint signature,\n"
    "                 replay the journal against every state table, and check\n"
    "                 the schema, the keys against the trust anchors and the\n"
    "                 head against its witness ($XDG_STATE_HOME/ccc/witness/)\n"
    "  log            the journal as NDJSON (--since SEQ, --limit N); the keys\n"
    "                 of restricted reference records and the command lines of\n"
    "                 checks are left out unless --restricted (which is logged)\n"
    "  rejects        rejected input lines as NDJSON (--program, --limit)\n"
    "  stats          counts, sizes, epoch and journal head, as JSON\n"
    "  backup FILE    an online copy of the store (SQLite backup API)\n"
    "  attachment SHA256\n"
    "                 the whole of a value a message keeps apart (a long body,\n"
    "                 subject or field; see \"truncated\" in ccc-records(5))\n\n"
    "EXAMPLES\n"
    "  ccc-store init --site lyon --store /var/lib/ccc/lyon.db\n"
    "  ccc-store keys | ssh bue ccc-store trust add\n"
    "  ccc-store verify && echo intact\n"
    "  ccc-store log --since 1200 | jq -c 'select(.actor == \"duty\")'\n"
    "  ccc-store rejects --program ccc-intake | jq -r .reason | sort | uniq -c\n"
    "  ccc-store backup /backup/lyon-$(date +%F).db";
static const char args_doc[] = "COMMAND [ARG...]";
/* The exit statuses --help lists (lib/ccc/exit.h), with what they mean here. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_NEGATIVE, "attachment: no such attachment"},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_DATAERR, "verify found a problem, or bad input to trust"},
    {CCC_EX_NOINPUT, NULL},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_CANTCREAT, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, NULL},
    {CCC_EX_NOPERM, "the key file, its folder or the store is open to others"},
    {CCC_EX_CONFIG, NULL},
    CCC_EXIT_END,
};

enum { OPT_SINCE = 1, OPT_LIMIT, OPT_REPLACE, OPT_PROGRAM, OPT_STANDBY, OPT_RESTRICTED };

static const struct argp_option options[] = {
    {"since", OPT_SINCE, "SEQ", 0, "log: entries after SEQ (default 0)", 0},
    {"limit", OPT_LIMIT, "N", 0, "log, rejects: at most N records", 0},
    {"restricted", OPT_RESTRICTED, NULL, 0,
     "log: show restricted keys and check command lines too (the access is journaled)", 0},
    {"program", OPT_PROGRAM, "NAME", 0, "rejects: only those of this program", 0},
    {"replace", OPT_REPLACE, NULL, 0, "trust add: replace a site's key already trusted", 0},
    {"standby", OPT_STANDBY, NULL, 0, "init: a standby, whose journal comes from its primary", 0},
    {0},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	long v;
	switch (key) {
	case OPT_SINCE:
		if (ccc_parse_long(arg, 0, 0x7fffffffffffffffL, &v) < 0)
			argp_error(state, "--since: '%s' is not a journal seq", arg);
		cfg.since = v;
		break;
	case OPT_LIMIT:
		if (ccc_parse_long(arg, 0, 0x7fffffffffffffffL, &cfg.limit) < 0)
			argp_error(state, "--limit: '%s' is not a number", arg);
		break;
	case OPT_PROGRAM: cfg.program = arg; break;
	case OPT_REPLACE: cfg.replace = 1; break;
	case OPT_STANDBY: cfg.standby = 1; break;
	case OPT_RESTRICTED: cfg.restricted = 1; break;
	case ARGP_KEY_ARG:
		cfg.command = arg;
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "a command is needed: init, keys, trust, verify, log, rejects, "
				  "stats, backup or attachment");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/*
 * init of a store that exists: a rerun (exit 0, nothing changed) when it is
 * this site's, in the role asked for, signed with the key asked for (as git
 * init of a repository); another site, role or key stays an error (73).
 */
static int init_again(void)
{
	struct store *s;
	uint8_t have[SIGN_PUBLEN], want[SIGN_PUBLEN];
	struct sign_key *k = NULL;
	char *defkey = ccc_opts.key ? NULL : ccc_default_key(ccc_opts.site);
	const char *keypath = ccc_opts.key ? ccc_opts.key : defkey;
	const char *path = ccc_opts.store, *why = NULL;
	char site[128];
	/* opened for whichever site it is: another site is init's refusal (73) */
	const char *asked = ccc_opts.site;
	ccc_opts.site = NULL;
	int rc = store_open(path, STORE_READ, NULL, &s);
	ccc_opts.site = asked;
	if (rc) {
		free(defkey);
		return rc;
	}
	snprintf(site, sizeof site, "%s", store_site(s) ? store_site(s) : "?");
	int standby = sitelocal_is_standby(store_local(s));
	if (strcmp(site, ccc_opts.site) != 0)
		why = "site";
	else if (standby != cfg.standby)
		why = "role";
	else if (store_site_key(s, site, have) != 0 || access(keypath, F_OK) != 0 ||
		 sign_load(keypath, &k) != 0)
		why = "key";
	else {
		sign_public(k, want);
		sign_free(k);
		if (memcmp(have, want, sizeof have) != 0)
			why = "key";
	}
	store_close(s);
	if (why) {
		warnx("cannot create store '%s': it already exists, for %s site '%s'%s%s%s", path,
		      standby ? "standby" : "primary", site,
		      !strcmp(why, "key") ? ", with a key other than '" : "",
		      !strcmp(why, "key") ? keypath : "", !strcmp(why, "key") ? "'" : "");
		free(defkey);
		return CCC_EX_CANTCREAT;
	}
	if (!ccc_opts.quiet)
		warnx("store '%s' exists already for %s site '%s' (key '%s')", path,
		      standby ? "standby" : "primary", site, keypath);
	free(defkey);
	return 0;
}

static int cmd_init(void)
{
	if (!ccc_opts.site)
		errx(CCC_EX_USAGE, "init: give the site's name with --site (or CCC_SITE)");
	if (!ccc_site_name_ok(ccc_opts.site))
		errx(CCC_EX_USAGE, "init: " CCC_SITE_NAME_RULE, ccc_opts.site);
	struct stat sb;
	if (stat(ccc_opts.store, &sb) == 0)
		return init_again();
	int rc = store_init(ccc_opts.store, ccc_opts.site, ccc_opts.key, cfg.standby);
	if (!rc && !ccc_opts.quiet) {
		char *key = ccc_opts.key ? NULL : ccc_default_key(ccc_opts.site);
		fprintf(stderr, "ccc-store: created store '%s' for site '%s' (key '%s')\n",
			ccc_opts.store, ccc_opts.site, ccc_opts.key ? ccc_opts.key : key);
		free(key);
	}
	return rc;
}

static int print_sites(struct store *s, const char *only)
{
	jv list;
	int rc = sites_list(s, only, &list);
	if (rc)
		return rc;
	int found = jv_array_length(jv_copy(list));
	jv_array_foreach (list, i, r) {
		out_jv(r);
	}
	jv_free(list);
	if (only && !found) {
		warnx("store '%s': site '%s' has no key in the store", store_path(s), only);
		return CCC_EX_CONFIG;
	}
	return 0;
}

/* Trust one site: insert its key, or refuse a different key unless --replace. */
static int trust_one(struct store *s, const char *name, const char *key, const char *where)
{
	struct rerun again;
	int rc = sites_trust(s, name, key, NULL, NULL, cfg.replace, where, &again);
	if (!rc && !ccc_opts.quiet && again.done)
		warnx("%s", again.why);
	else if (!rc && !ccc_opts.quiet)
		fprintf(stderr, "ccc-store: trusting site '%s' (%s)\n", name, key);
	return rc;
}

/* 1 when this site has never been the primary of an epoch: a standby, whose
 * sites come from its primary's journal (a fenced former primary is not). */
static int never_primary(struct store *s)
{
	sqlite3_stmt *st;
	int yes = 0;
	if (sqlite3_prepare_v2(store_db(s),
			       "SELECT EXISTS (SELECT 1 FROM epochs) AND NOT EXISTS"
			       " (SELECT 1 FROM epochs WHERE primary_site = ?1)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, store_site(s), -1, SQLITE_STATIC);
		yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return yes;
}

static int cmd_trust(void)
{
	struct store *s;
	int rc;
	if (cfg.nargs < 1 || (strcmp(cfg.args[0], "add") && strcmp(cfg.args[0], "list")))
		errx(CCC_EX_USAGE, "trust: use 'trust add [NAME KEY]' or 'trust list'");
	if (!strcmp(cfg.args[0], "list")) {
		if ((rc = store_open(ccc_opts.store, STORE_READ, NULL, &s)))
			return rc;
		rc = print_sites(s, NULL);
		store_close(s);
		return rc;
	}
	if (cfg.nargs != 1 && cfg.nargs != 3)
		errx(CCC_EX_USAGE, "trust add: give NAME and KEY, or `site` records on stdin");
	if ((rc = store_open(ccc_opts.store, STORE_WRITE, ccc_opts.key, &s)))
		return rc;
	if (store_is_empty_standby(s) || never_primary(s)) {
		/* The anchor a standby checks its primary's first entries, and
		 * verify its keys, against: kept outside the store, as the journal
		 * must come from the primary. */
		if (cfg.nargs != 3) {
			store_close(s);
			errx(CCC_EX_USAGE,
			     "trust add: on a standby, give the primary's NAME and KEY");
		}
		uint8_t have[SIGN_PUBLEN], want[SIGN_PUBLEN];
		if (anchor_get(cfg.args[1], have) == 0 && sign_pub_parse(cfg.args[2], want) == 0 &&
		    !memcmp(have, want, sizeof have)) {
			if (!ccc_opts.quiet) /* a rerun: nothing to change */
				warnx("standby: site '%s' is trusted already with this key",
				      cfg.args[1]);
			store_close(s);
			return 0;
		}
		rc = store_trust_anchor(s, cfg.args[1], cfg.args[2], cfg.replace);
		if (!rc && !ccc_opts.quiet)
			fprintf(stderr,
				"ccc-store: standby: trusting site '%s' (its key kept outside the "
				"store)\n",
				cfg.args[1]);
		store_close(s);
		return rc;
	}
	if ((rc = store_begin(s))) {
		store_close(s);
		return rc;
	}
	int bad = 0;
	if (cfg.nargs == 3) {
		rc = trust_one(s, cfg.args[1], cfg.args[2], "trust add");
	} else {
		struct ndjson_reader *r = ndjson_open(STDIN_FILENO, "stdin", ccc_opts.max_line);
		struct ndjson_line ln;
		char where[300];
		while (!rc && ndjson_next(r, &ln, -1) == NDJSON_LINE) {
			snprintf(where, sizeof where, "%s:%lu", ln.file, ln.lineno);
			const char *type = jv_get_str(ln.value, "type");
			const char *name = jv_get_str(ln.value, "name");
			const char *key = jv_get_str(ln.value, "key");
			if (!jv_is_valid(ln.value)) {
				warnx("%s: %s", where, ln.reason);
				bad = 1;
			} else if (!type || strcmp(type, "site") || !name || !key) {
				warnx("%s: not a `site` record with name and key", where);
				bad = 1;
			} else {
				rc = trust_one(s, name, key, where);
				if (rc == CCC_EX_DATAERR) {
					bad = 1;
					rc = 0;
				}
			}
			jv_free(ln.value);
		}
		ndjson_close(r);
	}
	int64_t seq;
	if (rc && rc != CCC_EX_DATAERR) {
		store_rollback(s);
	} else {
		int crc = store_commit(s, &seq);
		rc = crc ? crc : rc;
	}
	store_close(s);
	return rc ? rc : bad ? CCC_EX_DATAERR : 0;
}

static int cmd_verify(void)
{
	struct store *s;
	jv report;
	int rc = store_open(ccc_opts.store, STORE_READ, NULL, &s);
	if (rc)
		return rc;
	rc = store_verify(s, &report);
	if (rc == 0 || rc == CCC_EX_DATAERR) {
		report = jv_object_set(report, jv_string("store"), jv_string(store_path(s)));
		report = jv_object_set(report, jv_string("site"), jv_string(store_site(s)));
		out_jv(report);
	}
	store_close(s);
	return rc;
}

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
static int log_access(struct store *s)
{
	int64_t seq;
	struct refdb_ctx c = {.store = s};
	int rc = store_begin(s);
	if (rc)
		return rc;
	jv q = JV_OBJECT(jv_string("since"), jv_number((double)cfg.since), jv_string("limit"),
			 jv_number((double)cfg.limit), jv_string("restricted"), jv_true());
	if ((rc = refdb_audit_access(&c, "journal", q))) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, &seq);
}

static int cmd_log(void)
{
	struct store *s;
	sqlite3_stmt *st;
	char hex[2 * SHA256_LEN + 1];
	int rc = store_open(ccc_opts.store, cfg.restricted ? STORE_WRITE : STORE_READ,
			    cfg.restricted ? ccc_opts.key : NULL, &s);
	if (rc)
		return rc;
	if (cfg.restricted && (rc = log_access(s))) {
		warnx("log: --restricted: the access cannot be journaled, so nothing is shown");
		store_close(s);
		return rc;
	}
	if (sqlite3_prepare_v2(store_db(s),
			       "SELECT seq, epoch, origin, actor, command, ts, changeset, hash"
			       " FROM journal WHERE seq > ?1 ORDER BY seq LIMIT ?2",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = store_error(s, SQLITE_ERROR, "reading the journal");
		store_close(s);
		return rc;
	}
	sqlite3_bind_int64(st, 1, cfg.since);
	sqlite3_bind_int64(st, 2, cfg.limit);
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
		if (cfg.restricted)
			e = jv_object_set(e, jv_string("changes"), changes);
		else
			e = redacted(s, e, changes);
		out_jv(e);
	}
	sqlite3_finalize(st);
	rc = rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the journal");
	store_close(s);
	return rc;
}

static int cmd_rejects(void)
{
	struct store *s;
	sqlite3_stmt *st;
	int rc = store_open(ccc_opts.store, STORE_READ, NULL, &s);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(
		store_db(s),
		"SELECT id, program, file, line, reason, raw, raw_size, raw_sha256, ts"
		" FROM rejects WHERE ?1 IS NULL OR program = ?1"
		" ORDER BY ts, program, file, line LIMIT ?2",
		-1, &st, NULL) != SQLITE_OK) {
		rc = store_error(s, SQLITE_ERROR, "reading rejects");
		store_close(s);
		return rc;
	}
	sqlite3_bind_text(st, 1, cfg.program, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cfg.limit);
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
			char *b = malloc(base64_len((size_t)n) + 1);
			if (!b)
				abort();
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
		out_jv(r);
	}
	sqlite3_finalize(st);
	rc = rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading rejects");
	store_close(s);
	return rc;
}

/* The whole of a value a message keeps apart, as stored: to stdout. */
static int cmd_attachment(void)
{
	struct store *s;
	sqlite3_stmt *st;
	const char *sum = cfg.args[0];
	if (cfg.nargs != 1 || strlen(sum) != 64 || strspn(sum, "0123456789abcdef") != 64)
		errx(CCC_EX_USAGE, "attachment: give one SHA-256 in lowercase hex (64 digits)");
	int rc = store_open(ccc_opts.store, STORE_READ, NULL, &s);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(store_db(s), "SELECT data FROM attachments WHERE sha256 = ?1", -1,
			       &st, NULL) != SQLITE_OK) {
		rc = store_error(s, SQLITE_ERROR, "reading attachments");
		store_close(s);
		return rc;
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
	store_close(s);
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

static int cmd_stats(void)
{
	struct store *s;
	struct stat sb;
	sqlite3_stmt *st;
	int rc = store_open(ccc_opts.store, STORE_READ, NULL, &s);
	if (rc)
		return rc;
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
	out_jv(r);
	store_close(s);
	return 0;
}

static int cmd_backup(void)
{
	struct store *s;
	sqlite3 *dst = NULL;
	struct stat sb;
	if (cfg.nargs != 1 || !*cfg.args[0])
		errx(CCC_EX_USAGE, "backup: give the FILE to write");
	const char *path = cfg.args[0];
	if (stat(path, &sb) == 0)
		errx(CCC_EX_CANTCREAT, "backup: '%s' already exists", path);
	int rc = store_open(ccc_opts.store, STORE_READ, NULL, &s);
	if (rc)
		return rc;
	/* 0600 from the start, as the store */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		warn("backup: cannot create '%s'", path);
		store_close(s);
		return CCC_EX_CANTCREAT;
	}
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		warnx("backup: cannot create '%s': %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		unlink(path);
		store_close(s);
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
		store_close(s);
		return CCC_EX_IOERR;
	}
	sqlite3_close(dst);
	chmod(path, 0600);
	if (!ccc_opts.quiet)
		fprintf(stderr, "ccc-store: backed up '%s' to '%s'\n", store_path(s), path);
	store_close(s);
	return 0;
}

static int cmd_keys(void)
{
	struct store *s;
	int rc = store_open(ccc_opts.store, STORE_READ, NULL, &s);
	if (rc)
		return rc;
	uint8_t pub[SIGN_PUBLEN];
	jv list;
	int known = 0;
	if (!sites_list(s, store_site(s), &list)) {
		known = jv_array_length(jv_copy(list)) > 0;
		jv_free(list);
	}
	if (known) {
		rc = print_sites(s, store_site(s));
	} else {
		/* A standby before its first import: the key file tells. */
		struct sign_key *k = NULL;
		char *path = ccc_opts.key ? NULL : ccc_default_key(store_site(s));
		rc = sign_load(ccc_opts.key ? ccc_opts.key : path, &k);
		free(path);
		if (!rc) {
			sign_public(k, pub);
			out_jv(sites_record(store_site(s), pub, NULL));
			sign_free(k);
		}
	}
	store_close(s);
	return rc;
}

/* The commands open the store themselves, each in its own way (init creates
 * it, keys reads the key file on a standby): the table opens none. */
#define RUN(f)                                                                                     \
	static int run_##f(struct store *s, const char *name)                                      \
	{                                                                                          \
		(void)s;                                                                           \
		(void)name;                                                                        \
		return cmd_##f();                                                                  \
	}
RUN(init)
RUN(keys)
RUN(trust)
RUN(verify)
RUN(log)
RUN(rejects)
RUN(stats)
RUN(backup)
RUN(attachment)

static const struct subcmd cmds[] = {
    {"init", SUBCMD_NONE, 0, 0, NULL, 0, run_init, "create the store and this site's key"},
    {"keys", SUBCMD_NONE, 0, 0, NULL, 0, run_keys, "this site's public key"},
    {"trust add", SUBCMD_NONE, 0, 2, "NAME KEY", 1, run_trust, "trust a site's key"},
    {"trust list", SUBCMD_NONE, 0, 0, NULL, 0, run_trust, "the trusted sites"},
    {"verify", SUBCMD_NONE, 0, 0, NULL, 0, run_verify, "check the chain and signatures"},
    {"log", SUBCMD_NONE, 0, 0, NULL, 0, run_log, "the journal"},
    {"rejects", SUBCMD_NONE, 0, 0, NULL, 0, run_rejects, "rejected input lines"},
    {"stats", SUBCMD_NONE, 0, 0, NULL, 0, run_stats, "counts, sizes, epoch, head"},
    {"backup", SUBCMD_NONE, 1, 1, "FILE", 0, run_backup, "an online copy of the store"},
    {"attachment", SUBCMD_NONE, 1, 1, "SHA256", 0, run_attachment, "a value kept apart"},
};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, doc, children, ccc_exit_help_filter, NULL};
	const struct subcmd *c = NULL;
	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	signal(SIGPIPE, SIG_IGN);
	/* The command's words are cfg.command and cfg.args; the commands read the
	 * second word of a two-word name ("trust add") from cfg.args[0]. */
	int nwords = cfg.nargs + 1;
	char **words = cfg.args - 1;
	int rc = subcmd_parse(cmds, sizeof cmds / sizeof cmds[0], &nwords, &words, &c);
	if (!rc)
		rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	return out_close(rc);
}
