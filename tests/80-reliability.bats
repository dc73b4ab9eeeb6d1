#!/usr/bin/env bats
# Fault injection: kill -9 at random moments during intake, loading, notice
# publication and shipping; a full disk; a read-only store; eight writers and
# four readers on one store; random bytes over the store file. Each test that
# passes appends a line (fault, how, tries, result, this run's figures) to
# $CCC_RELIABILITY_LOG; the last test turns it into RELIABILITY.md and
# compares it with tests/RELIABILITY.md, so that page cannot drift.
#   CCC_FAULT_SEED=N        the random seed (default 8080; printed by each test)
#   CCC_CONTENTION_SECONDS  how long the writers and readers run (default 20; CI: 60)

load helper
bats_require_minimum_version 1.5.0

setup_file() {
	export CCC_RELIABILITY_LOG=${CCC_RELIABILITY_LOG:-$BUILD/reliability.tsv}
	mkdir -p "${CCC_RELIABILITY_LOG%/*}"
	: >"$CCC_RELIABILITY_LOG"
}

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
	SEED=${CCC_FAULT_SEED:-8080}
	RANDOM=$SEED
	echo "# seed $SEED (CCC_FAULT_SEED)" >&3
}

# reliability FAULT HOW TRIES RESULT FIGURES: this fault was tried and held.
reliability() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$CCC_RELIABILITY_LOG"
}

skipped() {
	printf 'skipped\t%s\n' "$1" >>"$CCC_RELIABILITY_LOG"
	skip "$1"
}

# msleep MAX: sleep a random number of milliseconds below MAX.
msleep() {
	sleep "$(printf '0.%03d' $((RANDOM % $1)))"
}

# killed_at MS CMD...: run CMD in a session of its own, kill the whole session
# with SIGKILL after a random number of milliseconds below MS, and return 0 when
# the kill landed (CMD was still running), 1 when CMD had ended before it.
killed_at() {
	local ms=$1 pid st=0
	shift
	setsid "$@" &
	pid=$!
	msleep "$ms"
	kill -9 -- "-$pid" 2>/dev/null || :
	wait "$pid" || st=$?
	[ "$st" = 137 ]
}

# verified [STORE]: ccc-store verify passes on STORE (default the site's).
verified() {
	run ccc-store --store "${1:-$CCC_STORE}" verify
	[ "$status" = 0 ] || fail "verify failed after $landed kills (seed $SEED): $output"
	assert_output --partial '"ok":true'
}

# kills N MS STEP [STORE]: call STEP TRY MS until N of its runs were killed
# mid-way (at most 3N tries), with ccc-store verify on STORE after each. STEP
# kills after a random 0..MS-1 ms; MS shrinks when a run ended before the kill,
# so the kills fall inside the runs whatever the build's speed.
kills() {
	local n=$1 ms=$2 step=$3 store=${4:-$CCC_STORE}
	landed=0 tries=0
	while [ "$landed" -lt "$n" ] && [ "$tries" -lt $((3 * n)) ]; do
		tries=$((tries + 1))
		if "$step" "$tries" "$ms"; then
			landed=$((landed + 1))
		elif [ "$ms" -gt 3 ]; then
			ms=$((ms * 2 / 3))
		fi
		verified "$store"
	done
	[ "$landed" = "$n" ] || fail "only $landed of $tries runs were still running at the kill"
}

# messages FILE ROUND COUNT: COUNT messages of ROUND, every 50th line broken.
messages() {
	seq 1 "$3" | awk -v r="$2" '{
		if ($1 % 50 == 0) printf "{\"external_id\":\"%s-%d\",\"body\": broken}\n", r, $1
		else printf "{\"external_id\":\"%s-%d\",\"body\":\"round %s message %d\"}\n", r, $1, r, $1
	}' >"$1"
}

intake_step() {
	killed_at "$2" ccc-intake -q --batch 5 --source t "$BATS_TEST_TMPDIR/in$((($1 - 1) % 60 + 1))" \
		>>"$BATS_TEST_TMPDIR/seen" 2>/dev/null
}

