#!/bin/sh
# ccc-duty: pages for 2,000 queue items, each through its three committed
# steps (sending, the command, sent) under the page lock, against the same
# commands run by a shell loop with no record at all (DESIGN.md section 9);
# and the proof of cover of ten years of minutes. BENCH_DUTY_N changes the
# count of items.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
N=${BENCH_DUTY_N:-2000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state" CCC_STORE="$dir/bench.db"
export CCC_NOW=2027-03-10T10:00:00Z

awk -v n="$N" -f "$(dirname "$0")/gen-messages.awk" >"$dir/in.ndjson"
"$BIN/ccc-store" init -q --site lyon
"$BIN/ccc-duty" -q plan load "$(dirname "$0")/../../examples/duty-plan.ndjson"
"$BIN/ccc-duty" -q policy add p4 --step 0m:duty
"$BIN/ccc-intake" -q "$dir/in.ndjson" | "$BIN/ccc-triage" -q >/dev/null
items=$(sqlite3 "$CCC_STORE" "SELECT count(*) FROM queue WHERE status = 'open'")
measure "shell loop" sh -c "i=0; while [ \$i -lt $items ]; do echo page | sh -c 'cat >/dev/null'; i=\$((i + 1)); done"
floor=$SECS floor_rss=$RSS_KB
measure ccc-duty "$BIN/ccc-duty" -q page --notify 'cat >/dev/null'
page=$SECS page_rss=$RSS_KB
measure ccc-duty sh -c "'$BIN/ccc-duty' coverage --from 2027-01-01 --to 2036-12-31 --format ndjson >/dev/null"
header
row "shell loop" "$items commands run (the floor)" "$floor" "$items" "$floor_rss" "$floor"
row ccc-duty "$items pages, each recorded before and after" "$page" "$items" "$page_rss" "$floor"
row ccc-duty "coverage: 10 years of minutes (no floor)" "$SECS" 5260320 "$RSS_KB" "$SECS"
sent=$(sqlite3 "$CCC_STORE" "SELECT count(*) FROM duty_pages WHERE status = 'sent'")
[ "$sent" -eq "$items" ] || { echo "bench: sent $sent of $items" >&2; exit 1; }
