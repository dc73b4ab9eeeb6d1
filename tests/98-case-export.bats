#!/usr/bin/env bats
# ccc-case export: a case for one country, as a MISP event or a STIX 2.1
# bundle, with only what that country may see; the bundle validated against
# the OASIS STIX 2.1 schemas (tests/fixtures/stix21, tests/stix21-validate).

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
}

# An incident shared with FR, ES and the mena region (MA among them) that
# links: a message from FR naming a stolen French passport; a message from
# MA restricted to MA; FR's check of the passport (check 1); MA's check of
# its own restricted passport (check 2); both documents; a person MA shows
# to MA and ES only; a diffusion sent to MA only; an IRT plan for FR and
# its deployment.
world() {
	# the lists are loaded with --days 0: re-screening the messages taken in
	# before them (97-alerts.bats) would log checks of its own here
	printf '%s\n' \
		'{"source":"ncb:fr","origin_country":"FR","subject":"Bomb threat at Lyon station","body":"The caller used passport 19AB45872 and a car VIN 1HGCM82633A004352.","received_at":"2026-11-20T08:00:00Z"}' \
		'{"source":"ncb:ma","origin_country":"MA","subject":"SECRET-MA-MESSAGE","body":"For MA only.","received_at":"2026-11-20T08:10:00Z","restrict":{"allow":["MA"]}}' |
		ccc-intake -q >/dev/null
	ccc-check load -q --days 0 --db documents --owner FR <<<'{"number":"19AB45872","country":"FR","status":"stolen","type":"passport"}'
	ccc-check load -q --days 0 --db documents --owner MA <<<'{"number":"MA7654321","country":"MA","status":"stolen","type":"passport","restrict":{"allow":["MA"]}}'
	ccc-check load -q --days 0 --db persons --owner MA <<<'{"id":"P-MA-1","name":"Karim Benali","dob":"1980-06-15","nationalities":["MA"],"restrict":{"allow":["MA","ES"]}}'
	CCC_NOW=2026-11-20T08:20:00Z ccc-check -q --doc 19AB45872 --country FR --ncb FR >/dev/null
	CCC_NOW=2026-11-20T08:25:00Z ccc-check -q --doc MA7654321 --country MA --ncb MA >/dev/null
	local d
	d=$(ccc-notice draft --kind diffusion --country ES --set purpose=locate --to MA --as a.martin | jq -r .id)
	ccc-notice review "$d" --as j.garcia >/dev/null
	ccc-notice publish "$d" --as j.garcia >/dev/null
	ccc-deploy -q staff import "$FIXTURES/deploy/roster.ndjson" >/dev/null 2>&1 || true # a row is bad on purpose
	ccc-deploy plan --kind irt --for INC-2026-0042 --country FR --from 2026-12-01 \
		--to 2026-12-10 >/dev/null
	ccc-deploy approve plan-lyon-1 >/dev/null
	CCC_NOW=2026-11-20T09:10:00Z ccc-case open --kind incident \
		--title 'Bomb threat, Lyon Part-Dieu' --country FR,ES --region mena --lead a.martin \
		--as a.martin --format ndjson >/dev/null
	CCC_NOW=2026-11-20T09:20:00Z ccc-case link case-lyon-1 msg-lyon-1 msg-lyon-2 check:1 check:2 \
		document:FR:19AB45872 document:MA:MA7654321 person:P-MA-1 "$d" \
		--as a.martin --format ndjson >/dev/null
	CCC_NOW=2026-11-20T09:20:00Z ccc-case link case-lyon-1 plan-lyon-1 dep-lyon-1 \
		--format ndjson >/dev/null
}

# What FR must never see of the world above, in any form.
restricted_to_fr=(MA7654321 P-MA-1 'Karim Benali' SECRET-MA-MESSAGE msg-lyon-2 notice-lyon-1 X-1/2026)

