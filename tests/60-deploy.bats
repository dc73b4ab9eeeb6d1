#!/usr/bin/env bats
# ccc-deploy: the roster (NDJSON and CSV), team planning and its constraints,
# the lifecycle with no double booking, the field-check report, the rota
# across a daylight-saving change.

load helper

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
}

roster() {
	ccc-deploy -q staff import "$FIXTURES/deploy/roster.ndjson" >/dev/null 2>&1 || true
}

# plan_dec [OPTIONS...]: an IRT to Morocco, 1-10 December 2026.
plan_dec() {
	ccc-deploy plan --kind irt --for INC-2026-0042 --country MA \
		--from 2026-12-01 --to 2026-12-10 "$@"
}

@test "staff import from NDJSON stores the good records and rejects a bad line with FILE:LINE: reason" {
	run ccc-deploy staff import "$FIXTURES/deploy/roster.ndjson"
	assert_failure 65
	assert_line --partial "ccc-deploy: $FIXTURES/deploy/roster.ndjson:5: field 'skills': 'juggling' is not a skill (disaster_victim_identification,"
	assert_line --partial "ccc-deploy: staff: 8 records stored, 1 rejected"
	assert_equal "$(sql 'SELECT count(*) FROM staff')" 8
	assert_equal "$(sql "SELECT line || ' ' || program FROM rejects")" "5 ccc-deploy"
	run ccc-store verify
	assert_success
}

@test "staff import from CSV splits lists on ';', keeps other columns, and rejects a bad row" {
	run ccc-deploy staff import "$FIXTURES/deploy/roster.csv"
	assert_failure 65
	assert_line --partial "roster.csv:6: field 'languages': 'fr': level 'fluent' is not A1, A2, B1, B2, C1, C2 or native"
	assert_equal "$(sql 'SELECT count(*) FROM staff')" 4
	run ccc-deploy staff show c-02 --format ndjson
	assert_success
	assert_equal "$(jq -c '[.name, .languages, .skills, .unavailable, .badge]' <<<"$output")" \
		'["Nguyen, Van An",[{"lang":"vi","level":"native"},{"lang":"en","level":"C1"}],["cybercrime"],[{"from":"2026-12-24","to":"2026-12-31"}],"S-202"]'
	assert_equal "$(jq -c .trainings <<<"$output")" '[{"course":"irt_readiness","expires":"2027-01-15"}]'
}

@test "staff add refuses an id that exists, update changes one course and keeps the rest" {
	run ccc-deploy staff add s-9 --name 'Amina Haddad' --home lyon --lang ar:native,fr:C1 \
		--skill forensics,team_lead --training irt_readiness:2026-12-01,first_aid:2027-01-01 --passport 2031-02-28
	assert_success
	assert_equal "$(jq -c .skills <<<"$output")" '["forensics","team_lead"]'
	run ccc-deploy staff add s-9 --name 'Someone Else' --home lyon
	assert_failure 65
	assert_output --partial "staff 's-9' is already on the roster"
	run ccc-deploy staff update s-9 --training irt_readiness:2027-12-01 --lang en:B2 --unavailable 2026-12-20/2026-12-31
	assert_success
	assert_equal "$(jq -c '[.trainings, .languages, .unavailable]' <<<"$output")" \
		'[[{"course":"irt_readiness","expires":"2027-12-01"},{"course":"first_aid","expires":"2027-01-01"}],[{"lang":"ar","level":"native"},{"lang":"fr","level":"C1"},{"lang":"en","level":"B2"}],[{"from":"2026-12-20","to":"2026-12-31"}]]'
	run ccc-deploy staff update s-10 --name X
	assert_failure 66
	run ccc-deploy staff add s-11 --name X --home lyon --skill juggling
	assert_failure 64
	assert_output --partial "'juggling' is not a skill"
}

