/* Signals around child processes, in a process without threads: SIGCHLD arriving while the parent waits in
 * wait4 (SA_RESTART: the wait completes; without it: EINTR or the child, depending on timing, so only
 * SA_RESTART is checked), and SIGPIPE ignored turning into EPIPE. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void check(const char *label, long got, long want)
{
    int ok = got == want;
    printf("%-52s %ld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %ld\n", want); }
}

static volatile int chld_count;
static void on_chld(int sig) { (void)sig; chld_count++; }

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_chld;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    int go[2];
    (void)!pipe(go);
    pid_t child = fork();
    if (child == 0) {
        char c;
        (void)!read(go[0], &c, 1);
        _exit(7);
    }
    (void)!write(go[1], "g", 1);
    int status = 0;
    pid_t w = waitpid(child, &status, 0);
    check("wait4 returns the child", w == child, 1);
    check("child's exit status", WEXITSTATUS(status), 7);
    check("SIGCHLD handler ran", chld_count, 1);

    int pp[2];
    (void)!pipe(pp);
    close(pp[0]);
    signal(SIGPIPE, SIG_IGN);
    errno = 0;
    check("write to a closed pipe, SIGPIPE ignored: result", write(pp[1], "x", 1), -1);
    check("errno EPIPE", errno, EPIPE);
    signal(SIGPIPE, SIG_DFL);
    pid_t writer = fork();
    if (writer == 0) {
        (void)!write(pp[1], "x", 1);
        _exit(0);
    }
    waitpid(writer, &status, 0);
    check("default SIGPIPE kills the writer", WIFSIGNALED(status) ? WTERMSIG(status) : -1, SIGPIPE);
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
