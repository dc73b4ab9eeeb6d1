#!/usr/bin/env bats
# A write at a standby is forwarded to the primary's program when the primary
# answers, and refused (75) with nothing written anywhere when it does not.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	unset CCC_STORE
	export CCC_NOW=2026-11-28T10:00:00Z
	LYON=$BATS_TEST_TMPDIR/lyon.db
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$LYON" init -q --site lyon
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	LYON_KEY=$(ccc-store --store "$LYON" keys | jq -r .key)
	ccc-store --store "$BUE" trust add -q lyon "$LYON_KEY"
	printf '%s\n' '{"subject":"Missing child","body":"A 7-year-old girl was abducted this morning."}' \
		'{"body":"Delegates arrive for the summit next week; information only."}' |
		ccc-intake -q --store "$LYON" --source ncb:fr | ccc-triage -q --store "$LYON" >/dev/null
	ship
}

ship() {
	ccc-failover --store "$LYON" export --since "$(ccc-failover --store "$BUE" position)" |
		ccc-failover -q --store "$BUE" import >/dev/null
}

# Buenos Aires reaches Lyon's ccc-failover with this command.
reach_lyon() {
	ccc-failover -q --store "$BUE" site add lyon "$LYON_KEY" --via "${1:-ccc-failover --store '$LYON'}"
}

# What each store holds: its journal's length and its messages.
counts() {
	sqlite3 "$1" 'SELECT (SELECT count(*) FROM journal) || " " || (SELECT count(*) FROM messages)'
}

@test "site add at a standby records how its primary is reached, and nothing else" {
	run ccc-failover --store "$BUE" site add lyon "$LYON_KEY" --via "ccc-failover --store '$LYON'"
	assert_success
	run ccc-failover --store "$BUE" site list
	assert_output --partial "\"id\":\"lyon\""
	assert_output --partial "\"via\":\"ccc-failover --store '$LYON'\""
	assert_equal "$(ccc-failover --store "$BUE" position)" "$(ccc-failover --store "$LYON" position)"
	run ccc-failover --store "$BUE" site add lyon "$LYON_KEY" --via "ccc-failover --store '$LYON'"
	assert_success
	assert_output --partial "site 'lyon' is reached as asked already: nothing changed"
	run ccc-failover --store "$BUE" site add lyon "$LYON_KEY" --region europe
	assert_failure 75
	assert_output --partial "site add lyon: fenced: site 'buenos-aires' is not the primary: --tz, --region and --replace change the sites table"
	run ccc-failover --store "$BUE" site add singapore ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= --via "ssh sin ccc-failover"
	assert_failure 75
	assert_output --partial "trust 'singapore' at the primary"
	run ccc-store --store "$BUE" verify
	assert_success
	# a standby that has imported nothing yet records it too (its primary's key is a trust
	# anchor), and stays fenced as before until it has its primary's journal
	NEW=$BATS_TEST_TMPDIR/new.db
	ccc-store --store "$NEW" init -q --standby --site santiago
	ccc-store --store "$NEW" trust add -q lyon "$LYON_KEY"
	run ccc-failover --store "$NEW" site add lyon "$LYON_KEY" --via "ccc-failover --store '$LYON'"
	assert_success
	run ccc-intake --store "$NEW" --source ncb:cl <<<'{"body":"x"}'
	assert_failure 75
	assert_output --partial "is a standby that has not imported its primary's journal yet"
}

