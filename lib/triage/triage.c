/*
 * triage.c: the default triage rules (see triage.h for the rules in order).
 *
 * Per message: fold the texts into one buffer (on the stack unless large),
 * one lexicon scan, then a vote for the category, a second look at the
 * signals now that the category (and so the scope of scoped signals) is
 * known, small parsers for durations and clock times after their trigger
 * phrases, CAP and check hits, and the priority matrix.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ccc/clock.h"
#include "ccc/json.h"
#include "ccc/lang.h"
#include "ccc/lexicon.h"
#include "ccc/textfold.h"
#include "ccc/triage.h"
#include "ccc/tzcountry.h"

#define MAX_MATCHES          1024 /* some 60 kB of prose; phrases past that are not seen */
#define MAX_REASONS          24
#define STACK_TEXT           8192
#define TRAVEL_REACH         40   /* bytes from a departure phrase to its clock time */
#define IMMEDIATE_MINUTES    120  /* a duration up to this is Immediate */
#define EXPECTED_MINUTES     1440 /* up to this Expected, beyond it Future */
#define RECENT_MINUTES       180  /* "hace media hora": Immediate up to this */
#define MAX_STATED           16   /* times stated in one message that are looked at */
#define SHORT_DEADLINE       3600 /* seconds: a deadline closer than this is at least P2 */
#define MAX_DEADLINE_MINUTES (366.0 * 1440) /* a stated duration longer than a year is none */
#define DAY_DEADLINE         86400          /* seconds: a deadline within this is at least P2 */
#define NEG_REACH            5              /* words from a negation to the phrase it negates */
#define MINOR_REACH          200            /* bytes between a minor and "missing" said of them */
#define CAP_STALE            (7 * 86400)    /* a CAP alert with no expiry older than this is over */
#define EXPIRED_GRACE        900 /* seconds: a deadline this close before arrival is not over */
#define DATE_WORDS           6   /* words looked back from a clock time for its date */

struct triage_rules {
	const struct triage_phrase *p;
	size_t n;
	struct lexicon *lx;
};

/* CAP scales, ordered so that a larger value is more pressing. */
enum urgency { U_UNKNOWN, U_PAST, U_FUTURE, U_EXPECTED, U_IMMEDIATE };
enum severity { S_UNKNOWN, S_MINOR, S_MODERATE, S_SEVERE, S_EXTREME };
enum certainty { C_UNKNOWN, C_UNLIKELY, C_POSSIBLE, C_LIKELY, C_OBSERVED };

static const char *const urgency_names[] = {"Unknown", "Past", "Future", "Expected", "Immediate"};
static const char *const severity_names[] = {"Unknown", "Minor", "Moderate", "Severe", "Extreme"};
static const char *const certainty_names[] = {"Unknown", "Unlikely", "Possible", "Likely",
					      "Observed"};

static const char *const category_names[TRIAGE_NCATEGORY] = {
    "general",  "terrorism",  "fugitive", "missing_child",     "trafficking", "drugs",
    "firearms", "cybercrime", "disaster", "cultural_property", "maritime",
};

/* Severity of a message of each category before any signal. */
static const unsigned char base_severity[TRIAGE_NCATEGORY] = {
    S_UNKNOWN,  S_MODERATE, S_MODERATE, S_SEVERE, S_MODERATE, S_MODERATE,
    S_MODERATE, S_MODERATE, S_SEVERE,   S_MINOR,  S_MODERATE,
};

/* Priority (1..4) by [urgency][severity]. */
/* clang-format off */
static const unsigned char priority_matrix[5][5] = {
	/*               Unknown Minor Moderate Severe Extreme */
	[U_UNKNOWN]   = {4,      3,    3,       2,     1},
	[U_PAST]      = {4,      4,    4,       4,     4},
	[U_FUTURE]    = {4,      3,    3,       3,     2},
	[U_EXPECTED]  = {3,      3,    2,       2,     1},
	[U_IMMEDIATE] = {3,      2,    1,       1,     1},
};
/* clang-format on */

static const char *const signal_tags[TRIAGE_NSIGNAL] = {
    [TRIAGE_SIG_NONE] = "lexicon",
    [TRIAGE_SIG_IMMEDIATE] = "urgency:immediate",
    [TRIAGE_SIG_EXPECTED] = "urgency:expected",
    [TRIAGE_SIG_FUTURE] = "urgency:future",
    [TRIAGE_SIG_PAST] = "past",
    [TRIAGE_SIG_RESOLVED] = "resolved",
    [TRIAGE_SIG_HOAX] = "hoax",
    [TRIAGE_SIG_INFO] = "info",
    [TRIAGE_SIG_REQUEST] = "request",
    [TRIAGE_SIG_EXTREME] = "severity:extreme",
    [TRIAGE_SIG_SEVERE] = "severity:severe",
    [TRIAGE_SIG_OBSERVED] = "certainty:observed",
    [TRIAGE_SIG_POSSIBLE] = "certainty:possible",
    [TRIAGE_SIG_CALM] = "calm",
    [TRIAGE_SIG_TRAVEL] = "travel",
    [TRIAGE_SIG_TIME_IN] = "time:in",
    [TRIAGE_SIG_TIME_AT] = "time:at",
    [TRIAGE_SIG_TIME_AT_HOUR] = "time:at",
    [TRIAGE_SIG_TIME_AGO] = "time:ago",
    [TRIAGE_SIG_BLOCK] = "block",
};

const char *triage_category_name(enum triage_category c)
{
	return (unsigned)c < TRIAGE_NCATEGORY ? category_names[c] : "general";
}

const char *triage_priority_name(int priority)
{
	static const char *const names[] = {"P1", "P2", "P3", "P4"};
	return priority >= 1 && priority <= 4 ? names[priority - 1] : "P4";
}

/* ---- rules ---- */

struct triage_rules *triage_rules_new(const struct triage_phrase *p, size_t n)
{
	struct triage_rules *r = calloc(1, sizeof *r);

	if (!r || !(r->lx = lexicon_new()))
		goto fail;
	r->p = p;
	r->n = n;
	for (size_t i = 0; i < n; i++) {
		unsigned flags = 0, sig = p[i].signal;
		if (strcmp(p[i].lang, "ar") == 0)
			flags = LEXICON_AR_PREFIX | LEXICON_AR_SUFFIX;
		else if (sig < TRIAGE_SIG_TIME_IN || sig > TRIAGE_SIG_TIME_AGO)
			flags = LEXICON_PLURAL;
		if (p[i].category >= TRIAGE_NCATEGORY || p[i].scope >= TRIAGE_NCATEGORY ||
		    sig >= TRIAGE_NSIGNAL || lexicon_add(r->lx, p[i].text, flags, (int)i) < 0)
			goto fail;
	}
	if (lexicon_build(r->lx) < 0)
		goto fail;
	return r;
fail:
	triage_rules_free(r);
	return NULL;
}

void triage_rules_free(struct triage_rules *r)
{
	if (!r)
		return;
	lexicon_free(r->lx);
	free(r);
}

static struct triage_rules *default_rules;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void build_default(void)
{
	default_rules = triage_rules_new(triage_phrases, triage_nphrases);
}

const struct triage_rules *triage_rules_default(void)
{
	pthread_once(&default_once, build_default);
	return default_rules;
}

void triage_config_init(struct triage_config *cfg)
{
	cfg->due_seconds[0] = 15 * 60;
	cfg->due_seconds[1] = 60 * 60;
	cfg->due_seconds[2] = 8 * 3600;
	cfg->due_seconds[3] = 72 * 3600;
	cfg->rules = NULL;
}

/* "15m", "1h", "72h", "900s", "900" → seconds, or -1. */
static long due_duration(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || v <= 0)
		return -1;
	switch (*end) {
	case '\0':
	case 's': break;
	case 'm': v *= 60; break;
	case 'h': v *= 3600; break;
	case 'd': v *= 86400; break;
	default: return -1;
	}
	if (*end && end[1])
		return -1;
	return v;
}

int triage_config_parse_due(struct triage_config *cfg, const char *arg)
{
	char *copy = strdup(arg), *save = NULL;
	int ok = 1;
	for (char *p = strtok_r(copy, ",", &save); p && ok; p = strtok_r(NULL, ",", &save)) {
		long secs;
		if (strlen(p) < 4 || p[0] != 'P' || p[1] < '1' || p[1] > '4' || p[2] != '=' ||
		    (secs = due_duration(p + 3)) < 0)
			ok = 0;
		else
			cfg->due_seconds[p[1] - '1'] = secs;
	}
	free(copy);
	return ok ? 0 : -1;
}

/* ---- durations and clock times, on folded text ---- */

/* The word at t[*i..) after spaces: sets [*ws, *we); returns its length. */
static size_t next_word(const char *t, size_t n, size_t *i, size_t *ws, size_t *we)
{
	size_t k = *i;

	while (k < n && (t[k] == ' ' || t[k] == '\'')) /* "dans l'heure" */
		k++;
	*ws = k;
	while (k < n && textfold_word_byte((unsigned char)t[k]))
		k++;
	*we = k;
	*i = k;
	return k - *ws;
}

static int word_is(const char *t, size_t ws, size_t we, const char *w)
{
	if (we == ws || t[ws] != w[0]) /* most words differ at once: no strlen */
		return 0;
	size_t l = strlen(w);
	return we - ws == l && memcmp(t + ws, w, l) == 0;
}

static int word_in(const char *t, size_t ws, size_t we, const char *const *set)
{
	for (; *set; set++)
		if (word_is(t, ws, we, *set))
			return 1;
	return 0;
}

static const char *const duration_fillers[] = {
    "the", "next", "coming",   "following", "les",        "prochaines", "prochains",
    "las", "los",  "proximas", "proximos",  "siguientes", "l", /* "dans l'heure" */
    NULL,
};

