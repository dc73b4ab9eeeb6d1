/*
 * test-personmatch.c: name, date-of-birth and person scores, blocking keys
 * (lib/check/personmatch.c), on hand-made cases and on published cross-script pairs
 * (tests/fixtures/names, see SOURCE.txt).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/personmatch.h"
#include "ccc/similarity.h"
#include "tap.h"

#define FIXTURES "tests/fixtures/names/"
#define T        PERSON_MATCH_THRESHOLD

static struct name_normalizer *nn;

/* The best score over the readings of either name, as ccc-check scores them. */
static double name_score(const char *a, const char *b)
{
	return person_name_score_readings(nn, a, strlen(a), b, strlen(b));
}

static int share_key(const char *a, const char *b)
{
	struct name_tokens ta, tb;
	char ka[32][PERSON_KEY_MAX], kb[32][PERSON_KEY_MAX];
	names_normalize(nn, a, strlen(a), &ta);
	names_normalize(nn, b, strlen(b), &tb);
	size_t na = person_blocking_keys(&ta, ka, 32), nb = person_blocking_keys(&tb, kb, 32);
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (!strcmp(ka[i], kb[j]))
				return 1;
	return 0;
}

/* Share of the fixture's script/Latin token pairs scoring at least T. */
static double netrans_recall(const char *file)
{
	char path[256], line[512], word[512];
	int n = 0, hit = 0;
	snprintf(path, sizeof path, FIXTURES "netransliteration/%s", file);
	FILE *f = fopen(path, "r");
	if (!ok(f != NULL, "open %s", path))
		return 0;
	while (fgets(line, sizeof line, f)) {
		char *latin = strtok(line, "\t"), *script = strtok(NULL, "\t");
		size_t o = 0;
		if (!latin || !script)
			continue;
		for (char *p = script; *p; p++)
			if (*p != ' ')
				word[o++] = *p;
		word[o] = '\0';
		n++;
		hit += name_score(word, latin) >= T;
	}
	fclose(f);
	is_int(n, 200, "%s has 200 pairs", file);
	printf("# %s: %d of %d pairs at or above %.2f\n", file, hit, n, T);
	return n ? (double)hit / n : 0;
}

/* Every watchman pair must match: 金正恩 (Kim Jong Un), 山田太郎 and 田中花子 through
 * their Korean and Japanese readings, דוד (David) through the Hebrew rules. */
static void watchman(void)
{
	FILE *f = fopen(FIXTURES "watchman_cross_script_pairs.csv", "r");
	char line[512];
	int n = 0;
	if (!ok(f != NULL, "open watchman_cross_script_pairs.csv"))
		return;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char *q = strtok(line, ","), *e = strtok(NULL, ",");
		if (!q || !e)
			continue;
		n++;
		double s = name_score(q, e);
		ok(s >= T, "watchman '%s' ~ '%s' (%.2f)", q, e, s);
	}
	fclose(f);
	is_int(n, 22, "watchman has 22 pairs");
}

static void putin(void)
{
	FILE *f = fopen(FIXTURES "nomenklatura_putin_names.txt", "r");
	char line[512];
	int n = 0, hit = 0;
	if (!ok(f != NULL, "open nomenklatura_putin_names.txt"))
		return;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		n++;
		hit += name_score(line, "Vladimir Vladimirovich Putin") >= T;
	}
	fclose(f);
	printf("# putin: %d of %d spellings match\n", hit, n);
	ok(hit >= 74, "at least 74 of the 81 Putin spellings match (%d)", hit);
}

/*
 * The shortcut that skips the token pairs whose similarity cannot reach the pair
 * floor (an upper bound from letter counts) never skips one that counts: every
 * pair of these names scores the same with and without it.
 */
static int one_token_scores(const char *const *words, size_t nw)
{
	int bad = 0;
	for (size_t i = 0; i < nw; i++)
		for (size_t j = 0; j < nw; j++) {
			struct name_tokens ta, tb;
			if (names_normalize(nn, words[i], strlen(words[i]), &ta) < 1 ||
			    names_normalize(nn, words[j], strlen(words[j]), &tb) < 1)
				continue;
			person_match_exhaustive = 1;
			double want = person_name_score(&ta, &tb);
			person_match_exhaustive = 0;
			double got = person_name_score(&ta, &tb);
			if (fabs(got - want) > 1e-9 && bad++ < 5)
				printf("# %s / %s: %.6f, want %.6f\n", words[i], words[j], got,
				       want);
		}
	return bad;
}