@test "kill -9 during intake, 60 times at random moments: verify passes after each, a rerun loses and duplicates nothing" {
	local i
	for i in $(seq 1 60); do
		messages "$BATS_TEST_TMPDIR/in$i" "r$i" 200
	done
	kills 60 150 intake_step
	# what the killed runs wrote downstream had been committed, once
	jq -r .id "$BATS_TEST_TMPDIR/seen" | sort >"$BATS_TEST_TMPDIR/seen.ids"
	assert_equal "$(uniq -d "$BATS_TEST_TMPDIR/seen.ids" | wc -l)" 0
	sql 'SELECT id FROM messages' | sort >"$BATS_TEST_TMPDIR/stored.ids"
	assert_equal "$(comm -23 "$BATS_TEST_TMPDIR/seen.ids" "$BATS_TEST_TMPDIR/stored.ids" | wc -l)" 0
	before=$(sql 'SELECT count(*) FROM messages')
	run ccc-intake -q --batch 5 --source t "$BATS_TEST_TMPDIR"/in*
	assert_failure 65
	assert_equal "${#lines[@]}" $((11760 - before))
	assert_equal "$(sql 'SELECT count(*) FROM messages')" 11760
	assert_equal "$(sql "SELECT count(DISTINCT json_extract(record, '$.external_id')) FROM messages")" 11760
	assert_equal "$(sql 'SELECT count(*) FROM rejects')" 240
	verified
	reliability "kill -9 during intake" \
		"ccc-intake --batch 5 over 200-line NDJSON files (1 line in 50 broken), SIGKILLed at a random moment of its run; ccc-store verify after each kill; then a rerun over all 60 files" \
		"60 kills" \
		"verify passed after every kill; every record written downstream before a kill had been stored, once; the rerun stored exactly the rest: 11,760 messages, 240 rejects, no duplicate" \
		"$tries runs to land 60 kills; $before messages stored before the rerun"
}

# documents FILE ROUND COUNT: COUNT stolen documents of ROUND.
documents() {
	seq 1 "$3" | awk -v r="$2" '{ printf "{\"number\":\"%s%06d\",\"country\":\"FR\",\"status\":\"stolen\"}\n", r, $1 }' >"$1"
}

load_step() {
	killed_at "$2" ccc-check load -q --batch 20 --db documents --owner FR \
		"$BATS_TEST_TMPDIR/docs$((($1 - 1) % 50 + 1))" 2>/dev/null
}

@test "kill -9 during ccc-check load, 50 times at random moments: verify passes after each, a reload is exact" {
	local i
	for i in $(seq 1 50); do
		documents "$BATS_TEST_TMPDIR/docs$i" "L$i" 200
	done
	kills 50 150 load_step
	before=$(sql 'SELECT count(*) FROM documents')
	run ccc-check load --batch 20 --db documents --owner FR "$BATS_TEST_TMPDIR"/docs*
	assert_success
	# what the killed runs had committed is stored as given already: not written again
	if [ "$before" -gt 0 ]; then
		assert_output "ccc-check: documents: $((10000 - before)) records loaded, $before unchanged, 0 rejected"
	else
		assert_output "ccc-check: documents: 10000 records loaded, 0 rejected"
	fi
	assert_equal "$(sql "SELECT count(*) FROM documents WHERE status = 'stolen' AND owner = 'FR'")" 10000
	run ccc-check -q --doc L50000200 --country FR
	assert_success
	verified
	reliability "kill -9 during ccc-check load" \
		"ccc-check load --batch 20 of 200-document files, SIGKILLed at a random moment of its run; ccc-store verify after each kill; then a reload of all 50 files" \
		"50 kills" \
		"verify passed after every kill; the reload left exactly 10,000 documents, each once, and checks find them" \
		"$tries runs to land 50 kills; $before documents stored before the reload"
}

# year_keys: how many keys of a token and a year of birth the store has
year_keys() {
	sql "SELECT count(*) FROM person_keys WHERE key GLOB '*@*'"
}

# reindex_midway: a reindex in batches of one person, SIGKILLed as soon as
# it has committed a batch more than the store had (polled); 0 when the
# kill landed before it ended
reindex_midway() {
	local pid st=0 before
	before=$(year_keys)
	setsid ccc-check -q reindex --batch 1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && [ "$(year_keys)" -le "$before" ]; do
		sleep 0.005
	done
	kill -9 -- "-$pid" 2>/dev/null || :
	wait "$pid" || st=$?
	[ "$st" = 137 ]
}

