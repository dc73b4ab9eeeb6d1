/*
 * sanctions.c: the UN Security Council Consolidated List and the OFAC SDN
 * legacy CSV files as reference records (see sanctions.h for their shape).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uscript.h>

#include "ccc/csv.h"
#include "ccc/sanctions.h"
#include "ccc/utf8.h"
#include "ccc/xmlsafe.h"

/*
 * Country names as the lists write them, lower-case, sorted by byte value
 * for bsearch: ISO 3166-1 short names, the UN's official names, OFAC's
 * "Korea, North" forms and common short forms. XK (Kosovo) is the
 * user-assigned code that the EU, OFAC and ICAO use.
 */
static const struct country {
	const char *name;
	char code[3];
} countries[] = {
    {"afghanistan", "AF"},
    {"aland islands", "AX"},
    {"albania", "AL"},
    {"algeria", "DZ"},
    {"american samoa", "AS"},
    {"andorra", "AD"},
    {"angola", "AO"},
    {"anguilla", "AI"},
    {"antarctica", "AQ"},
    {"antigua and barbuda", "AG"},
    {"argentina", "AR"},
    {"armenia", "AM"},
    {"aruba", "AW"},
    {"australia", "AU"},
    {"austria", "AT"},
    {"azerbaijan", "AZ"},
    {"bahamas", "BS"},
    {"bahrain", "BH"},
    {"bangladesh", "BD"},
    {"barbados", "BB"},
    {"belarus", "BY"},
    {"belgium", "BE"},
    {"belize", "BZ"},
    {"benin", "BJ"},
    {"bermuda", "BM"},
    {"bhutan", "BT"},
    {"bolivarian republic of venezuela", "VE"},
    {"bolivia", "BO"},
    {"bolivia (plurinational state of)", "BO"},
    {"bonaire, sint eustatius and saba", "BQ"},
    {"bosnia and herzegovina", "BA"},
    {"bosnia-herzegovina", "BA"},
    {"botswana", "BW"},
    {"bouvet island", "BV"},
    {"brazil", "BR"},
    {"britain", "GB"},
    {"british indian ocean territory", "IO"},
    {"british virgin islands", "VG"},
    {"brunei", "BN"},
    {"brunei darussalam", "BN"},
    {"bulgaria", "BG"},
    {"burkina faso", "BF"},
    {"burma", "MM"},
    {"burundi", "BI"},
    {"cabo verde", "CV"},
    {"cambodia", "KH"},
    {"cameroon", "CM"},
    {"canada", "CA"},
    {"cape verde", "CV"},
    {"cayman islands", "KY"},
    {"central african republic", "CF"},
    {"chad", "TD"},
    {"chile", "CL"},
    {"china", "CN"},
    {"china, hong kong special administrative region", "HK"},
    {"china, macao special administrative region", "MO"},
    {"christmas island", "CX"},
    {"cocos (keeling) islands", "CC"},
    {"colombia", "CO"},
    {"comoros", "KM"},
    {"congo", "CG"},
    {"congo (brazzaville)", "CG"},
    {"congo (kinshasa)", "CD"},
    {"congo, democratic republic of the", "CD"},
    {"congo, republic of the", "CG"},
    {"congo, the democratic republic of the", "CD"},
    {"cook islands", "CK"},
    {"costa rica", "CR"},
    {"cote d'ivoire", "CI"},
    {"croatia", "HR"},
    {"cuba", "CU"},
    {"curacao", "CW"},
    {"curaçao", "CW"},
    {"cyprus", "CY"},
    {"czech republic", "CZ"},
    {"czechia", "CZ"},
    {"côte d'ivoire", "CI"},
    {"democratic people's republic of korea", "KP"},
    {"democratic republic of the congo", "CD"},
    {"denmark", "DK"},
    {"djibouti", "DJ"},
    {"dominica", "DM"},
    {"dominican republic", "DO"},
    {"dprk", "KP"},
    {"dr congo", "CD"},
    {"drc", "CD"},
    {"east timor", "TL"},
    {"ecuador", "EC"},
    {"egypt", "EG"},
    {"el salvador", "SV"},
    {"equatorial guinea", "GQ"},
    {"eritrea", "ER"},
    {"estonia", "EE"},
    {"eswatini", "SZ"},
    {"ethiopia", "ET"},
    {"falkland islands", "FK"},
    {"falkland islands (malvinas)", "FK"},
    {"faroe islands", "FO"},
    {"fiji", "FJ"},
    {"finland", "FI"},
    {"france", "FR"},
    {"french guiana", "GF"},
    {"french polynesia", "PF"},
    {"french southern territories", "TF"},
    {"gabon", "GA"},
    {"gambia", "GM"},
    {"gambia, the", "GM"},
    {"gaza", "PS"},
    {"georgia", "GE"},
    {"germany", "DE"},
    {"ghana", "GH"},
    {"gibraltar", "GI"},
    {"great britain", "GB"},
    {"greece", "GR"},
    {"greenland", "GL"},
    {"grenada", "GD"},
    {"guadeloupe", "GP"},
    {"guam", "GU"},
    {"guatemala", "GT"},
    {"guernsey", "GG"},
    {"guinea", "GN"},
    {"guinea bissau", "GW"},
    {"guinea-bissau", "GW"},
    {"guyana", "GY"},
    {"haiti", "HT"},
    {"heard island and mcdonald islands", "HM"},
    {"holy see", "VA"},
    {"honduras", "HN"},
    {"hong kong", "HK"},
    {"hong kong special administrative region of china", "HK"},
    {"hong kong, china", "HK"},
    {"hungary", "HU"},
    {"iceland", "IS"},
    {"india", "IN"},
    {"indonesia", "ID"},
    {"iran", "IR"},
    {"iran (islamic republic of)", "IR"},
    {"iran, islamic republic of", "IR"},
    {"iraq", "IQ"},
    {"ireland", "IE"},
    {"islamic republic of iran", "IR"},
    {"isle of man", "IM"},
    {"israel", "IL"},
    {"italy", "IT"},
    {"ivory coast", "CI"},
    {"jamaica", "JM"},
    {"japan", "JP"},
    {"jersey", "JE"},
    {"jordan", "JO"},
    {"kazakhstan", "KZ"},
    {"kenya", "KE"},
    {"kiribati", "KI"},
    {"korea, democratic people's republic of", "KP"},
    {"korea, north", "KP"},
    {"korea, republic of", "KR"},
    {"korea, south", "KR"},
    {"kosovo", "XK"},
    {"kuwait", "KW"},
    {"kyrgyz republic", "KG"},
    {"kyrgyzstan", "KG"},
    {"lao people's democratic republic", "LA"},
    {"laos", "LA"},
    {"latvia", "LV"},
    {"lebanon", "LB"},
    {"lesotho", "LS"},
    {"liberia", "LR"},
    {"libya", "LY"},
    {"libyan arab jamahiriya", "LY"},
    {"liechtenstein", "LI"},
    {"lithuania", "LT"},
    {"luxembourg", "LU"},
    {"macao", "MO"},
    {"macau", "MO"},
    {"macedonia", "MK"},
    {"macedonia, the former yugoslav republic of", "MK"},
    {"madagascar", "MG"},
    {"malawi", "MW"},
    {"malaysia", "MY"},
    {"maldives", "MV"},
    {"mali", "ML"},
    {"malta", "MT"},
    {"man, isle of", "IM"},
    {"marshall islands", "MH"},
    {"martinique", "MQ"},
    {"mauritania", "MR"},
    {"mauritius", "MU"},
    {"mayotte", "YT"},
    {"mexico", "MX"},
    {"micronesia", "FM"},
    {"micronesia (federated states of)", "FM"},
    {"micronesia, federated states of", "FM"},
    {"moldova", "MD"},
    {"moldova, republic of", "MD"},
    {"monaco", "MC"},
    {"mongolia", "MN"},
    {"montenegro", "ME"},
    {"montserrat", "MS"},
    {"morocco", "MA"},
    {"mozambique", "MZ"},
    {"myanmar", "MM"},
    {"namibia", "NA"},
    {"nauru", "NR"},
    {"nepal", "NP"},
    {"netherlands", "NL"},
    {"netherlands (kingdom of the)", "NL"},
    {"new caledonia", "NC"},
    {"new zealand", "NZ"},
    {"nicaragua", "NI"},
    {"niger", "NE"},
    {"nigeria", "NG"},
    {"niue", "NU"},
    {"norfolk island", "NF"},
    {"north korea", "KP"},
    {"north macedonia", "MK"},
    {"northern mariana islands", "MP"},
    {"norway", "NO"},
    {"oman", "OM"},
    {"pakistan", "PK"},
    {"palau", "PW"},
    {"palestine", "PS"},
    {"palestinian", "PS"},
    {"palestinian territories", "PS"},
    {"panama", "PA"},
    {"papua new guinea", "PG"},
    {"paraguay", "PY"},
    {"people's republic of china", "CN"},
    {"peru", "PE"},
    {"philippines", "PH"},
    {"pitcairn", "PN"},
    {"plurinational state of bolivia", "BO"},
    {"poland", "PL"},
    {"portugal", "PT"},
    {"puerto rico", "PR"},
    {"qatar", "QA"},
    {"republic of korea", "KR"},
    {"republic of moldova", "MD"},
    {"republic of the congo", "CG"},
    {"reunion", "RE"},
    {"romania", "RO"},
    {"russia", "RU"},
    {"russian federation", "RU"},
    {"rwanda", "RW"},
    {"réunion", "RE"},
    {"saint barthelemy", "BL"},
    {"saint barthélemy", "BL"},
    {"saint helena", "SH"},
    {"saint kitts and nevis", "KN"},
    {"saint lucia", "LC"},
    {"saint martin", "MF"},
    {"saint martin (french part)", "MF"},
    {"saint pierre and miquelon", "PM"},
    {"saint vincent and the grenadines", "VC"},
    {"samoa", "WS"},
    {"san marino", "SM"},
    {"sao tome and principe", "ST"},
    {"saudi arabia", "SA"},
    {"senegal", "SN"},
    {"serbia", "RS"},
    {"seychelles", "SC"},
    {"sierra leone", "SL"},
    {"singapore", "SG"},
    {"sint maarten", "SX"},
    {"sint maarten (dutch part)", "SX"},
    {"slovakia", "SK"},
    {"slovenia", "SI"},
    {"solomon islands", "SB"},
    {"somalia", "SO"},
    {"south africa", "ZA"},
    {"south georgia and the south sandwich islands", "GS"},
    {"south korea", "KR"},
    {"south sudan", "SS"},
    {"spain", "ES"},
    {"sri lanka", "LK"},
    {"st. kitts and nevis", "KN"},
    {"state of palestine", "PS"},
    {"sudan", "SD"},
    {"suriname", "SR"},
    {"svalbard and jan mayen", "SJ"},
    {"swaziland", "SZ"},
    {"sweden", "SE"},
    {"switzerland", "CH"},
    {"syria", "SY"},
    {"syrian arab republic", "SY"},
    {"são tomé and príncipe", "ST"},
    {"taiwan", "TW"},
    {"taiwan, province of china", "TW"},
    {"tajikistan", "TJ"},
    {"tanzania", "TZ"},
    {"tanzania, united republic of", "TZ"},
    {"thailand", "TH"},
    {"the former yugoslav republic of macedonia", "MK"},
    {"the gambia", "GM"},
    {"the netherlands", "NL"},
    {"timor-leste", "TL"},
    {"togo", "TG"},
    {"tokelau", "TK"},
    {"tonga", "TO"},
    {"trinidad and tobago", "TT"},
    {"tunisia", "TN"},
    {"turkey", "TR"},
    {"turkiye", "TR"},
    {"turkmenistan", "TM"},
    {"turks and caicos islands", "TC"},
    {"tuvalu", "TV"},
    {"türkiye", "TR"},
    {"uae", "AE"},
    {"uganda", "UG"},
    {"uk", "GB"},
    {"ukraine", "UA"},
    {"united arab emirates", "AE"},
    {"united kingdom", "GB"},
    {"united kingdom of great britain and northern ireland", "GB"},
    {"united republic of tanzania", "TZ"},
    {"united states", "US"},
    {"united states minor outlying islands", "UM"},
    {"united states of america", "US"},
    {"united states virgin islands", "VI"},
    {"uruguay", "UY"},
    {"usa", "US"},
    {"uzbekistan", "UZ"},
    {"vanuatu", "VU"},
    {"vatican city", "VA"},
    {"venezuela", "VE"},
    {"venezuela (bolivarian republic of)", "VE"},
    {"viet nam", "VN"},
    {"vietnam", "VN"},
    {"virgin islands (british)", "VG"},
    {"virgin islands (u.s.)", "VI"},
    {"virgin islands, british", "VG"},
    {"virgin islands, u.s.", "VI"},
    {"wallis and futuna", "WF"},
    {"west bank", "PS"},
    {"western sahara", "EH"},
    {"yemen", "YE"},
    {"zambia", "ZM"},
    {"zimbabwe", "ZW"},
    {"åland islands", "AX"},
};

