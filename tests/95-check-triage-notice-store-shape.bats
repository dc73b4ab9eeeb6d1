#!/usr/bin/env bats
# ccc-check, ccc-triage, ccc-notice, ccc-store and ccc-intake behave alike
# (ccc(7), CONVENTIONS): every listing is a table on a terminal and NDJSON on
# a pipe, --format table|ndjson forces either; an option a command does not
# use is refused; an input format is chosen with --input-format (--format,
# its old name, still works with one warning).

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
}

# on_tty CMD...: CMD's output on a terminal (script(1)), without the CRs
# (the words are joined: give none with spaces).
on_tty() {
	script -qec "$*" /dev/null | tr -d '\r'
}

stolen_passport() {
	echo '{"number":"19AB45872","country":"FR","status":"stolen","owner":"FR"}' |
		ccc-check load -q --db documents
}

# --- tables on a terminal, NDJSON on a pipe ---

@test "check: a direct check is a table on a terminal and a query record on a pipe" {
	stolen_passport
	run on_tty ccc-check --doc 19AB45872 --country FR
	assert_success
	assert_line --index 0 --regexp '^ID +TYPE +DB +QUERY +HITS +BEST +SCORE +STATUS +OWNER +NOTICE$'
	assert_line --index 1 --regexp '^q-[0-9]+ +query +documents +19AB45872 FR +1 +doc:FR:19AB45872 +1\.00 +stolen +FR +-$'
	run ccc-check --doc 19AB45872 --country FR
	assert_success
	assert_equal "$(jq -r '.checks[0].hits[0].status' <<<"$output")" stolen
	run on_tty ccc-check --format ndjson --doc 19AB45872 --country FR
	assert_equal "$(jq -r '.checks[0].db' <<<"$output")" documents
	run ccc-check --format table --doc 19AB45872 --country FR
	assert_line --index 0 --regexp '^ID +TYPE +DB'
}

@test "check: the filter prints a row per check on a terminal, records on a pipe" {
	stolen_passport
	echo '{"type":"query","id":"q-1","doc":"19AB45872"}' >"$BATS_TEST_TMPDIR/q.ndjson"
	echo '{"type":"staff","id":"s-1"}' >>"$BATS_TEST_TMPDIR/q.ndjson"
	run on_tty ccc-check "$BATS_TEST_TMPDIR/q.ndjson"
	assert_success
	assert_line --index 1 --regexp '^q-1 +query +documents +19AB45872 +1 +doc:FR:19AB45872'
	assert_line --index 2 --regexp '^s-1 +staff +- +- +'
	run ccc-check "$BATS_TEST_TMPDIR/q.ndjson"
	assert_equal "$(jq -r .id <<<"$output" | tr '\n' ' ')" "q-1 s-1 "
}

@test "check log: a table on a terminal, NDJSON on a pipe" {
	stolen_passport
	ccc-check --doc 19AB45872 --ncb ES >/dev/null
	run on_tty ccc-check log
	assert_line --index 0 --regexp '^CONSULTATION +TS +ACTOR +NCB +DEPLOYMENT +DB +QUERY +HITS +SITE$'
	assert_line --index 1 --regexp '^ +1 +2026-[^ ]+ +duty-officer +ES +- +documents +.* lyon$'
	run ccc-check log
	assert_equal "$(jq -r '[.consultation, .ncb, .db] | @tsv' <<<"$output")" "$(printf '1\tES\tdocuments')"
}

@test "store log, rejects and trust list: tables on a terminal, NDJSON on a pipe" {
	echo 'not json' | ccc-intake -q --source t 2>/dev/null || true
	run on_tty ccc-store log
	assert_line --index 0 --regexp '^SEQ +EPOCH +ORIGIN +ACTOR +TS +COMMAND +CHANGES$'
	assert_line --index 1 --regexp '^ +1 +1 +lyon +duty-officer +'
	run ccc-store log
	assert_equal "$(jq -r .seq <<<"$output" | head -1)" 1
	run on_tty ccc-store rejects
	assert_line --index 0 --regexp '^TS +PROGRAM +FILE +LINE +REASON +RAW SIZE$'
	assert_line --index 1 --regexp ' ccc-intake +stdin +1 +not JSON'
	run ccc-store rejects
	assert_equal "$(jq -r .program <<<"$output")" ccc-intake
	run on_tty ccc-store trust list
	assert_line --index 0 --regexp '^NAME +KEY +ADDED AT$'
	assert_line --index 1 --regexp '^lyon +ed25519:'
	run ccc-store trust list
	assert_equal "$(jq -r .name <<<"$output")" lyon
	run on_tty ccc-store trust list --format ndjson
	assert_equal "$(jq -r .type <<<"$output")" site
	run ccc-store trust list --format table
	assert_line --index 0 --regexp '^NAME +KEY'
}

