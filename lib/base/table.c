/*
 * table.c: the one table printer (see ccc/table.h).
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "ccc/json.h"
#include "ccc/out.h"
#include "ccc/table.h"
#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

struct table {
	struct table_col *cols;
	int n;
	int *width;   /* display columns of each column, once fixed */
	int fixed;    /* the heading is out and the widths are set */
	char **cells; /* nrows * n cleaned cells */
	size_t nrows;
	struct buf line;
};

int out_format_parse(const char *arg, enum out_format *f)
{
	if (!strcmp(arg, "table"))
		*f = OUT_TABLE;
	else if (!strcmp(arg, "ndjson"))
		*f = OUT_NDJSON;
	else
		return -1;
	return 0;
}

int out_format_is_table(enum out_format f)
{
	return f == OUT_TABLE || (f == OUT_AUTO && out_is_tty());
}

/* The columns c takes: 0 for combining marks, format characters and
 * controls, 2 for East Asian wide and fullwidth characters, else 1. */
static int char_width(UChar32 c)
{
	if (c < 0)
		return 1; /* a byte that is not UTF-8: shown as U+FFFD */
	int8_t t = u_charType(c);
	if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_FORMAT_CHAR ||
	    t == U_CONTROL_CHAR)
		return 0;
	int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
	return ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
}

size_t text_width(const char *s, size_t n)
{
	size_t w = 0;
	int32_t i = 0, len = n > INT32_MAX ? INT32_MAX : (int32_t)n;
	while (i < len) {
		UChar32 c;
		U8_NEXT(s, i, len, c);
		w += (size_t)char_width(c);
	}
	return w;
}

/* s made fit for one cell: tabs and line breaks as spaces, other controls
 * and bytes that are not UTF-8 escaped as a terminal shows them (ccc(7)),
 * "-" for nothing. */
