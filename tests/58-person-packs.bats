#!/usr/bin/env bats
# The person index, packed (ccc-check(1), Persons): a load packs the keys
# that name 32 persons or more, a name check reads them packed and answers as
# from the index, a change marks a key unpacked until the next load packs it
# again (from its packs and the persons that changed), verify finds a pack
# altered behind the store's back, and a standby packs what it imports, and a
# former primary what a rejoin rewinds.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-12-07T10:00:00Z
	# 2,000 persons of two given names, two surnames and one of 193
	# middle names: a key of the given name or the surname names 1,000
	# or 500 persons, more than a chunk of the packs (KEYPACK_BYTES) holds,
	# and more than a check takes of a key (150)
	awk 'BEGIN {
		split("Ivan Olga", g, " ")
		split("Kozlov Petrov", f, " ")
		c = "BDFGKLMNPRSTVZ"
		for (i = 1; i <= 2000; i++) {
			m = i % 193
			mid = substr(c, m % 14 + 1, 1) "a" tolower(substr(c, int(m / 14) + 1, 1)) "ir"
			# every seventh with an alias of tokens of its own
			alias = i % 7 ? "" : sprintf(",\"aliases\":[\"Vasko Zubrin %s\"]", mid)
			printf "{\"id\":\"P%04d\",\"name\":\"%s %s %s\",\"dob\":\"19%02d-0%d-1%d\"%s}\n",
				i, g[i % 2 + 1], mid, f[int(i / 2) % 2 + 1], 40 + i % 50, 1 + i % 9, i % 10, alias
		}
	}' >"$BATS_TEST_TMPDIR/persons.ndjson"
	ccc-check load -q --db persons --owner FR "$BATS_TEST_TMPDIR/persons.ndjson"
	# the checks: every twentieth person, by name (surname first) and date
	# of birth; then names of common tokens alone, which a check reads
	# whole, or samples
	awk 'NR % 20 == 3' "$BATS_TEST_TMPDIR/persons.ndjson" |
		jq -c '{type: "query", id: .id, name: (.name | split(" ") | reverse | join(" ")), dob: .dob}' \
			>"$BATS_TEST_TMPDIR/names.ndjson"
	for name in 'Kozlov Ivan' 'Petrov Olga' 'Ivan' 'Kozlov' 'Ivan Olga Kozlov Petrov'; do
		jq -nc --arg n "$name" '{type: "query", id: $n, name: $n}'
	done >"$BATS_TEST_TMPDIR/common.ndjson"
}

# A standby of this store at $BUE, which trusts it.
init_standby() {
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
}

# The hits of each check: the query's id, then each hit's id and score.
hits() {
	jq -c '[.id, [.checks[].hits[] | [.id, .score, .why]]]'
}

@test "a load packs every key that names 32 persons or more, and no other" {
	# the keys of the given names and the surnames, of their spellings and
	# of both, and of the middle names that name 32 or more; not the 50
	# keys of a given name or a surname and a year of birth that do
	assert_equal "$(sql 'SELECT count(*) FROM derived_key_counts WHERE n >= 32')" 71
	assert_equal "$(sql "SELECT count(*) FROM derived_key_counts WHERE n >= 32 AND key GLOB '*@*' AND packed = 0")" 50
	assert_equal "$(sql 'SELECT count(*) FROM derived_key_counts WHERE packed = 1')" 21
	assert_equal "$(sql 'SELECT count(*) FROM derived_key_counts WHERE packed = 1 AND n < 32')" 0
	assert_equal "$(sql 'SELECT count(DISTINCT key) FROM derived_key_packs')" 21
	assert_equal "$(sql 'SELECT sum(n) FROM derived_key_counts WHERE packed = 1')" 9439
	# -v says what was packed: nothing was left to pack
	run -0 ccc-check load -v --db persons --owner FR "$BATS_TEST_TMPDIR/persons.ndjson"
	refute_output --partial "keys packed"
	run -0 ccc-store verify
}

