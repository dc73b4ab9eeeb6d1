/*
 * suggest.h: "did you mean" for a mistyped command or value.
 */
#ifndef CCC_SUGGEST_H
#define CCC_SUGGEST_H

#include <stddef.h>

/* The one of names[0..n) that word most likely meant: the name it is a prefix
 * of when only one is, else the nearest by optimal-string-alignment distance
 * (insert, delete, substitute, swap two neighbours) when that distance is at
 * most a third of the longer word (at least 1) and no other name is as near.
 * NULL when none is. Pure; byte-wise (command words are ASCII). */
const char *suggest(const char *word, const char *const *names, size_t n);

/* The optimal-string-alignment distance between a and b, counted up to 64
 * bytes of each (a longer word compares as its first 64). */
size_t suggest_distance(const char *a, const char *b);

#endif
