/*
 * witness.c: the newest signed head, outside the store (witness.h).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccc/opts.h"
#include "ccc/sign.h"
#include "ccc/witness.h"

static const char *const SQL_HEAD =
    "SELECT seq, epoch, hash FROM journal ORDER BY seq DESC LIMIT 1";
static const char *const SQL_HASH_AT = "SELECT hash FROM journal WHERE seq = ?1";

char *witness_path(const char *store_path, const char *site)
{
	char real[PATH_MAX], rest[200], hex[2 * SHA256_LEN + 1], name[40];
	uint8_t sum[SHA256_LEN];
	size_t i;
	if (!realpath(store_path, real))
		return NULL;
	digest_sha256(real, strlen(real), sum);
	hex_encode(sum, 8, hex);
	for (i = 0; i < sizeof name - 1 && site[i]; i++)
		name[i] = strchr("abcdefghijklmnopqrstuvwxyz0123456789-", site[i]) ? site[i] : '_';
	name[i] = '\0';
	snprintf(rest, sizeof rest, "ccc/witness/%s-%s", name, hex);
	return ccc_state_path(rest);
}

static int hex_hash(const char *h, uint8_t out[SHA256_LEN])
{
	return strlen(h) == 2 * SHA256_LEN && hex_decode(h, 2 * SHA256_LEN, out) == SHA256_LEN;
}

int witness_read(const char *file, struct witness *w)
{
	char line[512], hex[130], site[64];
	long long a, b;
	memset(w, 0, sizeof *w);
	FILE *f = fopen(file, "re");
	if (!f) {
		if (errno == ENOENT)
			return -1;
		warn("cannot read witness '%s'", file);
		return 1;
	}
	int bad = !fgets(line, sizeof line, f) || strcmp(line, "ccc-witness 1\n") != 0;
	while (!bad && fgets(line, sizeof line, f)) {
		if (sscanf(line, "head %lld %lld %129s", &a, &b, hex) == 3 &&
		    hex_hash(hex, w->hash)) {
			w->seq = a;
			w->epoch = b;
		} else if (sscanf(line, "ack %63s %lld %129s", site, &a, hex) == 3 &&
			   w->nacks < WITNESS_MAXACKS && hex_hash(hex, w->acks[w->nacks].hash)) {
			snprintf(w->acks[w->nacks].site, sizeof w->acks[0].site, "%s", site);
			w->acks[w->nacks++].seq = a;
		} else if (strncmp(line, "store ", 6) != 0) {
			bad = 1;
		}
	}
	fclose(f);
	if (bad) {
		warnx("witness '%s' is damaged", file);
		return 1;
	}
	return 0;
}

typedef void update_fn(struct witness *w, void *ctx);

/* Read, change and rewrite the witness of ws under its lock. */
static int update(const struct witness_store *ws, update_fn *fn, void *ctx)
{
	char lock[PATH_MAX + 8], tmp[PATH_MAX + 8], hex[2 * SHA256_LEN + 1], real[PATH_MAX];
	struct witness w;
	int rc = -1;
	char *file = witness_path(ws->path, ws->site);
	if (!file || !realpath(ws->path, real)) {
		warn("witness: store '%s'", ws->path);
		free(file);
		return -1;
	}
	snprintf(lock, sizeof lock, "%s.lock", file);
	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	int lfd = sign_make_parents(file) < 0 || sign_dir_check(file, "witness")
		      ? -1
		      : open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lfd < 0 || flock(lfd, LOCK_EX) < 0) {
		warn("witness: cannot lock '%s'", lock);
		goto out;
	}
	if (witness_read(file, &w) > 0)
		memset(&w, 0, sizeof w); /* damaged: written anew */
	fn(&w, ctx);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		warn("witness: cannot write '%s'", tmp);
		if (fd >= 0)
			close(fd);
		goto out;
	}
	fprintf(f, "ccc-witness 1\nstore %s\n", real);
	if (w.seq > 0) {
		hex_encode(w.hash, SHA256_LEN, hex);
		fprintf(f, "head %lld %lld %s\n", (long long)w.seq, (long long)w.epoch, hex);
	}
	for (int i = 0; i < w.nacks; i++) {
		hex_encode(w.acks[i].hash, SHA256_LEN, hex);
		fprintf(f, "ack %s %lld %s\n", w.acks[i].site, (long long)w.acks[i].seq, hex);
	}
	/* Not fsynced: the store's commit was, before this; after a power cut the
	 * witness may lag the store, never lead it, and a lagging witness is
	 * only a weaker one (an fsync here doubled a one-record commit's time). */
	int bad = fclose(f) != 0;
	if (bad || rename(tmp, file) < 0) {
		warn("witness: cannot write '%s'", file);
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	if (lfd >= 0)
		close(lfd);
	free(file);
	return rc;
}

struct head {
	int64_t seq, epoch;
	uint8_t hash[SHA256_LEN];
	int rewound;
};

static void set_head(struct witness *w, void *ctx)
{
	struct head *h = ctx;
	if (h->seq > w->seq || h->rewound) {
		w->seq = h->seq;
		w->epoch = h->epoch;
		memcpy(w->hash, h->hash, SHA256_LEN);
	}
	if (!h->rewound)
		return;
	int n = 0;
	for (int i = 0; i < w->nacks; i++)
		if (w->acks[i].seq <= h->seq)
			w->acks[n++] = w->acks[i];
	w->nacks = n;
}

int witness_record(const struct witness_store *ws, int rewound)
{
	struct head h = {.rewound = rewound};
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(ws->db, SQL_HEAD, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 2) == SHA256_LEN) {
		h.seq = sqlite3_column_int64(st, 0);
		h.epoch = sqlite3_column_int64(st, 1);
		memcpy(h.hash, sqlite3_column_blob(st, 2), SHA256_LEN);
	}
	sqlite3_finalize(st);
	if (h.seq == 0 && !rewound)
		return 0;
	return update(ws, set_head, &h);
}

struct ack {
	const char *site;
	int64_t seq;
	uint8_t hash[SHA256_LEN];
};

static void set_ack(struct witness *w, void *ctx)
{
	struct ack *a = ctx;
	int i;
	for (i = 0; i < w->nacks; i++)
		if (!strcmp(w->acks[i].site, a->site))
			break;
	if (i == w->nacks) {
		if (w->nacks == WITNESS_MAXACKS)
			return;
		w->nacks++;
		snprintf(w->acks[i].site, sizeof w->acks[i].site, "%s", a->site);
		w->acks[i].seq = 0;
	}
	if (a->seq > w->acks[i].seq) {
		w->acks[i].seq = a->seq;
		memcpy(w->acks[i].hash, a->hash, SHA256_LEN);
	}
}

void witness_note_ack(const struct witness_store *ws, const char *site, int64_t seq)
{
	struct ack a = {.site = site, .seq = seq};
	sqlite3_stmt *st = NULL;
	if (!*site || strlen(site) >= 64 || strpbrk(site, " \t\n\r"))
		return;
	int found = sqlite3_prepare_v2(ws->db, SQL_HASH_AT, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_bind_int64(st, 1, seq) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_bytes(st, 0) == SHA256_LEN;
	if (found)
		memcpy(a.hash, sqlite3_column_blob(st, 0), SHA256_LEN);
	sqlite3_finalize(st);
	if (found)
		update(ws, set_ack, &a);
}
