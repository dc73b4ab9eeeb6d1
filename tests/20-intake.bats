#!/usr/bin/env bats
# ccc-intake on NDJSON: normalise, detect language, de-duplicate, store, emit;
# bad lines rejected and kept; nothing lost under kill -9 or concurrency.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
}

msgs() {
	sql 'SELECT count(*) FROM messages'
}

rejects() {
	sql 'SELECT count(*) FROM rejects'
}

@test "intake normalises a message and writes it once stored" {
	export CCC_NOW=2026-11-28T10:00:00Z
	run ccc-intake --source ncb:fr --country fr <<<'{"subject":"Vol","body":"Le passeport a été volé à Lyon.","external_id":"FR-1","sent_at":"2026-11-28T09:30:00+01:00","priority_hint":"high"}'
	assert_success
	assert_output --regexp '^\{"type":"message","v":1,"id":"msg-lyon-1","source":"ncb:fr","external_id":"FR-1","origin_country":"FR","received_at":"2026-11-28T10:00:00Z","sent_at":"2026-11-28T08:30:00Z","language":"fr","subject":"Vol","body":"Le passeport a été volé à Lyon.","refs":\[\],"entities":\[\],"priority_hint":"high"\}$'
	id=$(jq -r .id <<<"$output")
	assert_equal "$(sql "SELECT record FROM messages WHERE id = '$id'")" "$output"
	# its identity (source, external_id), then the digest of what it says
	assert_regex "$(sql "SELECT dkey FROM messages WHERE id = '$id'")" "^ncb:fr"$'\037'"FR-1"$'\036'"[0-9a-f]{32}\$"
}

@test "intake detects Arabic, English, French and Spanish, else und" {
	run ccc-intake --source t <<-'EOF'
	{"body":"تم الإبلاغ عن سرقة جواز السفر في المطار"}
	{"body":"The suspect was seen at the airport and the passport is reported stolen."}
	{"body":"Le suspect a été vu à l'aéroport et le passeport est déclaré volé."}
	{"body":"El sospechoso fue visto en el aeropuerto y el pasaporte está robado."}
	{"body":"X7 42 Q"}
	EOF
	assert_success
	assert_equal "$(jq -r .language <<<"$output" | tr '\n' ' ')" "ar en fr es und "
}

