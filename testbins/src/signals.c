/* Signal delivery to guest handlers: sigaction with and without SA_SIGINFO,
 * raise/kill to self, blocked signals staying pending until unblocked,
 * handler register state (the interrupted code's registers survive),
 * nested delivery, SIG_IGN, and sigsetjmp/siglongjmp out of a handler. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failures, count;
static void check(const char *label, long got, long want)
{
    count++;
    int ok = got == want;
    printf("%-44s %ld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %ld\n", want); }
}

static volatile sig_atomic_t usr1_count, usr2_count, last_signo, last_code, nested_seen;
static volatile int last_pid_match;

static void on_usr1(int sig)
{
    usr1_count++;
    last_signo = sig;
}

static void on_usr2_info(int sig, siginfo_t *info, void *uctx)
{
    (void)uctx;
    usr2_count++;
    last_signo = info->si_signo;
    last_code = info->si_code;
    last_pid_match = info->si_pid == getpid();
    (void)sig;
}

static void on_usr1_nested(int sig)
{
    (void)sig;
    /* SIGUSR2 is not blocked in this handler: it must be delivered right away */
    raise(SIGUSR2);
    nested_seen = usr2_count;
}

static sigjmp_buf jump_back;
static void on_alrm_jump(int sig) { siglongjmp(jump_back, sig); }

static long __attribute__((noinline)) busy_with_registers(long seed)
{
    /* many live values across a raise(): the handler must not clobber them */
    long a = seed, b = seed * 3, c = seed ^ 0x5555, d = seed + 77, e = seed << 4, f = ~seed;
    raise(SIGUSR1);
    return a + b + c + d + e + f;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    check("sigaction SIGUSR1", sigaction(SIGUSR1, &sa, NULL), 0);
    check("raise SIGUSR1", raise(SIGUSR1), 0);
    check("handler ran once", usr1_count, 1);
    check("handler got SIGUSR1", last_signo, SIGUSR1);
    check("kill(getpid(), SIGUSR1)", kill(getpid(), SIGUSR1), 0);
    check("handler ran twice", usr1_count, 2);

    long want = 1234 + 1234 * 3 + (1234 ^ 0x5555) + 1234 + 77 + (1234 << 4) + ~1234L;
    check("registers survive a handler", busy_with_registers(1234), want);

    struct sigaction si;
    memset(&si, 0, sizeof si);
    si.sa_sigaction = on_usr2_info;
    si.sa_flags = SA_SIGINFO;
    sigemptyset(&si.sa_mask);
    check("sigaction SIGUSR2 SA_SIGINFO", sigaction(SIGUSR2, &si, NULL), 0);
    kill(getpid(), SIGUSR2);
    check("siginfo si_signo", last_signo, SIGUSR2);
    check("siginfo si_code SI_USER", last_code, SI_USER);
    check("siginfo si_pid is us", last_pid_match, 1);

    /* blocked signal stays pending until unblocked */
    sigset_t block, old, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    check("sigprocmask block SIGUSR1", sigprocmask(SIG_BLOCK, &block, &old), 0);
    raise(SIGUSR1);
    check("blocked: handler not run", usr1_count, 3);
    sigpending(&pending);
    check("sigpending has SIGUSR1", sigismember(&pending, SIGUSR1), 1);
    check("unblock", sigprocmask(SIG_SETMASK, &old, NULL), 0);
    check("delivered after unblock", usr1_count, 4);

    /* the mask during a handler: sa_mask plus the signal itself */
    sa.sa_handler = on_usr1_nested;
    sigaction(SIGUSR1, &sa, NULL);
    int before = usr2_count;
    raise(SIGUSR1);
    check("nested SIGUSR2 inside SIGUSR1 handler", nested_seen, before + 1);

    /* ignored signal is discarded */
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    check("SIG_IGN: no handler call", usr2_count, before + 1);

    /* leave a handler with siglongjmp; the signal mask is restored */
    signal(SIGALRM, on_alrm_jump);
    int r = sigsetjmp(jump_back, 1);
    if (r == 0) {
        raise(SIGALRM);
        check("not reached", 0, 1);
    }
    check("siglongjmp from handler", r, SIGALRM);
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    check("SIGALRM unblocked after siglongjmp", sigismember(&now, SIGALRM), 0);

    /* old action is reported back */
    struct sigaction prev;
    sigaction(SIGUSR1, NULL, &prev);
    check("sigaction reports the current handler", prev.sa_handler == on_usr1_nested, 1);

    printf("signals: %d checks, %s\n", count, failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
