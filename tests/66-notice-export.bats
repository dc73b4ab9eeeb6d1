#!/usr/bin/env bats
# ccc-notice export: CAP 1.2 alerts valid against the OASIS schema for every
# kind that exports them, Update and Cancel messages with their references,
# one <info> per language, scope from the distribution, text escaped as
# written; the public extract in the field shape of INTERPOL's public API.

load helper

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
	XSD=$FIXTURES/cap/cap12.xsd
}

# publish_requests: draft the export requests as a.martin, review and publish
# each as j.garcia (notice-lyon-1 ... notice-lyon-8, one per line of the file).
publish_requests() {
	ccc-notice draft --as a.martin <"$FIXTURES/notice/export-requests.ndjson" >/dev/null
	for i in 1 2 3 4 5 6 7 8; do
		ccc-notice review "notice-lyon-$i" --as j.garcia >/dev/null
		ccc-notice publish "notice-lyon-$i" --as j.garcia >/dev/null
	done
}

# cap ID: export ID as CAP into $BATS_TEST_TMPDIR/ID.xml and validate it.
cap() {
	ccc-notice export --all --format cap "$1" >"$BATS_TEST_TMPDIR/$1.xml"
	xmllint --noout --schema "$XSD" "$BATS_TEST_TMPDIR/$1.xml"
}

# xp FILE PATH: the text at PATH under <alert> (CAP element names and
# numeric predicates, e.g. 'info[2]/headline'), or count(PATH) with -c.
xp() {
	local fn=string
	[ "$1" = -c ] && fn=count && shift
	xmllint --xpath "$fn(/*[local-name()='alert']/$(sed -E "s#([A-Za-z]+)#*[local-name()='\1']#g" <<<"$2"))" "$1"
}

@test "export --format cap is valid CAP 1.2 (OASIS schema) for every kind that exports it" {
	publish_requests
	for i in 1 2 3 4 5 6 8; do
		f=$BATS_TEST_TMPDIR/notice-lyon-$i.xml
		ccc-notice export --all --format cap "notice-lyon-$i" >"$f"
		run xmllint --noout --schema "$XSD" "$f"
		assert_success
		assert_output "$f validates"
		assert_equal "$(xp "$f" identifier) $(xp "$f" sender) $(xp "$f" sent) $(xp "$f" msgType) $(xp "$f" status)" \
			"notice-lyon-$i.1 ops-room.ccc 2026-11-20T09:00:00-00:00 Alert Actual"
		kinds+="$(xp "$f" 'info[1]/eventCode/value')/$(xp "$f" incidents) "
	done
	assert_equal "$kinds" "red/A-1/2026 yellow/F-1/2026 un-special/U-1/2026 orange/E-1/2026 alert/Z-1/2026 alert/Z-2/2026 orange/E-2/2026 "
	run head -c 100 "$BATS_TEST_TMPDIR/notice-lyon-1.xml"
	assert_output --partial $'<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
}

@test "notices without a public part, and notices never published, have no CAP message: exit 65" {
	publish_requests
	run ccc-notice export --format cap notice-lyon-7
	assert_failure 65
	assert_output "ccc-notice: export: notice 'notice-lyon-7' has no public part: alerts, orange notices and public red, yellow and un-special notices are exported as CAP"
	ccc-notice draft --kind red --name 'Ivan Petrov' --dob 1980-03-14 --nationality RU --country FR \
		--charge 'armed robbery' --warrant W-1 --warrant-date 2026-10-02 --authority 'TJ Lyon' --as a.martin >/dev/null
	run ccc-notice export --format cap notice-lyon-9
	assert_failure 65
	assert_output --partial "notice 'notice-lyon-9' has no public part"
	ccc-notice draft --kind alert --set threat=x --set description=y --as a.martin >/dev/null
	run ccc-notice export --format cap notice-lyon-10
	assert_failure 65
	assert_output "ccc-notice: export: notice 'notice-lyon-10' was never published (it is draft)"
	ccc-notice cancel notice-lyon-10 --reason 'drafted twice' --as a.martin >/dev/null
	run ccc-notice export --format cap notice-lyon-10
	assert_failure 65
	assert_output --partial "was never published (it is cancelled)"
	run ccc-notice export --format cap notice-lyon-99
	assert_failure 66
}

