#!/usr/bin/env bats
# tests/RELIABILITY.md's "attacks tried" section lists every attack test of
# the suites, by item and name, so the page cannot drift from them.

load helper

@test "tests/RELIABILITY.md lists every attack the suites perform, and nothing else" {
	suites=$(sh "$ROOT/tests/attacks-report.sh" --names-in-suites "$ROOT"/tests/8[2-8]-attacks-*.bats)
	page=$(sh "$ROOT/tests/attacks-report.sh" --names-in-page "$ROOT/tests/RELIABILITY.md")
	[ -n "$suites" ]
	if [ "$suites" != "$page" ]; then
		diff -u <(printf '%s\n' "$page") <(printf '%s\n' "$suites") >&2 || true
		echo "tests/RELIABILITY.md does not list the attack tests; regenerate it: make reliability" >&2
		return 1
	fi
}

@test "the attacks section says which attacks were not caught" {
	printf 'ok 1 attack 3: an ack is checked\nnot ok 2 attack 10b: a feed\nok 3 attack small: x # skip why\n' \
		>"$BATS_TEST_TMPDIR/t.tap"
	run sh "$ROOT/tests/attacks-report.sh" "$BATS_TEST_TMPDIR/t.tap"
	assert_success
	assert_output --partial '| 3 | an ack is checked | refused or caught |'
	assert_output --partial '| 10b | a feed | **NOT CAUGHT** (the test failed) |'
	assert_output --partial '| small | x | not run (skipped) |'
}
