/*
 * Static launcher for binfmt_misc flag F (scripts/build --binfmt-static, docs/binfmt.md).
 *
 * With F the kernel opens the interpreter once and runs it inside any chroot or container, where no host
 * file exists. This program is linked statically and carries a payload in its own PT_LOAD segment (so it
 * needs neither a path to itself nor /proc to read it): the self-contained single-file emu-aarch64 and
 * the x86-64 ld.so and libraries it needs. It extracts the payload once per content hash into
 *   $EMU_EXTRACT_DIR (ignored for AT_SECURE), else /dev/shm, else /tmp  ->  BASE/emu-aarch64-EUID/HASH/
 * (the per-uid directory mode 0700 and owned by us; extraction into a temporary directory renamed into
 * place, so concurrent first starts are safe) and execs the translator from there. The extracted
 * translator's PT_INTERP and DT_RPATH were set at build time to long placeholders, which are overwritten
 * here with the extracted ld.so and directory: neither the kernel nor ld.so nor the .NET host then opens
 * a file outside the extraction directory, and /proc/self/exe names the extracted translator, so its own
 * re-executions use the extracted copy too.
 *
 * What the kernel tells an interpreter in the auxiliary vector is lost by our execve; it goes on as:
 * P (AT_FLAGS_PRESERVE_ARGV0) as the "-0 argv0 -- path" command line, O/C (AT_EXECFD) as the inherited
 * fd named in EMU_BINFMT_EXECFD; AT_SECURE the kernel sets again itself (euid != uid still holds).
 */
#include "launcher_common.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>

#ifndef PAYLOAD_HASH
#error PAYLOAD_HASH (sha256 of the payload, hex) must be defined by scripts/build
#endif
#if !defined(INTERP_OFFSET) || !defined(INTERP_ROOM) || !defined(RPATH_OFFSET) || !defined(RPATH_ROOM)
#error INTERP_OFFSET/INTERP_ROOM/RPATH_OFFSET/RPATH_ROOM (placeholders in the translator) must be defined
#endif

#define TRANSLATOR "emu-aarch64"
#define LOADER "ld-linux-x86-64.so.2"
#define MARKER ".emu-extracted"
#define INTERP_PREFIX "/emu-aarch64-launcher-interp-"
#define RPATH_PREFIX "/emu-aarch64-launcher-rpath-"

extern const unsigned char emu_payload_start[], emu_payload_end[];

static const char payload_hash[] = PAYLOAD_HASH;

/* One payload entry: "name\0mode-octal\0size-decimal\0" then size bytes (written by scripts/build). */
struct entry {
    const char *name;
    mode_t mode;
    size_t size;
    const unsigned char *data;
};

/* Reads the entry at *pos and advances it; 0 at the end, -1 if the payload is malformed. */
static int next_entry(const unsigned char **pos, struct entry *e)
{
    const unsigned char *p = *pos, *end = emu_payload_end;
    if (p >= end) return 0;
    const char *fields[3];
    for (int i = 0; i < 3; i++) {
        const unsigned char *nul = memchr(p, 0, (size_t)(end - p));
        if (nul == NULL) return -1;
        fields[i] = (const char *)p;
        p = nul + 1;
    }
    char *tail;
    e->name = fields[0];
    e->mode = (mode_t)strtoul(fields[1], &tail, 8);
    if (*tail != 0) return -1;
    unsigned long long size = strtoull(fields[2], &tail, 10);
    if (*tail != 0 || size > (unsigned long long)(end - p) || strchr(e->name, '/') != NULL || e->name[0] == 0) return -1;
    e->size = (size_t)size;
    e->data = p;
    *pos = p + size;
    return 1;
}

static int write_all(int fd, const void *buf, size_t len, off_t at)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = pwrite(fd, p, len > (1u << 30) ? (1u << 30) : len, at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
        at += n;
    }
    return 0;
}

