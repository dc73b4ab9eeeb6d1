#!/usr/bin/env bats
# Correlation and re-screening: messages, checks and cases that name the same
# entity say so (also_in) and join their open incident; a notice published or
# a list loaded checks the recent messages again against what changed, once;
# messages about one incident make one queue item; silences hold back pages.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-12-04T10:00:00Z
}

# mrz_message EXT RECEIVED: a message from Sweden whose body holds the MRZ
# of Anna Maria Eriksson (the ICAO 9303 specimen), received at RECEIVED; its
# id on stdout
mrz_message() {
	jq -cn --arg e "$1" --arg r "$2" \
		'{type:"message", source:"ncb:se", external_id:$e, origin_country:"SE",
		  received_at:$r, subject:"traveller at the border",
		  body:"MRZ of the traveller:\nP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n"}' |
		ccc-intake -q | jq -r .id
}

# doc_message EXT SUBJECT: a French message naming passport 19AB45872
doc_message() {
	jq -cn --arg e "$1" --arg s "$2" \
		'{type:"message", source:"ncb:fr", external_id:$e, origin_country:"FR",
		  subject:$s, body:"the caller travels on passport no. 19AB45872"}' |
		ccc-intake -q | jq -r .id
}

# red_notice: draft, review and publish a red notice for Anna Maria Eriksson
# (three officers: four eyes); publish's stderr goes to $BATS_TEST_TMPDIR/publish.err
red_notice() {
	ccc-notice draft -q --kind red --name Eriksson --forename 'Anna Maria' --dob 1974-08-12 \
		--nationality SE --country SE --charge fraud --warrant W-1 --warrant-date 2026-01-02 \
		--authority 'Court of Stockholm' --as a.drafter --format ndjson >/dev/null
	ccc-notice review -q notice-lyon-1 --as b.reviewer --format ndjson >/dev/null
	ccc-notice publish notice-lyon-1 --as c.publisher --format ndjson "$@" \
		2>"$BATS_TEST_TMPDIR/publish.err" >/dev/null
}

@test "a published red notice re-screens earlier messages: the queue gets the item with its reason, and a rerun adds nothing" {
	id=$(mrz_message m1 2026-12-01T09:00:00Z)
	ccc-triage -q <<<"{\"type\":\"message\",\"id\":\"$id\"}" >/dev/null
	assert_equal "$(ccc-triage queue --format ndjson | jq -r .triage.priority)" P4
	red_notice
	run cat "$BATS_TEST_TMPDIR/publish.err"
	assert_output --partial "re-screen: $id now P1: new red notice A-1/2026 matches a name in $id of 3 days ago"
	run ccc-triage queue --format ndjson
	assert_equal "$(jq -r .triage.priority <<<"$output")" P1
	assert_equal "$(jq -r '.triage.reasons[-1]' <<<"$output")" \
		"rescreen: new red notice A-1/2026 matches a name in $id of 3 days ago (anna maria eriksson, score 1.00)"
	assert_equal "$(sql "SELECT action FROM queue_log WHERE action = 'rescreen'")" rescreen
	# triaged again, the message keeps what the re-screening found
	run -0 --separate-stderr ccc-triage <<<"{\"type\":\"message\",\"id\":\"$id\"}"
	assert_equal "$(jq -r '[.triage.priority, (.triage.reasons | length)] | @tsv' <<<"$output")" "$(printf 'P1\t2')"
	# the rerun of the publish, a renewal and a re-screen of the same list raise nothing new
	run ccc-notice publish notice-lyon-1 --as c.publisher --format ndjson
	assert_success
	refute_output --partial re-screen
	run ccc-notice renew notice-lyon-1 --as c.publisher --format ndjson
	assert_success
	refute_output --partial re-screen
	assert_equal "$(sql "SELECT count(*) FROM queue_log WHERE action = 'rescreen'")" 1
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_hits')" 1
	# the hit is in the consultation log, for the message
	assert_equal "$(sql "SELECT db || ' ' || item FROM consultations WHERE db = 'rescreen'")" "rescreen $id"
	run ccc-store verify
	assert_success
}

@test "a closed item a re-screen hits is opened again, with the hit in its log" {
	id=$(mrz_message m1 2026-12-03T10:00:00Z)
	ccc-triage -q <<<"{\"type\":\"message\",\"id\":\"$id\"}" >/dev/null
	ccc-triage -q close "$id" --reason 'nothing found'
	red_notice
	run ccc-triage show "$id" --format ndjson
	assert_equal "$(jq -r .queue.status <<<"$output")" open
	assert_equal "$(jq -r '[.log[].action] | join(" ")' <<<"$output")" "triaged close reopen retriaged rescreen"
}

