/*
 * personmatch.c: person similarity from names, dates of birth and nationalities.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/personmatch.h"
#include "ccc/similarity.h"

#define UNITS_MAX    (NAME_TOKENS_MAX * 2)
#define NAME_SCRIPTS (NAME_ABJAD | NAME_HAN | NAME_HANGUL | NAME_CYRILLIC | NAME_OTHER_SCRIPT)
#define TEXT_MAX     96

/* A token, or two adjacent tokens written as one, as compared. */
struct unit {
	unsigned first, count; /* tokens first .. first+count-1 */
	unsigned flags;
	uint32_t text[TEXT_MAX], skel[TEXT_MAX];
	size_t ntext, nskel;
	unsigned char htext[37], hskel[37]; /* how often each of a-z, 0-9, other occurs */
	uint64_t utext, uskel;              /* the buckets used */
	int group;                          /* given_group(), 0 for none */
	unsigned spell;                     /* spellings(): SP_* */
};

/*
 * Spellings that other transliteration styles write otherwise, found in a unit's
 * text once (spellings()) so that unit_sim knows which other reading of a pair
 * to try (other_reading()).
 */
#define SP_SCH 0x01  /* sch: German for ш, and for ж (Schukow, Zhukov) */
#define SP_ZH  0x02  /* zh */
#define SP_H   0x04  /* an h of its own: Belarusian and Ukrainian for г (Hrodna) */
#define SP_G   0x08  /* g, not gh */
#define SP_CH  0x10  /* ch, not sch or tch: k in Michael, Macheda, Chiril */
#define SP_K   0x20  /* k */
#define SP_Z   0x40  /* z, not zh: German and Italian for ц (Zwirner, Цвирнер) */
#define SP_TS  0x80  /* ts */
#define SP_TI  0x100 /* ti, si: Russian for Japanese chi, shi (Polivanov) */
#define SP_CHI 0x200 /* chi, shi */
#define SP_AU  0x400 /* a final au, eu, ou after a consonant: Belarusian ў for v */
#define SP_OV  0x800 /* a final ov, ev */

/* 1 when an h after letter p is part of a digraph (sh, ch, zh, kh, th, dh, ph, gh) */
static int h_digraph(uint32_t p)
{
	switch (p) {
	case 's':
	case 'c':
	case 'z':
	case 'k':
	case 't':
	case 'd':
	case 'p':
	case 'g': return 1;
	default: return 0;
	}
}

static int is_vowel(uint32_t c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Each rule's spelling is the bit below the one it is read as (SP_SCH, SP_ZH ...) */
#define SP_FROM (SP_SCH | SP_H | SP_CH | SP_Z | SP_TI | SP_AU)

/* The rules of other_spellings that may apply to x's spellings xs against ys:
 * x has the spelling, y the one it is read as, and x not that one already. */
static unsigned spell_rules(unsigned xs, unsigned ys)
{
	return xs & SP_FROM & ~(xs >> 1) & (ys >> 1);
}

static unsigned spellings(const uint32_t *t, size_t n)
{
	unsigned f = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t nx = i + 1 < n ? t[i + 1] : 0;
		switch (t[i]) {
		case 's':
			if (nx == 'c' && i + 2 < n && t[i + 2] == 'h')
				f |= SP_SCH;
			else if (nx == 'h' && i + 2 < n && t[i + 2] == 'i')
				f |= SP_CHI;
			else if (nx == 'i')
				f |= SP_TI;
			break;
		case 'z': f |= nx == 'h' ? SP_ZH : SP_Z; break;
		case 'h':
			if (!i || !h_digraph(t[i - 1]))
				f |= SP_H;
			break;
		case 'g':
			if (nx != 'h')
				f |= SP_G;
			break;
		case 'c':
			if (nx == 'h' && !(i && (t[i - 1] == 's' || t[i - 1] == 't'))) {
				uint32_t nx2 = i + 2 < n ? t[i + 2] : 0;
				if (i || !is_vowel(nx2))
					f |= SP_CH;
				if (nx2 == 'i')
					f |= SP_CHI;
			}
			break;
		case 'k': f |= SP_K; break;
		case 't':
			if (nx == 's')
				f |= SP_TS;
			else if (nx == 'i')
				f |= SP_TI;
			break;
		default: break;
		}
	}
	if (n > 3 && !is_vowel(t[n - 3]) &&
	    (t[n - 2] == 'a' || t[n - 2] == 'e' || t[n - 2] == 'o') && t[n - 1] == 'u')
		f |= SP_AU;
	if (n > 3 && (t[n - 2] == 'o' || t[n - 2] == 'e') && t[n - 1] == 'v')
		f |= SP_OV;
	return f;
}

/* The histogram of an ASCII token's letters and digits (any other character in
 * the last bucket), and the set of buckets used. */
static uint64_t histogram(const uint32_t *s, size_t n, unsigned char h[37])
{
	uint64_t used = 0;
	memset(h, 0, 37);
	for (size_t i = 0; i < n; i++) {
		uint32_t c = s[i];
		int k = c >= 'a' && c <= 'z'   ? (int)(c - 'a')
			: c >= '0' && c <= '9' ? (int)(c - '0') + 26
					       : 36;
		if (h[k] < 255)
			h[k]++;
		used |= 1ull << k;
	}
	return used;
}

/*
 * An upper bound of jaro_winkler_u32(a, b) from what it cannot exceed: the
 * characters in common are at most those the histograms share (any two
 * characters outside a-z, 0-9 counted as alike), transpositions cost nothing,
 * and the Winkler bonus is that of the agreeing prefix. Lets unit_sim skip the
 * pairs that could never reach the pair floor.
 */
static double jaro_winkler_bound(const uint32_t *a, size_t na, const unsigned char *ha, uint64_t ua,
				 const uint32_t *b, size_t nb, const unsigned char *hb, uint64_t ub)
{
	unsigned m = 0;
	if (!na || !nb)
		return 0.0;
	for (uint64_t both = ua & ub; both; both &= both - 1) {
		int k = __builtin_ctzll(both);
		m += ha[k] < hb[k] ? ha[k] : hb[k];
	}
	size_t minlen = na < nb ? na : nb, p = 0, pmax = minlen < 4 ? minlen : 4;
	if (m > minlen)
		m = (unsigned)minlen;
	double j = ((double)m / (double)na + (double)m / (double)nb + 1.0) / 3.0;
	while (p < pmax && a[p] == b[p])
		p++;
	return j + (double)p * 0.1 * (1.0 - j);
}

static size_t ascii_u32(const char *s, uint32_t *out, size_t max)
{
	size_t n = 0;
	while (n < max && s[n]) {
		out[n] = (unsigned char)s[n];
		n++;
	}
	return n;
}

static int given_group(const struct unit *u);

int person_match_exhaustive;

