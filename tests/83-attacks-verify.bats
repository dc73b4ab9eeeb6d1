#!/usr/bin/env bats
# Issue 13, items 6-8 and small ones: what verify catches (the schema, the
# keys against their anchors outside the store, the head against its
# witness outside the store) and the modes of the store's files and keys.

load helper

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-28T10:00:00Z
	ccc-check load -q --db documents --owner FR "$FIXTURES/check/documents.ndjson"
	ccc-check load -q --db persons "$FIXTURES/check/persons.ndjson"
}

consultations() {
	sql 'SELECT count(*) FROM consultations'
}

@test "attack 6: a trigger that deletes every check's audit row is reported by verify, and checks refuse to run" {
	ccc-check --doc 19AB45872 --ncb FR >/dev/null
	assert_equal "$(consultations)" 1
	sql "CREATE TRIGGER no_audit AFTER INSERT ON consultations BEGIN DELETE FROM consultations WHERE c = new.c; END"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "schema: trigger 'no_audit' is not part of ccc's schema"
	run ccc-check --doc 19AB45872 --ncb FR
	assert_failure 65
	assert_output --partial "trigger 'no_audit' is not part of ccc's schema"
	assert_output --partial "refusing to write to a store whose schema was changed"
	refute_output --partial '"checks"'
	assert_equal "$(consultations)" 1
}

@test "attack 6: a trigger on persons that clears restrictions is reported by verify, and checks and loads refuse" {
	sql "CREATE TRIGGER unrestrict AFTER UPDATE ON persons BEGIN UPDATE persons SET deny = NULL, allow = NULL WHERE id = new.id AND deny IS NOT NULL; END"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "schema: trigger 'unrestrict' is not part of ccc's schema"
	run ccc-check --name 'Vladimir Petrov' --ncb US
	assert_failure 65
	assert_output --partial "trigger 'unrestrict'"
	refute_output --partial 'RU-2025-0911'
	run ccc-check load --db persons "$FIXTURES/check/persons.ndjson"
	assert_failure 65
	assert_output --partial "trigger 'unrestrict'"
}

@test "attack 6: an extra index or view, and a changed or missing one, are each reported by verify with its name" {
	sql "CREATE INDEX persons_by_owner ON persons(owner); CREATE VIEW everything AS SELECT * FROM persons; DROP INDEX consultations_by_deployment"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "schema: index 'persons_by_owner' is not part of ccc's schema"
	assert_output --partial "schema: view 'everything' is not part of ccc's schema"
	assert_output --partial "schema: index 'consultations_by_deployment' is missing"
	sql "DROP INDEX persons_by_owner; DROP VIEW everything; CREATE INDEX consultations_by_deployment ON consultations(ts)"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "schema: index 'consultations_by_deployment' differs from the one ccc creates"
	sql "DROP INDEX consultations_by_deployment; CREATE INDEX consultations_by_deployment ON consultations(deployment, ts) WHERE deployment IS NOT NULL"
	run ccc-store verify
	assert_success
}

@test "attack 7: a whole history signed with another key fails verify, even with the key file deleted" {
	# The attacker builds the same history with a key of their own, for a
	# site of the same name: a store that verifies where it was made ...
	FORGED=$BATS_TEST_TMPDIR/forged.db
	(
		export XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/attacker XDG_STATE_HOME=$BATS_TEST_TMPDIR/attacker-state
		ccc-store --store "$FORGED" init -q --site lyon
		ccc-check --store "$FORGED" load -q --db documents --owner FR "$FIXTURES/check/documents.ndjson"
		ccc-check --store "$FORGED" load -q --db persons "$FIXTURES/check/persons.ndjson"
		ccc-store --store "$FORGED" verify >/dev/null
	)
	# ... and puts it in place of this site's store.
	cp "$FORGED" "$CCC_STORE"
	rm -f "$CCC_STORE-wal" "$CCC_STORE-shm"
	rm -rf "$XDG_STATE_HOME" # not the witness: the keys must tell
	run ccc-store verify
	assert_failure 65
	assert_output --regexp "site 'lyon': its key in the store \(ed25519:[A-Za-z0-9+/=]+\) is not the key trusted outside it"
	assert_output --partial "its entries were signed by another key"
	rm "$XDG_CONFIG_HOME/ccc/keys/lyon.pem"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "site 'lyon': its key in the store"
	assert_output --partial "in $XDG_CONFIG_HOME/ccc/trust/lyon.pub"
	rm "$XDG_CONFIG_HOME/ccc/trust/lyon.pub"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "site 'lyon', the origin of entry 1, has no trust anchor outside the store"
	assert_output --partial "run 'ccc-store trust add lyon KEY'"
}

