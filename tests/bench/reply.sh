#!/bin/sh
# ccc-reply: 10,000 replies drafted (the checks made again, the text composed,
# stored, journaled and signed) and sent, each to a command that reads it,
# through its three committed steps; against ccc-intake taking in the same
# messages (DESIGN.md section 9). BENCH_REPLY_N changes the count.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
N=${BENCH_REPLY_N:-10000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state" CCC_STORE="$dir/bench.db"

awk -v n="$N" -f "$(dirname "$0")/gen-messages.awk" >"$dir/in.ndjson"
"$BIN/ccc-store" init -q --site lyon
measure ccc-intake sh -c "'$BIN/ccc-intake' -q '$dir/in.ndjson' | jq -r .id >'$dir/ids'"
floor=$SECS floor_rss=$RSS_KB
measure "ccc-reply" sh -c "xargs -n 1000 '$BIN/ccc-reply' -q draft --format ndjson <'$dir/ids' |
	jq -r .id >'$dir/replies'"
draft=$SECS draft_rss=$RSS_KB
measure "ccc-reply" sh -c "xargs -n 1000 '$BIN/ccc-reply' -q send --deliver record \
	--via 'cat >/dev/null' --format ndjson <'$dir/replies' >/dev/null"
header
row ccc-intake "$N messages stored (the floor)" "$floor" "$N" "$floor_rss" "$floor"
row "ccc-reply" "$N replies drafted" "$draft" "$N" "$draft_rss" "$floor"
row "ccc-reply" "$N replies sent, each to a command" "$SECS" "$N" "$RSS_KB" "$floor"
total=$(awk -v a="$draft" -v b="$SECS" 'BEGIN { print a + b }')
row "ccc-reply" "$N replies drafted and sent" "$total" "$N" "$RSS_KB" "$floor"
sent=$(sqlite3 "$CCC_STORE" "SELECT count(*) FROM replies WHERE status = 'sent'")
[ "$sent" -eq "$N" ] || { echo "bench: sent $sent of $N" >&2; exit 1; }
