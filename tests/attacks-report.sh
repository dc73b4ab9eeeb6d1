#!/bin/sh
# The "attacks tried" section of RELIABILITY.md, from the TAP output of the
# attack suites (tests/8[2-8]-attacks-*.bats, whose tests are named
# "attack ITEM: what it proves"); or the attack tests' names, sorted, from the
# suites themselves or from a page, to show the page lists every one.
#   sh tests/attacks-report.sh TAP >>RELIABILITY.md
#   sh tests/attacks-report.sh --names-in-suites FILE...
#   sh tests/attacks-report.sh --names-in-page RELIABILITY.md
set -eu

case "${1:-}" in
--names-in-suites)
	shift
	# the names as bats reads them: double-quoted strings
	sed -n 's/^@test "\(attack .*\)" {$/\1/p' "$@" | sed 's/\\\([$`"\\]\)/\1/g' | LC_ALL=C sort
	exit 0
	;;
--names-in-page)
	[ $# = 2 ] || { echo "usage: attacks-report.sh --names-in-page PAGE" >&2; exit 64; }
	sed -n '/^## Attacks tried/,$p' "$2" | grep '^| [0-9s]' |
		awk -F ' \\| ' '{ sub(/^\| /, "", $1); gsub(/\\\|/, "|", $2); print "attack " $1 ": " $2 }' |
		LC_ALL=C sort
	exit 0
	;;
esac
[ $# = 1 ] || { echo "usage: attacks-report.sh TAP | --names-in-suites FILE... | --names-in-page PAGE" >&2; exit 64; }
[ -r "$1" ] || { echo "attacks-report: cannot read '$1'" >&2; exit 66; }

cat <<'HEAD'

## Attacks tried

Generated from the attack suites (`tests/82-attacks-*.bats` to
`tests/88-attacks-*.bats`, run by `make check`; `make reliability` rewrites
this section from their run). Each row is one test that performs an attack on
the store, its replication or its inputs, as a hostile input source, a careless
operator, an insider with file access or a trusted but compromised peer would,
and asserts that it is refused or caught; the item numbers are those of the
issue that listed the holes ("small" for the smaller ones). A test of
`tests/89-attacks-report.bats` fails when this list and the suites' tests
differ.

| Item | Attack, and what the test asserts | Result |
|---|---|---|
HEAD
awk '
/^(not )?ok [0-9]+ attack / {
	ok = $1 == "ok"
	line = $0
	sub(/^(not )?ok [0-9]+ attack /, "", line)
	sub(/ # .*$/, "", line)            # a TAP directive (skip, todo)
	item = line
	sub(/:.*$/, "", item)
	what = line
	sub(/^[^:]*: /, "", what)
	gsub(/\|/, "\\|", what)
	skipped = $0 ~ / # skip/
	res = skipped ? "not run (skipped)" : ok ? "refused or caught" : "**NOT CAUGHT** (the test failed)"
	# sort key: the item number, then its letter, "small" last
	n = item + 0
	key = item == "small" ? 9999 : n
	printf "%06d\t%s\t| %s | %s | %s |\n", key, item, item, what, res
}' "$1" | LC_ALL=C sort -t "$(printf '\t')" -k1,1n -k2,2 -s | cut -f 3-
