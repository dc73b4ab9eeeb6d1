/*
 * notice.c: kinds, required fields, control numbers and the Article 3 screen
 * of notices, diffusions and alerts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ccc/clock.h"
#include "ccc/json.h"
#include "ccc/lexicon.h"
#include "ccc/notice.h"
#include "ccc/textfold.h"
#include "ccc/xmalloc.h"

static const struct {
	const char *name, *type;
	char letter;
	int person;
	const char *required[9];
} kinds[NOTICE_NKINDS] = {
    [NOTICE_RED] = {"red",
		    "notice",
		    'A',
		    1,
		    {"name", "dob", "nationalities", "charge", "warrant", "warrant_date",
		     "authority", "requesting_country", NULL}},
    [NOTICE_YELLOW] =
	{"yellow", "notice", 'F', 1, {"name", "dob", "missing_since", "requesting_country", NULL}},
    [NOTICE_BLUE] = {"blue", "notice", 'B', 1, {"name", "purpose", "requesting_country", NULL}},
    [NOTICE_BLACK] = {"black",
		      "notice",
		      'D',
		      0,
		      {"description", "found_date", "found_country", "requesting_country", NULL}},
    [NOTICE_GREEN] =
	{"green", "notice", 'C', 1, {"name", "activities", "requesting_country", NULL}},
    [NOTICE_ORANGE] =
	{"orange", "notice", 'E', 0, {"threat", "description", "requesting_country", NULL}},
    [NOTICE_PURPLE] = {"purple", "notice", 'P', 0, {"modus_operandi", "requesting_country", NULL}},
    [NOTICE_SILVER] =
	{"silver", "notice", 'S', 0, {"assets", "purpose", "requesting_country", NULL}},
    [NOTICE_UN_SPECIAL] =
	{"un-special", "notice", 'U', 1, {"name", "un_reference", "committee", NULL}},
    [NOTICE_DIFFUSION] =
	{"diffusion", "diffusion", 'X', 0, {"purpose", "requesting_country", NULL}},
    [NOTICE_ALERT] = {"alert", "alert", 'Z', 0, {"threat", "description", NULL}},
};

int notice_kind_by_name(const char *name)
{
	for (int k = 0; name && k < NOTICE_NKINDS; k++)
		if (!strcmp(kinds[k].name, name))
			return k;
	return -1;
}

const char *notice_kind_name(enum notice_kind k)
{
	return kinds[k].name;
}
const char *notice_kind_type(enum notice_kind k)
{
	return kinds[k].type;
}
char notice_kind_letter(enum notice_kind k)
{
	return kinds[k].letter;
}
int notice_kind_names_person(enum notice_kind k)
{
	return kinds[k].person;
}
const char *const *notice_required(enum notice_kind k)
{
	return kinds[k].required;
}

void notice_control_number(enum notice_kind k, long serial, int year, char *out, size_t n)
{
	snprintf(out, n, "%c-%ld/%d", kinds[k].letter, serial, year);
}

/* The free-text fields: screened for Article 3, translated as FIELD_LANG. */
static const char *const text_fields[] = {"charge",  "description",    "purpose",     "activities",
					  "threat",  "modus_operandi", "assets",      "title",
					  "summary", "text",           "instruction", NULL};
const char *const notice_langs[] = {"ar", "en", "fr", "es", NULL};

const char *const *notice_text_fields(void)
{
	return text_fields;
}

static int lang_known(const char *l)
{
	for (int i = 0; l && notice_langs[i]; i++)
		if (!strcmp(l, notice_langs[i]))
			return 1;
	return 0;
}

/* 1 when rec has a non-empty FIELD_lang for some free-text field. */
static int has_translation(jv rec, const char *lang)
{
	char f[64];
	for (int i = 0; text_fields[i]; i++) {
		snprintf(f, sizeof f, "%s_%s", text_fields[i], lang);
		const char *s = jv_get_str(rec, f);
		if (s && *s)
			return 1;
	}
	return 0;
}

