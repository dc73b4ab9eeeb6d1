#!/usr/bin/env bats
# ccc-check load, again: an unchanged record is not written (no journal entry,
# the store does not grow, review_by stays), a changed one is one update,
# --renew moves only review_by, a standby has nothing new to receive, and a
# reload killed mid-way leaves the store consistent.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-28T10:00:00Z
	awk 'BEGIN { for (i = 1; i <= 3000; i++)
		printf "{\"number\":\"RL%06d\",\"country\":\"FR\",\"status\":\"stolen\"}\n", i }' \
		>"$BATS_TEST_TMPDIR/docs.ndjson"
	awk 'BEGIN { for (i = 1; i <= 300; i++)
		printf "{\"id\":\"p-%d\",\"name\":\"Person%c%c Number%c\",\"dob\":\"1970-01-01\",\"nationalities\":[\"FR\"]}\n",
			i, 97 + i % 26, 97 + int(i / 26) % 26, 97 + i % 7 }' \
		>"$BATS_TEST_TMPDIR/persons.ndjson"
	ccc-check load -q --db documents --owner FR "$BATS_TEST_TMPDIR/docs.ndjson"
	ccc-check load -q --db persons --owner FR "$BATS_TEST_TMPDIR/persons.ndjson"
}

entries() {
	sql 'SELECT count(*) FROM journal'
}

@test "reloading an unchanged list writes nothing: no journal entry, same size, same review dates" {
	local before size dates keys
	before=$(entries)
	size=$(stat -c %s "$CCC_STORE")
	dates=$(sql 'SELECT group_concat(review_by) FROM (SELECT review_by FROM documents ORDER BY number)')
	keys=$(sql 'SELECT count(*), sum(n) FROM person_keys, (SELECT sum(n) n FROM derived_key_counts)')
	export CCC_NOW=2026-12-05T10:00:00Z
	run ccc-check load --db documents --owner FR "$BATS_TEST_TMPDIR/docs.ndjson"
	assert_success
	assert_output "ccc-check: documents: 0 records loaded, 3000 unchanged, 0 rejected"
	run ccc-check load -v --db persons --owner FR "$BATS_TEST_TMPDIR/persons.ndjson"
	assert_success
	assert_line "ccc-check: persons: 0 records loaded, 300 unchanged, 0 rejected"
	# nothing was written, so nothing counts as changed for re-screening
	assert_line --partial "re-screen: 0 persons, 0 documents and 0 vehicles changed"
	assert_equal "$(entries)" "$before"
	assert_equal "$(stat -c %s "$CCC_STORE")" "$size"
	assert_equal "$(sql 'SELECT group_concat(review_by) FROM (SELECT review_by FROM documents ORDER BY number)')" "$dates"
	assert_equal "$(sql 'SELECT DISTINCT review_by FROM documents')" "2031-11-28T16:00:00Z"
	assert_equal "$(sql 'SELECT count(*), sum(n) FROM person_keys, (SELECT sum(n) n FROM derived_key_counts)')" "$keys"
	run ccc-store verify
	assert_success
}

@test "one changed record is one update in one journal entry, with a new review date" {
	local before
	before=$(entries)
	export CCC_NOW=2026-12-05T10:00:00Z
	sed 's/"RL000042","country":"FR","status":"stolen"/"RL000042","country":"FR","status":"lost"/' \
		"$BATS_TEST_TMPDIR/docs.ndjson" >"$BATS_TEST_TMPDIR/docs2.ndjson"
	run ccc-check load -v --db documents --owner FR "$BATS_TEST_TMPDIR/docs2.ndjson"
	assert_success
	assert_line "ccc-check: documents: 1 records loaded, 2999 unchanged, 0 rejected"
	assert_line --partial "re-screen: 0 persons, 1 document and 0 vehicles changed"
	assert_equal "$(entries)" "$((before + 1))"
	run ccc-store log --format ndjson
	assert_equal "$(jq -sc '.[-1].changes | map([.table, .op])' <<<"$output")" '[["documents","update"]]'
	assert_equal "$(sql "SELECT status, review_by FROM documents WHERE number = 'RL000042'")" "lost|2031-12-05T16:00:00Z"
	assert_equal "$(sql "SELECT count(*) FROM documents WHERE review_by = '2031-11-28T16:00:00Z'")" 2999
	# a changed person is indexed again, its key counts kept
	sed 's/"id":"p-7","name":"Person[a-z]*/"id":"p-7","name":"Quentin/' \
		"$BATS_TEST_TMPDIR/persons.ndjson" >"$BATS_TEST_TMPDIR/persons2.ndjson"
	run ccc-check load --db persons --owner FR "$BATS_TEST_TMPDIR/persons2.ndjson"
	assert_output "ccc-check: persons: 1 records loaded, 299 unchanged, 0 rejected"
	assert_equal "$(entries)" "$((before + 2))"
	assert_equal "$(sql 'SELECT count(*) FROM (SELECT key, count(*) c FROM person_keys GROUP BY key) k LEFT JOIN derived_key_counts d USING (key) WHERE d.n IS NOT k.c')" 0
	run ccc-check --name Quentin --dob 1970-01-01 --ncb FR
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" p-7
	run ccc-store verify
	assert_success
}

