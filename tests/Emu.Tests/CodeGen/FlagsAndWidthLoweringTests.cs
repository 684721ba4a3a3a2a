using Emu.Tests.Support;

namespace Emu.Tests.CodeGen;

/// <summary>
/// Tier 1 lowerings checked on real instructions in both tiers: NZCV computed lazily (only where read) must
/// still be exact when a later instruction reads it through MRS or a CSEL/CSET in another block, and 32-bit
/// operations must leave their results zero-extended.
/// </summary>
public sealed class FlagsAndWidthLoweringTests
{
    private const ulong FlagN = 1UL << 31, FlagZ = 1UL << 30, FlagC = 1UL << 29;

    [Theory]
    [InlineData(5UL)]
    [InlineData(1UL)]
    public void MrsAfterACountdownLoopSeesTheLastSubtractionsFlags(ulong count)
    {
        // a: SUBS x1, x1, #1; B.NE a; MRS x3, NZCV
        uint[] code = [0xf1000421, 0x54ffffe1, 0xd53b4203];
        CpuTestHarness.RunBothTiers(code, h => h[1] = count, h =>
        {
            Assert.Equal(0UL, h[1]);
            Assert.Equal(FlagZ | FlagC, h[3]); // 1 - 1: zero, no borrow
            Assert.Equal(FlagZ | FlagC, h.Nzcv);
        });
    }

    [Theory]
    [InlineData(3L, 9L)]
    [InlineData(9L, 3L)]
    [InlineData(7L, 7L)]
    [InlineData(-4L, 2L)]
    public void CselAfterABranchUsesTheCompareBeforeIt(long a, long b)
    {
        // CMP x1, x2; B.EQ 1f; ADD x4, x4, #1; 1: CSEL x5, x6, x7, LT
        uint[] code = [0xeb02003f, 0x54000040, 0x91000484, 0x9a87b0c5];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            h[1] = (ulong)a;
            h[2] = (ulong)b;
            h[6] = 0x66;
            h[7] = 0x77;
        }, h =>
        {
            Assert.Equal(a < b ? 0x66UL : 0x77UL, h[5]);
            Assert.Equal(a == b ? 0UL : 1UL, h[4]);
            ulong n = (ulong)(a - b) >> 63 << 31;
            Assert.Equal(n | (a == b ? FlagZ : 0) | ((ulong)a >= (ulong)b ? FlagC : 0), h.Nzcv);
        });
    }

    [Fact]
    public void CarryReadAfterALoopWhoseBranchSkipsAnIncrement()
    {
        // MOV x3, #0; 2: ADDS x1, x1, x2; B.CC 3f; ADD x3, x3, #1; 3: SUBS x4, x4, #1; B.NE 2b; CSET x5, CS
        uint[] code = [0xd2800003, 0xab020021, 0x54000043, 0x91000463, 0xf1000484, 0x54ffff81, 0x9a9f37e5];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            h[1] = 0;
            h[2] = 0x4000_0000_0000_0000; // wraps every 4 additions
            h[4] = 10;
        }, h =>
        {
            Assert.Equal(2UL, h[3]); // additions 4 and 8 carried out
            Assert.Equal(0x8000_0000_0000_0000UL, h[1]);
            Assert.Equal(1UL, h[5]); // the last SUBS (1 - 1) sets C
            Assert.Equal(FlagZ | FlagC, h.Nzcv);
        });
    }

    [Fact]
    public void ThirtyTwoBitResultsAreZeroExtended()
    {
        // ADDS w0, w1, #1; ADD w2, w1, w1; LSR w3, w1, #4; ASR w4, w1, #4; ROR w5, w1, #8; NEG w6, w1; MUL w7, w1, w1
        uint[] code = [0x31000420, 0x0b010022, 0x53047c23, 0x13047c24, 0x13812025, 0x4b0103e6, 0x1b017c27];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            h[1] = 0xdead_beef_8000_0001;
            for (int r = 2; r <= 7; r++) h[r] = ulong.MaxValue;
        }, h =>
        {
            Assert.Equal(0x8000_0002UL, h[0]);
            Assert.Equal(0x0000_0002UL, h[2]);
            Assert.Equal(0x0800_0000UL, h[3]);
            Assert.Equal(0xf800_0000UL, h[4]);
            Assert.Equal(0x0180_0000UL, h[5]);
            Assert.Equal(0x7fff_ffffUL, h[6]);
            Assert.Equal(0x0000_0001UL, h[7]); // (2^31 + 1)^2 mod 2^32
            Assert.Equal(FlagN, h.Nzcv); // 0x80000001 + 1: negative, no carry, no overflow
        });
    }
}
