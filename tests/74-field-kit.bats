#!/usr/bin/env bats
# Field kits (issue 20): a standby on a team's laptop that holds the
# reference databases and notices only, sent as signed field batches.

load helper

setup() {
	common_setup
	export CCC_NOW=2026-11-28T10:00:00Z
	LYON=$BATS_TEST_TMPDIR/lyon.db
	KIT=$BATS_TEST_TMPDIR/irt-1.db
	export CCC_STORE=$LYON
	ccc-store init -q --site lyon
	ccc-store --store "$KIT" init -q --field --site irt-1
	ccc-store --store "$KIT" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	# the room's data: a message with a subject found nowhere else, a case
	printf '%s\n' '{"subject":"ZEBRA-7741 informant in Marseille","body":"meet at the port"}' |
		ccc-intake -q --source ncb:fr >/dev/null
	ccc-case open -q --kind incident --title 'QUAGGA-3310 surveillance' --country FR \
		--as a.martin >/dev/null
	# the reference data and a published notice
	ccc-check load -q --db documents --owner FR "$FIXTURES/check/documents.ndjson"
	ccc-check load -q --db persons "$FIXTURES/check/persons.ndjson"
	ccc-check load -q --db vehicles "$FIXTURES/check/vehicles.ndjson"
	ccc-notice draft -q --kind red --name 'Ivan Petrov' --dob 1980-03-14 --nationality RU \
		--country FR --charge 'armed robbery' --warrant W-2026-118 --warrant-date 2026-10-02 \
		--authority 'Tribunal judiciaire de Lyon' --as a.martin >/dev/null
	ccc-notice review -q notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice publish -q notice-lyon-1 --as j.garcia >/dev/null
	# the kit is reached through a script that keeps what was sent to it
	cat >"$BATS_TEST_TMPDIR/reach-kit" <<-SH
		#!/bin/sh
		if [ "\$1" = import ]; then
			tee -a "$BATS_TEST_TMPDIR/sent.ndjson" | ccc-failover --store "\${KIT_STORE:-$KIT}" "\$@"
		else
			ccc-failover --store "\${KIT_STORE:-$KIT}" "\$@"
		fi
	SH
	chmod +x "$BATS_TEST_TMPDIR/reach-kit"
	ccc-failover site add -q irt-1 "$(ccc-store --store "$KIT" keys | jq -r .key)" --field \
		--via "$BATS_TEST_TMPDIR/reach-kit"
}

# count TABLE [STORE]
count() {
	sqlite3 "${2:-$KIT}" "SELECT count(*) FROM $1"
}

@test "site add --field records a field kit, and site list shows each site's kind" {
	assert_equal "$(sqlite3 "$LYON" "SELECT name || ':' || kind FROM sites ORDER BY name" | tr '\n' ' ')" "irt-1:field lyon:site "
	run ccc-failover site list --format ndjson
	assert_success
	assert_equal "$(jq -r '[.name, .kind] | @tsv' <<<"$output" | tr '\t\n' ': ')" "irt-1:field lyon:site "
	run ccc-failover site list --format table
	assert_line --index 0 --regexp '^NAME +KIND +REGION'
	assert_line --index 1 --regexp '^irt-1 +field '
	# a rerun changes nothing; a standby cannot be turned into a kit
	run ccc-failover site add irt-1 "$(ccc-store --store "$KIT" keys | jq -r .key)" --field
	assert_success
	assert_output --partial "site 'irt-1' is trusted already with this key"
	ccc-store --store "$BATS_TEST_TMPDIR/bue.db" init -q --standby --site buenos-aires
	ccc-failover site add -q buenos-aires "$(ccc-store --store "$BATS_TEST_TMPDIR/bue.db" keys | jq -r .key)"
	run ccc-failover site add buenos-aires "$(ccc-store --store "$BATS_TEST_TMPDIR/bue.db" keys | jq -r .key)" --field
	assert_failure 65
	assert_output --partial "'buenos-aires' is a standby site already, holding the room's data"
}

