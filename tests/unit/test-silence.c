/*
 * test-silence.c: the match of a silence (silence.h), read from its text.
 */
#include <string.h>

#include <jv.h>

#include "ccc/silence.h"
#include "tap.h"

/* The match of text as compact JSON, or "invalid: REASON". */
static void parsed(const char *text, char *out, size_t n)
{
	char why[256];
	jv m = silence_match_parse(text, why, sizeof why);
	if (!jv_is_valid(m)) {
		jv_free(m);
		snprintf(out, n, "invalid: %s", why);
		return;
	}
	jv s = jv_dump_string(jv_copy(m), JV_PRINT_SORTED);
	snprintf(out, n, "%s", jv_string_value(s));
	jv_free(s);
	jv_free(m);
}

int main(void)
{
	char got[512];
	parsed("category=terrorism", got, sizeof got);
	is_str(got, "{\"category\":[\"terrorism\"]}", "one term");
	parsed("text=exercise,country=FR|BE,priority=P3|P4", got, sizeof got);
	is_str(got,
	       "{\"country\":[\"FR\",\"BE\"],\"priority\":[\"P3\",\"P4\"],\"text\":[\"exercise\"]}",
	       "terms, with alternatives");
	parsed("text=bomb threat", got, sizeof got);
	is_str(got, "{\"text\":[\"bomb threat\"]}", "a value with a space");
	parsed("colour=red", got, sizeof got);
	ok(strstr(got, "invalid: --match: 'colour' is not FIELD=VALUE") == got, "an unknown field");
	parsed("category", got, sizeof got);
	ok(strstr(got, "invalid: --match: 'category' is not FIELD=VALUE") == got, "no value");
	parsed("country=", got, sizeof got);
	ok(strncmp(got, "invalid:", 8) == 0, "an empty value");
	parsed("country=FR,country=BE", got, sizeof got);
	is_str(got, "invalid: --match: country given twice (alternatives: A|B)", "a field twice");
	/* a match with no term would silence everything (found by fuzz-silence) */
	parsed(",", got, sizeof got);
	is_str(got, "invalid: --match: no FIELD=VALUE term in ','", "no term at all");
	parsed("text=a||b", got, sizeof got);
	is_str(got, "invalid: --match: text has an empty alternative in 'a||b'",
	       "an empty alternative");
	parsed("country=|FR", got, sizeof got);
	ok(strncmp(got, "invalid:", 8) == 0, "an empty first alternative");
	parsed("country=FR|", got, sizeof got);
	ok(strncmp(got, "invalid:", 8) == 0, "an empty last alternative");
	/* a field twice is refused without a leak (the leak checker of
	 * make units SANITIZE=1 and fuzz-silence see it) */
	parsed("priority=P1|P2,country=FR,country=BE", got, sizeof got);
	ok(strstr(got, "country given twice") != NULL, "a field twice, after another");
	parsed("", got, sizeof got);
	ok(strncmp(got, "invalid: --match: give FIELD=VALUE", 34) == 0, "nothing");
	return tap_done();
}
