using Emu.IR;
using Emu.Jit;
using Emu.Tests.Backend;

namespace Emu.Tests.CodeGen;

/// <summary>
/// A region Branch on Select(c, condition, constant) (a B.cond after CCMP, once the flags select is split) is
/// emitted as jumps: on c, then on the condition's compare or straight to the constant's edge. Both constants,
/// both values of c, and the NZCV the exits write back.
/// </summary>
public sealed unsafe class SelectBranchTests
{
    private const ulong Loop = 0x1000, Body = 0x2000, Done = 0x9000;

    /// <summary>CMP x1, #0; CCMP x2, #0, #nzcv, NE; B.EQ Done (else Body).</summary>
    private static IrBlock LoopBlock(ulong nzcv)
    {
        var block = new IrBlock(Loop);
        var ir = new IrBuilder(block);
        var zero = ir.Const(0);
        var c = ir.CondHolds(ir.FlagsSub(ir.GetReg(1), zero), 1); // NE
        var f = ir.FlagsSub(ir.GetReg(2), zero);
        ir.SetFlags(ir.Select(c, f, ir.Const(nzcv)));
        bool eqOnImmediate = (nzcv & 0x4000_0000) != 0;
        ir.Branch(ir.Select(c, ir.CondHolds(f, 0), ir.Const(eqOnImmediate ? 1UL : 0UL)), Done, Body);
        return block;
    }

    /// <summary>x1 -= 1; x2 -= 1; x3 += 1; B Loop.</summary>
    private static IrBlock BodyBlock()
    {
        var block = new IrBlock(Body);
        var ir = new IrBuilder(block);
        ir.SetReg(1, ir.Sub(ir.GetReg(1), ir.Const(1)));
        ir.SetReg(2, ir.Sub(ir.GetReg(2), ir.Const(1)));
        ir.SetReg(3, ir.Add(ir.GetReg(3), ir.Const(1)));
        ir.Jump(Loop);
        return block;
    }

    [Theory]
    // #4 (Z): EQ holds when x1 == 0, so the loop ends at the first zero of x1 or x2.
    [InlineData(0x4000_0000UL, 3UL, 5UL, 3UL, 0x4000_0000UL)]
    [InlineData(0x4000_0000UL, 5UL, 3UL, 3UL, 0x6000_0000UL)]
    [InlineData(0x4000_0000UL, 0UL, 3UL, 0UL, 0x4000_0000UL)]
    // #0: EQ fails when x1 == 0, so only x2 == 0 (with x1 != 0) ends it.
    [InlineData(0UL, 2UL, 5UL, 5UL, 0x6000_0000UL)]
    [InlineData(0UL, 0UL, 3UL, 3UL, 0x6000_0000UL)]
    [InlineData(0UL, 5UL, 3UL, 3UL, 0x6000_0000UL)]
    public void LoopEndsWhereTheSelectedConditionHolds(ulong nzcv, ulong x1, ulong x2, ulong count, ulong nzcvAfter)
    {
        IrBlock[] blocks = [LoopBlock(nzcv), BodyBlock()];
        foreach (var b in blocks) b.Verify();
        var code = IlCompiler.CompileRegion(blocks);
        Assert.NotNull(code);
        using var m = new IrMachine();
        m.Ctx->X[1] = x1;
        m.Ctx->X[2] = x2;
        m.Ctx->X[3] = 0;
        m.Ctx->Nzcv = 0x1000_0000; // V only: the loop block always sets the flags
        // The back edge may leave the region to let the dispatcher in: run on from wherever it stopped.
        ulong pc = code!(m.Ctx);
        for (int guard = 0; pc != Done && guard < 100; guard++)
        {
            Assert.True(pc is Loop or Body, $"left at 0x{pc:x}");
            pc = pc == Loop ? code(m.Ctx) : RunBody(m);
        }
        Assert.Equal(Done, pc);
        Assert.Equal(count, m.Ctx->X[3]);
        Assert.Equal(nzcvAfter, m.Ctx->Nzcv);
    }

    private static ulong RunBody(IrMachine m) => m.Run(BodyBlock(), Tier.Interpreter);
}
