/*
 * opts.c: the shared options (--store, --site, --key, --as, -v, -q, --strict,
 * --max-line, --busy-timeout, --no-forward) and their environment defaults.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/opts.h"
#include "ccc/out.h"
#include "ccc/xmalloc.h"

struct ccc_opts ccc_opts = {
    .max_line = CCC_MAX_LINE_DEFAULT,
    .busy_timeout = 30000,
    .batch = 1000,
    .batch_ms = 200,
};

enum {
	OPT_STORE = 0x1000,
	OPT_SITE,
	OPT_KEY,
	OPT_AS,
	OPT_STRICT,
	OPT_MAX_LINE,
	OPT_BUSY,
	OPT_NO_FORWARD
};

static const struct argp_option options[] = {
    {NULL, 0, NULL, 0, "Common options:", 100},
    {"store", OPT_STORE, "FILE", 0,
     "The site's store (env CCC_STORE; default $XDG_DATA_HOME/ccc/ccc.db)", 100},
    {"site", OPT_SITE, "NAME", 0, "Site name: lyon, buenos-aires, singapore, ... (env CCC_SITE)",
     100},
    {"key", OPT_KEY, "FILE", 0,
     "The site's Ed25519 private key (env CCC_KEY; default $XDG_CONFIG_HOME/ccc/keys/SITE.pem)",
     100},
    {"as", OPT_AS, "NAME", 0,
     "Actor recorded in the journal (env CCC_ACTOR; default the login name)", 100},
    {"verbose", 'v', NULL, 0, "Say more on stderr (a summary at the end)", 100},
    {"quiet", 'q', NULL, 0, "Say less on stderr", 100},
    {"strict", OPT_STRICT, NULL, 0, "Stop at the first bad input line", 100},
    {"max-line", OPT_MAX_LINE, "BYTES", 0,
     "Longest input line accepted, the record limit of every program (env CCC_MAX_LINE; "
     "default 1M)",
     100},
    {"busy-timeout", OPT_BUSY, "MS", 0, "Wait this long for a busy store (default 30000)", 100},
    {"no-forward", OPT_NO_FORWARD, NULL, 0,
     "At a standby, refuse a write (exit 75) instead of sending it to the primary (env "
     "CCC_NO_FORWARD=1)",
     100},
    {0},
};

int ccc_parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		end++;
		break;
	}
	if (*end || v == 0 || v > (1ULL << 40))
		return -1;
	*out = (size_t)v;
	return 0;
}

size_t ccc_record_budget(void)
{
	return ccc_opts.max_line - ccc_opts.max_line / 4;
}

int ccc_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Remember the words of an option that names this site's store or actor (the
 * option, and its value when that is a word of its own), for a write
 * forwarded to the primary: pointers, which stay true however argp reorders
 * argv. */
static void note_local(struct argp_state *state, const char *arg)
{
	int at = state->next - 1;
	if (at >= 1 && state->argv[at] == arg && ccc_opts.nlocal_args < 16)
		ccc_opts.local_args[ccc_opts.nlocal_args++] = state->argv[at--];
	if (at >= 1 && ccc_opts.nlocal_args < 16)
		ccc_opts.local_args[ccc_opts.nlocal_args++] = state->argv[at];
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_STORE: ccc_opts.store = arg; break;
	case OPT_SITE: ccc_opts.site = arg; break;
	case OPT_KEY: ccc_opts.key = arg; break;
	case OPT_AS: ccc_opts.actor = arg; break;
	case OPT_NO_FORWARD: ccc_opts.no_forward = 1; break;
	case 'v': ccc_opts.verbose++; break;
	case 'q': ccc_opts.quiet++; break;
	case OPT_STRICT: ccc_opts.strict = 1; break;
	case OPT_MAX_LINE:
		if (ccc_parse_size(arg, &ccc_opts.max_line) < 0)
			argp_error(state, "--max-line: '%s' is not a size (e.g. 1048576, 512K, 1M)",
				   arg);
		break;
	case OPT_BUSY:
		if (ccc_parse_long(arg, 0, 3600000, &ccc_opts.busy_timeout) < 0)
			argp_error(state, "--busy-timeout: '%s' is not a number of milliseconds",
				   arg);
		break;
	case ARGP_KEY_INIT:
		if (!ccc_opts.store)
			ccc_opts.store = getenv("CCC_STORE");
		if (!ccc_opts.site)
			ccc_opts.site = getenv("CCC_SITE");
		if (!ccc_opts.key)
			ccc_opts.key = getenv("CCC_KEY");
		if (!ccc_opts.actor)
			ccc_opts.actor = getenv("CCC_ACTOR");
		if (getenv("CCC_NO_FORWARD") && !strcmp(getenv("CCC_NO_FORWARD"), "1"))
			ccc_opts.no_forward = 1;
		if (getenv("CCC_MAX_LINE") && *getenv("CCC_MAX_LINE") &&
		    ccc_parse_size(getenv("CCC_MAX_LINE"), &ccc_opts.max_line) < 0)
			argp_error(state,
				   "CCC_MAX_LINE: '%s' is not a size (e.g. 1048576, 512K, 1M)",
				   getenv("CCC_MAX_LINE"));
		break;
	case ARGP_KEY_FINI:
		if (ccc_opts.store && !*ccc_opts.store)
			ccc_opts.store = NULL;
		if (!ccc_opts.store)
			ccc_opts.store = ccc_default_store();
		if (ccc_opts.site && !*ccc_opts.site)
			ccc_opts.site = NULL;
		if (ccc_opts.site && !ccc_site_name_ok(ccc_opts.site))
			argp_error(state, "--site: " CCC_SITE_NAME_RULE, ccc_opts.site);
		if (ccc_opts.key && !*ccc_opts.key)
			ccc_opts.key = NULL;
		if (!ccc_opts.actor || !*ccc_opts.actor) {
			struct passwd *pw = getpwuid(getuid());
			const char *login = getenv("LOGNAME");
			ccc_opts.actor = pw ? pw->pw_name : login && *login ? login : "unknown";
		}
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	if (key == OPT_STORE || key == OPT_SITE || key == OPT_KEY || key == OPT_AS)
		note_local(state, arg);
	return 0;
}

