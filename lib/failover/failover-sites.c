/*
 * failover-sites.c: site add, remove and list with their site-local
 * settings, and the heartbeat.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/audit.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/failover-sites.h"
#include "ccc/field-ship.h"
#include "ccc/json.h"
#include "ccc/sign.h"
#include "ccc/sitelocal.h"
#include "ccc/sites.h"

/* 1 when how site name is reached is already as a asks. */
static int reached_as_asked(struct store *s, const struct site_add *a)
{
	char *via = sitelocal_via(store_local(s), a->name),
	     *ack = sitelocal_ack_via(store_local(s), a->name);
	int same = !((a->via && (!via || strcmp(via, a->via) != 0)) ||
		     (a->ack == SITE_ACK_WAIT && (!ack || strcmp(ack, a->via) != 0)) ||
		     (a->ack == SITE_ACK_STOP && ack));
	free(via);
	free(ack);
	return same;
}

/* 1 when this site is not the primary: another site's epoch is the newest,
 * or it is a standby that has imported nothing yet. */
static int not_primary(struct store *s)
{
	sqlite3_stmt *st =
	    store_stmt(s, "SELECT primary_site FROM epochs ORDER BY epoch DESC LIMIT 1");
	int r = st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)
		    ? strcmp((const char *)sqlite3_column_text(st, 0), store_site(s)) != 0
		    : sitelocal_is_standby(store_local(s));
	sqlite3_reset(st);
	return r;
}

/*
 * site add at a site that is not the primary: the sites table is the
 * primary's (journaled), so only how a site already known here with that key
 * is reached, and whether writers wait for it, are recorded (site-local, no
 * journal entry): a standby learns the command that reaches its primary, for
 * the writes it forwards (forward.h).
 */
static int site_add_at_standby(struct store *s, const struct site_add *a, struct rerun *again)
{
	uint8_t known[SIGN_PUBLEN], given[SIGN_PUBLEN];
	again->done = 0;
	if (a->tz || a->region || a->replace) {
		warnx("site add %s: fenced: site '%s' is not the primary: --tz, --region and "
		      "--replace change the sites table, which only the primary writes (here, "
		      "site add records only --via and --ack)",
		      a->name, store_site(s));
		return CCC_EX_TEMPFAIL;
	}
	if (sign_pub_parse(a->key, given) < 0) {
		warnx("site add %s: '%s' is not a key (ed25519:BASE64)", a->name, a->key);
		return CCC_EX_USAGE;
	}
	if (store_site_key(s, a->name, known) < 0 || memcmp(known, given, sizeof known)) {
		warnx("site add %s: fenced: site '%s' is not the primary: here, site add records "
		      "only how a site trusted with that key is reached; trust '%s' at the "
		      "primary (or here with 'ccc-store trust add %s KEY') first",
		      a->name, store_site(s), a->name, a->name);
		return CCC_EX_TEMPFAIL;
	}
	if (reached_as_asked(s, a)) {
		again->done = 1;
		snprintf(again->why, sizeof again->why,
			 "site '%s' is reached as asked already: nothing changed", a->name);
		return 0;
	}
	int rc = 0;
	if ((a->via && (rc = sitelocal_set_via(store_local(s), a->name, a->via))) ||
	    (a->ack == SITE_ACK_WAIT &&
	     (rc = sitelocal_set_ack_via(store_local(s), a->name, a->via))) ||
	    (a->ack == SITE_ACK_STOP &&
	     (rc = sitelocal_set_ack_via(store_local(s), a->name, NULL))))
		return rc;
	return 0;
}

int failover_site_add(struct store *s, const struct site_add *a, struct rerun *again)
{
	int64_t seq;
	if (not_primary(s))
		return site_add_at_standby(s, a, again);
	int rc = store_begin(s);
	if (rc)
		return rc;
	if ((a->field && (rc = field_site_check(s, a->name))) ||
	    (rc = sites_trust(s, a->name, a->key, a->tz, a->region, a->replace, "site add",
			      again)) ||
	    (a->field && (rc = field_site_mark(s, a->name, again)))) {
		store_rollback(s);
		return rc;
	}
	if (again->done && !reached_as_asked(s, a))
		again->done = 0;
	if (again->done) {
		store_rollback(s);
		return 0;
	}
	if ((a->via && (rc = sitelocal_set_via(store_local(s), a->name, a->via))) ||
	    (a->ack == SITE_ACK_WAIT &&
	     (rc = sitelocal_set_ack_via(store_local(s), a->name, a->via))) ||
	    (a->ack == SITE_ACK_STOP &&
	     (rc = sitelocal_set_ack_via(store_local(s), a->name, NULL))) ||
	    (rc = store_commit(s, &seq)))
		store_rollback(s);
	return rc;
}

