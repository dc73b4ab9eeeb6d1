/*
 * refdb.c: loading reference records and checking against them.
 */
#include <ctype.h>
#include <err.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/changeset.h"
#include "ccc/clock.h"
#include "ccc/digest.h"
#include "ccc/exit.h"
#include "ccc/hash.h"
#include "ccc/json.h"
#include "ccc/keypack.h"
#include "ccc/opts.h"
#include "ccc/personmatch.h"
#include "ccc/refdb.h"
#include "ccc/xmalloc.h"

static const char *const names[] = {"documents", "persons",  "vehicles",
				    "firearms",  "artworks", "vessels"};

static const char *const SQL_DOC_PUT =
    "INSERT INTO documents(number, country, status, owner, allow, deny, review_by, record,"
    " source_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (number, country)"
    " DO UPDATE SET status = excluded.status, owner = excluded.owner, allow = excluded.allow,"
    " deny = excluded.deny, review_by = excluded.review_by, record = excluded.record,"
    " source_hash = excluded.source_hash";
static const char *const SQL_DOC_DEL = "DELETE FROM documents WHERE number = ?1 AND country = ?2";
static const char *const SQL_DOC_GET =
    "SELECT number, country, status, owner, allow, deny, record FROM documents"
    " WHERE number = ?1 ORDER BY country";
static const char *const SQL_ITEM_PUT =
    "INSERT INTO items(db, key, status, owner, allow, deny, review_by, record, source_hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (db, key) DO UPDATE SET"
    " status = excluded.status, owner = excluded.owner, allow = excluded.allow,"
    " deny = excluded.deny, review_by = excluded.review_by, record = excluded.record,"
    " source_hash = excluded.source_hash";
static const char *const SQL_ITEM_DEL = "DELETE FROM items WHERE db = ?1 AND key = ?2";
static const char *const SQL_ITEM_GET =
    "SELECT key, status, owner, allow, deny, record FROM items WHERE db = ?1 AND key = ?2";
static const char *const SQL_PERSON_PUT =
    "INSERT INTO persons(id, owner, allow, deny, review_by, notice, names, dob, countries,"
    " record, source_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, allow = excluded.allow,"
    " deny = excluded.deny, review_by = excluded.review_by, notice = excluded.notice,"
    " names = excluded.names, dob = excluded.dob, countries = excluded.countries,"
    " record = excluded.record, source_hash = excluded.source_hash";
static const char *const SQL_PERSON_NAMES = "SELECT names, dob FROM persons WHERE id = ?1";
static const char *const SQL_PERSON_DEL = "DELETE FROM persons WHERE id = ?1";
static const char *const SQL_PERSON_GET =
    "SELECT names, dob, countries, owner, allow, deny, notice, record FROM persons WHERE id = ?1";
static const char *const SQL_PERSON_SCORE =
    "SELECT names, dob, countries FROM persons WHERE id = ?1";
/* What bounds a candidate's score, and who may see it, from the index that
 * holds only these (migration 22, check-schema.c): a few dozen bytes a
 * person, where the person's row holds its whole record. */
static const char *const SQL_PERSON_FACTS = "SELECT dob, countries, owner, allow, deny"
					    " FROM persons INDEXED BY persons_facts WHERE id = ?1";
static const char *const SQL_KEY_PUT =
    "INSERT INTO person_keys(key, id, sig) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (key, id) DO UPDATE SET sig = sig | excluded.sig";
static const char *const SQL_KEY_DEL = "DELETE FROM person_keys WHERE key = ?1 AND id = ?2";
static const char *const SQL_KEY_GET = "SELECT id, sig FROM person_keys WHERE key = ?1 LIMIT ?2";
/* the entries that share a token of ?3 (a NULL signature shares them all),
 * the signature read once per entry: most entries are looked at and left */
static const char *const SQL_KEY_GET_SHARED =
    "SELECT id, sig FROM person_keys WHERE key = ?1 AND ifnull(sig & ?3, 1) != 0 LIMIT ?2";
static const char *const SQL_KEY_COUNT = "SELECT n, packed FROM derived_key_counts WHERE key = ?1";
/* a key's entries, packed (keypack.h), in the order of the index */
static const char *const SQL_KEY_PACKS =
    "SELECT entries FROM derived_key_packs WHERE key = ?1 ORDER BY chunk";
static const char *const SQL_DOC_OWNER =
    "SELECT owner, review_by, record, source_hash FROM documents"
    " WHERE number = ?1 AND country = ?2";
static const char *const SQL_ITEM_OWNER =
    "SELECT owner, review_by, record, source_hash FROM items WHERE db = ?1 AND key = ?2";
static const char *const SQL_PERSON_OWNER =
    "SELECT owner, review_by, record, source_hash FROM persons WHERE id = ?1";
static const char *const SQL_DOC_RENEW = "UPDATE documents SET review_by = ?3, record = ?4,"
					 " source_hash = ?5 WHERE number = ?1 AND country = ?2";
static const char *const SQL_ITEM_RENEW =
    "UPDATE items SET review_by = ?3, record = ?4, source_hash = ?5 WHERE db = ?1 AND key = ?2";
static const char *const SQL_PERSON_RENEW =
    "UPDATE persons SET review_by = ?3, record = ?4, source_hash = ?5 WHERE id = ?1";
static const char *const SQL_AUDIT =
    "INSERT INTO consultations(c, ts, actor, ncb, deployment, db, query, hits, item, site)"
    " VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/* the next consultation's number: read once a transaction (audit_row) */
static const char *const SQL_AUDIT_NEXT =
    "SELECT max(coalesce(max(c), 0), ccc_id_floor('consultations')) + 1 FROM consultations";

#define ROW_BUDGET        150  /* index entries read per check, at most */
#define SCAN_BUDGET       600  /* and the entries looked at to find them, in all */
#define WIDE_BUDGET       6000 /* or, when even the rarest key is beyond it, read whole */
#define SCORE_BUDGET      10   /* of the persons they name, the ones ranked first are scored */
#define SCORE_MAX         40   /* with those that share as much as the best, at most */
#define YEAR_ROWS         ROW_BUDGET        /* and those of its year keys, at most, after them */
#define YEAR_SCAN         (4 * SCAN_BUDGET) /* looked at to find them */
#define CAND_MAX          (ROW_BUDGET + YEAR_ROWS) /* candidates, at most */
#define SEEN_SLOTS        1024 /* a hash set of candidates: more than twice CAND_MAX */
#define NAME_READINGS_MAX 3    /* of a name in Chinese characters: Mandarin, Korean, Japanese */
#define NEAR_BONUS        0.5  /* a candidate born near the query's year ranks this much more */

/* The weight of a key that names n persons: its inverse document frequency. */
static double idf(int n)
{
	return log(1.0 + 1e6 / n);
}

/*
 * How many persons a key names (derived_key_counts, counted per commit),
 * remembered for the store it was read from: a stream of checks asks for the
 * same common keys again and again. Loading or removing a person forgets
 * them, and so does a write to the store by another connection.
 */
#define COUNT_SLOTS 4096 /* a fixed table: memory stays flat */
static struct key_count {
	char key[PERSON_KEY_MAX];
	int count;  /* -1: empty */
	int packed; /* its entries can be read from derived_key_packs */
} key_counts[COUNT_SLOTS];
static const struct store *key_counts_store;
static int64_t key_counts_version = -1; /* PRAGMA data_version when they were read */

static void key_counts_forget(void)
{
	key_counts_store = NULL;
}

/* Forget the counts when another connection has written to the store since. */
static void key_counts_check(struct refdb_ctx *c)
{
	sqlite3_stmt *st = store_stmt(c->store, "PRAGMA data_version");
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (v != key_counts_version || v < 0 || key_counts_store != c->store) {
		for (size_t i = 0; i < COUNT_SLOTS; i++)
			key_counts[i].count = -1;
		key_counts_store = c->store;
	}
	key_counts_version = v;
}

/* The count of key, and in *packed whether its packs are exact. */
static int key_count(struct refdb_ctx *c, const char *key, int *packed)
{
	struct key_count *slot = &key_counts[hash_fnv1a(key, strlen(key)) % COUNT_SLOTS];
	if (key_counts_store == c->store && slot->count >= 0 && !strcmp(slot->key, key)) {
		*packed = slot->packed;
		return slot->count;
	}
	sqlite3_stmt *st = store_stmt(c->store, SQL_KEY_COUNT);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int n = 0;
	*packed = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int(st, 0);
		*packed = sqlite3_column_int(st, 1) == 1;
	}
	sqlite3_reset(st);
	size_t len = strlen(key);
	if (key_counts_store == c->store && len < sizeof slot->key) {
		memcpy(slot->key, key, len + 1);
		slot->count = n;
		slot->packed = *packed;
	}
	return n;
}

struct key_order {
	int count;
	int packed;
	size_t k;
	int64_t by; /* what it is read in the order of: its count, or more */
};

/* Sort o[0..n) by by, ties in the order they come (insertion sort: n is small). */
static void sort_keys(struct key_order *o, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && o[j].by < o[j - 1].by; j--) {
			struct key_order t = o[j];
			o[j] = o[j - 1];
			o[j - 1] = t;
		}
}