reindex_step() {
	killed_at "$2" ccc-check -q reindex --batch 2
}

@test "kill -9 during ccc-check reindex, 5 times part done and 10 at random moments: verify passes after each, a rerun completes the index" {
	old_store "$BATS_TEST_TMPDIR/old"
	# killed once it has written some of the keys: the index part done
	local k midway=0
	for k in 1 2 3 4 5; do
		if reindex_midway; then
			n=$(year_keys)
			[ "$n" -gt 0 ] && [ "$n" -lt 1198 ] && midway=$((midway + 1))
		fi
		landed=$k
		verified
	done
	assert [ "$midway" -ge 1 ]
	kills 10 400 reindex_step
	added=$(year_keys)
	run -0 ccc-check reindex
	assert_output --regexp "^ccc-check: persons: 401 read, $((1198 - added)) keys added to [0-9]+ of them\$"
	verified
	assert_equal "$(year_keys)" 1198
	# the index, and what is packed, as a load of the same persons makes them
	keys='SELECT key, id, sig FROM person_keys ORDER BY key, id'
	packed='SELECT key, packed FROM derived_key_counts WHERE packed <> 0 ORDER BY key'
	sql "$keys" >"$BATS_TEST_TMPDIR/reindexed"
	sql "$packed" >"$BATS_TEST_TMPDIR/reindexed-packed"
	export CCC_STORE=$BATS_TEST_TMPDIR/fresh.db
	init_store
	ccc-check load -q --db persons --owner FR "$FIXTURES/check/store-8db60b4/persons.ndjson"
	run -0 diff "$BATS_TEST_TMPDIR/reindexed" <(sql "$keys")
	run -0 diff "$BATS_TEST_TMPDIR/reindexed-packed" <(sql "$packed")
	reliability "kill -9 during ccc-check reindex" \
		"ccc-check reindex of a store the version before the year keys loaded (401 persons): 5 runs in batches of one person SIGKILLed once they had committed a batch, then 10 in batches of two SIGKILLed at a random moment; ccc-store verify after each kill; then a whole run" \
		"15 kills" \
		"verify passed after every kill; the last run added the keys left, and the index and its packs equal a fresh load's" \
		"$midway of the first 5 kills found the index part done; $tries runs to land the other 10; $added of 1,198 keys added by the killed runs"
}

# travellers: eight sets of 60 travellers (a given name and a year of birth
# a set, surnames made of syllables, none like another), each named in the
# MRZ of 10 messages taken in (4,800), and $BATS_TEST_TMPDIR/people$I for I
# in 1..90: the 60 of set I % 8 as persons of ids of their own (T$I-K).
travellers() {
	awk -v d="$BATS_TEST_TMPDIR" 'BEGIN {
		ns = split("BA KO RI MEN TAS LU DO FIR GAN HEL JU KAR", sy, " ")
		split("PIERRE JEAN MARC LUC PAUL HUGO YVES REMI", gn, " ")
		for (k = 0; k < 60; k++)
			s[k] = sy[k % ns + 1] sy[int(k / ns) % ns + 1] sy[(k * 7 + 3) % ns + 1] "SSON"
		for (t = 0; t < 8; t++)
			for (k = 0; k < 60; k++)
				for (j = 1; j <= 10; j++) {
					l1 = "P<FRA" s[k] "<<" gn[t + 1]
					while (length(l1) < 44) l1 = l1 "<"
					l2 = sprintf("%09d0FRA%02d01%02d0M3001010<<<<<<<<<<<<<<00", (t * 60 + k) * 10 + j, 60 + t, k % 28 + 1)
					printf "{\"type\":\"message\",\"source\":\"t\",\"external_id\":\"m%d-%d-%d\",\"origin_country\":\"FR\",\"received_at\":\"2026-11-19T10:00:00Z\",\"subject\":\"traveller\",\"body\":\"MRZ:\\n%s\\n%s\\n\"}\n", t, k, j, l1, l2
				}
		for (i = 1; i <= 90; i++)
			for (k = 0; k < 60; k++)
				printf "{\"id\":\"T%d-%d\",\"name\":\"%s %s\",\"dob\":\"19%02d-01-%02d\",\"owner\":\"FR\"}\n", i, k, gn[i % 8 + 1], s[k], 60 + i % 8, k % 28 + 1 >(d "/people" i)
	}' | ccc-intake -q >/dev/null
}