@test "attack 7: trust anchors live outside the store, a standby's too, and a key that disagrees with one fails verify naming the site" {
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	assert_equal "$(sqlite3 "$BUE" "SELECT count(*) FROM local WHERE key LIKE 'trust:%'")" 0
	assert_equal "$(cat "$XDG_CONFIG_HOME/ccc/trust/lyon.pub")" "$(ccc-store keys | jq -r .key)"
	assert_equal "$(stat -c %a "$XDG_CONFIG_HOME/ccc/trust")" 700
	ccc-failover export | ccc-failover --store "$BUE" import >/dev/null
	run ccc-store --store "$BUE" verify
	assert_success
	# without its anchor the standby's copy proves nothing; a standby takes one again
	mv "$XDG_CONFIG_HOME/ccc/trust/lyon.pub" "$BATS_TEST_TMPDIR/lyon.pub"
	run ccc-store --store "$BUE" verify
	assert_failure 65
	assert_output --partial "site 'lyon', the origin of entry 1, has no trust anchor outside the store"
	run ccc-store --store "$BUE" trust add lyon "$(cut -d: -f2 "$BATS_TEST_TMPDIR/lyon.pub")"
	assert_success
	assert_output --partial "standby: trusting site 'lyon' (its key kept outside the store)"
	run ccc-store --store "$BUE" verify
	assert_success
	# a site trusted here whose anchor says another key
	ccc-store trust add -q singapore ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
	assert_equal "$(cat "$XDG_CONFIG_HOME/ccc/trust/singapore.pub")" ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
	run ccc-store verify
	assert_success
	echo ed25519:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA= >"$XDG_CONFIG_HOME/ccc/trust/singapore.pub"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "site 'singapore': its key in the store (ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=) is not the key trusted outside it (ed25519:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA="
}

@test "attack 8: deleting the newest entries with their checkpoints and rows (three checks' audit rows) is reported as behind its witness" {
	for doc in 19AB45872 XDA123456 NOTHING123; do
		ccc-check --doc "$doc" --ncb FR >/dev/null || true
	done
	assert_equal "$(consultations)" 3
	last=$(sql 'SELECT max(seq) FROM journal')
	keep=$((last - 3))
	sql "DELETE FROM consultations; DELETE FROM checkpoints WHERE seq > $keep; DELETE FROM journal WHERE seq > $keep"
	# without the witness nothing in the store shows it ...
	XDG_STATE_HOME=$BATS_TEST_TMPDIR/nowhere run ccc-store verify
	assert_success
	assert_equal "$(jq -r .witness_seq <<<"$output")" null
	# ... with it, verify reports the store behind
	run ccc-store verify
	assert_failure 65
	assert_output --partial "witness: the store is behind its witness: its newest entry is $keep, but this store committed entry $last"
	assert_output --partial "entries were deleted from its end, or an older copy was put back"
}

@test "attack 8: a store copied back from an older backup is reported as behind its witness" {
	ccc-store backup -q "$BATS_TEST_TMPDIR/old.db"
	before=$(sql 'SELECT max(seq) FROM journal')
	ccc-check --doc 19AB45872 --ncb FR >/dev/null
	ccc-check --doc XDA123456 --ncb FR >/dev/null
	run ccc-store verify
	assert_success
	assert_equal "$(jq -r .witness_seq <<<"$output")" $((before + 2))
	cp "$BATS_TEST_TMPDIR/old.db" "$CCC_STORE"
	rm -f "$CCC_STORE-wal" "$CCC_STORE-shm"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "the store is behind its witness: its newest entry is $before, but this store committed entry $((before + 2))"
	# and a write on top of the old copy does not hide it: the witness never moves back
	ccc-check --doc 19AB45872 --ncb FR >/dev/null
	ccc-check --doc 19AB45872 --ncb FR >/dev/null
	run ccc-store verify
	assert_failure 65
	assert_output --partial "witness: entry $((before + 2)) is not the one this store committed"
}

