/*
 * htmltext.h: HTML reduced to plain text for reading and searching, without a
 * parser: tags dropped, script/style/title contents dropped, block elements
 * and <br> turned into line breaks, white space collapsed outside <pre>,
 * character references (named and numeric) decoded.
 */
#ifndef CCC_HTMLTEXT_H
#define CCC_HTMLTEXT_H

#include <stddef.h>

#include "ccc/json.h"

/* Append the text of the UTF-8 HTML s[0..n) to out, as valid UTF-8 (bad bytes
 * become U+FFFD). Linear in n; never fails. */
void html_to_text(const char *s, size_t n, struct buf *out);

#endif
