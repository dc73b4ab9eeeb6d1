#!/usr/bin/env bats
# ccc-duty: shifts per site in local time, the proof of cover across the
# clock changes, who is on duty, the handover brief, and paging by escalation
# policy that never sends a page twice, even when the pager is killed.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2027-03-10T10:00:00Z
	PLAN=$ROOT/examples/duty-plan.ndjson
}

# queue_of_three: a P1 (due 10:15), a P2 (due 11:00) and a P4 (due in three
# days), triaged at 10:00.
queue_of_three() {
	ccc-intake -q --source ncb:fr <<-'EOF' | ccc-triage -q >/dev/null
	{"subject":"URGENT: armed fugitive boarding a flight in 30 minutes","body":"The wanted man is at gate 12 now."}
	{"subject":"Cocaine shipment expected at the port tonight","body":"Please check the container manifest before it is unloaded."}
	{"subject":"For information: new duty telephone numbers","body":"Please note the new numbers from Monday."}
	EOF
}

@test "the shipped plan covers every minute of 2027, across both clock changes of Europe/Paris" {
	ccc-duty -q plan load "$PLAN"
	run ccc-duty coverage --from 2027-01-01 --to 2027-12-31 --format ndjson
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_equal "$(jq -c '[.type, .from, .to, .minutes, .covered, .gaps]' <<<"$output")" \
		'["coverage","2027-01-01T00:00:00Z","2028-01-01T00:00:00Z",525600,525600,0]'
	# Lyon keeps 07:00 local: 06:00 UTC in winter, 05:00 UTC from 28 March, 06:00 again from 31 October
	assert_equal "$(ccc-duty at 2027-03-27T05:30:00Z --format ndjson | jq -r 'select(.state == "on") | .site' | sort | tr '\n' ' ')" "singapore "
	assert_equal "$(ccc-duty at 2027-03-29T05:30:00Z --format ndjson | jq -r 'select(.site == "lyon") | [.state, .from, .local_from] | @tsv')" \
		"$(printf 'on\t2027-03-29T05:00:00Z\t2027-03-29 07:00+02:00')"
	assert_equal "$(ccc-duty at 2027-11-01T05:30:00Z --format ndjson | jq -r 'select(.site == "lyon") | [.state, .from, .local_from] | @tsv')" \
		"$(printf 'next\t2027-11-01T06:00:00Z\t2027-11-01 07:00+01:00')"
	run ccc-duty coverage --from 2027-01-01 --to 2027-12-31 --format table
	assert_output '2027-01-01T00:00:00Z to 2028-01-01T00:00:00Z: 525600 of 525600 minutes covered, 0 gaps'
}

@test "a removed shift makes a gap: coverage lists it in UTC and each site's local time, and exits 1" {
	ccc-duty -q plan load "$PLAN"
	ccc-duty shift remove buenos-aires-day
	run ccc-duty coverage --from 2027-01-15 --to 2027-01-15 --format ndjson
	assert_failure 1
	assert_equal "${#lines[@]}" 2
	assert_equal "$(jq -c 'select(.type == "gap") | [.kind, .from, .to, .minutes, .need, .have]' <<<"${lines[0]}")" \
		'["gap","2027-01-15T18:00:00Z","2027-01-15T23:00:00Z",300,1,0]'
	assert_equal "$(jq -r '.local[] | [.site, .from, .to] | @tsv' <<<"${lines[0]}")" "$(printf '%s\n' \
		$'lyon\t2027-01-15 19:00+01:00\t2027-01-16 00:00+01:00' \
		$'singapore\t2027-01-16 02:00+08:00\t2027-01-16 07:00+08:00' \
		$'buenos-aires\t2027-01-15 15:00-03:00\t2027-01-15 20:00-03:00')"
	# in summer Lyon hands over an hour earlier in UTC: the gap is an hour longer
	run ccc-duty coverage --from 2027-07-15 --to 2027-07-15 --format ndjson
	assert_failure 1
	assert_equal "$(jq -c '[.from, .to, .minutes]' <<<"${lines[0]}")" '["2027-07-15T17:00:00Z","2027-07-15T23:00:00Z",360]'
	run ccc-duty coverage --from 2027-07-15 --to 2027-07-15 --format table
	assert_failure 1
	assert_line --index 1 --regexp '^gap +2027-07-15T17:00:00Z +2027-07-15T23:00:00Z +360 +1 +0 +- +lyon 2027-07-15 19:00\+02:00 to 2027-07-16 01:00\+02:00; '
	assert_line '2027-07-15T00:00:00Z to 2027-07-16T00:00:00Z: 1080 of 1440 minutes covered, 1 gap'
}

