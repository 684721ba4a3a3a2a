// Alignment faults of the ordered, exclusive and atomic accesses: each case runs one instruction on an
// address at a given offset into a 64-byte-aligned buffer and prints whether it completed or raised SIGBUS
// (with si_code and the fault address relative to the buffer). Plain loads/stores never fault on alignment.
// Not here because qemu-aarch64 7.2 differs from the ARM ARM (checked by unit tests instead): unaligned LDAPR
// (qemu does not check) and STXR/STXP with the monitor not open (qemu fails them without the access).
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static _Alignas(64) unsigned char buffer[128];
static sigjmp_buf jump;
static volatile int fault_code;
static volatile uintptr_t fault_addr;

static void on_bus(int sig, siginfo_t *info, void *uc)
{
    (void)sig;
    (void)uc;
    fault_code = info->si_code;
    fault_addr = (uintptr_t)info->si_addr;
    siglongjmp(jump, 1);
}

typedef void (*access_fn)(unsigned char *p);

#define ACCESS(name, text)                                                                          \
    static void name(unsigned char *p)                                                              \
    {                                                                                               \
        uint64_t a = 0x1111111111111111, b = 0x2222222222222222, c = 0, d = 0;                      \
        __asm__ volatile(".arch armv8.4-a\n" text : "+r"(a), "+r"(b), "+r"(c), "+r"(d) : "r"(p) : "memory"); \
    }

// Operands: %0 a, %1 b, %2 c, %3 d, %4 address. CASP needs even consecutive registers, so it names them.
ACCESS(ldr_x, "ldr %0, [%4]")
ACCESS(str_x, "str %0, [%4]")
ACCESS(ldar_x, "ldar %0, [%4]")
ACCESS(ldar_w, "ldar %w0, [%4]")
ACCESS(ldarh, "ldarh %w0, [%4]")
ACCESS(stlr_x, "stlr %0, [%4]")
ACCESS(stlr_w, "stlr %w0, [%4]")
ACCESS(ldapur_x, "ldapur %0, [%4]")
ACCESS(ldapur_w, "ldapur %w0, [%4]")
ACCESS(ldapurh, "ldapurh %w0, [%4]")
ACCESS(stlur_x, "stlur %0, [%4]")
ACCESS(stlurh, "stlurh %w0, [%4]")
ACCESS(ldxr_x, "ldxr %0, [%4]")
ACCESS(ldxr_w, "ldxr %w0, [%4]")
ACCESS(ldxrh, "ldxrh %w0, [%4]")
ACCESS(ldaxp_x, "ldaxp %0, %1, [%4]")
ACCESS(ldxp_w, "ldxp %w0, %w1, [%4]")
ACCESS(cas_x, "cas %0, %1, [%4]")
ACCESS(casal_w, "casal %w0, %w1, [%4]")
ACCESS(cash, "cash %w0, %w1, [%4]")
ACCESS(ldadd_x, "ldadd %0, %1, [%4]")
ACCESS(ldaddal_w, "ldaddal %w0, %w1, [%4]")
ACCESS(swph, "swph %w0, %w1, [%4]")
ACCESS(ldsmax_x, "ldsmax %0, %1, [%4]")

static void casp_x(unsigned char *p)
{
    __asm__ volatile(".arch armv8.4-a\n"
                     "mov x4, #1\n mov x5, #2\n mov x6, #3\n mov x7, #4\n"
                     "casp x4, x5, x6, x7, [%0]"
                     :
                     : "r"(p)
                     : "x4", "x5", "x6", "x7", "memory");
}

static void casp_w(unsigned char *p)
{
    __asm__ volatile(".arch armv8.4-a\n"
                     "mov x4, #1\n mov x5, #2\n mov x6, #3\n mov x7, #4\n"
                     "caspal w4, w5, w6, w7, [%0]"
                     :
                     : "r"(p)
                     : "x4", "x5", "x6", "x7", "memory");
}

static const struct
{
    const char *name;
    access_fn fn;
} cases[] = {
    {"ldr_x", ldr_x},       {"str_x", str_x},         {"ldar_x", ldar_x},     {"ldar_w", ldar_w},
    {"ldarh", ldarh},       {"stlr_x", stlr_x},       {"stlr_w", stlr_w},     
    {"ldapur_x", ldapur_x}, {"ldapur_w", ldapur_w},   {"ldapurh", ldapurh},   {"stlur_x", stlur_x},
    {"stlurh", stlurh},     {"ldxr_x", ldxr_x},       {"ldxr_w", ldxr_w},     {"ldxrh", ldxrh},
         {"ldaxp_x", ldaxp_x},     {"ldxp_w", ldxp_w},     
    {"cas_x", cas_x},       {"casal_w", casal_w},     {"cash", cash},         {"ldadd_x", ldadd_x},
    {"ldaddal_w", ldaddal_w}, {"swph", swph},         {"ldsmax_x", ldsmax_x}, {"casp_x", casp_x},
    {"casp_w", casp_w},
};

// Offsets: aligned, misaligned inside a 16-byte granule, and misaligned across one.
static const int offsets[] = {0, 1, 2, 4, 6, 8, 9, 12, 14, 15};

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGBUS, &sa, NULL);
    for (volatile unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
        printf("%-10s", cases[i].name);
        for (volatile unsigned j = 0; j < sizeof offsets / sizeof offsets[0]; j++)
        {
            unsigned char *p = buffer + 32 + offsets[j];
            fault_code = 0;
            fault_addr = 0;
            if (sigsetjmp(jump, 1) == 0)
            {
                cases[i].fn(p);
                printf(" %2d:ok", offsets[j]);
            }
            else
                printf(" %2d:BUS(%d,%+ld)", offsets[j], fault_code, (long)(fault_addr - (uintptr_t)p));
        }
        printf("\n");
    }
    return 0;
}
