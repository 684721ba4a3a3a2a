using Emu.Cpu;
using Emu.Tests.Support;

namespace Emu.Tests.FloatingPoint;

/// <summary>
/// Scalar FP instructions through both tiers, with results known from IEEE 754 and the ARM ARM
/// (bit patterns worked out by hand). Registers: operands in d1/d2/d3 (s, h likewise), result in d0 or x0.
/// </summary>
public unsafe class ScalarFpTests
{
    private const ulong Ioc = 1, Dzc = 2, Ofc = 4, Ufc = 8, Ixc = 16, Idc = 0x80;
    private const ulong RModePlus = 1UL << 22, RModeMinus = 2UL << 22, FlushToZero = 1UL << 24, DefaultNaNMode = 1UL << 25;
    private const ulong QNaN1 = 0x7ff8000000000123, QNaN2 = 0xfff8000000000456, SNaN = 0x7ff0000000000789;

    private static ulong D(double d) => BitConverter.DoubleToUInt64Bits(d);

    /// <summary>Runs one instruction with V1..V3 (low 64 bits) and X1, FPCR and NZCV set; checks d0/x0 and FPSR.</summary>
    private static void Run(uint word, ulong v1, ulong v2, ulong v3, Action<CpuTestHarness> check, ulong fpcr = 0, ulong x1 = 0, ulong nzcv = 0)
    {
        CpuTestHarness.RunBothTiers([word], h =>
        {
            h.SetV(0, 0xdeadbeefdeadbeef, 0xdeadbeefdeadbeef);
            h.SetV(1, v1, 0x1111);
            h.SetV(2, v2, 0x2222);
            h.SetV(3, v3, 0x3333);
            h[1] = x1;
            h.Ctx->Fpcr = fpcr;
            h.Nzcv = nzcv;
        }, h =>
        {
            Assert.Equal(ExitReason.Breakpoint, h.StopReason);
            check(h);
        });
    }

    /// <summary>Expects d0 = result (upper vector half cleared) and exactly the given FPSR flags.</summary>
    private static void Expect(uint word, ulong v1, ulong v2, ulong result, ulong fpsr, ulong fpcr = 0, ulong v3 = 0) =>
        Run(word, v1, v2, v3, h =>
        {
            Assert.Equal(result, h.VLow(0));
            Assert.Equal(0UL, h.VHigh(0));
            Assert.Equal(fpsr, h.Ctx->Fpsr);
        }, fpcr);

    /// <summary>Expects x0 = result and exactly the given FPSR flags.</summary>
    private static void ExpectX(uint word, ulong v1, ulong result, ulong fpsr, ulong fpcr = 0) =>
        Run(word, v1, 0, 0, h =>
        {
            Assert.Equal(result, h[0]);
            Assert.Equal(fpsr, h.Ctx->Fpsr);
        }, fpcr);

    private const uint FaddD = 0x1e622820, FaddS = 0x1e222820, FaddH = 0x1ee22820, FsubD = 0x1e623820, FmulD = 0x1e620820;
    private const uint FdivD = 0x1e621820, FminD = 0x1e625820, FmaxD = 0x1e624820, FmaxnmD = 0x1e626820, FminnmS = 0x1e227820;
    private const uint FsqrtD = 0x1e61c020, FnmulD = 0x1e628820, FmaddD = 0x1f420c20, FnmsubD = 0x1f628c20, FmsubS = 0x1f028c20;

    [Fact]
    public void AddRoundsToNearestAndFlagsInexact()
    {
        Expect(FaddD, D(0.1), D(0.2), 0x3FD3333333333334, Ixc);
        Expect(FaddD, D(1.5), D(2.25), D(3.75), 0);
        Expect(FaddS, 0x3DCCCCCD, 0x3E4CCCCD, 0x3E99999A, Ixc); // 0.1f + 0.2f
        Expect(FaddH, 0x3C00, 0x3C00, 0x4000, 0); // 1 + 1 = 2 in half precision
        Expect(FaddH, 0x3C00, 0x1000, 0x3C00, Ixc); // 1 + 2^-11: a tie, rounds to even
        Expect(FsubD, D(1.0), D(1.0), 0, 0); // x - x = +0 when rounding to nearest
        Expect(FmulD, D(3.0), D(-2.0), D(-6.0), 0);
    }