@test "coverage by the hour: --min-at asks more people in some UTC hours; a shift short of its --min is reported" {
	ccc-duty -q plan load "$PLAN"
	run ccc-duty coverage --from 2027-02-01 --to 2027-02-01 --min-at '08-10:2' --format ndjson
	assert_failure 1
	assert_equal "$(jq -c 'select(.type == "gap") | [.kind, .from, .to, .need, .have]' <<<"$output")" \
		'["gap","2027-02-01T08:00:00Z","2027-02-01T10:00:00Z",2,1]'
	ccc-duty shift remove singapore-day
	ccc-duty shift add singapore-day --site singapore --from 07:00 --to 17:00 --min 2
	ccc-duty rotation add sg --shift singapore-day --people w.tan,k.lim --every 1w --start 2027-01-04
	run ccc-duty coverage --from 2027-02-01 --to 2027-02-01 --format ndjson
	assert_failure 1
	assert_equal "$(jq -c 'select(.type == "gap") | [.kind, .shift, .from, .to, .need, .have]' <<<"$output" | head -1)" \
		'["short","singapore-day","2027-02-01T00:00:00Z","2027-02-01T09:00:00Z",2,1]'
}

@test "shift add: local hours in the site's zone, reruns are no-ops, bad values are refused" {
	run ccc-duty shift add lyon-night --site lyon --from 19:00 --to 07:00 --days mon-fri
	assert_success
	run ccc-duty shift add lyon-night --site lyon --from 19:00 --to 07:00 --days mon-fri
	assert_success
	assert_output --partial "shift 'lyon-night' is there already"
	run ccc-duty shift add lyon-night --site lyon --from 20:00 --to 07:00
	assert_failure 65
	assert_output --partial "exists with other hours"
	run ccc-duty shift add x --site lyon --from 7:00 --to 19:00
	assert_failure 64
	run ccc-duty shift add x --site lyon --from 07:00 --to 19:00 --days weekdays
	assert_failure 64
	assert_output --partial "--days: 'weekdays' is not days"
	run ccc-duty shift add x --site nairobi --from 07:00 --to 19:00
	assert_failure 65
	assert_output --partial "site 'nairobi' has no time zone: give --zone"
	run ccc-duty shift add x --site nairobi --zone Africa/Nairobi --from 07:00 --to 19:00
	assert_success
	run ccc-duty shift list --format ndjson
	assert_equal "$(jq -r '[.name, .time_zone, .from, .to, .days] | @tsv' <<<"$output" | sort)" "$(printf '%s\n' \
		$'lyon-night\tEurope/Paris\t19:00\t07:00\tmon-fri' $'x\tAfrica/Nairobi\t07:00\t19:00\tmon-sun')"
	# a weekend night keeps 19:00-07:00 local: 11 hours when the clocks go forward, 13 when back
	ccc-duty shift add weekend-night --site lyon --from 19:00 --to 07:00 --days fri-sun
	ccc-duty rotation add n --shift weekend-night --people a,b --every 1w --start 2027-01-04
	ccc-duty shift remove x
	ccc-duty shift remove lyon-night
	run ccc-duty at 2027-03-27T20:00:00Z --format ndjson
	assert_equal "$(jq -r 'select(.state == "on") | [.from, .to, .local_to] | @tsv' <<<"$output")" "$(printf '2027-03-27T18:00:00Z\t2027-03-28T05:00:00Z\t2027-03-28 07:00+02:00')"
	run ccc-duty at 2027-10-30T20:00:00Z --format ndjson
	assert_equal "$(jq -r 'select(.state == "on") | [.from, .to, .local_to] | @tsv' <<<"$output")" "$(printf '2027-10-30T17:00:00Z\t2027-10-31T06:00:00Z\t2027-10-31 07:00+01:00')"
	run ccc-duty shift list --format table
	assert_line --index 1 --regexp '^weekend-night +lyon +Europe/Paris +19:00 +07:00 +fri-sun +1$'
}

