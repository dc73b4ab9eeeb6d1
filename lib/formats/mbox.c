/*
 * mbox.c: an mbox file split into its messages (mboxo and mboxrd): a line
 * that starts with "From " starts a message; ">From " quoting is undone.
 */
#include <ctype.h>
#include <string.h>

#include "ccc/json.h"
#include "ccc/mbox.h"

static int mbox_emit(struct buf *msg, size_t line, int (*cb)(const char *, size_t, size_t, void *),
		     void *ctx)
{
	/* the blank line written before the next "From " line is the separator */
	if (msg->len >= 2 && msg->p[msg->len - 1] == '\n' && msg->p[msg->len - 2] == '\n')
		msg->len--;
	else if (msg->len >= 4 && !memcmp(msg->p + msg->len - 4, "\r\n\r\n", 4))
		msg->len -= 2;
	return cb(msg->p ? msg->p : "", msg->len, line, ctx);
}

int mbox_split(const char *buf, size_t len,
	       int (*cb)(const char *msg, size_t n, size_t line, void *ctx), void *ctx)
{
	struct buf msg = {0};
	size_t i = 0, line = 1, msg_line = 0;
	int in_msg = 0, r = 0;

	for (; i < len; line++) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - buf) : len, next = e < len ? e + 1 : len, gt;
		const char *l = buf + i;

		if (next - i >= 5 && !memcmp(l, "From ", 5)) {
			if (in_msg && (r = mbox_emit(&msg, msg_line, cb, ctx)))
				break;
			in_msg = 1;
			msg_line = line;
			msg.len = 0;
			i = next;
			continue;
		}
		if (!in_msg) {
			size_t k = 0;
			while (i + k < e && isspace((unsigned char)l[k]))
				k++;
			if (i + k == e) {
				i = next;
				continue;
			}
			in_msg = 1;
			msg_line = line;
		}
		gt = 0;
		while (i + gt < e && l[gt] == '>')
			gt++;
		if (gt && e - i - gt >= 5 && !memcmp(l + gt, "From ", 5))
			buf_add(&msg, l + 1, next - i - 1);
		else
			buf_add(&msg, l, next - i);
		i = next;
	}
	if (!r && in_msg)
		r = mbox_emit(&msg, msg_line, cb, ctx);
	buf_free(&msg);
	return r;
}
