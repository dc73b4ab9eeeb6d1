#!/usr/bin/env bats
# ccc-failover: shipping the signed journal from a primary to a standby.

load helper

setup() {
	common_setup
	export CCC_NOW=2026-11-28T10:00:00Z
	LYON=$BATS_TEST_TMPDIR/lyon.db
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$LYON" init -q --site lyon
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
	printf '%s\n' '{"body":"first"}' '{"body":"second"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
}

ship() {
	ccc-failover --store "$LYON" export --since "$(ccc-failover --store "$BUE" position)" |
		ccc-failover --store "$BUE" import
}

@test "a standby refuses local writes until it has its primary's journal, and after" {
	run ccc-intake --store "$BUE" --source t <<<'{"body":"x"}'
	assert_failure 75
	assert_output --partial "is a standby that has not imported its primary's journal yet"
	ship >/dev/null
	run ccc-intake --store "$BUE" --source t <<<'{"body":"x"}'
	assert_failure 75
	assert_output --partial "fenced: site 'buenos-aires' is not the primary of epoch 1 ('lyon' is)"
}

@test "export, import and position ship the journal; the standby verifies and has the same rows" {
	run ccc-failover --store "$BUE" position
	assert_output 0
	run ship
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --regexp '^\{"type":"ack","v":1,"id":"ack:lyon:2","site":"buenos-aires","origin":"lyon","seq":2,"hash":"[0-9a-f]{64}","signature":"[A-Za-z0-9+/]{86}=="\}$'
	run ccc-failover --store "$BUE" position
	assert_output 2
	run ccc-store --store "$BUE" verify
	assert_success
	assert_equal "$(sqlite3 "$BUE" 'SELECT group_concat(record, "|") FROM messages')" "$(sqlite3 "$LYON" 'SELECT group_concat(record, "|") FROM messages')"
	echo '{"body":"third"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	run ship
	assert_success
	assert_equal "${#lines[@]}" 1
	run ccc-failover --store "$BUE" position
	assert_output 3
}

@test "importing the same export twice changes nothing" {
	ccc-failover --store "$LYON" export >"$BATS_TEST_TMPDIR/all.ndjson"
	ccc-failover --store "$BUE" import "$BATS_TEST_TMPDIR/all.ndjson" >/dev/null
	sum=$(sqlite3 "$BUE" 'SELECT count(*), max(seq) FROM journal')
	run ccc-failover --store "$BUE" import "$BATS_TEST_TMPDIR/all.ndjson"
	assert_success
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*), max(seq) FROM journal')" "$sum"
	run ccc-store --store "$BUE" verify
	assert_success
}

@test "a batch applied at the standby fills its pages as the primary's: the rows in key order, not the session's" {
	# a session lists a batch's rows in the order of its hash table; applied
	# so, each insert splits a page where it falls, and the standby's
	# messages took a third more pages than the primary's
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "{\"body\":\"message %d %s\"}\n", i, sprintf("%0200d", i) }' |
		ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	ship >/dev/null
	pages="SELECT count(*) FROM dbstat WHERE name = 'messages'"
	lyon=$(sqlite3 "$LYON" "$pages") bue=$(sqlite3 "$BUE" "$pages")
	[ "$lyon" -gt 40 ]
	assert_equal "$bue" "$lyon"
	assert_equal "$(sqlite3 "$BUE" 'SELECT * FROM messages ORDER BY n' | md5sum)" \
		"$(sqlite3 "$LYON" 'SELECT * FROM messages ORDER BY n' | md5sum)"
	run ccc-store --store "$BUE" verify
	assert_success
}

# heads N: N head records of 64 KiB each (a padding field), on stdout
heads() {
	awk -v n="$1" 'BEGIN {
		p = "x"
		while (length(p) < 65536) p = p p
		for (i = 1; i <= n; i++)
			printf "{\"type\":\"head\",\"v\":1,\"id\":\"head:lyon:2\",\"site\":\"lyon\",\"epoch\":1,\"seq\":2,\"ts\":\"2026-11-28T10:00:00Z\",\"pad\":\"%s\"}\n", p
	}'
}