struct number_word {
	const char *w;
	double v;
};
static const struct number_word number_words[] = {
    {"a", 1},        {"an", 1},      {"one", 1},      {"un", 1},      {"une", 1},    {"una", 1},
    {"uno", 1},      {"two", 2},     {"deux", 2},     {"dos", 2},     {"three", 3},  {"trois", 3},
    {"tres", 3},     {"four", 4},    {"quatre", 4},   {"cuatro", 4},  {"five", 5},   {"cinq", 5},
    {"cinco", 5},    {"six", 6},     {"seis", 6},     {"ten", 10},    {"dix", 10},   {"diez", 10},
    {"fifteen", 15}, {"quinze", 15}, {"quince", 15},  {"twenty", 20}, {"vingt", 20}, {"veinte", 20},
    {"thirty", 30},  {"trente", 30}, {"treinta", 30}, {"half", 0.5},  {"demi", 0.5}, {"media", 0.5},
    {"medio", 0.5},  {"few", 3},     {"quelques", 3}, {"unas", 3},    {"unos", 3},   {"algunas", 3},
    {"واحد", 1},     {"واحده", 1},   {"نصف", 0.5},    {"ثلاث", 3},    {"ثلاثه", 3},  {"اربع", 4},
    {"اربعه", 4},    {"خمس", 5},     {"خمسه", 5},     {"عشر", 10},    {"عشره", 10},  {NULL, 0},
};

struct unit_word {
	const char *w;
	int minutes;
	int implied; /* count when no number is given: 1 singular, 2 dual, 3 plural ("hours") */
};
static const struct unit_word unit_words[] = {
    {"minute", 1, 1},      {"minutes", 1, 3},      {"min", 1, 1},         {"mins", 1, 3},
    {"minuto", 1, 1},      {"minutos", 1, 3},      {"دقيقه", 1, 1},       {"دقائق", 1, 3},
    {"دقيقتين", 1, 2},     {"hour", 60, 1},        {"hours", 60, 3},      {"hr", 60, 1},
    {"hrs", 60, 3},        {"h", 60, 1},           {"heure", 60, 1},      {"heures", 60, 3},
    {"hora", 60, 1},       {"horas", 60, 3},       {"ساعه", 60, 1},       {"ساعات", 60, 3},
    {"ساعتين", 60, 2},     {"day", 1440, 1},       {"days", 1440, 3},     {"jour", 1440, 1},
    {"jours", 1440, 3},    {"dia", 1440, 1},       {"dias", 1440, 3},     {"يوم", 1440, 1},
    {"ايام", 1440, 3},     {"يومين", 1440, 2},     {"week", 10080, 1},    {"weeks", 10080, 3},
    {"semaine", 10080, 1}, {"semaines", 10080, 3}, {"semana", 10080, 1},  {"semanas", 10080, 3},
    {"اسبوع", 10080, 1},   {"اسابيع", 10080, 3},   {"اسبوعين", 10080, 2}, {"month", 43200, 1},
    {"months", 43200, 3},  {"mois", 43200, 1},     {"mes", 43200, 1},     {"meses", 43200, 3},
    {"شهر", 43200, 1},     {"اشهر", 43200, 3},     {"شهور", 43200, 3},    {"شهرين", 43200, 2},
    {NULL, 0, 0},
};

static const struct unit_word *find_unit(const char *t, size_t ws, size_t we)
{
	/* Arabic article: "الساعات" is "ساعات" */
	if (we - ws > 4 && memcmp(t + ws, "ال", 4) == 0) {
		const struct unit_word *u = find_unit(t, ws + 4, we);
		if (u)
			return u;
	}
	for (const struct unit_word *u = unit_words; u->w; u++)
		if (word_is(t, ws, we, u->w))
			return u;
	return NULL;
}

/* Digits (with a decimal part after '.' or ',') at t[*i..); returns -1 if none. */
static double read_number(const char *t, size_t n, size_t *i)
{
	size_t k = *i;
	double v = 0;

	if (k >= n || t[k] < '0' || t[k] > '9')
		return -1;
	while (k < n && t[k] >= '0' && t[k] <= '9')
		v = v * 10 + (t[k++] - '0');
	if (k + 1 < n && (t[k] == '.' || t[k] == ',') && t[k + 1] >= '0' && t[k + 1] <= '9') {
		double f = 0.1;
		for (k++; k < n && t[k] >= '0' && t[k] <= '9'; k++, f /= 10)
			v += (t[k] - '0') * f;
	}
	*i = k;
	return v;
}

/*
 * A duration starting at t[pos] ("2 hours", "the next 30 minutes", "une demi
 * heure", "ساعتين", "48h"). Returns minutes and sets *end, or -1.
 */
static double parse_duration(const char *t, size_t n, size_t pos, size_t *end)
{
	size_t i = pos, ws, we;
	double num = 1;
	int have_num = 0;

	for (int k = 0; k < 6; k++) {
		if (!next_word(t, n, &i, &ws, &we))
			return -1;
		if (word_in(t, ws, we, duration_fillers))
			continue;
		if (t[ws] >= '0' && t[ws] <= '9') {
			size_t d = ws;
			double v = read_number(t, n, &d);
			if (have_num)
				return -1;
			num *= v;
			have_num = 1;
			if (d < we) { /* "48h", "30min" */
				ws = d;
				break;
			}
			continue;
		}
		const struct number_word *nw = number_words;
		while (nw->w && !word_is(t, ws, we, nw->w))
			nw++;
		if (!nw->w)
			break;
		num *= nw->v;
		have_num = 1;
	}
	const struct unit_word *u = find_unit(t, ws, we);
	if (!u)
		return -1;
	*end = we;
	return (have_num ? num : u->implied) * u->minutes;
}

static const char *const clock_suffixes[] = {
    "am",    "pm",     "h",     "hrs",   "hr",   "utc", "gmt",   "z",
    "local", "heures", "heure", "horas", "hora", "hs",  "hours", NULL,
};

static const char *const utc_suffixes[] = {"utc", "gmt", "z", NULL};

/*
 * A clock time starting at t[pos]: "14:30", "14h30", "22h", "9 pm", "0900 hrs",
 * and a bare hour ("9") when bare_ok. Returns the minute of the day and sets
 * *end, and *utc when it says UTC ("14:30 UTC", "1430z"), or -1.
 */
static int parse_clock(const char *t, size_t n, size_t pos, int bare_ok, size_t *end, int *utc)
{
	size_t i = pos, d, ws, we;
	int h, m = 0, strong = 0;

	while (i < n && t[i] == ' ')
		i++;
	d = i;
	while (d < n && t[d] >= '0' && t[d] <= '9' && d - i < 5)
		d++;
	if (d == i || d - i > 4)
		return -1;
	if (d - i >= 3) { /* HHMM, only with a suffix */
		h = (d - i == 3 ? t[i] - '0' : (t[i] - '0') * 10 + t[i + 1] - '0');
		m = (t[d - 2] - '0') * 10 + t[d - 1] - '0';
	} else {
		h = d - i == 1 ? t[i] - '0' : (t[i] - '0') * 10 + t[i + 1] - '0';
		if (d < n && (t[d] == ':' || t[d] == 'h' || t[d] == '.')) {
			char sep = t[d];
			if (d + 2 < n && t[d + 1] >= '0' && t[d + 1] <= '5' && t[d + 2] >= '0' &&
			    t[d + 2] <= '9' &&
			    (d + 3 == n || !textfold_word_byte((unsigned char)t[d + 3]))) {
				m = (t[d + 1] - '0') * 10 + t[d + 2] - '0';
				d += 3;
				strong = 1;
			} else if (sep == 'h' &&
				   (d + 1 == n || !textfold_word_byte((unsigned char)t[d + 1]))) {
				d += 1;
				strong = 1;
			}
		}
	}
	if (d < n && textfold_word_byte((unsigned char)t[d]))
		return -1; /* "3rd", "2023x" */
	i = d;
	*utc = 0;
	if (next_word(t, n, &i, &ws, &we) && word_in(t, ws, we, clock_suffixes)) {
		strong = 1;
		d = we;
		*utc = word_in(t, ws, we, utc_suffixes);
	}
	if (h > 24 || m > 59 || (!strong && !bare_ok))
		return -1;
	*end = d;
	return (h % 24) * 60 + m;
}

/* ---- dates ---- */

struct month_word {
	const char *w;
	int month; /* 1..12 */
};
static const struct month_word month_words[] = {
    {"january", 1},      {"jan", 1},          {"janvier", 1},      {"enero", 1},
    {"يناير", 1},        {"كانون الثاني", 1}, {"february", 2},     {"feb", 2},
    {"fevrier", 2},      {"febrero", 2},      {"فبراير", 2},       {"شباط", 2},
    {"march", 3},        {"mar", 3},          {"mars", 3},         {"marzo", 3},
    {"مارس", 3},         {"اذار", 3},         {"april", 4},        {"apr", 4},
    {"avril", 4},        {"abril", 4},        {"ابريل", 4},        {"نيسان", 4},
    {"may", 5},          {"mai", 5},          {"mayo", 5},         {"مايو", 5},
    {"ماي", 5},          {"ايار", 5},         {"june", 6},         {"jun", 6},
    {"juin", 6},         {"junio", 6},        {"يونيو", 6},        {"حزيران", 6},
    {"july", 7},         {"jul", 7},          {"juillet", 7},      {"julio", 7},
    {"يوليو", 7},        {"يوليوز", 7},       {"تموز", 7},         {"august", 8},
    {"aug", 8},          {"aout", 8},         {"agosto", 8},       {"اغسطس", 8},
    {"غشت", 8},          {"اب", 8},           {"september", 9},    {"sep", 9},
    {"sept", 9},         {"septembre", 9},    {"septiembre", 9},   {"setiembre", 9},
    {"سبتمبر", 9},       {"شتنبر", 9},        {"ايلول", 9},        {"october", 10},
    {"oct", 10},         {"octobre", 10},     {"octubre", 10},     {"اكتوبر", 10},
    {"تشرين الاول", 10}, {"november", 11},    {"nov", 11},         {"novembre", 11},
    {"noviembre", 11},   {"نوفمبر", 11},      {"نونبر", 11},       {"تشرين الثاني", 11},
    {"december", 12},    {"dec", 12},         {"decembre", 12},    {"diciembre", 12},
    {"ديسمبر", 12},      {"دجنبر", 12},       {"كانون الاول", 12}, {NULL, 0},
};

static const char *const date_fillers[] = {
    "le", "la", "el", "del", "de", "the", "on", "l", "تاريخ", "يوم", NULL,
};

