/*
 * triage.h: the assessment of a message: priority, category, CAP urgency,
 * severity and certainty, due time, and the reasons for them.
 *
 * triage_assess() reads a `message` record (subject, body, received_at, and
 * when present cap.info[] and checks[].hits[]) and returns the object that
 * ccc-triage stores as its "triage" field:
 *
 *   {"priority":"P2","category":"drugs","urgency":"Expected","severity":"Moderate",
 *    "certainty":"Likely","due_at":"2026-11-28T11:00:00Z",
 *    "request":"check","deadline":"2026-11-28T11:00:00Z",
 *    "reasons":["lexicon:drugs:en \"cocaine\"","urgency:expected:en \"today\"",…]}
 *
 * request, deadline and "expired": true appear only when they apply.
 *
 * The default rules, in order:
 *
 *  1. Text. Subject, body and the CAP headline, event and description are
 *     folded (textfold.h) and scanned once against the phrase table
 *     (triage-lexicon.c, triage_phrases[]), all four languages at once, by
 *     whole words (lexicon.h: an Arabic word once its clitics are off, so
 *     سفر is no فر; an apostrophe ends a word, so "d'urgence" has
 *     "urgence"). A phrase at most four words after a negation in the same
 *     clause ("no urgency", "pas d'urgence", "sin urgencia", "لا يوجد خطر")
 *     is negated: it lowers, never raises (no weight, no urgency, severity
 *     or fact, no resolution; a negated urgency makes the message calm).
 *     Reasons name a phrase with the message's language ("language", else
 *     detected, else the table's).
 *  2. Category: each distinct phrase found adds its weight to its category
 *     (twice over in the subject); the highest total of at least 2 wins, ties
 *     going to the category listed first in enum triage_category; otherwise
 *     "general". A general message with a notice hit takes the category of
 *     the notice (red, blue, diffusion → fugitive; yellow → missing_child;
 *     orange, INTERPOL–UN special → terrorism; black → disaster); one whose CAP
 *     category is Geo, Met, Fire, Env, Rescue or Infra becomes "disaster".
 *  3. Severity (CAP scale): the CAP value when the message carries CAP; else
 *     the category's base (terrorism Moderate, fugitive Moderate,
 *     missing_child Severe, trafficking Moderate, drugs Moderate, firearms
 *     Moderate, cybercrime Moderate, disaster Severe, cultural_property Minor,
 *     maritime Moderate, general Unknown) raised by SEVERE and EXTREME phrases.
 *  4. Urgency: the CAP value when present; else Past when a RESOLVED or HOAX
 *     phrase applies; else the most urgent of: IMMEDIATE phrases, a duration
 *     after a TIME_IN phrase ("in 2 hours", "dans 30 minutes", "en las
 *     próximas 2 horas", "خلال ساعتين") of at most 2 hours, a clock time
 *     ("à 14h30", "a las 9", "at 16:00") at most 40 bytes after a TRAVEL
 *     phrase ("vol", "el vuelo sale"), a recency ("hace media hora", "il y a
 *     2 heures", "منذ ساعتين") of at most 3 hours → Immediate; a PAST phrase
 *     (a completed arrest or seizure) → Past unless Immediate; a duration up
 *     to 24 hours, any other clock time, EXPECTED phrases ("tonight",
 *     "demain") → Expected; longer durations and FUTURE phrases → Future;
 *     nothing → Unknown. A LABEL urgency ("URGENT", "عاجل") is Immediate only
 *     when nothing else says when, or the severity is at least Severe.
 *  5. Certainty: CAP when present; else Unlikely for a hoax, Possible for
 *     POSSIBLE phrases, Observed for OBSERVED phrases, Likely for a message
 *     with a category, Unknown for a general one.
 *  6. Priority from urgency × severity:
 *                   Extreme  Severe  Moderate  Minor  Unknown
 *       Immediate   P1       P1      P1        P2     P3
 *       Expected    P1       P2      P2        P3     P3
 *       Unknown     P1       P2      P3        P3     P4
 *       Future      P2       P3      P3        P3     P4
 *       Past        P4       P4      P4        P4     P4
 *  7. The policy (triage.c, policy[]; ccc-triage(1) "The policy"): rows in
 *     order, each setting the priority at most or at least its own: possible
 *     ≤P2, unlikely ≤P4, information only ≤P4, calm ≤P4
 *     (≤P3 on a case), a request ≥P3, nothing asked in a general message
 *     ≤P4, a routine request only labelled urgent ≤P3, asked for today ≥P2,
 *     a deadline ≥P3 (≥P2 within a day or an hour), a disaster with no life
 *     at risk ≤P2, a wanted person found ≥P2 (≥P1 on a red notice), an
 *     attack planned for a near time ≥P1, expired ≤P4, a missing minor ≥P1
 *     (a minor word or an age under 18 within 200 bytes of a missing word,
 *     TRIAGE_FACT_*), and a check hit whose "notice" is a non-empty string
 *     and whose "status" is not cancelled, withdrawn, expired or inactive
 *     ≥P1, Immediate, at least Severe, and Observed (score ≥ 0.95) or Likely.
 *  8. A stated deadline. The message's start is sent_at, else received_at
 *     (else now). A time the message states is a deadline when its phrase
 *     says so ("within 30 minutes", "dans l'heure", "avant 14h30", "antes de
 *     las 18:00", "no later than", "قبل الساعة"), when it is a departure
 *     ("before the flight departs at 21:40"), or when the message asks for
 *     something (a REQUEST phrase: "respuesta necesaria en 30 minutos"). A
 *     duration counts from the start; a clock time is its first occurrence
 *     at or after the start, in UTC when it says so ("14:30 UTC", "Z"),
 *     else in the zone of origin_country (its capital's where it has
 *     several; tzcountry.h), else in UTC; the zone assumed is a reason
 *     ("zone:Europe/Paris origin_country FR"). The earliest deadline is
 *     "deadline". A deadline under an hour after the start makes the
 *     message at least P2 ("override:deadline<1h=P2"). A date after such a
 *     phrase ("avant le 12 mars") is one too when something is asked; a date
 *     after "valid until" is when the matter ends. A deadline that passed 15
 *     minutes or more before the message arrived (received_at), a stated
 *     end before it arrived, or a CAP alert whose every info block expired
 *     before it arrived or now, or with no expiry sent more than 7 days
 *     before, makes it expired: "expired": true, urgency Past, P4
 *     ("expired:deadline", "expired:until", "expired:cap").
 *  9. due_at = the start + the priority's time from the config, or the
 *     deadline when that is earlier (never earlier than the start).
 *
 * The request (REQUEST phrases say what is asked) is "request": check (a
 * document, person or vehicle to check), locate (a person to find), info
 * (information asked) or arrest (an arrest to confirm); the first asked.
 *
 * A signal phrase with a scope (RESOLVED "ha sido localizado" in
 * missing_child, SEVERE "victims" in trafficking) counts only when the
 * message ends up in that category (a scoped RESOLVED or HOAX also in a
 * general message). The subject is scanned first; in a text with more than
 * 1024 phrase matches (some 60 kB of prose) the later ones are not seen.
 * Reasons (at most 24, no repeats) name the rule and the evidence:
 * "lexicon:terrorism:fr \"attentat\"", "urgency:immediate:en \"urgent\"",
 * "time:in:ar \"خلال ساعتين\" 120 min", "time:departure:fr \"a 14h30\"",
 * "cap:Expected/Severe/Likely", "matrix:Expected+Severe=P2",
 * "override:info=P4", "check:persons \"red notice A-1/2026\" P-7=P1".
 */
