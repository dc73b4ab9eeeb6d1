/*
 * rules.c: user triage rules on libjq 1.6, run in a worker process.
 *
 * Each rule's expression E becomes the program
 *   PRELUDE (try ([E][0] | if . == null or . == false then 0 else 1 end)
 *            catch ("error: " + tostring))
 * compiled once in this process with an empty environment (jq 1.6 puts the
 * environment into $ENV at compile time) and run in a worker forked from it:
 * the worker has an empty environment too (`env` reads it at run time), the
 * PRELUDE takes input, debug, stderr, input_filename and halt away, and the
 * worker's address space is capped (RLIMIT_AS). libjq has no step hook, so
 * the time budget is kept from outside: the parent waits for a message's
 * results until its deadline, then kills the worker, names the rule it was
 * in (the worker writes the index of the rule it runs to a shared page), and
 * runs the other rules on a fresh worker. A signal stops the wait at once.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jq.h>

#include "ccc/json.h"
#include "ccc/ndjson.h"
#include "ccc/rules.h"

extern char **environ;

#define RULES_MAX_FILE (16u << 20)
#define ERROR_MAX      200 /* bytes of a rule's error message kept */
#define WHY_MAX        160

/* Defined before every rule, on its first line so that jq's line numbers
 * stay the rule's own. */
static const char PRELUDE[] =
    "def env: {}; "
    "def input: error(\"input is not available to a rule\"); "
    "def inputs: error(\"inputs is not available to a rule\"); "
    "def input_filename: null; def debug: .; def stderr: .; "
    "def halt: error(\"halt is not available to a rule\"); "
    "def halt_error: error(\"halt_error is not available to a rule\"); "
    "def halt_error($code): error(\"halt_error is not available to a rule\"); ";

struct rule {
	char *name, *priority, *category, *reason;
	jq_state *jq; /* compiled here, run only in the worker */
};

/* The page the worker shares with us: which rule it is running. */
struct progress {
	volatile int32_t rule;
};

struct rules {
	struct rule *v;
	int n;
	char *path;
	struct buf errors;
	long time_ms;
	size_t memory;
	int (*stopped)(void);
	/* the worker */
	pid_t pid;
	int to_worker, from_worker;
	struct progress *progress;
	/* the message in hand */
	struct buf msg;
	unsigned char *skip; /* per rule: already given up on this message */
	char *why;           /* per rule, WHY_MAX bytes: why it was given up */
	struct buf exceeded; /* "rule 'NAME' exceeded its budget (...)" */
	int submitted;
	long long deadline;
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

/* Compile one rule with an empty environment: jq 1.6 copies the environment
 * into $ENV when it compiles. NULL when it does not compile. */
static jq_state *compile_rule(struct buf *errors, const char *expr)
{
	static char *no_env[] = {NULL};
	struct buf prog = {0};
	jq_state *jq = new_jq(errors);
	char **saved = environ;
	buf_adds(&prog, PRELUDE);
	buf_adds(&prog, "(try ([");
	buf_adds(&prog, expr);
	buf_adds(&prog, "\n][0] | if . == null or . == false then 0 else 1 end) catch "
			"(\"error: \" + tostring))");
	buf_addc(&prog, '\0');
	environ = no_env;
	int ok = jq_compile_args(jq, prog.p, jv_object());
	environ = saved;
	buf_free(&prog);
	if (!ok)
		jq_teardown(&jq);
	return jq;
}

static void add_rule(struct rules *r, const char *name, const char *pri, const char *cat,
		     const char *reason, jq_state *jq)
{
	r->v = realloc(r->v, sizeof *r->v * (size_t)(r->n + 1));
	if (!r->v)
		abort();
	struct rule *x = &r->v[r->n++];
	x->name = strdup(name);
	x->priority = strdup(pri);
	x->category = cat ? strdup(cat) : NULL;
	x->reason = reason ? strdup(reason) : NULL;
	x->jq = jq;
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
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= RULES_MAX_FILE)
		buf_add(&b, chunk, n);
	fclose(f);
	if (b.len > RULES_MAX_FILE) {
		warnx("rules '%s': larger than %u MiB", path, RULES_MAX_FILE >> 20);
		buf_free(&b);
		return jv_invalid();
	}
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
	r->time_ms = RULES_TIME_MS;
	r->memory = RULES_MEMORY;
	r->pid = -1;
	r->to_worker = r->from_worker = -1;
	jv_array_foreach (all, i, rule) {
		char label[64];
		snprintf(label, sizeof label, "#%d", i + 1);
		const char *name = jv_get_str(rule, "name");
		const char *expr = jv_get_str(rule, "if");
		const char *pri = jv_get_str(rule, "priority");
		jq_state *jq = NULL;
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
		} else if (!(jq = compile_rule(&r->errors, expr))) {
			/* Compile it alone, so that jq's message shows the rule's text. */
			jq_state *one = new_jq(&r->errors);
			r->errors.len = 0;
			jq_compile_args(one, expr, jv_object());
			buf_addc(&r->errors, '\0');
			warnx("rules '%s': rule %s: %s", path, name,
			      r->errors.len > 1 ? r->errors.p : "does not compile");
			jq_teardown(&one);
			bad = 1;
		} else {
			add_rule(r, name, pri, jv_get_str(rule, "category"),
				 jv_get_str(rule, "reason"), jq);
		}
		r->errors.len = 0;
		jv_free(rule);
	}
	jv_free(all);
	if (bad) {
		rules_free(r);
		return NULL;
	}
	if (!(r->skip = calloc((size_t)r->n + 1, 1)) ||
	    !(r->why = calloc((size_t)r->n + 1, WHY_MAX)))
		abort();
	return r;
}

