/*
 * rules.c: user triage rules on libjq 1.6.
 *
 * The rules [{if: E1}, {if: E2}, ...] become the single program
 *   [ (try ([E1][0] | if . == null or . == false then 0 else 1 end)
 *      catch ("error: " + tostring)), ... ]
 * whose one output is an array with, per rule, 1 (fired), 0, or an error text.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>

#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/rules.h"

struct rule {
	char *name, *priority, *category, *reason;
};

struct rules {
	jq_state *jq;
	struct rule *v;
	int n;
	char *path;
	struct buf errors;
};

static void on_jq_error(void *ctx, jv msg)
{
	struct buf *b = ctx;
	jv text = jv_get_kind(msg) == JV_KIND_STRING ? msg : jv_dump_string(msg, 0);
	if (b->len)
		buf_adds(b, "; ");
	buf_adds(b, jv_string_value(text));
	jv_free(text);
}

static jq_state *new_jq(struct buf *errors)
{
	jq_state *jq = jq_init();
	if (!jq)
		abort();
	jq_set_attr(jq, jv_string("JQ_LIBRARY_PATH"), jv_array());
	jq_set_error_cb(jq, on_jq_error, errors);
	return jq;
}

static void add_rule(struct rules *r, const char *name, const char *pri, const char *cat,
		     const char *reason)
{
	r->v = realloc(r->v, sizeof *r->v * (size_t)(r->n + 1));
	if (!r->v)
		abort();
	struct rule *x = &r->v[r->n++];
	x->name = strdup(name);
	x->priority = strdup(pri);
	x->category = cat ? strdup(cat) : NULL;
	x->reason = reason ? strdup(reason) : NULL;
}

/* Read the rules file into a jv array of rule objects. */
static jv read_rules(const char *path)
{
	FILE *f = fopen(path, "r");
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	if (!f) {
		warn("cannot open rules '%s'", path);
		return jv_invalid();
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	const char *why;
	size_t at;
	jv all = jv_array();
	size_t i = 0;
	while (i < b.len && (b.p[i] == ' ' || b.p[i] == '\n' || b.p[i] == '\t' || b.p[i] == '\r'))
		i++;
	if (i < b.len && b.p[i] == '[') {
		if (json_validate(b.p, b.len, &why, &at) < 0) {
			warnx("rules '%s': not JSON: %s at byte %zu", path, why, at + 1);
			buf_free(&b);
			jv_free(all);
			return jv_invalid();
		}
		jv_free(all);
		all = jv_parse_sized(b.p, (int)b.len);
	} else {
		unsigned long line = 0;
		size_t start = 0;
		while (start < b.len) {
			char *nl = memchr(b.p + start, '\n', b.len - start);
			size_t len = nl ? (size_t)(nl - (b.p + start)) : b.len - start;
			char reason[256];
			line++;
			int blank = 1;
			for (size_t k = 0; k < len; k++)
				if (!strchr(" \t\r", b.p[start + k]))
					blank = 0;
			if (!blank && b.p[start] != '#') {
				jv o = ndjson_parse(b.p + start, len, reason, sizeof reason);
				if (!jv_is_valid(o)) {
					warnx("rules '%s':%lu: %s", path, line, reason);
					jv_free(o);
					jv_free(all);
					buf_free(&b);
					return jv_invalid();
				}
				all = jv_array_append(all, o);
			}
			start += len + 1;
		}
	}
	buf_free(&b);
	return all;
}

static int valid_priority(const char *p)
{
	return p && strlen(p) == 2 && p[0] == 'P' && p[1] >= '1' && p[1] <= '4';
}

struct rules *rules_load(const char *path)
{
	jv all = read_rules(path);
	struct rules *r;
	struct buf prog = {0};
	int bad = 0;

	if (!jv_is_valid(all) || jv_get_kind(all) != JV_KIND_ARRAY) {
		if (jv_is_valid(all))
			warnx(
			    "rules '%s': expected rule objects, one per line, or an array of them",
			    path);
		jv_free(all);
		return NULL;
	}
	r = calloc(1, sizeof *r);
	if (!r)
		abort();
	r->path = strdup(path);
	r->jq = new_jq(&r->errors);
	buf_adds(&prog, "[");
	jv_array_foreach (all, i, rule) {
		char label[64];
		snprintf(label, sizeof label, "#%d", i + 1);
		const char *name = jv_get_str(rule, "name");
		const char *expr = jv_get_str(rule, "if");
		const char *pri = jv_get_str(rule, "priority");
		if (jv_get_kind(rule) != JV_KIND_OBJECT || !name || !*name) {
			warnx("rules '%s': rule %s: needs a \"name\"", path, label);
			bad = 1;
		} else if (!expr || !*expr) {
			warnx("rules '%s': rule %s: needs an \"if\" expression", path, name);
			bad = 1;
		} else if (!valid_priority(pri)) {
			warnx("rules '%s': rule %s: \"priority\" must be P1, P2, P3 or P4", path,
			      name);
			bad = 1;
		} else {
			/* Each rule alone first, so a compile error names its rule. */
			jq_state *one = new_jq(&r->errors);
			r->errors.len = 0;
			if (!jq_compile_args(one, expr, jv_object())) {
				buf_addc(&r->errors, '\0');
				warnx("rules '%s': rule %s: %s", path, name,
				      r->errors.len > 1 ? r->errors.p : "does not compile");
				bad = 1;
			}
			jq_teardown(&one);
			if (r->n)
				buf_addc(&prog, ',');
			buf_adds(&prog, "(try ([");
			buf_adds(&prog, expr);
			buf_adds(&prog,
				 "][0] | if . == null or . == false then 0 else 1 end) catch "
				 "(\"error: \" + tostring))");
			add_rule(r, name, pri, jv_get_str(rule, "category"),
				 jv_get_str(rule, "reason"));
		}
		jv_free(rule);
	}
	jv_free(all);
	buf_adds(&prog, "]");
	buf_addc(&prog, '\0');
	r->errors.len = 0;
	if (!bad && !jq_compile_args(r->jq, prog.p, jv_object())) {
		buf_addc(&r->errors, '\0');
		warnx("rules '%s': %s", path, r->errors.len > 1 ? r->errors.p : "do not compile");
		bad = 1;
	}
	buf_free(&prog);
	if (bad) {
		rules_free(r);
		return NULL;
	}
	return r;
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	jq_teardown(&r->jq);
	for (int i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].priority);
		free(r->v[i].category);
		free(r->v[i].reason);
	}
	free(r->v);
	free(r->path);
	buf_free(&r->errors);
	free(r);
}

