/*
 * alert-schema.c: correlation, re-screening, grouping and silences
 * (migration 12). Filled in by the work on correlation and silences.
 */
const char alert_schema[] = "SELECT 1";
