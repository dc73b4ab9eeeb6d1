/*
 * deploy-schema.c: the tables of ccc-deploy (store migration 4).
 *
 * staff keeps each member's whole record (skills, languages, trainings,
 * passport, unavailability) as normalised JSON. A plan is a proposed team; an
 * approved plan becomes a deployment, whose members are booked in
 * assignments: one row per member and deployment, with the interval they are
 * away (cut short by end and recall, lengthened by extend), so that a double
 * booking is one indexed query. deployment_log records who did what.
 */
const char deploy_schema[] =
    "CREATE TABLE staff(id TEXT PRIMARY KEY, name TEXT NOT NULL, site TEXT NOT NULL,"
    " record TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE plans(id TEXT PRIMARY KEY, n INTEGER NOT NULL, status TEXT NOT NULL,"
    " record TEXT NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE deployments(id TEXT PRIMARY KEY, n INTEGER NOT NULL, plan TEXT NOT NULL,"
    " status TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,"
    " record TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE assignments(staff TEXT NOT NULL, deployment TEXT NOT NULL,"
    " starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, PRIMARY KEY (staff, deployment))"
    " WITHOUT ROWID;"
    "CREATE INDEX assignments_by_deployment ON assignments(deployment);"
    "CREATE TABLE deployment_log(e INTEGER PRIMARY KEY, deployment TEXT NOT NULL,"
    " ts TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);";
