using Emu.IR;
using Emu.Jit;
using Emu.Tests.Backend;

namespace Emu.Tests.CodeGen;

/// <summary>
/// A region block whose flags are live on an edge only because a later exit may observe them (a jump table's
/// bounds check before the BR) passes them on lazily: the flags op's kind and operands in locals, computed
/// when an exit writes NZCV back. Every path out must see the NZCV the last flag-setting instruction produced.
/// </summary>
public sealed unsafe class LazyFlagsTests
{
    private const ulong Check = 0x1000, Dispatch = 0x2000, SetsFlags = 0x3000, Leaves = 0x4000, Outside = 0x9000, NotTaken = 0x9100;

    /// <summary>Flags op (kind) of x1 and 7 at the given width; B.NE dispatch, else leave for NotTaken.</summary>
    private static IrBlock CheckBlock(string kind, int size)
    {
        var block = new IrBlock(Check);
        var ir = new IrBuilder(block);
        var x1 = ir.GetReg(1);
        var seven = ir.Const(7);
        var flags = kind switch
        {
            "sub" => ir.FlagsSub(x1, seven, size),
            "add" => ir.FlagsAdd(x1, seven, size),
            _ => ir.FlagsLogic(x1, size),
        };
        ir.SetFlags(flags);
        ir.Branch(ir.CondHolds(flags, 1), Dispatch, NotTaken);
        return block;
    }

    /// <summary>x3 = x3 + 1; BR x2 (no flags touched).</summary>
    private static IrBlock DispatchBlock()
    {
        var block = new IrBlock(Dispatch);
        var ir = new IrBuilder(block);
        ir.SetReg(3, ir.Add(ir.GetReg(3), ir.Const(1)));
        ir.JumpIndirect(ir.GetReg(2));
        return block;
    }

    /// <summary>TST x4, x4 (x4 = 0: Z); x2 = Leaves; then out (x6 != 0) or back to the check.</summary>
    private static IrBlock SetsFlagsBlock()
    {
        var block = new IrBlock(SetsFlags);
        var ir = new IrBuilder(block);
        ir.SetFlags(ir.FlagsLogic(ir.GetReg(4)));
        ir.SetReg(2, ir.Const(Leaves));
        ir.Branch(ir.Compare(ir.GetReg(6), ir.Const(0), IrCompare.Ne), Outside, Check);
        return block;
    }

    /// <summary>x5 = 7; B outside (the flags stay the check's).</summary>
    private static IrBlock LeavesBlock()
    {
        var block = new IrBlock(Leaves);
        var ir = new IrBuilder(block);
        ir.SetReg(5, ir.Const(7));
        ir.Jump(Outside);
        return block;
    }

    // x1 = 0xFFFF_FFFF_0000_0005 with 7: NZCV worked out by hand (N=bit31, Z=30, C=29, V=28).
    [Theory]
    [InlineData("sub", 32, 0x8000_0000UL)] // 5 - 7: negative, borrow
    [InlineData("sub", 64, 0xA000_0000UL)] // 0xFFFFFFFF00000005 - 7: negative, no borrow
    [InlineData("add", 32, 0x0000_0000UL)] // 5 + 7 = 12
    [InlineData("add", 64, 0x8000_0000UL)] // 0xFFFFFFFF0000000C: negative, no carry
    [InlineData("logic", 32, 0x0000_0000UL)] // 5
    [InlineData("logic", 64, 0x8000_0000UL)] // bit 63 set
    public void EveryExitSeesTheLastFlags(string kind, int size, ulong checkNzcv)
    {
        const ulong x1 = 0xFFFF_FFFF_0000_0005;
        // x2 and x6 choose the path; then the PC, NZCV and x5 after it.
        (ulong X2, ulong X6, ulong Pc, ulong Nzcv, ulong X5)[] paths =
        [
            (Leaves, 0, Outside, checkNzcv, 7), // check, dispatch, leaves: the check's lazy flags
            (0x7777, 0, 0x7777, checkNzcv, 0), // check, dispatch, BR out of the region
            (SetsFlags, 1, Outside, 0x4000_0000, 0), // check, dispatch, TST, out: Z only
            (SetsFlags, 0, Outside, checkNzcv, 7), // ... TST, back to the check, dispatch, leaves
        ];
        foreach (var (x2, x6, pc, nzcv, x5) in paths)
        {
            IrBlock[] blocks = [CheckBlock(kind, size), DispatchBlock(), SetsFlagsBlock(), LeavesBlock()];
            foreach (var b in blocks) b.Verify();
            var code = IlCompiler.CompileRegion(blocks, [[], [SetsFlags, Leaves, 0x5000, 0x6000], [], []]);
            Assert.NotNull(code);
            using var m = new IrMachine();
            m.Ctx->X[1] = x1;
            m.Ctx->X[2] = x2;
            m.Ctx->X[4] = 0;
            m.Ctx->X[6] = x6;
            m.Ctx->Nzcv = 0x1000_0000; // V only: every path sets the flags
            Assert.Equal(pc, code!(m.Ctx));
            Assert.Equal(nzcv, m.Ctx->Nzcv);
            Assert.Equal(x5, m.Ctx->X[5]);
        }
    }
}
