using Emu.IR;
using Emu.Jit;
using Emu.Tests.Backend;

namespace Emu.Tests.Linking;

/// <summary>
/// A multi-entry region's prologue switches on the entry to that entry's register loads; loads only one
/// entry needs jump straight to its block, loads several entries share switch again to the block. Every
/// entry must start at its own block whichever way its loads are shared.
/// </summary>
public sealed unsafe class RegionEntryTests
{
    private const ulong A = 0x1000, B = 0x1100, C = 0x1200, D = 0x1300;
    private const ulong OutA = 0x3000, OutB = 0x3100, OutC = 0x3200, OutD = 0x3300;

    /// <summary>A block that adds <paramref name="amount"/> to x<paramref name="reg"/> and leaves for <paramref name="exit"/>.</summary>
    private static IrBlock AddAndLeave(ulong pc, int reg, ulong amount, ulong exit)
    {
        var block = new IrBlock(pc);
        var ir = new IrBuilder(block);
        ir.SetReg(reg, ir.Add(ir.GetReg(reg), ir.Const(amount)));
        ir.Jump(exit);
        block.Verify();
        return block;
    }

    [Theory]
    // A, B and D touch only x1 (one shared load sequence, then the second switch); C touches x2 alone.
    [InlineData(0, OutA, 11UL, 20UL)]
    [InlineData(1, OutB, 101UL, 20UL)]
    [InlineData(2, OutC, 1UL, 21UL)]
    [InlineData(3, OutD, 1001UL, 20UL)]
    public void EachEntryRunsItsOwnBlockWhenEntriesShareTheirLoads(int entry, ulong exit, ulong x1, ulong x2)
    {
        var region = IlCompiler.CompileRegionWithEntries(
            [AddAndLeave(A, 1, 10, OutA), AddAndLeave(B, 1, 100, OutB), AddAndLeave(C, 2, 1, OutC), AddAndLeave(D, 1, 1000, OutD)], null);
        Assert.NotNull(region);
        using var m = new IrMachine();
        m.Ctx->X[1] = 1;
        m.Ctx->X[2] = 20;
        Assert.Equal(exit, region!.Entries[entry](m.Ctx));
        Assert.Equal(x1, m.Ctx->X[1]);
        Assert.Equal(x2, m.Ctx->X[2]);
    }

    [Theory]
    // Every entry has loads of its own: each stub jumps straight to its block.
    [InlineData(0, OutA, 11UL, 20UL, 300UL)]
    [InlineData(1, OutB, 1UL, 22UL, 300UL)]
    [InlineData(2, OutC, 1UL, 20UL, 303UL)]
    public void EachEntryRunsItsOwnBlockWhenEveryEntryLoadsDifferently(int entry, ulong exit, ulong x1, ulong x2, ulong x3)
    {
        var region = IlCompiler.CompileRegionWithEntries(
            [AddAndLeave(A, 1, 10, OutA), AddAndLeave(B, 2, 2, OutB), AddAndLeave(C, 3, 3, OutC)], null);
        Assert.NotNull(region);
        using var m = new IrMachine();
        m.Ctx->X[1] = 1;
        m.Ctx->X[2] = 20;
        m.Ctx->X[3] = 300;
        Assert.Equal(exit, region!.Entries[entry](m.Ctx));
        Assert.Equal(x1, m.Ctx->X[1]);
        Assert.Equal(x2, m.Ctx->X[2]);
        Assert.Equal(x3, m.Ctx->X[3]);
    }

    /// <summary>
    /// A: x1 = 7; x2 += x1; then B. B: x3 = x1 + x2; x1 = x1 + 1 read-modify-written; leaves. Entered at A, x1 is
    /// set before it is read; entered at B, x1 must come from the context.
    /// </summary>
    [Theory]
    [InlineData(0, 8UL, 27UL, 34UL)]
    [InlineData(1, 101UL, 20UL, 120UL)]
    public void ARegisterTheEntryBlockSetsFirstIsStillRightOnEveryPath(int entry, ulong x1, ulong x2, ulong x3)
    {
        var a = new IrBlock(A);
        var ir = new IrBuilder(a);
        var seven = ir.Const(7);
        ir.SetReg(1, seven);
        ir.SetReg(2, ir.Add(ir.GetReg(2), ir.GetReg(1)));
        ir.Jump(B);
        var b = new IrBlock(B);
        ir = new IrBuilder(b);
        ir.SetReg(3, ir.Add(ir.GetReg(1), ir.GetReg(2)));
        ir.SetReg(1, ir.Add(ir.GetReg(1), ir.Const(1)));
        ir.Jump(OutB);
        a.Verify();
        b.Verify();
        var region = IlCompiler.CompileRegionWithEntries([a, b], null);
        Assert.NotNull(region);
        using var m = new IrMachine();
        m.Ctx->X[1] = 100;
        m.Ctx->X[2] = 20;
        m.Ctx->X[3] = 3;
        Assert.Equal(OutB, region!.Entries[entry](m.Ctx));
        Assert.Equal(x1, m.Ctx->X[1]);
        Assert.Equal(x2, m.Ctx->X[2]);
        Assert.Equal(x3, m.Ctx->X[3]);
    }

    /// <summary>
    /// A: v2 = v1; x4 += 1; then B. B (looping back to A while x4 &lt; 3): leaves. Entered at B, the write-back of
    /// v2 (A may have set it) must store the context's v2, not a stale or unloaded local.
    /// </summary>
    [Theory]
    [InlineData(0, 0x1111UL, 0x2222UL, 6UL)]
    [InlineData(1, 0x3333UL, 0x4444UL, 5UL)]
    public void AVectorSetFirstByOneEntryKeepsItsValueThroughAnother(int entry, ulong v2Low, ulong v2High, ulong x4)
    {
        var a = new IrBlock(A);
        var ir = new IrBuilder(a);
        ir.SetVec(2, ir.GetVec(1));
        ir.SetReg(4, ir.Add(ir.GetReg(4), ir.Const(1)));
        ir.Jump(B);
        var b = new IrBlock(B);
        ir = new IrBuilder(b);
        ir.Branch(ir.Compare(ir.GetReg(4), ir.Const(3), IrCompare.ULt), A, OutB);
        a.Verify();
        b.Verify();
        var region = IlCompiler.CompileRegionWithEntries([a, b], null);
        Assert.NotNull(region);
        using var m = new IrMachine();
        m.Ctx->V[2] = 0x1111; // v1
        m.Ctx->V[3] = 0x2222;
        m.Ctx->V[4] = 0x3333; // v2
        m.Ctx->V[5] = 0x4444;
        m.Ctx->X[4] = 5;
        Assert.Equal(OutB, region!.Entries[entry](m.Ctx));
        Assert.Equal(v2Low, m.Ctx->V[4]);
        Assert.Equal(v2High, m.Ctx->V[5]);
        Assert.Equal(x4, m.Ctx->X[4]);
    }
}
