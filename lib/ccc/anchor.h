/*
 * anchor.h: trust anchors, the site keys a store is checked against, kept
 * outside the store: $XDG_CONFIG_HOME/ccc/trust/NAME.pub, one
 * "ed25519:BASE64" line each, written by 'ccc-store init' (this site's own
 * key), 'ccc-store trust add' and 'ccc-failover site add'. Whoever can
 * rewrite the store cannot move its anchors: a history re-signed with
 * another key no longer verifies.
 */
#ifndef CCC_ANCHOR_H
#define CCC_ANCHOR_H

#include <stdint.h>

#include "ccc/sign.h"

/* The anchor file of site name (caller frees). */
char *anchor_path(const char *name);
/* 0 and *pub when site name has an anchor, -1 when it has none, or an exit
 * code (warned) when the anchor cannot be read or its folder is writable by
 * others. */
int anchor_get(const char *name, uint8_t pub[SIGN_PUBLEN]);
/* Record pub as site name's anchor (atomically, mode 0644, folder 0700).
 * An anchor with another key is kept (65, warned, where says what asked)
 * unless replace. 0 or an exit code. */
int anchor_put(const char *name, const uint8_t pub[SIGN_PUBLEN], int replace, const char *where);

#endif
