/*
 * ccc-intake: take messages in, normalise, de-duplicate, store, emit.
 */
#include <argp.h>
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/message.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/store.h"
#include "ccc/stream.h"

static struct config {
	struct message_defaults defaults;
	const char *format;
	long batch, batch_ms;
	char **files;
	int nfiles;
	unsigned long duplicates;
	struct message msg;
} cfg = {
    .format = "ndjson",
    .batch = 1000,
    .batch_ms = 200,
};

const char *argp_program_version = "ccc-intake " CCC_VERSION;
const char *argp_program_bug_address = NULL;
static const char doc[] =
    "Take messages in from national central bureaus and feeds: normalise each into a "
    "`message` record, detect its language (ar, en, fr, es), store it once in the "
    "site's signed store, and write it to stdout once its batch has committed.\v"
    "Input is NDJSON, one message object per line (fields: source, external_id, "
    "origin_country, received_at, sent_at, language, subject, body, refs; other fields "
    "are kept). A message seen before (same source and external_id, or same content) "
    "is not stored or written again, so rerunning the same input is safe. Records "
    "whose type is not \"message\" pass through unchanged. A bad line is reported as "
    "FILE:LINE: reason, kept in the store's rejects, and the stream goes on.\n\n"
    "Exit status: 0 all stored; 65 some lines were rejected; 66 an input could not be "
    "opened; 64 usage; 74 I/O error; 75 store busy or site fenced; 77 key file "
    "permissions; 78 configuration.\n\n"
    "EXAMPLES\n"
    "  ccc-intake --source ncb:fr messages.ndjson\n"
    "  ccc-intake --source osint:wire - < feed.ndjson | ccc-triage\n"
    "  ccc-intake -v --source ncb:ar --country AR batch-*.ndjson >/dev/null";
static const char args_doc[] = "[FILE...]";

enum { OPT_SOURCE = 1, OPT_COUNTRY, OPT_LANGUAGE, OPT_FORMAT, OPT_BATCH, OPT_BATCH_MS };

static const struct argp_option options[] = {
    {"source", OPT_SOURCE, "NAME", 0,
     "Source of input that does not name its own (e.g. ncb:fr, osint:reuters)", 0},
    {"country", OPT_COUNTRY, "CC", 0, "origin_country of input that does not give one", 0},
    {"language", OPT_LANGUAGE, "LL", 0,
     "Language of input that does not give one (skips detection)", 0},
    {"format", OPT_FORMAT, "FORMAT", 0, "Input format: ndjson (default)", 0},
    {"batch", OPT_BATCH, "N", 0, "Commit every N records (default 1000)", 0},
    {"batch-ms", OPT_BATCH_MS, "MS", 0, "Commit at least every MS milliseconds (default 200)", 0},
    {0},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_SOURCE:
		if (!*arg)
			argp_error(state, "--source: empty name");
		cfg.defaults.source = arg;
		break;
	case OPT_COUNTRY:
		if (strlen(arg) != 2)
			argp_error(state, "--country: '%s' is not an ISO 3166 alpha-2 code", arg);
		cfg.defaults.origin_country = arg;
		break;
	case OPT_LANGUAGE:
		if (strlen(arg) != 2)
			argp_error(state, "--language: '%s' is not an ISO 639-1 code", arg);
		cfg.defaults.language = arg;
		break;
	case OPT_FORMAT:
		if (strcmp(arg, "ndjson") != 0)
			argp_error(state, "--format: '%s' is not a known format (ndjson)", arg);
		cfg.format = arg;
		break;
	case OPT_BATCH:
		if (ccc_parse_long(arg, 1, 1000000, &cfg.batch) < 0)
			argp_error(state, "--batch: '%s' is not a number from 1 to 1000000", arg);
		break;
	case OPT_BATCH_MS:
		if (ccc_parse_long(arg, 1, 3600000, &cfg.batch_ms) < 0)
			argp_error(state, "--batch-ms: '%s' is not a number of milliseconds", arg);
		break;
	case ARGP_KEY_ARGS:
		cfg.files = state->argv + state->next;
		cfg.nfiles = state->argc - state->next;
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int on_record(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	char reason[256];
	int inserted, rc;
	const char *type = jv_get_str(rec, "type");

	cfg.defaults.now = clock_now();
	if (type && strcmp(type, "message") != 0) {
		stream_emit_line(st, ln->text, ln->len);
		jv_free(rec);
		return 0;
	}
	if (message_normalize(rec, &cfg.defaults, &cfg.msg, reason, sizeof reason) < 0)
		return stream_reject(st, ln, reason);
	if ((rc = message_store(stream_store(st), &cfg.msg, &inserted)))
		return rc;
	if (inserted)
		stream_emit_line(st, cfg.msg.json.p, cfg.msg.json.len);
	else
		cfg.duplicates++;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {options, parse_opt, args_doc, doc, children, NULL, NULL};
	struct store *s = NULL;
	struct stream_counts counts;
	int rc;

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return CCC_EX_USAGE;
	if ((rc = store_open(ccc_opts.store, STORE_WRITE, ccc_opts.key, &s)))
		return rc;
	struct stream_config sc = {
	    .program = "ccc-intake",
	    .batch_max = (size_t)cfg.batch,
	    .batch_ms = (int)cfg.batch_ms,
	    .record = on_record,
	    .counts = &counts,
	};
	rc = stream_run(s, &sc, cfg.files, cfg.nfiles);
	if (ccc_opts.verbose)
		warnx("%lu duplicates not stored again", cfg.duplicates);
	store_close(s);
	message_free(&cfg.msg);
	out_close();
	return rc;
}
