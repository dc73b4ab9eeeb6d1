/*
 * ccc-check: load the reference databases; check documents, persons,
 * vehicles, firearms, artworks and vessels; the consultation log.
 */
#include <argp.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/csv.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/message.h"
#include "ccc/mrz.h"
#include "ccc/ndjson.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/personmatch.h"
#include "ccc/queue.h"
#include "ccc/refdb.h"
#include "ccc/sanctions.h"
#include "ccc/store.h"
#include "ccc/subcmd.h"
#include "ccc/stream.h"
#include "ccc/vin.h"

enum format { FMT_NDJSON, FMT_CSV, FMT_UN, FMT_OFAC };

static struct config {
	char **args;
	int nargs;
	const char *command;
	int db;
	enum format format;
	int remove;
	const char *doc, *country, *name, *dob, *nationality, *vin, *plate, *serial, *make, *imo,
	    *artwork;
	int mrz, pending;
	const char *owner_filter;
	long limit;
	struct refdb_ctx ctx;
	unsigned long hits, findings;
	unsigned long loaded, refused; /* load: records stored or removed; another owner's */
	struct buf json;
} cfg = {.db = -1, .limit = -1, .ctx = {.threshold = PERSON_MATCH_THRESHOLD, .top = 5}};

const char *argp_program_version = "ccc-check " CCC_VERSION;
static const char prog_doc[] =
    "Instant checks against the reference databases: travel documents, persons (across "
    "scripts and spellings), vehicles, firearms, works of art and vessels; with the "
    "owners' restrictions, and every check in the consultation log.\v"
    "Commands:\n"
    "  (none)        filter: check the `query` records and the entities of the\n"
    "                `message` records on stdin or in FILEs; add \"checks\"\n"
    "                (--pending: of every stored message not checked yet)\n"
    "  load FILE...  load records into --db (--format, --owner, --remove)\n"
    "  log           the consultation log (--owner, --deployment, --limit)\n\n"
    "A direct check (--doc, --name, --vin, --plate, --mrz, --serial, --imo, "
    "--artwork) prints one `query` record with its checks. A person's score combines "
    "name similarity across scripts (token order does not matter), date of birth and "
    "nationality; hits at or above --threshold (default 0.75) are reported, at most "
    "--top. A hit the requesting country (--ncb) may not see is shown only as "
    "{\"restricted\": true, \"owner\": CC, \"band\": \"match\"}: a person is then "
    "scored on the name alone against a fixed threshold (0.75), whatever --threshold, "
    "--top, --dob and --nationality say.\n\n"
    "A load changes or removes a stored record only for its owner (the record's "
    "\"owner\", else --owner): another country's record is refused, left as it is, "
    "kept in the rejects and written to the consultation log.\n\n"
    "Exit status: 0 success (with -q: something was found); 1 with -q: nothing found; "
    "64 usage; 65 some input was rejected; 66 no input, or no such store; 70 internal "
    "error; 74 I/O error; 75 store busy or site fenced; 77 load: a record belongs to another "
    "country, or key file readable by others; "
    "78 configuration.\n\n"
    "EXAMPLES\n"
    "  ccc-check load --db documents --owner FR stolen-fr.ndjson\n"
    "  ccc-check load --db persons --format un-consolidated consolidated.xml\n"
    "  ccc-check load --db persons --format ofac-sdn sdn.csv\n"
    "  ccc-check --doc 19AB45872 --country FR --ncb ES\n"
    "  ccc-check --name 'Mohamed Ali' --dob 1970-05 --nationality EG\n"
    "  ccc-check -q --vin 1HGCM82633A004352 && echo 'stolen car'\n"
    "  ccc-intake mail.mbox | ccc-check --ncb FR | ccc-triage\n"
    "  ccc-check --pending --ncb FR >/dev/null && ccc-triage --pending";
static const char args_doc[] = "[FILE...]\nload --db DB [FILE...]\nlog\n--mrz LINE...";

enum {
	OPT_DB = 1,
	OPT_FORMAT,
	OPT_OWNER,
	OPT_REMOVE,
	OPT_DOC,
	OPT_COUNTRY,
	OPT_NAME,
	OPT_DOB,
	OPT_NATIONALITY,
	OPT_VIN,
	OPT_PLATE,
	OPT_MRZ,
	OPT_SERIAL,
	OPT_MAKE,
	OPT_IMO,
	OPT_ARTWORK,
	OPT_NCB,
	OPT_DEPLOYMENT,
	OPT_THRESHOLD,
	OPT_TOP,
	OPT_LIMIT,
	OPT_PENDING,
};

