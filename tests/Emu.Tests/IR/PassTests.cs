using Emu.Cpu;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Tests.Backend;

namespace Emu.Tests.IR;

/// <summary>What each optimization pass removes or rewrites, and that the result still computes the same.</summary>
public unsafe class PassTests
{
    private static (IrBlock Block, IrBuilder Ir) NewBlock()
    {
        var block = new IrBlock(0x1000);
        return (block, new IrBuilder(block));
    }

    private static int Count(IrBlock block, IrOp op) => block.Insts.Count(i => i.Op == op);

    [Fact]
    public void ConstantFoldingFoldsConstantOperands()
    {
        var (block, ir) = NewBlock();
        var sum = ir.Add(ir.Const(2UL), ir.Const(3UL));
        var wrapped = ir.Add(ir.Const(0xFFFF_FFFFUL), ir.Const(1UL), 32);
        var flags = ir.FlagsSub(ir.Const(5UL), ir.Const(7UL));
        ir.SetReg(0, sum);
        ir.SetReg(1, wrapped);
        ir.SetReg(2, ir.CondHolds(flags, 11)); // LT
        ir.Jump(0);
        ConstantFolding.Run(block);
        block.Verify();
        Assert.Equal(IrOp.Const, sum.Op);
        Assert.Equal(5UL, sum.Imm);
        Assert.Equal(0UL, wrapped.Imm);
        Assert.Equal(0x8000_0000UL, flags.Imm);
        Assert.Equal(0, block.Insts.Count(i => i.Op is IrOp.Add or IrOp.FlagsSub or IrOp.CondHolds));
        Assert.Equal(1UL, block.Insts.Single(i => i.Op == IrOp.SetReg && i.Imm == 2).A!.Imm);
    }

    [Fact]
    public void ConstantFoldingTurnsABranchOnAConstantIntoAJump()
    {
        var (block, ir) = NewBlock();
        ir.Branch(ir.Compare(ir.Const(3UL), ir.Const(4UL), IrCompare.ULt), 0x100, 0x200);
        ConstantFolding.Run(block);
        DeadCodeElimination.Run(block);
        block.Verify();
        var t = Assert.Single(block.Insts);
        Assert.Equal(IrOp.Jump, t.Op);
        Assert.Equal(0x100UL, t.Imm);
    }

    [Fact]
    public void ConstantFoldingAppliesIdentities()
    {
        var (block, ir) = NewBlock();
        var x = ir.GetReg(1);
        ir.SetReg(2, ir.Add(x, ir.Const(0UL)));
        ir.SetReg(3, ir.Or(ir.Const(0UL), x));
        ir.SetReg(4, ir.And(x, ir.Const(0UL)));
        ir.SetReg(5, ir.Mul(x, ir.Const(1UL)));
        ir.SetReg(6, ir.Shl(x, ir.Const(64UL)));
        var narrow = ir.Add(x, ir.Const(0UL), 32);
        ir.SetReg(7, narrow);
        ir.SetReg(8, ir.Select(ir.Const(0UL), ir.Const(9UL), x));
        ir.Jump(0);
        ConstantFolding.Run(block);
        DeadCodeElimination.Run(block);
        block.Verify();
        IrInst Stored(int r) => block.Insts.Single(i => i.Op == IrOp.SetReg && i.Imm == (ulong)r).A!;
        Assert.Same(x, Stored(2));
        Assert.Same(x, Stored(3));
        Assert.Equal(IrOp.Const, Stored(4).Op);
        Assert.Equal(0UL, Stored(4).Imm);
        Assert.Same(x, Stored(5));
        Assert.Same(x, Stored(6));
        // A 32-bit identity still drops the upper half.
        Assert.Equal(IrOp.ZeroExtend, narrow.Op);
        Assert.Equal(32UL, narrow.Imm);
        Assert.Same(x, Stored(8));
        Assert.Equal(0, block.Insts.Count(i => i.Op is IrOp.Add or IrOp.Or or IrOp.And or IrOp.Mul or IrOp.Shl or IrOp.Select));
    }

