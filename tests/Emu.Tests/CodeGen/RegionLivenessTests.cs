using Emu.Cpu;
using Emu.IR;
using Emu.Jit;
using Emu.Tests.Backend;

namespace Emu.Tests.CodeGen;

/// <summary>
/// A region entry loads only the registers live there: read, or written back at an exit or before a
/// context-taking helper, before the region writes them. These regions write a register on one path and
/// write it back on another (where its local was never written), and have more entries than load sequences.
/// </summary>
public sealed unsafe class RegionLivenessTests
{
    private const ulong A = 0x1000, B = 0x1100, C = 0x1200, Outside = 0x3000;

    /// <summary>Reads x5 from the context: the region must have written back a correct x5 before the call.</summary>
    public static ulong ContextX5PlusHundred(CpuContext* ctx) => ctx->X[5] + 100;

    /// <summary>A: x1 == 0 ? C : B. B: x5 = 7, then C. C: <paramref name="join"/>, leaves.</summary>
    private static IrBlock[] WrittenOnOnePath(Action<IrBuilder> join)
    {
        var a = new IrBlock(A);
        var ir = new IrBuilder(a);
        var flags = ir.FlagsSub(ir.GetReg(1), ir.Const(0));
        ir.Branch(ir.CondHolds(flags, 0 /* EQ */), C, B);
        var b = new IrBlock(B);
        ir = new IrBuilder(b);
        ir.SetReg(5, ir.Const(7));
        ir.Jump(C);
        var c = new IrBlock(C);
        ir = new IrBuilder(c);
        join(ir);
        ir.Jump(Outside);
        IrBlock[] blocks = [a, b, c];
        foreach (var blk in blocks) blk.Verify();
        return blocks;
    }

    [Theory]
    [InlineData(0UL, 1234UL)]
    [InlineData(1UL, 7UL)]
    public void AnExitWritesBackTheGuestValueOfARegisterItsPathDidNotWrite(ulong x1, ulong x5)
    {
        // x5 is never read, but C's exit writes it back (B may have written it): entry A must load it.
        var region = IlCompiler.CompileRegionWithEntries(WrittenOnOnePath(ir => ir.SetReg(6, ir.Add(ir.GetReg(6), ir.Const(1)))), null);
        Assert.NotNull(region);
        using var m = new IrMachine();
        m.Ctx->X[1] = x1;
        m.Ctx->X[5] = 1234;
        m.Ctx->X[6] = 40;
        Assert.Equal(Outside, region!.Entries[0](m.Ctx));
        Assert.Equal(x5, m.Ctx->X[5]);
        Assert.Equal(41UL, m.Ctx->X[6]);
    }

    [Theory]
    [InlineData(0UL, 1234UL)]
    [InlineData(1UL, 7UL)]
    public void AContextTakingHelperSeesTheGuestValueOfARegisterItsPathDidNotWrite(ulong x1, ulong x5)
    {
        var helper = IrHelper.Get(typeof(RegionLivenessTests).GetMethod(nameof(ContextX5PlusHundred))!);
        var region = IlCompiler.CompileRegionWithEntries(WrittenOnOnePath(ir => ir.SetReg(0, ir.Call(helper))), null);
        Assert.NotNull(region);
        using var m = new IrMachine();
        m.Ctx->X[1] = x1;
        m.Ctx->X[5] = 1234;
        Assert.Equal(Outside, region!.Entries[0](m.Ctx));
        Assert.Equal(x5 + 100, m.Ctx->X[0]);
        Assert.Equal(x5, m.Ctx->X[5]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ALoopRegisterWrittenBeforeItIsReadIsKeptWhenEnteredPastTheLoop(int entry)
    {
        // A: x5 = x2; x2 -= 1; x2 != 0 ? A : B. B: x3 = x5 + 1000, leaves. From A x5 is written before any
        // read; from B it is read (and written back) with the context's value.
        var loop = new IrBlock(A);
        var ir = new IrBuilder(loop);
        ir.SetReg(5, ir.GetReg(2));
        var x2 = ir.Sub(ir.GetReg(2), ir.Const(1));
        ir.SetReg(2, x2);
        ir.Branch(ir.CondHolds(ir.FlagsSub(x2, ir.Const(0)), 1 /* NE */), A, B);
        var after = new IrBlock(B);
        ir = new IrBuilder(after);
        ir.SetReg(3, ir.Add(ir.GetReg(5), ir.Const(1000)));
        ir.Jump(Outside);
        loop.Verify();
        after.Verify();
        var region = IlCompiler.CompileRegionWithEntries([loop, after], null);
        Assert.NotNull(region);
        using var m = new IrMachine();
        m.Ctx->X[2] = 3;
        m.Ctx->X[5] = 55;
        Assert.Equal(Outside, region!.Entries[entry](m.Ctx));
        Assert.Equal(entry == 0 ? 1UL : 55UL, m.Ctx->X[5]);
        Assert.Equal(entry == 0 ? 1001UL : 1055UL, m.Ctx->X[3]);
        Assert.Equal(entry == 0 ? 0UL : 3UL, m.Ctx->X[2]);
    }

    [Fact]
    public void EveryEntryOfAChainWithMoreEntriesThanLoadSequencesKeepsTheRegistersBeforeIt()
    {
        // Block k: x(k+1) = k + 100, then block k+1; the last leaves. Entered at k, the blocks before k leave
        // their registers alone, but the exit writes all of them back: each entry has its own live set.
        const int n = 12;
        var blocks = new IrBlock[n];
        for (int k = 0; k < n; k++)
        {
            blocks[k] = new IrBlock(A + (ulong)k * 0x10);
            var ir = new IrBuilder(blocks[k]);
            ir.SetReg(k + 1, ir.Const((ulong)k + 100));
            ir.Jump(k + 1 < n ? A + (ulong)(k + 1) * 0x10 : Outside);
            blocks[k].Verify();
        }
        var region = IlCompiler.CompileRegionWithEntries(blocks, null);
        Assert.NotNull(region);
        for (int entry = 0; entry < n; entry++)
        {
            using var m = new IrMachine();
            for (int r = 1; r <= n; r++) m.Ctx->X[r] = 5000 + (ulong)r;
            Assert.Equal(Outside, region!.Entries[entry](m.Ctx));
            for (int k = 0; k < n; k++)
                Assert.Equal(k >= entry ? (ulong)k + 100 : 5000 + (ulong)k + 1, m.Ctx->X[k + 1]);
        }
    }
}
