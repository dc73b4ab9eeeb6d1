#!/bin/sh
# Capacity: how the store grows with the reference databases, for the
# capacity note of ccc(7) (CAPACITY). Not part of `make bench`: a run at the
# default sizes takes about 40 minutes and some 10 GB of disk. Run it
# with `make bench-capacity`, or `sh tests/bench/capacity.sh`.
#
# For each size in CAPACITY_DOCS (1000000 10000000) documents, and then in
# CAPACITY_PERSONS (1000000) persons, a fresh store is made and the
# generated records loaded into it with `ccc-check load`; then
# CAPACITY_QUERIES (100000) document checks in filter mode, or
# CAPACITY_NAMES (2000) name checks (scored), each logged to the
# consultation log as an officer's would be. Measured for each size: the
# store's file size and bytes a record, the load's rate and peak RSS, the
# checks' rate and peak RSS, the bytes a logged check adds, how long
# `ccc-store verify` takes (it replays the whole journal), and the volume
# of the journal a standby has to fetch after the load (`ccc-failover
# export`, the first shipping of the load).
#
# The first size of documents is loaded once more, with --days 0: no
# re-screening after the load, which keeps the keys of every record it
# adds in memory until the load ends (CAPACITY_NOWATCH= for none). After
# each load, the four largest tables and indexes (SQLite's dbstat) are
# printed: where the bytes go.
#
# A quick run: CAPACITY_DOCS=100000 CAPACITY_PERSONS=20000 sh tests/bench/capacity.sh
# The stores are made under CAPACITY_DIR (default a new folder in $TMPDIR),
# one at a time, and each removed before the next.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
DOCS=${CAPACITY_DOCS:-1000000 10000000}
PERSONS=${CAPACITY_PERSONS:-1000000}
QUERIES=${CAPACITY_QUERIES:-100000}
NAMES=${CAPACITY_NAMES:-2000}
dir=$(mktemp -d "${CAPACITY_DIR:-${TMPDIR:-/tmp}}/capacity.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state" CCC_STORE="$dir/cap.db"
rows=$dir/rows
: >"$dir/space"

fresh() {
	rm -rf "$dir/cap.db" "$dir/cap.db-wal" "$dir/cap.db-shm" "$dir/cfg" "$dir/state"
	"$BIN/ccc-store" init -q --site lyon
}
size() { # the store's bytes, with its WAL if one was left
	cat "$CCC_STORE" "$CCC_STORE-wal" 2>/dev/null | wc -c
}
space() { # KIND N: the largest tables and indexes
	sqlite3 -readonly "$CCC_STORE" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 4" |
		awk -F '|' -v k="$1" -v n="$2" '{ s = s sprintf("%s%s %.0f MB", (NR > 1 ? ", " : ""), $1, $2 / 1e6) }
			END { printf "%s at %d: %s\n", k, n, s }' >>"$dir/space"
}

# measured KIND N: the rest of one size's measurements, once the load is in
# LOAD_SECS and LOAD_RSS and the store's size after it in STORE_BYTES.
measured() {
	echo "capacity: $1 at $2: verify, export, checks" >&2
	measure "verify" sh -c "'$BIN/ccc-store' verify >/dev/null"
	verify_secs=$SECS verify_rss=$RSS_KB
	measure "export" sh -c "'$BIN/ccc-failover' export | wc -c >'$dir/shipped'"
	ship_secs=$SECS shipped=$(cat "$dir/shipped")
	before=$(size)
	measure "checks" sh -c "'$BIN/ccc-check' --ncb FR '$dir/q.ndjson' >'$dir/q.out'"
	check_secs=$SECS check_rss=$RSS_KB
	checks=$(wc -l <"$dir/q.ndjson")
	per_check=$((($(size) - before) / checks))
	found=$(jq -s '[.[] | select(.checks[0].hits | length > 0)] | length' "$dir/q.out")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$STORE_BYTES" \
		"$LOAD_SECS" "$LOAD_RSS" "$checks" "$check_secs" "$check_rss" "$per_check" \
		"$verify_secs" "$verify_rss" "$shipped" "$ship_secs" "$found" >>"$rows"
	rm -f "$dir/q.ndjson" "$dir/q.out"
}

# Documents: a number of two letters and seven digits (of eight when
# needed), an issuing country among ten, a type among four, one in four
# stolen.
for n in $DOCS; do
	fresh
	awk -v n="$n" 'BEGIN {
		split("FR ES DE IT EG AR SG US BR MA", cc, " ")
		split("passport id-card residence-permit visa", ty, " ")
		for (i = 1; i <= n; i++)
			printf "{\"number\":\"%c%c%07d\",\"country\":\"%s\",\"status\":\"%s\",\"type\":\"%s\"}\n",
				65 + i % 26, 65 + int(i / 26) % 26, i, cc[i % 10 + 1], (i % 4 ? "lost" : "stolen"), ty[i % 4 + 1]
	}' >"$dir/in.ndjson"
	echo "capacity: loading $n documents" >&2
	measure "load $n documents" "$BIN/ccc-check" load -q --db documents --owner FR "$dir/in.ndjson"
	LOAD_SECS=$SECS LOAD_RSS=$RSS_KB STORE_BYTES=$(size)
	space documents "$n"
	if [ "$n" = "${CAPACITY_NOWATCH-${DOCS%% *}}" ]; then
		fresh
		echo "capacity: loading $n documents with --days 0" >&2
		measure "load $n documents" "$BIN/ccc-check" load -q --days 0 --db documents --owner FR "$dir/in.ndjson"
		nowatch="documents at $n, loaded with --days 0: $SECS s, peak RSS $((RSS_KB / 1024)) MB"
		fresh
		measure "load $n documents" "$BIN/ccc-check" load -q --db documents --owner FR "$dir/in.ndjson"
		LOAD_SECS=$SECS LOAD_RSS=$RSS_KB STORE_BYTES=$(size)
	fi
	rm -f "$dir/in.ndjson"
	# Queries: half hits, half misses (numbers of eight digits and ZZ,
	# never issued), in random order.
	awk -v q="$QUERIES" -v n="$n" 'BEGIN {
		srand(7); split("FR ES DE IT EG AR SG US BR MA", cc, " ")
		for (i = 1; i <= q; i++) {
			k = int(rand() * n) + 1
			num = (i % 2) ? sprintf("%c%c%07d", 65 + k % 26, 65 + int(k / 26) % 26, k) : sprintf("ZZ%08d", k)
			printf "{\"type\":\"query\",\"id\":\"q%d\",\"doc\":\"%s\",\"country\":\"%s\"}\n", i, num, cc[k % 10 + 1]
		}
	}' >"$dir/q.ndjson"
	measured documents "$n"
