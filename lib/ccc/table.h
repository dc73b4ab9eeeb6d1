/*
 * table.h: the one table printer, and the choice between a table and NDJSON.
 *
 * Every listing prints a table on a terminal and NDJSON on a pipe;
 * `--format table|ndjson` forces either (ccc(7), CONVENTIONS). A table pads
 * each cell by its display width (Arabic and other combining marks take no
 * column, CJK and other wide characters two), shows tabs, newlines and other
 * controls as spaces, and cuts a cell wider than its column's max with "…".
 *
 * Rows are kept until table_flush, so a table of a long stream stays flat in
 * memory: the widths are fixed by the rows of the first flush (at most
 * TABLE_BATCH rows are kept before it flushes by itself) and later rows are
 * cut to them.
 */
#ifndef CCC_TABLE_H
#define CCC_TABLE_H

#include <stddef.h>

#include <jv.h>

enum out_format { OUT_AUTO, OUT_TABLE, OUT_NDJSON };

/* "table" or "ndjson": 0 with *f set; -1 for anything else. */
int out_format_parse(const char *arg, enum out_format *f);
/* 1 when f asks for a table: OUT_TABLE, or OUT_AUTO with stdout a terminal. */
int out_format_is_table(enum out_format f);

/*
 * A column: its heading, the widest its cells may be (display columns, 0 for
 * no limit), 1 to align it right (numbers), and the key of a record's field
 * that table_add_jv puts in it (NULL: the heading in lower case, spaces as
 * underscores).
 */
struct table_col {
	const char *head;
	int max;
	int right;
	const char *key;
};

enum { TABLE_BATCH = 512 };

struct table;

struct table *table_new(const struct table_col *cols, int ncols);
/* One row of ncols cells, copied; a NULL or empty cell prints as "-". */
void table_add(struct table *t, const char *const *cells);
/* One row from a record's fields (see struct table_col): strings as they
 * are, other values as compact JSON, absent or null as "-". Does not
 * consume rec. */
void table_add_jv(struct table *t, jv rec);
/* Print the heading (once) and the rows kept, through lib/out. */
void table_flush(struct table *t);
/* table_flush, then free. NULL is allowed. */
void table_free(struct table *t);

/* One record of a listing (consumed): a row of t, or with t NULL (not a
 * table) an NDJSON line. */
void table_emit(struct table *t, jv rec);

/* Records of list as NDJSON or as a table of cols, as f says. Consumes list. */
void table_print_records(const struct table_col *cols, int ncols, jv list, enum out_format f);

/* A record's fields as a table of FIELD and VALUE, one a row (strings as
 * they are, other values as compact JSON), but those named in skip (a
 * NULL-terminated list, or NULL). Does not consume rec; the table is not
 * printed yet, so that rows can be added (table_free prints it). */
struct table *table_fields(jv rec, const char *const *skip);

/* The display width of the UTF-8 text s[0..n). */
size_t text_width(const char *s, size_t n);

#endif
