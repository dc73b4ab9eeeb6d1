# Shared by the benchmarks: timing, peak RSS, the table they print.
# shellcheck shell=sh
# shellcheck disable=SC2034 # the variables are used by the scripts that source this

BUILD=${CCC_BUILD:-build}
BIN=$BUILD/bin
N=${BENCH_N:-1000000}

# measure LABEL CMD...: run CMD, setting SECS and RSS_KB (peak resident set).
measure() {
	_label=$1
	shift
	_t=$(mktemp)
	_rc=0
	/usr/bin/time -f '%e %M' -o "$_t" "$@" || _rc=$?
	read -r SECS RSS_KB <<-EOT
	$(tail -n 1 "$_t")
	EOT
	rm -f "$_t"
	if [ "$_rc" -ne 0 ] && [ "$_rc" -ne 65 ]; then
		echo "bench: $_label failed with status $_rc" >&2
		exit 1
	fi
}

# measure_runs RUNS LABEL CMD...: run CMD RUNS times, as measure does;
# SECS is the median of the runs (the lower middle one of an even number),
# SECS_MIN and SECS_MAX the fastest and the slowest, RSS_KB the largest
# peak. On a shared or virtual machine one run can take a third more or
# less than the next: the median is what a run should be expected to take.
measure_runs() {
	_runs=$1
	shift
	_all=
	_rss=0
	_i=0
	while [ "$_i" -lt "$_runs" ]; do
		measure "$@"
		_all="$_all $SECS"
		[ "$RSS_KB" -le "$_rss" ] || _rss=$RSS_KB
		_i=$((_i + 1))
	done
	read -r SECS SECS_MIN SECS_MAX <<-EOT
	$(printf '%s' "$_all" | tr ' ' '\n' | grep . | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)], t[1], t[NR] }')
	EOT
	RSS_KB=$_rss
}

header() {
	printf '%-14s %-44s %9s %12s %10s %8s\n' program work seconds records/s 'peak RSS' ratio
}

# row PROGRAM WORK SECONDS RECORDS RSS_KB FLOOR_SECONDS
row() {
	awk -v p="$1" -v w="$2" -v s="$3" -v n="$4" -v r="$5" -v f="$6" 'BEGIN {
		rate = s > 0 ? n / s : 0
		ratio = f > 0 ? s / f : 0
		printf "%-14s %-44s %9.2f %12.0f %8.1f MB %7.2fx\n", p, w, s, rate, r / 1024, ratio
	}'
	case $1 in ccc-*) peak "$1" "$5" ;; esac
}

# The summary `make bench` prints at the end (tests/bench/summary.sh): each
# bench appends its rows of the table of DESIGN.md section 9 to $BENCH_SUMMARY
# (none when it is unset), tab-separated.
# summary WORK MEASURED FLOOR RATIO GOAL: one row, as the words to print.
summary() {
	[ -n "${BENCH_SUMMARY:-}" ] || return 0
	printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$BENCH_SUMMARY"
}

# rate N SECONDS: N / SECONDS as a whole number of records a second.
rate() {
	awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f/s", (s > 0 ? n / s : 0) }'
}

# ratio SECONDS FLOOR_SECONDS: how many times the floor's time.
ratio() {
	awk -v s="$1" -v f="$2" 'BEGIN { printf "%.2fx", (f > 0 ? s / f : 0) }'
}

# peak PROGRAM RSS_KB: the program's peak resident set in one run.
peak() {
	[ -n "${BENCH_SUMMARY:-}" ] || return 0
	printf 'rss\t%s\t%s\n' "$1" "$2" >>"$BENCH_SUMMARY"
}
