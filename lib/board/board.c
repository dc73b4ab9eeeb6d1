/*
 * board.c: the wall of the operations room as one HTML page: the queue, the
 * open cases, the teams in the field on a map, the sites, and who is on
 * duty. Each part reads the store with its own query; every value from the
 * store goes through board_escape.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccc/board-atlas.h"
#include "ccc/board.h"
#include "ccc/clock.h"
#include "ccc/deploy-plan.h"
#include "ccc/deploy-roster.h"
#include "ccc/deploy-rota.h"
#include "ccc/duty.h"
#include "ccc/exit.h"
#include "ccc/sites.h"
#include "ccc/xmalloc.h"

/* The open queue, most urgent first, with the message's subject and language. */
static const char *const SQL_QUEUE =
    "SELECT q.priority, q.id, q.category, q.due_at, q.status, q.assignee,"
    " json_extract(m.record, '$.subject'), json_extract(m.record, '$.language')"
    " FROM queue q LEFT JOIN messages m ON m.id = q.id"
    " WHERE q.status <> 'closed' ORDER BY q.priority, q.due_at, q.n";
static const char *const SQL_CASES =
    "SELECT id, kind, status, title, owner, updated_at FROM cases"
    " WHERE status NOT IN ('closed', 'archived', 'cancelled') ORDER BY n DESC LIMIT 40";
/* Teams on their way or in the field. */
static const char *const SQL_TEAMS =
    "SELECT id, status, json_extract(record, '$.kind'), json_extract(record, '$.country'),"
    " json_extract(record, '$.for'), json_array_length(record, '$.members'), starts_at, ends_at"
    " FROM deployments WHERE status IN ('approved', 'active') ORDER BY starts_at, id";
static const char *const STYLE =
    "body{margin:0;background:#0f1720;color:#e6edf3;font:15px/1.35 sans-serif}"
    "header{display:flex;justify-content:space-between;align-items:baseline;"
    "padding:8px 16px;background:#17324d;border-bottom:3px solid #2f81f7}"
    "h1{margin:0;font-size:22px}h2{margin:0 0 6px;font-size:17px;color:#9cc4ff}"
    "main{display:grid;grid-template-columns:1fr 1fr;gap:12px;padding:12px}"
    "section{background:#16202b;border:1px solid #2b3a4a;border-radius:6px;padding:8px 10px}"
    "#teams{grid-column:1 / span 2}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:start;padding:3px 6px;border-bottom:1px solid #2b3a4a;"
    "vertical-align:top}th{color:#9fb0c0;font-weight:normal;font-size:13px}"
    "tr.overdue td{background:#5c1010;color:#ffd7d7}td.left{white-space:nowrap}"
    "tr.overdue td.left{color:#ff6b6b;font-weight:bold}"
    ".P1{color:#ff6b6b;font-weight:bold}.P2{color:#ffb347}.P3{color:#e6edf3}"
    ".P4{color:#9fb0c0}.none{color:#9fb0c0;font-style:italic}"
    "svg{width:100%;height:auto;background:#0b2236;border-radius:4px}"
    ".land path{fill:#2d4256;stroke:#0b2236;stroke-width:.5}"
    ".land path.field{fill:#d9822b;stroke:#ffd08a}"
    ".pin{fill:#ffcf4d;stroke:#0b2236;stroke-width:1}"
    ".pin-label{fill:#fff;font-size:11px;paint-order:stroke;stroke:#0b2236;stroke-width:3}"
    ".primary{color:#56d364;font-weight:bold}.standby{color:#9cc4ff}"
    ".stale{color:#ff6b6b}.hook{color:#ffb347;font-size:13px}"
    "footer{padding:4px 16px 10px;color:#9fb0c0;font-size:12px}";

void board_escape(struct buf *out, const char *text, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (text[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = "\xef\xbf\xbd"; break; /* no NUL in a page */
		default:
			if ((unsigned char)text[i] < 0x20 && text[i] != '\t' && text[i] != '\n')
				rep = " ";
		}
		if (!rep)
			continue;
		buf_add(out, text + start, i - start);
		buf_adds(out, rep);
		start = i + 1;
	}
	buf_add(out, text + start, n - start);
}

