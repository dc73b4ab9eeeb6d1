#!/bin/sh
# The failover drill, automatic: three sites as three stores, one etcd member
# per site (a three-member cluster on the loopback interface, started by
# tests/etcd-cluster.sh), and 'ccc-failover watch' at every site. Lyon's
# watcher takes the primary key; Lyon takes in a steady stream of messages
# and ships its journal to Buenos Aires and Singapore. Then Lyon goes dark:
# its watcher, its writer, its shipper and its etcd member are killed with
# SIGKILL. When Lyon's lease lapses, a standby's watcher takes the key and
# promotes its store, with no one typing a command. The drill prints RPO
# (entries lost) and RTO (seconds from the loss to the first write at the new
# primary), shows that Lyon's late write is refused, and verifies all three
# stores.
#   sh examples/failover-drill-etcd.sh [BIN_DIR] [--seconds N] [--ttl SECONDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=$here/../build/bin
seconds=3
ttl=2
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift ;;
	--ttl) ttl=$2; shift ;;
	-*) echo "failover-drill-etcd: unknown option '$1'" >&2; exit 64 ;;
	*) bin=$1 ;;
	esac
	shift
done
bin=$(cd "$bin" && pwd)
PATH=$bin:$PATH
cluster=$here/../tests/etcd-cluster.sh
for c in etcd curl jq sqlite3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "failover-drill-etcd: $c is needed (apt-get install etcd-server curl jq sqlite3)" >&2
		exit 69
	}
done
work=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do pkill -9 -P "$p" 2>/dev/null || :; kill -9 "$p" 2>/dev/null || :; done
	sh "$cluster" stop "$work/etcd" 2>/dev/null || :
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export XDG_CONFIG_HOME="$work/config" CCC_ACTOR=drill
unset CCC_SITE CCC_KEY CCC_STORE CCC_NOW CCC_ETCD

LYON=$work/lyon.db BUE=$work/buenos-aires.db SIN=$work/singapore.db
say() {
	printf 'drill: %s\n' "$*"
}
now() {
	date +%s.%N
}
key() {
	ccc-store --store "$1" keys | jq -r .key
}
to() {
	printf "ccc-failover --store '%s'" "$1"
}
# wait_for FILE TEXT: until FILE holds TEXT (10 s at most).
wait_for() {
	n=0
	until grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 200 ] || { say "gave up waiting for '$2' in $(basename "$1")"; exit 70; }
		sleep 0.05
	done
}
# watch SITE STORE URLS: start the site's watcher in the background.
watch() {
	ccc-failover --store "$2" watch --etcd "$3" --ttl "$ttl" 2>"$work/$1.watch" &
	pids="$pids $!"
}

urls=$(sh "$cluster" start "$work/etcd")
e1=$(sed -n 1p "$work/etcd/endpoints") e2=$(sed -n 2p "$work/etcd/endpoints")
e3=$(sed -n 3p "$work/etcd/endpoints")
say "a three-member etcd cluster: $urls"

say "three sites: lyon, buenos-aires and singapore (standbys of lyon)"
ccc-store --store "$LYON" init -q --site lyon
for s in "$BUE:buenos-aires" "$SIN:singapore"; do
	ccc-store --store "${s%%:*}" init -q --standby --site "${s#*:}"
	ccc-store --store "${s%%:*}" trust add -q lyon "$(key "$LYON")"
done
ccc-failover -q --store "$LYON" site add buenos-aires "$(key "$BUE")" --via "$(to "$BUE")"
ccc-failover -q --store "$LYON" site add singapore "$(key "$SIN")" --via "$(to "$SIN")"

# each site's watcher talks to its own member first
watch lyon "$LYON" "$e1,$e2,$e3"
lyon_watch=$!
wait_for "$work/lyon.watch" "is the primary of epoch"
say "$(sed -n 's/^ccc-failover: //p' "$work/lyon.watch" | head -n 1)"
ccc-failover -q --store "$LYON" ship --to buenos-aires
ccc-failover -q --store "$LYON" ship --to singapore
watch buenos-aires "$BUE" "$e2,$e3,$e1"
watch singapore "$SIN" "$e3,$e1,$e2"
wait_for "$work/buenos-aires.watch" "waits: 'lyon' holds the primary key"
wait_for "$work/singapore.watch" "waits: 'lyon' holds the primary key"

