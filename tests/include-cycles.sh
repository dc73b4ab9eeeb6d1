#!/bin/sh
# include-cycles.sh [LIBDIR]: fail when the modules of lib/ include each other
# in a cycle. A module is a file's name without its extension (store.c and
# ccc/store.h are the module store); each '#include "ccc/NAME.h"' in
# lib/*.c or lib/ccc/*.h is an edge from the including module to NAME.
# Prints the edges of a cycle (tsort's report) and exits 1, or exits 0.
#
# One module may span several files, only where the files call each other
# both ways: sitelocal (the site-local table) is part of the store module,
# since the store fences and seals with it and it prepares statements and
# signs through the store; an include of either is an edge to "store".
# witness (the tamper witness) and schema (the schema check) are modules
# of their own below the store: the store includes them, never the reverse.
set -eu
lib=${1:-lib}
module() {
	case $1 in
	sitelocal) echo store ;;
	*) echo "$1" ;;
	esac
}
edges=$(
	for f in "$lib"/*.c "$lib"/ccc/*.h; do
		from=$(basename "$f")
		from=$(module "${from%.*}")
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"ccc\/\([^"]*\)\.h".*/\1/p' "$f" |
			while read -r to; do
				to=$(module "$to")
				[ "$to" = "$from" ] || printf '%s %s\n' "$from" "$to"
			done
	done
)
if ! out=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null) || [ -n "$out" ]; then
	printf '%s\n' "$out" >&2
	echo "include-cycles: the modules of $lib include each other in a cycle (above)" >&2
	exit 1
fi
