/*
 * entities.c: find machine readable zones, VINs and labelled document numbers
 * in free text, in one pass (see entities.h for what is reported and why).
 *
 * The pass keeps three small states as it walks the bytes: the current line
 * (could it be an MRZ line?), the current run of ASCII letters and digits (a
 * VIN is such a run of 17), and the last VIN label seen. Labels are tried
 * only at the start of a word whose first byte can start one; what follows a
 * document label is read over a few dozen bytes at most.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "ccc/hash.h"
#include "ccc/entities.h"
#include "ccc/mrz.h"
#include "ccc/vin.h"

enum label_kind { LABEL_PASSPORT, LABEL_ID_CARD, LABEL_VIN };

/*
 * Labels, lowercase, grouped by first byte: a space matches any run of white
 * space, an accented Latin letter also matches its unaccented letter
 * (identite, numero).
 */
#define LABEL(w, k)                                                                                \
	{                                                                                          \
		w, sizeof(w) - 1, k                                                                \
	}
static const struct label {
	const char *word;
	size_t len;
	enum label_kind kind;
} labels[] = {
    LABEL("bastidor", LABEL_VIN),
    LABEL("carte nationale d'identité", LABEL_ID_CARD),
    LABEL("carte nationale d\u2019identité", LABEL_ID_CARD),
    LABEL("carte d'identité", LABEL_ID_CARD),
    LABEL("carte d\u2019identité", LABEL_ID_CARD),
    LABEL("cédula de identidad", LABEL_ID_CARD),
    LABEL("châssis", LABEL_VIN),
    LABEL("documento nacional de identidad", LABEL_ID_CARD),
    LABEL("dni", LABEL_ID_CARD),
    LABEL("identity card", LABEL_ID_CARD),
    LABEL("id card", LABEL_ID_CARD),
    LABEL("passport", LABEL_PASSPORT),
    LABEL("passeport", LABEL_PASSPORT),
    LABEL("pasaporte", LABEL_PASSPORT),
    LABEL("vin", LABEL_VIN),
    LABEL("جواز سفر", LABEL_PASSPORT),
    LABEL("جواز السفر", LABEL_PASSPORT),
    LABEL("بطاقة هوية", LABEL_ID_CARD),
    LABEL("بطاقة الهوية", LABEL_ID_CARD),
    LABEL("بطاقة التعريف", LABEL_ID_CARD),
    LABEL("رقم الشاصي", LABEL_VIN),
    LABEL("رقم الهيكل", LABEL_VIN),
    LABEL("الشاصي", LABEL_VIN),
};

/* Words that may stand between a document label and its number. */
static const char *const number_markers[] = {
    "number", "numéro", "número", "numero", "num", "núm", "nro",
    "nr",     "no",     "n",      "رقم",    "is",  "est", "es",
};
static const char *const connectors[] = {"of", "from", "de", "du", "del", "la"};

/*
 * Nationality adjectives and country names in the four languages, lowercase,
 * for the countries the operations room deals with most; an upper-case ISO
 * alpha-3 code (FRA) is understood for every country.
 */
