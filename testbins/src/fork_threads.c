/* fork from a multithreaded process: while other threads spin in guest code, make short system calls
 * or sleep in a condition wait, the main thread forks repeatedly. Each child does enough work to make the
 * translator allocate (new code, system calls with paths) and compile hot code, then exits; the parent
 * checks every child's status. A child that hangs fails by timeout. (No thread in the child: qemu-aarch64
 * itself asserts when a fork child of a multithreaded process creates one.) */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORKS 8
#define SPINNERS 3

static volatile int stop;
static volatile unsigned long spins[SPINNERS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

static void *spinner(void *arg)
{
    long index = (long)arg;
    unsigned long x = (unsigned long)index + 1, n = 0;
    while (!stop) {
        for (int i = 0; i < 1000; i++) x = x * 6364136223846793005ul + 1442695040888963407ul;
        n++;
    }
    spins[index] = n + (x & 0); /* keep the loop's work observable */
    return NULL;
}

static void *syscaller(void *arg)
{
    (void)arg;
    while (!stop) {
        struct stat st;
        stat("/", &st);
        getppid();
    }
    return NULL;
}

static void *sleeper(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!stop) pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* Many distinct blocks: each case of the switch is its own code, and the loop makes them hot. */
static unsigned long churn(unsigned long seed, int rounds)
{
    unsigned long h = seed;
    for (int r = 0; r < rounds; r++) {
        switch ((h >> 7) % 8) {
        case 0: h = h * 31 + 7; break;
        case 1: h ^= h >> 13; break;
        case 2: h = (h << 5) | (h >> 59); break;
        case 3: h += 0x9e3779b97f4a7c15ul; break;
        case 4: h = ~h * 3; break;
        case 5: h ^= h << 17; break;
        case 6: h = h / 3 + 11; break;
        default: h = h * 0xff51afd7ed558ccdul; break;
        }
    }
    return h;
}

static int child_work(int index)
{
    /* System calls that allocate in the translator (paths, buffers). */
    char path[64];
    for (int i = 0; i < 10000; i++) {
        struct stat st;
        snprintf(path, sizeof path, "/nonexistent/%d/%d", index, i);
        if (stat(path, &st) == 0) return 2;
    }
    unsigned long value = churn((unsigned long)index + 100, 1000000);
    return value == 0 ? 4 : 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pthread_t threads[SPINNERS + 2];
    for (long i = 0; i < SPINNERS; i++) pthread_create(&threads[i], NULL, spinner, (void *)i);
    pthread_create(&threads[SPINNERS], NULL, syscaller, NULL);
    pthread_create(&threads[SPINNERS + 1], NULL, sleeper, NULL);

    int ok = 0;
    for (int i = 0; i < FORKS; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) _exit(child_work(i) + 10);
        int status;
        if (waitpid(pid, &status, 0) != pid) { perror("waitpid"); return 1; }
        if (WIFEXITED(status) && WEXITSTATUS(status) == 10) ok++;
        else printf("child %d: status 0x%x\n", i, status);
    }
    printf("children that finished their work: %d of %d\n", ok, FORKS);

    stop = 1;
    pthread_mutex_lock(&lock);
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < SPINNERS + 2; i++) pthread_join(threads[i], NULL);
    int spun = 0;
    for (int i = 0; i < SPINNERS; i++) spun += spins[i] > 0;
    printf("spinning threads that ran: %d of %d\n", spun, SPINNERS);
    return 0;
}
