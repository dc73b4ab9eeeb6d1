#!/usr/bin/env bats
# Issue 13, inputs: jq rules that read the environment or never end (11),
# inputs that never end (12), numbers and keys that would change (16). Each
# test performs the attack and shows it refused or caught.

load helper

setup() {
	common_setup
	init_store
}

# elapsed CMD...: run CMD (via run), setting SECS to the whole seconds it took.
elapsed() {
	local t0=$SECONDS
	run "$@"
	SECS=$((SECONDS - t0))
}

@test "attack 12: ccc-intake /dev/zero stops on SIGTERM (143) and SIGINT (130), the line kept as a reject" {
	elapsed timeout -k 10 --preserve-status -s TERM 2 ccc-intake /dev/zero
	assert_equal "$status" 143
	[ "$SECS" -le 6 ]
	assert_output --partial "/dev/zero:1: line too long (more than"
	assert_output --partial "before a signal stopped the input"
	elapsed timeout -k 10 --preserve-status -s INT 2 ccc-intake /dev/zero
	assert_equal "$status" 130
	[ "$SECS" -le 6 ]
	assert_equal "$(sql "SELECT count(*) FROM rejects WHERE reason LIKE 'line too long (more than %'")" 2
}

@test "attack 12: ccc-failover import /dev/zero stops on SIGTERM (143) and SIGINT (130)" {
	# an entry line may be far longer than a record (192 MiB): the line still
	# being read when the signal comes is not an entry, and the primary ships
	# it again
	elapsed timeout -k 10 --preserve-status -s TERM 2 ccc-failover import /dev/zero
	assert_equal "$status" 143
	[ "$SECS" -le 6 ]
	assert_equal "$(ccc-failover position)" 1
	elapsed timeout -k 10 --preserve-status -s INT 2 ccc-failover import /dev/zero
	assert_equal "$status" 130
	[ "$SECS" -le 6 ]
}

@test "attack 12: a 3 MiB line without a newline is rejected with its reason (65), never held whole in memory" {
	if [ -x /usr/bin/time ]; then
		run bash -c "head -c 3M /dev/zero | /usr/bin/time -f 'peak %M KB' ccc-intake"
	else
		run bash -c "head -c 3M /dev/zero | ccc-intake"
	fi
	assert_failure 65
	assert_output --partial "stdin:1: line too long (3145728 bytes; the limit is 1048576, see --max-line)"
	assert_equal "$(sql "SELECT reason FROM rejects")" "line too long (3145728 bytes; the limit is 1048576, see --max-line)"
	if [ -x /usr/bin/time ]; then
		# the buffer is --max-line plus 512 KiB, whatever the line's length
		kb=$(grep -o 'peak [0-9]*' <<<"$output" | cut -d' ' -f2)
		run bash -c "head -c 60M /dev/zero | /usr/bin/time -f 'peak %M KB' ccc-intake"
		assert_failure 65
		kb60=$(grep -o 'peak [0-9]*' <<<"$output" | cut -d' ' -f2)
		[ "$kb60" -lt $((kb + 4096)) ]
	fi
}

# message BODY: take in one message and leave it in $BATS_TEST_TMPDIR/m
message() {
	echo "{\"body\":\"$1\"}" | ccc-intake -q --source ncb:fr >"$BATS_TEST_TMPDIR/m"
}

@test "attack 11: a rule cannot read the environment (\$ENV, env) nor use input, debug, stderr, halt or import" {
	cat >"$BATS_TEST_TMPDIR/rules.ndjson" <<-'EOF'
	{"name":"env-var","if":"error($ENV | tojson)","priority":"P3"}
	{"name":"env-fn","if":"error(env | tojson)","priority":"P3"}
	{"name":"env-secret","if":"$ENV.SECRET != null or env.SECRET != null","priority":"P1","reason":"saw the secret"}
	{"name":"loc","if":"error($__loc__ | tojson)","priority":"P3"}
	{"name":"input","if":"input","priority":"P3"}
	{"name":"chatty","if":"(debug | stderr | input_filename) != null","priority":"P3"}
	{"name":"halt","if":"halt_error","priority":"P3"}
	{"name":"halt1","if":"\"x\" | halt_error(1)","priority":"P3"}
	{"name":"last","if":"true","priority":"P4","reason":"still runs"}
	EOF
	message "the secret must not leak"
	run env SECRET=s3cr3t-value ccc-triage --rules "$BATS_TEST_TMPDIR/rules.ndjson" <"$BATS_TEST_TMPDIR/m"
	assert_success
	refute_output --partial "s3cr3t-value"
	jq -e '.triage.reasons | index("rule:env-var: error: {}") != null' <<<"$output"
	jq -e '.triage.reasons | index("rule:env-fn: error: {}") != null' <<<"$output"
	jq -e '.triage.reasons | index("rule:env-secret: saw the secret") == null' <<<"$output"
	jq -e '.triage.reasons | index("rule:input: error: input is not available to a rule") != null' <<<"$output"
	jq -e '.triage.reasons | index("rule:halt: error: halt_error is not available to a rule") != null' <<<"$output"
	jq -e '.triage.reasons | index("rule:halt1: error: halt_error is not available to a rule") != null' <<<"$output"
	jq -e '.triage.reasons | index("rule:last: still runs") != null' <<<"$output"
	run sql "SELECT count(*) FROM messages WHERE record LIKE '%s3cr3t%'"
	assert_output 0
	# a module cannot be imported or included
	echo '{"name":"mod","if":"import \"x\" as x; true","priority":"P1"}' >"$BATS_TEST_TMPDIR/mod.ndjson"
	run ccc-triage --rules "$BATS_TEST_TMPDIR/mod.ndjson" <"$BATS_TEST_TMPDIR/m"
	assert_failure 78
	assert_output --partial "rule mod:"
	echo '{"name":"inc","if":"include \"x\"; true","priority":"P1"}' >"$BATS_TEST_TMPDIR/inc.ndjson"
	run ccc-triage --rules "$BATS_TEST_TMPDIR/inc.ndjson" <"$BATS_TEST_TMPDIR/m"
	assert_failure 78
}