@test "--renew moves the review date of every unchanged record, and only that" {
	local before
	before=$(entries)
	export CCC_NOW=2027-06-01T00:00:00Z
	run ccc-check load -v --renew --db documents --owner FR "$BATS_TEST_TMPDIR/docs.ndjson"
	assert_success
	assert_line "ccc-check: documents: 3000 records loaded, 0 rejected"
	# a renewal changes no content: nothing is checked again
	assert_line --partial "re-screen: 0 persons, 0 documents and 0 vehicles changed"
	assert_equal "$(sql 'SELECT DISTINCT review_by FROM documents')" "2032-05-31T06:00:00Z"
	assert_equal "$(sql "SELECT DISTINCT json_extract(record, '$.review_by') FROM documents")" "2032-05-31T06:00:00Z"
	# the 3000 renewals are one batch: a load commits every 10000 records by default
	assert_equal "$(sql 'SELECT count(*) FROM journal')" "$((before + 1))"
	# a record that names its review date keeps it
	echo '{"number":"RB1","country":"FR","status":"lost","review_by":"2028-01-01"}' >"$BATS_TEST_TMPDIR/rb.ndjson"
	ccc-check load -q --db documents --owner FR "$BATS_TEST_TMPDIR/rb.ndjson"
	run ccc-check load --renew --db documents --owner FR "$BATS_TEST_TMPDIR/rb.ndjson"
	assert_output "ccc-check: documents: 0 records loaded, 1 unchanged, 0 rejected"
	assert_equal "$(sql "SELECT review_by FROM documents WHERE number = 'RB1'")" "2028-01-01T00:00:00Z"
	# persons: review dates move, the index is not touched
	keys=$(sql 'SELECT group_concat(key || id || sig) FROM (SELECT * FROM person_keys ORDER BY key, id)')
	run ccc-check load --renew --db persons --owner FR "$BATS_TEST_TMPDIR/persons.ndjson"
	assert_output "ccc-check: persons: 300 records loaded, 0 rejected"
	assert_equal "$(sql 'SELECT DISTINCT review_by FROM persons')" "2032-05-31T06:00:00Z"
	assert_equal "$(sql 'SELECT group_concat(key || id || sig) FROM (SELECT * FROM person_keys ORDER BY key, id)')" "$keys"
	run ccc-store verify
	assert_success
}

@test "a standby that has the first load receives nothing from a reload" {
	local bue=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$bue" init -q --standby --site buenos-aires
	ccc-store --store "$bue" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	ccc-failover export | ccc-failover --store "$bue" import >/dev/null
	local pos
	pos=$(ccc-failover --store "$bue" position)
	assert_equal "$pos" "$(ccc-failover position)"
	ccc-check load -q --db documents --owner FR "$BATS_TEST_TMPDIR/docs.ndjson"
	ccc-check load -q --db persons --owner FR "$BATS_TEST_TMPDIR/persons.ndjson"
	# nothing but where the journal ends (the head record, for a standby's lag)
	run ccc-failover export --since "$pos"
	assert_success
	assert_output --partial '{"type":"head","v":1,"id":"head:lyon:'
	assert_equal "${#lines[@]}" 1
	assert_equal "$(ccc-failover position)" "$pos"
}

