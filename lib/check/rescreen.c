/*
 * rescreen.c: check the recent messages again against what a load or a
 * notice changed, and only that.
 */
#include <err.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/personmatch.h"
#include "ccc/queue.h"
#include "ccc/rescreen.h"
#include "ccc/triage.h"
#include "ccc/xmalloc.h"

/* Each change is noted in rescreen_pending (alert-schema.c), in the
 * transaction of the change: the triggers are this connection's own, the
 * table the store's. A record noted already keeps its note: ON CONFLICT DO
 * NOTHING, not OR IGNORE, which the upsert that fires the trigger would
 * override (a person new in a batch and changed later in it failed it). */
static const char *const SQL_WATCH =
    "CREATE TEMP TRIGGER IF NOT EXISTS rescreen_person_new AFTER INSERT ON persons BEGIN"
    " INSERT INTO rescreen_pending VALUES ('person', new.id, '', 'new') ON CONFLICT DO NOTHING; "
    "END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS rescreen_person_changed AFTER UPDATE ON persons"
    " WHEN old.names IS NOT new.names OR old.dob IS NOT new.dob"
    " OR old.countries IS NOT new.countries OR old.notice IS NOT new.notice BEGIN"
    " INSERT INTO rescreen_pending VALUES ('person', new.id, '', 'changed') ON CONFLICT DO "
    "NOTHING; END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS rescreen_document_new AFTER INSERT ON documents BEGIN"
    " INSERT INTO rescreen_pending VALUES ('document', new.number, new.country,"
    " 'new') ON CONFLICT DO NOTHING; END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS rescreen_document_changed AFTER UPDATE ON documents"
    " WHEN old.status IS NOT new.status BEGIN"
    " INSERT INTO rescreen_pending VALUES ('document', new.number, new.country,"
    " 'changed') ON CONFLICT DO NOTHING; END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS rescreen_vehicle_new AFTER INSERT ON items"
    " WHEN new.db = 'vehicles' AND length(new.key) = 17 BEGIN"
    " INSERT INTO rescreen_pending VALUES ('vehicle', new.key, '', 'new') ON CONFLICT DO NOTHING; "
    "END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS rescreen_vehicle_changed AFTER UPDATE ON items"
    " WHEN new.db = 'vehicles' AND length(new.key) = 17 AND old.status IS NOT new.status BEGIN"
    " INSERT INTO rescreen_pending VALUES ('vehicle', new.key, '', 'changed') ON CONFLICT DO "
    "NOTHING; END;";
/* The changed persons in parts of RESCREEN_PART, in the order of their ids,
 * from after the last one of the part before (?1). */
static const char *const SQL_CHANGED_PERSONS =
    "SELECT c.a, c.how, p.names, p.dob, p.countries, p.notice, p.owner"
    " FROM rescreen_pending c JOIN persons p ON p.id = c.a WHERE c.kind = 'person'"
    " AND c.b = '' AND c.a > ?1 ORDER BY c.a LIMIT ?2";
/* The changed records and the names of the messages are read in the order
 * of their keys, from after the last one taken (?1 ?2): a run commits as it
 * goes (RESCREEN_ENTRY_BYTES) and reads on from there. */
static const char *const SQL_CHANGED_DOCUMENTS =
    "SELECT c.a, c.b, c.how, d.status, d.owner FROM rescreen_pending c JOIN documents d"
    " ON d.number = c.a AND d.country = c.b WHERE c.kind = 'document'"
    " AND (c.a, c.b) > (?1, ?2) ORDER BY c.a, c.b";
static const char *const SQL_CHANGED_VEHICLES =
    "SELECT c.a, '', c.how, i.status, i.owner FROM rescreen_pending c JOIN items i"
    " ON i.db = 'vehicles' AND i.key = c.a WHERE c.kind = 'vehicle'"
    " AND (c.a, c.b) > (?1, ?2) ORDER BY c.a, c.b";
static const char *const SQL_NAMES =
    "SELECT key, item, at FROM derived_entities WHERE key >= ?1 AND key < 'name;'"
    " AND (key, item) > (?1, ?2) AND at >= ?3 AND item LIKE 'msg-%' ORDER BY key, item";
static const char *const SQL_BY_KEY =
    "SELECT item, at FROM derived_entities WHERE key = ?1 AND at >= ?2 AND item LIKE 'msg-%'";
