/*
 * mrz.c: parse and check the machine readable zones of travel documents
 * (ICAO Doc 9303 parts 3 to 7), field by field, flagging what is wrong.
 */
#include <string.h>
#include <time.h>

#include "ccc/mrz.h"

/*
 * MRZ state codes: ISO 3166-1 alpha-3 with their alpha-2, then the codes Doc
 * 9303 part 3 adds (D for Germany, the British nationality classes, Kosovo,
 * United Nations, other issuing organisations, stateless and refugee codes,
 * codes withdrawn from ISO 3166), padded with '<' and sorted (C locale) for a
 * binary search. "" where the code names no country.
 */
static const struct state {
	char code[4], country[3];
} states[] = {
    {"ABW", "AW"}, {"AFG", "AF"}, {"AGO", "AO"}, {"AIA", "AI"}, {"ALA", "AX"}, {"ALB", "AL"},
    {"AND", "AD"}, {"ANT", "AN"}, {"ARE", "AE"}, {"ARG", "AR"}, {"ARM", "AM"}, {"ASM", "AS"},
    {"ATA", "AQ"}, {"ATF", "TF"}, {"ATG", "AG"}, {"AUS", "AU"}, {"AUT", "AT"}, {"AZE", "AZ"},
    {"BDI", "BI"}, {"BEL", "BE"}, {"BEN", "BJ"}, {"BES", "BQ"}, {"BFA", "BF"}, {"BGD", "BD"},
    {"BGR", "BG"}, {"BHR", "BH"}, {"BHS", "BS"}, {"BIH", "BA"}, {"BLM", "BL"}, {"BLR", "BY"},
    {"BLZ", "BZ"}, {"BMU", "BM"}, {"BOL", "BO"}, {"BRA", "BR"}, {"BRB", "BB"}, {"BRN", "BN"},
    {"BTN", "BT"}, {"BVT", "BV"}, {"BWA", "BW"}, {"CAF", "CF"}, {"CAN", "CA"}, {"CCK", "CC"},
    {"CHE", "CH"}, {"CHL", "CL"}, {"CHN", "CN"}, {"CIV", "CI"}, {"CMR", "CM"}, {"COD", "CD"},
    {"COG", "CG"}, {"COK", "CK"}, {"COL", "CO"}, {"COM", "KM"}, {"CPV", "CV"}, {"CRI", "CR"},
    {"CUB", "CU"}, {"CUW", "CW"}, {"CXR", "CX"}, {"CYM", "KY"}, {"CYP", "CY"}, {"CZE", "CZ"},
    {"D<<", "DE"}, {"DEU", "DE"}, {"DJI", "DJ"}, {"DMA", "DM"}, {"DNK", "DK"}, {"DOM", "DO"},
    {"DZA", "DZ"}, {"ECU", "EC"}, {"EGY", "EG"}, {"ERI", "ER"}, {"ESH", "EH"}, {"ESP", "ES"},
    {"EST", "EE"}, {"ETH", "ET"}, {"EUE", ""},   {"FIN", "FI"}, {"FJI", "FJ"}, {"FLK", "FK"},
    {"FRA", "FR"}, {"FRO", "FO"}, {"FSM", "FM"}, {"GAB", "GA"}, {"GBD", "GB"}, {"GBN", "GB"},
    {"GBO", "GB"}, {"GBP", "GB"}, {"GBR", "GB"}, {"GBS", "GB"}, {"GEO", "GE"}, {"GGY", "GG"},
    {"GHA", "GH"}, {"GIB", "GI"}, {"GIN", "GN"}, {"GLP", "GP"}, {"GMB", "GM"}, {"GNB", "GW"},
    {"GNQ", "GQ"}, {"GRC", "GR"}, {"GRD", "GD"}, {"GRL", "GL"}, {"GTM", "GT"}, {"GUF", "GF"},
    {"GUM", "GU"}, {"GUY", "GY"}, {"HKG", "HK"}, {"HMD", "HM"}, {"HND", "HN"}, {"HRV", "HR"},
    {"HTI", "HT"}, {"HUN", "HU"}, {"IDN", "ID"}, {"IMN", "IM"}, {"IND", "IN"}, {"IOT", "IO"},
    {"IRL", "IE"}, {"IRN", "IR"}, {"IRQ", "IQ"}, {"ISL", "IS"}, {"ISR", "IL"}, {"ITA", "IT"},
    {"JAM", "JM"}, {"JEY", "JE"}, {"JOR", "JO"}, {"JPN", "JP"}, {"KAZ", "KZ"}, {"KEN", "KE"},
    {"KGZ", "KG"}, {"KHM", "KH"}, {"KIR", "KI"}, {"KNA", "KN"}, {"KOR", "KR"}, {"KWT", "KW"},
    {"LAO", "LA"}, {"LBN", "LB"}, {"LBR", "LR"}, {"LBY", "LY"}, {"LCA", "LC"}, {"LIE", "LI"},
    {"LKA", "LK"}, {"LSO", "LS"}, {"LTU", "LT"}, {"LUX", "LU"}, {"LVA", "LV"}, {"MAC", "MO"},
    {"MAF", "MF"}, {"MAR", "MA"}, {"MCO", "MC"}, {"MDA", "MD"}, {"MDG", "MG"}, {"MDV", "MV"},
    {"MEX", "MX"}, {"MHL", "MH"}, {"MKD", "MK"}, {"MLI", "ML"}, {"MLT", "MT"}, {"MMR", "MM"},
    {"MNE", "ME"}, {"MNG", "MN"}, {"MNP", "MP"}, {"MOZ", "MZ"}, {"MRT", "MR"}, {"MSR", "MS"},
    {"MTQ", "MQ"}, {"MUS", "MU"}, {"MWI", "MW"}, {"MYS", "MY"}, {"MYT", "YT"}, {"NAM", "NA"},
    {"NCL", "NC"}, {"NER", "NE"}, {"NFK", "NF"}, {"NGA", "NG"}, {"NIC", "NI"}, {"NIU", "NU"},
    {"NLD", "NL"}, {"NOR", "NO"}, {"NPL", "NP"}, {"NRU", "NR"}, {"NTZ", "NT"}, {"NZL", "NZ"},
    {"OMN", "OM"}, {"PAK", "PK"}, {"PAN", "PA"}, {"PCN", "PN"}, {"PER", "PE"}, {"PHL", "PH"},
    {"PLW", "PW"}, {"PNG", "PG"}, {"POL", "PL"}, {"PRI", "PR"}, {"PRK", "KP"}, {"PRT", "PT"},
    {"PRY", "PY"}, {"PSE", "PS"}, {"PYF", "PF"}, {"QAT", "QA"}, {"REU", "RE"}, {"RKS", "XK"},
    {"ROU", "RO"}, {"RUS", "RU"}, {"RWA", "RW"}, {"SAU", "SA"}, {"SDN", "SD"}, {"SEN", "SN"},
    {"SGP", "SG"}, {"SGS", "GS"}, {"SHN", "SH"}, {"SJM", "SJ"}, {"SLB", "SB"}, {"SLE", "SL"},
    {"SLV", "SV"}, {"SMR", "SM"}, {"SOM", "SO"}, {"SPM", "PM"}, {"SRB", "RS"}, {"SSD", "SS"},
    {"STP", "ST"}, {"SUR", "SR"}, {"SVK", "SK"}, {"SVN", "SI"}, {"SWE", "SE"}, {"SWZ", "SZ"},
    {"SXM", "SX"}, {"SYC", "SC"}, {"SYR", "SY"}, {"TCA", "TC"}, {"TCD", "TD"}, {"TGO", "TG"},
    {"THA", "TH"}, {"TJK", "TJ"}, {"TKL", "TK"}, {"TKM", "TM"}, {"TLS", "TL"}, {"TON", "TO"},
    {"TTO", "TT"}, {"TUN", "TN"}, {"TUR", "TR"}, {"TUV", "TV"}, {"TWN", "TW"}, {"TZA", "TZ"},
    {"UGA", "UG"}, {"UKR", "UA"}, {"UMI", "UM"}, {"UNA", ""},   {"UNK", ""},   {"UNO", ""},
    {"URY", "UY"}, {"USA", "US"}, {"UZB", "UZ"}, {"VAT", "VA"}, {"VCT", "VC"}, {"VEN", "VE"},
    {"VGB", "VG"}, {"VIR", "VI"}, {"VNM", "VN"}, {"VUT", "VU"}, {"WLF", "WF"}, {"WSM", "WS"},
    {"XBA", ""},   {"XCC", ""},   {"XCE", ""},   {"XCO", ""},   {"XDC", ""},   {"XEC", ""},
    {"XES", ""},   {"XIM", ""},   {"XOM", ""},   {"XPO", ""},   {"XXA", ""},   {"XXB", ""},
    {"XXC", ""},   {"XXK", "XK"}, {"XXX", ""},   {"YEM", "YE"}, {"ZAF", "ZA"}, {"ZMB", "ZM"},
    {"ZWE", "ZW"},
};

