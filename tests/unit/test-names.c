/*
 * test-names.c: normalisation of person names across scripts (lib/check/names.c).
 */
#include <stdio.h>
#include <string.h>

#include "ccc/names.h"
#include "tap.h"

static struct name_normalizer *nn;

/* The normalised tokens of s joined by spaces. */
static const char *norm(const char *s)
{
	static char out[1024];
	struct name_tokens t;
	if (names_normalize(nn, s, strlen(s), &t) < 0)
		return "(error)";
	name_tokens_join(&t, out, sizeof out);
	return out;
}

static const char *skel(const char *s)
{
	static char out[NAME_KEY_MAX];
	name_skeleton(s, out, sizeof out);
	return out;
}

/* The reading among r[0..n) whose first token is first, its tokens joined by
 * spaces; "(none)" when there is none. */
static const char *reading_of(const struct name_tokens *r, int n, const char *first)
{
	static char out[1024];
	for (int i = 0; i < n; i++)
		if (r[i].n && !strcmp(r[i].tok[0].text, first)) {
			name_tokens_join(&r[i], out, sizeof out);
			return out;
		}
	return "(none)";
}

/* names_readings of s into r[0..max), checking that r[0] is names_normalize's and
 * that no two readings are alike. Returns the count. */
static int readings(const char *s, struct name_tokens *r, int max)
{
	char a[1024], b[1024];
	int n = names_readings(nn, s, strlen(s), r, max);
	int distinct = n >= 1;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			name_tokens_join(&r[i], a, sizeof a);
			name_tokens_join(&r[j], b, sizeof b);
			distinct &= strcmp(a, b) != 0;
		}
	ok(distinct, "%s: %d readings, all different", s, n);
	if (n >= 1) {
		name_tokens_join(&r[0], a, sizeof a);
		is_str(a, norm(s), "%s: the first reading is names_normalize's", s);
	}
	return n;
}

