/*
 * test-cap.c: CAP alerts against the google/cap-library and OASIS fixtures
 * (tests/fixtures/cap, see SOURCE.txt): valid ones read field by field, invalid
 * ones rejected with a reason, no external entity or DTD ever read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <jv.h>
#include <libxml/parser.h>

#include "ccc/cap.h"
#include "tap.h"

#define FIXTURES "tests/fixtures/cap/"

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

static jv parse_file(const char *name, char **err)
{
	char path[256];
	size_t len = 0;
	snprintf(path, sizeof path, FIXTURES "%s", name);
	char *buf = slurp(path, &len);
	if (!buf) {
		*err = strdup("cannot read fixture");
		return jv_invalid();
	}
	jv v = cap_parse(buf, len, err);
	free(buf);
	return v;
}

static jv parse_str(const char *xml, char **err)
{
	return cap_parse(xml, strlen(xml), err);
}

/*
 * The value at a dotted path ("info.0.event") as text: a string as is,
 * another kind as JSON, a missing value as NULL. The text lives in a ring of
 * buffers, enough for one assertion's worth of calls.
 */
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

static void test_embedded_schema(void)
{
	for (int minor = 1; minor <= 2; minor++) {
		char path[64];
		size_t len = 0;
		snprintf(path, sizeof path, FIXTURES "cap1%d.xsd", minor);
		char *file = slurp(path, &len), *text = cap_schema_text(minor);
		ok(file && text && strlen(text) == len && memcmp(file, text, len) == 0,
		   "embedded CAP 1.%d schema is byte for byte %s", minor, path);
		free(file);
		free(text);
	}
	ok(cap_schema_text(3) == NULL, "no embedded schema for CAP 1.3");
}

static const struct valid {
	const char *file, *version, *identifier, *sender, *sent, *msg_type;
	int infos;
	const char *event, *urgency, *severity, *certainty;
	int is_signed;
} valid[] = {
    {"43b080713727.cap", "1.2", "43b080713727", "hsas@dhs.gov", "2003-04-02T19:39:01Z", "Alert", 1,
     "Homeland Security Advisory System Update", "Immediate", "Severe", "Likely", 0},
    {"thunderstorm.cap", "1.2", "KSTO1055887203", "KSTO@NWS.NOAA.GOV", "2003-06-17T21:57:00Z",
     "Alert", 1, "SEVERE THUNDERSTORM", "Immediate", "Severe", "Observed", 0},
    {"KAR0-0306112239-SW.cap", "1.1", "KAR0-0306112239-SW", "KARO@CLETS.DOJ.CA.GOV",
     "2003-06-12T05:39:00Z", "Alert", 1, "Child Abduction", "Immediate", "Severe", "Likely", 0},
    {"australia.cap", "1.2", "tag:www.rfs.nsw.gov.au2011-10-06:40184", "webmaster@rfs.nsw.gov.au",
     "2011-10-05T13:04:00Z", "Alert", 2, "Fire", "Expected", "Minor", "Observed", 0},
    {"canada.cap", "1.2", "2.49.0.1.124.6bddbc91.2012", "cap@ec.gc.ca", "2012-05-02T23:21:04Z",
     "Update", 2, "thunderstorm", "Past", "Minor", "Observed", 0},
    {"canada_signed.cap", "1.2", "2.49.0.1.124.f2c83f5f.2013", "cap-pac@ec.gc.ca",
     "2013-01-24T21:26:00Z", "Update", 2, "snowfall", "Future", "Moderate", "Likely", 1},
    {"earthquake-iso8859-1.cap", "1.2",
     "USGS-earthquakes-usB000D5T4.3947362.7.20121014T225304.360Z.0",
     "http://earthquake.usgs.gov/research/monitoring/anss/neic/", "2012-10-14T22:53:04Z", "Alert",
     1, "Earthquake", "Past", "Unknown", "Likely", 1},
    {"earthquake.cap", "1.1", "USGS-earthquakes-us2010apcd.6.20100831T000925.496Z",
     "http://earthquake.usgs.gov/research/monitoring/anss/neic/", "2010-08-31T05:09:25Z", "Alert",
     1, "Earthquake", "Past", "Unknown", "Likely", 0},
    {"earthquake_signed.cap", "1.1", "USGS-earthquakes-nc71635010.28103893.20110906T171538.586Z",
     "http://www.cisn.org/ncmc.html", "2011-09-06T17:15:38Z", "Alert", 1, "Earthquake", "Past",
     "Unknown", "Likely", 1},
    {"no_optional_fields.cap", "1.1", "USGS-earthquakes-us2010apcd.6.20100831T000925.496Z",
     "http://earthquake.usgs.gov/research/monitoring/anss/neic/", "2010-08-31T05:09:25Z", "Alert",
     0, NULL, NULL, NULL, NULL, 0},
    {"wcatwc-warning.cap", "1.2", "PAAQ-2-lqw6d6", "http://newwcatwc.arh.noaa.gov/tsuPortal/",
     "2011-09-02T11:36:50Z", "Update", 1, "Tsunami Warning", "Immediate", "Extreme", "Likely", 0},
    {"weather.cap", "1.1", "NOAA-NWS-ALERTS-MT20100830100700TFXFlashFloodWatchTFX20100830180000MT",
     "w-nws.webmaster@noaa.gov", "2010-08-30T10:07:00Z", "Alert", 1, "Flash Flood Watch",
     "Expected", "Severe", "Possible", 0},
};

