/* Dependent-load latency kernel: Sattolo's shuffle builds one random cycle
 * through all N slots, then the walk follows next[] pointers. Checks that the
 * cycle has length exactly N, visits every slot, and sums visited indices. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N (1u << 21)   /* 2M slots, 16 MiB of pointers: well beyond L2 */
#define ROUNDS 4

typedef struct Node { struct Node *next; } Node;

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next_rand(void)
{
    rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Dull;
}

static int failures;
static void check(const char *label, int ok)
{
    printf("%-34s %s\n", label, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

int main(void)
{
    uint32_t *perm = malloc(N * sizeof *perm);
    Node *nodes = malloc(N * sizeof *nodes);
    uint8_t *seen = calloc(N, 1);
    if (!perm || !nodes || !seen) { puts("malloc failed"); return 2; }

    for (uint32_t i = 0; i < N; i++) perm[i] = i;
    /* Sattolo: j < i (strictly) yields a single N-cycle */
    for (uint32_t i = N - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(next_rand() % i);
        uint32_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
    }
    for (uint32_t i = 0; i < N; i++) nodes[i].next = &nodes[perm[i]];

    /* first round: mark visits and measure the cycle length */
    Node *p = &nodes[0];
    uint64_t len = 0;
    int all_new = 1;
    do {
        size_t idx = (size_t)(p - nodes);
        if (seen[idx]) all_new = 0;
        seen[idx] = 1;
        p = p->next;
        len++;
    } while (p != &nodes[0] && len <= N);
    check("cycle length == N", len == N);
    check("no slot visited twice", all_new);
    size_t unseen = 0;
    for (uint32_t i = 0; i < N; i++) unseen += !seen[i];
    check("every slot visited", unseen == 0);

    /* timed part: ROUNDS full walks, mixing the visit order into a hash */
    uint64_t hash = 0;
    p = &nodes[0];
    for (uint64_t step = 0; step < (uint64_t)N * ROUNDS; step++) {
        p = p->next;
        hash = (hash ^ (uint64_t)(p - nodes)) * 0x100000001b3ull;
    }
    check("back at start after ROUNDS*N", p == &nodes[0]);
    printf("walk hash %016llx\n", (unsigned long long)hash);
    check("walk hash matches native", hash == 0xdf0adfdf674899c0ull);

    free(perm); free(nodes); free(seen);
    printf("pointer_chase: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
