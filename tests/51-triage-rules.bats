#!/usr/bin/env bats
# ccc-triage: the rules read in the four languages (time pressure, closings,
# administrative traffic, missing minors in other words, disasters to come,
# dated clock times, negated requests, lives and cases at stake in plain
# words), on examples of their own; and the tuning sets
# tests/fixtures/triage/tune2 and tune3 measured by tests/bench/triage-eval.sh.

load helper

setup() {
	common_setup
	init_store
	export CCC_NOW=2026-06-15T10:10:00Z
}

# triage: message records on stdin (one a line) → "PRIORITY CATEGORY" lines
triage() {
	ccc-intake -q --source ncb:test | ccc-triage >"$BATS_TEST_TMPDIR/out"
	jq -r '"\(.triage.priority) \(.triage.category)"' "$BATS_TEST_TMPDIR/out" | tr '\n' ' '
}

@test "a fugitive at the check-in desk, seen a moment ago, or boarding: P1 in four languages" {
	run triage <<-'EOF'
	{"subject":"Wanted man at check-in desk","body":"A man wanted by Italy for murder is at the check-in desk of Terminal 2 for the Lagos flight. Please confirm the warrant."}
	{"subject":"Individu recherché à l'enregistrement","body":"L'individu visé par le mandat d'arrêt se présente actuellement à l'enregistrement du vol pour Dakar."}
	{"subject":"Buscado embarcando en el ferry","body":"El buscado está embarcando ahora en el ferry a Tánger. Necesitamos confirmación de la orden."}
	{"subject":"هارب على الحدود","body":"شوهد الهارب قبل قليل عند المنفذ الحدودي وهو يحاول العبور."}
	EOF
	assert_output "P1 fugitive P1 fugitive P1 fugitive P1 fugitive "
}

@test "threats to shoot, a bomb set to go off, weapons moved for an attack, an imminent attack: P1" {
	run triage <<-'EOF'
	{"subject":"Armed man threatening to shoot","body":"An armed man is threatening to shoot his neighbours in Lyon; police on the way. Need his records."}
	{"subject":"Bomb planted at station","body":"A caller says a bomb has been planted at the central station and will go off at noon."}
	{"subject":"Weapons moved for attack","body":"A cell is moving rifles and grenades by car to Paris for an attack planned for tomorrow."}
	{"subject":"Attaque imminente","body":"Des informations crédibles font état d'une attaque imminente contre une synagogue cet après-midi."}
	{"subject":"Detonadores en un coche","body":"Un coche con detonadores y un artefacto casero circula hacia Sevilla; planean detonar esta noche."}
	EOF
	assert_output "P1 general P1 terrorism P1 terrorism P1 terrorism P1 terrorism "
}

@test "a minor missing in other words, or taken to an unknown country: P1 (an age after punctuation counts)" {
	run triage <<-'EOF'
	{"subject":"Father took son abroad","body":"A father took his 6-year-old son to an unknown country in breach of a custody order."}
	{"subject":"Père parti avec sa fille","body":"Un père a emmené sa fille de 5 ans vers une destination inconnue, sans l'accord de la mère."}
	{"subject":"Chica de 14 años","body":"Una chica de 14 años salió del instituto el lunes y sigue sin aparecer."}
	{"subject":"أب أخذ ابنته","body":"أخذ الأب ابنته البالغة من العمر 7 سنوات إلى بلد مجهول دون موافقة الأم."}
	{"subject":"Teen not home since Sunday","body":"Liam, 16, has not been seen since Sunday night; his phone is off."}
	EOF
	assert_output "P1 missing_child P1 missing_child P1 missing_child P1 missing_child P1 missing_child "
}

@test "people in a sealed container without ventilation: P1 trafficking" {
	run triage <<-'EOF'
	{"subject":"Lorry stopped at Dover","body":"Scanners show about 15 people inside a sealed container without ventilation. We need the haulier's details now."}
	{"subject":"Camion à Calais","body":"Une quinzaine de personnes seraient enfermées dans un conteneur scellé sans ventilation."}
	EOF
	assert_output "P1 trafficking P1 trafficking "
}

