/* Sweeps special half-precision, BFloat16 and single values through the AdvSIMD FP16, FHM (FMLAL),
 * FRINT32/64 (vector) and BF16 instructions under several FPCR modes (rounding modes, FZ16, FZ, DN, AHP).
 * Per instruction and mode it prints a hash of all (result vector, FPSR) pairs; with -v every case.
 * It also prints the HWCAP bits and ID register fields that advertise these extensions.
 * Instructions are inline assembly so the compiler cannot fold or reorder them. */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

__asm__(".arch armv8.6-a+fp16+fp16fml+bf16");

static inline void set_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0" ::"r"(v)); }
static inline void clear_fpsr(void) { __asm__ volatile("msr fpsr, xzr"); }
static inline uint64_t get_fpsr(void) { uint64_t v; __asm__ volatile("mrs %0, fpsr" : "=r"(v)); return v; }

typedef uint16x8_t vec;
typedef void (*op_fn)(vec *d, vec n, vec m);

/* d is both an input (accumulator, or the half kept by the "2" narrowing forms) and the result. */
#define OP(name, text) \
    static void name(vec *d, vec n, vec m) { __asm__ volatile(text : "+w"(*d) : "w"(n), "x"(m)); }

/* FP16 three same */
OP(fadd_h, "fadd %0.8h, %1.8h, %2.8h")
OP(fsub_h, "fsub %0.8h, %1.8h, %2.8h")
OP(fmul_h, "fmul %0.8h, %1.8h, %2.8h")
OP(fdiv_h, "fdiv %0.4h, %1.4h, %2.4h")
OP(fmulx_h, "fmulx %0.8h, %1.8h, %2.8h")
OP(fmla_h, "fmla %0.8h, %1.8h, %2.8h")
OP(fmls_h, "fmls %0.4h, %1.4h, %2.4h")
OP(fmax_h, "fmax %0.8h, %1.8h, %2.8h")
OP(fmin_h, "fmin %0.8h, %1.8h, %2.8h")
OP(fmaxnm_h, "fmaxnm %0.8h, %1.8h, %2.8h")
OP(fminnm_h, "fminnm %0.8h, %1.8h, %2.8h")
OP(fabd_h, "fabd %0.8h, %1.8h, %2.8h")
OP(fcmeq_h, "fcmeq %0.8h, %1.8h, %2.8h")
OP(fcmge_h, "fcmge %0.8h, %1.8h, %2.8h")
OP(fcmgt_h, "fcmgt %0.8h, %1.8h, %2.8h")
OP(facge_h, "facge %0.8h, %1.8h, %2.8h")
OP(facgt_h, "facgt %0.8h, %1.8h, %2.8h")
OP(frecps_h, "frecps %0.8h, %1.8h, %2.8h")
OP(frsqrts_h, "frsqrts %0.8h, %1.8h, %2.8h")
OP(faddp_h, "faddp %0.8h, %1.8h, %2.8h")
OP(fmaxp_h, "fmaxp %0.8h, %1.8h, %2.8h")
OP(fminp_h, "fminp %0.4h, %1.4h, %2.4h")
OP(fmaxnmp_h, "fmaxnmp %0.8h, %1.8h, %2.8h")
OP(fminnmp_h, "fminnmp %0.8h, %1.8h, %2.8h")
/* FP16 two-register misc */
OP(frintn_h, "frintn %0.8h, %1.8h")
OP(frintm_h, "frintm %0.8h, %1.8h")
OP(frintp_h, "frintp %0.8h, %1.8h")
OP(frintz_h, "frintz %0.8h, %1.8h")
OP(frinta_h, "frinta %0.8h, %1.8h")
OP(frintx_h, "frintx %0.8h, %1.8h")
OP(frinti_h, "frinti %0.4h, %1.4h")
OP(fcvtns_h, "fcvtns %0.8h, %1.8h")
OP(fcvtms_h, "fcvtms %0.8h, %1.8h")
OP(fcvtas_h, "fcvtas %0.8h, %1.8h")
OP(fcvtps_h, "fcvtps %0.8h, %1.8h")
OP(fcvtzs_h, "fcvtzs %0.8h, %1.8h")
OP(fcvtnu_h, "fcvtnu %0.8h, %1.8h")
OP(fcvtmu_h, "fcvtmu %0.8h, %1.8h")
OP(fcvtau_h, "fcvtau %0.8h, %1.8h")
OP(fcvtpu_h, "fcvtpu %0.8h, %1.8h")
OP(fcvtzu_h, "fcvtzu %0.8h, %1.8h")
OP(scvtf_h, "scvtf %0.8h, %1.8h")
OP(ucvtf_h, "ucvtf %0.8h, %1.8h")
OP(fabs_h, "fabs %0.8h, %1.8h")
OP(fneg_h, "fneg %0.8h, %1.8h")
OP(fsqrt_h, "fsqrt %0.8h, %1.8h")
OP(frecpe_h, "frecpe %0.8h, %1.8h")
OP(frsqrte_h, "frsqrte %0.8h, %1.8h")
OP(fcmgt0_h, "fcmgt %0.8h, %1.8h, #0.0")
OP(fcmeq0_h, "fcmeq %0.8h, %1.8h, #0.0")
OP(fcmlt0_h, "fcmlt %0.8h, %1.8h, #0.0")
OP(fcmge0_h, "fcmge %0.8h, %1.8h, #0.0")
OP(fcmle0_h, "fcmle %0.4h, %1.4h, #0.0")
/* across lanes, scalar pairwise */
OP(fmaxv_h, "fmaxv %h0, %1.8h")
OP(fminv_h, "fminv %h0, %1.4h")
OP(fmaxnmv_h, "fmaxnmv %h0, %1.8h")
OP(fminnmv_h, "fminnmv %h0, %1.8h")
OP(faddp_s_h, "faddp %h0, %1.2h")
OP(fmaxnmp_s_h, "fmaxnmp %h0, %1.2h")
OP(fminp_s_h, "fminp %h0, %1.2h")
/* by element (vector and scalar) */
OP(fmla_e_h, "fmla %0.8h, %1.8h, %2.h[3]")
OP(fmls_e_h, "fmls %0.8h, %1.8h, %2.h[6]")
OP(fmul_e_h, "fmul %0.8h, %1.8h, %2.h[1]")
OP(fmulx_e_h, "fmulx %0.4h, %1.4h, %2.h[7]")
OP(fmla_es_h, "fmla %h0, %h1, %2.h[5]")
OP(fmulx_es_h, "fmulx %h0, %h1, %2.h[2]")
/* scalar three same and two-register misc */
OP(fabd_s_h, "fabd %h0, %h1, %h2")
OP(fmulx_s_h, "fmulx %h0, %h1, %h2")
OP(facgt_s_h, "facgt %h0, %h1, %h2")
OP(fcmge_s_h, "fcmge %h0, %h1, %h2")
OP(frecps_s_h, "frecps %h0, %h1, %h2")
OP(fcvtzs_s_h, "fcvtzs %h0, %h1")
OP(fcvtau_s_h, "fcvtau %h0, %h1")
OP(ucvtf_s_h, "ucvtf %h0, %h1")
OP(fcmlt0_s_h, "fcmlt %h0, %h1, #0.0")
OP(frecpx_s_h, "frecpx %h0, %h1")
/* fixed point (the signed scalar FCVTZS form is left out: qemu 7.2 writes it 32 bits wide) */
OP(scvtf_x_h, "scvtf %0.8h, %1.8h, #3")
OP(ucvtf_x_h, "ucvtf %0.8h, %1.8h, #16")
OP(fcvtzs_x_h, "fcvtzs %0.8h, %1.8h, #5")
OP(fcvtzu_x_h, "fcvtzu %0.4h, %1.4h, #1")
OP(scvtf_xs_h, "scvtf %h0, %h1, #7")
OP(fcvtzu_xs_h, "fcvtzu %h0, %h1, #2")
/* FHM */
OP(fmlal_v, "fmlal %0.4s, %1.4h, %2.4h")
OP(fmlsl_v, "fmlsl %0.2s, %1.2h, %2.2h")
OP(fmlal2_v, "fmlal2 %0.4s, %1.4h, %2.4h")
OP(fmlsl2_v, "fmlsl2 %0.2s, %1.2h, %2.2h")
OP(fmlal_e, "fmlal %0.4s, %1.4h, %2.h[5]")
OP(fmlsl2_e, "fmlsl2 %0.4s, %1.4h, %2.h[2]")
/* BF16 */
OP(bfdot_v, "bfdot %0.4s, %1.8h, %2.8h")
OP(bfdot_e, "bfdot %0.2s, %1.4h, %2.2h[3]")
OP(bfmmla_v, "bfmmla %0.4s, %1.8h, %2.8h")
OP(bfmlalb_v, "bfmlalb %0.4s, %1.8h, %2.8h")
OP(bfmlalt_v, "bfmlalt %0.4s, %1.8h, %2.8h")
OP(bfmlalt_e, "bfmlalt %0.4s, %1.8h, %2.h[6]")
/* single-precision inputs */
OP(bfcvt_s, "bfcvt %h0, %s1")
OP(bfcvtn_v, "bfcvtn %0.4h, %1.4s")
OP(bfcvtn2_v, "bfcvtn2 %0.8h, %1.4s")
OP(frint32z_s, "frint32z %0.4s, %1.4s")
OP(frint32x_s, "frint32x %0.4s, %1.4s")
OP(frint64z_s, "frint64z %0.2s, %1.2s")
OP(frint64x_s, "frint64x %0.4s, %1.4s")
OP(frint32x_d, "frint32x %0.2d, %1.2d")
OP(frint64z_d, "frint64z %0.2d, %1.2d")

