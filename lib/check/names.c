/*
 * names.c: a person's name, in any script, as tokens for matching (see names.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* hangul.h has a stray ';' after some declarations, which -Wpedantic reports */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include <hangul.h>
#pragma GCC diagnostic pop
#include <mecab.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "ccc/names.h"
#include "ccc/similarity.h"

#define WORK_UNITS 8192 /* UTF-16 units of the work buffer: transliteration grows text */

/*
 * Arabic script to Latin. ICU's own Arabic-Latin writes scholarly marks (ḥ, ʿ) and
 * no vowels; these rules write what English-language lists and passports write.
 * Before-contexts ({) see text already transliterated, after-contexts (}) see
 * the input; $B is any character that is not a letter or mark, and the input is
 * padded with spaces, so "$B { word } $B" is a whole word.
 */
static const char arabic_rules[] =
    /* shadda doubles its letter (حدّاد haddad), but the sun letter after the
     * article, which the article is dropped for (الشّريف sharif), and in the
     * names spelled in full below (مُحَمَّد, الله) */
    ":: [\\u064B-\\u0650\\u0652-\\u065F\\u0670\\u0640] Remove ;\n"
    "محم \\u0651 > محم ;\n"
    "ل \\u0651 } ه > ل ;\n"
    "ال ([\\u0628-\\u064A]) \\u0651 > ال $1 ;\n"
    "([\\u0628-\\u064A]) \\u0651 > $1 $1 ;\n"
    "\\u0651 > ;\n"
    ":: Null ;\n"
    ":: [\\u064B-\\u065F\\u0670\\u0640] Remove ;\n"
    ":: Null ;\n"
    "$B = [^[:L:][:M:]] ;\n"
    "$AR = [\\u0620-\\u064A\\u066E-\\u06D3\\u06FA-\\u06FF] ;\n"
    /* very common names and name words, spelled in full */
    "$B { محمد } $B > muhammad ;\n"
    "$B { [أا]حمد } $B > ahmad ;\n"
    "$B { محمود } $B > mahmud ;\n"
    "$B { مصطفى } $B > mustafa ;\n"
    "$B { علي } $B > ali ;\n"
    "$B { عمر } $B > umar ;\n"
    "$B { عثمان } $B > uthman ;\n"
    "$B { حسن } $B > hasan ;\n"
    "$B { حسين } $B > husayn ;\n"
    "$B { [إا]براهيم } $B > ibrahim ;\n"
    "$B { [إا]سماعيل } $B > ismail ;\n"
    "$B { يوسف } $B > yusuf ;\n"
    "$B { يونس } $B > yunus ;\n"
    "$B { موسى } $B > musa ;\n"
    "$B { عيسى } $B > isa ;\n"
    "$B { يحيى } $B > yahya ;\n"
    "$B { خالد } $B > khalid ;\n"
    "$B { سعيد } $B > said ;\n"
    "$B { سعد } $B > saad ;\n"
    "$B { فاطمة } $B > fatima ;\n"
    "$B { عائشة } $B > aisha ;\n"
    "$B { مريم } $B > maryam ;\n"
    "$B { زينب } $B > zaynab ;\n"
    "$B { خديجة } $B > khadija ;\n"
    "$B { جمال } $B > jamal ;\n"
    "$B { كمال } $B > kamal ;\n"
    "$B { صالح } $B > salih ;\n"
    "$B { طارق } $B > tariq ;\n"
    "$B { طه } $B > taha ;\n"
    "$B { حمزة } $B > hamza ;\n"
    "$B { [أا]سامة } $B > usama ;\n"
    "$B { عادل } $B > adil ;\n"
    "$B { ناصر } $B > nasir ;\n"
    "$B { منصور } $B > mansur ;\n"
    "$B { رشيد } $B > rashid ;\n"
    "$B { سليمان } $B > sulayman ;\n"
    "$B { عبد } $B > abd ;\n"
    "$B { عبد } $AR > 'abd ' ;\n"
    "$B { ال?ل[هہ] } $B > allah ;\n"
    "$B { [أا]بو } $B > abu ;\n"
    "$B { بن } $B > bin ;\n"
    "$B { [إا]بن } $B > ibn ;\n"
    "$B { بنت } $B > bint ;\n"
    "$B { [أا]م } $B > umm ;\n"
    "$B { ولد } $B > ould ;\n"
    /* a Latin initial, written as the letter's name and a full stop (جي. g.) */
    "$B { [إا]يه } '.' > a ; $B { بي } '.' > b ; $B { سي } '.' > c ; $B { دي } '.' > d ;\n"
    "$B { [إا]ي } '.' > e ; $B { [إا]ف } '.' > f ; $B { جي } '.' > g ; $B { [إا]تش } '.' > h ;\n"
    "$B { [آا]ي } '.' > i ; $B { جيه } '.' > j ; $B { كي } '.' > k ; $B { [إا]ل } '.' > l ;\n"
    "$B { [إا]م } '.' > m ; $B { [إا]ن } '.' > n ; $B { [أا]و } '.' > o ; $B { كيو } '.' > q ;\n"
    "$B { [آا]ر } '.' > r ; $B { [إا]س } '.' > s ; $B { تي } '.' > t ; $B { يو } '.' > u ;\n"
    "$B { في } '.' > v ; $B { دبليو } '.' > w ; $B { [إا]كس } '.' > x ; $B { واي } '.' > y ;\n"
    "$B { زد } '.' > z ;\n"
    /* the article, when a word of at least two letters follows */
    "$B { ال } $AR $AR > 'al-' ;\n"
    /* long vowels and semi-vowels */
    "[آأٱ] > a ; إ > i ; ا > a ; ى > a ; [ةۀۃ] > a ; ء > ; ؤ > u ; ئ > i ;\n"
    "$B { و > w ; a { و > w ; و } [اىآ] > w ; و > u ;\n"
    "$B { [يی] > y ; a { [يی] > y ; [يی] } [اىآو] > y ; [يی] > i ;\n"
    "$B { ع > a ; ع > ;\n"
    /* consonants */
    "ب > b ; ت > t ; ث > th ; ج > j ; ح > h ; خ > kh ; د > d ; ذ > dh ; ر > r ;\n"
    "ز > z ; س > s ; ش > sh ; ص > s ; ض > d ; ط > t ; ظ > z ; غ > gh ; ف > f ;\n"
    "ق > q ; [كک] > k ; ل > l ; م > m ; ن > n ; [هھہ] > h ;\n"
    /* Persian and Urdu */
    "پ > p ; چ > ch ; ژ > zh ; گ > g ; ڤ > v ; ے > e ; ٹ > t ; ڈ > d ; ڑ > r ; ں > n ;\n";

/*
 * Hebrew script to Latin, in the same way: ICU has no Hebrew-Latin of its own (Any-Latin
 * writes one Latin letter per Hebrew letter: דוד "dwd"). Names are written without
 * vowel points, so the rules guess: ב, כ, פ are b, k, p at the start of a word and
 * v, ch, f elsewhere (where, after a vowel, they usually are soft); ו and י are
 * consonants (v, y) at the start of a word or doubled, ו is v before a final י, א
 * or ה (לוי levi), otherwise both are vowels (o, i; u for a final ו); a final ה is a
 * vowel (שרה sara). Where the guess is wrong for a very common name (דוד, where the
 * vav is a v; שרה, with a sin), the name is spelled in full. Points are removed but
 * for the sin dot, which makes ש an s.
 */
