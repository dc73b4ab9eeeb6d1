#!/usr/bin/env bats
# Attacks on restricted data (issue 13, items 9, 10, 10b and small ones):
# ownership takeover by load, probing a restricted record through
# --threshold and --dob, restricted content in the journal log, the notice
# feed ignoring distribution, and inputs that broke the load summary, dates
# of birth and CSV quoting. Each test performs the attack and asserts that it
# is refused or caught.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-28T10:00:00Z
}

# A person owned by MA, shown only to MA and ES.
load_ma_person() {
	echo '{"id":"P-MA-1","name":"Karim Benali","dob":"1980-06-15","nationalities":["MA"],"restrict":{"allow":["MA","ES"]}}' |
		ccc-check load -q --db persons --owner MA
}

@test "attack 9: a load by FR of an id MA owns is refused (77) and logged; MA's restricted record is unchanged" {
	load_ma_person
	before=$(sql "SELECT owner, allow, deny, record FROM persons WHERE id = 'P-MA-1'")
	run ccc-check load --db persons --owner FR <<<'{"id":"P-MA-1","name":"Karim Benali"}'
	assert_failure 77
	assert_line "ccc-check: stdin:1: record 'P-MA-1' belongs to MA, not FR: only its owner changes it"
	assert_line "ccc-check: persons: 0 records loaded, 1 rejected"
	assert_line "ccc-check: persons: 1 records refused: another country owns them (logged)"
	assert_equal "$(sql "SELECT owner, allow, deny, record FROM persons WHERE id = 'P-MA-1'")" "$before"
	assert_equal "$(sql "SELECT allow FROM persons WHERE id = 'P-MA-1'")" "MA,ES"
	# the record's own "owner" field is no way round it
	run ccc-check load --db persons <<<'{"id":"P-MA-1","name":"Karim Benali","owner":"FR"}'
	assert_failure 77
	# FR still sees it only as restricted
	run ccc-check --name 'Karim Benali' --ncb FR
	assert_equal "$(jq -c '.checks[0].hits' <<<"$output")" '[{"restricted":true,"owner":"MA","band":"match"}]'
	# the attempts are in the consultation log, under MA's records
	run ccc-check log --owner MA
	assert_success
	assert_equal "$(jq -c 'select(.query.refused) | [.ncb, .query.action, .query.id, .hits]' <<<"$output" | head -1)" \
		'["FR","load","P-MA-1",[{"id":"P-MA-1","owner":"MA"}]]'
	assert_equal "$(sql "SELECT count(*) FROM consultations WHERE json_extract(query, '\$.refused') IS NOT NULL")" 2
	# documents and items too
	ccc-check load -q --db documents --owner MA <<<'{"number":"MA1234567","country":"MA","status":"stolen","restrict":{"allow":["MA"]}}'
	run ccc-check load --db documents --owner FR <<<'{"number":"MA1234567","country":"MA","status":"lost"}'
	assert_failure 77
	assert_line --partial "record 'doc:MA:MA1234567' belongs to MA, not FR"
	assert_equal "$(sql "SELECT status, owner, allow FROM documents WHERE number = 'MA1234567'")" "stolen|MA|MA"
	run ccc-store verify
	assert_success
}

