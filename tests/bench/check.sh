#!/bin/sh
# ccc-check: exact document checks against BENCH_DOCS (10M) generated documents,
# against the sqlite3 shell doing the same indexed lookups; name checks against
# BENCH_PERSONS (1M) generated persons, against a brute-force scan of the names
# (DESIGN.md section 9). BENCH_QUERIES (100k) document and BENCH_NAMES (2k) name
# queries; the brute-force floor is measured on BENCH_SCANS (2) of them. Each
# check run is made twice, at a tenth of the queries and at all of them: the
# peak RSS of the two shows that memory stays flat. The run of all the name
# queries is made BENCH_NAME_RUNS (5) times, and its row gives the median (a
# run on this kind of machine takes up to a third more or less than the next;
# each run logs its checks, so a later one finds the earlier ones as
# correlated checks, as an officer checking again would). Smaller sizes for a
# quick run: BENCH_DOCS=300000 BENCH_PERSONS=50000 sh tests/bench/check.sh
# Then BENCH_SCRIPT_PERSONS (100k; 0 leaves it out) persons named in Arabic
# and Cyrillic script, as the lists of the room name them, loaded into a store
# of their own and checked by the Latin spelling of BENCH_NAMES of them: the
# names the generated Latin persons never take through ICU.
# The documents are loaded a second time, unchanged: the reload should write
# nothing (no journal entry). The persons are loaded in steps, to the sizes
# of BENCH_PERSON_SIZES (50000 200000 BENCH_PERSONS; the last is always
# BENCH_PERSONS), each step's rate against SQLite inserting the same lines in
# one transaction.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
DOCS=${BENCH_DOCS:-10000000}
PERSONS=${BENCH_PERSONS:-1000000}
QUERIES=${BENCH_QUERIES:-100000}
NAMES=${BENCH_NAMES:-2000}
SCANS=${BENCH_SCANS:-2}
NAME_RUNS=${BENCH_NAME_RUNS:-5}
dir=$(mktemp -d)
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state" CCC_STORE="$dir/bench.db"
"$BIN/ccc-store" init -q --site lyon

# Documents: numbers AB0000001.., countries in turn, one in four stolen.
awk -v n="$DOCS" 'BEGIN {
	split("FR ES DE IT EG AR SG US BR MA", cc, " ")
	for (i = 1; i <= n; i++)
		printf "{\"number\":\"AB%08d\",\"country\":\"%s\",\"status\":\"%s\"}\n", i, cc[i % 10 + 1], (i % 4 ? "lost" : "stolen")
}' >"$dir/docs.ndjson"
measure "load documents" sh -c "'$BIN/ccc-check' load -q --db documents --owner FR '$dir/docs.ndjson'"
load_secs=$SECS load_rss=$RSS_KB
entries() { sqlite3 "$CCC_STORE" 'SELECT count(*) FROM journal'; }
before=$(entries)
measure "reload documents" sh -c "'$BIN/ccc-check' load -q --db documents --owner FR '$dir/docs.ndjson'"
reload_secs=$SECS reload_rss=$RSS_KB reload_entries=$(($(entries) - before))
rm -f "$dir/docs.ndjson"

# Queries: half hits, half misses, in random order.
awk -v n="$QUERIES" -v d="$DOCS" 'BEGIN {
	srand(7); split("FR ES DE IT EG AR SG US BR MA", cc, " ")
	for (i = 1; i <= n; i++) {
		k = int(rand() * d) + 1
		num = (i % 2) ? sprintf("AB%08d", k) : sprintf("ZZ%08d", k)
		printf "{\"type\":\"query\",\"id\":\"q%d\",\"doc\":\"%s\",\"country\":\"%s\"}\n", i, num, cc[k % 10 + 1]
	}
}' >"$dir/q.ndjson"
jq -r '"SELECT number, country, status, owner, allow, deny, record FROM documents WHERE number = \u0027" + .doc + "\u0027;"' "$dir/q.ndjson" >"$dir/q.sql"
measure "sqlite3" sh -c "sqlite3 '$CCC_STORE' <'$dir/q.sql' >/dev/null"
floor=$SECS floor_rss=$RSS_KB
few=$((QUERIES / 10))
head -n "$few" "$dir/q.ndjson" >"$dir/q-few.ndjson"
head -n "$few" "$dir/q.sql" >"$dir/q-few.sql"
measure "sqlite3" sh -c "sqlite3 '$CCC_STORE' <'$dir/q-few.sql' >/dev/null"
few_floor=$SECS
measure ccc-check sh -c "'$BIN/ccc-check' --ncb FR '$dir/q-few.ndjson' >/dev/null"
few_secs=$SECS few_rss=$RSS_KB
measure ccc-check sh -c "'$BIN/ccc-check' --ncb FR '$dir/q.ndjson' >/dev/null"
header
row "ccc-check" "load $DOCS documents (signed, journaled)" "$load_secs" "$DOCS" "$load_rss" 0
row "sqlite3" "$QUERIES indexed document lookups" "$floor" "$QUERIES" "$floor_rss" "$floor"
row ccc-check "$few document checks, logged" "$few_secs" "$few" "$few_rss" "$few_floor"
row ccc-check "reload them unchanged ($reload_entries journal entries)" "$reload_secs" "$DOCS" "$reload_rss" "$load_secs"
row ccc-check "$QUERIES document checks, logged" "$SECS" "$QUERIES" "$RSS_KB" "$floor"
summary "document checks in filter mode, $QUERIES against $DOCS" "$(rate "$QUERIES" "$SECS")" \
	"sqlite3 shell $(rate "$QUERIES" "$floor")" "$(ratio "$SECS" "$floor")" ">= 100000/s"
