/*
 * similarity.h: string similarity and phonetic codes for names.
 *
 * The algorithms and their edge cases follow jellyfish (github.com/jamesturk/jellyfish),
 * whose expected-value tables are the unit-test vectors. Strings are UTF-8 and are
 * compared by code point, never by byte; an invalid byte counts as U+FFFD. The _u32
 * variants take code-point arrays for callers that decode once and compare many times.
 *
 * All functions are pure and thread-safe. Functions that write a code put a
 * NUL-terminated UTF-8 string into out[outsz] (truncated at a code-point boundary
 * when outsz is too small) and return the length of the full code in bytes, like
 * snprintf.
 */
#ifndef CCC_SIMILARITY_H
#define CCC_SIMILARITY_H

#include <stddef.h>
#include <stdint.h>

/* Jaro similarity in [0, 1]; 0 when either string is empty. */
double jaro_similarity(const char *a, const char *b);
/* Jaro-Winkler: Jaro boosted by 0.1 per agreeing leading code point (up to 4),
 * only when the Jaro score exceeds 0.7. */
double jaro_winkler_similarity(const char *a, const char *b);
/* Jaro-Winkler with the "long tolerance" adjustment for strings longer than 4. */
double jaro_winkler_similarity_longtol(const char *a, const char *b);

double jaro_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);
double jaro_winkler_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
			int long_tolerance);

/* Edit distances in code points: Levenshtein (insert, delete, substitute) and
 * unrestricted Damerau-Levenshtein (also transpositions of any two adjacent
 * symbols, even with edits between them). */
size_t levenshtein_distance(const char *a, const char *b);
size_t damerau_levenshtein_distance(const char *a, const char *b);
size_t levenshtein_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);
size_t damerau_levenshtein_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* Hamming distance; the longer string's extra code points count as differences. */
size_t hamming_distance(const char *a, const char *b);

/* Jaccard index of the sets of grams: white-space separated words when ngram is 0,
 * else non-overlapping chunks of ngram code points (jellyfish's definition). */
double jaccard_similarity(const char *a, const char *b, size_t ngram);

/* Phonetic codes (upper case). soundex: letter + 3 digits ("Washington" -> "W252");
 * nysiis: New York State Identification and Intelligence System ("Catherine" ->
 * "CATARAN"); metaphone: Lawrence Philips' original Metaphone, words kept apart by
 * one space ("metaphone" -> "MTFN"); match_rating_codex: Western Airlines' Match
 * Rating Approach codex, at most 6 code points ("Catherine" -> "CTHRN"). The input
 * is upper-cased; soundex and metaphone also decompose it (NFKD) first. */
size_t soundex(const char *s, char *out, size_t outsz);
size_t nysiis(const char *s, char *out, size_t outsz);
size_t metaphone(const char *s, char *out, size_t outsz);
size_t match_rating_codex(const char *s, char *out, size_t outsz);

/* Match Rating Approach comparison: 1 same name, 0 different, -1 no verdict (the
 * codices differ in length by 3 or more). */
int match_rating_comparison(const char *a, const char *b);

/* Decode UTF-8 a[0..n) into at most max code points of out (invalid bytes become
 * U+FFFD); returns the number of code points in the whole input. */
size_t utf8_to_u32(const char *a, size_t n, uint32_t *out, size_t max);

#endif
