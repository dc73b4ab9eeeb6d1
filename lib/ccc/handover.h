/*
 * handover.h: the end of a planned handover (ccc-failover handover), once
 * everything is shipped: the standby reached through a --via command is
 * promoted, and its epoch entry is imported here, which fences this site
 * (RPO 0). Both steps run the one --via runner, ship_run (ship.h).
 */
#ifndef CCC_HANDOVER_H
#define CCC_HANDOVER_H

#include "ccc/ship-import.h"
#include "ccc/store.h"

/* "VIA promote", then "VIA export --since POSITION" imported into s with im
 * (its acks are not written). Returns 0 or the exit status of the step that
 * failed (warned). */
int handover_promote(struct store *s, const char *via, struct ship_import *im);

#endif