/* The notes done: of a kind up to a key (?2 ?3) from after another (?4 ?5),
 * or all of a kind (a record removed since it was noted has no row to join). */
static const char *const SQL_DONE =
    "DELETE FROM rescreen_pending WHERE kind = ?1 AND (a, b) <= (?2, ?3) AND (a, b) > (?4, ?5)";
static const char *const SQL_DONE_KIND = "DELETE FROM rescreen_pending WHERE kind = ?1";
static const char *const SQL_HIT =
    "INSERT OR IGNORE INTO rescreen_hits(n, ref, at, reason) VALUES (?1, ?2, ?3, ?4)";
static const char *const SQL_UNGROUP = "DELETE FROM queue_groups WHERE n = ?1";
static const char *const SQL_STATUS = "UPDATE queue SET status = 'open' WHERE n = ?1";

int rescreen_watch(struct store *s)
{
	char *msg = NULL;
	if (sqlite3_exec(store_db(s), SQL_WATCH, NULL, NULL, &msg) != SQLITE_OK) {
		warnx("store '%s': cannot watch the reference tables: %s", store_path(s),
		      msg ? msg : "?");
		sqlite3_free(msg);
		return CCC_EX_SOFTWARE;
	}
	return 0;
}

/* A changed person: its names (one line of tokens each), and what it is. */
struct changed_person {
	char *id, *how, *names, *dob, *countries, *notice, *owner;
	size_t fewest;           /* blocking keys of its name that has the fewest */
	struct name_tokens *tok; /* its names restored, once it is first scored */
	int ntok;
};

/* The names of person c, restored from their text once. */
static void restore_once(struct changed_person *c)
{
	if (c->tok || !c->names)
		return;
	for (const char *line = c->names; *line;) {
		size_t len = strcspn(line, "\n");
		c->tok = xrealloc(c->tok, (size_t)(c->ntok + 1) * sizeof *c->tok);
		if (names_restore_tokens(line, len, &c->tok[c->ntok]) > 0)
			c->ntok++;
		line += len + (line[len] == '\n');
	}
}

/* A blocking key of a changed person's name. */
struct bkey {
	char key[PERSON_KEY_MAX];
	size_t person;
};

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct bkey *)a)->key, ((const struct bkey *)b)->key);
}

/* The entries of one key in the sorted keys: [lo, hi). */
struct range {
	struct bkey *lo, *hi;
};

static struct range key_range(struct bkey *keys, size_t nk, const char *key)
{
	struct bkey probe = {.person = 0}, *at;
	struct range r = {NULL, NULL};
	memcpy(probe.key, key, PERSON_KEY_MAX);
	if (!nk || !(at = bsearch(&probe, keys, nk, sizeof *keys, by_key)))
		return r;
	r.lo = r.hi = at;
	while (r.lo > keys && !strcmp(r.lo[-1].key, key))
		r.lo--;
	while (r.hi < keys + nk && !strcmp(r.hi->key, key))
		r.hi++;
	return r;
}

/* The changed persons scored against one name, at most: those that share
 * the heaviest of its keys (rank_candidates). */
#define RESCREEN_CANDIDATES 16

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

/* "of 3 days ago" for an item received at at, seen at now. */
static void age(const char *at, time_t now, char *out, size_t n)
{
	time_t t = now;
	clock_parse(at, &t);
	long d = (long)(now - t);
	if (d >= 2 * 86400)
		snprintf(out, n, "%ld days ago", d / 86400);
	else if (d >= 86400)
		snprintf(out, n, "1 day ago");
	else if (d >= 7200)
		snprintf(out, n, "%ld hours ago", d / 3600);
	else if (d >= 3600)
		snprintf(out, n, "1 hour ago");
	else
		snprintf(out, n, "less than an hour ago");
}

/* The store's page cache during a run (store_cache_limit): it reads the
 * names of the window once, in order, and the few messages that hit. */
#define RESCREEN_CACHE_KIB 16384

struct run {
	struct store *s;
	struct refdb_ctx *c;
	struct triage_config tc;
	struct rescreen_counts *k;
	time_t now;
	void (*each)(jv, void *);
	void *ctx;
	/* the size of the transaction past which the run commits what it raised
	 * so far (in a batch: with the batch) and goes on in another */
	int64_t limit;
};

