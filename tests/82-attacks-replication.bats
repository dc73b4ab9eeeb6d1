#!/usr/bin/env bats
# Issue 13, replication and fencing: a trusted but compromised peer site, and
# an insider with the store file, attack the journal shipping and the site's
# own settings. Each test performs the attack and shows it refused or caught.
# Forged entries come from tests/unit/forge-entry.c: a valid hash and a valid
# signature by a key the attacker holds, with whatever changeset SQL makes.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	export CCC_NOW=2026-11-28T10:00:00Z
	LYON=$BATS_TEST_TMPDIR/lyon.db
	SIN=$BATS_TEST_TMPDIR/singapore.db
	COPY=$BATS_TEST_TMPDIR/copy.db
	KEYS=$XDG_CONFIG_HOME/ccc/keys
	FORGE=$BUILD/tests/unit/forge-entry
	ccc-store --store "$LYON" init -q --site lyon
	ccc-store --store "$SIN" init -q --standby --site singapore
	ccc-store --store "$SIN" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
	# Lyon trusts Singapore (its checkpoints verify everywhere) and ships to it
	ccc-failover -q --store "$LYON" site add singapore "$(ccc-store --store "$SIN" keys | jq -r .key)" \
		--via "ccc-failover --store '$SIN'"
	printf '%s\n' '{"body":"first"}' '{"body":"second"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	ccc-failover -q --store "$LYON" ship --to singapore
}

# copy STORE: a consistent copy of STORE (its WAL included) at $COPY.
copy() {
	rm -f "$COPY"
	sqlite3 "$1" ".backup '$COPY'"
}

@test "attack 1: a trusted standby's signed entry that plants a command in the primary's settings is refused, and ship never runs it" {
	marker=$BATS_TEST_TMPDIR/planted
	copy "$LYON"
	"$FORGE" "$COPY" "$KEYS/singapore.pem" singapore \
		"UPDATE local SET value = 'touch $marker; ccc-failover --store $SIN' WHERE key = 'via:singapore'" >"$BATS_TEST_TMPDIR/forged.ndjson"
	next=$(($(ccc-failover --store "$LYON" position) + 1))
	run ccc-failover --store "$LYON" import "$BATS_TEST_TMPDIR/forged.ndjson"
	assert_failure 65
	assert_output --partial "entry $next changes table 'local', which no entry may change; nothing of the 1 entries of this batch was applied"
	assert_equal "$(ccc-failover --store "$LYON" position)" $((next - 1))
	assert_equal "$(sqlite3 "$LYON" "SELECT value FROM local WHERE key = 'via:singapore'")" "ccc-failover --store '$SIN'"
	run ccc-failover --store "$LYON" ship --to singapore
	assert_success
	[ ! -e "$marker" ]
	run ccc-store --store "$LYON" verify
	assert_success
}

@test "attack 1: an entry that changes the journal, a table the migrations do not make, or state and settings together is refused whole" {
	copy "$LYON"
	next=$(($(ccc-failover --store "$LYON" position) + 1))
	"$FORGE" "$COPY" "$KEYS/lyon.pem" lyon "DELETE FROM journal WHERE seq = 1" >"$BATS_TEST_TMPDIR/journal.ndjson"
	run ccc-failover --store "$SIN" import "$BATS_TEST_TMPDIR/journal.ndjson"
	assert_failure 65
	assert_output --partial "entry $next changes table 'journal', which no entry may change"
	copy "$LYON"
	sqlite3 "$COPY" "CREATE TABLE backdoor(k TEXT PRIMARY KEY, v TEXT)"
	"$FORGE" "$COPY" "$KEYS/lyon.pem" lyon "INSERT INTO backdoor VALUES ('run', 'rm -rf /')" >"$BATS_TEST_TMPDIR/backdoor.ndjson"
	run ccc-failover --store "$SIN" import "$BATS_TEST_TMPDIR/backdoor.ndjson"
	assert_failure 65
	assert_output --partial "entry $next changes table 'backdoor', which no entry may change"
	copy "$LYON"
	"$FORGE" "$COPY" "$KEYS/lyon.pem" lyon \
		"INSERT INTO heartbeats VALUES ('lyon', '2026-11-28T10:00:00Z', 99, 1); INSERT INTO local VALUES ('ack-via:singapore', 'touch /tmp/x')" >"$BATS_TEST_TMPDIR/mixed.ndjson"
	run ccc-failover --store "$SIN" import "$BATS_TEST_TMPDIR/mixed.ndjson"
	assert_failure 65
	assert_output --partial "entry $next changes table 'local', which no entry may change"
	assert_equal "$(sqlite3 "$SIN" "SELECT count(*) FROM heartbeats") $(sqlite3 "$SIN" "SELECT count(*) FROM local WHERE key LIKE 'ack-via:%'")" "0 0"
	assert_equal "$(ccc-failover --store "$SIN" position)" $((next - 1))
	run ccc-store --store "$SIN" verify
	assert_success
}

