#!/bin/sh
# ccc-failover: BENCH_N (1M) journaled messages shipped from a primary and
# applied to a standby (export | import), against `sqlite3 .backup` of the
# same store (DESIGN.md section 9).
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg"
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
[ "$("$BIN/ccc-failover" --store "$bue" position)" -eq "$entries" ] || { echo "bench: standby is behind" >&2; exit 1; }
