/*
 * etcd.c: an etcd v3 client over the HTTP/JSON gateway, with libcurl.
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "ccc/digest.h"
#include "ccc/etcd.h"
#include "ccc/exit.h"
#include "ccc/xmalloc.h"

enum { MAX_ENDPOINTS = 16, CONNECT_MS = 500, REQUEST_MS = 1000 };

struct etcd {
	CURL *curl;
	char *url[MAX_ENDPOINTS];
	int n, cur; /* cur: the member that answered last */
	struct buf reply;
	char curl_err[CURL_ERROR_SIZE];
	char err[512];
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

int etcd_open(const char *endpoints, struct etcd **out)
{
	struct etcd *e = xcalloc(1, sizeof *e);
	char *list = xstrdup(endpoints), *save = NULL;
	for (char *u = strtok_r(list, ",", &save); u; u = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(u);
		while (len && u[len - 1] == '/')
			u[--len] = '\0';
		if (strncmp(u, "http://", 7) && strncmp(u, "https://", 8)) {
			warnx("etcd: '%s' is not a client URL (http://HOST:PORT)", u);
			goto bad;
		}
		if (e->n == MAX_ENDPOINTS) {
			warnx("etcd: more than %d client URLs", MAX_ENDPOINTS);
			goto bad;
		}
		e->url[e->n++] = xstrdup(u);
	}
	if (e->n == 0) {
		warnx("etcd: no client URL in '%s'", endpoints);
		goto bad;
	}
	free(list);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) || !(e->curl = curl_easy_init())) {
		warnx("etcd: cannot start libcurl");
		etcd_close(e);
		return CCC_EX_SOFTWARE;
	}
	curl_easy_setopt(e->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_MS);
	curl_easy_setopt(e->curl, CURLOPT_TIMEOUT_MS, (long)REQUEST_MS);
	curl_easy_setopt(e->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e->curl, CURLOPT_WRITEDATA, &e->reply);
	curl_easy_setopt(e->curl, CURLOPT_ERRORBUFFER, e->curl_err);
	curl_easy_setopt(e->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	*out = e;
	return 0;
bad:
	free(list);
	etcd_close(e);
	return CCC_EX_CONFIG;
}

void etcd_close(struct etcd *e)
{
	if (!e)
		return;
	if (e->curl) {
		curl_easy_cleanup(e->curl);
		curl_global_cleanup();
	}
	for (int i = 0; i < e->n; i++)
		free(e->url[i]);
	buf_free(&e->reply);
	free(e);
}

const char *etcd_error(const struct etcd *e)
{
	return e->err;
}

/* The gateway's error reply {"error": ..., "message": ..., "code": N}: its message. */
static void reply_error(struct etcd *e, const char *url, long status)
{
	jv r = jv_parse_sized(e->reply.p ? e->reply.p : "", (int)e->reply.len);
	const char *m = jv_get_kind(r) == JV_KIND_OBJECT ? jv_get_str(r, "message") : NULL;
	if (m)
		snprintf(e->err, sizeof e->err, "etcd: %s: %s", url, m);
	else
		snprintf(e->err, sizeof e->err, "etcd: %s: HTTP status %ld", url, status);
	jv_free(r);
}

/*
 * POST body to path at the member that answered last, else at the next ones:
 * a member that cannot be reached, times out or answers 5xx (no leader, no
 * quorum) is passed over. *out gets the reply object.
 */