static unsigned make_units(const struct name_tokens *t, struct unit *u)
{
	unsigned n = 0;

	for (unsigned i = 0; i < t->n; i++) {
		struct unit *x = &u[n++];
		x->first = i;
		x->count = 1;
		x->flags = t->tok[i].flags;
		x->ntext = ascii_u32(t->tok[i].text, x->text, TEXT_MAX);
		x->nskel = ascii_u32(t->tok[i].phon, x->skel, TEXT_MAX);
		x->utext = histogram(x->text, x->ntext, x->htext);
		x->uskel = histogram(x->skel, x->nskel, x->hskel);
		x->group = given_group(x);
		x->spell = spellings(x->text, x->ntext);
	}
	for (unsigned i = 0; i + 1 < t->n; i++) {
		const struct name_token *a = &t->tok[i], *b = &t->tok[i + 1];
		char joined[TEXT_MAX], skel[NAME_KEY_MAX * 2];
		if ((a->flags | b->flags) & NAME_INITIAL || a->len + b->len + 1 > TEXT_MAX)
			continue;
		struct unit *x = &u[n++];
		if (name_abd_form(b->text, b->len) && a->len + 4 <= TEXT_MAX) {
			/* an abd left last, its name before it (SAMAD, Abdul: the
			 * surname first): read as written the other way, abdsamad */
			memcpy(joined, "abd", 3);
			memcpy(joined + 3, a->text, a->len + 1);
		} else {
			memcpy(joined, a->text, a->len);
			memcpy(joined + a->len, b->text, b->len + 1);
		}
		name_phonetic(joined, skel, sizeof skel);
		x->first = i;
		x->count = 2;
		x->flags = a->flags & b->flags;
		x->ntext = ascii_u32(joined, x->text, TEXT_MAX);
		x->nskel = ascii_u32(skel, x->skel, TEXT_MAX);
		x->utext = histogram(x->text, x->ntext, x->htext);
		x->uskel = histogram(x->skel, x->nskel, x->hskel);
		x->group = 0;
		x->spell = spellings(x->text, x->ntext);
	}
	return n;
}

static int same(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return na == nb && !memcmp(a, b, na * sizeof *a);
}

/*
 * The units of the first name, remembered: a query is scored against many
 * candidates in turn, and its units are the same each time. One memory per
 * thread, so the functions stay thread-safe.
 */
static _Thread_local struct {
	struct name_tokens t; /* n, flags and the tokens below n are set */
	struct unit u[UNITS_MAX];
	unsigned n;
} memo;

/* The same tokens, flags and skeletons: all that the units are made of. */
static int same_tokens(const struct name_tokens *a, const struct name_tokens *b)
{
	if (a->n != b->n || a->flags != b->flags)
		return 0;
	for (unsigned i = 0; i < a->n; i++)
		if (a->tok[i].flags != b->tok[i].flags || strcmp(a->tok[i].text, b->tok[i].text) ||
		    strcmp(a->tok[i].skel, b->tok[i].skel))
			return 0;
	return 1;
}

static const struct unit *first_units(const struct name_tokens *t, unsigned *n)
{
	if (!memo.t.n || !same_tokens(&memo.t, t)) {
		memo.t.n = t->n;
		memo.t.flags = t->flags;
		for (unsigned i = 0; i < t->n; i++)
			memo.t.tok[i] = t->tok[i];
		memo.n = make_units(t, memo.u);
	}
	*n = memo.n;
	return memo.u;
}

/*
 * Given names and their short forms and spellings in other languages: two tokens
 * of one group are one name (0.95), however unlike they are spelt. Kept short: a
 * name is here only when its forms are too far apart for the spelling to link
 * them (Alexander / Sasha, Mohammed / Mehmet), or when a form is the other gender
 * of another name's (Alexandra is not here, so it is never Alexander).
 */
static const struct given {
	const char *name;
	unsigned char group;
} given_names[] = {
    /* sorted (strcmp), for bsearch */
    {"abdalla", 23},    {"abdallah", 23},  {"abdellah", 23},   {"abdoulaye", 23}, {"abdulla", 23},
    {"abdullah", 23},   {"ahmad", 2},      {"ahmed", 2},       {"ahmet", 2},      {"akhmad", 2},
    {"akhmed", 2},      {"aleksandar", 3}, {"aleksander", 3},  {"aleksandr", 3},  {"aleksei", 4},
    {"aleksey", 4},     {"alexander", 3},  {"alexandre", 3},   {"alexei", 4},     {"alexey", 4},
    {"alyosha", 4},     {"andrei", 37},    {"andrey", 37},     {"andrij", 37},    {"andriy", 37},
    {"constantin", 38}, {"daoud", 17},     {"daud", 17},       {"davud", 17},     {"dawood", 17},
    {"dawud", 17},      {"dima", 9},       {"dimitri", 9},     {"dmitri", 9},     {"dmitriy", 9},
    {"dmitry", 9},      {"dmytro", 9},     {"ebrahim", 8},     {"ekaterina", 28}, {"elena", 29},
    {"esmail", 20},     {"evgeni", 10},    {"evgeniy", 10},    {"evgeny", 10},    {"fedir", 35},
    {"fedor", 35},      {"fiodor", 35},    {"fyodor", 35},     {"georgi", 33},    {"georgiy", 33},
    {"georgy", 33},     {"grigori", 36},   {"grigoriy", 36},   {"grigory", 36},   {"heorhiy", 33},
    {"hossein", 21},    {"hryhoriy", 36},  {"husain", 21},     {"husayn", 21},    {"huseyin", 21},
    {"huseyn", 21},     {"hussain", 21},   {"hussein", 21},    {"iakov", 19},     {"ibragim", 8},
    {"ibrahim", 8},     {"ioann", 27},     {"iosif", 7},       {"iouri", 34},     {"ismael", 20},
    {"ismail", 20},     {"ismoil", 20},    {"ivan", 27},       {"iwan", 27},      {"juri", 34},
    {"jurij", 34},      {"katerina", 28},  {"kateryna", 28},   {"katya", 28},     {"kolya", 11},
    {"konstantin", 38}, {"kostya", 38},    {"magomed", 1},     {"mamadou", 1},    {"mamadu", 1},
    {"maria", 30},      {"mariam", 30},    {"mariya", 30},     {"maryam", 30},    {"masha", 30},
    {"mehmed", 1},      {"mehmet", 1},     {"michael", 6},     {"michail", 6},    {"michel", 6},
    {"mihail", 6},      {"mikael", 6},     {"mikail", 6},      {"mikhail", 6},    {"mikhailo", 6},
    {"mischa", 6},      {"misha", 6},      {"mohamad", 1},     {"mohamed", 1},    {"mohammad", 1},
    {"mohammed", 1},    {"mohamoud", 1},   {"mohamud", 1},     {"mostafa", 22},   {"mouhamed", 1},
    {"mouhammad", 1},   {"mousa", 15},     {"moussa", 15},     {"moustafa", 22},  {"moustapha", 22},
    {"muhamad", 1},     {"muhammad", 1},   {"muhammed", 1},    {"mukhammad", 1},  {"mukhammed", 1},
    {"musa", 15},       {"mustafa", 22},   {"mustapha", 22},   {"mykhailo", 6},   {"mykhaylo", 6},
    {"mykola", 11},     {"natalia", 31},   {"nataliya", 31},   {"natalya", 31},   {"natasha", 31},
    {"nikolai", 11},    {"nikolay", 11},   {"oleksandr", 3},   {"oleksii", 4},    {"oleksiy", 4},
    {"olena", 29},      {"omar", 25},      {"omer", 25},       {"osama", 24},     {"oumar", 25},
    {"oussama", 24},    {"pavel", 14},     {"pavlo", 14},      {"pawel", 14},     {"petr", 13},
    {"petro", 13},      {"piotr", 13},     {"pyotr", 13},      {"sacha", 3},      {"sanya", 3},
    {"sascha", 3},      {"sasha", 3},      {"sergei", 12},     {"sergej", 12},    {"sergey", 12},
    {"serguei", 12},    {"serhii", 12},    {"serhiy", 12},     {"shura", 3},      {"sleiman", 16},
    {"soliman", 16},    {"sulaiman", 16},  {"sulayman", 16},   {"suleiman", 16},  {"suleyman", 16},
    {"tanya", 32},      {"tatiana", 32},   {"tatjana", 32},    {"tatyana", 32},   {"umar", 25},
    {"usama", 24},      {"vanya", 27},     {"vladimir", 5},    {"volodia", 5},    {"volodya", 5},
    {"volodymyr", 5},   {"vova", 5},       {"wladimir", 5},    {"yaakov", 19},    {"yacoub", 18},
    {"yahia", 26},      {"yahya", 26},     {"yakov", 19},      {"yakub", 18},     {"yaqoob", 18},
    {"yaqub", 18},      {"yehia", 26},     {"yekaterina", 28}, {"yelena", 29},    {"yevgeni", 10},
    {"yevgeniy", 10},   {"yevgeny", 10},   {"yevhen", 10},     {"yosef", 7},      {"yossef", 7},
    {"yousef", 7},      {"youssef", 7},    {"yousuf", 7},      {"yuri", 34},      {"yuriy", 34},
    {"yury", 34},       {"yusif", 7},      {"yusuf", 7},       {"zhenya", 10},
};

