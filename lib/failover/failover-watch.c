/*
 * failover-watch.c: automatic failover on etcd (DESIGN.md section 7).
 *
 * The campaign: grant a lease, then in one transaction create the primary
 * key with this site's name under the lease if no one holds it. The key's
 * create revision is the epoch. The holder renews its lease every third of
 * its TTL and records in the store how long it surely lasts (the monotonic
 * time taken before the request, plus the TTL), so that writers stop before
 * it can lapse; the others poll the key and campaign when it is gone.
 *
 * A second key, KEY/epoch, written without a lease in the same transaction,
 * remembers the last epoch started: a site whose store has not seen that
 * epoch (a former primary that missed its successor) may not campaign, since
 * it lacks the entries written in it; it must rejoin first.
 */
#include <err.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccc/audit-ship.h"
#include "ccc/etcd.h"
#include "ccc/exit.h"
#include "ccc/failover-watch.h"
#include "ccc/opts.h"
#include "ccc/sign.h"

#define NS 1000000000LL

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

struct watch {
	struct store *s;
	struct etcd *e;
	const char *key, *site;
	char guard[512];
	long ttl;
	int64_t end;        /* monotonic time to stop at (--run), or 0 */
	int64_t lease;      /* this site's lease, 0 when none */
	int held;           /* the key is ours and the lease recorded */
	int64_t epoch;      /* the key's create revision while held */
	int64_t next;       /* when to renew */
	int unreachable;    /* etcd could not be reached (said once) */
	char holder[256];   /* the holder last reported */
	int64_t holder_rev; /* its epoch */
	int64_t behind;     /* the epoch reported as missing here */
};

