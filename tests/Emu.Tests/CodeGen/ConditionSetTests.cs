using Emu.Tests.Support;

namespace Emu.Tests.CodeGen;

/// <summary>
/// CSET (CSINC of the zero register: a select of 0 and 1) folds to the inverted condition itself; the
/// results must be the condition's 0/1 in both tiers, and CSETM (not folded) its 0/all ones.
/// </summary>
public sealed class ConditionSetTests
{
    [Theory]
    [InlineData(3L, 9L)]
    [InlineData(9L, 3L)]
    [InlineData(7L, 7L)]
    [InlineData(-4L, 2L)]
    [InlineData(2L, -4L)]
    public void CsetAfterCmp(long a, long b)
    {
        // CMP x1, x2; CSET x3, GT; CSET x4, LT; CSET w5, EQ; CSET x6, HS; CSETM x7, NE; CSET x8, PL
        uint[] code = [0xeb02003f, 0x9a9fd7e3, 0x9a9fa7e4, 0x1a9f17e5, 0x9a9f37e6, 0xda9f03e7, 0x9a9f47e8];
        ulong B(bool v) => v ? 1UL : 0UL;
        ulong[] expected =
        [
            B(a > b), B(a < b), B(a == b), B((ulong)a >= (ulong)b), a != b ? ulong.MaxValue : 0,
            B(unchecked(a - b) >= 0),
        ];
        CpuTestHarness.RunWithResultRegisters(code, (ulong)a, (ulong)b, expected);
    }
}
