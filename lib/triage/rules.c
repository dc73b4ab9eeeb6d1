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
#include "ccc/out.h"
#include "ccc/ndjson.h"
#include "ccc/rules.h"
#include "ccc/xmalloc.h"

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
	volatile int32_t message; /* in the batch it was sent */
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
	/* the batch in hand: messages, and per message and rule whether it is
	 * given up (and why), then the answers */
	struct buf texts;
	struct batch_msg *m;
	int nmsg, cap;
	unsigned char *skip; /* nmsg x n */
	char *why;           /* nmsg x n x WHY_MAX */
	struct buf answers;
	int sent;     /* the first message of what the worker was sent */
	int answered; /* messages answered so far */
	long long deadline, stop_seen;
	struct buf exceeded;
};

struct batch_msg {
	size_t off, len;         /* in texts */
	size_t ans_off, ans_len; /* in answers */
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
		xmalloc_failed();
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
	r->v = xrealloc(r->v, sizeof *r->v * (size_t)(r->n + 1));
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
	r = xcalloc(1, sizeof *r);
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
	free(r->m);
	free(r->skip);
	free(r->why);
	buf_free(&r->errors);
	buf_free(&r->texts);
	buf_free(&r->answers);
	buf_free(&r->exceeded);
	free(r);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read exactly n bytes; 0, or -1 (end of input or an error). */
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

/* One message through the rules not skipped, the answer appended to resp:
 * per rule a byte 0 (did not fire), 1 (fired), 2 (skipped) or 3 followed by
 * u16 length and the text of its error. */
static void run_rules(struct rules *r, const unsigned char *skip, const char *text, size_t len,
		      struct buf *resp)
{
	jv msg = jv_parse_sized(text, (int)len);
	if (!jv_is_valid(msg)) {
		jv_free(msg);
		msg = jv_object();
	}
	for (int i = 0; i < r->n; i++) {
		if (skip[i]) {
			buf_addc(resp, 2);
			continue;
		}
		r->progress->rule = i;
		jq_start(r->v[i].jq, jv_copy(msg), 0);
		jv v = jq_next(r->v[i].jq);
		for (jv more = jq_next(r->v[i].jq); jv_is_valid(more); more = jq_next(r->v[i].jq))
			jv_free(more);
		if (jv_get_kind(v) == JV_KIND_STRING) {
			size_t n = strlen(jv_string_value(v));
			uint16_t n16 = (uint16_t)(n > ERROR_MAX ? ERROR_MAX : n);
			buf_addc(resp, 3);
			buf_add(resp, &n16, sizeof n16);
			buf_add(resp, jv_string_value(v), n16);
		} else {
			buf_addc(resp, jv_get_kind(v) == JV_KIND_NUMBER && jv_number_value(v) == 1);
		}
		jv_free(v);
	}
	jv_free(msg);
	r->progress->rule = -1;
}

/*
 * The worker: a request is u32 count, then per message u32 length, the skip
 * flags of the n rules and the message's JSON. It is read whole before any
 * answer is written (so that neither side blocks on a full pipe), then each
 * message is answered as soon as its rules have run: u32 length and what
 * run_rules wrote; progress->message says which message it is on.
 */
static void worker(struct rules *r, int in, int out)
{
	struct buf req = {0}, resp = {0};
	size_t *at = NULL;
	uint32_t count, len;

	for (;;) {
		if (read_all(in, &count, sizeof count) < 0)
			_exit(0);
		req.len = 0;
		free(at);
		if (!(at = calloc((size_t)count + 1, sizeof *at)))
			_exit(1);
		for (uint32_t k = 0; k < count; k++) {
			if (read_all(in, &len, sizeof len) < 0 || len < (uint32_t)r->n)
				_exit(0);
			at[k] = req.len;
			buf_add(&req, &len, sizeof len);
			buf_grow(&req, len);
			if (read_all(in, req.p + req.len, len) < 0)
				_exit(0);
			req.len += len;
		}
		for (uint32_t k = 0; k < count; k++) {
			const char *p = req.p + at[k];
			memcpy(&len, p, sizeof len);
			r->progress->message = (int32_t)k;
			resp.len = 0;
			buf_add(&resp, &len, sizeof len); /* room for the length */
			run_rules(r, (const unsigned char *)p + sizeof len, p + sizeof len + r->n,
				  len - (uint32_t)r->n, &resp);
			len = (uint32_t)(resp.len - sizeof len);
			memcpy(resp.p, &len, sizeof len);
			if (write_all(out, resp.p, resp.len) < 0)
				_exit(0);
		}
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

void rules_add(struct rules *r, const char *json, size_t len)
{
	if (r->nmsg == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->m = xrealloc(r->m, (size_t)r->cap * sizeof *r->m);
		r->skip = xrealloc(r->skip, (size_t)r->cap * (size_t)(r->n + 1));
		r->why = xrealloc(r->why, (size_t)r->cap * (size_t)(r->n + 1) * WHY_MAX);
	}
	struct batch_msg *m = &r->m[r->nmsg];
	memset(r->skip + (size_t)r->nmsg * (size_t)r->n, 0, (size_t)r->n);
	m->off = r->texts.len;
	m->len = len;
	m->ans_off = m->ans_len = 0;
	buf_add(&r->texts, json, len);
	r->nmsg++;
}

int rules_batch_count(const struct rules *r)
{
	return r->nmsg;
}

size_t rules_batch_bytes(const struct rules *r)
{
	return r->texts.len;
}

void rules_clear(struct rules *r)
{
	r->nmsg = 0;
	r->texts.len = 0;
	r->answers.len = 0;
	r->sent = r->answered = 0;
}

/* Send the messages not answered yet to a worker (started if need be). */
static int send_batch(struct rules *r)
{
	struct buf b = {0};
	uint32_t count = (uint32_t)(r->nmsg - r->answered);
	if (r->pid < 0 && start_worker(r) < 0)
		return -1;
	buf_add(&b, &count, sizeof count);
	for (int k = r->answered; k < r->nmsg; k++) {
		uint32_t len = (uint32_t)(r->n + r->m[k].len);
		buf_add(&b, &len, sizeof len);
		buf_add(&b, r->skip + (size_t)k * (size_t)r->n, (size_t)r->n);
		buf_add(&b, r->texts.p + r->m[k].off, r->m[k].len);
	}
	r->progress->rule = -1;
	r->progress->message = 0;
	r->sent = r->answered;
	r->deadline = now_ms() + r->time_ms;
	int rc = write_all(r->to_worker, b.p, b.len);
	buf_free(&b);
	return rc;
}

int rules_run(struct rules *r)
{
	r->answers.len = 0;
	r->answered = 0;
	r->stop_seen = 0;
	if (r->nmsg && send_batch(r) < 0)
		stop_worker(r); /* rules_result starts another and tries again */
	return 0;
}

/* Wait for the next answer until the deadline; 0 when it is in answers, 1
 * when the deadline passed, -1 when the worker is gone, -2 when stopped by a
 * signal (the batch in hand is given a tenth of a second to finish). */
static int wait_answer(struct rules *r)
{
	uint32_t len;
	for (;;) {
		if (r->stopped && r->stopped()) {
			long long now = now_ms();
			if (!r->stop_seen)
				r->stop_seen = now;
			else if (now - r->stop_seen >= 100)
				return -2;
		}
		if (r->pid < 0)
			return -1;
		long long left = r->deadline - now_ms();
		if (left <= 0)
			return 1;
		struct pollfd pfd = {r->from_worker, POLLIN, 0};
		int k = poll(&pfd, 1, left > 50 ? 50 : (int)left); /* a signal: soon */
		if (k < 0 && errno != EINTR)
			return -1;
		if (k > 0)
			break;
	}
	if (read_all(r->from_worker, &len, sizeof len) < 0)
		return -1;
	struct batch_msg *m = &r->m[r->answered];
	m->ans_off = r->answers.len;
	m->ans_len = len;
	buf_grow(&r->answers, len);
	if (read_all(r->from_worker, r->answers.p + r->answers.len, len) < 0)
		return -1;
	r->answers.len += len;
	r->answered++;
	r->deadline = now_ms() + r->time_ms; /* the next message's time starts */
	return 0;
}

/* The worker ran over its budget on message k (timed out), or died: give up
 * the rule it was in for that message, and carry on with a fresh worker. */
static void give_up_rule(struct rules *r, int k, int timed_out)
{
	int status = 0, i = r->progress ? r->progress->rule : -1;
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
			;
		r->pid = -1;
	}
	stop_worker(r);
	unsigned char *skip = r->skip + (size_t)k * (size_t)r->n;
	char *why = r->why + (size_t)k * (size_t)r->n * WHY_MAX;
	if (r->progress && r->progress->message != k - r->sent)
		i = -1; /* it died before it came to this message */
	if (i < 0 || i >= r->n) {
		/* not in a rule: every rule left is given up on this message */
		for (int j = 0; j < r->n; j++)
			if (!skip[j]) {
				skip[j] = 3;
				snprintf(why + (size_t)j * WHY_MAX, WHY_MAX,
					 "its worker stopped between rules");
			}
		return;
	}
	skip[i] = 3;
	if (timed_out)
		snprintf(why + (size_t)i * WHY_MAX, WHY_MAX, "more than %ld ms on this message",
			 r->time_ms);
	else
		snprintf(why + (size_t)i * WHY_MAX, WHY_MAX,
			 "its worker died (%s %d): more than %zu MiB of memory, or a crash",
			 WIFSIGNALED(status) ? "signal" : "status",
			 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
			 r->memory >> 20);
}

static void add_reason(jv *reasons, const struct rule *x, const char *text)
{
	*reasons = jv_array_append(*reasons, jv_string_fmt("rule:%s: %s", x->name, text));
}

jv rules_result(struct rules *r, int k, jv triage, int *stopped)
{
	int rc = 0;
	*stopped = 0;
	r->exceeded.len = 0;
	if (k < 0 || k >= r->nmsg)
		return triage;
	for (int tries = 0; r->answered <= k && tries <= 2 * (r->n + 1); tries++) {
		if (r->pid < 0 && send_batch(r) < 0) {
			stop_worker(r);
			if (r->stopped && r->stopped()) {
				rc = -2;
				break;
			}
			continue;
		}
		rc = wait_answer(r);
		if (rc == -2)
			break;
		if (rc != 0)
			give_up_rule(r, r->answered, rc == 1);
	}
	if (rc == -2) {
		stop_worker(r); /* it may be in the middle of a rule */
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
	const unsigned char *skip = r->skip + (size_t)k * (size_t)r->n;
	const char *why = r->why + (size_t)k * (size_t)r->n * WHY_MAX;
	const char *ans = r->answered > k ? r->answers.p + r->m[k].ans_off : NULL;
	size_t at = 0, alen = ans ? r->m[k].ans_len : 0;
	for (int i = 0; i < r->n; i++) {
		const struct rule *x = &r->v[i];
		int kind = at < alen ? (unsigned char)ans[at++] : 2;
		if (skip[i] == 3) {
			char text[WHY_MAX + 64];
			snprintf(text, sizeof text, "error: exceeded its budget (%s)",
				 why + (size_t)i * WHY_MAX);
			add_reason(&reasons, x, text);
			char line[WHY_MAX + 300];
			snprintf(line, sizeof line, "rule '%s' exceeded its budget (%s)", x->name,
				 why + (size_t)i * WHY_MAX);
			if (r->exceeded.len)
				buf_adds(&r->exceeded, "; ");
			buf_adds(&r->exceeded, line);
			buf_addc(&r->exceeded, '\0');
			r->exceeded.len--;
		} else if (kind == 3 && at + 2 <= alen) {
			uint16_t n;
			memcpy(&n, ans + at, sizeof n);
			at += sizeof n;
			if (n > alen - at)
				n = (uint16_t)(alen - at);
			reasons = jv_array_append(
			    reasons, jv_string_fmt("rule:%s: %.*s", x->name, (int)n, ans + at));
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
	rules_clear(r);
	rules_add(r, b.p, b.len);
	buf_free(&b);
	rules_run(r);
	triage = rules_result(r, 0, triage, &stopped);
	rules_clear(r);
	return triage;
}
