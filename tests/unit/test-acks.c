/*
 * The signed acknowledgement's encoding (lib/ccc/journal.h), kept apart from
 * the checkpoint's, and the one rule for site names (lib/ccc/opts.h).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccc/digest.h"
#include "ccc/journal.h"
#include "ccc/opts.h"
#include "ccc/sign.h"
#include "tap.h"

static void test_ack_message(void)
{
	uint8_t hash[SHA256_LEN], *a, *c;
	memset(hash, 0x5a, SHA256_LEN);
	size_t n = ack_message("lyon", 7, hash, &a);
	char *hex = malloc(2 * n + 1);
	hex_encode(a, n, hex);
	is_str(hex,
	       "6363632d61636b2d3100"
	       "000000046c796f6e"
	       "0000000000000007"
	       "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
	       "ack message layout: magic with its NUL, str site, u64 seq, hash");
	size_t m = checkpoint_message("lyon", 7, hash, &c);
	ok(m != n || memcmp(a, c, n) != 0,
	   "an ack never signs the same bytes as a checkpoint of the same seq and hash");
	/* a signature over one does not verify over the other */
	struct sign_key *k = NULL;
	uint8_t pub[SIGN_PUBLEN], sig[SIGN_SIGLEN];
	/* a key in a folder of its own: a key folder others may write is refused */
	char dir[] = "/tmp/ccc-test-acks-XXXXXX", path[64];
	ok(mkdtemp(dir) != NULL, "a temporary key folder");
	snprintf(path, sizeof path, "%s/site.pem", dir);
	if (sign_generate(path, &k) == 0) {
		sign_public(k, pub);
		sign_message(k, a, n, sig);
		ok(sign_verify(pub, a, n, sig), "an ack's signature verifies");
		ok(!sign_verify(pub, c, m, sig), "and not as a checkpoint's");
		uint8_t *o;
		size_t on = ack_message("lyon", 8, hash, &o);
		ok(!sign_verify(pub, o, on, sig), "nor for another seq");
		free(o);
		sign_free(k);
	} else {
		ok(0, "generating a key");
	}
	unlink(path);
	rmdir(dir);
	free(hex);
	free(a);
	free(c);
}

static void test_site_names(void)
{
	static const char *const good[] = {"lyon", "buenos-aires", "singapore", "a", "site-2", "0"};
	static const char *const bad[] = {"",    "-rf",  "lyon-",    "Lyon",   "../etc",
					  "a b", "x;rm", "bad_name", "lyon\n", "é"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(ccc_site_name_ok(good[i]), "site name '%s' is taken", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(!ccc_site_name_ok(bad[i]), "bad site name %zu is refused", i);
	char longname[80];
	memset(longname, 'a', sizeof longname);
	longname[CCC_SITE_NAME_MAX] = '\0';
	ok(ccc_site_name_ok(longname), "63 bytes are taken");
	longname[CCC_SITE_NAME_MAX] = 'a';
	longname[CCC_SITE_NAME_MAX + 1] = '\0';
	ok(!ccc_site_name_ok(longname), "64 bytes are refused");
	ok(!ccc_site_name_ok(NULL), "no name is refused");
}

int main(void)
{
	test_ack_message();
	test_site_names();
	return tap_done();
}
