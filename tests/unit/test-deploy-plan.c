/*
 * test-deploy-plan: who may go (training, availability, bookings, passport),
 * and the team search: coverage first, then fewer members, then the least
 * recently deployed; exact against a brute force over every team on random
 * rosters; deterministic whatever the order of the roster.
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/deploy-plan.h"
#include "ccc/deploy-roster.h"
#include "ccc/json.h"
#include "tap.h"

static time_t day(const char *d)
{
	time_t t = 0;
	deploy_parse_when(d, 0, &t);
	return t;
}

/* A person ready for anything in 2026-2027, with the given skills and languages. */
static void person(struct deploy_person *p, const char *id, unsigned skills, const char *langs)
{
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", id);
	snprintf(p->name, sizeof p->name, "Person %s", id);
	snprintf(p->site, sizeof p->site, "lyon");
	p->skills = skills;
	for (const char *l = langs; l && *l; l += l[2] == ',' ? 3 : 2) {
		memcpy(p->lang[p->nlangs], l, 2);
		p->lang[p->nlangs][2] = '\0';
		p->level[p->nlangs++] = 5; /* C1 */
	}
	p->training_until[TRAINING_IRT] = day("2028-01-01");
	p->training_until[TRAINING_IMEST] = day("2028-01-01");
	p->passport_until = day("2032-01-01");
}

static void request(struct deploy_request *rq, const char *from, const char *to, int size)
{
	memset(rq, 0, sizeof *rq);
	rq->kind = DEPLOY_IRT;
	rq->for_what = "INC-1";
	memcpy(rq->country, "FR", 3);
	deploy_parse_when(from, 0, &rq->from);
	deploy_parse_when(to, 1, &rq->to);
	rq->size = size;
	rq->min_level = 4;
}

#define LEAD (1u << SKILL_TEAM_LEAD)
#define DVI  (1u << SKILL_DVI)
#define FOR  (1u << SKILL_FORENSICS)
#define CYB  (1u << SKILL_CYBERCRIME)

static void eligibility(void)
{
	struct deploy_request rq;
	struct deploy_person p;
	char why[512];
	request(&rq, "2026-12-01", "2026-12-10", 4);

	person(&p, "a", LEAD, "fr");
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), 0, "a ready person may go");

	p.training_until[TRAINING_IRT] = day("2026-11-01");
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), FAIL_TRAINING,
	       "expired training excludes");
	is_str(why, "irt_readiness expired 2026-10-31",
	       "the reason names the course and its expiry");
	p.training_until[TRAINING_IRT] = day("2026-12-06"); /* expires 2026-12-05 */
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), FAIL_TRAINING,
	       "training expiring during the deployment excludes");
	is_str(why, "irt_readiness expires 2026-12-05, before the end (2026-12-10)",
	       "soon-expiring reason");
	deploy_parse_when("2026-12-10", 1, &p.training_until[TRAINING_IRT]);
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), 0,
	       "training valid through the last day is enough");
	p.training_until[TRAINING_IRT] = 0;
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), FAIL_TRAINING,
	       "no training excludes");
	is_str(why, "no irt_readiness on record", "missing course reason");
	rq.kind = DEPLOY_IMEST;
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), 0,
	       "an IMEST needs imest_readiness instead");
	rq.require = 1u << TRAINING_HOSTILE;
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), FAIL_TRAINING,
	       "a required course (hostile_environment) is checked too");
	rq.require = 0;
	rq.kind = DEPLOY_IRT;

	person(&p, "b", LEAD, "fr");
	deploy_parse_when("2027-06-10", 1, &p.passport_until);
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), 0,
	       "a passport valid exactly 6 months past the end is enough");
	deploy_parse_when("2027-06-09", 1, &p.passport_until);
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), FAIL_PASSPORT,
	       "a passport valid one day short of 6 months excludes");
	is_str(
	    why,
	    "passport expires 2027-06-09; it must be valid to 2027-06-10 (6 months after the end)",
	    "passport reason");
	p.passport_until = 0;
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), FAIL_PASSPORT,
	       "no passport excludes");

	person(&p, "c", LEAD, "fr");
	p.unavailable[0] = (struct deploy_window){day("2026-12-10"), day("2026-12-12"), "leave"};
	p.nunavailable = 1;
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), FAIL_UNAVAILABLE,
	       "unavailable on the last day excludes");
	is_str(why, "unavailable 2026-12-10..2026-12-11: leave", "unavailability reason");
	p.unavailable[0] = (struct deploy_window){day("2026-12-11"), day("2026-12-20"), "leave"};
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), 0,
	       "unavailable from the day after is fine");

	person(&p, "d", LEAD, "fr");
	p.booked[0] = (struct deploy_window){day("2026-11-25"), day("2026-12-02"), "dep-lyon-4"};
	p.nbooked = 1;
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), FAIL_BOOKED,
	       "a deployment overlapping the first day excludes (no double booking)");
	is_str(why, "on deployment dep-lyon-4 2026-11-25..2026-12-01", "booking reason");
	is_int(deploy_check_person(&rq, &p, "dep-lyon-4", why, sizeof why), 0,
	       "the deployment being re-checked does not count against itself");
	p.booked[0] = (struct deploy_window){day("2026-11-25"), day("2026-12-01"), "dep-lyon-4"};
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), 0,
	       "a deployment ending at the start is fine");
	person(&p, "e", LEAD, "fr");
	p.training_until[TRAINING_IRT] = day("2026-11-01");
	p.passport_until = 0;
	is_int(deploy_check_person(&rq, &p, NULL, why, sizeof why), FAIL_TRAINING | FAIL_PASSPORT,
	       "every failed constraint is reported");
}

