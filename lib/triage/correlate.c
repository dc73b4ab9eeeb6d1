/*
 * correlate.c: messages, checks and cases that name the same entity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ccc/clock.h"
#include "ccc/correlate.h"
#include "ccc/exit.h"
#include "ccc/hash.h"
#include "ccc/xmalloc.h"

/* The keys of own, the items that share one, and the cases linking either. */
static const char *const SQL_ALSO_IN =
    "WITH own(item) AS (SELECT value FROM json_each(?1)),"
    " keys(key) AS (SELECT DISTINCT d.key FROM derived_entities d JOIN own ON d.item = own.item),"
    " first(key, item) AS (SELECT key, item FROM (SELECT key, item, row_number() OVER"
    "  (PARTITION BY key ORDER BY at, item) AS rn FROM derived_entities WHERE key IN keys)"
    "  WHERE rn <= " CORRELATE_SCAN_SQL "),"
    " peers(item) AS (SELECT DISTINCT d.item FROM first d"
    "  WHERE d.item NOT IN (SELECT item FROM own)),"
    " mine(item) AS (SELECT item FROM peers UNION SELECT item FROM own)"
    " SELECT i FROM (SELECT item AS i, item LIKE 'check-%' AS o FROM peers"
    " UNION SELECT l.case_id, 2 FROM case_links l"
    "  WHERE (l.kind IN ('message', 'check')"
    "   AND (l.item IN mine OR 'check-' || l.item IN mine))"
    "  OR (l.kind = 'person' AND (l.item IN keys OR 'person:' || l.item IN keys))"
    "  OR (l.kind = 'document' AND ('doc:' || upper(l.item) IN keys"
    "   OR 'doc:' || upper(substr(l.item, 4)) IN keys OR 'doc:' || upper(substr(l.item, 8))"
    "   IN keys)))"
    " ORDER BY o, length(i), i LIMIT ?2";

/* The open incidents a message correlates with, and through what. */
static const char *const SQL_INCIDENTS =
    "WITH keys(key) AS (SELECT key FROM derived_entities WHERE item = ?1),"
    " peers(item, key) AS (SELECT d.item, d.key FROM keys k JOIN derived_entities d"
    "  ON d.key = k.key WHERE d.item <> ?1),"
    " via(cid, how) AS ("
    "  SELECT l.case_id, p.item || ' (' || p.key || ')' FROM peers p JOIN case_links l"
    "   ON l.kind IN ('message', 'check') AND (l.item = p.item OR 'check-' || l.item = p.item)"
    "  UNION ALL SELECT l.case_id, l.kind || ' ' || l.item FROM keys k JOIN case_links l"
    "   ON (l.kind = 'person' AND k.key IN (l.item, 'person:' || l.item))"
    "   OR (l.kind = 'document' AND k.key IN ('doc:' || upper(l.item),"
    "    'doc:' || upper(substr(l.item, 4)), 'doc:' || upper(substr(l.item, 8)))))"
    " SELECT c.id, CASE WHEN c.record ->> '$.priority' IN ('P1', 'P2', 'P3', 'P4')"
    "  THEN c.record ->> '$.priority' ELSE 'P1' END, min(v.how)"
    " FROM via v JOIN cases c ON c.id = v.cid"
    " WHERE c.kind = 'incident' AND c.status = 'open'"
    " GROUP BY c.id ORDER BY c.n";

static const char *const SQL_HAS_KEYS = "SELECT 1 FROM derived_entities WHERE item = ?1 LIMIT 1";

static const char *const SQL_LINK =
    "INSERT OR IGNORE INTO case_links(case_id, kind, item, linked_at, actor, reason)"
    " VALUES (?1, 'message', ?2, ?3, ?4, ?5)";

static const char *const SQL_CASE_LOG =
    "INSERT INTO case_log(e, case_id, ts, actor, action, detail)"
    " VALUES ((SELECT max(coalesce(max(e), 0), ccc_id_floor('case_log')) + 1"
    " FROM case_log), ?1, ?2, ?3, 'link', 'message:' || ?4)";

/* The messages that name key, received (by the date their received_at
 * begins with) in [?2, ?3), in the order grouping reads them: the first
 * received first, then by id. A range of the index's primary key (key, at,
 * item; migration 24), read in its order: no sort, and it stops at the
 * first that will do. */
static const char *const SQL_KEY_MESSAGES =
    "SELECT item, at FROM derived_entities WHERE key = ?1 AND item >= 'msg-' AND item < 'msg.'"
    " AND at >= ?2 AND at < ?3 ORDER BY at, item";

/* Whether anything could correlate with own at all: another item naming one
 * of its entities, or a case linking one of its items, or a person or a
 * document (then SQL_ALSO_IN decides). Index lookups only, so that a check
 * naming nothing seen before (the common case) pays no more than this; no
 * IN list, which SQLite would build a temporary table for on every run. */
