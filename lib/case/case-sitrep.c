/*
 * case-sitrep.c: the situation report of a case (see case-report.h): what
 * happened, what was checked and found, notices issued, teams deployed,
 * open tasks and the next deadlines, in the reader's language, as text or
 * as one printed A4 page of HTML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccc/case-report.h"
#include "ccc/case-task.h"
#include "ccc/case.h"
#include "ccc/clock.h"
#include "ccc/exit.h"
#include "ccc/json.h"
#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

/* At most this many rows of a section: the page is one A4 sheet. */
#define SITREP_ROWS 6

enum {
	W_TITLE,
	W_CASE,
	W_OPERATION,
	W_INCIDENT,
	W_OPEN,
	W_CLOSED,
	W_LEAD,
	W_OWNER,
	W_OPENED,
	W_ASOF,
	W_DISTRIBUTION,
	W_HAPPENED,
	W_CHECKED,
	W_NOTICES,
	W_TEAMS,
	W_TASKS,
	W_DEADLINES,
	W_NONE,
	W_MESSAGES,
	W_EVENTS,
	W_CHECKS,
	W_HITS,
	W_MORE,
	W_OVERDUE,
	W_DUE,
	W_TASK,
	W_ANSWER,
	W_NOBODY,
	W_NWORDS
};

/* The report's words in ar, en, fr, es. "%s" is a count (sitrep_count). */
static const char *const words[4][W_NWORDS] = {
    [0] = {"تقرير الحالة",
	   "القضية",
	   "عملية",
	   "حادث",
	   "مفتوحة",
	   "مغلقة",
	   "المسؤول",
	   "المالك",
	   "فُتحت في",
	   "حتى",
	   "التوزيع",
	   "ما الذي حدث",
	   "ما الذي تم فحصه وما الذي وُجد",
	   "النشرات الصادرة",
	   "الفرق المنتشرة",
	   "المهام المفتوحة",
	   "المواعيد القادمة",
	   "لا شيء",
	   "الرسائل: %s",
	   "الأحداث في السجل الزمني: %s",
	   "عمليات الفحص: %s",
	   "النتائج: %s",
	   "و%s أخرى",
	   "متأخر",
	   "موعد",
	   "مهمة",
	   "الرد على الرسالة",
	   "غير مسندة"},
    [1] = {"Situation report",
	   "Case",
	   "Operation",
	   "Incident",
	   "open",
	   "closed",
	   "Lead",
	   "Owner",
	   "Opened",
	   "As of",
	   "Distribution",
	   "What happened",
	   "What was checked and found",
	   "Notices issued",
	   "Teams deployed",
	   "Open tasks",
	   "Next deadlines",
	   "none",
	   "Messages: %s",
	   "Events in the timeline: %s",
	   "Checks: %s",
	   "Hits: %s",
	   "and %s more",
	   "overdue",
	   "due",
	   "task",
	   "answer to message",
	   "unassigned"},
    [2] = {"Rapport de situation",
	   "Affaire",
	   "Opération",
	   "Incident",
	   "ouverte",
	   "close",
	   "Responsable",
	   "Propriétaire",
	   "Ouverte le",
	   "Au",
	   "Diffusion",
	   "Ce qui s'est passé",
	   "Vérifications et résultats",
	   "Notices publiées",
	   "Équipes déployées",
	   "Tâches ouvertes",
	   "Prochaines échéances",
	   "néant",
	   "Messages : %s",
	   "Événements de la chronologie : %s",
	   "Vérifications : %s",
	   "Correspondances : %s",
	   "et %s de plus",
	   "en retard",
	   "échéance",
	   "tâche",
	   "réponse au message",
	   "non attribuée"},
    [3] = {"Informe de situación",
	   "Caso",
	   "Operación",
	   "Incidente",
	   "abierto",
	   "cerrado",
	   "Responsable",
	   "Propietario",
	   "Abierto el",
	   "A fecha de",
	   "Distribución",
	   "Qué ha ocurrido",
	   "Qué se ha comprobado y encontrado",
	   "Notificaciones emitidas",
	   "Equipos desplegados",
	   "Tareas abiertas",
	   "Próximos plazos",
	   "ninguno",
	   "Mensajes: %s",
	   "Eventos en la cronología: %s",
	   "Comprobaciones: %s",
	   "Coincidencias: %s",
	   "y %s más",
	   "vencido",
	   "vence",
	   "tarea",
	   "respuesta al mensaje",
	   "sin asignar"},
};

