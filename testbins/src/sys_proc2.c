/* Process syscalls beyond the basics: capabilities, personality, scheduling
 * attributes, I/O priority, pidfds (open, send_signal to itself and to a
 * child, getfd, waitid P_PIDFD), sigqueue with a value, sendmmsg/recvmmsg,
 * getcpu, SO_PEERCRED/SO_RCVTIMEO/SCM_CREDENTIALS, and EFAULT for bad pointers. Prints only deterministic facts. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *volatile bad_pointer = (void *)1;
static int failures;
static void check(const char *label, int ok)
{
    printf("%-56s %s\n", label, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static volatile sig_atomic_t got_signo, got_code, got_value, got_pid_matches;
static void handler(int signo, siginfo_t *info, void *uc)
{
    (void)uc;
    got_signo = signo;
    got_code = info->si_code;
    got_value = info->si_value.sival_int;
    got_pid_matches = info->si_pid == getpid();
}

static void test_caps_and_persona(void)
{
    struct __user_cap_header_struct hdr = { 0, 0 };
    check("capget version probe fills the preferred version", syscall(SYS_capget, &hdr, NULL) == 0 && hdr.version == _LINUX_CAPABILITY_VERSION_3);
    struct __user_cap_data_struct data[2];
    hdr.version = _LINUX_CAPABILITY_VERSION_3;
    hdr.pid = 0;
    check("capget v3 of self", syscall(SYS_capget, &hdr, data) == 0);
    check("permitted includes effective", (data[0].effective & ~data[0].permitted) == 0 && (data[1].effective & ~data[1].permitted) == 0);
    check("capset of the same sets", syscall(SYS_capset, &hdr, data) == 0);
    check("capget bad header: EFAULT", syscall(SYS_capget, bad_pointer, data) == -1 && errno == EFAULT);
    check("personality query == PER_LINUX", personality(0xffffffff) == PER_LINUX);
}

static void test_sched(void)
{
    check("sched_getscheduler == SCHED_OTHER", sched_getscheduler(0) == SCHED_OTHER);
    struct sched_param sp = { 0 };
    check("sched_setscheduler SCHED_OTHER prio 0", sched_setscheduler(0, SCHED_OTHER, &sp) == 0);
    check("sched_setparam prio 0", sched_setparam(0, &sp) == 0);
    check("sched_setparam bad pointer: EFAULT", sched_setparam(0, bad_pointer) == -1 && errno == EFAULT);
    struct timespec ts;
    check("sched_rr_get_interval", sched_rr_get_interval(0, &ts) == 0 && ts.tv_sec >= 0);
    int prio = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);
    check("ioprio_get of self", prio >= 0);
    check("ioprio_set to the same value", syscall(SYS_ioprio_set, 1, 0, prio) == 0);
    unsigned cpu = 12345, node = 12345;
    check("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL) == 0 && cpu < 4096 && node < 4096);
}

static void test_pidfd(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);

    union sigval v = { .sival_int = 4242 };
    check("sigqueue to self", sigqueue(getpid(), SIGUSR2, v) == 0);
    check("handler saw SI_QUEUE, the value and our pid", got_signo == SIGUSR2 && got_code == SI_QUEUE && got_value == 4242 && got_pid_matches);

    int self = syscall(SYS_pidfd_open, getpid(), 0);
    check("pidfd_open of self", self >= 0);
    check("pidfd is close-on-exec", (fcntl(self, F_GETFD) & FD_CLOEXEC) != 0);
    got_signo = 0;
    check("pidfd_send_signal SIGUSR1 to self", syscall(SYS_pidfd_send_signal, self, SIGUSR1, NULL, 0) == 0);
    check("handler saw SIGUSR1 from SI_USER", got_signo == SIGUSR1 && got_code == SI_USER && got_pid_matches);
    check("pidfd_send_signal with flags: EINVAL", syscall(SYS_pidfd_send_signal, self, SIGUSR1, NULL, 0x80) == -1 && errno == EINVAL);

    int p[2];
    pipe(p);
    int dup = syscall(SYS_pidfd_getfd, self, p[1], 0);
    check("pidfd_getfd of our own pipe end", dup >= 0);
    check("the copy writes into the pipe", write(dup, "x", 1) == 1);
    char c = 0;
    check("read it back", read(p[0], &c, 1) == 1 && c == 'x');
    close(dup);

    pid_t child = fork();
    if (child == 0)
    {
        pause();
        _exit(3);
    }
    int pfd = syscall(SYS_pidfd_open, child, 0);
    check("pidfd_open of a child", pfd >= 0);
    check("pidfd_send_signal SIGKILL to the child", syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0) == 0);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    check("waitid P_PIDFD", waitid(P_PIDFD, pfd, &info, WEXITED) == 0);
    check("child was killed by SIGKILL", info.si_code == CLD_KILLED && info.si_status == SIGKILL && info.si_pid == child);
    check("pidfd_open of a reaped child: ESRCH", syscall(SYS_pidfd_open, child, 0) == -1 && errno == ESRCH);
    close(pfd);
    close(self);
    close(p[0]);
    close(p[1]);
}

static void test_mmsg(void)
{
    int sv[2];
    check("socketpair SOCK_DGRAM", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
    char a[] = "first", b[] = "second message", c[] = "3";
    struct iovec iov[3] = { { a, 5 }, { b, 14 }, { c, 1 } };
    struct mmsghdr out[3];
    memset(out, 0, sizeof out);
    for (int i = 0; i < 3; i++)
    {
        out[i].msg_hdr.msg_iov = &iov[i];
        out[i].msg_hdr.msg_iovlen = 1;
    }
    check("sendmmsg 3 datagrams", sendmmsg(sv[0], out, 3, 0) == 3);
    check("msg_len of each", out[0].msg_len == 5 && out[1].msg_len == 14 && out[2].msg_len == 1);
    char buf[4][32];
    struct iovec riov[4];
    struct mmsghdr in[4];
    memset(in, 0, sizeof in);
    memset(buf, 0, sizeof buf);
    for (int i = 0; i < 4; i++)
    {
        riov[i].iov_base = buf[i];
        riov[i].iov_len = sizeof buf[i];
        in[i].msg_hdr.msg_iov = &riov[i];
        in[i].msg_hdr.msg_iovlen = 1;
    }
    check("recvmmsg MSG_DONTWAIT gets the 3", recvmmsg(sv[1], in, 4, MSG_DONTWAIT, NULL) == 3);
    check("contents and lengths", in[0].msg_len == 5 && in[1].msg_len == 14 && in[2].msg_len == 1
        && strcmp(buf[0], "first") == 0 && strcmp(buf[1], "second message") == 0 && strcmp(buf[2], "3") == 0);
    check("recvmmsg on an empty socket: EAGAIN", recvmmsg(sv[1], in, 4, MSG_DONTWAIT, NULL) == -1 && errno == EAGAIN);
    send(sv[0], "w", 1, 0);
    check("MSG_WAITFORONE returns after the first", recvmmsg(sv[1], in, 4, MSG_WAITFORONE, NULL) == 1 && in[0].msg_len == 1);
    check("sendmmsg bad vector: EFAULT", sendmmsg(sv[0], bad_pointer, 1, 0) == -1 && errno == EFAULT);
    check("recvmmsg bad vector: EFAULT", recvmmsg(sv[1], bad_pointer, 1, MSG_DONTWAIT, NULL) == -1 && errno == EFAULT);
    close(sv[0]);
    close(sv[1]);
}

/* A fork child killed by a terminating signal at once (before it could run
 * anything): the child dies of it, the parent lives on. */
