/*
 * test-mail.c: e-mail and mbox reading (lib/formats/mail.c, lib/formats/mime.c,
 * lib/formats/maildate.c, lib/formats/mbox.c, lib/formats/htmltext.c) against our own sample
 * messages in tests/fixtures/mail (see SOURCE.txt there). Attachment digests were computed with
 * sha256sum over the files before they were encoded into the message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/htmltext.h"
#include "ccc/json.h"
#include "ccc/mail.h"
#include "ccc/mime.h"
#include "ccc/utf8.h"
#include "tap.h"

#define FIXTURES "tests/fixtures/mail/"

static char *slurp(const char *name, size_t *n)
{
	char path[256];
	FILE *f;
	char *b;
	long len;

	snprintf(path, sizeof path, FIXTURES "%s", name);
	if (!(f = fopen(path, "rb")))
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	b = malloc((size_t)len + 1);
	if (!b || fread(b, 1, (size_t)len, f) != (size_t)len)
		abort();
	b[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return b;
}

/* Parse a fixture; an object, or null (after a failed test) when it cannot be read. */
static jv parse_fixture(const char *name)
{
	size_t n;
	char *b = slurp(name, &n), *err = NULL;
	jv o;

	if (!ok(b != NULL, "read %s", name))
		return jv_null();
	o = mail_parse(b, n, &err);
	if (!ok(jv_is_valid(o) && !err, "%s parses (%s)", name, err ? err : "no error")) {
		jv_free(o);
		o = jv_null();
	}
	free(err);
	free(b);
	return o;
}

static jv parse_text(const char *text)
{
	char *err = NULL;
	jv o = mail_parse(text, strlen(text), &err);

	if (!jv_is_valid(o)) {
		printf("# mail_parse: %s\n", err ? err : "?");
		jv_free(o);
		o = jv_null();
	}
	free(err);
	return o;
}

/* The string at o[key][i], or NULL; valid while o lives. */
static const char *item(jv o, const char *key, int i)
{
	jv a, v;
	const char *s = NULL;

	if (jv_get_kind(o) != JV_KIND_OBJECT)
		return NULL;
	a = jv_object_get(jv_copy(o), jv_string(key));
	if (jv_get_kind(a) == JV_KIND_ARRAY && i < jv_array_length(jv_copy(a))) {
		v = jv_array_get(jv_copy(a), i);
		if (jv_get_kind(v) == JV_KIND_STRING)
			s = jv_string_value(v); /* still owned by o */
		jv_free(v);
	}
	jv_free(a);
	return s;
}

static int count(jv o, const char *key)
{
	jv a;
	int n = -1;

	if (jv_get_kind(o) != JV_KIND_OBJECT)
		return -1;
	a = jv_object_get(jv_copy(o), jv_string(key));
	if (jv_get_kind(a) == JV_KIND_ARRAY)
		n = jv_array_length(jv_copy(a));
	jv_free(a);
	return n;
}

static int has(jv o, const char *key)
{
	return jv_get_kind(o) == JV_KIND_OBJECT && jv_object_has(jv_copy(o), jv_string(key));
}

/* Field key of attachment i, as text ("null" for null, numbers as integers). */
static const char *attachment(jv o, int i, const char *key)
{
	static char text[128];
	jv a, v;

	if (count(o, "attachments") <= i)
		return NULL;
	a = jv_array_get(jv_object_get(jv_copy(o), jv_string("attachments")), i);
	v = jv_object_get(a, jv_string(key));
	if (jv_get_kind(v) == JV_KIND_STRING)
		snprintf(text, sizeof text, "%s", jv_string_value(v));
	else if (jv_get_kind(v) == JV_KIND_NUMBER)
		snprintf(text, sizeof text, "%.0f", jv_number_value(v));
	else
		snprintf(text, sizeof text, "%s", jv_get_kind(v) == JV_KIND_NULL ? "null" : "?");
	jv_free(v);
	return text;
}

static int warned(jv o, const char *needle)
{
	for (int i = 0; i < count(o, "warnings"); i++)
		if (strstr(item(o, "warnings", i), needle))
			return 1;
	return 0;
}