static const char *const SQL_ALSO_ANY =
    "SELECT EXISTS (SELECT 1 FROM derived_entities k JOIN derived_entities d ON d.key = k.key"
    "  WHERE k.item = ?1 AND d.item <> ?1)"
    " OR EXISTS (SELECT 1 FROM case_links WHERE kind = 'message' AND item = ?1)"
    " OR (?1 LIKE 'check-%' AND EXISTS (SELECT 1 FROM case_links WHERE kind = 'check'"
    "  AND item = substr(?1, 7)))"
    " OR EXISTS (SELECT 1 FROM case_links WHERE kind = 'person')"
    " OR EXISTS (SELECT 1 FROM case_links WHERE kind = 'document')";

/* Whether any case links anything: read once a transaction (nobody else
 * writes while it is open; correlate_link forgets it). */
static struct {
	struct store *s;
	uint64_t tx;
	int any;
} links;

static const char *const SQL_ANY_LINK = "SELECT EXISTS (SELECT 1 FROM case_links)";

/* A peer of a check's one key: another item that names it. */
static const char *const SQL_KEY_PEER =
    "SELECT 1 FROM derived_entities WHERE key = ?1 AND item <> ?2 LIMIT 1";

static int any_link(struct store *s)
{
	if (links.s == s && links.tx == store_tx(s) && sqlite3_get_autocommit(store_db(s)) == 0)
		return links.any;
	sqlite3_stmt *st = store_stmt(s, SQL_ANY_LINK);
	int any = !st || sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	links.s = s;
	links.tx = sqlite3_get_autocommit(store_db(s)) ? 0 : store_tx(s);
	links.any = any;
	return any;
}

jv correlate_also_in_key(struct store *s, const char *item, const char *key)
{
	/* With no case link at all, only another item naming key correlates
	 * (SQL_ALSO_ANY's other terms are case links); else the general way. */
	if (!any_link(s)) {
		sqlite3_stmt *st = store_stmt(s, SQL_KEY_PEER);
		if (!st)
			return jv_array();
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
		int peer = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
		if (!peer)
			return jv_array();
	}
	return correlate_also_in(s, JV_ARRAY(jv_string(item)));
}

int correlate_sql_only;

/* The keys of an item, the items that name a key, and the cases that link
 * an item or an entity (index lookups), and the documents linked. */
static const char *const SQL_ITEM_KEYS = "SELECT key FROM derived_entities WHERE item = ?1";
static const char *const SQL_KEY_ITEMS =
    "SELECT item FROM derived_entities WHERE key = ?1 ORDER BY at, item LIMIT " CORRELATE_SCAN_SQL;
static const char *const SQL_ITEM_CASES =
    "SELECT case_id FROM case_links WHERE kind IN ('message', 'check') AND item = ?1";
static const char *const SQL_PERSON_CASES =
    "SELECT case_id FROM case_links WHERE kind = 'person' AND item = ?1";
static const char *const SQL_DOCUMENT_LINKS =
    "SELECT case_id, item FROM case_links WHERE kind = 'document'";

/* An item as SQL_ALSO_IN orders what it lists: anything but a check first
 * (LIKE 'check-%', which ignores ASCII case), then checks, then cases; the
 * fewer characters first, then the bytes (SQLite's BINARY collation: the
 * shorter first on a tie). */
struct peer {
	char *id;
	size_t len, chars;
	int rank; /* 0 not a check, 1 a check, 2 a case */
};

static int peer_cmp(const struct peer *a, const struct peer *b)
{
	if (a->rank != b->rank)
		return a->rank - b->rank;
	if (a->chars != b->chars)
		return a->chars < b->chars ? -1 : 1;
	int c = memcmp(a->id, b->id, a->len < b->len ? a->len : b->len);
	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* The CORRELATE_MAX first items seen, in order, each once. */
struct ranked {
	struct peer top[CORRELATE_MAX];
	size_t n;
};

static void ranked_add(struct ranked *r, const char *id, size_t len, int rank)
{
	struct peer p = {(char *)id, len, 0, rank};
	for (size_t b = 0; b < len; b++)
		p.chars += ((unsigned char)id[b] & 0xC0) != 0x80;
	if (r->n == CORRELATE_MAX && peer_cmp(&p, &r->top[r->n - 1]) >= 0)
		return;
	size_t at = 0; /* where it goes; not at all when there already */
	while (at < r->n && peer_cmp(&r->top[at], &p) < 0)
		at++;
	if (at < r->n && !peer_cmp(&r->top[at], &p))
		return;
	if (r->n == CORRELATE_MAX)
		free(r->top[--r->n].id);
	memmove(r->top + at + 1, r->top + at, (r->n - at) * sizeof *r->top);
	p.id = xmalloc(len + 1);
	memcpy(p.id, id, len);
	p.id[len] = '\0';
	r->top[at] = p;
	r->n++;
}

/* The cases that st (its ?1 bound to key[0..len)) names, into cases. */
static void add_cases(sqlite3_stmt *st, const char *key, size_t len, struct ranked *cases)
{
	sqlite3_bind_text(st, 1, key, (int)len, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		if (c)
			ranked_add(cases, c, (size_t)sqlite3_column_bytes(st, 0), 2);
	}
	sqlite3_reset(st);
}

/* The cases that link item (kind message or check, by its id or, for a
 * check-N, by N). */
static void item_cases(sqlite3_stmt *st, const char *id, size_t len, struct ranked *cases)
{
	add_cases(st, id, len, cases);
	if (len >= 6 && !memcmp(id, "check-", 6))
		add_cases(st, id + 6, len - 6, cases);
}

static int in_own(const char *const *own, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(own[i], id))
			return 1;
	return 0;
}

