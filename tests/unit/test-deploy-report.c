/*
 * test-deploy-report: a deployment's field checks counted per day (UTC),
 * per database and per member.
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/deploy-report.h"
#include "ccc/json.h"
#include "tap.h"

/* The JSON text of field key of the report, for comparison. */
static char *field(jv o, const char *key)
{
	struct buf b = {0};
	jv v = jv_object_get(jv_copy(o), jv_string(key));
	json_write(&b, v);
	jv_free(v);
	buf_addc(&b, '\0');
	return b.p;
}

int main(void)
{
	struct deploy_report r = {0};
	deploy_report_member(&r, "s-2");
	deploy_report_member(&r, "s-1");
	deploy_report_add(&r, "2026-12-02T23:59:59Z", "documents", "s-1", 1);
	deploy_report_add(&r, "2026-12-01T08:00:00Z", "persons", "s-1", 0);
	deploy_report_add(&r, "2026-12-03T00:00:00Z", "documents", "hq.analyst", 2);
	deploy_report_add(&r, "2026-12-02T10:00:00Z", "vehicles", "s-1", 0);
	is_int(r.checks, 4, "four checks");
	is_int(r.hits, 3, "three hits");
	jv o = deploy_report_json(&r);
	char *s;
	is_str(s = field(o, "by_day"),
	       "[{\"day\":\"2026-12-01\",\"checks\":1,\"hits\":0},{\"day\":\"2026-12-02\","
	       "\"checks\":2,"
	       "\"hits\":1},{\"day\":\"2026-12-03\",\"checks\":1,\"hits\":2}]",
	       "per UTC day, in order (23:59:59Z and 00:00:00Z fall on different days)");
	free(s);
	is_str(s = field(o, "by_db"),
	       "[{\"db\":\"documents\",\"checks\":2,\"hits\":3},{\"db\":\"persons\",\"checks\":1,"
	       "\"hits\":0},{\"db\":\"vehicles\",\"checks\":1,\"hits\":0}]",
	       "per database");
	free(s);
	is_str(
	    s = field(o, "by_member"),
	    "[{\"member\":\"hq.analyst\",\"checks\":1,\"hits\":2},{\"member\":\"s-1\",\"checks\":3,"
	    "\"hits\":1},{\"member\":\"s-2\",\"checks\":0,\"hits\":0}]",
	    "per member, the team's members listed even with no checks");
	free(s);
	jv_free(o);
	deploy_report_free(&r);
	is_int(r.checks + (long)r.ndays, 0, "freed and cleared");
	return tap_done();
}
