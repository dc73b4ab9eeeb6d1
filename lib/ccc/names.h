/*
 * names.h: normalisation of a person's name for matching, in any script.
 *
 * names_normalize() turns "PUTIN, Vladimir", "Владимир Путин" or "محمد علي" into
 * lower-case ASCII tokens with, for each, a consonant skeleton and a Metaphone key:
 *
 *   1. NFKC; Hangul words split into syllables, common Korean surnames given their
 *      usual spelling (김 kim, 이 lee, 박 park ...).
 *   2. Transliteration to Latin: our own Arabic-script rules first (Arabic,
 *      Persian, Urdu: consonants as in the usual English renderings, word-initial
 *      ال as "al-", و/ي as w/y or u/i by position, a shadda doubling its letter
 *      (but a sun letter after the article), the other vowel points and tatweel
 *      removed, a few dozen very common names spelled in full: محمد muhammad, علي
 *      ali ...),
 *      our own Hebrew rules in the same spirit (ב b/v, כ k/ch, פ p/f, ש sh, צ tz; ו, י
 *      as v, y or vowels by position; a few dozen common names in full: דוד david),
 *      then ICU "Russian-Latin/BGN" for Cyrillic (zh, kh, ts, ch, sh, shch, yu, ya),
 *      "Han-Latin/Names" for Chinese, "Any-Latin" for the rest, "Latin-ASCII".
 *   3. Lower case; apostrophes dropped inside words (sa'b -> sab); every other
 *      non-alphanumeric character separates tokens (so "abd-al-latif" is three).
 *   4. Dropped: titles and honorifics (mr, dr, general, colonel, sheikh, hajji,
 *      president in the four operations-room languages ...) and the Arabic article
 *      ("al", "el" and the hyphenated "ad-", "ar-", "as-" ... forms), because a list
 *      writes "AL-TIKRITI" where a passport writes "TIKRITI". A name made only of
 *      such words keeps them, and a title hyphenated onto the word before is kept
 *      (Kovac-Sgt: part of the name).
 *      Kept but flagged NAME_PARTICLE (they weigh little in person_name_score):
 *      bin, ibn, ben, bint, ould, abu, abou, umm, and de, del, della, di, da, do, dos,
 *      das, du, la, le, van, von, der, den, ter, ten, y, e, and ur, ul, ud (the
 *      article of a compound written apart: Mati ur Rehman). They carry lineage
 *      ("bin Laden") but are often omitted or translated.
 *      Joined: "abd"/"abdul"/"abdel"/... with the next token, and the prefix spelt
 *      "abd", so "Abdul Rahman", "Abd al-Rahman", "Abdelrahman" and "عبد الرحمن" are
 *      all "abdrahman" (not an "abd" hyphenated onto the word before: Aziz-Abd).
 *   5. Per token: the skeleton (name_skeleton()), its phonetic form
 *      (name_phonetic()) and metaphone().
 *
 * Threads and ownership: a struct name_normalizer holds the ICU transliterators,
 * opened once by names_open() (about a millisecond) and reused; it is not
 * thread-safe, so use one per thread. struct name_tokens is the caller's (on the
 * stack is fine: no allocation per call), and holds no pointers: copy it freely.
 */
#ifndef CCC_NAMES_H
#define CCC_NAMES_H

#include <stddef.h>

#define NAME_TOKENS_MAX 16   /* further tokens are dropped */
#define NAME_INPUT_MAX  1024 /* bytes of input considered; the rest is ignored */
#define NAME_TOKEN_MAX  40   /* bytes of a token, NUL included; longer ones are cut */
#define NAME_KEY_MAX    16   /* skeleton and metaphone buffers, NUL included */

/* Token flags */
#define NAME_PARTICLE 0x01 /* bin, ibn, abu, de, van ...: low weight */
#define NAME_INITIAL  0x02 /* a single letter, "V." */
/* Where the token came from (the script of the whole input): */
#define NAME_ABJAD        0x10 /* Arabic or Hebrew script: short vowels were not written */
#define NAME_HAN          0x20 /* Chinese characters: one token per syllable */
#define NAME_HANGUL       0x40 /* Korean: one token per syllable */
#define NAME_CYRILLIC     0x80
#define NAME_OTHER_SCRIPT 0x100 /* any other non-Latin script */

struct name_token {
	char text[NAME_TOKEN_MAX]; /* [a-z0-9]+, NUL-terminated */
	unsigned len;
	unsigned flags;
	char skel[NAME_KEY_MAX]; /* consonant skeleton, see name_skeleton() */
	char phon[NAME_KEY_MAX]; /* the same, styles folded: name_phonetic() */
	char meta[NAME_KEY_MAX]; /* metaphone(text), upper case, truncated */
};

struct name_tokens {
	unsigned n;
	unsigned flags; /* the script flags, shared by every token */
	struct name_token tok[NAME_TOKENS_MAX];
};

struct name_normalizer;

/* For tests: when set, every name goes through ICU's Han-Latin too, not only
 * one with Chinese characters or kana (the readings must come out the same).
 * Not for use with threads. */
extern int names_han_latin_always;

/* What names_readings makes of a name, by version: raised whenever a change
 * reads some name otherwise, so that a person stored with the readings of
 * an earlier version is read and indexed again on its next load (refdb.c). */
#define NAMES_VERSION "names-2"
/* the version before it ("": the hashes of its time have none) */
#define NAMES_VERSION_BEFORE ""

