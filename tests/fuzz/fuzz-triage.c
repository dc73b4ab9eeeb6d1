/*
 * fuzz-triage: the default triage rules (lib/triage/triage.c) on hostile text: the
 * lexicon scan, durations, clock times read in the sender's zone, deadlines
 * and expiry. The first bytes choose the sender's country and the sending
 * time; the rest is the body.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/json.h"
#include "ccc/triage.h"
#include "ccc/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cc[] = {"FR", "AR", "SG", "US", "MA", "RU", "AU", "XX"};
	static const char *const sent[] = {"2026-03-29T00:30:00Z", "2026-10-24T23:00:00Z",
					   "2026-12-04T22:30:00Z", "2026-12-04T10:00:00Z"};
	if (size < 2)
		return 0;
	const char *body = (const char *)data + 2;
	size_t n = size - 2;
	if (!utf8_valid(body, n) || memchr(body, 0, n))
		return 0;
	jv m = JV_OBJECT(jv_string("type"), jv_string("message"), jv_string("id"), jv_string("f"),
			 jv_string("origin_country"), jv_string(cc[data[0] % 8]),
			 jv_string("sent_at"), jv_string(sent[data[1] % 4]),
			 jv_string("received_at"), jv_string("2026-12-04T10:05:00Z"),
			 jv_string("body"), jv_string_sized(body, (int)n));
	jv t = triage_assess(m, 1796378700, NULL);
	const char *p = jv_get_str(t, "priority"), *due = jv_get_str(t, "due_at");
	if (!p || p[0] != 'P' || p[1] < '1' || p[1] > '4' || !due || strlen(due) != 20)
		abort();
	jv_free(t);
	return 0;
}
