/*
 * personmatch.h: how alike two persons are, from names, dates of birth and
 * nationalities; and the blocking keys that find candidates in an index.
 *
 * Names are compared as normalised tokens (names.h) in any order: every token of
 * one name is paired with at most one token (or two adjacent tokens written as one:
 * "abdul rahman" / "abdulrahman", "jin ping" / "jinping") of the other, best pairs
 * first. A pair scores the better of Jaro-Winkler on the spelling and Jaro-Winkler on
 * the phonetic skeletons (name_phonetic: the transliteration styles folded), the
 * latter trusted more when one side was written in an abjad (Arabic, Hebrew) where
 * short vowels are not written, less when one skeleton has more consonants; the
 * Arabic article written onto a word (elsayed) is also compared without it, and
 * where the other token calls for it a token is also read in another style's
 * letters, counting a little less: German sch for zh (schukow, zhukov), the
 * Belarusian and Ukrainian h for g (hrodna, grodno), and against a token from
 * another script ch as k (michael), German z for ts (zwirner) and the
 * Polivanov ti, si for chi, shi (Japanese names in Cyrillic). A
 * pair's similarity from the floor (0.75) to 0.88 is spread down to 0.5. Given
 * names of one group of short forms and transliterations (mohammed, mehmet;
 * aleksandr, sasha) score 0.95; two tokens that name different people score 0:
 * one stem with surname suffixes of different families (petrov, petrenko;
 * medvedev, medvedchuk) or one given name of the two genders (daniel, daniela;
 * mario, maria; jean, jeanne). Particles (bin, de) and initials weigh little; an
 * initial agrees with any token that it begins, and one left unpaired against a
 * token left unpaired costs 15%.
 *
 * Scores are in [0, 1]. PERSON_MATCH_THRESHOLD was chosen on the tuning part of
 * the labelled pairs of tests/bench/match-pairs.c and measured on the frozen
 * held-out part (tests/fixtures/names/pairs-heldout.tsv): recall 0.955, precision
 * 0.952; tests/bench/match.sh prints the precision-recall table of thresholds.
 *
 * All functions are pure and thread-safe.
 */
#ifndef CCC_PERSONMATCH_H
#define CCC_PERSONMATCH_H

#include <stddef.h>

#include "ccc/names.h"

#define PERSON_MATCH_THRESHOLD 0.65

/* For tests: when set, no pair of tokens is skipped for an upper bound of its
 * similarity below the pair floor (the scores must come out the same). Not for
 * use with threads. */
extern int person_match_exhaustive;

/* Token-order-independent similarity of two normalised names; 0 when either has
 * no tokens. */
double person_name_score(const struct name_tokens *a, const struct name_tokens *b);

/* The best person_name_score over the readings (names_readings) of two names
 * as written, as ccc-check compares a query with a stored name; 0 when either
 * has no tokens or cannot be read. */
double person_name_score_readings(struct name_normalizer *nn, const char *a, size_t alen,
				  const char *b, size_t blen);

/* A person as ccc-check compares it. dob: ISO 8601 "1970-05-17", "1970-05" or
 * "1970", several alternatives separated by '|' (as lists give them); countries:
 * ISO 3166 alpha-2 codes separated by ',' or '|'. NULL or "" means unknown. */
struct person {
	const struct name_tokens *name;
	const char *dob;
	const char *countries;
};

/* The person score: the name score moved up or down by the date of birth (exact,
 * same year and month, same year, day and month swapped, a year off, or
 * different) and the nationality (shared or not). Unknown fields move nothing.
 * When why is not NULL, writes a one-line explanation into why[whysz], e.g.
 * "name 0.96 (putin=putin 1.00, vladimir=vladimir 1.00); dob exact; nationality ru". */
double person_score(const struct person *query, const struct person *candidate, char *why,
		    size_t whysz);

/* What person_score found for two persons: enough to explain the score
 * (person_explain) without scoring the names again. */
struct person_pair {
	double sim;
	unsigned ua, ub; /* the units paired (a token, or two written together) */
};
struct person_match {
	double name; /* the name score */
	unsigned npairs;
	struct person_pair pairs[NAME_TOKENS_MAX];
	int dob;         /* enum dob_match */
	int shared;      /* nationality: 1 shared, 0 none shared, -1 unknown */
	char country[3]; /* the one shared */
};

/* person_score without the explanation, what it found in *m. */
double person_score_match(const struct person *query, const struct person *candidate,
			  struct person_match *m);

/* The explanation person_score writes, from what person_score_match found for
 * the same two persons: why[0..whysz) holds it. */
void person_explain(const struct person *query, const struct person *candidate,
		    const struct person_match *m, char *why, size_t whysz);

/* The most person_score(query, c) can be for a candidate c of this date of
 * birth and these nationalities, whatever its name: a name scores at most 1.
 * Cheap (no name is read), so that a candidate it puts below a threshold
 * need not be scored. */
double person_score_bound(const struct person *query, const char *dob, const char *countries);

/* Date-of-birth agreement, as used by person_score (exposed for tests). */
enum dob_match {
	DOB_UNKNOWN,  /* either side missing or unparsable */
	DOB_EXACT,    /* same year, month and day */
	DOB_PARTIAL,  /* same as far as the less precise side goes (1970 vs 1970-05-17) */
	DOB_SWAPPED,  /* day and month exchanged (1970-05-07 vs 1970-07-05) */
	DOB_YEAR_OFF, /* one year apart, the rest agreeing or unknown */
	DOB_DIFFERENT,
};
enum dob_match dob_compare(const char *a, const char *b);

/* 1 when s is a date of birth as ccc-check takes one: "YYYY", "YYYY-MM" or
 * "YYYY-MM-DD", a real calendar date (1980-02-29 yes, 1981-02-29 and 1980-13-45
 * no) from the year 1000 on; 0 otherwise. */
int dob_valid(const char *s);

/*
 * Blocking keys for candidate retrieval: up to max keys of at most
 * PERSON_KEY_MAX-1 characters, one per distinct token that is not a particle or an
 * initial (the first 4 letters of its consonant skeleton, or of the token when
 * the skeleton is empty), plus one per adjacent pair of tokens written together, so
 * "xi jinping" and "习近平" (xi jin ping) share keys. Returns the count.
 *
 * Intended use in ccc-check: at load time store one row per (key, person) in an
 * indexed table, e.g. "CREATE TABLE person_key(key TEXT, person_id INTEGER,
 * PRIMARY KEY(key, person_id)) WITHOUT ROWID"; at query time compute the query's
 * keys, fetch the persons that share at least one of them ("SELECT person_id FROM
 * person_key WHERE key = ?" per key, the rarest keys first, stopping after a
 * candidate budget), and score only those with person_score. A name is never
 * compared with the whole table.
 */
#define PERSON_KEY_MAX 8
size_t person_blocking_keys(const struct name_tokens *t, char keys[][PERSON_KEY_MAX], size_t max);
/* The same keys, with tokens[i] the tokens key i was made from (bit j: token j). */
size_t person_blocking_keys_tokens(const struct name_tokens *t, char keys[][PERSON_KEY_MAX],
				   unsigned *tokens, size_t max);

#endif
