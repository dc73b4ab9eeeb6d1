/*
 * deploy-plan.c: who may go, and the exact search for the best team.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/deploy-languages.h"
#include "ccc/deploy-plan.h"
#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/opts.h"
#include "ccc/training-catalog.h"
#include "ccc/xmalloc.h"

#define NODE_LIMIT 20000000LL /* a safety stop; the result then says optimal: false */
#define MAX_GAIN   64         /* one person's gain: at most 32 skills + 2 x 16 languages */

void deploy_format_period(time_t from, time_t to, char *out)
{
	char a[11], b[11];
	deploy_format_day(from, a);
	deploy_format_day(to > from ? to - 1 : to, b);
	snprintf(out, 32, "%s..%s", a, b);
}

void deploy_request_officials(struct deploy_request *rq)
{
	const char *list = deploy_official_languages(rq->country);
	rq->nofficial = 0;
	for (const char *p = list; p && *p && rq->nofficial < DEPLOY_MAX_NEED_LANG;) {
		char l[3] = {p[0], p[1], 0};
		int asked = 0;
		for (int i = 0; i < rq->nlangs; i++)
			asked |= !strcmp(rq->langs[i], l);
		if (!asked)
			memcpy(rq->official[rq->nofficial++], l, 3);
		p += p[2] == ',' ? 3 : 2;
	}
}

int deploy_speaks(const struct deploy_person *p, const char *lang, int min_level)
{
	for (int i = 0; i < p->nlangs; i++)
		if (!strcmp(p->lang[i], lang))
			return p->level[i] >= min_level;
	return 0;
}

static void add_reason(char *why, size_t n, const char *fmt, const char *a, const char *b,
		       const char *c)
{
	if (!n)
		return; /* the caller wants the verdict only: why is not a string */
	size_t len = strlen(why);
	if (len + 3 >= n)
		return;
	if (len) {
		memcpy(why + len, "; ", 3);
		len += 2;
	}
	snprintf(why + len, n - len, fmt, a, b, c);
}

unsigned deploy_courses_needed(const struct deploy_request *rq)
{
	return rq->require | training_courses_for(rq->kind == DEPLOY_IMEST ? "imest" : "irt");
}

unsigned deploy_check_person(const struct deploy_request *rq, const struct deploy_person *p,
			     const char *skip, char *why, size_t n)
{
	unsigned fail = 0;
	unsigned courses = deploy_courses_needed(rq);
	char day[11], period[32], end[11];
	if (n)
		why[0] = '\0';
	deploy_format_day(rq->to - 1, end);
	for (int k = 0; k < DEPLOY_NTRAININGS; k++) {
		if (!(courses & (1u << k)))
			continue;
		time_t until = p->training_until[k];
		if (until >= rq->to)
			continue;
		fail |= FAIL_TRAINING;
		if (!until) {
			add_reason(why, n, "no %s on record", deploy_training_name(k), NULL, NULL);
			continue;
		}
		deploy_format_day(until - 1, day);
		add_reason(why, n,
			   until <= rq->from ? "%s expired %s"
					     : "%s expires %s, before the end (%s)",
			   deploy_training_name(k), day, end);
	}
	for (int i = 0; i < p->nunavailable; i++) {
		const struct deploy_window *w = &p->unavailable[i];
		if (w->from < rq->to && w->to > rq->from) {
			fail |= FAIL_UNAVAILABLE;
			deploy_format_period(w->from, w->to, period);
			add_reason(why, n, "unavailable %s%s%s", period, w->what[0] ? ": " : "",
				   w->what);
		}
	}
	for (int i = 0; i < p->nbooked; i++) {
		const struct deploy_window *w = &p->booked[i];
		if (w->from < rq->to && w->to > rq->from && (!skip || strcmp(skip, w->what) != 0)) {
			fail |= FAIL_BOOKED;
			deploy_format_period(w->from, w->to, period);
			add_reason(why, n, "on deployment %s %s", w->what, period, NULL);
		}
	}
	time_t need = deploy_add_months(rq->to, 6);
	if (!p->passport_until) {
		fail |= FAIL_PASSPORT;
		add_reason(why, n, "no passport on record", NULL, NULL, NULL);
	} else if (p->passport_until < need) {
		fail |= FAIL_PASSPORT;
		deploy_format_day(p->passport_until - 1, day);
		deploy_format_day(need - 1, end);
		add_reason(why, n,
			   "passport expires %s; it must be valid to %s (6 months after the end)",
			   day, end, NULL);
	}
	return fail;
}

/* ---- the search ---- */

