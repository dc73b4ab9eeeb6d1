#!/usr/bin/env bats
# Checks at a standby: its own audit chain, carried home by ship, merged into
# the primary's consultation log, verified everywhere; revoking a site.

load helper

setup() {
	common_setup
	export CCC_NOW=2026-11-28T10:00:00Z
	LYON=$BATS_TEST_TMPDIR/lyon.db
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$LYON" init -q --site lyon
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
	ccc-failover -q --store "$LYON" site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)" --via "ccc-failover --store '$BUE'"
	printf '%s\n' '{"number":"X1234567","country":"FR","type":"passport","status":"stolen"}' \
		'{"number":"P7654321","country":"AR","type":"passport","status":"lost"}' |
		ccc-check -q --store "$LYON" load --db documents --owner FR
	ccc-failover -q --store "$LYON" ship --to buenos-aires
}

consultations() {
	sqlite3 "$1" "SELECT count(*) FROM consultations${2:+ WHERE $2}"
}

@test "a check at a standby answers from its copy and goes to its own signed audit chain" {
	before=$(ccc-failover --store "$BUE" position)
	run ccc-check --store "$BUE" --doc X1234567 --country FR
	assert_success
	assert_output --partial '"hits":[{"id":"doc:FR:X1234567","score":1,"status":"stolen"'
	# nothing replicated was written: the journal and the log are as they were
	assert_equal "$(ccc-failover --store "$BUE" position)" "$before"
	assert_equal "$(consultations "$BUE")" 0
	run sqlite3 "$BUE" 'SELECT seq, site, json_extract(body, "$.rows[0].table"), json_extract(body, "$.rows[0].db"), length(signature) FROM audit_local'
	assert_output "1|buenos-aires|consultations|documents|64"
	run ccc-store --store "$BUE" verify
	assert_success
	assert_output --partial '"audit_entries":1'
}

@test "a stream of checks at a standby is one audit entry per batch; a bad line is kept as a reject" {
	printf '%s\n' '{"type":"query","doc":"X1234567","country":"FR"}' 'not json' \
		'{"type":"query","doc":"P7654321","country":"AR"}' >"$BATS_TEST_TMPDIR/q.ndjson"
	run ccc-check --store "$BUE" "$BATS_TEST_TMPDIR/q.ndjson"
	assert_failure 65
	assert_output --partial 'q.ndjson:2'
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM audit_local')" 1
	run sqlite3 "$BUE" "SELECT group_concat(t, ',') FROM (SELECT json_extract(value, '\$.table') AS t FROM audit_local, json_each(body, '\$.rows') ORDER BY t)"
	assert_output "consultations,consultations,rejects"
	# at the primary, the reject is kept as any reject is
	ccc-failover -q --store "$LYON" ship --to buenos-aires
	run sqlite3 "$LYON" "SELECT program, line, reason, raw FROM rejects"
	assert_output --partial "ccc-check|2|"
	assert_output --partial "|not json"
	assert_equal "$(consultations "$LYON" "site = 'buenos-aires'")" 2
}

@test "ship brings the standby's audit home: merged with its site, verified, and back at the standby" {
	ccc-check -q --store "$BUE" --doc X1234567 --country FR
	ccc-check -q --store "$BUE" --doc NOPE1 --country FR || true
	ccc-check -q --store "$LYON" --doc P7654321 --country AR
	run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_success
	assert_output --partial "merged 2 audit entries of buenos-aires"
	run sqlite3 "$LYON" "SELECT site, audit_seq, json_extract(query, '\$.number') FROM consultations ORDER BY c"
	assert_output "lyon||P7654321
buenos-aires|1|X1234567
buenos-aires|2|NOPE1"
	run ccc-check --store "$LYON" log --format ndjson
	assert_line --index 1 --regexp '"site":"buenos-aires","audit_seq":1\}$'
	run ccc-store --store "$LYON" verify
	assert_success
	assert_output --partial '"audit_entries":2'
	# the merged entries came back with the journal: the standby's log shows them
	assert_equal "$(consultations "$BUE" "site = 'buenos-aires'")" 2
	run ccc-store --store "$BUE" verify
	assert_success
	assert_output --partial '"audit_entries":4'
	# shipping again merges nothing twice
	run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_success
	refute_output --partial "merged"
	assert_equal "$(consultations "$LYON" "site = 'buenos-aires'")" 2
}