int main(void)
{
	char err[256], why[512];

	nn = names_open(err, sizeof err);
	if (!ok(nn != NULL, "names_open: %s", nn ? "ok" : err))
		return tap_done();

	/* names */
	static const char *const words[] = {
	    "mohamed",     "muhammad",      "mohammed",   "mehmet",    "ahmed",
	    "ahmad",       "hamed",         "khaled",     "khalid",    "haddad",
	    "hadad",       "dixon",         "dickson",    "dicksonx",  "martha",
	    "marhta",      "dwayne",        "duane",      "jones",     "johnson",
	    "vladimir",    "wladimir",      "volodymyr",  "petrov",    "petrow",
	    "ivanov",      "ivanova",       "abc",        "xyz",       "aaaaaaaa",
	    "ab",          "schneider",     "snyder",     "qasim",     "kassem",
	    "yusuf",       "youssef",       "joseph",     "zhang",     "chang",
	    "li",          "lee",           "abdrahman",  "rahman",    "o",
	    "thompson",    "tomson",        "x1",         "x2",        "alsharif",
	    "sharif",      "elsayed",       "sayed",      "petrenko",  "medvedchuk",
	    "medvedev",    "daniela",       "daniel",     "sasha",     "aleksandr",
	    "alexander",   "chruschtschow", "khrushchev", "al haddad", "elhaddad",
	    "Ivan Petrov", "Ivan Petrenko", "fernando",   "fornara",   "glisson",
	    "glaesser",
	};
	is_int(one_token_scores(words, sizeof words / sizeof words[0]), 0,
	       "the shortcut over hopeless token pairs changes no score");
	ok(name_score("Vladimir Putin", "Vladimir Putin") == 1.0, "identical names score 1");
	ok(name_score("PUTIN, Vladimir", "Vladimir Putin") == 1.0, "order does not matter");
	ok(name_score("Vladimir Putin", "Dmitry Medvedev") < 0.3, "different names score low");
	ok(name_score("Mohamed Ali", "Mohamed Hassan") < T, "one shared common name is no match");
	ok(name_score("Vladimir Vladimirovich Putin", "Vladimir Putin") >= 0.9,
	   "an extra patronymic costs little");
	ok(name_score("Putin", "Vladimir Putin") < name_score("Vladimir Putin", "Vladimir Putin"),
	   "a surname alone scores below the full name");
	ok(name_score("V. Putin", "Vladimir Putin") >= T, "an initial agrees with its name");
	ok(name_score("W. Putin", "Vladimir Putin") < T, "a wrong initial does not");
	ok(name_score("Mohammed", "Muhammad") >= T, "vowel variants (skeleton)");
	ok(name_score("Abd al-Rahman", "عبد الرحمن") >= T, "abd al-rahman in both scripts");
	ok(name_score("Abdulrahman Saleh", "Abdul Rahman Saleh") >= 0.95, "merged tokens");
	ok(name_score("Mati ur Rehman", "MATI UR-REHMAN ALI MUHAMMAD") >= T,
	   "the article of a compound written apart weighs as a particle");
	ok(name_score("Shams ul Haq", "Shams Haq") >= 0.9, "ul apart weighs little");
	ok(name_score("Maulawi Ahmed Shah", "Ahmed Shah") == 1.0, "maulawi is a title, dropped");
	ok(name_score("Xi Jinping", "习近平") >= T, "a Chinese given name written as one word");
	ok(name_score("SADDAM HUSSEIN AL-TIKRITI", "صدام حسين التكريتي") >= 0.9,
	   "a UN list name and its original script");
	ok(name_score("Alexander Petrov", "Александр Петров") >= 0.9, "Cyrillic, x = ks");
	/* a Cyrillic name read whole: not an initial s and a word endi */
	ok(name_score("Сэнди", "Sunthorn") < T, "Сэнди is not an initial matching Sunthorn");
	ok(name_score("Нұрсұлтан Назарбаев", "Nursultan Nazarbayev") >= 0.95,
	   "Kazakh letters read as their nearest Russian ones");
	ok(name_score("Ухнаагийн Хүрэлсүх", "Ukhnaagiin Khurelsukh") >= 0.95, "Mongolian ү");
	ok(name_score("Хасан Ибрагим", "Hassan Ibrahim") >= 0.95, "х and г read as h too");
	ok(name_score("Никомах", "Niccum") < T, "but not at a word's end");
	/* skeletons alike but for their last consonants */
	ok(name_score("فرناندو", "Fornara") < T, "frnd and frnr (d, r unalike) are two names");
	ok(name_score("مقدسي", "McDowell") < T, "mkds and mkdl are two names");
	ok(name_score("فرناندو", "Fernando") >= T, "the same name still matches");
	ok(name_score("محمد", "Mehmet") >= T, "mhmd and mhmt: d and t are alike");
	double ab = name_score("Osama bin Laden", "Usama Ladin"),
	       ba = name_score("Usama Ladin", "Osama bin Laden");
	ok(fabs(ab - ba) < 1e-9, "the score is symmetric (%.3f, %.3f)", ab, ba);
	ok(ab >= T, "a missing particle costs little (%.3f)", ab);
	struct name_tokens empty = {0}, one;
	names_normalize(nn, "Ivan", 4, &one);
	ok(person_name_score(&empty, &one) == 0.0, "no tokens score 0");

	/* dates of birth */
	/* Dates of birth as ccc-check takes them: real calendar dates only. */
	static const char *const good_dobs[] = {
	    "1970", "1970-05", "1970-05-17", "1980-02-29", "2000-02-29", "1999-12-31", NULL};
	static const char *const bad_dobs[] = {
	    "1980-13-45", "1981-02-29", "1900-02-29",  "1970-04-31", "1970-00", "1970-05-00",
	    "70-05-17",   "1970-5-17",  "1970-05-17x", " 1970",      "",        NULL};
	for (int i = 0; good_dobs[i]; i++)
		is_int(dob_valid(good_dobs[i]), 1, "dob_valid: %s is a date", good_dobs[i]);
	for (int i = 0; bad_dobs[i]; i++)
		is_int(dob_valid(bad_dobs[i]), 0, "dob_valid: '%s' is not", bad_dobs[i]);
	is_int(dob_valid(NULL), 0, "dob_valid: NULL is not");
	is_int(dob_compare("1970-05-17", "1970-05-17"), DOB_EXACT, "dob exact");
	is_int(dob_compare("1970", "1970-05-17"), DOB_PARTIAL, "dob year only");
	is_int(dob_compare("1970-05", "1970-05-17"), DOB_PARTIAL, "dob year and month");
	is_int(dob_compare("1970-05-07", "1970-07-05"), DOB_SWAPPED, "dob day and month swapped");
	is_int(dob_compare("1971-05-17", "1970-05-17"), DOB_YEAR_OFF, "dob one year off");
	is_int(dob_compare("1969", "1970-05-17"), DOB_YEAR_OFF, "dob partial, one year off");
	is_int(dob_compare("1970-05-18", "1970-05-17"), DOB_DIFFERENT, "dob other day");
	is_int(dob_compare("1975", "1970"), DOB_DIFFERENT, "dob other year");
	is_int(dob_compare("1965|1966", "1966-02-01"), DOB_PARTIAL, "dob alternatives");
	is_int(dob_compare("", "1970"), DOB_UNKNOWN, "dob missing");
	is_int(dob_compare("17/05/1970", "1970-05-17"), DOB_UNKNOWN, "dob not ISO 8601");
	is_int(dob_compare("1970-13-01", "1970"), DOB_UNKNOWN, "dob month 13");

	/* person score */
	struct name_tokens q, c;
	names_normalize(nn, "Vladimir Putin", 14, &q);
	names_normalize(nn, "Владимир Путин", strlen("Владимир Путин"), &c);
	struct person pq = {&q, "1952-10-07", "RU"}, pc = {&c, "1952-10-07", "ru,by"};
	double s = person_score(&pq, &pc, why, sizeof why);
	ok(s == 1.0, "same name, dob and nationality score 1 (%.3f)", s);
	is_str(why,
	       "name 1.00 (vladimir=vladimir 1.00, putin=putin 1.00); dob exact; nationality ru",
	       "why explains the score");
	pc.dob = "1962-10-07";
	pc.countries = "FR";
	double s2 = person_score(&pq, &pc, why, sizeof why);
	ok(s2 < T, "a different dob and nationality pull a name match below the threshold (%.3f)",
	   s2);
	ok(strstr(why, "dob differs") && strstr(why, "nationality differs"), "why says so: %s",
	   why);
	pc.dob = NULL;
	pc.countries = NULL;
	ok(person_score(&pq, &pc, NULL, 0) == person_name_score(&q, &c),
	   "unknown dob and nationality change nothing");
	person_score(&pq, &pc, why, 8);
	ok(strlen(why) == 7, "why is truncated to its buffer");

	/* the bound from dob and nationality alone: never below the score */
	static const char *const dobs[] = {
	    NULL,         "1952-10-07", "1952",           "1952-07-10",
	    "1953-10-07", "1962-10-07", "1961|1952-10-07"};
	static const char *const ccs[] = {NULL, "RU", "FR", "ru,by", ""};
	static const char *const others[] = {"Владимир Путин", "Vladimir Putin", "Putin",
					     "Wladimir Poutine", "Dmitry Medvedev"};
	int held = 1, n = 0;
	for (size_t o = 0; o < sizeof others / sizeof *others; o++) {
		names_normalize(nn, others[o], strlen(others[o]), &c);
		for (size_t d = 0; d < sizeof dobs / sizeof *dobs; d++)
			for (size_t k = 0; k < sizeof ccs / sizeof *ccs; k++) {
				struct person x = {&c, dobs[d], ccs[k]};
				double b = person_score_bound(&pq, dobs[d], ccs[k]),
				       sc = person_score(&pq, &x, NULL, 0);
				if (sc > b) {
					held = 0;
					printf("# bound %.3f < score %.3f: %s, %s, %s\n", b, sc,
					       others[o], dobs[d] ? dobs[d] : "-",
					       ccs[k] ? ccs[k] : "-");
				}
				n++;
			}
	}
	ok(held, "the bound is at least the score (%d cases)", n);
	ok(fabs(person_score_bound(&pq, "1952-10-07", "RU") - 1.0) < 1e-12,
	   "bound: dob exact, nationality shared: 1");
	ok(fabs(person_score_bound(&pq, "1962-10-07", NULL) - 0.64) < 1e-12,
	   "bound: dob differs, nationality unknown: 0.64, below the threshold");
	ok(person_score_bound(&pq, "1962-10-07", NULL) < T, "so the candidate need not be scored");
	ok(fabs(person_score_bound(&pq, "1962-10-07", "FR") - 0.59) < 1e-12,
	   "bound: dob and nationality differ: 0.59");
	ok(fabs(person_score_bound(&pq, "1962-10-07", "RU") - 0.67) < 1e-12,
	   "bound: dob differs, nationality shared: 0.67");

	/* blocking keys */
	ok(share_key("Xi Jinping", "习近平"), "keys: Xi Jinping ~ 习近平");
	ok(share_key("Mohamed Ali", "محمد علي"), "keys: Mohamed Ali ~ محمد علي");
	ok(share_key("PUTIN, Vladimir", "Владимир Путин"), "keys: Putin ~ Путин");
	ok(!share_key("Vladimir Putin", "Dmitry Medvedev"), "keys: Putin !~ Medvedev");
	struct name_tokens bt;
	char keys[4][PERSON_KEY_MAX];
	names_normalize(nn, "Osama bin Muhammad bin Awad bin Laden", 37, &bt);
	is_int(person_blocking_keys(&bt, keys, 4), 4, "keys stop at max");
	char tk[8][PERSON_KEY_MAX];
	unsigned from[8];
	names_normalize(nn, "Jean Pierre Dupont", 18, &bt);
	size_t ntk = person_blocking_keys_tokens(&bt, tk, from, 8);
	is_int(ntk, 5, "keys of three tokens: three of one token, two of adjacent pairs");
	is_str(tk[0], "jn", "the first key is the first token's skeleton");
	is_int(from[0], 1, "made from token 0");
	is_str(tk[2], "dbnt", "the third is the third token's");
	is_int(from[2], 4, "made from token 2");
	is_int(from[3], 3, "an adjacent pair is made from tokens 0 and 1");
	is_int(from[4], 6, "and the next from tokens 1 and 2");

	/* published pairs */
	watchman();
	putin();
	double ra = netrans_recall("wd_arabic_200.tsv");
	ok(ra >= 0.90, "Arabic token recall at least 0.90 (%.3f)", ra);
	double rr = netrans_recall("wd_russian_200.tsv");
	ok(rr >= 0.92, "Russian token recall at least 0.92 (%.3f)", rr);

	names_close(nn);
	return tap_done();
}
