/*
 * exit.h: the exit statuses of every ccc program (DESIGN.md section 5).
 * Each man page lists them; nothing else in the project exits with a literal.
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

#endif
