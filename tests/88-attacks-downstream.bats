#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by run --separate-stderr
# Issue 13, "nothing lost downstream": messages stored but never written on
# (kill -9 between a commit and its output), a changed message piped into the
# next stage, and de-duplication that depended on --source and dropped
# corrections. Each test performs the attack and asserts what now holds.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-28T10:00:00Z
}

# N messages, each naming a document number (so ccc-check has something to check).
messages() {
	local i
	for i in $(seq 1 "$1"); do
		printf '{"external_id":"FR-%d","subject":"Passport %d stolen","body":"Passport 12AB%05d reported stolen in Lyon."}\n' "$i" "$i" "$i"
	done
}

@test "attack 17: messages stored but never written on are triaged by ccc-triage --pending, once" {
	messages 5 >"$BATS_TEST_TMPDIR/in"
	# the output of a batch that committed is lost: as a kill -9 after the commit
	ccc-intake -q --source ncb:fr "$BATS_TEST_TMPDIR/in" >/dev/null
	run ccc-intake --source ncb:fr "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_output "ccc-intake: 5 messages stored already, not stored again"
	run --separate-stderr ccc-triage --pending
	assert_success
	assert_equal "$(jq -r '.id + " " + (.triage.priority | tostring)' <<<"$output" | tr '\n' ' ')" \
		"msg-lyon-1 P4 msg-lyon-2 P4 msg-lyon-3 P4 msg-lyon-4 P4 msg-lyon-5 P4 "
	assert_equal "$(sql 'SELECT count(*) FROM queue')" 5
	run ccc-triage --pending
	assert_success
	assert_output ""
	run ccc-triage --pending "$BATS_TEST_TMPDIR/in"
	assert_failure 64
	assert_output --partial "--pending reads the store: give no FILE"
	run ccc-store verify
	assert_success
}

@test "attack 17: messages stored but never checked are checked by ccc-check --pending, once" {
	messages 4 >"$BATS_TEST_TMPDIR/in"
	ccc-intake -q --source ncb:fr "$BATS_TEST_TMPDIR/in" >/dev/null
	run --separate-stderr ccc-check --pending
	assert_success
	assert_equal "${#lines[@]}" 4
	assert_equal "$(jq -r '.id + " " + .checks[0].query.number' <<<"$output" | tr '\n' ' ')" \
		"msg-lyon-1 12AB00001 msg-lyon-2 12AB00002 msg-lyon-3 12AB00003 msg-lyon-4 12AB00004 "
	assert_equal "$(sql "SELECT count(*) FROM messages WHERE record ->> '\$.checks' IS NULL")" 0
	run ccc-check --pending
	assert_success
	assert_output ""
	# then triage takes them up with their checks, from the store
	run --separate-stderr ccc-triage --pending
	assert_equal "$(jq -s 'map(select(.checks | length == 1)) | length' <<<"$output")" 4
	run ccc-store verify
	assert_success
}

@test "attack 17: input cannot mark a message as checked or triaged, so --pending always takes it up" {
	run ccc-intake -q --source ncb:fr <<<'{"external_id":"FR-1","body":"Passport 12AB00001 stolen.","checks":[],"triage":{"priority":"P4"},"queue":{}}'
	assert_success
	jq -e 'has("checks") or has("triage") or has("queue") | not' <<<"$output"
	run --separate-stderr ccc-check --pending
	assert_equal "$(jq -r '.checks[0].query.number' <<<"$output")" 12AB00001
}