jv notice_languages(jv rec)
{
	jv given = jv_object_get(jv_copy(rec), jv_string("languages")), out = jv_array();
	if (jv_get_kind(given) == JV_KIND_ARRAY) {
		jv_array_foreach (given, i, l) {
			int dup = 0;
			if (jv_get_kind(l) == JV_KIND_STRING && lang_known(jv_string_value(l))) {
				jv_array_foreach (out, j, o) {
					dup |= !strcmp(jv_string_value(o), jv_string_value(l));
					jv_free(o);
				}
			}
			if (jv_get_kind(l) == JV_KIND_STRING && lang_known(jv_string_value(l)) &&
			    !dup)
				out = jv_array_append(out, l);
			else
				jv_free(l);
		}
	}
	jv_free(given);
	if (jv_array_length(jv_copy(out)) > 0)
		return out;
	out = jv_array_append(out, jv_string("en"));
	for (int i = 0; notice_langs[i]; i++)
		if (strcmp(notice_langs[i], "en") != 0 && has_translation(rec, notice_langs[i]))
			out = jv_array_append(out, jv_string(notice_langs[i]));
	return out;
}

const char *notice_text(jv rec, const char *field, const char *lang)
{
	char f[64];
	snprintf(f, sizeof f, "%s_%s", field, lang);
	const char *s = jv_get_str(rec, f);
	if (s && *s)
		return s;
	jv langs = notice_languages(rec);
	jv first = jv_array_get(langs, 0);
	int base = jv_get_kind(first) == JV_KIND_STRING && !strcmp(jv_string_value(first), lang);
	jv_free(first);
	s = jv_get_str(rec, field);
	return base && s && *s ? s : NULL;
}

int notice_is_public(jv rec)
{
	jv p = jv_object_get(jv_copy(rec), jv_string("public"));
	int yes = jv_get_kind(p) == JV_KIND_TRUE;
	jv_free(p);
	return yes;
}

int notice_sent_to(jv rec, const char *cc)
{
	int named = 0, sent = 0;
	jv to = jv_object_get(jv_copy(rec), jv_string("to"));
	/* a "to" or "regions" of any value, even empty, names recipients: the
	 * notice is then not for every country (fail closed) */
	named |= jv_get_kind(to) != JV_KIND_INVALID && jv_get_kind(to) != JV_KIND_NULL;
	if (jv_get_kind(to) == JV_KIND_STRING)
		to = jv_array_append(jv_array(), to);
	if (jv_get_kind(to) == JV_KIND_ARRAY) {
		jv_array_foreach (to, i, c) {
			sent |= cc && jv_get_kind(c) == JV_KIND_STRING &&
				!strcasecmp(jv_string_value(c), cc);
			jv_free(c);
		}
	}
	jv_free(to);
	jv regs = jv_object_get(jv_copy(rec), jv_string("regions"));
	named |= jv_get_kind(regs) != JV_KIND_INVALID && jv_get_kind(regs) != JV_KIND_NULL;
	if (jv_get_kind(regs) == JV_KIND_STRING)
		regs = jv_array_append(jv_array(), regs);
	if (jv_get_kind(regs) == JV_KIND_ARRAY) {
		jv_array_foreach (regs, i, r) {
			jv codes = jv_get_kind(r) == JV_KIND_STRING
				       ? notice_region(jv_string_value(r))
				       : jv_invalid();
			if (jv_get_kind(codes) == JV_KIND_ARRAY) {
				jv_array_foreach (codes, j, c) {
					sent |= cc && jv_get_kind(c) == JV_KIND_STRING &&
						!strcasecmp(jv_string_value(c), cc);
					jv_free(c);
				}
			}
			jv_free(codes);
			jv_free(r);
		}
	}
	jv_free(regs);
	return named ? sent : -1;
}

int notice_kind_publishable(enum notice_kind k)
{
	return k == NOTICE_RED || k == NOTICE_YELLOW || k == NOTICE_UN_SPECIAL ||
	       k == NOTICE_ORANGE || k == NOTICE_ALERT;
}