summary "reloading $DOCS documents, unchanged" "$reload_entries journal entries" \
	"first load $(rate "$DOCS" "$load_secs")" "$(ratio "$reload_secs" "$load_secs")" "0 entries, <= 0.3x"

# Persons: names from lists in Latin script (Arabic, French, Spanish and
# Russian names as Latin lists spell them).
awk -v n="$PERSONS" 'BEGIN {
	srand(11)
	nf = split("Mohamed Ahmed Ali Omar Youssef Ibrahim Hassan Khaled Karim Tarek Jean Pierre Marie Luc Anne Sophie Carlos Maria Jose Juan Ana Lucia Vladimir Sergei Olga Ivan Natalia Dmitri", f, " ")
	nl = split("Hassan Haddad Khoury Mansour Nasser Saleh Rahman Aziz Dupont Martin Bernard Durand Moreau Garcia Lopez Martinez Sanchez Perez Gomez Petrov Ivanov Smirnov Popov Volkov Sokolov Lebedev Kozlov Novak Kovac", l, " ")
	for (i = 1; i <= n; i++) {
		name = f[int(rand() * nf) + 1] " " f[int(rand() * nf) + 1] " " l[int(rand() * nl) + 1] "-" sprintf("%c%c%c", 97 + int(rand() * 26), 97 + int(rand() * 26), 97 + int(rand() * 26))
		printf "{\"id\":\"P%07d\",\"name\":\"%s\",\"dob\":\"%d-%02d-%02d\",\"nationalities\":[\"FR\"]}\n", i, name, 1940 + i % 60, i % 12 + 1, i % 28 + 1
	}
}' >"$dir/persons.ndjson"
# The floor: SQLite inserting the same lines, keyed by id, in one transaction.
awk 'BEGIN { print "CREATE TABLE t(id TEXT PRIMARY KEY, record TEXT) STRICT;"; print "BEGIN;" }
	{ id = $0; sub(/^\{"id":"/, "", id); sub(/".*/, "", id); gsub(/\047/, "\047\047")
	  printf "INSERT INTO t VALUES(\047%s\047, \047%s\047);\n", id, $0 }
	END { print "COMMIT;" }' "$dir/persons.ndjson" >"$dir/insert.sql"
measure "sqlite3 inserts" sh -c "sqlite3 '$dir/floor.db' <'$dir/insert.sql'"
insert_secs=$SECS
rm -f "$dir/insert.sql" "$dir/floor.db"
pload_secs=0 pload_rss=0 done_n=0
for size in ${BENCH_PERSON_SIZES:-50000 200000} "$PERSONS"; do
	if [ "$size" -le "$done_n" ] || [ "$size" -gt "$PERSONS" ]; then continue; fi
	sed -n "$((done_n + 1)),${size}p" "$dir/persons.ndjson" >"$dir/step.ndjson"
	measure "load persons" sh -c "'$BIN/ccc-check' load -q --db persons --owner FR '$dir/step.ndjson'"
	step=$((size - done_n))
	step_floor=$(awk -v s="$insert_secs" -v k="$step" -v n="$PERSONS" 'BEGIN { print s * k / n }')
	summary "loading persons, $done_n to $size" "$(rate "$step" "$SECS")" \
		"sqlite3 inserts $(rate "$PERSONS" "$insert_secs")" "$(ratio "$SECS" "$step_floor")" ">= 20000/s"
	pload_secs=$(awk -v a="$pload_secs" -v b="$SECS" 'BEGIN { print a + b }')
	[ "$RSS_KB" -le "$pload_rss" ] || pload_rss=$RSS_KB
	done_n=$size
done
rm -f "$dir/step.ndjson"
before=$(entries)
measure "reload persons" sh -c "'$BIN/ccc-check' load -q --db persons --owner FR '$dir/persons.ndjson'"
preload_secs=$SECS preload_rss=$RSS_KB preload_entries=$(($(entries) - before))
summary "reloading $PERSONS persons, unchanged" "$preload_entries journal entries" \
	"first load $(rate "$PERSONS" "$pload_secs")" "$(ratio "$preload_secs" "$pload_secs")" "0 entries, <= 0.3x"
shuf -n "$NAMES" --random-source="$dir/persons.ndjson" "$dir/persons.ndjson" |
	jq -c '{type: "query", id: .id, name: (.name | split(" ") | reverse | join(" ")), dob: .dob}' >"$dir/names.ndjson"
# The floor: a brute-force scan of every person's names for the query's last token.
head -n "$SCANS" "$dir/names.ndjson" | jq -r '"SELECT id FROM persons WHERE names LIKE \u0027%" + (.name | split(" ") | .[1] | ascii_downcase) + "%\u0027;"' >"$dir/scan.sql"
measure "sqlite3 scan" sh -c "sqlite3 '$CCC_STORE' <'$dir/scan.sql' >/dev/null"
scan_per=$(awk -v s="$SECS" -v n="$SCANS" 'BEGIN { print s / n }')
fewn=$((NAMES / 10))
head -n "$fewn" "$dir/names.ndjson" >"$dir/names-few.ndjson"
measure ccc-check sh -c "'$BIN/ccc-check' --ncb FR '$dir/names-few.ndjson' >/dev/null"
fewn_secs=$SECS fewn_rss=$RSS_KB
measure_runs "$NAME_RUNS" ccc-check sh -c "'$BIN/ccc-check' --ncb FR '$dir/names.ndjson' >'$dir/names.out'"
brute=$(awk -v p="$scan_per" -v n="$NAMES" 'BEGIN { print p * n }')
row "ccc-check" "load $PERSONS persons (names indexed)" "$pload_secs" "$PERSONS" "$pload_rss" 0
row ccc-check "reload them unchanged ($preload_entries journal entries)" "$preload_secs" "$PERSONS" "$preload_rss" "$pload_secs"
row "brute force" "$NAMES name scans ($SCANS measured)" "$brute" "$NAMES" 0 "$brute"
row ccc-check "$fewn name checks, scored, logged" "$fewn_secs" "$fewn" "$fewn_rss" "$(awk -v p="$scan_per" -v n="$fewn" 'BEGIN { print p * n }')"
row ccc-check "$NAMES name checks, scored, logged" "$SECS" "$NAMES" "$RSS_KB" "$brute"
found=$(jq -s '[.[] | select(.id as $id | .checks[0].hits | map(.id) | index($id))] | length' "$dir/names.out")
echo "name checks that found their own person: $found of $NAMES"
echo "$NAMES name checks, $NAME_RUNS runs: median $SECS s ($(rate "$NAMES" "$SECS")), fastest $SECS_MIN s ($(rate "$NAMES" "$SECS_MIN")), slowest $SECS_MAX s ($(rate "$NAMES" "$SECS_MAX"))"
summary "name checks at $PERSONS persons (found $found of $NAMES; median of $NAME_RUNS runs)" "$(rate "$NAMES" "$SECS")" \
	"brute-force scan $(rate "$NAMES" "$brute")" "$(ratio "$SECS" "$brute")" ">= 5000/s, $NAMES of $NAMES"

# Persons named in Arabic and Cyrillic script: the same given names and
# surnames in each script (the Latin, Cyrillic and Arabic lists below go
# word for word), a suffix of four syllables hyphenated onto the surname (as
# the Latin persons' three letters are), every other person in each
# script. The queries are the Latin spelling, surname first, with the date.
SCRIPT_PERSONS=${BENCH_SCRIPT_PERSONS:-100000}
[ "$SCRIPT_PERSONS" -gt 0 ] || exit 0
export CCC_STORE="$dir/scripts.db"
"$BIN/ccc-store" init -q --site lyon
awk -v n="$SCRIPT_PERSONS" -v q="$NAMES" 'BEGIN {
	srand(13)
	nf = split("Mohamed Ahmed Ali Omar Youssef Ibrahim Hassan Khaled Karim Tarek Vladimir Sergei Olga Ivan Natalia Dmitri Maria Anna", f, " ")
	split("Мохамед Ахмед Али Омар Юсеф Ибрагим Хасан Халед Карим Тарек Владимир Сергей Ольга Иван Наталья Дмитрий Мария Анна", fc, " ")
	split("محمد أحمد علي عمر يوسف إبراهيم حسن خالد كريم طارق فلاديمير سيرغي أولغا إيفان ناتاليا دميتري ماريا آنا", fa, " ")
	nl = split("Haddad Khoury Mansour Nasser Saleh Rahman Aziz Petrov Ivanov Smirnov Popov Volkov Sokolov Lebedev Kozlov Novak", l, " ")
	split("Хаддад Хури Мансур Насер Салех Рахман Азиз Петров Иванов Смирнов Попов Волков Соколов Лебедев Козлов Новак", lc, " ")
	split("حداد خوري منصور ناصر صالح رحمن عزيز بيتروف إيفانوف سميرنوف بوبوف فولكوف سوكولوف ليبيديف كوزلوف نوفاك", la, " ")
	ns = split("ko ra mi ta su ne lo vi", s, " ")
	split("ко ра ми та су не ло ви", sc, " ")
	split("كو را مي تا سو ني لو في", sa, " ")
	for (i = 1; i <= n; i++) {
		a = int(rand() * nf) + 1; b = int(rand() * nf) + 1; c = int(rand() * nl) + 1
		x = int(rand() * ns) + 1; y = int(rand() * ns) + 1; z = int(rand() * ns) + 1; w = int(rand() * ns) + 1
		dob = sprintf("%d-%02d-%02d", 1940 + i % 60, i % 12 + 1, i % 28 + 1)
		if (i % 2)
			name = fc[a] " " fc[b] " " lc[c] "-" sc[x] sc[y] sc[z] sc[w]
		else
			name = fa[a] " " fa[b] " " la[c] "-" sa[x] sa[y] sa[z] sa[w]
		printf "{\"id\":\"S%07d\",\"name\":\"%s\",\"dob\":\"%s\",\"nationalities\":[\"FR\"]}\n", i, name, dob
		if (i % int(n / q > 1 ? n / q : 1) == 0 && ++k <= q)
			printf "{\"type\":\"query\",\"id\":\"S%07d\",\"name\":\"%s-%s %s %s\",\"dob\":\"%s\"}\n", i, l[c], s[x] s[y] s[z] s[w], f[b], f[a], dob >"/dev/stderr"
	}
}' >"$dir/script-persons.ndjson" 2>"$dir/script-names.ndjson"
sn=$(wc -l <"$dir/script-names.ndjson")
measure "load persons in Arabic and Cyrillic script" sh -c "'$BIN/ccc-check' load -q --db persons --owner FR '$dir/script-persons.ndjson'"
sload_secs=$SECS sload_rss=$RSS_KB
sload_floor=$(awk -v s="$insert_secs" -v k="$SCRIPT_PERSONS" -v n="$PERSONS" 'BEGIN { print s * k / n }')
measure ccc-check sh -c "'$BIN/ccc-check' --ncb FR '$dir/script-names.ndjson' >'$dir/script-names.out'"
sfound=$(jq -s '[.[] | select(.id as $id | .checks[0].hits | map(.id) | index($id))] | length' "$dir/script-names.out")
row ccc-check "load $SCRIPT_PERSONS persons, Arabic, Cyrillic" "$sload_secs" "$SCRIPT_PERSONS" "$sload_rss" "$sload_floor"
row ccc-check "$sn Latin name checks of them" "$SECS" "$sn" "$RSS_KB" 0
echo "Latin name checks that found their person in Arabic or Cyrillic script: $sfound of $sn"
summary "loading $SCRIPT_PERSONS persons named in Arabic and Cyrillic script" "$(rate "$SCRIPT_PERSONS" "$sload_secs")" \
	"sqlite3 inserts $(rate "$PERSONS" "$insert_secs")" "$(ratio "$sload_secs" "$sload_floor")" ">= 20000/s"
summary "Latin name checks at $SCRIPT_PERSONS persons in Arabic and Cyrillic script (found $sfound of $sn)" \
	"$(rate "$sn" "$SECS")" "" "" ">= 5000/s"
