#!/bin/sh
# Namesakes: name checks with a date of birth among persons whose every
# given name and surname is common, so that every key of a name, and every
# pair of its tokens, names more persons than a check takes (150 entries):
# the date of birth is what tells its person from the others. Three
# populations, each its own store (the counts at BENCH_NAMESAKES 1):
#   tune  100,000 persons of two given names and a surname (28 and 30 of
#         them), 1,000 checks of the name reversed: the set the year keys
#         and their ranking were tuned on (ccc-check(1), Persons)
#   eval  150,000 persons of two given names and two surnames (40 and 40
#         others), written once, before it was run, and looked at while the
#         ranking was settled: 500 checks of the name reversed, 500 of the
#         first given name and the first surname alone, 300 of the two
#         surnames and the first given name with a year of birth one off
#   holdout  120,000 persons of a surname, a middle name and a given name
#         (24, 16 and 30 of them, Vietnamese and Chinese as Latin lists
#         spell them, many of two or three letters), written with the
#         others and run only once the rest was settled: 300 checks of the
#         name as written, 300 of the surname and given name alone, 300 of
#         the name reversed
# Each row: how many checks had their own person among the hits, and first.
# BENCH_NAMESAKES scales the populations (a fraction: 0.1 is a tenth).
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
scale=${BENCH_NAMESAKES:-1}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# people NAME SEED COUNT PREFIX COUNTRY FIRST SPAN LIST...: COUNT persons
# (scaled) into $dir/NAME.ndjson, ids PREFIX and a number, each name a token
# of each LIST in turn (words), born in the SPAN years from FIRST
people() {
	_name=$1 _seed=$2 _n=$(awk -v n="$3" -v s="$scale" 'BEGIN { printf "%d", n * s }')
	_prefix=$4 _cc=$5 _first=$6 _span=$7
	shift 7
	_lists=$(printf '%s;' "$@")
	awk -v seed="$_seed" -v n="$_n" -v p="$_prefix" -v cc="$_cc" -v first="$_first" \
		-v span="$_span" -v lists="$_lists" 'BEGIN {
		srand(seed)
		nl = split(lists, l, ";") - 1
		for (k = 1; k <= nl; k++) {
			nw[k] = split(l[k], t, " ")
			for (j = 1; j <= nw[k]; j++)
				w[k, j] = t[j]
		}
		for (i = 1; i <= n; i++) {
			name = ""
			for (k = 1; k <= nl; k++)
				name = name (k > 1 ? " " : "") w[k, int(rand() * nw[k]) + 1]
			printf "{\"id\":\"%s%07d\",\"name\":\"%s\",\"dob\":\"%d-%02d-%02d\",\"nationalities\":[\"%s\"]}\n", p, i, name, first + int(rand() * span), int(rand() * 12) + 1, int(rand() * 28) + 1, cc
		}
	}' >"$dir/$_name.ndjson"
}

# ask NAME QUERIES MOD REM NAME_FILTER [DOB_FILTER]: the persons of
# $dir/NAME.ndjson whose line number is REM modulo MOD, as checks by the name
# and date of birth the jq filters make of theirs, into $dir/QUERIES.ndjson
ask() {
	awk -v m="$3" -v r="$4" 'NR % m == r' "$dir/$1.ndjson" |
		jq -c "{type: \"query\", id: .id, name: (.name | $5), dob: (.dob | ${6:-.})}" >"$dir/$2.ndjson"
}

# population NAME: a store of $dir/NAME.ndjson at $dir/NAME.db
population() {
	export XDG_CONFIG_HOME="$dir/$1-cfg" XDG_STATE_HOME="$dir/$1-state" CCC_STORE="$dir/$1.db"
	"$BIN/ccc-store" init -q --site bench
	"$BIN/ccc-check" load -q --db persons --owner FR "$dir/$1.ndjson"
}

