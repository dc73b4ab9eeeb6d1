#!/usr/bin/env bats
# ccc-reply: replies to the bureau that asked, in its language, with what it
# may see of the checks; four eyes; delivery through a command, retried,
# never twice and never lost, even when the sender is killed.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-12-04T10:00:00Z
	# X1234567 (MA) is Morocco's and stolen; Y7654321 (FR) is France's, denied to MA
	printf '%s\n' \
		'{"number":"X1234567","country":"MA","status":"stolen","owner":"MA"}' \
		'{"number":"Y7654321","country":"FR","status":"stolen","owner":"FR","restrict":{"deny":["MA"]}}' |
		ccc-check load -q --db documents
}

# message LANG CC BODY: take a message in; its id on stdout
message() {
	jq -cn --arg l "$1" --arg c "$2" --arg b "$3" \
		'{type:"message", source:"test", external_id:("ext-" + $l), origin_country:$c,
		  language:$l, sent_at:"2026-12-04T09:58:00Z", subject:"Passport check", body:$b}' |
		ccc-intake -q | jq -r .id
}

# mail FILE: an e-mail from NCB Rabat asking to check both passports
mail() {
	cat >"$1" <<-'MAIL'
	From: NCB Rabat <ncb@ncb.example.ma>
	To: ccc@lyon.example.org
	Subject: =?UTF-8?Q?V=C3=A9rification?= de passeports
	Date: Fri, 04 Dec 2026 09:58:00 +0000
	Message-ID: <m-77@ncb.example.ma>
	References: <thread-1@ncb.example.ma>

	Please check passport X1234567 (Morocco) and passport Y7654321 FR.
	MAIL
}

@test "draft: a reply in each of the four languages, in the language of the message" {
	for l in en fr es ar; do
		id=$(message "$l" MA "passport X1234567 MA")
		run ccc-reply -q draft "$id" --format ndjson
		assert_success
		assert_equal "$(jq -r .language <<<"$output")" "$l"
		body=$(jq -r .body <<<"$output")
		case $l in
		en) assert_regex "$body" "Your reference: ext-en.*a record matches: stolen \(held by NCB MA\)" ;;
		fr) assert_regex "$body" "Votre référence : ext-fr.*un enregistrement correspond : volé \(détenu par le BCN MA\)" ;;
		es) assert_regex "$body" "Su referencia: ext-es.*un registro coincide: robado \(en poder de la OCN MA\)" ;;
		ar) assert_regex "$body" "مرجعكم: ext-ar.*يوجد سجل مطابق: مسروقة" ;;
		esac
	done
	# a language the room does not answer in gets English
	id=$(message de MA "Reisepass X1234567 MA")
	run ccc-reply -q draft "$id" --format ndjson
	assert_equal "$(jq -r .language <<<"$output")" en
}

@test "a restricted hit never reaches a denied country, whatever --ncb the filter ran with" {
	id=$(message en MA "passport X1234567 MA, passport Y7654321 FR")
	# the operator checked the stream as France, which may see Y7654321
	ccc-store log >/dev/null
	ccc-triage -q </dev/null || true
	sqlite3 "$CCC_STORE" "SELECT record FROM messages WHERE id = '$id'" | ccc-check -q --ncb FR >/dev/null
	# the filter itself checked the message as its sender, Morocco, may see it
	assert_equal "$(sqlite3 "$CCC_STORE" "SELECT record FROM messages WHERE id = '$id'" |
		jq -c '.checks[] | select(.query.number == "Y7654321") | .hits')" \
		'[{"restricted":true,"owner":"FR","band":"match"}]'
	assert_equal "$(sqlite3 "$CCC_STORE" "SELECT group_concat(DISTINCT ncb) FROM consultations")" MA
	# a query is answered as the country that asks it
	run ccc-check --ncb FR <<<'{"type":"query","id":"q-1","ncb":"MA","doc":"Y7654321"}'
	assert_equal "$(jq -c '.checks[0].hits' <<<"$output")" '[{"restricted":true,"owner":"FR","band":"match"}]'
	run ccc-check --ncb MA <<<'{"type":"query","id":"q-2","ncb":"FR","doc":"Y7654321"}'
	assert_equal "$(jq -r '.checks[0].hits[0].status' <<<"$output")" stolen
	run ccc-reply -q draft "$id" --format ndjson
	assert_success
	body=$(jq -r .body <<<"$output")
	assert_regex "$body" "Document Y7654321: a record held by NCB FR matches; contact them."
	refute_regex "$body" "Y7654321: a record matches"
	# the reply's checks hold nothing of the record either
	assert_equal "$(jq -c '.checks[] | select(.query.number == "Y7654321") | .hits' <<<"$output")" \
		'[{"restricted":true,"owner":"FR","band":"match"}]'
	# for France itself (--for), the hit is whole
	run ccc-reply -q draft "$id" --for FR --format ndjson
	assert_regex "$(jq -r .body <<<"$output")" "Y7654321: a record matches: stolen \(held by NCB FR\)"
}

