/*
 * duty.c: the duty plan, who is on duty, and the proof of cover (duty.h).
 */
#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/duty.h"
#include "ccc/exit.h"
#include "ccc/ndjson.h"
#include "ccc/xmalloc.h"

/* ---- parsing ---- */

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int duty_parse_hhmm(const char *s, int *minutes)
{
	if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
	if (m > 59 || h > 24 || (h == 24 && m))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

static int day_index(const char *s, size_t n)
{
	for (int i = 0; i < 7; i++)
		if (n == 3 && !strncmp(s, day_names[i], 3))
			return i;
	return -1;
}

int duty_parse_days(const char *s, unsigned *mask)
{
	unsigned m = 0;
	const char *p = s;
	if (!*s)
		return -1;
	for (;;) {
		size_t n = strcspn(p, ",");
		const char *dash = memchr(p, '-', n);
		int a, b;
		if (dash) {
			a = day_index(p, (size_t)(dash - p));
			b = day_index(dash + 1, n - (size_t)(dash - p) - 1);
		} else {
			a = b = day_index(p, n);
		}
		if (a < 0 || b < 0)
			return -1;
		for (int i = a;; i = (i + 1) % 7) {
			m |= 1u << i;
			if (i == b)
				break;
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	*mask = m;
	return 0;
}

void duty_format_days(unsigned mask, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	if ((mask & 0x7f) == 0x7f) {
		snprintf(out, n, "mon-sun");
		return;
	}
	for (int i = 0; i < 7;) {
		if (!(mask & (1u << i))) {
			i++;
			continue;
		}
		int j = i;
		while (j + 1 < 7 && (mask & (1u << (j + 1))))
			j++;
		len +=
		    (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s%s%s", len ? "," : "",
				     day_names[i], j > i ? "-" : "", j > i ? day_names[j] : "");
		i = j + 1;
	}
}

/* A number and one unit letter from units; its multiplier in mult. */
static int number_unit(const char *s, const char *units, const long *mult, long max, long *out)
{
	char *end;
	if (!isdigit((unsigned char)*s))
		return -1;
	long v = strtol(s, &end, 10);
	const char *u = *end ? strchr(units, *end) : NULL;
	if (!u || end[1] || v < 0 || v > max)
		return -1;
	*out = v * mult[u - units];
	return 0;
}

int duty_parse_every(const char *s, int *days)
{
	static const long mult[] = {1, 7};
	long d;
	if (number_unit(s, "dw", mult, 3650, &d) < 0 || d < 1 || d > 3650)
		return -1;
	*days = (int)d;
	return 0;
}

int duty_parse_delay(const char *s, long *seconds)
{
	static const long mult[] = {1, 60, 3600};
	return number_unit(s, "smh", mult, 10000, seconds);
}

int duty_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 64 || !isalnum((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-' ||
		      s[i] == '_'))
			return 0;
	return 1;
}

int duty_parse_step(const char *s, long *seconds, char *target, size_t n)
{
	const char *colon = strchr(s, ':');
	char delay[16];
	if (!colon || (size_t)(colon - s) >= sizeof delay || strlen(colon + 1) >= n)
		return -1;
	memcpy(delay, s, (size_t)(colon - s));
	delay[colon - s] = '\0';
	if (duty_parse_delay(delay, seconds) < 0 || !duty_name_ok(colon + 1))
		return -1;
	strcpy(target, colon + 1);
	return 0;
}

long duty_days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's days_from_civil */
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* n digits of s as a number, or -1 when one is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + s[i] - '0';
	}
	return v;
}

int duty_parse_day(const char *s, long *day)
{
	/* digits only: sscanf would also take " 202-1-01" or "2026-+1-01" */
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	int y2, m2, d2;
	*day = duty_days_from_civil(y, m, d);
	civil_from_days(*day, &y2, &m2, &d2);
	return y2 == y && m2 == m && d2 == d ? 0 : -1;
}

/* One or two digits of *p (moved past them) as a number, or -1 (*p not
 * moved). */
static int hour_at(const char **p)
{
	const char *s = *p;
	if (!isdigit((unsigned char)s[0]))
		return -1;
	int n = isdigit((unsigned char)s[1]) ? 2 : 1;
	*p += n;
	return digits(s, n);
}