@test "a list load re-screens only what changed: a person loaded before the message is not checked again" {
	# Eriksson is on the list before the message comes in
	echo '{"id":"SE-1","name":"Anna Maria ERIKSSON","dob":"1974-08-12","owner":"SE"}' |
		ccc-check load -q --db persons
	id=$(mrz_message m1 2026-12-04T09:00:00Z)
	# the list again, unchanged, with one new person who matches nobody
	printf '%s\n' '{"id":"SE-1","name":"Anna Maria ERIKSSON","dob":"1974-08-12","owner":"SE"}' \
		'{"id":"SE-2","name":"Lars Svensson","owner":"SE"}' >"$BATS_TEST_TMPDIR/list"
	run -0 ccc-check load -v --db persons "$BATS_TEST_TMPDIR/list"
	assert_output --partial 're-screen: 1 person, 0 documents and 0 vehicles changed, against the messages of the last 30 days: 0 hits, 0 new'
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_hits')" 0
	# Eriksson's entry changes (an alias): now she is checked again, and hits
	printf '%s\n' '{"id":"SE-1","name":"Anna Maria ERIKSSON","aliases":["Anna Eriks"],"dob":"1974-08-12","owner":"SE"}' \
		'{"id":"SE-2","name":"Lars Svensson","owner":"SE"}' >"$BATS_TEST_TMPDIR/list"
	run -0 ccc-check load --db persons "$BATS_TEST_TMPDIR/list"
	assert_output --partial "re-screen: $id now P2: changed person SE-1 of the persons list matches a name in $id of 1 hour ago"
	assert_output --partial 're-screen: 1 person, 0 documents and 0 vehicles changed'
	# a stolen document added: only the message naming it is hit
	doc=$(doc_message d1 'passport query')
	run -0 ccc-check load --db documents <<<'{"number":"19AB45872","country":"FR","status":"stolen","owner":"FR"}'
	assert_output --partial "re-screen: $doc now P2: new document 19AB45872 (FR, stolen) matches a document in $doc"
	refute_output --partial "re-screen: $id"
	run -0 ccc-check load --db documents <<<'{"number":"19AB45872","country":"FR","status":"stolen","owner":"FR"}'
	refute_output --partial re-screen
}

@test "messages received before --days are not re-screened" {
	old=$(mrz_message m-old 2026-10-20T10:00:00Z)
	new=$(mrz_message m-new 2026-11-20T10:00:00Z)
	red_notice --days 10
	run cat "$BATS_TEST_TMPDIR/publish.err"
	refute_output --partial re-screen
	echo '{"id":"SE-1","name":"Anna Maria ERIKSSON","owner":"SE"}' >"$BATS_TEST_TMPDIR/l"
	run -0 ccc-check load --db persons --days 20 "$BATS_TEST_TMPDIR/l"
	assert_output --partial "re-screen: 1 person, 0 documents and 0 vehicles changed, against the messages of the last 20 days: 1 hit, 1 new"
	assert_output --partial "in $new of 14 days ago"
	refute_output --partial "$old"
	run -64 ccc-check load --db persons --days -1 "$BATS_TEST_TMPDIR/l"
	assert_output --partial "--days: '-1' is not a number of days"
}

@test "correlated messages and checks say also_in, in NDJSON and in words" {
	one=$(doc_message d1 'first')
	two=$(doc_message d2 'second')
	run -0 --separate-stderr ccc-check --format ndjson <<<"{\"type\":\"message\",\"id\":\"$two\"}"
	assert_equal "$(jq -c .also_in <<<"$output")" "[\"$one\"]"
	run -0 ccc-check --doc '19ab 45872' --format ndjson
	assert_equal "$(jq -c .also_in <<<"$output")" "[\"$one\",\"$two\"]"
	run -0 ccc-check --doc '19ab 45872' --format table
	assert_output --partial "also in    $one, $two, check-"
	run -0 ccc-triage show "$one" --format table
	assert_line "also in $two, check-2, check-3"
	# a check of nothing anyone named says nothing of the kind
	run -0 ccc-check --doc ZZ0000001 --format ndjson
	assert_equal "$(jq -c .also_in <<<"$output")" null
	# a case that links one of them is named too
	ccc-case -q open --kind operation --title 'Operation Nord' --format ndjson >/dev/null
	ccc-case -q link case-lyon-1 "$one"
	run -0 ccc-triage show "$two" --format ndjson
	assert_equal "$(jq -c .also_in <<<"$output")" "[\"$one\",\"check-2\",\"check-3\",\"case-lyon-1\"]"
}

@test "a filter's document checks say also_in: earlier checks, in the same batch or not, and cases" {
	q() { printf '{"type":"query","id":"%s","doc":"%s","country":"FR"}\n' "$1" "$2"; }
	run -0 --separate-stderr ccc-check --format ndjson < <(q a '19ab 45872' && q b 19AB45872 && q c ZZ0000001)
	assert_equal "$(jq -c .also_in <<<"$output")" "$(printf 'null\n["check-1"]\nnull')"
	# a case that links the first check is named, and so are both checks
	ccc-case -q open --kind operation --title 'Operation Nord' --format ndjson >/dev/null
	ccc-case -q link case-lyon-1 check:1
	run -0 --separate-stderr ccc-check --format ndjson < <(q d 19AB45872 && q e ZZ0000002)
	assert_equal "$(jq -c .also_in <<<"$output")" "$(printf '["check-1","check-2","case-lyon-1"]\nnull')"
}