static const struct country_words {
	char cc[3];
	const char *words;
} country_words[] = {
    {"FR", "french|france|français|française|francés|francesa|francia|فرنسي|فرنسية|فرنسا"},
    {"ES", "spanish|spain|espagnol|espagnole|espagne|español|española|españa|إسباني|إسبانية|"
	   "اسباني|اسبانية|إسبانيا|اسبانيا"},
    {"GB", "british|britain|uk|britannique|británico|británica|بريطاني|بريطانية|بريطانيا"},
    {"US", "american|usa|américain|américaine|estadounidense|أمريكي|أمريكية|امريكي|امريكية"},
    {"DE", "german|germany|allemand|allemande|allemagne|alemán|alemana|alemania|ألماني|ألمانية|"
	   "الماني|المانية|ألمانيا|المانيا"},
    {"IT", "italian|italy|italien|italienne|italie|italiano|italiana|italia|إيطالي|إيطالية|"
	   "ايطالي|ايطالية|إيطاليا|ايطاليا"},
    {"PT", "portuguese|portugal|portugais|portugaise|portugués|portuguesa|برتغالي|برتغالية|"
	   "البرتغال"},
    {"BE", "belgian|belgium|belge|belgique|belga|bélgica|بلجيكي|بلجيكية|بلجيكا"},
    {"CH", "swiss|switzerland|suisse|suizo|suiza|سويسري|سويسرية|سويسرا"},
    {"NL", "dutch|netherlands|néerlandais|néerlandaise|neerlandés|holandés|holandesa|هولندي|"
	   "هولندية|هولندا"},
    {"MA", "moroccan|morocco|marocain|marocaine|maroc|marroquí|marruecos|مغربي|مغربية|المغرب"},
    {"DZ", "algerian|algeria|algérien|algérienne|algérie|argelino|argelina|argelia|جزائري|"
	   "جزائرية|الجزائر"},
    {"TN", "tunisian|tunisia|tunisien|tunisienne|tunisie|tunecino|tunecina|túnez|تونسي|تونسية|"
	   "تونس"},
    {"EG", "egyptian|egypt|égyptien|égyptienne|égypte|egipcio|egipcia|egipto|مصري|مصرية|مصر"},
    {"SY", "syrian|syria|syrien|syrienne|syrie|sirio|siria|سوري|سورية|سوريا"},
    {"IQ", "iraqi|iraq|irakien|irakienne|irak|iraquí|عراقي|عراقية|العراق"},
    {"LB", "lebanese|lebanon|libanais|libanaise|liban|libanés|libanesa|líbano|لبناني|لبنانية|"
	   "لبنان"},
    {"JO", "jordanian|jordan|jordanien|jordanienne|jordanie|jordano|jordana|jordania|أردني|"
	   "أردنية|اردني|اردنية|الأردن|الاردن"},
    {"SA", "saudi|saoudien|saoudienne|saudí|saudita|سعودي|سعودية|السعودية"},
    {"LY", "libyan|libya|libyen|libyenne|libye|libio|libia|ليبي|ليبية|ليبيا"},
    {"AR", "argentine|argentinian|argentina|argentin|argentino|أرجنتيني|أرجنتينية|الأرجنتين"},
    {"MX", "mexican|mexico|mexicain|mexicaine|mexique|mexicano|mexicana|méxico|مكسيكي|مكسيكية|"
	   "المكسيك"},
    {"CO", "colombian|colombia|colombien|colombienne|colombie|colombiano|colombiana|كولومبي|"
	   "كولومبية|كولومبيا"},
    {"BR", "brazilian|brazil|brésilien|brésilienne|brésil|brasileño|brasileña|brasil|برازيلي|"
	   "برازيلية|البرازيل"},
    {"CN", "chinese|china|chinois|chinoise|chine|chino|صيني|صينية|الصين"},
    {"RU", "russian|russia|russe|russie|ruso|rusa|rusia|روسي|روسية|روسيا"},
    {"TR", "turkish|turkey|türkiye|turc|turque|turquie|turco|turca|turquía|تركي|تركية|تركيا"},
    {"NG", "nigerian|nigeria|nigérian|nigériane|nigéria|nigeriano|nigeriana|نيجيري|نيجيرية|"
	   "نيجيريا"},
    {"SN", "senegalese|senegal|sénégalais|sénégalaise|sénégal|senegalés|senegalesa|سنغالي|"
	   "سنغالية|السنغال"},
    {"CA", "canadian|canada|canadien|canadienne|canadiense|canadá|كندي|كندية|كندا"},
    {"AE", "emirati|uae|émirien|émirienne|emiratí|إماراتي|إماراتية|اماراتي|اماراتية|الإمارات"},
    {"QA", "qatari|qatar|qatarie|catarí|qatarí|catar|قطري|قطرية|قطر"},
    {"IN", "indian|india|indien|indienne|inde|indio|هندي|هندية|الهند"},
    {"PK", "pakistani|pakistan|pakistanais|pakistanaise|pakistaní|pakistán|باكستاني|باكستانية|"
	   "باكستان"},
    {"AF", "afghan|afghanistan|afghane|afgano|afgana|afganistán|أفغاني|أفغانية|افغاني|أفغانستان"},
    {"IR", "iranian|iran|iranien|iranienne|iraní|irán|إيراني|إيرانية|ايراني|ايرانية|إيران|ايران"},
    {"UA", "ukrainian|ukraine|ukrainien|ukrainienne|ucraniano|ucraniana|ucrania|أوكراني|"
	   "أوكرانية|اوكراني|أوكرانيا"},
    {"PL", "polish|poland|polonais|polonaise|pologne|polaco|polaca|polonia|بولندي|بولندية|"
	   "بولندا"},
    {"RO", "romanian|romania|roumain|roumaine|roumanie|rumano|rumana|rumanía|روماني|رومانية|"
	   "رومانيا"},
};