int failover_site_remove(struct store *s, const char *name)
{
	char ack[200];
	int64_t seq;
	int rc = store_begin(s);
	if (rc)
		return rc;
	snprintf(ack, sizeof ack, "ack:%s", name);
	if ((rc = sites_remove(s, name)) || (rc = sitelocal_set_via(store_local(s), name, NULL)) ||
	    (rc = sitelocal_set_ack_via(store_local(s), name, NULL)) ||
	    (rc = sitelocal_put(store_local(s), ack, NULL)) || (rc = store_commit(s, &seq)))
		store_rollback(s);
	return rc;
}

int failover_site_list(struct store *s, jv *out)
{
	jv list;
	int rc = sites_list(s, NULL, &list);
	if (rc)
		return rc;
	*out = jv_array();
	jv_array_foreach (list, i, r) {
		const char *name = jv_get_str(r, "name");
		char *via = sitelocal_via(store_local(s), name),
		     *ack = sitelocal_ack_via(store_local(s), name);
		if (via)
			r = jv_object_set(r, jv_string("via"), jv_string(via));
		r = jv_object_set(r, jv_string("ack"), jv_bool(ack != NULL));
		char at[RFC3339_LEN + 8];
		int64_t kept = 0;
		if (audit_revoked(s, name, &kept, at, sizeof at))
			r = jv_object_set(r, jv_string("revoked_at"), jv_string(at));
		const char *kind = field_site_kind(s, name);
		r = jv_object_set(r, jv_string("kind"), jv_string(kind ? kind : "site"));
		free(via);
		free(ack);
		*out = jv_array_append(*out, r);
	}
	jv_free(list);
	return 0;
}

int failover_heartbeat(struct store *s, int *signed_)
{
	int64_t seq;
	sqlite3_stmt *st =
	    store_stmt(s, "SELECT primary_site FROM epochs ORDER BY epoch DESC LIMIT 1");
	int primary = sqlite3_step(st) == SQLITE_ROW &&
		      !strcmp((const char *)sqlite3_column_text(st, 0), store_site(s));
	sqlite3_reset(st);
	*signed_ = primary || store_is_empty_standby(s);
	if (!*signed_)
		return 0;
	int rc = store_begin(s);
	if (!rc && (rc = sites_heartbeat(s)))
		store_rollback(s);
	if (!rc)
		rc = store_commit(s, &seq);
	return rc;
}

int failover_site_revoke(struct store *s, const char *name, struct rerun *again)
{
	static const char *const SQL_REVOKE =
	    "UPDATE sites SET revoked_at = ?2, revoked_seq = ?3 WHERE name = ?1";
	char now[RFC3339_LEN], at[RFC3339_LEN + 8];
	uint8_t pub[32];
	int64_t kept = 0, seq;
	again->done = 0;
	if (!strcmp(name, store_site(s))) {
		warnx("site revoke: '%s' is this site: revoke it from another site", name);
		return CCC_EX_USAGE;
	}
	int rc = store_begin(s);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT pubkey FROM sites WHERE name = ?1");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	(void)pub;
	if (!known) {
		store_rollback(s);
		warnx("site revoke: no site '%s' is known here ('ccc-failover site list')", name);
		return CCC_EX_NOINPUT;
	}
	if (audit_revoked(s, name, &kept, at, sizeof at)) {
		store_rollback(s);
		again->done = 1;
		snprintf(again->why, sizeof again->why,
			 "site '%s' was revoked already at %s (its audit up to entry %lld kept)",
			 name, at, (long long)kept);
		return 0;
	}
	if ((kept = audit_site_head(s, name, NULL)) < 0) {
		store_rollback(s);
		return CCC_EX_IOERR;
	}
	clock_format(clock_now(), now);
	st = store_stmt(s, SQL_REVOKE);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, kept);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = store_error(s, rc, "revoking a site");
		store_rollback(s);
		return rc;
	}
	sqlite3_reset(st);
	/* nothing is shipped to it, and no writer waits for it */
	if ((rc = sitelocal_set_ack_via(store_local(s), name, NULL)) ||
	    (rc = store_commit(s, &seq))) {
		store_rollback(s);
		return rc;
	}
	return 0;
}