static const char hebrew_rules[] =
    ":: [\\u0591-\\u05BD\\u05BF\\u05C1\\u05C4\\u05C5\\u05C7] Remove ;\n"
    ":: Null ;\n"
    "$B = [^[:L:][:M:]] ;\n"
    /* very common names and name words, spelled in full */
    "$B { דוו?י?ד } $B > david ;\n"
    "$B { משה } $B > moshe ;\n"
    "$B { יוסף } $B > yosef ;\n"
    "$B { אברהם } $B > avraham ;\n"
    "$B { יצחק } $B > yitzhak ;\n"
    "$B { יעקו?ב } $B > yaakov ;\n"
    "$B { ש\\u05C2?רה } $B > sara ;\n"
    "$B { רבקה } $B > rivka ;\n"
    "$B { רחל } $B > rachel ;\n"
    "$B { לאה } $B > leah ;\n"
    "$B { שלמה } $B > shlomo ;\n"
    "$B { אהרו?ן } $B > aharon ;\n"
    "$B { יהודה } $B > yehuda ;\n"
    "$B { לוי } $B > levi ;\n"
    "$B { כהן } $B > cohen ;\n"
    "$B { יש\\u05C2?ראל } $B > yisrael ;\n"
    "$B { מרים } $B > miriam ;\n"
    "$B { חנה } $B > chana ;\n"
    "$B { אליהו } $B > eliyahu ;\n"
    "$B { בנימין } $B > binyamin ;\n"
    "$B { שמעון } $B > shimon ;\n"
    "$B { ראובן } $B > reuven ;\n"
    "$B { שמואל } $B > shmuel ;\n"
    "$B { דניאל } $B > daniel ;\n"
    "$B { מיכאל } $B > michael ;\n"
    "$B { נתן } $B > natan ;\n"
    "$B { יה?ונתן } $B > yonatan ;\n"
    "$B { חיים } $B > chaim ;\n"
    "$B { מנחם } $B > menachem ;\n"
    "$B { מרדכי } $B > mordechai ;\n"
    "$B { אריה } $B > arye ;\n"
    "$B { בן } $B > ben ;\n"
    "$B { בת } $B > bat ;\n"
    /* a geresh writes sounds Hebrew lacks; Yiddish digraphs */
    "ג \\u05F3 > j ; ז \\u05F3 > zh ; [צץ] \\u05F3 > ch ; ת \\u05F3 > th ; \\u05F3 > ;\n"
    "װ > v ; ױ > oy ; ײ > ey ;\n"
    /* vav and yod, final he, alef and ayin */
    "וו > v ; $B { ו > v ; ו } [יאה] $B > v ; ו } $B > u ; ו > o ;\n"
    "יי > y ; $B { י > y ; י > i ;\n"
    "a { ה } $B > ; ה } $B > a ; ה > h ;\n"
    "[אע] > a ;\n"
    /* consonants */
    "$B { ב > b ; ב > v ; $B { כ > k ; [כך] > ch ; $B { פ > p ; [פף] > f ;\n"
    "ש \\u05C2 > s ; ש > sh ; \\u05C2 > ;\n"
    "ג > g ; ד > d ; ז > z ; ח > ch ; ט > t ; ל > l ; [מם] > m ; [נן] > n ; ס > s ;\n"
    "[צץ] > tz ; ק > k ; ר > r ; ת > t ;\n";

/* BGN/PCGN writes a middle dot where two letters would read as one other
 * (т·с, not ц) and before an э after a consonant (Сэм: s·em), and the hard
 * sign as a double prime (Объедков: obʺyedkov): neither is a word's end, and
 * both are taken out, as English spellings do */
static const char latin_id[] = "Russian-Latin/BGN; [\\u00B7\\u02BA] Remove; Han-Latin/Names; "
			       "Any-Latin; Latin-ASCII; Any-Lower";
/* The same without Han-Latin, for a name with neither Chinese characters nor
 * kana: Han-Latin tries its rules at every letter, whatever its script, and
 * took nine tenths of the time of a Cyrillic name (tests/unit/test-names.c
 * compares the two on names of every script: names_han_latin_always) */
static const char plain_latin_id[] =
    "Russian-Latin/BGN; [\\u00B7\\u02BA] Remove; Any-Latin; Latin-ASCII; Any-Lower";

/*
 * The letters of Kazakh, Kyrgyz, Tatar, Bashkir, Tajik, Mongolian and other
 * languages written in Cyrillic that ICU's transliterators leave as they are
 * (ң, ү, ұ, ө, ә; қ as a k with a mark of its own): each is read as the Russian
 * letter of the nearest sound, or as h or j, so that Нұрсұлтан is nursultan
 * and not three words. 0 for a letter to leave to ICU, '-' for one to take
 * out (the palochka, a mark of Caucasian ejectives).
 */
static UChar cyrillic_extended(UChar c)
{
	/* capital and small in pairs, the capital first; from U+04C1 to U+04CE
	 * the capital is odd */
	int odd = c >= 0x04C1 && c <= 0x04CE, up = odd ? c & 1 : !(c & 1);
	UChar r;
	if (c == 0x04C0 || c == 0x04CF)
		return '-'; /* Ӏ */
	switch (odd ? c + (c & 1) : c & 0xFFFE) {
	case 0x0492: /* Ғ */
	case 0x0494:
	case 0x04F6:
	case 0x04FA: r = 0x0413; break; /* Г */
	case 0x0496:                    /* Җ */
	case 0x04C2:
	case 0x04DC: r = 0x0416; break; /* Ж */
	case 0x0498:                    /* Ҙ */
	case 0x04DE:
	case 0x04E0: r = 0x0417; break; /* З */
	case 0x04C6: r = 0x041B; break; /* Л */
	case 0x04CE: r = 0x041C; break; /* М */
	case 0x04A6: r = 0x041F; break; /* П */
	case 0x04B4: r = 0x0426; break; /* Ц */
	case 0x04FC:
	case 0x04FE: r = 0x0425; break; /* Х */
	case 0x04EC: r = 0x042D; break; /* Э */
	case 0x049A:                    /* Қ */
	case 0x049C:
	case 0x049E:
	case 0x04A0:
	case 0x04C4: r = 0x041A; break; /* К */
	case 0x04A2:                    /* Ң */
	case 0x04A4:
	case 0x04C8:
	case 0x04CA: r = 0x041D; break; /* Н */
	case 0x04AA: r = 0x0421; break; /* Ҫ: С */
	case 0x04AC: r = 0x0422; break; /* Ҭ: Т */
	case 0x04AE:                    /* Ү */
	case 0x04B0:                    /* Ұ */
	case 0x04EE:
	case 0x04F0:
	case 0x04F2: r = 0x0423; break;         /* У */
	case 0x04B2:                            /* Ҳ */
	case 0x04BA: r = up ? 'H' : 'h'; break; /* Һ */
	case 0x04B6: r = up ? 'J' : 'j'; break; /* Ҷ */
	case 0x04B8:
	case 0x04BC:
	case 0x04BE:
	case 0x04CC:
	case 0x04F4: r = 0x0427; break; /* Ч */
	case 0x04D0:
	case 0x04D2:
	case 0x04D8:                    /* Ә */
	case 0x04DA: r = 0x0410; break; /* А */
	case 0x04D6: r = 0x0415; break; /* Е */
	case 0x04E2:
	case 0x04E4: r = 0x0418; break; /* И */
	case 0x04E6:
	case 0x04E8:                    /* Ө */
	case 0x04EA: r = 0x041E; break; /* О */
	case 0x04F8: r = 0x042B; break; /* Ы */
	default: return 0;
	}
	return r < 0x80 || up ? r : (UChar)(r + 0x20);
}

/* A consonant of the Russian alphabet (not ъ, ь or й). */
static int cyrillic_consonant(UChar c)
{
	static const UChar vowels[] = u"аеиоуыэюяАЕИОУЫЭЮЯ";
	if (c >= 0x0410 && c <= 0x042F)
		c = (UChar)(c + 0x20);
	if (c < 0x0430 || c > 0x044F || c == 0x044A || c == 0x044C || c == 0x0439)
		return 0;
	for (const UChar *v = vowels; *v; v++)
		if (*v == c)
			return 0;
	return 1;
}

/* Conventional spellings of the commonest Korean surnames (a word's first syllable). */
static const struct {
	const char *hangul, *latin;
} korean_surnames[] = {
    {"김", "kim"},   {"이", "lee"}, {"박", "park"}, {"최", "choi"}, {"정", "jung"},
    {"강", "kang"},  {"조", "cho"}, {"윤", "yoon"}, {"장", "jang"}, {"임", "lim"},
    {"한", "han"},   {"오", "oh"},  {"서", "seo"},  {"신", "shin"}, {"권", "kwon"},
    {"황", "hwang"}, {"안", "ahn"}, {"송", "song"}, {"류", "ryu"},  {"홍", "hong"},
};

