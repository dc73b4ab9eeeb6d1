#!/usr/bin/env bats
# ccc-board: the wall as one self-contained HTML page: rendered by headless
# Chromium (a screenshot that is not blank, no console message), valid HTML
# (html5lib in strict mode, and tidy), hostile text escaped, Arabic right to
# left, the team's country on the map, and an atomic rewrite.

load helper

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
	ccc-failover -q heartbeat
	printf '%s\n' \
		'{"subject":"<script>alert(1)</script> bomb threat","body":"Bomb threat at the airport of Casablanca, explosives","language":"en"}' \
		'{"subject":"طلب معلومات عن جواز سفر مسروق","body":"طلب معلومات عن جواز سفر مسروق","language":"ar"}' \
		'{"subject":"Routine query","body":"please confirm receipt"}' |
		ccc-intake -q --source t | ccc-triage -q >/dev/null
	ccc-deploy -q staff add s-1 --name 'Claire Martin' --home lyon --lang fr:native \
		--skill team_lead --training irt_readiness:2027-12-31 --passport 2032-01-01 >/dev/null
	ccc-deploy -q plan --kind irt --for INC-1 --country MA --from 2026-11-19 --to 2026-11-25 --size 1 >/dev/null
	ccc-deploy -q approve plan-lyon-1 >/dev/null
	sql "INSERT INTO cases(id, n, kind, status, title, owner, record, updated_at) VALUES
		('case-lyon-1', 1, 'incident', 'open', 'Flood in Rabat <b>', 'MA', '{}', '2026-11-20T08:00:00Z'),
		('case-lyon-2', 2, 'operation', 'closed', 'Old operation', 'FR', '{}', '2026-11-01T08:00:00Z')"
	export CCC_NOW=2026-11-20T13:00:00Z
	BOARD=$BATS_TEST_TMPDIR/wall/board.html
	mkdir -p "$BATS_TEST_TMPDIR/wall"
}

# chromium_run ARGS... FILE: headless Chromium on FILE, its log on stderr.
chromium_run() {
	command -v chromium >/dev/null || skip "chromium is not installed (tests/deps.sh)"
	local file=${*: -1}
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--no-first-run --user-data-dir="$BATS_TEST_TMPDIR/chromium" \
		--enable-logging=stderr --v=0 "${@:1:$#-1}" "file://$file"
}

@test "the board renders in headless Chromium: a screenshot that is not blank, and no console message" {
	ccc-board -o "$BOARD"
	chromium_run --window-size=1280,1000 --screenshot="$BATS_TEST_TMPDIR/shot.png" "$BOARD" \
		2>"$BATS_TEST_TMPDIR/log" >/dev/null
	read -r w h colours top < <(python3 "$ROOT/tests/png-colours.py" "$BATS_TEST_TMPDIR/shot.png")
	assert_equal "$w x $h" "1280 x 1000"
	# a blank page is one colour; the board has text, a map and red rows
	[ "$colours" -gt 200 ] || fail "only $colours colours in the screenshot"
	[ "$top" -lt 80 ] || fail "one colour covers $top% of the screenshot"
	run grep -E ':CONSOLE|Uncaught|Refused to' "$BATS_TEST_TMPDIR/log"
	assert_failure 1
	assert_output ''
}

@test "the console check sees a console message and a blank page (the checks can fail)" {
	printf '<!DOCTYPE html><html><head><title>x</title></head><body><script>console.error("boom")</script></body></html>' >"$BATS_TEST_TMPDIR/bad.html"
	chromium_run --window-size=320,200 --screenshot="$BATS_TEST_TMPDIR/bad.png" "$BATS_TEST_TMPDIR/bad.html" \
		2>"$BATS_TEST_TMPDIR/log" >/dev/null
	run grep -c ':CONSOLE' "$BATS_TEST_TMPDIR/log"
	assert_output 1
	run python3 "$ROOT/tests/png-colours.py" "$BATS_TEST_TMPDIR/bad.png"
	assert_output '320 200 1 100'
}

