#!/usr/bin/env bats
# Reading programs at a standby read its copy and say how old it is: the lag
# (entries and seconds behind its primary) on stderr for a table, as a field
# in NDJSON; the head record each export ends with is a hint, never a proof.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	export CCC_NOW=2026-11-28T10:00:00Z
	LYON=$BATS_TEST_TMPDIR/lyon.db
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$LYON" init -q --site lyon
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
	echo '{"body":"first"}' | ccc-intake -q --store "$LYON" --source ncb:fr |
		ccc-triage -q --store "$LYON" >/dev/null
	ccc-case --store "$LYON" open --kind incident --title 'Bomb threat' --country FR \
		--lead a.martin --as a.martin >/dev/null
	ccc-notice --store "$LYON" draft --kind red --name 'Ivan Petrov' --dob 1980-03-14 \
		--nationality RU --country FR --charge 'armed robbery' --warrant W-2026-118 \
		--warrant-date 2026-10-02 --authority 'Tribunal judiciaire de Lyon' --as a.martin >/dev/null
	ccc-deploy --store "$LYON" -q staff import "$FIXTURES/deploy/roster.ndjson" >/dev/null 2>&1 || true
	ccc-deploy --store "$LYON" plan --kind irt --for INC-2026-0042 --country MA \
		--from 2026-12-01 --to 2026-12-10 >/dev/null
	ccc-deploy --store "$LYON" approve plan-lyon-1 >/dev/null
}

# ship [EXPORT OPTIONS...]: what the standby lacks, from the primary.
ship() {
	ccc-failover --store "$LYON" export --since "$(ccc-failover --store "$BUE" position)" "$@" |
		ccc-failover --store "$BUE" import >/dev/null
}

# the four reads, each a command line for a store given after it
READS=("ccc-triage queue" "ccc-notice list" "ccc-notice show notice-lyon-1"
	"ccc-deploy status" "ccc-case show case-lyon-1")

# lags STORE: the lag field of every record each read writes, one a line
lags() {
	local r
	for r in "${READS[@]}"; do
		$r --store "$1" | jq -c '.lag'
	done
}

# behind_by_two: ship everything at 10:00, write three entries at 10:01,
# ship one of them at 10:02 (the head record says where the primary is)
behind_by_two() {
	ship
	for b in a b c; do
		echo "{\"body\":\"$b\"}" | CCC_NOW=2026-11-28T10:01:00Z ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	done
	CCC_NOW=2026-11-28T10:02:00Z ship --limit 1
}

@test "the four reads work at a standby and carry its lag in every NDJSON record" {
	behind_by_two
	export CCC_NOW=2026-11-28T10:03:30Z
	run ccc-triage --store "$BUE" queue
	assert_success
	assert_output --partial '"id":"msg-lyon-1"'
	run lags "$BUE"
	assert_success
	assert_equal "${#lines[@]}" 5
	for l in "${lines[@]}"; do
		assert_equal "$l" '{"primary":"lyon","entries":2,"seconds":210,"heard_at":"2026-11-28T10:02:00Z"}'
	done
	# the records are the primary's, as the standby holds them
	assert_equal "$(ccc-case --store "$BUE" show case-lyon-1 | jq -r .title)" 'Bomb threat'
	assert_equal "$(ccc-deploy --store "$BUE" status | jq -r .id)" dep-lyon-1
}

@test "on a terminal the four reads say the lag in one line on stderr" {
	behind_by_two
	export CCC_NOW=2026-11-28T10:03:30Z
	for r in "${READS[@]}"; do
		run script -qec "$r --store '$BUE'" /dev/null
		assert_success
		assert_line --partial "${r%% *}: standby of lyon: 2 entries and 210 s behind (last heard 10:02:00Z)"
		refute_line --partial '"lag"'
	done
	# a table forced on a pipe says it on stderr too, and stdout stays a table
	run --separate-stderr ccc-triage --store "$BUE" queue --format table
	assert_success
	assert_equal "$stderr" 'ccc-triage: standby of lyon: 2 entries and 210 s behind (last heard 10:02:00Z)'
	assert_line --index 0 --regexp '^PRI +DUE IN +ID'
	# -q: nothing but errors
	run --separate-stderr ccc-triage --store "$BUE" queue --format table -q
	assert_equal "$stderr" ''
	# a day later the time heard is written in full
	CCC_NOW=2026-11-29T10:00:00Z run --separate-stderr ccc-deploy --store "$BUE" status --format table
	assert_equal "$stderr" 'ccc-deploy: standby of lyon: 2 entries and 86400 s behind (last heard 2026-11-28T10:02:00Z)'
}

