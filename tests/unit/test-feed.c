/*
 * test-feed.c: RSS and Atom feeds (tests/fixtures/feed, written for ccc): every
 * field of every item, the sniffer, feed dates against the examples of RFC
 * 2822 and W3C-DTF, HTML reduced to text, and xmlsafe's limits: no external
 * entity or DTD ever read, entity bombs, depth, size, errors kept off stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <jv.h>
#include <libxml/parser.h>

#include "ccc/feed.h"
#include "ccc/xmlsafe.h"
#include "tap.h"

#define FIXTURES "tests/fixtures/feed/"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The value at a dotted path ("1.feed.title") as text (see test-cap.c). */
static const char *at(jv v, const char *path)
{
	static char ring[8][16384];
	static int next;
	char seg[128];
	const char *p = path;

	v = jv_copy(v);
	while (*p && jv_is_valid(v)) {
		size_t n = strcspn(p, ".");
		snprintf(seg, sizeof seg, "%.*s", (int)n, p);
		p += n + (p[n] == '.');
		if (jv_get_kind(v) == JV_KIND_ARRAY && seg[0] >= '0' && seg[0] <= '9')
			v = jv_array_get(v, atoi(seg));
		else if (jv_get_kind(v) == JV_KIND_OBJECT)
			v = jv_object_get(v, jv_string(seg));
		else {
			jv_free(v);
			v = jv_invalid();
		}
	}
	if (!jv_is_valid(v) || jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return NULL;
	}
	char *out = ring[next++ % 8];
	if (jv_get_kind(v) == JV_KIND_STRING) {
		snprintf(out, sizeof ring[0], "%s", jv_string_value(v));
		jv_free(v);
	} else {
		jv s = jv_dump_string(v, 0);
		snprintf(out, sizeof ring[0], "%s", jv_string_value(s));
		jv_free(s);
	}
	return out;
}

static int has(const char *haystack, const char *needle)
{
	return haystack && needle && strstr(haystack, needle) != NULL;
}

static int collect(jv item, void *ctx)
{
	jv *items = ctx;
	*items = jv_array_append(*items, item);
	return 0;
}

/* All items of a feed held in memory, as a jv array; *rc and *err as feed_parse. */
static jv items_of(const char *buf, size_t len, int *rc, char **err)
{
	jv items = jv_array();
	*rc = feed_parse(buf, len, collect, &items, err);
	return items;
}

static jv items_of_file(const char *name, int *rc, char **err)
{
	char path[256];
	size_t len = 0;
	snprintf(path, sizeof path, FIXTURES "%s", name);
	char *buf = slurp(path, &len);
	if (!ok(buf != NULL, "read %s", path)) {
		*rc = -1;
		*err = NULL;
		return jv_array();
	}
	jv items = items_of(buf, len, rc, err);
	free(buf);
	return items;
}

static jv items_of_str(const char *xml, int *rc, char **err)
{
	return items_of(xml, strlen(xml), rc, err);
}

/* ASCII text as UTF-16 into out (little-endian when le), after a BOM when bom. */
static size_t utf16(char *out, const char *ascii, int le, int bom)
{
	size_t n = 0;
	if (bom) {
		out[n++] = le ? '\xFF' : '\xFE';
		out[n++] = le ? '\xFE' : '\xFF';
	}
	for (; *ascii; ascii++) {
		out[n++] = le ? *ascii : '\0';
		out[n++] = le ? '\0' : *ascii;
	}
	return n;
}

