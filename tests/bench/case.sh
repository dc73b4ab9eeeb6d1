#!/bin/sh
# ccc-case: a stream of stored messages filed into a case by filter mode
# (each record looked up, linked, logged, journaled, and passed through
# byte for byte), against `jq -c .` over the same file; the rerun (every link
# there already: nothing written); then the case's timeline and sitrep over
# all those links. Default 100,000 messages; BENCH_N changes the count.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
N=${BENCH_N:-100000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state" CCC_STORE="$dir/bench.db"

awk -v n="$N" -f "$(dirname "$0")/gen-messages.awk" >"$dir/in.ndjson"
"$BIN/ccc-store" init -q --site lyon
"$BIN/ccc-intake" -q "$dir/in.ndjson" >"$dir/stored.ndjson"
"$BIN/ccc-case" open -q --kind operation --title 'Bench' --country FR >/dev/null

measure "jq -c ." sh -c "jq -c . '$dir/stored.ndjson' >/dev/null"
floor=$SECS floor_rss=$RSS_KB
measure "ccc-case link" sh -c "'$BIN/ccc-case' link case-lyon-1 <'$dir/stored.ndjson' >'$dir/out.ndjson'"
header
row "jq -c ." "$N messages, parse and print" "$floor" "$N" "$floor_rss" "$floor"
row "ccc-case link" "$N messages linked, passed through" "$SECS" "$N" "$RSS_KB" "$floor"
cmp -s "$dir/stored.ndjson" "$dir/out.ndjson" || { echo "bench: the records changed on their way through" >&2; exit 1; }
linked=$(sqlite3 "$CCC_STORE" 'SELECT count(*) FROM case_links')
[ "$linked" -eq "$N" ] || { echo "bench: linked $linked of $N" >&2; exit 1; }
measure "ccc-case link" sh -c "'$BIN/ccc-case' link case-lyon-1 <'$dir/stored.ndjson' >/dev/null"
row "ccc-case link" "the same again: nothing to add" "$SECS" "$N" "$RSS_KB" "$floor"
measure "ccc-case" sh -c "'$BIN/ccc-case' timeline case-lyon-1 --format ndjson >'$dir/t.ndjson'"
events=$(wc -l <"$dir/t.ndjson")
row "ccc-case" "timeline: $events events" "$SECS" "$events" "$RSS_KB" "$floor"
measure "ccc-case" sh -c "'$BIN/ccc-case' sitrep case-lyon-1 --html >/dev/null"
row "ccc-case" "sitrep of a case of $N links" "$SECS" "$N" "$RSS_KB" "$floor"
