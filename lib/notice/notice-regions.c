/*
 * notice-regions.c: the ISO 3166 alpha-2 codes ccc-notice knows, grouped in
 * the five regions a diffusion or alert can be sent to. The grouping follows
 * the regional bureaus of the model organisation (North Africa is in mena);
 * each code is in exactly one region, so the union is the country table.
 */
#include <string.h>

#include "ccc/notice.h"

static const struct {
	const char *name;
	const char *codes; /* space separated */
} regions[] = {
    {"africa", "AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ GQ ER SZ ET GA GM GH GN GW KE LS "
	       "LR MG MW ML MR MU MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG UG ZM ZW"},
    {"americas", "AG AR BS BB BZ BO BR CA CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA "
		 "PY PE KN LC VC SR TT US UY VE AW CW SX"},
    {"asia-south-pacific", "AF AU BD BT BN KH CN FJ IN ID IR JP KZ KI KG LA MY MV MH FM MN MM "
			   "NR NP NZ KP PK PW PG PH WS SG SB KR LK TJ TH TL TO TM TV UZ VU "
			   "VN HK MO"},
    {"europe", "AL AD AM AT AZ BY BE BA BG HR CY CZ DK EE FI FR GE DE GR HU IS IE IL IT LV LI "
	       "LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SE CH TR UA GB VA GI"},
    {"mena", "DZ BH EG IQ JO KW LB LY MA OM PS QA SA SY TN AE YE"},
};

int notice_country_known(const char *cc)
{
	if (!cc || strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
		return 0;
	for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
		for (const char *p = regions[i].codes; *p; p += p[2] ? 3 : 2)
			if (p[0] == cc[0] && p[1] == cc[1])
				return 1;
	return 0;
}

jv notice_region(const char *name)
{
	for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
		if (strcmp(regions[i].name, name) != 0)
			continue;
		jv a = jv_array();
		for (const char *p = regions[i].codes; *p; p += p[2] ? 3 : 2)
			a = jv_array_append(a, jv_string_sized(p, 2));
		return a;
	}
	return jv_invalid();
}