void rules_set_budget(struct rules *r, long time_ms, size_t memory)
{
	r->time_ms = time_ms;
	r->memory = memory;
}

void rules_set_stop(struct rules *r, int (*stopped)(void))
{
	r->stopped = stopped;
}

static void stop_worker(struct rules *r)
{
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (r->to_worker >= 0)
		close(r->to_worker);
	if (r->from_worker >= 0)
		close(r->from_worker);
	r->pid = -1;
	r->to_worker = r->from_worker = -1;
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	stop_worker(r);
	if (r->progress)
		munmap(r->progress, sizeof *r->progress);
	for (int i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].priority);
		free(r->v[i].category);
		free(r->v[i].reason);
		jq_teardown(&r->v[i].jq);
	}
	free(r->v);
	free(r->path);
	free(r->skip);
	free(r->why);
	buf_free(&r->errors);
	buf_free(&r->msg);
	buf_free(&r->exceeded);
	free(r);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read or write exactly n bytes; 0, or -1 (end of input or an error). */
static int read_all(int fd, void *p, size_t n)
{
	while (n) {
		ssize_t k = read(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p = (char *)p + k;
		n -= (size_t)k;
	}
	return 0;
}

static int write_all(int fd, const void *p, size_t n, int (*stopped)(void))
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR && !(stopped && stopped()))
			continue;
		if (k <= 0)
			return -1;
		p = (const char *)p + k;
		n -= (size_t)k;
	}
	return 0;
}

/*
 * The worker: for each request (u32 length, the skip flags of the n rules,
 * the message's JSON), run every rule not skipped and answer u32 length then,
 * per rule, a byte 0 (did not fire), 1 (fired), 2 (skipped) or 3 followed by
 * u16 length and the text of its error.
 */
static void worker(struct rules *r, int in, int out)
{
	struct buf req = {0}, resp = {0};
	uint32_t len;

	for (;;) {
		if (read_all(in, &len, sizeof len) < 0)
			_exit(0);
		req.len = 0;
		buf_grow(&req, len);
		if (read_all(in, req.p, len) < 0 || len < (uint32_t)r->n)
			_exit(0);
		jv msg = jv_parse_sized(req.p + r->n, (int)(len - (uint32_t)r->n));
		if (!jv_is_valid(msg)) {
			jv_free(msg);
			msg = jv_object();
		}
		resp.len = 0;
		buf_add(&resp, &len, sizeof len); /* room for the length */
		for (int i = 0; i < r->n; i++) {
			if (req.p[i]) {
				buf_addc(&resp, 2);
				continue;
			}
			r->progress->rule = i;
			jq_start(r->v[i].jq, jv_copy(msg), 0);
			jv v = jq_next(r->v[i].jq);
			for (jv more = jq_next(r->v[i].jq); jv_is_valid(more);
			     more = jq_next(r->v[i].jq))
				jv_free(more);
			if (jv_get_kind(v) == JV_KIND_STRING) {
				size_t n = strlen(jv_string_value(v));
				uint16_t n16 = (uint16_t)(n > ERROR_MAX ? ERROR_MAX : n);
				buf_addc(&resp, 3);
				buf_add(&resp, &n16, sizeof n16);
				buf_add(&resp, jv_string_value(v), n16);
			} else {
				buf_addc(&resp, jv_get_kind(v) == JV_KIND_NUMBER &&
						    jv_number_value(v) == 1);
			}
			jv_free(v);
		}
		jv_free(msg);
		r->progress->rule = -1;
		len = (uint32_t)(resp.len - sizeof len);
		memcpy(resp.p, &len, sizeof len);
		if (write_all(out, resp.p, resp.len, NULL) < 0)
			_exit(0);
	}
}

