/*
 * deploy-import.h: 'ccc-deploy staff import': a roster read from NDJSON
 * staff records or from CSV (a header row naming the columns id, name,
 * site, languages, skills, trainings, passport_expires, unavailable, then
 * one member a row), each record normalised (deploy-roster.h) and stored,
 * a bad one rejected and reported as any bad line is (stream.h).
 */
#ifndef CCC_DEPLOY_IMPORT_H
#define CCC_DEPLOY_IMPORT_H

#include "ccc/store.h"
#include "ccc/stream.h"

/* How an input is read: by its first byte ('{': NDJSON, else CSV), or as
 * --input-format says. */
enum deploy_input { DEPLOY_INPUT_AUTO, DEPLOY_INPUT_NDJSON, DEPLOY_INPUT_CSV };

/*
 * Store every member of files[0..nfiles) (none: stdin) and write each
 * stored record; sc has the program's stream settings (program, batch,
 * strict, quiet...), its callbacks are set here. Returns as stream_run.
 */
int deploy_staff_import(struct store *s, struct stream_config sc, enum deploy_input how,
			char **files, int nfiles);

#endif