# Lyon's writer: a few messages every 150 ms; they are "done" once
# ccc-intake exited 0.
(
	i=0
	while :; do
		i=$((i + 1))
		if printf '{"body":"drill message %d-%d","external_id":"D-%d-%d"}\n' "$i" 1 "$i" 1 "$i" 2 "$i" 2 |
			ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null 2>>"$work/lyon-writer.err"; then
			echo "D-$i-1" >>"$work/done"
			echo "D-$i-2" >>"$work/done"
		fi
		sleep 0.15
	done
) &
pids="$pids $!"
writer=$!
# Lyon's shipper, after every batch or so
(
	while :; do
		ccc-failover -q --store "$LYON" ship --to buenos-aires 2>/dev/null || :
		ccc-failover -q --store "$LYON" ship --to singapore 2>/dev/null || :
		sleep 0.2
	done
) &
pids="$pids $!"
shipper=$!

sleep "$seconds"
say "lyon goes dark: its watcher, writer, shipper and etcd member killed with SIGKILL"
for p in $shipper $writer $lyon_watch; do
	pkill -9 -P "$p" 2>/dev/null || :
	kill -9 "$p" 2>/dev/null || :
	wait "$p" 2>/dev/null || :
done
sh "$cluster" kill "$work/etcd" lyon
lost_at=$(now)
done_n=$(wc -l <"$work/done" | tr -d ' ')
say "lyon had reported $done_n messages done"

# Both standbys try to write every 50 ms: the first to succeed is the new primary.
new='' n=0
while [ -z "$new" ]; do
	for s in "$BUE:buenos-aires" "$SIN:singapore"; do
		if echo '{"body":"the watch has moved","external_id":"NEW-1"}' |
			ccc-intake -q --store "${s%%:*}" --source ncb:ar >/dev/null 2>/dev/null; then
			new=${s#*:} NEW=${s%%:*}
			break
		fi
	done
	[ -n "$new" ] && break
	n=$((n + 1))
	[ $n -lt 400 ] || { say "no standby took over within 20 s"; exit 70; }
	sleep 0.05
done
first_write=$(now)
rto=$(awk -v a="$lost_at" -v b="$first_write" 'BEGIN { printf "%.2f", b - a }')
say "$(grep -h "is the primary of epoch" "$work/$new.watch" | sed 's/^ccc-failover: //' | tail -n 1)"
epoch=$(sqlite3 "$NEW" "SELECT max(epoch) FROM epochs")
rev=$(curl -s -m 2 "$e2/v3/kv/range" -d "{\"key\":\"$(printf /ccc/primary | base64)\"}" |
	jq -r '.kvs[0].create_revision')
say "$new's epoch $epoch is the primary key's create revision $rev"
[ "$epoch" = "$rev" ] || exit 70

# entries of Lyon that the new primary does not have, and messages reported
# done that it lacks
lyon_last=$(sqlite3 "$LYON" "SELECT max(seq) FROM journal")
new_has=$(sqlite3 "$NEW" "SELECT max(seq) FROM journal WHERE origin = 'lyon'")
rpo=$((lyon_last - new_has))
missing=0
while read -r id; do
	c=$(sqlite3 "$NEW" "SELECT count(*) FROM messages WHERE substr(dkey, 1, length('ncb:fr' || char(31) || '$id' || char(30))) = 'ncb:fr' || char(31) || '$id' || char(30)")
	[ "$c" = 1 ] || missing=$((missing + 1))
done <"$work/done"

rc=0
echo '{"body":"a late write at lyon"}' |
	ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null 2>"$work/late.err" || rc=$?
if [ $rc = 75 ]; then
	say "lyon's late write refused (exit 75): $(cat "$work/late.err")"
else
	say "lyon's late write was NOT refused (exit $rc)"
	exit 70
fi

say "RPO: $rpo entries of lyon lost by the promotion; $missing of the $done_n messages reported done are missing at the new primary"
say "RTO: $rto s from the loss to the first write at $new"

for s in "$BUE" "$SIN"; do
	[ "$s" = "$NEW" ] && continue
	other=$(basename "$s" .db)
	ccc-failover -q --store "$s" rejoin --via "$(to "$NEW")" --orphans "$work/$other-orphans.ndjson" >/dev/null
	say "$other follows $new from entry $(ccc-failover --store "$s" position)"
done
ccc-failover -q --store "$LYON" rejoin --via "$(to "$NEW")" --orphans "$work/lyon-orphans.ndjson" >"$work/lyon-rejoin.json"
say "lyon rejoined at entry $(jq -r .fork "$work/lyon-rejoin.json"): $(jq -r .orphans "$work/lyon-rejoin.json") unshipped entries kept in its orphans file"

ok=1
for s in "$LYON" "$BUE" "$SIN"; do
	if ccc-store --store "$s" verify >/dev/null; then
		say "verify $(basename "$s" .db): ok"
	else
		say "verify $(basename "$s" .db): FAILED"
		ok=0
	fi
done
[ $ok = 1 ] || exit 65
