#!/bin/sh
# ccc-failover: BENCH_N (1M) journaled messages shipped from a primary and
# applied to a standby (export | import), against `sqlite3 .backup` of the
# same store (DESIGN.md section 9).
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state"
lyon=$dir/lyon.db
bue=$dir/bue.db

awk -v n="$N" -f "$(dirname "$0")/gen-messages.awk" >"$dir/in.ndjson"
"$BIN/ccc-store" --store "$lyon" init -q --site lyon
"$BIN/ccc-intake" -q --store "$lyon" "$dir/in.ndjson" >/dev/null
rm -f "$dir/in.ndjson"
"$BIN/ccc-store" --store "$bue" init -q --standby --site buenos-aires
"$BIN/ccc-store" --store "$bue" trust add -q lyon "$("$BIN/ccc-store" --store "$lyon" keys | jq -r .key)"
entries=$("$BIN/ccc-failover" --store "$lyon" position)

measure "sqlite3 .backup" sqlite3 "$lyon" ".backup '$dir/copy.db'"
floor=$SECS floor_rss=$RSS_KB
measure ccc-failover sh -c "'$BIN/ccc-failover' --store '$lyon' export | '$BIN/ccc-failover' --store '$bue' import >/dev/null"
header
row "sqlite3" ".backup of $N messages" "$floor" "$N" "$floor_rss" "$floor"
row ccc-failover "$N messages ($entries entries) shipped" "$SECS" "$N" "$RSS_KB" "$floor"
summary "ship + apply $N messages to a standby" "$(rate "$N" "$SECS")" \
	"sqlite3 .backup $(rate "$N" "$floor")" "$(ratio "$SECS" "$floor")" "<= 3x"
[ "$("$BIN/ccc-failover" --store "$bue" position)" -eq "$entries" ] || { echo "bench: standby is behind" >&2; exit 1; }

# The standby's lag under steady intake: a writer at Lyon commits a batch of
# 20 messages every 100 ms for LAG_SECONDS while the journal ships every
# second, as cron would more slowly; lag (entries the standby lacks) is
# sampled every 250 ms. Then the same with --ack (RPO 0).
secs=${LAG_SECONDS:-20}
lag_run() { # MODE
	l=$dir/lag-lyon.db b=$dir/lag-bue.db
	rm -f "$l"* "$b"*
	"$BIN/ccc-store" --store "$l" init -q --site lyon
	"$BIN/ccc-store" --store "$b" init -q --standby --site buenos-aires
	"$BIN/ccc-store" --store "$b" trust add -q lyon "$("$BIN/ccc-store" --store "$l" keys | jq -r .key)"
	"$BIN/ccc-failover" -q --store "$l" ship --via "'$BIN/ccc-failover' --store '$b'"
	ack=
	[ "$1" = ack ] && ack=--ack
	"$BIN/ccc-failover" -q --store "$l" site add buenos-aires \
		"$("$BIN/ccc-store" --store "$b" keys | jq -r .key)" --via "'$BIN/ccc-failover' --store '$b'" $ack
	end=$(($(date +%s) + secs))
	(
		i=0
		while [ "$(date +%s)" -lt "$end" ]; do
			awk -v i="$i" 'BEGIN { for (k = 0; k < 20; k++) printf "{\"body\":\"lag %d-%d\",\"external_id\":\"L-%d-%d\"}\n", i, k, i, k }' |
				"$BIN/ccc-intake" -q --store "$l" --source bench >/dev/null
			i=$((i + 1))
			sleep 0.1
		done
		echo "$i" >"$dir/batches"
	) &
	if [ -z "$ack" ]; then
		(while [ "$(date +%s)" -lt "$end" ]; do
			"$BIN/ccc-failover" -q --store "$l" ship --to buenos-aires
			sleep 1
		done) &
	fi
	: >"$dir/lag"
	while [ "$(date +%s)" -lt "$end" ]; do
		p=$("$BIN/ccc-failover" --store "$l" position)
		q=$("$BIN/ccc-failover" --store "$b" position)
		echo $((p - q)) >>"$dir/lag"
		sleep 0.25
	done
	wait
	batches=$(cat "$dir/batches")
	awk -v mode="$1" -v b="$batches" -v s="$secs" '{ t += $1; if ($1 > m) m = $1; n++ }
		END { printf "%-14s %-44s %9s %12.0f  lag: mean %.1f, max %d entries (%d samples)\n",
			"ccc-failover", "steady intake (entry = 20 msgs), " (mode == "ack" ? "--ack" : "ship 1/s"),
			s, b * 20 / s, t / n, m, n }' "$dir/lag"
}
lag_run cron
lag_run ack
