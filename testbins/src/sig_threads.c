/* Per-thread signal state: masks inherited by threads but separate, process-directed signals going to a
 * thread that does not block them, tgkill to a thread blocked in read/nanosleep/futex (EINTR or restart),
 * rt_sigpending's union, sigwait in a dedicated thread, per-thread sigaltstack with SA_ONSTACK on a stack
 * overflow, SIGCHLD while waiting in wait4, SIGPIPE, timer_create. Synchronised with pipes and sigwait.
 * Prints one line per check; the values are what Linux gives. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;
static void check(const char *label, long got, long want)
{
    int ok = got == want;
    printf("%-52s %ld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %ld\n", want); }
}

static pid_t gettid_(void) { return (pid_t)syscall(SYS_gettid); }

static void install(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void block(int sig, int how)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    pthread_sigmask(how, &s, NULL);
}

static int is_blocked(int sig)
{
    sigset_t s;
    pthread_sigmask(SIG_BLOCK, NULL, &s);
    return sigismember(&s, sig);
}

static int notify[2];   /* handler -> main */
static int ready[2];    /* thread -> main: "about to block" */
static int go[2];       /* main -> thread */
static volatile pid_t handler_tid;
static volatile int handler_count;

static void on_usr1(int sig)
{
    (void)sig;
    handler_tid = gettid_();
    handler_count++;
    (void)!write(notify[1], "h", 1);
}

static void wait_byte(int fd) { char c; while (read(fd, &c, 1) != 1) {} }

/* 1. masks: inherited at creation, separate afterwards; process signal goes to the unblocking thread */
static volatile pid_t worker_tid;
static long worker_read_result, worker_read_errno;
static int inherited;

static void *mask_worker(void *arg)
{
    (void)arg;
    inherited = is_blocked(SIGUSR1);
    worker_tid = gettid_();
    block(SIGUSR1, SIG_UNBLOCK);
    int p[2];
    (void)!pipe(p);
    (void)!write(ready[1], "r", 1);
    char c;
    /* no SA_RESTART: the read fails with EINTR when the signal comes while it waits */
    worker_read_result = -1;
    worker_read_errno = EINTR;
    while (!handler_count) {
        errno = 0;
        worker_read_result = read(p[0], &c, 1);
        worker_read_errno = errno;
    }
    return NULL;
}

/* 2. tgkill to a thread in nanosleep */
static volatile int sleep_flag;
static long sleep_result, sleep_errno, sleep_elapsed_ok;
static void on_usr2(int sig) { (void)sig; sleep_flag = 1; }

