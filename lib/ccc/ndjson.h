/*
 * ndjson.h: the one place that reads newline-delimited JSON.
 *
 * The reader owns its buffer, counts lines, keeps lines longer than
 * max_line out of memory (their first max_line bytes are kept for the
 * rejects table, the rest is hashed and counted), validates UTF-8 and the
 * JSON grammar strictly, parses with libjq (or, for a reader that reads
 * the text itself, leaves a valid object unparsed: ndjson_lazy), and refuses
 * a record version newer than this program's.
 */
#ifndef CCC_NDJSON_H
#define CCC_NDJSON_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <jv.h>

#include "ccc/digest.h"

#define RECORD_VERSION 1

struct ndjson_line {
	const char *file;     /* the name to report ("stdin" for standard input) */
	unsigned long lineno; /* 1-based */
	const char *text;     /* the raw bytes, without the newline */
	size_t len;           /* bytes at text (at most max_line) */
	size_t full_len;      /* the line's real length */
	jv value;             /* the parsed object (owned by the caller after next),
				 or jv_invalid() for a bad line */
	char reason[256];     /* why the line is bad ("" when good) */
	int lazy;             /* a good object not parsed (value is jv_null()): see
				 ndjson_lazy */
};

struct ndjson_reader;

/* Read from fd (not closed by the reader), reporting lines as file. */
struct ndjson_reader *ndjson_open(int fd, const char *file, size_t max_line);
/* The same, with the first n bytes of the input already read into prefix
 * (at most 64 KiB; they are copied). */
struct ndjson_reader *ndjson_open_prefix(int fd, const char *file, size_t max_line,
					 const char *prefix, size_t n);
void ndjson_close(struct ndjson_reader *r);
/* Stop reading once *flag is set (by a signal handler): the next read gives
 * NDJSON_ERROR with errno EINTR, and a line longer than max_line that is being
 * skipped ends there (it is returned as a bad line, its reason saying so), so
 * that a line that never ends cannot keep the reader from a signal. */
void ndjson_stop_on(struct ndjson_reader *r, volatile sig_atomic_t *flag);

/* From now on, a line that is a valid JSON object is only validated, not
 * parsed: its value is jv_null() and ln->lazy is set, so that a reader of
 * its text (ndjson_parse when it needs the jv) spares the libjq parse. */
void ndjson_lazy(struct ndjson_reader *r, int on);

enum { NDJSON_EOF = 0, NDJSON_LINE = 1, NDJSON_TIMEOUT = 2, NDJSON_ERROR = -1 };
/*
 * Get the next non-blank line. timeout_ms < 0 waits for ever; otherwise, if
 * no complete line is buffered and none arrives within timeout_ms, returns
 * NDJSON_TIMEOUT (for batching by time). NDJSON_ERROR leaves errno set
 * (EINTR when a signal arrived). ln->text stays valid until the next call.
 */
int ndjson_next(struct ndjson_reader *r, struct ndjson_line *ln, int timeout_ms);
/* Bytes of the input consumed so far (for progress). */
unsigned long long ndjson_consumed(const struct ndjson_reader *r);
/* SHA-256 of the whole current line (also for lines longer than max_line). */
void ndjson_line_sha256(struct ndjson_reader *r, const struct ndjson_line *ln,
			uint8_t out[SHA256_LEN]);

/* Validate and parse one line as a record object; on failure returns
 * jv_invalid() and writes the reason. */
jv ndjson_parse(const char *text, size_t len, char *reason, size_t reason_len);

#endif