/* s (may be NULL: "-") escaped. */
static void esc(struct buf *b, const char *s)
{
	if (!s)
		s = "-";
	board_escape(b, s, strlen(s));
}

static void outf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(struct buf *b, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_add(b, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* A column's text, NULL for SQL NULL. */
static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* A cell of free text: dir="auto", or right to left for a message in Arabic. */
static void text_cell(struct buf *b, const char *text, const char *lang)
{
	if (lang && !strcmp(lang, "ar"))
		buf_adds(b, "<td dir=\"rtl\" lang=\"ar\">");
	else
		buf_adds(b, "<td dir=\"auto\">");
	esc(b, text);
	buf_adds(b, "</td>");
}

static void cell(struct buf *b, const char *text)
{
	buf_adds(b, "<td>");
	esc(b, text);
	buf_adds(b, "</td>");
}

void board_time_left(long long seconds, char *out, size_t n)
{
	/* the magnitude unsigned: -LLONG_MIN does not fit a long long */
	unsigned long long a =
	    seconds < 0 ? 0ULL - (unsigned long long)seconds : (unsigned long long)seconds;
	const char *sign = seconds < 0 ? "-" : "";
	if (a >= 86400)
		snprintf(out, n, "%s%llud %02lluh", sign, a / 86400, a % 86400 / 3600);
	else if (a >= 3600)
		snprintf(out, n, "%s%lluh %02llum", sign, a / 3600, a % 3600 / 60);
	else
		snprintf(out, n, "%s%llum", sign, a / 60);
}

/* 1 when table exists in s. */
static int has_table(struct store *s, const char *table)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
					 "name = ?1");
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	int yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

static int queue_section(struct store *s, const struct board_opts *o, struct buf *b)
{
	sqlite3_stmt *st = store_stmt(s, SQL_QUEUE);
	struct buf rows = {0};
	int rc, n = 0, overdue = 0;
	if (!st)
		return store_error(s, SQLITE_ERROR, "reading the queue");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		time_t due = 0;
		char left[32] = "-";
		const char *prio = col(st, 0);
		int late = col(st, 3) && !clock_parse(col(st, 3), &due) && due <= o->now;
		overdue += late;
		if (++n > o->max_queue)
			continue;
		if (due)
			board_time_left((long long)(due - o->now), left, sizeof left);
		buf_adds(&rows, late ? "<tr class=\"overdue\">" : "<tr>");
		outf(&rows, "<td class=\"%s\">",
		     prio && strlen(prio) == 2 && prio[0] == 'P' && prio[1] >= '1' && prio[1] <= '4'
			 ? prio
			 : "P4");
		esc(&rows, prio);
		buf_adds(&rows, "</td>");
		cell(&rows, col(st, 1));
		text_cell(&rows, col(st, 6) ? col(st, 6) : "(no subject)", col(st, 7));
		cell(&rows, col(st, 2));
		cell(&rows, col(st, 3));
		buf_adds(&rows, "<td class=\"left\">");
		esc(&rows, left);
		buf_adds(&rows, late ? " overdue</td>" : "</td>");
		text_cell(&rows, col(st, 5) ? col(st, 5) : col(st, 4), NULL);
		buf_adds(&rows, "</tr>\n");
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		buf_free(&rows);
		return store_error(s, rc, "reading the queue");
	}
	outf(b, "<section id=\"queue\"><h2>Queue: %d open, %d overdue</h2>\n", n, overdue);
	if (!n) {
		buf_adds(b, "<p class=\"none\">The queue is empty.</p>");
	} else {
		buf_adds(b, "<table><thead><tr><th>Priority</th><th>Item</th><th>Subject</th>"
			    "<th>Category</th><th>Due (UTC)</th><th>Left</th><th>Who</th></tr>"
			    "</thead><tbody>\n");
		if (rows.len)
			buf_add(b, rows.p, rows.len);
		buf_adds(b, "</tbody></table>");
		if (n > o->max_queue)
			outf(b, "<p class=\"none\">and %d more</p>", n - o->max_queue);
	}
	buf_adds(b, "</section>\n");
	buf_free(&rows);
	return 0;
}

