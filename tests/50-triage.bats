#!/usr/bin/env bats
# ccc-triage: priorities on a labelled corpus, rules of your own, the queue,
# take/assign/note/close, escalation.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-28T10:00:00Z
}

intake() {
	ccc-intake -q --source "${1:-ncb:test}"
}

# The corpus gives some messages the checks ccc-check found for them. Intake
# takes no "checks" from input (ccc-check owns that field), and ccc-check's
# results depend on reference data the corpus does not carry, so they are
# written where ccc-check writes them: into the stored message (line N of the
# corpus is message N).
fixture_checks() {
	local n=0 line checks
	while IFS= read -r line; do
		n=$((n + 1))
		checks=$(jq -c '.checks // empty' <<<"$line")
		[ -n "$checks" ] || continue
		sql "UPDATE messages SET record = json_set(record, '\$.checks', json('${checks//\'/\'\'}')) WHERE n = $n"
	done <"$1"
}

@test "triage adds priority, category, CAP fields, due time and reasons, and stores them" {
	run bash -c "echo '{\"subject\":\"URGENT: bomb threat at the central station\",\"body\":\"An explosive device may go off within the hour.\"}' | ccc-intake -q --source ncb:fr | ccc-triage"
	assert_success
	assert_equal "$(jq -r '.triage | [.priority, .category, .urgency] | @tsv' <<<"$output")" "$(printf 'P1\tterrorism\tImmediate')"
	assert_equal "$(jq -r .triage.due_at <<<"$output")" 2026-11-28T10:15:00Z
	jq -e '.triage.reasons | length > 0' <<<"$output"
	assert_equal "$(sql "SELECT triage ->> '\$.priority' FROM messages")" P1
	# kept beside the record, which stays as ccc-intake wrote it
	assert_equal "$(sql "SELECT json_type(record, '\$.triage') IS NULL FROM messages")" 1
	assert_equal "$(sql 'SELECT priority || " " || status FROM queue')" "P1 open"
	run ccc-store verify
	assert_success
}

@test "the labelled corpus: every priority exact, and no P1 below P2" {
	intake <"$FIXTURES/triage/corpus.ndjson" >"$BATS_TEST_TMPDIR/m"
	fixture_checks "$FIXTURES/triage/corpus.ndjson"
	ccc-triage <"$BATS_TEST_TMPDIR/m" >"$BATS_TEST_TMPDIR/out"
	total=$(wc -l <"$BATS_TEST_TMPDIR/out")
	[ "$total" -ge 80 ]
	exact=$(jq -s 'map(select(.triage.priority == .expected.priority)) | length' "$BATS_TEST_TMPDIR/out")
	low=$(jq -s 'map(select(.expected.priority == "P1" and (.triage.priority == "P3" or .triage.priority == "P4"))) | length' "$BATS_TEST_TMPDIR/out")
	echo "exact $exact of $total, P1 below P2: $low" >&3
	# the corpus the rules are tuned on stays whole: a change that loses
	# one of its messages is a change of the rules, or of the policy
	assert_equal "$exact" "$total"
	assert_equal "$low" 0
	for lang in ar en fr es; do
		[ "$(jq -s --arg l "$lang" 'map(select(.language == $l)) | length' "$BATS_TEST_TMPDIR/out")" -ge 20 ]
	done
}

@test "records of other types pass through, and a message not in the store is rejected" {
	run ccc-triage <<-'EOF'
	{"type":"query","id":"q1","doc":"X1"}
	{"type":"message","v":1,"id":"msg-lyon-999","subject":"never taken in","body":"x"}
	EOF
	assert_failure 65
	assert_line '{"type":"query","id":"q1","doc":"X1"}'
	assert_line --partial "stdin:2: message 'msg-lyon-999' is not in the store (take it in with ccc-intake first)"
}

@test "a rerun of triage over the same messages changes nothing" {
	echo '{"subject":"Missing child","body":"A 7-year-old girl was abducted this morning."}' | intake >"$BATS_TEST_TMPDIR/m"
	ccc-triage <"$BATS_TEST_TMPDIR/m" >/dev/null
	entries=$(sql 'SELECT count(*) FROM journal')
	ccc-triage <"$BATS_TEST_TMPDIR/m" >/dev/null
	assert_equal "$(sql 'SELECT count(*) FROM journal')" "$entries"
	assert_equal "$(sql 'SELECT count(*) FROM queue_log')" 1
}

