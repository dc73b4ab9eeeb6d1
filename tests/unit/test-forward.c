/*
 * test-forward.c: how a write at a standby is quoted and addressed to the
 * primary's program (forward.h): arguments quoted once for /bin/sh, twice
 * through ssh, and the word that runs ccc-failover replaced by the program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ccc/forward.h"
#include "tap.h"

/* What /bin/sh makes of cmd: each word on a line of its own. */
static char *sh_words(const char *cmd)
{
	char script[8192], *out = NULL;
	size_t n = 0;
	snprintf(script, sizeof script, "printf '%%s\\n' %s", cmd);
	FILE *p = popen(script, "r");
	if (!p)
		return NULL;
	FILE *m = open_memstream(&out, &n);
	int c;
	while ((c = fgetc(p)) != EOF)
		fputc(c, m);
	fclose(m);
	pclose(p);
	return out;
}

static void check_quote(const char *arg)
{
	char *q = forward_quote(arg), want[4096], *got = sh_words(q);
	snprintf(want, sizeof want, "%s\n", arg);
	is_str(got, want, "'%s' comes back from sh as it was", arg);
	free(q);
	free(got);
}

int main(void)
{
	static const char *const hostile[] = {
	    "plain", "a b", "it's",   "$(touch /tmp/x)", "`id`",      "\"a\"  b", "a;b|c&d", "\\e",
	    "''",    "-",   "--as=x", "ünïcode é",       "new\nline", "*",        "~root"};
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
		check_quote(hostile[i]);

	char *q = forward_quote("msg-lyon-1");
	is_str(q, "msg-lyon-1", "a shell-safe word is left as it is");
	free(q);
	q = forward_quote("");
	is_str(q, "''", "an empty argument is kept");
	free(q);
	q = forward_quote("it's");
	is_str(q, "'it'\\''s'", "a quote is closed, escaped and reopened");
	free(q);

	const char *args[] = {"--as", "o'brien", "take", "msg-lyon-1"};
	char *c = forward_command("ssh lyon ccc-failover", "ccc-triage", "buenos-aires", args, 4);
	is_str(c,
	       "ssh lyon env CCC_FORWARDED=buenos-aires ccc-triage --as "
	       "''\\''o'\\''\\'\\'''\\''brien'\\''' "
	       "take msg-lyon-1",
	       "through ssh: the program in place of ccc-failover, arguments quoted twice");
	free(c);
	c = forward_command("ccc-failover --store '/srv/a b.db'", "ccc-intake", "bue", args + 2, 2);
	is_str(c, "env CCC_FORWARDED=bue ccc-intake --store '/srv/a b.db' take msg-lyon-1",
	       "what follows ccc-failover in the command stays after the program");
	free(c);
	c = forward_command("sudo -u ccc /opt/ccc/bin/ccc-failover", "ccc-notice", "bue", NULL, 0);
	is_str(c, "sudo -u ccc env CCC_FORWARDED=bue /opt/ccc/bin/ccc-notice",
	       "a path to ccc-failover keeps its folder");
	free(c);
	c = forward_command("ssh lyon ccc failover", "ccc-case", "bue", NULL, 0);
	is_str(c, "ssh lyon env CCC_FORWARDED=bue ccc-case", "'ccc failover' becomes the program");
	free(c);
	ok(forward_command("ssh lyon", "ccc-case", "bue", NULL, 0) == NULL,
	   "a command that names no ccc-failover cannot reach the program");
	ok(forward_command("ssh lyon my-ccc-failover", "ccc-case", "bue", NULL, 0) == NULL,
	   "nor one whose word only ends in ccc-failover");

	/* through ssh: what the shell at the other end makes of it is the argument */
	const char *one[] = {"it's $(id) \"a\"  b"};
	c = forward_command("ssh lyon ccc-failover", "ccc-triage", "bue", one, 1);
	char *local = sh_words(c + strlen("ssh lyon "));
	ok(local && strstr(local, "ccc-triage\n") != NULL, "the local shell keeps the program");
	const char *arg = local ? strstr(local, "ccc-triage\n") + strlen("ccc-triage\n") : "";
	char remote_cmd[512];
	snprintf(remote_cmd, sizeof remote_cmd, "%.*s", (int)strcspn(arg, "\n"), arg);
	char *remote = sh_words(remote_cmd);
	is_str(remote, "it's $(id) \"a\"  b\n", "and the remote shell gets the argument whole");
	free(remote);
	free(local);
	free(c);
	return tap_done();
}
