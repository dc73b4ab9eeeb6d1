/*
 * message.c: normalise and store message records.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/digest.h"
#include "ccc/entities.h"
#include "ccc/json.h"
#include "ccc/lang.h"
#include "ccc/message.h"
#include "ccc/ndjson.h"

static const char *const SQL_MESSAGE_INSERT =
    "INSERT OR IGNORE INTO messages(n, id, dkey, record) VALUES (?1, ?2, ?3, ?4)";
static const char *const SQL_MESSAGE_LAST = "SELECT max(coalesce(max(n), 0), ?1) FROM messages";

static const char *const known[] = {
    "type",    "v",        "id",      "source", "external_id", "origin_country", "received_at",
    "sent_at", "language", "subject", "body",   "refs",        "entities",       NULL};

static int is_known(const char *k)
{
	for (int i = 0; known[i]; i++)
		if (!strcmp(known[i], k))
			return 1;
	return 0;
}

/* Field value, or jv_null() when absent. Does not consume in. */
static jv field(jv in, const char *name)
{
	jv v = jv_object_get(jv_copy(in), jv_string(name));
	if (!jv_is_valid(v)) {
		jv_free(v);
		return jv_null();
	}
	return v;
}

static int bad(char *reason, size_t rlen, const char *name, const char *why, jv v)
{
	if (jv_is_valid(v) && jv_get_kind(v) != JV_KIND_NULL && strstr(why, "expected"))
		snprintf(reason, rlen, "field '%s': %s, got %s", name, why,
			 json_kind_phrase(jv_get_kind(v)));
	else
		snprintf(reason, rlen, "field '%s': %s", name, why);
	jv_free(v);
	return -1;
}

/* An optional string field; *out is a jv string or jv_null. */
static int opt_string(jv in, const char *name, jv *out, char *reason, size_t rlen)
{
	jv v = field(in, name);
	jv_kind k = jv_get_kind(v);
	if (k == JV_KIND_NULL || k == JV_KIND_STRING) {
		*out = v;
		return 0;
	}
	return bad(reason, rlen, name, "expected a string", v);
}

static int opt_time(jv in, const char *name, jv *out, char *reason, size_t rlen)
{
	jv v;
	time_t t;
	char buf[RFC3339_LEN];
	if (opt_string(in, name, &v, reason, rlen) < 0)
		return -1;
	if (jv_get_kind(v) == JV_KIND_NULL) {
		*out = v;
		return 0;
	}
	if (clock_parse(jv_string_value(v), &t) < 0) {
		snprintf(reason, rlen, "field '%s': '%.40s' is not an RFC 3339 time", name,
			 jv_string_value(v));
		jv_free(v);
		return -1;
	}
	jv_free(v);
	clock_format(t, buf);
	*out = jv_string(buf);
	return 0;
}