static int cases_section(struct store *s, struct buf *b)
{
	int rc, n = 0;
	buf_adds(b, "<section id=\"cases\"><h2>Open cases and incidents</h2>\n");
	sqlite3_stmt *st = has_table(s, "cases") ? store_stmt(s, SQL_CASES) : NULL;
	if (!st) {
		buf_adds(b, "<p class=\"none\">No open case.</p></section>\n");
		return 0;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!n++)
			buf_adds(
			    b,
			    "<table><thead><tr><th>Case</th><th>Kind</th><th>Status</th>"
			    "<th>Title</th><th>Owner</th><th>Updated</th></tr></thead><tbody>\n");
		buf_adds(b, "<tr>");
		cell(b, col(st, 0));
		cell(b, col(st, 1));
		cell(b, col(st, 2));
		text_cell(b, col(st, 3), NULL);
		cell(b, col(st, 4));
		cell(b, col(st, 5));
		buf_adds(b, "</tr>\n");
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "reading the cases");
	buf_adds(b, n ? "</tbody></table>" : "<p class=\"none\">No open case.</p>");
	buf_adds(b, "</section>\n");
	return 0;
}

static const struct board_country *country_of(const char *cc)
{
	for (int i = 0; cc && i < board_ncountries; i++)
		if (!strcmp(board_countries[i].cc, cc))
			return &board_countries[i];
	return NULL;
}

#define MAX_TEAMS 64

static int teams_section(struct store *s, struct buf *b)
{
	char where[MAX_TEAMS][3];
	int nwhere = 0, rc, n = 0;
	struct buf rows = {0};
	sqlite3_stmt *st = store_stmt(s, SQL_TEAMS);
	if (!st)
		return store_error(s, SQLITE_ERROR, "reading the deployments");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cc = col(st, 3);
		const struct board_country *c = country_of(cc);
		char period[64];
		n++;
		if (c && nwhere < MAX_TEAMS)
			memcpy(where[nwhere++], c->cc, 3);
		time_t from = 0, to = 0;
		if (col(st, 6) && col(st, 7) && !clock_parse(col(st, 6), &from) &&
		    !clock_parse(col(st, 7), &to))
			deploy_format_period(from, to, period);
		else
			snprintf(period, sizeof period, "?");
		buf_adds(&rows, "<tr>");
		cell(&rows, col(st, 0));
		cell(&rows, col(st, 2));
		cell(&rows, col(st, 1));
		buf_adds(&rows, "<td>");
		esc(&rows, c ? c->name : cc);
		buf_adds(&rows, " (");
		esc(&rows, cc);
		buf_adds(&rows, ")</td>");
		text_cell(&rows, col(st, 4), NULL);
		outf(&rows, "<td>%d</td>", sqlite3_column_int(st, 5));
		cell(&rows, period);
		buf_adds(&rows, "</tr>\n");
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		buf_free(&rows);
		return store_error(s, rc, "reading the deployments");
	}
	outf(b, "<section id=\"teams\"><h2>Teams in the field: %d</h2>\n", n);
	outf(b,
	     "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 20 %d %d\" role=\"img\" "
	     "aria-label=\"World map: the countries with a team in the field are "
	     "highlighted\">\n<g class=\"land\">\n",
	     BOARD_ATLAS_W, BOARD_ATLAS_H - 20 - 60);
	for (int i = 0; i < board_ncountries; i++) {
		const struct board_country *c = &board_countries[i];
		int field = 0;
		for (int k = 0; k < nwhere && c->cc[0]; k++)
			field |= !strcmp(where[k], c->cc);
		buf_adds(b, field ? "<path class=\"field\" d=\"" : "<path d=\"");
		for (const char *const *piece = c->path; *piece; piece++)
			buf_adds(b, *piece);
		buf_adds(b, "\"><title>");
		esc(b, c->name);
		buf_adds(b, "</title></path>\n");
	}
	buf_adds(b, "</g>\n");
	for (int k = 0; k < nwhere; k++) {
		int dup = 0;
		for (int j = 0; j < k; j++)
			dup |= !strcmp(where[j], where[k]);
		const struct board_country *c = country_of(where[k]);
		if (dup || !c)
			continue;
		outf(b, "<circle class=\"pin\" cx=\"%d\" cy=\"%d\" r=\"5\"/>", c->cx, c->cy);
		outf(b, "<text class=\"pin-label\" x=\"%d\" y=\"%d\">", c->cx + 8, c->cy + 4);
		esc(b, c->name);
		buf_adds(b, "</text>\n");
	}
	buf_adds(b, "</svg>\n");
	if (n) {
		buf_adds(b, "<table><thead><tr><th>Deployment</th><th>Kind</th><th>Status</th>"
			    "<th>Country</th><th>For</th><th>Members</th><th>Period</th></tr>"
			    "</thead><tbody>\n");
		buf_add(b, rows.p, rows.len);
		buf_adds(b, "</tbody></table>");
	} else {
		buf_adds(b, "<p class=\"none\">No team in the field.</p>");
	}
	buf_adds(b, "</section>\n");
	buf_free(&rows);
	return 0;
}

