// A thread spinning in a hot loop (compiled to one Tier 1 region that never leaves it) is interrupted by
// a signal another thread sends it, and by a process-directed one, while a second thread spins too: the
// loops' back-edge check must see the request (emu: HostSignals.AttentionBit). alarm() ends a hang.
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static atomic_int started, stop_main_spin;
static atomic_long spins;
static pthread_t worker_thread, main_thread;

static void on_usr1(int sig) { (void)sig; got = 1; }

static void *worker(void *arg)
{
    (void)arg;
    atomic_store(&started, 1);
    long n = 0;
    while (!got) {
        n++;
        if ((n & 0xfff) == 0) atomic_store_explicit(&spins, n, memory_order_relaxed);
    }
    atomic_store(&stop_main_spin, 1);
    return NULL;
}

int main(void)
{
    alarm(60);
    signal(SIGUSR1, on_usr1);
    main_thread = pthread_self();
    for (int round = 0; round < 3; round++) {
        got = 0;
        atomic_store(&started, 0);
        atomic_store(&stop_main_spin, 0);
        atomic_store(&spins, 0);
        pthread_create(&worker_thread, NULL, worker, NULL);
        while (!atomic_load(&started)) {}
        // Long enough for the loop to be hot: 4M iterations.
        while (atomic_load_explicit(&spins, memory_order_relaxed) < (4L << 20)) {}
        if (round == 1) {
            // Blocked here, so the process-directed signal goes to the worker.
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGUSR1);
            pthread_sigmask(SIG_BLOCK, &set, NULL);
            kill(getpid(), SIGUSR1);
        } else {
            pthread_kill(worker_thread, SIGUSR1);
        }
        // The sender spins too until the worker has left its loop.
        long own = 0;
        while (!atomic_load_explicit(&stop_main_spin, memory_order_relaxed)) own++;
        pthread_join(worker_thread, NULL);
        if (round == 1) {
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGUSR1);
            pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        }
        printf("round %d: worker left its loop after the signal: %d\n", round, got);
    }
    return 0;
}
