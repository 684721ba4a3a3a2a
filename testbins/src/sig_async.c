/* Asynchronous signals: from a timer (alarm, setitimer) and from another process, delivered while the
 * guest computes (between blocks) or blocks in a syscall (EINTR, SA_RESTART), sigsuspend, sigtimedwait,
 * masks and sigpending, sigaltstack with SA_ONSTACK. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures, count;
static void check(const char *label, long got, long want)
{
    count++;
    int ok = got == want;
    printf("%-44s %ld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %ld\n", want); }
}

static volatile sig_atomic_t alarms, usr1s, usr2s, on_alt;
static int pipe_fds[2];
static char *alt_base;
static size_t alt_size;

static void on_alarm(int sig) { (void)sig; alarms++; }
static void on_alarm_write(int sig) { (void)sig; alarms++; (void)!write(pipe_fds[1], "x", 1); }
static void on_usr1(int sig) { (void)sig; usr1s++; }
static void on_usr2(int sig)
{
    (void)sig;
    char local;
    usr2s++;
    on_alt = &local >= alt_base && &local < alt_base + alt_size;
}

static void install(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "wait-usr2") == 0) {
        /* for tests/Emu.Tests/Signals: SIGUSR2 sent by the test interrupts a blocking read (the test resends
         * it until this line appears, since one that lands before read() starts leaves read() blocked) */
        install(SIGUSR2, on_usr2, 0);
        (void)!pipe(pipe_fds);
        printf("ready\n");
        char c;
        long r = read(pipe_fds[0], &c, 1);
        printf("read %ld errno %d handler %s\n", r, errno, usr2s > 0 ? "ran" : "did not run");
        return 0;
    }

    /* a timer signal interrupts pure computation */
    install(SIGALRM, on_alarm, 0);
    struct itimerval it = { { 0, 0 }, { 0, 50000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    volatile unsigned long spin = 0;
    while (!alarms) spin++;
    check("timer interrupts a busy loop", alarms, 1);

    /* a blocking read without SA_RESTART fails with EINTR */
    (void)!pipe(pipe_fds);
    alarms = 0;
    alarm(1);
    char c;
    long r = read(pipe_fds[0], &c, 1);
    check("read interrupted: result", r, -1);
    check("read interrupted: errno EINTR", errno, EINTR);
    check("read interrupted: handler ran", alarms, 1);

    /* with SA_RESTART the read is restarted and gets the byte the handler wrote */
    install(SIGALRM, on_alarm_write, SA_RESTART);
    alarms = 0;
    alarm(1);
    r = read(pipe_fds[0], &c, 1);
    check("SA_RESTART read: result", r, 1);
    check("SA_RESTART read: handler ran", alarms, 1);

    /* interval timer ticks counted with sigsuspend */
    install(SIGALRM, on_alarm, 0);
    sigset_t block, old, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &old);
    alarms = 0;
    struct itimerval tick = { { 0, 20000 }, { 0, 20000 } };
    setitimer(ITIMER_REAL, &tick, NULL);
    sigemptyset(&empty);
    int bad = 0;
    while (alarms < 3)
        if (sigsuspend(&empty) != -1 || errno != EINTR) bad++;
    check("sigsuspend fails with EINTR", bad, 0);
    struct itimerval stop = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &stop, NULL);
    check("three ticks", alarms, 3);
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    check("sigsuspend restores the mask", sigismember(&now, SIGALRM), 1);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* a blocked signal stays pending until unblocked */
    install(SIGUSR1, on_usr1, 0);
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGUSR1);
    sigset_t pend;
    sigpending(&pend);
    check("blocked SIGUSR1 pending", sigismember(&pend, SIGUSR1), 1);
    check("blocked SIGUSR1 not run", usr1s, 0);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    check("unblocked SIGUSR1 ran", usr1s, 1);

    /* a signal from another process, on the alternate stack */
    static char altstack[65536];
    alt_base = altstack;
    alt_size = sizeof altstack;
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    check("sigaltstack", sigaltstack(&ss, NULL), 0);
    install(SIGUSR2, on_usr2, SA_ONSTACK);
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t child = fork();
    if (child == 0) {
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    sigset_t wait_set = old;
    sigdelset(&wait_set, SIGUSR2);
    while (!usr2s) sigsuspend(&wait_set);
    check("SIGUSR2 from the child", usr2s, 1);
    check("handler ran on the alternate stack", on_alt, 1);
    int status;
    waitpid(child, &status, 0);
    check("child exit status", WEXITSTATUS(status), 0);

    /* sigtimedwait takes a blocked signal sent by another process */
    child = fork();
    if (child == 0) {
        kill(getppid(), SIGUSR2);
        _exit(3);
    }
    siginfo_t info;
    struct timespec ts = { 5, 0 };
    check("sigtimedwait returns SIGUSR2", sigtimedwait(&block, &info, &ts), SIGUSR2);
    check("sigtimedwait si_signo", info.si_signo, SIGUSR2);
    check("handler did not run", usr2s, 1);
    waitpid(child, &status, 0);
    check("child exit status 3", WEXITSTATUS(status), 3);
    struct timespec short_ts = { 0, 30000000 };
    check("sigtimedwait timeout", sigtimedwait(&block, &info, &short_ts), -1);
    check("sigtimedwait errno EAGAIN", errno, EAGAIN);

    printf("%d checks, %d failures\n", count, failures);
    return failures != 0;
}