@test "notice show, list and feed: tables on a terminal, NDJSON on a pipe" {
	ccc-notice draft --kind blue --name 'Ana Ruiz' --country ES --set purpose=locate --as a.martin >/dev/null
	run on_tty ccc-notice show notice-lyon-1
	assert_line --index 0 --regexp '^FIELD +VALUE$'
	assert_line --regexp '^name +Ana Ruiz$'
	assert_line --regexp '^status +draft$'
	run ccc-notice show notice-lyon-1
	assert_equal "$(jq -r .status <<<"$output")" draft
	run on_tty ccc-notice list
	assert_line --index 0 --regexp '^ID +CONTROL +KIND +STATUS +EXPIRES +SUBJECT$'
	assert_line --index 1 --regexp '^notice-lyon-1 +- +blue +draft +- +Ana Ruiz$'
	run on_tty ccc-notice feed --all
	assert_line --index 0 --regexp '^FEED SEQ +EVENT +ID +CONTROL +KIND +STATUS +EXPIRES +SUBJECT$'
	run ccc-notice feed --all
	assert_output ""
}

@test "triage queue, take, note and close: tables on a terminal, NDJSON on a pipe" {
	echo '{"subject":"URGENT: armed fugitive at gate 12","body":"He boards in 30 minutes."}' |
		ccc-intake -q --source ncb:fr | ccc-triage >/dev/null
	run on_tty ccc-triage queue
	assert_line --index 0 --regexp '^PRI +DUE IN +ID +CATEGORY +STATUS +ASSIGNEE +SUBJECT$'
	assert_line --index 1 --regexp '^P1 +[-0-9hdm]+ +msg-lyon-1 +fugitive +open +- +URGENT: armed fugitive'
	run on_tty ccc-triage take msg-lyon-1 --as officer.dupont
	assert_success
	assert_line --index 0 --regexp '^PRI +DUE IN +ID '
	assert_line --index 1 --regexp '^P1 .* msg-lyon-1 +fugitive +taken +officer\.dupont +URGENT'
	run ccc-triage note msg-lyon-1 'called the airport'
	assert_equal "$(jq -r .queue.status <<<"$output")" taken
	run on_tty ccc-triage note msg-lyon-1 gate-closed
	assert_line --index 1 --regexp ' msg-lyon-1 +fugitive +taken '
	run on_tty ccc-triage close msg-lyon-1 --reason arrested
	assert_line --index 1 --regexp ' msg-lyon-1 +fugitive +closed '
	run ccc-triage queue --all
	assert_equal "$(jq -r .queue.status <<<"$output")" closed
	run on_tty ccc-triage queue --all --format ndjson
	assert_equal "$(jq -r .id <<<"$output")" msg-lyon-1
}

@test "the table cuts a long cell with … and pads by display width" {
	printf '{"subject":"%s","body":"x"}\n' "$(printf 'خبر عاجل %.0s' {1..20})" |
		ccc-intake -q --source ncb:eg | ccc-triage >/dev/null
	run on_tty ccc-triage queue
	assert_line --index 1 --regexp '…$'
}

# --- an option given but not used is refused ---

@test "check refuses an option its command does not use, naming both" {
	run ccc-check load --db documents --limit 3
	assert_failure 64
	assert_output "ccc-check: --limit does nothing with load"
	run ccc-check log --ncb FR
	assert_failure 64
	assert_output "ccc-check: --ncb does nothing with log"
	run ccc-check log --db persons
	assert_failure 64
	assert_output "ccc-check: --db does nothing with log"
	run ccc-check --doc X --owner FR
	assert_failure 64
	assert_output "ccc-check: --owner does nothing with a direct check"
	run ccc-check --dob 1980 </dev/null
	assert_failure 64
	assert_output "ccc-check: --dob does nothing with no command (the filter)"
	run ccc-check --doc X --input-format csv
	assert_failure 64
	assert_output "ccc-check: --input-format does nothing with a direct check"
}

