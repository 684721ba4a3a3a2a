// Transfers between translated code that skip the dispatcher must keep the guest's semantics: returns
// that do not match their call (longjmp), recursion deeper than any return-address stack, code rewritten
// after it ran hot, a signal while the program spins across functions, and a fault in a callee.
#include <stdarg.h>
#include <stdlib.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

// Each round's report; every round must report the same (later rounds run translated code that is hot).
static char report[2048];
static size_t report_len;
__attribute__((format(printf, 1, 2))) static void say(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(report + report_len, sizeof report - report_len, format, ap);
    va_end(ap);
    if (n > 0 && report_len + (size_t)n < sizeof report) report_len += (size_t)n;
}

static jmp_buf escape;

// gcc cannot see that longjmp ends the recursion.
#pragma GCC diagnostic ignored "-Winfinite-recursion"
// Leaves through longjmp at depth 0: every return address pushed on the way down is never returned to.
__attribute__((noinline)) static int dive(volatile int depth, int value)
{
    if (depth <= 0) longjmp(escape, value);
    return dive(depth - 1, value * 3 + 1) + 1;
}

static void longjmp_returns(void)
{
    static volatile unsigned sum;
    static volatile int i;
    sum = 0;
    for (i = 0; i < 3000; i++)
    {
        int got = setjmp(escape);
        if (got == 0) dive(i % 13, i);
        else sum = sum * 31 + (unsigned)got;
    }
    say("longjmp: %08x\n", sum);
}

__attribute__((noinline)) static uint64_t deep(uint64_t n)
{
    if (n == 0) return 0;
    return deep(n - 1) * 7 + n;
}

__attribute__((noinline)) static uint64_t tail_mix(uint64_t a, uint64_t b);
__attribute__((noinline)) static uint64_t even_step(uint64_t n, uint64_t acc)
{
    return n == 0 ? acc : tail_mix(n - 1, acc * 3 + n);
}
__attribute__((noinline)) static uint64_t tail_mix(uint64_t n, uint64_t acc)
{
    return n == 0 ? acc : even_step(n - 1, acc ^ (acc >> 7) ^ n);
}

// Two functions too large to share a region call each other 24 deep: their calls and returns leave their
// code, so returns are predicted, and the prediction stack (16) overflows.
#define MIX(k) x = (x ^ (x >> 13)) * 0x9E3779B97F4A7C15ull + (k);
#define MIX8(k) MIX(k) MIX(k + 1) MIX(k + 2) MIX(k + 3) MIX(k + 4) MIX(k + 5) MIX(k + 6) MIX(k + 7)
#define MIX64(k) MIX8(k) MIX8(k + 8) MIX8(k + 16) MIX8(k + 24) MIX8(k + 32) MIX8(k + 40) MIX8(k + 48) MIX8(k + 56)
__attribute__((noinline)) static uint64_t heavy_b(uint64_t x, int depth);
__attribute__((noinline)) static uint64_t heavy_a(uint64_t x, int depth)
{
    MIX64(1)
    if (depth > 0) x += heavy_b(x, depth - 1);
    MIX64(100)
    return x;
}
__attribute__((noinline)) static uint64_t heavy_b(uint64_t x, int depth)
{
    MIX64(200)
    if (depth > 0) x ^= heavy_a(x, depth - 1);
    MIX64(300)
    return x;
}

static void deep_recursion(void)
{
    uint64_t sum = 0;
    for (int i = 0; i < 40; i++) sum += deep(2000 + (uint64_t)i);
    for (int i = 0; i < 200; i++) sum += tail_mix(300 + (uint64_t)i, (uint64_t)i);
    for (int i = 0; i < 300; i++) sum += heavy_a((uint64_t)i, 24);
    say("recursion: %016llx\n", (unsigned long long)sum);
}

// caller: x1 = 0; loop x0 times: bl callee; x1 += x2. callee: mov x2, #imm; ret.
static const uint32_t code_template[] = {
    0xd2800001, // mov x1, #0
    0xaa1e03e3, // mov x3, x30
    0x94000005, // loop: bl callee (+5 words)
    0x8b020021, // add x1, x1, x2
    0xf1000400, // subs x0, x0, #1
    0x54ffffa1, // b.ne loop (-3 words)
    0x14000003, // b out (+3 words)
    0xd2800022, // callee: mov x2, #1
    0xd65f03c0, // ret
    0xaa0103e0, // out: mov x0, x1
    0xd65f0060, // ret x3
};

static void self_modifying(void)
{
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) return;
    memcpy(code, code_template, sizeof code_template);
    __builtin___clear_cache((char *)code, (char *)code + sizeof code_template);
    uint64_t (*run)(uint64_t) = (uint64_t (*)(uint64_t))code;
    uint64_t before = 0, after = 0;
    for (int i = 0; i < 50; i++) before += run(1000);
    for (unsigned imm = 2; imm < 5; imm++)
    {
        code[7] = 0xd2800002 | (imm << 5); // mov x2, #imm
        __builtin___clear_cache((char *)&code[7], (char *)&code[8]);
        for (int i = 0; i < 50; i++) after += run(1000);
    }
    say("self-modifying: %llu %llu\n", (unsigned long long)before, (unsigned long long)after);
    munmap(code, 4096);
}

static volatile sig_atomic_t stop;
static void on_alarm(int sig)
{
    (void)sig;
    stop = 1;
}

