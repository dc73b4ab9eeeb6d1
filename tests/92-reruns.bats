#!/usr/bin/env bats
# shellcheck disable=SC2154,SC2030,SC2031 # $stderr is set by run --separate-stderr; each test exports its own store
# Reruns (ccc(7), CONVENTIONS): an action asked again of what it has already
# done exits 0, says so in one line on stderr (nothing with -q) and changes
# nothing: the journal does not grow and the store's rows stay as they were.
# The same action with other values, or one that conflicts with the state,
# stays an error with its exit code.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
}

# snap: the journal's position and a digest of every row of the store.
snap() {
	printf '%s %s\n' "$(ccc-failover position)" "$(sqlite3 "$CCC_STORE" .dump | sha256sum | cut -c1-64)"
}

# red: a red notice drafted by a.martin (notice-lyon-1).
red() {
	ccc-notice draft --kind red --name 'Ivan Petrov' --dob 1980-03-14 --nationality RU \
		--country FR --charge 'armed robbery' --warrant W-2026-118 \
		--warrant-date 2026-10-02 --authority 'Tribunal judiciaire de Lyon' --as a.martin >/dev/null
}

published() {
	red
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-1 --as j.garcia >/dev/null
}

roster() {
	ccc-deploy -q staff import "$FIXTURES/deploy/roster.ndjson" >/dev/null 2>&1 || true
}

approved() {
	roster
	ccc-deploy plan --kind irt --for INC-2026-0042 --country MA \
		--from 2026-12-01 --to 2026-12-10 --need disaster_victim_identification=1 >/dev/null
	# plan-lyon-2 overlaps it: its approval is refused once plan-lyon-1 is approved
	ccc-deploy plan --for INC-2026-0050 --country FR --from 2026-12-08 --to 2026-12-15 >/dev/null
	ccc-deploy approve plan-lyon-1 >/dev/null
}

@test "notice publish of a published notice exits 0, says so on stderr, changes nothing" {
	published
	before=$(snap)
	run --separate-stderr ccc-notice publish notice-lyon-1 --as j.garcia
	assert_success
	assert_equal "$stderr" "ccc-notice: notice 'notice-lyon-1' is published already (A-1/2026)"
	assert_equal "$(jq -r '.status + " " + .control' <<<"$output")" "published A-1/2026"
	assert_equal "$(snap)" "$before"
	run --separate-stderr ccc-notice -q publish notice-lyon-1 --as j.garcia
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(snap)" "$before"
}

@test "notice publish of a published notice by its drafter stays refused (77); of a cancelled one, 65" {
	published
	run ccc-notice publish notice-lyon-1 --as a.martin
	assert_failure 77
	assert_output --partial "publish: 'a.martin' drafted notice 'notice-lyon-1'"
	ccc-notice cancel notice-lyon-1 --reason 'arrested' >/dev/null
	before=$(snap)
	run ccc-notice publish notice-lyon-1 --as j.garcia
	assert_failure 65
	assert_output "ccc-notice: publish: notice 'notice-lyon-1' is cancelled"
	assert_equal "$(snap)" "$before"
}

@test "notice review of a reviewed notice exits 0 and says so; of a refused one only with decision refused" {
	red
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	before=$(snap)
	run --separate-stderr ccc-notice review notice-lyon-1 --as j.garcia
	assert_success
	assert_equal "$stderr" "ccc-notice: notice 'notice-lyon-1' is reviewed already"
	assert_equal "$(jq -r .review.outcome <<<"$output")" reviewed
	assert_equal "$(snap)" "$before"
	# a decision the review did not make is not the same review
	run ccc-notice review notice-lyon-1 --decision refused --as j.garcia
	assert_failure 65
	assert_output "ccc-notice: review: notice 'notice-lyon-1' is reviewed"
	assert_equal "$(snap)" "$before"
}

@test "notice cancel of a cancelled notice exits 0 for the same reason, 65 for another" {
	published
	ccc-notice cancel notice-lyon-1 --reason 'arrested in Madrid' >/dev/null
	before=$(snap)
	run --separate-stderr ccc-notice cancel notice-lyon-1 --reason 'arrested in Madrid'
	assert_success
	assert_equal "$stderr" "ccc-notice: notice 'notice-lyon-1' is cancelled already (A-1/2026)"
	assert_equal "$(snap)" "$before"
	run ccc-notice cancel notice-lyon-1 --reason 'deceased'
	assert_failure 65
	assert_output "ccc-notice: cancel: notice 'notice-lyon-1' was cancelled already, for another reason: 'arrested in Madrid'"
	assert_equal "$(snap)" "$before"
}

