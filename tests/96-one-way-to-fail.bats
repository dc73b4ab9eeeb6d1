#!/usr/bin/env bats
# Issue 14, one way to fail: the exit statuses every --help lists come from
# one table (lib/ccc/exit.h); lib/ never exits, and a write error on stdout
# still ends a program with 74.

load helper

setup() {
	common_setup
}

# The statuses a man page's EXIT STATUS section lists, one a line.
man_statuses() {
	awk '/^\.Sh EXIT STATUS/ { f = 1; next } /^\.Sh/ { f = 0 } f && /^\.It [0-9]/ { print $2 }' "$1"
}

# The statuses the "Exit status:" paragraph of a --help lists, one a line.
help_statuses() {
	"$1" --help | awk '/^Exit status/ { f = 1; next } f && /^$/ { f = 0 } f && /^  [0-9]/ { print $1 }'
}

@test "no program writes its exit-status text by hand: every --help builds it from the shared table" {
	cd "$ROOT"
	run grep -lE 'Exit status: *"? *[0-9]' bin/*.c
	assert_failure 1
	assert_output ''
	run ccc-intake --help
	assert_output --partial $'Exit status:\n  0    all stored\n  64   usage\n'
	assert_output --partial '  74   I/O error, including a write error on stdout'
	run ccc-store --help
	assert_output --partial '  74   I/O error, including a write error on stdout'
	run ccc-check --help
	assert_output --partial '  1    with -q: nothing was found'
}

@test "every program's --help lists the same exit statuses as its man page, before EXAMPLES" {
	for p in "$BUILD"/bin/ccc-*; do
		name=$(basename "$p")
		run diff <(help_statuses "$p") <(man_statuses "$ROOT/man/man1/$name.1")
		assert_success
		assert_output ''
		[ -n "$(help_statuses "$p")" ]
		run sh -c "'$p' --help | grep -oE '^(Exit status:|EXAMPLES)'"
		assert_output $'Exit status:\nEXAMPLES'
	done
}

@test "a long exit-status meaning wraps under its own column, within 79 columns" {
	run sh -c 'ccc-failover --help | sed -n "/^Exit status/,/^EXAMPLES/p" | awk "length > 78"'
	assert_output ''
	run ccc-failover --help
	assert_output --regexp $'\n  65   an entry was refused[^\n]*\n       [a-z]'
}

@test "ccc help lists its own exit statuses from the same table" {
	run ccc help
	assert_success
	assert_output --partial $'Exit status: that of the command run, or:\n  0    help or --version printed\n  64   usage'
	assert_output --partial '  69   the command is not installed, or cannot be run'
}
