#!/bin/sh
# ccc-triage against labelled messages: exact priority, priority within one
# level, "expected P1 assessed P3 or P4" (P1 below P2), category and language,
# per language and overall.
#
#   tests/bench/triage-eval.sh            eval, tune2, tune3 and corpus
#   tests/bench/triage-eval.sh eval       tests/fixtures/triage/eval only
#   tests/bench/triage-eval.sh tune2      tests/fixtures/triage/tune2 only
#   tests/bench/triage-eval.sh tune3      tests/fixtures/triage/tune3 only
#   tests/bench/triage-eval.sh corpus     tests/fixtures/triage/corpus.ndjson only
#   tests/bench/triage-eval.sh holdout    tests/fixtures/triage/holdout.ndjson
#   tests/bench/triage-eval.sh independent  tests/fixtures/triage/independent.ndjson
#   tests/bench/triage-eval.sh FILE.ndjson  message records that carry "expected"
#
# The evaluation set (tests/fixtures/triage/eval, see its README.txt) was
# written from tests/fixtures/triage/GUIDE.md alone and frozen before triage
# ran on it: it measures the rules, it is not for tuning them. The tuning set
# tune2 (tests/fixtures/triage/tune2) was written the same way, blind to the
# rules, and is for tuning them; so was tune3 (tests/fixtures/triage/tune3).
# All three keep their labels in labels.ndjson,
# joined on external_id; the corpus carries its own "expected" and its
# language is the one intake finds.
# TRIAGE_EVAL_MISSES=1 also lists every message whose priority is wrong
# (never on eval: looking at its misses makes it a training set).
# TRIAGE_EVAL_BREAKDOWN=1 also counts the misses by expected and assessed
# priority and the rules that decided them (the matrix cell and every
# override), one line a group, with no message named: fit for the frozen set.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
fix=$(dirname "$0")/../fixtures/triage
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/cfg" XDG_STATE_HOME="$dir/state"

# triage NAME INPUT: a fresh store, intake, triage; $dir/NAME.out. Intake
# takes in one message a line, in order, and never takes "checks" or "cap"
# from its input (ccc-check and the CAP reader own them). A labelled line
# that carries them stands for a message that went through those stages, so
# they are written into its stored record (as ccc-check would have) before
# triage, which reads the stored record. This store is thrown away.
triage() {
	CCC_STORE="$dir/$1.db" "$BIN/ccc-store" init -q --site eval
	CCC_STORE="$dir/$1.db" "$BIN/ccc-intake" -q "$2" >"$dir/$1.msg"
	jq -rn --arg q "'" --slurpfile in "$2" '
		def sql: $q + gsub($q; $q + $q) + $q;
		[inputs] as $out
		| if ($out | length) != ($in | length) then
			error("intake wrote \($out | length) messages for \($in | length) lines")
		  else range(0; $out | length) as $i
			| $in[$i] | to_entries[] | select(.key == "checks" or .key == "cap")
			| "UPDATE messages SET record = json_set(record, \("$." + .key | sql), json(\(.value | tojson | sql)))"
			  + " WHERE id = \($out[$i].id | sql);"
		  end' "$dir/$1.msg" | sqlite3 "$dir/$1.db"
	CCC_STORE="$dir/$1.db" "$BIN/ccc-triage" -q "$dir/$1.msg" >"$dir/$1.out"
}

