#!/bin/sh
# ccc-triage: 1M messages through the default rules (assessed, stored, queued,
# journaled and signed), against `jq -c .` over the same messages (the floor
# the speed goal is set against), with `jq -c` running an equivalent filter
# (tests/bench/triage.jq) beside it (DESIGN.md section 9).
# BENCH_N changes the count.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state" CCC_STORE="$dir/bench.db"

awk -v n="$N" -f "$(dirname "$0")/gen-messages.awk" >"$dir/in.ndjson"
"$BIN/ccc-store" init -q --site lyon
"$BIN/ccc-intake" -q "$dir/in.ndjson" >"$dir/messages.ndjson"

# The floor is `jq -c .` over the same file (parse and print); jq running an
# equivalent filter (triage.jq) is shown beside it.
measure "jq -c ." sh -c "jq -c . '$dir/messages.ndjson' >/dev/null"
floor=$SECS floor_rss=$RSS_KB
measure "jq -c" sh -c "jq -c -f '$(dirname "$0")/triage.jq' '$dir/messages.ndjson' >/dev/null"
jq_rules=$SECS jq_rules_rss=$RSS_KB
measure ccc-triage sh -c "'$BIN/ccc-triage' -q '$dir/messages.ndjson' >/dev/null"
header
row "jq -c ." "$N messages, parse and print" "$floor" "$N" "$floor_rss" "$floor"
row "jq -c" "$N messages, triage.jq" "$jq_rules" "$N" "$jq_rules_rss" "$floor"
row ccc-triage "$N messages triaged, stored, queued" "$SECS" "$N" "$RSS_KB" "$floor"
summary "triage, $N stored messages" "$(rate "$N" "$SECS")" "jq -c . $(rate "$N" "$floor")" \
	"$(ratio "$SECS" "$floor")" "<= 1.0x"
queued=$(sqlite3 "$CCC_STORE" 'SELECT count(*) FROM queue')
[ "$queued" -eq "$N" ] || { echo "bench: queued $queued of $N" >&2; exit 1; }

# A flood about one entity: N/10 messages (at most 20,000) that all name one
# passport, received within seconds, so each joins the group of the first.
# What a message costs must not grow with the messages before it (it did:
# every earlier one was read and sorted, and 4,000 took 16.7 s). Its own
# store and site state; the floor is `jq -c .` over the same messages.
H=$((N / 10))
[ "$H" -le 20000 ] || H=20000
[ "$H" -ge 100 ] || H=100
awk -v n="$H" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "{\"source\":\"ncb:fr\",\"external_id\":\"flood-%d\",\"origin_country\":\"FR\",\"subject\":\"report %d\",\"body\":\"the caller travels on passport no. 19AB45872\"}\n", i, i
}' >"$dir/flood-in.ndjson"
export XDG_CONFIG_HOME="$dir/cfg-flood" XDG_STATE_HOME="$dir/state-flood" CCC_STORE="$dir/flood.db"
"$BIN/ccc-store" init -q --site lyon
"$BIN/ccc-intake" -q "$dir/flood-in.ndjson" >"$dir/flood.ndjson"
# against_jq FILE COUNT FLOOR_WORK WORK SUMMARY: triage of the COUNT stored
# messages of FILE against `jq -c .` over them, two rows and a summary.
against_jq() {
	measure "jq -c ." sh -c "jq -c . '$1' >/dev/null"
	_floor=$SECS _floor_rss=$RSS_KB
	measure ccc-triage sh -c "'$BIN/ccc-triage' -q '$1' >/dev/null"
	row "jq -c ." "$3" "$_floor" "$2" "$_floor_rss" "$_floor"
	row ccc-triage "$4" "$SECS" "$2" "$RSS_KB" "$_floor"
	summary "$5" "$(rate "$2" "$SECS")" "jq -c . $(rate "$2" "$_floor")" \
		"$(ratio "$SECS" "$_floor")" "<= 1.0x"
}
against_jq "$dir/flood.ndjson" "$H" "$H messages naming one passport" \
	"$H naming one passport, one group" "triage, $H messages naming one passport"
grouped=$(sqlite3 "$CCC_STORE" "SELECT count(*) FROM queue_groups WHERE leader = 1")
[ "$grouped" -eq $((H - 1)) ] || { echo "bench: $grouped of $((H - 1)) grouped into the first" >&2; exit 1; }

# A room's open incidents: H messages each naming a passport of its own,
# and 100 open incidents, each linking two earlier messages that name the
# passports of two of the first 200; those 200 join their incidents. Each
# message is matched against the keys it names, not against every link of
# every open incident (it was: 100 of them took 20,000 messages from 0.7 s
# to 7 s). Its own store; the floor is `jq -c .` over the same messages.
gen_passports() { # PREFIX COUNT
	awk -v p="$1" -v n="$2" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "{\"source\":\"ncb:fr\",\"external_id\":\"%s-%d\",\"origin_country\":\"FR\",\"subject\":\"report %d\",\"body\":\"the caller travels on passport no. %02dAB%05d\"}\n", p, i, i, int(i / 100000), i % 100000
	}'
}
export XDG_CONFIG_HOME="$dir/cfg-inc" XDG_STATE_HOME="$dir/state-inc" CCC_STORE="$dir/inc.db"
"$BIN/ccc-store" init -q --site lyon
gen_passports earlier 200 | "$BIN/ccc-intake" -q >/dev/null
i=0
while [ "$i" -lt 100 ]; do
	c=$("$BIN/ccc-case" open --kind incident --title "incident $i" --format ndjson | jq -r .id)
	"$BIN/ccc-case" -q link "$c" "msg-lyon-$((2 * i + 1))" "msg-lyon-$((2 * i + 2))" >/dev/null
	i=$((i + 1))
done
gen_passports inc "$H" | "$BIN/ccc-intake" -q >"$dir/inc.ndjson"
against_jq "$dir/inc.ndjson" "$H" "$H messages naming a passport each" \
	"$H of them, 100 open incidents" "triage, $H messages, 100 open incidents"
linked=$(sqlite3 "$CCC_STORE" "SELECT count(*) FROM case_links")
[ "$linked" -eq 400 ] || { echo "bench: $linked links, not 400 (200 messages joined their incidents)" >&2; exit 1; }