static int cmp_given(const void *k, const void *e)
{
	return strcmp(k, ((const struct given *)e)->name);
}

/* The group of a single token (1..255), 0 when it has none. */
static int given_group(const struct unit *u)
{
	char t[NAME_TOKEN_MAX];
	if (u->count != 1 || u->ntext >= sizeof t || u->ntext < 3)
		return 0;
	for (size_t i = 0; i < u->ntext; i++)
		t[i] = (char)u->text[i];
	t[u->ntext] = '\0';
	const struct given *g = bsearch(t, given_names, sizeof given_names / sizeof *given_names,
					sizeof *given_names, cmp_given);
	return g ? g->group : 0;
}

/*
 * Surname suffixes that make another family name of the same stem: Petrov and
 * Petrenko, Medvedev and Medvedchuk are different people. A family: its spellings
 * in the English, French, German, Polish and Spanish styles.
 */
static const struct suffix {
	const char *s;
	unsigned char family;
} suffixes[] = {
    /* longest first within a family's shared endings */
    {"enko", 1},   {"enco", 1},   {"chenko", 1},  {"tchouk", 2},  {"tschuk", 2}, {"czuk", 2},
    {"chuk", 2},   {"tchuk", 2},  {"iuk", 3},     {"yuk", 3},     {"juk", 3},    {"uk", 3},
    {"ovich", 4},  {"evich", 4},  {"owitsch", 4}, {"ewitsch", 4}, {"owicz", 4},  {"ewicz", 4},
    {"ovitch", 4}, {"evitch", 4}, {"ovic", 4},    {"evic", 4},    {"vich", 4},   {"vitch", 4},
    {"ovsky", 5},  {"evsky", 5},  {"owski", 5},   {"ewski", 5},   {"ovski", 5},  {"evski", 5},
    {"ovskiy", 5}, {"evskiy", 5}, {"ovskii", 5},  {"sky", 5},     {"ski", 5},    {"skiy", 5},
    {"skii", 5},   {"skij", 5},   {"ova", 6},     {"eva", 6},     {"owa", 6},    {"ewa", 6},
    {"ov", 6},     {"ev", 6},     {"ow", 6},      {"ew", 6},      {"off", 6},    {"eff", 6},
    {"yan", 7},    {"ian", 7},    {"jan", 7},     {"shvili", 8},  {"chvili", 8}, {"schwili", 8},
    {"dze", 9},    {"adze", 9},   {"in", 10},     {"ina", 10},    {"yn", 10},    {"ine", 10},
    {"ko", 11},
};

/* The family of a token's surname suffix (0 for none) and the length of its stem. */
static int suffix_family(const struct unit *u, size_t *stem)
{
	size_t best = 0;
	int fam = 0;
	if (u->count != 1)
		return 0;
	for (size_t k = 0; k < sizeof suffixes / sizeof *suffixes; k++) {
		size_t l = strlen(suffixes[k].s);
		if (l <= best || u->ntext < l + 3)
			continue;
		size_t i = 0;
		while (i < l && u->text[u->ntext - l + i] == (unsigned char)suffixes[k].s[i])
			i++;
		if (i == l) {
			best = l;
			fam = suffixes[k].family;
		}
	}
	*stem = u->ntext - best;
	return fam;
}

/* 1 when the French final e added to x[0..n) is not the feminine: Maxim,
 * Maxime; Evarist, Evariste; Christoph, Christophe; Philipp, Philippe; Alexandr,
 * Alexandre; Amr, Amre */
static int french_e(const uint32_t *x, size_t n)
{
	uint32_t l = x[n - 1], p = x[n - 2];
	return l == 'm' || l == 'r' || (p == 's' && l == 't') || (p == 'p' && l == 'h') ||
	       (p == 'p' && l == 'p');
}

/*
 * 1 when two tokens are the same stem with different surname suffixes (Petrov,
 * Petrenko), or the same name of the two genders: the other with a, e, le or ne
 * added (Daniel, Daniela, Danielle; Jean, Jeanne), or its final o or us made a
 * (Mario, Maria; Julius, Julia). The stems must agree in their first three letters.
 */