@test "ship sends a kit the reference tables and notices only: nothing of the room's data reaches it" {
	run ccc-failover ship --to irt-1
	assert_success
	assert_output --partial "irt-1 acknowledged every entry up to $(ccc-failover position)"
	run ccc-failover --store "$KIT" position
	assert_output "$(ccc-failover position)"
	# what was sent: one signed field batch, never a journal entry
	assert_equal "$(jq -r .type "$BATS_TEST_TMPDIR/sent.ndjson" | sort -u)" field-batch
	assert_equal "$(jq -r '[.kit, .signer, .from_seq, .to_seq == '"$(ccc-failover position)"'] | @tsv' "$BATS_TEST_TMPDIR/sent.ndjson")" "$(printf 'irt-1\tlyon\t0\ttrue')"
	run grep -c -e ZEBRA-7741 -e QUAGGA-3310 -e Marseille "$BATS_TEST_TMPDIR/sent.ndjson"
	assert_output 0
	jq -r .changeset "$BATS_TEST_TMPDIR/sent.ndjson" | base64 -d | grep -c -a -e ZEBRA -e QUAGGA -e Marseille || true
	assert_equal "$(jq -r .changeset "$BATS_TEST_TMPDIR/sent.ndjson" | base64 -d | grep -c -a -e ZEBRA -e QUAGGA -e Marseille)" 0
	# the kit holds the reference tables and notices as the primary does
	for t in documents persons person_keys items notices notice_recipients sites epochs derived_key_counts; do
		assert_equal "$t $(count "$t")" "$t $(count "$t" "$LYON")"
	done
	assert_equal "$(sqlite3 "$KIT" 'SELECT group_concat(number || country, ",") FROM documents')" \
		"$(sqlite3 "$LYON" 'SELECT group_concat(number || country, ",") FROM documents')"
	# and none of the room's rows
	for t in messages attachments queue queue_log cases case_log case_links replies staff \
		deployments duty_shifts training_sessions consultations rejects journal checkpoints; do
		assert_equal "$t $(count "$t")" "$t 0"
	done
	[ "$(count messages "$LYON")" -gt 0 ] || fail "no message at the primary"
	[ "$(count cases "$LYON")" -gt 0 ] || fail "no case at the primary"
	# no trace in any page of the file (the WAL included)
	sqlite3 "$KIT" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	run grep -c -a -e ZEBRA-7741 -e QUAGGA-3310 -e Marseille "$KIT"
	assert_output 0
	# the batch it applied, and the primary's record of its ack
	assert_equal "$(sqlite3 "$KIT" 'SELECT seq, from_seq, to_seq, signer FROM field_journal')" "1|0|$(ccc-failover position)|lyon"
	assert_equal "$(ccc-failover status --format ndjson | jq -r 'select(.site == "irt-1") | .seq')" "$(ccc-failover position)"
	run ccc-store --store "$KIT" verify
	assert_success
	assert_equal "$(jq -c '[.ok, .entries, .field_batches]' <<<"$output")" '[true,0,1]'
}

@test "a second ship sends only what changed; a record removed at the primary is removed at the kit" {
	ccc-failover ship -q --to irt-1
	first=$(ccc-failover position)
	rm "$BATS_TEST_TMPDIR/sent.ndjson"
	printf '%s\n' '{"subject":"ZEBRA-9 second message","body":"x"}' | ccc-intake -q --source ncb:fr >/dev/null
	printf '%s\n' '{"number":"NEW000111","country":"FR","status":"stolen"}' >"$BATS_TEST_TMPDIR/new.ndjson"
	ccc-check load -q --db documents --owner FR "$BATS_TEST_TMPDIR/new.ndjson"
	run ccc-failover ship --to irt-1
	assert_success
	assert_equal "$(jq -r '[.from_seq, .to_seq] | @tsv' "$BATS_TEST_TMPDIR/sent.ndjson")" "$(printf '%s\t%s' "$first" "$(ccc-failover position)")"
	# the batch holds the one document, nothing of the message
	assert_equal "$(jq -r .changeset "$BATS_TEST_TMPDIR/sent.ndjson" | base64 -d | grep -c -a NEW000111)" 1
	assert_equal "$(jq -r .changeset "$BATS_TEST_TMPDIR/sent.ndjson" | base64 -d | grep -c -a ZEBRA)" 0
	assert_equal "$(sqlite3 "$KIT" "SELECT status FROM documents WHERE number = 'NEW000111'")" stolen
	# nothing new: no batch sent, only where the primary's journal ends (for the kit's lag)
	rm "$BATS_TEST_TMPDIR/sent.ndjson"
	run ccc-failover ship --to irt-1
	assert_success
	assert_output ""
	assert_equal "$(jq -r .type "$BATS_TEST_TMPDIR/sent.ndjson")" head
	# removed at the primary (found), removed at the kit
	ccc-check load -q --db documents --owner FR --remove "$BATS_TEST_TMPDIR/new.ndjson"
	ccc-failover ship -q --to irt-1
	assert_equal "$(sqlite3 "$KIT" "SELECT count(*) FROM documents WHERE number = 'NEW000111'")" 0
	assert_equal "$(count documents)" "$(count documents "$LYON")"
	assert_equal "$(count field_journal)" 3
	run ccc-store --store "$KIT" verify
	assert_success
	assert_equal "$(jq -c '[.ok, .field_batches]' <<<"$output")" '[true,3]'
}