static int sites_section(struct store *s, const struct board_opts *o, struct buf *b)
{
	static const char *const three[] = {"lyon", "buenos-aires", "singapore"};
	int seen[3] = {0};
	jv list;
	int rc = sites_status(s, &list);
	if (rc)
		return rc;
	buf_adds(b, "<section id=\"sites\"><h2>Sites</h2>\n<table><thead><tr><th>Site</th>"
		    "<th>Role</th><th>Epoch</th><th>Seq</th><th>Lag</th><th>Last heartbeat</th>"
		    "</tr></thead><tbody>\n");
	jv_array_foreach (list, i, r) {
		const char *name = jv_get_str(r, "site"), *role = jv_get_str(r, "role");
		const char *hb = jv_get_str(r, "heartbeat");
		char num[3][32];
		static const char *const keys[] = {"epoch", "seq", "lag"};
		for (int k = 0; k < 3; k++) {
			jv v = jv_object_get(jv_copy(r), jv_string(keys[k]));
			if (jv_get_kind(v) == JV_KIND_NUMBER)
				snprintf(num[k], sizeof num[k], "%.0f", jv_number_value(v));
			else
				snprintf(num[k], sizeof num[k], "-");
			jv_free(v);
		}
		for (int k = 0; k < 3; k++)
			seen[k] |= name && !strcmp(name, three[k]);
		time_t t = 0;
		int stale = !hb || clock_parse(hb, &t) || o->now - t > 300;
		buf_adds(b, "<tr><td>");
		esc(b, name);
		if (jv_get_kind(jv_object_get(jv_copy(r), jv_string("self"))) == JV_KIND_TRUE)
			buf_adds(b, " (this site)");
		outf(b, "</td><td class=\"%s\">",
		     role && !strcmp(role, "primary") ? "primary" : "standby");
		esc(b, role);
		outf(b, "</td><td>%s</td><td>%s</td><td>%s</td><td%s>", num[0], num[1], num[2],
		     stale ? " class=\"stale\"" : "");
		esc(b, hb ? hb : "none");
		if (hb && !clock_parse(hb, &t)) {
			char age[32];
			board_time_left((long long)(o->now - t), age, sizeof age);
			buf_adds(b, " (");
			esc(b, age);
			buf_adds(b, " ago)");
		}
		buf_adds(b, "</td></tr>\n");
		jv_free(r);
	}
	jv_free(list);
	for (int k = 0; k < 3; k++)
		if (!seen[k])
			outf(b,
			     "<tr><td>%s</td><td class=\"none\">not known to this store</td><td>-"
			     "</td><td>-</td><td>-</td><td class=\"stale\">none</td></tr>\n",
			     three[k]);
	buf_adds(b, "</tbody></table></section>\n");
	return 0;
}

