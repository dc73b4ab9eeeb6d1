/*
 * hash.h: FNV-1a, the hash of the fixed open-addressing tables (lexicons,
 * country names, candidate sets, key counts).
 */
#ifndef CCC_HASH_H
#define CCC_HASH_H
#include <stddef.h>

/* FNV-1a (32 bits) of s[0..n). */
static inline unsigned hash_fnv1a(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

#endif