/* A month name at t[*i..); its number, and *i past it; 0 when none. */
static int read_month(const char *t, size_t n, size_t *i)
{
	size_t k = *i, ws, we;
	if (!next_word(t, n, &k, &ws, &we))
		return 0;
	for (const struct month_word *m = month_words; m->w; m++) {
		if (t[ws] != m->w[0])
			continue;
		size_t l = strlen(m->w);
		if (ws + l <= n && memcmp(t + ws, m->w, l) == 0 &&
		    (ws + l == n || !textfold_word_byte((unsigned char)t[ws + l]))) {
			*i = ws + l;
			return m->month;
		}
	}
	return 0;
}

/* A whole number of 1 to 4 digits at t[*i..) after spaces; -1 when none. */
static int read_int(const char *t, size_t n, size_t *i)
{
	size_t k = *i, d;
	int v = 0;
	while (k < n && t[k] == ' ')
		k++;
	for (d = k; d < n && d - k < 5 && t[d] >= '0' && t[d] <= '9'; d++)
		v = v * 10 + (t[d] - '0');
	if (d == k || d - k > 4)
		return -1;
	*i = d;
	return v;
}

/*
 * A date at t[pos] ("12 March 2026", "March 12", "le 12 mars", "el 12 de
 * marzo", "12 مارس", "12/03/2026", "2026-03-12"): the end of that day (UTC),
 * and *end past it; 0 when none. A date without a year is the one nearest
 * to start.
 */
static time_t parse_date(const char *t, size_t n, size_t pos, time_t start, size_t *end)
{
	size_t i = pos, ws, we;
	int d = -1, mo = 0, y = -1;

	while (i < n && (t[i] == ' ' || t[i] == ':'))
		i++;                  /* "Expires: 2026-03-09" */
	for (int k = 0; k < 3; k++) { /* "le", "el", "the" */
		size_t j = i;
		if (next_word(t, n, &j, &ws, &we) && word_in(t, ws, we, date_fillers))
			i = j;
		else
			break;
	}
	size_t j = i;
	int a = read_int(t, n, &j);
	if (a >= 1000) { /* 2026-03-12, folded "2026 03 12" */
		y = a;
		mo = read_int(t, n, &j);
		d = read_int(t, n, &j);
	} else if (a >= 1 && j < n && t[j] == '/') { /* 12/03/2026 */
		d = a;
		j++;
		mo = read_int(t, n, &j);
		if (j < n && t[j] == '/') {
			j++;
			y = read_int(t, n, &j);
		}
	} else if (a >= 1) { /* 12 March 2026, 12 de marzo de 2026 */
		d = a;
		size_t k = j;
		if (next_word(t, n, &k, &ws, &we) && word_is(t, ws, we, "de"))
			j = k;
		if (!(mo = read_month(t, n, &j)))
			return 0;
		k = j;
		if (next_word(t, n, &k, &ws, &we) && word_is(t, ws, we, "de"))
			j = k;
		k = j;
		int yy = read_int(t, n, &k);
		if (yy >= 1900) {
			y = yy;
			j = k;
		}
	} else if ((mo = read_month(t, n, &j))) { /* March 12, 2026 */
		d = read_int(t, n, &j);
		size_t k = j;
		while (k < n && (t[k] == ',' || t[k] == ' '))
			k++;
		int yy = read_int(t, n, &k);
		if (yy >= 1900) {
			y = yy;
			j = k;
		}
	}
	if (d < 1 || d > 31 || mo < 1 || mo > 12 || (y >= 0 && (y < 1900 || y > 2200)))
		return 0;
	if (j < n && textfold_word_byte((unsigned char)t[j]) && y < 0)
		return 0; /* "12 marsh" */
	struct tm s;
	gmtime_r(&start, &s);
	struct tm tm = {.tm_year = (y >= 0 ? y : s.tm_year + 1900) - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = 23,
			.tm_min = 59,
			.tm_sec = 59};
	time_t when = timegm(&tm);
	if (y < 0 && when < start - 183 * 86400) { /* "12 January" said in December */
		tm.tm_year++;
		when = timegm(&tm);
	}
	*end = j;
	return when;
}

/* ---- the message's parts ---- */

struct cap_values {
	int present;
	enum urgency u;
	enum severity s;
	enum certainty c;
	int disaster;   /* a CAP category of Geo, Met, Fire, Env, Rescue or Infra */
	int cancel;     /* msgType Cancel */
	time_t expires; /* when its last info block expires; 0: one never does */
	time_t sent;    /* its "sent", else the message's sent_at; 0: unknown */
};

static int scale_value(const char *s, const char *const *names, int n)
{
	if (!s)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	if (strcasecmp(s, "Very Likely") == 0 && names == certainty_names)
		return C_LIKELY;
	return -1;
}

/* Read cap.info[]: the most urgent block (then the most severe) gives the values. */
static void read_cap(jv msg, struct cap_values *cv)
{
	jv cap = jv_object_get(jv_copy(msg), jv_string("cap"));

	memset(cv, 0, sizeof *cv);
	if (jv_get_kind(cap) != JV_KIND_OBJECT)
		goto out;
	const char *mt = jv_get_str(cap, "msg_type");
	if (!mt)
		mt = jv_get_str(cap, "msgType");
	cv->cancel = mt && strcasecmp(mt, "Cancel") == 0;
	jv info = jv_object_get(jv_copy(cap), jv_string("info"));
	if (jv_get_kind(info) == JV_KIND_OBJECT)
		info = jv_array_append(jv_array(), info);
	if (jv_get_kind(info) == JV_KIND_ARRAY) {
		int len = jv_array_length(jv_copy(info));
		for (int i = 0; i < len; i++) {
			jv b = jv_array_get(jv_copy(info), i);
			int u = scale_value(jv_get_str(b, "urgency"), urgency_names, 5);
			int s = scale_value(jv_get_str(b, "severity"), severity_names, 5);
			int c = scale_value(jv_get_str(b, "certainty"), certainty_names, 5);
			if (u >= 0 || s >= 0 || c >= 0) {
				u = u < 0 ? U_UNKNOWN : u;
				s = s < 0 ? S_UNKNOWN : s;
				c = c < 0 ? C_UNKNOWN : c;
				if (!cv->present || u > (int)cv->u ||
				    (u == (int)cv->u && s > (int)cv->s)) {
					cv->u = u;
					cv->s = s;
					cv->c = c;
				}
				cv->present = 1;
			}
			jv cats = jv_object_get(jv_copy(b), jv_string("category"));
			if (jv_get_kind(cats) == JV_KIND_STRING)
				cats = jv_array_append(jv_array(), cats);
			if (jv_get_kind(cats) == JV_KIND_ARRAY) {
				static const char *const dis[] = {"Geo",    "Met",   "Fire", "Env",
								  "Rescue", "Infra", NULL};
				jv_array_foreach (cats, k, cat) {
					if (jv_get_kind(cat) == JV_KIND_STRING)
						for (const char *const *d = dis; *d; d++)
							if (strcasecmp(jv_string_value(cat), *d) ==
							    0)
								cv->disaster = 1;
					jv_free(cat);
				}
			}
			jv_free(cats);
			jv_free(b);
		}
	}
	jv_free(info);
	cv->expires = triage_cap_expires(msg);
	const char *sent = jv_get_str(cap, "sent");
	if (!sent || clock_parse(sent, &cv->sent) < 0)
		cv->sent = 0;
out:
	jv_free(cap);
}

time_t triage_cap_expires(jv msg)
{
	jv cap = jv_object_get(jv_copy(msg), jv_string("cap"));
	jv info = jv_get_kind(cap) == JV_KIND_OBJECT
		      ? jv_object_get(jv_copy(cap), jv_string("info"))
		      : jv_invalid();
	time_t last = 0;
	int forever = 0;
	if (jv_get_kind(info) == JV_KIND_OBJECT)
		info = jv_array_append(jv_array(), info);
	if (jv_get_kind(info) == JV_KIND_ARRAY) {
		jv_array_foreach (info, i, b) {
			const char *ex = jv_get_str(b, "expires");
			time_t t;
			if (ex && clock_parse(ex, &t) == 0) {
				if (t > last)
					last = t;
			} else {
				forever = 1;
			}
			jv_free(b);
		}
	}
	jv_free(info);
	jv_free(cap);
	return forever ? 0 : last;
}

struct notice_hit {
	int found;
	double score;
	char db[32], id[64], notice[96];
};

static int inactive_status(const char *s)
{
	static const char *const dead[] = {"cancelled", "canceled", "withdrawn", "expired",
					   "inactive",  "deleted",  NULL};
	if (!s)
		return 0;
	for (const char *const *d = dead; *d; d++)
		if (strcasecmp(s, *d) == 0)
			return 1;
	return 0;
}

/* The best-scoring check hit on an active notice, if any. */
static void read_checks(jv msg, struct notice_hit *nh)
{
	jv checks = jv_object_get(jv_copy(msg), jv_string("checks"));

	memset(nh, 0, sizeof *nh);
	if (jv_get_kind(checks) != JV_KIND_ARRAY)
		goto out;
	jv_array_foreach (checks, i, chk) {
		jv hits = jv_get_kind(chk) == JV_KIND_OBJECT
			      ? jv_object_get(jv_copy(chk), jv_string("hits"))
			      : jv_null();
		if (jv_get_kind(hits) == JV_KIND_ARRAY) {
			jv_array_foreach (hits, k, hit) {
				const char *notice = jv_get_str(hit, "notice");
				if (notice && *notice &&
				    !inactive_status(jv_get_str(hit, "status"))) {
					jv sc = jv_object_get(jv_copy(hit), jv_string("score"));
					double score = jv_get_kind(sc) == JV_KIND_NUMBER
							   ? jv_number_value(sc)
							   : 1.0;
					jv_free(sc);
					if (!nh->found || score > nh->score) {
						const char *db = jv_get_str(chk, "db");
						const char *id = jv_get_str(hit, "id");
						nh->found = 1;
						nh->score = score;
						snprintf(nh->db, sizeof nh->db, "%s",
							 db ? db : "check");
						snprintf(nh->id, sizeof nh->id, "%s", id ? id : "");
						snprintf(nh->notice, sizeof nh->notice, "%s",
							 notice);
					}
				}
				jv_free(hit);
			}
		}
		jv_free(hits);
		jv_free(chk);
	}
out:
	jv_free(checks);
}