/* Who is on duty by the stored shift plan (ccc-duty): the shifts at work
 * now and the next ones. */
static int duty_plan_section(struct duty_plan *p, const struct board_opts *o, struct buf *b)
{
	jv list;
	int rc = duty_on_at(p, o->now, &list);
	if (rc)
		return rc;
	buf_adds(b, "<table><thead><tr><th>Site</th><th>Shift</th><th>Local time</th>"
		    "<th>On duty</th><th>Supervisor</th></tr></thead><tbody>\n");
	int any = 0;
	jv_array_foreach (list, i, r) {
		const char *state = jv_get_str(r, "state");
		int on = state && !strcmp(state, "on");
		any |= on;
		buf_adds(b, "<tr><td>");
		esc(b, jv_get_str(r, "site"));
		buf_adds(b, "</td><td>");
		esc(b, jv_get_str(r, "shift"));
		buf_adds(b, "</td><td>");
		esc(b, jv_get_str(r, "local_from"));
		buf_adds(b, " &#8211; ");
		esc(b, jv_get_str(r, "local_to"));
		outf(b, "</td><td class=\"%s\">%s ", on ? "primary" : "none",
		     on ? "on duty:" : "next:");
		jv people = jv_object_get(jv_copy(r), jv_string("people"));
		int k = 0;
		if (jv_get_kind(people) == JV_KIND_ARRAY)
			jv_array_foreach (people, j, who) {
				if (jv_get_kind(who) == JV_KIND_STRING) {
					buf_adds(b, k++ ? ", " : "");
					esc(b, jv_string_value(who));
				}
				jv_free(who);
			}
		jv_free(people);
		if (!k)
			buf_adds(b, "-");
		buf_adds(b, "</td><td dir=\"auto\">");
		esc(b, jv_get_str(r, "supervisor"));
		buf_adds(b, "</td></tr>\n");
		jv_free(r);
	}
	jv_free(list);
	buf_adds(b, "</tbody></table>");
	if (!any)
		buf_adds(b, "<p class=\"stale\">No shift of the plan is at work now.</p>");
	buf_adds(b, "</section>\n");
	return 0;
}

static int duty_section(struct store *s, const struct board_opts *o, struct buf *b)
{
	struct rota_site sites[ROTA_NSITES];
	struct deploy_person *people;
	size_t n;
	int rc, any = 0;
	buf_adds(b, "<section id=\"duty\"><h2>On duty</h2>\n");
	struct duty_plan *plan;
	if ((rc = duty_plan_load(s, &plan)))
		return rc;
	if (duty_plan_shifts(plan) > 0) {
		rc = duty_plan_section(plan, o, b);
		duty_plan_free(plan);
		return rc;
	}
	duty_plan_free(plan);
	buf_adds(b, "<p class=\"hook\">No shift plan in this store (ccc-duty plan load): the "
		    "sites at work by their office hours (08:00-17:00 local).</p>\n");
	rota_default_sites(sites);
	if ((rc = deploy_staff_load(s, o->now, &people, &n)))
		return rc;
	buf_adds(b, "<table><thead><tr><th>Site</th><th>Local time</th><th>On duty</th>"
		    "<th>Staff at the site</th></tr></thead><tbody>\n");
	for (int i = 0; i < ROTA_NSITES; i++) {
		struct tm tm;
		char local[32];
		int on = rota_zone_check(sites[i].zone) == 0 && rota_on_duty(&sites[i], o->now);
		if (rota_zone_check(sites[i].zone) == 0) {
			rota_utc_to_local(sites[i].zone, o->now, &tm);
			strftime(local, sizeof local, "%a %H:%M", &tm);
		} else {
			snprintf(local, sizeof local, "?");
		}
		any |= on;
		buf_adds(b, "<tr><td>");
		esc(b, sites[i].name);
		buf_adds(b, "</td><td>");
		esc(b, local);
		outf(b, "</td><td class=\"%s\">%s</td><td dir=\"auto\">", on ? "primary" : "none",
		     on ? "on duty" : "off");
		int k = 0;
		for (size_t p = 0; p < n && on; p++) {
			if (strcmp(people[p].site, sites[i].name) != 0 ||
			    deploy_booked_at(&people[p], o->now) ||
			    deploy_away_at(&people[p], o->now))
				continue;
			buf_adds(b, k++ ? ", " : "");
			esc(b, people[p].name);
		}
		if (on && !k)
			buf_adds(b, "-");
		buf_adds(b, "</td></tr>\n");
	}
	free(people);
	buf_adds(b, "</tbody></table>");
	if (!any)
		buf_adds(b, "<p class=\"stale\">No site is at work now by office hours.</p>");
	buf_adds(b, "</section>\n");
	return 0;
}