const char *mrz_state_country(const char *code, size_t n)
{
	char key[3] = {'<', '<', '<'};
	size_t lo = 0, hi = sizeof states / sizeof states[0];

	if (n == 0 || n > 3)
		return NULL;
	memcpy(key, code, n);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = memcmp(key, states[mid].code, 3);
		if (c == 0)
			return states[mid].country;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Value of an MRZ character for check digits, -1 outside the alphabet. */
static int mrz_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c == '<')
		return 0;
	return -1;
}

int mrz_check_digit(const char *s, size_t n)
{
	static const unsigned char weight[3] = {7, 3, 1};
	int sum = 0;

	for (size_t i = 0; i < n; i++) {
		int v = mrz_value((unsigned char)s[i]);
		if (v < 0)
			return -1;
		sum = (sum + v * weight[i % 3]) % 10;
	}
	return sum;
}

static enum mrz_check check_span(const char *s, size_t n, char digit)
{
	int cd = mrz_check_digit(s, n);
	return cd >= 0 && digit == '0' + cd ? MRZ_CHECK_OK : MRZ_CHECK_BAD;
}

static int all_fillers(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '<')
			return 0;
	return 1;
}

/* A byte as it may appear in a record: itself if in the MRZ alphabet, else '?'. */
static char printable(char c)
{
	return mrz_value((unsigned char)c) < 0 ? '?' : c;
}

