/*
 * ccc-reply: replies to the bureau that sent a message, in its language,
 * with the results of the checks made for it as that country may see them;
 * reviewed by a second officer when they disclose a hit; delivered as an
 * e-mail or a record, through a command, and retried until they go, never
 * twice.
 */
#include <argp.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/mailwrite.h"
#include "ccc/notice.h"
#include "ccc/optcheck.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/personmatch.h"
#include "ccc/names.h"
#include "ccc/reply-draft.h"
#include "ccc/reply-send.h"
#include "ccc/reply-store.h"
#include "ccc/reply.h"
#include "ccc/store.h"
#include "ccc/subcmd.h"
#include "ccc/table.h"
#include "ccc/utf8.h"

static struct config {
	char **args;
	int nargs;
	const char *template_name, *templates, *text, *requester, *to, *via, *from, *status;
	int as_record, again;
	enum out_format out;
} cfg = {.template_name = "results"};

const char *argp_program_version = "ccc-reply " CCC_VERSION;
static const char doc[] =
    "Replies to the bureau that sent a message: drafted in its language (ar, en, fr, es) "
    "with the results of the checks made for it as the requesting country may see them, "
    "reviewed by a second officer when they disclose a hit on a person or a document, "
    "delivered as an RFC 5322 e-mail or a reply record, and retried until they go, never "
    "twice. Every step is journaled with its actor (--as).\v"
    "Commands:\n"
    "  draft MSG-ID... a reply to each message (--template, --text, --for, --to)\n"
    "  review ID       a second officer passes a reply that discloses a hit\n"
    "  send ID...      deliver each: to stdout, or to --via CMD (its stdin)\n"
    "  retry           deliver every queued reply once (for cron)\n"
    "  list            replies (--status); a table on a terminal, NDJSON otherwise\n"
    "  show ID         one reply with its log\n\n"
    "The requesting country is --for CC, else the message's origin_country: a hit it "
    "may not see is written \"a record held by NCB XX matches; contact them\", never with "
    "its data, whoever runs the command.\n\n"
    "Statuses: draft (to be reviewed), ready, sending, sent, queued (a delivery failed; "
    "retry sends it), unknown (a sender stopped between the delivery and its record: it "
    "may have gone, so it is sent again only with send --again).\n\n"
    "Templates: results (the default) and received, in each language; a file "
    "NAME.LANG in --templates (default $XDG_CONFIG_HOME/ccc/reply) takes the place of "
    "the shipped one: its first line the subject, an empty line, the body, with "
    "{their_ref}, {their_subject}, {our_ref}, {results}, {text} and {site}.\n\n"
    "EXAMPLES\n"
    "  ccc-reply draft msg-lyon-12 --as a.martin\n"
    "  ccc-reply review reply-lyon-3 --as j.garcia\n"
    "  ccc-reply send reply-lyon-3 --via '/usr/sbin/sendmail -t'\n"
    "  ccc-reply draft msg-lyon-14 --template received --text 'Checks under way.'\n"
    "  ccc-reply send reply-lyon-4 --deliver record --via 'gateway-put --ncb MA'\n"
    "  ccc-reply list --status queued\n"
    "  */5 * * * * ccc-reply -q retry --via '/usr/sbin/sendmail -t'";
static const char args_doc[] = "draft MSG-ID...\nreview|show ID\nsend ID...\nretry\nlist";
/* The exit statuses --help lists (lib/ccc/exit.h), with what they mean here. */
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_USAGE, "usage, no requesting country, or no such template"},
    {CCC_EX_DATAERR, "the reply is in the wrong state, or a template is malformed"},
    {CCC_EX_NOINPUT, "no such message, reply or store"},
    {CCC_EX_UNAVAILABLE, "a delivery failed: the reply is queued"},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_CANTCREAT, NULL},
    {CCC_EX_IOERR, NULL},
    {CCC_EX_TEMPFAIL, NULL},
    {CCC_EX_NOPERM, "four eyes: the drafter may not review a reply, nor send one that "
		    "discloses a hit before it is reviewed"},
    {CCC_EX_CONFIG, "configuration (CCC_REPLY_FROM)"},
    CCC_EXIT_END,
};

enum {
	OPT_TEMPLATE = 1,
	OPT_TEMPLATES,
	OPT_TEXT,
	OPT_FOR,
	OPT_TO,
	OPT_VIA,
	OPT_DELIVER,
	OPT_FROM,
	OPT_AGAIN,
	OPT_STATUS,
	OPT_FORMAT,
};

