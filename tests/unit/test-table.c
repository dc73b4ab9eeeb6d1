/*
 * test-table: the table printer pads by display width (Arabic marks and
 * combining marks take no column, CJK two) and cuts with "…".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/out.h"
#include "ccc/table.h"
#include "tap.h"

static int saved = -1;
static FILE *cap;

static void capture(void)
{
	fflush(stdout);
	cap = tmpfile();
	saved = dup(STDOUT_FILENO);
	dup2(fileno(cap), STDOUT_FILENO);
}

/* What was printed since capture(), as a string to free. */
static char *captured(void)
{
	out_flush();
	dup2(saved, STDOUT_FILENO);
	close(saved);
	long n = ftell(cap);
	char *s = calloc(1, (size_t)n + 1);
	rewind(cap);
	if (fread(s, 1, (size_t)n, cap) != (size_t)n)
		s[0] = '\0';
	fclose(cap);
	return s;
}

int main(void)
{
	/* widths */
	is_int(text_width("abc", 3), 3, "ASCII: one column each");
	is_int(text_width("محمد", strlen("محمد")), 4, "Arabic letters: one column each");
	is_int(text_width("مُحَمَّد", strlen("مُحَمَّد")), 4, "Arabic harakat take no column");
	is_int(text_width("e\xCC\x81", 3), 1, "e + combining acute: one column");
	is_int(text_width("東京", strlen("東京")), 4, "CJK: two columns each");
	is_int(text_width("\xff", 1), 1, "a byte that is not UTF-8: one column (U+FFFD)");

	enum out_format f;
	ok(out_format_parse("table", &f) == 0 && f == OUT_TABLE, "table parses");
	ok(out_format_parse("ndjson", &f) == 0 && f == OUT_NDJSON, "ndjson parses");
	ok(out_format_parse("json", &f) < 0, "json is refused");
	ok(out_format_is_table(OUT_TABLE) && !out_format_is_table(OUT_NDJSON), "forced formats");

	/* padding by display width */
	static const struct table_col cols[] = {
	    {"NAME", 0, 0, NULL}, {"N", 0, 1, NULL}, {"NOTE", 0, 0, NULL}};
	capture();
	struct table *t = table_new(cols, 3);
	table_add(t, (const char *[]){"東京", "7", "x"});
	table_add(t, (const char *[]){"مُحَمَّد", "12", NULL});
	table_add(t, (const char *[]){"ab", "3", "two\nlines"});
	table_add(t, (const char *[]){"\x1b[2J", "4", "\xe2\x80\xae\xff"});
	table_free(t);
	char *got = captured();
	is_str(got,
	       "NAME        N  NOTE\n"
	       "東京        7  x\n"
	       "مُحَمَّد       12  -\n"
	       "ab          3  two lines\n"
	       "\\u001b[2J   4  \\u202e\\xff\n",
	       "padded by display width, numbers right, line breaks as spaces, controls escaped, - "
	       "for nothing");
	free(got);

	/* cuts */
	static const struct table_col narrow[] = {{"ID", 0, 0, NULL}, {"SUBJECT", 8, 0, NULL}};
	capture();
	t = table_new(narrow, 2);
	table_add(t, (const char *[]){"M-1", "東京東京東京"});
	table_add(t, (const char *[]){"M-2", "short"});
	table_add(t, (const char *[]){"M-3", "mu\xCC\x81\xCC\x81ltiple marks stay"});
	table_free(t);
	got = captured();
	is_str(got,
	       "ID   SUBJECT\n"
	       "M-1  東京東…\n"
	       "M-2  short\n"
	       "M-3  mu\xCC\x81\xCC\x81ltipl…\n",
	       "the last column is cut at its max, with its marks, and marked with …");
	free(got);

	static const struct table_col mid[] = {{"NAME", 5, 0, NULL}, {"X", 0, 0, NULL}};
	capture();
	t = table_new(mid, 2);
	table_add(t, (const char *[]){"東京東京", "1"});
	table_add(t, (const char *[]){"abcdefgh", "2"});
	table_free(t);
	got = captured();
	is_str(got,
	       "NAME   X\n"
	       "東京…  1\n"
	       "abcd…  2\n",
	       "a middle column is cut and padded to its max");
	free(got);

	/* records */
	static const struct table_col rec[] = {
	    {"NAME", 0, 0, NULL}, {"TIME ZONE", 0, 0, NULL}, {"ACK", 0, 0, "wait"}};
	capture();
	jv list = jv_parse("[{\"name\":\"lyon\",\"time_zone\":\"Europe/Paris\",\"wait\":true},"
			   "{\"name\":\"singapore\",\"time_zone\":null}]");
	table_print_records(rec, 3, jv_copy(list), OUT_TABLE);
	got = captured();
	is_str(got,
	       "NAME       TIME ZONE     ACK\n"
	       "lyon       Europe/Paris  true\n"
	       "singapore  -             -\n",
	       "records: fields by key or by heading, JSON for non-strings, - for null");
	free(got);
	capture();
	table_print_records(rec, 3, list, OUT_NDJSON);
	got = captured();
	is_str(got,
	       "{\"name\":\"lyon\",\"time_zone\":\"Europe/Paris\",\"wait\":true}\n"
	       "{\"name\":\"singapore\",\"time_zone\":null}\n",
	       "records as NDJSON, unchanged");
	free(got);

	/* a record's fields, one a row, but those set apart */
	static const char *const apart[] = {"body", NULL};
	capture();
	jv one_rec = jv_parse("{\"id\":\"reply-lyon-1\",\"attempts\":2,\"body\":\"text\"}");
	table_free(table_fields(one_rec, apart));
	jv_free(one_rec);
	got = captured();
	is_str(got,
	       "FIELD     VALUE\n"
	       "id        reply-lyon-1\n"
	       "attempts  2\n",
	       "fields as rows, JSON for non-strings, the ones set apart left out");
	free(got);

	/* a long stream: widths fixed by the first batch, memory flat */
	static const struct table_col one[] = {{"N", 0, 1, NULL}, {"V", 0, 0, NULL}};
	capture();
	t = table_new(one, 2);
	char n[32];
	for (int i = 0; i < TABLE_BATCH + 10; i++) {
		snprintf(n, sizeof n, "%d", i < TABLE_BATCH ? 1 : 100000);
		table_add(t, (const char *[]){n, "v"});
	}
	table_free(t);
	got = captured();
	ok(strstr(got, "\n1  v\n") && strstr(got, "\n…  v\n"),
	   "rows after the first batch are cut to its widths");
	free(got);
	return tap_done();
}
