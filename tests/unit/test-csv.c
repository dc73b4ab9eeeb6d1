/*
 * test-csv.c: the RFC 4180 reader (its section 2 examples and the edge cases
 * of files that are really sent: CRLF, embedded line ends, bad UTF-8, ragged
 * rows) and header records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/csv.h"
#include "tap.h"

/* Field i of an array of strings, or NULL. */
static const char *field(jv row, int i, char *out, size_t n)
{
	jv f = jv_array_get(jv_copy(row), i);
	const char *s = NULL;
	if (jv_get_kind(f) == JV_KIND_STRING) {
		snprintf(out, n, "%s", jv_string_value(f));
		s = out;
	}
	jv_free(f);
	return s;
}

static int count(jv row)
{
	return jv_get_kind(row) == JV_KIND_ARRAY ? jv_array_length(jv_copy(row)) : -1;
}

/* All records of text joined as "a|b;c|d" with lines "1,2", bad ones as "!line". */
static void read_all(const char *text, size_t len, char *out, size_t n, char *lines, size_t ln)
{
	struct csv_reader *r = csv_open(text, len);
	size_t o = 0, lo = 0, line;
	jv row;
	char *err;
	int rc;

	out[0] = lines[0] = '\0';
	while ((rc = csv_next(r, &row, &line, &err)) != 0) {
		lo += (size_t)snprintf(lines + lo, ln - lo, "%s%zu", lo ? "," : "", line);
		if (rc < 0) {
			o += (size_t)snprintf(out + o, n - o, "%s!%s", o ? ";" : "", err);
			free(err);
			continue;
		}
		for (int i = 0; i < count(row); i++) {
			char f[256];
			o += (size_t)snprintf(out + o, n - o, "%s%s", i ? "|" : (o ? ";" : ""),
					      field(row, i, f, sizeof f));
		}
		jv_free(row);
	}
	csv_close(r);
}

#define CHECK(text, want_rows, want_lines, name)                                                   \
	do {                                                                                       \
		char rows_[1024], lines_[256];                                                     \
		read_all(text, sizeof text - 1, rows_, sizeof rows_, lines_, sizeof lines_);       \
		is_str(rows_, want_rows, "%s: fields", name);                                      \
		is_str(lines_, want_lines, "%s: lines", name);                                     \
	} while (0)

