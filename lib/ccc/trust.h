/*
 * trust.h: trusting another site's key (ccc-store trust add).
 *
 * On a primary, or a site that has been one, the key goes into the sites
 * table in a journaled transaction (sites.h), so it replicates. A standby,
 * whose sites come from its primary's journal, keeps the key of its
 * primary as a trust anchor outside the store (anchor.h): the key its
 * primary's first entries and verify are checked against. A key trusted
 * already is a rerun (said on stderr, exit 0); another key for a trusted
 * site is refused unless replace.
 */
#ifndef CCC_TRUST_H
#define CCC_TRUST_H

#include <stddef.h>

#include "ccc/store.h"

struct trust_opts {
	int replace; /* replace a key trusted already */
	int quiet;   /* nothing on stderr but errors */
};

/* Trust site name's key (ed25519:BASE64). Returns 0 or an exit code. */
int trust_add(struct store *s, const char *name, const char *key, const struct trust_opts *o);

/*
 * Trust the `site` records {"name", "key"} read from fd (lines of at most
 * max_line bytes), in one transaction; a line that is not one is warned
 * with its place and makes it 65, the others are trusted. Refused (64) on a
 * standby, which trusts its primary by NAME KEY only.
 */
int trust_add_records(struct store *s, int fd, size_t max_line, const struct trust_opts *o);

#endif