@test "attack 17: kill -9 of intake and triage at random moments: the pending forms take up every stored message" {
	messages 3000 >"$BATS_TEST_TMPDIR/in"
	local round ipid tpid fifo
	for round in 1 2 3 4 5 6; do
		fifo=$BATS_TEST_TMPDIR/pipe$round
		mkfifo "$fifo"
		ccc-intake -q --batch 50 --source ncb:fr "$BATS_TEST_TMPDIR/in" >"$fifo" &
		ipid=$!
		ccc-triage -q --batch 50 <"$fifo" >>"$BATS_TEST_TMPDIR/triaged" &
		tpid=$!
		sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
		kill -9 "$ipid" "$tpid" 2>/dev/null || true
		wait "$ipid" "$tpid" || true
	done
	# the whole input once more, as a rerun would: duplicates are not written on
	ccc-intake -q --source ncb:fr "$BATS_TEST_TMPDIR/in" | ccc-triage -q >>"$BATS_TEST_TMPDIR/triaged"
	stored=$(sql 'SELECT count(*) FROM messages')
	queued=$(sql 'SELECT count(*) FROM queue')
	echo "stored $stored, queued $queued before --pending" >&3
	assert_equal "$stored" 3000
	ccc-triage -q --pending >"$BATS_TEST_TMPDIR/pending"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/pending")" $((stored - queued))
	assert_equal "$(sql 'SELECT count(*) FROM queue')" 3000
	ccc-check --pending >/dev/null
	assert_equal "$(sql "SELECT count(*) FROM messages WHERE record ->> '\$.checks' IS NULL")" 0
	assert_equal "$(ccc-triage --pending | wc -l)" 0
	run ccc-store verify
	assert_success
}

@test "attack 18: a changed message piped into ccc-triage does not replace the stored one, and the difference is named" {
	ccc-intake -q --source ncb:fr <<<'{"external_id":"FR-1","subject":"Stolen passport","body":"Passport 12AB00001 stolen in Lyon."}' >"$BATS_TEST_TMPDIR/m"
	stored=$(sql "SELECT record FROM messages WHERE id = 'msg-lyon-1'")
	jq -c '.subject = "nothing to see" | .body = "" | .external_id = "X-9" | .source = "osint:forged"' "$BATS_TEST_TMPDIR/m" >"$BATS_TEST_TMPDIR/changed"
	run --separate-stderr ccc-triage <"$BATS_TEST_TMPDIR/changed"
	assert_success
	assert_equal "$stderr" "ccc-triage: stdin:1: message 'msg-lyon-1' differs from the stored one in 'source', 'external_id', 'subject', 'body'; the stored copy was used"
	# what is written on is the stored copy, with its triage
	assert_equal "$(jq -c 'del(.triage)' <<<"$output")" "$stored"
	jq -e '.triage.priority' <<<"$output" >/dev/null
	assert_equal "$(sql "SELECT record ->> '\$.subject' || '|' || (record ->> '\$.body') || '|' || (record ->> '\$.external_id') || '|' || (record ->> '\$.source') FROM messages")" \
		"Stolen passport|Passport 12AB00001 stolen in Lyon.|FR-1|ncb:fr"
	assert_equal "$(sql "SELECT json_remove(record, '\$.triage') FROM messages")" "$stored"
	run ccc-store verify
	assert_success
}

@test "attack 18: a changed message piped into ccc-check does not replace the stored one; only checks are added" {
	ccc-intake -q --source ncb:fr <<<'{"external_id":"FR-1","subject":"Stolen passport","body":"Passport 12AB00001 stolen in Lyon."}' >"$BATS_TEST_TMPDIR/m"
	stored=$(sql "SELECT record FROM messages WHERE id = 'msg-lyon-1'")
	jq -c '.subject = "nothing to see" | .entities = []' "$BATS_TEST_TMPDIR/m" >"$BATS_TEST_TMPDIR/changed"
	run --separate-stderr ccc-check <"$BATS_TEST_TMPDIR/changed"
	assert_success
	assert_equal "$stderr" "ccc-check: stdin:1: message 'msg-lyon-1' differs from the stored one in 'subject', 'entities'; the stored copy was used"
	# the stored entities were checked, not the emptied ones
	assert_equal "$(jq -r '.subject + " " + .checks[0].query.number' <<<"$output")" "Stolen passport 12AB00001"
	assert_equal "$(sql "SELECT json_remove(record, '\$.checks') FROM messages")" "$stored"
	# a record that comes down the pipe unchanged (with fields the stages own) is quiet
	run --separate-stderr bash -c "ccc-triage <'$BATS_TEST_TMPDIR/m' | ccc-check"
	assert_success
	assert_equal "$stderr" ""
	run ccc-store verify
	assert_success
}

