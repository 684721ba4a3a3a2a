/* Sweeps special values through every scalar FP instruction. Per instruction and FPCR mode it prints
 * a hash of all (result bits, FPSR flags) pairs; with -v it prints every case (to diff against
 * qemu-aarch64 when a hash differs). Instructions are inline assembly so the compiler cannot fold
 * or reorder them. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

__asm__(".arch armv8.5-a+fp16");

static inline void set_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0" ::"r"(v)); }
static inline void clear_fpsr(void) { __asm__ volatile("msr fpsr, xzr"); }
static inline uint64_t get_fpsr(void) { uint64_t v; __asm__ volatile("mrs %0, fpsr" : "=r"(v)); return v; }

/* Operands and results travel as raw bits in the low lane of a D register. */
typedef uint64_t (*op1_fn)(uint64_t);
typedef uint64_t (*op2_fn)(uint64_t, uint64_t);
typedef uint64_t (*op3_fn)(uint64_t, uint64_t, uint64_t);

#define U1(name, insn, dr, sr)                                                       \
    static uint64_t name(uint64_t a) {                                               \
        double x, r; memcpy(&x, &a, 8);                                               \
        __asm__ volatile(insn " %" dr "0, %" sr "1" : "=w"(r) : "w"(x));             \
        uint64_t o; memcpy(&o, &r, 8); return o;                                      \
    }
#define B2(name, insn, p)                                                            \
    static uint64_t name(uint64_t a, uint64_t b) {                                   \
        double x, y, r; memcpy(&x, &a, 8); memcpy(&y, &b, 8);                         \
        __asm__ volatile(insn " %" p "0, %" p "1, %" p "2" : "=w"(r) : "w"(x), "w"(y)); \
        uint64_t o; memcpy(&o, &r, 8); return o;                                      \
    }
#define T3(name, insn, p)                                                            \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c) {                       \
        double x, y, z, r; memcpy(&x, &a, 8); memcpy(&y, &b, 8); memcpy(&z, &c, 8);   \
        __asm__ volatile(insn " %" p "0, %" p "1, %" p "2, %" p "3" : "=w"(r) : "w"(x), "w"(y), "w"(z)); \
        uint64_t o; memcpy(&o, &r, 8); return o;                                      \
    }
#define CMP(name, insn, p)                                                           \
    static uint64_t name(uint64_t a, uint64_t b) {                                   \
        double x, y; uint64_t f; memcpy(&x, &a, 8); memcpy(&y, &b, 8);                \
        __asm__ volatile(insn " %" p "1, %" p "2\n mrs %0, nzcv" : "=r"(f) : "w"(x), "w"(y) : "cc"); \
        return f >> 28;                                                               \
    }
#define CMPZ(name, insn, p)                                                          \
    static uint64_t name(uint64_t a) {                                               \
        double x; uint64_t f; memcpy(&x, &a, 8);                                      \
        __asm__ volatile(insn " %" p "1, #0.0\n mrs %0, nzcv" : "=r"(f) : "w"(x) : "cc"); \
        return f >> 28;                                                               \
    }
#define TOINT(name, insn, rr, p)                                                     \
    static uint64_t name(uint64_t a) {                                               \
        double x; uint64_t r; memcpy(&x, &a, 8);                                      \
        __asm__ volatile(insn " %" rr "0, %" p "1" : "=r"(r) : "w"(x));              \
        return r;                                                                     \
    }
