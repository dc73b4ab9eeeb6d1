/*
 * notice-export.c: CAP 1.2 alerts, the public extract and the table rows of
 * notices, diffusions and alerts.
 *
 * The XML is written with libxml2's xmlTextWriter, which escapes '<', '&'
 * and '>' in text; characters XML 1.0 cannot carry at all (C0 controls but
 * tab, newline and carriage return; U+FFFE, U+FFFF) become U+FFFD first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "ccc/cap.h"
#include "ccc/clock.h"
#include "ccc/json.h"
#include "ccc/notice-export.h"
#include "ccc/notice.h"
#include "ccc/utf8.h"
#include "ccc/xmalloc.h"

/* ---- words in the four languages (ar, en, fr, es: the order of notice_langs) ---- */

enum { L_AR, L_EN, L_FR, L_ES, NLANG };

static int lang_index(const char *l)
{
	for (int i = 0; i < NLANG; i++)
		if (!strcmp(notice_langs[i], l))
			return i;
	return L_EN;
}

/* A kind's name, and what it is for (the CAP event of a notice). */
static const char *const kind_words[NOTICE_NKINDS][2][NLANG] = {
    [NOTICE_RED] = {{"نشرة حمراء", "Red notice", "Notice rouge", "Notificación roja"},
		    {"نشرة حمراء: شخص مطلوب", "Red notice: wanted person",
		     "Notice rouge : personne recherchée", "Notificación roja: persona buscada"}},
    [NOTICE_YELLOW] = {{"نشرة صفراء", "Yellow notice", "Notice jaune", "Notificación amarilla"},
		       {"نشرة صفراء: شخص مفقود", "Yellow notice: missing person",
			"Notice jaune : personne disparue",
			"Notificación amarilla: persona desaparecida"}},
    [NOTICE_BLUE] = {{"نشرة زرقاء", "Blue notice", "Notice bleue", "Notificación azul"},
		     {"نشرة زرقاء: طلب معلومات", "Blue notice: information sought",
		      "Notice bleue : recherche d'informations",
		      "Notificación azul: búsqueda de información"}},
    [NOTICE_BLACK] = {{"نشرة سوداء", "Black notice", "Notice noire", "Notificación negra"},
		      {"نشرة سوداء: جثة مجهولة الهوية", "Black notice: unidentified body",
		       "Notice noire : corps non identifié",
		       "Notificación negra: cadáver sin identificar"}},
    [NOTICE_GREEN] = {{"نشرة خضراء", "Green notice", "Notice verte", "Notificación verde"},
		      {"نشرة خضراء: تحذير من نشاط إجرامي", "Green notice: warning about a person",
		       "Notice verte : mise en garde", "Notificación verde: advertencia"}},
    [NOTICE_ORANGE] = {{"نشرة برتقالية", "Orange notice", "Notice orange", "Notificación naranja"},
		       {"نشرة برتقالية: تهديد خطير ووشيك",
			"Orange notice: serious and imminent threat",
			"Notice orange : menace grave et imminente",
			"Notificación naranja: amenaza grave e inminente"}},
    [NOTICE_PURPLE] = {{"نشرة بنفسجية", "Purple notice", "Notice mauve", "Notificación morada"},
		       {"نشرة بنفسجية: أسلوب إجرامي", "Purple notice: modus operandi",
			"Notice mauve : mode opératoire", "Notificación morada: modus operandi"}},
    [NOTICE_SILVER] = {{"نشرة فضية", "Silver notice", "Notice argent", "Notificación plateada"},
		       {"نشرة فضية: أصول إجرامية", "Silver notice: criminal assets",
			"Notice argent : avoirs criminels",
			"Notificación plateada: activos delictivos"}},
    [NOTICE_UN_SPECIAL] = {{"نشرة خاصة للإنتربول والأمم المتحدة", "INTERPOL-UN special notice",
			    "Notice spéciale INTERPOL-ONU", "Notificación especial INTERPOL-ONU"},
			   {"نشرة خاصة للإنتربول ومجلس الأمن التابع للأمم المتحدة",
			    "INTERPOL-United Nations Security Council special notice",
			    "Notice spéciale INTERPOL-Conseil de sécurité des Nations Unies",
			    "Notificación especial INTERPOL-Consejo de Seguridad de las "
			    "Naciones Unidas"}},
    [NOTICE_DIFFUSION] = {{"تعميم", "Diffusion", "Diffusion", "Difusión"},
			  {"تعميم", "Diffusion", "Diffusion", "Difusión"}},
    [NOTICE_ALERT] = {{"تنبيه", "Alert", "Alerte", "Alerta"},
		      {"تنبيه من غرفة العمليات", "Operations room alert",
		       "Alerte de la salle des opérations", "Alerta de la sala de operaciones"}},
};