@test "export --format misp to a country of the distribution: a MISP event with its sharing group, attributes and objects" {
	world
	run --separate-stderr ccc-case export case-lyon-1 --ncb FR --format misp
	assert_success
	assert_equal "$stderr" ""
	e=$output
	assert_equal "$(jq -r '.Event | [.info, .date, .threat_level_id, .analysis, .distribution, .published] | @tsv' <<<"$e")" \
		"$(printf 'Bomb threat, Lyon Part-Dieu (incident case-lyon-1)\t2026-11-20\t1\t1\t4\tfalse')"
	assert_equal "$(jq -r '.Event.timestamp' <<<"$e")" "$(date -u -d 2026-11-20T09:20:00Z +%s)"
	# the sharing group: the NCBs of FR, ES and of every mena country
	assert_equal "$(jq -r '[.Event.SharingGroup.SharingGroupOrg[].Organisation.name] | join(",")' <<<"$e")" \
		"NCB AE,NCB BH,NCB DZ,NCB EG,NCB ES,NCB FR,NCB IQ,NCB JO,NCB KW,NCB LB,NCB LY,NCB MA,NCB OM,NCB PS,NCB QA,NCB SA,NCB SY,NCB TN,NCB YE"
	assert_equal "$(jq -r '.Event.Orgc.name' <<<"$e")" "INTERPOL CCC lyon"
	assert_equal "$(jq -r '[.Event.Tag[].name] | join(" ")' <<<"$e")" 'tlp:amber ccc:case-kind="incident"'
	# the passport: named in FR's message, and the stolen document itself (to_ids)
	assert_equal "$(jq -c '[.Event.Attribute[] | select(.value == "19AB45872") | [.type, .category, .to_ids]]' <<<"$e")" \
		'[["passport-number","Person",true],["passport-number","Person",false]]'
	assert_equal "$(jq -r '.Event.Attribute[] | select(.value == "1HGCM82633A004352") | .type + " " + .comment' <<<"$e")" \
		"text vehicle identification number named in msg-lyon-1"
	assert_equal "$(jq -r '.Event.Attribute[] | select(.value == "Bomb threat at Lyon station") | .comment' <<<"$e")" \
		"message msg-lyon-1 from FR, received 2026-11-20T08:00:00Z"
	assert_equal "$(jq -r '.Event.Attribute[] | select(.comment | startswith("check 1 ")) | .comment' <<<"$e")" \
		"check 1 of documents by FR at 2026-11-20T08:20:00Z: doc:FR:19AB45872 stolen"
	# every attribute has the core fields, every uuid is a UUIDv5
	assert_equal "$(jq '[.Event.Attribute[], .Event.Object[].Attribute[] | select((.uuid | test("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$") | not) or .type == null or .category == null or .value == null or .timestamp == null)] | length' <<<"$e")" 0
	assert_equal "$(jq -r '.Event.uuid' <<<"$e")" "$(jq -r '.Event.uuid' <<<"$(ccc-case export case-lyon-1 --ncb ES --format misp)")"
}

