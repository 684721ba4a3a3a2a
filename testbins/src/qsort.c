/* libc qsort with comparison callbacks (indirect calls from libc into the
 * program) over 1,000,000 pseudo-random ints, then over 64-bit keys in
 * descending order. Verifies order, that the multiset is unchanged, and a
 * position-weighted hash of the result against a value from a native build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 1000000

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_u64_desc(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x < y) - (x > y);
}

#define RNG_SEED 88172645463325252ull
static uint64_t rng = RNG_SEED;
static uint64_t next(void)
{
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return rng;
}

static int failures;
static void check(const char *label, int ok)
{
    printf("%-34s %s\n", label, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

/* argv[1]: how many times both sorts run (bench/compare.sh runs more). */
int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    int *a = malloc(N * sizeof *a);
    uint64_t *b = malloc(N / 10 * sizeof *b);
    if (!a || !b) { puts("malloc failed"); return 2; }

    for (int round = 0; round < rounds; round++) {
        rng = RNG_SEED;
        int64_t sum_before = 0; uint32_t xor_before = 0;
        for (int i = 0; i < N; i++) {
            a[i] = (int)(uint32_t)next();   /* full signed range, negatives included */
            sum_before += a[i];
            xor_before ^= (uint32_t)a[i];
        }
        qsort(a, N, sizeof *a, cmp_int);

        int sorted = 1;
        int64_t sum_after = 0; uint32_t xor_after = 0;
        uint64_t weighted = 0;
        for (int i = 0; i < N; i++) {
            if (i && a[i - 1] > a[i]) sorted = 0;
            sum_after += a[i];
            xor_after ^= (uint32_t)a[i];
            weighted = weighted * 1000003u + (uint32_t)a[i];
        }
        check("int ascending order", sorted);
        check("int sum preserved", sum_after == sum_before);
        check("int xor preserved", xor_after == xor_before);
        printf("int min %d max %d median %d\n", a[0], a[N - 1], a[N / 2]);
        printf("int weighted hash %016llx\n", (unsigned long long)weighted);
        check("int weighted hash matches native", weighted == 0xd477318bed963671ull);

        for (int i = 0; i < N / 10; i++) b[i] = next();
        qsort(b, N / 10, sizeof *b, cmp_u64_desc);
        int desc = 1;
        uint64_t wb = 0;
        for (int i = 0; i < N / 10; i++) {
            if (i && b[i - 1] < b[i]) desc = 0;
            wb = wb * 31 + b[i];
        }
        check("u64 descending order", desc);
        printf("u64 first %016llx last %016llx\n", (unsigned long long)b[0], (unsigned long long)b[N / 10 - 1]);
        printf("u64 weighted hash %016llx\n", (unsigned long long)wb);
        check("u64 weighted hash matches native", wb == 0x72664b42fb7aeb38ull);
    }
    free(a); free(b);
    printf("qsort: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