# rescreen_step TRY MS: load list TRY, killed at random; count the changes
# left noted for re-screening, and re-screen them (as an operator would, or
# the next load), so that what waits is never more than a list or two: a
# re-screening scores at most 16 changed persons a name, those named most
# like it, and the lists of one set name the same 60 persons alike.
rescreen_step() {
	local st=0
	killed_at "$2" ccc-check load -q --db persons "$BATS_TEST_TMPDIR/people$1" 2>/dev/null || st=1
	sql 'SELECT count(*) FROM rescreen_pending' >>"$BATS_TEST_TMPDIR/left"
	ccc-check -q rescreen
	return "$st"
}

@test "kill -9 during a list load's re-screening, 30 times: verify passes after each, a rerun raises every hit once" {
	local i
	travellers
	kills 30 300 rescreen_step
	noted=$(grep -cv '^0$' "$BATS_TEST_TMPDIR/left" || :)
	# each list loaded again, one at a time: what the kills left noted is
	# re-screened, and what they cut short before its commit is loaded now
	for i in $(seq 1 "$tries"); do
		ccc-check load -q --db persons "$BATS_TEST_TMPDIR/people$i"
	done
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_pending')" 0
	# every traveller of every list hit its 10 messages, once
	assert_equal "$(sql 'SELECT count(*) FROM persons')" $((tries * 60))
	assert_equal "$(sql 'SELECT count(*), count(DISTINCT ref) FROM rescreen_hits')" "$((tries * 600))|$((tries * 60))"
	assert_equal "$(sql 'SELECT count(*) FROM (SELECT ref FROM rescreen_hits GROUP BY ref HAVING count(*) = 10)')" $((tries * 60))
	assert_equal "$(sql "SELECT count(*) FROM queue_log WHERE action = 'rescreen'")" $((tries * 600))
	assert_equal "$(sql "SELECT count(*) FROM consultations WHERE db = 'rescreen'")" $((tries * 600))
	verified
	reliability "kill -9 during a load's re-screening" \
		"4,800 messages naming 480 travellers, 10 each; ccc-check load of a list of 60 of them (ids of its own each time), SIGKILLed at a random moment of its run; what it left noted re-screened by ccc-check rescreen, and ccc-store verify, after each kill; then each list loaded again" \
		"30 kills" \
		"verify passed after every kill; every traveller of every list hit each of its 10 messages once: no hit lost, none raised twice; nothing left noted" \
		"$tries runs to land 30 kills; $noted kills left changes noted for re-screening"
}

# publish CASE: bring alert CASE to published from wherever it stands.
publish() {
	local id st
	id=$(sql "SELECT id FROM notices WHERE json_extract(record, '$.case') = '$1'")
	if [ -z "$id" ]; then
		id=$(ccc-notice draft --kind alert --set threat="threat $1" --set description="case $1" \
			--set case="$1" --as a.martin | jq -r .id)
	fi
	st=$(sql "SELECT status FROM notices WHERE id = '$id'")
	if [ "$st" = draft ]; then
		ccc-notice review "$id" --as j.garcia >/dev/null
		st=$(sql "SELECT status FROM notices WHERE id = '$id'")
	fi
	if [ "$st" = reviewed ]; then
		ccc-notice publish "$id" --as j.garcia >/dev/null
	fi
}

notice_step() {
	killed_at "$2" bash -c "publish K$((($1 - 1) % 40 + 1))" 2>/dev/null
}

