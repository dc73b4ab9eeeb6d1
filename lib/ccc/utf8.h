/*
 * utf8.h: UTF-8 validation (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
 */
#ifndef CCC_UTF8_H
#define CCC_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length in bytes of the longest valid prefix of p[0..n), stopping after
 * max_chars characters when max_chars > 0. */
size_t utf8_valid_prefix(const char *p, size_t n, size_t max_chars);
/* 1 when all of p[0..n) is valid UTF-8. */
int utf8_valid(const char *p, size_t n);
/* Decode one code point at *p (valid UTF-8 assumed), advance *p. */
uint32_t utf8_next(const char **p);
/*
 * What a terminal would act on, made visible: s[0..n) with each C0 control
 * (but tab and newline when keep says), DEL, C1 control (U+0080-U+009F), line
 * or paragraph separator (U+2028, U+2029) and bidirectional embedding,
 * override or isolate (U+202A-U+202E, U+2066-U+2069, which reorder the
 * columns of a table) written as "\uXXXX", and each byte that is not part of
 * valid UTF-8 as "\xXX". JSON text stays JSON text with the same meaning.
 * Writes to out, which holds at least 6 * n bytes; returns the bytes written.
 */
enum { UTF8_KEEP_NEWLINE = 1, UTF8_KEEP_TAB = 2 };
size_t utf8_escape_controls(char *out, const char *s, size_t n, int keep);
/* 1 when utf8_escape_controls would change s[0..n). */
int utf8_has_controls(const char *s, size_t n, int keep);
/* A table cell: s (NULL: "") with every control made visible, newline and
 * tab too, in a malloc'd string the caller frees. */
char *utf8_printable(const char *s);

#endif
