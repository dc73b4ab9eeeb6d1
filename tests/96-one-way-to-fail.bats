#!/usr/bin/env bats
# Issue 14, one way to fail: the exit statuses every --help lists come from
# one table (lib/ccc/exit.h); lib/ never exits, and a write error on stdout
# still ends a program with 74.

load helper

setup() {
	common_setup
}

# The statuses a man page's EXIT STATUS section lists, one a line.
man_statuses() {
	awk '/^\.Sh EXIT STATUS/ { f = 1; next } /^\.Sh/ { f = 0 } f && /^\.It [0-9]/ { print $2 }' "$1"
}

# The statuses the "Exit status:" paragraph of a --help lists, one a line.
help_statuses() {
	"$1" --help | awk '/^Exit status/ { f = 1; next } f && /^$/ { f = 0 } f && /^  [0-9]/ { print $1 }'
}

@test "no program writes its exit-status text by hand: every --help builds it from the shared table" {
	cd "$ROOT"
	run grep -lE 'Exit status: *"? *[0-9]' bin/*.c
	assert_failure 1
	assert_output ''
	run ccc-intake --help
	assert_output --partial $'Exit status:\n  0    all stored\n  64   usage\n'
	assert_output --partial '  74   I/O error, including a write error on stdout'
	run ccc-store --help
	assert_output --partial '  74   I/O error, including a write error on stdout'
	run ccc-check --help
	assert_output --partial '  1    with -q: nothing was found'
}

@test "every program's --help lists the same exit statuses as its man page, before EXAMPLES" {
	for p in "$BUILD"/bin/ccc-*; do
		name=$(basename "$p")
		run diff <(help_statuses "$p") <(man_statuses "$ROOT/man/man1/$name.1")
		assert_success
		assert_output ''
		[ -n "$(help_statuses "$p")" ]
		run sh -c "'$p' --help | grep -oE '^(Exit status:|EXAMPLES)'"
		assert_output $'Exit status:\nEXAMPLES'
	done
}

@test "a long exit-status meaning wraps under its own column, within 79 columns" {
	run sh -c 'ccc-failover --help | sed -n "/^Exit status/,/^EXAMPLES/p" | awk "length > 78"'
	assert_output ''
	run ccc-failover --help
	assert_output --regexp $'\n  65   an entry was refused[^\n]*\n       [a-z]'
}

@test "ccc help lists its own exit statuses from the same table" {
	run ccc help
	assert_success
	assert_output --partial $'Exit status: that of the command run, or:\n  0    help or --version printed\n  64   usage'
	assert_output --partial '  69   the command is not installed, or cannot be run'
}

@test "lib/ prints no program name by hand: messages go through warnx" {
	cd "$ROOT"
	run grep -nE 'fprintf\(stderr,.*program_invocation_short_name' lib/*/*.c
	assert_failure 1
	assert_output ''
}

@test "a write error on stdout is said once and ends the program with 74, after the batch in hand was stored" {
	init_store
	run bash -c 'printf "{\"body\":\"one\"}\n{\"body\":\"two\"}\n{\"body\":\"three\"}\n" | ccc-intake --batch 1 --source t >/dev/full'
	assert_failure 74
	assert_output 'ccc-intake: write error on stdout: No space left on device'
	run sql "SELECT count(*) FROM messages"
	assert_output 1
	run bash -c 'ccc-store log >/dev/full'
	assert_failure 74
	assert_output 'ccc-store: write error on stdout: No space left on device'
}

@test "longest-function.sh measures a function from its name to its closing brace" {
	cat >"$BATS_TEST_TMPDIR/f.c" <<'C'
static int short_one(void)
{
	return 1;
}

int
long_one(int a)
{
	if (a) {
		a++;
	}
	return a;
}
C
	run sh "$ROOT/tests/longest-function.sh" -n 2 "$BATS_TEST_TMPDIR/f.c"
	assert_success
	assert_output "7 $BATS_TEST_TMPDIR/f.c:7 long_one
4 $BATS_TEST_TMPDIR/f.c:1 short_one"
}

