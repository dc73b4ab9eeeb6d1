#!/usr/bin/env bats
# ccc-store: init, keys, trust, verify (with tampering), log, rejects, stats, backup.

load helper

setup() {
	common_setup
}

@test "init creates the store and a 0600 Ed25519 key, and the store verifies" {
	run ccc-store init --site lyon
	assert_success
	assert_output --partial "created store '$CCC_STORE' for site 'lyon'"
	[ -f "$CCC_STORE" ]
	key=$XDG_CONFIG_HOME/ccc/keys/lyon.pem
	[ "$(stat -c %a "$key")" = 600 ]
	grep -q 'BEGIN PRIVATE KEY' "$key"
	run ccc-store verify
	assert_success
	assert_output --partial '"ok":true'
	assert_output --partial '"entries":1'
}

@test "init refuses to overwrite an existing store of another site with exit 73" {
	init_store
	run ccc-store init --site paris
	assert_failure 73
	assert_output --partial "already exists"
}

@test "init without a site name is a usage error" {
	run ccc-store init
	assert_failure 64
	assert_output --partial "--site"
}

@test "a missing store is reported with the command that creates it, exit 66" {
	run ccc-store verify
	assert_failure 66
	assert_output --partial "ccc-store init --site NAME"
}

@test "keys prints this site's public key as a site record" {
	init_store
	run ccc-store keys
	assert_success
	assert_output --regexp '^\{"type":"site","v":1,"id":"lyon","name":"lyon","key":"ed25519:[A-Za-z0-9+/]{43}=","added_at":"[0-9T:-]+Z"\}$'
}

@test "trust add takes another site's keys from a pipe, and trust list shows both" {
	init_store
	CCC_STORE=$BATS_TEST_TMPDIR/bue.db ccc-store init -q --site buenos-aires
	CCC_STORE=$BATS_TEST_TMPDIR/bue.db ccc-store keys | ccc-store trust add
	run ccc-store trust list
	assert_success
	assert_line --index 0 --partial '"name":"buenos-aires"'
	assert_line --index 1 --partial '"name":"lyon"'
	run ccc-store log
	assert_line --index 1 --partial '"changes":[{"table":"sites","op":"insert","key":["buenos-aires"]}]'
	run ccc-store verify
	assert_success
}

@test "trust refuses a different key for a trusted site unless --replace" {
	init_store
	ccc-store trust add singapore ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
	run ccc-store trust add singapore ed25519:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=
	assert_failure 65
	assert_output --partial "already trusted with another key"
	run ccc-store trust add --replace singapore ed25519:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=
	assert_success
	run ccc-store trust add singapore not-a-key
	assert_failure 65
	assert_output --partial "not an Ed25519 public key"
}

# A store with three journal entries: init, a batch of two messages, one message.
three_entries() {
	init_store
	printf '%s\n' '{"subject":"Stolen passport","body":"Reported stolen in Lyon.","external_id":"a1"}' \
		'{"body":"Le suspect a été vu à la gare."}' | ccc-intake -q --source ncb:fr >/dev/null
	echo '{"body":"third entry"}' | ccc-intake -q --source ncb:fr >/dev/null
	[ "$(sql 'SELECT count(*) FROM journal')" = 3 ]
}

@test "verify catches one cell edited in a state table and names the table and key" {
	three_entries
	n=$(sql "SELECT n FROM messages WHERE record ->> 'external_id' = 'a1'")
	sql "UPDATE messages SET record = replace(record, 'Lyon', 'Paris') WHERE n = $n"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "table 'messages': row [$n]: column 'record' differs from the journal"
}

@test "verify catches a row inserted directly with sqlite3" {
	three_entries
	sql "INSERT INTO messages(n, id, dkey, record) VALUES (99, 'msg-lyon-99', 'forged', '{}')"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "table 'messages': row [99] is not in the journal"
}

@test "verify catches a deleted journal row and names the first bad seq" {
	three_entries
	sql "DELETE FROM journal WHERE seq = 2"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "journal: first bad seq 2: entry 2 is missing"
}

@test "verify catches the last journal row deleted with its checkpoint" {
	three_entries
	sql "DELETE FROM journal WHERE seq = 3; DELETE FROM checkpoints WHERE seq = 3"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "is not in the journal"
}

@test "verify catches two journal rows swapped" {
	three_entries
	sql "UPDATE journal SET seq = -1 WHERE seq = 2; UPDATE journal SET seq = 2 WHERE seq = 3; UPDATE journal SET seq = 3 WHERE seq = -1"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "journal: first bad seq 2"
}

