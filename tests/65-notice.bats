#!/usr/bin/env bats
# ccc-notice: kinds and required fields, four eyes, the Article 3 screen,
# duplicates, control numbers, publication reaching ccc-check and
# cancellation removing it, expiry, diffusion to a region, feed paging.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-11-20T09:00:00Z
}

# red [OPTIONS...]: draft a red notice for Ivan Petrov as a.martin.
red() {
	ccc-notice draft --kind red --name 'Ivan Petrov' --dob 1980-03-14 --nationality RU \
		--country FR --charge "${CHARGE:-armed robbery}" --warrant W-2026-118 \
		--warrant-date 2026-10-02 --authority 'Tribunal judiciaire de Lyon' --as a.martin "$@"
}

@test "draft stores a red notice as a draft by its drafter, journaled" {
	run red
	assert_success
	assert_equal "$(jq -r '[.type, .id, .kind, .status, .drafted_by] | @tsv' <<<"$output")" \
		"$(printf 'notice\tnotice-lyon-1\tred\tdraft\ta.martin')"
	assert_equal "$(sql "SELECT status || ' ' || drafted_by FROM notices")" "draft a.martin"
	assert_equal "$(sql "SELECT actor || ' ' || action FROM notice_log")" "a.martin draft"
	run ccc-store verify
	assert_success
}

@test "the drafter can neither review nor publish their own notice: exit 77" {
	red >/dev/null
	run ccc-notice review notice-lyon-1 --as a.martin
	assert_failure 77
	assert_output --partial "review: 'a.martin' drafted notice 'notice-lyon-1': a notice is reviewed and published by someone other than its drafter (four eyes)"
	run ccc-notice review notice-lyon-1 --as j.garcia
	assert_success
	run ccc-notice publish notice-lyon-1 --as a.martin
	assert_failure 77
	assert_output --partial "publish: 'a.martin' drafted notice"
	assert_equal "$(sql "SELECT status FROM notices")" reviewed
}

@test "publish refuses a notice that was not reviewed" {
	red >/dev/null
	run ccc-notice publish notice-lyon-1 --as j.garcia
	assert_failure 65
	assert_output --partial "publish: notice 'notice-lyon-1' is draft"
}

@test "review lists every missing or malformed required field of a red notice and keeps it a draft" {
	ccc-notice draft --kind red --name 'Ivan 2 Petrov' --dob 1980-02-30 --nationality RU,QQ \
		--country FR --as a.martin >/dev/null
	run --separate-stderr ccc-notice review notice-lyon-1 --as j.garcia
	assert_failure 1
	assert_equal "$(jq -r '.status' <<<"$output")" draft
	assert_equal "$(jq -r '.review.problems[]' <<<"$output")" "$(cat <<'X'
field 'charge': missing (required for a red notice)
field 'warrant': missing (required for a red notice)
field 'warrant_date': missing (required for a red notice)
field 'authority': missing (required for a red notice)
field 'dob': '1980-02-30' is not a date (YYYY-MM-DD)
field 'name': the name has a digit
field 'nationalities': 'QQ' is not an ISO 3166 alpha-2 code
X
)"
}

@test "each kind's required fields are checked by review" {
	for spec in "yellow name,dob,missing_since,requesting_country" "blue name,purpose,requesting_country" \
		"black description,found_date,found_country,requesting_country" "green name,activities,requesting_country" \
		"orange threat,description,requesting_country" "purple modus_operandi,requesting_country" \
		"silver assets,purpose,requesting_country" "un-special name,un_reference,committee" \
		"diffusion purpose,requesting_country" "alert threat,description"; do
		kind=${spec% *}
		id=$(ccc-notice draft --kind "$kind" --as a.martin | jq -r .id)
		run --separate-stderr ccc-notice review "$id" --as j.garcia
		assert_failure 1
		want=$(tr , '\n' <<<"${spec#* }" | sed "s/.*/field '&': missing (required for a $kind notice)/")
		[ "$kind" = diffusion ] && want+=$'\na diffusion needs its recipients: give --to or --region'
		assert_equal "$(jq -r '.review.problems[]' <<<"$output")" "$want"
	done
}

