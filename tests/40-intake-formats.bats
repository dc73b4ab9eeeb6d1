#!/usr/bin/env bats
# ccc-intake on every channel: e-mail, mbox, CAP 1.2, RSS and Atom feeds, and
# the entities found in every message.

load helper

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-28T10:00:00Z
}

bats_require_minimum_version 1.5.0

@test "an e-mail with an RFC 2047 subject and a base64 Arabic body becomes an Arabic message" {
	run ccc-intake "$FIXTURES/mail/ar-base64.eml"
	assert_success
	assert_equal "$(jq -r '[.source, .external_id, .language, .subject] | @tsv' <<<"$output")" \
		"$(printf 'mail:ncb.cairo@moi.example.gov.eg\t3310.ncb-cai@moi.example.gov.eg\tar\tطلب تحقق من جواز سفر')"
	assert_equal "$(jq -c '.entities' <<<"$output")" '[{"kind":"document","number":"A09876543","label":"passport"}]'
}

@test "an ISO-8859-1 quoted-printable e-mail is converted to UTF-8" {
	run ccc-intake --input-format email --source ncb:fr "$FIXTURES/mail/fr-latin1-qp.eml"
	assert_success
	assert_equal "$(jq -r .source <<<"$output")" ncb:fr
	assert_equal "$(jq -r .subject <<<"$output")" "Demande de vérification : véhicule volé GE-482-KT"
	jq -e '.body | contains("Référence")' <<<"$output"
}

@test "attachments are recorded with name, type, size and SHA-256" {
	run ccc-intake "$FIXTURES/mail/attachments.eml"
	assert_success
	assert_equal "$(jq -c '[.attachments[] | [.name, .type, .size]]' <<<"$output")" \
		'[["procès-verbal 2025-1187.pdf","application/pdf",447],["صورة_المشتبه.png","image/png",366]]'
	assert_equal "$(jq -r '.attachments[0].sha256' <<<"$output")" f18d758ecb68187f87aab488cac79fc0f7633e5597df9a1471c454b4eb57c288
}

@test "a reply keeps its thread in refs" {
	run ccc-intake "$FIXTURES/mail/reply.eml"
	assert_success
	[ "$(jq '.refs | length' <<<"$output")" -ge 1 ]
}

@test "an mbox gives one message per mail, each rejected or stored on its own line number" {
	run ccc-intake "$FIXTURES/mail/three.mbox"
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_equal "$(jq -r .external_id <<<"$output" | tr '\n' ' ')" "m1@policia.example.es m2@interno.example.it m3@rcmp.example.gc.ca "
	jq -se 'map(select(.external_id == "m1@policia.example.es"))[0].body | contains(">From here")' <<<"$output"
}

@test "input that is not an e-mail is rejected with the reason when --input-format email is given" {
	run ccc-intake --input-format email --source t "$FIXTURES/mail/not-mail.txt"
	assert_failure 65
	assert_output --partial "not-mail.txt:1: email:"
	assert_equal "$(sql 'SELECT count(*) FROM rejects')" 1
}

@test "every valid CAP alert of the test set is taken in with its fields" {
	for f in 43b080713727 KAR0-0306112239-SW thunderstorm australia canada canada_signed earthquake earthquake-iso8859-1 no_optional_fields wcatwc-warning weather; do
		run --separate-stderr ccc-intake "$FIXTURES/cap/$f.cap"
		assert_success
		jq -e '.cap.identifier != null and .source == "cap:" + .cap.sender' <<<"$output" >/dev/null
	done
	# earthquake.cap and no_optional_fields.cap are the same alert (sender and
	# identifier) saying different things: the second is its version 2
	assert_equal "$(sql 'SELECT count(*) FROM messages')" 11
	assert_equal "$(sql "SELECT count(*) FROM messages WHERE record LIKE '%\"version\":2,\"supersedes\":%'")" 1
	run ccc-intake "$FIXTURES/cap/thunderstorm.cap"
	assert_output "ccc-intake: 1 message stored already, not stored again"
}

@test "a CAP alert keeps urgency, severity and certainty, and its info text becomes the message" {
	run ccc-intake "$FIXTURES/cap/thunderstorm.cap"
	assert_success
	assert_equal "$(jq -r '[.external_id, .cap.msg_type, .cap.info[0].urgency, .cap.info[0].severity, .cap.info[0].certainty] | @tsv' <<<"$output")" \
		"$(printf 'KSTO1055887203\tAlert\tImmediate\tSevere\tObserved')"
	assert_equal "$(jq -r .subject <<<"$output")" "SEVERE THUNDERSTORM WARNING"
	assert_equal "$(jq -r .sent_at <<<"$output")" "2003-06-17T21:57:00Z"
}

