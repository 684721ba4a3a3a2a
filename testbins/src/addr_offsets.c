/* Loads and stores at a base register plus a small offset: constant offsets either way (struct fields,
 * stack slots, LDUR with negative offsets), table lookups by a masked index and by a 32-bit index, in loops hot enough for
 * the translator's optimizing tier, which adds such offsets after confining the base. Checks the sums,
 * then that the same accesses still fault where the offset leaves mapped memory: below address 0 (a
 * NULL base and a negative offset), above the top of the address space, and past the end of a mapping. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static int failures;
static void check(const char *label, uint64_t got, uint64_t want)
{
    int ok = got == want;
    printf("%-44s %llu%s\n", label, (unsigned long long)got, ok ? "" : " MISMATCH");
    if (!ok) failures++;
}

struct rec { uint64_t a; uint32_t b; uint16_t c; uint8_t d; uint64_t tail[3]; };

/* noipa: the same code runs first on good pointers (and becomes hot), then on the faulting ones. */
__attribute__((noipa)) static uint64_t load_before(const uint64_t *p) { return p[-1]; }
__attribute__((noipa)) static uint64_t load_after(const uint64_t *p) { return p[2]; }
__attribute__((noipa)) static void store_before(uint64_t *p, uint64_t v) { p[-2] = v; }
__attribute__((noipa)) static uint32_t lookup(const uint32_t *table, uint64_t x) { return table[x & 0xff]; }
/* A 32-bit index (LDR W, [X, W, UXTW #2]): up to 16 GiB past the base, which Tier 1 adds after confining the base. */
__attribute__((noipa)) static uint32_t index32(const uint32_t *table, uint32_t i) { return table[i]; }

static sigjmp_buf jump_back;
static volatile int faults;
static void on_segv(int sig) { (void)sig; faults++; siglongjmp(jump_back, 1); }

#define FAULTS(label, expr) do { \
        int before = faults; \
        if (sigsetjmp(jump_back, 1) == 0) { (void)(expr); } \
        check(label, faults - before, 1); \
    } while (0)

int main(void)
{
    static struct rec recs[64];
    static uint32_t table[256];
    for (int i = 0; i < 256; i++) table[i] = (uint32_t)i * 2654435761u;
    for (int i = 0; i < 64; i++) {
        recs[i].a = i; recs[i].b = 3u * i; recs[i].c = (uint16_t)(5 * i); recs[i].d = (uint8_t)(3 * i);
        recs[i].tail[0] = 11u * i; recs[i].tail[1] = 13u * i; recs[i].tail[2] = 17u * i;
    }

    uint64_t fields = 0, lookups = 0, around = 0, indexed = 0;
    uint64_t words[4] = { 1, 2, 3, 4 };
    for (int round = 0; round < 20000; round++) {
        for (int i = 0; i < 64; i++) {
            struct rec *r = &recs[i];
            fields += r->a + r->b + r->c + r->d + r->tail[0] + r->tail[1] + r->tail[2];
        }
        lookups += lookup(table, (uint64_t)round * 40503u);
        indexed += index32(table, (uint32_t)round & 0xff);
        around += load_before(&words[1]) + load_after(&words[1]);
        store_before(&words[2], (uint64_t)round);
    }
    /* per round: sum over i < 64 of (1+3+5+3+11+13+17) * i = 53 * 2016 */
    check("struct fields at constant offsets", fields, 20000ull * 53 * 2016);
    uint64_t want = 0;
    for (int round = 0; round < 20000; round++) want += table[((uint64_t)round * 40503u) & 0xff];
    check("table lookups by a masked index", lookups, want);
    want = 0;
    for (int round = 0; round < 20000; round++) want += table[round & 0xff];
    check("table lookups by a 32-bit index", indexed, want);
    /* p[-1] is 1, then the round before; p[2] is 4 */
    check("p[-1] and p[2] (p[-1] rewritten each round)", around, 1 + 19998ull * 19999 / 2 + 4ull * 20000);
    check("p[-2] = round", words[0], 19999);

    signal(SIGSEGV, on_segv);
    FAULTS("NULL[-1] faults", load_before(NULL));
    FAULTS("NULL[-2] = 0 faults", (store_before(NULL, 0), 0));
    FAULTS("top of the address space [2] faults", load_after((const uint64_t *)0x0000fffffffffff8ull));
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    FAULTS("past the end of a mapping [2] faults", load_after((const uint64_t *)(page + 4096 - 8)));
    FAULTS("table just before an unmapped page faults", lookup((const uint32_t *)(page + 4096 - 4), 1));
    FAULTS("32-bit index past a mapping's end faults", index32((const uint32_t *)page, 1024));
    FAULTS("32-bit index 0xffffffff past a table faults", index32(table, 0xffffffffu));
    FAULTS("top of the space + a 4 GiB index faults", index32((const uint32_t *)0x0000fffffffff000ull, 0x40000000u));
    check("faults taken", faults, 8);
    printf("addr_offsets: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