@test "rules of your own raise the priority, set the category, and are listed in reasons" {
	cat >"$BATS_TEST_TMPDIR/rules.ndjson" <<-'EOF'
	{"name":"vip-route","if":".body | test(\"summit\"; \"i\")","priority":"P1","category":"terrorism","reason":"concerns the summit"}
	{"name":"from-interpol-hq","if":".source == \"ncb:hq\"","priority":"P3","reason":"headquarters"}
	{"name":"broken-at-run-time","if":".body | tonumber","priority":"P2"}
	EOF
	run bash -c "echo '{\"body\":\"Delegates arrive for the summit next week; information only.\"}' | ccc-intake -q --source ncb:hq | ccc-triage --rules '$BATS_TEST_TMPDIR/rules.ndjson'"
	assert_success
	assert_equal "$(jq -r '.triage | [.priority, .category, .due_at] | @tsv' <<<"$output")" "$(printf 'P1\tterrorism\t2026-11-28T10:15:00Z')"
	jq -e '.triage.reasons | index("rule:vip-route: concerns the summit") != null' <<<"$output"
	jq -e '.triage.reasons | index("rule:from-interpol-hq: headquarters") != null' <<<"$output"
	jq -e '.triage.reasons | map(startswith("rule:broken-at-run-time: error:")) | any' <<<"$output"
}

@test "a rule that does not compile is named with jq's message, exit 78" {
	echo '{"name":"typo","if":".body | tset(\"x\")","priority":"P1"}' >"$BATS_TEST_TMPDIR/bad.ndjson"
	run ccc-triage --rules "$BATS_TEST_TMPDIR/bad.ndjson" </dev/null
	assert_failure 78
	assert_output --partial "rules '$BATS_TEST_TMPDIR/bad.ndjson': rule typo:"
	assert_output --partial "tset/1 is not defined"
	echo '{"name":"no-priority","if":"true"}' >"$BATS_TEST_TMPDIR/bad2.ndjson"
	run ccc-triage --rules "$BATS_TEST_TMPDIR/bad2.ndjson" </dev/null
	assert_failure 78
	assert_output --partial "rule no-priority: \"priority\" must be P1, P2, P3 or P4"
}

@test "--explain shows the priority and the evidence on stderr" {
	run bash -c "echo '{\"subject\":\"Vol à 14h30\",\"body\":\"Le fugitif recherché embarque sur le vol de 14h30.\"}' | ccc-intake -q --source ncb:fr | ccc-triage --explain 2>&1 >/dev/null"
	assert_success
	assert_line --regexp '^msg-lyon-1: P[12] fugitive '
	assert_line --regexp '^  lexicon:fugitive:fr '
}

# Three messages: a P1 (due 10:15), a P2 (due 11:00) and a P4, triaged at 10:00.
queue_of_three() {
	intake <<-'EOF' | ccc-triage >/dev/null
	{"subject":"URGENT: armed fugitive boarding a flight in 30 minutes","body":"The wanted man is at gate 12 now."}
	{"subject":"Cocaine shipment expected at the port tonight","body":"Please check the container manifest before it is unloaded."}
	{"subject":"For information: new duty telephone numbers","body":"Please note the new numbers from Monday."}
	EOF
}

@test "the queue lists open items most urgent first, as NDJSON or a table" {
	queue_of_three
	run ccc-triage queue
	assert_success
	assert_equal "$(jq -r '[.id, .triage.priority, .queue.status, .queue.time_left_s] | @tsv' <<<"$output" | head -1 | cut -f3)" open
	assert_equal "$(jq -r .triage.priority <<<"$output" | tr '\n' ' ')" "$(sql "SELECT group_concat(priority, ' ') || ' ' FROM (SELECT priority FROM queue ORDER BY priority, due_at)")"
	run ccc-triage queue --format table --priority P1
	assert_success
	assert_line --index 0 --regexp '^PRI +DUE IN +ID +CATEGORY +STATUS +ASSIGNEE +SUBJECT$'
	assert_line --index 1 --regexp '^P1 +0h15m +msg-lyon-1 +fugitive +open +- +URGENT: armed fugitive'
	assert_equal "${#lines[@]}" 2
}