@test "a plan file with a bad line is refused whole, naming file, line and field" {
	head -3 "$PLAN" >"$BATS_TEST_TMPDIR/plan.ndjson"
	echo '{"type":"rotation","name":"r","shift":"lyon-day","people":["a"],"every":"1y","start":"2027-01-04"}' >>"$BATS_TEST_TMPDIR/plan.ndjson"
	run ccc-duty plan load "$BATS_TEST_TMPDIR/plan.ndjson"
	assert_failure 65
	assert_output --partial "plan.ndjson:4: every: not a period such as 1w or 3d"
	assert_equal "$(sql 'SELECT count(*) FROM duty_shifts')" 0
}

@test "hostile values in a plan file are refused with file, line and field (found by fuzzing)" {
	printf '%s\n' '{"type":"shift","name":"a","site":"lyon","from":"07:00","to":"19:00","min":1e300}' >"$BATS_TEST_TMPDIR/min.ndjson"
	run ccc-duty plan load "$BATS_TEST_TMPDIR/min.ndjson"
	assert_failure 65
	assert_output --partial "min.ndjson:1: min: not a whole number from 0 to 1000"
	printf '%s\n' '{"type":"shift","name":"a","site":"lyon","from":"07:00","to":"19:00"}' \
		'{"type":"rotation","name":"r","shift":"a","people":["x"],"every":"1w","start":"2027-+1-04"}' >"$BATS_TEST_TMPDIR/start.ndjson"
	run ccc-duty plan load "$BATS_TEST_TMPDIR/start.ndjson"
	assert_failure 65
	assert_output --partial "start.ndjson:2: start: not a date YYYY-MM-DD"
	# a folder of the tz database is no zone (TZ would read it as UTC)
	printf '%s\n' '{"type":"shift","name":"a","site":"lyon","from":"07:00","to":"19:00","time_zone":"Europe"}' >"$BATS_TEST_TMPDIR/zone.ndjson"
	run ccc-duty plan load "$BATS_TEST_TMPDIR/zone.ndjson"
	assert_failure 65
	assert_output --partial "'Europe' is not in the time zone database"
	run ccc-duty coverage --from 2027-01-04 --to 2027-01-05 --min-at 22-06:4294967297
	assert_failure 64
	assert_equal "$(sql 'SELECT count(*) FROM duty_shifts')" 0
}