    [Fact]
    public void DirectedRoundingModesFollowFpcr()
    {
        Expect(FdivD, D(1.0), D(3.0), 0x3FD5555555555555, Ixc);
        Expect(FdivD, D(1.0), D(3.0), 0x3FD5555555555556, Ixc, RModePlus);
        Expect(FdivD, D(1.0), D(3.0), 0x3FD5555555555555, Ixc, RModeMinus);
        Expect(FdivD, D(-1.0), D(3.0), 0xBFD5555555555555, Ixc, RModePlus);
        Expect(FdivD, D(-1.0), D(3.0), 0xBFD5555555555556, Ixc, RModeMinus);
        // x - x is -0 when rounding toward minus infinity.
        Expect(FsubD, D(1.0), D(1.0), 0x8000000000000000, 0, RModeMinus);
        // Overflow: infinity to nearest, the largest finite number toward zero.
        Expect(FmulD, D(double.MaxValue), D(2.0), 0x7FF0000000000000, Ofc | Ixc);
        Expect(FmulD, D(double.MaxValue), D(2.0), 0x7FEFFFFFFFFFFFFF, Ofc | Ixc, 3UL << 22);
    }

    [Fact]
    public void DivisionByZeroAndInvalidOperations()
    {
        Expect(FdivD, D(1.0), 0, 0x7FF0000000000000, Dzc);
        Expect(FdivD, D(-1.0), 0, 0xFFF0000000000000, Dzc);
        Expect(FdivD, 0, 0, 0x7FF8000000000000, Ioc); // 0/0 gives the default NaN
        Expect(FsqrtD, D(-1.0), 0, 0x7FF8000000000000, Ioc);
        Expect(FsqrtD, D(2.0), 0, 0x3FF6A09E667F3BCD, Ixc);
        Expect(FsqrtD, D(4.0), 0, D(2.0), 0);
        Expect(FsqrtD, 0x8000000000000000, 0, 0x8000000000000000, 0); // sqrt(-0) = -0
    }

    [Fact]
    public void NaNPropagationPrefersSignallingThenFirstOperand()
    {
        Expect(FaddD, QNaN1, QNaN2, QNaN1, 0);
        Expect(FaddD, D(1.0), QNaN2, QNaN2, 0);
        Expect(FaddD, QNaN1, SNaN, 0x7FF8000000000789, Ioc); // the signalling NaN wins, quietened
        Expect(FaddD, QNaN1, SNaN, 0x7FF8000000000000, Ioc, DefaultNaNMode);
        Expect(FaddD, QNaN1, D(1.0), 0x7FF8000000000000, 0, DefaultNaNMode);
        // FNMUL negates after the multiply, NaN results included.
        Expect(FnmulD, QNaN1, D(2.0), 0xFFF8000000000123, 0);
        Expect(FnmulD, D(2.0), D(3.0), D(-6.0), 0);
    }

    [Fact]
    public void MinMaxHandleSignedZerosAndNaNs()
    {
        Expect(FminD, 0, 0x8000000000000000, 0x8000000000000000, 0);
        Expect(FminD, 0x8000000000000000, 0, 0x8000000000000000, 0);
        Expect(FmaxD, 0x8000000000000000, 0, 0, 0);
        Expect(FmaxD, QNaN1, D(1.0), QNaN1, 0);
        Expect(FmaxnmD, QNaN1, D(1.0), D(1.0), 0);
        Expect(FmaxnmD, D(-5.0), QNaN1, D(-5.0), 0);
        Expect(FmaxnmD, SNaN, D(1.0), 0x7FF8000000000789, Ioc); // signalling NaNs still propagate
        Expect(FminnmS, 0x7FC00001, 0x3F800000, 0x3F800000, 0);
        Expect(FmaxD, D(-1.0), D(-2.0), D(-1.0), 0);
    }

    [Fact]
    public void FusedMultiplyAddRoundsOnce()
    {
        // (1 + 2^-30)(1 - 2^-30) = 1 - 2^-60: fused with -1 the result is exactly -2^-60 (unfused it would be 0).
        ulong a = 0x3FF0000000400000, b = 0x3FEFFFFFFF800000;
        Expect(FmaddD, a, b, 0xBC30000000000000, 0, v3: D(-1.0));
        Expect(FnmsubD, a, b, 0xBC30000000000000, 0, v3: D(1.0)); // -d3 + d1*d2
        Expect(FmaddD, D(2.0), D(3.0), D(7.0), 0, v3: D(1.0));
        Expect(FmsubS, 0x40000000, 0x40400000, 0xC0A00000, 0, v3: 0x3F800000); // 1 - 2*3 = -5
        // 0 * inf with a quiet NaN addend: default NaN and IOC.
        Expect(FmaddD, 0, 0x7FF0000000000000, 0x7FF8000000000000, Ioc, v3: QNaN1);
        Expect(FmaddD, D(1.0), D(1.0), QNaN1, 0, v3: QNaN1);
    }

