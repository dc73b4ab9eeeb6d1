/*
 * suggest.c: the nearest known word to a mistyped one.
 */
#include <string.h>

#include "ccc/suggest.h"

#define MAXW 64

size_t suggest_distance(const char *a, const char *b)
{
	size_t na = strnlen(a, MAXW), nb = strnlen(b, MAXW);
	size_t d[MAXW + 1][MAXW + 1];

	for (size_t i = 0; i <= na; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[na][nb];
}

const char *suggest(const char *word, const char *const *names, size_t n)
{
	const char *prefixed = NULL, *best = NULL;
	size_t nprefixed = 0, bestd = (size_t)-1, nbest = 0, len = strlen(word);

	if (!len)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!strncmp(names[i], word, len)) {
			prefixed = names[i];
			nprefixed++;
		}
		size_t d = suggest_distance(word, names[i]);
		if (d < bestd) {
			bestd = d;
			best = names[i];
			nbest = 1;
		} else if (d == bestd) {
			nbest++;
		}
	}
	if (nprefixed == 1)
		return prefixed;
	if (!best || nbest > 1)
		return NULL;
	size_t longer = strlen(best) > len ? strlen(best) : len, limit = longer / 3;
	return bestd <= (limit ? limit : 1) ? best : NULL;
}