@test "attack 8: writers racing each other never move the witness back" {
	for w in 1 2 3 4; do
		(for i in 1 2 3 4 5; do ccc-check --doc 19AB45872 --ncb FR >/dev/null; done) &
	done
	wait
	assert_equal "$(consultations)" 20
	run ccc-store verify
	assert_success
	assert_equal "$(jq -r .witness_seq <<<"$output")" "$(sql 'SELECT max(seq) FROM journal')"
}

@test "attack 8: the heads standbys acknowledged are witnessed too" {
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	ccc-failover -q site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)" --via "ccc-failover --store '$BUE'"
	ccc-failover -q ship --to buenos-aires
	acked=$(sql 'SELECT max(seq) FROM journal')
	w=$(echo "$XDG_STATE_HOME"/ccc/witness/lyon-*[0-9a-f])
	run grep -c "^ack buenos-aires $acked " "$w"
	assert_output 1
	# truncate the store, and the witness's own head line
	sql "DELETE FROM checkpoints WHERE seq > 2; DELETE FROM journal WHERE seq > 2"
	sed -i '/^head /d' "$w"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "the store is behind its witness: its newest entry is 2, but standby 'buenos-aires' acknowledged entry $acked"
}

@test "attack small: the store and its -wal and -shm are created 0600" {
	rm -f "$CCC_STORE" "$CCC_STORE-wal" "$CCC_STORE-shm"
	(umask 000 && ccc-store init -q --site lyon)
	# a writer holds the store open (SQLite removes -wal and -shm at the last close)
	{
		echo '{"body":"x"}'
		sleep 2
	} | ccc-intake -q --source t >/dev/null &
	sleep 1
	for f in "$CCC_STORE" "$CCC_STORE-wal" "$CCC_STORE-shm"; do
		assert_equal "$f $(stat -c %a "$f")" "$f 600"
	done
	wait
	ccc-store backup -q "$BATS_TEST_TMPDIR/copy.db"
	assert_equal "$(stat -c %a "$BATS_TEST_TMPDIR/copy.db")" 600
	assert_equal "$(stat -c %a "$XDG_STATE_HOME/ccc/witness")" 700
}

@test "attack small: a store writable by others is refused with a clear error naming it and the fix" {
	chmod o+w "$CCC_STORE"
	run ccc-check --doc 19AB45872 --ncb FR
	assert_failure 77
	assert_output --partial "store '$CCC_STORE': '$CCC_STORE' is writable by others (mode 0602)"
	assert_output --partial "run: chmod o-w '$CCC_STORE'"
	run ccc-store verify
	assert_failure 77
	chmod o-w "$CCC_STORE"
	touch "$CCC_STORE-wal"
	chmod 0666 "$CCC_STORE-wal"
	run ccc-check --doc 19AB45872 --ncb FR
	assert_failure 77
	assert_output --partial "'$CCC_STORE-wal' is writable by others (mode 0666)"
}

@test "attack small: a key folder writable by others is refused (77), naming the folder" {
	chmod o+w "$XDG_CONFIG_HOME/ccc/keys"
	run ccc-check --doc 19AB45872 --ncb FR
	assert_failure 77
	assert_output --partial "(folder '$XDG_CONFIG_HOME/ccc/keys', mode 0702)"
	assert_output --partial "run: chmod go-w '$XDG_CONFIG_HOME/ccc/keys'"
	assert_equal "$(consultations)" 0
}

@test "attack small: the message for a key readable or writable by others says which" {
	key=$XDG_CONFIG_HOME/ccc/keys/lyon.pem
	chmod 0602 "$key"
	run ccc-check --doc 19AB45872 --ncb FR
	assert_failure 77
	assert_output --partial "key file '$key' is writable by others (mode 0602)"
	chmod 0604 "$key"
	run ccc-check --doc 19AB45872 --ncb FR
	assert_failure 77
	assert_output --partial "key file '$key' is readable by others (mode 0604)"
	chmod 0666 "$key"
	run ccc-check --doc 19AB45872 --ncb FR
	assert_output --partial "is readable and writable by others (mode 0666)"
}
