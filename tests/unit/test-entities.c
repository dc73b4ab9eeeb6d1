/*
 * test-entities.c: entities found in message text in Arabic, English, French
 * and Spanish: machine readable zones, VINs, labelled document numbers, and
 * nothing in ordinary text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/entities.h"
#include "tap.h"

/* The entities of text as compact JSON with sorted keys; free() it. */
static char *extract(const char *text)
{
	jv v = entities_extract(text, strlen(text));
	jv s = jv_dump_string(v, JV_PRINT_SORTED);
	char *r = strdup(jv_string_value(s));
	jv_free(s);
	return r;
}

static void expect(const char *text, const char *want, const char *name)
{
	char *got = extract(text);
	is_str(got, want, "%s", name);
	free(got);
}

/* A field of the first entity of the given kind, as JSON text. */
static char *field_of(jv all, const char *kind, const char *key)
{
	char *r = NULL;

	jv_array_foreach (all, i, e) {
		jv k = jv_object_get(jv_copy(e), jv_string("kind"));
		if (!r && strcmp(jv_string_value(k), kind) == 0) {
			jv s = jv_dump_string(jv_object_get(jv_copy(e), jv_string(key)),
					      JV_PRINT_SORTED);
			r = strdup(jv_string_value(s));
			jv_free(s);
		}
		jv_free(k);
		jv_free(e);
	}
	jv_free(all);
	return r ? r : strdup("(none)");
}

static void expect_field(const char *text, const char *kind, const char *key, const char *want)
{
	char *got = field_of(entities_extract(text, strlen(text)), kind, key);
	is_str(got, want, "%s.%s", kind, key);
	free(got);
}

static int count(const char *text)
{
	jv v = entities_extract(text, strlen(text));
	int n = jv_array_length(v);
	return n;
}

#define DOC(num, label) "{\"kind\":\"document\",\"label\":\"" label "\",\"number\":\"" num "\"}"
#define DOC_CC(num, label, cc)                                                                     \
	"{\"country\":\"" cc "\",\"kind\":\"document\",\"label\":\"" label "\",\"number\":\"" num  \
	"\"}"
#define VIN(v, valid, cd)                                                                          \
	"{\"check_digit\":\"" cd "\",\"kind\":\"vin\",\"valid\":" valid ",\"vin\":\"" v "\"}"

static void documents(void)
{
	/* English */
	expect("Subject: stolen passport\nThe French passport no. 12AB34567 was reported stolen.",
	       "[" DOC_CC("12AB34567", "passport", "FR") "]", "en: French passport no.");
	expect("Suspect travels on passport number X 1234-567 (issued 2019).",
	       "[" DOC("X1234567", "passport") "]", "en: passport number, spaces and dashes");
	expect("Moroccan ID card no: 123-456-789, valid.",
	       "[" DOC_CC("123456789", "id_card", "MA") "]", "en: Moroccan ID card no:");
	expect("PASSPORT # 533475514 (GBR), expired", "[" DOC_CC("533475514", "passport", "GB") "]",
	       "en: capitals, #, country code in parentheses");
	expect("holder of passport FRA 15CV12345", "[" DOC_CC("15CV12345", "passport", "FR") "]",
	       "en: alpha-3 code after the label");
	/* French */
	expect("Le passeport français n° 15CV12345 a été déclaré volé à Lyon.",
	       "[" DOC_CC("15CV12345", "passport", "FR") "]", "fr: passeport français n°");
	expect("Sa carte d'identité numéro 880692310285 est expirée.",
	       "[" DOC("880692310285", "id_card") "]", "fr: carte d'identité numéro");
	expect("carte nationale d\u2019identite N° 1710GVA12345",
	       "[" DOC("1710GVA12345", "id_card") "]", "fr: curly apostrophe, no accent");
	expect("PASSEPORT ALGÉRIEN N°: 1234 5678 9", "[" DOC_CC("123456789", "passport", "DZ") "]",
	       "fr: capitals, accented country");
	/* Spanish */
	expect("Detenido con pasaporte español n.º PAA123456 en Madrid.",
	       "[" DOC_CC("PAA123456", "passport", "ES") "]", "es: pasaporte español n.º");
	expect("Presentó el DNI 12.345.678-Z y el pasaporte número AB-1234567.",
	       "[" DOC("12345678Z", "id_card") "," DOC("AB1234567", "passport") "]",
	       "es: DNI with dots, pasaporte número");
	expect("pasaporte de Marruecos nº 9876543", "[" DOC_CC("9876543", "passport", "MA") "]",
	       "es: pasaporte de Marruecos nº");
	/* Arabic */
	expect("تم العثور على جواز سفر مغربي رقم TK1234567 في المطار",
	       "[" DOC_CC("TK1234567", "passport", "MA") "]", "ar: جواز سفر مغربي رقم");
	expect("جواز السفر الفرنسي رقم 15CV12345", "[" DOC_CC("15CV12345", "passport", "FR") "]",
	       "ar: with definite articles");
	expect("بطاقة هوية رقم ١٢٣٤٥٦٧٨", "[" DOC("12345678", "id_card") "]",
	       "ar: بطاقة هوية with Arabic-Indic digits");
	expect("STOLEN CAR AND PASSPORT NO. 12345678 REPORTED BY NCB MADRID",
	       "[" DOC("12345678", "passport") "]", "capitals: AND is not read as Andorra");
	/* The same number twice is one entity. */
	expect("passport no. 12AB34567 ... again: passport no. 12AB34567",
	       "[" DOC("12AB34567", "passport") "]", "a repeated number is reported once");
}

