#!/usr/bin/env bats
# ccc-case: cases, their links (by argument and from a stream), tasks,
# timeline and situation report.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
}

# Two messages (08:00 and 08:30), a document check (08:40), a red notice,
# a plan and its deployment, triage of the messages and a take (09:00).
world() {
	# the lists are loaded with --days 0: re-screening the messages taken in
	# before them (97-alerts.bats) would log checks of its own here
	printf '%s\n' \
		'{"source":"ncb:fr","origin_country":"FR","subject":"Bomb threat at Lyon station","body":"A caller threatens a bomb at Part-Dieu.","received_at":"2026-11-20T08:00:00Z"}' \
		'{"source":"ncb:ma","origin_country":"MA","subject":"Suspect seen","body":"Passport 19AB45872 seen.","received_at":"2026-11-20T08:30:00Z"}' \
		>"$BATS_TEST_TMPDIR/in.ndjson"
	ccc-intake "$BATS_TEST_TMPDIR/in.ndjson" >"$BATS_TEST_TMPDIR/m.ndjson"
	ccc-check load -q --days 0 --db documents --owner FR "$FIXTURES/check/documents.ndjson"
	ccc-check load -q --days 0 --db persons "$FIXTURES/check/persons.ndjson"
	CCC_NOW=2026-11-20T08:40:00Z ccc-check -q --doc 19AB45872 --country FR --ncb FR >/dev/null
	ccc-notice draft --kind red --name 'Ivan Petrov' --dob 1980-03-14 --nationality RU \
		--country FR --charge 'armed robbery' --warrant W-2026-118 --warrant-date 2026-10-02 \
		--authority 'Tribunal judiciaire de Lyon' --as a.martin >/dev/null
	ccc-deploy -q staff import "$FIXTURES/deploy/roster.ndjson" >/dev/null 2>&1 || true
	ccc-deploy plan --kind irt --for INC-2026-0042 --country MA --from 2026-12-01 \
		--to 2026-12-10 >/dev/null
	ccc-deploy approve plan-lyon-1 >/dev/null
	ccc-triage <"$BATS_TEST_TMPDIR/m.ndjson" >/dev/null
	ccc-triage take msg-lyon-1 --as officer.moreau >/dev/null
}

incident() {
	CCC_NOW=2026-11-20T09:10:00Z ccc-case open --kind incident \
		--title 'Bomb threat, Lyon Part-Dieu' --country FR,MA --region mena --lead a.martin \
		--as a.martin "$@"
}

@test "open stores a case with its owner (--as), lead and distribution, numbered by site" {
	run incident --format ndjson
	assert_success
	assert_equal "$(jq -c '[.type, .id, .kind, .status, .title, .owner, .lead, .distribution, .opened_at]' <<<"$output")" \
		'["case","case-lyon-1","incident","open","Bomb threat, Lyon Part-Dieu","a.martin","a.martin",{"countries":["FR","MA"],"regions":["mena"]},"2026-11-20T09:10:00Z"]'
	run ccc-case open --kind operation --title 'Operation Harbour' --format ndjson
	assert_success
	assert_equal "$(jq -r '[.id, .owner, .lead] | @tsv' <<<"$output")" "case-lyon-2	duty-officer	"
	assert_equal "$(sql "SELECT group_concat(id || ':' || status) FROM cases")" "case-lyon-1:open,case-lyon-2:open"
	run ccc-store verify
	assert_success
}

@test "open refuses an unknown country or region, and needs --kind and --title" {
	run ccc-case open --kind incident --title T --country FR,XX
	assert_failure 64
	assert_output --partial "ccc-case: open: 'XX' is not a known ISO 3166 country code"
	run ccc-case open --kind incident --title T --region atlantis
	assert_failure 64
	assert_output --partial "'atlantis' is not a known region (africa, americas, asia-south-pacific, europe, mena)"
	run ccc-case open --title T
	assert_failure 64
	assert_output --partial "open needs --kind (operation or incident) and --title"
	run ccc-case open --kind crisis --title T
	assert_failure 64
	assert_output --partial "crisis"
	assert_equal "$(sql 'SELECT count(*) FROM cases')" 0
}