@test "draft needs the requesting country: origin_country or --for, else a usage error" {
	mail "$BATS_TEST_TMPDIR/m.eml"
	id=$(ccc-intake -q "$BATS_TEST_TMPDIR/m.eml" | jq -r .id)
	run ccc-reply draft "$id"
	assert_failure 64
	assert_output --partial "names no origin_country: give the requesting country with --for CC"
	run ccc-reply draft "$id" --for XX
	assert_failure 64
	assert_output --partial "--for: 'XX' is not an ISO 3166 alpha-2 country code"
	run ccc-reply draft msg-lyon-99 --for MA
	assert_failure 66
}

@test "four eyes: a reply that discloses a hit is reviewed by another officer before it is sent" {
	id=$(message en MA "passport X1234567 MA")
	rid=$(ccc-reply -q draft "$id" --as a.martin --format ndjson | jq -r .id)
	assert_equal "$(ccc-reply show "$rid" --format ndjson | jq -r .status)" draft
	run ccc-reply send "$rid" --as a.martin
	assert_failure 77
	assert_output --partial "discloses a hit and has not been reviewed"
	run ccc-reply review "$rid" --as a.martin
	assert_failure 77
	assert_output --partial "a.martin drafted it; another officer reviews it (four eyes)"
	run ccc-reply review "$rid" --as j.garcia --format ndjson
	assert_success
	assert_equal "$(jq -r '.status + " " + .reviewed_by' <<<"$output")" "ready j.garcia"
	# a rerun of the review is no error
	run ccc-reply review "$rid" --as j.garcia --format ndjson
	assert_success
	run ccc-reply send "$rid" --as a.martin --deliver record
	assert_success
	assert_equal "$(jq -r '.type + " " + .id' <<<"$output")" "reply $rid"
	# a reply with no hit may be sent by its drafter
	id=$(message en MA "passport Z0000001 MA")
	rid=$(ccc-reply -q draft "$id" --as a.martin --format ndjson | jq -r .id)
	run ccc-reply send "$rid" --as a.martin --deliver record
	assert_success
	# every step is journaled with its actor
	run ccc-reply show "$rid" --format ndjson
	assert_equal "$(jq -r '[.log[] | .by + ":" + .action] | join(" ")' <<<"$output")" \
		"a.martin:draft a.martin:attempt a.martin:sent"
}

@test "send: an e-mail that ccc-intake reads back, threaded under the original" {
	mail "$BATS_TEST_TMPDIR/m.eml"
	id=$(ccc-intake -q "$BATS_TEST_TMPDIR/m.eml" | jq -r .id)
	rid=$(ccc-reply -q draft "$id" --for MA --as a.martin --format ndjson | jq -r .id)
	ccc-reply -q review "$rid" --as j.garcia >/dev/null
	run ccc-reply send "$rid" --via "cat >'$BATS_TEST_TMPDIR/out.eml'" --from 'CCC Lyon <ccc@lyon.example.org>'
	assert_success
	run ccc-intake --format ndjson "$BATS_TEST_TMPDIR/out.eml"
	[ "$status" -eq 0 ] || run ccc-intake "$BATS_TEST_TMPDIR/out.eml"
	assert_success
	rec=$output
	assert_equal "$(jq -r .subject <<<"$rec")" "Re: Vérification de passeports"
	assert_equal "$(jq -r .external_id <<<"$rec")" "$rid@lyon.ccc.invalid"
	assert_equal "$(jq -c .refs <<<"$rec")" '["m-77@ncb.example.ma","thread-1@ncb.example.ma"]'
	assert_equal "$(jq -r .from <<<"$rec")" "CCC Lyon <ccc@lyon.example.org>"
	assert_regex "$(jq -r .body <<<"$rec")" "Your reference: m-77@ncb.example.ma"
	grep -q '^To: NCB Rabat <ncb@ncb.example.ma>$' "$BATS_TEST_TMPDIR/out.eml"
	grep -q '^In-Reply-To: <m-77@ncb.example.ma>$' "$BATS_TEST_TMPDIR/out.eml"
	# the queue item, when there is one, is answered; sent once, never again
	run ccc-reply send "$rid" --via "cat >>'$BATS_TEST_TMPDIR/out.eml'"
	assert_success
	assert_output --partial "was sent already"
	assert_equal "$(grep -c '^Message-ID:' "$BATS_TEST_TMPDIR/out.eml")" 1
}

