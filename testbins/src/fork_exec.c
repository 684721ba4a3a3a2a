/* fork and exec: exit status and death by signal through waitpid, a pipe between parent and child,
 * a child's memory being its own copy, execve of /bin/sh -c, and (with the argument exec-self) execve of this program. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures, count;
static void check(const char *label, long got, long want)
{
    count++;
    int ok = got == want;
    printf("%-44s %ld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %ld\n", want); }
}

static int shared_value = 10;

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child-mode") == 0) {
        printf("exec'd child: argc=%d arg2=%s env=%s\n", argc, argv[2], getenv("FORK_EXEC_VAR"));
        return 42;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    int status;
    pid_t pid;
    if (argc > 1 && strcmp(argv[1], "exec-self") == 0) {
        /* qemu-user cannot execve an aarch64 program without binfmt_misc, so this part runs on request
         * only (tests/Emu.Tests/Signals/ForkExecTests.cs) */
        pid = fork();
        if (pid == 0) {
            char *args[] = { argv[0], "child-mode", "second", NULL };
            char *env[] = { "FORK_EXEC_VAR=set", NULL };
            execve(argv[0], args, env);
            _exit(127);
        }
        waitpid(pid, &status, 0);
        check("execve of this program: exit status", WEXITSTATUS(status), 42);
        return failures != 0;
    }

    pid = fork();
    if (pid == 0) {
        shared_value = 99;
        _exit(7);
    }
    check("fork returns a pid", pid > 0, 1);
    check("waitpid returns the child", waitpid(pid, &status, 0) == pid, 1);
    check("WIFEXITED", WIFEXITED(status), 1);
    check("WEXITSTATUS", WEXITSTATUS(status), 7);
    check("child's write stays in the child", shared_value, 10);

    pid = fork();
    if (pid == 0) {
        raise(SIGKILL);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check("WIFSIGNALED", WIFSIGNALED(status), 1);
    check("WTERMSIG", WTERMSIG(status), SIGKILL);

    pid = fork();
    if (pid == 0) {
        volatile int *p = 0;
        *p = 1;
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check("NULL store in child: WTERMSIG SIGSEGV", WIFSIGNALED(status) ? WTERMSIG(status) : -1, SIGSEGV);

    int fds[2];
    check("pipe", pipe(fds), 0);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const char msg[] = "hello through the pipe";
        (void)!write(fds[1], msg, sizeof msg);
        _exit(0);
    }
    close(fds[1]);
    char buf[64] = { 0 };
    long n = read(fds[0], buf, sizeof buf);
    check("pipe bytes", n, 23);
    check("pipe text", strcmp(buf, "hello through the pipe"), 0);
    close(fds[0]);
    waitpid(pid, &status, 0);

    pid = fork();
    if (pid == 0) {
        char *args[] = { "/bin/sh", "-c", "exit 5", NULL };
        execv("/bin/sh", args);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    check("execve of /bin/sh -c: exit status", WEXITSTATUS(status), 5);

    printf("%d checks, %d failures\n", count, failures);
    return failures != 0;
}