@test "a disaster to come is P2; one with people trapped stays P1; the policy row is forecast" {
	run triage <<-'EOF'
	{"subject":"Hurricane expected tonight","body":"Hurricane Zeta is expected to make landfall tonight. Evacuations are under way. We request today the contacts of DVI teams."}
	{"subject":"Crue attendue","body":"La crue devrait atteindre son pic ce soir; évacuations en cours. Merci de nous transmettre aujourd'hui les contacts des équipes IVC."}
	{"subject":"Flood - people trapped","body":"Flash floods: dozens of people are trapped on rooftops and the water is still rising; flooding is expected to continue tonight. Urgent international help requested."}
	EOF
	assert_output "P2 disaster P2 disaster P1 disaster "
	jq -e -s '.[1].triage.reasons | index("override:forecast=P2")' "$BATS_TEST_TMPDIR/out"
}

@test "closings and administrative traffic that ask something are P4" {
	run triage <<-'EOF'
	{"subject":"Vehículo recuperado","body":"El vehículo robado fue recuperado; se solicita darlo de baja en la base de datos."}
	{"subject":"Détenu extradé","body":"L'individu recherché a été extradé vers la France le 2 juin. Merci de clôturer le dossier."}
	{"subject":"Case archived","body":"Further to our message of 2 June, the case was archived: request withdrawn. The request is withdrawn and there is no further action."}
	{"subject":"تغيير ضابط الاتصال","body":"يرجى تحديث بياناتكم: ضابط الاتصال الجديد هو المقدم أحمد اعتبارا من 1 يوليو."}
	{"subject":"URGENT: system outage tonight","body":"URGENT: the messaging system will be unavailable tonight from 22:00 to 23:00 UTC for an upgrade. Please inform your staff."}
	{"subject":"Le recherché s'est rendu","body":"Le recherché s'est rendu aux autorités ce matin. Aucune action n'est nécessaire."}
	EOF
	assert_output "P4 general P4 fugitive P4 general P4 general P4 general P4 fugitive "
	jq -e -s '.[5].triage | (.request == null) and (.reasons | index("negated:fr \"est nécessaire\""))' "$BATS_TEST_TMPDIR/out"
}

@test "a clock time on a date gone by is over; on a later day it is no deadline of today" {
	run triage <<-'EOF'
	{"origin_country":"GB","subject":"Stop subject boarding","body":"Please ensure subject SMITH is stopped at boarding of flight BA 117 departing 12 June 2026 at 14:30."}
	{"origin_country":"FR","subject":"Vol du 20 juin","body":"Merci d'empêcher l'embarquement de l'intéressé sur le vol AF 1490 du 20 juin 2026 à 10h30."}
	EOF
	assert_output "P4 general P3 general "
	jq -e -s '.[0].triage.expired == true' "$BATS_TEST_TMPDIR/out"
	jq -e -s '.[1].triage.deadline == "2026-06-20T10:30:00Z"' "$BATS_TEST_TMPDIR/out"
}

@test "requests in other words and in dialect, with today or tomorrow: P2" {
	run triage <<-'EOF'
	{"subject":"Stolen car crossing today","body":"A stolen Audi Q7 tracked by GPS will reach the Slovenian border this afternoon. Please alert the Slovenian police today."}
	{"subject":"شحنة توصل بكرة","body":"شحنة حشيش هتوصل ميناء الإسكندرية بكرة الصبح. محتاجين بيانات الشاحن النهاردة."}
	{"subject":"FYI wanted man in Porto","body":"FYI: a man wanted by Germany for fraud has been living in Porto for months. Please advise today whether an arrest is requested."}
	EOF
	assert_output "P2 general P2 drugs P2 fugitive "
}