    [Fact]
    public void GetAfterSetUsesTheStoredValue()
    {
        var (block, ir) = NewBlock();
        var v = ir.Add(ir.GetReg(1), ir.GetReg(1)); // second read reuses the first
        ir.SetReg(2, v);
        var back = ir.GetReg(2);
        ir.SetReg(3, ir.Xor(back, ir.Const(1UL)));
        ir.SetFlags(ir.Const(0x4000_0000UL));
        ir.SetReg(4, ir.GetFlags());
        ir.Jump(0);
        RegisterGetSetElimination.Run(block);
        block.Verify();
        Assert.Equal(1, Count(block, IrOp.GetReg));
        Assert.Equal(0, Count(block, IrOp.GetFlags));
        var xor = block.Insts.Single(i => i.Op == IrOp.Xor);
        Assert.Same(v, xor.A);
        Assert.Equal(0x4000_0000UL, block.Insts.Single(i => i.Op == IrOp.SetReg && i.Imm == 4).A!.Imm);
    }

    [Fact]
    public void OverwrittenSetsAreRemoved()
    {
        var (block, ir) = NewBlock();
        ir.SetReg(5, ir.Const(1UL));
        ir.SetReg(5, ir.Const(2UL));
        ir.SetFlags(ir.Const(0UL));
        ir.SetFlags(ir.Const(0x2000_0000UL));
        ir.SetVec(3, ir.GetVec(1));
        ir.SetVec(3, ir.GetVec(2));
        ir.SetSys(SysReg.Tpidr, ir.Const(7UL));
        ir.SetSys(SysReg.Tpidr, ir.Const(8UL));
        ir.SetSys(SysReg.Fpcr, ir.Const(9UL)); // a different register: kept
        ir.Jump(0);
        RegisterGetSetElimination.Run(block);
        block.Verify();
        Assert.Equal(2UL, block.Insts.Single(i => i.Op == IrOp.SetReg).A!.Imm);
        Assert.Equal(0x2000_0000UL, block.Insts.Single(i => i.Op == IrOp.SetFlags).A!.Imm);
        Assert.Equal(2UL, block.Insts.Single(i => i.Op == IrOp.SetVec).A!.Imm);
        Assert.Equal(2, Count(block, IrOp.SetSys));
    }

    [Fact]
    public void HelperTakingTheContextIsABarrier()
    {
        var (block, ir) = NewBlock();
        ir.SetReg(5, ir.Const(1UL));
        ir.Call(typeof(TestHelpers), nameof(TestHelpers.Touch)); // may read X5
        ir.SetReg(5, ir.Const(2UL));
        ir.SetReg(6, ir.GetReg(5));
        ir.Call(typeof(TestHelpers), nameof(TestHelpers.Touch)); // may write X5
        ir.SetReg(7, ir.GetReg(5));
        ir.Jump(0);
        RegisterGetSetElimination.Run(block);
        block.Verify();
        Assert.Equal(2, block.Insts.Count(i => i.Op == IrOp.SetReg && i.Imm == 5)); // both X5 writes stay
        Assert.Equal(1, Count(block, IrOp.GetReg)); // the read after the second call stays
    }

    [Fact]
    public void PureHelperIsNotABarrier()
    {
        var (block, ir) = NewBlock();
        ir.SetReg(5, ir.Const(1UL));
        ir.Call(typeof(TestHelpers), nameof(TestHelpers.AddThree), ir.Const(1UL), ir.Const(1UL), ir.Const(1UL));
        ir.SetReg(5, ir.Const(2UL));
        ir.Jump(0);
        RegisterGetSetElimination.Run(block);
        Assert.Equal(1, Count(block, IrOp.SetReg));
    }