#define TOINTF(name, insn, rr, p, fb)                                                \
    static uint64_t name(uint64_t a) {                                               \
        double x; uint64_t r; memcpy(&x, &a, 8);                                      \
        __asm__ volatile(insn " %" rr "0, %" p "1, #" #fb : "=r"(r) : "w"(x));       \
        return r;                                                                     \
    }
#define FROMINT(name, insn, p, rr)                                                   \
    static uint64_t name(uint64_t a) {                                               \
        double r; __asm__ volatile("movi %d0, #0\n" insn " %" p "0, %" rr "1" : "=&w"(r) : "r"(a)); \
        uint64_t o; memcpy(&o, &r, 8); return o;                                      \
    }
#define FROMINTF(name, insn, p, rr, fb)                                              \
    static uint64_t name(uint64_t a) {                                               \
        double r; __asm__ volatile(insn " %" p "0, %" rr "1, #" #fb : "=w"(r) : "r"(a)); \
        uint64_t o; memcpy(&o, &r, 8); return o;                                      \
    }

/* For each precision: unary, binary, ternary, compare. */
#define PREC(P, p)                                                                    \
    U1(fabs_##P, "fabs", p, p) U1(fneg_##P, "fneg", p, p) U1(fsqrt_##P, "fsqrt", p, p) \
    U1(frintn_##P, "frintn", p, p) U1(frintp_##P, "frintp", p, p) U1(frintm_##P, "frintm", p, p) \
    U1(frintz_##P, "frintz", p, p) U1(frinta_##P, "frinta", p, p) U1(frintx_##P, "frintx", p, p) \
    U1(frinti_##P, "frinti", p, p) U1(frecpe_##P, "frecpe", p, p) U1(frsqrte_##P, "frsqrte", p, p) \
    U1(frecpx_##P, "frecpx", p, p) U1(fmov_##P, "fmov", p, p)                        \
    B2(fadd_##P, "fadd", p) B2(fsub_##P, "fsub", p) B2(fmul_##P, "fmul", p) B2(fdiv_##P, "fdiv", p) \
    B2(fmax_##P, "fmax", p) B2(fmin_##P, "fmin", p) B2(fmaxnm_##P, "fmaxnm", p) B2(fminnm_##P, "fminnm", p) \
    B2(fnmul_##P, "fnmul", p) B2(frecps_##P, "frecps", p) B2(frsqrts_##P, "frsqrts", p) \
    T3(fmadd_##P, "fmadd", p) T3(fmsub_##P, "fmsub", p) T3(fnmadd_##P, "fnmadd", p) T3(fnmsub_##P, "fnmsub", p) \
    CMP(fcmp_##P, "fcmp", p) CMP(fcmpe_##P, "fcmpe", p) CMPZ(fcmpz_##P, "fcmp", p) CMPZ(fcmpez_##P, "fcmpe", p) \
    TOINT(fcvtzs_w_##P, "fcvtzs", "w", p) TOINT(fcvtzs_x_##P, "fcvtzs", "x", p)      \
    TOINT(fcvtzu_w_##P, "fcvtzu", "w", p) TOINT(fcvtzu_x_##P, "fcvtzu", "x", p)      \
    TOINT(fcvtns_w_##P, "fcvtns", "w", p) TOINT(fcvtnu_x_##P, "fcvtnu", "x", p)      \
    TOINT(fcvtas_x_##P, "fcvtas", "x", p) TOINT(fcvtau_w_##P, "fcvtau", "w", p)      \
    TOINT(fcvtps_x_##P, "fcvtps", "x", p) TOINT(fcvtpu_w_##P, "fcvtpu", "w", p)      \
    TOINT(fcvtms_w_##P, "fcvtms", "w", p) TOINT(fcvtmu_x_##P, "fcvtmu", "x", p)      \
    TOINTF(fcvtzs_w4_##P, "fcvtzs", "w", p, 4) TOINTF(fcvtzu_x40_##P, "fcvtzu", "x", p, 40) \
    TOINTF(fcvtzs_x64_##P, "fcvtzs", "x", p, 64) TOINTF(fcvtzu_w32_##P, "fcvtzu", "w", p, 32) \
    FROMINT(scvtf_w_##P, "scvtf", p, "w") FROMINT(scvtf_x_##P, "scvtf", p, "x")     \
    FROMINT(ucvtf_w_##P, "ucvtf", p, "w") FROMINT(ucvtf_x_##P, "ucvtf", p, "x")     \
    FROMINTF(scvtf_x3_##P, "scvtf", p, "x", 3) FROMINTF(ucvtf_w32_##P, "ucvtf", p, "w", 32) \
    FROMINTF(scvtf_x64_##P, "scvtf", p, "x", 64)

PREC(d, "d")
PREC(s, "s")
PREC(h, "h")

U1(frint32z_d, "frint32z", "d", "d") U1(frint32x_d, "frint32x", "d", "d")
U1(frint64z_d, "frint64z", "d", "d") U1(frint64x_d, "frint64x", "d", "d")
U1(frint32z_s, "frint32z", "s", "s") U1(frint32x_s, "frint32x", "s", "s")
U1(frint64z_s, "frint64z", "s", "s") U1(frint64x_s, "frint64x", "s", "s")
U1(fcvt_sd, "fcvt", "s", "d") U1(fcvt_ds, "fcvt", "d", "s") U1(fcvt_hd, "fcvt", "h", "d")
U1(fcvt_dh, "fcvt", "d", "h") U1(fcvt_hs, "fcvt", "h", "s") U1(fcvt_sh, "fcvt", "s", "h")
TOINT(fjcvtzs_d, "fjcvtzs", "w", "d")
static uint64_t fjcvtzs_flags(uint64_t a) {
    double x; uint64_t r, f; memcpy(&x, &a, 8);
    __asm__ volatile("msr nzcv, xzr\n fjcvtzs %w0, %d2\n mrs %1, nzcv" : "=r"(r), "=r"(f) : "w"(x) : "cc");
    return f >> 28;
}

static const uint64_t dvals[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
    0x3fb999999999999a, 0x3ff8000000000000, 0x4004000000000000, 0xc004000000000000,
    0x4008000000000000, 0x7fefffffffffffff, 0xffefffffffffffff, 0x0010000000000000,
    0x0000000000000001, 0x800fffffffffffff, 0x7ff0000000000000, 0xfff0000000000000,
    0x7ff8000000000123, 0xfff8000000000456, 0x7ff0000000000789, 0xfff4000000000abc,
    0x4415af1d78b58c40, 0xc415af1d78b58c40, 0x41e0000000000000, 0xc3e0000000000000,
    0x43f0000000000000, 0x3fe0000000000000, 0x3fd5555555555555, 0x40fe240c9fbe76c9,
    0x4330000000000001, 0xbfe8000000000000, 0x41dfffffffc00000, 0x3ca0000000000000,
};
static const uint64_t svals[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3dcccccd, 0x3fc00000, 0x40200000, 0xc0200000,
    0x40400000, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000,
    0x7fc00123, 0xffc00456, 0x7f800789, 0xffa00abc, 0x60ad78ec, 0xe0ad78ec, 0x4f000000, 0xdf000000,
    0x5f800000, 0x3f000000, 0x3eaaaaab, 0x47f12065, 0x4b000001, 0xbf400000, 0x4effffff, 0x33800000,
};
static const uint64_t hvals[] = {
    0x0000, 0x8000, 0x3c00, 0xbc00, 0x2e66, 0x3e00, 0x4100, 0xc100, 0x4200, 0x7bff, 0xfbff, 0x0400,
    0x0001, 0x83ff, 0x7c00, 0xfc00, 0x7e12, 0xfe34, 0x7c56, 0xfd78, 0x7800, 0x3800, 0x3555, 0x6400,
};
static const uint64_t ivals[] = {
    0, 1, 0xffffffffffffffff, 2, 3, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000001,
    0x7fffffffffffffff, 0x8000000000000000, 0x20000000000001, 0x1fffffffffffff, 0xfffffffffffffff5,
    0x123456789abcdef, 0xfedcba9876543210, 0xffffff, 0x1000001, 0x7ff, 0x800,
};
#define NV(a) (sizeof(a) / sizeof((a)[0]))

static int verbose;
static uint64_t hash;
static void record(const char *tag, const char *name, const char *args, uint64_t r, uint64_t fl) {
    if (verbose) printf("%s %s %s-> %llx %02llx\n", tag, name, args, (unsigned long long)r, (unsigned long long)fl);
    for (int i = 0; i < 8; i++) hash = (hash ^ ((r >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
    hash = (hash ^ fl) * 0x100000001b3ULL;
}
static void begin(void) { hash = 0xcbf29ce484222325ULL; }
static void end(const char *tag, const char *name) { printf("%s %s %016llx\n", tag, name, (unsigned long long)hash); }

struct u1 { const char *name; op1_fn f; };
struct b2 { const char *name; op2_fn f; };
struct t3 { const char *name; op3_fn f; };

static void run1(const char *tag, const struct u1 *ops, size_t nops, const uint64_t *v, size_t nv) {
    char args[64];
    for (size_t o = 0; o < nops; o++) {
        begin();
        for (size_t i = 0; i < nv; i++) {
            clear_fpsr();
            uint64_t r = ops[o].f(v[i]);
            uint64_t fl = get_fpsr();
            snprintf(args, sizeof args, "%llx ", (unsigned long long)v[i]);
            record(tag, ops[o].name, args, r, fl);
        }
        end(tag, ops[o].name);
    }
}
static void run2(const char *tag, const struct b2 *ops, size_t nops, const uint64_t *v, size_t nv) {
    char args[64];
    for (size_t o = 0; o < nops; o++) {
        begin();
        for (size_t i = 0; i < nv; i++)
            for (size_t j = 0; j < nv; j++) {
                clear_fpsr();
                uint64_t r = ops[o].f(v[i], v[j]);
                uint64_t fl = get_fpsr();
                snprintf(args, sizeof args, "%llx %llx ", (unsigned long long)v[i], (unsigned long long)v[j]);
                record(tag, ops[o].name, args, r, fl);
            }
        end(tag, ops[o].name);
    }
}
static void run3(const char *tag, const struct t3 *ops, size_t nops, const uint64_t *v, size_t nv) {
    char args[80];
    for (size_t o = 0; o < nops; o++) {
        begin();
        for (size_t i = 0; i < nv; i++)
            for (size_t j = 0; j < nv; j++)
                for (size_t k = 0; k < nv; k++) {
                    clear_fpsr();
                    uint64_t r = ops[o].f(v[i], v[j], v[k]);
                    uint64_t fl = get_fpsr();
                    snprintf(args, sizeof args, "%llx %llx %llx ", (unsigned long long)v[i], (unsigned long long)v[j],
                             (unsigned long long)v[k]);
                    record(tag, ops[o].name, args, r, fl);
                }
        end(tag, ops[o].name);
    }
}

#define UNARY(P) { "fabs", fabs_##P }, { "fneg", fneg_##P }, { "fsqrt", fsqrt_##P }, { "frintn", frintn_##P }, \
    { "frintp", frintp_##P }, { "frintm", frintm_##P }, { "frintz", frintz_##P }, { "frinta", frinta_##P }, \
    { "frintx", frintx_##P }, { "frinti", frinti_##P }, { "frecpe", frecpe_##P }, { "frsqrte", frsqrte_##P }, \
    { "frecpx", frecpx_##P }, { "fmov", fmov_##P }, { "fcmpz", fcmpz_##P }, { "fcmpez", fcmpez_##P }, \
    { "fcvtzs_w", fcvtzs_w_##P }, { "fcvtzs_x", fcvtzs_x_##P }, { "fcvtzu_w", fcvtzu_w_##P }, { "fcvtzu_x", fcvtzu_x_##P }, \
    { "fcvtns_w", fcvtns_w_##P }, { "fcvtnu_x", fcvtnu_x_##P }, { "fcvtas_x", fcvtas_x_##P }, { "fcvtau_w", fcvtau_w_##P }, \
    { "fcvtps_x", fcvtps_x_##P }, { "fcvtpu_w", fcvtpu_w_##P }, { "fcvtms_w", fcvtms_w_##P }, { "fcvtmu_x", fcvtmu_x_##P }, \
    { "fcvtzs_w4", fcvtzs_w4_##P }, { "fcvtzu_x40", fcvtzu_x40_##P }, { "fcvtzs_x64", fcvtzs_x64_##P }, { "fcvtzu_w32", fcvtzu_w32_##P }
#define BINARY(P) { "fadd", fadd_##P }, { "fsub", fsub_##P }, { "fmul", fmul_##P }, { "fdiv", fdiv_##P }, \
    { "fmax", fmax_##P }, { "fmin", fmin_##P }, { "fmaxnm", fmaxnm_##P }, { "fminnm", fminnm_##P }, \
    { "fnmul", fnmul_##P }, { "frecps", frecps_##P }, { "frsqrts", frsqrts_##P }, { "fcmp", fcmp_##P }, { "fcmpe", fcmpe_##P }
#define TERNARY(P) { "fmadd", fmadd_##P }, { "fmsub", fmsub_##P }, { "fnmadd", fnmadd_##P }, { "fnmsub", fnmsub_##P }
#define FROMI(P) { "scvtf_w", scvtf_w_##P }, { "scvtf_x", scvtf_x_##P }, { "ucvtf_w", ucvtf_w_##P }, { "ucvtf_x", ucvtf_x_##P }, \
    { "scvtf_x3", scvtf_x3_##P }, { "ucvtf_w32", ucvtf_w32_##P }, { "scvtf_x64", scvtf_x64_##P }

static const struct u1 un_d[] = { UNARY(d), { "frint32z", frint32z_d }, { "frint32x", frint32x_d }, { "frint64z", frint64z_d },
    { "frint64x", frint64x_d }, { "fcvt_sd", fcvt_sd }, { "fcvt_hd", fcvt_hd }, { "fjcvtzs", fjcvtzs_d }, { "fjcvtzs_z", fjcvtzs_flags } };
static const struct u1 un_s[] = { UNARY(s), { "frint32z", frint32z_s }, { "frint32x", frint32x_s }, { "frint64z", frint64z_s },
    { "frint64x", frint64x_s }, { "fcvt_ds", fcvt_ds }, { "fcvt_hs", fcvt_hs } };
static const struct u1 un_h[] = { UNARY(h), { "fcvt_dh", fcvt_dh }, { "fcvt_sh", fcvt_sh } };
static const struct b2 bin_d[] = { BINARY(d) };
static const struct b2 bin_s[] = { BINARY(s) };
static const struct b2 bin_h[] = { BINARY(h) };
static const struct t3 ter_d[] = { TERNARY(d) };
static const struct t3 ter_s[] = { TERNARY(s) };
static const struct t3 ter_h[] = { TERNARY(h) };
static const struct u1 fi_d[] = { FROMI(d) };
static const struct u1 fi_s[] = { FROMI(s) };
static const struct u1 fi_h[] = { FROMI(h) };

/* A short list for the ternary ops and the non-default FPCR modes. */
static const uint64_t dshort[] = { 0x8000000000000000, 0x3ff0000000000000, 0xbfb999999999999a, 0x7fefffffffffffff,
    0x000fffffffffffff, 0x7ff0000000000000, 0x7ff8000000000123, 0x7ff0000000000789, 0x3ca0000000000001 };
static const uint64_t sshort[] = { 0x80000000, 0x3f800000, 0xbdcccccd, 0x7f7fffff, 0x007fffff, 0x7f800000, 0x7fc00123,
    0x7f800789, 0x33800001 };
static const uint64_t hshort[] = { 0x8000, 0x3c00, 0xae66, 0x7bff, 0x03ff, 0x7c00, 0x7e12, 0x7c56, 0x1401 };

static void sweep(const char *mode, int full, int flush) {
    char tag[32];
    snprintf(tag, sizeof tag, "%s.d", mode);
    /* fjcvtzs_z (last) is left out under FZ: for a flushed denormal the ARM ARM clears Z, qemu 7.2 sets it. */
    run1(tag, un_d, NV(un_d) - (flush ? 1 : 0), full ? dvals : dshort, full ? NV(dvals) : NV(dshort));
    run2(tag, bin_d, NV(bin_d), full ? dvals : dshort, full ? NV(dvals) : NV(dshort));
    run3(tag, ter_d, NV(ter_d), dshort, NV(dshort));
    run1(tag, fi_d, NV(fi_d), ivals, NV(ivals));
    snprintf(tag, sizeof tag, "%s.s", mode);
    run1(tag, un_s, NV(un_s), full ? svals : sshort, full ? NV(svals) : NV(sshort));
    run2(tag, bin_s, NV(bin_s), full ? svals : sshort, full ? NV(svals) : NV(sshort));
    run3(tag, ter_s, NV(ter_s), sshort, NV(sshort));
    run1(tag, fi_s, NV(fi_s), ivals, NV(ivals));
    snprintf(tag, sizeof tag, "%s.h", mode);
    run1(tag, un_h, NV(un_h), full ? hvals : hshort, full ? NV(hvals) : NV(hshort));
    run2(tag, bin_h, NV(bin_h), full ? hvals : hshort, full ? NV(hvals) : NV(hshort));
    run3(tag, ter_h, NV(ter_h), hshort, NV(hshort));
    run1(tag, fi_h, NV(fi_h), ivals, NV(ivals));
}

/* Pseudo-random operands: mostly moderate exponents, some extreme, some with short mantissas
 * (so that exact results and cancellations occur). */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void) {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng ^ (rng >> 29);
}
static uint64_t rand_fp(int n) {
    int ebits = n == 64 ? 11 : n == 32 ? 8 : 5, fbits = n - 1 - ebits, bias = (1 << (ebits - 1)) - 1;
    uint64_t r = next(), sign = r >> 63, frac = next() & ((1ULL << fbits) - 1);
    int kind = (int)(r & 15), exp;
    if (kind < 10) exp = bias + (int)((r >> 8) % 41) - 20;
    else if (kind < 12) exp = (int)((r >> 8) % (uint64_t)((1 << ebits) - 1));
    else if (kind < 14) { exp = bias + (int)((r >> 8) % 9) - 4; frac &= ~((1ULL << (fbits - 3)) - 1); }
    else exp = (int)((r >> 8) % 3);
    return (sign << (n - 1)) | ((uint64_t)exp << fbits) | frac;
}
static void random_sweep(const char *mode, int n, const struct b2 *bin, size_t nbin, const struct t3 *ter, size_t nter,
                         const struct u1 *un, size_t nun) {
    char tag[32];
    snprintf(tag, sizeof tag, "%s.rand%d", mode, n);
    for (size_t o = 0; o < nbin; o++) {
        begin();
        for (int i = 0; i < 3000; i++) {
            uint64_t a = rand_fp(n), b = rand_fp(n);
            clear_fpsr();
            uint64_t r = bin[o].f(a, b);
            uint64_t fl = get_fpsr();
            char args[64];
            snprintf(args, sizeof args, "%llx %llx ", (unsigned long long)a, (unsigned long long)b);
            record(tag, bin[o].name, args, r, fl);
        }
        end(tag, bin[o].name);
    }
    for (size_t o = 0; o < nter; o++) {
        begin();
        for (int i = 0; i < 3000; i++) {
            uint64_t a = rand_fp(n), b = rand_fp(n), c = rand_fp(n);
            /* fmadd d, a, b, c computes c + a*b: an addend of -(a*b) leaves the product's rounding error. */
            if (i % 4 == 0) c = bin[8].f(a, b);
            clear_fpsr();
            uint64_t r = ter[o].f(a, b, c);
            uint64_t fl = get_fpsr();
            char args[80];
            snprintf(args, sizeof args, "%llx %llx %llx ", (unsigned long long)a, (unsigned long long)b, (unsigned long long)c);
            record(tag, ter[o].name, args, r, fl);
        }
        end(tag, ter[o].name);
    }
    for (size_t o = 0; o < nun; o++) {
        begin();
        for (int i = 0; i < 3000; i++) {
            uint64_t a = rand_fp(n);
            clear_fpsr();
            uint64_t r = un[o].f(a);
            uint64_t fl = get_fpsr();
            char args[64];
            snprintf(args, sizeof args, "%llx ", (unsigned long long)a);
            record(tag, un[o].name, args, r, fl);
        }
        end(tag, un[o].name);
    }
}
static void random_all(const char *mode) {
    random_sweep(mode, 64, bin_d, NV(bin_d), ter_d, NV(ter_d), un_d, 16);
    random_sweep(mode, 32, bin_s, NV(bin_s), ter_s, NV(ter_s), un_s, 16);
    random_sweep(mode, 16, bin_h, 9, ter_h, NV(ter_h), un_h, 4);
}

int main(int argc, char **argv) {
    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    set_fpcr(0);
    sweep("rn", 1, 0);
    set_fpcr(1u << 22);
    sweep("rp", 0, 0);
    set_fpcr(2u << 22);
    sweep("rm", 0, 0);
    set_fpcr(3u << 22);
    sweep("rz", 0, 0);
    set_fpcr(1u << 24);
    sweep("fz", 0, 1);
    set_fpcr(1u << 25);
    sweep("dn", 0, 0);
    set_fpcr((1u << 24) | (1u << 19) | (1u << 25));
    sweep("fzdn", 0, 1);
    set_fpcr(0);
    random_all("rn");
    set_fpcr(3u << 22);
    random_all("rz");
    set_fpcr(1u << 24);
    random_all("fz");
    set_fpcr(0);
    return 0;
}