int notice_valid_date(const char *s)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

static int is_date_field(const char *f)
{
	static const char *const dates[] = {"dob", "warrant_date", "missing_since", "found_date",
					    NULL};
	for (int i = 0; dates[i]; i++)
		if (!strcmp(f, dates[i]))
			return 1;
	return 0;
}

/* A name: at most 200 bytes, a letter, no digit. */
static const char *name_problem(const char *s)
{
	int letter = 0;
	if (strlen(s) > 200)
		return "is longer than 200 bytes";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			return "has a digit";
		if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')
			letter = 1;
		else if (*p >= 0xC0)
			letter = 1;
	}
	return letter ? NULL : "has no letter";
}

static jv problem(jv list, const char *fmt, const char *a, const char *b)
{
	char text[256];
	snprintf(text, sizeof text, fmt, a, b ? b : "");
	return jv_array_append(list, jv_string(text));
}

/* Check the country codes of array field f (not required). */
static jv check_countries(jv rec, const char *f, jv list, int *count)
{
	jv a = jv_object_get(jv_copy(rec), jv_string(f));
	*count = 0;
	if (jv_get_kind(a) == JV_KIND_ARRAY) {
		jv_array_foreach (a, i, x) {
			if (jv_get_kind(x) != JV_KIND_STRING ||
			    !notice_country_known(jv_string_value(x)))
				list = problem(
				    list, "field '%s': '%s' is not an ISO 3166 alpha-2 code", f,
				    jv_get_kind(x) == JV_KIND_STRING ? jv_string_value(x) : "?");
			else
				(*count)++;
			jv_free(x);
		}
	} else if (jv_get_kind(a) != JV_KIND_INVALID && jv_get_kind(a) != JV_KIND_NULL) {
		list = problem(list, "field '%s': expected an array of country codes%s", f, NULL);
	}
	jv_free(a);
	return list;
}

/* public: a boolean, and only on the kinds that are ever published. */
static jv check_publication(jv rec, int k, jv list)
{
	jv p = jv_object_get(jv_copy(rec), jv_string("public"));
	jv_kind pk = jv_get_kind(p);
	jv_free(p);
	if (pk == JV_KIND_INVALID || pk == JV_KIND_NULL || pk == JV_KIND_FALSE)
		return list;
	if (pk != JV_KIND_TRUE)
		return problem(list, "field 'public': expected true or false%s%s", "", NULL);
	if (!notice_kind_publishable(k))
		list = problem(list,
			       "field 'public': a %s notice is never made public (only red, "
			       "yellow, orange and un-special notices and alerts are)%s",
			       kinds[k].name, NULL);
	return list;
}

/* languages: distinct codes of ar, en, fr, es; every language but the first
 * has a translation (FIELD_LANG) of each free-text field the notice has. */
static jv check_languages(jv rec, jv list)
{
	jv given = jv_object_get(jv_copy(rec), jv_string("languages"));
	jv_kind gk = jv_get_kind(given);
	if (gk != JV_KIND_INVALID && gk != JV_KIND_NULL) {
		if (gk != JV_KIND_ARRAY || jv_array_length(jv_copy(given)) == 0)
			list = problem(list,
				       "field 'languages': expected an array of ar, en, fr, "
				       "es%s%s",
				       "", NULL);
		else {
			unsigned seen = 0;
			jv_array_foreach (given, i, l) {
				const char *c =
				    jv_get_kind(l) == JV_KIND_STRING ? jv_string_value(l) : "?";
				int at = -1;
				for (int j = 0; notice_langs[j]; j++)
					if (!strcmp(c, notice_langs[j]))
						at = j;
				if (at < 0)
					list = problem(list,
						       "field 'languages': '%s' is not ar, en, fr "
						       "or es%s",
						       c, NULL);
				else if (seen & (1u << at))
					list = problem(list,
						       "field 'languages': '%s' is listed twice%s",
						       c, NULL);
				if (at >= 0)
					seen |= 1u << at;
				jv_free(l);
			}
		}
	}
	jv_free(given);
	jv langs = notice_languages(rec);
	jv_array_foreach (langs, i, l) {
		for (int f = 0; i > 0 && text_fields[f]; f++) {
			const char *base = jv_get_str(rec, text_fields[f]);
			char tf[64];
			if (!base || !*base || notice_text(rec, text_fields[f], jv_string_value(l)))
				continue;
			snprintf(tf, sizeof tf, "%s_%s", text_fields[f], jv_string_value(l));
			list = problem(list, "field '%s': missing (the notice is in '%s')", tf,
				       jv_string_value(l));
		}
		jv_free(l);
	}
	jv_free(langs);
	return list;
}