@test "a message that correlates with an open incident is linked to it and raised to its priority" {
	one=$(doc_message d1 'bomb threat at the station')
	ccc-triage -q --group 0 <<<"{\"type\":\"message\",\"id\":\"$one\"}" >/dev/null
	ccc-case -q open --kind incident --title 'Bomb threat Lyon' --format ndjson >/dev/null
	ccc-case -q link case-lyon-1 "$one"
	two=$(jq -cn '{type:"message", source:"ncb:es", external_id:"e2", origin_country:"ES",
		subject:"informacion", body:"pasaporte numero 19AB45872 visto en Madrid"}' |
		ccc-intake -q | jq -r .id)
	run -0 --separate-stderr ccc-triage --group 0 <<<"{\"type\":\"message\",\"id\":\"$two\"}"
	assert_equal "$(jq -r .triage.priority <<<"$output")" P1
	assert_equal "$(jq -r '.triage.reasons[-1]' <<<"$output")" \
		"incident case-lyon-1: correlates with $one (doc:19AB45872); raised from P4 to P1"
	run -0 ccc-case show case-lyon-1 --format ndjson
	assert_equal "$(jq -c '[.links[] | [.item, .reason]]' <<<"$output")" \
		"[[\"$one\",null],[\"$two\",\"correlates with $one (doc:19AB45872)\"]]"
	assert_equal "$(jq -r '.log[-1] | .action + " " + .detail' <<<"$output")" "link message:$two"
	# triaged again, it keeps the incident's priority
	run -0 --separate-stderr ccc-triage --group 0 <<<"{\"type\":\"message\",\"id\":\"$two\"}"
	assert_equal "$(jq -r .triage.priority <<<"$output")" P1
	run ccc-store verify
	assert_success
}

@test "a closed incident attracts no links" {
	one=$(doc_message d1 'bomb threat at the station')
	ccc-triage -q <<<"{\"type\":\"message\",\"id\":\"$one\"}" >/dev/null
	ccc-case -q open --kind incident --title 'Bomb threat Lyon' --format ndjson >/dev/null
	ccc-case -q link case-lyon-1 "$one"
	ccc-case -q close case-lyon-1 --format ndjson >/dev/null
	two=$(doc_message d2 'more on it')
	run -0 --separate-stderr ccc-triage --group 0 <<<"{\"type\":\"message\",\"id\":\"$two\"}"
	refute_output --partial incident
	assert_equal "$(sql "SELECT count(*) FROM case_links WHERE item = '$two'")" 0
}

@test "ten messages about one incident within minutes make one queue item, paged once" {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		jq -cn --arg i "$i" '{type:"message", source:"ncb:fr", external_id:("b" + $i),
			origin_country:"FR", subject:("bomb threat, report " + $i),
			body:"the caller travels on passport no. 19AB45872"}'
	done | ccc-intake -q | ccc-triage -q >/dev/null
	run -0 ccc-triage queue --format ndjson
	assert_equal "${#lines[@]}" 1
	assert_equal "$(jq -r '[.id, .queue.status, .queue.messages, (.queue.grouped | length)] | @tsv' <<<"$output")" \
		"$(printf 'msg-lyon-1\topen\t10\t9')"
	run -0 ccc-triage queue --format table
	assert_output --partial 'open (10 msgs)'
	run -0 ccc-triage queue --all --format ndjson
	assert_equal "$(jq -r .queue.status <<<"$output" | sort | uniq -c | tr -s ' ' | sed 's/^ //')" \
		"$(printf '9 grouped\n1 open')"
	assert_equal "$(ccc-triage show msg-lyon-5 --format ndjson | jq -r '.log[-1].detail')" \
		'into msg-lyon-1: shares doc:19AB45872 with msg-lyon-1'
	# two hours on, all ten are overdue: one page
	CCC_NOW=2026-12-04T12:00:00Z run -0 ccc-triage escalate --format ndjson
	assert_equal "${#lines[@]}" 1
	assert_equal "$(jq -r .id <<<"$output")" msg-lyon-1
	# --group 0: each its own item
	jq -cn '{type:"message", source:"ncb:fr", external_id:"b11", origin_country:"FR",
		subject:"bomb threat, report 11", body:"passport no. 19AB45872"}' |
		ccc-intake -q | ccc-triage -q --group 0 >/dev/null
	assert_equal "$(ccc-triage queue --format ndjson | wc -l)" 2
}

@test "a message joins the first received of those within minutes of it, across midnight, and none a day older" {
	at() { CCC_NOW=$1 doc_message "$2" "report $2" | CCC_NOW=$1 xargs -I{} jq -cn --arg i {} '{type:"message", id:$i}' |
		CCC_NOW=$1 ccc-triage -q >/dev/null; }
	at 2026-12-04T23:55:00Z a
	at 2026-12-04T23:57:00Z b
	at 2026-12-05T00:04:00Z c
	at 2026-12-06T00:04:00Z d
	at 2026-12-06T00:10:00Z e
	# c came 7 and 9 minutes after b and a: it joins a, received first; d,
	# a day on, leads its own; e joins d
	assert_equal "$(sql "SELECT n || ' ' || leader || ' ' || key FROM queue_groups ORDER BY n")" \
		"$(printf '%s\n' '2 1 shares doc:19AB45872 with msg-lyon-1' '3 1 shares doc:19AB45872 with msg-lyon-1' \
			'5 4 shares doc:19AB45872 with msg-lyon-4')"
	run -0 ccc-triage queue --format ndjson
	assert_equal "$(jq -r '[.id, .queue.messages] | @tsv' <<<"$output")" "$(printf 'msg-lyon-1\t3\nmsg-lyon-4\t2')"
}

