/*
 * reply-send.c: delivering replies (see reply-send.h).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/mailwrite.h"
#include "ccc/out.h"
#include "ccc/reply-send.h"
#include "ccc/reply-store.h"
#include "ccc/runcmd.h"

/* The bytes that deliver rec: its e-mail, or its record as one NDJSON line. */
static int reply_bytes(jv rec, const struct reply_delivery *d, struct buf *b, char *err,
		       size_t errlen)
{
	if (d->as_record) {
		/* what the bureau's gateway is given: the reply, not the room's
		 * own bookkeeping (who drafted it, its attempts) */
		static const char *const fields[] = {
		    "type",    "v",    "id",     "message",     "requester",  "language", "to",
		    "subject", "body", "checks", "in_reply_to", "references", "mail_id",  NULL};
		jv r = jv_object();
		for (int i = 0; fields[i]; i++) {
			jv v = jv_object_get(jv_copy(rec), jv_string(fields[i]));
			if (jv_is_valid(v))
				r = jv_object_set(r, jv_string(fields[i]), v);
			else
				jv_free(v);
		}
		json_write(b, r);
		buf_addc(b, '\n');
		jv_free(r);
		return 0;
	}
	const char *to = jv_get_str(rec, "to");
	if (!to || !*to) {
		snprintf(err, errlen,
			 "it has no address: draft it with --to, or deliver the record "
			 "(--deliver record)");
		return -1;
	}
	struct mail_out m = {
	    .from = d->from,
	    .to = to,
	    .subject = jv_get_str(rec, "subject"),
	    .message_id = jv_get_str(rec, "mail_id"),
	    .in_reply_to = jv_get_str(rec, "in_reply_to"),
	    .references = jv_object_get(jv_copy(rec), jv_string("references")),
	    .language = jv_get_str(rec, "language"),
	    .date = clock_now(),
	    .body = jv_get_str(rec, "body"),
	};
	int rc = mail_write(b, &m, err, errlen);
	jv_free(m.references);
	return rc;
}

/* The first line of what a failed command said, for the reason. */
int reply_deliver(jv rec, const struct reply_delivery *d, char *err, size_t errlen)
{
	struct buf b = {0};
	if (reply_bytes(rec, d, &b, err, errlen) < 0) {
		buf_free(&b);
		return -1;
	}
	if (!d->via) {
		out_write(b.p, b.len);
		out_flush();
		buf_free(&b);
		return 0;
	}
	int rc = run_command_with(d->via, "reply", b.p, b.len, d->verbose, err, errlen);
	buf_free(&b);
	return rc;
}

/* Take the store's send lock (waits for another sender); *fd to release. */
static int reply_lock(struct store *s, int *fd)
{
	char path[4096];
	snprintf(path, sizeof path, "%s.send-lock", store_path(s));
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0) {
		warn("cannot open the send lock '%s'", path);
		return CCC_EX_CANTCREAT;
	}
	while (flock(*fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			warn("cannot take the send lock '%s'", path);
			close(*fd);
			return CCC_EX_IOERR;
		}
	}
	return 0;
}

static void reply_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}

/* A step of its own: begin, fn, commit. */
static int step(struct store *s, int (*fn)(struct store *, void *), void *ctx)
{
	int rc = store_begin(s);
	if (rc)
		return rc;
	if ((rc = fn(s, ctx))) {
		store_rollback(s);
		return rc;
	}
	int64_t seq;
	return store_commit(s, &seq);
}

struct one {
	const char *id;
	int again, done;
	const char *error;
	long orphans;
	jv rec;
};

static int do_orphans(struct store *s, void *ctx)
{
	return reply_store_orphans(s, &((struct one *)ctx)->orphans);
}

static int do_attempt(struct store *s, void *ctx)
{
	struct one *o = ctx;
	return reply_store_attempt(s, o->id, o->again, &o->done, &o->rec);
}

static int do_outcome(struct store *s, void *ctx)
{
	struct one *o = ctx;
	jv_free(o->rec);
	o->rec = jv_invalid();
	return reply_store_outcome(s, o->id, o->error, &o->rec);
}

/* attempt, deliver, outcome; the lock held and orphans done. */
static int send_one(struct store *s, const char *id, int again, const struct reply_delivery *d,
		    int *done, jv *out)
{
	struct one o = {.id = id, .again = again, .rec = jv_invalid()};
	char err[512];
	int rc = step(s, do_attempt, &o);
	*done = o.done;
	if (rc || o.done) {
		*out = o.rec;
		return rc;
	}
	if (reply_deliver(o.rec, d, err, sizeof err) < 0)
		o.error = err;
	if ((rc = step(s, do_outcome, &o))) {
		jv_free(o.rec);
		return rc;
	}
	*out = o.rec;
	if (o.error) {
		warnx("reply '%s' was not sent: %s; it is queued (ccc-reply retry)", id, o.error);
		return CCC_EX_UNAVAILABLE;
	}
	return 0;
}

int reply_send(struct store *s, const char *id, int again, const struct reply_delivery *d,
	       int *done, jv *out)
{
	int fd, rc;
	struct one o = {.rec = jv_invalid()};
	if ((rc = reply_lock(s, &fd)))
		return rc;
	if (!(rc = step(s, do_orphans, &o)))
		rc = send_one(s, id, again, d, done, out);
	reply_unlock(fd);
	return rc;
}

int reply_retry(struct store *s, const struct reply_delivery *d, long *sent, long *failed,
		long *unknown)
{
	int fd, rc;
	struct one o = {.rec = jv_invalid()};
	jv list = jv_invalid();
	*sent = *failed = *unknown = 0;
	if ((rc = reply_lock(s, &fd)))
		return rc;
	if (!(rc = step(s, do_orphans, &o))) {
		*unknown = o.orphans;
		rc = reply_store_list(s, "queued", &list);
	}
	if (rc) {
		reply_unlock(fd);
		return rc;
	}
	int any_failed = 0;
	jv_array_foreach (list, i, r) {
		const char *id = jv_get_str(r, "id");
		int done = 0;
		jv out = jv_invalid();
		int one = rc ? rc : send_one(s, id, 0, d, &done, &out);
		if (one == CCC_EX_UNAVAILABLE) {
			++*failed;
			any_failed = 1;
		} else if (one) {
			rc = one;
		} else if (!done) {
			++*sent;
		}
		jv_free(out);
		jv_free(r);
	}
	jv_free(list);
	reply_unlock(fd);
	return rc ? rc : any_failed ? CCC_EX_UNAVAILABLE : 0;
}
