#!/bin/sh
# ccc-intake: 1M NDJSON messages (300-600 bytes) stored, journaled and signed,
# against `jq -c .` over the same file (DESIGN.md section 9). A second row
# takes in a tenth as many messages without an external_id, which are
# de-duplicated on a hash of their content (a random-order index key).
# BENCH_N changes the count.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state" CCC_STORE="$dir/bench.db"

awk -v n="$N" -f "$(dirname "$0")/gen-messages.awk" >"$dir/in.ndjson"
"$BIN/ccc-store" init -q --site lyon

measure "jq -c ." sh -c "jq -c . '$dir/in.ndjson' >/dev/null"
floor=$SECS floor_rss=$RSS_KB
measure ccc-intake sh -c "'$BIN/ccc-intake' -q '$dir/in.ndjson' >/dev/null"
header
row "jq -c ." "$N messages, parse and print" "$floor" "$N" "$floor_rss" "$floor"
row ccc-intake "$N messages stored, journaled, signed" "$SECS" "$N" "$RSS_KB" "$floor"
summary "intake, $N messages with external ids" "$(rate "$N" "$SECS")" "jq -c . $(rate "$N" "$floor")" \
	"$(ratio "$SECS" "$floor")" "<= 1.0x"
stored=$(sqlite3 "$CCC_STORE" 'SELECT count(*) FROM messages')
[ "$stored" -eq "$N" ] || { echo "bench: stored $stored of $N" >&2; exit 1; }

# Without external ids: de-duplicated on a content hash.
n2=$((N / 10))
head -n "$n2" "$dir/in.ndjson" | sed 's/"external_id":"[^"]*",//; s/"subject":"Case /"subject":"Note /' >"$dir/noid.ndjson"
measure "jq -c ." sh -c "jq -c . '$dir/noid.ndjson' >/dev/null"
floor=$SECS
measure ccc-intake sh -c "'$BIN/ccc-intake' -q '$dir/noid.ndjson' >/dev/null"
row ccc-intake "$n2 more, no external_id (content hash)" "$SECS" "$n2" "$RSS_KB" "$floor"
summary "intake, $n2 without external ids (content hash)" "$(rate "$n2" "$SECS")" \
	"jq -c . $(rate "$n2" "$floor")" "$(ratio "$SECS" "$floor")" "<= 1.2x"
