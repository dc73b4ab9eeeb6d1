/*
 * textfold.h: fold text for matching: case, Latin accents, Arabic letter forms,
 * punctuation and spaces, so that one spelling of a phrase finds the others.
 *
 * Folding, code point by code point on UTF-8:
 *   - ASCII and Latin-1/Latin Extended-A letters are lowercased and lose their
 *     accents ("É" → "e", "Ñ" → "n"); "ß" → "ss", "æ" → "ae", "œ" → "oe",
 *     "þ" → "th"; combining marks (U+0300–U+036F) are dropped, so decomposed
 *     input folds like composed input. Greek and Cyrillic capitals are lowercased.
 *   - Arabic: أ إ آ ٱ → ا; ى → ي; ة → ه; Persian ی → ي, ک → ك; tatweel (ـ)
 *     and harakat (U+064B–U+065F, U+0670, Quranic marks U+06D6–U+06ED) are
 *     dropped; Arabic-Indic and Eastern digits → 0–9; ، ؛ ؟ → , ; ?
 *   - Fullwidth ASCII (U+FF01–U+FF5E) → ASCII.
 *   - Curly quotes → ' or "; guillemets → "; ¡ ¿ → ! ?; dashes and '-' and '_'
 *     → space; zero-width characters, soft hyphen and BOM are dropped; other
 *     symbols (U+2000–U+2BFF, emoji, Latin-1 symbols) → space.
 *   - Every run of white space (ASCII, NBSP, Unicode spaces, line separators)
 *     becomes one ' '.
 *   - A byte that is not valid UTF-8 becomes a space.
 * Everything else is copied unchanged. The folded text is never longer than
 * its input, and after folding every byte >= 0x80 belongs to a letter, so
 * textfold_word_byte() tells word characters from separators byte by byte.
 */
#ifndef CCC_TEXTFOLD_H
#define CCC_TEXTFOLD_H

#include <stddef.h>

#include "ccc/json.h"

/*
 * Fold in[0..n) into out, which must have room for n + 1 bytes. Returns the
 * folded length; out is NUL-terminated. No allocation.
 */
size_t textfold(const char *in, size_t n, char *out);

/* Append the folded form of in[0..n) to b (a run of spaces across the join
 * collapses too). b->p stays NUL-terminated. */
void textfold_buf(struct buf *b, const char *in, size_t n);

/* 1 when byte c of folded text belongs to a word (a-z, 0-9, any non-ASCII). */
static inline int textfold_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

#endif