/* Words dropped wherever they stand: titles, ranks, honorifics, the article. */
static const char *const dropped_words[] = {
    "al",        "el",        "ul",          "mr",           "mrs",        "ms",
    "miss",      "mme",       "mlle",        "dr",           "doctor",     "docteur",
    "prof",      "professor", "sir",         "sr",           "sra",        "srta",
    "general",   "gen",       "colonel",     "col",          "major",      "maj",
    "captain",   "capt",      "commandant",  "cmdt",         "lieutenant", "lt",
    "sergeant",  "sgt",       "sheikh",      "shaikh",       "shaykh",     "sheik",
    "cheikh",    "shykh",     "hajj",        "haji",         "hajji",      "alhajj",
    "alhaji",    "president", "presidente",  "presidenta",   "prezident",  "praesident",
    "prasident", "presiden",  "predsjednik", "presedintele", "elnok",      "raees",
    "rais",      "ryys",      "emir",        "mullah",       "mulla",      "maulawi",
    "mawlawi",   "maulavi",   "maulvi",      "molvi",        "maulana",    "mawlana",
};

/* The Arabic article in its assimilated spellings, dropped only before a hyphen. */
static const char *const article_prefixes[] = {
    "al", "el", "ul", "ad", "ed", "ud", "ar", "er",  "ur",  "as",  "es",  "us",  "at",  "et",
    "ut", "az", "ez", "uz", "an", "en", "un", "ash", "esh", "ush", "adh", "ath", "ats",
};

/* Particles; ur, ul and ud are the Arabic article of a compound written apart
 * (Mati ur Rehman, Shams ul Haq). */
static const char *const particles[] = {
    "bin",   "ibn",   "ben", "bint", "binti", "ould", "abu", "abou", "abo", "umm", "de",  "del",
    "della", "dello", "di",  "da",   "do",    "dos",  "das", "du",   "la",  "le",  "van", "von",
    "der",   "den",   "ter", "ten",  "y",     "e",    "i",   "ur",   "ul",  "ud",
};

/* Spellings of "abd" (servant of) that join the next word. */
static const char *const abd_forms[] = {
    "abdoul", "abdul", "abdel", "abdal",  "abdol", "abdou", "abdur",
    "abdar",  "abdus", "abdas", "abdoel", "abdil", "abdu",  "abd",
};

int name_abd_form(const char *w, size_t n)
{
	if (!n || w[0] != 'a')
		return 0; /* every form begins "abd" */
	for (size_t i = 0; i < sizeof abd_forms / sizeof *abd_forms; i++)
		if (strlen(abd_forms[i]) == n && !memcmp(abd_forms[i], w, n))
			return 1;
	return 0;
}

/* A Korean reading of a Chinese character: rank is the character's place in the
 * list libhangul gives for the syllable, the commonest characters first. */
struct hanja_reading {
	UChar32 hanja;
	UChar hangul;
	unsigned short rank;
};

struct name_normalizer {
	UTransliterator *arabic, *hebrew, *latin, *plain_latin;
	UTransliterator *arabic_alt; /* the other usual spellings: arabic_alt_rules */
	int latin_alt;               /* latin_digraphs' other reading */
	int cyrillic_h;              /* the reading with х and г as h */
	UTransliterator *arabic_fa;  /* the Persian, Urdu and Turkish reading: the same */
	const UNormalizer2 *nfkc;
	/* Loaded on the first name that needs them (names_readings), as they take tens
	 * of milliseconds and megabytes; *_tried so that a missing dictionary is
	 * looked for once. */
	struct hanja_reading *hanja; /* sorted by hanja, then rank */
	size_t nhanja;
	int hanja_tried, mecab_tried;
	mecab_t *mecab;
	UChar work[WORK_UNITS];
	UChar tmp[WORK_UNITS];
	UChar src[WORK_UNITS / 2]; /* names_readings' NFKC text (names_normalize uses the rest) */
};

static int in_list(const char *w, size_t n, const char *const *list, size_t count)
{
	/* no list holds the empty word; the first letter is compared before
	 * the length is measured */
	if (!n)
		return 0;
	for (size_t i = 0; i < count; i++)
		if (list[i][0] == w[0] && strlen(list[i]) == n && !memcmp(list[i], w, n))
			return 1;
	return 0;
}

#define IN_LIST(w, n, list) in_list(w, n, list, sizeof list / sizeof list[0])

/*
 * The Arabic rules with the other usual spelling of the letters that lists write
 * in two ways. The alternative reading: ذ z (Egyptian and French usage) for dh,
 * ظ dh for z, ض dh for d, ق g (Gulf, Libya: Gaddafi) for q, خ h (Turkish,
 * French) for kh. The Persian, Urdu and Turkish reading: ذ and ض z, as ظ (Reza
 * رضا, Zia-ul-Haq ضياء الحق, Fazlullah فضل الله, Ramazan رمضان), with q and kh as
 * in Arabic. A name in Arabic script is read each way (names_readings). Returns
 * a malloc'd copy, or NULL when out of memory.
 */
static const char *const arabic_swap_alt[][2] = {
    {"ذ > dh ;", "ذ > z ;"}, {"ظ > z ;", "ظ > dh ;"}, {"ض > d ;", "ض > dh ;"},
    {"ق > q ;", "ق > g ;"},  {"خ > kh ;", "خ > h ;"}, {NULL, NULL},
};
static const char *const arabic_swap_fa[][2] = {
    {"ذ > dh ;", "ذ > z ;"},
    {"ض > d ;", "ض > z ;"},
    {NULL, NULL},
};

static char *arabic_alt_rules(const char *const (*swap)[2])
{
	size_t n = strlen(arabic_rules), nswap = 0;
	while (swap[nswap][0])
		nswap++;
	char *r = malloc(n + 16 * nswap + 1); /* each swap adds a byte or two */
	if (!r)
		return NULL;
	memcpy(r, arabic_rules, n + 1);
	for (size_t i = 0; i < nswap; i++) {
		char *p = strstr(r, swap[i][0]);
		size_t from = strlen(swap[i][0]), to = strlen(swap[i][1]);
		if (!p)
			continue;
		memmove(p + to, p + from, strlen(p + from) + 1);
		memcpy(p, swap[i][1], to);
	}
	return r;
}

/* Open ICU's transliterator of the compound id (ASCII). */
static UTransliterator *open_id(const char *id, char *err, size_t errsz)
{
	UErrorCode e = U_ZERO_ERROR;
	UParseError pe = {0};
	UChar u[256];
	size_t n = strlen(id) + 1;
	if (n > sizeof u / sizeof u[0]) {
		snprintf(err, errsz, "ICU transliterator '%s': too long", id);
		return NULL;
	}
	u_charsToUChars(id, u, (int32_t)n);
	UTransliterator *t = utrans_openU(u, -1, UTRANS_FORWARD, NULL, 0, &pe, &e);
	if (U_FAILURE(e)) {
		snprintf(err, errsz, "ICU transliterator '%s': %s", id, u_errorName(e));
		if (t)
			utrans_close(t);
		return NULL;
	}
	return t;
}

/* Compile the transliteration rules text (UTF-8) as transliterator id. */
static UTransliterator *open_rules(const UChar *id, const char *text, const char *what, char *err,
				   size_t errsz)
{
	UErrorCode e = U_ZERO_ERROR;
	UParseError pe = {0};
	int32_t rn = 0;

	u_strFromUTF8(NULL, 0, &rn, text, (int32_t)strlen(text), &e);
	e = U_ZERO_ERROR;
	UChar *rules = malloc(((size_t)rn + 1) * sizeof *rules);
	if (!rules) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	u_strFromUTF8(rules, rn + 1, NULL, text, (int32_t)strlen(text), &e);
	UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, rules, rn, &pe, &e);
	free(rules);
	if (U_FAILURE(e)) {
		snprintf(err, errsz, "ICU %s rules, line %d offset %d: %s", what, (int)pe.line,
			 (int)pe.offset, u_errorName(e));
		if (t)
			utrans_close(t);
		return NULL;
	}
	return t;
}