@test "take, assign, note and close are journaled with who did them" {
	queue_of_three
	run ccc-triage take msg-lyon-1 --as officer.dupont
	assert_success
	assert_equal "$(jq -r '.queue | [.status, .assignee] | @tsv' <<<"$output")" "$(printf 'taken\tofficer.dupont')"
	run ccc-triage assign msg-lyon-2 --to analyst.garcia
	assert_success
	run ccc-triage note msg-lyon-2 "called NCB Madrid, waiting for an answer"
	assert_success
	run ccc-triage close msg-lyon-1 --reason "located and arrested" --as officer.dupont
	assert_success
	assert_equal "$(jq -r .queue.status <<<"$output")" closed
	run ccc-triage queue
	refute_output --partial '"id":"msg-lyon-1"'
	run ccc-triage queue --all
	assert_output --partial '"id":"msg-lyon-1"'
	assert_equal "$(sql "SELECT group_concat(actor || ':' || action, ' ') FROM (SELECT actor, action FROM queue_log WHERE action <> 'triaged' ORDER BY e)")" \
		"officer.dupont:take duty-officer:assign duty-officer:note officer.dupont:close"
	run ccc-store log
	assert_output --partial '"actor":"officer.dupont","command":"ccc-triage close msg-lyon-1'
	run ccc-triage take msg-lyon-77
	assert_failure 66
	assert_output --partial "message 'msg-lyon-77' is not in store"
	run ccc-triage assign msg-lyon-2
	assert_failure 64
}

@test "escalate raises each overdue open item one level, records why, and writes it out" {
	queue_of_three
	run env CCC_NOW=2026-11-28T11:30:00Z ccc-triage escalate
	assert_success
	# P1 (due 10:15) stays P1 with a new due time; P2 (due 11:00) becomes P1; P4 is not due yet
	assert_equal "${#lines[@]}" 2
	assert_equal "$(jq -r '[.id, .triage.priority, .triage.due_at] | @tsv' <<<"$output" | tr '\n' ' ')" \
		"$(printf 'msg-lyon-1\tP1\t2026-11-28T11:45:00Z msg-lyon-2\tP1\t2026-11-28T11:45:00Z ')"
	jq -e '.triage.reasons[-1] | startswith("escalated: overdue since 2026-11-28T11:00:00Z at P2, now P1")' <<<"${lines[1]}"
	assert_equal "$(sql 'SELECT escalations FROM queue WHERE n = 2')" 1
	run env CCC_NOW=2026-11-28T11:31:00Z ccc-triage escalate
	assert_success
	assert_output ""
	run ccc-store verify
	assert_success
}

@test "an independent set the rules were not written against: at least 80% exact, no P1 below P2" {
	intake <"$FIXTURES/triage/independent.ndjson" | ccc-triage >"$BATS_TEST_TMPDIR/out"
	total=$(wc -l <"$BATS_TEST_TMPDIR/out")
	exact=$(jq -s 'map(select(.triage.priority == .expected.priority)) | length' "$BATS_TEST_TMPDIR/out")
	low=$(jq -s 'map(select(.expected.priority == "P1" and (.triage.priority == "P3" or .triage.priority == "P4"))) | length' "$BATS_TEST_TMPDIR/out")
	echo "independent set: exact $exact of $total, P1 below P2: $low" >&3
	assert_equal "$total" 24
	[ $((exact * 100)) -ge $((total * 80)) ]
	assert_equal "$low" 0
}

@test "triaging an escalated message again keeps its raised priority and the reason" {
	queue_of_three
	CCC_NOW=2026-11-28T11:30:00Z ccc-triage escalate >/dev/null
	run bash -c "ccc-triage queue --format ndjson | jq -c 'select(.id == \"msg-lyon-2\") | del(.queue)' | CCC_NOW=2026-11-28T11:31:00Z ccc-triage"
	assert_success
	assert_equal "$(jq -r .triage.priority <<<"$output")" P1
	jq -e '.triage.reasons | map(startswith("escalated:")) | any' <<<"$output"
	assert_equal "$(sql 'SELECT priority FROM queue WHERE n = 2')" P1
}

