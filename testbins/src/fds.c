/* File descriptor numbers as a Linux program sees them: the lowest free number on open, dup2/close_range
 * over any number, /proc/self/fd listing only real fds, exec keeping non-CLOEXEC fds, and the translator
 * still working after the program closed or overwrote every descriptor it does not know about. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void check(const char *label, long got, long want)
{
    int ok = got == want;
    printf("%-52s %ld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %ld\n", want); }
}

static int is_open(int fd) { return fcntl(fd, F_GETFD) >= 0; }

static int lowest_free(int from)
{
    int fd = from;
    while (is_open(fd)) fd++;
    return fd;
}

/* Entries of /proc/self/fd that are not open fds (besides the directory's own), and the count of open ones. */
static void scan_proc_fd(int *bogus, int *listed)
{
    *bogus = 0;
    *listed = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d) { *bogus = -1; return; }
    int self = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        int n = atoi(e->d_name);
        (*listed)++;
        if (n != self && !is_open(n)) (*bogus)++;
    }
    closedir(d);
}

static int count_open(int limit)
{
    int n = 0;
    for (int fd = 0; fd < limit; fd++) n += is_open(fd);
    return n;
}

static long spin(long n)
{
    volatile long acc = 0;
    for (long i = 0; i < n; i++) acc += i ^ (acc >> 3);
    return acc;
}

static void *thread_main(void *arg) { (void)arg; return (void *)spin(200000); }

static int still_works(void)
{
    /* new code gets translated and compiled, a thread starts, a file opens and reads */
    pthread_t t;
    void *r;
    if (pthread_create(&t, NULL, thread_main, NULL) != 0) return 0;
    pthread_join(t, &r);
    if (r != (void *)spin(200000)) return 0;
    int fd = open("/proc/self/cmdline", O_RDONLY);
    char buf[16];
    int ok = fd >= 0 && read(fd, buf, sizeof buf) > 0;
    close(fd);
    return ok;
}

/* exec keeps non-CLOEXEC fds and nothing else; the new program numbers from the lowest free. (Not part of
 * the default run: qemu-aarch64 cannot execve an AArch64 program without binfmt_misc; see
 * tests/Emu.Tests/Signals/FdTests.cs.) */
static int exec_check(char *argv0)
{
    int kept = open("/dev/null", O_RDONLY);
    int gone = open("/dev/null", O_RDONLY | O_CLOEXEC);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", kept);
        snprintf(b, sizeof b, "%d", gone);
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0) _exit(126);
        self[n] = 0;
        char *args[] = { argv0, "child", a, b, NULL };
        execv(self, args);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    check("child exit status", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 3 && strcmp(argv[1], "child") == 0) {
        int kept = atoi(argv[2]), cloexec = atoi(argv[3]);
        check("child: the inherited fd is open", is_open(kept), 1);
        check("child: the close-on-exec fd is gone", is_open(cloexec), 0);
        int first = lowest_free(0);
        int fd = open("/dev/null", O_RDONLY);
        check("child: open gets the lowest free number", fd == first, 1);
        int bogus, listed;
        scan_proc_fd(&bogus, &listed);
        check("child: /proc/self/fd lists only open fds", bogus, 0);
        return failures != 0;
    }

    if (argc > 1 && strcmp(argv[1], "exec") == 0) return exec_check(argv[0]);

    int first = lowest_free(0);
    int fd = open("/dev/null", O_RDONLY);
    check("open returns the lowest free number", fd == first, 1);
    int second = open("/dev/null", O_RDONLY);
    check("the next open the next one", second == lowest_free(0) - 1 || second == first + 1, 1);
    close(fd);
    check("after close, that number again", open("/dev/null", O_RDONLY) == fd, 1);
    close(fd);
    close(second);

    int p[2];
    int e0 = lowest_free(0), e1 = lowest_free(e0 + 1);
    check("pipe gets the lowest free numbers", pipe(p) == 0 && p[0] == e0 && p[1] == e1, 1);
    close(p[0]);
    close(p[1]);

    int e50 = lowest_free(50);
    int d50 = fcntl(1, F_DUPFD, 50);
    check("F_DUPFD: lowest free at or above 50", d50 == e50, 1);
    close(d50);

    /* /proc/self/fd shows what fcntl says is open */
    int bogus, listed;
    scan_proc_fd(&bogus, &listed);
    check("/proc/self/fd lists only open fds", bogus, 0);
    /* compare, not print, the count: it depends on what fds the test runner passed in */
    check("and all of them", listed == count_open(1024) + 1, 1);

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    check("RLIMIT_NOFILE soft <= hard", rl.rlim_cur <= rl.rlim_max, 1);

    /* SCM_RIGHTS: a received fd gets the lowest free number and works */
    int sv[2], pp[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    (void)!pipe(pp);
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    char byte = 'x';
    struct iovec iov = { &byte, 1 };
    struct msghdr mh = { 0 };
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = cbuf;
    mh.msg_controllen = sizeof cbuf;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &pp[1], sizeof(int));
    sendmsg(sv[0], &mh, 0);
    int expect_rx = lowest_free(0);
    memset(cbuf, 0, sizeof cbuf);
    mh.msg_controllen = sizeof cbuf;
    check("recvmsg with SCM_RIGHTS", recvmsg(sv[1], &mh, 0), 1);
    int rx;
    memcpy(&rx, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
    check("received fd has the lowest free number", rx == expect_rx, 1);
    check("and writes into the pipe", write(rx, "y", 1) == 1 && read(pp[0], &byte, 1) == 1 && byte == 'y', 1);
    close(rx);
    close(pp[0]);
    close(pp[1]);
    close(sv[0]);
    close(sv[1]);

    /* closing what we do not know about */
    errno = 0;
    check("close of a never-opened fd: EBADF", close(900) == -1 && errno == EBADF, 1);
    errno = 0;
    check("write to a never-opened fd: EBADF", write(901, "x", 1) == -1 && errno == EBADF, 1);

    /* dup2 onto every number a translator might use, then close them all */
    int hits = 0;
    for (int n = 3; n < 300; n++) hits += dup2(2, n) == n;
    check("dup2 onto each of 3..299 succeeds", hits, 297);
    check("they are open", count_open(300), 300);
    check("the translator still works after dup2 over 3..299", still_works(), 1);
    check("close_range(3, ~0) succeeds", syscall(SYS_close_range, 3, ~0U, 0), 0);
    check("only 0, 1, 2 remain", count_open(1024), 3);
    check("the translator still works after close_range", still_works(), 1);
    check("and open gets 3 again", open("/dev/null", O_RDONLY), 3);
    close(3);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