static int in_keys(const struct buf *keys, const char *k)
{
	for (size_t o = 0; o < keys->len; o += strlen(keys->p + o) + 1)
		if (!strcmp(keys->p + o, k))
			return 1;
	return 0;
}

/* The keys of item (ik: SQL_ITEM_KEYS) not in keys yet, added to it. */
static void item_keys(sqlite3_stmt *ik, const char *item, struct buf *keys)
{
	sqlite3_bind_text(ik, 1, item, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(ik) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(ik, 0);
		if (k && !in_keys(keys, k))
			buf_add(keys, k, strlen(k) + 1);
	}
	sqlite3_reset(ik);
	sqlite3_clear_bindings(ik);
}

/* Whether a document link's item names one of keys as SQL_ALSO_IN reads it:
 * "doc:" and the item in capitals (SQLite's upper: ASCII only), whole or
 * from its 4th or its 8th character (FR:NUMBER, doc:FR:NUMBER). */
static int document_named(const struct buf *keys, const char *item)
{
	static const unsigned skip[] = {0, 3, 7};
	struct buf k = {0};
	int hit = 0;
	for (size_t i = 0; i < 3 && !hit; i++) {
		const char *p = item;
		for (unsigned c = 0; c < skip[i] && *p; c++) /* characters, not bytes */
			for (p++; ((unsigned char)*p & 0xC0) == 0x80; p++)
				;
		k.len = 0;
		buf_adds(&k, "doc:");
		for (; *p; p++)
			buf_addc(&k, *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
		buf_addc(&k, '\0');
		hit = in_keys(keys, k.p);
	}
	buf_free(&k);
	return hit;
}

/*
 * SQL_ALSO_IN by index lookups: the items that share a key with one of
 * own[0..n) (own left out), then the cases that link one of those or of
 * own, or an entity of theirs; the CORRELATE_MAX first in its order, kept
 * as they come. The query built temporary tables for its DISTINCT, NOT IN,
 * IN and UNION on every run, some 290k instructions for a check that had
 * a peer at all (and with a person or document linked to any case, every
 * check ran it).
 *
 * The cases come after every item, so they are looked up only when the
 * items are fewer than are listed: a check of an entity that 20 earlier
 * items name does not look up the cases of each of them (a B-tree seek
 * each, or two) nor read every link to a document.
 */
unsigned long correlate_case_reads;

static jv also_in_lookup(struct store *s, const char *const *own, size_t n)
{
	jv out = jv_array();
	struct buf keys = {0}; /* the keys of own, NUL-terminated, each once */
	struct ranked peers = {0}, cases = {0};
	sqlite3_stmt *ik = store_stmt(s, SQL_ITEM_KEYS), *ki = store_stmt(s, SQL_KEY_ITEMS);
	if (!ik || !ki)
		return out; /* a read error: nothing, as the query gives */
	for (size_t i = 0; i < n; i++)
		item_keys(ik, own[i], &keys);
	for (size_t o = 0; o < keys.len; o += strlen(keys.p + o) + 1) {
		sqlite3_bind_text(ki, 1, keys.p + o, -1, SQLITE_STATIC);
		while (sqlite3_step(ki) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(ki, 0);
			if (!id || in_own(own, n, id))
				continue;
			ranked_add(&peers, id, (size_t)sqlite3_column_bytes(ki, 0),
				   !strncasecmp(id, "check-", 6));
		}
		sqlite3_reset(ki);
	}
	sqlite3_clear_bindings(ki);
	/* Fewer items than are listed: they are all in peers (none was let go). */
	int linked = peers.n < CORRELATE_MAX && any_link(s);
	correlate_case_reads += linked;
	sqlite3_stmt *ic = linked ? store_stmt(s, SQL_ITEM_CASES) : NULL;
	sqlite3_stmt *pc = linked ? store_stmt(s, SQL_PERSON_CASES) : NULL;
	sqlite3_stmt *dl = linked ? store_stmt(s, SQL_DOCUMENT_LINKS) : NULL;
	if (linked && (!ic || !pc || !dl))
		linked = 0; /* a read error: no case, as the query gives none */
	for (size_t i = 0; linked && i < n + peers.n; i++) {
		const char *id = i < n ? own[i] : peers.top[i - n].id;
		item_cases(ic, id, strlen(id), &cases);
	}
	for (size_t o = 0; linked && o < keys.len; o += strlen(keys.p + o) + 1) {
		const char *k = keys.p + o;
		add_cases(pc, k, strlen(k), &cases);
		if (!strncmp(k, "person:", 7))
			add_cases(pc, k + 7, strlen(k + 7), &cases);
	}
	while (linked && keys.len && sqlite3_step(dl) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(dl, 0);
		const char *item = (const char *)sqlite3_column_text(dl, 1);
		if (c && item && document_named(&keys, item))
			ranked_add(&cases, c, (size_t)sqlite3_column_bytes(dl, 0), 2);
	}
	if (linked) {
		sqlite3_reset(dl);
		sqlite3_clear_bindings(ic);
		sqlite3_clear_bindings(pc);
	}
	buf_free(&keys);
	for (size_t i = 0; i < peers.n + cases.n; i++) {
		struct peer *p = i < peers.n ? &peers.top[i] : &cases.top[i - peers.n];
		if (i < CORRELATE_MAX)
			out = jv_array_append(out, jv_string_sized(p->id, (int)p->len));
		free(p->id);
	}
	return out;
}

jv correlate_also_in(struct store *s, jv own)
{
	jv out = jv_array();
	int any = 0;
	if (!correlate_sql_only) {
		const char *ids[CORRELATE_OWN_MAX];
		size_t n = 0;
		int fits = 1;
		jv_array_foreach (own, i, item) {
			if (jv_get_kind(item) == JV_KIND_STRING && n < CORRELATE_OWN_MAX)
				ids[n++] = jv_string_value(item); /* own holds it */
			else
				fits = 0;
			jv_free(item);
		}
		if (fits) {
			jv_free(out);
			out = also_in_lookup(s, ids, n);
			jv_free(own);
			return out;
		}
	}
	sqlite3_stmt *st = store_stmt(s, SQL_ALSO_ANY);
	if (!st) {
		jv_free(own);
		return out;
	}
	/* one item at a time (an item of own found as another's peer only
	 * makes the full query run, which then decides) */
	jv_array_foreach (own, i, item) {
		if (!any && jv_get_kind(item) == JV_KIND_STRING) {
			sqlite3_bind_text(st, 1, jv_string_value(item), -1, SQLITE_TRANSIENT);
			any = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
			sqlite3_reset(st);
		}
		jv_free(item);
	}
	sqlite3_clear_bindings(st);
	if (!any) {
		jv_free(own);
		return out;
	}
	jv text = jv_dump_string(own, 0);
	st = store_stmt(s, SQL_ALSO_IN);
	if (!st) {
		jv_free(text);
		return out;
	}
	sqlite3_bind_text(st, 1, jv_string_value(text), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, CORRELATE_MAX);
	while (sqlite3_step(st) == SQLITE_ROW)
		out = jv_array_append(out, jv_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	jv_free(text);
	return out;
}

void correlate_text(jv also_in, struct buf *b)
{
	int n = jv_get_kind(also_in) == JV_KIND_ARRAY ? jv_array_length(jv_copy(also_in)) : 0;
	for (int i = 0; i < n; i++) {
		jv v = jv_array_get(jv_copy(also_in), i);
		buf_adds(b, i ? ", " : "also in ");
		if (jv_get_kind(v) == JV_KIND_STRING)
			buf_adds(b, jv_string_value(v));
		jv_free(v);
	}
	buf_addc(b, '\0');
	b->len--;
}

/* The incidents of correlate_incidents by index lookups: each open
 * incident's links, read in the order of the items they name, up to the
 * first that shares an entity with the message. SQL_INCIDENTS read, for
 * each of the message's entities, every link of every case (some 150,000
 * instructions a message with one link in the store), and every item that
 * shares one: a flood about one passport that an incident links made each
 * message read all the earlier. via is SQL_INCIDENTS' least "ITEM (KEY)":
 * the items come in ascending order, and none after ITEM can give a lesser
 * via once ITEM " (" is greater than the least found and the least does
 * not begin with ITEM. */
static const char *const SQL_OPEN_INCIDENTS =
    "SELECT id FROM cases WHERE status = 'open' AND kind = 'incident' ORDER BY n";
static const char *const SQL_INCIDENT_PRIORITY =
    "SELECT CASE WHEN record ->> '$.priority' IN ('P1', 'P2', 'P3', 'P4')"
    " THEN record ->> '$.priority' ELSE 'P1' END FROM cases WHERE id = ?1";
static const char *const SQL_CASE_LINKS_RANGE =
    "SELECT item FROM case_links WHERE case_id = ?1 AND kind = ?2 AND item >= ?3 AND item < ?4"
    " ORDER BY item";
/* the cases that link an entity of item ?1 (a person or a document), with how */
static const char *const SQL_ENTITY_VIA =
    "WITH keys(key) AS (SELECT key FROM derived_entities WHERE item = ?1)"
    " SELECT l.case_id, l.kind || ' ' || l.item FROM keys k JOIN case_links l"
    "  ON (l.kind = 'person' AND k.key IN (l.item, 'person:' || l.item))"
    "  OR (l.kind = 'document' AND k.key IN ('doc:' || upper(l.item),"
    "   'doc:' || upper(substr(l.item, 4)), 'doc:' || upper(substr(l.item, 8))))";
/* Whether no item from p on (ascending) gives a via less than least: p
 * " (" sorts after least, and least does not begin with p (then the two
 * differ within p, and p alone decides). */
static int past(const char *p, const char *least)
{
	return strncmp(least, p, strlen(p)) != 0 && strcmp(p, least) > 0;
}

/* The least via of the item p (shares a key of keys; not own) into *least. */
static void item_via(struct store *s, const char *own, const struct buf *keys, const char *p,
		     char **least)
{
	if (!strcmp(p, own))
		return;
	sqlite3_stmt *ik = store_stmt(s, SQL_ITEM_KEYS);
	if (!ik)
		return;
	struct buf how = {0};
	sqlite3_bind_text(ik, 1, p, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(ik) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(ik, 0);
		if (!k || !in_keys(keys, k))
			continue;
		how.len = 0;
		buf_adds(&how, p);
		buf_adds(&how, " (");
		buf_adds(&how, k);
		buf_adds(&how, ")");
		buf_addc(&how, '\0');
		if (!*least || strcmp(how.p, *least) < 0) {
			free(*least);
			*least = xstrdup(how.p);
		}
	}
	sqlite3_reset(ik);
	sqlite3_clear_bindings(ik);
	buf_free(&how);
}

/* The least via through the links of case cid to messages and checks. A
 * link names the item that is its item, or "check-" and its item: a check
 * is linked by its number or by its id. A link whose item begins with a
 * digit is read as a number only: no item of the entity index is digits
 * alone (they are "msg-SITE-N" and "check-C"). */
static char *links_via(struct store *s, const char *own, const struct buf *keys, const char *cid)
{
	static const char *const kinds[] = {"message", "check"};
	/* [lo, hi) of the items, and whether "check-" goes before them; hi
	 * NULL: no bound (a blob, which sorts after any text) */
	static const struct {
		const char *lo, *hi;
		int check;
	} ranges[] = {{"", "0", 0}, {":", NULL, 0}, {"0", ":", 1}};
	char *least = NULL;
	sqlite3_stmt *st = store_stmt(s, SQL_CASE_LINKS_RANGE);
	if (!st)
		return NULL;
	struct buf p = {0};
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_TRANSIENT);
	for (size_t k = 0; k < 2; k++)
		for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
			sqlite3_bind_text(st, 2, kinds[k], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, ranges[r].lo, -1, SQLITE_STATIC);
			if (ranges[r].hi)
				sqlite3_bind_text(st, 4, ranges[r].hi, -1, SQLITE_STATIC);
			else
				sqlite3_bind_blob(st, 4, "\xff", 1, SQLITE_STATIC);
			while (sqlite3_step(st) == SQLITE_ROW) {
				const char *y = (const char *)sqlite3_column_text(st, 0);
				if (!y)
					continue;
				p.len = 0;
				if (ranges[r].check)
					buf_adds(&p, "check-");
				buf_adds(&p, y);
				buf_addc(&p, '\0');
				if (least && past(p.p, least))
					break;
				item_via(s, own, keys, p.p, &least);
			}
			sqlite3_reset(st);
		}
	sqlite3_clear_bindings(st);
	buf_free(&p);
	return least;
}

