using Emu.Cpu;
using Emu.Tests.Support;

namespace Emu.Tests.Simd;

/// <summary>
/// AdvSIMD integer instructions on small hand-computed cases through both tiers. Vectors are given as
/// (low 64 bits, high 64 bits) with little-endian lanes. Where saturation matters, the code ends with
/// MRS X0, FPSR so the tests see FPSR.QC (bit 27).
/// </summary>
public class SimdIntegerTests
{
    private const uint MrsX0Fpsr = 0xd53b4420;
    private const ulong Qc = 1UL << 27;

    /// <summary>Runs one instruction (then MRS X0, FPSR) with V registers preset; checks Vd and QC.</summary>
    private static void Check(uint word, (int reg, ulong lo, ulong hi)[] inputs, int rd, ulong lo, ulong hi, bool qc)
    {
        CpuTestHarness.RunBothTiers(
            [word, MrsX0Fpsr],
            h =>
            {
                foreach (var (reg, l, u) in inputs) h.SetV(reg, l, u);
            },
            h =>
            {
                Assert.Equal(ExitReason.Breakpoint, h.StopReason);
                Assert.True(h.VLow(rd) == lo && h.VHigh(rd) == hi,
                    $"0x{word:x8}: V{rd} = 0x{h.VHigh(rd):x16}_{h.VLow(rd):x16}, expected 0x{hi:x16}_{lo:x16}");
                Assert.True((h[0] & Qc) != 0 == qc, $"0x{word:x8}: FPSR = 0x{h[0]:x}, QC expected {qc}");
            });
    }

    [Fact]
    public void MulVector4S() =>
        Check(0x4ea29c20, [(1, 0x00000003_00000002, 0x00010000_ffffffff), (2, 0x00000007_00000005, 0x00010000_00000002)],
            0, 0x00000015_0000000a, 0x00000000_fffffffe, false);

    [Fact]
    public void MulByElement8H() =>
        Check(0x4f528820, [(1, 0x0004_0003_0002_0001, 0x0007_0064_ffff_8000), (2, 0x7777777777777777, 0x9999_9999_0003_9999)],
            0, 0x000c_0009_0006_0003, 0x0015_012c_fffd_8000, false);

    [Fact]
    public void UmlalUsesLowHalvesAndAccumulates() =>
        Check(0x2ea18004, [(4, 1, 2), (0, 0x00000003_ffffffff, 0x5555555555555555), (1, 0x00000004_ffffffff, 0xaaaaaaaaaaaaaaaa)],
            4, 0xfffffffe00000002, 14, false);

    [Fact]
    public void Smull2UsesUpperHalves() =>
        Check(0x4e62c020, [(1, 0x1234567812345678, 0x0002_ffff_7fff_8000), (2, 0x1111111111111111, 0x0003_ffff_8000_8000)],
            0, 0xc0008000_40000000, 0x00000006_00000001, false);

    [Fact]
    public void UaddlpSumsBytePairs() =>
        Check(0x6e2028a6, [(5, 0x0102030405060708, 0xffffffffffffffff)], 6, 0x0003_0007_000b_000f, 0x01fe01fe01fe01fe, false);

    [Fact]
    public void SqaddSaturatesAndSetsQc() =>
        Check(0x4e220c20, [(1, 0x7f7f7f7f7f7f7f7f, 0x1010101010101090), (2, 0x0101010101010101, 0x0101010101010190)],
            0, 0x7f7f7f7f7f7f7f7f, 0x1111111111111180, true);

    [Fact]
    public void SqaddWithoutOverflowLeavesQcClear() =>
        Check(0x4e220c20, [(1, 0x1010101010101010, 0x80), (2, 0x0101010101010101, 0x7f)], 0, 0x1111111111111111, 0xff, false);

    [Fact]
    public void Sqadd64BitFormIgnoresUpperHalf() =>
        // SQADD V0.8B: the upper halves would saturate but are not part of the operation.
        Check(0x0e220c20, [(1, 0x0102030405060708, 0x7f7f7f7f7f7f7f7f), (2, 0x0101010101010101, 0x7f7f7f7f7f7f7f7f)],
            0, 0x0203040506070809, 0, false);

    [Fact]
    public void SqaddScalarByteClearsOtherLanes() =>
        Check(0x5e220c20, [(1, 0x7f7f7f7f7f7f7f7f, 0x7f7f7f7f7f7f7f7f), (2, 0x0101010101010101, 0x0101010101010101)], 0, 0x7f, 0, true);

