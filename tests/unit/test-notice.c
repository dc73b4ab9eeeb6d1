/*
 * test-notice.c: control numbers, dates, the country and region tables,
 * required fields and the Article 3 screen.
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/json.h"
#include "ccc/notice.h"
#include "tap.h"

static jv parse(const char *s)
{
	jv v = jv_parse(s);
	if (!jv_is_valid(v))
		abort();
	return v;
}

/* The problems of record text s, joined with "|". */
static void problems(const char *s, char *out, size_t n)
{
	jv rec = parse(s), list = notice_problems(rec);
	size_t len = 0;
	out[0] = '\0';
	jv_array_foreach (list, i, p) {
		len +=
		    (size_t)snprintf(out + len, n - len, "%s%s", i ? "|" : "", jv_string_value(p));
		jv_free(p);
	}
	jv_free(list);
	jv_free(rec);
}

/* The categories and languages of the screen's hits on one field. */
static void screen(const char *field, const char *text, char *out, size_t n)
{
	jv rec = jv_object_set(jv_object(), jv_string(field), jv_string(text));
	jv hits = notice_article3_screen(rec);
	size_t len = 0;
	out[0] = '\0';
	jv_array_foreach (hits, i, h) {
		len += (size_t)snprintf(out + len, n - len, "%s%s/%s", i ? " " : "",
					jv_get_str(h, "category"), jv_get_str(h, "lang"));
		jv_free(h);
	}
	jv_free(hits);
	jv_free(rec);
}

int main(void)
{
	char buf[1024];
	setenv("CCC_NOW", "2026-11-20T09:00:00Z", 1);

	notice_control_number(NOTICE_RED, 12, 2026, buf, sizeof buf);
	is_str(buf, "A-12/2026", "red control number");
	notice_control_number(notice_kind_by_name("yellow"), 3, 2027, buf, sizeof buf);
	is_str(buf, "F-3/2027", "yellow control number");
	is_int(notice_kind_by_name("teal"), -1, "unknown kind");
	is_str(notice_kind_type(NOTICE_DIFFUSION), "diffusion", "diffusion type");
	ok(notice_kind_names_person(NOTICE_RED) && !notice_kind_names_person(NOTICE_PURPLE),
	   "red names a person, purple does not");

	ok(notice_valid_date("2024-02-29"), "29 February of a leap year");
	ok(!notice_valid_date("2023-02-29"), "29 February of a common year");
	ok(!notice_valid_date("1900-02-29"), "1900 is not a leap year");
	ok(notice_valid_date("2000-02-29"), "2000 is a leap year");
	ok(!notice_valid_date("2026-04-31"), "31 April");
	ok(!notice_valid_date("2026-4-01"), "a one-digit month");

	ok(notice_country_known("FR") && notice_country_known("MA"), "FR and MA are known");
	ok(!notice_country_known("QQ") && !notice_country_known("fr") &&
	       !notice_country_known("FRA"),
	   "QQ, fr and FRA are not");
	jv r = notice_region("mena");
	is_int(jv_array_length(jv_copy(r)), 17, "mena has 17 countries");
	jv_free(r);
	ok(!jv_is_valid(notice_region("atlantis")), "an unknown region");

	/* Who a notice is sent to. */
	jv d = jv_parse("{\"kind\":\"diffusion\",\"to\":[\"MA\"],\"regions\":[\"europe\"]}");
	is_int(notice_sent_to(d, "MA"), 1, "sent to MA, named in to");
	is_int(notice_sent_to(d, "DE"), 1, "sent to DE, in the europe region");
	is_int(notice_sent_to(d, "US"), 0, "not sent to US");
	is_int(notice_sent_to(d, NULL), 0, "no reader: not among the named");
	jv_free(d);
	d = jv_parse("{\"kind\":\"red\",\"to\":[]}");
	is_int(notice_sent_to(d, "US"), 0, "an empty to names no one, and no one reads it so");
	jv_free(d);
	d = jv_parse("{\"kind\":\"red\"}");
	is_int(notice_sent_to(d, "US"), -1, "no to nor regions: every member country");
	jv_free(d);

	problems("{\"kind\":\"red\",\"name\":\"Ivan Petrov\",\"dob\":\"1980-03-14\","
		 "\"nationalities\":[\"RU\"],\"charge\":\"robbery\",\"warrant\":\"W-1\","
		 "\"warrant_date\":\"2026-10-02\",\"authority\":\"TJ Lyon\","
		 "\"requesting_country\":\"FR\"}",
		 buf, sizeof buf);
	is_str(buf, "", "a complete red notice has no problem");
	problems("{\"kind\":\"yellow\",\"name\":\"Ana\",\"dob\":\"2027-01-01\","
		 "\"missing_since\":\"2026-11-01\",\"requesting_country\":\"XX\"}",
		 buf, sizeof buf);
	is_str(buf,
	       "field 'dob': '2027-01-01' is in the future|field 'requesting_country': 'XX' is not "
	       "an ISO 3166 alpha-2 code",
	       "a birth in the future and an unknown country");
	problems("{\"kind\":\"diffusion\",\"purpose\":\"locate\",\"requesting_country\":\"ES\"}",
		 buf, sizeof buf);
	is_str(buf, "a diffusion needs its recipients: give --to or --region",
	       "a diffusion without recipients");

	screen("charge", "Membre d'un PARTI POLITIQUE d'opposition", buf, sizeof buf);
	is_str(buf, "political/fr", "French, in capitals");
	screen("charge", "desertor del servicio militar", buf, sizeof buf);
	is_str(buf, "military/es military/es", "Spanish, two military terms");
	screen("purpose", "accused of apostasy", buf, sizeof buf);
	is_str(buf, "religious/en", "English religious term");
	screen("description", "والمعارضة", buf, sizeof buf);
	is_str(buf, "", "an Arabic term without the prefix flag does not match glued");
	screen("description", "تمييز بسبب أصل عرقي", buf, sizeof buf);
	is_str(buf, "racial/ar", "Arabic racial term");
	screen("charge", "armed robbery of a bank", buf, sizeof buf);
	is_str(buf, "", "an ordinary charge is not flagged");
	screen("charge", "horse racing fraud", buf, sizeof buf);
	is_str(buf, "", "'racing' is not 'racial'");
	return tap_done();
}
