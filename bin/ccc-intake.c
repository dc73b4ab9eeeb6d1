/*
 * ccc-intake: take messages in, normalise, de-duplicate, store, emit.
 */
#include <argp.h>
#include <ctype.h>
#include <err.h>
#include <stdlib.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/cap.h"
#include "ccc/channel.h"
#include "ccc/clock.h"
#include "ccc/feed.h"
#include "ccc/forward.h"
#include "ccc/mail.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/message.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/store.h"
#include "ccc/stream.h"

/* The store's page cache while taking a stream in (store_cache_limit). */
#define INTAKE_CACHE_KIB 16384
/* Records a batch, unless --batch is given: each commit waits for the disk,
 * and at 1000 a batch a long stream spent more of its time in those waits
 * than storing. A record still waits at most --batch-ms (200 ms) for its
 * batch to commit, and a batch's changes stay under 64 MB of memory. */
#define INTAKE_BATCH 5000

static struct config {
	struct message_defaults defaults;
	enum channel format;
	char **files;
	int nfiles;
	unsigned long duplicates;
	struct message msg;
	char country[3];
} cfg = {
    .format = CHANNEL_AUTO,
};

const char *argp_program_version = "ccc-intake " CCC_VERSION;
const char *argp_program_bug_address = NULL;
static const char prog_doc[] =
    "Take messages in from national central bureaus and feeds: normalise each into a "
    "`message` record, detect its language (ar, en, fr, es), find the MRZs, VINs and "
    "document numbers it names, store it once in the site's signed store, and write it to "
    "stdout once its batch has committed.\v"
    "Each input is NDJSON (one message object per line: source, external_id, "
    "origin_country, received_at, sent_at, language, subject, body, refs; other fields are "
    "kept), an e-mail, an mbox, a CAP 1.2 alert, or an RSS or Atom feed, told apart from "
    "its first bytes unless --input-format says (--format, its old name, still works with a "
    "warning). A message seen before (the same sender "
    "and external id, an e-mail's From and Message-ID whatever --source says, or the same "
    "content) is not stored or written again, so rerunning the same input is safe; one "
    "that says something else under a known id is kept as a new version (\"version\", "
    "\"supersedes\"). Messages stored but never read downstream (output lost to a kill, "
    "or no pipe) are taken up by ccc-check --pending and ccc-triage --pending. Records whose type "
    "is not \"message\" pass through unchanged. A bad "
    "line or document is reported as FILE:LINE: reason, kept in the store's rejects, and "
    "the stream goes on.\n\n"
    "EXAMPLES\n"
    "  ccc-intake --source ncb:fr messages.ndjson\n"
    "  ccc-intake /var/mail/ncb partner-alert.cap | ccc-triage\n"
    "  curl -s URL | ccc-intake -q --input-format rss --source osint:wire\n"
    "  ccc-intake -v --source ncb:ar --country AR batch-*.ndjson >/dev/null";
