#!/bin/sh
# Re-screening (ccc-check load, rescreen.h): BENCH_N (100,000) stored
# messages, each naming a traveller in an MRZ, checked again after a new list
# of BENCH_PERSONS (10,000) persons is loaded, against the floor a user would
# otherwise reach for: checking the same entities one by one with ccc-check
# (a query record per traveller's name, date of birth and nationality, against
# the whole list). One message in 20 names a person of the list. The load is
# measured twice, on two stores made alike: without re-screening (--days 0)
# and with it; the difference is the re-screening. The one-by-one floor is
# measured on BENCH_FLOOR (BENCH_N / 10) of the names and scaled to BENCH_N.
# A quick run: BENCH_N=5000 BENCH_PERSONS=1000 sh tests/bench/rescreen.sh
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
N=${BENCH_N:-100000}
PERSONS=${BENCH_PERSONS:-10000}
FLOOR=${BENCH_FLOOR:-$((N / 10))}
[ "$FLOOR" -ge 1 ] || FLOOR=1
dir=$(mktemp -d)
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$dir"' EXIT

# name K: one person's given names, surname and date of birth, by number
names_awk='
function person(k,   a, b, h) {
	a = f[k % nf + 1]; b = f[int(k / nf) % nf + 1]
	h = (k * 7919 + 104729) % 1000003 # neighbours share no syllable
	SURNAME = sy[h % ns + 1] sy[int(h / ns) % ns + 1] sy[int(h / ns / ns) % ns + 1] \
		  sy[int(h / ns / ns / ns) % ns + 1]
	GIVEN = a " " b
	Y = 50 + k % 50; M = k % 12 + 1; D = k % 28 + 1
}
BEGIN {
	nf = split("MOHAMED AHMED ALI OMAR YOUSSEF IBRAHIM HASSAN KHALED KARIM TAREK JEAN PIERRE MARIE LUC ANNE SOPHIE CARLOS MARIA JOSE JUAN ANA LUCIA IVAN OLGA", f, " ")
	ns = split("BA KO RI MEN TAS LU DO FIR GAN HEL JU KAR LOM NED PUS QUI SOR TEV VAL ZEN WAB YOR XIM", sy, " ")
}'

# The messages: an MRZ each (TD3, check digits not computed: the entity
# extractor reports an MRZ with wrong digits all the same).
awk -v n="$N" -v p="$PERSONS" "$names_awk"'
END {
	for (i = 1; i <= n; i++) {
		k = (i % 20 == 0) ? int(i / 20) % p + 1 : p + i
		person(k)
		l1 = "P<FRA" SURNAME "<<" GIVEN; gsub(/ /, "<", l1)
		while (length(l1) < 44) l1 = l1 "<"
		l2 = sprintf("%09d0FRA%02d%02d%02d0M3001010<<<<<<<<<<<<<<00", i, Y, M, D)
		printf "{\"type\":\"message\",\"source\":\"bench\",\"external_id\":\"m%d\",\"origin_country\":\"FR\",\"subject\":\"traveller %d\",\"body\":\"MRZ:\\n%s\\n%s\\n\"}\n", i, i, l1, l2
	}
}' </dev/null >"$dir/messages.ndjson"
# The new list, and the same persons as queries (the one-by-one floor)
awk -v p="$PERSONS" "$names_awk"'
END {
	for (k = 1; k <= p; k++) {
		person(k)
		printf "{\"id\":\"L%06d\",\"name\":\"%s %s\",\"dob\":\"19%02d-%02d-%02d\",\"nationalities\":[\"FR\"]}\n", k, GIVEN, SURNAME, Y, M, D
	}
}' </dev/null >"$dir/persons.ndjson"
awk -v n="$N" -v p="$PERSONS" -v floor="$FLOOR" "$names_awk"'
END {
	for (i = 1; i <= floor; i++) {
		k = (i % 20 == 0) ? int(i / 20) % p + 1 : p + i
		person(k)
		printf "{\"type\":\"query\",\"id\":\"q%d\",\"name\":\"%s %s\",\"dob\":\"19%02d-%02d-%02d\",\"nationality\":\"FR\"}\n", i, GIVEN, SURNAME, Y, M, D
	}
}' </dev/null >"$dir/queries.ndjson"

# use NAME: the store of that name (two made alike: the messages taken in)
use() {
	export XDG_CONFIG_HOME="$dir/$1/cfg" XDG_STATE_HOME="$dir/$1/state" CCC_STORE="$dir/$1/bench.db"
	mkdir -p "$dir/$1"
}
use rescreen
"$BIN/ccc-store" init -q --site lyon
"$BIN/ccc-intake" -q "$dir/messages.ndjson" >/dev/null
use plain
"$BIN/ccc-store" init -q --site lyon
measure ccc-intake sh -c "'$BIN/ccc-intake' -q '$dir/messages.ndjson' >/dev/null"
intake_secs=$SECS intake_rss=$RSS_KB

measure "load (no re-screen)" sh -c "'$BIN/ccc-check' load -q --days 0 --db persons --owner FR '$dir/persons.ndjson'"
plain_secs=$SECS plain_rss=$RSS_KB
# the floor, on the store that has the list and no re-screening
measure "one by one" sh -c "'$BIN/ccc-check' --ncb FR '$dir/queries.ndjson' >/dev/null"
floor_few=$SECS floor_rss=$RSS_KB
floor=$(awk -v s="$floor_few" -v f="$FLOOR" -v n="$N" 'BEGIN { print s * n / f }')

use rescreen
measure "load and re-screen" sh -c "'$BIN/ccc-check' load -v --db persons --owner FR '$dir/persons.ndjson' 2>'$dir/rescreen.err'"
both_secs=$SECS both_rss=$RSS_KB
rescreen=$(awk -v a="$both_secs" -v b="$plain_secs" 'BEGIN { d = a - b; print (d > 0.01 ? d : 0.01) }')
hits=$(grep -c '^ccc-check: re-screen: msg-' "$dir/rescreen.err" || true)

header
row ccc-intake "store $N messages with an MRZ each" "$intake_secs" "$N" "$intake_rss" 0
row ccc-check "load $PERSONS persons, --days 0" "$plain_secs" "$PERSONS" "$plain_rss" 0
row ccc-check "load $PERSONS persons and re-screen" "$both_secs" "$PERSONS" "$both_rss" 0
row ccc-check "re-screen $N messages ($hits hits)" "$rescreen" "$N" "$both_rss" "$floor"
row ccc-check "$FLOOR names one by one (the floor)" "$floor_few" "$FLOOR" "$floor_rss" 0
awk -v f="$floor" -v r="$rescreen" -v n="$N" 'BEGIN {
	printf "one by one, scaled to %d names: %.1f s; re-screening is %.0f times faster\n", n, f, f / r
}'