static const struct {
	const char *region, *words[NLANG];
} region_words[] = {
    {"africa", {"أفريقيا", "Africa", "Afrique", "África"}},
    {"americas", {"الأمريكتان", "Americas", "Amériques", "Américas"}},
    {"asia-south-pacific",
     {"آسيا وجنوب المحيط الهادئ", "Asia and South Pacific", "Asie et Pacifique Sud",
      "Asia y Pacífico Sur"}},
    {"europe", {"أوروبا", "Europe", "Europe", "Europa"}},
    {"mena",
     {"الشرق الأوسط وشمال أفريقيا", "Middle East and North Africa",
      "Moyen-Orient et Afrique du Nord", "Oriente Medio y Norte de África"}},
};

static const char *const charge_words[NLANG] = {
    "التهمة: ", "Charge: ", "Chef d'accusation : ", "Cargo: "};
static const char *const world_words[NLANG] = {"العالم", "World", "Monde", "Mundo"};
static const char *const countries_words[NLANG] = {"الدول", "Countries", "Pays", "Países"};
static const char *const sender_words[NLANG] = {"غرفة العمليات", "Operations room",
						"Salle des opérations", "Sala de operaciones"};

/* ---- the messages of a notice ---- */

int notice_cap_name_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (const char *p = s; *p; p++)
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',' || *p == '<' ||
		    *p == '&')
			return 0;
	return 1;
}

/* "2026-11-20T09:00:00Z" as CAP writes UTC: "2026-11-20T09:00:00-00:00". */
static void cap_time(const char *rfc3339, char *out, size_t n)
{
	snprintf(out, n, "%.19s-00:00", rfc3339 ? rfc3339 : "");
}

/* The CAP messages of rec from its log: [{"type", "sent"}], oldest first. */
static jv messages_of(jv rec)
{
	jv log = jv_object_get(jv_copy(rec), jv_string("log")), out = jv_array();
	int published = 0;
	if (jv_get_kind(log) == JV_KIND_ARRAY) {
		jv_array_foreach (log, i, e) {
			const char *a = jv_get_str(e, "action"), *type = NULL;
			if (a && !strcmp(a, "publish")) {
				published = 1;
				type = "Alert";
			} else if (published && a &&
				   (!strcmp(a, "update") || !strcmp(a, "renew"))) {
				type = "Update";
			} else if (published && a && !strcmp(a, "cancel")) {
				type = "Cancel";
			}
			if (type && jv_get_str(e, "at"))
				out = jv_array_append(out,
						      JV_OBJECT(jv_string("type"), jv_string(type),
								jv_string("sent"),
								jv_string(jv_get_str(e, "at"))));
			jv_free(e);
		}
	}
	jv_free(log);
	return out;
}

/* ---- XML ---- */