@test "notice refuses an option its command does not use, naming both" {
	run ccc-notice review notice-lyon-1 --reason why
	assert_failure 64
	assert_output "ccc-notice: --reason does nothing with review"
	run ccc-notice list --since 3
	assert_failure 64
	assert_output "ccc-notice: --since does nothing with list"
	run ccc-notice feed --status draft
	assert_failure 64
	assert_output "ccc-notice: --status does nothing with feed"
	run ccc-notice publish notice-lyon-1 --decision compliant
	assert_failure 64
	assert_output "ccc-notice: --decision does nothing with publish"
	run ccc-notice show notice-lyon-1 --sender x
	assert_failure 64
	assert_output "ccc-notice: --sender does nothing with show"
	run ccc-notice cancel notice-lyon-1 --name X --reason r
	assert_failure 64
	assert_output "ccc-notice: --name does nothing with cancel"
	run ccc-notice renew notice-lyon-1 --public
	assert_failure 64
	assert_output "ccc-notice: --public does nothing with renew"
}

@test "store refuses an option its command does not use, naming both" {
	run ccc-store rejects --since 3
	assert_failure 64
	assert_output "ccc-store: --since does nothing with rejects"
	run ccc-store log --program ccc-intake
	assert_failure 64
	assert_output "ccc-store: --program does nothing with log"
	run ccc-store trust list --replace
	assert_failure 64
	assert_output "ccc-store: --replace does nothing with trust list"
	run ccc-store keys --standby
	assert_failure 64
	assert_output "ccc-store: --standby does nothing with keys"
	run ccc-store stats --format table
	assert_failure 64
	assert_output "ccc-store: --format does nothing with stats"
}

@test "a single-valued option given twice is refused, never the last one taken" {
	run ccc-check --ncb FR --ncb ES --doc X
	assert_failure 64
	assert_output --partial "--ncb given twice: it takes one value"
	run ccc-notice list --status draft --status published
	assert_failure 64
	assert_output --partial "--status given twice"
	run ccc-store log --limit 1 --limit 2
	assert_failure 64
	assert_output --partial "--limit given twice"
	run ccc-intake --input-format rss --input-format atom
	assert_failure 64
	assert_output --partial "--input-format given twice"
	run ccc-intake --format rss --input-format rss
	assert_failure 64
	assert_output --partial "--input-format given twice (or as --format too)"
}

# --- input formats: --input-format, and --format as its old name ---

@test "check load --input-format csv loads; --format csv still does, with one warning" {
	run --separate-stderr ccc-check load --db persons --input-format csv "$FIXTURES/check/persons.csv"
	assert_success
	assert_equal "$stderr" "ccc-check: persons: 2 records loaded, 0 rejected"
	run --separate-stderr ccc-check load --db persons --format csv "$FIXTURES/check/persons.csv"
	assert_success
	assert_equal "$stderr" "$(printf '%s\n' \
		"ccc-check: load: --format is deprecated: use --input-format csv" \
		"ccc-check: persons: 0 records loaded, 2 unchanged, 0 rejected")"
	run ccc-check load --db persons --format csv --input-format csv "$FIXTURES/check/persons.csv"
	assert_failure 64
	assert_output --partial "load: give --input-format, not --format as well"
	run ccc-check --format csv --doc X
	assert_failure 64
	assert_output --partial "csv is an input format: --input-format, with load"
}

@test "intake --input-format chooses the input format; --format still does, warning once" {
	run --separate-stderr ccc-intake --input-format rss --source osint:wire "$FIXTURES/feed/en-rss2.xml"
	assert_success
	assert_equal "$stderr" ""
	n=$(jq -s length <<<"$output")
	[ "$n" -gt 0 ]
	run --separate-stderr ccc-intake --format atom --source osint:wire "$FIXTURES/feed/fr-atom.xml"
	assert_success
	assert_equal "$stderr" "ccc-intake: --format is deprecated: use --input-format atom"
	assert_equal "$(jq -r .source <<<"$output" | sort -u)" osint:wire
	run ccc-intake --help
	assert_output --partial "--input-format=FORMAT"
	refute_output --partial "--format=FORMAT"
	run ccc-intake --input-format xml
	assert_failure 64
	assert_output --partial "--input-format: 'xml' is not a format"
}
