/* Sweeps special values through AdvSIMD floating-point vector operations. Per operation and FPCR mode
   it prints a hash of every result's bits and the FPSR flags each raised; with the argument -v it prints
   each result instead (to find which input differs when a hash does). */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const uint32_t fvals[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001,
    0xffc12345, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x40490fdb, 0x3eaaaaab, 0xc2c80000,
    0x4f000000, 0xcf000001, 0x3f000000, 0x3fc00000, 0x40200000, 0x5f800000, 0x34000000, 0x1e3ce508,
};
static const uint64_t dvals[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
    0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001,
    0x0000000000000001, 0x000fffffffffffff, 0x0010000000000000, 0x7fefffffffffffff,
    0x400921fb54442d18, 0x3fd5555555555555, 0xc059000000000000, 0x41e0000000000000,
    0x3fe0000000000000, 0x3ff8000000000000, 0x4004000000000000, 0x43f0000000000000,
};
#define NF (sizeof fvals / sizeof fvals[0])
#define ND (sizeof dvals / sizeof dvals[0])

static uint64_t get_fpsr(void) { uint64_t r; __asm__ volatile("mrs %0, fpsr" : "=r"(r)); return r; }
static void set_fpsr(uint64_t v) { __asm__ volatile("msr fpsr, %0" : : "r"(v)); }
static void set_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0" : : "r"(v)); }

static float32x4_t fv(int i, int j)
{
    uint32_t t[4] = { fvals[i], fvals[j], fvals[(i + j) % NF], fvals[(i * 7 + j) % NF] };
    return vreinterpretq_f32_u32(vld1q_u32(t));
}
static float64x2_t dv(int i, int j)
{
    uint64_t t[2] = { dvals[i], dvals[j] };
    return vreinterpretq_f64_u64(vld1q_u64(t));
}
static int verbose;
static char section;
/* One FNV-1a hash per (section, operation name); printed in first-use order. */
static struct { char section; const char *name; uint64_t hash; unsigned count; } sums[256];
static unsigned nsums;
static void add(const char *name, const void *p, size_t n)
{
    unsigned k = 0;
    while (k < nsums && !(sums[k].section == section && strcmp(sums[k].name, name) == 0)) k++;
    if (k == nsums) { sums[k].section = section; sums[k].name = name; sums[k].hash = 1469598103934665603ull; nsums++; }
    for (size_t b = 0; b < n; b++) sums[k].hash = (sums[k].hash ^ ((const uint8_t *)p)[b]) * 0x100000001b3ull;
    sums[k].count++;
}
static void print_sums(const char *mode)
{
    for (unsigned k = 0; k < nsums; k++)
        printf("%s %c %s %016llx %u\n", mode, sums[k].section, sums[k].name, (unsigned long long)sums[k].hash, sums[k].count);
    nsums = 0;
}
static void pf(const char *name, float32x4_t r)
{
    uint32_t t[5];
    vst1q_u32(t, vreinterpretq_u32_f32(r));
    t[4] = (uint32_t)get_fpsr();
    if (verbose) printf("%s %08x %08x %08x %08x %02x\n", name, t[0], t[1], t[2], t[3], t[4]);
    add(name, t, sizeof t);
    set_fpsr(0);
}
static void pu(const char *name, uint32x4_t r) { pf(name, vreinterpretq_f32_u32(r)); }
static void pd(const char *name, float64x2_t r)
{
    uint64_t t[3];
    vst1q_u64(t, vreinterpretq_u64_f64(r));
    t[2] = get_fpsr();
    if (verbose) printf("%s %016llx %016llx %02llx\n", name, (unsigned long long)t[0], (unsigned long long)t[1], (unsigned long long)t[2]);
    add(name, t, sizeof t);
    set_fpsr(0);
}
static void pdu(const char *name, uint64x2_t r) { pd(name, vreinterpretq_f64_u64(r)); }

