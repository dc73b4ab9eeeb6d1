/*
 * ship-import.h: 'ccc-failover import': read a primary's export (entry and
 * checkpoint records, ship.h) and apply it a batch at a time, each batch in
 * one transaction (ship_begin ... ship_end), answering an `ack` record for
 * each entry once its batch committed. A batch is up to batch pairs or
 * 8 MiB of them, or what arrived before the input paused for batch_ms.
 * What came before a bad line is applied; the bad line is reported (65).
 */
#ifndef CCC_SHIP_IMPORT_H
#define CCC_SHIP_IMPORT_H

#include <signal.h>
#include <stddef.h>

#include <jv.h>

#include "ccc/store.h"

struct ship_import {
	size_t max_line;             /* the program's line limit (an entry may pass it) */
	long batch, batch_ms;        /* pairs per batch; pause that ends a batch */
	volatile sig_atomic_t *stop; /* set by a signal: apply the batch in hand, stop */
	int quiet_acks;              /* 1: do not write the acks (handover) */
	unsigned long applied;       /* out: the entries applied or already there */
};

/* Import the records read from fd (name for messages). Returns 0, 65 when an
 * entry or a line was refused, 74 on a read error, or another exit code. */
int ship_import_fd(struct store *s, int fd, const char *name, struct ship_import *im);

/* The same over files[0..nfiles) ("-" is stdin; none: stdin), stopping
 * after the input in hand when *im->stop is set: then 130 or 143 (SIGINT,
 * SIGTERM) unless another error came first. 66 when a file cannot be
 * opened. */
int ship_import_files(struct store *s, char **files, int nfiles, struct ship_import *im);

#endif
