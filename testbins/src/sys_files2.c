/* File syscalls beyond the basics: inotify, splice/tee/vmsplice, timerfd,
 * preadv2/pwritev2, sync_file_range, readahead, fallocate, extended attribute
 * errors, and EFAULT for bad pointers. Temporary files live in a mkdtemp
 * directory; only deterministic facts are printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

/* An address the compiler cannot see through (it warns about constant bad pointers). */
static void *volatile bad_pointer = (void *)1;

static int failures;
static void check(const char *label, int ok)
{
    printf("%-52s %s\n", label, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static char dir[64];

static void test_inotify(void)
{
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    check("inotify_init1 NONBLOCK|CLOEXEC", fd >= 0);
    if (fd < 0) return;
    check("inotify fd is close-on-exec", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    check("inotify fd is non-blocking", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    int wd = inotify_add_watch(fd, dir, IN_CREATE | IN_DELETE);
    check("inotify_add_watch on the directory", wd >= 0);
    char buf[4096] __attribute__((aligned(8)));
    check("no event yet: EAGAIN", read(fd, buf, sizeof buf) == -1 && errno == EAGAIN);
    char path[128];
    snprintf(path, sizeof path, "%s/created", dir);
    close(open(path, O_CREAT | O_WRONLY, 0600));
    unlink(path);
    ssize_t n = read(fd, buf, sizeof buf);
    check("read returns events", n > 0);
    int creates = 0, deletes = 0, named = 0;
    for (ssize_t off = 0; off < n;)
    {
        struct inotify_event *ev = (struct inotify_event *)(buf + off);
        if (ev->wd == wd && (ev->mask & IN_CREATE)) creates++;
        if (ev->wd == wd && (ev->mask & IN_DELETE)) deletes++;
        if (ev->len > 0 && strcmp(ev->name, "created") == 0) named++;
        off += sizeof *ev + ev->len;
    }
    check("IN_CREATE then IN_DELETE, both named", creates == 1 && deletes == 1 && named == 2);
    check("inotify_rm_watch", inotify_rm_watch(fd, wd) == 0);
    check("inotify_rm_watch again: EINVAL", inotify_rm_watch(fd, wd) == -1 && errno == EINVAL);
    check("inotify_add_watch bad path: EFAULT", inotify_add_watch(fd, (char *)bad_pointer, IN_CREATE) == -1 && errno == EFAULT);
    close(fd);
}

static void test_pipes(void)
{
    int a[2], b[2];
    check("two pipes", pipe(a) == 0 && pipe(b) == 0);
    char text[] = "spliced text";
    struct iovec iov[2] = { { text, 7 }, { text + 7, 5 } };
    check("vmsplice 12 bytes from two iovecs", vmsplice(a[1], iov, 2, 0) == 12);
    check("tee 12 bytes into the second pipe", tee(a[0], b[1], 64, 0) == 12);
    char path[128];
    snprintf(path, sizeof path, "%s/splice", dir);
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    loff_t off = 4;
    check("splice pipe -> file at offset 4", splice(a[0], NULL, fd, &off, 64, 0) == 12);
    check("splice advanced the offset to 16", off == 16);
    char buf[32] = { 0 };
    check("pread shows the text at 4", pread(fd, buf, 12, 4) == 12 && memcmp(buf, text, 12) == 0);
    memset(buf, 0, sizeof buf);
    check("tee left the bytes in the second pipe", read(b[0], buf, sizeof buf) == 12 && memcmp(buf, text, 12) == 0);
    loff_t in = 4;
    check("splice file -> pipe from offset 4", splice(fd, &in, a[1], NULL, 5, 0) == 5);
    check("read back 'splic'", read(a[0], buf, 5) == 5 && memcmp(buf, "splic", 5) == 0);
    check("splice bad offset pointer: EFAULT", splice(fd, (loff_t *)bad_pointer, a[1], NULL, 5, 0) == -1 && errno == EFAULT);
    check("vmsplice bad iovec: EFAULT", vmsplice(a[1], (struct iovec *)bad_pointer, 1, 0) == -1 && errno == EFAULT);

    check("sync_file_range", sync_file_range(fd, 0, 16, SYNC_FILE_RANGE_WRITE) == 0);
    check("readahead", readahead(fd, 0, 4096) == 0);
    check("fallocate 8192 bytes", fallocate(fd, 0, 0, 8192) == 0);
    struct stat st;
    check("size is 8192 after fallocate", fstat(fd, &st) == 0 && st.st_size == 8192);
    char one[] = "AB", two[] = "CDE";
    struct iovec w[2] = { { one, 2 }, { two, 3 } };
    check("pwritev2 at 100", pwritev2(fd, w, 2, 100, 0) == 5);
    char r1[3] = { 0 }, r2[3] = { 0 };
    struct iovec r[2] = { { r1, 2 }, { r2, 3 } };
    check("preadv2 at 100 scatters ABCDE", preadv2(fd, r, 2, 100, 0) == 5 && memcmp(r1, "AB", 2) == 0 && memcmp(r2, "CDE", 3) == 0);
    check("preadv2 with unknown RWF flag: EOPNOTSUPP", preadv2(fd, r, 2, 100, 0x40000000) == -1 && errno == EOPNOTSUPP);
    check("preadv2 bad iovec: EFAULT", preadv2(fd, (struct iovec *)bad_pointer, 1, 0, 0) == -1 && errno == EFAULT);
    close(fd);
    unlink(path);
    close(a[0]); close(a[1]); close(b[0]); close(b[1]);
}

static void test_timerfd(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    check("timerfd_create NONBLOCK|CLOEXEC", fd >= 0);
    if (fd < 0) return;
    check("timerfd is close-on-exec", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    uint64_t ticks;
    check("unarmed timer read: EAGAIN", read(fd, &ticks, 8) == -1 && errno == EAGAIN);
    struct itimerspec its = { { 0, 0 }, { 100, 0 } }, cur;
    check("timerfd_settime 100 s", timerfd_settime(fd, 0, &its, NULL) == 0);
    check("timerfd_gettime: 90..100 s left, no interval", timerfd_gettime(fd, &cur) == 0 && cur.it_value.tv_sec >= 90
        && cur.it_value.tv_sec <= 100 && cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0);
    struct itimerspec soon = { { 0, 0 }, { 0, 1000000 } }, old;
    check("re-arm for 1 ms returns the old setting", timerfd_settime(fd, 0, &soon, &old) == 0 && old.it_value.tv_sec >= 90);
    struct timespec wait = { 0, 20000000 };
    nanosleep(&wait, NULL);
    check("expired once: read gives 1", read(fd, &ticks, 8) == 8 && ticks == 1);
    check("timerfd_settime bad pointer: EFAULT", timerfd_settime(fd, 0, (struct itimerspec *)bad_pointer, NULL) == -1 && errno == EFAULT);
    check("timerfd_gettime bad pointer: EFAULT", timerfd_gettime(fd, (struct itimerspec *)bad_pointer) == -1 && errno == EFAULT);
    close(fd);
}

static void test_xattr_errors(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/x", dir);
    close(open(path, O_CREAT | O_WRONLY, 0600));
    char value[16];
    /* user.* attributes are not supported everywhere; a missing one is ENODATA where they are. */
    ssize_t r = getxattr(path, "user.emu-missing", value, sizeof value);
    check("getxattr of a missing attribute fails", r == -1 && (errno == ENODATA || errno == ENOTSUP));
    check("getxattr on a missing file: ENOENT", getxattr("/nonexistent-emu", "user.a", value, sizeof value) == -1 && errno == ENOENT);
    check("getxattr bad path: EFAULT", getxattr((char *)bad_pointer, "user.a", value, sizeof value) == -1 && errno == EFAULT);
    check("getxattr bad name: EFAULT", getxattr(path, (char *)bad_pointer, value, sizeof value) == -1 && errno == EFAULT);
    check("listxattr size query succeeds", listxattr(path, NULL, 0) >= 0);
    check("removexattr of a missing attribute fails", removexattr(path, "user.emu-missing") == -1 && (errno == ENODATA || errno == ENOTSUP));
    unlink(path);
}

int main(void)
{
    strcpy(dir, "/tmp/emu-sysfiles2-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    test_inotify();
    test_pipes();
    test_timerfd();
    test_xattr_errors();
    rmdir(dir);
    printf("failures: %d\n", failures);
    return failures != 0;
}