@test "kill -9 during notice draft, review and publication, 40 times: verify passes after each, finishing leaves each notice published once" {
	local i
	export -f publish sql
	kills 40 150 notice_step
	partial=$(sql "SELECT count(*) FROM notices WHERE status <> 'published'")
	for i in $(seq 1 40); do
		publish "K$i"
	done
	assert_equal "$(sql 'SELECT count(*) FROM notices')" 40
	assert_equal "$(sql "SELECT count(DISTINCT json_extract(record, '$.case')) FROM notices")" 40
	assert_equal "$(sql "SELECT count(*) FROM notices WHERE status = 'published'")" 40
	assert_equal "$(sql 'SELECT count(DISTINCT control) FROM notices')" 40
	assert_equal "$(sql "SELECT count(*) FROM notice_log WHERE action = 'publish'")" 40
	assert_equal "$(sql "SELECT count(*) FROM notice_log WHERE action = 'draft'")" 40
	verified
	reliability "kill -9 during notice publication" \
		"ccc-notice draft, review and publish of an alert, the session SIGKILLed at a random moment; ccc-store verify after each kill; then each of the 40 alerts finished from the state it was left in" \
		"40 kills" \
		"verify passed after every kill; 40 alerts, each drafted once and published once, with 40 distinct control numbers" \
		"$tries runs to land 40 kills; $partial alerts left unpublished by the kills"
}

ship_step() {
	messages "$BATS_TEST_TMPDIR/in" "s$1" 100
	ccc-intake -q --batch 2 --source t "$BATS_TEST_TMPDIR/in" >/dev/null 2>&1 || :
	killed_at "$2" sh -c 'ccc-failover export --since "$(ccc-failover --store "$BUE" position)" |
		ccc-failover --store "$BUE" import --batch 1 >/dev/null' 2>/dev/null
}

@test "kill -9 during shipping to a standby, 50 times: the standby verifies after each and ends at the primary's position" {
	export BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	kills 50 150 ship_step "$BUE"
	verified
	before=$(ccc-failover --store "$BUE" position)
	ccc-failover export --since "$before" | ccc-failover --store "$BUE" import >/dev/null
	assert_equal "$(ccc-failover --store "$BUE" position)" "$(ccc-failover position)"
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*), count(DISTINCT hash), max(seq) FROM journal')" \
		"$(sql 'SELECT count(*), count(DISTINCT hash), max(seq) FROM journal')"
	assert_equal "$(sqlite3 "$BUE" 'SELECT count(*) FROM messages')" $((tries * 98))
	assert_equal "$(sqlite3 "$BUE" 'SELECT group_concat(record) FROM messages ORDER BY n')" \
		"$(sql 'SELECT group_concat(record) FROM messages ORDER BY n')"
	verified "$BUE"
	reliability "kill -9 during shipping" \
		"100 new messages taken in at the primary, then ccc-failover export | ccc-failover import --batch 1 to a standby, the pipeline SIGKILLed at a random moment; ccc-store verify on the standby after each kill; then one more shipping" \
		"50 kills" \
		"the standby verified after every kill; it ended at the primary's position with the same journal and the same messages, none twice" \
		"$tries runs to land 50 kills; standby at seq $before of $(ccc-failover position) before the last shipping"
}

