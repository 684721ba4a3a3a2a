/* Linux syscall layer: files, memory management, process info, time,
 * randomness and pipes, each checked for the documented result. Prints only
 * deterministic facts (no pids, times, addresses). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int failures;
static void check(const char *label, int ok)
{
    printf("%-44s %s\n", label, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static void test_files(void)
{
    char path[] = "/tmp/emu-syscalls-XXXXXX";
    int fd = mkstemp(path);
    check("mkstemp", fd >= 0);
    if (fd < 0) return;
    static const char text[] = "0123456789abcdefghij";
    check("write 20 bytes", write(fd, text, 20) == 20);
    check("lseek SEEK_CUR == 20", lseek(fd, 0, SEEK_CUR) == 20);
    check("lseek SEEK_SET 5", lseek(fd, 5, SEEK_SET) == 5);
    char buf[32] = {0};
    check("read 10 bytes at 5", read(fd, buf, 10) == 10 && memcmp(buf, "56789abcde", 10) == 0);
    check("lseek SEEK_END -3", lseek(fd, -3, SEEK_END) == 17);
    check("read at EOF-3 returns 3", read(fd, buf, sizeof buf) == 3 && memcmp(buf, "hij", 3) == 0);
    check("read at EOF returns 0", read(fd, buf, sizeof buf) == 0);
    check("pread at 10", pread(fd, buf, 4, 10) == 4 && memcmp(buf, "abcd", 4) == 0);

    struct stat st;
    check("fstat", fstat(fd, &st) == 0);
    check("st_size == 20", st.st_size == 20);
    check("S_ISREG", S_ISREG(st.st_mode));
    check("mode 0600 from mkstemp", (st.st_mode & 0777) == 0600);
    struct stat st2;
    check("stat by path matches inode", stat(path, &st2) == 0 && st2.st_ino == st.st_ino);
    check("ftruncate to 7", ftruncate(fd, 7) == 0 && fstat(fd, &st) == 0 && st.st_size == 7);
    check("close", close(fd) == 0);
    check("close again fails with EBADF", close(fd) == -1 && errno == EBADF);

    fd = open(path, O_RDONLY);
    check("reopen O_RDONLY", fd >= 0);
    check("write to O_RDONLY fd fails EBADF", write(fd, "x", 1) == -1 && errno == EBADF);
    close(fd);

    /* stdio on top of the same syscalls */
    FILE *f = fopen(path, "a+");
    check("fopen a+", f != NULL);
    if (f) {
        fputs("TAIL", f);
        fflush(f);
        rewind(f);
        char line[64] = {0};
        check("fgets sees truncated text + appended", fgets(line, sizeof line, f) && strcmp(line, "0123456TAIL") == 0);
        fclose(f);
    }
    check("unlink", unlink(path) == 0);
    check("open after unlink fails ENOENT", open(path, O_RDONLY) == -1 && errno == ENOENT);
}