    [Fact]
    public void UqsubClampsAtZero() =>
        Check(0x6e622c20, [(1, 0x0007_0005, 0), (2, 0x0005_0007, 0)], 0, 0x0002_0000, 0, true);

    [Fact]
    public void SqdmulhDoublesAndSaturates() =>
        Check(0x4ea2b420, [(1, 0x40000000_80000000, 0x00000000_ffffffff), (2, 0x40000000_80000000, 0x00000000_00000001)],
            0, 0x20000000_7fffffff, 0x00000000_ffffffff, true);

    [Fact]
    public void SqrdmlahRoundsAccumulatesAndSaturates() =>
        Check(0x6e428420, [(0, 0x0000_0000_0001_7fff, 0), (1, 0x0000_8000_4000_7fff, 0), (2, 0x0000_8000_4000_7fff, 0)],
            0, 0x0000_7fff_2001_7fff, 0, true);

    [Fact]
    public void SrshrRoundsToNearest() =>
        Check(0x4f3c2420, [(1, 0xfffffff8_00000017, 0x7fffffff_fffffff7)], 0, 0x00000000_00000001, 0x08000000_ffffffff, false);

    [Fact]
    public void UqshlImmediateSaturates() =>
        Check(0x6f247420, [(1, 0x10000000_0fffffff, 0x00000000_00000001)], 0, 0xffffffff_fffffff0, 0x00000000_00000010, true);

    [Fact]
    public void SqxtnNarrowsWithSaturation() =>
        Check(0x0e214820, [(0, 0x1111111111111111, 0x2222222222222222), (1, 0xff80_0012_ff00_0100, 0x8000_ffff_0080_007f)],
            0, 0x80ff7f7f8012807f, 0, true);

    [Fact]
    public void Sqxtn2KeepsLowerHalf() =>
        Check(0x4e214820, [(0, 0x1111111111111111, 0x2222222222222222), (1, 0xff80_0012_ff00_0100, 0x8000_ffff_0080_007f)],
            0, 0x1111111111111111, 0x80ff7f7f8012807f, true);

    [Fact]
    public void SqshrunClampsNegativeAndLarge() =>
        Check(0x2f188420, [(1, 0xffffff00_00012345, 0x000000ff_7fffffff)], 0, 0x0000_ffff_0000_0123, 0, true);

    [Fact]
    public void SliKeepsLowBits() =>
        Check(0x6f485420, [(0, 0x1122334455667788, 0xaaaaaaaaaaaaaaaa), (1, 0x0102030405060708, 0xffffffffffffffff)],
            0, 0x0203040506070888, 0xffffffffffffffaa, false);

    [Fact]
    public void SriKeepsHighBits() =>
        Check(0x6f784420, [(0, 0x1122334455667788, 0xaaaaaaaaaaaaaaaa), (1, 0x0102030405060708, 0xffffffffffffffff)],
            0, 0x1101020304050607, 0xaaffffffffffffff, false);

    [Theory]
    [InlineData(0x12345678000000ffUL, 0x4000000000000000UL)] // low byte -1: shift right by one
    [InlineData(0x40UL, 0UL)] // 64: everything shifted out
    [InlineData(0x3fUL, 0x8000000000000000UL)]
    public void UshlScalarUsesSignedLowByte(ulong shift, ulong expected) =>
        Check(0x7ee24420, [(1, 0x8000000000000001, 0xffff), (2, shift, 0)], 0, expected, 0, false);

    [Fact]
    public void SdotAddsFourProductsPerLane() =>
        Check(0x4e829420, [(0, 0x00000000_0000000a, 0x00000005_ffffffff), (1, 0x80808080_04030201, 0x00000000_7f7f7f7f), (2, 0x80808080_04fd02ff, 0x12345678_80808080)],
            0, 0x00010000_00000014, 0x00000005_ffff01ff, false);

    [Fact]
    public void ClzPerWord() =>
        Check(0x6ea04820, [(1, 0x00000001_00000000, 0x00010000_80000000)], 0, 0x0000001f_00000020, 0x0000000f_00000000, false);

    [Fact]
    public void ClsPerHalfword() =>
        Check(0x4e604820, [(1, 0x7fff_8000_ffff_0000, 0xc000_4000_fffe_0001)], 0, 0x0000_0000_000f_000f, 0x0001_0000_000e_000e, false);