@test "ship --via alone to a remembered kit ships to it as a kit" {
	run ccc-failover ship --via "$BATS_TEST_TMPDIR/reach-kit"
	assert_success
	assert_equal "$(jq -r .type "$BATS_TEST_TMPDIR/sent.ndjson" | sort -u)" field-batch
	assert_equal "$(count messages)" 0
}

@test "a tampered field batch is refused with its reason, and nothing of it is applied" {
	ccc-failover ship -q --to irt-1
	good=$BATS_TEST_TMPDIR/sent.ndjson
	KIT2=$BATS_TEST_TMPDIR/irt-2.db
	ccc-store --store "$KIT2" init -q --field --site irt-2
	ccc-store --store "$KIT2" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	# a batch signed for irt-1 is not for irt-2; naming irt-2 breaks its signature
	run ccc-failover --store "$KIT2" import "$good"
	assert_failure 65
	assert_output --partial "sent.ndjson:1: field batch refused: the batch is for field kit 'irt-1', not for 'irt-2'; nothing of it was applied"
	jq -c '.kit = "irt-2"' "$good" >"$BATS_TEST_TMPDIR/renamed.ndjson"
	run ccc-failover --store "$KIT2" import "$BATS_TEST_TMPDIR/renamed.ndjson"
	assert_failure 65
	assert_output --partial "renamed.ndjson:1: field batch refused: the signature by 'lyon' does not verify (for kit 'irt-2')"
	# irt-1's laptop rebuilt (same key, nothing applied): what was not signed is refused
	NEW=$BATS_TEST_TMPDIR/irt-1-new.db
	ccc-store --store "$NEW" init -q --field --site irt-1
	ccc-store --store "$NEW" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	for edit in '.to_seq += 1' '.changeset = "VAA="' '.to_hash = ("00" * 32)' \
		'.signature = ("A" * 86 + "==")'; do
		jq -c "$edit" "$good" >"$BATS_TEST_TMPDIR/bad.ndjson"
		run ccc-failover --store "$NEW" import "$BATS_TEST_TMPDIR/bad.ndjson"
		assert_failure 65
		assert_output --partial "bad.ndjson:1: field batch refused: the signature by 'lyon' does not verify (for kit 'irt-1'); nothing of it was applied"
	done
	jq -c '.from_seq = "x"' "$good" >"$BATS_TEST_TMPDIR/bad.ndjson"
	run ccc-failover --store "$NEW" import "$BATS_TEST_TMPDIR/bad.ndjson"
	assert_failure 65
	assert_output --partial "field batch refused: a field is missing or malformed"
	assert_equal "$(count documents "$NEW") $(count sites "$NEW") $(count field_journal "$NEW")" "0 0 0"
	run ccc-failover --store "$NEW" position
	assert_output 0
	# the good batch applies there
	run ccc-failover --store "$NEW" import "$good"
	assert_success
	assert_equal "$(count documents "$NEW")" "$(count documents "$LYON")"
}

@test "a batch applies only at the kit's position: a gap is refused, the same batch again is acknowledged again" {
	ccc-failover ship -q --to irt-1
	first=$(ccc-failover position)
	printf '%s\n' '{"number":"GAP000001","country":"FR","status":"stolen"}' |
		ccc-check load -q --db documents --owner FR
	ccc-failover ship -q --to irt-1
	tail -n 1 "$BATS_TEST_TMPDIR/sent.ndjson" >"$BATS_TEST_TMPDIR/second.ndjson"
	NEW=$BATS_TEST_TMPDIR/irt-1-new.db
	ccc-store --store "$NEW" init -q --field --site irt-1
	ccc-store --store "$NEW" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	run ccc-failover --store "$NEW" import "$BATS_TEST_TMPDIR/second.ndjson"
	assert_failure 65
	assert_output --partial "field batch refused: the batch starts after entry $first, but this kit holds up to entry 0 (a gap)"
	assert_equal "$(count documents "$NEW")" 0
	# at the kit, both are there already: acknowledged again, nothing changes
	run ccc-failover --store "$KIT" import "$BATS_TEST_TMPDIR/sent.ndjson"
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --regexp '^\{"type":"ack","v":1,"id":"ack:lyon:[0-9]+","site":"irt-1","origin":"lyon","seq":'"$(ccc-failover position)"',"hash":"[0-9a-f]{64}","signature":"[A-Za-z0-9+/]{86}=="\}$'
	assert_equal "$(count field_journal)" 2
}