struct name_normalizer *names_open(char *err, size_t errsz)
{
	struct name_normalizer *nn = calloc(1, sizeof *nn);
	UErrorCode e = U_ZERO_ERROR;

	if (!nn) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	nn->nfkc = unorm2_getNFKCInstance(&e);
	if (U_FAILURE(e)) {
		snprintf(err, errsz, "ICU NFKC: %s", u_errorName(e));
		goto fail;
	}
	nn->arabic = open_rules(u"ccc-Arabic-Latin", arabic_rules, "Arabic", err, errsz);
	if (!nn->arabic)
		goto fail;
	char *alt = arabic_alt_rules(arabic_swap_alt), *fa = arabic_alt_rules(arabic_swap_fa);
	if (!alt || !fa) {
		free(alt);
		free(fa);
		snprintf(err, errsz, "out of memory");
		goto fail;
	}
	nn->arabic_alt = open_rules(u"ccc-Arabic-Latin-alt", alt, "Arabic", err, errsz);
	nn->arabic_fa =
	    nn->arabic_alt ? open_rules(u"ccc-Arabic-Latin-fa", fa, "Arabic", err, errsz) : NULL;
	free(alt);
	free(fa);
	if (!nn->arabic_fa)
		goto fail;
	nn->hebrew = open_rules(u"ccc-Hebrew-Latin", hebrew_rules, "Hebrew", err, errsz);
	if (!nn->hebrew)
		goto fail;
	/* the chain with Han-Latin is opened on the first name that needs it:
	 * compiling Han-Latin takes about 0.17 s, five times the rest */
	if (!(nn->plain_latin = open_id(plain_latin_id, err, errsz)))
		goto fail;
	return nn;
fail:
	names_close(nn);
	return NULL;
}

void names_close(struct name_normalizer *nn)
{
	if (!nn)
		return;
	if (nn->arabic)
		utrans_close(nn->arabic);
	if (nn->arabic_alt)
		utrans_close(nn->arabic_alt);
	if (nn->arabic_fa)
		utrans_close(nn->arabic_fa);
	if (nn->hebrew)
		utrans_close(nn->hebrew);
	if (nn->latin)
		utrans_close(nn->latin);
	if (nn->plain_latin)
		utrans_close(nn->plain_latin);
	if (nn->mecab)
		mecab_destroy(nn->mecab);
	free(nn->hanja);
	free(nn);
}

int names_han_latin_always;

/* Whether s has a Chinese character, kana or bopomofo (for Han-Latin). */
static int han_or_kana(const UChar *s, int32_t n)
{
	if (names_han_latin_always)
		return 1;
	for (int32_t i = 0; i < n;) {
		UChar32 c;
		UErrorCode e = U_ZERO_ERROR;
		U16_NEXT(s, i, n, c);
		if (c < 0x2E80)
			continue;
		switch (uscript_getScript(c, &e)) {
		case USCRIPT_HAN:
		case USCRIPT_HIRAGANA:
		case USCRIPT_KATAKANA:
		case USCRIPT_KATAKANA_OR_HIRAGANA:
		case USCRIPT_BOPOMOFO: return 1;
		default: break;
		}
	}
	return 0;
}

/* The script flags of a UTF-16 string: the scripts of its letters. */
static unsigned script_flags(const UChar *s, int32_t n)
{
	unsigned f = 0;
	for (int32_t i = 0; i < n;) {
		UChar32 c;
		UErrorCode e = U_ZERO_ERROR;
		U16_NEXT(s, i, n, c);
		if (!u_isalpha(c))
			continue;
		switch (uscript_getScript(c, &e)) {
		case USCRIPT_LATIN:
		case USCRIPT_COMMON:
		case USCRIPT_INHERITED: break;
		case USCRIPT_ARABIC:
		case USCRIPT_HEBREW:
		case USCRIPT_SYRIAC:
		case USCRIPT_THAANA: f |= NAME_ABJAD; break;
		case USCRIPT_HAN: f |= NAME_HAN; break;
		case USCRIPT_HANGUL: f |= NAME_HANGUL; break;
		case USCRIPT_CYRILLIC: f |= NAME_CYRILLIC; break;
		default: f |= NAME_OTHER_SCRIPT; break;
		}
	}
	return f;
}

/*
 * The Latin letters with a caron or cedilla that other scripts and the English
 * spellings write as two letters: Czech, Slovak, Serbo-Croatian, Slovene, Polish
 * and Turkish č ć ş š ž as ch, sh and zh (Šehović, شهوفيتش, Shehovich), where
 * Latin-ASCII would keep only the base letter. The ç stays c: an s in French
 * (François, Франсуа), a ch only in Turkish (Elçi, إلشي). With alt, the other
 * reading (names_readings): the letters with a caron their base letter, as
 * other scripts write them too (Škoch, سكوش), and ç as ch. The text
 * s[0..n), at most WORK_UNITS / 2 units, is rewritten in place through tmp.
 */
static int32_t latin_digraphs(UChar *s, int32_t n, UChar *tmp, int alt)
{
	int32_t o = 0, found = 0;
	for (int32_t i = 0; i < n; i++) {
		UChar c = s[i];
		if (alt) {
			if (c != 0x00C7 && c != 0x00E7) {
				tmp[o++] = c;
				continue;
			}
			found = 1;
			tmp[o++] = 'c';
			tmp[o++] = 'h';
			continue;
		}
		const char *d = c == 0x010C || c == 0x010D || c == 0x0106 || c == 0x0107   ? "ch"
				: c == 0x0160 || c == 0x0161 || c == 0x015E || c == 0x015F ? "sh"
				: c == 0x017D || c == 0x017E                               ? "zh"
											   : NULL;
		if (!d) {
			tmp[o++] = c;
			continue;
		}
		found = 1;
		tmp[o++] = (UChar)d[0]; /* lower case: Any-Lower comes later anyway */
		tmp[o++] = (UChar)d[1];
	}
	if (found)
		memcpy(s, tmp, (size_t)o * sizeof *s);
	return found ? o : n;
}

static int has_hebrew(const UChar *s, int32_t n)
{
	for (int32_t i = 0; i < n; i++)
		if (s[i] >= 0x0590 && s[i] <= 0x05FF)
			return 1;
	return 0;
}

/* Copy src[0..n) to dst with a space after every Hangul syllable, the first
 * syllable of a word replaced by its conventional surname spelling when it has one. */
static int32_t split_hangul(const UChar *src, int32_t n, UChar *dst, int32_t cap)
{
	int32_t o = 0;
	int word_start = 1;

	for (int32_t i = 0; i < n && o < cap - 8; i++) {
		UChar c = src[i];
		if (c >= 0xAC00 && c <= 0xD7A3) {
			int done = 0;
			if (word_start) {
				for (size_t k = 0;
				     k < sizeof korean_surnames / sizeof korean_surnames[0]; k++) {
					UChar h[4];
					int32_t hn;
					UErrorCode e = U_ZERO_ERROR;
					u_strFromUTF8(h, 4, &hn, korean_surnames[k].hangul, -1, &e);
					if (hn == 1 && h[0] == c) {
						const char *l = korean_surnames[k].latin;
						while (*l)
							dst[o++] = (UChar)*l++;
						done = 1;
						break;
					}
				}
			}
			if (!done)
				dst[o++] = c;
			dst[o++] = ' ';
			word_start = 0;
		} else {
			dst[o++] = c;
			word_start = !u_isalpha(c);
		}
	}
	return o;
}

