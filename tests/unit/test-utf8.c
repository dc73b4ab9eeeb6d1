/*
 * test-utf8.c: what a terminal is given (utf8_escape_controls).
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/utf8.h"
#include "tap.h"

static const char *esc(const char *s, size_t n, int keep)
{
	static char out[512];
	out[utf8_escape_controls(out, s, n, keep)] = '\0';
	return out;
}

int main(void)
{
	static const struct {
		const char *in, *want, *name;
	} v[] = {
	    {"plain text", "plain text", "ASCII passes"},
	    {"\xD8\xAC\xD9\x88\xD8\xA7\xD8\xB2 \xE2\x80\xA6",
	     "\xD8\xAC\xD9\x88\xD8\xA7\xD8\xB2 \xE2\x80\xA6", "Arabic and U+2026 pass"},
	    {"\x1b[2Jclear", "\\u001b[2Jclear", "ESC (erase display)"},
	    {"\x1b]0;pwn\x07", "\\u001b]0;pwn\\u0007", "OSC title with BEL"},
	    {"a\rb\x7f", "a\\u000db\\u007f", "CR and DEL"},
	    {"\xC2\x9B"
	     "31m",
	     "\\u009b31m", "C1 CSI (U+009B)"},
	    {"\xC2\x85x", "\\u0085x", "C1 NEL"},
	    {"\xE2\x80\xAE"
	     "evil",
	     "\\u202eevil", "right-to-left override"},
	    {"\xE2\x81\xA6x\xE2\x81\xA9", "\\u2066x\\u2069", "isolates"},
	    {"\xE2\x80\xA8", "\\u2028", "line separator"},
	    {"\xE2\x80\x8F", "\xE2\x80\x8F",
	     "right-to-left mark passes (it reorders nothing beyond itself)"},
	    {"bad \xff byte", "bad \\xff byte", "a byte that is not UTF-8"},
	    {"cut \xE2\x80", "cut \\xe2\\x80", "a sequence cut short"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		is_str(esc(v[i].in, strlen(v[i].in), UTF8_KEEP_NEWLINE | UTF8_KEEP_TAB), v[i].want,
		       "escape: %s", v[i].name);
		ok(utf8_has_controls(v[i].in, strlen(v[i].in), UTF8_KEEP_NEWLINE | UTF8_KEEP_TAB) ==
		       (strcmp(v[i].in, v[i].want) != 0),
		   "has_controls agrees: %s", v[i].name);
	}
	is_str(esc("a\tb\nc", 5, UTF8_KEEP_NEWLINE | UTF8_KEEP_TAB), "a\tb\nc",
	       "tab and newline kept when asked");
	is_str(esc("a\tb\nc", 5, UTF8_KEEP_NEWLINE), "a\\u0009b\nc", "tab escaped unless kept");
	is_str(esc("nul\0x", 5, 0), "nul\\u0000x", "NUL escaped");
	char *p = utf8_printable("row\nS-9 forged\t\x1b[31m");
	is_str(p, "row\\u000aS-9 forged\\u0009\\u001b[31m", "a table cell: newline and tab too");
	free(p);
	p = utf8_printable(NULL);
	is_str(p, "", "a NULL cell is empty");
	free(p);
	/* the worst case fits in 6 bytes per input byte */
	char in[64], out[6 * sizeof in];
	memset(in, 0x01, sizeof in);
	is_int(utf8_escape_controls(out, in, sizeof in, 0), 6 * sizeof in, "6 bytes per control");
	return tap_done();
}
