/*
 * channel.c: e-mail, CAP and feed items as message input objects.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/channel.h"
#include "ccc/feed.h"
#include "ccc/json.h"
#include "ccc/mail.h"
#include "ccc/xmalloc.h"

static const char *const names[] = {"auto", "ndjson", "email", "mbox", "cap", "rss", "atom"};

int channel_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i], name))
			return (int)i;
	return -1;
}

const char *channel_name(enum channel c)
{
	return names[c];
}

enum channel channel_sniff(const char *p, size_t n)
{
	size_t i = 0;
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && isspace((unsigned char)p[i]))
		i++;
	if (i < n && (p[i] == '{' || p[i] == '['))
		return CHANNEL_NDJSON;
	if (i < n && p[i] == '<') {
		switch (feed_sniff(p, n)) {
		case FEED_CAP: return CHANNEL_CAP;
		case FEED_RSS: return CHANNEL_RSS;
		case FEED_ATOM: return CHANNEL_ATOM;
		default: return CHANNEL_NDJSON; /* other XML: rejected line by line */
		}
	}
	if (n - i >= 5 && !memcmp(p + i, "From ", 5))
		return CHANNEL_MBOX;
	if (mail_looks_like(p, n))
		return CHANNEL_EMAIL;
	return CHANNEL_NDJSON;
}

/* Move field from of src to name in dst, if present. */
static jv move(jv dst, const char *name, jv src, const char *from)
{
	jv v = jv_object_get(jv_copy(src), jv_string(from));
	if (jv_is_valid(v) && jv_get_kind(v) != JV_KIND_NULL)
		return jv_object_set(dst, jv_string(name), v);
	jv_free(v);
	return dst;
}

/* m with every field of from (consumed) that m does not have yet, in from's order. */
static jv keep_the_rest(jv m, jv from)
{
	jv_object_foreach (from, k, v) {
		jv have = jv_object_get(jv_copy(m), jv_copy(k));
		int present = jv_is_valid(have);
		jv_free(have);
		if (!present)
			m = jv_object_set(m, k, v);
		else {
			jv_free(k);
			jv_free(v);
		}
	}
	jv_free(from);
	return m;
}