/* s with the characters XML 1.0 cannot carry replaced by U+FFFD; malloc'd. */
static char *xml_clean(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(n * 3 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
		    (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
			if (*p == 0xEF)
				p += 2;
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	return out;
}

static void el(xmlTextWriterPtr w, const char *name, const char *text)
{
	if (!text)
		return;
	char *t = xml_clean(text);
	xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST t);
	free(t);
}

static void value_pair(xmlTextWriterPtr w, const char *el_name, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	xmlTextWriterStartElement(w, BAD_CAST el_name);
	el(w, "valueName", name);
	el(w, "value", value);
	xmlTextWriterEndElement(w);
}

/* The string items of array field f of rec joined with sep, into b (NUL-terminated). */
static void join_field(jv rec, const char *f, const char *prefix, const char *sep, struct buf *b)
{
	jv a = jv_object_get(jv_copy(rec), jv_string(f));
	b->len = 0;
	if (jv_get_kind(a) == JV_KIND_ARRAY) {
		jv_array_foreach (a, i, x) {
			if (jv_get_kind(x) == JV_KIND_STRING) {
				if (b->len)
					buf_adds(b, sep);
				buf_adds(b, prefix);
				buf_adds(b, jv_string_value(x));
			}
			jv_free(x);
		}
	}
	jv_free(a);
	buf_addc(b, '\0');
}

static int has_items(jv rec, const char *f)
{
	jv a = jv_object_get(jv_copy(rec), jv_string(f));
	int n = jv_get_kind(a) == JV_KIND_ARRAY ? jv_array_length(jv_copy(a)) : 0;
	jv_free(a);
	return n > 0;
}

/* Public, Private (sent only to countries: their bureaus as addresses) or
 * Restricted (to regions, or to every member country), and what goes with it. */
static const char *scope_of(jv rec, struct buf *restriction, struct buf *addresses)
{
	struct buf t = {0};
	restriction->len = addresses->len = 0;
	if (notice_is_public(rec))
		return "Public";
	if (has_items(rec, "to") && !has_items(rec, "regions")) {
		join_field(rec, "to", "ncb:", " ", addresses);
		for (char *p = addresses->p; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p | 0x20);
		return "Private";
	}
	buf_adds(restriction, "For law enforcement only; sent to ");
	if (!has_items(rec, "regions") && !has_items(rec, "to")) {
		buf_adds(restriction, "every member country");
	} else {
		if (has_items(rec, "regions")) {
			join_field(rec, "regions", "", ", ", &t);
			buf_adds(restriction, "the regions ");
			buf_adds(restriction, t.p);
		}
		if (has_items(rec, "to")) {
			join_field(rec, "to", "", ", ", &t);
			buf_adds(restriction, has_items(rec, "regions") ? " and the countries "
									: "the countries ");
			buf_adds(restriction, t.p);
		}
	}
	buf_addc(restriction, '\0');
	buf_free(&t);
	return "Restricted";
}

static void area(xmlTextWriterPtr w, jv rec, int li)
{
	struct buf t = {0};
	int any = 0;
	jv regs = jv_object_get(jv_copy(rec), jv_string("regions"));
	if (jv_get_kind(regs) == JV_KIND_ARRAY) {
		jv_array_foreach (regs, i, r) {
			for (size_t k = 0; jv_get_kind(r) == JV_KIND_STRING &&
					   k < sizeof region_words / sizeof region_words[0];
			     k++) {
				if (strcmp(region_words[k].region, jv_string_value(r)) != 0)
					continue;
				xmlTextWriterStartElement(w, BAD_CAST "area");
				el(w, "areaDesc", region_words[k].words[li]);
				value_pair(w, "geocode", "ccc-region", region_words[k].region);
				xmlTextWriterEndElement(w);
				any = 1;
			}
			jv_free(r);
		}
	}
	jv_free(regs);
	if (has_items(rec, "to")) {
		join_field(rec, "to", "", " ", &t);
		struct buf desc = {0};
		buf_adds(&desc, countries_words[li]);
		buf_adds(&desc, li == L_FR ? " : " : ": ");
		buf_adds(&desc, t.p);
		buf_addc(&desc, '\0');
		xmlTextWriterStartElement(w, BAD_CAST "area");
		el(w, "areaDesc", desc.p);
		jv to = jv_object_get(jv_copy(rec), jv_string("to"));
		jv_array_foreach (to, i, cc) {
			if (jv_get_kind(cc) == JV_KIND_STRING)
				value_pair(w, "geocode", "ISO 3166-1 alpha-2", jv_string_value(cc));
			jv_free(cc);
		}
		jv_free(to);
		xmlTextWriterEndElement(w);
		buf_free(&desc);
		any = 1;
	}
	if (!any) {
		xmlTextWriterStartElement(w, BAD_CAST "area");
		el(w, "areaDesc", world_words[li]);
		xmlTextWriterEndElement(w);
	}
	buf_free(&t);
}

/* Urgency, severity and certainty: the notice's own, else the kind's. */
static const char *cap_word(jv rec, const char *field, int kind)
{
	static const char *const dflt[3][3] = {
	    /* orange */ {"Immediate", "Severe", "Likely"},
	    /* alert */ {"Expected", "Severe", "Possible"},
	    /* others */ {"Unknown", "Moderate", "Unknown"},
	};
	int f = !strcmp(field, "urgency") ? 0 : !strcmp(field, "severity") ? 1 : 2;
	int row = kind == NOTICE_ORANGE ? 0 : kind == NOTICE_ALERT ? 1 : 2;
	const char *s = jv_get_str(rec, field);
	if (s && *s)
		return s;
	if (kind == NOTICE_YELLOW)
		return f == 0 ? "Immediate" : f == 1 ? "Moderate" : "Observed";
	return dflt[row][f];
}

/* What the headline names: the subject's names, or the kind's main text. */
static void subject_of(jv rec, int kind, const char *lang, struct buf *b)
{
	b->len = 0;
	if (notice_kind_names_person(kind)) {
		const char *fn = jv_get_str(rec, "forename"), *nm = jv_get_str(rec, "name");
		if (fn && *fn) {
			buf_adds(b, fn);
			if (nm && *nm)
				buf_addc(b, ' ');
		}
		if (nm)
			buf_adds(b, nm);
	} else {
		const char *f = kind == NOTICE_ORANGE || kind == NOTICE_ALERT ? "threat"
				: kind == NOTICE_PURPLE                       ? "modus_operandi"
				: kind == NOTICE_SILVER                       ? "assets"
									      : NULL;
		const char *s = f ? notice_text(rec, f, lang) : NULL;
		if (s)
			buf_adds(b, s);
	}
	buf_addc(b, '\0');
}

/* The description: the kind's main text, then the description. */
static void description_of(jv rec, int kind, const char *lang, struct buf *b)
{
	const char *main = kind == NOTICE_RED         ? "charge"
			   : kind == NOTICE_BLUE      ? "purpose"
			   : kind == NOTICE_GREEN     ? "activities"
			   : kind == NOTICE_SILVER    ? "purpose"
			   : kind == NOTICE_DIFFUSION ? "purpose"
						      : NULL;
	const char *parts[2] = {main ? notice_text(rec, main, lang) : NULL,
				notice_text(rec, "description", lang)};
	b->len = 0;
	for (int i = 0; i < 2; i++) {
		if (!parts[i])
			continue;
		if (b->len)
			buf_adds(b, "\n\n");
		if (i == 0 && kind == NOTICE_RED)
			buf_adds(b, charge_words[lang_index(lang)]);
		buf_adds(b, parts[i]);
	}
	buf_addc(b, '\0');
}

static void info(xmlTextWriterPtr w, jv rec, int kind, const char *lang, const char *msg_type)
{
	int li = lang_index(lang);
	char exp[RFC3339_LEN + 8];
	struct buf t = {0}, h = {0};
	xmlTextWriterStartElement(w, BAD_CAST "info");
	el(w, "language", lang);
	el(w, "category", kind == NOTICE_YELLOW ? "Rescue" : "Security");
	const char *threat =
	    kind == NOTICE_ORANGE || kind == NOTICE_ALERT ? notice_text(rec, "threat", lang) : NULL;
	el(w, "event", threat ? threat : kind_words[kind][1][li]);
	if (!strcmp(msg_type, "Cancel"))
		el(w, "responseType", "AllClear");
	el(w, "urgency", cap_word(rec, "urgency", kind));
	el(w, "severity", cap_word(rec, "severity", kind));
	el(w, "certainty", cap_word(rec, "certainty", kind));
	value_pair(w, "eventCode", "ccc-notice-kind", notice_kind_name(kind));
	if (jv_get_str(rec, "expires_at")) {
		cap_time(jv_get_str(rec, "expires_at"), exp, sizeof exp);
		el(w, "expires", exp);
	}
	el(w, "senderName", sender_words[li]);
	const char *title = notice_text(rec, "title", lang);
	subject_of(rec, kind, lang, &t);
	if (title) {
		buf_adds(&h, title);
	} else if (*t.p) {
		buf_adds(&h, kind_words[kind][0][li]);
		buf_adds(&h, li == L_FR ? " : " : ": ");
		buf_adds(&h, t.p);
	} else {
		buf_adds(&h, kind_words[kind][1][li]);
	}
	buf_addc(&h, '\0');
	el(w, "headline", h.p);
	description_of(rec, kind, lang, &t);
	if (*t.p)
		el(w, "description", t.p);
	el(w, "instruction", notice_text(rec, "instruction", lang));
	value_pair(w, "parameter", "control_number", jv_get_str(rec, "control"));
	value_pair(w, "parameter", "requesting_country", jv_get_str(rec, "requesting_country"));
	if (notice_kind_names_person(kind)) {
		value_pair(w, "parameter", "name", jv_get_str(rec, "name"));
		value_pair(w, "parameter", "forename", jv_get_str(rec, "forename"));
		value_pair(w, "parameter", "date_of_birth", jv_get_str(rec, "dob"));
		join_field(rec, "nationalities", "", " ", &t);
		value_pair(w, "parameter", "nationalities", t.p);
	}
	area(w, rec, li);
	xmlTextWriterEndElement(w);
	buf_free(&t);
	buf_free(&h);
}

static int refuse(char *why, size_t n, const char *fmt, const char *a, const char *b)
{
	snprintf(why, n, fmt, a, b ? b : "");
	return -1;
}

int notice_cap(jv rec, const char *sender, struct buf *b, char *why, size_t n)
{
	const char *id = jv_get_str(rec, "id"), *status = jv_get_str(rec, "status");
	int kind = notice_kind_by_name(jv_get_str(rec, "kind"));
	if (!id || kind < 0)
		return refuse(why, n, "not a notice record%s%s", "", NULL);
	if (kind != NOTICE_ALERT && kind != NOTICE_ORANGE &&
	    !(notice_kind_publishable(kind) && notice_is_public(rec)))
		return refuse(why, n,
			      "notice '%s' has no public part: alerts, orange notices and public "
			      "red, yellow and un-special notices are exported as CAP%s",
			      id, NULL);
	jv msgs = messages_of(rec);
	int nmsg = jv_array_length(jv_copy(msgs));
	if (nmsg == 0) {
		jv_free(msgs);
		return refuse(why, n, "notice '%s' was never published (it is %s)", id,
			      status ? status : "?");
	}
	char ident[160], sent[RFC3339_LEN + 8];
	struct buf refs = {0}, restriction = {0}, addresses = {0};
	jv_array_foreach (msgs, i, m) {
		cap_time(jv_get_str(m, "sent"), sent, sizeof sent);
		snprintf(ident, sizeof ident, "%s.%d", id, i + 1);
		if (i + 1 < nmsg) {
			if (refs.len)
				buf_addc(&refs, ' ');
			buf_adds(&refs, sender);
			buf_addc(&refs, ',');
			buf_adds(&refs, ident);
			buf_addc(&refs, ',');
			buf_adds(&refs, sent);
		}
		jv_free(m);
	}
	buf_addc(&refs, '\0');
	jv last = jv_array_get(msgs, nmsg - 1);
	char type[16];
	snprintf(type, sizeof type, "%s", jv_get_str(last, "type"));
	cap_time(jv_get_str(last, "sent"), sent, sizeof sent);
	jv_free(last);

	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
	if (!w)
		xmalloc_failed();
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "alert");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST CAP_NS_12);
	el(w, "identifier", ident);
	el(w, "sender", sender);
	el(w, "sent", sent);
	el(w, "status", "Actual");
	el(w, "msgType", type);
	el(w, "scope", scope_of(rec, &restriction, &addresses));
	if (restriction.len)
		el(w, "restriction", restriction.p);
	if (addresses.len)
		el(w, "addresses", addresses.p);
	if (!strcmp(type, "Cancel"))
		el(w, "note", jv_get_str(rec, "cancel_reason"));
	if (refs.len > 1)
		el(w, "references", refs.p);
	if (jv_get_str(rec, "control"))
		el(w, "incidents", jv_get_str(rec, "control"));
	jv langs = notice_languages(rec);
	jv_array_foreach (langs, i, l) {
		info(w, rec, kind, jv_string_value(l), type);
		jv_free(l);
	}
	jv_free(langs);
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	buf_add(b, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	if (b->len && b->p[b->len - 1] != '\n')
		buf_addc(b, '\n');
	xmlBufferFree(xb);
	buf_free(&refs);
	buf_free(&restriction);
	buf_free(&addresses);
	return 0;
}

