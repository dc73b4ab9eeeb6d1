/*
 * changeset.c: SQLite session changesets as JSON, and the key counts they
 * change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "ccc/changeset.h"
#include "ccc/digest.h"
#include "ccc/entity-keys.h"
#include "ccc/hash.h"
#include "ccc/json.h"
#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

jv changeset_value_jv(sqlite3_value *v)
{
	if (!v)
		return jv_null();
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER: return jv_number((double)sqlite3_value_int64(v));
	case SQLITE_FLOAT: return jv_number(sqlite3_value_double(v));
	case SQLITE_TEXT: {
		const char *t = (const char *)sqlite3_value_text(v);
		int n = sqlite3_value_bytes(v);
		if (utf8_valid(t, (size_t)n))
			return jv_string_sized(t, n);
	}
		__attribute__((fallthrough)); /* not UTF-8: as a blob */
	case SQLITE_BLOB: {
		int n = sqlite3_value_bytes(v);
		char *b = xmalloc(base64_len((size_t)n) + 8);
		memcpy(b, "base64:", 7);
		base64_encode(sqlite3_value_blob(v), (size_t)n, b + 7);
		jv r = jv_string(b);
		free(b);
		return r;
	}
	default: return jv_null();
	}
}

/* A row of a change, keyed by the column names that cols (pragma_table_info
 * of the change's table, bound and reset here) gives. */
static jv row_jv(sqlite3_stmt *cols, const char *table, sqlite3_changeset_iter *it, int ncol,
		 int new)
{
	jv row = jv_object();
	sqlite3_bind_text(cols, 1, table, -1, SQLITE_STATIC);
	for (int i = 0; i < ncol; i++) {
		sqlite3_value *v = NULL;
		int rc = new ? sqlite3changeset_new(it, i, &v) : sqlite3changeset_old(it, i, &v);
		char col[32];
		const char *name = col;
		snprintf(col, sizeof col, "%d", i);
		if (sqlite3_step(cols) == SQLITE_ROW)
			name = (const char *)sqlite3_column_text(cols, 0);
		if (rc == SQLITE_OK && v)
			row = jv_object_set(row, jv_string(name), changeset_value_jv(v));
	}
	sqlite3_reset(cols);
	return row;
}

static int well_formed(const uint8_t *p, size_t n);

jv changeset_changes_jv(sqlite3 *db, const void *cs, int n)
{
	sqlite3_changeset_iter *it;
	sqlite3_stmt *cols = NULL;
	jv arr = jv_array();
	if (db && sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", -1,
				     &cols, NULL) != SQLITE_OK)
		cols = NULL;
	if (n < 0 || (n > 0 && !well_formed(cs, (size_t)n)) ||
	    sqlite3changeset_start(&it, n, (void *)cs) != SQLITE_OK) {
		sqlite3_finalize(cols);
		return arr;
	}
	while (sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *table;
		int ncol, op, ind, npk;
		unsigned char *pk;
		sqlite3changeset_op(it, &table, &ncol, &op, &ind);
		sqlite3changeset_pk(it, &pk, &npk);
		jv key = jv_array();
		for (int i = 0; i < ncol; i++) {
			if (!pk[i])
				continue;
			sqlite3_value *v = NULL;
			if (op == SQLITE_INSERT)
				sqlite3changeset_new(it, i, &v);
			else
				sqlite3changeset_old(it, i, &v);
			key = jv_array_append(key, changeset_value_jv(v));
		}
		jv c = jv_object();
		c = jv_object_set(c, jv_string("table"), jv_string(table));
		c = jv_object_set(c, jv_string("op"),
				  jv_string(op == SQLITE_INSERT   ? "insert"
					    : op == SQLITE_DELETE ? "delete"
								  : "update"));
		c = jv_object_set(c, jv_string("key"), key);
		if (cols && op != SQLITE_DELETE)
			c = jv_object_set(c, jv_string("new"), row_jv(cols, table, it, ncol, 1));
		if (cols && op != SQLITE_INSERT)
			c = jv_object_set(c, jv_string("old"), row_jv(cols, table, it, ncol, 0));
		arr = jv_array_append(arr, c);
	}
	sqlite3changeset_finalize(it);
	sqlite3_finalize(cols);
	return arr;
}