static const struct argp_option options[] = {
    {NULL, 0, NULL, 0, "Checks:", 1},
    {"doc", OPT_DOC, "NUMBER", 0, "Check a travel document number (with --country)", 1},
    {"country", OPT_COUNTRY, "CC", 0, "Issuing country of --doc, country of --plate", 1},
    {"name", OPT_NAME, "NAME", 0, "Check a person's name, in any script", 1},
    {"dob", OPT_DOB, "DATE", 0,
     "With --name: date of birth, YYYY, YYYY-MM or YYYY-MM-DD (a real date)", 1},
    {"nationality", OPT_NATIONALITY, "CC", 0, "With --name: nationality", 1},
    {"vin", OPT_VIN, "VIN", 0, "Check a vehicle identification number", 1},
    {"plate", OPT_PLATE, "PLATE", 0, "Check a number plate (with --country)", 1},
    {"mrz", OPT_MRZ, NULL, 0, "Check the MRZ given as arguments (2 or 3 lines)", 1},
    {"serial", OPT_SERIAL, "SERIAL", 0, "Check a firearm's serial number (with --make)", 1},
    {"make", OPT_MAKE, "MAKE", 0, "With --serial: the firearm's make", 1},
    {"imo", OPT_IMO, "NUMBER", 0, "Check a vessel's IMO number", 1},
    {"artwork", OPT_ARTWORK, "ID", 0, "Check a work of art by its id", 1},
    {"ncb", OPT_NCB, "CC", 0, "The requesting country: restrictions apply to it", 1},
    {"deployment", OPT_DEPLOYMENT, "ID", 0, "Count the checks for this deployment", 1},
    {"threshold", OPT_THRESHOLD, "SCORE", 0, "Persons: least score reported (default 0.75)", 1},
    {"top", OPT_TOP, "K", 0, "Persons: at most K hits (default 5)", 1},
    {"pending", OPT_PENDING, NULL, 0,
     "Filter: check every stored message that has no checks yet, instead of reading input", 1},
    {NULL, 0, NULL, 0, "Loading and the log:", 2},
    {"db", OPT_DB, "DB", 0, "load: documents, persons, vehicles, firearms, artworks, vessels", 2},
    {"format", OPT_FORMAT, "FORMAT", 0, "load: ndjson, csv, un-consolidated, ofac-sdn", 2},
    {"owner", OPT_OWNER, "CC", 0,
     "load: owner of records that name none, the only one that changes or removes them; "
     "log: records of CC",
     2},
    {"remove", OPT_REMOVE, NULL, 0, "load: remove the records given (found, recovered)", 2},
    {"limit", OPT_LIMIT, "N", 0, "log: at most N consultations", 2},
    {0},
};