@test "a kit takes no journal entry, and a standby no field batch" {
	run bash -c "ccc-failover --store '$LYON' export | ccc-failover --store '$KIT' import"
	assert_failure 65
	assert_output --partial "stdin:1: a field kit takes field-batch records only, not 'entry' (the primary ships to it with 'ccc-failover ship --to irt-1')"
	assert_equal "$(count messages) $(count journal)" "0 0"
	ccc-failover ship -q --to irt-1
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	run ccc-failover --store "$BUE" import "$BATS_TEST_TMPDIR/sent.ndjson"
	assert_failure 65
	assert_output --partial "sent.ndjson:1: not an entry, a checkpoint or a head"
}

@test "a batch signed by a site that is not the primary, or whose key was revoked, is refused" {
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	ccc-failover site add -q buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)"
	ccc-failover ship -q --to buenos-aires --via "ccc-failover --store '$BUE'"
	# the standby holds the whole journal: it could make a batch, but it is not the primary
	run ccc-failover --store "$BUE" ship --to irt-1 --via "$BATS_TEST_TMPDIR/reach-kit"
	assert_failure 65
	assert_output --partial "field batch refused: signed by 'buenos-aires', but the primary of epoch 1 is 'lyon'"
	assert_equal "$(count documents) $(count field_journal)" "0 0"
	# lyon's key revoked as the kit knows it: refused
	ccc-failover ship -q --to irt-1
	printf '%s\n' '{"number":"REV000001","country":"FR","status":"stolen"}' |
		ccc-check load -q --db documents --owner FR
	sqlite3 "$KIT" "UPDATE sites SET revoked_at = '2026-11-28T09:00:00Z' WHERE name = 'lyon'"
	run ccc-failover ship --to irt-1
	assert_failure 65
	assert_output --partial "field batch refused: signed by 'lyon', whose key was revoked at 2026-11-28T09:00:00Z"
	assert_equal "$(sqlite3 "$KIT" "SELECT count(*) FROM documents WHERE number = 'REV000001'")" 0
}

@test "verify at a kit replays its batches: a changed row or a changed batch is reported (65)" {
	ccc-failover ship -q --to irt-1
	printf '%s\n' '{"number":"VER000001","country":"FR","status":"stolen"}' |
		ccc-check load -q --db documents --owner FR
	ccc-failover ship -q --to irt-1
	cp "$KIT" "$BATS_TEST_TMPDIR/copy.db"
	sqlite3 "$KIT" "UPDATE documents SET status = 'recovered' WHERE number = 'VER000001'"
	run ccc-store --store "$KIT" verify
	assert_failure 65
	assert_output --partial 'table '\''documents'\'': row ["VER000001","FR"]: column '\''status'\'' differs from the journal'
	cp "$BATS_TEST_TMPDIR/copy.db" "$KIT"
	sqlite3 "$KIT" "UPDATE field_journal SET from_seq = from_seq + 1 WHERE seq = 2"
	run ccc-store --store "$KIT" verify
	assert_failure 65
	assert_output --regexp "field batch: first bad seq 2: it covers entries [0-9]+ to [0-9]+, but the batch before ended at [0-9]+ \(a gap\)"
	cp "$BATS_TEST_TMPDIR/copy.db" "$KIT"
	sqlite3 "$KIT" "UPDATE field_journal SET changeset = changeset || x'00' WHERE seq = 2"
	run ccc-store --store "$KIT" verify
	assert_failure 65
	assert_output --partial "field batch: first bad seq 2: the signature by 'lyon' does not verify"
	cp "$BATS_TEST_TMPDIR/copy.db" "$KIT"
	sqlite3 "$KIT" "INSERT INTO messages(n, id, dkey, record) VALUES (1, 'm', 'k', '{}')"
	run ccc-store --store "$KIT" verify
	assert_failure 65
	assert_output --partial "table 'messages': row [1] is not in the journal"
}

