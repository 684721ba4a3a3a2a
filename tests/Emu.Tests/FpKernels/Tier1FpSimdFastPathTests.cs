using Emu.Cpu;
using Emu.Tests.Support;

namespace Emu.Tests.FpKernels;

/// <summary>
/// The Tier 1 shortcuts for FP/SIMD kernels, through both tiers: the FP fast-path test evaluated once per
/// block (it must be redone after MSR FPCR/FPSR), scalar FP results forwarded between instructions, vector
/// FP helpers that leave the integer registers in host registers, and the host-shuffle pairwise, unzip and
/// narrowing forms. Expected values are worked out by hand from the ARM ARM.
/// </summary>
public unsafe class Tier1FpSimdFastPathTests
{
    private const ulong Ixc = 16, Ufc = 8, RModePlus = 1UL << 22;
    private const ulong One = 0x3ff0000000000000, TwoToMinus60 = 0x3c30000000000000;

    private const uint FaddD4D1D2 = 0x1e622824, MsrFpcrX1 = 0xd51b4401, FaddD0D1D2 = 0x1e622820, MsrFpsrXzr = 0xd51b443f;
    private const uint FmulD3D0D0 = 0x1e600803, FaddS5S6S7 = 0x1e2728c5, FmulD8D5D5 = 0x1e6508a8;
    private const uint AddX5One = 0x910004a5, Fmla4S = 0x4e22cc20;

    private static void Run(uint[] code, Action<CpuTestHarness> setup, Action<CpuTestHarness> check) =>
        CpuTestHarness.RunBothTiers(code, setup, h =>
        {
            Assert.Equal(ExitReason.Breakpoint, h.StopReason);
            check(h);
        });

    [Fact]
    public void RoundingModeWrittenMidBlockAppliesToTheNextOperation()
    {
        // 1 + 2^-60 rounds to 1 to nearest, and up to the next double once FPCR.RMode is +infinity.
        Run([FaddD4D1D2, MsrFpcrX1, FaddD0D1D2], h =>
        {
            h.SetV(1, One, 0);
            h.SetV(2, TwoToMinus60, 0);
            h[1] = RModePlus;
            h.Ctx->Fpsr = Ixc; // the fast path is open at the block's start
        }, h =>
        {
            Assert.Equal(One, h.VLow(4));
            Assert.Equal(One + 1, h.VLow(0));
            Assert.Equal(RModePlus, h.Ctx->Fpcr);
            Assert.Equal(Ixc, h.Ctx->Fpsr);
        });
    }

    [Fact]
    public void InexactFlagClearedMidBlockIsRaisedAgain()
    {
        Run([FaddD4D1D2, MsrFpsrXzr, FaddD0D1D2], h =>
        {
            h.SetV(1, One, 0);
            h.SetV(2, TwoToMinus60, 0);
            h.Ctx->Fpsr = Ixc;
        }, h =>
        {
            Assert.Equal(One, h.VLow(0));
            Assert.Equal(Ixc, h.Ctx->Fpsr);
        });
    }

    [Fact]
    public void ScalarResultsFeedTheNextInstructionBitForBit()
    {
        // d0 = 1.5 + 2.25 = 3.75, d3 = 3.75^2 = 14.0625 (exact: no flags). s5 = 1.5f + 0.25f = 1.75f; d5 is then
        // the zero-extended single (a double subnormal), whose square underflows to +0 with UFC and IXC.
        Run([FaddD0D1D2, FmulD3D0D0, FaddS5S6S7, FmulD8D5D5], h =>
        {
            h.SetV(1, 0x3ff8000000000000, 0x1111);
            h.SetV(2, 0x4002000000000000, 0x2222);
            h.SetV(6, 0x3fc00000, 0x6666);
            h.SetV(7, 0x3e800000, 0x7777);
            h.SetV(8, ulong.MaxValue, ulong.MaxValue);
        }, h =>
        {
            Assert.Equal(0x400e000000000000UL, h.VLow(0));
            Assert.Equal(0UL, h.VHigh(0));
            Assert.Equal(0x402c200000000000UL, h.VLow(3));
            Assert.Equal(0x3fe00000UL, h.VLow(5));
            Assert.Equal(0UL, h.VHigh(5));
            Assert.Equal(0UL, h.VLow(8));
            Assert.Equal(0UL, h.VHigh(8));
            Assert.Equal(Ufc | Ixc, h.Ctx->Fpsr);
        });
    }