static void test_valid(void)
{
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		const struct valid *t = &valid[i];
		char *err = NULL;
		jv v = parse_file(t->file, &err);
		if (!ok(jv_is_valid(v), "%s is accepted", t->file)) {
			printf("#   error: %s\n", err ? err : "(none)");
			free(err);
			jv_free(v);
			continue;
		}
		ok(err == NULL, "%s: no error message", t->file);
		is_str(at(v, "cap_version"), t->version, "%s: cap_version", t->file);
		is_str(at(v, "identifier"), t->identifier, "%s: identifier", t->file);
		is_str(at(v, "sender"), t->sender, "%s: sender", t->file);
		is_str(at(v, "sent"), t->sent, "%s: sent in UTC", t->file);
		is_str(at(v, "status"), "Actual", "%s: status", t->file);
		is_str(at(v, "msg_type"), t->msg_type, "%s: msg_type", t->file);
		is_str(at(v, "scope"), "Public", "%s: scope", t->file);
		is_str(at(v, "signed"), t->is_signed ? "true" : "false", "%s: signed", t->file);
		jv infos = jv_object_get(jv_copy(v), jv_string("info"));
		is_int(jv_array_length(infos), t->infos, "%s: %d info blocks", t->file, t->infos);
		if (t->event) {
			is_str(at(v, "info.0.event"), t->event, "%s: info event", t->file);
			is_str(at(v, "info.0.urgency"), t->urgency, "%s: info urgency", t->file);
			is_str(at(v, "info.0.severity"), t->severity, "%s: info severity", t->file);
			is_str(at(v, "info.0.certainty"), t->certainty, "%s: info certainty",
			       t->file);
		}
		jv_free(v);
	}
}

/* Fields beyond the common ones, in a few alerts. */
static void test_fields(void)
{
	char *err = NULL;
	jv v = parse_file("thunderstorm.cap", &err);
	is_str(at(v, "info.0.language"), "en-US", "thunderstorm: language defaults to en-US");
	is_str(at(v, "info.0.category"), "[\"Met\"]", "thunderstorm: category");
	is_str(at(v, "info.0.response_type"), "[\"Shelter\"]", "thunderstorm: response_type");
	is_str(at(v, "info.0.headline"), "SEVERE THUNDERSTORM WARNING", "thunderstorm: headline");
	ok(has(at(v, "info.0.description"), "AT 254 PM PDT...NATIONAL WEATHER SERVICE DOPPLER"),
	   "thunderstorm: description");
	is_str(at(v, "info.0.instruction"),
	       "TAKE COVER IN A SUBSTANTIAL SHELTER UNTIL THE STORM PASSES.",
	       "thunderstorm: instruction");
	is_str(at(v, "info.0.expires"), "2003-06-17T23:00:00Z", "thunderstorm: expires in UTC");
	is_str(at(v, "info.0.event_code.0.value"), "SVR", "thunderstorm: event code");
	is_str(at(v, "info.0.area.0.polygon.0"),
	       "38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14",
	       "thunderstorm: polygon");
	is_str(at(v, "info.0.area.0.geocode.2"), "{\"value_name\":\"SAME\",\"value\":\"006003\"}",
	       "thunderstorm: third geocode");
	ok(at(v, "restriction") == NULL && at(v, "references") == NULL,
	   "thunderstorm: no restriction, no references");
	jv_free(v);

	v = parse_file("canada.cap", &err);
	is_str(at(v, "references.0.sender"), "cap@ec.gc.ca", "canada: first reference sender");
	is_str(at(v, "references.0.identifier"), "2.49.0.1.124.a3f342a4.2012",
	       "canada: first reference identifier");
	is_str(at(v, "references.1.sent"), "2012-05-02T21:55:21Z",
	       "canada: second reference sent in UTC");
	is_str(at(v, "info.1.language"), "fr-CA", "canada: second info in French");
	is_str(at(v, "source"), "Environment Canada - Environnement Canada - Toronto (CWTO)",
	       "canada: source");
	jv_free(v);

	v = parse_file("43b080713727.cap", &err);
	is_str(at(v, "info.0.resource.0.mime_type"), "image/gif", "43b080713727: resource type");
	is_str(at(v, "info.0.parameter.0.value"), "ORANGE", "43b080713727: parameter");
	is_str(at(v, "info.0.area.0.area_desc"), "U.S. nationwide and interests worldwide",
	       "43b080713727: area_desc");
	jv_free(v);

	/* ISO-8859-1 on the wire, UTF-8 out: á is C3 A1. */
	v = parse_file("earthquake-iso8859-1.cap", &err);
	is_str(at(v, "info.0.headline"),
	       "EQ 4.6 Usulut\xc3\xa1n, Usulut\xc3\xa1n, El Salvador - PRELIMINARY REPORT",
	       "earthquake-iso8859-1: headline decoded to UTF-8");
	is_str(at(v, "info.0.area.0.circle.0"), "12.747,-88.783 0.0",
	       "earthquake-iso8859-1: circle");
	is_str(at(v, "info.0.onset"), "2012-10-14T22:40:56Z", "earthquake-iso8859-1: onset");
	jv_free(v);
}