/* The category a notice's colour points to, for a message without one. */
static enum triage_category notice_category(const char *notice)
{
	char low[96];
	size_t i;

	for (i = 0; notice[i] && i + 1 < sizeof low; i++)
		low[i] = (char)(notice[i] >= 'A' && notice[i] <= 'Z' ? notice[i] + 32 : notice[i]);
	low[i] = '\0';
	if (strstr(low, "yellow") || strstr(low, "jaune") || strstr(low, "amarilla"))
		return TRIAGE_MISSING_CHILD;
	if (strstr(low, "orange") || strstr(low, "naranja") || strstr(low, "special") ||
	    strstr(low, "spéciale") || strstr(low, "security council"))
		return TRIAGE_TERRORISM;
	if (strstr(low, "black") || strstr(low, "noire") || strstr(low, "negra"))
		return TRIAGE_DISASTER;
	if (strstr(low, "red") || strstr(low, "rouge") || strstr(low, "roja") ||
	    strstr(low, "blue") || strstr(low, "bleue") || strstr(low, "azul") ||
	    strstr(low, "diffusion") || strstr(low, "difusi"))
		return TRIAGE_FUGITIVE;
	return TRIAGE_GENERAL;
}

/* ---- assessment ---- */

struct reasons {
	jv arr;
	int n;
	unsigned long long hash[MAX_REASONS]; /* of those kept, to drop repeats */
};

/* Append s unless it is there already or the list is full. */
static void reason_add(struct reasons *r, const char *s)
{
	unsigned long long h = 1469598103934665603ULL; /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	for (int i = 0; i < r->n; i++)
		if (r->hash[i] == h)
			return;
	if (r->n < MAX_REASONS) {
		r->hash[r->n++] = h;
		r->arr = jv_array_append(r->arr, jv_string(s));
	}
}

/* A reason being written into a fixed buffer, cut as snprintf cuts it: at
 * most cap - 1 bytes, always ended by a NUL. */
struct rbuf {
	char *p;
	size_t cap, len;
};

static void rb_put(struct rbuf *b, const char *s, size_t n)
{
	if (n > b->cap - 1 - b->len)
		n = b->cap - 1 - b->len;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void rb_str(struct rbuf *b, const char *s)
{
	rb_put(b, s, strlen(s));
}

/* s as written by "%d" */
static void rb_int(struct rbuf *b, int v)
{
	char d[16], *q = d + sizeof d;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	rb_put(b, q, (size_t)(d + sizeof d - q));
}

/* "tag:lang \"phrase\"" naming a phrase of the table as written there. */
static void reason_rule(struct reasons *r, const char *tag, const char *lang,
			const struct triage_phrase *ph)
{
	char s[320];
	struct rbuf b = {s, sizeof s, 0};

	rb_str(&b, tag);
	rb_put(&b, ":", 1);
	rb_str(&b, lang);
	rb_put(&b, " \"", 2);
	rb_str(&b, ph->text);
	rb_put(&b, "\"", 1);
	reason_add(r, s);
}

/* "tag:lang \"evidence\"" with the evidence taken from the folded text. */
static void reason_phrase(struct reasons *r, const char *tag, const char *lang, const char *t,
			  size_t a, size_t b, const char *tail)
{
	char s[256];
	struct rbuf rb = {s, sizeof s, 0};
	size_t len = b - a > 160 ? 160 : b - a;

	/* do not cut a UTF-8 sequence */
	while (len > 0 && len < b - a && ((unsigned char)t[a + len] & 0xC0) == 0x80)
		len--;
	rb_str(&rb, tag);
	rb_put(&rb, ":", 1);
	rb_str(&rb, lang);
	rb_put(&rb, " \"", 2);
	rb_put(&rb, t + a, strnlen(t + a, len));
	rb_put(&rb, "\"", 1);
	if (tail)
		rb_str(&rb, tail);
	reason_add(r, s);
}

/* Fold s (when any) onto the end of text; a ". " keeps phrases from joining across parts. */
static size_t append_folded(char *text, size_t len, const char *s)
{
	if (!s || !*s)
		return len;
	if (len) {
		memcpy(text + len, " . ", 3);
		len += 3;
	}
	return len + textfold(s, strlen(s), text + len);
}

/* Total bytes of the CAP texts, and append them when text is not NULL. */
static size_t cap_texts(jv msg, char *text, size_t *len)
{
	static const char *const keys[] = {"event", "headline", "description", NULL};
	jv cap = jv_object_get(jv_copy(msg), jv_string("cap"));
	size_t total = 0;

	if (jv_get_kind(cap) == JV_KIND_OBJECT) {
		jv info = jv_object_get(jv_copy(cap), jv_string("info"));
		if (jv_get_kind(info) == JV_KIND_ARRAY) {
			jv_array_foreach (info, i, b) {
				for (const char *const *k = keys; *k; k++) {
					const char *s = jv_get_str(b, *k);
					if (!s)
						continue;
					total += strlen(s) + 3;
					if (text)
						*len = append_folded(text, *len, s);
				}
				jv_free(b);
			}
		}
		jv_free(info);
	}
	jv_free(cap);
	return total;
}

/* A time the message states: a duration from its start, or a clock time. */
struct stated {
	int clock;      /* the minute of the day; -1: a duration */
	double minutes; /* the duration */
	int utc;        /* the clock time says UTC */
	int deadline;   /* its phrase makes it a deadline, or it is a departure */
	int expiry;     /* its phrase says when the matter ends ("valid until") */
	time_t at;      /* a date: the end of that day; 0: a duration or clock time */
	const struct triage_phrase *ph;
	size_t start, end; /* the evidence, in the folded text */
};

/*
 * The earliest stated time that is a deadline (any, when the message asks
 * for something) as UTC, or 0. Its reasons: the deadline with its evidence,
 * and for a clock time the zone it was read in.
 */
static time_t stated_deadline(const struct stated *st, size_t n, int request, time_t start,
			      const char *cc, const char *lang, const char *text,
			      struct reasons *rs)
{
	const char *zone = NULL;
	time_t best = 0;
	size_t which = 0;
	int zone_ok = -1; /* the tz database is asked only for a clock time */
	for (size_t i = 0; i < n; i++) {
		time_t t;
		if ((!st[i].deadline && !request) || st[i].expiry)
			continue;
		if (st[i].clock < 0 && !(st[i].minutes <= MAX_DEADLINE_MINUTES))
			continue; /* "in 10^100 minutes" is no deadline */
		if (st[i].clock >= 0 && zone_ok < 0) {
			zone = tz_country_zone(cc);
			zone_ok = zone && tz_zone_known(zone);
		}
		if (st[i].at)
			t = st[i].at;
		else if (st[i].clock < 0)
			t = start + (time_t)(st[i].minutes * 60);
		else if (tz_next_local(st[i].utc || !zone_ok ? NULL : zone, start, st[i].clock,
				       &t) < 0)
			continue;
		if (!best || t < best) {
			best = t;
			which = i;
		}
	}
	if (!best)
		return 0;
	char when[RFC3339_LEN + 2] = " ", why[160];
	clock_format(best, when + 1);
	reason_phrase(rs, "deadline", lang ? lang : st[which].ph->lang, text, st[which].start,
		      st[which].end, when);
	if (st[which].clock >= 0 && !st[which].utc) {
		if (zone_ok > 0)
			snprintf(why, sizeof why, "zone:%s origin_country %s", zone, cc);
		else if (cc && *cc)
			snprintf(why, sizeof why, "zone:UTC origin_country %.8s has no known zone",
				 cc);
		else
			snprintf(why, sizeof why, "zone:UTC no origin_country");
		reason_add(rs, why);
	}
	return best;
}

static const char *const request_names[TRIAGE_NREQ] = {
    [TRIAGE_REQ_NONE] = NULL,   [TRIAGE_REQ_CHECK] = "check",   [TRIAGE_REQ_LOCATE] = "locate",
    [TRIAGE_REQ_INFO] = "info", [TRIAGE_REQ_ARREST] = "arrest",
};

/* One message being assessed: its folded text and phrase matches, and what
 * the rules have made of them so far. */
struct assess {
	const struct triage_rules *rules;
	const char *text;
	size_t len, subject_end;
	struct lexicon_match *m;
	size_t nm;
	struct reasons rs;
	unsigned char *neg; /* per match: a negation stands before it */
	char lang[3];       /* the message's language, "" when unknown */
	struct cap_values cap;
	struct notice_hit hit;
	enum triage_category cat;
	/* the signals */
	enum urgency best;
	enum severity sev;
	int resolved, hoax, info, request, past, possible, observed, req_kind, calm;
	int admin;         /* an information phrase that is administrative ("newsletter") */
	int label;         /* an urgency that only labels the message ("URGENT") */
	int label_only;    /* … and it is the only urgency the message has */
	int event;         /* an urgency the message's events give: "now", "in 30 minutes" */
	int today;         /* an EXPECTED phrase: "today", "by the end of the day" */
	int plan;          /* an attack threatened or planned */
	unsigned facts;    /* TRIAGE_FACT_* of the matches not negated */
	int missing_minor; /* a minor said to be missing, and not found */
	struct stated stated[MAX_STATED];
	size_t nstated;
	/* the outcome */
	enum urgency urg;
	enum certainty cert;
	int prio;
	time_t received, start, deadline;
	int expired; /* 1: its deadline passed, 2: its CAP alert expired */
};

/* The language a phrase found in this message is named with: the message's. */
static const char *tag_lang(const struct assess *a, const struct triage_phrase *ph)
{
	return a->lang[0] ? a->lang : ph->lang;
}

/* The length of a phrase once folded. */
static size_t folded_len(const char *s)
{
	char f[512];
	size_t n = strlen(s);
	return n < sizeof f ? textfold(s, n, f) : n;
}

/* One match per place: of phrases that fold alike, the message's language;
 * of a phrase and a shorter one with a suffix (فقدان, فقد + ان), the phrase. */
static void one_match_per_place(struct assess *a, const char *lang)
{
	size_t k = 0;
	for (size_t i = 0; i < a->nm; i++) {
		if (k && a->m[k - 1].start == a->m[i].start && a->m[k - 1].end == a->m[i].end) {
			const struct triage_phrase *p = &a->rules->p[a->m[i].value],
						   *q = &a->rules->p[a->m[k - 1].value];
			size_t lp = folded_len(p->text), lq = folded_len(q->text);
			if (lp > lq || (lp == lq && lang && strcmp(p->lang, lang) == 0))
				a->m[k - 1] = a->m[i];
			continue;
		}
		a->m[k++] = a->m[i];
	}
	a->nm = k;
}

/* ---- negation ---- */

/* Words that negate what follows them ("no urgency", "pas d'urgence", "sin
 * urgencia", "لا يوجد خطر"), folded; and the words that may stand between
 * a negation and what it negates ("there is no real danger", "no es
 * urgente", "il n'y a pas de menace", "has not been arrested"). */
static const char *const negations_w[] = {
    "no",    "not",     "without", "never",   "nor",  "non",    "pas",     "sans",
    "aucun", "aucune",  "ni",      "jamais",  "sin",  "ningun", "ninguna", "ninguno",
    "nunca", "tampoco", "لا",      "ولا",     "فلا",  "ليس",    "ليست",    "وليس",
    "وليست", "لم",      "ولم",     "لن",      "ولن",  "بدون",   "وبدون",   "دون",
    "بلا",   "عدم",     "وعدم",    "nothing", "nada", "rien",   NULL,
};
static const char *const negation_fillers[] = {
    "a",        "an",        "the",        "any",          "is",        "are",
    "was",      "were",      "be",         "been",         "being",     "has",
    "have",     "had",       "yet",        "there",        "of",        "more",
    "further",  "longer",    "real",       "known",        "credible",  "apparent",
    "specific", "immediate", "considered", "deemed",       "seen",      "as",
    "very",     "so",        "too",        "particularly", "need",      "for",
    "sign",     "signs",     "evidence",   "indication",   "d",         "de",
    "du",       "des",       "la",         "le",           "les",       "l",
    "un",       "une",       "y",          "est",          "sont",      "etait",
    "ete",      "il",        "tres",       "si",           "reelle",    "reel",
    "encore",   "signe",     "indice",     "consideree",   "considere", "es",
    "son",      "era",       "hay",        "del",          "el",        "los",
    "las",      "se",        "ha",         "han",          "sido",      "fue",
    "muy",      "tan",       "existe",     "existen",      "indicios",  "considera",
    "يوجد",     "توجد",      "هناك",       "اي",           "ايه",       "من",
    "له",       "لها",       "يشكل",       "تشكل",         "يبدو",      "ثمه",
    "يكون",     "تكون",      "وجود",       "كان",          "كانت",      "يعتبر",
    "تعتبر",    "تم",        "action",     "accion",       "requires",  "required",
    "requiere", "requiert",  "يتطلب",      "الامر",        "اجراء",     "n",
    "يتم",      NULL,
};

/* The negations and fillers in an open-addressed table built once: a word
 * is looked up with one hash, not compared with every entry. */
#define NEG_SLOTS 512 /* a power of two, over twice the words */
static struct {
	const char *w;
	unsigned char len, cue; /* cue: 1 a negation, 0 a filler */
} neg_tab[NEG_SLOTS];
static pthread_once_t neg_once = PTHREAD_ONCE_INIT;

static unsigned word_hash(const char *w, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	return h;
}

static void build_neg_tab(void)
{
	const char *const *sets[] = {negation_fillers, negations_w}; /* a cue wins */
	for (int k = 0; k < 2; k++)
		for (const char *const *w = sets[k]; *w; w++) {
			size_t n = strlen(*w);
			unsigned h = word_hash(*w, n) & (NEG_SLOTS - 1);
			while (neg_tab[h].w && strcmp(neg_tab[h].w, *w) != 0)
				h = (h + 1) & (NEG_SLOTS - 1);
			neg_tab[h].w = *w;
			neg_tab[h].len = (unsigned char)n;
			neg_tab[h].cue = (unsigned char)k;
		}
}

/* 2 when t[ws..we) is a negation, 1 a filler, 0 neither. */
static int neg_word(const char *t, size_t ws, size_t we)
{
	unsigned h = word_hash(t + ws, we - ws) & (NEG_SLOTS - 1);
	for (; neg_tab[h].w; h = (h + 1) & (NEG_SLOTS - 1))
		if (neg_tab[h].len == we - ws && memcmp(neg_tab[h].w, t + ws, we - ws) == 0)
			return neg_tab[h].cue ? 2 : 1;
	return 0;
}

/* 1 when a negation stands at most NEG_REACH words before t[start], in the
 * same clause (no punctuation between): only fillers between them. */
static int negated(const char *t, size_t start)
{
	size_t i = start;
	pthread_once(&neg_once, build_neg_tab);
	while (i > 0 && textfold_word_byte((unsigned char)t[i - 1]))
		i--; /* an Arabic proclitic glued to the phrase is not a negation */
	for (int k = 0; k < NEG_REACH; k++) {
		while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\''))
			i--;
		if (i == 0 || !textfold_word_byte((unsigned char)t[i - 1]))
			return 0; /* the start of the text, or punctuation */
		size_t we = i;
		while (i > 0 && textfold_word_byte((unsigned char)t[i - 1]))
			i--;
		/* "isn't", "doesn't": a "t" after "n'" */
		if (we - i == 1 && t[i] == 't' && i >= 2 && t[i - 1] == '\'' && t[i - 2] == 'n')
			return 1;
		int w = neg_word(t, i, we);
		if (w != 1)
			return w == 2;
	}
	return 0;
}

