/*
 * deploy-plan.h: choosing a team (IRT or IMEST) for a period and a country.
 *
 * Hard constraints, checked for each person: the readiness training of the
 * kind (and any other required course) valid for the whole period; available
 * for the whole period; not booked on another deployment that overlaps it;
 * a passport valid at least six months past the end. A team has at most
 * size members and at least one team lead.
 *
 * Among the teams that satisfy them, the best is, in this order: the fewest
 * needs left unmet (members per skill, languages asked for), then the fewest
 * of the country's official languages left uncovered, then the fewest
 * members, then the least recently deployed (the smallest sum of recency
 * ranks: rank 0 is the person deployed longest ago or never). The search is
 * exact: branch and bound over the people who contribute something, grouped
 * by what they contribute (within a group only the least recently deployed
 * are tried, in order), with bounds from each remaining person's own gain.
 * Ties go to the first team found, in a fixed order: deterministic.
 */
#ifndef CCC_DEPLOY_PLAN_H
#define CCC_DEPLOY_PLAN_H

#include <stddef.h>
#include <time.h>

#include <jv.h>

#include "ccc/deploy-roster.h"

enum deploy_kind { DEPLOY_IRT, DEPLOY_IMEST };

#define DEPLOY_MAX_SIZE      32
#define DEPLOY_MAX_NEED_LANG 16

struct deploy_request {
	int kind;                 /* enum deploy_kind */
	const char *for_what;     /* the incident or event */
	char country[3];          /* ISO 3166 alpha-2 */
	time_t from, to;          /* the period, [from, to) */
	int size;                 /* at most this many members (1 ... DEPLOY_MAX_SIZE) */
	int need[DEPLOY_NSKILLS]; /* members wanted with each skill */
	int nlangs;               /* languages asked for */
	char langs[DEPLOY_MAX_NEED_LANG][3];
	int nofficial; /* the country's official languages not asked for */
	char official[DEPLOY_MAX_NEED_LANG][3];
	unsigned require; /* more courses required: bits (1u << enum deploy_training) */
	int min_level;    /* least level that covers a language (deploy_level) */
};

/* Fill rq's official languages from its country (those not in langs). */
void deploy_request_officials(struct deploy_request *rq);

/* A plan as asked on the command line: each field NULL when not given
 * (kind: irt or imest, default irt; min_level default B2); needs
 * "SKILL=COUNT,...", langs "fr,ar", require "COURSE,...". */
struct deploy_ask {
	const char *kind, *for_what, *country, *from, *to;
	const char *needs, *langs, *require, *min_level;
	long size;
};

/* Fill rq from ask (rq keeps pointers into ask's strings), official
 * languages too. Returns 0, or -1 with the reason in why (a usage error:
 * "--need: 'x' is not a skill (...)"). */
int deploy_request_parse(struct deploy_request *rq, const struct deploy_ask *ask, char *why,
			 size_t wn);

enum deploy_fail {
	FAIL_TRAINING = 1,    /* a course missing or not valid to the end */
	FAIL_UNAVAILABLE = 2, /* an unavailability window overlaps */
	FAIL_BOOKED = 4,      /* on another deployment that overlaps */
	FAIL_PASSPORT = 8,    /* no passport, or valid less than 6 months past the end */
};

/* The courses every member needs: those the catalogue names for the kind
 * of team (training-catalog.h), and those asked with --require. */
unsigned deploy_courses_needed(const struct deploy_request *rq);

/*
 * Can p go? 0 when eligible; else the FAIL_* bits, with the reasons ("; "
 * between them) written into why. Bookings of p whose id is skip (the
 * deployment being re-checked) are ignored; skip may be NULL.
 */
unsigned deploy_check_person(const struct deploy_request *rq, const struct deploy_person *p,
			     const char *skip, char *why, size_t n);
/* 1 if p speaks lang at rq's least level or better. */
int deploy_speaks(const struct deploy_person *p, const char *lang, int min_level);

struct deploy_team {
	int found;                   /* 0: no team possible (no eligible team lead) */
	int n;                       /* members */
	int member[DEPLOY_MAX_SIZE]; /* indices into people, ascending */
	int unmet, unmet_official;   /* needs left: members per skill and languages */
	long rank_sum;
	int eligible, candidates, groups;
	long long nodes;
	int optimal; /* 0 when the search stopped at its node limit */
};

/* Search the best team among people[0..n). Returns 0. */
int deploy_solve(const struct deploy_request *rq, const struct deploy_person *people, size_t n,
		 struct deploy_team *team);

/*
 * The plan record for team (without id, status and times): kind, for,
 * country, starts_at, ends_at, size, needs, members with what each covers,
 * unmet needs with the reason of each, the people excluded who would have
 * contributed and why, "complete", and the search figures. When no team is
 * possible, "feasible": false and *impossible gets the constraint that could
 * not be met (caller frees).
 */
jv deploy_plan_record(const struct deploy_request *rq, const struct deploy_person *people, size_t n,
		      const struct deploy_team *team, char **impossible);

/* The period as "2026-12-01..2026-12-10" (the last day is the one the period
 * ends in) into out[32]. */
void deploy_format_period(time_t from, time_t to, char *out);

#endif