@test "a title with a control character or invalid UTF-8 is refused with the option named" {
	run ccc-case open --kind incident --title $'Bomb\x1b[31m threat'
	assert_failure 64
	assert_output --partial "ccc-case: --title: it holds a control character"
	run ccc-case open --kind incident --title $'Bomb \xff\xfe threat'
	assert_failure 64
	assert_output --partial "ccc-case: --title: it is not valid UTF-8"
	run ccc-case open --kind incident --title ''
	assert_failure 64
	assert_output --partial "--title: it is empty"
	incident >/dev/null
	run ccc-case task add case-lyon-1 --title $'call\x07now'
	assert_failure 64
	assert_output --partial "--title: it holds a control character"
	assert_equal "$(sql 'SELECT count(*) FROM cases')" 1
}

@test "a case links each kind of item: message, check, notice, plan, deployment, person, document, case" {
	world
	incident >/dev/null
	ccc-case open -q --kind operation --title 'Operation Harbour' >/dev/null
	run ccc-case link case-lyon-1 msg-lyon-1 check:1 notice-lyon-1 plan-lyon-1 dep-lyon-1 \
		person:EG-2026-0042 document:FR:19AB45872 case-lyon-2 --reason 'same threat' --format ndjson
	assert_success
	assert_equal "$(jq -r '.kind + ":" + .item' <<<"$output" | paste -sd' ')" \
		"message:msg-lyon-1 check:1 notice:notice-lyon-1 plan:plan-lyon-1 deployment:dep-lyon-1 person:EG-2026-0042 document:FR:19AB45872 case:case-lyon-2"
	assert_equal "$(jq -r .reason <<<"$output" | sort -u)" "same threat"
	# the KIND:ID form and the aliases name the same items
	run ccc-case link case-lyon-1 message:msg-lyon-2 doc:BE:19AB45872 --format ndjson
	assert_success
	assert_equal "$(sql "SELECT count(*) FROM case_links WHERE case_id = 'case-lyon-1'")" 10
	run ccc-case show case-lyon-1 --format ndjson
	assert_success
	assert_equal "$(jq -r '[.links[] | .kind] | unique | join(",")' <<<"$output")" \
		"case,check,deployment,document,message,notice,person,plan"
	assert_equal "$(jq -r '.log | map(.action) | join(",")' <<<"$output")" \
		"open,link,link,link,link,link,link,link,link,link,link"
	run ccc-store verify
	assert_success
}

@test "a notice is linked by its control number too, under its id" {
	world
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-1 --as j.garcia >/dev/null
	control=$(sql "SELECT control FROM notices WHERE id = 'notice-lyon-1'")
	incident >/dev/null
	run ccc-case link case-lyon-1 "notice:$control" --format ndjson
	assert_success
	assert_equal "$(jq -r '.kind + " " + .item' <<<"$output")" "notice notice-lyon-1"
	run ccc-case unlink case-lyon-1 "notice:$control"
	assert_success
	assert_equal "$(sql 'SELECT count(*) FROM case_links')" 0
}

@test "an item that is not in the store is refused with 65, and nothing of the command is linked" {
	world
	incident >/dev/null
	run ccc-case link case-lyon-1 msg-lyon-1 msg-lyon-99
	assert_failure 65
	assert_output --partial "ccc-case: message 'msg-lyon-99' is not in store"
	run ccc-case link case-lyon-1 check:42
	assert_failure 65
	assert_output --partial "consultation log entry '42' is not in store"
	run ccc-case link case-lyon-1 person:NOBODY document:FR:000
	assert_failure 65
	assert_output --partial "person 'NOBODY' is not in store"
	run ccc-case link case-lyon-1 banana
	assert_failure 65
	assert_output --partial "'banana' is no item a case links: give KIND:ID"
	run ccc-case link case-lyon-1 check:abc
	assert_failure 65
	assert_output --partial "a check is its consultation number (check:N)"
	run ccc-case link case-lyon-1 case-lyon-1
	assert_failure 65
	assert_output --partial "case 'case-lyon-1' is not linked to itself"
	run ccc-case link case-lyon-9 msg-lyon-1
	assert_failure 66
	assert_output --partial "case 'case-lyon-9' is not in store"
	assert_equal "$(sql 'SELECT count(*) FROM case_links')" 0
}