@test "audit-import refuses a forged, gapped or forked entry with its site and seq, and merges nothing of it" {
	ccc-check -q --store "$BUE" --doc X1234567 --country FR
	ccc-check -q --store "$BUE" --doc P7654321 --country AR
	ccc-failover --store "$BUE" audit-export >"$BATS_TEST_TMPDIR/a.ndjson"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/a.ndjson")" 2
	# a body changed after signing: a hit hidden
	sed -n 1p "$BATS_TEST_TMPDIR/a.ndjson" | jq -c '.body |= sub("X1234567"; "X0000000")' >"$BATS_TEST_TMPDIR/forged.ndjson"
	run ccc-failover --store "$LYON" audit-import "$BATS_TEST_TMPDIR/forged.ndjson"
	assert_failure 65
	assert_output --partial "forged.ndjson:1: audit entry buenos-aires/1 refused: its hash is not the hash of its contents"
	# the hash recomputed too: the signature gives it away
	# a gap: entry 2 without entry 1
	sed -n 2p "$BATS_TEST_TMPDIR/a.ndjson" >"$BATS_TEST_TMPDIR/gap.ndjson"
	run ccc-failover --store "$LYON" audit-import "$BATS_TEST_TMPDIR/gap.ndjson"
	assert_failure 65
	assert_output --partial "audit entry buenos-aires/2 refused: gap: entry 1 was expected, not 2"
	# an entry signed by another key
	sed -n 1p "$BATS_TEST_TMPDIR/a.ndjson" | jq -c '.signature = "'"$(head -c 64 /dev/urandom | base64 -w0)"'"' >"$BATS_TEST_TMPDIR/sig.ndjson"
	run ccc-failover --store "$LYON" audit-import "$BATS_TEST_TMPDIR/sig.ndjson"
	assert_failure 65
	assert_output --partial "audit entry buenos-aires/1 refused: its signature does not verify with the key of site 'buenos-aires'"
	# a site that is not trusted
	sed -n 1p "$BATS_TEST_TMPDIR/a.ndjson" | jq -c '.site = "singapore"' >"$BATS_TEST_TMPDIR/who.ndjson"
	run ccc-failover --store "$LYON" audit-import "$BATS_TEST_TMPDIR/who.ndjson"
	assert_failure 65
	assert_output --partial "audit entry singapore/1 refused: site 'singapore' is not trusted here"
	assert_equal "$(consultations "$LYON")" 0
	# the real ones merge, once; a forged copy of a merged entry is still refused
	run ccc-failover --store "$LYON" audit-import "$BATS_TEST_TMPDIR/a.ndjson"
	assert_success
	assert_output --partial "2 audit entries merged, 0 already merged, 0 refused"
	run ccc-failover --store "$LYON" audit-import -v "$BATS_TEST_TMPDIR/a.ndjson"
	assert_success
	assert_output --partial "0 audit entries merged, 2 already merged, 0 refused"
	run ccc-failover --store "$LYON" audit-import "$BATS_TEST_TMPDIR/forged.ndjson"
	assert_failure 65
	assert_output --partial "audit entry buenos-aires/1 refused: its hash is not the hash of its contents"
	assert_equal "$(consultations "$LYON")" 2
}

