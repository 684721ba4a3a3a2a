// FCMLA (all rotations, vector and by element) and FCADD (#90, #270) on half, single and double lanes, over
// special and pseudo-random operands under several FPCR modes (default, DN, FZ, FZ16, round toward zero / +inf).
// Prints, per operation and mode, a hash of every result and FPSR value, and a few results in full.
#pragma GCC target("arch=armv8.3-a+fp16")
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t state = 0x2545f4914f6cdd1d;
static uint64_t next64(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static const uint64_t d_special[] = {0, 0x8000000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
                                     0x7ff0000000000001, 0x0000000000000001, 0x000fffffffffffff, 0x3ff0000000000000,
                                     0x7fefffffffffffff, 0x0010000000000000, 0xbff8000000000000};
static const uint32_t s_special[] = {0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffa00001, 0x00000001,
                                     0x807fffff, 0x3f800000, 0x7f7fffff, 0x00800000, 0xc0400000};
static const uint16_t h_special[] = {0, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0x0001, 0x83ff, 0x3c00, 0x7bff, 0x0400, 0xc200};

// A 128-bit operand: specials, small ordinary numbers (so products stay ordinary), or raw random bits.
static void operand(int esize, unsigned char out[16])
{
    for (int i = 0; i < 16 / (esize / 8); i++)
    {
        uint64_t r = next64(), v;
        int kind = (int)(r % 4);
        if (esize == 64)
            v = kind == 0 ? d_special[(r >> 8) % 12] : kind == 3 ? next64() : (0x3f80000000000000 + (next64() >> 12)) ^ ((r >> 20) & 1) << 63;
        else if (esize == 32)
            v = kind == 0 ? s_special[(r >> 8) % 12] : kind == 3 ? (uint32_t)next64() : (0x3c000000 + (uint32_t)(next64() >> 40)) ^ (uint32_t)((r >> 20) & 1) << 31;
        else
            v = kind == 0 ? h_special[(r >> 8) % 12] : kind == 3 ? (uint16_t)next64() : (uint16_t)((0x3000 + (next64() >> 54)) ^ ((r >> 20) & 1) << 15);
        memcpy(out + i * (esize / 8), &v, esize / 8);
    }
}

static void set_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0" : : "r"(v)); }
static uint64_t get_fpsr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpsr" : "=r"(v));
    return v;
}
static void clear_fpsr(void) { __asm__ volatile("msr fpsr, xzr"); }

static uint64_t hash;
static void mix(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) hash = (hash ^ b[i]) * 0x100000001b3;
}

