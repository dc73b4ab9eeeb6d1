/*
 * triage-filter.c: the ccc-triage filter over a stream of records.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/clock.h"
#include "ccc/correlate.h"
#include "ccc/escalation.h"
#include "ccc/grouping.h"
#include "ccc/queue.h"
#include "ccc/triage-filter.h"
#include "ccc/xmalloc.h"

/* A message read, waiting for the rules' batch. */
struct pending {
	jv rec, stored_triage, triage;
	int64_t n;
	time_t now;
	char was[3];
	const char *file;
	unsigned long lineno;
};

struct triage_filter {
	struct triage_config triage;
	struct rules *rules;
	int explain, quiet;
	long group_window;    /* seconds; 0: no grouping */
	struct pending *pend; /* the batch for the rules */
	int npend, cappend;
	struct buf json, triage_text;
};

/* due_at = received_at (else now) + the time of priority. */
static jv set_due(const struct triage_filter *f, jv triage, jv msg, time_t now)
{
	const char *p = jv_get_str(triage, "priority");
	const char *recv = jv_get_str(msg, "received_at");
	time_t t = now;
	char due[RFC3339_LEN];
	if (!p || strlen(p) != 2 || p[1] < '1' || p[1] > '4')
		return triage;
	if (recv)
		clock_parse(recv, &t);
	clock_format(t + f->triage.due_seconds[p[1] - '1'], due);
	return jv_object_set(triage, jv_string("due_at"), jv_string(due));
}

static void explain(jv msg, jv triage)
{
	const char *id = jv_get_str(msg, "id");
	fprintf(stderr, "%s: %s %s %s/%s/%s due %s\n", id ? id : "?",
		jv_get_str(triage, "priority"), jv_get_str(triage, "category"),
		jv_get_str(triage, "urgency"), jv_get_str(triage, "severity"),
		jv_get_str(triage, "certainty"), jv_get_str(triage, "due_at"));
	jv reasons = jv_object_get(jv_copy(triage), jv_string("reasons"));
	if (jv_get_kind(reasons) == JV_KIND_ARRAY) {
		jv_array_foreach (reasons, i, r) {
			if (jv_get_kind(r) == JV_KIND_STRING)
				fprintf(stderr, "  %s\n", jv_string_value(r));
			jv_free(r);
		}
	}
	jv_free(reasons);
}

/* triage (consumed) with one more reason. */
static jv add_reason(jv triage, const char *why)
{
	jv reasons = jv_object_get(jv_copy(triage), jv_string("reasons"));
	if (jv_get_kind(reasons) != JV_KIND_ARRAY) {
		jv_free(reasons);
		reasons = jv_array();
	}
	return jv_object_set(triage, jv_string("reasons"),
			     jv_array_append(reasons, jv_string(why)));
}

/*
 * A message a re-screening raised (rescreen.h) keeps the "rescreen:"
 * reasons of its stored triage (not consumed) when triaged again, and the
 * priority and due time they gave when higher than the new assessment's.
 * Consumes triage, returns the one to store.
 */
static jv keep_rescreen(jv triage, jv stored)
{
	jv prev = jv_get_kind(stored) == JV_KIND_OBJECT
		      ? jv_object_get(jv_copy(stored), jv_string("reasons"))
		      : jv_invalid();
	int kept = 0;
	if (jv_get_kind(prev) == JV_KIND_ARRAY) {
		jv_array_foreach (prev, i, r) {
			if (jv_get_kind(r) == JV_KIND_STRING &&
			    !strncmp(jv_string_value(r), "rescreen: ", 10)) {
				triage = add_reason(triage, jv_string_value(r));
				kept = 1;
			}
			jv_free(r);
		}
	}
	jv_free(prev);
	const char *sp = kept ? jv_get_str(stored, "priority") : NULL;
	const char *tp = jv_get_str(triage, "priority");
	if (sp && tp && strcmp(sp, tp) < 0 && jv_get_str(stored, "due_at")) {
		triage = jv_object_set(triage, jv_string("priority"), jv_string(sp));
		triage = jv_object_set(triage, jv_string("due_at"),
				       jv_string(jv_get_str(stored, "due_at")));
	}
	return triage;
}

/*
 * A message that correlates with open incidents (consumed) is linked to
 * each, and raised to an incident's priority when that is higher than its
 * own; its triage says why. Consumes triage, returns the one to store.
 */