@test "import's memory does not grow with the stream: 32 MiB of lines peak as 1 MiB does" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	# AddressSanitizer keeps what is freed for a while: the peak grows there
	[ "${BUILD##*/}" != san ] || skip "peak memory under AddressSanitizer"
	ccc-failover --store "$LYON" export >"$BATS_TEST_TMPDIR/small"
	cp "$BATS_TEST_TMPDIR/small" "$BATS_TEST_TMPDIR/large"
	heads 16 >>"$BATS_TEST_TMPDIR/small"
	heads 512 >>"$BATS_TEST_TMPDIR/large"
	peak() {
		rm -f "$BUE"*
		ccc-store --store "$BUE" init -q --standby --site buenos-aires
		ccc-store --store "$BUE" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
		/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/kb" ccc-failover --store "$BUE" import "$1" >/dev/null
		cat "$BATS_TEST_TMPDIR/kb"
	}
	small=$(peak "$BATS_TEST_TMPDIR/small")
	large=$(peak "$BATS_TEST_TMPDIR/large")
	assert_equal "$(ccc-failover --store "$BUE" position)" 2
	# the reader's buffer is sized for a 192 MiB line; only what a line needs is touched
	[ "$large" -lt $((small + 4096)) ] || fail "peak $large KB for 32 MiB of input, $small KB for 1 MiB"
}

@test "an entry's changeset is read as written or otherwise; a bad one is named with its line" {
	ccc-failover --store "$LYON" export >"$BATS_TEST_TMPDIR/all.ndjson"
	# not base64: the line and the field
	jq -c 'if .type == "entry" and .seq == 2 then .changeset = "!" + .changeset[1:] else . end' \
		"$BATS_TEST_TMPDIR/all.ndjson" >"$BATS_TEST_TMPDIR/bad.ndjson"
	run ccc-failover --store "$BUE" import "$BATS_TEST_TMPDIR/bad.ndjson"
	assert_failure 65
	assert_output --partial "bad.ndjson:3: entry 2: field 'changeset': not base64"
	# not a string
	jq -c 'if .type == "entry" and .seq == 2 then .changeset = 7 else . end' \
		"$BATS_TEST_TMPDIR/all.ndjson" >"$BATS_TEST_TMPDIR/num.ndjson"
	run ccc-failover --store "$BUE" import "$BATS_TEST_TMPDIR/num.ndjson"
	assert_failure 65
	assert_output --partial "num.ndjson:3: entry 2: a field is missing or malformed"
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM journal')" 0
	# the same export written otherwise (spaces, a changeset with escapes) is the same
	jq -c 'if .type == "entry" then .changeset |= sub("^(?<a>....)"; "\(.a)\n") else . end' \
		"$BATS_TEST_TMPDIR/all.ndjson" | sed 's/\\n/\\u000a/; s/^{/{ /' >"$BATS_TEST_TMPDIR/other.ndjson"
	grep -q '"changeset":"....\\u000a' "$BATS_TEST_TMPDIR/other.ndjson"
	run ccc-failover --store "$BUE" import "$BATS_TEST_TMPDIR/other.ndjson"
	assert_success
	assert_equal "$(ccc-failover --store "$BUE" position)" "$(ccc-failover --store "$LYON" position)"
	run ccc-store --store "$BUE" verify
	assert_success
}

@test "a tampered entry is refused with its seq, and nothing of it is applied" {
	ccc-failover --store "$LYON" export |
		jq -c 'if .type == "entry" and .seq == 2 then .actor = "mallory" else . end' >"$BATS_TEST_TMPDIR/bad.ndjson"
	run ccc-failover --store "$BUE" import "$BATS_TEST_TMPDIR/bad.ndjson"
	assert_failure 65
	assert_output --partial "bad.ndjson:3: entry 2: its contents do not match its hash; nothing of the 2 entries of this batch was applied"
	# a batch is applied in one transaction: all of it or nothing
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM journal')" 0
	# one entry a batch: the good entry before the bad one is applied
	run ccc-failover --store "$BUE" import --batch 1 "$BATS_TEST_TMPDIR/bad.ndjson"
	assert_failure 65
	assert_output --partial "bad.ndjson:3: entry 2: its contents do not match its hash; nothing of the 1 entries"
	assert_equal "$(sqlite3 "$BUE" 'SELECT max(seq) FROM journal')" 1
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM messages')" 0
}