/* Overwrites a build-time placeholder of `room` bytes at `offset` of the translator with `value`, NUL-padded. */
static int patch_placeholder(int fd, const struct entry *e, unsigned long offset, size_t room, const char *prefix, const char *value)
{
    char buf[PATH_MAX];
    size_t len = strlen(value);
    if (offset + room > e->size || room > sizeof buf || len >= room || memcmp(e->data + offset, prefix, strlen(prefix)) != 0) {
        errno = len >= room ? ENAMETOOLONG : EINVAL;
        return -1;
    }
    memset(buf, 0, room);
    memcpy(buf, value, len);
    return write_all(fd, buf, room, (off_t)offset);
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL)
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) unlinkat(dirfd(d), de->d_name, 0);
        closedir(d);
    }
    rmdir(dir);
}

/* Removes temporary directories ".tmp-HASH-PID-XXXXXX" in `uiddir` left by extractions whose process is gone (killed). */
static void remove_abandoned(const char *uiddir)
{
    DIR *d = opendir(uiddir);
    if (d == NULL) return;
    struct dirent *de;
    char path[PATH_MAX];
    while ((de = readdir(d)) != NULL) {
        const char *dash;
        if (strncmp(de->d_name, ".tmp-", 5) != 0 || (dash = strchr(de->d_name + 5, '-')) == NULL) continue;
        long pid = strtol(dash + 1, NULL, 10);
        if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
        if (snprintf(path, sizeof path, "%s/%s", uiddir, de->d_name) < (int)sizeof path) remove_dir(path);
    }
    closedir(d);
}

/* True when dir/MARKER holds our hash: a complete extraction of this payload. */
static int extraction_complete(const char *dir)
{
    char path[PATH_MAX], buf[sizeof payload_hash + 1];
    if (snprintf(path, sizeof path, "%s/%s", dir, MARKER) >= (int)sizeof path) return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n == (ssize_t)sizeof payload_hash && memcmp(buf, payload_hash, sizeof payload_hash - 1) == 0 && buf[n - 1] == '\n';
}

/* Writes the payload into `tmp`, patched for its final place `final`; 0 or -1 with errno set. */
static int extract(const char *tmp, const char *final)
{
    char path[PATH_MAX], interp[PATH_MAX];
    const unsigned char *pos = emu_payload_start;
    struct entry e;
    int r;
    if (snprintf(interp, sizeof interp, "%s/%s", final, LOADER) >= (int)sizeof interp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    while ((r = next_entry(&pos, &e)) > 0) {
        if (snprintf(path, sizeof path, "%s/%s", tmp, e.name) >= (int)sizeof path) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, e.mode & 0755);
        if (fd < 0) return -1;
        int ok = write_all(fd, e.data, e.size, 0) == 0;
        if (ok && strcmp(e.name, TRANSLATOR) == 0)
            ok = patch_placeholder(fd, &e, INTERP_OFFSET, INTERP_ROOM, INTERP_PREFIX, interp) == 0 &&
                 patch_placeholder(fd, &e, RPATH_OFFSET, RPATH_ROOM, RPATH_PREFIX, final) == 0;
        int saved = errno;
        if (close(fd) != 0 && ok) return -1;
        if (!ok) {
            errno = saved;
            return -1;
        }
    }
    if (r < 0) {
        errno = EINVAL;
        return -1;
    }
    /* The marker last: its presence means every file before it is complete. */
    if (snprintf(path, sizeof path, "%s/%s", tmp, MARKER) >= (int)sizeof path) return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return -1;
    char line[sizeof payload_hash + 1];
    memcpy(line, payload_hash, sizeof payload_hash - 1);
    line[sizeof payload_hash - 1] = '\n';
    int ok = write_all(fd, line, sizeof payload_hash, 0) == 0;
    if (close(fd) != 0 || !ok) return -1;
    return 0;
}

/*
 * Makes BASE/emu-aarch64-EUID/HASH hold the extracted payload and puts its path in `out`.
 * Returns 0, or -1 with a reason in `why` (then the next base is tried).
 */