@test "notice renew on the day it was renewed exits 0 and says so; a day later it renews" {
	published
	ccc-notice renew notice-lyon-1 >/dev/null
	before=$(snap)
	run --separate-stderr ccc-notice renew notice-lyon-1
	assert_success
	assert_equal "$stderr" "ccc-notice: notice 'notice-lyon-1' is renewed already: it expires at 2031-11-20T09:00:00Z"
	assert_equal "$(snap)" "$before"
	CCC_NOW=2026-11-21T09:00:00Z run --separate-stderr ccc-notice renew notice-lyon-1
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -r .expires_at <<<"$output")" 2031-11-21T09:00:00Z
}

@test "notice update with the values it has exits 0 and says so; a reviewed notice stays reviewed" {
	red
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	before=$(snap)
	run --separate-stderr ccc-notice update notice-lyon-1 --charge 'armed robbery'
	assert_success
	assert_equal "$stderr" "ccc-notice: notice 'notice-lyon-1' has these values already"
	assert_equal "$(jq -r .status <<<"$output")" reviewed
	assert_equal "$(snap)" "$before"
}

@test "notice expire with nothing due prints nothing, exit 0, and changes nothing" {
	published
	CCC_NOW=2031-11-21T00:00:00Z ccc-notice expire >/dev/null
	before=$(snap)
	CCC_NOW=2031-11-21T00:00:00Z run --separate-stderr ccc-notice expire
	assert_success
	assert_equal "$output" ""
	assert_equal "$stderr" ""
	assert_equal "$(snap)" "$before"
}

@test "deploy approve of an approved plan exits 0, says so and gives its deployment; a refused plan stays 65" {
	approved
	before=$(snap)
	run --separate-stderr ccc-deploy approve plan-lyon-1 --format ndjson
	assert_success
	assert_equal "$stderr" "ccc-deploy: plan 'plan-lyon-1' is approved already (dep-lyon-1)"
	assert_equal "$(jq -r '.id + " " + .status' <<<"$output")" "dep-lyon-1 approved"
	assert_equal "$(snap)" "$before"
	run --separate-stderr ccc-deploy -q approve plan-lyon-1 --format ndjson
	assert_success
	assert_equal "$stderr" ""
	# refused at approval (its lead is booked): asked again, refused again
	run ccc-deploy approve plan-lyon-2
	assert_failure 65
	before=$(snap)
	run ccc-deploy approve plan-lyon-2
	assert_failure 65
	assert_output --partial "cannot approve plan 'plan-lyon-2': s-lead-1: on deployment dep-lyon-1"
	assert_equal "$(snap)" "$before"
}

@test "deploy start of an active deployment exits 0 and says so; of an ended one, 65" {
	approved
	CCC_NOW=2026-12-01T06:00:00Z ccc-deploy start dep-lyon-1 >/dev/null
	before=$(snap)
	CCC_NOW=2026-12-01T07:00:00Z run --separate-stderr ccc-deploy start dep-lyon-1 --format ndjson
	assert_success
	assert_equal "$stderr" "ccc-deploy: deployment 'dep-lyon-1' is active already (since 2026-12-01T06:00:00Z)"
	assert_equal "$(jq -r .started_at <<<"$output")" 2026-12-01T06:00:00Z
	assert_equal "$(snap)" "$before"
	CCC_NOW=2026-12-06T18:00:00Z ccc-deploy end dep-lyon-1 >/dev/null
	run ccc-deploy start dep-lyon-1
	assert_failure 65
	assert_output "ccc-deploy: cannot start deployment 'dep-lyon-1': it is ended"
}

@test "deploy end of an ended deployment exits 0 for the same reason, 65 for another; recall of it, 65" {
	approved
	CCC_NOW=2026-12-01T06:00:00Z ccc-deploy start dep-lyon-1 >/dev/null
	CCC_NOW=2026-12-06T18:00:00Z ccc-deploy end dep-lyon-1 --reason 'mission accomplished' >/dev/null
	before=$(snap)
	CCC_NOW=2026-12-07T09:00:00Z run --separate-stderr ccc-deploy end dep-lyon-1 --format ndjson
	assert_success
	assert_equal "$stderr" "ccc-deploy: deployment 'dep-lyon-1' is ended already (at 2026-12-06T18:00:00Z)"
	CCC_NOW=2026-12-07T09:00:00Z run --separate-stderr ccc-deploy end dep-lyon-1 --reason 'mission accomplished' --format ndjson
	assert_success
	assert_equal "$(snap)" "$before"
	run ccc-deploy end dep-lyon-1 --reason 'called back'
	assert_failure 65
	assert_output "ccc-deploy: cannot end deployment 'dep-lyon-1': it is ended already, for another reason: 'mission accomplished'"
	run ccc-deploy recall dep-lyon-1
	assert_failure 65
	assert_output "ccc-deploy: cannot recall deployment 'dep-lyon-1': it is ended"
	assert_equal "$(snap)" "$before"
}

