#!/usr/bin/env bats
# ccc-deploy and ccc-failover behave as every program does (ccc(7),
# CONVENTIONS): an option the command does not use, or a single-valued one
# given twice, is refused with 64; every listing is a table on a terminal and
# NDJSON on a pipe, --format forcing either; the input format of staff import
# is chosen by --input-format, not --format.

load helper

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
}

roster() {
	ccc-deploy -q staff import "$FIXTURES/deploy/roster.ndjson" >/dev/null 2>&1 || true
}

# on_tty CMD...: run CMD on a terminal (script(1)); its output without the
# terminal's carriage returns, and its exit status.
on_tty() {
	local cmd
	printf -v cmd '%q ' "$@"
	script -qec "$cmd" /dev/null | tr -d '\r'
	return "${PIPESTATUS[0]}"
}

@test "ccc-deploy refuses an option its command does not use, naming both, with 64" {
	roster
	run ccc-deploy staff list --reason 'no reason'
	assert_failure 64
	assert_output "ccc-deploy: --reason does nothing with staff list"
	run ccc-deploy rota --all
	assert_failure 64
	assert_output "ccc-deploy: --all does nothing with rota"
	run ccc-deploy status --input-format csv
	assert_failure 64
	assert_output "ccc-deploy: --input-format does nothing with status"
	run ccc-deploy staff add s-77 --name 'Ana Ruiz' --home lyon --kind irt
	assert_failure 64
	assert_output "ccc-deploy: --kind does nothing with staff add"
	assert_equal "$(sql "SELECT count(*) FROM staff WHERE id = 's-77'")" 0
	run ccc-deploy start dep-lyon-1 --to 2026-12-14
	assert_failure 64
	assert_output "ccc-deploy: --to does nothing with start"
	# the same options where they are used are taken
	run ccc-deploy staff list --home lyon --skill team_lead --format ndjson
	assert_success
	assert_equal "$(jq -r .id <<<"$output" | tr '\n' ' ')" "s-lead-1 "
}

@test "ccc-deploy refuses a single-valued option given twice with 64" {
	run ccc-deploy plan --for INC-1 --for INC-2 --country MA --from 2026-12-01 --to 2026-12-10
	assert_failure 64
	assert_output --partial "--for given twice: it takes one value"
	run ccc-deploy rota --format table --format ndjson
	assert_failure 64
	assert_output --partial "--format given twice: it takes one value"
}

@test "ccc-failover refuses an option its command does not use, and --to given twice, with 64" {
	run ccc-failover site list --to buenos-aires
	assert_failure 64
	assert_output "ccc-failover: --to does nothing with site list"
	run ccc-failover position --format table
	assert_failure 64
	assert_output "ccc-failover: --format does nothing with position"
	run ccc-failover export --via 'ssh bue ccc-failover'
	assert_failure 64
	assert_output "ccc-failover: --via does nothing with export"
	run ccc-failover status --since 3
	assert_failure 64
	assert_output "ccc-failover: --since does nothing with status"
	run ccc-failover site add singapore ed25519:x --etcd http://127.0.0.1:2379
	assert_failure 64
	assert_output "ccc-failover: --etcd does nothing with site add"
	run ccc-failover ship --to buenos-aires --to singapore
	assert_failure 64
	assert_output --partial "--to given twice: it takes one value"
	# nothing was shipped anywhere, and the store is as it was
	run ccc-failover position
	assert_success
	assert_output 1
}

@test "ccc-deploy staff list and show: a table on a terminal, NDJSON on a pipe, --format forces either" {
	roster
	run on_tty ccc-deploy staff list --home lyon
	assert_success
	assert_line --index 0 --regexp '^ID +NAME +SITE +LEAD +LANGUAGES +IRT +IMEST +NOW$'
	assert_line --regexp '^s-lead-1 +Claire Martin +lyon +yes +fr:N,en:C1,ar:B2 +2027-06-30 +2027-06-30 +ready$'
	run on_tty ccc-deploy staff list --home lyon --format ndjson
	assert_success
	assert_equal "$(jq -r .id <<<"$output" | head -1)" s-ct-1
	run ccc-deploy staff list --home lyon
	assert_success
	assert_equal "$(jq -c '[.id, .state.deployment]' <<<"$output" | head -1)" '["s-ct-1",null]'
	run ccc-deploy staff list --home lyon --format table
	assert_line --index 0 --regexp '^ID +NAME '
	run on_tty ccc-deploy staff show s-lead-1
	assert_line --index 1 --regexp '^s-lead-1 +Claire Martin '
	assert_line --index 2 --regexp '^  skills: .*team_lead'
}