@test "negation: nothing urgent, no ... inmediata five words on; URGENT with a time weeks away is not Immediate" {
	run triage <<-'EOF'
	{"subject":"Subscriber details","body":"Nothing urgent: please obtain subscriber details for the phishing domain used in March. Two weeks would be fine."}
	{"subject":"Informe de tendencias","body":"Para su conocimiento: aumento de ransomware en la región. No se requiere ninguna acción inmediata."}
	{"subject":"URGENT : traçage d'une arme","body":"URGENT. Traçage demandé du revolver saisi lors d'une perquisition. Réponse souhaitée sous deux semaines."}
	EOF
	assert_output "P3 cybercrime P3 cybercrime P3 firearms "
	jq -e -s '.[0].triage.reasons | index("negated:en \"urgent\"")' "$BATS_TEST_TMPDIR/out"
	jq -e -s '.[1].triage.reasons | index("negated:es \"inmediata\"")' "$BATS_TEST_TMPDIR/out"
	jq -e -s '.[2].triage.urgency != "Immediate"' "$BATS_TEST_TMPDIR/out"
}

@test "records to identify victims are routine (P3); a fingerprint match on a red notice at a border is P1" {
	run triage <<-'EOF'
	{"subject":"Dental records for victims","body":"Please send dental records of the three nationals listed, victims of the plane crash that killed 120 people last week."}
	{"subject":"Empreintes pour identification","body":"Merci de transmettre les empreintes digitales et l'ADN des deux victimes de l'incendie qui a fait 12 morts."}
	{"subject":"Fingerprint hit at border","body":"Fingerprints of a traveller stopped at the border crossing match the subject of red notice A-55/2026. Please confirm the notice is still valid."}
	EOF
	assert_output "P3 disaster P3 general P1 fugitive "
	jq -e -s '.[0].triage.reasons | index("override:records=P3")' "$BATS_TEST_TMPDIR/out"
}

@test "a fugitive's flight already gone, a fugitive handed over, a threat dismissed: P4" {
	run triage <<-'EOF'
	{"subject":"Flight left this morning","body":"The flight the fugitive was on left this morning at 05:10 and has landed in Dubai."}
	{"subject":"Le vol est parti ce matin","body":"Le vol du fugitif est parti ce matin à 6h et a atterri à Montréal."}
	{"subject":"تسليم الهارب اليوم","body":"تم تسليم الهارب اليوم إلى السلطات الأردنية."}
	{"subject":"Menace écartée","body":"Pour information : la menace visant le festival a été écartée, le suspect est hors de cause."}
	{"subject":"Ship released","body":"The hijacked tanker was released yesterday and all crew members are safe. The alert may be withdrawn."}
	EOF
	assert_output "P4 fugitive P4 fugitive P4 fugitive P4 terrorism P4 maritime "
}

@test "a suicide announced, an explosive belt worn, hostages held: P1 in four languages" {
	run triage <<-'EOF'
	{"subject":"Intento de suicidio en directo","body":"Un joven está transmitiendo en directo que va a quitarse la vida. Necesitamos la IP y los datos del abonado."}
	{"subject":"Ceinture d'explosifs","body":"Un individu portant une ceinture d'explosifs a été signalé près de la gare."}
	{"subject":"Cinturón explosivo","body":"Un individuo con un cinturón explosivo ha sido visto cerca de la catedral."}
	{"subject":"محتجز رهائن","body":"رجل مسلح يحتجز ثلاثة موظفين داخل بنك في عمان."}
	EOF
	assert_output "P1 general P1 terrorism P1 terrorism P1 general "
}

@test "URGENT on administrative traffic (a meeting, duty officers' numbers) is still P4" {
	run triage <<-'EOF'
	{"subject":"URGENT: meeting agenda","body":"URGENT: please find attached the agenda of the heads of NCB meeting on 12 September. Please confirm attendance."}
	{"subject":"URGENTE: lista de oficiales de guardia","body":"URGENTE: rogamos nos envíen la lista actualizada de los teléfonos de sus oficiales de guardia."}
	{"subject":"عاجل: اجتماع رؤساء المكاتب","body":"عاجل: يرجى تأكيد المشاركة في اجتماع رؤساء المكاتب المركزية يوم 12 سبتمبر."}
	EOF
	assert_output "P4 general P4 general P4 general "
}

