/*
 * digest.c: SHA-256 through OpenSSL EVP (the EVP_MD is fetched once), hex, base64.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ccc/digest.h"
#include "ccc/xmalloc.h"

struct digest_ctx {
	EVP_MD_CTX *md;
};

static const EVP_MD *sha256_md(void)
{
	static EVP_MD *md;
	if (!md)
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!md)
		abort();
	return md;
}

void digest_sha256(const void *p, size_t n, uint8_t out[SHA256_LEN])
{
	static EVP_MD_CTX *ctx;
	unsigned int len = SHA256_LEN;
	if (!ctx && !(ctx = EVP_MD_CTX_new()))
		abort();
	if (!EVP_DigestInit_ex(ctx, sha256_md(), NULL) || !EVP_DigestUpdate(ctx, p, n) ||
	    !EVP_DigestFinal_ex(ctx, out, &len))
		abort();
}

struct digest_ctx *digest_new(void)
{
	struct digest_ctx *c = xmalloc(sizeof *c);
	if (!(c->md = EVP_MD_CTX_new()) || !EVP_DigestInit_ex(c->md, sha256_md(), NULL))
		abort();
	return c;
}

void digest_update(struct digest_ctx *c, const void *p, size_t n)
{
	if (!EVP_DigestUpdate(c->md, p, n))
		abort();
}

void digest_final(struct digest_ctx *c, uint8_t out[SHA256_LEN])
{
	unsigned int len = SHA256_LEN;
	if (!EVP_DigestFinal_ex(c->md, out, &len))
		abort();
	EVP_MD_CTX_free(c->md);
	free(c);
}

void hex_encode(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

long hex_decode(const char *s, size_t n, uint8_t *out)
{
	if (n % 2)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit((unsigned char)s[i]), lo = hex_digit((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

void base64_encode(const uint8_t *p, size_t n, char *out)
{
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*out++ = b64[v >> 18];
		*out++ = b64[v >> 12 & 63];
		*out++ = b64[v >> 6 & 63];
		*out++ = b64[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		*out++ = b64[v >> 18];
		*out++ = b64[v >> 12 & 63];
		*out++ = '=';
		*out++ = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		*out++ = b64[v >> 18];
		*out++ = b64[v >> 12 & 63];
		*out++ = b64[v >> 6 & 63];
		*out++ = '=';
	}
	*out = '\0';
}

long base64_decode(const char *s, size_t n, uint8_t *out)
{
	static signed char map[256];
	static int ready;
	if (!ready) {
		memset(map, -1, sizeof map);
		for (int i = 0; i < 64; i++)
			map[(unsigned char)b64[i]] = (signed char)i;
		ready = 1;
	}
	uint32_t acc = 0;
	int bits = 0, pad = 0;
	long len = 0;
	size_t i = 0;
	/* whole groups of four letters of the alphabet, three bytes each; the
	 * loop below takes the rest (padding, white space, a bad letter) */
	const unsigned char *u = (const unsigned char *)s;
	while (n - i >= 4) {
		int a = map[u[i]], b = map[u[i + 1]], c = map[u[i + 2]], d = map[u[i + 3]];
		if ((a | b | c | d) < 0)
			break;
		uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
		out[len] = (uint8_t)(v >> 16);
		out[len + 1] = (uint8_t)(v >> 8);
		out[len + 2] = (uint8_t)v;
		len += 3;
		i += 4;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || map[c] < 0)
			return -1;
		acc = acc << 6 | (uint32_t)map[c];
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[len++] = (uint8_t)(acc >> bits);
		}
	}
	if (pad > 2)
		return -1;
	return len;
}