static int call(struct etcd *e, const char *path, const struct buf *body, jv *out)
{
	char url[600];
	int answered = 0; /* a member answered: its reason beats "cannot connect" */
	*out = jv_invalid();
	for (int k = 0; k < e->n; k++) {
		int i = (e->cur + k) % e->n;
		long status = 0;
		snprintf(url, sizeof url, "%s%s", e->url[i], path);
		curl_easy_setopt(e->curl, CURLOPT_URL, url);
		curl_easy_setopt(e->curl, CURLOPT_POSTFIELDS, body->p);
		curl_easy_setopt(e->curl, CURLOPT_POSTFIELDSIZE, (long)body->len);
		e->reply.len = 0;
		e->curl_err[0] = '\0';
		CURLcode c = curl_easy_perform(e->curl);
		if (c != CURLE_OK) {
			if (!answered || c != CURLE_COULDNT_CONNECT)
				snprintf(e->err, sizeof e->err, "etcd: %s: %s", e->url[i],
					 e->curl_err[0] ? e->curl_err : curl_easy_strerror(c));
			answered |= c != CURLE_COULDNT_CONNECT;
			continue;
		}
		curl_easy_getinfo(e->curl, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 500) {
			reply_error(e, e->url[i], status);
			answered = 1;
			continue;
		}
		if (status != 200) {
			reply_error(e, e->url[i], status);
			return status == 404 ? -1 : CCC_EX_UNAVAILABLE;
		}
		e->cur = i;
		jv r = jv_parse_sized(e->reply.p ? e->reply.p : "", (int)e->reply.len);
		if (jv_get_kind(r) != JV_KIND_OBJECT) {
			jv_free(r);
			snprintf(e->err, sizeof e->err,
				 "etcd: %s: a reply that is not a JSON object", e->url[i]);
			return CCC_EX_SOFTWARE;
		}
		*out = r;
		return 0;
	}
	return CCC_EX_UNAVAILABLE;
}

int etcd_int64(jv obj, const char *field, int64_t *out)
{
	jv v = jv_object_get(jv_copy(obj), jv_string(field));
	int rc = 0;
	*out = 0;
	if (jv_get_kind(v) == JV_KIND_STRING) {
		const char *s = jv_string_value(v);
		char *end;
		errno = 0;
		long long n = strtoll(s, &end, 10);
		if (!*s || *end || errno)
			rc = -1;
		else
			*out = n;
	} else if (jv_get_kind(v) == JV_KIND_NUMBER) {
		*out = (int64_t)jv_number_value(v);
	} else if (jv_is_valid(v) && jv_get_kind(v) != JV_KIND_NULL) {
		rc = -1;
	}
	jv_free(v);
	return rc;
}

/* Append s as a base64 JSON string. */
static void add_b64(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	char *t = xmalloc(base64_len(n) + 1);
	base64_encode((const uint8_t *)s, n, t);
	json_write_str(b, t, strlen(t));
	free(t);
}

static void add_int(struct buf *b, int64_t v)
{
	char t[32];
	int n = snprintf(t, sizeof t, "\"%" PRId64 "\"", v);
	buf_add(b, t, (size_t)n);
}

int etcd_parse_kv(jv item, struct etcd_kv *kv)
{
	memset(kv, 0, sizeof *kv);
	if (jv_get_kind(item) != JV_KIND_OBJECT)
		return -1;
	const char *v64 = jv_get_str(item, "value");
	if (etcd_int64(item, "create_revision", &kv->create_revision) ||
	    etcd_int64(item, "mod_revision", &kv->mod_revision) ||
	    etcd_int64(item, "lease", &kv->lease))
		return -1;
	if (v64) {
		size_t n = strlen(v64);
		uint8_t *t = malloc(n * 3 / 4 + 3);
		long len = t ? base64_decode(v64, n, t) : -1;
		if (len < 0) {
			free(t);
			return -1;
		}
		if (len > (long)sizeof kv->value - 1)
			len = (long)sizeof kv->value - 1;
		memcpy(kv->value, t, (size_t)len);
		kv->value[len] = '\0';
		free(t);
	}
	kv->found = 1;
	return 0;
}

/* The first of a range reply's kvs (rr: an object with "kvs"), or not found. */
static int first_kv(jv rr, struct etcd_kv *kv)
{
	memset(kv, 0, sizeof *kv);
	jv kvs = jv_object_get(jv_copy(rr), jv_string("kvs"));
	int rc = 0;
	if (jv_get_kind(kvs) == JV_KIND_ARRAY && jv_array_length(jv_copy(kvs)) > 0) {
		jv item = jv_array_get(jv_copy(kvs), 0);
		rc = etcd_parse_kv(item, kv) ? -1 : 0;
		jv_free(item);
	} else if (jv_is_valid(kvs) && jv_get_kind(kvs) != JV_KIND_NULL)
		rc = -1;
	jv_free(kvs);
	return rc;
}