@test "name checks read the packed index and answer as from the index: the same hits, the same scores" {
	ccc-check --ncb FR "$BATS_TEST_TMPDIR/names.ndjson" | hits >"$BATS_TEST_TMPDIR/packed.out"
	# each check finds its own person
	assert_equal "$(jq -r 'select(.[0] as $id | .[1] | map(.[0]) | index($id) | not) | .[0]' "$BATS_TEST_TMPDIR/packed.out")" ""
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/packed.out")" 100
	ccc-check --ncb FR --top 50 "$BATS_TEST_TMPDIR/common.ndjson" | hits >>"$BATS_TEST_TMPDIR/packed.out"
	# the same checks, every key read from the index (as before migration 25)
	sql 'UPDATE derived_key_counts SET packed = 0'
	ccc-check --ncb FR "$BATS_TEST_TMPDIR/names.ndjson" | hits >"$BATS_TEST_TMPDIR/index.out"
	ccc-check --ncb FR --top 50 "$BATS_TEST_TMPDIR/common.ndjson" | hits >>"$BATS_TEST_TMPDIR/index.out"
	run diff "$BATS_TEST_TMPDIR/packed.out" "$BATS_TEST_TMPDIR/index.out"
	assert_success
	# and the next load packs them again
	: >"$BATS_TEST_TMPDIR/none.ndjson"
	run -0 ccc-check load -v --db persons --owner FR "$BATS_TEST_TMPDIR/none.ndjson"
	assert_line "ccc-check: person index: 21 keys packed, 9439 entries"
	assert_equal "$(sql 'SELECT count(*) FROM derived_key_counts WHERE packed = 1')" 21
}

@test "a person loaded into a packed key is found: the keys it changes are packed again after the load" {
	echo '{"id":"P0000","name":"Ivan Kozlov","dob":"1977-07-07"}' >"$BATS_TEST_TMPDIR/new.ndjson"
	sql "SELECT key FROM derived_key_counts WHERE packed = 1 ORDER BY key" >"$BATS_TEST_TMPDIR/before"
	run -0 ccc-check load -v --db persons --owner FR "$BATS_TEST_TMPDIR/new.ndjson"
	# the keys of Ivan and of Kozlov that name 32 or more: packed again, with it
	assert_line 'ccc-check: person index: 4 keys packed, 3504 entries'
	assert_equal "$(sql "SELECT key FROM derived_key_counts WHERE packed = 1 ORDER BY key")" "$(cat "$BATS_TEST_TMPDIR/before")"
	# its keys: Ivan's, Kozlov's, the two of both, Ivan spelt out, and
	# Ivan's and Kozlov's with its year of birth
	assert_equal "$(sql "SELECT count(*) FROM person_keys WHERE id = 'P0000'")" 7
	run -0 ccc-check --ncb FR --name 'Kozlov Ivan' --dob 1977-07-07
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P0000
	run -0 ccc-store verify
}

@test "a person removed leaves the packs: its keys are unpacked and packed again without it" {
	run -0 ccc-check --ncb FR --name 'Kozlov Olga Dabir' --dob 1941-02-11
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P0001
	echo '{"id":"P0001","action":"remove"}' | ccc-check load -q --db persons --owner FR
	assert_equal "$(sql "SELECT count(*) FROM derived_key_counts WHERE packed <> 1 AND n >= 32 AND key NOT GLOB '*@*'")" 0
	run -0 ccc-check --ncb FR --name 'Kozlov Olga Dabir' --dob 1941-02-11
	refute_output --partial '"P0001"'
	run -0 ccc-store verify
}

@test "verify finds a pack altered behind the store's back: an entry taken out hides a person from checks" {
	most='SELECT key FROM derived_key_counts WHERE packed = 1 ORDER BY n DESC, key LIMIT 1'
	key=$(sql "$most")
	# the first entry of the key's first chunk (8 bytes of signature, an id and a NUL) taken out
	sql "UPDATE derived_key_packs SET entries = substr(entries, 15) WHERE key = ($most) AND chunk = 0"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "table 'derived_key_packs': key '$key' does not hold what the index holds"
	# a key marked packed whose packs are gone
	sql "UPDATE derived_key_counts SET packed = 0 WHERE key = ($most)"
	ccc-check load -q --db persons --owner FR "$BATS_TEST_TMPDIR/persons.ndjson"
	run -0 ccc-store verify
	sql "DELETE FROM derived_key_packs WHERE key = ($most)"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "table 'derived_key_packs': key '$key' does not hold what the index holds"
}