    [Fact]
    public void DeadCodeEliminationRemovesUnusedChainsOnly()
    {
        var (block, ir) = NewBlock();
        var x = ir.GetReg(1);
        var dead1 = ir.Mul(x, x);
        ir.Clz(ir.Add(dead1, ir.Const(3UL))); // unused: the whole chain goes
        var load = ir.Load(x, 8); // unused but may fault: kept
        ir.Store(x, ir.Const(4UL), 4);
        ir.SetReg(2, ir.Sub(x, ir.Const(1UL)));
        ir.Call(typeof(TestHelpers), nameof(TestHelpers.AddThree), x, x, x); // not marked pure: kept
        ir.Jump(0);
        var before = block.Insts.ToList();
        DeadCodeElimination.Run(block);
        block.Verify();
        // Removal is in place: the survivors keep their order.
        Assert.Equal(before.Where(block.Insts.Contains), block.Insts);
        Assert.DoesNotContain(block.Insts, i => i.Op is IrOp.Mul or IrOp.Add or IrOp.Clz);
        Assert.Contains(load, block.Insts);
        Assert.Equal(1, Count(block, IrOp.Store));
        Assert.Equal(1, Count(block, IrOp.Call));
        Assert.Equal(1, Count(block, IrOp.Sub));
        Assert.Equal(2, Count(block, IrOp.Const)); // the 4 and the 1; the 3 went with its user
    }

    [Fact]
    public void OptimizedBlockComputesTheSameAsUnoptimized()
    {
        IrBlock Build()
        {
            var (block, ir) = NewBlock();
            ir.SetReg(1, ir.Add(ir.GetReg(0), ir.Const(5UL)));
            var a = ir.GetReg(1);
            var f = ir.FlagsSub(a, ir.Const(10UL));
            ir.SetFlags(f);
            ir.SetReg(2, ir.Select(ir.CondHolds(ir.GetFlags(), 11), ir.Const(100UL), ir.Mul(ir.Const(6UL), ir.Const(7UL))));
            ir.SetReg(1, ir.Shl(ir.GetReg(1), ir.Const(0UL)));
            ir.Branch(ir.CondHolds(ir.GetFlags(), 0), 0x10, 0x20);
            return block;
        }
        // Both pipelines: all passes (Tier 1's IR) and the cold tier's subset.
        foreach (bool cold in new[] { false, true })
            foreach (ulong x0 in new ulong[] { 0, 5, 6 })
            {
                foreach (var tier in IrTestKit.Tiers)
                {
                    using var plain = new IrMachine();
                    using var optimized = new IrMachine();
                    plain.Ctx->X[0] = optimized.Ctx->X[0] = x0;
                    var b = Build();
                    if (cold) IrOptimizer.RunCold(b);
                    else IrOptimizer.Run(b);
                    Assert.True(b.Insts.Count < Build().Insts.Count);
                    ulong pcPlain = plain.Run(Build(), tier), pcOpt = optimized.Run(b, tier);
                    Assert.Equal(pcPlain, pcOpt);
                    Assert.Equal(x0 == 5 ? 0x10UL : 0x20UL, pcOpt);
                    Assert.Equal(x0 < 5 ? 100UL : 42UL, optimized.Ctx->X[2]);
                    for (int r = 0; r < 4; r++) Assert.Equal(plain.Ctx->X[r], optimized.Ctx->X[r]);
                    Assert.Equal(plain.Ctx->Nzcv, optimized.Ctx->Nzcv);
                }
            }
    }

    [Fact]
    public void RedundantZeroExtensionIsDropped()
    {
        var (block, ir) = NewBlock();
        var x = ir.GetReg(1);
        var narrow = ir.Xor(x, ir.GetReg(2), 32);
        ir.SetReg(3, ir.ZeroExtend(narrow, 32));
        var wide = ir.Xor(x, ir.GetReg(2));
        var keep = ir.ZeroExtend(wide, 32); // a 64-bit value: must stay
        ir.SetReg(4, keep);
        var b = ir.Load(x, 1);
        ir.SetReg(5, ir.ZeroExtend(b, 16));
        ir.SetReg(6, ir.ZeroExtend(ir.And(wide, ir.Const(0xFFUL)), 8));
        ir.SetReg(7, ir.ZeroExtend(ir.Load(x, 2), 8)); // wider than 8 bits: must stay
        ir.Jump(0);
        IrOptimizer.Run(block);
        block.Verify();
        IrInst Stored(int r) => block.Insts.Single(i => i.Op == IrOp.SetReg && i.Imm == (ulong)r).A!;
        Assert.Same(narrow, Stored(3));
        Assert.Same(keep, Stored(4));
        Assert.Same(b, Stored(5));
        Assert.Equal(IrOp.And, Stored(6).Op);
        Assert.Equal(IrOp.ZeroExtend, Stored(7).Op);
    }
}