/* What a negation takes away: what would raise the priority, what would
 * say the matter is over ("no ha sido localizado" is not found), and a
 * request ("aucune action n'est nécessaire" asks nothing). Information,
 * time and doubt are kept. */
static int negatable(unsigned sig)
{
	switch (sig) {
	case TRIAGE_SIG_NONE:
	case TRIAGE_SIG_IMMEDIATE:
	case TRIAGE_SIG_EXPECTED:
	case TRIAGE_SIG_EXTREME:
	case TRIAGE_SIG_SEVERE:
	case TRIAGE_SIG_OBSERVED:
	case TRIAGE_SIG_PAST:
	case TRIAGE_SIG_REQUEST: /* "no action is needed", "aucune action n'est nécessaire" */
	case TRIAGE_SIG_RESOLVED: return 1;
	default: return 0;
	}
}

static void mark_negations(struct assess *a)
{
	for (size_t i = 0; i < a->nm; i++) {
		const struct triage_phrase *ph = &a->rules->p[a->m[i].value];
		a->neg[i] = (negatable(ph->signal) || ph->weight || ph->facts) &&
			    negated(a->text, a->m[i].start);
	}
}

/* ---- a missing minor ---- */

static const struct number_word age_words[] = {
    {"one", 1},        {"two", 2},         {"three", 3},     {"four", 4},      {"five", 5},
    {"six", 6},        {"seven", 7},       {"eight", 8},     {"nine", 9},      {"ten", 10},
    {"eleven", 11},    {"twelve", 12},     {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15},
    {"sixteen", 16},   {"seventeen", 17},  {"deux", 2},      {"trois", 3},     {"quatre", 4},
    {"cinq", 5},       {"sept", 7},        {"huit", 8},      {"neuf", 9},      {"dix", 10},
    {"onze", 11},      {"douze", 12},      {"treize", 13},   {"quatorze", 14}, {"quinze", 15},
    {"seize", 16},     {"dos", 2},         {"tres", 3},      {"cuatro", 4},    {"cinco", 5},
    {"seis", 6},       {"siete", 7},       {"ocho", 8},      {"nueve", 9},     {"diez", 10},
    {"once", 11},      {"doce", 12},       {"trece", 13},    {"catorce", 14},  {"quince", 15},
    {"dieciseis", 16}, {"diecisiete", 17}, {"ثلاث", 3},      {"اربع", 4},      {"خمس", 5},
    {"ست", 6},         {"سبع", 7},         {"ثماني", 8},     {"تسع", 9},       {"عشر", 10},
    {NULL, 0},
};
/* After an age: "6 year old", "14 ans", "13 años", "7 سنوات", "15 عاما". */
static const char *const age_units[] = {
    "year",  "years", "yr",   "yrs",  "ans", "an",    "anos",
    "سنوات", "سنه",   "سنين", "عاما", "عام", "اعوام", NULL,
};
/* Arabic ordinals of an age "في الخامسة من عمرها" that are 18 or more. */
static const char *const ar_adult_ordinal[] = {
    "العشرين", "الثلاثين", "الاربعين", "الخمسين", "الستين", "السبعين", "الثمانين",
    "التسعين", "الثامنه",  "التاسعه",  "الثامن",  "التاسع", NULL,
};

/* The positions in t[from..n) of ages under 18 (at most max); their count. */
static size_t minor_ages(const char *t, size_t from, size_t n, size_t *at, size_t max)
{
	size_t found = 0, i = from, ws, we;
	while (found < max && i < n) {
		if (!next_word(t, n, &i, &ws, &we)) {
			i++; /* punctuation: "6-year-old", "(14)" */
			continue;
		}
		double v = -1;
		if (t[ws] >= '0' && t[ws] <= '9') {
			size_t d = ws;
			v = read_number(t, n, &d);
			if (d != we)
				v = -1;
		} else {
			for (const struct number_word *nw = age_words; nw->w; nw++)
				if (word_is(t, ws, we, nw->w))
					v = nw->v;
			/* "عمره"/"عمرها" after an ordinal: "في الحادية عشرة من عمره" */
			if (we - ws >= 6 && memcmp(t + ws, "عمر", 6) == 0 && ws >= 6 &&
			    memcmp(t + ws - 5, "من ", 5) == 0) {
				size_t back = ws > 60 ? ws - 60 : 0;
				int adult = 0;
				for (const char *const *o = ar_adult_ordinal; *o; o++)
					if (memmem(t + back, ws - back, *o, strlen(*o)))
						adult = 1;
				if (!adult && memmem(t + back, ws - back, " ال", 3))
					at[found++] = ws;
				continue;
			}
		}
		if (v < 1 || v >= 18)
			continue;
		if (ws >= 5 &&
		    (memcmp(t + ws - 5, "aged ", 5) == 0 || memcmp(t + ws - 4, "age ", 4) == 0 ||
		     memcmp(t + ws - 5, "edad ", 5) == 0)) {
			at[found++] = ws; /* "aged 14", "edad 14" */
			continue;
		}
		size_t k = we, us, ue;
		if (next_word(t, n, &k, &us, &ue) && word_in(t, us, ue, age_units))
			at[found++] = ws;
	}
	return found;
}

