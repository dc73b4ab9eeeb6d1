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
	run grep -E '#include "ccc/(ship|sites|rejoin|etcd|failover-watch)\.h"' "$ROOT/lib/store.c"
	assert_failure 1
	assert_output ''
}