static int prepare(const char *base, char *out, size_t outlen, char *why, size_t whylen)
{
    char uiddir[PATH_MAX], tmp[PATH_MAX], absolute[PATH_MAX];
    uid_t euid = geteuid();
    struct stat st;
    /* PT_INTERP and DT_RPATH must not depend on the working directory. */
    if (base[0] != '/') {
        if (realpath(base, absolute) == NULL) {
            snprintf(why, whylen, "%s: %s", base, strerror(errno));
            return -1;
        }
        base = absolute;
    }
    if (snprintf(uiddir, sizeof uiddir, "%s/" NAME "-%u", base, (unsigned)euid) >= (int)sizeof uiddir ||
        snprintf(out, outlen, "%s/%.16s", uiddir, payload_hash) >= (int)outlen) {
        snprintf(why, whylen, "%s: path too long", base);
        return -1;
    }
    if (mkdir(uiddir, 0700) != 0 && errno != EEXIST) {
        snprintf(why, whylen, "cannot create %s: %s", uiddir, strerror(errno));
        return -1;
    }
    /* In a shared /tmp someone else could have made it first: use it only if it is ours alone. */
    if (lstat(uiddir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != euid || (st.st_mode & 077) != 0) {
        snprintf(why, whylen, "%s is not a directory of uid %u with mode 0700", uiddir, (unsigned)euid);
        return -1;
    }
    if (extraction_complete(out)) return 0;

    remove_abandoned(uiddir);
    if (snprintf(tmp, sizeof tmp, "%s/.tmp-%.16s-%ld-XXXXXX", uiddir, payload_hash, (long)getpid()) >= (int)sizeof tmp || mkdtemp(tmp) == NULL) {
        snprintf(why, whylen, "cannot create a directory in %s: %s", uiddir, strerror(errno));
        return -1;
    }
    if (extract(tmp, out) != 0) {
        snprintf(why, whylen, "cannot extract into %s: %s", uiddir, strerror(errno));
        remove_dir(tmp);
        return -1;
    }
    if (rename(tmp, out) == 0) return 0;
    int err = errno;
    remove_dir(tmp);
    /* A concurrent first start renamed its copy into place first: use that one. */
    if ((err == EEXIST || err == ENOTEMPTY) && extraction_complete(out)) return 0;
    snprintf(why, whylen, "cannot rename the extracted copy to %s: %s", out, strerror(err));
    return -1;
}

int main(int argc, char **argv)
{
    unsigned long secure = getauxval(AT_SECURE);
    struct stat st;

    /* The .NET host finds its own file through /proc/self/exe; without /proc it could not start. */
    if (lstat("/proc/self/exe", &st) != 0)
        die("/proc is not mounted here; the translator needs /proc/self/exe (mount -t proc proc /proc)");

    const char *bases[3];
    int nbases = 0;
    const char *chosen = secure ? NULL : getenv("EMU_EXTRACT_DIR");
    if (chosen != NULL && chosen[0] != 0) {
        bases[nbases++] = chosen;
    } else {
        bases[nbases++] = "/dev/shm";
        bases[nbases++] = "/tmp";
    }
    char dir[PATH_MAX], why[3][PATH_MAX + 128];
    int i;
    for (i = 0; i < nbases; i++)
        if (prepare(bases[i], dir, sizeof dir, why[i], sizeof why[i]) == 0) break;
    if (i == nbases) {
        if (nbases == 1) die("no writable place to extract the translator: %s (EMU_EXTRACT_DIR)", why[0]);
        die("no writable place to extract the translator: %s; %s", why[0], why[1]);
    }

    char translator[PATH_MAX];
    if (snprintf(translator, sizeof translator, "%s/" TRANSLATOR, dir) >= (int)sizeof translator) die("%s: path too long", dir);

    exec_translator(translator, translator_args(argc, argv));
}