@test "a delivery that fails keeps the reply queued (69), and retry sends it once" {
	id=$(message fr MA "passeport Z0000001 MA")
	rid=$(ccc-reply -q draft "$id" --format ndjson | jq -r .id)
	run ccc-reply send "$rid" --deliver record --via 'echo gateway down >&2; exit 3'
	assert_failure 69
	assert_output --partial "was not sent: 'echo gateway down >&2; exit 3' failed (exit 3)"
	assert_equal "$(ccc-reply show "$rid" --format ndjson | jq -r '.status + " " + (.attempts|tostring)')" "queued 1"
	run ccc-reply retry --deliver record --via 'exit 1'
	assert_failure 69
	run ccc-reply retry --deliver record --via "cat >>'$BATS_TEST_TMPDIR/gw'"
	assert_success
	assert_output --partial "retry: 1 sent, 0 still queued"
	run ccc-reply -q retry --deliver record --via "cat >>'$BATS_TEST_TMPDIR/gw'"
	assert_success
	assert_output ""
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/gw")" 1
	assert_equal "$(jq -r .id "$BATS_TEST_TMPDIR/gw")" "$rid"
	assert_equal "$(ccc-reply show "$rid" --format ndjson | jq -r '.status + " " + (.attempts|tostring)')" "sent 3"
	ccc-store verify -q
}

@test "kill -9 at random points of send and retry: no reply is sent twice, none is lost" {
	n=12
	for i in $(seq "$n"); do
		id=$(message en MA "passport Z00000$i MA")
		ccc-reply -q draft "$id" --format ndjson | jq -r .id >>"$BATS_TEST_TMPDIR/ids"
	done
	# the gateway writes each reply's id once it has read it all; it fails now and then
	cat >"$BATS_TEST_TMPDIR/gw.sh" <<-EOF
	r=\$(cat); sleep 0.0\$((RANDOM % 5))
	[ \$((RANDOM % 4)) -eq 0 ] && exit 1
	printf '%s\n' "\$r" | jq -r .id >>'$BATS_TEST_TMPDIR/delivered'
	EOF
	touch "$BATS_TEST_TMPDIR/delivered"
	via="sh '$BATS_TEST_TMPDIR/gw.sh'"
	for k in $(seq 50); do
		rid=$(sed -n "$(( (k % n) + 1 ))p" "$BATS_TEST_TMPDIR/ids")
		if [ $((k % 2)) -eq 0 ]; then
			ccc-reply -q send "$rid" --deliver record --via "$via" >/dev/null 2>&1 &
		else
			ccc-reply -q retry --deliver record --via "$via" >/dev/null 2>&1 &
		fi
		pid=$!
		sleep "0.0$((RANDOM % 9))"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	# then, without kills, everything that may go goes
	for k in 1 2 3 4 5 6; do
		ccc-reply -q retry --deliver record --via "cat >/dev/null; jq -r .id >>/dev/null; true" >/dev/null 2>&1 || true
	done
	sleep 0.2 # a gateway started by a killed sender may still be writing
	ccc-store verify -q
	# none twice
	run sh -c "sort '$BATS_TEST_TMPDIR/delivered' | uniq -d"
	assert_output ""
	# none lost: each is sent, queued or ready (never tried), or unknown (said so)
	ccc-reply list --format ndjson >"$BATS_TEST_TMPDIR/list"
	assert_equal "$(jq -s length "$BATS_TEST_TMPDIR/list")" "$n"
	assert_equal "$(jq -r 'select(.status == "sending") | .id' "$BATS_TEST_TMPDIR/list")" ""
	# a reply the gateway delivered is sent, or unknown: never queued to go again
	while read -r rid; do
		st=$(jq -r --arg id "$rid" 'select(.id == $id) | .status' "$BATS_TEST_TMPDIR/list")
		case $st in sent | unknown) ;; *) echo "$rid delivered but $st" >&2; false ;; esac
	done <"$BATS_TEST_TMPDIR/delivered"
}