static int other_person(const struct unit *a, const struct unit *b)
{
	if (a->count != 1 || b->count != 1 || a->ntext < 3 || b->ntext < 3)
		return 0;
	if (a->ntext > b->ntext) {
		const struct unit *t = a;
		a = b;
		b = t;
	}
	const uint32_t *x = a->text, *y = b->text;
	size_t nx = a->ntext, ny = b->ntext;
	if (memcmp(x, y, 3 * sizeof *x))
		return 0;
	/* gender: y is x with a, e, le, ne added, or x's final o/us made a */
	if (ny > nx && ny - nx <= 2 && !memcmp(x, y, nx * sizeof *x) &&
	    !strchr("aeiouy", (int)x[nx - 1]) && !french_e(x, nx)) {
		/* a final e is not written in other scripts (Blandine, Бландин) */
		int latin = !((a->flags | b->flags) & NAME_SCRIPTS);
		/* nor is it read alike from scripts that write a vowel after each
		 * consonant (Devanagari पुतिन putina) */
		int vowelled =
		    !((a->flags | b->flags) & (NAME_HAN | NAME_HANGUL | NAME_OTHER_SCRIPT));
		if (ny - nx == 1 && ((vowelled && y[nx] == 'a') || (latin && y[nx] == 'e')))
			return 1;
		if (latin && ny - nx == 2 && y[nx + 1] == 'e' && (y[nx] == 'l' || y[nx] == 'n') &&
		    y[nx] == x[nx - 1])
			return 1;
	}
	/* but -ko and -ka are one surname, in Russian or Ukrainian and in Belarusian
	 * (Lukashenko, Lukashenka; Astreiko, Astreika), not Zdenko and Zdenka */
	if (nx == ny && x[nx - 1] == 'o' && y[ny - 1] == 'a' &&
	    !memcmp(x, y, (nx - 1) * sizeof *x) && !(nx >= 7 && x[nx - 2] == 'k'))
		return 1;
	if (ny == nx + 1 && y[ny - 2] == 'u' && y[ny - 1] == 's' && x[nx - 1] == 'a' &&
	    !memcmp(x, y, (nx - 1) * sizeof *x))
		return 1;
	/* surname suffixes of different families on one stem */
	size_t sa, sb;
	int fa = suffix_family(a, &sa), fb = suffix_family(b, &sb);
	if (!fa || !fb || fa == fb)
		return 0;
	size_t common = 0;
	while (common < sa && common < sb && x[common] == y[common])
		common++;
	return common + 1 >= (sa < sb ? sa : sb);
}

#define PAIR_SURE_SIM    0.88 /* PAIR_SURE: a similarity not worth improving on */
#define VOWEL_TRUST      0.90 /* the text with its vowels folded counts this much */
#define SKEL_TRUST       0.85 /* a skeleton's similarity counts this much, both sides vowelled */
#define SKEL_LENGTH_COST 0.08 /* and this much less per consonant that one has more */
#define SKEL_LAST_TRUST  0.95 /* and this much when only their last ones differ, unalike */

/* 0 when one unit's text begins with the article (al, el) written onto the word
 * and the other's does not: the skeletons are then compared without its l. */
static int sk_article_free(const struct unit *a, const struct unit *b)
{
	int aa = a->ntext > 4 && (a->text[0] == 'a' || a->text[0] == 'e') && a->text[1] == 'l' &&
		 a->skel[0] == 'l';
	int bb = b->ntext > 4 && (b->text[0] == 'a' || b->text[0] == 'e') && b->text[1] == 'l' &&
		 b->skel[0] == 'l';
	return aa == bb || a->count > 1 || b->count > 1;
}

/* 1 when the unit's text ends in -ow read as f */
static int ends_ow(const struct unit *u)
{
	return u->ntext > 3 && u->text[u->ntext - 1] == 'w' && u->text[u->ntext - 2] == 'o' &&
	       u->skel[u->nskel - 1] == 'f';
}

/*
 * The text with the vowels of Latin spellings of Arabic (and Persian, Turkish,
 * Urdu) names folded, and the consonants they write in two ways: th as s,
 * dh as z, q as k, and German sch as the zh it writes for ж; e, i, y as i and
 * o, u as u (Mohamed, Muhammad; Mahmood,
 * Mahmud), a before an i read as i (Zayn, Zein; Husayn, Hussein; Said, Saeed;
 * Shaykh, Sheikh), letters written twice once, a final h after a vowel dropped.
 * Returns the length written to out (at most n).
 */
static size_t fold_vowels(const uint32_t *t, size_t n, uint32_t *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = t[i], nx = i + 1 < n ? t[i + 1] : 0;
		if (c == 't' && nx == 'h') {
			c = 's'; /* ث: Haitham, Haysam; Thabit, Sabit; Othman, Osman */
			i++;
		} else if (c == 'd' && nx == 'h') {
			c = 'z'; /* ذ ظ: Dhahabi, Zahabi */
			i++;
		} else if (c == 's' && nx == 'c' && i + 2 < n && t[i + 2] == 'h') {
			c = 'z'; /* German sch for ж: Schukow, Zhukov */
			i += 2;
		} else if (c == 'q') {
			c = 'k';
		} else if (c == 'v') {
			c = 'f'; /* Arabic has no v: Olivier, أوليفييه */
		} else if (c == 'g' && nx == 'n' && o && strchr("aiu", (int)out[o - 1])) {
			continue; /* Italian and French gn, ny: Agnesi, أنيزي */
		} else if (c == 'j' && o && strchr("aiu", (int)out[o - 1]) && nx &&
			   strchr("aeiouy", (int)nx)) {
			c = 'i'; /* Slavic and Hungarian j between vowels: Hajós, هايوس */
		} else if (c == 'w' && o && out[o - 1] == 'a' && nx && !strchr("aeiouy", (int)nx)) {
			o--; /* aw before a consonant as o: Mawlana, Moulana; أوليفييه */
			c = 'u';
		} else if (c == 'e' || (c == 'y' && i > 0))
			c = 'i';
		else if (c == 'o')
			c = 'u';
		else if (c == 'h' && i + 1 == n && o && strchr("aiu", (int)out[o - 1]))
			continue;
		if (c == 'i' && o && out[o - 1] == 'a')
			o--;
		if (o && out[o - 1] == c)
			continue;
		out[o++] = c;
	}
	return o;
}

/* 1 when the unit is abd joined to a name of at least three letters (abdsamad) */
static int abd_joined(const struct unit *u)
{
	return u->ntext > 5 && u->nskel > 3 && u->text[0] == 'a' && u->text[1] == 'b' &&
	       u->text[2] == 'd' && u->skel[0] == 'b' && u->skel[1] == 'd';
}

/*
 * The rewritings of x's text that another style's spelling in y calls for:
 * German sch for the zh of ж (Schukow, Zhukov; Schirinowski); the Belarusian
 * and Ukrainian h for the g of г (Hrodna, Grodno; Hryhoryavich, Grigorievich;
 * Oleh, Oleg), when the one has no g and the other no h of its own, and not
 * where either name was written in an abjad, whose h is a letter of its own;
 * ch read k (Michael, ميكائيل; Macheda, ماكيدا; Moch, Мок),
 * against a name from another script that wrote the k, but not a ch that
 * begins a word before a vowel, the English ч (Chasty, كاستيا); the German
 * and Italian z for ts (Zwirner, Цвирнер; Zürich, Цюрих), zw as tsv, against
 * a name from another script (not Zuniga, Tsang); the
 * Belarusian ў of a final -аў, -оў, -еў, written u, for the v of Russian -ov,
 * -ev, and before a consonant (Kazlou, Kozlov; Haurylau, Gavrilov); and the
 * ti, si by which Russian writes the chi, shi of Japanese names (Polivanov:
 * Ваитиро, Waichiro; Хиросима, Hiroshima), read from Cyrillic. Returns the rules that apply (SP_*
 * of x), 0 for none.
 */