int duty_need_parse(struct duty_need *n, const char *spec)
{
	/* "HH-HH:N" in digits: no sign, space or number that overflows */
	const char *p = spec;
	int a = hour_at(&p), b = -1, v = -1;
	if (a >= 0 && *p == '-') {
		p++;
		b = hour_at(&p);
	}
	if (b >= 0 && *p == ':' && p[1] && strlen(p + 1) <= 4)
		v = digits(p + 1, (int)strlen(p + 1));
	if (a < 0 || a > 23 || b < 0 || b > 24 || v < 0 || v > 1000 || a == b % 24)
		return -1;
	for (int h = a; h != b % 24; h = (h + 1) % 24)
		if (n->need[h] < v)
			n->need[h] = v;
	return 0;
}

/* ---- time zones ---- */

/* Switch the process's time zone to zone; returns the old TZ (to restore). */
static char *zone_enter(const char *zone)
{
	const char *old = getenv("TZ");
	char *saved = old ? xstrdup(old) : NULL;
	setenv("TZ", zone, 1);
	tzset();
	return saved;
}

static void zone_leave(char *saved)
{
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
}

/* Inside a zone: the UTC time of local day (days since 1970) at minute. */
static time_t local_time(long day, int minute)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = m - 1,
			.tm_mday = d,
			.tm_hour = minute / 60,
			.tm_min = minute % 60,
			.tm_isdst = -1};
	return mktime(&tm);
}

static void local_text_in(time_t t, char *out, size_t n)
{
	struct tm tm;
	localtime_r(&t, &tm);
	long z = tm.tm_gmtoff, a = z < 0 ? -z : z;
	snprintf(out, n, "%04d-%02d-%02d %02d:%02d%c%02ld:%02ld", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, z < 0 ? '-' : '+', a / 3600 % 100,
		 a % 3600 / 60);
}

void duty_local_text(const char *zone, time_t t, char *out, size_t n)
{
	char *saved = zone_enter(zone);
	local_text_in(t, out, n);
	zone_leave(saved);
}

/* ---- the plan ---- */

struct occ {
	time_t from, to;
	long day; /* the local date it starts on */
};

struct shift {
	char *name, *site, *zone;
	int from, to, min;
	unsigned days;
	struct occ *occ;
	size_t nocc;
};

struct rotation {
	int shift;
	char **people;
	int npeople, every;
	long start;
};

enum { OV_ADD, OV_REPLACE, OV_SWAP };

struct override {
	int shift, kind;
	char *person, *other;
	time_t from, to;
};

struct role {
	char *role, *site, *person;
};

struct place {
	char *site, *zone;
};

struct duty_plan {
	struct place *place; /* the sites whose local times a gap shows */
	size_t nplace;
	struct shift *shift;
	size_t nshift;
	struct rotation *rot;
	size_t nrot;
	struct override *ov;
	size_t nov;
	struct role *role;
	size_t nrole;
	time_t span_from, span_to; /* the occurrences computed */
};

static const char *const SQL_SHIFTS =
    "SELECT name, site, time_zone, from_min, to_min, days, min_people FROM duty_shifts"
    " ORDER BY name";
static const char *const SQL_ROTATIONS =
    "SELECT shift, people, every_days, start_day FROM duty_rotations ORDER BY name";
static const char *const SQL_OVERRIDES =
    "SELECT shift, kind, person, other, from_at, to_at FROM duty_overrides ORDER BY n";
static const char *const SQL_PLACES =
    "SELECT name, time_zone FROM sites WHERE time_zone IS NOT NULL ORDER BY name";
static const char *const SQL_ROLES = "SELECT role, site, person FROM duty_roles ORDER BY 1, 2";

static char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	return v ? xstrdup((const char *)v) : NULL;
}

static int shift_index(const struct duty_plan *p, const char *name)
{
	for (size_t i = 0; i < p->nshift; i++)
		if (!strcmp(p->shift[i].name, name))
			return (int)i;
	return -1;
}

static int load_shifts(struct store *s, struct duty_plan *p)
{
	sqlite3_stmt *st = store_stmt(s, SQL_SHIFTS);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p->shift = xrealloc(p->shift, (p->nshift + 1) * sizeof *p->shift);
		p->shift[p->nshift++] = (struct shift){
		    .name = col(st, 0),
		    .site = col(st, 1),
		    .zone = col(st, 2),
		    .from = sqlite3_column_int(st, 3),
		    .to = sqlite3_column_int(st, 4),
		    .days = (unsigned)sqlite3_column_int(st, 5),
		    .min = sqlite3_column_int(st, 6),
		};
	}
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the shifts");
}