/*
 * The open incidents, and for each entity key the items their links to
 * messages and checks name: read once a transaction (nobody else writes
 * while it is open), and kept as correlate_link links a message to one.
 * A message is then matched against the keys it names, not against every
 * link of every open incident: with 100 open incidents linking 200
 * messages, each message cost some 300 us, the 20,000 of a feed 7 s.
 */
struct inc_entry {
	size_t ci;      /* the incident, in inc.cases */
	char *least[2]; /* the two least items it links that name the key (by
			   "ITEM (KEY)"), or NULL: a message that is one of
			   them takes the other */
};
struct inc_slot {
	char *key; /* NULL: free */
	struct inc_entry *e;
	size_t n, cap;
};
static struct {
	struct store *s;
	uint64_t tx;
	char **cases; /* the open incidents, oldest first */
	size_t ncases;
	struct inc_slot *slot; /* open addressing, a power of two */
	size_t cap, used;
} inc;

int correlate_uncached;

static void inc_clear(void)
{
	for (size_t i = 0; i < inc.ncases; i++)
		free(inc.cases[i]);
	for (size_t i = 0; i < inc.cap; i++) {
		for (size_t k = 0; k < inc.slot[i].n; k++) {
			free(inc.slot[i].e[k].least[0]);
			free(inc.slot[i].e[k].least[1]);
		}
		free(inc.slot[i].e);
		free(inc.slot[i].key);
	}
	free(inc.cases);
	free(inc.slot);
	memset(&inc, 0, sizeof inc);
}

