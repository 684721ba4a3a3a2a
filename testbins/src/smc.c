/* Code generated at run time and rewritten in place: an RWX page, a dual mapping (one memfd mapped
 * writable and executable at two addresses), a loop whose constant is patched, and a patch to the second
 * block of a function that has run linked to the first. Each version runs often enough to be compiled
 * and linked before it is rewritten; __builtin___clear_cache (IC IVAU) must make the new code run.
 * "smc dual" runs only the dual-mapping case: qemu-aarch64 (7.2) keeps running the old code there, so
 * that case is not part of the default run whose output is compared with qemu's. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int failures, count;
static void check(const char *label, long got, long want)
{
    count++;
    if (got != want) {
        failures++;
        printf("%-40s %ld MISMATCH (expected %ld)\n", label, got, want);
    }
}

#define MOVZ_W0(imm) (0x52800000u | ((uint32_t)(imm) << 5))
#define RET 0xd65f03c0u
#define MOV_W1_W0 0x2a0003e1u
#define ADD_W0_W0(imm) (0x11000000u | ((uint32_t)(imm) << 10))
#define SUBS_W1_W1_1 0x71000421u
#define BNE_MINUS_8 0x54ffffc1u
#define B_PLUS_4 0x14000001u

typedef long (*fn0)(void);
typedef long (*fn1)(long);

static void emit(uint32_t *dst, const uint32_t *code, int n, void *exec_addr)
{
    memcpy(dst, code, n * sizeof(uint32_t));
    __builtin___clear_cache((char *)exec_addr, (char *)exec_addr + n * sizeof(uint32_t));
}

/* Calls f many times through a pointer (BLR) and returns the sum. */
static long __attribute__((noinline)) call_many(fn0 f, int times)
{
    long sum = 0;
    for (int i = 0; i < times; i++) sum += f();
    return sum;
}

static long __attribute__((noinline)) loop_many(fn1 f, long n, int times)
{
    long sum = 0;
    for (int i = 0; i < times; i++) sum += f(n);
    return sum;
}

static int dual_mapping(long page);

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    long page = sysconf(_SC_PAGESIZE);
    if (argc > 1 && strcmp(argv[1], "dual") == 0) return dual_mapping(page);

    /* 1. RWX page: "mov w0, #v; ret", rewritten 40 times. */
    uint32_t *rwx = mmap(NULL, page, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rwx == MAP_FAILED) { perror("mmap rwx"); return 1; }
    long total = 0;
    for (int v = 1; v <= 40; v++) {
        uint32_t code[] = {MOVZ_W0(v), RET};
        emit(rwx, code, 2, rwx);
        long got = call_many((fn0)rwx, 300);
        check("rwx constant", got, 300L * v);
        total += got;
    }
    printf("rwx: 40 versions, sum %ld\n", total);

    /* 2. A loop whose added constant is patched: the loop is hot enough to become a compiled region. */
    uint32_t loop[] = {MOV_W1_W0, MOVZ_W0(0), ADD_W0_W0(1), SUBS_W1_W1_1, BNE_MINUS_8, RET};
    uint32_t *fn = rwx + 64; /* a different cache line */
    total = 0;
    for (int k = 1; k <= 12; k++) {
        loop[2] = ADD_W0_W0(k);
        emit(fn, loop, 6, fn);
        long got = loop_many((fn1)fn, 100, 200);
        check("patched loop", got, 200L * 100 * k);
        total += got;
    }
    printf("patched loop: 12 versions, sum %ld\n", total);

    /* 3. Only the second block changes: "b +4" then "mov w0, #v; ret" (linked after the first runs). */
    uint32_t *two = rwx + 128;
    uint32_t two_blocks[] = {B_PLUS_4, MOVZ_W0(0), RET};
    emit(two, two_blocks, 3, two);
    total = 0;
    for (int v = 100; v < 120; v++) {
        uint32_t tail[] = {MOVZ_W0(v), RET};
        emit(two + 1, tail, 2, two + 1);
        long got = call_many((fn0)two, 300);
        check("second block patched", got, 300L * v);
        total += got;
    }
    printf("second block: 20 versions, sum %ld\n", total);

    printf("%d checks, %d failures\n", count, failures);
    return failures != 0;
}

/* Dual mapping: written through one address, run from another (no mapping change to notice). */
static int dual_mapping(long page)
{
    long total;
    int fd = memfd_create("jit", 0);
    if (fd < 0 || ftruncate(fd, page) != 0) { perror("memfd"); return 1; }
    uint32_t *w = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    uint32_t *x = mmap(NULL, page, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    if (w == MAP_FAILED || x == MAP_FAILED) { perror("mmap dual"); return 1; }
    total = 0;
    for (int v = 7; v < 27; v++) {
        uint32_t code[] = {MOVZ_W0(v * 3), RET};
        emit(w, code, 2, x);
        long got = call_many((fn0)x, 300);
        check("dual mapping", got, 300L * v * 3);
        total += got;
    }
    printf("dual mapping: 20 versions, sum %ld\n", total);

    printf("%d checks, %d failures\n", count, failures);
    return failures != 0;
}