@test "attack 1: verify reports a journal entry that changes the local table" {
	copy "$LYON"
	"$FORGE" -a "$COPY" "$KEYS/lyon.pem" lyon "INSERT INTO local VALUES ('ack-via:singapore', 'true')"
	run ccc-store --store "$COPY" verify
	assert_failure 65
	assert_output --regexp "verify: store '.*copy.db': journal: first bad seq [0-9]+: it changes table 'local', which no entry may change"
}

@test "attack 2: an entry of epoch 1 signed by a trusted standby while lyon is primary is refused by import and reported by verify" {
	# a third site that follows lyon, trusted by it (its acks are checked)
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
	ccc-store --store "$LYON" trust add -q buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)"
	copy "$LYON"
	next=$(($(ccc-failover --store "$LYON" position) + 1))
	"$FORGE" "$COPY" "$KEYS/singapore.pem" singapore \
		"INSERT INTO messages(n, id, dkey, record) VALUES (1000, 'msg-forged', 'forged', '{\"body\":\"planted\"}')" >"$BATS_TEST_TMPDIR/forged.ndjson"
	run ccc-failover --store "$LYON" import "$BATS_TEST_TMPDIR/forged.ndjson"
	assert_failure 65
	assert_output --partial "entry $next: signed by 'singapore', but the primary of epoch 1 is 'lyon'"
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM messages WHERE id = 'msg-forged'")" 0
	# the third site refuses it too
	ccc-failover -q --store "$LYON" ship --via "ccc-failover --store '$BUE'"
	run ccc-failover --store "$BUE" import "$BATS_TEST_TMPDIR/forged.ndjson"
	assert_failure 65
	assert_output --partial "entry $next: signed by 'singapore', but the primary of epoch 1 is 'lyon'"
	# inserted directly, it does not verify
	copy "$LYON"
	"$FORGE" -a "$COPY" "$KEYS/singapore.pem" singapore \
		"INSERT INTO messages(n, id, dkey, record) VALUES (1000, 'msg-forged', 'forged', '{\"body\":\"planted\"}')"
	run ccc-store --store "$COPY" verify
	assert_failure 65
	assert_output --partial "journal: first bad seq $next: signed by 'singapore', but the primary of epoch 1 is 'lyon'"
}

@test "attack 2: an entry of an epoch that has no epochs row is refused by import and reported by verify" {
	copy "$LYON"
	next=$(($(ccc-failover --store "$LYON" position) + 1))
	"$FORGE" -e 7 "$COPY" "$KEYS/lyon.pem" lyon \
		"INSERT INTO heartbeats VALUES ('lyon', '2026-11-28T10:00:00Z', 3, 7)" >"$BATS_TEST_TMPDIR/forged.ndjson"
	run ccc-failover --store "$SIN" import "$BATS_TEST_TMPDIR/forged.ndjson"
	assert_failure 65
	assert_output --partial "entry $next: epoch 7 has no epochs row"
	assert_equal "$(sqlite3 "$SIN" "SELECT count(*) FROM heartbeats")" 0
	copy "$LYON"
	"$FORGE" -a -e 7 "$COPY" "$KEYS/lyon.pem" lyon \
		"INSERT INTO heartbeats VALUES ('lyon', '2026-11-28T10:00:00Z', 3, 7)"
	run ccc-store --store "$COPY" verify
	assert_failure 65
	assert_output --partial "journal: first bad seq $next: epoch 7 has no epochs row"
}

