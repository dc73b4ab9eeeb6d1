/*
 * stream.c: read, batch, commit, emit.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/stream.h"
#include "ccc/xmalloc.h"

struct stream {
	struct store *store;
	const struct stream_config *cfg;
	struct ndjson_reader *reader;
	struct buf pending; /* output of the batch in hand */
	size_t in_batch;    /* records and rejects in the open transaction */
	int in_tx;
	long long batch_start;
	struct stream_counts n;
	int status; /* 65 once something was rejected */
	long long progress_at, started;
	int progress;
	unsigned long long input_size, done_before; /* regular files: for the ETA */
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

int stream_signalled(void)
{
	return got_signal;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* EPIPE is handled by out_flush */
}

static void show_progress(struct stream *st, int final)
{
	if (!st->progress)
		return;
	long long now = clock_mono_ms();
	if (!final && now - st->progress_at < 1000)
		return;
	st->progress_at = now;
	/* the progress line's own controls go around stderr, which shows controls */
	(void)!write(STDERR_FILENO, "\r\033[K", 4);
	if (final)
		return;
	double secs = (double)(now - st->started) / 1000.0;
	double rate = secs > 0 ? (double)st->n.lines / secs : 0.0;
	fprintf(stderr, "%s: %lu records, %lu rejected, %.0f/s", st->cfg->program, st->n.lines,
		st->n.rejected, rate);
	if (st->input_size && st->reader) {
		unsigned long long done = st->done_before + ndjson_consumed(st->reader);
		if (done > 0 && done <= st->input_size) {
			double left = secs * (double)(st->input_size - done) / (double)done;
			fprintf(stderr, ", %.0f%%, ETA %02d:%02d",
				100.0 * (double)done / (double)st->input_size, (int)(left / 60),
				(int)left % 60);
		}
	}
}

static int begin(struct stream *st)
{
	if (st->in_tx)
		return 0;
	int rc = store_begin(st->store);
	if (rc)
		return rc;
	st->in_tx = 1;
	st->in_batch = 0;
	st->batch_start = clock_mono_ms();
	return 0;
}

/* Close the batch: commit, then write what it produced. */
static int flush_batch(struct stream *st)
{
	int64_t seq;
	if (!st->in_tx)
		return 0;
	if (st->cfg->before_commit) {
		int brc = st->cfg->before_commit(st, st->cfg->ctx);
		if (brc)
			return brc; /* still in the transaction: the caller rolls it back */
	}
	st->in_tx = 0;
	int rc = store_commit(st->store, &seq);
	if (rc) {
		st->pending.len = 0;
		return rc;
	}
	st->n.batches++;
	if (st->pending.len && st->cfg->write) {
		st->cfg->write(st->pending.p, st->pending.len, st->cfg->ctx);
		st->pending.len = 0;
	} else if (st->pending.len) {
		out_write(st->pending.p, st->pending.len);
		st->pending.len = 0;
	}
	if ((rc = out_flush()))
		return rc; /* committed; what follows would be lost with it */
	show_progress(st, 0);
	return 0;
}

int stream_reject(struct stream *st, const struct ndjson_line *ln, const char *reason)
{
	uint8_t sum[SHA256_LEN];
	int inserted = 0, rc;
	size_t keep = ln->len;
	if ((rc = begin(st)))
		return rc;
	if (st->reader) {
		ndjson_line_sha256(st->reader, ln, sum);
	} else {
		/* a document: its hash, and at most --max-line bytes of it */
		digest_sha256(ln->text, ln->len, sum);
		if (keep > st->cfg->max_line)
			keep = st->cfg->max_line;
	}
	if (!st->cfg->quiet) {
		if (st->progress)
			(void)!write(STDERR_FILENO, "\r\033[K", 4);
		fprintf(stderr, "%s: %s:%lu: %s\n", st->cfg->program, ln->file, ln->lineno, reason);
	}
	rc = store_reject(st->store, st->cfg->program, ln->file, ln->lineno, reason,
			  ln->text ? ln->text : "", keep, ln->full_len, sum, &inserted);
	if (rc)
		return rc;
	st->n.rejected++;
	st->status = CCC_EX_DATAERR;
	return st->cfg->strict ? CCC_EX_DATAERR : 0;
}

