/*
 * ship-import.c: apply a primary's export a batch at a time.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/keypack.h"
#include "ccc/lag.h"
#include "ccc/ndjson.h"
#include "ccc/out.h"
#include "ccc/ship-import.h"
#include "ccc/ship.h"
#include "ccc/xmalloc.h"

/* A batch's lines, at most (and one entry): held until applied, and the
 * pages it changes fit the page cache import keeps (24 MiB, ccc-failover.c),
 * so that nothing spills before the commit. */
#define IMPORT_BATCH_BYTES (8u << 20)

/* The batch being read: [entry, checkpoint, line] triples, and each entry's
 * changeset (its base64 text, taken out of the line unparsed; NULL: in the
 * entry). */
struct batch {
	jv pairs;
	int n, cap;
	size_t bytes; /* a few large entries make a batch too */
	char **cs;
	size_t *csn;
	char *pend; /* the changeset of the entry waiting for its checkpoint */
	size_t pendn;
};

static int64_t epoch_of(jv e)
{
	jv ep = jv_object_get(jv_copy(e), jv_string("epoch"));
	double ed = jv_get_kind(ep) == JV_KIND_NUMBER ? jv_number_value(ep) : 0;
	jv_free(ep);
	/* the cast is defined only in range */
	return ed >= -9223372036854775808.0 && ed < 9223372036854775808.0 ? (int64_t)ed : 0;
}

/* Apply pair p (not consumed) in the batch's transaction; on a refusal roll
 * the batch back and report it. */
static int apply_pair(struct store *s, jv p, const char *cs, size_t csn, int n, const char *name,
		      jv *acks)
{
	jv e = jv_array_get(jv_copy(p), 0), c = jv_array_get(jv_copy(p), 1);
	jv line = jv_array_get(jv_copy(p), 2);
	int64_t epoch = epoch_of(e);
	char origin[128], why[512];
	const char *o = jv_get_str(e, "origin");
	snprintf(origin, sizeof origin, "%s", o ? o : "");
	jv ack;
	int rc = ship_apply_cs(s, e, c, cs, csn, &ack, why, sizeof why);
	if (!rc) {
		*acks = jv_array_append(*acks, ack);
	} else {
		ship_end(s, 0);
		if (rc == CCC_EX_DATAERR) {
			warnx("%s:%lu: %s; nothing of the %d entries of this batch was applied",
			      name, (unsigned long)jv_number_value(line), why, n);
			ship_refused(s, epoch, origin, why);
		}
	}
	jv_free(line);
	return rc;
}

/* Apply the batch in one transaction, all or nothing; write the acks once
 * it committed; start a new batch. */
static int flush_batch(struct store *s, struct batch *b, const char *name, struct ship_import *im)
{
	int n = b->n, rc = 0;
	jv acks = jv_array(), pairs = b->pairs;
	b->pairs = jv_array();
	b->n = 0;
	b->bytes = 0;
	if (n && !(rc = ship_begin(s))) {
		for (int i = 0; i < n && !rc; i++) {
			jv p = jv_array_get(jv_copy(pairs), i);
			rc = apply_pair(s, p, b->cs[i], b->csn[i], n, name, &acks);
			jv_free(p);
		}
		if (!rc && !(rc = ship_end(s, 1))) {
			jv_array_foreach (acks, i, a) {
				if (im->quiet_acks)
					jv_free(a);
				else
					out_jv(a);
			}
			out_flush();
			im->applied += (unsigned long)n;
		}
	}
	for (int i = 0; i < n; i++)
		free(b->cs[i]);
	jv_free(acks);
	jv_free(pairs);
	return rc;
}

/* A line only validated (ndjson_lazy): parsed, but an entry's changeset,
 * most of its bytes, is kept as text (libjq would check the UTF-8 of each
 * byte), the value parsed with an empty one in its place. */
static void parse_lazy(struct ndjson_line *ln, struct batch *b, struct buf *cut)
{
	size_t from, to;
	char *cs = NULL;
	if (json_plain_string(ln->text, ln->len, "changeset", &from, &to) == 0) {
		cut->len = 0;
		buf_add(cut, ln->text, from);
		buf_add(cut, ln->text + to, ln->len - to);
		ln->value = ndjson_parse(cut->p, cut->len, ln->reason, sizeof ln->reason);
		cs = xmalloc(to - from + 1);
		memcpy(cs, ln->text + from, to - from);
		cs[to - from] = '\0';
	} else {
		ln->value = ndjson_parse(ln->text, ln->len, ln->reason, sizeof ln->reason);
	}
	const char *type = jv_is_valid(ln->value) ? jv_get_str(ln->value, "type") : NULL;
	if (type && !strcmp(type, "entry")) {
		free(b->pend);
		b->pend = cs;
		b->pendn = cs ? to - from : 0;
	} else {
		free(cs);
	}
}