static int country_arg(const char *arg)
{
	return strlen(arg) == 2 && arg[0] >= 'A' && arg[0] <= 'Z' && arg[1] >= 'A' && arg[1] <= 'Z';
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	switch (key) {
	case OPT_DB:
		if ((cfg.db = refdb_by_name(arg)) < 0)
			argp_error(state,
				   "--db: '%s' is not documents, persons, vehicles, firearms, "
				   "artworks or vessels",
				   arg);
		break;
	case OPT_FORMAT:
		if (!strcmp(arg, "ndjson"))
			cfg.format = FMT_NDJSON;
		else if (!strcmp(arg, "csv"))
			cfg.format = FMT_CSV;
		else if (!strcmp(arg, "un-consolidated"))
			cfg.format = FMT_UN;
		else if (!strcmp(arg, "ofac-sdn"))
			cfg.format = FMT_OFAC;
		else
			argp_error(state,
				   "--format: '%s' is not ndjson, csv, un-consolidated or ofac-sdn",
				   arg);
		break;
	case OPT_OWNER:
		if (!country_arg(arg))
			argp_error(state, "--owner: '%s' is not an ISO 3166 alpha-2 code (e.g. FR)",
				   arg);
		cfg.ctx.owner = cfg.owner_filter = arg;
		break;
	case OPT_NCB:
		if (!country_arg(arg))
			argp_error(state, "--ncb: '%s' is not an ISO 3166 alpha-2 code (e.g. FR)",
				   arg);
		cfg.ctx.ncb = arg;
		break;
	case OPT_COUNTRY:
	case OPT_NATIONALITY:
		if (!country_arg(arg))
			argp_error(state, "--%s: '%s' is not an ISO 3166 alpha-2 code (e.g. FR)",
				   key == OPT_COUNTRY ? "country" : "nationality", arg);
		*(key == OPT_COUNTRY ? &cfg.country : &cfg.nationality) = arg;
		break;
	case OPT_REMOVE: cfg.remove = 1; break;
	case OPT_DOC: cfg.doc = arg; break;
	case OPT_NAME: cfg.name = arg; break;
	case OPT_DOB:
		if (!dob_valid(arg))
			argp_error(
			    state,
			    "--dob: '%s' is not a date of birth (YYYY, YYYY-MM or YYYY-MM-DD, "
			    "a real calendar date)",
			    arg);
		cfg.dob = arg;
		break;
	case OPT_VIN: cfg.vin = arg; break;
	case OPT_PLATE: cfg.plate = arg; break;
	case OPT_MRZ: cfg.mrz = 1; break;
	case OPT_SERIAL: cfg.serial = arg; break;
	case OPT_MAKE: cfg.make = arg; break;
	case OPT_IMO: cfg.imo = arg; break;
	case OPT_ARTWORK: cfg.artwork = arg; break;
	case OPT_DEPLOYMENT: cfg.ctx.deployment = arg; break;
	case OPT_PENDING: cfg.pending = 1; break;
	case OPT_THRESHOLD: {
		char *end;
		double t = strtod(arg, &end);
		if (*end || end == arg || t < 0 || t > 1)
			argp_error(state, "--threshold: '%s' is not a score from 0 to 1", arg);
		cfg.ctx.threshold = t;
		break;
	}
	case OPT_TOP: {
		long k;
		if (ccc_parse_long(arg, 1, 1000, &k) < 0)
			argp_error(state, "--top: '%s' is not a number from 1 to 1000", arg);
		cfg.ctx.top = (int)k;
		break;
	}
	case OPT_LIMIT:
		if (ccc_parse_long(arg, 0, 1L << 40, &cfg.limit) < 0)
			argp_error(state, "--limit: '%s' is not a number", arg);
		break;
	case ARGP_KEY_ARGS:
		cfg.args = state->argv + state->next;
		cfg.nargs = state->argc - state->next;
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Count what a check found, and log it. Consumes nothing. */
static int tally(jv chk)
{
	jv hits = jv_object_get(jv_copy(chk), jv_string("hits"));
	if (jv_get_kind(hits) == JV_KIND_ARRAY)
		cfg.hits += (unsigned long)jv_array_length(jv_copy(hits));
	jv_free(hits);
	jv f = jv_object_get(jv_copy(chk), jv_string("findings"));
	if (jv_get_kind(f) == JV_KIND_ARRAY)
		cfg.findings += (unsigned long)jv_array_length(jv_copy(f));
	jv_free(f);
	return refdb_audit(&cfg.ctx, chk);
}

/* Checks of an MRZ: the check digits, the document, and the holder. */
static jv checks_of_mrz(jv checks, jv m, int *rc)
{
	const char *number = jv_get_str(m, "document_number");
	const char *issuer = jv_get_str(m, "issuing_country");
	const char *surname = jv_get_str(m, "surname");
	const char *given = jv_get_str(m, "given_names");
	const char *born = jv_get_str(m, "birth_date_iso");
	const char *nat = jv_get_str(m, "nationality_country");
	jv errors = jv_object_get(jv_copy(m), jv_string("errors"));
	if (jv_get_kind(errors) == JV_KIND_ARRAY && jv_array_length(jv_copy(errors)) > 0) {
		jv f = jv_object();
		f = jv_object_set(f, jv_string("db"), jv_string("mrz"));
		f = jv_object_set(f, jv_string("query"),
				  jv_object_set(jv_object(), jv_string("document_number"),
						jv_string(number ? number : "")));
		f = jv_object_set(f, jv_string("hits"), jv_array());
		jv findings = jv_array();
		jv_array_foreach (errors, i, e) {
			if (jv_get_kind(e) == JV_KIND_STRING)
				findings = jv_array_append(
				    findings, jv_string_fmt("bad check digit or field: %s",
							    jv_string_value(e)));
			jv_free(e);
		}
		f = jv_object_set(f, jv_string("findings"), findings);
		if (!*rc)
			*rc = tally(f);
		checks = jv_array_append(checks, f);
	}
	jv_free(errors);
	if (number && *number) {
		jv c = refdb_check_document(&cfg.ctx, number, issuer);
		if (!*rc)
			*rc = tally(c);
		checks = jv_array_append(checks, c);
	}
	if (surname && *surname) {
		char full[400];
		snprintf(full, sizeof full, "%s %s", given ? given : "", surname);
		jv c = refdb_check_person(&cfg.ctx, full, born, nat);
		if (!*rc)
			*rc = tally(c);
		checks = jv_array_append(checks, c);
	}
	return checks;
}

/* The checks a message's entities call for. */
static jv checks_of_entities(jv msg, int *rc)
{
	jv checks = jv_array();
	jv ents = jv_object_get(jv_copy(msg), jv_string("entities"));
	if (jv_get_kind(ents) != JV_KIND_ARRAY) {
		jv_free(ents);
		return checks;
	}
	jv_array_foreach (ents, i, e) {
		const char *kind = jv_get_str(e, "kind");
		if (!kind || *rc) {
		} else if (!strcmp(kind, "mrz")) {
			checks = checks_of_mrz(checks, e, rc);
		} else if (!strcmp(kind, "document")) {
			jv c = refdb_check_document(&cfg.ctx, jv_get_str(e, "number"),
						    jv_get_str(e, "country"));
			*rc = tally(c);
			checks = jv_array_append(checks, c);
		} else if (!strcmp(kind, "vin") && jv_get_str(e, "vin")) {
			char key[40];
			refdb_normalize_key(jv_get_str(e, "vin"), key, sizeof key);
			jv c = refdb_check_item(&cfg.ctx, REFDB_VEHICLES, key);
			*rc = tally(c);
			checks = jv_array_append(checks, c);
		}
		jv_free(e);
	}
	jv_free(ents);
	return checks;
}

/* The checks a query record asks for; reason set when it asks for none. */
static jv checks_of_query(jv q, int *rc, const char **why)
{
	jv checks = jv_array();
	const char *v;
	char key[200];
	/* The fields asked for, read in one pass over the record (strings owned by q). */
	static const char *const names[] = {"doc",     "number", "country", "name", "nationality",
					    "vin",     "plate",  "serial",  "make", "imo",
					    "artwork", "mrz",    NULL};
	const char *f[12] = {0};
	*why = NULL;
	for (int it = jv_object_iter(q); jv_object_iter_valid(q, it);
	     it = jv_object_iter_next(q, it)) {
		jv k = jv_object_iter_key(q, it);
		for (int i = 0; names[i]; i++) {
			if (!strcmp(jv_string_value(k), names[i])) {
				jv val = jv_object_iter_value(q, it);
				if (jv_get_kind(val) == JV_KIND_STRING)
					f[i] = jv_string_value(val); /* q holds a reference */
				jv_free(val);
				break;
			}
		}
		jv_free(k);
	}
	if ((v = f[0]) || (v = f[1])) {
		jv c = refdb_check_document(&cfg.ctx, v, f[2]);
		*rc = *rc ? *rc : tally(c);
		checks = jv_array_append(checks, c);
	}
	if ((v = f[3])) {
		jv dob = jv_object_get(jv_copy(q), jv_string("dob"));
		const char *d = jv_get_kind(dob) == JV_KIND_STRING ? jv_string_value(dob) : NULL;
		if (d && *d && !dob_valid(d)) {
			*why = "field 'dob': not a date of birth (YYYY, YYYY-MM or YYYY-MM-DD, a "
			       "real calendar date)";
		} else {
			jv c = refdb_check_person(&cfg.ctx, v, d, f[4]);
			*rc = *rc ? *rc : tally(c);
			checks = jv_array_append(checks, c);
		}
		jv_free(dob);
	}
	if ((v = f[5])) {
		struct vin vi;
		enum vin_status vs = vin_validate(v, strlen(v), &vi);
		refdb_normalize_key(v, key, sizeof key);
		if (vs == VIN_BAD_LENGTH || vs == VIN_BAD_CHAR) {
			*why = vs == VIN_BAD_LENGTH
				   ? "field 'vin': not 17 characters"
				   : "field 'vin': a character outside the VIN alphabet";
		} else {
			if (vs == VIN_CHECK_BAD) {
				/* A wrong check digit is a finding in itself. */
				jv fnd = jv_object();
				fnd = jv_object_set(fnd, jv_string("db"), jv_string("vin"));
				fnd = jv_object_set(
				    fnd, jv_string("query"),
				    jv_object_set(jv_object(), jv_string("vin"), jv_string(key)));
				fnd = jv_object_set(fnd, jv_string("hits"), jv_array());
				fnd = jv_object_set(
				    fnd, jv_string("findings"),
				    jv_array_append(jv_array(), jv_string("bad check digit")));
				*rc = *rc ? *rc : tally(fnd);
				checks = jv_array_append(checks, fnd);
			}
			jv c = refdb_check_item(&cfg.ctx, REFDB_VEHICLES, key);
			*rc = *rc ? *rc : tally(c);
			checks = jv_array_append(checks, c);
		}
	}
	if ((v = f[6])) {
		jv c = refdb_check_plate(&cfg.ctx, v, f[2]);
		if (!jv_is_valid(c)) {
			jv_free(c);
			*why = "field 'country': a plate needs its country";
		} else {
			*rc = *rc ? *rc : tally(c);
			checks = jv_array_append(checks, c);
		}
	}
	if ((v = f[7])) {
		refdb_firearm_key(f[8], v, key, sizeof key);
		jv c = refdb_check_item(&cfg.ctx, REFDB_FIREARMS, key);
		*rc = *rc ? *rc : tally(c);
		checks = jv_array_append(checks, c);
	}
	if ((v = f[9])) {
		refdb_vessel_key(v, key, sizeof key);
		jv c = refdb_check_item(&cfg.ctx, REFDB_VESSELS, key);
		*rc = *rc ? *rc : tally(c);
		checks = jv_array_append(checks, c);
	}
	if ((v = f[10])) {
		refdb_normalize_key(v, key, sizeof key);
		jv c = refdb_check_item(&cfg.ctx, REFDB_ARTWORKS, key);
		*rc = *rc ? *rc : tally(c);
		checks = jv_array_append(checks, c);
	}
	if ((v = f[11])) {
		struct mrz m;
		if (mrz_parse(v, strlen(v), &m) != 0) {
			*why = "field 'mrz': not a machine readable zone (2 or 3 lines of 30, 36 "
			       "or 44)";
		} else {
			jv mj = mrz_to_jv(&m);
			checks = checks_of_mrz(checks, mj, rc);
			jv_free(mj);
		}
	}
	if (!*why && jv_array_length(jv_copy(checks)) == 0)
		*why = "nothing to check (give doc, name, vin, plate, serial, imo, artwork or mrz)";
	return checks;
}

/*
 * The number and issuing country of a query that asks for a document check and
 * nothing else (the commonest query), or NULL. A record that already has
 * "checks" goes the general way.
 */
static const char *document_only(jv q, const char **country)
{
	static const char *const others[] = {"name", "vin",     "plate",  "serial",
					     "imo",  "artwork", "checks", NULL};
	const char *doc = NULL, *number = NULL;
	*country = NULL;
	for (int it = jv_object_iter(q); jv_object_iter_valid(q, it);
	     it = jv_object_iter_next(q, it)) {
		jv k = jv_object_iter_key(q, it);
		const char *key = jv_string_value(k);
		const char **to = !strcmp(key, "doc")       ? &doc
				  : !strcmp(key, "number")  ? &number
				  : !strcmp(key, "country") ? country
							    : NULL;
		int other = !to && (!strcmp(key, "mrz") || !strcmp(key, "make"));
		for (int i = 0; !to && !other && others[i]; i++)
			other = !strcmp(key, others[i]);
		jv_free(k);
		if (other)
			return NULL;
		if (to) {
			jv v = jv_object_iter_value(q, it);
			*to = jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) : NULL;
			jv_free(v); /* q holds a reference */
		}
	}
	return doc ? doc : number;
}

/* A document-only query: checked, logged and written as text, with no JSON
 * values built for the check (the same output as the general way). */
static int check_document_query(struct stream *st, jv rec, const char *number, const char *country)
{
	unsigned long n = 0;
	cfg.json.len = 0;
	json_write(&cfg.json, rec);
	cfg.json.len--; /* the closing brace: the record has a "type" */
	buf_adds(&cfg.json, ",\"checks\":[");
	int rc = refdb_check_document_text(&cfg.ctx, number, country, &cfg.json, &n);
	jv_free(rec); /* after the check: number and country are rec's */
	cfg.hits += n;
	if (!rc && !ccc_opts.quiet) {
		buf_adds(&cfg.json, "]}");
		stream_emit_line(st, cfg.json.p, cfg.json.len);
	}
	return rc;
}

static int on_check(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	const char *type = jv_get_str(rec, "type");
	const char *why = NULL, *number, *country;
	int rc = 0;
	cfg.ctx.store = stream_store(st);
	if (type && !strcmp(type, "query") && (number = document_only(rec, &country)))
		return check_document_query(st, rec, number, country);
	if (type && !strcmp(type, "query")) {
		jv checks = checks_of_query(rec, &rc, &why);
		if (why) {
			jv_free(checks);
			jv_free(rec);
			return rc ? rc : stream_reject(st, ln, why);
		}
		rec = jv_object_set(rec, jv_string("checks"), checks);
	} else if (type && !strcmp(type, "message")) {
		int64_t n;
		/* Only the stored copy is checked and gains "checks". */
		if (!queue_stored_copy(st, ln, &rec, &n, ccc_opts.quiet, &rc))
			return rc;
		jv checks = checks_of_entities(rec, &rc);
		rec = jv_object_set(rec, jv_string("checks"), checks);
		cfg.json.len = 0;
		json_write(&cfg.json, rec);
		int r = queue_set_record(stream_store(st), n, cfg.json.p, cfg.json.len, NULL);
		rc = rc ? rc : r;
	} else if (!type) {
		jv_free(rec);
		return stream_reject(st, ln, "field 'type': missing (a record needs a type)");
	} else {
		stream_emit_line(st, ln->text, ln->len);
		jv_free(rec);
		return 0;
	}
	if (!rc && !ccc_opts.quiet) {
		cfg.json.len = 0;
		json_write(&cfg.json, rec);
		stream_emit_line(st, cfg.json.p, cfg.json.len);
	}
	jv_free(rec);
	return rc;
}

static int on_load(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	char reason[256];
	cfg.ctx.store = stream_store(st);
	int rc = refdb_load(&cfg.ctx, (enum refdb)cfg.db, rec, cfg.remove, reason, sizeof reason);
	if (rc == REFDB_NOT_OWNER)
		cfg.refused++;
	if (rc < 0)
		return stream_reject(st, ln, reason);
	if (!rc)
		cfg.loaded++;
	return rc;
}

static int load_is_document(const char *head, size_t n, void *ctx)
{
	return cfg.format != FMT_NDJSON;
}

struct load_doc {
	struct stream *st;
	const struct ndjson_line *doc;
	int rc;
};

/*
 * A record read from a whole document (a CSV row, an entry of a sanctions
 * list) stands for its own line: a reject keeps the record as read, in JSON,
 * not the document it came from.
 */
static void as_line(struct ndjson_line *ln, jv rec)
{
	static struct buf b;
	b.len = 0;
	if (jv_is_valid(rec))
		json_write(&b, rec);
	ln->text = b.len ? b.p : "";
	ln->len = ln->full_len = b.len;
}

static int on_parsed(jv rec, size_t line, void *ctx)
{
	struct load_doc *d = ctx;
	struct ndjson_line ln = *d->doc;
	ln.lineno = line;
	as_line(&ln, rec);
	if (!jv_is_valid(rec)) {
		jv msg = jv_invalid_get_msg(rec);
		d->rc = stream_reject(d->st, &ln,
				      jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg)
									 : "cannot be read");
		jv_free(msg);
		return d->rc;
	}
	/* Sanctions lists hold individuals, entities, vessels and aircraft: load
	 * what --db asks for (persons: individuals and entities). */
	const char *kind = jv_get_str(rec, "kind");
	int wanted = cfg.db == REFDB_VESSELS
			 ? kind && !strcmp(kind, "vessel")
			 : kind && (!strcmp(kind, "individual") || !strcmp(kind, "entity"));
	if (!wanted) {
		jv_free(rec);
		return 0;
	}
	/* A vessel's "owner" is its registered owner, not the supplying NCB. */
	jv o = jv_object_get(jv_copy(rec), jv_string("owner"));
	if (jv_get_kind(o) == JV_KIND_STRING)
		rec = jv_object_set(jv_object_delete(rec, jv_string("owner")),
				    jv_string("registered_owner"), o);
	else
		jv_free(o);
	d->rc = stream_record(d->st, rec, &ln);
	return d->rc;
}