@test "attack 11: until(false;.) is stopped by the time budget, named, and the other rules still count" {
	cat >"$BATS_TEST_TMPDIR/rules.ndjson" <<-'EOF'
	{"name":"forever","if":"until(false; .)","priority":"P1"}
	{"name":"after","if":"true","priority":"P2","reason":"ran after"}
	EOF
	message "loop for ever"
	elapsed timeout -k 5 60 ccc-triage --rule-time 500 --rules "$BATS_TEST_TMPDIR/rules.ndjson" <"$BATS_TEST_TMPDIR/m"
	assert_success
	[ "$SECS" -le 20 ]
	assert_output --partial "stdin:1: rule 'forever' exceeded its budget (more than 500 ms on this message)"
	rec=$(grep '^{' <<<"$output")
	assert_equal "$(jq -r .triage.priority <<<"$rec")" P2
	jq -e '.triage.reasons | index("rule:forever: error: exceeded its budget (more than 500 ms on this message)") != null' <<<"$rec"
	jq -e '.triage.reasons | index("rule:after: ran after") != null' <<<"$rec"
	# stored and queued with that reason: nothing lost
	run sql "SELECT count(*) FROM messages WHERE triage LIKE '%rule:forever: error: exceeded its budget%'"
	assert_output 1
	assert_equal "$(sql 'SELECT priority FROM queue')" P2
}

@test "attack 11: [range(1e9)] is stopped by the memory ceiling" {
	cat >"$BATS_TEST_TMPDIR/rules.ndjson" <<-'EOF'
	{"name":"hog","if":"[range(1e9)] | length > 0","priority":"P1"}
	{"name":"after","if":"true","priority":"P3","reason":"ran after"}
	EOF
	message "eat memory"
	if [ -x /usr/bin/time ]; then
		elapsed timeout -k 5 120 /usr/bin/time -f 'peak %M KB' ccc-triage --rule-time 100000 --rule-memory 64 --rules "$BATS_TEST_TMPDIR/rules.ndjson" <"$BATS_TEST_TMPDIR/m"
	else
		elapsed timeout -k 5 120 ccc-triage --rule-time 100000 --rule-memory 64 --rules "$BATS_TEST_TMPDIR/rules.ndjson" <"$BATS_TEST_TMPDIR/m"
	fi
	assert_success
	assert_output --partial "stdin:1: rule 'hog' exceeded its budget (its worker died ("
	assert_output --partial "more than 64 MiB of memory"
	jq -e '.triage.reasons | index("rule:after: ran after") != null' <<<"$(grep '^{' <<<"$output")"
	assert_equal "$(sql 'SELECT priority FROM queue')" P3
}

@test "attack 11: SIGTERM and SIGINT stop ccc-triage within a second while a rule runs (143, 130)" {
	echo '{"name":"forever","if":"until(false; .)","priority":"P1"}' >"$BATS_TEST_TMPDIR/rules.ndjson"
	message "first"
	cp "$BATS_TEST_TMPDIR/m" "$BATS_TEST_TMPDIR/m1"
	for sig in TERM INT; do
		ccc-triage --rule-time 60000 --rules "$BATS_TEST_TMPDIR/rules.ndjson" <"$BATS_TEST_TMPDIR/m1" >/dev/null 2>&1 &
		pid=$!
		sleep 1
		kill -"$sig" "$pid"
		t0=$(date +%s%N)
		rc=0
		wait "$pid" || rc=$?
		ms=$((($(date +%s%N) - t0) / 1000000))
		[ "$sig" = TERM ] && assert_equal "$rc" 143
		[ "$sig" = INT ] && assert_equal "$rc" 130
		[ "$ms" -lt 1500 ]
	done
	# no worker is left behind
	run pgrep -f "ccc-triage --rule-time 60000"
	assert_failure
}