    [Fact]
    public void FlushToZeroFlushesDenormalInputsAndTinyResults()
    {
        Expect(FaddD, 1, 0, 1, 0); // denormals kept without FZ
        Expect(FaddD, 1, 0, 0, Idc, FlushToZero);
        // 2^-1000 * 2^-30 = 2^-1030: exact denormal (no underflow flag) unless flushed.
        Expect(FmulD, D(Math.Pow(2, -1000)), D(Math.Pow(2, -30)), 0x0000100000000000, 0);
        Expect(FmulD, D(Math.Pow(2, -1000)), D(Math.Pow(2, -30)), 0, Ufc, FlushToZero);
        // Inexact and tiny: underflow and inexact.
        Expect(FdivD, 1, D(3.0), 0, Ufc | Ixc);
    }

    [Fact]
    public void CompareSetsNzcvAndSignalsPerVariant()
    {
        const uint fcmp = 0x1e622020, fcmpe = 0x1e622030, fcmpZero = 0x1e602028;
        void Flags(uint word, ulong a, ulong b, ulong nzcv, ulong fpsr) =>
            Run(word, a, b, 0, h =>
            {
                Assert.Equal(nzcv, h.Nzcv);
                Assert.Equal(fpsr, h.Ctx->Fpsr);
            });
        Flags(fcmp, D(1.0), D(2.0), 0x80000000, 0);
        Flags(fcmp, D(2.0), D(2.0), 0x60000000, 0);
        Flags(fcmp, D(3.0), D(2.0), 0x20000000, 0);
        Flags(fcmp, QNaN1, D(2.0), 0x30000000, 0);
        Flags(fcmp, SNaN, D(2.0), 0x30000000, Ioc);
        Flags(fcmpe, QNaN1, D(2.0), 0x30000000, Ioc);
        Flags(fcmpZero, 0x8000000000000000, D(5.0), 0x60000000, 0); // -0 == +0
        Flags(fcmpZero, D(-5.0), 0, 0x80000000, 0);
    }

    [Fact]
    public void ConditionalSelectAndCompare()
    {
        const uint fcselEq = 0x1e620c20, fccmpNe = 0x1e621425;
        Run(fcselEq, D(1.0), D(2.0), 0, h => Assert.Equal(D(1.0), h.VLow(0)), nzcv: 0x40000000);
        Run(fcselEq, D(1.0), D(2.0), 0, h => Assert.Equal(D(2.0), h.VLow(0)), nzcv: 0);
        // Condition false (Z set): flags = #5; no comparison, so no IOC from the NaN.
        Run(fccmpNe, SNaN, D(2.0), 0, h =>
        {
            Assert.Equal(0x50000000UL, h.Nzcv);
            Assert.Equal(0UL, h.Ctx->Fpsr);
        }, nzcv: 0x40000000);
        Run(fccmpNe, D(1.0), D(2.0), 0, h => Assert.Equal(0x80000000UL, h.Nzcv), nzcv: 0);
    }

    [Fact]
    public void FloatToIntegerSaturatesAndRounds()
    {
        const uint fcvtzsX = 0x9e780020, fcvtzuW = 0x1e790020, fcvtasW = 0x1e240020, fcvtmsX = 0x9e700020, fcvtzsW8 = 0x1e58e020;
        ExpectX(fcvtzsX, D(1e20), 0x7FFFFFFFFFFFFFFF, Ioc);
        ExpectX(fcvtzsX, D(-1e20), 0x8000000000000000, Ioc);
        ExpectX(fcvtzsX, QNaN1, 0, Ioc);
        ExpectX(fcvtzsX, D(-2.75), unchecked((ulong)-2L), Ixc);
        ExpectX(fcvtzsX, D(-9.0), unchecked((ulong)-9L), 0);
        ExpectX(fcvtzuW, D(-1.0), 0, Ioc);
        ExpectX(fcvtzuW, D(5e9), 0xFFFFFFFF, Ioc);
        ExpectX(fcvtzuW, D(-0.5), 0, Ixc); // rounds to zero: in range
        ExpectX(fcvtasW, 0xC0200000, 0xFFFFFFFD, Ixc); // -2.5f rounds away to -3, written as W
        ExpectX(fcvtmsX, D(-0.5), ulong.MaxValue, Ixc);
        ExpectX(fcvtzsW8, D(1.5), 384, 0); // fixed point, 8 fraction bits
    }