void correlate_forget(struct store *s)
{
	inc_clear();
	if (links.s == s)
		links.s = NULL;
}

static struct inc_slot *inc_slot(const char *key, int add)
{
	if (add && 2 * (inc.used + 1) > inc.cap) {
		size_t cap = inc.cap ? 2 * inc.cap : 256;
		struct inc_slot *old = inc.slot, *slot = xcalloc(cap, sizeof *slot);
		for (size_t i = 0; i < inc.cap; i++) {
			if (!old[i].key)
				continue;
			size_t h = hash_fnv1a(old[i].key, strlen(old[i].key)) & (cap - 1);
			while (slot[h].key)
				h = (h + 1) & (cap - 1);
			slot[h] = old[i];
		}
		free(old);
		inc.slot = slot;
		inc.cap = cap;
	}
	if (!inc.cap)
		return NULL;
	size_t h = hash_fnv1a(key, strlen(key)) & (inc.cap - 1);
	while (inc.slot[h].key && strcmp(inc.slot[h].key, key))
		h = (h + 1) & (inc.cap - 1);
	if (!inc.slot[h].key) {
		if (!add)
			return NULL;
		inc.slot[h].key = xstrdup(key);
		inc.used++;
	}
	return &inc.slot[h];
}

/* "ITEM (KEY)" into how. */
static void via_text(struct buf *how, const char *item, const char *key)
{
	how->len = 0;
	buf_adds(how, item);
	buf_adds(how, " (");
	buf_adds(how, key);
	buf_adds(how, ")");
	buf_addc(how, '\0');
}