static void test_kill_fresh_child(int signo, const char *label)
{
    /* An ignored disposition is inherited across exec (nohup ignores SIGHUP): the child would live on. */
    signal(signo, SIG_DFL);
    pid_t child = fork();
    if (child == 0)
    {
        pause();
        _exit(3);
    }
    kill(child, signo);
    int status = 0;
    check(label, waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == signo);
}

static void test_sockopts(void)
{
    int sv[2];
    check("socketpair SOCK_STREAM", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    struct ucred cred;
    socklen_t len = sizeof cred;
    check("SO_PEERCRED: our pid, uid and gid", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0
        && len == sizeof cred && cred.pid == getpid() && cred.uid == getuid() && cred.gid == getgid());
    struct timeval tv = { 1, 500000 }, got = { 0, 0 };
    check("SO_RCVTIMEO set 1.5 s", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    len = sizeof got;
    check("SO_RCVTIMEO reads back 1.5 s", getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &got, &len) == 0
        && len == sizeof got && got.tv_sec == 1 && got.tv_usec == 500000);
    struct timeval shortwait = { 0, 20000 };
    check("SO_SNDTIMEO set 20 ms", setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &shortwait, sizeof shortwait) == 0);
    check("SO_RCVTIMEO 20 ms: recv times out with EAGAIN", setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &shortwait, sizeof shortwait) == 0
        && recv(sv[1], &got, 1, 0) == -1 && errno == EAGAIN);
    int on = 1;
    check("SO_PASSCRED on", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == 0);
    char byte = 'c';
    struct iovec iov = { &byte, 1 };
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(struct ucred))]; } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    struct ucred mine = { getpid(), getuid(), getgid() };
    memcpy(CMSG_DATA(c), &mine, sizeof mine);
    check("sendmsg with SCM_CREDENTIALS", sendmsg(sv[0], &msg, 0) == 1);
    memset(&control, 0, sizeof control);
    msg.msg_controllen = sizeof control.buf;
    byte = 0;
    check("recvmsg gets the byte", recvmsg(sv[1], &msg, 0) == 1 && byte == 'c');
    c = CMSG_FIRSTHDR(&msg);
    struct ucred theirs = { 0, 0, 0 };
    if (c) memcpy(&theirs, CMSG_DATA(c), sizeof theirs);
    check("SCM_CREDENTIALS received: our pid and uid", c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS
        && theirs.pid == getpid() && theirs.uid == getuid());
    check("getsockopt bad optlen pointer: EFAULT", getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &got, bad_pointer) == -1 && errno == EFAULT);
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    test_caps_and_persona();
    test_sched();
    test_pidfd();
    test_mmsg();
    test_sockopts();
    test_kill_fresh_child(SIGTERM, "fresh fork child dies of SIGTERM, parent lives");
    test_kill_fresh_child(SIGINT, "fresh fork child dies of SIGINT, parent lives");
    test_kill_fresh_child(SIGHUP, "fresh fork child dies of SIGHUP, parent lives");
    printf("failures: %d\n", failures);
    return failures != 0;
}
