// Int8 matrix multiply (I8MM): SMMLA, UMMLA, USMMLA, USDOT (vector and by element), SUDOT (by element),
// over pseudo-random bytes biased toward the extremes (0, 1, 127, 128, 255). Prints, per operation, a hash
// of all results, a few results in full, and one hand-checked case.
#pragma GCC target("arch=armv8.6-a+i8mm")
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>

static uint64_t state = 0x853c49e6748fea9b;
static uint64_t next64(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static uint8x16_t rand_bytes(void)
{
    static const uint8_t extremes[] = {0, 1, 127, 128, 255};
    uint8_t b[16];
    for (int i = 0; i < 16; i++)
    {
        uint64_t r = next64();
        b[i] = (r & 3) == 0 ? extremes[(r >> 8) % 5] : (uint8_t)(r >> 24);
    }
    return vld1q_u8(b);
}

static uint64_t hash;
static void mix(uint8x16_t v)
{
    uint8_t b[16];
    vst1q_u8(b, v);
    for (int i = 0; i < 16; i++) hash = (hash ^ b[i]) * 0x100000001b3;
}

#define OPS(X)                                                                                                   \
    X(smmla, vreinterpretq_u8_s32(vmmlaq_s32(vreinterpretq_s32_u8(d), vreinterpretq_s8_u8(n), vreinterpretq_s8_u8(m)))) \
    X(ummla, vreinterpretq_u8_u32(vmmlaq_u32(vreinterpretq_u32_u8(d), n, m)))                                          \
    X(usmmla, vreinterpretq_u8_s32(vusmmlaq_s32(vreinterpretq_s32_u8(d), n, vreinterpretq_s8_u8(m))))                  \
    X(usdot_4s, vreinterpretq_u8_s32(vusdotq_s32(vreinterpretq_s32_u8(d), n, vreinterpretq_s8_u8(m))))                  \
    X(usdot_2s, vcombine_u8(vreinterpret_u8_s32(vusdot_s32(vreinterpret_s32_u8(vget_low_u8(d)), vget_low_u8(n), vreinterpret_s8_u8(vget_low_u8(m)))), vdup_n_u8(0))) \
    X(usdot_lane3, vreinterpretq_u8_s32(vusdotq_laneq_s32(vreinterpretq_s32_u8(d), n, vreinterpretq_s8_u8(m), 3)))      \
    X(usdot_2s_lane1, vcombine_u8(vreinterpret_u8_s32(vusdot_laneq_s32(vreinterpret_s32_u8(vget_low_u8(d)), vget_low_u8(n), vreinterpretq_s8_u8(m), 1)), vdup_n_u8(0))) \
    X(sudot_lane0, vreinterpretq_u8_s32(vsudotq_laneq_s32(vreinterpretq_s32_u8(d), vreinterpretq_s8_u8(n), m, 0)))     \
    X(sudot_lane2, vreinterpretq_u8_s32(vsudotq_laneq_s32(vreinterpretq_s32_u8(d), vreinterpretq_s8_u8(n), m, 2)))

#define RUN(name, expr)                                                                            \
    {                                                                                              \
        hash = 0xcbf29ce484222325;                                                                 \
        state = 0x853c49e6748fea9b;                                                                \
        for (int i = 0; i < 2000; i++)                                                             \
        {                                                                                          \
            uint8x16_t d = rand_bytes(), n = rand_bytes(), m = rand_bytes();                       \
            uint8x16_t r = expr;                                                                   \
            mix(r);                                                                                \
            if (i < 3)                                                                             \
            {                                                                                      \
                uint32_t w[4];                                                                     \
                vst1q_u32(w, vreinterpretq_u32_u8(r));                                             \
                printf("%-15s #%d: %08x %08x %08x %08x\n", #name, i, w[0], w[1], w[2], w[3]);     \
            }                                                                                      \
        }                                                                                          \
        printf("%-15s hash=%016llx\n", #name, (unsigned long long)hash);                          \
    }

int main(void)
{
    OPS(RUN)
    // Hand-checked: rows of n = (1..8), (-1 x 8); rows of m = (1 x 8), (2, 0 x 7); accumulators 0.
    int8_t nb[16] = {1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, -1, -1, -1, -1, -1};
    int8_t mb[16] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0};
    int32x4_t r = vmmlaq_s32(vdupq_n_s32(0), vld1q_s8(nb), vld1q_s8(mb));
    printf("smmla check: %d %d %d %d (expect 36 2 -8 -2)\n", vgetq_lane_s32(r, 0), vgetq_lane_s32(r, 1), vgetq_lane_s32(r, 2),
           vgetq_lane_s32(r, 3));
    return 0;
}
