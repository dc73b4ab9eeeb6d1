/*
 * audit-ship.c: a site's audit chain carried to the primary and merged
 * (audit.h): audit-export at the site, audit-import at the primary, and the
 * pull that 'ccc-failover ship' makes before it ships the journal.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/audit-ship.h"
#include "ccc/audit.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/out.h"
#include "ccc/ship.h"
#include "ccc/store.h"
#include "ccc/xmalloc.h"

/* Entries merged in one transaction, at most. */
#define AUDIT_BATCH 1000

static int emit_out(jv v, void *ctx)
{
	(void)ctx;
	out_jv(v);
	return out_failed();
}

int audit_export(struct store *s, int64_t since)
{
	int rc = audit_export_each(s, since, emit_out, NULL);
	int frc = out_flush();
	return rc ? rc : frc;
}

struct merge {
	struct store *s;
	struct audit_import *im;
	int open; /* a transaction is open */
	int n;    /* records in it */
};

static int merge_end(struct merge *m, int commit)
{
	int64_t seq;
	int rc = 0;
	if (!m->open)
		return 0;
	m->open = 0;
	if (commit)
		rc = store_commit(m->s, &seq);
	else
		store_rollback(m->s);
	m->n = 0;
	return rc;
}

static int merge_line(struct merge *m, struct ndjson_line *ln)
{
	char why[512];
	const char *type = jv_is_valid(ln->value) ? jv_get_str(ln->value, "type") : NULL;
	if (!jv_is_valid(ln->value)) {
		warnx("%s:%lu: %s", ln->file, ln->lineno, ln->reason);
		m->im->refused++;
		return 0;
	}
	if (!type || strcmp(type, "audit") != 0) {
		warnx("%s:%lu: field 'type': not an audit entry", ln->file, ln->lineno);
		m->im->refused++;
		return 0;
	}
	int rc;
	if (!m->open) {
		if ((rc = store_begin(m->s)))
			return rc;
		m->open = 1;
	}
	rc = audit_import_record(m->s, ln->value, why, sizeof why);
	if (rc == 0)
		m->im->merged++;
	else if (rc == 1)
		m->im->known++;
	else if (rc < 0) {
		const char *site = jv_get_str(ln->value, "site");
		jv q = jv_object_get(jv_copy(ln->value), jv_string("seq"));
		warnx("%s:%lu: audit entry %.64s/%.0f refused: %s", ln->file, ln->lineno,
		      site ? site : "?", jv_get_kind(q) == JV_KIND_NUMBER ? jv_number_value(q) : 0,
		      why);
		jv_free(q);
		m->im->refused++;
	} else {
		return rc;
	}
	if (++m->n >= AUDIT_BATCH)
		return merge_end(m, 1);
	return 0;
}

int audit_import_fd(struct store *s, int fd, const char *name, struct audit_import *im)
{
	struct ndjson_reader *r = ndjson_open(fd, name, STORE_ENTRY_LINE);
	struct ndjson_line ln;
	struct merge m = {.s = s, .im = im};
	int rc = 0, k;
	while (!rc && (k = ndjson_next(r, &ln, -1)) != NDJSON_EOF) {
		if (k == NDJSON_ERROR && errno == EINTR)
			continue;
		if (k == NDJSON_ERROR) {
			warn("%s", name);
			rc = CCC_EX_IOERR;
			break;
		}
		rc = merge_line(&m, &ln);
		jv_free(ln.value);
	}
	int erc = merge_end(&m, rc == 0);
	ndjson_close(r);
	rc = rc ? rc : erc;
	return rc ? rc : im->refused ? CCC_EX_DATAERR : 0;
}

int audit_import_files(struct store *s, char **files, int nfiles, struct audit_import *im)
{
	int rc = 0;
	if (nfiles == 0)
		return audit_import_fd(s, STDIN_FILENO, "stdin", im);
	for (int i = 0; i < nfiles; i++) {
		int fd = strcmp(files[i], "-") ? open(files[i], O_RDONLY | O_CLOEXEC) : 0;
		if (fd < 0) {
			warn("cannot open '%s'", files[i]);
			return CCC_EX_NOINPUT;
		}
		int r = audit_import_fd(s, fd, fd ? files[i] : "stdin", im);
		if (fd)
			close(fd);
		if (r && r != CCC_EX_DATAERR)
			return r;
		rc = rc ? rc : r;
	}
	return rc;
}

int audit_pull(struct store *s, const char *via, const char *site, struct audit_import *im)
{
	char args[64];
	int64_t since = site ? audit_site_head(s, site, NULL) : 0;
	if (since < 0)
		return CCC_EX_IOERR;
	snprintf(args, sizeof args, "audit-export --since %lld", (long long)since);
	int out = -1;
	int rc = ship_run(s, via, args, -1, &out);
	if (out < 0)
		return rc ? rc : CCC_EX_UNAVAILABLE;
	int irc = rc ? 0 : audit_import_fd(s, out, "audit-export", im);
	close(out);
	if (rc)
		return rc == CCC_EX_DATAERR ? rc : CCC_EX_UNAVAILABLE;
	return irc;
}

struct own {
	struct store *s;
	struct audit_import *im;
	int rc;
};

static int merge_own_one(jv rec, void *ctx)
{
	struct own *o = ctx;
	char why[512];
	int rc = audit_import_record(o->s, rec, why, sizeof why);
	jv_free(rec);
	if (rc == 0)
		o->im->merged++;
	else if (rc == 1)
		o->im->known++;
	else if (rc < 0) {
		warnx("this site's own audit entry refused: %s", why);
		o->im->refused++;
		o->rc = CCC_EX_DATAERR;
		return 1;
	} else {
		o->rc = rc;
		return 1;
	}
	return 0;
}

int audit_merge_own(struct store *s, struct audit_import *im)
{
	int64_t seq;
	int64_t since = audit_site_head(s, store_site(s), NULL);
	if (since < 0)
		return CCC_EX_IOERR;
	int rc = store_begin(s);
	if (rc)
		return rc;
	struct own o = {.s = s, .im = im};
	rc = audit_export_each(s, since, merge_own_one, &o);
	if (o.rc || (rc && rc != CCC_EX_IOERR)) {
		store_rollback(s);
		return o.rc ? o.rc : rc;
	}
	return store_commit(s, &seq);
}
