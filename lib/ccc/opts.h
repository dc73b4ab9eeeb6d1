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

struct ccc_opts {
	const char *store; /* --store, CCC_STORE, $XDG_DATA_HOME/ccc/ccc.db */
	const char *site;  /* --site, CCC_SITE; NULL: the store's own site */
	const char *key;   /* --key, CCC_KEY; NULL: $XDG_CONFIG_HOME/ccc/keys/SITE.pem */
	const char *actor; /* --as, CCC_ACTOR, the login name */
	int verbose;       /* -v */
	int quiet;         /* -q */
	int strict;        /* --strict: stop at the first bad line */
	size_t max_line;   /* --max-line, bytes; default 1 MiB */
	long busy_timeout; /* --busy-timeout, milliseconds; default 30000 */
	long batch;        /* --batch, records per commit; default 1000 */
	long batch_ms;     /* --batch-ms, longest wait before a commit; default 200 */
	char command[512]; /* the command line, for the journal */
};

extern struct ccc_opts ccc_opts;
extern const struct argp ccc_common_argp;
/* --batch and --batch-ms, for the programs that read streams. */
extern const struct argp ccc_batch_argp;

/* Record argv for the journal's command field; call first in main. */
void ccc_opts_init(int argc, char **argv);

/* Parse a size such as 1048576, 512K, 1M; returns 0 or -1. */
int ccc_parse_size(const char *s, size_t *out);
/* Parse a non-negative whole number within [min, max]; returns 0 or -1. */
int ccc_parse_long(const char *s, long min, long max, long *out);

/* Default paths: caller frees. */
char *ccc_default_store(void);
char *ccc_default_key(const char *site);
/* $XDG_CONFIG_HOME/rest and $XDG_STATE_HOME/rest (defaults ~/.config,
 * ~/.local/state): caller frees. */
char *ccc_config_path(const char *rest);
char *ccc_state_path(const char *rest);

#endif