@test "ccc-intake at a standby stores at the primary and prints the primary's records" {
	reach_lyon
	before=$(counts "$BUE")
	run --separate-stderr ccc-intake --store "$BUE" --source ncb:ar <<<'{"subject":"Stolen passport","body":"A passport was reported stolen in Buenos Aires."}'
	assert_success
	assert_equal "$stderr" "ccc-intake: forwarded to the primary lyon through 'ccc-failover --store '$LYON''"
	assert_equal "$(jq -r '[.id, .source, .subject] | @tsv' <<<"$output")" "$(printf 'msg-lyon-3\tncb:ar\tStolen passport')"
	# the primary wrote it, as the one who asked at the standby
	assert_equal "$(sqlite3 "$LYON" "SELECT json_extract(record, '\$.subject') FROM messages WHERE n = 3")" "Stolen passport"
	assert_equal "$(sqlite3 "$LYON" 'SELECT actor FROM journal ORDER BY seq DESC LIMIT 1')" duty-officer
	# the standby wrote nothing of its own, and has it once shipped
	assert_equal "$(counts "$BUE")" "$before"
	ship
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM messages')" 3
	run ccc-store --store "$BUE" verify
	assert_success
	# -q: the primary's records, nothing on stderr
	run --separate-stderr ccc-intake -q --store "$BUE" --source ncb:ar <<<'{"body":"second"}'
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -r .id <<<"$output")" msg-lyon-4
}

@test "ccc-triage take at a standby takes at the primary; a pipeline at a standby runs at the primary" {
	reach_lyon
	run --separate-stderr ccc-triage --store "$BUE" take msg-lyon-1 --as officer.ruiz
	assert_success
	assert_equal "$stderr" "ccc-triage: forwarded to the primary lyon through 'ccc-failover --store '$LYON''"
	assert_equal "$(jq -r '.queue | [.status, .assignee] | @tsv' <<<"$output")" "$(printf 'taken\tofficer.ruiz')"
	run ccc-triage --store "$LYON" queue --all
	assert_output --partial '"assignee":"officer.ruiz"'
	# the standby's own copy is unchanged until shipped
	run ccc-triage --store "$BUE" queue --all
	refute_output --partial officer.ruiz
	ship
	run ccc-triage --store "$BUE" queue --all
	assert_output --partial '"assignee":"officer.ruiz"'
	# intake then triage, both at the standby, both forwarded
	run bash -c "echo '{\"subject\":\"URGENT: bomb threat at the central station\",\"body\":\"An explosive device may go off within the hour.\"}' | ccc-intake -q --store '$BUE' --source ncb:ar | ccc-triage -q --store '$BUE'"
	assert_success
	assert_equal "$(jq -r '[.id, .triage.priority] | @tsv' <<<"$output")" "$(printf 'msg-lyon-3\tP1')"
	assert_equal "$(sqlite3 "$LYON" 'SELECT count(*) FROM queue')" 3
}

@test "an unreachable primary: 75, the command that would have run, nothing written at either store, and a rerun sends it all" {
	reach_lyon "ccc-failover --store '$BATS_TEST_TMPDIR/down.db'"
	lyon_before=$(counts "$LYON")
	bue_before=$(counts "$BUE")
	printf '%s\n' '{"body":"one"}' '{"body":"two"}' >"$BATS_TEST_TMPDIR/in.ndjson"
	run ccc-intake --store "$BUE" --source ncb:ar <"$BATS_TEST_TMPDIR/in.ndjson"
	assert_failure 75
	refute_output --partial '"type":"message"'
	assert_output --partial "ccc-intake: 'ccc-failover --store '$BATS_TEST_TMPDIR/down.db' position' failed (exit 66)"
	assert_output --partial "ccc-intake: fenced: site 'buenos-aires' is not the primary of epoch 1 ('lyon' is); nothing was written and the input was not read: the primary does not answer through 'ccc-failover --store '$BATS_TEST_TMPDIR/down.db''; run this again when it does (it would run: env CCC_FORWARDED=buenos-aires ccc-intake --store '$BATS_TEST_TMPDIR/down.db' --as duty-officer --source ncb:ar)"
	assert_equal "$(counts "$LYON")" "$lyon_before"
	assert_equal "$(counts "$BUE")" "$bue_before"
	# stdin was not read: the same input, once the primary answers, goes through whole
	run bash -c "{ ccc-intake -q --store '$BUE' --source ncb:ar 2>/dev/null; echo \"exit \$?\"; cat; } <'$BATS_TEST_TMPDIR/in.ndjson'"
	assert_output "$(printf 'exit 75\n%s' "$(cat "$BATS_TEST_TMPDIR/in.ndjson")")"
	reach_lyon
	run ccc-intake -q --store "$BUE" --source ncb:ar <"$BATS_TEST_TMPDIR/in.ndjson"
	assert_success
	assert_equal "$(jq -r .body <<<"$output" | paste -sd,)" one,two
	# no command known for the primary: the same refusal, saying how to give one
	NEW=$BATS_TEST_TMPDIR/new.db
	ccc-store --store "$NEW" init -q --standby --site santiago
	ccc-store --store "$NEW" trust add -q lyon "$LYON_KEY"
	ccc-failover --store "$LYON" export | ccc-failover -q --store "$NEW" import >/dev/null
	run ccc-intake --store "$NEW" --source ncb:cl <<<'{"body":"x"}'
	assert_failure 75
	assert_output --partial "ccc-intake: fenced: site 'santiago' is not the primary of epoch 1 ('lyon' is); nothing was written, and the write cannot be forwarded: this site knows no command that reaches it (give one with 'ccc-failover site add lyon KEY --via CMD')"
}

