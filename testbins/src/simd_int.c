/* Auto-vectorized integer loops (built at -O3 per function) over int8/16/32/64
   arrays: sums, dot products, saturating adds, abs-diff, min/max, shifts,
   multiplies and widening. Prints one checksum per kernel; the expected output
   comes from qemu-aarch64. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 1003
#define O3 __attribute__((optimize("O3"), noinline))

static int8_t s8a[N], s8b[N];
static uint8_t u8a[N], u8b[N];
static int16_t s16a[N], s16b[N];
static uint16_t u16a[N], u16b[N];
static int32_t s32a[N], s32b[N];
static uint32_t u32a[N], u32b[N];
static int64_t s64a[N], s64b[N];
static uint64_t u64a[N];

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void init(void)
{
    for (int i = 0; i < N; i++) {
        uint64_t r = next(), t = next();
        s8a[i] = (int8_t)r; s8b[i] = (int8_t)(r >> 8);
        u8a[i] = (uint8_t)(r >> 16); u8b[i] = (uint8_t)(r >> 24);
        s16a[i] = (int16_t)(r >> 32); s16b[i] = (int16_t)(r >> 48);
        u16a[i] = (uint16_t)t; u16b[i] = (uint16_t)(t >> 16);
        s32a[i] = (int32_t)(t >> 32); s32b[i] = (int32_t)r;
        u32a[i] = (uint32_t)(r >> 17); u32b[i] = (uint32_t)(t >> 7);
        s64a[i] = (int64_t)next(); s64b[i] = (int64_t)next() >> (i % 40);
        u64a[i] = next();
        if (i % 17 == 0) { s8a[i] = 127; u8a[i] = 255; s16a[i] = -32768; s32a[i] = INT32_MIN; }
    }
}

static uint64_t hash(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

#define REPORT(name, arr) printf("%-22s %016llx\n", name, (unsigned long long)hash(arr, sizeof arr))

O3 static int64_t sum_s8(const int8_t *a) { int64_t s = 0; for (int i = 0; i < N; i++) s += a[i]; return s; }
O3 static uint32_t sum_u8(const uint8_t *a) { uint32_t s = 0; for (int i = 0; i < N; i++) s += a[i]; return s; }
O3 static int32_t sum_s16(const int16_t *a) { int32_t s = 0; for (int i = 0; i < N; i++) s += a[i]; return s; }
O3 static uint64_t sum_u32(const uint32_t *a) { uint64_t s = 0; for (int i = 0; i < N; i++) s += a[i]; return s; }
O3 static int64_t sum_s64(const int64_t *a) { int64_t s = 0; for (int i = 0; i < N; i++) s += a[i]; return s; }
O3 static int32_t dot_s8(const int8_t *a, const int8_t *b) { int32_t s = 0; for (int i = 0; i < N; i++) s += a[i] * b[i]; return s; }
O3 static uint32_t dot_u8(const uint8_t *a, const uint8_t *b) { uint32_t s = 0; for (int i = 0; i < N; i++) s += a[i] * b[i]; return s; }
O3 static int64_t dot_s16(const int16_t *a, const int16_t *b) { int64_t s = 0; for (int i = 0; i < N; i++) s += a[i] * b[i]; return s; }
O3 static int64_t dot_s32(const int32_t *a, const int32_t *b) { int64_t s = 0; for (int i = 0; i < N; i++) s += (int64_t)a[i] * b[i]; return s; }
O3 static uint64_t dot_u32(const uint32_t *a, const uint32_t *b) { uint64_t s = 0; for (int i = 0; i < N; i++) s += (uint64_t)a[i] * b[i]; return s; }
O3 static uint32_t sad_u8(const uint8_t *a, const uint8_t *b) { uint32_t s = 0; for (int i = 0; i < N; i++) s += abs(a[i] - b[i]); return s; }
O3 static int32_t sad_s16(const int16_t *a, const int16_t *b) { int32_t s = 0; for (int i = 0; i < N; i++) s += abs(a[i] - b[i]); return s; }
O3 static int32_t max_s32(const int32_t *a) { int32_t m = INT32_MIN; for (int i = 0; i < N; i++) m = a[i] > m ? a[i] : m; return m; }
O3 static uint16_t min_u16(const uint16_t *a) { uint16_t m = 0xffff; for (int i = 0; i < N; i++) m = a[i] < m ? a[i] : m; return m; }
O3 static int64_t max_s64(const int64_t *a) { int64_t m = INT64_MIN; for (int i = 0; i < N; i++) m = a[i] > m ? a[i] : m; return m; }

static int8_t r8[N];
static uint8_t ru8[N];
static int16_t r16[N];
static uint16_t ru16[N];
static int32_t r32[N];
static uint32_t ru32[N];
static int64_t r64[N];
static uint64_t ru64[N];

O3 static void qadd_s8(void) { for (int i = 0; i < N; i++) { int v = s8a[i] + s8b[i]; r8[i] = v > 127 ? 127 : v < -128 ? -128 : v; } }
O3 static void qadd_u8(void) { for (int i = 0; i < N; i++) { unsigned v = u8a[i] + u8b[i]; ru8[i] = v > 255 ? 255 : v; } }
O3 static void qsub_u8(void) { for (int i = 0; i < N; i++) ru8[i] = u8a[i] > u8b[i] ? u8a[i] - u8b[i] : 0; }
O3 static void qadd_s16(void) { for (int i = 0; i < N; i++) { int v = s16a[i] + s16b[i]; r16[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v; } }
O3 static void qsub_s16(void) { for (int i = 0; i < N; i++) { int v = s16a[i] - s16b[i]; r16[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v; } }
O3 static void qsub_u16(void) { for (int i = 0; i < N; i++) ru16[i] = u16a[i] > u16b[i] ? u16a[i] - u16b[i] : 0; }
O3 static void absdiff_s8(void) { for (int i = 0; i < N; i++) ru8[i] = (uint8_t)abs(s8a[i] - s8b[i]); }
O3 static void absdiff_u32(void) { for (int i = 0; i < N; i++) ru32[i] = u32a[i] > u32b[i] ? u32a[i] - u32b[i] : u32b[i] - u32a[i]; }
O3 static void minmax_s16(void) { for (int i = 0; i < N; i++) r16[i] = (s16a[i] < s16b[i] ? s16a[i] : s16b[i]) ^ (s16a[i] > s16b[i] ? s16a[i] : s16b[i]); }
O3 static void avg_u8(void) { for (int i = 0; i < N; i++) ru8[i] = (u8a[i] + u8b[i] + 1) >> 1; }
O3 static void havg_s16(void) { for (int i = 0; i < N; i++) r16[i] = (s16a[i] + s16b[i]) >> 1; }
O3 static void shl_var_u32(void) { for (int i = 0; i < N; i++) ru32[i] = u32a[i] << (u32b[i] & 31); }
O3 static void shr_var_s32(void) { for (int i = 0; i < N; i++) r32[i] = s32a[i] >> (u32b[i] & 31); }
O3 static void shr_var_u64(void) { for (int i = 0; i < N; i++) ru64[i] = u64a[i] >> (u32b[i] & 63); }
O3 static void shl_var_s64(void) { for (int i = 0; i < N; i++) r64[i] = (int64_t)((uint64_t)s64a[i] << (u32a[i] & 63)); }
O3 static void rshr_s16(void) { for (int i = 0; i < N; i++) r16[i] = (int16_t)((s16a[i] + 8) >> 4); }
O3 static void mul_s8(void) { for (int i = 0; i < N; i++) r8[i] = (int8_t)(s8a[i] * s8b[i]); }
O3 static void mul_s16(void) { for (int i = 0; i < N; i++) r16[i] = (int16_t)(s16a[i] * s16b[i]); }
O3 static void mul_u32(void) { for (int i = 0; i < N; i++) ru32[i] = u32a[i] * u32b[i]; }
O3 static void mla_s32(void) { for (int i = 0; i < N; i++) r32[i] += s32a[i] * s32b[i]; }
O3 static void mls_u16(void) { for (int i = 0; i < N; i++) ru16[i] -= u16a[i] * u16b[i]; }
O3 static void mul_s64(void) { for (int i = 0; i < N; i++) r64[i] = s64a[i] * s64b[i]; }
O3 static void mulhi_s16(void) { for (int i = 0; i < N; i++) r16[i] = (int16_t)((s16a[i] * s16b[i]) >> 16); }
O3 static void mulhi_u32(void) { for (int i = 0; i < N; i++) ru32[i] = (uint32_t)(((uint64_t)u32a[i] * u32b[i]) >> 32); }
O3 static void widen_mul_s8(void) { for (int i = 0; i < N; i++) r16[i] = (int16_t)(s8a[i] * s8b[i]); }
O3 static void widen_mul_u16(void) { for (int i = 0; i < N; i++) ru32[i] = (uint32_t)u16a[i] * u16b[i]; }
O3 static void widen_mul_s32(void) { for (int i = 0; i < N; i++) r64[i] = (int64_t)s32a[i] * s32b[i]; }
O3 static void widen_add_u8(void) { for (int i = 0; i < N; i++) ru16[i] = (uint16_t)(u8a[i] + u8b[i]); }
O3 static void widen_sub_s16(void) { for (int i = 0; i < N; i++) r32[i] = s16a[i] - s16b[i]; }
O3 static void widen_s32_to_64(void) { for (int i = 0; i < N; i++) r64[i] = s32a[i]; }
O3 static void narrow_s32_to_16(void) { for (int i = 0; i < N; i++) r16[i] = (int16_t)(s32a[i] >> 16); }
O3 static void narrow_sat_s16_to_u8(void) { for (int i = 0; i < N; i++) { int v = s16a[i]; ru8[i] = v < 0 ? 0 : v > 255 ? 255 : v; } }
O3 static void narrow_sat_s32_to_s16(void) { for (int i = 0; i < N; i++) { int v = s32a[i] >> 8; r16[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v; } }
O3 static void abs_s8(void) { for (int i = 0; i < N; i++) r8[i] = (int8_t)(s8a[i] < 0 ? -s8a[i] : s8a[i]); }
O3 static void neg_s64(void) { for (int i = 0; i < N; i++) r64[i] = -s64a[i]; }
O3 static void clz_u32(void) { for (int i = 0; i < N; i++) ru32[i] = u32a[i] ? (uint32_t)__builtin_clz(u32a[i]) : 32; }
O3 static void cmp_select_s8(void) { for (int i = 0; i < N; i++) r8[i] = s8a[i] > s8b[i] ? s8a[i] : (int8_t)(s8b[i] - 1); }
O3 static void bitsel_u16(void) { for (int i = 0; i < N; i++) ru16[i] = (uint16_t)((u16a[i] & 0xf0f0) | ((u16b[i] >> 3) & 0x0f0f)); }
O3 static void poly_u8(void) { for (int i = 0; i < N; i++) ru8[i] = (uint8_t)(u8a[i] * 3 + (u8b[i] >> 2) * 5 + 7); }
O3 static void mix_widths(void) { for (int i = 0; i < N; i++) r32[i] = s8a[i] * s16a[i] + (s32b[i] >> 3); }

int main(void)
{
    init();
    printf("sum_s8 %lld\n", (long long)sum_s8(s8a));
    printf("sum_u8 %u\n", sum_u8(u8a));
    printf("sum_s16 %d\n", sum_s16(s16a));
    printf("sum_u32 %llu\n", (unsigned long long)sum_u32(u32a));
    printf("sum_s64 %lld\n", (long long)sum_s64(s64a));
    printf("dot_s8 %d\n", dot_s8(s8a, s8b));
    printf("dot_u8 %u\n", dot_u8(u8a, u8b));
    printf("dot_s16 %lld\n", (long long)dot_s16(s16a, s16b));
    printf("dot_s32 %lld\n", (long long)dot_s32(s32a, s32b));
    printf("dot_u32 %llu\n", (unsigned long long)dot_u32(u32a, u32b));
    printf("sad_u8 %u\n", sad_u8(u8a, u8b));
    printf("sad_s16 %d\n", sad_s16(s16a, s16b));
    printf("max_s32 %d\n", max_s32(s32a));
    printf("min_u16 %u\n", min_u16(u16a));
    printf("max_s64 %lld\n", (long long)max_s64(s64a));
    qadd_s8(); REPORT("qadd_s8", r8);
    qadd_u8(); REPORT("qadd_u8", ru8);
    qsub_u8(); REPORT("qsub_u8", ru8);
    qadd_s16(); REPORT("qadd_s16", r16);
    qsub_s16(); REPORT("qsub_s16", r16);
    qsub_u16(); REPORT("qsub_u16", ru16);
    absdiff_s8(); REPORT("absdiff_s8", ru8);
    absdiff_u32(); REPORT("absdiff_u32", ru32);
    minmax_s16(); REPORT("minmax_s16", r16);
    avg_u8(); REPORT("avg_u8", ru8);
    havg_s16(); REPORT("havg_s16", r16);
    shl_var_u32(); REPORT("shl_var_u32", ru32);
    shr_var_s32(); REPORT("shr_var_s32", r32);
    shr_var_u64(); REPORT("shr_var_u64", ru64);
    shl_var_s64(); REPORT("shl_var_s64", r64);
    rshr_s16(); REPORT("rshr_s16", r16);
    mul_s8(); REPORT("mul_s8", r8);
    mul_s16(); REPORT("mul_s16", r16);
    mul_u32(); REPORT("mul_u32", ru32);
    mla_s32(); REPORT("mla_s32", r32);
    mls_u16(); REPORT("mls_u16", ru16);
    mul_s64(); REPORT("mul_s64", r64);
    mulhi_s16(); REPORT("mulhi_s16", r16);
    mulhi_u32(); REPORT("mulhi_u32", ru32);
    widen_mul_s8(); REPORT("widen_mul_s8", r16);
    widen_mul_u16(); REPORT("widen_mul_u16", ru32);
    widen_mul_s32(); REPORT("widen_mul_s32", r64);
    widen_add_u8(); REPORT("widen_add_u8", ru16);
    widen_sub_s16(); REPORT("widen_sub_s16", r32);
    widen_s32_to_64(); REPORT("widen_s32_to_64", r64);
    narrow_s32_to_16(); REPORT("narrow_s32_to_16", r16);
    narrow_sat_s16_to_u8(); REPORT("narrow_sat_s16_to_u8", ru8);
    narrow_sat_s32_to_s16(); REPORT("narrow_sat_s32_to_s16", r16);
    abs_s8(); REPORT("abs_s8", r8);
    neg_s64(); REPORT("neg_s64", r64);
    clz_u32(); REPORT("clz_u32", ru32);
    cmp_select_s8(); REPORT("cmp_select_s8", r8);
    bitsel_u16(); REPORT("bitsel_u16", ru16);
    poly_u8(); REPORT("poly_u8", ru8);
    mix_widths(); REPORT("mix_widths", r32);
    return 0;
}
