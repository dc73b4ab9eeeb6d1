#!/usr/bin/env bats
# Automatic failover on etcd: 'ccc-failover watch' against a real
# three-member etcd cluster on the loopback interface (tests/etcd-cluster.sh).

load helper

setup_file() {
	command -v etcd >/dev/null || skip "etcd is not installed (apt-get install etcd-server)"
	command -v curl >/dev/null || skip "curl is not installed (apt-get install curl)"
}

setup() {
	common_setup
	ETCD_DIR=$BATS_TEST_TMPDIR/etcd
	echo "$ETCD_DIR" >>"$BATS_FILE_TMPDIR/clusters"
	CCC_ETCD=$(sh "$ROOT/tests/etcd-cluster.sh" start "$ETCD_DIR")
	export CCC_ETCD
	LYON=$BATS_TEST_TMPDIR/lyon.db
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$LYON" init -q --site lyon
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
	ccc-failover -q --store "$LYON" site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)"
	ship
}

teardown() {
	if [[ -f $BATS_TEST_TMPDIR/pids ]]; then
		while read -r p; do kill -9 "$p" 2>/dev/null || :; done <"$BATS_TEST_TMPDIR/pids"
	fi
	sh "$ROOT/tests/etcd-cluster.sh" stop "$ETCD_DIR"
}

# Whatever happened, no etcd member outlives the file.
teardown_file() {
	if [[ -f $BATS_FILE_TMPDIR/clusters ]]; then
		while read -r d; do sh "$ROOT/tests/etcd-cluster.sh" stop "$d"; done <"$BATS_FILE_TMPDIR/clusters"
	fi
}

ship() {
	ccc-failover --store "$LYON" export --since "$(ccc-failover --store "$BUE" position)" |
		ccc-failover --store "$BUE" import >/dev/null
}

# watch NAME STORE [ARGS...]: start a watcher in the background (--ttl $TTL,
# default 2), its stderr in $BATS_TEST_TMPDIR/NAME.watch; its pid in $watch_pid.
watch() {
	local name=$1 store=$2
	shift 2
	ccc-failover --store "$store" watch --ttl "${TTL:-2}" "$@" 2>"$BATS_TEST_TMPDIR/$name.watch" 3>&- &
	watch_pid=$!
	echo "$watch_pid" >>"$BATS_TEST_TMPDIR/pids"
}

# wait_for NAME TEXT [SECONDS]: until NAME's watcher has said TEXT.
wait_for() {
	local i
	for ((i = 0; i < ${3:-5} * 20; i++)); do
		grep -q "$2" "$BATS_TEST_TMPDIR/$1.watch" && return 0
		sleep 0.05
	done
	echo "# $1 never said '$2'; it said:" >&3
	sed 's/^/# /' "$BATS_TEST_TMPDIR/$1.watch" >&3
	return 1
}

# The primary key's create revision, as etcd tells it.
key_revision() {
	curl -s -m 2 "${CCC_ETCD%%,*}/v3/kv/range" -d "{\"key\":\"$(printf /ccc/primary | base64)\"}" |
		jq -r '.kvs[0].create_revision // "none"'
}

intake() {
	echo "{\"body\":\"$2\"}" | ccc-intake -q --store "$1" --source ncb:fr
}

@test "watch takes the free primary key; the epoch is its create revision and the site writes" {
	watch lyon "$LYON"
	wait_for lyon "is the primary of epoch"
	rev=$(key_revision)
	[[ $rev =~ ^[0-9]+$ ]]
	run cat "$BATS_TEST_TMPDIR/lyon.watch"
	assert_output --regexp "^ccc-failover: site 'lyon' is the primary of epoch $rev \(etcd lease [0-9a-f]+\)$"
	assert_equal "$(sqlite3 "$LYON" 'SELECT epoch, primary_site FROM epochs ORDER BY epoch DESC LIMIT 1')" "$rev|lyon"
	run intake "$LYON" "under the lease"
	assert_success
	assert_equal "$(ccc-store --store "$LYON" log | tail -n 1 | jq .epoch)" "$rev"
}