/*
 * Copy an MRZ field into dst[size]: leading and trailing fillers dropped,
 * other fillers turned into spaces (a run of them into one space when fold),
 * bytes outside the alphabet into '?'. Returns -1 when there was such a byte.
 */
static int copy_field(char *dst, size_t size, const char *src, size_t n, int fold)
{
	size_t i = 0, j = 0;
	int bad = 0;

	while (i < n && src[i] == '<')
		i++;
	while (n > i && src[n - 1] == '<')
		n--;
	for (; i < n && j + 1 < size; i++) {
		char c = src[i];
		if (c == '<') {
			if (fold && j > 0 && dst[j - 1] == ' ')
				continue;
			c = ' ';
		} else if (printable(c) != c) {
			bad = 1;
			c = '?';
		}
		dst[j++] = c;
	}
	dst[j] = '\0';
	return bad ? -1 : 0;
}

/* Copy n bytes as written (fillers kept), bytes outside the alphabet as '?'. */
static int copy_raw(char *dst, const char *src, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		dst[i] = printable(src[i]);
		bad |= dst[i] != src[i];
	}
	dst[n] = '\0';
	return bad ? -1 : 0;
}

static void flag(struct mrz *m, enum mrz_field f)
{
	m->errors |= 1u << f;
}

static void set_check(struct mrz *m, enum mrz_digit d, enum mrz_field f, enum mrz_check st,
		      char digit)
{
	m->check[d] = st;
	m->check_char[d] = printable(digit);
	if (st == MRZ_CHECK_BAD)
		flag(m, f);
}

/* Primary and secondary identifiers, split at the first "<<". */
static void parse_name(struct mrz *m, const char *s, size_t n)
{
	size_t k = 0;
	int bad;

	while (k + 1 < n && !(s[k] == '<' && s[k + 1] == '<'))
		k++;
	if (k + 1 >= n)
		k = n;
	bad = copy_field(m->surname, sizeof m->surname, s, k, 1);
	bad |= copy_field(m->given_names, sizeof m->given_names, s + k, n - k, 1);
	if (bad)
		flag(m, MRZ_F_NAME);
}

/* Document code: first letter as the format requires, second a letter or '<'. */
static void parse_code(struct mrz *m, const char *s, const char *first)
{
	int bad = copy_field(m->document_code, sizeof m->document_code, s, 2, 0);
	if (bad || s[0] == '<' || !strchr(first, s[0]) ||
	    (s[1] != '<' && (s[1] < 'A' || s[1] > 'Z')))
		flag(m, MRZ_F_DOCUMENT_CODE);
}

