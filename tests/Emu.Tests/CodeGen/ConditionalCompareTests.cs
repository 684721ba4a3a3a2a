using Emu.Tests.Support;

namespace Emu.Tests.CodeGen;

/// <summary>
/// CCMP/CCMN: a B.cond on their flags is lowered to a select between a host compare and the condition on the
/// immediate NZCV, and the NZCV itself is computed only where it is observed (MRS, a later CSET, an exit).
/// </summary>
public sealed class ConditionalCompareTests
{
    [Theory]
    // x1, x2, x6, x7 → loop count x3, NZCV after the loop (x4), CSET HI (x5), CSET CS after CCMN (x6), NZCV after it (x7).
    [InlineData(3UL, 5UL, 0xFFFF_FFFFUL, 0xFFFF_FFFEUL, 3UL, 0x4000_0000UL, 0UL, 1UL, 0x6000_0000UL)] // x1 hits 0: #4 (Z); 2 + -2: Z C
    [InlineData(5UL, 3UL, 0xFFFF_FFFFUL, 0xFFFF_FFFEUL, 3UL, 0x6000_0000UL, 0UL, 0UL, 0x8000_0000UL)] // x2 hits 0: 0 - 0 (Z C); 0 + -2: N
    [InlineData(3UL, 3UL, 5UL, 0UL, 3UL, 0x4000_0000UL, 0UL, 1UL, 0x2000_0000UL)] // 0 > 5 fails: CCMN gives #2 (C)
    [InlineData(0UL, 9UL, 0UL, 0UL, 0UL, 0x4000_0000UL, 0UL, 1UL, 0x2000_0000UL)] // no trip; 0 > 0 fails
    public void LoopOnCcmpAndTheFlagsAfterIt(ulong x1, ulong x2, ulong x6, ulong x7, ulong count, ulong loopNzcv, ulong hi, ulong cs, ulong lastNzcv)
    {
        // 1: CMP x1, #0; CCMP x2, #0, #4, NE; B.EQ 2f; SUB x1, x1, #1; SUB x2, x2, #1; ADD x3, x3, #1; B 1b
        // 2: MRS x4, NZCV; CSET x5, HI; CMP w1, w6; CCMN w2, w7, #2, GT; CSET x6, CS; MRS x7, NZCV
        uint[] code =
        [
            0xf100003f, 0xfa401844, 0x540000a0, 0xd1000421, 0xd1000442, 0x91000463, 0x17fffffa,
            0xd53b4204, 0x9a9f97e5, 0x6b06003f, 0x3a47c042, 0x9a9f37e6, 0xd53b4207,
        ];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            h[1] = x1;
            h[2] = x2;
            h[3] = 0;
            h[6] = x6;
            h[7] = x7;
        }, h =>
        {
            Assert.Equal(count, h[3]);
            Assert.Equal(loopNzcv, h[4]);
            Assert.Equal(hi, h[5]);
            Assert.Equal(cs, h[6]);
            Assert.Equal(lastNzcv, h[7]);
            Assert.Equal(lastNzcv, h.Nzcv);
        });
    }
    [Theory]
    [InlineData(0UL, 3UL, 3UL)] // x1 == 0 first: the CCMP's #0 (EQ fails) keeps the loop going
    [InlineData(5UL, 3UL, 3UL)]
    [InlineData(2UL, 5UL, 5UL)] // x1 passes 0 on the way
    public void BranchOnCcmpWhoseImmediateFlagsFailTheCondition(ulong x1, ulong x2, ulong count)
    {
        // 1: CMP x1, #0; CCMP x2, #0, #0, NE; B.EQ 2f; SUB x1, x1, #1; SUB x2, x2, #1; ADD x3, x3, #1; B 1b; 2: MRS x4, NZCV
        uint[] code = [0xf100003f, 0xfa401840, 0x540000a0, 0xd1000421, 0xd1000442, 0x91000463, 0x17fffffa, 0xd53b4204];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            h[1] = x1;
            h[2] = x2;
            h[3] = 0;
        }, h =>
        {
            Assert.Equal(count, h[3]);
            Assert.Equal(0x6000_0000UL, h[4]); // x2 - 0 with x2 == 0: Z C
        });
    }
}