@test "staff list shows the roster as a table with each member's state" {
	roster
	run ccc-deploy staff list --format table --home lyon
	assert_success
	assert_line --index 0 --regexp '^ID +NAME +SITE +LEAD +LANGUAGES +IRT +IMEST +NOW$'
	assert_line --regexp '^s-lead-1 +Claire Martin +lyon +yes +fr:N,en:C1,ar:B2 +2027-06-30 +2027-06-30 +ready$'
	assert_equal "${#lines[@]}" 5
	run ccc-deploy staff list --skill disaster_victim_identification
	assert_equal "$(jq -r .id <<<"$output" | tr '\n' ' ')" "s-dvi-1 s-dvi-2 s-dvi-3 "
}

@test "plan chooses the smallest complete team and says what each member covers" {
	roster
	run plan_dec --need disaster_victim_identification=2,forensics=1 --lang fr
	assert_success
	assert_equal "$(jq -r '.id + " " + .status + " " + (.complete | tostring)' <<<"$output")" "plan-lyon-1 proposed true"
	assert_equal "$(jq -r '[.members[].staff] | join(",")' <<<"$output")" "s-dvi-1,s-dvi-3,s-lead-1"
	assert_equal "$(jq -c '.members[] | select(.staff == "s-dvi-1") | .covers' <<<"$output")" \
		'{"skills":["disaster_victim_identification","forensics"],"languages":["fr","ar"]}'
	assert_equal "$(jq -c '.needs.official_languages' <<<"$output")" '["ar"]'
	assert_equal "$(jq -r '.search.optimal' <<<"$output")" true
	assert_equal "$(sql "SELECT status FROM plans WHERE id = 'plan-lyon-1'")" proposed
}

@test "expired and soon-expiring training, an absence and a short passport exclude, with reasons" {
	roster
	run plan_dec --need disaster_victim_identification=3,counter_terrorism=1
	assert_success
	excluded() { jq -r --arg s "$1" '.excluded[] | select(.staff == $s) | .reason' <<<"$output"; }
	assert_equal "$(excluded s-lead-2)" "irt_readiness expires 2026-12-05, before the end (2026-12-10)"
	assert_equal "$(excluded s-ct-1)" "irt_readiness expired 2026-10-31"
	assert_equal "$(excluded s-dvi-2)" "passport expires 2027-05-01; it must be valid to 2027-06-10 (6 months after the end)"
	assert_equal "$(excluded s-cyb-1)" "unavailable 2026-12-08..2026-12-20: leave"
	jq -e '[.members[].staff] | index("s-lead-2") == null and index("s-ct-1") == null and index("s-dvi-2") == null' <<<"$output"
}

@test "unmet needs are listed with the reason they could not be met" {
	roster
	run plan_dec --need disaster_victim_identification=3,counter_terrorism=1,cybercrime=1 --size 3
	assert_success
	assert_equal "$(jq -r .complete <<<"$output")" false
	reason() { jq -r --arg s "$1" '.unmet[] | select(.skill == $s) | "\(.covered)/\(.wanted): \(.reason)"' <<<"$output"; }
	assert_equal "$(reason disaster_victim_identification)" \
		"2/3: 2 of the 3 staff with disaster_victim_identification can go (1 passport not valid 6 months past the end)"
	assert_equal "$(reason counter_terrorism)" \
		"0/1: 0 of the 1 staff with counter_terrorism can go (1 training not valid to the end)"
	assert_equal "$(reason cybercrime)" "0/1: 0 of the 1 staff with cybercrime can go (1 unavailable)"
	run plan_dec --need forensics=2 --lang es,it --size 2
	assert_success
	assert_equal "$(jq -r '.unmet | map(.reason) | unique | .[]' <<<"$output")" \
		"the team is at its size limit (2 members): covering more needs would need more members"
}

