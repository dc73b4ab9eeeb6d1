#!/bin/sh
# Run the libFuzzer targets built in BUILD (make fuzz): first replay each
# target's crash regressions (tests/fuzz/regress/TARGET), then fuzz it for
# SECONDS from a scratch copy of its seed corpus (tests/fuzz/corpus/TARGET),
# so runs do not grow the committed corpus. Prints one line per target and
# fails when a target crashed, leaked or tripped a sanitizer; the log and the
# input that did it stay in BUILD/logs and BUILD/artifacts.
#
# usage: run.sh BUILD SECONDS [TARGET...]
set -u
here=$(cd "$(dirname "$0")" && pwd) || exit 70
build=${1:?usage: run.sh BUILD SECONDS [TARGET...]}
seconds=${2:?usage: run.sh BUILD SECONDS [TARGET...]}
shift 2
case $seconds in
'' | *[!0-9]*)
	echo "fuzz: FUZZ_SECONDS must be a number of seconds, not '$seconds'" >&2
	exit 64
	;;
esac
if [ $# -eq 0 ]; then
	for b in "$build"/fuzz-*; do
		case $b in *.d) continue ;; esac
		[ -x "$b" ] && set -- "$@" "${b##*/fuzz-}"
	done
fi
[ $# -gt 0 ] || {
	echo "fuzz: no targets in '$build' (run make fuzz)" >&2
	exit 66
}
mkdir -p "$build/logs" "$build/artifacts" "$build/corpus" || exit 73
# what a target makes in TMPDIR (fuzz-import's store) is removed even after a crash
TMPDIR=$(cd "$build" && pwd)/tmp
export TMPDIR
# UBSan reports are errors; leaks are looked for after every input.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS ASAN_OPTIONS

# field NAME LINE: the value after "NAME: " in LINE ("-" when absent)
field() {
	v=$(printf '%s\n' "$2" | sed -n "s/.* $1: \([^ ]*\).*/\1/p")
	printf '%s' "${v:--}"
}

failed=
for t in "$@"; do
	bin=$build/fuzz-$t
	log=$build/logs/$t.log
	art=$build/artifacts/$t/
	status=ok
	rm -rf "$art"
	mkdir -p "$art"
	: >"$log"
	rm -rf "$TMPDIR"
	mkdir -p "$TMPDIR"
	# known leaks of a system library, suppressed by stack (TARGET.lsan)
	lsan=${LSAN_OPTIONS:-} asan=$ASAN_OPTIONS
	if [ -f "$here/$t.lsan" ]; then
		lsan="suppressions=$here/$t.lsan${lsan:+:$lsan}"
		asan="$asan:fast_unwind_on_malloc=0"
	fi
	# the crashes found before must stay fixed
	if [ -d "$here/regress/$t" ] && [ -n "$(ls -A "$here/regress/$t")" ]; then
		if ! LSAN_OPTIONS=$lsan ASAN_OPTIONS=$asan "$bin" -timeout=10 -rss_limit_mb=2048 \
			"$here/regress/$t"/* >>"$log" 2>&1; then
			status="FAILED (a regression input, see $log)"
		fi
	fi
	if [ "$status" = ok ]; then
		work=$build/corpus/$t
		rm -rf "$work"
		mkdir -p "$work"
		[ -d "$here/corpus/$t" ] && cp "$here/corpus/$t"/* "$work"/
		set -- -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
			-rss_limit_mb=2048 -close_fd_mask=3 -artifact_prefix="$art"
		[ -f "$here/$t.dict" ] && set -- "$@" -dict="$here/$t.dict"
		if ! LSAN_OPTIONS=$lsan ASAN_OPTIONS=$asan "$bin" "$@" "$work" >>"$log" 2>&1; then
			status="FAILED (see $log and $art)"
		fi
	fi
	rm -rf "$TMPDIR"
	last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	printf 'fuzz: %-7s execs %9s  cov %5s  ft %6s  corpus %-11s %s\n' "$t" "${execs:--}" \
		"$(field cov "$last")" "$(field ft "$last")" "$(field corp "$last")" "$status"
	if [ "$status" != ok ]; then
		failed="$failed $t"
		grep -E -m 1 -A 12 'ERROR: |runtime error|SUMMARY' "$log" >&2
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
exit 0
