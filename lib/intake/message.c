/*
 * message.c: normalise and store message records.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/digest.h"
#include "ccc/entities.h"
#include "ccc/json.h"
#include "ccc/lang.h"
#include "ccc/message.h"
#include "ccc/ndjson.h"
#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

static const char *const SQL_MESSAGE_INSERT =
    "INSERT OR IGNORE INTO messages(n, id, dkey, record) VALUES (?1, ?2, ?3, ?4)";
static const char *const SQL_MESSAGE_LAST = "SELECT max(coalesce(max(n), 0), ?1) FROM messages";
static const char *const SQL_ATTACHMENT_INSERT =
    "INSERT OR IGNORE INTO attachments(sha256, size, content_type, data)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char *const SQL_MESSAGE_BY_KEY = "SELECT id, record FROM messages WHERE dkey = ?1";
/* Every version stored under an identity: its key is the identity (stored
 * before versions existed) or the identity, \x1e and the content digest. */
static const char *const SQL_MESSAGE_VERSIONS =
    "SELECT n, id, dkey, record, coalesce(record ->> '$.version', 1) FROM messages"
    " WHERE dkey >= ?1 AND dkey < ?2 ORDER BY n";

/* The fields of a message, and those the programs downstream own (not taken from input). */
static const char *const known[] = {
    "type",       "v",        "id",      "source", "external_id", "origin_country", "received_at",
    "sent_at",    "language", "subject", "body",   "refs",        "entities",       "version",
    "supersedes", "triage",   "checks",  "queue",  NULL};

/* The fields a stage adds to a stored message itself (ccc-triage, ccc-check)
 * or to what it writes (the queue of ccc-triage queue). */
static const char *const stage_fields[] = {"triage", "checks", "queue", NULL};

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

/* A field's text: p[0..n), or absent (p NULL). */
struct text {
	const char *p;
	size_t n;
};

static struct text text_of(jv v)
{
	if (jv_get_kind(v) != JV_KIND_STRING)
		return (struct text){NULL, 0};
	return (struct text){jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v))};
}

/* The digest of what a message says: origin_country, sent_at, subject and
 * body (absent and empty are the same), each followed by a NUL so that
 * fields cannot run into each other, as 32 hex digits. */
static void content_digest(struct text country, struct text sent, struct text subject,
			   struct text body, char hex[33])
{
	uint8_t sum[SHA256_LEN];
	const struct text f[] = {country, sent, subject, body};
	char small[4096]; /* most messages: no allocation */
	size_t len = 0;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		len += f[i].n + 1;
	char *p = len <= sizeof small ? small : xmalloc(len), *q = p;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (f[i].n)
			memcpy(q, f[i].p, f[i].n);
		q += f[i].n;
		*q++ = '\0';
	}
	digest_sha256(p, len, sum);
	if (p != small)
		free(p);
	hex_encode(sum, 16, hex);
}

void message_id_normalize(const char *id, struct buf *out)
{
	size_t n = strlen(id), at;
	while (n && isspace((unsigned char)*id))
		id++, n--;
	while (n && isspace((unsigned char)id[n - 1]))
		n--;
	if (n >= 2 && id[0] == '<' && id[n - 1] == '>')
		id++, n -= 2;
	for (at = n; at > 0 && id[at - 1] != '@'; at--)
		;
	if (at == 0)
		at = n; /* no domain: as given */
	buf_add(out, id, at);
	for (size_t i = at; i < n; i++)
		buf_addc(out, (char)tolower((unsigned char)id[i]));
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

/* The fields of a message record that message_normalize works out. */
struct fields {
	jv source, ext, country, received, sent, lang, subject, body, refs, entities;
};

#define TEXT_TYPE "text/plain; charset=utf-8"
#define JSON_TYPE "application/json"
/* Room for what message_store puts before the fields: type, v and id. */
#define ID_ROOM 192
/* A field whose JSON is shorter than this is never kept apart. */
#define APART_MIN 1024

/* Has field name been kept apart as JSON? */
static int apart(const struct message *m, const char *name)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (!strcmp(m->part[i].content_type, JSON_TYPE) && !strcmp(m->part[i].field, name))
			return 1;
	return 0;
}

/* The cut text: the first kept bytes of part p, then U+2026. */
static jv cut_text(const struct message_part *p)
{
	struct buf t = {0};
	buf_add(&t, p->data.p, p->kept);
	buf_adds(&t, "\xe2\x80\xa6"); /* U+2026 HORIZONTAL ELLIPSIS marks the cut */
	jv r = jv_string_sized(t.p, (int)t.len);
	buf_free(&t);
	return r;
}

