#!/bin/sh
# The operations-room workflow on a fresh local store for site Lyon:
# messages from national central bureaus in Arabic, English, French and
# Spanish are taken in; what was stored and what was rejected is shown; a red
# notice is published and a check hits it; an orange notice goes out as CAP;
# the bureaus get their replies, one through a gateway that is down at first;
# the training unit renews a course and lists who must be retrained; the wall
# is written as an HTML page (its path is printed); the bomb threat becomes
# an incident case with a timeline and a sitrep; the store is verified.
#   sh examples/ops-room.sh [BIN_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/bin}
bin=$(cd "$bin" && pwd)
PATH=$bin:$PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" CCC_STORE="$work/lyon.db" CCC_ACTOR=duty-officer
# The demo's messages were sent on the morning of 28 November 2026: its clock
# is held there (every program reads CCC_NOW), so that what is urgent in them
# is still urgent whatever the day the demo is run.
export CCC_NOW=2026-11-28T07:40:00Z
# later MINUTES: the demo's clock, MINUTES on
later() { date -u -d "@$(($(date -u -d "$CCC_NOW" +%s) + $1 * 60))" +%Y-%m-%dT%H:%M:%SZ; }
unset CCC_SITE CCC_KEY

command -v jq >/dev/null || { echo "ops-room: jq is needed (apt-get install jq)" >&2; exit 69; }

step() {
	printf '\n== %s\n' "$*"
}

step "A fresh store for the Lyon site, with its Ed25519 key"
ccc store init --site lyon
ccc store keys

step "Messages from the bureaus arrive (one is a retry, two are broken)"
status=0
ccc intake --source ncb:unknown "$here/data/ncb-messages.ndjson" >"$work/stored.ndjson" || status=$?
echo "ccc-intake exit status: $status (65: some lines were rejected and kept)"

step "An e-mail from NCB Cairo, a CAP alert from a partner, an open-source RSS feed"
ccc intake "$here/data/ncb-cairo.eml" "$here/data/partner-alert.cap" >>"$work/stored.ndjson"
ccc intake --input-format rss --source osint:wire <"$here/data/osint-wire.rss" >>"$work/stored.ndjson"

step "What was stored: id, language, source, subject"
jq -r '[.id, .language, .source, .subject] | @tsv' "$work/stored.ndjson"

step "Entities found in the text: the Cairo e-mail carries a passport number and an MRZ"
jq -c 'select(.entities | length > 0) | {id, entities: [.entities[] | {kind, number: (.number // .document_number), valid}]}' "$work/stored.ndjson"

step "Taking the same feed in again stores nothing new"
ccc intake -q --input-format rss --source osint:wire <"$here/data/osint-wire.rss" | wc -l

step "What was rejected, and why"
ccc store rejects | jq -r '"\(.file | split("/") | last):\(.line): \(.reason)"'

step "Reference databases: stolen documents and vehicles, wanted persons (one record restricted)"
ccc check load --db documents "$here/data/stolen-documents.ndjson"
ccc check load --db persons "$here/data/wanted-persons.ndjson"
ccc check load --db vehicles "$here/data/stolen-vehicles.ndjson"

step "Checks of every message's entities, for the French bureau: the Cairo passport is stolen, its holder wanted"
ccc check --ncb FR <"$work/stored.ndjson" >"$work/checked.ndjson"
jq -c 'select(.checks | length > 0) | {id, checks: [.checks[] | {db, hits: [.hits[] | {id, status, notice, why}]}]}' "$work/checked.ndjson"

step "The same holder checked for a country the owner does not allow: restricted, no data"
ccc check --name 'عمر حسن' --dob 1980-01-01 --ncb US | jq -c '.checks[0].hits'

step "A direct check, as a script would: is this plate stolen?"
ccc check -q --plate 'GE 482 KT' --country FR && echo "GE-482-KT: stolen"

step "A red notice: drafted by one officer, reviewed and published by another (four eyes)"
ccc notice draft --kind red --name Petrov --forename Ivan --dob 1980-03-14 --nationality RU \
	--country FR --charge 'armed robbery' --set charge_fr='vol à main armée' \
	--warrant W-2026-118 --warrant-date 2026-10-02 --authority 'Tribunal judiciaire de Lyon' \
	--public --as a.martin | jq -c '{id, kind, status, drafted_by, charge, charge_fr}'
