/*
 * similarity.h: the string similarity and phonetic code that name matching uses.
 *
 * The algorithms and their edge cases follow jellyfish (github.com/jamesturk/jellyfish),
 * whose expected-value tables are the unit-test vectors. Strings are compared by code
 * point, never by byte; callers decode once and compare many times.
 *
 * Both functions are pure and thread-safe.
 */
#ifndef CCC_SIMILARITY_H
#define CCC_SIMILARITY_H

#include <stddef.h>
#include <stdint.h>

/* Jaro-Winkler similarity in [0, 1] of two code-point arrays: Jaro boosted by 0.1
 * per agreeing leading code point (up to 4), only when the Jaro score exceeds 0.7;
 * long_tolerance adds jellyfish's adjustment for strings longer than 4. 0 when
 * either is empty. */
double jaro_winkler_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
			int long_tolerance);

/* Lawrence Philips' original Metaphone of UTF-8 s (upper-cased and decomposed,
 * NFKD, first), words kept apart by one space ("metaphone" -> "MTFN"): a
 * NUL-terminated string in out[outsz] (truncated at a code-point boundary when
 * outsz is too small); returns the length of the whole code in bytes, like
 * snprintf. */
size_t metaphone(const char *s, char *out, size_t outsz);

#endif
