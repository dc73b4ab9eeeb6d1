/*
 * channel.h: what each channel delivers, turned into the input object of a
 * `message` record (see message.h), and the sniffing that tells the channels
 * apart from the first bytes of an input.
 *
 * Every field a channel gives that a message does not name is kept:
 * e-mail keeps from, to, cc, attachments and warnings; CAP keeps the whole
 * alert under "cap"; a feed item keeps link, author and feed.
 */
#ifndef CCC_CHANNEL_H
#define CCC_CHANNEL_H

#include <stddef.h>

#include <jv.h>

enum channel {
	CHANNEL_AUTO = 0,
	CHANNEL_NDJSON,
	CHANNEL_EMAIL,
	CHANNEL_MBOX,
	CHANNEL_CAP,
	CHANNEL_RSS,
	CHANNEL_ATOM,
};

/* "ndjson", "email", ... to a channel; -1 for an unknown name. */
int channel_by_name(const char *name);
const char *channel_name(enum channel c);
/* What an input beginning with head[0..n) is. */
enum channel channel_sniff(const char *head, size_t n);

/*
 * Message input objects (consume their argument). source is used when the
 * channel does not name one; the default is "mail:ADDRESS" for e-mail,
 * "cap:SENDER" for CAP and "feed:LINK" for feeds.
 */
jv channel_mail(jv mail, const char *source);
jv channel_cap(jv alert, const char *source);
jv channel_feed(jv item, const char *source);

/*
 * The sender of a parsed e-mail, CAP alert or feed item (not consumed), as
 * the channel knows it whatever --source says: "mail:ADDRESS" (its From
 * address, in lower case), "cap:SENDER" or "feed:LINK"; part of a message's
 * identity (message.h). Allocated; NULL for other channels.
 */
char *channel_identity(enum channel c, jv parsed);

#endif