static unsigned other_spellings(const struct unit *x, const struct unit *y)
{
	unsigned r = 0, xs = x->spell, ys = y->spell;
	if (!spell_rules(xs, ys))
		return 0;
	if ((xs & SP_SCH) && (ys & SP_ZH) && !(xs & SP_ZH))
		r |= SP_SCH;
	if ((xs & SP_H) && !(xs & SP_G) && (ys & SP_G) && !(ys & SP_H) &&
	    !((x->flags | y->flags) & NAME_ABJAD))
		r |= SP_H;
	if ((xs & SP_CH) && (ys & SP_K) && !(xs & SP_K) && !(x->flags & NAME_SCRIPTS) &&
	    (y->flags & NAME_SCRIPTS))
		r |= SP_CH;
	if ((xs & SP_Z) && (ys & SP_TS) && !(xs & SP_TS) && !(x->flags & NAME_SCRIPTS) &&
	    (y->flags & NAME_SCRIPTS))
		r |= SP_Z;
	if ((xs & SP_AU) && (ys & SP_OV) && !(xs & SP_OV))
		r |= SP_AU;
	if ((xs & SP_TI) && (ys & SP_CHI) && !(xs & SP_CHI) && (x->flags & NAME_CYRILLIC) &&
	    !(y->flags & NAME_CYRILLIC))
		r |= SP_TI;
	return r;
}

/* x with its text rewritten by the rules (other_spellings) into *out; 0 when the
 * text would not fit. */
static int respell(const struct unit *x, unsigned rules, struct unit *out)
{
	char t[TEXT_MAX + 1], skel[TEXT_MAX + 1];
	size_t o = 0, n = x->ntext;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = x->text[i], p = i ? x->text[i - 1] : 0,
			 nx = i + 1 < n ? x->text[i + 1] : 0, nx2 = i + 2 < n ? x->text[i + 2] : 0;
		const char *w = NULL;
		size_t skip = 0;
		if ((rules & SP_SCH) && c == 's' && nx == 'c' && nx2 == 'h')
			w = "zh", skip = 2;
		else if ((rules & SP_H) && c == 'h' && !(p && h_digraph(p)))
			w = "g";
		else if ((rules & SP_CH) && c == 'c' && nx == 'h' && p != 's' && p != 't' &&
			 (i || !is_vowel(nx2)))
			w = "k", skip = 1;
		else if ((rules & SP_Z) && c == 'z' && nx == 'w')
			w = "tsv", skip = 1;
		else if ((rules & SP_Z) && c == 'z' && nx != 'h')
			w = "ts";
		else if ((rules & SP_TI) && (c == 't' || c == 's') && nx == 'i' &&
			 !(c == 't' && p == 's'))
			w = c == 't' ? "ch" : "sh";
		else if ((rules & SP_AU) && c == 'u' && (p == 'a' || p == 'e' || p == 'o') &&
			 i >= 2 && !is_vowel(x->text[i - 2]) && (!nx || !is_vowel(nx)))
			w = "v";
		if (!w) {
			if (o + 1 > TEXT_MAX)
				return 0;
			t[o++] = (char)c;
			continue;
		}
		size_t wl = strlen(w);
		if (o + wl > TEXT_MAX)
			return 0;
		memcpy(t + o, w, wl);
		o += wl;
		i += skip;
	}
	t[o] = '\0';
	name_phonetic(t, skel, sizeof skel);
	out->first = x->first;
	out->count = x->count;
	out->flags = x->flags;
	out->group = 0;
	out->spell = 0;
	out->ntext = ascii_u32(t, out->text, TEXT_MAX);
	out->nskel = ascii_u32(skel, out->skel, TEXT_MAX);
	out->utext = histogram(out->text, out->ntext, out->htext);
	out->uskel = histogram(out->skel, out->nskel, out->hskel);
	return 1;
}

/* Two skeleton consonants that spellings of one name write for each other:
 * the same, or of one class (p b f v, t d, k g q h, s z sh, m n, l r, j zh). */
static int alike_consonants(uint32_t x, uint32_t y)
{
	static const char *const classes[] = {"bfpvw", "dt", "gkqch", "szxc", "mn", "lr", "jxz"};
	if (x == y)
		return 1;
	if (x >= 128 || y >= 128)
		return 0;
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (strchr(classes[i], (int)x) && strchr(classes[i], (int)y))
			return 1;
	return 0;
}

/* A pair read in another style counts this much; less when a letter is read as
 * another (h as g, ch as k), which links more names that are not one. */
#define OTHER_SPELLING_TRUST 0.95
#define OTHER_LETTER_TRUST   0.90

static double unit_sim_read(const struct unit *a, const struct unit *b, int abjad, double floor,
			    int respelt);

/* Similarity of two units; abjad: one side lost its short vowels. Below floor, 0
 * may be returned instead of the similarity. */
static double unit_sim(const struct unit *a, const struct unit *b, int abjad, double floor)
{
	return unit_sim_read(a, b, abjad, floor, 0);
}

/* The better of a and b read with the other styles' spellings (other_spellings),
 * each way, 0 when no rule applies. */
static double other_reading_sim(const struct unit *a, const struct unit *b, int abjad, double floor)
{
	double best = 0;
	if (!spell_rules(a->spell, b->spell) && !spell_rules(b->spell, a->spell))
		return 0.0;
	for (int k = 0; k < 2; k++) {
		const struct unit *x = k ? b : a, *y = k ? a : b;
		unsigned rules = other_spellings(x, y);
		struct unit r;
		if (!rules || !respell(x, rules, &r))
			continue;
		double trust = rules & (SP_H | SP_CH) ? OTHER_LETTER_TRUST : OTHER_SPELLING_TRUST;
		double s = unit_sim_read(&r, y, abjad, floor / trust, 1) * trust;
		if (s > best)
			best = s;
	}
	return best;
}

