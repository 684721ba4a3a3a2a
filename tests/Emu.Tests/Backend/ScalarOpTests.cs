using Emu.IR;
using static Emu.Tests.Backend.IrTestKit;

namespace Emu.Tests.Backend;

/// <summary>Each scalar op on both tiers, against hand-computed results.</summary>
public class ScalarOpTests
{
    private const ulong N = 0x8000_0000, Z = 0x4000_0000, C = 0x2000_0000, V = 0x1000_0000;

    [Theory]
    [InlineData(5UL, 7UL, 64, N)] // borrow: C clear
    [InlineData(7UL, 7UL, 64, Z | C)]
    [InlineData(7UL, 5UL, 64, C)]
    [InlineData(0x8000_0000_0000_0000UL, 1UL, 64, C | V)]
    [InlineData(0x8000_0000UL, 1UL, 32, C | V)]
    [InlineData(0xFFFF_FFFF_0000_0000UL, 0UL, 32, Z | C)] // upper half ignored
    [InlineData(0UL, 1UL, 32, N)]
    public void FlagsSub(ulong a, ulong b, int size, ulong expected) =>
        Assert.Equal(expected, Eval((ir, x, y) => ir.FlagsSub(x, y, size), a, b));

    [Theory]
    [InlineData(ulong.MaxValue, 1UL, 64, Z | C)]
    [InlineData(0x7FFF_FFFF_FFFF_FFFFUL, 1UL, 64, N | V)]
    [InlineData(0xFFFF_FFFFUL, 1UL, 32, Z | C)]
    [InlineData(0x7FFF_FFFFUL, 1UL, 32, N | V)]
    [InlineData(0x8000_0000UL, 0x8000_0000UL, 32, Z | C | V)]
    [InlineData(2UL, 3UL, 64, 0UL)]
    public void FlagsAdd(ulong a, ulong b, int size, ulong expected) =>
        Assert.Equal(expected, Eval((ir, x, y) => ir.FlagsAdd(x, y, size), a, b));

    [Theory]
    [InlineData(0UL, ulong.MaxValue, 1UL, 64, Z | C)]
    [InlineData(0UL, ulong.MaxValue, 0UL, 64, N)]
    [InlineData(0x7FFF_FFFFUL, 0UL, 1UL, 32, N | V)]
    [InlineData(5UL, 0xFFFF_FFFF_FFFF_FFF9UL, 1UL, 64, N)] // SBC 5 - 6 = -1
    public void FlagsAddCarry(ulong a, ulong b, ulong carry, int size, ulong expected) =>
        Assert.Equal(expected, Eval((ir, x, y, c) => ir.FlagsAddCarry(x, y, c, size), a, b, carry));

    [Theory]
    [InlineData(0x8000_0000UL, 32, N)]
    [InlineData(0x1_0000_0000UL, 32, Z)]
    [InlineData(0x1_0000_0000UL, 64, 0UL)]
    [InlineData(0x8000_0000_0000_0000UL, 64, N)]
    public void FlagsLogic(ulong a, int size, ulong expected) =>
        Assert.Equal(expected, Eval((ir, x) => ir.FlagsLogic(x, size), a));

    [Fact]
    public void ThirtyTwoBitOpsZeroExtend()
    {
        Assert.Equal(0UL, Eval((ir, x, y) => ir.Add(x, y, 32), 0xFFFF_FFFF, 1));
        Assert.Equal(0xFFFF_FFFFUL, Eval((ir, x, y) => ir.Sub(x, y, 32), 0, 1));
        Assert.Equal(0xFFFF_FFFFUL, Eval((ir, x) => ir.Neg(x, 32), 1));
        Assert.Equal(0xFFFF_FFFFUL, Eval((ir, x) => ir.Not(x, 32), 0));
        Assert.Equal(0xF800_0000UL, Eval((ir, x, y) => ir.Asr(x, y, 32), 0x8000_0000, 4));
        Assert.Equal(0xFFFF_FFFEUL, Eval((ir, x, y) => ir.Mul(x, y, 32), 0xFFFF_FFFF, 2));
        Assert.Equal(0x0000_0000_8765_4321UL, Eval((ir, x, y) => ir.Or(x, y, 32), 0xFFFF_FFFF_8765_0000, 0x4321));
        Assert.Equal(0UL, Eval((ir, x, y) => ir.AddCarry(x, y, ir.Const(1), 32), 0xFFFF_FFFE, 1));
        Assert.Equal(3UL, Eval((ir, x, y, c) => ir.AddCarry(x, y, c, 64), 1, 1, 1));
    }