    [Fact]
    public void RbitReversesEachByte() =>
        Check(0x2e605820, [(1, 0x03ff0012a50f8001, 0xdeadbeef)], 0, 0xc0ff0048a5f00180, 0, false);

    [Fact]
    public void PmulIsCarrylessModulo256() =>
        Check(0x6e229c20, [(1, 0x0000000000ff8003, 1), (2, 0x0000000000ff0203, 7)], 0, 0x0000000000550005, 7, false);

    [Fact]
    public void AddhnTakesHighHalves() =>
        Check(0x0e624020, [(1, 0xffffffff_12345678, 0x7fff7fff_00008000), (2, 0x00000001_00008000, 0x00008001_00000000)],
            0, 0x8000_0000_0000_1234, 0, false);

    [Fact]
    public void RaddhnRounds() =>
        Check(0x2e624020, [(1, 0xffffffff_12345678, 0x7fff7fff_00008000), (2, 0x00000001_00008000, 0x00008001_00000000)],
            0, 0x8000_0001_0000_1235, 0, false);

    [Fact]
    public void UrecpeEstimates() =>
        Check(0x0ea1c820, [(1, 0xffffffff_80000000, 0x7fffffff)], 0, 0x80000000_ff800000, 0, false);

    [Fact]
    public void UabdPerByte() =>
        Check(0x6e227420, [(1, 0x0003, 0), (2, 0xfffa, 0)], 0, 0xfff7, 0, false);

    [Fact]
    public void SqnegSaturatesMostNegative() =>
        Check(0x6ee07820, [(1, 0x8000000000000000, 5)], 0, 0x7fffffffffffffff, 0xfffffffffffffffb, true);

    [Fact]
    public void SuqaddAddsUnsignedToSigned() =>
        Check(0x4ea03820, [(0, 0xffffffff_7ffffff0, 0x00000000_80000000), (1, 0xffffffff_00000020, 0x00000007_00000010)],
            0, 0x7fffffff_7fffffff, 0x00000007_80000010, true);

    [Fact]
    public void UrhaddRoundsUp() =>
        Check(0x6e221420, [(1, 0x1000feff, 0xffffffffffffffff), (2, 0x1100ff01, 0)], 0, 0x1100ff80, 0x8080808080808080, false);

    [Fact]
    public void ShaddFloorsSignedSum() =>
        Check(0x4e620420, [(1, 0x0003_ffff_7fff_8000, 0), (2, 0x0004_0000_7fff_ffff, 0)], 0, 0x0003_ffff_7fff_bfff, 0, false);

    [Fact]
    public void SrhaddDoesNotOverflow() =>
        Check(0x4ea21420, [(1, 0xffffffff_7fffffff, 0x00000005_80000000), (2, 0x00000000_7fffffff, 0x00000006_80000000)],
            0, 0x00000000_7fffffff, 0x00000006_80000000, false);

    [Fact]
    public void Uhadd64BitForm() =>
        Check(0x2e220420, [(1, 0xffffffffffffffff, 0x1234), (2, 0xffffffffffffffff, 0x5678)], 0, 0xffffffffffffffff, 0, false);

    [Fact]
    public void SshlNegativeCountIsArithmeticRightShift() =>
        Check(0x4ee24420, [(1, 0x8000000000000000, 1), (2, 0xc1, 0x3f)], 0, 0xffffffffffffffff, 0x8000000000000000, false);

    [Fact]
    public void UshlCountsOutOfRangeGiveZero() =>
        Check(0x6ea24420, [(1, 0xffffffff_80000000, 0x12345678_00000001), (2, 0x00000020_000000ff, 0xffffff80_0000001f)],
            0, 0x00000000_40000000, 0x00000000_80000000, false);

    [Theory]
    [InlineData(0x4ee29c20u)] // MUL V0.2D: no 64-bit lanes
    [InlineData(0x0ee20c20u)] // SQADD V0.1D: 64-bit lanes need Q
    [InlineData(0x6e229c20u | (1u << 22))] // PMUL with 16-bit lanes
    [InlineData(0x4f028820u | (3u << 22))] // MUL by element, 64-bit lanes
    public void ReservedEncodingsAreUndefined(uint word)
    {
        CpuTestHarness.RunBothTiers([word], _ => { }, h =>
        {
            Assert.Equal(ExitReason.Undefined, h.StopReason);
            Assert.Equal(CpuTestHarness.CodeBase, h.StopPc);
        });
    }
}
