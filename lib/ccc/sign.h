/*
 * sign.h: Ed25519 keys and signatures through OpenSSL EVP.
 *
 * A site's private key lives in a PEM file (PKCS#8) of mode 0600; a key file
 * that group or others may read is refused. Public keys travel as the raw 32
 * bytes, written "ed25519:BASE64".
 */
#ifndef CCC_SIGN_H
#define CCC_SIGN_H

#include <stddef.h>
#include <stdint.h>

#define SIGN_PUBLEN 32
#define SIGN_SIGLEN 64

struct sign_key;

/* mkdir -p for the folders above path, mode 0700 (keys, trust anchors,
 * witnesses and stores live in private folders); warns. 0 or -1. */
int sign_make_parents(const char *path);
/* Create a new key and write it to path (mode 0600, never overwriting).
 * Creates missing parent folders (0700). Returns 0 or an exit code (warned). */
int sign_generate(const char *path, struct sign_key **out);
/* Load a private key; refuses a file readable by group or others (77).
 * Returns 0 or an exit code, having warned. */
int sign_load(const char *path, struct sign_key **out);
/* A key from its 32-byte RFC 8032 secret (seed); for tests against published vectors. */
/* 0, or 77 (warned) when the folder holding path (a key, a trust anchor, a
 * witness: what names it) is writable by group or others. A missing folder
 * is fine: it is created 0700. */
int sign_dir_check(const char *path, const char *what);
struct sign_key *sign_from_seed(const uint8_t seed[32]);
void sign_free(struct sign_key *k);
/* The raw public key. */
void sign_public(const struct sign_key *k, uint8_t pub[SIGN_PUBLEN]);
/* Sign n bytes; returns 0. */
int sign_message(const struct sign_key *k, const void *msg, size_t n, uint8_t sig[SIGN_SIGLEN]);
/* 1 when sig is a valid signature of msg by pub, else 0. */
int sign_verify(const uint8_t pub[SIGN_PUBLEN], const void *msg, size_t n,
		const uint8_t sig[SIGN_SIGLEN]);
/* "ed25519:BASE64" into out (at least 64 bytes); parse it back (0 or -1). */
void sign_pub_format(const uint8_t pub[SIGN_PUBLEN], char *out, size_t n);
int sign_pub_parse(const char *s, uint8_t pub[SIGN_PUBLEN]);

#endif