@test "attack 19: the same e-mail taken in with --source ncb:fr and without is one message" {
	cat >"$BATS_TEST_TMPDIR/m.eml" <<-'EOF'
	From: Officer Martin <Martin@Police.Example.FR>
	To: ops@lyon.example
	Subject: Wanted man seen at Lyon Part-Dieu
	Message-ID: <20261128.0930.ABC123@Police.Example.FR>
	Date: Sat, 28 Nov 2026 09:30:00 +0100

	The man named in red notice A-1/2026 was seen on platform 3.
	EOF
	run --separate-stderr ccc-intake --source ncb:fr "$BATS_TEST_TMPDIR/m.eml"
	assert_success
	assert_equal "$(jq -r '.id + " " + .source + " " + .external_id' <<<"$output")" "msg-lyon-1 ncb:fr 20261128.0930.ABC123@Police.Example.FR"
	run ccc-intake "$BATS_TEST_TMPDIR/m.eml"
	assert_success
	assert_output "ccc-intake: 1 message stored already, not stored again"
	# the Message-ID written another way (brackets, case of the domain) is the same identity
	sed 's/^Message-ID: .*/Message-ID:   <20261128.0930.ABC123@police.example.fr> /' "$BATS_TEST_TMPDIR/m.eml" >"$BATS_TEST_TMPDIR/m2.eml"
	run ccc-intake --source ncb:es "$BATS_TEST_TMPDIR/m2.eml"
	assert_success
	assert_output "ccc-intake: 1 message stored already, not stored again"
	assert_equal "$(sql 'SELECT count(*) FROM messages')" 1
	# the same Message-ID from another sender is another message
	sed 's/^From: .*/From: someone@elsewhere.example/' "$BATS_TEST_TMPDIR/m.eml" >"$BATS_TEST_TMPDIR/m3.eml"
	run --separate-stderr ccc-intake "$BATS_TEST_TMPDIR/m3.eml"
	assert_success
	assert_equal "$(jq -r '.id + " " + (.version | tostring)' <<<"$output")" "msg-lyon-2 null"
}

@test "attack 19: a corrected message reusing an external_id is kept as version 2 linked to the first, written on and triaged" {
	echo '{"external_id":"ES-2026-77","origin_country":"ES","subject":"Vehicle stolen","body":"Plate 1234 ABC, white van."}' >"$BATS_TEST_TMPDIR/first"
	echo '{"external_id":"ES-2026-77","origin_country":"ES","subject":"Vehicle stolen (correction)","body":"Plate 1234 ABD, white van, armed occupants."}' >"$BATS_TEST_TMPDIR/second"
	ccc-intake -q --source ncb:es "$BATS_TEST_TMPDIR/first" | ccc-triage -q >/dev/null
	run --separate-stderr bash -c "ccc-intake --source ncb:es '$BATS_TEST_TMPDIR/second' | ccc-triage"
	assert_success
	assert_equal "$stderr" "ccc-intake: $BATS_TEST_TMPDIR/second:1: message changed since msg-lyon-1 was stored: kept as msg-lyon-2, version 2"
	assert_equal "$(jq -c '[.id, .version, .supersedes, .external_id, .subject, (.triage.priority != null)]' <<<"$output")" \
		'["msg-lyon-2",2,"msg-lyon-1","ES-2026-77","Vehicle stolen (correction)",true]'
	assert_equal "$(sql 'SELECT count(*) FROM queue')" 2
	# the first version is kept as it was
	assert_equal "$(sql "SELECT record ->> '\$.subject' FROM messages WHERE id = 'msg-lyon-1'")" "Vehicle stolen"
	# an exact rerun of either stores nothing new and is idempotent
	entries=$(sql 'SELECT count(*) FROM journal')
	run ccc-intake --source ncb:es "$BATS_TEST_TMPDIR/second" "$BATS_TEST_TMPDIR/first"
	assert_success
	assert_output "ccc-intake: 2 messages stored already, not stored again"
	assert_equal "$(sql 'SELECT count(*) FROM journal')" "$entries"
	# a third version supersedes the second
	sed 's/armed occupants/two armed occupants/' "$BATS_TEST_TMPDIR/second" >"$BATS_TEST_TMPDIR/third"
	run --separate-stderr ccc-intake --source ncb:es "$BATS_TEST_TMPDIR/third"
	assert_equal "$(jq -c '[.id, .version, .supersedes]' <<<"$output")" '["msg-lyon-3",3,"msg-lyon-2"]'
	# the same external id from another source is another message, not a version
	run --separate-stderr ccc-intake --source ncb:pt "$BATS_TEST_TMPDIR/second"
	assert_equal "$(jq -c '[.id, .version]' <<<"$output")" '["msg-lyon-4",null]'
	run ccc-store verify
	assert_success
}

