/*
 * reply.c: the text of a reply to a bureau (see reply.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccc/json.h"
#include "ccc/reply.h"
#include "ccc/xmalloc.h"

enum lang { L_AR, L_EN, L_FR, L_ES, NLANG };
static const char *const lang_codes[NLANG] = {"ar", "en", "fr", "es"};

static enum lang lang_index(const char *lang)
{
	for (int i = 0; i < NLANG; i++)
		if (lang && !strcmp(lang, lang_codes[i]))
			return (enum lang)i;
	return L_EN;
}

const char *reply_language(const char *lang)
{
	return lang_codes[lang_index(lang)];
}

/* ---- the shipped templates ---- */

static const struct {
	const char *name;
	const char *text[NLANG];
} shipped[] = {
    {"results",
     {
	 [L_AR] = "رد: {their_subject}\n\n"
		  "مرجعكم: {their_ref}\n"
		  "مرجعنا: {our_ref}\n\n"
		  "{text}"
		  "نتائج عمليات التحقق التي أجريت بشأن رسالتكم:\n"
		  "{results}\n"
		  "مركز القيادة والتنسيق، {site}\n",
	 [L_EN] = "Re: {their_subject}\n\n"
		  "Your reference: {their_ref}\n"
		  "Our reference: {our_ref}\n\n"
		  "{text}"
		  "Results of the checks made for your message:\n"
		  "{results}\n"
		  "Command and Coordination Centre, {site}\n",
	 [L_FR] = "Re: {their_subject}\n\n"
		  "Votre référence : {their_ref}\n"
		  "Notre référence : {our_ref}\n\n"
		  "{text}"
		  "Résultats des vérifications faites pour votre message :\n"
		  "{results}\n"
		  "Centre de commandement et de coordination, {site}\n",
	 [L_ES] = "Re: {their_subject}\n\n"
		  "Su referencia: {their_ref}\n"
		  "Nuestra referencia: {our_ref}\n\n"
		  "{text}"
		  "Resultados de las comprobaciones hechas para su mensaje:\n"
		  "{results}\n"
		  "Centro de Mando y Coordinación, {site}\n",
     }},
    {"received",
     {
	 [L_AR] = "رد: {their_subject}\n\n"
		  "مرجعكم: {their_ref}\n"
		  "مرجعنا: {our_ref}\n\n"
		  "{text}"
		  "تم استلام رسالتكم وهي قيد المعالجة. سنوافيكم بالنتائج.\n\n"
		  "مركز القيادة والتنسيق، {site}\n",
	 [L_EN] = "Re: {their_subject}\n\n"
		  "Your reference: {their_ref}\n"
		  "Our reference: {our_ref}\n\n"
		  "{text}"
		  "Your message has been received and is being dealt with. The results will "
		  "follow.\n\n"
		  "Command and Coordination Centre, {site}\n",
	 [L_FR] = "Re: {their_subject}\n\n"
		  "Votre référence : {their_ref}\n"
		  "Notre référence : {our_ref}\n\n"
		  "{text}"
		  "Votre message a été reçu et il est en cours de traitement. Les résultats "
		  "suivront.\n\n"
		  "Centre de commandement et de coordination, {site}\n",
	 [L_ES] = "Re: {their_subject}\n\n"
		  "Su referencia: {their_ref}\n"
		  "Nuestra referencia: {our_ref}\n\n"
		  "{text}"
		  "Hemos recibido su mensaje y lo estamos tramitando. Le enviaremos los "
		  "resultados.\n\n"
		  "Centro de Mando y Coordinación, {site}\n",
     }},
};

const char *reply_shipped_template(const char *name, const char *lang)
{
	for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++)
		if (name && !strcmp(shipped[i].name, name))
			return shipped[i].text[lang_index(lang)];
	return NULL;
}

int reply_template_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (!n || n > 64)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

/* ---- the results of the checks ---- */

static const struct {
	const char *db;
	const char *name[NLANG];
} db_names[] = {
    {"documents", {"وثيقة", "Document", "Document", "Documento"}},
    {"persons", {"شخص", "Person", "Personne", "Persona"}},
    {"vehicles", {"مركبة", "Vehicle", "Véhicule", "Vehículo"}},
    {"firearms", {"سلاح ناري", "Firearm", "Arme à feu", "Arma de fuego"}},
    {"artworks", {"عمل فني", "Work of art", "Œuvre d'art", "Obra de arte"}},
    {"vessels", {"سفينة", "Vessel", "Navire", "Buque"}},
};

