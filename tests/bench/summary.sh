#!/bin/sh
# The table of DESIGN.md section 9 in one piece, printed at the end of
# `make bench`: each row the benches appended to FILE (lib.sh: summary,
# peak), the work measured against its floor as measured on this machine in
# the same run (ratio: the time of the work over the floor's time for the
# same records), and the peak RSS of each program over every run.
#   sh tests/bench/summary.sh FILE
set -eu
file=${1:?usage: summary.sh FILE}
[ -s "$file" ] || { echo "bench: no summary rows in $file" >&2; exit 1; }
echo
echo "Summary: each row against its floor, measured side by side in this run"
awk -F '\t' 'BEGIN { m = 0; n = 0 }
	$1 == "rss" { if (!($2 in rss)) order[n++] = $2; if ($3 > rss[$2]) rss[$2] = $3; next }
	{ work[m] = $1; got[m] = $2; floor[m] = $3; ratio[m] = $4; goal[m] = $5; m++ }
	END {
		fmt = "%-52s %-24s %-30s %8s  %s\n"
		printf fmt, "work", "measured", "floor (this machine)", "ratio", "goal"
		for (i = 0; i < m; i++)
			printf fmt, work[i], got[i], floor[i], ratio[i], goal[i]
		line = ""
		for (i = 0; i < n; i++)
			line = line sprintf("%s%s %.1f MB", i ? ", " : "", order[i], rss[order[i]] / 1024)
		printf fmt, "peak RSS per program (goal: flat, <= 64 MB intake)", "", "", "", ""
		print "  " line
	}' "$file"