static int contains(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

static void english_plain(void)
{
	jv o = parse_fixture("en-plain.eml");

	is_str(jv_get_str(o, "from"), "NCB London <ncb.london@nca.example.gov.uk>", "en: from");
	is_int(count(o, "to"), 2, "en: two To addresses (comma inside quotes kept)");
	is_str(item(o, "to", 0), "\"CCC Lyon, Duty Officer\" <duty.lyon@ccc.example.int>",
	       "en: first To address as written");
	is_str(item(o, "to", 1), "ccc.singapore@ccc.example.int", "en: folded second To address");
	is_str(item(o, "cc", 0), "SLTD Desk <sltd@ccc.example.int>", "en: cc");
	is_str(jv_get_str(o, "sent_at"), "2025-11-03T09:15:00Z", "en: sent_at");
	is_str(jv_get_str(o, "subject"), "SLTD hit at Heathrow T5 - request for confirmation",
	       "en: subject");
	is_str(jv_get_str(o, "external_id"), "20251103091500.GB1234@nca.example.gov.uk",
	       "en: external_id without angle brackets");
	is_str(jv_get_str(o, "language"), "en", "en: language from Content-Language en-GB");
	is_str(jv_get_str(o, "body"),
	       "Our ref: NCB-LDN/2025/11/0412\n\nAt 08:52 UTC today Border Force at Heathrow "
	       "Terminal 5 obtained a hit\nagainst SLTD for passport number X1234567 (issuing "
	       "country: FR).\nThe holder is detained pending confirmation.\n\nPlease confirm "
	       "with the owner NCB whether the record is still valid.\n\nDuty Officer, NCB London",
	       "en: body, CRLF turned into LF, trailing newline dropped");
	is_int(count(o, "refs"), 0, "en: no refs");
	is_int(count(o, "attachments"), 0, "en: no attachments");
	ok(!has(o, "warnings"), "en: no warnings");
	jv_free(o);
}

/* The same message with LF line endings gives the same record. */
static void line_endings(void)
{
	size_t n, j = 0;
	char *b = slurp("en-plain.eml", &n), *err = NULL;
	jv crlf, lf;

	if (!ok(b != NULL, "read en-plain.eml for LF"))
		return;
	crlf = mail_parse(b, n, &err);
	for (size_t i = 0; i < n; i++)
		if (b[i] != '\r')
			b[j++] = b[i];
	lf = mail_parse(b, j, &err);
	ok(j < n && jv_equal(crlf, lf), "CRLF and LF versions of a message read the same");
	free(b);
}

static void french_latin1(void)
{
	jv o = parse_fixture("fr-latin1-qp.eml");

	is_str(jv_get_str(o, "from"),
	       "Bureau central national \xc3\xa0 Paris <bcn.paris@interieur.example.gouv.fr>",
	       "fr: from with a Q encoded word in ISO-8859-1");
	is_str(jv_get_str(o, "subject"),
	       "Demande de v\xc3\xa9rification : v\xc3\xa9hicule vol\xc3\xa9 GE-482-KT",
	       "fr: folded subject of two Q words, joined without the folding white space");
	is_str(jv_get_str(o, "sent_at"), "2025-11-04T15:05:33Z", "fr: +0100 with a (CET) comment");
	is_str(
	    jv_get_str(o, "body"),
	    "R\xc3\xa9"
	    "f\xc3\xa9rence : NCB-PAR/2025/7781\n\n"
	    "Le v\xc3\xa9hicule immatricul\xc3\xa9 GE-482-KT, d\xc3\xa9"
	    "clar\xc3\xa9 vol\xc3\xa9 le 28 "
	    "octobre \xc3\xa0 Lyon,\na \xc3\xa9t\xc3\xa9 contr\xc3\xb4l\xc3\xa9 \xc3\xa0 la "
	    "fronti\xc3\xa8re "
	    "espagnole (La Jonquera). Merci de v\xc3\xa9rifier\nle num\xc3\xa9ro de ch\xc3\xa2ssis "
	    "VF1RFB00X56789012 dans la base SMV et de nous transmettre\nle r\xc3\xa9sultat dans "
	    "les "
	    "plus brefs d\xc3\xa9lais, car le conducteur est retenu \xc3\xa0 la fronti\xc3\xa8re "
	    "en "
	    "attendant la r\xc3\xa9ponse.\n\nCordialement,\nBureau central national de Paris",
	    "fr: quoted-printable ISO-8859-1 body, soft line breaks joined");
	ok(!has(o, "language"), "fr: no language without Content-Language");
	ok(!has(o, "warnings"), "fr: no warnings");
	jv_free(o);
}

static void spanish_alternative(void)
{
	jv o = parse_fixture("es-alternative.eml");
	const char *body = jv_get_str(o, "body");

	is_str(jv_get_str(o, "subject"),
	       "Localizaci\xc3\xb3n de persona desaparecida \xe2\x80\x94 difusi\xc3\xb3n azul",
	       "es: subject from two UTF-8 Q words folded with a tab");
	is_str(jv_get_str(o, "sent_at"), "2025-11-04T19:30:00Z",
	       "es: obsolete date (two-digit year, no seconds, EST)");
	is_str(jv_get_str(o, "from"), "OCN Buenos Aires <ocn.bue@policia.example.gob.ar>",
	       "es: from");
	ok(contains(body, "la Sra. Mar\xc3\xad"
			  "a Jos\xc3\xa9 Pe\xc3\xb1"
			  "a Ib\xc3\xa1\xc3\xb1"
			  "ez, objeto"),
	   "es: body has the accented name");
	ok(contains(body, "en la versi\xc3\xb3n HTML.") && !contains(body, "<p>") &&
	       !contains(body, "&iacute;"),
	   "es: body is the text/plain alternative");
	is_str(jv_get_str(o, "language"), "es", "es: language from es-AR");
	is_int(count(o, "attachments"), 0, "es: the HTML alternative is not an attachment");
	ok(!has(o, "warnings"), "es: no warnings");
	jv_free(o);
}

static void arabic_base64(void)
{
	jv o = parse_fixture("ar-base64.eml");

	/* the subject's two B words split the UTF-8 of one letter between them */
	is_str(jv_get_str(o, "subject"),
	       "\xd8\xb7\xd9\x84\xd8\xa8 \xd8\xaa\xd8\xad\xd9\x82\xd9\x82 \xd9\x85\xd9\x86 "
	       "\xd8\xac\xd9\x88\xd8\xa7\xd8\xb2 \xd8\xb3\xd9\x81\xd8\xb1",
	       "ar: B-encoded subject split inside a character");
	is_str(jv_get_str(o, "from"),
	       "\xd8\xa7\xd9\x84\xd9\x85\xd9\x83\xd8\xaa\xd8\xa8 "
	       "\xd8\xa7\xd9\x84\xd9\x85\xd8\xb1\xd9\x83"
	       "\xd8\xb2\xd9\x8a \xd8\xa7\xd9\x84\xd9\x88\xd8\xb7\xd9\x86\xd9\x8a "
	       "<ncb.cairo@moi.example.gov.eg>",
	       "ar: from with a B-encoded display name");
	ok(contains(jv_get_str(o, "body"),
		    "\xd8\xac\xd9\x88\xd8\xa7\xd8\xb2 \xd8\xa7\xd9\x84\xd8\xb3\xd9\x81\xd8\xb1 "
		    "\xd8\xb1\xd9\x82\xd9\x85 A09876543"),
	   "ar: base64 UTF-8 body decoded");
	ok(contains(jv_get_str(o, "body"), "NCB-CAI/2025/3310\n\n"), "ar: body line ends are LF");
	is_str(jv_get_str(o, "sent_at"), "2025-11-05T09:20:00Z", "ar: sent_at");
	is_str(jv_get_str(o, "language"), "ar", "ar: language");
	jv_free(o);
}

static void arabic_windows_1256(void)
{
	jv o = parse_fixture("ar-cp1256.eml");

	is_str(jv_get_str(o, "subject"),
	       "\xd8\xb3\xd9\x8a\xd8\xa7\xd8\xb1\xd8\xa9 "
	       "\xd9\x85\xd8\xb3\xd8\xb1\xd9\x88\xd9\x82\xd8\xa9",
	       "cp1256: Q subject in windows-1256");
	is_str(
	    jv_get_str(o, "body"),
	    "\xd8\xaa\xd8\xb9\xd9\x85\xd9\x8a\xd9\x85 \xd8\xb9\xd8\xa7\xd8\xac\xd9\x84: "
	    "\xd8\xb3\xd9\x8a\xd8\xa7\xd8\xb1\xd8\xa9 "
	    "\xd9\x85\xd8\xb3\xd8\xb1\xd9\x88\xd9\x82\xd8\xa9 "
	    "\xd9\x85\xd9\x86 \xd8\xb7\xd8\xb1\xd8\xa7\xd8\xb2 "
	    "\xd8\xaa\xd9\x88\xd9\x8a\xd9\x88\xd8\xaa"
	    "\xd8\xa7 \xd9\x84\xd8\xa7\xd9\x86\xd8\xaf \xd9\x83\xd8\xb1\xd9\x88\xd8\xb2\xd8\xb1.\n"
	    "\xd8\xb1\xd9\x82\xd9\x85 \xd8\xa7\xd9\x84\xd9\x87\xd9\x8a\xd9\x83\xd9\x84: "
	    "JTMHV05J604123456",
	    "cp1256: 8bit windows-1256 body converted to UTF-8");
	is_str(jv_get_str(o, "sent_at"), "2025-11-06T05:00:00Z", "cp1256: sent_at from +0300");
	jv_free(o);
}

static void html_only(void)
{
	jv o = parse_fixture("html-only.eml");

	is_str(
	    jv_get_str(o, "body"),
	    "Handover note\n\nOpen items for the Lyon shift:\n\nRed notice R-2025/118 "
	    "\xe2\x80\x93 awaiting NCB Madrid\nIRT deployment: caf\xc3\xa9 meeting at 10:00 CET\n\n"
	    "Cases 3 < 5\n\nR\xc3\xa9sum\xc3\xa9 attached later.\nRegards,\nNight desk",
	    "html: script, style, title and comment dropped; blocks and <br> to lines; entities");
	is_str(jv_get_str(o, "subject"), "Handover note &amp; open items",
	       "html: the subject is not HTML");
	is_str(jv_get_str(o, "sent_at"), "2025-11-06T18:45:10Z", "html: sent_at from +0800");
	is_int(count(o, "attachments"), 0, "html: no attachments");
	jv_free(o);
}

static void attachments(void)
{
	jv o = parse_fixture("attachments.eml");

	is_str(jv_get_str(o, "body"),
	       "Veuillez trouver ci-joint le proc\xc3\xa8s-verbal et la photo du suspect.",
	       "att: body is the text/plain inside multipart/alternative inside mixed");
	is_str(jv_get_str(o, "subject"),
	       "Pi\xc3\xa8"
	       "ces jointes : dossier 2025-1187",
	       "att: subject");
	is_int(count(o, "attachments"), 2,
	       "att: two attachments (the HTML alternative is not one)");
	is_str(attachment(o, 0, "name"), "proc\xc3\xa8s-verbal 2025-1187.pdf",
	       "att: PDF name from RFC 2231 filename*");
	is_str(attachment(o, 0, "type"), "application/pdf", "att: PDF type");
	is_str(attachment(o, 0, "size"), "447", "att: PDF size");
	is_str(attachment(o, 0, "sha256"),
	       "f18d758ecb68187f87aab488cac79fc0f7633e5597df9a1471c454b4eb57c288",
	       "att: PDF sha256");
	is_str(attachment(o, 1, "name"),
	       "\xd8\xb5\xd9\x88\xd8\xb1\xd8\xa9_"
	       "\xd8\xa7\xd9\x84\xd9\x85\xd8\xb4\xd8\xaa\xd8\xa8\xd9\x87.png",
	       "att: image name from an RFC 2047 Content-Type name");
	is_str(attachment(o, 1, "type"), "image/png", "att: image type");
	is_str(attachment(o, 1, "size"), "366", "att: image size");
	is_str(attachment(o, 1, "sha256"),
	       "b12ded1fabf515cd58b7a76b0abd7cce255e04d722b4d359000213827b2c9ecb",
	       "att: image sha256");
	ok(!has(o, "warnings"), "att: no warnings");
	jv_free(o);
}

static void threading(void)
{
	jv o = parse_fixture("reply.eml");

	is_int(count(o, "refs"), 2, "reply: refs de-duplicated");
	is_str(item(o, "refs", 0), "20251103091500.GB1234@nca.example.gov.uk",
	       "reply: In-Reply-To first");
	is_str(item(o, "refs", 1), "sltd-alert.5511@ccc.example.int", "reply: then References");
	is_str(jv_get_str(o, "external_id"), "ccc-lyon.88112@ccc.example.int",
	       "reply: external_id");
	is_str(jv_get_str(o, "sent_at"), "2025-11-03T10:02:41Z", "reply: GMT zone");
	jv_free(o);
}

static void malformed(void)
{
	jv o = parse_fixture("malformed.eml");
	size_t n;
	char *err = NULL, *b;
	jv bad;

	is_str(jv_get_str(o, "subject"), "caf\xc3\xa9 report",
	       "malformed: unknown charset in a subject read as ISO-8859-1");
	ok(!has(o, "sent_at"), "malformed: no sent_at for an unreadable Date");
	ok(warned(o, "Date \"yesterday around noon\" not understood"), "malformed: Date warning");
	ok(warned(o, "closing boundary missing"), "malformed: truncated multipart warning");
	ok(warned(o, "unknown charset \"x-klingon\""), "malformed: unknown charset warning");
	ok(warned(o, "not a header field"), "malformed: stray header line warning");
	is_str(jv_get_str(o, "body"), "Partial report: caf\xc3\xa9 on the corner.",
	       "malformed: body read as ISO-8859-1");
	is_str(attachment(o, 0, "name"), "data.bin", "malformed: attachment of the cut-off part");
	is_str(attachment(o, 0, "size"), "10", "malformed: stray base64 characters skipped");
	is_str(attachment(o, 0, "sha256"),
	       "1f825aa2f0020ef7cf91dfa30da4668d791c5d4824fc8e41354b89ec05795ab3",
	       "malformed: attachment digest (bytes 00..09)");
	jv_free(o);

	b = slurp("not-mail.txt", &n);
	bad = mail_parse(b ? b : "", b ? n : 0, &err);
	ok(!jv_is_valid(bad) && contains(err, "not an e-mail"), "NDJSON is not an e-mail (%s)",
	   err ? err : "no error");
	jv_free(bad);
	free(err);
	free(b);
	bad = mail_parse("", 0, &err);
	ok(!jv_is_valid(bad) && contains(err, "empty"), "empty input is not an e-mail");
	jv_free(bad);
	free(err);
	bad = mail_parse("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, &err);
	ok(!jv_is_valid(bad) && err, "binary garbage is not an e-mail");
	jv_free(bad);
	free(err);
}

struct mbox_seen {
	int n;
	size_t line[4];
	jv msg[4];
};

static int on_message(const char *msg, size_t n, size_t line, void *ctx)
{
	struct mbox_seen *s = ctx;
	char *err = NULL;

	if (s->n < 4) {
		s->line[s->n] = line;
		s->msg[s->n] = mail_parse(msg, n, &err);
		free(err);
	}
	s->n++;
	return 0;
}

static int stop_after_first(const char *msg, size_t n, size_t line, void *ctx)
{
	(*(int *)ctx)++;
	return 42;
}

static void mbox(void)
{
	struct mbox_seen s = {0};
	size_t n;
	char *b = slurp("three.mbox", &n);
	int calls = 0;

	if (!ok(b != NULL, "read three.mbox"))
		return;
	is_int(mbox_split(b, n, on_message, &s), 0, "mbox: split returns 0");
	is_int(s.n, 3, "mbox: three messages");
	is_int(s.line[0], 1, "mbox: first starts on line 1");
	is_int(s.line[1], 12, "mbox: second starts on line 12");
	is_int(s.line[2], 21, "mbox: third starts on line 21");
	is_str(jv_get_str(s.msg[0], "body"),
	       "Cuerpo del primer mensaje.\nFrom the Madrid desk, with regards.\n>From here two "
	       "markers.",
	       "mbox: >From unescaped, >>From loses one >");
	is_str(jv_get_str(s.msg[1], "subject"), "Second message", "mbox: second subject");
	is_str(jv_get_str(s.msg[1], "body"), "Second body.", "mbox: second body");
	is_str(jv_get_str(s.msg[2], "sent_at"), "2025-11-03T15:00:00Z", "mbox: third sent_at");
	is_str(jv_get_str(s.msg[2], "external_id"), "m3@rcmp.example.gc.ca", "mbox: third id");
	for (int i = 0; i < 3 && i < s.n; i++)
		jv_free(s.msg[i]);
	is_int(mbox_split(b, n, stop_after_first, &calls), 42, "mbox: a callback's value stops it");
	is_int(calls, 1, "mbox: no call after the stop");
	free(b);
}

static void sniffing(void)
{
	static const char *yes[] = {"en-plain.eml", "fr-latin1-qp.eml", "three.mbox",
				    "malformed.eml"};
	size_t n;

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		char *b = slurp(yes[i], &n);
		ok(b && mail_looks_like(b, n), "looks like mail: %s", yes[i]);
		free(b);
	}
	ok(!mail_looks_like("{\"type\":\"message\"}\n", 19), "NDJSON does not look like mail");
	ok(!mail_looks_like("<?xml version=\"1.0\"?>\n<alert/>", 29),
	   "XML does not look like mail");
	ok(!mail_looks_like("X-Custom: 1\nX-Other: 2\n\nbody", 27),
	   "headers without any e-mail header do not look like mail");
	ok(!mail_looks_like("", 0), "empty input does not look like mail");
}

/* A message with one header line varied: returns the record (caller frees). */
static jv with_date(const char *date)
{
	char text[512];

	snprintf(text, sizeof text, "From: a@b.example\nDate: %s\nSubject: t\n\nx\n", date);
	return parse_text(text);
}

static void dates(void)
{
	static const char *cases[][2] = {
	    {"Mon, 3 Nov 2025 09:15:00 +0000", "2025-11-03T09:15:00Z"},
	    {"03 Nov 2025 09:15 -0000", "2025-11-03T09:15:00Z"},
	    {"Mon, 3 Nov 97 09:15:00 PST", "1997-11-03T17:15:00Z"},
	    {"Tue,  4 Nov 2025 01:00:00 +0530", "2025-11-03T19:30:00Z"},
	    {"3-Nov-2025 10:00:00 CET", "2025-11-03T09:00:00Z"},
	    {"Mon, 3 Nov. 2025 10:00:00 CEST", "2025-11-03T08:00:00Z"},
	    {"Wed, 31 Dec 2025 23:30:00 -0100", "2026-01-01T00:30:00Z"},
	    {"Thu, 29 Feb 2024 12:00:00 +01:00", "2024-02-29T11:00:00Z"},
	    {"Fri, 7 Nov 2025 08:00:00 +0800 (SGT)", "2025-11-07T00:00:00Z"},
	    {"Sat, 1 Nov 103 00:00:00 GMT", "2003-11-01T00:00:00Z"},
	    {"2025-11-03T10:00:00+01:00", "2025-11-03T09:00:00Z"},
	    {"Mon Nov  3 10:00:00 2025", "2025-11-03T10:00:00Z"},
	    {"Mon, 3 Nov 2025 10:00:00 XYZ", "2025-11-03T10:00:00Z"},
	};
	static const char *bad[] = {"Thu, 29 Feb 2025 12:00:00 +0000",
				    "31 Nov 2025 10:00:00 +0000",
				    "3 Nov 2025 25:00:00 +0000",
				    "3 Foo 2025 10:00:00 +0000",
				    "tomorrow",
				    ""};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jv o = with_date(cases[i][0]);
		is_str(jv_get_str(o, "sent_at"), cases[i][1], "date '%s'", cases[i][0]);
		jv_free(o);
	}
	{
		jv o = with_date("Mon Nov  3 10:00:00 2025");
		ok(warned(o, "no time zone"), "date without zone: read as UTC with a warning");
		jv_free(o);
		o = with_date("Mon, 3 Nov 2025 10:00:00 XYZ");
		ok(warned(o, "time zone \"XYZ\" not known"), "date with unknown zone: warning");
		jv_free(o);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		jv o = with_date(bad[i]);
		ok(jv_get_kind(o) == JV_KIND_OBJECT && !has(o, "sent_at") &&
		       warned(o, "not understood"),
		   "bad date '%s': no sent_at, a warning", bad[i]);
		jv_free(o);
	}
	{
		jv o = parse_text("From: a@b.example\nSubject: t\n\nx\n");
		ok(!has(o, "sent_at") && warned(o, "no Date header"),
		   "no Date: no sent_at, a warning");
		jv_free(o);
	}
}