static const struct {
	const char *status;
	const char *name[NLANG];
} status_names[] = {
    {"stolen", {"مسروقة", "stolen", "volé", "robado"}},
    {"lost", {"مفقودة", "lost", "perdu", "extraviado"}},
    {"revoked", {"ملغاة", "revoked", "révoqué", "revocado"}},
    {"invalid", {"غير صالحة", "invalid", "invalide", "no válido"}},
    {"stolen-blank", {"وثيقة فارغة مسروقة", "stolen blank", "vierge volé", "en blanco robado"}},
};

static const char *const phrase_none[NLANG] = {"لا يوجد سجل مطابق.", "no record matches.",
					       "aucun enregistrement ne correspond.",
					       "ningún registro coincide."};
static const char *const phrase_match[NLANG] = {
    "يوجد سجل مطابق", "a record matches", "un enregistrement correspond", "un registro coincide"};
static const char *const phrase_held[NLANG] = {"لدى المكتب المركزي الوطني %s", "held by NCB %s",
					       "détenu par le BCN %s", "en poder de la OCN %s"};
static const char *const phrase_restricted[NLANG] = {
    "يوجد سجل مطابق لدى المكتب المركزي الوطني %s؛ يرجى الاتصال به.",
    "a record held by NCB %s matches; contact them.",
    "un enregistrement détenu par le BCN %s correspond ; veuillez le contacter.",
    "un registro en poder de la OCN %s coincide; póngase en contacto con ella."};
static const char *const phrase_notice[NLANG] = {"النشرة", "notice", "notice", "notificación"};
static const char *const phrase_no_checks[NLANG] = {"لم تجر أي عملية تحقق.", "No check was made.",
						    "Aucune vérification n'a été faite.",
						    "No se hizo ninguna comprobación."};
static const char *const colon[NLANG] = {": ", ": ", " : ", ": "};

static const char *db_label(const char *db, enum lang l)
{
	for (size_t i = 0; i < sizeof db_names / sizeof db_names[0]; i++)
		if (db && !strcmp(db_names[i].db, db))
			return db_names[i].name[l];
	return NULL;
}

static const char *status_label(const char *s, enum lang l)
{
	for (size_t i = 0; s && i < sizeof status_names / sizeof status_names[0]; i++)
		if (!strcmp(status_names[i].status, s))
			return status_names[i].name[l];
	return s;
}

/* An owner as printed: two letters, else "?" (it is another site's data). */
static void owner_code(jv hit, char out[3])
{
	const char *o = jv_get_str(hit, "owner");
	if (o && strlen(o) == 2 && o[0] >= 'A' && o[0] <= 'Z' && o[1] >= 'A' && o[1] <= 'Z')
		memcpy(out, o, 3);
	else
		memcpy(out, "?", 2);
}