static int load_rotations(struct store *s, struct duty_plan *p)
{
	sqlite3_stmt *st = store_stmt(s, SQL_ROTATIONS);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int sh = shift_index(p, (const char *)sqlite3_column_text(st, 0));
		const char *people = (const char *)sqlite3_column_text(st, 1);
		long start;
		if (sh < 0 || !people ||
		    duty_parse_day((const char *)sqlite3_column_text(st, 3), &start) < 0)
			continue; /* a rotation of a removed shift */
		struct rotation r = {
		    .shift = sh, .every = sqlite3_column_int(st, 2), .start = start};
		jv a = jv_parse(people);
		if (jv_get_kind(a) == JV_KIND_ARRAY) {
			jv_array_foreach (a, i, e) {
				if (jv_get_kind(e) == JV_KIND_STRING) {
					r.people = xrealloc(r.people, (size_t)(r.npeople + 1) *
									  sizeof(char *));
					r.people[r.npeople++] = xstrdup(jv_string_value(e));
				}
				jv_free(e);
			}
		}
		jv_free(a);
		if (!r.npeople || r.every < 1) {
			free(r.people);
			continue;
		}
		p->rot = xrealloc(p->rot, (p->nrot + 1) * sizeof *p->rot);
		p->rot[p->nrot++] = r;
	}
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the rotations");
}

static int load_overrides(struct store *s, struct duty_plan *p)
{
	sqlite3_stmt *st = store_stmt(s, SQL_OVERRIDES);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int sh = shift_index(p, (const char *)sqlite3_column_text(st, 0));
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		time_t a, b;
		if (sh < 0 || !kind || clock_parse((const char *)sqlite3_column_text(st, 4), &a) ||
		    clock_parse((const char *)sqlite3_column_text(st, 5), &b))
			continue;
		p->ov = xrealloc(p->ov, (p->nov + 1) * sizeof *p->ov);
		p->ov[p->nov++] = (struct override){
		    .shift = sh,
		    .kind = !strcmp(kind, "swap")        ? OV_SWAP
			    : sqlite3_column_text(st, 3) ? OV_REPLACE
							 : OV_ADD,
		    .person = col(st, 2),
		    .other = col(st, 3),
		    .from = a,
		    .to = b,
		};
	}
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the overrides");
}

static int load_roles(struct store *s, struct duty_plan *p)
{
	sqlite3_stmt *st = store_stmt(s, SQL_ROLES);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p->role = xrealloc(p->role, (p->nrole + 1) * sizeof *p->role);
		p->role[p->nrole++] = (struct role){col(st, 0), col(st, 1), col(st, 2)};
	}
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, "reading the duty roles");
}

const char *duty_default_zone(const char *site)
{
	static const char *const known[][2] = {{"lyon", "Europe/Paris"},
					       {"buenos-aires", "America/Argentina/Buenos_Aires"},
					       {"singapore", "Asia/Singapore"}};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(known[i][0], site))
			return known[i][1];
	return NULL;
}

static void place_add(struct duty_plan *p, const char *site, const char *zone)
{
	for (size_t i = 0; i < p->nplace; i++)
		if (!strcmp(p->place[i].site, site))
			return;
	p->place = xrealloc(p->place, (p->nplace + 1) * sizeof *p->place);
	p->place[p->nplace++] = (struct place){xstrdup(site), xstrdup(zone)};
}

/* The sites a gap's local times are shown at: the shifts', the sites
 * table's, and the three of the room. */
static int load_places(struct store *s, struct duty_plan *p)
{
	for (size_t i = 0; i < p->nshift; i++)
		place_add(p, p->shift[i].site, p->shift[i].zone);
	sqlite3_stmt *st = store_stmt(s, SQL_PLACES);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		place_add(p, (const char *)sqlite3_column_text(st, 0),
			  (const char *)sqlite3_column_text(st, 1));
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "reading the sites");
	static const char *const room[] = {"lyon", "buenos-aires", "singapore"};
	for (size_t i = 0; i < 3; i++)
		place_add(p, room[i], duty_default_zone(room[i]));
	return 0;
}