    [Fact]
    public void Division()
    {
        Assert.Equal(0x8000_0000_0000_0000UL, Eval((ir, x, y) => ir.SDiv(x, y), 0x8000_0000_0000_0000, ulong.MaxValue));
        Assert.Equal(0x8000_0000UL, Eval((ir, x, y) => ir.SDiv(x, y, 32), 0x8000_0000, 0xFFFF_FFFF));
        Assert.Equal(unchecked((ulong)-3L), Eval((ir, x, y) => ir.SDiv(x, y), unchecked((ulong)-7L), 2));
        Assert.Equal(0xFFFF_FFFDUL, Eval((ir, x, y) => ir.SDiv(x, y, 32), 0xFFFF_FFF9, 2));
        Assert.Equal(0UL, Eval((ir, x, y) => ir.SDiv(x, y), 5, 0));
        Assert.Equal(0UL, Eval((ir, x, y) => ir.UDiv(x, y), 5, 0));
        Assert.Equal(0UL, Eval((ir, x, y) => ir.UDiv(x, y, 32), 5, 0x1_0000_0000)); // divisor's low word is 0
        Assert.Equal(0x7FFF_FFFFUL, Eval((ir, x, y) => ir.UDiv(x, y, 32), 0xFFFF_FFFF, 2));
        Assert.Equal(0x7FFF_FFFF_FFFF_FFFFUL, Eval((ir, x, y) => ir.UDiv(x, y), ulong.MaxValue, 2));
    }

    [Fact]
    public void MultiplyHigh()
    {
        Assert.Equal(ulong.MaxValue - 1, Eval((ir, x, y) => ir.UMulHigh(x, y), ulong.MaxValue, ulong.MaxValue));
        Assert.Equal(0UL, Eval((ir, x, y) => ir.SMulHigh(x, y), ulong.MaxValue, ulong.MaxValue)); // -1 * -1 = 1
        Assert.Equal(ulong.MaxValue, Eval((ir, x, y) => ir.SMulHigh(x, y), ulong.MaxValue, 5)); // -5
    }

    [Fact]
    public void BitCounting()
    {
        Assert.Equal(64UL, Eval((ir, x) => ir.Clz(x), 0));
        Assert.Equal(32UL, Eval((ir, x) => ir.Clz(x, 32), 0));
        Assert.Equal(31UL, Eval((ir, x) => ir.Clz(x, 32), 0xFFFF_FFFF_0000_0001));
        Assert.Equal(63UL, Eval((ir, x) => ir.Cls(x), 0));
        Assert.Equal(63UL, Eval((ir, x) => ir.Cls(x), ulong.MaxValue));
        Assert.Equal(62UL, Eval((ir, x) => ir.Cls(x), 1));
        Assert.Equal(31UL, Eval((ir, x) => ir.Cls(x, 32), 0xFFFF_FFFF));
        Assert.Equal(0UL, Eval((ir, x) => ir.Cls(x, 32), 0x4000_0000));
    }

    [Fact]
    public void BitAndByteReversal()
    {
        Assert.Equal(0x8000_0000_0000_0000UL, Eval((ir, x) => ir.Rbit(x), 1));
        Assert.Equal(0x8000_0000UL, Eval((ir, x) => ir.Rbit(x, 32), 1));
        Assert.Equal(0x48UL << 56, Eval((ir, x) => ir.Rbit(x), 0x12));
        Assert.Equal(0x0807_0605_0403_0201UL, Eval((ir, x) => ir.Rev(x), 0x0102_0304_0506_0708));
        Assert.Equal(0x0403_0201UL, Eval((ir, x) => ir.Rev(x, 32), 0xFFFF_FFFF_0102_0304));
        Assert.Equal(0x0201_0403_0605_0807UL, Eval((ir, x) => ir.Rev16(x), 0x0102_0304_0506_0708));
        Assert.Equal(0x0201_0403UL, Eval((ir, x) => ir.Rev16(x, 32), 0xAAAA_BBBB_0102_0304));
        Assert.Equal(0x0403_0201_0807_0605UL, Eval((ir, x) => ir.Rev32(x), 0x0102_0304_0506_0708));
    }

    [Fact]
    public void ShiftsTakeTheAmountModuloSize()
    {
        Assert.Equal(0x8000_0000_0000_0000UL, Eval((ir, x, y) => ir.Ror(x, y), 1, 1));
        Assert.Equal(0x8000_0000UL, Eval((ir, x, y) => ir.Ror(x, y, 32), 1, 33));
        Assert.Equal(1UL, Eval((ir, x, y) => ir.Shl(x, y), 1, 64));
        Assert.Equal(2UL, Eval((ir, x, y) => ir.Shl(x, y, 32), 1, 33));
        Assert.Equal(0UL, Eval((ir, x, y) => ir.Shl(x, y, 32), 0x8000_0000, 1));
        Assert.Equal(0x4000_0000UL, Eval((ir, x, y) => ir.Lsr(x, y, 32), 0xFFFF_FFFF_8000_0000, 1));
        Assert.Equal(0xC000_0000_0000_0000UL, Eval((ir, x, y) => ir.Asr(x, y), 0x8000_0000_0000_0000, 65));
        Assert.Equal(0x1234_5678_9ABC_DEF0UL, Eval((ir, x, y) => ir.Ror(x, y), 0x1234_5678_9ABC_DEF0, 128));
    }