struct cand {
	int person;
	int rank;          /* recency rank among the eligible */
	unsigned skills;   /* needed skills they have (team_lead always counts) */
	unsigned langs;    /* bits of rq->langs they speak */
	unsigned official; /* bits of rq->official they speak */
	int group;
};

struct search {
	const struct deploy_request *rq;
	struct cand *c;
	int m, cap;
	int *next_group;  /* index of the first candidate of the next group */
	int *leads_after; /* team leads among c[i..m) */
	int *avail_after; /* [i * DEPLOY_NSKILLS + j]: candidates in c[i..m) with skill j */
	unsigned *langs_after, *official_after; /* languages spoken in c[i..m) */
	int count[DEPLOY_NSKILLS];
	unsigned langs, official;
	int size;
	long rank_sum;
	int chosen[DEPLOY_MAX_SIZE];
	int best_found, best_u, best_o, best_size;
	long best_rank;
	int best[DEPLOY_MAX_SIZE];
	long long nodes;
	int stopped;
};

static int popcount(unsigned x)
{
	return __builtin_popcount(x);
}

static int deficit_u(const struct search *s)
{
	int d = 0;
	for (int j = 0; j < DEPLOY_NSKILLS; j++)
		if (s->count[j] < s->rq->need[j])
			d += s->rq->need[j] - s->count[j];
	return d + s->rq->nlangs - popcount(s->langs);
}

static int deficit_o(const struct search *s)
{
	return s->rq->nofficial - popcount(s->official);
}

/* The skills still short of their need. */
static unsigned short_skills(const struct search *s)
{
	unsigned m = 0;
	for (int j = 0; j < DEPLOY_NSKILLS; j++)
		if (s->count[j] < s->rq->need[j])
			m |= 1u << j;
	return m;
}

/* What c would add to the needs now; short is short_skills(s). */
static int gain_u(const struct search *s, const struct cand *c, unsigned short_)
{
	return popcount(c->skills & short_) + popcount(c->langs & ~s->langs);
}

static int top_sum(const int *hist, int k)
{
	int sum = 0;
	for (int g = MAX_GAIN; g > 0 && k > 0; g--) {
		int t = hist[g] < k ? hist[g] : k;
		sum += t * g;
		k -= t;
	}
	return sum;
}

/* The sum of the k smallest ranks among c[i..m). */
static long least_ranks(const struct search *s, int i, int k)
{
	long r[DEPLOY_MAX_SIZE + 1];
	int n = 0;
	if (k <= 0)
		return 0;
	for (; i < s->m; i++) {
		long v = s->c[i].rank;
		if (n < k)
			n++;
		else if (v >= r[n - 1])
			continue;
		int j = n - 1;
		while (j > 0 && r[j - 1] > v) {
			r[j] = r[j - 1];
			j--;
		}
		r[j] = v;
	}
	long sum = 0;
	for (int j = 0; j < n; j++)
		sum += r[j];
	return sum;
}

/* What the candidates left can add to the needs (u) with k more members, at
 * most: no more than the k largest gains, and no more than k, the deficit
 * and the candidates left with that skill, per skill. */
static int cover_u(const struct search *s, const int *hist_u, const int *avail, int langs_left,
		   int k)
{
	int by_skill = k > 0 ? langs_left : 0;
	for (int j = 0; j < DEPLOY_NSKILLS; j++) {
		int d = s->rq->need[j] - s->count[j];
		if (d > avail[j])
			d = avail[j];
		if (d > k)
			d = k;
		if (d > 0)
			by_skill += d;
	}
	int top = top_sum(hist_u, k);
	return top < by_skill ? top : by_skill;
}

/* The official languages (o) the candidates left can add with k members. */
static int cover_o(const int *hist_o, int official_left, int k)
{
	int top = top_sum(hist_o, k);
	return top < official_left ? top : official_left;
}

