/*
 * test-textfold.c: folding (case, Latin accents, Arabic letter forms,
 * punctuation, spaces, bad bytes) and the phrase matcher (word boundaries,
 * plurals, Arabic clitics, longest match), with a brute-force cross-check of
 * the automaton.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/json.h"
#include "ccc/lexicon.h"
#include "ccc/textfold.h"
#include "ccc/utf8.h"
#include "tap.h"

static void fold_is(const char *in, const char *want, const char *name)
{
	char out[512];
	size_t n = textfold(in, strlen(in), out);

	is_str(out, want, "fold %s", name);
	ok(n == strlen(want) && n <= strlen(in), "fold %s: length %zu, not longer than input", name,
	   n);
}

static void folding(void)
{
	/* case and Latin accents */
	fold_is("ÉCOLE Attentat", "ecole attentat", "French capitals");
	fold_is("Ñandú Año Pingüino", "nandu ano pinguino", "Spanish ñ and ü");
	fold_is("Straße ŒUVRE Æsir Þór", "strasse oeuvre aesir thor", "ß œ æ þ");
	fold_is("e\xcc\x81te\xcc\x81", "ete", "decomposed accents (combining marks)");
	fold_is("İstanbul Łódź Dvořák Şişli Ţara", "istanbul lodz dvorak sisli tara",
		"Latin Extended-A");
	fold_is("Sfântul Ștefan", "sfantul stefan", "Romanian comma-below");
	fold_is("ΑΘΗΝΑ МОСКВА ЁЖ", "αθηνα москва ёж", "Greek and Cyrillic capitals");
	fold_is("ＩＮＴＥＲＰＯＬ", "interpol", "fullwidth");
	/* punctuation and spaces */
	fold_is("l’attentat d’hier", "l'attentat d'hier", "curly apostrophe");
	fold_is("«bomba» “now”", "\"bomba\" \"now\"", "guillemets and curly quotes");
	fold_is("¿Dónde? ¡Ya!", "?donde? !ya!", "inverted marks");
	fold_is("coche-bomba go_fast — 14h30", "coche bomba go fast 14h30",
		"hyphen, underscore, dash");
	fold_is("a\xc2\xa0\xc2\xa0"
		"b\t\r\nc  \xe2\x80\xaf"
		"d",
		"a b c d", "white space runs");
	fold_is("soft\xc2\xadhyphen zero\xe2\x80\x8bwidth \xef\xbb\xbf"
		"bom",
		"softhyphen zerowidth bom", "invisible characters");
	fold_is("alerte \xf0\x9f\x9a\xa8 rouge 2\xe2\x82\xac", "alerte rouge 2 ",
		"emoji and currency");
	fold_is("a\xff"
		"b\xd8",
		"a b ", "bytes that are not UTF-8");
	fold_is("\xed\xa0\x80x", " x", "a surrogate is bad bytes, one space");
	/* Arabic */
	fold_is("أإآٱا", "ااااا", "hamza and alef forms");
	fold_is("مستشفى", "مستشفي", "alef maksura → yeh");
	fold_is("مدرسة", "مدرسه", "teh marbuta → heh");
	fold_is("عـــاجل", "عاجل", "tatweel");
	fold_is("فَوْرًا عُثِرَ", "فورا عثر", "harakat and tanwin");
	fold_is("ٱلرَّحْمَٰن", "الرحمن", "wasla, shadda, dagger alef");
	fold_is("الآن", "الان", "alef madda in a word");
	fold_is("١٢:٣٠ و۴۵", "12:30 و45", "Arabic-Indic and Eastern digits");
	fold_is("نعم، لا؛ لماذا؟", "نعم, لا; لماذا?", "Arabic punctuation");
	fold_is("ی ک", "ي ك", "Persian yeh and keheh");

	/* textfold_buf joins parts and keeps one space across the join */
	struct buf b = {0};
	textfold_buf(&b, "Vol ", 4);
	textfold_buf(&b, " À 14H30", 9);
	is_str(b.p, "vol a 14h30", "textfold_buf appends and collapses spaces across parts");
	buf_free(&b);

	/* any bytes: never longer, always valid UTF-8, no separator doubled */
	unsigned seed = 12345;
	int bad = 0;
	for (int i = 0; i < 20000; i++) {
		char in[64], out[65];
		size_t n = (size_t)(i % 64);
		for (size_t k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			/* bias towards lead bytes of the ranges the folder handles */
			static const unsigned char pick[] = {0x20, 'A',  'z',  0xC3, 0xC5, 0xCC,
							     0xD8, 0xD9, 0xDB, 0xE2, 0x80, 0xA9,
							     0xEF, 0xF0, 0xFF, 0x9F};
			in[k] = (char)(seed >> 16 & 1 ? pick[seed >> 20 & 15] : seed >> 8);
		}
		size_t m = textfold(in, n, out);
		if (m > n || !utf8_valid(out, m) || strstr(out, "  ") || out[m] != '\0')
			bad++;
	}
	ok(bad == 0,
	   "20000 random inputs: output never longer, valid UTF-8, single spaces (%d bad)", bad);
}

