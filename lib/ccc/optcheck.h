/*
 * optcheck.h: the checks every program applies to the values of its
 * options, so that a value outside its domain is refused the same way
 * everywhere (ccc(7), CONVENTIONS). The functions only look and write a
 * message; the caller refuses with it (argp_error, exit 64).
 */
#ifndef CCC_OPTCHECK_H
#define CCC_OPTCHECK_H

#include <argp.h>
#include <stddef.h>

/*
 * Each comma-separated item of list is one of allowed (a NULL-terminated
 * array; compared exactly). Returns 0, or -1 with msg set to
 * "--OPT: 'ITEM' is not one of A, B, C" (opt given without the dashes).
 * An empty list or an empty item is refused too.
 */
int optcheck_list(const char *opt, const char *list, const char *const *allowed, char *msg,
		  size_t msglen);

/* The same for a single value: commas are not separators. */
int optcheck_one(const char *opt, const char *value, const char *const *allowed, char *msg,
		 size_t msglen);

/*
 * 1 when key is an option of opts that takes a value and was given before
 * on this command line (seen, nseen bytes indexed by key, remembers; start
 * it zeroed); *name then gets the option's long name. A single-valued
 * option given twice is refused rather than silently taking the last.
 */
int optcheck_again(const struct argp_option *opts, int key, unsigned char *seen, size_t nseen,
		   const char **name);

/* The long name of option key in opts ("?" when it has none), for a
 * message that several options share. */
const char *optcheck_name(const struct argp_option *opts, int key);

/* The commands that use an option: key, and their names separated by
 * spaces (a program's own word, e.g. "filter", for no command). */
struct optcheck_use {
	int key;
	const char *commands;
};

/*
 * The long name of the first option given (given[key] set, nseen bytes)
 * that command does not use according to uses (nuses entries; an option
 * not listed there is used by every command), or NULL. An option given but
 * not used is refused ("--X does nothing with COMMAND"), not dropped.
 */
const char *optcheck_unused(const struct argp_option *opts, const unsigned char *given,
			    size_t nseen, const struct optcheck_use *uses, size_t nuses,
			    const char *command);

/*
 * optcheck_unused for a program's command, refused: warns "--X does nothing
 * with COMMAND" and returns 64 when an option given is not used by command,
 * else 0. A two-word command ("site add") is listed in uses with a '-'
 * ("site-add").
 */
int optcheck_refuse_unused(const struct argp_option *opts, const unsigned char *given, size_t nseen,
			   const struct optcheck_use *uses, size_t nuses, const char *command);

#endif
