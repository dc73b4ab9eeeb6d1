/*
 * vin.c: normalise and validate vehicle identification numbers (ISO 3779 and
 * the North American check digit of 49 CFR 565).
 */
#include <string.h>

#include "ccc/vin.h"

/* Transliteration of 'A'..'Z'; 0 for I, O and Q, which never occur. */
static const unsigned char letter_value[26] = {
    1, 2, 3, 4, 5, 6, 7, 8, 0, /* A-I */
    1, 2, 3, 4, 5, 0, 7, 0, 9, /* J-R */
    2, 3, 4, 5, 6, 7, 8, 9,    /* S-Z */
};

static const unsigned char weight[VIN_LEN] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

int vin_char_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q')
		return letter_value[c - 'A'];
	return -1;
}

char vin_check_digit(const char vin[VIN_LEN])
{
	unsigned sum = 0;

	for (int i = 0; i < VIN_LEN; i++) {
		int v = vin_char_value((unsigned char)vin[i]);
		if (v < 0)
			return 0;
		sum += (unsigned)v * weight[i];
	}
	sum %= 11;
	return sum == 10 ? 'X' : (char)('0' + sum);
}

enum vin_status vin_validate(const char *s, size_t n, struct vin *out)
{
	size_t len = 0;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (len == VIN_LEN)
			return VIN_BAD_LENGTH;
		out->vin[len++] = (char)c;
	}
	if (len != VIN_LEN)
		return VIN_BAD_LENGTH;
	for (size_t i = 0; i < len; i++)
		if (vin_char_value((unsigned char)out->vin[i]) < 0)
			return VIN_BAD_CHAR;
	out->check_applies = out->vin[0] >= '1' && out->vin[0] <= '5';
	out->check_digit = vin_check_digit(out->vin);
	if (out->vin[8] == out->check_digit)
		return VIN_CHECK_OK;
	return out->check_applies ? VIN_CHECK_BAD : VIN_CHECK_NA;
}

const char *vin_status_name(enum vin_status st)
{
	switch (st) {
	case VIN_BAD_LENGTH: return "bad_length";
	case VIN_BAD_CHAR: return "bad_char";
	case VIN_CHECK_OK: return "ok";
	case VIN_CHECK_BAD: return "bad";
	case VIN_CHECK_NA: return "n/a";
	}
	return "unknown";
}
