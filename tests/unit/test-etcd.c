/*
 * The etcd gateway's JSON: the campaign transaction's body (keys and values
 * base64, int64 fields as strings), int64 fields as the gateway writes them,
 * and a range reply's key as etcd 3.4 answers it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/etcd.h"
#include "tap.h"

static void test_body(void)
{
	struct buf b = {0};
	etcd_create_body(&b, "/ccc/primary", "lyon", 4222584396692542725LL, NULL, 0);
	buf_addc(&b, '\0');
	is_str(b.p,
	       "{\"compare\":[{\"target\":\"CREATE\",\"key\":\"L2NjYy9wcmltYXJ5\","
	       "\"create_revision\":\"0\"}],"
	       "\"success\":[{\"request_put\":{\"key\":\"L2NjYy9wcmltYXJ5\",\"value\":\"bHlvbg==\","
	       "\"lease\":\"4222584396692542725\"}}],"
	       "\"failure\":[{\"request_range\":{\"key\":\"L2NjYy9wcmltYXJ5\"}}]}",
	       "create if absent, under the lease");
	b.len = 0;
	etcd_create_body(&b, "/k", "buenos-aires", 7, "/k/epoch", 43);
	buf_addc(&b, '\0');
	is_str(b.p,
	       "{\"compare\":[{\"target\":\"CREATE\",\"key\":\"L2s=\",\"create_revision\":\"0\"},"
	       "{\"target\":\"MOD\",\"result\":\"LESS\",\"key\":\"L2svZXBvY2g=\","
	       "\"mod_revision\":\"43\"}],"
	       "\"success\":[{\"request_put\":{\"key\":\"L2s=\",\"value\":\"YnVlbm9zLWFpcmVz\","
	       "\"lease\":\"7\"}},"
	       "{\"request_put\":{\"key\":\"L2svZXBvY2g=\",\"value\":\"YnVlbm9zLWFpcmVz\"}}],"
	       "\"failure\":[{\"request_range\":{\"key\":\"L2s=\"}},"
	       "{\"request_range\":{\"key\":\"L2svZXBvY2g=\"}}]}",
	       "with the epoch guard");
	jv v = jv_parse_sized(b.p, (int)b.len - 1);
	ok(jv_get_kind(v) == JV_KIND_OBJECT, "the body is JSON");
	jv_free(v);
	buf_free(&b);
}

static void test_int64(void)
{
	jv o = jv_parse("{\"a\":\"9223372036854775807\",\"b\":12,\"c\":\"x1\",\"d\":null,"
			"\"e\":\"\",\"f\":[1]}");
	int64_t n;
	ok(etcd_int64(o, "a", &n) == 0 && n == INT64_MAX, "a string of the largest int64");
	ok(etcd_int64(o, "b", &n) == 0 && n == 12, "a number");
	ok(etcd_int64(o, "c", &n) == -1, "not an integer");
	ok(etcd_int64(o, "d", &n) == 0 && n == 0, "null: 0");
	ok(etcd_int64(o, "e", &n) == -1, "an empty string");
	ok(etcd_int64(o, "f", &n) == -1, "an array");
	ok(etcd_int64(o, "absent", &n) == 0 && n == 0, "absent (the gateway leaves zeros out): 0");
	jv_free(o);
}

static void test_kv(void)
{
	/* a range reply of etcd 3.4.23 */
	jv r = jv_parse("{\"header\":{\"cluster_id\":\"10666137416749794032\",\"member_id\":"
			"\"1189925996421298841\",\"revision\":\"2\",\"raft_term\":\"2\"},"
			"\"kvs\":[{\"key\":\"L2NjYy9wcmltYXJ5\",\"create_revision\":\"2\","
			"\"mod_revision\":\"2\",\"version\":\"1\",\"value\":\"bHlvbg==\","
			"\"lease\":\"4222584396692542727\"}],\"count\":\"1\"}");
	jv kvs = jv_object_get(r, jv_string("kvs"));
	struct etcd_kv kv;
	jv item = jv_array_get(jv_copy(kvs), 0);
	ok(etcd_parse_kv(item, &kv) == 0, "a range reply's key parses");
	jv_free(item);
	ok(kv.found, "found");
	is_str(kv.value, "lyon", "its value, decoded");
	is_int(kv.create_revision, 2, "its create revision");
	is_int(kv.lease, 4222584396692542727LL, "its lease");
	jv bad = jv_parse("{\"value\":\"!!\"}");
	ok(etcd_parse_kv(bad, &kv) == -1, "a value that is not base64 is refused");
	jv_free(bad);
	ok(etcd_parse_kv(jv_null(), &kv) == -1, "not an object");
	jv_free(kvs);
}

int main(void)
{
	test_body();
	test_int64();
	test_kv();
	return tap_done();
}