@test "linking twice adds nothing; unlink removes a link and says when there was none" {
	world
	incident >/dev/null
	ccc-case link case-lyon-1 msg-lyon-1 >/dev/null
	seq=$(sql 'SELECT max(seq) FROM journal')
	run ccc-case link case-lyon-1 msg-lyon-1
	assert_success
	assert_output --partial "message:msg-lyon-1 is linked to case 'case-lyon-1' already: nothing changed"
	assert_equal "$(sql 'SELECT max(seq) FROM journal')" "$seq"
	assert_equal "$(sql "SELECT count(*) FROM case_log WHERE action = 'link'")" 1
	run ccc-case unlink case-lyon-1 msg-lyon-1
	assert_success
	assert_equal "$(sql 'SELECT count(*) FROM case_links')" 0
	run ccc-case unlink case-lyon-1 msg-lyon-1
	assert_success
	assert_output --partial "is not linked to case 'case-lyon-1' already: nothing changed"
	assert_equal "$(sql "SELECT group_concat(action) FROM case_log")" "open,link,unlink"
}

@test "filter mode links every record of the stream and passes each through byte for byte, idempotently" {
	world
	incident >/dev/null
	# the stream: messages as ccc-intake wrote them, a consultation log entry,
	# and a record that is no linkable item; spacing kept as it came
	{
		cat "$BATS_TEST_TMPDIR/m.ndjson"
		ccc-check log --format ndjson
		printf '%s\n' '{"type":"note",   "id":"q-1","text":"not an item"}'
	} >"$BATS_TEST_TMPDIR/stream.ndjson"
	ccc-case link case-lyon-1 <"$BATS_TEST_TMPDIR/stream.ndjson" >"$BATS_TEST_TMPDIR/out.ndjson"
	cmp "$BATS_TEST_TMPDIR/stream.ndjson" "$BATS_TEST_TMPDIR/out.ndjson"
	assert_equal "$(sql "SELECT group_concat(kind || ':' || item, ' ') FROM (SELECT * FROM case_links ORDER BY rowid)")" \
		"message:msg-lyon-1 message:msg-lyon-2 check:1"
	seq=$(sql 'SELECT max(seq) FROM journal')
	# a rerun passes the same bytes and adds nothing: no link, no log, no journal entry
	ccc-case link case-lyon-1 <"$BATS_TEST_TMPDIR/stream.ndjson" >"$BATS_TEST_TMPDIR/out2.ndjson"
	cmp "$BATS_TEST_TMPDIR/stream.ndjson" "$BATS_TEST_TMPDIR/out2.ndjson"
	assert_equal "$(sql 'SELECT count(*) FROM case_links')" 3
	assert_equal "$(sql "SELECT count(*) FROM case_log WHERE action = 'link'")" 3
	assert_equal "$(sql 'SELECT max(seq) FROM journal')" "$seq"
	# the case's own record in its stream goes through, not linked to itself
	ccc-case list --format ndjson >"$BATS_TEST_TMPDIR/cases.ndjson"
	run ccc-case link case-lyon-1 <"$BATS_TEST_TMPDIR/cases.ndjson"
	assert_success
	assert_output "$(cat "$BATS_TEST_TMPDIR/cases.ndjson")"
	assert_equal "$(sql 'SELECT count(*) FROM case_links')" 3
}

@test "filter mode reports a bad line and an unknown item as FILE:LINE, keeps them in rejects, passes the rest, exits 65" {
	world
	incident >/dev/null
	{
		sed -n 1p "$BATS_TEST_TMPDIR/m.ndjson"
		printf '%s\n' 'not json at all'
		printf '%s\n' '{"type":"message","id":"msg-lyon-77"}'
		sed -n 2p "$BATS_TEST_TMPDIR/m.ndjson"
	} >"$BATS_TEST_TMPDIR/stream.ndjson"
	run --separate-stderr ccc-case link case-lyon-1 <"$BATS_TEST_TMPDIR/stream.ndjson"
	assert_failure 65
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/m.ndjson")"
	assert_equal "$(grep -c 'stdin:2:' <<<"$stderr")" 1
	assert_equal "$(grep -c "stdin:3: message 'msg-lyon-77' is not in store" <<<"$stderr")" 1
	assert_equal "$(grep -c 'ccc-case:' <<<"$stderr")" 2
	assert_equal "$(sql "SELECT group_concat(line) FROM rejects WHERE program = 'ccc-case'")" "2,3"
	assert_equal "$(sql "SELECT group_concat(item, ' ') FROM case_links")" "msg-lyon-1 msg-lyon-2"
}

@test "filter mode refuses a closed case before reading, and link with no item on a terminal is a usage error" {
	incident >/dev/null
	ccc-case close -q case-lyon-1 >/dev/null
	run ccc-case link case-lyon-1 </dev/null
	assert_failure 65
	assert_output --partial "case 'case-lyon-1' is closed: reopen it to change its links"
	run ccc-case unlink case-lyon-1
	assert_failure 64
}