#define NCOUNTRIES (sizeof countries / sizeof countries[0])

static int country_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct country *)elem)->name);
}

const char *sanctions_country_code(const char *name, size_t len)
{
	char key[96];
	size_t n = 0;

	while (len && isspace((unsigned char)*name)) {
		name++;
		len--;
	}
	while (len && (isspace((unsigned char)name[len - 1]) || name[len - 1] == '.'))
		len--;
	if (len >= 4 && !strncasecmp(name, "the ", 4)) {
		name += 4;
		len -= 4;
	}
	const char *e = name + len;
	if (len == 2 && isupper((unsigned char)name[0]) && isupper((unsigned char)name[1])) {
		for (size_t i = 0; i < NCOUNTRIES; i++)
			if (!memcmp(countries[i].code, name, 2))
				return countries[i].code;
		return NULL;
	}
	for (const char *p = name; p < e; p++) {
		char c = *p;
		if (n + 2 >= sizeof key)
			return NULL;
		if (isspace((unsigned char)c)) {
			if (n && key[n - 1] == ' ')
				continue;
			c = ' ';
		} else if (e - p >= 3 && !memcmp(p, "\xE2\x80\x99", 3)) { /* ’ */
			c = '\'';
			p += 2;
		}
		key[n++] = (char)tolower((unsigned char)c);
	}
	key[n] = '\0';
	const struct country *hit =
	    bsearch(key, countries, NCOUNTRIES, sizeof countries[0], country_cmp);
	return hit ? hit->code : NULL;
}

