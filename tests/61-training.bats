#!/usr/bin/env bats
# ccc-deploy's training unit: the course and skill catalogues, sessions and
# attendance (with officers of bureaus not on the roster), renewal, readiness
# that respects expiry in the staff list, planning, approval and start, and
# the list of who must be retrained.

load helper

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
}

# lead ID IRT_EXPIRY [SITE]: a team lead holding both readiness courses.
lead() {
	ccc-deploy -q staff add "$1" --name "Lead $1" --home "${3:-lyon}" --lang fr:native,en:C1 \
		--skill team_lead --training "irt_readiness:$2,imest_readiness:2028-01-01" \
		--passport 2032-01-01 >/dev/null
}

@test "the shipped catalogue holds the four courses and ten skills, with their validity and teams" {
	run ccc-deploy course list --format ndjson
	assert_success
	assert_equal "$(jq -r '[.id, .valid_months, (.for | join(","))] | join(" ")' <<<"$output")" \
		"irt_readiness 24 irt
imest_readiness 24 imest
hostile_environment 36 
first_aid 24 "
	run ccc-deploy skill list --format ndjson
	assert_equal "$(wc -l <<<"$output")" 10
	assert_line --partial '"id":"disaster_victim_identification"'
}

@test "course add accepts refresher_2026, lists it, and a rerun changes nothing" {
	run ccc-deploy course add refresher_2026 --valid 12m --for irt,imest --title 'Refresher 2026' --format table
	assert_success
	assert_line --index 0 --regexp '^NAME +VALID +FOR +TITLE$'
	assert_line --index 1 --regexp '^refresher_2026 +12 +\["imest","irt"\] +Refresher 2026$'
	run ccc-deploy course add refresher_2026 --valid 12m --for irt,imest --title 'Refresher 2026'
	assert_success
	assert_line "ccc-deploy: course 'refresher_2026' is in the catalogue already"
	assert_equal "$(sql "SELECT count(*) FROM journal WHERE command LIKE '%course add%'")" 1
	run ccc-deploy course list --format ndjson
	assert_line --partial '"id":"refresher_2026","slot":4'
	# a member may now hold it
	run ccc-deploy staff add s-1 --name 'Ana Ruiz' --home buenos-aires --training refresher_2026:2027-03-01
	assert_success
	run ccc-store verify
	assert_success
}

@test "course add refuses a bad name, a new course without --valid, and a bad span" {
	run ccc-deploy course add Refresher --valid 12m
	assert_failure 64
	assert_output --partial "course add: 'Refresher' is not a course name (lowercase letters"
	run ccc-deploy course add refresher_ops
	assert_failure 64
	assert_output --partial "course add: a new course needs --valid (e.g. 24m)"
	run ccc-deploy course add refresher_ops --valid 12 weeks
	assert_failure 64
	run ccc-deploy course add refresher_ops --valid 3w
	assert_failure 64
	assert_output --partial "--valid: '3w' is not a span such as 24m or 2y"
	run ccc-deploy course add refresher_ops --valid 1y --for irt,police
	assert_failure 64
	assert_output --partial "--for 'irt,police' is not a list of irt, imest"
}

@test "course remove refuses a course still held, and removes one that nobody holds" {
	ccc-deploy -q course add refresher_ops --valid 12m >/dev/null
	ccc-deploy -q staff add s-1 --name 'Ana Ruiz' --home lyon --training refresher_ops:2027-03-01 >/dev/null
	run ccc-deploy course remove refresher_ops
	assert_failure 65
	assert_output "ccc-deploy: cannot remove course 'refresher_ops': staff 's-1' names it"
	ccc-deploy -q skill add open_source_intelligence --title OSINT >/dev/null
	run ccc-deploy skill remove open_source_intelligence
	assert_success
	run ccc-deploy skill remove open_source_intelligence
	assert_failure 66
	assert_output --partial "skill 'open_source_intelligence' is not in the catalogue"
}