int refdb_by_name(const char *name)
{
	for (int i = 0; i < REFDB_N; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

const char *refdb_name(enum refdb db)
{
	return names[db];
}

void refdb_normalize_key(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (; *in && o + 1 < n; in++) {
		unsigned char c = (unsigned char)*in;
		if (isalnum(c) && c < 0x80)
			out[o++] = (char)toupper(c);
	}
	out[o] = '\0';
}

static int bad(char *reason, size_t rlen, const char *fmt, const char *arg)
{
	snprintf(reason, rlen, fmt, arg);
	return -1;
}

static int country_code(const char *s, char out[3])
{
	if (!s || strlen(s) != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
		return -1;
	out[0] = (char)toupper((unsigned char)s[0]);
	out[1] = (char)toupper((unsigned char)s[1]);
	out[2] = '\0';
	return 0;
}

/* A list of country codes (array of strings, or one string) as "AA,BB", or NULL. */
static char *country_list(jv v, int *err)
{
	struct buf b = {0};
	char cc[3];
	*err = 0;
	if (jv_get_kind(v) == JV_KIND_STRING)
		v = jv_array_append(jv_array(), v);
	if (jv_get_kind(v) != JV_KIND_ARRAY) {
		*err = jv_get_kind(v) != JV_KIND_NULL && jv_get_kind(v) != JV_KIND_INVALID;
		jv_free(v);
		return NULL;
	}
	jv_array_foreach (v, i, e) {
		if (jv_get_kind(e) != JV_KIND_STRING || country_code(jv_string_value(e), cc) < 0)
			*err = 1;
		else {
			if (b.len)
				buf_addc(&b, ',');
			buf_add(&b, cc, 2);
		}
		jv_free(e);
	}
	jv_free(v);
	if (*err || !b.len) {
		buf_free(&b);
		return NULL;
	}
	buf_addc(&b, '\0');
	return b.p;
}

static int in_list(const char *list, const char *cc)
{
	if (!list || !cc)
		return 0;
	for (const char *p = list; *p; p += (p[2] == ',' ? 3 : 2)) {
		if (p[0] == cc[0] && p[1] == cc[1])
			return 1;
		if (!p[2])
			break;
	}
	return 0;
}

int refdb_visible(const char *ncb, const char *owner, const char *allow, const char *deny)
{
	if (ncb && owner && !strcmp(owner, ncb))
		return 1;
	if (allow && *allow)
		return in_list(allow, ncb);
	if (deny && *deny)
		return ncb && !in_list(deny, ncb);
	return 1;
}

/* May the requesting country not see a record of owner with these lists? */
static int restricted(const struct refdb_ctx *c, const char *owner, const char *allow,
		      const char *deny)
{
	return !refdb_visible(c->ncb, owner, allow, deny);
}

/* The parts every reference record shares: owner, restriction, review date. */
struct common {
	char owner[3];
	char *allow, *deny;
	char review_by[RFC3339_LEN];
};

static int common_fields(struct refdb_ctx *c, jv rec, struct common *k, char *reason, size_t rlen)
{
	const char *owner = jv_get_str(rec, "owner");
	int err;
	memset(k, 0, sizeof *k);
	if (!owner)
		owner = c->owner;
	if (!owner)
		return bad(reason, rlen, "field 'owner': missing (give --owner)%s", "");
	if (country_code(owner, k->owner) < 0)
		return bad(reason, rlen, "field 'owner': '%.20s' is not an ISO 3166 alpha-2 code",
			   owner);
	/* "allow" or "deny" beside "restrict", not in it: the record would be
	 * shown to every country while its owner believes it restricted */
	static const char *const misplaced[] = {"allow", "deny"};
	for (size_t i = 0; i < 2; i++)
		if (jv_object_has(jv_copy(rec), jv_string(misplaced[i])))
			return bad(reason, rlen,
				   "field '%s': a restriction goes in \"restrict\" ({\"allow\": "
				   "[CC...]} or {\"deny\": [CC...]}), not beside it",
				   misplaced[i]);
	jv r = jv_object_get(jv_copy(rec), jv_string("restrict"));
	if (jv_get_kind(r) == JV_KIND_OBJECT) {
		k->allow = country_list(jv_object_get(jv_copy(r), jv_string("allow")), &err);
		if (!err)
			k->deny = country_list(jv_object_get(jv_copy(r), jv_string("deny")), &err);
		if (err || (!k->allow && !k->deny)) {
			jv_free(r);
			free(k->allow);
			free(k->deny);
			return bad(reason, rlen,
				   "field 'restrict': expected {\"allow\": [CC...]} or {\"deny\": "
				   "[CC...]}%s",
				   "");
		}
	} else if (jv_get_kind(r) != JV_KIND_INVALID && jv_get_kind(r) != JV_KIND_NULL) {
		jv_free(r);
		return bad(reason, rlen, "field 'restrict': expected an object%s", "");
	}
	jv_free(r);
	const char *review = jv_get_str(rec, "review_by");
	time_t t;
	if (review) {
		char full[RFC3339_LEN + 16];
		snprintf(full, sizeof full, "%s%s", review,
			 strlen(review) == 10 ? "T00:00:00Z" : "");
		if (clock_parse(full, &t) < 0) {
			free(k->allow);
			free(k->deny);
			return bad(reason, rlen, "field 'review_by': '%.40s' is not a date",
				   review);
		}
	} else {
		t = clock_now() + (time_t)(5 * 365.25 * 86400);
	}
	clock_format(t, k->review_by);
	return 0;
}

static void common_free(struct common *k)
{
	free(k->allow);
	free(k->deny);
}

static int audit_row_keys(struct refdb_ctx *c, const char *db, const char *query, size_t qlen,
			  const char *hits, size_t hlen, const char *keys, long nkeys);
static int audit_row(struct refdb_ctx *c, const char *db, const char *query, size_t qlen,
		     const char *hits, size_t hlen)
{
	return audit_row_keys(c, db, query, qlen, hits, hlen, NULL, -1);
}

/* The owner a load or removal acts for: the record's "owner", else --owner. */
static int claimed_owner(const struct refdb_ctx *c, jv rec, int remove, char out[3], char *reason,
			 size_t rlen)
{
	const char *owner = jv_get_str(rec, "owner");
	if (!owner)
		owner = c->owner;
	if (!owner)
		return bad(reason, rlen,
			   remove ? "field 'owner': missing (give --owner: only a record's owner "
				    "removes it)%s"
				  : "field 'owner': missing (give --owner)%s",
			   "");
	if (country_code(owner, out) < 0)
		return bad(reason, rlen, "field 'owner': '%.20s' is not an ISO 3166 alpha-2 code",
			   owner);
	return 0;
}

#define SOURCE_HASH_LEN 16

/* What a load finds stored under a record's key (record NULL: nothing). */
struct stored {
	char review_by[RFC3339_LEN];
	char *record;
	int found;  /* a record of that key is stored (owned_by) */
	int hashed; /* hash holds the stored record's source hash */
	uint8_t hash[SOURCE_HASH_LEN];
};

/*
 * The hash of the text a record is loaded from (c->line): SHA-256 of a
 * version, the database, the owner claimed and the text, its first 16
 * bytes; a person's with the version of names_readings too (version: none
 * when ""), so that a version that reads names otherwise finds every person
 * changed, and reads it again. 0 when there is one, -1 when the load gave
 * no text.
 */
static int source_hash_as(const struct refdb_ctx *c, enum refdb db, const char *claim,
			  const char *version, uint8_t out[SOURCE_HASH_LEN])
{
	if (!c->line)
		return -1;
	uint8_t h[SHA256_LEN];
	struct digest_ctx *d = digest_new();
	digest_update(d, "refdb-1", 8);
	digest_update(d, names[db], strlen(names[db]) + 1);
	if (db == REFDB_PERSONS && *version)
		digest_update(d, version, strlen(version) + 1);
	digest_update(d, claim, strlen(claim) + 1);
	digest_update(d, c->line, c->line_len);
	digest_final(d, h);
	memcpy(out, h, SOURCE_HASH_LEN);
	return 0;
}

static int source_hash(const struct refdb_ctx *c, enum refdb db, const char *claim,
		       uint8_t out[SOURCE_HASH_LEN])
{
	return source_hash_as(c, db, claim, NAMES_VERSION, out);
}

/* A person stored from the very text it is loaded from, hashed by the
 * version of names_readings before this one: its hash is made this
 * version's, so that the next load of the same text is not read at all. */
static int hashed_before(const struct refdb_ctx *c, const char *claim, const struct stored *old)
{
	uint8_t h[SOURCE_HASH_LEN];
	return old->hashed &&
	       source_hash_as(c, REFDB_PERSONS, claim, NAMES_VERSION_BEFORE, h) == 0 &&
	       !memcmp(h, old->hash, SOURCE_HASH_LEN);
}

/* A record loaded from the very text it was stored from, by its owner:
 * unchanged, without building its stored form (not with c->renew). */
static int same_source(const struct refdb_ctx *c, enum refdb db, const char *claim,
		       const struct stored *old, uint8_t hash[SOURCE_HASH_LEN], int *hashed)
{
	*hashed = source_hash(c, db, claim, hash) == 0;
	return *hashed && old->record && old->hashed && !c->renew &&
	       !memcmp(hash, old->hash, SOURCE_HASH_LEN);
}

/*
 * A record is changed or removed only by its owner. sql (with a and b bound,
 * b may be NULL) reads the owner, review date and text of the stored record,
 * kept in old when it is not NULL (the caller frees old->record). When there is one and
 * it is not claim, the attempt is written to the consultations log (query:
 * the action, the key and the owner claimed; hits: the record and its
 * owner), reason says why, and REFDB_NOT_OWNER is returned. Returns 0 when
 * the record is new or claim's, or an exit code.
 */
static int owned_by(struct refdb_ctx *c, enum refdb db, const char *sql, const char *a,
		    const char *b, const char *id, const char *claim, int remove, char *reason,
		    size_t rlen, struct stored *old)
{
	char owner[3] = "";
	sqlite3_stmt *st = store_stmt(c->store, sql);
	sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(owner, sizeof owner, "%s", (const char *)sqlite3_column_text(st, 0));
	if (old)
		old->found = r == SQLITE_ROW;
	if (old && r == SQLITE_ROW && sqlite3_column_text(st, 1) && sqlite3_column_text(st, 2)) {
		snprintf(old->review_by, sizeof old->review_by, "%s",
			 (const char *)sqlite3_column_text(st, 1));
		old->record = xstrdup((const char *)sqlite3_column_text(st, 2));
		old->hashed = sqlite3_column_bytes(st, 3) == SOURCE_HASH_LEN;
		if (old->hashed)
			memcpy(old->hash, sqlite3_column_blob(st, 3), SOURCE_HASH_LEN);
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_error(c->store, r, "reading a record's owner");
	if (!*owner || !strcmp(owner, claim))
		return 0;
	snprintf(reason, rlen, "record '%.80s' belongs to %s, not %s: only its owner %s it", id,
		 owner, claim, remove ? "removes" : "changes");
	struct buf q = {0}, h = {0};
	jv query = JV_OBJECT(jv_string("action"), jv_string(remove ? "remove" : "load"),
			     jv_string("id"), jv_string(id), jv_string("owner"), jv_string(claim),
			     jv_string("refused"), jv_string("not the owner"));
	jv hits = JV_ARRAY(
	    JV_OBJECT(jv_string("id"), jv_string(id), jv_string("owner"), jv_string(owner)));
	json_write(&q, query);
	json_write(&h, hits);
	jv_free(query);
	jv_free(hits);
	struct refdb_ctx as = *c;
	as.ncb = claim; /* the country that asked */
	int rc = audit_row(&as, names[db], q.p, q.len, h.p, h.len);
	buf_free(&q);
	buf_free(&h);
	return rc ? rc : REFDB_NOT_OWNER;
}

static jv stamp(jv rec, enum refdb db, const char *key, const struct common *k)
{
	rec = jv_object_set(rec, jv_string("db"), jv_string(names[db]));
	rec = jv_object_set(rec, jv_string("key"), jv_string(key));
	rec = jv_object_set(rec, jv_string("owner"), jv_string(k->owner));
	return jv_object_set(rec, jv_string("review_by"), jv_string(k->review_by));
}

/* Bind a source hash, or NULL for none. */
static void bind_hash(sqlite3_stmt *st, int i, const uint8_t *hash)
{
	if (hash)
		sqlite3_bind_blob(st, i, hash, SOURCE_HASH_LEN, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* The text of rec as stored: stamped, with the fields of extra (consumed). */
static void stored_text(jv rec, enum refdb db, const char *key, const struct common *k, jv extra,
			struct buf *json)
{
	jv out = stamp(jv_copy(rec), db, key, k);
	jv_object_foreach (extra, f, v)
		out = jv_object_set(out, f, v);
	jv_free(extra);
	json->len = 0;
	json_write(json, out);
	jv_free(out);
}

/* What a load does with a record: write it, nothing, or move its review date. */
enum put { PUT_WRITE, PUT_SAME, PUT_RENEW };

/*
 * Compare rec, as it would be stored (in json), with the stored record old.
 * A record that names no review date keeps the stored one unless it changed
 * or c->renew is set: then it gets k's (five years from now). An unchanged
 * record is not written (PUT_SAME); with c->renew only its review date moves
 * (PUT_RENEW); else it is written whole (PUT_WRITE). k->review_by is the date
 * to store.
 */
static enum put settle(const struct refdb_ctx *c, jv rec, enum refdb db, const char *key,
		       struct common *k, jv extra, const struct stored *old, struct buf *json)
{
	char fresh[RFC3339_LEN];
	memcpy(fresh, k->review_by, sizeof fresh);
	if (old->record && !jv_get_str(rec, "review_by"))
		memcpy(k->review_by, old->review_by, sizeof fresh);
	stored_text(rec, db, key, k, jv_copy(extra), json);
	int same = old->record && json->len == strlen(old->record) &&
		   !memcmp(json->p, old->record, json->len);
	if (same && (!c->renew || !strcmp(k->review_by, fresh))) {
		jv_free(extra);
		return PUT_SAME;
	}
	if (strcmp(k->review_by, fresh)) {
		memcpy(k->review_by, fresh, sizeof fresh);
		stored_text(rec, db, key, k, jv_copy(extra), json);
	}
	jv_free(extra);
	return same ? PUT_RENEW : PUT_WRITE;
}

/* Move the review date of a stored, unchanged record: sql binds a, b (may be
 * NULL), the date, the record's text and its source hash (may be NULL). */
static int renew(struct refdb_ctx *c, const char *sql, const char *a, const char *b,
		 const struct common *k, const struct buf *json, const uint8_t *hash)
{
	sqlite3_stmt *st = store_stmt(c->store, sql);
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, k->review_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, json->p, (int)json->len, SQLITE_STATIC);
	bind_hash(st, 5, hash);
	int rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : store_error(c->store, rc, "renewing a record");
}

static const char *const doc_statuses[] = {"stolen",  "lost",         "revoked",
					   "invalid", "stolen-blank", NULL};

static int load_document(struct refdb_ctx *c, jv rec, int remove, char *reason, size_t rlen)
{
	const char *number = jv_get_str(rec, "number");
	const char *country = jv_get_str(rec, "country");
	const char *status = jv_get_str(rec, "status");
	char num[64], cc[3];
	struct common k;
	struct buf json = {0};
	int rc = 0;

	if (!number)
		number = jv_get_str(rec, "doc");
	if (!number)
		return bad(reason, rlen, "field 'number': missing%s", "");
	refdb_normalize_key(number, num, sizeof num);
	if (!*num)
		return bad(reason, rlen, "field 'number': '%.40s' has no letter or digit", number);
	if (country_code(country, cc) < 0)
		return bad(reason, rlen, "field 'country': '%.20s' is not an ISO 3166 alpha-2 code",
			   country ? country : "");
	char claim[3], id[96];
	if (claimed_owner(c, rec, remove, claim, reason, rlen) < 0)
		return -1;
	snprintf(id, sizeof id, "doc:%s:%s", cc, num);
	struct stored old = {0};
	if ((rc = owned_by(c, REFDB_DOCUMENTS, SQL_DOC_OWNER, num, cc, id, claim, remove, reason,
			   rlen, &old))) {
		free(old.record);
		return rc;
	}
	uint8_t hash[SOURCE_HASH_LEN];
	int hashed;
	if (!remove && same_source(c, REFDB_DOCUMENTS, claim, &old, hash, &hashed)) {
		free(old.record);
		return REFDB_UNCHANGED;
	}
	if (remove) {
		free(old.record);
		sqlite3_stmt *st = store_stmt(c->store, SQL_DOC_DEL);
		sqlite3_bind_text(st, 1, num, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, cc, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		return rc == SQLITE_DONE ? 0 : store_error(c->store, rc, "removing a document");
	}
	int known = 0;
	for (int i = 0; status && doc_statuses[i]; i++)
		known |= !strcmp(status, doc_statuses[i]);
	if (!known) {
		free(old.record);
		return bad(reason, rlen,
			   "field 'status': '%.20s' is not stolen, lost, revoked, invalid or "
			   "stolen-blank",
			   status ? status : "");
	}
	if (common_fields(c, rec, &k, reason, rlen) < 0) {
		free(old.record);
		return -1;
	}
	char key[80];
	snprintf(key, sizeof key, "%s:%s", cc, num);
	enum put put = settle(
	    c, rec, REFDB_DOCUMENTS, key, &k,
	    JV_OBJECT(jv_string("number"), jv_string(num), jv_string("country"), jv_string(cc)),
	    &old, &json);
	free(old.record);
	if (put != PUT_WRITE) {
		rc = put == PUT_SAME
			 ? REFDB_UNCHANGED
			 : renew(c, SQL_DOC_RENEW, num, cc, &k, &json, hashed ? hash : NULL);
		common_free(&k);
		buf_free(&json);
		return rc;
	}
	sqlite3_stmt *st = store_stmt(c->store, SQL_DOC_PUT);
	sqlite3_bind_text(st, 1, num, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, k.owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, k.allow, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, k.deny, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, k.review_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, json.p, (int)json.len, SQLITE_STATIC);
	bind_hash(st, 9, hashed ? hash : NULL);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? 0 : store_error(c->store, rc, "loading a document");
	common_free(&k);
	buf_free(&json);
	return rc;
}

int refdb_firearm_key(const char *make, const char *serial, char *key, size_t n)
{
	char a[80], b[80];
	refdb_normalize_key(serial ? serial : "", a, sizeof a);
	refdb_normalize_key(make ? make : "", b, sizeof b);
	snprintf(key, n, "%s%s%s", b, *b ? ":" : "", a);
	return *a ? 0 : -1;
}

int refdb_vessel_key(const char *imo, char *key, size_t n)
{
	char a[80];
	refdb_normalize_key(imo ? imo : "", a, sizeof a);
	const char *digits = strncmp(a, "IMO", 3) ? a : a + 3;
	snprintf(key, n, "IMO%s", digits);
	return strlen(digits) == 7 && strspn(digits, "0123456789") == 7 ? 0 : -1;
}

/* The key of an item (vehicle, firearm, artwork, vessel) from its record. */
static int item_key(enum refdb db, jv rec, char *key, size_t n, char *reason, size_t rlen)
{
	char a[80];
	const char *v;
	switch (db) {
	case REFDB_VEHICLES:
		if ((v = jv_get_str(rec, "vin"))) {
			refdb_normalize_key(v, key, n);
			if (strlen(key) != 17)
				return bad(reason, rlen,
					   "field 'vin': '%.40s' is not 17 characters", v);
			return 0;
		}
		if ((v = jv_get_str(rec, "plate"))) {
			char cc[3];
			if (country_code(jv_get_str(rec, "country"), cc) < 0)
				return bad(reason, rlen,
					   "field 'country': a plate needs its country%s", "");
			refdb_normalize_key(v, a, sizeof a);
			snprintf(key, n, "plate:%s:%s", cc, a);
			return 0;
		}
		return bad(reason, rlen, "field 'vin': missing (or give plate and country)%s", "");
	case REFDB_FIREARMS:
		if (!(v = jv_get_str(rec, "serial")))
			return bad(reason, rlen, "field 'serial': missing%s", "");
		if (refdb_firearm_key(jv_get_str(rec, "make"), v, key, n) < 0)
			return bad(reason, rlen, "field 'serial': '%.40s' is empty", v);
		return 0;
	case REFDB_ARTWORKS:
		if (!(v = jv_get_str(rec, "id")))
			return bad(reason, rlen, "field 'id': missing%s", "");
		refdb_normalize_key(v, key, n);
		return *key ? 0 : bad(reason, rlen, "field 'id': '%.40s' is empty", v);
	case REFDB_VESSELS:
		if (!(v = jv_get_str(rec, "imo")))
			return bad(reason, rlen, "field 'imo': missing%s", "");
		if (refdb_vessel_key(v, key, n) < 0)
			return bad(reason, rlen, "field 'imo': '%.40s' is not a 7-digit IMO number",
				   v);
		return 0;
	default: return bad(reason, rlen, "not an item database%s", "");
	}
}

static int load_item(struct refdb_ctx *c, enum refdb db, jv rec, int remove, char *reason,
		     size_t rlen)
{
	char key[200];
	struct common k;
	struct buf json = {0};
	int rc;
	char claim[3], id[240];
	if (item_key(db, rec, key, sizeof key, reason, rlen) < 0)
		return -1;
	if (claimed_owner(c, rec, remove, claim, reason, rlen) < 0)
		return -1;
	snprintf(id, sizeof id, "%s:%s", names[db], key);
	struct stored old = {0};
	if ((rc = owned_by(c, db, SQL_ITEM_OWNER, names[db], key, id, claim, remove, reason, rlen,
			   &old))) {
		free(old.record);
		return rc;
	}
	uint8_t hash[SOURCE_HASH_LEN];
	int hashed;
	if (!remove && same_source(c, db, claim, &old, hash, &hashed)) {
		free(old.record);
		return REFDB_UNCHANGED;
	}
	if (remove) {
		free(old.record);
		sqlite3_stmt *st = store_stmt(c->store, SQL_ITEM_DEL);
		sqlite3_bind_text(st, 1, names[db], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		return rc == SQLITE_DONE ? 0 : store_error(c->store, rc, "removing a record");
	}
	if (common_fields(c, rec, &k, reason, rlen) < 0) {
		free(old.record);
		return -1;
	}
	enum put put = settle(c, rec, db, key, &k, jv_object(), &old, &json);
	free(old.record);
	if (put != PUT_WRITE) {
		rc = put == PUT_SAME ? REFDB_UNCHANGED
				     : renew(c, SQL_ITEM_RENEW, names[db], key, &k, &json,
					     hashed ? hash : NULL);
		common_free(&k);
		buf_free(&json);
		return rc;
	}
	sqlite3_stmt *st = store_stmt(c->store, SQL_ITEM_PUT);
	sqlite3_bind_text(st, 1, names[db], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, jv_get_str(rec, "status"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, k.owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, k.allow, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, k.deny, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, k.review_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, json.p, (int)json.len, SQLITE_STATIC);
	bind_hash(st, 9, hashed ? hash : NULL);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? 0 : store_error(c->store, rc, "loading a record");
	common_free(&k);
	buf_free(&json);
	return rc;
}

#define YEARS_MAX     4                          /* a person's years of birth indexed, at most */
#define NAME_KEYS_MAX (NAME_TOKENS_MAX * 2 + 16) /* a name's keys but its year keys */
#define KEYS_MAX      (NAME_KEYS_MAX + 6 * YEARS_MAX) /* and with them */
#define PAIRS_MAX     15 /* a name's pair keys: of its first six tokens */

static void fold_key(char *k)
{
	for (; *k; k++)
		switch (*k) {
		case 'w':
		case 'v': *k = 'f'; break; /* the skeletons write v as f */
		case 'z': *k = 's'; break;
		case 'q':
		case 'c': *k = 'k'; break;
		}
}

/*
 * The signature of a name: one bit (of 64) per token that is not a particle
 * or an initial, chosen by the first three letters of its folded skeleton, as
 * in the pair keys. Every index entry carries the signature of the names it
 * was made from, so one entry tells which of the query's tokens the person
 * shares without reading the person. bits[i] is token i's bit (0 for the
 * others) when bits is not NULL.
 */
static uint64_t name_sig(const struct name_tokens *t, uint64_t *bits)
{
	uint64_t sig = 0;
	for (unsigned i = 0; i < t->n; i++) {
		const struct name_token *k = &t->tok[i];
		uint64_t b = 0;
		if (!(k->flags & (NAME_PARTICLE | NAME_INITIAL))) {
			char p[4];
			snprintf(p, sizeof p, "%.3s", k->skel[0] ? k->skel : k->text);
			fold_key(p);
			b = (uint64_t)1 << (hash_fnv1a(p, strlen(p)) % 64);
		}
		sig |= b;
		if (bits)
			bits[i] = b;
	}
	return sig;
}

/*
 * The years of birth in dob ("A|B", each YYYY, YYYY-MM or YYYY-MM-DD; NULL
 * for none), each once, into years: the first YEARS_MAX. How many.
 */
static int birth_years(const char *dob, int years[YEARS_MAX])
{
	int n = 0;
	for (const char *p = dob; p && *p && n < YEARS_MAX;
	     p = strchr(p, '|'), p = p ? p + 1 : NULL) {
		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
		    !isdigit((unsigned char)p[2]) || !isdigit((unsigned char)p[3]))
			continue;
		int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + p[3] - '0',
		    i = 0;
		while (i < n && years[i] != y)
			i++;
		if (i == n)
			years[n++] = y;
	}
	return n;
}

/* The years a query born in dob looks its persons up by: its year, then the
 * years either side (a year off costs a match nothing), into years[3]. */
static int query_years(const char *dob, int years[3])
{
	int y[YEARS_MAX];
	if (birth_years(dob, y) != 1)
		return 0;
	years[0] = y[0];
	years[1] = y[0] - 1;
	years[2] = y[0] + 1;
	return 3;
}

/* Whether a key is one of a token and a year of birth (name_keys). */
static int year_key(const char *key)
{
	return strchr(key, '@') != NULL;
}

/*
 * The blocking keys of a name: personmatch's keys (one per token, and per
 * pair of adjacent tokens written together), and one per unordered pair of
 * its first six tokens that are not particles or initials ("drn+mr"): a pair
 * key names few persons, whatever the order the tokens come in, so rare
 * names are found even when each of their tokens is common. With years of
 * birth (ny of them), one per each of those tokens and year ("drn@61", the
 * year's last two digits): a name made only of tokens that tens of
 * thousands share, and of its pairs too, names few persons born in a given
 * year, and a query that gives its date of birth finds its person through
 * them, where the first entries of the common keys would be others.
 */
static size_t name_keys(const struct name_tokens *t, const int *years, int ny,
			char keys[][PERSON_KEY_MAX], unsigned *tokens)
{
	size_t nk = person_blocking_keys_tokens(t, keys, tokens, NAME_TOKENS_MAX * 2);
	char sk[6][4];
	unsigned from[6];
	size_t ns = 0;
	for (unsigned i = 0; i < t->n && ns < 6; i++) {
		const struct name_token *k = &t->tok[i];
		if (k->flags & (NAME_PARTICLE | NAME_INITIAL))
			continue;
		const char *src = k->skel[0] ? k->skel : k->text;
		from[ns] = 1u << i;
		snprintf(sk[ns++], sizeof sk[0], "%.3s", src);
	}
	/* Letters that spellings trade for one another count as one in keys (the
	 * score still compares the names as written): Wladimir/Vladimir,
	 * Petrow/Petrov, Kassem/Qassem/Cassem, Aziz/Asis. */
	for (size_t i = 0; i < nk; i++)
		fold_key(keys[i]);
	for (size_t i = 0; i < ns; i++)
		fold_key(sk[i]);
	for (size_t i = 0; i < ns; i++)
		for (size_t j = i + 1; j < ns && nk < NAME_KEYS_MAX; j++) {
			const char *a = sk[i], *b = sk[j];
			if (strcmp(a, b) > 0) {
				a = sk[j];
				b = sk[i];
			}
			size_t la = strlen(a), lb = strlen(b); /* at most 3 each */
			memcpy(keys[nk], a, la);
			keys[nk][la] = '+';
			memcpy(keys[nk] + la + 1, b, lb);
			keys[nk][la + 1 + lb] = '\0';
			if (tokens)
				tokens[nk] = from[i] | from[j];
			nk++;
		}
	/* A short token (of three or four letters) or one whose skeleton keeps
	 * fewer than three letters shares its keys with every name of those
	 * consonants (Mru and Omar "mr", Ntl and Natalia "ntl"), and a particle
	 * (von, abu) has none: its spelling, quoted ("'mru"), is a key too, which
	 * names few persons when the token is rare, so that a name made of
	 * common tokens and such a token is still found. */
	for (unsigned i = 0; i < t->n && nk < NAME_KEYS_MAX; i++) {
		const struct name_token *k = &t->tok[i];
		if (k->flags & NAME_INITIAL || k->len < 3 ||
		    (k->len > 4 && strlen(k->skel) >= 3 && !(k->flags & NAME_PARTICLE)))
			continue;
		snprintf(keys[nk], PERSON_KEY_MAX, "'%s", k->text);
		if (tokens)
			tokens[nk] = 1u << i;
		nk++;
	}
	/* the year keys last, beyond the name's: they take none of its place */
	for (size_t i = 0; i < ns; i++)
		for (int y = 0; y < ny && nk < KEYS_MAX; y++) {
			size_t l = strlen(sk[i]); /* at most 3 */
			int yy = ((years[y] % 100) + 100) % 100;
			memcpy(keys[nk], sk[i], l);
			keys[nk][l] = '@';
			keys[nk][l + 1] = (char)('0' + yy / 10);
			keys[nk][l + 2] = (char)('0' + yy % 10);
			keys[nk][l + 3] = '\0';
			if (tokens)
				tokens[nk] = from[i];
			nk++;
		}
	return nk;
}

/* Every name of a person record: "name", "names" (strings or {name}), "aliases". */
static void collect_names(jv rec, jv *out)
{
	static const char *const fields[] = {"name", "names", "aliases", NULL};
	for (int f = 0; fields[f]; f++) {
		jv v = jv_object_get(jv_copy(rec), jv_string(fields[f]));
		if (jv_get_kind(v) == JV_KIND_STRING)
			v = jv_array_append(jv_array(), v);
		if (jv_get_kind(v) == JV_KIND_ARRAY) {
			jv_array_foreach (v, i, e) {
				if (jv_get_kind(e) == JV_KIND_OBJECT) {
					jv n = jv_object_get(jv_copy(e), jv_string("name"));
					jv_free(e);
					e = n;
				}
				if (jv_get_kind(e) == JV_KIND_STRING)
					*out = jv_array_append(*out, e);
				else
					jv_free(e);
			}
		}
		jv_free(v);
	}
}

/* dob: a string or an array of strings, as "A|B". */
static char *joined(jv v, char sep)
{
	struct buf b = {0};
	if (jv_get_kind(v) == JV_KIND_STRING)
		v = jv_array_append(jv_array(), v);
	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		jv_array_foreach (v, i, e) {
			if (jv_get_kind(e) == JV_KIND_STRING &&
			    jv_string_length_bytes(jv_copy(e))) {
				if (b.len)
					buf_addc(&b, sep);
				buf_adds(&b, jv_string_value(e));
			}
			jv_free(e);
		}
	}
	jv_free(v);
	if (!b.len)
		return NULL;
	buf_addc(&b, '\0');
	return b.p;
}

/*
 * A load's index rows, held (refdb_hold_keys) and written in the order of
 * their keys before the batch commits: written as they come, person by
 * person, each row seeks into person_keys from its root at a page of its
 * own, all over the index; in key order the rows that fall on one page come
 * one after another, each page is visited once, and the seeks run down the
 * same path. The set of the ids held (hashes, in open addressing) tells
 * when a person whose keys are dropped has rows held: they are written
 * first, so that the drop finds them, as it would have.
 */
struct held_row {
	uint64_t key;  /* the key's bytes, big-endian, zero-padded: compared as numbers */
	uint64_t head; /* the first 8 bytes of the id, likewise */
	size_t off;    /* the id, in text */
	uint64_t sig;
	int fresh; /* of a person new to the store: the index holds no row of its id */
};

/* A set of ids, by their hashes (a collision counts as there: the caller
 * then takes the way that is right for any id). */
struct idset {
	uint64_t *v; /* 0: an empty slot */
	size_t cap, n;
};

struct held_keys {
	struct buf text, changes; /* the ids; the changeset of the rows inserted fresh */
	struct held_row *row;
	size_t n, cap;
	struct idset ids;  /* the ids of the rows held */
	struct idset gone; /* the ids whose rows were dropped in the transaction */
	int64_t bytes;     /* what the rows add to the changeset, at most */
};

static uint64_t id_hash(const char *id)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return h ? h : 1;
}

static void idset_clear(struct idset *set)
{
	if (set->v)
		memset(set->v, 0, set->cap * sizeof *set->v);
	set->n = 0;
}

static int idset_has(const struct idset *set, const char *id)
{
	if (!set->n)
		return 0;
	uint64_t v = id_hash(id);
	for (size_t i = v & (set->cap - 1); set->v[i]; i = (i + 1) & (set->cap - 1))
		if (set->v[i] == v)
			return 1;
	return 0;
}

static void idset_put(struct idset *set, uint64_t v)
{
	size_t i = v & (set->cap - 1);
	for (; set->v[i]; i = (i + 1) & (set->cap - 1))
		if (set->v[i] == v)
			return;
	set->v[i] = v;
	set->n++;
}

static void idset_add(struct idset *set, const char *id)
{
	if (2 * (set->n + 1) > set->cap) {
		uint64_t *old = set->v;
		size_t n = set->cap;
		set->cap = n ? 2 * n : 1024;
		set->v = xcalloc(set->cap, sizeof *set->v);
		set->n = 0;
		for (size_t i = 0; i < n; i++)
			if (old[i])
				idset_put(set, old[i]);
		free(old);
	}
	idset_put(set, id_hash(id));
}

static void held_clear(struct held_keys *h)
{
	h->text.len = 0;
	h->n = 0;
	h->bytes = 0;
	idset_clear(&h->ids);
}

/* Up to 8 bytes of s, big-endian: their order is that of the strings. */
static uint64_t head8(const char *s, size_t len)
{
	uint64_t v = 0;
	for (size_t i = 0; i < 8; i++)
		v = v << 8 | (i < len ? (unsigned char)s[i] : 0);
	return v;
}

static void held_add(struct held_keys *h, const char *key, const char *id, uint64_t sig, int fresh)
{
	size_t kl = strlen(key), il = strlen(id);
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 4096;
		h->row = xrealloc(h->row, h->cap * sizeof *h->row);
	}
	h->row[h->n++] = (struct held_row){head8(key, kl), head8(id, il), h->text.len, sig, fresh};
	buf_add(&h->text, id, il + 1);
	/* a change of the changeset: its op and flag, three values (a type, a
	 * length of up to 9 bytes and the text, or 8 bytes of integer) */
	h->bytes += (int64_t)(2 + 3 * 10 + kl + il);
}

/* Index rows in the order SQLite keeps them (BINARY: the bytes, then the
 * length): by key, then id. A key is shorter than 8 bytes (PERSON_KEY_MAX):
 * its number is the whole of it. */
static int by_row(const void *a, const void *b, void *text)
{
	const struct held_row *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->head != y->head)
		return x->head < y->head ? -1 : 1;
	return strcmp((const char *)text + x->off, (const char *)text + y->off);
}

void refdb_hold_keys(struct refdb_ctx *c)
{
	if (!c->held)
		c->held = xcalloc(1, sizeof *c->held);
}

static const char *const SQL_KEY_NEW =
    "INSERT INTO person_keys(key, id, sig) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

static void change_text(struct buf *b, const char *t)
{
	changeset_put_text(b, t, strlen(t));
}

/* One inserted row of person_keys, as the session writes it. */
static void change_insert(struct buf *b, const char *key, const char *id, uint64_t sig)
{
	if (!b->len) /* the table: three columns, the first two its key */
		buf_add(b, "T\003\001\002\000person_keys", 17);
	buf_addc(b, SQLITE_INSERT);
	buf_addc(b, 0); /* direct */
	change_text(b, key);
	change_text(b, id);
	buf_addc(b, SQLITE_INTEGER);
	for (int i = 7; i >= 0; i--)
		buf_addc(b, (char)(sig >> (8 * i)));
}

int refdb_write_keys(struct refdb_ctx *c, int last)
{
	struct held_keys *h = c->held;
	int rc = 0;
	if (!h || !h->n) {
		if (h && last)
			idset_clear(&h->gone);
		return 0;
	}
	qsort_r(h->row, h->n, sizeof *h->row, by_row, h->text.p);
	h->changes.len = 0;
	for (size_t i = 0; i < h->n && !rc; i++) {
		struct held_row r = h->row[i];
		const char *id = h->text.p + r.off;
		/* one row of a key a person's names share, their signatures in one */
		while (i + 1 < h->n && h->row[i + 1].key == r.key && h->row[i + 1].head == r.head &&
		       !strcmp(h->text.p + h->row[i + 1].off, id)) {
			r.sig |= h->row[++i].sig;
			r.fresh &= h->row[i].fresh;
		}
		char key[PERSON_KEY_MAX + 1];
		for (int b = 0; b < 8; b++)
			key[b] = (char)(r.key >> (56 - 8 * b));
		key[8] = '\0';
		int done = 0;
		if (last && r.fresh) {
			/* the last write of the row in the transaction, and an insert:
			 * its change is written here, not read back by the session */
			sqlite3_stmt *st = store_stmt(c->store, SQL_KEY_NEW);
			sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, (sqlite3_int64)r.sig);
			store_tx_record(c->store, 0);
			int s2 = sqlite3_step(st);
			store_tx_record(c->store, 1);
			if (s2 != SQLITE_DONE)
				rc = store_error(c->store, s2, "indexing a person");
			else if ((done = sqlite3_changes(store_db(c->store)) == 1))
				change_insert(&h->changes, key, id, r.sig);
			/* else a row there already: updated as below, by the session */
		}
		if (!rc && !done) {
			sqlite3_stmt *st = store_stmt(c->store, SQL_KEY_PUT);
			sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, (sqlite3_int64)r.sig);
			int s2 = sqlite3_step(st);
			if (s2 != SQLITE_DONE)
				rc = store_error(c->store, s2, "indexing a person");
		}
	}
	if (!rc && h->changes.len)
		store_tx_add_changes(c->store, h->changes.p, h->changes.len);
	buf_free(&h->changes); /* the store has its copy */
	held_clear(h);
	if (last)
		idset_clear(&h->gone);
	return rc;
}

void refdb_drop_held_keys(struct refdb_ctx *c)
{
	struct held_keys *h = c->held;
	if (!h)
		return;
	buf_free(&h->text);
	buf_free(&h->changes);
	free(h->row);
	free(h->ids.v);
	free(h->gone.v);
	free(h);
	c->held = NULL;
}

/* Index row (key, id, sig) of a person: written now, or held. */
static int put_key(struct refdb_ctx *c, const char *key, const char *id, uint64_t sig, int fresh)
{
	c->keys_tx = store_tx(c->store);
	if (c->held && strlen(key) < PERSON_KEY_MAX) {
		held_add(c->held, key, id, sig, fresh);
		return 0;
	}
	sqlite3_stmt *st = store_stmt(c->store, SQL_KEY_PUT);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)sig);
	int r = sqlite3_step(st);
	return r == SQLITE_DONE ? 0 : store_error(c->store, r, "indexing a person");
}