@test "rotations turn weekly; overrides and swaps change who now and at show; all journaled and replicated" {
	ccc-duty -q plan load "$PLAN"
	# week of 2027-03-08 is week 61 since 2026-01-05: 61 % 3 = 1 -> c.dubois; the next week r.roux
	on_lyon() { ccc-duty at "$1" --format ndjson | jq -r 'select(.site == "lyon" and .state == "on") | .people | join(",")'; }
	assert_equal "$(on_lyon 2027-03-10T10:00:00Z)" c.dubois
	assert_equal "$(on_lyon 2027-03-17T10:00:00Z)" r.roux
	run ccc-duty now --format ndjson
	assert_equal "$(jq -r '[.state, .site, .shift, (.people | join(",")), .supervisor] | @tsv' <<<"$output")" "$(printf '%s\n' \
		$'on\tlyon\tlyon-day\tc.dubois\tj.garcia' $'next\tbuenos-aires\tbuenos-aires-day\tm.gomez\tp.romero')"
	run ccc-duty override --shift lyon-day --person h.petit --replaces c.dubois --from 2027-03-10T09:00:00Z --to 2027-03-10T12:00:00Z --format ndjson
	assert_success
	assert_equal "$(jq -r '[.id, .kind, .person, .replaces] | @tsv' <<<"$output")" "$(printf 'override-1\toverride\th.petit\tc.dubois')"
	assert_equal "$(on_lyon 2027-03-10T10:00:00Z)" h.petit
	# a rerun adds nothing
	run ccc-duty override --shift lyon-day --person h.petit --replaces c.dubois --from 2027-03-10T09:00:00Z --to 2027-03-10T12:00:00Z --format ndjson
	assert_success
	assert_line "ccc-duty: override-1 is there already: nothing to do"
	assert_equal "$(on_lyon 2027-03-10T13:00:00Z)" c.dubois
	# a second person beside the one on duty
	ccc-duty -q override --shift lyon-day --person m.leroy --from 2027-03-10T13:00:00Z --to 2027-03-10T14:00:00Z
	assert_equal "$(on_lyon 2027-03-10T13:30:00Z)" c.dubois,m.leroy
	# c.dubois and r.roux swap their weeks
	ccc-duty -q swap --shift lyon-day --person c.dubois --with r.roux --from 2027-03-08 --to 2027-03-22
	assert_equal "$(on_lyon 2027-03-11T10:00:00Z)" r.roux
	assert_equal "$(on_lyon 2027-03-17T10:00:00Z)" c.dubois
	assert_equal "$(on_lyon 2027-03-24T10:00:00Z)" a.martin
	run ccc-duty overrides --format ndjson
	assert_equal "${#lines[@]}" 3
	assert_equal "$(jq -r '[.kind, .person, .with] | @tsv' <<<"${lines[2]}")" "$(printf 'swap\tc.dubois\tr.roux')"
	# each write is a journal entry; a standby gets the same plan
	assert_equal "$(ccc-store log | jq -r .command | grep -c 'ccc-duty')" 4
	run ccc-store verify
	assert_success
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	ccc-failover export --since 0 | ccc-failover --store "$BUE" import >/dev/null
	assert_equal "$(ccc-duty --store "$BUE" at 2027-03-11T10:00:00Z --format ndjson | jq -r 'select(.site == "lyon" and .state == "on") | .people[0]')" r.roux
	# the same crontab runs at every site: a standby pages nothing, quietly
	run ccc-duty --store "$BUE" -q page --notify 'cat >&2'
	assert_success
	assert_output ''
	run ccc-duty --store "$BUE" -v page --notify 'cat >&2'
	assert_output "ccc-duty: page: site 'buenos-aires' is not the primary; nothing to page"
}