@test "an impossible plan names the constraint that could not be met, exit 1, nothing stored" {
	roster
	run ccc-deploy plan --kind imest --for EVT-2027-SUMMIT --country BE --from 2027-07-01 --to 2027-07-10
	assert_failure 1
	assert_line --partial "ccc-deploy: plan: no team lead with valid imest_readiness available 2027-07-01..2027-07-10: s-lead-1 imest_readiness expired 2027-06-30; s-lead-2 no imest_readiness on record"
	assert_equal "$(sql 'SELECT count(*) FROM plans')" 0
	jq -e 'select(.type == "plan") | .feasible == false' <<<"$(grep '^{' <<<"$output")"
}

@test "plan is deterministic: the same request gives the same team and explanation" {
	roster
	plan_dec --need disaster_victim_identification=2,forensics=2 --lang fr,es --size 4 | jq -S 'del(.id, .created_at)' >"$BATS_TEST_TMPDIR/a"
	plan_dec --need disaster_victim_identification=2,forensics=2 --lang fr,es --size 4 | jq -S 'del(.id, .created_at)' >"$BATS_TEST_TMPDIR/b"
	run diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_success
	assert_equal "$(jq -r '[.members[].staff] | join(",")' "$BATS_TEST_TMPDIR/a")" "s-dvi-1,s-dvi-3,s-for-1,s-lead-1"
}

@test "approve books the team; a second plan that overlaps is refused at approval (no double booking), exit 65" {
	roster
	plan_dec --need disaster_victim_identification=1 >/dev/null
	ccc-deploy plan --for INC-2026-0050 --country FR --from 2026-12-08 --to 2026-12-15 >/dev/null
	run ccc-deploy approve plan-lyon-1
	assert_success
	assert_equal "$(jq -r '.id + " " + .status + " " + .plan' <<<"$output")" "dep-lyon-1 approved plan-lyon-1"
	assert_equal "$(sql "SELECT group_concat(staff) FROM (SELECT staff FROM assignments WHERE deployment = 'dep-lyon-1' ORDER BY staff)")" "s-dvi-1,s-lead-1"
	run ccc-deploy approve plan-lyon-2
	assert_failure 65
	assert_output --partial "cannot approve plan 'plan-lyon-2': s-lead-1: on deployment dep-lyon-1 2026-12-01..2026-12-10"
	assert_equal "$(sql 'SELECT count(*) FROM deployments')" 1
	run ccc-deploy approve plan-lyon-1
	assert_success
	assert_output --partial "ccc-deploy: plan 'plan-lyon-1' is approved already (dep-lyon-1)"
	run ccc-deploy plan --for INC-2026-0051 --country FR --from 2026-12-08 --to 2026-12-15
	assert_failure 1
	assert_output --partial "no team lead who can go 2026-12-08..2026-12-15: s-lead-1 on deployment dep-lyon-1 2026-12-01..2026-12-10; s-lead-2 irt_readiness expired 2026-12-05"
	run ccc-store verify
	assert_success
}

@test "extend re-checks every member and refuses an overlap with their next deployment" {
	roster
	plan_dec >/dev/null
	ccc-deploy approve plan-lyon-1 >/dev/null
	ccc-deploy plan --for INC-2026-0060 --country FR --from 2026-12-15 --to 2026-12-20 >/dev/null
	ccc-deploy approve plan-lyon-2 >/dev/null
	run ccc-deploy extend dep-lyon-1 --to 2026-12-16
	assert_failure 65
	assert_output --partial "cannot extend deployment 'dep-lyon-1': s-lead-1: on deployment dep-lyon-2 2026-12-15..2026-12-20"
	run ccc-deploy extend dep-lyon-1 --to 2026-12-14
	assert_success
	assert_equal "$(jq -r .ends_at <<<"$output")" 2026-12-15T00:00:00Z
	assert_equal "$(sql "SELECT ends_at FROM assignments WHERE deployment = 'dep-lyon-1'")" 2026-12-15T00:00:00Z
	run ccc-deploy extend dep-lyon-1 --to 2026-12-10
	assert_failure 65
	assert_output --partial "is not after its end"
}