__attribute__((noinline)) static uint64_t spin_a(uint64_t x);
__attribute__((noinline)) static uint64_t spin_b(uint64_t x)
{
    return stop ? x : spin_a(x * 5 + 1);
}
// spin_a and spin_b call each other (tail calls: B, not BL) until the handler sets stop.
__attribute__((noinline)) static uint64_t spin_a(uint64_t x)
{
    return stop ? x : spin_b(x ^ (x >> 3));
}

static void signal_while_spinning(void)
{
    signal(SIGALRM, on_alarm);
    struct itimerval t = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &t, NULL);
    spin_a(1);
    say("spinning: stopped by SIGALRM\n");
}

// load_K(p, a, b) = *p + a + b + K, for K = 0..19, called from one hot BLR: more targets than a region
// takes in, so the later ones are entered from the caller's code through the jump cache. x3 = a + b
// at the load; the handler checks the PC and x3 at the fault in load_19.
typedef uint32_t (*load_fn)(const uint32_t *p, uint64_t a, uint64_t b);
#define LOAD_FN(k) ".global load_" #k "\nload_" #k ":\n  add x3, x1, x2\nload_" #k "_ldr:\n  ldr w0, [x0]\n  add w0, w0, w3\n  add w0, w0, #" #k "\n  ret\n"
__asm__(".text\n" LOAD_FN(0) LOAD_FN(1) LOAD_FN(2) LOAD_FN(3) LOAD_FN(4) LOAD_FN(5) LOAD_FN(6) LOAD_FN(7) LOAD_FN(8) LOAD_FN(9)
        LOAD_FN(10) LOAD_FN(11) LOAD_FN(12) LOAD_FN(13) LOAD_FN(14) LOAD_FN(15) LOAD_FN(16) LOAD_FN(17) LOAD_FN(18) LOAD_FN(19)
        ".global load_19_pc\n.set load_19_pc, load_19_ldr\n");
uint32_t load_0(const uint32_t *, uint64_t, uint64_t), load_1(const uint32_t *, uint64_t, uint64_t), load_2(const uint32_t *, uint64_t, uint64_t),
    load_3(const uint32_t *, uint64_t, uint64_t), load_4(const uint32_t *, uint64_t, uint64_t), load_5(const uint32_t *, uint64_t, uint64_t),
    load_6(const uint32_t *, uint64_t, uint64_t), load_7(const uint32_t *, uint64_t, uint64_t), load_8(const uint32_t *, uint64_t, uint64_t),
    load_9(const uint32_t *, uint64_t, uint64_t), load_10(const uint32_t *, uint64_t, uint64_t), load_11(const uint32_t *, uint64_t, uint64_t),
    load_12(const uint32_t *, uint64_t, uint64_t), load_13(const uint32_t *, uint64_t, uint64_t), load_14(const uint32_t *, uint64_t, uint64_t),
    load_15(const uint32_t *, uint64_t, uint64_t), load_16(const uint32_t *, uint64_t, uint64_t), load_17(const uint32_t *, uint64_t, uint64_t),
    load_18(const uint32_t *, uint64_t, uint64_t), load_19(const uint32_t *, uint64_t, uint64_t);
extern const char load_19_pc[];
static load_fn const loads[20] = {load_0, load_1, load_2, load_3, load_4, load_5, load_6, load_7, load_8, load_9,
                                  load_10, load_11, load_12, load_13, load_14, load_15, load_16, load_17, load_18, load_19};

static sigjmp_buf fault_escape;
static volatile uintptr_t fault_addr, fault_pc, fault_x3;
static void on_segv(int sig, siginfo_t *info, void *uc_)
{
    (void)sig;
    ucontext_t *uc = uc_;
    fault_addr = (uintptr_t)info->si_addr;
    fault_pc = uc->uc_mcontext.pc;
    fault_x3 = uc->uc_mcontext.regs[3];
    siglongjmp(fault_escape, 1);
}

static void fault_in_callee(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    uint32_t *guard = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    static uint32_t ok[64];
    for (int i = 0; i < 64; i++) ok[i] = (uint32_t)i;
    static volatile uint64_t sum;
    static volatile int faults;
    sum = 0;
    faults = 0;
    static volatile int round;
    for (round = 0; round < 4; round++)
    {
        if (sigsetjmp(fault_escape, 1) == 0)
        {
            // The last call (i = 19999: load_19) reads the guard page.
            for (int i = 0; i < 20000; i++)
            {
                const uint32_t *p = i == 19999 ? guard + round : &ok[i & 63];
                uint64_t a = i == 19999 ? 1000 + (uint64_t)round : (uint64_t)i;
                sum += loads[i % 20](p, a, 11);
            }
        }
        else
        {
            faults++;
            say("fault %d: addr %s pc %s x3 %lu\n", round, fault_addr == (uintptr_t)(guard + round) ? "ok" : "WRONG",
                fault_pc == (uintptr_t)load_19_pc ? "ok" : "WRONG", (unsigned long)fault_x3);
        }
    }
    say("faults: %d sum %llu\n", faults, (unsigned long long)sum);
}

// Optional argument: rounds to run (default 1).
int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    static char first[sizeof report];
    for (int r = 0; r < rounds; r++)
    {
        report_len = 0;
        report[0] = 0;
        stop = 0;
        longjmp_returns();
        deep_recursion();
        self_modifying();
        signal_while_spinning();
        fault_in_callee();
        if (r == 0) memcpy(first, report, sizeof report);
        else if (strcmp(first, report) != 0) printf("round %d differs:\n%s", r, report);
    }
    fputs(first, stdout);
    return 0;
}