@test "ccc-deploy staff add prints the member as a table row on a terminal, its record on a pipe" {
	run on_tty ccc-deploy staff add s-50 --name 'Wang Xiaoming 王小明' --home singapore --lang zh:native,en:C1
	assert_success
	assert_line --index 0 --regexp '^ID +NAME +SITE '
	assert_line --index 1 --regexp '^s-50 +Wang Xiaoming 王小明 +singapore +- +zh:N,en:C1 +- +- +not ready: no irt_readiness on record$'
	run ccc-deploy staff add s-51 --name 'Ana Ruiz' --home lyon
	assert_success
	assert_equal "$(jq -c '[.type, .id, .site]' <<<"$output")" '["staff","s-51","lyon"]'
}

@test "ccc-deploy plan, status, report and rota: tables on a terminal, NDJSON on a pipe" {
	roster
	run on_tty ccc-deploy plan --kind irt --for INC-2026-0042 --country MA --from 2026-12-01 --to 2026-12-10 --need disaster_victim_identification=1
	assert_success
	assert_line --index 0 "plan-lyon-1 irt for INC-2026-0042 in MA, 2026-12-01..2026-12-10"
	assert_line --index 1 --regexp '^STAFF +NAME +SITE +ROLE +SKILLS +LANGUAGES$'
	ccc-deploy approve plan-lyon-1 --format ndjson >/dev/null
	run on_tty ccc-deploy status
	assert_success
	assert_line --index 0 --regexp '^ID +STATUS +KIND +FOR +CC +PERIOD +MEMBERS$'
	assert_line --index 1 --regexp '^dep-lyon-1 +approved +irt +INC-2026-0042 +MA +2026-12-01..2026-12-10 +s-'
	run ccc-deploy status
	assert_equal "$(jq -r '.id + " " + .status' <<<"$output")" "dep-lyon-1 approved"
	run on_tty ccc-deploy report dep-lyon-1
	assert_success
	assert_line --index 1 "0 checks, 0 hits"
	assert_line --index 2 --regexp '^DAY +CHECKS +HITS$'
	run ccc-deploy report dep-lyon-1
	assert_equal "$(jq -c '[.type, .deployment, .checks]' <<<"$output")" '["report","dep-lyon-1",0]'
	ccc-duty -q plan load "$ROOT/examples/duty-plan.ndjson"
	run on_tty ccc-deploy rota --date 2026-12-09 --at 2026-12-09T10:00:00Z
	assert_success
	assert_line --index 0 "Watch for 2026-12-09 (UTC), from the duty plan"
	assert_line --regexp '^singapore +Asia/Singapore +\+08:00 +07:00-17:00 +singapore-day +00:00Z-09:00Z, 23:00Z-24:00Z$'
	run ccc-deploy rota --date 2026-12-09 --at 2026-12-09T10:00:00Z
	assert_equal "$(jq -r '.id' <<<"$output")" rota-2026-12-09
	run ccc-deploy rota --date 2026-12-09 --at 2026-12-09T10:00:00Z --format table
	assert_line --index 0 "Watch for 2026-12-09 (UTC), from the duty plan"
}

@test "ccc-deploy staff import: --input-format chooses the input, --format is for output only" {
	printf '%s\n' 'id,name,site' 's-60,Lina Haddad,lyon' >"$BATS_TEST_TMPDIR/roster.txt"
	run ccc-deploy staff import --input-format ndjson "$BATS_TEST_TMPDIR/roster.txt"
	assert_failure 65
	assert_equal "$(sql 'SELECT count(*) FROM staff')" 0
	run ccc-deploy staff import --input-format csv "$BATS_TEST_TMPDIR/roster.txt"
	assert_success
	assert_equal "$(jq -c '[.id, .name]' <<<"$output")" '["s-60","Lina Haddad"]'
	run ccc-deploy staff import --format csv "$BATS_TEST_TMPDIR/roster.txt"
	assert_failure 64
	assert_output --partial "--format: 'csv' is not ndjson or table"
	run ccc-deploy staff import --input-format xml
	assert_failure 64
	assert_output --partial "--input-format: 'xml' is not one of ndjson, csv"
}

@test "ccc-failover site list and status: tables on a terminal, NDJSON on a pipe" {
	run on_tty ccc-failover site list
	assert_success
	assert_line --index 0 --regexp '^NAME +KIND +REGION +TIME ZONE +VIA +ACK +KEY$'
	assert_line --index 1 --regexp '^lyon +site +- +- +- +false +ed25519:'
	run ccc-failover site list
	assert_equal "$(jq -c '[.name, .ack]' <<<"$output")" '["lyon",false]'
	run on_tty ccc-failover status
	assert_success
	assert_line --index 0 --regexp '^SITE +ROLE +EPOCH +SEQ +LAG +HEARTBEAT +HEARTBEAT AGE S +REGION$'
	assert_line --index 1 --regexp '^lyon +primary +1 +1 +'
	run on_tty ccc-failover status --format ndjson
	assert_equal "$(jq -r '.site + " " + .role' <<<"$output")" "lyon primary"
	run ccc-failover status --format table
	assert_line --index 0 --regexp '^SITE +ROLE '
}
