/*
 * field-ship.h: shipping to a field kit (fieldkit.h): the primary sends,
 * for each chunk of journal entries, one signed `field-batch` record with
 * the changes of the kit's tables only; the kit checks and applies it and
 * answers an `ack` as a standby does (ship.h), for the batch's to_seq.
 */
#ifndef CCC_FIELD_SHIP_H
#define CCC_FIELD_SHIP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <jv.h>

#include "ccc/rerun.h"
#include "ccc/store.h"

/* 1 when site is a field kit here (sites.kind = 'field'). */
int field_site_is_kit(struct store *s, const char *site);
/* "site" or "field": site's kind (NULL when unknown). */
const char *field_site_kind(struct store *s, const char *site);
/* site add --field, before the site is trusted: 65 (warned) when name is a
 * standby already (a kit is a new site, never a standby cut down); after:
 * mark it a field kit (again->done cleared when that changed something).
 * Inside the transaction of site add. */
int field_site_check(struct store *s, const char *name);
int field_site_mark(struct store *s, const char *name, struct rerun *again);

/* The field kit remembered as reached through via (caller frees), or NULL:
 * 'ship --via' alone to a kit ships to it as a kit. */
char *field_kit_reached_by(struct store *s, const char *via);

/* sites_status's records (consumed) as they are at a kit or of one: a
 * field kit's role is "field"; at a kit, its own seq is its position. */
jv field_status(struct store *s, jv list);

/* Write to fd one field-batch record for kit: the entries after since, at
 * most limit (< 0: no limit) or until the filtered changes pass max_bytes
 * of base64; *last gets the batch's to_seq (since: nothing to send).
 * Signed with this store's key. 0 or an exit code (warned). */
int field_export_fd(struct store *s, const char *kit, int64_t since, long long limit,
		    size_t max_bytes, int fd, int64_t *last);

/* At a kit: apply the field-batch records read from files (none: stdin),
 * one transaction each, writing an `ack` for each; any other record is
 * refused (a kit takes no journal entries). A line may be max_line bytes
 * (at least STORE_ENTRY_LINE); it stops after the batch in hand once *stop
 * is set (by a signal); *applied counts the batches acknowledged. 0, 65
 * when a batch or line was refused (nothing of that batch applied), or
 * another exit code. */
int field_import_files(struct store *s, char **files, int nfiles, size_t max_line,
		       volatile sig_atomic_t *stop, unsigned long *applied);

#endif