int main(void)
{
	/* RFC 4180 section 2, items 1 to 7. */
	CHECK("aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n", "aaa|bbb|ccc;zzz|yyy|xxx", "1,2", "rfc 2.1 CRLF");
	CHECK("aaa,bbb,ccc\r\nzzz,yyy,xxx", "aaa|bbb|ccc;zzz|yyy|xxx", "1,2",
	      "rfc 2.2 no final line break");
	CHECK("\"aaa\",\"bbb\",\"ccc\"\r\nzzz,yyy,xxx\r\n", "aaa|bbb|ccc;zzz|yyy|xxx", "1,2",
	      "rfc 2.5 quoted fields");
	CHECK("\"aaa\",\"b\r\nbb\",\"ccc\"\r\nzzz,yyy,xxx\r\n", "aaa|b\r\nbb|ccc;zzz|yyy|xxx",
	      "1,3", "rfc 2.6 CRLF inside quotes; the next record starts on line 3");
	CHECK("\"aaa\",\"b\"\"bb\",\"ccc\"\n", "aaa|b\"bb|ccc", "1", "rfc 2.7 doubled quote");

	CHECK("a,b\nc,d\n", "a|b;c|d", "1,2", "LF line ends");
	CHECK("a,b\rc,d\r", "a|b;c|d", "1,2", "lone CR line ends");
	CHECK("x,\"multi\nline\ntext\",y\nnext\n", "x|multi\nline\ntext|y;next", "1,4",
	      "two LFs inside quotes move the next record to line 4");
	CHECK(",a,,\n", "|a||", "1", "empty fields, also the last");
	CHECK("\"\",\"\"\"\"\n", "|\"", "1", "an empty quoted field and a lone quote");
	CHECK("\"a,b\",c\n", "a,b|c", "1", "a comma inside quotes");
	CHECK("ab\"c,d\n", "ab\"c|d", "1", "a quote inside an unquoted field is data");
	CHECK("a\n\n\r\nb\n", "a;b", "1,4", "empty lines are skipped but counted");
	CHECK("\xEF\xBB\xBFh1,h2\n1,2\n", "h1|h2;1|2", "1,2", "a UTF-8 BOM is skipped");
	CHECK("1,\"x\"\r\n\x1A", "1|x", "1", "a DOS end-of-file byte ends the input");
	CHECK("caf\xC3\xA9,\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF\n", "café|محمد", "1",
	      "UTF-8 in Latin and Arabic script");

	/* Bad records are reported with their line, and reading carries on. */
	CHECK("ok,1\nbad,\xC3\x28\nok,3\n", "ok|1;!invalid UTF-8 in field 2;ok|3", "1,2,3",
	      "invalid UTF-8 makes that record bad, with its line");
	CHECK("a\n\"q\nstill\",\xFF\nb\n", "a;!invalid UTF-8 in field 2;b", "1,2,4",
	      "bad UTF-8 in a multi-line record is reported on its first line");
	CHECK("\"ab\"c,d\ne\n", "!text after the closing quote of field 1;e", "1,2",
	      "text after a closing quote");
	CHECK("a\n\"open,b\nc\n", "a;!unterminated quoted field 1;c", "1,2,3",
	      "an unterminated quote rejects its own line only: the lines after it are read");
	CHECK("1,\"abc,2\n3,x,y\n4,\"z\",w\n",
	      "!text after the closing quote of field 2;3|x|y;4|z|w", "1,2,3",
	      "a stray quote that meets the next record's quote rejects one record, not three");
	CHECK("1,\"abc\r\n3,x\r\n", "!unterminated quoted field 2;3|x", "1,2",
	      "a stray quote before CRLF line ends");
	CHECK("\xED\xA0\x80\n", "!invalid UTF-8 in field 1", "1",
	      "a UTF-16 surrogate is not UTF-8");

	/* Header records. */
	struct csv_reader *r;
	jv head, row, rec;
	size_t line;
	char *err;
	static const char text[] = "name,dob,,country\r\n"
				   "\"AL-ZAWAHIRI, Ayman\",1951-06-19,x,EG\r\n"
				   "Bob,,,\r\n"
				   "Carol,1970\r\n"
				   "Dan,1960,x,FR,extra\r\n";

	r = csv_open(text, sizeof text - 1);
	is_int(csv_next(r, &head, &line, &err), 1, "header read");
	is_int(count(head), 4, "header has 4 names");

	is_int(csv_next(r, &row, &line, &err), 1, "row 1 read");
	rec = csv_header_record(jv_copy(head), row);
	is_str(jv_get_kind(rec) == JV_KIND_OBJECT ? "object" : "?", "object", "row 1 is an object");
	jv v = jv_object_get(jv_copy(rec), jv_string("name"));
	is_str(jv_string_value(v), "AL-ZAWAHIRI, Ayman", "row 1 name keeps its comma");
	jv_free(v);
	is_int(jv_object_length(jv_copy(rec)), 3, "row 1: the column without a name is left out");
	ok(!jv_object_has(jv_copy(rec), jv_string("")), "row 1: no empty key");
	jv_free(rec);

	is_int(csv_next(r, &row, &line, &err), 1, "row 2 read");
	is_int((long long)line, 3, "row 2 is on line 3");
	rec = csv_header_record(jv_copy(head), row);
	is_int(jv_object_length(jv_copy(rec)), 1, "row 2: empty cells are left out");
	jv_free(rec);

	is_int(csv_next(r, &row, &line, &err), 1, "ragged short row read");
	rec = csv_header_record(jv_copy(head), row);
	is_int(jv_object_length(jv_copy(rec)), 2, "short row: the missing columns are absent");
	v = jv_object_get(jv_copy(rec), jv_string("dob"));
	is_str(jv_string_value(v), "1970", "short row: dob");
	jv_free(v);
	jv_free(rec);

	is_int(csv_next(r, &row, &line, &err), 1, "ragged long row read");
	is_int((long long)line, 5, "long row is on line 5");
	rec = csv_header_record(jv_copy(head), row);
	ok(!jv_is_valid(rec), "long row is bad");
	v = jv_invalid_get_msg(rec);
	is_str(jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) : NULL,
	       "row has 5 fields, the header 4", "long row: the reason");
	jv_free(v);

	is_int(csv_next(r, &row, &line, &err), 0, "end of input");
	is_int(csv_next(r, &row, &line, &err), 0, "still the end");
	jv_free(head);
	csv_close(r);

	r = csv_open("", 0);
	is_int(csv_next(r, &row, &line, &err), 0, "an empty buffer has no records");
	csv_close(r);
	return tap_done();
}