static const uint16_t hvals[] = {
    0x0000, 0x8000, 0x3c00, 0xbc00, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe55, 0x0001, 0x83ff, 0x0400,
    0x7bff, 0x3555, 0xd640, 0x3800, 0x3e00, 0x4100, 0x5bff, 0x7800, 0x0200, 0x1000, 0x3c01, 0xc4b0,
    0x7a00, 0xf3ff, 0x2e66, 0x6400,
};
static const uint16_t bvals[] = {
    0x0000, 0x8000, 0x3f80, 0xbf80, 0x7f80, 0xff80, 0x7fc0, 0x7f81, 0xffc5, 0x0001, 0x807f, 0x0080,
    0x7f7f, 0x3eab, 0xc2c8, 0x3f00, 0x3fc0, 0x4020, 0x5f80, 0x7f00, 0x0100, 0x3f81, 0x00ff, 0xc0a1,
};
/* singles and doubles, as pairs of 16-bit lanes */
static const uint32_t svals[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001,
    0xffc12345, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x3f7f8000, 0x3f808000, 0x3f818000,
    0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x5effffff, 0x5f000000, 0xdf000000, 0x3fc00000,
    0x40200000, 0xc0600000, 0x7f7f8000, 0x007f8000, 0x00008000, 0x4b7fffff,
};
static const uint64_t dvals[] = {
    0x0000000000000000, 0x8000000000000000, 0x7ff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001,
    0x0000000000000001, 0x41dfffffffc00000, 0x41e0000000000000, 0xc1e0000000000000, 0xc1e0000000200000,
    0x43dfffffffffffff, 0x43e0000000000000, 0xc3e0000000000000, 0x3ff8000000000000, 0xc004000000000000,
    0x41dfffffffe00000,
};
#define NH (sizeof hvals / sizeof hvals[0])
#define NB (sizeof bvals / sizeof bvals[0])
#define NS (sizeof svals / sizeof svals[0])
#define ND (sizeof dvals / sizeof dvals[0])