red=notice-lyon-1
ccc notice review "$red" --as j.garcia | jq -c '{id, status, problems: .review.problems, article3: .review.article3.hits, duplicates: .review.duplicates}'
status=0
ccc notice publish "$red" --as a.martin >/dev/null || status=$?
echo "ccc-notice exit status: $status (77: the drafter may not publish their own notice)"
ccc notice publish "$red" --as j.garcia | jq -c '{id, control, status, published_by, expires_at}'

step "Later, at a border: a check of the subject hits the red notice"
ccc check --name 'Ivan PETROV' --dob 1980-03-14 --ncb ES | jq -c '.checks[0].hits[] | {id, notice, owner, score}'

step "The requesting country agreed to publication: the public extract (INTERPOL's public API shape)"
ccc notice export --format public

step "An orange notice, a serious and imminent threat, in English and French, to Europe and the Maghreb"
ccc notice draft --kind orange --country DE --set threat='parcel bombs' \
	--set description='Parcel bombs addressed to judges & prosecutors; do not open <unexpected> parcels' \
	--set threat_fr='colis piégés' \
	--set description_fr='Colis piégés adressés à des juges et procureurs ; ne pas ouvrir les colis <inattendus>' \
	--region europe --to MA,TN --as a.martin | jq -c '{id, kind, regions, to}'
orange=notice-lyon-2
ccc notice review "$orange" --as j.garcia | jq -c '{id, status}'
ccc notice publish "$orange" --as j.garcia | jq -c '{id, control, status}'
echo "The notices in force (the operations room sees them all):"
ccc notice list --all --format table

step "The orange notice as a CAP 1.2 alert, validated against the OASIS schema"
ccc notice export --all --format cap "$orange" >"$work/orange.xml"
if command -v xmllint >/dev/null; then
	(cd "$work" && xmllint --noout --schema "$here/../tests/fixtures/cap/cap12.xsd" orange.xml)
else
	echo "(xmllint is not installed: apt-get install libxml2-utils to validate)"
fi
grep -E '<(identifier|msgType|scope|restriction|incidents|language|event|headline|areaDesc)>' "$work/orange.xml"

step "Triage: priority, category and due time for each message (a hit on a red notice makes P1)"
ccc triage <"$work/checked.ndjson" | jq -r '[.id, .triage.priority, .triage.category, .triage.due_at] | @tsv'

step "The work queue, most urgent first"
ccc triage queue --format table

step "The duty officer takes the bomb threat; an analyst gets the stolen passport"
bomb=$(jq -r 'select(.source | startswith("cap:")) | .id' "$work/stored.ndjson")
passport=$(jq -r 'select(.external_id == "FR-2026-11-0412") | .id' "$work/stored.ndjson")
ccc triage take "$bomb" --as officer.moreau | jq -c '{id, subject, queue}'
ccc triage assign "$passport" --to analyst.garcia | jq -c '{id, subject, queue}'
ccc triage note "$passport" "NCB Madrid informed; boarding at 14:30" | jq -c '{id, queue}'

step "Replies: Cairo hears about its passport in Arabic, once a second officer has passed the reply"
cairo=$(jq -r 'select(.source | startswith("mail:")) | .id' "$work/stored.ndjson")
r1=$(ccc reply -q draft "$cairo" --for EG --as officer.moreau --format ndjson | jq -r .id)
ccc reply review "$r1" --as analyst.garcia | jq -c '{id, status, reviewed_by}'
ccc reply send "$r1" --via "cat >'$work/reply-cairo.eml'" --from 'CCC Lyon <ccc.lyon@ccc.example.int>' >/dev/null
grep -E '^(To|Subject|In-Reply-To|Content-Transfer-Encoding):' "$work/reply-cairo.eml"
ccc reply show "$r1" --format ndjson | jq -r .body

step "Washington asked about the same traveller: it learns only that Cairo holds a record"
r2=$(ccc reply -q draft "$cairo" --for US --to 'NCB Washington <ncb@usdoj.example.gov>' --format ndjson | jq -r .id)
ccc reply show "$r2" --format ndjson | jq -r .body | grep -E '^- '

step "Madrid's gateway is down: the reply waits in the queue, and cron's retry sends it once"
madrid=$(jq -r 'select(.external_id == "ES-2026-3381") | .id' "$work/stored.ndjson")
r3=$(ccc reply -q draft "$madrid" --template received --format ndjson | jq -r .id)
status=0
ccc reply send "$r3" --deliver record --via 'echo "gateway: connection refused" >&2; exit 75' >/dev/null || status=$?
echo "ccc-reply send exit status: $status (69: not sent, queued)"
ccc reply retry --deliver record --via "cat >>'$work/gateway.ndjson'"
ccc reply -q retry --deliver record --via "cat >>'$work/gateway.ndjson'"
jq -c "{id, to: .requester, language, subject}" "$work/gateway.ndjson"