@test "verify is made of named steps: no function in lib/store/verify.c is longer than 100 lines" {
	run sh "$ROOT/tests/longest-function.sh" "$ROOT/lib/store/verify.c"
	assert_success
	[ "${output%% *}" -le 100 ] || { echo "$output" >&2; false; }
}

@test "the docs say what the programs do today: no 'until then', every program in SEE ALSO, ccc-failover(1) has ENVIRONMENT" {
	cd "$ROOT"
	run grep -rniE 'until then|as the later programs' man README.md
	assert_failure 1
	assert_output ''
	for page in man/man1/ccc.1 man/man7/ccc.7; do
		see=$(sed -n '/^\.Sh SEE ALSO/,/^\.Sh/p' "$page")
		for p in bin/ccc-*.c; do
			name=$(basename "$p" .c)
			case $see in *"Xr $name 1"*) ;; *) echo "$page: SEE ALSO lacks $name" >&2; false ;; esac
		done
	done
	env=$(sed -n '/^\.Sh ENVIRONMENT/,/^\.Sh/p' man/man1/ccc-failover.1)
	for v in CCC_STORE CCC_SITE CCC_KEY CCC_ACTOR CCC_ETCD XDG_DATA_HOME XDG_CONFIG_HOME XDG_STATE_HOME \
		$(grep -ho 'getenv("[A-Z_]*")' bin/ccc-failover.c lib/failover/ship.c lib/failover/sites.c lib/failover/rejoin.c lib/failover/failover-watch.c lib/failover/etcd.c | grep -o '[A-Z_]*'); do
		case $env in *"Ev $v"*) ;; *) echo "ccc-failover(1) ENVIRONMENT lacks $v" >&2; false ;; esac
	done
}

@test "ccc(7) describes the layers of lib/ and names the files for a new database kind or intake format" {
	run sed -n '/^\.Ss The source tree/,/^\.Ss Records on pipes/p' "$ROOT/man/man7/ccc.7"
	assert_output --partial 'the store and its journal'
	assert_output --partial 'the record streams'
	assert_output --partial 'the parsers and writers of outside formats'
	assert_output --partial "Each program's domain"
	assert_output --partial 'lib/ccc/refdb.h'
	assert_output --partial 'lib/formats/channel.c'
	# every file the section names is where it says, and every layer's folder is named
	for f in $(grep -oE 'lib/[a-z]+/[a-z-]+\.c' <<<"$output" | sort -u); do
		[ -f "$ROOT/$f" ] || fail "ccc(7) names $f, which is not there"
	done
	for d in "$ROOT"/lib/*/; do
		d=${d%/}
		case ${d##*/} in ccc | gen) continue ;; esac
		assert_output --partial "lib/${d##*/}/"
	done
}

@test "README's message ids are the ones ccc-intake prints" {
	init_store
	run sh -c 'echo "{\"body\":\"x\"}" | ccc-intake -q --source t | jq -r .id'
	assert_output 'msg-lyon-1'
	run grep -oE 'msg-[a-z0-9…-]+' "$ROOT/README.md"
	refute_output --partial '…'
	assert_output --regexp '^msg-lyon-[0-9]+'
}

@test "README's standby: init --standby, then trust add NAME KEY, and the primary's journal imports" {
	init_store
	key=$(ccc-store keys | jq -r .key)
	bue=(env XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/bue-config" XDG_STATE_HOME="$BATS_TEST_TMPDIR/bue-state" CCC_STORE="$BATS_TEST_TMPDIR/bue.db")
	run "${bue[@]}" ccc-store init --standby --site buenos-aires
	assert_success
	run "${bue[@]}" ccc-store trust add lyon "$key"
	assert_success
	assert_output "ccc-store: standby: trusting site 'lyon' (its key kept outside the store)"
	grep -qF "ccc-store trust add lyon \"\$(ssh lyon ccc-store keys | jq -r .key)\"" "$ROOT/README.md"
	run sh -c "ccc-failover export | ${bue[*]} ccc-failover import >/dev/null"
	assert_success
	run "${bue[@]}" ccc-store verify
	assert_success
	assert_output --partial '"ok":true'
}