/* urgency, severity, certainty: the words of CAP 1.2, when given. */
static jv check_cap_words(jv rec, jv list)
{
	static const struct {
		const char *field, *words[6];
	} cap[] = {
	    {"urgency", {"Immediate", "Expected", "Future", "Past", "Unknown", NULL}},
	    {"severity", {"Extreme", "Severe", "Moderate", "Minor", "Unknown", NULL}},
	    {"certainty", {"Observed", "Likely", "Possible", "Unlikely", "Unknown", NULL}},
	};
	for (size_t i = 0; i < sizeof cap / sizeof cap[0]; i++) {
		const char *s = jv_get_str(rec, cap[i].field);
		int ok = !s;
		for (int j = 0; s && cap[i].words[j]; j++)
			ok |= !strcmp(s, cap[i].words[j]);
		if (!ok)
			list = problem(list,
				       "field '%s': '%s' is not a CAP 1.2 word (see ccc-notice(1))",
				       cap[i].field, s);
	}
	return list;
}

jv notice_problems(jv rec)
{
	jv list = jv_array();
	int k = notice_kind_by_name(jv_get_str(rec, "kind"));
	char today[RFC3339_LEN];
	int n;
	if (k < 0)
		return problem(list, "field 'kind': '%s' is not a kind%s",
			       jv_get_str(rec, "kind") ? jv_get_str(rec, "kind") : "(missing)",
			       NULL);
	clock_format(clock_now(), today);
	today[10] = '\0';
	for (const char *const *f = kinds[k].required; *f; f++) {
		jv v = jv_object_get(jv_copy(rec), jv_string(*f));
		jv_kind vk = jv_get_kind(v);
		jv_free(v);
		if (!strcmp(*f, "nationalities")) {
			if (vk != JV_KIND_ARRAY)
				list =
				    problem(list, "field '%s': missing (required for a %s notice)",
					    *f, kinds[k].name);
			continue;
		}
		const char *s = jv_get_str(rec, *f);
		if (!s || !*s)
			list = problem(list, "field '%s': missing (required for a %s notice)", *f,
				       kinds[k].name);
	}
	/* Well formed, wherever present. */
	static const char *const checked[] = {"dob",        "warrant_date",       "missing_since",
					      "found_date", "requesting_country", "found_country",
					      "name",       "forename",           NULL};
	for (int i = 0; checked[i]; i++) {
		const char *f = checked[i], *s = jv_get_str(rec, f), *why;
		if (!s || !*s)
			continue;
		if (is_date_field(f)) {
			if (!notice_valid_date(s))
				list = problem(list, "field '%s': '%s' is not a date (YYYY-MM-DD)",
					       f, s);
			else if (strcmp(s, today) > 0)
				list = problem(list, "field '%s': '%s' is in the future", f, s);
		} else if (!strcmp(f, "name") || !strcmp(f, "forename")) {
			if ((why = name_problem(s)))
				list = problem(list, "field '%s': the name %s", f, why);
		} else if (!notice_country_known(s)) {
			list =
			    problem(list, "field '%s': '%s' is not an ISO 3166 alpha-2 code", f, s);
		}
	}
	list = check_countries(rec, "nationalities", list, &n);
	jv nat = jv_object_get(jv_copy(rec), jv_string("nationalities"));
	if (k == NOTICE_RED && n == 0 && jv_get_kind(nat) == JV_KIND_ARRAY)
		list = problem(list, "field 'nationalities': %s%s", "empty", NULL);
	jv_free(nat);
	int nto, nreg = 0;
	list = check_countries(rec, "to", list, &nto);
	jv regs = jv_object_get(jv_copy(rec), jv_string("regions"));
	if (jv_get_kind(regs) == JV_KIND_ARRAY) {
		jv_array_foreach (regs, i, r) {
			jv codes = jv_get_kind(r) == JV_KIND_STRING
				       ? notice_region(jv_string_value(r))
				       : jv_invalid();
			if (!jv_is_valid(codes))
				list = problem(list,
					       "field 'regions': '%s' is not africa, americas, "
					       "asia-south-pacific, europe or mena%s",
					       jv_get_kind(r) == JV_KIND_STRING ? jv_string_value(r)
										: "?",
					       NULL);
			else
				nreg++;
			jv_free(codes);
			jv_free(r);
		}
	}
	jv_free(regs);
	list = check_publication(rec, k, list);
	list = check_languages(rec, list);
	list = check_cap_words(rec, list);
	if (k == NOTICE_DIFFUSION && nto + nreg == 0)
		list = problem(list, "a diffusion needs its recipients: %s%s",
			       "give --to or --region", NULL);
	return list;
}

