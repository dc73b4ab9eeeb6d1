/*
 * store-report.h: what an operator reads out of a store with ccc-store:
 * the journal as records, the rejected input, counts, an online copy, and
 * the values a message keeps apart. Reading only, except that reading
 * restricted content is itself journaled.
 */
#ifndef CCC_STORE_REPORT_H
#define CCC_STORE_REPORT_H

#include <jv.h>

#include "ccc/store.h"

/*
 * The journal entries after seq since (at most limit; -1: all), oldest
 * first, each {"seq", "epoch", "origin", "actor", "command", "ts", "hash",
 * "changes"} handed to each (which consumes it). Unless restricted, the key
 * of a change to a restricted reference record is "restricted" and the
 * command line of an entry that logs a check is cut to its program; with
 * restricted (a store opened for writing), the access is journaled first
 * and nothing is shown when it cannot be. Returns 0 or an exit code.
 */
int store_report_journal(struct store *s, long long since, long limit, int restricted,
			 void (*each)(jv entry, void *ctx), void *ctx);

/*
 * The rejected input lines, of program only unless NULL, at most limit,
 * each a `reject` record {"type", "v", "id", "program", "file", "line",
 * "reason", "raw" or "raw_base64", "raw_size", "raw_sha256", "ts"} handed to
 * each. Returns 0 or an exit code.
 */
int store_report_rejects(struct store *s, const char *program, long limit,
			 void (*each)(jv reject, void *ctx), void *ctx);

/* The attachment whose SHA-256 is sum (64 lowercase hex digits) to
 * stdout: 0; 1 (CCC_EX_NEGATIVE, warned) when there is none; or an exit
 * code. */
int store_report_attachment(struct store *s, const char *sum);

/* Counts and sizes: {"store", "site", "schema_version", "size_bytes",
 * "epoch", "primary", "journal": {...}, "tables": {NAME: rows}}. */
jv store_report_stats(struct store *s);

/* An online copy of the store into path, which must not exist (created
 * 0600). Returns 0, 73 or 74 (warned). */
int store_report_backup(struct store *s, const char *path);

#endif