@test "attack 9: load --remove claiming another owner deletes nothing; a removal must name its owner" {
	load_ma_person
	ccc-check load -q --db vehicles --owner MA <<<'{"vin":"1HGCM82633A004352","status":"stolen"}'
	run ccc-check load --db persons --remove --owner FR <<<'{"id":"P-MA-1"}'
	assert_failure 77
	assert_line "ccc-check: stdin:1: record 'P-MA-1' belongs to MA, not FR: only its owner removes it"
	assert_line "ccc-check: persons: 0 records removed, 1 rejected"
	run ccc-check load --db vehicles --owner FR <<<'{"vin":"1HGCM82633A004352","action":"remove"}'
	assert_failure 77
	run ccc-check load --db persons --remove <<<'{"id":"P-MA-1"}'
	assert_failure 65
	assert_line "ccc-check: stdin:1: field 'owner': missing (give --owner: only a record's owner removes it)"
	assert_equal "$(sql "SELECT owner, allow FROM persons WHERE id = 'P-MA-1'")" "MA|MA,ES"
	assert [ "$(sql "SELECT count(*) FROM person_keys WHERE id = 'P-MA-1'")" -gt 0 ]
	run ccc-check --name 'Karim Benali' --ncb MA
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P-MA-1
	assert_equal "$(sql "SELECT count(*) FROM items WHERE key = '1HGCM82633A004352'")" 1
	# its owner removes it
	run ccc-check load --db persons --remove --owner MA <<<'{"id":"P-MA-1"}'
	assert_success
	assert_equal "$(sql "SELECT count(*) FROM persons WHERE id = 'P-MA-1'")" 0
	run ccc-store verify
	assert_success
}

@test "attack 10: bisecting --threshold (and --top) gives a denied country the same answer at every threshold" {
	load_ma_person
	for name in 'Karim Benali' 'Karim Benaly' 'Benali'; do
		answers=$(for t in 0 0.1 0.3 0.5 0.6 0.7 0.74 0.75 0.76 0.8 0.85 0.9 0.95 0.99 1; do
			for k in 1 5; do
				ccc-check --name "$name" --ncb FR --threshold "$t" --top "$k" | jq -c '.checks[0].hits'
			done
		done | sort -u)
		assert_equal "$(wc -l <<<"$answers")" 1
	done
	run ccc-check --name 'Karim Benali' --ncb FR --threshold 1
	assert_equal "$(jq -c '.checks[0].hits' <<<"$output")" '[{"restricted":true,"owner":"MA","band":"match"}]'
	refute_output --partial score
	# the allowed country sees the score; a threshold above it drops the hit
	run ccc-check --name 'Karim Benaly' --ncb MA --threshold 0
	assert [ "$(jq '.checks[0].hits[0].score < 1' <<<"$output")" = true ]
}

@test "attack 10: varying --dob and --nationality over months gives a denied country identical output, and each check is still logged" {
	load_ma_person
	n0=$(sql 'SELECT count(*) FROM consultations')
	answers=$({
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		ccc-check --name 'Karim Benali' --ncb FR --dob "1980-$m" | jq -c '.checks[0].hits'
	done
	for d in 1979 1980 1981 1980-06-15 1980-06-16 1990-01-01; do
		ccc-check --name 'Karim Benali' --ncb FR --dob "$d" | jq -c '.checks[0].hits'
	done
	for n in MA FR; do
		ccc-check --name 'Karim Benali' --ncb FR --nationality "$n" | jq -c '.checks[0].hits'
	done
	} | sort -u)
	assert_equal "$answers" '[{"restricted":true,"owner":"MA","band":"match"}]'
	assert_equal "$(sql "SELECT count(*) - $n0 FROM consultations WHERE ncb = 'FR'")" 20
	# for an allowed country the date of birth does move the score
	a=$(ccc-check --name 'Karim Benali' --ncb MA --dob 1980-06 | jq '.checks[0].hits[0].score')
	b=$(ccc-check --name 'Karim Benali' --ncb MA --dob 1980-09 | jq '.checks[0].hits[0].score')
	assert [ "$a" != "$b" ]
}