@test "a published red notice reaches ccc-check with its control number, and its cancellation removes it" {
	red >/dev/null
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	run ccc-notice publish notice-lyon-1 --as j.garcia
	assert_success
	assert_equal "$(jq -r '[.status, .control, .published_by, .expires_at] | @tsv' <<<"$output")" \
		"$(printf 'published\tA-1/2026\tj.garcia\t2031-11-20T09:00:00Z')"
	run ccc-check --name 'Ivan Petrov' --dob 1980-03-14
	assert_success
	assert_equal "$(jq -r '.checks[0].hits[0] | [.id, .notice, .owner] | @tsv' <<<"$output")" \
		"$(printf 'notice:notice-lyon-1\tred notice A-1/2026\tFR')"
	run ccc-notice cancel A-1/2026 --as j.garcia
	assert_failure 64
	assert_output --partial "cancel: give the reason with --reason"
	run ccc-notice cancel A-1/2026 --reason 'arrested in Madrid' --as j.garcia
	assert_success
	assert_equal "$(jq -r '[.status, .cancel_reason] | @tsv' <<<"$output")" "$(printf 'cancelled\tarrested in Madrid')"
	run ccc-check --name 'Ivan Petrov'
	assert_success
	assert_equal "$(jq -c '.checks[0].hits' <<<"$output")" '[]'
	run ccc-notice show notice-lyon-1
	assert_equal "$(jq -r '.log[] | [.by, .action, .detail // ""] | @tsv' <<<"$output")" "$(printf 'a.martin\tdraft\t\nj.garcia\treview\treviewed\nj.garcia\tpublish\tA-1/2026\nj.garcia\tcancel\tarrested in Madrid')"
	run ccc-store verify
	assert_success
}

@test "control numbers count per kind letter and year" {
	for i in 1 2; do
		red --set title="n$i" >/dev/null
		ccc-notice review "notice-lyon-$i" --as j.garcia >/dev/null
		ccc-notice publish "notice-lyon-$i" --as j.garcia >/dev/null
	done
	ccc-notice draft --kind purple --country CO --set modus_operandi='tiles' --as a.martin >/dev/null
	ccc-notice review notice-lyon-3 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-3 --as j.garcia >/dev/null
	CCC_NOW=2027-01-02T00:00:00Z red >/dev/null
	CCC_NOW=2027-01-02T00:00:00Z ccc-notice review notice-lyon-4 --as j.garcia >/dev/null
	CCC_NOW=2027-01-02T00:00:00Z ccc-notice publish notice-lyon-4 --as j.garcia >/dev/null
	assert_equal "$(sql 'SELECT group_concat(control, " ") FROM (SELECT control FROM notices ORDER BY n)')" \
		"A-1/2026 A-2/2026 P-1/2026 A-1/2027"
}

@test "the Article 3 screen flags terms in each language for a human decision, and records it" {
	CHARGE='membre d'"'"'un parti politique interdit' red >/dev/null
	run --separate-stderr ccc-notice review notice-lyon-1 --as j.garcia
	assert_failure 1
	assert_equal "$(jq -c '[.status, .review.article3.needs_decision, (.review.article3.hits[] | [.field, .term, .category, .lang])]' <<<"$output")" \
		'["draft",true,["charge","parti politique","political","fr"]]'
	run ccc-notice review notice-lyon-1 --decision compliant --as j.garcia
	assert_success
	assert_equal "$(jq -c '[.status, .review.article3.decision]' <<<"$output")" '["reviewed","compliant"]'
	for text in 'desertor del servicio militar' 'blasphemy' 'بسبب أصل عرقي'; do
		id=$(ccc-notice draft --kind blue --name 'Ana Ruiz' --country ES --set purpose="$text" --as a.martin | jq -r .id)
		run ccc-notice review "$id" --decision refused --as j.garcia
		assert_success
		assert_equal "$(jq -r .status <<<"$output")" refused
	done
	assert_equal "$(sql "SELECT group_concat(json_extract(record, '\$.review.article3.hits[0].category'), ' ') FROM notices WHERE status = 'refused'")" \
		"military religious racial"
}

@test "review finds a duplicate among the active notices" {
	red >/dev/null
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice draft --kind red --name 'PETROV, Ivan' --dob 1980-03-14 --nationality RU --country DE \
		--charge fraud --warrant X-1 --warrant-date 2026-09-01 --authority 'AG Berlin' --as a.martin >/dev/null
	run ccc-notice review notice-lyon-2 --as j.garcia
	assert_success
	assert_equal "$(jq -r '.review.duplicates[0].notice' <<<"$output")" "red notice A-1/2026"
}