@test "entries signed by a key the standby does not trust are refused" {
	OTHER=$BATS_TEST_TMPDIR/other.db
	XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/elsewhere ccc-store --store "$OTHER" init -q --site lyon
	run bash -c "ccc-failover --store '$OTHER' export | ccc-failover --store '$BUE' import"
	assert_failure 65
	assert_output --partial "entry 1: the signature by 'lyon' does not verify"
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM journal')" 0
}

@test "split brain: an entry that differs from the standby's own is reported with its seq" {
	ship >/dev/null
	cp "$LYON" "$BATS_TEST_TMPDIR/fork.db"
	echo '{"body":"written at the fork"}' | ccc-intake -q --store "$BATS_TEST_TMPDIR/fork.db" --source t >/dev/null
	echo '{"body":"written at lyon"}' | ccc-intake -q --store "$LYON" --source t >/dev/null
	ship >/dev/null
	run bash -c "ccc-failover --store '$BATS_TEST_TMPDIR/fork.db' export --since 2 | ccc-failover --store '$BUE' import"
	assert_failure 65
	assert_output --partial "split brain: entry 3 from 'lyon' differs from this store's"
	run ccc-store --store "$BUE" verify
	assert_success
}

@test "a gap in the entries is refused" {
	run bash -c "ccc-failover --store '$LYON' export --since 1 | ccc-failover --store '$BUE' import"
	assert_failure 65
	assert_output --partial "entry 2: this store's last entry is 0 (a gap)"
}

@test "promote makes the standby the primary of a new epoch; the old primary, told of it, is fenced in every program" {
	# Lyon trusts Buenos Aires' key, so its checkpoints verify everywhere
	ccc-store --store "$BUE" keys | ccc-store --store "$LYON" trust add -q
	ship >/dev/null
	run ccc-failover --store "$BUE" promote
	assert_success
	assert_output --partial "site 'buenos-aires' is the primary of epoch 2"
	run ccc-intake --store "$BUE" --source t <<<'{"body":"written at the new primary"}'
	assert_success
	run ccc-store --store "$BUE" verify
	assert_success
	# Lyon imports what Buenos Aires wrote since, epoch entry included
	ccc-failover --store "$BUE" export --since "$(ccc-failover --store "$LYON" position)" |
		ccc-failover --store "$LYON" import >/dev/null
	run ccc-intake --store "$LYON" --source t <<<'{"body":"a late write at lyon"}'
	assert_failure 75
	assert_output --partial "fenced: site 'lyon' is not the primary of epoch 2 ('buenos-aires' is)"
	run ccc-triage --store "$LYON" escalate
	assert_failure 75
	# a check answers from the copy it has, into this site's own audit chain
	run ccc-check --store "$LYON" --doc X1
	assert_success
	assert_equal "$(sqlite3 "$LYON" 'SELECT count(*) FROM audit_local')" 1
	run ccc-store --store "$LYON" trust add singapore ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
	assert_failure 75
	run ccc-deploy --store "$LYON" staff add s.moreau --name 'Sophie Moreau' --home lyon
	assert_failure 75
	assert_output --partial "fenced: site 'lyon'"
	run ccc-notice --store "$LYON" draft --kind yellow --name 'Ana Duarte' --country PT
	assert_failure 75
	assert_output --partial "fenced: site 'lyon'"
	run ccc-failover --store "$LYON" site add singapore ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
	assert_failure 75
	run ccc-store --store "$LYON" verify
	assert_success
}

@test "a standby whose key its primary never trusted cannot be promoted" {
	ship >/dev/null
	run ccc-failover --store "$BUE" promote
	assert_failure 78
	assert_output --partial "site 'buenos-aires' is not trusted in store"
}

@test "ship --via brings the standby up to date, as cron would" {
	# the standby's acknowledgements are signed: its key is trusted here
	ccc-store --store "$BUE" keys | ccc-store --store "$LYON" trust add -q
	run ccc-failover --store "$LYON" ship --via "ccc-failover --store '$BUE'"
	assert_success
	assert_equal "$(ccc-failover --store "$BUE" position)" "$(ccc-failover --store "$LYON" position)"
	run ccc-failover --store "$LYON" ship
	assert_failure 64
	assert_output --partial "name the standby with --to SITE or give --via CMD"
	run ccc-failover --store "$LYON" ship --to singapore
	assert_failure 64
	assert_output --partial "no command is known to reach site 'singapore'"
}