@test "a second site's watcher waits for the key, and that site's writers are fenced (75)" {
	watch lyon "$LYON"
	wait_for lyon "is the primary of epoch"
	ship
	watch buenos-aires "$BUE"
	wait_for buenos-aires "waits: 'lyon' holds the primary key (epoch $(key_revision))"
	run intake "$BUE" "not the primary"
	assert_failure 75
	assert_output --partial "fenced: site 'buenos-aires'"
	run intake "$LYON" "still the primary"
	assert_success
}

@test "the primary's watcher killed: the standby promotes within the TTL, and the old primary's writers are refused" {
	watch lyon "$LYON"
	lyon=$watch_pid
	wait_for lyon "is the primary of epoch"
	old=$(key_revision)
	intake "$LYON" "before the loss" >/dev/null
	ship
	watch buenos-aires "$BUE"
	wait_for buenos-aires "waits: 'lyon' holds the primary key"
	kill -9 "$lyon"
	start=$(date +%s%N)
	wait_for buenos-aires "is the primary of epoch" 6
	took=$((($(date +%s%N) - start) / 1000000))
	echo "# promoted ${took} ms after the kill" >&3
	((took <= 4000))
	rev=$(key_revision)
	((rev > old))
	run cat "$BATS_TEST_TMPDIR/buenos-aires.watch"
	assert_line --regexp "^ccc-failover: site 'buenos-aires' is the primary of epoch $rev \(etcd lease [0-9a-f]+\)$"
	run ccc-store --store "$BUE" log
	assert_line --regexp "\"epoch\":$rev,\"origin\":\"buenos-aires\".*\"table\":\"epochs\",\"op\":\"insert\",\"key\":\[$rev\]"
	run intake "$BUE" "the watch has moved"
	assert_success
	# no watcher runs at lyon any more: its lease lapsed, its writers refuse
	run intake "$LYON" "a late write"
	assert_failure 75
	assert_output --partial "fenced: site 'lyon' does not hold the primary lease"
	run ccc-store --store "$BUE" verify
	assert_success
}

@test "SIGTERM gives the key up at once: the standby takes over before the TTL, exit 143" {
	TTL=10 watch lyon "$LYON"
	lyon=$watch_pid
	wait_for lyon "is the primary of epoch"
	ship
	TTL=10 watch buenos-aires "$BUE"
	wait_for buenos-aires "waits: 'lyon'"
	kill -TERM "$lyon"
	status=0
	wait "$lyon" || status=$?
	assert_equal "$status" 143
	wait_for lyon "gave up the primary key"
	wait_for buenos-aires "is the primary of epoch" 3
	run intake "$LYON" "after giving up"
	assert_failure 75
	assert_output --partial "fenced: site 'lyon' does not hold the primary lease"
}

@test "unwatch takes a site back to scripted failover: its writers no longer need the lease" {
	watch lyon "$LYON" --run 3
	lyon=$watch_pid
	wait_for lyon "is the primary of epoch"
	wait "$lyon"
	run intake "$LYON" "the watcher has stopped"
	assert_failure 75
	assert_output --partial "fenced: site 'lyon' does not hold the primary lease (its watcher does not hold the primary key)"
	run ccc-failover --store "$LYON" unwatch
	assert_success
	assert_output --partial "site 'lyon' left automatic failover"
	run intake "$LYON" "scripted again"
	assert_success
}