@test "start, end and recall move a deployment through its states; wrong states are refused" {
	roster
	plan_dec --need disaster_victim_identification=1 >/dev/null
	ccc-deploy approve plan-lyon-1 >/dev/null
	run ccc-deploy end dep-lyon-1
	assert_failure 65
	assert_output --partial "cannot end deployment 'dep-lyon-1': it is approved and has not started (recall it instead)"
	CCC_NOW=2026-12-01T06:00:00Z run ccc-deploy start dep-lyon-1
	assert_success
	assert_equal "$(jq -r '.status + " " + .started_at' <<<"$output")" "active 2026-12-01T06:00:00Z"
	CCC_NOW=2026-12-06T18:00:00Z run ccc-deploy end dep-lyon-1 --reason 'mission accomplished'
	assert_success
	assert_equal "$(jq -r '.status + " " + .ended_at + " " + .reason' <<<"$output")" "ended 2026-12-06T18:00:00Z mission accomplished"
	assert_equal "$(sql "SELECT ends_at FROM assignments WHERE deployment = 'dep-lyon-1' LIMIT 1")" 2026-12-06T18:00:00Z
	run ccc-deploy start dep-lyon-1
	assert_failure 65
	run ccc-deploy status dep-lyon-1 --format ndjson
	assert_equal "$(jq -r '[.log[].action] | join(",")' <<<"$output")" "approved,started,ended"
	# the team is free again once back: a plan from the 7th may take the lead
	run ccc-deploy plan --for INC-2026-0070 --country FR --from 2026-12-07 --to 2026-12-09
	assert_success
	assert_equal "$(jq -r '.members[] | select(.role == "team_lead") | .staff + " " + .last_deployed' <<<"$output")" "s-lead-1 2026-12-06T18:00:00Z"
	ccc-deploy plan --for INC-2026-0071 --country FR --from 2026-12-20 --to 2026-12-22 >/dev/null
	ccc-deploy approve plan-lyon-3 >/dev/null
	run ccc-deploy recall dep-lyon-2 --reason 'situation resolved'
	assert_success
	assert_equal "$(jq -r .status <<<"$output")" recalled
	assert_equal "$(sql "SELECT starts_at = ends_at FROM assignments WHERE deployment = 'dep-lyon-2' LIMIT 1")" 1
	run ccc-deploy status --format table
	assert_success
	assert_equal "${#lines[@]}" 1
	run ccc-deploy status --all --format table
	assert_line --regexp '^dep-lyon-1 +ended +irt +INC-2026-0042 +MA +2026-12-01..2026-12-10 +s-dvi-1,s-lead-1$'
	assert_line --regexp '^dep-lyon-2 +recalled '
	run ccc-deploy start dep-lyon-9
	assert_failure 66
}

