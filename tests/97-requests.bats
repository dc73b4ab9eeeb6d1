#!/usr/bin/env bats
# Requests and replies in the work queue: stated deadlines in four languages
# become due times, expired input is not paged, a held item is not taken by
# surprise, a message's whole story, and the service report.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-12-04T10:00:00Z
}

# ask CC LANG SENT BODY: take in and triage a message; its triage on stdout
ask() {
	jq -cn --arg c "$1" --arg l "$2" --arg s "$3" --arg b "$4" \
		'{type:"message", source:"test", origin_country:$c, language:$l, sent_at:$s,
		  subject:"", body:$b}' | ccc-intake -q | ccc-triage -q | jq -c .triage
}

@test "stated deadlines in four languages, with and without a zone, become due_at" {
	t=$(ask GB en 2026-12-04T09:58:00Z "Please check this passport within 30 minutes.")
	assert_equal "$(jq -r '.deadline + " " + .due_at + " " + .priority' <<<"$t")" \
		"2026-12-04T10:28:00Z 2026-12-04T10:28:00Z P2"
	t=$(ask FR fr 2026-12-04T09:58:00Z "Contrôle de passeport : réponse souhaitée avant 14h30.")
	assert_equal "$(jq -r .deadline <<<"$t")" 2026-12-04T13:30:00Z
	jq -e '.reasons | index("zone:Europe/Paris origin_country FR")' <<<"$t"
	t=$(ask AR es 2026-12-04T09:58:00Z "Se solicita verificar antes de las 18:00 hora local.")
	assert_equal "$(jq -r .deadline <<<"$t")" 2026-12-04T21:00:00Z
	t=$(ask MA ar 2026-12-04T09:58:00Z "يرجى التحقق من جواز السفر خلال ساعة")
	assert_equal "$(jq -r '.deadline + " " + .request' <<<"$t")" "2026-12-04T10:58:00Z check"
	t=$(ask SG en 2026-12-04T09:58:00Z "Please check the passenger before the flight departs at 21:40.")
	assert_equal "$(jq -r .deadline <<<"$t")" 2026-12-04T13:40:00Z
	t=$(ask FR en 2026-12-04T09:58:00Z "Please confirm by 14:00 UTC.")
	assert_equal "$(jq -r .deadline <<<"$t")" 2026-12-04T14:00:00Z
	# across midnight, and the night the clocks go back, in Paris
	export CCC_NOW=2026-12-04T22:31:00Z
	t=$(ask FR fr 2026-12-04T22:30:00Z "Merci de vérifier avant 01h00.")
	assert_equal "$(jq -r .deadline <<<"$t")" 2026-12-05T00:00:00Z
	export CCC_NOW=2026-10-24T23:01:00Z
	t=$(ask FR fr 2026-10-24T23:00:00Z "Merci de vérifier avant 02h30.")
	assert_equal "$(jq -r .deadline <<<"$t")" 2026-10-25T00:30:00Z
	# the issue's example: a detained traveller, 30 minutes, Spanish
	export CCC_NOW=2026-12-04T10:00:00Z
	t=$(ask ES es 2026-12-04T09:55:00Z "Viajero detenido, respuesta necesaria en 30 minutos.")
	assert_equal "$(jq -r '.priority + " " + .due_at' <<<"$t")" "P2 2026-12-04T10:25:00Z"
}

@test "due times count from sent_at, whatever time triage runs" {
	jq -cn '{type:"message", source:"test", sent_at:"2026-12-04T08:00:00Z",
		subject:"For information", body:"Annual statistics, for information."}' |
		ccc-intake -q >/dev/null
	run env CCC_NOW=2026-12-06T00:00:00Z ccc-triage -q --pending
	assert_equal "$(jq -r .triage.due_at <<<"$output")" 2026-12-07T08:00:00Z
}