/* Whether item comes before least (NULL: nothing yet) as vias through key. */
static int via_before(const char *item, const char *least, const char *key)
{
	if (!least)
		return 1;
	struct buf a = {0}, b = {0};
	via_text(&a, item, key);
	via_text(&b, least, key);
	int r = strcmp(a.p, b.p) < 0;
	buf_free(&a);
	buf_free(&b);
	return r;
}

/* Item (linked by incident ci) under each of its keys. */
static void inc_add_item(sqlite3_stmt *ik, size_t ci, const char *item)
{
	sqlite3_bind_text(ik, 1, item, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(ik) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(ik, 0);
		if (!k)
			continue;
		struct inc_slot *sl = inc_slot(k, 1);
		size_t i = 0;
		while (i < sl->n && sl->e[i].ci != ci)
			i++;
		if (i == sl->n) {
			if (sl->n == sl->cap) {
				sl->cap = sl->cap ? 2 * sl->cap : 4;
				sl->e = xrealloc(sl->e, sl->cap * sizeof *sl->e);
			}
			sl->e[sl->n++] = (struct inc_entry){ci, {NULL, NULL}};
		}
		char **l = sl->e[i].least;
		if ((l[0] && !strcmp(l[0], item)) || (l[1] && !strcmp(l[1], item)))
			continue; /* linked twice (as a message and as a check) */
		if (via_before(item, l[0], k)) {
			free(l[1]);
			l[1] = l[0];
			l[0] = xstrdup(item);
		} else if (via_before(item, l[1], k)) {
			free(l[1]);
			l[1] = xstrdup(item);
		}
	}
	sqlite3_reset(ik);
	sqlite3_clear_bindings(ik);
}

static const char *const SQL_INCIDENT_LINKS =
    "SELECT item FROM case_links WHERE case_id = ?1 AND kind IN ('message', 'check')";

/* The item a link to a message or a check names, into p: its item, or, when
 * that begins with a digit, "check-" and it (links_via). */
static void link_item(const char *y, struct buf *p)
{
	p->len = 0;
	if (*y >= '0' && *y <= '9')
		buf_adds(p, "check-");
	buf_adds(p, y);
	buf_addc(p, '\0');
}

/* 1 when inc holds this transaction's open incidents, read now if need be;
 * 0 outside a transaction (another program may write between two calls)
 * or on a read error. */
static int inc_ready(struct store *s)
{
	if (correlate_uncached || sqlite3_get_autocommit(store_db(s)))
		return 0;
	if (inc.s == s && inc.tx == store_tx(s))
		return 1;
	inc_clear();
	sqlite3_stmt *oi = store_stmt(s, SQL_OPEN_INCIDENTS);
	sqlite3_stmt *li = store_stmt(s, SQL_INCIDENT_LINKS);
	sqlite3_stmt *ik = store_stmt(s, SQL_ITEM_KEYS);
	if (!oi || !li || !ik)
		return 0;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(oi)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(oi, 0);
		if (inc.ncases == cap) {
			cap = cap ? 2 * cap : 16;
			inc.cases = xrealloc(inc.cases, cap * sizeof *inc.cases);
		}
		inc.cases[inc.ncases++] = xstrdup(c ? c : "");
	}
	sqlite3_reset(oi);
	if (rc != SQLITE_DONE) {
		inc_clear();
		return 0;
	}
	struct buf p = {0};
	for (size_t ci = 0; ci < inc.ncases; ci++) {
		sqlite3_bind_text(li, 1, inc.cases[ci], -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(li)) == SQLITE_ROW) {
			const char *y = (const char *)sqlite3_column_text(li, 0);
			if (!y || sqlite3_column_type(li, 0) != SQLITE_TEXT)
				continue; /* a blob names no item (links_via reads text) */
			link_item(y, &p);
			inc_add_item(ik, ci, p.p);
		}
		sqlite3_reset(li);
		sqlite3_clear_bindings(li);
		if (rc != SQLITE_DONE)
			break;
	}
	buf_free(&p);
	if (rc != SQLITE_DONE) {
		inc_clear();
		return 0;
	}
	inc.s = s;
	inc.tx = store_tx(s);
	return 1;
}

/* The least via of each open incident through its links, from inc: leasts
 * (inc.ncases, NULL or allocated) for message own of keys. */
