/*
 * refload.h: reading reference data for ccc-check load, in the input
 * formats --input-format names: NDJSON records (read by the stream as
 * lines), CSV with a header row (a cell's ';' separates the items of
 * aliases, nationalities and dob; restrict_allow and restrict_deny become
 * "restrict"), the UN Security Council consolidated list (XML) and OFAC's
 * SDN list (sdn.csv, with alt.csv and add.csv beside it when present).
 *
 * A record read from a whole document stands for its own line: a reject
 * keeps the record as read, in JSON, with the line it started on.
 */
#ifndef CCC_REFLOAD_H
#define CCC_REFLOAD_H

#include "ccc/refdb.h"
#include "ccc/stream.h"

enum refload_format { REFLOAD_NDJSON, REFLOAD_CSV, REFLOAD_UN, REFLOAD_OFAC };

/* "ndjson", "csv", "un-consolidated", "ofac-sdn" to the format; -1 for none. */
int refload_format_by_name(const char *name);
const char *refload_format_name(enum refload_format f);

/*
 * Hand each record of document doc (a whole file in format fmt, not NDJSON)
 * to stream_record, and what cannot be read to stream_reject. From a
 * sanctions list only what db holds is taken (persons: individuals and
 * entities; vessels: vessels, their "owner" renamed "registered_owner").
 * Returns 0 or the stream's code.
 */
int refload_document(struct stream *st, const struct ndjson_line *doc, enum refload_format fmt,
		     enum refdb db);

/* A load into a reference database: what to load, and what it did. */
struct refload {
	struct refdb_ctx *ctx; /* --owner; its store is set by refload_run */
	enum refdb db;
	enum refload_format input;
	int remove;                    /* remove the records read instead */
	unsigned long loaded, refused; /* stored or removed; another owner's */
	unsigned long unchanged;       /* stored as given already: not written */
	/* Optional: called in each batch's transaction before it commits (the
	 * load's re-screening, rescreen_batch), with before_ctx; 0 or an exit
	 * code (the batch is then rolled back). */
	int (*before_commit)(struct store *s, void *ctx);
	void *before_ctx;
};

/*
 * Load (or remove) the records of files[0..nfiles) (none: stdin) into
 * l->db through the stream configured by sc (whose record, document and
 * ctx it sets), counting them in l. Returns the stream's status, or 77
 * when a record of another owner was refused (and logged).
 */
int refload_run(struct refload *l, struct store *s, struct stream_config *sc, char **files,
		int nfiles);

#endif