@test "a silence holds back escalation pages, is journaled and listed, and expires" {
	jq -cn '{type:"message", source:"ncb:fr", external_id:"x1", origin_country:"FR",
		subject:"exercise: bomb threat", body:"drill at the airport"}' |
		ccc-intake -q | ccc-triage -q >/dev/null
	jq -cn '{type:"message", source:"ncb:es", external_id:"x2", origin_country:"ES",
		subject:"amenaza de bomba", body:"en el aeropuerto"}' |
		ccc-intake -q | ccc-triage -q >/dev/null
	run -0 ccc-triage silence --match 'text=EXERCISE,country=FR|BE' --until 2026-12-04T18:00:00Z \
		--reason 'airport drill' --format ndjson
	assert_equal "$(jq -r '[.id, .status, .ends_at, .created_by, .reason] | @tsv' <<<"$output")" \
		"$(printf 'silence-lyon-1\tactive\t2026-12-04T18:00:00Z\tduty-officer\tairport drill')"
	assert_equal "$(sql "SELECT count(*) FROM journal WHERE command LIKE 'ccc-triage silence %'")" 1
	run -0 ccc-triage silence list --format table
	assert_output --partial 'silence-lyon-1  active'
	# two hours on: both are escalated, only the one not silenced is paged
	CCC_NOW=2026-12-04T12:00:00Z run -0 ccc-triage escalate --format ndjson
	assert_equal "$(jq -r .id <<<"$output")" msg-lyon-2
	assert_equal "$(ccc-triage show msg-lyon-1 --format ndjson | jq -r '[.log[].action] | join(" ")')" \
		'triaged escalated silenced'
	assert_equal "$(ccc-triage show msg-lyon-1 --format ndjson | jq -r '.log[-1].detail')" \
		'page held back by silence-lyon-1'
	# expired, it pages again; a second expire is a rerun
	CCC_NOW=2026-12-04T12:30:00Z run -0 ccc-triage silence expire silence-lyon-1 --format ndjson
	assert_equal "$(jq -r '[.status, .expired_by] | @tsv' <<<"$output")" "$(printf 'expired\tduty-officer')"
	CCC_NOW=2026-12-04T12:31:00Z run -0 ccc-triage silence expire silence-lyon-1 --format ndjson
	assert_output --partial "silence 'silence-lyon-1' has expired already"
	CCC_NOW=2026-12-04T12:31:00Z run -0 ccc-triage silence list --format ndjson
	assert_output ''
	CCC_NOW=2026-12-04T12:31:00Z run -0 ccc-triage silence list --all --format ndjson
	assert_equal "$(jq -r .status <<<"$output")" expired
	CCC_NOW=2026-12-04T15:00:00Z run -0 ccc-triage escalate --format ndjson
	assert_equal "$(jq -r .id <<<"$output" | sort | tr '\n' ' ')" 'msg-lyon-1 msg-lyon-2 '
	# a silence that ends when it starts, an unknown field, an unknown id
	run -64 ccc-triage silence --match text=x --until 2026-12-01T00:00:00Z
	assert_output --partial 'would end before it starts'
	run -64 ccc-triage silence --match colour=red --until 1h
	assert_output --partial "'colour' is not FIELD=VALUE"
	run -66 ccc-triage silence expire silence-lyon-9
	assert_output --partial "silence 'silence-lyon-9' is not in store"
}

@test "verify finds an entity index that is not what the messages name" {
	doc_message d1 'passport query' >/dev/null
	run -0 ccc-store verify
	sql "DELETE FROM derived_entities"
	run -65 ccc-store verify
	assert_output --partial "table 'derived_entities': key 'doc:19AB45872 of msg-lyon-1' is not what the stored messages name"
}

# A document check and a name check that finds SE-1, by the filter.
check_document_and_person() {
	echo '{"id":"SE-1","name":"Anna Maria ERIKSSON","dob":"1974-08-12","owner":"SE"}' |
		ccc-check load -q --db persons
	printf '%s\n' '{"type":"query","id":"a","doc":"19ab 45872","country":"FR"}' \
		'{"type":"query","id":"e","name":"Anna Maria Eriksson","dob":"1974-08-12"}' >"$BATS_TEST_TMPDIR/q"
	run -0 --separate-stderr ccc-check --format ndjson "$BATS_TEST_TMPDIR/q"
}