int main(void)
{
	char err[256];
	struct name_tokens t;

	nn = names_open(err, sizeof err);
	if (!ok(nn != NULL, "names_open: %s", nn ? "ok" : err))
		return tap_done();

	/* Latin: case, accents, punctuation, order kept */
	is_str(norm("PUTIN, Vladimir"), "putin vladimir", "comma and case");
	is_str(norm("  Vladímír   Pútín "), "vladimir putin", "accents and spaces");
	is_str(norm("Władimir Müller-Lüdenscheidt"), "wladimir muller ludenscheidt",
	       "ł, ü and a hyphen");
	is_str(norm("MUZAHIM SA'B HASSAN"), "muzahim sab hassan", "apostrophe inside a word");
	is_str(norm("O’Brien"), "obrien", "typographic apostrophe");

	/* titles and the Arabic article go; particles stay */
	is_str(norm("Presidente Vladimir Putin"), "vladimir putin", "a title is dropped");
	is_str(norm("Colonel Innocent KAINA"), "innocent kaina", "a rank is dropped");
	is_str(norm("SADDAM HUSSEIN AL-TIKRITI"), "saddam hussein tikriti", "al- is dropped");
	is_str(norm("Saif ad-Din"), "saif din", "an assimilated article is dropped");
	is_str(norm("Al"), "al", "a name of dropped words keeps them");
	is_str(norm("Osama bin Laden"), "osama bin laden", "bin is kept");
	names_normalize(nn, "Osama bin Laden", 15, &t);
	ok(t.n == 3 && (t.tok[1].flags & NAME_PARTICLE) && !(t.tok[0].flags & NAME_PARTICLE),
	   "bin is flagged as a particle");
	names_normalize(nn, "Vladimir V. Putin", 17, &t);
	ok(t.n == 3 && (t.tok[1].flags & NAME_INITIAL), "V. is flagged as an initial");

	/* the abd- compounds all come out alike */
	is_str(norm("Abdul Rahman"), "abdrahman", "abdul rahman");
	is_str(norm("Abd al-Rahman"), "abdrahman", "abd al-rahman");
	is_str(norm("ABDELRAHMAN"), "abdrahman", "abdelrahman");
	is_str(norm("عبد الرحمن"), "abdrhmn", "Arabic abd al-rahman: joined, no vowels invented");
	is_str(norm("Abdullah"), "abdlah", "abdullah");
	is_str(norm("عبد الله"), "abdlah", "Arabic abd allah");

	/* Arabic script */
	is_str(norm("محمد علي"), "muhammad ali", "muhammad ali (lexicon)");
	is_str(norm("صدام حسين التكريتي"), "sdam husayn tkriti",
	       "article dropped, vowels not invented");
	is_str(norm("خالد محمود"), "khalid mahmud", "khalid mahmud");
	is_str(norm("مُحَمَّد"), "muhammad", "vowel points do not break the lexicon");
	is_str(norm("فلاديمير بوتين"), "fladimir butin", "a foreign name in Arabic script");
	names_normalize(nn, "محمد", strlen("محمد"), &t);
	ok(t.n == 1 && (t.flags & NAME_ABJAD) && (t.tok[0].flags & NAME_ABJAD),
	   "Arabic script is flagged as abjad");
	is_str(t.tok[0].skel, "mhmd", "skeleton of محمد");
	is_str(norm("ولادیمیر پوتین"), "wladimir putin", "Persian letters");

	/* Cyrillic (BGN/PCGN) and others */
	is_str(norm("Владимир Владимирович Путин"), "vladimir vladimirovich putin", "Russian");
	is_str(norm("Дмитрий Жуков Щукин"), "dmitriy zhukov shchukin", "zh, shch, final iy");
	/* BGN/PCGN's middle dot is not a word's end */
	is_str(norm("Сэм Тэтчер"), "sem tetcher", "э after a consonant (s·em) stays in its word");
	is_str(norm("Бортсов"), "bortsov", "т·с (not ц) stays one word");
	is_str(norm("Объедков"), "obyedkov", "the hard sign (obʺyedkov) stays in its word");
	is_str(norm("Гълъбов"), "galabov", "Bulgarian ъ before a consonant is a");
	/* the letters ICU leaves: Kazakh, Kyrgyz, Tatar, Tajik, Mongolian */
	is_str(norm("Нұрсұлтан Назарбаев"), "nursultan nazarbayev", "Kazakh ұ");
	is_str(norm("Қасым-Жомарт Тоқаев"), "kasym zhomart tokayev", "Kazakh қ");
	is_str(norm("Миңтимер Шәймиев"), "mintimer shaymiyev", "Tatar ң and ә");
	is_str(norm("Эмомалӣ Раҳмон"), "emomali rahmon", "Tajik ӣ and ҳ");
	is_str(norm("Ҷумъа"), "juma", "Tajik ҷ");
	is_str(norm("ХҮРЭЛСҮХ Өлзийбат"), "khurelsukh olziybat", "Mongolian ү and ө, capitals");
	is_str(norm("Ғабит Һади"), "gabit hadi", "ғ and һ");
	is_str(norm("Хьалид Мӏусаев"), "khalid musayev", "Chechen: the palochka is taken out");
	is_str(norm("Αλέξανδρος"), "alexandros", "Greek");
	is_str(norm("习近平"), "xi jin ping", "Chinese: one token per syllable");
	is_str(norm("김정은"), "kim jeong eun", "Korean: syllables, surname spelling");
	is_str(norm("משה"), "moshe", "Hebrew (lexicon)");

	/* Hebrew: our rules, and the lexicon for common names */
	is_str(norm("דוד"), "david", "Hebrew david (vav as a consonant)");
	names_normalize(nn, "דוד", strlen("דוד"), &t);
	is_str(t.tok[0].skel, skel("david"), "skeleton of דוד is david's");
	ok(t.flags & NAME_ABJAD, "Hebrew script is flagged as abjad");
	is_str(norm("יוסף"), "yosef", "Hebrew yosef");
	is_str(norm("אברהם"), "avraham", "Hebrew avraham");
	is_str(norm("שרה"), "sara", "Hebrew sara");
	is_str(norm("רחל"), "rachel", "Hebrew rachel");
	is_str(norm("יעקב"), "yaakov", "Hebrew yaakov");
	is_str(norm("לוי"), "levi", "Hebrew levi");
	is_str(norm("כהן"), "cohen", "Hebrew cohen");
	is_str(norm("מָשֶׁה בֶּן־דָּוִד"), "moshe ben david", "points removed, maqaf separates");
	/* the rules alone, on names not in the lexicon */
	is_str(norm("יוסי אבוטבול"), "yosi avotvol", "initial yod y, medial vav o, bet b/v");
	is_str(norm("ברוך"), "broch", "final kaf ch");
	is_str(norm("חוה"), "chva", "vav before a final he is v, final he a");
	is_str(norm("שׂמחה"), "smcha", "the sin dot makes shin s");
	is_str(norm("ג׳ורג׳"), "jorj", "gimel with a geresh is j");
	names_normalize(nn, "יצחק רבין נתניהו", strlen("יצחק רבין נתניהו"), &t);
	ok(t.n == 3 && !strcmp(t.tok[0].skel, skel("yitzhak")) &&
	       !strcmp(t.tok[2].skel, skel("netanyahu")),
	   "skeletons of yitzhak and netanyahu (ntnihu)");
	names_normalize(nn, "שאול", strlen("שאול"), &t);
	is_str(t.tok[0].skel, skel("shaul"), "skeleton of שאול is shaul's");

	/* readings: Chinese characters and kana in Korean and Japanese */
	{
		struct name_tokens r[4];
		int n = readings("金正恩", r, 4);
		is_str(reading_of(r, n, "jin"), "jin zheng en", "金正恩 in Mandarin");
		is_str(reading_of(r, n, "kim"), "kim jeong eun", "金正恩 in Korean: 김정은");
		n = readings("山田太郎", r, 4);
		is_str(reading_of(r, n, "yamada"), "yamada taro", "山田太郎 in Japanese");
		n = readings("田中花子", r, 4);
		is_str(reading_of(r, n, "tanaka"), "tanaka hanako", "田中花子 in Japanese");
		n = readings("朴槿惠", r, 4);
		is_str(reading_of(r, n, "park"), "park geun hye",
		       "朴槿惠 in Korean, the surname spelled as usual");
		n = readings("鈴木 一郎", r, 4);
		is_str(reading_of(r, n, "suzuki"), "suzuki ichiro",
		       "a space separates words; ichirou is ichiro");
		n = readings("やまだたろう", r, 4);
		is_str(reading_of(r, n, "yamada"), "yamada taro",
		       "kana alone are read in Japanese too");
		n = readings("ｻﾄｳ ﾊﾅｺ", r, 4);
		is_str(reading_of(r, n, "sato"), "sato hanako", "half-width katakana");

		is_int(readings("Vladimir Putin", r, 4), 1, "a Latin name has one reading");
		is_str(r[0].tok[1].text, "putin", "and it is names_normalize's");
		is_int(readings("Владимир Путин", r, 4), 1, "so has a Cyrillic name");
		n = readings("Хасан Ибрагим", r, 4);
		is_int(n, 2, "a Cyrillic name with х or г has two readings");
		is_str(reading_of(r, n, "khasan"), "khasan ibragim",
		       "Хасан Ибрагим as BGN reads it");
		is_str(reading_of(r, n, "hasan"), "hasan ibrahim", "and with х and г as h");
		n = readings("Ольга", r, 4);
		is_str(reading_of(r, n, "olha"), "olha", "Ольга as Ukrainian spells it");
		is_int(readings("Никомах Бог", r, 4), 1, "a final х or г stays: no other reading");
		is_int(readings("דוד", r, 4), 1, "and a Hebrew name");
		is_int(readings("金正恩", r, 1), 1, "at most max readings");
		is_int(names_readings(nn, "金正恩", strlen("金正恩"), r, 0), 0, "max 0: none");
		is_int(names_readings(NULL, "Kim Jong Un", 11, r, 4), 1,
		       "ASCII needs no normaliser for its one reading");
		is_str(r[0].tok[2].text, "un", "and is normalised without one");
		is_int(names_readings(NULL, "金正恩", strlen("金正恩"), r, 4), -1,
		       "Chinese characters need the normaliser");
	}

	/* edge cases */
	is_int(names_normalize(nn, "", 0, &t), 0, "empty name: no tokens");
	is_int(names_normalize(nn, " -,. ", 5, &t), 0, "punctuation only: no tokens");
	is_int(names_normalize(nn, "\xff\xfe Ivan", 7, &t), 1, "invalid UTF-8 is replaced");
	is_str(t.tok[0].text, "ivan", "and the rest survives");
	is_int(names_normalize(nn, "a b c d e f g h i j k l m n o p q r s", 37, &t),
	       NAME_TOKENS_MAX, "at most NAME_TOKENS_MAX tokens");
	char longname[200];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	names_normalize(nn, longname, strlen(longname), &t);
	is_int(t.tok[0].len, NAME_TOKEN_MAX - 1, "a long token is cut");

	/* skeletons and keys */
	is_str(skel("mohammed"), "mhmd", "skeleton mohammed");
	is_str(skel("muhammad"), "mhmd", "skeleton muhammad");
	is_str(skel("khaled"), "kld", "skeleton khaled");
	is_str(skel("fatimah"), "ftm", "final h after a vowel is silent");
	is_str(skel("alexander"), "lksndr", "x is ks");
	is_str(skel("yusuf"), "ysf", "initial y kept");
	is_str(skel("schneider"), "xndr", "sch");
	is_str(skel("georg"), "jrj", "g is j");
	names_normalize(nn, "Thompson", 8, &t);
	is_str(t.tok[0].meta, "0MPSN", "metaphone key per token (th is 0)");

	/* printable ASCII skips ICU: the same tokens as through it (a no-break space,
	 * which NFKC makes a plain one, sends a name through ICU) */
	static const char *const ascii[] = {
	    "PUTIN, Vladimir",    "O'Brien",
	    "AL-TIKRITI, Saddam", "Abdul Rahman",
	    "Abd al-Rahman",      "Mr. Ahmed bin Ali",
	    "de la Cruz y Lopez", "Sheikh Omar 2nd",
	    "J. R. R. Tolkien",   "Ad-Din `Ali",
	    "x@y#z! ~ [q] {r}",   "Hajji",
	    "ash-Shami",          "ABDOULAYE Abdelkader",
	    "van der Berg",
	};
	for (size_t i = 0; i < sizeof ascii / sizeof ascii[0]; i++) {
		char forced[128], a[512], b[512];
		struct name_tokens ta, tb;
		snprintf(forced, sizeof forced, "%s \xc2\xa0", ascii[i]);
		names_normalize(nn, ascii[i], strlen(ascii[i]), &ta);
		names_normalize(nn, forced, strlen(forced), &tb);
		names_serialize(&ta, a, sizeof a);
		names_serialize(&tb, b, sizeof b);
		is_str(a, b, "ASCII without ICU as with it: %s", ascii[i]);
	}

	{
		struct name_tokens nt;
		is_int(names_normalize(NULL, "John O'Neil", 11, &nt), 2,
		       "ASCII needs no normaliser");
		is_str(nt.tok[1].text, "oneil", "and is normalised without one");
		is_int(names_normalize(NULL, "Путин", strlen("Путин"), &nt), -1,
		       "Cyrillic needs the normaliser");
	}

	/* restoring for scoring: the same tokens and skeletons, no Metaphone */
	{
		struct name_tokens t0, t1, t2;
		char line[512];
		names_normalize(nn, "Thompson bin Abdul-Aziz V.", 26, &t0);
		size_t n = names_serialize(&t0, line, sizeof line);
		is_int(names_restore(line, n, &t1), (int)t0.n, "names_restore: every token");
		is_int(names_restore_tokens(line, n, &t2), (int)t0.n,
		       "names_restore_tokens: every token");
		int same = t1.flags == t2.flags;
		for (unsigned i = 0; i < t1.n; i++)
			same &= !strcmp(t1.tok[i].text, t2.tok[i].text) &&
				!strcmp(t1.tok[i].skel, t2.tok[i].skel) &&
				t1.tok[i].flags == t2.tok[i].flags && !t2.tok[i].meta[0];
		ok(same, "names_restore_tokens: texts, skeletons and flags, meta left empty");
	}

	/* Han-Latin is left out for a name with no Chinese character or kana:
	 * the serialized names (texts, skeletons, flags) must be the same */
	{
		static const char *const names[] = {
		    "Владимир Путин",
		    "Нұрсұлтан Назарбаев",
		    "Сэм Тэтчер",
		    "Объедков",
		    "Гълъбов",
		    "Ђоковић Новак",
		    "Євгенія Тимошенко",
		    "Ўзбек Ғайрат",
		    "محمد عبدالرحمن",
		    "يوسف القرضاوي",
		    "ولادیمیر پوتین",
		    "משה כ״ץ",
		    "Αλέξανδρος Παπαδόπουλος",
		    "Սերժ Սարգսյան",
		    "მიხეილ სააკაშვილი",
		    "नरेंद्र मोदी",
		    "ทักษิณ ชินวัตร",
		    "김정은",
		    "박근혜",
		    "Ṭāriq ʿAzīz",
		    "Łukasz Żółw",
		    "Şükrü Çağlar",
		    "Nguyễn Văn Thiệu",
		    "Þórður Guðjónsson",
		    "Ａｌｉ Ｈａｓｓａｎ",
		    "Pétur·Jónsson",
		    "Kɔfi Ànán",
		    "Mu'ammar al-Qadhdhāfī",
		    "link:https://www.interpol.int",
		    "J.R.R. Tolkien",
		    "王A",
		    "やまだたろう",
		    "山田たろう",
		    "习近平",
		    "ㄓㄤ ㄙㄢ",
		};
		int same = 1;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			struct name_tokens a, b;
			char la[1024], lb[1024];
			size_t na = 0, nb = 0;
			names_han_latin_always = 0;
			if (names_normalize(nn, names[i], strlen(names[i]), &a) >= 0)
				na = names_serialize(&a, la, sizeof la);
			names_han_latin_always = 1;
			if (names_normalize(nn, names[i], strlen(names[i]), &b) >= 0)
				nb = names_serialize(&b, lb, sizeof lb);
			names_han_latin_always = 0;
			if (na != nb || memcmp(la, lb, na)) {
				printf("# %s: '%.*s' without Han-Latin, '%.*s' with it\n", names[i],
				       (int)na, la, (int)nb, lb);
				same = 0;
			}
		}
		ok(same, "Han-Latin left out of a name without Chinese characters or kana changes "
			 "no reading");
	}

	names_close(nn);
	return tap_done();
}