# cap EXPIRES: a CAP 1.2 alert, Immediate and Extreme, sent at 09:00
cap() {
	cat <<-XML
	<?xml version="1.0" encoding="UTF-8"?>
	<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
	  <identifier>flood-$1</identifier>
	  <sender>alerts@example.org</sender>
	  <sent>2026-12-04T09:00:00+00:00</sent>
	  <status>Actual</status>
	  <msgType>Alert</msgType>
	  <scope>Public</scope>
	  <info>
	    <category>Met</category>
	    <event>Flash flood</event>
	    <urgency>Immediate</urgency>
	    <severity>Extreme</severity>
	    <certainty>Observed</certainty>
	    <expires>$1</expires>
	    <headline>Flash flood at the border crossing</headline>
	  </info>
	</alert>
	XML
}

@test "a CAP alert expired before it arrived is triaged so and never paged; one that expires later stops paging" {
	cap 2026-12-04T09:30:00+00:00 >"$BATS_TEST_TMPDIR/old.xml"
	cap 2026-12-04T12:00:00+00:00 >"$BATS_TEST_TMPDIR/live.xml"
	run sh -c "ccc-intake -q '$BATS_TEST_TMPDIR/old.xml' '$BATS_TEST_TMPDIR/live.xml' | ccc-triage -q"
	assert_success
	assert_equal "$(jq -c '[.triage.priority, .triage.expired]' <<<"${lines[0]}")" '["P4",true]'
	jq -e '.triage.reasons | index("expired:cap")' <<<"${lines[0]}"
	assert_equal "$(jq -c '[.triage.priority, .triage.expired]' <<<"${lines[1]}")" '["P1",null]'
	# an hour on: the live alert is overdue and paged again; the expired one, never
	run env CCC_NOW=2026-12-04T11:00:00Z ccc-triage escalate
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_equal "$(jq -r .external_id <<<"${lines[0]}")" flood-2026-12-04T12:00:00+00:00
	# once it has expired, nobody is paged for it either
	run env CCC_NOW=2026-12-04T12:30:00Z ccc-triage escalate
	assert_success
	assert_output ""
}

@test "take of an item another officer holds is refused (75) unless --steal, which is logged" {
	ask FR fr 2026-12-04T09:58:00Z "Merci de vérifier le passeport X1." >/dev/null
	ccc-triage -q take msg-lyon-1 --as a.martin >/dev/null
	run ccc-triage take msg-lyon-1 --as j.garcia
	assert_failure 75
	assert_output --partial "message 'msg-lyon-1' is taken by a.martin: take it over with --steal"
	run ccc-triage take msg-lyon-1 --as j.garcia --steal --format ndjson
	assert_success
	assert_equal "$(jq -r .queue.assignee <<<"$output")" j.garcia
	assert_equal "$(sqlite3 "$CCC_STORE" "SELECT actor || ' ' || action || ' ' || coalesce(detail, '') FROM queue_log ORDER BY e DESC LIMIT 1")" \
		"j.garcia steal from a.martin"
	# taking back what is yours, and --steal on a free item, are plain takes
	run ccc-triage take msg-lyon-1 --as j.garcia
	assert_success
	run ccc-triage take msg-lyon-1 --as j.garcia --format ndjson --steal
	assert_success
	run ccc-triage close msg-lyon-1 --steal
	assert_failure 64
	assert_output --partial "--steal does nothing with close"
}

