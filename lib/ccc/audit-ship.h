/*
 * audit-ship.h: a site's audit chain carried home (audit-ship.c).
 *
 * At a standby or field kit, 'ccc-failover audit-export' writes its own
 * chain's entries as `audit` records; at the primary 'audit-import' (and
 * 'ship', which asks for them first) checks each and merges it into the
 * consultation log (audit.h), in transactions of up to 1000 entries; an
 * entry imported before is skipped, so a rerun, or one cut short by
 * kill -9, loses and duplicates nothing.
 */
#ifndef CCC_AUDIT_SHIP_H
#define CCC_AUDIT_SHIP_H

#include <stdint.h>

struct store;

struct audit_import {
	unsigned long merged, known, refused; /* out */
};

/* This site's own entries after since, as NDJSON on stdout. */
int audit_export(struct store *s, int64_t since);
/* Merge the `audit` records read from fd (name for messages); a refused
 * entry or line is said (NAME:LINE: audit entry SITE/SEQ refused: why) and
 * the rest go on. 0; 65 when one was refused; another exit code. */
int audit_import_fd(struct store *s, int fd, const char *name, struct audit_import *im);
int audit_import_files(struct store *s, char **files, int nfiles, struct audit_import *im);
/* Ask the site reached through via ('VIA audit-export --since N', N the
 * last entry of site's chain merged here; 0 when site is NULL) and merge
 * what it answers. 0, 65, 69 (not reached) or another exit code. */
int audit_pull(struct store *s, const char *via, const char *site, struct audit_import *im);

/* A site that became the primary merges its own chain's entries not yet
 * merged (the checks it answered as a standby), in one transaction. */
int audit_merge_own(struct store *s, struct audit_import *im);

#endif
