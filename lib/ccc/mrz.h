/*
 * mrz.h: machine readable zones of travel documents (ICAO Doc 9303, 8th ed.).
 *
 * Formats, by the shape of the zone:
 *   TD1    3 lines of 30   identity cards (document codes I, A, C)
 *   TD2    2 lines of 36   identity cards and travel documents
 *   TD3    2 lines of 44   passports (P)
 *   MRV-A  2 lines of 44   visas, full size (V)
 *   MRV-B  2 lines of 36   visas, small size (V)
 *   FR-CNI 2 lines of 36   French national identity card issued 1988-2021
 *                          (line 1 starts "IDFRA"; national layout, not ICAO)
 *
 * Check digits use the 7-3-1 weights over the values '<' = 0, '0'..'9' = 0..9,
 * 'A'..'Z' = 10..35, modulo 10. A wrong check digit is reported for its field
 * and the rest of the zone is still parsed: nothing is dropped.
 *
 * Dates keep their raw YYMMDD and get an ISO 8601 guess. Century rule, against
 * a reference year R (the current UTC year for mrz_parse):
 *   birth date   the latest year ending in YY that is not after R
 *                (R = 2026: 26 -> 2026, 27 -> 1927);
 *   expiry date  the year ending in YY within [R - 49, R + 50]
 *                (R = 2026: 76 -> 2076, 77 -> 1977).
 * A date whose month or day is '<' (unknown, allowed by Doc 9303 for birth
 * dates) has no ISO form and is not an error; a date that is not a calendar
 * date is an error.
 */
#ifndef CCC_MRZ_H
#define CCC_MRZ_H

#include <stddef.h>

#include <jv.h>

enum mrz_format { MRZ_TD1 = 1, MRZ_TD2, MRZ_TD3, MRZ_MRVA, MRZ_MRVB, MRZ_FRCNI };

/* The fields that carry a check digit, in the order Doc 9303 lists them. */
enum mrz_digit {
	MRZ_CD_DOCUMENT_NUMBER,
	MRZ_CD_BIRTH_DATE,
	MRZ_CD_EXPIRY_DATE,
	MRZ_CD_OPTIONAL_DATA, /* TD3 personal number */
	MRZ_CD_COMPOSITE,
	MRZ_NDIGIT
};

enum mrz_check {
	MRZ_CHECK_NONE, /* this format has no such check digit */
	MRZ_CHECK_OK,
	MRZ_CHECK_BAD, /* wrong digit, or a character outside the MRZ alphabet */
};

/* The fields that can be in error; bit (1u << field) in mrz.errors. */
enum mrz_field {
	MRZ_F_DOCUMENT_CODE,
	MRZ_F_ISSUING_STATE, /* unknown code (not ISO 3166-1 nor an ICAO code) */
	MRZ_F_NAME,          /* a character outside the MRZ alphabet */
	MRZ_F_DOCUMENT_NUMBER,
	MRZ_F_NATIONALITY,
	MRZ_F_BIRTH_DATE, /* bad check digit, or not a calendar date */
	MRZ_F_SEX,        /* not M, F, X or < */
	MRZ_F_EXPIRY_DATE,
	MRZ_F_OPTIONAL_DATA,
	MRZ_F_OPTIONAL_DATA_2,
	MRZ_F_COMPOSITE,
	MRZ_NFIELD
};

/*
 * A parsed zone. Strings are NUL-terminated printable ASCII, fillers '<'
 * turned into spaces, trailing fillers removed; a byte outside the MRZ
 * alphabet is kept as '?' and its field flagged in errors.
 */
struct mrz {
	enum mrz_format format;
	char document_code[3];    /* "P", "PO", "ID", "I", "V" ... */
	char issuing_state[4];    /* as written: "UTO", "D" */
	char surname[40];         /* primary identifier: "CACADOR DE ARAUJO" */
	char given_names[40];     /* secondary identifier: "ANDRE ESTEV" */
	char document_number[25]; /* with the TD1/TD2 overflow appended */
	char nationality[4];      /* empty for FR-CNI */
	char birth_date[7];       /* YYMMDD as written */
	char birth_date_iso[11];  /* YYYY-MM-DD, or empty */
	char sex;                 /* 'M', 'F' or 'X' (unspecified, '<' in the zone) */
	char expiry_date[7];      /* empty for FR-CNI */
	char expiry_date_iso[11];
	char optional_data[17];   /* TD1 line 1 (raw, with any number overflow),
				   * TD2, TD3 personal number, MRV; FR-CNI
				   * administrative code */
	char optional_data_2[12]; /* TD1 line 2 */
	char issue_date[5];       /* FR-CNI only: YYMM */
	enum mrz_check check[MRZ_NDIGIT];
	char check_char[MRZ_NDIGIT]; /* the digit as written, 0 when none */
	unsigned errors;             /* bit per enum mrz_field */
	int valid;                   /* errors == 0 */
};

/* mrz_parse return values below 0. */
#define MRZ_ELINES  (-1) /* not 2 or 3 non-empty lines */
#define MRZ_ELENGTH (-2) /* line lengths fit no format */

/*
 * Parse the zone in text[0..len): its lines, each trimmed of spaces, tabs and
 * CR, blank lines ignored. Returns 0 when a format was recognised (then see
 * out->valid and out->errors), or MRZ_ELINES / MRZ_ELENGTH. Uses the current
 * UTC year as the reference year of the century rule.
 */
int mrz_parse(const char *text, size_t len, struct mrz *out);
/* The same with an explicit reference year for the century rule. */
int mrz_parse_year(const char *text, size_t len, int ref_year, struct mrz *out);
/* The same from lines already split: nline lines of linelen bytes each. */
int mrz_parse_lines(const char *const line[], int nline, size_t linelen, int ref_year,
		    struct mrz *out);

/* Check digit of s[0..n): 0..9, or -1 when a byte is outside [0-9A-Z<]. */
int mrz_check_digit(const char *s, size_t n);

/* "TD1", "TD2", "TD3", "MRV-A", "MRV-B", "FR-CNI". */
const char *mrz_format_name(enum mrz_format f);
/* snake_case name of a field or check digit, as used in records. */
const char *mrz_field_name(enum mrz_field f);
const char *mrz_digit_name(enum mrz_digit d);

/*
 * ISO 3166 alpha-2 country of an MRZ state code of 1 to 3 letters ("FRA",
 * "D"), "" for a known code that is not a country (XXA stateless, UNO, XPO
 * INTERPOL ...), NULL for an unknown code.
 */
const char *mrz_state_country(const char *code, size_t n);

/*
 * The zone as a record object: format, the fields, issuing_country and
 * nationality_country (alpha-2, when the code maps to one), check_digits
 * {field: "ok"|"bad"}, valid, errors [field names]. Does not consume
 * anything; returns a new jv object.
 */
jv mrz_to_jv(const struct mrz *m);

#endif