static size_t copy_key(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

/* The skeleton; styles: with the spellings of other transliteration styles folded
 * (name_phonetic). */
static size_t skeleton(const char *t, char *out, size_t outsz, int styles)
{
	size_t n = strlen(t), o = 0;
	char prev = 0;

	if (!outsz)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = t[i], nx = i + 1 < n ? t[i + 1] : 0, nx2 = i + 2 < n ? t[i + 2] : 0;
		char k[3] = {0, 0, 0};
		int vowel = 0;
		switch (c) {
		case 'o':
			if (styles && i == 0 && nx == 'u' && nx2 && strchr("aei", nx2)) {
				k[0] = 'f'; /* French ou for w: Ouali, Wali, Валид */
				i++;
			} else {
				vowel = 1;
			}
			break;
		case 'a':
		case 'e':
		case 'i':
		case 'u': vowel = 1; break;
		case 'w':
			if (styles && i == 0 && nx != 'h') {
				/* German and Polish w for v (Wladimir, Wassily); and the
				 * v that Russian writes for an Arabic w (Walid, Валид) */
				k[0] = 'f';
			} else if (styles && i > 0 && (t[i - 1] == 'o' || t[i - 1] == 'e') &&
				   (!nx || (nx == 'a' && !nx2) || (nx == 's' && nx2 == 'k'))) {
				k[0] = 'f'; /* German -ow, -ew, -owa, -owski: Andropow */
			} else if (styles && i > 0 && strchr("aei", t[i - 1]) && nx &&
				   strchr("aeiou", nx)) {
				k[0] = 'f'; /* between vowels: Iwanow, Pawel; Marwan, Марван */
			} else {
				vowel = i > 0;
				if (!vowel)
					k[0] = c;
			}
			break;
		case 'y':
			vowel = styles || i > 0;
			if (!vowel)
				k[0] = c;
			break;
		case 's':
			if (styles && nx == 'z' && nx2 == 'c' && i + 3 < n && t[i + 3] == 'z') {
				k[0] = 'x'; /* Polish szcz: Szczepan, Щепан */
				i += 3;
			} else if (nx == 'c' && nx2 == 'h') {
				k[0] = 'x';
				i += 2;
			} else if (nx == 'h') {
				k[0] = 'x';
				i++;
			} else {
				k[0] = 's';
			}
			break;
		case 'c':
			if (styles && nx == 'c' && nx2 == 'h') {
				k[0] = 'k'; /* Italian cch: Bocchi, Бокки */
				i += 2;
			} else if (nx == 'h' || (styles && nx == 'z')) {
				/* cz: Polish ch (Czibor) */
				k[0] = 'x';
				i++;
			} else if (nx == 'k') {
				k[0] = 'k';
				i++;
			} else if (nx == 'e' || nx == 'i' || nx == 'y') {
				k[0] = 's';
			} else {
				k[0] = 'k';
			}
			break;
		case 't':
			if (styles && nx == 's' && nx2 == 'c' && i + 3 < n && t[i + 3] == 'h') {
				k[0] = 'x'; /* German tsch: Tschaikowski */
				i += 3;
			} else if ((nx == 'c' || nx == 's') && nx2 == 'h') {
				k[0] = 'x';
				i += 2;
			} else if (nx == 's' && nx2 == 'z') {
				k[0] = 'j'; /* tsz: how Russian writes the j of pinyin (Цзян) */
				i += 2;
			} else {
				if (nx == 'h')
					i++;
				k[0] = 't';
			}
			break;
		case 'k':
		case 'g':
		case 'd':
		case 'z':
			if (c == 'g') {
				/* Arabic writes a foreign g with ج (j) or غ (gh) */
				if (nx == 'h')
					i++;
				k[0] = 'j';
			} else if (c == 'd' && nx == 'j') {
				k[0] = 'j';
				i++;
			} else if (c == 'd' && nx == 'z') {
				/* dzh, and dz: how Russian writes j (Джон, Дзюнъитиро) */
				k[0] = 'j';
				i += nx2 == 'h' ? 2 : 1;
			} else if (c == 'z' && nx == 'h') {
				k[0] = 'j';
				i++;
			} else if (c == 'z') {
				k[0] = 's'; /* Aziz, Asis; Rozi, Rosy */
			} else if (styles && c == 'k' && nx == 'h') {
				/* kh, as German and Spanish-less styles write ch: Khrushchev,
				 * Chruschtschow; Khalid, Chalid */
				k[0] = 'x';
				i++;
			} else {
				if (nx == 'h')
					i++; /* gh, dh */
				k[0] = c;
			}
			break;
		case 'p':
			if (nx == 'h') {
				k[0] = 'f';
				i++;
			} else {
				k[0] = 'b';
			}
			break;
		case 'q': k[0] = 'k'; break;
		case 'j':
			/* Spanish j for kh before r, l, where no other style writes j:
			 * Jruschov */
			k[0] = styles && (nx == 'r' || nx == 'l') ? 'x' : 'j';
			break;
		case 'v': k[0] = 'f'; break;
		case 'x':
			k[0] = 'k';
			k[1] = 's';
			break;
		case 'h':
			/* a final h after a vowel is silent: fatimah, abdullah */
			if (i + 1 == n && i > 0 && strchr("aeiou", t[i - 1]))
				vowel = 1;
			else
				k[0] = 'h';
			break;
		default: k[0] = c; break;
		}
		if (vowel) {
			/* with styles, a consonant written twice around a vowel is one:
			 * the ع that other scripts write as a vowel (معمر mmr, Muammar) */
			if (!styles)
				prev = 0;
			continue;
		}
		for (int j = 0; k[j]; j++) {
			if (k[j] == prev && o)
				continue; /* doubled */
			if (o + 1 < outsz)
				out[o++] = k[j];
			prev = k[j];
		}
	}
	out[o] = '\0';
	return o;
}

size_t name_skeleton(const char *t, char *out, size_t outsz)
{
	return skeleton(t, out, outsz, 0);
}

size_t name_phonetic(const char *t, char *out, size_t outsz)
{
	return skeleton(t, out, outsz, 1);
}

/* Add token w[0..n) with flags to out, unless full. */
static void add_token(struct name_tokens *out, const char *w, size_t n, unsigned flags)
{
	if (out->n >= NAME_TOKENS_MAX || !n)
		return;
	struct name_token *t = &out->tok[out->n++];
	if (n >= sizeof t->text)
		n = sizeof t->text - 1;
	memcpy(t->text, w, n);
	t->text[n] = '\0';
	t->len = (unsigned)n;
	t->flags = flags;
}

/* Split ASCII text into words: letters and digits, apostrophes dropped, anything
 * else a separator; a word followed by '-' is marked in *hyphen. Returns the count. */
static size_t split_words(char *s, size_t n, char **w, size_t *wl, int *hyphen, size_t max)
{
	size_t count = 0, i = 0;

	while (i < n && count < max) {
		while (i < n && !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			i++;
		if (i >= n)
			break;
		char *start = s + i, *o = s + i;
		while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
				 s[i] == '\'' || s[i] == '`')) {
			if (s[i] != '\'' && s[i] != '`')
				*o++ = s[i];
			i++;
		}
		w[count] = start;
		wl[count] = (size_t)(o - start);
		hyphen[count] = i < n && s[i] == '-';
		if (wl[count])
			count++;
	}
	return count;
}

static int tokens(char *ascii, size_t an, unsigned script, struct name_tokens *out);

static int printable_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