@test "report counts field checks per day, database and member, with the duration" {
	roster
	plan_dec --need disaster_victim_identification=1 >/dev/null
	ccc-deploy approve plan-lyon-1 >/dev/null
	CCC_NOW=2026-12-01T06:00:00Z ccc-deploy start dep-lyon-1 >/dev/null
	run ccc-deploy report dep-lyon-1 --format ndjson
	assert_success
	assert_equal "$(jq -c '[.checks, .hits, .by_day, .by_db]' <<<"$output")" '[0,0,[],[]]'
	assert_equal "$(jq -c '.by_member' <<<"$output")" '[{"member":"s-dvi-1","checks":0,"hits":0},{"member":"s-lead-1","checks":0,"hits":0}]'
	ccc-check -q load --db documents "$ROOT/examples/data/stolen-documents.ndjson"
	CCC_NOW=2026-12-02T10:00:00Z ccc-check --doc 19AB45872 --country FR --deployment dep-lyon-1 --as s-dvi-1 >/dev/null
	CCC_NOW=2026-12-02T11:00:00Z ccc-check --doc X0000001 --country FR --deployment dep-lyon-1 --as s-dvi-1 >/dev/null
	CCC_NOW=2026-12-03T09:00:00Z ccc-check --doc 19AB45872 --country FR --deployment dep-lyon-1 --as s-lead-1 >/dev/null
	CCC_NOW=2026-12-03T09:30:00Z ccc-check --doc 19AB45872 --country FR --deployment dep-other --as s-lead-1 >/dev/null
	CCC_NOW=2026-12-04T06:00:00Z run ccc-deploy report dep-lyon-1 --format ndjson
	assert_success
	assert_equal "$(jq -c '[.checks, .hits]' <<<"$output")" '[3,2]'
	assert_equal "$(jq -c '.by_day' <<<"$output")" '[{"day":"2026-12-02","checks":2,"hits":1},{"day":"2026-12-03","checks":1,"hits":1}]'
	assert_equal "$(jq -c '.by_db' <<<"$output")" '[{"db":"documents","checks":3,"hits":2}]'
	assert_equal "$(jq -c '.by_member' <<<"$output")" '[{"member":"s-dvi-1","checks":2,"hits":1},{"member":"s-lead-1","checks":1,"hits":1}]'
	assert_equal "$(jq -c '.duration | [.from, .to, .seconds, .text, .ongoing]' <<<"$output")" '["2026-12-01T06:00:00Z","2026-12-04T06:00:00Z",259200,"3d 00h 00m",true]'
	CCC_NOW=2026-12-04T06:00:00Z run ccc-deploy report dep-lyon-1 --format table
	assert_line "dep-lyon-1 (active): 3d 00h 00m, from 2026-12-01T06:00:00Z to 2026-12-04T06:00:00Z (ongoing)"
	assert_line --regexp '^2026-12-02 +2 +1$'
	run ccc-store verify
	assert_success
}

# duty_plan: the shipped plan of the three sites (ccc-duty).
duty_plan() {
	ccc-duty -q plan load "$ROOT/examples/duty-plan.ndjson"
}

@test "rota reads the duty plan: the handover moves with the clocks on the day Europe/Paris changes to summer time" {
	roster
	duty_plan
	run ccc-deploy rota --at 2026-03-28T06:30:00Z --format ndjson
	assert_success
	assert_equal "$(jq -r '[.on_duty.sites[] | "\(.site)@\(.local_time):\(.staff | join("+"))"] | join(",")' <<<"$output")" "lyon@07:30:r.roux,singapore@14:30:n.rahman"
	assert_equal "$(jq -c '.sites[] | select(.site == "lyon") | [.utc_offset, .hours, .shifts, .watch]' <<<"$output")" \
		'["+01:00","07:00-19:00",["lyon-day"],[{"from":"2026-03-28T06:00:00Z","to":"2026-03-28T18:00:00Z"}]]'
	run ccc-deploy rota --at 2026-03-29T06:30:00Z --format ndjson
	assert_success
	assert_equal "$(jq -r '.source' <<<"$output")" plan
	assert_equal "$(jq -r '[.on_duty.sites[] | "\(.site)@\(.local_time):\(.staff | join("+"))"] | join(",")' <<<"$output")" "lyon@08:30:r.roux,singapore@14:30:n.rahman"
	assert_equal "$(jq -c '.sites[] | select(.site == "lyon") | [.utc_offset, .watch]' <<<"$output")" \
		'["+02:00",[{"from":"2026-03-29T05:00:00Z","to":"2026-03-29T17:00:00Z"}]]'
	assert_equal "$(jq -c '.handovers[] | select(.at == "2026-03-29T05:00:00Z")' <<<"$output")" '{"at":"2026-03-29T05:00:00Z","from":["singapore"],"to":["lyon","singapore"]}'
	assert_equal "$(jq -c '[.gaps, .covered]' <<<"$output")" '[[],1440]'
	assert_equal "$(jq -c '.on_duty.next' <<<"$output")" '[{"shift":"buenos-aires-day","site":"buenos-aires","from":"2026-03-29T15:00:00Z","people":["s.alvarez"]}]'
	# "on duty" is the people on the shift, not everyone at the site: the
	# roster's lyon staff (s-ct-1, s-lead-1, ...) are not named
	refute_output --partial s-lead-1
}

