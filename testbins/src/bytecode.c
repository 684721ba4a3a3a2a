/* A small stack-machine bytecode interpreter: a switch-dispatch loop (indirect
 * branches through a jump table), a value stack and a call stack. Runs
 * recursive fib, a counting loop, trial-division prime counting and Euclid's
 * gcd, each checked against its known mathematical value. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    OP_HALT, OP_PUSH, OP_LOADL, OP_STOREL, OP_ENTER,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_LT, OP_EQ,
    OP_JMP, OP_JZ, OP_CALL, OP_RET,
};

typedef struct { int32_t code[512]; int len; int fix_at[64]; int fix_label[64]; int nfix; int label_pos[32]; } Asm;

static void emit(Asm *a, int32_t v) { a->code[a->len++] = v; }
static void emit_label_ref(Asm *a, int label)
{
    a->fix_at[a->nfix] = a->len; a->fix_label[a->nfix++] = label;
    emit(a, -1);
}
static void bind(Asm *a, int label) { a->label_pos[label] = a->len; }
static void link(Asm *a)
{
    for (int i = 0; i < a->nfix; i++) a->code[a->fix_at[i]] = a->label_pos[a->fix_label[i]];
}

#define STACK_MAX 65536
#define FRAMES_MAX 4096

static uint64_t executed;

/* Calls the function at `entry` with `nargs` arguments and returns its result. */
static int64_t run(const int32_t *code, int entry, const int64_t *args, int nargs)
{
    static int64_t stack[STACK_MAX];
    static struct { int ret_pc, fp; } frames[FRAMES_MAX];
    int sp = 0, fp = 0, nframes = 0, pc = entry;
    for (int i = 0; i < nargs; i++) stack[sp++] = args[i];
    frames[nframes].ret_pc = -1; frames[nframes++].fp = 0;
    for (;;) {
        executed++;
        int32_t op = code[pc++];
        int64_t x, y;
        switch (op) {
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_LOADL: stack[sp++] = stack[fp + code[pc++]]; break;
        case OP_STOREL: stack[fp + code[pc++]] = stack[--sp]; break;
        case OP_ENTER: for (int n = code[pc++]; n > 0; n--) stack[sp++] = 0; break;
        case OP_ADD: y = stack[--sp]; x = stack[--sp]; stack[sp++] = x + y; break;
        case OP_SUB: y = stack[--sp]; x = stack[--sp]; stack[sp++] = x - y; break;
        case OP_MUL: y = stack[--sp]; x = stack[--sp]; stack[sp++] = x * y; break;
        case OP_DIV: y = stack[--sp]; x = stack[--sp]; stack[sp++] = x / y; break;
        case OP_MOD: y = stack[--sp]; x = stack[--sp]; stack[sp++] = x % y; break;
        case OP_LT: y = stack[--sp]; x = stack[--sp]; stack[sp++] = x < y; break;
        case OP_EQ: y = stack[--sp]; x = stack[--sp]; stack[sp++] = x == y; break;
        case OP_JMP: pc = code[pc]; break;
        case OP_JZ: x = stack[--sp]; pc = x ? pc + 1 : code[pc]; break;
        case OP_CALL: {
            int target = code[pc], n = code[pc + 1];
            if (nframes == FRAMES_MAX) { puts("call stack overflow"); exit(3); }
            frames[nframes].ret_pc = pc + 2; frames[nframes++].fp = fp;
            fp = sp - n; pc = target;
            break;
        }
        case OP_RET: {
            x = stack[--sp];
            sp = fp;
            nframes--;
            pc = frames[nframes].ret_pc; fp = frames[nframes].fp;
            if (pc < 0) return x;
            stack[sp++] = x;
            break;
        }
        case OP_HALT: return stack[sp - 1];
        default: printf("bad opcode %d at %d\n", op, pc - 1); exit(3);
        }
    }
}

enum { L_FIB, L_FIB_REC, L_SUM, L_SUM_LOOP, L_SUM_DONE, L_PRIMES, L_PN, L_PD, L_PCHECK, L_PNEXT, L_PDONE,
       L_GCD, L_GCD_LOOP, L_GCD_DONE };