/* The file beside an OFAC sdn.csv whose name has "alt" or "add" for its
 * "sdn" (sdn.csv -> alt.csv, ofac-sdn.csv -> ofac-alt.csv), read whole;
 * NULL when there is none. */
static char *beside(const char *path, const char *part, size_t *len)
{
	char p[4096];
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *at = NULL;
	for (const char *q = strstr(base, "sdn"); q; q = strstr(q + 1, "sdn"))
		at = q;
	if (!at || strlen(path) >= sizeof p)
		return NULL;
	snprintf(p, sizeof p, "%.*s%s%s", (int)(at - path), path, part, at + 3);
	FILE *f = fopen(p, "rb");
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	buf_addc(&b, '\0');
	*len = b.len - 1;
	return b.p;
}

static int on_load_document(struct stream *st, const struct ndjson_line *doc, void *ctx)
{
	struct load_doc d = {st, doc, 0};
	char *err = NULL;
	int r = 0;
	if (cfg.format == FMT_UN) {
		r = un_consolidated_parse(doc->text, doc->len, on_parsed, &d, &err);
	} else if (cfg.format == FMT_OFAC) {
		size_t alen = 0, dlen = 0;
		char *alt = beside(doc->file, "alt", &alen);
		char *add = beside(doc->file, "add", &dlen);
		r = ofac_sdn_parse(doc->text, doc->len, alt, alen, add, dlen, on_parsed, &d, &err);
		free(alt);
		free(add);
	} else {
		struct csv_reader *cr = csv_open(doc->text, doc->len);
		jv header = jv_invalid(), fields;
		size_t line;
		int k;
		while (!d.rc && (k = csv_next(cr, &fields, &line, &err)) != 0) {
			struct ndjson_line ln = *doc;
			ln.lineno = line;
			as_line(&ln, k < 0 ? jv_invalid() : fields);
			if (k < 0) {
				d.rc = stream_reject(st, &ln, err ? err : "bad CSV record");
				free(err);
				err = NULL;
				continue;
			}
			if (!jv_is_valid(header)) {
				jv_free(header);
				header = fields;
				continue;
			}
			jv rec = csv_header_record(jv_copy(header), fields);
			/* lists in a cell are separated by ';' */
			static const char *const lists[] = {"aliases", "nationalities", "dob",
							    NULL};
			for (int i = 0; lists[i]; i++) {
				const char *v = jv_get_str(rec, lists[i]);
				if (v && strchr(v, ';')) {
					jv parts = jv_string_split(jv_string(v), jv_string(";"));
					rec = jv_object_set(rec, jv_string(lists[i]), parts);
				}
			}
			const char *allow = jv_get_str(rec, "restrict_allow");
			const char *deny = jv_get_str(rec, "restrict_deny");
			if (allow || deny)
				rec = jv_object_set(
				    rec, jv_string("restrict"),
				    jv_object_set(jv_object(), jv_string(allow ? "allow" : "deny"),
						  jv_string_split(jv_string(allow ? allow : deny),
								  jv_string(";"))));
			d.rc = stream_record(st, rec, &ln);
		}
		jv_free(header);
		csv_close(cr);
		return d.rc;
	}
	if (r < 0 && !d.rc) {
		d.rc = stream_reject(st, doc, err ? err : "cannot be read");
	}
	free(err);
	return d.rc;
}