# score NAME: reads {id, lang, want, want_cat, got, got_cat, got_lang,
# subject} lines; prints the table, the priority confusion matrix and, with
# TRIAGE_EVAL_MISSES, the misses.
score() {
	cat >"$dir/score"
	jq -rs --arg set "$1" '
	def lvl: ltrimstr("P") | tonumber;
	def cols: [.[] | tostring]
		| [range(0; 8) as $i | .[$i] + (" " * ([[8, 5, 5, 12, 12, 6, 12, 1][$i] - (.[$i] | length), 1] | max))]
		| add | rtrimstr(" ");
	def pct(a; b): if b == 0 then "-" else ((a * 1000 / b | round) / 10 | tostring) + "%" end;
	def row(name; xs):
		(xs | length) as $n
		| ([xs[] | select(.want == .got)] | length) as $exact
		| ([xs[] | select(((.want | lvl) - (.got | lvl)) | fabs <= 1)] | length) as $near
		| ([xs[] | select(.want == "P1" and (.got | lvl) >= 3)] | length) as $p1low
		| ([xs[] | select(.want_cat == .got_cat)] | length) as $cat
		| ([xs[] | select(.lang == .got_lang)] | length) as $lang
		| [$set, name, $n, "\($exact) \(pct($exact; $n))", "\($near) \(pct($near; $n))",
		   $p1low, "\($cat) \(pct($cat; $n))", "\($lang) \(pct($lang; $n))"] | cols;
	(["set", "lang", "n", "exact", "within_one", "P1<P2", "category", "language"] | cols),
	(group_by(.lang)[] as $g | row($g[0].lang; $g)),
	row("all"; .)' "$dir/score"
	jq -rs --arg misses "${TRIAGE_EVAL_MISSES:-}" '
	def pad: tostring | "    "[length:] + .;
	"  expected \\ got   P1   P2   P3   P4",
	(["P1", "P2", "P3", "P4"][] as $w
		| [.[] | select(.want == $w)] as $r
		| "  \($w)             " + ([["P1", "P2", "P3", "P4"][] as $g | [$r[] | select(.got == $g)] | length | pad] | join(" "))),
	(if $misses != "" then
		.[] | select(.want != .got)
		| "  miss \(.id) \(.lang) want \(.want) \(.want_cat) got \(.got) \(.got_cat): \(.subject)"
	 else empty end)' "$dir/score"
	[ -z "${TRIAGE_EVAL_BREAKDOWN:-}" ] || jq -rs '
	[.[] | select(.want != .got)
		| {k: "\(.want)>\(.got)", r: ([.rules[]? | strings
			| select(test("^(matrix|override|expired|check):"))
			| sub("^check:.*"; "check") | sub("^matrix:(?<m>[^=]*)=.*"; "\(.m)")] | join(" "))}]
	| group_by(.k, .r)[]
	| "  misses \(length) \(.[0].k) \(.[0].r)"' "$dir/score"
	# and by expected and assessed priority, the got category and the kinds
	# of evidence (tags, no phrase): how many misses carried each
	[ -z "${TRIAGE_EVAL_BREAKDOWN:-}" ] || jq -rs '
	[.[] | select(.want != .got)
		| {k: "\(.want)>\(.got) \(.got_cat)", t: ([.rules[]? | strings
			| select(test("^(matrix|override|expired|check|zone|deadline|lexicon):") | not)
			| capture("^(?<t>[a-z]+(:[a-z]+)?)") | .t] | unique)}]
	| group_by(.k)[]
	| "  \(length) \(.[0].k): " + ([.[].t[]] | group_by(.) | map("\(.[0])×\(length)") | join(" "))' "$dir/score"
}

# run_set NAME: tests/fixtures/triage/NAME/messages.ndjson, labels joined
# from labels.ndjson on external_id.
run_set() {
	triage "$1" "$fix/$1/messages.ndjson"
	jq -c '{key: .external_id, value: .}' "$fix/$1/labels.ndjson" | jq -s 'from_entries' >"$dir/labels.json"
	jq -c --slurpfile l "$dir/labels.json" '
		$l[0][.external_id] as $x
		| {id: .external_id, lang: $x.lang, want: $x.priority, want_cat: $x.category,
		   got: .triage.priority, got_cat: .triage.category, got_lang: .language,
		   subject: .subject, rules: .triage.reasons}' "$dir/$1.out" | score "$1"
}

# run_labelled NAME FILE: message records that carry "expected".
run_labelled() {
	triage "$1" "$2"
	jq -c '{id, lang: .language, want: .expected.priority, want_cat: .expected.category,
		got: .triage.priority, got_cat: .triage.category, got_lang: .language,
		subject, rules: .triage.reasons}' "$dir/$1.out" | score "$1"
}

# The evaluation set is received on 2026-03-10 from 08:00Z, tune2 on
# 2026-06-15 from 08:00Z to 10:00Z, tune3 on 2026-09-21 from 14:00Z to
# 16:00Z; each is triaged then.
[ $# -gt 0 ] || set -- eval tune2 tune3 corpus
for s in "$@"; do
	case $s in
	eval) CCC_NOW=2026-03-10T09:10:00Z run_set eval ;;
	tune2) CCC_NOW=2026-06-15T10:10:00Z run_set tune2 ;;
	tune3) CCC_NOW=2026-09-21T16:10:00Z run_set tune3 ;;
	corpus | holdout | independent) run_labelled "$s" "$fix/$s.ndjson" ;;
	*.ndjson) run_labelled "$(basename "$s" .ndjson)" "$s" ;;
	*)
		echo "triage-eval: unknown set '$s' (eval, tune2, tune3, corpus, holdout, independent, or a FILE.ndjson of labelled message records)" >&2
		exit 64
		;;
	esac
done
