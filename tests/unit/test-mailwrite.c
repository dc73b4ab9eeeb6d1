/*
 * test-mailwrite: replies written as RFC 5322 e-mail read back with the
 * project's own e-mail reader (mail.c): headers, encodings, threading, and
 * values that try to add headers of their own.
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/mail.h"
#include "ccc/mailwrite.h"
#include "tap.h"

static jv roundtrip(const struct mail_out *m, struct buf *b)
{
	char err[256] = "", *perr = NULL;
	b->len = 0;
	if (mail_write(b, m, err, sizeof err) < 0) {
		printf("# mail_write: %s\n", err);
		return jv_invalid();
	}
	buf_addc(b, '\0');
	b->len--;
	jv v = mail_parse(b->p, b->len, &perr);
	free(perr);
	return v;
}

static const char *str(jv v, const char *k)
{
	const char *s = jv_get_str(v, k);
	return s ? s : "(absent)";
}

/* 1 when no line of the text is longer than max bytes. */
static int lines_within(const char *s, size_t max)
{
	size_t line = 0;
	for (; *s; s++) {
		line = *s == '\n' ? 0 : line + 1;
		if (line > max)
			return 0;
	}
	return 1;
}

int main(void)
{
	struct buf b = {0};
	jv refs = jv_parse("[\"root@ncb.example.ma\",\"mid-2@ncb.example.ma\"]");
	struct mail_out m = {
	    .from = "Command and Coordination Centre <ccc-lyon@ops.example.org>",
	    .to = "NCB Rabat <ncb@ncb.example.ma>",
	    .subject = "Re: Demande de vérification — passeport",
	    .message_id = "reply-lyon-1.1764883800@lyon.ccc",
	    .in_reply_to = "msg-77@ncb.example.ma",
	    .references = refs,
	    .language = "fr",
	    .date = 1764883800, /* 2025-12-04T21:30:00Z */
	    .body = "Votre référence : msg-77\nNotre référence : msg-lyon-12\n\n"
		    "Aucun enregistrement ne correspond.\n",
	};
	jv v = roundtrip(&m, &b);
	ok(jv_is_valid(v), "a French reply parses back");
	is_str(str(v, "subject"), "Re: Demande de vérification — passeport",
	       "subject: encoded words decode to the same text");
	is_str(str(v, "external_id"), "reply-lyon-1.1764883800@lyon.ccc", "Message-ID");
	is_str(str(v, "sent_at"), "2025-12-04T21:30:00Z", "Date");
	is_str(str(v, "body"),
	       "Votre référence : msg-77\nNotre référence : msg-lyon-12\n\n"
	       "Aucun enregistrement ne correspond.",
	       "body: quoted-printable decodes to the same text");
	ok(strstr(b.p, "Content-Transfer-Encoding: quoted-printable\n") != NULL,
	   "French text goes quoted-printable");
	ok(strstr(b.p, "Content-Language: fr\n") != NULL, "Content-Language");
	ok(strstr(b.p, "In-Reply-To: <msg-77@ncb.example.ma>\n") != NULL, "In-Reply-To");
	jv r = jv_object_get(jv_copy(v), jv_string("refs"));
	char *rs = jv_dump_string_trunc(jv_copy(r), (char[256]){0}, 256);
	is_str(rs, "[\"msg-77@ncb.example.ma\",\"root@ncb.example.ma\",\"mid-2@ncb.example.ma\"]",
	       "threaded: In-Reply-To, then the thread's References and the original");
	jv_free(r);
	ok(lines_within(b.p, 78), "no line over 78 characters");
	jv_free(v);

	/* Arabic: base64 body, encoded-word subject and display name */
	m.from = "مكتب الاتصال <ccc-lyon@ops.example.org>";
	m.subject = "رد: طلب التحقق من جواز سفر مسروق في المطار قبل إقلاع الرحلة";
	m.body = "مرجعكم: msg-77\nلا يوجد أي سجل مطابق.\n";
	m.language = "ar";
	v = roundtrip(&m, &b);
	is_str(str(v, "subject"), m.subject, "an Arabic subject over several encoded words");
	is_str(str(v, "from"), "مكتب الاتصال <ccc-lyon@ops.example.org>",
	       "an Arabic display name decodes");
	is_str(str(v, "body"), "مرجعكم: msg-77\nلا يوجد أي سجل مطابق.", "an Arabic body decodes");
	ok(strstr(b.p, "Content-Transfer-Encoding: base64\n") != NULL, "Arabic text goes base64");
	ok(lines_within(b.p, 78), "no line over 78 characters (Arabic)");
	jv_free(v);

	/* plain English: 7bit, a long subject folded */
	m.from = "ccc-lyon@ops.example.org";
	m.subject = "Re: URGENT request to check passport number X1234567 issued by Morocco before "
		    "the flight to Madrid departs at 21:40 local time";
	m.body = "No record matched.";
	m.language = "en";
	v = roundtrip(&m, &b);
	is_str(str(v, "subject"), m.subject, "a long ASCII subject is folded and unfolds the same");
	is_str(str(v, "body"), "No record matched.", "a 7bit body");
	ok(strstr(b.p, "Content-Transfer-Encoding: 7bit\n") != NULL, "ASCII text goes 7bit");
	ok(lines_within(b.p, 78), "no line over 78 characters (long subject)");
	jv_free(v);

	/* hostile values */
	m.subject = "Re: hello\r\nBcc: everyone@example.org\nX-Evil: 1";
	m.body = "line\nFrom the bureau: a line an mbox reader could split on\n.\n";
	v = roundtrip(&m, &b);
	ok(!strstr(b.p, "\nBcc:") && !strstr(b.p, "\nX-Evil:"), "a subject cannot add a header");
	is_str(str(v, "body"), "line\nFrom the bureau: a line an mbox reader could split on\n.",
	       "a body line starting From or a dot survives");
	ok(!strstr(b.p, "\nFrom the"), "a body line starting 'From ' is spelled =46rom");
	jv_free(v);

	/* ASCII that looks like an encoded word stays what it was */
	m.subject = "Re: =?UTF-8?B?SGVsbG8K?= is not a header";
	v = roundtrip(&m, &b);
	is_str(str(v, "subject"), m.subject,
	       "a subject that looks encoded is encoded, not decoded");
	jv_free(v);

	char err[256];
	b.len = 0;
	m.to = "ncb@example.ma\nBcc: x@example.org";
	ok(mail_write(&b, &m, err, sizeof err) < 0 && b.len == 0,
	   "an address with a line break is refused, nothing written");
	m.to = "Evil <a@b>, other@example.org";
	ok(mail_write(&b, &m, err, sizeof err) == 0, "two addresses: only the one in <> is used");
	ok(strstr(b.p, "To: Evil <a@b>\n") != NULL, "the To line holds one address");
	m.to = "not an address";
	ok(mail_write(&b, &m, err, sizeof err) < 0, "a name without an address is refused");
	is_str(err, "To: 'not an address' is not an e-mail address", "the reason names the header");
	m.to = "ncb@ncb.example.ma";
	m.message_id = "no brackets <allowed>@x";
	ok(mail_write(&b, &m, err, sizeof err) < 0, "a bad Message-ID of ours is refused");
	m.message_id = "reply-lyon-2@lyon.ccc";
	m.in_reply_to = "spaces in it@x";
	b.len = 0;
	ok(mail_write(&b, &m, err, sizeof err) == 0 && !strstr(b.p, "In-Reply-To"),
	   "a bureau's malformed Message-ID is left out, not copied");

	char addr[64];
	ok(mail_addr_spec("\"Doe, J.\" <j.doe@example.org>", addr, sizeof addr) == 0 &&
	       !strcmp(addr, "j.doe@example.org"),
	   "addr-spec from a quoted display name");
	ok(mail_addr_spec("a@b@c", addr, sizeof addr) < 0, "two @ refused");

	jv_free(refs);
	buf_free(&b);
	return tap_done();
}