/* A minor (a word, or an age under 18) within MINOR_REACH bytes of a word
 * saying someone is missing, neither negated. */
/* 1 when one of the positions in a[0..na) is within MINOR_REACH of one in b[0..nb). */
static int near(const size_t *a, size_t na, const size_t *b, size_t nb)
{
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if ((a[i] > b[j] ? a[i] - b[j] : b[j] - a[i]) <= MINOR_REACH)
				return 1;
	return 0;
}

static int find_missing_minor(const struct assess *a)
{
	size_t minor[32], nminor = 0, missing[32], nmissing = 0;
	for (size_t i = 0; i < a->nm; i++) {
		unsigned f = a->rules->p[a->m[i].value].facts;
		if (a->neg[i])
			continue;
		if ((f & TRIAGE_FACT_MINOR) && nminor < 32)
			minor[nminor++] = a->m[i].start;
		if ((f & TRIAGE_FACT_MISSING) && nmissing < 32)
			missing[nmissing++] = a->m[i].start;
	}
	if (!nmissing)
		return 0;
	if (near(missing, nmissing, minor, nminor))
		return 1;
	/* else an age, looked for only near a missing word, each stretch once */
	size_t done = 0;
	nminor = 0;
	for (size_t i = 0; i < nmissing && nminor < 32; i++) {
		size_t from = missing[i] > MINOR_REACH ? missing[i] - MINOR_REACH : 0;
		size_t to =
		    missing[i] + MINOR_REACH + 1 < a->len ? missing[i] + MINOR_REACH + 1 : a->len;
		if (from < done)
			from = done;
		while (from > 0 && textfold_word_byte((unsigned char)a->text[from - 1]))
			from--; /* from the start of a word */
		if (from < to)
			nminor += minor_ages(a->text, from, to, minor + nminor, 32 - nminor);
		done = to;
	}
	return near(missing, nmissing, minor, nminor);
}

/* 1 when match i's phrase was matched before it. */
static int seen_before(const struct assess *a, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (a->m[j].value == a->m[i].value)
			return 1;
	return 0;
}

/* The category: each distinct phrase votes once, twice as much in the subject. */
static void choose_category(struct assess *a)
{
	int votes[TRIAGE_NCATEGORY] = {0};
	char buf[64];
	for (size_t i = 0; i < a->nm; i++) {
		const struct triage_phrase *ph = &a->rules->p[a->m[i].value];
		if (ph->weight && !a->neg[i] && !seen_before(a, i))
			votes[ph->category] +=
			    ph->weight * (a->m[i].start < a->subject_end ? 2 : 1);
	}
	for (int c = 1; c < TRIAGE_NCATEGORY; c++)
		if (votes[c] >= 2 && votes[c] > votes[a->cat])
			a->cat = (enum triage_category)c;
	if (a->cat == TRIAGE_GENERAL && a->hit.found)
		a->cat = notice_category(a->hit.notice);
	if (a->cat == TRIAGE_GENERAL && a->cap.disaster)
		a->cat = TRIAGE_DISASTER;
	for (size_t i = 0; i < a->nm; i++) {
		const struct triage_phrase *ph = &a->rules->p[a->m[i].value];
		if (ph->weight && ph->category == a->cat && a->cat != TRIAGE_GENERAL &&
		    !a->neg[i] && !seen_before(a, i)) {
			struct rbuf b = {buf, sizeof buf, 0};
			rb_str(&b, "lexicon:");
			rb_str(&b, category_names[a->cat]);
			reason_rule(&a->rs, buf, tag_lang(a, ph), ph);
		}
	}
}

static void raise_urgency(struct assess *a, enum urgency u)
{
	if (u == U_IMMEDIATE)
		a->event = 1;
	if (a->best < u)
		a->best = u;
}

/* A date after a time phrase at match i ("before 12 March", "valid until
 * 9 March 2026", "قبل 15 مارس"): a stated time; 0 when none follows. */
static int signal_date(struct assess *a, size_t i, const struct triage_phrase *ph, unsigned sig)
{
	size_t end;
	time_t when;
	/* only after a deadline or an end ("before", "valid until"), or قبل */
	if (!ph->deadline && sig != TRIAGE_SIG_TIME_AGO)
		return 0;
	if (!(when = parse_date(a->text, a->len, a->m[i].end, a->start, &end)))
		return 0;
	if (a->nstated < MAX_STATED)
		a->stated[a->nstated++] =
		    (struct stated){.clock = -1,
				    .at = when,
				    .deadline = 0, /* a deadline only when something is asked */
				    .expiry = ph->deadline == 2,
				    .ph = ph,
				    .start = a->m[i].start,
				    .end = end};
	reason_phrase(&a->rs, ph->deadline == 2 ? "time:until" : "time:date", tag_lang(a, ph),
		      a->text, a->m[i].start, end, NULL);
	return 1;
}

/* A duration after TIME_IN or TIME_AGO at match i: urgency, and a stated time. */
static void signal_duration(struct assess *a, size_t i, const struct triage_phrase *ph,
			    unsigned sig)
{
	size_t end;
	char buf[64];
	double min = parse_duration(a->text, a->len, a->m[i].end, &end);
	if (min < 0 && signal_date(a, i, ph, sig))
		return;
	if (min < 0 || (sig == TRIAGE_SIG_TIME_AGO && min > RECENT_MINUTES))
		return;
	if (sig == TRIAGE_SIG_TIME_AGO || min <= IMMEDIATE_MINUTES)
		raise_urgency(a, U_IMMEDIATE);
	else
		raise_urgency(a, min <= EXPECTED_MINUTES ? U_EXPECTED : U_FUTURE);
	snprintf(buf, sizeof buf, " %.0f min", min);
	reason_phrase(&a->rs, signal_tags[sig], tag_lang(a, ph), a->text, a->m[i].start, end, buf);
	if (sig == TRIAGE_SIG_TIME_IN && a->nstated < MAX_STATED)
		a->stated[a->nstated++] = (struct stated){.clock = -1,
							  .minutes = min,
							  .deadline = ph->deadline,
							  .ph = ph,
							  .start = a->m[i].start,
							  .end = end};
}

/* A date written just before the phrase at t[at] ("departing 12 June 2026
 * at 14:30", "du 11 juin à 10h30", "بتاريخ 10 يونيو الساعة 09:00"): the end
 * of that day (UTC), or 0. */
static time_t date_before(const struct assess *a, size_t at)
{
	size_t p = at, end;
	for (int k = 0; k < DATE_WORDS; k++) {
		while (p > 0 && (a->text[p - 1] == ' ' || a->text[p - 1] == ','))
			p--;
		if (p == 0 || !textfold_word_byte((unsigned char)a->text[p - 1]))
			return 0;
		while (p > 0 && textfold_word_byte((unsigned char)a->text[p - 1]))
			p--;
		time_t when = parse_date(a->text, a->len, p, a->start, &end);
		while (when && end < at && (a->text[end] == ' ' || a->text[end] == ','))
			end++;
		if (when && end == at)
			return when;
	}
	return 0;
}

/* A clock time after TIME_AT at match i: a departure when it follows a
 * travel phrase closely (travel_end, 0 for none), and a stated time; on
 * the date written before it when that is not the day the message arrived
 * (a departure on a day gone by is over, not pressing). */
static void signal_clock(struct assess *a, size_t i, const struct triage_phrase *ph, unsigned sig,
			 size_t travel_end)
{
	size_t end;
	int utc;
	if (signal_date(a, i, ph, sig))
		return;
	int clock =
	    parse_clock(a->text, a->len, a->m[i].end, sig == TRIAGE_SIG_TIME_AT_HOUR, &end, &utc);
	if (clock < 0)
		return;
	int departure =
	    travel_end && a->m[i].start >= travel_end && a->m[i].start - travel_end <= TRAVEL_REACH;
	time_t day = date_before(a, a->m[i].start), at = 0;
	if (day && (day < a->received || day - 86399 > a->received))
		at = day - 86399 + (time_t)clock * 60;
	/* a time on a day gone by is when something happened, unless it is a
	 * deadline or a departure (a travel phrase anywhere before it) */
	if (at && at <= a->received && ph->deadline != 1 && !travel_end)
		return;
	if (at && at <= a->received)
		departure = 1;
	if (a->nstated < MAX_STATED)
		a->stated[a->nstated++] =
		    (struct stated){.clock = at ? -1 : clock,
				    .utc = utc,
				    .deadline = ph->deadline == 1 || departure,
				    .expiry = ph->deadline == 2,
				    .at = at,
				    .ph = ph,
				    .start = a->m[i].start,
				    .end = end};
	if (!at)
		raise_urgency(a, departure ? U_IMMEDIATE : U_EXPECTED);
	else if (at > a->received)
		raise_urgency(a, at - a->received <= IMMEDIATE_MINUTES * 60  ? U_IMMEDIATE
				 : at - a->received <= EXPECTED_MINUTES * 60 ? U_EXPECTED
									     : U_FUTURE);
	reason_phrase(&a->rs, departure ? "time:departure" : "time:clock", tag_lang(a, ph), a->text,
		      a->m[i].start, end, NULL);
}