    [Fact]
    public void IntegerToFloatRoundsPerFpcr()
    {
        const uint ucvtfX = 0x9e630020, scvtfX4 = 0x9e42f020;
        Run(ucvtfX, 0, 0, 0, h =>
        {
            Assert.Equal(0x43F0000000000000UL, h.VLow(0)); // 2^64 - 1 rounds to 2^64
            Assert.Equal(Ixc, h.Ctx->Fpsr);
        }, x1: ulong.MaxValue);
        Run(ucvtfX, 0, 0, 0, h => Assert.Equal(0x43EFFFFFFFFFFFFFUL, h.VLow(0)), fpcr: 3UL << 22, x1: ulong.MaxValue);
        Run(scvtfX4, 0, 0, 0, h =>
        {
            Assert.Equal(D(-0.5), h.VLow(0)); // -8 / 2^4
            Assert.Equal(0UL, h.Ctx->Fpsr);
        }, x1: unchecked((ulong)-8L));
    }

    [Fact]
    public void RoundToIntegralModes()
    {
        const uint frintx = 0x1e674020, frinta = 0x1e664020, frintn = 0x1e644020, frinti = 0x1e67c020, frintm = 0x1e654020, frintz = 0x1e65c020;
        const uint frint32z = 0x1e684020;
        Expect(frintx, D(2.5), 0, D(2.0), Ixc);
        Expect(frintx, D(3.0), 0, D(3.0), 0);
        Expect(frinta, D(2.5), 0, D(3.0), 0);
        Expect(frinta, D(-2.5), 0, D(-3.0), 0);
        Expect(frintn, D(-2.5), 0, D(-2.0), 0);
        Expect(frinti, D(2.5), 0, D(2.0), 0, RModeMinus);
        Expect(frinti, D(2.5), 0, D(3.0), 0, RModePlus);
        Expect(frintm, D(-0.5), 0, D(-1.0), 0);
        Expect(frintz, D(-0.5), 0, 0x8000000000000000, 0);
        Expect(frint32z, D(3e9), 0, D(-2147483648.0), Ioc);
        Expect(frint32z, D(-7.9), 0, D(-7.0), Ixc);
    }

    [Fact]
    public void PrecisionConversions()
    {
        const uint fcvtHD = 0x1e63c020, fcvtDH = 0x1ee2c020;
        Expect(fcvtHD, D(1.0), 0, 0x3C00, 0);
        Expect(fcvtHD, D(65520.0), 0, 0x7C00, Ofc | Ixc); // halfway above the largest half: rounds to infinity
        Expect(fcvtHD, D(65504.0), 0, 0x7BFF, 0);
        Expect(fcvtHD, SNaN, 0, 0x7E00 | (0x789UL >> 42), Ioc);
        Expect(fcvtDH, 0x0001, 0, D(Math.Pow(2, -24)), 0); // smallest half denormal, exact in double
        Expect(fcvtDH, 0x7E01, 0, 0x7FF8000000000000 | (1UL << 42), 0); // NaN payload moves to the top
    }

    [Fact]
    public void JavascriptConvertSetsZOnlyWhenExact()
    {
        const uint fjcvtzs = 0x1e7e0020;
        void Js(ulong v, ulong w, ulong nzcv, ulong fpsr) => Run(fjcvtzs, v, 0, 0, h =>
        {
            Assert.Equal(w, h[0]);
            Assert.Equal(nzcv, h.Nzcv);
            Assert.Equal(fpsr, h.Ctx->Fpsr);
        }, nzcv: 0xF0000000);
        Js(D(-3.0), 0xFFFFFFFD, 0x40000000, 0);
        Js(D(2.5), 2, 0, Ixc);
        Js(D(4294967301.0), 5, 0, Ioc); // 2^32 + 5: wraps modulo 2^32
        Js(QNaN1, 0, 0, Ioc);
        Js(0x8000000000000000, 0, 0, 0); // -0.0 is not exact
    }

    [Fact]
    public void ReciprocalEstimateAndStep()
    {
        const uint frecpe = 0x5ee1d820, frecps = 0x5e62fc20;
        Expect(frecpe, D(2.0), 0, 0x3FDFF00000000000, 0); // 511/512 * 2^-1
        Expect(frecpe, 0, 0, 0x7FF0000000000000, Dzc);
        Expect(frecps, D(1.5), D(0.5), D(1.25), 0); // 2 - 1.5*0.5
        Expect(frecps, 0x7FF0000000000000, 0, D(2.0), 0); // inf * 0 gives exactly 2
    }
}