int duty_plan_load(struct store *s, struct duty_plan **out)
{
	struct duty_plan *p = xcalloc(1, sizeof *p);
	int rc;
	if ((rc = load_shifts(s, p)) || (rc = load_rotations(s, p)) ||
	    (rc = load_overrides(s, p)) || (rc = load_roles(s, p)) || (rc = load_places(s, p))) {
		duty_plan_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void duty_plan_free(struct duty_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nshift; i++) {
		free(p->shift[i].name);
		free(p->shift[i].site);
		free(p->shift[i].zone);
		free(p->shift[i].occ);
	}
	for (size_t i = 0; i < p->nrot; i++) {
		for (int k = 0; k < p->rot[i].npeople; k++)
			free(p->rot[i].people[k]);
		free(p->rot[i].people);
	}
	for (size_t i = 0; i < p->nov; i++) {
		free(p->ov[i].person);
		free(p->ov[i].other);
	}
	for (size_t i = 0; i < p->nrole; i++) {
		free(p->role[i].role);
		free(p->role[i].site);
		free(p->role[i].person);
	}
	for (size_t i = 0; i < p->nplace; i++) {
		free(p->place[i].site);
		free(p->place[i].zone);
	}
	free(p->place);
	free(p->shift);
	free(p->rot);
	free(p->ov);
	free(p->role);
	free(p);
}

size_t duty_plan_shifts(const struct duty_plan *p)
{
	return p->nshift;
}

/* Each shift's occurrences that may touch [from, to), in time order. */
static void plan_span(struct duty_plan *p, time_t from, time_t to)
{
	if (p->span_to > p->span_from && from >= p->span_from && to <= p->span_to)
		return;
	p->span_from = from;
	p->span_to = to;
	long d0 = (long)(from / 86400) - 2, d1 = (long)(to / 86400) + 2;
	for (size_t i = 0; i < p->nshift; i++) {
		struct shift *sh = &p->shift[i];
		char *saved = zone_enter(sh->zone);
		free(sh->occ);
		sh->occ = xmalloc((size_t)(d1 - d0 + 1) * sizeof *sh->occ);
		sh->nocc = 0;
		for (long d = d0; d <= d1; d++) {
			int wd = (int)(((d % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
			if (!(sh->days & (1u << wd)))
				continue;
			time_t a = local_time(d, sh->from);
			time_t b =
			    sh->to > sh->from ? local_time(d, sh->to) : local_time(d + 1, sh->to);
			if (b <= a)
				continue;
			sh->occ[sh->nocc++] = (struct occ){a, b, d};
		}
		zone_leave(saved);
	}
}

/* The people of a list of names (no copies), without repeats. */
struct names {
	const char *v[64];
	int n;
};

static void names_add(struct names *x, const char *s)
{
	for (int i = 0; i < x->n; i++)
		if (!strcmp(x->v[i], s))
			return;
	if (x->n < 64)
		x->v[x->n++] = s;
}

static void names_swap(struct names *x, const char *a, const char *b)
{
	for (int i = 0; i < x->n; i++)
		if (!strcmp(x->v[i], a))
			x->v[i] = b;
		else if (b && !strcmp(x->v[i], b))
			x->v[i] = a;
}

/* Who works occurrence o of shift sh at t (t within it). */
static void staff_at(const struct duty_plan *p, int sh, const struct occ *o, time_t t,
		     struct names *out)
{
	struct names x = {.n = 0};
	for (size_t i = 0; i < p->nrot; i++) {
		const struct rotation *r = &p->rot[i];
		if (r->shift != sh || o->day < r->start)
			continue;
		names_add(&x, r->people[(o->day - r->start) / r->every % r->npeople]);
	}
	for (size_t i = 0; i < p->nov; i++) {
		const struct override *v = &p->ov[i];
		if (v->shift != sh || t < v->from || t >= v->to)
			continue;
		if (v->kind == OV_SWAP) {
			names_swap(&x, v->person, v->other);
		} else if (v->kind == OV_REPLACE) {
			for (int k = 0; k < x.n; k++)
				if (!strcmp(x.v[k], v->other))
					x.v[k] = v->person;
		}
	}
	for (size_t i = 0; i < p->nov; i++) {
		const struct override *v = &p->ov[i];
		if (v->shift == sh && v->kind == OV_ADD && t >= v->from && t < v->to)
			names_add(&x, v->person);
	}
	/* a swap or replacement may have made a repeat */
	out->n = 0;
	for (int k = 0; k < x.n; k++)
		names_add(out, x.v[k]);
}

/* The occurrence of shift sh at work at t, or NULL. */
static const struct occ *occ_at(const struct shift *sh, time_t t)
{
	size_t lo = 0, hi = sh->nocc;
	while (lo < hi) { /* the first that ends after t */
		size_t mid = (lo + hi) / 2;
		if (sh->occ[mid].to <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sh->nocc && sh->occ[lo].from <= t ? &sh->occ[lo] : NULL;
}

static const char *role_of(const struct duty_plan *p, const char *role, const char *site)
{
	for (size_t i = 0; i < p->nrole; i++)
		if (!strcmp(p->role[i].role, role) && !strcmp(p->role[i].site, site))
			return p->role[i].person;
	return NULL;
}

static jv names_jv(const struct names *x)
{
	jv a = jv_array();
	for (int i = 0; i < x->n; i++)
		a = jv_array_append(a, jv_string(x->v[i]));
	return a;
}

static jv opt_string(const char *s)
{
	return s ? jv_string(s) : jv_null();
}

static jv duty_record(const struct duty_plan *p, int sh, const struct occ *o, const char *state,
		      time_t t)
{
	const struct shift *x = &p->shift[sh];
	char a[RFC3339_LEN], b[RFC3339_LEN], la[40], lb[40], id[160];
	struct names people;
	staff_at(p, sh, o, state[0] == 'o' ? t : o->from, &people);
	clock_format(o->from, a);
	clock_format(o->to, b);
	duty_local_text(x->zone, o->from, la, sizeof la);
	duty_local_text(x->zone, o->to, lb, sizeof lb);
	snprintf(id, sizeof id, "duty-%s-%s", x->name, a);
	jv r = JV_OBJECT(jv_string("type"), jv_string("duty"), jv_string("v"),
			 jv_number(RECORD_VERSION), jv_string("id"), jv_string(id));
	r = jv_object_set(r, jv_string("state"), jv_string(state));
	r = jv_object_set(r, jv_string("shift"), jv_string(x->name));
	r = jv_object_set(r, jv_string("site"), jv_string(x->site));
	r = jv_object_set(r, jv_string("time_zone"), jv_string(x->zone));
	r = jv_object_set(r, jv_string("from"), jv_string(a));
	r = jv_object_set(r, jv_string("to"), jv_string(b));
	r = jv_object_set(r, jv_string("local_from"), jv_string(la));
	r = jv_object_set(r, jv_string("local_to"), jv_string(lb));
	r = jv_object_set(r, jv_string("people"), names_jv(&people));
	r = jv_object_set(r, jv_string("supervisor"),
			  opt_string(role_of(p, "supervisor", x->site)));
	return jv_object_set(r, jv_string("site_lead"),
			     opt_string(role_of(p, "site-lead", x->site)));
}

/* The earliest start after t of any shift, or 0. */
static time_t next_start(const struct duty_plan *p, time_t t)
{
	time_t best = 0;
	for (size_t i = 0; i < p->nshift; i++)
		for (size_t k = 0; k < p->shift[i].nocc; k++)
			if (p->shift[i].occ[k].from > t) {
				if (!best || p->shift[i].occ[k].from < best)
					best = p->shift[i].occ[k].from;
				break;
			}
	return best;
}

int duty_on_at(struct duty_plan *p, time_t t, jv *out)
{
	plan_span(p, t - 86400, t + 15 * 86400);
	jv a = jv_array();
	for (size_t i = 0; i < p->nshift; i++) {
		const struct occ *o = occ_at(&p->shift[i], t);
		if (o)
			a = jv_array_append(a, duty_record(p, (int)i, o, "on", t));
	}
	time_t next = next_start(p, t);
	for (size_t i = 0; next && i < p->nshift; i++)
		for (size_t k = 0; k < p->shift[i].nocc; k++)
			if (p->shift[i].occ[k].from == next)
				a = jv_array_append(
				    a, duty_record(p, (int)i, &p->shift[i].occ[k], "next", t));
	*out = a;
	return 0;
}

time_t duty_next_change(struct duty_plan *p, time_t t)
{
	time_t best = 0;
	plan_span(p, t - 86400, t + 15 * 86400);
	for (size_t i = 0; i < p->nshift; i++) {
		const struct occ *o = occ_at(&p->shift[i], t);
		if (o && (!best || o->to < best))
			best = o->to;
	}
	time_t next = next_start(p, t);
	if (next && (!best || next < best))
		best = next;
	for (size_t i = 0; i < p->nov; i++) {
		time_t e = p->ov[i].from > t ? p->ov[i].from : p->ov[i].to;
		if (e > t && (!best || e < best))
			best = e;
	}
	return best;
}

int duty_target_at(struct duty_plan *p, time_t t, const char *target, jv *people, jv *sites)
{
	struct names who = {.n = 0}, where = {.n = 0};
	plan_span(p, t - 86400, t + 86400);
	for (size_t i = 0; i < p->nshift; i++) {
		const struct occ *o = occ_at(&p->shift[i], t);
		if (!o)
			continue;
		names_add(&where, p->shift[i].site);
		if (!strcmp(target, "duty")) {
			struct names x;
			staff_at(p, (int)i, o, t, &x);
			for (int k = 0; k < x.n; k++)
				names_add(&who, x.v[k]);
		}
	}
	if (strcmp(target, "duty") != 0) {
		if (!where.n) /* nobody on duty: every site's holder */
			for (size_t i = 0; i < p->nrole; i++)
				names_add(&where, p->role[i].site);
		for (int k = 0; k < where.n; k++) {
			const char *r = role_of(p, target, where.v[k]);
			if (r)
				names_add(&who, r);
		}
	}
	*people = names_jv(&who);
	*sites = names_jv(&where);
	return 0;
}

void duty_sites_at(struct duty_plan *p, time_t t, const char **outgoing, const char **incoming,
		   time_t *since)
{
	const struct occ *first = NULL;
	*outgoing = *incoming = NULL;
	*since = t - 12 * 3600;
	plan_span(p, t - 86400, t + 15 * 86400);
	for (size_t i = 0; i < p->nshift; i++) {
		const struct occ *o = occ_at(&p->shift[i], t);
		if (o && (!first || o->to < first->to)) {
			first = o;
			*outgoing = p->shift[i].site;
			*since = o->from;
		}
	}
	time_t best = 0;
	for (size_t i = 0; i < p->nshift; i++) {
		if (*outgoing && !strcmp(p->shift[i].site, *outgoing))
			continue;
		for (size_t k = 0; k < p->shift[i].nocc; k++)
			if (p->shift[i].occ[k].from > t) {
				if (!best || p->shift[i].occ[k].from < best) {
					best = p->shift[i].occ[k].from;
					*incoming = p->shift[i].site;
				}
				break;
			}
	}
}

/* ---- coverage ---- */

static int by_time(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;
	return x < y ? -1 : x > y;
}

struct cuts {
	time_t *v;
	size_t n, cap;
};

static void cut(struct cuts *c, time_t t, time_t from, time_t to)
{
	if (t < from || t > to)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 1024;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = t;
}

/* One stretch of a kind (-1: a gap; else the shift that is short). */
struct stretch {
	int kind;
	time_t from, to;
	int need, have;
};

static jv stretch_record(const struct duty_plan *p, const struct stretch *x)
{
	char a[RFC3339_LEN], b[RFC3339_LEN];
	clock_format(x->from, a);
	clock_format(x->to, b);
	jv r = JV_OBJECT(jv_string("type"), jv_string("gap"), jv_string("v"),
			 jv_number(RECORD_VERSION), jv_string("kind"),
			 jv_string(x->kind < 0 ? "gap" : "short"));
	r = jv_object_set(r, jv_string("from"), jv_string(a));
	r = jv_object_set(r, jv_string("to"), jv_string(b));
	r = jv_object_set(r, jv_string("minutes"), jv_number((double)((x->to - x->from) / 60)));
	r = jv_object_set(r, jv_string("need"), jv_number(x->need));
	r = jv_object_set(r, jv_string("have"), jv_number(x->have));
	if (x->kind >= 0)
		r = jv_object_set(r, jv_string("shift"), jv_string(p->shift[x->kind].name));
	/* the local times at each site the plan knows */
	jv local = jv_array();
	for (size_t i = 0; i < p->nplace; i++) {
		char la[40], lb[40];
		duty_local_text(p->place[i].zone, x->from, la, sizeof la);
		duty_local_text(p->place[i].zone, x->to, lb, sizeof lb);
		local = jv_array_append(local,
					JV_OBJECT(jv_string("site"), jv_string(p->place[i].site),
						  jv_string("time_zone"),
						  jv_string(p->place[i].zone), jv_string("from"),
						  jv_string(la), jv_string("to"), jv_string(lb)));
	}
	return jv_object_set(r, jv_string("local"), local);
}

static int by_from(const void *a, const void *b)
{
	const struct stretch *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from ? 1 : x->kind - y->kind;
}

/* Add [from, to) of kind to the stretches, joined to the last one of its kind
 * when they touch. */
static void stretch_add(struct stretch **v, size_t *n, int kind, time_t from, time_t to, int need,
			int have)
{
	for (size_t i = *n; i-- > 0;) {
		if ((*v)[i].kind != kind)
			continue;
		if ((*v)[i].to == from && (*v)[i].need == need) {
			(*v)[i].to = to;
			if (have < (*v)[i].have)
				(*v)[i].have = have;
			return;
		}
		break;
	}
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = (struct stretch){kind, from, to, need, have};
}

/* How many people the busiest site has on duty at t; shifts short of their
 * own minimum go to the stretches. */
static int site_count_at(const struct duty_plan *p, time_t t, time_t until, struct stretch **v,
			 size_t *n)
{
	struct names sites = {.n = 0};
	int best = 0;
	for (size_t i = 0; i < p->nshift; i++)
		names_add(&sites, p->shift[i].site);
	for (int k = 0; k < sites.n; k++) {
		struct names all = {.n = 0};
		for (size_t i = 0; i < p->nshift; i++) {
			if (strcmp(p->shift[i].site, sites.v[k]) != 0)
				continue;
			const struct occ *o = occ_at(&p->shift[i], t);
			if (!o)
				continue;
			struct names x;
			staff_at(p, (int)i, o, t, &x);
			if (x.n < p->shift[i].min)
				stretch_add(v, n, (int)i, t, until, p->shift[i].min, x.n);
			for (int j = 0; j < x.n; j++)
				names_add(&all, x.v[j]);
		}
		if (all.n > best)
			best = all.n;
	}
	return best;
}

int duty_coverage(struct duty_plan *p, time_t from, time_t to, const struct duty_need *need,
		  jv *gaps, long *covered)
{
	struct cuts c = {0};
	struct stretch *v = NULL;
	size_t nv = 0;
	*covered = 0;
	plan_span(p, from, to);
	cut(&c, from, from, to);
	cut(&c, to, from, to);
	for (size_t i = 0; i < p->nshift; i++)
		for (size_t k = 0; k < p->shift[i].nocc; k++) {
			cut(&c, p->shift[i].occ[k].from, from, to);
			cut(&c, p->shift[i].occ[k].to, from, to);
		}
	for (size_t i = 0; i < p->nov; i++) {
		cut(&c, p->ov[i].from, from, to);
		cut(&c, p->ov[i].to, from, to);
	}
	for (time_t h = from - from % 3600; h < to; h += 3600) {
		int hr = (int)(h / 3600 % 24);
		if (need->need[hr] != need->need[(hr + 23) % 24])
			cut(&c, h, from, to);
	}
	qsort(c.v, c.n, sizeof *c.v, by_time);
	for (size_t k = 0; k + 1 < c.n; k++) {
		time_t t = c.v[k], u = c.v[k + 1];
		if (t == u)
			continue;
		int want = need->need[t / 3600 % 24];
		want = want < 1 ? 1 : want;
		int have = site_count_at(p, t, u, &v, &nv);
		if (have < want)
			stretch_add(&v, &nv, -1, t, u, want, have);
		else
			*covered += (long)((u - t) / 60);
	}
	if (nv)
		qsort(v, nv, sizeof *v, by_from);
	jv out = jv_array();
	for (size_t i = 0; i < nv; i++)
		out = jv_array_append(out, stretch_record(p, &v[i]));
	free(v);
	free(c.v);
	*gaps = out;
	return 0;
}