@test "attack 16: numbers a double cannot keep are refused with the field's path, the stream goes on (65)" {
	cat >"$BATS_TEST_TMPDIR/in.ndjson" <<-'EOF'
	{"type":"message","body":"big","source":"t","amount":12345678901234567890}
	{"type":"message","body":"huge","source":"t","x":{"y":[1,1e999999]}}
	{"type":"message","body":"tiny","source":"t","x":1e-400}
	{"type":"message","body":"2^53+1","source":"t","n":9007199254740993}
	{"type":"message","body":"kept","source":"t","n":[9007199254740992,1.50,0.1,1e2,-0,1E22]}
	EOF
	run ccc-intake "$BATS_TEST_TMPDIR/in.ndjson"
	assert_failure 65
	assert_output --partial "in.ndjson:1: field 'amount': number 12345678901234567890 has more digits than a double keeps (17 at most); send it as a string"
	assert_output --partial "in.ndjson:2: field 'x.y[1]': number 1e999999 is out of a double's range"
	assert_output --partial "in.ndjson:3: field 'x': number 1e-400 cannot be kept exactly (as a double it becomes 0)"
	assert_output --partial "in.ndjson:4: field 'n': number 9007199254740993 cannot be kept exactly (as a double it becomes 9007199254740992)"
	# the good line went through, each value as it came
	assert_equal "$(grep '^{' <<<"$output" | jq -c .n)" "[9007199254740992,1.5,0.1,100,-0,1e+22]"
	assert_equal "$(sql 'SELECT count(*) FROM messages')" 1
	assert_equal "$(sql 'SELECT count(*) FROM rejects')" 4
	run sql "SELECT reason FROM rejects WHERE line = 1"
	assert_output --partial "field 'amount': number 12345678901234567890"
}

@test "attack 16: duplicate keys are refused with the field's path, whatever their escapes" {
	cat >"$BATS_TEST_TMPDIR/in.ndjson" <<-'EOF'
	{"type":"message","body":"dup","source":"t","restricted":true,"restricted":false}
	{"type":"message","body":"escaped","source":"t","x":{"k":1,"\u006b":2}}
	{"type":"message","body":"many","source":"t","x":{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"e":10}}
	{"type":"message","body":"fine","source":"t","x":[{"k":1},{"k":1}]}
	EOF
	run ccc-intake "$BATS_TEST_TMPDIR/in.ndjson"
	assert_failure 65
	assert_output --partial "in.ndjson:1: field 'restricted': duplicate key (RFC 7493: the names in an object are unique)"
	assert_output --partial "in.ndjson:2: field 'x.k': duplicate key"
	assert_output --partial "in.ndjson:3: field 'x.e': duplicate key"
	assert_equal "$(sql 'SELECT count(*) FROM messages')" 1
	assert_equal "$(sql 'SELECT count(*) FROM rejects')" 3
	# the same holds in every filter: ccc-triage refuses the line as well
	run bash -c "head -n 1 '$BATS_TEST_TMPDIR/in.ndjson' | ccc-triage"
	assert_failure 65
	assert_output --partial "stdin:1: field 'restricted': duplicate key"
}

@test "attack 11: in a batch, only the message that ran over loses the rule; order and the other messages are kept" {
	cat >"$BATS_TEST_TMPDIR/rules.ndjson" <<-'EOF'
	{"name":"loops-on-b","if":"if .body == \"b\" then until(false; .) else false end","priority":"P1"}
	{"name":"all","if":"true","priority":"P3","reason":"seen"}
	EOF
	printf '%s\n' '{"body":"a"}' '{"body":"b"}' '{"body":"c"}' | ccc-intake -q --source ncb:fr >"$BATS_TEST_TMPDIR/m"
	{
		sed -n 1,2p "$BATS_TEST_TMPDIR/m"
		echo '{"type":"query","v":1,"id":"q-1","name":"between"}'
		sed -n 3p "$BATS_TEST_TMPDIR/m"
	} >"$BATS_TEST_TMPDIR/mixed"
	run timeout -k 5 60 ccc-triage --rule-time 300 --rules "$BATS_TEST_TMPDIR/rules.ndjson" "$BATS_TEST_TMPDIR/mixed"
	assert_success
	assert_output --partial "mixed:2: rule 'loops-on-b' exceeded its budget (more than 300 ms on this message)"
	assert_equal "$(grep '^{' <<<"$output" | jq -r '.body // .id' | tr '\n' ' ')" "a b q-1 c "
	assert_equal "$(grep '^{' <<<"$output" | jq -r 'select(.triage) | .triage.reasons | map(select(startswith("rule:"))) | join(",")' | tr '\n' '|')" \
		"rule:all: seen|rule:loops-on-b: error: exceeded its budget (more than 300 ms on this message),rule:all: seen|rule:all: seen|"
	assert_equal "$(sql 'SELECT count(*) FROM queue')" 3
}
