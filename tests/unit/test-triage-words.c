/*
 * test-triage-words.c: triage reads words, not pieces of words. The Arabic
 * word matcher (a phrase is a whole word once its clitics are taken off:
 * و ف ب ك ل, the article ال and their combinations; the future س only
 * before a verb), French elision (l' d' qu' j' n' s' c', also with the
 * typographic apostrophe), Latin word boundaries, negation and its scope,
 * and the message's language in the reasons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/json.h"
#include "ccc/lexicon.h"
#include "ccc/textfold.h"
#include "ccc/triage.h"
#include "tap.h"

#define NOW 1795860000 /* 2026-11-28T10:00:00Z */

/* A lexicon of one phrase, with the flags triage gives a phrase of lang. */
static struct lexicon *one(const char *phrase, const char *lang)
{
	struct lexicon *lx = lexicon_new();
	unsigned flags =
	    strcmp(lang, "ar") == 0 ? LEXICON_AR_PREFIX | LEXICON_AR_SUFFIX : LEXICON_PLURAL;
	if (!lx || lexicon_add(lx, phrase, flags, 0) < 0 || lexicon_build(lx) < 0) {
		lexicon_free(lx);
		return NULL;
	}
	return lx;
}

/* 1 when the phrase is found in text (folded here). */
static int finds(const char *phrase, const char *lang, const char *text)
{
	struct lexicon *lx = one(phrase, lang);
	char f[1024];
	struct lexicon_match m[8];
	size_t n = textfold(text, strlen(text), f);
	size_t k = lx ? lexicon_scan(lx, f, n, m, 8) : 0;
	lexicon_free(lx);
	return k > 0;
}

static void arabic(void)
{
	/* the case of the issue: فر (fled) is not inside سفر (travel) */
	ok(finds("فر", "ar", "فر المتهم من السجن"), "ar: فر alone is found");
	ok(!finds("فر", "ar", "جواز سفر"), "ar: فر is not found in سفر (travel)");
	ok(!finds("فر", "ar", "السفر إلى تونس"), "ar: nor in السفر");
	ok(!finds("فر", "ar", "مسافر عادي"), "ar: nor in مسافر (traveller)");
	ok(!finds("فر", "ar", "وسفره"), "ar: nor in وسفره");
	/* the future prefix only on a verb in the imperfect */
	ok(finds("يغادر", "ar", "سيغادر البلاد"), "ar: سيغادر is س + يغادر");
	ok(finds("يغادر", "ar", "وسيغادر البلاد"), "ar: وسيغادر is وس + يغادر");
	/* each proclitic, the article, and their combinations */
	static const char *const with[] = {
	    "طفل",     "الطفل",  "وطفل",   "فطفل",   "بطفل",  "كطفل",   "لطفل",
	    "والطفل",  "فالطفل", "بالطفل", "كالطفل", "للطفل", "وللطفل", "فللطفل",
	    "وبالطفل", "طفلها",  "طفلا",   "أطفال",  NULL,
	};
	for (const char *const *w = with; *w; w++)
		ok(finds(strcmp(*w, "أطفال") == 0 ? "أطفال" : "طفل", "ar", *w), "ar: طفل in %s",
		   *w);
	static const char *const without[] = {"تطفل", "مطفلة", "الطفولة", "طفلاتهم الكثيرين", NULL};
	for (const char *const *w = without; *w; w++)
		ok(!finds("طفل", "ar", *w), "ar: طفل is not in %s", *w);
	/* harakat and letter forms fold away */
	ok(finds("إرهاب", "ar", "والإِرْهَابِيِّينَ"), "ar: إرهاب in والإرهابيين with harakat");
}

static void latin(void)
{
	ok(finds("urgence", "fr", "Il n'y a pas d'urgence."), "fr: urgence after d'");
	ok(finds("urgence", "fr", "Il n’y a pas d’urgence."), "fr: urgence after d’ (typographic)");
	ok(finds("urgence", "fr", "l'urgence est absolue"), "fr: urgence after l'");
	ok(finds("attentat", "fr", "on craint qu'attentat et fusillade"), "fr: after qu'");
	ok(finds("attentat", "fr", "c’attentat j'attentat n'attentat s'attentat"),
	   "fr: after c’ j' n' s'");
	ok(finds("s'apprête à", "fr", "Il s’apprête à partir."),
	   "fr: a phrase with an elision matches the typographic apostrophe");
	ok(finds("n'est plus recherché", "fr", "Il n’est plus recherché."),
	   "fr: n'est plus recherché with ’");
	ok(!finds("armes", "fr", "des larmes"), "fr: armes is not in larmes");
	ok(!finds("arma", "es", "una falsa alarma"), "es: arma is not in alarma");
	ok(finds("arma", "es", "dos armas de fuego"), "es: armas is arma + s");
	ok(!finds("gun", "en", "it has begun"), "en: gun is not in begun");
	ok(finds("child", "en", "the child's passport"), "en: child before 's");
}

static jv assess(const char *lang, const char *subject, const char *body)
{
	jv m = jv_object();
	m = jv_object_set(m, jv_string("type"), jv_string("message"));
	m = jv_object_set(m, jv_string("id"), jv_string("t"));
	m = jv_object_set(m, jv_string("received_at"), jv_string("2026-11-28T10:00:00Z"));
	if (lang)
		m = jv_object_set(m, jv_string("language"), jv_string(lang));
	m = jv_object_set(m, jv_string("subject"), jv_string(subject));
	m = jv_object_set(m, jv_string("body"), jv_string(body));
	return triage_assess(m, NOW, NULL);
}

