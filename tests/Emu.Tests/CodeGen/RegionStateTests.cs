using Emu.IR;
using Emu.Jit;
using Emu.Tests.Backend;

namespace Emu.Tests.CodeGen;

/// <summary>
/// Tier 1 regions load a guest register only at entries whose reachable blocks touch it and write back at an
/// exit only what paths into that block may have written; deferred NZCV is computed per branch edge. These
/// regions check that registers outside those sets keep their context values and that NZCV is exact.
/// </summary>
public sealed unsafe class RegionStateTests
{
    private const ulong A = 0x1000, B = 0x1100, C = 0x1200, Outside = 0x3000;
    private const ulong FlagZ = 1UL << 30, FlagC = 1UL << 29, FlagN = 1UL << 31;

    /// <summary>A: x7 += 1, then B. B: x5 *= 2, leaves. C (reached from no other block): x9 = 1, leaves.</summary>
    private static IrBlock[] ThreeBlocks()
    {
        var a = new IrBlock(A);
        var ir = new IrBuilder(a);
        ir.SetReg(7, ir.Add(ir.GetReg(7), ir.Const(1)));
        ir.Jump(B);
        var b = new IrBlock(B);
        ir = new IrBuilder(b);
        ir.SetReg(5, ir.Add(ir.GetReg(5), ir.GetReg(5)));
        ir.Jump(Outside);
        var c = new IrBlock(C);
        ir = new IrBuilder(c);
        ir.SetReg(9, ir.Const(1));
        ir.Jump(Outside);
        return [a, b, c];
    }

    [Theory]
    [InlineData(0, 43UL, 20UL, 9UL)]
    [InlineData(1, 42UL, 20UL, 9UL)]
    [InlineData(2, 42UL, 10UL, 1UL)]
    public void EachEntryChangesOnlyWhatItsPathsWrite(int entry, ulong x7, ulong x5, ulong x9)
    {
        var blocks = ThreeBlocks();
        foreach (var b in blocks) b.Verify();
        var region = IlCompiler.CompileRegionWithEntries(blocks, null);
        Assert.NotNull(region);
        using var m = new IrMachine();
        m.Ctx->X[7] = 42;
        m.Ctx->X[5] = 10;
        m.Ctx->X[9] = 9;
        m.Ctx->X[11] = 11;
        Assert.Equal(Outside, region!.Entries[entry](m.Ctx));
        Assert.Equal(x7, m.Ctx->X[7]);
        Assert.Equal(x5, m.Ctx->X[5]);
        Assert.Equal(x9, m.Ctx->X[9]);
        Assert.Equal(11UL, m.Ctx->X[11]);
    }

    [Fact]
    public void ALoopEnteredAtItsExitBlockKeepsTheLoopsRegisters()
    {
        // A: x1 -= 1; x2 += x1; B.NE A else B. B: x3 = x2, leaves. Entered at B, only x3 may change.
        var loop = new IrBlock(A);
        var ir = new IrBuilder(loop);
        var x1 = ir.Sub(ir.GetReg(1), ir.Const(1));
        ir.SetReg(1, x1);
        ir.SetReg(2, ir.Add(ir.GetReg(2), x1));
        var flags = ir.FlagsSub(x1, ir.Const(0));
        ir.SetFlags(flags);
        ir.Branch(ir.CondHolds(flags, 1 /* NE */), A, B);
        var after = new IrBlock(B);
        ir = new IrBuilder(after);
        ir.SetReg(3, ir.GetReg(2));
        ir.Jump(Outside);
        var region = IlCompiler.CompileRegionWithEntries([loop, after], null);
        Assert.NotNull(region);

        using var m = new IrMachine();
        m.Ctx->X[1] = 4;
        m.Ctx->X[2] = 100;
        m.Ctx->Nzcv = FlagN;
        Assert.Equal(Outside, region!.Entries[1](m.Ctx));
        Assert.Equal(4UL, m.Ctx->X[1]);
        Assert.Equal(100UL, m.Ctx->X[3]);
        Assert.Equal(FlagN, m.Ctx->Nzcv);

        Assert.Equal(Outside, region.Entries[0](m.Ctx));
        Assert.Equal(0UL, m.Ctx->X[1]);
        Assert.Equal(106UL, m.Ctx->X[3]); // 100 + 3 + 2 + 1 + 0
        Assert.Equal(FlagZ | FlagC, m.Ctx->Nzcv);
    }

    [Theory]
    [InlineData(5UL, 5UL)]
    [InlineData(2UL, 5UL)]
    [InlineData(8UL, 5UL)]
    public void OnlyTheEdgeIntoTheFlagReaderComputesTheFlags(ulong a, ulong b)
    {
        // A: CMP x1, x2; B.EQ B else C. B: x3 = NZCV, leaves. C: x4 = 1, then back to A's successor outside.
        var head = new IrBlock(A);
        var ir = new IrBuilder(head);
        var flags = ir.FlagsSub(ir.GetReg(1), ir.GetReg(2));
        ir.SetFlags(flags);
        ir.Branch(ir.CondHolds(flags, 0 /* EQ */), B, C);
        var reader = new IrBlock(B);
        ir = new IrBuilder(reader);
        ir.SetReg(3, ir.GetFlags());
        ir.Jump(Outside);
        var other = new IrBlock(C);
        ir = new IrBuilder(other);
        ir.SetReg(4, ir.Const(1));
        ir.Jump(Outside);
        foreach (var blk in new[] { head, reader, other }) blk.Verify();
        var code = IlCompiler.CompileRegion([head, reader, other]);
        Assert.NotNull(code);

        using var m = new IrMachine();
        m.Ctx->X[1] = a;
        m.Ctx->X[2] = b;
        Assert.Equal(Outside, code!(m.Ctx));
        ulong expected = ((a - b) >> 63 << 31) | (a == b ? FlagZ : 0) | (a >= b ? FlagC : 0);
        Assert.Equal(expected, m.Ctx->Nzcv);
        Assert.Equal(a == b ? expected : 0, m.Ctx->X[3]);
        Assert.Equal(a == b ? 0UL : 1UL, m.Ctx->X[4]);
    }
}
