// Threads mapping and unmapping memory at once: each mapping must be the caller's alone (the emulator
// once found free space and mapped it in two steps, so two threads' mmaps could get the same pages).
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define THREADS 6
#define ROUNDS 3000
#define PAGES 4

static int errors[THREADS];
static pthread_barrier_t start;

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    size_t length = PAGES * 4096;
    pthread_barrier_wait(&start);
    for (int round = 0; round < ROUNDS; round++) {
        unsigned char *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            errors[id]++;
            continue;
        }
        unsigned char mark = (unsigned char)(id * 37 + round);
        memset(p, mark, length);
        for (int spin = 0; spin < 50; spin++) __asm__ volatile("" ::: "memory");
        for (size_t i = 0; i < length; i += 512)
            if (p[i] != mark) {
                errors[id]++;
                break;
            }
        munmap(p, length);
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[THREADS];
    pthread_barrier_init(&start, NULL, THREADS);
    for (long i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
    int total = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        total += errors[i];
    }
    printf("mmap_threads: %d threads x %d mappings, %d clashes\n", THREADS, ROUNDS, total);
    return total != 0;
}
