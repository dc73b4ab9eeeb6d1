/*
 * SHA-256 (FIPS 180-2), base64 (RFC 4648), Ed25519 (RFC 8032 section 7.1),
 * and the journal's binary encoding (checked against an independent
 * implementation of the layout in lib/ccc/journal.h).
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/digest.h"
#include "ccc/journal.h"
#include "ccc/sign.h"
#include "tap.h"

static void unhex(const char *s, uint8_t *out)
{
	hex_decode(s, strlen(s), out);
}

static void test_sha256(void)
{
	uint8_t h[SHA256_LEN];
	char hex[65];
	static const struct {
		const char *in, *want;
	} v[] = {
	    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		digest_sha256(v[i].in, strlen(v[i].in), h);
		hex_encode(h, SHA256_LEN, hex);
		is_str(hex, v[i].want, "sha256 FIPS 180-2 vector %zu", i + 1);
	}
	struct digest_ctx *c = digest_new();
	digest_update(c, "ab", 2);
	digest_update(c, "c", 1);
	digest_final(c, h);
	hex_encode(h, SHA256_LEN, hex);
	is_str(hex, v[0].want, "incremental sha256 equals one-shot");
}

static void test_base64(void)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const enc[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
					  "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	char out[16];
	uint8_t back[16];
	for (int i = 0; i < 7; i++) {
		base64_encode((const uint8_t *)plain[i], strlen(plain[i]), out);
		is_str(out, enc[i], "base64 RFC 4648 encode '%s'", plain[i]);
		long n = base64_decode(enc[i], strlen(enc[i]), back);
		ok(n == (long)strlen(plain[i]) && memcmp(back, plain[i], (size_t)n) == 0,
		   "base64 RFC 4648 decode '%s'", enc[i]);
	}
	ok(base64_decode("Zm9v!", 5, back) < 0, "base64 refuses a bad character");
	ok(base64_decode("Zm\r\n9v", 6, back) == 3, "base64 skips line breaks");
	ok(base64_decode("Zm9vYmFy\nZm9v", 13, back) == 9 && memcmp(back, "foobarfoo", 9) == 0,
	   "base64 skips a line break after whole groups");
	ok(base64_decode("Zm8=Zm9v", 8, back) < 0, "base64 refuses letters after padding");
	ok(base64_decode("Zm9vYm!y", 8, back) < 0, "base64 refuses a bad character in a group");
	uint8_t raw[300], dec[300];
	char txt[404];
	int same = 1;
	for (size_t n = 0; n < sizeof raw; n++) {
		raw[n] = (uint8_t)(n * 167 + 13);
		base64_encode(raw, n + 1, txt);
		same = same && base64_decode(txt, strlen(txt), dec) == (long)n + 1 &&
		       memcmp(dec, raw, n + 1) == 0;
	}
	ok(same, "base64 round-trips 1 to 300 bytes");
}

static void test_ed25519(void)
{
	/* RFC 8032 section 7.1, TEST 1 and TEST 2 */
	static const struct {
		const char *secret, *public, *msg, *sig;
	} v[] = {
	    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
	     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3"
	     "9701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
	    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
	     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3"
	     "613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
	};
	for (int i = 0; i < 2; i++) {
		uint8_t seed[32], pub[32], want_pub[32], sig[64], want_sig[64], msg[8];
		size_t mlen = strlen(v[i].msg) / 2;
		unhex(v[i].secret, seed);
		unhex(v[i].public, want_pub);
		unhex(v[i].sig, want_sig);
		unhex(v[i].msg, msg);
		struct sign_key *k = sign_from_seed(seed);
		ok(k != NULL, "RFC 8032 test %d: key from seed", i + 1);
		sign_public(k, pub);
		ok(memcmp(pub, want_pub, 32) == 0, "RFC 8032 test %d: public key", i + 1);
		sign_message(k, msg, mlen, sig);
		ok(memcmp(sig, want_sig, 64) == 0, "RFC 8032 test %d: signature", i + 1);
		ok(sign_verify(pub, msg, mlen, sig), "RFC 8032 test %d: verifies", i + 1);
		sig[5] ^= 1;
		ok(!sign_verify(pub, msg, mlen, sig), "RFC 8032 test %d: a flipped bit fails",
		   i + 1);
		char text[80];
		uint8_t back[32];
		sign_pub_format(pub, text, sizeof text);
		ok(strncmp(text, "ed25519:", 8) == 0 && sign_pub_parse(text, back) == 0 &&
		       memcmp(back, pub, 32) == 0,
		   "RFC 8032 test %d: public key text round trip", i + 1);
		sign_free(k);
	}
	uint8_t junk[32];
	ok(sign_pub_parse("ed25519:AAAA", junk) < 0, "a short public key is refused");
}

static void test_journal(void)
{
	uint8_t cs[10], hash[SHA256_LEN], *msg;
	char hex[65], *mhex;
	for (int i = 0; i < 10; i++)
		cs[i] = (uint8_t)i;
	struct journal_entry e = {
	    .seq = 7,
	    .epoch = 2,
	    .origin = "lyon",
	    .actor = "duty-officer",
	    .command = "ccc-intake --source ncb:fr",
	    .ts = "2026-11-28T10:00:00.123Z",
	    .changeset = cs,
	    .changeset_len = sizeof cs,
	};
	memset(e.prev_hash, 0xab, SHA256_LEN);
	journal_hash(&e, hash);
	hex_encode(hash, SHA256_LEN, hex);
	is_str(hex, "bcc08e3ae257f114e01fcf9448616ea403eafe47f95bf794c13815d1021a52c3",
	       "journal hash of a fixed entry (the encoding must never change)");
	size_t n = checkpoint_message("lyon", 7, hash, &msg);
	mhex = malloc(2 * n + 1);
	hex_encode(msg, n, mhex);
	is_str(mhex,
	       "6363632d636865636b706f696e742d3100000000046c796f6e0000000000000007"
	       "bcc08e3ae257f114e01fcf9448616ea403eafe47f95bf794c13815d1021a52c3",
	       "checkpoint message layout");
	free(mhex);
	free(msg);
	e.seq = 8;
	journal_hash(&e, hash);
	hex_encode(hash, SHA256_LEN, hex);
	ok(strcmp(hex, "bcc08e3ae257f114e01fcf9448616ea403eafe47f95bf794c13815d1021a52c3") != 0,
	   "a different seq hashes differently");
}

int main(void)
{
	test_sha256();
	test_base64();
	test_ed25519();
	test_journal();
	return tap_done();
}
