/*
 * opts.h: the options every ccc program shares, as an argp child.
 *
 *   static struct argp_child children[] = {{&ccc_common_argp, 0, NULL, 0}, {0}};
 *
 * After argp_parse, ccc_opts holds the values with defaults from the
 * environment filled in (CCC_STORE, CCC_SITE, CCC_KEY, CCC_ACTOR).
 */
#ifndef CCC_OPTS_H
#define CCC_OPTS_H

#include <argp.h>
#include <stddef.h>

/* The record limit every program shares: the longest NDJSON line read. */
#define CCC_MAX_LINE_DEFAULT ((size_t)1 << 20)

struct ccc_opts {
	const char *store; /* --store, CCC_STORE, $XDG_DATA_HOME/ccc/ccc.db */
	const char *site;  /* --site, CCC_SITE; NULL: the store's own site */
	const char *key;   /* --key, CCC_KEY; NULL: $XDG_CONFIG_HOME/ccc/keys/SITE.pem */
	const char *actor; /* --as, CCC_ACTOR, the login name */
	int verbose;       /* -v */
	int quiet;         /* -q */
	int strict;        /* --strict: stop at the first bad line */
	size_t max_line;   /* --max-line, CCC_MAX_LINE, bytes; default CCC_MAX_LINE_DEFAULT */
	long busy_timeout; /* --busy-timeout, milliseconds; default 30000 */
	long batch;        /* --batch, records per commit; default 1000 */
	long batch_ms;     /* --batch-ms, longest wait before a commit; default 200 */
	int no_forward;    /* --no-forward, CCC_NO_FORWARD=1: a standby refuses writes */
	char command[512]; /* the command line, for the journal */
	/* The arguments as given (argv[1..argc), before argp reorders them), and
	 * those of them that name this site's store (--store, --site, --key and
	 * their values) or its actor (--as): what a write forwarded to the primary
	 * leaves out (store-open.c). */
	int argc;
	char **argv;
	const char *local_args[16];
	int nlocal_args;
};

extern struct ccc_opts ccc_opts;
extern const struct argp ccc_common_argp;
/* --batch and --batch-ms, for the programs that read streams. */
extern const struct argp ccc_batch_argp;

/* The stream options from the command line, inside a program's struct
 * stream_config initializer (stream.h): {.program = ..., CCC_STREAM_OPTS}. */
#define CCC_STREAM_OPTS                                                                            \
	.batch_max = (size_t)ccc_opts.batch, .batch_ms = (int)ccc_opts.batch_ms,                   \
	.max_line = ccc_opts.max_line, .strict = ccc_opts.strict, .quiet = ccc_opts.quiet,         \
	.verbose = ccc_opts.verbose

/* The longest record a program that starts a pipeline (ccc-intake) writes:
 * three quarters of max_line, leaving a quarter for the fields the programs
 * after it add (triage, checks), so that every stage reads what it is given. */
size_t ccc_record_budget(void);

/* Record argv for the journal's command field; call first in main. */
void ccc_opts_init(int argc, char **argv);

/* Parse a size such as 1048576, 512K, 1M; returns 0 or -1. */
int ccc_parse_size(const char *s, size_t *out);
/* Parse a non-negative whole number within [min, max]; returns 0 or -1. */
int ccc_parse_long(const char *s, long min, long max, long *out);

/* A site name: lowercase letters, digits and '-', neither first nor last,
 * at most CCC_SITE_NAME_MAX bytes (it names key files and settings, and is
 * given to shell commands). 1 when name is one. Every place that takes a
 * site name checks it with this and refuses with CCC_SITE_NAME_RULE. */
#define CCC_SITE_NAME_MAX 63
#define CCC_SITE_NAME_RULE                                                                         \
	"site name '%s': use lowercase letters, digits and '-' (not first or last), at most "      \
	"63"
int ccc_site_name_ok(const char *name);

/* Default paths: caller frees. */
char *ccc_default_store(void);
char *ccc_default_key(const char *site);
/* $XDG_CONFIG_HOME/rest and $XDG_STATE_HOME/rest (defaults ~/.config,
 * ~/.local/state): caller frees. */
char *ccc_config_path(const char *rest);
char *ccc_state_path(const char *rest);

#endif