@test "a full disk: intake exits 74 naming the problem, nothing partial is visible, and the stream resumes once space is freed" {
	[ "$(id -u)" = 0 ] || skipped "full disk: mounting a tmpfs needs root"
	mkdir "$BATS_TEST_TMPDIR/disk"
	mount -t tmpfs -o size=4m ccc-full "$BATS_TEST_TMPDIR/disk" ||
		skipped "full disk: cannot mount a tmpfs here"
	export CCC_STORE=$BATS_TEST_TMPDIR/disk/lyon.db
	init_store
	messages "$BATS_TEST_TMPDIR/in" full 10000
	run --separate-stderr ccc-intake --batch 100 --source t "$BATS_TEST_TMPDIR/in"
	full_status=$status
	full_err=$stderr
	written=${#lines[@]}
	stored=$(sql 'SELECT count(*) FROM messages')
	rejected=$(sql 'SELECT count(*) FROM rejects')
	run ccc-store verify
	verify_status=$status
	mount -o remount,size=64m "$BATS_TEST_TMPDIR/disk"
	run ccc-intake -q --batch 100 --source t "$BATS_TEST_TMPDIR/in"
	rerun_status=$status
	rerun_written=${#lines[@]}
	total=$(sql 'SELECT count(*) FROM messages')
	total_rejects=$(sql 'SELECT count(*) FROM rejects')
	umount "$BATS_TEST_TMPDIR/disk"
	assert_equal "$full_status" 74
	[[ $full_err == *"ccc-intake: store '$CCC_STORE': "*"database or disk is full"* ]] ||
		fail "no clear message on a full disk: $full_err"
	# some batches fit before the disk filled, not all
	[ "$stored" -gt 0 ] || fail "nothing was stored before the disk filled"
	[ "$stored" -lt 9800 ] || fail "everything was stored: the disk never filled"
	# what was written is exactly what was committed: no partial batch visible
	assert_equal "$written" "$stored"
	assert_equal "$verify_status" 0
	assert_equal "$rerun_status" 65
	assert_equal "$rerun_written" $((9800 - stored))
	assert_equal "$total" 9800
	assert_equal "$total_rejects" 200
	reliability "a full disk" \
		"the store on a 4 MB tmpfs; ccc-intake --batch 100 of 10,000 lines until the disk is full; ccc-store verify; the tmpfs remounted at 64 MB and the same input taken in again" \
		"1 run" \
		"exit 74 with 'database or disk is full' naming the store; the messages written downstream were exactly those committed; verify passed on the full disk; the rerun stored exactly the rest (9,800 messages, 200 rejects)" \
		"$stored messages stored when the disk filled"
}

@test "a read-only store: writers exit 73 naming the store, readers still work" {
	mkdir "$BATS_TEST_TMPDIR/ro"
	export CCC_STORE=$BATS_TEST_TMPDIR/ro/lyon.db
	init_store
	echo '{"body":"before"}' | ccc-intake -q --source t >/dev/null
	if [ "$(id -u)" = 0 ]; then
		# as on a live site, a reader holds the store open, so its -wal and
		# -shm files exist (SQLite cannot read a WAL store without them
		# from a read-only directory)
		mkfifo "$BATS_TEST_TMPDIR/holder"
		sqlite3 "$CCC_STORE" <"$BATS_TEST_TMPDIR/holder" >/dev/null &
		exec 9>"$BATS_TEST_TMPDIR/holder"
		echo 'BEGIN; SELECT count(*) FROM messages;' >&9
		for _ in $(seq 1 50); do [ -e "$CCC_STORE-shm" ] && break; sleep 0.05; done
		mount --bind "$BATS_TEST_TMPDIR/ro" "$BATS_TEST_TMPDIR/ro" &&
			mount -o remount,bind,ro "$BATS_TEST_TMPDIR/ro" ||
			skipped "read-only store: cannot make a read-only bind mount here"
		how="a read-only bind mount over the store's directory while the sqlite3 shell holds the store open"
	else
		chmod a-w "$BATS_TEST_TMPDIR/ro" "$CCC_STORE"
		how="the store and its directory made read-only with chmod"
	fi
	run --separate-stderr ccc-intake --source t <<<'{"body":"after"}'
	in_status=$status in_err=$stderr in_out=$output
	run --separate-stderr ccc-check load --db documents --owner FR <<<'{"number":"X1","country":"FR","status":"stolen"}'
	load_status=$status load_err=$stderr
	run --separate-stderr ccc-notice draft --kind alert --set threat=x --set description=y --as a.martin
	notice_status=$status notice_err=$stderr
	run ccc-store stats
	stats_status=$status stats_out=$output
	run ccc-store verify
	verify_status=$status verify_out=$output
	if [ "$(id -u)" = 0 ]; then
		exec 9>&-
		umount "$BATS_TEST_TMPDIR/ro"
	else
		chmod u+w "$BATS_TEST_TMPDIR/ro" "$CCC_STORE"
	fi
	assert_equal "$in_status" 73
	assert_equal "$in_out" ""
	[[ $in_err == "ccc-intake: store '$CCC_STORE': "*"readonly database"* ]] || fail "intake: $in_err"
	assert_equal "$load_status" 73
	[[ $load_err == *"ccc-check: store '$CCC_STORE': "*"readonly database"* ]] || fail "load: $load_err"
	assert_equal "$notice_status" 73
	[[ $notice_err == *"ccc-notice: store '$CCC_STORE': "*"readonly database"* ]] || fail "notice: $notice_err"
	assert_equal "$stats_status" 0
	assert_equal "$(jq -c '[.journal.entries, .tables.messages]' <<<"$stats_out")" '[2,1]'
	assert_equal "$verify_status" 0
	[[ $verify_out == *'"ok":true'* ]]
	assert_equal "$(sql 'SELECT count(*) FROM messages')" 1
	reliability "a read-only store" \
		"$how; ccc-intake, ccc-check load and ccc-notice draft tried to write; ccc-store stats and verify read" \
		"3 writers, 2 readers" \
		"each writer exited 73 with 'attempt to write a readonly database' naming the store and wrote nothing downstream; stats and verify worked and the store was unchanged" \
		""
}

@test "eight writers and four readers on one store: nothing lost, no busy error, verify passes" {
	local secs=${CCC_CONTENTION_SECONDS:-20} w r
	local end=$((SECONDS + secs))
	# writers: six intake streams of their own messages, two loads of their own documents
	for w in 1 2 3 4 5 6; do
		(
			k=0
			while [ "$SECONDS" -lt "$end" ]; do
				k=$((k + 1))
				messages "$BATS_TEST_TMPDIR/w$w" "w$w-$k" 300
				st=0
				ccc-intake -q --batch 25 --source t "$BATS_TEST_TMPDIR/w$w" >>"$BATS_TEST_TMPDIR/out$w" \
					2>>"$BATS_TEST_TMPDIR/err$w" || st=$?
				[ "$st" = 65 ] || { echo "exit $st" >>"$BATS_TEST_TMPDIR/err$w"; exit 1; }
				echo "$k" >"$BATS_TEST_TMPDIR/rounds$w"
			done
		) &
	done
	for w in 7 8; do
		(
			k=0
			while [ "$SECONDS" -lt "$end" ]; do
				k=$((k + 1))
				documents "$BATS_TEST_TMPDIR/w$w" "D$w-$k-" 500
				ccc-check load -q --batch 50 --db documents --owner FR "$BATS_TEST_TMPDIR/w$w" \
					2>>"$BATS_TEST_TMPDIR/err$w" ||
					{ echo "exit $?" >>"$BATS_TEST_TMPDIR/err$w"; exit 1; }
				echo "$k" >"$BATS_TEST_TMPDIR/rounds$w"
			done
		) &
	done
	# readers: statistics, document checks, the journal's export, the log
	for r in 1 2 3 4; do
		(
			k=0
			while [ "$SECONDS" -lt "$end" ]; do
				k=$((k + 1))
				case $r in
				1) ccc-store stats >/dev/null ;;
				2) ccc-check -q --doc D7-1-000001 --country FR; [ $? -le 1 ] ;;
				3) ccc-failover export --since "$((k * 7))" | tail -n 1 >/dev/null ;;
				4) ccc-store log --since "$((k * 5))" >/dev/null ;;
				esac 2>>"$BATS_TEST_TMPDIR/rerr$r" ||
					{ echo "reader $r: exit $?" >>"$BATS_TEST_TMPDIR/rerr$r"; exit 1; }
				echo "$k" >"$BATS_TEST_TMPDIR/reads$r"
			done
		) &
	done
	failed=0
	for job in $(jobs -p); do wait "$job" || failed=$((failed + 1)); done
	cat "$BATS_TEST_TMPDIR"/err? "$BATS_TEST_TMPDIR"/rerr? >&2 2>/dev/null || :
	assert_equal "$failed" 0
	run grep -il -e 'locked' -e 'busy' "$BATS_TEST_TMPDIR"/err? "$BATS_TEST_TMPDIR"/rerr?
	assert_output ""
	msgs=0 docs=0 reads=0
	for w in 1 2 3 4 5 6; do msgs=$((msgs + $(cat "$BATS_TEST_TMPDIR/rounds$w") * 294)); done
	for w in 7 8; do docs=$((docs + $(cat "$BATS_TEST_TMPDIR/rounds$w") * 500)); done
	for r in 1 2 3 4; do reads=$((reads + $(cat "$BATS_TEST_TMPDIR/reads$r"))); done
	assert_equal "$(sql 'SELECT count(*) FROM messages')" "$msgs"
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/out? | wc -l)" "$msgs"
	assert_equal "$(sql 'SELECT count(*) FROM documents')" "$docs"
	verified
	reliability "contention" \
		"6 ccc-intake and 2 ccc-check load writers of disjoint data, 4 readers (ccc-store stats, ccc-check, ccc-failover export, ccc-store log) in loops on one store for CCC_CONTENTION_SECONDS (60 in CI)" \
		"8 writers, 4 readers" \
		"every writer and reader exited as documented; no 'database is locked' or busy error; every message and document stored and written once; verify passed" \
		"${secs} s: $msgs messages, $docs documents, $reads reads"
}