/* ---- the Article 3 screen ---- */

enum { A3_POLITICAL, A3_MILITARY, A3_RELIGIOUS, A3_RACIAL };
static const char *const a3_category[] = {"political", "military", "religious", "racial"};

static const struct {
	const char *phrase;
	unsigned char category;
	char lang[3];
	unsigned flags;
} a3_terms[] = {
    {"political party", A3_POLITICAL, "en", LEXICON_PLURAL},
    {"political opponent", A3_POLITICAL, "en", LEXICON_PLURAL},
    {"opposition leader", A3_POLITICAL, "en", LEXICON_PLURAL},
    {"dissident", A3_POLITICAL, "en", LEXICON_PLURAL},
    {"insulting the president", A3_POLITICAL, "en", 0},
    {"unauthorised demonstration", A3_POLITICAL, "en", LEXICON_PLURAL},
    {"unauthorized demonstration", A3_POLITICAL, "en", LEXICON_PLURAL},
    {"election", A3_POLITICAL, "en", LEXICON_PLURAL},
    {"parti politique", A3_POLITICAL, "fr", LEXICON_PLURAL},
    {"opposant politique", A3_POLITICAL, "fr", LEXICON_PLURAL},
    {"dissident", A3_POLITICAL, "fr", LEXICON_PLURAL},
    {"offense au chef de l'etat", A3_POLITICAL, "fr", 0},
    {"manifestation non autorisee", A3_POLITICAL, "fr", 0},
    {"partido politico", A3_POLITICAL, "es", LEXICON_PLURAL},
    {"opositor politico", A3_POLITICAL, "es", LEXICON_PLURAL},
    {"disidente", A3_POLITICAL, "es", LEXICON_PLURAL},
    {"desacato al presidente", A3_POLITICAL, "es", 0},
    {"manifestacion no autorizada", A3_POLITICAL, "es", 0},
    {"حزب سياسي", A3_POLITICAL, "ar", LEXICON_AR_PREFIX},
    {"معارض سياسي", A3_POLITICAL, "ar", LEXICON_AR_PREFIX},
    {"المعارضة", A3_POLITICAL, "ar", 0},
    {"إهانة الرئيس", A3_POLITICAL, "ar", LEXICON_AR_PREFIX},
    {"desertion", A3_MILITARY, "en", 0},
    {"deserter", A3_MILITARY, "en", LEXICON_PLURAL},
    {"military service", A3_MILITARY, "en", 0},
    {"draft evasion", A3_MILITARY, "en", 0},
    {"desertion", A3_MILITARY, "fr", 0},
    {"deserteur", A3_MILITARY, "fr", LEXICON_PLURAL},
    {"service militaire", A3_MILITARY, "fr", 0},
    {"insoumission", A3_MILITARY, "fr", 0},
    {"desercion", A3_MILITARY, "es", 0},
    {"desertor", A3_MILITARY, "es", LEXICON_PLURAL},
    {"servicio militar", A3_MILITARY, "es", 0},
    {"الفرار من الخدمة العسكرية", A3_MILITARY, "ar", LEXICON_AR_PREFIX},
    {"الخدمة العسكرية", A3_MILITARY, "ar", LEXICON_AR_PREFIX},
    {"blasphemy", A3_RELIGIOUS, "en", 0},
    {"apostasy", A3_RELIGIOUS, "en", 0},
    {"heresy", A3_RELIGIOUS, "en", 0},
    {"proselytism", A3_RELIGIOUS, "en", 0},
    {"blaspheme", A3_RELIGIOUS, "fr", 0},
    {"apostasie", A3_RELIGIOUS, "fr", 0},
    {"proselytisme", A3_RELIGIOUS, "fr", 0},
    {"blasfemia", A3_RELIGIOUS, "es", 0},
    {"apostasia", A3_RELIGIOUS, "es", 0},
    {"proselitismo", A3_RELIGIOUS, "es", 0},
    {"ازدراء الأديان", A3_RELIGIOUS, "ar", LEXICON_AR_PREFIX},
    {"ردة", A3_RELIGIOUS, "ar", LEXICON_AR_PREFIX},
    {"تجديف", A3_RELIGIOUS, "ar", LEXICON_AR_PREFIX},
    {"ethnic origin", A3_RACIAL, "en", 0},
    {"ethnicity", A3_RACIAL, "en", 0},
    {"racial", A3_RACIAL, "en", 0},
    {"origine ethnique", A3_RACIAL, "fr", 0},
    {"appartenance ethnique", A3_RACIAL, "fr", 0},
    {"raciale", A3_RACIAL, "fr", 0},
    {"origen etnico", A3_RACIAL, "es", 0},
    {"etnia", A3_RACIAL, "es", LEXICON_PLURAL},
    {"raza", A3_RACIAL, "es", LEXICON_PLURAL},
    {"أصل عرقي", A3_RACIAL, "ar", LEXICON_AR_PREFIX},
    {"عرقي", A3_RACIAL, "ar", LEXICON_AR_PREFIX | LEXICON_AR_SUFFIX},
};