int board_render(struct store *s, const struct board_opts *o, struct buf *out)
{
	char now[RFC3339_LEN];
	int rc;
	clock_format(o->now, now);
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
	if (o->refresh > 0)
		outf(out, "<meta http-equiv=\"refresh\" content=\"%d\">\n", o->refresh);
	buf_adds(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>Operations board: ");
	esc(out, store_site(s));
	buf_adds(out, "</title>\n<style>");
	buf_adds(out, STYLE);
	buf_adds(out, "</style>\n</head>\n<body>\n<header><h1>Operations board</h1><p>Site ");
	esc(out, store_site(s));
	outf(out, ", written %s", now);
	if (o->refresh > 0)
		outf(out, ", reloads every %d s", o->refresh);
	buf_adds(out, "</p></header>\n<main>\n");
	if ((rc = queue_section(s, o, out)) || (rc = cases_section(s, out)) ||
	    (rc = teams_section(s, out)) || (rc = sites_section(s, o, out)) ||
	    (rc = duty_section(s, o, out)))
		return rc;
	buf_adds(out, "</main>\n<footer>Map: Natural Earth 1:110m (public domain) through "
		      "world-atlas 2.0.2 (ISC, Michael Bostock). Written by ccc-board " CCC_VERSION
		      ".</footer>\n</body>\n</html>\n");
	return 0;
}

int board_write_file(const char *path, const char *data, size_t n)
{
	char *copy = xstrdup(path), *dir = dirname(copy);
	size_t tl = strlen(path) + 16;
	char *tmp = xmalloc(tl);
	struct stat sb;
	int fd = -1, rc = 0;
	tmp[0] = '\0';
	if (stat(dir, &sb) < 0) {
		warnx("cannot write '%s': folder '%s' %s", path, dir,
		      errno == ENOENT ? "does not exist" : strerror(errno));
		rc = CCC_EX_CANTCREAT;
		goto out;
	}
	if (!S_ISDIR(sb.st_mode)) {
		warnx("cannot write '%s': '%s' is not a folder", path, dir);
		rc = CCC_EX_CANTCREAT;
		goto out;
	}
	snprintf(tmp, tl, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		warnx("cannot write '%s': %s", path, strerror(errno));
		tmp[0] = '\0';
		rc = CCC_EX_CANTCREAT;
		goto out;
	}
	for (size_t done = 0; done < n;) {
		ssize_t w = write(fd, data + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			warnx("cannot write '%s': %s (left as it was)", path,
			      w < 0 ? strerror(errno) : "short write");
			rc = CCC_EX_IOERR;
			goto out;
		}
		done += (size_t)w;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
		warnx("cannot write '%s': %s (left as it was)", path, strerror(errno));
		rc = CCC_EX_IOERR;
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		warnx("cannot write '%s': %s (left as it was)", path, strerror(errno));
		rc = CCC_EX_IOERR;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		warnx("cannot write '%s': %s (left as it was)", path, strerror(errno));
		rc = CCC_EX_CANTCREAT;
		goto out;
	}
	tmp[0] = '\0';
	/* the rename itself survives a crash once the folder is synced */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
	if (fd >= 0)
		close(fd);
	if (rc && tmp[0])
		unlink(tmp);
	free(tmp);
	free(copy);
	return rc;
}
