/*
 * tzcountry.c: a country's time zone, and a local clock time in it as UTC.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccc/tzcountry.h"

/*
 * ISO 3166 alpha-2 to the zone of the capital, from the tz database's
 * zone.tab: a country with one zone has that one; one with several has its
 * capital's (AR Buenos Aires, AU Sydney for Canberra, BR Sao Paulo for
 * Brasilia, CA Toronto for Ottawa, RU Moscow, US New York for Washington,
 * and so on). Antarctica has none. Sorted by code.
 */
static const struct {
	char cc[3];
	const char *zone;
} zones[] = {
    {"AD", "Europe/Andorra"},
    {"AE", "Asia/Dubai"},
    {"AF", "Asia/Kabul"},
    {"AG", "America/Antigua"},
    {"AI", "America/Anguilla"},
    {"AL", "Europe/Tirane"},
    {"AM", "Asia/Yerevan"},
    {"AO", "Africa/Luanda"},
    {"AR", "America/Argentina/Buenos_Aires"},
    {"AS", "Pacific/Pago_Pago"},
    {"AT", "Europe/Vienna"},
    {"AU", "Australia/Sydney"},
    {"AW", "America/Aruba"},
    {"AX", "Europe/Mariehamn"},
    {"AZ", "Asia/Baku"},
    {"BA", "Europe/Sarajevo"},
    {"BB", "America/Barbados"},
    {"BD", "Asia/Dhaka"},
    {"BE", "Europe/Brussels"},
    {"BF", "Africa/Ouagadougou"},
    {"BG", "Europe/Sofia"},
    {"BH", "Asia/Bahrain"},
    {"BI", "Africa/Bujumbura"},
    {"BJ", "Africa/Porto-Novo"},
    {"BL", "America/St_Barthelemy"},
    {"BM", "Atlantic/Bermuda"},
    {"BN", "Asia/Brunei"},
    {"BO", "America/La_Paz"},
    {"BQ", "America/Kralendijk"},
    {"BR", "America/Sao_Paulo"},
    {"BS", "America/Nassau"},
    {"BT", "Asia/Thimphu"},
    {"BW", "Africa/Gaborone"},
    {"BY", "Europe/Minsk"},
    {"BZ", "America/Belize"},
    {"CA", "America/Toronto"},
    {"CC", "Indian/Cocos"},
    {"CD", "Africa/Kinshasa"},
    {"CF", "Africa/Bangui"},
    {"CG", "Africa/Brazzaville"},
    {"CH", "Europe/Zurich"},
    {"CI", "Africa/Abidjan"},
    {"CK", "Pacific/Rarotonga"},
    {"CL", "America/Santiago"},
    {"CM", "Africa/Douala"},
    {"CN", "Asia/Shanghai"},
    {"CO", "America/Bogota"},
    {"CR", "America/Costa_Rica"},
    {"CU", "America/Havana"},
    {"CV", "Atlantic/Cape_Verde"},
    {"CW", "America/Curacao"},
    {"CX", "Indian/Christmas"},
    {"CY", "Asia/Nicosia"},
    {"CZ", "Europe/Prague"},
    {"DE", "Europe/Berlin"},
    {"DJ", "Africa/Djibouti"},
    {"DK", "Europe/Copenhagen"},
    {"DM", "America/Dominica"},
    {"DO", "America/Santo_Domingo"},
    {"DZ", "Africa/Algiers"},
    {"EC", "America/Guayaquil"},
    {"EE", "Europe/Tallinn"},
    {"EG", "Africa/Cairo"},
    {"EH", "Africa/El_Aaiun"},
    {"ER", "Africa/Asmara"},
    {"ES", "Europe/Madrid"},
    {"ET", "Africa/Addis_Ababa"},
    {"FI", "Europe/Helsinki"},
    {"FJ", "Pacific/Fiji"},
    {"FK", "Atlantic/Stanley"},
    {"FM", "Pacific/Pohnpei"},
    {"FO", "Atlantic/Faroe"},
    {"FR", "Europe/Paris"},
    {"GA", "Africa/Libreville"},
    {"GB", "Europe/London"},
    {"GD", "America/Grenada"},
    {"GE", "Asia/Tbilisi"},
    {"GF", "America/Cayenne"},
    {"GG", "Europe/Guernsey"},
    {"GH", "Africa/Accra"},
    {"GI", "Europe/Gibraltar"},
    {"GL", "America/Nuuk"},
    {"GM", "Africa/Banjul"},
    {"GN", "Africa/Conakry"},
    {"GP", "America/Guadeloupe"},
    {"GQ", "Africa/Malabo"},
    {"GR", "Europe/Athens"},
    {"GS", "Atlantic/South_Georgia"},
    {"GT", "America/Guatemala"},
    {"GU", "Pacific/Guam"},
    {"GW", "Africa/Bissau"},
    {"GY", "America/Guyana"},
    {"HK", "Asia/Hong_Kong"},
    {"HN", "America/Tegucigalpa"},
    {"HR", "Europe/Zagreb"},
    {"HT", "America/Port-au-Prince"},
    {"HU", "Europe/Budapest"},
    {"ID", "Asia/Jakarta"},
    {"IE", "Europe/Dublin"},
    {"IL", "Asia/Jerusalem"},
    {"IM", "Europe/Isle_of_Man"},
    {"IN", "Asia/Kolkata"},
    {"IO", "Indian/Chagos"},
    {"IQ", "Asia/Baghdad"},
    {"IR", "Asia/Tehran"},
    {"IS", "Atlantic/Reykjavik"},
    {"IT", "Europe/Rome"},
    {"JE", "Europe/Jersey"},
    {"JM", "America/Jamaica"},
    {"JO", "Asia/Amman"},
    {"JP", "Asia/Tokyo"},
    {"KE", "Africa/Nairobi"},
    {"KG", "Asia/Bishkek"},
    {"KH", "Asia/Phnom_Penh"},
    {"KI", "Pacific/Tarawa"},
    {"KM", "Indian/Comoro"},
    {"KN", "America/St_Kitts"},
    {"KP", "Asia/Pyongyang"},
    {"KR", "Asia/Seoul"},
    {"KW", "Asia/Kuwait"},
    {"KY", "America/Cayman"},
    {"KZ", "Asia/Almaty"},
    {"LA", "Asia/Vientiane"},
    {"LB", "Asia/Beirut"},
    {"LC", "America/St_Lucia"},
    {"LI", "Europe/Vaduz"},
    {"LK", "Asia/Colombo"},
    {"LR", "Africa/Monrovia"},
    {"LS", "Africa/Maseru"},
    {"LT", "Europe/Vilnius"},
    {"LU", "Europe/Luxembourg"},
    {"LV", "Europe/Riga"},
    {"LY", "Africa/Tripoli"},
    {"MA", "Africa/Casablanca"},
    {"MC", "Europe/Monaco"},
    {"MD", "Europe/Chisinau"},
    {"ME", "Europe/Podgorica"},
    {"MF", "America/Marigot"},
    {"MG", "Indian/Antananarivo"},
    {"MH", "Pacific/Majuro"},
    {"MK", "Europe/Skopje"},
    {"ML", "Africa/Bamako"},
    {"MM", "Asia/Yangon"},
    {"MN", "Asia/Ulaanbaatar"},
    {"MO", "Asia/Macau"},
    {"MP", "Pacific/Saipan"},
    {"MQ", "America/Martinique"},
    {"MR", "Africa/Nouakchott"},
    {"MS", "America/Montserrat"},
    {"MT", "Europe/Malta"},
    {"MU", "Indian/Mauritius"},
    {"MV", "Indian/Maldives"},
    {"MW", "Africa/Blantyre"},
    {"MX", "America/Mexico_City"},
    {"MY", "Asia/Kuala_Lumpur"},
    {"MZ", "Africa/Maputo"},
    {"NA", "Africa/Windhoek"},
    {"NC", "Pacific/Noumea"},
    {"NE", "Africa/Niamey"},
    {"NF", "Pacific/Norfolk"},
    {"NG", "Africa/Lagos"},
    {"NI", "America/Managua"},
    {"NL", "Europe/Amsterdam"},
    {"NO", "Europe/Oslo"},
    {"NP", "Asia/Kathmandu"},
    {"NR", "Pacific/Nauru"},
    {"NU", "Pacific/Niue"},
    {"NZ", "Pacific/Auckland"},
    {"OM", "Asia/Muscat"},
    {"PA", "America/Panama"},
    {"PE", "America/Lima"},
    {"PF", "Pacific/Tahiti"},
    {"PG", "Pacific/Port_Moresby"},
    {"PH", "Asia/Manila"},
    {"PK", "Asia/Karachi"},
    {"PL", "Europe/Warsaw"},
    {"PM", "America/Miquelon"},
    {"PN", "Pacific/Pitcairn"},
    {"PR", "America/Puerto_Rico"},
    {"PS", "Asia/Hebron"},
    {"PT", "Europe/Lisbon"},
    {"PW", "Pacific/Palau"},
    {"PY", "America/Asuncion"},
    {"QA", "Asia/Qatar"},
    {"RE", "Indian/Reunion"},
    {"RO", "Europe/Bucharest"},
    {"RS", "Europe/Belgrade"},
    {"RU", "Europe/Moscow"},
    {"RW", "Africa/Kigali"},
    {"SA", "Asia/Riyadh"},
    {"SB", "Pacific/Guadalcanal"},
    {"SC", "Indian/Mahe"},
    {"SD", "Africa/Khartoum"},
    {"SE", "Europe/Stockholm"},
    {"SG", "Asia/Singapore"},
    {"SH", "Atlantic/St_Helena"},
    {"SI", "Europe/Ljubljana"},
    {"SJ", "Arctic/Longyearbyen"},
    {"SK", "Europe/Bratislava"},
    {"SL", "Africa/Freetown"},
    {"SM", "Europe/San_Marino"},
    {"SN", "Africa/Dakar"},
    {"SO", "Africa/Mogadishu"},
    {"SR", "America/Paramaribo"},
    {"SS", "Africa/Juba"},
    {"ST", "Africa/Sao_Tome"},
    {"SV", "America/El_Salvador"},
    {"SX", "America/Lower_Princes"},
    {"SY", "Asia/Damascus"},
    {"SZ", "Africa/Mbabane"},
    {"TC", "America/Grand_Turk"},
    {"TD", "Africa/Ndjamena"},
    {"TF", "Indian/Kerguelen"},
    {"TG", "Africa/Lome"},
    {"TH", "Asia/Bangkok"},
    {"TJ", "Asia/Dushanbe"},
    {"TK", "Pacific/Fakaofo"},
    {"TL", "Asia/Dili"},
    {"TM", "Asia/Ashgabat"},
    {"TN", "Africa/Tunis"},
    {"TO", "Pacific/Tongatapu"},
    {"TR", "Europe/Istanbul"},
    {"TT", "America/Port_of_Spain"},
    {"TV", "Pacific/Funafuti"},
    {"TW", "Asia/Taipei"},
    {"TZ", "Africa/Dar_es_Salaam"},
    {"UA", "Europe/Kyiv"},
    {"UG", "Africa/Kampala"},
    {"UM", "Pacific/Wake"},
    {"US", "America/New_York"},
    {"UY", "America/Montevideo"},
    {"UZ", "Asia/Tashkent"},
    {"VA", "Europe/Vatican"},
    {"VC", "America/St_Vincent"},
    {"VE", "America/Caracas"},
    {"VG", "America/Tortola"},
    {"VI", "America/St_Thomas"},
    {"VN", "Asia/Ho_Chi_Minh"},
    {"VU", "Pacific/Efate"},
    {"WF", "Pacific/Wallis"},
    {"WS", "Pacific/Apia"},
    {"YE", "Asia/Aden"},
    {"YT", "Indian/Mayotte"},
    {"ZA", "Africa/Johannesburg"},
    {"ZM", "Africa/Lusaka"},
    {"ZW", "Africa/Harare"},
};