@test "handover ships everything, promotes the standby and fences this site: nothing lost" {
	ccc-store --store "$BUE" keys | ccc-store --store "$LYON" trust add -q
	echo '{"body":"the last message at lyon"}' | ccc-intake -q --store "$LYON" --source t >/dev/null
	run ccc-failover --store "$LYON" handover --via "ccc-failover --store '$BUE'"
	assert_success
	assert_output --partial "handed over with nothing lost; site 'lyon' is now fenced"
	assert_equal "$(sqlite3 "$BUE" "SELECT count(*) FROM messages WHERE record LIKE '%the last message at lyon%'")" 1
	run ccc-intake --store "$LYON" --source t <<<'{"body":"late"}'
	assert_failure 75
	run ccc-intake --store "$BUE" --source t <<<'{"body":"the new watch"}'
	assert_success
	run ccc-store --store "$BUE" verify
	assert_success
	run ccc-store --store "$LYON" verify
	assert_success
}

bue_key() {
	ccc-store --store "$BUE" keys | jq -r .key
}

@test "site add, list and remove keep each site's key, time zone, region and how to reach it" {
	run ccc-failover --store "$LYON" site add buenos-aires "$(bue_key)" --tz America/Argentina/Buenos_Aires --region americas --via "ccc-failover --store '$BUE'"
	assert_success
	assert_output --partial "site 'buenos-aires' added"
	run ccc-failover --store "$LYON" site list
	assert_success
	assert_line --index 0 --regexp '^\{"type":"site","v":1,"id":"buenos-aires","name":"buenos-aires","key":"ed25519:[A-Za-z0-9+/=]{44}","added_at":"[0-9T:Z-]+","time_zone":"America/Argentina/Buenos_Aires","region":"americas","via":"ccc-failover --store .*","ack":false,"kind":"site"\}$'
	assert_line --index 1 --partial '"name":"lyon"'
	run ccc-failover --store "$LYON" site list --format table
	assert_line --index 0 --regexp '^NAME +KIND +REGION +TIME ZONE +VIA +ACK +KEY$'
	assert_line --index 1 --regexp '^buenos-aires +site +americas +America/Argentina/Buenos_Aires +ccc-failover'
	# the sites table is journaled: the standby learns the new site and its region
	ccc-failover -q --store "$LYON" ship --to buenos-aires
	assert_equal "$(sqlite3 "$BUE" "SELECT region FROM sites WHERE name = 'buenos-aires'")" americas
	run ccc-failover --store "$LYON" site remove lyon
	assert_failure 65
	assert_output --partial "'lyon' is this store's own site"
	run ccc-failover --store "$LYON" site add bad_name "$(bue_key)"
	assert_failure 65
	assert_output --partial "use lowercase letters, digits and '-'"
	run ccc-failover --store "$LYON" site add singapore ed25519:notakey
	assert_failure 65
	assert_output --partial "is not an Ed25519 public key"
	run ccc-failover --store "$LYON" site remove buenos-aires
	assert_success
	run ccc-failover --store "$LYON" site remove buenos-aires
	assert_failure 66
	assert_equal "$(ccc-failover --store "$LYON" site list | jq -r .name)" lyon
}

