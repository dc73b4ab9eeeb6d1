/*
 * fuzz-escape: what the wall board and the situation report write of text
 * from the store (lib/board/board.c board_escape, board_time_left; the
 * report's times, lib/case/case-sitrep.c case_sitrep_time). The escaped
 * text has no markup character, no control character but tab and newline,
 * no NUL, and unescapes to the text with those replaced; every '&' starts
 * one of the five entities. The first eight bytes are also a number of
 * seconds for board_time_left.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/board.h"
#include "ccc/case-report.h"
#include "ccc/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
	static const char ents_of[] = "&<>\"'";
	struct buf b = {0};
	const char *text = (const char *)data;
	board_escape(&b, text, size);
	size_t k = 0; /* where in text the escaped output is */
	for (size_t i = 0; i < b.len; k++) {
		const char *p = b.p + i;
		if (*p == '&') {
			int found = 0;
			for (int e = 0; e < 5 && !found; e++) {
				size_t n = strlen(ents[e]);
				if (b.len - i >= n && !memcmp(p, ents[e], n)) {
					if (k >= size || text[k] != ents_of[e])
						abort();
					i += n;
					found = 1;
				}
			}
			if (!found)
				abort();
			continue;
		}
		if (strchr("<>\"'", *p) && *p)
			abort();
		if (!*p || ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n'))
			abort();
		if (k >= size)
			abort();
		if (!text[k]) { /* NUL became U+FFFD */
			if (b.len - i < 3 || memcmp(p, "\xef\xbf\xbd", 3))
				abort();
			i += 3;
			continue;
		}
		if ((unsigned char)text[k] < 0x20 && text[k] != '\t' && text[k] != '\n'
			? *p != ' '
			: *p != text[k])
			abort();
		i++;
	}
	if (k != size)
		abort();
	buf_free(&b);

	char out[64];
	long long secs = 0;
	memcpy(&secs, data, size < sizeof secs ? size : sizeof secs);
	board_time_left(secs, out, sizeof out);
	if (!memchr(out, 0, sizeof out))
		abort();

	char t[64], at[64];
	size_t n = size < sizeof t - 1 ? size : sizeof t - 1;
	memcpy(t, data, n);
	t[n] = '\0';
	static const char *const langs[] = {"ar", "en", "fr", "es"};
	case_sitrep_time(t, langs[size % 4], at, sizeof at);
	if (!memchr(at, 0, sizeof at))
		abort();
	return 0;
}
