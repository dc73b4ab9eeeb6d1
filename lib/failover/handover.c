/*
 * handover.c: promote the standby, then take its epoch entry back.
 */
#include <stdio.h>
#include <unistd.h>

#include "ccc/exit.h"
#include "ccc/handover.h"
#include "ccc/ship.h"

int handover_promote(struct store *s, const char *via, struct ship_import *im)
{
	char args[64];
	int fd = -1;
	int64_t pos = ship_position(s);
	if (pos < 0)
		return CCC_EX_IOERR;
	int rc = ship_run(s, via, "promote", -1, &fd);
	if (fd >= 0)
		close(fd);
	if (rc)
		return rc;
	snprintf(args, sizeof args, "export --since %lld", (long long)pos);
	fd = -1;
	rc = ship_run(s, via, args, -1, &fd);
	if (!rc) {
		im->quiet_acks = 1;
		rc = ship_import_fd(s, fd, "the new primary's export", im);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}
