using Emu.IR;
using Emu.IR.Passes;

namespace Emu.Tests.ColdTier;

/// <summary>
/// The passes keep their per-op state in IrInst fields (Replacement, Marked) instead of hash tables; state
/// left over from one pass or run must not leak into the next.
/// </summary>
public class PassScratchTests
{
    [Fact]
    public void SecondOptimizerRunChangesNothing()
    {
        var block = new IrBlock(0x1000);
        var ir = new IrBuilder(block);
        var x1 = ir.GetReg(1);
        ir.SetReg(2, ir.Add(x1, ir.Const(0UL))); // identity: ConstantFolding replaces the Add by x1
        var again = ir.GetReg(2); // forwarded by RegisterGetSetElimination
        ir.SetReg(3, ir.Xor(again, ir.Const(0UL)));
        ir.SetReg(2, ir.Const(7UL)); // makes the first write of x2 dead
        ir.Jump(0x2000);
        IrOptimizer.Run(block);
        block.Verify();
        string once = block.ToString();
        IrOptimizer.Run(block);
        block.Verify();
        Assert.Equal(once, block.ToString());
        // x3 = x1 directly; one write of x2, the constant.
        var sets = block.Insts.Where(i => i.Op == IrOp.SetReg).ToArray();
        Assert.Equal(2, sets.Length);
        Assert.Same(x1, sets.Single(s => s.Imm == 3).A);
        Assert.Equal(7UL, sets.Single(s => s.Imm == 2).A!.Imm);
    }

    [Fact]
    public void DeadCodeEliminationAfterFoldingKeepsValuesStillUsed()
    {
        // Folding marks the Add as replaced by x1; DCE then removes the Add but must keep x1, which the
        // remapped SetReg uses.
        var block = new IrBlock(0x1000);
        var ir = new IrBuilder(block);
        var x1 = ir.GetReg(1);
        var sum = ir.Add(x1, ir.Const(0UL));
        ir.SetReg(4, sum);
        ir.Jump(0x2000);
        ConstantFolding.Run(block);
        DeadCodeElimination.Run(block);
        block.Verify();
        Assert.DoesNotContain(sum, block.Insts);
        Assert.Contains(x1, block.Insts);
        Assert.Equal(3, block.Insts.Count); // GetReg, SetReg, Jump
    }
}
