/*
 * sign.c: Ed25519 with OpenSSL 3 EVP (EVP_PKEY_ED25519, one-shot EVP_DigestSign).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "ccc/digest.h"
#include "ccc/exit.h"
#include "ccc/sign.h"
#include "ccc/xmalloc.h"

struct sign_key {
	EVP_PKEY *pkey;
	EVP_MD_CTX *ctx;
};

static const char *ossl_reason(void)
{
	unsigned long e = ERR_get_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	return r ? r : "unknown OpenSSL error";
}

int sign_make_parents(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			warn("cannot create '%s'", p);
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

int sign_dir_check(const char *path, const char *what)
{
	char dir[4096];
	struct stat st;
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (stat(dir, &st) < 0)
		return 0; /* not there yet: it is created 0700 */
	if (st.st_mode & 022) {
		warnx("the folder of %s '%s' is writable by others (folder '%s', mode %04o): "
		      "anyone could replace it; refusing it; run: chmod go-w '%s'",
		      what, path, dir, (unsigned)(st.st_mode & 07777), dir);
		return CCC_EX_NOPERM;
	}
	return 0;
}

static struct sign_key *key_wrap(EVP_PKEY *pkey)
{
	struct sign_key *k = xcalloc(1, sizeof *k);
	if (!(k->ctx = EVP_MD_CTX_new()))
		xmalloc_failed();
	k->pkey = pkey;
	return k;
}

int sign_generate(const char *path, struct sign_key **out)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!pkey) {
		warnx("cannot generate an Ed25519 key: %s", ossl_reason());
		return CCC_EX_SOFTWARE;
	}
	int rc = sign_dir_check(path, "key file");
	if (rc || sign_make_parents(path) < 0) {
		EVP_PKEY_free(pkey);
		return rc ? rc : CCC_EX_CANTCREAT;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		warn("cannot create key file '%s'", path);
		EVP_PKEY_free(pkey);
		return CCC_EX_CANTCREAT;
	}
	FILE *f = fdopen(fd, "w");
	if (!f || !PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) || fflush(f) ||
	    fsync(fd) < 0) {
		warnx("cannot write key file '%s'", path);
		if (f)
			fclose(f);
		unlink(path);
		EVP_PKEY_free(pkey);
		return CCC_EX_IOERR;
	}
	fclose(f);
	*out = key_wrap(pkey);
	return 0;
}

int sign_load(const char *path, struct sign_key **out)
{
	struct stat st;
	int rc = sign_dir_check(path, "key file");
	if (rc)
		return rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		warn("cannot open key file '%s'", path);
		return errno == ENOENT ? CCC_EX_CONFIG : CCC_EX_NOPERM;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		warnx("key file '%s' is not a regular file", path);
		close(fd);
		return CCC_EX_CONFIG;
	}
	if (st.st_mode & 077) {
		/* say which: a key others can write can be replaced by theirs */
		const char *how = (st.st_mode & 044) && (st.st_mode & 022) ? "readable and writable"
				  : st.st_mode & 022                       ? "writable"
									   : "readable";
		warnx("key file '%s' is %s by others (mode %04o): refusing it; "
		      "run: chmod 600 '%s'",
		      path, how, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return CCC_EX_NOPERM;
	}
	FILE *f = fdopen(fd, "r");
	EVP_PKEY *pkey = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	if (!pkey) {
		warnx("cannot read key file '%s': %s", path, ossl_reason());
		return CCC_EX_CONFIG;
	}
	if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
		warnx("key file '%s' does not hold an Ed25519 key", path);
		EVP_PKEY_free(pkey);
		return CCC_EX_CONFIG;
	}
	*out = key_wrap(pkey);
	return 0;
}

struct sign_key *sign_from_seed(const uint8_t seed[32])
{
	EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	return pkey ? key_wrap(pkey) : NULL;
}

void sign_free(struct sign_key *k)
{
	if (!k)
		return;
	EVP_MD_CTX_free(k->ctx);
	EVP_PKEY_free(k->pkey);
	free(k);
}

void sign_public(const struct sign_key *k, uint8_t pub[SIGN_PUBLEN])
{
	size_t n = SIGN_PUBLEN;
	if (!EVP_PKEY_get_raw_public_key(k->pkey, pub, &n) || n != SIGN_PUBLEN)
		abort();
}

int sign_message(const struct sign_key *k, const void *msg, size_t n, uint8_t sig[SIGN_SIGLEN])
{
	size_t len = SIGN_SIGLEN;
	if (!EVP_DigestSignInit(k->ctx, NULL, NULL, NULL, k->pkey) ||
	    !EVP_DigestSign(k->ctx, sig, &len, msg, n) || len != SIGN_SIGLEN)
		abort();
	return 0;
}

int sign_verify(const uint8_t pub[SIGN_PUBLEN], const void *msg, size_t n,
		const uint8_t sig[SIGN_SIGLEN])
{
	EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, SIGN_PUBLEN);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = pkey && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
		 EVP_DigestVerify(ctx, sig, SIGN_SIGLEN, msg, n) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	return ok;
}

void sign_pub_format(const uint8_t pub[SIGN_PUBLEN], char *out, size_t n)
{
	char b[64];
	base64_encode(pub, SIGN_PUBLEN, b);
	snprintf(out, n, "ed25519:%s", b);
}

int sign_pub_parse(const char *s, uint8_t pub[SIGN_PUBLEN])
{
	uint8_t tmp[64];
	if (strncmp(s, "ed25519:", 8) == 0)
		s += 8;
	size_t n = strlen(s);
	if (n > 64)
		return -1;
	if (base64_decode(s, n, tmp) != SIGN_PUBLEN)
		return -1;
	memcpy(pub, tmp, SIGN_PUBLEN);
	return 0;
}