@test "kill -9 during a reload that changes records, 10 times: the store verifies, a rerun completes" {
	local i st landed=0 before
	awk '{ sub(/"stolen"/, "\"revoked\"") } 1' "$BATS_TEST_TMPDIR/docs.ndjson" >"$BATS_TEST_TMPDIR/docs2.ndjson"
	for i in $(seq 1 30); do
		[ "$landed" -lt 10 ] || break
		st=0
		setsid ccc-check load -q --batch 50 --db documents --owner FR "$BATS_TEST_TMPDIR/docs2.ndjson" &
		sleep "0.0$((RANDOM % 10))"
		kill -9 -- "-$!" 2>/dev/null || :
		wait "$!" || st=$?
		[ "$st" != 137 ] || landed=$((landed + 1))
		run ccc-store verify
		assert_success
		# a batch is whole or absent: every document has one status of the two
		assert_equal "$(sql "SELECT count(*) FROM documents WHERE status NOT IN ('stolen', 'revoked')")" 0
		# back to the first list, by a load, so the next run changes records again
		ccc-check load -q --db documents --owner FR "$BATS_TEST_TMPDIR/docs.ndjson"
	done
	[ "$landed" -gt 0 ] || skip "no run was still going at the kill"
	run ccc-check load --db documents --owner FR "$BATS_TEST_TMPDIR/docs2.ndjson"
	assert_success
	assert_equal "$(sql "SELECT count(*) FROM documents WHERE status = 'revoked'")" 3000
	before=$(sql 'SELECT count(*) FROM journal')
	run ccc-check load --db documents --owner FR "$BATS_TEST_TMPDIR/docs2.ndjson"
	assert_output "ccc-check: documents: 0 records loaded, 3000 unchanged, 0 rejected"
	assert_equal "$(sql 'SELECT count(*) FROM journal')" "$before"
	run ccc-store verify
	assert_success
}

@test "a record read from other text but stored the same (spacing) is unchanged too; another owner's claim on it is refused" {
	local before
	before=$(entries)
	sed 's/,/, /g; s/:/: /g' "$BATS_TEST_TMPDIR/docs.ndjson" >"$BATS_TEST_TMPDIR/spaced.ndjson"
	run ccc-check load --db documents --owner FR "$BATS_TEST_TMPDIR/spaced.ndjson"
	assert_output "ccc-check: documents: 0 records loaded, 3000 unchanged, 0 rejected"
	assert_equal "$(entries)" "$before"
	# the hash kept is the first load's: the next reload of the first file is found by it
	assert_equal "$(sql 'SELECT count(DISTINCT source_hash), min(length(source_hash)) FROM documents')" "3000|16"
	# another owner's claim on the same text is not found unchanged: it is refused
	run ccc-check load --db documents --owner ES "$BATS_TEST_TMPDIR/docs.ndjson"
	assert_failure 77
	assert_line "ccc-check: documents: 0 records loaded, 3000 rejected"
}

@test "a batch that changes, removes and adds the same persons again indexes them as records loaded one by one, and verifies" {
	local f=$BATS_TEST_TMPDIR/mixed.ndjson
	# changed names, removals, new persons, a new person twice (a second
	# name), a new one removed and added again, removed persons added again
	sed -n '1,100p' "$BATS_TEST_TMPDIR/persons.ndjson" | sed 's/"name":"/"name":"Abu /' >"$f"
	sed -n '101,150p' "$BATS_TEST_TMPDIR/persons.ndjson" | sed 's/^{/{"action":"remove",/' >>"$f"
	awk 'BEGIN { for (i = 1; i <= 200; i++)
		printf "{\"id\":\"n-%d\",\"name\":\"Newa%c%c Nouveau%c\",\"nationalities\":[\"FR\"]}\n",
			i, 97 + i % 26, 97 + int(i / 26) % 26, 97 + i % 5 }' >>"$f"
	echo '{"id":"n-5","names":["Newaf Nouveau","Ivan Petrov"]}' >>"$f"
	echo '{"action":"remove","id":"n-10"}' >>"$f"
	echo '{"id":"n-10","name":"Olga Sokolova"}' >>"$f"
	sed -n '120,130p' "$BATS_TEST_TMPDIR/persons.ndjson" >>"$f"
	run ccc-check load -q --days 0 --db persons --owner FR "$f"
	assert_success
	ccc-store verify -q
	local index='SELECT key, id, sig FROM person_keys ORDER BY 1, 2'
	local counts='SELECT key, n FROM derived_key_counts ORDER BY 1'
	local one_batch keys_one
	one_batch=$(sql "$index")
	keys_one=$(sql "$counts")
	[ "$(sql "SELECT count(*) FROM person_keys WHERE id = 'n-10'")" -gt 0 ]
	[ "$(sql "SELECT count(*) FROM person_keys WHERE id = 'p-101'")" = 0 ]
	# the same records, one a batch, into a store of their own
	export CCC_STORE=$BATS_TEST_TMPDIR/one.db
	init_store paris
	ccc-check load -q --days 0 --batch 1 --db persons --owner FR "$BATS_TEST_TMPDIR/persons.ndjson"
	run ccc-check load -q --days 0 --batch 1 --db persons --owner FR "$f"
	assert_success
	ccc-store verify -q
	[ "$(sql "$index")" = "$one_batch" ]
	[ "$(sql "$counts")" = "$keys_one" ]
}

