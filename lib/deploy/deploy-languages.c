/*
 * deploy-languages.c: official languages by country.
 *
 * Compiled from the countries' constitutions and language laws as summarised
 * in the CIA World Factbook ("Languages" and "official" notes) and ISO 639-1.
 * Where a country has no de jure official language, its de facto national
 * language is listed (US, GB, AU: English; MX: Spanish). Languages without an
 * ISO 639-1 code cannot be named in a staff record and are left out, with a
 * note: Tamazight (MA, DZ; ISO 639-2 "ber"), Northern Sotho (ZA; "nso"),
 * Filipino (PH; "fil", whose ISO 639-1 parent Tagalog "tl" is listed).
 * Languages given the status of "national" or "recognised" only (French in
 * LB and TN, the indigenous languages of MX) are not official and are left
 * out. Sorted by country code.
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/deploy-languages.h"

static const struct official {
	char cc[3];
	const char *langs;
} officials[] = {
    {"AE", "ar"},          {"AR", "es"},
    {"AT", "de"},          {"AU", "en"},
    {"BE", "nl,fr,de"},    {"BO", "es,qu,ay"},
    {"BR", "pt"},          {"CA", "en,fr"},
    {"CH", "de,fr,it,rm"}, {"CL", "es"},
    {"CN", "zh"},          {"CO", "es"},
    {"DE", "de"},          {"DZ", "ar"},
    {"EG", "ar"},          {"ES", "es"},
    {"FR", "fr"},          {"GB", "en"},
    {"GR", "el"},          {"ID", "id"},
    {"IE", "ga,en"},       {"IN", "hi,en"},
    {"IQ", "ar,ku"},       {"IT", "it"},
    {"JO", "ar"},          {"JP", "ja"},
    {"KE", "en,sw"},       {"KW", "ar"},
    {"LB", "ar"},          {"LU", "lb,fr,de"},
    {"LY", "ar"},          {"MA", "ar"},
    {"MX", "es"},          {"MY", "ms"},
    {"NG", "en"},          {"NL", "nl"},
    {"PE", "es,qu,ay"},    {"PH", "tl,en"},
    {"PL", "pl"},          {"PT", "pt"},
    {"QA", "ar"},          {"RU", "ru"},
    {"SA", "ar"},          {"SG", "en,ms,zh,ta"},
    {"SN", "fr"},          {"SY", "ar"},
    {"TN", "ar"},          {"TR", "tr"},
    {"UA", "uk"},          {"US", "en"},
    {"VE", "es"},          {"ZA", "af,en,nr,ss,st,tn,ts,ve,xh,zu"},
};

static int cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct official *)elem)->cc);
}

const char *deploy_official_languages(const char *cc)
{
	const struct official *o = bsearch(cc, officials, sizeof officials / sizeof officials[0],
					   sizeof officials[0], cmp);
	return o ? o->langs : NULL;
}