@test "updates and renewals are Update messages, a cancellation a Cancel, each referencing every earlier message as sender,identifier,sent" {
	ccc-notice draft --kind alert --set threat='stolen explosives' --set description='200 kg stolen' --as a.martin >/dev/null
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-1 --as j.garcia >/dev/null
	f=$BATS_TEST_TMPDIR/notice-lyon-1.xml
	cap notice-lyon-1
	assert_equal "$(xp -c "$f" references)" 0
	CCC_NOW=2026-11-21T10:30:00Z ccc-notice update notice-lyon-1 --set severity=Extreme --as j.garcia >/dev/null
	run cap notice-lyon-1
	assert_success
	assert_equal "$(xp "$f" identifier)|$(xp "$f" sent)|$(xp "$f" msgType)|$(xp "$f" 'info/severity')" \
		"notice-lyon-1.2|2026-11-21T10:30:00-00:00|Update|Extreme"
	assert_equal "$(xp "$f" references)" "ops-room.ccc,notice-lyon-1.1,2026-11-20T09:00:00-00:00"
	CCC_NOW=2026-12-01T00:00:00Z ccc-notice renew notice-lyon-1 --as j.garcia >/dev/null
	run cap notice-lyon-1
	assert_success
	assert_equal "$(xp "$f" msgType) $(xp "$f" 'info/expires')" "Update 2031-12-01T00:00:00-00:00"
	CCC_NOW=2026-12-02T08:00:00Z ccc-notice cancel notice-lyon-1 --reason 'explosives recovered & suspects held' --as j.garcia >/dev/null
	run cap notice-lyon-1
	assert_success
	assert_equal "$(xp "$f" identifier)|$(xp "$f" msgType)|$(xp "$f" note)|$(xp "$f" 'info/responseType')" \
		"notice-lyon-1.4|Cancel|explosives recovered & suspects held|AllClear"
	assert_equal "$(xp "$f" references)" "ops-room.ccc,notice-lyon-1.1,2026-11-20T09:00:00-00:00 ops-room.ccc,notice-lyon-1.2,2026-11-21T10:30:00-00:00 ops-room.ccc,notice-lyon-1.3,2026-12-01T00:00:00-00:00"
}

@test "one <info> per language: the languages field in its order, else en then each language a translation is given in" {
	publish_requests
	for i in 1 2 3 5 8; do
		cap "notice-lyon-$i" 2>/dev/null
		f=$BATS_TEST_TMPDIR/notice-lyon-$i.xml
		n=$(xp -c "$f" info)
		langs=
		for j in $(seq "$n"); do langs+="$(xp "$f" "info[$j]/language") "; done
		got+="$i: $langs"$'\n'
	done
	assert_equal "$got" "1: en fr es ar "$'\n'"2: en ar "$'\n'"3: en "$'\n'"5: en es "$'\n'"8: fr en "$'\n'
	f=$BATS_TEST_TMPDIR/notice-lyon-1.xml
	assert_equal "$(xp "$f" 'info[1]/event')|$(xp "$f" 'info[2]/event')|$(xp "$f" 'info[3]/event')|$(xp "$f" 'info[4]/event')" \
		"Red notice: wanted person|Notice rouge : personne recherchée|Notificación roja: persona buscada|نشرة حمراء: شخص مطلوب"
	assert_equal "$(xp "$f" 'info[2]/description')" "Chef d'accusation : Escroquerie <plus d'1 M€> & « blanchiment »"
	f=$BATS_TEST_TMPDIR/notice-lyon-8.xml
	assert_equal "$(xp "$f" 'info[1]/headline')|$(xp "$f" 'info[2]/headline')|$(xp "$f" 'info[2]/area/areaDesc')" \
		"Notice orange : colis piégés|Orange notice: parcel bombs|World"
}

@test "text with <, &, quotes and Arabic comes out as drafted, and ccc-intake reads the alert back" {
	publish_requests
	cap notice-lyon-1 2>/dev/null
	cap notice-lyon-2 2>/dev/null
	f=$BATS_TEST_TMPDIR/notice-lyon-1.xml
	run grep -F 'Fraud &lt;over €1m&gt; &amp;' "$f"
	assert_success
	assert_equal "$(xp "$f" 'info[1]/description')" "Charge: $(jq -r 'select(.kind == "red") | .charge' "$FIXTURES/notice/export-requests.ndjson")"
	assert_equal "$(xp "$f" 'info[4]/description')" "التهمة: احتيال وغسل أموال <أكثر من مليون يورو>"
	assert_equal "$(xp "$f" 'info[1]/headline')" "Red notice: Seán O'Brien-Ó Dálaigh"
	g=$BATS_TEST_TMPDIR/notice-lyon-2.xml
	assert_equal "$(xp "$g" 'info[2]/headline')|$(xp "$g" 'info[2]/description')" \
		"نشرة صفراء: ليلى حداد|شوهدت آخر مرة في مرفأ بيروت، ترتدي معطفًا أحمر"
	run ccc-intake --source cap:ops-room "$f"
	assert_success
	assert_equal "$(jq -r '[.cap.identifier, .cap.msg_type, .cap.scope, (.cap.info | length), .cap.info[3].description] | @tsv' <<<"$output")" \
		"$(printf 'notice-lyon-1.1\tAlert\tPublic\t4\tالتهمة: احتيال وغسل أموال <أكثر من مليون يورو>')"
}