#define OPS(X)                                                                                                  \
    X(fcmla_s_0, 32, vreinterpretq_u8_f32(vcmlaq_f32(vreinterpretq_f32_u8(d), vreinterpretq_f32_u8(n), vreinterpretq_f32_u8(m)))) \
    X(fcmla_s_90, 32, vreinterpretq_u8_f32(vcmlaq_rot90_f32(vreinterpretq_f32_u8(d), vreinterpretq_f32_u8(n), vreinterpretq_f32_u8(m)))) \
    X(fcmla_s_180, 32, vreinterpretq_u8_f32(vcmlaq_rot180_f32(vreinterpretq_f32_u8(d), vreinterpretq_f32_u8(n), vreinterpretq_f32_u8(m)))) \
    X(fcmla_s_270, 32, vreinterpretq_u8_f32(vcmlaq_rot270_f32(vreinterpretq_f32_u8(d), vreinterpretq_f32_u8(n), vreinterpretq_f32_u8(m)))) \
    X(fcmla_2s_90, 32, vcombine_u8(vreinterpret_u8_f32(vcmla_rot90_f32(vreinterpret_f32_u8(vget_low_u8(d)), vreinterpret_f32_u8(vget_low_u8(n)), vreinterpret_f32_u8(vget_low_u8(m)))), vdup_n_u8(0))) \
    X(fcmla_s_lane1_0, 32, vreinterpretq_u8_f32(vcmlaq_laneq_f32(vreinterpretq_f32_u8(d), vreinterpretq_f32_u8(n), vreinterpretq_f32_u8(m), 1))) \
    X(fcmla_s_lane0_270, 32, vreinterpretq_u8_f32(vcmlaq_rot270_laneq_f32(vreinterpretq_f32_u8(d), vreinterpretq_f32_u8(n), vreinterpretq_f32_u8(m), 0))) \
    X(fcmla_d_0, 64, vreinterpretq_u8_f64(vcmlaq_f64(vreinterpretq_f64_u8(d), vreinterpretq_f64_u8(n), vreinterpretq_f64_u8(m)))) \
    X(fcmla_d_90, 64, vreinterpretq_u8_f64(vcmlaq_rot90_f64(vreinterpretq_f64_u8(d), vreinterpretq_f64_u8(n), vreinterpretq_f64_u8(m)))) \
    X(fcmla_d_180, 64, vreinterpretq_u8_f64(vcmlaq_rot180_f64(vreinterpretq_f64_u8(d), vreinterpretq_f64_u8(n), vreinterpretq_f64_u8(m)))) \
    X(fcmla_d_270, 64, vreinterpretq_u8_f64(vcmlaq_rot270_f64(vreinterpretq_f64_u8(d), vreinterpretq_f64_u8(n), vreinterpretq_f64_u8(m)))) \
    X(fcmla_h_0, 16, vreinterpretq_u8_f16(vcmlaq_f16(vreinterpretq_f16_u8(d), vreinterpretq_f16_u8(n), vreinterpretq_f16_u8(m)))) \
    X(fcmla_h_90, 16, vreinterpretq_u8_f16(vcmlaq_rot90_f16(vreinterpretq_f16_u8(d), vreinterpretq_f16_u8(n), vreinterpretq_f16_u8(m)))) \
    X(fcmla_h_180, 16, vreinterpretq_u8_f16(vcmlaq_rot180_f16(vreinterpretq_f16_u8(d), vreinterpretq_f16_u8(n), vreinterpretq_f16_u8(m)))) \
    X(fcmla_h_270, 16, vreinterpretq_u8_f16(vcmlaq_rot270_f16(vreinterpretq_f16_u8(d), vreinterpretq_f16_u8(n), vreinterpretq_f16_u8(m)))) \
    X(fcmla_h_lane3_90, 16, vreinterpretq_u8_f16(vcmlaq_rot90_laneq_f16(vreinterpretq_f16_u8(d), vreinterpretq_f16_u8(n), vreinterpretq_f16_u8(m), 3))) \
    X(fcadd_s_90, 32, vreinterpretq_u8_f32(vcaddq_rot90_f32(vreinterpretq_f32_u8(n), vreinterpretq_f32_u8(m)))) \
    X(fcadd_s_270, 32, vreinterpretq_u8_f32(vcaddq_rot270_f32(vreinterpretq_f32_u8(n), vreinterpretq_f32_u8(m)))) \
    X(fcadd_d_90, 64, vreinterpretq_u8_f64(vcaddq_rot90_f64(vreinterpretq_f64_u8(n), vreinterpretq_f64_u8(m)))) \
    X(fcadd_d_270, 64, vreinterpretq_u8_f64(vcaddq_rot270_f64(vreinterpretq_f64_u8(n), vreinterpretq_f64_u8(m)))) \
    X(fcadd_h_90, 16, vreinterpretq_u8_f16(vcaddq_rot90_f16(vreinterpretq_f16_u8(n), vreinterpretq_f16_u8(m)))) \
    X(fcadd_h_270, 16, vreinterpretq_u8_f16(vcaddq_rot270_f16(vreinterpretq_f16_u8(n), vreinterpretq_f16_u8(m))))

static const uint64_t modes[] = {0, 1u << 25, 1u << 24, 1u << 19, 3u << 22, 1u << 22 | 1u << 25 | 1u << 24};

#define RUN(name, esize, expr)                                                                    \
    for (unsigned mi = 0; mi < sizeof modes / sizeof modes[0]; mi++)                              \
    {                                                                                             \
        hash = 0xcbf29ce484222325;                                                                \
        state = 0x2545f4914f6cdd1d + mi;                                                          \
        uint8x16_t first = vdupq_n_u8(0);                                                         \
        uint64_t first_fpsr = 0;                                                                  \
        for (int i = 0; i < 400; i++)                                                             \
        {                                                                                         \
            unsigned char bd[16], bn[16], bm[16];                                                 \
            operand(esize, bd);                                                                   \
            operand(esize, bn);                                                                   \
            operand(esize, bm);                                                                   \
            uint8x16_t d = vld1q_u8(bd), n = vld1q_u8(bn), m = vld1q_u8(bm);                      \
            (void)d;                                                                              \
            set_fpcr(modes[mi]);                                                                  \
            clear_fpsr();                                                                         \
            uint8x16_t r = expr;                                                                  \
            uint64_t fpsr = get_fpsr();                                                           \
            set_fpcr(0);                                                                          \
            mix(&r, 16);                                                                          \
            mix(&fpsr, 8);                                                                        \
            if (i == 7)                                                                           \
            {                                                                                     \
                first = r;                                                                        \
                first_fpsr = fpsr;                                                                \
            }                                                                                     \
        }                                                                                         \
        printf("%-18s fpcr=%08llx hash=%016llx  #7: %016llx%016llx fpsr=%llx\n", #name,          \
               (unsigned long long)modes[mi], (unsigned long long)hash,                          \
               (unsigned long long)vgetq_lane_u64(vreinterpretq_u64_u8(first), 1),                \
               (unsigned long long)vgetq_lane_u64(vreinterpretq_u64_u8(first), 0),                \
               (unsigned long long)first_fpsr);                                                   \
    }

int main(void)
{
    OPS(RUN)
    return 0;
}