    [Fact]
    public void VectorFmlaKeepsIntegerRegistersAcrossTheHelper()
    {
        // 0.25 + 1.5 * 2.0 = 3.25 in every lane; x5 is incremented on both sides of the FMLA.
        Run([AddX5One, Fmla4S, AddX5One], h =>
        {
            h[5] = 10;
            h.SetV(0, 0x3e8000003e800000, 0x3e8000003e800000);
            h.SetV(1, 0x3fc000003fc00000, 0x3fc000003fc00000);
            h.SetV(2, 0x4000000040000000, 0x4000000040000000);
        }, h =>
        {
            Assert.Equal(12UL, h[5]);
            Assert.Equal(0x4050000040500000UL, h.VLow(0));
            Assert.Equal(0x4050000040500000UL, h.VHigh(0));
            Assert.Equal(0UL, h.Ctx->Fpsr);
        });
    }

    /// <summary>
    /// (1 - 2^-24) * 2^-126 lies halfway between the largest subnormal and the smallest normal and rounds (to
    /// even) up to the smallest normal: ARM finds it tiny before rounding, so UFC joins IXC, which the host's
    /// after-rounding test would miss: the vector fast path must not take a smallest-normal result.
    /// </summary>
    [Theory]
    [InlineData(0x6e22dc20u, 0x3f7fffff3f7fffffUL, 0x0080000000800000UL)] // FMUL v0.4s
    [InlineData(0x6e62dc20u, 0x3fefffffffffffffUL, 0x0010000000000000UL)] // FMUL v0.2d: (1 - 2^-53) * 2^-1022
    public void VectorProductRoundedUpToTheSmallestNormalUnderflows(uint word, ulong a, ulong smallestNormal)
    {
        Run([word], h =>
        {
            h.SetV(1, a, a);
            h.SetV(2, smallestNormal, smallestNormal);
            h.Ctx->Fpsr = Ixc;
        }, h =>
        {
            Assert.Equal(smallestNormal, h.VLow(0));
            Assert.Equal(smallestNormal, h.VHigh(0));
            Assert.Equal(Ufc | Ixc, h.Ctx->Fpsr);
        });
    }

    // v1 holds the bytes 0..15; v2 the bytes 10 f0 80 7f 00 00 ff 01 20 21 99 98 01 02 55 aa (unsigned and
    // signed extremes side by side).
    private const ulong V1Low = 0x0706050403020100, V1High = 0x0f0e0d0c0b0a0908;
    private const ulong V2Low = 0x01ff00007f80f010, V2High = 0xaa55020198992120;

    [Theory]
    [InlineData(0x6e22a420u, 0x0f0d0b0907050301UL, 0xaa029921ff0080f0UL)] // UMAXP v0.16b
    [InlineData(0x2e22ac20u, 0x01007f1006040200UL, 0UL)] // UMINP v0.8b: pairs of v1.low then v2.low
    [InlineData(0x4e62bc20u, 0x1c1a14120c0a0402UL, 0xac56b9b901ff6f90UL)] // ADDP v0.8h (wrapping)
    [InlineData(0x4ea2a420u, 0x0f0e0d0c07060504UL, 0xaa5502017f80f010UL)] // SMAXP v0.4s (signed)
    [InlineData(0x4ee2bc20u, 0x161412100e0c0a08UL, 0xac540202181a1130UL)] // ADDP v0.2d
    [InlineData(0x4e021820u, 0x0e0c0a0806040200UL, 0x55019920ff008010UL)] // UZP1 v0.16b
    [InlineData(0x4e425820u, 0x0f0e0b0a07060302UL, 0xaa55989901ff7f80UL)] // UZP2 v0.8h
    [InlineData(0x0f2c8420u, 0xe0d0c0b060504030UL, 0UL)] // SHRN v0.2s, v1.2d, #20
    [InlineData(0x4f2c8420u, 0x1234567890abcdefUL, 0xe0d0c0b060504030UL)] // SHRN2 v0.4s, v1.2d, #20
    [InlineData(0x0f0c8420u, 0xf0d0b09070503010UL, 0UL)] // SHRN v0.8b, v1.8h, #4
    [InlineData(0x0f148420u, 0xf0e0b0a070603020UL, 0UL)] // SHRN v0.4h, v1.4s, #12
    public void PairwiseUnzipAndNarrow(uint word, ulong low, ulong high)
    {
        Run([word], h =>
        {
            h.SetV(0, 0x1234567890abcdef, 0xfedcba0987654321);
            h.SetV(1, V1Low, V1High);
            h.SetV(2, V2Low, V2High);
        }, h =>
        {
            Assert.Equal(low, h.VLow(0));
            Assert.Equal(high, h.VHigh(0));
        });
    }
}
