/*
 * fuzz-feed: RSS 0.9x/1.0/2.0 and Atom feeds (lib/formats/feed.c): the sniffer, the
 * safe XML parse, items, dates and HTML reduced to text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/clock.h"
#include "ccc/feed.h"

static int item(jv it, void *ctx)
{
	if (jv_get_kind(it) != JV_KIND_OBJECT)
		abort();
	jv_free(it);
	++*(unsigned long *)ctx;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	char *err = NULL, date[RFC3339_LEN];
	unsigned long n = 0;
	(void)feed_sniff(p, size);
	if (feed_parse(p, size, item, &n, &err) < 0 && !err)
		abort();
	free(err);
	/* the date reader and the HTML reducer also see the input alone */
	if (size < 256) {
		char *s = strndup(p, size);
		if (!s)
			abort();
		(void)feed_date(s, date);
		free(s);
	}
	jv_free(feed_html_text(p, size));
	return 0;
}