/* An SQLite varint at *p (before end) into *v; 0, or -1 past the end. */
static int varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (int i = 0; i < 9; i++) {
		if (*p >= end)
			return -1;
		uint8_t b = *(*p)++;
		if (i == 8) {
			*v = (*v << 8) | b;
			return 0;
		}
		*v = (*v << 7) | (b & 0x7f);
		if (!(b & 0x80))
			return 0;
	}
	return 0;
}

/*
 * nCol values of a change record; 0, or -1 when they do not fit, or when a
 * value that must be there is undefined: every one of an insert's or a
 * delete's (all), the primary key's of an update's old values (pk[i]).
 */
static int record(const uint8_t **p, const uint8_t *end, uint64_t ncol, const uint8_t *pk, int all)
{
	for (uint64_t i = 0; i < ncol; i++) {
		uint64_t size;
		if (*p >= end)
			return -1;
		switch (*(*p)++) {
		case 0: /* undefined (an update's unchanged column) */
			if (all || (pk && pk[i]))
				return -1; /* SQLite's apply reads it, and crashes */
			break;
		case SQLITE_NULL: break;
		case SQLITE_INTEGER:
		case SQLITE_FLOAT:
			if (end - *p < 8)
				return -1;
			*p += 8;
			break;
		case SQLITE_TEXT:
		case SQLITE_BLOB:
			if (varint(p, end, &size) || size > (uint64_t)(end - *p))
				return -1;
			*p += size;
			break;
		default: return -1;
		}
	}
	return 0;
}

/*
 * Walk the changeset format (sqlite3session.h, "Changeset Format") to its
 * end without SQLite: every table header with its NUL-terminated name, every
 * change with its records inside the buffer. SQLite's own iterator is only
 * given what passes: some malformed changesets make it loop for ever.
 */
static int well_formed(const uint8_t *p, size_t n)
{
	const uint8_t *end = p + n, *pk = NULL;
	uint64_t ncol = 0;
	while (p < end) {
		uint8_t op = *p++;
		if (op == 'T') {
			if (varint(&p, end, &ncol) || ncol == 0 || ncol > 32767 ||
			    ncol > (uint64_t)(end - p))
				return 0;
			pk = p;
			p += ncol; /* the primary key flags */
			const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
			if (!nul || nul == p)
				return 0;
			p = nul + 1;
			continue;
		}
		if (!ncol || p >= end) /* a change before any table, or cut short */
			return 0;
		p++; /* indirect flag */
		if (op == SQLITE_INSERT || op == SQLITE_DELETE) {
			if (record(&p, end, ncol, NULL, 1))
				return 0;
		} else if (op == SQLITE_UPDATE) {
			if (record(&p, end, ncol, pk, 0) || record(&p, end, ncol, NULL, 0))
				return 0;
		} else {
			return 0;
		}
	}
	return 1;
}