@test "the handover brief lists exactly the open and the overdue items, is journaled, and is taken by the incoming officer" {
	ccc-duty -q plan load "$PLAN"
	queue_of_three
	ccc-intake -q --source ncb:fr <<<'{"subject":"Stolen car","body":"Please check VIN WVWZZZ1JZXW000001."}' | ccc-triage -q >/dev/null
	ccc-triage -q take msg-lyon-2 --as a.martin >/dev/null
	ccc-triage -q close msg-lyon-4 --reason done >/dev/null
	export CCC_NOW=2027-03-10T11:30:00Z
	run ccc-duty handover --to buenos-aires --as c.dubois
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_equal "$(jq -c '[.id, .from_site, .to_site, .since, .by]' <<<"$output")" '["handover-1","lyon","buenos-aires","2027-03-10T06:00:00Z","c.dubois"]'
	assert_equal "$(jq -c '[.overdue[] | [.id, .priority, .due_at, .status]]' <<<"$output")" \
		'[["msg-lyon-1","P1","2027-03-10T10:15:00Z","open"],["msg-lyon-2","P2","2027-03-10T11:00:00Z","taken"]]'
	assert_equal "$(jq -c '[.open[] | .id]' <<<"$output")" '["msg-lyon-3"]'
	assert_equal "$(jq -c '[.sites[] | [.site, .role]]' <<<"$output")" '[["lyon","primary"]]'
	assert_equal "$(jq -c '[.cases, .teams, .notices]' <<<"$output")" '[[],[],[]]'
	run ccc-duty handover --format table --as c.dubois
	assert_line --index 0 'handover-2: lyon to buenos-aires at 2027-03-10T11:30:00Z, by c.dubois (shift since 2027-03-10T06:00:00Z)'
	assert_line 'Overdue items (2)'
	assert_line --regexp '^  msg-lyon-1 +P1  due 2027-03-10T10:15:00Z  open$'
	assert_line --regexp '^  msg-lyon-2 +P2  due 2027-03-10T11:00:00Z  taken by a.martin$'
	assert_line 'Open items, by due time (1)'
	run ccc-duty handover ack handover-1 --as c.dubois
	assert_failure 77
	run ccc-duty handover ack handover-1 --as l.fernandez --format ndjson
	assert_success
	assert_equal "$(jq -r '[.acked_by, .acked_at] | @tsv' <<<"$output")" "$(printf 'l.fernandez\t2027-03-10T11:30:00Z')"
	run ccc-duty handover ack handover-1 --as l.fernandez
	assert_success
	assert_output --partial "was taken already"
	assert_equal "$(sql "SELECT group_concat(action, ',') FROM duty_log WHERE subject LIKE 'handover-%'")" handover,handover,'handover ack'
	run ccc-duty handovers --format ndjson
	assert_equal "$(jq -r '[.id, .acked_by] | @tsv' <<<"$output")" "$(printf 'handover-1\tl.fernandez\nhandover-2\t')"
}

@test "paging escalates step by step on a fixed clock, and stops when the item is acknowledged" {
	ccc-duty -q plan load "$PLAN"
	queue_of_three
	pages=$BATS_TEST_TMPDIR/pages
	page() { CCC_NOW=$1 ccc-duty page --notify "cat >> '$pages'" --format ndjson; }
	run page 2027-03-10T10:00:30Z
	assert_success
	# P1 and P2 page the officer on duty at once; P4 has no policy
	assert_equal "$(jq -r '[.id, .target, (.people | join(",")), .status] | @tsv' <<<"$output")" "$(printf '%s\n' \
		$'page-msg-lyon-1-1\tduty\tc.dubois\tsent' $'page-msg-lyon-2-1\tduty\tc.dubois\tsent')"
	run page 2027-03-10T10:04:59Z
	assert_output ''
	run page 2027-03-10T10:05:00Z
	assert_equal "$(jq -r '[.id, .target, (.people | join(","))] | @tsv' <<<"$output")" "$(printf 'page-msg-lyon-1-2\tsupervisor\tj.garcia')"
	run page 2027-03-10T10:05:30Z
	assert_output ''
	CCC_NOW=2027-03-10T10:10:00Z run ccc-duty ack msg-lyon-1 --as c.dubois --format ndjson
	assert_success
	assert_equal "$(jq -r '[.id, .by] | @tsv' <<<"$output")" "$(printf 'msg-lyon-1\tc.dubois')"
	run page 2027-03-10T10:16:00Z
	assert_output '{"type":"page","v":1,"id":"page-msg-lyon-2-2","key":"lyon:page-msg-lyon-2-2","item":"msg-lyon-2","priority":"P2","category":"drugs","due_at":"2027-03-10T11:00:00Z","subject":"Cocaine shipment expected at the port tonight","policy":"p2","step":2,"after":900,"target":"supervisor","people":["j.garcia"],"sites":["lyon"],"at":"2027-03-10T10:16:00Z","status":"sent"}'
	# what the command received: each page once, as NDJSON
	assert_equal "$(jq -r .id "$pages" | tr '\n' ' ')" 'page-msg-lyon-1-1 page-msg-lyon-2-1 page-msg-lyon-1-2 page-msg-lyon-2-2 '
	# a taken item is not paged any more
	ccc-triage -q take msg-lyon-2 --as a.martin >/dev/null
	run page 2027-03-10T12:00:00Z
	assert_output ''
	assert_equal "$(sql "SELECT count(*) FROM duty_log WHERE action IN ('page sending', 'page sent', 'ack')")" 9
}

