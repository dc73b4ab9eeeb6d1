# Shared by the bats suites: a fresh site store per test, the built programs
# first on PATH, bats-support and bats-assert.
# shellcheck shell=bash

bats_load_library bats-support
bats_load_library bats-assert

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
BUILD=${CCC_BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export PATH="$BUILD/bin:$PATH"
FIXTURES=$ROOT/tests/fixtures

common_setup() {
	export HOME=$BATS_TEST_TMPDIR/home
	export XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/config
	export XDG_DATA_HOME=$BATS_TEST_TMPDIR/data
	export XDG_STATE_HOME=$BATS_TEST_TMPDIR/state
	export CCC_STORE=$BATS_TEST_TMPDIR/lyon.db
	export CCC_ACTOR=duty-officer
	unset CCC_SITE CCC_KEY CCC_NOW
	mkdir -p "$HOME"
}

# A fresh store for site lyon at $CCC_STORE.
init_store() {
	ccc-store init -q --site "${1:-lyon}"
}

# old_store DIR: at DIR, the store an earlier version left (the one before
# the keys of a token and a year of birth, tests/fixtures/check/store-8db60b4:
# 401 persons named Olga ... Petrov), with its key and trust anchor; it becomes
# the site's ($CCC_STORE, XDG_CONFIG_HOME and XDG_STATE_HOME under DIR).
old_store() {
	local old=$FIXTURES/check/store-8db60b4
	mkdir -p "$1/config/ccc/keys" "$1/config/ccc/trust" "$1/state"
	gzip -dc "$old/lyon.db.gz" >"$1/lyon.db"
	install -m 600 "$old/lyon.pem" "$1/config/ccc/keys/lyon.pem"
	cp "$old/lyon.pub" "$1/config/ccc/trust/lyon.pub"
	export XDG_CONFIG_HOME=$1/config XDG_STATE_HOME=$1/state CCC_STORE=$1/lyon.db
}

# drop_since_25: the SQL that takes a store back to the tables of migration
# 25: the list of the ids that changed in packed keys (26).
drop_since_25() {
	printf '%s' 'DROP TABLE derived_key_dirty; DROP INDEX derived_key_unpacked; UPDATE derived_key_counts SET packed = 0 WHERE packed > 1; CREATE INDEX derived_key_unpacked ON derived_key_counts(key) WHERE packed = 0 AND n >= 32; '
}

# drop_since_24: the SQL that takes a store back to the tables of migration
# 24: the packed person index (25).
drop_since_24() {
	drop_since_25
	printf '%s' 'DROP INDEX derived_key_unpacked; DROP TABLE derived_key_packs; ALTER TABLE derived_key_counts DROP COLUMN packed; '
}

# drop_since_10: the SQL that takes a store back to the tables of migration
# 10 (for tests of an older store): each later migration's tables, newest
# first. A migration that adds tables adds them here (18, which drops the
# key-count triggers, puts them back).
drop_since_10() {
	drop_since_24
	printf '%s' 'DROP INDEX persons_facts; ALTER TABLE messages DROP COLUMN triage; DROP TABLE rescreen_pending; '
	printf '%s' 'CREATE TRIGGER person_key_counted AFTER INSERT ON person_keys BEGIN INSERT INTO derived_key_counts(key, n) VALUES (new.key, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1; END; CREATE TRIGGER person_key_uncounted AFTER DELETE ON person_keys BEGIN UPDATE derived_key_counts SET n = n - 1 WHERE key = old.key; DELETE FROM derived_key_counts WHERE key = old.key AND n <= 0; END; '
	printf '%s' 'DROP INDEX consultations_by_deployment; CREATE INDEX consultations_by_deployment ON consultations(deployment, ts);'
	printf '%s' ' DROP TABLE field_journal; ALTER TABLE sites DROP COLUMN revoked_seq; ALTER TABLE sites DROP COLUMN revoked_at; ALTER TABLE sites DROP COLUMN kind; ALTER TABLE consultations DROP COLUMN audit_seq; ALTER TABLE consultations DROP COLUMN site; DROP TABLE site_audits; DROP TABLE audit_local;'
	printf '%s' 'ALTER TABLE items DROP COLUMN source_hash; ALTER TABLE persons DROP COLUMN source_hash; ALTER TABLE documents DROP COLUMN source_hash;'
	printf '%s' ' DROP TABLE trainees; DROP TABLE attendance; DROP TABLE training_sessions; DROP TABLE skills; DROP TABLE courses;'
	printf '%s' ' DROP TABLE duty_log; DROP TABLE duty_acks; DROP TABLE duty_pages; DROP TABLE duty_policies; DROP TABLE duty_handovers; DROP TABLE duty_roles; DROP TABLE duty_overrides; DROP TABLE duty_rotations; DROP TABLE duty_shifts;'
	printf '%s' ' DROP TABLE silences; DROP TABLE queue_groups; DROP TABLE rescreen_hits; DROP TRIGGER IF EXISTS check_entities_out; DROP TRIGGER check_entities_person; DROP TRIGGER check_entities_vin; DROP TRIGGER check_entities_doc; DROP TRIGGER message_entities_out; DROP TRIGGER message_entities_re; DROP TRIGGER message_entities_in; DROP VIEW message_entity_keys; DROP TABLE derived_entities; ALTER TABLE consultations DROP COLUMN item;'
	printf '%s' ' DROP TABLE case_log; DROP INDEX messages_by_id; DROP TABLE case_tasks; DROP TABLE case_links; DROP TABLE cases;'
}

# latest_version: the schema version the migrations reach (PRAGMA user_version
# of a new store).
latest_version() {
	local d
	d=$(mktemp -d)
	CCC_STORE="$d/s.db" ccc-store init -q --site probe >/dev/null 2>&1
	sqlite3 "$d/s.db" 'PRAGMA user_version'
	rm -rf "$d"
}

# sql QUERY: run QUERY on the store with the sqlite3 shell.
sql() {
	sqlite3 "$CCC_STORE" "$1"
}