int changeset_find_table(const void *cs, int n, int (*allowed)(const char *), char *table,
			 size_t len)
{
	sqlite3_changeset_iter *it;
	int rc, found = 0;
	if (n < 0 || (n > 0 && !well_formed(cs, (size_t)n)) ||
	    sqlite3changeset_start(&it, n, (void *)cs) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
		const char *name;
		int ncol, op, ind;
		if (sqlite3changeset_op(it, &name, &ncol, &op, &ind) != SQLITE_OK || !name) {
			rc = SQLITE_CORRUPT;
			break;
		}
		if (!allowed(name)) {
			snprintf(table, len, "%s", name);
			found = 1;
			break;
		}
	}
	if (sqlite3changeset_finalize(it) != SQLITE_OK && !found)
		rc = SQLITE_CORRUPT;
	return found ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int changeset_filter(const void *cs, size_t n, int (*keep)(const char *), struct buf *out)
{
	const uint8_t *p = cs, *end = p + n;
	int kept = 0;
	uint64_t ncol = 0;
	if (n && !well_formed(p, n))
		return -1;
	while (p < end) {
		const uint8_t *start = p;
		uint8_t op = *p++;
		if (op == 'T') {
			(void)varint(&p, end, &ncol); /* well formed: it fits */
			p += ncol;                    /* the primary key flags */
			const char *name = (const char *)p;
			p += strlen(name) + 1;
			kept = keep(name);
			if (kept)
				buf_add(out, start, (size_t)(p - start));
			continue;
		}
		p++; /* indirect flag */
		if (op == SQLITE_UPDATE)
			(void)record(&p, end, ncol, NULL, 0);
		(void)record(&p, end, ncol, NULL, 0);
		if (kept)
			buf_add(out, start, (size_t)(p - start));
	}
	return 0;
}

/* A key's change of count: the key (in the changeset), its length, the sum. */
struct key_delta {
	const uint8_t *key;
	uint32_t len;
	int delta;
	int rows;  /* its entries the changeset changes */
	int dirty; /* its packs are kept: its changed ids are listed (keypack.h) */
};

/* The table of keys: open addressing, a power of two at least twice the keys. */
struct key_table {
	struct key_delta *slot;
	size_t cap, n;
};

/* Count a change of key's entries (delta: +1, -1, or 0 for a signature): its
 * slot. */
static size_t key_add(struct key_table *t, const uint8_t *key, uint32_t len, int delta)
{
	if (2 * (t->n + 1) > t->cap) {
		struct key_table g = {xcalloc(t->cap ? 2 * t->cap : 4096, sizeof *g.slot),
				      t->cap ? 2 * t->cap : 4096, 0};
		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i].key) {
				size_t j =
				    key_add(&g, t->slot[i].key, t->slot[i].len, t->slot[i].delta);
				g.slot[j].rows = t->slot[i].rows;
			}
		free(t->slot);
		*t = g;
	}
	size_t i = hash_fnv1a((const char *)key, len) & (t->cap - 1);
	while (t->slot[i].key && (t->slot[i].len != len || memcmp(t->slot[i].key, key, len) != 0))
		i = (i + 1) & (t->cap - 1);
	if (!t->slot[i].key) {
		t->slot[i] = (struct key_delta){key, len, 0, 0, 0};
		t->n++;
	}
	t->slot[i].delta += delta;
	t->slot[i].rows++;
	return i;
}

/* A TEXT value of a change record at *p, which it passes: 0, or -1 when the
 * value there is not TEXT. */
static int text_value(const uint8_t **p, const uint8_t *end, const uint8_t **s, uint32_t *len)
{
	uint64_t size;
	if (*p >= end || *(*p)++ != SQLITE_TEXT || varint(p, end, &size) ||
	    size > (uint64_t)(end - *p) || size >= UINT32_MAX)
		return -1;
	*s = *p;
	*len = (uint32_t)size;
	*p += size;
	return 0;
}

/*
 * The person_keys rows a changeset inserts (+1), deletes (-1) and updates
 * (0: a signature), walked as well_formed does, each handed to row with its
 * key and id (the first two values of the row, or of an update's old
 * values). 0, or -1 when the changeset is not well formed.
 */
static int key_rows(const uint8_t *p, size_t n,
		    void (*each)(void *, const uint8_t *key, uint32_t klen, const uint8_t *id,
				 uint32_t idlen, int delta),
		    void *ctx)
{
	const uint8_t *end = p + n, *pk = NULL;
	uint64_t ncol = 0;
	int keys = 0;
	while (p < end) {
		uint8_t op = *p++;
		if (op == 'T') {
			if (varint(&p, end, &ncol) || ncol == 0 || ncol > (uint64_t)(end - p))
				return -1;
			pk = p;
			p += ncol;
			const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
			if (!nul)
				return -1;
			keys = !strcmp((const char *)p, "person_keys");
			p = nul + 1;
			continue;
		}
		if (!ncol || p >= end)
			return -1;
		p++; /* indirect flag */
		const uint8_t *row = p;
		if (op == SQLITE_UPDATE) {
			/* a key's signature changes, not its count: the key is
			 * listed, with nothing to add, for its packs (keypack.h) */
			if (record(&p, end, ncol, pk, 0) || record(&p, end, ncol, NULL, 0))
				return -1;
		} else if (op != SQLITE_INSERT && op != SQLITE_DELETE) {
			return -1;
		} else if (record(&p, end, ncol, NULL, 1)) {
			return -1;
		}
		int delta = op == SQLITE_INSERT ? 1 : op == SQLITE_DELETE ? -1 : 0;
		const uint8_t *key, *id;
		uint32_t klen, idlen;
		if (keys && !text_value(&row, end, &key, &klen) &&
		    !text_value(&row, end, &id, &idlen))
			each(ctx, key, klen, id, idlen, delta);
	}
	return 0;
}

