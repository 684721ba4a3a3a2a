/* AdvSIMD integer instructions through ACLE intrinsics: each operation runs on
   random and edge-case inputs; prints a hash of the results and how many runs
   set FPSR.QC. The expected output comes from qemu-aarch64. */
#pragma GCC target("arch=armv8.2-a+dotprod+rdma")
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ITER 96

static uint8_t pool[4][ITER * 16 + 64];

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void init(void)
{
    static const uint8_t edge[] = {0x00, 0xff, 0x80, 0x7f, 0x01, 0xfe};
    for (int s = 0; s < 3; s++)
        for (size_t i = 0; i < sizeof pool[s]; i++) {
            uint64_t r = next();
            pool[s][i] = (r & 3) == 0 ? edge[(r >> 8) % 6] : (uint8_t)(r >> 16);
        }
    /* Whole-vector edge patterns in the first iterations. */
    for (int s = 0; s < 3; s++) {
        memset(pool[s] + 0, 0x80, 16);
        memset(pool[s] + 16, 0x7f, 16);
        memset(pool[s] + 32, 0xff, 16);
        memset(pool[s] + 48, s == 1 ? 0x80 : 0x7f, 16);
    }
    /* Shift amounts: small signed counts around the element sizes. */
    for (size_t i = 0; i < sizeof pool[3]; i++) {
        uint64_t r = next();
        pool[3][i] = (r & 1) ? (uint8_t)((int)(r >> 8) % 21 - 10) : (uint8_t)((int)(r >> 8) % 141 - 70);
    }
}

static void fill(void *p, size_t n, int i, int slot) { memcpy(p, pool[slot] + i * 16, n); }

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

static inline void clrqc(void) { __asm__ volatile("msr fpsr, xzr"); }
static inline int getqc(void)
{
    uint64_t x;
    __asm__ volatile("mrs %0, fpsr" : "=r"(x));
    return (int)(x >> 27) & 1;
}

/* NAME, result type, operand types, expression over a, b, c; SB selects the pool of b (3 = shift counts). */
#define T(NAME, RT, AT, BT, CT, SB, EXPR)                                          \
    do {                                                                         \
        uint64_t h = 1469598103934665603ull;                                     \
        int qc = 0;                                                              \
        for (int i = 0; i < ITER; i++) {                                         \
            AT a;                                                                \
            BT b;                                                                \
            CT c;                                                                \
            fill(&a, sizeof a, i, 0);                                            \
            fill(&b, sizeof b, i, SB);                                           \
            fill(&c, sizeof c, i, 2);                                            \
            clrqc();                                                             \
            __asm__ volatile("" : "+m"(a), "+m"(b), "+m"(c));                    \
            RT r = (EXPR);                                                       \
            __asm__ volatile("" : "+m"(r));                                      \
            qc += getqc();                                                       \
            h = mix(h, &r, sizeof r);                                            \
        }                                                                        \
        printf("%-26s %016llx %d\n", NAME, (unsigned long long)h, qc);           \
    } while (0)

#define BIN(NAME, VT) T(#NAME, VT, VT, VT, VT, 1, NAME(a, b))
#define SHF(NAME, VT, ST) T(#NAME, VT, VT, ST, VT, 3, NAME(a, b))
#define ACC(NAME, VT) T(#NAME, VT, VT, VT, VT, 1, NAME(a, b, c))
#define UN(NAME, RT, AT) T(#NAME, RT, AT, AT, AT, 1, NAME(a))