static void inc_vias(const char *own, const struct buf *keys, char **leasts)
{
	struct buf how = {0};
	for (size_t o = 0; o < keys->len; o += strlen(keys->p + o) + 1) {
		const char *k = keys->p + o;
		struct inc_slot *sl = inc_slot(k, 0);
		for (size_t i = 0; sl && i < sl->n; i++) {
			const struct inc_entry *e = &sl->e[i];
			const char *item =
			    e->least[0] && strcmp(e->least[0], own) ? e->least[0] : e->least[1];
			if (!item) /* none, or own alone */
				continue;
			via_text(&how, item, k);
			if (!leasts[e->ci] || strcmp(how.p, leasts[e->ci]) < 0) {
				free(leasts[e->ci]);
				leasts[e->ci] = xstrdup(how.p);
			}
		}
	}
	buf_free(&how);
}

static jv incidents_lookup(struct store *s, const char *id)
{
	jv out = jv_array();
	struct buf keys = {0};
	sqlite3_stmt *ik = store_stmt(s, SQL_ITEM_KEYS);
	if (!ik)
		return out;
	item_keys(ik, id, &keys);
	if (!keys.len)
		return out; /* no key: no peer and no entity linked */
	/* the cases that link an entity of id: few, kept aside */
	jv entity_via = jv_array();
	sqlite3_stmt *ev = store_stmt(s, SQL_ENTITY_VIA);
	if (ev) {
		sqlite3_bind_text(ev, 1, id, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(ev) == SQLITE_ROW) {
			const char *c = (const char *)sqlite3_column_text(ev, 0);
			const char *how = (const char *)sqlite3_column_text(ev, 1);
			if (c && how)
				entity_via = jv_array_append(
				    entity_via, JV_ARRAY(jv_string(c), jv_string(how)));
		}
		sqlite3_reset(ev);
		sqlite3_clear_bindings(ev);
	}
	/* the open incidents, each with its least via, in their order */
	struct buf ids = {0};
	char **leasts = NULL;
	if (inc_ready(s)) {
		for (size_t ci = 0; ci < inc.ncases; ci++) {
			buf_adds(&ids, inc.cases[ci]);
			buf_addc(&ids, '\0');
		}
		leasts = xcalloc(inc.ncases + 1, sizeof *leasts);
		inc_vias(id, &keys, leasts);
	} else {
		sqlite3_stmt *oi = store_stmt(s, SQL_OPEN_INCIDENTS);
		while (oi && sqlite3_step(oi) == SQLITE_ROW) {
			const char *c = (const char *)sqlite3_column_text(oi, 0);
			buf_adds(&ids, c ? c : "");
			buf_addc(&ids, '\0');
		}
		if (oi)
			sqlite3_reset(oi);
	}
	size_t ci = 0;
	for (size_t o = 0; o < ids.len; o += strlen(ids.p + o) + 1, ci++) {
		const char *c = ids.p + o;
		char *least = leasts ? leasts[ci] : links_via(s, id, &keys, c);
		jv_array_foreach (entity_via, i, e) {
			jv ec = jv_array_get(jv_copy(e), 0), eh = jv_array_get(jv_copy(e), 1);
			if (!strcmp(jv_string_value(ec), c) &&
			    (!least || strcmp(jv_string_value(eh), least) < 0)) {
				free(least);
				least = xstrdup(jv_string_value(eh));
			}
			jv_free(ec);
			jv_free(eh);
			jv_free(e);
		}
		sqlite3_stmt *ip = least ? store_stmt(s, SQL_INCIDENT_PRIORITY) : NULL;
		if (ip) {
			sqlite3_bind_text(ip, 1, c, -1, SQLITE_STATIC);
			const char *pr = sqlite3_step(ip) == SQLITE_ROW
					     ? (const char *)sqlite3_column_text(ip, 0)
					     : NULL;
			out = jv_array_append(out, JV_OBJECT(jv_string("case"), jv_string(c),
							     jv_string("priority"),
							     jv_string(pr ? pr : "P1"),
							     jv_string("via"), jv_string(least)));
			sqlite3_reset(ip);
			sqlite3_clear_bindings(ip);
		}
		free(least);
	}
	jv_free(entity_via);
	free(leasts);
	buf_free(&ids);
	buf_free(&keys);
	return out;
}

jv correlate_incidents(struct store *s, const char *id)
{
	/* an incident is correlated through a link only */
	if (!any_link(s))
		return jv_array();
	if (!correlate_sql_only)
		return incidents_lookup(s, id);
	jv out = jv_array();
	sqlite3_stmt *st = store_stmt(s, SQL_INCIDENTS);
	if (!st)
		return out;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		out = jv_array_append(
		    out,
		    JV_OBJECT(
			jv_string("case"), jv_string((const char *)sqlite3_column_text(st, 0)),
			jv_string("priority"), jv_string((const char *)sqlite3_column_text(st, 1)),
			jv_string("via"), jv_string((const char *)sqlite3_column_text(st, 2))));
	sqlite3_reset(st);
	return out;
}

int correlate_has_keys(struct store *s, const char *id)
{
	sqlite3_stmt *st = store_stmt(s, SQL_HAS_KEYS);
	if (!st)
		return 1; /* the full queries decide */
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc != SQLITE_DONE;
}

