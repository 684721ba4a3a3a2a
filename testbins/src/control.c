/* Control flow and runtime support: thread-local storage (TPIDR_EL0),
 * setjmp/longjmp, deep recursion on the guest stack, indirect calls through
 * function-pointer tables, dense switch jump tables, computed goto, varargs,
 * variable-length arrays and atexit handlers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, count;
static void check(const char *label, long long got, long long want)
{
    count++;
    int ok = got == want;
    printf("%-36s %lld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %lld\n", want); }
}

static __thread int tls_counter = 5;
static __thread char tls_buf[64];
static __thread long tls_zero;

static uint64_t read_tpidr(void) { uint64_t v; __asm__ volatile("mrs %0, tpidr_el0" : "=r"(v)); return v; }

static void test_tls(void)
{
    check("tls initial value", tls_counter, 5);
    check("tls .tbss zero", tls_zero, 0);
    for (int i = 0; i < 10; i++) tls_counter += i;
    check("tls after updates", tls_counter, 50);
    strcpy(tls_buf, "thread-local");
    check("tls buffer strlen", (long long)strlen(tls_buf), 12);
    uintptr_t tp = (uintptr_t)read_tpidr();
    uintptr_t var = (uintptr_t)&tls_counter;
    check("TPIDR_EL0 set", tp != 0, 1);
    /* AArch64 uses TLS variant 1: variables sit above the thread pointer */
    check("tls var above thread pointer", var > tp && var - tp < 4096, 1);
}

static jmp_buf env;
static volatile int depth_reached, jump_depth = 50;

static void dive(int depth)
{
    depth_reached = depth;
    if (depth == jump_depth) longjmp(env, depth * 3);
    if (depth < 1000) dive(depth + 1);
}

static void test_setjmp(void)
{
    volatile int passes = 0;
    int r = setjmp(env);
    passes++;
    if (r == 0) dive(0);
    check("longjmp value", r, 150);
    check("setjmp returned twice", passes, 2);
    check("depth reached", depth_reached, 50);
    r = setjmp(env);
    if (r == 0) longjmp(env, 0);   /* longjmp(…, 0) makes setjmp return 1 */
    check("longjmp(0) returns 1", r, 1);
}

static long ackermann(long m, long n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static long frame_distance;

static long __attribute__((noinline)) deep(long n, volatile char *prev)
{
    volatile char frame[64];
    frame[0] = (char)n;
    if (n == 0) { frame_distance = prev - frame; return 0; }
    /* frame[0] is re-read after the call: the callee must not have clobbered it */
    return deep(n - 1, frame) + (frame[0] == (char)n);
}

static void test_recursion(void)
{
    check("ackermann(2, 3)", ackermann(2, 3), 9);
    check("ackermann(3, 6)", ackermann(3, 6), 509);
    /* 40000 frames of >= 64 bytes: several MiB of the default 8 MiB stack */
    check("deep recursion frames intact", deep(40000, NULL), 40000);
    check("stack grows down by >= 64 per frame", frame_distance >= 64, 1);
}

typedef long (*binop)(long, long);
static long op_add(long a, long b) { return a + b; }
static long op_sub(long a, long b) { return a - b; }
static long op_mul(long a, long b) { return a * b; }
static long op_div(long a, long b) { return b ? a / b : 0; }
static long op_mod(long a, long b) { return b ? a % b : 0; }
static binop volatile ops[] = {op_add, op_sub, op_mul, op_div, op_mod};

static int __attribute__((noinline)) classify(int x)
{
    switch (x) {
    case 0: return 11; case 1: return 23; case 2: return 37; case 3: return 41;
    case 4: return 53; case 5: return 67; case 6: return 71; case 7: return 89;
    case 8: return 97; case 9: return 101; case 10: return 113; case 11: return 127;
    default: return -1;
    }
}

static long computed_goto(const unsigned char *prog, int n)
{
    static void *labels[] = {&&inc, &&dbl, &&neg};
    long acc = 1;
    int pc = 0;
    if (n == 0) return acc;
    goto *labels[prog[pc]];
inc: acc += 1; if (++pc == n) return acc; goto *labels[prog[pc]];
dbl: acc *= 2; if (++pc == n) return acc; goto *labels[prog[pc]];
neg: acc = -acc; if (++pc == n) return acc; goto *labels[prog[pc]];
}

static void test_indirect(void)
{
    long acc = 1000;
    for (int i = 0; i < 1000; i++) acc = ops[i % 5](acc, i % 7 + 1) + 3;
    check("function pointer table", acc, 7);
    long sum = 0;
    for (int i = -3; i < 20; i++) sum += classify(i);
    check("switch jump table", sum, 11 + 23 + 37 + 41 + 53 + 67 + 71 + 89 + 97 + 101 + 113 + 127 - 11);
    static const unsigned char prog[] = {0, 1, 1, 2, 0, 1, 2, 1, 0};
    check("computed goto", computed_goto(prog, sizeof prog), 29);
}

static long sum_varargs(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    long s = 0;
    for (int i = 0; i < n; i++) s += i % 2 ? va_arg(ap, long) : va_arg(ap, int);
    va_end(ap);
    return s;
}

static int __attribute__((noinline)) vla_sum(int n)
{
    int a[n];
    for (int i = 0; i < n; i++) a[i] = i * i;
    int s = 0;
    for (int i = 0; i < n; i++) s += a[n - 1 - i];
    return s;
}

static void at_exit_handler(void) { printf("atexit handler ran\n"); }

int main(void)
{
    test_tls();
    test_setjmp();
    test_recursion();
    test_indirect();
    check("varargs (10 mixed int/long)", sum_varargs(10, 1, 2L, 3, 4L, 5, 6L, 7, 8L, 9, 10L), 55);
    check("varargs (0)", sum_varargs(0), 0);
    check("VLA sum of squares 0..999", vla_sum(1000), 332833500);
    atexit(at_exit_handler);
    printf("control: %d checks, %s\n", count, failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