int main(void)
{
    init();
    /* three same */
    BIN(vhadd_s8, int8x8_t); BIN(vhaddq_u8, uint8x16_t); BIN(vhaddq_s16, int16x8_t); BIN(vhaddq_u32, uint32x4_t);
    BIN(vrhaddq_s8, int8x16_t); BIN(vrhadd_u16, uint16x4_t); BIN(vrhaddq_s32, int32x4_t); BIN(vrhaddq_u32, uint32x4_t);
    BIN(vhsubq_s8, int8x16_t); BIN(vhsubq_u16, uint16x8_t); BIN(vhsub_s32, int32x2_t); BIN(vhsubq_u32, uint32x4_t);
    BIN(vqaddq_s8, int8x16_t); BIN(vqadd_u8, uint8x8_t); BIN(vqaddq_s16, int16x8_t); BIN(vqaddq_u16, uint16x8_t);
    BIN(vqaddq_s32, int32x4_t); BIN(vqadd_u32, uint32x2_t); BIN(vqaddq_s64, int64x2_t); BIN(vqaddq_u64, uint64x2_t);
    BIN(vqsubq_s8, int8x16_t); BIN(vqsubq_u8, uint8x16_t); BIN(vqsub_s16, int16x4_t); BIN(vqsubq_u16, uint16x8_t);
    BIN(vqsubq_s32, int32x4_t); BIN(vqsubq_u32, uint32x4_t); BIN(vqsubq_s64, int64x2_t); BIN(vqsubq_u64, uint64x2_t);
    SHF(vshlq_s8, int8x16_t, int8x16_t); SHF(vshlq_u16, uint16x8_t, int16x8_t); SHF(vshl_s32, int32x2_t, int32x2_t); SHF(vshlq_u64, uint64x2_t, int64x2_t);
    SHF(vrshlq_s8, int8x16_t, int8x16_t); SHF(vrshlq_u8, uint8x16_t, int8x16_t); SHF(vrshlq_s16, int16x8_t, int16x8_t); SHF(vrshlq_u32, uint32x4_t, int32x4_t);
    SHF(vrshlq_s64, int64x2_t, int64x2_t); SHF(vrshlq_u64, uint64x2_t, int64x2_t);
    SHF(vqshlq_s8, int8x16_t, int8x16_t); SHF(vqshlq_u8, uint8x16_t, int8x16_t); SHF(vqshl_s16, int16x4_t, int16x4_t); SHF(vqshlq_u32, uint32x4_t, int32x4_t);
    SHF(vqshlq_s64, int64x2_t, int64x2_t); SHF(vqshlq_u64, uint64x2_t, int64x2_t);
    SHF(vqrshlq_s8, int8x16_t, int8x16_t); SHF(vqrshlq_u16, uint16x8_t, int16x8_t); SHF(vqrshlq_s32, int32x4_t, int32x4_t); SHF(vqrshlq_u64, uint64x2_t, int64x2_t);
    SHF(vqrshlq_s64, int64x2_t, int64x2_t);
    BIN(vabdq_s8, int8x16_t); BIN(vabdq_u8, uint8x16_t); BIN(vabd_s16, int16x4_t); BIN(vabdq_u16, uint16x8_t); BIN(vabdq_s32, int32x4_t); BIN(vabdq_u32, uint32x4_t);
    ACC(vabaq_s8, int8x16_t); ACC(vabaq_u16, uint16x8_t); ACC(vaba_u32, uint32x2_t); ACC(vabaq_s32, int32x4_t);
    BIN(vmulq_s8, int8x16_t); BIN(vmul_u8, uint8x8_t); BIN(vmulq_s16, int16x8_t); BIN(vmulq_u32, uint32x4_t); BIN(vmul_s32, int32x2_t);
    ACC(vmlaq_s8, int8x16_t); ACC(vmlaq_u16, uint16x8_t); ACC(vmla_s32, int32x2_t); ACC(vmlsq_u8, uint8x16_t); ACC(vmlsq_s16, int16x8_t); ACC(vmlsq_u32, uint32x4_t);
    BIN(vmulq_p8, poly8x16_t); BIN(vmul_p8, poly8x8_t);
    BIN(vqdmulhq_s16, int16x8_t); BIN(vqdmulh_s32, int32x2_t); BIN(vqdmulhq_s32, int32x4_t);
    BIN(vqrdmulhq_s16, int16x8_t); BIN(vqrdmulhq_s32, int32x4_t); BIN(vqrdmulh_s16, int16x4_t);
    ACC(vqrdmlahq_s16, int16x8_t); ACC(vqrdmlah_s32, int32x2_t); ACC(vqrdmlshq_s16, int16x8_t); ACC(vqrdmlshq_s32, int32x4_t);
    T("vdotq_s32", int32x4_t, int32x4_t, int8x16_t, int8x16_t, 1, vdotq_s32(a, b, c));
    T("vdot_u32", uint32x2_t, uint32x2_t, uint8x8_t, uint8x8_t, 1, vdot_u32(a, b, c));
    T("vdotq_laneq_s32", int32x4_t, int32x4_t, int8x16_t, int8x16_t, 1, vdotq_laneq_s32(a, b, c, 3));
    T("vdot_lane_u32", uint32x2_t, uint32x2_t, uint8x8_t, uint8x8_t, 1, vdot_lane_u32(a, b, c, 1));
    /* scalar three same */
    BIN(vqaddb_s8, int8_t); BIN(vqaddh_u16, uint16_t); BIN(vqadds_s32, int32_t); BIN(vqaddd_u64, uint64_t); BIN(vqaddd_s64, int64_t);
    BIN(vqsubb_u8, uint8_t); BIN(vqsubh_s16, int16_t); BIN(vqsubs_u32, uint32_t); BIN(vqsubd_s64, int64_t);
    SHF(vshld_s64, int64_t, int64_t); SHF(vshld_u64, uint64_t, int64_t); SHF(vrshld_s64, int64_t, int64_t); SHF(vrshld_u64, uint64_t, int64_t);
    SHF(vqshlb_s8, int8_t, int8_t); SHF(vqshlh_u16, uint16_t, int16_t); SHF(vqshls_s32, int32_t, int32_t); SHF(vqshld_u64, uint64_t, int64_t);
    SHF(vqrshlb_u8, uint8_t, int8_t); SHF(vqrshlh_s16, int16_t, int16_t); SHF(vqrshls_u32, uint32_t, int32_t); SHF(vqrshld_s64, int64_t, int64_t);
    BIN(vqdmulhh_s16, int16_t); BIN(vqdmulhs_s32, int32_t); BIN(vqrdmulhh_s16, int16_t); BIN(vqrdmulhs_s32, int32_t);
    ACC(vqrdmlahh_s16, int16_t); ACC(vqrdmlshs_s32, int32_t);
    /* three different */
    T("vaddhn_s16", int8x8_t, int16x8_t, int16x8_t, int16x8_t, 1, vaddhn_s16(a, b));
    T("vraddhn_u32", uint16x4_t, uint32x4_t, uint32x4_t, uint32x4_t, 1, vraddhn_u32(a, b));
    T("vsubhn_s64", int32x2_t, int64x2_t, int64x2_t, int64x2_t, 1, vsubhn_s64(a, b));
    T("vrsubhn_u16", uint8x8_t, uint16x8_t, uint16x8_t, uint16x8_t, 1, vrsubhn_u16(a, b));
    T("vaddhn_high_s32", int16x8_t, int32x4_t, int32x4_t, int16x4_t, 1, vaddhn_high_s32(c, a, b));
    T("vrsubhn_high_u64", uint32x4_t, uint64x2_t, uint64x2_t, uint32x2_t, 1, vrsubhn_high_u64(c, a, b));
    T("vabal_s8", int16x8_t, int16x8_t, int8x8_t, int8x8_t, 1, vabal_s8(a, b, c));
    T("vabal_high_u16", uint32x4_t, uint32x4_t, uint16x8_t, uint16x8_t, 1, vabal_high_u16(a, b, c));
    T("vabdl_u8", uint16x8_t, uint8x8_t, uint8x8_t, uint8x8_t, 1, vabdl_u8(a, b));
    T("vabdl_high_s32", int64x2_t, int32x4_t, int32x4_t, int32x4_t, 1, vabdl_high_s32(a, b));
    T("vmlal_s8", int16x8_t, int16x8_t, int8x8_t, int8x8_t, 1, vmlal_s8(a, b, c));
    T("vmlal_high_u16", uint32x4_t, uint32x4_t, uint16x8_t, uint16x8_t, 1, vmlal_high_u16(a, b, c));
    T("vmlal_u32", uint64x2_t, uint64x2_t, uint32x2_t, uint32x2_t, 1, vmlal_u32(a, b, c));
    T("vmlal_high_s32", int64x2_t, int64x2_t, int32x4_t, int32x4_t, 1, vmlal_high_s32(a, b, c));
    T("vmlsl_u8", uint16x8_t, uint16x8_t, uint8x8_t, uint8x8_t, 1, vmlsl_u8(a, b, c));
    T("vmlsl_high_s32", int64x2_t, int64x2_t, int32x4_t, int32x4_t, 1, vmlsl_high_s32(a, b, c));
    T("vmull_s8", int16x8_t, int8x8_t, int8x8_t, int8x8_t, 1, vmull_s8(a, b));
    T("vmull_high_u8", uint16x8_t, uint8x16_t, uint8x16_t, uint8x16_t, 1, vmull_high_u8(a, b));
    T("vmull_s16", int32x4_t, int16x4_t, int16x4_t, int16x4_t, 1, vmull_s16(a, b));
    T("vmull_u32", uint64x2_t, uint32x2_t, uint32x2_t, uint32x2_t, 1, vmull_u32(a, b));
    T("vmull_high_s32", int64x2_t, int32x4_t, int32x4_t, int32x4_t, 1, vmull_high_s32(a, b));
    T("vmull_p8", poly16x8_t, poly8x8_t, poly8x8_t, poly8x8_t, 1, vmull_p8(a, b));
    T("vmull_high_p8", poly16x8_t, poly8x16_t, poly8x16_t, poly8x16_t, 1, vmull_high_p8(a, b));
    T("vqdmull_s16", int32x4_t, int16x4_t, int16x4_t, int16x4_t, 1, vqdmull_s16(a, b));
    T("vqdmull_high_s32", int64x2_t, int32x4_t, int32x4_t, int32x4_t, 1, vqdmull_high_s32(a, b));
    T("vqdmlal_s16", int32x4_t, int32x4_t, int16x4_t, int16x4_t, 1, vqdmlal_s16(a, b, c));
    T("vqdmlal_high_s32", int64x2_t, int64x2_t, int32x4_t, int32x4_t, 1, vqdmlal_high_s32(a, b, c));
    T("vqdmlsl_s32", int64x2_t, int64x2_t, int32x2_t, int32x2_t, 1, vqdmlsl_s32(a, b, c));
    T("vqdmullh_s16", int32_t, int16_t, int16_t, int16_t, 1, vqdmullh_s16(a, b));
    T("vqdmulls_s32", int64_t, int32_t, int32_t, int32_t, 1, vqdmulls_s32(a, b));
    T("vqdmlalh_s16", int32_t, int32_t, int16_t, int16_t, 1, vqdmlalh_s16(a, b, c));
    T("vqdmlsls_s32", int64_t, int64_t, int32_t, int32_t, 1, vqdmlsls_s32(a, b, c));
    /* two-register misc */
    UN(vpaddlq_s8, int16x8_t, int8x16_t); UN(vpaddlq_u8, uint16x8_t, uint8x16_t); UN(vpaddl_s16, int32x2_t, int16x4_t); UN(vpaddlq_u32, uint64x2_t, uint32x4_t);
    T("vpadalq_s8", int16x8_t, int16x8_t, int8x16_t, int8x16_t, 1, vpadalq_s8(a, b));
    T("vpadalq_u8", uint16x8_t, uint16x8_t, uint8x16_t, uint8x16_t, 1, vpadalq_u8(a, b));
    T("vpadal_u16", uint32x2_t, uint32x2_t, uint16x4_t, uint16x4_t, 1, vpadal_u16(a, b));
    T("vpadalq_s32", int64x2_t, int64x2_t, int32x4_t, int32x4_t, 1, vpadalq_s32(a, b));
    T("vuqaddq_s8", int8x16_t, int8x16_t, uint8x16_t, uint8x16_t, 1, vuqaddq_s8(a, b));
    T("vuqaddq_s64", int64x2_t, int64x2_t, uint64x2_t, uint64x2_t, 1, vuqaddq_s64(a, b));
    T("vsqaddq_u16", uint16x8_t, uint16x8_t, int16x8_t, int16x8_t, 1, vsqaddq_u16(a, b));
    T("vsqadd_u32", uint32x2_t, uint32x2_t, int32x2_t, int32x2_t, 1, vsqadd_u32(a, b));
    T("vuqadds_s32", int32_t, int32_t, uint32_t, uint32_t, 1, vuqadds_s32(a, b));
    T("vsqaddb_u8", uint8_t, uint8_t, int8_t, int8_t, 1, vsqaddb_u8(a, b));
    UN(vclsq_s8, int8x16_t, int8x16_t); UN(vclsq_s16, int16x8_t, int16x8_t); UN(vcls_s32, int32x2_t, int32x2_t);
    UN(vclzq_u8, uint8x16_t, uint8x16_t); UN(vclzq_s16, int16x8_t, int16x8_t); UN(vclzq_u32, uint32x4_t, uint32x4_t);
    UN(vrbitq_u8, uint8x16_t, uint8x16_t); UN(vrbit_u8, uint8x8_t, uint8x8_t);
    UN(vqabsq_s8, int8x16_t, int8x16_t); UN(vqabsq_s16, int16x8_t, int16x8_t); UN(vqabs_s32, int32x2_t, int32x2_t); UN(vqabsq_s64, int64x2_t, int64x2_t);
    UN(vqnegq_s8, int8x16_t, int8x16_t); UN(vqneg_s16, int16x4_t, int16x4_t); UN(vqnegq_s32, int32x4_t, int32x4_t); UN(vqnegq_s64, int64x2_t, int64x2_t);
    UN(vqabsb_s8, int8_t, int8_t); UN(vqabsd_s64, int64_t, int64_t); UN(vqnegh_s16, int16_t, int16_t); UN(vqnegs_s32, int32_t, int32_t);
    UN(vqmovn_s16, int8x8_t, int16x8_t); UN(vqmovn_u32, uint16x4_t, uint32x4_t); UN(vqmovn_s64, int32x2_t, int64x2_t);
    UN(vqmovun_s16, uint8x8_t, int16x8_t); UN(vqmovun_s32, uint16x4_t, int32x4_t); UN(vqmovun_s64, uint32x2_t, int64x2_t);
    T("vqmovn_high_u16", uint8x16_t, uint16x8_t, uint8x8_t, uint8x8_t, 1, vqmovn_high_u16(b, a));
    T("vqmovun_high_s32", uint16x8_t, int32x4_t, uint16x4_t, uint16x4_t, 1, vqmovun_high_s32(b, a));
    T("vqmovn_high_s64", int32x4_t, int64x2_t, int32x2_t, int32x2_t, 1, vqmovn_high_s64(b, a));
    UN(vqmovnh_s16, int8_t, int16_t); UN(vqmovns_u32, uint16_t, uint32_t); UN(vqmovnd_s64, int32_t, int64_t); UN(vqmovund_s64, uint32_t, int64_t);
    UN(vqmovunh_s16, uint8_t, int16_t);
    T("vshll_n_s8", int16x8_t, int8x8_t, int8x8_t, int8x8_t, 1, vshll_n_s8(a, 8));
    T("vshll_high_n_u16", uint32x4_t, uint16x8_t, uint16x8_t, uint16x8_t, 1, vshll_high_n_u16(a, 16));
    T("vshll_n_u32", uint64x2_t, uint32x2_t, uint32x2_t, uint32x2_t, 1, vshll_n_u32(a, 32));
    UN(vrecpeq_u32, uint32x4_t, uint32x4_t); UN(vrsqrteq_u32, uint32x4_t, uint32x4_t); UN(vrecpe_u32, uint32x2_t, uint32x2_t);
    /* shift by immediate */
    T("vrshrq_n_s8", int8x16_t, int8x16_t, int8x16_t, int8x16_t, 1, vrshrq_n_s8(a, 3));
    T("vrshrq_n_u16", uint16x8_t, uint16x8_t, uint16x8_t, uint16x8_t, 1, vrshrq_n_u16(a, 16));
    T("vrshr_n_s32", int32x2_t, int32x2_t, int32x2_t, int32x2_t, 1, vrshr_n_s32(a, 1));
    T("vrshrq_n_u64", uint64x2_t, uint64x2_t, uint64x2_t, uint64x2_t, 1, vrshrq_n_u64(a, 64));
    T("vrshrq_n_s64", int64x2_t, int64x2_t, int64x2_t, int64x2_t, 1, vrshrq_n_s64(a, 17));
    T("vrsraq_n_u8", uint8x16_t, uint8x16_t, uint8x16_t, uint8x16_t, 1, vrsraq_n_u8(a, b, 8));
    T("vrsraq_n_s16", int16x8_t, int16x8_t, int16x8_t, int16x8_t, 1, vrsraq_n_s16(a, b, 5));
    T("vrsra_n_s64", int64x1_t, int64x1_t, int64x1_t, int64x1_t, 1, vrsra_n_s64(a, b, 33));
    T("vsriq_n_u8", uint8x16_t, uint8x16_t, uint8x16_t, uint8x16_t, 1, vsriq_n_u8(a, b, 3));
    T("vsriq_n_u16", uint16x8_t, uint16x8_t, uint16x8_t, uint16x8_t, 1, vsriq_n_u16(a, b, 16));
    T("vsri_n_u32", uint32x2_t, uint32x2_t, uint32x2_t, uint32x2_t, 1, vsri_n_u32(a, b, 7));
    T("vsriq_n_u64", uint64x2_t, uint64x2_t, uint64x2_t, uint64x2_t, 1, vsriq_n_u64(a, b, 64));
    T("vsliq_n_u8", uint8x16_t, uint8x16_t, uint8x16_t, uint8x16_t, 1, vsliq_n_u8(a, b, 0));
    T("vsliq_n_u16", uint16x8_t, uint16x8_t, uint16x8_t, uint16x8_t, 1, vsliq_n_u16(a, b, 9));
    T("vsli_n_u32", uint32x2_t, uint32x2_t, uint32x2_t, uint32x2_t, 1, vsli_n_u32(a, b, 31));
    T("vsliq_n_u64", uint64x2_t, uint64x2_t, uint64x2_t, uint64x2_t, 1, vsliq_n_u64(a, b, 40));
    T("vqshluq_n_s8", uint8x16_t, int8x16_t, int8x16_t, int8x16_t, 1, vqshluq_n_s8(a, 2));
    T("vqshluq_n_s32", uint32x4_t, int32x4_t, int32x4_t, int32x4_t, 1, vqshluq_n_s32(a, 0));
    T("vqshluq_n_s64", uint64x2_t, int64x2_t, int64x2_t, int64x2_t, 1, vqshluq_n_s64(a, 63));
    T("vqshlq_n_s8", int8x16_t, int8x16_t, int8x16_t, int8x16_t, 1, vqshlq_n_s8(a, 1));
    T("vqshlq_n_u16", uint16x8_t, uint16x8_t, uint16x8_t, uint16x8_t, 1, vqshlq_n_u16(a, 4));
    T("vqshl_n_s32", int32x2_t, int32x2_t, int32x2_t, int32x2_t, 1, vqshl_n_s32(a, 30));
    T("vqshlq_n_u64", uint64x2_t, uint64x2_t, uint64x2_t, uint64x2_t, 1, vqshlq_n_u64(a, 9));
    T("vrshrn_n_s16", int8x8_t, int16x8_t, int16x8_t, int16x8_t, 1, vrshrn_n_s16(a, 3));
    T("vrshrn_n_u64", uint32x2_t, uint64x2_t, uint64x2_t, uint64x2_t, 1, vrshrn_n_u64(a, 32));
    T("vqshrn_n_s16", int8x8_t, int16x8_t, int16x8_t, int16x8_t, 1, vqshrn_n_s16(a, 2));
    T("vqshrn_n_u32", uint16x4_t, uint32x4_t, uint32x4_t, uint32x4_t, 1, vqshrn_n_u32(a, 5));
    T("vqrshrn_n_s64", int32x2_t, int64x2_t, int64x2_t, int64x2_t, 1, vqrshrn_n_s64(a, 7));
    T("vqrshrn_n_u16", uint8x8_t, uint16x8_t, uint16x8_t, uint16x8_t, 1, vqrshrn_n_u16(a, 8));
    T("vqshrun_n_s16", uint8x8_t, int16x8_t, int16x8_t, int16x8_t, 1, vqshrun_n_s16(a, 1));
    T("vqrshrun_n_s32", uint16x4_t, int32x4_t, int32x4_t, int32x4_t, 1, vqrshrun_n_s32(a, 12));
    T("vqrshrn_high_n_s32", int16x8_t, int32x4_t, int16x4_t, int16x4_t, 1, vqrshrn_high_n_s32(b, a, 3));
    T("vqshrun_high_n_s64", uint32x4_t, int64x2_t, uint32x2_t, uint32x2_t, 1, vqshrun_high_n_s64(b, a, 20));
    T("vrshrd_n_s64", int64_t, int64_t, int64_t, int64_t, 1, vrshrd_n_s64(a, 63));
    T("vrsrad_n_u64", uint64_t, uint64_t, uint64_t, uint64_t, 1, vrsrad_n_u64(a, b, 1));
    T("vslid_n_u64", uint64_t, uint64_t, uint64_t, uint64_t, 1, vslid_n_u64(a, b, 12));
    T("vsrid_n_s64", int64_t, int64_t, int64_t, int64_t, 1, vsrid_n_s64(a, b, 50));
    T("vqshlb_n_s8", int8_t, int8_t, int8_t, int8_t, 1, vqshlb_n_s8(a, 3));
    T("vqshls_n_u32", uint32_t, uint32_t, uint32_t, uint32_t, 1, vqshls_n_u32(a, 11));
    T("vqshluh_n_s16", uint16_t, int16_t, int16_t, int16_t, 1, vqshluh_n_s16(a, 2));
    T("vqshrnh_n_s16", int8_t, int16_t, int16_t, int16_t, 1, vqshrnh_n_s16(a, 4));
    T("vqrshrns_n_u32", uint16_t, uint32_t, uint32_t, uint32_t, 1, vqrshrns_n_u32(a, 9));
    T("vqrshrund_n_s64", uint32_t, int64_t, int64_t, int64_t, 1, vqrshrund_n_s64(a, 31));
    /* by element */
    T("vmulq_laneq_s16", int16x8_t, int16x8_t, int16x8_t, int16x8_t, 1, vmulq_laneq_s16(a, b, 7));
    T("vmul_lane_u32", uint32x2_t, uint32x2_t, uint32x2_t, uint32x2_t, 1, vmul_lane_u32(a, b, 1));
    T("vmlaq_laneq_s32", int32x4_t, int32x4_t, int32x4_t, int32x4_t, 1, vmlaq_laneq_s32(a, b, c, 2));
    T("vmlsq_lane_u16", uint16x8_t, uint16x8_t, uint16x8_t, uint16x4_t, 1, vmlsq_lane_u16(a, b, c, 3));
    T("vmull_laneq_s16", int32x4_t, int16x4_t, int16x8_t, int16x8_t, 1, vmull_laneq_s16(a, b, 5));
    T("vmull_high_laneq_u32", uint64x2_t, uint32x4_t, uint32x4_t, uint32x4_t, 1, vmull_high_laneq_u32(a, b, 3));
    T("vmlal_laneq_u16", uint32x4_t, uint32x4_t, uint16x4_t, uint16x8_t, 1, vmlal_laneq_u16(a, b, c, 6));
    T("vmlsl_high_lane_s32", int64x2_t, int64x2_t, int32x4_t, int32x2_t, 1, vmlsl_high_lane_s32(a, b, c, 1));
    T("vqdmull_laneq_s16", int32x4_t, int16x4_t, int16x8_t, int16x8_t, 1, vqdmull_laneq_s16(a, b, 4));
    T("vqdmlal_high_laneq_s32", int64x2_t, int64x2_t, int32x4_t, int32x4_t, 1, vqdmlal_high_laneq_s32(a, b, c, 0));
    T("vqdmlsl_lane_s16", int32x4_t, int32x4_t, int16x4_t, int16x4_t, 1, vqdmlsl_lane_s16(a, b, c, 2));
    T("vqdmulhq_laneq_s16", int16x8_t, int16x8_t, int16x8_t, int16x8_t, 1, vqdmulhq_laneq_s16(a, b, 1));
    T("vqrdmulhq_laneq_s32", int32x4_t, int32x4_t, int32x4_t, int32x4_t, 1, vqrdmulhq_laneq_s32(a, b, 3));
    T("vqrdmlahq_laneq_s16", int16x8_t, int16x8_t, int16x8_t, int16x8_t, 1, vqrdmlahq_laneq_s16(a, b, c, 6));
    T("vqrdmlsh_lane_s32", int32x2_t, int32x2_t, int32x2_t, int32x2_t, 1, vqrdmlsh_lane_s32(a, b, c, 1));
    T("vqdmulhh_laneq_s16", int16_t, int16_t, int16x8_t, int16x8_t, 1, vqdmulhh_laneq_s16(a, b, 3));
    T("vqrdmulhs_lane_s32", int32_t, int32_t, int32x2_t, int32x2_t, 1, vqrdmulhs_lane_s32(a, b, 1));
    T("vqdmullh_laneq_s16", int32_t, int16_t, int16x8_t, int16x8_t, 1, vqdmullh_laneq_s16(a, b, 7));
    T("vqdmlals_lane_s32", int64_t, int64_t, int32_t, int32x2_t, 1, vqdmlals_lane_s32(a, b, c, 1));
    return 0;
}
