#!/usr/bin/env bats
# The front door, --help and --version, man pages and completions in step with the code.

load helper

setup() {
	common_setup
}

@test "ccc NAME runs ccc-NAME with its arguments" {
	run ccc store init --site lyon
	assert_success
	run ccc store stats
	assert_success
	assert_output --partial '"site":"lyon"'
}

@test "ccc help lists the programs with a summary each" {
	run ccc help
	assert_success
	assert_line --partial "intake    take messages in"
	assert_line --partial "store     plumbing: init, keys, trust, verify"
}

@test "ccc with an unknown command is a usage error" {
	run ccc frobnicate
	assert_failure 64
	assert_output --partial "'frobnicate' is not a command"
	run ccc
	assert_failure 64
	assert_output --partial "usage: ccc [COMMON-OPTION...] COMMAND"
}

@test "ccc with a mistyped command exits 64 and says which one was meant" {
	run ccc trige queue
	assert_failure 64
	assert_output "ccc: 'trige' is not a command; did you mean 'triage'? (see 'ccc help')"
	run ccc help sotre
	assert_failure 64
	assert_output --partial "did you mean 'store'?"
}

@test "ccc hands the common options given before the command to it" {
	run ccc -q store init --site lyon
	assert_success
	assert_output ""
	run ccc -q --as auditor --store "$CCC_STORE" store stats
	assert_success
	assert_output --partial '"site":"lyon"'
	run ccc --frobnicate store stats
	assert_failure 64
	assert_output --partial "'--frobnicate' is not a command (only the common options may come before one)"
}

@test "ccc --usage prints the usage lines" {
	run ccc --usage
	assert_success
	assert_line --index 0 "usage: ccc [COMMON-OPTION...] COMMAND [ARG...]"
}

@test "ccc --version and every program's --version print the version" {
	run ccc --version
	assert_success
	assert_output --regexp '^ccc [0-9]+\.[0-9]+\.[0-9]+$'
	for p in "$BUILD"/bin/ccc-*; do
		run "$p" --version
		assert_success
		assert_output --regexp "^$(basename "$p") [0-9]+\.[0-9]+\.[0-9]+$"
	done
}

@test "every program's --help ends with EXAMPLES and lists its exit status" {
	for p in "$BUILD"/bin/ccc-*; do
		run "$p" --help
		assert_success
		assert_output --partial "EXAMPLES"
		assert_output --partial "Exit status"
	done
}

@test "every long option of every program is in its man page SYNOPSIS and OPTIONS" {
	for p in "$BUILD"/bin/ccc-*; do
		name=$(basename "$p")
		page=$ROOT/man/man1/$name.1
		[ -f "$page" ] || { echo "no man page for $name" >&2; false; }
		for opt in $("$p" --help | grep -oE '^ +(-[A-Za-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+$' | sort -u); do
			case $opt in --help | --usage | --version) continue ;; esac
			grep -q -- "Fl -${opt#--}" "$page" || { echo "$name: $opt missing from $page" >&2; false; }
		done
	done
}

@test "the completions are generated from the current option tables" {
	cp "$ROOT/completions/ccc.bash" "$BATS_TEST_TMPDIR/before.bash"
	cp "$ROOT/completions/_ccc" "$BATS_TEST_TMPDIR/before.zsh"
	mkdir "$BATS_TEST_TMPDIR/gen"
	cp "$ROOT/completions/gen.sh" "$BATS_TEST_TMPDIR/gen/"
	sh "$BATS_TEST_TMPDIR/gen/gen.sh" "$BUILD/bin" $(cd "$ROOT/bin" && ls ccc*.c | sed 's/\.c$//')
	diff -u "$BATS_TEST_TMPDIR/before.bash" "$BATS_TEST_TMPDIR/gen/ccc.bash"
	diff -u "$BATS_TEST_TMPDIR/before.zsh" "$BATS_TEST_TMPDIR/gen/_ccc"
}

@test "bash completion offers commands and options" {
	run bash -c "source '$ROOT/completions/ccc.bash'; COMP_WORDS=(ccc-store ve); COMP_CWORD=1; _ccc_store; echo \${COMPREPLY[@]}"
	assert_output verify
	run bash -c "source '$ROOT/completions/ccc.bash'; COMP_WORDS=(ccc-intake --sou); COMP_CWORD=1; _ccc_intake; echo \${COMPREPLY[@]}"
	assert_output --source
	run bash -c "source '$ROOT/completions/ccc.bash'; COMP_WORDS=(ccc sto); COMP_CWORD=1; _ccc; echo \${COMPREPLY[@]}"
	assert_output store
}

@test "every man page is clean under mandoc -Tlint" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	run mandoc -Tlint -Wwarning "$ROOT"/man/man1/*.1 "$ROOT"/man/man5/*.5 "$ROOT"/man/man7/*.7
	assert_success
	assert_output ""
}

# complete WORD...: what bash completion offers for the words typed so far (the
# last is the one being completed), through the function of the first word.
complete_words() {
	local fn=_$(echo "$1" | tr '-' '_')
	bash -c "source '$ROOT/completions/ccc.bash'; COMP_WORDS=($*); COMP_CWORD=$(($# - 1)); $fn; echo \${COMPREPLY[@]}"
}

@test "bash completion offers the second word of a command and the values of enumerated options" {
	run complete_words ccc-store trust ''
	assert_output "add list"
	run complete_words ccc-deploy staff ''
	assert_output "add import list show update"
	run complete_words ccc-failover site ''
	assert_output "add list remove revoke"
	run complete_words ccc-check load --db ''
	assert_output "documents persons vehicles firearms artworks vessels"
	run complete_words ccc-check load --db = per
	assert_output "persons"
	run complete_words ccc-deploy plan --kind ''
	assert_output "irt imest"
	run complete_words ccc-notice list --format ''
	assert_output "ndjson table cap public"
	# a value given is not taken for the command
	run complete_words ccc-check --db persons loa
	assert_output "load"
}

@test "bash completion through the front door: ccc help NAME and common options first" {
	run complete_words ccc help tri
	assert_output "triage"
	run complete_words ccc -q --store x.db sto
	assert_output "store"
	run complete_words ccc -q store trust ''
	assert_output "add list"
}
