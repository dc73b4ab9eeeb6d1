#!/usr/bin/env bats
# The conventions every program follows (ccc(7), CONVENTIONS): values outside
# their domain are usage errors, an option given but not used is refused, a
# failure says why on stderr, hits are best first, cron runs with nothing to
# do are quiet, and --help examples are not wrapped.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
}

# --- a filter value outside its domain is a usage error ---

@test "triage queue --priority p1 exits 64 naming the option, the value and P1..P4" {
	run ccc-triage queue --priority p1
	assert_failure 64
	assert_output --partial "ccc-triage: --priority: 'p1' is not one of P1, P2, P3, P4"
	run ccc-triage queue --priority P1,P5
	assert_failure 64
	assert_output --partial "--priority: 'P5' is not one of P1, P2, P3, P4"
	run ccc-triage queue --priority P1,P2
	assert_success
}

@test "triage queue --category nonsense exits 64 and lists the categories triage knows" {
	run ccc-triage queue --category nonsense
	assert_failure 64
	assert_output --partial "--category: 'nonsense' is not one of general, terrorism, fugitive, missing_child, trafficking, drugs, firearms, cybercrime, disaster, cultural_property, maritime"
	run ccc-triage queue --category drugs,terrorism
	assert_success
}

@test "notice list --status and --kind outside their domain exit 64 with the values allowed" {
	run ccc-notice list --status publishd
	assert_failure 64
	assert_output --partial "--status: 'publishd' is not one of draft, reviewed, refused, published, cancelled, expired"
	run ccc-notice draft --kind pink --name x
	assert_failure 64
	assert_output --partial "--kind: 'pink' is not one of red, yellow, blue, black, green, orange, purple, silver"
	run ccc-notice list --status published
	assert_success
}

@test "every other enumerated option refuses a value outside its domain with 64" {
	run ccc-check --db passports --doc X
	assert_failure 64
	assert_output --partial "--db: 'passports' is not"
	run ccc-check --format xml --doc X
	assert_failure 64
	assert_output --partial "--format: 'xml'"
	run ccc-deploy --kind team plan
	assert_failure 64
	assert_output --partial "--kind: 'team' is not irt or imest"
	run ccc-deploy --format json staff list
	assert_failure 64
	assert_output --partial "--format: 'json' is not ndjson or table"
	run ccc-failover --format json position
	assert_failure 64
	assert_output --partial "--format: 'json' is not ndjson or table"
	run ccc-triage queue --format json
	assert_failure 64
	assert_output --partial "--format: 'json' is not ndjson or table"
	run ccc-notice list --format json
	assert_failure 64
	assert_output --partial "--format: 'json' is not ndjson, table, cap or public"
	run ccc-check --dob 1980-13-45 --name 'Ivan Petrov'
	assert_failure 64
	assert_output --partial "--dob"
}

# --- an option given but not used is an error ---

@test "a single-valued option given twice is refused with 64, never the last silently" {
	run ccc-failover ship --to buenos-aires --to singapore
	assert_failure 64
	assert_output --partial "ccc-failover: --to given twice: it takes one value"
	run ccc-triage queue --priority P1 --priority P2
	assert_failure 64
	assert_output --partial "--priority given twice: it takes one value"
	run ccc-notice list --status draft --status published
	assert_failure 64
	assert_output --partial "--status given twice"
	run ccc-check --db persons --db vehicles --name x
	assert_failure 64
	assert_output --partial "--db given twice"
	run ccc-store log --limit 1 --limit 2
	assert_failure 64
	assert_output --partial "--limit given twice"
}

@test "notice draft with records on stdin refuses --region and the other field options" {
	run bash -c "echo '{\"kind\":\"diffusion\",\"purpose\":\"locate\",\"requesting_country\":\"ES\"}' | ccc-notice draft --region americas --as a.martin"
	assert_failure 64
	assert_output "ccc-notice: draft: --region does nothing with records on stdin; put it in each record, or give --kind to draft one notice from options"
	run bash -c "echo '{\"kind\":\"blue\"}' | ccc-notice draft --set purpose=x --as a.martin"
	assert_failure 64
	assert_output --partial "draft: --set does nothing with records on stdin"
	assert_equal "$(sql 'SELECT count(*) FROM notices')" 0
}