/* Its address space now, to which the memory budget is added. */
static size_t address_space(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;
	if (f) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

static int start_worker(struct rules *r)
{
	int down[2], up[2];
	if (!r->progress) {
		void *p = mmap(NULL, sizeof *r->progress, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			warn("rules '%s': cannot share a page with the worker", r->path);
			return -1;
		}
		r->progress = p;
	}
	if (pipe2(down, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(up, O_CLOEXEC) < 0) {
		close(down[0]);
		close(down[1]);
		return -1;
	}
	pid_t parent = getpid();
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		warn("rules '%s': cannot start the worker", r->path);
		close(down[0]);
		close(down[1]);
		close(up[0]);
		close(up[1]);
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		signal(SIGINT, SIG_IGN); /* the parent decides, and kills us */
		signal(SIGTERM, SIG_IGN);
		clearenv();
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			/* nothing a rule does reaches our output or the terminal */
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			if (null > STDERR_FILENO)
				close(null);
		}
		struct rlimit none = {0, 0};
		setrlimit(RLIMIT_CORE, &none);
		size_t as = address_space() + r->memory;
		struct rlimit cap = {as, as};
		setrlimit(RLIMIT_AS, &cap);
		close(down[1]);
		close(up[0]);
		worker(r, down[0], up[1]);
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	r->pid = pid;
	r->to_worker = down[1];
	r->from_worker = up[0];
	return 0;
}

/* Send the message in hand to the worker, with the rules to skip. */
static int send_msg(struct rules *r)
{
	if (r->pid < 0 && start_worker(r) < 0)
		return -1;
	uint32_t len = (uint32_t)(r->n + r->msg.len);
	r->progress->rule = -1;
	r->deadline = now_ms() + r->time_ms;
	if (write_all(r->to_worker, &len, sizeof len, r->stopped) < 0 ||
	    write_all(r->to_worker, r->skip, (size_t)r->n, r->stopped) < 0 ||
	    write_all(r->to_worker, r->msg.p, r->msg.len, r->stopped) < 0)
		return -1;
	return 0;
}

int rules_submit(struct rules *r, const char *json, size_t len)
{
	r->msg.len = 0;
	buf_add(&r->msg, json, len);
	memset(r->skip, 0, (size_t)r->n);
	r->exceeded.len = 0;
	r->submitted = 1;
	if (send_msg(r) < 0)
		stop_worker(r); /* rules_collect starts another and tries again */
	return 0;
}

/* Wait for the answer until the deadline; 0 with it in *out, 1 when the
 * deadline passed, -1 when the worker is gone, -2 when stopped by a signal. */
static int wait_answer(struct rules *r, struct buf *out)
{
	uint32_t len;
	for (;;) {
		if (r->stopped && r->stopped())
			return -2;
		if (r->pid < 0)
			return -1;
		long long left = r->deadline - now_ms();
		if (left <= 0)
			return 1;
		struct pollfd pfd = {r->from_worker, POLLIN, 0};
		int k = poll(&pfd, 1, left > 100 ? 100 : (int)left); /* a signal: at once */
		if (k < 0 && errno != EINTR)
			return -1;
		if (k > 0)
			break;
	}
	if (read_all(r->from_worker, &len, sizeof len) < 0)
		return -1;
	out->len = 0;
	buf_grow(out, len);
	if (read_all(r->from_worker, out->p, len) < 0)
		return -1;
	out->len = len;
	return 0;
}

static void note_exceeded(struct rules *r, const char *text)
{
	if (r->exceeded.len)
		buf_adds(&r->exceeded, "; ");
	buf_adds(&r->exceeded, text);
	buf_addc(&r->exceeded, '\0');
	r->exceeded.len--; /* kept terminated for rules_exceeded */
}

/* The worker ran over its budget on the message (timed out), or died:
 * give up that rule for this message and carry on with a fresh worker. */
static void give_up_rule(struct rules *r, int timed_out)
{
	int status = 0, i = r->progress ? r->progress->rule : -1;
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
			;
		r->pid = -1;
	}
	stop_worker(r);
	if (i < 0 || i >= r->n) {
		/* it died between rules: every rule left is given up */
		for (int k = 0; k < r->n; k++)
			r->skip[k] = r->skip[k] ? r->skip[k] : 2;
		note_exceeded(r, "the rules worker stopped between rules");
		return;
	}
	char why[WHY_MAX];
	if (timed_out)
		snprintf(why, sizeof why, "more than %ld ms on this message", r->time_ms);
	else
		snprintf(why, sizeof why,
			 "its worker died (%s %d): more than %zu MiB of memory, or a crash",
			 WIFSIGNALED(status) ? "signal" : "status",
			 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
			 r->memory >> 20);
	r->skip[i] = 3;
	snprintf(r->why + (size_t)i * WHY_MAX, WHY_MAX, "%s", why);
	char line[400];
	snprintf(line, sizeof line, "rule '%s' exceeded its budget (%s)", r->v[i].name, why);
	note_exceeded(r, line);
}

