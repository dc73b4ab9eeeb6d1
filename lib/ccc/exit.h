/*
 * exit.h: the exit statuses of every ccc program (DESIGN.md section 5), and
 * the one table of what each means, from which every --help and the
 * "Exit status" paragraph are built. Each man page lists them too (the
 * tests hold the two to the same numbers); nothing else in the project
 * exits with a literal.
 */
#ifndef CCC_EXIT_H
#define CCC_EXIT_H

enum ccc_exit {
	CCC_EX_OK = 0,           /* success */
	CCC_EX_NEGATIVE = 1,     /* a documented negative answer (check -q found nothing) */
	CCC_EX_USAGE = 64,       /* command line usage error */
	CCC_EX_DATAERR = 65,     /* some input was rejected; verify found tampering */
	CCC_EX_NOINPUT = 66,     /* an input file or the store does not exist */
	CCC_EX_UNAVAILABLE = 69, /* a service is unavailable */
	CCC_EX_SOFTWARE = 70,    /* internal error */
	CCC_EX_CANTCREAT = 73,   /* cannot create an output file or the store */
	CCC_EX_IOERR = 74,       /* input/output error, including a write error on stdout */
	CCC_EX_TEMPFAIL = 75,    /* temporary: store busy past its timeout, or site fenced */
	CCC_EX_NOPERM = 77,      /* permission: key file mode, access refused */
	CCC_EX_CONFIG = 78,      /* configuration error */
	CCC_EX_SIGINT = 130,     /* stopped by SIGINT after committing the batch in hand */
	CCC_EX_SIGTERM = 143,    /* stopped by SIGTERM after committing the batch in hand */
};

/*
 * One status a program documents: the status, and what it means in that
 * program when that says more than the shared meaning (NULL: the shared
 * meaning, ccc_exit_meaning). A program's list is in increasing order and
 * ends with CCC_EXIT_END.
 */
struct ccc_exit_use {
	int status;
	const char *meaning;
};
#define CCC_EXIT_END                                                                               \
	{                                                                                          \
		-1, NULL                                                                           \
	}

/* The exit status of an SQLite result code, for the code that stepped the
 * statement: busy or locked 75, read-only or cannot open 73, permission 77,
 * full, I/O error, corrupt or not a database 74, anything else 70. */
int ccc_exit_sqlite(int rc);

/* The shared meaning of status ("usage", "I/O error", ...), or NULL for a
 * status outside the table. */
const char *ccc_exit_meaning(int status);

/*
 * The "Exit status:" paragraph of --help for the statuses in list: one
 * status a line, its meaning wrapped within width columns under a hanging
 * indent. Ends with a newline. Caller frees.
 */
char *ccc_exit_paragraph(const struct ccc_exit_use *list, int width);

/*
 * An argp help_filter that puts the exit-status paragraph of the list given
 * as argp_parse's input before the EXAMPLES of the program's doc (at its
 * end when it has none); every other text passes unchanged:
 *
 *   static const struct argp argp = {..., children, ccc_exit_help_filter, NULL};
 *   argp_parse(&argp, argc, argv, 0, NULL, (void *)exits);
 */
char *ccc_exit_help_filter(int key, const char *text, void *input);

#endif