/* Raise message item for ref with reason at priority, unless raised before. */
static int raise_hit(struct run *r, const char *item, const char *ref, const char *owner,
		     const char *reason, const char *priority)
{
	char now[RFC3339_LEN], due[RFC3339_LEN];
	int64_t n = queue_parse_id(item);
	int rc, changed;
	jv rec;
	r->k->hits++;
	if (n < 0)
		return 0;
	clock_format(r->now, now);
	sqlite3_stmt *st = store_stmt(r->s, SQL_HIT);
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, ref, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_error(r->s, rc, "remembering a re-screening hit");
	if (sqlite3_changes(store_db(r->s)) == 0)
		return 0; /* raised before */
	if ((rc = queue_message(r->s, item, &n, &rec, 1)))
		return rc == CCC_EX_NOINPUT ? 0 : rc;
	r->k->raised++;
	jv item_now = queue_item(r->s, n);
	const char *status = jv_get_str(item_now, "status");
	struct rerun again;
	if (status && !strcmp(status, "closed") &&
	    (rc = queue_act(r->s, n, "reopen", NULL, &again))) {
		jv_free(item_now);
		jv_free(rec);
		return rc;
	}
	if (status && !strcmp(status, "grouped")) {
		st = store_stmt(r->s, SQL_UNGROUP);
		sqlite3_bind_int64(st, 1, n);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
			jv_free(item_now);
			jv_free(rec);
			return store_error(r->s, rc, "taking an item out of its group");
		}
		st = store_stmt(r->s, SQL_STATUS);
		sqlite3_bind_int64(st, 1, n);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	jv_free(item_now);
	jv t = jv_object_get(jv_copy(rec), jv_string("triage"));
	if (jv_get_kind(t) != JV_KIND_OBJECT) {
		jv_free(t);
		t = JV_OBJECT(jv_string("category"), jv_string("general"), jv_string("reasons"),
			      jv_array());
	}
	const char *was = jv_get_str(t, "priority");
	if (!was || strcmp(priority, was) < 0) {
		clock_format(r->now + r->tc.due_seconds[priority[1] - '1'], due);
		t = jv_object_set(t, jv_string("priority"), jv_string(priority));
		t = jv_object_set(t, jv_string("due_at"), jv_string(due));
	}
	if (!jv_get_str(t, "category"))
		t = jv_object_set(t, jv_string("category"), jv_string("general"));
	jv reasons = jv_object_get(jv_copy(t), jv_string("reasons"));
	if (jv_get_kind(reasons) != JV_KIND_ARRAY) {
		jv_free(reasons);
		reasons = jv_array();
	}
	char why[600];
	snprintf(why, sizeof why, "rescreen: %s", reason);
	t = jv_object_set(t, jv_string("reasons"), jv_array_append(reasons, jv_string(why)));
	rc = queue_triaged(r->s, n, item, t, &changed);
	const char *p = jv_get_str(t, "priority");
	jv hit = JV_OBJECT(jv_string("message"), jv_string(item), jv_string("ref"), jv_string(ref),
			   jv_string("reason"), jv_string(reason), jv_string("priority"),
			   jv_string(p ? p : priority));
	jv_free(t);
	jv_free(rec);
	if (!rc)
		rc = queue_log(r->s, n, "rescreen", reason);
	if (!rc) {
		/* the consultation log: what was checked again and what answered */
		const char *saved = r->c->item;
		r->c->item = item;
		jv chk = JV_OBJECT(
		    jv_string("db"), jv_string("rescreen"), jv_string("query"),
		    JV_OBJECT(jv_string("message"), jv_string(item)), jv_string("hits"),
		    JV_ARRAY(JV_OBJECT(jv_string("id"), jv_string(ref), jv_string("owner"),
				       jv_string(owner ? owner : ""))));
		rc = refdb_audit(r->c, chk); /* it reads chk and leaves it to us */
		jv_free(chk);
		r->c->item = saved;
	}
	if (!rc && r->each)
		r->each(hit, r->ctx);
	else
		jv_free(hit);
	return rc;
}

/* The notes of kind done: from after (fa, fb) up to (a, b). 0 or an exit
 * code. */
static int done_upto(struct run *r, const char *kind, const char *a, const char *b, const char *fa,
		     const char *fb)
{
	sqlite3_stmt *st = store_stmt(r->s, SQL_DONE);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, b, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, fa, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, fb, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : store_error(r->s, rc, "taking out what was re-screened");
}