@test "attack 10: ccc-store log hides restricted ids, name keys and other officers' check command lines unless --restricted, and that reading is journaled" {
	load_ma_person
	key=$(sql "SELECT key FROM person_keys WHERE id = 'P-MA-1' ORDER BY key LIMIT 1")
	ccc-check --name 'Karim Benali' --ncb ES --as officer.lopez >/dev/null
	run ccc-store log
	assert_success
	refute_output --partial P-MA-1
	refute_output --partial "\"$key\""
	refute_output --partial "Karim Benali"
	assert_output --partial '{"table":"persons","op":"insert","key":"restricted","restricted":true}'
	assert_output --partial '"actor":"officer.lopez","command":"ccc-check (its command line names what was looked for: --restricted shows it)"'
	assert_equal "$(sql "SELECT count(*) FROM consultations WHERE db = 'journal'")" 0
	run ccc-store log --restricted --as auditor.k
	assert_success
	assert_output --partial '"key":["P-MA-1"]'
	assert_output --partial "\"$key\""
	assert_output --partial '"command":"ccc-check --name Karim Benali --ncb ES --as officer.lopez"'
	assert_equal "$(sql "SELECT actor, query FROM consultations WHERE db = 'journal'")" \
		'auditor.k|{"since":0,"limit":-1,"restricted":true}'
	assert_equal "$(sql "SELECT actor, command FROM journal ORDER BY seq DESC LIMIT 1")" \
		"auditor.k|ccc-store log --restricted --as auditor.k"
	run ccc-store verify
	assert_success
}

# diffusion TO: a diffusion requested by ES, sent to TO, published; prints its id.
publish_diffusion() {
	local id
	id=$(ccc-notice draft --kind diffusion --country ES --set purpose=locate --to "$1" --as a.martin | jq -r .id)
	ccc-notice review "$id" --as j.garcia >/dev/null
	ccc-notice publish "$id" --as j.garcia >/dev/null
	echo "$id"
}

@test "attack 10b: a diffusion sent only to MA is not in FR's feed, list, show or export, and is in MA's" {
	id=$(publish_diffusion MA)
	run ccc-notice feed --ncb FR
	assert_success
	assert_output ""
	run ccc-notice feed --ncb MA
	assert_success
	assert_equal "$(jq -r '[.id, .event, (.to | join(","))] | @tsv' <<<"$output")" "$(printf '%s\tpublish\tMA' "$id")"
	run ccc-notice list --ncb FR --format ndjson
	refute_output --partial "$id"
	run ccc-notice show --ncb FR "$id"
	assert_failure 77
	assert_output "ccc-notice: show: notice '$id' was not sent to FR"
	run ccc-notice export --format cap --ncb FR "$id"
	assert_failure 77
	refute_output --partial "<alert"
	run ccc-notice show --ncb MA "$id"
	assert_success
	assert_equal "$(jq -r '.recipients | join(",")' <<<"$output")" MA
	run ccc-notice show --ncb ES "$id" # the requesting country
	assert_success
	# no reading country: only what is public or sent to every country
	run ccc-notice feed
	assert_success
	assert_output "ccc-notice: feed: 1 notices sent only to the countries they name are left out (give the reading country with --ncb CC)"
	run ccc-notice show "$id"
	assert_failure 77
	assert_output --partial "is sent only to the countries it names: give the reading country with --ncb CC"
	run ccc-notice feed --all
	assert_output --partial "\"id\":\"$id\""
	run ccc-notice feed --ncb FR --all
	assert_failure 64
}

@test "attack 10b: FR's feed pages past the notices not sent to it, and a notice for every country reaches it" {
	for i in 1 2 3; do publish_diffusion MA >/dev/null; done
	fr=$(publish_diffusion FR)
	ccc-notice draft --kind alert --set threat='parcel bombs' --set description='sent to courts' --as a.martin >/dev/null
	ccc-notice review notice-lyon-5 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-5 --as j.garcia >/dev/null
	run ccc-notice feed --ncb FR --limit 2
	assert_success
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "$fr notice-lyon-5"
	run ccc-notice feed --ncb MA --limit 10
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "notice-lyon-1 notice-lyon-2 notice-lyon-3 notice-lyon-5"
}