const char *sanctions_script(const char *s, size_t len)
{
	const char *p = s, *e = s + len;
	while (p < e) {
		UErrorCode status = U_ZERO_ERROR;
		UChar32 c = (UChar32)utf8_next(&p);
		UScriptCode sc = uscript_getScript(c, &status);
		if (U_FAILURE(status) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED ||
		    sc == USCRIPT_UNKNOWN)
			continue;
		const char *name = uscript_getShortName(sc);
		if (name)
			return name;
	}
	return "Zyyy";
}

/* ---- text ---- */

/* s with runs of white space made one space and the ends trimmed. */
static jv collapsed(const char *s, size_t n)
{
	char small[256], *out = n < sizeof small ? small : malloc(n + 1);
	size_t o = 0;
	jv r;

	if (!out)
		return jv_string("");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (o && out[o - 1] != ' ')
				out[o++] = ' ';
		} else {
			out[o++] = (char)c;
		}
	}
	while (o && out[o - 1] == ' ')
		o--;
	r = jv_string_sized(o ? out : "", (int)o);
	if (out != small)
		free(out);
	return r;
}

static int empty(jv s)
{
	return jv_get_kind(s) != JV_KIND_STRING || jv_string_length_bytes(jv_copy(s)) == 0;
}

/* Set key to s in obj when s is a non-empty string; s is consumed. */
static jv set_text(jv obj, const char *key, jv s)
{
	if (empty(s)) {
		jv_free(s);
		return obj;
	}
	return jv_object_set(obj, jv_string(key), s);
}

/* Append s (consumed) to the array at obj[key] unless it is empty or there already. */
static jv add_unique(jv obj, const char *key, jv s)
{
	if (empty(s)) {
		jv_free(s);
		return obj;
	}
	jv arr = jv_object_get(jv_copy(obj), jv_string(key));
	if (jv_get_kind(arr) != JV_KIND_ARRAY) {
		jv_free(arr);
		arr = jv_array();
	}
	jv_array_foreach (arr, i, e) {
		int same = jv_equal(e, jv_copy(s));
		if (same) {
			jv_free(arr);
			jv_free(s);
			return obj;
		}
	}
	return jv_object_set(obj, jv_string(key), jv_array_append(arr, s));
}

/* A name object {name, script, type}; name consumed. */
static jv name_object(jv name, const char *type)
{
	const char *s = jv_string_value(name);
	jv o = jv_object();
	o = jv_object_set(
	    o, jv_string("script"),
	    jv_string(sanctions_script(s, (size_t)jv_string_length_bytes(jv_copy(name)))));
	o = jv_object_set(o, jv_string("type"), jv_string(type));
	return jv_object_set(o, jv_string("name"), name);
}

/* Put a country into obj: its code under code_key, else the text under name_key. */
static jv set_country(jv obj, const char *code_key, const char *name_key, jv text, int array)
{
	if (empty(text)) {
		jv_free(text);
		return obj;
	}
	const char *s = jv_string_value(text);
	size_t n = (size_t)jv_string_length_bytes(jv_copy(text));
	const char *cc = sanctions_country_code(s, n);
	if (!strcasecmp(s, "na") || !strcasecmp(s, "n/a")) { /* not available */
		jv_free(text);
		return obj;
	}
	if (cc) {
		jv_free(text);
		return array ? add_unique(obj, code_key, jv_string(cc))
			     : jv_object_set(obj, jv_string(code_key), jv_string(cc));
	}
	return array ? add_unique(obj, name_key, text)
		     : jv_object_set(obj, jv_string(name_key), text);
}