/* Open the transliterators. Returns NULL and writes a reason into err[errsz] when
 * ICU lacks one of them (a broken libicu installation). The one for Chinese
 * characters and kana is opened by the first name that has any (about 0.17 s);
 * names_normalize returns -1 for it when it cannot be. */
struct name_normalizer *names_open(char *err, size_t errsz);
void names_close(struct name_normalizer *nn);

/* Normalise utf8[0..len) (invalid bytes are replaced) into *out. Returns the number
 * of tokens (0 for a name with no letters or digits), or -1 when ICU fails. Printable
 * ASCII needs no ICU: nn may then be NULL (other input returns -1 with nn NULL), so
 * a caller can put off names_open until a name needs it. */
int names_normalize(struct name_normalizer *nn, const char *utf8, size_t len,
		    struct name_tokens *out);

/*
 * The readings of a name: out[0] is names_normalize's; when the name has Arabic
 * letters, the reading with the other usual spellings of ذ ظ ض ق خ follows (z, dh,
 * dh, g, h for dh, z, d, q, kh: الظواهري "dhwahri" after "zwahri", القذافي "gzafi"
 * after "qdhafi"), then the Persian, Urdu and Turkish one, z for ذ and ض (رضا
 * "rza" after "rda"); when it has ç or a letter with a caron, the reading with ç
 * as ch and the caron letters as their base letter (Elçi "elchi", Škoch "skoch"
 * after "elci", "shkoch"); when it has Cyrillic х or г, the reading with both
 * as h but at a word's end, as Arabic, Ukrainian and English names spell them
 * (Хасан Ибрагим "hasan ibrahim" after "khasan ibragim", Ольга "olha"); when
 * it has Chinese
 * characters or kana, the ways Korean and Japanese read it follow, as ICU reads
 * Chinese characters only in Mandarin (金正恩 "jin zheng en", not Kim Jong Un):
 *   - Korean: each Chinese character as its commonest Hangul reading in
 *     libhangul's hanja table (a common surname's reading at the start of a word:
 *     金 is 김 kim there, 금 geum elsewhere), then as Hangul: 金正恩 "kim jeong eun";
 *   - Japanese (also for a name in kana): the reading MeCab (ipadic) gives each
 *     morpheme, one token per morpheme, long vowels shortened as passports write
 *     them: 山田太郎 "yamada taro", 田中花子 "tanaka hanako".
 * Readings that come out alike are given once. Writes at most max readings into
 * out[0..max) and returns how many (1 for a name with neither, 0 when max < 1), or
 * -1 when ICU fails (nn may be NULL as for names_normalize). The hanja table and
 * the MeCab tagger are opened on the first name that needs them (about 0.1 s) and
 * freed by names_close; when either is not installed its reading is left out.
 */
int names_readings(struct name_normalizer *nn, const char *utf8, size_t len,
		   struct name_tokens *out, int max);

/* The consonant skeleton of a lower-case ASCII token: digraphs folded (sh/ch/sch -> x,
 * kh/q/ck/c before a, o, u -> k, ph/v -> f, th -> t, dh -> d, gh -> g, zh/dj -> j,
 * p -> b, x -> ks, c before e, i, y -> s), vowels dropped, w and y dropped unless
 * first, a final h after a vowel dropped, doubled letters once. "Mohammed",
 * "Muhammad" and محمد (mhmd) all give "mhmd"; "Khaled", "Khalid", خالد give "kld".
 * Writes at most outsz bytes including the NUL; returns the length written. */
size_t name_skeleton(const char *token, char *out, size_t outsz);

/*
 * The skeleton with the spellings of the usual transliteration styles folded
 * together, for scoring only (the blocking keys keep name_skeleton, so an index
 * built before stays valid): kh as ch and sh (x: Khrushchev, Chruschtschow,
 * Khrouchtchev all "xrxf"), German tsch as ch, w as v at the start of a word,
 * between vowels and in a final -ow, -ew, -owa, -owski (Wladimir, Wassily, Iwanow,
 * Andropow, Tschaikowski; Walid and Валид), Polish cz as ch and szcz as shch,
 * Italian cch as k, a French initial ou before a vowel as w, so v (Ouali), y always
 * a vowel (Iouri, Yuri). Same contract as name_skeleton.
 */
size_t name_phonetic(const char *token, char *out, size_t outsz);

/* 1 when the token w[0..n) is a spelling of "abd" (servant of: abd, abdul, abdel,
 * abdur, abdoul...), which names_normalize joins to the word after it. */
int name_abd_form(const char *w, size_t n);

/* Write the tokens separated by single spaces into out[outsz] (for messages). */
/*
 * Store normalised names without ICU at query time: names_serialize writes
 * "FLAGS:tok/F tok/F" (flags in hex) into out[outsz] and returns its length;
 * names_restore rebuilds the tokens (skeletons and metaphone keys included)
 * from that text. Returns the token count, or -1 on text it did not write.
 */
size_t names_serialize(const struct name_tokens *t, char *out, size_t outsz);
int names_restore(const char *s, size_t len, struct name_tokens *out);
/* As names_restore, without the Metaphone keys (meta is left empty): what
 * person_score and the blocking keys need, at a third of the cost. */
int names_restore_tokens(const char *s, size_t len, struct name_tokens *out);
size_t name_tokens_join(const struct name_tokens *t, char *out, size_t outsz);

#endif