int names_normalize(struct name_normalizer *nn, const char *utf8, size_t len,
		    struct name_tokens *out)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = 0, limit;
	char ascii[WORK_UNITS];
	size_t an;

	out->n = 0;
	out->flags = 0;
	if (len > NAME_INPUT_MAX)
		len = NAME_INPUT_MAX;
	if (printable_ascii(utf8, len)) {
		/* What NFKC and the transliterators make of printable ASCII: itself, in
		 * lower case; so ICU is not needed (tests/unit/test-names.c compares) */
		an = 0;
		for (size_t i = 0; i < len; i++) {
			char c = utf8[i];
			if (c != '\'' && c != '`')
				ascii[an++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		return tokens(ascii, an, 0, out);
	}
	if (!nn)
		return -1; /* not ASCII: ICU is needed */
	/* padded with spaces so that word rules see a boundary at both ends */
	nn->tmp[0] = ' ';
	u_strFromUTF8WithSub(nn->tmp + 1, WORK_UNITS / 4, &n, utf8, (int32_t)len, 0xFFFD, NULL, &e);
	if (U_FAILURE(e))
		return -1;
	n++;
	nn->tmp[n++] = ' ';
	n = unorm2_normalize(nn->nfkc, nn->tmp, n, nn->work, WORK_UNITS / 2, &e);
	if (U_FAILURE(e))
		return -1;
	/* apostrophes join: O'Brien, Sa'b (ICU would later split them off) */
	int32_t kept = 0;
	for (int32_t i = 0; i < n; i++) {
		UChar c = nn->work[i];
		UChar x = c >= 0x0490 && c <= 0x04FF ? cyrillic_extended(c) : 0;
		/* a hard sign before a consonant is Bulgarian's vowel ъ (Гълъбов,
		 * Galabov); Russian writes it only before a vowel */
		if ((c == 0x044A || c == 0x042A) && i + 1 < n &&
		    cyrillic_consonant(nn->work[i + 1]))
			x = c == 0x044A ? 0x0430 : 0x0410;
		/* х and г as h, but at a word's end: Хасан Hasan, Ибрагим Ibrahim,
		 * Ольга Olha */
		if (nn->cyrillic_h && (c == 0x0445 || c == 0x0433 || c == 0x0425 || c == 0x0413) &&
		    i + 1 < n && u_isalpha(nn->work[i + 1]))
			x = c == 0x0445 || c == 0x0433 ? 'h' : 'H';
		if (x == '-')
			continue;
		if (x)
			c = x;
		if (c != '\'' && c != 0x2019 && c != 0x2018 && c != 0x02BC && c != '`' && c != 0xB4)
			nn->work[kept++] = c;
	}
	n = kept;
	n = latin_digraphs(nn->work, n, nn->tmp, nn->latin_alt);
	out->flags = script_flags(nn->work, n);
	if (out->flags & NAME_HANGUL) {
		n = split_hangul(nn->work, n, nn->tmp, WORK_UNITS / 2);
		memcpy(nn->work, nn->tmp, (size_t)n * sizeof *nn->work);
	}
	if (out->flags & NAME_ABJAD) {
		limit = n;
		utrans_transUChars(nn->arabic, nn->work, &n, WORK_UNITS, 0, &limit, &e);
		if (U_FAILURE(e))
			return -1;
		if (has_hebrew(nn->work, n)) {
			limit = n;
			utrans_transUChars(nn->hebrew, nn->work, &n, WORK_UNITS, 0, &limit, &e);
			if (U_FAILURE(e))
				return -1;
		}
	}
	UTransliterator *latin = nn->plain_latin;
	if (han_or_kana(nn->work, n)) {
		char err[256];
		if (!nn->latin && !(nn->latin = open_id(latin_id, err, sizeof err)))
			return -1;
		latin = nn->latin;
	}
	limit = n;
	utrans_transUChars(latin, nn->work, &n, WORK_UNITS, 0, &limit, &e);
	if (U_FAILURE(e))
		return -1;
	/* whatever is still not ASCII after Latin-ASCII separates words */
	an = 0;
	for (int32_t i = 0; i < n; i++) {
		UChar c = nn->work[i];
		if (c >= 'A' && c <= 'Z')
			c = (UChar)(c - 'A' + 'a');
		if (c == 0x02BE || c == 0x02BF || c == 0x02B9)
			c = '\''; /* ayn, hamza and soft-sign marks join too */
		ascii[an++] = c < 0x80 ? (char)c : ' ';
	}
	return tokens(ascii, an, out->flags, out);
}

/* Order of struct hanja_reading: by character, then commonest first. */
static int hanja_cmp(const void *a, const void *b)
{
	const struct hanja_reading *x = a, *y = b;
	if (x->hanja != y->hanja)
		return x->hanja < y->hanja ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (int)x->hangul - (int)y->hangul;
}

/* Load the Korean readings of Chinese characters. libhangul's table goes from a
 * Hangul word to its Chinese spellings (an input method's direction), so it is
 * turned round once, syllable by syllable, into an index of single characters
 * (some 28,000 readings), and then freed: lookups need only the index. */
static int load_hanja(struct name_normalizer *nn)
{
	if (nn->hanja_tried)
		return nn->nhanja > 0;
	nn->hanja_tried = 1;
	HanjaTable *table = hanja_table_load(NULL);
	if (!table)
		return 0;
	size_t cap = 0;
	for (UChar32 syl = 0xAC00; syl <= 0xD7A3; syl++) {
		char key[8];
		int32_t kn = 0;
		U8_APPEND_UNSAFE(key, kn, syl);
		key[kn] = '\0';
		HanjaList *list = hanja_table_match_exact(table, key);
		if (!list)
			continue;
		int count = hanja_list_get_size(list);
		for (int i = 0; i < count && i <= 0xFFFF; i++) {
			const char *v = hanja_list_get_nth_value(list, i);
			int32_t vn = (int32_t)strlen(v), j = 0;
			UChar32 c;
			U8_NEXT(v, j, vn, c);
			if (c < 0 || j != vn)
				continue; /* a word, not a character */
			/* a compatibility ideograph (a second reading's code point in
			 * KS X 1001) is, after NFKC, the unified one */
			UChar d[4];
			UErrorCode e = U_ZERO_ERROR;
			int32_t dn = unorm2_getDecomposition(nn->nfkc, c, d, 4, &e);
			if (U_SUCCESS(e) && dn > 0) {
				int32_t k = 0;
				UChar32 c2;
				U16_NEXT(d, k, dn, c2);
				if (k == dn)
					c = c2;
			}
			if (nn->nhanja == cap) {
				size_t ncap = cap ? cap * 2 : 16384;
				struct hanja_reading *g = realloc(nn->hanja, ncap * sizeof *g);
				if (!g) {
					hanja_list_delete(list);
					hanja_table_delete(table);
					free(nn->hanja);
					nn->hanja = NULL;
					nn->nhanja = 0;
					return 0;
				}
				nn->hanja = g;
				cap = ncap;
			}
			nn->hanja[nn->nhanja++] =
			    (struct hanja_reading){c, (UChar)syl, (unsigned short)i};
		}
		hanja_list_delete(list);
	}
	hanja_table_delete(table);
	if (nn->nhanja)
		qsort(nn->hanja, nn->nhanja, sizeof *nn->hanja, hanja_cmp);
	return nn->nhanja > 0;
}

static int is_korean_surname(UChar syl)
{
	for (size_t k = 0; k < sizeof korean_surnames / sizeof korean_surnames[0]; k++) {
		UChar h[4];
		int32_t hn = 0;
		UErrorCode e = U_ZERO_ERROR;
		u_strFromUTF8(h, 4, &hn, korean_surnames[k].hangul, -1, &e);
		if (U_SUCCESS(e) && hn == 1 && h[0] == syl)
			return 1;
	}
	return 0;
}

/* The Hangul reading of Chinese character c, 0 when there is none: the commonest
 * one; at the start of a word (where a Korean name has its surname) a common
 * surname's reading first, so 金 is 김 (Kim) there and 금 (geum, gold) elsewhere.
 * Between readings equally common, ㄹ is avoided at the start of a word, where
 * Korean drops or changes it, and preferred elsewhere: 郎 is 낭 there, 랑 elsewhere. */
static UChar hangul_reading(const struct name_normalizer *nn, UChar32 c, int word_start)
{
	size_t lo = 0, hi = nn->nhanja;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (nn->hanja[mid].hanja < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == nn->nhanja || nn->hanja[lo].hanja != c)
		return 0;
	const struct hanja_reading *best = &nn->hanja[lo];
	for (size_t i = lo; i < nn->nhanja && nn->hanja[i].hanja == c; i++) {
		const struct hanja_reading *r = &nn->hanja[i];
		if (word_start && is_korean_surname(r->hangul))
			return r->hangul;
		int rieul = (r->hangul - 0xAC00) / 588 == 5,
		    best_rieul = (best->hangul - 0xAC00) / 588 == 5;
		if (r->rank == best->rank && rieul != best_rieul && rieul != word_start)
			best = r;
	}
	return best->hangul;
}

static int is_han(UChar32 c)
{
	UErrorCode e = U_ZERO_ERROR;
	return uscript_getScript(c, &e) == USCRIPT_HAN;
}

static int is_kana(UChar32 c)
{
	UErrorCode e = U_ZERO_ERROR;
	UScriptCode s = uscript_getScript(c, &e);
	return s == USCRIPT_HIRAGANA || s == USCRIPT_KATAKANA || s == USCRIPT_KATAKANA_OR_HIRAGANA;
}

/* Append code point c to out[*o], keeping room for the NUL; 0 when full. */
static int put_utf8(char *out, size_t cap, size_t *o, UChar32 c)
{
	if (*o + U8_LENGTH(c) + 1 > cap)
		return 0;
	U8_APPEND_UNSAFE(out, *o, c);
	out[*o] = '\0';
	return 1;
}

/* The Korean reading of s[0..n): each Chinese character in Hangul. Returns the
 * length written into out[cap] (NUL-terminated), 0 when no character was read. */
static size_t korean_reading(const struct name_normalizer *nn, const UChar *s, int32_t n, char *out,
			     size_t cap)
{
	size_t o = 0;
	int read = 0, word_start = 1;

	out[0] = '\0';
	for (int32_t i = 0; i < n;) {
		UChar32 c;
		U16_NEXT(s, i, n, c);
		UChar h = is_han(c) ? hangul_reading(nn, c, word_start) : 0;
		if (h)
			read = 1;
		if (!put_utf8(out, cap, &o, h ? h : c))
			break;
		word_start = !u_isalpha(c);
	}
	return read ? o : 0;
}

/* Long vowels are shortened as passports write them (Hepburn without marks): ou
 * and oo are o, uu is u (タロウ taro, ユウコ yuko); ei is kept (ケイコ keiko). This
 * is the vowel a katakana ends in when it is o or u, else 0. */
static int kana_vowel(UChar32 c)
{
	static const char *const o_row = "オォコゴソゾトドノホボポモヨョロヲ";
	static const char *const u_row = "ウゥクグスズツヅヌフブプムユュルヴ";
	char k[8];
	int32_t kn = 0;
	if (c < 0x30A1 || c > 0x30FA)
		return 0;
	U8_APPEND_UNSAFE(k, kn, c);
	k[kn] = '\0';
	if (strstr(o_row, k))
		return 'o';
	if (strstr(u_row, k))
		return 'u';
	return 0;
}

/* Append the katakana reading r[0..n) to out, long vowels shortened; *prev is the
 * vowel of the kana before (0 at the start of a word). */
static void put_kana(char *out, size_t cap, size_t *o, const char *r, int32_t n, int *prev)
{
	for (int32_t i = 0; i < n;) {
		UChar32 c;
		U8_NEXT(r, i, n, c);
		if (c < 0)
			continue;
		if ((c == 0x30A6 && (*prev == 'o' || *prev == 'u')) ||
		    (c == 0x30AA && *prev == 'o'))
			continue; /* ウ after o or u, オ after o */
		if (!put_utf8(out, cap, o, c))
			return;
		*prev = kana_vowel(c);
	}
}

/* The Japanese reading of text[0..len) (UTF-8, NUL-terminated): MeCab's reading
 * (katakana) of each morpheme, or its surface when it has none (an unknown word),
 * separated by spaces so that a surname and a given name are separate words. A
 * morpheme that is not a noun (ipadic's first feature field) after another one
 * continues its word: MeCab reads a name in hiragana partly as verb endings
 * (たろう: た ろ う). Returns the length written into out[cap], 0 when MeCab is
 * not there or read nothing. */
static size_t japanese_reading(struct name_normalizer *nn, const char *text, size_t len, char *out,
			       size_t cap)
{
	size_t o = 0;
	int prev_noun = 0, vowel = 0;

	out[0] = '\0';
	if (!nn->mecab_tried) {
		nn->mecab_tried = 1;
		nn->mecab = mecab_new2("");
	}
	if (!nn->mecab)
		return 0;
	const mecab_node_t *node = mecab_sparse_tonode2(nn->mecab, text, len);
	for (; node; node = node->next) {
		if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE)
			continue;
		/* features: part of speech, 3 subclasses, conjugation type and form, base
		 * form, reading, pronunciation (the reading keeps ei: ケイコ, not ケーコ) */
		const char *f = node->feature, *field = f;
		for (int k = 0; k < 7 && field; k++) {
			field = strchr(field, ',');
			if (field)
				field++;
		}
		const char *r = node->surface;
		int32_t rn = node->length;
		if (field && *field && *field != '*' && *field != ',') {
			r = field;
			rn = (int32_t)strcspn(field, ",");
		}
		int noun = !strncmp(f, "名詞", strlen("名詞"));
		if (o && (noun || prev_noun || node->rlength != node->length)) {
			if (!put_utf8(out, cap, &o, ' '))
				break;
			vowel = 0;
		}
		put_kana(out, cap, &o, r, rn, &vowel);
		prev_noun = noun;
	}
	return o;
}