static int cmd_load(struct store *s)
{
	if (cfg.db < 0)
		errx(CCC_EX_USAGE, "load: give the database with --db");
	if ((cfg.format == FMT_UN || cfg.format == FMT_OFAC) && cfg.db != REFDB_PERSONS &&
	    cfg.db != REFDB_VESSELS)
		errx(CCC_EX_USAGE, "load: --format %s loads persons (and vessels, for ofac-sdn)",
		     cfg.format == FMT_UN ? "un-consolidated" : "ofac-sdn");
	struct stream_config sc = {
	    .program = "ccc-check",
	    CCC_STREAM_OPTS,
	    .record = on_load,
	    .is_document = load_is_document,
	    .document = on_load_document,
	};
	struct stream_counts counts;
	sc.counts = &counts;
	int rc = stream_run(s, &sc, cfg.args, cfg.nargs);
	/* counted where they happen: a reject need not be a record (a whole
	 * document that cannot be read), so records - rejected can underflow */
	if (!ccc_opts.quiet) {
		fprintf(stderr, "ccc-check: %s: %lu records %s, %lu rejected\n",
			refdb_name((enum refdb)cfg.db), cfg.loaded,
			cfg.remove ? "removed" : "loaded", counts.rejected);
		if (cfg.refused)
			fprintf(stderr,
				"ccc-check: %s: %lu records refused: another country owns them "
				"(logged)\n",
				refdb_name((enum refdb)cfg.db), cfg.refused);
	}
	if (cfg.refused && (!rc || rc == CCC_EX_DATAERR))
		rc = CCC_EX_NOPERM;
	return rc;
}