static void sweep(void)
{
    for (unsigned i = 0; i < NF; i++)
        for (unsigned j = 0; j < NF; j += 3) {
            float32x4_t a = fv(i, j), b = fv(j, (i + 5) % NF), c = fv((i + 3) % NF, j);
            section = 'f';
            if (verbose) printf("f %u %u\n", i, j);
            pf("fadd", vaddq_f32(a, b));
            pf("fsub", vsubq_f32(a, b));
            pf("fmul", vmulq_f32(a, b));
            pf("fdiv", vdivq_f32(a, b));
            pf("fmla", vfmaq_f32(c, a, b));
            pf("fmls", vfmsq_f32(c, a, b));
            pf("fmax", vmaxq_f32(a, b));
            pf("fmin", vminq_f32(a, b));
            pf("fmaxnm", vmaxnmq_f32(a, b));
            pf("fminnm", vminnmq_f32(a, b));
            pf("fabd", vabdq_f32(a, b));
            pf("fmulx", vmulxq_f32(a, b));
            pf("frecps", vrecpsq_f32(a, b));
            pf("frsqrts", vrsqrtsq_f32(a, b));
            pf("faddp", vpaddq_f32(a, b));
            pf("fmaxp", vpmaxq_f32(a, b));
            pf("fminnmp", vpminnmq_f32(a, b));
            pu("fcmeq", vceqq_f32(a, b));
            pu("fcmge", vcgeq_f32(a, b));
            pu("fcmgt", vcgtq_f32(a, b));
            pu("facgt", vcagtq_f32(a, b));
            pf("fmla_e", vfmaq_laneq_f32(c, a, b, 2));
            pf("fmul_e", vmulq_laneq_f32(a, b, 1));
            pf("fmla2", vcombine_f32(vfma_f32(vget_low_f32(c), vget_low_f32(a), vget_low_f32(b)), vdup_n_f32(0)));
        }
    for (unsigned i = 0; i < NF; i++) {
        float32x4_t a = fv(i, (i + 1) % NF);
        section = 'u';
            if (verbose) printf("u %u\n", i);
        pf("fabs", vabsq_f32(a));
        pf("fneg", vnegq_f32(a));
        pf("fsqrt", vsqrtq_f32(a));
        pf("frintn", vrndnq_f32(a));
        pf("frintm", vrndmq_f32(a));
        pf("frintp", vrndpq_f32(a));
        pf("frintz", vrndq_f32(a));
        pf("frinta", vrndaq_f32(a));
        pf("frintx", vrndxq_f32(a));
        pu("fcvtzs", vreinterpretq_u32_s32(vcvtq_s32_f32(a)));
        pu("fcvtzu", vcvtq_u32_f32(a));
        pu("fcvtns", vreinterpretq_u32_s32(vcvtnq_s32_f32(a)));
        pu("fcvtau", vcvtaq_u32_f32(a));
        pu("fcvtms", vreinterpretq_u32_s32(vcvtmq_s32_f32(a)));
        pu("fcvtpu", vcvtpq_u32_f32(a));
        pu("fcvtzs4", vreinterpretq_u32_s32(vcvtq_n_s32_f32(a, 4)));
        pf("scvtf", vcvtq_f32_s32(vreinterpretq_s32_f32(a)));
        pf("ucvtf", vcvtq_f32_u32(vreinterpretq_u32_f32(a)));
        pf("ucvtf3", vcvtq_n_f32_u32(vreinterpretq_u32_f32(a), 3));
        pu("fcmeqz", vceqzq_f32(a));
        pu("fcmltz", vcltzq_f32(a));
        pu("fcmlez", vclezq_f32(a));
        pf("frecpe", vrecpeq_f32(a));
        pf("frsqrte", vrsqrteq_f32(a));
        pd("fcvtl", vcvt_f64_f32(vget_low_f32(a)));
        pd("fcvtl2", vcvt_high_f64_f32(a));
        float32x4_t m = { vmaxvq_f32(a), vminvq_f32(a), vmaxnmvq_f32(a), vminnmvq_f32(a) };
        pf("fmaxv", m);
        float32x2_t lo = vget_low_f32(a);
        float32x4_t p = { vpadds_f32(lo), vpmaxs_f32(lo), vpminnms_f32(lo), 0 };
        pf("faddp_s", p);
    }
    for (unsigned i = 0; i < ND; i++)
        for (unsigned j = 0; j < ND; j += 2) {
            float64x2_t a = dv(i, j), b = dv(j, (i + 3) % ND), c = dv((i + 1) % ND, j);
            section = 'd';
            if (verbose) printf("d %u %u\n", i, j);
            pd("fadd", vaddq_f64(a, b));
            pd("fsub", vsubq_f64(a, b));
            pd("fmul", vmulq_f64(a, b));
            pd("fdiv", vdivq_f64(a, b));
            pd("fmla", vfmaq_f64(c, a, b));
            pd("fmax", vmaxq_f64(a, b));
            pd("fminnm", vminnmq_f64(a, b));
            pd("fmulx", vmulxq_f64(a, b));
            pd("faddp", vpaddq_f64(a, b));
            pdu("fcmge", vcgeq_f64(a, b));
            pdu("facge", vcageq_f64(a, b));
            pd("fmla_e", vfmaq_laneq_f64(c, a, b, 1));
            pd("fsqrt", vsqrtq_f64(a));
            pd("frinti", vrndiq_f64(a));
            pdu("fcvtzs", vreinterpretq_u64_s64(vcvtq_s64_f64(a)));
            pd("scvtf", vcvtq_f64_s64(vreinterpretq_s64_f64(a)));
            pf("fcvtn", vcombine_f32(vcvt_f32_f64(a), vdup_n_f32(0)));
            pf("fcvtn2", vcvt_high_f32_f64(vdup_n_f32(1.0f), b));
            pf("fcvtxn", vcombine_f32(vcvtx_f32_f64(a), vdup_n_f32(0)));
        }
}

int main(int argc, char **argv)
{
    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    set_fpsr(0);
    sweep();
    print_sums("default");
    /* Flush-to-zero and default-NaN mode, then round toward minus infinity. */
    set_fpcr(3u << 24);
    if (verbose) puts("fz dn");
    sweep();
    print_sums("fz-dn");
    set_fpcr(2u << 22);
    if (verbose) puts("rm");
    sweep();
    print_sums("rm");
    set_fpcr(0);
    return 0;
}