static jv join_incidents(struct triage_filter *f, struct store *s, jv rec, jv triage, jv incidents,
			 time_t now, int *rc)
{
	const char *id = jv_get_str(rec, "id");
	jv_array_foreach (incidents, i, inc) {
		const char *cid = jv_get_str(inc, "case"), *ip = jv_get_str(inc, "priority");
		const char *tp = jv_get_str(triage, "priority");
		char why[512], r[700];
		snprintf(why, sizeof why, "correlates with %s", jv_get_str(inc, "via"));
		if (!*rc)
			*rc = correlate_link(s, cid, id, why);
		if (tp && ip && strcmp(ip, tp) < 0) {
			snprintf(r, sizeof r, "incident %s: %s; raised from %s to %s", cid, why, tp,
				 ip);
			triage = jv_object_set(add_reason(triage, r), jv_string("priority"),
					       jv_string(ip));
			triage = set_due(f, triage, rec, now);
		} else {
			snprintf(r, sizeof r, "incident %s: %s", cid, why);
			triage = add_reason(triage, r);
		}
		jv_free(inc);
	}
	jv_free(incidents);
	return triage;
}

#define RULES_BATCH       64
#define RULES_BATCH_BYTES ((size_t)1 << 20)

/* Store, queue and emit one triaged message (consumes rec, triage and
 * stored_triage); text[0..len): rec's stored text, when at hand (else NULL). */
static int finish(struct triage_filter *f, struct stream *st, jv rec, int64_t n, jv triage,
		  jv stored_triage, const char *text, size_t len)
{
	struct store *s = stream_store(st);
	const char *id = jv_get_str(rec, "id");
	int rc, changed = 0;
	/* An item escalated earlier keeps its raised priority when triaged again. */
	jv item = queue_item(s, n);
	int first = jv_get_kind(item) != JV_KIND_OBJECT;
	time_t now = clock_now(), received = now;
	triage = escalation_keep(triage, item, stored_triage);
	triage = keep_rescreen(triage, stored_triage);
	jv_free(item);
	jv_free(stored_triage);
	const char *recv = jv_get_str(rec, "received_at");
	if (recv)
		clock_parse(recv, &received);
	rc = 0;
	/* a message that names no entity correlates with nothing */
	int keyed = correlate_has_keys(s, id);
	jv incidents = keyed ? correlate_incidents(s, id) : jv_array();
	triage = join_incidents(f, s, rec, triage, jv_copy(incidents), now, &rc);
	int64_t leader = 0;
	char why[300] = "";
	int grouped = !rc && first && keyed &&
		      grouping_leader(s, id, received, f->group_window, incidents, &leader, why,
				      sizeof why) > 0;
	if (f->explain)
		explain(rec, triage);
	rec = jv_object_set(rec, jv_string_cached("triage"), triage);
	triage = jv_object_get(jv_copy(rec), jv_string_cached("triage"));
	/* the triage written once, for the line and the store (a first triage) */
	f->triage_text.len = 0;
	if (text || first)
		json_write(&f->triage_text, triage);
	f->json.len = 0;
	/* the stored text with its triage set, unless it is not as json_write writes */
	if (!text || json_with_field_text(&f->json, text, len, "triage", f->triage_text.p,
					  f->triage_text.len) < 0)
		json_write(&f->json, rec);
	if (!rc && first)
		rc = queue_triaged_new(s, n, id, triage, f->triage_text.p, f->triage_text.len,
				       grouped, &changed);
	else if (!rc)
		rc = queue_triaged(s, n, id, triage, &changed);
	if (!rc && grouped)
		rc = grouping_join(s, n, id, leader, why, jv_get_str(triage, "priority"),
				   jv_get_str(triage, "due_at"));
	jv_free(incidents);
	jv_free(triage);
	jv_free(rec);
	if (rc)
		return rc;
	stream_emit_line(st, f->json.p, f->json.len);
	return 0;
}

