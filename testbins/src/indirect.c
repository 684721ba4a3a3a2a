/* Indirect control flow: a computed-goto interpreter (BR through a table of label addresses), calls
 * through a table of function pointers (BLR) returning to several call sites (RET), recursion through
 * a pointer, and a switch over a dense range (a compiler jump table). Each part runs long enough to be
 * compiled into regions that branch to indirect targets inside themselves; results are checked against
 * closed forms. */
#include <stdint.h>
#include <stdio.h>

static int failures;
static void check(const char *label, uint64_t got, uint64_t want)
{
    printf("%-36s %llu %s\n", label, (unsigned long long)got, got == want ? "ok" : "FAILED");
    if (got != want) failures++;
}

/* Opcodes: 0 halt, 1 push imm, 2 add, 3 sub, 4 dup, 5 jnz target, 6 swap, 7 mul, 8 drop. */
static uint64_t run(const int *code)
{
    static const void *table[] = {&&op_halt, &&op_push, &&op_add, &&op_sub, &&op_dup, &&op_jnz, &&op_swap, &&op_mul, &&op_drop};
    uint64_t stack[64];
    int sp = 0, pc = 0;
#define NEXT goto *table[code[pc++]]
    NEXT;
op_push: stack[sp++] = (uint64_t)code[pc++]; NEXT;
op_add: sp--; stack[sp - 1] += stack[sp]; NEXT;
op_sub: sp--; stack[sp - 1] -= stack[sp]; NEXT;
op_dup: stack[sp] = stack[sp - 1]; sp++; NEXT;
op_jnz: if (stack[--sp]) pc = code[pc]; else pc++; NEXT;
op_swap: { uint64_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; } NEXT;
op_mul: sp--; stack[sp - 1] *= stack[sp]; NEXT;
op_drop: sp--; NEXT;
op_halt: return stack[sp - 1];
#undef NEXT
}

typedef uint64_t (*unary)(uint64_t);
static uint64_t __attribute__((noinline)) f_inc(uint64_t x) { return x + 1; }
static uint64_t __attribute__((noinline)) f_dbl(uint64_t x) { return x * 2; }
static uint64_t __attribute__((noinline)) f_sq(uint64_t x) { return x * x; }
static uint64_t __attribute__((noinline)) f_neg(uint64_t x) { return -x; }
static uint64_t __attribute__((noinline)) f_rot(uint64_t x) { return (x << 7) | (x >> 57); }
static unary volatile funcs[] = {f_inc, f_dbl, f_sq, f_neg, f_rot};

/* Calls through the table from two call sites, so each callee's RET goes to two places. */
static uint64_t __attribute__((noinline)) call_table(unsigned n)
{
    uint64_t a = 0, b = 0;
    for (unsigned i = 0; i < n; i++) {
        a += funcs[i % 5](i);
        if (i & 1) b ^= funcs[(i >> 1) % 5](i);
    }
    return a ^ (b << 1);
}

static uint64_t call_table_reference(unsigned n)
{
    uint64_t a = 0, b = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t x = i, r[5] = {x + 1, x * 2, x * x, -x, (x << 7) | (x >> 57)};
        a += r[i % 5];
        if (i & 1) b ^= r[(i >> 1) % 5];
    }
    return a ^ (b << 1);
}

typedef uint64_t (*recursive)(uint64_t, void *);
static uint64_t __attribute__((noinline)) sum_down(uint64_t n, void *self)
{
    return n == 0 ? 0 : n + ((recursive)self)(n - 1, self);
}

static unsigned __attribute__((noinline)) classify(unsigned c)
{
    switch (c) {
    case 0: return 11;
    case 1: return 23;
    case 2: return 5;
    case 3: return 97;
    case 4: return 41;
    case 5: return 7;
    case 6: return 63;
    case 7: return 2;
    case 8: return 88;
    case 9: return 17;
    default: return 1;
    }
}

int main(void)
{
    /* A counted loop: [acc i], the body adds 7 to acc and decrements i; then acc * 3. */
    static const int counted[] = {
        1, 0,                   /*  0: [acc] */
        1, 50000,               /*  2: [acc i] */
        6,                      /*  4: [i acc]             loop */
        1, 7, 2,                /*  5: [i acc+7] */
        4, 8,                   /*  8: [i acc] (dup, drop) */
        6,                      /* 10: [acc i] */
        1, 1, 3,                /* 11: [acc i-1] */
        4,                      /* 14: [acc i i] */
        5, 4,                   /* 15: [acc i]; i != 0: loop */
        8,                      /* 17: [acc] */
        1, 3, 7,                /* 18: [acc*3] */
        0,
    };
    check("computed goto: counted loop", run(counted), 50000ull * 7 * 3);

    /* Many small loops: dispatch keeps changing targets between runs. */
    uint64_t total = 0;
    for (int k = 0; k < 200; k++) {
        int p[] = {1, 0, 1, 100 + k, 6, 1, k, 2, 4, 8, 6, 1, 1, 3, 4, 5, 4, 8, 0};
        total += run(p);
    }
    uint64_t want = 0;
    for (int k = 0; k < 200; k++) want += (uint64_t)(100 + k) * k;
    check("computed goto: 200 programs", total, want);

    check("function pointer table", call_table(300000), call_table_reference(300000));

    uint64_t sums = 0;
    for (int r = 0; r < 300; r++) sums += sum_down(1000 + r, (void *)sum_down);
    uint64_t want_sums = 0;
    for (uint64_t r = 0; r < 300; r++) want_sums += (1000 + r) * (1001 + r) / 2;
    check("recursion through a pointer", sums, want_sums);

    static const unsigned values[] = {11, 23, 5, 97, 41, 7, 63, 2, 88, 17, 1, 1};
    uint64_t sw = 0, want_sw = 0;
    for (unsigned i = 0; i < 600000; i++) sw += classify((i * 7) % 12) * (i & 3);
    for (unsigned i = 0; i < 600000; i++) want_sw += values[(i * 7) % 12] * (i & 3);
    check("switch jump table", sw, want_sw);

    printf("indirect: %s\n", failures ? "FAILED" : "all checks passed");
    return failures != 0;
}