@test "a kit is fenced as a standby: no writes, no promotion, no handover to it" {
	run ccc-intake --store "$KIT" --source t <<<'{"body":"x"}'
	assert_failure 75
	assert_output --partial "is a standby that has not imported its primary's journal yet"
	ccc-failover ship -q --to irt-1
	run ccc-intake --store "$KIT" --source t <<<'{"body":"x"}'
	assert_failure 75
	assert_output --partial "fenced: site 'irt-1' is not the primary of epoch 1 ('lyon' is)"
	run ccc-failover --store "$KIT" promote
	assert_failure 64
	assert_output --partial "site 'irt-1' is a field kit: it holds the reference databases and notices only, and cannot become the primary"
	run ccc-failover handover --to irt-1
	assert_failure 64
	assert_output --partial "'irt-1' is a field kit"
	# init again is a rerun only as a kit
	run ccc-store --store "$KIT" init --field --site irt-1
	assert_success
	run ccc-store --store "$KIT" init --standby --site irt-1
	assert_failure 73
	assert_output --partial "it already exists, for field kit site 'irt-1'"
}

@test "reading programs at a kit read its data" {
	ccc-failover ship -q --to irt-1
	run ccc-notice --store "$KIT" list --format ndjson
	assert_success
	assert_equal "$(jq -r '[.id, .status] | @tsv' <<<"$output")" "$(printf 'notice-lyon-1\tpublished')"
	run ccc-notice --store "$KIT" show notice-lyon-1 --format ndjson
	assert_success
	assert_output --partial '"kind":"red"'
}

@test "a kit checks offline, its audit comes home with the next ship and counts in the team's deployment report" {
	ccc-deploy -q staff import "$FIXTURES/deploy/roster.ndjson" >/dev/null 2>&1 || true
	ccc-deploy -q plan --kind irt --for INC-2026-0042 --country MA --from 2026-12-01 --to 2026-12-10 \
		--need disaster_victim_identification=1 >/dev/null
	ccc-deploy -q approve plan-lyon-1 >/dev/null
	CCC_NOW=2026-12-01T06:00:00Z ccc-deploy -q start dep-lyon-1 >/dev/null
	ccc-failover ship -q --to irt-1
	# offline: the kit answers from its own copy; nothing reaches Lyon yet
	CCC_NOW=2026-12-02T10:00:00Z run ccc-check --store "$KIT" --doc 19AB45872 --country FR --format ndjson \
		--deployment dep-lyon-1 --as s-dvi-1
	assert_success
	assert_equal "$(jq -r '.checks[0].hits[0].id' <<<"$output")" doc:FR:19AB45872
	CCC_NOW=2026-12-02T11:00:00Z ccc-check -q --store "$KIT" --doc X0000001 --country FR \
		--deployment dep-lyon-1 --as s-dvi-1 || true
	assert_equal "$(count audit_local)" 2
	assert_equal "$(count "consultations WHERE site = 'irt-1'" "$LYON")" 0
	# the link is back: the next ship brings the kit's audit home
	run ccc-failover ship --to irt-1
	assert_success
	assert_output --partial "merged 2 audit entries of irt-1"
	run sqlite3 "$LYON" "SELECT site, audit_seq, actor, deployment FROM consultations WHERE deployment IS NOT NULL ORDER BY c"
	assert_output "irt-1|1|s-dvi-1|dep-lyon-1
irt-1|2|s-dvi-1|dep-lyon-1"
	CCC_NOW=2026-12-04T06:00:00Z run ccc-deploy report dep-lyon-1 --format ndjson
	assert_equal "$(jq -c '[.checks, (.by_member[] | select(.member == "s-dvi-1") | .checks)]' <<<"$output")" '[2,2]'
	run ccc-store verify
	assert_success
	# the kit holds no consultation log: the room's log stays in the room
	assert_equal "$(count consultations)" 0
	run ccc-store --store "$KIT" verify
	assert_success
	# lost: revoked, its later checks never reach the log; what came before stays
	ccc-failover site revoke -q irt-1
	ccc-check -q --store "$KIT" --doc 19AB45872 --country FR --deployment dep-lyon-1 --as s-dvi-1
	run ccc-failover ship --to irt-1
	assert_failure 77
	ccc-failover --store "$KIT" audit-export --since 2 >"$BATS_TEST_TMPDIR/late.ndjson"
	run ccc-failover audit-import "$BATS_TEST_TMPDIR/late.ndjson"
	assert_failure 65
	assert_output --partial "audit entry irt-1/3 refused: site 'irt-1' was revoked"
	assert_equal "$(count "consultations WHERE site = 'irt-1'" "$LYON")" 2
}