@test "tasks: add, take, a take of another's task is refused (75), steal is logged, done, reruns change nothing" {
	incident >/dev/null
	run ccc-case task add case-lyon-1 --title 'Call NCB Rabat' --due 2026-11-20T12:00:00+01:00 --format ndjson
	assert_success
	assert_equal "$(jq -r '[.id, .case, .status, .due_at, .created_by] | @tsv' <<<"$output")" \
		"task-lyon-1	case-lyon-1	open	2026-11-20T11:00:00Z	duty-officer"
	run ccc-case task add case-lyon-1 --title 'Brief the prefect' --assign a.martin --format ndjson
	assert_equal "$(jq -r '[.id, .status, .assignee] | @tsv' <<<"$output")" "task-lyon-2	taken	a.martin"
	run ccc-case task take task-lyon-1 --as j.garcia --format ndjson
	assert_success
	assert_equal "$(jq -r '[.status, .assignee] | @tsv' <<<"$output")" "taken	j.garcia"
	run ccc-case task take task-lyon-1 --as j.garcia
	assert_success
	assert_output --partial "task 'task-lyon-1' is taken by j.garcia already: nothing changed"
	run ccc-case task take task-lyon-1 --as k.osei
	assert_failure 75
	assert_output --partial "task 'task-lyon-1' is taken by j.garcia: take it over with --steal (the steal is logged)"
	run ccc-case task take task-lyon-1 --steal --as k.osei --format ndjson
	assert_success
	assert_equal "$(jq -r .assignee <<<"$output")" "k.osei"
	run ccc-case task done task-lyon-1 --as k.osei --format ndjson
	assert_success
	assert_equal "$(jq -r '[.status, .done_by, .done_at] | @tsv' <<<"$output")" "done	k.osei	2026-11-20T09:00:00Z"
	run ccc-case task done task-lyon-1
	assert_success
	assert_output --partial "task 'task-lyon-1' is done already: nothing changed"
	run ccc-case task take task-lyon-1
	assert_failure 65
	run ccc-case task list case-lyon-1 --open --format ndjson
	assert_equal "$(jq -r .id <<<"$output")" "task-lyon-2"
	run ccc-case task list --format ndjson
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "task-lyon-1 task-lyon-2"
	assert_equal "$(sql "SELECT group_concat(actor || ' ' || action || ' ' || detail, '; ') FROM case_log WHERE action LIKE 'task%'")" \
		"duty-officer task add task-lyon-1: Call NCB Rabat; duty-officer task add task-lyon-2: Brief the prefect (to a.martin); j.garcia task take task-lyon-1; k.osei task steal task-lyon-1: from j.garcia; k.osei task done task-lyon-1"
	run ccc-case task take task-lyon-9
	assert_failure 66
}

@test "the timeline merges the events of the case and of its linked items in time order" {
	world
	incident >/dev/null
	CCC_NOW=2026-11-20T09:15:00Z ccc-case link case-lyon-1 msg-lyon-1 check:1 notice-lyon-1 \
		dep-lyon-1 >/dev/null
	CCC_NOW=2026-11-20T09:20:00Z ccc-case task add case-lyon-1 --title 'Call NCB Rabat' >/dev/null
	CCC_NOW=2026-11-20T09:30:00Z ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	CCC_NOW=2026-11-20T09:40:00Z ccc-triage close msg-lyon-1 --reason handled >/dev/null
	run ccc-case timeline case-lyon-1
	assert_success
	assert_equal "$(jq -r '[.at, .subject, .action] | join(" ")' <<<"$output")" "$(
		cat <<'EOF'
2026-11-20T08:00:00Z message:msg-lyon-1 received
2026-11-20T08:40:00Z check:1 check
2026-11-20T09:00:00Z message:msg-lyon-1 triaged
2026-11-20T09:00:00Z message:msg-lyon-1 take
2026-11-20T09:00:00Z notice:notice-lyon-1 draft
2026-11-20T09:00:00Z deployment:dep-lyon-1 approved
2026-11-20T09:10:00Z case:case-lyon-1 open
2026-11-20T09:15:00Z case:case-lyon-1 link
2026-11-20T09:15:00Z case:case-lyon-1 link
2026-11-20T09:15:00Z case:case-lyon-1 link
2026-11-20T09:15:00Z case:case-lyon-1 link
2026-11-20T09:20:00Z case:case-lyon-1 task add
2026-11-20T09:30:00Z notice:notice-lyon-1 review
2026-11-20T09:40:00Z message:msg-lyon-1 close
EOF
	)"
	# msg-lyon-2 is not linked: none of its events
	refute_output --partial msg-lyon-2
	assert_equal "$(jq -r 'select(.action == "check") | .by + " " + .detail' <<<"$output")" \
		"duty-officer documents: 2 hit(s) for FR"
	run ccc-case timeline case-lyon-1 --format table
	assert_success
	assert_line --index 0 --regexp '^AT +BY +SUBJECT +ACTION +DETAIL'
	assert_line --index 1 --regexp '^2026-11-20T08:00:00Z +- +message:msg-lyon-1 +received +Bomb threat at Lyon station'
}

