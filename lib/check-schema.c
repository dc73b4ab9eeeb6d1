/*
 * check-schema.c: the tables of ccc-check (store migration 3).
 *
 * Every reference record keeps its owner (the NCB that supplied it), the
 * countries it may or may not be shown to (comma lists), its review date and
 * its whole record as JSON. consultations is the audit: one row per check,
 * who asked, for which country and deployment, what, and which records
 * answered.
 */
const char check_schema[] =
    "CREATE TABLE documents(number TEXT NOT NULL, country TEXT NOT NULL, status TEXT NOT NULL,"
    " owner TEXT NOT NULL, allow TEXT, deny TEXT, review_by TEXT, record TEXT NOT NULL,"
    " PRIMARY KEY (number, country)) WITHOUT ROWID;"
    "CREATE TABLE persons(id TEXT PRIMARY KEY, owner TEXT NOT NULL, allow TEXT, deny TEXT,"
    " review_by TEXT, notice TEXT, names TEXT NOT NULL, dob TEXT, countries TEXT,"
    " record TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE person_keys(key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (key, id))"
    " WITHOUT ROWID;"
    "CREATE TABLE items(db TEXT NOT NULL, key TEXT NOT NULL, status TEXT, owner TEXT NOT NULL,"
    " allow TEXT, deny TEXT, review_by TEXT, record TEXT NOT NULL, PRIMARY KEY (db, key))"
    " WITHOUT ROWID;"
    "CREATE TABLE consultations(c INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL,"
    " ncb TEXT, deployment TEXT, db TEXT NOT NULL, query TEXT NOT NULL, hits TEXT NOT NULL);"
    "CREATE INDEX consultations_by_deployment ON consultations(deployment, ts);";