@test "verify finds an entity index that is not what the checks of the consultation log name" {
	# an insider who takes a check's key out of the index takes the check
	# out of correlation; one who adds a key makes a check correlate with
	# what it never looked up: either is a key the log does not name
	check_document_and_person
	run -0 ccc-store verify
	c=$(sql "SELECT c FROM consultations WHERE db = 'persons'")
	sql "DELETE FROM derived_entities WHERE item = 'check-$c'"
	run -65 ccc-store verify
	assert_output --partial "table 'derived_entities': key 'person:SE-1 of check-$c' is not what the consultation log names"
	sql "INSERT INTO derived_entities VALUES ('person:SE-1', 'check-$c', '2026-12-04T09:00:00Z'),
		('person:XX-9', 'check-$c', '2026-12-04T09:00:00Z')"
	run -65 ccc-store verify
	assert_output --partial "table 'derived_entities': key 'person:XX-9 of check-$c' is not what the consultation log names"
	sql "DELETE FROM derived_entities WHERE key = 'person:XX-9'"
	run -0 ccc-store verify
}

@test "a store whose checks were logged before their entity keys gets the keys when a writer opens it, and verifies" {
	check_document_and_person
	keys=$(sql "SELECT key, item, at FROM derived_entities WHERE item LIKE 'check-%' ORDER BY 1, 2")
	assert_equal "$(wc -l <<<"$keys")" 2
	# the store as migration 22 left it, had its checks been logged before
	# the index, and a rejoin taken back a check whose key stayed behind
	sql "$(drop_since_24) DROP TRIGGER check_entities_out; DELETE FROM derived_entities WHERE item LIKE 'check-%';
		INSERT INTO derived_entities VALUES ('doc:GONE1', 'check-99', '2026-12-04T09:00:00Z');
		PRAGMA user_version = 22"
	run -0 --separate-stderr ccc-check --doc X1 --country FR
	assert_equal "$(sql 'PRAGMA user_version')" "$(latest_version)"
	assert_equal "$(sql "SELECT key, item, at FROM derived_entities WHERE item LIKE 'check-%' AND key <> 'doc:X1' ORDER BY 1, 2")" "$keys"
	run -0 ccc-store verify
}

@test "one batch that queues messages, groups them under one raised item and triages the leader again journals what the store holds; the leader keeps its raise" {
	# ccc-triage journals a first triage (the triage, the item, its log row)
	# itself, and the session records what later statements of the same
	# batch change in those rows: the grouping, the leader raised, the same
	# message triaged again
	for i in 1 2 3 4 5; do
		jq -cn --arg i "$i" '{type:"message", source:"ncb:fr", external_id:("g" + $i),
			origin_country:"FR", subject:("report " + $i),
			body:"the caller travels on passport no. 19AB45872"}'
	done | ccc-intake -q >"$BATS_TEST_TMPDIR/in"
	jq -cn '{type:"message", source:"ncb:fr", external_id:"g6", origin_country:"FR",
		subject:"bomb threat at the station, armed suspect",
		body:"the caller travels on passport no. 19AB45872"}' |
		ccc-intake -q >>"$BATS_TEST_TMPDIR/in"
	{ cat "$BATS_TEST_TMPDIR/in"; head -1 "$BATS_TEST_TMPDIR/in"; } |
		ccc-triage -q --batch 100 >/dev/null
	assert_equal "$(sql "SELECT count(*) FROM journal WHERE command LIKE 'ccc-triage%'")" 1
	assert_equal "$(sql "SELECT group_concat(status, ' ') FROM (SELECT status FROM queue ORDER BY n)")" \
		"open grouped grouped grouped grouped grouped"
	# the leader triaged again keeps what its most urgent message (a bomb
	# threat, P2) raised it to: its own triage (P4) does not hide it
	assert_equal "$(sql "SELECT priority || ' ' || due_at FROM queue WHERE n = 1")" \
		"P2 2026-12-04T11:00:00Z"
	assert_equal "$(sql "SELECT group_concat(action, ' ') FROM (SELECT action FROM queue_log
		WHERE n = 1 ORDER BY e)")" "triaged grouped grouped grouped grouped grouped"
	run -0 --separate-stderr ccc-triage < <(head -1 "$BATS_TEST_TMPDIR/in")
	assert_equal "$(jq -r .triage.priority <<<"$output")" P4
	assert_equal "$(sql "SELECT priority FROM queue WHERE n = 1")" P2
	run -0 ccc-store verify
	# the entry says what the store holds: a standby applying it holds the same
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	ccc-failover export --since 0 | ccc-failover --store "$BUE" import >/dev/null
	for q in 'SELECT * FROM queue ORDER BY n' 'SELECT * FROM queue_log ORDER BY e' \
		'SELECT * FROM queue_groups ORDER BY n' 'SELECT n, triage FROM messages ORDER BY n'; do
		assert_equal "$(sqlite3 "$BUE" "$q")" "$(sql "$q")"
	done
	run -0 ccc-store --store "$BUE" verify
	# each message's triage is in the journal once, as an update of its row
	run -0 ccc-store log --format ndjson
	assert_equal "$(jq -s '[.[-1].changes[] | select(.table == "messages")] | length' <<<"$output")" 6
}