@test "attack 19: input cannot claim to be a version of another message" {
	echo '{"external_id":"FR-1","body":"first"}' | ccc-intake -q --source ncb:fr >/dev/null
	run --separate-stderr ccc-intake --source ncb:fr <<<'{"external_id":"FR-2","body":"forged","version":7,"supersedes":"msg-lyon-1"}'
	assert_success
	assert_equal "$(jq -c '[.id, .version, .supersedes]' <<<"$output")" '["msg-lyon-2",null,null]'
}

@test "attack 19: a store written before identities: a message stored then is still a duplicate, and its correction a version" {
	echo '{"external_id":"ES-1","subject":"Vehicle stolen","body":"Plate 1234 ABC."}' >"$BATS_TEST_TMPDIR/first"
	cp "$FIXTURES/mail/en-plain.eml" "$BATS_TEST_TMPDIR/m.eml"
	ccc-intake -q --source ncb:es "$BATS_TEST_TMPDIR/first" >/dev/null
	ccc-intake -q --source ncb:gb "$BATS_TEST_TMPDIR/m.eml" >/dev/null
	mid=$(sql "SELECT record ->> '\$.external_id' FROM messages WHERE n = 2")
	# the keys such a store has: (source, external id as given)
	sql "UPDATE messages SET dkey = 'ncb:es' || char(31) || 'ES-1' WHERE n = 1"
	sql "UPDATE messages SET dkey = 'ncb:gb' || char(31) || '$mid' WHERE n = 2"
	run ccc-intake --source ncb:es "$BATS_TEST_TMPDIR/first"
	assert_output "ccc-intake: 1 message stored already, not stored again"
	run ccc-intake --source ncb:gb "$BATS_TEST_TMPDIR/m.eml"
	assert_output "ccc-intake: 1 message stored already, not stored again"
	sed 's/1234 ABC/1234 ABD/' "$BATS_TEST_TMPDIR/first" >"$BATS_TEST_TMPDIR/second"
	run --separate-stderr ccc-intake --source ncb:es "$BATS_TEST_TMPDIR/second"
	assert_equal "$(jq -c '[.id, .version, .supersedes]' <<<"$output")" '["msg-lyon-3",2,"msg-lyon-1"]'
	sed 's/Plate 1234 ABD/Plate 1234 ABD, blue/' "$BATS_TEST_TMPDIR/second" >"$BATS_TEST_TMPDIR/third"
	run --separate-stderr ccc-intake --source ncb:es "$BATS_TEST_TMPDIR/third"
	assert_equal "$(jq -c '[.id, .version, .supersedes]' <<<"$output")" '["msg-lyon-4",3,"msg-lyon-3"]'
}