@test "the board is valid HTML: html5lib in strict mode and tidy find nothing" {
	ccc-board -o "$BOARD"
	[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import html5lib' 2>/dev/null ||
		skip "python3-html5lib is not installed (tests/deps.sh)"
	run /usr/bin/python3 -c 'import sys, html5lib; html5lib.HTMLParser(strict=True).parse(open(sys.argv[1], "rb").read())' "$BOARD"
	assert_success
	assert_output ''
	run tidy -e -q "$BOARD"
	assert_success
	assert_output ''
	# the validator does fail on a broken page
	printf '<!DOCTYPE html><html><head><title>x</title></head><body><p></div></body></html>' >"$BATS_TEST_TMPDIR/bad.html"
	run /usr/bin/python3 -c 'import sys, html5lib; html5lib.HTMLParser(strict=True).parse(open(sys.argv[1], "rb").read())' "$BATS_TEST_TMPDIR/bad.html"
	assert_failure
	assert_output --partial 'End tag (div) seen too early'
}

@test "the board is self-contained: no script, and nothing fetched from outside" {
	run ccc-board
	assert_success
	refute_output --partial '<script'
	refute_output --regexp '(src|href)='
	refute_output --partial 'url('
	refute_output --partial '@import'
	assert_line '<meta http-equiv="refresh" content="60">'
	run ccc-board --refresh 15
	assert_line '<meta http-equiv="refresh" content="15">'
}

@test "a hostile subject and title appear as text; Arabic is right to left" {
	run ccc-board
	assert_success
	assert_output --partial '<td dir="auto">&lt;script&gt;alert(1)&lt;/script&gt; bomb threat</td>'
	assert_output --partial '<td dir="auto">Flood in Rabat &lt;b&gt;</td>'
	refute_output --partial '<script>alert'
	assert_output --partial '<td dir="rtl" lang="ar">طلب معلومات عن جواز سفر مسروق</td>'
}

@test "the queue is by priority with the time left, overdue red; open cases only; sites and duty" {
	run ccc-board
	assert_output --partial '<h2>Queue: 3 open, 1 overdue</h2>'
	assert_output --regexp '<tr class="overdue"><td class="P2">P2</td><td>msg-lyon-1</td>.*<td class="left">-3h 00m overdue</td>'
	assert_output --regexp '<td class="P3">P3</td><td>msg-lyon-2</td>.*<td class="left">4h 00m</td>'
	assert_output --partial 'case-lyon-1'
	refute_output --partial 'case-lyon-2'
	assert_output --regexp '<tr><td>lyon \(this site\)</td><td class="primary">primary</td><td>1</td>'
	assert_output --regexp '<tr><td>buenos-aires</td><td class="none">not known to this store</td>'
	assert_output --regexp '<tr><td>lyon</td><td>Fri 14:00</td><td class="primary">on duty</td>'
	assert_output --regexp '<tr><td>singapore</td><td>Fri 21:00</td><td class="none">off</td>'
	assert_output --partial 'No shift plan in this store (ccc-duty plan load)'
}

@test "with a shift plan in the store, who is on duty comes from it (ccc-duty)" {
	ccc-duty -q plan load "$ROOT/examples/duty-plan.ndjson"
	run ccc-board
	assert_success
	refute_output --partial 'No shift plan in this store'
	assert_output --regexp '<tr><td>lyon</td><td>lyon-day</td><td>2026-11-20 07:00\+01:00 &#8211; 2026-11-20 19:00\+01:00</td><td class="primary">on duty: [^<]+</td>'
	assert_output --regexp '<tr><td>buenos-aires</td><td>buenos-aires-day</td><td>[^<]*</td><td class="none">next: '
	refute_output --regexp '<td>singapore</td><td>singapore-day</td>'
}

@test "the team's country is highlighted and marked on the map" {
	run ccc-board
	assert_output --partial '<h2>Teams in the field: 1</h2>'
	assert_output --regexp '<path class="field" d="M[^"]*"><title>Morocco</title></path>'
	assert_equal "$(grep -c '<path class="field"' <<<"$output")" 1
	assert_output --regexp '<circle class="pin" cx="[0-9]+" cy="[0-9]+" r="5"/><text class="pin-label" x="[0-9]+" y="[0-9]+">Morocco</text>'
	assert_output --partial '<td>Morocco (MA)</td>'
	# about 175 countries drawn
	n=$(grep -c '<path' <<<"$output")
	[ "$n" -gt 170 ] || fail "$n countries"
}

@test "-o rewrites the file atomically: a failed write leaves the old page whole" {
	ccc-board -o "$BOARD"
	cp "$BOARD" "$BATS_TEST_TMPDIR/before.html"
	ccc-deploy -q recall dep-lyon-1 --reason test >/dev/null
	# a file size limit of 40 KiB (the store opens, the page of 50 KiB does not fit)
	run bash -c 'trap "" XFSZ; ulimit -f 40; ccc-board -o "$1"' _ "$BOARD"
	assert_failure 74
	assert_output --partial "ccc-board: cannot write '$BOARD': File too large (left as it was)"
	cmp "$BOARD" "$BATS_TEST_TMPDIR/before.html"
	run ls -A "$BATS_TEST_TMPDIR/wall"
	assert_output board.html
	run ccc-board -o "$BOARD"
	assert_success
	run grep -c 'Teams in the field: 0' "$BOARD"
	assert_output 1
}

@test "-o into a folder that does not exist is a clear error (73)" {
	run ccc-board -o "$BATS_TEST_TMPDIR/nowhere/board.html"
	assert_failure 73
	assert_output "ccc-board: cannot write '$BATS_TEST_TMPDIR/nowhere/board.html': folder '$BATS_TEST_TMPDIR/nowhere' does not exist"
	run ccc-board extra
	assert_failure 64
	run ccc-board --refresh soon
	assert_failure 64
	assert_output --partial "--refresh: 'soon' is not a number of seconds"
}