static void parse_state(char *dst, const char *s, struct mrz *m, enum mrz_field f)
{
	if (copy_field(dst, 4, s, 3, 0) < 0 || !mrz_state_country(dst, strlen(dst)))
		flag(m, f);
}

static int days_in_month(int y, int mo)
{
	static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[mo - 1];
}

static int digit_at(const char *s, int i)
{
	return s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1;
}

/*
 * YYMMDD at s into raw and (when month and day are known) iso, with the
 * century rule of mrz.h; flags f when the date is neither a calendar date
 * nor a year with '<' for unknown month or day.
 */
static void parse_date(struct mrz *m, const char *s, int birth, int ref_year, char *raw, char *iso,
		       enum mrz_field f)
{
	int d[6], unknown = 0, y, mo, dd, century = ref_year - ref_year % 100;

	iso[0] = '\0';
	if (copy_raw(raw, s, 6) < 0) {
		flag(m, f);
		return;
	}
	for (int i = 0; i < 6; i++) {
		d[i] = digit_at(s, i);
		if (d[i] < 0 && (s[i] != '<' || i < 2)) {
			flag(m, f);
			return;
		}
		unknown |= d[i] < 0;
	}
	if (unknown)
		return;
	y = century + d[0] * 10 + d[1];
	if (birth && y > ref_year)
		y -= 100;
	else if (!birth && y > ref_year + 50)
		y -= 100;
	else if (!birth && y < ref_year - 49)
		y += 100;
	mo = d[2] * 10 + d[3];
	dd = d[4] * 10 + d[5];
	if (mo < 1 || mo > 12 || dd < 1 || dd > days_in_month(y, mo)) {
		flag(m, f);
		return;
	}
	iso[0] = (char)('0' + y / 1000);
	iso[1] = (char)('0' + y / 100 % 10);
	iso[2] = (char)('0' + y / 10 % 10);
	iso[3] = (char)('0' + y % 10);
	iso[4] = '-';
	memcpy(iso + 5, s + 2, 2);
	iso[7] = '-';
	memcpy(iso + 8, s + 4, 2);
	iso[10] = '\0';
}

static void parse_sex(struct mrz *m, char c)
{
	if (c == 'M' || c == 'F')
		m->sex = c;
	else if (c == '<' || c == 'X')
		m->sex = 'X';
	else {
		m->sex = '?';
		flag(m, MRZ_F_SEX);
	}
}

/*
 * The document number at num[0..9) and its check digit at num[9]. When that
 * is '<' and the format allows it (ovf != NULL), the number goes on in the
 * optional data ovf[0..novf) up to the first filler, whose last character is
 * the check digit. Doc 9303 leaves open whether the filler at num[9] counts
 * in that digit: Belgian cards count it, Portuguese ones do not; either is
 * accepted.
 */
static void parse_number(struct mrz *m, const char *num, const char *ovf, size_t novf)
{
	char buf[32];
	size_t k = 0;
	enum mrz_check st;
	int bad;

	if (num[9] != '<' || !ovf) {
		bad = copy_field(m->document_number, sizeof m->document_number, num, 9, 0);
		set_check(m, MRZ_CD_DOCUMENT_NUMBER, MRZ_F_DOCUMENT_NUMBER,
			  check_span(num, 9, num[9]), num[9]);
		if (bad)
			flag(m, MRZ_F_DOCUMENT_NUMBER);
		return;
	}
	while (k < novf && ovf[k] != '<')
		k++;
	if (k == 0) {
		copy_field(m->document_number, sizeof m->document_number, num, 9, 0);
		set_check(m, MRZ_CD_DOCUMENT_NUMBER, MRZ_F_DOCUMENT_NUMBER, MRZ_CHECK_BAD, '<');
		return;
	}
	memcpy(buf, num, 10);
	memcpy(buf + 10, ovf, k - 1);
	st = check_span(buf, 10 + k - 1, ovf[k - 1]);
	memmove(buf + 9, buf + 10, k - 1);
	if (st != MRZ_CHECK_OK)
		st = check_span(buf, 9 + k - 1, ovf[k - 1]);
	bad = copy_field(m->document_number, sizeof m->document_number, buf, 9 + k - 1, 0);
	set_check(m, MRZ_CD_DOCUMENT_NUMBER, MRZ_F_DOCUMENT_NUMBER, st, ovf[k - 1]);
	if (bad)
		flag(m, MRZ_F_DOCUMENT_NUMBER);
}

