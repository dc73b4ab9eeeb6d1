#!/bin/sh
# ccc-deploy: plan a team from a generated roster of 300 staff (skills,
# languages, trainings, passports, absences drawn with a fixed seed), exactly,
# against the goal of DESIGN.md and issue 6: under one second. Two requests:
# one a team of 8 can cover completely, one it cannot (the search must prove
# that no team of 6 covers more), and a stress case far beyond a real IRT
# (31 members wanted over 9 skills, 10 languages, 4 official ones, at most
# 12 members: proving 11 the fewest takes about a million steps).
# BENCH_STAFF changes the roster's size.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state" CCC_STORE="$dir/bench.db" CCC_NOW=2026-11-20T09:00:00Z
staff=${BENCH_STAFF:-300}

awk -v n="$staff" 'BEGIN {
	srand(42)
	split("disaster_victim_identification forensics counter_terrorism fugitive_investigation cybercrime database_support firearms crisis_management liaison", skills, " ")
	split("fr en es ar pt de it ru zh ms", langs, " ")
	split("A2 B1 B2 C1 C2 native", levels, " ")
	split("lyon buenos-aires singapore", sites, " ")
	for (i = 1; i <= n; i++) {
		sk = ""
		for (k = 1; k <= 9; k++)
			if (rand() < 0.18)
				sk = sk (sk == "" ? "" : ",") "\"" skills[k] "\""
		if (rand() < 0.12)
			sk = sk (sk == "" ? "" : ",") "\"team_lead\""
		la = ""
		for (k = 1; k <= 10; k++)
			if (rand() < (k <= 4 ? 0.35 : 0.08))
				la = la (la == "" ? "" : ",") sprintf("{\"lang\":\"%s\",\"level\":\"%s\"}", langs[k], levels[int(rand() * 6) + 1])
		irt = sprintf("%d-%02d-28", 2026 + int(rand() * 2), int(rand() * 12) + 1)
		pp = sprintf("%d-%02d-01", 2026 + int(rand() * 6), int(rand() * 12) + 1)
		away = ""
		if (rand() < 0.15) {
			d = int(rand() * 28) + 1
			away = sprintf(",\"unavailable\":[{\"from\":\"2026-12-%02d\",\"to\":\"2026-12-%02d\",\"reason\":\"leave\"}]", d, d + 3 > 31 ? 31 : d + 3)
		}
		printf "{\"type\":\"staff\",\"v\":1,\"id\":\"s-%04d\",\"name\":\"Staff %d\",\"site\":\"%s\",\"skills\":[%s],\"languages\":[%s],\"trainings\":[{\"course\":\"irt_readiness\",\"expires\":\"%s\"}],\"passport_expires\":\"%s\"%s}\n", i, i, sites[int(rand() * 3) + 1], sk, la, irt, pp, away
	}
}' >"$dir/roster.ndjson"
"$BIN/ccc-store" init -q --site lyon
"$BIN/ccc-deploy" -q staff import "$dir/roster.ndjson" >/dev/null


goal=1
# the quick requests are run 20 times (the timer counts hundredths)
measure "plan, complete" sh -c "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do '$BIN/ccc-deploy' plan --kind irt --for INC-BENCH --country MA \
	--from 2026-12-01 --to 2026-12-10 --size 8 --lang fr,en,es \
	--need disaster_victim_identification=3,forensics=2,cybercrime=1,counter_terrorism=1,liaison=1 \
	>'$dir/plan1.json'; done"
s1=$(awk -v s="$SECS" 'BEGIN { print s / 20 }') r1=$RSS_KB
measure "plan, partial" sh -c "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do '$BIN/ccc-deploy' plan --kind irt --for INC-BENCH --country SG \
	--from 2026-12-01 --to 2026-12-10 --size 6 --lang fr,en,es,ar,pt,de,it,ru \
	--need disaster_victim_identification=4,forensics=3,cybercrime=2,counter_terrorism=2,liaison=2,firearms=2,database_support=2 \
	>'$dir/plan2.json'; done"
s2=$(awk -v s="$SECS" 'BEGIN { print s / 20 }') r2=$RSS_KB
measure "plan, stress" sh -c "'$BIN/ccc-deploy' plan --kind irt --for INC-BENCH --country CH \
	--from 2026-12-01 --to 2026-12-10 --size 12 --lang fr,en,es,ar,pt,de,it,ru,zh,ms \
	--need disaster_victim_identification=5,forensics=4,cybercrime=3,counter_terrorism=3,liaison=3,firearms=3,database_support=3,crisis_management=2,fugitive_investigation=2 \
	>'$dir/plan3.json'"
s3=$SECS r3=$RSS_KB
header
row ccc-deploy "$staff staff, IRT of <=8, full cover (goal 1 s)" "$s1" "$staff" "$r1" "$goal"
row ccc-deploy "$staff staff, IRT of <=6, cover proved best" "$s2" "$staff" "$r2" "$goal"
row ccc-deploy "$staff staff, <=12 for 31 needs + 10 languages" "$s3" "$staff" "$r3" "$goal"
for f in plan1 plan2 plan3; do
	jq -r --arg f "$f" '"\($f): \(.members | length) members, complete \(.complete), \(.unmet | length) unmet, search \(.search | tostring)"' "$dir/$f.json" >&2
	jq -e '.search.optimal' "$dir/$f.json" >/dev/null || { echo "bench: $f: the search did not finish" >&2; exit 1; }
done
