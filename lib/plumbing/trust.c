/*
 * trust.c: a site's key, trusted in the store or as a standby's anchor.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "ccc/anchor.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/sign.h"
#include "ccc/sites.h"
#include "ccc/trust.h"

/* Trust one site: insert its key, or refuse a different key unless replace. */
static int trust_one(struct store *s, const char *name, const char *key, const char *where,
		     const struct trust_opts *o)
{
	struct rerun again;
	int rc = sites_trust(s, name, key, NULL, NULL, o->replace, where, &again);
	if (!rc && !o->quiet && again.done)
		warnx("%s", again.why);
	else if (!rc && !o->quiet)
		warnx("trusting site '%s' (%s)", name, key);
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

static int is_standby(struct store *s)
{
	return store_is_empty_standby(s) || never_primary(s);
}

/* The anchor a standby checks its primary's first entries, and verify its
 * keys, against: kept outside the store, as the journal must come from the
 * primary. */
static int trust_anchor(struct store *s, const char *name, const char *key,
			const struct trust_opts *o)
{
	uint8_t have[SIGN_PUBLEN], want[SIGN_PUBLEN];
	if (anchor_get(name, have) == 0 && sign_pub_parse(key, want) == 0 &&
	    !memcmp(have, want, sizeof have)) {
		if (!o->quiet) /* a rerun: nothing to change */
			warnx("standby: site '%s' is trusted already with this key", name);
		return 0;
	}
	int rc = store_trust_anchor(s, name, key, o->replace);
	if (!rc && !o->quiet)
		warnx("standby: trusting site '%s' (its key kept outside the store)", name);
	return rc;
}

/* Commit what the transaction holds unless rc is fatal (not 65). */
static int finish(struct store *s, int rc)
{
	int64_t seq;
	if (rc && rc != CCC_EX_DATAERR) {
		store_rollback(s);
		return rc;
	}
	int crc = store_commit(s, &seq);
	return crc ? crc : rc;
}

int trust_add(struct store *s, const char *name, const char *key, const struct trust_opts *o)
{
	if (is_standby(s))
		return trust_anchor(s, name, key, o);
	int rc = store_begin(s);
	if (rc)
		return rc;
	return finish(s, trust_one(s, name, key, "trust add", o));
}

int trust_add_records(struct store *s, int fd, size_t max_line, const struct trust_opts *o)
{
	struct ndjson_line ln;
	char where[300];
	int bad = 0, rc;
	if (is_standby(s)) {
		warnx("trust add: on a standby, give the primary's NAME and KEY");
		return CCC_EX_USAGE;
	}
	if ((rc = store_begin(s)))
		return rc;
	struct ndjson_reader *r = ndjson_open(fd, "stdin", max_line);
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
		} else if ((rc = trust_one(s, name, key, where, o)) == CCC_EX_DATAERR) {
			bad = 1;
			rc = 0;
		}
		jv_free(ln.value);
	}
	ndjson_close(r);
	rc = finish(s, rc);
	return rc ? rc : bad ? CCC_EX_DATAERR : 0;
}
