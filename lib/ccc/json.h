/*
 * json.h: strict JSON (RFC 8259) validation and a fast jv writer.
 *
 * libjq 1.6 accepts things that are not JSON (NaN, leading zeros, trailing
 * garbage, unescaped control characters) and silently replaces invalid UTF-8,
 * so every line is validated here before jv_parse_sized sees it.
 */
#ifndef CCC_JSON_H
#define CCC_JSON_H

#include <stddef.h>

#include <jv.h>

#define JSON_MAX_DEPTH 256

/*
 * Validate p[0..n) as exactly one JSON text in UTF-8. Returns 0 when valid;
 * otherwise -1 with a static reason in *why and the byte offset in *at.
 */
int json_validate(const char *p, size_t n, const char **why, size_t *at);
/*
 * json_validate, and whether the text may name one of names[0..nnames) with
 * something in it, in one pass: 1 when some member (at any depth) is named
 * so and its value is not written [] right after the colon, or when a key
 * holds an escape or a string a \u escape (either may spell a name); 0 when
 * none may; -1 when the text is not valid JSON.
 */
int json_validate_names(const char *p, size_t n, const char *const *names, size_t nnames);
/*
 * The same, and I-JSON (RFC 7493) as well, which json_validate checks too:
 * no object with two members of the same name, and no number that would not
 * come back with the same value (ccc writes a number as the shortest form of
 * its double: 12345678901234567890, 1e400, 1e-400 and 9007199254740993 would
 * change, so they are refused; send such a value as a string). Returns 0; -1
 * for a grammar or UTF-8 error (reason in *why, at *at); -2 for an I-JSON
 * refusal, with "field 'PATH': what" in detail[0..detail_len).
 */
int json_check(const char *p, size_t n, const char **why, size_t *at, char *detail,
	       size_t detail_len);

/*
 * Parse p[0..n), which json_check accepted, into the jv that
 * jv_parse_sized(p, n) gives, faster (what it does not expect, e.g. a
 * number of more than 62 characters, goes to jv_parse_sized).
 */
jv json_parse_checked(const char *p, size_t n);

/* A growable byte buffer. */
struct buf {
	char *p;
	size_t len, cap;
};
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_free(struct buf *b);

/*
 * Append v as compact JSON to b (object keys in insertion order, numbers in
 * their shortest round-trip form). Does not consume v.
 */
void json_write(struct buf *b, jv v);
/* Append the text of the valid JSON string literal p[0..n) (quotes
 * included), its escapes decoded, to b. */
void json_string_decode(struct buf *b, const char *p, size_t n);
/* Append s[0..n) as a JSON string literal, escaped. */
void json_write_str(struct buf *b, const char *s, size_t n);
/*
 * Append to b what json_write writes for the object text[0..n) (which
 * json_check accepted) with key (nothing in it to escape) set to value,
 * without parsing text: 0; or -1, b unchanged, when text is not as
 * json_write writes it (white space, other escapes, numbers other than
 * integers of up to 15 digits), and the caller writes the parsed object.
 * Does not consume value.
 */
int json_with_field(struct buf *b, const char *text, size_t n, const char *key, jv value);
/* The same with the value as JSON text already: value[0..vlen). */
int json_with_field_text(struct buf *b, const char *text, size_t n, const char *key,
			 const char *value, size_t vlen);

/*
 * In the object text[0..n) (which json_check accepted), the text of key's
 * value, a string with no escape in it, without parsing text: 0, its bytes
 * at text[*from..*to) (quotes excluded); -1 when key is missing, not such a
 * string, or the members before it not as json_write writes them.
 */
int json_plain_string(const char *text, size_t n, const char *key, size_t *from, size_t *to);

/* "an array", "a string", ... for messages. */
const char *json_kind_phrase(jv_kind k);

/* Lookups that check the kind: return the string, or NULL when the field is
 * absent, null or not a string. Do not consume obj. */
const char *jv_get_str(jv obj, const char *key);
/* jv_string(s), from a cache looked up by the pointer s and checked by its
 * text: for the strings asked for again and again (keys, names from static
 * tables), made and hashed once. */
jv jv_string_cached(const char *s);
/* A field of exactly n bytes in hex, decoded into out: 0, or -1 when it is
 * absent, not a string, or not 2n hex digits. */
int jv_get_hex(jv obj, const char *key, unsigned char *out, size_t n);
/* n bytes as a JSON string of hex digits, and of base64. */
jv jv_hex(const void *p, size_t n);
jv jv_base64(const void *p, size_t n);

#endif