/* Every note of kind done (a whole pass over them). 0 or an exit code. */
static int done_kind(struct run *r, const char *kind)
{
	sqlite3_stmt *st = store_stmt(r->s, SQL_DONE_KIND);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : store_error(r->s, rc, "taking out what was re-screened");
}

/* Once the transaction passes r->limit, between two rows of st, the last of
 * which had the keys (a, b): st is reset, the notes of kind (if not NULL)
 * up to (a, b) taken out, what the run raised so far committed (the notes
 * not done yet with it), a new transaction begun and st bound to read on
 * after (a, b). 0 or an exit code. */
static int commit_on(struct run *r, sqlite3_stmt *st, const char *kind, const char *a,
		     const char *b)
{
	int64_t seq;
	int rc = 0;
	if (store_tx_bytes(r->s) < r->limit)
		return 0;
	char *ka = xstrdup(a), *kb = xstrdup(b); /* st's columns go with its reset */
	sqlite3_reset(st);
	if (kind)
		rc = done_upto(r, kind, ka, kb, "", "");
	if (!rc && !(rc = store_commit(r->s, &seq)) && !(rc = store_begin(r->s))) {
		sqlite3_bind_text(st, 1, ka, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, kb, -1, SQLITE_TRANSIENT);
		r->limit = RESCREEN_ENTRY_BYTES;
	}
	free(ka);
	free(kb);
	return rc;
}

/* What persons() scores a name against: the changed persons, their
 * blocking keys sorted, and by person the name it was last counted for,
 * the keys it shares with it and their weight; the persons counted for
 * the name. */
struct scoring {
	struct changed_person *p;
	struct bkey *keys;
	size_t nk, *seen, nth;
	unsigned *shared;
	double *weight;
	size_t *met, nmet, capmet;
};

/* How many of the tokens of q the names of c (names_serialize's text,
 * "FLAGS:tok/F tok/F" a line) have as they are. */
static unsigned tokens_as_written(const struct name_tokens *q, const struct changed_person *c)
{
	unsigned n = 0;
	if (!c->names)
		return 0;
	for (unsigned i = 0; i < q->n; i++) {
		const char *t = q->tok[i].text;
		size_t l = strlen(t);
		for (const char *at = c->names; l && (at = strstr(at, t)); at += l)
			if (at > c->names && (at[-1] == ':' || at[-1] == ' ') && at[l] == '/') {
				n++;
				break;
			}
	}
	return n;
}

/* Of the persons counted for the name of query q, the index of those that
 * share enough keys with it (need: two, or one when either side has only
 * one) and that their date of birth and nationalities do not keep below
 * threshold whatever their name, ranked first by the tokens of the name
 * their names have as written, then by the weight of the keys they share;
 * at most max in rank, and the count. Keys are four letters of a skeleton
 * (Ivan, Ivana and Yvonne share theirs): the tokens tell the person named
 * from the many a key names. */
static size_t rank_candidates(struct scoring *g, const struct person *q, size_t m, double threshold,
			      size_t *rank, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nmet; i++) {
		size_t x = g->met[i];
		const struct changed_person *c = &g->p[x];
		size_t need = m < 2 || c->fewest < 2 ? 1 : 2;
		if (g->shared[x] < need || person_score_bound(q, c->dob, c->countries) < threshold)
			continue;
		/* a key weighs at most 1, a name has at most 32 */
		g->weight[x] += 64.0 * tokens_as_written(q->name, c);
		/* insertion into the max first: ties keep the order of meeting */
		size_t j = n < max ? n++ : max;
		while (j > 0 && g->weight[rank[j - 1]] < g->weight[x]) {
			if (j < max)
				rank[j] = rank[j - 1];
			j--;
		}
		if (j < max)
			rank[j] = x;
	}
	return n;
}

/* One name of a message (key "name:NAME|DOB|CC") against the changed
 * persons; raise each hit. 0 or an exit code. */
