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
	elapsed timeout -k 10 --preserve-status -s TERM 2 ccc-failover import /dev/zero
	assert_equal "$status" 143
	[ "$SECS" -le 6 ]
	assert_output --partial "/dev/zero:1: line too long (more than"
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
