/*
 * entities.h: travel documents and vehicles named in the free text of a
 * message (subject or body, Arabic, English, French or Spanish, UTF-8).
 *
 * One pass over the text, no allocation per character, no regular
 * expressions. It finds:
 *
 *   machine readable zones: 2 or 3 consecutive lines of 30, 36 or 44
 *     characters of [A-Z0-9<], at least one '<' among them (spaces, tabs,
 *     CR and '>' quote marks around a line and blank lines between lines
 *     are tolerated). Reported even when a check digit is wrong:
 *     {"kind":"mrz", ...mrz_to_jv fields..., "valid":bool, "errors":[...]}
 *
 *   VINs: tokens of exactly 17 ASCII letters and digits, not touching '<',
 *     holding both a letter and a digit. Unlabelled, a token must be in
 *     capitals, in the VIN alphabet, end in 4 digits (ISO 3779 serial) and
 *     either verify (check digit ok) or come from outside North America
 *     (check digit n/a). After a label ("VIN", "chassis", "châssis",
 *     "bastidor", "رقم الشاصي", "رقم الهيكل") any such token is reported,
 *     lowercase, a wrong digit or I/O/Q included (then "valid": false):
 *     {"kind":"vin", "vin":"...", "valid":true|false|null,
 *      "check_digit":"ok"|"bad"|"n/a"}   (null and "n/a": not verifiable)
 *
 *   labelled document numbers: a label ("passport", "passeport",
 *     "pasaporte", "جواز سفر" -> "passport"; "ID card", "identity card",
 *     "carte (nationale) d'identité", "DNI", "بطاقة هوية" -> "id_card"),
 *     optionally a nationality or country word before it (English) or after
 *     it (French, Spanish, Arabic), a number marker ("no.", "number", "n°",
 *     "n.º", "numéro", "número", "رقم", "#", ":"), then the number: ASCII
 *     letters and digits (Arabic-Indic digits too), with dashes, dots
 *     between digits, or spaces before a group holding a digit inside;
 *     normalised to capitals without separators; 5 to 24 characters with
 *     at least one digit:
 *     {"kind":"document", "number":"...", "label":"passport"|"id_card",
 *      "country":"FR"}   (country only when the text states it)
 *
 * The same entity found twice is reported once; at most ENTITIES_MAX are
 * reported per text.
 */
#ifndef CCC_ENTITIES_H
#define CCC_ENTITIES_H

#include <stddef.h>

#include <jv.h>

#define ENTITIES_MAX 64

/* The entities in text[0..len) as a new jv array of objects, in the order found
 * (possibly empty). */
jv entities_extract(const char *text, size_t len);

#endif