static int cmd_filter(struct store *s)
{
	struct stream_config sc = {
	    .program = "ccc-check",
	    CCC_STREAM_OPTS,
	    .record = on_check,
	};
	/* --pending: the messages stored (by ccc-intake) but never checked. */
	static const char *const SQL_PENDING =
	    "SELECT n, record FROM messages WHERE n > ?1 AND json_type(record, '$.checks') IS NULL"
	    " ORDER BY n LIMIT ?2";
	int rc = cfg.pending ? stream_run_stored(s, &sc, SQL_PENDING)
			     : stream_run(s, &sc, cfg.args, cfg.nargs);
	if (!rc && ccc_opts.quiet)
		return cfg.hits || cfg.findings ? 0 : CCC_EX_NEGATIVE;
	return rc;
}

static int cmd_direct(struct store *s)
{
	jv q = jv_object();
	const char *why = NULL;
	int rc = 0;
	int64_t seq;
	q = jv_object_set(q, jv_string("type"), jv_string("query"));
	q = jv_object_set(q, jv_string("v"), jv_number(RECORD_VERSION));
	char id[64];
	snprintf(id, sizeof id, "q-%lld", clock_now_ms());
	q = jv_object_set(q, jv_string("id"), jv_string(id));
#define SET(field, value)                                                                          \
	if (value)                                                                                 \
	q = jv_object_set(q, jv_string(field), jv_string(value))
	SET("doc", cfg.doc);
	SET("country", cfg.country);
	SET("name", cfg.name);
	SET("dob", cfg.dob);
	SET("nationality", cfg.nationality);
	SET("vin", cfg.vin);
	SET("plate", cfg.plate);
	SET("serial", cfg.serial);
	SET("make", cfg.make);
	SET("imo", cfg.imo);
	SET("artwork", cfg.artwork);
#undef SET
	if (cfg.mrz) {
		struct buf m = {0};
		if (cfg.nargs < 2)
			errx(CCC_EX_USAGE, "--mrz: give the 2 or 3 lines of the MRZ as arguments");
		for (int i = 0; i < cfg.nargs; i++) {
			if (i)
				buf_addc(&m, '\n');
			buf_adds(&m, cfg.args[i]);
		}
		buf_addc(&m, '\0');
		q = jv_object_set(q, jv_string("mrz"), jv_string(m.p));
		buf_free(&m);
	} else if (cfg.nargs) {
		errx(CCC_EX_USAGE, "unexpected argument '%s' with a direct check", cfg.args[0]);
	}
	cfg.ctx.store = s;
	if ((rc = store_begin(s))) {
		jv_free(q);
		return rc;
	}
	jv checks = checks_of_query(q, &rc, &why);
	if (rc || why) {
		store_rollback(s);
		jv_free(checks);
		jv_free(q);
		if (why)
			errx(CCC_EX_USAGE, "%s", why);
		return rc;
	}
	if ((rc = store_commit(s, &seq))) {
		jv_free(checks);
		jv_free(q);
		return rc;
	}
	q = jv_object_set(q, jv_string("checks"), checks);
	if (ccc_opts.quiet) {
		jv_free(q);
		return cfg.hits || cfg.findings ? 0 : CCC_EX_NEGATIVE;
	}
	out_jv(q);
	return 0;
}

