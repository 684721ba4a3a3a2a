/*
 * What both launchers do before they execve the .NET translator (launcher.c: the static launcher with its
 * payload; host_launcher.c: artifacts/bin/emu-aarch64, which starts artifacts/bin/emu-aarch64-host):
 * reserve the guest's fd numbers, turn binfmt_misc's auxiliary vector into arguments and variables (our
 * execve loses it), and build the environment.
 */
#ifndef EMU_LAUNCHER_COMMON_H
#define EMU_LAUNCHER_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <unistd.h>

#define NAME "emu-aarch64"
#define EXIT_CANNOT_EXECUTE 126

#ifndef AT_FLAGS_PRESERVE_ARGV0
#define AT_FLAGS_PRESERVE_ARGV0 1
#endif

extern char **environ;

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(NAME ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(EXIT_CANNOT_EXECUTE);
}

enum { MAX_GUEST_LIMIT = 4096, MIN_GUEST_LIMIT = 256 };

/* Appends "fd" or "first-last" to the comma-separated list at buf[*len]; 0, or -1 when it does not fit. */
static int append_run(char *buf, size_t size, size_t *len, int separator, int first, int last)
{
    int n = first == last ? snprintf(buf + *len, size - *len, "%s%d", separator ? "," : "", first)
                          : snprintf(buf + *len, size - *len, "%s%d-%d", separator ? "," : "", first, last);
    if (n < 0 || (size_t)n >= size - *len) return -1;
    *len += (size_t)n;
    return 0;
}

/*
 * Marks the open numbers below limit: from one listing of /proc/self/fd (a few syscalls, where asking
 * about each number would be thousands), else by asking about each.
 */
static void find_open(unsigned char *open, int limit)
{
    memset(open, 0, (size_t)limit);
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL) {
        for (int fd = 0; fd < limit; fd++) open[fd] = fcntl(fd, F_GETFD) >= 0;
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char *end;
        long fd = strtol(de->d_name, &end, 10);
        if (end != de->d_name && *end == 0 && fd >= 0 && fd < limit && fd != dirfd(d)) open[fd] = 1;
    }
    closedir(d);
}

/*
 * The translator's fd arrangement (src/Emu/Linux/FdTable.cs): every number below the guest limit held by
 * an inherited file or a placeholder (O_PATH /dev/null), so the .NET runtime's own files land above it.
 * The translator would otherwise re-execute itself once to make it, starting the runtime twice.
 * Writes "EMU_FD_RESERVED=LIMIT:INHERITED" into var (INHERITED: the guest's fds, e.g. "0-2,5"), so the
 * translator need not examine each number again. Returns 0, or -1 when it cannot be made (the translator
 * then tries itself).
 */
static int reserve_fds(char *var, size_t size)
{
    const char *off = getenv("EMU_NO_FD_RESERVE");
    if (off != NULL && off[0] != 0) return -1;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
    rlim_t half = rl.rlim_max / 2;
    int limit = half < MAX_GUEST_LIMIT ? (int)half : MAX_GUEST_LIMIT;
    if (limit < MIN_GUEST_LIMIT) return -1;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
    static unsigned char open_numbers[MAX_GUEST_LIMIT];
    find_open(open_numbers, limit);
    int fd = open("/dev/null", O_PATH | O_CLOEXEC);
    if (fd < 0) return -1;
    int placeholder = fcntl(fd, F_DUPFD_CLOEXEC, limit);
    close(fd);
    if (placeholder < 0) return -1;
    size_t len = (size_t)snprintf(var, size, "EMU_FD_RESERVED=%d:", limit);
    int run = -1, runs = 0;
    for (fd = 0; fd <= limit; fd++) {
        int inherited = 0;
        if (fd < limit && open_numbers[fd]) {
            int flags = fcntl(fd, F_GETFD);
            /* Inherited files stay; numbers that are free, or would be after execve (close-on-exec), are held. */
            inherited = flags >= 0 && (flags & FD_CLOEXEC) == 0;
        }
        if (inherited) {
            if (run < 0) run = fd;
            continue;
        }
        if ((run >= 0 && append_run(var, size, &len, runs++ > 0, run, fd - 1) != 0) || (fd < limit && dup3(placeholder, fd, 0) < 0)) {
            close(placeholder);
            return -1;
        }
        run = -1;
    }
    close(placeholder);
    return 0;
}

