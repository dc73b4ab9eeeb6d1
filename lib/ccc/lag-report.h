/*
 * lag-report.h: how a reading program says a standby's lag (lag.h).
 *
 * ccc-triage queue, ccc-notice list and show, ccc-deploy status and
 * ccc-case show read a standby's copy as it is, and say how old it is:
 * when their output is a table (on a terminal), one line on stderr,
 *   ccc-triage: standby of lyon: 3 entries and 42 s behind (last heard 12:04:05Z)
 * and on a pipe a field "lag" in every NDJSON record,
 *   "lag":{"primary":"lyon","entries":3,"seconds":42,"heard_at":"..."}
 * (null where a figure is unknown). At a primary: nothing, and no field.
 */
#ifndef CCC_LAG_REPORT_H
#define CCC_LAG_REPORT_H

#include <jv.h>

#include "ccc/store.h"

/* At a standby: with table set, the line on stderr (not when quiet) and
 * jv_invalid(); else the "lag" field's value. At a primary, or when the
 * store cannot say (warned): jv_invalid(). */
jv lag_report(struct store *s, int table, int quiet);

/* rec (consumed) with "lag" set to a copy of lag when lag is valid. */
jv lag_tag(jv rec, jv lag);
/* The same for each record of list (an array, consumed). */
jv lag_tag_all(jv list, jv lag);

#endif
