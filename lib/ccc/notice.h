/*
 * notice.h: the kinds of notices, diffusions and alerts, their required
 * fields, control numbers, the Article 3 screen and the distribution regions.
 *
 * A notice is one JSON record (type "notice", "diffusion" or "alert"; field
 * "kind"). Everything here is pure: no store. The life of a notice in the
 * store is notice-lifecycle.h.
 */
#ifndef CCC_NOTICE_H
#define CCC_NOTICE_H

#include <stddef.h>

#include <jv.h>

enum notice_kind {
	NOTICE_RED,
	NOTICE_YELLOW,
	NOTICE_BLUE,
	NOTICE_BLACK,
	NOTICE_GREEN,
	NOTICE_ORANGE,
	NOTICE_PURPLE,
	NOTICE_SILVER,
	NOTICE_UN_SPECIAL,
	NOTICE_DIFFUSION,
	NOTICE_ALERT,
	NOTICE_NKINDS
};

/* "red" ... "alert" to enum notice_kind; -1 for an unknown name. */
int notice_kind_by_name(const char *name);
const char *notice_kind_name(enum notice_kind k);
/* The record type of a kind: "notice", "diffusion" or "alert". */
const char *notice_kind_type(enum notice_kind k);
/* The letter of a kind's control numbers (red 'A', ... see ccc-notice.1). */
char notice_kind_letter(enum notice_kind k);
/* 1 when a published notice of this kind makes its subject a person record. */
int notice_kind_names_person(enum notice_kind k);
/* The fields a kind requires, NULL-terminated. */
const char *const *notice_required(enum notice_kind k);

/* 1 for the kinds that may be made public ("public": true): red, yellow,
 * un-special, orange and alert. */
int notice_kind_publishable(enum notice_kind k);
/* 1 when rec (not consumed) is public: its requesting country agreed to
 * publication, or the operations room made its alert public. */
int notice_is_public(jv rec);

/* Whether rec (not consumed) names cc among its recipients ("to", and the
 * countries of its "regions"): 1 yes, 0 no, -1 when it has neither field
 * (it goes to every member country; an empty list is not that). cc may be
 * NULL (then 0 or -1). */
int notice_sent_to(jv rec, const char *cc);

/*
 * Languages. The operations room works in ar, en, fr and es
 * (notice_langs, NULL-terminated). A free-text field FIELD (charge,
 * description, ... see notice_text_fields) is given in other languages as
 * FIELD_ar, FIELD_en, FIELD_fr, FIELD_es.
 */
extern const char *const notice_langs[];
/* The free-text fields, NULL-terminated. */
const char *const *notice_text_fields(void);
/* The languages rec (not consumed) is in, first the language of its
 * untranslated fields: its "languages" field (the known codes in it, each
 * once), else
 * "en" followed by each of ar, fr, es that a translation is given in. */
jv notice_languages(jv rec);
/* Field f of rec in language lang: FIELD_lang, else FIELD itself when lang
 * is the notice's first language; NULL when neither (borrowed from rec). */
const char *notice_text(jv rec, const char *field, const char *lang);

/* "A-12/2026" into out (at least 24 bytes). */
void notice_control_number(enum notice_kind k, long serial, int year, char *out, size_t n);

/*
 * Check rec (not consumed) for its kind's required fields, well formed: dates
 * (YYYY-MM-DD, real calendar days, not in the future where they are past
 * events), ISO 3166 alpha-2 countries from the shipped table, names (a letter,
 * no digit). Returns an array of problem strings (empty when none).
 */
jv notice_problems(jv rec);

/* 1 when cc is an ISO 3166 alpha-2 code in the shipped table. */
int notice_country_known(const char *cc);
/* 1 when s is a real calendar date YYYY-MM-DD. */
int notice_valid_date(const char *s);

/* The countries of a region (africa, americas, asia-south-pacific, europe,
 * mena) as an array of codes; jv_invalid() for an unknown region. */
jv notice_region(const char *name);

/*
 * The Article 3 screen: the free-text fields of rec (not consumed), and
 * their translations, against
 * small lexicons, in Arabic, English, French and Spanish, of terms that
 * suggest a political, military, religious or racial character. Returns an
 * array of {"field", "term", "category", "lang"} (empty when nothing found).
 * A hit does not refuse the notice: it asks for a human decision.
 */
jv notice_article3_screen(jv rec);

#endif
