#!/bin/sh
# Matching quality: recall and precision of the person matcher on published
# name pairs (cross-script, transliteration, spelling variants, UN and OFAC
# aliases), measured by tests/bench/match-eval.c. The held-out pairs and the
# fixtures are in the project; the rest of the data lives beside it
# (BENCH_DATA, default ../shared/data) and is skipped without it, since its
# licences do not all allow copying it into the project.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
data=${BENCH_DATA:-$(dirname "$0")/../../../shared/data}
fixtures=$(dirname "$0")/../fixtures/names
# The frozen held-out pairs (tests/fixtures/names/pairs-heldout.tsv, written
# once by match-pairs before any tuning) and the fixtures are in the project:
# recall and precision at the default threshold, and the precision-recall
# table of thresholds that ccc-check(1) quotes. Under each transliteration
# fixture's row, a second one counts the pairs listed beside it as two
# different names (netransliteration/*.mislabelled.tsv, each with its reason)
# as the negatives they are; the first row is the fixture as it is.
"$BUILD/tests/bench/match-eval" -T -F "$fixtures"
if [ ! -d "$data/name-variants" ]; then
	echo "match: no name data at '$data' (set BENCH_DATA): the rest skipped"
	exit 0
fi
# The tuning part and the UN list's pairs, generated again from the lists.
pairs=$(mktemp -d)
"$BUILD/tests/bench/match-pairs" "$data" "$pairs"
if ! cmp -s "$pairs/pairs-heldout.tsv" "$fixtures/pairs-heldout.tsv"; then
	echo "match: the held-out pairs generated from '$data' differ from the frozen ones" >&2
fi
"$BUILD/tests/bench/match-eval" -T -L "$pairs" "$data"
rm -rf "$pairs"

# OFAC through ccc-check itself: every alias of an individual queried, its own
# entry expected in the top three. Twice: with the lists loaded whole (sdn.csv
# with alt.csv beside it: the aliases are stored names, as in the operations
# room), and with the primary names only (the alias must be matched to a
# different spelling, or to a different name altogether: many aliases are noms
# de guerre that no name matcher can link).
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$BUILD/tests/bench/match-eval" -Q "$data" >"$dir/q.ndjson"
ofac() { # LABEL FILE...
	_what=$1
	shift
	rm -rf "$dir/load" && mkdir "$dir/load"
	cp "$@" "$dir/load/"
	export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state" CCC_STORE="$dir/load/ofac.db"
	"$BIN/ccc-store" init -q --site bench
	"$BIN/ccc-check" load -q --db persons --input-format ofac-sdn --owner US "$dir/load/sdn.csv"
	measure "ofac through ccc-check" sh -c "'$BIN/ccc-check' --top 3 --threshold 0 '$dir/q.ndjson' >'$dir/out.ndjson'"
	jq -s -r --arg what "$_what" --arg secs "$SECS" '
		length as $n | (map(select(.id as $id | .checks[0].hits | map(.id) | index($id))) | length) as $top3 |
		(map(select(.id as $id | .checks[0].hits[0].id == $id)) | length) as $top1 |
		"OFAC aliases through ccc-check, \($what): \($n) queries; own entry top 1 \($top1 / $n * 1000 | round / 1000); top 3 \($top3 / $n * 1000 | round / 1000); \($secs | tonumber / $n * 1e6 | round) us/query"' "$dir/out.ndjson"
}
ofac "lists loaded whole" "$data/ofac-sdn/sdn.csv" "$data/ofac-sdn/alt.csv" "$data/ofac-sdn/add.csv"
ofac "primary names only" "$data/ofac-sdn/sdn.csv"