@test "an ISO-8859-1 CAP alert is read as UTF-8" {
	run ccc-intake "$FIXTURES/cap/earthquake-iso8859-1.cap"
	assert_success
	jq -e '.language == "en"' <<<"$output"
}

@test "invalid CAP is rejected with the schema's reason" {
	run ccc-intake "$FIXTURES/cap/invalid.cap"
	assert_failure 65
	assert_output --partial "invalid.cap:1: cap: CAP 1.2 schema: line 9: Element 'info': This element is not expected"
	run ccc-intake "$FIXTURES/cap/noaa_errors.cap"
	assert_failure 65
	assert_output --partial "urgency"
}

@test "CAP with external entities is refused and the entity's file is never read" {
	run ccc-intake "$FIXTURES/cap/xee.cap"
	assert_failure 65
	assert_output --partial "entity declarations are refused"
	run ccc-store rejects
	refute_output --partial "root:x:0"
	run ccc-intake --input-format rss --source t "$FIXTURES/feed/xxe-rss.xml"
	assert_failure 65
	refute_output --partial "CCC-SECRET-FILE"
	run sql "SELECT count(*) FROM messages WHERE record LIKE '%CCC-SECRET-FILE%'"
	assert_output 0
}

@test "an RSS feed from cron: the source from --source, and a rerun stores nothing new" {
	run bash -c "cat '$FIXTURES/feed/en-rss2.xml' | ccc-intake --input-format rss --source osint:harbour-police"
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_equal "$(jq -r .source <<<"$output" | sort -u)" osint:harbour-police
	entries=$(sql 'SELECT count(*) FROM journal')
	run bash -c "cat '$FIXTURES/feed/en-rss2.xml' | ccc-intake --input-format rss --source osint:harbour-police"
	assert_success
	assert_output "ccc-intake: 3 messages stored already, not stored again"
	assert_equal "$(sql 'SELECT count(*) FROM journal')" "$entries"
}

@test "Atom feeds in French and Arabic are told apart from their first bytes" {
	run ccc-intake "$FIXTURES/feed/fr-atom.xml" "$FIXTURES/feed/ar-atom.xml"
	assert_success
	assert_equal "$(jq -r .language <<<"$output" | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" "ar=2 fr=3 "
	jq -se 'map(select(.language == "fr"))[0].subject | contains("Appel à témoins")' <<<"$output"
}

@test "a Spanish RSS feed in ISO-8859-1 with local-time dates is normalised to UTC" {
	run ccc-intake --source osint:es "$FIXTURES/feed/es-rss-latin1.xml"
	assert_success
	jq -se 'all(.sent_at | test("Z$"))' <<<"$output"
	assert_equal "$(jq -r .language <<<"$output" | sort -u)" es
}

@test "an MRZ in a message becomes an entity, and a wrong check digit is flagged, not dropped" {
	good='P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10'
	bad='P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C37UTO7408122F1204159ZE184226B<<<<<10'
	run ccc-intake --source t <<-EOF
	{"body":"Traveller presented:\n$good"}
	{"body":"Second traveller:\n$bad"}
	EOF
	assert_success
	assert_equal "$(jq -c '[.entities[0].kind, .entities[0].format, .entities[0].document_number]' <<<"${lines[0]}")" '["mrz","TD3","L898902C3"]'
	assert_equal "$(jq -c '.entities[0].errors | index("document_number") != null' <<<"${lines[1]}")" true
	assert_equal "$(jq -c '.entities[0].valid' <<<"${lines[1]}")" false
}

@test "VINs and labelled document numbers in the four languages become entities" {
	run ccc-intake --source t <<-'EOF'
	{"body":"Stolen car, VIN 1HGCM82633A004352, seen at the border."}
	{"body":"Le suspect porte le passeport n° 19AB45872."}
	{"body":"El sospechoso presentó el pasaporte número XDA123456."}
	{"body":"قدم المشتبه به جواز سفر رقم A09876543"}
	EOF
	assert_success
	assert_equal "$(jq -c '.entities[0] | [.kind, (.vin // .number)]' <<<"$output" | tr '\n' ' ')" \
		'["vin","1HGCM82633A004352"] ["document","19AB45872"] ["document","XDA123456"] ["document","A09876543"] '
}