/*
 * Call fn(ctx, key, sig) for each blocking key person id has by its stored
 * names and dates of birth (those its load made; sig its name's signature),
 * until fn returns other than 0: that, 0, or an exit code when its row
 * cannot be read. A person not stored has none.
 */
typedef int stored_key_fn(void *ctx, const char *key, uint64_t sig);
static int each_stored_key(struct refdb_ctx *c, const char *id, stored_key_fn *fn, void *ctx)
{
	sqlite3_stmt *st = store_stmt(c->store, SQL_PERSON_NAMES);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_reset(st);
		return r == SQLITE_DONE ? 0 : store_error(c->store, r, "reading a person's names");
	}
	char *text = xstrdup((const char *)sqlite3_column_text(st, 0));
	int years[YEARS_MAX], ny = birth_years((const char *)sqlite3_column_text(st, 1), years);
	sqlite3_reset(st);
	int rc = 0;
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line && !rc;
	     line = strtok_r(NULL, "\n", &save)) {
		struct name_tokens t;
		char keys[KEYS_MAX][PERSON_KEY_MAX];
		if (names_restore_tokens(line, strlen(line), &t) < 0)
			continue;
		size_t nk = name_keys(&t, years, ny, keys, NULL);
		uint64_t sig = name_sig(&t, NULL);
		for (size_t i = 0; i < nk && !rc; i++)
			rc = fn(ctx, keys[i], sig);
	}
	free(text);
	return rc;
}

