#!/usr/bin/env bats
# Issue 13, attacks through e-mail and what a terminal shows: a record larger
# than the next program reads (13), a multipart nested past the depth limit
# (14), and escape sequences in what tables and warnings print (15).

load helper

setup() {
	common_setup
	init_store
}

# mail FILE SUBJECT: the head of an e-mail, ready for its body.
mail_head() {
	printf 'From: ncb@example.fr\nTo: ops@example.org\nSubject: %s\nMessage-ID: <%s@example.fr>\nDate: Fri, 4 Dec 2026 10:00:00 +0000\n\n' "$2" "$3" >"$1"
}

@test "attack 13: a 40 MB body goes through intake, triage and check; the record fits and the whole body is kept" {
	mail_head "$BATS_TEST_TMPDIR/big.eml" 'big report' big1
	{
		printf 'Passport number 12AB34567 seen at the border.\n'
		head -c 40000000 /dev/zero | tr '\0' 'a' | fold -w 76
	} >"$BATS_TEST_TMPDIR/body.txt"
	cat "$BATS_TEST_TMPDIR/body.txt" >>"$BATS_TEST_TMPDIR/big.eml"
	ccc-intake "$BATS_TEST_TMPDIR/big.eml" | ccc-triage | ccc-check >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	assert_equal "${PIPESTATUS[*]}" "0 0 0"
	assert_equal "$(sql 'SELECT count(*) FROM rejects')" 0
	run jq -c '[.id, .triage.priority != null, .checks[0].query.number, .truncated[0].field, .truncated[0].kept, (.body | length), (.body | endswith("…"))]' "$BATS_TEST_TMPDIR/out"
	assert_output '["msg-lyon-1",true,"12AB34567","body",65536,65537,true]'
	# every line, emitted and stored, is under the shared limit
	assert [ "$(wc -L <"$BATS_TEST_TMPDIR/out")" -lt 1048576 ]
	assert [ "$(sql 'SELECT max(length(record)) FROM messages')" -lt 1048576 ]
	# the whole body is kept, under the sha256 the record names
	sum=$(jq -r '.truncated[0].sha256' "$BATS_TEST_TMPDIR/out")
	size=$(jq -r '.truncated[0].size' "$BATS_TEST_TMPDIR/out")
	ccc-store attachment "$sum" >"$BATS_TEST_TMPDIR/whole"
	assert_equal "$(sha256sum <"$BATS_TEST_TMPDIR/whole" | cut -d' ' -f1)" "$sum"
	assert_equal "$(wc -c <"$BATS_TEST_TMPDIR/whole")" "$size"
	# byte for byte as it was sent
	cmp "$BATS_TEST_TMPDIR/body.txt" "$BATS_TEST_TMPDIR/whole"
	run ccc-store verify
	assert_success
	run ccc-store attachment "$(printf '%064d' 0)"
	assert_failure 1
	assert_output --partial "no attachment 0000"
}

@test "attack 13: a batch holding a 40 MB body and a batch of three 20 MB bodies ship to a standby, which verifies" {
	for i in 1 2 3 4; do
		mail_head "$BATS_TEST_TMPDIR/m$i.eml" "report $i" "m$i"
		head -c $((i == 1 ? 40000000 : 20000000)) /dev/zero | tr '\0' "$i" | fold -w 76 >>"$BATS_TEST_TMPDIR/m$i.eml"
	done
	ccc-intake -q "$BATS_TEST_TMPDIR/m1.eml" >/dev/null
	# three in one stream: the batch is committed before its entry grows past
	# what one line can ship (48 MiB of changes), so they take two entries
	for i in 2 3 4; do
		{ printf 'From ncb@example.fr Fri Dec  4 10:00:00 2026\n'; cat "$BATS_TEST_TMPDIR/m$i.eml"; echo; } >>"$BATS_TEST_TMPDIR/all.mbox"
	done
	before=$(ccc-failover position)
	ccc-intake -q --input-format mbox "$BATS_TEST_TMPDIR/all.mbox" >/dev/null
	assert [ "$(ccc-failover position)" -ge $((before + 2)) ]
	assert [ "$(sql 'SELECT max(length(changeset)) FROM journal')" -lt $((64 << 20)) ]
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	ccc-store trust add -q buenos-aires "$(ccc-store --store "$BUE" keys | jq -r .key)"
	run ccc-failover ship --via "ccc-failover --store '$BUE'"
	assert_success
	assert_equal "$(ccc-failover --store "$BUE" position)" "$(ccc-failover position)"
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM attachments')" 4
	run ccc-store --store "$BUE" verify
	assert_success
}