static int bad_reply(struct etcd *e, const char *what)
{
	snprintf(e->err, sizeof e->err, "etcd: %s: %s", e->url[e->cur], what);
	return CCC_EX_SOFTWARE;
}

int etcd_lease_grant(struct etcd *e, long ttl_s, int64_t *id, long *ttl)
{
	struct buf b = {0};
	jv r;
	char t[64];
	snprintf(t, sizeof t, "{\"TTL\":\"%ld\"}", ttl_s);
	buf_adds(&b, t);
	int rc = call(e, "/v3/lease/grant", &b, &r);
	buf_free(&b);
	if (rc)
		return rc < 0 ? CCC_EX_UNAVAILABLE : rc;
	int64_t granted;
	const char *why = jv_get_str(r, "error");
	if (why) {
		snprintf(e->err, sizeof e->err, "etcd: %s: %s", e->url[e->cur], why);
		rc = CCC_EX_UNAVAILABLE;
	} else if (etcd_int64(r, "ID", id) || etcd_int64(r, "TTL", &granted) || *id == 0 ||
		   granted <= 0) {
		rc = bad_reply(e, "a lease grant without an ID or a TTL");
	} else {
		*ttl = (long)granted;
	}
	jv_free(r);
	return rc;
}

int etcd_lease_keepalive(struct etcd *e, int64_t id, long *ttl)
{
	struct buf b = {0};
	jv r;
	buf_adds(&b, "{\"ID\":");
	add_int(&b, id);
	buf_addc(&b, '}');
	int rc = call(e, "/v3/lease/keepalive", &b, &r);
	buf_free(&b);
	*ttl = 0;
	if (rc < 0)
		return 0; /* not found: the lease is gone */
	if (rc)
		return rc;
	/* a stream of one message: {"result": {...}} or {"error": {...}} */
	jv res = jv_object_get(jv_copy(r), jv_string("result"));
	int64_t t;
	if (jv_get_kind(res) != JV_KIND_OBJECT) {
		jv er = jv_object_get(jv_copy(r), jv_string("error"));
		const char *m =
		    jv_get_kind(er) == JV_KIND_OBJECT ? jv_get_str(er, "message") : NULL;
		if (m && strstr(m, "not found"))
			rc = 0;
		else if (m) {
			snprintf(e->err, sizeof e->err, "etcd: %s: %s", e->url[e->cur], m);
			rc = CCC_EX_UNAVAILABLE;
		} else {
			rc = bad_reply(e, "a keepalive reply without a result");
		}
		jv_free(er);
	} else if (etcd_int64(res, "TTL", &t)) {
		rc = bad_reply(e, "a keepalive reply with a bad TTL");
	} else {
		*ttl = t > 0 ? (long)t : 0;
	}
	jv_free(res);
	jv_free(r);
	return rc;
}

int etcd_lease_revoke(struct etcd *e, int64_t id)
{
	struct buf b = {0};
	jv r;
	buf_adds(&b, "{\"ID\":");
	add_int(&b, id);
	buf_addc(&b, '}');
	int rc = call(e, "/v3/lease/revoke", &b, &r);
	buf_free(&b);
	if (rc < 0)
		return 0; /* not found: gone already */
	jv_free(r);
	return rc;
}

int etcd_get(struct etcd *e, const char *key, struct etcd_kv *kv)
{
	struct buf b = {0};
	jv r;
	buf_adds(&b, "{\"key\":");
	add_b64(&b, key);
	buf_addc(&b, '}');
	int rc = call(e, "/v3/kv/range", &b, &r);
	buf_free(&b);
	if (rc)
		return rc < 0 ? CCC_EX_UNAVAILABLE : rc;
	if (first_kv(r, kv))
		rc = bad_reply(e, "a range reply with a malformed key");
	jv_free(r);
	return rc;
}

