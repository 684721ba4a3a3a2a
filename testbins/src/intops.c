/* Integer edge cases of the A64 data-processing instructions. Inputs come from
 * volatile variables so nothing is folded at compile time; where C has
 * undefined behaviour (division by zero, clz(0), big shifts) inline assembly
 * pins the exact instruction. Expected values follow the ARM ARM. */
#include <stdint.h>
#include <stdio.h>
#include <inttypes.h>

static int failures, count;

static void check_u64(const char *label, uint64_t got, uint64_t want)
{
    count++;
    int ok = got == want;
    printf("%-36s %016" PRIx64 "%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; printf("    expected %016" PRIx64 "\n", want); }
}
#define CHECK(expr, want) check_u64(#expr, (uint64_t)(expr), (uint64_t)(want))

static volatile int64_t s0 = 0, s1 = 1, sm1 = -1, s7 = 7, sm7 = -7, s2 = 2;
static volatile int64_t smin = INT64_MIN, smax = INT64_MAX;
static volatile uint64_t u0 = 0, umax = UINT64_MAX, pattern = 0x0123456789abcdefull;
static volatile int32_t w_min = INT32_MIN, w_m1 = -1, w7 = 7, w_m7 = -7;
static volatile uint32_t wu0 = 0, wpat = 0x12345678u;
static volatile uint64_t sh0 = 0, sh1 = 1, sh31 = 31, sh32 = 32, sh63 = 63, sh64 = 64, sh65 = 65, sh100 = 100;

static int64_t sdiv64(int64_t a, int64_t b) { int64_t r; __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint64_t udiv64(uint64_t a, uint64_t b) { uint64_t r; __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static int32_t sdiv32(int32_t a, int32_t b) { int32_t r; __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t udiv32(uint32_t a, uint32_t b) { uint32_t r; __asm__("udiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint64_t clz64(uint64_t a) { uint64_t r; __asm__("clz %0, %1" : "=r"(r) : "r"(a)); return r; }
static uint64_t clz32(uint32_t a) { uint64_t r; __asm__("clz %w0, %w1" : "=r"(r) : "r"(a)); return r; }
static uint64_t cls64(uint64_t a) { uint64_t r; __asm__("cls %0, %1" : "=r"(r) : "r"(a)); return r; }
static uint64_t cls32(uint32_t a) { uint64_t r; __asm__("cls %w0, %w1" : "=r"(r) : "r"(a)); return r; }
static uint64_t rbit64(uint64_t a) { uint64_t r; __asm__("rbit %0, %1" : "=r"(r) : "r"(a)); return r; }
static uint64_t rbit32(uint32_t a) { uint64_t r; __asm__("rbit %w0, %w1" : "=r"(r) : "r"(a)); return r; }
static uint64_t rev16_64(uint64_t a) { uint64_t r; __asm__("rev16 %0, %1" : "=r"(r) : "r"(a)); return r; }
static uint64_t rev32_64(uint64_t a) { uint64_t r; __asm__("rev32 %0, %1" : "=r"(r) : "r"(a)); return r; }
static uint64_t lslv(uint64_t a, uint64_t s) { uint64_t r; __asm__("lsl %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint64_t lsrv(uint64_t a, uint64_t s) { uint64_t r; __asm__("lsr %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint64_t asrv(uint64_t a, uint64_t s) { uint64_t r; __asm__("asr %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint64_t rorv(uint64_t a, uint64_t s) { uint64_t r; __asm__("ror %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint64_t lslv32(uint32_t a, uint64_t s) { uint64_t r; __asm__("lsl %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint64_t asrv32(uint32_t a, uint64_t s) { uint64_t r; __asm__("asr %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static uint64_t rorv32(uint32_t a, uint64_t s) { uint64_t r; __asm__("ror %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); return r; }

/* NZCV after ADDS/SUBS/ADCS, read back with MRS */
static uint64_t nzcv_adds(uint64_t a, uint64_t b) { uint64_t f, r; __asm__("adds %1, %2, %3\n\tmrs %0, nzcv" : "=r"(f), "=&r"(r) : "r"(a), "r"(b) : "cc"); return f >> 28; }
static uint64_t nzcv_subs(uint64_t a, uint64_t b) { uint64_t f, r; __asm__("subs %1, %2, %3\n\tmrs %0, nzcv" : "=r"(f), "=&r"(r) : "r"(a), "r"(b) : "cc"); return f >> 28; }
static uint64_t nzcv_adds32(uint32_t a, uint32_t b) { uint64_t f; uint32_t r; __asm__("adds %w1, %w2, %w3\n\tmrs %0, nzcv" : "=r"(f), "=&r"(r) : "r"(a), "r"(b) : "cc"); return f >> 28; }
static uint64_t nzcv_subs32(uint32_t a, uint32_t b) { uint64_t f; uint32_t r; __asm__("subs %w1, %w2, %w3\n\tmrs %0, nzcv" : "=r"(f), "=&r"(r) : "r"(a), "r"(b) : "cc"); return f >> 28; }
static uint64_t adcs_chain(uint64_t a_lo, uint64_t a_hi, uint64_t b_lo, uint64_t b_hi, uint64_t *hi)
{
    uint64_t lo;
    __asm__("adds %0, %2, %4\n\tadcs %1, %3, %5" : "=&r"(lo), "=&r"(*hi) : "r"(a_lo), "r"(a_hi), "r"(b_lo), "r"(b_hi) : "cc");
    return lo;
}
static uint64_t sbcs_chain(uint64_t a_lo, uint64_t a_hi, uint64_t b_lo, uint64_t b_hi, uint64_t *hi)
{
    uint64_t lo;
    __asm__("subs %0, %2, %4\n\tsbcs %1, %3, %5" : "=&r"(lo), "=&r"(*hi) : "r"(a_lo), "r"(a_hi), "r"(b_lo), "r"(b_hi) : "cc");
    return lo;
}
static uint64_t ccmp_eq_then(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    /* (a == b && c == d) via cmp + ccmp + cset */
    uint64_t r;
    __asm__("cmp %1, %2\n\tccmp %3, %4, #0, eq\n\tcset %0, eq" : "=r"(r) : "r"(a), "r"(b), "r"(c), "r"(d) : "cc");
    return r;
}
static uint64_t extr64(uint64_t hi, uint64_t lo) { uint64_t r; __asm__("extr %0, %1, %2, #12" : "=r"(r) : "r"(hi), "r"(lo)); return r; }
static uint64_t bfi_test(uint64_t dst, uint64_t src) { __asm__("bfi %0, %1, #8, #12" : "+r"(dst) : "r"(src)); return dst; }
static uint64_t bfxil_test(uint64_t dst, uint64_t src) { __asm__("bfxil %0, %1, #4, #8" : "+r"(dst) : "r"(src)); return dst; }
static uint64_t sbfx_test(uint64_t src) { uint64_t r; __asm__("sbfx %0, %1, #4, #8" : "=r"(r) : "r"(src)); return r; }
static uint64_t ubfx_test(uint64_t src) { uint64_t r; __asm__("ubfx %0, %1, #4, #8" : "=r"(r) : "r"(src)); return r; }
static uint64_t csinc_test(uint64_t a, uint64_t b, uint64_t x, uint64_t y) { uint64_t r; __asm__("cmp %1, %2\n\tcsinc %0, %3, %4, lt" : "=r"(r) : "r"(a), "r"(b), "r"(x), "r"(y) : "cc"); return r; }
static uint64_t csinv_test(uint64_t a, uint64_t b, uint64_t x, uint64_t y) { uint64_t r; __asm__("cmp %1, %2\n\tcsinv %0, %3, %4, hi" : "=r"(r) : "r"(a), "r"(b), "r"(x), "r"(y) : "cc"); return r; }
static uint64_t csneg_test(uint64_t a, uint64_t b, uint64_t x, uint64_t y) { uint64_t r; __asm__("cmp %1, %2\n\tcsneg %0, %3, %4, ge" : "=r"(r) : "r"(a), "r"(b), "r"(x), "r"(y) : "cc"); return r; }

struct bits {
    unsigned a : 3;
    signed b : 5;
    unsigned c : 12;
    signed d : 20;
    uint64_t e : 24;
};

int main(void)
{
    printf("-- division\n");
    CHECK(sdiv64(s7, s0), 0);
    CHECK(udiv64(umax, u0), 0);
    CHECK(sdiv32(w7, 0), 0);
    CHECK(udiv32(wpat, wu0), 0);
    CHECK(sdiv64(smin, sm1), INT64_MIN);
    CHECK((uint32_t)sdiv32(w_min, w_m1), 0x80000000u);
    CHECK(sdiv64(sm7, s2), -3);
    CHECK(sdiv64(s7, -s2), -3);
    CHECK(sm7 % s2, -1);
    CHECK(s7 % -s2, 1);
    CHECK((uint32_t)sdiv32(w_m7, 2), 0xfffffffdu);
    CHECK(udiv64(umax, 3), 0x5555555555555555ull);
    CHECK(udiv32(0xffffffffu, 7), 0x24924924u);

    printf("-- bit counting and reversal\n");
    CHECK(clz64(u0), 64);
    CHECK(clz32(wu0), 32);
    CHECK(clz64(s1), 63);
    CHECK(clz64(umax), 0);
    CHECK(clz32(wpat), 3);
    CHECK(__builtin_clzll(pattern), 7);
    CHECK(__builtin_ctzll(pattern & ~1ull), 1);
    CHECK(__builtin_popcountll(pattern), 32);
    CHECK(__builtin_popcount(wpat), 13);
    CHECK(cls64(u0), 63);
    CHECK(cls64(umax), 63);
    CHECK(cls64(s1), 62);
    CHECK(cls32(0xf0000000u), 3);
    CHECK(rbit64(s1), 0x8000000000000000ull);
    CHECK(rbit64(pattern), 0xf7b3d591e6a2c480ull);
    CHECK(rbit32(wpat), 0x1e6a2c48u);
    CHECK(__builtin_bswap64(pattern), 0xefcdab8967452301ull);
    CHECK(__builtin_bswap32(wpat), 0x78563412u);
    CHECK(__builtin_bswap16((uint16_t)wpat), 0x7856u);
    CHECK(rev16_64(pattern), 0x23016745ab89efcdull);
    CHECK(rev32_64(pattern), 0x67452301efcdab89ull);

    printf("-- variable shifts (amount taken modulo the width)\n");
    CHECK(lslv(pattern, sh0), 0x0123456789abcdefull);
    CHECK(lslv(pattern, sh1), 0x02468acf13579bdeull);
    CHECK(lslv(pattern, sh63), 0x8000000000000000ull);
    CHECK(lslv(pattern, sh64), 0x0123456789abcdefull);
    CHECK(lslv(pattern, sh65), 0x02468acf13579bdeull);
    CHECK(lsrv(umax, sh63), 1);
    CHECK(lsrv(umax, sh100), 0x000000000fffffffull);    /* 100 mod 64 = 36 */
    CHECK(asrv(smin, sh63), UINT64_MAX);
    CHECK(asrv(smin, sh100), 0xfffffffff8000000ull);
    CHECK(asrv(smax, sh32), 0x7fffffff);
    CHECK(rorv(pattern, sh32), 0x89abcdef01234567ull);
    CHECK(rorv(pattern, sh100), 0x789abcdef0123456ull);
    CHECK(lslv32(wpat, sh32), 0x12345678u);
    CHECK(lslv32(wpat, sh31), 0);
    CHECK(asrv32(0x80000000u, sh31), 0xffffffffu);
    CHECK(asrv32(0x80000000u, sh63), 0xffffffffu);
    CHECK(rorv32(wpat, 8), 0x78123456u);
    CHECK(pattern << (sh31 + 1), 0x89abcdef00000000ull);
    CHECK(smin >> sh1, 0xc000000000000000ull);
    CHECK((uint32_t)w_min >> sh31, 1);

    printf("-- flags\n");
    CHECK(nzcv_adds(umax, 1), 0x6);             /* Z C */
    CHECK(nzcv_adds(smax, 1), 0x9);             /* N V */
    CHECK(nzcv_adds(0, 0), 0x4);                /* Z */
    CHECK(nzcv_adds(smin, smin), 0x7);          /* Z C V */
    CHECK(nzcv_subs(0, 1), 0x8);                /* N, borrow => C clear */
    CHECK(nzcv_subs(5, 5), 0x6);                /* Z C */
    CHECK(nzcv_subs(smin, 1), 0x3);             /* C V */
    CHECK(nzcv_subs(7, 3), 0x2);                /* C */
    CHECK(nzcv_adds32(0xffffffffu, 1), 0x6);
    CHECK(nzcv_adds32(0x7fffffffu, 1), 0x9);
    CHECK(nzcv_subs32(0, 1), 0x8);
    CHECK(nzcv_subs32(0x80000000u, 1), 0x3);
    uint64_t hi;
    CHECK(adcs_chain(umax, 1, 1, 2, &hi), 0);
    CHECK(hi, 4);
    CHECK(sbcs_chain(0, 5, 1, 2, &hi), UINT64_MAX);
    CHECK(hi, 2);
    CHECK(ccmp_eq_then(s1, s1, s7, s7), 1);
    CHECK(ccmp_eq_then(s1, s1, s7, s2), 0);
    CHECK(ccmp_eq_then(s1, s2, s7, s7), 0);

    printf("-- overflow builtins\n");
    int64_t r64; int32_t r32; uint64_t ru;
    CHECK(__builtin_add_overflow(smax, s1, &r64), 1);
    CHECK(r64, INT64_MIN);
    CHECK(__builtin_add_overflow(smax, sm1, &r64), 0);
    CHECK(__builtin_sub_overflow(smin, s1, &r64), 1);
    CHECK(__builtin_mul_overflow(smax, s2, &r64), 1);
    CHECK(r64, -2);
    CHECK(__builtin_mul_overflow(smin, sm1, &r64), 1);
    CHECK(__builtin_mul_overflow((int64_t)3037000499, (int64_t)3037000499, &r64), 0);
    CHECK(__builtin_mul_overflow((int64_t)3037000500, (int64_t)3037000500, &r64), 1);
    CHECK(__builtin_add_overflow(w_min, w_m1, &r32), 1);
    CHECK((uint32_t)r32, 0x7fffffffu);
    CHECK(__builtin_mul_overflow(w7, 0x20000000, &r32), 1);
    CHECK(__builtin_add_overflow(umax, (uint64_t)s1, &ru), 1);
    CHECK(__builtin_sub_overflow(u0, (uint64_t)s1, &ru), 1);
    CHECK(__builtin_mul_overflow(umax, (uint64_t)s1, &ru), 0);
    CHECK(__builtin_mul_overflow((uint64_t)0x100000000ull, (uint64_t)0x100000000ull, &ru), 1);

    printf("-- 128-bit multiply\n");
    unsigned __int128 p = (unsigned __int128)umax * umax;
    CHECK((uint64_t)(p >> 64), 0xfffffffffffffffeull);
    CHECK((uint64_t)p, 1);
    __int128 q = (__int128)smin * smin;
    CHECK((uint64_t)((unsigned __int128)q >> 64), 0x4000000000000000ull);
    CHECK((uint64_t)q, 0);
    q = (__int128)smin * smax;
    CHECK((uint64_t)((unsigned __int128)q >> 64), 0xc000000000000000ull);
    CHECK((uint64_t)q, 0x8000000000000000ull);
    p = (unsigned __int128)pattern * pattern;
    CHECK((uint64_t)(p >> 64), 0x00014b66dc33f6acull);
    CHECK((uint64_t)p, 0xdca5e20890f2a521ull);
    q = (__int128)sm1 * (int64_t)pattern;
    CHECK((uint64_t)((unsigned __int128)q >> 64), UINT64_MAX);
    unsigned __int128 d128 = ((unsigned __int128)pattern << 64 | umax) / 0x10000000000ull; /* __udivti3 */
    CHECK((uint64_t)(d128 >> 64), 0x12345ull);
    CHECK((uint64_t)d128, 0x6789abcdefffffffull);

    printf("-- conditional select\n");
    CHECK(s7 > s2 ? s7 : s2, 7);
    CHECK(sm7 < s2 ? (uint64_t)-1 : 5, UINT64_MAX);
    CHECK(csinc_test(s1, s2, 10, 20), 10);
    CHECK(csinc_test(s2, s1, 10, 20), 21);
    CHECK(csinv_test(umax, u0, 10, 20), 10);
    CHECK(csinv_test(u0, umax, 10, 20), ~(uint64_t)20);
    CHECK(csneg_test(sm1, s1, 10, 20), (uint64_t)-20);
    CHECK(csneg_test(s1, sm1, 10, 20), 10);
    CHECK(sm7 < 0 ? -sm7 : sm7, 7);
    CHECK(smin < 0 ? -(uint64_t)smin : (uint64_t)smin, 0x8000000000000000ull);

    printf("-- bitfields\n");
    CHECK(extr64(0x0123456789abcdefull, 0xfedcba9876543210ull), 0xdeffedcba9876543ull);
    CHECK(bfi_test(0xffffffffffffffffull, 0xabc), 0xfffffffffffabcffull);
    CHECK(bfi_test(0, 0x12345), 0x00345 << 8);
    CHECK(bfxil_test(0xffffffffffffffffull, 0x0000000000000ab0ull), 0xffffffffffffffabull);
    CHECK(sbfx_test(0x0000000000000f80ull), 0xfffffffffffffff8ull);
    CHECK(ubfx_test(0x0000000000000f80ull), 0xf8);
    volatile struct bits b = {0};
    b.a = 7; b.b = -16; b.c = 0xabc; b.d = -1; b.e = 0x123456;
    CHECK(b.a, 7);
    CHECK((int64_t)b.b, -16);
    CHECK(b.c, 0xabc);
    CHECK((int64_t)b.d, -1);
    CHECK(b.e, 0x123456);
    b.a = (unsigned)(b.a + 1);   /* wraps to 0 within 3 bits */
    b.b = (signed)(b.b + 31);    /* -16 + 31 = 15 fits in signed 5 bits */
    b.d = (signed)(b.d - 0x7ffff);
    CHECK(b.a, 0);
    CHECK((int64_t)b.b, 15);
    CHECK((int64_t)b.d, -0x80000);
    CHECK(b.c, 0xabc);
    CHECK(b.e, 0x123456);

    printf("-- extends and narrow arithmetic\n");
    CHECK((int64_t)(int8_t)(uint8_t)wpat, 0x78);
    CHECK((int64_t)(int8_t)(uint8_t)0x80 + (int64_t)s0, (uint64_t)-128);
    CHECK((int64_t)(int16_t)(wpat | 0x8000u), (uint64_t)(int64_t)(int16_t)0xd678);
    CHECK((int64_t)w_m1, UINT64_MAX);
    CHECK((uint64_t)(uint32_t)w_m1, 0xffffffffull);
    CHECK((uint32_t)(wpat * wpat), 0x1df4d840u);
    CHECK((uint32_t)(wpat + 0xf0000000u), 0x02345678u);
    CHECK(pattern * 0x9e3779b97f4a7c15ull, 0x0c93a7b79aeda89bull);
    CHECK((uint64_t)s7 * (uint64_t)sm7 + 49, 0);

    printf("intops: %d checks, %s\n", count, failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