static void parse_optional(struct mrz *m, char *dst, size_t size, const char *s, size_t n,
			   enum mrz_field f)
{
	if (copy_field(dst, size, s, n, 0) < 0)
		flag(m, f);
}

/* The composite check digit over the concatenation of up to four spans. */
static void parse_composite(struct mrz *m, char digit, const char *a, size_t na, const char *b,
			    size_t nb, const char *c, size_t nc, const char *d, size_t nd)
{
	char buf[96];
	size_t n = 0;

	memcpy(buf + n, a, na), n += na;
	memcpy(buf + n, b, nb), n += nb;
	memcpy(buf + n, c, nc), n += nc;
	memcpy(buf + n, d, nd), n += nd;
	set_check(m, MRZ_CD_COMPOSITE, MRZ_F_COMPOSITE, check_span(buf, n, digit), digit);
}

/*
 * The second line shared by TD2, TD3, MRV-A and MRV-B: number, nationality,
 * birth date, sex, expiry, then optional data of nopt bytes from position 28.
 */
static void parse_line2(struct mrz *m, const char *l2, int ovf, size_t nopt, int ref_year)
{
	parse_number(m, l2, ovf ? l2 + 28 : NULL, nopt);
	parse_state(m->nationality, l2 + 10, m, MRZ_F_NATIONALITY);
	parse_date(m, l2 + 13, 1, ref_year, m->birth_date, m->birth_date_iso, MRZ_F_BIRTH_DATE);
	set_check(m, MRZ_CD_BIRTH_DATE, MRZ_F_BIRTH_DATE, check_span(l2 + 13, 6, l2[19]), l2[19]);
	parse_sex(m, l2[20]);
	parse_date(m, l2 + 21, 0, ref_year, m->expiry_date, m->expiry_date_iso, MRZ_F_EXPIRY_DATE);
	set_check(m, MRZ_CD_EXPIRY_DATE, MRZ_F_EXPIRY_DATE, check_span(l2 + 21, 6, l2[27]), l2[27]);
	parse_optional(m, m->optional_data, sizeof m->optional_data, l2 + 28, nopt,
		       MRZ_F_OPTIONAL_DATA);
}

static void parse_td1(struct mrz *m, const char *l1, const char *l2, const char *l3, int ref_year)
{
	m->format = MRZ_TD1;
	parse_code(m, l1, "IAC");
	parse_state(m->issuing_state, l1 + 2, m, MRZ_F_ISSUING_STATE);
	parse_number(m, l1 + 5, l1 + 15, 15);
	parse_optional(m, m->optional_data, sizeof m->optional_data, l1 + 15, 15,
		       MRZ_F_OPTIONAL_DATA);
	parse_date(m, l2, 1, ref_year, m->birth_date, m->birth_date_iso, MRZ_F_BIRTH_DATE);
	set_check(m, MRZ_CD_BIRTH_DATE, MRZ_F_BIRTH_DATE, check_span(l2, 6, l2[6]), l2[6]);
	parse_sex(m, l2[7]);
	parse_date(m, l2 + 8, 0, ref_year, m->expiry_date, m->expiry_date_iso, MRZ_F_EXPIRY_DATE);
	set_check(m, MRZ_CD_EXPIRY_DATE, MRZ_F_EXPIRY_DATE, check_span(l2 + 8, 6, l2[14]), l2[14]);
	parse_state(m->nationality, l2 + 15, m, MRZ_F_NATIONALITY);
	parse_optional(m, m->optional_data_2, sizeof m->optional_data_2, l2 + 18, 11,
		       MRZ_F_OPTIONAL_DATA_2);
	parse_composite(m, l2[29], l1 + 5, 25, l2, 7, l2 + 8, 7, l2 + 18, 11);
	parse_name(m, l3, 30);
}

static void parse_td2(struct mrz *m, const char *l1, const char *l2, int ref_year)
{
	m->format = MRZ_TD2;
	parse_code(m, l1, "IAC");
	parse_state(m->issuing_state, l1 + 2, m, MRZ_F_ISSUING_STATE);
	parse_name(m, l1 + 5, 31);
	parse_line2(m, l2, 1, 7, ref_year);
	parse_composite(m, l2[35], l2, 10, l2 + 13, 7, l2 + 21, 14, "", 0);
}