@test "deploy recall of a recalled deployment exits 0 and says so" {
	approved
	ccc-deploy recall dep-lyon-1 --reason 'cancelled by the host' >/dev/null
	before=$(snap)
	run --separate-stderr ccc-deploy recall dep-lyon-1 --format ndjson
	assert_success
	assert_equal "$stderr" "ccc-deploy: deployment 'dep-lyon-1' is recalled already (at 2026-11-20T09:00:00Z)"
	assert_equal "$(snap)" "$before"
}

@test "deploy extend to the end it has exits 0 and says so; to an earlier end, 65" {
	approved
	ccc-deploy extend dep-lyon-1 --to 2026-12-14 >/dev/null
	before=$(snap)
	run --separate-stderr ccc-deploy extend dep-lyon-1 --to 2026-12-14 --format ndjson
	assert_success
	assert_equal "$stderr" "ccc-deploy: deployment 'dep-lyon-1' ends at 2026-12-15T00:00:00Z already"
	assert_equal "$(snap)" "$before"
	run ccc-deploy extend dep-lyon-1 --to 2026-12-12
	assert_failure 65
	assert_output --partial "is not after its end"
}

one_message() {
	echo '{"subject":"Cocaine shipment expected at the port tonight","body":"Please check the container manifest."}' |
		ccc-intake -q --source ncb:fr | ccc-triage >/dev/null
}

@test "triage take of an item the same person has taken exits 0 and says so; another person takes it over with --steal" {
	one_message
	ccc-triage take msg-lyon-1 --as officer.dupont >/dev/null
	before=$(snap)
	run --separate-stderr ccc-triage take msg-lyon-1 --as officer.dupont
	assert_success
	assert_equal "$stderr" "ccc-triage: message 'msg-lyon-1' is taken by officer.dupont already"
	assert_equal "$(jq -r '.queue | .status + " " + .assignee' <<<"$output")" "taken officer.dupont"
	assert_equal "$(snap)" "$before"
	run --separate-stderr ccc-triage assign msg-lyon-1 --to officer.dupont
	assert_success
	assert_equal "$stderr" "ccc-triage: message 'msg-lyon-1' is taken by officer.dupont already"
	assert_equal "$(snap)" "$before"
	# another officer's item is not taken by surprise (ccc-triage(1), take)
	run --separate-stderr ccc-triage take msg-lyon-1 --as analyst.garcia
	assert_failure 75
	assert_equal "$(snap)" "$before"
	run --separate-stderr ccc-triage take msg-lyon-1 --as analyst.garcia --steal
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -r .queue.assignee <<<"$output")" analyst.garcia
}

@test "triage close of a closed item exits 0 for the same reason, 65 for another" {
	one_message
	ccc-triage close msg-lyon-1 --reason 'no hit' >/dev/null
	before=$(snap)
	run --separate-stderr ccc-triage close msg-lyon-1 --reason 'no hit'
	assert_success
	assert_equal "$stderr" "ccc-triage: message 'msg-lyon-1' is closed already"
	assert_equal "$(jq -r .queue.status <<<"$output")" closed
	run --separate-stderr ccc-triage -q close msg-lyon-1
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(snap)" "$before"
	run ccc-triage close msg-lyon-1 --reason 'located'
	assert_failure 65
	assert_output "ccc-triage: close: message 'msg-lyon-1' was closed already, for another reason: 'no hit'"
	assert_equal "$(snap)" "$before"
}

@test "triage reopen of an open item exits 0 and says so" {
	one_message
	ccc-triage close msg-lyon-1 >/dev/null
	ccc-triage reopen msg-lyon-1 >/dev/null
	before=$(snap)
	run --separate-stderr ccc-triage reopen msg-lyon-1
	assert_success
	assert_equal "$stderr" "ccc-triage: message 'msg-lyon-1' is open already"
	assert_equal "$(snap)" "$before"
}