struct dropping {
	struct refdb_ctx *c;
	const char *id;
};

static int drop_key(void *ctx, const char *key, uint64_t sig)
{
	struct dropping *d = ctx;
	sqlite3_stmt *st = store_stmt(d->c->store, SQL_KEY_DEL);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->id, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	return r == SQLITE_DONE ? 0 : store_error(d->c->store, r, "removing a person's keys");
}

/* Remove the blocking keys of person id, from its stored names. */
static int drop_keys(struct refdb_ctx *c, const char *id)
{
	/* rows held for it are written first: they go too */
	if (c->held && idset_has(&c->held->ids, id)) {
		int wr = refdb_write_keys(c, 0);
		if (wr)
			return wr;
	}
	/* the session records the drop: a row of this id written again in the
	 * transaction is written through it too (not fresh) */
	if (c->held)
		idset_add(&c->held->gone, id);
	c->keys_tx = store_tx(c->store);
	return each_stored_key(c, id, drop_key, &(struct dropping){c, id});
}

static const char *const SQL_KEY_ADD =
    "INSERT INTO person_keys(key, id, sig) VALUES (?1, ?2, ?3) ON CONFLICT (key, id) DO NOTHING";

/* A person's index row to write, in a batch's arena (reindex). */
struct key_row {
	size_t key, id; /* where they start in the arena */
	size_t person;  /* the batch's how-manieth */
	uint64_t sig;
};

static int by_key_row(const void *a, const void *b, void *arena)
{
	const struct key_row *x = a, *y = b;
	const char *p = arena;
	int c = strcmp(p + x->key, p + y->key);
	return c ? c : strcmp(p + x->id, p + y->id);
}

/* A batch's index rows to write (reindex): rows[0..n), their keys and ids
 * in arena; id and person, those of the person whose rows are added. */
struct key_rows {
	struct key_row *rows;
	size_t n, cap;
	struct buf arena;
	size_t id, person;
};

static int add_key_row(void *ctx, const char *key, uint64_t sig)
{
	struct key_rows *b = ctx;
	if (b->n == b->cap)
		b->rows =
		    xrealloc(b->rows, (b->cap = b->cap ? 2 * b->cap : 1024) * sizeof *b->rows);
	b->rows[b->n++] = (struct key_row){b->arena.len, b->id, b->person, sig};
	buf_add(&b->arena, key, strlen(key) + 1);
	return 0;
}

/* The batch's rows written in the order of their keys, each index page
 * visited once (as refdb_write_keys does), those already there left: k
 * counts the keys added and the persons that gained one (gained, by the
 * batch's how-manieth, all 0 at first). */
static int reindex_write(struct refdb_ctx *c, struct key_rows *b, unsigned char *gained,
			 struct refdb_reindex *k)
{
	const char *arena = b->arena.p;
	qsort_r(b->rows, b->n, sizeof *b->rows, by_key_row, b->arena.p);
	for (size_t i = 0; i < b->n; i++) {
		const struct key_row *w = &b->rows[i];
		sqlite3_stmt *a = store_stmt(c->store, SQL_KEY_ADD);
		sqlite3_bind_text(a, 1, arena + w->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(a, 2, arena + w->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(a, 3, (sqlite3_int64)w->sig);
		int r = sqlite3_step(a);
		sqlite3_reset(a);
		if (r != SQLITE_DONE)
			return store_error(c->store, r, "indexing a person");
		if (sqlite3_changes(store_db(c->store)) > 0) {
			k->keys++;
			k->changed += !gained[w->person];
			gained[w->person] = 1;
		}
	}
	return 0;
}

int refdb_reindex_persons(struct refdb_ctx *c, size_t batch, struct refdb_reindex *k)
{
	struct store *s = c->store;
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM persons");
	int64_t total = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (st)
		sqlite3_reset(st);
	char *last = xstrdup("");
	struct buf ids = {0};
	struct key_rows b = {0};
	int rc = 0;
	for (;;) {
		/* the batch's ids first: the transaction writes the index they are read by */
		size_t n = 0, last_at = 0;
		ids.len = b.arena.len = b.n = 0;
		st = store_stmt(s, "SELECT id FROM persons WHERE id > ?1 ORDER BY id LIMIT ?2");
		if (!st) {
			rc = store_error(s, SQLITE_ERROR, "reading the persons");
			break;
		}
		sqlite3_bind_text(st, 1, last, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)batch);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			last_at = ids.len;
			buf_add(&ids, sqlite3_column_text(st, 0),
				(size_t)sqlite3_column_bytes(st, 0));
			buf_addc(&ids, '\0');
			n++;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			rc = store_error(s, rc, "reading the persons");
			break;
		}
		rc = 0;
		if (!n || (rc = store_begin(s)))
			break;
		free(last);
		last = xstrdup(ids.p + last_at);
		const char *id = ids.p;
		for (b.person = 0; b.person < n && !rc; b.person++, id += strlen(id) + 1) {
			b.id = b.arena.len;
			buf_add(&b.arena, id, strlen(id) + 1);
			rc = each_stored_key(c, id, add_key_row, &b);
		}
		/* counted once the batch is committed */
		struct refdb_reindex done = {0};
		unsigned char *gained = xcalloc(n, 1);
		if (!rc)
			rc = reindex_write(c, &b, gained, &done);
		free(gained);
		key_counts_forget();
		int64_t seq;
		if (rc || (rc = store_commit(s, &seq))) {
			store_rollback(s);
			break;
		}
		k->persons += n;
		k->keys += done.keys;
		k->changed += done.changed;
		if (k->progress)
			k->progress(k, total, k->ctx);
	}
	free(last);
	free(b.rows);
	buf_free(&b.arena);
	buf_free(&ids);
	/* the keys it changed, packed once each; else by the next load */
	if (!rc)
		(void)keypack_store(s);
	return rc;
}

/* The name normaliser, opened on first use (ICU's transliterators take a
 * while). NULL when it cannot start: said once, and c->error is set. */
static struct name_normalizer *normalizer(struct refdb_ctx *c)
{
	char err[256];
	if (!c->names && !c->error && !(c->names = names_open(err, sizeof err))) {
		warnx("cannot start name matching: %s", err);
		c->error = CCC_EX_SOFTWARE;
	}
	return c->names;
}

/* names_readings, opening the normaliser only for a name that needs ICU;
 * -1 when it needs it and it cannot start (c->error says so). */
static int readings(struct refdb_ctx *c, const char *name, size_t len,
		    struct name_tokens t[NAME_READINGS_MAX])
{
	int n = names_readings(c->names, name, len, t, NAME_READINGS_MAX);
	if (n < 0 && !c->names)
		n = normalizer(c) ? names_readings(c->names, name, len, t, NAME_READINGS_MAX) : -1;
	return n;
}

/*
 * The stored form of a person's names (all: an array of strings, each read
 * as readings() does, the readings one a line) into norm, and the index keys
 * of each reading into keys: the key, its NUL, then the reading's signature
 * (8 bytes); the person born in the ny years. 0, or the exit code when the
 * normaliser cannot start.
 */
static int read_names(struct refdb_ctx *c, jv all, const int *years, int ny, struct buf *norm,
		      struct buf *keys)
{
	int rc = 0;
	jv_array_foreach (all, i, name) {
		/* every reading of a name in Chinese characters is a name of its own */
		struct name_tokens t[NAME_READINGS_MAX];
		char line[1024], k[KEYS_MAX][PERSON_KEY_MAX];
		int nr = rc ? 0
			    : readings(c, jv_string_value(name),
				       (size_t)jv_string_length_bytes(jv_copy(name)), t);
		if (nr < 0 && c->error)
			rc = c->error;
		for (int r = 0; r < nr && !rc; r++) {
			if (t[r].n == 0)
				continue;
			size_t n = names_serialize(&t[r], line, sizeof line);
			if (norm->len)
				buf_addc(norm, '\n');
			buf_add(norm, line, n);
			size_t nk = name_keys(&t[r], years, ny, k, NULL);
			uint64_t sig = name_sig(&t[r], NULL);
			for (size_t j = 0; j < nk; j++) {
				buf_add(keys, k[j], strlen(k[j]) + 1);
				buf_add(keys, &sig, sizeof sig);
			}
		}
		jv_free(name);
	}
	return rc;
}

/* Whether the person id is stored with the names norm (as read_names writes
 * them): 1 if so, 0 if not or not stored, with *rc set on a store error. */
static int stored_names(struct refdb_ctx *c, const char *id, const struct buf *norm, int *rc)
{
	sqlite3_stmt *st = store_stmt(c->store, SQL_PERSON_NAMES);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int r = sqlite3_step(st), same = 0;
	if (r == SQLITE_ROW)
		same = (size_t)sqlite3_column_bytes(st, 0) == norm->len &&
		       !memcmp(sqlite3_column_blob(st, 0), norm->p, norm->len);
	else if (r != SQLITE_DONE)
		*rc = store_error(c->store, r, "reading a person's names");
	sqlite3_reset(st);
	return same;
}

/* Every date of birth of a person record ("dob": a string or an array of
 * them) is a real date (dob_valid); else -1 with the reason. */
static int person_dobs_valid(jv rec, char *reason, size_t rlen)
{
	jv v = jv_object_get(jv_copy(rec), jv_string("dob"));
	int rc = 0;
	if (jv_get_kind(v) == JV_KIND_STRING)
		v = jv_array_append(jv_array(), v);
	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		jv_array_foreach (v, i, e) {
			if (!rc && (jv_get_kind(e) != JV_KIND_STRING ||
				    (jv_string_length_bytes(jv_copy(e)) &&
				     !dob_valid(jv_string_value(e)))))
				rc = bad(reason, rlen,
					 "field 'dob': '%.40s' is not a date of birth (YYYY, "
					 "YYYY-MM or YYYY-MM-DD, a real calendar date)",
					 jv_get_kind(e) == JV_KIND_STRING ? jv_string_value(e)
									  : "not a string");
			jv_free(e);
		}
	} else if (jv_get_kind(v) != JV_KIND_NULL && jv_get_kind(v) != JV_KIND_INVALID) {
		rc = bad(reason, rlen, "field 'dob': expected a date or a list of dates%s", "");
	}
	jv_free(v);
	return rc;
}

