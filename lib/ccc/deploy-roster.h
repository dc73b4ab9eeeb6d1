/*
 * deploy-roster.h: the staff who can be deployed, and their records.
 *
 * A staff record (type "staff", v 1) is normalised before it is stored:
 *
 *   {"type":"staff","v":1,"id":"s-0042","name":"Amina Haddad","site":"lyon",
 *    "languages":[{"lang":"ar","level":"native"},{"lang":"fr","level":"C1"}],
 *    "skills":["forensics","team_lead"],
 *    "trainings":[{"course":"irt_readiness","expires":"2027-05-01"}],
 *    "passport_expires":"2031-02-28",
 *    "unavailable":[{"from":"2026-12-24","to":"2026-12-31","reason":"leave"}]}
 *
 * Skills and courses come from the catalogue (training-catalog.h), sites
 * from a fixed list; languages are
 * ISO 639-1 with a CEFR level (A1 ... C2) or "native"; dates are YYYY-MM-DD
 * (a date is valid through its whole day, UTC) or RFC 3339 times. Fields the
 * roster does not know are kept. A list may also be given as one string with
 * ';' between the items ("fr:C1;en:native", "irt_readiness:2027-05-01",
 * "2026-12-24/2026-12-31"), as in a CSV cell, or, for languages and
 * trainings, as an object ({"fr": "C1"}). Store functions run inside a transaction
 * for writes, print the reason of a failure and return an exit code.
 */
#ifndef CCC_DEPLOY_ROSTER_H
#define CCC_DEPLOY_ROSTER_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/store.h"
#include "ccc/training-catalog.h"

/* The slots of the shipped skills and courses (training-catalog.h); the
 * catalogue may hold more, up to TRAINING_SLOTS of each. */
enum deploy_skill {
	SKILL_DVI,
	SKILL_FORENSICS,
	SKILL_COUNTER_TERRORISM,
	SKILL_FUGITIVE,
	SKILL_CYBERCRIME,
	SKILL_DATABASE,
	SKILL_FIREARMS,
	SKILL_CRISIS,
	SKILL_LIAISON,
	SKILL_TEAM_LEAD,
};
#define DEPLOY_NSKILLS TRAINING_SLOTS

enum deploy_training {
	TRAINING_IRT,
	TRAINING_IMEST,
	TRAINING_HOSTILE,
	TRAINING_FIRST_AID,
};
#define DEPLOY_NTRAININGS TRAINING_SLOTS

/* "forensics" <-> SKILL_FORENSICS ...; -1 for an unknown name (the
 * catalogue, training-catalog.h). */
int deploy_skill_by_name(const char *name);
const char *deploy_skill_name(int skill);
/* "irt_readiness" <-> TRAINING_IRT ...; -1 for an unknown name. */
int deploy_training_by_name(const char *name);
const char *deploy_training_name(int training);
/* "A1" 1 ... "C2" 6, "native" 7; -1 otherwise. */
int deploy_level(const char *level);
/* 1 for lyon, buenos-aires, singapore. */
int deploy_known_site(const char *site);
/* The list of known names, comma-separated, for messages. */
const char *deploy_skill_list(void);
const char *deploy_training_list(void);

/*
 * Parse a date or time. "YYYY-MM-DD" is the start of that day (UTC), or with
 * end set the start of the next day (a date ends after its last second);
 * RFC 3339 is taken as is. Returns 0, or -1.
 */
int deploy_parse_when(const char *s, int end, time_t *out);
/* t as "YYYY-MM-DD" (UTC) into out[11]. */
void deploy_format_day(time_t t, char *out);
/* t plus months calendar months (the day clamped to the month's last). */
time_t deploy_add_months(time_t t, int months);

#define DEPLOY_MAX_LANGS   16
#define DEPLOY_MAX_WINDOWS 32
#define DEPLOY_ID_MAX      64

struct deploy_window {
	time_t from, to;          /* [from, to) */
	char what[DEPLOY_ID_MAX]; /* a reason, or the deployment's id */
};