@test "a standby that imports the journal has the same entity index, and answers also_in alike" {
	one=$(doc_message d1 'first')
	two=$(doc_message d2 'second')
	ccc-check --doc 19AB45872 --format ndjson >/dev/null
	BUE=$BATS_TEST_TMPDIR/bue.db
	ccc-store --store "$BUE" init -q --standby --site buenos-aires
	ccc-store --store "$BUE" trust add -q lyon "$(ccc-store keys | jq -r .key)"
	ccc-failover export --since 0 | ccc-failover --store "$BUE" import >/dev/null
	# the same keys, items and times, whether the triggers wrote them or
	# the import derived them from the messages an entry inserts
	q='SELECT key, item, at FROM derived_entities ORDER BY 1, 2'
	assert_equal "$(sqlite3 "$BUE" "$q")" "$(sql "$q")"
	assert_equal "$(sqlite3 "$BUE" "SELECT count(*) FROM derived_entities")" 3
	# the index is not in the journal: no entry carries it
	run -0 ccc-store log --format ndjson
	refute_output --partial derived_entities
	run -0 ccc-triage --store "$BUE" show "$one" --format ndjson
	assert_equal "$(jq -c .also_in <<<"$output")" "[\"$two\",\"check-1\"]"
	run -0 ccc-store --store "$BUE" verify
}

# many_hits N: N messages from France, message i holding the MRZ of person
# (i % 60) of $BATS_TEST_TMPDIR/list (60 persons, names made of syllables,
# none like another) and naming passport P(i); the documents list of those
# passports is $BATS_TEST_TMPDIR/docs
many_hits() {
	awk -v n="$1" -v d="$BATS_TEST_TMPDIR" 'BEGIN {
		ns = split("BA KO RI MEN TAS LU DO FIR GAN HEL JU KAR", sy, " ")
		for (k = 0; k < 60; k++) {
			s[k] = sy[k % ns + 1] sy[int(k / ns) % ns + 1] sy[(k * 7 + 3) % ns + 1] "SSON"
			printf "{\"id\":\"FR-%d\",\"name\":\"Pierre %s\",\"dob\":\"1970-01-%02d\",\"owner\":\"FR\"}\n", k, s[k], k % 28 + 1 >(d "/list")
		}
		for (i = 1; i <= n; i++) {
			k = i % 60
			l1 = "P<FRA" s[k] "<<PIERRE"
			while (length(l1) < 44) l1 = l1 "<"
			l2 = sprintf("%09d0FRA7001%02d0M3001010<<<<<<<<<<<<<<00", i, k % 28 + 1)
			printf "{\"type\":\"message\",\"source\":\"t\",\"external_id\":\"m%d\",\"origin_country\":\"FR\",\"subject\":\"traveller %d\",\"body\":\"passport no. 20XY%05d\\nMRZ:\\n%s\\n%s\\n\"}\n", i, i, i, l1, l2
			printf "{\"number\":\"20XY%05d\",\"country\":\"FR\",\"status\":\"stolen\",\"owner\":\"FR\"}\n", i >(d "/docs")
		}
	}' | ccc-intake -q >/dev/null
}

@test "a re-screen with many hits commits as it goes: each hit raised once, nothing left noted, the store verifies" {
	many_hits 1500
	entries=$(sql 'SELECT count(*) FROM journal')
	run -0 ccc-check load --db persons "$BATS_TEST_TMPDIR/list"
	assert_line --partial 're-screen: 60 persons, 0 documents and 0 vehicles changed, against the messages of the last 30 days: 1500 hits, 1500 new'
	assert_equal "$(grep -c 'now P2: new person FR-' <<<"$output")" 1500
	assert_equal "$(sql "SELECT count(*), count(DISTINCT n) FROM queue_log WHERE action = 'rescreen'")" '1500|1500'
	assert_equal "$(sql "SELECT count(DISTINCT item) FROM consultations WHERE db = 'rescreen'")" 1500
	# the load and the first megabyte of its hits in one journal entry, the
	# rest in more; nothing left noted
	[ "$(sql 'SELECT count(*) FROM journal')" -ge $((entries + 2)) ]
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_pending')" 0
	# the documents the same messages name: a hit each, once
	entries=$(sql 'SELECT count(*) FROM journal')
	run -0 ccc-check load --db documents "$BATS_TEST_TMPDIR/docs"
	assert_line --partial 're-screen: 0 persons, 1500 documents and 0 vehicles changed, against the messages of the last 30 days: 1500 hits, 1500 new'
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_hits')" 3000
	[ "$(sql 'SELECT count(*) FROM journal')" -ge $((entries + 2)) ]
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_pending')" 0
	run -0 ccc-store verify
	# a rerun raises nothing
	run -0 ccc-check load -v --db persons "$BATS_TEST_TMPDIR/list"
	refute_output --partial 'now P'
}

@test "a load's records and their hits are one journal entry, and the notes of what changed never reach the journal" {
	id=$(mrz_message m1 2026-12-04T09:00:00Z)
	entries=$(sql 'SELECT count(*) FROM journal')
	run -0 ccc-check load --db persons <<<'{"id":"SE-1","name":"Anna Maria ERIKSSON","dob":"1974-08-12","owner":"SE"}'
	assert_output --partial "re-screen: $id now P2: new person SE-1"
	assert_equal "$(sql 'SELECT count(*) FROM journal')" $((entries + 1))
	run -0 ccc-store log --format ndjson
	last=$(tail -n 1 <<<"$output")
	assert_equal "$(jq -c '[.changes[].table] | unique' <<<"$last")" \
		'["consultations","messages","person_keys","persons","queue","queue_log","rescreen_hits"]'
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_pending')" 0
}

