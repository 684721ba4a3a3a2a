using Emu.IR;
using Emu.Jit;

namespace Emu.Tests.Backend;

/// <summary>
/// Tier 1 regions compute a block's last NZCV write only on the paths that need it (region exits and
/// edges into blocks that read it): these regions check that NZCV is right wherever it is observed.
/// </summary>
public sealed unsafe class RegionFlagsTests
{
    private const ulong Loop = 0x1000, After = 0x2000, Other = 0x2400, Outside = 0x3000;
    private const ulong FlagsZC = 0x6UL << 28, FlagsN = 0x8UL << 28, FlagsC = 0x2UL << 28;

    /// <summary>SUBS x1, x1, #1; B.NE loop (the decrement loop of a counted for).</summary>
    private static IrBlock CountdownLoop()
    {
        var block = new IrBlock(Loop);
        var ir = new IrBuilder(block);
        var x1 = ir.GetReg(1);
        var one = ir.Const(1);
        var flags = ir.FlagsSub(x1, one);
        ir.SetReg(1, ir.Sub(x1, one));
        ir.SetFlags(flags);
        ir.Branch(ir.CondHolds(flags, 1 /* NE */), Loop, After);
        return block;
    }

    private static ulong RunRegion(IrMachine m, params IrBlock[] blocks)
    {
        foreach (var b in blocks) b.Verify();
        var code = IlCompiler.CompileRegion(blocks);
        Assert.NotNull(code);
        return code!(m.Ctx);
    }

    [Fact]
    public void FlagsOfTheLastIterationReachTheContextWhenTheRegionIsLeft()
    {
        var exit = new IrBlock(After);
        var ir = new IrBuilder(exit);
        ir.SetReg(2, ir.Add(ir.GetReg(2), ir.Const(1)));
        ir.Jump(Outside);

        using var m = new IrMachine();
        m.Ctx->X[1] = 5;
        m.Ctx->Nzcv = FlagsN;
        Assert.Equal(Outside, RunRegion(m, CountdownLoop(), exit));
        Assert.Equal(0UL, m.Ctx->X[1]);
        Assert.Equal(1UL, m.Ctx->X[2]);
        Assert.Equal(FlagsZC, m.Ctx->Nzcv); // 1 - 1: zero, no borrow
    }

    [Fact]
    public void ABlockThatReadsTheFlagsSeesTheLoopsLastFlags()
    {
        var exit = new IrBlock(After);
        var ir = new IrBuilder(exit);
        ir.SetReg(3, ir.GetFlags());
        ir.Jump(Outside);

        using var m = new IrMachine();
        m.Ctx->X[1] = 3;
        Assert.Equal(Outside, RunRegion(m, CountdownLoop(), exit));
        Assert.Equal(FlagsZC, m.Ctx->X[3]);
        Assert.Equal(FlagsZC, m.Ctx->Nzcv);
    }

    [Theory]
    [InlineData(7UL, 7UL, FlagsN, FlagsZC)] // equal: the successor's own flags (N from a negative value), else the compare's
    [InlineData(3UL, 9UL, FlagsN, FlagsN)] // 3 - 9 borrows: N, no C; the other successor keeps them
    [InlineData(9UL, 3UL, FlagsN, FlagsC)]
    public void EachPathLeavesTheFlagsOfItsLastWriter(ulong a, ulong b, ulong flagsIfEqual, ulong flagsIfNotEqual)
    {
        // CMP x1, x2; B.EQ after; (other:) x4 = 1 (flags untouched) / (after:) TST x5 (flags rewritten).
        var head = new IrBlock(Loop);
        var ir = new IrBuilder(head);
        var flags = ir.FlagsSub(ir.GetReg(1), ir.GetReg(2));
        ir.SetFlags(flags);
        ir.Branch(ir.CondHolds(flags, 0 /* EQ */), After, Other);

        var rewrites = new IrBlock(After);
        ir = new IrBuilder(rewrites);
        ir.SetFlags(ir.FlagsLogic(ir.GetReg(5)));
        ir.Jump(Outside);

        var keeps = new IrBlock(Other);
        ir = new IrBuilder(keeps);
        ir.SetReg(4, ir.Const(1));
        ir.Jump(Outside);

        using var m = new IrMachine();
        m.Ctx->X[1] = a;
        m.Ctx->X[2] = b;
        m.Ctx->X[5] = 0x8000_0000_0000_0000;
        m.Ctx->Nzcv = 0x1UL << 28;
        Assert.Equal(Outside, RunRegion(m, head, rewrites, keeps));
        Assert.Equal(a == b ? flagsIfEqual : flagsIfNotEqual, m.Ctx->Nzcv);
        Assert.Equal(a == b ? 0UL : 1UL, m.Ctx->X[4]);
    }