static int same_tokens(const struct name_tokens *a, const struct name_tokens *b)
{
	if (a->n != b->n)
		return 0;
	for (unsigned i = 0; i < a->n; i++)
		if (strcmp(a->tok[i].text, b->tok[i].text))
			return 0;
	return 1;
}

/* Normalise reading[0..rn) into out[*count] unless it has no tokens or repeats an
 * earlier reading. Returns -1 when ICU fails. */
static int add_reading(struct name_normalizer *nn, const char *reading, size_t rn,
		       struct name_tokens *out, int *count)
{
	struct name_tokens *t = &out[*count];
	if (names_normalize(nn, reading, rn, t) < 0)
		return -1;
	if (!t->n)
		return 0;
	for (int i = 0; i < *count; i++)
		if (same_tokens(&out[i], t))
			return 0;
	(*count)++;
	return 0;
}

/* 1 when the UTF-16 text has a letter latin_digraphs reads in two ways */
static int has_latin_marked(const UChar *s, int32_t n)
{
	for (int32_t i = 0; i < n; i++) {
		UChar c = s[i];
		if (c == 0x00C7 || c == 0x00E7 || (c >= 0x0106 && c <= 0x010D) ||
		    (c >= 0x015E && c <= 0x0161) || c == 0x017D || c == 0x017E)
			return 1;
	}
	return 0;
}

