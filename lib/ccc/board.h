/*
 * board.h: the wall of the operations room: one self-contained HTML page.
 *
 * The page holds the open queue by priority with the time left to each due
 * time (overdue rows red), the open cases, the teams in the field on a world
 * map drawn from the bundled country outlines (board-atlas.h), the sites
 * with their role, lag and last heartbeat, and who is on duty. It fetches
 * nothing (no script, font, image or style from outside), reloads itself
 * with a meta refresh, marks free text dir="auto" (Arabic then reads right
 * to left; a message in Arabic is dir="rtl" lang="ar"), and escapes every
 * value taken from the store.
 */
#ifndef CCC_BOARD_H
#define CCC_BOARD_H

#include <stddef.h>
#include <time.h>

#include "ccc/json.h"
#include "ccc/store.h"

struct board_opts {
	time_t now;
	int refresh;   /* seconds between reloads; 0: none */
	int max_queue; /* queue rows shown at most (the rest counted) */
};

/* The page of store s as o says, appended to out. 0, or an exit code
 * (warned). */
int board_render(struct store *s, const struct board_opts *o, struct buf *out);

/* text[0..n) HTML-escaped (& < > " ') onto out. Pure. */
void board_escape(struct buf *out, const char *text, size_t n);

/* "2h 05m", "-3d 04h", "12m" for seconds left (negative: overdue) into
 * out (n bytes). Pure. */
void board_time_left(long long seconds, char *out, size_t n);

/*
 * Write data[0..n) to path so that a reader sees the old file or the new
 * one, never a part: a temporary file in the same folder, synced, renamed
 * over path. On failure the temporary file is removed and path is left as
 * it was. Returns 0, or 73 (cannot create: the folder does not exist or is
 * not writable) or 74 (a write failed), warned.
 */
int board_write_file(const char *path, const char *data, size_t n);

#endif