static int two_letters(const char *s, int upper)
{
	if (strlen(s) != 2)
		return 0;
	for (int i = 0; i < 2; i++)
		if (upper ? !isupper((unsigned char)s[i]) : !islower((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Hash a field and a separator (NUL), so that fields cannot run into each other. */
static void add_sep(struct digest_ctx *c, jv v)
{
	if (jv_get_kind(v) == JV_KIND_STRING)
		digest_update(c, jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
	digest_update(c, "", 1);
}

/* Append ,"name":value unless value is null. Consumes value. */
static void put_field(struct buf *o, const char *name, jv value)
{
	if (jv_get_kind(value) != JV_KIND_NULL && jv_is_valid(value)) {
		buf_addc(o, ',');
		buf_addc(o, '"');
		buf_adds(o, name);
		buf_adds(o, "\":");
		json_write(o, value);
	}
	jv_free(value);
}

int message_normalize(jv in, const struct message_defaults *d, struct message *m, char *reason,
		      size_t rlen)
{
	int ret = -1;
	jv source = jv_null(), ext = jv_null(), country = jv_null(), received = jv_null(),
	   sent = jv_null(), lang = jv_null(), subject = jv_null(), body = jv_null(),
	   refs = jv_null(), entities = jv_null();
	jv v;

	if (opt_string(in, "source", &source, reason, rlen) < 0)
		goto done;
	if (jv_get_kind(source) == JV_KIND_NULL || !*jv_string_value(source)) {
		jv_free(source);
		if (!d->source) {
			source = jv_null();
			snprintf(reason, rlen, "field 'source': missing (give --source)");
			goto done;
		}
		source = jv_string(d->source);
	}

	v = field(in, "external_id");
	if (jv_get_kind(v) == JV_KIND_NULL) {
		/* A raw record's own "id" is its external id; a message's "id" is ours. */
		jv type = field(in, "type");
		jv_free(v);
		v = jv_get_kind(type) == JV_KIND_NULL ? field(in, "id") : jv_null();
		jv_free(type);
	}
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL: ext = v; break;
	case JV_KIND_STRING:
		ext = jv_string_length_bytes(jv_copy(v)) ? v : (jv_free(v), jv_null());
		break;
	case JV_KIND_NUMBER: {
		double n = jv_number_value(v);
		char tmp[32];
		jv_free(v);
		if (n != (double)(long long)n) {
			snprintf(reason, rlen,
				 "field 'external_id': expected a string or an integer");
			goto done;
		}
		snprintf(tmp, sizeof tmp, "%lld", (long long)n);
		ext = jv_string(tmp);
		break;
	}
	default: bad(reason, rlen, "external_id", "expected a string or an integer", v); goto done;
	}

	if (opt_string(in, "origin_country", &country, reason, rlen) < 0)
		goto done;
	if (jv_get_kind(country) == JV_KIND_NULL && d->origin_country) {
		jv_free(country);
		country = jv_string(d->origin_country);
	}
	if (jv_get_kind(country) == JV_KIND_STRING) {
		char cc[3] = {0};
		const char *s = jv_string_value(country);
		if (strlen(s) == 2) {
			cc[0] = (char)toupper((unsigned char)s[0]);
			cc[1] = (char)toupper((unsigned char)s[1]);
		}
		if (!two_letters(cc, 1)) {
			snprintf(reason, rlen,
				 "field 'origin_country': '%.20s' is not an ISO 3166 alpha-2 code",
				 s);
			goto done;
		}
		jv_free(country);
		country = jv_string(cc);
	}

	if (opt_time(in, "received_at", &received, reason, rlen) < 0 ||
	    opt_time(in, "sent_at", &sent, reason, rlen) < 0)
		goto done;
	if (jv_get_kind(received) == JV_KIND_NULL) {
		char buf[RFC3339_LEN];
		clock_format(d->now, buf);
		received = jv_string(buf);
	}

	if (opt_string(in, "subject", &subject, reason, rlen) < 0 ||
	    opt_string(in, "body", &body, reason, rlen) < 0)
		goto done;
	if ((jv_get_kind(subject) == JV_KIND_NULL || !*jv_string_value(subject)) &&
	    (jv_get_kind(body) == JV_KIND_NULL || !*jv_string_value(body))) {
		snprintf(reason, rlen,
			 "field 'body': missing (a message needs a subject or a body)");
		goto done;
	}

	v = field(in, "refs");
	if (jv_get_kind(v) == JV_KIND_STRING) {
		refs = jv_array_append(jv_array(), v);
	} else if (jv_get_kind(v) == JV_KIND_ARRAY) {
		int n = jv_array_length(jv_copy(v));
		for (int i = 0; i < n; i++) {
			jv e = jv_array_get(jv_copy(v), i);
			if (jv_get_kind(e) != JV_KIND_STRING) {
				snprintf(reason, rlen,
					 "field 'refs': element %d: expected a string, got %s", i,
					 json_kind_phrase(jv_get_kind(e)));
				jv_free(e);
				jv_free(v);
				goto done;
			}
			jv_free(e);
		}
		refs = v;
	} else if (jv_get_kind(v) == JV_KIND_NULL) {
		refs = jv_array();
	} else {
		bad(reason, rlen, "refs", "expected an array of strings", v);
		goto done;
	}

	if (opt_string(in, "language", &lang, reason, rlen) < 0)
		goto done;
	if (jv_get_kind(lang) == JV_KIND_STRING) {
		const char *l = jv_string_value(lang);
		if (!two_letters(l, 0) && strcmp(l, "und") != 0) {
			snprintf(reason, rlen, "field 'language': '%.20s' is not an ISO 639-1 code",
				 l);
			goto done;
		}
	} else if (d->language) {
		jv_free(lang);
		lang = jv_string(d->language);
	}

	/* The text: its language, unless given, and the entities named in it. */
	struct buf *t = &m->json; /* free until message_store */
	t->len = 0;
	if (jv_get_kind(subject) == JV_KIND_STRING)
		buf_add(t, jv_string_value(subject),
			(size_t)jv_string_length_bytes(jv_copy(subject)));
	buf_addc(t, '\n');
	if (jv_get_kind(body) == JV_KIND_STRING)
		buf_add(t, jv_string_value(body), (size_t)jv_string_length_bytes(jv_copy(body)));
	if (jv_get_kind(lang) != JV_KIND_STRING) {
		jv_free(lang);
		lang = jv_string(lang_detect(t->p, t->len));
	}
	entities = entities_extract(t->p, t->len);

	/* The de-duplication key: (source, external_id), else a hash of the content. */
	struct buf *k = &m->dkey;
	k->len = 0;
	buf_adds(k, jv_string_value(source));
	buf_addc(k, '\x1f');
	if (jv_get_kind(ext) == JV_KIND_STRING) {
		buf_add(k, jv_string_value(ext), (size_t)jv_string_length_bytes(jv_copy(ext)));
	} else {
		uint8_t sum[SHA256_LEN];
		char hex[2 * 16 + 1];
		struct digest_ctx *c = digest_new();
		add_sep(c, country);
		add_sep(c, sent);
		add_sep(c, subject);
		add_sep(c, body);
		digest_final(c, sum);
		hex_encode(sum, 16, hex);
		buf_addc(k, '#');
		buf_adds(k, hex);
	}

	struct buf *o = &m->rest;
	o->len = 0;
	put_field(o, "source", source);
	put_field(o, "external_id", ext);
	put_field(o, "origin_country", country);
	put_field(o, "received_at", received);
	put_field(o, "sent_at", sent);
	put_field(o, "language", lang);
	put_field(o, "subject",
		  jv_get_kind(subject) == JV_KIND_NULL ? jv_string("") : jv_copy(subject));
	put_field(o, "body", jv_get_kind(body) == JV_KIND_NULL ? jv_string("") : jv_copy(body));
	put_field(o, "refs", refs);
	put_field(o, "entities", entities);
	refs = entities = jv_null();
	source = ext = country = received = sent = lang = jv_null();
	for (int it = jv_object_iter(in); jv_object_iter_valid(in, it);
	     it = jv_object_iter_next(in, it)) {
		jv key = jv_object_iter_key(in, it);
		const char *kname = jv_string_value(key);
		if (!is_known(kname)) {
			jv val = jv_object_iter_value(in, it);
			buf_addc(o, ',');
			json_write_str(o, kname, (size_t)jv_string_length_bytes(jv_copy(key)));
			buf_addc(o, ':');
			json_write(o, val);
			jv_free(val);
		}
		jv_free(key);
	}
	buf_addc(o, '}');
	ret = 0;
done:
	jv_free(in);
	jv_free(source);
	jv_free(ext);
	jv_free(country);
	jv_free(received);
	jv_free(sent);
	jv_free(lang);
	jv_free(subject);
	jv_free(body);
	jv_free(refs);
	jv_free(entities);
	return ret;
}

void message_free(struct message *m)
{
	buf_free(&m->rest);
	buf_free(&m->dkey);
	buf_free(&m->json);
}

int message_store(struct store *s, struct message *m, int *inserted)
{
	sqlite3_stmt *st;
	int rc;

	*inserted = 0;
	if (m->tx != store_tx(s)) {
		st = store_stmt(s, SQL_MESSAGE_LAST);
		sqlite3_bind_int64(st, 1, store_id_floor(s, "messages"));
		if ((rc = sqlite3_step(st)) != SQLITE_ROW)
			return store_error(s, rc, "numbering messages");
		m->next_n = sqlite3_column_int64(st, 0) + 1;
		m->tx = store_tx(s);
		sqlite3_reset(st);
	}
	snprintf(m->id, sizeof m->id, "msg-%s-%lld", store_site(s), (long long)m->next_n);
	m->json.len = 0;
	buf_adds(&m->json, "{\"type\":\"message\",\"v\":1,\"id\":\"");
	buf_adds(&m->json, m->id);
	buf_addc(&m->json, '"');
	buf_add(&m->json, m->rest.p, m->rest.len);

	st = store_stmt(s, SQL_MESSAGE_INSERT);
	sqlite3_bind_int64(st, 1, m->next_n);
	sqlite3_bind_text(st, 2, m->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->dkey.p, (int)m->dkey.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->json.p, (int)m->json.len, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_error(s, rc, "storing a message");
	if (sqlite3_changes(store_db(s)) > 0) {
		*inserted = 1;
		m->next_n++;
	}
	return 0;
}
