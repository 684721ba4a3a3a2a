/* File-system system calls: directories (mkdir, getdents64 through readdir,
 * rename, rmdir), *at calls relative to a directory fd, symlinks, chdir,
 * /proc/self/exe (must name the guest program, not the emulator), fcntl
 * flags, dup2, O_APPEND, readv/writev and pread/pwrite. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static int failures;
static void check(const char *label, int ok)
{
    printf("%-44s %s\n", label, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void write_file(int dirfd, const char *name, const char *text)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) { ssize_t n = write(fd, text, strlen(text)); (void)n; close(fd); }
}

int main(int argc, char **argv)
{
    (void)argc;
    setvbuf(stdout, NULL, _IOLBF, 0);
    char dir[] = "/tmp/emu-files-XXXXXX";
    check("mkdtemp", mkdtemp(dir) != NULL);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    check("open directory O_DIRECTORY", dfd >= 0);

    check("mkdirat sub", mkdirat(dfd, "sub", 0755) == 0);
    check("mkdirat existing fails EEXIST", mkdirat(dfd, "sub", 0755) == -1 && errno == EEXIST);
    write_file(dfd, "b.txt", "bravo\n");
    write_file(dfd, "a.txt", "alpha\n");
    write_file(dfd, "sub/c.txt", "charlie\n");
    check("symlinkat", symlinkat("a.txt", dfd, "link") == 0);
    char target[64] = {0};
    check("readlinkat", readlinkat(dfd, "link", target, sizeof target - 1) == 5 && strcmp(target, "a.txt") == 0);

    struct stat st;
    check("fstatat follows symlink", fstatat(dfd, "link", &st, 0) == 0 && S_ISREG(st.st_mode) && st.st_size == 6);
    check("fstatat NOFOLLOW sees symlink", fstatat(dfd, "link", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode));
    check("fstatat on directory", fstatat(dfd, "sub", &st, 0) == 0 && S_ISDIR(st.st_mode));
    check("faccessat R_OK", faccessat(dfd, "a.txt", R_OK, 0) == 0);
    check("faccessat missing ENOENT", faccessat(dfd, "nope", F_OK, 0) == -1 && errno == ENOENT);

    /* readdir (getdents64): collect, sort, print */
    DIR *d = opendir(dir);
    check("opendir", d != NULL);
    char *names[16];
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n < 16) names[n++] = strdup(e->d_name);
    if (d) closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    printf("directory entries:");
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
    check("6 entries incl . and ..", n == 6);

    check("renameat a.txt -> sub/a2.txt", renameat(dfd, "a.txt", dfd, "sub/a2.txt") == 0);
    check("old name gone", faccessat(dfd, "a.txt", F_OK, 0) == -1 && errno == ENOENT);
    check("dangling symlink now ENOENT", fstatat(dfd, "link", &st, 0) == -1 && errno == ENOENT);

    /* chdir + relative paths */
    char cwd_before[4096];
    check("getcwd", getcwd(cwd_before, sizeof cwd_before) != NULL);
    check("chdir into sub", chdir(dir) == 0 && chdir("sub") == 0);
    char cwd[4096];
    check("getcwd ends with /sub", getcwd(cwd, sizeof cwd) && strlen(cwd) > 4 && strcmp(cwd + strlen(cwd) - 4, "/sub") == 0);
    int fd = open("c.txt", O_RDONLY);
    char buf[64] = {0};
    check("relative open after chdir", fd >= 0 && read(fd, buf, sizeof buf) == 8 && strcmp(buf, "charlie\n") == 0);
    close(fd);
    check("chdir back", chdir(cwd_before) == 0);

    /* O_APPEND, pwrite/pread, writev/readv */
    fd = openat(dfd, "b.txt", O_RDWR | O_APPEND);
    check("open O_APPEND", fd >= 0);
    check("lseek to 0 then write appends", lseek(fd, 0, SEEK_SET) == 0 && write(fd, "more\n", 5) == 5);
    check("size after append", fstat(fd, &st) == 0 && st.st_size == 11);
    close(fd);
    fd = openat(dfd, "v.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
    struct iovec wv[3] = {{"one", 3}, {"", 0}, {"three", 5}};
    check("writev 3 buffers", writev(fd, wv, 3) == 8);
    check("pwrite at 3", pwrite(fd, "-", 1, 3) == 1);
    char x[4] = {0}, y[8] = {0};
    struct iovec rv[2] = {{x, 3}, {y, 5}};
    check("readv 2 buffers", lseek(fd, 0, SEEK_SET) == 0 && readv(fd, rv, 2) == 8);
    check("readv contents", strcmp(x, "one") == 0 && strcmp(y, "-hree") == 0);
    check("pread does not move offset", pread(fd, x, 3, 0) == 3 && lseek(fd, 0, SEEK_CUR) == 8);

    /* fcntl flags and dup2 */
    int flags = fcntl(fd, F_GETFL);
    check("F_GETFL is O_RDWR", flags >= 0 && (flags & O_ACCMODE) == O_RDWR);
    check("F_GETFD initially 0", fcntl(fd, F_GETFD) == 0);
    check("F_SETFD FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    check("dup2 to 50", dup2(fd, 50) == 50);
    check("dup2 shares the offset", lseek(50, 2, SEEK_SET) == 2 && lseek(fd, 0, SEEK_CUR) == 2);
    check("dup2 clears FD_CLOEXEC", fcntl(50, F_GETFD) == 0);
    int low = fcntl(fd, F_DUPFD, 60);
    check("F_DUPFD >= 60", low >= 60);
    close(low); close(50); close(fd);

    /* /proc/self/exe names the guest program */
    char exe[4096] = {0};
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *base = strrchr(exe, '/');
    const char *want = strrchr(argv[0], '/');
    check("/proc/self/exe is the guest program",
          len > 0 && base && strcmp(base + 1, want ? want + 1 : argv[0]) == 0);

    /* clean up */
    check("rmdir of non-empty dir fails ENOTEMPTY", unlinkat(dfd, "sub", AT_REMOVEDIR) == -1 && errno == ENOTEMPTY);
    check("unlinkat files", unlinkat(dfd, "sub/a2.txt", 0) == 0 && unlinkat(dfd, "sub/c.txt", 0) == 0 &&
                                unlinkat(dfd, "b.txt", 0) == 0 && unlinkat(dfd, "v.bin", 0) == 0 &&
                                unlinkat(dfd, "link", 0) == 0);
    check("unlinkat AT_REMOVEDIR sub", unlinkat(dfd, "sub", AT_REMOVEDIR) == 0);
    close(dfd);
    check("rmdir temp dir", rmdir(dir) == 0);

    printf("files: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