static const struct argp_option options[] = {
    {NULL, 0, NULL, 0, "Drafting:", 1},
    {"template", OPT_TEMPLATE, "NAME", 0, "draft: results (default) or received, or your own", 1},
    {"templates", OPT_TEMPLATES, "DIR", 0,
     "draft: where NAME.LANG files are (default $XDG_CONFIG_HOME/ccc/reply)", 1},
    {"text", OPT_TEXT, "TEXT", 0, "draft: the officer's own words, before the results", 1},
    {"for", OPT_FOR, "CC", 0,
     "draft: the requesting country, whose restrictions apply (default: origin_country)", 1},
    {"to", OPT_TO, "ADDRESS", 0, "draft: the address (default: the e-mail's sender)", 1},
    {NULL, 0, NULL, 0, "Delivering:", 2},
    {"via", OPT_VIA, "CMD", 0, "send, retry: the command that delivers (the reply on its stdin)",
     2},
    {"deliver", OPT_DELIVER, "FORM", 0, "send, retry: mail (default) or record (NDJSON)", 2},
    {"from", OPT_FROM, "ADDRESS", 0,
     "send, retry: the e-mail's From (default CCC_REPLY_FROM, else ccc@SITE.invalid)", 2},
    {"again", OPT_AGAIN, NULL, 0, "send: a reply whose last attempt has an unknown outcome", 2},
    {NULL, 0, NULL, 0, "Reading:", 3},
    {"status", OPT_STATUS, "STATUS", 0, "list: draft, ready, sending, sent, queued or unknown", 3},
    {"format", OPT_FORMAT, "FORMAT", 0,
     "draft, review, send, list, show: table or ndjson (default: a table on a terminal)", 3},
    {0},
};

static unsigned char given[256];
static const struct optcheck_use option_users[] = {
    {OPT_TEMPLATE, "draft"},
    {OPT_TEMPLATES, "draft"},
    {OPT_TEXT, "draft"},
    {OPT_FOR, "draft"},
    {OPT_TO, "draft"},
    {OPT_VIA, "send retry"},
    {OPT_DELIVER, "send retry"},
    {OPT_FROM, "send retry"},
    {OPT_AGAIN, "send"},
    {OPT_STATUS, "list"},
    {OPT_FORMAT, "draft review send list show"},
};

static const char *const statuses[] = {"draft",  "ready",   "sending", "sent",
				       "queued", "unknown", NULL};