static int has_reason(jv t, const char *prefix)
{
	jv r = jv_object_get(jv_copy(t), jv_string("reasons"));
	int found = 0;
	jv_array_foreach (r, i, s) {
		if (jv_get_kind(s) == JV_KIND_STRING &&
		    strncmp(jv_string_value(s), prefix, strlen(prefix)) == 0)
			found = 1;
		jv_free(s);
	}
	jv_free(r);
	return found;
}

static int prio(jv t)
{
	const char *p = jv_get_str(t, "priority");
	return p ? p[1] - '0' : 0;
}

static void show(jv t)
{
	jv s = jv_dump_string(jv_copy(t), 0);
	printf("#   got %s\n", jv_string_value(s));
	jv_free(s);
}

/* A negated urgency: not Immediate, P3 for a request, and never higher than
 * the same message without the phrase. */
static void negated(const char *lang, const char *subject, const char *with, const char *without,
		    const char *reason)
{
	jv a = assess(lang, subject, with), b = assess(lang, subject, without);
	int good = strcmp(jv_get_str(a, "urgency"), "Immediate") != 0 && prio(a) >= prio(b) &&
		   has_reason(a, reason);
	if (!ok(good, "%s: \"%s\" lowers, never raises (P%d, without it P%d)", lang, with, prio(a),
		prio(b)))
		show(a);
	jv_free(a);
	jv_free(b);
}

static void negation(void)
{
	negated("en", "Passport check", "Please check this passport. No urgency.",
		"Please check this passport.", "negated:en \"urgency\"");
	negated("en", "Passport check", "Please check this passport; it is not urgent.",
		"Please check this passport.", "calm:en \"not urgent\"");
	negated("es", "Control de pasaporte", "Se solicita verificar el pasaporte, sin urgencia.",
		"Se solicita verificar el pasaporte.", "negated:es \"urgencia\"");
	negated("es", "Control de pasaporte", "Se solicita verificar el pasaporte. No es urgente.",
		"Se solicita verificar el pasaporte.", "negated:es \"urgente\"");
	negated("fr", "Contrôle de passeport", "Merci de vérifier ce passeport, pas d'urgence.",
		"Merci de vérifier ce passeport.", "negated:fr \"urgence\"");
	negated("fr", "Contrôle de passeport", "Merci de vérifier ce passeport, pas urgent.",
		"Merci de vérifier ce passeport.", "calm:fr \"pas urgent\"");
	negated("ar", "التحقق من جواز سفر", "يرجى التحقق من هذا الجواز. ليس عاجلا.",
		"يرجى التحقق من هذا الجواز.", "negated:ar \"عاجل\"");

	jv t = assess("ar", "بلاغ", "تم فحص الطرد المشبوه في المحطة ولا يوجد خطر.");
	ok(has_reason(t, "negated:ar \"خطر\"") && !has_reason(t, "severity:severe"),
	   "ar: لا يوجد خطر is no danger");
	jv_free(t);
	t = assess("fr", "Colis suspect", "Il n'y a pas de menace : le colis a été ouvert.");
	ok(strcmp(jv_get_str(t, "category"), "terrorism") != 0 &&
	       strcmp(jv_get_str(t, "severity"), "Severe") != 0,
	   "fr: il n'y a pas de menace is no threat: no terrorism, not Severe");
	jv_free(t);

	/* the scope ends at punctuation, and after a few words */
	t = assess("en", "Bomb threat", "No casualties so far. The threat is urgent.");
	ok(!has_reason(t, "negated:en \"urgent\"") && has_reason(t, "urgency:immediate:en"),
	   "en: a negation does not reach past a full stop");
	jv_free(t);
	t = assess("en", "Report", "No one in the crowd saw the gunman leave; urgent.");
	ok(!has_reason(t, "negated:en \"gunman\""),
	   "en: a negation does not reach a word five words on");
	jv_free(t);
	/* a negated resolution does not resolve */
	t = assess("es", "Menor desaparecida",
		   "La menor de 13 años desaparecida en Sevilla no ha sido localizada.");
	ok(strcmp(jv_get_str(t, "priority"), "P1") == 0,
	   "es: no ha sido localizada is not found: still P1");
	if (prio(t) != 1)
		show(t);
	jv_free(t);
}

static void language(void)
{
	/* a French "urgent" is French */
	jv t = assess("fr", "Contrôle urgent", "Vérification urgent du passeport de M. Dupont.");
	ok(has_reason(t, "urgency:immediate:fr \"urgent\""),
	   "fr: \"urgent\" is named with the message's language");
	ok(!has_reason(t, "urgency:immediate:en"), "and not as English");
	jv_free(t);
	/* no "language" field: detected from the text */
	t = assess(NULL, "Contrôle urgent",
		   "Nous vous prions de vérifier le passeport de la personne suivante, "
		   "c'est urgent pour notre enquête.");
	ok(has_reason(t, "urgency:immediate:fr"), "detected French when the field is missing");
	jv_free(t);
	/* a region subtag is dropped */
	t = assess("fr-CA", "Contrôle urgent", "Vérification urgent du passeport.");
	ok(has_reason(t, "urgency:immediate:fr \"urgent\""), "fr-CA is named fr");
	jv_free(t);
}

int main(void)
{
	arabic();
	latin();
	negation();
	language();
	return tap_done();
}