const char *tz_country_zone(const char *cc)
{
	if (!cc || strlen(cc) != 2)
		return NULL;
	char up[3] = {(char)(cc[0] & ~0x20), (char)(cc[1] & ~0x20), 0};
	size_t lo = 0, hi = sizeof zones / sizeof zones[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(zones[mid].cc, up);
		if (!c)
			return zones[mid].zone;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int tz_zone_known(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	if (!zone || !*zone || strstr(zone, "..") || zone[0] == '/')
		return 0;
	if (strlen(zone) + strlen(dir && *dir ? dir : "/usr/share/zoneinfo") + 2 > sizeof path)
		return 0;
	strcpy(path, dir && *dir ? dir : "/usr/share/zoneinfo");
	strcat(path, "/");
	strcat(path, zone);
	/* a zone is a TZif file: not a folder ("Europe") nor one of the
	 * database's tables ("zone.tab"), which TZ would read as UTC */
	char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	struct stat sb;
	int ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
		 read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
		 !memcmp(magic, "TZif", 4);
	close(fd);
	return ok;
}

/* Run with TZ set to zone (NULL: UTC), then put TZ back as it was. */
struct tz_saved {
	char *old;
	int had;
};

static void tz_enter(struct tz_saved *sv, const char *zone)
{
	const char *old = getenv("TZ");
	sv->had = old != NULL;
	sv->old = old ? strdup(old) : NULL;
	setenv("TZ", zone ? zone : "UTC0", 1);
	tzset();
}

static void tz_leave(struct tz_saved *sv)
{
	if (sv->had && sv->old)
		setenv("TZ", sv->old, 1);
	else
		unsetenv("TZ");
	free(sv->old);
	tzset();
}

int tz_next_local(const char *zone, time_t after, int minute, time_t *out)
{
	if (minute < 0 || minute >= 24 * 60 || (zone && !tz_zone_known(zone)))
		return -1;
	struct tz_saved sv;
	struct tm tm;
	tz_enter(&sv, zone);
	localtime_r(&after, &tm);
	time_t t = (time_t)-1;
	/* that clock time on the day of after, else on the next day. Across a
	 * clock change: of a time that exists twice, the first; a time that does
	 * not exist comes out moved forward by the change (mktime's reading) */
	for (int day = 0; day < 2 && t == (time_t)-1; day++) {
		for (int dst = 1; dst >= -1; dst--) {
			struct tm want = tm, got;
			want.tm_mday += day;
			want.tm_hour = minute / 60;
			want.tm_min = minute % 60;
			want.tm_sec = 0;
			want.tm_isdst = dst;
			time_t c = mktime(&want);
			if (c == (time_t)-1 || c < after)
				continue;
			localtime_r(&c, &got);
			int exact = got.tm_hour * 60 + got.tm_min == minute;
			if ((exact || dst == -1) && (t == (time_t)-1 || c < t))
				t = c;
			if (dst == 0 && t != (time_t)-1)
				break; /* the time exists: the gap reading is not wanted */
		}
	}
	tz_leave(&sv);
	if (t == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}