@test "store init of an existing store for the same site exits 0 and says so; another site, role or key stays 73" {
	before=$(snap)
	run --separate-stderr ccc-store init --site lyon
	assert_success
	assert_equal "$stderr" "ccc-store: store '$CCC_STORE' exists already for primary site 'lyon' (key '$XDG_CONFIG_HOME/ccc/keys/lyon.pem')"
	assert_equal "$output" ""
	run --separate-stderr ccc-store init -q --site lyon
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(snap)" "$before"
	run ccc-store init --site paris
	assert_failure 73
	assert_output "ccc-store: cannot create store '$CCC_STORE': it already exists, for primary site 'lyon'"
	run ccc-store init --site lyon --standby
	assert_failure 73
	assert_output "ccc-store: cannot create store '$CCC_STORE': it already exists, for primary site 'lyon'"
	run ccc-store init --site lyon --key "$BATS_TEST_TMPDIR/other.pem"
	assert_failure 73
	assert_output "ccc-store: cannot create store '$CCC_STORE': it already exists, for primary site 'lyon', with a key other than '$BATS_TEST_TMPDIR/other.pem'"
	assert_equal "$(snap)" "$before"
}

@test "store init --standby of an existing standby store exits 0 and says so" {
	export CCC_STORE=$BATS_TEST_TMPDIR/bue.db
	ccc-store init -q --standby --site buenos-aires
	before=$(sha256sum "$CCC_STORE")
	run --separate-stderr ccc-store init --standby --site buenos-aires
	assert_success
	assert_equal "$stderr" "ccc-store: store '$CCC_STORE' exists already for standby site 'buenos-aires' (key '$XDG_CONFIG_HOME/ccc/keys/buenos-aires.pem')"
	assert_equal "$(sha256sum "$CCC_STORE")" "$before"
	run ccc-store init --site buenos-aires
	assert_failure 73
	assert_output "ccc-store: cannot create store '$CCC_STORE': it already exists, for standby site 'buenos-aires'"
}

@test "store trust add of a site trusted with the same key exits 0 and says so; another key stays 65" {
	ccc-store trust add -q singapore ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
	before=$(snap)
	run --separate-stderr ccc-store trust add singapore ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
	assert_success
	assert_equal "$stderr" "ccc-store: site 'singapore' is trusted already with this key"
	run --separate-stderr ccc-store trust add -q singapore ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
	assert_success
	assert_equal "$stderr" ""
	# the piped form: each record already trusted says so
	run --separate-stderr bash -c 'ccc-store keys | ccc-store trust add'
	assert_success
	assert_equal "$stderr" "ccc-store: site 'lyon' is trusted already with this key"
	assert_equal "$(snap)" "$before"
	run ccc-store trust add singapore ed25519:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=
	assert_failure 65
	assert_output --partial "already trusted with another key"
	assert_equal "$(snap)" "$before"
}

@test "store trust add on a standby of its primary's key again exits 0 and says so" {
	export CCC_STORE=$BATS_TEST_TMPDIR/bue.db
	ccc-store init -q --standby --site buenos-aires
	key=$(ccc-store --store "$BATS_TEST_TMPDIR/lyon.db" keys | jq -r .key)
	ccc-store trust add -q lyon "$key"
	before=$(sha256sum "$CCC_STORE" "$XDG_CONFIG_HOME"/ccc/trust/* 2>/dev/null)
	run --separate-stderr ccc-store trust add lyon "$key"
	assert_success
	assert_equal "$stderr" "ccc-store: standby: site 'lyon' is trusted already with this key"
	assert_equal "$(sha256sum "$CCC_STORE" "$XDG_CONFIG_HOME"/ccc/trust/* 2>/dev/null)" "$before"
	run ccc-store trust add lyon ed25519:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=
	assert_failure 65
	assert_output --partial "already trusted with another key"
}

@test "failover site add of a site with the same key, zone and way to reach it exits 0 and says so" {
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	key=$(ccc-store --store "$BUE" keys | jq -r .key)
	ccc-failover -q site add buenos-aires "$key" --tz America/Argentina/Buenos_Aires --region americas --via "ccc-failover --store '$BUE'"
	before=$(snap)
	run --separate-stderr ccc-failover site add buenos-aires "$key" --tz America/Argentina/Buenos_Aires --via "ccc-failover --store '$BUE'"
	assert_success
	assert_equal "$stderr" "ccc-failover: site 'buenos-aires' is trusted already with this key"
	run --separate-stderr ccc-failover site add buenos-aires "$key"
	assert_success
	assert_equal "$stderr" "ccc-failover: site 'buenos-aires' is trusted already with this key"
	assert_equal "$(snap)" "$before"
	# a new way to reach it is a change, not a rerun
	run --separate-stderr ccc-failover site add buenos-aires "$key" --via "ssh bue ccc-failover"
	assert_success
	assert_equal "$stderr" "ccc-failover: site 'buenos-aires' added"
	run ccc-failover site add buenos-aires ed25519:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=
	assert_failure 65
	assert_output --partial "already trusted with another key"
}