step "How the room served the bureaus: answered in time, time to first reply"
ccc triage report --format table

# ---- Correlation and re-screening ------------------------------------------
step "Correlation: NCB Madrid names the Cairo passport too; each message says where else it is"
echo '{"type":"message","source":"ncb:es","external_id":"ES-2026-3390","origin_country":"ES","language":"es","subject":"Pasaporte egipcio","body":"El viajero presentó el pasaporte número A12345678 en Barajas."}' |
	ccc intake -q | ccc check --ncb ES | jq -c '{id, also_in}'
ccc triage show "$cairo" --format table | grep '^also in'

step "Re-screening: a traveller seen at a Swedish border three days ago is the subject of a red notice published today"
jq -cn --arg r "$(date -u -d '3 days ago' +%Y-%m-%dT%H:%M:%SZ)" \
	'{type:"message", source:"ncb:se", external_id:"SE-2026-0077", origin_country:"SE", received_at:$r,
	  subject:"traveller at the border",
	  body:"MRZ of the traveller:\nP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n"}' |
	ccc intake -q | ccc check -q --ncb SE
ccc triage --pending | jq -r '[.id, .triage.priority, .triage.category] | @tsv'
ccc notice draft -q --kind red --name Eriksson --forename 'Anna Maria' --dob 1974-08-12 --nationality SE \
	--country SE --charge 'aggravated fraud' --warrant W-2026-77 --warrant-date 2026-11-02 \
	--authority 'Stockholm District Court' --as a.martin >/dev/null
ccc notice review -q notice-lyon-3 --as j.garcia >/dev/null
ccc notice publish notice-lyon-3 --as j.garcia | jq -c '{id, control, status}'
echo "The queue's item for that message now:"
ccc triage queue --format ndjson | jq -r 'select(.source == "ncb:se") | [.id, .triage.priority, (.triage.reasons | last)] | @tsv'
echo "Publishing again finds nothing new:"
ccc notice publish notice-lyon-3 --as j.garcia >/dev/null
# ---- end of correlation and re-screening -----------------------------------

step "Nine hours later, cron escalates what is overdue"
CCC_NOW=$(later 540) ccc triage escalate |
	jq -r '[.id, .triage.priority, (.triage.reasons | last)] | @tsv'

# ---- Cases: the bomb threat becomes an incident (ccc-case) ----
step "The bomb threat becomes an incident: its messages, the checks made and the alert it issued, in one case"
ccc case open --kind incident --title 'Bomb threat, Lyon Part-Dieu station' --country FR,DE \
	--region mena --lead officer.moreau --as officer.moreau | jq -c '{id, kind, owner, distribution}'
incident=case-lyon-1
# the messages of the threat, from the stream as triaged: filter mode links
# each one and passes it through unchanged
jq -c --arg bomb "$bomb" 'select(.id == $bomb)' "$work/stored.ndjson" |
	ccc case link "$incident" --reason 'the threat itself' | jq -c '{id, subject}'
# the checks the alert asked for (stolen travel documents, from the
# consultation log), and the orange notice the room issued
ccc check log --format ndjson | jq -c 'select(.db == "documents")' |
	ccc case link -q "$incident" --reason 'stolen passports, as the alert asked' >/dev/null
ccc case link "$incident" "$orange" --reason 'the alert issued' --format ndjson |
	jq -r '.kind + ":" + .item + "  " + (.reason // "")'
ccc case task add "$incident" --title 'Confirm with the prefecture that the station is cleared' \
	--assign analyst.garcia --due "$(later 120)" | jq -c '{id, status, assignee}'
echo "The timeline, merged from the logs of the case and of the items it links (links left out):"
ccc case timeline "$incident" --format ndjson | jq -r 'select(.action != "link") | [.at, .by, .subject, .action, .detail // ""] | @tsv'
echo "The situation report, in French:"
ccc case sitrep "$incident" --lang fr
echo "... and in Arabic, as a one-page HTML document for the cell's printer:"
ccc case sitrep "$incident" --lang ar --html >"$work/sitrep-ar.html"
grep -E '<html|<h2>' "$work/sitrep-ar.html"
echo "Shared with Germany (in the distribution) as a MISP event, and as a STIX 2.1 bundle:"
ccc case export "$incident" --ncb DE | jq -c '.Event | {info, distribution, sharing_group: .SharingGroup.name, attributes: (.Attribute | length)}'
ccc case export "$incident" --ncb DE --format stix | jq -c '{type, objects: [.objects[].type] | group_by(.) | map({(.[0]): length}) | add}'
status=0
ccc case export "$incident" --ncb US >/dev/null || status=$?
echo "ccc-case export exit status: $status (77: the United States are outside the case's distribution)"
# ---- end of Cases ----

