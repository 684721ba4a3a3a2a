// What /proc/self/status and /proc/self/stat say about the process's own signal state, and what a host
// program started by execve inherits of it (ignored signals and the blocked mask).
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_signal(int signo) { (void)signo; }

// The hex mask on line "<key>:" of a /proc status file.
static unsigned long long status_mask(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(1); }
    char line[256];
    size_t n = strlen(key);
    unsigned long long value = ~0ULL;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0 && line[n] == ':') value = strtoull(line + n + 1, NULL, 16);
    fclose(f);
    return value;
}

static void status_text(const char *path, const char *key, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(1); }
    char line[256];
    size_t n = strlen(key);
    out[0] = 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0 && line[n] == ':')
        {
            char *v = line + n + 1;
            while (*v == '\t' || *v == ' ') v++;
            v[strcspn(v, "\n")] = 0;
            snprintf(out, size, "%s", v);
        }
    fclose(f);
}

static int has(unsigned long long mask, int signo) { return (int)((mask >> (signo - 1)) & 1); }

// Every signal a program may change back to its default action, nothing blocked: a known start.
static void reset_all(void)
{
    for (int s = 1; s < 65; s++)
        if (s != SIGKILL && s != SIGSTOP && (s < 32 || s > 34)) signal(s, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static void dispositions(void)
{
    reset_all();
    unsigned long long ign = status_mask("/proc/self/status", "SigIgn");
    printf("default: SIGPIPE ignored %d, SIGUSR2 ignored %d\n", has(ign, SIGPIPE), has(ign, SIGUSR2));
    signal(SIGPIPE, SIG_IGN);
    signal(SIGUSR2, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    ign = status_mask("/proc/self/status", "SigIgn");
    unsigned long long cgt = status_mask("/proc/self/status", "SigCgt");
    printf("after SIG_IGN: SIGPIPE ignored %d, SIGUSR2 ignored %d, SIGUSR1 ignored %d\n",
           has(ign, SIGPIPE), has(ign, SIGUSR2), has(ign, SIGUSR1));
    printf("after sigaction: SIGUSR1 caught %d, SIGPIPE caught %d\n", has(cgt, SIGUSR1), has(cgt, SIGPIPE));
    signal(SIGUSR2, SIG_DFL);
    ign = status_mask("/proc/self/status", "SigIgn");
    printf("SIGUSR2 back to default: ignored %d\n", has(ign, SIGUSR2));
}

static void *thread_main(void *arg)
{
    (void)arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/status", (long)syscall(SYS_gettid));
    char name[64];
    status_text("/proc/thread-self/status", "Name", name, sizeof name);
    printf("thread: thread-self SigBlk %llx, task SigBlk %llx, Name %s\n",
           status_mask("/proc/thread-self/status", "SigBlk"), status_mask(path, "SigBlk"), name);
    return NULL;
}

// Details a real kernel shows and qemu-user does not (it reports its own host state for these).
static void full(void)
{
    reset_all();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGHUP, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR2);                       // thread-directed: SigPnd
    kill(getpid(), SIGINT);               // process-directed: ShdPnd
    const char *p = "/proc/self/status";
    printf("SigPnd %llx ShdPnd %llx SigBlk %llx SigIgn %llx SigCgt %llx\n", status_mask(p, "SigPnd"),
           status_mask(p, "ShdPnd"), status_mask(p, "SigBlk"), status_mask(p, "SigIgn"), status_mask(p, "SigCgt"));
    char text[64];
    status_text(p, "SigQ", text, sizeof text);
    printf("SigQ %.*s\n", (int)strcspn(text, "/"), text);
    status_text(p, "Name", text, sizeof text);
    printf("Name %s\n", text);
    status_text(p, "Threads", text, sizeof text);
    printf("Threads %s\n", text);
    char own[64];
    snprintf(own, sizeof own, "/proc/%d/status", (int)getpid());
    printf("pid path SigIgn %llx\n", status_mask(own, "SigIgn"));

    // /proc/self/stat: fields 31-34 are pending, blocked, ignored, caught (decimal, low 31 bits).
    FILE *f = fopen("/proc/self/stat", "r");
    char stat[1024];
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = 0;
    char *rest = strrchr(stat, ')') + 2;
    unsigned long long field[64] = {0};
    int count = 3;
    for (char *tok = strtok(rest, " "); tok && count < 64; tok = strtok(NULL, " "), count++)
        if (count > 3) field[count] = strtoull(tok, NULL, 10);
    printf("stat: threads %llu signal %llx blocked %llx sigignore %llx sigcatch %llx\n", field[20], field[31],
           field[32], field[33], field[34]);

    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_join(t, NULL);
    sigset_t pending;
    sigpending(&pending);
    printf("still pending: SIGUSR2 %d SIGINT %d\n", sigismember(&pending, SIGUSR2), sigismember(&pending, SIGINT));
    fflush(stdout);
    _exit(0); // SIGINT and SIGUSR2 stay pending and blocked
}

// execve of a host program (argv[2...]) with SIGPIPE ignored or not (argv[1]) and SIGUSR1 blocked.
static void exec_host(char **argv)
{
    reset_all();
    if (strcmp(argv[0], "ignore") == 0) signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL); // a handler becomes SIG_DFL across execve
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    fflush(stdout);
    execv(argv[1], argv + 1);
    perror("execv");
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "full") == 0) full();
    else if (argc > 1 && strcmp(argv[1], "report") == 0)
        printf("SigBlk %llx SigIgn %llx\n", status_mask("/proc/self/status", "SigBlk"), status_mask("/proc/self/status", "SigIgn"));
    else if (argc > 3 && strcmp(argv[1], "exec") == 0) exec_host(argv + 2);
    else
    {
        dispositions();
        // What a host program inherits: SIGPIPE at default or ignored, as the guest left it.
        const char *modes[] = {"keep", "ignore"};
        for (int i = 0; i < 2; i++)
        {
            printf("exec with SIGPIPE %s:\n", modes[i]);
            fflush(stdout);
            pid_t pid = fork();
            if (pid == 0)
            {
                char *args[] = {(char *)modes[i], "/bin/grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status", NULL};
                exec_host(args);
            }
            int status;
            waitpid(pid, &status, 0);
        }
    }
    return 0;
}