@test "a standby packs the keys the journal it imports changed, and its checks answer as the primary's" {
	init_standby
	ccc-failover export | ccc-failover --store "$BUE" import >/dev/null
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM derived_key_counts WHERE packed = 1')" 21
	pk='SELECT group_concat(key || ":" || chunk || ":" || hex(entries), " ") FROM (SELECT * FROM derived_key_packs ORDER BY key, chunk)'
	assert_equal "$(sqlite3 "$BUE" "$pk")" "$(sql "$pk")"
	run -0 ccc-store --store "$BUE" verify
	ccc-check --ncb FR "$BATS_TEST_TMPDIR/names.ndjson" | hits >"$BATS_TEST_TMPDIR/primary.out"
	ccc-check --store "$BUE" --ncb FR "$BATS_TEST_TMPDIR/names.ndjson" | hits >"$BATS_TEST_TMPDIR/standby.out"
	run diff "$BATS_TEST_TMPDIR/primary.out" "$BATS_TEST_TMPDIR/standby.out"
	assert_success
	# a person the primary loads into a packed key: shipped, unpacked and packed again
	echo '{"id":"P0000","name":"Ivan Kozlov","dob":"1977-07-07"}' | ccc-check load -q --db persons --owner FR
	ccc-failover export --since "$(ccc-failover --store "$BUE" position)" |
		ccc-failover --store "$BUE" import >/dev/null
	assert_equal "$(sqlite3 "$BUE" "$pk")" "$(sql "$pk")"
	assert_equal "$(sqlite3 "$BUE" "SELECT count(*) FROM derived_key_counts WHERE packed <> 1 AND n >= 32 AND key NOT GLOB '*@*'")" 0
	run -0 ccc-check --store "$BUE" --ncb FR --name 'Kozlov Ivan' --dob 1977-07-07
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P0000
}

@test "a rejoin that rewinds a load packs the keys it rewound: the packs are the new primary's" {
	init_standby
	ccc-failover -q site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)"
	ccc-failover -q ship --via "ccc-failover --store '$BUE'"
	# Lyon loads a person into packed keys and goes dark before shipping it
	echo '{"id":"P0000","name":"Ivan Kozlov","dob":"1977-07-07"}' | ccc-check load -q --db persons --owner FR
	ccc-failover -q --store "$BUE" promote
	run -0 ccc-failover rejoin --via "ccc-failover --store '$BUE'" --orphans "$BATS_TEST_TMPDIR/orphans.ndjson"
	assert_equal "$(sql "SELECT count(*) FROM person_keys WHERE id = 'P0000'")" 0
	assert_equal "$(sql "SELECT count(*) FROM derived_key_counts WHERE packed <> 1 AND n >= 32 AND key NOT GLOB '*@*'")" 0
	pk='SELECT group_concat(key || ":" || chunk || ":" || hex(entries), " ") FROM (SELECT * FROM derived_key_packs p WHERE (SELECT packed FROM derived_key_counts c WHERE c.key = p.key) = 1 ORDER BY key, chunk)'
	assert_equal "$(sql "$pk")" "$(sqlite3 "$BUE" "$pk")"
	run -0 ccc-store verify
	run -0 ccc-check --ncb FR --name 'Kozlov Ivan' --dob 1977-07-07
	refute_output --partial '"P0000"'
}