static struct lexicon *build(const char *const *phrases, const unsigned *flags, int n)
{
	struct lexicon *lx = lexicon_new();
	for (int i = 0; i < n; i++)
		if (lexicon_add(lx, phrases[i], flags[i], i) < 0)
			return lexicon_free(lx), NULL;
	if (lexicon_build(lx) < 0)
		return lexicon_free(lx), NULL;
	return lx;
}

/* The values found in text (folded here), as "v,v,…", and "" when none. */
static const char *found(const struct lexicon *lx, const char *text)
{
	static char out[256];
	char f[512];
	struct lexicon_match m[32];
	size_t n = textfold(text, strlen(text), f), k = lexicon_scan(lx, f, n, m, 32), len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < k; i++)
		len +=
		    (size_t)snprintf(out + len, sizeof out - len, "%s%d", i ? "," : "", m[i].value);
	return out;
}

static void matching(void)
{
	static const char *const ph[] = {
	    "bomb",  "armes",    "arma",        "no longer missing", "missing",
	    "إرهاب", "mañana",   "esta mañana", "car bomb",          "vol",
	    "à",     "Attentat", "خلال",
	};
	static const unsigned fl[] = {
	    LEXICON_PLURAL,
	    0,
	    LEXICON_PLURAL,
	    LEXICON_PLURAL,
	    LEXICON_PLURAL,
	    LEXICON_AR_PREFIX | LEXICON_AR_SUFFIX,
	    LEXICON_PLURAL,
	    LEXICON_PLURAL,
	    LEXICON_PLURAL,
	    0,
	    0,
	    0,
	    LEXICON_AR_PREFIX,
	};
	struct lexicon *lx = build(ph, fl, 13);

	if (!ok(lx != NULL, "build a small lexicon"))
		return;
	is_int(lexicon_phrases(lx), 13, "phrase count");
	ok(lexicon_add(lx, "late", 0, 99) < 0, "no phrase added after build");

	is_str(found(lx, "Flight from Bombay delayed"), "", "'bomb' is not found in 'bombay'");
	is_str(found(lx, "The BOMB, two bombs."), "0,0", "'bomb' and its plural, any case");
	is_str(found(lx, "larmes et charmes"), "", "'armes' is not found in 'larmes'");
	is_str(found(lx, "trafic d'armes"), "1", "'armes' after an apostrophe");
	is_str(found(lx, "armesx"), "", "no plural without the flag: 'armesx'");
	is_str(found(lx, "armas y armadura"), "2", "'armas' is 'arma' plural, 'armadura' is not");
	is_str(found(lx, "He is no longer missing."), "3",
	       "a longer phrase hides the one inside it");
	is_str(found(lx, "still missing"), "4", "the short phrase alone");
	is_str(found(lx, "the car bomb exploded"), "8", "'car bomb' hides 'bomb'");
	is_str(found(lx, "ESTA MAÑANA y mañana"), "7,6", "'esta mañana' and 'mañana' told apart");
	is_str(found(lx, "مكافحة الإرهاب والإرهابيين"), "5,5",
	       "Arabic article, 'و' and a plural suffix");
	is_str(found(lx, "بالإرهاب كإرهابي"), "5,5", "Arabic 'بال' and 'ك' with suffix 'ي'");
	is_str(found(lx, "إرهابستان"), "", "an Arabic ending that is not a suffix");
	is_str(found(lx, "فإرهاب"), "5", "Arabic 'ف'");
	is_str(found(lx, "ضإرهاب"), "", "a letter that is no proclitic");
	is_str(found(lx, "وخلال ساعتين"), "12", "prefix only: 'وخلال'");
	is_str(found(lx, "خلالها"), "", "no suffix without the flag");
	is_str(found(lx, "vol à 14h30, volé"), "9,10", "'vol' and 'à' but not 'volé'");
	is_str(found(lx, "ATTENTAT-suicide"), "11", "a hyphen is a boundary");

	/* match positions, and the same phrase under two values */
	struct lexicon *two = lexicon_new();
	lexicon_add(two, "urgente", 0, 1);
	lexicon_add(two, "URGENTE", 0, 2);
	lexicon_build(two);
	struct lexicon_match m[4];
	size_t k = lexicon_scan(two, "muy urgente", 11, m, 4);
	ok(k == 2 && m[0].start == 4 && m[0].end == 11 && m[1].start == 4 &&
	       m[0].value != m[1].value,
	   "a phrase added twice is reported under both values, with its offsets");
	ok(lexicon_scan(two, "urgente urgente urgente", 23, m, 2) == 2, "at most max matches");
	lexicon_free(two);
	lexicon_free(lx);
}