/* 1 when no team under this node can be better than the best found. */
static int bounded(const struct search *s, int i)
{
	int hist_u[MAX_GAIN + 1] = {0}, hist_o[MAX_GAIN + 1] = {0};
	const int *avail = &s->avail_after[i * DEPLOY_NSKILLS];
	unsigned short_ = short_skills(s), official_missing = ~s->official;
	int slots = s->cap - s->size;
	for (int k = i; k < s->m; k++) {
		const struct cand *c = &s->c[k];
		hist_u[gain_u(s, c, short_)]++;
		hist_o[popcount(c->official & official_missing)]++;
	}
	int nl = popcount(s->langs_after[i] & ~s->langs);
	int no = popcount(s->official_after[i] & ~s->official);
	int du = deficit_u(s), dou = deficit_o(s);
	int lb_u = du - cover_u(s, hist_u, avail, nl, slots);
	int lb_o = dou - cover_o(hist_o, no, slots);
	if (lb_u > s->best_u)
		return 1;
	if (lb_u < s->best_u)
		return 0;
	if (lb_o > s->best_o)
		return 1;
	if (lb_o < s->best_o)
		return 0;
	/* A better team covers exactly as much: it needs k more members at least. */
	int k = s->count[SKILL_TEAM_LEAD] ? 0 : 1;
	while (k <= slots && (cover_u(s, hist_u, avail, nl, k) < du - s->best_u ||
			      cover_o(hist_o, no, k) < dou - s->best_o))
		k++;
	if (s->size + k > s->best_size)
		return 1;
	if (s->size + k == s->best_size && s->rank_sum + least_ranks(s, i, k) >= s->best_rank)
		return 1;
	return 0;
}

static void consider(struct search *s)
{
	if (!s->count[SKILL_TEAM_LEAD] || !s->size)
		return;
	int u = deficit_u(s), o = deficit_o(s);
	if (s->best_found) {
		if (u != s->best_u) {
			if (u > s->best_u)
				return;
		} else if (o != s->best_o) {
			if (o > s->best_o)
				return;
		} else if (s->size != s->best_size) {
			if (s->size > s->best_size)
				return;
		} else if (s->rank_sum >= s->best_rank) {
			return;
		}
	}
	s->best_found = 1;
	s->best_u = u;
	s->best_o = o;
	s->best_size = s->size;
	s->best_rank = s->rank_sum;
	memcpy(s->best, s->chosen, sizeof s->chosen);
}

static void dfs(struct search *s, int i)
{
	if (s->stopped || ++s->nodes > NODE_LIMIT) {
		s->stopped = 1;
		return;
	}
	consider(s);
	if (i >= s->m || s->size >= s->cap)
		return;
	if (!s->count[SKILL_TEAM_LEAD] && !s->leads_after[i])
		return;
	if (s->best_found && bounded(s, i))
		return;
	const struct cand *c = &s->c[i];
	/* with c, unless c would add nothing now (then it only adds a member) */
	if (!gain_u(s, c, short_skills(s)) && !(c->official & ~s->official) &&
	    (s->count[SKILL_TEAM_LEAD] || !(c->skills & (1u << SKILL_TEAM_LEAD)))) {
		dfs(s, s->next_group[i]);
		return;
	}
	for (int j = 0; j < DEPLOY_NSKILLS; j++)
		s->count[j] += (c->skills >> j) & 1;
	unsigned langs = s->langs, official = s->official;
	s->langs |= c->langs;
	s->official |= c->official;
	s->chosen[s->size++] = i;
	s->rank_sum += c->rank;
	dfs(s, i + 1);
	s->rank_sum -= c->rank;
	s->size--;
	s->langs = langs;
	s->official = official;
	for (int j = 0; j < DEPLOY_NSKILLS; j++)
		s->count[j] -= (c->skills >> j) & 1;
	/* without c, nor anyone after c in its group (they were deployed more recently) */
	dfs(s, s->next_group[i]);
}

struct eligible {
	int person;
	time_t last;
	const char *id;
};