@test "a stream broken midway: what the primary committed stays, and a rerun adds only the rest" {
	# a link that drops after ten lines of the stream (and answers the probe)
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '%s\n' '#!/bin/sh' 'for last; do :; done' '[ "$last" = position ] && exec "$@"' \
		'head -n 10 | "$@"' 'echo "flaky: connection lost" >&2' 'exit 255' >"$BATS_TEST_TMPDIR/bin/flaky"
	chmod +x "$BATS_TEST_TMPDIR/bin/flaky"
	export PATH=$BATS_TEST_TMPDIR/bin:$PATH
	reach_lyon "flaky ccc-failover --store '$LYON'"
	seq 1 30 | jq -c '{body: "line \(.)"}' >"$BATS_TEST_TMPDIR/in.ndjson"
	run ccc-intake -q --store "$BUE" --source ncb:ar <"$BATS_TEST_TMPDIR/in.ndjson"
	assert_failure 255
	assert_output --partial "flaky: connection lost"
	assert_equal "$(grep -c '"type":"message"' <<<"$output")" 10
	assert_equal "$(sqlite3 "$LYON" 'SELECT count(*) FROM messages')" 12
	# the rerun, the link back: the ten already stored are not stored again
	reach_lyon
	run ccc-intake --store "$BUE" --source ncb:ar <"$BATS_TEST_TMPDIR/in.ndjson"
	assert_success
	assert_output --partial "10 messages stored already, not stored again"
	assert_equal "$(grep -c '"type":"message"' <<<"$output")" 20
	assert_equal "$(sqlite3 "$LYON" 'SELECT count(*) FROM messages')" 32
	assert_equal "$(sqlite3 "$LYON" "SELECT count(DISTINCT json_extract(record, '\$.body')) FROM messages")" 32
}

@test "arguments with quotes, spaces and \$() arrive intact, through sh and through ssh" {
	hostile="it's \$(touch $BATS_TEST_TMPDIR/pwned) \`id\` \"a\"  b;c|d & \\e"
	reach_lyon
	run ccc-triage --store "$BUE" note msg-lyon-1 "$hostile" --as "o'brien \$(id)"
	assert_success
	assert_equal "$(sqlite3 "$LYON" "SELECT actor || '|' || detail FROM queue_log WHERE action = 'note' AND n = 1")" "o'brien \$(id)|$hostile"
	[ ! -e "$BATS_TEST_TMPDIR/pwned" ]
	# ssh joins its arguments for a shell at the other end: they are quoted twice
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\n# as ssh: the host, then the words joined for a shell at the other end\nshift\nexec sh -c "$*"\n' >"$BATS_TEST_TMPDIR/bin/ssh"
	chmod +x "$BATS_TEST_TMPDIR/bin/ssh"
	reach_lyon "ssh lyon ccc-failover --store '$LYON'"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run --separate-stderr ccc-triage --store "$BUE" note msg-lyon-2 "$hostile"
	assert_success
	assert_equal "$stderr" "ccc-triage: forwarded to the primary lyon through 'ssh lyon ccc-failover --store '$LYON''"
	assert_equal "$(sqlite3 "$LYON" "SELECT actor || '|' || detail FROM queue_log WHERE action = 'note' AND n = 2")" "duty-officer|$hostile"
	[ ! -e "$BATS_TEST_TMPDIR/pwned" ]
}

