/*
 * lang.c: a small, fast language guesser for the four working languages.
 *
 * Arabic is told by script (most letters in U+0600..U+06FF). For Latin text
 * each word is looked up in short stop-word lists, and letters that only one
 * language uses (ñ ¿ ¡ for Spanish; ç œ è ê à ù for French) add weight. At
 * least two points and a clear lead are needed, else "und".
 */
#include <string.h>

#include "ccc/lang.h"
#include "ccc/utf8.h"

enum { EN, FR, ES, NLANG };

static const char *const stop[NLANG][40] = {
	{"the", "and", "of", "to", "is", "in", "that", "for", "with", "was", "on", "are", "at",
	 "this", "from", "by", "has", "have", "he", "she", "his", "her", "will", "be", "been",
	 "an", "it", "not", "we", "please", "who", "which", "were", "they", NULL},
	{"le", "la", "les", "des", "du", "et", "est", "une", "un", "dans", "pour", "que", "qui",
	 "sur", "au", "aux", "avec", "pas", "par", "il", "elle", "sont", "ont", "nous", "vous",
	 "ce", "cette", "été", "sera", "se", "ne", "son", "sa", "ses", "leur", NULL},
	{"el", "los", "las", "del", "y", "es", "una", "un", "en", "para", "que", "por", "con",
	 "se", "su", "sus", "al", "lo", "como", "fue", "está", "están", "ha", "han", "sido",
	 "este", "esta", "pero", "nos", "muy", "sobre", "entre", NULL},
};

static void score_word(const char *w, size_t n, int score[NLANG])
{
	for (int l = 0; l < NLANG; l++)
		for (int i = 0; stop[l][i]; i++)
			if (strlen(stop[l][i]) == n && memcmp(stop[l][i], w, n) == 0)
				score[l] += 2;
}

const char *lang_detect(const char *text, size_t len)
{
	int score[NLANG] = {0};
	size_t arabic = 0, letters = 0;
	char word[32];
	size_t wn = 0;
	const char *p = text, *end = text + len;

	while (p < end) {
		size_t ok = utf8_valid_prefix(p, (size_t)(end - p), 1);
		if (ok == 0) {
			p++;
			continue;
		}
		const char *at = p;
		uint32_t c = utf8_next(&p);
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= 0xC0 && c <= 0x24F) || (c >= 0x600 && c <= 0x6FF);
		if (c >= 0x600 && c <= 0x6FF)
			arabic++;
		if (letter) {
			letters++;
			switch (c) {
			case 0xF1: case 0xD1: score[ES] += 3; break;   /* ñ */
			case 0xE7: case 0x153: score[FR] += 2; break;  /* ç œ */
			case 0xE8: case 0xEA: case 0xE0: case 0xF9: case 0xEE: case 0xE2: case 0xFB:
				score[FR] += 1;
				break;
			case 0xED: case 0xF3: case 0xFA: case 0xE1: score[ES] += 1; break;
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
			score[ES] += 3; /* ¿ ¡ */
		if (c == '\'' && wn > 0 && wn <= 2) { /* l' d' qu' n' */
			score[FR] += 1;
		}
		if (wn)
			score_word(word, wn, score);
		wn = 0;
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
