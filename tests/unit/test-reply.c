/*
 * test-reply: replies in the four languages, and what a restricted hit may
 * say (its owner, nothing else).
 */
#include <stdlib.h>
#include <string.h>

#include "ccc/json.h"
#include "ccc/reply.h"
#include "tap.h"

static const char *checks_json =
    "[{\"db\":\"documents\",\"query\":{\"number\":\"X1234567\",\"country\":\"MA\"},"
    "\"hits\":[{\"id\":\"D-1\",\"score\":1,\"status\":\"stolen\",\"owner\":\"MA\","
    "\"restricted\":false}]},"
    "{\"db\":\"persons\",\"query\":{\"name\":\"Ivan Petrov\",\"dob\":\"1980-03-14\"},"
    "\"hits\":[{\"restricted\":true,\"owner\":\"FR\",\"band\":\"match\","
    "\"id\":\"P-SECRET\",\"record\":{\"name\":\"Ivan PETROV\",\"notes\":\"informant\"}}]},"
    "{\"db\":\"vehicles\",\"query\":{\"vin\":\"WVWZZZ1JZ3W386752\"},\"hits\":[]},"
    "{\"db\":\"mrz\",\"findings\":[]}]";

int main(void)
{
	jv checks = jv_parse(checks_json);
	struct reply_fields f = {.their_ref = "msg-77@ncb.example.ma",
				 .their_subject = "Passport check\nBcc: x",
				 .our_ref = "msg-lyon-12",
				 .text = "The traveller may be held until we hear from NCB Paris.",
				 .site = "lyon",
				 .checks = checks};
	char *subject, *body, err[256];
	int discloses = -1;

	is_str(reply_language("fr"), "fr", "fr is a reply language");
	is_str(reply_language("de"), "en", "another language gets English");
	is_str(reply_language(NULL), "en", "none gets English");

	ok(reply_compose(reply_shipped_template("results", "en"), "en", &f, &subject, &body,
			 &discloses, err, sizeof err) == 0,
	   "en: composed");
	is_str(subject, "Re: Passport check Bcc: x", "the subject is one line");
	ok(!!strstr(body, "Your reference: msg-77@ncb.example.ma\nOur reference: msg-lyon-12\n"),
	   "their reference and ours");
	ok(!!strstr(body, "- Document X1234567 MA: a record matches: stolen (held by NCB MA).\n"),
	   "a document hit, with its status and owner");
	ok(!!strstr(body, "- Person Ivan Petrov 1980-03-14: a record held by NCB FR matches; "
			  "contact them.\n"),
	   "a restricted hit: its owner and nothing else");
	ok(!strstr(body, "P-SECRET") && !strstr(body, "informant") && !strstr(body, "PETROV"),
	   "nothing of the restricted record reaches the reply");
	ok(!!strstr(body, "- Vehicle WVWZZZ1JZ3W386752: no record matches.\n"),
	   "a check without hits");
	ok(!strstr(body, "mrz"), "an MRZ check (findings, no records) is not listed");
	ok(!!strstr(body, "The traveller may be held until we hear from NCB Paris.\n\n"),
	   "the officer's text");
	ok(discloses == 1, "a hit on a document or a person must be reviewed");
	free(subject);
	free(body);

	static const struct {
		const char *lang, *want;
	} langs[] = {
	    {"fr",
	     "- Document X1234567 MA : un enregistrement correspond : volé (détenu par le BCN "
	     "MA).\n"},
	    {"es", "- Persona Ivan Petrov 1980-03-14: un registro en poder de la OCN FR coincide; "
		   "póngase en contacto con ella.\n"},
	    {"ar", "- وثيقة X1234567 MA: يوجد سجل مطابق: مسروقة (لدى المكتب المركزي الوطني MA).\n"},
	};
	for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
		ok(reply_compose(reply_shipped_template("results", langs[i].lang), langs[i].lang,
				 &f, &subject, &body, &discloses, err, sizeof err) == 0 &&
		       strstr(body, langs[i].want),
		   "%s: the results in the bureau's language", langs[i].lang);
		free(subject);
		free(body);
	}

	jv none =
	    jv_parse("[{\"db\":\"documents\",\"query\":{\"number\":\"A1\",\"country\":\"ES\"},"
		     "\"hits\":[]}]");
	f.checks = none;
	ok(reply_compose(reply_shipped_template("results", "es"), "es", &f, &subject, &body,
			 &discloses, err, sizeof err) == 0 &&
	       discloses == 0,
	   "a reply with no hit may be sent by its drafter");
	free(subject);
	free(body);
	f.checks = jv_null();
	ok(reply_compose(reply_shipped_template("received", "fr"), "fr", &f, &subject, &body,
			 &discloses, err, sizeof err) == 0 &&
	       strstr(body, "Les résultats suivront."),
	   "the acknowledgement template");
	free(subject);
	free(body);

	ok(reply_compose("{their_subject}\n\n{secret}\n", "en", &f, &subject, &body, &discloses,
			 err, sizeof err) < 0,
	   "a template with an unknown field is refused");
	is_str(err, "unknown field {secret}", "and names it");
	ok(reply_compose("no subject line", "en", &f, &subject, &body, &discloses, err,
			 sizeof err) < 0,
	   "a template without its subject line is refused");
	ok(reply_compose("S {{x}\n\n{{ {our_ref}\n", "en", &f, &subject, &body, &discloses, err,
			 sizeof err) == 0 &&
	       !strcmp(subject, "S {x}") && !strcmp(body, "{ msg-lyon-12\n"),
	   "{{ is a brace");
	free(subject);
	free(body);
	ok(reply_template_name_ok("urgent-ack") && !reply_template_name_ok("../x") &&
	       !reply_template_name_ok(""),
	   "template names");
	ok(reply_shipped_template("nope", "en") == NULL, "no such shipped template");
	jv_free(none);
	jv_free(checks);
	return tap_done();
}
