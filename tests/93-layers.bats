#!/usr/bin/env bats
# Issue 14, section 2: the store is the bottom layer. lib/ modules include
# each other in no cycle, the store knows nothing of replication, and lib/
# reads no program options.

load helper

setup() {
	common_setup
}

@test "lib modules include each other in no cycle" {
	run sh "$ROOT/tests/include-cycles.sh" "$ROOT/lib"
	assert_success
	assert_output ''
}

@test "the include-cycle check names the modules of a cycle it is shown" {
	mkdir -p "$BATS_TEST_TMPDIR/lib/ccc"
	printf '#include "ccc/b.h"\n' >"$BATS_TEST_TMPDIR/lib/a.c"
	printf '#include "ccc/c.h"\n' >"$BATS_TEST_TMPDIR/lib/ccc/b.h"
	printf '#include "ccc/a.h"\n' >"$BATS_TEST_TMPDIR/lib/c.c"
	: >"$BATS_TEST_TMPDIR/lib/ccc/a.h"
	: >"$BATS_TEST_TMPDIR/lib/ccc/c.h"
	run sh "$ROOT/tests/include-cycles.sh" "$BATS_TEST_TMPDIR/lib"
	assert_failure 1
	assert_output --partial 'input contains a loop'
	assert_output --partial 'include each other in a cycle'
}

@test "the store includes nothing of replication (ship, sites)" {
	run grep -E '#include "ccc/(ship|sites|rejoin|etcd|failover-watch)\.h"' "$ROOT/lib/store/store.c"
	assert_failure 1
	assert_output ''
}

@test "only the command-line glue in lib/ reads the program options (ccc_opts)" {
	cd "$ROOT"
	run grep -l ccc_opts lib/*/*.c
	assert_success
	assert_output "lib/base/opts.c
lib/glue/store-open.c"
}

@test "the journal still names who acted (--as) and the command line, passed to the store when opened" {
	init_store
	run ccc-intake -q --as inspector-7 --source t <<<'{"body":"who wrote this"}'
	assert_success
	run sql "SELECT actor, command FROM journal ORDER BY seq DESC LIMIT 1"
	assert_output --partial 'inspector-7|ccc-intake -q --as inspector-7 --source t'
}

@test "a store opened with --site of another site is still refused, with both names" {
	init_store
	run ccc-store --site singapore stats
	assert_failure 78
	assert_output --partial "belongs to site 'lyon', not 'singapore'"
}

@test "--strict and --max-line still reach the stream through its configuration" {
	init_store
	run ccc-intake --strict --source t <<<$'not json\n{"body":"after the bad line"}'
	assert_failure 65
	assert_output --partial 'ccc-intake: stdin:1: not JSON'
	run sql "SELECT count(*) FROM messages"
	assert_output 0
	run ccc-intake -q --max-line 64 --source t <<<'{"body":"'"$(printf 'x%.0s' {1..100})"'"}'
	assert_failure 65
	run sql "SELECT length(raw), raw_size FROM rejects ORDER BY rowid DESC LIMIT 1"
	assert_output '64|111'
}

@test "out of memory in lib/ goes through the xmalloc family: no allocation is checked by hand with abort()" {
	cd "$ROOT"
	run sh -c "grep -nE -A3 '\\b(malloc|calloc|realloc|strdup|strndup)\\(' lib/*/*.c | grep -E 'abort\\(\\)'"
	assert_failure 1
	assert_output ''
}

@test "lib/ never exits: no exit, err or errx outside a forked child's _exit" {
	cd "$ROOT"
	run grep -nE '(^|[^_a-zA-Z0-9])(exit|errx|err|verr|verrx)\(' lib/*/*.c lib/ccc/*.h
	assert_failure 1
	assert_output ''
}

@test "the store's parts sit below it: witness, schema and sitelocal never include it, and no module is grouped" {
	cd "$ROOT"
	run grep -l '#include "ccc/store.h"' lib/store/witness.c lib/store/schema.c lib/store/sitelocal.c \
		lib/ccc/witness.h lib/ccc/schema.h lib/ccc/sitelocal.h
	assert_failure 1
	assert_output ''
	run grep -n 'echo store' tests/include-cycles.sh
	assert_failure 1
}