static int cmd_log(struct store *s)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(
		store_db(s),
		"SELECT c, ts, actor, ncb, deployment, db, query, hits FROM consultations"
		" WHERE (?1 IS NULL OR deployment = ?1)"
		" AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(hits)"
		"  WHERE json_extract(value, '$.owner') = ?2))"
		" ORDER BY c LIMIT ?3",
		-1, &st, NULL) != SQLITE_OK)
		return store_error(s, SQLITE_ERROR, "reading the consultation log");
	sqlite3_bind_text(st, 1, cfg.ctx.deployment, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cfg.owner_filter, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, cfg.limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char reason[64];
		jv e = jv_object();
		e = jv_object_set(e, jv_string("consultation"),
				  jv_number((double)sqlite3_column_int64(st, 0)));
		e = jv_object_set(e, jv_string("ts"),
				  jv_string((const char *)sqlite3_column_text(st, 1)));
		e = jv_object_set(e, jv_string("actor"),
				  jv_string((const char *)sqlite3_column_text(st, 2)));
		const unsigned char *ncb = sqlite3_column_text(st, 3),
				    *dep = sqlite3_column_text(st, 4);
		e = jv_object_set(e, jv_string("ncb"),
				  ncb ? jv_string((const char *)ncb) : jv_null());
		e = jv_object_set(e, jv_string("deployment"),
				  dep ? jv_string((const char *)dep) : jv_null());
		e = jv_object_set(e, jv_string("db"),
				  jv_string((const char *)sqlite3_column_text(st, 5)));
		e = jv_object_set(e, jv_string("query"),
				  ndjson_parse((const char *)sqlite3_column_text(st, 6),
					       (size_t)sqlite3_column_bytes(st, 6), reason,
					       sizeof reason));
		jv hits = jv_parse_sized((const char *)sqlite3_column_text(st, 7),
					 sqlite3_column_bytes(st, 7));
		e = jv_object_set(e, jv_string("hits"),
				  jv_is_valid(hits) ? hits : (jv_free(hits), jv_array()));
		out_jv(e);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the consultation log");
}