@test "a rerun of the same input stores and writes nothing new" {
	printf '{"body":"one","external_id":"1"}\n{"body":"two"}\n' >"$BATS_TEST_TMPDIR/in"
	run ccc-intake --source t "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_equal "${#lines[@]}" 2
	entries=$(sql 'SELECT count(*) FROM journal')
	run ccc-intake --source t "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_output "ccc-intake: 2 messages stored already, not stored again"
	run ccc-intake -q --source t "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_output ""
	assert_equal "$(msgs)" 2
	assert_equal "$(sql 'SELECT count(*) FROM journal')" "$entries"
}

@test "the same external id from two sources is two messages; the same content is one" {
	echo '{"body":"a","external_id":"7"}' | ccc-intake -q --source ncb:fr >/dev/null
	echo '{"body":"b","external_id":"7"}' | ccc-intake -q --source ncb:es >/dev/null
	echo '{"body":"same text"}' | ccc-intake -q --source ncb:es >/dev/null
	echo '{"body":"same text"}' | ccc-intake -q --source ncb:es >/dev/null
	assert_equal "$(msgs)" 3
}

@test "records of other types pass through unchanged and in order" {
	run ccc-intake --source t <<-'EOF'
	{"type":"query","id":"q1","doc":"X1",  "note":"spacing kept"}
	{"body":"a message"}
	{"type":"notice","id":"n1"}
	EOF
	assert_success
	assert_line --index 0 '{"type":"query","id":"q1","doc":"X1",  "note":"spacing kept"}'
	assert_line --index 1 --partial '"type":"message"'
	assert_line --index 2 '{"type":"notice","id":"n1"}'
}

@test "a line read from its text makes the record libjq would: escapes, numbers, nested fields, refs" {
	export CCC_NOW=2026-11-28T10:00:00Z
	# the same lines with "type":"message" first are parsed with libjq
	in=$BATS_TEST_TMPDIR/in.ndjson
	cat >"$in" <<-'EOF'
	{"external_id":"e1","subject":"caf\u00e9 \/ \"q\" \\ \n","body":"l1\r\n\u0001\u001F \ud83d\ude00"}
	{"external_id":"e2","body":"x","refs":"R-\/1","n":-0,"z":0,"big":123456789012345,"f":1.50,"e":1E2}
	{ "external_id" : "e3" , "body" : "x" , "o" : { "a" : [ 1 , { } , [ ] , null , true ] , "k\u0065" : "\/" } }
	{"external_id":"e4","origin_country":"fr","sent_at":"2026-11-02T01:01:00+02:00","language":"und","body":"x","refs":["a", "b\u0041"]}
	{"external_id":"e5","body":"VIN 1M8GDM9AXKP042788","entities":[1],"triage":{},"truncated":[1]}
	EOF
	ccc-intake --source t "$in" >"$BATS_TEST_TMPDIR/text.out"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/text.out")" 5
	assert_equal "$(sed -n 1p "$BATS_TEST_TMPDIR/text.out" | jq -r .subject)" 'café / "q" \ '
	export CCC_STORE=$BATS_TEST_TMPDIR/parsed.db
	init_store
	sed 's/^ *{/{"type":"message",/' "$in" | ccc-intake --source t >"$BATS_TEST_TMPDIR/jq.out"
	run cmp "$BATS_TEST_TMPDIR/text.out" "$BATS_TEST_TMPDIR/jq.out"
	assert_success
}

@test "each kind of bad line is reported with file, line and reason, stored, and the stream goes on" {
	in=$BATS_TEST_TMPDIR/bad.ndjson
	{
		echo '{"body":"good 1"}'
		echo '{"body": oops}'
		printf '{"body":"\303\050"}\n'
		echo '[1,2,3]'
		echo '{"body":42}'
		echo '{"body":"x","refs":"r1","sent_at":"yesterday"}'
		echo '{"subject":""}'
		echo '{"v":2,"body":"from the future"}'
		echo '{"body":"x","origin_country":"France"}'
		echo '{"body":"good 2"}'
	} >"$in"
	run ccc-intake --source t "$in"
	assert_failure 65
	assert_line "ccc-intake: $in:2: not JSON: unexpected character at byte 10"
	assert_line "ccc-intake: $in:3: invalid UTF-8 at byte 10"
	assert_line "ccc-intake: $in:4: not a JSON object (an array)"
	assert_line "ccc-intake: $in:5: field 'body': expected a string, got a number"
	assert_line "ccc-intake: $in:6: field 'sent_at': 'yesterday' is not an RFC 3339 time"
	assert_line "ccc-intake: $in:7: field 'body': missing (a message needs a subject or a body)"
	assert_line "ccc-intake: $in:8: field 'v': record version 2 is not supported (this program reads version 1)"
	assert_line "ccc-intake: $in:9: field 'origin_country': 'France' is not an ISO 3166 alpha-2 code"
	assert_equal "$(msgs)" 2
	assert_equal "$(rejects)" 8
	assert_equal "$(sql "SELECT group_concat(line) FROM (SELECT line FROM rejects ORDER BY line)")" "2,3,4,5,6,7,8,9"
}

@test "-v counts a refused line as no record, however far it was read" {
	run -65 --separate-stderr ccc-intake -v --source t < <(printf '%s\n' '{"v":"x","body":"a"}' '{"body":"b"}' '{"body": oops}')
	assert_equal "$(jq -r .body <<<"$output")" b
	assert_equal "$stderr" "$(printf '%s\n' "ccc-intake: stdin:1: field 'v': expected a number, got a string" \
		'ccc-intake: stdin:3: not JSON: unexpected character at byte 10' \
		'ccc-intake: 3 lines, 1 records, 2 rejected, 1 written, 1 batches')"
}

@test "a line over --max-line is rejected without holding it, and the next line is read" {
	in=$BATS_TEST_TMPDIR/long.ndjson
	{
		printf '{"body":"'
		head -c 2097152 /dev/zero | tr '\0' a
		printf '"}\n'
		echo '{"body":"after the long line"}'
	} >"$in"
	run ccc-intake --source t "$in"
	assert_failure 65
	assert_line "ccc-intake: $in:1: line too long (2097163 bytes; the limit is 1048576, see --max-line)"
	assert_line --partial '"body":"after the long line"'
	assert_equal "$(sql 'SELECT raw_size || " " || length(raw) FROM rejects')" "2097163 1048576"
	run ccc-intake --source t --max-line 3M "$in"
	assert_success
}

@test "--strict stops at the first bad line, keeping what came before and the reject" {
	printf '{"body":"a"}\nbad\n{"body":"b"}\n' >"$BATS_TEST_TMPDIR/in"
	run ccc-intake --strict --source t "$BATS_TEST_TMPDIR/in"
	assert_failure 65
	assert_equal "$(msgs)" 1
	assert_equal "$(rejects)" 1
}

@test "input without a source is rejected unless --source is given" {
	run ccc-intake <<<'{"body":"who sent this?"}'
	assert_failure 65
	assert_output --partial "stdin:1: field 'source': missing (give --source)"
	run ccc-intake <<<'{"source":"ncb:ma","body":"we did"}'
	assert_success
}

@test "a missing input file exits 66 after the others are taken in" {
	echo '{"body":"ok"}' >"$BATS_TEST_TMPDIR/in"
	run ccc-intake --source t "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/in"
	assert_failure 66
	assert_output --partial "cannot open '$BATS_TEST_TMPDIR/none'"
	assert_equal "$(msgs)" 1
}

@test "a write error on stdout is fatal with exit 74" {
	run bash -c "echo '{\"body\":\"x\"}' | ccc-intake --source t >/dev/full"
	assert_failure 74
	assert_output --partial "write error on stdout"
}

@test "a closed pipe stops intake quietly" {
	seq 1 5000 | sed 's/.*/{"body":"m&"}/' >"$BATS_TEST_TMPDIR/in"
	run bash -c "ccc-intake --source t '$BATS_TEST_TMPDIR/in' | head -1"
	assert_success
	assert_output --partial '"body":"m1"'
	refute_output --partial "ccc-intake:"
	run ccc-store verify
	assert_success
}

@test "bad options are usage errors that say what is wrong" {
	run ccc-intake --batch 0
	assert_failure 64
	assert_output --partial "--batch: '0' is not a number from 1 to 1000000"
	run ccc-intake --max-line lots
	assert_failure 64
	assert_output --partial "--max-line: 'lots' is not a size"
	run ccc-intake --format xml
	assert_failure 64
}

@test "100,000 messages with 1% bad lines: one message or one reject per line, and a rerun adds nothing" {
	in=$BATS_TEST_TMPDIR/big.ndjson
	awk 'BEGIN {
		for (i = 1; i <= 100000; i++) {
			if (i % 100 == 0) {
				k = (i / 100) % 5
				if (k == 0) print "{\"body\": broken"
				else if (k == 1) printf "{\"body\":\"bad \377 utf8\"}\n"
				else if (k == 2) print "{\"body\":" i "}"
				else if (k == 3) print "\"just a string\""
				else print "{\"body\":\"x\",\"refs\":{}}"
			} else
				printf "{\"external_id\":\"m%d\",\"subject\":\"Case %d\",\"body\":\"Message number %d from the bureau.\"}\n", i, i, i
		}
	}' >"$in"
	printf '{"body":"%s"}\n' "$(head -c 2097152 /dev/zero | tr '\0' b)" >>"$in"
	run ccc-intake -q --source ncb:test "$in"
	assert_failure 65
	assert_equal "$(msgs)" 99000
	assert_equal "$(rejects)" 1001
	run ccc-intake -q --source ncb:test "$in"
	assert_failure 65
	assert_output ""
	assert_equal "$(msgs)" 99000
	assert_equal "$(rejects)" 1001
	run ccc-store verify
	assert_success
}