static int has(const struct deploy_team *t, const struct deploy_person *p, const char *id)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(p[t->member[i]].id, id))
			return 1;
	return 0;
}

static void search(void)
{
	struct deploy_person p[8];
	struct deploy_request rq;
	struct deploy_team t;
	request(&rq, "2026-12-01", "2026-12-10", 4);
	rq.need[SKILL_DVI] = 2;
	rq.need[SKILL_FORENSICS] = 1;

	person(&p[0], "s1", LEAD, "en");
	person(&p[1], "s2", DVI, "en");
	person(&p[2], "s3", DVI | FOR, "en");
	person(&p[3], "s4", DVI, "en");
	person(&p[4], "s5", LEAD | DVI, "en");
	deploy_solve(&rq, p, 5, &t);
	ok(t.found && t.optimal, "a team is found, provably the best");
	is_int(t.unmet, 0, "every need is covered");
	is_int(t.n, 2, "the fewest members: a lead with DVI and a DVI forensic expert");
	ok(has(&t, p, "s5") && has(&t, p, "s3"), "s5 and s3 are chosen");

	/* the least recently deployed wins among equals */
	p[1].last_deployed = day("2026-01-01");
	p[3].last_deployed = day("2025-01-01");
	rq.need[SKILL_FORENSICS] = 0;
	rq.need[SKILL_DVI] = 3;
	p[4].skills = LEAD;
	deploy_solve(&rq, p, 5, &t);
	is_int(t.n, 4, "lead + three DVI experts");
	rq.size = 3;
	deploy_solve(&rq, p, 5, &t);
	is_int(t.unmet, 1, "with a size limit of 3, one DVI expert is missing");
	ok(has(&t, p, "s3") && has(&t, p, "s4") && !has(&t, p, "s2"),
	   "of the DVI experts, those deployed least recently (never, then 2025) go");
	ok(has(&t, p, "s1"), "the lead deployed longest ago (never) is chosen");

	/* a team lead is required */
	p[0].skills = 0;
	p[4].skills = 0;
	deploy_solve(&rq, p, 5, &t);
	ok(!t.found, "no team without a team lead");
	char *impossible = NULL;
	jv rec = deploy_plan_record(&rq, p, 5, &t, &impossible);
	is_str(impossible, "no staff member on the roster is a team lead", "the reason says so");
	free(impossible);
	jv_free(rec);
	p[0].skills = LEAD;
	p[0].training_until[TRAINING_IRT] = day("2026-12-05");
	deploy_solve(&rq, p, 5, &t);
	rec = deploy_plan_record(&rq, p, 5, &t, &impossible);
	static const char want[] =
	    "no team lead with valid irt_readiness available 2026-12-01..2026-12-10: "
	    "s1 irt_readiness expires 2026-12-04";
	ok(impossible && !strncmp(impossible, want, strlen(want)),
	   "an impossible request names the constraint: %s", impossible ? impossible : "(none)");
	free(impossible);
	jv_free(rec);

	/* languages: asked for outrank the country's official ones, which outrank size */
	request(&rq, "2026-12-01", "2026-12-10", 4);
	memcpy(rq.country, "CH", 3);
	memcpy(rq.langs[rq.nlangs++], "ar", 3);
	deploy_request_officials(&rq);
	is_int(rq.nofficial, 4, "Switzerland: de, fr, it, rm");
	person(&p[0], "l1", LEAD, "en");
	person(&p[1], "l2", 0, "ar");
	person(&p[2], "l3", 0, "de,fr");
	person(&p[3], "l4", LEAD, "it,ar");
	person(&p[4], "l5", 0, "rm");
	deploy_solve(&rq, p, 5, &t);
	is_int(t.unmet, 0, "Arabic (asked for) is covered");
	is_int(t.unmet_official, 0, "and all four official languages");
	is_int(t.n, 3, "with three members: l4, l3, l5");
	rq.size = 2;
	deploy_solve(&rq, p, 5, &t);
	is_int(t.unmet_official, 1, "two members leave one official language uncovered");
	ok(has(&t, p, "l4") && has(&t, p, "l3"), "the two who cover most");
	rec = deploy_plan_record(&rq, p, 5, &t, &impossible);
	jv unmet = jv_object_get(jv_copy(rec), jv_string("unmet"));
	jv first = jv_array_get(unmet, 0);
	is_str(jv_get_str(first, "reason"),
	       "the team is at its size limit (2 members): covering more needs would need more "
	       "members",
	       "an unmet need explains itself");
	jv_free(first);
	jv_free(rec);
}