@test "a load stopped by a signal exits without packing: the keys it changed wait for the next load" {
	mkfifo "$BATS_TEST_TMPDIR/in"
	ccc-check load -q --db persons --owner FR --batch-ms 100 "$BATS_TEST_TMPDIR/in" &
	pid=$!
	exec 7>"$BATS_TEST_TMPDIR/in"
	echo '{"id":"P0000","name":"Ivan Kozlov","dob":"1977-07-07"}' >&7
	# its batch commits when the input pauses
	for _ in $(seq 100); do
		[ "$(sql "SELECT count(*) FROM persons WHERE id = 'P0000'")" = 1 ] && break
		sleep 0.1
	done
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	exec 7>&-
	assert_equal "$status" 143
	assert_equal "$(sql "SELECT count(*) FROM derived_key_counts WHERE packed <> 1 AND n >= 32 AND key NOT GLOB '*@*'")" 4
	# each with its packs kept and the id that changed listed
	assert_equal "$(sql "SELECT group_concat(packed) FROM derived_key_counts WHERE packed <> 1 AND n >= 32 AND key NOT GLOB '*@*'")" 2,2,2,2
	assert_equal "$(sql "SELECT count(*) FROM derived_key_dirty WHERE id = 'P0000'")" 4
	run -0 ccc-check --ncb FR --name 'Kozlov Ivan' --dob 1977-07-07
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P0000
	run -0 ccc-check load -v --db persons --owner FR </dev/null
	assert_line 'ccc-check: person index: 4 keys packed, 3504 entries'
	assert_equal "$(sql 'SELECT count(*) FROM derived_key_dirty')" 0
	run -0 ccc-store verify
}

@test "a name of common tokens and its date of birth finds its person, though more than a check takes share the name" {
	# every key of 'Petrov Olga' names 505 persons or more (its pair key
	# 505), whose ids come before P1000a in the index; 20 of them were born
	# in 1961 too
	echo '{"id":"P1000a","name":"Olga Petrov","dob":"1961-01-01"}' |
		ccc-check load -q --db persons --owner FR
	assert_equal "$(sql "SELECT group_concat(key || '=' || n, ' ') FROM (SELECT key, n FROM derived_key_counts JOIN person_keys USING (key) WHERE id = 'P1000a' ORDER BY key)")" \
		"'olga=1001 btr+lj=505 btr@61=21 btrf=1001 lj=1001 lj@61=41 ljbt=11"
	for q in 'Petrov Olga' 'Olga Petrov' 'Olga'; do
		run -0 ccc-check --ncb FR --name "$q" --dob 1961-01-01 --top 1
		assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P1000a
	done
	# a year off is as good (the score does not hold it against them)
	run -0 ccc-check --ncb FR --name 'Petrov Olga' --dob 1962 --top 1
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P1000a
	# the same from the index, unpacked
	sql 'UPDATE derived_key_counts SET packed = 0'
	run -0 ccc-check --ncb FR --name 'Petrov Olga' --dob 1961-01-01 --top 1
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P1000a
	run -0 ccc-store verify
}

@test "a person's year keys follow its dates of birth: changed, the old ones go; removed, all go" {
	echo '{"id":"P1000a","name":"Olga Petrov","dob":["1961-01-01","1962"]}' |
		ccc-check load -q --db persons --owner FR
	years="SELECT group_concat(key, ' ') FROM (SELECT key FROM person_keys WHERE id = 'P1000a' AND key GLOB '*@*' ORDER BY key)"
	assert_equal "$(sql "$years")" "btr@61 btr@62 lj@61 lj@62"
	echo '{"id":"P1000a","name":"Olga Petrov","dob":"1975-05-05"}' |
		ccc-check load -q --db persons --owner FR
	assert_equal "$(sql "$years")" "btr@75 lj@75"
	run -0 ccc-check --ncb FR --name 'Petrov Olga' --dob 1975-05-05 --top 1
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P1000a
	run -0 ccc-check --ncb FR --name 'Petrov Olga' --dob 1961-01-01 --top 1
	refute_output --partial P1000a
	echo '{"id":"P1000a","name":"Olga Petrov"}' | ccc-check load -q --db persons --owner FR
	assert_equal "$(sql "$years")" ""
	echo '{"id":"P1000a","name":"Olga Petrov","dob":"1975"}' | ccc-check load -q --db persons --owner FR
	echo '{"id":"P1000a","action":"remove"}' | ccc-check load -q --db persons --owner FR
	assert_equal "$(sql "SELECT count(*) FROM person_keys WHERE id = 'P1000a'")" 0
	run -0 ccc-store verify
}