int correlate_link(struct store *s, const char *cid, const char *id, const char *reason)
{
	char now[RFC3339_LEN];
	clock_format(clock_now(), now);
	sqlite3_stmt *st = store_stmt(s, SQL_LINK);
	if (!st)
		return store_error(s, SQLITE_MISUSE, "linking a message to its incident");
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, store_actor(s), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "linking a message to its incident");
	if (sqlite3_changes(store_db(s)) == 0)
		return 0;                          /* linked before */
	links.s = NULL;                            /* a case links something now */
	if (inc.s == s && inc.tx == store_tx(s)) { /* the open incidents read: one more link */
		size_t ci = 0;
		while (ci < inc.ncases && strcmp(inc.cases[ci], cid))
			ci++;
		sqlite3_stmt *ik = ci < inc.ncases ? store_stmt(s, SQL_ITEM_KEYS) : NULL;
		if (ik) {
			struct buf p = {0};
			link_item(id, &p);
			inc_add_item(ik, ci, p.p);
			buf_free(&p);
		} else if (ci < inc.ncases) {
			correlate_forget(s);
		}
	}
	/* logged as ccc-case logs a link (case_link), for its timeline */
	st = store_stmt(s, SQL_CASE_LOG);
	if (!st)
		return store_error(s, SQLITE_MISUSE, "logging a link");
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, store_actor(s), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "logging a link");
}

/* "YYYY-MM-DD" of t (UTC), clamped to the years clock_parse reads (four
 * digits); by arithmetic (the proleptic Gregorian calendar from days since
 * the epoch), as gmtime_r and snprintf cost 2,000 instructions a call. */
static void day_of(time_t t, char out[11])
{
	long long z = (long long)(t >= 0 ? t / 86400 : (t - 86399) / 86400) + 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
	long long y = yoe + era * 400 + (m <= 2);
	if (y < 0) {
		memcpy(out, "0000-00-00", 11);
		return;
	}
	if (y > 9999) {
		memcpy(out, "9999-99-99", 11);
		return;
	}
	int v[3] = {(int)y, m, d}, w[3] = {4, 2, 2};
	char *p = out;
	for (int i = 0; i < 3; i++) {
		for (int k = w[i] - 1; k >= 0; k--, v[i] /= 10)
			p[k] = (char)('0' + v[i] % 10);
		p += w[i];
		*p++ = i < 2 ? '-' : '\0';
	}
}

/* Whether (at, item) comes before (bat, bitem): SQLite's BINARY order. */
static int before(const char *at, const char *item, const char *bat, const char *bitem)
{
	int c = strcmp(at, bat);
	return c < 0 || (c == 0 && strcmp(item, bitem) < 0);
}

int correlate_first_peer(struct store *s, const char *id, time_t received, long window,
			 int (*ok)(struct store *, const char *, const char *, void *), void *arg,
			 char *peer, size_t peersz, char *key, size_t keysz)
{
	/* A received_at that clock_parse reads within window of received
	 * begins with a date at most a day from it (its offset is under 24
	 * hours): only those are read. */
	char from[11], to[11];
	day_of(received - window - 86400, from);
	day_of(received + window + 2 * 86400, to);
	struct buf keys = {0};
	char *bat = NULL, *bitem = NULL;
	sqlite3_stmt *ik = store_stmt(s, SQL_ITEM_KEYS), *km = store_stmt(s, SQL_KEY_MESSAGES);
	if (!ik || !km)
		return 0; /* a read error: no peer */
	item_keys(ik, id, &keys);
	/* each key's first that will do, and the first of those */
	for (size_t o = 0; o < keys.len; o += strlen(keys.p + o) + 1) {
		sqlite3_bind_text(km, 1, keys.p + o, -1, SQLITE_STATIC);
		sqlite3_bind_text(km, 2, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(km, 3, to, -1, SQLITE_STATIC);
		while (sqlite3_step(km) == SQLITE_ROW) {
			const char *item = (const char *)sqlite3_column_text(km, 0);
			const char *at = (const char *)sqlite3_column_text(km, 1);
			if (!item || !at || !strcmp(item, id))
				continue;
			if (bitem && !before(at, item, bat, bitem))
				break; /* no better than the one in hand */
			if (ok(s, item, at, arg)) {
				free(bat);
				free(bitem);
				bat = xstrdup(at);
				bitem = xstrdup(item);
				break;
			}
		}
		sqlite3_reset(km);
	}
	sqlite3_clear_bindings(km);
	int found = bitem != NULL;
	if (found) {
		/* the first key (in bytes) the two share: of the peer's keys */
		char *first = NULL;
		sqlite3_bind_text(ik, 1, bitem, -1, SQLITE_STATIC);
		while (sqlite3_step(ik) == SQLITE_ROW) {
			const char *k = (const char *)sqlite3_column_text(ik, 0);
			if (k && in_keys(&keys, k) && (!first || strcmp(k, first) < 0)) {
				free(first);
				first = xstrdup(k);
			}
		}
		sqlite3_reset(ik);
		sqlite3_clear_bindings(ik);
		snprintf(peer, peersz, "%s", bitem);
		snprintf(key, keysz, "%s", first ? first : "");
		free(first);
	}
	free(bat);
	free(bitem);
	buf_free(&keys);
	return found;
}
