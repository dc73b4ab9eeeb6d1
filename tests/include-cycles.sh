#!/bin/sh
# include-cycles.sh [LIBDIR]: fail when the modules of lib/ include each other
# in a cycle. A module is a file's name without its extension (store.c and
# ccc/store.h are the module store); each '#include "ccc/NAME.h"' in
# lib/*/*.c (a layer's folder; lib/*.c too) or lib/ccc/*.h is an edge from the
# including module to NAME.
# Prints the edges of a cycle (tsort's report) and exits 1, or exits 0.
#
# Every file is a module of its own: the store's parts (sitelocal, the
# site-local table; witness, the tamper witness; schema, the schema check)
# sit below it, and nothing they include includes the store back.
set -eu
lib=${1:-lib}
edges=$(
	for f in "$lib"/*.c "$lib"/*/*.c "$lib"/ccc/*.h; do
		[ -f "$f" ] || continue
		from=$(basename "$f")
		from=${from%.*}
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"ccc\/\([^"]*\)\.h".*/\1/p' "$f" |
			while read -r to; do
				[ "$to" = "$from" ] || printf '%s %s\n' "$from" "$to"
			done
	done
)
if ! out=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null) || [ -n "$out" ]; then
	printf '%s\n' "$out" >&2
	echo "include-cycles: the modules of $lib include each other in a cycle (above)" >&2
	exit 1
fi
