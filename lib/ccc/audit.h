/*
 * audit.h: the audit chain of a site that is not the primary (audit.c).
 */
#ifndef CCC_AUDIT_H
#define CCC_AUDIT_H

/* Migration 16: audit_local, site_audits, consultations.site and
 * .audit_seq, sites.kind, .revoked_at and .revoked_seq, field_journal. */
extern const char audit_schema[];

#endif
