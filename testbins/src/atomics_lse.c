/* ARMv8.1 LSE atomics (LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN, SWP, CAS,
 * CASP) in every size and ordering on many values and the ST<op> aliases. With the
 * argument "threads" it also updates counters from several threads at once (not in the
 * default run until guest threads are supported everywhere). */
#pragma GCC target("arch=armv8.1-a")
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t mixed;

#define RMW(name, insn, reg, type)                                                       \
    static void name(type *p, uint64_t v)                                                \
    {                                                                                    \
        uint64_t old;                                                                    \
        __asm__ volatile(insn " %" reg "1, %" reg "0, [%2]" : "=&r"(old) : "r"(v), "r"(p) : "memory"); \
        mixed = mixed * 31 + old;                                                        \
        mixed = mixed * 31 + *p;                                                         \
    }

#define ALL_ORDERS(op, fs, ms, reg, type)            \
    RMW(op##fs, #op ms, reg, type)                   \
    RMW(op##a##fs, #op "a" ms, reg, type)            \
    RMW(op##l##fs, #op "l" ms, reg, type)            \
    RMW(op##al##fs, #op "al" ms, reg, type)

/* fs names the C function, ms is the mnemonic's size suffix (none for W and X forms). */
#define ALL_SIZES(op)                          \
    ALL_ORDERS(op, b, "b", "w", uint8_t)       \
    ALL_ORDERS(op, h, "h", "w", uint16_t)      \
    ALL_ORDERS(op, , "", "w", uint32_t)        \
    ALL_ORDERS(op, _x, "", "x", uint64_t)

ALL_SIZES(ldadd)
ALL_SIZES(ldclr)
ALL_SIZES(ldeor)
ALL_SIZES(ldset)
ALL_SIZES(ldsmax)
ALL_SIZES(ldsmin)
ALL_SIZES(ldumax)
ALL_SIZES(ldumin)
ALL_SIZES(swp)

typedef void (*rmw8)(uint8_t *, uint64_t);
typedef void (*rmw16)(uint16_t *, uint64_t);
typedef void (*rmw32)(uint32_t *, uint64_t);
typedef void (*rmw64)(uint64_t *, uint64_t);

#define GROUP(op) \
    { op##b, op##ab, op##lb, op##alb }, { op##h, op##ah, op##lh, op##alh }, { op, op##a, op##l, op##al }, { op##_x, op##a_x, op##l_x, op##al_x }

struct ops { rmw8 b[4]; rmw16 h[4]; rmw32 w[4]; rmw64 x[4]; };
static const struct ops all_ops[] = {
    { GROUP(ldadd) }, { GROUP(ldclr) }, { GROUP(ldeor) }, { GROUP(ldset) }, { GROUP(ldsmax) },
    { GROUP(ldsmin) }, { GROUP(ldumax) }, { GROUP(ldumin) }, { GROUP(swp) },
};
static const char *names[] = { "ldadd", "ldclr", "ldeor", "ldset", "ldsmax", "ldsmin", "ldumax", "ldumin", "swp" };

static void rmw_test(void)
{
    static union { uint64_t x[2]; uint32_t w[4]; uint16_t h[8]; uint8_t b[16]; } mem;
    for (int o = 0; o < 9; o++) {
        mixed = 0;
        for (int i = 0; i < 64; i++) {
            int ord = i & 3;
            mem.x[0] = next();
            mem.x[1] = next();
            uint64_t v = next();
            if (i & 4) v = (v & 0x8080808080808080ull) | (v >> 60); /* small and sign-bit-only values */
            all_ops[o].b[ord](&mem.b[i & 15], v);
            all_ops[o].h[ord](&mem.h[i & 7], v);
            all_ops[o].w[ord](&mem.w[i & 3], v);
            all_ops[o].x[ord](&mem.x[i & 1], v);
        }
        printf("%-7s %016llx %016llx %016llx\n", names[o], (unsigned long long)mixed,
               (unsigned long long)mem.x[0], (unsigned long long)mem.x[1]);
    }
}

#define CAS(name, insn, reg, type)                                                            \
    static uint64_t name(type *p, uint64_t expected, uint64_t v)                              \
    {                                                                                         \
        uint64_t r = expected;                                                                \
        __asm__ volatile(insn " %" reg "0, %" reg "2, [%1]" : "+&r"(r) : "r"(p), "r"(v) : "memory"); \
        return r;                                                                             \
    }
CAS(casb, "casb", "w", uint8_t)
CAS(casah, "casah", "w", uint16_t)
CAS(casl, "casl", "w", uint32_t)
CAS(casal, "casal", "x", uint64_t)

static void cas_test(void)
{
    uint64_t sum = 0;
    for (int i = 0; i < 200; i++) {
        uint64_t m = next(), e = (i & 1) ? m : next(), v = next();
        if (i & 2) e = (e & ~0xffull) | (m & 0xff);
        uint8_t b = (uint8_t)m;
        uint16_t h = (uint16_t)m;
        uint32_t w = (uint32_t)m;
        uint64_t x = m;
        sum = sum * 131 + casb(&b, e, v) + b;
        sum = sum * 131 + casah(&h, e, v) + h;
        sum = sum * 131 + casl(&w, e, v) + w;
        sum = sum * 131 + casal(&x, e, v) + x;
    }
    printf("cas %016llx\n", (unsigned long long)sum);

    static uint64_t pair[2] __attribute__((aligned(16)));
    static uint32_t wpair[2] __attribute__((aligned(8)));
    for (int i = 0; i < 4; i++) {
        pair[0] = 10;
        pair[1] = 20;
        register uint64_t s0 __asm__("x4") = (i & 1) ? 10 : 11, s1 __asm__("x5") = (i & 2) ? 20 : 21;
        register uint64_t t0 __asm__("x6") = 0x1111, t1 __asm__("x7") = 0x2222;
        __asm__ volatile("caspal x4, x5, x6, x7, [%2]" : "+r"(s0), "+r"(s1) : "r"(pair), "r"(t0), "r"(t1) : "memory");
        printf("caspal %d: old %llu %llu mem %llx %llx\n", i, (unsigned long long)s0, (unsigned long long)s1,
               (unsigned long long)pair[0], (unsigned long long)pair[1]);
        wpair[0] = 7;
        wpair[1] = 8;
        register uint64_t u0 __asm__("x8") = (i & 1) ? 7 : 6, u1 __asm__("x9") = (i & 2) ? 8 : 9;
        register uint64_t v0 __asm__("x10") = 0x33, v1 __asm__("x11") = 0x44;
        __asm__ volatile("casp w8, w9, w10, w11, [%2]" : "+r"(u0), "+r"(u1) : "r"(wpair), "r"(v0), "r"(v1) : "memory");
        printf("casp w %d: old %llu %llu mem %x %x\n", i, (unsigned long long)u0, (unsigned long long)u1, wpair[0], wpair[1]);
    }
}

static void store_alias_test(void)
{
    uint64_t x = 100;
    uint32_t w = 5;
    uint16_t h = 0xffff;
    uint8_t b = 0x80;
    __asm__ volatile("staddl %x1, [%0]" : : "r"(&x), "r"(23ull) : "memory");
    __asm__ volatile("stset %w1, [%0]" : : "r"(&w), "r"(0x30u) : "memory");
    __asm__ volatile("stclrh %w1, [%0]" : : "r"(&h), "r"(0xf0u) : "memory");
    __asm__ volatile("stsmaxb %w1, [%0]" : : "r"(&b), "r"(0x7fu) : "memory");
    printf("st aliases %llu %u %x %x\n", (unsigned long long)x, w, h, b);
}

#define THREADS 4
#define ITER 20000
static uint64_t counter64;
static uint32_t counter32;
static uint16_t counter16;
static uint8_t counter8;
static uint64_t cas_counter;

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITER; i++) {
        __asm__ volatile("ldaddal %x1, xzr, [%0]" : : "r"(&counter64), "r"(3ull) : "memory");
        __asm__ volatile("stadd %w1, [%0]" : : "r"(&counter32), "r"(1u) : "memory");
        __asm__ volatile("staddh %w1, [%0]" : : "r"(&counter16), "r"(1u) : "memory");
        __asm__ volatile("staddb %w1, [%0]" : : "r"(&counter8), "r"(1u) : "memory");
        uint64_t seen = __atomic_load_n(&cas_counter, __ATOMIC_RELAXED);
        while (1) {
            uint64_t expect = seen;
            __asm__ volatile("casal %0, %2, [%1]" : "+&r"(seen) : "r"(&cas_counter), "r"(expect + 1) : "memory");
            if (seen == expect) break;
        }
    }
    return 0;
}

static void thread_test(void)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], 0, worker, 0);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], 0);
    printf("threads %llu %u %u %u %llu\n", (unsigned long long)counter64, counter32, counter16, counter8,
           (unsigned long long)cas_counter);
}

int main(int argc, char **argv)
{
    rmw_test();
    cas_test();
    store_alias_test();
    if (argc > 1 && argv[1][0] == 't') thread_test();
    return 0;
}
