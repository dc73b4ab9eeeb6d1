#!/usr/bin/env bats
# Issue 13, items 3 and 4 and small ones: what a standby answers is believed
# only as its signed position; rejoin rewinds only a site that a newer,
# signed epoch fences, and never hands out an orphan's id again; a site name
# is a plain name everywhere.

load helper

setup() {
	common_setup
	export CCC_NOW=2026-11-28T10:00:00Z
	LYON=$BATS_TEST_TMPDIR/lyon.db
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$LYON" init -q --site lyon
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
	ccc-store --store "$BUE" keys | ccc-store --store "$LYON" trust add -q
	printf '%s\n' '{"body":"first"}' '{"body":"second"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	echo '{"body":"third"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	# A --via command that reaches Buenos Aires and then lies as MODE says.
	VIA_SH=$BATS_TEST_TMPDIR/via.sh
	cat >"$VIA_SH" <<'EOF'
#!/bin/sh
# via.sh STORE MODE ARGS...
store=$1 mode=$2
shift 2
if [ "$1" != import ] || [ "$mode" = honest ]; then
	exec ccc-failover --store "$store" "$@"
fi
out=$(ccc-failover --store "$store" "$@")
rc=$?
last=$(printf '%s\n' "$out" | tail -n 1)
case $mode in
other-site) printf '%s\n' "$last" | jq -c '.site = "singapore"' ;;
far) printf '%s\n%s\n' "$out" "$(printf '%s\n' "$last" | jq -c '.seq = 1000000')" ;;
far-only) printf '%s\n' "$last" | jq -c '.seq = 1000000' ;;
bad-sig) printf '%s\n' "$out" | jq -c '.signature |= (if startswith("A") then "B" else "A" end) + .[1:]' ;;
unsigned) printf '%s\n' "$out" | jq -c 'del(.signature)' ;;
bad-hash) printf '%s\n' "$out" | jq -c '.hash = "00000000000000000000000000000000000000000000000000000000000000ff"' ;;
esac
exit $rc
EOF
}

via() {
	printf "sh '%s' '%s' %s" "$VIA_SH" "$BUE" "$1"
}

@test "attack 3: an ack naming another site is refused and not recorded; ship fails with the reason" {
	ccc-failover -q --store "$LYON" site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)" --via "$(via other-site)"
	run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_failure 65
	assert_output --partial "acknowledgement of entry 4 by site 'singapore' that is refused: it names site 'singapore', not 'buenos-aires', the site shipped to; not recorded"
	refute_output --partial "acknowledged every entry"
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM local WHERE key LIKE 'ack:%'")" 0
	# the standby did import: status does not pretend it did, nor that it is ahead
	run ccc-failover --store "$LYON" status --format ndjson
	assert_line --index 0 --partial '"site":"buenos-aires","self":false,"role":"standby","epoch":1,"seq":null,"lag":null'
}

@test "attack 3: an ack of seq 1000000 is refused: ship does not claim it, exits 65, and status shows the true lag" {
	ccc-failover -q --store "$LYON" site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)" --via "$(via far)"
	run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_failure 65
	assert_output --partial "acknowledgement of entry 1000000 by site 'buenos-aires' that is refused: entries 1 to 4 were sent, not entry 1000000; not recorded"
	refute_output --partial "acknowledged every entry up to 1000000"
	# the real acks were signed and are kept: Buenos Aires holds 4 entries of 4
	run ccc-failover --store "$LYON" status --format ndjson
	assert_line --index 0 --partial '"site":"buenos-aires","self":false,"role":"standby","epoch":1,"seq":4,"lag":0,'
	echo '{"body":"fifth"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	run ccc-failover --store "$LYON" status --format ndjson
	assert_line --index 0 --partial '"seq":4,"lag":1,'
	# only the lie: nothing is recorded, the standby's true position stays unknown
	ccc-failover -q --store "$LYON" site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)" --via "$(via far-only)"
	run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_failure 65
	assert_output --partial "entry 5 was sent, not entry 1000000"
	assert_equal "$(sqlite3 "$LYON" "SELECT CAST(value AS INTEGER) FROM local WHERE key = 'ack:buenos-aires'")" 4
	assert_equal "$(ccc-failover --store "$BUE" position)" 5
}