@test "scope: Public when public, Restricted naming the regions and countries, Private with the bureaus as addresses" {
	publish_requests
	for i in 1 4 5 6; do cap "notice-lyon-$i" 2>/dev/null; done
	d=$BATS_TEST_TMPDIR
	assert_equal "$(xp "$d/notice-lyon-1.xml" scope) $(xp -c "$d/notice-lyon-1.xml" restriction)" "Public 0"
	assert_equal "$(xp "$d/notice-lyon-4.xml" scope)|$(xp "$d/notice-lyon-4.xml" restriction)" \
		"Restricted|For law enforcement only; sent to the regions europe and the countries MA"
	assert_equal "$(xp "$d/notice-lyon-4.xml" 'info/area[1]/areaDesc')|$(xp "$d/notice-lyon-4.xml" 'info/area[1]/geocode/value')|$(xp "$d/notice-lyon-4.xml" 'info/area[2]/areaDesc')|$(xp "$d/notice-lyon-4.xml" 'info/area[2]/geocode/value')" \
		"Europe|europe|Countries: MA|MA"
	assert_equal "$(xp "$d/notice-lyon-5.xml" scope)|$(xp "$d/notice-lyon-5.xml" 'info[2]/area/areaDesc')" "Public|Mundo"
	assert_equal "$(xp "$d/notice-lyon-6.xml" scope)|$(xp "$d/notice-lyon-6.xml" addresses)|$(xp "$d/notice-lyon-6.xml" 'info/urgency')" \
		"Private|ncb:fr ncb:es|Immediate"
	ccc-notice draft --kind alert --set threat=x --set description=y --as a.martin >/dev/null
	ccc-notice review notice-lyon-9 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-9 --as j.garcia >/dev/null
	cap notice-lyon-9 2>/dev/null
	assert_equal "$(xp "$d/notice-lyon-9.xml" restriction)" "For law enforcement only; sent to every member country"
}

@test "--sender names the sender of the message and of its references; a sender with a comma or a space is refused" {
	ccc-notice draft --kind alert --set threat=x --set description=y --public --as a.martin >/dev/null
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-1 --as j.garcia >/dev/null
	CCC_NOW=2026-11-20T10:00:00Z ccc-notice update notice-lyon-1 --set description=z --as j.garcia >/dev/null
	run ccc-notice export --format cap --sender ncb.lyon@example.org notice-lyon-1
	assert_success
	assert_output --partial "<sender>ncb.lyon@example.org</sender>"
	assert_output --partial "<references>ncb.lyon@example.org,notice-lyon-1.1,2026-11-20T09:00:00-00:00</references>"
	run ccc-notice export --format cap --sender 'ops room' notice-lyon-1
	assert_failure 64
	assert_output --partial "--sender: 'ops room' is empty or has white space, ',', '<' or '&'"
}