@test "a missing adult whose life is at risk, a person held by kidnappers, a suicide announced: P1 (a ransom note is no kidnapping)" {
	run triage <<-'EOF'
	{"subject":"Adulto desaparecido con riesgo vital","body":"Un hombre de 70 años con Alzheimer desapareció anoche; necesita su medicación. Rogamos difusión a la policía portuguesa."}
	{"subject":"Personne vulnérable disparue","body":"Un homme de 80 ans atteint d'Alzheimer a disparu; sans traitement son pronostic vital est engagé."}
	{"subject":"Persona privada de libertad","body":"Un ciudadano colombiano está privado de libertad por sus captores en Quito. Solicitamos apoyo."}
	{"subject":"Riesgo de suicidio","body":"Un hombre ha anunciado que se va a suicidar y ha apagado el teléfono. Solicitamos la última ubicación de su móvil."}
	{"subject":"Ransomware","body":"Hospital systems encrypted; the attackers leave a ransom note. Please share indicators."}
	EOF
	assert_output "P1 missing_child P1 missing_child P1 general P1 general P3 cybercrime "
}

@test "violence under way: a person in a car boot, a gun held to children, a beating now, an escape minutes ago: P1; drugs in a boot are not" {
	run triage <<-'EOF'
	{"subject":"Persona en el maletero","body":"Testigos vieron cómo metían a un hombre en el maletero de un coche que se dirige a la frontera con Portugal."}
	{"subject":"Amenaza con un arma a sus hijos","body":"Un padre amenaza con un arma a sus hijos en su domicilio de Lyon. Solicitamos antecedentes."}
	{"subject":"Woman being assaulted now","body":"A woman called for help: her partner is beating her right now in a flat in Leeds. Please send his records."}
	{"subject":"Se ha fugado un detenido","body":"Un detenido peligroso se ha fugado hace diez minutos del juzgado. Solicitamos difusión inmediata."}
	{"subject":"Cocaína en el maletero","body":"Se hallaron 20 kg de cocaína en el maletero de un coche en Algeciras."}
	EOF
	assert_output "P1 general P1 general P1 general P1 fugitive P3 drugs "
}

@test "an explosive device found and not yet made safe: P1 in four languages" {
	run triage <<-'EOF'
	{"subject":"Device found at station","body":"An explosive device has been found on a train at the central station; bomb squad on the way."}
	{"subject":"Engin explosif découvert","body":"Un engin explosif a été découvert dans une école de Marseille, les élèves sont encore à l'intérieur."}
	{"subject":"Artefacto explosivo en un tren","body":"Se ha encontrado un artefacto explosivo en un tren de cercanías en Madrid; los pasajeros siguen a bordo."}
	{"subject":"عبوة ناسفة في محطة","body":"عثر على عبوة ناسفة في محطة القطارات المركزية ولم يتم تفكيكها بعد."}
	EOF
	assert_output "P1 terrorism P1 terrorism P1 terrorism P1 terrorism "
}

@test "triage-eval.sh measures the tuning set tune2 (240 messages), in its default run too" {
	run "$BATS_TEST_DIRNAME/bench/triage-eval.sh" tune2
	assert_success
	assert_line --regexp '^tune2 +all +240 +2[2-4][0-9] '
	assert_line --regexp '^  P1 +[0-9]+ +[0-9]+ +0 +0$'
	grep -q 'tune2)' "$BATS_TEST_DIRNAME/bench/triage-eval.sh"
	grep -q 'set -- eval tune2 tune3 corpus' "$BATS_TEST_DIRNAME/bench/triage-eval.sh"
}

