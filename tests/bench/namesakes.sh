#!/bin/sh
# Namesakes: name checks with a date of birth among persons whose every
# given name and surname is common, so that every key of a name, and every
# pair of its tokens, names more persons than a check takes (150 entries):
# the date of birth is what tells its person from the others. Two
# populations, each its own store:
#   tune  100,000 persons of two given names and a surname (28 and 30 of
#         them), 1,000 checks of the name reversed: the set the year keys
#         and their ranking were tuned on (ccc-check(1), Persons)
#   eval  150,000 persons of two given names and two surnames (40 and 40
#         others), written once, before it was run, and not tuned on:
#         500 checks of the name reversed, 500 of the first given name and
#         the first surname alone, 300 of the two surnames and the first
#         given name with a year of birth one off
#   holdout  120,000 persons of a surname, a middle name and a given name
#         (24, 16 and 30 of them, Vietnamese and Chinese as Latin lists
#         spell them, many of two or three letters), written with the
#         others and run only once the rest was settled: 300 checks of the
#         name as written, 300 of the surname and given name alone, 300 of
#         the name reversed
# Each row: how many checks had their own person among the hits, and first.
# BENCH_NAMESAKES scales both populations (a fraction: 0.1 is a tenth).
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
scale=${BENCH_NAMESAKES:-1}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# population NAME: a store of $dir/NAME.ndjson at $dir/NAME.db
population() {
	export XDG_CONFIG_HOME="$dir/$1-cfg" XDG_STATE_HOME="$dir/$1-state" CCC_STORE="$dir/$1.db"
	"$BIN/ccc-store" init -q --site bench
	"$BIN/ccc-check" load -q --db persons --owner FR "$dir/$1.ndjson"
}

# found LABEL QUERIES: one row, and a summary line
found() {
	measure ccc-check sh -c "'$BIN/ccc-check' --ncb FR '$2' >'$dir/out.ndjson'"
	jq -s -r --arg what "$1" --arg secs "$SECS" '
		length as $n |
		(map(select(.id as $id | .checks[0].hits | map(.id) | index($id))) | length) as $in |
		(map(select(.id == .checks[0].hits[0].id)) | length) as $first |
		"\($what): \($n) checks; own person among the hits \($in), first \($first); \($secs | tonumber / $n * 1e6 | round) us/check"' \
		"$dir/out.ndjson"
	n=$(wc -l <"$2")
	in=$(jq -s '[.[] | select(.id as $id | .checks[0].hits | map(.id) | index($id))] | length' "$dir/out.ndjson")
	summary "namesakes, $1" "$in of $n found" "-" "-" "$n of $n"
}

awk -v n="$(awk -v s="$scale" 'BEGIN { printf "%d", 100000 * s }')" 'BEGIN {
	srand(7)
	nf = split("Mohamed Ahmed Ali Omar Youssef Ibrahim Hassan Khaled Karim Tarek Jean Pierre Marie Luc Anne Sophie Carlos Maria Jose Juan Ana Lucia Vladimir Sergei Olga Ivan Natalia Dmitri", f, " ")
	nl = split("Hassan Haddad Khoury Mansour Nasser Saleh Rahman Aziz Dupont Martin Bernard Durand Moreau Garcia Lopez Martinez Sanchez Perez Gomez Petrov Ivanov Smirnov Popov Volkov Sokolov Lebedev Kozlov Novak Kovac", l, " ")
	for (i = 1; i <= n; i++) {
		name = f[int(rand() * nf) + 1] " " f[int(rand() * nf) + 1] " " l[int(rand() * nl) + 1]
		printf "{\"id\":\"P%07d\",\"name\":\"%s\",\"dob\":\"%d-%02d-%02d\",\"nationalities\":[\"FR\"]}\n", i, name, 1940 + int(rand() * 60), int(rand() * 12) + 1, int(rand() * 28) + 1
	}
}' >"$dir/tune.ndjson"
awk 'NR % 100 == 41' "$dir/tune.ndjson" |
	jq -c '{type: "query", id: .id, name: (.name | split(" ") | reverse | join(" ")), dob: .dob}' >"$dir/tune-q.ndjson"