static int score_name(struct run *r, struct scoring *g, const char *key, const char *item,
		      const char *at)
{
	char name[400], dob[16] = "", cc[4] = "", kk[32][PERSON_KEY_MAX];
	size_t nl = strcspn(key, "|");
	int rc = 0;
	snprintf(name, sizeof name, "%.*s", (int)(nl < 399 ? nl : 399), key);
	if (key[nl] == '|') {
		const char *d = key + nl + 1;
		size_t dl = strcspn(d, "|");
		snprintf(dob, sizeof dob, "%.*s", (int)(dl < 15 ? dl : 15), d);
		if (d[dl] == '|')
			snprintf(cc, sizeof cc, "%.3s", d + dl + 1);
	}
	struct name_tokens q;
	size_t nth = ++g->nth;
	if (names_normalize(r->c->names, name, strlen(name), &q) < 0) {
		char err[200];
		if (!r->c->names && !(r->c->names = names_open(err, sizeof err)))
			return 0;
		if (names_normalize(r->c->names, name, strlen(name), &q) < 0)
			return 0;
	}
	/* Every changed person that shares a key with the name is counted,
	 * with the keys it shares, each weighing the fewer the persons it
	 * names; then those that share enough are scored, ranked as
	 * rank_candidates says. So among many persons that share a surname
	 * with the name, the one named as the message names him is scored,
	 * whatever their number. */
	size_t m = person_blocking_keys(&q, kk, 32);
	struct person qp = {&q, *dob ? dob : NULL, *cc ? cc : NULL};
	g->nmet = 0;
	for (size_t j = 0; j < m; j++) {
		struct range rg = key_range(g->keys, g->nk, kk[j]);
		double w = rg.hi > rg.lo ? 1.0 / (double)(rg.hi - rg.lo) : 0;
		for (struct bkey *lo = rg.lo; lo < rg.hi; lo++) {
			size_t x = lo->person;
			if (g->seen[x] != nth) {
				g->seen[x] = nth;
				g->shared[x] = 0;
				g->weight[x] = 0;
				if (g->nmet == g->capmet) {
					g->capmet = g->capmet ? 2 * g->capmet : 256;
					g->met = xrealloc(g->met, g->capmet * sizeof *g->met);
				}
				g->met[g->nmet++] = x;
			}
			g->shared[x]++;
			g->weight[x] += w;
		}
	}
	size_t rank[RESCREEN_CANDIDATES];
	size_t ncand = rank_candidates(g, &qp, m, r->c->threshold, rank, RESCREEN_CANDIDATES);
	for (size_t i = 0; i < ncand && !rc; i++) {
		struct changed_person *c = &g->p[rank[i]];
		double best = 0;
		restore_once(c);
		for (int t = 0; t < c->ntok; t++) {
			struct person cp = {&c->tok[t], c->dob, c->countries};
			double sc = person_score(&qp, &cp, NULL, 0);
			best = sc > best ? sc : best;
		}
		if (best < r->c->threshold)
			continue;
		char ref[300], reason[700], when[40];
		age(at, r->now, when, sizeof when);
		snprintf(ref, sizeof ref, "person:%s", c->id);
		if (c->notice)
			snprintf(reason, sizeof reason,
				 "%s %s matches a name in %s of %s (%s, score %.2f)", c->how,
				 c->notice, item, when, name, best);
		else
			snprintf(reason, sizeof reason,
				 "%s person %s of the persons list matches a name in %s of %s (%s, "
				 "score %.2f)",
				 c->how, c->id, item, when, name, best);
		rc = raise_hit(r, item, ref, c->owner, reason, c->notice ? "P1" : "P2");
	}
	return rc;
}

/*
 * The changed persons are scored a part at a time, each part against every
 * name of the window: the memory held (their names, keys and restored
 * tokens) is that of one part, however many persons a load changed. A load
 * of fewer is one part, as before; a larger one reads the window's names
 * once a part, and a name's candidates (RESCREEN_CANDIDATES) are counted in
 * each part.
 */
#define RESCREEN_PART 20000

static int persons_part(struct run *r, const char *since, char **after, int *more);

/* The changed persons against the names of the messages of the window. */
static int persons(struct run *r, const char *since)
{
	char *after = xstrdup("");
	int more = 1, rc = 0;
	while (!rc && more)
		rc = persons_part(r, since, &after, &more);
	free(after);
	if (!rc)
		rc = done_kind(r, "person");
	return rc;
}

/* One part: the persons after *after (set to the last one read); *more is
 * 0 once none are left. */
