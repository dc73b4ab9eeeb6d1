/*
 * test-first-peer.c: correlate_first_peer finds the message grouping would
 * have found by reading every peer (the query it replaced, REFERENCE
 * below: every message that shares a key, received first, then by id)
 * and asking each in turn: the same peer and the same key, on an index of
 * random keys, messages and checks, received over four days in every form
 * clock_parse reads (offsets of up to a day, fractions, t and space) and in
 * forms it does not; for random judges that take some ids and judge the
 * window on the received_at they parse. It asks none of the messages
 * received days away; of 2,000 messages of one key received within
 * minutes, it asks the first alone when it will do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ccc/clock.h"
#include "ccc/correlate.h"
#include "ccc/store.h"
#include "scratch.h"
#include "tap.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* The query grouping read every peer with, before: the reference. */
static const char *const REFERENCE =
    "SELECT d.item, min(d.key) FROM derived_entities k JOIN derived_entities d ON d.key = k.key"
    " WHERE k.item = ?1 AND d.item <> ?1 AND d.item LIKE 'msg-%' GROUP BY d.item"
    " ORDER BY min(d.at), d.item";

/* A judge: takes the ids whose number is not a multiple of `refuse`, when
 * their received_at (as the index holds it) is within window of received. */
struct judge {
	time_t received;
	long window;
	unsigned refuse;
	unsigned asked, far; /* asked at all; asked though more than 3 days away */
	unsigned wrong_at;   /* asked with a received_at not the index's */
};