@test "a member of the cluster killed: the watcher keeps its lease through the other two" {
	watch lyon "$LYON"
	wait_for lyon "is the primary of epoch"
	rev=$(key_revision)
	# the member the watcher talks to first
	sh "$ROOT/tests/etcd-cluster.sh" kill "$ETCD_DIR" lyon
	sleep 3
	run cat "$BATS_TEST_TMPDIR/lyon.watch"
	assert_output "ccc-failover: site 'lyon' is the primary of epoch $rev (etcd lease $(sed -n 's/.*etcd lease \([0-9a-f]*\)).*/\1/p' "$BATS_TEST_TMPDIR/lyon.watch"))"
	CCC_ETCD=${CCC_ETCD#*,}
	assert_equal "$(key_revision)" "$rev"
	run intake "$LYON" "one member down"
	assert_success
}

@test "watch refuses a standby that has not imported its primary's journal (78), and a missing cluster (64)" {
	empty=$BATS_TEST_TMPDIR/sin.db
	ccc-store --store "$empty" init -q --standby --site singapore
	run ccc-failover --store "$empty" watch --run 1
	assert_failure 78
	assert_output --partial "is a standby that has not imported its primary's journal yet"
	run env -u CCC_ETCD ccc-failover --store "$LYON" watch --run 1
	assert_failure 64
	assert_output --partial "--etcd URL"
	run ccc-failover --store "$LYON" watch --etcd ftp://x --run 1
	assert_failure 78
	assert_output --partial "etcd: 'ftp://x' is not a client URL"
}

@test "a standby that has not seen the lost primary's epoch may not take the key until it has it" {
	watch lyon "$LYON"
	lyon=$watch_pid
	wait_for lyon "is the primary of epoch"
	rev=$(key_revision)
	# lyon's epoch entry never reached buenos-aires
	watch buenos-aires "$BUE"
	kill -9 "$lyon"
	wait_for buenos-aires "has not seen epoch $rev (of 'lyon'): it may not take the primary key" 6
	assert_equal "$(key_revision)" none
	run intake "$BUE" "not yet"
	assert_failure 75
	ship
	wait_for buenos-aires "is the primary of epoch"
	run intake "$BUE" "now"
	assert_success
}

@test "watch refuses a cluster younger than the store's epochs (78) and leaves the key free" {
	for i in 1 2 3; do ccc-failover -q --store "$LYON" promote; done
	run ccc-failover --store "$LYON" watch --run 2
	assert_failure 78
	assert_output --partial "watch: the primary key's create revision 2 is not above epoch 4 of store"
	assert_equal "$(key_revision)" none
}

@test "with no etcd member reachable the watcher says so once and the site's writers are fenced" {
	sh "$ROOT/tests/etcd-cluster.sh" stop "$ETCD_DIR"
	run ccc-failover --store "$LYON" watch --run 2
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_output --regexp "^ccc-failover: site 'lyon' cannot read the primary key: etcd: http://127\.0\.0\.1:[0-9]+: "
	run intake "$LYON" "no lease"
	assert_failure 75
}

@test "the automatic drill: lyon lost under steady intake, a standby promoted, RPO and RTO reported, all stores verify" {
	sh "$ROOT/tests/etcd-cluster.sh" stop "$ETCD_DIR"
	run sh "$ROOT/examples/failover-drill-etcd.sh" "$BUILD/bin" --seconds 2
	assert_success
	assert_line --regexp "^drill: site 'lyon' is the primary of epoch [0-9]+ \(etcd lease [0-9a-f]+\)$"
	assert_line --regexp "^drill: lyon had reported [1-9][0-9]* messages done$"
	assert_line --regexp "^drill: (buenos-aires|singapore)'s epoch ([0-9]+) is the primary key's create revision \2$"
	assert_line --regexp "^drill: lyon's late write refused \(exit 75\): ccc-intake: fenced: site 'lyon' does not hold the primary lease"
	assert_line --regexp "^drill: RPO: [0-9]+ entries of lyon lost by the promotion; [0-9]+ of the [0-9]+ messages reported done are missing at the new primary$"
	assert_line --regexp "^drill: RTO: [0-9]+\.[0-9]{2} s from the loss to the first write at (buenos-aires|singapore)$"
	assert_line "drill: verify lyon: ok"
	assert_line "drill: verify buenos-aires: ok"
	assert_line "drill: verify singapore: ok"
	rto=$(sed -n 's/^drill: RTO: \([0-9.]*\) s.*/\1/p' <<<"$output")
	echo "# RTO ${rto} s (TTL 2 s)" >&3
	# the lease (2 s) must lapse first, then a poll and a write; when lyon's
	# member was the leader, the new leader renews every lease once (+2 s)
	awk -v r="$rto" 'BEGIN { exit !(r >= 1 && r < 8) }'
}
