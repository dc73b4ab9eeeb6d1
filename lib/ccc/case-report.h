/*
 * case-report.h: what a crisis cell reads of a case: its timeline
 * (case-timeline.c) and its situation report (case-sitrep.c).
 */
#ifndef CCC_CASE_REPORT_H
#define CCC_CASE_REPORT_H

#include <time.h>

#include <jv.h>

#include "ccc/store.h"

/*
 * Every event of case id and of what it links, in time order (ties in the
 * order of the logs): the case's log and the logs of the cases it links,
 * the reception and queue_log of linked messages and the replies to them,
 * the consultation log entries linked as checks, the notice_log of linked
 * notices, the making of linked plans and the deployment_log of linked
 * deployments and of the deployments of linked plans. *out: an array of
 * {"type": "event", "at", "by", "subject" (KIND:ID, or the case's id),
 * "action", "detail"}. 66 for an unknown case.
 */
int case_timeline(struct store *s, const char *id, jv *out);

/*
 * The situation report of case id in lang (ar, en, fr or es) as of now:
 * text, or with html a page that prints on one A4 page (inline CSS; dir=rtl
 * for ar). *text is malloc'd. Dates and times are in the reader's
 * conventions (case_sitrep_time); digits are Western Arabic in every
 * language, Arabic included (the digits of the Maghreb and of the ids,
 * times and control numbers the report quotes).
 */
int case_sitrep(struct store *s, const char *id, const char *lang, int html, time_t now,
		char **text);

/* A UTC time (RFC 3339) as a reader of lang writes it, into out (at least
 * 64 bytes): en "5 Mar 2026 14:05 UTC", fr "5 mars 2026 14h05 UTC",
 * es "5 mar 2026 14:05 UTC", ar "5 مارس 2026 14:05 UTC". The text itself
 * when it is no time (pure). */
void case_sitrep_time(const char *rfc3339, const char *lang, char *out, size_t n);

#endif
