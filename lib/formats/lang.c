/*
 * lang.c: a small, fast language guesser for the four working languages.
 *
 * Arabic is told by script (most letters in U+0600..U+06FF). For Latin text
 * each word is looked up in short stop-word lists, and letters that only one
 * language uses (ñ ¿ ¡ for Spanish; ç œ è ê à ù for French) add weight. At
 * least two points and a clear lead are needed, else "und".
 */
#include <string.h>

#include "ccc/hash.h"
#include "ccc/lang.h"
#include "ccc/utf8.h"

enum { EN, FR, ES, NLANG };

static const char *const stop[NLANG][40] = {
    {"the",  "and",  "of",   "to",  "is",  "in",     "that", "for",   "with", "was",  "on",   "are",
     "at",   "this", "from", "by",  "has", "have",   "he",   "she",   "his",  "her",  "will", "be",
     "been", "an",   "it",   "not", "we",  "please", "who",  "which", "were", "they", NULL},
    {"le",   "la",  "les",   "des", "du",   "et",  "est", "une", "un",   "dans", "pour", "que",
     "qui",  "sur", "au",    "aux", "avec", "pas", "par", "il",  "elle", "sont", "ont",  "nous",
     "vous", "ce",  "cette", "été", "sera", "se",  "ne",  "son", "sa",   "ses",  "leur", NULL},
    {"el",  "los", "las",  "del",  "y",    "es",   "una", "un",   "en",    "para",  "que",
     "por", "con", "se",   "su",   "sus",  "al",   "lo",  "como", "fue",   "está",  "están",
     "ha",  "han", "sido", "este", "esta", "pero", "nos", "muy",  "sobre", "entre", NULL},
};

/* The stop words in an open-addressing hash table, built on first use. */
#define NSLOT 512
static struct slot {
	const char *word;
	unsigned char len, langs; /* bit per language */
} slots[NSLOT];

static struct slot *lookup(const char *w, size_t n, int insert)
{
	for (unsigned i = hash_fnv1a(w, n) % NSLOT;; i = (i + 1) % NSLOT) {
		struct slot *sl = &slots[i];
		if (!sl->word)
			return insert ? sl : NULL;
		if (sl->len == n && memcmp(sl->word, w, n) == 0)
			return sl;
	}
}

static void build(void)
{
	for (int l = 0; l < NLANG; l++)
		for (int i = 0; stop[l][i]; i++) {
			size_t n = strlen(stop[l][i]);
			struct slot *sl = lookup(stop[l][i], n, 1);
			sl->word = stop[l][i];
			sl->len = (unsigned char)n;
			sl->langs |= (unsigned char)(1 << l);
		}
}

static void score_word(const char *w, size_t n, int score[NLANG])
{
	const struct slot *sl = n <= 8 ? lookup(w, n, 0) : NULL;
	if (!sl)
		return;
	for (int l = 0; l < NLANG; l++)
		if (sl->langs & (1 << l))
			score[l] += 2;
}

/* Enough evidence to stop reading: a long run of Arabic, or a clear lead. */
static int decided(const int score[NLANG], size_t arabic, size_t letters)
{
	int hi = 0, second = 0;
	if (letters >= 60 && arabic * 10 >= letters * 9)
		return 1;
	if (arabic * 2 > letters)
		return 0;
	for (int l = 0; l < NLANG; l++) {
		if (score[l] > hi) {
			second = hi;
			hi = score[l];
		} else if (score[l] > second) {
			second = score[l];
		}
	}
	return hi >= 16 && hi >= 3 * second;
}

const char *lang_detect(const char *text, size_t len)
{
	int score[NLANG] = {0};
	size_t arabic = 0, letters = 0;
	char word[32];
	size_t wn = 0;
	const char *p = text, *end = text + len;
	static int ready;

	if (!ready) {
		build();
		ready = 1;
	}

	while (p < end) {
		const char *at = p;
		uint32_t c;
		if ((unsigned char)*p < 0x80) {
			c = (unsigned char)*p++; /* ASCII: one byte, nothing to check */
		} else if (utf8_valid_prefix(p, (size_t)(end - p), 1) == 0) {
			p++;
			continue;
		} else {
			c = utf8_next(&p);
		}
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= 0xC0 && c <= 0x24F) || (c >= 0x600 && c <= 0x6FF);
		if (c >= 0x600 && c <= 0x6FF)
			arabic++;
		if (letter) {
			letters++;
			switch (c) {
			case 0xF1:
			case 0xD1: score[ES] += 3; break; /* ñ */
			case 0xE7:
			case 0x153: score[FR] += 2; break; /* ç œ */
			case 0xE8:
			case 0xEA:
			case 0xE0:
			case 0xF9:
			case 0xEE:
			case 0xE2:
			case 0xFB: score[FR] += 1; break;
			case 0xED:
			case 0xF3:
			case 0xFA:
			case 0xE1: score[ES] += 1; break;
			}
			if (wn + (size_t)(p - at) < sizeof word) {
				if (c >= 'A' && c <= 'Z')
					word[wn++] = (char)(c + 32);
				else {
					memcpy(word + wn, at, (size_t)(p - at));
					wn += (size_t)(p - at);
				}
			}
			continue;
		}
		if (c == 0xBF || c == 0xA1)
			score[ES] += 3;               /* ¿ ¡ */
		if (c == '\'' && wn > 0 && wn <= 2) { /* l' d' qu' n' */
			score[FR] += 1;
		}
		if (wn) {
			score_word(word, wn, score);
			wn = 0;
			if (decided(score, arabic, letters))
				break;
		}
	}
	if (wn)
		score_word(word, wn, score);
	if (letters && arabic * 2 > letters)
		return "ar";
	int best = 0, second = -1;
	for (int l = 1; l < NLANG; l++)
		if (score[l] > score[best])
			best = l;
	for (int l = 0; l < NLANG; l++)
		if (l != best && (second < 0 || score[l] > score[second]))
			second = l;
	if (score[best] < 2 || score[best] < score[second] * 3 / 2 + 1)
		return "und";
	return best == EN ? "en" : best == FR ? "fr" : "es";
}