static int load_person(struct refdb_ctx *c, jv rec, int remove, char *reason, size_t rlen)
{
	const char *id = jv_get_str(rec, "id");
	struct common k;
	struct buf norm = {0}, json = {0};
	int rc;

	char claim[3];
	if (!id || !*id)
		return bad(reason, rlen, "field 'id': missing%s", "");
	if (claimed_owner(c, rec, remove, claim, reason, rlen) < 0)
		return -1;
	struct stored old = {0};
	if ((rc = owned_by(c, REFDB_PERSONS, SQL_PERSON_OWNER, id, NULL, id, claim, remove, reason,
			   rlen, &old)) ||
	    (!remove && (rc = person_dobs_valid(rec, reason, rlen)))) {
		free(old.record);
		return rc;
	}
	uint8_t hash[SOURCE_HASH_LEN];
	int hashed;
	if (!remove && same_source(c, REFDB_PERSONS, claim, &old, hash, &hashed)) {
		free(old.record);
		return REFDB_UNCHANGED;
	}
	if (remove) {
		free(old.record);
		key_counts_forget();
		if ((rc = drop_keys(c, id)))
			return rc;
		sqlite3_stmt *st = store_stmt(c->store, SQL_PERSON_DEL);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		return rc == SQLITE_DONE ? 0 : store_error(c->store, rc, "removing a person");
	}
	jv all = jv_array();
	collect_names(rec, &all);
	if (jv_array_length(jv_copy(all)) == 0) {
		jv_free(all);
		free(old.record);
		return bad(reason, rlen, "field 'names': missing (give name, names or aliases)%s",
			   "");
	}
	if (common_fields(c, rec, &k, reason, rlen) < 0) {
		jv_free(all);
		free(old.record);
		return -1;
	}
	/* its names as this version reads them, and their index keys */
	struct buf keys = {0};
	char *dob = joined(jv_object_get(jv_copy(rec), jv_string("dob")), '|');
	int years[YEARS_MAX], ny = birth_years(dob, years);
	rc = read_names(c, all, years, ny, &norm, &keys);
	jv_free(all);
	if (!rc && !norm.len) {
		free(old.record);
		free(dob);
		common_free(&k);
		buf_free(&keys);
		return bad(reason, rlen, "field 'names': no name has a letter%s", "");
	}
	/* an unchanged person is neither written nor indexed again, unless an
	 * earlier version read its names otherwise */
	enum put put =
	    rc ? PUT_SAME : settle(c, rec, REFDB_PERSONS, id, &k, jv_object(), &old, &json);
	int stored = old.found;
	free(old.record);
	if (!rc && put != PUT_WRITE && !stored_names(c, id, &norm, &rc) && !rc)
		put = PUT_WRITE;
	if (!rc && put != PUT_WRITE) {
		if (put == PUT_RENEW || (hashed && hashed_before(c, claim, &old)))
			rc = renew(c, SQL_PERSON_RENEW, id, NULL, &k, &json, hashed ? hash : NULL);
		if (!rc && put == PUT_SAME)
			rc = REFDB_UNCHANGED;
	}
	if (rc || put != PUT_WRITE) {
		free(dob);
		common_free(&k);
		buf_free(&keys);
		buf_free(&norm);
		buf_free(&json);
		return rc;
	}
	key_counts_forget();
	/* a new person has no keys to drop: its names are not read again */
	if (stored && (rc = drop_keys(c, id))) {
		free(dob);
		common_free(&k);
		buf_free(&keys);
		buf_free(&norm);
		buf_free(&json);
		return rc;
	}
	/* no row of its id in the index, nor any change of one in the
	 * transaction: its rows may be written outside the session */
	int fresh = !stored && c->held && !idset_has(&c->held->gone, id);
	for (size_t at = 0; at < keys.len && !rc;) {
		const char *key = keys.p + at;
		size_t kl = strlen(key);
		uint64_t sig;
		memcpy(&sig, key + kl + 1, sizeof sig);
		rc = put_key(c, key, id, sig, fresh);
		at += kl + 1 + sizeof sig;
	}
	buf_free(&keys);
	char *countries = joined(jv_object_get(jv_copy(rec), jv_string("nationalities")), ',');
	const char *notice = jv_get_str(rec, "notice");
	if (!rc) {
		sqlite3_stmt *st = store_stmt(c->store, SQL_PERSON_PUT);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, k.owner, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, k.allow, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, k.deny, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, k.review_by, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, notice, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, norm.p, (int)norm.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, dob, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, countries, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, json.p, (int)json.len, SQLITE_STATIC);
		bind_hash(st, 11, hashed ? hash : NULL);
		int r = sqlite3_step(st);
		rc = r == SQLITE_DONE ? 0 : store_error(c->store, r, "loading a person");
	}
	if (!rc && c->held) {
		idset_add(&c->held->ids, id);
		/* the batch ends once its changeset passes STORE_ENTRY_BYTES: the
		 * rows held are counted in it by then */
		if (store_tx_bytes(c->store) + c->held->bytes >= STORE_ENTRY_BYTES)
			rc = refdb_write_keys(c, 0);
	}
	free(dob);
	free(countries);
	common_free(&k);
	buf_free(&norm);
	buf_free(&json);
	return rc;
}

int refdb_load(struct refdb_ctx *c, enum refdb db, jv rec, int remove, char *reason, size_t rlen)
{
	const char *action = jv_get_str(rec, "action");
	int rc;
	if (action && !strcmp(action, "remove"))
		remove = 1;
	else if (action && strcmp(action, "load") != 0) {
		snprintf(reason, rlen, "field 'action': '%.20s' is not load or remove", action);
		jv_free(rec);
		return -1;
	}
	switch (db) {
	case REFDB_DOCUMENTS: rc = load_document(c, rec, remove, reason, rlen); break;
	case REFDB_PERSONS: rc = load_person(c, rec, remove, reason, rlen); break;
	default: rc = load_item(c, db, rec, remove, reason, rlen); break;
	}
	jv_free(rec);
	return rc;
}

/* A hit the requesting country may not see: that a restricted record of
 * owner matches, in the one band every such hit is reported in. */
static jv restricted_hit(const char *owner)
{
	return JV_OBJECT(jv_string("restricted"), jv_true(), jv_string("owner"), jv_string(owner),
			 jv_string("band"), jv_string(REFDB_RESTRICTED_BAND));
}

/* A hit as the requesting country may see it. */
static jv hit(struct refdb_ctx *c, const char *id, double score, const char *status,
	      const char *owner, const char *allow, const char *deny, const char *notice,
	      const char *why, const char *record, int record_len)
{
	jv h = jv_object();
	if (restricted(c, owner, allow, deny)) {
		jv_free(h);
		return restricted_hit(owner);
	}
	char reason[64];
	h = jv_object_set(h, jv_string("id"), jv_string(id));
	h = jv_object_set(h, jv_string("score"),
			  jv_number((double)(long)(score * 1000 + 0.5) / 1000));
	h = jv_object_set(h, jv_string("status"), status ? jv_string(status) : jv_null());
	h = jv_object_set(h, jv_string("owner"), jv_string(owner));
	h = jv_object_set(h, jv_string("notice"), notice ? jv_string(notice) : jv_null());
	h = jv_object_set(h, jv_string("restricted"), jv_false());
	h = jv_object_set(h, jv_string("why"), jv_string(why));
	/* as json_write stored it at load: the fast parser reads it (and hands
	 * anything it does not expect to jv_parse_sized) */
	jv rec = record ? json_parse_checked(record, (size_t)record_len) : jv_invalid();
	if (jv_is_valid(rec))
		h = jv_object_set(h, jv_string("record"), rec);
	else
		jv_free(rec);
	(void)reason;
	return h;
}

/* Hits best first: by score, highest first; restricted hits (which carry no
 * score, see restricted_hit) after the scored ones; ties keep the order
 * found (a stable sort). Consumes hits. */
struct ranked {
	jv hit;
	double score; /* -1: restricted */
	int i;
};

