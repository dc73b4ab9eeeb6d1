/*
 * fuzz-mailwrite: a reply written as e-mail from hostile values (lib/formats/mailwrite.c)
 * and read back (lib/formats/mail.c): whatever the subject, addresses, ids and body,
 * no value adds a header, and what was written is read back as an e-mail
 * with its subject.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "ccc/mail.h"
#include "ccc/mailwrite.h"
#include "ccc/utf8.h"

/* The input is split at NUL bytes into subject, to, in_reply_to, a reference
 * and the body. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	const char *part[5] = {"", "ncb@example.org", "", "", ""};
	char *p = copy;
	for (int i = 0; i < 5 && p <= copy + size; i++) {
		part[i] = p;
		p += strlen(p) + 1;
	}
	/* the reply's own text is UTF-8 (the store holds nothing else) */
	for (int i = 0; i < 5; i++)
		if (!utf8_valid(part[i], strlen(part[i])))
			part[i] = "";
	jv refs = jv_array_append(jv_array(), jv_string(part[3]));
	struct mail_out m = {.from = "CCC <ccc@lyon.example.org>",
			     .to = part[1],
			     .subject = part[0],
			     .message_id = "reply-lyon-1@lyon.ccc.invalid",
			     .in_reply_to = part[2],
			     .references = refs,
			     .language = "fr",
			     .date = 1764883800,
			     .body = part[4]};
	struct buf b = {0};
	char err[256];
	if (mail_write(&b, &m, err, sizeof err) == 0) {
		/* one header block of known names: nothing added */
		static const char *const names[] = {"Date:",
						    "From:",
						    "To:",
						    "Subject:",
						    "Message-ID:",
						    "In-Reply-To:",
						    "References:",
						    "Content-Language:",
						    "MIME-Version:",
						    "Content-Type:",
						    "Content-Transfer-Encoding:",
						    NULL};
		buf_addc(&b, '\0');
		for (const char *l = b.p; *l && *l != '\n'; l = strchr(l, '\n') + 1) {
			int known = *l == ' ';
			for (int i = 0; names[i] && !known; i++)
				known = !strncmp(l, names[i], strlen(names[i]));
			if (!known)
				abort();
		}
		char *perr = NULL;
		jv v = mail_parse(b.p, b.len - 1, &perr);
		free(perr);
		if (!jv_is_valid(v) || !jv_get_str(v, "subject"))
			abort();
		jv_free(v);
	}
	buf_free(&b);
	jv_free(refs);
	free(copy);
	return 0;
}