static void count_row(void *ctx, const uint8_t *key, uint32_t klen, const uint8_t *id,
		      uint32_t idlen, int delta)
{
	(void)id;
	(void)idlen;
	(void)key_add(ctx, key, klen, delta);
}

/* a key whose entries change is packed again (keypack.h): from the index if
 * it had no packs (0: the commonest, keys of few entries), else from its
 * packs and the ids listed, as many as packed - 1 says (at most: an id may
 * change twice), until they pass one in 32 of its entries: then from the
 * index (0). Listing an id and looking it up costs, by estimate, some seven
 * times what packing an entry from the index does, so past an eighth the index is
 * cheaper; and a load that changes a key so much (a bulk load) would list
 * ids to no purpose until then: one in 32 wastes a quarter of that, and
 * still merges a load of a few percent of the persons. A key new or without
 * packs takes one statement (a key counted for the first time is inserted;
 * one whose count falls to 0 or below, even that way, is deleted: DROP); a
 * packed key, two. Not one with RETURNING, which SQLite runs through a
 * table of its own: three times the cost. */
static const char *const SQL_COUNT_ADD =
    "INSERT INTO derived_key_counts(key, n) VALUES (?1, ?2)"
    " ON CONFLICT (key) DO UPDATE SET n = n + excluded.n WHERE packed = 0";
static const char *const SQL_COUNT_ADD_PACKED =
    "UPDATE derived_key_counts SET n = n + ?2,"
    " packed = CASE WHEN (packed - 1 + ?3) * 32 > n + ?2 THEN 0 ELSE packed + ?3 END"
    " WHERE key = ?1";
static const char *const SQL_COUNT_DROP =
    "DELETE FROM derived_key_counts WHERE key = ?1 AND n <= 0";
static const char *const SQL_DIRTY =
    "INSERT INTO derived_key_dirty(key, id) VALUES (?1, ?2) ON CONFLICT DO NOTHING";

/* Keys in the order of the table (BINARY: the bytes, then the length). */
static int by_key(const void *a, const void *b)
{
	const struct key_delta *x = a, *y = b;
	int d = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
	return d ? d : (x->len > y->len) - (x->len < y->len);
}

static int step_key(sqlite3 *db, sqlite3_stmt *st, const struct key_delta *d)
{
	sqlite3_bind_text(st, 1, (const char *)d->key, (int)d->len, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) > 1)
		sqlite3_bind_int(st, 2, d->delta);
	if (sqlite3_bind_parameter_count(st) > 2)
		sqlite3_bind_int(st, 3, d->rows);
	int rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	sqlite3_reset(st);
	return rc;
}

/* Key d gets its delta: counted (one seek), or its count updated, or (two)
 * a packed key's updated and its ids to be listed (d->dirty). */
static int step_add(sqlite3 *db, sqlite3_stmt *add, sqlite3_stmt *packed, struct key_delta *d)
{
	int rc = step_key(db, add, d);
	if (rc == SQLITE_OK && !sqlite3_changes(db) && (rc = step_key(db, packed, d)) == SQLITE_OK)
		d->dirty = sqlite3_changes(db) > 0;
	return rc;
}

/* The ids a changeset changes in keys whose packs are kept (dirty), listed
 * in derived_key_dirty for keypack_pending. */
struct dirty_ids {
	const struct key_delta *keys; /* sorted, by_key */
	size_t n;
	sqlite3_stmt *ins;
	int rc;
};

static void dirty_row(void *ctx, const uint8_t *key, uint32_t klen, const uint8_t *id,
		      uint32_t idlen, int delta)
{
	struct dirty_ids *d = ctx;
	(void)delta;
	struct key_delta k = {key, klen, 0, 0, 0};
	const struct key_delta *found = bsearch(&k, d->keys, d->n, sizeof k, by_key);
	if (d->rc != SQLITE_OK || !found || !found->dirty)
		return;
	sqlite3_bind_text(d->ins, 1, (const char *)key, (int)klen, SQLITE_STATIC);
	sqlite3_bind_text(d->ins, 2, (const char *)id, (int)idlen, SQLITE_STATIC);
	if (sqlite3_step(d->ins) != SQLITE_DONE)
		d->rc = sqlite3_errcode(sqlite3_db_handle(d->ins));
	sqlite3_reset(d->ins);
}