static void test_invalid(void)
{
	static const struct {
		const char *file, *want[3];
	} bad[] = {
	    {"invalid.cap", {"CAP 1.2 schema", "line 9: Element 'info'", "scope"}},
	    {"noaa_errors.cap", {"CAP 1.1 schema", "line 17: Element 'urgency'", "enumeration"}},
	    {"canada_errors.cap", {"line 12", "references", "empty"}},
	    {"xee.cap", {"line 4", "entity 'remote'", "refused"}},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *err = NULL;
		jv v = parse_file(bad[i].file, &err);
		ok(!jv_is_valid(v), "%s is rejected", bad[i].file);
		for (int k = 0; k < 3; k++)
			if (!ok(has(err, bad[i].want[k]), "%s: reason names '%s'", bad[i].file,
				bad[i].want[k]))
				printf("#   reason: %s\n", err ? err : "(none)");
		jv_free(v);
		free(err);
	}
}

#define ALERT_HEAD                                                                                 \
	"<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"                                   \
	"<identifier>%s</identifier><sender>ncb.lyon@example.org</sender>"                         \
	"<sent>2025-11-14T10:00:00+01:00</sent><status>Exercise</status><msgType>%s</msgType>"     \
	"<scope>%s</scope>%s"                                                                      \
	"<info><category>Security</category><event>Drill</event><urgency>Expected</urgency>"       \
	"<severity>Minor</severity><certainty>Likely</certainty><headline>%s</headline>"           \
	"<area><areaDesc>Lyon</areaDesc></area></info></alert>"

static jv alert(const char *prolog, const char *id, const char *msg_type, const char *scope,
		const char *extra, const char *headline, char **err)
{
	char xml[4096];
	int n = snprintf(xml, sizeof xml, "%s", prolog);
	snprintf(xml + n, sizeof xml - (size_t)n, ALERT_HEAD, id, msg_type, scope, extra, headline);
	return parse_str(xml, err);
}

static void expect_reject(jv v, char *err, const char *want, const char *name)
{
	ok(!jv_is_valid(v), "%s: rejected", name);
	if (!ok(has(err, want), "%s: reason names '%s'", name, want))
		printf("#   reason: %s\n", err ? err : "(none)");
	jv_free(v);
	free(err);
}

/* Rules of the CAP 1.2 text that the schema cannot say. */
static void test_spec_rules(void)
{
	char *err = NULL;
	jv v = alert("", "NCB-LYON-2025-0042", "Alert", "Public", "", "Exercise", &err);
	ok(jv_is_valid(v), "a minimal alert is accepted");
	is_str(at(v, "sent"), "2025-11-14T09:00:00Z", "minimal alert: +01:00 made UTC");
	is_str(at(v, "info.0.description"), "", "minimal alert: absent description is empty");
	ok(at(v, "info.0.instruction") == NULL, "minimal alert: absent instruction is absent");
	jv_free(v);

	v = alert("", "NCB LYON 42", "Alert", "Public", "", "x", &err);
	expect_reject(v, err, "identifier holds white space", "identifier with spaces");
	v = alert("", "NCB-LYON,42", "Alert", "Public", "", "x", &err);
	expect_reject(v, err, "identifier holds a comma", "identifier with a comma");
	v = alert("", "NCB-LYON-&amp;42", "Alert", "Public", "", "x", &err);
	expect_reject(v, err, "identifier holds '<' or '&'", "identifier with &");
	v = alert("", "A-1", "Alert", "Private", "", "x", &err);
	expect_reject(v, err, "addresses: required when scope is Private", "private, no addresses");
	v = alert("", "A-1", "Update", "Public",
		  "<references>ncb.lyon@example.org,A-0</references>", "x", &err);
	expect_reject(v, err, "is not sender,identifier,sent", "reference without sent");
	v = alert("", "A-1", "Update", "Public",
		  "<references>ncb.lyon@example.org,A-0,yesterday</references>", "x", &err);
	expect_reject(v, err, "'yesterday' is not a date-time", "reference with a bad time");

	v = alert("", "A-2", "Alert", "Private",
		  "<addresses>\"NCB Buenos Aires\" ncb.madrid@example.es</addresses>", "x", &err);
	ok(jv_is_valid(v), "private alert with addresses is accepted");
	is_str(at(v, "addresses"), "[\"NCB Buenos Aires\",\"ncb.madrid@example.es\"]",
	       "addresses: quoted entries keep their spaces");
	jv_free(v);

	v = alert("", "A-3", "Alert", "Restricted", "<restriction>NCBs only</restriction>", "x",
		  &err);
	is_str(at(v, "restriction"), "NCBs only", "restriction");
	jv_free(v);

	v = alert("", "A-4", "Alert", "Public", "", "Caf&#233; &amp; bar", &err);
	is_str(at(v, "info.0.headline"), "Café & bar", "character references decoded");
	jv_free(v);
}