static void assemble(Asm *a)
{
    /* fib(n) = n < 2 ? n : fib(n-1) + fib(n-2) */
    bind(a, L_FIB);
    emit(a, OP_LOADL); emit(a, 0); emit(a, OP_PUSH); emit(a, 2); emit(a, OP_LT);
    emit(a, OP_JZ); emit_label_ref(a, L_FIB_REC);
    emit(a, OP_LOADL); emit(a, 0); emit(a, OP_RET);
    bind(a, L_FIB_REC);
    emit(a, OP_LOADL); emit(a, 0); emit(a, OP_PUSH); emit(a, 1); emit(a, OP_SUB);
    emit(a, OP_CALL); emit_label_ref(a, L_FIB); emit(a, 1);
    emit(a, OP_LOADL); emit(a, 0); emit(a, OP_PUSH); emit(a, 2); emit(a, OP_SUB);
    emit(a, OP_CALL); emit_label_ref(a, L_FIB); emit(a, 1);
    emit(a, OP_ADD); emit(a, OP_RET);

    /* sum(n): locals 0=n 1=i 2=acc; acc = 0 + 1 + ... + (n-1) */
    bind(a, L_SUM);
    emit(a, OP_ENTER); emit(a, 2);
    bind(a, L_SUM_LOOP);
    emit(a, OP_LOADL); emit(a, 1); emit(a, OP_LOADL); emit(a, 0); emit(a, OP_LT);
    emit(a, OP_JZ); emit_label_ref(a, L_SUM_DONE);
    emit(a, OP_LOADL); emit(a, 2); emit(a, OP_LOADL); emit(a, 1); emit(a, OP_ADD); emit(a, OP_STOREL); emit(a, 2);
    emit(a, OP_LOADL); emit(a, 1); emit(a, OP_PUSH); emit(a, 1); emit(a, OP_ADD); emit(a, OP_STOREL); emit(a, 1);
    emit(a, OP_JMP); emit_label_ref(a, L_SUM_LOOP);
    bind(a, L_SUM_DONE);
    emit(a, OP_LOADL); emit(a, 2); emit(a, OP_RET);

    /* primes(limit): locals 0=limit 1=n 2=count 3=d; counts primes < limit */
    bind(a, L_PRIMES);
    emit(a, OP_ENTER); emit(a, 3);
    emit(a, OP_PUSH); emit(a, 2); emit(a, OP_STOREL); emit(a, 1);
    bind(a, L_PN);
    emit(a, OP_LOADL); emit(a, 1); emit(a, OP_LOADL); emit(a, 0); emit(a, OP_LT);
    emit(a, OP_JZ); emit_label_ref(a, L_PDONE);
    emit(a, OP_PUSH); emit(a, 2); emit(a, OP_STOREL); emit(a, 3);
    bind(a, L_PD);
    /* if !(n < d*d) keep dividing; otherwise n is prime */
    emit(a, OP_LOADL); emit(a, 1); emit(a, OP_LOADL); emit(a, 3); emit(a, OP_LOADL); emit(a, 3); emit(a, OP_MUL);
    emit(a, OP_LT); emit(a, OP_JZ); emit_label_ref(a, L_PCHECK);
    emit(a, OP_LOADL); emit(a, 2); emit(a, OP_PUSH); emit(a, 1); emit(a, OP_ADD); emit(a, OP_STOREL); emit(a, 2);
    emit(a, OP_JMP); emit_label_ref(a, L_PNEXT);
    bind(a, L_PCHECK);
    emit(a, OP_LOADL); emit(a, 1); emit(a, OP_LOADL); emit(a, 3); emit(a, OP_MOD);
    emit(a, OP_JZ); emit_label_ref(a, L_PNEXT);
    emit(a, OP_LOADL); emit(a, 3); emit(a, OP_PUSH); emit(a, 1); emit(a, OP_ADD); emit(a, OP_STOREL); emit(a, 3);
    emit(a, OP_JMP); emit_label_ref(a, L_PD);
    bind(a, L_PNEXT);
    emit(a, OP_LOADL); emit(a, 1); emit(a, OP_PUSH); emit(a, 1); emit(a, OP_ADD); emit(a, OP_STOREL); emit(a, 1);
    emit(a, OP_JMP); emit_label_ref(a, L_PN);
    bind(a, L_PDONE);
    emit(a, OP_LOADL); emit(a, 2); emit(a, OP_RET);

    /* gcd(a, b): while b != 0 { t = a % b; a = b; b = t } */
    bind(a, L_GCD);
    emit(a, OP_ENTER); emit(a, 1);
    bind(a, L_GCD_LOOP);
    emit(a, OP_LOADL); emit(a, 1); emit(a, OP_PUSH); emit(a, 0); emit(a, OP_EQ);
    emit(a, OP_JZ); emit_label_ref(a, L_GCD_DONE);
    emit(a, OP_LOADL); emit(a, 0); emit(a, OP_RET);
    bind(a, L_GCD_DONE);
    emit(a, OP_LOADL); emit(a, 0); emit(a, OP_LOADL); emit(a, 1); emit(a, OP_MOD); emit(a, OP_STOREL); emit(a, 2);
    emit(a, OP_LOADL); emit(a, 1); emit(a, OP_STOREL); emit(a, 0);
    emit(a, OP_LOADL); emit(a, 2); emit(a, OP_STOREL); emit(a, 1);
    emit(a, OP_JMP); emit_label_ref(a, L_GCD_LOOP);

    link(a);
}

static int failures;

static void check(const char *label, int64_t got, int64_t want)
{
    int ok = got == want;
    printf("%-20s = %lld %s\n", label, (long long)got, ok ? "ok" : "MISMATCH");
    if (!ok) failures++;
}

/* argv[1]: how many times the programs are run (bench/compare.sh runs more). */
int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    static Asm a;
    assemble(&a);
    printf("program: %d words\n", a.len);

    for (int round = 0; round < rounds; round++) {
        int64_t args[2];
        args[0] = 10; check("fib(10)", run(a.code, a.label_pos[L_FIB], args, 1), 55);
        args[0] = 24; check("fib(24)", run(a.code, a.label_pos[L_FIB], args, 1), 46368);
        args[0] = 2000000; check("sum(0..1999999)", run(a.code, a.label_pos[L_SUM], args, 1), 1999999000000LL);
        args[0] = 100; check("primes<100", run(a.code, a.label_pos[L_PRIMES], args, 1), 25);
        args[0] = 30000; check("primes<30000", run(a.code, a.label_pos[L_PRIMES], args, 1), 3245);
        args[0] = 1071; args[1] = 462; check("gcd(1071,462)", run(a.code, a.label_pos[L_GCD], args, 2), 21);
        args[0] = 832040; args[1] = 514229; check("gcd(fib30,fib29)", run(a.code, a.label_pos[L_GCD], args, 2), 1);
    }
    printf("bytecode ops executed: %llu\n", (unsigned long long)executed);
    printf("bytecode: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
