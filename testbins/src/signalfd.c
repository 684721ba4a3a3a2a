/* signalfd the way glibc/systemd-style programs use it: block the signals, read them from the fd.
 * SFD_NONBLOCK/SFD_CLOEXEC, 128-byte records, several per read, poll/epoll readiness, changing the mask of
 * an existing fd, a blocking read in another thread, a signal from another process. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void check(const char *label, long got, long want)
{
    int ok = got == want;
    printf("%-52s %ld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %ld\n", want); }
}

static int readable(int fd)
{
    struct pollfd p = { fd, POLLIN, 0 };
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static int sfd_blocking;
static struct signalfd_siginfo thread_info;
static long thread_read;
static int ready[2];

static void *reader(void *arg)
{
    (void)arg;
    (void)!write(ready[1], "r", 1);
    thread_read = read(sfd_blocking, &thread_info, sizeof thread_info);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    sigset_t only1;
    sigemptyset(&only1);
    sigaddset(&only1, SIGUSR1);
    int sfd = signalfd(-1, &only1, SFD_NONBLOCK | SFD_CLOEXEC);
    check("signalfd created", sfd >= 0, 1);
    check("FD_CLOEXEC set", (fcntl(sfd, F_GETFD) & FD_CLOEXEC) != 0, 1);
    check("O_NONBLOCK set", (fcntl(sfd, F_GETFL) & O_NONBLOCK) != 0, 1);
    check("bad flags: EINVAL", signalfd(-1, &only1, 1) == -1 && errno == EINVAL, 1);
    check("not a signalfd: EINVAL", signalfd(0, &only1, 0) == -1 && errno == EINVAL, 1);

    struct signalfd_siginfo info[4];
    errno = 0;
    check("empty read: -1", read(sfd, info, sizeof info), -1);
    check("errno EAGAIN", errno, EAGAIN);
    check("not readable before a signal", readable(sfd), 0);
    check("short buffer: EINVAL", read(sfd, info, 64) == -1 && errno == EINVAL, 1);

    kill(getpid(), SIGUSR1);
    check("readable after kill", readable(sfd), 1);
    memset(info, 0, sizeof info);
    check("read returns one record", read(sfd, info, sizeof info), 128);
    check("ssi_signo", info[0].ssi_signo, SIGUSR1);
    check("ssi_code SI_USER", info[0].ssi_code, SI_USER);
    check("ssi_pid is ours", info[0].ssi_pid == (unsigned)getpid(), 1);
    check("ssi_uid is ours", info[0].ssi_uid == getuid(), 1);
    check("not readable after the read", readable(sfd), 0);
    sigset_t pend;
    sigpending(&pend);
    check("no longer pending", sigismember(&pend, SIGUSR1), 0);

    /* a signal outside the mask stays pending and does not make the fd readable */
    kill(getpid(), SIGUSR2);
    check("SIGUSR2 not in the mask: not readable", readable(sfd), 0);
    sigpending(&pend);
    check("SIGUSR2 pending", sigismember(&pend, SIGUSR2), 1);

    /* changing the mask of the existing fd */
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    check("signalfd(fd, new mask) returns fd", signalfd(sfd, &both, 0) == sfd, 1);
    check("now readable (SIGUSR2 pending)", readable(sfd), 1);
    raise(SIGUSR1); /* thread-directed */
    memset(info, 0, sizeof info);
    check("two records in one read", read(sfd, info, sizeof info), 256);
    check("first SIGUSR1 (lowest first)", info[0].ssi_signo, SIGUSR1);
    check("raise: ssi_code SI_TKILL", info[0].ssi_code, SI_TKILL);
    check("then SIGUSR2", info[1].ssi_signo, SIGUSR2);

    /* epoll readiness */
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1234 };
    epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
    struct epoll_event out;
    check("epoll: nothing yet", epoll_wait(ep, &out, 1, 0), 0);
    kill(getpid(), SIGUSR2);
    check("epoll: one event", epoll_wait(ep, &out, 1, 0), 1);
    check("epoll: its data", (long)out.data.u64, 0x1234);
    check("read it", read(sfd, info, sizeof info), 128);
    check("epoll: none after the read", epoll_wait(ep, &out, 1, 0), 0);
    close(ep);
    close(sfd);

    /* a blocking signalfd read in another thread, woken by a process-directed signal */
    sigset_t intmask;
    sigemptyset(&intmask);
    sigaddset(&intmask, SIGINT);
    sfd_blocking = signalfd(-1, &intmask, 0);
    (void)!pipe(ready);
    pthread_t th;
    pthread_create(&th, NULL, reader, NULL);
    char c;
    (void)!read(ready[0], &c, 1);
    kill(getpid(), SIGINT);
    pthread_join(th, NULL);
    check("thread's blocking read returns a record", thread_read, 128);
    check("it is SIGINT", thread_info.ssi_signo, SIGINT);

    /* from another process */
    pid_t child = fork();
    if (child == 0) {
        kill(getppid(), SIGINT);
        _exit(0);
    }
    memset(info, 0, sizeof info);
    check("blocking read of a signal from a child", read(sfd_blocking, info, sizeof info), 128);
    check("it is SIGINT", info[0].ssi_signo, SIGINT);
    waitpid(child, NULL, 0);
    close(sfd_blocking);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