@test "a failed notify command leaves the page to the next run, which sends it once" {
	ccc-duty -q plan load "$PLAN"
	queue_of_three
	run ccc-duty page --notify 'cat >/dev/null; echo gateway down >&2; exit 3' --format ndjson
	assert_failure 69
	assert_output --partial "page 'page-msg-lyon-1-1' was not sent: 'cat >/dev/null; echo gateway down >&2; exit 3' failed (exit 3)"
	run ccc-duty pages --status failed --format ndjson
	assert_equal "${#lines[@]}" 2
	run ccc-duty -q page --notify "cat >> '$BATS_TEST_TMPDIR/pages'" --format ndjson
	assert_success
	assert_output ''
	assert_equal "$(jq -r '[.id, .attempts] | @tsv' <(ccc-duty pages --status sent --format ndjson))" "$(printf 'page-msg-lyon-1-1\t2\npage-msg-lyon-2-1\t2')"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/pages")" 2
}

# many_items N: N messages, each in the queue (policies for every priority,
# a step each minute for a quarter of an hour).
many_items() {
	for p in p1 p2 p3 p4; do
		ccc-duty -q policy remove "$p" 2>/dev/null || true
		ccc-duty -q policy add "$p" $(for m in $(seq 0 15); do printf -- '--step %dm:duty ' "$m"; done)
	done
	for i in $(seq 1 "$1"); do
		printf '{"subject":"Request %d","body":"Please check passport X%07d."}\n' "$i" "$i"
	done | ccc-intake -q --source ncb:fr | ccc-triage -q >/dev/null
}

@test "a page is never sent twice when the pager is killed (kill -9, 50 times at random moments)" {
	ccc-duty -q plan load "$PLAN"
	many_items 12
	pages=$BATS_TEST_TMPDIR/pages
	: >"$pages"
	for i in $(seq 1 50); do
		now=$(date -u -d "2027-03-10T10:00:00Z + $((i * 20)) seconds" +%Y-%m-%dT%H:%M:%SZ)
		CCC_NOW=$now ccc-duty -q page --notify "cat >> '$pages'" >/dev/null 2>&1 &
		pid=$!
		sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	sleep 0.2 # a notify command left running by a killed pager ends
	CCC_NOW=2027-03-10T11:00:00Z ccc-duty -q page --notify "cat >> '$pages'" >/dev/null 2>&1 || true
	# no page went twice
	run bash -c "jq -r .id '$pages' | sort | uniq -d"
	assert_output ''
	# every page is recorded: sent ones went exactly once, unknown ones at most once
	total=$(sql "SELECT count(*) FROM duty_pages")
	assert_equal "$total" $((12 * 16))
	assert_equal "$(sql "SELECT count(*) FROM duty_pages WHERE status NOT IN ('sent', 'unknown')")" 0
	sent=$(sql "SELECT id FROM duty_pages WHERE status = 'sent'" | sort)
	assert_equal "$(comm -23 <(echo "$sent") <(jq -r .id "$pages" | sort))" ''
	echo "sent $(echo "$sent" | wc -l), unknown $(sql "SELECT count(*) FROM duty_pages WHERE status = 'unknown'"), lines $(wc -l <"$pages")" >&3
	run ccc-duty pages --status unknown --format ndjson
	assert_equal "${#lines[@]}" "$(sql "SELECT count(*) FROM duty_pages WHERE status = 'unknown'")"
	run ccc-store verify
	assert_success
}

@test "two cron runs at once send each page once" {
	ccc-duty -q plan load "$PLAN"
	many_items 8
	pages=$BATS_TEST_TMPDIR/pages
	for round in 1 2 3; do
		now=2027-03-10T10:0${round}:00Z
		CCC_NOW=$now ccc-duty -q page --notify "cat >> '$pages'" >/dev/null &
		a=$!
		CCC_NOW=$now ccc-duty -q page --notify "cat >> '$pages'" >/dev/null &
		b=$!
		wait "$a"
		wait "$b"
	done
	assert_equal "$(wc -l <"$pages")" $((8 * 4))
	run bash -c "jq -r .id '$pages' | sort | uniq -d"
	assert_output ''
}

