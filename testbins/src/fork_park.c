// fork while other threads return from blocking reads (their data arrives during the fork), then the child
// translates code the parent never ran, runs a hot loop long enough to be compiled again (tier up), and
// exits (after forking a grandchild of its own). Each child must finish: one that inherited a thread stuck in the runtime's managed code would
// hang at its first garbage collection. Run with a tiny GC gen0 budget (fork_park.env) so GCs happen.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 3
#define FORKS 24

static int pipes[THREADS][2];
static volatile unsigned long sums[THREADS];

static void *reader(void *arg)
{
    long i = (long)arg;
    char c;
    while (read(pipes[i][0], &c, 1) == 1)
    {
        if (c == 'q') break;
        unsigned long s = sums[i];
        for (int k = 0; k < 1000; k++) s = s * 31 + (unsigned long)k;
        sums[i] = s;
    }
    return NULL;
}

// Code only the children run: many small blocks (switch cases), then a hot loop.
#define CASE(n) case n: x = x * (n + 3) + (x >> (n % 7 + 1)); break;
#define CASES8(n) CASE(n) CASE(n + 1) CASE(n + 2) CASE(n + 3) CASE(n + 4) CASE(n + 5) CASE(n + 6) CASE(n + 7)
static __attribute__((noinline)) unsigned long child_work(unsigned long seed)
{
    unsigned long x = seed;
    for (int i = 0; i < 64; i++)
    {
        switch ((x + (unsigned long)i) % 64)
        {
            CASES8(0) CASES8(8) CASES8(16) CASES8(24) CASES8(32) CASES8(40) CASES8(48) CASES8(56)
        }
    }
    for (unsigned long i = 0; i < 3000000; i++) x = x * 6364136223846793005UL + i;
    return x;
}

int main(void)
{
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; i++)
    {
        if (pipe(pipes[i])) return 1;
        pthread_create(&threads[i], NULL, reader, (void *)i);
    }
    int ok = 0, statuses[FORKS];
    for (int f = 0; f < FORKS; f++)
    {
        for (int i = 0; i < THREADS; i++)
            if (write(pipes[i][1], "x", 1) != 1) return 1;
        pid_t pid = fork();
        if (pid == 0)
        {
            // A fork from the fork child too (a shell's subshell forking a pipeline).
            pid_t grandchild = fork();
            if (grandchild == 0) _exit(0);
            int gs;
            if (grandchild < 0 || waitpid(grandchild, &gs, 0) != grandchild || gs != 0) _exit(255);
            unsigned long r = child_work((unsigned long)f);
            _exit((int)(r % 200) + 1);
        }
        if (waitpid(pid, &statuses[f], 0) != pid) return 1;
    }
    // Only now does the parent run child_work: every child translated it afresh.
    for (int f = 0; f < FORKS; f++)
    {
        unsigned long expected = child_work((unsigned long)f);
        if (WIFEXITED(statuses[f]) && WEXITSTATUS(statuses[f]) == (int)(expected % 200) + 1) ok++;
        else printf("fork %d: status %#x\n", f, statuses[f]);
    }
    for (int i = 0; i < THREADS; i++)
    {
        if (write(pipes[i][1], "q", 1) != 1) return 1;
        pthread_join(threads[i], NULL);
    }
    printf("%d of %d children finished with the right result\n", ok, FORKS);
    return 0;
}