@test "a forwarded write is never forwarded again, --no-forward refuses, and a primary runs as before" {
	# Lyon's via leads to a standby: it refuses rather than forwarding in a loop
	OTHER=$BATS_TEST_TMPDIR/other.db
	ccc-store --store "$OTHER" init -q --standby --site singapore
	ccc-store --store "$OTHER" trust add -q lyon "$LYON_KEY"
	ccc-failover --store "$LYON" export | ccc-failover -q --store "$OTHER" import >/dev/null
	ccc-failover -q --store "$OTHER" site add lyon "$LYON_KEY" --via "ccc-failover --store '$BUE'"
	reach_lyon "ccc-failover --store '$OTHER'"
	lyon_before=$(counts "$LYON")
	run ccc-intake --store "$BUE" --source ncb:ar <<<'{"body":"round and round"}'
	assert_failure 75
	assert_output --partial "ccc-intake: forwarded to the primary lyon through 'ccc-failover --store '$OTHER''"
	assert_output --partial "ccc-intake: fenced: site 'singapore' is not the primary of epoch 1 ('lyon' is); this write was forwarded here from 'buenos-aires' and is not forwarded again; nothing was written"
	assert_equal "$(counts "$LYON")" "$lyon_before"
	# --no-forward and CCC_NO_FORWARD=1: refused here, the primary not asked
	reach_lyon
	run ccc-intake --no-forward --store "$BUE" --source ncb:ar <<<'{"body":"x"}'
	assert_failure 75
	assert_output "ccc-intake: fenced: site 'buenos-aires' is not the primary of epoch 1 ('lyon' is); not forwarded to it (--no-forward); nothing was written"
	CCC_NO_FORWARD=1 run ccc-triage --store "$BUE" take msg-lyon-1
	assert_failure 75
	assert_output --partial "not forwarded to it (--no-forward)"
	assert_equal "$(counts "$LYON")" "$lyon_before"
	# at the primary nothing changes: it writes itself, says nothing of forwarding
	run --separate-stderr ccc-intake --store "$LYON" --source ncb:fr <<<'{"body":"at home"}'
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -r .id <<<"$output")" msg-lyon-3
	# replication and plumbing never forward: they act on this store
	run ccc-store --store "$BUE" trust add tokyo ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
	assert_success
	assert_output --partial "standby: trusting site 'tokyo'"
	refute_output --partial forwarded
}

@test "ccc runs a forwarded program as the program itself does" {
	reach_lyon
	run --separate-stderr ccc --store "$BUE" intake --source ncb:ar <<<'{"body":"through ccc"}'
	assert_success
	assert_equal "$stderr" "ccc-intake: forwarded to the primary lyon through 'ccc-failover --store '$LYON''"
	assert_equal "$(jq -r .id <<<"$output")" msg-lyon-3
}

