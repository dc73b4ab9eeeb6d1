/*
 * optcheck.c: option values checked against their domain.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "ccc/exit.h"
#include "ccc/optcheck.h"

static int allowed_has(const char *s, size_t n, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strlen(*allowed) == n && !memcmp(*allowed, s, n))
			return 1;
	return 0;
}

/* "--opt: 'bad' is not one of a, b, c", cut to msglen. */
static int refuse(const char *opt, const char *bad, size_t n, const char *const *allowed, char *msg,
		  size_t msglen)
{
	size_t at;
	int w = snprintf(msg, msglen, "--%s: '%.*s' is not one of ", opt, (int)n, bad);
	at = w < 0 ? 0 : (size_t)w;
	for (const char *const *a = allowed; *a && at < msglen; a++) {
		w = snprintf(msg + at, msglen - at, "%s%s", a == allowed ? "" : ", ", *a);
		at += w < 0 ? 0 : (size_t)w;
	}
	return -1;
}

int optcheck_one(const char *opt, const char *value, const char *const *allowed, char *msg,
		 size_t msglen)
{
	size_t n = strlen(value);
	return n && allowed_has(value, n, allowed) ? 0
						   : refuse(opt, value, n, allowed, msg, msglen);
}

int optcheck_list(const char *opt, const char *list, const char *const *allowed, char *msg,
		  size_t msglen)
{
	const char *p = list;
	for (;;) {
		size_t n = strcspn(p, ",");
		if (!n || !allowed_has(p, n, allowed))
			return refuse(opt, p, n, allowed, msg, msglen);
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int optcheck_again(const struct argp_option *opts, int key, unsigned char *seen, size_t nseen,
		   const char **name)
{
	if (key <= 0 || (size_t)key >= nseen)
		return 0;
	for (; opts->name || opts->key || opts->doc; opts++) {
		if (opts->key == key && opts->arg && opts->name) {
			*name = opts->name;
			return seen[key]++ > 0;
		}
	}
	return 0;
}

/* 1 when word is one of the space-separated words of list. */
static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		size_t w = strcspn(p, " ");
		if (w == n && !memcmp(p, word, n))
			return 1;
		p += w;
		p += strspn(p, " ");
	}
	return 0;
}

const char *optcheck_unused(const struct argp_option *opts, const unsigned char *given,
			    size_t nseen, const struct optcheck_use *uses, size_t nuses,
			    const char *command)
{
	for (size_t i = 0; i < nuses; i++) {
		int key = uses[i].key;
		if (key <= 0 || (size_t)key >= nseen || !given[key] ||
		    has_word(uses[i].commands, command))
			continue;
		for (const struct argp_option *o = opts; o->name || o->key || o->doc; o++)
			if (o->key == key && o->name)
				return o->name;
	}
	return NULL;
}

const char *optcheck_name(const struct argp_option *opts, int key)
{
	for (; opts->name || opts->key || opts->doc; opts++)
		if (opts->key == key && opts->name)
			return opts->name;
	return "?";
}

int optcheck_refuse_unused(const struct argp_option *opts, const unsigned char *given, size_t nseen,
			   const struct optcheck_use *uses, size_t nuses, const char *command)
{
	char word[64];
	snprintf(word, sizeof word, "%s", command);
	for (char *p = word; *p; p++)
		*p = *p == ' ' ? '-' : *p;
	const char *name = optcheck_unused(opts, given, nseen, uses, nuses, word);
	if (!name)
		return 0;
	warnx("--%s does nothing with %s", name, command);
	return CCC_EX_USAGE;
}
