/*
 * fuzz-duty: the values ccc-duty reads from its options and its plan files
 * (lib/duty/duty.c): clock times, days, periods, delays, escalation steps,
 * dates and requirements of people by hour. The first byte chooses the
 * parser; the rest is the text. What a parser accepts must be what it says
 * it accepts: days and dates are written back the same, a step's target is
 * a name, and the values are in their ranges.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/duty.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[256], out[64], target[80];
	if (size < 1 || size > sizeof s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	int mi;
	unsigned mask;
	long l;
	struct duty_need need = {{0}};
	switch (data[0] % 7) {
	case 0:
		if (duty_parse_hhmm(s, &mi) == 0) {
			snprintf(out, sizeof out, "%02d:%02d", mi / 60, mi % 60);
			if (mi < 0 || mi > 1440 || strcmp(out, s))
				abort();
		}
		break;
	case 1:
		if (duty_parse_days(s, &mask) == 0) {
			unsigned again;
			if (!mask || mask > 0x7f)
				abort();
			duty_format_days(mask, out, 32);
			if (strlen(out) >= 32 || duty_parse_days(out, &again) || again != mask)
				abort();
		}
		break;
	case 2:
		if (duty_parse_every(s, &mi) == 0 && (mi < 1 || mi > 3650))
			abort();
		break;
	case 3:
		if (duty_parse_delay(s, &l) == 0 && (l < 0 || l > 10000L * 3600))
			abort();
		break;
	case 4:
		if (duty_parse_step(s, &l, target, sizeof target) == 0 &&
		    (l < 0 || !duty_name_ok(target) || !strstr(s, target)))
			abort();
		break;
	case 5:
		if (duty_parse_day(s, &l) == 0) {
			/* only YYYY-MM-DD in digits, the date it names */
			for (int i = 0; i < 10; i++)
				if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
					abort();
			if (l < 0 || l != duty_days_from_civil(atoi(s), atoi(s + 5), atoi(s + 8)))
				abort();
		}
		break;
	case 6:
		if (duty_need_parse(&need, s) == 0) {
			/* only HH-HH:N in digits */
			if (strspn(s, "0123456789-:") != strlen(s))
				abort();
			for (int h = 0; h < 24; h++)
				if (need.need[h] < 0 || need.need[h] > 1000)
					abort();
		}
		break;
	}
	return 0;
}