static void parse_td3(struct mrz *m, const char *l1, const char *l2, int ref_year)
{
	enum mrz_check st;

	m->format = MRZ_TD3;
	parse_code(m, l1, "P");
	parse_state(m->issuing_state, l1 + 2, m, MRZ_F_ISSUING_STATE);
	parse_name(m, l1 + 5, 39);
	parse_line2(m, l2, 0, 14, ref_year);
	/* An unused personal number may have a filler as its check digit. */
	st = l2[42] == '<' && all_fillers(l2 + 28, 14) ? MRZ_CHECK_OK
						       : check_span(l2 + 28, 14, l2[42]);
	set_check(m, MRZ_CD_OPTIONAL_DATA, MRZ_F_OPTIONAL_DATA, st, l2[42]);
	parse_composite(m, l2[43], l2, 10, l2 + 13, 7, l2 + 21, 22, "", 0);
}

/* Visas: MRV-A (44) and MRV-B (36) have no composite nor optional check digit. */
static void parse_mrv(struct mrz *m, const char *l1, const char *l2, size_t len, int ref_year)
{
	m->format = len == 44 ? MRZ_MRVA : MRZ_MRVB;
	parse_code(m, l1, "V");
	parse_state(m->issuing_state, l1 + 2, m, MRZ_F_ISSUING_STATE);
	parse_name(m, l1 + 5, len - 5);
	parse_line2(m, l2, 0, len - 28, ref_year);
}

/*
 * French identity card of 1988-2021: line 1 "ID", "FRA", surname (25),
 * administrative code (6); line 2 issue YYMM, department (3), serial (5),
 * check digit of those 12, given names (14), birth date and its check digit,
 * sex, and a composite digit over line 1 and the rest of line 2. The document
 * number is the 12 characters printed on the card.
 */
static void parse_frcni(struct mrz *m, const char *l1, const char *l2, int ref_year)
{
	int bad;

	m->format = MRZ_FRCNI;
	parse_code(m, l1, "I");
	parse_state(m->issuing_state, l1 + 2, m, MRZ_F_ISSUING_STATE);
	if (copy_field(m->surname, sizeof m->surname, l1 + 5, 25, 1) < 0 ||
	    copy_field(m->given_names, sizeof m->given_names, l2 + 13, 14, 1) < 0)
		flag(m, MRZ_F_NAME);
	parse_optional(m, m->optional_data, sizeof m->optional_data, l1 + 30, 6,
		       MRZ_F_OPTIONAL_DATA);
	bad = copy_field(m->document_number, sizeof m->document_number, l2, 12, 0);
	set_check(m, MRZ_CD_DOCUMENT_NUMBER, MRZ_F_DOCUMENT_NUMBER, check_span(l2, 12, l2[12]),
		  l2[12]);
	if (bad)
		flag(m, MRZ_F_DOCUMENT_NUMBER);
	copy_raw(m->issue_date, l2, 4);
	parse_date(m, l2 + 27, 1, ref_year, m->birth_date, m->birth_date_iso, MRZ_F_BIRTH_DATE);
	set_check(m, MRZ_CD_BIRTH_DATE, MRZ_F_BIRTH_DATE, check_span(l2 + 27, 6, l2[33]), l2[33]);
	parse_sex(m, l2[34]);
	parse_composite(m, l2[35], l1, 36, l2, 35, "", 0, "", 0);
}

int mrz_parse_lines(const char *const line[], int nline, size_t linelen, int ref_year,
		    struct mrz *out)
{
	memset(out, 0, sizeof *out);
	if (nline < 2 || nline > 3)
		return MRZ_ELINES;
	if (nline == 3 && linelen == 30)
		parse_td1(out, line[0], line[1], line[2], ref_year);
	else if (nline == 2 && (linelen == 36 || linelen == 44) && line[0][0] == 'V')
		parse_mrv(out, line[0], line[1], linelen, ref_year);
	else if (nline == 2 && linelen == 36 && memcmp(line[0], "IDFRA", 5) == 0)
		parse_frcni(out, line[0], line[1], ref_year);
	else if (nline == 2 && linelen == 36)
		parse_td2(out, line[0], line[1], ref_year);
	else if (nline == 2 && linelen == 44)
		parse_td3(out, line[0], line[1], ref_year);
	else
		return MRZ_ELENGTH;
	out->valid = out->errors == 0;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int mrz_parse_year(const char *text, size_t len, int ref_year, struct mrz *out)
{
	const char *line[3];
	size_t linelen = 0;
	int nline = 0;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len, b = i, e = end;
		while (b < e && is_blank(text[b]))
			b++;
		while (e > b && is_blank(text[e - 1]))
			e--;
		if (e > b) {
			if (nline == 3)
				return MRZ_ELINES;
			if (nline > 0 && e - b != linelen)
				return MRZ_ELENGTH;
			line[nline++] = text + b;
			linelen = e - b;
		}
		i = end + 1;
	}
	return mrz_parse_lines(line, nline, linelen, ref_year, out);
}