static const char *decode_header(const char *s)
{
	static char out[256];
	struct buf b = {0};

	rfc2047_decode(s, strlen(s), &b);
	snprintf(out, sizeof out, "%.*s", (int)b.len, b.p ? b.p : "");
	buf_free(&b);
	return out;
}

static void encoded_words(void)
{
	is_str(decode_header("=?utf-8?q?a?= b"), "a b", "2047: space after a word kept");
	is_str(decode_header("=?utf-8?q?a?=  \t =?utf-8?q?b?="), "ab",
	       "2047: white space between words dropped");
	is_str(decode_header("=?KOI8-R?B?7c/Ty9fB?="),
	       "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0", "2047: KOI8-R B word");
	is_str(decode_header("=?iso-8859-1?q?caf=E9?= =?utf-8?q?=E2=82=AC?="),
	       "caf\xc3\xa9\xe2\x82\xac", "2047: adjacent words in two charsets");
	is_str(decode_header("=?UTF-8*fr?Q?=C3=A9t=C3=A9?="), "\xc3\xa9t\xc3\xa9",
	       "2047: RFC 2231 language suffix on the charset");
	is_str(decode_header("=?utf-8?q?not closed"), "=?utf-8?q?not closed",
	       "2047: unterminated word left as written");
	is_str(decode_header("=?utf-8?x?abc?="),
	       "=?utf-8?x?abc?=", "2047: unknown encoding left as written");
	is_str(decode_header("Jos\xc3\xa9 <j@x>"), "Jos\xc3\xa9 <j@x>",
	       "raw UTF-8 header kept (RFC 6532)");
	is_str(decode_header("Jos\xe9 <j@x>"), "Jos\xc3\xa9 <j@x>",
	       "raw 8-bit header read as windows-1252");
	is_str(decode_header("=?utf-8?q?bad_=FF_byte?="), "bad \xef\xbf\xbd byte",
	       "2047: invalid UTF-8 becomes U+FFFD");
}

