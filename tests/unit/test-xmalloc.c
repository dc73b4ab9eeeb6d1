/* test-xmalloc: the allocators that do not fail (xmalloc.h). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccc/xmalloc.h"
#include "tap.h"

#ifndef __SANITIZE_ADDRESS__
/* Run an allocation of n bytes in a child: its stderr in buf, its status. */
static int child_allocating(size_t n, char *buf, size_t cap)
{
	int fd[2], status = 0;
	if (pipe(fd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], STDERR_FILENO);
		close(fd[0]);
		signal(SIGABRT, SIG_DFL);
		struct rlimit core = {0, 0};
		setrlimit(RLIMIT_CORE, &core);
		volatile char *p = xmalloc(n);
		p[0] = 1;
		_exit(0);
	}
	close(fd[1]);
	/* to the end: the message may come in more than one write */
	size_t len = 0;
	ssize_t got;
	while (len < cap - 1 && (got = read(fd[0], buf + len, cap - 1 - len)) > 0)
		len += (size_t)got;
	buf[len] = '\0';
	close(fd[0]);
	waitpid(pid, &status, 0);
	return status;
}
#endif

int main(void)
{
	char *s = xstrdup("lyon");
	is_str(s, "lyon", "xstrdup copies");
	s = xrealloc(s, 64);
	is_str(s, "lyon", "xrealloc keeps what was there");
	free(s);
	s = xstrndup("buenos-aires", 6);
	is_str(s, "buenos", "xstrndup copies at most n bytes");
	free(s);
	int *z = xcalloc(16, sizeof *z);
	int zero = 1;
	for (int i = 0; i < 16; i++)
		zero &= z[i] == 0;
	ok(zero, "xcalloc zeroes");
	free(z);
	free(xmalloc(0));
	ok(1, "xmalloc(0) gives memory that can be freed");

#ifdef __SANITIZE_ADDRESS__
	/* AddressSanitizer reports the failed allocation itself */
	ok(1, "# SKIP out of memory under AddressSanitizer");
	ok(1, "# SKIP out of memory under AddressSanitizer");
#else
	char err[256];
	int status = child_allocating(SIZE_MAX / 2, err, sizeof err);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "out of memory aborts");
	is_str(err, "test-xmalloc: out of memory\n", "and says so with the program's name");
#endif
	return tap_done();
}