static void vins(void)
{
	expect("Vehicle VIN: 1HGCM82633A004352, black Honda.",
	       "[" VIN("1HGCM82633A004352", "true", "ok") "]", "en: labelled VIN, digit ok");
	expect("VIN 1HGCM82643A004352 (typo?)", "[" VIN("1HGCM82643A004352", "false", "bad") "]",
	       "en: labelled VIN with a wrong digit is reported invalid");
	expect("car 1M8GDM9AXKP042788 seen near the border",
	       "[" VIN("1M8GDM9AXKP042788", "true", "ok") "]", "unlabelled VIN that verifies");
	expect("reference 1HGCM82643A004352 in the file", "[]",
	       "unlabelled North American token with a wrong digit: not reported");
	expect("Golf WVWZZZ1JZXW000001 volée", "[" VIN("WVWZZZ1JZXW000001", "null", "n/a") "]",
	       "fr: unlabelled European VIN, check digit not applicable");
	expect("vin: 1hgcm82633a004352", "[" VIN("1HGCM82633A004352", "true", "ok") "]",
	       "labelled lowercase VIN is normalised");
	expect("VIN: 1HGCM82633AO04352", "[" VIN("1HGCM82633AO04352", "false", "n/a") "]",
	       "labelled VIN with a letter O is reported invalid");
	expect("Numéro de châssis : VF1RFB00X56789012",
	       "[" VIN("VF1RFB00X56789012", "null", "n/a") "]", "fr: numéro de châssis");
	expect("Chassis number: 1HGCM82643A004352",
	       "[" VIN("1HGCM82643A004352", "false", "bad") "]", "en: chassis number, wrong digit");
	expect("número de bastidor VSSZZZ6JZ9R123456",
	       "[" VIN("VSSZZZ6JZ9R123456", "null", "n/a") "]", "es: número de bastidor");
	expect("رقم الشاصي: JH4KA7561PC008269", "[" VIN("JH4KA7561PC008269", "true", "ok") "]",
	       "ar: رقم الشاصي");
	expect("coche 1hgcm82633a004352 rojo", "[]", "unlabelled lowercase token: not reported");
	expect("code SKU1234567890ABCD", "[]", "token without the 4-digit serial: not reported");
}

