/*
 * ccc-board: the wall of the operations room: one self-contained HTML page
 * with the queue, the open cases, the teams in the field on a world map, the
 * sites and who is on duty. The page is built in lib/board/board.c; this file
 * reads options, opens the store and writes the page.
 */
#include <argp.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "ccc/board.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/store.h"

static struct config {
	const char *output;
	long refresh, max_queue;
} cfg = {.refresh = 60, .max_queue = 40};

const char *argp_program_version = "ccc-board " CCC_VERSION;
static const char prog_doc[] =
    "The wall of the operations room: one self-contained HTML page with the queue by "
    "priority and the time left to each due time (overdue items red), the open cases "
    "and incidents, the teams in the field on a world map, the sites with their role, "
    "lag and last heartbeat, and who is on duty. The page fetches nothing from outside "
    "and reloads itself (--refresh). With -o the file is replaced atomically (a "
    "temporary file in the same folder, renamed): a screen reading it sees the old page "
    "or the new one, never a part, and a failed write leaves the old page as it was.\v"
    "EXAMPLES\n"
    "  ccc-board -o /srv/wall/board.html\n"
    "  ccc-board --refresh 30 >board.html\n"
    "  # crontab: rewrite the wall every minute\n"
    "  * * * * * ccc-board -q -o /srv/wall/board.html";
static const char args_doc[] = "";
static const struct ccc_exit_use exits[] = {
    {CCC_EX_OK, NULL},
    {CCC_EX_USAGE, NULL},
    {CCC_EX_NOINPUT, "no store"},
    {CCC_EX_SOFTWARE, NULL},
    {CCC_EX_CANTCREAT, "-o: the folder does not exist, or the file cannot be created"},
    {CCC_EX_IOERR, "the page could not be written whole (the old file is left as it was)"},
    {CCC_EX_TEMPFAIL, NULL},
    {CCC_EX_NOPERM, NULL},
    {CCC_EX_CONFIG, NULL},
    CCC_EXIT_END,
};

enum { OPT_REFRESH = 1, OPT_MAX_QUEUE };

static const struct argp_option options[] = {
    {"output", 'o', "FILE", 0, "Write the page to FILE, atomically (default: stdout)", 0},
    {"refresh", OPT_REFRESH, "SECONDS", 0, "Reload the page every SECONDS (default 60; 0: never)",
     0},
    {"max-queue", OPT_MAX_QUEUE, "N", 0, "Show at most N queue items (default 40)", 0},
    {0},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'o': cfg.output = arg; break;
	case OPT_REFRESH:
		if (ccc_parse_long(arg, 0, 86400, &cfg.refresh) < 0)
			argp_error(state,
				   "--refresh: '%s' is not a number of seconds from 0 to 86400",
				   arg);
		break;
	case OPT_MAX_QUEUE:
		if (ccc_parse_long(arg, 1, 10000, &cfg.max_queue) < 0)
			argp_error(state, "--max-queue: '%s' is not a number from 1 to 10000", arg);
		break;
	case ARGP_KEY_ARG: argp_error(state, "'%s': ccc-board takes no arguments", arg); break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
	static const struct argp argp = {
	    options, parse_opt, args_doc, prog_doc, children, ccc_exit_help_filter, NULL};
	struct store *s = NULL;
	struct buf page = {0};
	int rc;

	ccc_opts_init(argc, argv);
	if (argp_parse(&argp, argc, argv, 0, NULL, (void *)exits))
		return CCC_EX_USAGE;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN); /* a file size limit is a write error, reported */
	if ((rc = store_open(ccc_opts.store, STORE_READ, ccc_opts.key, &s)))
		return rc;
	struct board_opts o = {clock_now(), (int)cfg.refresh, (int)cfg.max_queue};
	rc = board_render(s, &o, &page);
	store_close(s);
	if (!rc && cfg.output)
		rc = board_write_file(cfg.output, page.p, page.len);
	else if (!rc)
		out_write(page.p, page.len);
	buf_free(&page);
	return out_close(rc);
}