@test "attack small: a whole CSV or UN file rejected reports 0 records loaded, not 18446744073709551615" {
	printf 'not xml at all <' >"$BATS_TEST_TMPDIR/un.xml"
	run ccc-check load --db persons --input-format un-consolidated --owner UN "$BATS_TEST_TMPDIR/un.xml"
	assert_failure 65
	assert_line "ccc-check: persons: 0 records loaded, 1 rejected"
	refute_output --partial 18446744073709551615
	printf 'id,name\nP1,Jean \xC3\x28Dupont\n' >"$BATS_TEST_TMPDIR/bad.csv"
	run ccc-check load --db persons --input-format csv --owner FR "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 65
	assert_line "ccc-check: $BATS_TEST_TMPDIR/bad.csv:2: invalid UTF-8 in field 2"
	assert_line "ccc-check: persons: 0 records loaded, 1 rejected"
	refute_output --partial 18446744073709551615
}

@test "attack small: a restriction written beside \"restrict\", not in it, is a reject at load, not a record every country sees" {
	# {"allow": ["NO"]} at the top of the record used to be kept as an
	# unknown field: the record loaded unrestricted, silently
	printf '%s\n' '{"id":"NO-1","name":"Anna Maria Eriksson","owner":"NO","allow":["NO"]}' \
		'{"number":"AB1","country":"NO","status":"stolen","owner":"NO","deny":["FR"]}' >"$BATS_TEST_TMPDIR/r"
	run ccc-check load --db persons "$BATS_TEST_TMPDIR/r"
	assert_failure 65
	assert_line "ccc-check: $BATS_TEST_TMPDIR/r:1: field 'allow': a restriction goes in \"restrict\" ({\"allow\": [CC...]} or {\"deny\": [CC...]}), not beside it"
	sed -n 2p "$BATS_TEST_TMPDIR/r" | ccc-check load --db documents >/dev/null 2>"$BATS_TEST_TMPDIR/err" && false
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" "$(printf '%s\n' "ccc-check: stdin:1: field 'deny': a restriction goes in \"restrict\" ({\"allow\": [CC...]} or {\"deny\": [CC...]}), not beside it" 'ccc-check: documents: 0 records loaded, 1 rejected')"
	assert_equal "$(sql 'SELECT count(*) FROM persons') $(sql 'SELECT count(*) FROM documents')" '0 0'
	assert_equal "$(sql "SELECT count(*) FROM rejects WHERE program = 'ccc-check' AND reason LIKE 'field ''allow''%'")" 1
	# written in "restrict", it restricts
	echo '{"id":"NO-1","name":"Anna Maria Eriksson","owner":"NO","restrict":{"allow":["NO"]}}' |
		ccc-check load -q --db persons
	run ccc-check --ncb FR --name 'Anna Maria Eriksson'
	assert_success
	assert_equal "$(jq -c '.checks[0].hits' <<<"$output")" '[{"restricted":true,"owner":"NO","band":"match"}]'
	run ccc-store verify
	assert_success
}

@test "attack small: a person's impossible date of birth is a reject at load (naming the field) and a usage error in --dob" {
	run ccc-check load --db persons --owner FR <<<'{"id":"P1","name":"Jean Dupont","dob":"1980-13-45"}'
	assert_failure 65
	assert_line "ccc-check: stdin:1: field 'dob': '1980-13-45' is not a date of birth (YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date)"
	printf 'id,name,dob\nP2,Marie Curie,1981-02-29;1981\nP3,Pierre Curie,1980-02-29\n' >"$BATS_TEST_TMPDIR/p.csv"
	run ccc-check load --db persons --input-format csv --owner FR "$BATS_TEST_TMPDIR/p.csv"
	assert_failure 65
	assert_line --partial "p.csv:2: field 'dob': '1981-02-29' is not a date of birth"
	assert_line "ccc-check: persons: 1 records loaded, 1 rejected"
	assert_equal "$(sql 'SELECT group_concat(id) FROM persons')" P3
	run ccc-check --name 'Jean Dupont' --dob 1980-13-45
	assert_failure 64
	assert_line "ccc-check: --dob: '1980-13-45' is not a date of birth (YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date)"
	run ccc-check <<<'{"type":"query","id":"q1","name":"Jean Dupont","dob":"1980-13-45"}'
	assert_failure 65
	assert_line "ccc-check: stdin:1: field 'dob': not a date of birth (YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date)"
}