/* ---- dates of birth ---- */

struct ymd {
	int y, m, d; /* m, d: 0 when not given */
};

static const char *const month_names[] = {"january",   "february", "march",    "april",
					  "may",       "june",     "july",     "august",
					  "september", "october",  "november", "december"};

static void skip_space(const char **p, const char *e)
{
	while (*p < e && (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r' || **p == ','))
		(*p)++;
}

/* Digits at *p: their count (at most max) and value. */
static int digits(const char *p, const char *e, int max, int *value)
{
	int n = 0, v = 0;
	while (p + n < e && n < max + 1 && isdigit((unsigned char)p[n]))
		v = v * 10 + (p[n++] - '0');
	*value = v;
	return n;
}

/* A month name or its 3-letter abbreviation (with or without '.') at *p. */
static int month_at(const char **p, const char *e)
{
	size_t n = 0;
	while (*p + n < e && isalpha((unsigned char)(*p)[n]))
		n++;
	if (n < 3)
		return 0;
	for (int i = 0; i < 12; i++) {
		size_t full = strlen(month_names[i]);
		if ((n == 3 || n == full || (i == 8 && n == 4)) && n <= full &&
		    !strncasecmp(*p, month_names[i], n)) {
			*p += n;
			if (*p < e && **p == '.')
				(*p)++;
			return i + 1;
		}
	}
	return 0;
}

static int valid_ymd(const struct ymd *v)
{
	return v->y >= 1800 && v->y <= 2100 && v->m >= 0 && v->m <= 12 && v->d >= 0 && v->d <= 31 &&
	       (v->m || !v->d);
}

/* One date at *p: YYYY-MM-DD, YYYY-MM, YYYY, "DD Mon YYYY", "Mon. YYYY",
 * "Month YYYY". */
static int date_at(const char **p, const char *e, struct ymd *out)
{
	const char *q = *p;
	int v, n;

	*out = (struct ymd){0};
	skip_space(&q, e);
	n = digits(q, e, 4, &v);
	if (n == 4) {
		out->y = v;
		q += 4;
		/* "-MM" is a month; "-1982" (a range of years) is not */
		if (q + 3 <= e && *q == '-' && digits(q + 1, e, 2, &v) == 2 && v >= 1 && v <= 12) {
			out->m = v;
			q += 3;
			if (q + 3 <= e && *q == '-' && digits(q + 1, e, 2, &v) == 2) {
				out->d = v;
				q += 3;
			}
		}
	} else if (n == 1 || n == 2) {
		out->d = v;
		q += n;
		skip_space(&q, e);
		if (!(out->m = month_at(&q, e)))
			return 0;
		skip_space(&q, e);
		if (digits(q, e, 4, &v) != 4)
			return 0;
		out->y = v;
		q += 4;
	} else if ((out->m = month_at(&q, e))) {
		skip_space(&q, e);
		if (digits(q, e, 4, &v) != 4)
			return 0;
		out->y = v;
		q += 4;
	} else {
		return 0;
	}
	if (!valid_ymd(out))
		return 0;
	*p = q;
	return 1;
}

static jv ymd_string(const struct ymd *v)
{
	if (v->d)
		return jv_string_fmt("%04d-%02d-%02d", v->y, v->m, v->d);
	if (v->m)
		return jv_string_fmt("%04d-%02d", v->y, v->m);
	return jv_string_fmt("%04d", v->y);
}

/* Add the dates of a range to obj[key]: the date itself when both ends are
 * equal, else the shared year-month or year, else every year (the two ends
 * when they are more than ten years apart). */
static jv add_range(jv obj, const char *key, const struct ymd *a, const struct ymd *b)
{
	if (a->y == b->y && a->m == b->m && a->d == b->d)
		return add_unique(obj, key, ymd_string(a));
	if (a->y == b->y) {
		struct ymd v = {a->y, a->m == b->m ? a->m : 0, 0};
		return add_unique(obj, key, ymd_string(&v));
	}
	int lo = a->y < b->y ? a->y : b->y, hi = a->y < b->y ? b->y : a->y;
	for (int y = lo; y <= hi; y++)
		if (hi - lo <= 10 || y == lo || y == hi)
			obj = add_unique(obj, key, jv_string_fmt("%04d", y));
	return obj;
}

/*
 * Dates of birth written as text ("12 Jan 1960", "circa 1960", "1958 to
 * 1962", "01 Jan 1980 to 31 Dec 1982", "circa 1979-1982", "Nov. 1973")
 * into obj[key]. Returns 1 when the text was read (what follows the dates
 * has no digit), else 0 and obj is unchanged.
 */
static jv parse_dob_text(jv obj, const char *key, const char *s, size_t n, int *okp)
{
	const char *p = s, *e = s + n;
	struct ymd a, b;
	static const char *const hedges[] = {"circa ", "approximately ", "approx. ", "about ",
					     "c. ",    "ca. ",           NULL};

	*okp = 0;
	skip_space(&p, e);
	for (int i = 0; hedges[i]; i++)
		if ((size_t)(e - p) >= strlen(hedges[i]) &&
		    !strncasecmp(p, hedges[i], strlen(hedges[i]))) {
			p += strlen(hedges[i]);
			break;
		}
	if (!date_at(&p, e, &a))
		return obj;
	b = a;
	const char *q = p;
	skip_space(&q, e);
	if (q + 2 <= e && !strncasecmp(q, "to", 2) && (q + 2 == e || !isalpha((unsigned char)q[2])))
		q += 2;
	else if (q < e && *q == '-')
		q++;
	else
		q = NULL;
	if (q && !date_at(&q, e, &b))
		return obj;
	if (q)
		p = q;
	for (const char *r = p; r < e; r++)
		if (isdigit((unsigned char)*r))
			return obj;
	*okp = 1;
	return add_range(obj, key, &a, &b);
}

/* ---- UN Security Council Consolidated List ---- */

static int is(const xmlNode *n, const char *name)
{
	return xmlsafe_is(n, NULL, name);
}

/* The first child element of el named name, or NULL. */
static xmlNode *child(const xmlNode *el, const char *name)
{
	for (xmlNode *c = el->children; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* The text of el with white space collapsed ("" for NULL). */
static jv text_of(const xmlNode *el)
{
	if (!el)
		return jv_string("");
	jv t = xmlsafe_text(el);
	jv c = collapsed(jv_string_value(t), (size_t)jv_string_length_bytes(jv_copy(t)));
	jv_free(t);
	return c;
}

static jv child_text(const xmlNode *el, const char *name)
{
	return text_of(child(el, name));
}

/* An address or place of birth: {street, city, state, postal_code, country or
 * country_name, note}; an empty object when it says nothing. */
static jv un_place(const xmlNode *el)
{
	jv o = jv_object();
	o = set_text(o, "street", child_text(el, "STREET"));
	o = set_text(o, "city", child_text(el, "CITY"));
	o = set_text(o, "state", child_text(el, "STATE_PROVINCE"));
	o = set_text(o, "postal_code", child_text(el, "ZIP_CODE"));
	o = set_country(o, "country", "country_name", child_text(el, "COUNTRY"), 0);
	return set_text(o, "note", child_text(el, "NOTE"));
}

static jv add_object(jv rec, const char *key, jv o)
{
	if (jv_object_length(jv_copy(o)) == 0) {
		jv_free(o);
		return rec;
	}
	jv arr = jv_object_get(jv_copy(rec), jv_string(key));
	if (jv_get_kind(arr) != JV_KIND_ARRAY) {
		jv_free(arr);
		arr = jv_array();
	}
	return jv_object_set(rec, jv_string(key), jv_array_append(arr, o));
}

static jv un_document(const xmlNode *el)
{
	jv o = jv_object();
	jv type = child_text(el, "TYPE_OF_DOCUMENT");
	const char *t = jv_string_value(type);

	if (!strcasecmp(t, "passport") || !strncasecmp(t, "num\xC3\xA9ro de passeport", 20) ||
	    !strncasecmp(t, "n\xC3\xBAmero de pasaporte", 20)) {
		jv_free(type);
		type = jv_string("passport");
	} else if (!strcasecmp(t, "national identification number")) {
		jv_free(type);
		type = jv_string("national_id");
	}
	o = set_text(o, "type", type);
	o = set_text(o, "number", child_text(el, "NUMBER"));
	jv issuer = child_text(el, "ISSUING_COUNTRY");
	if (empty(issuer)) {
		jv_free(issuer);
		issuer = child_text(el, "COUNTRY_OF_ISSUE");
	}
	o = set_country(o, "country", "country_name", issuer, 0);
	o = set_text(o, "issued_on", child_text(el, "DATE_OF_ISSUE"));
	o = set_text(o, "city_of_issue", child_text(el, "CITY_OF_ISSUE"));
	o = set_text(o, "note", child_text(el, "NOTE"));
	/* A document with only a type says nothing. */
	if (jv_object_length(jv_copy(o)) == 1 && jv_object_has(jv_copy(o), jv_string("type"))) {
		jv_free(o);
		return jv_object();
	}
	return o;
}

/* Add a date of birth written in the list's own fields or in a note. */
static jv add_dob_text(jv rec, jv text)
{
	int ok;
	if (empty(text)) {
		jv_free(text);
		return rec;
	}
	rec = parse_dob_text(rec, "dob", jv_string_value(text),
			     (size_t)jv_string_length_bytes(jv_copy(text)), &ok);
	if (!ok)
		rec = add_unique(rec, "unparsed", jv_string_fmt("DOB %s", jv_string_value(text)));
	jv_free(text);
	return rec;
}

/* INDIVIDUAL_DATE_OF_BIRTH: DATE, YEAR, FROM_YEAR..TO_YEAR, or a NOTE. */
static jv un_dob(jv rec, const xmlNode *el)
{
	jv date = child_text(el, "DATE"), year = child_text(el, "YEAR");
	jv from = child_text(el, "FROM_YEAR"), to = child_text(el, "TO_YEAR");

	if (!empty(date)) {
		rec = add_dob_text(rec, jv_copy(date));
	} else if (!empty(year)) {
		rec = add_dob_text(rec, jv_copy(year));
	} else if (!empty(from) || !empty(to)) {
		jv range = empty(to)     ? jv_copy(from)
			   : empty(from) ? jv_copy(to)
					 : jv_string_fmt("%s to %s", jv_string_value(from),
							 jv_string_value(to));
		rec = add_dob_text(rec, range);
	} else {
		/* Only a note, e.g. "Nov. 1973"; a note about a date above is not one. */
		rec = add_dob_text(rec, child_text(el, "NOTE"));
	}
	jv_free(date);
	jv_free(year);
	jv_free(from);
	jv_free(to);
	return rec;
}

/* An INDIVIDUAL_ALIAS or ENTITY_ALIAS as a name object, or jv_null(). */
static jv un_alias(jv *rec, const xmlNode *el, int individual)
{
	jv name = child_text(el, "ALIAS_NAME");
	if (empty(name)) {
		jv_free(name);
		return jv_null();
	}
	jv q = child_text(el, "QUALITY");
	const char *qs = jv_string_value(q);
	jv o = name_object(name, !strcasecmp(qs, "f.k.a.") ? "fka" : "aka");
	if (!strcasecmp(qs, "good"))
		o = jv_object_set(o, jv_string("quality"), jv_string("good"));
	else if (!strcasecmp(qs, "low"))
		o = jv_object_set(o, jv_string("quality"), jv_string("low"));
	jv_free(q);
	if (individual) {
		jv dob = child_text(el, "DATE_OF_BIRTH");
		if (!empty(dob)) {
			int ok;
			o = parse_dob_text(o, "dob", jv_string_value(dob),
					   (size_t)jv_string_length_bytes(jv_copy(dob)), &ok);
			*rec = add_dob_text(*rec, jv_copy(dob));
		}
		jv_free(dob);
	}
	return set_text(o, "note", child_text(el, "NOTE"));
}

/* The VALUE children of el[name] into rec[key] as strings. */
static jv un_values(jv rec, const xmlNode *el, const char *name, const char *key)
{
	for (const xmlNode *c = el->children; c; c = c->next)
		if (is(c, name))
			for (const xmlNode *v = c->children; v; v = v->next)
				if (is(v, "VALUE"))
					rec = add_unique(rec, key, text_of(v));
	return rec;
}

/* One INDIVIDUAL or ENTITY element as a record (or jv_invalid_with_msg). */
static jv un_record(const xmlNode *el, int individual)
{
	jv ref = child_text(el, "REFERENCE_NUMBER");
	if (empty(ref)) {
		jv_free(ref);
		return jv_invalid_with_msg(jv_string_fmt("%s without REFERENCE_NUMBER",
							 individual ? "INDIVIDUAL" : "ENTITY"));
	}
	jv rec = jv_object();
	rec = jv_object_set(rec, jv_string("id"), jv_string_fmt("un:%s", jv_string_value(ref)));
	rec =
	    jv_object_set(rec, jv_string("kind"), jv_string(individual ? "individual" : "entity"));
	rec = jv_object_set(rec, jv_string("list"), jv_string("UN SC"));
	rec = jv_object_set(rec, jv_string("reference"), ref);

	/* The primary name: FIRST_NAME .. FOURTH_NAME, as written. */
	static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
					    "FOURTH_NAME"};
	jv full = jv_string("");
	for (int i = 0; i < 4; i++) {
		jv part = child_text(el, parts[i]);
		if (!empty(part)) {
			if (jv_string_length_bytes(jv_copy(full)))
				full = jv_string_append_str(full, " ");
			full = jv_string_concat(full, part);
		} else {
			jv_free(part);
		}
	}
	jv names = jv_array();
	if (!empty(full))
		names = jv_array_append(names, name_object(full, "primary"));
	else
		jv_free(full);
	jv orig = child_text(el, "NAME_ORIGINAL_SCRIPT");
	if (!empty(orig))
		names = jv_array_append(names, name_object(orig, "original_script"));
	else
		jv_free(orig);
	for (const xmlNode *c = el->children; c; c = c->next)
		if (is(c, individual ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS")) {
			jv a = un_alias(&rec, c, individual);
			if (jv_get_kind(a) == JV_KIND_OBJECT)
				names = jv_array_append(names, a);
			else
				jv_free(a);
		}
	rec = jv_object_set(rec, jv_string("names"), names);

	for (const xmlNode *c = el->children; c; c = c->next) {
		if (is(c, "INDIVIDUAL_DATE_OF_BIRTH")) {
			rec = un_dob(rec, c);
		} else if (is(c, "NATIONALITY")) {
			for (const xmlNode *v = c->children; v; v = v->next)
				if (is(v, "VALUE"))
					rec = set_country(rec, "nationalities", "nationality_names",
							  text_of(v), 1);
		} else if (is(c, "INDIVIDUAL_ADDRESS") || is(c, "ENTITY_ADDRESS")) {
			rec = add_object(rec, "addresses", un_place(c));
		} else if (is(c, "INDIVIDUAL_PLACE_OF_BIRTH")) {
			rec = add_object(rec, "places_of_birth", un_place(c));
		} else if (is(c, "INDIVIDUAL_DOCUMENT")) {
			rec = add_object(rec, "documents", un_document(c));
		}
	}
	rec = set_text(rec, "listed_on", child_text(el, "LISTED_ON"));
	rec = add_unique(rec, "programs", child_text(el, "UN_LIST_TYPE"));
	rec = un_values(rec, el, "TITLE", "titles");
	rec = un_values(rec, el, "DESIGNATION", "designations");
	jv gender = child_text(el, "GENDER");
	if (!strcasecmp(jv_string_value(gender), "male"))
		rec = jv_object_set(rec, jv_string("gender"), jv_string("male"));
	else if (!strcasecmp(jv_string_value(gender), "female"))
		rec = jv_object_set(rec, jv_string("gender"), jv_string("female"));
	jv_free(gender);
	const xmlNode *comments = child(el, "COMMENTS1");
	if (comments)
		rec = set_text(rec, "comments", xmlsafe_text(comments));
	return rec;
}

int un_consolidated_parse(const char *buf, size_t len, sanctions_record_fn cb, void *ctx,
			  char **err)
{
	xmlDocPtr doc = xmlsafe_parse(buf, len, err);
	int rc = 0;

	if (!doc)
		return -1;
	xmlNode *root = xmlDocGetRootElement(doc);
	if (!is(root, "CONSOLIDATED_LIST")) {
		if (err)
			*err = strdup("not a UN consolidated list: the root element is not "
				      "CONSOLIDATED_LIST");
		xmlFreeDoc(doc);
		return -1;
	}
	for (xmlNode *group = root->children; group && !rc; group = group->next) {
		int individual = is(group, "INDIVIDUALS");
		if (!individual && !is(group, "ENTITIES"))
			continue;
		for (xmlNode *el = group->children; el && !rc; el = el->next)
			if (is(el, individual ? "INDIVIDUAL" : "ENTITY"))
				rc = cb(un_record(el, individual), (size_t)xmlGetLineNo(el), ctx);
	}
	xmlFreeDoc(doc);
	return rc;
}

/* ---- OFAC SDN legacy CSV ---- */

/* Column i of an OFAC row, trimmed, "" for OFAC's "-0-" (empty). */
static jv ofac_col(jv row, int i)
{
	jv f = jv_array_get(jv_copy(row), i);
	if (jv_get_kind(f) != JV_KIND_STRING) {
		jv_free(f);
		return jv_string("");
	}
	jv c = collapsed(jv_string_value(f), (size_t)jv_string_length_bytes(jv_copy(f)));
	jv_free(f);
	if (!strcmp(jv_string_value(c), "-0-")) {
		jv_free(c);
		return jv_string("");
	}
	return c;
}

/* Read an OFAC side file (alt.csv, add.csv) into {ent_num: [row, ...]}, passing
 * bad rows to cb. Returns 0 or cb's non-zero value. */
static int ofac_side_file(const char *buf, size_t len, int ncols, const char *file, jv *map,
			  sanctions_record_fn cb, void *ctx)
{
	struct csv_reader *r = csv_open(buf, len);
	jv row;
	size_t line;
	char *reason;
	int got, rc = 0;

	*map = jv_object();
	if (!r)
		return cb(jv_invalid_with_msg(jv_string_fmt("%s: out of memory", file)), 0, ctx);
	while (!rc && (got = csv_next(r, &row, &line, &reason)) != 0) {
		if (got < 0) {
			rc = cb(jv_invalid_with_msg(jv_string_fmt("%s: %s", file, reason)), line,
				ctx);
			free(reason);
			continue;
		}
		if (jv_array_length(jv_copy(row)) != ncols) {
			rc = cb(jv_invalid_with_msg(jv_string_fmt("%s: %d fields, not %d", file,
								  jv_array_length(jv_copy(row)),
								  ncols)),
				line, ctx);
			jv_free(row);
			continue;
		}
		jv key = ofac_col(row, 0);
		jv list = jv_object_get(jv_copy(*map), jv_copy(key));
		if (jv_get_kind(list) != JV_KIND_ARRAY) {
			jv_free(list);
			list = jv_array();
		}
		*map = jv_object_set(*map, key, jv_array_append(list, row));
	}
	csv_close(r);
	return rc;
}

/* "LAST, First" -> "First LAST"; other names unchanged. */
static jv reordered(jv name)
{
	const char *s = jv_string_value(name), *comma = strstr(s, ", ");
	if (!comma || comma == s || !comma[2])
		return name;
	jv r = jv_string_fmt("%s %.*s", comma + 2, (int)(comma - s), s);
	jv_free(name);
	return r;
}

/* A name object from an OFAC name as listed; individuals' names reordered. */
static jv ofac_name(jv listed, const char *type, int individual)
{
	if (!individual)
		return name_object(listed, type);
	jv name = reordered(jv_copy(listed));
	jv o = name_object(jv_copy(name), type);
	if (!jv_equal(name, jv_copy(listed)))
		o = jv_object_set(o, jv_string("listed_as"), listed);
	else
		jv_free(listed);
	return o;
}

static int starts(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

/* 1 when the seven digits at s carry a valid IMO check digit. */
static int imo_valid(const char *s)
{
	int sum = 0;
	for (int i = 0; i < 7; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	for (int i = 0; i < 6; i++)
		sum += (s[i] - '0') * (7 - i);
	return sum % 10 == s[6] - '0';
}

/* Digits after word ("IMO ", "MMSI ") in s: their count, at most 12. */
static size_t number_after(const char *s, const char *word, const char **at)
{
	const char *p = strstr(s, word);
	size_t n = 0;
	if (!p)
		return 0;
	p += strlen(word);
	while (n < 12 && isdigit((unsigned char)p[n]))
		n++;
	*at = p;
	return n;
}

/*
 * The statements of an OFAC Remarks field ("DOB 12 Jan 1960; alt. DOB 1961;
 * nationality Iran; citizen Iraq; Vessel Registration Identification IMO
 * 9187629; ...") that ccc-check uses, into rec.
 */
static jv ofac_remarks(jv rec, jv remarks, const char *kind)
{
	const char *s = jv_string_value(remarks), *end = s + strlen(s);
	int person = !strcmp(kind, "individual") || !strcmp(kind, "entity");

	for (const char *p = s; p < end;) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *e = semi ? semi : end;
		const char *q = p;
		size_t n = (size_t)(e - p);
		p = semi ? semi + 1 : end;
		while (n && *q == ' ') {
			q++;
			n--;
		}
		while (n && (q[n - 1] == ' ' || q[n - 1] == '.'))
			n--;
		if (n >= 5 && starts(q, "alt. ")) {
			q += 5;
			n -= 5;
		}
		char item[512];
		if (n >= sizeof item)
			continue;
		memcpy(item, q, n);
		item[n] = '\0';

		if (person && starts(item, "DOB ")) {
			int ok;
			rec = parse_dob_text(rec, "dob", item + 4, n - 4, &ok);
			if (!ok)
				rec = add_unique(rec, "unparsed", jv_string(item));
		} else if (person && (starts(item, "nationality ") || starts(item, "citizen ")) &&
			   !starts(item, "nationality of registration")) {
			const char *c = item + (item[0] == 'n' || item[0] == 'N' ? 12 : 8);
			if (starts(c, "possibly "))
				c += 9;
			const char *cc = sanctions_country_code(c, strlen(c));
			if (cc)
				rec = add_unique(rec, "nationalities", jv_string(cc));
			else
				rec = add_unique(rec, "unparsed", jv_string(item));
		} else if (!strcmp(kind, "vessel")) {
			const char *at;
			size_t d = number_after(item, "IMO ", &at);
			if (d == 7 && imo_valid(at))
				rec = jv_object_set(rec, jv_string("imo"), jv_string_sized(at, 7));
			else if (d)
				rec = add_unique(rec, "unparsed", jv_string(item));
			if (number_after(item, "MMSI ", &at) == 9)
				rec = jv_object_set(rec, jv_string("mmsi"), jv_string_sized(at, 9));
		}
	}
	return set_text(rec, "remarks", remarks);
}

/* Program "SDGT] [SYRIA" (the legacy file's way of listing several) as an array. */
static jv ofac_programs(jv rec, jv program)
{
	const char *s = jv_string_value(program);
	while (*s) {
		while (*s == '[' || *s == ']' || *s == ' ')
			s++;
		size_t n = strcspn(s, "[]");
		while (n && s[n - 1] == ' ')
			n--;
		if (n)
			rec = add_unique(rec, "programs", jv_string_sized(s, (int)n));
		s += n;
		while (*s == ' ')
			s++;
		if (*s != '[' && *s != ']' && *s)
			s++;
	}
	jv_free(program);
	return rec;
}

static jv ofac_addresses(jv rec, jv rows)
{
	jv_array_foreach (rows, i, row) {
		jv o = jv_object();
		o = set_text(o, "street", ofac_col(row, 2));
		o = set_text(o, "city", ofac_col(row, 3)); /* OFAC's "City/State/Province/Postal" */
		o = set_country(o, "country", "country_name", ofac_col(row, 4), 0);
		o = set_text(o, "note", ofac_col(row, 5));
		rec = add_object(rec, "addresses", o);
		jv_free(row);
	}
	jv_free(rows);
	return rec;
}

/* One sdn.csv row (12 columns) as a record, with its aliases and addresses. */
static jv ofac_record(jv row, jv alts, jv adds)
{
	jv num = ofac_col(row, 0), name = ofac_col(row, 1), type = ofac_col(row, 2);
	const char *t = jv_string_value(type);
	const char *kind = !strcasecmp(t, "individual") ? "individual"
			   : !strcasecmp(t, "vessel")   ? "vessel"
			   : !strcasecmp(t, "aircraft") ? "aircraft"
							: "entity";
	int individual = !strcmp(kind, "individual");
	jv rec = jv_object();

	rec = jv_object_set(rec, jv_string("id"), jv_string_fmt("ofac:%s", jv_string_value(num)));
	rec = jv_object_set(rec, jv_string("kind"), jv_string(kind));
	rec = jv_object_set(rec, jv_string("list"), jv_string("OFAC SDN"));
	rec = jv_object_set(rec, jv_string("reference"), num);
	jv_free(type);

	jv names = jv_array();
	if (!strcmp(kind, "vessel") || !strcmp(kind, "aircraft"))
		rec = set_text(rec, "name", jv_copy(name));
	if (!empty(name))
		names = jv_array_append(names, ofac_name(name, "primary", individual));
	else
		jv_free(name);
	if (jv_get_kind(alts) == JV_KIND_ARRAY) {
		jv_array_foreach (alts, i, alt) {
			jv at = ofac_col(alt, 2), an = ofac_col(alt, 3), note = ofac_col(alt, 4);
			const char *ts = jv_string_value(at);
			const char *atype = !strcasecmp(ts, "fka")   ? "fka"
					    : !strcasecmp(ts, "nka") ? "nka"
								     : "aka";
			if (!empty(an)) {
				jv o = ofac_name(an, atype, individual);
				names = jv_array_append(names, set_text(o, "note", note));
			} else {
				jv_free(an);
				jv_free(note);
			}
			jv_free(at);
			jv_free(alt);
		}
	}
	jv_free(alts);
	rec = jv_object_set(rec, jv_string("names"), names);
	rec = ofac_programs(rec, ofac_col(row, 3));
	if (individual)
		rec = add_unique(rec, "titles", ofac_col(row, 4));
	if (!strcmp(kind, "vessel")) {
		rec = set_text(rec, "call_sign", ofac_col(row, 5));
		rec = set_text(rec, "vessel_type", ofac_col(row, 6));
		rec = set_text(rec, "tonnage", ofac_col(row, 7));
		rec = set_text(rec, "grt", ofac_col(row, 8));
		rec = set_country(rec, "flag", "flag_name", ofac_col(row, 9), 0);
		rec = set_text(rec, "owner", ofac_col(row, 10));
	}
	rec = ofac_remarks(rec, ofac_col(row, 11), kind);
	if (jv_get_kind(adds) == JV_KIND_ARRAY)
		rec = ofac_addresses(rec, adds);
	else
		jv_free(adds);
	jv_free(row);
	return rec;
}

int ofac_sdn_parse(const char *sdn, size_t sdn_len, const char *alt, size_t alt_len,
		   const char *add, size_t add_len, sanctions_record_fn cb, void *ctx, char **err)
{
	jv alts = jv_object(), adds = jv_object();
	struct csv_reader *r = NULL;
	int rc = 0;

	if (err)
		*err = NULL;
	if (alt) {
		jv_free(alts);
		rc = ofac_side_file(alt, alt_len, 5, "alt.csv", &alts, cb, ctx);
	}
	if (!rc && add) {
		jv_free(adds);
		rc = ofac_side_file(add, add_len, 6, "add.csv", &adds, cb, ctx);
	}
	if (!rc && !(r = csv_open(sdn, sdn_len))) {
		if (err)
			*err = strdup("out of memory");
		rc = -1;
	}
	while (!rc) {
		jv row;
		size_t line;
		char *reason;
		int got = csv_next(r, &row, &line, &reason);
		if (got == 0)
			break;
		if (got < 0) {
			rc = cb(jv_invalid_with_msg(jv_string(reason)), line, ctx);
			free(reason);
			continue;
		}
		if (jv_array_length(jv_copy(row)) != 12) {
			rc =
			    cb(jv_invalid_with_msg(jv_string_fmt("%d fields, not the 12 of sdn.csv",
								 jv_array_length(jv_copy(row)))),
			       line, ctx);
			jv_free(row);
			continue;
		}
		jv num = ofac_col(row, 0);
		if (empty(num)) {
			jv_free(num);
			jv_free(row);
			rc = cb(jv_invalid_with_msg(jv_string("ent_num is empty")), line, ctx);
			continue;
		}
		jv a = jv_object_get(jv_copy(alts), jv_copy(num));
		jv d = jv_object_get(jv_copy(adds), num);
		rc = cb(ofac_record(row, a, d), line, ctx);
	}
	csv_close(r);
	jv_free(alts);
	jv_free(adds);
	return rc;
}