@test "a linked case's events are in the timeline, a linked plan brings its deployments" {
	world
	incident >/dev/null
	CCC_NOW=2026-11-20T09:12:00Z ccc-case open --kind operation --title 'Op Harbour' >/dev/null
	ccc-case link case-lyon-1 case-lyon-2 plan-lyon-1 >/dev/null
	run ccc-case timeline case-lyon-1 --format ndjson
	assert_success
	assert_equal "$(jq -r 'select(.subject | test("case-lyon-2|plan|deployment")) | .subject + " " + .action' <<<"$output")" \
		"$(printf '%s\n' 'plan:plan-lyon-1 plan' 'deployment:dep-lyon-1 approved' 'case:case-lyon-2 open')"
}

sitrep_world() {
	world
	incident >/dev/null
	ccc-case link case-lyon-1 msg-lyon-1 msg-lyon-2 check:1 notice-lyon-1 dep-lyon-1 >/dev/null
	ccc-case task add case-lyon-1 --title 'Call NCB Rabat' --due 2026-11-20T14:05:00Z >/dev/null
	ccc-case task add case-lyon-1 --title 'Old task' >/dev/null
	ccc-case task done task-lyon-2 >/dev/null
}

@test "sitrep in French: headings, figures, dates with 'h', and a space before the colon" {
	sitrep_world
	CCC_NOW=2026-11-20T10:00:00Z run ccc-case sitrep case-lyon-1 --lang fr
	assert_success
	assert_line --index 0 "Rapport de situation — case-lyon-1"
	for h in "Ce qui s'est passé" "Vérifications et résultats" "Notices publiées" \
		"Équipes déployées" "Tâches ouvertes" "Prochaines échéances"; do
		assert_line "$h"
	done
	assert_line "Responsable : a.martin · Propriétaire : a.martin"
	assert_line "Ouverte le 20 nov. 2026 09h10 UTC · Au 20 nov. 2026 10h00 UTC"
	assert_line "Diffusion : FR, MA, mena"
	assert_line "  - 20 nov. 2026 08h00 UTC  msg-lyon-1  FR  P2  Bomb threat at Lyon station"
	assert_line "  Messages : 2"
	assert_line "  Vérifications : 1"
	assert_line --partial "check:1  documents  FR  Correspondances : 2  doc:FR:19AB45872, doc:BE:19AB45872"
	assert_line "  - notice-lyon-1  red  draft  Ivan Petrov"
	assert_line --partial "  - dep-lyon-1  plan-lyon-1  irt  approved  1 déc. 2026 00h00 UTC"
	assert_line "  - task-lyon-1  Call NCB Rabat  non attribuée  20 nov. 2026 14h05 UTC"
	refute_output --partial "Old task"
	# the first deadline is the overdue answer to msg-lyon-1 (due 09:00)
	assert_line "  - 20 nov. 2026 09h00 UTC  en retard  réponse au message  msg-lyon-1  officer.moreau"
}