#ifndef CCC_TRIAGE_H
#define CCC_TRIAGE_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

enum triage_category {
	TRIAGE_GENERAL,
	TRIAGE_TERRORISM,
	TRIAGE_FUGITIVE,
	TRIAGE_MISSING_CHILD,
	TRIAGE_TRAFFICKING,
	TRIAGE_DRUGS,
	TRIAGE_FIREARMS,
	TRIAGE_CYBERCRIME,
	TRIAGE_DISASTER,
	TRIAGE_CULTURAL_PROPERTY,
	TRIAGE_MARITIME,
	TRIAGE_NCATEGORY
};

/* What a phrase says besides its category (see the rules above). */
enum triage_signal {
	TRIAGE_SIG_NONE,
	TRIAGE_SIG_IMMEDIATE,    /* urgency Immediate: "urgent", "en cours", "عاجل" */
	TRIAGE_SIG_EXPECTED,     /* urgency Expected: "tonight", "demain", "hoy" */
	TRIAGE_SIG_FUTURE,       /* urgency Future: "next month", "au printemps" */
	TRIAGE_SIG_PAST,         /* a completed action: "arrested", "incautó" */
	TRIAGE_SIG_RESOLVED,     /* the matter is over: "found safe", "ha sido localizado" */
	TRIAGE_SIG_HOAX,         /* resolved, and certainty Unlikely: "hoax", "falsa alarma" */
	TRIAGE_SIG_INFO,         /* information only: "for information", "للعلم" */
	TRIAGE_SIG_REQUEST,      /* asks for work: "please check", "se solicita" */
	TRIAGE_SIG_EXTREME,      /* severity Extreme: "casualties", "morts", "قتلى" */
	TRIAGE_SIG_SEVERE,       /* severity at least Severe: "armed", "victims" */
	TRIAGE_SIG_OBSERVED,     /* certainty Observed: "confirmed" */
	TRIAGE_SIG_POSSIBLE,     /* certainty Possible: "unconfirmed", "aurait été" */
	TRIAGE_SIG_CALM,         /* no urgency: "not urgent", "pas urgent", "غير عاجل" */
	TRIAGE_SIG_TRAVEL,       /* a departure: "flight", "vol", "vuelo", "الطائرة" */
	TRIAGE_SIG_TIME_IN,      /* a duration follows: "in", "dans", "en", "خلال" */
	TRIAGE_SIG_TIME_AT,      /* a clock time follows: "at", "à", "vers" */
	TRIAGE_SIG_TIME_AT_HOUR, /* a clock time, bare hours allowed: "a las", "الساعة" */
	TRIAGE_SIG_TIME_AGO,     /* a duration in the past follows: "hace", "il y a", "منذ" */
	TRIAGE_SIG_BLOCK,        /* nothing: hides the shorter phrases it contains */
	TRIAGE_NSIGNAL
};