static const char args_doc[] = "[FILE...]";
/* The exit statuses --help lists (lib/ccc/exit.h), with what they mean here. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, "all stored"},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_DATAERR, "some input was rejected (and kept in the store's rejects)"},
    {CCC_EX_NOINPUT, "an input could not be opened, or no store"},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_CANTCREAT, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, NULL},
    {CCC_EX_NOPERM, NULL},
    {CCC_EX_CONFIG, NULL},
    {CCC_EX_SIGINT, NULL},
    {CCC_EX_SIGTERM, NULL},
    CCC_EXIT_END,
};

enum { OPT_SOURCE = 1, OPT_COUNTRY, OPT_LANGUAGE, OPT_INPUT_FORMAT, OPT_FORMAT };

static const struct argp_option options[] = {
    {"source", OPT_SOURCE, "NAME", 0,
     "Source of input that does not name its own (e.g. ncb:fr, osint:reuters)", 0},
    {"country", OPT_COUNTRY, "CC", 0, "origin_country of input that does not give one", 0},
    {"language", OPT_LANGUAGE, "LL", 0,
     "Language of input that does not give one (skips detection)", 0},
    {"input-format", OPT_INPUT_FORMAT, "FORMAT", 0,
     "Input format: ndjson, email, mbox, cap, rss, atom or auto (the default: told from "
     "each input's first bytes)",
     0},
    /* the old name, kept for the cron lines that use it */
    {"format", OPT_FORMAT, "FORMAT", OPTION_HIDDEN, "Deprecated: --input-format", 0},
    {0},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	switch (key) {
	case OPT_SOURCE:
		if (!*arg)
			argp_error(state, "--source: empty name");
		cfg.defaults.source = arg;
		break;
	case OPT_COUNTRY:
		if (strlen(arg) != 2 || !isalpha((unsigned char)arg[0]) ||
		    !isalpha((unsigned char)arg[1]))
			argp_error(state, "--country: '%s' is not an ISO 3166 alpha-2 code", arg);
		cfg.country[0] = (char)toupper((unsigned char)arg[0]);
		cfg.country[1] = (char)toupper((unsigned char)arg[1]);
		cfg.defaults.origin_country = cfg.country;
		break;
	case OPT_LANGUAGE:
		if (strlen(arg) != 2 || !islower((unsigned char)arg[0]) ||
		    !islower((unsigned char)arg[1]))
			argp_error(
			    state,
			    "--language: '%s' is not an ISO 639-1 code (ar, en, fr, es, ...)", arg);
		cfg.defaults.language = arg;
		break;
	case OPT_FORMAT:
	case OPT_INPUT_FORMAT: {
		int c = channel_by_name(arg);
		const char *name = key == OPT_FORMAT ? "format" : "input-format";
		if (seen[OPT_FORMAT] + seen[OPT_INPUT_FORMAT] > 1)
			argp_error(state, "--input-format given twice (or as --format too): it "
					  "takes one value");
		if (c < 0)
			argp_error(state,
				   "--%s: '%s' is not a format (ndjson, email, mbox, cap, rss, "
				   "atom, auto)",
				   name, arg);
		if (key == OPT_FORMAT)
			warnx("--format is deprecated: use --input-format %s", arg);
		cfg.format = (enum channel)c;
		break;
	}
	case ARGP_KEY_ARGS:
		cfg.files = state->argv + state->next;
		cfg.nfiles = state->argc - state->next;
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Is this input a whole document (e-mail, mbox, CAP, feed)? */
static int is_document(const char *head, size_t n, void *ctx)
{
	enum channel c = cfg.format == CHANNEL_AUTO ? channel_sniff(head, n) : cfg.format;
	return c != CHANNEL_NDJSON;
}

struct doc_ctx {
	struct stream *st;
	const struct ndjson_line *doc;
	int rc;
	unsigned long item;
	enum channel channel;
};

/* Hand over a message whose sender the channel knows (identity, allocated:
 * freed here), so that its de-duplication does not depend on --source;
 * message_id: its external id is an e-mail's Message-ID. */
static int record_as(struct stream *st, char *identity, int message_id, jv rec,
		     const struct ndjson_line *ln)
{
	cfg.defaults.identity = identity;
	cfg.defaults.message_id = message_id;
	int rc = stream_record(st, rec, ln);
	cfg.defaults.identity = NULL;
	cfg.defaults.message_id = 0;
	free(identity);
	return rc;
}

static int on_feed_item(jv item, void *ctx)
{
	struct doc_ctx *d = ctx;
	struct ndjson_line ln = *d->doc;
	ln.lineno = ++d->item;                          /* the item's number in the feed */
	char *who = channel_identity(d->channel, item); /* before item is consumed */
	d->rc = record_as(d->st, who, 0, channel_feed(item, cfg.defaults.source), &ln);
	return d->rc;
}

static int on_mbox_message(const char *msg, size_t n, size_t line, void *ctx)
{
	struct doc_ctx *d = ctx;
	struct ndjson_line ln = *d->doc;
	char *err = NULL;
	ln.lineno = line;
	ln.text = msg;
	ln.len = ln.full_len = n;
	jv mail = mail_parse(msg, n, &err);
	if (!jv_is_valid(mail)) {
		jv_free(mail);
		char reason[512];
		snprintf(reason, sizeof reason, "mbox: %s", err ? err : "not an e-mail message");
		d->rc = stream_reject(d->st, &ln, reason);
	} else {
		char *who = channel_identity(CHANNEL_MBOX, mail);
		d->rc = record_as(d->st, who, 1, channel_mail(mail, cfg.defaults.source), &ln);
	}
	free(err);
	return d->rc;
}

static int on_document(struct stream *st, const struct ndjson_line *doc, void *ctx)
{
	enum channel c =
	    cfg.format == CHANNEL_AUTO ? channel_sniff(doc->text, doc->len) : cfg.format;
	struct doc_ctx d = {st, doc, 0, 0, c};
	char *err = NULL, reason[512];
	jv v;
	int rc = 0;

	switch (c) {
	case CHANNEL_EMAIL:
		v = mail_parse(doc->text, doc->len, &err);
		if (jv_is_valid(v)) {
			char *who = channel_identity(c, v);
			return record_as(st, who, 1, channel_mail(v, cfg.defaults.source), doc);
		}
		break;
	case CHANNEL_MBOX: mbox_split(doc->text, doc->len, on_mbox_message, &d); return d.rc;
	case CHANNEL_CAP:
		v = cap_parse(doc->text, doc->len, &err);
		if (jv_is_valid(v)) {
			char *who = channel_identity(c, v);
			return record_as(st, who, 0, channel_cap(v, cfg.defaults.source), doc);
		}
		break;
	case CHANNEL_RSS:
	case CHANNEL_ATOM:
		v = jv_invalid();
		if (feed_parse(doc->text, doc->len, on_feed_item, &d, &err) == 0 || d.rc) {
			free(err);
			return d.rc;
		}
		break;
	default: v = jv_invalid(); err = strdup("not a document ccc-intake reads");
	}
	jv_free(v);
	snprintf(reason, sizeof reason, "%s: %s", channel_name(c), err ? err : "cannot be read");
	free(err);
	rc = stream_reject(st, doc, reason);
	return rc;
}

/* Normalise a record into cfg.msg: 1 done, 0 passed through or rejected
 * (reported), or minus an exit code. A line not parsed yet (ln->lazy) is read
 * from its text, or parsed when it is not of the usual shape. */
static int normalize(struct stream *st, jv rec, const struct ndjson_line *ln)
{
	char reason[256];
	if (ln->lazy) {
		if (message_normalize_line(ln->text, ln->len, &cfg.defaults, &cfg.msg))
			return 1;
		rec = ndjson_parse(ln->text, ln->len, reason, sizeof reason);
		if (!jv_is_valid(rec)) {
			jv_free(rec);
			int rc = stream_reject_unparsed(st, ln, reason);
			return rc ? -rc : 0;
		}
	}
	const char *type = jv_get_str(rec, "type");
	if (type && strcmp(type, "message") != 0) {
		stream_emit_line(st, ln->text, ln->len);
		jv_free(rec);
		return 0;
	}
	if (message_normalize(rec, &cfg.defaults, &cfg.msg, reason, sizeof reason) < 0) {
		int rc = stream_reject(st, ln, reason);
		return rc ? -rc : 0;
	}
	return 1;
}

static int on_record(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	int inserted, rc;

	cfg.defaults.now = clock_now();
	if ((rc = normalize(st, rec, ln)) <= 0)
		return -rc;
	if ((rc = message_store(stream_store(st), &cfg.msg, &inserted)))
		return rc;
	if (!inserted) {
		cfg.duplicates++;
		return 0;
	}
	if (cfg.msg.version > 1 && !ccc_opts.quiet)
		warnx("%s:%lu: message changed since %s was stored: kept as %s, version %d",
		      ln->file, ln->lineno, cfg.msg.supersedes, cfg.msg.id, cfg.msg.version);
	stream_emit_line(st, cfg.msg.json.p, cfg.msg.json.len);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {
	    {&ccc_batch_argp, 0, NULL, 0}, {&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, prog_doc, children, ccc_exit_help_filter, NULL};
	struct store *s = NULL;
	struct stream_counts counts;
	int rc;

	ccc_opts_init(argc, argv);
	ccc_opts.batch = 0; /* not given: INTAKE_BATCH */
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	cfg.defaults.max_record = ccc_record_budget();
	forward_inputs(cfg.files, cfg.nfiles);
	if ((rc = store_open(ccc_opts.store, STORE_WRITE, ccc_opts.key, &s)))
		return rc;
	/* It appends, and reads back only the keys it appends next to. It
	 * only inserts messages, and writes their entity index itself: the
	 * trigger would run a subprogram and read the record twice for each,
	 * to find nothing in most (a tenth of the intake's time). */
	if ((rc = store_cache_limit(s, INTAKE_CACHE_KIB)) || (rc = store_index_own(s))) {
		store_close(s);
		return rc;
	}
	struct stream_config sc = {
	    .program = "ccc-intake",
	    CCC_STREAM_OPTS,
	    .record = on_record,
	    .lazy = 1,
	    .is_document = is_document,
	    .document = on_document,
	    .counts = &counts,
	};
	if (!sc.batch_max)
		sc.batch_max = INTAKE_BATCH;
	rc = stream_run(s, &sc, cfg.files, cfg.nfiles);
	if (cfg.duplicates && !ccc_opts.quiet)
		warnx("%lu message%s stored already, not stored again", cfg.duplicates,
		      cfg.duplicates == 1 ? "" : "s");
	store_close(s);
	message_free(&cfg.msg);
	cap_cleanup();
	return out_close(rc);
}