jv rules_apply(struct rules *r, jv msg, jv triage)
{
	jq_start(r->jq, jv_copy(msg), 0);
	jv out = jq_next(r->jq);
	/* drain: the program has one output */
	for (jv more = jq_next(r->jq); jv_is_valid(more); more = jq_next(r->jq))
		jv_free(more);
	if (jv_get_kind(out) != JV_KIND_ARRAY) {
		jv_free(out);
		return triage;
	}
	const char *cur = jv_get_str(triage, "priority");
	char best[3] = "P4";
	if (cur && strlen(cur) == 2)
		memcpy(best, cur, 3);
	const char *best_category = NULL;
	jv reasons = jv_object_get(jv_copy(triage), jv_string("reasons"));
	if (jv_get_kind(reasons) != JV_KIND_ARRAY) {
		jv_free(reasons);
		reasons = jv_array();
	}
	for (int i = 0; i < r->n; i++) {
		jv v = jv_array_get(jv_copy(out), i);
		const struct rule *x = &r->v[i];
		if (jv_get_kind(v) == JV_KIND_STRING) {
			reasons = jv_array_append(
			    reasons, jv_string_fmt("rule:%s: %s", x->name, jv_string_value(v)));
		} else if (jv_get_kind(v) == JV_KIND_NUMBER && jv_number_value(v) == 1) {
			reasons = jv_array_append(
			    reasons,
			    jv_string_fmt("rule:%s: %s", x->name, x->reason ? x->reason : "fired"));
			if (x->priority[1] < best[1]) {
				memcpy(best, x->priority, 3);
				best_category = x->category;
			} else if (x->priority[1] == best[1] && x->category && !best_category) {
				best_category = x->category;
			}
		}
		jv_free(v);
	}
	jv_free(out);
	triage = jv_object_set(triage, jv_string("priority"), jv_string(best));
	if (best_category)
		triage = jv_object_set(triage, jv_string("category"), jv_string(best_category));
	return jv_object_set(triage, jv_string("reasons"), reasons);
}