int mrz_parse(const char *text, size_t len, struct mrz *out)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	return mrz_parse_year(text, len, tm.tm_year + 1900, out);
}

const char *mrz_format_name(enum mrz_format f)
{
	switch (f) {
	case MRZ_TD1: return "TD1";
	case MRZ_TD2: return "TD2";
	case MRZ_TD3: return "TD3";
	case MRZ_MRVA: return "MRV-A";
	case MRZ_MRVB: return "MRV-B";
	case MRZ_FRCNI: return "FR-CNI";
	}
	return "unknown";
}

static const char *const field_names[MRZ_NFIELD] = {
    "document_code", "issuing_state",   "name",      "document_number",
    "nationality",   "birth_date",      "sex",       "expiry_date",
    "optional_data", "optional_data_2", "composite",
};

const char *mrz_field_name(enum mrz_field f)
{
	return (unsigned)f < MRZ_NFIELD ? field_names[f] : "unknown";
}

const char *mrz_digit_name(enum mrz_digit d)
{
	static const char *const names[MRZ_NDIGIT] = {
	    "document_number", "birth_date", "expiry_date", "optional_data", "composite",
	};
	return (unsigned)d < MRZ_NDIGIT ? names[d] : "unknown";
}

static jv set_str(jv o, const char *key, const char *val)
{
	return jv_object_set(o, jv_string(key), jv_string(val));
}

/* Set key to val when val is not empty. */
static jv set_nonempty(jv o, const char *key, const char *val)
{
	return val[0] ? set_str(o, key, val) : o;
}

/* The alpha-2 country of a state code, when it has one. */
static jv set_country(jv o, const char *key, const char *code)
{
	const char *cc = mrz_state_country(code, strlen(code));
	return cc && cc[0] ? set_str(o, key, cc) : o;
}

jv mrz_to_jv(const struct mrz *m)
{
	jv o = jv_object(), checks = jv_object(), errors = jv_array();
	char sex[2] = {m->sex, '\0'};

	o = set_str(o, "format", mrz_format_name(m->format));
	o = set_str(o, "document_code", m->document_code);
	o = set_str(o, "issuing_state", m->issuing_state);
	o = set_country(o, "issuing_country", m->issuing_state);
	o = set_str(o, "surname", m->surname);
	o = set_str(o, "given_names", m->given_names);
	o = set_str(o, "document_number", m->document_number);
	o = set_nonempty(o, "nationality", m->nationality);
	o = set_country(o, "nationality_country", m->nationality);
	o = set_str(o, "birth_date", m->birth_date);
	o = set_nonempty(o, "birth_date_iso", m->birth_date_iso);
	o = set_str(o, "sex", sex);
	o = set_nonempty(o, "expiry_date", m->expiry_date);
	o = set_nonempty(o, "expiry_date_iso", m->expiry_date_iso);
	o = set_nonempty(o, "issue_date", m->issue_date);
	o = set_nonempty(o, "optional_data", m->optional_data);
	o = set_nonempty(o, "optional_data_2", m->optional_data_2);
	for (int d = 0; d < MRZ_NDIGIT; d++)
		if (m->check[d] != MRZ_CHECK_NONE)
			checks = set_str(checks, mrz_digit_name(d),
					 m->check[d] == MRZ_CHECK_OK ? "ok" : "bad");
	for (int f = 0; f < MRZ_NFIELD; f++)
		if (m->errors & 1u << f)
			errors = jv_array_append(errors, jv_string(mrz_field_name(f)));
	o = jv_object_set(o, jv_string("check_digits"), checks);
	o = jv_object_set(o, jv_string("valid"), jv_bool(m->valid));
	return jv_object_set(o, jv_string("errors"), errors);
}
