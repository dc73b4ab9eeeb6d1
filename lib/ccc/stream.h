/*
 * stream.h: the shared loop of the streaming programs.
 *
 * It reads NDJSON from each input (or stdin), hands each good record to a
 * callback inside a store transaction, stores each bad line as a reject
 * (printing "prog: FILE:LINE: reason"), and closes a batch every batch_max
 * records or batch_ms milliseconds: commit (journal entry + checkpoint), then
 * the batch's output is written and flushed. SIGINT/SIGTERM finish the batch
 * in hand and stop with 130/143. A progress line is shown when stderr is a
 * terminal.
 *
 * Inputs that are whole documents (an e-mail, an mbox, a CAP alert, a feed)
 * are told apart by is_document from their first bytes; such an input is read
 * whole (at most max_document bytes) and handed to document, which calls
 * stream_record for each record it finds and stream_reject for what it cannot
 * read.
 */
#ifndef CCC_STREAM_H
#define CCC_STREAM_H

#include <stddef.h>

#include <jv.h>

#include "ccc/ndjson.h"
#include "ccc/store.h"

struct stream;

/*
 * Called for each good record, in a transaction. Consumes rec. Returns 0, or
 * an exit code to stop everything (the batch is rolled back). To refuse the
 * record, call stream_reject and return 0.
 */
typedef int (*stream_record_fn)(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx);

/* Counters, for a summary. */
struct stream_counts {
	unsigned long lines, records, rejected, emitted, batches;
};

struct stream_config {
	const char *program; /* "ccc-intake": for messages and rejects */
	size_t batch_max;    /* default 1000 */
	int batch_ms;        /* default 200 */
	stream_record_fn record;
	void *ctx;
	struct stream_counts *counts; /* filled in when not NULL */
	/* Optional: 1 when an input beginning with head[0..n) is a document. */
	int (*is_document)(const char *head, size_t n, void *ctx);
	/* Called with the whole document as doc->text[0..doc->len). */
	int (*document)(struct stream *st, const struct ndjson_line *doc, void *ctx);
	size_t max_document; /* default 64 MiB */
	/* From the command line (a program fills these with CCC_STREAM_OPTS,
	 * opts.h): the stream reads no program options of its own. */
	size_t max_line; /* the longest line read, and kept of a rejected
			    document; 0: CCC_MAX_LINE_DEFAULT */
	int strict;      /* stop at the first rejected line (exit 65) */
	int quiet;       /* no reject messages, no progress on stderr */
	int verbose;     /* the counts on stderr at the end */
	/* Optional: called before each commit, in the transaction, to finish
	 * records that record held back (to work on several at once); 0, or an
	 * exit code (the batch is then rolled back). */
	int (*before_commit)(struct stream *st, void *ctx);
	/* Optional: hand each good object line over unparsed (ndjson_lazy): rec
	 * is jv_null() and ln->lazy set; record reads ln->text, and calls
	 * ndjson_parse for the jv when it needs it. */
	int lazy;
	/* Optional: writes a committed batch's output, NDJSON lines p[0..n),
	 * instead of lib/out as they are (a table on a terminal, table.h). */
	void (*write)(const char *p, size_t n, void *ctx);
};

/* Run over files[0..nfiles) ("-" is stdin; none: stdin). Returns the exit
 * status: 0, 65 when some input was rejected, 66 when an input could not be
 * opened, or the first fatal code. */
int stream_run(struct store *s, const struct stream_config *cfg, char **files, int nfiles);

/*
 * Instead of reading input: hand each stored record that sql selects to
 * cfg->record, in batches like lines (commit, then write). sql selects
 * (n, record) rows with n > ?1, in the order of n, at most ?2 of them; it is
 * run again after each batch from the last n handed over, until it selects
 * nothing, so a record the callback has processed must no longer be
 * selected. A record's place is reported as "store:N". Returns as
 * stream_run.
 */
int stream_run_stored(struct store *s, const struct stream_config *cfg, const char *sql);

/* From document: hand over one record (consumed) found at ln, in a
 * transaction, batched like lines. Returns 0 or an exit code. */
int stream_record(struct stream *st, jv rec, const struct ndjson_line *ln);
/* Store the current line as a reject with reason, and report it. */
int stream_reject(struct stream *st, const struct ndjson_line *ln, const char *reason);
/* The same for a line handed over unparsed (ln->lazy) that ndjson_parse
 * refuses: counted as a line that is no record, as it is without lazy. */
int stream_reject_unparsed(struct stream *st, const struct ndjson_line *ln, const char *reason);
/* Queue output for after the batch commits: raw line, or a record (consumed). */
void stream_emit_line(struct stream *st, const char *p, size_t n);
void stream_emit(struct stream *st, jv rec);
struct store *stream_store(struct stream *st);
/* The signal (SIGINT or SIGTERM) that is stopping the stream, or 0: for a
 * callback that waits on something else than the input. */
int stream_signalled(void);

#endif
