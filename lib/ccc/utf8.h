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
/* The width of valid UTF-8 text s in terminal columns: combining marks,
 * format and control characters take none, East Asian wide ones two. */
size_t utf8_display_width(const char *s);

#endif