@test "attack 3: an ack whose signature, hash or key is wrong is refused with what and why" {
	run ccc-failover --store "$LYON" ship --via "$(via bad-sig)"
	assert_failure 65
	assert_output --partial "by site 'buenos-aires' that is refused: its signature does not verify with the key of site 'buenos-aires'; not recorded"
	assert_output --partial "more acknowledgements refused"
	refute_output --partial "acknowledged every entry"
	run ccc-failover --store "$LYON" ship --via "$(via unsigned)"
	assert_failure 65
	assert_output --partial "it is not signed"
	echo '{"body":"fourth"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	run ccc-failover --store "$LYON" ship --via "$(via bad-hash)"
	assert_failure 65
	assert_output --partial "its hash is not this store's hash of that entry"
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM local WHERE key LIKE 'ack:%'")" 0
	# a standby whose key is not trusted here: say exactly that, and how to fix it
	# (on its own machine: its key and trust anchors are not in Lyon's folder)
	SIN=$BATS_TEST_TMPDIR/sin.db
	SINCONF=$BATS_TEST_TMPDIR/sin-config
	XDG_CONFIG_HOME=$SINCONF ccc-store --store "$SIN" init -q --standby --site singapore
	XDG_CONFIG_HOME=$SINCONF ccc-store --store "$SIN" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
	run ccc-failover --store "$LYON" ship --via "env XDG_CONFIG_HOME='$SINCONF' ccc-failover --store '$SIN'"
	assert_failure 78
	assert_output --partial "site 'singapore' is not trusted here, so its signature cannot be checked (run 'ccc-store trust add singapore KEY' here, with the key 'ccc-store keys' prints there)"
	refute_output --partial "acknowledged every entry"
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM local WHERE key LIKE 'ack:%'")" 0
	# the honest, trusted standby's acks are recorded
	run ccc-failover --store "$LYON" ship --via "$(via honest)"
	assert_success
	assert_output --partial "the standby acknowledged every entry up to 5"
	assert_equal "$(sqlite3 "$LYON" "SELECT CAST(value AS INTEGER) FROM local WHERE key = 'ack:buenos-aires'")" 5
}

@test "attack 3: a writer that waits for acks (--ack) is not satisfied by a fake one" {
	ccc-failover -q --store "$LYON" ship --via "$(via honest)"
	ccc-failover -q --store "$LYON" site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)" --via "$(via far-only)" --ack
	run ccc-intake --store "$LYON" --source t <<<'{"body":"must reach the standby"}'
	assert_failure 75
	assert_output --partial "not entry 1000000; not recorded"
	assert_output --partial "ack: standby 'buenos-aires' has not acknowledged entry"
}

@test "attack 3: an ack recorded beyond the journal (as old versions believed) shows no negative lag and is corrected by the next ship" {
	# a store of a version before sealed settings, whose settings hold the bogus
	# ack: the first writer seals them as they are
	sqlite3 "$LYON" "INSERT INTO local(key, value) VALUES ('ack:buenos-aires', '1000000 2026-11-28T10:00:00Z');
		DELETE FROM local WHERE key = 'seal'; DROP TABLE attachments; DROP TABLE replies; DROP TABLE reply_log; ALTER TABLE queue DROP COLUMN answered_at; $(drop_since_10) PRAGMA user_version = 7"
	ccc-failover -q --store "$LYON" site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)" --via "$(via honest)"
	run ccc-failover --store "$LYON" status --format ndjson
	assert_line --index 0 --partial '"seq":1000000,"lag":null,"ahead":true,'
	refute_output --partial '"lag":-'
	run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_success
	assert_output --partial "the acknowledgement recorded for 'buenos-aires' (entry 1000000) is beyond this store's last entry 4: not believed"
	assert_output --partial "buenos-aires acknowledged every entry up to 4"
	run ccc-failover --store "$LYON" status --format ndjson
	assert_line --index 0 --partial '"seq":4,"lag":0,'
}