/* ---- the public extract ---- */

jv notice_public_extract(jv rec, char *why, size_t n)
{
	const char *id = jv_get_str(rec, "id"), *status = jv_get_str(rec, "status");
	int kind = notice_kind_by_name(jv_get_str(rec, "kind"));
	if (!id || kind < 0) {
		refuse(why, n, "not a notice record%s%s", "", NULL);
		return jv_invalid();
	}
	if (kind != NOTICE_RED && kind != NOTICE_YELLOW && kind != NOTICE_UN_SPECIAL) {
		refuse(why, n,
		       "notice '%s' is %s: only red, yellow and un-special notices have a public "
		       "extract",
		       id, notice_kind_name(kind));
		return jv_invalid();
	}
	if (!status || strcmp(status, "published") != 0) {
		refuse(why, n, "notice '%s' is %s: only published notices are public", id,
		       status ? status : "?");
		return jv_invalid();
	}
	if (!notice_is_public(rec)) {
		refuse(why, n,
		       "notice '%s' is not public: its requesting country did not agree to "
		       "publication%s",
		       id, NULL);
		return jv_invalid();
	}
	/* entity_id: the year of publication and the notice's number in the store. */
	char entity[64], dob[16];
	const char *num = strrchr(id, '-'), *pub = jv_get_str(rec, "published_at");
	snprintf(entity, sizeof entity, "%.4s/%05ld", pub ? pub : "0000",
		 num ? strtol(num + 1, NULL, 10) : 0L);
	const char *d = jv_get_str(rec, "dob"), *fn = jv_get_str(rec, "forename");
	jv out =
	    JV_OBJECT(jv_string("entity_id"), jv_string(entity), jv_string("forename"),
		      fn ? jv_string(fn) : jv_null(), jv_string("name"),
		      jv_get_str(rec, "name") ? jv_string(jv_get_str(rec, "name")) : jv_null());
	if (d && strlen(d) == 10) {
		snprintf(dob, sizeof dob, "%.4s/%.2s/%.2s", d, d + 5, d + 8);
		out = jv_object_set(out, jv_string("date_of_birth"), jv_string(dob));
	} else {
		out = jv_object_set(out, jv_string("date_of_birth"), jv_null());
	}
	jv nat = jv_object_get(jv_copy(rec), jv_string("nationalities"));
	if (jv_get_kind(nat) != JV_KIND_ARRAY) {
		jv_free(nat);
		nat = jv_array();
	}
	out = jv_object_set(out, jv_string("nationalities"), nat);
	if (kind == NOTICE_RED) {
		const char *c = jv_get_str(rec, "charge"),
			   *cc = jv_get_str(rec, "requesting_country");
		jv w = JV_OBJECT(jv_string("charge"), c ? jv_string(c) : jv_null(),
				 jv_string("issuing_country_id"), cc ? jv_string(cc) : jv_null());
		out = jv_object_set(out, jv_string("arrest_warrants"), JV_ARRAY(w));
	}
	return out;
}