#define RUN(f)                                                                                     \
	static int run_##f(struct store *s, const char *name)                                      \
	{                                                                                          \
		(void)name;                                                                        \
		cfg.ctx.store = s;                                                                 \
		return cmd_##f(s);                                                                 \
	}
RUN(load)
RUN(log)
RUN(direct)
RUN(filter)

static const struct subcmd cmds[] = {
    {"load", SUBCMD_WRITE, 0, -1, "FILE", 1, run_load, "load records into --db"},
    {"log", SUBCMD_READ, 0, 0, NULL, 0, run_log, "the consultation log"},
};
#define NCMDS (sizeof cmds / sizeof cmds[0])

/* No command: check the records in the FILEs or on stdin; or a direct check. */
static const struct subcmd filter = {.name = "",
				     .store = SUBCMD_WRITE,
				     .max_args = -1,
				     .args = "FILE",
				     .files = 1,
				     .run = run_filter};
static const struct subcmd direct_check = {
    .name = "", .store = SUBCMD_WRITE, .max_args = -1, .args = "LINE", .run = run_direct};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {
	    {&ccc_batch_argp, 0, NULL, 0}, {&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {options,  parse_opt, args_doc, prog_doc,
					 children, NULL,      NULL};
	const struct subcmd *c = &filter;
	int rc, used;

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return CCC_EX_USAGE;
	int direct = cfg.doc || cfg.name || cfg.vin || cfg.plate || cfg.mrz || cfg.serial ||
		     cfg.imo || cfg.artwork;
	/* the words after --mrz are MRZ lines */
	if (!cfg.mrz && subcmd_find(cmds, NCMDS, cfg.nargs, cfg.args, &used)) {
		if ((rc = subcmd_parse(cmds, NCMDS, &cfg.nargs, &cfg.args, &c)))
			return rc;
		cfg.command = c->name;
	} else if (!direct && (rc = subcmd_filter_check(cmds, NCMDS, cfg.nargs, cfg.args))) {
		return rc;
	}
	if (direct && cfg.command)
		errx(CCC_EX_USAGE, "a direct check cannot be combined with '%s'", cfg.command);
	if (cfg.pending && (direct || cfg.command || cfg.nargs))
		errx(CCC_EX_USAGE, "--pending reads the store: give no %s",
		     direct        ? "direct check"
		     : cfg.command ? "command"
				   : "FILE");
	if (direct)
		c = &direct_check;
	signal(SIGPIPE, SIG_IGN);
	rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	if (cfg.ctx.names)
		names_close(cfg.ctx.names);
	buf_free(&cfg.json);
	out_close();
	return rc;
}
