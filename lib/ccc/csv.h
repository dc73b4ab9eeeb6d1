/*
 * csv.h: a streaming RFC 4180 reader over a buffer in memory.
 *
 * Fields are separated by ',' and records by CRLF, LF or a lone CR. A field
 * may be quoted with '"'; inside quotes a doubled quote stands for one quote
 * and separators and line ends are data. A quote inside an unquoted field is
 * kept as data; text between a closing quote and the next separator makes the
 * record bad. Every record must be valid UTF-8. A quote that is never closed,
 * or closed and followed by text after running over line ends, is a stray
 * quote: its record is bad and ends with the line the quote opened on, and
 * reading carries on with the next line.
 *
 * Beyond RFC 4180, for the files that operations rooms are actually sent: a
 * UTF-8 byte order mark at the start is skipped, empty lines are skipped (they
 * are not records of one empty field), and a DOS end-of-file byte (0x1A, as in
 * OFAC's legacy files) on the last line ends the input.
 *
 * Ownership: the reader borrows buf, which must outlive it; every jv it
 * returns is the caller's. Functions taking jv consume them (libjq rules).
 */
#ifndef CCC_CSV_H
#define CCC_CSV_H

#include <stddef.h>

#include <jv.h>

struct csv_reader;

/* A reader over buf[0..len). Returns NULL only when out of memory. */
struct csv_reader *csv_open(const char *buf, size_t len);

/*
 * The next record. Returns 1 with *fields an array of strings (at least one)
 * and *line the 1-based line on which the record starts; 0 at the end of the
 * input; -1 for a bad record, with *line set, *fields jv_invalid() and a
 * malloc'd reason in *err ("invalid UTF-8 in field 3", "unterminated quoted
 * field", ...). After a bad record the reader carries on with the next one,
 * so a caller reports it and continues. err may be NULL.
 */
int csv_next(struct csv_reader *r, jv *fields, size_t *line, char **err);

/*
 * A record object from a header row and a row of fields (both arrays of
 * strings, consumed): header name -> value, leaving out empty cells and
 * columns whose header name is empty. A row shorter than the header lacks the
 * missing columns; a row longer than the header is bad: jv_invalid_with_msg
 * ("row has 5 fields, the header 4"). When a name is repeated in the header,
 * the first column with a value wins.
 */
jv csv_header_record(jv header, jv fields);

void csv_close(struct csv_reader *r);

#endif