@test "attack 2: an entry of an epoch older than the one before it, signed by that epoch's primary, is refused by import and reported by verify" {
	ccc-failover -q --store "$SIN" promote
	copy "$SIN"
	next=$(($(ccc-failover --store "$SIN" position) + 1))
	"$FORGE" -e 1 "$COPY" "$KEYS/lyon.pem" lyon \
		"INSERT INTO heartbeats VALUES ('lyon', '2026-11-28T10:00:00Z', 3, 1)" >"$BATS_TEST_TMPDIR/forged.ndjson"
	run ccc-failover --store "$SIN" import "$BATS_TEST_TMPDIR/forged.ndjson"
	assert_failure 65
	assert_output --partial "entry $next: epoch 1 is older than this store's epoch 2"
	"$FORGE" -a -e 1 "$COPY" "$KEYS/lyon.pem" lyon \
		"INSERT INTO heartbeats VALUES ('lyon', '2026-11-28T10:00:00Z', 3, 1)"
	run ccc-store --store "$COPY" verify
	assert_failure 65
	assert_output --partial "journal: first bad seq $next: its epoch 1 is older than epoch 2 before it"
}

# fence_lyon: Lyon writes an entry it never ships, Singapore takes the watch,
# and Singapore's new epoch reaches Lyon as split brain: Lyon has seen epoch 2.
fence_lyon() {
	echo '{"body":"written at lyon, never shipped"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	ccc-failover -q --store "$SIN" promote
	echo '{"body":"the new watch at singapore"}' | ccc-intake -q --store "$SIN" --source ncb:sg >/dev/null
	run ccc-failover --store "$SIN" ship --via "ccc-failover --store '$LYON'"
	assert_failure 65
	run ccc-intake --store "$LYON" --source t <<<'{"body":"late"}'
	assert_failure 75
	assert_output --partial "fenced: site 'lyon' has seen epoch 2 (from 'singapore'), newer than its own epoch 1"
}

@test "attack 5: deleting seen-epoch does not let a fenced old primary write, and verify reports it" {
	fence_lyon
	sqlite3 "$LYON" "DELETE FROM local WHERE key = 'seen-epoch'"
	run ccc-intake --store "$LYON" --source t <<<'{"body":"written after deleting seen-epoch"}'
	assert_failure 75
	assert_output --partial "fenced: the site settings of store '$LYON' were changed outside ccc (their signature does not verify); refusing to write"
	run ccc-failover --store "$LYON" heartbeat
	assert_failure 75
	run ccc-store --store "$LYON" verify
	assert_failure 65
	assert_output --partial "verify: store '$LYON': site settings: changed outside ccc: their signature does not verify"
	# the seal deleted too: still fenced, never taken for a store from before seals
	sqlite3 "$LYON" "DELETE FROM local WHERE key = 'seal'"
	run ccc-intake --store "$LYON" --source t <<<'{"body":"written after deleting the seal"}'
	assert_failure 75
	assert_output --partial "were changed outside ccc (they are not signed (the seal is missing))"
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM messages WHERE record LIKE '%after deleting%'")" 0
	run ccc-store --store "$LYON" verify
	assert_failure 65
	assert_output --partial "site settings: changed outside ccc: they are not signed"
}

@test "attack 5: changing the site's name in its settings is reported by verify and refused by writers" {
	sqlite3 "$LYON" "UPDATE local SET value = 'singapore' WHERE key = 'site'"
	run ccc-store --store "$LYON" verify
	assert_failure 65
	assert_output --partial "site settings: changed outside ccc: their signature does not verify"
	run ccc-intake --store "$LYON" --source t <<<'{"body":"written as singapore"}'
	assert_failure 75
	assert_output --partial "fenced: the site settings of store '$LYON' were changed outside ccc"
	sqlite3 "$LYON" "UPDATE local SET value = 'paris' WHERE key = 'site'"
	run ccc-store --store "$LYON" verify
	assert_failure 65
	assert_output --partial "site settings: no key of site 'paris' to check them with"
	run ccc-intake --store "$LYON" --source t <<<'{"body":"written as paris"}'
	assert_failure
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM messages WHERE record LIKE '%written as%'")" 0
}

@test "attack 5: a command planted in a site's settings with sqlite3 is never run: ship and writers refuse the changed settings" {
	marker=$BATS_TEST_TMPDIR/planted
	sqlite3 "$LYON" "UPDATE local SET value = 'touch $marker; false' WHERE key = 'via:singapore'"
	run ccc-failover --store "$LYON" ship --to singapore
	assert_failure 75
	assert_output --partial "fenced: the site settings of store '$LYON' were changed outside ccc"
	[ ! -e "$marker" ]
	# on a standby, whatever its importer would write
	sqlite3 "$SIN" "INSERT INTO local VALUES ('ack-via:lyon', 'touch $marker')"
	run ccc-failover --store "$SIN" import </dev/null
	assert_failure 75
	assert_output --partial "fenced: the site settings of store '$SIN' were changed outside ccc"
	[ ! -e "$marker" ]
}