done

# Persons: two given names and a family name, in Latin, Arabic or Cyrillic
# script (one in three each), a date of birth and a nationality; the
# queries are names of stored persons, tokens in another order.
for n in $PERSONS; do
	fresh
	awk -v n="$n" 'BEGIN {
		srand(11)
		nf[1] = split("Mohamed Ahmed Ali Omar Youssef Ibrahim Hassan Khaled Karim Tarek Jean Pierre Marie Luc Anne Sophie Carlos Maria Jose Juan Ana Lucia Vladimir Sergei Olga Ivan Natalia Dmitri", f1, " ")
		nl[1] = split("Hassan Haddad Khoury Mansour Nasser Saleh Rahman Aziz Dupont Martin Bernard Durand Moreau Garcia Lopez Martinez Sanchez Perez Gomez Petrov Ivanov Smirnov Popov Volkov Sokolov Lebedev Kozlov Novak Kovac", l1, " ")
		nf[2] = split("محمد أحمد علي عمر يوسف إبراهيم حسن خالد كريم طارق مصطفى سعيد", f2, " ")
		nl[2] = split("حسن حداد خوري منصور ناصر صالح الرحمن عزيز العلي الشامي", l2, " ")
		nf[3] = split("Владимир Сергей Ольга Иван Наталья Дмитрий Андрей Елена Михаил Татьяна", f3, " ")
		nl[3] = split("Петров Иванов Смирнов Попов Волков Соколов Лебедев Козлов Новиков Морозов", l3, " ")
		nat[1] = "FR"; nat[2] = "EG"; nat[3] = "RU"
		for (i = 1; i <= n; i++) {
			s = i % 3 + 1
			if (s == 1) name = f1[int(rand() * nf[1]) + 1] " " f1[int(rand() * nf[1]) + 1] " " l1[int(rand() * nl[1]) + 1]
			else if (s == 2) name = f2[int(rand() * nf[2]) + 1] " " f2[int(rand() * nf[2]) + 1] " " l2[int(rand() * nl[2]) + 1]
			else name = f3[int(rand() * nf[3]) + 1] " " f3[int(rand() * nf[3]) + 1] " " l3[int(rand() * nl[3]) + 1]
			# A suffix of three letters makes names rarer, as real lists are.
			name = name "-" sprintf("%c%c%c", 97 + int(rand() * 26), 97 + int(rand() * 26), 97 + int(rand() * 26))
			printf "{\"id\":\"P%08d\",\"name\":\"%s\",\"dob\":\"%d-%02d-%02d\",\"nationalities\":[\"%s\"]}\n",
				i, name, 1940 + i % 60, i % 12 + 1, i % 28 + 1, nat[s]
		}
	}' >"$dir/in.ndjson"
	echo "capacity: loading $n persons" >&2
	measure "load $n persons" "$BIN/ccc-check" load -q --db persons --owner FR "$dir/in.ndjson"
	LOAD_SECS=$SECS LOAD_RSS=$RSS_KB STORE_BYTES=$(size)
	space persons "$n"
	shuf -n "$NAMES" --random-source="$dir/in.ndjson" "$dir/in.ndjson" |
		jq -c '{type: "query", id: .id, name: (.name | split(" ") | reverse | join(" ")), dob: .dob}' >"$dir/q.ndjson"
	rm -f "$dir/in.ndjson"
	measured persons "$n"
done

printf '%-9s %10s %9s %7s %9s %8s %9s %8s %7s %8s %8s %9s %8s\n' kind records 'store MB' 'B/rec' \
	'load s' 'load/s' 'load RSS' 'checks/s' 'chk RSS' 'B/check' 'verify s' 'verify RSS' 'ship MB'
awk -F '\t' '{
	printf "%-9s %10d %9.0f %7.0f %9.1f %8.0f %6.0f MB %8.0f %4.0f MB %8d %8.1f %7.0f MB %8.0f\n",
		$1, $2, $3 / 1e6, $3 / $2, $4, $2 / $4, $5 / 1024, $6 / $7, $8 / 1024, $9, $10, $11 / 1024, $12 / 1e6
}' "$rows"
cat "$dir/space"
[ -z "${nowatch:-}" ] || echo "$nowatch"
awk -F '\t' '{ printf "%s at %d: %d of %d checks found a record; export of the journal %.1f s\n", $1, $2, $14, $6, $13 }' "$rows"
