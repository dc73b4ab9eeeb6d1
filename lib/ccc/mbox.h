/*
 * mbox.h: splitting an mbox file into messages.
 */
#ifndef CCC_MBOX_H
#define CCC_MBOX_H

#include <stddef.h>

/*
 * Split an mbox (mboxo or mboxrd) at each "From " line that starts a line,
 * and call cb with each message: its bytes without the "From " line and
 * without the blank line that separates it from the next, ">From " lines
 * unescaped (one '>' removed from lines matching ^>+From ), and line, the
 * 1-based line number of its "From " line. Text before the first "From "
 * line, unless blank, is handed over as a message starting at line 1.
 * Returns 0, or the first non-zero value cb returns (which stops the split).
 */
int mbox_split(const char *buf, size_t len,
	       int (*cb)(const char *msg, size_t n, size_t line, void *ctx), void *ctx);

#endif