@test "a life at stake in plain words, with a request for action now: P1 in four languages" {
	run triage <<-'EOF'
	{"subject":"Man with petrol at a station","body":"A man has poured petrol over his car at a petrol station in Leeds and says he will kill his ex-wife, who is inside. Please get us his brother's number right away."}
	{"subject":"Intoxication","body":"Deux hommes ont avalé des comprimés achetés à un vendeur venu de votre pays. Il faut connaître la composition pour les sauver. Contactez le vendeur tout de suite."}
	{"subject":"Se cayó al agua","body":"Un pescador cayó al agua frente a Vigo hace diez minutos. El barco es de su país; necesitamos la lista de la tripulación ya mismo."}
	{"subject":"يهدد زوجته","body":"رجل فتح الغاز في بيته ويقول رح يقتل زوجته. أخوه عايش عندكم، بدنا رقمه هلأ."}
	EOF
	assert_output "P1 general P1 general P1 maritime P1 general "
}

@test "a suspect about to go free or vanish, evidence about to go, with time short: P1; a hearing this afternoon stays P2" {
	run triage <<-'EOF'
	{"subject":"Release at noon","body":"We hold a man on a minor charge; we must release him in 30 minutes unless you confirm your warrant for a shooting. Once out he will vanish. Reply now."}
	{"subject":"Libération imminente","body":"Le suspect d'un homicide sera libéré dans 40 minutes si vous ne confirmez pas le mandat. Il disparaîtra ensuite. Répondez tout de suite."}
	{"subject":"Van a borrar todo","body":"El socio del sospechoso quiere destruir las pruebas del fraude ahora mismo. Necesitamos la orden de registro en media hora."}
	{"subject":"Hearing today","body":"The hearing is this afternoon at 15:00. Please send the certified judgment before then."}
	EOF
	assert_output "P1 general P1 general P1 general P2 general "
}

@test "a minor who did not come back home, in regional words: P1 missing_child; URGENT on a trend for information: P3" {
	run triage <<-'EOF'
	{"subject":"Chamaco no regresa","body":"Un chamaco de 12 años no volvió a su casa desde ayer; dijo que vería a un hombre de internet."}
	{"subject":"بنت ما رجعت","body":"بنت عمرها 14 سنة ما رجعت للبيت من امبارح."}
	{"subject":"URGENT: phishing wave","body":"URGENT. For information, a phishing campaign using fake parcel notices is spreading. Nothing to do before next month."}
	EOF
	assert_output "P1 missing_child P1 missing_child P3 cybercrime "
}

@test "triage-eval.sh measures the tuning set tune3 (160 messages), in its default run too" {
	run "$BATS_TEST_DIRNAME/bench/triage-eval.sh" tune3
	assert_success
	assert_line --regexp '^tune3 +all +160 +1[3-6][0-9] '
	assert_line --regexp '^  P1 +[0-9]+ +[0-9]+ +0 +0$'
	grep -q 'tune3)' "$BATS_TEST_DIRNAME/bench/triage-eval.sh"
}

@test "French: a weapon (arme) is not an armed man (armé): the same as English" {
	run triage <<-'EOF'
	{"subject":"Saisie d'une arme","body":"Une arme de poing a été saisie lors du contrôle routier d'hier. Merci de nous transmettre l'historique du numéro de série."}
	{"subject":"Seized weapon","body":"A handgun was seized during yesterday's road check. Please send us the history of the serial number."}
	{"subject":"Individu armé","body":"Un individu armé s'est retranché dans un appartement à Marseille. Merci de vérifier son identité."}
	EOF
	assert_output "P3 firearms P3 firearms P1 general "
	run jq -r '.triage.reasons | map(select(startswith("severity"))) | join(",")' "$BATS_TEST_TMPDIR/out"
	assert_output "$(printf '\n\nseverity:severe:fr "individu armé",severity:extreme:fr "retranché"')"
}
