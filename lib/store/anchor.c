/*
 * anchor.c: site keys kept outside the store (anchor.h).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccc/anchor.h"
#include "ccc/exit.h"
#include "ccc/opts.h"

static int name_ok(const char *name)
{
	return *name && strlen(name) < 100 &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(name);
}

char *anchor_path(const char *name)
{
	char rest[160];
	snprintf(rest, sizeof rest, "ccc/trust/%s.pub", name);
	return ccc_config_path(rest);
}

int anchor_get(const char *name, uint8_t pub[SIGN_PUBLEN])
{
	char line[128];
	if (!name_ok(name))
		return -1;
	char *path = anchor_path(name);
	int rc = sign_dir_check(path, "trust anchor");
	if (rc) {
		free(path);
		return rc;
	}
	FILE *f = fopen(path, "re");
	if (!f) {
		rc = errno == ENOENT ? -1 : CCC_EX_NOPERM;
		if (rc > 0)
			warn("cannot read trust anchor '%s'", path);
		free(path);
		return rc;
	}
	struct stat st;
	if (fstat(fileno(f), &st) < 0 || (st.st_mode & 022)) {
		warnx("trust anchor '%s' is writable by others: refusing it; run: chmod 644 '%s'",
		      path, path);
		rc = CCC_EX_NOPERM;
	} else if (!fgets(line, sizeof line, f) ||
		   (line[strcspn(line, "\n")] = '\0', sign_pub_parse(line, pub) < 0)) {
		warnx("trust anchor '%s' does not hold an Ed25519 public key", path);
		rc = CCC_EX_CONFIG;
	}
	fclose(f);
	free(path);
	return rc;
}

int anchor_put(const char *name, const uint8_t pub[SIGN_PUBLEN], int replace, const char *where)
{
	uint8_t old[SIGN_PUBLEN];
	char text[80], tmp[4200];
	if (!name_ok(name)) {
		warnx("%s: site name '%s': use lowercase letters, digits and '-'", where, name);
		return CCC_EX_DATAERR;
	}
	int rc = anchor_get(name, old);
	if (rc > 0)
		return rc;
	if (rc == 0 && !memcmp(old, pub, SIGN_PUBLEN))
		return 0;
	char *path = anchor_path(name);
	if (rc == 0 && !replace) {
		warnx("%s: site '%s' is already trusted with another key (trust anchor '%s'); "
		      "use --replace if the site's key really changed",
		      where, name, path);
		free(path);
		return CCC_EX_DATAERR;
	}
	sign_pub_format(pub, text, sizeof text);
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	int fd = sign_make_parents(path) < 0
		     ? -1
		     : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		warn("%s: cannot write trust anchor '%s'", where, path);
		free(path);
		return CCC_EX_CANTCREAT;
	}
	size_t n = strlen(text);
	text[n++] = '\n';
	int bad = write(fd, text, n) != (ssize_t)n || fsync(fd) < 0;
	bad |= close(fd) < 0;
	if (bad || rename(tmp, path) < 0) {
		warn("%s: cannot write trust anchor '%s'", where, path);
		unlink(tmp);
		free(path);
		return CCC_EX_IOERR;
	}
	free(path);
	return 0;
}