/* Word boundary test on folded bytes, as the matcher defines it. */
static int wb(const char *t, size_t n, size_t a, size_t b)
{
	return (a == 0 || !textfold_word_byte((unsigned char)t[a - 1])) &&
	       (b == n || !textfold_word_byte((unsigned char)t[b]));
}

/* The automaton against a naive search, on random phrases and texts. */
static void cross_check(void)
{
	static const char alpha[] = "ab c";
	unsigned seed = 7;
	int bad = 0, total = 0;

	for (int round = 0; round < 200; round++) {
		char phrases[40][8];
		int np = 1 + round % 40;
		struct lexicon *lx = lexicon_new();
		for (int i = 0; i < np; i++) {
			int l = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 5;
			for (int k = 0; k < l; k++)
				phrases[i][k] = alpha[(seed = seed * 1103515245 + 12345) >> 16 & 1];
			phrases[i][l] = '\0';
			lexicon_add(lx, phrases[i], 0, i);
		}
		lexicon_build(lx);
		char text[200];
		int tl = 0;
		for (int k = 0; k < 199; k++) {
			text[tl] = alpha[(seed = seed * 1103515245 + 12345) >> 16 & 3];
			if (!(text[tl] == ' ' && tl && text[tl - 1] == ' '))
				tl++;
		}
		text[tl] = '\0';

		struct lexicon_match got[400], want[400] = {{0}};
		size_t ng = lexicon_scan(lx, text, (size_t)tl, got, 400), nw = 0, all = 0;
		struct lexicon_match raw[4000];
		for (int i = 0; i < np; i++) {
			size_t l = strlen(phrases[i]);
			for (size_t a = 0; a + l <= (size_t)tl; a++)
				if (memcmp(text + a, phrases[i], l) == 0 &&
				    wb(text, (size_t)tl, a, a + l) && all < 4000)
					raw[all++] = (struct lexicon_match){(unsigned)a,
									    (unsigned)(a + l), i};
		}
		for (size_t i = 0; i < all; i++) {
			int inside = 0;
			for (size_t j = 0; j < all && !inside; j++)
				inside = raw[j].start <= raw[i].start && raw[j].end >= raw[i].end &&
					 (raw[j].start != raw[i].start || raw[j].end != raw[i].end);
			if (!inside && nw < 400)
				want[nw++] = raw[i];
		}
		total++;
		int same = ng == nw;
		for (size_t i = 0; same && i < nw; i++) {
			int hit = 0;
			for (size_t j = 0; j < ng && !hit; j++)
				hit = got[j].start == want[i].start && got[j].end == want[i].end &&
				      got[j].value == want[i].value;
			same = hit;
		}
		if (!same)
			bad++;
		lexicon_free(lx);
	}
	ok(bad == 0, "automaton agrees with a naive search on %d random lexicons (%d differ)",
	   total, bad);
}

int main(void)
{
	folding();
	matching();
	cross_check();
	return tap_done();
}