# found LABEL QUERIES: one row, and a summary line
found() {
	measure ccc-check sh -c "'$BIN/ccc-check' --ncb FR '$dir/$2.ndjson' >'$dir/out.ndjson'"
	read -r _n _in _first <<-EOT
	$(jq -s -r '
		length as $n |
		(map(select(.id as $id | .checks[0].hits | map(.id) | index($id))) | length) as $in |
		(map(select(.id == .checks[0].hits[0].id)) | length) as $first |
		"\($n) \($in) \($first)"' "$dir/out.ndjson")
	EOT
	echo "$1: $_n checks; own person among the hits $_in, first $_first;" \
		"$(awk -v s="$SECS" -v n="$_n" 'BEGIN { printf "%.0f", s / n * 1e6 }') us/check"
	summary "namesakes, $1" "$_in of $_n found" "-" "-" "$_n of $_n"
}

reversed='split(" ") | reverse | join(" ")'
people tune 7 100000 P FR 1940 60 \
	"Mohamed Ahmed Ali Omar Youssef Ibrahim Hassan Khaled Karim Tarek Jean Pierre Marie Luc Anne Sophie Carlos Maria Jose Juan Ana Lucia Vladimir Sergei Olga Ivan Natalia Dmitri" \
	"Mohamed Ahmed Ali Omar Youssef Ibrahim Hassan Khaled Karim Tarek Jean Pierre Marie Luc Anne Sophie Carlos Maria Jose Juan Ana Lucia Vladimir Sergei Olga Ivan Natalia Dmitri" \
	"Hassan Haddad Khoury Mansour Nasser Saleh Rahman Aziz Dupont Martin Bernard Durand Moreau Garcia Lopez Martinez Sanchez Perez Gomez Petrov Ivanov Smirnov Popov Volkov Sokolov Lebedev Kozlov Novak Kovac"
ask tune tune-q 100 41 "$reversed"

given="Fatima Aisha Khadija Maryam Zainab Yusuf Bilal Hamza Tariq Samir Nadia Leila Rania Hana Omar Karim Ali Hassan Ahmed Mustafa Elena Irina Svetlana Tatiana Pavel Andrei Nikolai Mikhail Alexei Oksana Pablo Diego Javier Miguel Carmen Rosa Isabel Pilar Luis Jorge"
surnames="Rodriguez Fernandez Gonzalez Hernandez Diaz Moreno Alvarez Romero Navarro Torres Ruiz Ramirez Flores Castro Ortiz Morales Kuznetsov Vasiliev Pavlov Semenov Golubev Vinogradov Bogdanov Fedorov Mikhailov Belov Tarasov Abdullah Mahmoud Khalil Ibrahim Youssef Hamdan Saeed Farouk Qasim Jaber Osman Karimi Haidari"
people eval 2026 150000 E ES 1945 60 "$given" "$given" "$surnames" "$surnames"
ask eval eval-full 300 17 "$reversed"
ask eval eval-partial 300 117 'split(" ") | [.[0], .[2]] | join(" ")'
ask eval eval-yearoff 500 233 'split(" ") | [.[2], .[3], .[0]] | join(" ")' \
	'(.[0:4] | tonumber + 1 | tostring) + .[4:]'

people holdout 1303 120000 H VN 1950 55 \
	"Nguyen Tran Le Pham Hoang Phan Vu Dang Bui Do Ho Ngo Duong Ly Wang Li Zhang Liu Chen Yang Zhao Huang Zhou Wu" \
	"Van Thi Minh Duc Quang Huu Ngoc Xuan Thanh Kim Jian Xiao Ming Hong Yu Zhi" \
	"Anh Binh Cuong Dung Hai Hung Lan Linh Mai Nam Phuong Son Tam Trung Tuan Wei Jing Hui Yan Ling Fang Lei Jun Tao Bo Na Qiang Xin Hao Long"
ask holdout holdout-asis 400 11 '.'
ask holdout holdout-short 400 211 'split(" ") | [.[0], .[2]] | join(" ")'
ask holdout holdout-reversed 400 311 "$reversed"

population tune
found "tune, names reversed" tune-q
population eval
found "eval, names reversed" eval-full
found "eval, first given name and surname" eval-partial
found "eval, surnames and given name, year one off" eval-yearoff
population holdout
found "holdout, names as written" holdout-asis
found "holdout, surname and given name" holdout-short
found "holdout, names reversed" holdout-reversed