@test "draft reads request records from stdin and rejects bad ones with FILE:LINE: reason" {
	run ccc-notice draft --as a.martin <"$FIXTURES/notice/requests.ndjson"
	assert_failure 65
	assert_line --partial "ccc-notice: stdin:3: field 'kind': not a kind of notice"
	assert_equal "$(sql "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM notices ORDER BY n)")" "yellow purple orange"
	assert_equal "$(sql 'SELECT count(*) FROM rejects')" 2
}

@test "a diffusion to a region records every country of it as a recipient" {
	ccc-notice draft --kind diffusion --country ES --set purpose=locate --region mena --to FR --as a.martin >/dev/null
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	run ccc-notice publish notice-lyon-1 --as j.garcia
	assert_success
	assert_equal "$(jq -r .control <<<"$output")" "X-1/2026"
	run ccc-notice show --ncb ES notice-lyon-1
	assert_equal "$(jq -r '.recipients | length' <<<"$output")" 18
	assert_equal "$(jq -r '.recipients | index("MA") != null and index("FR") != null and index("US") == null' <<<"$output")" true
	run ccc-notice draft --kind diffusion --country ES --set purpose=x --region atlantis --as a.martin
	assert_success
	run --separate-stderr ccc-notice review notice-lyon-2 --as j.garcia
	assert_failure 1
	assert_output --partial "'atlantis' is not africa, americas, asia-south-pacific, europe or mena"
}

@test "expire ends notices five years after publication and removes their subjects from the checks; renew gives five more" {
	red >/dev/null
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-1 --as j.garcia >/dev/null
	run env CCC_NOW=2031-11-19T09:00:00Z ccc-notice expire
	assert_success
	assert_output ""
	run env CCC_NOW=2031-11-20T09:00:00Z ccc-notice expire
	assert_success
	assert_equal "$(jq -r '[.id, .status] | @tsv' <<<"$output")" "$(printf 'notice-lyon-1\texpired')"
	run ccc-check --name 'Ivan Petrov'
	assert_equal "$(jq -c '.checks[0].hits' <<<"$output")" '[]'
	run env CCC_NOW=2031-12-01T00:00:00Z ccc-notice renew notice-lyon-1 --as j.garcia
	assert_success
	assert_equal "$(jq -r '[.status, .expires_at] | @tsv' <<<"$output")" "$(printf 'published\t2036-12-01T00:00:00Z')"
	run ccc-check --name 'Ivan Petrov'
	assert_equal "$(jq -r '.checks[0].hits[0].notice' <<<"$output")" "red notice A-1/2026"
}

@test "feed pages through published, updated and cancelled notices by feed_seq" {
	for i in 1 2; do
		red >/dev/null
		ccc-notice review "notice-lyon-$i" --as j.garcia >/dev/null
		ccc-notice publish "notice-lyon-$i" --as j.garcia >/dev/null
	done
	ccc-notice update notice-lyon-1 --set title=updated --as j.garcia >/dev/null
	ccc-notice cancel notice-lyon-2 --reason withdrawn --as j.garcia >/dev/null
	run ccc-notice feed --since 0 --limit 2
	assert_success
	assert_equal "$(jq -r '[.feed_seq, .event, .id] | @tsv' <<<"$output")" "$(printf '3\tpublish\tnotice-lyon-1\n6\tpublish\tnotice-lyon-2')"
	run ccc-notice feed --since 6
	assert_equal "$(jq -r '[.feed_seq, .event, .id] | @tsv' <<<"$output")" "$(printf '7\tupdate\tnotice-lyon-1\n8\tcancel\tnotice-lyon-2')"
	run ccc-notice feed --since 8
	assert_output ""
}

@test "list prints a table on a terminal and NDJSON into a pipe; --format chooses" {
	red >/dev/null
	ccc-notice review notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice publish notice-lyon-1 --as j.garcia >/dev/null
	ccc-notice draft --kind alert --set threat=$'counterfeit\tvaccines' --set description=y --as a.martin >/dev/null
	run script -qec "ccc-notice list" /dev/null
	assert_success
	assert_equal "$(tr -d '\r' <<<"$output")" "$(cat <<'X'
ID             CONTROL   KIND   STATUS     EXPIRES     SUBJECT
notice-lyon-1  A-1/2026  red    published  2031-11-20  Ivan Petrov
notice-lyon-2  -         alert  draft      -           counterfeit vaccines
X
)"
	run ccc-notice list
	assert_equal "$(jq -r .id <<<"$output" | tr '\n' ' ')" "notice-lyon-1 notice-lyon-2 "
	run script -qec "ccc-notice list --format ndjson --status draft" /dev/null
	assert_equal "$(tr -d '\r' <<<"$output" | jq -r .id)" notice-lyon-2
	run ccc-notice list --format table --status published
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 "notice-lyon-1  A-1/2026  red   published  2031-11-20  Ivan Petrov"
}