/* The counts, for the changes of the tables filter (if any) lets through. */
static int count_keys(sqlite3 *db, const void *cs, int n, int (*filter)(void *, const char *),
		      void *ctx)
{
	struct key_table t = {0};
	if (n < 0 || key_rows(cs, (size_t)n, count_row, &t) < 0) {
		free(t.slot);
		return SQLITE_CORRUPT;
	}
	/* the keys whose entries change, once each, in the order of the table:
	 * a batch of a load changes the counts of most keys, and in order each
	 * page of the counts is visited once. A key whose count does not
	 * change (a signature updated, a row deleted and inserted again) is
	 * still marked unpacked. */
	size_t nd = 0;
	for (size_t i = 0; i < t.cap; i++)
		if (t.slot[i].key)
			t.slot[nd++] = t.slot[i];
	/* a filter that leaves out person_keys leaves their counts alone */
	if (nd && filter && !filter(ctx, "person_keys"))
		nd = 0;
	if (nd > 1)
		qsort(t.slot, nd, sizeof *t.slot, by_key);
	int rc = SQLITE_OK, dirty = 0;
	sqlite3_stmt *add = NULL, *addp = NULL, *drop = NULL;
	if (nd &&
	    ((rc = sqlite3_prepare_v2(db, SQL_COUNT_ADD, -1, &add, NULL)) != SQLITE_OK ||
	     (rc = sqlite3_prepare_v2(db, SQL_COUNT_ADD_PACKED, -1, &addp, NULL)) != SQLITE_OK ||
	     (rc = sqlite3_prepare_v2(db, SQL_COUNT_DROP, -1, &drop, NULL)) != SQLITE_OK))
		nd = 0;
	for (size_t i = 0; i < nd && rc == SQLITE_OK; i++) {
		struct key_delta *d = &t.slot[i];
		rc = step_add(db, add, addp, d);
		dirty |= d->dirty;
		if (rc == SQLITE_OK && d->delta <= 0)
			rc = step_key(db, drop, d);
	}
	/* a packed key's changed ids, for a pack merged with them: a load of
	 * a few persons into a million repacks the keys they name from their
	 * packs, not from the index (keypack.h) */
	if (rc == SQLITE_OK && dirty) {
		struct dirty_ids di = {t.slot, nd, NULL, SQLITE_OK};
		if ((rc = sqlite3_prepare_v2(db, SQL_DIRTY, -1, &di.ins, NULL)) == SQLITE_OK) {
			(void)key_rows(cs, (size_t)n, dirty_row, &di);
			rc = di.rc;
		}
		sqlite3_finalize(di.ins);
	}
	sqlite3_finalize(add);
	sqlite3_finalize(addp);
	sqlite3_finalize(drop);
	free(t.slot);
	return rc;
}

/*
 * The entity index of the messages a changeset inserts. On every site the
 * index (derived_entities) is kept by triggers on messages and
 * consultations; a trigger is a subprogram run for each row, and for an
 * entry of a thousand messages that name nothing it costs a tenth of the
 * apply to find, row by row, that there is nothing to index. When all a
 * changeset does to those two tables is to insert messages, it is applied
 * with the triggers off, and what message_entities_in would have written is
 * written here, with the same SQL (entity-keys.h), for the rows that can
 * have a key (entity_keys_possible). A record that check cannot call valid
 * JSON goes through SQLite's JSON too, which refuses a malformed one as the
 * trigger does.
 */
struct msg_row {
	int64_t n;
	const char *rec;
	size_t len;
};

struct msg_rows {
	struct msg_row *row;
	size_t n, cap;
};

static int64_t int_be(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return (int64_t)v;
}

/*
 * The messages rows changeset p (n bytes, well formed) inserts, into r.
 * 1 when that is all it does to messages and consultations (then r may be
 * empty); 0 when it changes them otherwise (the triggers do the work).
 */
