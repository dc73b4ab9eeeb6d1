/*
 * test-vin.c: VIN normalisation and check digits against the vininfo vectors
 * and our own (tests/fixtures/vin, see SOURCE.txt).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/vin.h"
#include "tap.h"

#define FIXTURES "tests/fixtures/vin/"

/* Split a TSV line in place into at most n columns; returns the count. */
static int split_tsv(char *line, char **col, int n)
{
	int k = 0;

	line[strcspn(line, "\n")] = '\0';
	col[k++] = line;
	for (char *p = line; *p && k < n; p++)
		if (*p == '\t') {
			*p = '\0';
			col[k++] = p + 1;
		}
	return k;
}

/* "\n" written as backslash-n in the vininfo file, back to a newline. */
static size_t unescape(char *s)
{
	size_t j = 0;

	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1] == 'n') {
			s[j++] = '\n';
			i++;
		} else {
			s[j++] = s[i];
		}
	}
	s[j] = '\0';
	return j;
}

static void vininfo(void)
{
	FILE *f = fopen(FIXTURES "vininfo_vectors.tsv", "r");
	char line[512];
	int n = 0;

	if (!ok(f != NULL, "open vininfo vectors"))
		return;
	while (fgets(line, sizeof line, f)) {
		char *col[3];
		struct vin v;
		enum vin_status st;

		if (split_tsv(line, col, 3) < 2 || strcmp(col[0], "vin_escaped") == 0)
			continue;
		n++;
		st = vin_validate(col[0], unescape(col[0]), &v);
		if (strcmp(col[1], "invalid_format") == 0)
			ok(st < 0, "vininfo %d: invalid format (%s)", n, vin_status_name(st));
		else if (strcmp(col[1], "checksum_valid") == 0)
			is_str(vin_status_name(st), "ok", "vininfo %d: %s check digit verifies", n,
			       v.vin);
		else if (strcmp(col[1], "checksum_invalid") == 0)
			is_str(vin_status_name(st), "bad", "vininfo %d: %s check digit wrong", n,
			       v.vin);
		else if (strcmp(col[1], "upstream_strict_false") == 0)
			/* vininfo's strict failure is its model-year check, which we do not
			 * make; the weighted digit itself verifies. */
			is_str(vin_status_name(st), "ok", "vininfo %d: %s check digit verifies", n,
			       v.vin);
		else if (strcmp(col[1], "format_valid") == 0)
			ok(st >= 0, "vininfo %d: %s well formed (%s)", n, v.vin,
			   vin_status_name(st));
		else
			ok(0, "vininfo %d: unknown expectation %s", n, col[1]);
	}
	fclose(f);
	is_int(n, 12, "12 vininfo vectors");
}

static void own(void)
{
	FILE *f = fopen(FIXTURES "own_vectors.tsv", "r");
	char line[512];
	int n = 0;

	if (!ok(f != NULL, "open own vectors"))
		return;
	while (fgets(line, sizeof line, f)) {
		char *col[3];
		struct vin v;
		enum vin_status st;

		if (line[0] == '#' || split_tsv(line, col, 3) < 3)
			continue;
		n++;
		st = vin_validate(col[0], strlen(col[0]), &v);
		is_str(vin_status_name(st), col[1], "'%s': %s", col[0], col[2]);
		if (st >= 0)
			is_int(v.check_applies, v.vin[0] >= '1' && v.vin[0] <= '5',
			       "'%s': check applies only in North America", col[0]);
	}
	fclose(f);
	ok(n >= 30, "own vectors read (%d)", n);
}

int main(void)
{
	struct vin v;

	is_int(vin_check_digit("1M8GDM9AXKP042788"), 'X', "check digit X for remainder 10");
	is_int(vin_check_digit("11111111111111111"), '1', "check digit of all ones");
	is_int(vin_check_digit("1M8GDM9AXKP04278O"), 0, "no check digit with an O");
	is_int(vin_char_value('A'), 1, "A transliterates to 1");
	is_int(vin_char_value('J'), 1, "J transliterates to 1");
	is_int(vin_char_value('P'), 7, "P transliterates to 7");
	is_int(vin_char_value('R'), 9, "R transliterates to 9");
	is_int(vin_char_value('S'), 2, "S transliterates to 2");
	is_int(vin_char_value('Z'), 9, "Z transliterates to 9");
	is_int(vin_char_value('I'), -1, "I is not in the alphabet");
	is_int(vin_char_value('O'), -1, "O is not in the alphabet");
	is_int(vin_char_value('Q'), -1, "Q is not in the alphabet");
	is_int(vin_char_value('a'), -1, "lowercase is not (normalise first)");

	is_int(vin_validate(" 1hgcm-82633-a004352\r\n", 22, &v), VIN_CHECK_OK,
	       "normalised VIN verifies");
	is_str(v.vin, "1HGCM82633A004352", "normalised form");
	is_int(v.check_digit, '3', "computed digit reported");
	is_int(vin_validate("WVWZZZ1JZXW000001", 17, &v), VIN_CHECK_NA,
	       "German VIN: not verifiable");
	is_int(v.check_applies, 0, "check does not apply outside North America");
	is_int(vin_validate("1HGCM82633A004352X", 18, &v), VIN_BAD_LENGTH, "18 characters");

	/* Every single-character change of position 9 of a North American VIN is caught. */
	{
		const char *alphabet = "0123456789X";
		int caught = 0;
		char s[VIN_LEN + 1] = "1HGCM82633A004352";
		for (int i = 0; alphabet[i]; i++) {
			s[8] = alphabet[i];
			caught += vin_validate(s, VIN_LEN, &v) ==
				  (alphabet[i] == '3' ? VIN_CHECK_OK : VIN_CHECK_BAD);
		}
		is_int(caught, 11, "position 9: only the right digit verifies");
	}

	vininfo();
	own();
	return tap_done();
}
