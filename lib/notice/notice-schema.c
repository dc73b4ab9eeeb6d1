/*
 * notice-schema.c: the tables of ccc-notice (store migration 5).
 *
 * notices keeps each notice's whole record as JSON, with its status, drafter,
 * control number (unique once published) and expiry in columns for queries.
 * notice_serials numbers the control numbers per kind letter and year.
 * notice_log is the journal of transitions with their actor; its e is the
 * sequence that `feed --since` pages on. notice_recipients is who received
 * what.
 */
const char notice_schema[] =
    "CREATE TABLE notices(id TEXT PRIMARY KEY, n INTEGER NOT NULL, kind TEXT NOT NULL,"
    " status TEXT NOT NULL, control TEXT UNIQUE, drafted_by TEXT NOT NULL,"
    " expires_at TEXT, record TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE notice_serials(letter TEXT NOT NULL, year INTEGER NOT NULL,"
    " last INTEGER NOT NULL, PRIMARY KEY (letter, year)) WITHOUT ROWID;"
    "CREATE TABLE notice_log(e INTEGER PRIMARY KEY, notice TEXT NOT NULL, ts TEXT NOT NULL,"
    " actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);"
    "CREATE INDEX notice_log_by_notice ON notice_log(notice);"
    "CREATE TABLE notice_recipients(notice TEXT NOT NULL, country TEXT NOT NULL,"
    " sent_at TEXT NOT NULL, PRIMARY KEY (notice, country)) WITHOUT ROWID;";