static const char *at_of(struct store *s, const char *item)
{
	static char at[64];
	sqlite3_stmt *st;
	at[0] = '\0';
	sqlite3_prepare_v2(store_db(s), "SELECT at FROM derived_entities WHERE item = ?1 LIMIT 1",
			   -1, &st, NULL);
	sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(at, sizeof at, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return at;
}

static int judge(struct store *s, const char *item, const char *at, void *arg)
{
	struct judge *j = arg;
	j->asked++;
	const char *d = strrchr(item, '-');
	unsigned n = d ? (unsigned)atoi(d + 1) : 0;
	time_t t;
	if (!at)
		at = at_of(s, item);
	else if (strcmp(at, at_of(s, item)))
		j->wrong_at++;
	if (clock_parse(at, &t) != 0)
		return 0;
	long gap = (long)(t > j->received ? t - j->received : j->received - t);
	j->far += gap > 3 * 86400 + j->window; /* the dates read, and offsets of a day */
	return n % j->refuse != 0 && gap <= j->window;
}

/* The reference answer: every peer in the query's order, the first the
 * judge takes. */
static int reference(struct store *s, const char *id, struct judge *j, char *peer, char *key)
{
	sqlite3_stmt *st;
	int found = 0;
	sqlite3_prepare_v2(store_db(s), REFERENCE, -1, &st, NULL);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while (!found && sqlite3_step(st) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		if (judge(s, p, NULL, j)) {
			snprintf(peer, 256, "%s", p);
			snprintf(key, 256, "%s", (const char *)sqlite3_column_text(st, 1));
			found = 1;
		}
	}
	sqlite3_finalize(st);
	return found;
}

/* A received_at some seconds after base, in one of the forms seen. */
static void received_at(time_t t, unsigned form, char *out, size_t n)
{
	struct tm tm;
	char buf[40];
	int off = 0; /* minutes east */
	switch (form) {
	case 1: off = 23 * 60 + 59; break;
	case 2: off = -(23 * 60 + 59); break;
	case 3: off = 5 * 60 + 30; break;
	case 4: off = -3 * 60; break;
	default: break;
	}
	time_t local = t + off * 60;
	gmtime_r(&local, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	switch (form) {
	case 0: snprintf(out, n, "%sZ", buf); break;
	case 1:
	case 2:
	case 3:
	case 4:
		snprintf(out, n, "%s%c%02d:%02d", buf, off < 0 ? '-' : '+', abs(off) / 60,
			 abs(off) % 60);
		break;
	case 5: snprintf(out, n, "%s.%03uZ", buf, next(1000)); break;
	case 6:
		buf[10] = 't';
		snprintf(out, n, "%sz", buf);
		break;
	case 7:
		buf[10] = ' ';
		snprintf(out, n, "%sZ", buf);
		break;
	case 8: snprintf(out, n, "%s", buf); break; /* no zone: clock_parse refuses it */
	default: snprintf(out, n, "%s", ""); break;
	}
}

int main(void)
{
	struct scratch sx;
	struct store *s = scratch_open(&sx, "first-peer", 1);
	if (!ok(s != NULL, "a store"))
		return tap_done();
	sqlite3 *db = store_db(s);
	sqlite3_stmt *ins;
	sqlite3_prepare_v2(
	    db, "INSERT OR IGNORE INTO derived_entities(key, item, at) VALUES (?1, ?2, ?3)", -1,
	    &ins, NULL);
	const time_t base = 1796256000; /* 2026-12-03T00:00:00Z */
	/* 3,000 messages (of two sites) and 1,000 checks over four days, each
	 * naming one to three of 60 keys; key 0 by many */
	char it[64], at[64], k[32];
	for (unsigned i = 1; i <= 4000; i++) {
		if (i % 4 == 0)
			snprintf(it, sizeof it, "check-%u", i);
		else
			snprintf(it, sizeof it, "msg-%s-%u", i % 3 ? "lyon" : "bue", i);
		/* some share one second, so that the ids decide */
		time_t t =
		    base + (time_t)next(4 * 86400) / (next(4) ? 1 : 600) * (next(4) ? 1 : 600);
		received_at(t, next(12), at, sizeof at);
		for (unsigned n = 1 + next(3), m = 0; m < n; m++) {
			snprintf(k, sizeof k, "doc:K%u", next(3) ? next(60) : 0);
			sqlite3_bind_text(ins, 1, k, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 2, it, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 3, at, -1, SQLITE_TRANSIENT);
			sqlite3_step(ins);
			sqlite3_reset(ins);
		}
	}
	sqlite3_finalize(ins);

	/* 600 draws: a message, a time near its own or not, a window, a judge */
	int same = 1, found = 0, none = 0, unasked_far = 1, right_at = 1;
	for (int d = 0; d < 600; d++) {
		unsigned i = 1 + next(4000);
		if (i % 4 == 0)
			i--;
		snprintf(it, sizeof it, "msg-%s-%u", i % 3 ? "lyon" : "bue", i);
		time_t received = base + (time_t)next(4 * 86400);
		long window = d % 3 == 0 ? 600 : d % 3 == 1 ? 3600 : 30;
		struct judge a = {received, window, 2 + next(6), 0, 0, 0}, b = a;
		char p1[256] = "", k1[256] = "", p2[256] = "", k2[256] = "";
		int r1 = reference(s, it, &a, p1, k1);
		int r2 = correlate_first_peer(s, it, received, window, judge, &b, p2, sizeof p2, k2,
					      sizeof k2);
		if (r1 != r2 || strcmp(p1, p2) || strcmp(k1, k2)) {
			same = 0;
			fprintf(
			    stderr,
			    "# %s at %ld window %ld refuse %u: reference %d %s %s, got %d %s %s\n",
			    it, (long)received, window, a.refuse, r1, p1, k1, r2, p2, k2);
		}
		found += r1;
		none += !r1;
		unasked_far &= b.far == 0;
		right_at &= b.wrong_at == 0;
	}
	ok(same, "600 draws: the same peer and key as reading every peer");
	ok(found > 100 && none > 100, "some find a peer (%d), some none (%d)", found, none);
	ok(unasked_far, "no message received more than three days away is asked");
	ok(right_at, "each is asked with its received_at as the index holds it");

	/* a message naming a key that 2,000 earlier messages name, within
	 * minutes: the first is taken and asked alone */
	sqlite3_prepare_v2(db,
			   "INSERT INTO derived_entities(key, item, at) VALUES ('doc:HOT', ?1, ?2)",
			   -1, &ins, NULL);
	for (unsigned i = 1; i <= 2001; i++) {
		snprintf(it, sizeof it, "msg-sg-%u", i);
		received_at(base + i / 10, 0, at, sizeof at);
		sqlite3_bind_text(ins, 1, it, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, at, -1, SQLITE_TRANSIENT);
		sqlite3_step(ins);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	struct judge h = {base + 200, 600, 1000000, 0, 0, 0};
	char p[256], kk[256];
	int r = correlate_first_peer(s, "msg-sg-2001", h.received, h.window, judge, &h, p, sizeof p,
				     kk, sizeof kk);
	ok(r && !strcmp(p, "msg-sg-1") && !strcmp(kk, "doc:HOT") && h.asked == 1,
	   "2,000 earlier messages of one key: the first is found, asked alone (%u asked)",
	   h.asked);
	/* none of them will do: each within the window is asked once */
	struct judge none_ok = {base + 200, 600, 1, 0, 0, 0};
	r = correlate_first_peer(s, "msg-sg-2001", none_ok.received, none_ok.window, judge,
				 &none_ok, p, sizeof p, kk, sizeof kk);
	ok(!r && none_ok.asked == 2000, "none will do: not found, each asked once (%u asked)",
	   none_ok.asked);
	/* two days on, none of them is read */
	struct judge later = {base + 2 * 86400 + 7200, 600, 1000000, 0, 0, 0};
	r = correlate_first_peer(s, "msg-sg-2001", later.received, later.window, judge, &later, p,
				 sizeof p, kk, sizeof kk);
	ok(!r && later.asked == 0, "two days on: none asked (%u asked)", later.asked);

	store_rollback(s);
	store_close(s);
	scratch_remove(&sx);
	return tap_done();
}
