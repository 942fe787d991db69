// SPDX-License-Identifier: GPL-2.0
/*
 * fail_after_exec PROGRAM [ARG...]: run PROGRAM as a task that fails
 * (/proc/PID/make-it-fail, fault injection's task filter) from its first
 * instruction on, not during its exec.
 *
 * A shell that sets its own make-it-fail and then execs counts exec's
 * allocations too, and exec past its point of no return answers a failed
 * allocation with SIGSEGV: the run would end in a signal that says
 * nothing about the program.  Here the child stops at the end of its
 * exec (ptrace's exec stop), the parent sets the flag and lets it go.
 * Exits with the program's status, 128 + the signal that ended it, or
 * 125 when it could not be started.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int set_make_it_fail(pid_t pid)
{
	char path[64];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/make-it-fail", pid);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ret = fputs("1", f) < 0 ? -1 : 0;
	return fclose(f) || ret ? -1 : 0;
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: fail_after_exec PROGRAM [ARG...]\n");
		return 125;
	}
	pid = fork();
	if (pid < 0)
		return 125;
	if (pid == 0) {
		/* A timeout that kills this process ends the program too. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		_exit(125);
	}
	/* The exec stop: SIGTRAP once the new program is in place. */
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
	if (set_make_it_fail(pid)) {
		fprintf(stderr, "fail_after_exec: make-it-fail: %s\n",
			strerror(errno));
		kill(pid, SIGKILL);
		return 125;
	}
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	if (waitpid(pid, &status, 0) != pid)
		return 125;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