static int message_inserts(const uint8_t *p, size_t n, struct msg_rows *r)
{
	const uint8_t *end = p + n;
	uint64_t ncol = 0;
	int table = 0; /* 1: messages, 2: consultations */
	while (p < end) {
		uint8_t op = *p++;
		if (op == 'T') {
			if (varint(&p, end, &ncol) || ncol > (uint64_t)(end - p))
				return 0;
			p += ncol;
			const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
			if (!nul)
				return 0;
			table = !strcmp((const char *)p, "messages")        ? 1
				: !strcmp((const char *)p, "consultations") ? 2
									    : 0;
			p = nul + 1;
			continue;
		}
		if (p >= end)
			return 0;
		p++; /* indirect flag */
		const uint8_t *row = p;
		if (op == SQLITE_UPDATE) {
			if (table || record(&p, end, ncol, NULL, 0) ||
			    record(&p, end, ncol, NULL, 0))
				return 0;
			continue;
		}
		if (record(&p, end, ncol, NULL, 1) || (table && op != SQLITE_INSERT) || table == 2)
			return 0;
		if (!table)
			continue;
		/* messages(n INTEGER PRIMARY KEY, id, dkey, record, ...) */
		struct msg_row m = {0, NULL, 0};
		for (uint64_t i = 0; i < ncol && i < 4; i++) {
			uint8_t type = *row++;
			uint64_t len = 8;
			if (type == SQLITE_INTEGER && i == 0)
				m.n = int_be(row);
			else if ((type == SQLITE_TEXT || type == SQLITE_BLOB) &&
				 varint(&row, end, &len))
				return 0;
			else if (type == SQLITE_NULL)
				len = 0;
			if (type == SQLITE_TEXT && i == 3) {
				m.rec = (const char *)row;
				m.len = (size_t)len;
			}
			row += len;
		}
		if (!m.rec)
			return 0; /* not the row it should be: SQLite says what is wrong */
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 64;
			r->row = xrealloc(r->row, r->cap * sizeof *r->row);
		}
		r->row[r->n++] = m;
	}
	return 1;
}

/* 1 when every name in text[0..len) is the member "name":[] */
static int only_empty(const char *text, size_t len, const char *name)
{
	size_t k = strlen(name);
	for (const char *p = text, *end = text + len; (p = memmem(p, (size_t)(end - p), name, k));
	     p += k)
		if (p == text || p[-1] != '"' || (size_t)(end - p) < k + 4 ||
		    memcmp(p + k, "\":[]", 4) != 0)
			return 0;
	return 1;
}

int entity_keys_possible(const char *rec, size_t len, int check_json)
{
	/* a record from elsewhere is validated, and read for the names on the
	 * way: one pass, where the words were three more */
	static const char *const names[] = {"entities", "checks"};
	if (check_json)
		return json_validate_names(rec, len, names, 2) != 0;
	return !only_empty(rec, len, "entities") || !only_empty(rec, len, "checks") ||
	       memmem(rec, len, "\\u", 2);
}

