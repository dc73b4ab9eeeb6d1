#!/bin/sh
# The deployment part of the operations-room demo: a roster is taken in
# (NDJSON and CSV, one line of each is bad), an Incident Response Team is
# planned for an earthquake in Morocco, approved and started; its members
# check documents in the field with ccc-check; the report counts the checks;
# the watch of the three sites is shown from the shipped duty plan.
#   sh examples/deploy-demo.sh BIN_DIR     (with CCC_STORE an initialised store)
set -eu
bin=${1:?usage: deploy-demo.sh BIN_DIR}
bin=$(cd "$bin" && pwd)
PATH=$bin:$PATH
: "${CCC_STORE:?deploy-demo: set CCC_STORE to an initialised store}"
command -v jq >/dev/null || { echo "deploy-demo: jq is needed (apt-get install jq)" >&2; exit 69; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() {
	printf '\n== %s\n' "$*"
}

# dates relative to the demo's day (CCC_NOW when the demo holds its clock,
# today otherwise), so that the demo stays valid
base=$(date -u -d "${CCC_NOW:-now}" +%Y-%m-%d)
day() {
	date -u -d "$base $1" +%Y-%m-%d
}
soon=$(day '+20 days')        # a course that lapses during the deployment
year=$(day '+1 year')
far=$(day '+5 years')
short=$(day '+4 months')      # a passport too short for the rule of six months
from=$(day today)
to=$(day '+10 days')

cat >"$work/roster.ndjson" <<EOT
{"type":"staff","v":1,"id":"s-0101","name":"Claire Martin","site":"lyon","languages":"fr:native;en:C1;ar:B2","skills":"team_lead;crisis_management","trainings":"irt_readiness:$year;hostile_environment:$year","passport_expires":"$far"}
{"type":"staff","v":1,"id":"s-0102","name":"Omar Haddad","site":"lyon","languages":"ar:native;fr:C2","skills":"disaster_victim_identification;forensics","trainings":"irt_readiness:$year","passport_expires":"$far"}
{"type":"staff","v":1,"id":"s-0103","name":"Diego Fernández","site":"buenos-aires","languages":"es:native;en:C1","skills":"team_lead;fugitive_investigation","trainings":"irt_readiness:$soon","passport_expires":"$far"}
{"type":"staff","v":1,"id":"s-0104","name":"Lucía Gómez","site":"buenos-aires","languages":"es:native;fr:B2;en:B2","skills":"disaster_victim_identification;liaison","trainings":"irt_readiness:$year","passport_expires":"$far"}
{"type":"staff","v":1,"id":"s-0105","name":"Tan Mei Ling","site":"singapore","languages":"zh:native;en:C2","skills":"disaster_victim_identification;database_support","trainings":"irt_readiness:$year","passport_expires":"$short"}
{"type":"staff","v":1,"id":"s-0106","name":"Nobody Known","site":"tokyo"}
EOT
cat >"$work/roster.csv" <<EOT
id,name,site,languages,skills,trainings,passport_expires
s-0201,Ahmed Mansour,singapore,ar:native;en:C1,cybercrime;database_support,irt_readiness:$year,$far
s-0202,"Keller, Anna",lyon,de:native;fr:C1;en:C1,forensics;firearms,irt_readiness:$year,$far
s-0203,Bad Date,lyon,fr:native,liaison,irt_readiness:someday,$far
EOT

step "The roster: NDJSON and CSV (a site that does not exist and a date that is not one are rejected)"
ccc deploy staff import "$work/roster.ndjson" "$work/roster.csv" >/dev/null || echo "exit status $? (65: some lines were rejected and kept)"
ccc deploy staff list --format table

step "An earthquake in Morocco: an IRT of at most 4, two DVI experts, forensics, French"
ccc deploy plan --kind irt --for INC-DEMO-QUAKE --country MA --from "$from" --to "$to" --size 4 \
	--need disaster_victim_identification=2,forensics=1 --lang fr >"$work/plan.json"
jq -r '"\(.id): \([.members[] | "\(.staff) (\(.role): \(.covers.skills + .covers.languages | join(",")))"] | join(", "))"' "$work/plan.json"
jq -r '.excluded[] | "  not sent: \(.staff): \(.reason)"' "$work/plan.json"
jq -r 'if .complete then "  every need covered" else (.unmet[] | "  unmet: \(.reason)") end' "$work/plan.json"

step "Approved (every member checked again) and on its way"
plan=$(jq -r .id "$work/plan.json")
dep=$(ccc deploy approve "$plan" | jq -r .id)
ccc deploy start "$dep" --format table

step "A flood in France the same days: the DVI experts are already deployed"
ccc deploy plan --kind irt --for INC-DEMO-FLOOD --country FR --from "$from" --to "$to" --size 3 \
	--need disaster_victim_identification=1 |
	jq -r '"\(.id): \([.members[].staff] | join(", "))", (.unmet[] | "  unmet: \(.reason)")' 

step "Field checks by the team, each member as themselves"
ccc check -q --doc 19AB45872 --country FR --deployment "$dep" --as s-0102 >/dev/null || true
ccc check -q --doc 19AB45872 --country FR --deployment "$dep" --as s-0101 >/dev/null || true
ccc check -q --doc X12345678 --country MA --deployment "$dep" --as s-0102 >/dev/null || true
ccc deploy report "$dep" --format table

step "The watch of the three sites today from the duty plan, and who is on duty now"
ccc duty -q plan load "$(dirname "$0")/duty-plan.ndjson"
ccc deploy rota --format table