@test "every program that writes forwards: notices, deployments, cases, replies, duty" {
	reach_lyon
	# each writes at Lyon and prints what Lyon wrote; Buenos Aires is unchanged
	bue_before=$(sqlite3 "$BUE" 'SELECT count(*) FROM journal')
	run --separate-stderr ccc-notice --store "$BUE" draft --kind yellow --name 'Ana Duarte' --country PT
	assert_success
	assert_equal "$stderr" "ccc-notice: forwarded to the primary lyon through 'ccc-failover --store '$LYON''"
	assert_equal "$(jq -r .id <<<"$output")" notice-lyon-1
	run --separate-stderr ccc-deploy --store "$BUE" staff add s.moreau --name 'Sophie Moreau' --home lyon
	assert_success
	assert_equal "$stderr" "ccc-deploy: forwarded to the primary lyon through 'ccc-failover --store '$LYON''"
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM staff WHERE id = 's.moreau'")" 1
	run --separate-stderr ccc-case --store "$BUE" open --kind incident --title 'Bomb threat, Lyon' --country FR --region europe --lead a.martin
	assert_success
	assert_equal "$stderr" "ccc-case: forwarded to the primary lyon through 'ccc-failover --store '$LYON''"
	assert_equal "$(jq -r .id <<<"$output")" case-lyon-1
	run --separate-stderr ccc-reply --store "$BUE" draft msg-lyon-1 --for FR --template received --text 'Checks under way.'
	assert_success
	assert_equal "$stderr" "ccc-reply: forwarded to the primary lyon through 'ccc-failover --store '$LYON''"
	assert_equal "$(jq -r .id <<<"$output")" reply-lyon-1
	run --separate-stderr ccc-duty --store "$BUE" plan load - <"$ROOT/examples/duty-plan.ndjson"
	assert_success
	assert_equal "$stderr" "$(printf '%s\n' "ccc-duty: forwarded to the primary lyon through 'ccc-failover --store '$LYON''" "ccc-duty: plan load: 15 records from 'stdin'")"
	[ "$(sqlite3 "$LYON" 'SELECT count(*) FROM duty_shifts')" -gt 0 ]
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM journal')" "$bue_before"
	# the pager's cron line runs at every site: at a standby it pages nothing, here
	run ccc-duty --store "$BUE" -v page --notify 'cat >&2'
	assert_success
	assert_output "ccc-duty: page: site 'buenos-aires' is not the primary; nothing to page"
	# reading commands answer here, from the standby's copy, and say nothing of forwarding
	run ccc-notice --store "$BUE" list
	assert_success
	refute_output --partial notice-lyon-1
	refute_output --partial forwarded
	ship
	run ccc-notice --store "$BUE" list
	assert_output --partial notice-lyon-1
}

@test "a FILE argument names a file here, which the primary cannot read: not forwarded, nothing read or written" {
	reach_lyon
	printf '%s\n' '{"body":"in a file at buenos aires"}' >"$BATS_TEST_TMPDIR/in.ndjson"
	lyon_before=$(counts "$LYON")
	run ccc-intake --store "$BUE" --source ncb:ar "$BATS_TEST_TMPDIR/in.ndjson"
	assert_failure 75
	assert_output "ccc-intake: fenced: site 'buenos-aires' is not the primary of epoch 1 ('lyon' is); nothing was written, and the write is not forwarded: '$BATS_TEST_TMPDIR/in.ndjson' is a file at this site, which the primary cannot read; give the input on the standard input (ccc-intake ... < $BATS_TEST_TMPDIR/in.ndjson)"
	run ccc-triage --store "$BUE" "$BATS_TEST_TMPDIR/in.ndjson"
	assert_failure 75
	assert_output --partial "is a file at this site, which the primary cannot read"
	run ccc-duty --store "$BUE" plan load "$ROOT/examples/duty-plan.ndjson"
	assert_failure 75
	assert_output --partial "'$ROOT/examples/duty-plan.ndjson' is a file at this site"
	assert_equal "$(counts "$LYON")" "$lyon_before"
	# '-' is the standard input, which goes through
	run ccc-intake -q --store "$BUE" --source ncb:ar - <"$BATS_TEST_TMPDIR/in.ndjson"
	assert_success
	assert_equal "$(jq -r .body <<<"$output")" "in a file at buenos aires"
}