# damage STORE OFFSET COUNT: write COUNT random bytes over STORE at OFFSET.
damage() {
	head -c "$3" /dev/urandom | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# fingerprint DB: what the store holds: its rows, schema, schema version and
# integrity (or SQLite's error).
fingerprint() {
	{
		sqlite3 "$1" 'PRAGMA integrity_check; PRAGMA user_version' &&
			sqlite3 "$1" .dump
	} 2>&1 | sha256sum
}

@test "random bytes over the store file are detected by verify, which never crashes" {
	local i off rc pages psz detected=0 harmless=0 header=0
	messages "$BATS_TEST_TMPDIR/in" c 2400
	ccc-intake -q --batch 40 --source t "$BATS_TEST_TMPDIR/in" >/dev/null 2>&1 || :
	ccc-check load -q --db documents --owner FR "$FIXTURES/check/documents.ndjson"
	sql 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	pages=$(sql 'PRAGMA page_count')
	psz=$(sql 'PRAGMA page_size')
	good=$(fingerprint "$CCC_STORE")
	for i in $(seq 1 60); do
		cp "$CCC_STORE" "$BATS_TEST_TMPDIR/c.db"
		if [ "$i" -le 10 ]; then
			off=$((RANDOM % 100)) # inside the 100-byte database header
			damage "$BATS_TEST_TMPDIR/c.db" "$off" 4
		else
			off=$(((RANDOM % (pages - 1) + 1) * psz + RANDOM % psz))
			damage "$BATS_TEST_TMPDIR/c.db" "$off" 64
		fi
		rc=0
		ccc-store --store "$BATS_TEST_TMPDIR/c.db" verify >"$BATS_TEST_TMPDIR/out" \
			2>"$BATS_TEST_TMPDIR/err" || rc=$?
		# 78: a header whose schema version is beyond this program's
		if [ "$rc" -ge 128 ] || ! [[ " 0 65 74 78 " == *" $rc "* ]]; then
			fail "corruption $i at byte $off: verify exited $rc: $(cat "$BATS_TEST_TMPDIR/err")"
		fi
		if [ "$(fingerprint "$BATS_TEST_TMPDIR/c.db")" = "$good" ]; then
			# the bytes fell on free space or an unused header field
			harmless=$((harmless + 1))
			continue
		fi
		[ "$rc" != 0 ] || fail "corruption $i at byte $off changed the store but verify passed"
		[ -s "$BATS_TEST_TMPDIR/err" ] || fail "corruption $i at byte $off: exit $rc without a message"
		detected=$((detected + 1))
		[ "$i" -gt 10 ] || header=$((header + 1))
	done
	[ "$detected" -ge 20 ]
	reliability "a corrupted store file" \
		"a store of 2,352 messages, 48 rejects and 5 documents copied 60 times; 4 random bytes over its 100-byte header (10 times) or 64 random bytes at a random offset in a random page (50 times); ccc-store verify on each copy" \
		"60 corruptions" \
		"verify never crashed (exit 0, 65, 74, or 78 for a schema version from the future); every corruption that changed a row, the schema, the header or the file's integrity was reported with a message and exit 65 or 74; bytes that changed nothing the store holds (free space, unused header fields) may verify" \
		"$detected detected ($header in the header), $harmless changed nothing the store holds"
}

@test "tests/RELIABILITY.md is what this run found" {
	[ -z "${CCC_RELIABILITY_UPDATE:-}" ] || skip "make reliability rewrites the page"
	if grep -q '^skipped' "$CCC_RELIABILITY_LOG"; then
		skip "some faults were skipped: $(grep '^skipped' "$CCC_RELIABILITY_LOG" | cut -f 2 | paste -sd ';')"
	fi
	sh "$ROOT/tests/reliability-report.sh" "$CCC_RELIABILITY_LOG" >"${CCC_RELIABILITY_LOG%.tsv}.md"
	run sh "$ROOT/tests/reliability-report.sh" --compare "$ROOT/tests/RELIABILITY.md" \
		"${CCC_RELIABILITY_LOG%.tsv}.md"
	assert_success
}
