#!/usr/bin/env bats
# The JSONTestSuite parsing files fed to ccc-intake as NDJSON lines.

load helper

SUITE=$FIXTURES/jsontestsuite/test_parsing

setup() {
	common_setup
	init_store
}

@test "every n_ file is rejected line by line with a clear reason, and nothing is stored" {
	count=0
	for f in "$SUITE"/n_*.json; do
		# each file is fed on its own, as one NDJSON input
		rc=0
		ccc-intake -q --source jsontestsuite "$f" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
		if [ "$rc" -ne 65 ] && [ -s "$f" ] && [ "$(tr -d ' \t\r\n' <"$f" | wc -c)" -gt 0 ]; then
			echo "$f: exit $rc, expected 65" >&2
			false
		fi
		[ ! -s "$BATS_TEST_TMPDIR/out" ] || { echo "$f: wrote a record" >&2; false; }
		count=$((count + 1))
	done
	[ "$count" -ge 180 ]
	assert_equal "$(sql 'SELECT count(*) FROM messages')" 0
	run sql "SELECT count(*) FROM rejects WHERE reason LIKE 'not JSON%' OR reason LIKE 'invalid UTF-8%' OR reason LIKE 'not a JSON object%'"
	[ "$output" -gt 180 ]
}

@test "every y_ object is accepted as JSON (refused at most for a missing message field)" {
	for f in "$SUITE"/y_*.json; do
		tr '\n' ' ' <"$f" >"$BATS_TEST_TMPDIR/line"
		printf '\n' >>"$BATS_TEST_TMPDIR/line"
		rc=0
		ccc-intake -q --source jsontestsuite "$BATS_TEST_TMPDIR/line" >/dev/null 2>&1 || rc=$?
		[ "$rc" -eq 0 ] || [ "$rc" -eq 65 ] || { echo "$f: exit $rc" >&2; false; }
	done
	run sql "SELECT count(*) FROM rejects WHERE reason LIKE 'not JSON%' OR reason LIKE 'invalid UTF-8%'"
	assert_output 0
	run sql "SELECT count(*) FROM rejects WHERE reason LIKE 'field %'"
	[ "$output" -gt 0 ]
}

@test "i_ files never crash intake" {
	for f in "$SUITE"/i_*.json; do
		rc=0
		ccc-intake -q --source jsontestsuite "$f" >/dev/null 2>&1 || rc=$?
		[ "$rc" -eq 0 ] || [ "$rc" -eq 65 ] || { echo "$f: exit $rc" >&2; false; }
	done
	run ccc-store verify
	assert_success
}