/* The country words, folded (see fold_word), in an open-addressing hash table
 * built once. */
#define NCSLOT 1024
static struct cslot {
	const char *key;
	unsigned char len, country;
} cslots[NCSLOT];
static char cpool[8192];
/* labels[label_from[b] .. label_to[b]) start with byte b */
static unsigned char label_from[256], label_to[256];
/* bit n of label_next[b] (a set of 256 bits): a label starting with byte b
 * may match where the next byte is n (label_at's first test, made once for
 * all the labels of b: most words begin no label) */
static unsigned char label_next[256][32];
static pthread_once_t built = PTHREAD_ONCE_INIT;

/* What has been reported, to report each entity once. */
struct seen {
	char kind;
	char key[31];
};

struct scan {
	const char *text;
	size_t len;
	jv out;
	int count;
	int ref_year; /* for MRZ dates, 0 until needed */
	struct seen seen[ENTITIES_MAX];
	/* consecutive MRZ-like lines */
	const char *mrz_line[3];
	size_t mrz_len;
	int mrz_n, mrz_filler, mrz_digit;
	/* end of the last VIN label, or (size_t)-1 */
	size_t vin_label_end;
};

static int is_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static int is_digit(unsigned char c)
{
	return (unsigned char)(c - '0') < 10;
}

static int is_alnum(unsigned char c)
{
	return is_alpha(c) || is_digit(c);
}

static int is_mrz_char(unsigned char c)
{
	return (unsigned char)(c - 'A') < 26 || is_digit(c) || c == '<';
}

/* A byte inside a word: ASCII letter or digit, or any non-ASCII byte except
 * the leads of Latin-1 symbols (° º nbsp) and general punctuation (’ – “). */
