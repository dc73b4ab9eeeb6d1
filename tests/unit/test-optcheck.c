/*
 * test-optcheck.c: option values checked against their domain, and the
 * message that names the option, the value and the values allowed.
 */
#include <string.h>

#include "ccc/optcheck.h"
#include "tap.h"

int main(void)
{
	static const char *const pri[] = {"P1", "P2", "P3", "P4", NULL};
	char msg[256];

	is_int(optcheck_list("priority", "P1", pri, msg, sizeof msg), 0, "one good value");
	is_int(optcheck_list("priority", "P1,P2,P4", pri, msg, sizeof msg), 0, "a good list");
	is_int(optcheck_list("priority", "p1", pri, msg, sizeof msg), -1, "case counts");
	is_str(msg, "--priority: 'p1' is not one of P1, P2, P3, P4", "the message names all");
	is_int(optcheck_list("priority", "P1,P9", pri, msg, sizeof msg), -1, "a bad second item");
	is_str(msg, "--priority: 'P9' is not one of P1, P2, P3, P4", "the bad item is named");
	is_int(optcheck_list("priority", "P1,", pri, msg, sizeof msg), -1, "an empty item");
	is_str(msg, "--priority: '' is not one of P1, P2, P3, P4", "an empty item is named");
	is_int(optcheck_list("priority", "", pri, msg, sizeof msg), -1, "an empty list");
	is_int(optcheck_list("priority", "P", pri, msg, sizeof msg), -1, "a prefix is not a value");
	is_int(optcheck_one("format", "P1,P2", pri, msg, sizeof msg), -1,
	       "one value: commas are not separators");
	is_int(optcheck_one("format", "P3", pri, msg, sizeof msg), 0, "one good value alone");
	char small[20];
	is_int(optcheck_one("priority", "nonsense", pri, small, sizeof small), -1,
	       "a small buffer");
	ok(strlen(small) == sizeof small - 1, "the message is cut, not overrun");

	/* options a command does not use */
	static const struct argp_option opts[] = {
	    {"to", 1, "NAME", 0, "assign", 0},
	    {"all", 2, NULL, 0, "queue", 0},
	    {"due", 3, "P1=15m", 0, "filter and escalate", 0},
	    {"as", 4, "NAME", 0, "every command", 0},
	    {0},
	};
	static const struct optcheck_use uses[] = {
	    {1, "assign"}, {2, "queue"}, {3, "filter escalate"}};
	unsigned char given[8] = {0};
	const size_t nu = sizeof uses / sizeof uses[0];
	ok(optcheck_unused(opts, given, sizeof given, uses, nu, "queue") == NULL, "nothing given");
	given[1] = given[4] = 1;
	ok(optcheck_unused(opts, given, sizeof given, uses, nu, "assign") == NULL,
	   "--to with assign");
	is_str(optcheck_unused(opts, given, sizeof given, uses, nu, "close"), "to",
	       "--to with close");
	given[1] = 0;
	given[3] = 1;
	ok(optcheck_unused(opts, given, sizeof given, uses, nu, "escalate") == NULL,
	   "the second command of a list");
	is_str(optcheck_unused(opts, given, sizeof given, uses, nu, "esc"), "due",
	       "a prefix of a command is not the command");
	given[3] = 0;
	ok(optcheck_unused(opts, given, sizeof given, uses, nu, "anything") == NULL,
	   "an option not listed is used by every command");

	/* a two-word command is listed with '-' and refused by its name */
	static const struct optcheck_use two[] = {{1, "site-add ship"}};
	given[1] = 1;
	is_int(optcheck_refuse_unused(opts, given, sizeof given, two, 1, "site add"), 0,
	       "--to with site add");
	is_int(optcheck_refuse_unused(opts, given, sizeof given, two, 1, "ship"), 0,
	       "--to with ship");
	is_int(optcheck_refuse_unused(opts, given, sizeof given, two, 1, "site list"), 64,
	       "--to with site list: 64");
	given[1] = 0;

	/* a single-valued option given twice */
	unsigned char seen[8] = {0};
	const char *name = NULL;
	is_int(optcheck_again(opts, 1, seen, sizeof seen, &name), 0, "--to once");
	is_int(optcheck_again(opts, 1, seen, sizeof seen, &name), 1, "--to twice");
	is_str(name, "to", "its name");
	is_int(optcheck_again(opts, 2, seen, sizeof seen, &name), 0, "a flag once");
	is_int(optcheck_again(opts, 2, seen, sizeof seen, &name), 0,
	       "a flag twice is no value twice");
	is_int(optcheck_again(opts, 99, seen, sizeof seen, &name), 0, "a key beyond seen");
	return tap_done();
}