awk -v n="$(awk -v s="$scale" 'BEGIN { printf "%d", 150000 * s }')" 'BEGIN {
	srand(2026)
	nf = split("Fatima Aisha Khadija Maryam Zainab Yusuf Bilal Hamza Tariq Samir Nadia Leila Rania Hana Omar Karim Ali Hassan Ahmed Mustafa Elena Irina Svetlana Tatiana Pavel Andrei Nikolai Mikhail Alexei Oksana Pablo Diego Javier Miguel Carmen Rosa Isabel Pilar Luis Jorge", f, " ")
	nl = split("Rodriguez Fernandez Gonzalez Hernandez Diaz Moreno Alvarez Romero Navarro Torres Ruiz Ramirez Flores Castro Ortiz Morales Kuznetsov Vasiliev Pavlov Semenov Golubev Vinogradov Bogdanov Fedorov Mikhailov Belov Tarasov Abdullah Mahmoud Khalil Ibrahim Youssef Hamdan Saeed Farouk Qasim Jaber Osman Karimi Haidari", l, " ")
	for (i = 1; i <= n; i++) {
		name = f[int(rand() * nf) + 1] " " f[int(rand() * nf) + 1] " " l[int(rand() * nl) + 1] " " l[int(rand() * nl) + 1]
		printf "{\"id\":\"E%07d\",\"name\":\"%s\",\"dob\":\"%d-%02d-%02d\",\"nationalities\":[\"ES\"]}\n", i, name, 1945 + int(rand() * 60), int(rand() * 12) + 1, int(rand() * 28) + 1
	}
}' >"$dir/eval.ndjson"
awk 'NR % 300 == 17' "$dir/eval.ndjson" |
	jq -c '{type: "query", id: .id, name: (.name | split(" ") | reverse | join(" ")), dob: .dob}' >"$dir/eval-full.ndjson"
awk 'NR % 300 == 117' "$dir/eval.ndjson" |
	jq -c '{type: "query", id: .id, name: (.name | split(" ") | [.[0], .[2]] | join(" ")), dob: .dob}' >"$dir/eval-partial.ndjson"
awk 'NR % 500 == 233' "$dir/eval.ndjson" |
	jq -c '{type: "query", id: .id, name: (.name | split(" ") | [.[2], .[3], .[0]] | join(" ")),
		dob: ((.dob[0:4] | tonumber + 1 | tostring) + .dob[4:])}' >"$dir/eval-yearoff.ndjson"

awk -v n="$(awk -v s="$scale" 'BEGIN { printf "%d", 120000 * s }')" 'BEGIN {
	srand(1303)
	nl = split("Nguyen Tran Le Pham Hoang Phan Vu Dang Bui Do Ho Ngo Duong Ly Wang Li Zhang Liu Chen Yang Zhao Huang Zhou Wu", l, " ")
	nm = split("Van Thi Minh Duc Quang Huu Ngoc Xuan Thanh Kim Jian Xiao Ming Hong Yu Zhi", m, " ")
	nf = split("Anh Binh Cuong Dung Hai Hung Lan Linh Mai Nam Phuong Son Tam Trung Tuan Wei Jing Hui Yan Ling Fang Lei Jun Tao Bo Na Qiang Xin Hao Long", f, " ")
	for (i = 1; i <= n; i++) {
		name = l[int(rand() * nl) + 1] " " m[int(rand() * nm) + 1] " " f[int(rand() * nf) + 1]
		printf "{\"id\":\"H%07d\",\"name\":\"%s\",\"dob\":\"%d-%02d-%02d\",\"nationalities\":[\"VN\"]}\n", i, name, 1950 + int(rand() * 55), int(rand() * 12) + 1, int(rand() * 28) + 1
	}
}' >"$dir/holdout.ndjson"
awk 'NR % 400 == 11' "$dir/holdout.ndjson" |
	jq -c '{type: "query", id: .id, name: .name, dob: .dob}' >"$dir/holdout-asis.ndjson"
awk 'NR % 400 == 211' "$dir/holdout.ndjson" |
	jq -c '{type: "query", id: .id, name: (.name | split(" ") | [.[0], .[2]] | join(" ")), dob: .dob}' >"$dir/holdout-short.ndjson"
awk 'NR % 400 == 311' "$dir/holdout.ndjson" |
	jq -c '{type: "query", id: .id, name: (.name | split(" ") | reverse | join(" ")), dob: .dob}' >"$dir/holdout-reversed.ndjson"

population tune
found "tune, 1,000 names reversed" "$dir/tune-q.ndjson"
population eval
found "eval, 500 names reversed" "$dir/eval-full.ndjson"
found "eval, 500 first given name and surname" "$dir/eval-partial.ndjson"
found "eval, 300 surnames and given name, year one off" "$dir/eval-yearoff.ndjson"
population holdout
found "holdout, 300 names as written" "$dir/holdout-asis.ndjson"
found "holdout, 300 surname and given name" "$dir/holdout-short.ndjson"
found "holdout, 300 names reversed" "$dir/holdout-reversed.ndjson"