@test "the table pads and clips by display width: Arabic marks take no column, CJK two" {
	ccc-notice draft --kind blue --name 'مُحَمَّد عبد الله' --country EG --set purpose=locate --as a.martin >/dev/null
	ccc-notice draft --kind blue --name '山田太郎と呼ばれる人物は東京都千代田区霞が関一丁目に住んでいた' --country JP --set purpose=locate --as a.martin >/dev/null
	ccc-notice draft --kind blue --name 'Ángela María Fernández de la Concepción y Bustamante-Sánchez' --country ES --set purpose=locate --as a.martin >/dev/null
	run ccc-notice list --format table
	assert_success
	assert_line --index 1 "notice-lyon-1  -        blue  draft   -        مُحَمَّد عبد الله"
	assert_line --index 2 "notice-lyon-2  -        blue  draft   -        山田太郎と呼ばれる人物は東京都千代田区霞が関一…"
	assert_line --index 3 "notice-lyon-3  -        blue  draft   -        Ángela María Fernández de la Concepción y Busta…"
}

@test "review checks public, languages and the CAP words of a notice" {
	ccc-notice draft --kind blue --name 'Ana Ruiz' --country ES --set purpose=locate --public --as a.martin >/dev/null
	run --separate-stderr ccc-notice review notice-lyon-1 --as j.garcia
	assert_failure 1
	assert_equal "$(jq -r '.review.problems[]' <<<"$output")" \
		"field 'public': a blue notice is never made public (only red, yellow, orange and un-special notices and alerts are)"
	ccc-notice draft --kind alert --set threat='parcel bombs' --set description='Parcel bombs' \
		--set threat_fr='colis piégés' --set urgency=Soon --languages en,fr,de,fr --as a.martin >/dev/null
	run --separate-stderr ccc-notice review notice-lyon-2 --as j.garcia
	assert_failure 1
	assert_equal "$(jq -r '.review.problems[]' <<<"$output")" "$(cat <<'X'
field 'languages': 'de' is not ar, en, fr or es
field 'languages': 'fr' is listed twice
field 'description_fr': missing (the notice is in 'fr')
field 'urgency': 'Soon' is not a CAP 1.2 word (see ccc-notice(1))
X
)"
	ccc-notice update notice-lyon-2 --languages en,fr --set description_fr='Colis piégés' --set urgency=Immediate --as a.martin >/dev/null
	run ccc-notice review notice-lyon-2 --as j.garcia
	assert_success
	assert_equal "$(jq -c '[.status, .languages, .public]' <<<"$output")" '["reviewed",["en","fr"],null]'
	ccc-notice draft --kind alert --set threat=x --set description=y --set threat_es=equis --set public=yes --as a.martin >/dev/null
	run --separate-stderr ccc-notice review notice-lyon-3 --as j.garcia
	assert_failure 1
	assert_equal "$(jq -r '.review.problems[]' <<<"$output")" "$(printf '%s\n' "field 'public': expected true or false" "field 'description_es': missing (the notice is in 'es')")"
	ccc-notice update notice-lyon-3 --no-public --as a.martin >/dev/null
	assert_equal "$(sql "SELECT json_extract(record, '\$.public') FROM notices WHERE id = 'notice-lyon-3'")" 0
}

@test "the Article 3 screen reads the translations of the free-text fields too" {
	red --set charge_es='desertor del servicio militar' --set charge_ar='حزب سياسي' --languages en,es,ar >/dev/null
	run --separate-stderr ccc-notice review notice-lyon-1 --as j.garcia
	assert_failure 1
	assert_equal "$(jq -c '[.review.article3.hits[] | [.field, .category, .lang]]' <<<"$output")" \
		'[["charge_ar","political","ar"],["charge_es","military","es"],["charge_es","military","es"]]'
}
