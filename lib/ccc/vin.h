/*
 * vin.h: vehicle identification numbers (ISO 3779, 17 characters).
 *
 * The alphabet is the digits and the capital letters except I, O and Q.
 * Position 9 holds a check digit (0-9 or X for 10) computed from every other
 * position: letters are transliterated (A-H 1-8, J-N 1-5, P 7, R 9, S-Z 2-9),
 * multiplied by the weights 8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2, summed,
 * modulo 11. The check digit is mandatory for vehicles made for North America
 * (49 CFR 565), i.e. world manufacturer identifiers starting with 1 to 5;
 * elsewhere it is optional, so a mismatch there proves nothing.
 */
#ifndef CCC_VIN_H
#define CCC_VIN_H

#include <stddef.h>

#define VIN_LEN 17

enum vin_status {
	VIN_BAD_LENGTH = -2, /* not 17 characters once normalised */
	VIN_BAD_CHAR = -1,   /* a character outside the VIN alphabet */
	VIN_CHECK_OK = 0,    /* the check digit verifies */
	VIN_CHECK_BAD,       /* North American VIN whose check digit does not verify */
	VIN_CHECK_NA,        /* check digit not required (WMI outside 1-5) and not matching:
			      * well formed, not verifiable */
};

struct vin {
	char vin[VIN_LEN + 1]; /* normalised; valid when status >= 0 */
	int check_applies;     /* 1 when the WMI is North American (1-5) */
	char check_digit;      /* the one computed: '0'..'9' or 'X' */
};

/*
 * Normalise s[0..n) (drop white space and dashes, uppercase ASCII letters) and
 * validate it. Fills out (out->vin holds up to 17 normalised characters even
 * on failure) and returns the status. A VIN outside North America whose digit
 * happens to verify is VIN_CHECK_OK.
 */
enum vin_status vin_validate(const char *s, size_t n, struct vin *out);

/* Check digit of 17 characters already in the alphabet: '0'..'9' or 'X'; 0 when a
 * character is outside the alphabet. */
char vin_check_digit(const char vin[VIN_LEN]);

/* Value of a VIN character (transliteration), -1 outside the alphabet (I, O, Q,
 * lowercase, punctuation). */
int vin_char_value(unsigned char c);

/* "ok", "bad", "n/a" for the check statuses; "bad_length", "bad_char". */
const char *vin_status_name(enum vin_status st);

#endif
