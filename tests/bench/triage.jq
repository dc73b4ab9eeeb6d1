# The floor for tests/bench/triage.sh: what an engineer would write in jq to
# triage messages with a few phrases per category in the four languages.
def cats: [
  ["terrorism", "bomb|explosive|attentat|explosif|atentado|bomba|terroris|إرهاب|تفجير|عبوة ناسفة"],
  ["fugitive", "fugitive|wanted|recherché|fugitif|prófugo|buscado|fugitivo|هارب|مطلوب"],
  ["missing_child", "missing child|abducted|enfant disparu|enlèvement|niña desaparecida|niño desaparecido|secuestr|طفل مفقود|اختطاف"],
  ["trafficking", "trafficking|smuggling of migrants|traite|trata de personas|الاتجار بالبشر"],
  ["drugs", "cocaine|heroin|cannabis|cocaïne|héroïne|cocaína|heroína|مخدرات|كوكايين"],
  ["firearms", "firearm|rifle|weapons|armes|fusil|armas|fusiles|أسلحة"],
  ["cybercrime", "ransomware|cyber|phishing|piratage|informático|هجوم إلكتروني"],
  ["disaster", "earthquake|flood|tsunami|séisme|inondation|terremoto|inundación|زلزال|فيضان"],
  ["cultural_property", "stolen artwork|antiquities|œuvre d'art|obra de arte|آثار مسروقة"],
  ["maritime", "vessel|piracy|navire|buque|piratería|سفينة|قرصنة"]
];
def urgent: "urgent|immediately|now|urgence|immédiatement|urgente|inmediatamente|ahora|عاجل|فورا";
((.subject // "") + " " + (.body // "") | ascii_downcase) as $t
| ([cats[] | select(. as $c | $t | test($c[1])) | .[0]] | first // "general") as $cat
| ($t | test(urgent)) as $urgent
| (if $urgent and $cat != "general" then "P1" elif $urgent or $cat != "general" then "P2" else "P4" end) as $p
| .triage = {priority: $p, category: $cat,
    due_at: ((.received_at | fromdateiso8601) + ({P1: 900, P2: 3600, P3: 28800, P4: 259200}[$p]) | todate)}
