/*
 * One way to fail: the shared table of exit statuses and the --help
 * paragraph built from it (lib/ccc/exit.h), and a statement the store
 * cannot prepare, returned instead of ending the process (lib/ccc/store.h).
 */
#include <argp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ccc/exit.h"
#include "ccc/store.h"
#include "tap.h"

static void test_meanings(void)
{
	is_str(ccc_exit_meaning(CCC_EX_USAGE), "usage", "64 means usage");
	is_str(ccc_exit_meaning(CCC_EX_IOERR), "I/O error, including a write error on stdout",
	       "74 says a write error on stdout is one");
	ok(ccc_exit_meaning(2) == NULL, "2 is no ccc status");
}

static void test_paragraph(void)
{
	static const struct ccc_exit_use list[] = {
	    {CCC_EX_OK, NULL},
	    {CCC_EX_NEGATIVE, "with -q: nothing was found"},
	    {CCC_EX_TEMPFAIL, "one two three four five six seven eight nine ten eleven"},
	    CCC_EXIT_END,
	};
	char *p = ccc_exit_paragraph(list, 40);
	is_str(p,
	       "Exit status:\n"
	       "  0    success\n"
	       "  1    with -q: nothing was found\n"
	       "  75   one two three four five six seven\n"
	       "       eight nine ten eleven\n",
	       "one status a line, the shared meaning by default, wrapped under its column");
	free(p);
}

static void test_help_filter(void)
{
	static const struct ccc_exit_use list[] = {{CCC_EX_USAGE, NULL}, CCC_EXIT_END};
	const char *doc = "Text.\n\nEXAMPLES\n  prog -x";
	char *got = ccc_exit_help_filter(ARGP_KEY_HELP_POST_DOC, doc, (void *)list);
	is_str(got, "Text.\n\nExit status:\n  64   usage\n\nEXAMPLES\n  prog -x",
	       "the paragraph goes before EXAMPLES");
	free(got);
	got = ccc_exit_help_filter(ARGP_KEY_HELP_POST_DOC, "Text.", (void *)list);
	is_str(got, "Text.\n\nExit status:\n  64   usage\n", "or at the end without EXAMPLES");
	free(got);
	ok(ccc_exit_help_filter('x', doc, (void *)list) == doc,
	   "an option's text passes unchanged");
}

static void test_stmt_failure(void)
{
	char dir[] = "/tmp/ccc-test-exit-XXXXXX", db[96], key[96];
	struct store *s = NULL;
	ok(mkdtemp(dir) != NULL, "a temporary folder");
	snprintf(db, sizeof db, "%s/s.db", dir);
	snprintf(key, sizeof key, "%s/keys/lyon.pem", dir);
	setenv("XDG_STATE_HOME", dir, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	if (store_init_opts(db, "lyon", key, 0, NULL) != 0 ||
	    store_open_opts(db, STORE_READ, key, NULL, &s) != 0) {
		ok(0, "a store to try");
		return;
	}
	static const char *const bad = "SELECT nothing FROM no_such_table";
	ok(store_stmt_failed(s) == 0, "no statement has failed yet");
	sqlite3_stmt *st = store_stmt(s, bad);
	ok(st == NULL, "a statement that cannot be prepared is NULL, the process goes on");
	int rc = sqlite3_step(st);
	ok(rc == SQLITE_MISUSE, "stepping it gives SQLITE_MISUSE");
	is_int(store_error(s, rc, "reading"), CCC_EX_SOFTWARE,
	       "which store_error turns into the prepare error's status (70, a bug in the SQL)");
	is_int(store_stmt_failed(s), CCC_EX_SOFTWARE, "and store_stmt_failed says so too");
	store_close(s);
	char rm[128];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	if (system(rm) != 0)
		ok(0, "cleaning up");
}

int main(void)
{
	test_meanings();
	test_paragraph();
	test_help_filter();
	test_stmt_failure();
	return tap_done();
}