enum kind { HALF, BF16, SINGLE, DOUBLE };

/* Lane k (16 bits) of operand number sel for case (i, j): all pairs of values meet across lanes and cases. */
static uint16_t lane(enum kind kind, int sel, int i, int j, int k)
{
    int idx;
    switch (kind) {
    case HALF:
    case BF16: {
        int n = kind == HALF ? (int)NH : (int)NB;
        idx = sel == 0 ? (i + 3 * j + 5 * k) % n : sel == 1 ? i % n : (j * 8 + k) % n;
        return kind == HALF ? hvals[idx] : bvals[idx];
    }
    case SINGLE:
        idx = sel == 0 ? (i + 3 * j + 5 * (k / 2)) % (int)NS : sel == 1 ? (i + j * (k / 2)) % (int)NS : (j * 4 + k / 2) % (int)NS;
        return (uint16_t)(svals[idx] >> (16 * (k & 1)));
    default:
        idx = sel == 0 ? (i + 3 * j + (k / 4)) % (int)ND : sel == 1 ? (i + j * (k / 4)) % (int)ND : (j * 2 + k / 4) % (int)ND;
        return (uint16_t)(dvals[idx] >> (16 * (k & 3)));
    }
}

static int verbose;

static void run(const char *name, op_fn fn, enum kind kind)
{
    static const uint64_t modes[] = {
        0, 1u << 22, 2u << 22, 3u << 22, 1u << 19, 1u << 25, 1u << 24, 1u << 26, (1u << 19) | (1u << 24) | (3u << 22),
    };
    int count = kind == HALF ? (int)NH : kind == BF16 ? (int)NB : kind == SINGLE ? (int)NS : (int)ND;
    int groups = kind == DOUBLE ? (count + 1) / 2 : kind == SINGLE ? (count + 3) / 4 : (count + 7) / 8;
    for (unsigned mi = 0; mi < sizeof modes / sizeof modes[0]; mi++) {
        uint64_t hash = 0xcbf29ce484222325ull;
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < groups; j++) {
                uint16_t dl[8], nl[8], ml[8], rl[8];
                for (int k = 0; k < 8; k++) {
                    dl[k] = lane(kind, 0, i, j, k);
                    nl[k] = lane(kind, 1, i, j, k);
                    ml[k] = lane(kind, 2, i, j, k);
                }
                vec d = vld1q_u16(dl), n = vld1q_u16(nl), m = vld1q_u16(ml);
                set_fpcr(modes[mi]);
                clear_fpsr();
                fn(&d, n, m);
                uint64_t fpsr = get_fpsr();
                set_fpcr(0);
                vst1q_u16(rl, d);
                for (int k = 0; k < 8; k++) hash = (hash ^ rl[k]) * 0x100000001b3ull;
                hash = (hash ^ fpsr) * 0x100000001b3ull;
                if (verbose) {
                    printf("  %s fpcr=%08llx i=%d j=%d ->", name, (unsigned long long)modes[mi], i, j);
                    for (int k = 7; k >= 0; k--) printf(" %04x", rl[k]);
                    printf(" fpsr=%02llx\n", (unsigned long long)fpsr);
                }
            }
        }
        printf("%-12s fpcr=%08llx %016llx\n", name, (unsigned long long)modes[mi], (unsigned long long)hash);
    }
}

