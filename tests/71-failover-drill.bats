#!/usr/bin/env bats
# The scripted failover drill (examples/failover-drill.sh): Lyon killed under
# steady intake, Buenos Aires promoted, Lyon refused and rejoined.

load helper

setup() {
	common_setup
}

# drill_figure NAME: the number after "NAME: " in the drill's report.
drill_figure() {
	sed -n "s/^drill: $1: \([0-9.]*\).*/\1/p" <<<"$output"
}

@test "the drill loses no entry silently: orphans are kept, the late write is refused, all three stores verify" {
	run sh "$ROOT/examples/failover-drill.sh" "$BUILD/bin" --seconds 2
	assert_success
	assert_line --regexp "^drill: lyon had reported [1-9][0-9]* messages done$"
	assert_line --regexp "^drill: lyon's late write refused \(exit 75\): ccc-intake: fenced: site 'lyon' "
	assert_line --regexp "^drill: lyon rejoined at entry [0-9]+: [0-9]+ unshipped entries kept in its orphans file"
	assert_line --regexp "^drill: RPO: [0-9]+ entries lost by the promotion \(kept as orphans for reconciliation\); [0-9]+ of the [0-9]+ messages reported done are missing at the new primary$"
	assert_line --regexp "^drill: RTO: [0-9]+\.[0-9]{2} s from the loss to the first write at buenos-aires$"
	assert_line "drill: verify lyon: ok"
	assert_line "drill: verify buenos-aires: ok"
	assert_line "drill: verify singapore: ok"
	assert_line --regexp "^drill: all three sites at entry [0-9]+$"
	# whatever was lost by the promotion (how far lyon was ahead of
	# buenos-aires when it went dark) is exactly what the orphans file holds
	refute_line --partial "entries as orphans, but it was"
	rpo=$(sed -n 's/^drill: RPO: \([0-9]*\) entries.*/\1/p' <<<"$output")
	orphans=$(sed -n 's/^drill: lyon rejoined at entry [0-9]*: \([0-9]*\) unshipped.*/\1/p' <<<"$output")
	assert_equal "$rpo" "$orphans"
}

@test "the drill with --ack loses no message reported done (RPO 0)" {
	run sh "$ROOT/examples/failover-drill.sh" "$BUILD/bin" --ack --seconds 2
	assert_success
	assert_line --regexp "^drill: RPO: [01] entries lost by the promotion \(kept as orphans for reconciliation\); 0 of the [1-9][0-9]* messages reported done are missing at the new primary$"
	assert_line "drill: verify lyon: ok"
	assert_line "drill: verify buenos-aires: ok"
	assert_line "drill: verify singapore: ok"
	[[ $(drill_figure RTO) =~ ^[0-9]+\.[0-9]{2}$ ]]
}