static int persons_part(struct run *r, const char *since, char **after, int *more)
{
	struct changed_person *p = NULL;
	struct bkey *keys = NULL;
	size_t np = 0, nk = 0, capk = 0;
	sqlite3_stmt *st;
	int rc = 0, step;
	if (sqlite3_prepare_v2(store_db(r->s), SQL_CHANGED_PERSONS, -1, &st, NULL) != SQLITE_OK)
		return store_error(r->s, SQLITE_ERROR, "reading the changed persons");
	sqlite3_bind_text(st, 1, *after, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, RESCREEN_PART);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		p = xrealloc(p, (np + 1) * sizeof *p);
		p[np] = (struct changed_person){dup_col(st, 0), dup_col(st, 1),
						dup_col(st, 2), dup_col(st, 3),
						dup_col(st, 4), dup_col(st, 5),
						dup_col(st, 6), 32,
						NULL,           0};
		size_t first = nk; /* this person's keys: each once, whatever its names */
		for (const char *line = p[np].names ? p[np].names : ""; *line;) {
			size_t len = strcspn(line, "\n");
			struct name_tokens t;
			char k[32][PERSON_KEY_MAX];
			if (names_restore_tokens(line, len, &t) > 0) {
				size_t m = person_blocking_keys(&t, k, 32);
				if (m < p[np].fewest)
					p[np].fewest = m;
				for (size_t j = 0; j < m; j++) {
					int dup = 0;
					for (size_t x = first; x < nk && !dup; x++)
						dup = !strcmp(keys[x].key, k[j]);
					if (dup)
						continue;
					if (nk == capk) {
						capk = capk ? 2 * capk : 1024;
						keys = xrealloc(keys, capk * sizeof *keys);
					}
					memcpy(keys[nk].key, k[j], PERSON_KEY_MAX);
					keys[nk++].person = np;
				}
			}
			line += len + (line[len] == '\n');
		}
		np++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		rc = store_error(r->s, step, "reading the changed persons");
	*more = np == RESCREEN_PART;
	char *from = *after;
	if (np)
		*after = xstrdup(p[np - 1].id);
	if (nk)
		qsort(keys, nk, sizeof *keys, by_key);
	if (!rc && nk) {
		if (sqlite3_prepare_v2(store_db(r->s), SQL_NAMES, -1, &st, NULL) != SQLITE_OK) {
			rc = store_error(r->s, SQLITE_ERROR, "reading the names of the messages");
			goto out;
		}
		sqlite3_bind_text(st, 3, since, -1, SQLITE_TRANSIENT);
		struct scoring g = {p,
				    keys,
				    nk,
				    xcalloc(np, sizeof *g.seen),
				    0,
				    xcalloc(np, sizeof *g.shared),
				    xcalloc(np, sizeof *g.weight),
				    NULL,
				    0,
				    0};
		sqlite3_bind_text(st, 1, "name:", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, "", -1, SQLITE_STATIC);
		while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *key = (const char *)sqlite3_column_text(st, 0);
			const char *item = (const char *)sqlite3_column_text(st, 1);
			rc = score_name(r, &g, key + 5, item,
					(const char *)sqlite3_column_text(st, 2));
			if (!rc)
				rc = commit_on(r, st, NULL, key, item);
		}
		free(g.seen);
		free(g.shared);
		free(g.weight);
		free(g.met);
		sqlite3_finalize(st);
		if (!rc && step != SQLITE_DONE)
			rc = store_error(r->s, step, "reading the names of the messages");
	}
	/* the part is done */
	if (!rc && np) {
		r->k->persons += np;
		rc = done_upto(r, "person", *after, "", from, "");
	}
out:
	if (from != *after)
		free(from);
	for (size_t i = 0; i < np; i++) {
		free(p[i].id);
		free(p[i].how);
		free(p[i].names);
		free(p[i].dob);
		free(p[i].countries);
		free(p[i].notice);
		free(p[i].owner);
		free(p[i].tok);
	}
	free(p);
	free(keys);
	return rc;
}

