/* Atomic operations: GCC __atomic builtins at 8/16/32/64 bits (compiled to
 * out-of-line helpers that pick LSE or exclusive-monitor sequences from
 * AT_HWCAP), explicit LDXR/STXR and LDAXR/STLXR loops, a STXR that must fail
 * after CLREX, and, when the CPU advertises them, LSE CAS/LDADD/SWP. */
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>

#ifndef HWCAP_ATOMICS
#define HWCAP_ATOMICS (1 << 8)
#endif

static int failures, count;
static void check(const char *label, uint64_t got, uint64_t want)
{
    count++;
    int ok = got == want;
    printf("%-44s %llx%s\n", label, (unsigned long long)got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %llx\n", (unsigned long long)want); }
}

static uint8_t v8 = 0xf0;
static uint16_t v16 = 0xff00;
static uint32_t v32 = 100;
static uint64_t v64 = 0x100000000ull;

static void test_builtins(void)
{
    check("fetch_add 8 (old)", __atomic_fetch_add(&v8, 0x20, __ATOMIC_SEQ_CST), 0xf0);
    check("fetch_add 8 wraps", v8, 0x10);
    check("fetch_sub 16", __atomic_fetch_sub(&v16, 1, __ATOMIC_ACQ_REL), 0xff00);
    check("value 16", v16, 0xfeff);
    check("fetch_or 32", __atomic_fetch_or(&v32, 0x300, __ATOMIC_RELAXED), 100);
    check("fetch_and 32", __atomic_fetch_and(&v32, 0xff, __ATOMIC_RELEASE), 0x364);
    check("fetch_xor 32", __atomic_fetch_xor(&v32, 0xff, __ATOMIC_ACQUIRE), 0x64);
    check("value 32", v32, 0x9b);
    check("add_fetch 64", __atomic_add_fetch(&v64, 0xffffffffull, __ATOMIC_SEQ_CST), 0x1ffffffffull);
    check("exchange 64 (old)", __atomic_exchange_n(&v64, 7, __ATOMIC_SEQ_CST), 0x1ffffffffull);
    check("exchange 8 (old)", __atomic_exchange_n(&v8, 0x99, __ATOMIC_SEQ_CST), 0x10);

    uint64_t expected = 6;
    check("cas 64 with stale expected fails", __atomic_compare_exchange_n(&v64, &expected, 100, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST), 0);
    check("failed cas reports current value", expected, 7);
    check("cas 64 succeeds", __atomic_compare_exchange_n(&v64, &expected, 100, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST), 1);
    check("value after cas 64", v64, 100);
    uint16_t e16 = 0xfeff;
    check("cas 16 succeeds", __atomic_compare_exchange_n(&v16, &e16, 0x1234, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED), 1);
    check("value after cas 16", v16, 0x1234);

    /* CAS loop computing a running maximum */
    uint32_t maxv = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        uint32_t cand = (i * 2654435761u) >> 20, cur = __atomic_load_n(&maxv, __ATOMIC_RELAXED);
        while (cand > cur && !__atomic_compare_exchange_n(&maxv, &cur, cand, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
        }
    }
    check("cas-loop maximum", maxv, 0xffe);
    __atomic_store_n(&v32, 0xabcdef, __ATOMIC_RELEASE);
    check("store/load", __atomic_load_n(&v32, __ATOMIC_ACQUIRE), 0xabcdef);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    /* test_and_set stores the "set" value itself, so use a byte that starts clear */
    static unsigned char flag;
    check("test_and_set on a clear flag", __atomic_test_and_set(&flag, __ATOMIC_SEQ_CST), 0);
    check("test_and_set on a set flag", __atomic_test_and_set(&flag, __ATOMIC_SEQ_CST), 1);
    __atomic_clear(&flag, __ATOMIC_SEQ_CST);
    check("flag after clear", flag, 0);
}

static uint64_t ll_sc_add(uint64_t *p, uint64_t x)
{
    uint64_t old, tmp;
    uint32_t fail;
    __asm__ volatile("1: ldxr %0, [%3]\n\t"
                     "add %1, %0, %4\n\t"
                     "stxr %w2, %1, [%3]\n\t"
                     "cbnz %w2, 1b"
                     : "=&r"(old), "=&r"(tmp), "=&r"(fail) : "r"(p), "r"(x) : "memory");
    return old;
}

static uint32_t ll_sc_swap32_acq_rel(uint32_t *p, uint32_t x)
{
    uint32_t old, fail;
    __asm__ volatile("1: ldaxr %w0, [%2]\n\t"
                     "stlxr %w1, %w3, [%2]\n\t"
                     "cbnz %w1, 1b"
                     : "=&r"(old), "=&r"(fail) : "r"(p), "r"(x) : "memory");
    return old;
}

static uint32_t stxr_after_clrex(uint64_t *p)
{
    uint64_t old;
    uint32_t status;
    __asm__ volatile("ldxr %0, [%2]\n\t"
                     "clrex\n\t"
                     "stxr %w1, %0, [%2]"
                     : "=&r"(old), "=&r"(status) : "r"(p) : "memory");
    return status;
}

static uint32_t stxr_without_ldxr(uint64_t *p)
{
    uint32_t status;
    __asm__ volatile("clrex\n\tstxr %w0, xzr, [%1]" : "=&r"(status) : "r"(p) : "memory");
    return status;
}

static void test_exclusives(void)
{
    static uint64_t counter = 40;
    static uint32_t word = 1;
    for (int i = 0; i < 1000; i++) ll_sc_add(&counter, 3);
    check("ldxr/stxr add loop", counter, 3040);
    check("ldaxr/stlxr swap (old)", ll_sc_swap32_acq_rel(&word, 77), 1);
    check("ldaxr/stlxr swap (new)", word, 77);
    check("stxr after clrex fails (status 1)", stxr_after_clrex(&counter), 1);
    check("memory unchanged by failed stxr", counter, 3040);
    check("stxr with no monitor fails", stxr_without_ldxr(&counter), 1);
    check("memory still unchanged", counter, 3040);
}

#define LSE(insn, ...) __asm__ volatile(".arch_extension lse\n\t" insn __VA_ARGS__)

/* Runs only when AT_HWCAP advertises LSE; prints one line either way so
 * output does not depend on the CPU model. */
static void test_lse(void)
{
    int errors = 0;
    if (getauxval(AT_HWCAP) & HWCAP_ATOMICS) {
        uint64_t mem = 10, old = 10;
        LSE("cas %0, %2, [%1]", : "+r"(old) : "r"(&mem), "r"((uint64_t)20) : "memory");
        errors += old != 10 || mem != 20;
        old = 5;
        LSE("cas %0, %2, [%1]", : "+r"(old) : "r"(&mem), "r"((uint64_t)30) : "memory");
        errors += old != 20 || mem != 20;
        LSE("ldadd %2, %0, [%1]", : "=r"(old) : "r"(&mem), "r"((uint64_t)5) : "memory");
        errors += old != 20 || mem != 25;
        uint32_t m32 = 0xf0f0, o32;
        LSE("ldclral %w2, %w0, [%1]", : "=r"(o32) : "r"(&m32), "r"(0xff00u) : "memory");
        errors += o32 != 0xf0f0 || m32 != 0x00f0;
        LSE("swpal %w2, %w0, [%1]", : "=r"(o32) : "r"(&m32), "r"(0x1234u) : "memory");
        errors += o32 != 0x00f0 || m32 != 0x1234;
        uint64_t m64 = 3;
        LSE("ldsmax %2, %0, [%1]", : "=r"(old) : "r"(&m64), "r"((uint64_t)-7) : "memory");
        errors += old != 3 || m64 != 3;
        LSE("ldumax %2, %0, [%1]", : "=r"(old) : "r"(&m64), "r"((uint64_t)-7) : "memory");
        errors += old != 3 || m64 != (uint64_t)-7;
    }
    check("LSE instructions (when advertised): errors", (uint64_t)errors, 0);
}

int main(void)
{
    test_builtins();
    test_exclusives();
    test_lse();
    printf("atomics: %d checks, %s\n", count, failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