step "A crisis: plan, approve and start an Incident Response Team, and report its field checks"
sh "$here/deploy-demo.sh" "$bin"

step "The bomb threat's team: an IRT for the incident, approved, started and filed in its case"
ccc deploy plan --kind irt --for "$incident" --country FR --from "${CCC_NOW%%T*}" \
	--to "$(date -u -d "${CCC_NOW%%T*} +5 days" +%Y-%m-%d)" --size 2 --need forensics=1 \
	--lang fr >"$work/irt.json"
jq -r '"\(.id) for \(.for): \([.members[] | .staff] | join(", "))"' "$work/irt.json"
irt=$(jq -r .id "$work/irt.json")
irt_dep=$(ccc deploy approve "$irt" | jq -r .id)
ccc deploy start "$irt_dep" --format ndjson | jq -c '{id, status}'
ccc case link "$incident" "$irt" "$irt_dep" --reason 'the team sent for it' --format table
ccc case sitrep "$incident" --lang en | sed -n '/^Teams deployed/,/^$/p'

# ---- The training unit and the wall (ccc-deploy training, ccc-board) ----
step "The training unit: a refresher course, a session, results, and who must be retrained"
ccc deploy course add -q refresher_2026 --valid 12m --for imest \
	--title 'Operations refresher 2026' --format table
ccc deploy session add -q irt_readiness --date "${CCC_NOW%%T*}" --site lyon \
	--trainer 'Marc Dubois' --format ndjson | jq -c '{id, course, date, site}'
ccc deploy attend -q session-lyon-1 s-0102 --result passed --format table
ccc deploy attend -q session-lyon-1 ma-0001 --ncb MA --name 'Youssef Alami' \
	--result passed --format table
status=0
ccc deploy training due --within 60d --format table || status=$?
echo "ccc-deploy training due exit status: $status (1: someone must be retrained)"

# ---- end of the training unit and the wall ----
# ---- ccc-duty: the watch, a page escalated then acknowledged, the handover brief ----
step "Duty: the plan of the three sites, proved for a year across the clock changes"
ccc duty -q plan load "$here/duty-plan.ndjson"
ccc duty coverage --from 2027-01-01 --to 2027-12-31 --format table
step "Duty: who is on watch now, where, and who is next"
ccc duty now --format table
step "Duty: cron pages the officer on duty for each open P1 and P2 item, then escalates"
ccc duty -q page --notify "cat >>'$work/pages.ndjson'" >/dev/null
CCC_NOW=$(later 6) ccc duty -q page --notify "cat >>'$work/pages.ndjson'" >/dev/null
CCC_NOW=$(later 6) ccc duty -q page --notify "cat >>'$work/pages.ndjson'" >/dev/null # twice: nothing new
jq -r '[.id, .priority, .target, (.people | join(","))] | @tsv' "$work/pages.ndjson"
paged=$(jq -r 'select(.priority == "P1") | .item' "$work/pages.ndjson" | head -1)
ccc duty ack "$paged" --as officer.moreau --format table
CCC_NOW=$(later 20) ccc duty -q page --notify "cat >>'$work/pages.ndjson'" >/dev/null
echo "pages for $paged after its acknowledgement: $(jq -r "select(.item == \"$paged\" and .step == 3) | .id" "$work/pages.ndjson" | wc -l)"
step "Duty: Lyon's brief for Buenos Aires, written before the failover handover ships it"
ccc duty handover --from lyon --to buenos-aires --as officer.moreau --format table
# ---- end ccc-duty ----

# ---- The wall, once the duty plan is loaded (ccc-board) ----
step "The wall: one HTML page, rewritten atomically (as from cron every minute)"
wall=$(mktemp -d)
ccc board -o "$wall/board.html"
echo "The board: $wall/board.html ($(wc -c <"$wall/board.html") bytes; open it in a browser)"
# ---- end of the wall ----