@test "rota with the shipped plan: no gap on any day of a week across each clock change, and the people of each slot by name" {
	duty_plan
	for d in 2026-03-25 2026-03-26 2026-03-27 2026-03-28 2026-03-29 2026-03-30 2026-03-31 \
		2026-10-22 2026-10-23 2026-10-24 2026-10-25 2026-10-26 2026-10-27 2026-10-28; do
		run ccc-deploy rota --date "$d" --at "${d}T12:00:00Z" --format ndjson
		assert_success
		assert_equal "$d $(jq -c '[.gaps, .covered, ([.segments[] | select(.on == [])] | length)]' <<<"$output")" "$d [[],1440,0]"
	done
	# the rotation turns on Monday 30 March: a.martin takes over from r.roux
	run ccc-deploy rota --date 2026-03-30 --at 2026-03-30T10:00:00Z --format ndjson
	assert_equal "$(jq -r '.segments[] | select(.from == "2026-03-30T09:00:00Z") | .on | map("\(.shift)=\(.people | join("+"))") | join(",")' <<<"$output")" "lyon-day=a.martin"
	run ccc-deploy rota --date 2026-03-29 --at 2026-03-29T06:30:00Z --format table
	assert_success
	assert_line --index 0 "Watch for 2026-03-29 (UTC), from the duty plan"
	assert_line --regexp '^lyon +Europe/Paris +\+02:00 +07:00-19:00 +lyon-day +05:00Z-17:00Z$'
	assert_line --regexp '^05:00Z +09:00Z +lyon lyon-day: r.roux; singapore singapore-day: n.rahman$'
	assert_line "Coverage: 1440 of 1440 minutes, 0 gaps"
	assert_line "  lyon (08:30 local, lyon-day): 1 on duty: r.roux"
	assert_line "  next: buenos-aires buenos-aires-day from 2026-03-29T15:00:00Z: s.alvarez"
	# the autumn change: Lyon's day is 06:00Z-18:00Z again from 25 October
	run ccc-deploy rota --date 2026-10-25 --format ndjson
	assert_equal "$(jq -c '.sites[] | select(.site == "lyon") | [.utc_offset, .watch]' <<<"$output")" \
		'["+01:00",[{"from":"2026-10-25T06:00:00Z","to":"2026-10-25T18:00:00Z"}]]'
}

@test "rota reports the gap a removed shift leaves, as ccc-duty coverage finds it, and exits 1" {
	duty_plan
	ccc-duty shift remove buenos-aires-day
	run ccc-deploy rota --date 2026-03-29 --at 2026-03-29T20:00:00Z --format ndjson
	assert_failure 1
	assert_equal "$(jq -c '[.gaps[] | [.kind, .from, .to, .minutes]]' <<<"$output")" '[["gap","2026-03-29T17:00:00Z","2026-03-29T23:00:00Z",360]]'
	assert_equal "$(jq -c '[.on_duty.sites, .covered]' <<<"$output")" '[[],1080]'
	run ccc-duty coverage --from 2026-03-29 --to 2026-03-29 --format ndjson
	assert_failure 1
	assert_line --index 0 --partial '"from":"2026-03-29T17:00:00Z","to":"2026-03-29T23:00:00Z"'
	run ccc-deploy rota --date 2026-03-29 --at 2026-03-29T20:00:00Z --format table
	assert_failure 1
	assert_line --regexp '^17:00Z +23:00Z +GAP: no site on duty$'
	assert_line "  GAP 17:00Z-23:00Z: no site on duty, 0 of 1 people"
	assert_line "On duty at 2026-03-29T20:00:00Z: nobody (a gap)"
}

