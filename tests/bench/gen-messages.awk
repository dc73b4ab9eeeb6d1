# Generate N NDJSON messages of 300-600 bytes in the four working languages.
#   awk -v n=1000000 -f tests/bench/gen-messages.awk
BEGIN {
	srand(42)
	split("ncb:fr ncb:ar ncb:es ncb:sg ncb:us ncb:ma osint:wire osint:rss", src, " ")
	split("FR AR ES SG US MA BR EG", cc, " ")
	en[1] = "Subject wanted for armed robbery was seen boarding a flight to Madrid; passport reported stolen last week."
	en[2] = "Request for information on a missing child last seen near the central station; parents have been notified."
	en[3] = "Shipment of firearms intercepted at the port; the vessel is flagged and the crew is being questioned."
	fr[1] = "Le suspect recherché pour vol à main armée a été vu à l'aéroport; son passeport a été déclaré volé."
	fr[2] = "Demande d'information sur une enfant disparue, vue pour la dernière fois près de la gare centrale."
	fr[3] = "Une cargaison d'armes a été saisie au port; le navire est immobilisé et l'équipage interrogé."
	es[1] = "El sospechoso buscado por robo a mano armada fue visto en el aeropuerto; su pasaporte fue robado."
	es[2] = "Solicitud de información sobre una niña desaparecida, vista por última vez cerca de la estación."
	es[3] = "Se interceptó un cargamento de armas en el puerto; el buque está retenido y la tripulación detenida."
	ar[1] = "شوهد المشتبه به المطلوب بتهمة السطو المسلح في المطار وقد أبلغ عن سرقة جواز سفره الأسبوع الماضي"
	ar[2] = "طلب معلومات عن طفلة مفقودة شوهدت آخر مرة بالقرب من المحطة المركزية وقد تم إبلاغ الوالدين"
	ar[3] = "تم اعتراض شحنة أسلحة نارية في الميناء والسفينة محتجزة ويجري استجواب الطاقم"
	for (i = 1; i <= n; i++) {
		k = int(rand() * 3) + 1
		l = i % 4
		body = l == 0 ? en[k] : l == 1 ? fr[k] : l == 2 ? es[k] : ar[k]
		extra = 1 + int(rand() * 4)
		for (j = 0; j < extra; j++) {
			more = l == 0 ? en[(k + j) % 3 + 1] : l == 1 ? fr[(k + j) % 3 + 1] : l == 2 ? es[(k + j) % 3 + 1] : ar[(k + j) % 3 + 1]
			if (length(body) + length(more) > 400)
				break
			body = body " " more
		}
		s = src[i % 8 + 1]
		printf "{\"source\":\"%s\",\"external_id\":\"%s-%09d\",\"origin_country\":\"%s\",\"sent_at\":\"2026-11-%02dT%02d:%02d:00Z\",\"subject\":\"Case %d\",\"body\":\"%s\"}\n", \
			s, s, i, cc[i % 8 + 1], i % 28 + 1, i % 24, i % 60, i, body
	}
}