@test "at the primary the reads carry no lag and say nothing of it" {
	ship
	run lags "$LYON"
	assert_success
	assert_equal "${#lines[@]}" 5
	for l in "${lines[@]}"; do
		assert_equal "$l" null
	done
	for r in "${READS[@]}"; do
		run script -qec "$r --store '$LYON'" /dev/null
		assert_success
		refute_output --partial standby
	done
}

@test "after shipping again the standby is 0 entries behind, its seconds counted from then" {
	behind_by_two
	CCC_NOW=2026-11-28T10:05:00Z ship
	export CCC_NOW=2026-11-28T10:06:00Z
	run ccc-notice --store "$BUE" list
	assert_success
	assert_equal "$(jq -c .lag <<<"$output")" '{"primary":"lyon","entries":0,"seconds":60,"heard_at":"2026-11-28T10:05:00Z"}'
	run --separate-stderr ccc-case --store "$BUE" show case-lyon-1 --format table
	assert_equal "$stderr" 'ccc-case: standby of lyon: 0 entries and 60 s behind (last heard 10:05:00Z)'
}

@test "a standby that has imported nothing says its lag is unknown; its records are none yet" {
	run --separate-stderr ccc-triage --store "$BUE" queue --format table
	assert_success
	assert_equal "$stderr" 'ccc-triage: standby: lag unknown (nothing heard from its primary yet)'
	run ccc-triage --store "$BUE" queue
	assert_success
	assert_output ''
}

@test "ship with nothing left to send still tells the standby where the head is" {
	ccc-failover --store "$LYON" site add -q buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)" \
		--via "ccc-failover --store '$BUE'"
	CCC_NOW=2026-11-28T10:05:00Z run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_success
	export CCC_NOW=2026-11-28T11:00:00Z
	assert_equal "$(ccc-deploy --store "$BUE" status | jq -c .lag)" '{"primary":"lyon","entries":0,"seconds":3300,"heard_at":"2026-11-28T10:05:00Z"}'
	run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_success
	assert_equal "$(ccc-deploy --store "$BUE" status | jq -c .lag)" '{"primary":"lyon","entries":0,"seconds":0,"heard_at":"2026-11-28T11:00:00Z"}'
}

@test "every export ends with one head record: the site, its epoch, its last seq and the time" {
	run ccc-failover --store "$LYON" export --since 2 --limit 1
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_equal "${lines[2]}" '{"type":"head","v":1,"id":"head:lyon:8","site":"lyon","epoch":1,"seq":8,"ts":"2026-11-28T10:00:00Z"}'
	assert_equal "$(ccc-failover --store "$LYON" export | jq -r .type | sort | uniq -c | tr -s ' ')" ' 8 checkpoint
 8 entry
 1 head'
	# the head is not an entry: nothing is applied or acknowledged for it
	run ccc-failover --store "$BUE" import <<<"${lines[2]}"
	assert_success
	assert_output ''
	assert_equal "$(ccc-failover --store "$BUE" position)" 0
}

@test "a forged head record only makes the lag larger, and makes the standby accept nothing" {
	ship
	pos=$(ccc-failover --store "$BUE" position)
	before=$(sqlite3 "$BUE" 'SELECT count(*), max(seq) FROM journal')
	forged='{"type":"head","v":1,"id":"head:lyon:999999","site":"lyon","epoch":1,"seq":999999,"ts":"2026-11-28T10:00:00Z"}'
	CCC_NOW=2026-11-28T10:01:00Z run ccc-failover --store "$BUE" import <<<"$forged"
	assert_success
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*), max(seq) FROM journal')" "$before"
	run ccc-store --store "$BUE" verify
	assert_success
	export CCC_NOW=2026-11-28T10:02:00Z
	assert_equal "$(ccc-triage --store "$BUE" queue | jq -c .lag)" "{\"primary\":\"lyon\",\"entries\":$((999999 - pos)),\"seconds\":120,\"heard_at\":\"2026-11-28T10:01:00Z\"}"
	# a smaller head, a head of another site or epoch, a time to come: none makes it smaller
	for h in '"site":"lyon","epoch":1,"seq":1,"ts":"2026-11-28T10:02:00Z"' \
		'"site":"mallory","epoch":1,"seq":0,"ts":"2026-11-28T10:02:00Z"' \
		'"site":"lyon","epoch":7,"seq":0,"ts":"2026-11-28T10:02:00Z"' \
		'"site":"buenos-aires","epoch":1,"seq":0,"ts":"2026-11-28T10:02:00Z"'; do
		run ccc-failover --store "$BUE" import <<<"{\"type\":\"head\",\"v\":1,\"id\":\"h\",$h}"
		assert_success
	done
	assert_equal "$(ccc-triage --store "$BUE" queue | jq -c '.lag | [.entries, .seconds]')" "[$((999999 - pos)),120]"
	# nor does the true head with a time to come
	run ccc-failover --store "$BUE" import <<<'{"type":"head","v":1,"id":"h","site":"lyon","epoch":1,"seq":8,"ts":"2100-01-01T00:00:00Z"}'
	assert_success
	assert_equal "$(ccc-triage --store "$BUE" queue | jq -c '.lag.seconds')" 120
}