const struct argp ccc_common_argp = {options, parse_opt, NULL, NULL, NULL, NULL, NULL};

void ccc_opts_init(int argc, char **argv)
{
	size_t n = 0;
	const char *base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	for (int i = 0; i < argc && n + 2 < sizeof ccc_opts.command; i++) {
		const char *a = i == 0 ? base : argv[i];
		int w = snprintf(ccc_opts.command + n, sizeof ccc_opts.command - n, "%s%s",
				 i ? " " : "", a);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	if (n >= sizeof ccc_opts.command)
		ccc_opts.command[sizeof ccc_opts.command - 1] = '\0';
	ccc_opts.argc = argc > 0 ? argc - 1 : 0;
	ccc_opts.argv = xcalloc((size_t)argc + 1, sizeof *ccc_opts.argv);
	for (int i = 1; i < argc; i++)
		ccc_opts.argv[i - 1] = argv[i];
	out_guard_stderr();
}

static char *xdg_path(const char *var, const char *fallback, const char *rest)
{
	const char *base = getenv(var);
	const char *home = getenv("HOME");
	char *p;
	if (base && *base && base[0] == '/') {
		if (asprintf(&p, "%s/%s", base, rest) < 0)
			xmalloc_failed();
	} else {
		if (asprintf(&p, "%s/%s/%s", home && *home ? home : ".", fallback, rest) < 0)
			xmalloc_failed();
	}
	return p;
}

char *ccc_default_store(void)
{
	return xdg_path("XDG_DATA_HOME", ".local/share", "ccc/ccc.db");
}

int ccc_site_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	return n > 0 && n <= CCC_SITE_NAME_MAX && name[0] != '-' && name[n - 1] != '-' &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

char *ccc_default_key(const char *site)
{
	char rest[PATH_MAX];
	snprintf(rest, sizeof rest, "ccc/keys/%s.pem", site);
	return xdg_path("XDG_CONFIG_HOME", ".config", rest);
}

char *ccc_config_path(const char *rest)
{
	return xdg_path("XDG_CONFIG_HOME", ".config", rest);
}

char *ccc_state_path(const char *rest)
{
	return xdg_path("XDG_STATE_HOME", ".local/state", rest);
}

enum { OPT_BATCH = 0x1100, OPT_BATCH_MS };

static const struct argp_option batch_options[] = {
    {NULL, 0, NULL, 0, "Batches:", 90},
    {"batch", OPT_BATCH, "N", 0,
     "Commit every N records (default 1000, unless the program's manual gives another)", 90},
    {"batch-ms", OPT_BATCH_MS, "MS", 0, "Commit at least every MS milliseconds (default 200)", 90},
    {0},
};

static error_t parse_batch(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_BATCH:
		if (ccc_parse_long(arg, 1, 1000000, &ccc_opts.batch) < 0)
			argp_error(state, "--batch: '%s' is not a number from 1 to 1000000", arg);
		break;
	case OPT_BATCH_MS:
		if (ccc_parse_long(arg, 1, 3600000, &ccc_opts.batch_ms) < 0)
			argp_error(state, "--batch-ms: '%s' is not a number of milliseconds", arg);
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp ccc_batch_argp = {batch_options, parse_batch, NULL, NULL, NULL, NULL, NULL};