static int by_recency(const void *a, const void *b)
{
	const struct eligible *x = a, *y = b;
	if (x->last != y->last)
		return x->last < y->last ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int cand_gain(const struct cand *c, const struct deploy_request *rq)
{
	int g = popcount(c->langs);
	for (int j = 0; j < DEPLOY_NSKILLS; j++)
		if ((c->skills & (1u << j)) && rq->need[j] > 0)
			g++;
	return g;
}

/* Most useful first; a group's members together, least recently deployed first. */
static int by_usefulness(const void *a, const void *b, void *rq)
{
	const struct cand *x = a, *y = b;
	int gx = cand_gain(x, rq), gy = cand_gain(y, rq);
	if (gx != gy)
		return gy - gx;
	int lx = (x->skills >> SKILL_TEAM_LEAD) & 1, ly = (y->skills >> SKILL_TEAM_LEAD) & 1;
	if (lx != ly)
		return ly - lx;
	if (popcount(x->official) != popcount(y->official))
		return popcount(y->official) - popcount(x->official);
	if (x->skills != y->skills)
		return x->skills < y->skills ? -1 : 1;
	if (x->langs != y->langs)
		return x->langs < y->langs ? -1 : 1;
	if (x->official != y->official)
		return x->official < y->official ? -1 : 1;
	return x->rank - y->rank;
}

static int group_cap(const struct deploy_request *rq, const struct cand *c, int size)
{
	int cap = c->langs || c->official ? 1 : 0;
	for (int j = 0; j < DEPLOY_NSKILLS; j++) {
		int want = rq->need[j] > 0 ? rq->need[j] : j == SKILL_TEAM_LEAD;
		if ((c->skills & (1u << j)) && want > cap)
			cap = want;
	}
	return cap < size ? cap : size;
}

/*
 * Leave out each candidate a whose contribution is contained in that of at
 * least group_cap(a) candidates deployed less recently than a (its
 * "dominators"). A best team with a would hold all of them (else swapping a
 * for one not in it covers as much with a smaller rank sum), and then a adds
 * nothing they do not already cover enough: the team without a is better.
 * Returns the number of candidates kept, in c[0..).
 */
static int drop_dominated(const struct deploy_request *rq, struct cand *c, int m, int size)
{
	char *keep = xcalloc((size_t)m + 1, 1);
	int kept = 0;
	for (int a = 0; a < m; a++) {
		int cap = group_cap(rq, &c[a], size), dominators = 0;
		for (int b = 0; b < m && dominators < cap; b++)
			if (c[b].rank < c[a].rank && (c[a].skills & ~c[b].skills) == 0 &&
			    (c[a].langs & ~c[b].langs) == 0 &&
			    (c[a].official & ~c[b].official) == 0)
				dominators++;
		keep[a] = dominators < cap;
	}
	for (int a = 0; a < m; a++)
		if (keep[a])
			c[kept++] = c[a];
	free(keep);
	return kept;
}

int deploy_solve(const struct deploy_request *rq, const struct deploy_person *people, size_t n,
		 struct deploy_team *team)
{
	struct eligible *el = xcalloc(n ? n : 1, sizeof *el);
	struct cand *c = xcalloc(n ? n : 1, sizeof *c);
	int ne = 0, m = 0;
	char why[8];
	memset(team, 0, sizeof *team);
	for (size_t i = 0; i < n; i++)
		if (!deploy_check_person(rq, &people[i], NULL, why, 0))
			el[ne++] = (struct eligible){(int)i, people[i].last_deployed, people[i].id};
	qsort(el, (size_t)ne, sizeof *el, by_recency);
	unsigned needed = 1u << SKILL_TEAM_LEAD;
	for (int j = 0; j < DEPLOY_NSKILLS; j++)
		if (rq->need[j] > 0)
			needed |= 1u << j;
	for (int r = 0; r < ne; r++) {
		const struct deploy_person *p = &people[el[r].person];
		struct cand x = {.person = el[r].person, .rank = r, .skills = p->skills & needed};
		for (int k = 0; k < rq->nlangs; k++)
			if (deploy_speaks(p, rq->langs[k], rq->min_level))
				x.langs |= 1u << k;
		for (int k = 0; k < rq->nofficial; k++)
			if (deploy_speaks(p, rq->official[k], rq->min_level))
				x.official |= 1u << k;
		if (x.skills || x.langs || x.official)
			c[m++] = x;
	}
	m = drop_dominated(rq, c, m, rq->size < DEPLOY_MAX_SIZE ? rq->size : DEPLOY_MAX_SIZE);
	qsort_r(c, (size_t)m, sizeof *c, by_usefulness, (void *)rq);
	/* keep in each group only as many as could ever be useful */
	int cap = rq->size < DEPLOY_MAX_SIZE ? rq->size : DEPLOY_MAX_SIZE, kept = 0, groups = 0;
	for (int i = 0; i < m;) {
		int j = i, limit = group_cap(rq, &c[i], cap);
		while (j < m && c[j].skills == c[i].skills && c[j].langs == c[i].langs &&
		       c[j].official == c[i].official)
			j++;
		for (int k = i; k < j && k - i < limit; k++) {
			c[kept] = c[k];
			c[kept++].group = groups;
		}
		groups++;
		i = j;
	}
	m = kept;
	struct search s = {.rq = rq, .c = c, .m = m, .cap = cap};
	s.next_group = xcalloc((size_t)m + 1, sizeof *s.next_group);
	s.leads_after = xcalloc((size_t)m + 1, sizeof *s.leads_after);
	s.avail_after = xcalloc(((size_t)m + 1) * DEPLOY_NSKILLS, sizeof *s.avail_after);
	s.langs_after = xcalloc((size_t)m + 1, sizeof *s.langs_after);
	s.official_after = xcalloc((size_t)m + 1, sizeof *s.official_after);
	for (int i = m - 1; i >= 0; i--) {
		s.next_group[i] =
		    i + 1 < m && c[i + 1].group == c[i].group ? s.next_group[i + 1] : i + 1;
		s.leads_after[i] =
		    s.leads_after[i + 1] + (int)((c[i].skills >> SKILL_TEAM_LEAD) & 1);
		for (int j = 0; j < DEPLOY_NSKILLS; j++)
			s.avail_after[i * DEPLOY_NSKILLS + j] =
			    s.avail_after[(i + 1) * DEPLOY_NSKILLS + j] +
			    (int)((c[i].skills >> j) & 1);
		s.langs_after[i] = s.langs_after[i + 1] | c[i].langs;
		s.official_after[i] = s.official_after[i + 1] | c[i].official;
	}
	dfs(&s, 0);
	team->found = s.best_found;
	team->eligible = ne;
	team->candidates = m;
	team->groups = groups;
	team->nodes = s.nodes;
	team->optimal = !s.stopped;
	if (s.best_found) {
		team->n = s.best_size;
		team->unmet = s.best_u;
		team->unmet_official = s.best_o;
		team->rank_sum = s.best_rank;
		for (int k = 0; k < s.best_size; k++)
			team->member[k] = c[s.best[k]].person;
		/* ascending person index, so the record lists members by id */
		for (int a = 1; a < team->n; a++)
			for (int b = a; b > 0 && team->member[b - 1] > team->member[b]; b--) {
				int t = team->member[b];
				team->member[b] = team->member[b - 1];
				team->member[b - 1] = t;
			}
	}
	free(s.next_group);
	free(s.leads_after);
	free(s.avail_after);
	free(s.langs_after);
	free(s.official_after);
	free(el);
	free(c);
	return 0;
}

/* ---- explaining the result ---- */

static const char *level_name(int level)
{
	static const char *const names[] = {"?", "A1", "A2", "B1", "B2", "C1", "C2", "native"};
	return level >= 0 && level <= 7 ? names[level] : "?";
}

/* The reasons people with a skill (skill >= 0) or a language were excluded,
 * counted: "2 training, 1 on another deployment". */
static void tally(const struct deploy_request *rq, const struct deploy_person *people, size_t n,
		  int skill, const char *lang, int *total, int *eligible, char *out, size_t on)
{
	int t = 0, e = 0, nt = 0, nu = 0, nb = 0, np = 0;
	char why[8];
	for (size_t i = 0; i < n; i++) {
		const struct deploy_person *p = &people[i];
		if (skill >= 0 ? !(p->skills & (1u << skill))
			       : !deploy_speaks(p, lang, rq->min_level))
			continue;
		t++;
		unsigned f = deploy_check_person(rq, p, NULL, why, 0);
		if (!f) {
			e++;
			continue;
		}
		nt += !!(f & FAIL_TRAINING);
		nu += !!(f & FAIL_UNAVAILABLE);
		nb += !!(f & FAIL_BOOKED);
		np += !!(f & FAIL_PASSPORT);
	}
	*total = t;
	*eligible = e;
	out[0] = '\0';
	size_t len = 0;
	const struct {
		int k;
		const char *what;
	} parts[] = {{nt, "training not valid to the end"},
		     {nu, "unavailable"},
		     {nb, "on another deployment"},
		     {np, "passport not valid 6 months past the end"}};
	for (size_t i = 0; i < 4; i++)
		if (parts[i].k && len + 2 < on)
			len += (size_t)snprintf(out + len, on - len, "%s%d %s", len ? ", " : "",
						parts[i].k, parts[i].what);
}

static jv unmet_item(const struct deploy_request *rq, const struct deploy_person *people, size_t n,
		     const char *need, const char *key, const char *val, int skill, int wanted,
		     int got, int members)
{
	int total, eligible;
	char counts[256], reason[512], what[80];
	tally(rq, people, n, skill, skill >= 0 ? NULL : val, &total, &eligible, counts,
	      sizeof counts);
	if (skill >= 0)
		snprintf(what, sizeof what, "%s", val);
	else
		snprintf(what, sizeof what, "who speak %s at %s or better", val,
			 level_name(rq->min_level));
	if (total == 0)
		snprintf(reason, sizeof reason, "no staff member %s%s on the roster",
			 skill >= 0 ? "with " : "", what);
	else if (eligible < wanted)
		snprintf(reason, sizeof reason, "%d of the %d staff %s%s can go (%s)", eligible,
			 total, skill >= 0 ? "with " : "", what,
			 counts[0] ? counts : "none excluded");
	else
		snprintf(reason, sizeof reason,
			 "the team is at its size limit (%d members): covering more needs would "
			 "need more members",
			 members);
	jv u = JV_OBJECT(jv_string("need"), jv_string(need), jv_string(key), jv_string(val));
	u = jv_object_set(u, jv_string("wanted"), jv_number(wanted));
	u = jv_object_set(u, jv_string("covered"), jv_number(got));
	return jv_object_set(u, jv_string("reason"), jv_string(reason));
}

static char *impossible_reason(const struct deploy_request *rq, const struct deploy_person *people,
			       size_t n)
{
	struct buf b = {0};
	char period[32], why[512];
	unsigned all = 0;
	int leads = 0;
	deploy_format_period(rq->from, rq->to, period);
	for (size_t i = 0; i < n; i++)
		if (people[i].skills & (1u << SKILL_TEAM_LEAD)) {
			leads++;
			all |= deploy_check_person(rq, &people[i], NULL, why, sizeof why);
		}
	if (!leads) {
		buf_adds(&b, "no staff member on the roster is a team lead");
	} else if (all == FAIL_TRAINING) {
		unsigned courses = deploy_courses_needed(rq);
		int first = 1;
		buf_adds(&b, "no team lead with valid ");
		for (int k = 0; k < DEPLOY_NTRAININGS; k++)
			if (courses & (1u << k)) {
				buf_adds(&b, first ? "" : " and ");
				buf_adds(&b, deploy_training_name(k));
				first = 0;
			}
		buf_adds(&b, " available ");
		buf_adds(&b, period);
	} else {
		const char *what = all == FAIL_UNAVAILABLE ? "available"
				   : all == FAIL_BOOKED    ? "free of other deployments"
				   : all == FAIL_PASSPORT
				       ? "with a passport valid 6 months past the end"
				       : "who can go";
		buf_adds(&b, "no team lead ");
		buf_adds(&b, what);
		buf_adds(&b, " ");
		buf_adds(&b, period);
	}
	int shown = 0;
	for (size_t i = 0; i < n && shown < 8; i++)
		if (people[i].skills & (1u << SKILL_TEAM_LEAD)) {
			deploy_check_person(rq, &people[i], NULL, why, sizeof why);
			buf_adds(&b, shown++ ? "; " : ": ");
			buf_adds(&b, people[i].id);
			buf_adds(&b, " ");
			buf_adds(&b, why);
		}
	if (leads > shown && shown)
		buf_adds(&b, "; ...");
	buf_addc(&b, '\0');
	return b.p;
}

jv deploy_plan_record(const struct deploy_request *rq, const struct deploy_person *people, size_t n,
		      const struct deploy_team *team, char **impossible)
{
	char from[RFC3339_LEN], to[RFC3339_LEN], why[1024];
	int count[DEPLOY_NSKILLS] = {0};
	unsigned langs = 0, official = 0;
	jv rec = jv_object();

	*impossible = NULL;
	clock_format(rq->from, from);
	clock_format(rq->to, to);
	rec = jv_object_set(rec, jv_string("type"), jv_string("plan"));
	rec = jv_object_set(rec, jv_string("v"), jv_number(RECORD_VERSION));
	rec = jv_object_set(rec, jv_string("kind"),
			    jv_string(rq->kind == DEPLOY_IMEST ? "imest" : "irt"));
	rec = jv_object_set(rec, jv_string("for"), jv_string(rq->for_what ? rq->for_what : ""));
	rec = jv_object_set(rec, jv_string("country"), jv_string(rq->country));
	rec = jv_object_set(rec, jv_string("starts_at"), jv_string(from));
	rec = jv_object_set(rec, jv_string("ends_at"), jv_string(to));
	rec = jv_object_set(rec, jv_string("size"), jv_number(rq->size));
	jv needs = jv_object(), skills = jv_object(), asked = jv_array(), off = jv_array();
	for (int j = 0; j < DEPLOY_NSKILLS; j++)
		if (rq->need[j] > 0)
			skills = jv_object_set(skills, jv_string(deploy_skill_name(j)),
					       jv_number(rq->need[j]));
	for (int k = 0; k < rq->nlangs; k++)
		asked = jv_array_append(asked, jv_string(rq->langs[k]));
	for (int k = 0; k < rq->nofficial; k++)
		off = jv_array_append(off, jv_string(rq->official[k]));
	needs = jv_object_set(needs, jv_string("skills"), skills);
	needs = jv_object_set(needs, jv_string("languages"), asked);
	needs = jv_object_set(needs, jv_string("official_languages"), off);
	needs = jv_object_set(needs, jv_string("min_level"), jv_string(level_name(rq->min_level)));
	jv req = jv_array();
	unsigned courses = deploy_courses_needed(rq);
	for (int k = 0; k < DEPLOY_NTRAININGS; k++)
		if (courses & (1u << k))
			req = jv_array_append(req, jv_string(deploy_training_name(k)));
	needs = jv_object_set(needs, jv_string("trainings"), req);
	rec = jv_object_set(rec, jv_string("needs"), needs);

	rec = jv_object_set(rec, jv_string("feasible"), jv_bool(team->found));
	jv members = jv_array();
	for (int i = 0; team->found && i < team->n; i++) {
		const struct deploy_person *p = &people[team->member[i]];
		jv cs = jv_array(), cl = jv_array();
		for (int j = 0; j < DEPLOY_NSKILLS; j++)
			if ((p->skills & (1u << j)) && (rq->need[j] > 0 || j == SKILL_TEAM_LEAD)) {
				cs = jv_array_append(cs, jv_string(deploy_skill_name(j)));
				count[j]++;
			}
		for (int k = 0; k < rq->nlangs; k++)
			if (deploy_speaks(p, rq->langs[k], rq->min_level)) {
				cl = jv_array_append(cl, jv_string(rq->langs[k]));
				langs |= 1u << k;
			}
		for (int k = 0; k < rq->nofficial; k++)
			if (deploy_speaks(p, rq->official[k], rq->min_level)) {
				cl = jv_array_append(cl, jv_string(rq->official[k]));
				official |= 1u << k;
			}
		char last[RFC3339_LEN];
		if (p->last_deployed)
			clock_format(p->last_deployed, last);
		jv m = JV_OBJECT(jv_string("staff"), jv_string(p->id), jv_string("name"),
				 jv_string(p->name), jv_string("site"), jv_string(p->site));
		m = jv_object_set(
		    m, jv_string("role"),
		    jv_string(p->skills & (1u << SKILL_TEAM_LEAD) ? "team_lead" : "member"));
		m = jv_object_set(m, jv_string("covers"),
				  JV_OBJECT(jv_string("skills"), cs, jv_string("languages"), cl));
		m = jv_object_set(m, jv_string("last_deployed"),
				  p->last_deployed ? jv_string(last) : jv_null());
		members = jv_array_append(members, m);
	}
	rec = jv_object_set(rec, jv_string("members"), members);

	jv unmet = jv_array();
	if (!team->found) {
		*impossible = impossible_reason(rq, people, n);
		unmet =
		    jv_array_append(unmet, JV_OBJECT(jv_string("need"), jv_string("team_lead"),
						     jv_string("reason"), jv_string(*impossible)));
	} else {
		for (int j = 0; j < DEPLOY_NSKILLS; j++)
			if (count[j] < rq->need[j])
				unmet = jv_array_append(unmet,
							unmet_item(rq, people, n, "skill", "skill",
								   deploy_skill_name(j), j,
								   rq->need[j], count[j], team->n));
		for (int k = 0; k < rq->nlangs; k++)
			if (!(langs & (1u << k)))
				unmet = jv_array_append(unmet, unmet_item(rq, people, n, "language",
									  "lang", rq->langs[k], -1,
									  1, 0, team->n));
		for (int k = 0; k < rq->nofficial; k++)
			if (!(official & (1u << k)))
				unmet = jv_array_append(
				    unmet, unmet_item(rq, people, n, "official_language", "lang",
						      rq->official[k], -1, 1, 0, team->n));
	}
	rec = jv_object_set(rec, jv_string("complete"),
			    jv_bool(team->found && team->unmet == 0 && team->unmet_official == 0));
	rec = jv_object_set(rec, jv_string("unmet"), unmet);

	/* who would have contributed but cannot go, and why */
	unsigned needed = 1u << SKILL_TEAM_LEAD;
	for (int j = 0; j < DEPLOY_NSKILLS; j++)
		if (rq->need[j] > 0)
			needed |= 1u << j;
	jv excluded = jv_array();
	for (size_t i = 0; i < n; i++) {
		const struct deploy_person *p = &people[i];
		int useful = (p->skills & needed) != 0;
		for (int k = 0; k < rq->nlangs && !useful; k++)
			useful = deploy_speaks(p, rq->langs[k], rq->min_level);
		for (int k = 0; k < rq->nofficial && !useful; k++)
			useful = deploy_speaks(p, rq->official[k], rq->min_level);
		if (useful && deploy_check_person(rq, p, NULL, why, sizeof why))
			excluded = jv_array_append(excluded,
						   JV_OBJECT(jv_string("staff"), jv_string(p->id),
							     jv_string("reason"), jv_string(why)));
	}
	rec = jv_object_set(rec, jv_string("excluded"), excluded);
	jv search = JV_OBJECT(jv_string("roster"), jv_number((double)n), jv_string("eligible"),
			      jv_number(team->eligible), jv_string("candidates"),
			      jv_number(team->candidates));
	search = jv_object_set(search, jv_string("groups"), jv_number(team->groups));
	search = jv_object_set(search, jv_string("nodes"), jv_number((double)team->nodes));
	search = jv_object_set(search, jv_string("optimal"), jv_bool(team->optimal));
	return jv_object_set(rec, jv_string("search"), search);
}

/* Write the reason into why; -1. */
static int refuse(char *why, size_t wn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(char *why, size_t wn, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, wn, fmt, ap);
	va_end(ap);
	return -1;
}

/* The next comma-separated item of *p into item (n bytes); 0 at the end. */
static int next_item(const char **p, char *item, size_t n)
{
	while (**p == ',')
		(*p)++;
	if (!**p)
		return 0;
	size_t len = strcspn(*p, ",");
	snprintf(item, n, "%.*s", (int)len, *p);
	*p += len;
	return 1;
}

static int ask_needs(struct deploy_request *rq, const char *list, char *why, size_t wn)
{
	char item[128];
	while (next_item(&list, item, sizeof item)) {
		char *eq = strchr(item, '=');
		long count = 1;
		if (eq)
			*eq = '\0';
		int k = deploy_skill_by_name(item);
		if (k < 0)
			return refuse(why, wn, "--need: '%s' is not a skill (%s)", item,
				      deploy_skill_list());
		if (eq && ccc_parse_long(eq + 1, 1, DEPLOY_MAX_SIZE, &count) < 0)
			return refuse(why, wn,
				      "--need: '%s=%s': the count is not a number from 1 to %d",
				      item, eq + 1, DEPLOY_MAX_SIZE);
		rq->need[k] = (int)count;
	}
	return 0;
}

static int ask_langs(struct deploy_request *rq, const char *list, char *why, size_t wn)
{
	char l[128];
	while (next_item(&list, l, sizeof l)) {
		if (strlen(l) != 2 || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' || l[1] > 'z')
			return refuse(why, wn, "--lang: '%s' is not an ISO 639-1 code such as fr",
				      l);
		if (rq->nlangs == DEPLOY_MAX_NEED_LANG)
			return refuse(why, wn, "--lang: more than %d languages",
				      DEPLOY_MAX_NEED_LANG);
		memcpy(rq->langs[rq->nlangs++], l, 3);
	}
	return 0;
}

static int ask_require(struct deploy_request *rq, const char *list, char *why, size_t wn)
{
	char c[128];
	while (next_item(&list, c, sizeof c)) {
		int k = deploy_training_by_name(c);
		if (k < 0)
			return refuse(why, wn, "--require: '%s' is not a course (%s)", c,
				      deploy_training_list());
		rq->require |= 1u << k;
	}
	return 0;
}

int deploy_request_parse(struct deploy_request *rq, const struct deploy_ask *a, char *why,
			 size_t wn)
{
	memset(rq, 0, sizeof *rq);
	if (!a->for_what || !a->country || !a->from || !a->to)
		return refuse(why, wn, "give --for, --country, --from and --to");
	rq->kind = a->kind && !strcmp(a->kind, "imest") ? DEPLOY_IMEST : DEPLOY_IRT;
	rq->for_what = a->for_what;
	snprintf(rq->country, sizeof rq->country, "%s", a->country);
	if (deploy_parse_when(a->from, 0, &rq->from) < 0)
		return refuse(why, wn, "--from '%s' is not a date or an RFC 3339 time", a->from);
	if (deploy_parse_when(a->to, 1, &rq->to) < 0)
		return refuse(why, wn, "--to '%s' is not a date or an RFC 3339 time", a->to);
	if (rq->to <= rq->from)
		return refuse(why, wn, "--to '%s' is not after --from '%s'", a->to, a->from);
	rq->size = (int)a->size;
	rq->min_level = deploy_level(a->min_level ? a->min_level : "B2");
	if ((a->needs && ask_needs(rq, a->needs, why, wn) < 0) ||
	    (a->langs && ask_langs(rq, a->langs, why, wn) < 0) ||
	    (a->require && ask_require(rq, a->require, why, wn) < 0))
		return -1;
	deploy_request_officials(rq);
	return 0;
}