/* One entry of a phrase table. */
struct triage_phrase {
	const char *text;       /* written naturally; folded when the rules are built */
	char lang[3];           /* ISO 639-1 */
	unsigned char category; /* enum triage_category that the phrase is evidence for */
	unsigned char weight;   /* how much evidence (0: none) */
	unsigned char signal;   /* enum triage_signal */
	unsigned char scope;    /* the signal counts only in this category (GENERAL: any) */
	unsigned char deadline; /* a time the phrase names is a deadline ("within", "avant") */
	unsigned char request;  /* REQUEST: what is asked, enum triage_request */
	unsigned short facts;   /* TRIAGE_FACT_* the phrase states, for the policy */
};

/* What a phrase states about the case, read by the policy (triage.c,
 * policy[]) rather than the matrix: a minor, a person missing. */
enum {
	TRIAGE_FACT_MINOR = 1,   /* "child", "mineur", "niña", "قاصر"; also "14-year-old" */
	TRIAGE_FACT_MISSING = 2, /* "missing", "disparue", "desaparecido", "مفقود", "abducted" */
	TRIAGE_FACT_LABEL = 4,   /* IMMEDIATE that only labels a message: "URGENT", "عاجل" */
	TRIAGE_FACT_PLAN = 8,    /* an attack threatened or planned: "bomb threat" */
	TRIAGE_FACT_RED = 16,    /* a red notice: "red notice", "notificación roja" */
	TRIAGE_FACT_FOUND = 32,   /* a person just identified, stopped or located: "intercepted" */
	TRIAGE_FACT_SETTLED = 64, /* a person living or working somewhere: "resides at" */
	TRIAGE_FACT_FYI = 128, /* information only, of any kind: "for information", "للعلم" */
	TRIAGE_FACT_CRIME = 256, /* a crime or an investigation: "homicide", "estafa", "تزوير" */
	TRIAGE_FACT_FORECAST = 512, /* a disaster to come: "expected to make landfall", "devrait" */
	TRIAGE_FACT_LIFE = 1024, /* lives at risk now: "trapped", "sous les décombres", "عالقين" */
	TRIAGE_FACT_RECORDS = 2048, /* records to identify someone: "dental records", "ADN" */
};

/* What a request asks for. */
enum triage_request {
	TRIAGE_REQ_NONE,
	TRIAGE_REQ_CHECK,  /* check a document, a person, a vehicle */
	TRIAGE_REQ_LOCATE, /* find a person */
	TRIAGE_REQ_INFO,   /* information asked */
	TRIAGE_REQ_ARREST, /* confirm an arrest */
	TRIAGE_NREQ
};

/* The shipped phrase table (triage-lexicon.c). */
extern const struct triage_phrase triage_phrases[];
extern const size_t triage_nphrases;

/* Compiled rules: a phrase table and its automaton. */
struct triage_rules;

/* Compile a phrase table (which must outlive the rules). NULL when out of memory. */
struct triage_rules *triage_rules_new(const struct triage_phrase *p, size_t n);
void triage_rules_free(struct triage_rules *r);
/* The shipped rules, compiled on first use (thread-safe) and kept until exit. */
const struct triage_rules *triage_rules_default(void);

struct triage_config {
	long due_seconds[4];              /* P1..P4; defaults 900, 3600, 28800, 259200 */
	const struct triage_rules *rules; /* NULL: triage_rules_default() */
};

/* Fill cfg with the defaults. */
void triage_config_init(struct triage_config *cfg);
/* Set the times to act from "P1=15m,P2=1h,..." (s, m, h, d; a bare number
 * is seconds): 0, or -1 for anything else. */
int triage_config_parse_due(struct triage_config *cfg, const char *arg);

/*
 * Assess a message record. Consumes message (pass jv_copy(msg) to keep
 * yours; that costs a reference count, not a copy). cfg NULL means the
 * defaults; now stands in for a missing or unreadable received_at. Returns
 * the triage object; a message that is not an object gets a general P4
 * assessment with the reason "input:not an object".
 */
jv triage_assess(jv message, time_t now, const struct triage_config *cfg);

/* The message with its "triage" field set (replaced if present). Consumes message. */
jv triage_annotate(jv message, time_t now, const struct triage_config *cfg);

/* When a message's CAP alert expires: the latest "expires" of its info
 * blocks; 0 when one never does, or it carries no CAP. */
time_t triage_cap_expires(jv message);

/* "terrorism", …, "general"; and "P1".."P4" for priority 1..4. */
const char *triage_category_name(enum triage_category c);
const char *triage_priority_name(int priority);

#endif
