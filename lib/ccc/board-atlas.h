/*
 * board-atlas.h: the country outlines of ccc-board's map (generated,
 * lib/board/board-atlas.c): Natural Earth 1:110m through world-atlas 2.0.2.
 *
 * Coordinates are on a BOARD_ATLAS_W x BOARD_ATLAS_H grid, an
 * equirectangular projection: x = (longitude + 180) * W / 360,
 * y = (90 - latitude) * H / 180. path is SVG path data (M, relative l, z)
 * in pieces to be written one after the other, up to a NULL.
 */
#ifndef CCC_BOARD_ATLAS_H
#define CCC_BOARD_ATLAS_H

#define BOARD_ATLAS_W 1000
#define BOARD_ATLAS_H 500

struct board_country {
	const char *cc;   /* ISO 3166 alpha-2; "" where the atlas gives no code */
	const char *name; /* English short name, as the atlas gives it */
	int cx, cy;       /* the centre of its largest outline, for a marker */
	const char *const *path;
};

extern const struct board_country board_countries[];
extern const int board_ncountries;

#endif