/* Drops inherited copies of the variables the launchers set, and adds `extra` (NULL-terminated). */
static char **environment(char **extra)
{
    static const char *const ours[] = {"EMU_BINFMT_EXECFD=", "EMU_LAUNCHER=", "EMU_FD_RESERVED=", "EMU_SIGPIPE_IGNORED=", NULL};
    size_t n = 0, m = 0;
    while (environ[n] != NULL) n++;
    while (extra[m] != NULL) m++;
    char **env = calloc(n + m + 1, sizeof *env);
    if (env == NULL) die("out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int drop = 0;
        for (int j = 0; ours[j] != NULL; j++) drop |= strncmp(environ[i], ours[j], strlen(ours[j])) == 0;
        if (!drop) env[k++] = environ[i];
    }
    for (size_t i = 0; i < m; i++) env[k++] = extra[i];
    env[k] = NULL;
    return env;
}

/*
 * "EMU_SIGPIPE_IGNORED=1" when this launcher's caller left SIGPIPE ignored: the .NET runtime ignores it
 * before any translator code runs, so only this process can still tell (`yes | head` relies on it being at
 * its default). Other ignored signals survive the execve and the translator reads them itself.
 */
static int sigpipe_ignored(void)
{
    struct sigaction old;
    return sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_IGN;
}

/* binfmt_misc P: "interpreter path argv0 args..." becomes the translator's "-0 argv0 -- path args...". */
static char **translator_args(int argc, char **argv)
{
    unsigned long flags = getauxval(AT_FLAGS);
    char **args = calloc((size_t)argc + 3, sizeof *args);
    if (args == NULL) die("out of memory");
    int n = 0;
    args[n++] = argv[0];
    if ((flags & AT_FLAGS_PRESERVE_ARGV0) != 0 && argc >= 3) {
        args[n++] = "-0";
        args[n++] = argv[2];
        args[n++] = "--";
        args[n++] = argv[1];
        for (int a = 3; a < argc; a++) args[n++] = argv[a];
    } else {
        for (int a = 1; a < argc; a++) args[n++] = argv[a];
    }
    args[n] = NULL;
    return args;
}

/*
 * The translator's environment: this one with EMU_BINFMT_EXECFD (binfmt_misc O/C's AT_EXECFD), EMU_LAUNCHER
 * (this file, which `--binfmt install` registers) and EMU_FD_RESERVED, after reserving the fds. *reserved
 * says whether they were (else the translator re-executes itself to try).
 */
static char **translator_environment(int *reserved)
{
    static char execfd_var[64], launcher_var[PATH_MAX + 16], fd_var[64 + 8 * MAX_GUEST_LIMIT];
    static char *extra[5];
    int e = 0;
    unsigned long execfd = getauxval(AT_EXECFD);
    if (execfd != 0) {
        snprintf(execfd_var, sizeof execfd_var, "EMU_BINFMT_EXECFD=%lu", execfd);
        extra[e++] = execfd_var;
    }
    ssize_t len = readlink("/proc/self/exe", launcher_var + 13, sizeof launcher_var - 14);
    if (len > 0) {
        memcpy(launcher_var, "EMU_LAUNCHER=", 13);
        launcher_var[13 + len] = 0;
        extra[e++] = launcher_var;
    }
    /* A translator's execve of a guest program hands on its own arrangement (FdTable.PrepareExec), with every
       number still open: kept as it is rather than examined and reserved again. */
    const char *handed = getenv("EMU_FD_RESERVED");
    if (handed != NULL && *handed != 0 && (size_t)snprintf(fd_var, sizeof fd_var, "EMU_FD_RESERVED=%s", handed) < sizeof fd_var)
        *reserved = 1;
    else
        *reserved = reserve_fds(fd_var, sizeof fd_var) == 0;
    if (*reserved) extra[e++] = fd_var;
    if (getenv("EMU_SIG_IGNORED") == NULL && sigpipe_ignored()) extra[e++] = "EMU_SIGPIPE_IGNORED=1";
    extra[e] = NULL;
    return environment(extra);
}

/* Runs `translator` with `args` and translator_environment(). Does not return. */
static void exec_translator(const char *translator, char **args) __attribute__((noreturn));
static void exec_translator(const char *translator, char **args)
{
    int reserved;
    execve(translator, args, translator_environment(&reserved));
    die("cannot run %s: %s", translator, strerror(errno));
}

#endif