static int by_best(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

static jv hits_best_first(jv hits)
{
	int n = jv_get_kind(hits) == JV_KIND_ARRAY ? jv_array_length(jv_copy(hits)) : 0;
	if (n < 2)
		return hits;
	struct ranked *r = xcalloc((size_t)n, sizeof *r);
	for (int i = 0; i < n; i++) {
		jv s;
		r[i].hit = jv_array_get(jv_copy(hits), i);
		r[i].i = i;
		s = jv_object_get(jv_copy(r[i].hit), jv_string("score"));
		r[i].score = jv_get_kind(s) == JV_KIND_NUMBER ? jv_number_value(s) : -1;
		jv_free(s);
	}
	jv_free(hits);
	qsort(r, (size_t)n, sizeof *r, by_best);
	hits = jv_array();
	for (int i = 0; i < n; i++)
		hits = jv_array_append(hits, r[i].hit);
	free(r);
	return hits;
}

static jv check(const char *db, jv query, jv hits)
{
	jv c = jv_object();
	hits = hits_best_first(hits);
	c = jv_object_set(c, jv_string("db"), jv_string(db));
	c = jv_object_set(c, jv_string("query"), query);
	return jv_object_set(c, jv_string("hits"), hits);
}

/* Why a document of country rcc answers a query for country cc (empty: not
 * asked), into why; 1 for a full match, 0 when only the number matches (a
 * lower score). */
static int doc_match(const char *cc, const char *rcc, char *why, size_t n)
{
	if (!*cc)
		snprintf(why, n, "number matches (issuing country not asked)");
	else if (!strcmp(cc, rcc))
		snprintf(why, n, "number and issuing country match");
	else {
		snprintf(why, n, "number matches, but issued by %s, not %s", rcc, cc);
		return 0;
	}
	return 1;
}

jv refdb_check_document(struct refdb_ctx *c, const char *number, const char *country)
{
	char num[64], cc[3] = "", why[160];
	jv hits = jv_array();
	refdb_normalize_key(number, num, sizeof num);
	if (country && country_code(country, cc) < 0)
		cc[0] = '\0';
	sqlite3_stmt *st = store_stmt(c->store, SQL_DOC_GET);
	sqlite3_bind_text(st, 1, num, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *rcc = (const char *)sqlite3_column_text(st, 1);
		char id[96];
		snprintf(id, sizeof id, "doc:%s:%s", rcc, num);
		double score = doc_match(cc, rcc, why, sizeof why) ? 1.0 : 0.8;
		hits = jv_array_append(hits,
				       hit(c, id, score, (const char *)sqlite3_column_text(st, 2),
					   (const char *)sqlite3_column_text(st, 3),
					   (const char *)sqlite3_column_text(st, 4),
					   (const char *)sqlite3_column_text(st, 5), NULL, why,
					   NULL, 0)); /* the id says number and country */
	}
	sqlite3_reset(st);
	jv q = jv_object_set(jv_object(), jv_string("number"), jv_string(num));
	if (*cc)
		q = jv_object_set(q, jv_string("country"), jv_string(cc));
	return check("documents", q, hits);
}

jv refdb_check_item(struct refdb_ctx *c, enum refdb db, const char *key)
{
	jv hits = jv_array();
	sqlite3_stmt *st = store_stmt(c->store, SQL_ITEM_GET);
	sqlite3_bind_text(st, 1, names[db], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char id[240];
		snprintf(id, sizeof id, "%s:%s", names[db], key);
		hits = jv_array_append(hits,
				       hit(c, id, 1.0, (const char *)sqlite3_column_text(st, 1),
					   (const char *)sqlite3_column_text(st, 2),
					   (const char *)sqlite3_column_text(st, 3),
					   (const char *)sqlite3_column_text(st, 4), NULL,
					   "key matches", (const char *)sqlite3_column_text(st, 5),
					   sqlite3_column_bytes(st, 5)));
	}
	sqlite3_reset(st);
	return check(names[db], jv_object_set(jv_object(), jv_string("key"), jv_string(key)), hits);
}

jv refdb_check_plate(struct refdb_ctx *c, const char *plate, const char *country)
{
	char p[80], cc[3], key[120];
	refdb_normalize_key(plate, p, sizeof p);
	if (country_code(country, cc) < 0)
		return jv_invalid_with_msg(jv_string("a plate needs its country (--country)"));
	snprintf(key, sizeof key, "plate:%s:%s", cc, p);
	return refdb_check_item(c, REFDB_VEHICLES, key);
}

struct candidate {
	size_t id;    /* where its id starts in the candidates' id arena */
	double share; /* the weights of the query's tokens and pairs its names share */
	double rank;  /* less a little for each token they have that the query has not */
	double score;
	int hidden;   /* restricted for the requesting country: scored on the name alone */
	int scored;   /* where its score was found (struct scored), once scored */
	int near;     /* born in the query's year (2) or a year off (1): found by a year key
		       * (gather_years) or looked up (date_ties) */
	int named;    /* found by a key of its name, not only by a year key */
	int vetted;   /* whether the requesting country may see it was looked up */
	uint64_t sig; /* the signatures of the entries it was found by */
};

/* Ranked first, then by id (ids: the id arena), so equal ranks come in a stable order. */
static int by_rank(const void *a, const void *b, void *ids)
{
	const struct candidate *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? 1 : -1;
	return strcmp((const char *)ids + x->id, (const char *)ids + y->id);
}

static int by_score(const void *a, const void *b, void *ids)
{
	const struct candidate *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp((const char *)ids + x->id, (const char *)ids + y->id);
}

/* Where a person's best score was found: the reading of the query, the stored
 * name (its offset in the names, NO_LINE for none) and what was found there. */
#define NO_LINE ((size_t)-1)
struct scored {
	int reading;
	size_t line;
	struct person_match m;
};

/*
 * The best score of the query against a person's stored names (one normalised
 * name a line), the first best one described in *best (best->line NO_LINE
 * when none scores above 0).
 */
static double best_name(const struct person *qp, const char *names_text, const char *pdob,
			const char *pcc, struct scored *best)
{
	double top = 0;
	best->line = NO_LINE;
	if (!names_text)
		return 0;
	for (const char *line = names_text; *line;) {
		size_t n = strcspn(line, "\n");
		struct name_tokens t;
		if (names_restore_tokens(line, n, &t) > 0) {
			struct person cp = {&t, pdob, pcc};
			struct person_match m;
			double s = person_score_match(qp, &cp, &m);
			if (s > top) {
				top = s;
				best->line = (size_t)(line - names_text);
				best->m = m;
			}
		}
		line += n + (line[n] == '\n');
	}
	return top;
}

/* The candidates of a check: the persons its index entries named, ranked. */
struct gathering {
	struct candidate cand[CAND_MAX];
	size_t n;
	struct buf ids;                  /* their ids, one after another */
	unsigned short seen[SEEN_SLOTS]; /* candidate index + 1, by id hash */
	size_t rows, scanned;            /* entries taken, and looked at */
};

/* The query's tokens as the signatures see them: bit[i] the bit of token i,
 * weight[i] its weight, sig all of them; and its keys of two tokens in any
 * order, pair[i] the bits of the two, pair_weight[i] the key's (npair). */
struct query_bits {
	unsigned n;
	uint64_t bit[NAME_TOKENS_MAX];
	double weight[NAME_TOKENS_MAX];
	uint64_t sig;
	unsigned npair;
	uint64_t pair[2][PAIRS_MAX];
	double pair_weight[PAIRS_MAX];
};

/* The weight of the query's pair keys a signature has both tokens of: what
 * the person would weigh, read through each of them (gather_years). */
static double sig_pairs(uint64_t sig, const struct query_bits *b)
{
	double w = 0;
	for (unsigned i = 0; i < b->npair; i++)
		if (sig & b->pair[0][i] && sig & b->pair[1][i])
			w += b->pair_weight[i];
	return w;
}

/* The weight of the query's tokens a signature shares. */
static double sig_share(uint64_t sig, const struct query_bits *b)
{
	double share = 0;
	for (unsigned i = 0; i < b->n; i++)
		if (sig & b->bit[i])
			share += b->weight[i];
	return share;
}

/* Its rank, from its share: less for each token the query does not have, as
 * a person of many aliases has many bits and must not outrank one named as
 * asked. */
static double sig_rank(uint64_t sig, double share, const struct query_bits *b)
{
	return share - 0.1 * __builtin_popcountll(sig & ~b->sig);
}

/*
 * The entries of one key, in the order of the index: from its packs
 * (keypack.h) when they are exact and this transaction has not written the
 * index (a key is marked unpacked at the commit), else from person_keys.
 * With others, only those that share one of its tokens (an entry without a
 * signature shares them all); at most limit.
 */
struct key_read {
	sqlite3_stmt *st;
	struct keypack_cursor cur; /* packed: the rest of the chunk read */
	int packed;
	uint64_t others;
	int64_t left;
	const char *id; /* the entry read: valid until the next */
	uint64_t sig;
};

static void key_read_open(struct refdb_ctx *c, struct key_read *r, const char *key, int packed,
			  uint64_t others, int64_t limit)
{
	*r = (struct key_read){.others = others, .left = limit};
	r->packed = packed && c->keys_tx != store_tx(c->store);
	r->st = store_stmt(c->store, r->packed ? SQL_KEY_PACKS
				     : others  ? SQL_KEY_GET_SHARED
					       : SQL_KEY_GET);
	sqlite3_bind_text(r->st, 1, key, -1, SQLITE_STATIC);
	if (r->packed)
		return;
	sqlite3_bind_int64(r->st, 2, limit);
	if (others)
		sqlite3_bind_int64(r->st, 3, (sqlite3_int64)others);
}

/* The next entry (r->id, r->sig): 1, or 0 at the end. */
static int key_read_next(struct key_read *r)
{
	if (r->left <= 0)
		return 0;
	if (!r->packed) {
		if (sqlite3_step(r->st) != SQLITE_ROW)
			return 0;
		r->id = (const char *)sqlite3_column_text(r->st, 0);
		r->sig = keypack_sig(r->st, 1);
		r->left--;
		return 1;
	}
	for (;;) {
		while (keypack_next(&r->cur, &r->id, &r->sig))
			if (!r->others || r->sig & r->others) {
				r->left--;
				return 1;
			}
		if (sqlite3_step(r->st) != SQLITE_ROW)
			return 0;
		r->cur.p = sqlite3_column_blob(r->st, 0);
		r->cur.end = r->cur.p + sqlite3_column_bytes(r->st, 0);
	}
}

static void key_read_close(struct key_read *r)
{
	sqlite3_reset(r->st);
}

/* Take an index entry: a person the check had not named yet becomes a
 * candidate; one it had gains the weight of the key (pair). near: taken from
 * a year key (gather_years ranks them). */
static void take(struct gathering *g, const char *id, uint64_t sig, double pair, int near,
		 const struct query_bits *b)
{
	g->rows++;
	if (!id)
		return;
	size_t len = strlen(id), slot = hash_fnv1a(id, len) % SEEN_SLOTS;
	while (g->seen[slot] && strcmp(g->ids.p + g->cand[g->seen[slot] - 1].id, id))
		slot = (slot + 1) % SEEN_SLOTS;
	if (g->seen[slot]) {
		struct candidate *k = &g->cand[g->seen[slot] - 1];
		k->rank += pair;
		k->share += pair;
		k->near = near > k->near ? near : k->near;
		k->named |= !near;
		k->sig |= sig;
		return;
	}
	struct candidate *k = &g->cand[g->n];
	g->seen[slot] = (unsigned short)(++g->n);
	k->id = g->ids.len;
	buf_add(&g->ids, id, len + 1);
	double share = sig_share(sig, b);
	k->share = pair + share;
	k->rank = pair + sig_rank(sig, share, b);
	k->score = 0;
	k->hidden = k->scored = 0;
	k->near = near;
	k->named = !near;
	k->vetted = 0;
	k->sig = sig;
}

/* Keep r among the n best ranks of a min-heap of at most max (ROW_BUDGET). */
static void heap_keep(double *heap, size_t *n, size_t max, double r)
{
	size_t i;
	if (*n < max) {
		for (i = (*n)++; i > 0 && heap[(i - 1) / 2] > r; i = (i - 1) / 2)
			heap[i] = heap[(i - 1) / 2];
		heap[i] = r;
		return;
	}
	if (!max || r <= heap[0])
		return;
	for (i = 0;;) { /* the least gives way: r sifts down from the root */
		size_t m = 2 * i + 1;
		if (m >= *n)
			break;
		if (m + 1 < *n && heap[m + 1] < heap[m])
			m++;
		if (heap[m] >= r)
			break;
		heap[i] = heap[m];
		i = m;
	}
	heap[i] = r;
}

/*
 * Take, of the entries r gives (a key read whole, filtered), the n ranked
 * first by their signatures, ties in the order of the index: not the first n
 * of the index, where a person whose id comes late is never found when more
 * than n share the query's tokens.
 */
static void take_ranked(struct gathering *g, struct key_read *r, size_t n, double pair, int near,
			const struct query_bits *b)
{
	struct entry {
		size_t id; /* in ids */
		uint64_t sig;
		double rank;
	} *e = NULL;
	size_t ne = 0, cap = 0, h = 0;
	struct buf ids = {0};
	double heap[ROW_BUDGET];
	if (n > ROW_BUDGET)
		n = ROW_BUDGET;
	while (key_read_next(r)) {
		if (!r->id)
			continue;
		if (ne == cap)
			e = xrealloc(e, (cap = cap ? cap * 2 : 64) * sizeof *e);
		e[ne] = (struct entry){ids.len, r->sig, 0};
		e[ne].rank = sig_rank(e[ne].sig, sig_share(e[ne].sig, b), b);
		buf_add(&ids, r->id, strlen(r->id) + 1);
		heap_keep(heap, &h, n, e[ne++].rank);
	}
	key_read_close(r);
	/* the rank of the n-th, and how many of that rank are taken */
	double least = -INFINITY;
	size_t at_least = SIZE_MAX;
	if (ne > n && h) {
		least = heap[0];
		at_least = 0;
		for (size_t i = 0; i < h; i++)
			at_least += heap[i] == least;
	}
	for (size_t i = 0; i < ne; i++) {
		if (e[i].rank < least || (e[i].rank == least && !at_least))
			continue;
		at_least -= e[i].rank == least;
		take(g, ids.p + e[i].id, e[i].sig, pair, near, b);
	}
	free(e);
	buf_free(&ids);
}

/*
 * Of keys[0..nk), the name keys (year NULL) or the year keys that name
 * anyone, a key twice once, into order from no on, in the order they come:
 * how many there are then. A year key of another year than year (its two
 * digits) is read as if it named twice as many: the query's year first.
 */
static size_t order_keys(struct refdb_ctx *c, char keys[][PERSON_KEY_MAX], size_t nk,
			 const char *year, struct key_order *order, size_t no)
{
	for (size_t i = 0; i < nk; i++) {
		if (year_key(keys[i]) != (year != NULL))
			continue;
		size_t j = 0;
		while (j < i && strcmp(keys[j], keys[i]))
			j++;
		int packed = 0;
		int n = j < i ? 0 : key_count(c, keys[i], &packed);
		if (n > 0)
			order[no++] = (struct key_order){
			    .count = n,
			    .packed = packed,
			    .k = i,
			    .by = year && strcmp(strchr(keys[i], '@') + 1, year) ? 2 * (int64_t)n
										 : n};
	}
	return no;
}

static void gather_years(struct refdb_ctx *c, const struct name_tokens *q,
			 char keys[][PERSON_KEY_MAX], const unsigned *tokens,
			 const struct key_order *order, size_t no, const struct query_bits *b,
			 struct gathering *g, size_t rows, size_t scan);

/* How many candidates share as many of the query's tokens as the best, by
 * their signatures (what keys of two tokens added, their order, left out),
 * and the best's share (top). */
static size_t best_shared(const struct gathering *g, const struct query_bits *b, double *top_out)
{
	double top = 0;
	size_t n = 0;
	for (size_t i = 0; i < g->n; i++) {
		double share = sig_share(g->cand[i].sig, b);
		if (share > top + 1e-9)
			top = share, n = 1;
		else if (share >= top - 1e-9)
			n++;
	}
	*top_out = top;
	return n;
}

/*
 * Whether the requesting country may not see the person id (1; 0 it may,
 * -1 no such person), and the years of birth of its row into years (*ny).
 */
static int person_facts(struct refdb_ctx *c, const char *id, int years[YEARS_MAX], int *ny)
{
	sqlite3_stmt *st = store_stmt(c->store, SQL_PERSON_FACTS);
	int hidden = -1;
	*ny = 0;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		hidden = restricted(c, (const char *)sqlite3_column_text(st, 2),
				    (const char *)sqlite3_column_text(st, 3),
				    (const char *)sqlite3_column_text(st, 4));
		*ny = birth_years((const char *)sqlite3_column_text(st, 0), years);
	}
	sqlite3_reset(st);
	return hidden;
}

/*
 * Of the candidates that share as many of the query's tokens as the best
 * (top, best_shared: read through a rare key, more of them than are scored
 * by rank), those born in year are near 2, a year either side 1, read from
 * their rows: the ones the requesting country may see (rank_again).
 */
static void date_ties(struct refdb_ctx *c, struct gathering *g, const struct query_bits *b,
		      double top, int year)
{
	for (size_t i = 0; i < g->n; i++) {
		struct candidate *k = &g->cand[i];
		int y[YEARS_MAX], n;
		if (sig_share(k->sig, b) < top - 1e-9)
			continue;
		k->vetted = 1;
		if (person_facts(c, g->ids.p + k->id, y, &n) != 0)
			continue;
		for (int j = 0; j < n; j++) {
			int d = abs(y[j] - year), near = d == 0 ? 2 : d == 1;
			k->near = near > k->near ? near : k->near;
		}
	}
}

/*
 * Every candidate ranked again from its signatures alone: the weight of the
 * query's tokens and pair keys they share (sig_pairs, as if every pair key
 * had been read whole), less a little for each token the query has not, and
 * NEAR_BONUS more for one born in its year (half of it a year off): less
 * than any token weighs (idf is more than 0.69), so that of the persons who
 * share as much of the query, those born when it says come first, and none
 * outranks one who shares more. What the name keys gave depends on how far
 * their budget went, and a person found by a year key was not read through
 * them. In the order of their ranks, which is the order the persons that
 * share as much as the best are scored in (refdb_check_person); nothing is
 * taken after this, so g->seen need not follow.
 *
 * Of those that would be scored (the first SCORE_BUDGET, then the others
 * that share as much as the best, SCORE_MAX in all), a person born when the
 * query says whom the requesting country may not see gains nothing by it,
 * and one that only a year key found is dropped: otherwise whether "a
 * restricted record matches" would tell its year of birth to a country that
 * varies the date it asks with. Looked up once each, until none changes.
 */
static void rank_again(struct refdb_ctx *c, struct gathering *g, const struct query_bits *b)
{
	for (;;) {
		double top = 0;
		for (size_t i = 0; i < g->n; i++) {
			struct candidate *k = &g->cand[i];
			double share = sig_share(k->sig, b);
			k->share = share + sig_pairs(k->sig, b);
			k->rank = k->share - (share - sig_rank(k->sig, share, b)) +
				  NEAR_BONUS * k->near / 2;
			if (k->share > top)
				top = k->share;
		}
		qsort_r(g->cand, g->n, sizeof *g->cand, by_rank, g->ids.p);
		int changed = 0;
		for (size_t i = 0, nscore = 0; i < g->n && nscore < SCORE_MAX; i++) {
			struct candidate *k = &g->cand[i];
			if (i >= SCORE_BUDGET && k->share < top - 1e-9)
				continue;
			nscore++;
			int y[YEARS_MAX], n;
			if (!k->near || k->vetted)
				continue;
			k->vetted = 1;
			if (person_facts(c, g->ids.p + k->id, y, &n) == 0)
				continue;
			k->near = k->named ? 0 : -1;
			changed = 1;
		}
		if (!changed)
			return;
		size_t m = 0;
		for (size_t i = 0; i < g->n; i++)
			if (g->cand[i].near >= 0)
				g->cand[m++] = g->cand[i];
		g->n = m;
	}
}

/*
 * Gather the candidates of one reading of the query, until rows entries are
 * taken or scan looked at (both counted from the first reading's start;
 * WIDE_BUDGET in proportion, when even the rarest key is beyond scan): the
 * rarest keys' index entries first. Each entry names a person and
 * carries its names' signature, so the persons are ranked by the weight of
 * the query's tokens they share without reading them. With the years of
 * birth the query looks its persons up by (ny of them, query_years), its
 * year keys are read after its name keys, in a budget of their own
 * (gather_years), when the name alone may not find its person: when no key
 * of a token, or of a pair of tokens in any order, names as few persons as
 * the rows it may take (a rare key of two tokens written together holds the
 * persons named in that order, which the query's person need not be), or
 * when one does but more persons share as many of its tokens as the best
 * than are scored by rank (SCORE_BUDGET): namesakes, whom the order of
 * their tokens ranks, and only the date of birth tells apart.
 */
static void gather(struct refdb_ctx *c, const struct name_tokens *q, const int *years, int ny,
		   struct gathering *g, size_t rows, size_t scan)
{
	char keys[KEYS_MAX][PERSON_KEY_MAX];
	unsigned tokens[KEYS_MAX];
	size_t nk = name_keys(q, years, ny, keys, tokens);
	struct key_order order[KEYS_MAX];

	/* The query's name keys that name anyone, the rarest first. */
	size_t no = order_keys(c, keys, nk, NULL, order, 0);
	sort_keys(order, no);
	int rare = 0;
	for (size_t o = 0; o < no; o++) {
		unsigned tk = tokens[order[o].k];
		rare |= (size_t)order[o].count <= rows - g->rows &&
			(strchr(keys[order[o].k], '+') || !(tk & (tk - 1)));
	}
	/* A token weighs the inverse document frequency of its own key (of the
	 * rarest key made from it alone, if it shares its key with another). */
	struct query_bits b = {.n = q->n};
	b.sig = name_sig(q, b.bit);
	for (size_t o = no; o-- > 0;)
		for (unsigned i = 0; i < q->n; i++)
			if (tokens[order[o].k] == 1u << i)
				b.weight[i] = idf(order[o].count);
	for (unsigned i = 0; i < q->n; i++) /* a token whose key another one shares too */
		for (size_t o = no; o-- > 0 && b.bit[i] && b.weight[i] == 0;)
			if (tokens[order[o].k] & (1u << i))
				b.weight[i] = idf(order[o].count);