@test "attack 4: rejoin on a live primary with --via true refuses and changes nothing" {
	ccc-failover -q --store "$LYON" site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)"
	ccc-failover -q --store "$LYON" ship --via "$(via honest)"
	printf '%s\n' '{"body":"fifth"}' '{"body":"sixth"}' | ccc-intake -q --store "$LYON" --source t >/dev/null
	echo '{"body":"seventh"}' | ccc-intake -q --store "$LYON" --source t >/dev/null
	before=$(sqlite3 "$LYON" 'SELECT count(*) FROM journal')
	rows=$(sqlite3 "$LYON" 'SELECT count(*) FROM messages')
	run ccc-failover --store "$LYON" rejoin --via true --orphans "$BATS_TEST_TMPDIR/orphans.ndjson"
	assert_failure 75
	assert_output --partial "rejoin: site 'lyon' is the primary of epoch 1; nothing newer was proven by 'true'"
	assert_output --partial "refusing to rewind; nothing was changed"
	assert_equal "$(sqlite3 "$LYON" 'SELECT count(*) FROM journal')" "$before"
	assert_equal "$(sqlite3 "$LYON" 'SELECT count(*) FROM messages')" "$rows"
	[ ! -s "$BATS_TEST_TMPDIR/orphans.ndjson" ]
	run ccc-store --store "$LYON" verify
	assert_success
	# and it still writes, with the next seq
	echo '{"body":"eighth"}' | ccc-intake -q --store "$LYON" --source t >/dev/null
	assert_equal "$(sqlite3 "$LYON" 'SELECT max(seq) FROM journal')" "$((before + 1))"
}

@test "attack 4: rejoin of a store with no acks to a standby with nothing newer refuses; its sites and epochs rows stay" {
	ccc-failover --store "$LYON" export | ccc-failover --store "$BUE" import >/dev/null
	before=$(sqlite3 "$LYON" 'SELECT count(*) FROM journal')
	run ccc-failover --store "$LYON" rejoin --via "ccc-failover --store '$BUE'" --orphans "$BATS_TEST_TMPDIR/orphans.ndjson"
	assert_failure 75
	assert_output --partial "site 'lyon' is the primary of epoch 1; nothing newer was proven"
	assert_equal "$(sqlite3 "$LYON" 'SELECT count(*) FROM journal')" "$before"
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM sites WHERE name = 'lyon'")" 1
	assert_equal "$(sqlite3 "$LYON" "SELECT primary_site FROM epochs")" lyon
}

@test "attack 4: a newer epoch whose signature does not verify proves nothing" {
	ccc-failover -q --store "$LYON" ship --via "$(via honest)"
	echo '{"body":"at lyon, never shipped"}' | ccc-intake -q --store "$LYON" --source t >/dev/null
	ccc-failover -q --store "$BUE" promote
	before=$(sqlite3 "$LYON" 'SELECT count(*) FROM journal')
	# the epoch entry's checkpoint, altered on the way
	forged="ccc-failover --store '$BUE' export --since 4 | jq -c 'if .type == \"checkpoint\" then .signature |= (if startswith(\"A\") then \"B\" else \"A\" end) + .[1:] else . end'; :"
	cat >"$BATS_TEST_TMPDIR/forge.sh" <<EOF
#!/bin/sh
$forged
EOF
	run ccc-failover --store "$LYON" rejoin --via "sh '$BATS_TEST_TMPDIR/forge.sh'" --orphans "$BATS_TEST_TMPDIR/orphans.ndjson"
	assert_failure 75
	assert_output --partial "nothing newer was proven"
	assert_equal "$(sqlite3 "$LYON" 'SELECT count(*) FROM journal')" "$before"
	# the real one proves it: the rejoin goes ahead
	run ccc-failover --store "$LYON" rejoin --via "ccc-failover --store '$BUE'" --orphans "$BATS_TEST_TMPDIR/orphans.ndjson"
	assert_success
	assert_output --partial '"orphans":1'
}

