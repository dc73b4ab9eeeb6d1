/*
 * duty-schema.c: shifts, rotations, overrides, roles, handovers, escalation
 * policies and pages (migration 13).
 *
 * A shift is a site's watch in its own time zone: local minutes from and to
 * (to <= from: it ends the next day), the weekdays it starts on (bit 0
 * Monday) and the people it needs. A rotation gives a shift one named
 * person per period, in turn, from its start day. An override puts a
 * person on a shift for an interval (in place of another, or beside); a
 * swap exchanges two people. A role (supervisor, site-lead) is a person of
 * a site that escalation pages. A handover keeps the brief as it was given
 * and who acknowledged it. A page is one step of a policy for one queue
 * item: written as sending before its command runs, sent after; duty_acks
 * stop an item's escalation. duty_log: who did what.
 */
const char duty_schema[] =
    "CREATE TABLE duty_shifts(name TEXT PRIMARY KEY, site TEXT NOT NULL,"
    " time_zone TEXT NOT NULL, from_min INTEGER NOT NULL, to_min INTEGER NOT NULL,"
    " days INTEGER NOT NULL, min_people INTEGER NOT NULL, updated_at TEXT NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE duty_rotations(name TEXT PRIMARY KEY, shift TEXT NOT NULL,"
    " people TEXT NOT NULL, every_days INTEGER NOT NULL, start_day TEXT NOT NULL,"
    " updated_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE duty_overrides(n INTEGER PRIMARY KEY, shift TEXT NOT NULL,"
    " kind TEXT NOT NULL, person TEXT NOT NULL, other TEXT, from_at TEXT NOT NULL,"
    " to_at TEXT NOT NULL, actor TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE duty_roles(role TEXT NOT NULL, site TEXT NOT NULL, person TEXT NOT NULL,"
    " PRIMARY KEY (role, site)) WITHOUT ROWID;"
    "CREATE TABLE duty_handovers(id TEXT PRIMARY KEY, n INTEGER NOT NULL,"
    " from_site TEXT, to_site TEXT, at TEXT NOT NULL, actor TEXT NOT NULL,"
    " brief TEXT NOT NULL, acked_by TEXT, acked_at TEXT) WITHOUT ROWID;"
    "CREATE TABLE duty_policies(name TEXT PRIMARY KEY, steps TEXT NOT NULL,"
    " updated_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE duty_pages(id TEXT PRIMARY KEY, item TEXT NOT NULL, step INTEGER NOT NULL,"
    " policy TEXT NOT NULL, target TEXT NOT NULL, record TEXT NOT NULL,"
    " status TEXT NOT NULL, attempts INTEGER NOT NULL, error TEXT, updated_at TEXT NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE INDEX duty_pages_by_status ON duty_pages(status);"
    "CREATE TABLE duty_acks(item TEXT PRIMARY KEY, actor TEXT NOT NULL, at TEXT NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE duty_log(e INTEGER PRIMARY KEY, subject TEXT NOT NULL, ts TEXT NOT NULL,"
    " actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);";