int stream_reject_unparsed(struct stream *st, const struct ndjson_line *ln, const char *reason)
{
	if (ln->lazy && st->n.records)
		st->n.records--; /* stream_record counted it */
	return stream_reject(st, ln, reason);
}

void stream_emit_line(struct stream *st, const char *p, size_t n)
{
	buf_grow(&st->pending, n + 1);
	memcpy(st->pending.p + st->pending.len, p, n);
	st->pending.len += n;
	st->pending.p[st->pending.len++] = '\n';
	st->n.emitted++;
}

void stream_emit(struct stream *st, jv rec)
{
	json_write(&st->pending, rec);
	buf_addc(&st->pending, '\n');
	jv_free(rec);
	st->n.emitted++;
}

struct store *stream_store(struct stream *st)
{
	return st->store;
}

int stream_record(struct stream *st, jv rec, const struct ndjson_line *ln)
{
	int rc = begin(st);
	if (rc) {
		jv_free(rec);
		return rc;
	}
	st->n.records++;
	if ((rc = st->cfg->record(st, rec, ln, st->cfg->ctx)))
		return rc;
	/* a batch ends at --batch records, or once its journal entry passes
	 * STORE_ENTRY_BYTES, so that it ships as one line */
	if (++st->in_batch >= st->cfg->batch_max || store_tx_bytes(st->store) >= STORE_ENTRY_BYTES)
		return flush_batch(st);
	return 0;
}

/* Read the rest of fd after the n bytes in *buf; returns 0, -1 on a read
 * error, 1 when the input is larger than max. */
static int slurp(int fd, char **buf, size_t *n, size_t max)
{
	size_t cap = *n + 65536;
	char *p = xrealloc(*buf, cap);
	for (;;) {
		if (*n == cap) {
			if (cap > max) {
				*buf = p;
				return 1;
			}
			cap *= 2;
			p = xrealloc(p, cap);
		}
		if (got_signal) {
			*buf = p;
			return -2; /* an input that never ends cannot hold off a signal */
		}
		ssize_t r = read(fd, p + *n, cap - *n);
		if (r < 0 && errno == EINTR && !got_signal)
			continue;
		if (r < 0) {
			*buf = p;
			return errno == EINTR ? -2 : -1; /* -2: stopped by a signal */
		}
		if (r == 0)
			break;
		*n += (size_t)r;
	}
	*buf = p;
	return *n > max ? 1 : 0;
}

static int run_document(struct stream *st, int fd, const char *name, char *head, size_t n)
{
	struct ndjson_line doc = {.file = name, .lineno = 1};
	size_t max = st->cfg->max_document ? st->cfg->max_document : (size_t)64 << 20;
	char *buf = xmalloc(n ? n : 1);
	int rc;
	memcpy(buf, head, n);
	int r = slurp(fd, &buf, &n, max);
	if (r == -2) {
		/* A signal before the document was whole: take in nothing of it. */
		free(buf);
		return 0;
	}
	if (r < 0) {
		warn("read error on '%s'", name);
		free(buf);
		return CCC_EX_IOERR;
	}
	doc.text = buf;
	doc.len = doc.full_len = n;
	st->n.lines++;
	if (r > 0) {
		char why[128];
		snprintf(why, sizeof why, "document larger than %zu bytes", max);
		rc = stream_reject(st, &doc, why);
	} else {
		rc = st->cfg->document(st, &doc, st->cfg->ctx);
	}
	free(buf);
	if (!rc && st->in_tx && clock_mono_ms() - st->batch_start >= st->cfg->batch_ms)
		rc = flush_batch(st);
	return rc;
}

/* The first character that is not white space or a UTF-8 BOM. */
static int first_char(const char *p, size_t n)
{
	size_t i = 0;
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i < n ? (unsigned char)p[i] : -1;
}