int names_readings(struct name_normalizer *nn, const char *utf8, size_t len,
		   struct name_tokens *out, int max)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = 0;
	int count = 1, han = 0, kana = 0;
	char reading[NAME_INPUT_MAX + 1], text[NAME_INPUT_MAX + 1];

	if (max < 1)
		return 0;
	if (names_normalize(nn, utf8, len, &out[0]) < 0)
		return -1;
	if (!nn || printable_ascii(utf8, len > NAME_INPUT_MAX ? NAME_INPUT_MAX : len))
		return 1;
	if (len > NAME_INPUT_MAX)
		len = NAME_INPUT_MAX;
	/* the readings start from the text names_normalize starts from: NFKC (so that
	 * half-width katakana are the usual ones), apostrophes are no concern here */
	u_strFromUTF8WithSub(nn->tmp, WORK_UNITS / 4, &n, utf8, (int32_t)len, 0xFFFD, NULL, &e);
	if (U_FAILURE(e))
		return -1;
	n = unorm2_normalize(nn->nfkc, nn->tmp, n, nn->src, WORK_UNITS / 2, &e);
	if (U_FAILURE(e))
		return -1;
	int arabic = 0, cyrillic_h = 0;
	for (int32_t i = 0; i < n;) {
		UChar32 c;
		U16_NEXT(nn->src, i, n, c);
		han |= is_han(c);
		kana |= is_kana(c);
		arabic |= c >= 0x0600 && c <= 0x06FF;
		cyrillic_h |= c == 0x0445 || c == 0x0433 || c == 0x0425 || c == 0x0413;
	}
	if (count < max && has_latin_marked(nn->src, n)) {
		/* č š ž as c s z, ç as ch */
		nn->latin_alt = 1;
		int rc = add_reading(nn, utf8, len, out, &count);
		nn->latin_alt = 0;
		if (rc < 0)
			return -1;
	}
	if (count < max && cyrillic_h) {
		/* х and г as h, as Arabic, Ukrainian and English names write them */
		nn->cyrillic_h = 1;
		int rc = add_reading(nn, utf8, len, out, &count);
		nn->cyrillic_h = 0;
		if (rc < 0)
			return -1;
	}
	/* the other usual spellings of ذ ظ ض ق خ, then the Persian ones */
	UTransliterator *const other[] = {nn->arabic_alt, nn->arabic_fa};
	for (size_t k = 0; arabic && k < sizeof other / sizeof *other && count < max; k++) {
		UTransliterator *std = nn->arabic;
		nn->arabic = other[k];
		int rc = add_reading(nn, utf8, len, out, &count);
		nn->arabic = std;
		if (rc < 0)
			return -1;
	}
	if (han && count < max && load_hanja(nn)) {
		size_t rn = korean_reading(nn, nn->src, n, reading, sizeof reading);
		if (rn && add_reading(nn, reading, rn, out, &count) < 0)
			return -1;
	}
	if ((han || kana) && count < max) {
		size_t tn = 0;
		for (int32_t i = 0; i < n;) {
			UChar32 c;
			U16_NEXT(nn->src, i, n, c);
			if (!put_utf8(text, sizeof text, &tn, c))
				break;
		}
		size_t rn = japanese_reading(nn, text, tn, reading, sizeof reading);
		if (rn && add_reading(nn, reading, rn, out, &count) < 0)
			return -1;
	}
	return count;
}

/* The tokens of the lower-case ASCII text ascii[0..an), of script flags script. */
static int tokens(char *ascii, size_t an, unsigned script, struct name_tokens *out)
{
	char *w[NAME_TOKENS_MAX * 4];
	size_t wl[NAME_TOKENS_MAX * 4], nw;
	int hy[NAME_TOKENS_MAX * 4];

	out->n = 0;
	out->flags = script;
	nw = split_words(ascii, an, w, wl, hy, sizeof wl / sizeof wl[0]);

	int all_dropped = 1;
	for (size_t i = 0; i < nw; i++)
		if (!IN_LIST(w[i], wl[i], dropped_words) &&
		    !(hy[i] && IN_LIST(w[i], wl[i], article_prefixes)))
			all_dropped = 0;
	for (size_t i = 0; i < nw; i++) {
		char joined[128];
		const char *t = w[i];
		size_t tn = wl[i];
		unsigned f = script;

		/* a word hyphenated onto the one before is part of it, never a
		 * title (Kovac-Sgt), unless it is the article (Abd-al-Rahman) */
		int onto = i > 0 && hy[i - 1] && !hy[i];
		if (!all_dropped && ((IN_LIST(t, tn, dropped_words) &&
				      !(onto && !IN_LIST(t, tn, article_prefixes))) ||
				     (hy[i] && i + 1 < nw && IN_LIST(t, tn, article_prefixes))))
			continue;
		/* "abd", "abdul" ... joins the next kept word: abd + rahman (not
		 * when hyphenated onto the word before: Aziz-Abd Vladimir) */
		if (IN_LIST(t, tn, abd_forms) && i + 1 < nw && !onto) {
			size_t j = i + 1;
			while (j + 1 < nw && (IN_LIST(w[j], wl[j], dropped_words) ||
					      (hy[j] && IN_LIST(w[j], wl[j], article_prefixes))))
				j++;
			if (wl[j] + 3 < sizeof joined) {
				memcpy(joined, "abd", 3);
				memcpy(joined + 3, w[j], wl[j]);
				t = joined;
				tn = 3 + wl[j];
				i = j;
			}
		}
		/* a glued "abdul..." is spelt "abd..." */
		if (tn > 5 && !memcmp(t, "abd", 3)) {
			for (size_t k = 0; k < sizeof abd_forms / sizeof abd_forms[0]; k++) {
				size_t fl = strlen(abd_forms[k]);
				if (tn > fl + 2 && !memcmp(t, abd_forms[k], fl)) {
					char tmp[128];
					size_t rest = tn - fl;
					if (rest + 3 < sizeof tmp) {
						memcpy(tmp, "abd", 3);
						memcpy(tmp + 3, t + fl, rest);
						memcpy(joined, tmp, rest + 3);
						t = joined;
						tn = rest + 3;
					}
					break;
				}
			}
		}
		if (!(script & (NAME_HAN | NAME_HANGUL)) && IN_LIST(t, tn, particles))
			f |= NAME_PARTICLE;
		if (tn == 1 && t[0] >= 'a' && t[0] <= 'z')
			f |= NAME_INITIAL;
		add_token(out, t, tn, f);
	}
	for (unsigned i = 0; i < out->n; i++) {
		struct name_token *t = &out->tok[i];
		name_skeleton(t->text, t->skel, sizeof t->skel);
		name_phonetic(t->text, t->phon, sizeof t->phon);
		char m[64];
		size_t ml = metaphone(t->text, m, sizeof m);
		copy_key(t->meta, sizeof t->meta, m, ml < sizeof m ? ml : sizeof m - 1);
	}
	return (int)out->n;
}

/* Token flags as written by names_serialize: one letter per flag. */
static int restore(const char *s, size_t len, struct name_tokens *out, int with_meta)
{
	const char *p = s, *end = s + len;
	out->n = 0;
	out->flags = 0;
	/* "SCRIPT:tok/F tok/F ..." with SCRIPT in hex */
	char *colon = memchr(s, ':', len);
	if (!colon)
		return -1;
	out->flags = (unsigned)strtoul(s, NULL, 16);
	p = colon + 1;
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *e = sp ? sp : end;
		const char *slash = memchr(p, '/', (size_t)(e - p));
		const char *te = slash ? slash : e;
		unsigned f = out->flags;
		if (slash)
			f = (unsigned)strtoul(slash + 1, NULL, 16);
		add_token(out, p, (size_t)(te - p), f);
		p = e + 1;
	}
	for (unsigned i = 0; i < out->n; i++) {
		struct name_token *t = &out->tok[i];
		name_skeleton(t->text, t->skel, sizeof t->skel);
		name_phonetic(t->text, t->phon, sizeof t->phon);
		t->meta[0] = '\0';
		if (with_meta) {
			char m[64];
			size_t ml = metaphone(t->text, m, sizeof m);
			copy_key(t->meta, sizeof t->meta, m, ml < sizeof m ? ml : sizeof m - 1);
		}
	}
	return (int)out->n;
}

int names_restore(const char *s, size_t len, struct name_tokens *out)
{
	return restore(s, len, out, 1);
}

int names_restore_tokens(const char *s, size_t len, struct name_tokens *out)
{
	return restore(s, len, out, 0);
}

size_t names_serialize(const struct name_tokens *t, char *out, size_t outsz)
{
	size_t o = 0;
	int w = snprintf(out, outsz, "%x:", t->flags);
	if (w < 0 || (size_t)w >= outsz)
		return 0;
	o = (size_t)w;
	for (unsigned i = 0; i < t->n; i++) {
		w = snprintf(out + o, outsz - o, "%s%s/%x", i ? " " : "", t->tok[i].text,
			     t->tok[i].flags);
		if (w < 0 || (size_t)w >= outsz - o)
			break;
		o += (size_t)w;
	}
	return o;
}

size_t name_tokens_join(const struct name_tokens *t, char *out, size_t outsz)
{
	size_t o = 0;

	if (!outsz)
		return 0;
	for (unsigned i = 0; i < t->n; i++) {
		size_t k = t->tok[i].len;
		if (o + k + 2 > outsz)
			break;
		if (i)
			out[o++] = ' ';
		memcpy(out + o, t->tok[i].text, k);
		o += k;
	}
	out[o] = '\0';
	return o;
}
