#!/bin/sh
# Matching quality: recall and precision of the person matcher on published
# name pairs (cross-script, transliteration, spelling variants, UN and OFAC
# aliases), measured by tests/bench/match-eval.c. The data set lives beside the
# project (BENCH_DATA, default ../shared/data); without it the quality bench is
# skipped, since its licences do not all allow copying it into the project.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
data=${BENCH_DATA:-$(dirname "$0")/../../../shared/data}
if [ ! -d "$data/name-variants" ]; then
	echo "match: no name data at '$data' (set BENCH_DATA): skipped"
	exit 0
fi
"$BUILD/tests/bench/match-eval" "$data"