static double unit_sim_read(const struct unit *a, const struct unit *b, int abjad, double floor,
			    int respelt)
{
	if (same(a->text, a->ntext, b->text, b->ntext))
		return 1.0;
	if ((a->flags | b->flags) & NAME_INITIAL) {
		if (a->count > 1 || b->count > 1)
			return 0.0;
		return a->text[0] == b->text[0] ? 0.9 : 0.0;
	}
	if (a->group && a->group == b->group)
		return 0.95;
	/* the margin keeps rounding on the safe side. The readings below that the
	 * bound does not cover (abd, j, -ow, the folded text) are left out of a
	 * hopeless pair whether the shortcut is taken or not, so that it changes
	 * no score */
	int hopeless = jaro_winkler_bound(a->text, a->ntext, a->htext, a->utext, b->text, b->ntext,
					  b->htext, b->utext) < floor - 1e-9 &&
		       (!a->nskel || !b->nskel ||
			jaro_winkler_bound(a->skel, a->nskel, a->hskel, a->uskel, b->skel, b->nskel,
					   b->hskel, b->uskel) *
				(abjad ? 0.95 : 0.9) <
			    floor - 1e-9) &&
		       sk_article_free(a, b);
	if (hopeless && !person_match_exhaustive) {
		/* another style's spelling is bounded on its own reading */
		double o = respelt ? 0.0 : other_reading_sim(a, b, abjad, floor);
		return o >= floor - 1e-9 && other_person(a, b) ? 0.0 : o;
	}
	/* two names of abd (servant of) are as alike as the names after it: Abdul
	 * Samad is not Abdul Sattar, abd- alike in both */
	size_t ta = 0, ts = 0;
	if (!hopeless && abd_joined(a) && abd_joined(b))
		ta = 3, ts = 2;
	double jw = jaro_winkler_u32(a->text + ta, a->ntext - ta, b->text + ta, b->ntext - ta, 0);
	double sk = 0.0;
	if (a->nskel && b->nskel)
		sk = same(a->skel, a->nskel, b->skel, b->nskel)
			 ? 1.0
			 : jaro_winkler_u32(a->skel + ts, a->nskel - ts, b->skel + ts,
					    b->nskel - ts, 0);
	/* the Arabic article written onto the word (Elsayed, Alhaddad): compared
	 * without it too */
	if (a->nskel && b->nskel && a->nskel + b->nskel > 4 && !sk_article_free(a, b)) {
		const struct unit *x = a->skel[0] == 'l' ? a : b, *y = x == a ? b : a;
		double s2 =
		    jaro_winkler_u32(x->skel + 1, x->nskel - 1, y->skel, y->nskel, 0) * 0.95;
		if (s2 > sk)
			sk = s2;
	}
	/* an initial j is the German, Scandinavian and Slavic y (Jelzin, Yeltsin;
	 * Juri, Yuri; Jukka, يوكا): compared without it, the y a vowel already */
	if (!hopeless && a->count == 1 && b->count == 1 && a->ntext > 2 && b->ntext > 2 &&
	    ((a->text[0] == 'j' && b->text[0] == 'y') ||
	     (a->text[0] == 'y' && b->text[0] == 'j'))) {
		const struct unit *x = a->text[0] == 'j' ? a : b, *y = x == a ? b : a;
		double j2 =
		    jaro_winkler_u32(x->text + 1, x->ntext - 1, y->text + 1, y->ntext - 1, 0);
		if (j2 > jw)
			jw = j2;
		if (x->nskel > 1 && x->skel[0] == 'j' && y->nskel && y->skel[0] != 'j') {
			double s2 =
			    jaro_winkler_u32(x->skel + 1, x->nskel - 1, y->skel, y->nskel, 0);
			if (s2 > sk)
				sk = s2;
		}
	}
	/* a final -ow is German for -ov (Andropow) or English, silent (Morrow, Solow,
	 * مورو, Моррау): compared without its f too */
	if (!hopeless && a->nskel > 1 && b->nskel > 1 && a->count == 1 && b->count == 1 &&
	    (ends_ow(a) != ends_ow(b))) {
		const struct unit *x = ends_ow(a) ? a : b, *y = x == a ? b : a;
		double s2 = jaro_winkler_u32(x->skel, x->nskel - 1, y->skel, y->nskel, 0) * 0.95;
		if (s2 > sk && x->nskel - 1 == y->nskel)
			sk = s2;
	}
	/* a skeleton longer by some consonants is another name (Rosner, Rosenberg) */
	size_t d = a->nskel > b->nskel ? a->nskel - b->nskel : b->nskel - a->nskel;
	sk *= 1.0 - SKEL_LENGTH_COST * (double)d;
	/* skeletons alike but for their last consonants, two that no spelling
	 * confuses, are another name (Fernando, Fornara: frnd, frnr) */
	if (a->nskel == b->nskel && a->nskel >= 3 &&
	    !memcmp(a->skel, b->skel, (a->nskel - 1) * sizeof *a->skel) &&
	    !alike_consonants(a->skel[a->nskel - 1], b->skel[b->nskel - 1]))
		sk *= SKEL_LAST_TRUST;
	sk *= abjad ? 0.95 : SKEL_TRUST;
	double sim = jw > sk ? jw : sk;
	if (!hopeless && sim < PAIR_SURE_SIM) {
		uint32_t fa[TEXT_MAX], fb[TEXT_MAX];
		size_t na = fold_vowels(a->text + ta, a->ntext - ta, fa),
		       nb = fold_vowels(b->text + ta, b->ntext - ta, fb);
		double v = jaro_winkler_u32(fa, na, fb, nb, 0) * VOWEL_TRUST;
		if (v > sim)
			sim = v;
	}
	if (!respelt && sim < PAIR_SURE_SIM) {
		double o = other_reading_sim(a, b, abjad, floor);
		if (o > sim)
			sim = o;
	}
	if (sim >= floor - 1e-9 && other_person(a, b))
		return 0.0;
	return sim;
}

static double token_weight(unsigned flags)
{
	return flags & NAME_PARTICLE ? 0.2 : flags & NAME_INITIAL ? 0.4 : 1.0;
}

#define PAIR_FLOOR 0.75 /* a pair below this is no match at all */
/*
 * A pair's similarity s from the floor up to PAIR_SURE counts less, spread from
 * 0.5 up to PAIR_SURE: two spellings of one name are alike (0.9 and up), a
 * similarity near the floor is as often another name (Rosner, Rosenberg), and a
 * name of one token should not pass the threshold that a name of three, two of
 * them the same, does not pass (measured: tests/bench/match.sh).
 */
#define PAIR_SURE 0.88

static double stretch(double s)
{
	if (s >= PAIR_SURE)
		return s;
	return PAIR_SURE - (PAIR_SURE - s) * (PAIR_SURE - 0.5) / (PAIR_SURE - PAIR_FLOOR);
}

struct pair {
	double sim;
	unsigned ua, ub;
};

static int by_sim_desc(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	if (a->sim != b->sim)
		return a->sim < b->sim ? 1 : -1;
	/* ties: single tokens before joined ones, then by position: deterministic */
	if (a->ua != b->ua)
		return a->ua < b->ua ? -1 : 1;
	return a->ub < b->ub ? -1 : a->ub > b->ub;
}

/* The name score from the best pairing of units, chosen greedily, best pairs first;
 * when accepted is not NULL, the pairs taken go there and their count to
 * *naccepted. */
static double name_score_detail(const struct name_tokens *a, const struct name_tokens *b,
				struct pair *accepted, unsigned *naccepted)
{
	struct unit ub[UNITS_MAX];
	const struct unit *ua;
	struct pair pairs[UNITS_MAX * UNITS_MAX];
	unsigned na, nb, np = 0, used_a = 0, used_b = 0;
	double sa[NAME_TOKENS_MAX] = {0}, sb[NAME_TOKENS_MAX] = {0};
	int abjad = (a->flags ^ b->flags) & NAME_ABJAD;