@test "triage refuses an option its command does not use: --X does nothing with COMMAND" {
	run ccc-triage escalate --priority P1
	assert_failure 64
	assert_output "ccc-triage: --priority does nothing with escalate"
	run ccc-triage close 1 --to someone
	assert_failure 64
	assert_output "ccc-triage: --to does nothing with close"
	run ccc-triage queue --reason why
	assert_failure 64
	assert_output "ccc-triage: --reason does nothing with queue"
	run ccc-triage --overdue </dev/null
	assert_failure 64
	assert_output "ccc-triage: --overdue does nothing with no command (the filter)"
	run ccc-triage escalate --due P1=5m
	assert_success
}

# --- a failure says why on stderr ---

@test "a review that leaves a notice a draft exits 1 and says why on stderr, JSON on stdout" {
	ccc-notice draft --kind red --name 'Ivan Petrov' --dob 1980-03-14 --nationality RU \
		--country FR --as a.martin >/dev/null
	run --separate-stderr ccc-notice review notice-lyon-1 --as j.garcia
	assert_failure 1
	assert_equal "$(jq -r .status <<<"$output")" draft
	assert_equal "$stderr" "$(cat <<'X'
ccc-notice: review: 'notice-lyon-1' stays a draft: field 'charge': missing (required for a red notice)
ccc-notice: review: 'notice-lyon-1' stays a draft: field 'warrant': missing (required for a red notice)
ccc-notice: review: 'notice-lyon-1' stays a draft: field 'warrant_date': missing (required for a red notice)
ccc-notice: review: 'notice-lyon-1' stays a draft: field 'authority': missing (required for a red notice)
X
)"
}

@test "a review held for an Article 3 decision says so on stderr" {
	ccc-notice draft --kind blue --name 'Ana Ruiz' --country ES \
		--set purpose='membre d'"'"'un parti politique interdit' --as a.martin >/dev/null
	run --separate-stderr ccc-notice review notice-lyon-1 --as j.garcia
	assert_failure 1
	assert_equal "$stderr" "ccc-notice: review: 'notice-lyon-1' stays a draft: field 'purpose' has 'parti politique' (political): Article 3 asks for --decision compliant or refused"
}

# --- hits are best first ---

load_check_fixtures() {
	ccc-check load -q --db documents --owner FR "$FIXTURES/check/documents.ndjson"
	ccc-check load -q --db persons "$FIXTURES/check/persons.ndjson"
}

@test "check --doc lists the 1.0 hit in the country asked before a 0.8 hit in another" {
	load_check_fixtures
	run ccc-check --doc 19AB45872 --country FR --ncb FR
	assert_success
	assert_equal "$(jq -c '[.checks[0].hits[] | [.id, .score]]' <<<"$output")" \
		'[["doc:FR:19AB45872",1],["doc:BE:19AB45872",0.8]]'
	run ccc-check --doc 19AB45872 --country BE --ncb FR
	assert_equal "$(jq -c '[.checks[0].hits[] | [.id, .score]]' <<<"$output")" \
		'[["doc:BE:19AB45872",1],["doc:FR:19AB45872",0.8]]'
}

@test "hits are best first on the general path too, and in the consultation log" {
	load_check_fixtures
	echo '{"type":"query","doc":"19AB45872","country":"FR","make":"x"}' | ccc-check --ncb FR >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(jq -c '[.checks[] | select(.db == "documents") | .hits[].score]' "$BATS_TEST_TMPDIR/out")" '[1,0.8]'
	run ccc-check log
	assert_equal "$(jq -c '[.hits[].id]' <<<"$output" | tail -1)" '["doc:FR:19AB45872","doc:BE:19AB45872"]'
}

@test "person hits are best first: every score is at most the one before it" {
	load_check_fixtures
	run ccc-check --name 'Maria Garcia' --threshold 0.1 --top 20 --ncb FR
	assert_success
	jq -e '[.checks[0].hits[] | select(.score) | .score] | length > 1 and . == (sort | reverse)' <<<"$output"
}

# --- cron lines are quiet when there is nothing to do ---

# A primary at Lyon with a standby at Buenos Aires that it reaches by --via.
two_sites() {
	LYON=$BATS_TEST_TMPDIR/lyon.db
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store --store "$LYON" keys | jq -r .key)"
	ccc-store --store "$BUE" keys | ccc-store --store "$LYON" trust add -q
	ccc-failover -q --store "$LYON" site add buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)" \
		--via "ccc-failover --store '$BUE'"
	echo '{"body":"first"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
}