/* Run the rules on the messages read so far, then finish each. */
int triage_filter_flush(struct stream *st, void *ctx)
{
	struct triage_filter *f = ctx;
	int rc = 0, k, stopped = 0;
	if (!f->npend)
		return 0;
	rules_run(f->rules); /* the worker runs while the default rules run here */
	for (k = 0; k < f->npend; k++) {
		struct pending *p = &f->pend[k];
		p->triage = triage_assess(jv_copy(p->rec), p->now, &f->triage);
		const char *before = jv_get_str(p->triage, "priority");
		snprintf(p->was, sizeof p->was, "%s", before ? before : "");
	}
	for (k = 0; k < f->npend && !rc; k++) {
		struct pending *p = &f->pend[k];
		jv triage = stopped ? p->triage : rules_result(f->rules, k, p->triage, &stopped);
		if (stopped) {
			/* A signal while a rule ran: this message and the rest stay
			 * untriaged (they are in the store). */
			jv_free(triage);
			jv_free(p->rec);
			jv_free(p->stored_triage);
			continue;
		}
		if (rules_exceeded(f->rules))
			warnx("%s:%lu: %s; the other rules still count", p->file, p->lineno,
			      rules_exceeded(f->rules));
		const char *after = jv_get_str(triage, "priority");
		if (after && strcmp(after, p->was) != 0)
			triage = set_due(f, triage, p->rec, p->now);
		rc = finish(f, st, p->rec, p->n, triage, p->stored_triage, NULL, 0);
	}
	for (; k < f->npend; k++) {
		jv_free(f->pend[k].rec);
		jv_free(f->pend[k].triage);
		jv_free(f->pend[k].stored_triage);
	}
	f->npend = 0;
	rules_clear(f->rules);
	return rc;
}

int triage_filter_record(struct stream *st, jv rec, const struct ndjson_line *ln, void *ctx)
{
	struct triage_filter *f = ctx;
	const char *type = jv_get_str(rec, "type");
	const char *id = jv_get_str(rec, "id");
	int64_t n;
	int rc;

	if (!type || strcmp(type, "message") != 0) {
		if (!type) {
			jv_free(rec);
			return stream_reject(st, ln,
					     "field 'type': missing (a record needs a type)");
		}
		if ((rc = triage_filter_flush(st, f))) { /* records pass through in order */
			jv_free(rec);
			return rc;
		}
		stream_emit_line(st, ln->text, ln->len);
		jv_free(rec);
		return 0;
	}
	if (!id) {
		jv_free(rec);
		return stream_reject(st, ln, "field 'id': missing");
	}
	for (int k = 0; k < f->npend; k++) {
		const char *other = jv_get_str(f->pend[k].rec, "id");
		if (other && !strcmp(other, id)) { /* the same message twice: in turn */
			if ((rc = triage_filter_flush(st, f))) {
				jv_free(rec);
				return rc;
			}
			break;
		}
	}
	/* What came down the pipe only names the message: the stored copy is triaged. */
	int same;
	if (!queue_stored_copy_same(st, ln, &rec, &n, f->quiet, &rc, &same))
		return rc;
	jv stored_triage = jv_object_get(jv_copy(rec), jv_string_cached("triage"));
	time_t now = clock_now();
	if (!f->rules)
		return finish(f, st, rec, n, triage_assess(jv_copy(rec), now, &f->triage),
			      stored_triage, same ? ln->text : NULL, ln->len);
	if (f->npend == f->cappend) {
		f->cappend = f->cappend ? 2 * f->cappend : RULES_BATCH;
		f->pend = xrealloc(f->pend, (size_t)f->cappend * sizeof *f->pend);
	}
	f->pend[f->npend++] = (struct pending){.rec = rec,
					       .stored_triage = stored_triage,
					       .n = n,
					       .now = now,
					       .file = ln->file,
					       .lineno = ln->lineno};
	jv text = jv_dump_string(jv_copy(rec), 0); /* the stored copy, as the rules see it */
	rules_add(f->rules, jv_string_value(text), (size_t)jv_string_length_bytes(jv_copy(text)));
	jv_free(text);
	if (f->npend >= RULES_BATCH || rules_batch_bytes(f->rules) >= RULES_BATCH_BYTES)
		return triage_filter_flush(st, f);
	return 0;
}

struct triage_filter *triage_filter_new(const struct triage_config *tc, struct rules *rules,
					int explain, int quiet)
{
	struct triage_filter *f = xcalloc(1, sizeof *f);
	f->triage = *tc;
	f->rules = rules;
	f->explain = explain;
	f->quiet = quiet;
	f->group_window = GROUPING_WINDOW_S;
	return f;
}

void triage_filter_group(struct triage_filter *f, long seconds)
{
	f->group_window = seconds;
}

void triage_filter_free(struct triage_filter *f)
{
	if (!f)
		return;
	for (int k = 0; k < f->npend; k++) { /* what a failed batch left */
		jv_free(f->pend[k].rec);
		jv_free(f->pend[k].stored_triage);
	}
	free(f->pend);
	buf_free(&f->json);
	buf_free(&f->triage_text);
	free(f);
}