# ---- Field kits: IRT team 1's laptop (ccc-failover site add --field) ----
step "A field kit for IRT team 1: the reference databases and notices, never the room's messages"
kit=$work/irt-1.db
ccc store --store "$kit" init -q --field --site irt-1
ccc store --store "$kit" trust add -q lyon "$(ccc store keys | jq -r .key)"
ccc failover site add -q irt-1 "$(ccc store --store "$kit" keys | jq -r .key)" --field \
	--via "ccc failover --store '$kit'"
ccc failover ship --to irt-1
ccc store stats | jq -r '"Lyon:    \(.tables | "\(.documents) documents, \(.persons) persons, \(.notices) notices, \(.messages) messages, \(.cases) cases")"'
ccc store --store "$kit" stats | jq -r '"Laptop:  \(.tables | "\(.documents) documents, \(.persons) persons, \(.notices) notices, \(.messages) messages, \(.cases) cases")"'
ccc store --store "$kit" verify | jq -c '{ok, field_batches}'
# ---- end of field kits ----

step "The sun moves: Buenos Aires, a standby, takes the watch with nothing lost"
bue=$work/buenos-aires.db
ccc store --store "$bue" init -q --standby --site buenos-aires
ccc store --store "$bue" trust add -q lyon "$(ccc store keys | jq -r .key)"
ccc failover site add -q buenos-aires "$(ccc store --store "$bue" keys | jq -r .key)" \
	--tz America/Argentina/Buenos_Aires --region americas --via "ccc failover --store '$bue'"
ccc failover ship -q --to buenos-aires
# ---- Checks at every site: Buenos Aires checks while Lyon holds the watch ----
step "Buenos Aires, a standby, checks a passport from its own copy; the check comes home to Lyon's log"
ccc check --store "$bue" --doc 19AB45872 --country FR --ncb AR --as l.fernandez |
	jq -c '{doc, hits: [.checks[].hits[] | {id, status}]}'
ccc failover --store "$bue" audit-export | jq -c '{site, seq, signed: (.signature | length > 0)}'
ccc failover ship --to buenos-aires
ccc check log --format ndjson | jq -c 'select(.site == "buenos-aires") | {consultation, actor, ncb, site, audit_seq}'
# ---- end of checks at every site ----
ccc failover heartbeat
echo '{"body":"one more message before the handover","external_id":"FR-LAST"}' |
	ccc intake -q --source ncb:fr >/dev/null
echo "Where each site stands before the handover (Buenos Aires lacks the heartbeat and the last message):"
ccc failover status --format table
# ---- Reading at a standby: the queue at Buenos Aires says how old it is ----
echo "At Buenos Aires, three minutes on, the queue is read from its own copy; it has not heard of the last two entries, and says how old its copy is (on stderr, and in NDJSON):"
CCC_NOW=$(later 3) ccc triage --store "$bue" queue --format table --limit 3
CCC_NOW=$(later 3) ccc triage --store "$bue" queue --limit 1 | jq -c '{id, lag}'
# ---- end of reading at a standby ----
ccc failover handover --to buenos-aires
# ---- ccc-duty: at Buenos Aires, the incoming officer takes the brief ----
ccc duty --store "$bue" handover ack handover-1 --as l.fernandez --format ndjson |
	jq -r '"\(.id) taken by \(.acked_by): \(.overdue | length) overdue, \(.open | length) open items"'
# ---- end ccc-duty ----
# ---- Writes at a standby, forwarded to the primary (ccc-failover: WRITES AT A STANDBY) ----
echo "Lyon now, a standby: a write there runs at Buenos Aires, through the command that reaches it:"
echo '{"body":"a late write at Lyon","external_id":"FR-LATE"}' | ccc intake --source ncb:fr | jq -c '{id, body}'
echo "A write that must not leave Lyon (--no-forward) is refused:"
status=0
echo '{"body":"kept at Lyon"}' | ccc intake --no-forward --source ncb:fr || status=$?
echo "ccc-intake exit status: $status (75: fenced, nothing written)"
# ---- end of writes at a standby ----
echo "Buenos Aires now:"
echo '{"body":"Buenos Aires has the watch"}' | ccc intake --store "$bue" --source ncb:ar | jq -c '{id, body}'

step "The journal: who changed what"
ccc store log | jq -r '[.seq, .actor, .command, (.changes | length | tostring) + " changes"] | @tsv'

step "Both stores prove themselves: hash chain, signatures, replay"
ccc store verify
ccc store --store "$bue" verify