@test "attack small: an unbalanced CSV quote rejects one record, not every record after it" {
	printf 'id,name\nP1,Jean Dupont\nP2,"Marie Curie\nP3,Pierre Curie\nP4,"Irene Joliot",x\nP5,Paul Langevin\n' >"$BATS_TEST_TMPDIR/q.csv"
	run ccc-check load --db persons --input-format csv --owner FR "$BATS_TEST_TMPDIR/q.csv"
	assert_failure 65
	assert_line "ccc-check: $BATS_TEST_TMPDIR/q.csv:3: text after the closing quote of field 2"
	assert_line "ccc-check: persons: 3 records loaded, 2 rejected"
	assert_equal "$(sql 'SELECT group_concat(id) FROM (SELECT id FROM persons ORDER BY id)')" P1,P3,P5
	printf 'id,name\nP1,Jean Dupont\nP2,"Marie Curie\nP3,Pierre Curie\n' >"$BATS_TEST_TMPDIR/u.csv"
	run ccc-check load --db persons --input-format csv --owner FR "$BATS_TEST_TMPDIR/u.csv"
	assert_line "ccc-check: $BATS_TEST_TMPDIR/u.csv:3: unterminated quoted field 2"
	# P1 and P3 are stored as given already: nothing is written
	assert_line "ccc-check: persons: 0 records loaded, 2 unchanged, 1 rejected"
}

@test "attack 10: among namesakes, the year of birth a denied country asks with does not bring a restricted record forward" {
	# 400 persons named Karim Benali that FR may see, born 1950 to 1989,
	# and one MA keeps from FR, born 1980, last in the index: every key of
	# the name names more than a check takes, so a check reads the keys
	# of its tokens and year of birth (ccc-check(1), Persons)
	awk 'BEGIN {
		for (i = 1; i <= 400; i++)
			printf "{\"id\":\"P-FR-%03d\",\"name\":\"Karim Benali\",\"dob\":\"%d-01-01\"}\n", i, 1950 + i % 40
	}' | ccc-check load -q --db persons --owner FR
	echo '{"id":"P-MA-9","name":"Karim Benali","dob":"1980-06-15","restrict":{"allow":["MA"]}}' |
		ccc-check load -q --db persons --owner MA
	answers=$(for d in 1980-06-15 1980 1979 1981 1960 1990; do
		ccc-check --name 'Karim Benali' --ncb FR --dob "$d" --format ndjson |
			jq -c '[.checks[0].hits[] | select(.restricted)]'
	done | sort -u)
	assert_equal "$answers" '[]'
	# MA, which may see it, finds it by its year
	run -0 ccc-check --name 'Karim Benali' --ncb MA --dob 1980-06-15 --top 1 --format ndjson
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P-MA-9

	# the same among namesakes a rare key finds (61 Omar ... Ibrahim), when
	# the rows of those that share the name are read for their dates
	awk 'BEGIN {
		for (i = 1; i <= 60; i++)
			printf "{\"id\":\"P-FR-9%02d\",\"name\":\"Omar Salim Ibrahim\",\"dob\":\"%d\"}\n", i, 1940 + i
	}' | ccc-check load -q --db persons --owner FR
	echo '{"id":"P-MA-8","name":"Omar Nabil Ibrahim","dob":"1961-06-15","restrict":{"allow":["MA"]}}' |
		ccc-check load -q --db persons --owner MA
	answers=$(for d in 1961-06-15 1961 1962 1975 1990; do
		ccc-check --name 'Omar Ibrahim' --ncb FR --dob "$d" --format ndjson |
			jq -c '[.checks[0].hits[] | select(.restricted)]'
	done | sort -u)
	assert_equal "$(wc -l <<<"$answers")" 1
	run -0 ccc-check --name 'Omar Ibrahim' --ncb MA --dob 1961-06-15 --top 1 --format ndjson
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" P-MA-8
}