@test "kill -9 in the middle of a large input leaves a store that verifies; a rerun completes it" {
	in=$BATS_TEST_TMPDIR/big.ndjson
	seq 1 200000 | awk '{ printf "{\"external_id\":\"k%d\",\"body\":\"message %d\"}\n", $1, $1 }' >"$in"
	ccc-intake -q --source t "$in" >/dev/null &
	pid=$!
	for _ in $(seq 1 100); do
		n=$(sqlite3 "$CCC_STORE" 'SELECT count(*) FROM messages' 2>/dev/null || echo 0)
		[ "${n:-0}" -gt 20000 ] && break
		sleep 0.05
	done
	kill -9 "$pid"
	wait "$pid" || true
	n=$(msgs)
	[ "$n" -gt 0 ] || fail "nothing stored before the kill"
	[ "$n" -lt 200000 ] || fail "everything stored before the kill"
	run ccc-store verify
	assert_success
	run ccc-intake -q --source t "$in"
	assert_success
	assert_equal "${#lines[@]}" $((200000 - n))
	assert_equal "$(msgs)" 200000
	run ccc-store verify
	assert_success
}

@test "four intake processes writing one store at once lose nothing" {
	for w in 1 2 3 4; do
		seq 1 5000 | awk -v w="$w" '{ printf "{\"external_id\":\"w%d-%d\",\"body\":\"writer %d message %d\"}\n", w, $1, w, $1 }' >"$BATS_TEST_TMPDIR/in$w"
	done
	for w in 1 2 3 4; do
		ccc-intake -q --batch 100 --source t "$BATS_TEST_TMPDIR/in$w" >"$BATS_TEST_TMPDIR/out$w" &
	done
	wait
	assert_equal "$(msgs)" 20000
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/out? | wc -l)" 20000
	run ccc-store verify
	assert_success
}

@test "SIGTERM finishes the batch in hand, commits and exits 143" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	ccc-intake -q --source t --batch-ms 60000 "$BATS_TEST_TMPDIR/fifo" >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec 8>"$BATS_TEST_TMPDIR/fifo"
	echo '{"body":"in hand when the signal came"}' >&8
	sleep 0.5
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	exec 8>&-
	assert_equal "$status" 143
	assert_equal "$(msgs)" 1
	grep -q "in hand when the signal came" "$BATS_TEST_TMPDIR/out"
}

@test "a slow feed is committed and written within --batch-ms, not held for a full batch" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	ccc-intake -q --source t "$BATS_TEST_TMPDIR/fifo" >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec 8>"$BATS_TEST_TMPDIR/fifo"
	echo '{"body":"first of a slow feed"}' >&8
	sleep 1
	assert_equal "$(msgs)" 1
	grep -q "first of a slow feed" "$BATS_TEST_TMPDIR/out"
	exec 8>&-
	wait "$pid"
}