static void test_memory(void)
{
    /* brk: grow by 1 MiB and touch it */
    void *cur = (void *)syscall(SYS_brk, 0);
    void *want = (char *)cur + (1 << 20);
    void *got = (void *)syscall(SYS_brk, want);
    check("brk grows by 1 MiB", got == want);
    if (got == want) {
        memset(cur, 0xA5, 1 << 20);
        check("brk memory is writable", ((unsigned char *)cur)[(1 << 20) - 1] == 0xA5);
        check("brk shrinks back", (void *)syscall(SYS_brk, cur) == cur);
    }

    /* small and large (mmap-backed) malloc blocks */
    size_t sizes[] = {16, 4000, 200000, 64u << 20};
    for (int i = 0; i < 4; i++) {
        size_t n = sizes[i];
        unsigned char *p = malloc(n);
        int ok = p != NULL && n >= 8;
        if (ok) {
            for (size_t k = 0; k < n; k += 4096) p[k] = (unsigned char)k;
            memset(p + n - 8, 0x5A, 8);
            for (size_t k = 0; k < n - 8; k += 4096) ok &= p[k] == (unsigned char)k;
            ok &= p[n - 1] == 0x5A;
        }
        char label[64];
        snprintf(label, sizeof label, "malloc(%zu) usable", n);
        check(label, ok);
        free(p);
    }
    unsigned char *z = calloc(1 << 20, 4);
    int zero = z != NULL;
    for (size_t k = 0; zero && k < (4u << 20); k += 997) zero &= z[k] == 0;
    check("calloc(4 MiB) is zeroed", zero);
    free(z);
    char *r = malloc(100);
    strcpy(r, "keep me");
    r = realloc(r, 10 << 20);
    check("realloc to 10 MiB keeps contents", r && strcmp(r, "keep me") == 0);
    free(r);

    /* anonymous mmap is zeroed; mprotect read-only keeps data readable */
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check("mmap 4 pages", m != MAP_FAILED);
    if (m == MAP_FAILED) return;
    check("mmap is page aligned", ((uintptr_t)m & (page - 1)) == 0);
    check("mmap memory is zero", m[0] == 0 && m[4 * page - 1] == 0);
    m[page] = 77;
    check("mprotect PROT_READ", mprotect(m, 4 * page, PROT_READ) == 0);
    check("read after mprotect", m[page] == 77);
    check("mprotect back to RW", mprotect(m, 4 * page, PROT_READ | PROT_WRITE) == 0);
    m[page] = 78;
    check("write after mprotect RW", m[page] == 78);
    check("munmap", munmap(m, 4 * page) == 0);
    check("mprotect unaligned fails EINVAL", mprotect((char *)m + 1, page, PROT_READ) == -1 && errno == EINVAL);
}

static void test_process(void)
{
    struct utsname u;
    check("uname", uname(&u) == 0);
    printf("uname machine = %s\n", u.machine);
    check("machine is aarch64", strcmp(u.machine, "aarch64") == 0);
    check("sysname is Linux", strcmp(u.sysname, "Linux") == 0);

    pid_t pid = getpid();
    check("getpid > 0", pid > 0);
    check("getpid stable", getpid() == pid);
    check("gettid == getpid (single thread)", gettid() == pid);
    check("getppid > 0", getppid() > 0);
    check("getuid == geteuid", getuid() == geteuid());

    char cwd[4096];
    check("getcwd absolute", getcwd(cwd, sizeof cwd) && cwd[0] == '/');
}

static void test_time_random(void)
{
    struct timespec a, b;
    check("clock_gettime MONOTONIC", clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    volatile uint64_t spin = 0;
    for (int i = 0; i < 1000000; i++) spin += i;
    clock_gettime(CLOCK_MONOTONIC, &b);
    check("monotonic does not go back",
          b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
    check("tv_nsec in range", a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
    struct timespec rt;
    check("CLOCK_REALTIME after 2020", clock_gettime(CLOCK_REALTIME, &rt) == 0 && rt.tv_sec > 1577836800);
    check("time() after 2020", time(NULL) > 1577836800);
    struct timespec req = {0, 1000000};
    check("nanosleep 1 ms", nanosleep(&req, NULL) == 0);

    unsigned char r1[64], r2[64];
    check("getrandom 64", getrandom(r1, sizeof r1, 0) == 64);
    check("getrandom 64 again", getrandom(r2, sizeof r2, 0) == 64);
    check("two draws differ", memcmp(r1, r2, sizeof r1) != 0);
}

static void test_pipe(void)
{
    int fds[2];
    check("pipe", pipe(fds) == 0);
    check("write 5 into pipe", write(fds[1], "hello", 5) == 5);
    char buf[16] = {0};
    check("read 5 from pipe", read(fds[0], buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0);
    close(fds[1]);
    check("read after writer closed returns 0", read(fds[0], buf, sizeof buf) == 0);
    close(fds[0]);

    int d = dup(1);
    check("dup(1)", d > 2);
    fflush(stdout);
    static const char msg[] = "written through dup'd stdout\n";
    check("write via dup", write(d, msg, sizeof msg - 1) == (ssize_t)(sizeof msg - 1));
    close(d);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_files();
    test_memory();
    test_process();
    test_time_random();
    test_pipe();
    printf("syscalls: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
