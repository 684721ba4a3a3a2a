/* Scalar FP with FPSR.IXC already set, the state most FP code runs in (Tier 1 then uses host arithmetic
 * with a guard), and with FPSR clear for comparison. Per instruction, FPCR mode and FPSR preset it prints
 * a hash of all (result bits, FPSR) pairs over special values and random bit patterns. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static inline void set_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0" ::"r"(v)); }
static inline void set_fpsr(uint64_t v) { __asm__ volatile("msr fpsr, %0" ::"r"(v)); }
static inline uint64_t get_fpsr(void) { uint64_t v; __asm__ volatile("mrs %0, fpsr" : "=r"(v)); return v; }

typedef uint64_t (*op_fn)(uint64_t, uint64_t, uint64_t);

#define B2(name, insn, p)                                                                  \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c) {                             \
        (void)c; double x, y, r; memcpy(&x, &a, 8); memcpy(&y, &b, 8);                      \
        __asm__ volatile(insn " %" p "0, %" p "1, %" p "2" : "=w"(r) : "w"(x), "w"(y));       \
        uint64_t o; memcpy(&o, &r, 8); return o;                                            \
    }
#define U1(name, insn, dr, sr)                                                             \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c) {                             \
        (void)b; (void)c; double x, r; memcpy(&x, &a, 8);                                   \
        __asm__ volatile(insn " %" dr "0, %" sr "1" : "=w"(r) : "w"(x));                   \
        uint64_t o; memcpy(&o, &r, 8); return o;                                            \
    }
#define T3(name, insn, p)                                                                  \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c) {                             \
        double x, y, z, r; memcpy(&x, &a, 8); memcpy(&y, &b, 8); memcpy(&z, &c, 8);         \
        __asm__ volatile(insn " %" p "0, %" p "1, %" p "2, %" p "3" : "=w"(r) : "w"(x), "w"(y), "w"(z)); \
        uint64_t o; memcpy(&o, &r, 8); return o;                                            \
    }
#define CMP(name, insn, p)                                                                 \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c) {                             \
        (void)c; double x, y; uint64_t f; memcpy(&x, &a, 8); memcpy(&y, &b, 8);             \
        __asm__ volatile(insn " %" p "1, %" p "2\n mrs %0, nzcv" : "=r"(f) : "w"(x), "w"(y) : "cc"); \
        return f >> 28;                                                                     \
    }
#define CMPZ(name, insn, p)                                                                \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c) {                             \
        (void)b; (void)c; double x; uint64_t f; memcpy(&x, &a, 8);                          \
        __asm__ volatile(insn " %" p "1, #0.0\n mrs %0, nzcv" : "=r"(f) : "w"(x) : "cc");  \
        return f >> 28;                                                                     \
    }
#define TOINT(name, insn, rr, p)                                                           \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c) {                             \
        (void)b; (void)c; double x; uint64_t r; memcpy(&x, &a, 8);                          \
        __asm__ volatile(insn " %" rr "0, %" p "1" : "=r"(r) : "w"(x));                    \
        return r;                                                                           \
    }
#define FROMINT(name, insn, p, rr)                                                         \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c) {                             \
        (void)b; (void)c; double r;                                                         \
        __asm__ volatile(insn " %" p "0, %" rr "1" : "=w"(r) : "r"(a));                    \
        uint64_t o; memcpy(&o, &r, 8); return o;                                            \
    }

B2(fadd_d, "fadd", "d") B2(fsub_d, "fsub", "d") B2(fmul_d, "fmul", "d") B2(fnmul_d, "fnmul", "d")
B2(fdiv_d, "fdiv", "d") B2(fmax_d, "fmax", "d") B2(fmin_d, "fmin", "d") B2(fmaxnm_d, "fmaxnm", "d")
B2(fminnm_d, "fminnm", "d")
B2(fadd_s, "fadd", "s") B2(fsub_s, "fsub", "s") B2(fmul_s, "fmul", "s") B2(fnmul_s, "fnmul", "s")
B2(fdiv_s, "fdiv", "s") B2(fmax_s, "fmax", "s") B2(fmin_s, "fmin", "s") B2(fmaxnm_s, "fmaxnm", "s")
B2(fminnm_s, "fminnm", "s")
U1(fsqrt_d, "fsqrt", "d", "d") U1(fsqrt_s, "fsqrt", "s", "s")
U1(fcvt_sd, "fcvt", "d", "s") U1(fcvt_ds, "fcvt", "s", "d")
T3(fmadd_d, "fmadd", "d") T3(fmsub_d, "fmsub", "d") T3(fnmadd_d, "fnmadd", "d") T3(fnmsub_d, "fnmsub", "d")
T3(fmadd_s, "fmadd", "s") T3(fmsub_s, "fmsub", "s") T3(fnmadd_s, "fnmadd", "s") T3(fnmsub_s, "fnmsub", "s")
CMP(fcmp_d, "fcmp", "d") CMP(fcmpe_d, "fcmpe", "d") CMPZ(fcmpz_d, "fcmp", "d")
CMP(fcmp_s, "fcmp", "s") CMP(fcmpe_s, "fcmpe", "s") CMPZ(fcmpz_s, "fcmp", "s")
TOINT(fcvtzs_wd, "fcvtzs", "w", "d") TOINT(fcvtzs_xd, "fcvtzs", "x", "d")
TOINT(fcvtzu_wd, "fcvtzu", "w", "d") TOINT(fcvtzu_xd, "fcvtzu", "x", "d")
TOINT(fcvtzs_ws, "fcvtzs", "w", "s") TOINT(fcvtzs_xs, "fcvtzs", "x", "s")
TOINT(fcvtzu_ws, "fcvtzu", "w", "s") TOINT(fcvtzu_xs, "fcvtzu", "x", "s")
FROMINT(scvtf_dw, "scvtf", "d", "w") FROMINT(scvtf_dx, "scvtf", "d", "x")
FROMINT(ucvtf_dw, "ucvtf", "d", "w") FROMINT(ucvtf_dx, "ucvtf", "d", "x")
FROMINT(scvtf_sw, "scvtf", "s", "w") FROMINT(scvtf_sx, "scvtf", "s", "x")
FROMINT(ucvtf_sw, "ucvtf", "s", "w") FROMINT(ucvtf_sx, "ucvtf", "s", "x")

static const struct { const char *name; op_fn fn; int single; } ops[] = {
    {"fadd_d", fadd_d, 0}, {"fsub_d", fsub_d, 0}, {"fmul_d", fmul_d, 0}, {"fnmul_d", fnmul_d, 0},
    {"fdiv_d", fdiv_d, 0}, {"fmax_d", fmax_d, 0}, {"fmin_d", fmin_d, 0}, {"fmaxnm_d", fmaxnm_d, 0},
    {"fminnm_d", fminnm_d, 0}, {"fsqrt_d", fsqrt_d, 0}, {"fcvt_ds", fcvt_ds, 0},
    {"fmadd_d", fmadd_d, 0}, {"fmsub_d", fmsub_d, 0}, {"fnmadd_d", fnmadd_d, 0}, {"fnmsub_d", fnmsub_d, 0},
    {"fcmp_d", fcmp_d, 0}, {"fcmpe_d", fcmpe_d, 0}, {"fcmpz_d", fcmpz_d, 0},
    {"fcvtzs_wd", fcvtzs_wd, 0}, {"fcvtzs_xd", fcvtzs_xd, 0}, {"fcvtzu_wd", fcvtzu_wd, 0}, {"fcvtzu_xd", fcvtzu_xd, 0},
    {"fadd_s", fadd_s, 1}, {"fsub_s", fsub_s, 1}, {"fmul_s", fmul_s, 1}, {"fnmul_s", fnmul_s, 1},
    {"fdiv_s", fdiv_s, 1}, {"fmax_s", fmax_s, 1}, {"fmin_s", fmin_s, 1}, {"fmaxnm_s", fmaxnm_s, 1},
    {"fminnm_s", fminnm_s, 1}, {"fsqrt_s", fsqrt_s, 1}, {"fcvt_sd", fcvt_sd, 1},
    {"fmadd_s", fmadd_s, 1}, {"fmsub_s", fmsub_s, 1}, {"fnmadd_s", fnmadd_s, 1}, {"fnmsub_s", fnmsub_s, 1},
    {"fcmp_s", fcmp_s, 1}, {"fcmpe_s", fcmpe_s, 1}, {"fcmpz_s", fcmpz_s, 1},
    {"fcvtzs_ws", fcvtzs_ws, 1}, {"fcvtzs_xs", fcvtzs_xs, 1}, {"fcvtzu_ws", fcvtzu_ws, 1}, {"fcvtzu_xs", fcvtzu_xs, 1},
    {"scvtf_dw", scvtf_dw, 2}, {"scvtf_dx", scvtf_dx, 2}, {"ucvtf_dw", ucvtf_dw, 2}, {"ucvtf_dx", ucvtf_dx, 2},
    {"scvtf_sw", scvtf_sw, 2}, {"scvtf_sx", scvtf_sx, 2}, {"ucvtf_sw", ucvtf_sw, 2}, {"ucvtf_sx", ucvtf_sx, 2},
};

static const uint64_t special_d[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000, 0x3ff8000000000000,
    0x0010000000000000, 0x0000000000000001, 0x000fffffffffffff, 0x7fefffffffffffff, 0x7ff0000000000000,
    0xfff0000000000000, 0x7ff8000000000000, 0x7ff4000000000000, 0x01a56e1fc2f8f359 /* 1e-300 */,
    0x03b8000000000000, 0x1ff0000000000000, 0x5fe0000000000000, 0x41dfffffffc00000 /* 2^31-1 */,
    0xc1e0000000000000 /* -2^31 */, 0x43e0000000000000 /* 2^63 */, 0x43f0000000000000 /* 2^64 */,
    0x3fe0000000000000, 0x4004000000000000, 0xc00c000000000000,
};
static const uint32_t special_s[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x00800000, 0x00000001, 0x007fffff,
    0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 0x02000000, 0x1f800000, 0x5f000000,
    0x4f000000 /* 2^31 */, 0xcf000000, 0x5f800000 /* 2^64 */, 0x3f000000, 0x40200000, 0xc0600000,
};
#define NSD (sizeof special_d / sizeof special_d[0])
#define NSS (sizeof special_s / sizeof special_s[0])

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

