/*
 * csv.c: RFC 4180 records from a buffer, one at a time, with their line
 * numbers.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/csv.h"
#include "ccc/utf8.h"

struct csv_reader {
	const char *buf;
	size_t len, pos;
	size_t line; /* the line at pos, 1-based */
	char *field; /* the unquoted text of a quoted field */
	size_t fcap;
};

struct csv_reader *csv_open(const char *buf, size_t len)
{
	struct csv_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->buf = buf;
	r->len = len;
	r->line = 1;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		r->pos = 3;
	return r;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	free(r->field);
	free(r);
}

static int field_add(struct csv_reader *r, size_t *n, char c)
{
	if (*n + 1 > r->fcap) {
		size_t cap = r->fcap ? 2 * r->fcap : 256;
		char *p = realloc(r->field, cap);
		if (!p)
			return -1;
		r->field = p;
		r->fcap = cap;
	}
	r->field[(*n)++] = c;
	return 0;
}

/* Skip empty lines; 1 when a record starts at pos, 0 at the end of the input
 * (which a trailing DOS end-of-file byte also marks). */
static int at_record(struct csv_reader *r)
{
	const char *b = r->buf;
	while (r->pos < r->len) {
		if (b[r->pos] == '\n') {
			r->pos++;
			r->line++;
		} else if (b[r->pos] == '\r') {
			r->pos++;
			if (r->pos < r->len && b[r->pos] == '\n')
				r->pos++;
			r->line++;
		} else if (b[r->pos] == 0x1A) {
			size_t p = r->pos;
			while (p < r->len && (b[p] == 0x1A || b[p] == '\r' || b[p] == '\n'))
				p++;
			if (p < r->len)
				return 1;
			r->pos = r->len;
			return 0;
		} else {
			return 1;
		}
	}
	return 0;
}

/* Keep the first reason a record is bad. */
static void bad(char **reason, const char *fmt, size_t n)
{
	if (*reason)
		return;
	if (asprintf(reason, fmt, n) < 0)
		*reason = NULL;
	if (!*reason)
		*reason = strdup("out of memory");
}

/* A line end at pos: consume it and count it. 1 when there was one. */
static int line_end(struct csv_reader *r)
{
	if (r->pos >= r->len)
		return 0;
	if (r->buf[r->pos] == '\n') {
		r->pos++;
	} else if (r->buf[r->pos] == '\r') {
		r->pos++;
		if (r->pos < r->len && r->buf[r->pos] == '\n')
			r->pos++;
	} else {
		return 0;
	}
	r->line++;
	return 1;
}

/*
 * A quoted field starting at the opening quote at pos, into r->field[0..*n).
 * A quote that is never closed, or whose closing quote is followed by text,
 * after the field ran over line ends, is taken as a stray quote: the record
 * is bad and ends at the end of the line the quote opened on, so the lines
 * after it are read again as records of their own (one reject, not every
 * record up to the next quote or the end of the input).
 */
static void quoted_field(struct csv_reader *r, size_t *n, size_t nfield, char **reason)
{
	const char *b = r->buf;
	size_t open_line = r->line, first_end = 0;
	r->pos++;
	for (;;) {
		if (r->pos >= r->len) {
			bad(reason, "unterminated quoted field %zu", nfield);
			goto stray;
		}
		char c = b[r->pos];
		if (c == '"') {
			if (r->pos + 1 < r->len && b[r->pos + 1] == '"') {
				r->pos += 2;
			} else {
				r->pos++;
				break;
			}
		} else {
			if ((c == '\n' || c == '\r') && !first_end)
				first_end = r->pos;
			r->pos++;
			if (c == '\n' || (c == '\r' && (r->pos >= r->len || b[r->pos] != '\n')))
				r->line++;
		}
		if (field_add(r, n, c) < 0) {
			bad(reason, "out of memory in field %zu", nfield);
			return;
		}
	}
	/* After the closing quote: a separator, a line end or the end. */
	if (r->pos < r->len && b[r->pos] != ',' && b[r->pos] != '\r' && b[r->pos] != '\n') {
		bad(reason, "text after the closing quote of field %zu", nfield);
		if (first_end)
			goto stray;
		while (r->pos < r->len && b[r->pos] != ',' && b[r->pos] != '\r' &&
		       b[r->pos] != '\n')
			r->pos++;
	}
	return;
stray:
	if (first_end) {
		r->pos = first_end; /* the caller ends the record at this line end */
		r->line = open_line;
	}
}

int csv_next(struct csv_reader *r, jv *fields, size_t *line, char **err)
{
	const char *b = r->buf;
	char *reason = NULL;
	jv row = jv_array();

	if (err)
		*err = NULL;
	*fields = jv_invalid();
	if (!at_record(r)) {
		jv_free(row);
		return 0;
	}
	*line = r->line;
	for (size_t nfield = 1;; nfield++) {
		const char *text;
		size_t n = 0;
		if (r->pos < r->len && b[r->pos] == '"') {
			quoted_field(r, &n, nfield, &reason);
			text = r->field;
		} else {
			size_t start = r->pos;
			while (r->pos < r->len && b[r->pos] != ',' && b[r->pos] != '\r' &&
			       b[r->pos] != '\n')
				r->pos++;
			text = b + start;
			n = r->pos - start;
		}
		if (!reason && n > INT_MAX)
			bad(&reason, "field %zu is too long", nfield);
		if (!reason && !utf8_valid(text, n))
			bad(&reason, "invalid UTF-8 in field %zu", nfield);
		if (!reason)
			row = jv_array_append(row, jv_string_sized(n ? text : "", (int)n));
		if (r->pos < r->len && b[r->pos] == ',') {
			r->pos++;
			continue;
		}
		line_end(r);
		break;
	}
	if (reason) {
		jv_free(row);
		if (err)
			*err = reason;
		else
			free(reason);
		return -1;
	}
	*fields = row;
	return 1;
}

jv csv_header_record(jv header, jv fields)
{
	int nh = jv_get_kind(header) == JV_KIND_ARRAY ? jv_array_length(jv_copy(header)) : -1;
	int nf = jv_get_kind(fields) == JV_KIND_ARRAY ? jv_array_length(jv_copy(fields)) : -1;
	jv rec;

	if (nh < 0 || nf < 0) {
		rec = jv_invalid_with_msg(jv_string("header and row must be arrays of strings"));
		goto out;
	}
	if (nf > nh) {
		rec =
		    jv_invalid_with_msg(jv_string_fmt("row has %d fields, the header %d", nf, nh));
		goto out;
	}
	rec = jv_object();
	for (int i = 0; i < nf; i++) {
		jv name = jv_array_get(jv_copy(header), i);
		jv value = jv_array_get(jv_copy(fields), i);
		if (jv_get_kind(name) == JV_KIND_STRING && jv_get_kind(value) == JV_KIND_STRING &&
		    jv_string_length_bytes(jv_copy(name)) > 0 &&
		    jv_string_length_bytes(jv_copy(value)) > 0 &&
		    !jv_object_has(jv_copy(rec), jv_copy(name))) {
			rec = jv_object_set(rec, name, value);
		} else {
			jv_free(name);
			jv_free(value);
		}
	}
out:
	jv_free(header);
	jv_free(fields);
	return rec;
}