@test "policy add checks its steps; ack of an unknown item is 66" {
	run ccc-duty policy add p1 --step 5m:duty --step 0m:supervisor
	assert_failure 64
	assert_output --partial "give the steps in order"
	run ccc-duty policy add p1 --step 5x:duty
	assert_failure 64
	run ccc-duty policy add p1 --step 0m:duty --step 5m:supervisor --step 15m:site-lead
	assert_success
	run ccc-duty policy list --format table
	assert_line --index 1 --regexp '^p1 +0m:duty 5m:supervisor 15m:site-lead$'
	run ccc-duty ack msg-lyon-99
	assert_failure 66
	run ccc-duty page --zone UTC
	assert_failure 64
	assert_output --partial "--zone does nothing with page"
}

@test "the handover brief: open cases by their next deadline, notices published during the shift; silences only when the store has them" {
	ccc-duty -q plan load "$PLAN"
	# a case the case work opened (migration 11's tables), with tasks; a closed one
	sql "INSERT INTO cases VALUES ('case-lyon-1', 1, 'operation', 'open', 'Operation Lionfish', 'FR', '{}', '2027-03-10T08:00:00Z'),
		('case-lyon-2', 2, 'incident', 'closed', 'Closed one', 'FR', '{}', '2027-03-09T08:00:00Z');
		INSERT INTO case_tasks VALUES ('task-1', 'case-lyon-1', 1, 'Call NCB Madrid', 'done', NULL, '2027-03-10T09:00:00Z', '{}', '2027-03-10T08:00:00Z'),
		('task-2', 'case-lyon-1', 2, 'Send the sitrep', 'open', NULL, '2027-03-10T16:00:00Z', '{}', '2027-03-10T08:00:00Z'),
		('task-3', 'case-lyon-1', 3, 'Review', 'open', NULL, '2027-03-11T16:00:00Z', '{}', '2027-03-10T08:00:00Z')"
	# a red notice published before the shift, an orange one during it
	notice() {
		CCC_NOW=$1 ccc-notice -q draft --kind orange --country DE --set threat="$2" --set description='Parcel bombs' --region europe --as a.martin --format ndjson | jq -r .id
	}
	n1=$(notice 2027-03-10T05:00:00Z 'parcel bombs')
	CCC_NOW=2027-03-10T05:10:00Z ccc-notice -q review "$n1" --as j.garcia >/dev/null
	CCC_NOW=2027-03-10T05:20:00Z ccc-notice -q publish "$n1" --as j.garcia >/dev/null
	n2=$(notice 2027-03-10T07:00:00Z 'letter bombs')
	CCC_NOW=2027-03-10T07:10:00Z ccc-notice -q review "$n2" --as j.garcia >/dev/null
	CCC_NOW=2027-03-10T07:20:00Z ccc-notice -q publish "$n2" --as j.garcia >/dev/null
	export CCC_NOW=2027-03-10T11:30:00Z
	run ccc-duty handover --format ndjson
	assert_success
	assert_equal "$(jq -c '[.cases[] | [.id, .next_deadline, .next_task]]' <<<"$output")" '[["case-lyon-1","2027-03-10T16:00:00Z","Send the sitrep"]]'
	assert_equal "$(jq -c '[.notices[] | .id]' <<<"$output")" "[\"$n2\"]"
	# silences are in the brief once the store has their table (migration 12); a
	# table made by hand would be refused by the schema check, so this says only
	# that the brief follows the store
	has=$(sql "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'silences'")
	assert_equal "$(jq -c 'has("silences")' <<<"$output")" "$([ "$has" = 1 ] && echo true || echo false)"
	run ccc-duty handover --format table
	assert_line --regexp '^  case-lyon-1 +Operation Lionfish  next deadline 2027-03-10T16:00:00Z: Send the sitrep$'
	assert_line 'Notices published during the shift (1)'
}