/* A state change on stderr, unless -q. */
static void say(const struct watch *w, const char *fmt, ...)
{
	va_list ap;
	if (store_quiet(w->s))
		return;
	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

static int stopping(const struct watch *w)
{
	return got_signal || (w->end && store_monotonic_ns() >= w->end);
}

/* Sleep until the monotonic time t, waking for a signal or the end of --run. */
static void sleep_until(const struct watch *w, int64_t t)
{
	for (int64_t now = store_monotonic_ns(); now < t && !stopping(w);
	     now = store_monotonic_ns()) {
		int64_t d = t - now < NS / 20 ? t - now : NS / 20;
		struct timespec ts = {0, (long)d};
		nanosleep(&ts, NULL);
	}
}

/* The store's newest epoch and its primary (primary: at least 128 bytes). */
static int64_t newest_epoch(struct store *s, char *primary)
{
	sqlite3_stmt *st =
	    store_stmt(s, "SELECT epoch, primary_site FROM epochs ORDER BY epoch DESC LIMIT 1");
	int64_t epoch = 0;
	primary[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW) {
		epoch = sqlite3_column_int64(st, 0);
		snprintf(primary, 128, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return epoch;
}

/* etcd could not be reached: fenced (when held), said once per outage. */
static void unreachable(struct watch *w, const char *doing)
{
	if (w->held) {
		w->held = 0;
		store_set_lease(w->s, 0);
		say(w, "site '%s' cannot renew its lease (%s); its writers are fenced", w->site,
		    etcd_error(w->e));
		w->unreachable = 1;
		return;
	}
	if (!w->unreachable)
		say(w, "site '%s' cannot %s: %s", w->site, doing, etcd_error(w->e));
	w->unreachable = 1;
}

/* This site holds the key under w->lease, renewed at t0 for ttl seconds. */
static int hold(struct watch *w, int64_t t0, long ttl)
{
	w->held = 1;
	w->unreachable = 0;
	w->holder[0] = '\0';
	w->next = t0 + (int64_t)ttl * NS / 3;
	return store_set_lease(w->s, t0 + (int64_t)ttl * NS);
}

/* Give the key up: writers fenced first, then the lease revoked so that
 * another site can take over at once. */
static void release(struct watch *w)
{
	if (w->held || w->lease)
		store_set_lease(w->s, 0);
	if (w->lease && etcd_lease_revoke(w->e, w->lease) == 0 && w->held)
		say(w, "site '%s' gave up the primary key of epoch %lld", w->site,
		    (long long)w->epoch);
	w->held = 0;
	w->lease = 0;
}

/* Someone else holds the key: say so when it changes. */
static void note_holder(struct watch *w, const struct etcd_kv *kv)
{
	w->unreachable = 0;
	if (!strcmp(w->holder, kv->value) && w->holder_rev == kv->create_revision)
		return;
	snprintf(w->holder, sizeof w->holder, "%s", kv->value);
	w->holder_rev = kv->create_revision;
	if (!strcmp(kv->value, w->site))
		say(w,
		    "site '%s' waits: an earlier lease of this site holds the primary key "
		    "(epoch %lld) until it lapses",
		    w->site, (long long)kv->create_revision);
	else
		say(w, "site '%s' waits: '%s' holds the primary key (epoch %lld)", w->site,
		    kv->value, (long long)kv->create_revision);
}

/* No key held here: take it if it is free (or ours again after an outage). */
static int campaign(struct watch *w)
{
	struct etcd_kv kv, gkv;
	char primary[128];
	long ttl;
	int64_t id, t0 = store_monotonic_ns();
	int created, rc;

	if ((rc = etcd_get(w->e, w->key, &kv))) {
		unreachable(w, "read the primary key");
		return 0;
	}
	if (kv.found && w->lease && kv.lease == w->lease) {
		/* the cluster was out of reach; the lease may have outlived it */
		if (etcd_lease_keepalive(w->e, w->lease, &ttl)) {
			unreachable(w, "renew its lease");
			return 0;
		}
		if (ttl > 0) {
			if ((rc = hold(w, t0, ttl)))
				return rc;
			say(w, "site '%s' holds the primary key of epoch %lld again", w->site,
			    (long long)w->epoch);
			return 0;
		}
		w->lease = 0;
		return 0;
	}
	if (w->lease) {
		etcd_lease_revoke(w->e, w->lease);
		w->lease = 0;
	}
	if (kv.found) {
		note_holder(w, &kv);
		return 0;
	}
	int64_t newest = newest_epoch(w->s, primary);
	if ((rc = etcd_lease_grant(w->e, w->ttl, &id, &ttl))) {
		unreachable(w, "get a lease");
		return 0;
	}
	if ((rc = etcd_create(w->e, w->key, w->site, id, w->guard, newest + 1, &created, &kv,
			      &gkv))) {
		etcd_lease_revoke(w->e, id);
		unreachable(w, "campaign for the primary key");
		return 0;
	}
	if (!created) {
		etcd_lease_revoke(w->e, id);
		if (kv.found) {
			note_holder(w, &kv);
		} else if (gkv.mod_revision > newest && w->behind != gkv.mod_revision) {
			w->behind = gkv.mod_revision;
			say(w,
			    "site '%s' has not seen epoch %lld (of '%s'): it may not take the "
			    "primary key before it has that epoch's journal (ccc-failover rejoin)",
			    w->site, (long long)gkv.mod_revision, gkv.value);
		}
		return 0;
	}
	w->lease = id;
	w->epoch = kv.create_revision;
	if ((rc = hold(w, t0, ttl)))
		goto fail;
	if (newest > w->epoch || (newest == w->epoch && strcmp(primary, w->site))) {
		warnx("watch: the primary key's create revision %lld is not above epoch %lld of "
		      "store '%s': the etcd cluster is younger than the store's epochs",
		      (long long)w->epoch, (long long)newest, store_path(w->s));
		rc = CCC_EX_CONFIG;
		goto fail;
	}
	if (newest < w->epoch) {
		int64_t got;
		if ((rc = store_promote_epoch(w->s, w->epoch, &got)))
			goto fail;
		/* the checks this site answered as a standby join the log */
		struct audit_import im = {0};
		if (audit_merge_own(w->s, &im))
			warnx("watch: this site's own audit chain is not merged yet; 'ccc-failover "
			      "promote' merges it");
	}
	say(w, "site '%s' is the primary of epoch %lld (etcd lease %" PRIx64 ")", w->site,
	    (long long)w->epoch, (uint64_t)id);
	return 0;
fail:
	w->held = 0; /* fenced and revoked quietly: the reason was said */
	release(w);
	return rc;
}

/* The key is held here: renew the lease, and check the key is still ours. */
static int renew(struct watch *w)
{
	struct etcd_kv kv;
	long ttl;
	int64_t t0 = store_monotonic_ns();

	if (etcd_lease_keepalive(w->e, w->lease, &ttl)) {
		unreachable(w, "renew its lease");
		return 0;
	}
	if (ttl <= 0) {
		w->held = 0;
		w->lease = 0;
		store_set_lease(w->s, 0);
		say(w,
		    "site '%s' lost its lease on the primary key of epoch %lld; its writers are "
		    "fenced",
		    w->site, (long long)w->epoch);
		return 0;
	}
	if (etcd_get(w->e, w->key, &kv) == 0 && (!kv.found || kv.lease != w->lease)) {
		w->held = 0;
		store_set_lease(w->s, 0);
		etcd_lease_revoke(w->e, w->lease);
		w->lease = 0;
		if (kv.found)
			say(w, "site '%s' lost the primary key to '%s'", w->site, kv.value);
		else
			say(w, "site '%s' lost the primary key (deleted); its writers are fenced",
			    w->site);
		return 0;
	}
	return hold(w, t0, ttl);
}

/* The store must be able to promote: an epoch imported, its own key trusted. */
static int can_promote(struct store *s)
{
	uint8_t pub[SIGN_PUBLEN];
	if (store_is_empty_standby(s)) {
		warnx("watch: store '%s' is a standby that has not imported its primary's journal "
		      "yet: import it first",
		      store_path(s));
		return CCC_EX_CONFIG;
	}
	if (store_site_key(s, store_site(s), pub) ||
	    memcmp(pub, store_public_key(s), SIGN_PUBLEN)) {
		warnx(
		    "watch: site '%s' is not trusted in store '%s': on the primary, trust its key "
		    "('ccc-store keys | ssh PRIMARY ccc-store trust add') and ship again",
		    store_site(s), store_path(s));
		return CCC_EX_CONFIG;
	}
	return 0;
}

int failover_watch(struct store *s, const struct watch_opts *o)
{
	struct watch w = {.s = s, .site = store_site(s), .key = o->key ? o->key : "/ccc/primary"};
	struct sigaction sa = {.sa_handler = on_signal};
	int rc;

	w.ttl = o->ttl_s > 0 ? o->ttl_s : 5;
	snprintf(w.guard, sizeof w.guard, "%s/epoch", w.key);
	if ((rc = can_promote(s)) || (rc = etcd_open(o->endpoints, &w.e)))
		return rc;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (o->run_s > 0)
		w.end = store_monotonic_ns() + (int64_t)o->run_s * NS;
	/* until the key is ours, this site's writers are fenced */
	if ((rc = store_set_lease(s, 0)))
		goto out;
	int64_t poll = (int64_t)w.ttl * NS / 4;
	if (poll > NS / 2)
		poll = NS / 2;
	while (!rc && !stopping(&w)) {
		int64_t t = store_monotonic_ns();
		if (w.held) {
			sleep_until(&w, w.next);
			if (!stopping(&w))
				rc = renew(&w);
		} else {
			rc = campaign(&w);
			if (!w.held)
				sleep_until(&w, t + poll);
		}
	}
	if (!rc) {
		release(&w);
		store_set_lease(s, 0);
	}
	if (!rc && got_signal)
		rc = got_signal == SIGINT ? CCC_EX_SIGINT : CCC_EX_SIGTERM;
out:
	etcd_close(w.e);
	return rc;
}