/* ---- exactness: the same costs as a brute force over every team ---- */

struct cost {
	int u, o, size;
	long rank;
};

static int worse(struct cost a, struct cost b)
{
	if (a.u != b.u)
		return a.u > b.u;
	if (a.o != b.o)
		return a.o > b.o;
	if (a.size != b.size)
		return a.size > b.size;
	return a.rank > b.rank;
}

static unsigned rng = 12345;
static unsigned next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 16) & 0x7fff;
}

static int by_last(const void *a, const void *b, void *ctx)
{
	const struct deploy_person *p = ctx;
	int x = *(const int *)a, y = *(const int *)b;
	if (p[x].last_deployed != p[y].last_deployed)
		return p[x].last_deployed < p[y].last_deployed ? -1 : 1;
	return strcmp(p[x].id, p[y].id);
}

static void exactness(void)
{
	static const char *const pool[] = {"fr", "ar", "es", "en"};
	struct deploy_person p[16];
	struct deploy_request rq;
	struct deploy_team t;
	int mismatches = 0, runs = 0;
	for (int run = 0; run < 400; run++) {
		int n = 10 + (int)(next_rand() % 7);
		request(&rq, "2026-12-01", "2026-12-10", 2 + (int)(next_rand() % 4));
		memcpy(rq.country, "MA", 3);
		rq.need[SKILL_DVI] = (int)(next_rand() % 3);
		rq.need[SKILL_FORENSICS] = (int)(next_rand() % 3);
		rq.need[SKILL_CYBERCRIME] = (int)(next_rand() % 2);
		memcpy(rq.langs[rq.nlangs++], "fr", 3);
		if (next_rand() % 2)
			memcpy(rq.langs[rq.nlangs++], "es", 3);
		deploy_request_officials(&rq);
		for (int i = 0; i < n; i++) {
			char id[16], langs[16] = "";
			unsigned sk = 0;
			snprintf(id, sizeof id, "p%02d", i);
			if (next_rand() % 4 == 0)
				sk |= LEAD;
			if (next_rand() % 3 == 0)
				sk |= DVI;
			if (next_rand() % 3 == 0)
				sk |= FOR;
			if (next_rand() % 4 == 0)
				sk |= CYB;
			for (int k = 0; k < 4; k++)
				if (next_rand() % 3 == 0) {
					size_t len = strlen(langs);
					snprintf(langs + len, sizeof langs - len, "%s%s",
						 len ? "," : "", pool[k]);
				}
			person(&p[i], id, sk, langs);
			p[i].last_deployed = (time_t)(next_rand() % 5) * 86400 * 30;
			if (next_rand() % 6 == 0)
				p[i].training_until[TRAINING_IRT] = day("2026-12-04");
		}
		deploy_solve(&rq, p, (size_t)n, &t);
		/* brute force */
		int el[16], ne = 0, rank[16];
		char why[8];
		for (int i = 0; i < n; i++)
			if (!deploy_check_person(&rq, &p[i], NULL, why, 0))
				el[ne++] = i;
		qsort_r(el, (size_t)ne, sizeof el[0], by_last, p);
		for (int r = 0; r < ne; r++)
			rank[el[r]] = r;
		struct cost best = {1 << 20, 0, 0, 0};
		int found = 0;
		for (unsigned mask = 1; mask < (1u << ne); mask++) {
			if (__builtin_popcount(mask) > rq.size)
				continue;
			int count[DEPLOY_NSKILLS] = {0};
			unsigned langs = 0, off = 0;
			struct cost c = {0, 0, 0, 0};
			for (int r = 0; r < ne; r++) {
				if (!(mask & (1u << r)))
					continue;
				const struct deploy_person *q = &p[el[r]];
				for (int j = 0; j < DEPLOY_NSKILLS; j++)
					count[j] += (q->skills >> j) & 1;
				for (int k = 0; k < rq.nlangs; k++)
					langs |=
					    (unsigned)deploy_speaks(q, rq.langs[k], rq.min_level)
					    << k;
				for (int k = 0; k < rq.nofficial; k++)
					off |=
					    (unsigned)deploy_speaks(q, rq.official[k], rq.min_level)
					    << k;
				c.size++;
				c.rank += rank[el[r]];
			}
			if (!count[SKILL_TEAM_LEAD])
				continue;
			for (int j = 0; j < DEPLOY_NSKILLS; j++)
				if (count[j] < rq.need[j])
					c.u += rq.need[j] - count[j];
			c.u += rq.nlangs - __builtin_popcount(langs);
			c.o = rq.nofficial - __builtin_popcount(off);
			if (!found || worse(best, c)) {
				best = c;
				found = 1;
			}
		}
		runs++;
		if (found != t.found ||
		    (found && (best.u != t.unmet || best.o != t.unmet_official ||
			       best.size != t.n || best.rank != t.rank_sum))) {
			mismatches++;
			printf("# run %d: brute force %d/%d/%d/%ld, search %d/%d/%d/%ld\n", run,
			       best.u, best.o, best.size, best.rank, t.unmet, t.unmet_official, t.n,
			       t.rank_sum);
		}
	}
	is_int(mismatches, 0, "the search finds the brute force's best cost on %d random rosters",
	       runs);
}

