/*
 * fuzz-names: the normalisation of a person's name in any script (lib/check/names.c):
 * ICU, our Arabic and Hebrew rules, the Korean and Japanese readings of
 * Chinese characters (libhangul, MeCab), skeletons; the stored form and its
 * restoration; and the scores and blocking keys of lib/check/personmatch.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/names.h"
#include "ccc/personmatch.h"

static struct name_normalizer *nn;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256], line[2048], keys[40][PERSON_KEY_MAX];
	struct name_tokens r[3], back;

	if (!nn && !(nn = names_open(err, sizeof err)))
		abort();
	int n = names_readings(nn, (const char *)data, size, r, 3);
	if (n < -1 || n > 3)
		abort();
	for (int i = 0; i < n; i++) {
		if (r[i].n > NAME_TOKENS_MAX)
			abort();
		for (unsigned j = 0; j < r[i].n; j++) {
			const struct name_token *t = &r[i].tok[j];
			if (strlen(t->text) != t->len || t->len >= NAME_TOKEN_MAX ||
			    strlen(t->skel) >= NAME_KEY_MAX)
				abort();
		}
		/* what is stored is what is restored */
		size_t len = names_serialize(&r[i], line, sizeof line);
		if (len >= sizeof line || names_restore(line, len, &back) != (int)r[i].n)
			abort();
		for (unsigned j = 0; j < back.n; j++)
			if (strcmp(back.tok[j].text, r[i].tok[j].text) ||
			    strcmp(back.tok[j].skel, r[i].tok[j].skel))
				abort();
		double s = person_name_score(&r[i], &r[0]);
		if (!(s >= 0 && s <= 1))
			abort();
		if (person_blocking_keys(&r[i], keys, 40) > 40)
			abort();
	}
	return 0;
}
