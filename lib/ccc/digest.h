/*
 * digest.h: SHA-256, hexadecimal and base64 (RFC 4648) encodings.
 */
#ifndef CCC_DIGEST_H
#define CCC_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

/* Hash n bytes of p into out[32]. */
void digest_sha256(const void *p, size_t n, uint8_t out[SHA256_LEN]);

/* Incremental SHA-256: init, update any number of times, final. */
struct digest_ctx;
struct digest_ctx *digest_new(void);
void digest_update(struct digest_ctx *c, const void *p, size_t n);
void digest_final(struct digest_ctx *c, uint8_t out[SHA256_LEN]); /* frees c */

/* The value of the hex digit c (either case), or -1. */
static inline int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Write 2n lowercase hex digits and a NUL to out. */
void hex_encode(const uint8_t *p, size_t n, char *out);
/* Decode hex into out; returns the byte count, or -1 on a bad digit or odd length. */
long hex_decode(const char *s, size_t n, uint8_t *out);

/* Base64 with padding. encode: out needs base64_len(n)+1 bytes, NUL-terminated. */
size_t base64_len(size_t n);
void base64_encode(const uint8_t *p, size_t n, char *out);
/* decode: skips ASCII white space; out needs n*3/4+3 bytes; returns the byte
 * count or -1 on bad input. */
long base64_decode(const char *s, size_t n, uint8_t *out);

#endif