    [Fact]
    public void AddWithCarryFlagsInALoopAreExactAtTheExit()
    {
        // ADDS w1, w1, #0x40000000 until the result wraps to 0: the last add sets Z and C (32-bit).
        var loop = new IrBlock(Loop);
        var ir = new IrBuilder(loop);
        var x1 = ir.GetReg(1);
        var step = ir.Const(0x4000_0000);
        var flags = ir.FlagsAdd(x1, step, 32);
        ir.SetReg(1, ir.Add(x1, step, 32));
        ir.SetFlags(flags);
        ir.Branch(ir.CondHolds(flags, 1 /* NE */), Loop, Outside);

        using var m = new IrMachine();
        m.Ctx->X[1] = 0;
        Assert.Equal(Outside, RunRegion(m, loop));
        Assert.Equal(0UL, m.Ctx->X[1]);
        Assert.Equal(FlagsZC, m.Ctx->Nzcv);
    }

    [Fact]
    public void FlagsAreWrittenWhenALoopIsAskedToLeaveAtItsBackEdge()
    {
        using var m = new IrMachine();
        m.Ctx->X[1] = 100;
        // As the signal layer asks a thread to stop: its flag, then the process-wide bit loops check.
        m.Ctx->SignalAttention = 1;
        Emu.Linux.Signals.HostSignals.RequestAttention();
        try
        {
            // The first back edge leaves: one iteration ran, 100 - 1 is positive (C, no N/Z/V).
            Assert.Equal(Loop, RunRegion(m, CountdownLoop()));
        }
        finally
        {
            Emu.Linux.Signals.HostSignals.ClearAttention();
        }
        Assert.Equal(99UL, m.Ctx->X[1]);
        Assert.Equal(FlagsC, m.Ctx->Nzcv);
    }

    /// <summary>
    /// CMP x1, x2; B next | next: ADD x0, x3, #1; then <paramref name="word"/> (BR x4, BLR x4 or RET x4) to x4,
    /// a PC outside the region.
    /// </summary>
    private static ulong RunCompareThenIndirect(IrMachine m, uint word)
    {
        var compare = new IrBlock(Loop) { GuestWords = [0xEB02003F, 0x14000040] };
        var ir = new IrBuilder(compare);
        ir.SetFlags(ir.FlagsSub(ir.GetReg(1), ir.GetReg(2)));
        ir.Jump(Loop + 0x100);
        var indirect = new IrBlock(Loop + 0x100) { GuestWords = [0x91000460, word] };
        ir = new IrBuilder(indirect);
        ir.SetReg(0, ir.Add(ir.GetReg(3), ir.Const(1)));
        ir.JumpIndirect(ir.GetReg(4));
        m.Ctx->X[1] = 1;
        m.Ctx->X[2] = 2;
        m.Ctx->X[3] = 41;
        m.Ctx->X[4] = Outside;
        return RunRegion(m, compare, indirect);
    }

    [Fact]
    public void FlagsAreExactWhereAnIndirectJumpLeaves()
    {
        using var m = new IrMachine();
        Assert.Equal(Outside, RunCompareThenIndirect(m, 0xD61F0080 /* BR x4 */));
        Assert.Equal(42UL, m.Ctx->X[0]);
        Assert.Equal(FlagsN, m.Ctx->Nzcv); // 1 - 2: negative, borrow
    }

    /// <summary>
    /// Calls and returns leave the region with the registers exact; NZCV is undefined there by the procedure call
    /// standard (IlCompiler.EndsInCallOrReturn), so only the register's form is asserted.
    /// </summary>
    [Theory]
    [InlineData(0xD63F0080u)] // BLR x4
    [InlineData(0xD65F0080u)] // RET x4
    public void CallsAndReturnsLeaveWithExactRegisters(uint word)
    {
        using var m = new IrMachine();
        Assert.Equal(Outside, RunCompareThenIndirect(m, word));
        Assert.Equal(42UL, m.Ctx->X[0]);
        Assert.Equal(1UL, m.Ctx->X[1]);
        Assert.Equal(0UL, m.Ctx->Nzcv & ~(0xFUL << 28)); // whatever flags it holds, no other bits
    }
}