@test "attack 13: a 10 MB subject is cut at 998 bytes with the cut marked, and kept whole" {
	long=$(head -c 10000000 /dev/zero | tr '\0' 's')
	mail_head "$BATS_TEST_TMPDIR/subj.eml" "urgent $long" subj1
	echo 'stolen passport reported' >>"$BATS_TEST_TMPDIR/subj.eml"
	ccc-intake "$BATS_TEST_TMPDIR/subj.eml" | ccc-triage | ccc-check >"$BATS_TEST_TMPDIR/out"
	assert_equal "${PIPESTATUS[*]}" "0 0 0"
	run jq -c '[(.subject | utf8bytelength), (.subject | endswith("s…")), .truncated[0].field, .truncated[0].size, .truncated[0].kept, .body]' "$BATS_TEST_TMPDIR/out"
	assert_output '[998,true,"subject",10000007,995,"stolen passport reported"]'
	sum=$(jq -r '.truncated[0].sha256' "$BATS_TEST_TMPDIR/out")
	assert_equal "$(ccc-store attachment "$sum" | sha256sum | cut -d' ' -f1)" "$sum"
	assert_equal "$(ccc-store attachment "$sum")" "urgent $long"
}

@test "attack 13: the record limit is one number: CCC_MAX_LINE sets what intake writes and what triage reads" {
	export CCC_MAX_LINE=64K
	{
		printf 'From: ncb@example.fr\nTo: '
		seq -f 'officer%g@example.org' 3000 | paste -sd, -
		printf 'Subject: many\nMessage-ID: <many@example.fr>\n\n'
		head -c 200000 /dev/zero | tr '\0' 'b'
	} >"$BATS_TEST_TMPDIR/many.eml"
	ccc-intake "$BATS_TEST_TMPDIR/many.eml" | ccc-triage >"$BATS_TEST_TMPDIR/out"
	assert_equal "${PIPESTATUS[*]}" "0 0"
	assert [ "$(wc -L <"$BATS_TEST_TMPDIR/out")" -lt 65536 ]
	run jq -c '[.truncated[] | .field], has("to"), (.body | utf8bytelength) < 49152' "$BATS_TEST_TMPDIR/out"
	assert_output $'["body","to"]\nfalse\ntrue'
	sum=$(jq -r '.truncated[1].sha256' "$BATS_TEST_TMPDIR/out")
	assert_equal "$(ccc-store attachment "$sum" | jq -r 'length, .[2999]')" $'3000\nofficer3000@example.org'
	run env CCC_MAX_LINE=lots ccc-triage queue
	assert_failure 64
	assert_output --partial "CCC_MAX_LINE: 'lots' is not a size"
}

@test "attack 13: a value kept apart is journaled: editing it behind the store's back fails verify" {
	subject=$(printf 'S%.0s' $(seq 1200))
	jq -nc --arg s "$subject" '{source: "ncb:fr", external_id: "FR-7", subject: $s}' | ccc-intake >/dev/null
	assert_equal "$(sql 'SELECT count(*), sum(size) FROM attachments')" "1|1200"
	run ccc-store verify
	assert_success
	sql "UPDATE attachments SET data = 'forged'"
	run ccc-store verify
	assert_failure 65
	assert_output --partial "attachments"
}

# nested FILE DEPTH: a message whose body is DEPTH multiparts deep, the
# passport number in the innermost text part.
nested() {
	local f=$1 depth=$2 i
	{
		printf 'From: ncb@example.es\nTo: ops@example.org\nSubject: nested %d\nMessage-ID: <nest%d@example.es>\nDate: Fri, 4 Dec 2026 10:00:00 +0000\nMIME-Version: 1.0\n' "$depth" "$depth"
		printf 'Content-Type: multipart/mixed; boundary="b1"\n\n'
		for ((i = 1; i < depth; i++)); do
			printf -- '--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n\n' "$i" "$((i + 1))"
		done
		printf -- '--b%d\nContent-Type: text/plain\n\nPassport number XK4471209 used in Madrid.\n' "$depth"
		for ((i = depth; i >= 1; i--)); do
			printf -- '--b%d--\n' "$i"
		done
	} >"$f"
}