static void test_not_cap(void)
{
	char *err = NULL;
	jv v = parse_str("<alert xmlns=\"http://www.incident.com/cap/1.0\"/>", &err);
	expect_reject(v, err, "CAP 1.0 is not supported", "CAP 1.0");
	v = parse_str("<alert xmlns=\"urn:example\"/>", &err);
	expect_reject(v, err, "not a CAP alert", "alert in another namespace");
	v = parse_str("<rss version=\"2.0\"/>", &err);
	expect_reject(v, err, "the root element is 'rss'", "a feed");
	v = parse_str("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n<identifier>", &err);
	expect_reject(v, err, "XML: line 2", "truncated alert");
	v = cap_parse("", 0, &err);
	expect_reject(v, err, "XML", "empty input");
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
	ssize_t n = read(fd, ev, sizeof ev);
	ok(n > 0, "inotify sees an open of %s (the watch works)", path);
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

/* A DOCTYPE naming an external DTD that declares &secret;: the DTD is never
 * opened, so the reference is left undeclared and the alert refused. */
static void test_external_dtd(void)
{
	int fd = watch(FIXTURES "secret.dtd");
	char *err = NULL;
	jv v = alert("<!DOCTYPE alert SYSTEM \"" FIXTURES "secret.dtd\">", "DTD-1", "Alert",
		     "Public", "", "Secret [&secret;]", &err);
	ok(!has(err, "CCC-SECRET"), "the DTD's text is not in the reason");
	expect_reject(v, err, "line 1: reference to entity 'secret', which is not declared",
		      "alert with an external DTD");

	v = alert("<!DOCTYPE alert [<!ENTITY % d SYSTEM \"" FIXTURES "secret.dtd\"> %d;]>", "DTD-2",
		  "Alert", "Public", "", "Secret [&secret;]", &err);
	expect_reject(v, err, "entity 'd' declared in the DOCTYPE", "parameter entity to the DTD");
	v = alert("<!DOCTYPE alert [<!ENTITY s SYSTEM \"file:///etc/passwd\">]>", "DTD-3", "Alert",
		  "Public", "", "Secret [&s;]", &err);
	expect_reject(v, err, "entity 's' declared in the DOCTYPE",
		      "external entity to /etc/passwd");
	v = alert("<!DOCTYPE alert [<!ENTITY s \"internal\">]>", "DTD-4", "Alert", "Public", "",
		  "[&s;]", &err);
	expect_reject(v, err, "entity 's' declared in the DOCTYPE", "internal entity");
	ok(fd >= 0 && !opened(fd), "secret.dtd was never opened");
	if (fd >= 0)
		close(fd);
}

/* Figures for the report, not assertions. */
static void measure(void)
{
	size_t len = 0;
	char *buf = slurp(FIXTURES "canada.cap", &len);
	struct timespec a, b;
	int n = 2000, good = 0;

	if (!buf)
		return;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++) {
		char *err = NULL;
		jv v = cap_parse(buf, len, &err);
		good += jv_is_valid(v);
		jv_free(v);
		free(err);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double us =
	    ((double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3) / n;
	ok(good == n, "canada.cap parsed %d times", n);
	printf("# cap_parse: %.1f us per alert (canada.cap, %zu bytes, schema-validated)\n", us,
	       len);
	free(buf);
}

int main(void)
{
	test_embedded_schema();
	test_valid();
	test_fields();
	test_invalid();
	test_spec_rules();
	test_not_cap();
	test_external_dtd();
	measure();
	cap_cleanup();
	xmlCleanupParser();
	return tap_done();
}
