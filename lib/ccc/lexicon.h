/*
 * lexicon.h: find many phrases at once in folded text, on word boundaries.
 *
 * An Aho–Corasick automaton over the bytes of the folded phrases, compiled to
 * a full transition table on byte classes, so a scan costs one table load per
 * byte of text whatever the number of phrases, and allocates nothing.
 *
 * A phrase matches where it starts and ends on a word boundary
 * (textfold_word_byte()), so "bomb" is not found in "bombay" nor "armes" in
 * "larmes". Flags relax this per phrase:
 *   LEXICON_PLURAL     "s" or "es" may follow ("bomb" finds "bombs", "arma" "armas");
 *   LEXICON_AR_PREFIX  an Arabic proclitic may be glued before it: و ف ب ل ك,
 *                      ال, وال, فال, بال, كال, لل, ولل, فلل, وب, ول, فب, فل, وك,
 *                      فك, وبال, فبال, وكال, فكال; and the future س, وس, فس only
 *                      before a phrase that starts like a verb in the imperfect
 *                      (ي ت ن ا), so that سفر (travel) is not س + فر (fled);
 *   LEXICON_AR_SUFFIX  an Arabic suffix may be glued after it: ه ها هم هما هن ي
 *                      يه ين يين يون ون ان ات وا ك كم نا ته تها تهم يا تين تان ا.
 * Either way the whole word of the text is the phrase once its clitics are
 * off: never a piece of a longer word.
 * Where a match lies inside a longer match, only the longer one is reported,
 * so "no longer missing" hides "missing" and "esta mañana" hides "mañana".
 */
#ifndef CCC_LEXICON_H
#define CCC_LEXICON_H

#include <stddef.h>

enum {
	LEXICON_PLURAL = 1,
	LEXICON_AR_PREFIX = 2,
	LEXICON_AR_SUFFIX = 4,
};

struct lexicon;

struct lexicon_match {
	unsigned start, end; /* bytes of the folded text, prefix excluded, suffix included */
	int value;           /* as given to lexicon_add */
};

/* An empty lexicon; NULL when out of memory. */
struct lexicon *lexicon_new(void);

/*
 * Add a phrase, written naturally (it is folded here with textfold()), with
 * its LEXICON_* flags and the value its matches carry. Returns 0, or -1 when
 * the phrase folds to nothing, is longer than 255 bytes, or the lexicon is
 * built already.
 */
int lexicon_add(struct lexicon *lx, const char *phrase, unsigned flags, int value);

/* Compile the automaton; done once, after the last lexicon_add. Returns 0 or -1. */
int lexicon_build(struct lexicon *lx);

/*
 * Scan folded text[0..n) (textfold() output) with a built lexicon. Writes at
 * most max matches to out, ordered by start (then longest first); returns how
 * many were written. Matches past the first max found are lost.
 */
size_t lexicon_scan(const struct lexicon *lx, const char *text, size_t n, struct lexicon_match *out,
		    size_t max);

/* Number of phrases, and of automaton states (for diagnostics). */
size_t lexicon_phrases(const struct lexicon *lx);
size_t lexicon_states(const struct lexicon *lx);

void lexicon_free(struct lexicon *lx);

#endif
