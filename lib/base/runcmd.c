/*
 * runcmd.c: run an operator's command (see runcmd.h).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccc/exit.h"
#include "ccc/runcmd.h"

int run_command(const char *cmd, int in_fd, int *out_fd, int verbose)
{
	*out_fd = -1;
	int mfd = memfd_create("ccc-run", MFD_CLOEXEC);
	if (mfd < 0) {
		warn("%s", cmd);
		return CCC_EX_SOFTWARE;
	}
	if (verbose)
		warnx("running: %s", cmd);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		warn("%s", cmd);
		close(mfd);
		return CCC_EX_SOFTWARE;
	}
	if (pid == 0) {
		int in = in_fd < 0 ? open("/dev/null", O_RDONLY) : in_fd;
		if (in < 0 || dup2(in, 0) < 0 || dup2(mfd, 1) < 0)
			_exit(CCC_EX_SOFTWARE);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	int rc = WIFEXITED(st)     ? WEXITSTATUS(st)
		 : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
				   : CCC_EX_SOFTWARE;
	if (rc)
		warnx("'%s' failed (exit %d)", cmd, rc);
	lseek(mfd, 0, SEEK_SET);
	*out_fd = mfd;
	return rc;
}

int run_command_with(const char *cmd, const char *what, const char *p, size_t n, int verbose,
		     char *err, size_t errlen)
{
	int in = memfd_create("ccc-run-in", MFD_CLOEXEC), out = -1;
	if (in < 0 || write(in, p, n) != (ssize_t)n || lseek(in, 0, SEEK_SET) < 0) {
		snprintf(err, errlen, "cannot hold the %s for the command: %s", what,
			 strerror(errno));
		if (in >= 0)
			close(in);
		return -1;
	}
	int rc = run_command(cmd, in, &out, verbose);
	close(in);
	if (rc) {
		char said[160];
		ssize_t k = out >= 0 ? read(out, said, sizeof said - 1) : 0;
		said[k > 0 ? k : 0] = '\0';
		said[strcspn(said, "\n")] = '\0';
		snprintf(err, errlen, "'%s' failed (exit %d)%s%s", cmd, rc, *said ? ": " : "",
			 said);
	}
	if (out >= 0)
		close(out);
	return rc ? -1 : 0;
}