static int is_word_byte(unsigned char c)
{
	return is_alnum(c) || (c >= 0x80 && c != 0xC2 && c != 0xE2);
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* White space from i on (ASCII, no-break spaces); returns the first other byte. */
static size_t skip_space(const char *p, size_t n, size_t i)
{
	while (i < n) {
		unsigned char c = (unsigned char)p[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			i++;
		else if (i + 1 < n && c == 0xC2 && (unsigned char)p[i + 1] == 0xA0)
			i += 2;
		else if (i + 2 < n && c == 0xE2 && (unsigned char)p[i + 1] == 0x80 &&
			 (unsigned char)p[i + 2] == 0xAF)
			i += 3;
		else
			break;
	}
	return i;
}

/* The ASCII letter under a lowercase Latin-1 letter (second byte after 0xC3). */
static unsigned char latin_base(unsigned char x)
{
	static const char base[32] = "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
	return x >= 0xA0 && x <= 0xBF && base[x - 0xA0] != '/' ? (unsigned char)base[x - 0xA0] : 0;
}

/*
 * Match the lowercase pattern w[0..wn) at p[i..n) as a whole word: ASCII and
 * Latin-1 letters in any case, an accented letter of w also matched by its
 * base letter, a space of w by a run of white space. Returns the end of the
 * match in p, or 0 when it does not match.
 */
static size_t match_at(const char *p, size_t n, size_t i, const char *w, size_t wn)
{
	for (size_t j = 0; j < wn;) {
		unsigned char b = (unsigned char)w[j], a;
		if (b == ' ') {
			size_t k = skip_space(p, n, i);
			if (k == i)
				return 0;
			i = k;
			j++;
			continue;
		}
		if (i >= n)
			return 0;
		a = (unsigned char)p[i];
		if (b == 0xC3 && j + 1 < wn && a != 0xC3) {
			if (lower(a) != latin_base((unsigned char)w[j + 1]) || !a)
				return 0;
			i++;
			j += 2;
			continue;
		}
		if (j > 0 && (unsigned char)w[j - 1] == 0xC3 && a >= 0x80 && a <= 0x9E && a != 0x97)
			a = (unsigned char)(a + 0x20); /* Latin-1 capital */
		if (lower(a) != b)
			return 0;
		i++;
		j++;
	}
	return i < n && is_word_byte((unsigned char)p[i]) ? 0 : i;
}

static size_t match_word(const char *p, size_t n, size_t i, const char *w)
{
	return match_at(p, n, i, w, strlen(w));
}

/*
 * The word at p[i..n) folded for lookup into out[size]: ASCII and Latin-1
 * letters lowercased, Latin-1 accents dropped, other bytes as they are.
 * Returns its length (0 when empty or too long) and its end in *end.
 */
static size_t fold_word(const char *p, size_t n, size_t i, char *out, size_t size, size_t *end)
{
	size_t k = 0;

	while (i < n && is_word_byte((unsigned char)p[i])) {
		unsigned char c = (unsigned char)p[i++];
		if (k + 2 >= size)
			return 0;
		if (c == 0xC3 && i < n) {
			unsigned char x = (unsigned char)p[i];
			if (x >= 0x80 && x <= 0x9E && x != 0x97)
				x = (unsigned char)(x + 0x20);
			if (latin_base(x)) {
				out[k++] = (char)latin_base(x);
				i++;
				continue;
			}
		}
		out[k++] = (char)lower(c);
	}
	*end = i;
	return k;
}

static struct cslot *country_slot(const char *w, size_t n)
{
	for (unsigned i = hash_fnv1a(w, n) % NCSLOT;; i = (i + 1) % NCSLOT) {
		struct cslot *sl = &cslots[i];
		if (!sl->key || (sl->len == n && memcmp(sl->key, w, n) == 0))
			return sl;
	}
}

/* A label starting with byte b may match where the text's next byte is n,
 * in either case (match_at lowers it). */
static void next_may_be(unsigned char b, unsigned char n)
{
	label_next[b][n >> 3] |= (unsigned char)(1u << (n & 7));
	if (n >= 'a' && n <= 'z')
		label_next[b][(n - 32) >> 3] |= (unsigned char)(1u << ((n - 32) & 7));
}

static void build_tables(void)
{
	size_t used = 0;

	for (size_t l = sizeof labels / sizeof labels[0]; l-- > 0;) {
		unsigned char b = (unsigned char)labels[l].word[0];
		if (!label_to[b])
			label_to[b] = (unsigned char)(l + 1);
		label_from[b] = (unsigned char)l;
		unsigned char w0 = b, w1 = (unsigned char)labels[l].word[1];
		if (labels[l].len < 2 || w0 == 0xC3 || w1 == ' ') {
			memset(label_next[b], 0xFF, sizeof label_next[b]);
			continue;
		}
		if (w1 == 0xC3 && labels[l].len > 2) {
			/* an accented letter: as written, or its letter without the
			 * accent (match_at) */
			next_may_be(b, 0xC3);
			w1 = latin_base((unsigned char)labels[l].word[2]);
		}
		next_may_be(b, w1);
	}

	for (size_t c = 0; c < sizeof country_words / sizeof country_words[0]; c++) {
		const char *w = country_words[c].words;
		while (*w) {
			size_t wn = strcspn(w, "|"), end, k;
			k = fold_word(w, wn, 0, cpool + used, sizeof cpool - used, &end);
			if (k) {
				struct cslot *sl = country_slot(cpool + used, k);
				sl->key = cpool + used;
				sl->len = (unsigned char)k;
				sl->country = (unsigned char)c;
				used += k;
			}
			w += wn + (w[wn] == '|');
		}
	}
}

/*
 * A country word, or with codes an upper-case alpha-3 code, at p[i..): its
 * alpha-2 and *end, or NULL. (Codes are not looked for before a label, where
 * a capitalised "AND PASSPORT" would read as Andorra.)
 */
static const char *match_country(const char *p, size_t n, size_t i, int codes, size_t *end)
{
	char w[48];

	if (codes && i + 3 <= n && (i + 3 == n || !is_word_byte((unsigned char)p[i + 3])) &&
	    (unsigned char)(p[i] - 'A') < 26 && (unsigned char)(p[i + 1] - 'A') < 26 &&
	    (unsigned char)(p[i + 2] - 'A') < 26) {
		const char *cc = mrz_state_country(p + i, 3);
		if (cc && cc[0]) {
			*end = i + 3;
			return cc;
		}
	}
	pthread_once(&built, build_tables);
	/* as written, then without the Arabic definite article (الفرنسي is فرنسي) */
	for (int pass = 0; pass < 2; pass++) {
		size_t k = fold_word(p, n, i, w, sizeof w, end);
		if (k) {
			struct cslot *sl = country_slot(w, k);
			if (sl->key)
				return country_words[sl->country].cc;
		}
		if (i + 4 > n || memcmp(p + i, "\xD8\xA7\xD9\x84", 4) != 0)
			break;
		i += 4;
	}
	return NULL;
}

/* The word that ends just before p[i] (white space skipped), as [*start, i'). */
static size_t word_before(const char *p, size_t i)
{
	while (i > 0 && (p[i - 1] == ' ' || p[i - 1] == '\t'))
		i--;
	while (i > 0 && is_word_byte((unsigned char)p[i - 1]))
		i--;
	return i;
}

static int arabic_digit(const char *p, size_t n, size_t i)
{
	return i + 1 < n && (unsigned char)p[i] == 0xD9 && (unsigned char)p[i + 1] >= 0xA0 &&
	       (unsigned char)p[i + 1] <= 0xA9;
}

/*
 * A document number at p[i..n) into out[size] (capitals, digits, no
 * separators). Groups of letters and digits join across '-', across '.'
 * between digits, and across a space when the next group holds a digit.
 * Returns the end of the number when it has a digit and 5 to size-1
 * characters, else 0.
 */
static size_t parse_doc_number(const char *p, size_t n, size_t i, char *out, size_t size)
{
	size_t k = 0, end = i;
	int digits = 0, groups = 0;
	char sep = 0;

	for (;;) {
		size_t j = i, k0 = k;
		int gdigit = 0;
		while (j < n) {
			unsigned char c = (unsigned char)p[j];
			if (k + 1 >= size)
				return 0;
			if (is_digit(c)) {
				out[k++] = (char)c;
				gdigit = 1;
				j++;
			} else if (is_alpha(c)) {
				out[k++] = (char)(c & ~0x20);
				j++;
			} else if (arabic_digit(p, n, j)) {
				out[k++] = (char)('0' + (unsigned char)p[j + 1] - 0xA0);
				gdigit = 1;
				j += 2;
			} else {
				break;
			}
		}
		if (j < n && is_word_byte((unsigned char)p[j]) && !arabic_digit(p, n, j)) {
			k = k0; /* runs into a non-ASCII word: not a number */
			break;
		}
		if (j == i || (groups > 0 && sep == ' ' && !gdigit) ||
		    (sep == '.' &&
		     !(is_digit((unsigned char)out[k0]) && is_digit((unsigned char)out[k0 - 1])))) {
			k = k0;
			break;
		}
		if (groups == 0 && !gdigit && k > 3)
			return 0;
		groups++;
		digits += gdigit;
		i = end = j;
		if (i + 1 < n && (p[i] == '-' || p[i] == ' ' || p[i] == '.') &&
		    (is_alnum((unsigned char)p[i + 1]) || arabic_digit(p, n, i + 1))) {
			sep = p[i];
			i++;
			continue;
		}
		break;
	}
	out[k] = '\0';
	return digits > 0 && k >= 5 ? end : 0;
}

static int already_seen(struct scan *s, char kind, const char *key)
{
	for (int i = 0; i < s->count; i++)
		if (s->seen[i].kind == kind && strcmp(s->seen[i].key, key) == 0)
			return 1;
	return 0;
}

/* Append entity e (consumed) unless one of the same kind and key was reported. */
static void report(struct scan *s, char kind, const char *key, jv e)
{
	if (s->count >= ENTITIES_MAX || already_seen(s, kind, key)) {
		jv_free(e);
		return;
	}
	s->seen[s->count].kind = kind;
	strncpy(s->seen[s->count].key, key, sizeof s->seen[0].key - 1);
	s->seen[s->count].key[sizeof s->seen[0].key - 1] = '\0';
	s->count++;
	s->out = jv_array_append(s->out, e);
}

/* After a document label ending at i (starting at start): country, marker, number. */
static void document_after_label(struct scan *s, size_t start, size_t i, enum label_kind kind)
{
	const char *p = s->text, *cc;
	size_t n = s->len, end, before = word_before(p, start);
	char number[25], key[31];
	jv e;

	cc = before < start ? match_country(p, start, before, 0, &end) : NULL;
	for (int step = 0; step < 8; step++) {
		int found = 0;
		i = skip_space(p, n, i);
		while (i < n && (p[i] == ':' || p[i] == '.' || p[i] == '#' || p[i] == '(' ||
				 p[i] == ')' || p[i] == ',')) {
			i++;
			found = 1;
		}
		if (i + 1 < n && (unsigned char)p[i] == 0xC2 &&
		    ((unsigned char)p[i + 1] == 0xBA || (unsigned char)p[i + 1] == 0xB0)) {
			i += 2; /* º ° */
			continue;
		}
		if (found)
			continue;
		if (!cc && (cc = match_country(p, n, i, 1, &end)) != NULL) {
			i = end;
			continue;
		}
		for (size_t m = 0; !found && m < sizeof number_markers / sizeof *number_markers;
		     m++)
			if ((end = match_word(p, n, i, number_markers[m])) != 0)
				i = end, found = 1;
		for (size_t m = 0; !found && m < sizeof connectors / sizeof *connectors; m++)
			if ((end = match_word(p, n, i, connectors[m])) != 0)
				i = end, found = 1;
		if (!found)
			break;
	}
	if (!(i = parse_doc_number(p, n, i, number, sizeof number)))
		return;
	/* a country in parentheses after the number: "12345678 (GBR)" */
	i = skip_space(p, n, i);
	if (!cc && i < n && p[i] == '(' && (cc = match_country(p, n, i + 1, 1, &end)) != NULL &&
	    (end >= n || p[end] != ')'))
		cc = NULL;
	e = jv_object_set(jv_object(), jv_string("kind"), jv_string("document"));
	e = jv_object_set(e, jv_string("number"), jv_string(number));
	e = jv_object_set(e, jv_string("label"),
			  jv_string(kind == LABEL_PASSPORT ? "passport" : "id_card"));
	if (cc)
		e = jv_object_set(e, jv_string("country"), jv_string(cc));
	key[0] = kind == LABEL_PASSPORT ? 'P' : 'I';
	memcpy(key + 1, number, strlen(number) + 1);
	report(s, 'd', key, e);
}

/* Some label starts with byte c (ASCII letters in either case). */
static int may_start_label(unsigned char c)
{
	return label_to[lower(c)] != 0;
}

/* Try the labels at word start i. */
static void label_at(struct scan *s, size_t i)
{
	unsigned char c = lower((unsigned char)s->text[i]);

	if (i + 1 < s->len) {
		unsigned char n = (unsigned char)s->text[i + 1];
		if (!(label_next[c][n >> 3] & (1u << (n & 7))))
			return;
	}
	for (size_t l = label_from[c]; l < label_to[c]; l++) {
		/* match_at's second step, done here first: most words fail it */
		unsigned char w0 = (unsigned char)labels[l].word[0],
			      w1 = (unsigned char)labels[l].word[1];
		if (labels[l].len >= 2 && w0 != 0xC3 && w1 != ' ' && w1 != 0xC3 &&
		    (i + 1 >= s->len || lower((unsigned char)s->text[i + 1]) != w1))
			continue;
		size_t end = match_at(s->text, s->len, i, labels[l].word, labels[l].len);
		if (!end)
			continue;
		if (labels[l].kind == LABEL_VIN)
			s->vin_label_end = end;
		else
			document_after_label(s, i, end, labels[l].kind);
		return;
	}
}

/* A run of 17 letters and digits at text[i..i+17). */
static void vin_candidate(struct scan *s, size_t i, int lowercase, int digit, int letter)
{
	const char *t = s->text + i;
	int labelled =
	    s->vin_label_end != (size_t)-1 && i >= s->vin_label_end && i - s->vin_label_end <= 40;
	struct vin v;
	enum vin_status st;
	jv e;

	if (!digit || !letter || (i > 0 && t[-1] == '<') ||
	    (i + VIN_LEN < s->len && t[VIN_LEN] == '<'))
		return;
	st = vin_validate(t, VIN_LEN, &v);
	if (!labelled && (lowercase || st < 0 || st == VIN_CHECK_BAD || !is_digit(t[13]) ||
			  !is_digit(t[14]) || !is_digit(t[15]) || !is_digit(t[16])))
		return;
	e = jv_object_set(jv_object(), jv_string("kind"), jv_string("vin"));
	e = jv_object_set(e, jv_string("vin"), jv_string(v.vin));
	e = jv_object_set(e, jv_string("valid"),
			  st == VIN_CHECK_OK   ? jv_true()
			  : st == VIN_CHECK_NA ? jv_null()
					       : jv_false());
	e = jv_object_set(e, jv_string("check_digit"),
			  jv_string(st == VIN_CHECK_OK    ? "ok"
				    : st == VIN_CHECK_BAD ? "bad"
							  : "n/a"));
	report(s, 'v', v.vin, e);
}

static void mrz_report(struct scan *s)
{
	struct mrz m;
	char key[31];
	jv e;

	/* a zone starts with a document code letter and has fillers and digits */
	if (!s->mrz_filler || !s->mrz_digit || (unsigned char)(s->mrz_line[0][0] - 'A') >= 26)
		return;
	if (!s->ref_year) {
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		s->ref_year = tm.tm_year + 1900;
	}
	if (mrz_parse_lines(s->mrz_line, s->mrz_n, s->mrz_len, s->ref_year, &m) != 0)
		return;
	e = jv_object_set(jv_object(), jv_string("kind"), jv_string("mrz"));
	e = jv_object_merge(e, mrz_to_jv(&m));
	memcpy(key, s->mrz_line[s->mrz_n - 1], 30);
	key[30] = '\0';
	report(s, 'm', key, e);
}

/*
 * A line ended: when it has content, text[b..e) is that content without the
 * blanks and quote marks around it.
 */
static void line_end(struct scan *s, int content, size_t b, size_t e, int mrz_like, int filler,
		     int digit)
{
	size_t n = e - b;
	int group;

	if (!content)
		return; /* blank lines do not break a zone */
	if (!mrz_like || (n != 30 && n != 36 && n != 44)) {
		s->mrz_n = 0;
		return;
	}
	if (s->mrz_n > 0 && n != s->mrz_len)
		s->mrz_n = 0;
	if (s->mrz_n == 0)
		s->mrz_filler = s->mrz_digit = 0;
	s->mrz_len = n;
	s->mrz_line[s->mrz_n++] = s->text + b;
	s->mrz_filler |= filler;
	s->mrz_digit |= digit;
	group = n == 30 ? 3 : 2;
	if (s->mrz_n == group) {
		mrz_report(s);
		s->mrz_n = 0;
	}
}

jv entities_extract(const char *text, size_t len)
{
	struct scan s = {.text = text, .len = len, .out = jv_array(), .vin_label_end = (size_t)-1};
	size_t tok = 0, cb = 0, ce = 0;
	int in_tok = 0, lowercase = 0, digit = 0, letter = 0;
	int content = 0, gap = 0, mrz_like = 1, filler = 0, mrz_digit = 0;

	pthread_once(&built, build_tables);

	for (size_t i = 0; i <= len; i++) {
		unsigned char c = i < len ? (unsigned char)text[i] : '\n';

		/* Most of a text is words in lower case or beyond ASCII, on
		 * lines that cannot be a machine readable zone: past a word's
		 * first byte, nothing in them but the word's flags changes, so
		 * the rest of the run is gone through at once. */
		if (!mrz_like && in_tok && (unsigned char)(c - 'a') < 26) {
			letter = lowercase = 1;
			while (i + 1 < len && (unsigned char)(text[i + 1] - 'a') < 26)
				i++;
			continue;
		}
		if (!mrz_like && c >= 0x80 && i > 0 && (unsigned char)text[i - 1] >= 0x80) {
			while (i + 1 < len && (unsigned char)text[i + 1] >= 0x80)
				i++;
			continue;
		}

		/* runs of ASCII letters and digits: VIN candidates, label starts */
		if (is_alnum(c)) {
			if (!in_tok) {
				in_tok = 1;
				tok = i;
				lowercase = digit = letter = 0;
				if (may_start_label(c) && is_alpha(c) &&
				    (i == 0 || !is_word_byte((unsigned char)text[i - 1])))
					label_at(&s, i);
			}
			if (is_digit(c))
				digit = 1;
			else
				letter = 1, lowercase |= c >= 'a';
		} else {
			if (in_tok && i - tok == VIN_LEN)
				vin_candidate(&s, tok, lowercase, digit, letter);
			in_tok = 0;
			if (may_start_label(c) && c >= 0x80 &&
			    (i == 0 || (unsigned char)text[i - 1] < 0x80) &&
			    (i == 0 || !is_alnum((unsigned char)text[i - 1])))
				label_at(&s, i);
		}

		/* lines: could this one be part of a machine readable zone? */
		if (c == '\n') {
			line_end(&s, content, cb, ce, mrz_like, filler, mrz_digit);
			content = gap = filler = mrz_digit = 0;
			mrz_like = 1;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			gap = content;
		} else if (c == '>' && !content) {
			/* quoting marks of a reply */
		} else if (mrz_like) {
			if (!content)
				cb = i, content = 1;
			if (gap || !is_mrz_char(c))
				mrz_like = 0;
			filler |= c == '<';
			mrz_digit |= is_digit(c);
			ce = i + 1;
		}
	}
	return s.out;
}