@test "export --format stix: a bundle that validates against the OASIS STIX 2.1 schemas, the report naming every object" {
	world
	run --separate-stderr ccc-case export case-lyon-1 --ncb FR --format stix
	assert_success
	b=$output
	printf '%s\n' "$b" >"$BATS_TEST_TMPDIR/fr.json"
	run "$ROOT/tests/stix21-validate" "$BATS_TEST_TMPDIR/fr.json"
	assert_success
	assert_output "$BATS_TEST_TMPDIR/fr.json: ok"
	assert_equal "$(jq -r '[.type, (.id | startswith("bundle--"))] | @tsv' <<<"$b")" "$(printf 'bundle\ttrue')"
	assert_equal "$(jq -r '[.objects[0].type, .objects[0].identity_class, .objects[1].type] | @tsv' <<<"$b")" \
		"$(printf 'identity\torganization\treport')"
	assert_equal "$(jq -r '.objects[1] | [.name, .published, .created, .spec_version] | @tsv' <<<"$b")" \
		"$(printf 'Bomb threat, Lyon Part-Dieu\t2026-11-20T09:20:00.000Z\t2026-11-20T09:10:00.000Z\t2.1')"
	# the report refers to every other object, and each SDO to the site's identity
	assert_equal "$(jq '(.objects[1].object_refs | sort) == ([.objects[].id] - [.objects[1].id] | sort)' <<<"$b")" true
	assert_equal "$(jq --arg i "$(jq -r '.objects[0].id' <<<"$b")" '[.objects[] | select(.created and .type != "identity" and .created_by_ref != $i)] | length' <<<"$b")" 0
	# the stolen passport is an indicator; FR's message is observed-data
	assert_equal "$(jq -r '.objects[] | select(.type == "indicator") | .pattern' <<<"$b")" \
		"[x-ccc-document:number = '19AB45872' AND x-ccc-document:issuing_country = 'FR']"
	assert_equal "$(jq -r '.objects[] | select(.type == "x-ccc-message") | [.message_id, .origin_country, .subject] | @tsv' <<<"$b")" \
		"$(printf 'msg-lyon-1\tFR\tBomb threat at Lyon station')"
	assert_equal "$(jq -r '[.objects[] | select(.type == "observed-data") | .first_observed] | join(" ")' <<<"$b")" \
		"2026-11-20T08:20:00.000Z 2026-11-20T08:00:00.000Z"
	# the STIX report and the MISP event are the same case
	assert_equal "$(jq -r '.objects[1].id' <<<"$b")" \
		"report--$(ccc-case export case-lyon-1 --ncb FR --format misp | jq -r .Event.uuid)"
}

@test "the schema check is real: a bundle without a report's created, or with a bad id, fails validation" {
	world
	ccc-case export case-lyon-1 --ncb ES --format stix >"$BATS_TEST_TMPDIR/es.json"
	run "$ROOT/tests/stix21-validate" "$BATS_TEST_TMPDIR/es.json"
	assert_success
	jq '(.objects[1] | del(.created)) as $r | .objects[1] = $r' "$BATS_TEST_TMPDIR/es.json" >"$BATS_TEST_TMPDIR/bad1.json"
	run "$ROOT/tests/stix21-validate" "$BATS_TEST_TMPDIR/bad1.json"
	assert_failure 1
	assert_output --partial "'created' is a required property"
	jq '.objects[2].id = "indicator--not-a-uuid"' "$BATS_TEST_TMPDIR/es.json" >"$BATS_TEST_TMPDIR/bad2.json"
	run "$ROOT/tests/stix21-validate" "$BATS_TEST_TMPDIR/bad2.json"
	assert_failure 1
	run "$ROOT/tests/stix21-validate" "$FIXTURES/stix21/indicator-for-c2-ip-address.json"
	assert_success
}

@test "export to a country outside the distribution exits 77 with the reason and writes nothing on stdout" {
	world
	for f in misp stix; do
		run --separate-stderr ccc-case export case-lyon-1 --ncb DE --format "$f"
		assert_failure 77
		assert_output ""
		assert_equal "$stderr" "ccc-case: export: case 'case-lyon-1' is not shared with DE: the country is not in its distribution"
	done
}