#define RUN(fn, kind) run(#fn, fn, kind)

static void fmov_imm(void)
{
    vec a, b, c, d;
    __asm__ volatile("fmov %0.8h, #1.0\n\tfmov %1.4h, #-0.125\n\tfmov %2.8h, #31.0\n\tfmov %3.8h, #-1.9375"
                     : "=w"(a), "=w"(b), "=w"(c), "=w"(d));
    printf("fmov.h %04x %04x %04x %04x %04x %04x\n", vgetq_lane_u16(a, 0), vgetq_lane_u16(a, 7), vgetq_lane_u16(b, 3),
           vgetq_lane_u16(b, 4), vgetq_lane_u16(c, 5), vgetq_lane_u16(d, 2));
}

static void features(void)
{
    unsigned long hwcap = getauxval(AT_HWCAP), hwcap2 = getauxval(AT_HWCAP2);
    printf("hwcap fphp=%lu asimdhp=%lu asimdfhm=%lu frint=%lu bf16=%lu\n", (hwcap >> 9) & 1, (hwcap >> 10) & 1,
           (hwcap >> 23) & 1, (hwcap2 >> 8) & 1, (hwcap2 >> 14) & 1);
    uint64_t pfr0, isar0, isar1;
    __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
    __asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
    __asm__ volatile("mrs %0, id_aa64isar1_el1" : "=r"(isar1));
    printf("id pfr0.fp=%llu pfr0.advsimd=%llu isar0.fhm=%llu isar1.frintts=%llu isar1.bf16=%llu\n",
           (unsigned long long)(pfr0 >> 16) & 15, (unsigned long long)(pfr0 >> 20) & 15, (unsigned long long)(isar0 >> 48) & 15,
           (unsigned long long)(isar1 >> 32) & 15, (unsigned long long)(isar1 >> 44) & 15);
}