static char *clean(const char *s)
{
	if (!s || !*s)
		return xstrdup("-");
	size_t n = strlen(s);
	char *flat = xstrdup(s), *out = xmalloc(6 * n + 1);
	for (char *p = flat; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	out[utf8_escape_controls(out, flat, n, 0)] = '\0';
	free(flat);
	return out;
}

struct table *table_new(const struct table_col *cols, int ncols)
{
	struct table *t = xcalloc(1, sizeof *t);
	t->n = ncols;
	t->cols = xcalloc((size_t)ncols, sizeof *t->cols);
	memcpy(t->cols, cols, (size_t)ncols * sizeof *cols);
	t->width = xcalloc((size_t)ncols, sizeof *t->width);
	t->cells = xcalloc((size_t)TABLE_BATCH * (size_t)ncols, sizeof *t->cells);
	return t;
}

void table_add(struct table *t, const char *const *cells)
{
	if (t->nrows == TABLE_BATCH)
		table_flush(t);
	for (int c = 0; c < t->n; c++)
		t->cells[t->nrows * (size_t)t->n + (size_t)c] = clean(cells[c]);
	t->nrows++;
}

/* The field of rec a column shows, NUL-terminated in b. */
static void field_text(struct buf *b, jv rec, const struct table_col *col)
{
	char key[64];
	const char *k = col->key;
	b->len = 0;
	if (!k) {
		size_t i = 0;
		for (; col->head[i] && i + 1 < sizeof key; i++) {
			char ch = col->head[i];
			key[i] = ch == ' '                  ? '_'
				 : (ch >= 'A' && ch <= 'Z') ? (char)(ch | 0x20)
							    : ch;
		}
		key[i] = '\0';
		k = key;
	}
	jv v = jv_get_kind(rec) == JV_KIND_OBJECT ? jv_object_get(jv_copy(rec), jv_string(k))
						  : jv_invalid();
	jv_kind kind = jv_get_kind(v);
	if (kind == JV_KIND_STRING)
		buf_adds(b, jv_string_value(v));
	else if (kind != JV_KIND_NULL && kind != JV_KIND_INVALID)
		json_write(b, v);
	jv_free(v);
	buf_addc(b, '\0');
}

void table_add_jv(struct table *t, jv rec)
{
	struct buf b = {0};
	const char **cells = xcalloc((size_t)t->n, sizeof *cells);
	char **owned = xcalloc((size_t)t->n, sizeof *owned);
	for (int c = 0; c < t->n; c++) {
		field_text(&b, rec, &t->cols[c]);
		owned[c] = xstrdup(b.p);
		cells[c] = owned[c];
	}
	table_add(t, cells);
	for (int c = 0; c < t->n; c++)
		free(owned[c]);
	free(owned);
	free(cells);
	buf_free(&b);
}

static void spaces(struct buf *b, int n)
{
	while (n-- > 0)
		buf_addc(b, ' ');
}

/* s in a cell of width columns (no limit when width < 0): cut with "…" when
 * wider, padded (aligned right when right) unless it is the last cell. */
static void put_cell(struct buf *b, const char *s, int width, int right, int last)
{
	size_t n = strlen(s), keep = n;
	int w = (int)text_width(s, n), cut = width >= 0 && w > width;
	if (cut) {
		/* the longest prefix that leaves a column for the "…"; the marks
		 * that follow a character stay with it */
		int32_t i = 0, len = n > INT32_MAX ? INT32_MAX : (int32_t)n;
		w = 0;
		keep = 0;
		while (i < len) {
			UChar32 c;
			U8_NEXT(s, i, len, c);
			int cw = char_width(c);
			if (w + cw > width - 1)
				break;
			w += cw;
			keep = (size_t)i;
		}
		w++;
	}
	if (right)
		spaces(b, width - w);
	buf_add(b, s, keep);
	if (cut)
		buf_adds(b, "…");
	if (!right && !last)
		spaces(b, width - w);
}

static void fix_widths(struct table *t)
{
	for (int c = 0; c < t->n; c++) {
		int w = (int)text_width(t->cols[c].head, strlen(t->cols[c].head));
		for (size_t r = 0; r < t->nrows; r++) {
			const char *s = t->cells[r * (size_t)t->n + (size_t)c];
			int cw = (int)text_width(s, strlen(s));
			if (cw > w)
				w = cw;
		}
		if (t->cols[c].max > 0 && w > t->cols[c].max)
			w = t->cols[c].max;
		t->width[c] = w;
	}
}

static void put_row(struct table *t, const char *const *cells)
{
	t->line.len = 0;
	for (int c = 0; c < t->n; c++) {
		int last = c + 1 == t->n;
		/* the last column is cut only to its own max */
		int width = last && !t->cols[c].right ? (t->cols[c].max > 0 ? t->cols[c].max : -1)
						      : t->width[c];
		put_cell(&t->line, cells[c], width, t->cols[c].right, last);
		if (!last)
			buf_adds(&t->line, "  ");
	}
	out_line(t->line.p, t->line.len);
}

void table_flush(struct table *t)
{
	if (!t->fixed) {
		const char **head = xcalloc((size_t)t->n, sizeof *head);
		fix_widths(t);
		for (int c = 0; c < t->n; c++)
			head[c] = t->cols[c].head;
		put_row(t, head);
		free(head);
		t->fixed = 1;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		char **row = t->cells + r * (size_t)t->n;
		put_row(t, (const char *const *)row);
		for (int c = 0; c < t->n; c++) {
			free(row[c]);
			row[c] = NULL;
		}
	}
	t->nrows = 0;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	table_flush(t);
	free(t->cells);
	free(t->width);
	free(t->cols);
	buf_free(&t->line);
	free(t);
}

struct table *table_fields(jv rec, const char *const *skip)
{
	static const struct table_col cols[] = {{"FIELD", 24, 0, NULL}, {"VALUE", 100, 0, NULL}};
	struct table *t = table_new(cols, 2);
	struct buf b = {0};
	jv_object_foreach (rec, k, v) {
		const char *key = jv_string_value(k);
		int skipped = 0;
		for (int i = 0; skip && skip[i] && !skipped; i++)
			skipped = !strcmp(skip[i], key);
		if (!skipped) {
			b.len = 0;
			if (jv_get_kind(v) == JV_KIND_STRING)
				buf_adds(&b, jv_string_value(v));
			else
				json_write(&b, v);
			buf_addc(&b, '\0');
			const char *cells[] = {key, b.p};
			table_add(t, cells);
		}
		jv_free(k);
		jv_free(v);
	}
	buf_free(&b);
	return t;
}

void table_print_records(const struct table_col *cols, int ncols, jv list, enum out_format f)
{
	if (!out_format_is_table(f)) {
		jv_array_foreach (list, i, r) {
			out_jv(r);
		}
		jv_free(list);
		return;
	}
	struct table *t = table_new(cols, ncols);
	jv_array_foreach (list, i, r) {
		table_add_jv(t, r);
		jv_free(r);
	}
	jv_free(list);
	table_free(t);
}

void table_emit(struct table *t, jv rec)
{
	if (!t) {
		out_jv(rec);
		return;
	}
	table_add_jv(t, rec);
	jv_free(rec);
}