@test "rota cuts the day where an override changes who is on a shift, to the minute" {
	duty_plan
	ccc-duty -q override --shift lyon-day --person h.petit --replaces r.roux --from 2026-03-29T09:30:00Z --to 2026-03-29T11:15:00Z >/dev/null
	run ccc-deploy rota --date 2026-03-29 --at 2026-03-29T10:00:00Z --format ndjson
	assert_success
	assert_equal "$(jq -r '[.segments[] | select(.sites == ["lyon"]) | "\(.from[11:16])-\(.to[11:16]) \(.on[0].people | join("+"))"] | join(",")' <<<"$output")" \
		"09:00-09:30 r.roux,09:30-11:15 h.petit,11:15-15:00 r.roux"
	assert_equal "$(jq -c '.on_duty.sites[0].staff' <<<"$output")" '["h.petit"]'
}

@test "rota leaves out the people of a shift who are away or deployed, with the reason" {
	duty_plan
	ccc-deploy staff add r.roux --name 'Rémi Roux' --home lyon --unavailable 2026-03-29/2026-03-30 >/dev/null
	run ccc-deploy rota --at 2026-03-29T06:30:00Z --format ndjson
	assert_success
	assert_equal "$(jq -c '.on_duty.sites[] | select(.site == "lyon") | [.staff, .away]' <<<"$output")" '[[],[{"person":"r.roux","why":"unavailable"}]]'
	run ccc-deploy rota --at 2026-03-29T06:30:00Z --format table
	assert_line "  lyon (08:30 local, lyon-day): 0 on duty: nobody; away: r.roux (unavailable)"
}

@test "rota with no duty plan says so and how to load one (78); --hours gives office hours of one's own, with their gaps (1)" {
	roster
	run ccc-deploy rota --date 2026-12-09
	assert_failure 78
	assert_output --partial "ccc-deploy: rota: no duty plan is loaded in this store; load the shipped one with 'ccc-duty plan load examples/duty-plan.ndjson'"
	# office hours given on the call: the old defaults, 08:00-17:00 at each
	# site, leave 20:00-24:00 UTC uncovered, and say so
	run ccc-deploy rota --date 2026-12-09 --at 2026-12-09T10:00:00Z --format table \
		--hours lyon=08:00-17:00,buenos-aires=08:00-17:00,singapore=08:00-17:00
	assert_failure 1
	assert_line --regexp '^lyon +Europe/Paris +\+01:00 +08:00-17:00 +07:00Z-16:00Z$'
	assert_line --regexp '^20:00Z +24:00Z +GAP: no site on duty$'
	run ccc-deploy rota --at 2026-12-09T02:00:00Z --hours lyon=08:00-17:00 --format ndjson
	assert_equal "$(jq -r '.on_duty.sites[] | select(.site == "singapore") | .staff | join(",")' <<<"$output")" s-dvi-2
	run ccc-deploy rota --date 2026-12-09 --hours buenos-aires=08:00-21:00,lyon=06:00-18:00 --format ndjson
	assert_success
	assert_equal "$(jq -c .gaps <<<"$output")" '[]'
	run ccc-deploy rota --hours tokyo=08:00-17:00
	assert_failure 64
	assert_output --partial "'tokyo' is not a site"
	# with a plan, the plan answers and --hours is refused
	duty_plan
	run ccc-deploy rota --hours lyon=08:00-17:00
	assert_failure 64
	assert_output --partial "--hours is for a store without a duty plan"
}

@test "usage errors: unknown command, bad --need, missing options" {
	run ccc-deploy deploy-everyone
	assert_failure 64
	assert_output --partial "'deploy-everyone' is not a command"
	run ccc-deploy plan --for X --country FR --from 2026-12-01 --to 2026-12-10 --need juggling=2
	assert_failure 64
	assert_output --partial "--need: 'juggling' is not a skill"
	run ccc-deploy plan --for X --country FR --from 2026-12-10 --to 2026-12-01
	assert_failure 64
	run ccc-deploy plan --for X --country FR
	assert_failure 64
	assert_output --partial "plan: give --for, --country, --from and --to"
	run ccc-deploy extend dep-lyon-1
	assert_failure 64
}