static const char td3[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r\n"
			  "L898902C36UTO7408122F1204159ZE184226B<<<<<10\r\n";

static void mrzs(void)
{
	char buf[1024];
	jv v;

	snprintf(
	    buf, sizeof buf,
	    "From: NCB Lisboa\n\nPlease check this travel document:\n\n    %s   \n> %s\nRegards",
	    "IDBEL000590240<6013<<<<<<<<<<<\r\n    8512017F1311048BEL851201002007",
	    "REINARTZ<<ULRIKE<KATIA<E<<<<<<");
	expect_field(buf, "mrz", "format", "\"TD1\"");
	expect_field(buf, "mrz", "document_number", "\"000590240601\"");
	expect_field(buf, "mrz", "valid", "true");
	expect_field(buf, "mrz", "errors", "[]");
	expect_field(buf, "mrz", "issuing_country", "\"BE\"");
	expect_field(buf, "mrz", "birth_date_iso", "\"1985-12-01\"");
	is_int(count(buf), 1, "TD1 across indentation, CRLF and quoting: one entity");

	/* A wrong check digit is flagged, not dropped. */
	snprintf(buf, sizeof buf, "Document trouvé :\n%s\n%s\n%s\nMerci.",
		 "IDBEL000590240<6016<<<<<<<<<<<", "8512017F1311048BEL851201002007",
		 "REINARTZ<<ULRIKE<KATIA<E<<<<<<");
	expect_field(buf, "mrz", "valid", "false");
	expect_field(buf, "mrz", "errors", "[\"document_number\",\"composite\"]");
	expect_field(buf, "mrz", "check_digits",
		     "{\"birth_date\":\"ok\",\"composite\":\"bad\",\"document_number\":\"bad\","
		     "\"expiry_date\":\"ok\"}");

	/* TD3 with CRLF in an Arabic message. */
	snprintf(buf, sizeof buf, "يرجى التحقق من جواز السفر التالي:\r\n%s\r\nشكرا", td3);
	v = entities_extract(buf, strlen(buf));
	is_int(jv_array_length(jv_copy(v)), 1, "ar: one entity, the zone");
	{
		char *f = field_of(jv_copy(v), "mrz", "surname");
		is_str(f, "\"ERIKSSON\"", "ar: TD3 surname");
		free(f);
		f = field_of(jv_copy(v), "mrz", "errors");
		is_str(f, "[\"issuing_state\",\"nationality\"]", "ar: specimen state UTO flagged");
		free(f);
		f = field_of(v, "mrz", "format");
		is_str(f, "\"TD3\"", "ar: TD3 format");
		free(f);
	}

	/* TD2 in Spanish text, and a passport number label in the same message. */
	expect_field("Documento: \nI<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
		     "D231458907UTO7408122F1204159<<<<<<<6\nfin",
		     "mrz", "format", "\"TD2\"");
	expect_field("Zone:\nV<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
		     "L8988901C4XXX4009078F96121096ZE184226B<<<<<<\n",
		     "mrz", "format", "\"MRV-A\"");
	is_int(count("Zone:\n\nP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\n"
		     "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n\n"),
	       1, "a blank line between the lines of a zone is tolerated");
	/* Only one line of a zone, or lines broken by text, are not a zone. */
	is_int(count("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nand then"), 0,
	       "a single MRZ line is not reported");
	is_int(count("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nx\n"
		     "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n"),
	       0, "lines separated by text are not a zone");
	is_int(count("<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
		     "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"),
	       0, "separator lines of fillers are not a zone");
}

static void no_false_positives(void)
{
	static const char *const plain[] = {
	    "The passport control at the border was slow this morning; 1200 travellers were "
	    "checked between 06:00 and 09:30. Internationalisation of the characteristically "
	    "uncharacteristic procedures continues. Call +33 4 72 44 70 00 or see "
	    "https://example.org/reports/2024-03-01. Passport holders must renew: passport no "
	    "longer valid after 2025. ABCDEFGHJKLMNPRST is the alphabet we use.",
	    "Le contrôle des passeports à la frontière a pris du retard ; le vin rouge de 2019 "
	    "est excellent. La carte d'identité n'est plus exigée. Numéro de dossier inconnu. "
	    "Hash: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.",
	    "El control de pasaportes fue lento; el DNI es obligatorio para todos los "
	    "ciudadanos mayores de 14 años. Reunión el 12/03/2025 a las 10:00 en la sala 4.",
	    "تمت مراقبة جوازات السفر في المطار يوم 12 مارس 2025، وكان عدد المسافرين 1200 "
	    "مسافر. بطاقة الهوية ضرورية للجميع.",
	    "==============================\n------------------------------\n"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123\nABCDEFGHIJKLMNOPQRSTUVWXYZ0123\n"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123\n",
	};

	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		char *got = extract(plain[i]);
		is_str(got, "[]", "ordinary text %zu: no entity", i + 1);
		free(got);
	}
	expect("", "[]", "empty text");
	is_int(count("passport"), 0, "a label at the very end");
	is_int(count("passport no. 1234"), 0, "a number of 4 characters is too short");
}

int main(void)
{
	documents();
	vins();
	mrzs();
	no_false_positives();
	return tap_done();
}
