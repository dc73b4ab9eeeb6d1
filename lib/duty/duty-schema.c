/*
 * duty-schema.c: shifts, rotations, overrides, handovers, escalation
 * policies and pages (migration 13). Filled in by the work on ccc-duty.
 */
const char duty_schema[] = "SELECT 1";