static void parameters(void)
{
	static const char *const cases[][2] = {
	    {"attachment; filename*0*=utf-8''%C3%A9t; filename*1=\"e 2025.txt\"",
	     "\xc3\xa9te 2025.txt"},
	    {"attachment; filename*=iso-8859-1'fr'r%E9sum%E9.doc", "r\xc3\xa9sum\xc3\xa9.doc"},
	    {"attachment; filename=\"=?utf-8?B?2YXZhNmBLnBkZg==?=\"",
	     "\xd9\x85\xd9\x84\xd9\x81.pdf"},
	    {"attachment; filename=\"a \\\"quoted\\\" name.txt\"", "a \"quoted\" name.txt"},
	    {"inline; FileName=plain.txt (comment)", "plain.txt"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct mime_field f = {0};
		char *v;
		mime_field_parse(cases[i][0], strlen(cases[i][0]), &f);
		v = mime_param_decoded(&f, "filename");
		is_str(v, cases[i][1], "parameter: %s", cases[i][0]);
		free(v);
		mime_field_free(&f);
	}
}

static void charsets(void)
{
	struct buf b = {0};

	ok(charset_to_utf8("iso-8859-1", "\x80 5", 3, &b) == 0 && b.len == 5 &&
	       !memcmp(b.p, "\xe2\x82\xac 5", 5),
	   "ISO-8859-1 read as windows-1252 (0x80 is the euro sign)");
	b.len = 0;
	ok(charset_to_utf8("koi8-r", "\xed\xcf\xd3\xcb\xd7\xc1", 6, &b) == 0 && b.len == 12 &&
	       !memcmp(b.p, "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0", 12),
	   "KOI8-R body");
	b.len = 0;
	ok(charset_to_utf8("x-no-such", "caf\xe9", 4, &b) < 0 && b.len == 5 &&
	       !memcmp(b.p, "caf\xc3\xa9", 5),
	   "unknown charset: -1, bytes read as ISO-8859-1");
	b.len = 0;
	ok(charset_to_utf8("utf-8", "a\xff\xc3(b\0c", 7, &b) == 0 && b.len == 10 &&
	       !memcmp(b.p, "a\xef\xbf\xbd\xef\xbf\xbd(bc", 10),
	   "invalid UTF-8 becomes U+FFFD; NUL dropped");
	b.len = 0;
	ok(charset_to_utf8("iso-2022-jp", "\x1b$B$3$s\x1b(B", 10, &b) == 0 && b.len == 6 &&
	       !memcmp(b.p, "\xe3\x81\x93\xe3\x82\x93", 6),
	   "stateful ISO-2022-JP converted");
	b.len = 0;
	ok(charset_to_utf8("windows-1256", "\xc7\xe1", 2, &b) == 0 && b.len == 4 &&
	       !memcmp(b.p, "\xd8\xa7\xd9\x84", 4),
	   "windows-1256 Arabic");
	buf_free(&b);
}

static const char *html(const char *s)
{
	static char out[512];
	struct buf b = {0};

	html_to_text(s, strlen(s), &b);
	snprintf(out, sizeof out, "%.*s", (int)b.len, b.p ? b.p : "");
	buf_free(&b);
	return out;
}

static void html_text(void)
{
	is_str(html("a&amp;b &lt;c&gt; &#65;&#x42;&#X43; &euro;&hellip; &bogus; & x"),
	       "a&b <c> ABC \xe2\x82\xac\xe2\x80\xa6 &bogus; & x", "html: entities, unknown kept");
	is_str(html("&#0; &#x110000; &#xD800; &#150;"),
	       "\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd \xe2\x80\x93",
	       "html: invalid references to U+FFFD, &#150; as windows-1252");
	is_str(html("<pre>  a\n   b</pre>after"), "  a\n   b\n\nafter",
	       "html: <pre> keeps white space");
	is_str(html("<SCRIPT type=x>if (a<b) x();</ScRiPt>ok"), "ok",
	       "html: script dropped, any case");
	is_str(html("<a href=\"x>y\" title='q>'>link</a> text"), "link text",
	       "html: '>' inside quoted attributes");
	is_str(html("x < y and <3"), "x < y and <3", "html: a lone '<' is text");
	is_str(html("<p>unclosed <b"), "unclosed", "html: tag cut off at the end");
	is_str(html("<div>\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7&rlm;</div>"),
	       "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\xe2\x80\x8f", "html: Arabic with &rlm;");
	is_str(html("bad \xff byte"), "bad \xef\xbf\xbd byte", "html: invalid UTF-8 repaired");
}

/* Build a message nested depth multiparts deep, one text part at the bottom. */
static char *nested(int depth)
{
	struct buf b = {0};
	char line[128];

	buf_adds(&b, "From: a@b.example\nSubject: deep\n");
	for (int i = 0; i < depth; i++) {
		snprintf(line, sizeof line,
			 "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
		buf_adds(&b, line);
	}
	buf_adds(&b, "Content-Type: text/plain\n\ndeep text\n");
	for (int i = depth - 1; i >= 0; i--) {
		snprintf(line, sizeof line, "--b%d--\n", i);
		buf_adds(&b, line);
	}
	buf_addc(&b, '\0');
	return b.p;
}

static void structure(void)
{
	char *m = nested(5);
	jv o = parse_text(m);

	is_str(jv_get_str(o, "body"), "deep text", "nested multiparts (5 deep)");
	is_int(count(o, "warnings"), 1, "nested multiparts: only the missing Date warned about");
	jv_free(o);
	free(m);
	m = nested(20);
	o = parse_text(m);
	is_str(jv_get_str(o, "body"), "deep text", "nested multiparts (20 deep, the limit)");
	jv_free(o);
	free(m);
	/* deeper: refused whole, never stored without its inner parts */
	m = nested(40);
	char *err = NULL;
	o = mail_parse(m, strlen(m), &err);
	ok(!jv_is_valid(o), "multiparts 40 deep: refused");
	is_str(err, "multipart nested deeper than 20 levels", "multiparts 40 deep: the reason");
	jv_free(o);
	free(err);
	free(m);

	o = parse_text(
	    "From: a@b.example\nSubject: x\nContent-Type: multipart/mixed; boundary=zz\n\n"
	    "--zzz\nnot a boundary of ours\n--zz\nContent-Type: text/plain\n\nreal\n--zz--\n");
	is_str(jv_get_str(o, "body"), "real",
	       "a longer boundary that starts with ours is not ours");
	jv_free(o);

	o = parse_text(
	    "From: a@b.example\nSubject: x\nContent-Type: multipart/mixed\n\nplain anyway\n");
	is_str(jv_get_str(o, "body"), "plain anyway", "multipart without boundary read as text");
	ok(warned(o, "without a usable boundary"), "multipart without boundary: warning");
	jv_free(o);

	o = parse_text(
	    "From: a@b.example\nSubject: x\nContent-Type: multipart/mixed; boundary=q\n\n"
	    "--q\nContent-Type: text/plain\n\nfirst\n--q\nContent-Type: "
	    "text/plain\n\nfooter\n--q--\n");
	is_str(jv_get_str(o, "body"), "first\n\nfooter", "further inline text parts appended");
	jv_free(o);

	o = parse_text("Subject: =?utf-8?q?x?=\nTo: undisclosed-recipients:;\n"
		       "Cc: Team: a@x.example, \"B, b\" <b@x.example>;, c@x.example\n\nbody");
	is_int(count(o, "to"), 0, "empty group: no To addresses");
	is_int(count(o, "cc"), 3, "group members listed");
	is_str(item(o, "cc", 0), "a@x.example", "group name dropped");
	is_str(item(o, "cc", 1), "\"B, b\" <b@x.example>", "quoted comma in a group member");
	jv_free(o);
}

/* Every prefix of every fixture and a few thousand mutations parse without
 * crashing, give a record or an error (never both), and only valid UTF-8. */
static void robustness(void)
{
	static const char *files[] = {"en-plain.eml",    "fr-latin1-qp.eml", "es-alternative.eml",
				      "ar-base64.eml",   "ar-cp1256.eml",    "html-only.eml",
				      "attachments.eml", "reply.eml",        "malformed.eml",
				      "three.mbox"};
	unsigned seed = 12345;
	long runs = 0, bad = 0;

	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		size_t n;
		char *b = slurp(files[f], &n), *copy;
		if (!b)
			continue;
		copy = malloc(n ? n : 1);
		for (size_t cut = 0; cut <= n; cut++) {
			char *err = NULL;
			jv o;
			memcpy(copy, b, cut);
			if (cut > 40 && cut % 3 == 0) { /* and flip a byte */
				seed = seed * 1103515245 + 12345;
				copy[seed % cut] ^= (char)(seed >> 16 | 1);
			}
			o = mail_parse(copy, cut, &err);
			runs++;
			if (jv_is_valid(o)) {
				jv s = jv_dump_string(o, 0);
				bad += err != NULL ||
				       !utf8_valid(jv_string_value(s),
						   (size_t)jv_string_length_bytes(jv_copy(s)));
				jv_free(s);
			} else {
				bad += err == NULL;
				jv_free(o);
			}
			free(err);
		}
		free(copy);
		free(b);
	}
	ok(runs > 5000 && bad == 0, "%ld truncated and mutated messages: %ld bad results", runs,
	   bad);
}

int main(void)
{
	english_plain();
	line_endings();
	french_latin1();
	spanish_alternative();
	arabic_base64();
	arabic_windows_1256();
	html_only();
	attachments();
	threading();
	malformed();
	mbox();
	sniffing();
	dates();
	encoded_words();
	parameters();
	charsets();
	html_text();
	structure();
	robustness();
	return tap_done();
}
