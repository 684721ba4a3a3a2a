using Emu.Cpu;
using Emu.Loader;
using Emu.Tests.Support;

namespace Emu.Tests.SimdFloat;

/// <summary>
/// AdvSIMD FP16, FHM, FRINT32/64 (vector) and BF16 on hand-computed cases through both tiers. Vectors are
/// (low 64 bits, high 64 bits) with little-endian lanes. Each run sets FPCR from X2 and FPSR from X1, runs
/// the instruction and ends with MRS X0, FPSR (IOC=1, OFC=4, UFC=8, IXC=0x10, IDC=0x80).
/// </summary>
public class HalfPrecisionTests
{
    private const uint MsrFpcrX2 = 0xd51b4402;
    private const uint MsrFpsrX1 = 0xd51b4421;
    private const uint MrsX0Fpsr = 0xd53b4420;
    private const ulong Fz16 = 1UL << 19, RoundUp = 1UL << 22, RoundDown = 2UL << 22, Fz = 1UL << 24, Ahp = 1UL << 26;

    private static void Check(uint word, (int reg, ulong lo, ulong hi)[] inputs, ulong lo, ulong hi, ulong fpsr, ulong fpcr = 0)
    {
        CpuTestHarness.RunBothTiers(
            [MsrFpcrX2, MsrFpsrX1, word, MrsX0Fpsr],
            h =>
            {
                h[1] = 0;
                h[2] = fpcr;
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

    private const uint FaddH8 = 0x4e421420; // fadd v0.8h, v1.8h, v2.8h

    // 1+2 = 3; max+max overflows; inf + -inf is invalid; the smallest denormals add exactly.
    private static readonly (int, ulong, ulong)[] s_faddInputs = [(1, 0x0001_7c00_7bff_3c00, 0), (2, 0x0001_fc00_7bff_4000, 0)];

    [Fact]
    public void FaddHalfLanesOverflowInvalidAndDenormal() =>
        Check(FaddH8, s_faddInputs, 0x0002_7e00_7c00_4200, 0, 0x15);

    [Fact]
    public void Fz16FlushesHalfDenormalsWithoutIdc() =>
        Check(FaddH8, s_faddInputs, 0x0000_7e00_7c00_4200, 0, 0x15, Fz16);

    [Fact]
    public void AhpDoesNotChangeHalfArithmetic() =>
        Check(FaddH8, s_faddInputs, 0x0002_7e00_7c00_4200, 0, 0x15, Ahp);

    // d = [1, 0, 0, -inf], n = [2, 2^-24, sNaN, 1], m = [3, 2^-24, 1, inf]: 7, 2^-48 (exact in single),
    // the quietened half sNaN widened to single, -inf + inf = default NaN.
    private static readonly (int, ulong, ulong)[] s_fmlalInputs =
        [(0, 0x00000000_3f800000, 0xff800000_00000000), (1, 0x3c00_7c01_0001_4000, 0), (2, 0x7c00_3c00_0001_4200, 0)];

    [Fact]
    public void FmlalWidensHalfProductsIntoSingles() =>
        Check(0x4e22ec20, s_fmlalInputs, 0x27800000_40e00000, 0x7fc00000_7fc02000, 0x1);

    [Fact]
    public void FmlalFlushesHalfDenormalsUnderFz16() =>
        Check(0x4e22ec20, s_fmlalInputs, 0x00000000_40e00000, 0x7fc00000_7fc02000, 0x1, Fz16);

    [Fact]
    public void Fmlsl2NegatesTheUpperHalfLanes() =>
        // n upper = [1, 2, 0, 0], m upper = [3, 0.5, 0, 0]; the lower lanes hold signalling NaNs that must not be read.
        Check(0x6ea2cc20, [(0, 0, 0), (1, 0x7c01_7c01_7c01_7c01, 0x0000_0000_4000_3c00), (2, 0x7c01_7c01_7c01_7c01, 0x0000_0000_3800_4200)],
            0xbf800000_c0400000, 0, 0);

    [Fact]
    public void FmlalByElementUsesHalfSixOfV15() =>
        Check(0x0faf0820, [(0, 0x00000000_3f000000, ulong.MaxValue), (1, 0x0000_0000_bc00_3c00, 0), (15, 0, 0x0000_4200_0000_0000)],
            0xc0400000_40600000, 0, 0);

    [Theory]
    [InlineData(0x3f808000UL, 0UL, 0x3f80UL, 0x10UL)] // exactly half way: ties to even
    [InlineData(0x3f808000UL, RoundUp, 0x3f81UL, 0x10UL)]
    [InlineData(0x7f7fffffUL, 0UL, 0x7f80UL, 0x14UL)] // rounds up past the largest BFloat16: overflow
    [InlineData(0x7f7fffffUL, RoundDown, 0x7f7fUL, 0x10UL)]
    [InlineData(0x00000001UL, 0UL, 0x0000UL, 0x18UL)] // tiny and inexact: underflow
    [InlineData(0x00000001UL, Fz, 0x0000UL, 0x80UL)] // flushed input: IDC only
    [InlineData(0xff800001UL, 0UL, 0xffc0UL, 0x01UL)] // signalling NaN quietened
    public void BfcvtRoundsByFpcr(ulong single, ulong fpcr, ulong expected, ulong fpsr) =>
        Check(0x1e634020, [(0, ulong.MaxValue, ulong.MaxValue), (1, single, 0)], expected, 0, fpsr, fpcr);

    [Fact]
    public void Bfcvtn2KeepsTheLowHalf() =>
        Check(0x4ea16820, [(0, 0x1234567890abcdef, ulong.MaxValue), (1, 0x40490fdb_3f800000, 0x7f800001_ff800000)],
            0x1234567890abcdef, 0x7fc0_ff80_4049_3f80, 0x11);

    [Fact]
    public void BfdotRoundsToOddFlushesAndOverflowsToInfinityWithoutFlags() =>
        // lane 0: 1 + (1*3 + 2*0.5) = 5; lane 1: 1 + 2^-30 rounds to odd; lane 2: denormal addend flushed;
        // lane 3: max + max overflows to infinity (round to odd alone would give max).
        Check(0x6e42fc20,
            [(0, 0x3f800000_3f800000, 0x7f7fffff_00000001), (1, 0x0000_3080_4000_3f80, 0x0000_7f7f_0000_0000),
             (2, 0x0000_3f80_3f00_4040, 0x0000_3f80_0000_0000)],
            0x3f800001_40a00000, 0x7f800000_00000000, 0);

    [Fact]
    public void BfmlalbIsAFusedSingleMultiplyAddWithFpcrRounding() =>
        // 1 + 1 * 2^-30 rounds to nearest (1.0, IXC), unlike BFDOT; the odd lanes (signalling NaNs) are not read.
        Check(0x2ec2fc20, [(0, 0x3f800000, 0), (1, 0x7f81_0000_7f81_3f80, 0x7f81_0000_7f81_0000), (2, 0x3080, 0)],
            0x3f800000, 0, 0x10);

    [Fact]
    public void Frint32zSaturatesToTheMostNegativeInt32() =>
        Check(0x4e21e820, [(1, 0xc0200000_3fc00000, 0x7fc00000_4f000000)], 0xc0000000_3f800000, 0xcf000000_cf000000, 0x11);

    [Fact]
    public void Frint64xUsesTheFpcrRoundingMode() =>
        Check(0x6e61f820, [(1, 0xc004000000000000, 0x43e0000000000000)], 0xc008000000000000, 0xc3e0000000000000, 0x11, RoundDown);

    [Fact]
    public void FmaxnmvIgnoresQuietNaNs() =>
        Check(0x4e30c820, [(1, 0x4000_fc00_7e00_3c00, 0x7e00_4400_bc00_0001)], 0x4400, 0, 0);

    [Fact]
    public void FcvtzsScalarFixedHalfIsSixteenBitsWide() =>
        // -1023 * 2^-24 * 2^16 = -3.996 truncates to -3 (0xfffd); bits above the H register are zero.
        Check(0x5f10fc20, [(0, ulong.MaxValue, ulong.MaxValue), (1, 0x83ff, 0)], 0xfffd, 0, 0x10);

    [Fact]
    public void FmovHalfImmediateFillsEveryLane() =>
        Check(0x4f07ffe0, [(0, 0, 0)], 0xbfc0_bfc0_bfc0_bfc0, 0xbfc0_bfc0_bfc0_bfc0, 0);

    [Fact]
    public void FcvtzsHalfLanesSaturateToInt16() =>
        Check(0x4ef9b820, [(1, 0xfc00_5640_be00_7bff, 0x0000_0000_0000_7e00)], 0x8000_0064_ffff_7fff, 0, 0x11);

    [Fact]
    public void FmulByElementUsesHalfSevenOfV15() =>
        Check(0x4f3f9820, [(1, 0x0001_7bff_c200_3c00, 0), (15, 0x1111_1111_1111_1111, 0x4000_3c00_3c00_3c00)],
            0x0002_7c00_c600_4000, 0, 0x14);

    [Fact]
    public void ScvtfReadsSignedSixteenBitLanes() =>
        Check(0x0e79d820, [(1, 0x8000_7fff_0001_fffe, 0x1234_5678_9abc_def0)], 0xf800_7800_3c00_c000, 0, 0x10);

    [Fact]
    public void FaddpScalarAddsTheTwoLowHalves() =>
        Check(0x5e30d820, [(1, 0x7e00_7e00_3c00_3c00, ulong.MaxValue)], 0x4000, 0, 0);

    [Fact]
    public void HwCapsAdvertiseHalfFhmFrintAndBf16()
    {
        ulong hp = HwCaps.HWCAP_FPHP | HwCaps.HWCAP_ASIMDHP | HwCaps.HWCAP_ASIMDFHM;
        Assert.Equal(hp, HwCaps.DefaultHwCap & hp);
        ulong hp2 = HwCaps.HWCAP2_FRINT | HwCaps.HWCAP2_BF16;
        Assert.Equal(hp2, HwCaps.DefaultHwCap2 & hp2);
    }

    [Fact]
    public void IdRegistersReportTheSameFeatures()
    {
        // mrs x3, id_aa64isar0_el1; mrs x4, id_aa64isar1_el1
        CpuTestHarness.RunBothTiers([0xd5380603, 0xd5380624], _ => { }, h =>
        {
            Assert.Equal(1UL, (h[3] >> 48) & 15); // FHM
            Assert.Equal(1UL, (h[4] >> 32) & 15); // FRINTTS
            Assert.Equal(1UL, (h[4] >> 44) & 15); // BF16
        });
    }
}