@test "show: a message's whole story, text on a terminal and one record on a pipe" {
	printf '%s\n' '{"number":"X1234567","country":"MA","status":"stolen","owner":"MA"}' |
		ccc-check load -q --db documents
	jq -cn '{type:"message", source:"test", external_id:"rabat-77", origin_country:"MA",
		language:"en", sent_at:"2026-12-04T09:58:00Z", subject:"Traveller at the airport",
		body:"Please check passport X1234567 MA within 30 minutes."}' |
		ccc-intake -q | ccc-triage -q | ccc-check -q >/dev/null
	ccc-triage -q take msg-lyon-1 --as a.martin >/dev/null
	ccc-triage -q note msg-lyon-1 'Called NCB Rabat' --as a.martin >/dev/null
	rid=$(ccc-reply -q draft msg-lyon-1 --as a.martin --format ndjson | jq -r .id)
	ccc-reply -q review "$rid" --as j.garcia >/dev/null
	ccc-reply -q send "$rid" --deliver record --via 'cat >/dev/null' --as a.martin >/dev/null
	run ccc-triage show msg-lyon-1
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_equal "$(jq -r '[.triage.priority, .queue.assignee, (.checks|length), .replies[0].status] | join(" ")' <<<"$output")" \
		"P2 a.martin 1 sent"
	assert_equal "$(jq -r '[.log[] | .action + ":" + (.detail // "")] | join(" ")' <<<"$output")" \
		"triaged:P2 take: note:Called NCB Rabat"
	assert_equal "$(jq -r '[.replies[0].log[].action] | join(" ")' <<<"$output")" \
		"draft review attempt sent"
	# the queue item keeps when it was first answered
	assert_equal "$(jq -r .queue.answered_at <<<"$output")" 2026-12-04T10:00:00Z
	run script -qc "ccc-triage show msg-lyon-1" /dev/null
	assert_success
	assert_output --partial "msg-lyon-1  P2 general  due 2026-12-04T10:28:00Z  request check"
	assert_output --partial "Subject: Traveller at the airport"
	assert_output --partial "deadline:en \"within 30 minutes\" 2026-12-04T10:28:00Z"
	assert_output --regexp "documents \\{\"number\":\"X1234567\".*\\}: 1 hit"
	assert_output --partial "a.martin  note: Called NCB Rabat"
	assert_output --regexp "$rid  sent  to MA"
	run ccc-triage show msg-lyon-9
	assert_failure 66
}

@test "report: per priority, bureau and language, answered in time, time to first reply, overdue" {
	# three requests at 09:58: Morocco's answered at 10:10 (in time), Spain's at
	# 11:00 (late: due 10:28), France's never
	ask MA en 2026-12-04T09:58:00Z "Please check passport Z1 within 30 minutes." >/dev/null
	ask ES es 2026-12-04T09:58:00Z "Respuesta necesaria en 30 minutos." >/dev/null
	ask FR fr 2026-12-04T09:58:00Z "Réponse souhaitée dans l'heure." >/dev/null
	export CCC_NOW=2026-12-04T10:10:00Z
	r=$(ccc-reply -q draft msg-lyon-1 --format ndjson | jq -r .id)
	ccc-reply -q send "$r" --deliver record --via 'cat >/dev/null' >/dev/null
	export CCC_NOW=2026-12-04T11:00:00Z
	r=$(ccc-reply -q draft msg-lyon-2 --format ndjson | jq -r .id)
	ccc-reply -q send "$r" --deliver record --via 'cat >/dev/null' >/dev/null
	export CCC_NOW=2026-12-04T12:00:00Z
	run ccc-triage report
	assert_success
	assert_equal "$(jq -c 'select(.by == "all") | [.requests, .answered, .in_time, .median_reply_s, .p95_reply_s, .overdue]' <<<"$output")" \
		'[3,2,1,720,3720,1]'
	assert_equal "$(jq -r 'select(.by == "bureau") | .key + ":" + (.in_time|tostring) + "/" + (.overdue|tostring)' <<<"$output" | paste -sd' ')" \
		"ES:0/0 FR:0/1 MA:1/0"
	assert_equal "$(jq -r 'select(.by == "language") | .key' <<<"$output" | paste -sd' ')" "en es fr"
	# "dans l'heure" is a deadline within hours: P2 like the others
	assert_equal "$(jq -r 'select(.by == "priority") | .key' <<<"$output" | paste -sd' ')" "P2"
	# a period without them
	run ccc-triage report --since 2026-12-05
	assert_equal "$(jq -c 'select(.by == "all") | [.requests, .median_reply_s]' <<<"$output")" '[0,null]'
	run script -qc "ccc-triage report" /dev/null
	assert_output --regexp "BY +KEY +REQUESTS +ANSWERED +IN TIME +MEDIAN +P95 +OVERDUE"
	assert_output --regexp "all +all +3 +2 +1 +12m +1h02m +1"
	run ccc-triage report --since yesterday
	assert_failure 64
}