static int run_one(struct stream *st, int fd, const char *name)
{
	struct ndjson_line ln;
	int rc = 0;
	char head[4096];
	size_t n = 0;

	if (st->cfg->is_document) {
		/* Enough of the input to tell what it is. */
		while (n < sizeof head) {
			ssize_t r = read(fd, head + n, sizeof head - n);
			if (r < 0 && errno == EINTR && !got_signal)
				continue;
			if (r < 0 && errno == EINTR)
				return 0; /* a signal: the batch in hand is committed */
			if (r < 0) {
				warn("read error on '%s'", name);
				return CCC_EX_IOERR;
			}
			if (r == 0)
				break;
			n += (size_t)r;
			if (memchr(head, '\n', n) && (n >= 512 || first_char(head, n) == '{'))
				break; /* a line of NDJSON, or enough to tell */
		}
		if (n && st->cfg->is_document(head, n, st->cfg->ctx))
			return run_document(st, fd, name, head, n);
	}
	st->reader = ndjson_open_prefix(fd, name, st->cfg->max_line, head, n);
	ndjson_stop_on(st->reader, &got_signal);
	ndjson_lazy(st->reader, st->cfg->lazy);
	for (;;) {
		int timeout = -1;
		if (st->in_tx) {
			long long left = st->cfg->batch_ms - (clock_mono_ms() - st->batch_start);
			timeout = left > 0 ? (int)left : 0;
		}
		if (got_signal)
			break;
		int r = ndjson_next(st->reader, &ln, timeout);
		if (r == NDJSON_TIMEOUT) {
			if ((rc = flush_batch(st)))
				break;
			continue;
		}
		if (r == NDJSON_ERROR) {
			if (errno == EINTR)
				continue; /* a signal: got_signal ends the loop */
			warn("read error on '%s'", name);
			rc = CCC_EX_IOERR;
			break;
		}
		if (r == NDJSON_EOF)
			break;
		st->n.lines++;
		if ((rc = begin(st))) {
			jv_free(ln.value);
			break;
		}
		if (!jv_is_valid(ln.value)) {
			rc = stream_reject(st, &ln, ln.reason);
			if (!rc && ++st->in_batch >= st->cfg->batch_max)
				rc = flush_batch(st);
		} else {
			rc = stream_record(st, ln.value, &ln);
		}
		if (rc)
			break;
		if (st->in_tx && clock_mono_ms() - st->batch_start >= st->cfg->batch_ms)
			if ((rc = flush_batch(st)))
				break;
	}
	ndjson_close(st->reader);
	st->reader = NULL;
	return rc;
}

/* Hand one batch of the rows of q (n, record) after *last to the callback. */
static int run_stored_batch(struct stream *st, sqlite3_stmt *q, int64_t *last, size_t *rows)
{
	struct buf text = {0};
	struct stored_row {
		int64_t n;
		size_t end; /* of its text in text */
	} *row = NULL, *more;
	size_t cap = 0;
	int rc;

	/* Read the batch first: the callback writes to the table being read. */
	*rows = 0;
	sqlite3_bind_int64(q, 1, *last);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)st->cfg->batch_max);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*rows == cap) {
			cap = cap ? 2 * cap : 64;
			more = xrealloc(row, cap * sizeof *row);
			row = more;
		}
		buf_add(&text, (const char *)sqlite3_column_text(q, 1),
			(size_t)sqlite3_column_bytes(q, 1));
		row[*rows].n = sqlite3_column_int64(q, 0);
		row[(*rows)++].end = text.len;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		rc = store_error(st->store, rc, "reading the store");
		goto out;
	}
	rc = 0;
	for (size_t i = 0, at = 0; i < *rows && !rc; at = row[i++].end) {
		struct ndjson_line ln = {.file = "store",
					 .lineno = (unsigned long)row[i].n,
					 .text = text.p + at,
					 .len = row[i].end - at,
					 .full_len = row[i].end - at};
		char reason[128];
		*last = row[i].n;
		st->n.lines++;
		jv rec = ndjson_parse(ln.text, ln.len, reason, sizeof reason);
		if (!jv_is_valid(rec)) {
			jv_free(rec);
			warnx("stored record %lld does not parse: %s", (long long)row[i].n, reason);
			rc = CCC_EX_SOFTWARE;
			break;
		}
		st->n.records++;
		rc = st->cfg->record(st, rec, &ln, st->cfg->ctx);
		st->in_batch++;
	}
out:
	buf_free(&text);
	free(row);
	return rc;
}