static const char *const forms[] = {"mail", "record", NULL};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	static unsigned char seen[256];
	const char *again;
	char msg[256];
	if (optcheck_again(options, key, seen, sizeof seen, &again))
		argp_error(state, "--%s given twice: it takes one value", again);
	if (key > 0 && key < (int)sizeof given)
		given[key] = 1;
	switch (key) {
	case OPT_TEMPLATE:
		if (!reply_template_name_ok(arg))
			argp_error(state,
				   "--template: '%s' is not a template name (letters, digits, "
				   "- and _)",
				   arg);
		cfg.template_name = arg;
		break;
	case OPT_TEMPLATES: cfg.templates = arg; break;
	case OPT_TEXT:
		if (!utf8_valid(arg, strlen(arg)))
			argp_error(state, "--text: not UTF-8");
		cfg.text = arg;
		break;
	case OPT_FOR:
		if (!notice_country_known(arg))
			argp_error(state, "--for: '%s' is not an ISO 3166 alpha-2 country code",
				   arg);
		cfg.requester = arg;
		break;
	case OPT_TO: {
		char addr[256];
		if (mail_addr_spec(arg, addr, sizeof addr) < 0)
			argp_error(state, "--to: '%s' is not an e-mail address", arg);
		cfg.to = arg;
		break;
	}
	case OPT_VIA: cfg.via = arg; break;
	case OPT_DELIVER:
		if (optcheck_one("deliver", arg, forms, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		cfg.as_record = !strcmp(arg, "record");
		break;
	case OPT_FROM: {
		char addr[256];
		if (mail_addr_spec(arg, addr, sizeof addr) < 0)
			argp_error(state, "--from: '%s' is not an e-mail address", arg);
		cfg.from = arg;
		break;
	}
	case OPT_AGAIN: cfg.again = 1; break;
	case OPT_STATUS:
		if (optcheck_one("status", arg, statuses, msg, sizeof msg) < 0)
			argp_error(state, "%s", msg);
		cfg.status = arg;
		break;
	case OPT_FORMAT:
		if (out_format_parse(arg, &cfg.out) < 0)
			argp_error(state, "--format: '%s' is not one of table, ndjson", arg);
		break;
	case ARGP_KEY_ARG:
		cfg.args = state->argv + state->next - 1;
		cfg.nargs = state->argc - state->next + 1;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "a command is needed: draft, review, send, retry, list or show");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* ---- printing ---- */

static const struct table_col reply_cols[] = {
    {"ID", 24, 0, NULL},        {"MESSAGE", 20, 0, NULL}, {"FOR", 3, 0, "requester"},
    {"LANG", 4, 0, "language"}, {"STATUS", 8, 0, NULL},   {"SUBJECT", 50, 0, NULL},
};

static void print_replies(jv list)
{
	table_print_records(reply_cols, sizeof reply_cols / sizeof reply_cols[0], list, cfg.out);
}

/* show on a terminal: the reply's fields, one a row, then its body whole. */
static void print_one(jv rec)
{
	if (!out_format_is_table(cfg.out)) {
		out_jv(rec);
		return;
	}
	static const char *const apart[] = {"body", "checks", "log", NULL};
	struct table *t = table_fields(rec, apart);
	struct buf b = {0};
	jv log = jv_object_get(jv_copy(rec), jv_string("log"));
	if (jv_get_kind(log) == JV_KIND_ARRAY) {
		jv_array_foreach (log, i, e) {
			b.len = 0;
			buf_adds(&b, jv_get_str(e, "at") ? jv_get_str(e, "at") : "");
			buf_adds(&b, "  ");
			buf_adds(&b, jv_get_str(e, "by") ? jv_get_str(e, "by") : "");
			buf_adds(&b, "  ");
			buf_adds(&b, jv_get_str(e, "action") ? jv_get_str(e, "action") : "");
			if (jv_get_str(e, "detail")) {
				buf_adds(&b, ": ");
				buf_adds(&b, jv_get_str(e, "detail"));
			}
			buf_addc(&b, '\0');
			const char *cells[] = {"log", b.p};
			table_add(t, cells);
			jv_free(e);
		}
	}
	jv_free(log);
	table_free(t);
	buf_free(&b);
	const char *body = jv_get_str(rec, "body");
	if (body) {
		out_line("", 0);
		out_write(body, strlen(body));
		if (*body && body[strlen(body) - 1] != '\n')
			out_line("", 0);
	}
	jv_free(rec);
}

/* ---- draft ---- */

static int run_draft(struct store *s, const char *name)
{
	(void)name;
	struct reply_draft_opts o = {.template_name = cfg.template_name,
				     .templates = cfg.templates,
				     .text = cfg.text,
				     .requester = cfg.requester,
				     .to = cfg.to};
	struct refdb_ctx ctx = {.store = s, .threshold = PERSON_MATCH_THRESHOLD, .top = 5};
	jv out = jv_array();
	int rc = store_begin(s), first = 0;
	/* one transaction for them all; a message that cannot be answered is
	 * said and skipped, the others are drafted */
	for (int i = 0; !rc && i < cfg.nargs; i++) {
		jv r;
		int one = reply_draft(s, &ctx, cfg.args[i], &o, &r);
		if (one == CCC_EX_USAGE || one == CCC_EX_DATAERR || one == CCC_EX_NOINPUT) {
			first = first ? first : one;
			continue;
		}
		if (one) {
			rc = one;
			break;
		}
		jv disc = jv_object_get(jv_copy(r), jv_string("discloses"));
		if (jv_get_kind(disc) == JV_KIND_TRUE && !ccc_opts.quiet)
			warnx("%s discloses a hit: another officer reviews it before it is sent "
			      "(ccc-reply review %s)",
			      jv_get_str(r, "id"), jv_get_str(r, "id"));
		jv_free(disc);
		out = jv_array_append(out, r);
	}
	if (ctx.names)
		names_close(ctx.names);
	int64_t seq;
	if (rc)
		store_rollback(s);
	else
		rc = store_commit(s, &seq);
	if (rc) {
		jv_free(out);
		return rc;
	}
	print_replies(out);
	return first;
}

/* ---- review, send, retry, list, show ---- */

static int run_review(struct store *s, const char *name)
{
	(void)name;
	int done, rc = store_begin(s);
	jv out;
	if (rc)
		return rc;
	if ((rc = reply_store_review(s, cfg.args[0], &done, &out))) {
		store_rollback(s);
		return rc;
	}
	int64_t seq;
	if ((rc = store_commit(s, &seq))) {
		jv_free(out);
		return rc;
	}
	if (done && !ccc_opts.quiet)
		warnx("reply '%s' may be sent already: nothing to review", cfg.args[0]);
	print_replies(JV_ARRAY(out));
	return 0;
}

/* The delivery the options ask for, its From checked: 0, or 78. */
static int delivery(struct store *s, const char *cmd, char *from, size_t n,
		    struct reply_delivery *d)
{
	const char *env = getenv("CCC_REPLY_FROM");
	char addr[256];
	if (cfg.from)
		snprintf(from, n, "%s", cfg.from);
	else if (env && *env)
		snprintf(from, n, "%s", env);
	else
		snprintf(from, n, "Command and Coordination Centre <ccc@%s.invalid>",
			 store_site(s));
	if (!cfg.as_record && mail_addr_spec(from, addr, sizeof addr) < 0) {
		warnx("%s: CCC_REPLY_FROM '%s' is not an e-mail address", cmd, from);
		return CCC_EX_CONFIG;
	}
	*d = (struct reply_delivery){
	    .via = cfg.via, .as_record = cfg.as_record, .from = from, .verbose = ccc_opts.verbose};
	return 0;
}

static int run_send(struct store *s, const char *name)
{
	(void)name;
	char from[512];
	struct reply_delivery d;
	int rc = delivery(s, "send", from, sizeof from, &d);
	if (rc)
		return rc;
	jv sent = jv_array();
	/* each in turn, each never twice; a failure is said, the others go on */
	for (int i = 0; i < cfg.nargs; i++) {
		int done = 0;
		jv out = jv_invalid();
		int one = reply_send(s, cfg.args[i], cfg.again, &d, &done, &out);
		if (done && !ccc_opts.quiet)
			warnx("reply '%s' was sent already (%s): not sent again", cfg.args[i],
			      jv_get_str(out, "sent_at") ? jv_get_str(out, "sent_at") : "?");
		if (jv_is_valid(out))
			sent = jv_array_append(sent, out);
		else
			jv_free(out);
		rc = rc ? rc : one;
	}
	/* what was delivered went to stdout when there is no --via */
	if (cfg.via)
		print_replies(sent);
	else
		jv_free(sent);
	return rc;
}

static int run_retry(struct store *s, const char *name)
{
	(void)name;
	char from[512];
	struct reply_delivery d;
	int rc = delivery(s, "retry", from, sizeof from, &d);
	if (rc)
		return rc;
	long sent, failed, unknown;
	rc = reply_retry(s, &d, &sent, &failed, &unknown);
	if (!ccc_opts.quiet && (sent || failed))
		warnx("retry: %ld sent, %ld still queued", sent, failed);
	return rc;
}

static int run_list(struct store *s, const char *name)
{
	(void)name;
	jv list;
	int rc = reply_store_list(s, cfg.status, &list);
	if (rc)
		return rc;
	print_replies(list);
	return 0;
}

static int run_show(struct store *s, const char *name)
{
	(void)name;
	jv rec;
	int rc = reply_store_get(s, cfg.args[0], &rec);
	if (rc)
		return rc;
	print_one(rec);
	return 0;
}

static const struct subcmd cmds[] = {
    {"draft", SUBCMD_WRITE, 1, -1, "MSG-ID", 0, run_draft, "a reply to each message"},
    {"review", SUBCMD_WRITE, 1, 1, "ID", 0, run_review, "a second officer passes it"},
    {"send", SUBCMD_WRITE, 1, -1, "ID", 0, run_send, "deliver each"},
    {"retry", SUBCMD_WRITE, 0, 0, NULL, 0, run_retry, "deliver the queued ones"},
    {"list", SUBCMD_READ, 0, 0, NULL, 0, run_list, "replies"},
    {"show", SUBCMD_READ, 1, 1, "ID", 0, run_show, "one reply and its log"},
};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, doc, children, ccc_exit_help_filter, NULL};
	const struct subcmd *c = NULL;
	int rc;

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	if ((rc = subcmd_parse(cmds, sizeof cmds / sizeof cmds[0], &cfg.nargs, &cfg.args, &c)))
		return rc;
	const char *unused = optcheck_unused(options, given, sizeof given, option_users,
					     sizeof option_users / sizeof option_users[0], c->name);
	if (unused)
		errx(CCC_EX_USAGE, "--%s does nothing with %s", unused, c->name);
	signal(SIGPIPE, SIG_IGN);
	rc = subcmd_run(c, ccc_opts.store, ccc_opts.key);
	return out_close(rc);
}