@test "a session passed renews the course for its validity; failed changes nothing" {
	lead s-1 2026-12-15
	lead s-2 2026-12-15
	run ccc-deploy session add irt_readiness --date 2026-11-18 --site lyon --trainer 'Marc Dubois' --format ndjson
	assert_success
	assert_equal "$(jq -r '[.id, .course, .date, .site, .trainer] | join(" ")' <<<"$output")" \
		"session-lyon-1 irt_readiness 2026-11-18 lyon Marc Dubois"
	run ccc-deploy attend session-lyon-1 s-1 --result passed --format table
	assert_success
	assert_line --index 1 --regexp '^session-lyon-1 +irt_readiness +2026-11-18 +lyon +Marc Dubois +s-1 +passed +2028-11-17$'
	ccc-deploy -q attend session-lyon-1 s-2 --result failed >/dev/null
	run ccc-deploy staff show s-1 --format ndjson
	assert_equal "$(jq -c '.trainings[] | select(.course == "irt_readiness")' <<<"$output")" \
		'{"course":"irt_readiness","expires":"2028-11-17"}'
	run ccc-deploy staff show s-2 --format ndjson
	assert_equal "$(jq -r '.trainings[] | select(.course == "irt_readiness") | .expires' <<<"$output")" 2026-12-15
	run ccc-store verify
	assert_success
}

@test "a renewal never shortens a longer validity" {
	lead s-1 2029-06-30
	ccc-deploy -q session add irt_readiness --date 2026-11-18 --site lyon --trainer t >/dev/null
	ccc-deploy -q attend session-lyon-1 s-1 --result passed >/dev/null
	run ccc-deploy staff show s-1 --format ndjson
	assert_equal "$(jq -r '.trainings[] | select(.course == "irt_readiness") | .expires' <<<"$output")" 2029-06-30
}

@test "attend records an officer of a bureau as a trainee with the NCB; without --ncb it is refused" {
	ccc-deploy -q session add irt_readiness --date 2026-11-18 --site rabat --trainer t >/dev/null
	run ccc-deploy attend session-lyon-1 ma-0001 --result passed
	assert_failure 65
	assert_output --partial "'ma-0001' is not on the roster nor a trainee: give an officer of a bureau with --ncb"
	run ccc-deploy attend session-lyon-1 ma-0001 --ncb MA --name 'Youssef Alami' --result passed --format ndjson
	assert_success
	assert_equal "$(jq -c '.attendance' <<<"$output")" '[{"person":"ma-0001","result":"passed","expires":"2028-11-17"}]'
	assert_equal "$(sql "SELECT ncb || ' ' || name || ' ' || json_extract(record, '\$.trainings[0].expires') FROM trainees")" \
		"MA Youssef Alami 2028-11-17"
	# not on the roster: never planned
	assert_equal "$(sql 'SELECT count(*) FROM staff')" 0
}

@test "attend refuses a session not held yet, an unknown session, and a bad result" {
	ccc-deploy -q session add first_aid --date 2026-12-01 --site lyon --trainer t >/dev/null
	lead s-1 2027-12-01
	run ccc-deploy attend session-lyon-1 s-1 --result passed
	assert_failure 65
	assert_output --partial "the session is on 2026-12-01: record results once it is held"
	run ccc-deploy attend session-lyon-9 s-1 --result passed
	assert_failure 66
	run ccc-deploy attend session-lyon-1 s-1 --result maybe
	assert_failure 64
	run ccc-deploy session add juggling --date 2026-12-01 --site lyon --trainer t
	assert_failure 64
	assert_output --partial "'juggling' is not a course (irt_readiness, imest_readiness"
}

@test "expired training is never shown ready nor planned" {
	lead s-ok 2027-12-31
	lead s-old 2026-11-01
	run ccc-deploy staff list --format table
	assert_line --regexp '^s-ok .* ready$'
	assert_line --regexp '^s-old .* ready \(imest only\)$'
	run ccc-deploy staff list --format ndjson
	assert_equal "$(jq -c 'select(.id == "s-old") | .state.ready_for' <<<"$output")" '["imest"]'
	# no IMEST course either: not ready at all, with the reason
	ccc-deploy -q staff update s-old --training imest_readiness:2026-10-01 >/dev/null
	run ccc-deploy staff list --format table
	assert_line --regexp '^s-old .* not ready: irt_readiness expired 2026-11-01$'
	run ccc-deploy plan --kind irt --for INC-1 --country FR --from 2026-12-01 --to 2026-12-05 --size 2 --format ndjson
	assert_success
	assert_equal "$(jq -c '[.members[].staff]' <<<"$output")" '["s-ok"]'
}