/* One line read: an entry waits for its checkpoint, the pair joins the batch. */
static int take_line(struct store *s, struct ndjson_line *ln, jv *entry, unsigned long *entry_line,
		     struct batch *b, const char *name, struct ship_import *im)
{
	const char *type = jv_is_valid(ln->value) ? jv_get_str(ln->value, "type") : NULL;
	b->bytes += ln->full_len;
	if (!jv_is_valid(ln->value)) {
		warnx("%s:%lu: %s", ln->file, ln->lineno, ln->reason);
		return CCC_EX_DATAERR;
	}
	if (type && !strcmp(type, "entry")) {
		int rc = 0;
		if (jv_is_valid(*entry)) {
			warnx("%s:%lu: an entry without its checkpoint", name, *entry_line);
			rc = CCC_EX_DATAERR;
		}
		jv_free(*entry);
		*entry = ln->value;
		ln->value = jv_invalid();
		*entry_line = ln->lineno;
		return rc;
	}
	if (!type || strcmp(type, "checkpoint") != 0) {
		warnx("%s:%lu: not an entry, a checkpoint or a head", ln->file, ln->lineno);
		return CCC_EX_DATAERR;
	}
	if (!jv_is_valid(*entry)) {
		warnx("%s:%lu: a checkpoint without its entry", ln->file, ln->lineno);
		return CCC_EX_DATAERR;
	}
	if (b->n >= b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->cs = xrealloc(b->cs, (size_t)b->cap * sizeof *b->cs);
		b->csn = xrealloc(b->csn, (size_t)b->cap * sizeof *b->csn);
	}
	b->cs[b->n] = b->pend;
	b->csn[b->n] = b->pendn;
	b->pend = NULL;
	b->pairs =
	    jv_array_append(b->pairs, JV_ARRAY(*entry, ln->value, jv_number((double)*entry_line)));
	*entry = jv_invalid();
	ln->value = jv_invalid();
	if (++b->n >= im->batch || b->bytes >= IMPORT_BATCH_BYTES)
		return flush_batch(s, b, name, im);
	return 0;
}

/* A `head` record (ship.c: the exporter's last seq): checked here, so that a
 * malformed one is reported with its line; kept in *head (the last one). */
static int take_head(struct ndjson_line *ln, jv *head)
{
	struct lag_head h;
	const char *bad = lag_head_parse(ln->value, &h);
	if (bad) {
		warnx("%s:%lu: head: field '%s' is missing or malformed", ln->file, ln->lineno,
		      bad);
		return CCC_EX_DATAERR;
	}
	jv_free(*head);
	*head = jv_copy(ln->value);
	return 0;
}

/* After a successful import: its time and the head it reported (lag.h). */
static int note_head(struct store *s, jv head)
{
	struct lag_head h = {0};
	int have = jv_is_valid(head) && !lag_head_parse(head, &h);
	return lag_note_import(s, have ? &h : NULL);
}

int ship_import_fd(struct store *s, int fd, const char *name, struct ship_import *im)
{
	/* an entry holds a batch: its line may pass the record limit (store.h) */
	size_t max = STORE_ENTRY_LINE > im->max_line ? STORE_ENTRY_LINE : im->max_line;
	struct ndjson_reader *r = ndjson_open(fd, name, max);
	struct ndjson_line ln;
	struct batch b = {.pairs = jv_array()};
	jv entry = jv_invalid(), head = jv_invalid();
	unsigned long entry_line = 0;
	int rc = 0, k;
	struct buf cut = {0};

	ndjson_lazy(r, 1);
	if (im->stop)
		ndjson_stop_on(r, im->stop); /* even inside a line that never ends */
	while (!rc && (k = ndjson_next(r, &ln, b.n ? (int)im->batch_ms : -1)) != NDJSON_EOF) {
		if (k == NDJSON_ERROR && errno == EINTR && im->stop && *im->stop)
			break; /* apply the batch in hand, then stop */
		if (k == NDJSON_ERROR && errno == EINTR)
			continue;
		if (k == NDJSON_LINE && ln.lazy)
			parse_lazy(&ln, &b, &cut);
		if (k == NDJSON_ERROR) {
			warn("%s", name);
			rc = CCC_EX_IOERR;
		} else if (k == NDJSON_TIMEOUT) {
			/* the stream paused: the person keys it changed are packed
			 * (keypack.h), once, not a batch at a time */
			if (!(rc = flush_batch(s, &b, name, im)))
				(void)keypack_store(s);
		} else if (jv_is_valid(ln.value) && jv_get_str(ln.value, "type") &&
			   !strcmp(jv_get_str(ln.value, "type"), "head")) {
			rc = take_head(&ln, &head);
			jv_free(ln.value);
		} else {
			rc = take_line(s, &ln, &entry, &entry_line, &b, name, im);
			jv_free(ln.value);
		}
	}
	/* what came before a bad line is applied; the bad line is reported */
	int brc = flush_batch(s, &b, name, im);
	rc = rc ? rc : brc;
	if (!brc && !(im->stop && *im->stop)) /* a signal: the next import packs */
		(void)keypack_store(s);
	if (!rc && jv_is_valid(entry)) {
		warnx("%s:%lu: an entry without its checkpoint", name, entry_line);
		rc = CCC_EX_DATAERR;
	}
	if (!rc) /* a hint: not recording it is said, but the import succeeded */
		(void)note_head(s, head);
	jv_free(head);
	jv_free(entry);
	jv_free(b.pairs);
	free(b.cs);
	free(b.csn);
	free(b.pend);
	buf_free(&cut);
	ndjson_close(r);
	return rc;
}

int ship_import_files(struct store *s, char **files, int nfiles, struct ship_import *im)
{
	int rc = 0;
	if (nfiles == 0)
		rc = ship_import_fd(s, STDIN_FILENO, "stdin", im);
	for (int i = 0; i < nfiles && !rc && !(im->stop && *im->stop); i++) {
		int fd = strcmp(files[i], "-") ? open(files[i], O_RDONLY | O_CLOEXEC) : 0;
		if (fd < 0) {
			warn("cannot open '%s'", files[i]);
			return CCC_EX_NOINPUT;
		}
		rc = ship_import_fd(s, fd, fd ? files[i] : "stdin", im);
		if (fd)
			close(fd);
	}
	/* A line cut short by the signal is reported, but the signal decides. */
	if (im->stop && *im->stop && (!rc || rc == CCC_EX_DATAERR))
		rc = *im->stop == SIGINT ? CCC_EX_SIGINT : CCC_EX_SIGTERM;
	return rc;
}