@test "a malformed head record is refused with its file, line and field, after what came before" {
	ccc-failover --store "$LYON" export | sed '$d' >"$BATS_TEST_TMPDIR/bad.ndjson"
	echo '{"type":"head","v":1,"id":"h","site":"lyon","epoch":1,"seq":"many","ts":"2026-11-28T10:00:00Z"}' >>"$BATS_TEST_TMPDIR/bad.ndjson"
	run ccc-failover --store "$BUE" import "$BATS_TEST_TMPDIR/bad.ndjson"
	assert_failure 65
	assert_output --partial "bad.ndjson:17: head: field 'seq' is missing or malformed"
	assert_equal "$(ccc-failover --store "$BUE" position)" 8
	echo '{"type":"head","v":1,"id":"h","site":"lyon","epoch":1,"seq":8,"ts":"yesterday"}' >"$BATS_TEST_TMPDIR/bad.ndjson"
	run ccc-failover --store "$BUE" import "$BATS_TEST_TMPDIR/bad.ndjson"
	assert_failure 65
	assert_output --partial "bad.ndjson:1: head: field 'ts' is missing or malformed"
}

@test "an import records its time in the sealed site settings, and verify still passes" {
	CCC_NOW=2026-11-28T10:04:00Z ship
	assert_equal "$(sqlite3 "$BUE" "SELECT key || '=' || value FROM local WHERE key IN ('last-import', 'caught-up', 'primary-head') ORDER BY key")" \
		"caught-up=2026-11-28T10:04:00Z
last-import=2026-11-28T10:04:00Z
primary-head=8 1 lyon 2026-11-28T10:04:00Z"
	run ccc-store --store "$BUE" verify
	assert_success
	# changed outside ccc, the settings are refused as ever
	sqlite3 "$BUE" "UPDATE local SET value = '2026-11-28T11:00:00Z' WHERE key = 'caught-up'"
	run ccc-store --store "$BUE" verify
	assert_failure
}

@test "after a handover the new primary reads without lag, and the old one is a standby of it" {
	ccc-store --store "$BUE" keys | ccc-store --store "$LYON" trust add -q
	CCC_NOW=2026-11-28T10:10:00Z run ccc-failover --store "$LYON" handover --via "ccc-failover --store '$BUE'"
	assert_success
	export CCC_NOW=2026-11-28T10:11:00Z
	assert_equal "$(ccc-case --store "$BUE" show case-lyon-1 | jq -c .lag)" null
	assert_equal "$(ccc-case --store "$LYON" show case-lyon-1 | jq -c .lag)" '{"primary":"buenos-aires","entries":0,"seconds":60,"heard_at":"2026-11-28T10:10:00Z"}'
	# lyon now hears the head of buenos-aires, primary of epoch 2
	echo '{"body":"the new watch"}' | ccc-intake -q --store "$BUE" --source ncb:ar >/dev/null
	CCC_NOW=2026-11-28T10:12:00Z ccc-failover --store "$BUE" export --since "$(ccc-failover --store "$LYON" position)" --limit 0 |
		CCC_NOW=2026-11-28T10:12:00Z ccc-failover --store "$LYON" import >/dev/null
	run --separate-stderr ccc-triage --store "$LYON" queue --format table
	assert_equal "$stderr" 'ccc-triage: standby of buenos-aires: 1 entry and 60 s behind (last heard 10:12:00Z)'
}