/* The address inside "Name <addr>", or the whole string. */
static jv address_of(const char *from)
{
	const char *lt = strrchr(from, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	if (lt && gt && gt > lt + 1)
		return jv_string_sized(lt + 1, (int)(gt - lt - 1));
	return jv_string(from);
}

char *channel_identity(enum channel c, jv parsed)
{
	const char *who = NULL, *kind = NULL;
	jv addr = jv_null(), feed = jv_null();
	char *id = NULL;
	if (c == CHANNEL_EMAIL || c == CHANNEL_MBOX) {
		const char *from = jv_get_str(parsed, "from");
		kind = "mail";
		if (from) {
			addr = address_of(from);
			who = jv_string_value(addr);
		}
	} else if (c == CHANNEL_CAP) {
		kind = "cap";
		who = jv_get_str(parsed, "sender");
	} else if (c == CHANNEL_RSS || c == CHANNEL_ATOM) {
		feed = jv_object_get(jv_copy(parsed), jv_string("feed"));
		kind = "feed";
		who = jv_get_str(feed, "link");
	}
	if (kind) {
		size_t n = strlen(kind) + 1 + (who ? strlen(who) : 0) + 1;
		id = xmalloc(n);
		snprintf(id, n, "%s:%s", kind, who ? who : "");
		if (c == CHANNEL_EMAIL || c == CHANNEL_MBOX)
			for (char *p = id; *p; p++)
				*p = (char)tolower((unsigned char)*p);
	}
	jv_free(addr);
	jv_free(feed);
	return id;
}

jv channel_mail(jv mail, const char *source)
{
	jv m = jv_object();
	if (source) {
		m = jv_object_set(m, jv_string("source"), jv_string(source));
	} else {
		const char *from = jv_get_str(mail, "from");
		if (from && *from) {
			jv addr = address_of(from);
			m = jv_object_set(m, jv_string("source"),
					  jv_string_fmt("mail:%s", jv_string_value(addr)));
			jv_free(addr);
		}
	}
	/* the message fields first, then the rest as the mail gave them */
	static const char *const fields[] = {"external_id", "sent_at", "language", "subject",
					     "body",        "refs",    NULL};
	for (int i = 0; fields[i]; i++)
		m = move(m, fields[i], mail, fields[i]);
	return keep_the_rest(m, mail);
}

jv channel_cap(jv alert, const char *source)
{
	jv m = jv_object();
	const char *sender = jv_get_str(alert, "sender");
	if (source)
		m = jv_object_set(m, jv_string("source"), jv_string(source));
	else if (sender)
		m = jv_object_set(m, jv_string("source"), jv_string_fmt("cap:%s", sender));
	m = move(m, "external_id", alert, "identifier");
	m = move(m, "sent_at", alert, "sent");
	jv info = jv_object_get(jv_copy(alert), jv_string("info"));
	jv first = jv_get_kind(info) == JV_KIND_ARRAY && jv_array_length(jv_copy(info)) > 0
		       ? jv_array_get(jv_copy(info), 0)
		       : jv_null();
	jv_free(info);
	if (jv_get_kind(first) == JV_KIND_OBJECT) {
		const char *lang = jv_get_str(first, "language");
		if (lang && isalpha((unsigned char)lang[0]) && isalpha((unsigned char)lang[1]) &&
		    (lang[2] == '\0' || lang[2] == '-')) {
			char l[3] = {(char)tolower((unsigned char)lang[0]),
				     (char)tolower((unsigned char)lang[1]), 0};
			m = jv_object_set(m, jv_string("language"), jv_string(l));
		}
		const char *headline = jv_get_str(first, "headline");
		const char *event = jv_get_str(first, "event");
		m = jv_object_set(m, jv_string("subject"),
				  jv_string(headline && *headline ? headline
					    : event               ? event
								  : ""));
		const char *desc = jv_get_str(first, "description");
		const char *instr = jv_get_str(first, "instruction");
		jv body = jv_string(desc ? desc : "");
		if (instr && *instr)
			body = jv_string_concat(
			    jv_string_append_str(body, desc && *desc ? "\n\n" : ""),
			    jv_string(instr));
		m = jv_object_set(m, jv_string("body"), body);
	}
	jv_free(first);
	if (!jv_get_str(m, "subject")) {
		/* An alert without info: say what it is. */
		const char *type = jv_get_str(alert, "msg_type");
		const char *id = jv_get_str(alert, "identifier");
		m = jv_object_set(m, jv_string("subject"),
				  jv_string_fmt("CAP %s %s from %s", type ? type : "alert",
						id ? id : "",
						sender ? sender : "an unnamed sender"));
	}
	jv refs = jv_array();
	jv r = jv_object_get(jv_copy(alert), jv_string("references"));
	if (jv_get_kind(r) == JV_KIND_ARRAY) {
		jv_array_foreach (r, i, ref) {
			const char *id = jv_get_str(ref, "identifier");
			if (id)
				refs = jv_array_append(refs, jv_string(id));
			jv_free(ref);
		}
	}
	jv_free(r);
	m = jv_object_set(m, jv_string("refs"), refs);
	return jv_object_set(m, jv_string("cap"), alert);
}

jv channel_feed(jv item, const char *source)
{
	jv m = jv_object();
	if (source) {
		m = jv_object_set(m, jv_string("source"), jv_string(source));
	} else {
		jv feed = jv_object_get(jv_copy(item), jv_string("feed"));
		const char *link = jv_get_str(feed, "link");
		if (link && *link)
			m = jv_object_set(m, jv_string("source"), jv_string_fmt("feed:%s", link));
		jv_free(feed);
	}
	static const char *const fields[] = {"external_id", "sent_at", "language",
					     "subject",     "body",    NULL};
	for (int i = 0; fields[i]; i++)
		m = move(m, fields[i], item, fields[i]);
	return keep_the_rest(m, item);
}
