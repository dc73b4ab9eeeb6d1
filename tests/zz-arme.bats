load helper
setup() { common_setup; init_store; export CCC_NOW=2026-06-15T10:10:00Z; }
triage() {
	ccc-intake -q --source ncb:test | ccc-triage >"$BATS_TEST_TMPDIR/out"
	jq -r '"\(.triage.priority) \(.triage.category) \(.triage.reasons|tostring)"' "$BATS_TEST_TMPDIR/out"
}
@test x {
	run triage <<-'EOF'
	{"subject":"Saisie d'une arme","body":"Une arme de poing a été saisie lors du contrôle routier d'hier. Merci de nous transmettre l'historique du numéro de série."}
	{"subject":"Individu armé","body":"Un individu armé s'est retranché dans un appartement à Marseille. Merci de vérifier son identité."}
	{"subject":"Seized weapon","body":"A handgun was seized during yesterday's road check. Please send us the history of the serial number."}
	EOF
	echo "$output" >&3
}