/* Keep s[0..n) whole as part field of m; return the text left in the record:
 * at most keep bytes of it, cut at a character, then U+2026 (none when keep
 * is 0). */
static jv keep_apart(struct message *m, const char *field, const char *s, size_t n, size_t keep,
		     const char *content_type)
{
	struct message_part *p = &m->part[m->nparts++];
	uint8_t sum[SHA256_LEN];

	snprintf(p->field, sizeof p->field, "%s", field);
	p->data.len = 0;
	buf_add(&p->data, s, n);
	digest_sha256(s, n, sum);
	hex_encode(sum, SHA256_LEN, p->sha256);
	p->content_type = content_type;
	p->kept = keep ? utf8_valid_prefix(s, keep < n ? keep : n, 0) : 0;
	return keep ? cut_text(p) : jv_null();
}

/* Write the record's fields after "id" into m->rest, leaving out the fields
 * kept apart, and describing them in "truncated". Returns -1 with a reason
 * when the input's own "truncated" is not an array we can add to. */
static int write_rest(struct message *m, jv in, const struct fields *f, char *reason, size_t rlen)
{
	struct buf *o = &m->rest;
	o->len = 0;
	put_field(o, "source", jv_copy(f->source));
	put_field(o, "external_id", jv_copy(f->ext));
	put_field(o, "origin_country", jv_copy(f->country));
	put_field(o, "received_at", jv_copy(f->received));
	put_field(o, "sent_at", jv_copy(f->sent));
	put_field(o, "language", jv_copy(f->lang));
	put_field(o, "subject", jv_copy(f->subject));
	put_field(o, "body", jv_copy(f->body));
	put_field(o, "refs", jv_copy(f->refs));
	put_field(o, "entities", jv_copy(f->entities));
	if (m->nparts) {
		jv own = field(in, "truncated");
		jv_kind k = jv_get_kind(own);
		if (k != JV_KIND_NULL && k != JV_KIND_ARRAY)
			return bad(reason, rlen, "truncated", "expected an array", own);
		jv t = k == JV_KIND_ARRAY ? own : (jv_free(own), jv_array());
		for (size_t i = 0; i < m->nparts; i++) {
			const struct message_part *p = &m->part[i];
			jv e = jv_object();
			e = jv_object_set(e, jv_string("field"), jv_string(p->field));
			e = jv_object_set(e, jv_string("size"), jv_number((double)p->data.len));
			e = jv_object_set(e, jv_string("kept"), jv_number((double)p->kept));
			e = jv_object_set(e, jv_string("sha256"), jv_string(p->sha256));
			e = jv_object_set(e, jv_string("content_type"), jv_string(p->content_type));
			t = jv_array_append(t, e);
		}
		put_field(o, "truncated", t);
	}
	for (int it = jv_object_iter(in); jv_object_iter_valid(in, it);
	     it = jv_object_iter_next(in, it)) {
		jv key = jv_object_iter_key(in, it);
		const char *kname = jv_string_value(key);
		if (!is_known(kname) && !apart(m, kname) &&
		    !(m->nparts && !strcmp(kname, "truncated"))) {
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
	return 0;
}

/* The largest other field, by the length of its JSON, that may be kept
 * apart; *json is its JSON text. NULL when none is APART_MIN bytes long. */
static jv largest_field(const struct message *m, jv in, struct buf *json)
{
	jv best = jv_null();
	size_t best_len = APART_MIN - 1;
	struct buf t = {0};
	for (int it = jv_object_iter(in); jv_object_iter_valid(in, it);
	     it = jv_object_iter_next(in, it)) {
		jv key = jv_object_iter_key(in, it);
		const char *kname = jv_string_value(key);
		if (!is_known(kname) && strcmp(kname, "truncated") &&
		    strlen(kname) < sizeof m->part[0].field && !apart(m, kname)) {
			jv val = jv_object_iter_value(in, it);
			t.len = 0;
			json_write(&t, val);
			jv_free(val);
			if (t.len > best_len) {
				best_len = t.len;
				jv_free(best);
				best = jv_copy(key);
				json->len = 0;
				buf_add(json, t.p, t.len);
			}
		}
		jv_free(key);
	}
	buf_free(&t);
	return best;
}

/*
 * Make the record fit in max bytes (0: any): a long subject is cut; then, as
 * long as the record is too long, the body is cut to MESSAGE_BODY_KEEP bytes,
 * the largest other fields are left out, and the body is cut shorter; each
 * value is kept whole apart (see message.h). Updates f->subject and f->body.
 */
static int fit(struct message *m, jv in, struct fields *f, size_t max, char *reason, size_t rlen)
{
	size_t n = (size_t)jv_string_length_bytes(jv_copy(f->subject));
	struct message_part *body = NULL;
	if (n > MESSAGE_SUBJECT_MAX) {
		jv cut = keep_apart(m, "subject", jv_string_value(f->subject), n,
				    MESSAGE_SUBJECT_MAX - 3, TEXT_TYPE);
		jv_free(f->subject);
		f->subject = cut;
	}
	if (write_rest(m, in, f, reason, rlen) < 0)
		return -1;
#define OVER (max && m->rest.len + ID_ROOM > max)
	n = (size_t)jv_string_length_bytes(jv_copy(f->body));
	if (OVER && n > MESSAGE_BODY_KEEP) {
		body = &m->part[m->nparts];
		jv cut = keep_apart(m, "body", jv_string_value(f->body), n, MESSAGE_BODY_KEEP,
				    TEXT_TYPE);
		jv_free(f->body);
		f->body = cut;
		if (write_rest(m, in, f, reason, rlen) < 0)
			return -1;
	}
	while (OVER && m->nparts < MESSAGE_PARTS_MAX) {
		struct buf json = {0};
		jv key = largest_field(m, in, &json);
		if (jv_get_kind(key) != JV_KIND_NULL)
			jv_free(
			    keep_apart(m, jv_string_value(key), json.p, json.len, 0, JSON_TYPE));
		buf_free(&json);
		if (jv_get_kind(key) == JV_KIND_NULL)
			break;
		jv_free(key);
		if (write_rest(m, in, f, reason, rlen) < 0)
			return -1;
	}
	if (OVER && !body && n > APART_MIN && m->nparts < MESSAGE_PARTS_MAX) {
		body = &m->part[m->nparts];
		jv_free(keep_apart(m, "body", jv_string_value(f->body), n, n, TEXT_TYPE));
	}
	if (OVER && body) {
		/* the body gives up what is still too much (and room for its escapes) */
		size_t over = m->rest.len + ID_ROOM - max, kept = body->kept;
		kept = kept > 2 * over + 256 ? kept - 2 * over - 256 : 0;
		body->kept = utf8_valid_prefix(body->data.p, kept, 0);
		jv_free(f->body);
		f->body = cut_text(body);
		if (write_rest(m, in, f, reason, rlen) < 0)
			return -1;
	}
	if (OVER) {
		snprintf(reason, rlen,
			 "record of %zu bytes is longer than the %zu bytes a record may have "
			 "(three quarters of --max-line), even with its longest fields kept apart",
			 m->rest.len + ID_ROOM, max);
		return -1;
	}
#undef OVER
	return 0;
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
	m->named = jv_array_length(jv_copy(entities)) > 0;

	/*
	 * The de-duplication key. The identity is the sender (the channel's own
	 * when it has one, else the message's source) and its external id,
	 * followed by \x1e and the content digest, so that a changed message
	 * under a known identity is a new version; a message without an
	 * external id is known by its content alone.
	 */
	struct buf *k = &m->dkey;
	k->len = 0;
	content_digest(text_of(country), text_of(sent), text_of(subject), text_of(body), m->digest);
	buf_adds(k, d->identity ? d->identity : jv_string_value(source));
	buf_addc(k, '\x1f');
	m->versioned = jv_get_kind(ext) == JV_KIND_STRING;
	if (m->versioned) {
		if (d->message_id)
			message_id_normalize(jv_string_value(ext), k);
		else
			buf_add(k, jv_string_value(ext),
				(size_t)jv_string_length_bytes(jv_copy(ext)));
		m->identity_len = k->len;
		buf_addc(k, '\x1e');
	} else {
		buf_addc(k, '#');
	}
	buf_adds(k, m->digest);

	/* The key it had before identities left --source out, (source, external
	 * id as given) or (source, #digest), when that is another key. */
	struct buf *l = &m->legacy;
	l->len = 0;
	if (d->identity) {
		buf_adds(l, jv_string_value(source));
		buf_addc(l, '\x1f');
		if (m->versioned) {
			buf_add(l, jv_string_value(ext),
				(size_t)jv_string_length_bytes(jv_copy(ext)));
			if (l->len == m->identity_len && !memcmp(l->p, k->p, l->len))
				l->len = 0; /* found under the identity */
		} else {
			buf_addc(l, '#');
			buf_adds(l, m->digest);
			if (l->len == k->len && !memcmp(l->p, k->p, l->len))
				l->len = 0;
		}
	}

	m->nparts = 0;
	if (jv_get_kind(subject) == JV_KIND_NULL)
		subject = (jv_free(subject), jv_string(""));
	if (jv_get_kind(body) == JV_KIND_NULL)
		body = (jv_free(body), jv_string(""));
	struct fields f = {source, ext,     country, received, sent,
			   lang,   subject, body,    refs,     entities};
	ret = fit(m, in, &f, d->max_record, reason, rlen);
	subject = f.subject;
	body = f.body;
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

/*
 * The same from the text of a line that json_check has passed, without
 * building a jv object: for a line whose fields are all of the kinds a
 * message expects and that fits as it is. Its values are written as
 * message_normalize writes them (json_write of what libjq would have read),
 * so the record is the same byte for byte; a line this does not take (a
 * record type, a record version, an escape in a field name, a number that
 * is not a plain integer, anything message_normalize would refuse or cut)
 * is left to message_normalize.
 */

/* A value's JSON text in a line: p[0..n), or absent (p NULL). */
struct span {
	const char *p;
	size_t n;
};

#define LINE_FIELDS 64 /* fields of a line taken without a jv object */

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Past the string literal that begins at p; *escaped when it holds a '\'.
 * The next quote and the next backslash are found with memchr (a body is
 * most of a line, and byte by byte this was a tenth of an intake): a quote
 * with no backslash before it ends the string; a backslash takes the byte
 * after it, and the search goes on past both. */
static const char *skip_string(const char *p, const char *e, int *escaped)
{
	const char *quote = NULL;
	for (p++; p < e;) {
		if (!quote || quote < p)
			quote = memchr(p, '"', (size_t)(e - p));
		const char *bs = memchr(p, '\\', (size_t)((quote ? quote : e) - p));
		if (!bs)
			return quote ? quote + 1 : e;
		*escaped = 1;
		p = bs + 2;
	}
	return e;
}

/* Past the (valid) JSON value that begins at p. */
static const char *skip_value(const char *p, const char *e)
{
	int depth = 0, escaped;
	if (*p == '"')
		return skip_string(p, e, &escaped);
	if (*p != '{' && *p != '[') {
		while (p < e && !strchr(",}] \t\r\n", *p))
			p++;
		return p;
	}
	for (; p < e; p++) {
		if (*p == '"')
			p = skip_string(p, e, &escaped) - 1;
		else if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
	}
	return e;
}

static int is_null(struct span v)
{
	return !v.p || (v.n == 4 && !memcmp(v.p, "null", 4));
}

/* A string literal without escapes: its text (in t), 1; else 0. */
static int plain_string(struct span v, struct text *t)
{
	if (!v.p || v.p[0] != '"' || memchr(v.p, '\\', v.n))
		return 0;
	*t = (struct text){v.p + 1, v.n - 2};
	return 1;
}

/* A string literal's text, decoded into b when it has escapes. */
static void string_text(struct span v, struct buf *b, struct text *t)
{
	if (plain_string(v, t))
		return;
	b->len = 0;
	json_string_decode(b, v.p, v.n);
	*t = (struct text){b->p ? b->p : "", b->len};
}

/* Append v as json_write writes what libjq reads from it; -1 for a number
 * that is not a plain integer of at most 15 digits (whose double may print
 * otherwise). */
static int canon_value(struct buf *o, const char *p, const char *e, const char **end)
{
	struct buf tmp = {0};
	const char *q;
	int escaped = 0, rc = 0;
	p = skip_ws(p, e);
	switch (*p) {
	case '"':
		q = skip_string(p, e, &escaped);
		if (!escaped) {
			buf_add(o, p, (size_t)(q - p));
		} else {
			json_string_decode(&tmp, p, (size_t)(q - p));
			json_write_str(o, tmp.p ? tmp.p : "", tmp.len);
			buf_free(&tmp);
		}
		*end = q;
		return 0;
	case '{':
	case '[': {
		char close = *p == '{' ? '}' : ']';
		buf_addc(o, *p);
		p = skip_ws(p + 1, e);
		if (*p == close) {
			buf_addc(o, close);
			*end = p + 1;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				if (canon_value(o, p, e, &p) < 0)
					return -1;
				p = skip_ws(p, e);
				buf_addc(o, ':');
				p++; /* ':' */
			}
			if (canon_value(o, p, e, &p) < 0)
				return -1;
			p = skip_ws(p, e);
			buf_addc(o, *p);
			if (*p++ == close) {
				*end = p;
				return 0;
			}
		}
	}
	default:
		q = skip_value(p, e);
		if (*p == '-' || (*p >= '0' && *p <= '9')) {
			const char *d = *p == '-' ? p + 1 : p;
			rc = q - d > 15 ? -1 : 0;
			for (; d < q && !rc; d++)
				rc = *d >= '0' && *d <= '9' ? 0 : -1;
		}
		buf_add(o, p, (size_t)(q - p));
		*end = q;
		return rc;
	}
}

/* The fields of a line message_normalize reads, by name; the others are written as they come. */
enum {
	F_SOURCE,
	F_EXT,
	F_ID,
	F_COUNTRY,
	F_RECEIVED,
	F_SENT,
	F_LANG,
	F_SUBJECT,
	F_BODY,
	F_REFS,
	F_TYPE,
	F_V,
	F_OWN, /* ours, or a stage's: left out */
	F_OTHER,
};

static int field_number(const char *k, size_t n)
{
	static const struct {
		const char *name;
		int f;
	} names[] = {{"source", F_SOURCE},
		     {"external_id", F_EXT},
		     {"id", F_ID},
		     {"origin_country", F_COUNTRY},
		     {"received_at", F_RECEIVED},
		     {"sent_at", F_SENT},
		     {"language", F_LANG},
		     {"subject", F_SUBJECT},
		     {"body", F_BODY},
		     {"refs", F_REFS},
		     {"type", F_TYPE},
		     {"v", F_V},
		     {"entities", F_OWN},
		     {"version", F_OWN},
		     {"supersedes", F_OWN},
		     {"triage", F_OWN},
		     {"checks", F_OWN},
		     {"queue", F_OWN}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && !memcmp(names[i].name, k, n))
			return names[i].f;
	return F_OTHER;
}

struct line {
	struct span f[F_OTHER];       /* the fields read, by number */
	struct span key[LINE_FIELDS]; /* the other fields, in order: names */
	struct span val[LINE_FIELDS]; /* and values */
	size_t nother;
};

/* The top-level fields of the object p[0..n); -1 when there are too many,
 * or a name has an escape. */
static int split_line(const char *p, size_t n, struct line *l)
{
	const char *e = p + n;
	int escaped = 0;
	memset(l->f, 0, sizeof l->f);
	l->nother = 0;
	p = skip_ws(p, e);
	if (p >= e || *p != '{')
		return -1;
	p = skip_ws(p + 1, e);
	while (p < e && *p == '"') {
		const char *k = p;
		p = skip_string(p, e, &escaped);
		if (escaped)
			return -1;
		struct span key = {k, (size_t)(p - k)};
		p = skip_ws(p, e);
		p = skip_ws(p + 1, e); /* ':' */
		const char *v = p;
		p = skip_value(p, e);
		struct span val = {v, (size_t)(p - v)};
		int f = field_number(key.p + 1, key.n - 2);
		if (f == F_OTHER) {
			if (l->nother == LINE_FIELDS)
				return -1;
			l->key[l->nother] = key;
			l->val[l->nother++] = val;
		} else if (f != F_OWN) {
			l->f[f] = val;
		}
		p = skip_ws(p, e);
		if (p < e && *p == ',')
			p = skip_ws(p + 1, e);
	}
	return 0;
}

/* An optional string field without escapes: 0 (t absent for null); -1 otherwise. */
static int plain_field(struct span v, struct text *t)
{
	*t = (struct text){NULL, 0};
	return is_null(v) || plain_string(v, t) ? 0 : -1;
}

/* An optional time, in RFC 3339 as clock_format writes it, into out. */
static int time_field(struct span v, char out[RFC3339_LEN], struct text *t)
{
	char in[64];
	time_t when;
	if (plain_field(v, t) < 0 || t->n >= sizeof in)
		return -1;
	if (!t->p)
		return 0;
	memcpy(in, t->p, t->n);
	in[t->n] = '\0';
	if (clock_parse(in, &when) < 0)
		return -1;
	clock_format(when, out);
	*t = (struct text){out, strlen(out)};
	return 0;
}

/* refs as json_write writes them: a string is an array of one; -1 for what is not a string. */
static int refs_field(struct span v, struct buf *o)
{
	const char *p, *e;
	if (is_null(v)) {
		buf_adds(o, "[]");
		return 0;
	}
	e = v.p + v.n;
	if (v.p[0] == '"') {
		buf_addc(o, '[');
		canon_value(o, v.p, e, &p);
		buf_addc(o, ']');
		return 0;
	}
	if (v.p[0] != '[')
		return -1;
	for (p = skip_ws(v.p + 1, e); p < e && *p != ']'; p = skip_ws(p, e)) {
		if (*p == ',')
			p = skip_ws(p + 1, e);
		if (*p != '"')
			return -1;
		p = skip_string(p, e, &(int){0});
	}
	return canon_value(o, v.p, e, &p);
}

/* Append ,"name": and a text as a JSON string. */
static void put_text(struct buf *o, const char *name, struct text t)
{
	buf_adds(o, ",\"");
	buf_adds(o, name);
	buf_adds(o, "\":");
	json_write_str(o, t.p ? t.p : "", t.n);
}

/* Append ,"name": and a string value as json_write writes it. */
static void put_string(struct buf *o, const char *name, struct span v)
{
	const char *end;
	buf_adds(o, ",\"");
	buf_adds(o, name);
	buf_adds(o, "\":");
	canon_value(o, v.p, v.p + v.n, &end);
}

static int empty(struct text t)
{
	return !t.p || !t.n || !t.p[0];
}

/* subject or body: absent, or a string (its text decoded into b when it has escapes). */
static int text_field(struct span v, struct buf *b, struct text *t)
{
	*t = (struct text){NULL, 0};
	if (is_null(v))
		return 0;
	if (v.p[0] != '"')
		return -1;
	string_text(v, b, t);
	return 0;
}

/* The fields message_normalize reads of a line, checked and normalised as it does. */
struct line_fields {
	struct text source, ext, country, received, sent, lang, subject, body;
	char cc[3], received_buf[RFC3339_LEN], sent_buf[RFC3339_LEN];
};

static int read_fields(const struct line *l, const struct message_defaults *d, struct message *m,
		       struct line_fields *f)
{
	if (plain_field(l->f[F_SOURCE], &f->source) < 0)
		return -1;
	if (empty(f->source)) {
		if (!d->source)
			return -1;
		f->source = (struct text){d->source, strlen(d->source)};
	}
	if (plain_field(is_null(l->f[F_EXT]) ? l->f[F_ID] : l->f[F_EXT], &f->ext) < 0)
		return -1;
	if (f->ext.p && !f->ext.n)
		f->ext.p = NULL;
	if (plain_field(l->f[F_COUNTRY], &f->country) < 0)
		return -1;
	if (!f->country.p && d->origin_country)
		f->country = (struct text){d->origin_country, strlen(d->origin_country)};
	if (f->country.p) {
		memset(f->cc, 0, sizeof f->cc);
		if (f->country.n == 2) {
			f->cc[0] = (char)toupper((unsigned char)f->country.p[0]);
			f->cc[1] = (char)toupper((unsigned char)f->country.p[1]);
		}
		if (!two_letters(f->cc, 1))
			return -1;
		f->country = (struct text){f->cc, 2};
	}
	if (time_field(l->f[F_RECEIVED], f->received_buf, &f->received) < 0 ||
	    time_field(l->f[F_SENT], f->sent_buf, &f->sent) < 0)
		return -1;
	if (!f->received.p) {
		clock_format(d->now, f->received_buf);
		f->received = (struct text){f->received_buf, strlen(f->received_buf)};
	}
	if (text_field(l->f[F_SUBJECT], &m->subject_text, &f->subject) < 0 ||
	    text_field(l->f[F_BODY], &m->body_text, &f->body) < 0 ||
	    (empty(f->subject) && empty(f->body)) || f->subject.n > MESSAGE_SUBJECT_MAX)
		return -1;
	if (plain_field(l->f[F_LANG], &f->lang) < 0)
		return -1;
	if (f->lang.p) {
		char l2[4] = {0};
		if (f->lang.n < sizeof l2)
			memcpy(l2, f->lang.p, f->lang.n);
		if (!two_letters(l2, 0) && strcmp(l2, "und") != 0)
			return -1;
	} else if (d->language) {
		f->lang = (struct text){d->language, strlen(d->language)};
	}
	return 0;
}

/* The de-duplication key of a line's message (no channel identity). */
static void line_key(struct message *m, const struct line_fields *f)
{
	struct buf *k = &m->dkey;
	k->len = 0;
	content_digest(f->country, f->sent, f->subject, f->body, m->digest);
	buf_add(k, f->source.p, f->source.n);
	buf_addc(k, '\x1f');
	m->versioned = f->ext.p != NULL;
	if (m->versioned) {
		buf_add(k, f->ext.p, f->ext.n);
		m->identity_len = k->len;
		buf_addc(k, '\x1e');
	} else {
		buf_addc(k, '#');
	}
	buf_adds(k, m->digest);
	m->legacy.len = 0;
	m->nparts = 0;
}

/* subject or body into the record: as it came when it has no escape. */
static void put_text_field(struct buf *o, const char *name, struct span v, struct text t)
{
	struct text plain;
	if (!is_null(v) && plain_string(v, &plain))
		put_string(o, name, v);
	else
		put_text(o, name, t);
}

/* The record's fields after "id", as write_rest writes them; -1 for a value
 * this does not write as json_write would. */
static int write_line_rest(struct message *m, const struct line *l, const struct line_fields *f,
			   jv entities)
{
	struct buf *o = &m->rest;
	const char *end;
	o->len = 0;
	put_text(o, "source", f->source);
	if (f->ext.p)
		put_text(o, "external_id", f->ext);
	if (f->country.p)
		put_text(o, "origin_country", f->country);
	put_text(o, "received_at", f->received);
	if (f->sent.p)
		put_text(o, "sent_at", f->sent);
	put_text(o, "language", f->lang);
	put_text_field(o, "subject", l->f[F_SUBJECT], f->subject);
	put_text_field(o, "body", l->f[F_BODY], f->body);
	buf_adds(o, ",\"refs\":");
	if (refs_field(l->f[F_REFS], o) < 0)
		return -1;
	buf_adds(o, ",\"entities\":");
	json_write(o, entities);
	for (size_t i = 0; i < l->nother; i++) {
		buf_addc(o, ',');
		buf_add(o, l->key[i].p, l->key[i].n);
		buf_addc(o, ':');
		if (canon_value(o, l->val[i].p, l->val[i].p + l->val[i].n, &end) < 0)
			return -1;
	}
	buf_addc(o, '}');
	return 0;
}

int message_normalize_line(const char *p, size_t n, const struct message_defaults *d,
			   struct message *m)
{
	struct line l;
	struct line_fields f;
	if (d->identity || d->message_id || split_line(p, n, &l) < 0 || l.f[F_TYPE].p ||
	    l.f[F_V].p || read_fields(&l, d, m, &f) < 0)
		return 0;

	/* The text: its language, unless given, and the entities named in it. */
	struct buf *t = &m->json; /* free until message_store */
	t->len = 0;
	buf_add(t, f.subject.p, f.subject.n);
	buf_addc(t, '\n');
	buf_add(t, f.body.p, f.body.n);
	if (!f.lang.p) {
		f.lang.p = lang_detect(t->p, t->len);
		f.lang.n = strlen(f.lang.p);
	}
	jv entities = entities_extract(t->p, t->len);
	m->named = jv_array_length(jv_copy(entities)) > 0;
	line_key(m, &f);
	int rc = write_line_rest(m, &l, &f, entities);
	jv_free(entities);
	if (rc < 0 || (d->max_record && m->rest.len + ID_ROOM > d->max_record))
		return 0;
	return 1;
}

void message_free(struct message *m)
{
	buf_free(&m->legacy);
	buf_free(&m->rest);
	buf_free(&m->dkey);
	buf_free(&m->json);
	buf_free(&m->subject_text);
	buf_free(&m->body_text);
	for (size_t i = 0; i < MESSAGE_PARTS_MAX; i++)
		buf_free(&m->part[i].data);
}

/* The digest of a stored record (text), as content_digest; -1 when it does not parse. */
static int stored_digest(const unsigned char *text, int len, char hex[33])
{
	char reason[128];
	jv r = ndjson_parse((const char *)text, (size_t)len, reason, sizeof reason);
	if (!jv_is_valid(r)) {
		jv_free(r);
		return -1;
	}
	jv country = field(r, "origin_country"), sent = field(r, "sent_at"),
	   subject = field(r, "subject"), body = field(r, "body");
	content_digest(text_of(country), text_of(sent), text_of(subject), text_of(body), hex);
	jv_free(country);
	jv_free(sent);
	jv_free(subject);
	jv_free(body);
	jv_free(r);
	return 0;
}

/*
 * A message stored under m's key of before (message.h): m->dup_of when it
 * says what m says, else it is the version m follows. It is older than any
 * stored under m's identity.
 */
static int find_legacy(struct store *s, struct message *m)
{
	char hex[33];
	int rc;
	if (!m->legacy.len)
		return 0;
	sqlite3_stmt *st = store_stmt(s, SQL_MESSAGE_BY_KEY);
	sqlite3_bind_text(st, 1, m->legacy.p, (int)m->legacy.len, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		if (!m->versioned || (stored_digest(sqlite3_column_text(st, 1),
						    sqlite3_column_bytes(st, 1), hex) == 0 &&
				      !strcmp(hex, m->digest))) {
			snprintf(m->dup_of, sizeof m->dup_of, "%s", id);
		} else {
			m->version = 2;
			snprintf(m->supersedes, sizeof m->supersedes, "%s", id);
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading a message");
}

/*
 * The versions stored under m's identity: m->dup_of when one of them says
 * what m says, else m->version and m->supersedes for a new one.
 */
static int find_versions(struct store *s, struct message *m)
{
	const char *key = m->dkey.p;
	size_t idn = m->identity_len;
	char *hi = xmalloc(idn + 2);
	int rc;
	memcpy(hi, key, idn);
	hi[idn] = '\x1f';
	hi[idn + 1] = '\0';
	m->version = 1;
	if ((rc = find_legacy(s, m)) || m->dup_of[0]) {
		free(hi);
		return rc;
	}
	sqlite3_stmt *st = store_stmt(s, SQL_MESSAGE_VERSIONS);
	sqlite3_bind_text(st, 1, key, (int)idn, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, (int)idn + 1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 1);
		const char *k = (const char *)sqlite3_column_text(st, 2);
		size_t kn = (size_t)sqlite3_column_bytes(st, 2);
		char hex[33];
		int same;
		if (kn == idn) /* stored before versions: compare what it says */
			same = stored_digest(sqlite3_column_text(st, 3),
					     sqlite3_column_bytes(st, 3), hex) == 0 &&
			       !strcmp(hex, m->digest);
		else if (kn == m->dkey.len && k[idn] == '\x1e')
			same = !memcmp(k, key, kn);
		else
			continue; /* another identity that begins with this one */
		if (same) {
			snprintf(m->dup_of, sizeof m->dup_of, "%s", id);
			break;
		}
		/* the next after the newest version */
		m->version = sqlite3_column_int(st, 4) + 1;
		snprintf(m->supersedes, sizeof m->supersedes, "%s", id);
	}
	sqlite3_reset(st);
	free(hi);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading a message");
}

int message_store(struct store *s, struct message *m, int *inserted)
{
	sqlite3_stmt *st;
	int rc;

	*inserted = 0;
	m->dup_of[0] = m->supersedes[0] = '\0';
	m->version = 1;
	if ((rc = m->versioned ? find_versions(s, m) : find_legacy(s, m)))
		return rc;
	if (m->dup_of[0])
		return 0;
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
	if (m->version > 1) {
		char v[64];
		snprintf(v, sizeof v, ",\"version\":%d,\"supersedes\":", m->version);
		buf_adds(&m->json, v);
		json_write_str(&m->json, m->supersedes, strlen(m->supersedes));
	}
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
		/* a record of ccc-intake's names keys only in its entities (it
		 * takes no "checks" from input): none when they are empty */
		if (m->named && (rc = store_index_message(s, m->next_n, NULL, 0)))
			return rc;
		m->next_n++;
		for (size_t i = 0; i < m->nparts; i++) {
			const struct message_part *p = &m->part[i];
			st = store_stmt(s, SQL_ATTACHMENT_INSERT);
			sqlite3_bind_text(st, 1, p->sha256, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, (sqlite3_int64)p->data.len);
			sqlite3_bind_text(st, 3, p->content_type, -1, SQLITE_STATIC);
			if ((rc = sqlite3_bind_blob64(st, 4, p->data.p ? p->data.p : "",
						      p->data.len, SQLITE_STATIC)) != SQLITE_OK ||
			    (rc = sqlite3_step(st)) != SQLITE_DONE)
				return store_error(s, rc, "storing an attachment");
		}
		return 0;
	}
	/* stored already under its content key */
	st = store_stmt(s, SQL_MESSAGE_BY_KEY);
	sqlite3_bind_text(st, 1, m->dkey.p, (int)m->dkey.len, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(m->dup_of, sizeof m->dup_of, "%s", sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

static int is_stage_field(const char *k)
{
	for (int i = 0; stage_fields[i]; i++)
		if (!strcmp(stage_fields[i], k))
			return 1;
	return 0;
}

/* Add 'name' to the list in out (comma separated); count it. */
static void name_field(char *out, size_t n, int *count, const char *name)
{
	size_t len = strlen(out);
	if (len + 8 < n)
		snprintf(out + len, n - len, "%s'%.40s'", *count ? ", " : "", name);
	(*count)++;
}

int message_differs(jv piped, jv stored, char *out, size_t n)
{
	int count = 0;
	if (n)
		out[0] = '\0';
	jv_object_foreach (piped, k, v) {
		const char *name = jv_string_value(k);
		if (!is_stage_field(name)) {
			jv have = jv_object_get(jv_copy(stored), jv_copy(k));
			int same =
			    jv_is_valid(have) ? jv_equal(have, jv_copy(v)) : (jv_free(have), 0);
			if (!same)
				name_field(out, n, &count, name);
		}
		jv_free(k);
		jv_free(v);
	}
	jv_object_foreach (stored, k, v) {
		const char *name = jv_string_value(k);
		jv have = jv_object_get(jv_copy(piped), jv_copy(k));
		if (!is_stage_field(name) && !jv_is_valid(have))
			name_field(out, n, &count, name);
		jv_free(have);
		jv_free(k);
		jv_free(v);
	}
	return count;
}
