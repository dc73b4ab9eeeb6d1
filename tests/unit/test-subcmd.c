/*
 * test-subcmd.c: finding a subcommand in its table, one word or two, and the
 * name suggested for a mistyped one.
 */
#include <stddef.h>
#include <string.h>

#include "ccc/subcmd.h"
#include "tap.h"

static int run(struct store *s, const char *name)
{
	(void)s;
	(void)name;
	return 0;
}

static const struct subcmd tab[] = {
    {"queue", SUBCMD_READ, 0, 0, NULL, 0, run, "the queue"},
    {"note", SUBCMD_WRITE, 2, 2, "ID TEXT", 0, run, "a note"},
    {"trust add", SUBCMD_NONE, 0, 2, "NAME KEY", 1, run, "trust a key"},
    {"trust list", SUBCMD_NONE, 0, 0, NULL, 0, run, "the trusted"},
    {"escalate", SUBCMD_WRITE, 0, 0, NULL, 0, run, "escalate"},
};
#define N (sizeof tab / sizeof tab[0])

int main(void)
{
	char buf[128];
	int used = 0;
	char *w1[] = {"queue"};
	char *w2[] = {"trust", "list", "x"};
	char *w3[] = {"trust", "lst"};
	char *w4[] = {"qeue"};
	char *w5[] = {"trust"};
	char *w6[] = {"xyzzy"};
	char *w7[] = {"queue", "extra"};
	char *w8[] = {"que"};

	ok(subcmd_find(tab, N, 1, w1, &used) == &tab[0] && used == 1, "one word found");
	ok(subcmd_find(tab, N, 3, w2, &used) == &tab[3] && used == 2,
	   "two words found, the rest left");
	ok(subcmd_find(tab, N, 2, w3, &used) == NULL, "a mistyped second word is not found");
	ok(subcmd_find(tab, N, 1, w5, &used) == NULL, "the first of two words alone is not found");
	ok(subcmd_find(tab, N, 1, w8, &used) == NULL, "a prefix is not a match");
	ok(subcmd_find(tab, N, 0, w1, &used) == NULL, "no words: none");
	ok(subcmd_find(tab, N, 2, w7, &used) == &tab[0] && used == 1,
	   "a one-word name leaves its arguments");

	ok(subcmd_suggest(tab, N, 1, w4, buf, sizeof buf) == 0 && !strcmp(buf, "queue"),
	   "qeue -> queue");
	ok(subcmd_suggest(tab, N, 2, w3, buf, sizeof buf) == 0 && !strcmp(buf, "trust list"),
	   "trust lst -> trust list");
	ok(subcmd_suggest(tab, N, 1, w6, buf, sizeof buf) == -1, "nothing near: none");
	char *w10[] = {"trst"};
	ok(subcmd_suggest(tab, N, 1, w10, buf, sizeof buf) == 0 && !strcmp(buf, "trust"),
	   "trst -> trust (a first word, once)");

	ok(subcmd_mistyped(tab, N, "qeue", buf, sizeof buf) && !strcmp(buf, "queue"),
	   "a missing file near a command is mistyped");
	ok(!subcmd_mistyped(tab, N, "qeue.json", buf, sizeof buf), "a name with '.' is a file");
	ok(!subcmd_mistyped(tab, N, "dir/qeue", buf, sizeof buf), "a name with '/' is a file");
	ok(subcmd_mistyped(tab, N, "show", buf, sizeof buf) && !*buf,
	   "a missing file near no command is mistyped, with no suggestion");
	ok(!subcmd_mistyped(tab, N, "/dev/null", buf, sizeof buf), "an existing file is a file");
	ok(!subcmd_mistyped(tab, N, "-", buf, sizeof buf), "'-' is stdin");
	ok(!subcmd_mistyped(tab, N, "Queue", buf, sizeof buf), "a capitalised name is a file");
	ok(!subcmd_mistyped(tab, N, "mail_2026", buf, sizeof buf), "a name with '_' is a file");
	return tap_done();
}
