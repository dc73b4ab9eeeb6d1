/*
 * checks.h: the checks a record asks ccc-check for, against the reference
 * databases (refdb.h).
 *
 * A `query` record names what to check: "doc" or "number" (with
 * "country"), "name" (with "dob", "nationality"), "vin", "plate" (with
 * "country"), "serial" (with "make"), "imo", "artwork", "mrz" (2 or 3 lines
 * joined by '\n'). A `message` record's "entities" (message.h) of kind mrz,
 * document and vin are checked the same way. An MRZ is checked for its
 * check digits, its document and its holder; a VIN with a wrong check digit
 * is a finding in itself. Every check is written to the consultation log
 * (refdb_audit) and counted in struct checks.
 */
#ifndef CCC_CHECKS_H
#define CCC_CHECKS_H

#include <jv.h>

#include "ccc/json.h"
#include "ccc/refdb.h"
#include "ccc/store.h"
#include "ccc/stream.h"
#include "ccc/table.h"

struct checks {
	struct refdb_ctx *ctx;  /* the store, the requesting country, thresholds */
	unsigned long hits;     /* hits of every check made so far */
	unsigned long findings; /* findings (bad check digits) so far */
	struct buf json;        /* the record being written; the caller frees it */
};

/*
 * The filter's work on one record rec (consumed) read at ln: a `query` is
 * checked and written with its "checks" (a malformed one is a reject); a
 * `message` is replaced by its stored copy (queue_stored_copy), whose
 * entities are checked and whose "checks" are stored and written; other
 * types pass through unchanged; nothing is written when quiet. Returns 0 or
 * an exit code.
 */
int checks_filter_record(struct checks *k, struct stream *st, jv rec, const struct ndjson_line *ln,
			 int quiet);

/*
 * checks_filter_record for a line not parsed yet (ln->lazy, stream.h): the
 * commonest query, a document check and nothing else, is read from its text
 * and written as it came with its "checks" added, the same bytes the general
 * way writes; any other line is parsed (a line ndjson_parse refuses is a
 * reject) and goes the general way.
 */
int checks_filter_line(struct checks *k, struct stream *st, const struct ndjson_line *ln,
		       int quiet);

/*
 * The checks query q (not consumed) asks for, as an array. *why is set
 * (with an array of what was checked before) when a field is malformed or q
 * asks for nothing; *rc gets the first exit code of the log. Inside a
 * transaction.
 */
jv checks_of_query(struct checks *k, jv q, int *rc, const char **why);

/* A new query record: {"type": "query", "v", "id": "q-MILLISECONDS"}. */
jv checks_query_new(void);

/*
 * Check query *q in a transaction of its own and set its "checks". 0, or an
 * exit code, or 0 with *why set when q asks for nothing that can be checked
 * (nothing is then logged).
 */
int checks_run_query(struct checks *k, struct store *s, jv *q, const char **why);

/* The checks of the entities of message msg (not consumed), as an array. */
jv checks_of_message(struct checks *k, jv msg, int *rc);

/*
 * The document number of a query that asks for a document check and nothing
 * else (the commonest query), with *country its issuer, or NULL. Both point
 * into q. A record that already has "checks" goes the general way.
 */
const char *checks_document_only(jv q, const char **country);

/*
 * Check such a query without building JSON values for it: out gets the
 * record rec (consumed) with its "checks", as the general way writes it.
 * Returns 0 or an exit code.
 */
int checks_document_line(struct checks *k, jv rec, const char *number, const char *country,
			 struct buf *out);

/*
 * A table of checked records for a terminal (table.h): one row per check
 * of a record (its id, type, database, query, hit count and best hit), a
 * record without checks as one row. checks_table_add does not consume rec;
 * checks_table_lines adds the records of NDJSON lines p[0..n) and flushes.
 */
struct table *checks_table_new(void);
void checks_table_add(struct table *t, jv rec);
void checks_table_lines(struct table *t, const char *p, size_t n);

/*
 * The consultation log, oldest first: each entry {"consultation", "ts",
 * "actor", "ncb", "deployment", "db", "query", "hits"} handed to each
 * (which consumes it); only those of deployment, or with a hit owned by
 * owner, when not NULL; at most limit (-1: all). Returns 0 or an exit code.
 */
int checks_log(struct store *s, const char *deployment, const char *owner, long limit,
	       void (*each)(jv entry, void *ctx), void *ctx);

#endif