@test "an attempt whose outcome is unknown is sent again only with --again" {
	id=$(message en MA "passport Z0000001 MA")
	rid=$(ccc-reply -q draft "$id" --format ndjson | jq -r .id)
	# the sender dies while the gateway holds the reply
	ccc-reply send "$rid" --deliver record --via 'sleep 5' >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 50); do
		[ "$(sqlite3 "$CCC_STORE" "SELECT status FROM replies WHERE id = '$rid'")" = sending ] && break
		sleep 0.1
	done
	kill -9 "$pid"
	wait "$pid" || true
	run ccc-reply retry --deliver record --via 'cat >/dev/null'
	assert_success
	assert_output --partial "an attempt to send it has no recorded outcome: it is not sent again on its own"
	assert_equal "$(ccc-reply show "$rid" --format ndjson | jq -r .status)" unknown
	run ccc-reply send "$rid" --deliver record --via 'cat >/dev/null'
	assert_failure 65
	assert_output --partial "check whether it arrived, then send it with --again"
	run ccc-reply send "$rid" --again --deliver record --via "cat >'$BATS_TEST_TMPDIR/gw'"
	assert_success
	assert_equal "$(ccc-reply show "$rid" --format ndjson | jq -r '[.log[].detail] | map(select(. != null)) | join("|")')" \
		"1|the sender stopped before it recorded the outcome|2, again after an unknown outcome"
}

@test "templates: the shipped ones, a file of your own, and a bad one refused" {
	id=$(message es MA "pasaporte Z0000001 MA")
	run ccc-reply draft "$id" --template received --text 'Estamos en ello.' --format ndjson
	assert_success
	assert_regex "$(jq -r .body <<<"$output")" "Estamos en ello.*Hemos recibido su mensaje"
	mkdir -p "$XDG_CONFIG_HOME/ccc/reply"
	printf 'URGENTE {their_subject}\n\nRef {our_ref}\n{results}' >"$XDG_CONFIG_HOME/ccc/reply/corto.es"
	run ccc-reply draft "$id" --template corto --format ndjson
	assert_success
	assert_equal "$(jq -r .subject <<<"$output")" "URGENTE Passport check"
	assert_regex "$(jq -r .body <<<"$output")" "^Ref $id"
	printf 'S\n\n{secreto}\n' >"$XDG_CONFIG_HOME/ccc/reply/malo.es"
	run ccc-reply draft "$id" --template malo
	assert_failure 65
	assert_output --partial "unknown field {secreto}"
	run ccc-reply draft "$id" --template nada
	assert_failure 64
	assert_output --partial "there is no template 'nada' for es"
	run ccc-reply draft "$id" --template ../x
	assert_failure 64
}

@test "list and show: a table on a terminal, NDJSON on a pipe; options and commands checked" {
	id=$(message en MA "passport Z0000001 MA")
	ccc-reply -q draft "$id" --format ndjson >/dev/null
	run script -qc "ccc-reply list" /dev/null
	assert_success
	assert_output --regexp "ID +MESSAGE +FOR +LANG +STATUS +SUBJECT"
	assert_output --regexp "reply-lyon-1 +$id +MA +en +ready +Re: Passport check"
	run ccc-reply list
	assert_equal "$(jq -r .id <<<"$output")" reply-lyon-1
	run ccc-reply list --status sent
	assert_output ""
	run ccc-reply list --status snet
	assert_failure 64
	assert_output --partial "--status: 'snet' is not one of draft, ready, sending, sent, queued, unknown"
	run ccc-reply list --via cat
	assert_failure 64
	assert_output --partial "--via does nothing with list"
	run ccc-reply sned reply-lyon-1
	assert_failure 64
	assert_output --partial "did you mean 'send'"
	run ccc reply list --format ndjson
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" reply-lyon-1
}