@test "sitrep in Arabic: headings, Western digits, Arabic months; HTML is dir=rtl with an A4 page" {
	sitrep_world
	CCC_NOW=2026-11-20T10:00:00Z run ccc-case sitrep case-lyon-1 --lang ar
	assert_success
	assert_line --index 0 "تقرير الحالة — case-lyon-1"
	for h in "ما الذي حدث" "ما الذي تم فحصه وما الذي وُجد" "النشرات الصادرة" "الفرق المنتشرة" \
		"المهام المفتوحة" "المواعيد القادمة"; do
		assert_line "$h"
	done
	assert_line "  الرسائل: 2"
	assert_line "التوزيع: FR، MA، mena"
	assert_line --partial "20 نوفمبر 2026 14:05 UTC"
	CCC_NOW=2026-11-20T10:00:00Z run ccc-case sitrep case-lyon-1 --lang ar --html
	assert_success
	assert_line '<html lang="ar" dir="rtl">'
	assert_output --partial '@page { size: A4;'
	assert_line '<h2>المهام المفتوحة</h2>'
	assert_line '<li><bdi>task-lyon-1</bdi> · <bdi>Call NCB Rabat</bdi> · <bdi>غير مسندة</bdi> · <bdi>20 نوفمبر 2026 14:05 UTC</bdi></li>'
	assert_line '<p>الرسائل: 2</p>'
	assert_line '</html>'
	CCC_NOW=2026-11-20T10:00:00Z run ccc-case sitrep case-lyon-1 --lang fr --html
	assert_line '<html lang="fr" dir="ltr">'
	assert_line '<h2>Tâches ouvertes</h2>'
	if command -v xmllint >/dev/null; then
		run xmllint --html --noout - <<<"$output"
		assert_success
	fi
}

@test "sitrep escapes what it quotes in HTML, and English and Spanish have their headings" {
	world
	ccc-case open -q --kind operation --title 'Op <Harbour> & "Quay"' >/dev/null
	run ccc-case sitrep case-lyon-1 --html
	assert_success
	assert_output --partial '<h1>Situation report — Op &lt;Harbour&gt; &amp; &quot;Quay&quot;</h1>'
	refute_output --partial '<Harbour>'
	run ccc-case sitrep case-lyon-1 --lang en
	assert_line "What was checked and found"
	assert_line "Next deadlines"
	assert_line "  none"
	run ccc-case sitrep case-lyon-1 --lang es
	assert_line "Informe de situación — case-lyon-1"
	assert_line "Qué se ha comprobado y encontrado"
	assert_line "Tareas abiertas"
}

@test "sitrep keeps a message's subject on its row: a line break cannot forge a row, controls are shown escaped" {
	printf '%s\n' '{"source":"ncb:fr","subject":"Line one\n  - 20 Nov 2026 08:00 UTC  msg-lyon-99  FORGED\u001b[31m","body":"b","received_at":"2026-11-20T08:30:00Z"}' |
		ccc-intake -q | ccc-triage -q >/dev/null
	ccc-case open -q --kind incident --title 'Forgery' >/dev/null
	ccc-case link -q case-lyon-1 msg-lyon-1 >/dev/null
	run ccc-case sitrep case-lyon-1 --lang en
	assert_success
	assert_line --regexp '^  - 20 Nov 2026 [0-9:]+ UTC  msg-lyon-1  P[1-4]  Line one   - 20 Nov 2026 08:00 UTC  msg-lyon-99  FORGED\\u001b\[31m$'
	refute_line --regexp '^  - 20 Nov 2026 08:00 UTC  msg-lyon-99'
	refute_output --partial $'\e'
	run ccc-case sitrep case-lyon-1 --html
	assert_output --partial 'FORGED\u001b[31m</bdi>'
	refute_output --partial $'\e'
}

@test "close and reopen: a closed case takes no link or task, a rerun changes nothing" {
	world
	incident >/dev/null
	run ccc-case close case-lyon-1 --format ndjson
	assert_success
	assert_equal "$(jq -r '[.status, .closed_at] | @tsv' <<<"$output")" "closed	2026-11-20T09:00:00Z"
	run ccc-case close case-lyon-1
	assert_success
	assert_output --partial "case 'case-lyon-1' is closed already: nothing changed"
	run ccc-case link case-lyon-1 msg-lyon-1
	assert_failure 65
	assert_output --partial "case 'case-lyon-1' is closed: reopen it to change its links"
	run ccc-case task add case-lyon-1 --title X
	assert_failure 65
	run ccc-case reopen case-lyon-1 --format ndjson
	assert_success
	assert_equal "$(jq -r '[.status, (.closed_at // "none")] | @tsv' <<<"$output")" "open	none"
	run ccc-case link case-lyon-1 msg-lyon-1
	assert_success
	assert_equal "$(sql "SELECT group_concat(action) FROM case_log")" "open,close,reopen,link"
	run ccc-case close case-lyon-9
	assert_failure 66
}