static void test_sniff(void)
{
	static const struct {
		const char *doc;
		enum feed_kind want;
		const char *name;
	} v[] = {
	    {"<rss version=\"2.0\"><channel/></rss>", FEED_RSS, "bare rss"},
	    {"﻿<?xml version=\"1.0\"?>\n<!-- c > d -->\n<!DOCTYPE rss PUBLIC "
	     "\"-//Netscape Communications//DTD RSS 0.91//EN\" "
	     "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n<rss version=\"0.91\">",
	     FEED_RSS, "BOM, declaration, comment, DOCTYPE, rss 0.91"},
	    {"<!DOCTYPE x [<!ENTITY a \"<feed>\">]><rdf:RDF "
	     "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
	     FEED_RSS, "DOCTYPE with internal subset, then RSS 1.0"},
	    {"<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">", FEED_ATOM, "Atom"},
	    {"<?xml version='1.0'?><a:feed xmlns:b='urn:x' "
	     "xmlns:a='http://www.w3.org/2005/Atom'>",
	     FEED_ATOM, "prefixed Atom, single quotes"},
	    {"<feed xmlns=\"http://purl.org/atom/ns#\">", FEED_NONE, "Atom 0.3 is not Atom 1.0"},
	    {"<feed>", FEED_NONE, "feed without a namespace"},
	    {"<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">", FEED_CAP, "CAP 1.2"},
	    {"<cap:alert xmlns:cap=\"urn:oasis:names:tc:emergency:cap:1.1\">", FEED_CAP,
	     "prefixed CAP 1.1"},
	    {"<alert xmlns=\"urn:example\">", FEED_NONE, "alert in another namespace"},
	    {"<html><head><title>rss</title>", FEED_NONE, "HTML"},
	    {"{\"type\":\"message\"}", FEED_NONE, "JSON"},
	    {"", FEED_NONE, "empty"},
	    {"<?xml version=\"1.0\"", FEED_NONE, "cut in the declaration"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		is_int(feed_sniff(v[i].doc, strlen(v[i].doc)), v[i].want, "sniff: %s", v[i].name);

	char u16[256];
	size_t n = utf16(u16,
			 "<?xml version=\"1.0\" encoding=\"UTF-16\"?><feed "
			 "xmlns=\"http://www.w3.org/2005/Atom\">",
			 1, 1);
	is_int(feed_sniff(u16, n), FEED_ATOM, "sniff: UTF-16LE Atom with BOM");
	n = utf16(u16, "<rss version=\"2.0\">", 0, 0);
	is_int(feed_sniff(u16, n), FEED_RSS, "sniff: UTF-16BE rss without BOM");
	n = utf16(u16, "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">", 0, 1);
	is_int(feed_sniff(u16, n), FEED_CAP, "sniff: UTF-16BE CAP with BOM");
}

static void test_dates(void)
{
	static const struct {
		const char *in, *want;
	} v[] = {
	    /* RSS 2.0 specification */
	    {"Sat, 07 Sep 2002 00:00:01 GMT", "2002-09-07T00:00:01Z"},
	    /* RFC 2822 appendix A */
	    {"Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21T15:55:06Z"},
	    {"Tue, 1 Jul 2003 10:52:37 +0200", "2003-07-01T08:52:37Z"},
	    {"Thu, 13 Feb 1969 23:32:54 -0330", "1969-02-14T03:02:54Z"},
	    {"Thu,\n      13\n        Feb\n          1969\n      23:32\n               -0330 "
	     "(Newfoundland Time)",
	     "1969-02-14T03:02:00Z"},
	    {"21 Nov 97 09:55:06 GMT", "1997-11-21T09:55:06Z"},
	    {"Fri, 21 Nov 1997 09:55:06 PDT", "1997-11-21T16:55:06Z"},
	    {"Mon, 01 Jan 2001 00:00:00 EST", "2001-01-01T05:00:00Z"},
	    {"Mon, 01 Jan 2001 00:00:00 A", "2001-01-01T00:00:00Z"},
	    {"Mon, 01 Jan 2001 00:00:00 UT", "2001-01-01T00:00:00Z"},
	    {"Mon, 01 Jan 01 12:00 +01:00", "2001-01-01T11:00:00Z"},
	    {"1 September 2025 08:00:00 +0000", "2025-09-01T08:00:00Z"},
	    {"Sat, 29 Feb 2020 23:59:60 +0000", "2020-02-29T23:59:59Z"},
	    /* RFC 3339, W3C-DTF */
	    {"2002-10-02T10:00:00-05:00", "2002-10-02T15:00:00Z"},
	    {"2003-12-13T18:30:02Z", "2003-12-13T18:30:02Z"},
	    {"1997-07-16T19:20:30.45+01:00", "1997-07-16T18:20:30Z"},
	    {"1997-07-16T19:20+01:00", "1997-07-16T18:20:00Z"},
	    {"1997-07-16", "1997-07-16T00:00:00Z"},
	    {"  2025-11-14T08:15:00+01:00\n", "2025-11-14T07:15:00Z"},
	};
	static const char *const bad[] = {
	    "",
	    "yesterday",
	    "31 Feb 2025 10:00 GMT",
	    "Fri, 14 Nov 2025 25:00:00 GMT",
	    "Fri, 14 Nov 2025 10:00:00",
	    "Fri, 14 Foo 2025 10:00:00 GMT",
	    "Fri, 14 Nov 2025 10:00:00 XYZ",
	    "2025-13-01T00:00:00Z",
	    "2025-11-14T10:00:00",
	    "1997-07",
	    "14/11/2025",
	    "ppp2",      /* ends where the month would begin (found by fuzz-feed) */
	    "Fri, 14 N", /* ends inside the month */
	};
	char out[RFC3339_LEN], name[128];
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		snprintf(name, sizeof name, "%s", v[i].in);
		for (char *p = name; *p; p++) /* one TAP line per test */
			if (*p == '\n')
				*p = ' ';
		out[0] = '\0';
		int rc = feed_date(v[i].in, out);
		ok(rc == 0, "date '%s' is read", name);
		is_str(out, v[i].want, "date '%s' in UTC", name);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		is_int(feed_date(bad[i], out), -1, "date '%s' is refused", bad[i]);
}

static void test_html_text(void)
{
	static const struct {
		const char *in, *want;
	} v[] = {
	    {"<p>First.</p><p>Second.</p>", "First.\nSecond."},
	    {"line1<br/>line2<BR>line3", "line1\nline2\nline3"},
	    {"  lots \t of\n\n space  ", "lots of space"},
	    {"x &lt; y &amp;&amp; z &gt; 0", "x < y && z > 0"},
	    {"a < b and c<3", "a < b and c<3"},
	    {"caf&eacute; &#233; &#xE9; &#XE9;", "café é é é"},
	    {"&laquo;&nbsp;Aigle&nbsp;&raquo; &euro;5 &apos;q&apos; &hellip;",
	     "« Aigle » \xe2\x82\xac"
	     "5 'q' \xe2\x80\xa6"},
	    {"<script type=\"text/javascript\">if (a < b) alert('<p>');</script>ok", "ok"},
	    {"<STYLE>p { color: red }</STYLE><b>bold</b> text", "bold text"},
	    {"<!-- a comment with <p> -->kept", "kept"},
	    {"<a href=\"x?a=1&amp;b=2\" title='a > b'>link</a>", "link"},
	    {"&bogus; &amp &#0; &#xD800; &#1114112;",
	     "&bogus; &amp \xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd"},
	    {"<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table>",
	     "one\ntwo\na b"},
	    {"ضبط <strong>١٢</strong>", "ضبط ١٢"},
	    {"non\xc2\xa0"
	     "breaking",
	     "non breaking"},
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		jv t = feed_html_text(v[i].in, strlen(v[i].in));
		is_str(jv_string_value(t), v[i].want, "html text %zu: '%.*s'", i,
		       (int)strcspn(v[i].in, "\n"), v[i].in);
		jv_free(t);
	}
}

static void test_english_rss(void)
{
	int rc;
	char *err = NULL;
	jv it = items_of_file("en-rss2.xml", &rc, &err);

	is_int(rc, 0, "en-rss2: parsed");
	is_int(jv_array_length(jv_copy(it)), 3, "en-rss2: 3 items");
	is_str(at(it, "0.external_id"), "hcp-news-48213", "en-rss2 item 1: id from guid");
	is_str(at(it, "0.subject"),
	       "Appeal for witnesses after armed robbery at Quay Street jeweller",
	       "en-rss2 item 1: subject");
	is_str(at(it, "0.body"),
	       "Detectives are appealing for witnesses after two men threatened staff with a "
	       "handgun at a jeweller\xe2\x80\x99s on Quay Street at about 14:20 on Thursday.\n"
	       "Anyone with information should call 101, quoting reference HC-48213.",
	       "en-rss2 item 1: escaped HTML description reduced to text");
	is_str(at(it, "0.sent_at"), "2025-11-14T16:42:10Z", "en-rss2 item 1: sent_at");
	is_str(at(it, "0.link"), "https://police.example.org/news/2025/11/14/quay-street-robbery",
	       "en-rss2 item 1: link");
	is_str(at(it, "0.author"), "press.office@police.example.org (Press Office)",
	       "en-rss2 item 1: author");
	is_str(at(it, "0.language"), "en", "en-rss2 item 1: language from en-GB");
	is_str(at(it, "0.feed.title"), "Harbour City Police \xe2\x80\x93 Newsroom",
	       "en-rss2: feed title");
	is_str(at(it, "0.feed.link"), "https://police.example.org/news",
	       "en-rss2: feed link (not atom:link)");
	is_str(at(it, "0.feed.format"), "rss", "en-rss2: format");

	is_str(at(it, "1.external_id"),
	       "https://police.example.org/news/2025/11/13/lorry-recovered",
	       "en-rss2 item 2: no guid, id from link");
	is_str(at(it, "1.subject"), "Stolen lorry recovered at the port & two arrested",
	       "en-rss2 item 2: subject with &amp;");
	is_str(at(it, "1.body"),
	       "A curtain-sided lorry reported stolen in Rotterdam on 9 November was found at "
	       "Berth 7 early on Thursday.\nTwo men, aged 34 and 41, were arrested.\n"
	       "The trailer's load \xe2\x80\x93 22 pallets of tyres \xe2\x80\x93 was recovered.",
	       "en-rss2 item 2: content:encoded preferred, CDATA HTML to text, script dropped");
	is_str(at(it, "1.sent_at"), "2025-11-13T09:05:00Z", "en-rss2 item 2: sent_at +0000");
	is_str(at(it, "1.author"), "Sgt. A. Morgan", "en-rss2 item 2: author from dc:creator");

	is_str(at(it, "2.external_id"),
	       "sha256:e8d2e965611c99e4b174a99b75e62737caf75135be5acd84e3748f31a03fbba8",
	       "en-rss2 item 3: no guid or link, id = SHA-256 of title and date");
	is_str(at(it, "2.body"),
	       "Roads in the city centre will close from 06:00 to 14:00 "
	       "< see the map >.",
	       "en-rss2 item 3: a lone '<' is text");
	ok(at(it, "2.link") == NULL && at(it, "2.author") == NULL,
	   "en-rss2 item 3: no link, no author");
	jv_free(it);
	free(err);
}

static void test_french_atom(void)
{
	int rc;
	char *err = NULL;
	jv it = items_of_file("fr-atom.xml", &rc, &err);

	is_int(rc, 0, "fr-atom: parsed");
	is_int(jv_array_length(jv_copy(it)), 3, "fr-atom: 3 entries");
	is_str(at(it, "0.feed.title"), "Gendarmerie du Rhône \xe2\x80\x94 Actualités",
	       "fr-atom: feed title (type html, double-escaped &mdash;)");
	is_str(at(it, "0.feed.link"), "https://gendarmerie.example.fr/actualites/",
	       "fr-atom: feed link resolved against xml:base, rel=self skipped");
	is_str(at(it, "0.feed.format"), "atom", "fr-atom: format");
	is_str(at(it, "0.external_id"), "tag:gendarmerie.example.fr,2025:avis-4471",
	       "fr-atom entry 1: id");
	is_str(at(it, "0.subject"),
	       "Appel à témoins : disparition inquiétante à "
	       "Villeurbanne",
	       "fr-atom entry 1: html title, references and tags");
	is_str(at(it, "0.body"),
	       "Léa M., 15 ans, a quitté le domicile familial mercredi vers 19 h 30.\n"
	       "Elle mesure 1,62 m et portait une parka bleu marine « Aigle ».\n"
	       "Toute information : composez le 17 & citez la référence n° 4471.",
	       "fr-atom entry 1: CDATA html content, named entities, content over summary");
	is_str(at(it, "0.sent_at"), "2025-11-14T07:15:00Z", "fr-atom entry 1: published, UTC");
	is_str(at(it, "0.link"),
	       "https://gendarmerie.example.fr/actualites/2025/11/disparition-villeurbanne",
	       "fr-atom entry 1: alternate link resolved, enclosure skipped");
	is_str(at(it, "0.author"), "Brigade de recherches de Lyon", "fr-atom entry 1: author");
	is_str(at(it, "0.language"), "fr", "fr-atom entry 1: language from xml:lang fr-FR");

	is_str(at(it, "1.subject"),
	       "Saisie de 40 kg de résine de cannabis sur l'A7 & deux interpellations",
	       "fr-atom entry 2: text title");
	is_str(at(it, "1.body"),
	       "Lors d\xe2\x80\x99un contrôle au péage de Vienne, les gendarmes ont "
	       "découvert 40 kg de résine dans le coffre.\n"
	       "Deux hommes de 28 et 33 ans ont été placés en garde à "
	       "vue.\n"
	       "Le véhicule, signalé volé en Espagne, a été "
	       "saisi.",
	       "fr-atom entry 2: xhtml content");
	is_str(at(it, "1.sent_at"), "2025-11-13T21:00:00Z",
	       "fr-atom entry 2: updated when no published");
	is_str(at(it, "1.link"), "https://gendarmerie.example.fr/actualites/2025/11/saisie-a7",
	       "fr-atom entry 2: link without rel");
	is_str(at(it, "1.author"), "Cellule communication", "fr-atom entry 2: feed's author");
	is_str(at(it, "1.language"), "fr", "fr-atom entry 2: xml:lang fr-CA");

	is_str(at(it, "2.body"),
	       "Accueil du public assuré par la brigade de Grigny.\n"
	       "Le 17 reste joignable 24 h/24.",
	       "fr-atom entry 3: text summary keeps its line break");
	is_str(at(it, "2.sent_at"), "2025-11-10T00:00:00Z", "fr-atom entry 3: date-only updated");
	is_str(at(it, "2.link"), "http://autre.example.net/givors",
	       "fr-atom entry 3: absolute link");
	is_str(at(it, "2.external_id"), "urn:uuid:6f1c2a7e-3b4d-4e5f-9a8b-1c2d3e4f5a6b",
	       "fr-atom entry 3: urn:uuid id");
	jv_free(it);
	free(err);
}

static void test_spanish_rss(void)
{
	int rc;
	char *err = NULL;
	jv it = items_of_file("es-rss-latin1.xml", &rc, &err);

	is_int(rc, 0, "es-rss: parsed");
	is_int(jv_array_length(jv_copy(it)), 2, "es-rss: 2 items");
	is_str(at(it, "0.feed.title"), "Policía Federal - Noticias",
	       "es-rss: ISO-8859-1 title in UTF-8");
	is_str(at(it, "0.subject"), "Detienen en Ezeiza a un prófugo con notificación roja",
	       "es-rss item 1: subject");
	is_str(at(it, "0.body"),
	       "El hombre, de 52 años, era buscado por la Justicia española por "
	       "tráfico de cocaína.",
	       "es-rss item 1: body");
	is_str(at(it, "0.sent_at"), "2025-11-14T13:30:00Z", "es-rss item 1: -0300 made UTC");
	is_str(at(it, "0.external_id"),
	       "https://policia.example.com.ar/noticias/2025/11/ezeiza-profugo",
	       "es-rss item 1: guid");
	is_str(at(it, "0.author"), "Departamento de Prensa", "es-rss item 1: dc:creator");
	is_str(at(it, "0.language"), "es", "es-rss item 1: es-AR");
	is_str(at(it, "1.sent_at"), "2025-11-13T22:15:00Z", "es-rss item 2: +0100 made UTC");
	is_str(at(it, "1.link"), "https://policia.example.com.ar/noticias/2025/11/algeciras",
	       "es-rss item 2: permalink guid is the link");
	is_str(at(it, "1.body"),
	       "Se incautaron 1.200 kg de hachís en el puerto; la investigación "
	       "continúa.",
	       "es-rss item 2: &#160; is a space");
	jv_free(it);
	free(err);
}

static void test_arabic_atom(void)
{
	int rc;
	char *err = NULL;
	jv it = items_of_file("ar-atom.xml", &rc, &err);

	is_int(rc, 0, "ar-atom: parsed");
	is_int(jv_array_length(jv_copy(it)), 2, "ar-atom: 2 entries");
	is_str(at(it, "0.feed.title"), "الشرطة الوطنية – الأخبار", "ar-atom: feed title");
	is_str(at(it, "0.feed.link"), "https://police.example.ae/ar/news", "ar-atom: feed link");
	is_str(at(it, "0.subject"), "القبض على شبكة لتهريب المركبات المسروقة عبر الموانئ",
	       "ar-atom entry 1: subject");
	is_str(at(it, "0.body"), "ضبطت الشرطة ١٢ مركبة مسروقة من أوروبا & أوقفت أربعة مشتبه بهم.",
	       "ar-atom entry 1: html summary as text");
	is_str(at(it, "0.sent_at"), "2025-11-14T15:30:00Z", "ar-atom entry 1: published +04:00");
	is_str(at(it, "0.external_id"), "urn:uuid:7a9e4c21-0b3d-4f6e-8a15-2c7d9e0f1b34",
	       "ar-atom entry 1: id");
	is_str(at(it, "0.link"), "https://police.example.ae/ar/news/2025/11/14/vehicle-ring",
	       "ar-atom entry 1: link");
	is_str(at(it, "0.author"), "إدارة الإعلام الأمني", "ar-atom entry 1: feed's author");
	is_str(at(it, "0.language"), "ar", "ar-atom entry 1: language");
	is_str(at(it, "1.body"), "لا تشارك رمز التحقق مع أي جهة.", "ar-atom entry 2: text content");
	is_str(at(it, "1.author"), "مركز مكافحة الجرائم الإلكترونية",
	       "ar-atom entry 2: own author");
	is_str(at(it, "1.sent_at"), "2025-11-13T05:00:00Z", "ar-atom entry 2: updated +04:00");
	jv_free(it);
	free(err);
}

static void test_rdf_and_091(void)
{
	int rc;
	char *err = NULL;
	jv it = items_of_file("en-rdf.xml", &rc, &err);

	is_int(rc, 0, "en-rdf: parsed");
	is_int(jv_array_length(jv_copy(it)), 1, "en-rdf: 1 item");
	is_str(at(it, "0.external_id"), "https://customs.example.org/bulletins/2025-117",
	       "en-rdf: id from rdf:about");
	is_str(at(it, "0.subject"), "Counterfeit medicines seized at the airport",
	       "en-rdf: subject");
	is_str(at(it, "0.sent_at"), "2025-11-12T12:45:00Z", "en-rdf: dc:date");
	is_str(at(it, "0.author"), "Bulletin desk", "en-rdf: dc:creator");
	is_str(at(it, "0.language"), "en", "en-rdf: channel dc:language");
	is_str(at(it, "0.feed.format"), "rdf", "en-rdf: format");
	jv_free(it);

	/* RSS 0.91 relies on its DTD for HTML entities; the DTD is never read,
	 * the HTML 4 names are known anyway. */
	it = items_of_str("<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" "
			  "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n"
			  "<rss version=\"0.91\"><channel><title>Caf&eacute;</title><link>"
			  "http://example.org/</link><language>fr</language><item><title>"
			  "D&eacute;j&agrave; vu</title><link>http://example.org/1</link>"
			  "<description>&laquo;&nbsp;Oui&nbsp;&raquo;</description></item>"
			  "</channel></rss>",
			  &rc, &err);
	is_int(rc, 0, "rss 0.91: parsed");
	is_str(at(it, "0.subject"), "Déjà vu", "rss 0.91: &eacute; &agrave;");
	is_str(at(it, "0.body"), "« Oui »", "rss 0.91: &laquo; &nbsp;");
	is_str(at(it, "0.feed.title"), "Café", "rss 0.91: channel title");
	jv_free(it);
	free(err);
}

/* Second choices: dates, ids and links. */
static void test_fallbacks(void)
{
	int rc;
	char *err = NULL;
	jv it = items_of_str(
	    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
	    "<title>T</title><link>https://example.org/</link>"
	    "<item><title>a</title><pubDate>sometime</pubDate>"
	    "<dc:date>2025-11-14T12:00:00+01:00</dc:date>"
	    "<guid isPermaLink=\"false\">https://example.org/not-a-link</guid></item>"
	    "<item><title>b</title><pubDate>sometime</pubDate><dc:language>ar-EG</dc:language>"
	    "<description>   </description></item>"
	    "</channel></rss>",
	    &rc, &err);
	is_int(rc, 0, "fallbacks: parsed");
	is_str(at(it, "0.sent_at"), "2025-11-14T11:00:00Z", "unreadable pubDate: dc:date used");
	ok(at(it, "0.link") == NULL, "isPermaLink=\"false\" guid is not taken as the link");
	ok(at(it, "1.sent_at") == NULL, "no readable date: no sent_at");
	is_str(at(it, "1.external_id"),
	       "sha256:0263829989b6fd954f72baaf2fc64bc2e2f01d692d4de72986ea808f6e99813f",
	       "no guid, link or date: SHA-256 of \"b\\n\"");
	is_str(at(it, "1.body"), "", "blank description: empty body");
	is_str(at(it, "1.language"), "ar", "item dc:language wins over none on the channel");
	ok(at(it, "0.language") == NULL, "no language anywhere: none given");
	jv_free(it);

	it = items_of_str(
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fil\"><title>F</title>"
	    "<entry><title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
	    "<b>Bold</b> title</div></title>"
	    "<content type=\"image/png\">iVBORw0KGgo=</content>"
	    "<summary>Short</summary></entry></feed>",
	    &rc, &err);
	is_int(rc, 0, "atom fallbacks: parsed");
	is_str(at(it, "0.subject"), "Bold title", "xhtml title");
	is_str(at(it, "0.body"), "Short", "base64 content skipped for the summary");
	ok(at(it, "0.language") == NULL, "three-letter xml:lang 'fil' gives no ISO 639-1 code");
	ok(has(at(it, "0.external_id"), "sha256:"), "entry without id or link: hashed id");
	is_str(at(it, "0.feed.link"), "", "feed without link: empty feed.link");
	jv_free(it);
	free(err);
}

/* An inotify watch on path, checked to see an open we make ourselves. */
static int watch(const char *path)
{
	int fd = inotify_init1(IN_NONBLOCK);
	char ev[4096];
	if (fd < 0 || inotify_add_watch(fd, path, IN_OPEN | IN_ACCESS) < 0)
		return -1;
	FILE *f = fopen(path, "r");
	if (f)
		fclose(f);
	ok(read(fd, ev, sizeof ev) > 0, "inotify sees an open of %s (the watch works)", path);
	while (read(fd, ev, sizeof ev) > 0)
		;
	return fd;
}

static int opened(int fd)
{
	char ev[4096];
	ssize_t n = read(fd, ev, sizeof ev);
	return !(n < 0 && errno == EAGAIN);
}

static void test_no_external_reads(void)
{
	int fd_txt = watch(FIXTURES "secret.txt"), fd_dtd = watch(FIXTURES "secret.dtd");
	int rc;
	char *err = NULL;

	jv it = items_of_file("xxe-rss.xml", &rc, &err);
	is_int(rc, -1, "xxe-rss: refused");
	is_int(jv_array_length(jv_copy(it)), 0, "xxe-rss: no item delivered");
	if (!ok(has(err, "line 5: entity 'xxe' declared in the DOCTYPE"), "xxe-rss: reason"))
		printf("#   reason: %s\n", err ? err : "(none)");
	jv_free(it);
	free(err);

	it = items_of_file("dtd-rss.xml", &rc, &err);
	is_int(rc, 0, "dtd-rss: an external DTD subset alone is no reason to refuse");
	is_str(at(it, "0.subject"), "Secret: []", "dtd-rss: the DTD's entity stays unexpanded");
	jv dump = jv_dump_string(jv_copy(it), 0);
	ok(!has(jv_string_value(dump), "CCC-SECRET"), "dtd-rss: the DTD's text appears nowhere");
	jv_free(dump);
	jv_free(it);
	free(err);

	ok(fd_txt >= 0 && !opened(fd_txt), "secret.txt was never opened");
	ok(fd_dtd >= 0 && !opened(fd_dtd), "secret.dtd was never opened");
	if (fd_txt >= 0)
		close(fd_txt);
	if (fd_dtd >= 0)
		close(fd_dtd);
}

static void expect_error(const char *xml, size_t len, const char *want, const char *name)
{
	char *err = NULL;
	jv items = jv_array();
	int rc = feed_parse(xml, len, collect, &items, &err);
	is_int(rc, -1, "%s: refused", name);
	if (!ok(has(err, want), "%s: reason names '%s'", name, want))
		printf("#   reason: %s\n", err ? err : "(none)");
	jv_free(items);
	free(err);
}

static void count_errors(void *n, xmlErrorPtr e)
{
	(*(int *)n)++;
}

/* xmlsafe: entity bombs, depth, size, diagnostics. */
static void test_limits(void)
{
	const char *laughs =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    "]>\n<rss><channel><item><title>&lol2;</title></item></channel></rss>";
	expect_error(laughs, strlen(laughs), "line 3: entity 'lol' declared", "billion laughs");

	size_t n = 0, cap = 16 * 300 + 200;
	char *deep = malloc(cap);
	n += (size_t)sprintf(deep + n, "<rss><channel><item><description>");
	for (int i = 0; i < 200; i++)
		n += (size_t)sprintf(deep + n, "<x>");
	for (int i = 0; i < 200; i++)
		n += (size_t)sprintf(deep + n, "</x>");
	n += (size_t)sprintf(deep + n, "</description></item></channel></rss>");
	expect_error(deep, n, "elements nested deeper than 128", "200 nested elements");
	free(deep);

	size_t big = XMLSAFE_MAX_BYTES + 1;
	char *huge = calloc(big, 1);
	if (huge) {
		memcpy(huge, "<rss>", 5);
		expect_error(huge, big, "larger than the 16 MiB limit", "17 MiB document");
		free(huge);
	}

	const char *cut = "<rss>\n<channel>\n<item>\n<title>x</title>\n</channel>\n</rss>";
	expect_error(cut, strlen(cut), "line 5:", "mismatched tag: reason has its line");
	expect_error("<html><body/></html>", 20, "not a feed: the root element is 'html'", "HTML");
	expect_error("<rss version=\"2.0\"/>", 20, "<rss> has no <channel>", "rss without channel");
	expect_error("caf\xe9", 4, "line 1", "not XML");

	/* Diagnostics never reach stderr, and the caller's handler is back after. */
	int count = 0;
	xmlSetStructuredErrorFunc(&count, count_errors);
	fflush(stderr);
	int saved = dup(2);
	char tmpl[] = "/tmp/ccc-test-feed-XXXXXX";
	int tmp = mkstemp(tmpl);
	if (saved >= 0 && tmp >= 0) {
		dup2(tmp, 2);
		expect_error(cut, strlen(cut), "Opening and ending tag mismatch", "mismatched tag");
		expect_error("<a:b/>", 6, "not a feed", "undeclared prefix (a namespace error)");
		fflush(stderr);
		dup2(saved, 2);
		ok(lseek(tmp, 0, SEEK_END) == 0, "nothing written to stderr while parsing bad XML");
	}
	if (saved >= 0)
		close(saved);
	if (tmp >= 0) {
		close(tmp);
		unlink(tmpl);
	}
	ok(xmlStructuredError == count_errors && xmlStructuredErrorContext == &count,
	   "the caller's structured error handler is restored");
	is_int(count, 0, "the caller's handler saw none of xmlsafe's errors");
	xmlSetStructuredErrorFunc(NULL, NULL);
}

static int stop_after_one(jv item, void *ctx)
{
	(*(int *)ctx)++;
	jv_free(item);
	return 7;
}

static void test_callback_stop(void)
{
	size_t len = 0;
	char *buf = slurp(FIXTURES "en-rss2.xml", &len), *err = NULL;
	int calls = 0;
	is_int(feed_parse(buf, len, stop_after_one, &calls, &err), 7,
	       "callback's nonzero return stops the parse and is returned");
	is_int(calls, 1, "one item delivered before the stop");
	ok(err == NULL, "no error message after a stop");
	free(buf);
}

static int drop(jv item, void *ctx)
{
	(*(int *)ctx)++;
	jv_free(item);
	return 0;
}

/* Figures for the report, not assertions: a 1000-item RSS feed. */
static void measure(void)
{
	size_t cap = 1000 * 700 + 400, n = 0;
	char *buf = malloc(cap), *err = NULL;
	struct timespec a, b;
	int items = 0, rounds = 20;

	n += (size_t)sprintf(buf + n, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
				      "<title>Bench</title><link>https://example.org/</link>"
				      "<language>en</language>");
	for (int i = 0; i < 1000; i++)
		n += (size_t)sprintf(
		    buf + n,
		    "<item><title>Item %d: vehicle reported stolen</title>"
		    "<link>https://example.org/n/%d</link><guid>bench-%d</guid>"
		    "<pubDate>Fri, 14 Nov 2025 16:%02d:10 +0100</pubDate>"
		    "<description>&lt;p&gt;A white van, registration AB-%03d-CD, was "
		    "taken from a car park on &lt;b&gt;Quay Street&lt;/b&gt; at about "
		    "14:20.&lt;/p&gt;&lt;p&gt;Call 101 quoting &amp;quot;HC-%d&amp;quot;"
		    ".&lt;/p&gt;</description></item>",
		    i, i, i, i % 60, i % 1000, i);
	n += (size_t)sprintf(buf + n, "</channel></rss>");
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int r = 0; r < rounds; r++)
		feed_parse(buf, n, drop, &items, &err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double us = (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
	is_int(items, 1000 * rounds, "bench feed: every item delivered");
	printf("# feed_parse: %.2f us per item, %.0f items/s (RSS 2.0, %zu bytes, 1000 items)\n",
	       us / items, items / us * 1e6, n);
	free(buf);
}

int main(void)
{
	test_sniff();
	test_dates();
	test_html_text();
	test_english_rss();
	test_french_atom();
	test_spanish_rss();
	test_arabic_atom();
	test_rdf_and_091();
	test_fallbacks();
	test_no_external_reads();
	test_limits();
	test_callback_stop();
	measure();
	xmlCleanupParser();
	return tap_done();
}