@test "what a run cut short left noted is re-screened by the next one, even a load of nothing, or by rescreen" {
	id=$(mrz_message m1 2026-12-04T09:00:00Z)
	# a load killed after its records were committed and before their hits
	# were: the person is stored, its change still noted
	ccc-check load -q --db persons --days 0 <<<'{"id":"SE-1","name":"Anna Maria ERIKSSON","dob":"1974-08-12","owner":"SE"}'
	sql "INSERT INTO rescreen_pending VALUES ('person', 'SE-1', '', 'new')"
	run -0 ccc-check load -v --db persons </dev/null
	assert_output --partial "re-screen: $id now P2: new person SE-1 of the persons list matches a name in $id"
	assert_output --partial 're-screen: 1 person, 0 documents and 0 vehicles changed'
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_pending')" 0
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_hits')" 1
	# the same by the command, for a document; a note of a record removed
	# since is taken out, and raises nothing
	doc=$(doc_message d1 'passport query')
	ccc-check load -q --db documents --days 0 <<<'{"number":"19AB45872","country":"FR","status":"stolen","owner":"FR"}'
	sql "INSERT INTO rescreen_pending VALUES ('document', '19AB45872', 'FR', 'new'), ('document', 'ZZ0000001', 'FR', 'new')"
	run -0 ccc-check rescreen
	assert_output --partial "re-screen: $doc now P2: new document 19AB45872 (FR, stolen) matches a document in $doc"
	assert_output --partial 're-screen: 0 persons, 1 document and 0 vehicles changed, against the messages of the last 30 days: 1 hit, 1 new'
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_pending')" 0
	# nothing noted: the counts, all 0
	run -0 ccc-check rescreen --days 7
	assert_output 'ccc-check: re-screen: 0 persons, 0 documents and 0 vehicles changed, against the messages of the last 7 days: 0 hits, 0 new'
	run -0 ccc-check -q rescreen
	assert_output ''
	run -64 ccc-check rescreen --days 0
	assert_output --partial 'rescreen: --days must be at least 1'
	run -64 ccc-check rescreen --db persons
	assert_output --partial '--db does nothing with rescreen'
	run -64 ccc-check rescreen extra
	assert_output "ccc-check: rescreen: unexpected argument 'extra'"
}

@test "a load of more persons than one part of a re-screening (20,000) re-screens them all" {
	# 20,010 persons: the first and the last, by id, each match a message
	id=$(mrz_message m1 2026-12-04T09:00:00Z)
	awk 'BEGIN {
		print "{\"id\":\"A-00000\",\"name\":\"Anna Maria ERIKSSON\",\"dob\":\"1974-08-12\",\"owner\":\"SE\"}"
		for (i = 1; i <= 20008; i++)
			printf "{\"id\":\"B-%05d\",\"name\":\"Person Number%05d Tester\",\"owner\":\"SE\"}\n", i, i
		print "{\"id\":\"Z-99999\",\"name\":\"Anna Maria Eriksson\",\"dob\":\"1974-08-12\",\"owner\":\"SE\"}"
	}' >"$BATS_TEST_TMPDIR/list"
	run -0 ccc-check load --db persons "$BATS_TEST_TMPDIR/list"
	assert_line --partial 're-screen: 20010 persons, 0 documents and 0 vehicles changed, against the messages of the last 30 days: 2 hits, 2 new'
	assert_output --partial "new person A-00000 of the persons list matches a name in $id"
	assert_output --partial "new person Z-99999 of the persons list matches a name in $id"
	assert_equal "$(sql 'SELECT count(*) FROM rescreen_hits')" 2
	run -0 ccc-store verify
}

@test "a load of many persons that share a name's keys re-screens the one the message names, whatever their number" {
	# A message names Ivan Kozlov; a list adds 40 Kozlovs whose given names
	# share the four letters of his key (Ivana, Evan, Yvonne...), then him,
	# last by id. The 32 persons a name is scored against at most are those
	# named as the message names them first.
	l1='P<RUSKOZLOV<<IVAN<<<<<<<<<<<<<<<<<<<<<<<<<<<'
	l2='7103945610RUS7001150M3001010<<<<<<<<<<<<<<00'
	id=$(jq -cn --arg b "passport query
MRZ:
$l1
$l2
" '{type:"message",source:"t",external_id:"k1",origin_country:"RU",subject:"traveller",body:$b}' |
		ccc-intake | jq -r .id)
	awk 'BEGIN {
		split("Ivana Evan Yvonne Ivanna Evana Iwona Yvan Evanne", g, " ")
		split("Kozlov Kozlova Kozlow Kozlovs Kozlova", s, " ")
		for (i = 0; i < 40; i++)
			printf "{\"id\":\"K-%02d\",\"name\":\"%s %s\",\"owner\":\"RU\"}\n", i, g[i % 8 + 1], s[int(i / 8) + 1]
		print "{\"id\":\"Z-1\",\"name\":\"Ivan Kozlov\",\"dob\":\"1970-01-15\",\"owner\":\"RU\"}"
	}' >"$BATS_TEST_TMPDIR/list"
	run -0 ccc-check load --db persons "$BATS_TEST_TMPDIR/list"
	assert_output --partial "re-screen: $id now P2: new person Z-1 of the persons list matches a name in $id of less than an hour ago (ivan kozlov, score 1.00)"
	assert_line --partial 're-screen: 41 persons, 0 documents and 0 vehicles changed'
	assert_equal "$(sql "SELECT count(*) FROM rescreen_hits WHERE ref = 'person:Z-1'")" 1
	run -0 ccc-store verify
}

