/*
 * case-schema.c: the tables of cases (operations and incidents), what they
 * link, their tasks and who did what with them (migration 11).
 *
 * A case's record (JSON) holds its title, kind, lead, owner and
 * distribution: {"countries": [...], "regions": [...]}, the countries and
 * regions that may see it. A link ties a case to one item by kind and id:
 * message, check, notice, plan, deployment, person, document, case.
 */
const char case_schema[] =
    "CREATE INDEX messages_by_id ON messages(id);"
    "CREATE TABLE cases(id TEXT PRIMARY KEY, n INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL,"
    " status TEXT NOT NULL, title TEXT NOT NULL, owner TEXT NOT NULL, record TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "CREATE INDEX cases_by_status ON cases(status, n);"
    "CREATE TABLE case_links(case_id TEXT NOT NULL, kind TEXT NOT NULL, item TEXT NOT NULL,"
    " linked_at TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT,"
    " PRIMARY KEY(case_id, kind, item));"
    "CREATE INDEX case_links_by_item ON case_links(kind, item);"
    "CREATE TABLE case_tasks(id TEXT PRIMARY KEY, case_id TEXT NOT NULL, n INTEGER NOT NULL,"
    " title TEXT NOT NULL, status TEXT NOT NULL, assignee TEXT, due_at TEXT,"
    " record TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX case_tasks_by_case ON case_tasks(case_id, status, due_at);"
    "CREATE TABLE case_log(e INTEGER PRIMARY KEY, case_id TEXT NOT NULL, ts TEXT NOT NULL,"
    " actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);"
    "CREATE INDEX case_log_by_case ON case_log(case_id, e);";
