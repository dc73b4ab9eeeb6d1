/*
 * deploy-languages.h: the official languages of the countries a team may be
 * sent to, so that a plan can try to cover them.
 */
#ifndef CCC_DEPLOY_LANGUAGES_H
#define CCC_DEPLOY_LANGUAGES_H

/*
 * The official languages of country cc (ISO 3166 alpha-2, upper case) as
 * ISO 639-1 codes separated by commas, e.g. "fr,de,it,rm" for CH; NULL when
 * the country is not in the table.
 */
const char *deploy_official_languages(const char *cc);

#endif