@test "a body that writes anything but consultations and rejects is refused, even when signed" {
	# a compromised but trusted standby signs entries of its own making
	key=$XDG_CONFIG_HOME/ccc/keys/buenos-aires.pem
	zero=$(printf '0%.0s' $(seq 64))
	"$FIXTURES/audit/sign-entry.py" "$key" buenos-aires 1 "$zero" \
		'{"v":1,"rows":[{"table":"messages","n":99,"id":"msg-x","dkey":"x","record":"{}"}]}' >"$BATS_TEST_TMPDIR/evil.ndjson"
	"$FIXTURES/audit/sign-entry.py" "$key" buenos-aires 1 "$zero" \
		'{"v":1,"rows":[{"table":"consultations","ts":"2026-11-28T10:00:00Z","actor":"x","db":"documents","query":"{","hits":"[]"}]}' >>"$BATS_TEST_TMPDIR/evil.ndjson"
	"$FIXTURES/audit/sign-entry.py" "$key" buenos-aires 1 "$zero" \
		'{"v":2,"rows":[]}' >>"$BATS_TEST_TMPDIR/evil.ndjson"
	# a good row, then a bad one: nothing of the entry is merged
	"$FIXTURES/audit/sign-entry.py" "$key" buenos-aires 1 "$zero" \
		'{"v":1,"rows":[{"table":"consultations","ts":"2026-11-28T10:00:00Z","actor":"x","db":"documents","query":"{}","hits":"[]"},{"table":"queue"}]}' >>"$BATS_TEST_TMPDIR/evil.ndjson"
	run ccc-failover --store "$LYON" audit-import "$BATS_TEST_TMPDIR/evil.ndjson"
	assert_failure 65
	assert_line --partial "evil.ndjson:1: audit entry buenos-aires/1 refused: a row is neither a consultation nor a reject"
	assert_line --partial "evil.ndjson:2: audit entry buenos-aires/1 refused: a consultation's query or hits is not JSON"
	assert_line --partial "evil.ndjson:3: audit entry buenos-aires/1 refused: its body is not of a version this program knows (v 1)"
	assert_line --partial "evil.ndjson:4: audit entry buenos-aires/1 refused: a row is neither a consultation nor a reject"
	assert_equal "$(sqlite3 "$LYON" 'SELECT count(*) FROM messages')" 0
	assert_equal "$(consultations "$LYON")" 0
	# the site it claims is the signer's own: a row cannot say it was made elsewhere
	"$FIXTURES/audit/sign-entry.py" "$key" buenos-aires 1 "$zero" \
		'{"v":1,"rows":[{"table":"consultations","ts":"2026-11-28T10:00:00Z","actor":"x","db":"documents","query":"{}","hits":"[]","site":"lyon"}]}' >"$BATS_TEST_TMPDIR/claim.ndjson"
	run ccc-failover --store "$LYON" audit-import "$BATS_TEST_TMPDIR/claim.ndjson"
	assert_success
	assert_equal "$(sqlite3 "$LYON" 'SELECT site FROM consultations')" buenos-aires
}

@test "a write other than a check at a standby is still fenced, and its chain untouched" {
	ccc-check -q --store "$BUE" --doc X1234567 --country FR
	run ccc-check --store "$BUE" load --db documents <<<'{"number":"Z1","country":"FR","type":"passport"}'
	assert_failure 75
	assert_output --partial "fenced: site 'buenos-aires' is not the primary"
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM audit_local')" 1
}

@test "verify finds a changed, removed or re-signed entry of an audit chain, at the standby and at the primary" {
	ccc-check -q --store "$BUE" --doc X1234567 --country FR
	ccc-check -q --store "$BUE" --doc P7654321 --country AR
	ccc-check -q --store "$BUE" --doc X1234567 --country FR
	cp "$BUE" "$BATS_TEST_TMPDIR/bue-copy.db"
	sqlite3 "$BUE" "UPDATE audit_local SET body = replace(body, 'P7654321', 'P0000000') WHERE seq = 2"
	run ccc-store --store "$BUE" verify
	assert_failure 65
	assert_output --partial "audit chain of site 'buenos-aires': first bad seq 2: its hash is not the hash of its contents"
	cp "$BATS_TEST_TMPDIR/bue-copy.db" "$BUE"
	sqlite3 "$BUE" "DELETE FROM audit_local WHERE seq = 2"
	run ccc-store --store "$BUE" verify
	assert_failure 65
	assert_output --partial "audit chain of site 'buenos-aires': first bad seq 3: a gap before it"
	cp "$BATS_TEST_TMPDIR/bue-copy.db" "$BUE"
	ccc-failover -q --store "$LYON" ship --to buenos-aires
	sqlite3 "$LYON" "UPDATE site_audits SET signature = zeroblob(64) WHERE seq = 3"
	run ccc-store --store "$LYON" verify
	assert_failure 65
	assert_output --partial "site audit of site 'buenos-aires': first bad seq 3: its signature does not verify"
}