@test "status tells each site's role, epoch, last seq, lag and heartbeat, on the primary and on a standby" {
	ccc-failover -q --store "$LYON" site add buenos-aires "$(bue_key)" --region americas --via "ccc-failover --store '$BUE'"
	ccc-failover -q --store "$LYON" heartbeat
	ccc-failover -q --store "$LYON" ship --to buenos-aires
	pos=$(ccc-failover --store "$LYON" position)
	run ccc-failover --store "$LYON" status
	assert_success
	assert_line --index 0 --regexp '^\{"type":"site-status","v":1,"id":"buenos-aires","site":"buenos-aires","self":false,"role":"standby","epoch":1,"region":"americas","seq":'"$pos"',"lag":0,"heartbeat":"[0-9T:Z-]+","heartbeat_age_s":[0-9]+\}$'
	assert_line --index 1 --regexp '"site":"lyon","self":true,"role":"primary","epoch":1,"seq":'"$pos"',"lag":0,"heartbeat":"'
	printf '%s\n' '{"body":"a"}' '{"body":"b"}' | ccc-intake -q --store "$LYON" --source t >/dev/null
	run ccc-failover --store "$LYON" status
	assert_line --index 0 --partial '"lag":1,'
	# the standby knows the primary's heartbeat from the journal
	run ccc-failover --store "$BUE" status
	assert_success
	assert_line --index 1 --regexp '"site":"lyon","self":false,"role":"primary","epoch":1,"seq":[0-9]+,"lag":null,"heartbeat":"[0-9T:Z-]+"'
	assert_line --index 0 --regexp '"site":"buenos-aires","self":true,"role":"standby",.*"seq":'"$pos"
	run ccc-failover --store "$LYON" status --format table
	assert_line --index 0 --regexp '^SITE +ROLE +EPOCH +SEQ +LAG +HEARTBEAT +HEARTBEAT AGE S +REGION$'
	# cron runs heartbeat at every site: a standby has nothing to sign
	n=$(sqlite3 "$BUE" 'SELECT count(*) FROM journal')
	run ccc-failover --store "$BUE" heartbeat
	assert_success
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM journal')" "$n"
}

@test "--ack: a writer's batch counts as done only once the standby acknowledged it (RPO 0)" {
	ccc-store --store "$BUE" keys | ccc-store --store "$LYON" trust add -q
	ccc-failover -q --store "$LYON" ship --via "ccc-failover --store '$BUE'"
	ccc-failover -q --store "$LYON" site add buenos-aires "$(bue_key)" --via "ccc-failover --store '$BUE'" --ack
	run ccc-intake --store "$LYON" --source t <<<'{"body":"acknowledged at once"}'
	assert_success
	assert_equal "$(ccc-failover --store "$BUE" position)" "$(ccc-failover --store "$LYON" position)"
	assert_equal "$(sqlite3 "$BUE" "SELECT count(*) FROM messages WHERE record LIKE '%acknowledged at once%'")" 1
	# the standby cannot be reached: the writer reports it and fails with 75
	ccc-failover -q --store "$LYON" site add buenos-aires "$(bue_key)" --via "ccc-failover --store '$BATS_TEST_TMPDIR/nowhere.db'" --ack
	run ccc-intake --store "$LYON" --source t <<<'{"body":"not yet shipped"}'
	assert_failure 75
	assert_output --partial "ack: standby 'buenos-aires' has not acknowledged entry"
	assert_equal "$(sqlite3 "$BUE" "SELECT count(*) FROM messages WHERE record LIKE '%not yet shipped%'")" 0
	# reachable again: the rerun adds nothing here, and ships what was waiting
	ccc-failover -q --store "$LYON" site add buenos-aires "$(bue_key)" --via "ccc-failover --store '$BUE'" --ack
	run ccc-intake --store "$LYON" --source t <<<'{"body":"not yet shipped"}'
	assert_success
	assert_equal "$(sqlite3 "$BUE" "SELECT count(*) FROM messages WHERE record LIKE '%not yet shipped%'")" 1
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM messages WHERE record LIKE '%not yet shipped%'")" 1
	ccc-failover -q --store "$LYON" site add buenos-aires "$(bue_key)" --no-ack
	echo '{"body":"no wait"}' | ccc-intake -q --store "$LYON" --source t >/dev/null
	assert_equal "$(sqlite3 "$BUE" "SELECT count(*) FROM messages WHERE record LIKE '%no wait%'")" 0
	run ccc-store --store "$BUE" verify
	assert_success
}

