/*
 * runcmd.c: run an operator's command (see runcmd.h).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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