	*naccepted = 0;
	if (!a->n || !b->n)
		return 0.0;
	ua = first_units(a, &na);
	nb = make_units(b, ub);
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nb; j++) {
			if (ua[i].count > 1 && ub[j].count > 1)
				continue;
			int joined = ua[i].count > 1 || ub[j].count > 1;
			double s = unit_sim(&ua[i], &ub[j], abjad,
					    joined ? PAIR_FLOOR / 0.98 : PAIR_FLOOR);
			if (joined)
				s *= 0.98; /* prefer the plain reading on a tie */
			if (s >= PAIR_FLOOR)
				pairs[np++] = (struct pair){stretch(s), i, j};
		}
	qsort(pairs, np, sizeof *pairs, by_sim_desc);
	for (unsigned k = 0; k < np; k++) {
		const struct unit *x = &ua[pairs[k].ua], *y = &ub[pairs[k].ub];
		unsigned ma = ((1u << x->count) - 1) << x->first;
		unsigned mb = ((1u << y->count) - 1) << y->first;
		if ((used_a & ma) || (used_b & mb))
			continue;
		used_a |= ma;
		used_b |= mb;
		for (unsigned t = 0; t < x->count; t++)
			sa[x->first + t] = pairs[k].sim;
		for (unsigned t = 0; t < y->count; t++)
			sb[y->first + t] = pairs[k].sim;
		if (accepted)
			accepted[(*naccepted)++] = pairs[k];
	}
	double wa = 0, wb = 0, ma = 0, mb = 0;
	for (unsigned i = 0; i < a->n; i++) {
		double w = token_weight(a->tok[i].flags);
		wa += w;
		ma += w * sa[i];
	}
	for (unsigned j = 0; j < b->n; j++) {
		double w = token_weight(b->tok[j].flags);
		wb += w;
		mb += w * sb[j];
	}
	double ca = ma / wa, cb = mb / wb;
	/* the shorter name must be covered; extra tokens in the longer one cost a little */
	double cshort = wa <= wb ? ca : cb, clong = wa <= wb ? cb : ca;
	double score = 0.8 * cshort + 0.2 * clong;
	/* an initial left unpaired where the other name has a full token left
	 * unpaired contradicts it (W. Putin, Vladimir Putin) */
	int ia = 0, ib = 0, fa = 0, fb = 0;
	for (unsigned i = 0; i < a->n; i++)
		if (sa[i] == 0) {
			ia |= !!(a->tok[i].flags & NAME_INITIAL);
			fa |= !(a->tok[i].flags & (NAME_INITIAL | NAME_PARTICLE));
		}
	for (unsigned j = 0; j < b->n; j++)
		if (sb[j] == 0) {
			ib |= !!(b->tok[j].flags & NAME_INITIAL);
			fb |= !(b->tok[j].flags & (NAME_INITIAL | NAME_PARTICLE));
		}
	if ((ia && fb) || (ib && fa))
		score *= 0.85;
	return score;
}

double person_name_score(const struct name_tokens *a, const struct name_tokens *b)
{
	unsigned n;
	return name_score_detail(a, b, NULL, &n);
}

double person_name_score_readings(struct name_normalizer *nn, const char *a, size_t alen,
				  const char *b, size_t blen)
{
	struct name_tokens ta[3], tb[3];
	int na = names_readings(nn, a, alen, ta, 3), nb = names_readings(nn, b, blen, tb, 3);
	double best = 0;
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++) {
			double s = person_name_score(&ta[i], &tb[j]);
			if (s > best)
				best = s;
		}
	return best;
}

/* --- dates of birth ------------------------------------------------------- */

struct ymd {
	int y, m, d; /* 0 when unknown */
};

/* Parse "YYYY", "YYYY-MM", "YYYY-MM-DD" from s[0..n); 0 on success. */
static int parse_ymd(const char *s, size_t n, struct ymd *out)
{
	int v[3] = {0, 0, 0}, k = 0;
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (; k < 3; k++) {
		size_t start = i;
		int x = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4)
			x = x * 10 + (s[i++] - '0');
		if ((k == 0 && i - start != 4) || (k > 0 && i - start != 2))
			return -1;
		v[k] = x;
		if (i >= n || s[i] != '-')
			break;
		i++;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i != n || v[0] < 1000 || v[1] > 12 || v[2] > 31 || (k >= 1 && !v[1]) ||
	    (k >= 2 && !v[2]))
		return -1;
	out->y = v[0];
	out->m = v[1];
	out->d = v[2];
	return 0;
}

int dob_valid(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct ymd v;
	size_t n = s ? strlen(s) : 0;
	if (!n || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    parse_ymd(s, n, &v) < 0)
		return 0;
	if (!v.d)
		return 1;
	int leap = (v.y % 4 == 0 && v.y % 100 != 0) || v.y % 400 == 0;
	return v.d <= days[v.m - 1] + (v.m == 2 && leap);
}

static enum dob_match ymd_compare(struct ymd a, struct ymd b)
{
	if (a.y == b.y) {
		if (a.m && b.m && a.m != b.m) {
			if (a.d && b.d && a.m == b.d && a.d == b.m)
				return DOB_SWAPPED;
			return DOB_DIFFERENT;
		}
		if (a.d && b.d && a.d != b.d)
			return DOB_DIFFERENT;
		return a.m && b.m && a.d && b.d ? DOB_EXACT : DOB_PARTIAL;
	}
	if (a.y - b.y == 1 || b.y - a.y == 1) {
		if ((a.m && b.m && a.m != b.m) || (a.d && b.d && a.d != b.d))
			return DOB_DIFFERENT;
		return DOB_YEAR_OFF;
	}
	return DOB_DIFFERENT;
}

/* Rank of an outcome: the best over the alternatives wins. */
static int dob_rank(enum dob_match m)
{
	static const int rank[] = {[DOB_UNKNOWN] = 0, [DOB_DIFFERENT] = 1, [DOB_YEAR_OFF] = 2,
				   [DOB_SWAPPED] = 3, [DOB_PARTIAL] = 4,   [DOB_EXACT] = 5};
	return rank[m];
}

enum dob_match dob_compare(const char *a, const char *b)
{
	enum dob_match best = DOB_UNKNOWN;

	if (!a || !b)
		return DOB_UNKNOWN;
	for (const char *p = a; *p;) {
		size_t n = strcspn(p, "|");
		struct ymd x;
		if (!parse_ymd(p, n, &x)) {
			for (const char *q = b; *q;) {
				size_t m = strcspn(q, "|");
				struct ymd y;
				if (!parse_ymd(q, m, &y)) {
					enum dob_match r = ymd_compare(x, y);
					if (dob_rank(r) > dob_rank(best))
						best = r;
				}
				q += m + (q[m] == '|');
			}
		}
		p += n + (p[n] == '|');
	}
	return best;
}