@test "export --format public writes the extract of published notices whose country agreed, in the field shape of INTERPOL's public API" {
	publish_requests
	run ccc-notice export --format public
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_equal "${lines[0]}" '{"entity_id":"2026/00001","forename":"Seán","name":"O'"'"'Brien-Ó Dálaigh","date_of_birth":"1979/01/17","nationalities":["IE","GB"],"arrest_warrants":[{"charge":"Fraud <over €1m> & \"money laundering\"","issuing_country_id":"IE"}]}'
	assert_equal "$(jq -r '[.entity_id, .name, .date_of_birth, (.nationalities | join(","))] | @tsv' <<<"${lines[1]}")" \
		"$(printf '2026/00002\tحداد\t2010/06/02\tLB')"
	assert_equal "$(jq -c '[.entity_id, .forename, .date_of_birth, .nationalities]' <<<"${lines[2]}")" '["2026/00003",null,null,[]]'
	# The same keys as the API's list entries (but its links), the red
	# notices' also within the API's detail, with the same value formats.
	shape=$FIXTURES/notice/interpol-public-shape.json
	want=$(jq -c '.list._embedded.notices[0] | del(._links) | keys' "$shape")
	for l in "${lines[@]}"; do
		assert_equal "$(jq -c 'del(.arrest_warrants) | keys' <<<"$l")" "$want"
		assert_equal "$(jq -r '[(.entity_id | test("^[0-9]{4}/[0-9]{5}$")), (.date_of_birth == null or (.date_of_birth | test("^[0-9]{4}/[0-9]{2}/[0-9]{2}$")))] | @tsv' <<<"$l")" "$(printf 'true\ttrue')"
	done
	assert_equal "$(jq -c --slurpfile s "$shape" '[(keys - ($s[0].detail | keys)), (.arrest_warrants[0] | keys) - ($s[0].detail.arrest_warrants[0] | keys)]' <<<"${lines[0]}")" '[[],[]]'
	ccc-notice cancel notice-lyon-2 --reason found --as j.garcia >/dev/null
	run ccc-notice export --format public
	assert_equal "$(jq -r .entity_id <<<"$output" | tr '\n' ' ')" "2026/00001 2026/00003 "
}

@test "export --format public ID refuses a notice with no public extract: exit 65" {
	publish_requests
	ccc-notice draft --kind red --name 'Ivan Petrov' --dob 1980-03-14 --nationality RU --country FR \
		--charge 'armed robbery' --warrant W-1 --warrant-date 2026-10-02 --authority 'TJ Lyon' --as a.martin >/dev/null
	run ccc-notice export --all --format public A-1/2026 notice-lyon-9 notice-lyon-4 notice-lyon-5
	assert_failure 65
	assert_line --partial '"entity_id":"2026/00001"'
	assert_line "ccc-notice: export: notice 'notice-lyon-9' is draft: only published notices are public"
	assert_line "ccc-notice: export: notice 'notice-lyon-4' is orange: only red, yellow and un-special notices have a public extract"
	assert_line "ccc-notice: export: notice 'notice-lyon-5' is alert: only red, yellow and un-special notices have a public extract"
	ccc-notice review notice-lyon-9 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-9 --as j.garcia >/dev/null
	run ccc-notice export --format public notice-lyon-9
	assert_failure 65
	assert_output "ccc-notice: export: notice 'notice-lyon-9' is not public: its requesting country did not agree to publication"
	ccc-notice update notice-lyon-9 --public --as j.garcia >/dev/null
	run ccc-notice export --format public notice-lyon-9
	assert_success
	assert_equal "$(jq -r .entity_id <<<"$output")" 2026/00009
}

@test "export needs --format cap or public; elsewhere --format is table or ndjson" {
	run ccc-notice export notice-lyon-1
	assert_failure 64
	assert_output --partial "export: give --format cap or --format public"
	run ccc-notice export --format table notice-lyon-1
	assert_failure 64
	run ccc-notice list --format cap
	assert_failure 64
	assert_output --partial "list: --format is ndjson or table"
	run ccc-notice feed --format table
	assert_success
	assert_line --index 0 --regexp '^FEED SEQ +EVENT +ID +CONTROL +KIND +STATUS +EXPIRES +SUBJECT$'
	run ccc-notice feed --format cap
	assert_failure 64
	assert_output --partial "feed: --format is ndjson or table"
	run ccc-notice export --format xml
	assert_failure 64
	assert_output --partial "--format: 'xml' is not ndjson, table, cap or public"
	run ccc-notice export --format cap
	assert_failure 64
	assert_output --partial "export --format cap: give one notice id"
}

@test "a control character XML cannot carry becomes U+FFFD, and the alert stays valid" {
	printf '%s\n' '{"kind":"alert","threat":"bell\u0007ringer","description":"tab\there, cr\r, nul-free \u001b[31m"}' |
		ccc-notice draft --as a.martin >/dev/null
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-1 --as j.garcia >/dev/null
	run cap notice-lyon-1
	assert_success
	f=$BATS_TEST_TMPDIR/notice-lyon-1.xml
	assert_equal "$(xp "$f" 'info/event')" "bell�ringer"
	assert_equal "$(xp "$f" 'info/description')" "$(printf 'tab\there, cr\r, nul-free �[31m')"
}