static void determinism(void)
{
	struct deploy_person p[12], r[12];
	struct deploy_request rq;
	struct deploy_team a, b;
	request(&rq, "2026-12-01", "2026-12-10", 3);
	rq.need[SKILL_DVI] = 2;
	for (int i = 0; i < 12; i++) {
		char id[16];
		snprintf(id, sizeof id, "d%02d", i);
		person(&p[i], id, i % 3 == 0 ? LEAD | DVI : DVI, "fr");
	}
	for (int i = 0; i < 12; i++)
		r[i] = p[11 - i];
	deploy_solve(&rq, p, 12, &a);
	deploy_solve(&rq, r, 12, &b);
	int same = a.n == b.n;
	for (int i = 0; same && i < a.n; i++)
		same = has(&b, r, p[a.member[i]].id);
	ok(same, "the same team whatever the order of the roster");
	ok(has(&a, p, "d00") && has(&a, p, "d01") && a.n == 2,
	   "ties between equals go to the lowest ids: d00 (lead, DVI) and d01");
}

/* A plan asked on the command line, read into a request. */
static void asking(void)
{
	struct deploy_request rq;
	char why[256];
	struct deploy_ask a = {.for_what = "INC-1",
			       .country = "MA",
			       .from = "2026-12-01",
			       .to = "2026-12-10",
			       .size = 4,
			       .needs = "forensics=2,team_lead",
			       .langs = "fr,ar",
			       .require = "hostile_environment"};
	is_int(deploy_request_parse(&rq, &a, why, sizeof why), 0, "a full request");
	ok(rq.kind == DEPLOY_IRT && rq.size == 4 && !strcmp(rq.country, "MA"), "irt by default");
	ok(rq.need[SKILL_FORENSICS] == 2 && rq.need[SKILL_TEAM_LEAD] == 1,
	   "a count, or one when none is given");
	ok(rq.nlangs == 2 && !strcmp(rq.langs[1], "ar"), "the languages asked");
	ok(rq.require == 1u << TRAINING_HOSTILE, "the course required");
	is_int(rq.min_level, deploy_level("B2"), "B2 by default");
	ok(rq.to - rq.from == 10 * 86400, "a date ends after its last second");
	a.needs = "juggling=1";
	is_int(deploy_request_parse(&rq, &a, why, sizeof why), -1, "an unknown skill");
	ok(!strncmp(why, "--need: 'juggling' is not a skill (", 35), "is named: %s", why);
	a.needs = "forensics=99";
	is_int(deploy_request_parse(&rq, &a, why, sizeof why), -1, "a count too large");
	a.needs = NULL;
	a.langs = "french";
	is_int(deploy_request_parse(&rq, &a, why, sizeof why), -1, "a language that is no code");
	is_str(why, "--lang: 'french' is not an ISO 639-1 code such as fr", "is named");
	a.langs = NULL;
	a.to = "2026-11-30";
	is_int(deploy_request_parse(&rq, &a, why, sizeof why), -1, "an end before the start");
	a.for_what = NULL;
	is_int(deploy_request_parse(&rq, &a, why, sizeof why), -1, "no --for");
	is_str(why, "give --for, --country, --from and --to", "says what is needed");
}

int main(void)
{
	asking();
	eligibility();
	search();
	exactness();
	determinism();
	return tap_done();
}