static void *sleep_worker(void *arg)
{
    (void)arg;
    worker_tid = gettid_();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    (void)!write(ready[1], "r", 1);
    sleep_result = 0;
    while (!sleep_flag) {
        struct timespec req = { 20, 0 };
        errno = 0;
        sleep_result = nanosleep(&req, NULL);
        sleep_errno = errno;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sleep_elapsed_ok = t1.tv_sec - t0.tv_sec < 10;
    return NULL;
}

/* 3. tgkill to a thread in a restartable read (SA_RESTART) */
static long restart_result;
static void *read_worker(void *arg)
{
    (void)arg;
    worker_tid = gettid_();
    (void)!write(ready[1], "r", 1);
    char c;
    restart_result = read(go[0], &c, 1);
    return NULL;
}

/* 4. tgkill to a thread waiting on a condition variable (futex) */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int cv_done;
static void *cond_worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    worker_tid = gettid_();
    (void)!write(ready[1], "r", 1);
    while (!cv_done) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

/* 5. sigpending: thread-directed vs process-directed */
static long thread_pending_usr1, thread_pending_usr2;
static void *pending_worker(void *arg)
{
    (void)arg;
    sigset_t s;
    sigpending(&s);
    thread_pending_usr1 = sigismember(&s, SIGUSR1);
    thread_pending_usr2 = sigismember(&s, SIGUSR2);
    return NULL;
}

/* 6. sigwait in a dedicated thread */
static int waited_signal;
static void *sigwait_worker(void *arg)
{
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    (void)!write(ready[1], "r", 1);
    sigwait(&s, &waited_signal);
    return NULL;
}

/* 7. stack overflow in a thread: SIGSEGV handler on that thread's alternate stack */
static __thread sigjmp_buf overflow_jmp;
static __thread char *alt_lo, *alt_hi;
static volatile int segv_on_alt;
static void on_segv(int sig)
{
    (void)sig;
    char local;
    segv_on_alt = &local >= alt_lo && &local < alt_hi;
    siglongjmp(overflow_jmp, 1);
}
static long recurse(long n)
{
    volatile char pad[1024];
    pad[0] = (char)n;
    return n == 0 ? pad[0] : recurse(n - 1) + pad[0];
}
static long overflow_caught, altstack_disabled_in_main;
static void *overflow_worker(void *arg)
{
    (void)arg;
    stack_t ss;
    ss.ss_size = 64 * 1024;
    ss.ss_sp = malloc(ss.ss_size);
    ss.ss_flags = 0;
    alt_lo = ss.ss_sp;
    alt_hi = alt_lo + ss.ss_size;
    sigaltstack(&ss, NULL);
    if (sigsetjmp(overflow_jmp, 1) == 0) {
        recurse(1L << 30);
    } else {
        overflow_caught = 1;
    }
    return NULL;
}

static volatile int alrm_count;
static void on_alrm(int sig) { (void)sig; alrm_count++; }

/* "external" mode, for tests/Emu.Tests/Signals: the main thread blocks SIGUSR2 and waits in read; a worker
 * that does not block it waits in read too; SIGUSR2 from another process must run the handler in the worker. */
static volatile pid_t usr2_tid;
static void on_usr2_record(int sig) { (void)sig; usr2_tid = gettid_(); }
static void *external_worker(void *arg)
{
    (void)arg;
    block(SIGUSR2, SIG_UNBLOCK);
    worker_tid = gettid_();
    (void)!write(ready[1], "r", 1);
    char c;
    /* the read fails with EINTR if it was waiting when the signal came (or never starts if it came first) */
    long r = -1;
    int e = EINTR;
    while (!usr2_tid) {
        errno = 0;
        r = read(go[0], &c, 1);
        e = errno;
    }
    printf("worker read %ld errno %d handler in worker %d\n", r, e, usr2_tid == worker_tid);
    (void)!write(notify[1], "n", 1);
    return NULL;
}

static int external_mode(void)
{
    install(SIGUSR2, on_usr2_record, 0);
    block(SIGUSR2, SIG_BLOCK);
    pthread_t th;
    pthread_create(&th, NULL, external_worker, NULL);
    wait_byte(ready[0]);
    printf("ready\n");
    wait_byte(notify[0]);
    pthread_join(th, NULL);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    (void)!pipe(notify);
    (void)!pipe(ready);
    (void)!pipe(go);
    if (argc > 1 && strcmp(argv[1], "external") == 0) return external_mode();
    if (argc > 1 && strcmp(argv[1], "sigpipe-default") == 0) {
        int sp[2];
        (void)!pipe(sp);
        close(sp[0]);
        printf("writing\n");
        (void)!write(sp[1], "x", 1);
        printf("still alive\n");
        return 0;
    }
    pthread_t th;

    /* 1 */
    install(SIGUSR1, on_usr1, 0);
    block(SIGUSR1, SIG_BLOCK);
    pthread_create(&th, NULL, mask_worker, NULL);
    wait_byte(ready[0]);
    check("thread inherits the creator's mask", inherited, 1);
    check("main still blocks SIGUSR1 after the thread unblocked it", is_blocked(SIGUSR1), 1);
    kill(getpid(), SIGUSR1);
    wait_byte(notify[0]);
    check("process signal handled by the unblocking thread", handler_tid == worker_tid, 1);
    pthread_join(th, NULL);
    check("its blocking read: result", worker_read_result, -1);
    check("its blocking read: errno EINTR", worker_read_errno, EINTR);
    block(SIGUSR1, SIG_UNBLOCK);

    /* 2 */
    install(SIGUSR2, on_usr2, 0);
    pthread_create(&th, NULL, sleep_worker, NULL);
    wait_byte(ready[0]);
    /* A signal that lands between the worker's flag test and its nanosleep is taken before the sleep
       starts; the next one interrupts the sleep. So signal until the worker is done. */
    do {
        pthread_kill(th, SIGUSR2);
        struct timespec pause = { 0, 10000000 };
        nanosleep(&pause, NULL);
    } while (pthread_tryjoin_np(th, NULL) != 0);
    check("tgkill interrupts nanosleep in another thread", sleep_flag, 1);
    check("nanosleep did not run its full time", sleep_elapsed_ok, 1);

    /* 3 */
    install(SIGUSR1, on_usr1, SA_RESTART);
    handler_count = 0;
    pthread_create(&th, NULL, read_worker, NULL);
    wait_byte(ready[0]);
    pthread_kill(th, SIGUSR1);
    wait_byte(notify[0]);
    check("tgkill handler ran in the target thread", handler_tid == worker_tid, 1);
    (void)!write(go[1], "g", 1);
    pthread_join(th, NULL);
    check("SA_RESTART read resumes and returns the byte", restart_result, 1);

    /* 4 */
    pthread_create(&th, NULL, cond_worker, NULL);
    wait_byte(ready[0]);
    pthread_mutex_lock(&mu); /* the worker is inside pthread_cond_wait once it released the mutex */
    pthread_mutex_unlock(&mu);
    pthread_kill(th, SIGUSR1);
    wait_byte(notify[0]);
    check("handler runs in a thread waiting on a futex", handler_tid == worker_tid, 1);
    pthread_mutex_lock(&mu);
    cv_done = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(th, NULL);
    check("the condition wait completes afterwards", cv_done, 1);

    /* 5 */
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &both, NULL);
    syscall(SYS_tgkill, getpid(), gettid_(), SIGUSR1); /* for main only */
    kill(getpid(), SIGUSR2);                            /* for the process */
    sigset_t pend;
    sigpending(&pend);
    check("main: sigpending has its thread signal", sigismember(&pend, SIGUSR1), 1);
    check("main: sigpending has the process signal", sigismember(&pend, SIGUSR2), 1);
    pthread_create(&th, NULL, pending_worker, NULL);
    pthread_join(th, NULL);
    check("other thread: no thread signal of main's", thread_pending_usr1, 0);
    check("other thread: the process signal", thread_pending_usr2, 1);
    int got = 0;
    sigwait(&both, &got);
    int got2 = 0;
    sigwait(&both, &got2);
    check("sigwait takes both (lowest first)", got * 100 + got2, SIGUSR1 * 100 + SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &both, NULL);

    /* 6 */
    block(SIGTERM, SIG_BLOCK);
    pthread_create(&th, NULL, sigwait_worker, NULL);
    wait_byte(ready[0]);
    kill(getpid(), SIGTERM);
    pthread_join(th, NULL);
    check("sigwait in a dedicated thread gets SIGTERM", waited_signal, SIGTERM);
    block(SIGTERM, SIG_UNBLOCK);

    /* 7 */
    install(SIGSEGV, on_segv, SA_ONSTACK);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_create(&th, &attr, overflow_worker, NULL);
    pthread_join(th, NULL);
    check("stack overflow in a thread caught", overflow_caught, 1);
    check("its SIGSEGV handler ran on the thread's altstack", segv_on_alt, 1);
    stack_t cur;
    sigaltstack(NULL, &cur);
    altstack_disabled_in_main = (cur.ss_flags & SS_DISABLE) != 0;
    check("main has no altstack of its own", altstack_disabled_in_main, 1);
    install(SIGSEGV, SIG_DFL, 0);

    /* 8: SIGCHLD during wait4 is in sig_children.c: a forked child of this many-threaded process could
     * stall in the runtime (it inherits threads that are gone) */

    /* 9: SIGPIPE ignored -> EPIPE; default -> death by SIGPIPE */
    int pp[2];
    (void)!pipe(pp);
    close(pp[0]);
    install(SIGPIPE, SIG_IGN, 0);
    errno = 0;
    long wr = write(pp[1], "x", 1);
    check("write to a closed pipe, SIGPIPE ignored: result", wr, -1);
    check("errno EPIPE", errno, EPIPE);
    close(pp[1]);
    /* the default action (death by SIGPIPE) is checked by tests/Emu.Tests/Signals with "sigpipe-default":
     * a forked child of this many-threaded process could stall in the runtime */

    /* 10: timer_create with SIGEV_SIGNAL delivers SIGALRM to a handler */
    install(SIGALRM, on_alrm, 0);
    block(SIGALRM, SIG_BLOCK);
    timer_t timer;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGALRM;
    check("timer_create", timer_create(CLOCK_MONOTONIC, &sev, &timer), 0);
    struct itimerspec its = { { 0, 0 }, { 0, 20 * 1000 * 1000 } };
    timer_settime(timer, 0, &its, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigsuspend(&none);
    check("timer's SIGALRM ran the handler", alrm_count, 1);
    timer_delete(timer);
    block(SIGALRM, SIG_UNBLOCK);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