	/* When even the rarest key is too common to look at whole, the keys
	 * are read whole all the same, the rarest first, while they fit in
	 * WIDE_BUDGET (in proportion to scan, as the readings share it): a name
	 * of common tokens only, whose person would seldom be among the first
	 * entries of a sampled index. */
	size_t wide_scan = scan * WIDE_BUDGET / SCAN_BUDGET;
	int widening = 0;
	for (size_t o = 0; o < no && g->rows < rows; o++) {
		size_t left = g->scanned < scan ? scan - g->scanned : 0;
		if (!left && !widening)
			break;
		/* A key with more entries than the budget left (shared) gives only
		 * the persons that share another of the query's tokens: others. */
		unsigned tk = tokens[order[o].k];
		uint64_t others = 0, own = 0;
		for (unsigned i = 0; i < q->n; i++)
			if (tk & (1u << i))
				own |= b.bit[i];
			else
				others |= b.bit[i];
		others &= ~own;
		size_t count = (size_t)order[o].count;
		int shared = count > rows - g->rows && others;
		/* A key too common to look at whole gives only the first persons
		 * of its index, a sample: taken only when nothing rarer was found,
		 * the entries handed over one by one and looked at here. A key
		 * that can be looked at whole is, by SQLite, which hands over
		 * only the persons that share another token, the ones ranked
		 * first taken. */
		int sample = shared && count > left;
		/* Read wide, a key is read whole though beyond scan, and gives
		 * half the rows left, so that the next key has its share. */
		int wide = sample && (widening || !g->n) && g->scanned + count <= wide_scan;
		if (!wide && (widening || (sample && g->n)))
			break;
		widening |= wide;
		sample &= !wide;
		/* a key made from two tokens tells they come in one name, and a
		 * spelling key that the token is spelt so, which signatures cannot:
		 * the persons read through it weigh it more. Not a key read wide:
		 * of its persons, only the ones ranked first are taken, and a
		 * person read through two such keys would outrank one that
		 * shares more of the query but was read through one. */
		double pair = !wide && (tk & (tk - 1) || keys[order[o].k][0] == '\'')
				  ? idf(order[o].count)
				  : 0;
		struct key_read r;
		if (shared && !sample) {
			key_read_open(c, &r, keys[order[o].k], order[o].packed, others,
				      order[o].count);
			g->scanned += count;
			size_t n = rows - g->rows;
			take_ranked(g, &r, wide ? (n + 1) / 2 : n, pair, 0, &b);
			continue;
		}
		key_read_open(c, &r, keys[order[o].k], order[o].packed, 0,
			      (int64_t)(sample ? left : rows - g->rows));
		while (g->rows < rows && key_read_next(&r)) {
			g->scanned++;
			if (sample && !(r.sig & others))
				continue;
			take(g, r.id, r.sig, pair, 0, &b);
		}
		key_read_close(&r);
	}
	double top = 0;
	if (!ny || (rare && best_shared(g, &b, &top) <= SCORE_BUDGET))
		return;
	/* its pair keys, for rank_again to rank by; then, when a rare key found
	 * them, the years of birth of those that share as much as the best, or
	 * else its year keys that name anyone, those of the year it gives first
	 * (those of the years either side as if they named twice as many) */
	for (size_t o = 0; o < no && b.npair < PAIRS_MAX; o++) {
		unsigned tk = tokens[order[o].k], i = 0, j;
		if (!strchr(keys[order[o].k], '+'))
			continue;
		while (i < q->n && !(tk & (1u << i)))
			i++;
		for (j = i + 1; j < q->n && !(tk & (1u << j));)
			j++;
		if (j >= q->n || !b.bit[i] || !b.bit[j])
			continue;
		b.pair[0][b.npair] = b.bit[i];
		b.pair[1][b.npair] = b.bit[j];
		b.pair_weight[b.npair++] = idf(order[o].count);
	}
	if (rare) {
		date_ties(c, g, &b, top, years[0]);
		rank_again(c, g, &b);
		return;
	}
	char year[3];
	snprintf(year, sizeof year, "%02d", ((years[0] % 100) + 100) % 100);
	size_t ny_keys = order_keys(c, keys, nk, year, order, 0);
	sort_keys(order, ny_keys);
	gather_years(c, q, keys, tokens, order, ny_keys, &b, g, g->rows + YEAR_ROWS,
		     g->scanned + YEAR_SCAN);
	rank_again(c, g, &b);
}

/*
 * The candidates of the query's year keys (order, no of them, in the order
 * they are read), after its name keys, until rows entries are taken or scan
 * looked at (counted from the start, as gather's): each key read whole
 * (a key that does not fit in what is left to look at is passed over),
 * those of its persons that share another of the query's tokens when it has
 * more than the rows left, the ones ranked first taken. A person taken so
 * was born within a year of the query's year (take: near).
 */
static void gather_years(struct refdb_ctx *c, const struct name_tokens *q,
			 char keys[][PERSON_KEY_MAX], const unsigned *tokens,
			 const struct key_order *order, size_t no, const struct query_bits *b,
			 struct gathering *g, size_t rows, size_t scan)
{
	for (size_t o = 0; o < no && g->rows < rows; o++) {
		size_t count = (size_t)order[o].count;
		if (g->scanned + count > scan)
			continue;
		uint64_t others = 0, own = 0;
		for (unsigned i = 0; i < q->n; i++)
			if (tokens[order[o].k] & (1u << i))
				own |= b->bit[i];
			else
				others |= b->bit[i];
		others &= ~own;
		struct key_read r;
		key_read_open(c, &r, keys[order[o].k], order[o].packed,
			      count > rows - g->rows ? others : 0, order[o].count);
		g->scanned += count;
		take_ranked(g, &r, rows - g->rows, 0, order[o].by == order[o].count ? 2 : 1, b);
	}
}

/*
 * The German spellings of a Russian name, written back in the English style,
 * to look the name up by (not to score it: the score reads the styles itself,
 * personmatch.c other_spellings). sch is ж or ш, so two spellings: one with
 * sch as zh (Schukow, Zhukov; Schirinowski), one with sch as sh and a ch that
 * begins a word as kh (Chruschtschow, Khrushchev); in both tsch is ch and w is
 * v (Andropow). A one-word query shares no key with the stored name without
 * them. Only for a name with sch: other names are looked up as written. Writes
 * at most two into alt and returns how many differ from the name.
 */
#define ALT_NAME_MAX 256
static int german_spellings(const char *name, char alt[2][ALT_NAME_MAX])
{
	size_t n = strlen(name);
	int k = 0;
	if (n >= ALT_NAME_MAX || !strcasestr(name, "sch"))
		return 0;
	for (int style = 0; style < 2; style++) {
		char *o = alt[k];
		for (size_t i = 0; i < n;) {
			char c = (char)tolower((unsigned char)name[i]);
			int start = !i || !isalpha((unsigned char)name[i - 1]);
			if (!strncasecmp(name + i, "tsch", 4)) {
				memcpy(o, "ch", 2), o += 2, i += 4;
			} else if (!strncasecmp(name + i, "sch", 3)) {
				memcpy(o, style ? "sh" : "zh", 2), o += 2, i += 3;
			} else if (style && start && !strncasecmp(name + i, "ch", 2)) {
				memcpy(o, "kh", 2), o += 2, i += 2;
			} else {
				*o++ = c == 'w' ? 'v' : name[i];
				i++;
			}
		}
		*o = '\0';
		if (strcasecmp(alt[k], name) && (!k || strcmp(alt[k], alt[0])))
			k++;
	}
	return k;
}

/* The best score of any reading of the query against a person's names (the
 * row st holds: names, dob, countries), where it was found in *sc. */
static double best_reading(const struct name_tokens *q, int nq, const char *dob, const char *cc,
			   sqlite3_stmt *st, struct scored *sc)
{
	double best = -1;
	sc->line = NO_LINE;
	for (int r = 0; r < nq; r++) {
		struct person qp = {&q[r], dob, cc};
		struct scored here;
		double s = best_name(&qp, (const char *)sqlite3_column_text(st, 0),
				     (const char *)sqlite3_column_text(st, 1),
				     (const char *)sqlite3_column_text(st, 2), &here);
		if (s > best) {
			best = s;
			*sc = here;
			sc->reading = r;
		}
	}
	return best < 0 ? 0 : best;
}

/* The explanation of the score best_reading found (*sc) on the same row,
 * written without scoring again into why[whysz]: empty when nothing scored. */
static void explain(const struct name_tokens *q, const char *dob, const char *cc, sqlite3_stmt *st,
		    const struct scored *sc, char *why, size_t whysz)
{
	const char *names_text = (const char *)sqlite3_column_text(st, 0);
	struct name_tokens t;
	why[0] = '\0';
	if (sc->line == NO_LINE || !names_text)
		return;
	const char *line = names_text + sc->line;
	if (names_restore_tokens(line, strcspn(line, "\n"), &t) <= 0)
		return;
	struct person qp = {&q[sc->reading], dob, cc},
		      cp = {&t, (const char *)sqlite3_column_text(st, 1),
			    (const char *)sqlite3_column_text(st, 2)};
	person_explain(&qp, &cp, &sc->m, why, whysz);
}

jv refdb_check_person(struct refdb_ctx *c, const char *name, const char *dob,
		      const char *nationality)
{
	struct name_tokens q[NAME_READINGS_MAX];
	/* the candidates are set as they come: only the rest starts at zero */
	struct gathering *g = xmalloc(sizeof *g);
	g->n = g->rows = g->scanned = 0;
	g->ids = (struct buf){0};
	memset(g->seen, 0, sizeof g->seen);
	char cc[3] = "";

	if (nationality && country_code(nationality, cc) < 0)
		cc[0] = '\0';
	jv query = jv_object_set(jv_object(), jv_string("name"), jv_string(name));
	if (dob && *dob)
		query = jv_object_set(query, jv_string("dob"), jv_string(dob));
	if (*cc)
		query = jv_object_set(query, jv_string("nationality"), jv_string(cc));
	/* A name in Chinese characters has readings (Mandarin, Korean,
	 * Japanese): each gathers its share of the candidates. */
	key_counts_check(c);
	int nq = readings(c, name, strlen(name), q);
	if (nq <= 0 || q[0].n == 0) {
		free(g);
		return check("persons", query, jv_array());
	}
	/* A Russian name in German letters is also looked up in English ones,
	 * with the last quarter of the budget: the name as written comes first. */
	char alt[2][ALT_NAME_MAX];
	int nalt = german_spellings(name, alt);
	int years[3], ny = query_years(dob, years);
	size_t rows = nalt ? ROW_BUDGET * 3 / 4 : ROW_BUDGET,
	       scan = nalt ? SCAN_BUDGET * 3 / 4 : SCAN_BUDGET;
	/* A name with a date of birth is looked up by its year keys too, in a
	 * budget of their own after its name keys (gather), so that the persons
	 * born near its year add to those its name found and take none of their
	 * place: a name of one reading, not looked up in German spellings too,
	 * which share the budget. */
	if (nq > 1 || nalt)
		ny = 0;
	for (int r = 0; r < nq; r++)
		gather(c, &q[r], years, ny, g, rows * (size_t)(r + 1) / (size_t)nq,
		       scan * (size_t)(r + 1) / (size_t)nq);
	for (int a = 0; a < nalt; a++) {
		struct name_tokens t[NAME_READINGS_MAX];
		if (readings(c, alt[a], strlen(alt[a]), t) > 0)
			gather(c, &t[0], NULL, 0, g,
			       rows + (ROW_BUDGET - rows) * (size_t)(a + 1) / (size_t)nalt,
			       scan + (SCAN_BUDGET - scan) * (size_t)(a + 1) / (size_t)nalt);
	}
	/* Score those ranked first: the first SCORE_BUDGET moved to the front, in order. */
	struct candidate *cand = g->cand;
	size_t nscore = 0;
	for (size_t i = 0; i < g->n; i++) {
		if (nscore == SCORE_BUDGET && by_rank(&cand[i], &cand[nscore - 1], g->ids.p) >= 0)
			continue;
		struct candidate t = cand[i];
		size_t j = nscore < SCORE_BUDGET ? nscore++ : nscore - 1;
		if (j != i)
			cand[i] = cand[j]; /* the one it displaces goes back to where it was */
		for (; j > 0 && by_rank(&t, &cand[j - 1], g->ids.p) < 0; j--)
			cand[j] = cand[j - 1];
		cand[j] = t;
	}
	/* and every other that shares as much as the best: what a person has
	 * beyond the query only orders them, it says nothing of the match */
	double top = 0;
	for (size_t i = 0; i < g->n; i++)
		if (cand[i].share > top)
			top = cand[i].share;
	for (size_t i = nscore; i < g->n && nscore < SCORE_MAX; i++)
		if (cand[i].share >= top - 1e-9) {
			struct candidate t = cand[nscore];
			cand[nscore++] = cand[i];
			cand[i] = t;
		}
	const char *qcc = *cc ? cc : NULL;
	struct person qbound = {&q[0], dob, qcc};
	struct scored sc[SCORE_MAX];
	for (size_t i = 0; i < nscore; i++) {
		sqlite3_stmt *st = store_stmt(c->store, SQL_PERSON_FACTS);
		sc[i].line = NO_LINE;
		cand[i].scored = (int)i; /* where it is found, for the explanation */
		sqlite3_bind_text(st, 1, g->ids.p + cand[i].id, -1, SQLITE_STATIC);
		int score = 0;
		if (sqlite3_step(st) == SQLITE_ROW) {
			/* A record the requesting country may not see is scored on the
			 * name alone: its date of birth and nationality stay out of
			 * reach of a country that varies them. */
			cand[i].hidden = restricted(c, (const char *)sqlite3_column_text(st, 2),
						    (const char *)sqlite3_column_text(st, 3),
						    (const char *)sqlite3_column_text(st, 4));
			/* One it may see whose date of birth and nationality keep it
			 * below the threshold, whatever its names, is not scored: its
			 * row is not even read (most candidates, when the query gives
			 * a date of birth). Its score stays 0: not reported. */
			score = cand[i].hidden ||
				person_score_bound(
				    &qbound, (const char *)sqlite3_column_text(st, 0),
				    (const char *)sqlite3_column_text(st, 1)) >= c->threshold;
		}
		sqlite3_reset(st);
		if (!score)
			continue;
		st = store_stmt(c->store, SQL_PERSON_SCORE);
		sqlite3_bind_text(st, 1, g->ids.p + cand[i].id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			cand[i].score = cand[i].hidden ? best_reading(q, nq, NULL, NULL, st, &sc[i])
						       : best_reading(q, nq, dob, qcc, st, &sc[i]);
		sqlite3_reset(st);
	}
	if (nscore)
		qsort_r(cand, nscore, sizeof *cand, by_score, g->ids.p);
	/* The hits it may see, at or above --threshold, at most --top, by score;
	 * then the restricted ones, each only "a restricted record matches":
	 * against a fixed threshold, not the caller's, at most a fixed number,
	 * in the order of their owners, so that no threshold, top or optional
	 * field tells their scores apart. */
	jv hits = jv_array();
	char hidden[REFDB_RESTRICTED_MAX][3];
	int nshown = 0, nhidden = 0;
	for (size_t i = 0; i < nscore; i++) {
		const char *id = g->ids.p + cand[i].id;
		if (cand[i].hidden) {
			if (nhidden < REFDB_RESTRICTED_MAX &&
			    cand[i].score >= REFDB_RESTRICTED_THRESHOLD) {
				sqlite3_stmt *st = store_stmt(c->store, SQL_PERSON_OWNER);
				sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
				if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
					snprintf(hidden[nhidden++], 3, "%s",
						 (const char *)sqlite3_column_text(st, 0));
				sqlite3_reset(st);
			}
			continue;
		}
		if (nshown >= c->top || cand[i].score < c->threshold)
			continue;
		nshown++;
		sqlite3_stmt *st = store_stmt(c->store, SQL_PERSON_GET);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			char why[256]; /* the explanation, only for the hits reported */
			explain(q, dob, qcc, st, &sc[cand[i].scored], why, sizeof why);
			hits =
			    jv_array_append(hits, hit(c, id, cand[i].score, NULL,
						      (const char *)sqlite3_column_text(st, 3),
						      (const char *)sqlite3_column_text(st, 4),
						      (const char *)sqlite3_column_text(st, 5),
						      (const char *)sqlite3_column_text(st, 6), why,
						      (const char *)sqlite3_column_text(st, 7),
						      sqlite3_column_bytes(st, 7)));
		}
		sqlite3_reset(st);
	}
	for (int i = 1; i < nhidden; i++) /* insertion sort: a handful */
		for (int j = i; j > 0 && strcmp(hidden[j], hidden[j - 1]) < 0; j--) {
			char t[3];
			memcpy(t, hidden[j], 3);
			memcpy(hidden[j], hidden[j - 1], 3);
			memcpy(hidden[j - 1], t, 3);
		}
	for (int i = 0; i < nhidden; i++)
		hits = jv_array_append(hits, restricted_hit(hidden[i]));
	buf_free(&g->ids);
	free(g);
	return check("persons", query, hits);
}

