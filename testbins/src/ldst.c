/* Load/store addressing modes pinned with inline assembly: sign/zero
 * extension of every width, unsigned-offset, unscaled (LDUR), pre- and
 * post-index writeback, register offsets with UXTW/SXTW/LSL extends, pairs
 * (LDP/STP/LDPSW, writeback), PC-relative literal loads, ADR/ADRP, and
 * stores of the zero register. Expected values follow the ARM ARM. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <inttypes.h>

static int failures, count;
static void check_u64(const char *label, uint64_t got, uint64_t want)
{
    count++;
    int ok = got == want;
    printf("%-34s %016" PRIx64 "%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %016" PRIx64 "\n", want); }
}

static uint8_t mem[256] __attribute__((aligned(16)));

static void reset(void)
{
    for (int i = 0; i < 256; i++) mem[i] = (uint8_t)(0x80 + i);   /* bytes 80 81 82 ... */
}

int main(void)
{
    uint64_t r, base, off;
    reset();
    uint8_t *p = mem + 64;

    /* extension of each load width from bytes 80 81 82 83 ... at mem+0 */
    __asm__ volatile("ldrb %w0, [%1]" : "=r"(r) : "r"(mem)); check_u64("ldrb", r, 0x80);
    __asm__ volatile("ldrsb %x0, [%1]" : "=r"(r) : "r"(mem)); check_u64("ldrsb x", r, 0xffffffffffffff80ull);
    __asm__ volatile("ldrsb %w0, [%1]" : "=r"(r) : "r"(mem)); check_u64("ldrsb w (zero-extended to x)", r, 0xffffff80ull);
    __asm__ volatile("ldrh %w0, [%1]" : "=r"(r) : "r"(mem)); check_u64("ldrh", r, 0x8180);
    __asm__ volatile("ldrsh %x0, [%1]" : "=r"(r) : "r"(mem)); check_u64("ldrsh x", r, 0xffffffffffff8180ull);
    __asm__ volatile("ldrsh %w0, [%1]" : "=r"(r) : "r"(mem)); check_u64("ldrsh w", r, 0xffff8180ull);
    __asm__ volatile("ldr %w0, [%1]" : "=r"(r) : "r"(mem)); check_u64("ldr w", r, 0x83828180);
    __asm__ volatile("ldrsw %x0, [%1]" : "=r"(r) : "r"(mem)); check_u64("ldrsw", r, 0xffffffff83828180ull);
    __asm__ volatile("ldr %x0, [%1]" : "=r"(r) : "r"(mem)); check_u64("ldr x", r, 0x8786858483828180ull);
    __asm__ volatile("ldrsb %x0, [%1, #0x7f]" : "=r"(r) : "r"(mem)); check_u64("ldrsb positive byte 0xff", r, 0xffffffffffffffffull);
    __asm__ volatile("ldrsb %x0, [%1, #0x7e]" : "=r"(r) : "r"(mem)); check_u64("ldrsb byte 0xfe", r, 0xfffffffffffffffeull);

    /* offsets: scaled unsigned, unscaled negative, unaligned */
    __asm__ volatile("ldr %x0, [%1, #16]" : "=r"(r) : "r"(mem)); check_u64("ldr x [#16]", r, 0x9796959493929190ull);
    __asm__ volatile("ldur %x0, [%1, #-3]" : "=r"(r) : "r"(p)); check_u64("ldur x [#-3]", r, 0xc4c3c2c1c0bfbebdull);
    __asm__ volatile("ldur %w0, [%1, #1]" : "=r"(r) : "r"(p)); check_u64("ldur w [#1] unaligned", r, 0xc4c3c2c1);
    __asm__ volatile("ldrh %w0, [%1, #4094]" : "=r"(r) : "r"((uintptr_t)mem - 4092)); check_u64("ldrh [#4094] large offset", r, 0x8382);

    /* writeback */
    base = (uint64_t)p;
    __asm__ volatile("ldr %x0, [%1, #8]!" : "=r"(r), "+r"(base)); check_u64("pre-index value", r, 0xcfcecdcccbcac9c8ull);
    check_u64("pre-index base", base - (uint64_t)p, 8);
    __asm__ volatile("ldr %x0, [%1], #-16" : "=r"(r), "+r"(base)); check_u64("post-index value", r, 0xcfcecdcccbcac9c8ull);
    check_u64("post-index base", base - (uint64_t)p, (uint64_t)-8);
    __asm__ volatile("ldrb %w0, [%1, #-1]!" : "=r"(r), "+r"(base)); check_u64("ldrb pre-index -1", r, 0xb7);
    check_u64("ldrb pre-index base", base - (uint64_t)p, (uint64_t)-9);

    /* register offsets */
    off = 3;
    __asm__ volatile("ldr %x0, [%1, %2, lsl #3]" : "=r"(r) : "r"(mem), "r"(off)); check_u64("ldr [x, x, lsl #3]", r, 0x9f9e9d9c9b9a9998ull);
    __asm__ volatile("ldrh %w0, [%1, %2]" : "=r"(r) : "r"(mem), "r"(off)); check_u64("ldrh [x, x] unaligned", r, 0x8483);
    off = 0xffffffff00000002ull;   /* UXTW keeps only the low word: +2 */
    __asm__ volatile("ldrb %w0, [%1, %w2, uxtw]" : "=r"(r) : "r"(mem), "r"(off)); check_u64("ldrb [x, w, uxtw]", r, 0x82);
    off = 0x00000000fffffffeull;   /* SXTW of low word: -2 */
    __asm__ volatile("ldrh %w0, [%1, %w2, sxtw #1]" : "=r"(r) : "r"(p), "r"(off)); check_u64("ldrh [x, w, sxtw #1]", r, 0xbdbc);
    off = (uint64_t)-4;
    __asm__ volatile("ldr %w0, [%1, %2, sxtx #2]" : "=r"(r) : "r"(p), "r"(off)); check_u64("ldr w [x, x, sxtx #2]", r, 0xb3b2b1b0);

    /* pairs */
    uint64_t a, b;
    __asm__ volatile("ldp %x0, %x1, [%2, #-16]" : "=r"(a), "=r"(b) : "r"(p)); 
    check_u64("ldp x first", a, 0xb7b6b5b4b3b2b1b0ull); check_u64("ldp x second", b, 0xbfbebdbcbbbab9b8ull);
    __asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(a), "=r"(b) : "r"(mem));
    check_u64("ldp w first", a, 0x83828180); check_u64("ldp w second", b, 0x87868584);
    __asm__ volatile("ldpsw %x0, %x1, [%2]" : "=r"(a), "=r"(b) : "r"(mem));
    check_u64("ldpsw first", a, 0xffffffff83828180ull); check_u64("ldpsw second", b, 0xffffffff87868584ull);
    base = (uint64_t)(mem + 128);
    __asm__ volatile("stp %x1, %x2, [%0, #-32]!" : "+r"(base) : "r"(0x1111111111111111ull), "r"(0x2222222222222222ull) : "memory");
    check_u64("stp pre-index base", (uint64_t)(mem + 128) - base, 32);
    uint64_t w0, w1;
    memcpy(&w0, mem + 96, 8); memcpy(&w1, mem + 104, 8);
    check_u64("stp stored first", w0, 0x1111111111111111ull); check_u64("stp stored second", w1, 0x2222222222222222ull);
    __asm__ volatile("ldp %x0, %x1, [%2], #16" : "=r"(a), "=r"(b), "+r"(base));
    check_u64("ldp post-index reloads", a ^ b, 0x3333333333333333ull);
    check_u64("ldp post-index base", (uint64_t)(mem + 128) - base, 16);

    /* stores of each width and of the zero register */
    reset();
    __asm__ volatile("strb %w1, [%0]" : : "r"(mem), "r"(0x1234u) : "memory");
    __asm__ volatile("strh %w1, [%0, #2]" : : "r"(mem), "r"(0xabcdefu) : "memory");
    __asm__ volatile("str %w1, [%0, #4]" : : "r"(mem), "r"(0xdeadbeefu) : "memory");
    memcpy(&w0, mem, 8);
    check_u64("strb/strh/str truncate", w0, 0xdeadbeefcdef8134ull);
    __asm__ volatile("str xzr, [%0, #8]\n\tstrb wzr, [%0, #16]\n\tstp xzr, xzr, [%0, #32]" : : "r"(mem) : "memory");
    memcpy(&w0, mem + 8, 8); memcpy(&w1, mem + 16, 8);
    check_u64("str xzr", w0, 0);
    check_u64("strb wzr touches one byte", w1, 0x9796959493929100ull);
    memcpy(&w0, mem + 32, 8); memcpy(&w1, mem + 40, 8);
    check_u64("stp xzr, xzr", w0 | w1, 0);
    __asm__ volatile("stur %x1, [%0, #-1]" : : "r"(mem + 49), "r"(0x0102030405060708ull) : "memory");
    memcpy(&w0, mem + 48, 8);
    check_u64("stur unaligned", w0, 0x0102030405060708ull);

    /* PC-relative: literal pool load, ADR and ADRP agree with the symbol address */
    __asm__ volatile("ldr %x0, 1f\n\tb 2f\n\t.balign 8\n1:\t.quad 0x1122334455667788\n2:" : "=r"(r));
    check_u64("ldr literal", r, 0x1122334455667788ull);
    __asm__ volatile("ldrsw %x0, 1f\n\tb 2f\n\t.balign 4\n1:\t.word 0x80000001\n2:" : "=r"(r));
    check_u64("ldrsw literal", r, 0xffffffff80000001ull);
    uint64_t adr_addr, adrp_addr;
    __asm__ volatile("adr %0, mem" : "=r"(adr_addr));
    __asm__ volatile("adrp %0, mem\n\tadd %0, %0, :lo12:mem" : "=r"(adrp_addr));
    check_u64("adr == &mem", adr_addr == (uint64_t)mem, 1);
    check_u64("adrp+lo12 == &mem", adrp_addr == (uint64_t)mem, 1);

    /* SP-based addressing */
    uint64_t sp_val;
    __asm__ volatile("sub sp, sp, #32\n\t"
                     "str %x1, [sp, #8]\n\t"
                     "ldr %x0, [sp, #8]\n\t"
                     "add sp, sp, #32" : "=r"(sp_val) : "r"(0xfeedfacecafebeefull) : "memory");
    check_u64("str/ldr via sp", sp_val, 0xfeedfacecafebeefull);

    printf("ldst: %d checks, %s\n", count, failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
