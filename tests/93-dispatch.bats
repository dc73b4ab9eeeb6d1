#!/usr/bin/env bats
# One subcommand table and dispatcher (lib/glue/subcmd.c) in every program: a
# mistyped command is a usage error (64) with "did you mean", never a file to
# open; the number of arguments comes from the table; the filters still read
# real files; --help lists exactly the commands of the table.

load helper

setup() {
	common_setup
	init_store
	cd "$BATS_TEST_TMPDIR" || return
}

@test "a mistyped ccc-store command exits 64 and suggests the command" {
	run ccc-store verfy
	assert_failure 64
	assert_output "ccc-store: 'verfy' is not a command; did you mean 'verify'? (see 'ccc-store --help')"
	run ccc-store trust lst
	assert_failure 64
	assert_output "ccc-store: 'trust lst' is not a command; did you mean 'trust list'? (see 'ccc-store --help')"
}

@test "a mistyped ccc-triage command exits 64 and suggests the command, without opening a file" {
	run ccc-triage qeue
	assert_failure 64
	assert_output "ccc-triage: 'qeue' is not a command; did you mean 'queue'? (see 'ccc-triage --help')"
	run ccc-triage esclate
	assert_failure 64
	assert_output --partial "did you mean 'escalate'?"
	refute_output --partial "cannot open"
}

@test "ccc-triage list ID is a usage error, not a file named list" {
	# (show is a command now: a message's whole story)
	run ccc-triage list msg-lyon-1
	assert_failure 64
	assert_output "ccc-triage: 'list' is not a command, nor a file (see 'ccc-triage --help')"
	run ccc-triage shwo msg-lyon-1
	assert_failure 64
	assert_output --partial "did you mean 'show'?"
}

@test "a mistyped ccc-notice command exits 64 and suggests the command" {
	run ccc-notice pubish N-1
	assert_failure 64
	assert_output "ccc-notice: 'pubish' is not a command; did you mean 'publish'? (see 'ccc-notice --help')"
}

@test "a mistyped ccc-deploy command exits 64 and suggests the command, one word or two" {
	run ccc-deploy aprove P-1
	assert_failure 64
	assert_output "ccc-deploy: 'aprove' is not a command; did you mean 'approve'? (see 'ccc-deploy --help')"
	run ccc-deploy staff lst
	assert_failure 64
	assert_output "ccc-deploy: 'staff lst' is not a command; did you mean 'staff list'? (see 'ccc-deploy --help')"
	run ccc-deploy staff
	assert_failure 64
	assert_output "ccc-deploy: staff: give one of add, import, update, list, show (see 'ccc-deploy --help')"
}

@test "a mistyped ccc-failover command exits 64 and suggests the command, one word or two" {
	run ccc-failover promte
	assert_failure 64
	assert_output "ccc-failover: 'promte' is not a command; did you mean 'promote'? (see 'ccc-failover --help')"
	run ccc-failover site lsit
	assert_failure 64
	assert_output "ccc-failover: 'site lsit' is not a command; did you mean 'site list'? (see 'ccc-failover --help')"
}

@test "a mistyped ccc-check command exits 64 and suggests the command, without opening a file" {
	run ccc-check lgo
	assert_failure 64
	assert_output "ccc-check: 'lgo' is not a command; did you mean 'log'? (see 'ccc-check --help')"
	refute_output --partial "cannot open"
}

@test "a word near nothing known is 'not a command' with no suggestion" {
	run ccc-store frobnicate
	assert_failure 64
	assert_output "ccc-store: 'frobnicate' is not a command (see 'ccc-store --help')"
}

@test "a mistyped command is refused before the store is opened" {
	export CCC_STORE=$BATS_TEST_TMPDIR/none.db
	run ccc-triage qeue
	assert_failure 64
	run ccc-failover stauts
	assert_failure 64
	assert_output --partial "did you mean 'status'?"
	[ ! -e "$CCC_STORE" ]
}