void etcd_create_body(struct buf *b, const char *key, const char *value, int64_t lease,
		      const char *guard, int64_t below)
{
	buf_adds(b, "{\"compare\":[{\"target\":\"CREATE\",\"key\":");
	add_b64(b, key);
	buf_adds(b, ",\"create_revision\":\"0\"}");
	if (guard) {
		buf_adds(b, ",{\"target\":\"MOD\",\"result\":\"LESS\",\"key\":");
		add_b64(b, guard);
		buf_adds(b, ",\"mod_revision\":");
		add_int(b, below);
		buf_addc(b, '}');
	}
	buf_adds(b, "],\"success\":[{\"request_put\":{\"key\":");
	add_b64(b, key);
	buf_adds(b, ",\"value\":");
	add_b64(b, value);
	buf_adds(b, ",\"lease\":");
	add_int(b, lease);
	buf_adds(b, "}}");
	if (guard) {
		buf_adds(b, ",{\"request_put\":{\"key\":");
		add_b64(b, guard);
		buf_adds(b, ",\"value\":");
		add_b64(b, value);
		buf_adds(b, "}}");
	}
	buf_adds(b, "],\"failure\":[{\"request_range\":{\"key\":");
	add_b64(b, key);
	buf_adds(b, "}}");
	if (guard) {
		buf_adds(b, ",{\"request_range\":{\"key\":");
		add_b64(b, guard);
		buf_adds(b, "}}");
	}
	buf_adds(b, "]}");
}

/* The range reply of a failed transaction's i-th request, into kv. */
static int txn_range(jv r, int i, struct etcd_kv *kv)
{
	jv rs = jv_object_get(jv_copy(r), jv_string("responses"));
	jv one = jv_get_kind(rs) == JV_KIND_ARRAY ? jv_array_get(jv_copy(rs), i) : jv_invalid();
	jv rr = jv_get_kind(one) == JV_KIND_OBJECT
		    ? jv_object_get(jv_copy(one), jv_string("response_range"))
		    : jv_invalid();
	int rc = jv_get_kind(rr) == JV_KIND_OBJECT ? first_kv(rr, kv) : -1;
	jv_free(rr);
	jv_free(one);
	jv_free(rs);
	return rc;
}

int etcd_create(struct etcd *e, const char *key, const char *value, int64_t lease,
		const char *guard, int64_t below, int *created, struct etcd_kv *kv,
		struct etcd_kv *guard_kv)
{
	struct buf b = {0};
	struct etcd_kv scratch;
	jv r;
	if (!guard_kv)
		guard_kv = &scratch;
	memset(guard_kv, 0, sizeof *guard_kv);
	etcd_create_body(&b, key, value, lease, guard, below);
	int rc = call(e, "/v3/kv/txn", &b, &r);
	buf_free(&b);
	if (rc)
		return rc < 0 ? CCC_EX_UNAVAILABLE : rc;
	jv ok = jv_object_get(jv_copy(r), jv_string("succeeded"));
	jv header = jv_object_get(jv_copy(r), jv_string("header"));
	int64_t rev = 0;
	*created = jv_get_kind(ok) == JV_KIND_TRUE;
	if (*created) {
		if (jv_get_kind(header) != JV_KIND_OBJECT || etcd_int64(header, "revision", &rev) ||
		    rev <= 0) {
			rc = bad_reply(e, "a transaction reply without a revision");
		} else {
			memset(kv, 0, sizeof *kv);
			kv->found = 1;
			snprintf(kv->value, sizeof kv->value, "%s", value);
			kv->create_revision = kv->mod_revision = rev;
			kv->lease = lease;
			if (guard) {
				*guard_kv = *kv;
				guard_kv->lease = 0;
			}
		}
	} else if (txn_range(r, 0, kv) || (guard && txn_range(r, 1, guard_kv))) {
		rc = bad_reply(e, "a transaction reply without its ranges");
	}
	jv_free(header);
	jv_free(ok);
	jv_free(r);
	return rc;
}
