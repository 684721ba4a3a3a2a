// 128-bit CASP and LDXP/STXP must be atomic against plain stores from another thread: one thread adds 1 to the
// low half of a 16-byte pair with a CASP (or LDXP/STXP) loop that writes back the high half it read, while a
// second thread increments the high half with a plain load and store. No update of either may be lost.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define N 200000

static _Alignas(16) volatile uint64_t pair[2];
static volatile int go;

static void *plain_incrementer(void *arg)
{
    (void)arg;
    while (!go) {}
    for (int i = 0; i < N; i++)
    {
        uint64_t v;
        __asm__ volatile("ldr %0, [%1]\n add %0, %0, #1\n str %0, [%1]" : "=&r"(v) : "r"(&pair[1]) : "memory");
    }
    return NULL;
}

static void casp_add_low(void)
{
    __asm__ volatile(".arch armv8.1-a\n"
                     "1: ldp x4, x5, [%0]\n"
                     "   mov x6, x4\n mov x7, x5\n"
                     "   add x2, x4, #1\n mov x3, x5\n"
                     "   caspal x6, x7, x2, x3, [%0]\n"
                     "   cmp x6, x4\n ccmp x7, x5, #0, eq\n b.ne 1b"
                     :
                     : "r"(pair)
                     : "x2", "x3", "x4", "x5", "x6", "x7", "cc", "memory");
}

static void exclusive_add_low(void)
{
    __asm__ volatile("1: ldaxp x4, x5, [%0]\n"
                     "   add x4, x4, #1\n"
                     "   stlxp w6, x4, x5, [%0]\n"
                     "   cbnz w6, 1b"
                     :
                     : "r"(pair)
                     : "x4", "x5", "x6", "memory");
}

static void race(const char *name, void (*add_low)(void))
{
    pair[0] = pair[1] = 0;
    go = 0;
    pthread_t t;
    pthread_create(&t, NULL, plain_incrementer, NULL);
    go = 1;
    for (int i = 0; i < N; i++) add_low();
    pthread_join(t, NULL);
    printf("%s: low %llu high %llu (expect %d %d)\n", name, (unsigned long long)pair[0], (unsigned long long)pair[1], N, N);
}

int main(void)
{
    race("caspal", casp_add_low);
    race("ldaxp/stlxp", exclusive_add_low);
    return 0;
}
