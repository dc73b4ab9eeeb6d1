#!/bin/sh
# Run the operations-room demo (examples/ops-room.sh) with every program under
# valgrind memcheck; fail on any memory error or definite leak.
#   sh tests/memcheck-demo.sh [BIN_DIR]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/build/bin}" && pwd)
command -v valgrind >/dev/null ||
	{ echo "memcheck: valgrind is needed (apt-get install valgrind)" >&2; exit 69; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/logs"
# A wrapper per program: valgrind on the real one. The front door execs the
# program beside itself, so children are traced too (but not sh, jq and the like).
for p in "$bin"/ccc "$bin"/ccc-*; do
	cat >"$work/bin/${p##*/}" <<-WRAP
	#!/bin/sh
	exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \\
		--errors-for-leak-kinds=definite --trace-children=yes \\
		--trace-children-skip='*/sh,*/dash,*/bash,*/jq,*/xmllint,*/ssh,*/sqlite3' \\
		--log-file='$work/logs/%p.log' '$p' "\$@"
	WRAP
	chmod +x "$work/bin/${p##*/}"
done
start=$(date +%s)
status=0
sh "$root/examples/ops-room.sh" "$work/bin" >"$work/demo.out" 2>&1 || status=$?
runs=$(find "$work/logs" -name '*.log' | wc -l)
bad=$(grep -l -E '^==[0-9]+== [A-Za-z]' "$work/logs"/*.log 2>/dev/null || :)
echo "memcheck: the demo ran $runs programs under valgrind in $(($(date +%s) - start)) s"
if [ -n "$bad" ]; then
	for f in $bad; do cat "$f"; done >&2
	echo "memcheck: memory errors or definite leaks in $(echo "$bad" | wc -l) runs" >&2
	exit 1
fi
if [ "$status" != 0 ]; then
	cat "$work/demo.out" >&2
	echo "memcheck: the demo failed under valgrind (exit $status)" >&2
	exit 1
fi
echo "memcheck: clean"