/* 1 shared country, 0 none shared, -1 unknown. */
static int countries_shared(const char *a, const char *b, char *which)
{
	int known = 0;

	if (!a || !b || !*a || !*b)
		return -1;
	for (const char *p = a; *p;) {
		size_t n = strcspn(p, ",|");
		if (n == 2) {
			for (const char *q = b; *q;) {
				size_t m = strcspn(q, ",|");
				if (m == 2) {
					known = 1;
					if ((p[0] | 0x20) == (q[0] | 0x20) &&
					    (p[1] | 0x20) == (q[1] | 0x20)) {
						which[0] = (char)(p[0] | 0x20);
						which[1] = (char)(p[1] | 0x20);
						which[2] = '\0';
						return 1;
					}
				}
				q += m + (q[m] != '\0');
			}
		}
		p += n + (p[n] != '\0');
	}
	return known ? 0 : -1;
}

/* snprintf at out+o that never runs past outsz; returns the new length. */
static size_t append(char *out, size_t outsz, size_t o, const char *fmt, ...)
{
	va_list ap;
	if (o + 1 >= outsz)
		return o;
	va_start(ap, fmt);
	int k = vsnprintf(out + o, outsz - o, fmt, ap);
	va_end(ap);
	if (k < 0)
		return o;
	return (size_t)k < outsz - o ? o + (size_t)k : outsz - 1;
}

/* A unit's text as a C string, in t. */
static const char *unit_text(const struct unit *u, char t[TEXT_MAX + 1])
{
	for (size_t i = 0; i < u->ntext; i++)
		t[i] = (char)u->text[i];
	t[u->ntext] = '\0';
	return t;
}

static const struct {
	double adjust;
	const char *label;
} dob_effect[] = {
    [DOB_UNKNOWN] = {0.0, NULL},
    [DOB_EXACT] = {0.08, "dob exact"},
    [DOB_PARTIAL] = {0.04, "dob agrees as far as known"},
    [DOB_SWAPPED] = {0.04, "dob day and month swapped"},
    [DOB_YEAR_OFF] = {0.0, "dob one year off"},
    [DOB_DIFFERENT] = {-0.36, "dob differs"},
};

double person_score_match(const struct person *q, const struct person *c, struct person_match *m)
{
	struct pair acc[NAME_TOKENS_MAX];
	unsigned nacc = 0;
	double name = name_score_detail(q->name, c->name, acc, &nacc);
	enum dob_match dm = dob_compare(q->dob, c->dob);
	int cs;
	double s = name;

	m->country[0] = '\0';
	cs = countries_shared(q->countries, c->countries, m->country);
	if (name > 0) {
		s += dob_effect[dm].adjust;
		s += cs == 1 ? 0.03 : cs == 0 ? -0.05 : 0.0;
	}
	m->name = name;
	m->npairs = nacc;
	for (unsigned i = 0; i < nacc; i++)
		m->pairs[i] = (struct person_pair){acc[i].sim, acc[i].ua, acc[i].ub};
	m->dob = dm;
	m->shared = cs;
	return s < 0 ? 0 : s > 1 ? 1 : s;
}

void person_explain(const struct person *q, const struct person *c, const struct person_match *m,
		    char *why, size_t whysz)
{
	struct unit ub[UNITS_MAX];
	const struct unit *ua;
	unsigned na;
	char ta[TEXT_MAX + 1], tb[TEXT_MAX + 1];
	size_t o = 0;
	if (!why || !whysz)
		return;
	ua = first_units(q->name, &na); /* the query's, remembered */
	make_units(c->name, ub);
	o = append(why, whysz, o, "name %.2f (", m->name);
	for (unsigned i = 0; i < m->npairs; i++)
		o = append(why, whysz, o, "%s%s=%s %.2f", i ? ", " : "",
			   unit_text(&ua[m->pairs[i].ua], ta), unit_text(&ub[m->pairs[i].ub], tb),
			   m->pairs[i].sim);
	o = append(why, whysz, o, ")");
	if (dob_effect[m->dob].label)
		o = append(why, whysz, o, "; %s", dob_effect[m->dob].label);
	if (m->shared == 1)
		append(why, whysz, o, "; nationality %s", m->country);
	else if (m->shared == 0)
		append(why, whysz, o, "; nationality differs");
}

double person_score(const struct person *q, const struct person *c, char *why, size_t whysz)
{
	struct person_match m;
	double s = person_score_match(q, c, &m);
	person_explain(q, c, &m, why, whysz);
	return s;
}

double person_score_bound(const struct person *q, const char *dob, const char *countries)
{
	char country[3];
	int cs = countries_shared(q->countries, countries, country);
	/* as person_score adds them, to a name score of at most 1 */
	double s = 1.0 + dob_effect[dob_compare(q->dob, dob)].adjust;
	s += cs == 1 ? 0.03 : cs == 0 ? -0.05 : 0.0;
	return s < 0 ? 0 : s > 1 ? 1 : s;
}

/* --- blocking keys -------------------------------------------------------- */

static size_t add_key(char keys[][PERSON_KEY_MAX], unsigned *tokens, size_t n, size_t max,
		      const char *k, unsigned mask)
{
	char key[PERSON_KEY_MAX];
	size_t l = strlen(k);

	if (n >= max || !l)
		return n;
	if (l > 4)
		l = 4;
	memcpy(key, k, l);
	key[l] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], key)) {
			if (tokens)
				tokens[i] |= mask;
			return n;
		}
	memcpy(keys[n], key, l + 1);
	if (tokens)
		tokens[n] = mask;
	return n + 1;
}

size_t person_blocking_keys_tokens(const struct name_tokens *t, char keys[][PERSON_KEY_MAX],
				   unsigned *tokens, size_t max)
{
	size_t n = 0;

	for (unsigned i = 0; i < t->n; i++) {
		const struct name_token *x = &t->tok[i];
		if (x->flags & (NAME_PARTICLE | NAME_INITIAL))
			continue;
		n = add_key(keys, tokens, n, max, x->skel[0] ? x->skel : x->text, 1u << i);
	}
	for (unsigned i = 0; i + 1 < t->n; i++) {
		const struct name_token *x = &t->tok[i], *y = &t->tok[i + 1];
		char joined[2 * NAME_KEY_MAX + 1], skel[NAME_KEY_MAX];
		if ((x->flags | y->flags) & (NAME_PARTICLE | NAME_INITIAL))
			continue;
		snprintf(joined, sizeof joined, "%.*s%.*s", NAME_KEY_MAX - 1, x->text,
			 NAME_KEY_MAX - 1, y->text);
		name_skeleton(joined, skel, sizeof skel);
		n = add_key(keys, tokens, n, max, skel[0] ? skel : joined, 3u << i);
	}
	return n;
}

size_t person_blocking_keys(const struct name_tokens *t, char keys[][PERSON_KEY_MAX], size_t max)
{
	return person_blocking_keys_tokens(t, keys, NULL, max);
}