@test "list filters by status and kind; a table on a terminal" {
	incident >/dev/null
	ccc-case open -q --kind operation --title 'Operation Harbour' >/dev/null
	ccc-case open -q --kind operation --title 'Operation Quay' >/dev/null
	ccc-case close -q case-lyon-2 >/dev/null
	run ccc-case list --format ndjson
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "case-lyon-1 case-lyon-2 case-lyon-3"
	run ccc-case list --status open --format ndjson
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "case-lyon-1 case-lyon-3"
	run ccc-case list --kind operation --status closed --format ndjson
	assert_equal "$(jq -r .id <<<"$output")" "case-lyon-2"
	run ccc-case list --kind incident --format table
	assert_line --index 0 --regexp '^ID +KIND +STATUS +OWNER +LEAD +OPENED +TITLE'
	assert_line --index 1 --regexp '^case-lyon-1 +incident +open +a.martin +a.martin +2026-11-20T09:10:00Z +Bomb threat, Lyon Part-Dieu'
	run ccc-case list --status pending
	assert_failure 64
}

@test "show on a terminal: the fields, the distribution, links, tasks and log, one a row" {
	world
	incident >/dev/null
	ccc-case link case-lyon-1 msg-lyon-1 --reason 'the call' >/dev/null
	ccc-case task add case-lyon-1 --title 'Call NCB Rabat' >/dev/null
	run ccc-case show case-lyon-1 --format table
	assert_success
	assert_line --regexp '^countries +FR,MA$'
	assert_line --regexp '^regions +mena$'
	assert_line --regexp '^link +message:msg-lyon-1  2026-11-20T09:00:00Z  duty-officer: the call$'
	assert_line --regexp '^task +task-lyon-1  open  Call NCB Rabat$'
	assert_line --regexp '^log +2026-11-20T09:10:00Z  a.martin  open: Bomb threat, Lyon Part-Dieu$'
	run ccc-case show case-lyon-7
	assert_failure 66
	assert_output --partial "case 'case-lyon-7' is not in store"
}

@test "--help lists the commands, exit statuses and examples; bad commands and options are usage errors" {
	run ccc-case --help
	assert_success
	assert_output --partial "task take TASK  take a task"
	assert_output --partial "sitrep CASE"
	assert_output --partial "EXAMPLES"
	assert_output --partial "75   the task is taken by another officer (take it over with --steal)"
	run ccc-case
	assert_failure 64
	assert_output --partial "a command is needed"
	run ccc-case lsit
	assert_failure 64
	assert_output --partial "did you mean 'list'"
	run ccc-case list --lead x
	assert_failure 64
	assert_output --partial "--lead does nothing with list"
	run ccc-case task list --status open
	assert_failure 64
	assert_output --partial "--status does nothing with task list"
	run ccc-case list --open
	assert_failure 64
	run ccc-case sitrep case-lyon-1 --lang de
	assert_failure 64
	run ccc-case task add case-lyon-1 --title x --due tomorrow
	assert_failure 64
	assert_output --partial "--due: 'tomorrow' is not an RFC 3339 time"
	run ccc-case show
	assert_failure 64
	run ccc case list
	assert_success
}

@test "export: a country of the distribution gets a MISP event without what it may not see; another is refused (77), nothing written" {
	world
	incident >/dev/null
	ccc-case link case-lyon-1 msg-lyon-1 check:1 document:FR:19AB45872 document:ES:XDA123456 >/dev/null
	run --separate-stderr ccc-case export case-lyon-1 --ncb MA
	assert_success
	assert_equal "$(jq -r '.Event.info' <<<"$output")" "Bomb threat, Lyon Part-Dieu (incident case-lyon-1)"
	assert_equal "$(jq -r '.Event.distribution' <<<"$output")" "4"
	# the Spanish passport may be seen by FR and PT only
	refute_output --partial XDA123456
	assert_output --partial 19AB45872
	run ccc-case export case-lyon-1 --ncb FR --format misp
	assert_success
	assert_output --partial XDA123456
	# DZ is in mena, a region of the distribution; US is not
	run ccc-case export case-lyon-1 --ncb DZ
	assert_success
	run --separate-stderr ccc-case export case-lyon-1 --ncb US
	assert_failure 77
	assert_equal "$output" ""
	assert_equal "$stderr" "ccc-case: export: case 'case-lyon-1' is not shared with US: the country is not in its distribution"
}

