#!/bin/sh
# Checks scale with the sites: the primary and two standbys (three stores on
# this machine, each with the same BENCH_SCALE_DOCS (1M) documents) answer
# BENCH_SCALE_QUERIES (300k) document checks, first one store alone, then
# each store its third at once; reported as the aggregate rate against one
# store alone, and the time, once the last check is answered, until the
# primary's consultation log holds every one (a ship to each standby brings
# its audit chain home). On a machine with fewer cores than stores the
# aggregate is bounded by the cores: the figure says what the machine gives.
#   BENCH_SCALE_DOCS=200000 BENCH_SCALE_QUERIES=60000 sh tests/bench/scale.sh
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
DOCS=${BENCH_SCALE_DOCS:-1000000}
QUERIES=${BENCH_SCALE_QUERIES:-300000}
dir=$(mktemp -d)
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state"
lyon=$dir/lyon.db bue=$dir/bue.db sin=$dir/sin.db
"$BIN/ccc-store" --store "$lyon" init -q --site lyon
key() { "$BIN/ccc-store" --store "$1" keys | jq -r .key; }
# shellcheck disable=SC2086
for s in "buenos-aires $bue" "singapore $sin"; do
	set -- $s # two words: the site and its store
	"$BIN/ccc-store" --store "$2" init -q --standby --site "$1"
	"$BIN/ccc-store" --store "$2" trust add -q lyon "$(key "$lyon")"
	"$BIN/ccc-failover" -q --store "$lyon" site add "$1" "$(key "$2")" --via "$BIN/ccc-failover --store '$2'"
done
awk -v n="$DOCS" 'BEGIN {
	split("FR ES DE IT EG AR SG US BR MA", cc, " ")
	for (i = 1; i <= n; i++)
		printf "{\"number\":\"AB%08d\",\"country\":\"%s\",\"status\":\"%s\"}\n", i, cc[i % 10 + 1], (i % 4 ? "lost" : "stolen")
}' | "$BIN/ccc-check" -q --store "$lyon" load --db documents --owner FR
"$BIN/ccc-failover" -q --store "$lyon" ship --to buenos-aires
"$BIN/ccc-failover" -q --store "$lyon" ship --to singapore

# Queries: half hits, half misses, split in three by line.
awk -v n="$QUERIES" -v d="$DOCS" -v dir="$dir" 'BEGIN {
	srand(11); split("FR ES DE IT EG AR SG US BR MA", cc, " ")
	for (i = 1; i <= n; i++) {
		k = int(rand() * d) + 1
		num = (i % 2) ? sprintf("AB%08d", k) : sprintf("ZZ%08d", k)
		line = sprintf("{\"type\":\"query\",\"id\":\"q%d\",\"doc\":\"%s\",\"country\":\"%s\"}", i, num, cc[k % 10 + 1])
		print line >(dir "/q.ndjson")
		print line >(dir "/q" (i % 3) ".ndjson")
	}
}'
consulted() { sqlite3 "$lyon" "SELECT count(*) FROM consultations"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# One store alone: every query at the primary.
measure "one store" sh -c "'$BIN/ccc-check' --store '$lyon' --ncb FR '$dir/q.ndjson' >/dev/null"
one_secs=$SECS one_rss=$RSS_KB
# the standbys get those checks first, so that the time home below is the
# three streams' alone
"$BIN/ccc-failover" -q --store "$lyon" ship --to buenos-aires
"$BIN/ccc-failover" -q --store "$lyon" ship --to singapore
base=$(consulted)

# Three at once: each store answers its third.
t0=$(now)
"$BIN/ccc-check" --store "$lyon" --ncb FR "$dir/q0.ndjson" >/dev/null &
p0=$!
"$BIN/ccc-check" --store "$bue" --ncb FR "$dir/q1.ndjson" >/dev/null &
p1=$!
"$BIN/ccc-check" --store "$sin" --ncb FR "$dir/q2.ndjson" >/dev/null &
p2=$!
for p in $p0 $p1 $p2; do wait "$p" || [ $? -eq 65 ] || { echo "bench: a check stream failed" >&2; exit 1; }; done
t1=$(now)
three_secs=$(elapsed "$t0" "$t1")
# Until the primary's log holds every check: one ship to each standby.
"$BIN/ccc-failover" -q --store "$lyon" ship --to buenos-aires
"$BIN/ccc-failover" -q --store "$lyon" ship --to singapore
t2=$(now)
home_secs=$(elapsed "$t1" "$t2")
got=$(($(consulted) - base))
[ "$got" -eq "$QUERIES" ] || { echo "bench: the primary's log holds $got of $QUERIES checks" >&2; exit 1; }
"$BIN/ccc-store" --store "$lyon" verify >/dev/null

echo "ccc-check at three sites: $DOCS documents each, $QUERIES document checks, $(nproc) cores"
header
row ccc-check "one store: all checks" "$one_secs" "$QUERIES" "$one_rss" "$one_secs"
row ccc-check "three stores at once: a third each" "$three_secs" "$QUERIES" 0 "$one_secs"
speedup=$(awk -v a="$one_secs" -v b="$three_secs" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
echo "aggregate rate: ${speedup}x one store alone; every check in the primary's log ${home_secs} s after the last was answered"
summary "document checks at three sites at once ($(nproc) cores)" "$(rate "$QUERIES" "$three_secs")" \
	"one store alone: $(rate "$QUERIES" "$one_secs")" "${speedup}x faster" "scales with the sites"
summary "three sites' checks home in the primary's log" "${home_secs} s" "-" "-" "after the last check"
