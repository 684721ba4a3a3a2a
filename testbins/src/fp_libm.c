/* libm functions, strtod/printf round trips and the C FP exception flags, printed as bit patterns:
   glibc's implementations mix FMA, conversions, FRINT* and FPSR reads, so this checks them as used. */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static const double inputs[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.141592653589793, -2.718281828459045, 1e-310, 1e300, -1e300,
    0.1, 7.25, 100.0, -33.3, 1e-5, 710.0, -745.5, 0.9999999999, 1.0000000001, INFINITY, -INFINITY, NAN,
};
#define N (sizeof inputs / sizeof inputs[0])

static uint64_t hash = 1469598103934665603ull;
static void mix(uint64_t v)
{
    for (int i = 0; i < 8; i++) hash = (hash ^ ((v >> (8 * i)) & 0xff)) * 0x100000001b3ull;
}

int main(void)
{
    static const struct { const char *name; double (*f)(double); } unary[] = {
        {"sin", sin}, {"cos", cos}, {"tan", tan}, {"exp", exp}, {"log", log}, {"log2", log2}, {"log10", log10},
        {"sqrt", sqrt}, {"cbrt", cbrt}, {"atan", atan}, {"asin", asin}, {"tanh", tanh}, {"expm1", expm1},
        {"log1p", log1p}, {"erf", erf}, {"lgamma", lgamma}, {"floor", floor}, {"round", round}, {"rint", rint},
    };
    for (unsigned k = 0; k < sizeof unary / sizeof unary[0]; k++) {
        hash = 1469598103934665603ull;
        for (unsigned i = 0; i < N; i++) {
            volatile double x = inputs[i];
            mix(bits(unary[k].f(x)));
        }
        printf("%-7s %016llx\n", unary[k].name, (unsigned long long)hash);
    }
    hash = 1469598103934665603ull;
    for (unsigned i = 0; i < N; i++)
        for (unsigned j = 0; j < N; j++) {
            volatile double x = inputs[i], y = inputs[j];
            mix(bits(pow(x, y)));
            mix(bits(atan2(x, y)));
            mix(bits(fmod(x, y)));
            mix(bits(hypot(x, y)));
            mix(bits(fma(x, y, 0.25)));
            mix(fbits(powf((float)x, (float)y)));
        }
    printf("binary  %016llx\n", (unsigned long long)hash);
    for (unsigned i = 0; i < N; i++) {
        volatile float x = (float)inputs[i];
        printf("f %08x sinf %08x expf %08x logf %08x sqrtf %08x\n", fbits(x), fbits(sinf(x)), fbits(expf(x)),
               fbits(logf(x)), fbits(sqrtf(x)));
    }

    /* strtod and printf: shortest round trips and hard-to-round decimal strings. */
    static const char *const strings[] = {
        "0.1", "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
        "1.7976931348623159e308", "9007199254740993", "123456789012345678901234567890", "0x1.fffffffffffffp+1023",
        "-0.0", "inf", "nan", "1e-400", "3.14159265358979323846264338327950288", "1.00000000000000011102230246251565",
    };
    for (unsigned i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        double d = strtod(strings[i], NULL);
        float f = strtof(strings[i], NULL);
        printf("strtod %-40s %016llx %08x %.17g %a\n", strings[i], (unsigned long long)bits(d), fbits(f), d, d);
    }

    /* The C exception flags, read back through fetestexcept (FPSR). */
    static const struct { const char *name; double a, b; int op; } ops[] = {
        {"1/0", 1.0, 0.0, 0}, {"0/0", 0.0, 0.0, 0}, {"1/3", 1.0, 3.0, 0}, {"max*2", 1.7976931348623157e308, 2.0, 1},
        {"tiny*tiny", 1e-200, 1e-200, 1}, {"2*3", 2.0, 3.0, 1}, {"sqrt(-1)", -1.0, 0.0, 2}, {"inf-inf", INFINITY, INFINITY, 3},
    };
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        feclearexcept(FE_ALL_EXCEPT);
        volatile double a = ops[i].a, b = ops[i].b, r;
        switch (ops[i].op) {
        case 0: r = a / b; break;
        case 1: r = a * b; break;
        case 2: r = sqrt(a); break;
        default: r = a - b; break;
        }
        int e = fetestexcept(FE_ALL_EXCEPT);
        printf("flags %-10s %016llx inv=%d dz=%d of=%d uf=%d ix=%d\n", ops[i].name, (unsigned long long)bits(r),
               !!(e & FE_INVALID), !!(e & FE_DIVBYZERO), !!(e & FE_OVERFLOW), !!(e & FE_UNDERFLOW), !!(e & FE_INEXACT));
    }
    /* Rounding modes through fesetround (FPCR.RMode) on a conversion and an addition. */
    static const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    for (unsigned m = 0; m < 4; m++) {
        fesetround(modes[m]);
        volatile double a = 1.0, b = 3.0, c = -2.5;
        printf("round %u %016llx %ld %ld %08x\n", m, (unsigned long long)bits(a / b), lrint(c), lrint(2.5), fbits((float)(a / b)));
    }
    fesetround(FE_TONEAREST);
    return 0;
}