@test "failover ship says what it shipped once, then nothing when nothing is left to ship" {
	two_sites
	run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_success
	assert_output --regexp '^ccc-failover: buenos-aires acknowledged every entry up to [0-9]+$'
	run ccc-failover --store "$LYON" ship --to buenos-aires
	assert_success
	assert_output ""
	echo '{"body":"second"}' | ccc-intake -q --store "$LYON" --source ncb:fr >/dev/null
	run ccc-failover -q --store "$LYON" ship --to buenos-aires
	assert_success
	assert_output ""
	assert_equal "$(ccc-failover --store "$BUE" position)" "$(ccc-failover --store "$LYON" position)"
}

@test "cron commands with nothing to do print nothing with -q: heartbeat, escalate, expire" {
	two_sites
	ccc-failover -q --store "$LYON" ship --to buenos-aires
	run ccc-failover -q --store "$LYON" heartbeat
	assert_success
	assert_output ""
	run ccc-failover -q --store "$BUE" heartbeat
	assert_success
	assert_output ""
	run ccc-triage -q --store "$LYON" escalate
	assert_success
	assert_output ""
	run ccc-notice -q --store "$LYON" expire
	assert_success
	assert_output ""
}

@test "every EXAMPLES line that shows cron uses the quiet form" {
	# each ccc command of a crontab line (split at ; && || |) carries -q
	loud() {
		grep -E '^ *(\*|[0-9])[^ ]* +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +.*ccc' |
			sed -E 's/(;|&&|\|\||\|)/\n/g' | grep -E '(^| )ccc[- ]' | grep -v -- ' -q ' || true
	}
	for p in ccc ccc-intake ccc-triage ccc-check ccc-notice ccc-deploy ccc-failover ccc-store ccc-board ccc-duty; do
		"$p" --help | loud
	done >"$BATS_TEST_TMPDIR/loud"
	loud <"$ROOT/README.md" >>"$BATS_TEST_TMPDIR/loud"
	cat "$ROOT"/man/man1/*.1 "$ROOT"/man/man7/ccc.7 | loud >>"$BATS_TEST_TMPDIR/loud"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/loud")" ""
	# and the test sees a loud line when there is one
	assert_equal "$(echo '* * * * * ccc-failover -q ship; ccc-failover heartbeat' | loud)" " ccc-failover heartbeat"
}

# --- --help examples are not wrapped ---

# The EXAMPLES lines of --help on stdin that argp broke: a line that does not
# start with the two-space indent every example has (argp starts the rest of
# a wrapped line at column 0), or one that ends inside a quote.
broken_examples() {
	awk '
		/^EXAMPLES$/ { on = 1; next }
		on && /^$/ { on = 0 }
		!on { next }
		/^  / == 0 { print "wrapped: " $0; next }
		{
			q = ""
			for (i = 1; i <= length($0); i++) {
				c = substr($0, i, 1)
				if (q == "") { if (c == "\x27" || c == "\"") q = c; else if (c == "\\") i++ }
				else if (q == "\x27") { if (c == "\x27") q = "" }
				else if (c == "\\") i++
				else if (c == "\"") q = ""
			}
			if (q != "") print "inside a quote: " $0
		}'
}

@test "no --help EXAMPLES line of any program is broken by argp, inside quotes or not" {
	for p in ccc ccc-intake ccc-triage ccc-check ccc-notice ccc-deploy ccc-failover ccc-store ccc-reply ccc-board ccc-duty; do
		COLUMNS=80 "$p" --help | broken_examples | sed "s/^/$p: /"
	done >"$BATS_TEST_TMPDIR/broken"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/broken")" ""
	for p in ccc-intake ccc-triage ccc-check ccc-notice ccc-deploy ccc-failover ccc-store ccc-reply ccc-board ccc-duty; do
		"$p" --help | grep -qx EXAMPLES
	done
	# the check sees what argp does to a long example
	run broken_examples <<<$'EXAMPLES\n  ccc-failover rejoin --via \'ssh bue\nccc-failover\'\n  ok \'a\' "b c" \\\n'
	assert_output $'inside a quote:   ccc-failover rejoin --via \'ssh bue\nwrapped: ccc-failover\''
}