int main(int argc, char **argv)
{
    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    features();
    fmov_imm();
    RUN(fadd_h, HALF); RUN(fsub_h, HALF); RUN(fmul_h, HALF); RUN(fdiv_h, HALF); RUN(fmulx_h, HALF);
    RUN(fmla_h, HALF); RUN(fmls_h, HALF); RUN(fmax_h, HALF); RUN(fmin_h, HALF); RUN(fmaxnm_h, HALF);
    RUN(fminnm_h, HALF); RUN(fabd_h, HALF); RUN(fcmeq_h, HALF); RUN(fcmge_h, HALF); RUN(fcmgt_h, HALF);
    RUN(facge_h, HALF); RUN(facgt_h, HALF); RUN(frecps_h, HALF); RUN(frsqrts_h, HALF); RUN(faddp_h, HALF);
    RUN(fmaxp_h, HALF); RUN(fminp_h, HALF); RUN(fmaxnmp_h, HALF); RUN(fminnmp_h, HALF);
    RUN(frintn_h, HALF); RUN(frintm_h, HALF); RUN(frintp_h, HALF); RUN(frintz_h, HALF); RUN(frinta_h, HALF);
    RUN(frintx_h, HALF); RUN(frinti_h, HALF); RUN(fcvtns_h, HALF); RUN(fcvtms_h, HALF); RUN(fcvtas_h, HALF);
    RUN(fcvtps_h, HALF); RUN(fcvtzs_h, HALF); RUN(fcvtnu_h, HALF); RUN(fcvtmu_h, HALF); RUN(fcvtau_h, HALF);
    RUN(fcvtpu_h, HALF); RUN(fcvtzu_h, HALF); RUN(scvtf_h, HALF); RUN(ucvtf_h, HALF); RUN(fabs_h, HALF);
    RUN(fneg_h, HALF); RUN(fsqrt_h, HALF); RUN(frecpe_h, HALF); RUN(frsqrte_h, HALF); RUN(fcmgt0_h, HALF);
    RUN(fcmeq0_h, HALF); RUN(fcmlt0_h, HALF); RUN(fcmge0_h, HALF); RUN(fcmle0_h, HALF);
    RUN(fmaxv_h, HALF); RUN(fminv_h, HALF); RUN(fmaxnmv_h, HALF); RUN(fminnmv_h, HALF); RUN(faddp_s_h, HALF);
    RUN(fmaxnmp_s_h, HALF); RUN(fminp_s_h, HALF);
    RUN(fmla_e_h, HALF); RUN(fmls_e_h, HALF); RUN(fmul_e_h, HALF); RUN(fmulx_e_h, HALF); RUN(fmla_es_h, HALF);
    RUN(fmulx_es_h, HALF);
    RUN(fabd_s_h, HALF); RUN(fmulx_s_h, HALF); RUN(facgt_s_h, HALF); RUN(fcmge_s_h, HALF); RUN(frecps_s_h, HALF);
    RUN(fcvtzs_s_h, HALF); RUN(fcvtau_s_h, HALF); RUN(ucvtf_s_h, HALF); RUN(fcmlt0_s_h, HALF); RUN(frecpx_s_h, HALF);
    RUN(scvtf_x_h, HALF); RUN(ucvtf_x_h, HALF); RUN(fcvtzs_x_h, HALF); RUN(fcvtzu_x_h, HALF); RUN(scvtf_xs_h, HALF);
    RUN(fcvtzu_xs_h, HALF);
    RUN(fmlal_v, HALF); RUN(fmlsl_v, HALF); RUN(fmlal2_v, HALF); RUN(fmlsl2_v, HALF); RUN(fmlal_e, HALF);
    RUN(fmlsl2_e, HALF);
    RUN(bfdot_v, BF16); RUN(bfdot_e, BF16); RUN(bfmmla_v, BF16); RUN(bfmlalb_v, BF16); RUN(bfmlalt_v, BF16);
    RUN(bfmlalt_e, BF16);
    RUN(bfcvt_s, SINGLE); RUN(bfcvtn_v, SINGLE); RUN(bfcvtn2_v, SINGLE); RUN(frint32z_s, SINGLE);
    RUN(frint32x_s, SINGLE); RUN(frint64z_s, SINGLE); RUN(frint64x_s, SINGLE); RUN(frint32x_d, DOUBLE);
    RUN(frint64z_d, DOUBLE);
    return 0;
}