/* The time of a consultation, formatted once a second. */
static const char *audit_time(void)
{
	static time_t last = -1;
	static char now[RFC3339_LEN];
	time_t t = clock_now();
	if (t != last) {
		clock_format(t, now);
		last = t;
	}
	return now;
}

/*
 * The number of the next consultation: one more than the last one or the
 * floor (store_id_floor), whichever is higher. Read from the table once a
 * transaction and counted on from there (nobody else writes while it is
 * open; every consultation a program logs goes through audit_row), instead
 * of a sub-query on every row; fresh: read it again.
 */
static struct {
	struct store *s;
	uint64_t tx;
	int64_t next;
} audit_next;

static int64_t next_consultation(struct store *s, int fresh)
{
	int in_tx = !sqlite3_get_autocommit(store_db(s));
	if (!fresh && in_tx && audit_next.s == s && audit_next.tx == store_tx(s)) {
		int64_t floor = store_id_floor(s, "consultations");
		return audit_next.next > floor ? audit_next.next : floor + 1;
	}
	sqlite3_stmt *st = store_stmt(s, SQL_AUDIT_NEXT);
	int64_t n = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (st)
		sqlite3_reset(st);
	audit_next.s = in_tx && n ? s : NULL;
	audit_next.tx = store_tx(s);
	audit_next.next = n;
	return n;
}

/* A text value, or NULL. */
static void change_text_or_null(struct buf *b, const char *t)
{
	changeset_put_text(b, t, t ? strlen(t) : 0);
}

/*
 * The consultation row audit_row inserted, as the session writes it
 * (consultations: c, ts, actor, ncb, deployment, db, query, hits, item,
 * site, audit_seq; c its key). A check's log row is never changed later in
 * its transaction, so it is journaled from here (store_tx_add_changes), not
 * recorded by the session and read back at the commit: that was a fifth of
 * a document check's instructions.
 */
static void change_consultation(struct store *s, int64_t n, const char *ts, const char *actor,
				const struct refdb_ctx *c, const char *db, const char *query,
				size_t qlen, const char *hits, size_t hlen)
{
	struct buf b = {0};
	buf_add(&b, "T\013\001\000\000\000\000\000\000\000\000\000\000consultations", 27);
	buf_addc(&b, SQLITE_INSERT);
	buf_addc(&b, 0); /* direct */
	buf_addc(&b, SQLITE_INTEGER);
	for (int i = 7; i >= 0; i--)
		buf_addc(&b, (char)((uint64_t)n >> (8 * i)));
	change_text(&b, ts);
	change_text(&b, actor);
	change_text_or_null(&b, c->ncb);
	change_text_or_null(&b, c->deployment);
	change_text(&b, db);
	changeset_put_text(&b, query, qlen);
	changeset_put_text(&b, hits, hlen);
	change_text_or_null(&b, c->item);
	change_text(&b, store_site(s));
	buf_addc(&b, SQLITE_NULL); /* audit_seq: a check of this site's */
	store_tx_add_changes(s, b.p, b.len);
	buf_free(&b);
}

/*
 * Log a consultation: query and hits as JSON text. Its entity keys
 * (CHECK_*_KEYS, entity-keys.h) are the nkeys of keys when the caller made
 * them (one after another, each ended by a NUL), else (nkeys < 0) SQLite
 * reads them from the text.
 */
static int audit_row_keys(struct refdb_ctx *c, const char *db, const char *query, size_t qlen,
			  const char *hits, size_t hlen, const char *keys, long nkeys)
{
	int64_t n = next_consultation(c->store, 0);
	sqlite3_stmt *st = store_stmt(c->store, SQL_AUDIT);
	if (!st)
		return store_error(c->store, SQLITE_MISUSE, "logging a consultation");
	const char *ts = audit_time(); /* the same until the next call */
	sqlite3_bind_text(st, 1, ts, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, store_actor(c->store), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->ncb, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->deployment, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, db, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, query, (int)qlen, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, hits, (int)hlen, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, c->item, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, store_site(c->store), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, n);
	store_tx_record(c->store, 0);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT &&
	    sqlite3_extended_errcode(store_db(c->store)) == SQLITE_CONSTRAINT_PRIMARYKEY) {
		/* the number was taken after all: read it from the table again */
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 10, n = next_consultation(c->store, 1));
		rc = sqlite3_step(st);
	}
	store_tx_record(c->store, 1);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(c->store, rc, "logging a consultation");
	change_consultation(c->store, n, ts, store_actor(c->store), c, db, query, qlen, hits, hlen);
	audit_next.next = n + 1;
	if (nkeys >= 0)
		return store_index_check_keys(c->store, n, c->item, ts, keys, (size_t)nkeys);
	return store_index_consultation(c->store, n, db, query, qlen, hits, hlen, c->item, ts);
}

/* A key and its string value, as json_write writes them, after a comma unless first. */
static void field(struct buf *b, int first, const char *key, const char *value)
{
	if (!first)
		buf_addc(b, ',');
	json_write_str(b, key, strlen(key));
	buf_addc(b, ':');
	if (value)
		json_write_str(b, value, strlen(value));
	else
		buf_adds(b, "null");
}

int refdb_check_document_text(struct refdb_ctx *c, const char *number, const char *country,
			      struct buf *out, unsigned long *nhits)
{
	char num[64], cc[3] = "", why[160];
	static struct buf q, h; /* the audit's query and hits, reused */
	size_t start = out->len;
	refdb_normalize_key(number, num, sizeof num);
	if (country && country_code(country, cc) < 0)
		cc[0] = '\0';
	q.len = 0;
	buf_addc(&q, '{');
	field(&q, 1, "number", num);
	if (*cc)
		field(&q, 0, "country", cc);
	buf_addc(&q, '}');
	h.len = 0;
	buf_addc(&h, '[');
	buf_adds(out, "{\"db\":\"documents\",\"query\":");
	buf_add(out, q.p, q.len);
	buf_adds(out, ",\"hits\":[");
	*nhits = 0;
	sqlite3_stmt *st = store_stmt(c->store, SQL_DOC_GET);
	sqlite3_bind_text(st, 1, num, -1, SQLITE_STATIC);
	int r;
	/* Best first, as check() orders them: the hits scored 1, then those
	 * scored 0.8 (another issuing country), then the restricted; read in
	 * one pass, each kind into its own pair of buffers (o, a), joined after. */
	static struct buf o[3], a[3];
	for (int i = 0; i < 3; i++)
		o[i].len = a[i].len = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rcc = (const char *)sqlite3_column_text(st, 1);
		const char *owner = (const char *)sqlite3_column_text(st, 3);
		int hidden = restricted(c, owner, (const char *)sqlite3_column_text(st, 4),
					(const char *)sqlite3_column_text(st, 5));
		char id[96];
		int pass = hidden ? 2 : *cc && strcmp(cc, rcc) ? 1 : 0;
		struct buf *ob = &o[pass], *hb = &a[pass];
		snprintf(id, sizeof id, "doc:%s:%s", rcc, num);
		(*nhits)++;
		if (ob->len) {
			buf_addc(ob, ',');
			buf_addc(hb, ',');
		}
		buf_addc(ob, '{');
		buf_addc(hb, '{');
		if (hidden) {
			buf_adds(ob, "\"restricted\":true");
			field(ob, 0, "owner", owner);
			field(ob, 0, "band", REFDB_RESTRICTED_BAND);
			field(hb, 1, "owner", owner);
			buf_adds(hb, ",\"restricted\":true}");
			buf_addc(ob, '}');
			continue;
		}
		const char *score = doc_match(cc, rcc, why, sizeof why) ? "1" : "0.8";
		field(ob, 1, "id", id);
		buf_adds(ob, ",\"score\":");
		buf_adds(ob, score);
		field(ob, 0, "status", (const char *)sqlite3_column_text(st, 2));
		field(ob, 0, "owner", owner);
		buf_adds(ob, ",\"notice\":null,\"restricted\":false");
		field(ob, 0, "why", why);
		buf_addc(ob, '}');
		field(hb, 1, "id", id);
		field(hb, 0, "owner", owner);
		buf_adds(hb, ",\"restricted\":false}");
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		out->len = start;
		return store_error(c->store, r, "checking a document");
	}
	for (int i = 0, n = 0; i < 3; i++) {
		if (!o[i].len)
			continue;
		if (n++) {
			buf_addc(out, ',');
			buf_addc(&h, ',');
		}
		buf_add(out, o[i].p, o[i].len);
		buf_add(&h, a[i].p, a[i].len);
	}
	buf_adds(out, "]}");
	buf_addc(&h, ']');
	/* its key, as CHECK_DOC_KEYS reads it from q: the number is upper case already */
	char key[sizeof num + 4];
	snprintf(key, sizeof key, "doc:%s", num);
	return audit_row_keys(c, "documents", q.p, q.len, h.p, h.len, key, *num ? 1 : 0);
}

/* Whether a check's query has an action (a consultation that is not a check
 * of its own: `query ->> '$.action' IS NULL` is false in CHECK_*_KEYS). */
static int query_acts(jv chk)
{
	jv q = jv_object_get(jv_copy(chk), jv_string("query"));
	if (jv_get_kind(q) != JV_KIND_OBJECT) {
		jv_free(q);
		return 0;
	}
	jv a = jv_object_get(q, jv_string("action"));
	int acts = jv_is_valid(a) && jv_get_kind(a) != JV_KIND_NULL;
	jv_free(a);
	return acts;
}

int refdb_audit(struct refdb_ctx *c, jv chk)
{
	struct buf q = {0}, h = {0}, k = {0};
	if (c->error) /* a check that could not be made is not logged as made */
		return c->error;
	jv query = jv_object_get(jv_copy(chk), jv_string("query"));
	json_write(&q, query);
	jv_free(query);
	jv hits = jv_object_get(jv_copy(chk), jv_string("hits"));
	const char *db = jv_get_str(chk, "db");
	/* A check of persons names each hit's id (CHECK_PERSON_KEYS): made here
	 * from the ids while they are written, unless one is not a string (SQL
	 * then reads them from the text, as it would), or the query is not a
	 * check of its own (an action). */
	int person = db && !strcmp(db, "persons") && !query_acts(chk);
	long nkeys = person ? 0 : -1;
	buf_addc(&h, '[');
	if (jv_get_kind(hits) == JV_KIND_ARRAY) {
		/* each hit's id (when it has one), owner and restricted, written
		 * as they are: {"id":…,"owner":…,"restricted":…} */
		jv_array_foreach (hits, i, x) {
			jv id = jv_object_get(jv_copy(x), jv_string("id"));
			buf_adds(&h, i ? ",{" : "{");
			if (jv_is_valid(id)) {
				buf_adds(&h, "\"id\":");
				json_write(&h, id);
				buf_addc(&h, ',');
			}
			if (nkeys >= 0 && jv_get_kind(id) == JV_KIND_STRING &&
			    strlen(jv_string_value(id)) ==
				(size_t)jv_string_length_bytes(jv_copy(id))) {
				buf_adds(&k, "person:");
				buf_add(&k, jv_string_value(id), strlen(jv_string_value(id)) + 1);
				nkeys++;
			} else if (jv_is_valid(id) && jv_get_kind(id) != JV_KIND_NULL) {
				nkeys = -1;
			}
			jv_free(id);
			jv v = jv_object_get(jv_copy(x), jv_string("owner"));
			buf_adds(&h, "\"owner\":");
			json_write(&h, v);
			jv_free(v);
			v = jv_object_get(x, jv_string("restricted"));
			buf_adds(&h, ",\"restricted\":");
			json_write(&h, v);
			jv_free(v);
			buf_addc(&h, '}');
		}
	}
	jv_free(hits);
	buf_addc(&h, ']');
	int rc = audit_row_keys(c, db, q.p, q.len, h.p, h.len, k.p, nkeys);
	buf_free(&q);
	buf_free(&h);
	buf_free(&k);
	return rc;
}

int refdb_audit_access(struct refdb_ctx *c, const char *what, jv query)
{
	struct buf q = {0};
	json_write(&q, query);
	jv_free(query);
	int rc = audit_row(c, what, q.p, q.len, "[]", 2);
	buf_free(&q);
	return rc;
}

/* The record of a reference table that a change's key names, restricted? */
static const char *const SQL_RESTRICTED[] = {
    "SELECT allow IS NOT NULL OR deny IS NOT NULL FROM persons WHERE id = ?1",
    "SELECT allow IS NOT NULL OR deny IS NOT NULL FROM persons WHERE id = ?2",
    "SELECT allow IS NOT NULL OR deny IS NOT NULL FROM documents WHERE number = ?1 AND country = "
    "?2",
    "SELECT allow IS NOT NULL OR deny IS NOT NULL FROM items WHERE db = ?1 AND key = ?2",
};

int refdb_key_restricted(struct store *s, const char *table, jv key)
{
	static const char *const tables[] = {"persons", "person_keys", "documents", "items"};
	int t = -1, r = 1;
	for (int i = 0; i < 4; i++)
		if (table && !strcmp(table, tables[i]))
			t = i;
	if (t < 0) {
		jv_free(key);
		return -1;
	}
	sqlite3_stmt *st = store_stmt(s, SQL_RESTRICTED[t]);
	jv_array_foreach (key, i, v) {
		if (i < 2 && jv_get_kind(v) == JV_KIND_STRING)
			sqlite3_bind_text(st, i + 1, jv_string_value(v), -1, SQLITE_TRANSIENT);
		jv_free(v);
	}
	/* not stored any more: whether it was restricted is not known, so it is */
	if (sqlite3_step(st) == SQLITE_ROW)
		r = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	jv_free(key);
	return r;
}