@test "rejoin rewinds a former primary to the fork point and keeps its unshipped entries as orphans" {
	ccc-failover -q --store "$LYON" site add buenos-aires "$(bue_key)"
	ccc-failover -q --store "$LYON" ship --via "ccc-failover --store '$BUE'"
	shipped=$(ccc-failover --store "$LYON" position)
	# Lyon goes dark with one entry never shipped; Buenos Aires takes the watch
	echo '{"body":"written at lyon, never shipped","external_id":"L-9"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	ccc-failover -q --store "$BUE" promote
	echo '{"body":"the new watch at buenos aires"}' | ccc-intake -q --store "$BUE" --source ncb:ar >/dev/null
	# shipped to Lyon, the new epoch is split brain: refused, but Lyon has seen it and stops writing
	run ccc-failover --store "$BUE" ship --via "ccc-failover --store '$LYON'"
	assert_failure 65
	assert_output --partial "split brain: entry $((shipped + 1)) from 'buenos-aires' differs from this store's"
	run ccc-intake --store "$LYON" --source t <<<'{"body":"late, before rejoining"}'
	assert_failure 75
	assert_output --partial "fenced: site 'lyon' has seen epoch 2 (from 'buenos-aires'), newer than its own epoch 1"
	run ccc-failover --store "$LYON" rejoin --via "ccc-failover --store '$BUE'" --orphans "$BATS_TEST_TMPDIR/orphans.ndjson"
	assert_success
	assert_line --regexp '^\{"type":"rejoin","v":1,"id":"lyon","site":"lyon","fork":'"$shipped"',"orphans":1,"orphans_file":".*orphans.ndjson","imported":2,"position":'"$((shipped + 2))"'\}$'
	assert_output --partial "1 entries of this site were never shipped"
	run jq -c '{type, seq, origin, changes: [.changes[] | {table, op, body: (.new.record // "" | fromjson? | .body)}]}' "$BATS_TEST_TMPDIR/orphans.ndjson"
	assert_output '{"type":"orphan","seq":'"$((shipped + 1))"',"origin":"lyon","changes":[{"table":"messages","op":"insert","body":"written at lyon, never shipped"}]}'
	# Lyon now holds exactly what Buenos Aires holds, and follows it
	assert_equal "$(sqlite3 "$LYON" 'SELECT group_concat(record, "|") FROM messages')" "$(sqlite3 "$BUE" 'SELECT group_concat(record, "|") FROM messages')"
	assert_equal "$(ccc-failover --store "$LYON" position)" "$(ccc-failover --store "$BUE" position)"
	run ccc-store --store "$LYON" verify
	assert_success
	run ccc-intake --store "$LYON" --source t <<<'{"body":"late"}'
	assert_failure 75
	assert_output --partial "fenced: site 'lyon' is not the primary of epoch 2 ('buenos-aires' is)"
	# the orphan can be fed again at the new primary: nothing was lost
	jq -c '.changes[] | select(.table == "messages") | .new.record | fromjson | {body, external_id}' "$BATS_TEST_TMPDIR/orphans.ndjson" |
		ccc-intake -q --store "$BUE" --source ncb:fr >/dev/null
	assert_equal "$(sqlite3 "$BUE" "SELECT count(*) FROM messages WHERE record LIKE '%never shipped%'")" 1
	ccc-failover -q --store "$BUE" ship --via "ccc-failover --store '$LYON'"
	assert_equal "$(ccc-failover --store "$LYON" position)" "$(ccc-failover --store "$BUE" position)"
	# rejoining again finds nothing more to rewind
	run ccc-failover --store "$LYON" rejoin --via "ccc-failover --store '$BUE'" --orphans "$BATS_TEST_TMPDIR/orphans.ndjson"
	assert_success
	assert_output --partial '"orphans":0'
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/orphans.ndjson")" 1
}

@test "split brain: changes that conflict with the standby's rows are reported with the seq and the table, and nothing is applied" {
	ship >/dev/null
	echo '{"body":"third"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	# a row that the journal never brought, where Lyon's next message goes
	n=$(sqlite3 "$LYON" 'SELECT max(n) FROM messages')
	sqlite3 "$BUE" "INSERT INTO messages(n, id, dkey, record) VALUES ($n, 'msg-x', 'x', '{}')"
	before=$(ccc-failover --store "$BUE" position)
	run ship
	assert_failure 65
	assert_output --partial "split brain: entry $((before + 1)) conflicts with this store in table 'messages'"
	assert_equal "$(ccc-failover --store "$BUE" position)" "$before"
	assert_equal "$(sqlite3 "$BUE" "SELECT record FROM messages WHERE n = $n")" '{}'
}