/* What was asked, as the query's string values: "X1234567 MA". */
static void query_text(struct buf *out, jv query)
{
	int first = 1;
	if (jv_get_kind(query) != JV_KIND_OBJECT)
		return;
	jv_object_foreach (query, k, v) {
		if (jv_get_kind(v) == JV_KIND_STRING && jv_string_length_bytes(jv_copy(v)) > 0) {
			if (!first)
				buf_addc(out, ' ');
			/* one line: the bureau's own words may hold line breaks */
			for (const char *p = jv_string_value(v); *p; p++)
				buf_addc(out, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
			first = 0;
		}
		jv_free(k);
		jv_free(v);
	}
}

/* The results of checks in lang, one line a check (appended to out). */
static void reply_results(struct buf *out, jv checks, const char *lang, int *discloses)
{
	enum lang l = lang_index(lang);
	int any = 0;
	char buf[512];
	*discloses = 0;
	if (jv_get_kind(checks) != JV_KIND_ARRAY) {
		buf_adds(out, phrase_no_checks[l]);
		buf_addc(out, '\n');
		return;
	}
	jv_array_foreach (checks, i, c) {
		const char *db = jv_get_str(c, "db");
		const char *label = db_label(db, l);
		if (!label) { /* mrz and vin checks: findings, not records */
			jv_free(c);
			continue;
		}
		any = 1;
		buf_adds(out, "- ");
		buf_adds(out, label);
		buf_addc(out, ' ');
		jv q = jv_object_get(jv_copy(c), jv_string("query"));
		query_text(out, q);
		jv_free(q);
		buf_adds(out, colon[l]);
		jv hits = jv_object_get(jv_copy(c), jv_string("hits"));
		int n = jv_get_kind(hits) == JV_KIND_ARRAY ? jv_array_length(jv_copy(hits)) : 0;
		if (!n)
			buf_adds(out, phrase_none[l]);
		for (int h = 0; h < n; h++) {
			jv hit = jv_array_get(jv_copy(hits), h);
			char owner[3];
			owner_code(hit, owner);
			if (h)
				buf_adds(out, "; ");
			if (!strcmp(db, "persons") || !strcmp(db, "documents"))
				*discloses = 1;
			jv r = jv_object_get(jv_copy(hit), jv_string("restricted"));
			int restricted = jv_get_kind(r) != JV_KIND_FALSE;
			jv_free(r);
			if (restricted) {
				/* nothing but its owner: the requester may not see it */
				snprintf(buf, sizeof buf, phrase_restricted[l], owner);
				buf_adds(out, buf);
			} else {
				buf_adds(out, phrase_match[l]);
				const char *st = status_label(jv_get_str(hit, "status"), l);
				const char *notice = jv_get_str(hit, "notice");
				if (st && *st) {
					buf_adds(out, colon[l]);
					buf_adds(out, st);
				}
				if (notice && *notice) {
					buf_adds(out, l == L_AR ? "، " : ", ");
					buf_adds(out, phrase_notice[l]);
					buf_addc(out, ' ');
					buf_adds(out, notice);
				}
				buf_adds(out, " (");
				snprintf(buf, sizeof buf, phrase_held[l], owner);
				buf_adds(out, buf);
				buf_adds(out, ").");
			}
			jv_free(hit);
		}
		jv_free(hits);
		buf_addc(out, '\n');
		jv_free(c);
	}
	if (!any) {
		buf_adds(out, phrase_no_checks[l]);
		buf_addc(out, '\n');
	}
}

/* ---- filling a template ---- */

static int fill(struct buf *out, const char *tpl, size_t n, const struct reply_fields *f,
		const char *results, const char *text, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (tpl[i] != '{') {
			buf_addc(out, tpl[i]);
			continue;
		}
		if (i + 1 < n && tpl[i + 1] == '{') {
			buf_addc(out, '{');
			i++;
			continue;
		}
		const char *close = memchr(tpl + i, '}', n - i);
		if (!close) {
			snprintf(err, errlen, "a '{' without its '}'");
			return -1;
		}
		size_t len = (size_t)(close - tpl - i - 1);
		const char *name = tpl + i + 1, *v = NULL;
#define FIELD(s) (len == strlen(s) && !memcmp(name, s, len))
		if (FIELD("their_ref"))
			v = f->their_ref;
		else if (FIELD("their_subject"))
			v = f->their_subject;
		else if (FIELD("our_ref"))
			v = f->our_ref;
		else if (FIELD("site"))
			v = f->site;
		else if (FIELD("results"))
			v = results;
		else if (FIELD("text"))
			v = text;
		else {
			snprintf(err, errlen, "unknown field {%.*s}", (int)(len > 40 ? 40 : len),
				 name);
			return -1;
		}
#undef FIELD
		buf_adds(out, v ? v : "");
		i = (size_t)(close - tpl);
	}
	return 0;
}

int reply_compose(const char *tpl, const char *lang, const struct reply_fields *f, char **subject,
		  char **body, int *discloses, char *err, size_t errlen)
{
	const char *nl = strchr(tpl, '\n');
	if (!nl || nl == tpl || nl[1] != '\n') {
		snprintf(err, errlen,
			 "the template's first line is the subject, then an empty line");
		return -1;
	}
	struct buf results = {0}, text = {0}, s = {0}, b = {0};
	reply_results(&results, f->checks, lang, discloses);
	buf_addc(&results, '\0');
	if (f->text && *f->text) {
		buf_adds(&text, f->text);
		if (text.p[text.len - 1] != '\n')
			buf_addc(&text, '\n');
		buf_addc(&text, '\n');
	}
	buf_addc(&text, '\0');
	int rc = fill(&s, tpl, (size_t)(nl - tpl), f, results.p, text.p, err, errlen);
	if (!rc)
		rc = fill(&b, nl + 2, strlen(nl + 2), f, results.p, text.p, err, errlen);
	buf_free(&results);
	buf_free(&text);
	if (rc) {
		buf_free(&s);
		buf_free(&b);
		return -1;
	}
	/* the subject is one line, whatever the bureau's subject held */
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] == '\n' || s.p[i] == '\r' || s.p[i] == '\t')
			s.p[i] = ' ';
	buf_addc(&s, '\0');
	buf_addc(&b, '\0');
	*subject = s.p;
	*body = b.p;
	return 0;
}
