#!/bin/sh
# longest-function.sh [-n N] FILE...: the N (default 1) longest C functions
# of FILEs, longest first, as "LINES FILE:LINE NAME". A function is what the
# project's style makes of one: its name at the start of a line, its body
# from a '{' alone at the start of a line to the next '}' at the start of a
# line; LINES counts from the line with the name to that '}'.
#   sh tests/longest-function.sh -n 5 lib/*/*.c bin/*.c
set -eu
n=1
if [ "${1:-}" = -n ]; then
	n=$2
	shift 2
fi
awk '
FNR == 1 { head = 0; start = 0 }
/^[A-Za-z_].*[A-Za-z_0-9]\(/ && !/;[[:space:]]*$/ && !/^(typedef|struct [a-z_]+ \{)/ {
	head = FNR
	name = $0
	sub(/\(.*/, "", name)
	sub(/.*[ *]/, "", name)
}
/^\{/ && head && !start { start = head }
/^\}/ && start {
	printf "%d %s:%d %s\n", FNR - start + 1, FILENAME, start, name
	start = 0
	head = 0
}
' "$@" | sort -k1,1nr -k2 | head -n "$n"