@test "a promotion carries the audit: the new primary merges the checks it answered as a standby" {
	ccc-check -q --store "$BUE" --doc X1234567 --country FR
	ccc-check -q --store "$BUE" --doc P7654321 --country AR
	ccc-store --store "$LYON" trust add -q buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)" 2>/dev/null || true
	run ccc-failover --store "$BUE" promote
	assert_success
	assert_output --partial "merged 2 entries of this site's own audit chain"
	run sqlite3 "$BUE" "SELECT site, audit_seq FROM consultations ORDER BY c"
	assert_output "buenos-aires|1
buenos-aires|2"
	run ccc-store --store "$BUE" verify
	assert_success
	# as the primary, its checks go to the log directly
	ccc-check -q --store "$BUE" --doc X1234567 --country FR
	assert_equal "$(consultations "$BUE" "site = 'buenos-aires' AND audit_seq IS NULL")" 1
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM audit_local')" 2
}

@test "a revoked site's audit after the revocation is refused; before it is kept; nothing ships to it" {
	ccc-check -q --store "$BUE" --doc X1234567 --country FR
	ccc-failover -q --store "$LYON" ship --to buenos-aires
	run ccc-failover --store "$LYON" site revoke buenos-aires
	assert_success
	assert_output --partial "site 'buenos-aires' revoked"
	run ccc-failover --store "$LYON" site revoke buenos-aires
	assert_success
	assert_output --partial "was revoked already"
	run ccc-failover --store "$LYON" site list --format ndjson
	assert_output --regexp '"name":"buenos-aires".*"revoked_at":"2026-11-28T10:00:00Z"'
	ccc-check -q --store "$BUE" --doc P7654321 --country AR
	ccc-failover --store "$BUE" audit-export --since 1 >"$BATS_TEST_TMPDIR/late.ndjson"
	run ccc-failover --store "$LYON" audit-import "$BATS_TEST_TMPDIR/late.ndjson"
	assert_failure 65
	assert_output --partial "audit entry buenos-aires/2 refused: site 'buenos-aires' was revoked at 2026-11-28T10:00:00Z: its audit after entry 1 is refused"
	assert_equal "$(consultations "$LYON" "site = 'buenos-aires'")" 1
	run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_failure 77
	assert_output --partial "site 'buenos-aires' was revoked at 2026-11-28T10:00:00Z: nothing is shipped to it"
	# an acknowledgement it signs is refused too
	run ccc-failover --store "$LYON" ship --via "ccc-failover --store '$BUE'"
	assert_failure
	assert_output --partial "site 'buenos-aires' was revoked: its key is refused"
	run ccc-store --store "$LYON" verify
	assert_success
	# the revocation is an entry like any other: it reaches every site
	SIN=$BATS_TEST_TMPDIR/sin.db
	ccc-store --store "$SIN" init -q --standby --site singapore
	ccc-store --store "$SIN" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
	ccc-failover --store "$LYON" export | ccc-failover -q --store "$SIN" import >/dev/null
	run sqlite3 "$SIN" "SELECT revoked_at, revoked_seq FROM sites WHERE name = 'buenos-aires'"
	assert_output "2026-11-28T10:00:00Z|1"
	run ccc-store --store "$SIN" verify
	assert_success
}

@test "kill -9 during audit shipping, 50 times, loses and duplicates no consultation" {
	for i in $(seq 1 300); do
		printf '{"type":"query","doc":"X%07d","country":"FR"}\n' "$i"
	done >"$BATS_TEST_TMPDIR/q.ndjson"
	ccc-check -q --store "$BUE" --batch 1 "$BATS_TEST_TMPDIR/q.ndjson" || true
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM audit_local')" 300
	for i in $(seq 1 50); do
		ccc-failover -q --store "$LYON" ship --to buenos-aires 2>/dev/null &
		pid=$!
		sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	ccc-failover -q --store "$LYON" ship --to buenos-aires
	run sqlite3 "$LYON" "SELECT count(*), count(DISTINCT audit_seq), min(audit_seq), max(audit_seq) FROM consultations WHERE site = 'buenos-aires'"
	assert_output "300|300|1|300"
	run ccc-store --store "$LYON" verify
	assert_success
	run ccc-store --store "$BUE" verify
	assert_success
}
