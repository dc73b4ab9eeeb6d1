/*
 * test-board: escaping of every value the page shows, the time left to a
 * due time, and the bundled atlas (every code once, Morocco where it is).
 */
#include <limits.h>
#include <string.h>

#include "ccc/board-atlas.h"
#include "ccc/board.h"
#include "tap.h"

static void escape_is(const char *in, size_t n, const char *want, const char *name)
{
	struct buf b = {0};
	board_escape(&b, in, n);
	buf_addc(&b, '\0');
	is_str(b.p, want, "%s", name);
	buf_free(&b);
}

int main(void)
{
	char t[32];
	escape_is("<script>alert(1)</script>", 25, "&lt;script&gt;alert(1)&lt;/script&gt;",
		  "a script tag");
	escape_is("a & b \"c\" 'd'", 13, "a &amp; b &quot;c&quot; &#39;d&#39;", "& and quotes");
	escape_is("x\0y", 3, "x\xef\xbf\xbdy", "a NUL");
	escape_is("a\x01\x1b[31mb", 8, "a  [31mb", "control characters");
	escape_is("طلب", strlen("طلب"), "طلب", "Arabic as it is");
	escape_is("", 0, "", "empty");
	board_time_left(2 * 3600 + 5 * 60, t, sizeof t);
	is_str(t, "2h 05m", "2h 05m");
	board_time_left(-(3 * 86400 + 4 * 3600 + 59), t, sizeof t);
	is_str(t, "-3d 04h", "overdue by days");
	board_time_left(12 * 60 + 30, t, sizeof t);
	is_str(t, "12m", "minutes");
	board_time_left(-30, t, sizeof t);
	is_str(t, "-0m", "just overdue");
	board_time_left(LLONG_MIN, t, sizeof t); /* -LLONG_MIN overflowed (fuzz-escape) */
	is_str(t, "-106751991167300d 15h", "the most overdue a long long holds");
	board_time_left(LLONG_MAX, t, sizeof t);
	is_str(t, "106751991167300d 15h", "the latest");
	int dup = 0, ma = -1;
	for (int i = 0; i < board_ncountries; i++) {
		for (int j = 0; j < i && board_countries[i].cc[0]; j++)
			dup |= !strcmp(board_countries[i].cc, board_countries[j].cc);
		if (!strcmp(board_countries[i].cc, "MA"))
			ma = i;
	}
	ok(board_ncountries > 170, "%d countries", board_ncountries);
	ok(!dup, "every code once");
	ok(ma >= 0 && !strcmp(board_countries[ma].name, "Morocco"), "MA is Morocco");
	/* 32N 6W on the 1000 x 500 grid: x = (lon + 180) * 1000 / 360, y = (90 - lat) * 500 / 180
	 */
	ok(ma >= 0 && board_countries[ma].cx > 465 && board_countries[ma].cx < 490 &&
	       board_countries[ma].cy > 150 && board_countries[ma].cy < 185,
	   "Morocco's marker near 32N 6W");
	return tap_done();
}
