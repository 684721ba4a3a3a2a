using Emu.IR;
using Emu.Jit;
using Emu.Memory;

namespace Emu.Tests.Tier1;

/// <summary>
/// Which address offsets Tier 1 adds after masking the base (IlCompiler.IsSmallOffset): only those that cannot
/// reach past the guards around the guest reservation (GuestMemory.GuardSize below, UpperGuardSize above). The accesses themselves are
/// checked by the addr_offsets test program, in every back-end mode.
/// </summary>
public class SplitAddressTests
{
    private static readonly IrBuilder Ir = new(new IrBlock(0x1000));

    [Fact]
    public void ConstantsOfEitherSignUpToTheLimit()
    {
        Assert.True(IlCompiler.IsSmallOffset(Ir.Const(-8L)));
        Assert.True(IlCompiler.IsSmallOffset(Ir.Const(32760UL)));
        Assert.True(IlCompiler.IsSmallOffset(Ir.Const(-GuestMemory.MaxUnmaskedOffset)));
        Assert.False(IlCompiler.IsSmallOffset(Ir.Const(GuestMemory.MaxUnmaskedOffset + 1)));
        Assert.False(IlCompiler.IsSmallOffset(Ir.Const(-GuestMemory.MaxUnmaskedOffset - 1)));
    }

    [Fact]
    public void IndexesOfKnownRange()
    {
        var x = Ir.GetReg(3);
        Assert.True(IlCompiler.IsSmallOffset(Ir.Shl(Ir.And(x, Ir.Const(0xFFUL)), Ir.Const(2UL)))); // table[x & 0xff], 4-byte entries
        Assert.True(IlCompiler.IsSmallOffset(Ir.ZeroExtend(x, 16)));
        Assert.True(IlCompiler.IsSmallOffset(Ir.Load(x, 1)));
        Assert.True(IlCompiler.IsSmallOffset(Ir.Lsr(x, Ir.Const(48UL)))); // below 2^16
        Assert.True(IlCompiler.IsSmallOffset(Ir.Add(Ir.ZeroExtend(x, 8), Ir.Const(16UL))));
        // A 32-bit index (UXTW), scaled by up to 4: below 2^34, inside the guard above the space (GuestMemory.UpperGuardSize).
        Assert.True(IlCompiler.IsSmallOffset(Ir.ZeroExtend(x, 32)));
        Assert.True(IlCompiler.IsSmallOffset(Ir.Shl(Ir.ZeroExtend(x, 32), Ir.Const(2UL))));
        Assert.True(IlCompiler.IsSmallOffset(Ir.Load(x, 4)));
        Assert.True(IlCompiler.IsSmallOffset(Ir.Lsr(x, Ir.Const(30UL))));
        Assert.True(GuestMemory.UpperGuardSize > (ulong)GuestMemory.MaxUnmaskedValue + (ulong)GuestMemory.MaxUnmaskedOffset + 16);
    }

    [Fact]
    public void AnythingElseIsMaskedWithTheBase()
    {
        var x = Ir.GetReg(3);
        Assert.False(IlCompiler.IsSmallOffset(x));
        Assert.False(IlCompiler.IsSmallOffset(Ir.ZeroExtend(x, 35))); // 35 bits
        Assert.False(IlCompiler.IsSmallOffset(Ir.Shl(Ir.ZeroExtend(x, 32), Ir.Const(3UL)))); // 8-byte entries: up to 2^35
        Assert.False(IlCompiler.IsSmallOffset(Ir.Load(x, 8)));
        Assert.False(IlCompiler.IsSmallOffset(Ir.Lsr(x, Ir.Const(29UL)))); // up to 2^35
        Assert.False(IlCompiler.IsSmallOffset(Ir.Add(Ir.ZeroExtend(x, 8), Ir.Const(16UL), 32))); // 32-bit: wraps
        Assert.False(IlCompiler.IsSmallOffset(Ir.Sub(Ir.Const(0UL), Ir.ZeroExtend(x, 8)))); // negative
    }
}