/* The page's style: one A4 sheet holds the head and six sections of
 * SITREP_ROWS rows and three lines each; a row is one line, however long
 * what it quotes (the rest is cut with an ellipsis). */
static const char sitrep_css[] =
    "@page { size: A4; margin: 12mm; }\n"
    "body { font-family: 'DejaVu Sans', 'Noto Sans', 'Noto Naskh Arabic', sans-serif;"
    " font-size: 8.5pt; line-height: 1.2; margin: 0; }\n"
    "h1 { font-size: 13pt; margin: 0 0 1.5mm; }\n"
    "h2 { font-size: 10pt; margin: 2.5mm 0 0.8mm; border-bottom: 0.3mm solid #444; }\n"
    "p { margin: 0.3mm 0; }\n"
    "ul { margin: 0; padding-inline-start: 4mm; }\n"
    "li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }\n"
    ".meta { color: #333; }\n";

static const char *const months[4][12] = {
    {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
     "نوفمبر", "ديسمبر"},
    {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
    {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
     "déc."},
    {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
};

/* n as a reader of language l writes a count: 1,234 (ar, en), 1 234 with a
 * narrow no-break space (fr), 1.234 (es). Western Arabic digits in every
 * language (see case-report.h). */
static void sitrep_count(long n, int l, char *out, size_t len)
{
	static const char *const sep[] = {",", ",", "\u202f", "."};
	char digits[32];
	int nd = snprintf(digits, sizeof digits, "%ld", n < 0 ? -n : n);
	size_t o = 0;
	if (n < 0 && o + 1 < len)
		out[o++] = '-';
	for (int i = 0; i < nd && o + 4 < len; i++) {
		if (i && (nd - i) % 3 == 0) {
			size_t sl = strlen(sep[l]);
			memcpy(out + o, sep[l], sl);
			o += sl;
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* The colon after a label: French puts a space before it. */
static const char *colon(int l)
{
	return l == 2 ? " : " : ": ";
}

static int lang_index(const char *lang)
{
	static const char *const codes[] = {"ar", "en", "fr", "es"};
	for (int i = 0; i < 4; i++)
		if (lang && !strcmp(lang, codes[i]))
			return i;
	return 1;
}

void case_sitrep_time(const char *rfc3339, const char *lang, char *out, size_t n)
{
	time_t t;
	struct tm tm;
	if (!rfc3339 || clock_parse(rfc3339, &t) < 0 || !gmtime_r(&t, &tm)) {
		snprintf(out, n, "%s", rfc3339 ? rfc3339 : "");
		return;
	}
	int l = lang_index(lang);
	/* French writes the hour with "h" (14h05); the others with ':' */
	snprintf(out, n, "%d %s %d %02d%s%02d UTC", tm.tm_mday, months[l][tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, l == 2 ? "h" : ":", tm.tm_min);
}

/* One report being written: text or HTML into b. */
struct rep {
	struct buf b;
	int html, l;
	const char *lang;
};

static const char *W(const struct rep *r, int w)
{
	return words[r->l][w];
}

/* Text from the store as the report shows it: on one line (tabs and line
 * breaks as spaces, so that a message's subject cannot forge a row of the
 * report), other controls and bytes that are not UTF-8 escaped as a
 * terminal shows them (ccc(7)), and in HTML with & < > " ' escaped. */
static void esc(struct rep *r, const char *in)
{
	if (!in)
		return;
	size_t n = strlen(in);
	char *flat = xstrdup(in), *clean = xmalloc(6 * n + 1);
	for (char *p = flat; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	clean[utf8_escape_controls(clean, flat, n, 0)] = '\0';
	free(flat);
	for (const char *s = clean; *s; s++) {
		switch (r->html ? *s : 0) {
		case '&': buf_adds(&r->b, "&amp;"); break;
		case '<': buf_adds(&r->b, "&lt;"); break;
		case '>': buf_adds(&r->b, "&gt;"); break;
		case '"': buf_adds(&r->b, "&quot;"); break;
		case '\'': buf_adds(&r->b, "&#39;"); break;
		default: buf_addc(&r->b, *s);
		}
	}
	free(clean);
}

static void heading(struct rep *r, const char *h)
{
	if (r->html) {
		buf_adds(&r->b, "<h2>");
		esc(r, h);
		buf_adds(&r->b, "</h2>\n");
	} else {
		buf_adds(&r->b, "\n");
		buf_adds(&r->b, h);
		buf_adds(&r->b, "\n");
		for (size_t i = 0, n = strlen(h); i < n; i++)
			if (((unsigned char)h[i] & 0xC0) != 0x80)
				buf_addc(&r->b, '-');
		buf_adds(&r->b, "\n");
	}
}

static void list_open(struct rep *r)
{
	if (r->html)
		buf_adds(&r->b, "<ul>\n");
}

static void list_close(struct rep *r)
{
	if (r->html)
		buf_adds(&r->b, "</ul>\n");
}

/* A row: cells joined by two spaces (text) or " · " (HTML, each cell a
 * <bdi>, so that in Arabic an id or a date keeps its own order and the
 * cells follow each other right to left). */
static void row(struct rep *r, const char *const *cells, int n)
{
	buf_adds(&r->b, r->html ? "<li>" : "  - ");
	int first = 1;
	for (int i = 0; i < n; i++) {
		if (!cells[i] || !*cells[i])
			continue;
		if (!first)
			buf_adds(&r->b, r->html ? " · " : "  ");
		if (r->html)
			buf_adds(&r->b, "<bdi>");
		esc(r, cells[i]);
		if (r->html)
			buf_adds(&r->b, "</bdi>");
		first = 0;
	}
	buf_adds(&r->b, r->html ? "</li>\n" : "\n");
}

static void line(struct rep *r, const char *text)
{
	buf_adds(&r->b, r->html ? "<p>" : "  ");
	esc(r, text);
	buf_adds(&r->b, r->html ? "</p>\n" : "\n");
}

static void countf(struct rep *r, int w, long n)
{
	char t[160], num[32];
	sitrep_count(n, r->l, num, sizeof num);
	snprintf(t, sizeof t, W(r, w), num);
	line(r, t);
}

static void none(struct rep *r)
{
	line(r, W(r, W_NONE));
}

static void more(struct rep *r, long n)
{
	char t[160], num[32];
	if (n <= 0)
		return;
	sitrep_count(n, r->l, num, sizeof num);
	snprintf(t, sizeof t, W(r, W_MORE), num);
	line(r, t);
}

/* ---- the sections, each one query ---- */

static const char *const SQL_MESSAGES =
    "SELECT m.id, json_extract(m.record, '$.received_at'), json_extract(m.record, '$.subject'),"
    " json_extract(m.record, '$.origin_country'), q.priority, q.status FROM messages m"
    " LEFT JOIN queue q ON q.n = m.n WHERE m.id IN (SELECT item FROM case_links"
    " WHERE case_id = ?1 AND kind = 'message')"
    " ORDER BY json_extract(m.record, '$.received_at'), m.n";
static const char *const SQL_CHECKS =
    "SELECT c.c, c.ts, c.db, json_array_length(c.hits), c.ncb,"
    " (SELECT group_concat(coalesce(json_extract(h.value, '$.id'),"
    "  'NCB ' || json_extract(h.value, '$.owner')), ', ') FROM json_each(c.hits) h)"
    " FROM consultations c WHERE CAST(c.c AS TEXT) IN (SELECT item FROM case_links"
    " WHERE case_id = ?1 AND kind = 'check') ORDER BY c.c";
static const char *const SQL_NOTICES =
    "SELECT n.id, n.kind, n.status, n.control, coalesce(json_extract(n.record, '$.name'),"
    " json_extract(n.record, '$.threat'), json_extract(n.record, '$.title'), ''),"
    " json_extract(n.record, '$.published_at') FROM notices n"
    " WHERE n.id IN (SELECT item FROM case_links WHERE case_id = ?1 AND kind = 'notice')"
    " ORDER BY n.n";
static const char *const SQL_TEAMS =
    "SELECT d.id, d.plan, d.status, d.starts_at, d.ends_at,"
    " coalesce(json_extract(p.record, '$.kind'), ''), coalesce(json_extract(p.record, '$.for'),"
    " '') FROM deployments d LEFT JOIN plans p ON p.id = d.plan"
    " WHERE d.id IN (SELECT item FROM case_links WHERE case_id = ?1 AND kind = 'deployment')"
    " OR d.plan IN (SELECT item FROM case_links WHERE case_id = ?1 AND kind = 'plan')"
    " UNION ALL SELECT NULL, p.id, p.status, NULL, NULL, coalesce(json_extract(p.record,"
    " '$.kind'), ''), coalesce(json_extract(p.record, '$.for'), '') FROM plans p"
    " WHERE p.id IN (SELECT item FROM case_links WHERE case_id = ?1 AND kind = 'plan')"
    " AND NOT EXISTS (SELECT 1 FROM deployments d WHERE d.plan = p.id)";
static const char *const SQL_DEADLINES =
    "SELECT due_at, 'task', id || ': ' || title, assignee FROM case_tasks"
    " WHERE case_id = ?1 AND status <> 'done' AND due_at IS NOT NULL"
    " UNION ALL SELECT q.due_at, 'message', q.id, q.assignee FROM queue q"
    " WHERE q.status <> 'closed' AND q.id IN (SELECT item FROM case_links"
    " WHERE case_id = ?1 AND kind = 'message')"
    " ORDER BY 1";

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	return v ? (const char *)v : "";
}

/* Step st to the end, writing each row with fn (at most SITREP_ROWS, then
 * "and N more"); *count gets the rows. 0 or an exit status. */
static int rows(struct store *s, struct rep *r, sqlite3_stmt *st, const char *what,
		void (*fn)(struct rep *r, sqlite3_stmt *st), long *count)
{
	int rc;
	long n = 0;
	if (!st)
		return CCC_EX_SOFTWARE;
	list_open(r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ < SITREP_ROWS)
			fn(r, st);
	}
	sqlite3_reset(st);
	list_close(r);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, what);
	more(r, n - SITREP_ROWS);
	*count = n;
	return 0;
}

static void message_row(struct rep *r, sqlite3_stmt *st)
{
	char at[64];
	case_sitrep_time(col(st, 1), r->lang, at, sizeof at);
	const char *cells[] = {at, col(st, 0), col(st, 3), col(st, 4), col(st, 2)};
	row(r, cells, 5);
}

static void check_row(struct rep *r, sqlite3_stmt *st)
{
	char at[64], hits[96], id[32], num[32];
	case_sitrep_time(col(st, 1), r->lang, at, sizeof at);
	snprintf(id, sizeof id, "check:%s", col(st, 0));
	sitrep_count((long)sqlite3_column_int64(st, 3), r->l, num, sizeof num);
	snprintf(hits, sizeof hits, W(r, W_HITS), num);
	const char *cells[] = {at, id, col(st, 2), col(st, 4), hits, col(st, 5)};
	row(r, cells, 6);
}

static void notice_row(struct rep *r, sqlite3_stmt *st)
{
	char at[64];
	case_sitrep_time(col(st, 5), r->lang, at, sizeof at);
	const char *cells[] = {col(st, 3), col(st, 0), col(st, 1), col(st, 2), col(st, 4), at};
	row(r, cells, 6);
}

static void team_row(struct rep *r, sqlite3_stmt *st)
{
	char from[64], to[64], span[160];
	case_sitrep_time(col(st, 3), r->lang, from, sizeof from);
	case_sitrep_time(col(st, 4), r->lang, to, sizeof to);
	snprintf(span, sizeof span, "%s%s%s", from, *to ? " – " : "", to);
	const char *cells[] = {col(st, 0), col(st, 1), col(st, 5), col(st, 2), span, col(st, 6)};
	row(r, cells, 6);
}

static time_t report_now;

static void deadline_row(struct rep *r, sqlite3_stmt *st)
{
	char at[64];
	time_t t;
	const char *due = col(st, 0);
	case_sitrep_time(due, r->lang, at, sizeof at);
	int late = clock_parse(due, &t) == 0 && t < report_now;
	int task = !strcmp(col(st, 1), "task");
	const char *who = *col(st, 3) ? col(st, 3) : W(r, W_NOBODY);
	const char *cells[] = {at, late ? W(r, W_OVERDUE) : W(r, W_DUE),
			       task ? W(r, W_TASK) : W(r, W_ANSWER), col(st, 2), who};
	row(r, cells, 5);
}

/* Bind the case id and write a section. */
static int section(struct store *s, struct rep *r, const char *sql, const char *id,
		   const char *what, void (*fn)(struct rep *, sqlite3_stmt *), long *count)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	if (st)
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	return rows(s, r, st, what, fn, count);
}

static void page_head(struct rep *r, jv c, time_t now)
{
	char opened[64], asof[64], nowtxt[RFC3339_LEN], t[512];
	clock_format(now, nowtxt);
	case_sitrep_time(jv_get_str(c, "opened_at"), r->lang, opened, sizeof opened);
	case_sitrep_time(nowtxt, r->lang, asof, sizeof asof);
	const char *kind = jv_get_str(c, "kind"), *status = jv_get_str(c, "status");
	const char *kindw =
	    kind && !strcmp(kind, "incident") ? W(r, W_INCIDENT) : W(r, W_OPERATION);
	const char *statw = status && !strcmp(status, "closed") ? W(r, W_CLOSED) : W(r, W_OPEN);
	if (r->html) {
		buf_adds(&r->b, "<!DOCTYPE html>\n<html lang=\"");
		buf_adds(&r->b, r->lang);
		buf_adds(&r->b, r->l == 0 ? "\" dir=\"rtl\">\n" : "\" dir=\"ltr\">\n");
		buf_adds(&r->b, "<head>\n<meta charset=\"utf-8\">\n<title>");
		esc(r, W(r, W_TITLE));
		buf_adds(&r->b, " ");
		esc(r, jv_get_str(c, "id"));
		buf_adds(&r->b, "</title>\n<style>\n");
		buf_adds(&r->b, sitrep_css);
		buf_adds(&r->b, "</style>\n</head>\n<body>\n<h1>");
		esc(r, W(r, W_TITLE));
		buf_adds(&r->b, " — ");
		esc(r, jv_get_str(c, "title"));
		buf_adds(&r->b, "</h1>\n<p class=\"meta\">");
	} else {
		snprintf(t, sizeof t, "%s — %s", W(r, W_TITLE), jv_get_str(c, "id"));
		buf_adds(&r->b, t);
		buf_adds(&r->b, "\n");
		esc(r, jv_get_str(c, "title"));
		buf_adds(&r->b, "\n");
	}
	snprintf(t, sizeof t, "%s %s · %s · %s", W(r, W_CASE), jv_get_str(c, "id"), kindw, statw);
	esc(r, t);
	buf_adds(&r->b, r->html ? "<br>\n" : "\n");
	snprintf(t, sizeof t, "%s%s%s · %s%s%s", W(r, W_LEAD), colon(r->l),
		 jv_get_str(c, "lead") ? jv_get_str(c, "lead") : "—", W(r, W_OWNER), colon(r->l),
		 jv_get_str(c, "owner") ? jv_get_str(c, "owner") : "—");
	esc(r, t);
	buf_adds(&r->b, r->html ? "<br>\n" : "\n");
	snprintf(t, sizeof t, "%s %s · %s %s", W(r, W_OPENED), opened, W(r, W_ASOF), asof);
	esc(r, t);
	buf_adds(&r->b, r->html ? "<br>\n" : "\n");
	struct buf d = {0};
	jv dist = jv_object_get(jv_copy(c), jv_string("distribution"));
	static const char *const parts[] = {"countries", "regions"};
	for (int p = 0; p < 2; p++) {
		jv a = jv_object_get(jv_copy(dist), jv_string(parts[p]));
		if (jv_get_kind(a) == JV_KIND_ARRAY)
			jv_array_foreach (a, i, v) {
				if (d.len)
					buf_adds(&d, r->l == 0 ? "، " : ", ");
				buf_adds(&d, jv_string_value(v));
				jv_free(v);
			}
		jv_free(a);
	}
	jv_free(dist);
	buf_addc(&d, '\0');
	snprintf(t, sizeof t, "%s%s%s", W(r, W_DISTRIBUTION), colon(r->l),
		 d.len > 1 ? d.p : W(r, W_NONE));
	buf_free(&d);
	esc(r, t);
	buf_adds(&r->b, r->html ? "</p>\n" : "\n");
}

/* The open tasks (consumed). */
static void task_rows(struct rep *r, jv tasks)
{
	long n = 0;
	list_open(r);
	jv_array_foreach (tasks, i, t) {
		char due[64] = "";
		if (n++ < SITREP_ROWS) {
			if (jv_get_str(t, "due_at"))
				case_sitrep_time(jv_get_str(t, "due_at"), r->lang, due, sizeof due);
			const char *who =
			    jv_get_str(t, "assignee") ? jv_get_str(t, "assignee") : W(r, W_NOBODY);
			const char *cells[] = {jv_get_str(t, "id"), jv_get_str(t, "title"), who,
					       due};
			row(r, cells, 4);
		}
		jv_free(t);
	}
	jv_free(tasks);
	list_close(r);
	if (n == 0)
		none(r);
	more(r, n - SITREP_ROWS);
}

int case_sitrep(struct store *s, const char *id, const char *lang, int html, time_t now,
		char **text)
{
	struct rep r = {.html = html, .l = lang_index(lang), .lang = lang};
	jv c, tasks;
	long n;
	int rc = case_get(s, id, &c);
	if (rc)
		return rc;
	report_now = now;
	page_head(&r, c, now);
	jv_free(c);

	heading(&r, W(&r, W_HAPPENED));
	long nevents;
	if ((rc = case_timeline_count(s, id, &nevents)))
		goto fail;
	if ((rc = section(s, &r, SQL_MESSAGES, id, "reading the case's messages", message_row, &n)))
		goto fail;
	countf(&r, W_MESSAGES, n);
	countf(&r, W_EVENTS, nevents);

	heading(&r, W(&r, W_CHECKED));
	if ((rc = section(s, &r, SQL_CHECKS, id, "reading the case's checks", check_row, &n)))
		goto fail;
	countf(&r, W_CHECKS, n);

	heading(&r, W(&r, W_NOTICES));
	if ((rc = section(s, &r, SQL_NOTICES, id, "reading the case's notices", notice_row, &n)))
		goto fail;
	if (!n)
		none(&r);

	heading(&r, W(&r, W_TEAMS));
	if ((rc = section(s, &r, SQL_TEAMS, id, "reading the case's deployments", team_row, &n)))
		goto fail;
	if (!n)
		none(&r);

	heading(&r, W(&r, W_TASKS));
	if ((rc = case_task_list(s, id, 1, &tasks)))
		goto fail;
	task_rows(&r, tasks);

	heading(&r, W(&r, W_DEADLINES));
	if ((rc = section(s, &r, SQL_DEADLINES, id, "reading the case's deadlines", deadline_row,
			  &n)))
		goto fail;
	if (!n)
		none(&r);
	if (html)
		buf_adds(&r.b, "</body>\n</html>\n");
	buf_addc(&r.b, '\0');
	*text = r.b.p;
	return 0;
fail:
	buf_free(&r.b);
	return rc;
}