@test "export --format stix writes a STIX 2.1 bundle that validates; export's options are checked" {
	world
	incident >/dev/null
	ccc-case link case-lyon-1 msg-lyon-1 check:1 document:FR:19AB45872 notice-lyon-1 >/dev/null
	ccc-case export case-lyon-1 --ncb FR --format stix >"$BATS_TEST_TMPDIR/b.json"
	assert_equal "$(jq -r '.type + " " + (.objects | map(.type) | unique | join(","))' "$BATS_TEST_TMPDIR/b.json" | cut -d' ' -f1)" "bundle"
	assert_equal "$(jq -r '[.objects[] | select(.type == "report") | .name] | .[0]' "$BATS_TEST_TMPDIR/b.json")" "Bomb threat, Lyon Part-Dieu"
	if python3 -c 'import jsonschema' 2>/dev/null; then
		run "$ROOT/tests/stix21-validate" "$BATS_TEST_TMPDIR/b.json"
		assert_success
	fi
	# the same case exported again gives the same bytes
	run cmp "$BATS_TEST_TMPDIR/b.json" <(ccc-case export case-lyon-1 --ncb FR --format stix)
	assert_success
	run ccc-case export case-lyon-1
	assert_failure 64
	assert_output --partial "export needs --ncb"
	run ccc-case export case-lyon-1 --ncb FR --format table
	assert_failure 64
	assert_output --partial "--format: 'table' is not one of misp, stix"
	run ccc-case export case-lyon-1 --ncb XX
	assert_failure 64
	run ccc-case list --format stix
	assert_failure 64
	run ccc-case export case-lyon-9 --ncb FR
	assert_failure 65
}

# pdf_pages FILE: the pages of a PDF.
pdf_pages() {
	python3 -c 'import re, sys; print(len(re.findall(rb"/Type\s*/Page(?!s)", open(sys.argv[1], "rb").read())))' "$1"
}

@test "sitrep HTML prints on one A4 page with every section full, in Arabic and in French" {
	command -v chromium >/dev/null || skip "chromium is not installed"
	world
	ccc-case open -q --kind incident --country FR,MA,DZ,TN --region europe,mena \
		--title 'Coordinated threats against several stations of the Lyon region and the transport networks around them' \
		--lead 'commissaire divisionnaire A. Martin' >/dev/null
	for i in 1 2 3 4 5 6 7 8; do
		printf '{"source":"ncb:fr","origin_country":"FR","external_id":"x-%s","subject":"Report %s: a long subject line about the suspects seen travelling on stolen passports","body":"b"}\n' "$i" "$i"
	done | ccc-intake -q >"$BATS_TEST_TMPDIR/more.ndjson"
	ccc-triage -q <"$BATS_TEST_TMPDIR/more.ndjson" >/dev/null
	for i in 1 2 3 4 5 6 7 8; do
		ccc-check -q --doc 19AB45872 --ncb FR >/dev/null || true
		ccc-notice draft -q --kind red --name "Ivan Petrov$i" --dob 1980-03-14 --nationality RU \
			--country FR --charge 'armed robbery' --warrant W-2026-118 --warrant-date 2026-10-02 \
			--authority 'Tribunal judiciaire de Lyon' --as a.martin >/dev/null
		ccc-deploy plan -q --kind irt --for "INC-2026-00$i, a long reference of the incident" \
			--country MA --from "2027-02-1$i" --to "2027-02-2$i" >/dev/null
		ccc-case task add -q case-lyon-1 --title "Task $i: call the bureau concerned and confirm what became of the travellers it reported" \
			--due "2026-11-2${i}T10:00:00Z" >/dev/null
	done
	{
		cat "$BATS_TEST_TMPDIR/m.ndjson" "$BATS_TEST_TMPDIR/more.ndjson"
		ccc-check log --format ndjson
		ccc-notice list --all --format ndjson
	} | ccc-case link -q case-lyon-1 >/dev/null
	for i in 1 2 3 4 5 6 7 8 9; do ccc-case link -q case-lyon-1 "plan-lyon-$i" >/dev/null 2>&1 || true; done
	run ccc-case sitrep case-lyon-1 --lang fr
	assert_equal "$(grep -c '^  - ' <<<"$output")" 36
	for lang in ar fr; do
		ccc-case sitrep case-lyon-1 --lang "$lang" --html >"$BATS_TEST_TMPDIR/s-$lang.html"
		HOME=$BATS_TEST_TMPDIR timeout 120 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
			--print-to-pdf="$BATS_TEST_TMPDIR/s-$lang.pdf" "$BATS_TEST_TMPDIR/s-$lang.html" >/dev/null 2>&1
		assert_equal "$lang $(pdf_pages "$BATS_TEST_TMPDIR/s-$lang.pdf")" "$lang 1"
	done
}
