/*
 * lang.h: detect the language of a message among Arabic, English, French and
 * Spanish from its script, its stop words and its diacritics.
 */
#ifndef CCC_LANG_H
#define CCC_LANG_H

#include <stddef.h>

/* "ar", "en", "fr", "es", or "und" when the text gives too little evidence. */
const char *lang_detect(const char *utf8, size_t len);

#endif