    [Fact]
    public void Extensions()
    {
        Assert.Equal(0xFFFF_FFFF_FFFF_FF80UL, Eval((ir, x) => ir.SignExtend(x, 8), 0x1280));
        Assert.Equal(0xFFFF_FFFF_FFFF_8000UL, Eval((ir, x) => ir.SignExtend(x, 16), 0x1_8000));
        Assert.Equal(0xFFFF_FFFF_8000_0000UL, Eval((ir, x) => ir.SignExtend(x, 32), 0x1_8000_0000));
        Assert.Equal(0x7FUL, Eval((ir, x) => ir.SignExtend(x, 8), 0xFF7F));
        Assert.Equal(0x80UL, Eval((ir, x) => ir.ZeroExtend(x, 8), 0xFF80));
        Assert.Equal(0x8000UL, Eval((ir, x) => ir.ZeroExtend(x, 16), 0xFFFF_8000));
        Assert.Equal(0x8000_0000UL, Eval((ir, x) => ir.ZeroExtend(x, 32), 0xFFFF_FFFF_8000_0000));
    }

    [Theory]
    // a, b, size, then Eq Ne ULt ULe UGt UGe SLt SLe SGt SGe as a bit string
    [InlineData(5UL, 7UL, 64, "0111001100")]
    [InlineData(7UL, 7UL, 64, "1001010101")]
    [InlineData(ulong.MaxValue, 1UL, 64, "0100111100")]
    [InlineData(0xFFFF_FFFFUL, 1UL, 32, "0100111100")]
    [InlineData(0x1_0000_0005UL, 5UL, 32, "1001010101")]
    [InlineData(0xFFFF_FFFFUL, 1UL, 64, "0100110011")]
    public void Compare(ulong a, ulong b, int size, string expected)
    {
        for (int k = 0; k < 10; k++)
            Assert.True((ulong)(expected[k] - '0') == Eval((ir, x, y) => ir.Compare(x, y, (IrCompare)k, size), a, b), $"{(IrCompare)k}");
    }

    [Fact]
    public void Select()
    {
        Assert.Equal(11UL, Eval((ir, x, y, z) => ir.Select(x, y, z), 1, 11, 22));
        Assert.Equal(22UL, Eval((ir, x, y, z) => ir.Select(x, y, z), 0, 11, 22));
        Assert.Equal(11UL, Eval((ir, x, y, z) => ir.Select(x, y, z), 0x1_0000_0000, 11, 22));
    }

    // Condition codes EQ NE CS CC MI PL VS VC HI LS GE LT GT LE AL NV, as a bit string per NZCV value.
    [Theory]
    [InlineData(0UL, "0101010101101011")]
    [InlineData(Z | C, "1010010101100111")]
    [InlineData(N, "0101100101010111")]
    [InlineData(N | V, "0101101001101011")]
    [InlineData(C, "0110010110101011")]
    [InlineData(V, "0101011001010111")]
    [InlineData(N | Z | C | V, "1010101001100111")]
    public void CondHoldsForAllConditions(ulong nzcv, string expected)
    {
        for (int cond = 0; cond < 16; cond++)
            Assert.True((ulong)(expected[cond] - '0') == Eval((ir, x) => ir.CondHolds(x, cond), nzcv), $"cond {cond}");
    }

    // The IL compiler turns CondHolds(FlagsSub(a, b)) into a compare; check every condition that way.
    [Theory]
    [InlineData(5UL, 7UL, 64, "0101100101010111")] // 5 - 7: N
    [InlineData(7UL, 7UL, 64, "1010010101100111")] // Z C
    [InlineData(7UL, 5UL, 32, "0110010110101011")] // C
    [InlineData(0x8000_0000UL, 1UL, 32, "0110011010010111")] // C V
    [InlineData(0x1_0000_0000UL, 1UL, 32, "0101100101010111")] // 0 - 1 in 32 bits: N
    [InlineData(1UL, ulong.MaxValue, 64, "0101010101101011")] // 1 - (-1) = 2, borrow: nothing set
    public void CondHoldsOfFlagsSub(ulong a, ulong b, int size, string expected)
    {
        for (int cond = 0; cond < 16; cond++)
            Assert.True((ulong)(expected[cond] - '0') == Eval((ir, x, y) => ir.CondHolds(ir.FlagsSub(x, y, size), cond), a, b), $"cond {cond}");
    }

    [Theory]
    [InlineData(0UL, 64, "1001010101100111")] // Z
    [InlineData(0x8000_0000UL, 32, "0101100101010111")] // N
    [InlineData(0x8000_0000UL, 64, "0101010101101011")] // nothing
    [InlineData(0x1_0000_0000UL, 32, "1001010101100111")] // Z: upper half ignored
    public void CondHoldsOfFlagsLogic(ulong a, int size, string expected)
    {
        for (int cond = 0; cond < 16; cond++)
            Assert.True((ulong)(expected[cond] - '0') == Eval((ir, x) => ir.CondHolds(ir.FlagsLogic(x, size), cond), a), $"cond {cond}");
    }
}