@test "a kit rebuilt empty (a laptop replaced) is refilled from its own position, not from its last ack" {
	ccc-failover ship -q --to irt-1
	rm "$KIT"
	ccc-store --store "$KIT" init -q --field --site irt-1
	ccc-store --store "$KIT" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	printf '%s\n' '{"number":"RB0000001","country":"FR","status":"stolen"}' |
		ccc-check load -q --db documents --owner FR
	run ccc-failover ship --to irt-1
	assert_success
	assert_output --partial "field batch refused: the batch starts after entry"
	assert_output --partial "irt-1 acknowledged every entry up to $(ccc-failover position)"
	assert_equal "$(count documents)" "$(count documents "$LYON")"
	assert_equal "$(count messages)" 0
	run ccc-store --store "$KIT" verify
	assert_success
}

@test "status says which site is a field kit, and where a kit stands; heartbeat at a kit signs nothing" {
	ccc-failover ship -q --to irt-1
	run ccc-failover status --format ndjson
	assert_equal "$(jq -r 'select(.site == "irt-1") | [.role, .seq, .lag] | @tsv' <<<"$output")" "$(printf 'field\t%s\t0' "$(ccc-failover position)")"
	run ccc-failover --store "$KIT" status --format ndjson
	assert_equal "$(jq -r 'select(.self) | [.role, .seq] | @tsv' <<<"$output")" "$(printf 'field\t%s' "$(ccc-failover position)")"
	run ccc-failover --store "$KIT" heartbeat
	assert_success
	assert_output ""
}

@test "field batches in a store that is not a kit's are reported by verify" {
	ccc-failover ship -q --to irt-1
	sqlite3 "$KIT" ".dump field_journal" | grep '^INSERT' | sqlite3 "$LYON"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "field batch: first bad seq 1: this store is not a field kit's, yet it holds field batches"
}

@test "after a promotion the new primary refreshes the kit; the old primary's batches are refused" {
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	ccc-store --store "$BUE" keys | ccc-store trust add -q
	ccc-failover site add -q buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)"
	ccc-failover ship -q --to buenos-aires --via "ccc-failover --store '$BUE'"
	ccc-failover ship -q --to irt-1
	ccc-failover --store "$BUE" promote -q
	printf '%s\n' '{"number":"BUE000001","country":"AR","status":"stolen"}' |
		ccc-check --store "$BUE" load -q --db documents --owner AR
	run ccc-failover --store "$BUE" ship --to irt-1 --via "$BATS_TEST_TMPDIR/reach-kit"
	assert_success
	assert_equal "$(sqlite3 "$KIT" "SELECT signer FROM field_journal ORDER BY seq DESC LIMIT 1")" buenos-aires
	assert_equal "$(sqlite3 "$KIT" "SELECT count(*) FROM documents WHERE number = 'BUE000001'")" 1
	assert_equal "$(sqlite3 "$KIT" "SELECT max(epoch) || ' ' || primary_site FROM epochs WHERE epoch = (SELECT max(epoch) FROM epochs)")" "2 buenos-aires"
	# lyon, not yet told, writes on and ships: the kit knows epoch 2 is buenos-aires'
	printf '%s\n' '{"number":"LYO000001","country":"FR","status":"stolen"}' |
		ccc-check load -q --db documents --owner FR
	run ccc-failover ship --to irt-1
	assert_failure 65
	assert_output --partial "field kit 'irt-1' holds up to entry $(ccc-failover --store "$KIT" position), beyond this store's last entry $(ccc-failover position): it follows another primary"
	assert_equal "$(sqlite3 "$KIT" "SELECT count(*) FROM documents WHERE number = 'LYO000001'")" 0
	# and once lyon is level with it, its batch is refused at the kit: epoch 2 is buenos-aires'
	for i in 1 2 3; do
		printf '%s\n' "{\"number\":\"LYO00000$((i + 1))\",\"country\":\"FR\",\"status\":\"stolen\"}" |
			ccc-check load -q --db documents --owner FR
	done
	run ccc-failover ship --to irt-1
	assert_failure 65
	assert_output --partial "field batch refused: signed by 'lyon', but the primary of epoch 2 is 'buenos-aires'"
	assert_equal "$(sqlite3 "$KIT" "SELECT count(*) FROM documents WHERE number LIKE 'LYO%'")" 0
	run ccc-store --store "$KIT" verify
	assert_success
}