@test "a store from before sealed site settings is sealed when a writer first opens it, and verifies" {
	latest=$(sqlite3 "$LYON" 'PRAGMA user_version')
	sqlite3 "$LYON" "DELETE FROM local WHERE key = 'seal'; DROP TABLE attachments; DROP TABLE replies; DROP TABLE reply_log; ALTER TABLE queue DROP COLUMN answered_at; $(drop_since_10) PRAGMA user_version = 7"
	run ccc-intake --store "$LYON" --source t <<<'{"body":"after the upgrade"}'
	assert_success
	assert_equal "$(sqlite3 "$LYON" "SELECT count(*) FROM local WHERE key = 'seal'") $(sqlite3 "$LYON" 'PRAGMA user_version')" "1 $latest"
	run ccc-store --store "$LYON" verify
	assert_success
	# seen by the programs as before: the standby's command is still known
	run ccc-failover --store "$LYON" ship --to singapore
	assert_success
}

@test "attack 1: a message in a trusted peer's entry is indexed on the standby as its primary would; one whose record is not JSON is refused whole" {
	copy "$LYON"
	next=$(($(ccc-failover --store "$LYON" position) + 1))
	# applied with the entity-index triggers off: the standby derives the
	# keys of the messages an entry inserts itself, and must refuse what
	# the trigger refused, a record SQLite cannot read as JSON
	"$FORGE" "$COPY" "$KEYS/lyon.pem" lyon \
		"DROP TRIGGER message_entities_in; INSERT INTO messages(n, id, dkey, record) VALUES (3, 'msg-lyon-3', 'k3', '{\"type\":\"message\",\"entities\":[]')" \
		>"$BATS_TEST_TMPDIR/bad.ndjson"
	run ccc-failover --store "$SIN" import "$BATS_TEST_TMPDIR/bad.ndjson"
	assert_failure 65
	assert_output --partial "entry $next"
	assert_equal "$(ccc-failover --store "$SIN" position) $(sqlite3 "$SIN" "SELECT count(*) FROM messages")" "$((next - 1)) 2"
	# a document named plainly, one spelled with an escape, and one only
	# written about in a body: the keys are what SQLite reads in each
	copy "$LYON"
	rec() { # N BODY ENTITIES
		printf '{"type":"message","v":1,"id":"msg-lyon-%s","received_at":"2026-11-28T10:0%s:00Z","body":"%s","entities":%s}' "$@"
	}
	a=$(rec 3 3 'x' '[{"kind":"document","number":"ab1"}]')
	b=$(rec 4 4 'y' '[]' | sed 's/"entities":\[\]/"\\u0065ntities":[{"kind":"vin","vin":"WVWZZZ1JZXW000001"}],"entities":[]/')
	c=$(rec 5 5 'it said \"entities\":[{\"kind\":\"document\",\"number\":\"zz9\"}]' '[]')
	"$FORGE" "$COPY" "$KEYS/lyon.pem" lyon \
		"DROP TRIGGER message_entities_in; INSERT INTO messages(n, id, dkey, record) VALUES (3, 'msg-lyon-3', 'k3', '$a'), (4, 'msg-lyon-4', 'k4', '$b'), (5, 'msg-lyon-5', 'k5', '$c')" \
		>"$BATS_TEST_TMPDIR/good.ndjson"
	run -0 ccc-failover --store "$SIN" import "$BATS_TEST_TMPDIR/good.ndjson"
	assert_equal "$(sqlite3 "$SIN" 'SELECT key, item FROM derived_entities ORDER BY 1, 2')" \
		"$(sqlite3 "$SIN" 'SELECT key, item FROM message_entity_keys ORDER BY 1, 2')"
	assert_equal "$(sqlite3 "$SIN" "SELECT key, item, at FROM derived_entities WHERE item = 'msg-lyon-3'")" \
		"doc:AB1|msg-lyon-3|2026-11-28T10:03:00Z"
	run -0 ccc-store --store "$SIN" verify
}