@test "attack 4: after a legitimate rejoin, ids of orphaned rows are never handed out again" {
	ccc-failover -q --store "$LYON" site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)"
	ccc-failover -q --store "$LYON" ship --via "$(via honest)"
	# three messages at Lyon that never reach Buenos Aires, which takes the watch and writes one
	printf '%s\n' '{"body":"orphan a"}' '{"body":"orphan b"}' '{"body":"orphan c"}' | ccc-intake -q --store "$LYON" --source t >/dev/null
	ccc-check --store "$LYON" --doc X1 --country FR --ncb FR >/dev/null
	ccc-check --store "$LYON" --doc X2 --country FR --ncb FR >/dev/null
	ccc-failover -q --store "$BUE" promote
	echo '{"body":"the new watch"}' | ccc-intake -q --store "$BUE" --source t >/dev/null
	ccc-check --store "$BUE" --doc X3 --country FR --ncb AR >/dev/null
	run ccc-failover --store "$LYON" rejoin --via "ccc-failover --store '$BUE'" --orphans "$BATS_TEST_TMPDIR/orphans.ndjson"
	assert_success
	orphan_ids=$(jq -r '.changes[] | select(.table == "messages") | .new.id' "$BATS_TEST_TMPDIR/orphans.ndjson" | sort)
	assert_equal "$(echo "$orphan_ids" | wc -l)" 3
	# the journal continues from the new primary's entries
	assert_equal "$(ccc-failover --store "$LYON" position)" "$(ccc-failover --store "$BUE" position)"
	# Lyon takes the watch back and writes: a new id, not one an orphan had
	ccc-failover -q --store "$LYON" promote
	run ccc-intake --store "$LYON" --source t <<<'{"body":"after the rejoin"}'
	assert_success
	new_id=$(sqlite3 "$LYON" "SELECT id FROM messages WHERE record LIKE '%after the rejoin%'")
	[ -n "$new_id" ]
	run grep -x "$new_id" <<<"$orphan_ids"
	assert_failure
	assert_equal "$new_id" msg-lyon-7
	# the consultation log too: Lyon's orphans were 1 and 2, Buenos Aires wrote 1
	ccc-check --store "$LYON" --doc X4 --country FR --ncb FR >/dev/null
	assert_equal "$(sqlite3 "$LYON" "SELECT c FROM consultations WHERE query LIKE '%X4%'")" 3
	run ccc-store --store "$LYON" verify
	assert_success
}

@test "attack small: ccc-store backup '' is a usage error" {
	run ccc-store --store "$LYON" backup ''
	assert_failure 64
	assert_output --partial "backup: give the FILE to write"
}

@test "attack small: a site named -rf (or any name that is not a plain site name) is refused everywhere a site name is taken" {
	key=$(ccc-store --store "$BUE" keys | jq -r .key)
	run ccc-store --store "$BATS_TEST_TMPDIR/x.db" init --site -rf
	assert_failure 64
	assert_output --partial "site name '-rf': use lowercase letters, digits and '-' (not first or last)"
	[ ! -e "$BATS_TEST_TMPDIR/x.db" ]
	run ccc-store --store "$BATS_TEST_TMPDIR/x.db" init --site '../../etc'
	assert_failure 64
	run ccc-store --store "$LYON" trust add -- -rf "$key"
	assert_failure 65
	assert_output --partial "site name '-rf'"
	run ccc-failover --store "$LYON" site add -- -rf "$key"
	assert_failure 65
	assert_output --partial "site name '-rf'"
	run ccc-failover --store "$LYON" site add 'x;rm' "$key"
	assert_failure 65
	run ccc-failover --store "$LYON" site remove -- -rf
	assert_failure 64
	assert_output --partial "site name '-rf'"
	run ccc-failover --store "$LYON" promote --site -rf
	assert_failure 64
	assert_output --partial "site name '-rf'"
	run ccc-failover --store "$LYON" ship --to -rf
	assert_failure 64
	assert_output --partial "site name '-rf'"
	# a standby's trust anchor too
	run ccc-store --store "$BATS_TEST_TMPDIR/s.db" init -q --standby --site singapore
	run ccc-store --store "$BATS_TEST_TMPDIR/s.db" trust add -- -rf "$key"
	assert_failure 65
	assert_output --partial "site name '-rf'"
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM sites WHERE name LIKE '%rf%'")" 0
}