@test "the filters still read a file whose name is near a command" {
	echo '{"type":"note","text":"passes through"}' >qeue
	run ccc-triage qeue
	assert_success
	assert_output '{"type":"note","text":"passes through"}'
	echo '{"type":"note","text":"passes through"}' >lgo
	run ccc-check lgo
	assert_success
	assert_output '{"type":"note","text":"passes through"}'
}

@test "the filters still read a file named with a '.' or '/' and say when it is missing" {
	echo '{"type":"note","text":"x"}' >records.ndjson
	run ccc-triage records.ndjson
	assert_success
	assert_output '{"type":"note","text":"x"}'
	run ccc-check ./queue.ndjson
	refute_output --partial "is not a command"
	assert_output --partial "queue.ndjson"
	[ "$status" -ne 0 ] || fail "exit 0"
	[ "$status" -ne 64 ] || fail "exit 64"
}

@test "the filters still read stdin given as '-'" {
	run bash -c "echo '{\"type\":\"note\"}' | ccc-triage -"
	assert_success
	assert_output '{"type":"note"}'
	run bash -c "echo '{\"type\":\"note\"}' | ccc-check -"
	assert_success
	assert_output '{"type":"note"}'
}

@test "too many arguments to a command exit 64 and name the first one too many" {
	run ccc-store stats extra
	assert_failure 64
	assert_output "ccc-store: stats: unexpected argument 'extra'"
	run ccc-triage queue extra
	assert_failure 64
	assert_output "ccc-triage: queue: unexpected argument 'extra'"
	run ccc-notice show N-1 N-2
	assert_failure 64
	assert_output "ccc-notice: show: unexpected argument 'N-2'"
	run ccc-deploy rota tomorrow
	assert_failure 64
	assert_output "ccc-deploy: rota: unexpected argument 'tomorrow'"
	run ccc-failover position 3
	assert_failure 64
	assert_output "ccc-failover: position: unexpected argument '3'"
	run ccc-check log extra
	assert_failure 64
	assert_output "ccc-check: log: unexpected argument 'extra'"
}

@test "too few arguments to a command exit 64 and say what is needed" {
	run ccc-store backup
	assert_failure 64
	assert_output "ccc-store: backup: needs FILE"
	run ccc-triage note msg-lyon-1
	assert_failure 64
	assert_output "ccc-triage: note: needs ID TEXT"
	run ccc-notice publish
	assert_failure 64
	assert_output "ccc-notice: publish: needs ID"
	run ccc-deploy staff show
	assert_failure 64
	assert_output "ccc-deploy: staff show: needs ID"
	run ccc-failover site add bue
	assert_failure 64
	assert_output "ccc-failover: site add: needs NAME KEY"
}

# The command names of a program's --help "Commands:" section (the lowercase
# words that start a line there, as completions/gen.sh reads them).
help_commands() {
	"$1" --help | awk '
	/^Commands:/ { on = 1; next }
	on && /^$/ { exit }
	on && /^  [a-z]/ {
		line = $0; sub(/^ +/, "", line); split(line, cols, /  +/)
		n = split(cols[1], w, " ")
		name = w[1]
		if (n >= 2 && w[2] ~ /^[a-z][a-z-]*$/) name = name " " w[2]
		print name
	}' | sort -u
}

# The names of a program's subcommand table in its source.
table_commands() {
	grep -o '{"[a-z][a-z -]*", SUBCMD_' "$ROOT/bin/$1.c" | sed 's/^{"//; s/", SUBCMD_$//' | sort -u
}

@test "every command of each table is in its --help Commands section, and nothing else is" {
	for p in ccc-store ccc-triage ccc-notice ccc-deploy ccc-failover ccc-check ccc-reply ccc-duty; do
		help=$(help_commands "$p")
		table=$(table_commands "$p")
		[ -n "$table" ] || fail "$p: no table found"
		[ "$help" = "$table" ] || fail "$p: --help lists [${help//$'\n'/, }], the table [${table//$'\n'/, }]"
	done
}