/* Random operands: mostly ordinary numbers of moderate exponent (the fast path), some raw bit patterns
 * and specials (the exact path). */
static uint64_t operand(int single) {
    uint64_t r = next();
    switch (r & 7) {
    case 0: return single ? special_s[(r >> 8) % NSS] : special_d[(r >> 8) % NSD];
    case 1: return single ? (uint32_t)(r >> 16) : r >> 3 | (r & 8) << 60;
    case 2: return single ? (uint32_t)(r >> 20) & 0x807fffff : (r >> 12) & 0x800fffffffffffffull; /* subnormal or zero */
    default:
        if (single) return ((r >> 8) & 0x807fffff) | (uint64_t)(0x60 + ((r >> 40) % 0x40)) << 23;
        return ((r >> 8) & 0x800fffffffffffffull) | (uint64_t)(0x3c0 + ((r >> 40) % 0x80)) << 52;
    }
}

static uint64_t int_operand(void) {
    uint64_t r = next();
    switch (r & 3) {
    case 0: return r;
    case 1: return (int64_t)(int32_t)r;
    case 2: return r >> (r >> 58);
    default: return r & 0xffff;
    }
}

static uint64_t hash;
static void mix(uint64_t v) {
    for (int i = 0; i < 8; i++) hash = (hash ^ ((v >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
}

/* The same operations in one loop body, so Tier 1 compiles them into one region with the FPSR writes. */
static void inline_loop(uint64_t fpcr) {
    hash = 0xcbf29ce484222325ULL;
    rng = 0x9e3779b97f4a7c15ull;
    double acc = 1.0;
    for (int i = 0; i < 20000; i++) {
        double x, y, q, s;
        uint64_t a = operand(0), b = operand(0), f, nz;
        memcpy(&x, &a, 8);
        memcpy(&y, &b, 8);
        set_fpcr(fpcr);
        set_fpsr(i & 1 ? 0x10 : 0);
        __asm__ volatile("fmadd %d0, %d1, %d2, %d0\n fdiv %d3, %d1, %d2\n fsqrt %d4, %d3\n fcmp %d3, %d4\n mrs %5, nzcv\n"
                         "fadd %d0, %d0, %d4\n fmul %d0, %d0, %d3"
                         : "+w"(acc), "+w"(x), "+w"(y), "=&w"(q), "=&w"(s), "=&r"(nz) : : "cc");
        f = get_fpsr();
        set_fpcr(0);
        uint64_t bits;
        memcpy(&bits, &acc, 8);
        mix(bits);
        memcpy(&bits, &q, 8);
        mix(bits);
        mix(f);
        mix(nz);
        if (!(acc == acc) || acc > 1e100 || acc < -1e100) acc = 1.0;
    }
    printf("inline     fpcr=%08llx %016llx\n", (unsigned long long)fpcr, (unsigned long long)hash);
}

int main(void) {
    inline_loop(0);
    inline_loop(1u << 24);
    static const uint64_t modes[] = {0, 3u << 22, 1u << 24, 1u << 25};
    static const uint64_t presets[] = {0x10, 0};
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        for (size_t m = 0; m < 4; m++) {
            for (size_t p = 0; p < 2; p++) {
                hash = 0xcbf29ce484222325ULL;
                rng = 0x243f6a8885a308d3ull + o;
                for (int i = 0; i < 1500; i++) {
                    uint64_t a, b, c;
                    if (ops[o].single == 2) a = int_operand(), b = c = 0;
                    else a = operand(ops[o].single), b = operand(ops[o].single), c = operand(ops[o].single);
                    set_fpcr(modes[m]);
                    set_fpsr(presets[p]);
                    uint64_t r = ops[o].fn(a, b, c);
                    uint64_t f = get_fpsr();
                    set_fpcr(0);
                    mix(r);
                    mix(f);
                }
                printf("%-10s fpcr=%08llx fpsr=%02llx %016llx\n", ops[o].name, (unsigned long long)modes[m],
                       (unsigned long long)presets[p], (unsigned long long)hash);
            }
        }
    }
    return 0;
}