static int index_rows(sqlite3 *db, const struct msg_rows *r)
{
	sqlite3_stmt *st = NULL;
	int rc = SQLITE_OK;
	for (size_t i = 0; i < r->n && rc == SQLITE_OK; i++) {
		if (!entity_keys_possible(r->row[i].rec, r->row[i].len, 1))
			continue;
		if (!st &&
		    (rc = sqlite3_prepare_v2(db, MESSAGE_ROW_KEYS_SQL, -1, &st, NULL)) != SQLITE_OK)
			break;
		sqlite3_bind_int64(st, 1, r->row[i].n);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* A change of a table block, and the primary key it has. */
struct change_span {
	const uint8_t *start, *rec; /* the change; its record holding the key */
	size_t len;
	size_t order; /* where it was: ties keep it */
};

/* The key of a record: ncol values, the primary key's (pk[i]) compared in
 * column order as SQLite's BINARY collation orders them (NULL, numbers,
 * text, blobs; text and blobs by bytes, the shorter first on a tie). */
struct table_key {
	const uint8_t *pk;
	uint64_t ncol;
};

static int value_class(uint8_t type)
{
	return type == SQLITE_NULL ? 0 : type == SQLITE_TEXT ? 2 : type == SQLITE_BLOB ? 3 : 1;
}

static double value_num(uint8_t type, const uint8_t *v)
{
	int64_t i = int_be(v);
	if (type == SQLITE_INTEGER)
		return (double)i;
	double d;
	memcpy(&d, &i, sizeof d);
	return d;
}

/* The next value at *p (well formed): its type, its bytes and length. */
static uint8_t value_at(const uint8_t **p, const uint8_t **v, uint64_t *len)
{
	uint8_t type = *(*p)++;
	*len = 0;
	if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
		*len = 8;
	else if (type == SQLITE_TEXT || type == SQLITE_BLOB)
		(void)varint(p, *p + 9, len);
	*v = *p;
	*p += *len;
	return type;
}

static int by_pk(const void *x, const void *y, void *table)
{
	const struct change_span *a = x, *b = y;
	const struct table_key *t = table;
	const uint8_t *pa = a->rec, *pb = b->rec;
	for (uint64_t i = 0; i < t->ncol; i++) {
		const uint8_t *va, *vb;
		uint64_t la, lb;
		uint8_t ta = value_at(&pa, &va, &la), tb = value_at(&pb, &vb, &lb);
		if (!t->pk[i])
			continue;
		int ca = value_class(ta), cb = value_class(tb), c = 0;
		if (ca != cb)
			return ca - cb;
		if (ca == 1 && ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) {
			int64_t ia = int_be(va), ib = int_be(vb);
			c = ia < ib ? -1 : ia > ib;
		} else if (ca == 1) {
			double da = value_num(ta, va), db = value_num(tb, vb);
			c = da < db ? -1 : da > db;
		} else if (ca > 1) {
			c = memcmp(va, vb, la < lb ? la : lb);
			if (!c)
				c = la < lb ? -1 : la > lb;
		}
		if (c)
			return c;
	}
	return a->order < b->order ? -1 : a->order > b->order;
}

/*
 * The changeset cs (n bytes, well formed) with each table's changes in the
 * order of their primary keys, into out. A session gives a table's changes
 * in the order of its hash table, so that the rows of a batch reach a
 * standby's B-trees in no order at all: each insert splits a page where
 * it falls, and the standby's messages table came out a third larger than
 * the primary's, every page of it written twice (the WAL, then the
 * checkpoint). A changeset holds one change per key of a table, and
 * sqlite3changeset_apply retries a change a constraint refused once the
 * others are applied: the rows applied are the same in any order.
 */
static void changeset_sorted(const uint8_t *p, size_t n, struct buf *out)
{
	const uint8_t *end = p + n, *pk = NULL;
	uint64_t ncol = 0;
	struct change_span *c = NULL;
	size_t nc = 0, cap = 0;
	for (;;) {
		if (p >= end || *p == 'T') { /* a table ends: its changes in key order */
			struct table_key t = {pk, ncol};
			if (nc > 1)
				qsort_r(c, nc, sizeof *c, by_pk, &t);
			for (size_t i = 0; i < nc; i++)
				buf_add(out, c[i].start, c[i].len);
			nc = 0;
			if (p >= end)
				break;
			const uint8_t *start = p++;
			(void)varint(&p, end, &ncol);
			pk = p;
			p += ncol;
			p += strlen((const char *)p) + 1;
			buf_add(out, start, (size_t)(p - start));
			continue;
		}
		const uint8_t *start = p;
		uint8_t op = *p++;
		p++; /* indirect flag */
		const uint8_t *rec =
		    p; /* the old values of an update or a delete, the new of an insert */
		(void)record(&p, end, ncol, NULL, 0);
		if (op == SQLITE_UPDATE)
			(void)record(&p, end, ncol, NULL, 0);
		if (nc == cap) {
			cap = cap ? 2 * cap : 256;
			c = xrealloc(c, cap * sizeof *c);
		}
		c[nc] = (struct change_span){start, rec, (size_t)(p - start), nc};
		nc++;
	}
	free(c);
}

int changeset_apply_counted(sqlite3 *db, int n, void *cs,
			    int (*filter)(void *ctx, const char *table),
			    int (*conflict)(void *ctx, int kind, struct sqlite3_changeset_iter *it),
			    void *ctx)
{
	/* inside the caller's transaction, no savepoint of its own: every
	 * statement of the apply would otherwise journal the pages it touches
	 * again, in a statement journal kept in memory (temp_store=MEMORY) that
	 * grows with the changeset and is walked from its start at the end of
	 * each statement; a changeset of 5,000 messages spent a sixth of its
	 * time there */
	int flags = sqlite3_get_autocommit(db) ? 0 : SQLITE_CHANGESETAPPLY_NOSAVEPOINT;
	/* the messages' entity index written here, not by the triggers: only
	 * inside the caller's transaction, which a refusal rolls back whole */
	struct msg_rows r = {NULL, 0, 0};
	struct buf sorted = {0};
	int wf = n > 0 && well_formed(cs, (size_t)n);
	if (wf) {
		changeset_sorted(cs, (size_t)n, &sorted);
		if (sorted.len == (size_t)n)
			cs = sorted.p; /* the same changes, the rows in key order */
	}
	int own = flags && wf && message_inserts(cs, (size_t)n, &r) && r.n &&
		  (!filter || filter(ctx, "messages"));
	if (own)
		sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	int rc = sqlite3changeset_apply_v2(db, n, cs, filter, conflict, ctx, NULL, NULL, flags);
	if (own) {
		sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, (int *)NULL);
		if (rc == SQLITE_OK)
			rc = index_rows(db, &r);
	}
	free(r.row);
	if (rc == SQLITE_OK)
		rc = count_keys(db, cs, n, filter, ctx);
	buf_free(&sorted);
	return rc;
}

int changeset_count_keys(sqlite3 *db, const void *cs, int n)
{
	return count_keys(db, cs, n, NULL, NULL);
}

/* SQLite's varint: 7 bits a byte, the high ones first. */
static void put_varint(struct buf *b, uint64_t x)
{
	uint8_t v[10];
	int k = 0;
	do
		v[k++] = (uint8_t)(x & 0x7f);
	while (x >>= 7);
	while (k--)
		buf_addc(b, (char)(v[k] | (k ? 0x80 : 0)));
}

static void put_int(struct buf *b, int64_t v)
{
	buf_addc(b, SQLITE_INTEGER);
	for (int i = 7; i >= 0; i--)
		buf_addc(b, (char)((uint64_t)v >> (8 * i)));
}

/* A table's header: ncol columns, the first its key. */
static void put_table(struct buf *b, const char *table, int ncol)
{
	buf_addc(b, 'T');
	put_varint(b, (uint64_t)ncol);
	buf_addc(b, 1);
	for (int i = 1; i < ncol; i++)
		buf_addc(b, 0);
	buf_add(b, table, strlen(table) + 1);
}

void changeset_put_text(struct buf *b, const char *t, size_t n)
{
	if (!t) {
		buf_addc(b, SQLITE_NULL);
		return;
	}
	buf_addc(b, SQLITE_TEXT);
	put_varint(b, n);
	buf_add(b, t, n);
}

int changeset_put_row(struct buf *b, const char *table, sqlite3_stmt *cols,
		      const struct change_value *v, int nv)
{
	int ncol = cols ? sqlite3_column_count(cols) : 0, k = 0;
	int of[64];
	if (ncol < 1 || ncol > (int)(sizeof of / sizeof *of))
		return -1;
	for (int i = 0; i < ncol; i++) {
		const char *name = sqlite3_column_name(cols, i);
		/* the values come in the table's order, mostly */
		for (k = i < nv ? i : 0; k < nv && strcmp(v[k].column, name) != 0; k++)
			;
		if (k == nv)
			for (k = 0; k < nv && strcmp(v[k].column, name) != 0; k++)
				;
		if (k == nv || (i == 0 && !v[k].is_int))
			return -1;
		of[i] = k;
	}
	put_table(b, table, ncol);
	buf_addc(b, SQLITE_INSERT);
	buf_addc(b, 0); /* direct */
	for (int i = 0; i < ncol; i++) {
		const struct change_value *x = &v[of[i]];
		if (x->text || !x->is_int)
			changeset_put_text(b, x->text, x->text ? strlen(x->text) : 0);
		else
			put_int(b, x->i);
	}
	return 0;
}

void changeset_put_update(struct buf *b, const char *table, int ncol, int64_t key, int col,
			  const char *old, size_t oldlen, const char *new, size_t newlen)
{
	put_table(b, table, ncol);
	buf_addc(b, SQLITE_UPDATE);
	buf_addc(b, 0); /* direct */
	/* before: the key and the column's old value, the others undefined */
	put_int(b, key);
	for (int i = 1; i < ncol; i++)
		if (i == col)
			changeset_put_text(b, old, oldlen);
		else
			buf_addc(b, 0);
	/* after: the column's new value alone */
	for (int i = 0; i < ncol; i++)
		if (i == col)
			changeset_put_text(b, new, newlen);
		else
			buf_addc(b, 0);
}