/* The signals, now that scoped ones can be told apart. */
static void read_signals(struct assess *a)
{
	size_t travel_end = 0;
	a->sev = base_severity[a->cat];
	for (size_t i = 0; i < a->nm; i++) {
		const struct triage_phrase *ph = &a->rules->p[a->m[i].value];
		unsigned sig = ph->signal;
		enum urgency u = U_UNKNOWN;
		if (sig == TRIAGE_SIG_NONE || sig == TRIAGE_SIG_BLOCK)
			continue;
		if (ph->scope != TRIAGE_GENERAL && ph->scope != a->cat &&
		    !((sig == TRIAGE_SIG_RESOLVED || sig == TRIAGE_SIG_HOAX) &&
		      a->cat == TRIAGE_GENERAL))
			continue;
		if (a->neg[i] && negatable(sig)) {
			/* "no urgency", "sin urgencia": lowers, never raises */
			if (sig == TRIAGE_SIG_IMMEDIATE || sig == TRIAGE_SIG_EXPECTED)
				a->calm = 1;
			reason_rule(&a->rs, "negated", tag_lang(a, ph), ph);
			continue;
		}
		switch (sig) {
		case TRIAGE_SIG_IMMEDIATE:
			if (ph->facts & TRIAGE_FACT_LABEL)
				a->label = 1; /* Immediate only when nothing else says when */
			else
				u = U_IMMEDIATE;
			break;
		case TRIAGE_SIG_EXPECTED:
			u = U_EXPECTED;
			a->today = 1;
			break;
		case TRIAGE_SIG_FUTURE: u = U_FUTURE; break;
		case TRIAGE_SIG_PAST: a->past = 1; break;
		case TRIAGE_SIG_RESOLVED: a->resolved = 1; break;
		case TRIAGE_SIG_HOAX: a->resolved = a->hoax = 1; break;
		case TRIAGE_SIG_INFO:
			a->info = 1;
			if (!(ph->facts & TRIAGE_FACT_FYI))
				a->admin = 1;
			break;
		case TRIAGE_SIG_REQUEST:
			a->request = 1;
			if (!a->req_kind)
				a->req_kind = ph->request;
			break;
		case TRIAGE_SIG_EXTREME: a->sev = S_EXTREME; break;
		case TRIAGE_SIG_SEVERE:
			if (a->sev < S_SEVERE)
				a->sev = S_SEVERE;
			break;
		case TRIAGE_SIG_OBSERVED: a->observed = 1; break;
		case TRIAGE_SIG_POSSIBLE: a->possible = 1; break;
		case TRIAGE_SIG_CALM: a->calm = 1; break;
		case TRIAGE_SIG_TRAVEL:
			travel_end = a->m[i].end;
			continue; /* a reason only with a clock time */
		case TRIAGE_SIG_TIME_IN:
		case TRIAGE_SIG_TIME_AGO: signal_duration(a, i, ph, sig); continue;
		case TRIAGE_SIG_TIME_AT:
		case TRIAGE_SIG_TIME_AT_HOUR: signal_clock(a, i, ph, sig, travel_end); continue;
		}
		raise_urgency(a, u);
		reason_rule(&a->rs, signal_tags[sig], tag_lang(a, ph), ph);
	}
	/* "URGENT" counts when nothing says when, or on a severe case that
	 * does not state only a time days away ("sous deux semaines") */
	if (a->label && (a->best == U_UNKNOWN || (a->sev >= S_SEVERE && a->best != U_FUTURE))) {
		a->label_only = a->best == U_UNKNOWN;
		a->best = U_IMMEDIATE;
	}
	for (size_t i = 0; i < a->nm; i++)
		if (!a->neg[i])
			a->facts |= a->rules->p[a->m[i].value].facts;
	a->plan = !!(a->facts & TRIAGE_FACT_PLAN);
}

/* Urgency, severity and certainty (from CAP when it has them, else from
 * the text), and the matrix. */
static void decide(struct assess *a)
{
	char buf[256];
	if (a->cap.present) {
		a->urg = a->cap.cancel ? U_PAST : a->cap.u;
		a->sev = a->cap.s;
		a->cert = a->cap.c;
		snprintf(buf, sizeof buf, "cap:%s/%s/%s%s", urgency_names[a->cap.u],
			 severity_names[a->cap.s], certainty_names[a->cap.c],
			 a->cap.cancel ? " cancel" : "");
		reason_add(&a->rs, buf);
		a->resolved = a->resolved || a->cap.cancel;
	} else {
		a->urg = a->resolved                          ? U_PAST
			 : (a->past && a->best < U_IMMEDIATE) ? U_PAST
							      : a->best;
		a->cert = a->hoax                    ? C_UNLIKELY
			  : a->possible              ? C_POSSIBLE
			  : a->observed              ? C_OBSERVED
			  : a->cat != TRIAGE_GENERAL ? C_LIKELY
						     : C_UNKNOWN;
	}
	a->prio = priority_matrix[a->urg][a->sev];
	struct rbuf b = {buf, sizeof buf, 0};
	rb_str(&b, "matrix:");
	rb_str(&b, urgency_names[a->urg]);
	rb_put(&b, "+", 1);
	rb_str(&b, severity_names[a->sev]);
	rb_put(&b, "=P", 2);
	rb_int(&b, a->prio);
	reason_add(&a->rs, buf);
}

/* ---- the policy ---- */

static int pol_possible(const struct assess *a)
{
	return a->cert == C_POSSIBLE && a->sev != S_EXTREME;
}

static int pol_unlikely(const struct assess *a)
{
	return a->cert == C_UNLIKELY;
}

/* 1 when the message is about a case: a category, or a crime or an investigation */
static int on_case(const struct assess *a)
{
	return a->cat != TRIAGE_GENERAL || (a->facts & TRIAGE_FACT_CRIME);
}

static int pol_info(const struct assess *a)
{
	/* "URGENT" alone on administrative traffic on no case does not make it pressing */
	return a->info &&
	       (a->urg != U_IMMEDIATE ||
		(a->admin && !a->event && !on_case(a) && a->sev < S_SEVERE)) &&
	       (a->admin || a->past || !on_case(a));
}

/* Information on a case, to file; "URGENT" on it changes nothing when that
 * label is all the urgency it has and it says it is for information. */
static int pol_info_case(const struct assess *a)
{
	int fyi_label = a->label_only && (a->facts & TRIAGE_FACT_FYI) && !a->request && !a->event &&
			a->sev < S_SEVERE;
	return a->info && (a->urg != U_IMMEDIATE || fyi_label) && !a->admin && !a->past &&
	       on_case(a);
}

static int pol_calm(const struct assess *a)
{
	return a->calm && a->cat == TRIAGE_GENERAL;
}

static int pol_calm_case(const struct assess *a)
{
	return a->calm && a->cat != TRIAGE_GENERAL;
}

static int pol_request(const struct assess *a)
{
	return a->request && !a->info && !a->resolved;
}

static int pol_nothing_asked(const struct assess *a)
{
	return a->cat == TRIAGE_GENERAL && !a->request && a->sev == S_UNKNOWN && !a->cap.present &&
	       !a->event && !(a->facts & TRIAGE_FACT_CRIME);
}

static int pol_crime(const struct assess *a)
{
	return a->cat == TRIAGE_GENERAL && (a->facts & TRIAGE_FACT_CRIME) && !a->info &&
	       !a->resolved && !a->past && !a->calm;
}

static int pol_wanted_found(const struct assess *a)
{
	return a->cat == TRIAGE_FUGITIVE && (a->facts & TRIAGE_FACT_FOUND) && !a->resolved &&
	       !a->info;
}

static int pol_red_found(const struct assess *a)
{
	return (a->facts & TRIAGE_FACT_RED) && (a->facts & TRIAGE_FACT_FOUND) &&
	       !(a->facts & TRIAGE_FACT_SETTLED) && !a->resolved && !a->info;
}

static int pol_routine_urgent(const struct assess *a)
{
	return a->request && a->label && !a->event && a->sev < S_SEVERE &&
	       (a->cat == TRIAGE_GENERAL || a->req_kind == TRIAGE_REQ_CHECK ||
		a->req_kind == TRIAGE_REQ_INFO) &&
	       !(a->deadline && a->deadline - a->start < DAY_DEADLINE);
}

static int pol_today(const struct assess *a)
{
	return a->request && a->today && !a->admin && !a->resolved && !a->calm;
}

static int pol_deadline(const struct assess *a)
{
	return a->deadline && !a->resolved && !a->info;
}

static int pol_deadline_day(const struct assess *a)
{
	return a->deadline && !a->resolved && !a->info && !a->calm &&
	       a->deadline - a->start < DAY_DEADLINE;
}

static int pol_deadline_hour(const struct assess *a)
{
	return a->deadline && a->deadline - a->start < SHORT_DEADLINE;
}

static int pol_attack_soon(const struct assess *a)
{
	return a->cat == TRIAGE_TERRORISM && a->plan && a->sev >= S_SEVERE &&
	       a->urg >= U_EXPECTED && a->cert != C_POSSIBLE && a->cert != C_UNLIKELY &&
	       !a->resolved && !a->cap.present;
}

static int pol_forecast(const struct assess *a)
{
	return a->cat == TRIAGE_DISASTER && (a->facts & TRIAGE_FACT_FORECAST) &&
	       !(a->facts & TRIAGE_FACT_LIFE) && !a->cap.present;
}

static int pol_records(const struct assess *a)
{
	return a->request && (a->facts & TRIAGE_FACT_RECORDS) &&
	       !(a->facts & (TRIAGE_FACT_LIFE | TRIAGE_FACT_FOUND | TRIAGE_FACT_PLAN)) &&
	       !a->event && !a->today && a->urg != U_IMMEDIATE && !a->hit.found &&
	       !a->missing_minor && !(a->deadline && a->deadline - a->start < DAY_DEADLINE);
}

static int pol_expired(const struct assess *a)
{
	return a->expired && !a->hit.found && !a->missing_minor;
}

static int pol_missing_minor(const struct assess *a)
{
	return a->missing_minor;
}

static int pol_notice(const struct assess *a)
{
	return a->hit.found;
}

/*
 * The policy: after the matrix, each row that applies sets the priority no
 * lower (RAISE) or no higher (LOWER) than its own, in this order, so a later
 * row wins over an earlier one. Category rules live here, not in the words:
 * a missing minor is P1 whatever words say it. ccc-triage(1) prints this
 * table ("The policy"); keep the two alike.
 */