/* The defaults of what the caller left 0 (stream.h). */
static void defaults(struct stream_config *c)
{
	if (!c->batch_max)
		c->batch_max = 1000;
	if (!c->batch_ms)
		c->batch_ms = 200;
	if (!c->max_line)
		c->max_line = CCC_MAX_LINE_DEFAULT;
}

int stream_run_stored(struct store *s, const struct stream_config *cfg, const char *sql)
{
	struct stream st = {.store = s, .cfg = cfg};
	struct stream_config c = *cfg;
	sqlite3_stmt *q = NULL;
	int64_t last = 0;
	size_t rows = 1;
	int rc = 0;

	defaults(&c);
	st.cfg = &c;
	st.progress = isatty(STDERR_FILENO) && !c.quiet;
	st.started = st.progress_at = clock_mono_ms();
	catch_signals();
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &q, NULL) != SQLITE_OK)
		return store_error(s, SQLITE_ERROR, "reading the store");
	while (rows && !got_signal) {
		if ((rc = begin(&st)) || (rc = run_stored_batch(&st, q, &last, &rows)))
			break;
		if ((rc = flush_batch(&st)))
			break;
	}
	sqlite3_finalize(q);
	if (rc && st.in_tx) {
		store_rollback(s);
		st.in_tx = 0;
	}
	show_progress(&st, 1);
	buf_free(&st.pending);
	if (cfg->counts)
		*cfg->counts = st.n;
	if (c.verbose)
		fprintf(stderr, "%s: %lu stored records, %lu rejected, %lu written, %lu batches\n",
			cfg->program, st.n.records, st.n.rejected, st.n.emitted, st.n.batches);
	if (rc)
		return rc;
	if (got_signal)
		return got_signal == SIGINT ? CCC_EX_SIGINT : CCC_EX_SIGTERM;
	return st.status;
}

int stream_run(struct store *s, const struct stream_config *cfg, char **files, int nfiles)
{
	static char *stdin_only[] = {"-"};
	struct stream st = {.store = s, .cfg = cfg};
	struct stream_config c = *cfg;
	int rc = 0, missing = 0;

	defaults(&c);
	st.cfg = &c;
	st.progress = isatty(STDERR_FILENO) && !c.quiet;
	st.started = st.progress_at = clock_mono_ms();
	catch_signals();
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	if (st.progress) {
		struct stat sb;
		for (int i = 0; i < nfiles; i++)
			if (strcmp(files[i], "-") != 0 && stat(files[i], &sb) == 0 &&
			    S_ISREG(sb.st_mode))
				st.input_size += (unsigned long long)sb.st_size;
	}
	for (int i = 0; i < nfiles && !rc && !got_signal; i++) {
		int fd = STDIN_FILENO;
		if (strcmp(files[i], "-") != 0) {
			fd = open(files[i], O_RDONLY | O_CLOEXEC);
			if (fd < 0) {
				warn("cannot open '%s'", files[i]);
				missing = 1;
				continue;
			}
		}
		rc = run_one(&st, fd, fd == STDIN_FILENO ? "stdin" : files[i]);
		if (fd != STDIN_FILENO) {
			struct stat sb;
			if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
				st.done_before += (unsigned long long)sb.st_size;
		}
		if (fd != STDIN_FILENO)
			close(fd);
	}
	if (rc == CCC_EX_DATAERR && c.strict) {
		int frc = flush_batch(&st); /* keep the reject that stopped us */
		rc = frc ? frc : rc;
	} else if (rc) {
		store_rollback(s);
		st.in_tx = 0;
	} else {
		rc = flush_batch(&st);
	}
	show_progress(&st, 1);
	buf_free(&st.pending);
	if (cfg->counts)
		*cfg->counts = st.n;
	if (c.verbose)
		fprintf(stderr,
			"%s: %lu lines, %lu records, %lu rejected, %lu written, %lu batches\n",
			cfg->program, st.n.lines, st.n.records, st.n.rejected, st.n.emitted,
			st.n.batches);
	if (rc)
		return rc;
	if (got_signal)
		return got_signal == SIGINT ? CCC_EX_SIGINT : CCC_EX_SIGTERM;
	if (missing)
		return CCC_EX_NOINPUT;
	return st.status;
}
