using Emu.IR;
using Emu.Jit;
using Emu.Tests.Backend;

namespace Emu.Tests.CodeGen;

/// <summary>
/// A region block that sets NZCV and ends in an indirect branch (a comparator's CMP before its RET) computes
/// the flags only where they are observed: on the way out of the region, and on the way into a target that
/// reads them; a target that overwrites them first never needs them.
/// </summary>
public sealed unsafe class IndirectFlagsTests
{
    private const ulong Compare = 0x1000, ReadsFlags = 0x2000, WritesFlags = 0x3000, Outside = 0x9000;

    /// <summary>x1 = x1 - 1 setting NZCV (SUBS x1, x1, #1); BR x2.</summary>
    private static IrBlock CompareBlock()
    {
        var block = new IrBlock(Compare);
        var ir = new IrBuilder(block);
        var x1 = ir.GetReg(1);
        var one = ir.Const(1);
        ir.SetFlags(ir.FlagsSub(x1, one));
        ir.SetReg(1, ir.Sub(x1, one));
        ir.JumpIndirect(ir.GetReg(2));
        return block;
    }

    /// <summary>x3 = EQ holds (CSET x3, EQ); B outside.</summary>
    private static IrBlock ReadsFlagsBlock()
    {
        var block = new IrBlock(ReadsFlags);
        var ir = new IrBuilder(block);
        ir.SetReg(3, ir.CondHolds(ir.GetFlags(), 0));
        ir.Jump(Outside);
        return block;
    }

    /// <summary>TST x4, x4 (x4 is 0: Z set); x5 = 7; B outside.</summary>
    private static IrBlock WritesFlagsBlock()
    {
        var block = new IrBlock(WritesFlags);
        var ir = new IrBuilder(block);
        ir.SetFlags(ir.FlagsLogic(ir.GetReg(4)));
        ir.SetReg(5, ir.Const(7));
        ir.Jump(Outside);
        return block;
    }

    [Theory]
    [InlineData(1UL, ReadsFlags, Outside, 0x6000_0000UL, 1UL, 0UL)] // 1 - 1: Z and C; the target sees EQ
    [InlineData(5UL, ReadsFlags, Outside, 0x2000_0000UL, 0UL, 0UL)] // 5 - 1: C only
    [InlineData(0UL, ReadsFlags, Outside, 0x8000_0000UL, 0UL, 0UL)] // 0 - 1: N, borrow
    [InlineData(5UL, WritesFlags, Outside, 0x4000_0000UL, 0UL, 7UL)] // the target's TST decides
    [InlineData(3UL, 0x7777UL, 0x7777UL, 0x2000_0000UL, 0UL, 0UL)] // not a region block: leaves with 3 - 1's flags
    [InlineData(1UL, 0x7777UL, 0x7777UL, 0x6000_0000UL, 0UL, 0UL)]
    public void FlagsAreRightOnEveryPathOfTheIndirectBranch(ulong x1, ulong target, ulong pcAfter, ulong nzcv, ulong x3, ulong x5)
    {
        IrBlock[] blocks = [CompareBlock(), ReadsFlagsBlock(), WritesFlagsBlock()];
        foreach (var b in blocks) b.Verify();
        var code = IlCompiler.CompileRegion(blocks, [[ReadsFlags, WritesFlags], [], []]);
        Assert.NotNull(code);

        using var m = new IrMachine();
        m.Ctx->X[1] = x1;
        m.Ctx->X[2] = target;
        m.Ctx->X[4] = 0;
        m.Ctx->Nzcv = 0x1000_0000; // V only: no path leaves it
        Assert.Equal(pcAfter, code!(m.Ctx));
        Assert.Equal(x1 - 1, m.Ctx->X[1]);
        Assert.Equal(nzcv, m.Ctx->Nzcv);
        Assert.Equal(x3, m.Ctx->X[3]);
        Assert.Equal(x5, m.Ctx->X[5]);
    }
}
