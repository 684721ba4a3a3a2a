using Emu.Cpu;
using Emu.Tests.Support;

namespace Emu.Tests.SimdFloat;

/// <summary>
/// AdvSIMD floating point on hand-computed cases through both tiers. Vectors are (low 64 bits, high 64 bits)
/// with little-endian lanes; each run sets FPSR from X1 first and ends with MRS X0, FPSR so the exact
/// cumulative flags are checked (IOC=1, DZC=2, OFC=4, UFC=8, IXC=0x10).
/// </summary>
public class SimdFloatTests
{
    private const uint MsrFpsrX1 = 0xd51b4421;
    private const uint MrsX0Fpsr = 0xd53b4420;

    private static void Check(uint word, (int reg, ulong lo, ulong hi)[] inputs, ulong lo, ulong hi, ulong fpsr, ulong initialFpsr = 0)
    {
        CpuTestHarness.RunBothTiers(
            [MsrFpsrX1, word, MrsX0Fpsr],
            h =>
            {
                h[1] = initialFpsr;
                foreach (var (reg, l, u) in inputs) h.SetV(reg, l, u);
            },
            h =>
            {
                Assert.Equal(ExitReason.Breakpoint, h.StopReason);
                Assert.True(h.VLow(0) == lo && h.VHigh(0) == hi,
                    $"0x{word:x8}: V0 = 0x{h.VHigh(0):x16}_{h.VLow(0):x16}, expected 0x{hi:x16}_{lo:x16}");
                Assert.True(h[0] == fpsr, $"0x{word:x8}: FPSR = 0x{h[0]:x}, expected 0x{fpsr:x}");
            });
    }

    [Fact]
    public void FaddFourLanesWithInfinityMinusInfinity() =>
        Check(0x4e22d420, [(1, 0x3f000000_3f800000, 0x7f800000_bf800000), (2, 0x3e800000_40000000, 0xff800000_3f800000)],
            0x3f400000_40400000, 0x7fc00000_00000000, 0x1);

    [Fact]
    public void FmlaDoubleIsFused() =>
        // (1+2^-52)(1-2^-53) - 1 = 2^-53 - 2^-105 exactly (0x3c9ffffffffffffe); an unfused multiply would round the product to 1.0.
        Check(0x4e62cc20, [(0, 0xbff0000000000000, 0), (1, 0x3ff0000000000001, 0), (2, 0x3fefffffffffffff, 0)],
            0x3c9ffffffffffffe, 0, 0);

    [Fact]
    public void FmaxnmPrefersNumbersAndQuietensSignallingNaN() =>
        Check(0x4e22c420, [(1, 0x3f800000_7fc00001, 0x40000000_80000000), (2, 0x7fc00002_3f800000, 0x7f800001_00000000)],
            0x3f800000_3f800000, 0x7fc00001_00000000, 0x1);

    [Fact]
    public void FcmgtIsFalseForNaNAndSignals() =>
        Check(0x6ea2e420, [(1, 0x3f800000_40000000, 0xff800000_7fc00000), (2, 0x3f800000_3f800000, 0xff800000_3f800000)],
            0x00000000_ffffffff, 0, 0x1);

    [Fact]
    public void FcvtzsSaturatesAndRoundsTowardZero() =>
        Check(0x4ea1b820, [(1, 0x4f32d05e_bfc00000, 0xcf32d05e_7fc00000)], 0x7fffffff_ffffffff, 0x80000000_00000000, 0x11);

    [Fact]
    public void FaddpAddsAdjacentPairs() =>
        Check(0x6e22d420, [(1, 0x40000000_3f800000, 0x40800000_40400000), (2, 0x40c00000_40a00000, 0x41000000_40e00000)],
            0x40e00000_40400000, 0x41700000_41300000, 0);

    [Fact]
    public void FmaxvReducesFourLanes() =>
        Check(0x6e30f820, [(0, ulong.MaxValue, ulong.MaxValue), (1, 0xff800000_3f800000, 0x40000000_41000000)], 0x41000000, 0, 0);

    [Fact]
    public void FmulByElementUsesLaneThree() =>
        Check(0x4fa29820, [(1, 0x40000000_3f800000, 0x40800000_40400000), (2, 0, 0x3f000000_00000000)],
            0x3f800000_3f000000, 0x40000000_3fc00000, 0);

    [Fact]
    public void FcvtnNarrowsOverflowToInfinityAndClearsUpperHalf() =>
        Check(0x0e616820, [(0, ulong.MaxValue, ulong.MaxValue), (1, 0x3ff0000000000000, 0x7e37e43c8800759c)], 0x7f800000_3f800000, 0, 0x14);

    [Fact]
    public void FmulxInfinityTimesZeroIsTwo() =>
        Check(0x0e22dc20, [(1, 0xff800000_00000000, 0), (2, 0x00000000_7f800000, 0)], 0xc0000000_40000000, 0, 0);

    [Fact]
    public void ScvtfFixedPointDividesByTwoToTheFbits() =>
        Check(0x0f3ce420, [(1, 0xfffffff8_00000010, 0x12345678)], 0xbf000000_3f800000, 0, 0);

    [Fact]
    public void FaddpScalarAddsTheTwoDoubles() =>
        Check(0x7e70d820, [(1, 0x3ff0000000000000, 0x4000000000000000)], 0x4008000000000000, 0, 0);

    [Fact]
    public void FsqrtOfNegativeIsDefaultNaN() =>
        Check(0x6ee1f820, [(1, 0x4010000000000000, 0xbff0000000000000)], 0x4000000000000000, 0x7ff8000000000000, 0x1);

    // With IXC already set the host fast path is eligible; these check it leaves every other flag exact.
    [Fact]
    public void FastPathKeepsNormalResults() =>
        Check(0x6e62dc20, [(1, 0x3ff8000000000000, 0x4000000000000000), (2, 0x4000000000000000, 0x4010000000000000)],
            0x4008000000000000, 0x4020000000000000, 0x10, initialFpsr: 0x10);

    [Fact]
    public void FastPathStillRaisesOverflow() =>
        Check(0x6e62dc20, [(1, 0x7e37e43c8800759c, 0x4000000000000000), (2, 0x7e37e43c8800759c, 0x4010000000000000)],
            0x7ff0000000000000, 0x4020000000000000, 0x14, initialFpsr: 0x10);

    [Fact]
    public void FastPathStillRaisesUnderflow() =>
        Check(0x6e62dc20, [(1, 0x16687e92154ef7ac, 0x4000000000000000), (2, 0x16687e92154ef7ac, 0x4010000000000000)],
            0, 0x4020000000000000, 0x18, initialFpsr: 0x10);
}
