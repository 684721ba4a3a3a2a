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
}
