/* Synchronous faults reaching guest handlers: SIGSEGV on a NULL dereference, an unmapped page and a
 * write to a read-only page (si_addr, si_code), siglongjmp out of the handler, a handler that fixes the
 * protection and returns (the faulting store is retried), SIGILL for an undefined instruction and SIGTRAP
 * for BRK (handler skips the instruction through the ucontext PC). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static int failures, count;
static void check(const char *label, long got, long want)
{
    count++;
    int ok = got == want;
    printf("%-44s %ld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %ld\n", want); }
}

static sigjmp_buf jump_back;
static volatile int got_signo, got_code;
static void *volatile got_addr;

static void on_fault_jump(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    got_signo = sig;
    got_code = info->si_code;
    got_addr = info->si_addr;
    siglongjmp(jump_back, 1);
}

static char *fix_page;
static void on_fault_fix(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    got_signo = sig;
    got_code = info->si_code;
    got_addr = info->si_addr;
    mprotect(fix_page, 4096, PROT_READ | PROT_WRITE);
}

static void on_skip(int sig, siginfo_t *info, void *ucv)
{
    ucontext_t *uc = ucv;
    got_signo = sig;
    got_code = info->si_code;
    got_addr = (void *)(long)(info->si_addr == (void *)uc->uc_mcontext.pc);
    uc->uc_mcontext.pc += 4;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1) {
        /* modes for tests/Emu.Tests/Signals: a fault with no handler, or with SIGSEGV ignored, kills */
        if (strcmp(argv[1], "ignored") == 0) signal(SIGSEGV, SIG_IGN);
        printf("faulting\n");
        volatile int *volatile bad = (int *)16;
        *bad = 1;
        printf("survived\n");
        return 0;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault_jump;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    if (sigsetjmp(jump_back, 1) == 0) {
        volatile int *p = (int *)0;
        *p = 1;
        check("NULL store returned", 1, 0);
    }
    check("NULL store: signal", got_signo, SIGSEGV);
    check("NULL store: si_code SEGV_MAPERR", got_code, SEGV_MAPERR);
    check("NULL store: si_addr", (long)got_addr, 0);

    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    got_signo = 0;
    if (sigsetjmp(jump_back, 1) == 0) {
        volatile long x = *(volatile long *)(page + 4096 + 24);
        (void)x;
    }
    check("unmapped load: signal", got_signo, SIGSEGV);
    check("unmapped load: si_code SEGV_MAPERR", got_code, SEGV_MAPERR);
    check("unmapped load: si_addr", (char *)got_addr - page, 4096 + 24);

    mprotect(page, 4096, PROT_READ);
    got_signo = 0;
    if (sigsetjmp(jump_back, 1) == 0) {
        page[100] = 7;
    }
    check("read-only store: signal", got_signo, SIGSEGV);
    check("read-only store: si_code SEGV_ACCERR", got_code, SEGV_ACCERR);
    check("read-only store: si_addr", (char *)got_addr - page, 100);

    /* the mask is restored by siglongjmp(.., 1): a second fault is delivered too */
    got_signo = 0;
    if (sigsetjmp(jump_back, 1) == 0) {
        page[200] = 7;
    }
    check("second fault delivered", got_signo, SIGSEGV);

    /* the handler makes the page writable and returns: the store is retried and succeeds */
    sa.sa_sigaction = on_fault_fix;
    sigaction(SIGSEGV, &sa, NULL);
    fix_page = page;
    got_signo = 0;
    volatile long before = 11, after;
    page[300] = 42;
    after = before + page[300];
    check("fixed by handler: signal", got_signo, SIGSEGV);
    check("fixed by handler: value stored", page[300], 42);
    check("fixed by handler: registers intact", after, 53);

    /* a file mapping beyond the end of the file: SIGBUS with BUS_ADRERR */
    sa.sa_sigaction = on_fault_jump;
    sigaction(SIGBUS, &sa, NULL);
    FILE *tmp = tmpfile();
    fputs("short file", tmp);
    fflush(tmp);
    char *fmap = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fileno(tmp), 0);
    got_signo = 0;
    if (sigsetjmp(jump_back, 1) == 0) {
        volatile char x = fmap[4096 + 8];
        (void)x;
    }
    check("past end of file: signal SIGBUS", got_signo, SIGBUS);
    check("past end of file: si_code BUS_ADRERR", got_code, BUS_ADRERR);
    check("past end of file: si_addr", (char *)got_addr - fmap, 4096 + 8);
    check("inside the file still readable", fmap[0], 's');
    fclose(tmp);

    sa.sa_sigaction = on_skip;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    got_signo = 0;
    __asm__ volatile(".inst 0x00000000" ::: "memory"); /* udf #0 */
    check("udf: signal", got_signo, SIGILL);
    /* Linux says ILL_ILLOPC, qemu-user ILL_ILLOPN */
    check("udf: si_code ILL_ILLOPC or ILL_ILLOPN", got_code == ILL_ILLOPC || got_code == ILL_ILLOPN, 1);
    check("udf: si_addr is pc", (long)got_addr, 1);
    got_signo = 0;
    __asm__ volatile("brk #0x3e8" ::: "memory");
    check("brk: signal", got_signo, SIGTRAP);
    check("brk: si_code TRAP_BRKPT", got_code, TRAP_BRKPT);
    check("brk: si_addr is pc", (long)got_addr, 1);

    printf("%d checks, %d failures\n", count, failures);
    return failures != 0;
}