@test "ship never writes past a fork: at the same position, the standby's last entry is compared" {
	ship >/dev/null
	cp "$LYON" "$BATS_TEST_TMPDIR/fork.db"
	# at the same position with the same entries: nothing to ship, and no error
	run ccc-failover --store "$LYON" ship --via "ccc-failover --store '$BATS_TEST_TMPDIR/fork.db'"
	assert_success
	assert_output --partial "acknowledged every entry up to 2"
	# each writes its own third entry: the positions agree, the entries do not
	echo '{"body":"other"}' | ccc-intake -q --store "$BATS_TEST_TMPDIR/fork.db" --source ncb:es >/dev/null
	echo '{"body":"third"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	run ccc-failover --store "$LYON" ship --via "ccc-failover --store '$BATS_TEST_TMPDIR/fork.db'"
	assert_failure 65
	assert_output --partial "split brain: entry 3 from 'lyon' differs from this store's"
	assert_equal "$(sqlite3 "$BATS_TEST_TMPDIR/fork.db" "SELECT count(*) FROM messages WHERE record LIKE '%third%'")" 0
}

@test "a standby keeps its own person key counts from the shipped index entries, and they match the primary's" {
	printf '%s\n' '{"id":"P1","name":"Vladimir Petrov","aliases":["Владимир Петров"]}' '{"id":"P2","name":"Olga Petrova"}' '{"id":"P3","name":"Ivan Petrov"}' |
		ccc-check --store "$LYON" load -q --db persons --owner RU
	echo '{"id":"P3","action":"remove"}' | ccc-check --store "$LYON" load -q --db persons --owner RU
	ship >/dev/null
	counts='SELECT group_concat(key || "=" || n, " ") FROM (SELECT * FROM derived_key_counts ORDER BY key)'
	assert_equal "$(sqlite3 "$BUE" "$counts")" "$(sqlite3 "$LYON" "$counts")"
	assert_equal "$(sqlite3 "$BUE" "SELECT n FROM derived_key_counts WHERE key = 'btrf'")" 2
	run ccc-store --store "$BUE" verify
	assert_success
}

@test "person key counts are counted once per commit, from its changes, at the primary and at a standby alike" {
	# no trigger counts index rows one by one
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'person_keys'")" 0
	printf '%s\n' '{"id":"P1","name":"Vladimir Petrov"}' '{"id":"P2","name":"Olga Petrova"}' '{"id":"P3","name":"Ivan Petrov","aliases":["Ivan Petrovich"]}' |
		ccc-check --store "$LYON" load -q --db persons --owner RU
	ship >/dev/null
	# in one batch: a person renamed (keys dropped, kept and added), one removed, one new
	printf '%s\n' '{"id":"P2","name":"Olga Ivanova"}' '{"id":"P1","action":"remove"}' '{"id":"P4","name":"Vladimir Ivanov"}' |
		ccc-check --store "$LYON" load -q --db persons --owner RU
	ship >/dev/null
	counts='SELECT group_concat(key || "=" || n, " ") FROM (SELECT * FROM derived_key_counts ORDER BY key)'
	index='SELECT group_concat(key || "=" || n, " ") FROM (SELECT key, count(*) n FROM person_keys GROUP BY key ORDER BY key)'
	assert_equal "$(sqlite3 "$LYON" "$counts")" "$(sqlite3 "$LYON" "$index")"
	assert_equal "$(sqlite3 "$BUE" "$counts")" "$(sqlite3 "$LYON" "$counts")"
	assert_equal "$(sqlite3 "$BUE" "$index")" "$(sqlite3 "$LYON" "$index")"
	# Petrov (btrf) is P3's alone, Vladimir (fldm) P4's, Ivanov or Ivanova (fnf) P2's and P4's
	assert_equal "$(sqlite3 "$BUE" "SELECT group_concat(key || '=' || n, ' ') FROM (SELECT * FROM derived_key_counts WHERE key IN ('btrf', 'fldm', 'fnf') ORDER BY key)")" "btrf=1 fldm=1 fnf=2"
	run ccc-store --store "$LYON" verify
	assert_success
	run ccc-store --store "$BUE" verify
	assert_success
}