@test "ready means valid through the next planned deployment, and start checks the training again" {
	lead s-1 2026-12-03
	lead s-2 2027-12-31
	run ccc-deploy plan --kind irt --for INC-1 --country FR --from 2026-12-01 --to 2026-12-02 --size 1 --format ndjson
	assert_equal "$(jq -r '.members[0].staff' <<<"$output")" s-1
	ccc-deploy -q approve plan-lyon-1 >/dev/null
	ccc-deploy -q extend dep-lyon-1 --to 2026-12-03 >/dev/null
	run ccc-deploy staff list --format table
	assert_line --regexp '^s-1 .* ready$'
	# a course the catalogue now names for IRT teams, held by nobody
	ccc-deploy -q course add refresher_2026 --valid 12m --for irt >/dev/null
	run ccc-deploy staff list --format table
	assert_line --regexp '^s-1 .* ready \(imest only\)$'
	CCC_NOW=2026-12-01T06:00:00Z run ccc-deploy start dep-lyon-1
	assert_failure 65
	assert_output --partial "cannot start deployment 'dep-lyon-1': s-1: no refresher_2026 on record"
	assert_equal "$(sql "SELECT status FROM deployments")" approved
}

@test "a course that expires before the end of the next deployment is not ready for it" {
	lead s-1 2027-12-31
	ccc-deploy -q plan --kind irt --for INC-1 --country FR --from 2026-12-01 --to 2026-12-10 --size 1 >/dev/null
	ccc-deploy -q approve plan-lyon-1 >/dev/null
	# the record changed after the approval: the IRT course now lapses mid-deployment
	ccc-deploy -q staff update s-1 --training irt_readiness:2026-12-05 >/dev/null
	run ccc-deploy staff list --format table
	assert_line --regexp '^s-1 .* ready \(imest only\)$'
	CCC_NOW=2026-12-01T06:00:00Z run ccc-deploy start dep-lyon-1
	assert_failure 65
	assert_output --partial "s-1: irt_readiness expires 2026-12-05, before the end (2026-12-10)"
}

@test "training due lists who must be retrained by site and the refresher plan for the quarter, and exits 1" {
	lead s-1 2026-12-15 lyon
	lead s-2 2026-11-01 singapore
	lead s-3 2027-12-31 lyon
	lead s-4 2027-02-05 singapore
	ccc-deploy -q session add irt_readiness --date 2026-12-10 --site lyon --trainer t >/dev/null
	run ccc-deploy training due --within 60d --format table
	assert_failure 1
	assert_line --index 0 --regexp '^SITE +PERSON +NAME +COURSE +EXPIRES +DAYS +STATUS$'
	assert_line --index 1 --regexp '^lyon +s-1 +Lead s-1 +irt_readiness +2026-12-15 +26 +due$'
	assert_line --index 2 --regexp '^singapore +s-2 +Lead s-2 +irt_readiness +2026-11-01 +-18 +expired$'
	assert_line --regexp '^irt_readiness +lyon +2026-12-15 +\["s-1"\] +session-lyon-1$'
	# s-4's course lapses within the quarter, not within 60 days: planned, not yet due
	assert_line --regexp '^irt_readiness +singapore +2026-11-01 +\["s-2","s-4"\] +-$'
	refute_line --regexp '^singapore +s-4'
	refute_output --partial s-3
	run ccc-deploy training due --within 60d --format ndjson
	assert_equal "$(jq -r 'select(.type == "training_due") | .person' <<<"$output" | tr '\n' ' ')" "s-1 s-2 "
	run ccc-deploy training due --within 500d --format ndjson
	assert_line --partial '"person":"s-3"'
}

@test "training due exits 0 and says so when nobody is due" {
	lead s-3 2027-12-31
	run ccc-deploy training due --format table
	assert_success
	assert_output "ccc-deploy: training due: nobody must be retrained within 90d"
	run ccc-deploy training due --within soon
	assert_failure 64
}

@test "the catalogue, a changed shipped course, sessions and trainees replicate to a standby" {
	ccc-deploy -q course add refresher_2026 --valid 12m --for irt >/dev/null
	ccc-deploy -q course add irt_readiness --valid 12m >/dev/null
	ccc-deploy -q session add first_aid --date 2026-11-01 --site lyon --trainer t >/dev/null
	ccc-deploy -q attend session-lyon-1 fr-0001 --ncb FR --result passed >/dev/null
	bue=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$bue" init -q --standby --site buenos-aires
	ccc-store --store "$bue" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	ccc-failover export --since 0 | ccc-failover import --store "$bue" >/dev/null
	run ccc-deploy --store "$bue" course list --format ndjson
	assert_equal "$(jq -r '"\(.id) \(.valid_months)"' <<<"$output" | sed -n '1p;5p')" "irt_readiness 12
refresher_2026 12"
	run ccc-deploy --store "$bue" session list --format ndjson
	assert_equal "$(jq -c '.attendance' <<<"$output")" '[{"person":"fr-0001","result":"passed","expires":"2028-10-31"}]'
	run ccc-store --store "$bue" verify
	assert_success
}