@test "verify catches one byte flipped in a checkpoint signature" {
	three_entries
	sig=$(sql "SELECT hex(signature) FROM checkpoints WHERE seq = 2")
	first=${sig:0:2}
	flipped=$(printf '%02X' $((0x$first ^ 1)))${sig:2}
	sql "UPDATE checkpoints SET signature = X'$flipped' WHERE seq = 2"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "checkpoint: first bad seq 2: the signature by 'lyon' does not verify"
	assert_output --partial '"ok":false'
}

@test "verify catches a checkpoint re-signed by a key that is not the site's" {
	three_entries
	sql "UPDATE sites SET pubkey = zeroblob(32) WHERE name = 'lyon'"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "checkpoint: first bad seq 1"
}

@test "a private key readable by others is refused with exit 77" {
	init_store
	chmod 644 "$XDG_CONFIG_HOME/ccc/keys/lyon.pem"
	run ccc-intake --source t <<<'{"body":"x"}'
	assert_failure 77
	assert_output --partial "is readable by others (mode 0644)"
	assert_output --partial "chmod 600"
	[ "$(sql 'SELECT count(*) FROM messages')" = 0 ]
}

@test "log prints each entry with its changes as NDJSON" {
	three_entries
	run ccc-store log --since 1 --limit 1
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_output --regexp '^\{"seq":2,"epoch":1,"origin":"lyon","actor":"duty-officer","command":"ccc-intake -q --source ncb:fr","ts":"[^"]+Z","hash":"[0-9a-f]{64}","changes":\[\{"table":"messages","op":"insert","key":\[1\]\},\{"table":"messages","op":"insert","key":\[2\]\}\]\}$'
}

@test "rejects lists bad lines with program, file, line, reason and raw bytes" {
	init_store
	printf '{"body":"ok"}\nnot json\n\377\376bad\n' >"$BATS_TEST_TMPDIR/in.ndjson"
	run ccc-intake -q --source t "$BATS_TEST_TMPDIR/in.ndjson"
	assert_failure 65
	run ccc-store rejects --program ccc-intake
	assert_success
	assert_line --index 0 --partial "\"program\":\"ccc-intake\",\"file\":\"$BATS_TEST_TMPDIR/in.ndjson\",\"line\":2,\"reason\":\"not JSON: unexpected character at byte 1\",\"raw\":\"not json\",\"raw_size\":8"
	assert_line --index 1 --partial '"line":3,"reason":"invalid UTF-8 at byte 1","raw_base64":"//5iYWQ=","raw_size":5'
}

@test "stats reports counts, epoch and journal head" {
	three_entries
	run ccc-store stats
	assert_success
	assert_output --partial '"site":"lyon"'
	assert_output --partial '"epoch":1,"primary":"lyon"'
	assert_output --partial '"entries":3,"last_seq":3'
	assert_output --partial '"messages":3'
}

@test "backup writes a copy that verifies on its own, and refuses to overwrite" {
	three_entries
	run ccc-store backup "$BATS_TEST_TMPDIR/copy.db"
	assert_success
	run ccc-store --store "$BATS_TEST_TMPDIR/copy.db" verify
	assert_success
	assert_output --partial '"entries":3'
	run ccc-store backup "$BATS_TEST_TMPDIR/copy.db"
	assert_failure 73
}

@test "an unknown command is a usage error" {
	run ccc-store frobnicate
	assert_failure 64
	assert_output --partial "'frobnicate' is not a command"
}

@test "a program given another site's name than the store's refuses with exit 78" {
	init_store
	run ccc-intake --site singapore --source t <<<'{"body":"x"}'
	assert_failure 78
	assert_output --partial "store '$CCC_STORE' belongs to site 'lyon', not 'singapore'"
	run ccc-intake --site lyon --source t <<<'{"body":"x"}'
	assert_success
}

@test "make install puts programs, man pages and completions under DESTDIR" {
	how="BUILD=$BUILD"
	[ "${BUILD##*/}" != san ] || how=SANITIZE=1
	run make -s -C "$ROOT" install "$how" DESTDIR="$BATS_TEST_TMPDIR/dest" PREFIX=/usr
	assert_success
	for p in ccc ccc-intake ccc-store; do
		[ -x "$BATS_TEST_TMPDIR/dest/usr/bin/$p" ]
	done
	[ -f "$BATS_TEST_TMPDIR/dest/usr/share/man/man7/ccc.7" ]
	[ -f "$BATS_TEST_TMPDIR/dest/usr/share/man/man5/ccc-records.5" ]
	[ -f "$BATS_TEST_TMPDIR/dest/usr/share/man/man1/ccc-intake.1" ]
	[ -f "$BATS_TEST_TMPDIR/dest/usr/share/bash-completion/completions/ccc" ]
	[ -L "$BATS_TEST_TMPDIR/dest/usr/share/bash-completion/completions/ccc-store" ]
	[ -f "$BATS_TEST_TMPDIR/dest/usr/share/zsh/vendor-completions/_ccc" ]
}