enum { LOWER, RAISE };
static const struct policy {
	const char *name; /* the reason: "override:NAME=Pn" */
	int (*applies)(const struct assess *);
	int priority, way;
} policy[] = {
    {"possible", pol_possible, 2, LOWER},             /* certainty Possible, not Extreme */
    {"unlikely", pol_unlikely, 4, LOWER},             /* a hoax */
    {"info", pol_info, 4, LOWER},                     /* administrative, done, or no case */
    {"info", pol_info_case, 3, LOWER},                /* information for a case: to file */
    {"calm", pol_calm, 4, LOWER},                     /* "no urgency", nothing open */
    {"calm", pol_calm_case, 3, LOWER},                /* "no urgency" on a case */
    {"request", pol_request, 3, RAISE},               /* something is asked */
    {"nothing-asked", pol_nothing_asked, 4, LOWER},   /* no case, nothing asked */
    {"crime", pol_crime, 3, RAISE},                   /* a crime or an investigation */
    {"routine-urgent", pol_routine_urgent, 3, LOWER}, /* "URGENT" on a routine request */
    {"today", pol_today, 2, RAISE},                   /* asked for today */
    {"deadline", pol_deadline, 3, RAISE},             /* a deadline days away */
    {"deadline<1h", pol_deadline_hour, 2, RAISE},     /* under an hour, even "no urgency" */
    {"deadline<24h", pol_deadline_day, 2, RAISE},     /* hours away */
    {"wanted-found", pol_wanted_found, 2, RAISE},     /* a wanted person located */
    {"red-notice-found", pol_red_found, 1, RAISE},    /* … stopped, identified at a border */
    {"attack-soon", pol_attack_soon, 1, RAISE},       /* an attack planned for a near time */
    {"forecast", pol_forecast, 2, LOWER},             /* a disaster to come, no life at risk now */
    {"records", pol_records, 3, LOWER},               /* identification records asked, no rush */
    {"expired", pol_expired, 4, LOWER},               /* its deadline or CAP alert passed */
    {"missing-minor", pol_missing_minor, 1, RAISE},   /* a child missing, any words */
    {"notice", pol_notice, 1, RAISE},                 /* a hit on an active notice */
};

static void apply_policy(struct assess *a)
{
	char buf[256];
	for (size_t i = 0; i < sizeof policy / sizeof *policy; i++) {
		const struct policy *p = &policy[i];
		if (!p->applies(a))
			continue;
		int to = p->way == RAISE ? (a->prio < p->priority ? a->prio : p->priority)
					 : (a->prio > p->priority ? a->prio : p->priority);
		if (p->applies == pol_expired) {
			a->urg = U_PAST;
			reason_add(&a->rs, a->expired == 1   ? "expired:deadline"
					   : a->expired == 3 ? "expired:until"
							     : "expired:cap");
		} else if (p->applies == pol_notice) {
			a->urg = U_IMMEDIATE;
			if (a->sev < S_SEVERE)
				a->sev = S_SEVERE;
			a->cert = a->hit.score >= 0.95 ? C_OBSERVED
				  : a->cert > C_LIKELY ? a->cert
						       : C_LIKELY;
			snprintf(buf, sizeof buf, "check:%s \"%s\" %s=P1", a->hit.db, a->hit.notice,
				 a->hit.id);
			reason_add(&a->rs, buf);
		} else if (p->applies == pol_missing_minor) {
			if (a->cat == TRIAGE_GENERAL)
				a->cat = TRIAGE_MISSING_CHILD;
			if (a->urg < U_IMMEDIATE)
				a->urg = U_IMMEDIATE;
		}
		if (to != a->prio && p->applies != pol_notice) {
			struct rbuf b = {buf, sizeof buf, 0};
			rb_str(&b, "override:");
			rb_str(&b, p->name);
			rb_put(&b, "=P", 2);
			rb_int(&b, to);
			reason_add(&a->rs, buf);
		}
		a->prio = to;
	}
}

/* 1 when the message says it ended ("valid until 9 March 2026") before it arrived. */
static int until_passed(const struct assess *a)
{
	for (size_t i = 0; i < a->nstated; i++)
		if (a->stated[i].expiry && a->stated[i].at &&
		    a->stated[i].at + EXPIRED_GRACE <= a->received)
			return 1;
	return 0;
}

/* The stated deadline, and whether it or the CAP alert is over: a CAP alert
 * whose every block expired before it arrived or before now, or that never
 * says when it expires and was sent more than CAP_STALE before. */
static void read_deadline(struct assess *a, time_t now, const char *origin)
{
	time_t latest = a->received > now ? a->received : now;
	a->deadline = stated_deadline(a->stated, a->nstated, a->request, a->start, origin,
				      a->lang[0] ? a->lang : NULL, a->text, &a->rs);
	if (a->deadline && a->deadline + EXPIRED_GRACE <= a->received)
		a->expired = 1;
	else if (until_passed(a))
		a->expired = 3;
	else if (a->cap.present && a->cap.expires && a->cap.expires < latest)
		a->expired = 2;
	else if (a->cap.present && !a->cap.expires && a->cap.sent &&
		 a->cap.sent + CAP_STALE < latest)
		a->expired = 2;
}

/* The due time and the triage object. */
static jv outcome(struct assess *a, const struct triage_config *cfg)
{
	time_t due_t = a->start + cfg->due_seconds[a->prio - 1];
	int expired = a->expired && a->urg == U_PAST && a->prio == 4;
	if (a->deadline && a->deadline < due_t && !expired)
		due_t = a->deadline;
	char due[RFC3339_LEN], dl[RFC3339_LEN];
	clock_format(due_t, due);
	jv t = jv_object();
	t = jv_object_set(t, jv_string_cached("priority"),
			  jv_string_cached(triage_priority_name(a->prio)));
	t = jv_object_set(t, jv_string_cached("category"),
			  jv_string_cached(category_names[a->cat]));
	t = jv_object_set(t, jv_string_cached("urgency"), jv_string_cached(urgency_names[a->urg]));
	t = jv_object_set(t, jv_string_cached("severity"),
			  jv_string_cached(severity_names[a->sev]));
	t = jv_object_set(t, jv_string_cached("certainty"),
			  jv_string_cached(certainty_names[a->cert]));
	t = jv_object_set(t, jv_string_cached("due_at"), jv_string(due));
	if (a->request && request_names[a->req_kind])
		t = jv_object_set(t, jv_string_cached("request"),
				  jv_string_cached(request_names[a->req_kind]));
	if (a->deadline) {
		clock_format(a->deadline, dl);
		t = jv_object_set(t, jv_string_cached("deadline"), jv_string(dl));
	}
	if (expired)
		t = jv_object_set(t, jv_string_cached("expired"), jv_true());
	return jv_object_set(t, jv_string_cached("reasons"), a->rs.arr);
}

/* The message's language as two letters ("fr-FR" → "fr"), else detected
 * from its text; "" when neither says. */
static void message_lang(struct assess *a, const char *given)
{
	const char *l = given;
	if (!l || !((l[0] >= 'a' && l[0] <= 'z') || (l[0] >= 'A' && l[0] <= 'Z')) ||
	    !((l[1] >= 'a' && l[1] <= 'z') || (l[1] >= 'A' && l[1] <= 'Z')) ||
	    (l[2] && l[2] != '-' && l[2] != '_'))
		l = a->len ? lang_detect(a->text, a->len) : "und";
	if (strcmp(l, "und") == 0) {
		a->lang[0] = '\0';
		return;
	}
	a->lang[0] = (char)(l[0] | 0x20);
	a->lang[1] = (char)(l[1] | 0x20);
	a->lang[2] = '\0';
}

jv triage_assess(jv msg, time_t now, const struct triage_config *cfg)
{
	struct triage_config defaults;
	char stack_text[STACK_TEXT], *text = stack_text;
	struct lexicon_match m[MAX_MATCHES];
	unsigned char neg[MAX_MATCHES];
	struct assess a = {.rs = {.arr = jv_array()}, .m = m, .neg = neg, .cat = TRIAGE_GENERAL};
	const char *origin = NULL;

	a.received = a.start = now;
	if (!cfg) {
		triage_config_init(&defaults);
		cfg = &defaults;
	}
	a.rules = cfg->rules ? cfg->rules : triage_rules_default();
	a.text = text;
	text[0] = '\0';
	if (jv_get_kind(msg) != JV_KIND_OBJECT || !a.rules) {
		reason_add(&a.rs, a.rules ? "input:not an object" : "rules:out of memory");
	} else {
		const char *subject = jv_get_str(msg, "subject");
		const char *body = jv_get_str(msg, "body");
		const char *ra = jv_get_str(msg, "received_at");
		const char *sa = jv_get_str(msg, "sent_at");
		time_t sent = 0;
		if (!ra || clock_parse(ra, &a.received) < 0)
			a.received = now;
		if (sa && clock_parse(sa, &sent) < 0)
			sent = 0;
		/* a sent_at after its arrival is a wrong clock */
		a.start = sent && sent <= a.received ? sent : a.received;
		origin = jv_get_str(msg, "origin_country");
		size_t need = (subject ? strlen(subject) : 0) + (body ? strlen(body) : 0) +
			      cap_texts(msg, NULL, NULL) + 8;
		if (need > STACK_TEXT && !(text = malloc(need))) {
			text = stack_text;
			need = 0;
			subject = body = NULL;
		}
		a.len = append_folded(text, 0, subject);
		a.subject_end = a.len;
		a.len = append_folded(text, a.len, body);
		if (need)
			cap_texts(msg, text, &a.len);
		text[a.len] = '\0';
		a.text = text;
		a.nm = lexicon_scan(a.rules->lx, text, a.len, m, MAX_MATCHES);
		read_cap(msg, &a.cap);
		if (a.cap.present && !a.cap.sent)
			a.cap.sent = sent;
		read_checks(msg, &a.hit);
		message_lang(&a, jv_get_str(msg, "language"));
		one_match_per_place(&a, a.lang[0] ? a.lang : NULL);
		mark_negations(&a);
		choose_category(&a);
	}
	read_signals(&a);
	a.missing_minor = !a.resolved && find_missing_minor(&a);
	decide(&a);
	read_deadline(&a, now, origin);
	apply_policy(&a);
	jv t = outcome(&a, cfg);
	if (text != stack_text)
		free(text);
	jv_free(msg);
	return t;
}

jv triage_annotate(jv msg, time_t now, const struct triage_config *cfg)
{
	jv t = triage_assess(jv_copy(msg), now, cfg);
	if (jv_get_kind(msg) != JV_KIND_OBJECT) {
		jv_free(t);
		return msg;
	}
	return jv_object_set(msg, jv_string("triage"), t);
}