@test "a person new in a list and given again further down with other names loads, re-screened, in one batch" {
	printf '%s\n' '{"id":"tw-1","name":"Ivan Petrov"}' '{"id":"tw-1","name":"Ivan Petrovich"}' \
		>"$BATS_TEST_TMPDIR/twice.ndjson"
	run ccc-check load --db persons --owner FR "$BATS_TEST_TMPDIR/twice.ndjson"
	assert_success
	assert_output "ccc-check: persons: 2 records loaded, 0 rejected"
	assert_equal "$(sql "SELECT names LIKE '%petrovich%' FROM persons WHERE id = 'tw-1'")" 1
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_pending')" 0
	ccc-store verify -q
}

@test "a person stored as the version before read its names is read and indexed again on its next load, once; one it read alike only takes this version's hash" {
	export CCC_STORE=$BATS_TEST_TMPDIR/kz.db
	init_store
	local f=$BATS_TEST_TMPDIR/kz.ndjson before fresh_keys
	local kz1='{"id":"kz-1","name":"Нұрсұлтан Назарбаев","nationalities":["KZ"]}'
	local kz2='{"id":"kz-2","name":"Vladimir Petrov"}'
	printf '%s\n' "$kz1" "$kz2" >"$f"
	ccc-check load -q --db persons --owner KZ "$f"
	assert_equal "$(sql "SELECT names FROM persons WHERE id = 'kz-1'")" "80:nursultan/80 nazarbayev/80"
	local keys="SELECT group_concat(key || ' ' || sig, ',') FROM (SELECT key, sig FROM person_keys WHERE id = 'kz-1' ORDER BY key)"
	fresh_keys=$(sql "$keys")
	# The rows the version before wrote for the same file, as it wrote them:
	# ICU left ұ as it was, a word's end (n rs ltan); the texts hashed
	# without the names version (kz-1's hash is the one it stored). Written
	# here by hand, outside the journal: the store is not verified after.
	old_hash() { printf 'refdb-1\0persons\0KZ\0%s' "$1" | sha256sum | cut -c1-32; }
	assert_equal "$(old_hash "$kz1")" 0b3a6004d28a8d70a8622a2b03821d8a
	sql "UPDATE persons SET names = '80:n/82 rs/80 ltan/80 nazarbayev/80',
		source_hash = X'$(old_hash "$kz1")' WHERE id = 'kz-1';
	     UPDATE persons SET source_hash = X'$(old_hash "$kz2")' WHERE id = 'kz-2';
	     DELETE FROM person_keys WHERE id = 'kz-1';
	     INSERT INTO person_keys(key, id, sig) SELECT column1, 'kz-1', 1297036692682964992
		FROM (VALUES ('''ltan'), ('ltn'), ('ltn+nsr'), ('ltn+rs'), ('ltns'), ('nsr+rs'),
			('nsrb'), ('rs'), ('rslt'));
	     DELETE FROM derived_key_counts;
	     INSERT INTO derived_key_counts(key, n) SELECT key, count(*) FROM person_keys GROUP BY key"
	run ccc-check --name 'Nursultan Nazarbayev'
	assert_equal "$(jq -c '[.checks[0].hits[] | [.id, .score]]' <<<"$output")" '[["kz-1",0.84]]'
	before=$(entries)
	run ccc-check load --db persons --owner KZ "$f"
	assert_success
	assert_output "ccc-check: persons: 1 records loaded, 1 unchanged, 0 rejected"
	# kz-1 as this version reads it, indexed as a first load indexes it
	assert_equal "$(sql "SELECT names FROM persons WHERE id = 'kz-1'")" "80:nursultan/80 nazarbayev/80"
	assert_equal "$(sql "$keys")" "$fresh_keys"
	assert_equal "$(sql 'SELECT count(*) FROM (SELECT key, count(*) FROM person_keys GROUP BY key
		EXCEPT SELECT key, n FROM derived_key_counts)')" 0
	# kz-2, read alike, keeps its row and takes this version's hash: one entry for both
	assert_equal "$(sql "SELECT names FROM persons WHERE id = 'kz-2'")" "0:vladimir/0 petrov/0"
	assert_equal "$(sql "SELECT lower(hex(source_hash)) FROM persons WHERE id = 'kz-2'")" \
		"$(printf 'refdb-1\0persons\0names-2\0KZ\0%s' "$kz2" | sha256sum | cut -c1-32)"
	assert_equal "$(entries)" "$((before + 1))"
	run ccc-check --name 'Nursultan Nazarbayev'
	assert_equal "$(jq -c '[.checks[0].hits[] | [.id, .score]]' <<<"$output")" '[["kz-1",1]]'
	# and the next load of the same file reads nothing again, writes nothing
	before=$(entries)
	run ccc-check load --db persons --owner KZ "$f"
	assert_output "ccc-check: persons: 0 records loaded, 2 unchanged, 0 rejected"
	assert_equal "$(entries)" "$before"
}