@test "a closed item cannot be taken or assigned until it is reopened; a malformed id is a usage error" {
	queue_of_three
	ccc-triage close msg-lyon-3 >/dev/null
	run ccc-triage take msg-lyon-3
	assert_failure 65
	assert_output --partial "its item is closed (reopen it first)"
	ccc-triage reopen msg-lyon-3 >/dev/null
	run ccc-triage take msg-lyon-3
	assert_success
	run ccc-triage take not-an-id
	assert_failure 64
	assert_output --partial "'not-an-id' is not a message id (msg-SITE-N)"
}

# The policy (ccc-triage(1), "The policy"): category rules are not words.
@test "the policy: a missing minor is P1 in four languages, whatever words say it" {
	intake <<-'EOF' | ccc-triage >"$BATS_TEST_TMPDIR/out"
	{"language":"en","subject":"Girl aged 14 not home","body":"A girl aged 14 left her school yesterday and has not come home; she may be with an adult met online."}
	{"language":"fr","subject":"Mineur disparu","body":"Un mineur de 12 ans a quitté son foyer dimanche, il n'est pas revenu."}
	{"language":"es","subject":"Menor desaparecida","body":"Una chica de 13 años no regresó a su casa después del colegio; se desconoce su paradero."}
	{"language":"ar","subject":"طفل مفقود","body":"طفل قاصر يبلغ من العمر 10 سنوات خرج ولم يعد إلى منزله منذ يومين."}
	{"language":"en","subject":"Missing girl found","body":"The 14-year-old girl reported missing on Monday has been found safe and well."}
	EOF
	assert_equal "$(jq -r '.triage | .priority + " " + .category' "$BATS_TEST_TMPDIR/out" | tr '\n' ',')" \
		"P1 missing_child,P1 missing_child,P1 missing_child,P1 missing_child,P4 missing_child,"
	assert_equal "$(jq -s 'map(select(.triage.reasons | index("override:missing-minor=P1"))) | length' "$BATS_TEST_TMPDIR/out")" 4
}

@test "the policy: deadlines of days are P3, of hours P2; a request marked urgent is still routine" {
	intake <<-'EOF' | ccc-triage >"$BATS_TEST_TMPDIR/out"
	{"language":"en","subject":"Criminal record","body":"Please provide the criminal record of the person below within 15 days."}
	{"language":"fr","subject":"Garde à vue","body":"Merci de confirmer l'identité du gardé à vue avant 18h00 UTC."}
	{"language":"es","subject":"URGENTE extradición","body":"URGENTE. Se solicita verificar los antecedentes del prófugo reclamado por Chile, para el expediente de extradición."}
	EOF
	assert_equal "$(jq -r .triage.priority "$BATS_TEST_TMPDIR/out" | tr '\n' ' ')" "P3 P2 P3 "
	jq -e -s '.[1].triage.reasons | index("override:deadline<24h=P2")' "$BATS_TEST_TMPDIR/out"
	jq -e -s '.[2].triage.reasons | index("override:routine-urgent=P3")' "$BATS_TEST_TMPDIR/out"
}

@test "the policy: information on a case is P3 to file; administrative, done or withdrawn is P4; a crime named is case work" {
	intake <<-'EOF' | ccc-triage >"$BATS_TEST_TMPDIR/out"
	{"language":"en","subject":"New modus operandi","body":"For your information: our cybercrime unit has observed card skimming devices printed in 3D fitted to ATMs in tourist areas."}
	{"language":"es","subject":"Informe trimestral","body":"Se remite el informe trimestral sobre ransomware en la región, a título informativo."}
	{"language":"fr","subject":"Projet d'attentat déjoué","body":"Pour information, le projet d'attentat a été déjoué le 22 novembre et la cellule neutralisée."}
	{"language":"ar","subject":"طلب التحقق من هوية","body":"نحيطكم علما بأن طلب التحقق من الهوية لم يعد ضروريا، يرجى تجاهل الطلب."}
	{"language":"en","subject":"Homicide in Montreal","body":"Our homicide unit is investigating the murder of a businessman; the main suspect has relatives in Portugal."}
	EOF
	assert_equal "$(jq -r .triage.priority "$BATS_TEST_TMPDIR/out" | tr '\n' ' ')" "P3 P4 P4 P4 P3 "
	jq -e -s '.[0].triage.reasons | index("override:info=P4") | not' "$BATS_TEST_TMPDIR/out"
	jq -e -s '.[4].triage.reasons | index("override:crime=P3")' "$BATS_TEST_TMPDIR/out"
}