static void add_reason(jv *reasons, const struct rule *x, const char *text)
{
	*reasons = jv_array_append(*reasons, jv_string_fmt("rule:%s: %s", x->name, text));
}

jv rules_collect(struct rules *r, jv triage, int *stopped)
{
	struct buf ans = {0};
	int rc = -1;
	*stopped = 0;
	if (!r->submitted)
		return triage;
	r->submitted = 0;
	for (int tries = 0; tries <= r->n + 1; tries++) {
		if (r->pid < 0 && send_msg(r) < 0) {
			if (r->stopped && r->stopped()) {
				rc = -2;
				break;
			}
			stop_worker(r);
			continue;
		}
		rc = wait_answer(r, &ans);
		if (rc == 0 || rc == -2)
			break;
		give_up_rule(r, rc == 1);
	}
	if (rc == -2) {
		stop_worker(r); /* it may be in the middle of a rule */
		buf_free(&ans);
		*stopped = 1;
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
	size_t at = 0;
	for (int i = 0; i < r->n; i++) {
		const struct rule *x = &r->v[i];
		int kind = rc == 0 && at < ans.len ? (unsigned char)ans.p[at++] : 2;
		if (r->skip[i] == 3) {
			char text[300];
			snprintf(text, sizeof text, "error: exceeded its budget (%s)",
				 r->why + (size_t)i * WHY_MAX);
			add_reason(&reasons, x, text);
		} else if (kind == 3 && at + 2 <= ans.len) {
			uint16_t n;
			memcpy(&n, ans.p + at, sizeof n);
			at += sizeof n;
			if (n > ans.len - at)
				n = (uint16_t)(ans.len - at);
			reasons = jv_array_append(
			    reasons, jv_string_fmt("rule:%s: %.*s", x->name, (int)n, ans.p + at));
			at += n;
		} else if (kind == 2) {
			add_reason(&reasons, x, "error: not run (the rules worker stopped)");
		} else if (kind == 1) {
			add_reason(&reasons, x, x->reason ? x->reason : "fired");
			if (x->priority[1] < best[1]) {
				memcpy(best, x->priority, 3);
				best_category = x->category;
			} else if (x->priority[1] == best[1] && x->category && !best_category) {
				best_category = x->category;
			}
		}
	}
	buf_free(&ans);
	triage = jv_object_set(triage, jv_string("priority"), jv_string(best));
	if (best_category)
		triage = jv_object_set(triage, jv_string("category"), jv_string(best_category));
	return jv_object_set(triage, jv_string("reasons"), reasons);
}

const char *rules_exceeded(const struct rules *r)
{
	return r->exceeded.len ? r->exceeded.p : NULL;
}

jv rules_apply(struct rules *r, jv msg, jv triage)
{
	struct buf b = {0};
	int stopped;
	json_write(&b, msg);
	rules_submit(r, b.p, b.len);
	buf_free(&b);
	return rules_collect(r, triage, &stopped);
}
