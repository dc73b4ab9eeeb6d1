#!/bin/sh
# The operations-room workflow on a fresh local store for site Lyon:
# messages from national central bureaus in Arabic, English, French and
# Spanish are taken in; what was stored and what was rejected is shown; the
# store is verified.
#   sh examples/ops-room.sh [BIN_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/bin}
bin=$(cd "$bin" && pwd)
PATH=$bin:$PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" CCC_STORE="$work/lyon.db" CCC_ACTOR=duty-officer
unset CCC_SITE CCC_KEY

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

step "What was stored: language, source, subject"
if command -v jq >/dev/null; then
	jq -r '[.language, .source, .subject] | @tsv' "$work/stored.ndjson"
else
	cat "$work/stored.ndjson"
fi

step "Taking the same feed in again stores nothing new"
ccc intake -q --source ncb:unknown "$here/data/ncb-messages.ndjson" | wc -l || true

step "What was rejected, and why"
if command -v jq >/dev/null; then
	ccc store rejects | jq -r '"line \(.line): \(.reason)"'
else
	ccc store rejects
fi

step "The journal: who changed what"
ccc store log | cut -c1-160

step "The store proves itself: hash chain, signatures, replay"
ccc store verify