/* A staff member as the planner sees one. */
struct deploy_person {
	char id[DEPLOY_ID_MAX];
	char name[128];
	char site[16];
	unsigned skills; /* bit (1u << enum deploy_skill) */
	int nlangs;
	char lang[DEPLOY_MAX_LANGS][3];
	int level[DEPLOY_MAX_LANGS];
	time_t training_until[DEPLOY_NTRAININGS]; /* end of validity; 0: none */
	time_t passport_until;                    /* 0: no passport on record */
	int nunavailable;
	struct deploy_window unavailable[DEPLOY_MAX_WINDOWS];
	int nbooked; /* other deployments that end after the period asked about */
	struct deploy_window booked[DEPLOY_MAX_WINDOWS];
	time_t last_deployed; /* end of the latest deployment; 0: never */
};

/*
 * Check and normalise a staff record. Consumes rec; returns the normalised
 * record, or jv_invalid() with the reason written.
 */
jv deploy_staff_normalize(jv rec, char *reason, size_t rlen);
/* Fill p from a normalised record (not consumed); bookings are left empty. */
void deploy_person_from_record(jv rec, struct deploy_person *p);

/* Insert or replace a normalised record (consumed). add: refuse (65) an id
 * that exists. *changed tells whether the stored record differs. */
int deploy_staff_put(struct store *s, jv rec, int add, int *changed);
/* The stored record of id: 0 and *rec, or 66 (warned) when there is none. */
int deploy_staff_get(struct store *s, const char *id, jv *rec);
/*
 * Every staff member, with the deployments (approved, active, or past) that
 * end after booked_after, and the end of their latest deployment. The caller
 * frees *people. Returns 0 or an exit code.
 */
int deploy_staff_load(struct store *s, time_t booked_after, struct deploy_person **people,
		      size_t *n);

/* What 'staff add' or 'staff update' sets; NULL for what is not given.
 * Lists are comma-separated: langs "fr:C1,en:native", skills
 * "forensics,team_lead", trainings "irt_readiness:2027-05-01",
 * unavailable "2026-12-24/2026-12-31". */
struct deploy_staff_change {
	const char *name, *site, *passport;
	const char *langs, *skills, *trainings, *unavailable;
};

/*
 * rec (consumed) with the change applied, not yet normalised. update: a
 * language or course given replaces the one of the same code and the others
 * stay, unavailability is added to; else each list given is the whole list.
 */
jv deploy_staff_change(jv rec, const struct deploy_staff_change *c, int update);

/*
 * Add staff id with change c, or (add 0) update the stored record with it,
 * normalised, in one transaction; *out gets the stored record. 64 with the
 * reason in why when the result is no valid record (nothing stored), 65 for
 * add of an id that exists, 66 for update of an unknown id (warned), or
 * another exit code.
 */
int deploy_staff_write(struct store *s, const char *id, const struct deploy_staff_change *c,
		       int add, jv *out, char *why, size_t wn);

/* The deployment p is booked on at t, or NULL. */
const char *deploy_booked_at(const struct deploy_person *p, time_t t);
/* Why p is away at t ("unavailable" when no reason was given), or NULL. */
const char *deploy_away_at(const struct deploy_person *p, time_t t);
/*
 * The kinds of team p is ready for at now (bit 1: irt, bit 2: imest): every
 * course the catalogue names for the kind is valid today and through the
 * end of p's next deployment. why (n bytes) gets the first reason a kind
 * fails ("irt_readiness expired 2026-05-31"). Pure, over the catalogue.
 */
unsigned deploy_ready_kinds(const struct deploy_person *p, time_t now, char *why, size_t n);
/* The member's state at now (with "ready_for": ["irt", "imest"] and, when
 * ready for neither, "not_ready": the reason): {"deployment", "unavailable", "last_deployed",
 * "trainings_valid": [...], "trainings_expired": [...]}. */
jv deploy_staff_state(const struct deploy_person *p, time_t now);
/* p's languages as "fr:C1,en:N" into out (n bytes). */
void deploy_person_langs(const struct deploy_person *p, char *out, size_t n);

#endif