/* ---- the table ---- */

const struct table_col notice_table_cols[NOTICE_TABLE_NCOLS] = {
    {"FEED SEQ", 0, 1, "feed_seq"}, {"EVENT", 10, 0, NULL},   {"ID", 22, 0, NULL},
    {"CONTROL", 11, 0, NULL},       {"KIND", 10, 0, NULL},    {"STATUS", 9, 0, NULL},
    {"EXPIRES", 10, 0, NULL},       {"SUBJECT", 48, 0, NULL},
};

jv notice_table_record(jv rec)
{
	char day[16] = "";
	int kind = notice_kind_by_name(jv_get_str(rec, "kind"));
	struct buf s = {0};
	if (jv_get_str(rec, "expires_at"))
		snprintf(day, sizeof day, "%.10s", jv_get_str(rec, "expires_at"));
	if (kind >= 0)
		subject_of(rec, kind, "", &s);
	if (!s.len || !*s.p) {
		static const char *const f[] = {
		    "title", "threat", "purpose", "description", "modus_operandi", "assets", NULL};
		s.len = 0;
		for (int i = 0; f[i] && !s.len; i++)
			if (jv_get_str(rec, f[i]))
				buf_adds(&s, jv_get_str(rec, f[i]));
		buf_addc(&s, '\0');
	}
	jv row = jv_object();
	static const char *const copied[] = {"feed_seq", "event",  "id", "control",
					     "kind",     "status", NULL};
	for (int i = 0; copied[i]; i++) {
		jv v = jv_object_get(jv_copy(rec), jv_string(copied[i]));
		if (jv_is_valid(v))
			row = jv_object_set(row, jv_string(copied[i]), v);
		else
			jv_free(v);
	}
	row = jv_object_set(row, jv_string("expires"), jv_string(day));
	row = jv_object_set(row, jv_string("subject"), jv_string(s.p ? s.p : ""));
	buf_free(&s);
	return row;
}