@test "keys packed again from their packs and the persons that changed hold what packing the index makes, byte for byte" {
	pk='SELECT group_concat(key || ":" || chunk || ":" || hex(entries), " ") FROM (SELECT * FROM derived_key_packs ORDER BY key, chunk)'
	# persons added at the end of their keys' order, in the middle, and
	# at the front; a person removed, and one whose names change
	{
		echo '{"id":"P9001","name":"Ivan Kozlov","dob":"1960-01-01"}'
		echo '{"id":"P1000a","name":"Olga Petrov","dob":"1961-01-01"}'
		echo '{"id":"A0001","name":"Ivan Petrov","dob":"1962-01-01"}'
		echo '{"id":"P0700","action":"remove"}'
		echo '{"id":"P0900","name":"Olga Kozlov","dob":"1963-01-01"}'
	} | ccc-check load -q --db persons --owner FR
	assert_equal "$(sql "SELECT count(*) FROM derived_key_counts WHERE packed <> 1 AND n >= 32 AND key NOT GLOB '*@*'")" 0
	assert_equal "$(sql 'SELECT count(*) FROM derived_key_dirty')" 0
	merged=$(sql "$pk")
	# every key packed from the index instead
	sql 'UPDATE derived_key_counts SET packed = 0'
	run -0 ccc-check load -v --db persons --owner FR </dev/null
	assert_line --partial 'ccc-check: person index: 21 keys packed'
	assert_equal "$(sql "$pk")" "$merged"
	run -0 ccc-check --ncb FR --name 'Petrov Ivan' --dob 1962-01-01
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" A0001
	run -0 ccc-store verify
}

@test "reindex gives the persons of a store an earlier version loaded the keys this version makes, once, journaled and verified" {
	# made by the version before the year keys
	at=$BATS_TEST_TMPDIR/old
	old_store "$at"
	assert_equal "$(sql "SELECT count(*) FROM person_keys WHERE key GLOB '*@*'")" 0
	# 401 persons named Olga ... Petrov: without year keys P1000a is not found
	run -0 ccc-check --ncb FR --name 'Petrov Olga' --dob 1961-01-01 --top 1 --format ndjson
	refute_output --partial P1000a
	n=$(sql 'SELECT count(*) FROM journal')
	run -0 ccc-check reindex
	assert_output 'ccc-check: persons: 401 read, 1198 keys added to 401 of them'
	assert_equal "$(sql "SELECT count(*) FROM person_keys WHERE key GLOB '*@*'")" 1198
	assert [ "$(sql 'SELECT count(*) FROM journal')" -gt "$n" ]
	run -0 ccc-check --ncb FR --name 'Petrov Olga' --dob 1961-01-01 --top 1 --format ndjson
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P1000a
	run -0 ccc-store verify
	# again: nothing to add, no journal entry
	n=$(sql 'SELECT count(*) FROM journal')
	run -0 ccc-check reindex --batch 50
	assert_output 'ccc-check: persons: 401 read, 0 keys added to 0 of them'
	assert_equal "$(sql 'SELECT count(*) FROM journal')" "$n"
	# the index is the one a load of the same persons by this version makes
	keys='SELECT key, id, sig FROM person_keys ORDER BY key, id'
	sql "$keys" >"$BATS_TEST_TMPDIR/reindexed"
	export CCC_STORE=$BATS_TEST_TMPDIR/fresh.db
	init_store
	ccc-check load -q --db persons --owner FR "$FIXTURES/check/store-8db60b4/persons.ndjson"
	sql "$keys" >"$BATS_TEST_TMPDIR/loaded"
	run -0 cmp "$BATS_TEST_TMPDIR/reindexed" "$BATS_TEST_TMPDIR/loaded"
	assert_equal "$(sql 'SELECT key, packed FROM derived_key_counts WHERE packed <> 0 ORDER BY key' | md5sum)" \
		"$(CCC_STORE=$at/lyon.db sql 'SELECT key, packed FROM derived_key_counts WHERE packed <> 0 ORDER BY key' | md5sum)"
}