jv notice_article3_screen(jv rec)
{
	struct lexicon *lx = lexicon_new();
	jv hits = jv_array();
	if (!lx)
		abort();
	for (size_t i = 0; i < sizeof a3_terms / sizeof a3_terms[0]; i++)
		if (lexicon_add(lx, a3_terms[i].phrase, a3_terms[i].flags, (int)i) < 0)
			abort();
	if (lexicon_build(lx) < 0)
		abort();
	for (int i = 0; i < 5 * (int)(sizeof text_fields / sizeof text_fields[0] - 1); i++) {
		char field[64];
		if (i % 5 == 0)
			snprintf(field, sizeof field, "%s", text_fields[i / 5]);
		else
			snprintf(field, sizeof field, "%s_%s", text_fields[i / 5],
				 notice_langs[i % 5 - 1]);
		const char *s = jv_get_str(rec, field);
		struct lexicon_match m[32];
		if (!s)
			continue;
		size_t len = strlen(s);
		char *folded = xmalloc(len + 1);
		size_t flen = textfold(s, len, folded);
		size_t nm = lexicon_scan(lx, folded, flen, m, 32);
		for (size_t j = 0; j < nm; j++) {
			int t = m[j].value;
			jv h = JV_OBJECT(jv_string("field"), jv_string(field), jv_string("term"),
					 jv_string(a3_terms[t].phrase), jv_string("category"),
					 jv_string(a3_category[a3_terms[t].category]));
			hits = jv_array_append(
			    hits, jv_object_set(h, jv_string("lang"), jv_string(a3_terms[t].lang)));
		}
		free(folded);
	}
	lexicon_free(lx);
	return hits;
}
