/*
 * training-schema.c: the course and skill catalogues, training sessions,
 * attendance and the officers of bureaus who attend (migration 14).
 *
 * A course or skill has a slot: the bit or index by which the planner knows
 * it (at most 32 of each); the shipped entries keep the slots that the fixed
 * lists gave them. A course is valid for valid_months after a passed
 * session; kinds lists the teams it is needed for ("irt", "imest", "irt,imest"
 * or ""). A session of a course is held on a day at a site by a trainer;
 * attendance gives each person's result and, when passed, the expiry it
 * gave. A trainee is an officer of a national or regional bureau who is not
 * on the roster: a record with the bureau (ncb) and the trainings held.
 */
const char training_schema[] =
    "CREATE TABLE courses(name TEXT PRIMARY KEY, slot INTEGER NOT NULL UNIQUE,"
    " valid_months INTEGER NOT NULL, title TEXT NOT NULL, kinds TEXT NOT NULL,"
    " updated_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE skills(name TEXT PRIMARY KEY, slot INTEGER NOT NULL UNIQUE,"
    " title TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE training_sessions(id TEXT PRIMARY KEY, n INTEGER NOT NULL UNIQUE,"
    " course TEXT NOT NULL, day TEXT NOT NULL, site TEXT NOT NULL, trainer TEXT NOT NULL,"
    " created_at TEXT NOT NULL, created_by TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE attendance(session TEXT NOT NULL, person TEXT NOT NULL,"
    " result TEXT NOT NULL, expires TEXT, recorded_at TEXT NOT NULL,"
    " PRIMARY KEY(session, person)) WITHOUT ROWID;"
    "CREATE INDEX attendance_by_person ON attendance(person);"
    "CREATE TABLE trainees(id TEXT PRIMARY KEY, name TEXT NOT NULL, ncb TEXT NOT NULL,"
    " record TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;"
    "INSERT INTO courses VALUES"
    " ('irt_readiness', 0, 24, 'Incident Response Team readiness', 'irt',"
    " '2026-01-01T00:00:00Z'),"
    " ('imest_readiness', 1, 24, 'Major Event Support Team readiness', 'imest',"
    " '2026-01-01T00:00:00Z'),"
    " ('hostile_environment', 2, 36, 'Hostile environment awareness', '',"
    " '2026-01-01T00:00:00Z'),"
    " ('first_aid', 3, 24, 'First aid', '', '2026-01-01T00:00:00Z');"
    "INSERT INTO skills VALUES"
    " ('disaster_victim_identification', 0, 'Disaster victim identification',"
    " '2026-01-01T00:00:00Z'),"
    " ('forensics', 1, 'Forensics', '2026-01-01T00:00:00Z'),"
    " ('counter_terrorism', 2, 'Counter-terrorism', '2026-01-01T00:00:00Z'),"
    " ('fugitive_investigation', 3, 'Fugitive investigation', '2026-01-01T00:00:00Z'),"
    " ('cybercrime', 4, 'Cybercrime', '2026-01-01T00:00:00Z'),"
    " ('database_support', 5, 'Database support', '2026-01-01T00:00:00Z'),"
    " ('firearms', 6, 'Firearms', '2026-01-01T00:00:00Z'),"
    " ('crisis_management', 7, 'Crisis management', '2026-01-01T00:00:00Z'),"
    " ('liaison', 8, 'Liaison', '2026-01-01T00:00:00Z'),"
    " ('team_lead', 9, 'Team lead', '2026-01-01T00:00:00Z');";