@test "attack 14: a multipart nested 24 levels deep is rejected with the reason, kept whole, and the stream goes on" {
	nested "$BATS_TEST_TMPDIR/deep.eml" 24
	nested "$BATS_TEST_TMPDIR/ok.eml" 3
	run ccc-intake "$BATS_TEST_TMPDIR/deep.eml" "$BATS_TEST_TMPDIR/ok.eml"
	assert_failure 65
	assert_line --partial "deep.eml:1: email: multipart nested deeper than 20 levels"
	# the other message went on, its passport found
	assert_line --regexp '"subject":"nested 3".*"number":"XK4471209"'
	assert_equal "$(sql 'SELECT count(*) FROM messages')" 1
	# never stored half: the rejected one is kept whole, passport included
	assert_equal "$(sql "SELECT reason FROM rejects")" "email: multipart nested deeper than 20 levels"
	assert_equal "$(sql "SELECT raw_sha256 FROM rejects")" "$(sha256sum <"$BATS_TEST_TMPDIR/deep.eml" | cut -d' ' -f1)"
	run sql "SELECT instr(raw, 'XK4471209') > 0 FROM rejects"
	assert_output 1
}

@test "attack 14: a multipart nested 20 levels deep, the limit, is read to its innermost body" {
	nested "$BATS_TEST_TMPDIR/twenty.eml" 20
	run ccc-intake "$BATS_TEST_TMPDIR/twenty.eml"
	assert_success
	assert_equal "$(jq -r '.entities[0].number, .body' <<<"$output")" $'XK4471209\nPassport number XK4471209 used in Madrid.'
}

# tty CMD...: run a command on a pseudo-terminal (so tables are printed).
tty() {
	script -qec "$*" /dev/null
}

# no_controls FILE: no raw ESC, BEL, C1 CSI or right-to-left override in FILE.
no_controls() {
	assert_equal "$(grep -c $'\e' "$1")" 0
	assert_equal "$(grep -c $'\a' "$1")" 0
	assert_equal "$(grep -c $'\u202e' "$1")" 0
	assert_equal "$(grep -c $'\u009b' "$1")" 0
}

@test "attack 15: escape sequences in a subject and in --as are shown, not sent, by the queue table and the journal" {
	printf '{"source":"ncb:fr","external_id":"x1","subject":"\\u001b[2Jwanted \\u202eevil\\u009b31m","body":"passport 12AB34567"}\n' |
		ccc-intake --as $'\e]0;pwn\a' | ccc-triage --as $'\e]0;pwn\a' >/dev/null
	ccc-triage take msg-lyon-1 --as $'\e]0;pwn\a'
	tty ccc-triage queue >"$BATS_TEST_TMPDIR/queue"
	no_controls "$BATS_TEST_TMPDIR/queue"
	run cat "$BATS_TEST_TMPDIR/queue"
	assert_output --partial '\u001b[2Jwanted \u202eevil\u009b31m'
	assert_output --partial '\u001b]0;pwn\u0007'
	tty ccc-store log >"$BATS_TEST_TMPDIR/log"
	no_controls "$BATS_TEST_TMPDIR/log"
	assert_equal "$(grep -c 'pwn' "$BATS_TEST_TMPDIR/log")" 3
	# on a pipe the record is unchanged: JSON, whose escapes mean the same characters
	run ccc-triage queue
	assert_equal "$(jq -r .subject <<<"$output")" $'\e[2Jwanted \u202eevil\u009b31m'
}

@test "attack 15: warnings that echo input show its controls" {
	run ccc-intake --source t <<<$'{"body":"x","language":"\\u001b]0;pwn\\u0007"}'
	assert_failure 65
	assert_output --partial $'is not an ISO 639-1 code'
	assert_output --partial '\u001b]0;pwn\u0007'
	refute_output --partial $'\e'
	run ccc-triage take msg-lyon-$'\e[2J'
	refute_output --partial $'\e'
}

@test "attack 15: the site and staff tables show controls and cannot be given a forged row" {
	ccc-failover site add singapore "$(ccc-store keys | jq -r .key)" --region $'eu\e[31m\nlyon  fake-row' --via $'ssh \e]0;pwn\a sg'
	tty ccc-failover site list >"$BATS_TEST_TMPDIR/sites"
	no_controls "$BATS_TEST_TMPDIR/sites"
	run cat "$BATS_TEST_TMPDIR/sites"
	# the one table printer (table.h) shows a line break as a space: no row is made
	assert_output --partial 'eu\u001b[31m lyon  fake-row'
	assert_output --partial 'ssh \u001b]0;pwn\u0007 sg'
	refute_line --regexp '^lyon  fake-row'
	ccc-deploy staff add S-1 --name $'A \e]0;x\a\nS-9 forged' --home lyon >/dev/null
	tty ccc-deploy staff list >"$BATS_TEST_TMPDIR/staff"
	no_controls "$BATS_TEST_TMPDIR/staff"
	run cat "$BATS_TEST_TMPDIR/staff"
	assert_output --partial 'A \u001b]0;x\u0007 S-9'
	refute_line --regexp '^S-9'
}