@test "a phrase found is named with the message's language: a French \"urgent\" is fr" {
	run bash -c "echo '{\"subject\":\"Contrôle urgent\",\"body\":\"Merci de vérifier ce passeport, c\u2019est urgent.\"}' | ccc-intake -q --source ncb:fr | ccc-triage"
	assert_success
	assert_equal "$(jq -r .language <<<"$output")" fr
	jq -e '.triage.reasons | index("urgency:immediate:fr \"urgent\"")' <<<"$output"
	jq -e '.triage.reasons | map(startswith("urgency:immediate:en")) | any | not' <<<"$output"
}

@test "CAP alerts of 2003 are over: one that expired, and one that never says when it does" {
	# thunderstorm.cap expires 2003-06-17; 43b080713727.cap (an advisory of
	# 2003-04-02) has no expires, and is more than a week old
	ccc-intake -q --source cap:nws "$FIXTURES/cap/thunderstorm.cap" >"$BATS_TEST_TMPDIR/m"
	ccc-intake -q --source cap:dhs "$FIXTURES/cap/43b080713727.cap" >>"$BATS_TEST_TMPDIR/m"
	ccc-triage <"$BATS_TEST_TMPDIR/m" >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(jq -r '.triage | [.priority, .urgency, .expired] | @tsv' "$BATS_TEST_TMPDIR/out" | tr '\n' ' ')" \
		"$(printf 'P4\tPast\ttrue P4\tPast\ttrue ')"
	assert_equal "$(jq -s 'map(select(.triage.reasons | index("expired:cap"))) | length' "$BATS_TEST_TMPDIR/out")" 2
}

@test "Arabic words are whole words: a passport check (جواز سفر) is not a fugitive" {
	run bash -c "echo '{\"language\":\"ar\",\"subject\":\"طلب التحقق من جواز سفر\",\"body\":\"يرجى التحقق من جواز السفر لمسافر وصل أمس. لا يوجد خطر.\"}' | ccc-intake -q --source ncb:tn | ccc-triage"
	assert_success
	assert_equal "$(jq -r '.triage | .priority + " " + .category' <<<"$output")" "P3 general"
	jq -e '.triage.reasons | index("negated:ar \"خطر\"")' <<<"$output"
}

@test "a triage written inside the record, as stores before migration 21 kept it, is read with the record; triaged again, the one beside it wins and keeps its re-screening reasons" {
	ccc-intake -q --source ncb:fr <<<'{"subject":"URGENT: bomb threat at the central station","body":"An explosive device may go off within the hour."}' >"$BATS_TEST_TMPDIR/m"
	# (written here by hand, unjournaled: not a store to verify)
	sql "UPDATE messages SET record = json_set(record, '\$.triage', json('{\"priority\":\"P4\",\"category\":\"general\",\"due_at\":\"2026-12-01T10:00:00Z\",\"reasons\":[\"rescreen: an old hit\"]}'))"
	run -0 ccc-triage show --format ndjson msg-lyon-1
	assert_equal "$(jq -c '.triage | [.priority, .reasons]' <<<"$output")" '["P4",["rescreen: an old hit"]]'
	run -0 ccc-triage <"$BATS_TEST_TMPDIR/m"
	new=$(jq -r .triage.priority <<<"$output")
	assert_equal "$new" P1
	jq -e '.triage.reasons | index("rescreen: an old hit")' <<<"$output" >/dev/null
	assert_equal "$(sql "SELECT triage ->> '\$.priority' FROM messages")" "$new"
	run -0 ccc-triage show --format ndjson msg-lyon-1
	assert_equal "$(jq -r .triage.priority <<<"$output")" "$new"
	run -0 ccc-triage queue --format ndjson
	assert_equal "$(jq -r .triage.priority <<<"$output")" "$new"
}