/* The changed documents or vehicles against the messages naming them. */
static int exact(struct run *r, const char *since, int vehicles)
{
	sqlite3_stmt *st;
	int rc = 0, step;
	if (sqlite3_prepare_v2(store_db(r->s),
			       vehicles ? SQL_CHANGED_VEHICLES : SQL_CHANGED_DOCUMENTS, -1, &st,
			       NULL) != SQLITE_OK)
		return store_error(r->s, SQLITE_ERROR, "reading the changed records");
	sqlite3_bind_text(st, 1, "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, "", -1, SQLITE_STATIC);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(st, 0);
		const char *b = (const char *)sqlite3_column_text(st, 1);
		const char *how = (const char *)sqlite3_column_text(st, 2);
		const char *status = (const char *)sqlite3_column_text(st, 3);
		const char *owner = (const char *)sqlite3_column_text(st, 4);
		char key[200], ref[200];
		(*(vehicles ? &r->k->vehicles : &r->k->documents))++;
		snprintf(key, sizeof key, "%s:%s", vehicles ? "vin" : "doc", a);
		if (vehicles)
			snprintf(ref, sizeof ref, "vehicles:%s", a);
		else
			snprintf(ref, sizeof ref, "document:%s:%s", b, a);
		sqlite3_stmt *q = store_stmt(r->s, SQL_BY_KEY);
		sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, since, -1, SQLITE_TRANSIENT);
		jv items = jv_array(), ats = jv_array();
		while (sqlite3_step(q) == SQLITE_ROW) {
			items = jv_array_append(items,
						jv_string((const char *)sqlite3_column_text(q, 0)));
			ats = jv_array_append(ats,
					      jv_string((const char *)sqlite3_column_text(q, 1)));
		}
		sqlite3_reset(q);
		jv_array_foreach (items, i, it) {
			char reason[600], when[40];
			jv at = jv_array_get(jv_copy(ats), i);
			age(jv_string_value(at), r->now, when, sizeof when);
			if (vehicles)
				snprintf(reason, sizeof reason,
					 "%s vehicle %s (%s) matches a VIN in %s of %s", how, a,
					 status ? status : "listed", jv_string_value(it), when);
			else
				snprintf(reason, sizeof reason,
					 "%s document %s (%s, %s) matches a document in %s of %s",
					 how, a, b, status ? status : "listed", jv_string_value(it),
					 when);
			if (!rc)
				rc = raise_hit(r, jv_string_value(it), ref, owner, reason, "P2");
			jv_free(at);
			jv_free(it);
		}
		jv_free(items);
		jv_free(ats);
		if (!rc)
			rc = commit_on(r, st, vehicles ? "vehicle" : "document", a, b);
	}
	sqlite3_finalize(st);
	if (!rc && step != SQLITE_DONE)
		rc = store_error(r->s, step, "reading the changed records");
	if (!rc)
		rc = done_kind(r, vehicles ? "vehicle" : "document");
	return rc;
}

/* One pass over what is noted, in the transaction in hand (and those it
 * goes on in), its counts added to rs's. */
static int pass(struct store *s, struct rescreen *rs)
{
	struct rescreen_counts k = {0};
	struct run r = {.s = s,
			.c = rs->c,
			.k = &k,
			.now = clock_now(),
			.each = rs->each,
			.ctx = rs->ctx,
			.limit = store_tx_bytes(s) + RESCREEN_ENTRY_BYTES};
	char since[RFC3339_LEN];
	int rc = 0;
	triage_config_init(&r.tc);
	clock_format(r.now - rs->days * 86400, since);
	rs->c->store = s;
	if (rs->days > 0 && !(rc = persons(&r, since)) && !(rc = exact(&r, since, 0)))
		rc = exact(&r, since, 1);
	rs->k.persons += k.persons;
	rs->k.documents += k.documents;
	rs->k.vehicles += k.vehicles;
	rs->k.hits += k.hits;
	rs->k.raised += k.raised;
	return rc;
}

int rescreen_batch(struct store *s, struct rescreen *rs)
{
	return pass(s, rs);
}

int rescreen_run(struct store *s, struct rescreen *rs)
{
	int64_t seq;
	int rc;
	if ((rc = store_cache_limit(s, RESCREEN_CACHE_KIB)) || (rc = store_begin(s)))
		return rc;
	if ((rc = pass(s, rs))) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, &seq);
}

void rescreen_say_hit(jv hit, void *ctx)
{
	(void)ctx;
	warnx("re-screen: %s now %s: %s", jv_get_str(hit, "message"), jv_get_str(hit, "priority"),
	      jv_get_str(hit, "reason"));
	jv_free(hit);
}

void rescreen_say(const struct rescreen_counts *k, long days)
{
	warnx("re-screen: %lu person%s, %lu document%s and %lu vehicle%s changed, against the "
	      "messages of the last %ld day%s: %lu hit%s, %lu new",
	      k->persons, k->persons == 1 ? "" : "s", k->documents, k->documents == 1 ? "" : "s",
	      k->vehicles, k->vehicles == 1 ? "" : "s", days, days == 1 ? "" : "s", k->hits,
	      k->hits == 1 ? "" : "s", k->raised);
}