@test "a restricted linked record never appears in an export, not as an id, a number or a count" {
	world
	for f in misp stix; do
		ccc-case export case-lyon-1 --ncb FR --format "$f" >"$BATS_TEST_TMPDIR/fr.$f"
		for s in "${restricted_to_fr[@]}"; do
			run grep -c -F -- "$s" "$BATS_TEST_TMPDIR/fr.$f"
			assert_output 0
		done
		run grep -c -F restricted "$BATS_TEST_TMPDIR/fr.$f"
		assert_output 0
	done
	# nor is the check whose hit FR may not see (its query names the number)
	assert_equal "$(jq '[.Event.Attribute[] | select(.comment | startswith("check 2 "))] | length' "$BATS_TEST_TMPDIR/fr.misp")" 0
	assert_equal "$(jq '[.objects[] | select(.type == "x-ccc-check") | .check_id] | join(",")' "$BATS_TEST_TMPDIR/fr.stix")" '"1"'
	# what FR may see is there
	assert grep -q -F 19AB45872 "$BATS_TEST_TMPDIR/fr.misp"
	# MA (in the mena region) sees its own records; ES sees MA's person, not MA's passport
	ma=$(ccc-case export case-lyon-1 --ncb MA --format misp)
	for s in MA7654321 'Karim Benali' SECRET-MA-MESSAGE X-1/2026; do
		assert grep -q -F -- "$s" <<<"$ma"
	done
	es=$(ccc-case export case-lyon-1 --ncb ES --format stix)
	assert grep -q -F 'Karim Benali' <<<"$es"
	run grep -c -F MA7654321 <<<"$es"
	assert_output 0
}

@test "an export run again is byte for byte the same, whatever the time, and a new link changes it" {
	world
	for f in misp stix; do
		ccc-case export case-lyon-1 --ncb FR --format "$f" >"$BATS_TEST_TMPDIR/a.$f"
		CCC_NOW=2026-12-24T23:59:59Z ccc-case export case-lyon-1 --ncb FR --format "$f" >"$BATS_TEST_TMPDIR/b.$f"
		run cmp "$BATS_TEST_TMPDIR/a.$f" "$BATS_TEST_TMPDIR/b.$f"
		assert_success
	done
	CCC_NOW=2026-11-20T10:00:00Z ccc-case close case-lyon-1 --format ndjson >/dev/null
	run ccc-case export case-lyon-1 --ncb FR --format misp
	assert_success
	assert_equal "$(jq -r '.Event | [.analysis, .timestamp] | @tsv' <<<"$output")" \
		"$(printf '2\t%s' "$(date -u -d 2026-11-20T10:00:00Z +%s)")"
	run cmp -s "$BATS_TEST_TMPDIR/a.misp" <(printf '%s\n' "$output")
	assert_failure
}

@test "export of an unknown case exits 65 naming it; a --format or --ncb export does not take is a usage error" {
	run --separate-stderr ccc-case export case-lyon-9 --ncb FR --format misp
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "ccc-case: export: no case 'case-lyon-9'"
	run --separate-stderr ccc-case export case-lyon-9 --ncb FR --format csv
	assert_failure 64
	assert_output ""
	assert_equal "$stderr" "ccc-case: --format: 'csv' is not one of misp, stix"
	run --separate-stderr ccc-case export case-lyon-9 --ncb FR --format table
	assert_failure 64
	run --separate-stderr ccc-case export case-lyon-9 --ncb XX
	assert_failure 64
	assert_equal "$(head -1 <<<"$stderr")" "ccc-case: --ncb: 'XX' is not an ISO 3166 alpha-2 country code"
	run --separate-stderr ccc-case export case-lyon-9
	assert_failure 64
	assert_equal "$stderr" "ccc-case: export needs --ncb: the country the case goes to"
}

@test "an export changes nothing in the store, and its times leave out an export logged in the case" {
	world
	h=$(sql 'SELECT max(seq) FROM journal')
	ccc-case export case-lyon-1 --ncb FR --format misp >"$BATS_TEST_TMPDIR/a.misp"
	assert_equal "$(sql 'SELECT max(seq) FROM journal')" "$h"
	# an export recorded in the case's log (action export) is not a change of the case
	sqlite3 "$CCC_STORE" "INSERT INTO case_log(case_id, ts, actor, action, detail) VALUES ('case-lyon-1', '2026-11-21T00:00:00Z', 'a.martin', 'export', 'FR misp')"
	ccc-case export case-lyon-1 --ncb FR --format misp >"$BATS_TEST_TMPDIR/b.misp"
	run cmp "$BATS_TEST_TMPDIR/a.misp" "$BATS_TEST_TMPDIR/b.misp"
	assert_success
}