@test "the filter indexes what its checks looked up and the messages it checks as the triggers would" {
	# ccc-check's filter writes the entity index itself (triggers off):
	# the keys of its own checks must be what the triggers make of the
	# consultation log, and the messages' what the view says (the filter
	# makes them from what it checked, SQLite does not read them back):
	# a check of two persons names both, a person this country may not see
	# is no key, nor a number with nothing left once normalised
	printf '%s\n' '{"id":"SE-1","name":"Anna Maria ERIKSSON","dob":"1974-08-12","owner":"SE"}' \
		'{"id":"SE-2","name":"Anna Maria ERIKSON","dob":"1974-08-12","owner":"SE"}' \
		'{"id":"NO-1","name":"Anna Maria Eriksson","dob":"1974-08-12","owner":"NO","restrict":{"allow":["NO"]}}' |
		ccc-check load -q --db persons
	doc_message d1 'passport query' >/dev/null
	m=$(mrz_message m1 2026-12-04T09:00:00Z)
	printf '%s\n' '{"type":"query","id":"a","doc":"19ab 45872","country":"FR"}' \
		'{"type":"query","id":"b","doc":"x\u00e9 1","country":"FR"}' \
		'{"type":"query","id":"g","doc":"\u00e9\u00e9","country":"FR"}' \
		'{"type":"query","id":"c","vin":"1hgcm82633a004352"}' \
		'{"type":"query","id":"e","name":"Anna Maria Eriksson","dob":"1974-08-12"}' \
		'{"type":"query","id":"f","name":"Nobody Atall"}' >"$BATS_TEST_TMPDIR/q"
	run -0 --separate-stderr ccc-check --format ndjson "$BATS_TEST_TMPDIR/q"
	run -0 --separate-stderr ccc-check --pending --format ndjson
	triggers="SELECT 'doc:' || upper(query ->> '\$.number'), 'check-' || c, ts FROM consultations
		WHERE db = 'documents' AND item IS NULL AND query ->> '\$.action' IS NULL AND query ->> '\$.number' <> ''
		UNION SELECT 'vin:' || upper(query ->> '\$.key'), 'check-' || c, ts FROM consultations
		WHERE db = 'vehicles' AND item IS NULL AND query ->> '\$.action' IS NULL AND length(query ->> '\$.key') = 17
		UNION SELECT 'person:' || (h.value ->> '\$.id'), 'check-' || c, ts FROM consultations, json_each(hits) h
		WHERE db = 'persons' AND item IS NULL AND query ->> '\$.action' IS NULL AND h.value ->> '\$.id' IS NOT NULL
		ORDER BY 1, 2"
	assert_equal "$(sql "SELECT key, item, at FROM derived_entities WHERE item LIKE 'check-%' ORDER BY 1, 2")" "$(sql "$triggers")"
	assert_equal "$(sql "SELECT key FROM derived_entities WHERE item LIKE 'check-%' ORDER BY 1")" \
		"$(printf '%s\n' doc:19AB45872 doc:X1 person:SE-1 person:SE-2 vin:1HGCM82633A004352)"
	assert_equal "$(sql "SELECT count(*) FROM consultations WHERE item IS NULL AND hits LIKE '%\"restricted\":true%'")" 1
	# the message whose MRZ names Eriksson: her key came with its checks
	assert_equal "$(sql "SELECT count(*) FROM derived_entities WHERE item = '$m' AND key = 'person:SE-1'")" 1
	run -0 ccc-store verify
}

@test "the entity index's triggers are the store's only triggers: the programs that turn triggers off to write the index lose nothing else" {
	# ccc-intake, ccc-check's filter and a standby's apply of shipped
	# messages run with SQLITE_DBCONFIG_ENABLE_TRIGGER off and write
	# derived_entities themselves (changeset.c, store_index_own); a
	# migration that adds any other trigger must revisit them first
	run -0 sql "SELECT name || ' ON ' || tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY 1"
	assert_output "$(printf '%s\n' 'check_entities_doc ON consultations' 'check_entities_out ON consultations' 'check_entities_person ON consultations' \
		'check_entities_vin ON consultations' 'message_entities_in ON messages' \
		'message_entities_out ON messages' 'message_entities_re ON messages')"
}
